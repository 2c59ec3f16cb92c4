//! The app's own queries.

use migrations_core::database::Database;
use migrations_core::{Error, Result};
use std::io::Write;

fn db_err(context: &str) -> impl FnOnce(rusqlite::Error) -> Error + '_ {
    move |source| Error::Sqlite {
        context: context.to_string(),
        source,
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        context: "writing output".into(),
        source: e,
    }
}

fn sqlite(db: &mut Database) -> &mut rusqlite::Connection {
    match db {
        Database::Sqlite(c) => c,
    }
}

/// Adds a todo and prints its id.
pub fn add(
    db: &mut Database,
    title: &str,
    description: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let conn = sqlite(db);
    conn.execute(
        "INSERT INTO todos (title, description) VALUES (?1, ?2)",
        rusqlite::params![title, description],
    )
    .map_err(db_err("adding a todo"))?;
    writeln!(out, "added #{}: {title}", conn.last_insert_rowid()).map_err(io)
}

/// Prints the todos, oldest first.
pub fn list(db: &mut Database, all: bool, out: &mut dyn Write) -> Result<()> {
    let conn = sqlite(db);
    let sql = if all {
        "SELECT id, title, is_completed, deleted_at IS NOT NULL FROM todos ORDER BY id"
    } else {
        "SELECT id, title, is_completed, deleted_at IS NOT NULL FROM todos WHERE deleted_at IS NULL ORDER BY id"
    };
    let mut stmt = conn.prepare(sql).map_err(db_err("listing todos"))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db_err("listing todos"))?;
    if rows.is_empty() {
        writeln!(out, "no todos").map_err(io)?;
    }
    for (id, title, done, deleted) in rows {
        let mark = if done { "x" } else { " " };
        let gone = if deleted { " (deleted)" } else { "" };
        writeln!(out, "[{mark}] #{id} {title}{gone}").map_err(io)?;
    }
    Ok(())
}

/// Marks a todo done.
pub fn done(db: &mut Database, id: i64, out: &mut dyn Write) -> Result<()> {
    let n = sqlite(db)
        .execute(
            "UPDATE todos SET is_completed = true WHERE id = ?1 AND deleted_at IS NULL",
            [id],
        )
        .map_err(db_err("completing a todo"))?;
    found(n, id)?;
    writeln!(out, "done #{id}").map_err(io)
}

/// Soft-deletes a todo.
pub fn delete(db: &mut Database, id: i64, out: &mut dyn Write) -> Result<()> {
    let n = sqlite(db)
        .execute(
            "UPDATE todos SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?1 AND deleted_at IS NULL",
            [id],
        )
        .map_err(db_err("deleting a todo"))?;
    found(n, id)?;
    writeln!(out, "deleted #{id}").map_err(io)
}

fn found(changed: usize, id: i64) -> Result<()> {
    if changed == 0 {
        Err(Error::Other(format!("no todo #{id}; `list` shows the ids")))
    } else {
        Ok(())
    }
}
