//! Reading the current schema from PostgreSQL's catalogs.

use crate::bookkeeping::ignored_tables;
use crate::dialect::postgres::{
    fk_action, index_entries, parse_text_array, parse_text_array_with_nulls, unqualify, unquote,
};
use crate::dialect::Dialect;
use crate::driver::{DbError, Driver};
use crate::schema::{
    Check, Column, ColumnType, Domain, EnumType, Extension, ForeignKey, Function, Index, Schema,
    Sequence, Table, Trigger, View,
};
use crate::sql::{literal_list, normalize_expr, quote_literal_for};
use std::collections::BTreeMap;

/// Reads the current schema (the first of the search path) in six catalog queries, whatever
/// the number of tables, through [`Driver::query_sql`] (the simple-query protocol: nothing is
/// prepared on the server, which a pooler in transaction mode needs), on any connection that
/// speaks PostgreSQL.
pub fn introspect<D: Driver + ?Sized>(conn: &mut D) -> std::result::Result<Schema, DbError> {
    introspect_counted(conn).map(|(schema, _)| schema)
}

/// One row of a catalog query, every value as text.
#[derive(Debug, Clone)]
struct Row(Vec<Option<String>>);

impl Row {
    fn text(&self, i: usize) -> String {
        self.0[i].clone().unwrap_or_default()
    }
    fn str(&self, i: usize) -> &str {
        self.0[i].as_deref().unwrap_or_default()
    }
    fn opt(&self, i: usize) -> Option<String> {
        self.0[i].clone()
    }
    fn bool(&self, i: usize) -> bool {
        self.str(i) == "t"
    }
    fn array(&self, i: usize) -> Vec<String> {
        parse_text_array(self.str(i))
    }
}

/// [`introspect`], also returning how many queries it sent (a constant: it does not grow with
/// the number of tables).
pub fn introspect_counted<D: Driver + ?Sized>(
    conn: &mut D,
) -> std::result::Result<(Schema, usize), DbError> {
    read(conn, None)
}

/// [`introspect`], reusing from `cache` the rows of the tables whose catalog rows did not
/// change since they were read (see [`RowCache`]): one more query, and the three table queries
/// read only the tables that changed (none: they are not sent).
pub(crate) fn introspect_cached<D: Driver + ?Sized>(
    conn: &mut D,
    cache: &mut RowCache,
) -> std::result::Result<Schema, DbError> {
    read(conn, Some(cache)).map(|(schema, _)| schema)
}

/// What the table queries (columns, constraints, indexes) read for each table, as text, with
/// the fingerprint of the catalog rows it was read from ([`FINGERPRINTS_SQL`]).
///
/// A table's fingerprint is, per catalog row it owns (its `pg_class` row, its columns, their
/// defaults, its constraints, its indexes and their `pg_class` rows), how many there are and
/// the sum of their `xmin`s, as in [`crate::bookkeeping::schema_version_sql`]: every DDL
/// statement writes such rows stamped with its own transaction id, so an insert, an update or a
/// delete changes it. The fingerprints of the tables its foreign keys name are part of it (a
/// renamed referenced table or column changes what its rows say). What any table's text may
/// name besides (types, functions, operators, operator classes, collations, access methods,
/// sequences no column owns, schemas, the search path and the server's version) is one global
/// fingerprint: when it changes, nothing is reused. A table whose foreign key names a table of
/// another schema is never reused.
#[derive(Debug, Default, Clone)]
pub struct RowCache {
    /// How many tables the last read read again (the others were reused).
    pub(crate) read_again: usize,
    global: String,
    tables: std::collections::HashMap<String, CachedTable>,
    /// The schema version ([`crate::bookkeeping::schema_version_sql`]) when the rows were
    /// read, as stored with them; `None`: not known.
    pub(crate) read_at: Option<String>,
    /// Set when the schema version is still [`Self::read_at`] (nothing the fingerprints read
    /// changed since): the next read takes the rows as they are, without reading the
    /// fingerprints. Cleared by that read.
    pub(crate) unchanged: bool,
}

#[derive(Debug, Clone)]
struct CachedTable {
    fingerprint: String,
    rows: [Vec<Row>; 3],
}

/// How many values a row of each table query has: a stored row of another shape is no row.
const ROW_WIDTHS: [usize; 3] = [7, 9, 9];

impl RowCache {
    /// The statements that store this cache in `table` (numbered rows of a table name, its
    /// fingerprint and one of its rows; made by [`Self::create_sql`]), replacing what it held,
    /// in one transaction.
    pub(crate) fn store_sql(&self, table: &str) -> String {
        let text = |v: &str| quote_literal_for(Dialect::Postgres, v);
        let read_at = self
            .read_at
            .as_deref()
            .map_or("NULL".to_string(), |v| format!("ARRAY[{}]", text(v)));
        let mut values = vec![format!("(0, NULL, {}, {read_at})", text(&self.global))];
        for (name, cached) in &self.tables {
            for (q, rows) in cached.rows.iter().enumerate() {
                for row in rows {
                    let vals: Vec<String> = row
                        .0
                        .iter()
                        .map(|v| v.as_deref().map_or("NULL".to_string(), text))
                        .collect();
                    values.push(format!(
                        "({}, {}, {}, ARRAY[{q}::text, {}])",
                        values.len(),
                        text(name),
                        text(&cached.fingerprint),
                        vals.join(", ")
                    ));
                }
            }
            if cached.rows.iter().all(Vec::is_empty) {
                values.push(format!(
                    "({}, {}, {}, NULL)",
                    values.len(),
                    text(name),
                    text(&cached.fingerprint)
                ));
            }
        }
        format!(
            "BEGIN; DELETE FROM {table}; INSERT INTO {table} VALUES {}; COMMIT",
            values.join(", ")
        )
    }

    /// Creates `table` for [`Self::store_sql`] if it is missing.
    pub(crate) fn create_sql(table: &str) -> String {
        format!("CREATE TABLE IF NOT EXISTS {table} (n int PRIMARY KEY, tbl text, fingerprint text NOT NULL, row text[])")
    }

    /// The query that reads back what [`Self::store_sql`] stored, in its order.
    pub(crate) fn load_sql(table: &str) -> String {
        format!("SELECT tbl, fingerprint, row FROM {table} ORDER BY n")
    }

    /// The cache from the rows of [`Self::load_sql`]; empty when any of them is not a row this
    /// version of the crate stored (a cache is only ever a shortcut).
    pub(crate) fn from_rows(rows: &[Vec<Option<String>>]) -> RowCache {
        let mut cache = RowCache::default();
        for r in rows {
            let [tbl, fingerprint, row] = &r[..] else {
                return RowCache::default();
            };
            let Some(fingerprint) = fingerprint.clone() else {
                return RowCache::default();
            };
            let Some(tbl) = tbl.clone() else {
                cache.global = fingerprint;
                cache.read_at = row
                    .as_deref()
                    .and_then(|r| parse_text_array_with_nulls(r).into_iter().next())
                    .flatten();
                continue;
            };
            let cached = cache.tables.entry(tbl).or_insert_with(|| CachedTable {
                fingerprint: fingerprint.clone(),
                rows: Default::default(),
            });
            let Some(row) = row else { continue };
            let mut vals = parse_text_array_with_nulls(row);
            let q = match vals
                .first()
                .cloned()
                .flatten()
                .and_then(|q| q.parse::<usize>().ok())
            {
                Some(q) if q < 3 && vals.len() == ROW_WIDTHS[q] + 1 => q,
                _ => return RowCache::default(),
            };
            vals.remove(0);
            cached.rows[q].push(Row(vals));
        }
        cache
    }
}

/// What any table's text may name besides its own catalog rows, and the server: the global
/// fingerprint (see [`RowCache`]).
macro_rules! global_fingerprint {
    () => {
        "current_setting('server_version_num') || ' ' || current_schemas(false)::text || ' ' || concat_ws(' ',
  (SELECT count(*) || ':' || coalesce(sum(y.xmin::text::int8), 0) FROM pg_catalog.pg_type y
     WHERE y.oid >= 16384 AND y.typtype <> 'c' AND y.typcategory <> 'A'),
  (SELECT count(*) || ':' || coalesce(sum(r.xmin::text::int8), 0) FROM pg_catalog.pg_class r
     WHERE r.oid >= 16384 AND (r.relkind = 'c' OR r.relkind = 'S' AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
       WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = r.oid AND d.deptype IN ('a', 'i')))),
  (SELECT count(*) || ':' || coalesce(sum(f.xmin::text::int8), 0) FROM pg_catalog.pg_proc f WHERE f.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(s.xmin::text::int8), 0) FROM pg_catalog.pg_namespace s WHERE s.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(o.xmin::text::int8), 0) FROM pg_catalog.pg_operator o WHERE o.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(o.xmin::text::int8), 0) FROM pg_catalog.pg_opclass o WHERE o.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(o.xmin::text::int8), 0) FROM pg_catalog.pg_collation o WHERE o.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(o.xmin::text::int8), 0) FROM pg_catalog.pg_am o WHERE o.oid >= 16384))"
    };
}

/// The global fingerprint (one row `g`), then each table's own (`t`: name, fingerprint, the
/// tables its foreign keys name, `''` for one of another schema).
const FINGERPRINTS_SQL: &str = concat!(
    "SELECT 'g', NULL::text, ",
    global_fingerprint!(),
    ",
  NULL::text[]
UNION ALL
SELECT 't', c.relname::text, concat_ws(' ', c.xmin::text,
  (SELECT count(*) || ':' || coalesce(sum(a.xmin::text::int8), 0) FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = c.oid AND a.attnum > 0),
  (SELECT count(*) || ':' || coalesce(sum(d.xmin::text::int8), 0) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = c.oid),
  (SELECT count(*) || ':' || coalesce(sum(k.xmin::text::int8), 0) FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid),
  (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::int8 + i.xmin::text::int8), 0) FROM pg_catalog.pg_index x
     JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid)),
  ARRAY(SELECT DISTINCT CASE WHEN r.relnamespace = c.relnamespace THEN r.relname::text ELSE '' END
        FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
        WHERE k.conrelid = c.oid AND k.contype = 'f')
FROM pg_catalog.pg_class c
WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> ALL($1)"
);

/// One value that moves whenever any fingerprint of [`FINGERPRINTS_SQL`] would: the schema
/// version ([`crate::bookkeeping::schema_version_sql`]: the current schema's tables, columns,
/// constraints, types, functions, rules, triggers, enums, sequences and the extensions), the
/// global fingerprint, and what a table's fingerprint counts besides: its columns' defaults and
/// its indexes. Rows read when it had a value are the rows while it keeps that value
/// ([`RowCache::unchanged`]), at the cost of one query instead of one row per table.
pub(crate) fn rows_version_sql() -> String {
    format!(
        "SELECT ({}) || ' ' || {} || ' ' || concat_ws(' ',
  (SELECT count(*) || ':' || coalesce(sum(d.xmin::text::int8), 0) FROM pg_catalog.pg_attrdef d
     JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
     WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace),
  (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::int8), 0) FROM pg_catalog.pg_index x
     JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
     WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace))",
        crate::bookkeeping::schema_version_sql(Dialect::Postgres),
        global_fingerprint!()
    )
}

/// Which tables `cache` cannot answer for, given the fingerprints just read (`rows` of
/// [`FINGERPRINTS_SQL`]); `None`: all of them. Forgets what it holds of tables that are gone,
/// and everything when the global fingerprint moved.
fn stale_tables(
    cache: &mut RowCache,
    rows: &[Row],
) -> (Option<Vec<String>>, BTreeMap<String, Option<String>>) {
    let mut own = BTreeMap::new();
    let mut refs = BTreeMap::new();
    for row in rows {
        if row.str(0) == "g" {
            if cache.global != row.str(2) {
                cache.global = row.text(2);
                cache.tables.clear();
            }
        } else {
            own.insert(row.text(1), row.text(2));
            refs.insert(row.text(1), row.array(3));
        }
    }
    let combined: BTreeMap<String, Option<String>> = own
        .iter()
        .map(|(name, fingerprint)| {
            let mut full = Some(fingerprint.clone());
            for r in &refs[name] {
                match (own.get(r), full.as_mut()) {
                    (Some(f), Some(full)) => full.push_str(&format!(" {r}={f}")),
                    _ => full = None,
                }
            }
            (name.clone(), full)
        })
        .collect();
    cache.tables.retain(|name, _| combined.contains_key(name));
    if cache.tables.is_empty() {
        return (None, combined);
    }
    let stale = combined
        .iter()
        .filter(|(name, fingerprint)| {
            fingerprint.is_none()
                || cache.tables.get(*name).map(|c| &c.fingerprint) != fingerprint.as_ref()
        })
        .map(|(name, _)| name.clone())
        .collect();
    (Some(stale), combined)
}

fn read<D: Driver + ?Sized>(
    conn: &mut D,
    mut cache: Option<&mut RowCache>,
) -> std::result::Result<(Schema, usize), DbError> {
    let mut sent = 0usize;
    let own = format!("ARRAY[{}]::text[]", literal_list(ignored_tables()));
    let mut query = |sql: &str, only: &str| -> std::result::Result<Vec<Row>, DbError> {
        sent += 1;
        let mut rows = Vec::new();
        conn.query_sql(&sql.replace("$1", &own).replace("$2", only), &mut |r| {
            rows.push(Row(r.iter().map(|c| c.map(str::to_string)).collect()))
        })?;
        Ok(rows)
    };
    // The tables whose rows are read again (`None`: every table), and their fingerprints.
    let unchanged = cache
        .as_deref_mut()
        .is_some_and(|c| std::mem::take(&mut c.unchanged));
    let (stale, fingerprints) = match cache.as_deref_mut() {
        // Proven unchanged: every table's rows as they are.
        Some(cache) if unchanged => {
            let fingerprints = (cache.tables.iter())
                .map(|(name, c)| (name.clone(), Some(c.fingerprint.clone())))
                .collect();
            (Some(Vec::new()), Some(fingerprints))
        }
        Some(cache) => {
            let (stale, fingerprints) = stale_tables(cache, &query(FINGERPRINTS_SQL, "")?);
            (stale, Some(fingerprints))
        }
        None => (None, None),
    };
    let only = match &stale {
        None => "NULL::text[]".to_string(),
        Some(names) => format!("ARRAY[{}]::text[]", literal_list(names)),
    };
    if let (Some(cache), Some(fingerprints)) = (cache.as_deref_mut(), &fingerprints) {
        cache.read_again = stale.as_ref().map_or(fingerprints.len(), Vec::len);
    }
    let mut read: [Vec<Row>; 3] = Default::default();
    if stale.as_ref().is_none_or(|names| !names.is_empty()) {
        for (i, sql) in [COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL]
            .into_iter()
            .enumerate()
        {
            read[i] = query(sql, &only)?;
        }
    }
    // Each table's rows: read again, else the cached rows of an unchanged table (kept in
    // `cache`, which holds what was read again too), else none (a table without columns).
    let uncached: Vec<[Vec<Row>; 3]>;
    let rows: [Vec<&Row>; 3] = match (cache, fingerprints) {
        (Some(cache), Some(fingerprints)) => {
            let mut fresh: BTreeMap<String, [Vec<Row>; 3]> = BTreeMap::new();
            for (i, rows) in read.into_iter().enumerate() {
                for row in rows {
                    fresh.entry(row.text(0)).or_default()[i].push(row);
                }
            }
            let mut without_fingerprint = Vec::new();
            for (name, fingerprint) in &fingerprints {
                let reused = !fresh.contains_key(name)
                    && (cache.tables.get(name))
                        .is_some_and(|c| fingerprint.as_ref() == Some(&c.fingerprint));
                if reused {
                    continue;
                }
                let rows = fresh.remove(name).unwrap_or_default();
                match fingerprint {
                    Some(fingerprint) => {
                        let fingerprint = fingerprint.clone();
                        cache
                            .tables
                            .insert(name.clone(), CachedTable { fingerprint, rows });
                    }
                    None => {
                        cache.tables.remove(name);
                        without_fingerprint.push(rows);
                    }
                }
            }
            uncached = without_fingerprint;
            let cached = fingerprints
                .keys()
                .filter_map(|name| cache.tables.get(name));
            let mut all: [Vec<&Row>; 3] = Default::default();
            for rows in cached.map(|c| &c.rows).chain(&uncached) {
                for (i, rows) in rows.iter().enumerate() {
                    all[i].extend(rows);
                }
            }
            all
        }
        _ => {
            uncached = vec![read];
            let [columns, constraints, indexes] = &uncached[0];
            [columns, constraints, indexes].map(|rows| rows.iter().collect())
        }
    };
    let mut query = |sql: &str| query(sql, "");
    let mut schema = Schema::default();
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();

    // 1. Columns of ordinary and partitioned tables.
    for row in &rows[0] {
        let table = row.text(0);
        let identity = row.text(5);
        let generated = row.text(6);
        let mut default = row.opt(4);
        let mut is_identity = matches!(identity.as_str(), "a" | "d");
        // A serial column is an identity column spelled the old way.
        if default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval(") && d.ends_with("::regclass)"))
        {
            is_identity = true;
            default = None;
        }
        if generated == "s" {
            default = default.map(|expr| format!("GENERATED ALWAYS AS ({expr}) STORED"));
        }
        tables
            .entry(table.clone())
            .or_insert_with(|| Table::new(table))
            .columns
            .push(Column {
                name: row.text(1),
                ty: ColumnType::from_postgres(row.str(2)),
                nullable: row.bool(3),
                default: default
                    .map(|d| normalize_expr(&d))
                    .filter(|d| d != "null" && !d.starts_with("null::")),
                identity: is_identity,
            });
    }

    // 2. Primary keys, unique and foreign key constraints.
    for row in &rows[1] {
        let Some(table) = tables.get_mut(row.str(0)) else {
            continue;
        };
        let columns = row.array(2);
        match row.str(1) {
            "p" => {
                table.primary_key = columns;
                table.primary_key_name = row.opt(7);
            }
            "u" => table.indexes.push(Index {
                name: None,
                columns,
                unique: true,
                predicate: None,
                constraint_name: row.opt(7),
                ..Index::default()
            }),
            "c" => {
                let def = row.text(8);
                let expr = def.strip_prefix("CHECK ").unwrap_or(&def);
                let expr = expr.strip_suffix(" NOT VALID").unwrap_or(expr);
                table.checks.push(Check {
                    name: row.opt(7),
                    expr: normalize_expr(expr),
                });
            }
            _ => table.foreign_keys.push(ForeignKey {
                name: row.opt(7),
                columns,
                ref_table: row.text(3),
                ref_columns: row.array(4),
                on_delete: fk_action(row.str(5)),
                on_update: fk_action(row.str(6)),
            }),
        }
    }

    // 3. Indexes that do not back a constraint. An invalid one (what a failed or killed
    // `CREATE INDEX CONCURRENTLY` leaves) is no index for queries nor for uniqueness: it is
    // left out, so the drift check reports the index as missing, and a warning says why.
    for row in &rows[2] {
        if !row.bool(5) {
            log::warn!(
                "index {} on {} is invalid (a CREATE INDEX CONCURRENTLY failed or was killed): \
                 it serves no query and enforces nothing; drop it (`DROP INDEX CONCURRENTLY`) \
                 and create it again",
                row.str(1),
                row.str(0)
            );
            continue;
        }
        if let Some(table) = tables.get_mut(row.str(0)) {
            table.indexes.push(Index {
                name: row.opt(1),
                unique: row.bool(2),
                columns: index_entries(row.str(6), &row.array(3)),
                predicate: row.opt(4).map(|p| normalize_expr(&p)),
                constraint_name: None,
                method: Some(row.text(7)).filter(|m| m != "btree"),
                include: row.array(8).iter().map(|c| unquote(c)).collect(),
            });
        }
    }
    for t in tables.values_mut() {
        t.indexes.sort();
        t.foreign_keys.sort();
        t.checks.sort();
    }
    schema.tables = tables;

    // 4. Views and materialized views as PostgreSQL deparses them, enum types with their
    // labels in order (one row per label), and the database's extensions; what an extension
    // owns is the extension's.
    for row in query(
        "SELECT 'v', c.relname::text, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid), NULL::real,
                pg_catalog.current_schema()::text
         FROM pg_catalog.pg_class c
         WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace AND c.relkind IN ('v', 'm')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
         UNION ALL
         SELECT 'e', t.typname::text, NULL, e.enumlabel::text, e.enumsortorder, NULL
         FROM pg_catalog.pg_type t
         JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
         WHERE t.typnamespace = pg_catalog.current_schema()::regnamespace
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
         UNION ALL
         SELECT 'q', c.relname::text, s.seqcycle,
                concat_ws(' ', s.seqstart, s.seqincrement, s.seqmin, s.seqmax), NULL, NULL
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
         WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace AND c.relkind = 'S'
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                             AND d.deptype IN ('a', 'i', 'e'))
         UNION ALL
         SELECT 'p', c.relname::text, c.relispartition,
                CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid)
                     ELSE pg_catalog.pg_get_partkeydef(c.oid) END,
                NULL,
                (SELECT p.relname::text FROM pg_catalog.pg_inherits i
                 JOIN pg_catalog.pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid)
         FROM pg_catalog.pg_class c
         WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace
           AND (c.relkind = 'p' OR c.relispartition) AND c.relkind IN ('r', 'p')
         UNION ALL
         SELECT 'x', x.extname::text, NULL, x.extversion, NULL, NULL
         FROM pg_catalog.pg_extension x WHERE x.extname <> 'plpgsql'
         UNION ALL
         SELECT 'f', CASE WHEN count(*) OVER (PARTITION BY p.proname) > 1
                          THEN p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
                          ELSE p.proname::text END,
                NULL, pg_catalog.pg_get_functiondef(p.oid), NULL, pg_catalog.current_schema()::text
         FROM pg_catalog.pg_proc p
         WHERE p.pronamespace = pg_catalog.current_schema()::regnamespace AND p.prokind IN ('f', 'p')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
         UNION ALL
         SELECT 'f', p.proname::text, NULL,
                'CREATE AGGREGATE ' || pg_catalog.quote_ident(p.proname) || '('
                  || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') (SFUNC = '
                  || a.aggtransfn::regproc::text || ', STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL)
                  || CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::regproc::text ELSE '' END
                  || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || pg_catalog.quote_literal(a.agginitval) ELSE '' END
                  || ')',
                NULL, pg_catalog.current_schema()::text
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
         WHERE p.pronamespace = pg_catalog.current_schema()::regnamespace AND p.prokind = 'a'
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
         ORDER BY 1, 2, 5",
    )? {
        let name = row.text(1);
        if row.str(0) == "p" {
            // A partition's columns, keys and indexes are its partitioned table's: only where
            // it belongs is its own.
            // (A partition partitioned again is read as a partition.)
            if let Some(t) = schema.tables.get_mut(&name) {
                if row.bool(2) {
                    *t = Table::partition(name.clone(), row.text(5), row.text(3));
                } else {
                    t.partition_by = row.opt(3);
                }
            }
        } else if row.str(0) == "q" {
            let n: Vec<i64> = row.str(3).split(' ').filter_map(|v| v.parse().ok()).collect();
            if let [start, increment, min, max] = n[..] {
                let mut q = Sequence::new(name.clone()).increment(increment).start(start);
                (q.min, q.max) = (Some(min), Some(max));
                q.cycle = row.bool(2);
                schema.sequences.insert(name, q);
            }
        } else if row.str(0) == "x" {
            let x = Extension::new(name.clone()).version(row.text(3));
            schema.extensions.insert(name, x);
        } else if row.str(0) == "f" {
            let f = Function::new(name.clone(), deparsed(row.str(3), row.str(5)));
            schema.functions.insert(name, f);
        } else if row.str(0) == "v" {
            let mut view = View::new(name.clone(), deparsed(row.str(3), row.str(5)));
            view.materialized = row.bool(2);
            schema.views.insert(name, view);
        } else {
            schema
                .enums
                .entry(name.clone())
                .or_insert_with(|| EnumType::new(name, Vec::<String>::new()))
                .labels
                .push(row.text(3));
        }
    }

    // 5. Triggers, keyed `table.name`: PostgreSQL names a trigger per table, and a schema often
    // has one `last_updated` on each of many tables.
    for row in query(
        "SELECT c.relname::text, tg.tgname::text, pg_get_triggerdef(tg.oid, true), current_schema()::text
         FROM pg_catalog.pg_trigger tg
         JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND NOT tg.tgisinternal",
    )? {
        let t = Trigger::new(row.text(0), row.text(1), deparsed(row.str(2), row.str(3)));
        schema.triggers.insert(t.key(), t);
    }

    // 6. Domains, with their checks as PostgreSQL deparses them.
    for row in query(
        "SELECT t.typname::text, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
                pg_catalog.pg_get_expr(t.typdefaultbin, 0),
                ARRAY(SELECT c.conname::text FROM pg_catalog.pg_constraint c
                      WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname),
                ARRAY(SELECT pg_catalog.pg_get_constraintdef(c.oid, true) FROM pg_catalog.pg_constraint c
                      WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)
         FROM pg_catalog.pg_type t
         WHERE t.typtype = 'd' AND t.typnamespace = pg_catalog.current_schema()::regnamespace
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')",
    )? {
        let mut d = Domain::new(row.text(0), ColumnType::from_postgres(row.str(1)));
        d.not_null = row.bool(2);
        d.default = row.opt(3).map(|x| normalize_expr(&x));
        for (name, def) in row.array(4).into_iter().zip(row.array(5)) {
            let expr = def.strip_prefix("CHECK ").unwrap_or(&def);
            d.checks.push(Check {
                name: Some(name),
                expr: normalize_expr(expr),
            });
        }
        schema.domains.insert(d.name.clone(), d);
    }
    Ok((schema, sent))
}

/// A definition as PostgreSQL deparses it, with the qualifiers of the current schema and of
/// the temporary one dropped: the same text for the live schema (`public.touch()`) and for the
/// models built in the session's temporary schema (`pg_temp.touch()`).
fn deparsed(text: &str, schema: &str) -> String {
    let text = unqualify(text, "pg_temp");
    let text = if schema.is_empty() {
        text
    } else {
        unqualify(&text, schema)
    };
    text.trim_end().to_string()
}

/// 1. Columns of ordinary and partitioned tables (`$2`: only these tables, or NULL: all).
const COLUMNS_SQL: &str =
    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
        pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
 FROM pg_catalog.pg_class c
 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> ALL($1)
   AND ($2 IS NULL OR c.relname = ANY($2))
 ORDER BY c.relname, a.attnum";

/// 2. Primary keys, unique, foreign key and check constraints.
const CONSTRAINTS_SQL: &str = "SELECT c.relname, con.contype::text,
        ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
              ORDER BY k.ord),
        rc.relname,
        ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
              ORDER BY k.ord),
        con.confdeltype::text, con.confupdtype::text,
        con.conname::text, CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid, true) END
 FROM pg_catalog.pg_constraint con
 JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
 WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f', 'c') AND c.relname <> ALL($1)
   AND ($2 IS NULL OR c.relname = ANY($2))
 ORDER BY c.relname, con.conname";

/// 3. Indexes that do not back a constraint.
const INDEXES_SQL: &str = "SELECT t.relname, i.relname, ix.indisunique,
        ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true)
              FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k),
        pg_get_expr(ix.indpred, ix.indrelid, true), ix.indisvalid,
        pg_get_indexdef(ix.indexrelid, 0, true), am.amname,
        ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true)
              FROM generate_series(ix.indnkeyatts + 1, ix.indnatts) AS k ORDER BY k)
 FROM pg_catalog.pg_index ix
 JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
 JOIN pg_catalog.pg_am am ON am.oid = i.relam
 JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
 JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname = current_schema() AND t.relname <> ALL($1)
   AND ($2 IS NULL OR t.relname = ANY($2))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x'))
 ORDER BY t.relname, i.relname";
