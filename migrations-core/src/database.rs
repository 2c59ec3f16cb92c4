//! Opening a connection from a database URL.
//!
//! # Example
//!
//! ```
//! use migrations_core::database::DatabaseUrl;
//!
//! assert_eq!(DatabaseUrl::parse("sqlite:app.db").unwrap(), DatabaseUrl::SqliteFile("app.db".into()));
//! assert_eq!(DatabaseUrl::parse("sqlite::memory:").unwrap(), DatabaseUrl::SqliteMemory);
//! assert!(DatabaseUrl::parse("mysql://x").is_err());
//! ```

use crate::dialect::Dialect;
use crate::driver::{DbError, Driver, Options, SchemaCache};
use crate::error::{Error, Result};
use crate::schema::Schema;
pub use crate::url::{mask_password, DatabaseUrl};

/// The URL used when neither `--database-url` nor `DATABASE_URL` is given.
pub const DEFAULT_URL: &str = "sqlite:database.db";

/// A connection to any supported database, opened from a URL.
#[non_exhaustive]
pub enum Database {
    /// SQLite.
    #[cfg(feature = "rusqlite")]
    Sqlite(rusqlite::Connection),
    /// PostgreSQL.
    #[cfg(feature = "postgres")]
    Postgres(Box<postgres::Client>),
    /// What a [`Database::Postgres`] becomes while it is dropped inside a tokio runtime; never
    /// seen otherwise.
    #[cfg(feature = "postgres")]
    #[doc(hidden)]
    Dropped,
}

/// Inside a tokio runtime the `postgres` client panics when dropped (it closes the connection
/// with a `block_on` of its own): the connection is then closed on a thread of its own.
#[cfg(feature = "postgres")]
impl Drop for Database {
    fn drop(&mut self) {
        if matches!(self, Database::Postgres(_)) && tokio::runtime::Handle::try_current().is_ok() {
            let this = std::mem::replace(self, Database::Dropped);
            crate::driver::postgres::outside_runtime(move || drop(this));
        }
    }
}

impl Database {
    /// Opens the database at `url`.
    ///
    /// A SQLite file that does not exist yet is created (SQLite creates it on opening); if a
    /// boot ([`crate::Migrations::boot`], [`crate::Migrations::upgrade_to_head`]) then fails
    /// while the file is still empty (no revisions yet, a revision that fails on its first
    /// statement), the boot removes it, so a failed first start leaves no empty file behind.
    ///
    /// # Failure
    ///
    /// A backend this build was compiled without, a file that cannot be opened, or a server
    /// that cannot be reached: one line saying which.
    ///
    /// # Inside an async runtime
    ///
    /// It works, and never panics: PostgreSQL's blocking client (which panics inside a tokio
    /// runtime) then connects, runs each statement and closes on a thread of its own, and a
    /// SQLite connection blocks the thread it runs on. Still, the usual places are before the
    /// runtime starts (boot, then serve), or `tokio::task::spawn_blocking`; an async app's
    /// PostgreSQL boots best on its own client, `Migrations::boot_async` (feature
    /// `tokio-postgres`).
    pub fn open(url: &str) -> Result<Database> {
        match DatabaseUrl::parse(url)? {
            #[cfg(feature = "rusqlite")]
            DatabaseUrl::SqliteFile(path) => {
                let existed = path.exists();
                let conn = rusqlite::Connection::open(&path).map_err(|source| {
                    Error::database(
                        format!("opening SQLite database {}", path.display()),
                        source,
                    )
                })?;
                if !existed {
                    created::remember(&path);
                }
                Ok(Database::Sqlite(conn))
            }
            #[cfg(feature = "rusqlite")]
            DatabaseUrl::SqliteMemory => rusqlite::Connection::open_in_memory()
                .map(Database::Sqlite)
                .map_err(|source| Error::database("opening an in-memory SQLite database", source)),
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(url) => {
                crate::driver::postgres::connect(&url).map(|c| Database::Postgres(Box::new(c)))
            }
            #[allow(unreachable_patterns)]
            other => Err(Error::BadUrl {
                url: mask_password(url),
                reason: format!(
                    "this build has no {} driver; enable the `{}` feature of migrations-core",
                    other.dialect(),
                    match other.dialect() {
                        Dialect::Sqlite => "rusqlite",
                        Dialect::Postgres => "postgres",
                    }
                ),
            }),
        }
    }

    /// Opens the database at `url` only to read it, creating nothing. `Ok(None)` means the
    /// database does not exist yet (a SQLite file not created), which reads as empty.
    pub fn open_read_only(url: &str) -> Result<Option<Database>> {
        match DatabaseUrl::parse(url)? {
            #[cfg(feature = "rusqlite")]
            DatabaseUrl::SqliteFile(path) => {
                if !path.exists() {
                    return Ok(None);
                }
                rusqlite::Connection::open_with_flags(
                    &path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map(|c| Some(Database::Sqlite(c)))
                .map_err(|source| {
                    Error::database(
                        format!("opening SQLite database {}", path.display()),
                        source,
                    )
                })
            }
            #[cfg(feature = "rusqlite")]
            DatabaseUrl::SqliteMemory => Ok(None),
            _ => Database::open(url).map(Some),
        }
    }
}

/// The SQLite files [`Database::open`] created in this process, so that a boot that fails
/// before writing to one removes it (and never a file the app or anyone else made).
#[cfg(feature = "rusqlite")]
pub(crate) mod created {
    use crate::dialect::Dialect;
    use crate::driver::Driver;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, PoisonError};

    static CREATED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Notes that `path` was created by opening it.
    pub(crate) fn remember(path: &Path) {
        if let Ok(path) = path.canonicalize() {
            CREATED
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(path);
        }
    }

    /// After a failed boot on `conn`: removes its SQLite file if [`Database::open`](super::Database::open)
    /// created it and it is still empty, holding SQLite's write lock (taken without waiting)
    /// so that no other process is writing to it meanwhile. Anything else (another backend, an
    /// in-memory database, a file someone made or wrote to, a lock held elsewhere) keeps it.
    /// What the lock cannot see is another process that opened the same new file meanwhile and
    /// has not written yet: it would write to the removed file. Instances of one build fail a
    /// first boot alike (no revisions, a revision that fails), so they do not race like that.
    pub(crate) fn remove_if_untouched<D: Driver + ?Sized>(conn: &mut D) {
        if conn.dialect() != Dialect::Sqlite {
            return;
        }
        let mut file = None;
        let _ = conn.query_sql("PRAGMA database_list", &mut |row| {
            if row.get(1).copied().flatten() == Some("main") {
                file = row.get(2).copied().flatten().map(PathBuf::from);
            }
        });
        let Some(Ok(path)) = file
            .filter(|f| !f.as_os_str().is_empty())
            .map(|f| f.canonicalize())
        else {
            return;
        };
        let mut created = CREATED.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(at) = created.iter().position(|p| *p == path) else {
            return;
        };
        let empty = |path: &Path| std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
        if !empty(&path) {
            created.remove(at);
            return;
        }
        if conn.run_sql("BEGIN IMMEDIATE").is_err() {
            return;
        }
        if empty(&path) && std::fs::remove_file(&path).is_ok() {
            log::info!(
                "removed {}, which this run created and the failed boot left empty",
                path.display()
            );
            created.remove(at);
        }
        let _ = conn.run_sql("ROLLBACK");
    }
}

macro_rules! delegate {
    ($self:ident, $c:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "rusqlite")]
            Database::Sqlite($c) => $e,
            #[cfg(feature = "postgres")]
            Database::Postgres($c) => {
                let $c = $c.as_mut();
                $e
            }
            #[cfg(feature = "postgres")]
            Database::Dropped => unreachable!("a database is `Dropped` only while dropped"),
        }
    };
}

impl Driver for Database {
    fn dialect(&self) -> Dialect {
        match self {
            #[cfg(feature = "rusqlite")]
            Database::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Database::Postgres(_) | Database::Dropped => Dialect::Postgres,
        }
    }

    fn run_sql(&mut self, sql: &str) -> std::result::Result<(), DbError> {
        delegate!(self, c => Driver::run_sql(c, sql))
    }

    fn query_sql(
        &mut self,
        sql: &str,
        row: &mut dyn FnMut(&[Option<&str>]),
    ) -> std::result::Result<(), DbError> {
        delegate!(self, c => Driver::query_sql(c, sql, row))
    }

    fn begin_run(&mut self, options: &Options) -> Result<()> {
        delegate!(self, c => c.begin_run(options))
    }

    fn end_run(&mut self) -> Result<()> {
        delegate!(self, c => c.end_run())
    }

    fn introspect(&mut self) -> Result<Schema> {
        delegate!(self, c => c.introspect())
    }

    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema> {
        delegate!(self, c => c.introspect_scratch(ddl))
    }

    fn introspect_cached(&mut self, cache: &mut SchemaCache) -> Result<Schema> {
        delegate!(self, c => c.introspect_cached(cache))
    }

    fn lock_untransacted(&mut self) -> Result<Option<Box<dyn std::any::Any>>> {
        delegate!(self, c => c.lock_untransacted())
    }

    fn begin_step(
        &mut self,
        revision: &str,
        options: &Options,
        settings: Option<&str>,
    ) -> Result<bool> {
        delegate!(self, c => c.begin_step(revision, options, settings))
    }

    fn finish_step(&mut self, bookkeeping: &str) -> Result<()> {
        delegate!(self, c => c.finish_step(bookkeeping))
    }
}

#[cfg(all(test, feature = "rusqlite"))]
mod tests {
    use super::*;
    use crate::Migrations;

    /// An app built before its first revision.
    static NONE: Migrations = Migrations::from_embedded("versions", &[]);

    #[test]
    fn a_failed_first_boot_removes_the_file_open_created_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("database.db");
        let url = format!("sqlite:{}", path.display());
        let mut db = Database::open(&url).unwrap();
        assert!(path.exists(), "SQLite creates the file on opening");
        let err = NONE.boot(&mut db, &Schema::new()).unwrap_err();
        assert!(matches!(err, Error::NoRevisions), "{err}");
        assert!(!path.exists(), "the failed boot left the empty file behind");
        drop(db);

        // A file that was there before (an empty one made for the app, say) stays.
        let made = dir.path().join("made.db");
        std::fs::File::create(&made).unwrap();
        let mut db = Database::open(&format!("sqlite:{}", made.display())).unwrap();
        NONE.boot(&mut db, &Schema::new()).unwrap_err();
        assert!(made.exists(), "a file the app made was removed");

        // A file open created and something wrote to stays too.
        let written = dir.path().join("written.db");
        let mut db = Database::open(&format!("sqlite:{}", written.display())).unwrap();
        db.run_sql("CREATE TABLE t (x INTEGER)").unwrap();
        NONE.boot(&mut db, &Schema::new()).unwrap_err();
        assert!(written.exists(), "a written file was removed");
    }
}
