//! What SQLite's catalog (its pragmas and `sqlite_master`) says, read into a [`Table`]: the same
//! code reads a live database and the prediction.

use super::scan::{checks_of, index_entries, partial_predicate};
use crate::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};
use crate::sql::normalize_expr;
use std::collections::HashMap;

/// A default as SQLite stores it in a column of the `declared` type: a quoted number (`'5'`)
/// in a column of INTEGER, REAL or NUMERIC affinity is stored as that number, so it is the
/// number (`5`); anything else as it is.
pub(crate) fn numeric_default(declared: &str, default: &str) -> String {
    let numeric_affinity = {
        // SQLite's affinity rules, in their order (https://sqlite.org/datatype3.html, 3.1).
        let t = declared.to_ascii_uppercase();
        let text = ["CHAR", "CLOB", "TEXT"].iter().any(|w| t.contains(w));
        let blob = t.contains("BLOB") || t.trim().is_empty();
        // INTEGER first; then TEXT and BLOB; anything else is REAL or NUMERIC.
        t.contains("INT") || !(text || blob)
    };
    let Some(inner) = default
        .strip_prefix('\'')
        .and_then(|d| d.strip_suffix('\''))
    else {
        return default.to_string();
    };
    let digits = inner.strip_prefix('-').unwrap_or(inner);
    let integer = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    let decimal = digits.split_once('.').is_some_and(|(i, f)| {
        !i.is_empty()
            && !f.is_empty()
            && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
            && (i == "0" || !i.starts_with('0'))
            && !f.ends_with('0')
    });
    if numeric_affinity && (integer || decimal) && inner != "-0" {
        inner.to_string()
    } else {
        default.to_string()
    }
}

/// Whether a `CREATE TABLE` says `AUTOINCREMENT` (as a keyword, not in a string, a quoted name
/// or a comment).
fn has_autoincrement(create_sql: &str) -> bool {
    crate::sql::blank_out(create_sql, crate::Dialect::Sqlite)
        .to_ascii_uppercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w == "AUTOINCREMENT")
}

/// Column rows: name, declared type, NOT NULL, default, primary key position.
pub(crate) type ColumnRow = (String, String, bool, Option<String>, i64);
/// Foreign key rows: id, referenced table, from, to, ON UPDATE, ON DELETE.
pub(crate) type ForeignKeyRow = (i64, String, String, Option<String>, String, String);

/// What the catalog says about every table, read in four queries whatever the number of
/// tables (SQLite's pragma functions joined with `sqlite_master`).
#[derive(Default)]
pub(crate) struct Catalog {
    pub(crate) columns: HashMap<String, Vec<ColumnRow>>,
    /// Per table: index name, unique, origin (`c` created, `u` unique constraint, `pk`).
    pub(crate) indexes: HashMap<String, Vec<(String, bool, String)>>,
    /// Per index: its key columns in order (`None` for an expression).
    pub(crate) index_columns: HashMap<String, Vec<Option<String>>>,
    pub(crate) foreign_keys: HashMap<String, Vec<ForeignKeyRow>>,
}

/// The table `name` as the catalog describes it (`create_sql`: its `CREATE TABLE`;
/// `index_sql`: every index's `CREATE INDEX`, by name).
pub(crate) fn table(
    name: &str,
    create_sql: &str,
    catalog: &Catalog,
    index_sql: &HashMap<&str, Option<&str>>,
) -> Table {
    let mut t = Table::new(name);
    let mut pk: Vec<(i64, String)> = Vec::new();
    // Columns declared exactly `INTEGER`: the only type whose primary key is the rowid.
    let mut integer_columns: Vec<String> = Vec::new();
    for (col_name, declared, not_null, default, pk_pos) in
        catalog.columns.get(name).into_iter().flatten()
    {
        if *pk_pos > 0 {
            pk.push((*pk_pos, col_name.clone()));
        }
        if declared.trim().eq_ignore_ascii_case("INTEGER") {
            integer_columns.push(col_name.clone());
        }
        t.columns.push(Column {
            name: col_name.clone(),
            ty: ColumnType::from_sqlite(declared),
            nullable: !not_null,
            default: default
                .as_deref()
                .map(|d| numeric_default(declared, &normalize_expr(d)))
                .filter(|d| d != "null"),
            identity: false,
        });
    }
    pk.sort();
    t.primary_key = pk.into_iter().map(|(_, n)| n).collect();
    // A single-column `INTEGER` primary key is the rowid (never NULL). It is an identity only
    // with `AUTOINCREMENT` (the one column that may have it): then SQLite never hands out an
    // id again, where a plain rowid reuses the highest after a delete.
    if let [only] = t.primary_key.as_slice() {
        if let Some(c) = t.columns.iter_mut().find(|c| &c.name == only) {
            if integer_columns.contains(&c.name) {
                c.identity = has_autoincrement(create_sql);
                c.nullable = false;
            }
        }
    }

    for (index_name, unique, origin) in catalog.indexes.get(name).into_iter().flatten() {
        if origin == "pk" {
            continue; // the primary key is recorded on the table
        }
        let columns: Vec<String> = catalog
            .index_columns
            .get(index_name)
            .into_iter()
            .flatten()
            .map(|c| c.clone().unwrap_or_else(|| "<expression>".into()))
            .collect();
        let sql = index_sql.get(index_name.as_str()).copied().flatten();
        let predicate = sql.and_then(partial_predicate);
        let columns = match sql {
            Some(sql) => index_entries(columns, sql),
            None => columns,
        };
        t.indexes.push(Index {
            name: (origin == "c").then(|| index_name.clone()),
            columns,
            unique: *unique,
            predicate,
            constraint_name: None,
            ..Index::default()
        });
    }
    t.indexes.sort();

    let mut current: Option<(i64, ForeignKey)> = None;
    for (id, ref_table, from, to, on_update, on_delete) in
        catalog.foreign_keys.get(name).into_iter().flatten()
    {
        if current.as_ref().is_none_or(|(cid, _)| cid != id) {
            if let Some((_, fk)) = current.take() {
                t.foreign_keys.push(fk);
            }
            current = Some((
                *id,
                ForeignKey {
                    ref_table: ref_table.clone(),
                    on_update: Action::parse(on_update),
                    on_delete: Action::parse(on_delete),
                    ..ForeignKey::default()
                },
            ));
        }
        let fk = &mut current.as_mut().expect("set above").1;
        fk.columns.push(from.clone());
        fk.ref_columns.push(to.clone().unwrap_or_default());
    }
    if let Some((_, fk)) = current {
        t.foreign_keys.push(fk);
    }
    t.checks = checks_of(create_sql);
    t.checks.sort();
    t
}

/// Foreign keys as SQLite resolves them against the schema's tables: `REFERENCES users` without
/// columns means the referenced table's primary key, and referenced tables and columns are
/// spelled as declared (SQLite names are case-insensitive).
pub(crate) fn resolve_references(schema: &mut Schema) {
    let pks: std::collections::BTreeMap<String, Vec<String>> = schema
        .tables
        .values()
        .map(|t| (t.name.clone(), t.primary_key.clone()))
        .collect();
    let columns: std::collections::BTreeMap<String, Vec<String>> = schema
        .tables
        .values()
        .map(|t| {
            (
                t.name.clone(),
                t.columns.iter().map(|c| c.name.clone()).collect(),
            )
        })
        .collect();
    // The first of the names equal but for case, as the table order gives it.
    let mut by_lower: HashMap<String, &String> = HashMap::with_capacity(columns.len());
    for name in columns.keys() {
        by_lower.entry(name.to_ascii_lowercase()).or_insert(name);
    }
    for t in schema.tables.values_mut() {
        for fk in &mut t.foreign_keys {
            if let Some(real) = by_lower.get(&fk.ref_table.to_ascii_lowercase()) {
                fk.ref_table = (*real).clone();
            }
            if fk.ref_columns.iter().all(String::is_empty) {
                fk.ref_columns = pks.get(&fk.ref_table).cloned().unwrap_or_default();
            }
            if let Some(cols) = columns.get(&fk.ref_table) {
                for rc in &mut fk.ref_columns {
                    if let Some(real) = cols.iter().find(|c| c.eq_ignore_ascii_case(rc)) {
                        *rc = real.clone();
                    }
                }
            }
        }
        t.foreign_keys.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::numeric_default;

    #[test]
    fn a_quoted_number_is_the_number_where_sqlite_stores_a_number() {
        for (declared, default, want) in [
            ("INTEGER", "'5'", "5"),
            ("BIGINT", "'-12'", "-12"),
            ("REAL", "'1.5'", "1.5"),
            ("NUMERIC(10,2)", "'0'", "0"),
            ("DOUBLE PRECISION", "'0.25'", "0.25"),
            // Not the same value, or not stored as a number.
            ("INTEGER", "'05'", "'05'"),
            ("INTEGER", "'1.50'", "'1.50'"),
            ("INTEGER", "'five'", "'five'"),
            ("INTEGER", "'-0'", "'-0'"),
            ("TEXT", "'5'", "'5'"),
            ("VARCHAR(10)", "'5'", "'5'"),
            ("BLOB", "'5'", "'5'"),
            ("", "'5'", "'5'"),
            ("INTEGER", "5", "5"),
        ] {
            assert_eq!(
                numeric_default(declared, default),
                want,
                "{declared} {default}"
            );
        }
    }
}
