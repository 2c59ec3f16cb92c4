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
}

impl Database {
    /// Opens the database at `url`.
    ///
    /// # Failure
    ///
    /// A backend this build was compiled without, a file that cannot be opened, or a server
    /// that cannot be reached: one line saying which.
    pub fn open(url: &str) -> Result<Database> {
        match DatabaseUrl::parse(url)? {
            #[cfg(feature = "rusqlite")]
            DatabaseUrl::SqliteFile(path) => rusqlite::Connection::open(&path)
                .map(Database::Sqlite)
                .map_err(|source| {
                    Error::database(
                        format!("opening SQLite database {}", path.display()),
                        source,
                    )
                }),
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
        }
    };
}

impl Driver for Database {
    fn dialect(&self) -> Dialect {
        match self {
            #[cfg(feature = "rusqlite")]
            Database::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Database::Postgres(_) => Dialect::Postgres,
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
