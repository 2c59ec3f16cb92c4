//! The app's own queries, on SQLite or PostgreSQL.
//!
//! On PostgreSQL they go through `query_typed`: each is sent with its parameters' types in one
//! round trip, as the unnamed statement, so nothing is prepared on the server and the app runs
//! behind a pooler in transaction mode (PgBouncer), where a statement prepared on one server
//! connection is missing on the next (`prepared statement "s0" does not exist`).

use migrations_core::database::Database;
use migrations_core::postgres::types::Type;
use migrations_core::{postgres, rusqlite, Driver, Error};

/// The app's own errors are plain messages; the migrations' errors pass through as they are.
pub type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;
use std::io::Write;

/// A todo as listed.
struct Todo {
    id: i64,
    title: String,
    done: bool,
    deleted: bool,
}

fn sqlite_err(context: &str) -> impl FnOnce(rusqlite::Error) -> Error + '_ {
    move |source| Error::database(context, source)
}

fn pg_err(context: &str) -> impl FnOnce(postgres::Error) -> Error + '_ {
    move |source| Error::database(context, source)
}

/// A backend the migrations support and this app has no queries for (yet).
fn no_queries_for(db: &Database) -> Box<dyn std::error::Error> {
    format!("the todo app has no queries for {} yet", db.dialect()).into()
}

fn io(e: std::io::Error) -> Box<dyn std::error::Error> {
    Box::new(Error::Io {
        context: "writing output".into(),
        source: e,
    })
}

/// Adds a todo and prints its id.
pub fn add(
    db: &mut Database,
    title: &str,
    description: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    const CONTEXT: &str = "adding a todo";
    let id = match db {
        Database::Sqlite(c) => c
            .query_row(
                "INSERT INTO todos (title, description) VALUES (?1, ?2) RETURNING id",
                rusqlite::params![title, description],
                |r| r.get(0),
            )
            .map_err(sqlite_err(CONTEXT))?,
        Database::Postgres(c) => c
            .query_typed_one(
                "INSERT INTO todos (title, description) VALUES ($1, $2) RETURNING id",
                &[(&title, Type::TEXT), (&description, Type::TEXT)],
            )
            .map(|r| r.get::<_, i64>(0))
            .map_err(pg_err(CONTEXT))?,
        other => return Err(no_queries_for(other)),
    };
    writeln!(out, "added #{id}: {title}").map_err(io)
}

/// Prints the todos, oldest first (soft-deleted ones only with `all`).
pub fn list(db: &mut Database, all: bool, out: &mut dyn Write) -> Result<()> {
    const CONTEXT: &str = "listing todos";
    let filter = if all { "" } else { "WHERE deleted_at IS NULL" };
    let sql = format!(
        "SELECT id, title, is_completed, deleted_at IS NOT NULL FROM todos {filter} ORDER BY id"
    );
    let todos: Vec<Todo> = match db {
        Database::Sqlite(c) => {
            let mut stmt = c.prepare(&sql).map_err(sqlite_err(CONTEXT))?;
            stmt.query_map([], |r| {
                Ok(Todo {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    done: r.get(2)?,
                    deleted: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(sqlite_err(CONTEXT))?
        }
        Database::Postgres(c) => c
            .query_typed(&sql, &[])
            .map_err(pg_err(CONTEXT))?
            .iter()
            .map(|r| Todo {
                id: r.get(0),
                title: r.get(1),
                done: r.get(2),
                deleted: r.get(3),
            })
            .collect(),
        other => return Err(no_queries_for(other)),
    };
    if todos.is_empty() {
        writeln!(out, "no todos").map_err(io)?;
    }
    for t in todos {
        let mark = if t.done { "x" } else { " " };
        let gone = if t.deleted { " (deleted)" } else { "" };
        writeln!(out, "[{mark}] #{} {}{gone}", t.id, t.title).map_err(io)?;
    }
    Ok(())
}

/// Runs an `UPDATE … WHERE id = <id>` and says whether a row changed.
fn update(db: &mut Database, set: &str, id: i64, context: &str) -> Result<()> {
    let changed = match db {
        Database::Sqlite(c) => c
            .execute(
                &format!("UPDATE todos SET {set} WHERE id = ?1 AND deleted_at IS NULL"),
                [id],
            )
            .map_err(sqlite_err(context))? as u64,
        Database::Postgres(c) => c
            .query_typed(
                &format!(
                    "UPDATE todos SET {set} WHERE id = $1 AND deleted_at IS NULL RETURNING id"
                ),
                &[(&id, Type::INT8)],
            )
            .map_err(pg_err(context))?
            .len() as u64,
        other => return Err(no_queries_for(other)),
    };
    if changed == 0 {
        Err(format!("no todo #{id}; `list` shows the ids").into())
    } else {
        Ok(())
    }
}

/// Marks a todo done.
pub fn done(db: &mut Database, id: i64, out: &mut dyn Write) -> Result<()> {
    update(db, "is_completed = true", id, "completing a todo")?;
    writeln!(out, "done #{id}").map_err(io)
}

/// Soft-deletes a todo.
pub fn delete(db: &mut Database, id: i64, out: &mut dyn Write) -> Result<()> {
    update(db, "deleted_at = CURRENT_TIMESTAMP", id, "deleting a todo")?;
    writeln!(out, "deleted #{id}").map_err(io)
}
