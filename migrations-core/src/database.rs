//! Database URLs and opening a connection from one.
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

use crate::driver::{DbError, Driver, Options, SchemaCache};
use crate::error::{Error, Result};
use crate::revision::Dialect;
use crate::schema::Schema;
use std::path::PathBuf;

/// The URL used when neither `--database-url` nor `DATABASE_URL` is given.
pub const DEFAULT_URL: &str = "sqlite:database.db";

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatabaseUrl {
    /// `sqlite:PATH` or `sqlite://PATH`.
    SqliteFile(PathBuf),
    /// `sqlite::memory:`.
    SqliteMemory,
    /// `postgres://…` or `postgresql://…`, kept whole for the driver.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL.
    ///
    /// # Failure
    ///
    /// An unknown scheme or an empty path, with the accepted forms in the message.
    pub fn parse(url: &str) -> Result<DatabaseUrl> {
        let bad = |reason: &str| Error::BadUrl {
            url: mask_password(url),
            reason: reason.into(),
        };
        let url = url.trim();
        if url == "sqlite::memory:" || url == "sqlite://:memory:" || url == "sqlite::memory" {
            return Ok(DatabaseUrl::SqliteMemory);
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or("");
            if path.is_empty() {
                return Err(bad("no file path after `sqlite:`"));
            }
            return Ok(DatabaseUrl::SqliteFile(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        Err(bad("unknown scheme"))
    }

    /// The dialect of the database behind the URL.
    pub fn dialect(&self) -> Dialect {
        match self {
            DatabaseUrl::SqliteFile(_) | DatabaseUrl::SqliteMemory => Dialect::Sqlite,
            DatabaseUrl::Postgres(_) => Dialect::Postgres,
        }
    }
}

/// The URL with its password replaced by `***`, for messages and logs: the one in
/// `user:password@`, and any `password=` parameter (query string or key/value DSN). When in
/// doubt it hides more, never less.
pub fn mask_password(url: &str) -> String {
    let url = mask_password_params(url);
    let Some(scheme_end) = url.find("://") else {
        return url;
    };
    let rest = &url[scheme_end + 3..];
    // The user info ends at the last `@` (a password may hold `/`, `?` or `#`).
    match rest.rfind('@') {
        Some(at) if rest[..at].contains(':') => {
            let colon = rest.find(':').expect("checked above");
            format!(
                "{}{}:***{}",
                &url[..scheme_end + 3],
                &rest[..colon],
                &rest[at..]
            )
        }
        _ => url,
    }
}

/// Every `password=value` (any case) with the value replaced by `***`.
fn mask_password_params(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(found) = lower[i..].find("password=") {
        let start = i + found + "password=".len();
        out.push_str(&text[i..start]);
        out.push_str("***");
        let end = text[start..]
            .find(|c: char| c == '&' || c.is_whitespace())
            .map_or(text.len(), |e| start + e);
        i = end;
    }
    out.push_str(&text[i..]);
    out
}

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

    fn lock(&mut self, options: &Options) -> Result<()> {
        delegate!(self, c => c.lock(options))
    }

    fn unlock(&mut self) -> Result<()> {
        delegate!(self, c => c.unlock())
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

    fn begin_step(&mut self, revision: &str) -> Result<bool> {
        delegate!(self, c => c.begin_step(revision))
    }

    fn finish_step(&mut self, revision: &str, row: Option<(&str, i64)>) -> Result<()> {
        delegate!(self, c => c.finish_step(revision, row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/app.db").unwrap(),
            DatabaseUrl::SqliteFile("data/app.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h:5432/db")
                .unwrap()
                .dialect(),
            Dialect::Postgres
        );
        let err = DatabaseUrl::parse("mysql://root:secret@h/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown scheme"), "{err}");
        assert!(!err.contains("secret"), "{err}");
        assert!(DatabaseUrl::parse("sqlite:").is_err());
    }

    #[test]
    fn masks_passwords() {
        assert_eq!(
            mask_password("postgres://me:hunter2@db:5432/app"),
            "postgres://me:***@db:5432/app"
        );
        assert_eq!(
            mask_password("postgres://me@db/app"),
            "postgres://me@db/app"
        );
        assert_eq!(mask_password("sqlite:x.db"), "sqlite:x.db");
        assert_eq!(
            mask_password("postgres://me@db/app?password=hunter2&sslmode=require"),
            "postgres://me@db/app?password=***&sslmode=require"
        );
        assert_eq!(
            mask_password("host=db PASSWORD=hunter2 user=me"),
            "host=db PASSWORD=*** user=me"
        );
        assert_eq!(
            mask_password("postgres://me:pa/ss?w#d@db/app"),
            "postgres://me:***@db/app"
        );
    }
}
