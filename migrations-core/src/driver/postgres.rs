//! The PostgreSQL driver, on `postgres::Client`.

use crate::error::{Error, Result};

/// Connects to a `postgres://` URL.
pub fn connect(url: &str) -> Result<postgres::Client> {
    Err(Error::BadUrl {
        url: crate::database::mask_password(url),
        reason: "the PostgreSQL driver is not implemented yet".into(),
    })
}

/// One line describing a PostgreSQL error.
pub fn describe(err: &postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => db.message().to_string(),
        None => err.to_string(),
    }
}
