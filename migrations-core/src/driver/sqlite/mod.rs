//! The SQLite driver, on `rusqlite::Connection`.
//!
//! Each revision runs in `BEGIN IMMEDIATE`, which takes SQLite's write lock at once, so two
//! processes migrating one file serialise on it (waiting up to the busy timeout) and the second
//! sees the first one's history row and skips the revision.

mod introspect;

pub use introspect::{introspect, introspect_with};

use super::{DbError, DbErrorKind, Driver, Options, SchemaCache};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::Schema;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::cell::Cell;

thread_local! {
    /// How long [`wait_for_lock`] waits, in milliseconds, set by `begin_run` from the run's options.
    /// SQLite's busy handler is a plain function, so the limit cannot live on the connection;
    /// it is per thread (the handler runs on the thread that runs the statement), so two runs
    /// on two threads never see each other's limit.
    static BUSY_WAIT_LIMIT_MS: Cell<u64> = const { Cell::new(60_000) };
    /// Whether a run's busy handler is installed (between `begin_run` and `end_run`), so that a
    /// "database is locked" error can say how long it waited.
    static IN_RUN: Cell<bool> = const { Cell::new(false) };
    /// Where [`wait_for_lock`] says that it waits: the run's [`Options::progress`], set by
    /// `begin_run` (none: the log).
    static PROGRESS: std::cell::RefCell<Option<super::Progress>> = const { std::cell::RefCell::new(None) };
}
const BUSY_STEP_MS: u64 = 20;

/// SQLite's busy handler: logs once that another process holds the write lock, then retries
/// every 20 ms until the lock timeout.
fn wait_for_lock(attempt: i32) -> bool {
    if attempt == 0 {
        let line = "waiting for the SQLite write lock: another process is writing to this database";
        PROGRESS.with_borrow(|progress| match progress {
            Some(progress) => progress.say(line),
            None => log::info!("{line}"),
        });
    }
    let waited = u64::try_from(attempt).unwrap_or(0) * BUSY_STEP_MS;
    if waited >= BUSY_WAIT_LIMIT_MS.get() {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(BUSY_STEP_MS));
    true
}

fn ctx(context: &str) -> impl FnOnce(rusqlite::Error) -> Error + '_ {
    move |source| Error::database(context, source)
}

/// A rusqlite error as a [`DbError`]: SQLite's message, its extended result code, and the
/// error itself as the source.
impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        db_error(e)
    }
}

/// `?` on a rusqlite error in a function returning [`crate::Result`]: an
/// [`Error::Database`] whose context is `SQLite`.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::database("SQLite", e)
    }
}

fn db_error(e: rusqlite::Error) -> DbError {
    let (kind, code) = match &e {
        rusqlite::Error::SqliteFailure(f, msg) => (
            match f.code {
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    DbErrorKind::Busy
                }
                rusqlite::ErrorCode::ConstraintViolation
                    if crate::error::Violation::from_code(&f.extended_code.to_string())
                        .is_some() =>
                {
                    DbErrorKind::ConstraintViolation
                }
                _ if msg
                    .as_deref()
                    .is_some_and(|m| m.starts_with("no such table")) =>
                {
                    DbErrorKind::UndefinedTable
                }
                _ => DbErrorKind::Other,
            },
            Some(f.extended_code.to_string()),
        ),
        _ => (DbErrorKind::Other, None),
    };
    let mut message = match &e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    };
    if kind == DbErrorKind::Busy && IN_RUN.get() {
        message.push_str(&format!(
            " (another process held it for more than {:?}, the lock timeout)",
            std::time::Duration::from_millis(BUSY_WAIT_LIMIT_MS.get())
        ));
    }
    let mut err = DbError::new(message, kind).with_source(e);
    if let Some(code) = code {
        err = err.with_code(code);
    }
    err
}

impl Driver for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn run_sql(&mut self, sql: &str) -> std::result::Result<(), DbError> {
        self.execute_batch(sql).map_err(db_error)
    }

    fn query_sql(
        &mut self,
        sql: &str,
        each: &mut dyn FnMut(&[Option<&str>]),
    ) -> std::result::Result<(), DbError> {
        // Cached: the protocol's queries are few and run often (a boot at head is one).
        let mut stmt = self.prepare_cached(sql).map_err(db_error)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(db_error)?;
        // Values as SQLite hands them over: text is borrowed, numbers are written out; up to
        // eight columns without an allocation per row.
        let mut numbers: Vec<String> = vec![String::new(); width];
        while let Some(row) = rows.next().map_err(db_error)? {
            for (i, n) in numbers.iter_mut().enumerate() {
                n.clear();
                match row.get_ref(i).map_err(db_error)? {
                    ValueRef::Integer(v) => n.push_str(&v.to_string()),
                    ValueRef::Real(v) => n.push_str(&v.to_string()),
                    _ => {}
                }
            }
            let cell = |i: usize| -> std::result::Result<Option<&str>, DbError> {
                Ok(match row.get_ref(i).map_err(db_error)? {
                    ValueRef::Null => None,
                    ValueRef::Integer(_) | ValueRef::Real(_) => Some(numbers[i].as_str()),
                    ValueRef::Text(t) | ValueRef::Blob(t) => std::str::from_utf8(t).ok(),
                })
            };
            if width <= 8 {
                let mut cells = [None; 8];
                for (i, c) in cells.iter_mut().take(width).enumerate() {
                    *c = cell(i)?;
                }
                each(&cells[..width]);
            } else {
                let cells = (0..width)
                    .map(cell)
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                each(&cells);
            }
        }
        Ok(())
    }

    fn begin_run(&mut self, options: &Options) -> Result<()> {
        // SQLite's own write lock (BEGIN IMMEDIATE per revision) serialises writers; here we only
        // say how long a writer waits for another, and log that it waits.
        BUSY_WAIT_LIMIT_MS.set(options.lock_timeout.as_millis().min(u128::from(u64::MAX)) as u64);
        IN_RUN.set(true);
        PROGRESS.set(options.progress.clone());
        self.busy_handler(Some(wait_for_lock))
            .map_err(ctx("setting SQLite's busy handler"))
    }

    fn end_run(&mut self) -> Result<()> {
        IN_RUN.set(false);
        PROGRESS.set(None);
        // Leave the connection waiting as long for locks, but without the migration's logging.
        self.busy_timeout(std::time::Duration::from_millis(BUSY_WAIT_LIMIT_MS.get()))
            .map_err(ctx("restoring SQLite's busy timeout"))
    }

    fn introspect(&mut self) -> Result<Schema> {
        introspect(self).map_err(ctx("reading the SQLite schema"))
    }

    fn introspect_cached(&mut self, cache: &mut SchemaCache) -> Result<Schema> {
        introspect_with(self, cache).map_err(ctx("reading the SQLite schema"))
    }

    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema> {
        let scratch = Connection::open_in_memory().map_err(ctx("opening a scratch database"))?;
        for stmt in ddl {
            scratch
                .execute_batch(stmt)
                .map_err(|e| Error::ModelsDoNotBuild {
                    dialect: Dialect::Sqlite,
                    statement: Some(stmt.clone()),
                    source: db_error(e),
                })?;
        }
        introspect(&scratch).map_err(ctx("reading the scratch schema"))
    }

    fn lock_untransacted(&mut self) -> Result<Option<Box<dyn std::any::Any>>> {
        // No lock of the database itself may be held while such a revision runs (`VACUUM`
        // needs them all): another SQLite file serves as the mutex. The operating system
        // releases it when a process dies.
        let Some(path) = self.path().filter(|p| !p.is_empty()) else {
            return Ok(None); // in memory: no other process sees it
        };
        let lock_path = format!("{path}-migrations-lock");
        let context = format!("locking {lock_path}");
        let lock = Connection::open(&lock_path).map_err(ctx(&context))?;
        lock.busy_handler(Some(wait_for_lock))
            .map_err(ctx(&context))?;
        lock.execute_batch("BEGIN EXCLUSIVE").map_err(|e| match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
                Error::LockTimeout(format!(
                    "another process held {lock_path} past the lock timeout while running a `Transaction: none` revision; retry, or raise `Options::lock_timeout`"
                ))
            }
            _ => ctx(&context)(e),
        })?;
        Ok(Some(Box::new(lock)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::HISTORY_TABLE;
    use crate::schema::{Action, ColumnType};

    #[test]
    fn introspects_tables_indexes_and_foreign_keys() -> Result<()> {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
             CREATE TABLE todos (
                id INTEGER PRIMARY KEY,
                user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
                title VARCHAR(255) NOT NULL DEFAULT 'untitled',
                done BOOLEAN NOT NULL DEFAULT false
             );
             CREATE INDEX todos_open ON todos (user_id, done) WHERE done = 0;
             CREATE VIEW open_todos AS SELECT * FROM todos WHERE done = 0;",
        )
        .unwrap();
        crate::migrate::history::ensure(&mut conn, &Options::default())?;
        let schema = conn.introspect()?;
        assert!(!schema.tables.contains_key(HISTORY_TABLE));
        let todos = &schema.tables["todos"];
        assert_eq!(todos.primary_key, ["id"]);
        let title = todos.columns.iter().find(|c| c.name == "title").unwrap();
        assert_eq!(title.ty, ColumnType::Varchar(255));
        assert_eq!(title.default.as_deref(), Some("'untitled'"));
        assert!(!title.nullable);
        assert_eq!(todos.indexes[0].name.as_deref(), Some("todos_open"));
        assert_eq!(todos.indexes[0].columns, ["user_id", "done"]);
        assert_eq!(todos.indexes[0].predicate.as_deref(), Some("done = 0"));
        assert_eq!(todos.foreign_keys[0].ref_table, "users");
        assert_eq!(todos.foreign_keys[0].on_delete, Action::Cascade);
        // A rowid without AUTOINCREMENT: never NULL, but no identity (it reuses ids).
        assert!(!todos.columns[0].identity);
        assert!(!todos.columns[0].nullable);
        let users = &schema.tables["users"];
        assert_eq!(users.indexes[0].name, None);
        assert!(users.indexes[0].unique);
        assert!(schema.views.contains_key("open_todos"));
        Ok(())
    }

    #[test]
    fn a_cached_read_reads_again_only_the_tables_that_changed_and_sees_all() -> Result<()> {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);
             CREATE TABLE \"it's\" (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));
             CREATE TABLE c (id INTEGER PRIMARY KEY, x INTEGER NOT NULL DEFAULT 1);
             CREATE INDEX c_x ON c (x);",
        )
        .unwrap();
        let mut cache = SchemaCache::default();
        assert_eq!(conn.introspect_cached(&mut cache)?, conn.introspect()?);
        // One table altered, one indexed, one new; the others as they were.
        conn.execute_batch(
            "ALTER TABLE a ADD COLUMN extra TEXT NOT NULL DEFAULT 'e';
             CREATE UNIQUE INDEX its_a ON \"it's\" (a_id);
             CREATE TABLE d (id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c (id) ON DELETE CASCADE);",
        )
        .unwrap();
        let cached = conn.introspect_cached(&mut cache)?;
        let fresh = conn.introspect()?;
        assert_eq!(cached, fresh);
        assert_eq!(fresh.tables["a"].columns.len(), 3);
        assert_eq!(fresh.tables["it's"].indexes[0].columns, ["a_id"]);
        assert_eq!(fresh.tables["d"].foreign_keys[0].on_delete, Action::Cascade);
        assert_eq!(fresh.tables["c"].indexes[0].name.as_deref(), Some("c_x"));
        // Nothing changed: nothing is read from the catalog, and the schema is the same.
        assert_eq!(conn.introspect_cached(&mut cache)?, fresh);
        Ok(())
    }

    #[test]
    fn history_rows_round_trip() -> Result<()> {
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(crate::migrate::history(&mut conn)?.is_empty());
        crate::migrate::history::ensure(&mut conn, &Options::default())?;
        conn.run_sql(&crate::bookkeeping::record_sql("aaaaaaaaaaaa", "abc", 5))
            .unwrap();
        assert!(crate::migrate::history::is_applied(
            &mut conn,
            "aaaaaaaaaaaa"
        )?);
        let rows = crate::migrate::history(&mut conn)?;
        assert_eq!(rows[0].checksum, "abc");
        assert!(!rows[0].applied_at.is_empty());
        crate::migrate::history::unrecord(&mut conn, "aaaaaaaaaaaa")?;
        assert!(!crate::migrate::history::is_applied(
            &mut conn,
            "aaaaaaaaaaaa"
        )?);
        Ok(())
    }

    #[test]
    fn execute_reports_sqlite_message() {
        let mut conn = Connection::open_in_memory().unwrap();
        let err = Driver::run_sql(&mut conn, "CREATE TABLE t (").unwrap_err();
        assert!(
            err.message().contains("syntax error") || err.message().contains("incomplete"),
            "{err}"
        );
    }
}

#[cfg(test)]
mod untransacted_tests {
    use crate::chain::{Chain, Target};
    use crate::driver::Options;
    use crate::migrate;
    use crate::testing::{self, Fixture};
    use rusqlite::Connection;

    /// A table, then a `Transaction: none` revision that takes a while (a counting query) and
    /// then leaves a mark that must appear once.
    fn chain() -> Chain {
        testing::chain(&[
            Fixture::new("aaaaaaaaaaaa")
                .up("CREATE TABLE marks (what TEXT);")
                .down("DROP TABLE marks;"),
            Fixture::new("bbbbbbbbbbbb")
                .revises("aaaaaaaaaaaa")
                .transaction_none()
                .up("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c;\n\
                     INSERT INTO marks VALUES ('b ran');")
                .down("DELETE FROM marks;"),
        ])
    }

    /// Two processes (here two connections on two threads, which SQLite locks alike) upgrade
    /// one file at once: both succeed and the revision outside a transaction ran once.
    #[test]
    fn a_revision_outside_a_transaction_runs_once_when_two_migrate_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.db");
        let chain = chain();
        for round in 0..5 {
            let _ = std::fs::remove_file(&path);
            let barrier = std::sync::Barrier::new(2);
            let results: Vec<_> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..2)
                    .map(|_| {
                        s.spawn(|| {
                            let mut conn = Connection::open(&path).unwrap();
                            barrier.wait();
                            migrate::upgrade(&chain, &mut conn, &Target::Head, &Options::default())
                                .map(|steps| steps.iter().filter(|s| s.ran).count())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let ran: usize = results
                .iter()
                .map(|r| *r.as_ref().unwrap_or_else(|e| panic!("round {round}: {e}")))
                .sum();
            assert_eq!(ran, 2, "round {round}: each revision ran once in all");
            let conn = Connection::open(&path).unwrap();
            let marks: i64 = conn
                .query_row("SELECT count(*) FROM marks", [], |r| r.get(0))
                .unwrap();
            assert_eq!(marks, 1, "round {round}");
        }
        assert!(dir.path().join("app.db-migrations-lock").exists());
    }
}
