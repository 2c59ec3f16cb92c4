//! Helpers for the app's own `cargo test`.
//!
//! # Example
//!
//! ```no_run
//! # macro_rules! include_migrations { () => { migrations_core::Migrations::from_embedded("", &[]) } }
//! static MIGRATIONS: migrations_core::Migrations = include_migrations!();
//!
//! #[test]
//! fn migrations_round_trip() {
//!     let mut conn = rusqlite::Connection::open_in_memory().unwrap();
//!     migrations_core::testing::assert_round_trips(&MIGRATIONS, &mut conn);
//! }
//! ```

use crate::driver::Driver;
use crate::migrate;
use crate::Migrations;

/// For each revision from base: upgrade and snapshot the schema; downgrade and check the schema
/// equals the one before; upgrade again and check it equals the one after. `conn` must be an
/// empty database of the dialect to test.
///
/// # Panics
///
/// With every problem, each naming the revision's file and the schema differences.
#[track_caller]
pub fn assert_round_trips<D: Driver + ?Sized>(migrations: &Migrations, conn: &mut D) {
    let chain = migrations.chain().unwrap_or_else(|e| panic!("{e}"));
    if let Err(problems) = migrate::round_trip(chain, conn) {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        panic!("revisions do not round-trip:\n{}", lines.join("\n"));
    }
}
