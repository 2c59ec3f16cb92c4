//! What the process-level tests share: the backends (SQLite, PostgreSQL directly and behind a
//! PgBouncer of the test's own in each pool mode) and running the fixture app on one.

#![allow(dead_code)] // each test file uses its own part

use migrations_core::database::Database;
use migrations_core::testing::{PgBouncer, PoolMode, TestDatabase};
use migrations_core::Driver;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

pub const APP: &str = env!("CARGO_BIN_EXE_fixture-app");

/// A fresh, empty database of one backend; removed when dropped.
pub enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(TestDatabase),
    /// The database, and the PgBouncer the app reaches it through.
    Pooled(TestDatabase, PgBouncer),
}

impl Backend {
    /// A SQLite file in a temp dir, and a PostgreSQL database when a server is reachable
    /// (required when `REQUIRE_POSTGRES=1`).
    pub fn all() -> Vec<Backend> {
        (0..4).filter_map(Backend::one).collect()
    }

    /// One backend: 0 SQLite, 1 PostgreSQL, 2 and 3 PgBouncer in transaction and session mode
    /// (`None` when it cannot be had and is not required).
    pub fn one(kind: usize) -> Option<Backend> {
        match kind {
            0 => Some(Backend::Sqlite(tempfile::tempdir().unwrap())),
            1 => TestDatabase::create().map(Backend::Postgres),
            _ => {
                let mode = if kind == 2 {
                    PoolMode::Transaction
                } else {
                    PoolMode::Session
                };
                Some(Backend::Pooled(
                    TestDatabase::create()?,
                    PgBouncer::start(mode)?,
                ))
            }
        }
    }

    pub fn url(&self) -> String {
        match self {
            Backend::Sqlite(dir) => format!("sqlite:{}", dir.path().join("app.db").display()),
            Backend::Postgres(db) => db.url.clone(),
            Backend::Pooled(db, bouncer) => bouncer.url(db),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
            Backend::Pooled(_, b) => match b.mode {
                PoolMode::Transaction => "pgbouncer (transaction mode)",
                PoolMode::Session => "pgbouncer (session mode)",
            },
        }
    }

    /// A direct connection (not through the pooler): what the test inspects is the server's.
    pub fn open(&self) -> Database {
        match self {
            Backend::Pooled(db, _) => Database::open(&db.url).unwrap(),
            _ => Database::open(&self.url()).unwrap(),
        }
    }

    pub fn tables(&self) -> Vec<String> {
        self.open()
            .introspect()
            .unwrap()
            .tables
            .into_keys()
            .collect()
    }

    /// How many advisory locks sessions hold on the server (0 on SQLite).
    pub fn advisory_locks(&self) -> usize {
        if let Backend::Sqlite(_) = self {
            return 0;
        }
        let mut n = 0;
        Driver::query_sql(
            &mut self.open(),
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            &mut |_| n += 1,
        )
        .unwrap();
        n
    }

    pub fn exec(&self, sql: &str) {
        Driver::run_sql(&mut self.open(), sql).unwrap();
    }
}

pub fn app(backend: &Backend, args: &[&str]) -> Output {
    Command::new(APP)
        .args(args)
        .env("DATABASE_URL", backend.url())
        .output()
        .unwrap()
}

pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Spawns `fixture-app <set> boot` and kills it (SIGKILL) once it is 300 ms into the revision
/// whose "Running …" log line contains `running`.
pub fn boot_and_kill(b: &Backend, set: &str, running: &str) {
    let mut child = Command::new(APP)
        .args([set, "boot"])
        .env("DATABASE_URL", b.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains(running));
    assert!(started, "{}: the boot never started `{running}`", b.name());
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "{}: the slow revision finished too soon to test a kill",
        b.name()
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}
