//! The small trait a database backend implements, and the history table's SQL.
//!
//! A driver only runs SQL and reads catalogs; the protocol (lock, verify, plan, apply each
//! revision with its bookkeeping row in one transaction) lives in [`crate::migrate`] and is the
//! same for every backend. One file per backend, each behind its cargo feature.

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "rusqlite")]
pub mod sqlite;

pub use crate::bookkeeping::{
    begin_sql, drift_check_ddl, history_ddl, record_sql, unrecord_sql, DRIFT_CHECK_TABLE,
    HISTORY_TABLE, OWN_TABLES,
};
use crate::error::Result;
use crate::revision::Dialect;
use crate::schema::Schema;
use std::time::Duration;

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRow {
    /// Revision id.
    pub revision: String,
    /// SHA-256 of the revision file when it was applied.
    pub checksum: String,
    /// When it was applied, as the database wrote it.
    pub applied_at: String,
    /// How long the upgrade took, in milliseconds.
    pub execution_ms: i64,
}

/// Tables already introspected, keyed by what determines them (SQLite: the table's and its
/// indexes' SQL), so that introspecting after each of many small steps (the build's round trip
/// over 1,000 revisions) reads only what changed.
#[derive(Debug, Default)]
pub struct SchemaCache {
    #[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
    pub(crate) tables: std::collections::HashMap<String, crate::schema::Table>,
}

/// Settings for a run; [`Default`] suits most apps.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long to wait for another process that is migrating the same database.
    pub lock_timeout: Duration,
    /// Whether to take the database-wide migration lock (PostgreSQL advisory lock). Turn it off
    /// only for PostgreSQL-protocol engines without advisory locks, and then never boot two
    /// instances at once.
    pub use_lock: bool,
    /// What `boot` does when the database differs from the models.
    pub drift: OnDrift,
    /// Whether `boot` remembers a clean drift check in [`DRIFT_CHECK_TABLE`] and, while neither
    /// the models nor the schema changed, trusts it instead of checking again (see
    /// [`crate::migrate::check_drift`]). `false` checks in full on every boot and never creates
    /// the table.
    pub remember_drift_check: bool,
}

/// What `boot` does when the database has drifted from the models.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnDrift {
    /// Refuse to boot, listing every difference (the default).
    #[default]
    Fail,
    /// Log every difference as a warning and boot anyway.
    Warn,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
            use_lock: true,
            drift: OnDrift::Fail,
            remember_drift_check: true,
        }
    }
}

/// A database connection the migrations can run on.
///
/// Implemented for `rusqlite::Connection` (feature `rusqlite`) and `postgres::Client`
/// (feature `postgres`). Every method runs exactly what it says; the protocol is elsewhere.
pub trait Driver {
    /// The SQL dialect of this connection.
    fn dialect(&self) -> Dialect;

    /// Takes the database-wide migration lock, waiting at most `options.lock_timeout`.
    fn lock(&mut self, options: &Options) -> Result<()>;

    /// Releases the migration lock. Called on every path after [`Driver::lock`] succeeded.
    fn unlock(&mut self) -> Result<()>;

    /// Creates the history table if it does not exist.
    fn ensure_history(&mut self) -> Result<()>;

    /// Whether the history table exists.
    fn has_history(&mut self) -> Result<bool>;

    /// The history table's rows (empty when the table does not exist).
    fn applied(&mut self) -> Result<Vec<AppliedRow>> {
        if self.has_history()? {
            self.applied_rows()
        } else {
            Ok(Vec::new())
        }
    }

    /// The history table's rows, when the caller knows the table exists (after
    /// [`Driver::ensure_history`]): one query, no existence probe.
    fn applied_rows(&mut self) -> Result<Vec<AppliedRow>>;

    /// Whether the history holds exactly the `expected` `(revision, checksum)` pairs, which are
    /// sorted by revision: one read, nothing written, no lock. This is how a boot with nothing
    /// to do returns at once; `false` (or an error) only means "take the full path", which
    /// locks, reads the history again and says what differs.
    fn history_matches(&mut self, expected: &[(&str, &str)]) -> Result<bool> {
        if !self.has_history()? {
            return Ok(false);
        }
        let rows = self.applied_rows()?;
        Ok(rows.len() == expected.len()
            && rows
                .iter()
                .all(|row| is_expected(expected, &row.revision, &row.checksum)))
    }

    /// Whether `revision` has a row in the history table (called inside the step's transaction).
    fn is_applied(&mut self, revision: &str) -> Result<bool>;

    /// Serialises a revision that runs outside a transaction (`Transaction: none`) with other
    /// processes migrating the same database, until the returned guard is dropped. SQLite holds
    /// an exclusive lock on a file beside the database (`<file>-migrations-lock`; nothing for an
    /// in-memory database), waiting as long as [`Driver::lock`] was told; PostgreSQL needs
    /// nothing more than its session advisory lock, held for the whole run.
    fn lock_untransacted(&mut self) -> Result<Option<Box<dyn std::any::Any>>> {
        Ok(None)
    }

    /// Opens a revision's transaction ([`Driver::begin`]) and says whether `revision` is in
    /// the history ([`Driver::is_applied`], read inside it). PostgreSQL sends both at once.
    fn begin_step(&mut self, revision: &str) -> Result<bool> {
        self.begin()?;
        self.is_applied(revision)
    }

    /// Ends a revision's transaction: adds its history row (`Some((checksum, execution_ms))`)
    /// or removes it (`None`), then commits. PostgreSQL sends both at once. On error the
    /// caller rolls back.
    fn finish_step(&mut self, revision: &str, row: Option<(&str, i64)>) -> Result<()> {
        match row {
            Some((checksum, millis)) => self.record(revision, checksum, millis)?,
            None => self.unrecord(revision)?,
        }
        self.commit()
    }

    /// Opens a transaction that holds the write lock from its start (SQLite `BEGIN IMMEDIATE`).
    fn begin(&mut self) -> Result<()>;

    /// Commits the open transaction.
    fn commit(&mut self) -> Result<()>;

    /// Rolls back the open transaction; errors are ignored (the transaction may be gone).
    fn rollback(&mut self);

    /// Runs one statement of a revision; on failure returns the database's message.
    fn execute(&mut self, sql: &str) -> std::result::Result<(), String>;

    /// Adds a history row.
    fn record(&mut self, revision: &str, checksum: &str, execution_ms: i64) -> Result<()>;

    /// Removes a history row.
    fn unrecord(&mut self, revision: &str) -> Result<()>;

    /// The schema of the database, without the history table.
    fn introspect(&mut self) -> Result<Schema>;

    /// The schema as the statements that create it, in the database's own words, when the
    /// database keeps them (SQLite's `sqlite_master`): equal statements mean an equal schema,
    /// and [`Driver::introspect_scratch`] of them rebuilds it. `None` where there is no such
    /// thing (PostgreSQL).
    fn schema_statements(&mut self) -> Result<Option<Vec<String>>> {
        Ok(None)
    }

    /// [`Driver::introspect`], reusing what `cache` holds for objects that did not change.
    fn introspect_cached(&mut self, cache: &mut SchemaCache) -> Result<Schema> {
        let _ = cache;
        self.introspect()
    }

    /// Turns foreign key enforcement on or off (SQLite; must be outside a transaction) and
    /// returns whether it was on. PostgreSQL has no such switch: it returns `Ok(false)`.
    fn set_foreign_keys(&mut self, on: bool) -> Result<bool> {
        let _ = on;
        Ok(false)
    }

    /// Rows that violate a foreign key, in words (SQLite `PRAGMA foreign_key_check`); empty on
    /// PostgreSQL, which checks as it goes.
    fn foreign_key_violations(&mut self) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// A value that changes whenever the schema changes, read in one cheap query (SQLite: the
    /// schema cookie, `PRAGMA schema_version`; PostgreSQL: the versions of the catalog rows
    /// that describe the current schema, and the server version). `None` where the backend
    /// has no such value: then every boot runs the whole drift check.
    fn schema_version(&mut self) -> Result<Option<String>> {
        Ok(None)
    }

    /// The clean drift check remembered in [`DRIFT_CHECK_TABLE`], as `(models, schema
    /// version)`; `None` when there is none, or no table.
    fn clean_check(&mut self) -> Result<Option<(String, String)>> {
        Ok(None)
    }

    /// Replaces the remembered clean drift check (`None` forgets it), creating
    /// [`DRIFT_CHECK_TABLE`] if needed. Called inside a transaction.
    fn set_clean_check(&mut self, check: Option<(&str, &str)>) -> Result<()> {
        let _ = check;
        Ok(())
    }

    /// Runs `ddl` in a scratch database of the same dialect (SQLite: a new in-memory database;
    /// PostgreSQL: a new schema inside a transaction that is rolled back) and introspects it.
    /// This is how models are compared with a database: both sides as the database reports
    /// them, so `VARCHAR` and `character varying` never differ.
    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema>;
}

/// Whether `(revision, checksum)` is one of `expected` (sorted by revision). With as many rows
/// as `expected` pairs, and revisions unique in the history, every row passing this means the
/// history is exactly `expected`, in whatever order the rows came.
pub(crate) fn is_expected(expected: &[(&str, &str)], revision: &str, checksum: &str) -> bool {
    // Revision ids are 12 bytes: compared as two big-endian integers (the same order as the
    // bytes) instead of a `memcmp` call per probe, which was a fifth of a boot at head.
    let key = |id: &str| -> Option<(u64, u32)> {
        let b: &[u8; 12] = id.as_bytes().try_into().ok()?;
        Some((
            u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
            u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
        ))
    };
    let wanted = key(revision);
    expected
        .binary_search_by(|(id, _)| match (key(id), wanted) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (*id).cmp(revision),
        })
        .is_ok_and(|i| expected[i].1 == checksum)
}

#[cfg(test)]
mod tests {
    use super::is_expected;

    #[test]
    fn is_expected_finds_exactly_the_pairs() {
        let mut expected = vec![
            ("0000000000a1", "sum-a"),
            ("3f9a1c2e7b10", "sum-b"),
            ("8c1f0e2a9b3d", "sum-c"),
            ("ffffffffffff", "sum-d"),
            ("short", "sum-e"),
        ];
        expected.sort_unstable();
        for (id, sum) in &expected {
            assert!(is_expected(&expected, id, sum), "{id}");
            assert!(!is_expected(&expected, id, "other"), "{id}");
        }
        for id in [
            "000000000000",
            "3f9a1c2e7b11",
            "8c1f0e2a9b3",
            "8c1f0e2a9b3dd",
            "",
            "zzzzzzzzzzzz",
        ] {
            assert!(!is_expected(&expected, id, "sum-c"), "{id}");
        }
    }
}
