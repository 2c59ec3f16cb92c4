//! The `build.rs` helper: one line compiles an app's revision files into its binary.
//!
//! # Example
//!
//! In the app's `build.rs` (the path is relative to the app's `Cargo.toml`):
//!
//! ```no_run
//! migrations_build::embed("../migrations");
//! ```
//!
//! [`embed`] reads `<dir>/versions/*.sql`, validates every file and the revision graph, runs the
//! chain up, down and up on an in-memory SQLite database (when the revisions serve SQLite), and
//! writes the embedded set to `$OUT_DIR` for `migrations_core::include_migrations!()`. Every
//! problem is reported as one `file:line: what; how to fix it` line and fails the build.
//!
//! The upgrade SQL is linted too ([`migrations_core::lint`]): a statement that locks a busy
//! table for long, or breaks the instances still running the old code, is a warning with the
//! safe way. [`Embed::deny_lints`] (or `MIGRATIONS_DENY_LINTS=1` in the environment, for CI)
//! makes them errors:
//!
//! ```no_run
//! migrations_build::Embed::new("../migrations").deny_lints().run();
//! ```
#![deny(missing_docs)]

use migrations_core::lint::{self, Finding};
use migrations_core::migrate::partitioned::Partitioned;
use migrations_core::{migrate, Chain, Dialect, Problem, Schema};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Set this environment variable to build an app whose versions folder has several heads, so
/// its CLI can run `db merge` (the app refuses to boot until the heads are merged).
pub const ALLOW_HEADS: &str = "MIGRATIONS_ALLOW_HEADS";

/// Set this environment variable (to anything but `0`) to make the lint's findings errors, as
/// [`Embed::deny_lints`] does: a CI job can refuse what a developer's build only warns about.
pub const DENY_LINTS: &str = "MIGRATIONS_DENY_LINTS";

fn allow_heads() -> bool {
    env_flag(ALLOW_HEADS)
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// One validated revision file, ready to embed.
#[derive(Debug, Clone)]
pub struct EmbeddedRevision {
    /// File name inside the versions folder.
    pub name: String,
    /// SHA-256 (hex) of the normalised text.
    pub checksum: String,
    /// The text with line endings normalised to `\n`.
    pub source: String,
}

/// The outcome of a successful validation.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The versions folder.
    pub versions_dir: PathBuf,
    /// The files, sorted by name.
    pub revisions: Vec<EmbeddedRevision>,
    /// Warnings that do not fail the build.
    pub warnings: Vec<String>,
    /// The lint's findings in the upgrade SQL (warnings, or errors with
    /// [`Embed::deny_lints`]).
    pub lints: Vec<Finding>,
    /// Whether the graph has several heads (only with `MIGRATIONS_ALLOW_HEADS`).
    pub several_heads: bool,
}

/// Validates and embeds `dir/versions` for `include_migrations!()`. Call it from `build.rs`.
///
/// Prints `cargo::rerun-if-changed` for the folder (so adding, removing or editing a file
/// re-runs it) and, on problems, one `cargo::error=` line each, which fails the build: never
/// a panic. The lint's findings are `cargo::warning=` lines ([`Embed`] to make them errors).
pub fn embed(dir: impl AsRef<Path>) {
    Embed::new(dir.as_ref()).run();
}

/// Like [`embed`], for an app with several migration folders (several databases): embeds
/// `dir/versions` under `name`, for `include_migrations!("name")`.
pub fn embed_named(dir: impl AsRef<Path>, name: &str) {
    Embed::new(dir.as_ref()).name(name).run();
}

/// [`embed`] with options.
///
/// ```no_run
/// // build.rs: the lint's findings fail the build.
/// migrations_build::Embed::new("../migrations").deny_lints().run();
/// ```
#[derive(Debug, Clone)]
pub struct Embed {
    dir: PathBuf,
    name: Option<String>,
    deny_lints: bool,
}

impl Embed {
    /// Embeds `dir/versions` (relative to the app's `Cargo.toml`).
    pub fn new(dir: impl AsRef<Path>) -> Embed {
        Embed {
            dir: dir.as_ref().to_path_buf(),
            name: None,
            deny_lints: false,
        }
    }

    /// Under `name`, for `include_migrations!("name")` (see [`embed_named`]).
    pub fn name(mut self, name: &str) -> Embed {
        self.name = Some(name.to_string());
        self
    }

    /// Makes every lint finding an error that fails the build (a finding is allowed, with
    /// its reason, by a `-- lint: allow <rule>: <why>` comment above its statement). Also
    /// set by [`DENY_LINTS`] in the environment.
    pub fn deny_lints(mut self) -> Embed {
        self.deny_lints = true;
        self
    }

    /// Validates, lints and embeds, printing cargo's directives.
    pub fn run(self) {
        let file = match &self.name {
            Some(name) => format!("migrations_embedded_{name}.rs"),
            None => "migrations_embedded.rs".to_string(),
        };
        embed_file(&self.dir, &file, self.deny_lints || env_flag(DENY_LINTS));
    }
}

fn embed_file(dir: &Path, file: &str, deny_lints: bool) {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let dir = manifest.join(dir);
    let dir = dir.canonicalize().unwrap_or(dir);
    let versions = dir.join("versions");
    println!("cargo::rerun-if-changed={}", versions.display());
    println!("cargo::rerun-if-changed={}", dir.display());
    println!("cargo::rerun-if-env-changed={ALLOW_HEADS}");
    println!("cargo::rerun-if-env-changed={DENY_LINTS}");
    let out_dir = PathBuf::from(
        std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo for build scripts"),
    );
    // Another version of this crate, or of SQLite, checks everything again.
    let cache = out_dir.join(format!(
        "{file}.round-trip-{}-sqlite-{}.sqlite",
        env!("CARGO_PKG_VERSION"),
        rusqlite::version()
    ));
    match validate_with_cache(&dir, Some(&cache)) {
        Ok(valid) => {
            for w in &valid.warnings {
                println!("cargo::warning={w}");
            }
            let directive = if deny_lints { "error" } else { "warning" };
            for f in &valid.lints {
                println!("cargo::{directive}={}", f.to_string().replace('\n', " "));
            }
            if deny_lints && !valid.lints.is_empty() {
                return;
            }
            let target = out_dir.join(file);
            if let Err(e) = write_if_changed(&target, &render(&valid)) {
                println!("cargo::error=cannot write {}: {e}", target.display());
            }
        }
        Err(problems) => {
            // `cargo::error` fails the build by itself, without cargo's dump of our output.
            for p in &problems {
                println!("cargo::error={}", p.to_string().replace('\n', " "));
            }
        }
    }
}

/// Reads and validates `dir/versions`: every file parses, the graph is sound, and (for SQLite)
/// every downgrade restores the schema before its upgrade.
///
/// # Failure
///
/// Every problem found, each naming its file and line.
pub fn validate(dir: &Path) -> Result<Validated, Vec<Problem>> {
    validate_with_cache(dir, None)
}

/// [`validate`], keeping the round trip's result in `cache` (a SQLite file): the database as
/// the round trip left it before the newest revision. The next validation starts from it when
/// the revisions it holds are still the first ones of the chain, unchanged, so adding a
/// revision, or editing the newest one, re-checks only that one. Anything else (an earlier
/// revision edited, a file removed, an unreadable cache) checks the whole chain again.
pub fn validate_with_cache(dir: &Path, cache: Option<&Path>) -> Result<Validated, Vec<Problem>> {
    let versions = dir.join("versions");
    let shown = |p: &Path| p.display().to_string();
    let folder = migrations_core::folder::read(&versions).map_err(|p| vec![p])?;
    let mut problems = folder.problems.clone();
    // Files that are not revisions at all: they do not stop the graph checks.
    let strays = folder.strays.clone();
    let revisions = folder.revisions();
    let embedded: Vec<EmbeddedRevision> = folder
        .files
        .into_iter()
        .map(|f| EmbeddedRevision {
            name: f.name,
            checksum: f.revision.checksum,
            source: f.source,
        })
        .collect();
    if !problems.is_empty() {
        problems.extend(strays);
        return Err(problems);
    }
    let mut warnings = Vec::new();
    let mut lints = Vec::new();
    let mut several_heads = false;
    if revisions.is_empty() {
        if !strays.is_empty() {
            return Err(strays);
        }
        warnings.push(format!(
            "{} holds no revision yet; create the first with `db revision --autogenerate -m \"create tables\"`",
            shown(&versions)
        ));
    } else {
        let graph = if allow_heads() {
            Chain::new_allowing_heads(revisions).inspect(|chain| {
                if let Err(problems) = Chain::new(chain.revisions().to_vec()) {
                    several_heads = true;
                    warnings.extend(problems.iter().map(|p| format!("{p} ({ALLOW_HEADS} is set: building anyway so `db merge` can run; the app will not boot until the heads are merged)")));
                }
            })
        } else {
            Chain::new(revisions)
        };
        let chain = match graph {
            Ok(chain) if strays.is_empty() => chain,
            Ok(_) => return Err(strays),
            Err(mut problems) => {
                problems.extend(strays);
                return Err(problems);
            }
        };
        lints = lint::lint(&chain);
        if chain.serves(Dialect::Sqlite) {
            // The round trip ends at head: its schema is the one the snapshot must show.
            let head = check_round_trip(&chain, cache)?;
            warnings.extend(stale_snapshot(dir, &chain, &head));
        }
    }
    Ok(Validated {
        versions_dir: versions,
        revisions: embedded,
        warnings,
        lints,
        several_heads,
    })
}

/// A warning when `dir/schema.snapshot` does not show the head schema (never an error: the
/// CLI that rewrites it lives in the app being built).
fn stale_snapshot(dir: &Path, chain: &Chain, head: &Schema) -> Option<String> {
    // No rerun-if-changed of its own: a missing file would re-run the script on every build,
    // and the one on `dir` already covers it.
    let path = dir.join("schema.snapshot");
    match migrate::snapshot_status(chain, head, &path) {
        migrate::SnapshotStatus::Current => None,
        migrate::SnapshotStatus::Stale => Some(format!(
            "{} is stale (it does not show the schema at head {}); run `db snapshot` and commit it",
            path.display(),
            chain.head().id
        )),
        migrate::SnapshotStatus::Missing => Some(format!(
            "{} is missing; run `db snapshot` to write it (it shows the head schema in code review)",
            path.display()
        )),
    }
}

/// Runs the chain up, down, up on in-memory SQLite databases ([`Partitioned`]: each revision
/// in the tables it can see, so a long chain costs linear time); returns the head schema it
/// ends with. With a `cache`, starts from what it holds, if it still applies, and leaves there
/// the state before the newest revision (see [`validate_with_cache`]).
fn check_round_trip(chain: &Chain, cache: Option<&Path>) -> Result<Schema, Vec<Problem>> {
    let revisions = chain.revisions();
    let mut state = cache
        .and_then(|path| Partitioned::load(path, chain))
        // It holds at most the revisions before the newest (the newest may have been removed).
        .filter(|state| state.checked() < revisions.len())
        .unwrap_or_default();
    if let (Some(path), [earlier @ .., _newest]) = (cache, revisions) {
        // Up to the newest revision, then keep that state, then the newest one.
        if state.checked() < earlier.len() {
            let before = Chain::new_allowing_heads(earlier.to_vec())?;
            state.round_trip(&before)?;
            // A cache that cannot be written only costs time on the next build.
            let _ = state.save(path);
        }
    }
    state.round_trip(chain)?;
    state
        .head_schema()
        .map_err(|e| vec![Problem::new("<in-memory SQLite>", 0, e.to_string(), "")])
}

/// The Rust expression `include_migrations!()` expands to.
pub fn render(valid: &Validated) -> String {
    let mut out = String::from("::migrations_core::Migrations::from_embedded(\n");
    let _ = writeln!(out, "    {:?},", valid.versions_dir.display().to_string());
    out.push_str("    &[\n");
    for r in &valid.revisions {
        let _ = writeln!(
            out,
            "        ::migrations_core::EmbeddedFile::new({:?}, {:?}, {:?}),",
            r.name, r.checksum, r.source
        );
    }
    out.push_str("    ],\n)\n");
    if valid.several_heads {
        out.push_str(".with_several_heads()\n");
    }
    out
}

/// Writes `contents` unless the file already holds exactly that, so an unchanged build does not
/// recompile the app.
pub fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrations_core::testing::Fixture;

    /// `<id>_<table>.sql`: creates `table`.
    fn revision(id: &str, parent: &str, table: &str) -> Fixture {
        Fixture::new(id)
            .revises(parent)
            .slug(table)
            .message(table)
            .up(format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY);"))
            .down(format!("DROP TABLE {table};"))
    }

    /// Writes `schema.snapshot` for the folder as it is, so a validation warns only when the
    /// head it reaches is not the real one.
    fn write_snapshot(dir: &Path) {
        let folder = migrations_core::folder::read(&dir.join("versions")).unwrap();
        let chain = Chain::new(folder.revisions()).unwrap();
        let head = migrate::head_schema(&chain).unwrap();
        fs::write(
            dir.join("schema.snapshot"),
            migrate::render_snapshot(&chain, &head),
        )
        .unwrap();
    }

    /// A project whose versions folder holds revisions a (table `a`) and b (table `b`), and a
    /// writer of more files.
    fn project() -> (tempfile::TempDir, impl Fn(Fixture)) {
        let dir = tempfile::tempdir().unwrap();
        let versions = dir.path().join("versions");
        fs::create_dir(&versions).unwrap();
        let file = move |fixture: Fixture| {
            fixture.write_to(&versions);
        };
        file(revision("0000000000a1", "", "a"));
        file(revision("0000000000b2", "0000000000a1", "b"));
        (dir, file)
    }

    /// Adds table `name` to the state kept in `cache`, as a group of its own (the file that
    /// `Partitioned::save` writes).
    fn plant(cache: &Path, name: &str) {
        let c = rusqlite::Connection::open(cache).unwrap();
        let grp: i64 = c
            .query_row("SELECT coalesce(max(grp), -1) + 1 FROM object", [], |r| {
                r.get(0)
            })
            .unwrap();
        let sql = format!("CREATE TABLE {name} (x INTEGER)");
        c.execute(
            "INSERT INTO object VALUES (?1, 0, 'table', ?2, ?3)",
            (grp, name, &sql),
        )
        .unwrap();
        c.execute("INSERT INTO statement VALUES (?1, 0, ?2)", (grp, &sql))
            .unwrap();
    }

    #[test]
    fn the_round_trip_starts_from_the_cache_only_while_it_applies() {
        let (dir, file) = project();
        let versions = dir.path().join("versions");
        write_snapshot(dir.path());
        let cache = dir.path().join("cache.sqlite");
        let validate = || {
            validate_with_cache(dir.path(), Some(&cache))
                .unwrap()
                .warnings
        };
        assert_eq!(validate(), Vec::<String>::new());
        assert!(cache.exists());

        // The cache holds the state before the newest revision. A table planted there is seen
        // only by a round trip that starts from it.
        plant(&cache, "planted");
        file(revision("0000000000c3", "0000000000b2", "c"));
        write_snapshot(dir.path());
        let warnings = validate();
        assert!(
            warnings.iter().any(|w| w.contains("is stale")),
            "the cache was not used: {warnings:?}"
        );

        // The newest file removed: the cache (at the state before it) is not a starting point.
        fs::remove_file(versions.join("0000000000c3_c.sql")).unwrap();
        write_snapshot(dir.path());
        assert_eq!(validate(), Vec::<String>::new());

        // An earlier revision edited: the cache no longer applies; the chain is checked from
        // nothing, and the planted table is gone.
        file(revision("0000000000c3", "0000000000b2", "c"));
        validate();
        plant(&cache, "planted_again");
        // The message only: the same SQL, another checksum.
        file(revision("0000000000a1", "", "a").message("a, edited"));
        write_snapshot(dir.path());
        assert_eq!(validate(), Vec::<String>::new());
    }

    #[test]
    fn a_broken_newest_revision_is_reported_and_the_cache_still_serves_its_fix() {
        let (dir, file) = project();
        let cache = dir.path().join("cache.sqlite");
        validate_with_cache(dir.path(), Some(&cache)).unwrap();
        // A downgrade that does not undo its upgrade.
        file(revision("0000000000c3", "0000000000b2", "c").down("SELECT 1;"));
        let problems = validate_with_cache(dir.path(), Some(&cache)).unwrap_err();
        assert!(
            problems[0].to_string().contains("0000000000c3_c.sql"),
            "{problems:?}"
        );
        file(revision("0000000000c3", "0000000000b2", "c"));
        validate_with_cache(dir.path(), Some(&cache)).unwrap();
    }
}
