//! What each database means by SQL, apart from any connection: types, the names it chooses,
//! how it deparses what it stores (the prediction of the models' schema), how it reads its
//! catalog. Always compiled: planning and autogenerate for a dialect need no driver for it.

pub mod postgres;
pub mod sqlite;

use std::fmt;

/// A SQL dialect the crate can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// SQLite, through rusqlite.
    Sqlite,
    /// PostgreSQL, through the `postgres` crate.
    Postgres,
}

impl Dialect {
    /// Every dialect, in a stable order.
    pub const ALL: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

    /// The name used in section markers: `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// Parses a section marker's dialect name (`postgresql` is accepted for `postgres`).
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "sqlite" => Some(Dialect::Sqlite),
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            _ => None,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
