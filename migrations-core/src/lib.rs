//! Alembic-style schema migrations for Rust apps: revision files compiled into the binary by one
//! `build.rs` line, validated at build time, applied on boot, and a CLI with Alembic's verbs.
//!
//! # Example
//!
//! ```no_run
//! // build.rs:  fn main() { migrations_build::embed("../migrations"); }
//! # macro_rules! include_migrations { () => { migrations_core::Migrations::from_embedded("", &[]) } }
//! static MIGRATIONS: migrations_core::Migrations = include_migrations!();
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let mut conn = migrations_core::rusqlite::Connection::open("database.db")?;
//!     MIGRATIONS.boot(&mut conn, &models())?; // lock, verify checksums, upgrade, drift check
//!     Ok(())
//! }
//!
//! fn models() -> migrations_core::Schema {
//!     use migrations_core::schema::{Column, ColumnType, Table};
//!     migrations_core::Schema::new().table(
//!         Table::new("todos")
//!             .column(Column::new("id", ColumnType::BigInt).identity())
//!             .column(Column::new("title", ColumnType::Varchar(255)).not_null())
//!             .primary_key(["id"]),
//!     )
//! }
//! ```
//!
//! The same binary carries the CLI (feature `cli`): `my-app db upgrade head`,
//! `db downgrade -1`, `db history`, `db revision -m "add users"`… See [`cli`].
//!
//! # Modules, in the order a user meets them
//!
//! | module | what it is for |
//! |---|---|
//! | [`Migrations`] (this page) | the embedded revisions: `boot`, `upgrade_to_head`, `upgrade`, `downgrade`, `current` |
//! | [`schema`] | the models: tables, columns, indexes, keys, checks, built in Rust |
//! | [`cli`] | the `db` command line embedded in the app (feature `cli`) |
//! | [`testing`] | helpers for the app's own `cargo test`: round trip, models match, snapshot current, revision fixtures |
//! | [`database`] | a connection opened from a URL (`sqlite:…`, `postgres://…`) |
//! | [`autogen`] | autogenerate as a library: plan, render, [`autogen::prepare`] a new revision |
//! | [`migrate`] | the protocol on any [`Driver`]: upgrade, downgrade, stamp, drift, round trip, `--sql` |
//! | [`revision`], [`chain`], [`folder`] | revision files, their graph, the versions folder |
//! | [`diff`], [`render`] | schema differences, and the DDL of models |
//! | [`dialect`] | what each database means by SQL: names, the prediction of the models' schema, `ALTER` |
//! | [`driver`] | the trait a backend implements ([`Driver`], seven required methods), and the drivers |
//! | [`bookkeeping`] | the SQL of this crate's own tables, written once |
//! | [`error`] | the one error type; every message names the file, line or revision and the fix |
//!
//! # Crate features
//!
//! - `rusqlite` (default): the SQLite driver, on `rusqlite::Connection`, re-exported as
//!   `migrations_core::rusqlite` (use it instead of a `rusqlite` dependency of your own: two
//!   versions of `libsqlite3-sys` cannot link into one build).
//! - `postgres`: the PostgreSQL driver, on `postgres::Client`, re-exported as
//!   `migrations_core::postgres`.
//! - `tokio-postgres`: the async PostgreSQL backend, on `tokio_postgres::Client` (a pool's
//!   client too), re-exported as `migrations_core::tokio_postgres`: `Migrations::boot_async`
//!   and its siblings, and `driver::postgres::async_client`; implies `postgres`.
//! - `tls`: TLS for PostgreSQL (`sslmode=prefer/require/verify-ca/verify-full`) through rustls,
//!   checking against the Mozilla root certificates or an `sslrootcert` file, with a client
//!   certificate from `sslcert`/`sslkey` (see `driver::postgres::connect`); implies `postgres`.
//! - `cli`: the `db` command line, built with clap; implies `rusqlite`.
//!
//! Dialect knowledge ([`dialect`]), planning, autogenerate and `--sql` need no feature: every
//! dialect is always compiled, only the drivers are optional.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "rusqlite", feature = "postgres")))]
compile_error!(
    "migrations-core needs a driver: enable the `rusqlite` feature (the default) or `postgres`"
);

pub mod autogen;
pub mod bookkeeping;
pub mod chain;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod cli;
pub mod database;
pub mod dialect;
pub mod diff;
pub mod driver;
pub mod error;
pub mod folder;
pub mod inspect;
pub mod lint;
pub mod migrate;
pub mod render;
pub mod revision;
pub mod schema;
#[doc(hidden)]
pub mod sql;
pub mod testing;
mod url;

/// The `rusqlite` this crate is built with (feature `rusqlite`). Use it rather than a
/// `rusqlite` dependency of your own: only one `libsqlite3-sys` can link into a build, and
/// `cargo add rusqlite` may pick a newer one that conflicts.
///
/// ```
/// let conn = migrations_core::rusqlite::Connection::open_in_memory().unwrap();
/// let one: i64 = conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
/// assert_eq!(one, 1);
/// ```
#[cfg(feature = "rusqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "rusqlite")))]
pub use rusqlite;

/// The `postgres` crate this crate is built with (feature `postgres`), so that the app's
/// `postgres::Client` is the one [`Driver`] is implemented for.
///
/// ```no_run
/// let mut client = migrations_core::postgres::Client::connect(
///     "host=127.0.0.1 user=postgres",
///     migrations_core::postgres::NoTls,
/// )?;
/// # let _ = &mut client;
/// # Ok::<(), migrations_core::postgres::Error>(())
/// ```
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres;

/// The `tokio-postgres` crate this crate is built with (feature `tokio-postgres`), so that the
/// app's `tokio_postgres::Client` (a pool's, too) is the one the async entry points take
/// ([`Migrations::boot_async`]).
#[cfg(feature = "tokio-postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio-postgres")))]
pub use tokio_postgres;

pub use chain::{Chain, Target};
pub use driver::{DbError, Driver, OnDrift, Options, Progress};
pub use error::{Error, Problem, Result};

pub use migrate::StepReport;
pub use revision::{Dialect, Direction, Revision};
pub use schema::Schema;

use std::sync::OnceLock;

/// Embeds the migrations that `migrations_build::embed` compiled, as a [`Migrations`] value.
///
/// ```ignore
/// static MIGRATIONS: migrations_core::Migrations = migrations_core::include_migrations!();
/// ```
///
/// With a name, the folder that `migrations_build::embed_named(dir, "name")` embedded:
///
/// ```ignore
/// static AUDIT: migrations_core::Migrations = migrations_core::include_migrations!("audit");
/// ```
#[macro_export]
macro_rules! include_migrations {
    () => {
        include!(concat!(env!("OUT_DIR"), "/migrations_embedded.rs"))
    };
    ($name:literal) => {
        include!(concat!(
            env!("OUT_DIR"),
            "/migrations_embedded_",
            $name,
            ".rs"
        ))
    };
}

/// One revision file as the build step embedded it.
#[derive(Debug)]
pub struct EmbeddedFile {
    name: &'static str,
    checksum: &'static str,
    source: &'static str,
}

impl EmbeddedFile {
    /// A file's name, SHA-256 (hex, of the normalised text) and normalised text. Called by
    /// the code `include_migrations!` includes.
    #[doc(hidden)]
    pub const fn new(name: &'static str, checksum: &'static str, source: &'static str) -> Self {
        EmbeddedFile {
            name,
            checksum,
            source,
        }
    }
}

/// The app's revisions, embedded into the binary at build time, and everything to run them.
#[derive(Debug)]
pub struct Migrations {
    versions_dir: &'static str,
    files: &'static [EmbeddedFile],
    several_heads: bool,
    chain: OnceLock<std::result::Result<Chain, Vec<Problem>>>,
    applied_at_head: OnceLock<migrate::history::Expected<'static>>,
}

impl Migrations {
    /// The constructor that `include_migrations!` calls: the versions folder's path at build
    /// time (where `db revision` writes new files) and the embedded files.
    #[doc(hidden)]
    pub const fn from_embedded(versions_dir: &'static str, files: &'static [EmbeddedFile]) -> Self {
        Migrations {
            versions_dir,
            files,
            several_heads: false,
            chain: OnceLock::new(),
            applied_at_head: OnceLock::new(),
        }
    }

    /// Marks revisions that the build embedded with several heads (`MIGRATIONS_ALLOW_HEADS`,
    /// so that `db merge` can run): such an app never boots, whatever its database holds.
    pub const fn with_several_heads(mut self) -> Self {
        self.several_heads = true;
        self
    }

    /// The folder the revisions were read from at build time.
    pub fn versions_dir(&self) -> &'static str {
        self.versions_dir
    }

    /// The validated chain. The build step already validated it, so this only fails if the
    /// embedded data was built by hand.
    pub fn chain(&self) -> Result<&Chain> {
        self.chain
            .get_or_init(|| {
                let mut revisions = Vec::with_capacity(self.files.len());
                let mut problems = Vec::new();
                for f in self.files {
                    let path = format!("{}/{}", self.versions_dir, f.name);
                    match revision::parse_embedded(&path, f.source, f.checksum) {
                        Ok(rev) => revisions.push(rev),
                        Err(p) => problems.extend(p),
                    }
                }
                if problems.is_empty() && !revisions.is_empty() {
                    match Chain::new(revisions) {
                        Ok(chain) => return Ok(chain),
                        Err(p) => problems = p,
                    }
                }
                // No problem and no revision: nothing was embedded.
                Err(problems)
            })
            .as_ref()
            .map_err(|problems| match problems.as_slice() {
                [] => Error::NoRevisions,
                _ => Error::Invalid(problems.clone()),
            })
    }

    /// Boots the app's database: takes the migration lock, verifies that applied revisions are
    /// unchanged, upgrades to head, then checks the live schema against the models. Call it
    /// before serving anything.
    ///
    /// With nothing to do it is one read of the history (no lock, nothing parsed), and the
    /// drift check is remembered while neither the schema nor the models change (see
    /// [`migrate::check_drift`] and [`Options::remember_drift_check`]).
    ///
    /// # Failure
    ///
    /// Drift from the models (every difference, one per line), an edited applied revision
    /// (naming its file), a database migrated by a newer build, or a failing revision (naming
    /// the revision, its file, the statement and the database's message; the database stays at
    /// the last good revision).
    pub fn boot<D: Driver + ?Sized>(
        &self,
        conn: &mut D,
        models: &Schema,
    ) -> Result<Vec<StepReport>> {
        self.boot_with(conn, models, &Options::default())
    }

    /// [`Migrations::boot`] with explicit [`Options`] (lock timeout, drift as a warning…).
    pub fn boot_with<D: Driver + ?Sized>(
        &self,
        conn: &mut D,
        models: &Schema,
        options: &Options,
    ) -> Result<Vec<StepReport>> {
        let steps = self.upgrade_to_head_with(conn, options)?;
        migrate::check_drift(conn, models, options)?;
        Ok(steps)
    }

    /// Upgrades to head without the drift check (for apps without models).
    pub fn upgrade_to_head<D: Driver + ?Sized>(&self, conn: &mut D) -> Result<Vec<StepReport>> {
        self.upgrade_to_head_with(conn, &Options::default())
    }

    /// [`Migrations::upgrade_to_head`] with explicit [`Options`] (how long to wait for the lock).
    ///
    /// On failure, a SQLite file that [`database::Database::open`] created and that is still
    /// empty is removed (a first start that fails leaves no empty database behind).
    pub fn upgrade_to_head_with<D: Driver + ?Sized>(
        &self,
        conn: &mut D,
        options: &Options,
    ) -> Result<Vec<StepReport>> {
        let result = self.upgrade_to_head_once(conn, options);
        #[cfg(feature = "rusqlite")]
        if result.is_err() {
            database::created::remove_if_untouched(conn);
        }
        result
    }

    fn upgrade_to_head_once<D: Driver + ?Sized>(
        &self,
        conn: &mut D,
        options: &Options,
    ) -> Result<Vec<StepReport>> {
        if self.at_head(conn, options)? {
            log::debug!(
                "database is up to date: all {} revisions applied, none edited since",
                self.files.len()
            );
            return Ok(Vec::new());
        }
        migrate::upgrade(self.chain()?, conn, &Target::Head, options)
    }

    /// Whether the history records exactly the embedded revisions with their checksums: then
    /// the database is at head and nothing applied was edited, and a boot has nothing to do.
    /// One read of the history, without parsing a file or taking the lock; anything else
    /// (`false`) goes the full way, which locks, verifies and says what differs.
    fn at_head<D: Driver + ?Sized>(&self, conn: &mut D, options: &Options) -> Result<bool> {
        if self.several_heads || self.files.is_empty() {
            return Ok(false);
        }
        let expected = self.applied_at_head.get_or_init(|| {
            // `<id>_<slug>.sql`, as the build checked; the build embeds them sorted by name,
            // which is by id (ids have one length).
            let mut pairs: Vec<(&'static str, &'static str)> = self
                .files
                .iter()
                .map(|f| {
                    (
                        f.name.split_once('_').map_or(f.name, |(id, _)| id),
                        f.checksum,
                    )
                })
                .collect();
            if !pairs.is_sorted() {
                pairs.sort_unstable();
            }
            migrate::history::Expected::new(pairs)
        });
        // The read waits as long as the options say, and no longer: SQLite's busy handler
        // (the connection's own busy timeout, 5 s by rusqlite's default, would come on top of
        // the lock timeout); PostgreSQL's lock timeout (a session that holds the history table
        // locked, `LOCK TABLE` in an idle transaction, would keep the boot waiting for ever).
        conn.begin_run(options)?;
        let found = migrate::history::matches(conn, expected, options);
        conn.end_run()?;
        found.map_err(|e| match conn.dialect() {
            Dialect::Sqlite => Error::LockTimeout(format!(
                "another process held the SQLite database locked for more than {:?} (this boot \
                 was reading the history table); retry when it is done, or raise \
                 `Options::lock_timeout`",
                options.lock_timeout
            )),
            _ => Error::LockTimeout(format!(
                "another session held the history table locked for more than {:?} (this boot was \
                 reading it: {}): {}; end that session's transaction, or raise \
                 `Options::lock_timeout`",
                options.lock_timeout,
                e.message(),
                migrate::lock::table_lock_holders(conn)
            )),
        })
    }

    /// How the versions folder differs now from what this build embedded: revision files
    /// written, edited or removed since (`db revision` without `cargo build`). `None` when the
    /// folder does not exist where the build read it (a deployed binary).
    pub fn unbuilt(&self) -> Option<folder::Unbuilt> {
        let on_disk =
            folder::checksums_knowing(std::path::Path::new(self.versions_dir), &|name| {
                // Sorted by name, as the build embeds them.
                let at = self.files.binary_search_by(|f| f.name.cmp(name)).ok()?;
                Some((self.files[at].source, self.files[at].checksum))
            })?;
        let embedded: Vec<(&str, &str)> = self.files.iter().map(|f| (f.name, f.checksum)).collect();
        let on_disk: Vec<(&str, &str)> = on_disk
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_str()))
            .collect();
        Some(folder::compare(&embedded, &on_disk))
    }

    /// The path of `schema.snapshot`: beside the versions folder.
    pub fn snapshot_path(&self) -> std::path::PathBuf {
        std::path::Path::new(self.versions_dir)
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("schema.snapshot")
    }

    /// Upgrades to `target` (`head`, `+N` or a revision).
    pub fn upgrade<D: Driver + ?Sized>(
        &self,
        conn: &mut D,
        target: &str,
    ) -> Result<Vec<StepReport>> {
        migrate::upgrade(
            self.chain()?,
            conn,
            &Target::parse(target)?,
            &Options::default(),
        )
    }

    /// Downgrades to `target` (`base`, `-N` or a revision).
    pub fn downgrade<D: Driver + ?Sized>(
        &self,
        conn: &mut D,
        target: &str,
    ) -> Result<Vec<StepReport>> {
        migrate::downgrade(
            self.chain()?,
            conn,
            &Target::parse(target)?,
            &Options::default(),
        )
    }

    /// The embedded text of revision `id`'s file.
    pub fn source_of(&self, id: &str) -> Option<&'static str> {
        self.files
            .iter()
            .find(|f| f.name.starts_with(id) && f.name.as_bytes().get(id.len()) == Some(&b'_'))
            .map(|f| f.source)
    }

    /// The ids of the database's current revision(s); empty at base.
    pub fn current<D: Driver + ?Sized>(&self, conn: &mut D) -> Result<Vec<String>> {
        let chain = self.chain()?;
        let applied = migrate::verified_history(chain, conn)?;
        Ok(chain
            .current(&applied)
            .iter()
            .map(|r| r.id.clone())
            .collect())
    }
}

/// The async entry points (feature `tokio-postgres`): the blocking ones, on a
/// `tokio_postgres::Client` — a pool's client too (`&*pool.get().await?`, deadpool's or bb8's).
/// Each runs the same protocol as its blocking twin, on a thread of its own whose statements
/// the returned future runs on `client` (see [`driver::postgres::async_client`]); dropping the
/// future before it is done rolls back what it left open on `client`. They take `&'static
/// self`: the [`Migrations`] of `include_migrations!` is a `static`.
#[cfg(feature = "tokio-postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio-postgres")))]
impl Migrations {
    /// [`Migrations::boot`] on an async client: lock, verify, upgrade to head, drift check.
    /// The future borrows only `client` (`models` is copied).
    ///
    /// ```no_run
    /// # macro_rules! include_migrations { () => { migrations_core::Migrations::from_embedded("", &[]) } }
    /// static MIGRATIONS: migrations_core::Migrations = include_migrations!();
    ///
    /// # async fn doc(pool: deadpool_postgres::Pool) -> Result<(), Box<dyn std::error::Error>> {
    /// let client = pool.get().await?;
    /// MIGRATIONS.boot_async(&client, &migrations_core::Schema::new()).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Failure
    ///
    /// As [`Migrations::boot`].
    pub fn boot_async<'c>(
        &'static self,
        client: &'c tokio_postgres::Client,
        models: &Schema,
    ) -> impl std::future::Future<Output = Result<Vec<StepReport>>> + Send + 'c {
        self.boot_async_with(client, models, &Options::default())
    }

    /// [`Migrations::boot_with`] on an async client.
    pub fn boot_async_with<'c>(
        &'static self,
        client: &'c tokio_postgres::Client,
        models: &Schema,
        options: &Options,
    ) -> impl std::future::Future<Output = Result<Vec<StepReport>>> + Send + 'c {
        let (models, options) = (models.clone(), options.clone());
        driver::postgres::async_client::run(client, move |conn| {
            self.boot_with(conn, &models, &options)
        })
    }

    /// [`Migrations::upgrade_to_head_with`] on an async client.
    pub fn upgrade_to_head_async<'c>(
        &'static self,
        client: &'c tokio_postgres::Client,
        options: &Options,
    ) -> impl std::future::Future<Output = Result<Vec<StepReport>>> + Send + 'c {
        let options = options.clone();
        driver::postgres::async_client::run(client, move |conn| {
            self.upgrade_to_head_with(conn, &options)
        })
    }

    /// [`Migrations::upgrade`] on an async client.
    pub fn upgrade_async<'c>(
        &'static self,
        client: &'c tokio_postgres::Client,
        target: &str,
    ) -> impl std::future::Future<Output = Result<Vec<StepReport>>> + Send + 'c {
        let target = target.to_string();
        driver::postgres::async_client::run(client, move |conn| self.upgrade(conn, &target))
    }

    /// [`Migrations::downgrade`] on an async client.
    pub fn downgrade_async<'c>(
        &'static self,
        client: &'c tokio_postgres::Client,
        target: &str,
    ) -> impl std::future::Future<Output = Result<Vec<StepReport>>> + Send + 'c {
        let target = target.to_string();
        driver::postgres::async_client::run(client, move |conn| self.downgrade(conn, &target))
    }

    /// [`Migrations::current`] on an async client.
    pub fn current_async<'c>(
        &'static self,
        client: &'c tokio_postgres::Client,
    ) -> impl std::future::Future<Output = Result<Vec<String>>> + Send + 'c {
        driver::postgres::async_client::run(client, move |conn| self.current(conn))
    }
}

#[cfg(all(test, feature = "rusqlite"))]
mod tests {
    use super::*;
    use crate::testing::{embedded, Fixture};

    /// Revision `id` in `<id>_<slug>.sql`, with the message `slug`: creates `table`.
    fn creates(id: &str, parent: &str, slug: &str, table: &str) -> Fixture {
        Fixture::new(id)
            .revises(parent)
            .slug(slug)
            .message(slug)
            .up(format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY);"))
            .down(format!("DROP TABLE {table};"))
    }

    fn base() -> Fixture {
        creates("0000000000a1", "", "base", "a")
    }

    fn left() -> Fixture {
        creates("0000000000b2", "0000000000a1", "left", "b")
    }

    fn right() -> Fixture {
        creates("0000000000c3", "0000000000a1", "right", "c")
    }

    #[test]
    fn a_boot_at_head_reads_the_history_once_and_parses_no_file() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let first = embedded(&[base(), left()]);
        assert_eq!(first.upgrade_to_head(&mut conn).unwrap().len(), 2);
        let again = embedded(&[base(), left()]);
        assert!(again.upgrade_to_head(&mut conn).unwrap().is_empty());
        assert!(again.chain.get().is_none(), "the files were parsed");
        // One revision behind: the full path runs it.
        let more = embedded(&[
            base(),
            left(),
            Fixture::new("0000000000c3")
                .revises("0000000000b2")
                .slug("right")
                .message("more")
                .up("CREATE TABLE c (id INTEGER);")
                .down("DROP TABLE c;"),
        ]);
        assert_eq!(more.upgrade_to_head(&mut conn).unwrap().len(), 1);
    }

    #[test]
    fn a_history_in_an_attached_database_does_not_answer_for_main() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        embedded(&[base()])
            .upgrade_to_head(&mut rusqlite::Connection::open(&other).unwrap())
            .unwrap();
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute("ATTACH DATABASE ?1 AS other", [other.display().to_string()])
            .unwrap();
        // main is empty: the boot must run the revision there.
        assert_eq!(
            embedded(&[base()])
                .upgrade_to_head(&mut conn)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn the_folder_differs_from_the_build_by_its_texts_whatever_their_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let (a, b) = (base(), left());
        let files: Vec<EmbeddedFile> = [&a, &b]
            .iter()
            .map(|f| {
                let source = revision::normalize(&f.text());
                EmbeddedFile::new(
                    leak(f.file_name()),
                    leak(revision::checksum(&source)),
                    leak(source),
                )
            })
            .collect();
        let built = Migrations::from_embedded(
            leak(dir.path().display().to_string()),
            Box::leak(files.into_boxed_slice()),
        );
        let unbuilt = || built.unbuilt().unwrap();
        a.write_to(dir.path());
        b.write_to(dir.path());
        assert!(unbuilt().is_empty(), "{:?}", unbuilt());
        // The same text with CRLF line endings is the same revision.
        let b_path = dir.path().join(b.file_name());
        std::fs::write(&b_path, b.text().replace('\n', "\r\n")).unwrap();
        assert!(unbuilt().is_empty(), "{:?}", unbuilt());
        // An edit, a new file, a file gone.
        std::fs::write(&b_path, b.text().replace("TABLE b", "TABLE bb")).unwrap();
        right().write_to(dir.path());
        std::fs::remove_file(dir.path().join(a.file_name())).unwrap();
        let found = unbuilt();
        assert_eq!(found.changed, [b.file_name()]);
        assert_eq!(found.new, [right().file_name()]);
        assert_eq!(found.gone, [a.file_name()]);
    }

    #[test]
    fn an_edited_applied_file_is_refused_at_head_too() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        embedded(&[base()]).upgrade_to_head(&mut conn).unwrap();
        let edited = base().up("CREATE TABLE a (id BIGINT PRIMARY KEY);");
        let err = embedded(std::slice::from_ref(&edited))
            .upgrade_to_head(&mut conn)
            .unwrap_err();
        assert!(
            matches!(err, Error::ChecksumMismatch { ref file, .. } if *file == edited.file_name()),
            "{err}"
        );
    }

    #[test]
    fn revisions_built_with_several_heads_never_boot_even_when_all_are_applied() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let files = [base(), left(), right()];
        // Every revision recorded, as after upgrading both branches.
        migrate::history::ensure(&mut conn, &Options::default()).unwrap();
        for f in &files {
            migrate::history::record(&mut conn, &f.revision()).unwrap();
        }
        let several = embedded(&files);
        let err = Migrations::from_embedded(several.versions_dir, several.files)
            .with_several_heads()
            .upgrade_to_head(&mut conn)
            .unwrap_err();
        assert!(err.to_string().contains("head"), "{err}");
    }

    #[test]
    fn a_boot_at_head_waits_for_a_locked_sqlite_database_only_as_long_as_the_options_say() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.db");
        let migrations = embedded(&[base()]);
        migrations
            .upgrade_to_head(&mut rusqlite::Connection::open(&path).unwrap())
            .unwrap();
        let holder = rusqlite::Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let options = Options::default().lock_timeout(std::time::Duration::from_millis(500));
        let started = std::time::Instant::now();
        let err = migrations
            .boot_with(
                &mut rusqlite::Connection::open(&path).unwrap(),
                &Schema::new(),
                &options,
            )
            .unwrap_err();
        let waited = started.elapsed();
        // Not rusqlite's own 5 s on top of the 0.5 s asked for (the wait is the behaviour
        // under test, not a speed).
        assert!(waited < std::time::Duration::from_secs(4), "{waited:?}");
        assert!(matches!(err, Error::LockTimeout(_)), "{err}");
        let said = err.to_string();
        assert!(
            said.contains("another process held the SQLite database locked for more than 500ms"),
            "{said}"
        );
        holder.execute_batch("ROLLBACK").unwrap();
    }
}
