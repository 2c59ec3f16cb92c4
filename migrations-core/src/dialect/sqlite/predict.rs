//! The models' schema as SQLite would build it, predicted without a database.

use super::catalog::{resolve_references, table, Catalog};
use crate::bookkeeping::OWN_TABLES;
use crate::dialect::Dialect;
use crate::schema::{ColumnType, Schema, Table};
use crate::sql::entry;
use std::collections::HashMap;

/// The models as SQLite builds them, without building them: what [`Driver::introspect`](crate::Driver::introspect) reads back
/// from a database made by [`render::schema_ddl`](crate::render::schema_ddl) of `models`,
/// computed from the DDL this crate renders and what SQLite's catalog reports for it (its
/// pragmas give the declared words back), then read by the same code as a live database.
///
/// `None` where the outcome rests on SQLite's own resolution or on an error SQLite would raise
/// (names equal but for case, a unique constraint SQLite merges into another, an index entry
/// that is a column in disguise, a type name that is not plain words, a reserved name): build
/// those in a scratch database ([`Driver::introspect_scratch`](crate::Driver::introspect_scratch)). The fixed-point suite holds
/// this equal to the scratch database for every model it builds.
///
/// ```
/// use migrations_core::dialect::sqlite::as_built;
/// use migrations_core::schema::{Column, ColumnType, Schema, Table};
///
/// let models = Schema::new().table(
///     Table::new("todos")
///         .column(Column::new("id", ColumnType::BigInt).identity())
///         .column(Column::new("title", ColumnType::Varchar(255)).not_null())
///         .primary_key(["id"]),
/// );
/// let built = as_built(&models).expect("plain models");
/// // SQLite's rowid: `INTEGER PRIMARY KEY AUTOINCREMENT`.
/// assert_eq!(built.tables["todos"].columns[0].ty, ColumnType::Integer);
/// ```
pub fn as_built(models: &Schema) -> Option<Schema> {
    use crate::render;
    let mut catalog = Catalog::default();
    let mut index_sql: HashMap<String, Option<String>> = HashMap::new();
    let mut creates: Vec<(&str, String)> = Vec::new();
    // Tables and indexes share one namespace, without regard to case.
    let mut names = std::collections::HashSet::new();
    let mut claim = |name: &str| {
        let lower = name.to_ascii_lowercase();
        !lower.starts_with("sqlite_")
            && !OWN_TABLES.iter().any(|o| o.eq_ignore_ascii_case(name))
            && names.insert(lower)
    };
    // SQLite has no partitions: a partitioned table is a plain one, its partitions are not built.
    for (key, t) in models
        .tables
        .iter()
        .filter(|(_, t)| t.partition_of.is_none())
    {
        if *key != t.name || t.columns.is_empty() || !claim(&t.name) {
            return None;
        }
        let mut seen = std::collections::HashSet::new();
        if !t
            .columns
            .iter()
            .all(|c| seen.insert(c.name.to_ascii_lowercase()))
        {
            return None;
        }
        // A name SQLite would match without regard to case is left to SQLite.
        let column = |name: &str| -> Option<String> {
            let c = t
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))?;
            (c.name == name).then(|| c.name.clone())
        };
        let inline = render::sqlite_inline_pk(t).map(|c| c.name.as_str());
        let mut pk = Vec::new();
        for name in &t.primary_key {
            if pk.contains(&column(name)?) {
                return None;
            }
            pk.push(column(name)?);
        }
        let mut rows = Vec::new();
        for c in &t.columns {
            let pk_pos = pk.iter().position(|p| *p == c.name).map_or(0, |i| i + 1) as i64;
            if inline == Some(c.name.as_str()) {
                rows.push((c.name.clone(), "INTEGER".to_string(), false, None, pk_pos));
                continue;
            }
            let declared = c.ty.sql(Dialect::Sqlite);
            if matches!(c.ty, ColumnType::Raw(_)) && !plain_type_name(&declared) {
                return None;
            }
            // SQLite keeps a default's text: a literal as written, and of `DEFAULT (expr)`
            // what is inside the parentheses (render wraps every other expression in them).
            let default = c.default.as_deref().map(|d| {
                let d = d.trim();
                match d.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
                    Some(inner) if render::is_simple_default(d) => inner.to_string(),
                    _ => d.to_string(),
                }
            });
            rows.push((c.name.clone(), declared, !c.nullable, default, pk_pos));
        }
        let rowid = matches!(pk.as_slice(), [only] if rows.iter().any(|r| r.0 == *only && r.1.trim().eq_ignore_ascii_case("INTEGER")));
        let mut indexes = Vec::new();
        let mut keys: Vec<Vec<String>> = Vec::new();
        if !rowid && !pk.is_empty() {
            keys.push(pk.clone());
        }
        for (n, i) in t.indexes.iter().enumerate() {
            let entry = match &i.name {
                // A unique constraint: SQLite merges one over the same columns as the primary
                // key or as another into that one.
                None => {
                    let cols = i
                        .columns
                        .iter()
                        .map(|c| column(c))
                        .collect::<Option<Vec<_>>>()?;
                    if cols.is_empty() || keys.contains(&cols) {
                        return None;
                    }
                    keys.push(cols.clone());
                    let id = format!("\u{0}{}\u{0}{n}", t.name);
                    index_sql.insert(id.clone(), None);
                    catalog
                        .index_columns
                        .insert(id.clone(), cols.into_iter().map(Some).collect());
                    (id, true, "u".to_string())
                }
                Some(name) => {
                    if i.columns.is_empty() || !claim(name) {
                        return None;
                    }
                    let mut cols = Vec::new();
                    for entry in &i.columns {
                        let parsed = entry::parse(entry, Dialect::Sqlite);
                        if t.get_column(entry).is_some() {
                            cols.push(Some(entry.clone()));
                        } else if parsed.nulls.is_some() {
                            // SQLite refuses `NULLS FIRST|LAST` in an index: the scratch
                            // build says so, naming the statement.
                            return None;
                        } else if t.get_column(parsed.target).is_some() {
                            cols.push(Some(parsed.target.to_string()));
                        } else if disguised_column(t, parsed.target) {
                            return None;
                        } else {
                            cols.push(None);
                        }
                    }
                    index_sql.insert(
                        name.clone(),
                        Some(render::create_index(Dialect::Sqlite, t, i)),
                    );
                    catalog.index_columns.insert(name.clone(), cols);
                    (name.clone(), i.unique, "c".to_string())
                }
            };
            indexes.push(entry);
        }
        let mut fks = Vec::new();
        for (id, fk) in t.foreign_keys.iter().enumerate() {
            if fk.columns.is_empty() || fk.columns.len() != fk.ref_columns.len() {
                return None;
            }
            for (from, to) in fk.columns.iter().zip(&fk.ref_columns) {
                fks.push((
                    id as i64,
                    fk.ref_table.clone(),
                    column(from)?,
                    Some(to.clone()),
                    fk.on_update.sql().to_string(),
                    fk.on_delete.sql().to_string(),
                ));
            }
        }
        catalog.columns.insert(t.name.clone(), rows);
        catalog.indexes.insert(t.name.clone(), indexes);
        catalog.foreign_keys.insert(t.name.clone(), fks);
        let (create, _) = render::create_table_parts(Dialect::Sqlite, t, false);
        creates.push((t.name.as_str(), create.into_iter().next()?));
    }
    let index_sql_of: HashMap<&str, Option<&str>> = index_sql
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref()))
        .collect();
    let mut schema = Schema::default();
    for (name, create) in creates {
        schema.tables.insert(
            name.to_string(),
            table(name, &create, &catalog, &index_sql_of),
        );
    }
    resolve_references(&mut schema);
    // Views as written (compared in one spelling, `View::key`); SQLite has no materialized
    // views and no enum types.
    for (key, v) in &models.views {
        if *key != v.name || !claim(&v.name) {
            return None;
        }
        let mut v = v.clone();
        v.materialized = false;
        schema.views.insert(key.clone(), v);
    }
    // Triggers as written (compared in one spelling); SQLite has no functions.
    schema.triggers = models.triggers_for(Dialect::Sqlite);
    Some(schema)
}

/// Whether SQLite takes `declared` as written: known type words, then at most `(n)` or
/// `(n, m)`.
fn plain_type_name(declared: &str) -> bool {
    let (words, size) = match declared.split_once('(') {
        Some((w, rest)) => (w, Some(rest)),
        None => (declared, None),
    };
    let size_ok = size.is_none_or(|rest| {
        rest.strip_suffix(')').is_some_and(|inner| {
            let parts: Vec<&str> = inner.split(',').collect();
            parts.len() <= 2 && parts.iter().all(|p| p.trim().parse::<u32>().is_ok())
        })
    });
    // Words SQLite takes in a type name (its own and other databases' type words): anything
    // else might be a keyword that ends the type or that SQLite refuses there.
    const TYPE_WORDS: [&str; 44] = [
        "BIG",
        "BIGINT",
        "BINARY",
        "BLOB",
        "BOOL",
        "BOOLEAN",
        "BYTEA",
        "CHAR",
        "CHARACTER",
        "CLOB",
        "DATE",
        "DATETIME",
        "DEC",
        "DECIMAL",
        "DOUBLE",
        "FLOAT",
        "INT",
        "INT2",
        "INT4",
        "INT8",
        "INTEGER",
        "JSON",
        "JSONB",
        "MEDIUMINT",
        "MONEY",
        "NATIVE",
        "NCHAR",
        "NUMBER",
        "NUMERIC",
        "NVARCHAR",
        "PRECISION",
        "REAL",
        "SERIAL",
        "SMALLINT",
        "STRING",
        "TEXT",
        "TIME",
        "TIMESTAMP",
        "TIMESTAMPTZ",
        "TINYINT",
        "UNSIGNED",
        "UUID",
        "VARCHAR",
        "VARYING",
    ];
    let words: Vec<&str> = words.split_whitespace().collect();
    size_ok
        && !words.is_empty()
        && words
            .iter()
            .all(|w| TYPE_WORDS.iter().any(|k| k.eq_ignore_ascii_case(w)))
}

/// Whether an index entry that is not one of the table's column names still indexes a column
/// for SQLite: a name in another case, in parentheses or quotes, with a collation or an order.
fn disguised_column(t: &Table, entry: &str) -> bool {
    let mut e = entry.trim();
    while let Some(inner) = e.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        e = inner.trim();
    }
    let upper = e.to_ascii_uppercase();
    if upper.contains("COLLATE") || upper.ends_with(" ASC") || upper.ends_with(" DESC") {
        return true;
    }
    // SQLite takes a lone string in an index list for a column name too.
    let unquoted = e
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .unwrap_or_else(|| super::scan::unquote(e));
    t.columns
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(unquoted) || c.name.eq_ignore_ascii_case(e))
        || (!e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

#[cfg(test)]
mod prediction_tests {
    use super::as_built;
    use crate::schema::{Column, ColumnType, Index, Schema, Table};

    /// What SQLite resolves by itself, or refuses, is not predicted (cases found in review; the
    /// fixed-point suite's random models cover the rest).
    #[test]
    fn what_sqlite_resolves_or_refuses_is_not_predicted() {
        let t = || {
            Table::new("t")
                .column(Column::new("a", ColumnType::Integer))
                .column(Column::new("b", ColumnType::Text))
        };
        let cases: Vec<(&str, Schema)> = vec![
            (
                "a string index entry (a column for SQLite)",
                Schema::new().table(t().index(Index::new("i", ["'b'"]))),
            ),
            (
                "a keyword as a type",
                Schema::new().table(
                    Table::new("t").column(Column::new("a", ColumnType::Raw("TABLE".into()))),
                ),
            ),
            (
                "a type with a constraint in it",
                Schema::new().table(
                    Table::new("t")
                        .column(Column::new("a", ColumnType::Raw("TEXT NOT NULL".into()))),
                ),
            ),
            (
                "a reserved name",
                Schema::new()
                    .table(Table::new("sqlite_t").column(Column::new("a", ColumnType::Integer))),
            ),
            (
                "names equal but for case",
                Schema::new()
                    .table(t())
                    .table(Table::new("T").column(Column::new("a", ColumnType::Integer))),
            ),
        ];
        for (what, models) in cases {
            assert!(as_built(&models).is_none(), "{what} was predicted");
        }
        // A plain raw type is.
        let raw = Schema::new().table(
            Table::new("t").column(Column::new("a", ColumnType::Raw("unsigned big int".into()))),
        );
        assert!(as_built(&raw).is_some());
    }
}
