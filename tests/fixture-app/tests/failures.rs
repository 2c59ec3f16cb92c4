//! Failure tests, as processes, on SQLite and PostgreSQL: a failing revision, a boot killed
//! mid-revision, and an edited applied revision.

use migrations_core::database::Database;
use migrations_core::testing::TestDatabase;
use migrations_core::Driver;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const APP: &str = env!("CARGO_BIN_EXE_fixture-app");

/// A fresh, empty database of one backend; removed when dropped.
enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(TestDatabase),
}

impl Backend {
    /// A SQLite file in a temp dir, and a PostgreSQL database when a server is reachable
    /// (required when `REQUIRE_POSTGRES=1`).
    fn all() -> Vec<Backend> {
        let mut out = vec![Backend::Sqlite(tempfile::tempdir().unwrap())];
        out.extend(TestDatabase::create().map(Backend::Postgres));
        out
    }

    fn url(&self) -> String {
        match self {
            Backend::Sqlite(dir) => format!("sqlite:{}", dir.path().join("app.db").display()),
            Backend::Postgres(db) => db.url.clone(),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    fn open(&self) -> Database {
        Database::open(&self.url()).unwrap()
    }

    fn tables(&self) -> Vec<String> {
        self.open()
            .introspect()
            .unwrap()
            .tables
            .into_keys()
            .collect()
    }

    fn exec(&self, sql: &str) {
        Driver::run_sql(&mut self.open(), sql).unwrap();
    }
}

fn app(backend: &Backend, args: &[&str]) -> Output {
    Command::new(APP)
        .args(args)
        .env("DATABASE_URL", backend.url())
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_failing_revision_leaves_the_database_at_the_last_good_one() {
    for b in Backend::all() {
        let up1 = app(&b, &["failing", "db", "upgrade", "+1"]);
        assert!(up1.status.success(), "{}: {:?}", b.name(), text(&up1));
        b.exec("INSERT INTO items (id, title) VALUES (1, 'same'), (2, 'same')");

        let boot = app(&b, &["failing", "boot"]);
        let (_, err) = text(&boot);
        assert!(!boot.status.success(), "{}: boot should fail", b.name());
        assert!(
            err.contains("upgrade of revision b2b2b2b2b2b2 failed at"),
            "{}: {err}",
            b.name()
        );
        assert!(
            err.contains("b2b2b2b2b2b2_unique_titles.sql:7"),
            "{}: {err}",
            b.name()
        );
        assert!(
            err.contains("CREATE UNIQUE INDEX items_title ON items (title)"),
            "{}: {err}",
            b.name()
        );
        assert!(err.contains("rolled back"), "{}: {err}", b.name());
        assert!(!err.contains("panicked"), "{}: {err}", b.name());
        // Nothing of the revision remains: its first statement's table is gone too.
        assert_eq!(b.tables(), ["items"], "{}", b.name());

        let current = app(&b, &["failing", "db", "current"]);
        assert_eq!(text(&current).0.trim(), "a1a1a1a1a1a1", "{}", b.name());

        // The lock was released: the next boot fails the same way, at once.
        let start = Instant::now();
        let again = app(&b, &["failing", "boot"]);
        assert!(!again.status.success());
        assert!(
            text(&again).1.contains("b2b2b2b2b2b2_unique_titles.sql:7"),
            "{}",
            b.name()
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{}: the second boot waited",
            b.name()
        );

        // Fix the data: the boot completes.
        b.exec("DELETE FROM items WHERE id = 2");
        let fixed = app(&b, &["failing", "boot"]);
        assert!(fixed.status.success(), "{}: {:?}", b.name(), text(&fixed));
        assert_eq!(b.tables(), ["items", "tags"], "{}", b.name());
    }
}

#[test]
fn a_boot_killed_mid_revision_is_completed_by_the_next_boot() {
    for b in Backend::all() {
        let up1 = app(&b, &["slow", "db", "upgrade", "+1"]);
        assert!(up1.status.success(), "{}: {:?}", b.name(), text(&up1));
        b.exec("INSERT INTO seed (x) SELECT n FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 150) SELECT n FROM c) AS s");

        let mut child = Command::new(APP)
            .args(["slow", "boot"])
            .env("DATABASE_URL", b.url())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until it is inside the slow revision, then kill it.
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let started = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.contains("Running upgrade c3c3c3c3c3c3 -> d4d4d4d4d4d4"));
        assert!(
            started,
            "{}: the boot never started the slow revision",
            b.name()
        );
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            child.try_wait().unwrap().is_none(),
            "{}: the slow revision finished too soon to test a kill",
            b.name()
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        // Never half-applied: no table of the revision, history at the first revision.
        assert_eq!(b.tables(), ["seed"], "{}", b.name());
        let current = app(&b, &["slow", "db", "current"]);
        assert_eq!(text(&current).0.trim(), "c3c3c3c3c3c3", "{}", b.name());

        let boot = app(&b, &["slow", "boot"]);
        assert!(boot.status.success(), "{}: {:?}", b.name(), text(&boot));
        assert_eq!(b.tables(), ["copy", "copy_done", "seed"], "{}", b.name());
        let current = app(&b, &["slow", "db", "current"]);
        assert_eq!(
            text(&current).0.trim(),
            "d4d4d4d4d4d4 (head)",
            "{}",
            b.name()
        );
    }
}

#[test]
fn an_edited_applied_revision_is_refused_by_name() {
    for b in Backend::all() {
        let boot = app(&b, &["failing", "boot"]);
        assert!(boot.status.success(), "{}: {:?}", b.name(), text(&boot));
        // The database recorded another checksum than the embedded file has: as if the file
        // was edited after it was applied (the build-level test edits a real file).
        b.exec("UPDATE migrations_history SET checksum = '0000000000000000000000000000000000000000000000000000000000000000' WHERE revision = 'a1a1a1a1a1a1'");
        let again = app(&b, &["failing", "boot"]);
        let (_, err) = text(&again);
        assert!(!again.status.success(), "{}", b.name());
        assert!(err.contains("revision a1a1a1a1a1a1 (a1a1a1a1a1a1_create_items.sql) was edited after it was applied"), "{}: {err}", b.name());
    }
}
