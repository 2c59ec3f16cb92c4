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

/// Every `password=value` (any case, spaces around `=` allowed) with the value replaced by
/// `***`. A value in quotes (`password='two words'`, `\'` escaping a quote) is hidden to its
/// closing quote; otherwise, in a key/value DSN to the next white space, and in a URL to the next
/// `&` that starts another `key=` parameter (so `password=a&b&sslmode=…` hides `a&b`).
fn mask_password_params(text: &str) -> String {
    let is_url = text.contains("://");
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find("password") {
        let key_end = search + found + "password".len();
        // Spaces, `=`, spaces.
        let mut j = key_end;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            search = key_end;
            continue;
        }
        j += 1;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let start = j;
        let end = if bytes.get(start) == Some(&b'\'') {
            // To the closing quote; `\'` and `\\` are escapes inside.
            let mut k = start + 1;
            loop {
                match bytes.get(k) {
                    None => break k,
                    Some(b'\\') => k += 2,
                    Some(b'\'') => break k + 1,
                    Some(_) => k += 1,
                }
            }
        } else if is_url {
            let mut k = start;
            loop {
                match bytes.get(k) {
                    None => break k,
                    Some(c) if c.is_ascii_whitespace() || *c == b'#' => break k,
                    Some(b'&') if starts_parameter(&text[k + 1..]) => break k,
                    Some(_) => k += 1,
                }
            }
        } else {
            text[start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| start + e)
        };
        let mut end = end.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1; // an escape before a multi-byte character
        }
        out.push_str(&text[i..start]);
        out.push_str("***");
        i = end;
        search = end;
    }
    out.push_str(&text[i..]);
    out
}

/// The first parameter a PostgreSQL URL's query string (or a key/value DSN) gives more than
/// once: the client would silently take one of them (`?sslmode=verify-full&sslmode=disable`
/// connects in plain text), so such a URL is refused.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn duplicate_parameter(url: &str) -> Option<String> {
    let pairs: Vec<&str> = if url.contains("://") {
        let query = url.split_once('?')?.1;
        let query = query.split('#').next().unwrap_or(query);
        query.split('&').collect()
    } else {
        url.split_whitespace().collect()
    };
    let mut seen = std::collections::HashSet::new();
    pairs
        .iter()
        .filter_map(|p| {
            p.split_once('=')
                .map(|(k, _)| k.trim().to_ascii_lowercase())
        })
        .filter(|k| !k.is_empty())
        .find(|k| !seen.insert(k.clone()))
}

/// Whether `rest` starts with `key=` (a URL query parameter).
fn starts_parameter(rest: &str) -> bool {
    let key_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    key_len > 0 && rest.as_bytes().get(key_len) == Some(&b'=')
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

    #[test]
    fn masks_every_spelling_of_a_password_parameter() {
        for (given, shown) in [
            (
                "host=db password = S3cr3t user=me",
                "host=db password = *** user=me",
            ),
            (
                "host=db password='two words' user=me",
                "host=db password=*** user=me",
            ),
            (
                "host=db password='it\\'s' user=me",
                "host=db password=*** user=me",
            ),
            (
                "host=db password=a&b user=me",
                "host=db password=*** user=me",
            ),
            (
                "postgres://me@db/app?password=a&b&sslmode=require",
                "postgres://me@db/app?password=***&sslmode=require",
            ),
            (
                "postgres://me@db/app?PassWord=x",
                "postgres://me@db/app?PassWord=***",
            ),
            ("host=db passwordless=yes", "host=db passwordless=yes"),
            (
                "host=db password='\\é' user=mé",
                "host=db password=*** user=mé",
            ),
            ("host=db password='\\é", "host=db password=***"),
        ] {
            let masked = mask_password(given);
            assert_eq!(masked, shown, "{given}");
            for secret in ["S3cr3t", "two words", "a&b", "it"] {
                if given.contains(secret) && !shown.contains(secret) {
                    assert!(!masked.contains(secret), "{given} -> {masked}");
                }
            }
        }
    }

    #[test]
    fn a_parameter_given_twice_is_found() {
        assert_eq!(
            duplicate_parameter("postgres://h/db?sslmode=verify-full&sslmode=disable").as_deref(),
            Some("sslmode")
        );
        assert_eq!(
            duplicate_parameter("host=h sslmode=require SSLMODE=disable").as_deref(),
            Some("sslmode")
        );
        assert_eq!(
            duplicate_parameter("postgres://h/db?sslmode=require&application_name=x"),
            None
        );
        assert_eq!(duplicate_parameter("postgres://h/db"), None);
    }
}
