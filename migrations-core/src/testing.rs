//! Helpers for the app's own `cargo test`, and for tests of tools built on this crate:
//! round trip, models match, snapshot current, throwaway PostgreSQL databases, and
//! [`Fixture`], revision files written in code.
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
use crate::revision::{Dialect, Direction, Revision};
use crate::schema::Schema;
use crate::{Chain, Migrations, Target};
use std::path::{Path, PathBuf};

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
pub fn migrations_from_dir(versions: &Path) -> &'static Migrations {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(versions)
        .unwrap_or_else(|e| panic!("reading {}: {e}", versions.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    paths.sort();
    let files = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (name, text)
        })
        .collect();
    embed(versions.display().to_string(), files)
}

/// A revision file written in code, for tests: the one way this crate's own tests (and yours)
/// spell revision files, in one deterministic line layout, so that a test can ask the
/// fixture on which line a statement is instead of counting.
///
/// [`Fixture::text`] writes:
///
/// ```text
/// 1  -- Revision: <id>
/// 2  -- Revises: <parents, ", "-separated; empty for a root>
/// 3  -- Message: <message; `revision <id>` unless set>
///    -- Transaction: none         (only after `transaction_none()`)
///    -- Foreign-Keys: off         (only after `foreign_keys_off()`)
///    -- Irreversible: <reason>    (only after `irreversible(reason)`)
///    -- <key>: <value>            (each `header(key, value)`, in order)
///    (blank)
///    -- +upgrade [dialect]        each section in the order it was first set: its marker,
///    <the SQL, line for line>     its SQL (one trailing newline dropped; `""` is one empty
///    (blank)                      line), and a blank line before the next section
///    -- +downgrade [dialect]
///    <the SQL>
/// ```
///
/// So with no optional header and the upgrade first, the upgrade's SQL starts on line 6
/// ([`Fixture::upgrade_line`]`(1)`), and the `-- +downgrade` marker follows it after one
/// blank line ([`Fixture::downgrade_marker_line`]). The file is named `<id>_rev.sql` (see
/// [`Fixture::slug`]) in the folder `versions` ([`Fixture::path`]).
///
/// # Example
///
/// ```
/// use migrations_core::testing::{self, Fixture};
/// use migrations_core::Dialect;
///
/// let base = Fixture::new("aaaaaaaaaaaa")
///     .message("create todos")
///     .up("CREATE TABLE todos (id INTEGER PRIMARY KEY);")
///     .down("DROP TABLE todos;");
/// assert_eq!(
///     base.text(),
///     "-- Revision: aaaaaaaaaaaa\n-- Revises:\n-- Message: create todos\n\n\
///      -- +upgrade\nCREATE TABLE todos (id INTEGER PRIMARY KEY);\n\n\
///      -- +downgrade\nDROP TABLE todos;\n"
/// );
/// assert_eq!(base.file_name(), "aaaaaaaaaaaa_rev.sql");
///
/// let done = Fixture::new("bbbbbbbbbbbb")
///     .revises("aaaaaaaaaaaa")
///     .up("ALTER TABLE todos ADD COLUMN done BOOLEAN;")
///     .up_for(Dialect::Postgres, "ALTER TABLE todos ADD COLUMN done BOOLEAN NOT NULL DEFAULT false;")
///     .down("ALTER TABLE todos DROP COLUMN done;");
/// assert_eq!(done.upgrade_line(1), 6);
/// assert_eq!(done.downgrade_marker_line(), 11);
/// assert_eq!(done.revision().revises, ["aaaaaaaaaaaa"]);
///
/// let chain = testing::chain(&[base.clone(), done.clone()]);
/// assert_eq!(chain.head().id, "bbbbbbbbbbbb");
/// # #[cfg(feature = "rusqlite")] {
/// let migrations = testing::embedded(&[base, done]);
/// let mut conn = rusqlite::Connection::open_in_memory().unwrap();
/// assert_eq!(migrations.upgrade_to_head(&mut conn).unwrap().len(), 2);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    id: String,
    revises: Vec<String>,
    message: Option<String>,
    slug: String,
    transaction_none: bool,
    foreign_keys_off: bool,
    irreversible: Option<String>,
    headers: Vec<(String, String)>,
    sections: Vec<(Direction, Option<Dialect>, String)>,
}

impl Fixture {
    /// The line of the `-- Revision:` header.
    pub const ID_LINE: usize = 1;
    /// The line of the `-- Revises:` header (written for a root too, empty).
    pub const REVISES_LINE: usize = 2;
    /// The line of the `-- Message:` header.
    pub const MESSAGE_LINE: usize = 3;
    /// The folder [`Fixture::path`], [`Fixture::revision`] and [`embedded`] put the file in.
    pub const FOLDER: &'static str = "versions";

    /// A revision `id` (12 lowercase hex characters, unchecked: a test may want a bad one) with
    /// no parent, the message `revision <id>`, the file name `<id>_rev.sql` and no section.
    pub fn new(id: impl Into<String>) -> Fixture {
        Fixture {
            id: id.into(),
            revises: Vec::new(),
            message: None,
            slug: "rev".into(),
            transaction_none: false,
            foreign_keys_off: false,
            irreversible: None,
            headers: Vec::new(),
            sections: Vec::new(),
        }
    }

    /// Writes `-- <key>: <value>` after the other headers (`Lock-Timeout`, `Statement-Timeout`,
    /// or a header the parser should refuse).
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Fixture {
        self.headers.push((key.into(), value.into()));
        self
    }

    /// Adds parents: one id, or several separated by commas (`"aaa…, bbb…"`, a merge). An
    /// empty string adds none.
    pub fn revises(mut self, parents: &str) -> Fixture {
        self.revises.extend(
            parents
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
        self
    }

    /// The `Message:` header (one line).
    pub fn message(mut self, message: impl Into<String>) -> Fixture {
        self.message = Some(message.into());
        self
    }

    /// The file name's slug: the file is `<id>_<slug>.sql` (default `rev`).
    pub fn slug(mut self, slug: impl Into<String>) -> Fixture {
        self.slug = slug.into();
        self
    }

    /// Writes `-- Transaction: none`: the revision runs statement by statement.
    pub fn transaction_none(mut self) -> Fixture {
        self.transaction_none = true;
        self
    }

    /// Writes `-- Foreign-Keys: off` (SQLite runs the revision with foreign keys off).
    pub fn foreign_keys_off(mut self) -> Fixture {
        self.foreign_keys_off = true;
        self
    }

    /// Writes `-- Irreversible: <reason>` (then leave out the downgrade).
    pub fn irreversible(mut self, reason: impl Into<String>) -> Fixture {
        self.irreversible = Some(reason.into());
        self
    }

    /// The `-- +upgrade` section for every dialect; set again, it replaces the SQL in place.
    pub fn up(self, sql: impl Into<String>) -> Fixture {
        self.section(Direction::Upgrade, None, sql.into())
    }

    /// The `-- +downgrade` section for every dialect; set again, it replaces the SQL in place.
    pub fn down(self, sql: impl Into<String>) -> Fixture {
        self.section(Direction::Downgrade, None, sql.into())
    }

    /// The `-- +upgrade <dialect>` section; set again, it replaces the SQL in place.
    pub fn up_for(self, dialect: Dialect, sql: impl Into<String>) -> Fixture {
        self.section(Direction::Upgrade, Some(dialect), sql.into())
    }

    /// The `-- +downgrade <dialect>` section; set again, it replaces the SQL in place.
    pub fn down_for(self, dialect: Dialect, sql: impl Into<String>) -> Fixture {
        self.section(Direction::Downgrade, Some(dialect), sql.into())
    }

    fn section(mut self, direction: Direction, dialect: Option<Dialect>, sql: String) -> Fixture {
        let sql = sql.strip_suffix('\n').map(str::to_string).unwrap_or(sql);
        match self
            .sections
            .iter_mut()
            .find(|(d, l, _)| *d == direction && *l == dialect)
        {
            Some(section) => section.2 = sql,
            None => self.sections.push((direction, dialect, sql)),
        }
        self
    }

    /// The revision id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The message: as set, else `revision <id>`.
    pub fn message_text(&self) -> String {
        self.message
            .clone()
            .unwrap_or_else(|| format!("revision {}", self.id))
    }

    /// `<id>_<slug>.sql`.
    pub fn file_name(&self) -> String {
        format!("{}_{}.sql", self.id, self.slug)
    }

    /// `versions/<id>_<slug>.sql`: the path [`Fixture::revision`] and [`chain`] parse it as,
    /// and so the one their messages show.
    pub fn path(&self) -> String {
        format!("{}/{}", Self::FOLDER, self.file_name())
    }

    /// The header lines, in order.
    fn header_lines(&self) -> Vec<String> {
        let mut lines = vec![
            format!("-- Revision: {}", self.id),
            format!("-- Revises: {}", self.revises.join(", "))
                .trim_end()
                .to_string(),
            format!("-- Message: {}", self.message_text()),
        ];
        if self.transaction_none {
            lines.push("-- Transaction: none".into());
        }
        if self.foreign_keys_off {
            lines.push("-- Foreign-Keys: off".into());
        }
        if let Some(reason) = &self.irreversible {
            lines.push(format!("-- Irreversible: {reason}"));
        }
        for (key, value) in &self.headers {
            lines.push(format!("-- {key}: {value}"));
        }
        lines
    }

    /// The file's text, in the layout described on [`Fixture`].
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in self.header_lines() {
            out.push_str(&line);
            out.push('\n');
        }
        for (direction, dialect, sql) in &self.sections {
            out.push('\n');
            out.push_str("-- +");
            out.push_str(direction.name());
            if let Some(d) = dialect {
                out.push(' ');
                out.push_str(d.name());
            }
            out.push('\n');
            out.push_str(sql);
            out.push('\n');
        }
        out
    }

    /// The line of the marker of the section `direction` for `dialect` (`None`: the section
    /// for every dialect).
    ///
    /// # Panics
    ///
    /// When the fixture has no such section.
    pub fn marker_line(&self, direction: Direction, dialect: Option<Dialect>) -> usize {
        // The header, then per section: a blank line, the marker, the SQL's lines.
        let mut line = self.header_lines().len();
        for (d, l, sql) in &self.sections {
            line += 2;
            if (*d, *l) == (direction, dialect) {
                return line;
            }
            line += sql.split('\n').count();
        }
        panic!(
            "fixture {} has no `-- +{}{}` section",
            self.id,
            direction.name(),
            dialect.map(|d| format!(" {d}")).unwrap_or_default()
        )
    }

    /// The line of the `-- +upgrade` marker (the section for every dialect).
    pub fn upgrade_marker_line(&self) -> usize {
        self.marker_line(Direction::Upgrade, None)
    }

    /// The line of the `-- +downgrade` marker (the section for every dialect).
    pub fn downgrade_marker_line(&self) -> usize {
        self.marker_line(Direction::Downgrade, None)
    }

    /// The line of the file that holds line `n` (from 1) of the upgrade SQL for every dialect:
    /// where a statement starting there is reported.
    pub fn upgrade_line(&self, n: usize) -> usize {
        self.upgrade_marker_line() + n
    }

    /// The line of the file that holds line `n` (from 1) of the downgrade SQL for every dialect.
    pub fn downgrade_line(&self, n: usize) -> usize {
        self.downgrade_marker_line() + n
    }

    /// The file parsed as [`Fixture::path`].
    ///
    /// # Panics
    ///
    /// With every problem, when the file does not parse.
    #[track_caller]
    pub fn revision(&self) -> Revision {
        crate::revision::parse(&self.path(), &self.text()).unwrap_or_else(|problems| {
            let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            panic!("fixture {} does not parse:\n{}", self.id, lines.join("\n"))
        })
    }

    /// Writes the file into `dir` under [`Fixture::file_name`] and returns its path.
    ///
    /// # Panics
    ///
    /// When the file cannot be written.
    pub fn write_to(&self, dir: &Path) -> PathBuf {
        let path = dir.join(self.file_name());
        std::fs::write(&path, self.text())
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }
}

/// The chain of `fixtures` (each parsed by [`Fixture::revision`]).
///
/// # Panics
///
/// With every problem, when a file does not parse or the revisions are not one chain.
#[track_caller]
pub fn chain(fixtures: &[Fixture]) -> Chain {
    Chain::new(fixtures.iter().map(Fixture::revision).collect()).unwrap_or_else(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        panic!("the fixtures are not a chain:\n{}", lines.join("\n"))
    })
}

/// `fixtures` as `include_migrations!()` would embed them from a versions folder holding
/// them (sorted by file name, folder [`Fixture::FOLDER`]). Nothing is checked until the
/// chain is used, as with a build: a test can embed a broken chain. The value is leaked, like
/// [`migrations_from_dir`]'s.
pub fn embedded(fixtures: &[Fixture]) -> &'static Migrations {
    let mut files: Vec<(String, String)> =
        fixtures.iter().map(|f| (f.file_name(), f.text())).collect();
    files.sort();
    embed(Fixture::FOLDER.to_string(), files)
}

/// Leaks `(file name, text)` pairs as the embedded migrations of `versions_dir`.
fn embed(versions_dir: String, files: Vec<(String, String)>) -> &'static Migrations {
    use crate::revision::{checksum, normalize};
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let files: Vec<crate::EmbeddedFile> = files
        .into_iter()
        .map(|(name, text)| {
            let source = normalize(&text);
            crate::EmbeddedFile::new(leak(name), leak(checksum(&source)), leak(source))
        })
        .collect();
    let files: &'static [crate::EmbeddedFile] = Box::leak(files.into_boxed_slice());
    Box::leak(Box::new(Migrations::from_embedded(
        leak(versions_dir),
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

/// Drops the kept PostgreSQL head of a versions folder when it goes out of scope (README, "The
/// scratch database"), so that a test whose autogenerate built one leaves no database behind
/// (a later build would only drop it once the folder is gone).
///
/// ```no_run
/// use migrations_core::testing::DropsKeptHead;
///
/// let project = tempfile::tempdir().unwrap();
/// let versions = project.path().join("versions");
/// let _kept = DropsKeptHead::new(&versions, "sqlite::memory:"); // the scratch server as autogenerate picks it
/// // … `db revision --autogenerate` for PostgreSQL …
/// ```
#[cfg(feature = "postgres")]
pub struct DropsKeptHead {
    versions: PathBuf,
    database_url: String,
}

#[cfg(feature = "postgres")]
impl DropsKeptHead {
    /// For the folder `versions`, on the scratch server picked from `database_url` as
    /// autogenerate picks it.
    pub fn new(versions: impl Into<PathBuf>, database_url: impl Into<String>) -> DropsKeptHead {
        DropsKeptHead {
            versions: versions.into(),
            database_url: database_url.into(),
        }
    }
}

#[cfg(feature = "postgres")]
impl Drop for DropsKeptHead {
    fn drop(&mut self) {
        // None built (or no server): nothing to drop.
        let _ = crate::autogen::drop_kept_head(&self.versions, &self.database_url);
    }
}

#[cfg(feature = "postgres")]
pub use crate::driver::postgres::with_database;

#[cfg(feature = "postgres")]
mod pgbouncer;
#[cfg(feature = "postgres")]
pub use pgbouncer::{PgBouncer, PoolMode};

#[cfg(feature = "postgres")]
mod busy;
#[cfg(feature = "postgres")]
pub use busy::{BusyWriter, WriterReport};

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
