//! The SQLite driver, on `rusqlite::Connection`.
//!
//! Each revision runs in `BEGIN IMMEDIATE`, which takes SQLite's write lock at once, so two
//! processes migrating one file serialise on it (waiting up to the busy timeout) and the second
//! sees the first one's history row and skips the revision.

mod introspect;

pub use crate::dialect::sqlite::as_built;
pub use introspect::{introspect, introspect_with};

use super::{
    drift_check_ddl, history_ddl, is_expected, AppliedRow, Driver, Options, SchemaCache,
    DRIFT_CHECK_TABLE, HISTORY_TABLE, OWN_TABLES,
};
use crate::error::{Error, Result};
use crate::revision::Dialect;
use crate::schema::Schema;
use crate::sql::quote_ident;
use rusqlite::{params, Connection, OptionalExtension};
use std::sync::atomic::{AtomicU64, Ordering};

/// How long [`wait_for_lock`] waits, in milliseconds (set by `lock`; SQLite's busy handler is
/// a plain function, so the limit lives here).
static BUSY_WAIT_LIMIT_MS: AtomicU64 = AtomicU64::new(60_000);
const BUSY_STEP_MS: u64 = 20;

/// SQLite's busy handler: logs once that another process holds the write lock, then retries
/// every 20 ms until the lock timeout.
fn wait_for_lock(attempt: i32) -> bool {
    if attempt == 0 {
        log::info!(
            "waiting for the SQLite write lock: another process is writing to this database"
        );
    }
    let waited = u64::try_from(attempt).unwrap_or(0) * BUSY_STEP_MS;
    if waited >= BUSY_WAIT_LIMIT_MS.load(Ordering::Relaxed) {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(BUSY_STEP_MS));
    true
}

fn ctx(context: &str) -> impl FnOnce(rusqlite::Error) -> Error + '_ {
    move |source| Error::Sqlite {
        context: context.to_string(),
        source,
    }
}

impl Driver for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn lock(&mut self, options: &Options) -> Result<()> {
        // SQLite's own write lock (BEGIN IMMEDIATE per revision) serialises writers; here we only
        // say how long a writer waits for another, and log that it waits.
        BUSY_WAIT_LIMIT_MS.store(
            options.lock_timeout.as_millis().min(u128::from(u64::MAX)) as u64,
            Ordering::Relaxed,
        );
        self.busy_handler(Some(wait_for_lock))
            .map_err(ctx("setting SQLite's busy handler"))
    }

    fn unlock(&mut self) -> Result<()> {
        // Leave the connection waiting as long for locks, but without the migration's logging.
        self.busy_timeout(std::time::Duration::from_millis(
            BUSY_WAIT_LIMIT_MS.load(Ordering::Relaxed),
        ))
        .map_err(ctx("restoring SQLite's busy timeout"))
    }

    fn ensure_history(&mut self) -> Result<()> {
        self.execute_batch(&history_ddl(Dialect::Sqlite))
            .map_err(ctx("creating the history table"))
    }

    fn has_history(&mut self) -> Result<bool> {
        let n: i64 = self
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [HISTORY_TABLE],
                |r| r.get(0),
            )
            .map_err(ctx("reading the history table"))?;
        Ok(n > 0)
    }

    fn applied_rows(&mut self) -> Result<Vec<AppliedRow>> {
        let mut stmt = self
            .prepare(&format!(
                "SELECT revision, checksum, CAST(applied_at AS TEXT), execution_ms FROM {} ORDER BY applied_at, revision",
                quote_ident(HISTORY_TABLE)
            ))
            .map_err(ctx("reading the history table"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AppliedRow {
                    revision: r.get(0)?,
                    checksum: r.get(1)?,
                    applied_at: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    execution_ms: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(ctx("reading the history table"))?;
        Ok(rows)
    }

    fn history_matches(&mut self, expected: &[(&str, &str)]) -> Result<bool> {
        // Compared as SQLite hands the text over, in table order: no row is copied or sorted.
        // `main.`: the full path creates and reads the table there, so a table of the same
        // name in an attached database must not answer for it.
        let sql = format!(
            "SELECT revision, checksum FROM main.{}",
            quote_ident(HISTORY_TABLE)
        );
        let Ok(mut stmt) = self.prepare_cached(&sql) else {
            return Ok(false); // no history table yet
        };
        let mut rows = stmt.query([]).map_err(ctx("reading the history table"))?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(ctx("reading the history table"))? {
            let text = |i: usize| row.get_ref(i).ok().and_then(|v| v.as_str().ok());
            match (text(0), text(1)) {
                (Some(id), Some(sum)) if is_expected(expected, id, sum) => count += 1,
                _ => return Ok(false),
            }
        }
        Ok(count == expected.len())
    }

    fn is_applied(&mut self, revision: &str) -> Result<bool> {
        // Cached statements: once per revision of a run, parsed once.
        self.prepare_cached(&format!(
            "SELECT 1 FROM {} WHERE revision = ?1",
            quote_ident(HISTORY_TABLE)
        ))
        .and_then(|mut stmt| stmt.exists([revision]))
        .map_err(ctx("reading the history table"))
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

    fn begin(&mut self) -> Result<()> {
        self.execute_batch("BEGIN IMMEDIATE").map_err(|e| {
            if let rusqlite::Error::SqliteFailure(f, _) = &e {
                if f.code == rusqlite::ErrorCode::DatabaseBusy {
                    return Error::LockTimeout(
                        "another process kept the SQLite database locked past the lock timeout; \
                         retry, or raise `Options::lock_timeout`"
                            .into(),
                    );
                }
            }
            ctx("starting a transaction")(e)
        })
    }

    fn commit(&mut self) -> Result<()> {
        self.execute_batch("COMMIT")
            .map_err(ctx("committing the transaction"))
    }

    fn rollback(&mut self) {
        if !self.is_autocommit() {
            let _ = self.execute_batch("ROLLBACK");
        }
    }

    fn execute(&mut self, sql: &str) -> std::result::Result<(), String> {
        self.execute_batch(sql).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(_, Some(msg)) => msg,
            other => other.to_string(),
        })
    }

    fn record(&mut self, revision: &str, checksum: &str, execution_ms: i64) -> Result<()> {
        self.prepare_cached(&format!(
            "INSERT INTO {} (revision, checksum, execution_ms) VALUES (?1, ?2, ?3)",
            quote_ident(HISTORY_TABLE)
        ))
        .and_then(|mut stmt| stmt.execute(params![revision, checksum, execution_ms]))
        .map(drop)
        .map_err(ctx("recording the revision in the history table"))
    }

    fn unrecord(&mut self, revision: &str) -> Result<()> {
        Connection::execute(
            self,
            &format!(
                "DELETE FROM {} WHERE revision = ?1",
                quote_ident(HISTORY_TABLE)
            ),
            [revision],
        )
        .map(drop)
        .map_err(ctx("removing the revision from the history table"))
    }

    fn introspect(&mut self) -> Result<Schema> {
        introspect(self).map_err(ctx("reading the SQLite schema"))
    }

    fn schema_statements(&mut self) -> Result<Option<Vec<String>>> {
        // Tables first, then what depends on them, each in creation order.
        let mut stmt = self
            .prepare(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN (?1, ?2) \
                 ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid",
            )
            .map_err(ctx("reading the SQLite schema"))?;
        let rows = stmt
            .query_map(OWN_TABLES, |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(ctx("reading the SQLite schema"))?;
        Ok(Some(rows))
    }

    fn schema_version(&mut self) -> Result<Option<String>> {
        // The schema cookie: SQLite adds one on every change of the schema, by any connection.
        let cookie: i64 = self
            .prepare_cached("PRAGMA schema_version")
            .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
            .map_err(ctx("reading PRAGMA schema_version"))?;
        Ok(Some(format!(
            "sqlite {} schema {cookie}",
            rusqlite::version()
        )))
    }

    fn clean_check(&mut self) -> Result<Option<(String, String)>> {
        let sql = format!(
            "SELECT models, schema_version FROM main.{}",
            quote_ident(DRIFT_CHECK_TABLE)
        );
        let Ok(mut stmt) = self.prepare_cached(&sql) else {
            return Ok(None); // no table yet
        };
        stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(ctx("reading the drift check table"))
    }

    fn set_clean_check(&mut self, check: Option<(&str, &str)>) -> Result<()> {
        self.execute_batch(&format!(
            "{}; DELETE FROM {}",
            drift_check_ddl(),
            quote_ident(DRIFT_CHECK_TABLE)
        ))
        .map_err(ctx("writing the drift check table"))?;
        if let Some((models, version)) = check {
            Connection::execute(
                self,
                &format!(
                    "INSERT INTO {} (models, schema_version) VALUES (?1, ?2)",
                    quote_ident(DRIFT_CHECK_TABLE)
                ),
                [models, version],
            )
            .map_err(ctx("writing the drift check table"))?;
        }
        Ok(())
    }

    fn introspect_cached(&mut self, cache: &mut SchemaCache) -> Result<Schema> {
        introspect_with(self, cache).map_err(ctx("reading the SQLite schema"))
    }

    fn set_foreign_keys(&mut self, on: bool) -> Result<bool> {
        let was: i64 = self
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .map_err(ctx("reading PRAGMA foreign_keys"))?;
        self.execute_batch(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        })
        .map_err(ctx("setting PRAGMA foreign_keys"))?;
        Ok(was != 0)
    }

    fn foreign_key_violations(&mut self) -> Result<Vec<String>> {
        let mut stmt = self
            .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .map_err(ctx("running PRAGMA foreign_key_check"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} row {} references a missing row of {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?
                        .map_or("?".into(), |n| n.to_string()),
                    r.get::<_, String>(2)?
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(ctx("running PRAGMA foreign_key_check"))?;
        Ok(rows)
    }

    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema> {
        let scratch = Connection::open_in_memory().map_err(ctx("opening a scratch database"))?;
        for stmt in ddl {
            scratch.execute_batch(stmt).map_err(|e| {
                Error::Other(format!(
                    "the models do not build on sqlite: {e} (statement: {})",
                    crate::error::one_line(stmt)
                ))
            })?;
        }
        introspect(&scratch).map_err(ctx("reading the scratch schema"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        conn.ensure_history()?;
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
        assert!(todos.columns[0].identity);
        let users = &schema.tables["users"];
        assert_eq!(users.indexes[0].name, None);
        assert!(users.indexes[0].unique);
        assert!(schema.views.contains_key("open_todos"));
        Ok(())
    }

    #[test]
    fn history_rows_round_trip() -> Result<()> {
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(conn.applied()?.is_empty());
        conn.ensure_history()?;
        conn.record("aaaaaaaaaaaa", "abc", 5)?;
        assert!(conn.is_applied("aaaaaaaaaaaa")?);
        let rows = conn.applied()?;
        assert_eq!(rows[0].checksum, "abc");
        assert!(!rows[0].applied_at.is_empty());
        conn.unrecord("aaaaaaaaaaaa")?;
        assert!(!conn.is_applied("aaaaaaaaaaaa")?);
        Ok(())
    }

    #[test]
    fn execute_reports_sqlite_message() {
        let mut conn = Connection::open_in_memory().unwrap();
        let err = Driver::execute(&mut conn, "CREATE TABLE t (").unwrap_err();
        assert!(
            err.contains("syntax error") || err.contains("incomplete"),
            "{err}"
        );
    }
}

#[cfg(test)]
mod untransacted_tests {
    use crate::chain::{Chain, Target};
    use crate::driver::Options;
    use crate::migrate;
    use crate::revision::parse;
    use rusqlite::Connection;

    /// A table, then a `Transaction: none` revision that takes a while (a counting query) and
    /// then leaves a mark that must appear once.
    fn chain() -> Chain {
        let a = "-- Revision: aaaaaaaaaaaa\n-- +upgrade\nCREATE TABLE marks (what TEXT);\n-- +downgrade\nDROP TABLE marks;\n";
        let b = "-- Revision: bbbbbbbbbbbb\n-- Revises: aaaaaaaaaaaa\n-- Transaction: none\n-- +upgrade\n\
                 WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c;\n\
                 INSERT INTO marks VALUES ('b ran');\n-- +downgrade\nDELETE FROM marks;\n";
        Chain::new(vec![
            parse("v/aaaaaaaaaaaa_a.sql", a).unwrap(),
            parse("v/bbbbbbbbbbbb_b.sql", b).unwrap(),
        ])
        .unwrap()
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
