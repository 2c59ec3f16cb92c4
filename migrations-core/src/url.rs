//! Database URLs: which backend, and how to show one without its password.

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use std::path::PathBuf;

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
