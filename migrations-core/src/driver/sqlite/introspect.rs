//! Reading a SQLite database's schema: four catalog queries, read by [`crate::dialect::sqlite`].

use crate::bookkeeping::ignored_tables;
use crate::dialect::sqlite::catalog::{resolve_references, table, Catalog};
use crate::driver::SchemaCache;
use crate::schema::Schema;
use crate::sql::literal_list;
use rusqlite::Connection;
use std::collections::HashMap;

/// Reads tables, columns, primary keys, indexes, foreign keys, checks, views and triggers.
pub fn introspect(conn: &Connection) -> rusqlite::Result<Schema> {
    introspect_with(conn, &mut SchemaCache::default())
}

/// [`introspect`], reading only the tables whose SQL (or whose indexes' SQL) is not in `cache`.
pub fn introspect_with(conn: &Connection, cache: &mut SchemaCache) -> rusqlite::Result<Schema> {
    let mut schema = Schema::default();
    let mut objects = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND type IN ('table', 'view', 'trigger', 'index') ORDER BY name",
    )?;
    let rows: Vec<(String, String, String, Option<String>)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // A table is determined by its SQL and its indexes' SQL.
    let mut index_sql: HashMap<&str, String> = HashMap::new();
    for (kind, name, tbl, sql) in &rows {
        if kind == "index" {
            let entry = index_sql.entry(tbl.as_str()).or_default();
            entry.push_str(name);
            entry.push('\u{1}');
            entry.push_str(sql.as_deref().unwrap_or(""));
            entry.push('\u{1}');
        }
    }
    let index_sql_of: HashMap<&str, Option<&str>> = rows
        .iter()
        .filter(|(kind, ..)| kind == "index")
        .map(|(_, name, _, sql)| (name.as_str(), sql.as_deref()))
        .collect();
    // A table is read from the catalog only when its SQL is not in `cache`, and the catalog is
    // read only for those tables. Each table's key: its name, its SQL and its indexes' SQL.
    let keys: Vec<Option<String>> = rows
        .iter()
        .map(|(kind, name, _, sql)| {
            (kind == "table" && !ignored_tables().any(|t| t == name)).then(|| {
                format!(
                    "{name}\u{0}{}\u{0}{}",
                    sql.as_deref().unwrap_or_default(),
                    index_sql.get(name.as_str()).map_or("", String::as_str)
                )
            })
        })
        .collect();
    let missing: Vec<&str> = (rows.iter().zip(&keys))
        .filter(|(_, key)| key.as_ref().is_some_and(|k| !cache.tables.contains_key(k)))
        .map(|((_, name, ..), _)| name.as_str())
        .collect();
    let catalog = match missing.len() {
        0 => Catalog::default(),
        n if n == keys.iter().flatten().count() => read_catalog(conn, None)?,
        _ => read_catalog(conn, Some(&missing))?,
    };
    for ((kind, name, tbl, sql), key) in rows.iter().zip(keys) {
        let sql = sql.clone().unwrap_or_default();
        let name = name.clone();
        match (kind.as_str(), key) {
            ("table", Some(key)) => {
                let t = match cache.tables.get(&key) {
                    Some(t) => t.clone(),
                    None => {
                        let t = table(&name, &sql, &catalog, &index_sql_of);
                        cache.tables.insert(key, t.clone());
                        t
                    }
                };
                schema.tables.insert(name, t);
            }
            ("view", _) => {
                let view = crate::dialect::sqlite::scan::view(&name, &sql);
                schema.views.insert(name, view);
            }
            ("trigger", _) => {
                let trigger = crate::schema::Trigger::new(tbl.clone(), name, sql);
                schema.triggers.insert(trigger.key(), trigger);
            }
            _ => {}
        }
    }
    resolve_references(&mut schema);
    Ok(schema)
}

/// The catalog of every table, or of the tables `only` names.
fn read_catalog(conn: &Connection, only: Option<&[&str]>) -> rusqlite::Result<Catalog> {
    let tables = match only {
        None => "m.type = 'table'".to_string(),
        Some(names) => format!("m.type = 'table' AND m.name IN ({})", literal_list(names)),
    };
    let mut c = Catalog::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk \
         FROM sqlite_master AS m, pragma_table_info(m.name) AS p \
         WHERE {tables} ORDER BY m.name, p.cid"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        c.columns.entry(r.get(0)?).or_default().push((
            r.get(1)?,
            r.get(2)?,
            r.get::<_, i64>(3)? != 0,
            r.get(4)?,
            r.get(5)?,
        ));
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, il.name, il.\"unique\", il.origin \
         FROM sqlite_master AS m, pragma_index_list(m.name) AS il WHERE {tables}"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        c.indexes.entry(r.get(0)?).or_default().push((
            r.get(1)?,
            r.get::<_, i64>(2)? != 0,
            r.get(3)?,
        ));
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT il.name, ii.name \
         FROM sqlite_master AS m, pragma_index_list(m.name) AS il, pragma_index_xinfo(il.name) AS ii \
         WHERE {tables} AND ii.key = 1 ORDER BY il.name, ii.seqno"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        c.index_columns
            .entry(r.get(0)?)
            .or_default()
            .push(r.get(1)?);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, fk.id, fk.\"table\", fk.\"from\", fk.\"to\", fk.on_update, fk.on_delete \
         FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS fk \
         WHERE {tables} ORDER BY m.name, fk.id, fk.seq"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        c.foreign_keys.entry(r.get(0)?).or_default().push((
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ));
    }
    Ok(c)
}
