//! The `db` command line says what it does and what it waits for on stderr, whether or not the
//! app installed a logger, and says each step once when it did.

mod common;

use common::{text, Backend, APP};
use migrations_core::Driver;
use std::process::{Command, Output};

const FIRST: &str = "a1a1a1a1a1a1";

/// `fixture-app failing db ARGS` on `b`, with or without the app's logger.
fn db(b: &Backend, logger: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(APP);
    cmd.args(["failing", "db"])
        .args(args)
        .env("DATABASE_URL", b.url())
        .env_remove("RUST_LOG");
    if !logger {
        cmd.env("FIXTURE_NO_LOGGER", "1");
    }
    cmd.output().unwrap()
}

#[test]
fn the_cli_prints_its_progress_without_a_logger_and_once_with_one() {
    for kind in [0, 1] {
        let Some(b) = Backend::one(kind) else {
            continue;
        };
        let name = b.name();
        let up = db(&b, false, &["upgrade", "+1"]);
        let (_, err) = text(&up);
        assert!(up.status.success(), "{name}: {err}");
        let running = format!("Running upgrade <base> -> {FIRST}, create items");
        assert_eq!(err.matches(&running).count(), 1, "{name}: {err}");

        // Another session holds the lock: the wait is said, then the timeout.
        let mut holder = b.open();
        let hold = if kind == 0 {
            "BEGIN EXCLUSIVE".to_string()
        } else {
            format!(
                "BEGIN; SELECT pg_advisory_xact_lock({})",
                migrations_core::bookkeeping::LOCK_KEY
            )
        };
        Driver::run_sql(&mut holder, &hold).unwrap();
        let waited = db(&b, false, &["downgrade", "-1", "--lock-timeout", "1s"]);
        let (_, err) = text(&waited);
        assert!(!waited.status.success(), "{name}: {err}");
        let wait = if kind == 0 {
            "waiting for the SQLite write lock"
        } else {
            "waiting for the migration lock, held by pid"
        };
        assert!(err.contains(wait), "{name}: {err}");
        drop(holder);

        // With the app's logger: each step said once.
        let down = db(&b, true, &["downgrade", "-1"]);
        let (_, err) = text(&down);
        assert!(down.status.success(), "{name}: {err}");
        let running = format!("Running downgrade {FIRST} -> <base>, create items");
        assert_eq!(err.matches(&running).count(), 1, "{name}: {err}");
    }
}
