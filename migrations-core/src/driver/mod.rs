//! The small trait a database backend implements: run SQL, read rows, lock, read the catalog.
//!
//! A driver only runs SQL and reads catalogs; the protocol (lock, verify, plan, apply each
//! revision with its bookkeeping row in one transaction) lives in [`crate::migrate`] and is the
//! same for every backend, and what each database means by SQL is in [`crate::dialect`]. One
//! folder per backend, each behind its cargo feature: `connect` (URLs, TLS, scratch databases),
//! `introspect` (catalog queries), and the trait's implementation.

#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub mod postgres;
#[cfg(feature = "rusqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "rusqlite")))]
pub mod sqlite;

pub use crate::bookkeeping::{DRIFT_CHECK_TABLE, HISTORY_TABLE, OWN_TABLES};
use crate::dialect::Dialect;
use crate::error::Error;
use crate::error::Result;
pub use crate::error::{DbError, DbErrorKind};
use crate::schema::Schema;
use std::time::Duration;

/// Tables already introspected, keyed by what determines them (SQLite: the table's and its
/// indexes' SQL), so that introspecting after each of many small steps (the build's round trip
/// over 1,000 revisions) reads only what changed.
#[derive(Debug, Default)]
pub struct SchemaCache {
    #[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
    pub(crate) tables: std::collections::HashMap<String, crate::schema::Table>,
    /// PostgreSQL: the catalog rows of each table, with their fingerprints.
    #[cfg(feature = "postgres")]
    pub(crate) postgres: postgres::RowCache,
}

impl SchemaCache {
    /// PostgreSQL: how many tables the last [`Driver::introspect_cached`] read again rather
    /// than reused (for tests).
    #[doc(hidden)]
    #[cfg(feature = "postgres")]
    pub fn tables_read_again(&self) -> usize {
        self.postgres.read_again
    }
}

/// Settings for a run; [`Default`] suits most apps.
///
/// ```
/// use migrations_core::{OnDrift, Options};
/// use std::time::Duration;
///
/// let options = Options::default()
///     .lock_timeout(Duration::from_secs(10))
///     .drift(OnDrift::Warn);
/// assert_eq!(options.lock_timeout, Duration::from_secs(10));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// How long to wait for another process that is migrating the same database, and for any
    /// other lock the run's own statements need (a session holding the history table locked).
    pub lock_timeout: Duration,
    /// Whether to take the migration lock (PostgreSQL: a transaction-level advisory lock). Turn
    /// it off only for PostgreSQL-protocol engines without advisory locks, and then never boot
    /// two instances at once.
    pub use_lock: bool,
    /// PostgreSQL: how long each statement of a revision may wait for a table lock another
    /// session holds (`lock_timeout`) before the revision's attempt is rolled back, so that a
    /// migration queued behind a long transaction does not stall every query on the table
    /// behind it. A revision's `-- Lock-Timeout:` header overrides it. Default 10 s.
    pub revision_lock_timeout: Duration,
    /// How many more attempts a revision gets after its statement timed out waiting for a
    /// table lock, waiting 1 s, 2 s, 4 s… between them (each attempt logged with who holds
    /// the lock). Default 3.
    pub revision_lock_retries: u32,
    /// PostgreSQL: how long each statement of a revision may run (`statement_timeout`);
    /// `None` (the default) is no limit. A revision's `-- Statement-Timeout:` header overrides
    /// it.
    pub statement_timeout: Option<Duration>,
    /// What `boot` does when the database differs from the models.
    pub drift: OnDrift,
    /// Whether `boot` remembers a clean drift check in [`DRIFT_CHECK_TABLE`] and, while neither
    /// the models nor the schema changed, trusts it instead of checking again (see
    /// [`crate::migrate::check_drift`]). `false` checks in full on every boot and never creates
    /// the table.
    pub remember_drift_check: bool,
    /// Where the run's progress goes — each revision as it starts (`Running upgrade a -> b,
    /// msg`), waits for the migration lock or another process, retries — instead of the `log`
    /// crate: a command line that prints its own progress whether or not the app installed a
    /// logger (as the `db` CLI does), without each line said twice. `None` (the default) logs
    /// it at `info` (retries at `warn`). See [`Options::progress`].
    pub progress: Option<Progress>,
}

/// A receiver of a run's progress lines (see [`Options::progress`]), in the words the log
/// would have.
#[derive(Clone)]
pub struct Progress(std::sync::Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl Progress {
    /// Hands `line` to the receiver.
    pub fn say(&self, line: &str) {
        (self.0)(line)
    }
}

/// What `boot` does when the database has drifted from the models.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OnDrift {
    /// Refuse to boot, listing every difference (the default).
    #[default]
    Fail,
    /// Log every difference as a warning and boot anyway.
    Warn,
}

impl Options {
    /// How long to wait for another process that is migrating the same database.
    pub fn lock_timeout(mut self, wait: Duration) -> Self {
        self.lock_timeout = wait;
        self
    }

    /// Whether to take the migration lock (see [`Options::use_lock`]).
    pub fn use_lock(mut self, lock: bool) -> Self {
        self.use_lock = lock;
        self
    }

    /// How long a revision's statement may wait for a table lock (see
    /// [`Options::revision_lock_timeout`]).
    pub fn revision_lock_timeout(mut self, wait: Duration) -> Self {
        self.revision_lock_timeout = wait;
        self
    }

    /// How many more attempts a revision gets after a lock timeout (see
    /// [`Options::revision_lock_retries`]).
    pub fn revision_lock_retries(mut self, retries: u32) -> Self {
        self.revision_lock_retries = retries;
        self
    }

    /// How long a revision's statement may run (see [`Options::statement_timeout`]).
    pub fn statement_timeout(mut self, limit: Option<Duration>) -> Self {
        self.statement_timeout = limit;
        self
    }

    /// What `boot` does when the database differs from the models.
    pub fn drift(mut self, on_drift: OnDrift) -> Self {
        self.drift = on_drift;
        self
    }

    /// Whether `boot` remembers a clean drift check (see [`Options::remember_drift_check`]).
    pub fn remember_drift_check(mut self, remember: bool) -> Self {
        self.remember_drift_check = remember;
        self
    }

    /// Sends the run's progress lines to `say` instead of the `log` crate (see
    /// [`Options::progress`]).
    ///
    /// ```
    /// let options = migrations_core::Options::default().progress(|line| eprintln!("{line}"));
    /// assert!(options.progress.is_some());
    /// ```
    pub fn progress(mut self, say: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress(std::sync::Arc::new(say)));
        self
    }

    /// Says a progress line: to [`Options::progress`] when set, else to the log at `level`.
    pub(crate) fn report(&self, level: log::Level, line: &str) {
        match &self.progress {
            Some(progress) => progress.say(line),
            None => log::log!(level, "{line}"),
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
            use_lock: true,
            revision_lock_timeout: Duration::from_secs(10),
            revision_lock_retries: 3,
            statement_timeout: None,
            drift: OnDrift::Fail,
            remember_drift_check: true,
            progress: None,
        }
    }
}

/// A database connection the migrations can run on: a transport and a catalog reader.
///
/// Implemented for `rusqlite::Connection` (feature `rusqlite`) and `postgres::Client`
/// (feature `postgres`). Every method runs exactly what it says; the protocol (lock, history,
/// plan, apply, drift check) is in [`crate::migrate`], and every statement of the crate's own
/// tables, the lock included, is written once in [`crate::bookkeeping`], so a new backend
/// implements the five required methods and gets the whole protocol. The method names (`run_sql`, `query_sql`) do
/// not collide with the connections' own `execute` and `query`, so importing the trait changes
/// none of the app's calls.
///
/// ```
/// # #[cfg(feature = "rusqlite")] {
/// use migrations_core::Driver;
///
/// let mut conn = rusqlite::Connection::open_in_memory().unwrap();
/// conn.run_sql("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2)").unwrap();
/// let mut seen = Vec::new();
/// conn.query_sql("SELECT a FROM t ORDER BY a", &mut |row| {
///     seen.push(row[0].unwrap().to_string())
/// })
/// .unwrap();
/// assert_eq!(seen, ["1", "2"]);
/// # }
/// ```
pub trait Driver {
    /// The SQL dialect of this connection.
    fn dialect(&self) -> Dialect;

    /// Runs one or more statements, returning no rows (SQLite `execute_batch`, PostgreSQL's
    /// simple-query protocol: no prepared statement is left on the server).
    fn run_sql(&mut self, sql: &str) -> Result<(), DbError>;

    /// Runs a query and hands each row to `row`, every value as text (`None` for NULL).
    fn query_sql(&mut self, sql: &str, row: &mut dyn FnMut(&[Option<&str>]))
        -> Result<(), DbError>;

    /// The schema of the database, without this crate's own tables.
    fn introspect(&mut self) -> Result<Schema>;

    /// Runs `ddl` in a scratch database of the same dialect (SQLite: a new in-memory database;
    /// PostgreSQL: temporary tables inside a transaction that is rolled back) and introspects
    /// it. This is how models are compared with a database: both sides as the database
    /// reports them, so `VARCHAR` and `character varying` never differ.
    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema>;

    /// [`Driver::introspect`], reusing what `cache` holds for objects that did not change
    /// (SQLite: the build's round trip introspects after each of many small steps).
    fn introspect_cached(&mut self, cache: &mut SchemaCache) -> Result<Schema> {
        let _ = cache;
        self.introspect()
    }

    /// Prepares the connection for a run that may wait for other processes, before the run's
    /// first statement; [`Driver::end_run`] undoes it after the last one, on every path. SQLite
    /// installs a busy handler that waits at most `options.lock_timeout` and logs that it
    /// waits; PostgreSQL needs nothing (its migration lock is taken by each transaction, see
    /// [`crate::bookkeeping::try_lock_sql`]).
    fn begin_run(&mut self, options: &Options) -> Result<()> {
        let _ = options;
        Ok(())
    }

    /// Undoes [`Driver::begin_run`].
    fn end_run(&mut self) -> Result<()> {
        Ok(())
    }

    /// Serialises a revision that runs outside a transaction (`Transaction: none`) with other
    /// processes migrating the same database, until the returned guard is dropped. SQLite holds
    /// an exclusive lock on a file beside the database (`<file>-migrations-lock`; nothing for an
    /// in-memory database), waiting as long as [`Driver::begin_run`] was told; PostgreSQL needs
    /// nothing more than the revision's mark in [`crate::bookkeeping::IN_PROGRESS_TABLE`].
    fn lock_untransacted(&mut self) -> Result<Option<Box<dyn std::any::Any>>> {
        Ok(None)
    }

    /// Opens a revision's transaction holding the migration lock (waiting at most
    /// `options.lock_timeout`), says whether `revision` is in the history, read once the lock is
    /// held, then runs `settings` (the revision's own timeouts) in it. PostgreSQL sends all of
    /// it in one round trip. On failure, no transaction is left open.
    fn begin_step(
        &mut self,
        revision: &str,
        options: &Options,
        settings: Option<&str>,
    ) -> Result<bool> {
        use crate::migrate::{history, lock};
        lock::begin_locked(self, options)?;
        let applied = history::is_applied(self, revision).and_then(|applied| {
            if let Some(sql) = settings {
                self.run_sql(sql)
                    .map_err(|e| Error::protocol("setting the revision's timeouts", e))?;
            }
            Ok(applied)
        });
        applied.inspect_err(|_| history::rollback(self))
    }

    /// Ends a revision's transaction: runs `bookkeeping` (its history row, from
    /// [`crate::bookkeeping`]), then commits, in one round trip (if the bookkeeping fails, the
    /// `COMMIT` is not run and the caller rolls back).
    fn finish_step(&mut self, bookkeeping: &str) -> Result<()> {
        self.run_sql(&format!("{bookkeeping}; COMMIT"))
            .map_err(|e| {
                Error::protocol(
                    "recording the revision in the history table and committing",
                    e,
                )
            })
    }
}
