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

use crate::diff::Change;
use crate::driver::{Driver, Options};
use crate::migrate;
use crate::schema::Schema;
use crate::{Migrations, Target};

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

/// The migrations of a versions folder read at run time, as `include_migrations!()` would embed
/// them after a rebuild: for tests and tools that write revision files and run them in one
/// process. The value is leaked (it lives as long as the process, like the embedded one).
///
/// # Panics
///
/// When the folder cannot be read.
pub fn migrations_from_dir(versions: &std::path::Path) -> &'static Migrations {
    use crate::revision::{checksum, normalize};
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(versions)
        .unwrap_or_else(|e| panic!("reading {}: {e}", versions.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    paths.sort();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let files: Vec<crate::EmbeddedFile> = paths
        .iter()
        .map(|path| {
            let source = normalize(
                &std::fs::read_to_string(path)
                    .unwrap_or_else(|e| panic!("reading {}: {e}", path.display())),
            );
            crate::EmbeddedFile::new(
                leak(
                    path.file_name()
                        .expect("a file")
                        .to_string_lossy()
                        .into_owned(),
                ),
                leak(checksum(&source)),
                leak(source),
            )
        })
        .collect();
    let files: &'static [crate::EmbeddedFile] = Box::leak(files.into_boxed_slice());
    Box::leak(Box::new(Migrations::from_embedded(
        leak(versions.display().to_string()),
        files,
    )))
}

/// Upgrades `conn` (an empty database) to head and checks that the schema the migrations
/// produce is the one the models declare.
///
/// It also holds the drift check's prediction of the models (see
/// [`migrate::predicted_as_built`]), constraint names included, to a real build of them on
/// `conn`'s server, so your own test suite proves it for your models and your database version.
///
/// # Panics
///
/// With every difference, one per line, in the drift check's words; or when the prediction
/// differs from the build (please report that).
#[track_caller]
pub fn assert_models_match<D: Driver + ?Sized>(
    migrations: &Migrations,
    models: &Schema,
    conn: &mut D,
) {
    let chain = migrations.chain().unwrap_or_else(|e| panic!("{e}"));
    migrate::upgrade(chain, conn, &Target::Head, &Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let changes = migrate::drift(conn, models).unwrap_or_else(|e| panic!("{e}"));
    if !changes.is_empty() {
        let lines: Vec<String> = changes
            .iter()
            .map(|c| format!("  {}", Change::drift(c)))
            .collect();
        panic!(
            "the migrations do not produce the models on {} ({} difference(s)); write a revision (`db revision --autogenerate -m MSG`) or fix the models:\n{}",
            conn.dialect(),
            lines.len(),
            lines.join("\n")
        );
    }
    if let Some(predicted) = migrate::predicted_as_built(conn.dialect(), models) {
        let built = migrate::models_as_built(conn, models).unwrap_or_else(|e| panic!("{e}"));
        if let Err(gaps) = prediction_matches(&predicted, &built) {
            panic!(
                "the drift check's prediction of the models differs from what {} builds (please report this, with the models):\n{gaps}",
                conn.dialect()
            );
        }
    }
}

/// Whether a prediction of the models is their build, constraint names included (the names
/// autogenerate's downgrades drop); the differences, one per line, when not.
fn prediction_matches(predicted: &Schema, built: &Schema) -> Result<(), String> {
    let gaps: Vec<String> = crate::diff::diff(built, predicted)
        .iter()
        .map(|c| format!("  {}", Change::drift(c)))
        .collect();
    if !gaps.is_empty() {
        return Err(gaps.join("\n"));
    }
    let (p, b) = (constraint_names(predicted), constraint_names(built));
    if p != b {
        return Err(format!("  constraint names: predicted {p:?}, built {b:?}"));
    }
    Ok(())
}

/// Every constraint name of `schema`, sorted.
fn constraint_names(schema: &Schema) -> Vec<String> {
    let mut names: Vec<String> = schema
        .tables
        .values()
        .flat_map(|t| {
            t.primary_key_name
                .iter()
                .chain(t.indexes.iter().filter_map(|i| i.constraint_name.as_ref()))
                .chain(t.foreign_keys.iter().filter_map(|fk| fk.name.as_ref()))
                .chain(t.checks.iter().filter_map(|c| c.name.as_ref()))
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names
}

/// Checks that `schema.snapshot` (beside the versions folder) shows the head schema the
/// embedded revisions produce. Revisions that serve PostgreSQL only are built in a
/// [`TestDatabase`] (skipped like any PostgreSQL test when there is no server).
///
/// # Panics
///
/// When the file is missing or stale, saying to run `db snapshot`.
#[track_caller]
pub fn assert_snapshot_current(migrations: &Migrations) {
    let chain = migrations.chain().unwrap_or_else(|e| panic!("{e}"));
    let path = migrations.snapshot_path();
    let head = match migrate::snapshot_dialect(chain) {
        #[cfg(feature = "rusqlite")]
        crate::Dialect::Sqlite => migrate::head_schema(chain).unwrap_or_else(|e| panic!("{e}")),
        #[cfg(feature = "postgres")]
        crate::Dialect::Postgres => {
            let Some(db) = TestDatabase::create() else {
                return;
            };
            migrate::build_head(chain, &mut db.connect()).unwrap_or_else(|e| panic!("{e}"))
        }
        #[allow(unreachable_patterns)]
        other => panic!(
            "the snapshot is read on {other}: enable migrations-core's feature for it (`rusqlite` or `postgres`)"
        ),
    };
    match migrate::snapshot_status(chain, &head, &path) {
        migrate::SnapshotStatus::Current => {}
        migrate::SnapshotStatus::Stale => panic!(
            "{} is stale: it does not show the schema at head {}; run `db snapshot` and commit the file",
            path.display(),
            chain.head().id
        ),
        migrate::SnapshotStatus::Missing => panic!(
            "cannot read {}; run `db snapshot` to write it",
            path.display()
        ),
    }
}

/// Throwaway PostgreSQL databases for tests.
///
/// The admin URL comes from `TEST_POSTGRES_URL` (default
/// `postgres://postgres@127.0.0.1:5432/postgres`). When the server cannot be reached,
/// [`TestDatabase::create`] returns `None` and prints that the test was skipped, unless
/// `REQUIRE_POSTGRES=1`, when it panics instead (CI sets it, so a missing server fails the run).
///
/// ```no_run
/// use migrations_core::testing::TestDatabase;
///
/// let Some(db) = TestDatabase::create() else { return };  // skipped: no server
/// let mut client = db.connect();
/// client.batch_execute("CREATE TABLE t (x int)").unwrap();
/// // dropped (WITH FORCE) when `db` goes out of scope
/// ```
#[cfg(feature = "postgres")]
pub struct TestDatabase {
    /// The database's name (`migrations_test_<random hex>`).
    pub name: String,
    /// A URL that connects to it.
    pub url: String,
    _db: crate::driver::postgres::ScratchDatabase,
}

/// The default admin URL of [`TestDatabase`].
#[cfg(feature = "postgres")]
pub const DEFAULT_TEST_POSTGRES_URL: &str = crate::driver::postgres::DEFAULT_ADMIN_URL;

#[cfg(feature = "postgres")]
impl TestDatabase {
    /// Creates a fresh database with a random name, or `None` (test skipped) when no server
    /// answers and `REQUIRE_POSTGRES` is not set.
    ///
    /// # Panics
    ///
    /// When `REQUIRE_POSTGRES=1` and the server cannot be reached, or when creating the
    /// database fails.
    pub fn create() -> Option<TestDatabase> {
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.to_string());
        let required = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true");
        match crate::driver::postgres::ScratchDatabase::create(&admin_url, "migrations_test") {
            Ok(db) => Some(TestDatabase {
                name: db.name.clone(),
                url: db.url.clone(),
                _db: db,
            }),
            Err(e) if !required => {
                eprintln!(
                    "skipped: PostgreSQL is not reachable ({e}); set TEST_POSTGRES_URL to an admin URL, or REQUIRE_POSTGRES=1 to make this a failure"
                );
                None
            }
            Err(e) => panic!("REQUIRE_POSTGRES is set but no test database could be made: {e}"),
        }
    }

    /// A new connection to the test database.
    ///
    /// # Panics
    ///
    /// When it cannot connect.
    pub fn connect(&self) -> postgres::Client {
        crate::driver::postgres::connect(&self.url)
            .unwrap_or_else(|e| panic!("connecting to test database {}: {e}", self.name))
    }
}

#[cfg(feature = "postgres")]
pub use crate::driver::postgres::with_database;

#[cfg(all(test, feature = "postgres"))]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "x"),
            "postgres://u:p@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}

#[cfg(test)]
mod prediction_tests {
    use super::prediction_matches;
    use crate::schema::{Column, ColumnType, Schema, Table};

    /// A prediction that differs from the build is caught, in the drift check's words, and
    /// so are constraint names that differ.
    #[test]
    fn a_prediction_that_differs_from_the_build_is_caught() {
        let built = Schema::new().table(
            Table::new("t")
                .column(Column::new("a", ColumnType::Integer).default_sql("'-1'::integer")),
        );
        assert_eq!(prediction_matches(&built, &built), Ok(()));
        let mut named = built.clone();
        named.tables.get_mut("t").unwrap().primary_key_name = Some("t_pkey".into());
        let names = prediction_matches(&built, &named).unwrap_err();
        assert!(names.contains("t_pkey"), "{names}");
        let mut wrong = built.clone();
        wrong.tables.get_mut("t").unwrap().columns[0].default = Some("-1".into());
        let gaps = prediction_matches(&wrong, &built).unwrap_err();
        assert!(gaps.contains("t.a"), "{gaps}");
    }
}
