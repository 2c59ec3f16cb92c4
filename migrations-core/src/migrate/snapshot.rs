//! The chain's head schema, and `schema.snapshot`, the file that shows it.

use super::upgrade_logged;
use crate::chain::{Chain, Target};
use crate::dialect::Dialect;
use crate::driver::{Driver, Options};
#[cfg(feature = "rusqlite")]
use crate::error::Error;
use crate::error::Result;
use crate::schema::Schema;

/// Applies every revision of the chain to `conn` (an empty scratch database) without logging
/// or locking.
#[doc(hidden)]
pub fn apply_quietly<D: Driver + ?Sized>(chain: &Chain, conn: &mut D) -> Result<()> {
    apply_quietly_to(chain, conn, &Target::Head)
}

/// [`apply_quietly`] up to `target` only.
pub(crate) fn apply_quietly_to<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
) -> Result<()> {
    let quiet = Options {
        use_lock: false,
        ..Options::default()
    };
    upgrade_logged(chain, conn, target, &quiet, false).map(drop)
}

/// [`apply_quietly`], then the schema read back: the chain's head schema on `conn`'s dialect.
pub fn build_head<D: Driver + ?Sized>(chain: &Chain, conn: &mut D) -> Result<Schema> {
    apply_quietly(chain, conn)?;
    conn.introspect()
}

/// [`build_head`] on an empty in-memory SQLite database: the head schema, as the snapshot
/// shows it.
#[cfg(feature = "rusqlite")]
pub fn head_schema(chain: &Chain) -> Result<Schema> {
    let mut conn = rusqlite::Connection::open_in_memory()
        .map_err(|source| Error::database("opening an in-memory database", source))?;
    build_head(chain, &mut conn)
}

/// Whether a `schema.snapshot` file shows the chain's head schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotStatus {
    /// It does.
    Current,
    /// It shows something else.
    Stale,
    /// There is no file.
    Missing,
}

/// Compares the file at `path` with `head`, the head schema of `chain` (see [`head_schema`]).
pub fn snapshot_status(chain: &Chain, head: &Schema, path: &std::path::Path) -> SnapshotStatus {
    let want = render_snapshot(chain, head);
    match std::fs::read_to_string(path) {
        Ok(have) if crate::revision::normalize(&have) == want => SnapshotStatus::Current,
        Ok(_) => SnapshotStatus::Stale,
        Err(_) => SnapshotStatus::Missing,
    }
}

/// The dialect `schema.snapshot` shows the head schema in: SQLite when the revisions serve it
/// (no server needed, and the build can check it), else PostgreSQL.
pub fn snapshot_dialect(chain: &Chain) -> Dialect {
    if chain.serves(Dialect::Sqlite) {
        Dialect::Sqlite
    } else {
        Dialect::Postgres
    }
}

/// The text of `schema.snapshot` for the chain's head schema, as read in
/// [`snapshot_dialect`].
pub fn render_snapshot(chain: &Chain, schema: &Schema) -> String {
    let reader = match snapshot_dialect(chain) {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
    };
    format!(
        "# The schema at head ({}), as {reader} reports it after all revisions.\n# Written by `db snapshot` and `db revision`; checked by the build and by tests. Do not edit.\n\n{}",
        chain.head().id,
        schema.render()
    )
}
