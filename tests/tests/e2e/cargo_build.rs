//! Cargo-level tests: a scratch app, outside this workspace, built and run with the real
//! `cargo`, exactly as a user's app would be.
//!
//! They are slow (a child `cargo` each step), so there are few of them, they share one target
//! dir (rusqlite's bundled SQLite compiles once) and they run one at a time.

use crate::support::{rev, rev_file_name};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard, PoisonError};

const A: &str = "aaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbb";
const C: &str = "cccccccccccc";

/// One child `cargo` at a time: they share a target dir.
static CARGO: Mutex<()> = Mutex::new(());

pub(crate) fn workspace_root() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests
        .parent()
        .expect("the tests crate is inside the workspace")
        .to_path_buf()
}

/// Where every scratch app builds: under this workspace's target dir.
pub(crate) fn shared_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-scratch")
}

/// The workspace's version requirement for rusqlite, so the scratch app links the same one.
fn rusqlite_version_req() -> String {
    let manifest = fs::read_to_string(workspace_root().join("Cargo.toml"))
        .expect("read the workspace Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("rusqlite") && l.contains("version"))
        .expect("a `rusqlite = { version = … }` line in [workspace.dependencies]");
    let after = &line[line.find("version").unwrap()..];
    let start = after.find('"').expect("a quoted version") + 1;
    let len = after[start..].find('"').expect("a closing quote");
    after[start..start + len].to_string()
}

/// A scratch app in a temp dir: its own workspace, one-line build.rs, a main that boots an
/// in-memory SQLite database and prints the applied and current revisions.
///
/// Holds the lock that serialises the child `cargo`s for as long as it lives.
pub(crate) struct ScratchApp {
    /// Removed when the app is dropped.
    _tmp: tempfile::TempDir,
    /// The package root: the temp dir, or a folder inside it.
    root: PathBuf,
    /// The package's name.
    pub(crate) package: String,
    _serial: MutexGuard<'static, ()>,
}

impl ScratchApp {
    /// A scratch app whose package is `e2e-app-<name>`. Each test uses its own name: cargo
    /// identifies a workspace's own package by its path relative to the workspace root, so
    /// apps of one name in different temp dirs would share fingerprints in the shared target dir.
    pub(crate) fn new(name: &str) -> ScratchApp {
        let app = ScratchApp::empty(name, ".");
        let root = workspace_root();
        let path_of = |krate: &str| {
            let p = root.join(krate);
            // TOML basic strings: escape backslashes (Windows paths).
            p.display().to_string().replace('\\', "\\\\")
        };
        let package = &app.package;
        let manifest = format!(
            r#"[package]
name = "{package}"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
migrations-core = {{ path = "{core}" }}
rusqlite = {{ version = "{rusqlite}", features = ["bundled"] }}

[build-dependencies]
migrations-build = {{ path = "{build}" }}
"#,
            core = path_of("migrations-core"),
            build = path_of("migrations-build"),
            rusqlite = rusqlite_version_req(),
        );
        let dir = app.dir();
        fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
        fs::write(
            dir.join("build.rs"),
            "fn main() { migrations_build::embed(\"migrations\"); }\n",
        )
        .unwrap();
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/main.rs"), MAIN_RS).unwrap();
        fs::create_dir_all(dir.join("migrations/versions")).unwrap();
        app
    }

    /// A scratch app `e2e-app-<name>` with nothing written yet: a temp dir, the package root
    /// `subdir` inside it (created), and the lock that serialises the child `cargo`s.
    pub(crate) fn empty(name: &str, subdir: &str) -> ScratchApp {
        let serial = CARGO.lock().unwrap_or_else(PoisonError::into_inner);
        let tmp = tempfile::Builder::new()
            .prefix("e2e-app-")
            .tempdir()
            .expect("create a temp dir");
        let root = tmp.path().join(subdir);
        fs::create_dir_all(&root).expect("create the package root");
        ScratchApp {
            _tmp: tmp,
            root,
            package: format!("e2e-app-{name}"),
            _serial: serial,
        }
    }

    /// Turns on `features` of migrations-core in the app's manifest.
    pub(crate) fn enable_core_features(&self, features: &[&str]) {
        let manifest = self.dir().join("Cargo.toml");
        let text = fs::read_to_string(&manifest).unwrap();
        let list: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        fs::write(
            &manifest,
            text.replacen(
                "migrations-core = { path",
                &format!(
                    "migrations-core = {{ features = [{}], path",
                    list.join(", ")
                ),
                1,
            ),
        )
        .unwrap();
    }

    fn versions(&self) -> PathBuf {
        self.dir().join("migrations/versions")
    }

    /// The app's package root.
    pub(crate) fn dir(&self) -> &Path {
        &self.root
    }

    /// Runs `cargo ARGS` in the app, with the shared target dir and a clean environment for
    /// the things that change cargo's or the build script's output.
    pub(crate) fn cargo(&self, args: &[&str]) -> Run {
        self.cargo_with(args, &[])
    }

    /// [`ScratchApp::cargo`] with the variables `env` set too.
    pub(crate) fn cargo_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(args)
            .env_remove(migrations_build::DENY_LINTS)
            .envs(env.iter().copied())
            .current_dir(self.dir())
            .env("CARGO_TARGET_DIR", shared_target_dir())
            // As the workspace's own builds: line tables only (half the disk of full debug info).
            .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CARGO_TERM_QUIET")
            .env_remove("CARGO_TERM_VERBOSE")
            .env_remove("CARGO_BUILD_TARGET")
            .env_remove("RUST_BACKTRACE")
            .env_remove(migrations_build::ALLOW_HEADS)
            .output()
            .expect("run cargo");
        Run {
            command: format!("cargo {}", args.join(" ")),
            output,
        }
    }
}

/// A finished child `cargo`.
pub(crate) struct Run {
    pub(crate) command: String,
    pub(crate) output: Output,
}

impl Run {
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "`{}` exited with {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command,
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }

    #[track_caller]
    pub(crate) fn assert_success(&self) -> &Run {
        assert!(self.output.status.success(), "{}", self.describe());
        self
    }

    #[track_caller]
    pub(crate) fn assert_failure(&self) -> &Run {
        assert!(!self.output.status.success(), "{}", self.describe());
        self
    }
}

const MAIN_RS: &str = r#"static MIGRATIONS: migrations_core::Migrations = migrations_core::include_migrations!();

fn main() {
    let mut conn = rusqlite::Connection::open_in_memory().expect("open an in-memory database");
    match MIGRATIONS.upgrade_to_head(&mut conn) {
        Ok(steps) => {
            for step in &steps {
                println!("applied {}", step.revision);
            }
        }
        Err(e) => {
            eprintln!("boot failed: {e}");
            std::process::exit(1);
        }
    }
    match MIGRATIONS.current(&mut conn) {
        Ok(current) => {
            println!("current: {}", current.join(","));
            for id in &current {
                let source = MIGRATIONS.source_of(id).unwrap_or_default();
                let message = source
                    .lines()
                    .find_map(|l| l.strip_prefix("-- Message: "))
                    .unwrap_or_default();
                println!("message: {message}");
            }
        }
        Err(e) => {
            eprintln!("current failed: {e}");
            std::process::exit(1);
        }
    }
}
"#;

const CREATE_TODOS: &str =
    "CREATE TABLE todos (\n    id INTEGER PRIMARY KEY,\n    title TEXT NOT NULL\n);";

/// Asserts a failed build reports `error:` lines naming `file`, with no panic.
#[track_caller]
fn assert_clean_build_error(run: &Run, file: &str, needle: &str) {
    run.assert_failure();
    let stderr = run.stderr();
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error:") && l.contains(file))
        .collect();
    assert!(
        errors.iter().any(|l| l.contains(needle)),
        "expected an `error:` line naming {file} and saying {needle:?}\n{}",
        run.describe()
    );
    for bad in ["panicked", "RUST_BACKTRACE"] {
        assert!(
            !stderr.contains(bad),
            "{bad:?} in the output\n{}",
            run.describe()
        );
    }
}

/// a. A good folder builds and migrates; b. a new file is embedded by the next build with no
/// other change, so is an edit of a file (which changes the file, not the folder), and a build
/// with nothing changed does not re-run the build script.
#[test]
fn good_app_builds_migrates_and_embeds_new_and_edited_revisions() {
    let app = ScratchApp::new("good");
    let versions = app.versions();
    rev(A, "", CREATE_TODOS, "DROP TABLE todos;").write_to(&versions);
    rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;",
        "ALTER TABLE todos DROP COLUMN deleted_at;",
    )
    .write_to(&versions);

    // a. It builds, boots and reaches the head.
    let run = app.cargo(&["run"]);
    run.assert_success();
    assert!(
        run.stdout()
            .contains(&format!("applied {A}\napplied {B}\ncurrent: {B}\n")),
        "{}",
        run.describe()
    );

    // b. A new file, nothing else changed: the next build embeds it.
    let c = rev(
        C,
        B,
        "CREATE INDEX todos_title ON todos (title);",
        "DROP INDEX todos_title;",
    );
    let new_file = c.write_to(&versions);
    let run = app.cargo(&["run"]);
    run.assert_success();
    assert!(
        run.stdout().contains(&format!(
            "applied {C}\ncurrent: {C}\nmessage: {}\n",
            c.message_text()
        )),
        "the new revision {} was not embedded\n{}",
        rev_file_name(C),
        run.describe()
    );

    // b. An edited file: the next build embeds the new text.
    let text = fs::read_to_string(&new_file).unwrap();
    let edited = c.clone().message("index todo titles").text();
    assert_ne!(text, edited);
    fs::write(&new_file, edited).unwrap();
    let run = app.cargo(&["run"]);
    run.assert_success();
    assert!(
        run.stdout()
            .contains(&format!("current: {C}\nmessage: index todo titles\n")),
        "the edit of {} was not embedded\n{}",
        rev_file_name(C),
        run.describe()
    );

    // b. Nothing changed: the app is fresh and no build script runs.
    let run = app.cargo(&["build", "-v"]);
    run.assert_success();
    let stderr = run.stderr();
    assert!(
        stderr.lines().any(|l| l
            .trim_start()
            .starts_with(&format!("Fresh {} ", app.package))),
        "expected `Fresh {}`\n{}",
        app.package,
        run.describe()
    );
    assert!(
        !stderr
            .lines()
            .any(|l| l.trim_start().starts_with("Running") && l.contains("build-script-build")),
        "a build script ran although nothing changed\n{}",
        run.describe()
    );
}

/// c. Two heads fail the build with one `error:` line per head, naming the files.
#[test]
fn two_heads_fail_the_build_without_a_panic() {
    let app = ScratchApp::new("two-heads");
    let versions = app.versions();
    rev(A, "", CREATE_TODOS, "DROP TABLE todos;").write_to(&versions);
    rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN done BOOLEAN;",
        "ALTER TABLE todos DROP COLUMN done;",
    )
    .write_to(&versions);
    rev(
        C,
        A,
        "ALTER TABLE todos ADD COLUMN due TIMESTAMP;",
        "ALTER TABLE todos DROP COLUMN due;",
    )
    .write_to(&versions);
    let run = app.cargo(&["build"]);
    assert_clean_build_error(&run, &rev_file_name(B), "db merge");
    assert_clean_build_error(&run, &rev_file_name(C), "db merge");
}

/// c. A downgrade that leaves a column behind fails the build, naming the file.
#[test]
fn downgrade_that_does_not_restore_fails_the_build_without_a_panic() {
    let app = ScratchApp::new("bad-downgrade");
    let versions = app.versions();
    rev(A, "", CREATE_TODOS, "DROP TABLE todos;").write_to(&versions);
    rev(B,
        A,
        "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;\nCREATE INDEX todos_deleted_at ON todos (deleted_at);",
        "DROP INDEX todos_deleted_at;",
    ).write_to(&versions);
    let run = app.cargo(&["build"]);
    assert_clean_build_error(&run, &rev_file_name(B), "does not restore");
}

/// Asserts `cargo run` rebuilt `package` (its build script re-read the folder) and ran the app.
#[track_caller]
fn assert_rebuilt(run: &Run, package: &str) {
    let stderr = run.stderr();
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("Compiling {package} "))),
        "expected `Compiling {package}`\n{}",
        run.describe()
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with("Running `")),
        "the app did not run\n{}",
        run.describe()
    );
}

/// A main that boots the SQLite file database named by its first argument, so the applied
/// history persists from one run to the next.
const FILE_DB_MAIN_RS: &str = r#"static MIGRATIONS: migrations_core::Migrations = migrations_core::include_migrations!();

fn main() {
    let path = std::env::args().nth(1).expect("usage: app DATABASE");
    let mut conn = rusqlite::Connection::open(&path).expect("open the database file");
    match MIGRATIONS.upgrade_to_head(&mut conn) {
        Ok(steps) => {
            for step in &steps {
                println!("applied {}", step.revision);
            }
            println!("booted");
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
"#;

/// d. An applied revision's file edited afterwards: boot refuses, naming the file; a change of
/// line endings only (CRLF) is not an edit.
#[test]
fn edited_applied_revision_refuses_boot_but_crlf_is_accepted() {
    let app = ScratchApp::new("edited-applied");
    fs::write(app.dir().join("src/main.rs"), FILE_DB_MAIN_RS).unwrap();
    let db = app.dir().join("app.db");
    let db_arg = db.to_str().expect("a UTF-8 temp path");
    let versions = app.versions();
    rev(A, "", CREATE_TODOS, "DROP TABLE todos;").write_to(&versions);
    let file = rev(
        B,
        A,
        "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;",
        "ALTER TABLE todos DROP COLUMN deleted_at;",
    )
    .write_to(&versions);

    // It builds and boots the file database to the head.
    let run = app.cargo(&["run", "--", db_arg]);
    run.assert_success();
    assert!(
        run.stdout()
            .contains(&format!("applied {A}\napplied {B}\nbooted\n")),
        "{}",
        run.describe()
    );

    // CRLF line endings only: rebuilt, and the boot accepts the file (nothing to apply).
    let text = fs::read_to_string(&file).unwrap();
    assert!(!text.contains('\r'));
    fs::write(&file, text.replace('\n', "\r\n")).unwrap();
    let run = app.cargo(&["run", "--", db_arg]);
    run.assert_success();
    assert_rebuilt(&run, &app.package);
    assert!(
        run.stdout().ends_with("booted\n") && !run.stdout().contains("applied"),
        "a CRLF-only change was not accepted as is\n{}",
        run.describe()
    );

    // An edit of the SQL (a column type): the boot refuses, naming the file.
    let crlf = fs::read_to_string(&file).unwrap();
    let edited = crlf.replace("deleted_at TIMESTAMP", "deleted_at DATETIME");
    assert_ne!(crlf, edited);
    fs::write(&file, edited).unwrap();
    let run = app.cargo(&["run", "--", db_arg]);
    run.assert_failure();
    assert_rebuilt(&run, &app.package);
    assert_eq!(run.output.status.code(), Some(1), "{}", run.describe());
    let stderr = run.stderr();
    assert!(
        stderr.lines().any(|l| l.starts_with("error:")
            && l.contains("was edited after it was applied")
            && l.contains(&rev_file_name(B))
            && l.contains(B)),
        "expected an `error:` line naming {} and saying it was edited after it was applied\n{}",
        rev_file_name(B),
        run.describe()
    );
    assert!(!stderr.contains("panicked"), "{}", run.describe());
}

/// The lint's findings are warnings of a normal build, naming the file and line; with
/// `MIGRATIONS_DENY_LINTS=1` (what a CI job sets) they fail it; a `-- lint: allow` comment with
/// a reason lets that build through.
#[test]
fn lint_findings_warn_and_fail_the_build_when_denied() {
    let app = ScratchApp::new("lint");
    let versions = app.versions();
    rev(A, "", CREATE_TODOS, "DROP TABLE todos;").write_to(&versions);
    let rename = rev(
        B,
        A,
        "ALTER TABLE todos RENAME COLUMN title TO name;",
        "ALTER TABLE todos RENAME COLUMN name TO title;",
    );
    rename.write_to(&versions);
    let line = rename.upgrade_line(1);
    let where_ = format!("{}:{line}:", rev_file_name(B));
    let run = app.cargo(&["build"]);
    run.assert_success();
    let warning = run
        .stderr()
        .lines()
        .find(|l| l.starts_with("warning:") && l.contains(&where_))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no warning naming {where_}\n{}", run.describe()));
    assert!(
        warning.contains("rolling deploy") && warning.contains("rename-column"),
        "{warning}"
    );

    let denied = app.cargo_with(&["build"], &[(migrations_build::DENY_LINTS, "1")]);
    assert_clean_build_error(&denied, &where_, "rolling deploy");

    rev(
        B,
        A,
        "-- lint: allow rename-column: no instance reads the column yet\nALTER TABLE todos RENAME COLUMN title TO name;",
        "ALTER TABLE todos RENAME COLUMN name TO title;",
    )
    .write_to(&versions);
    let allowed = app.cargo_with(&["build"], &[(migrations_build::DENY_LINTS, "1")]);
    allowed.assert_success();
    assert!(
        !allowed.stderr().contains("rename-column"),
        "{}",
        allowed.describe()
    );
}

/// A main that is the `db` command line and nothing else, with no logger installed.
const CLI_MAIN_RS: &str = r#"static MIGRATIONS: migrations_core::Migrations = migrations_core::include_migrations!();

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("db") {
        let models = migrations_core::Schema::new();
        std::process::exit(migrations_core::cli::main(&MIGRATIONS, &models, &args[1..]));
    }
}
"#;

/// e. `db revision` with the built binary, and no `cargo build` after it: the same binary names
/// the new file and refuses `upgrade head`; once rebuilt it runs the revision and says so on
/// stderr although the app installed no logger; moved away from its folder (deployed), it says
/// nothing.
#[test]
fn a_revision_written_but_not_built_is_named_by_the_binary() {
    let app = ScratchApp::new("unbuilt");
    app.enable_core_features(&["cli"]);
    fs::write(app.dir().join("src/main.rs"), CLI_MAIN_RS).unwrap();
    rev(A, "", CREATE_TODOS, "DROP TABLE todos;").write_to(&app.versions());
    app.cargo(&["build"]).assert_success();
    let binary = shared_target_dir().join("debug").join(&app.package);
    let url = format!("sqlite:{}", app.dir().join("app.db").display());
    let db = |args: &[&str]| Run {
        command: format!("{} db {}", app.package, args.join(" ")),
        output: Command::new(&binary)
            .arg("db")
            .args(args)
            .env("DATABASE_URL", &url)
            .env_remove("RUST_LOG")
            .output()
            .expect("run the app"),
    };

    let up = db(&["upgrade", "head"]);
    up.assert_success();
    assert!(
        up.stderr()
            .contains(&format!("Running upgrade <base> -> {A}")),
        "no progress without a logger\n{}",
        up.describe()
    );
    db(&["revision", "-m", "add tags"]).assert_success();
    let new_file = fs::read_dir(app.versions())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| !n.starts_with(A))
        .expect("the new revision file");

    let refused = db(&["upgrade", "head"]);
    refused.assert_failure();
    let err = refused.stderr();
    assert!(
        err.contains("cannot upgrade to head")
            && err.contains(&new_file)
            && err.contains("cargo build"),
        "{}",
        refused.describe()
    );
    let current = db(&["current"]);
    current.assert_success();
    assert!(
        current.stdout().contains("head of this build") && current.stderr().contains(&new_file),
        "{}",
        current.describe()
    );

    app.cargo(&["build"]).assert_success();
    let up = db(&["upgrade", "head"]);
    up.assert_success();
    assert!(
        up.stderr().contains(&format!("Running upgrade {A} -> "))
            && !up.stderr().contains("warning"),
        "{}",
        up.describe()
    );

    // Deployed: the folder the build read is not there.
    fs::rename(app.dir().join("migrations"), app.dir().join("elsewhere")).unwrap();
    let current = db(&["current"]);
    current.assert_success();
    assert!(
        current.stdout().contains("(head)") && current.stderr().is_empty(),
        "{}",
        current.describe()
    );
}

/// An existing database nobody wrote models for, read by `db inspect`'s library calls
/// (`migrations_core::inspect`, then rustfmt as the CLI runs it): the module is valid Rust
/// that rustfmt leaves as it is, compiles in an app as is, and
/// the drift check finds the database equal to it — on SQLite and on PostgreSQL.
#[test]
fn inspected_models_compile_and_match_their_database() {
    let app = ScratchApp::new("inspect");
    app.enable_core_features(&["postgres"]);
    fs::write(app.dir().join("src/main.rs"), INSPECT_MAIN_RS).unwrap();
    let binary = shared_target_dir().join("debug").join(&app.package);

    let sqlite_path = app.dir().join("legacy.db");
    let mut sqlite = migrations_core::rusqlite::Connection::open(&sqlite_path).unwrap();
    sqlite
        .execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, email VARCHAR(200) NOT NULL UNIQUE, \
               name TEXT COLLATE NOCASE, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE, \
               total NUMERIC(10,2) NOT NULL DEFAULT 0 CHECK (total >= 0), status TEXT NOT NULL DEFAULT 'new', \"Notes ü\" BLOB);
             CREATE INDEX orders_recent ON orders (customer_id, id DESC);
             CREATE UNIQUE INDEX orders_open ON orders (customer_id) WHERE status = 'open';
             CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;",
        )
        .unwrap();
    let pg = migrations_core::testing::TestDatabase::create();
    let mut cases = vec![(
        "sqlite",
        format!("sqlite:{}", sqlite_path.display()),
        migrations_core::Driver::introspect(&mut sqlite).unwrap(),
    )];
    if let Some(db) = &pg {
        let mut client = db.connect();
        client
            .batch_execute(
                "CREATE TYPE mood AS ENUM ('ok', 'sad');
                 CREATE TABLE customers (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE, \
                   name TEXT, feeling mood, tags TEXT[] NOT NULL DEFAULT '{}', created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                 CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE, \
                   total NUMERIC(10,2) NOT NULL DEFAULT 0 CHECK (total >= 0), status TEXT NOT NULL DEFAULT 'new', \"Notes ü\" BYTEA, doc JSONB);
                 CREATE INDEX orders_recent ON orders (customer_id, id DESC NULLS LAST);
                 CREATE UNIQUE INDEX orders_open ON orders (customer_id) WHERE status = 'open';
                 CREATE INDEX orders_lower_status ON orders (lower(status));",
            )
            .unwrap();
        cases.push((
            "postgres",
            db.url.clone(),
            migrations_core::Driver::introspect(&mut client).unwrap(),
        ));
    }
    for (dialect, url, schema) in cases {
        let source = migrations_core::inspect::models_source(&schema, dialect);
        let source = migrations_core::inspect::rustfmt(&source).expect("rustfmt formats it");
        let models = app.dir().join("src/models.rs");
        fs::write(&models, &source).unwrap();
        let fmt = Command::new("rustfmt")
            .args(["--check", "--edition", "2021"])
            .arg(&models)
            .output()
            .expect("run rustfmt");
        assert!(
            fmt.status.success(),
            "{dialect}: not rustfmt-clean:\n{}\n{source}",
            String::from_utf8_lossy(&fmt.stdout)
        );
        app.cargo(&["build"]).assert_success();
        let run = Run {
            command: format!("{} (DATABASE_URL={url})", app.package),
            output: Command::new(&binary)
                .env("DATABASE_URL", &url)
                .output()
                .expect("run the app"),
        };
        run.assert_success();
        assert!(
            run.stdout().contains("no drift"),
            "{dialect}: {}\n{source}",
            run.describe()
        );
    }
    assert!(
        pg.is_some() || std::env::var_os("REQUIRE_POSTGRES").is_none(),
        "PostgreSQL is required"
    );
}

/// A main that checks the database at `DATABASE_URL` against the inspected models.
const INSPECT_MAIN_RS: &str = r#"mod models;

fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let mut db = migrations_core::database::Database::open(&url).expect("open the database");
    let options = migrations_core::Options::default().remember_drift_check(false);
    match migrations_core::migrate::check_drift(&mut db, &models::schema(), &options) {
        Ok(()) => println!("no drift"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
"#;
