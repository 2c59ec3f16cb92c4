//! Failure tests, as processes, on SQLite and PostgreSQL: a failing revision, a boot killed
//! mid-revision, and an edited applied revision. PostgreSQL is reached directly and through a
//! PgBouncer of the test's own in each pool mode.

mod common;

use common::{app, boot_and_kill, text, Backend, APP};
use migrations_core::testing::PoolMode;
use std::process::Command;
use std::time::{Duration, Instant};

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

        boot_and_kill(&b, "slow", "Running upgrade c3c3c3c3c3c3 -> d4d4d4d4d4d4");

        // Never half-applied: no table of the revision, history at the first revision.
        assert_eq!(b.tables(), ["seed"], "{}", b.name());
        let current = app(&b, &["slow", "db", "current"]);
        assert_eq!(text(&current).0.trim(), "c3c3c3c3c3c3", "{}", b.name());

        let start = Instant::now();
        let boot = app(&b, &["slow", "boot"]);
        assert!(boot.status.success(), "{}: {:?}", b.name(), text(&boot));
        assert_eq!(b.tables(), ["copy", "copy_done", "seed"], "{}", b.name());
        // The killed boot's lock did not make this one wait for the lock timeout (60 s).
        assert!(
            start.elapsed() < Duration::from_secs(45),
            "{}: the boot after the kill waited {:?}",
            b.name(),
            start.elapsed()
        );
        assert_eq!(
            b.advisory_locks(),
            0,
            "{}: a lock outlived its boot",
            b.name()
        );
        let current = app(&b, &["slow", "db", "current"]);
        assert_eq!(
            text(&current).0.trim(),
            "d4d4d4d4d4d4 (head)",
            "{}",
            b.name()
        );
    }
}

/// A `Transaction: none` revision killed midway: the next boot says that a run died there,
/// what may have run, and how to record the outcome, instead of failing on "already exists";
/// `db stamp` clears the mark, and the boot after it completes.
#[test]
fn a_boot_killed_outside_a_transaction_is_named_by_the_next_boot() {
    for b in Backend::all() {
        let up1 = app(&b, &["halfway", "db", "upgrade", "+1"]);
        assert!(up1.status.success(), "{}: {:?}", b.name(), text(&up1));
        b.exec("INSERT INTO seed (x) SELECT n FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 150) SELECT n FROM c) AS s");
        boot_and_kill(
            &b,
            "halfway",
            "Running upgrade e5e5e5e5e5e5 -> f6f6f6f6f6f6",
        );

        // The first statement ran; the history is at the first revision.
        let tables = b.tables();
        assert!(
            tables.contains(&"first_half".to_string()),
            "{}: {tables:?}",
            b.name()
        );
        assert!(
            !tables.contains(&"second_half".to_string()),
            "{}: {tables:?}",
            b.name()
        );

        // A pooler in transaction mode keeps the server session that marked the revision
        // connected: the boot waits for it as long as its lock timeout, then says so.
        let start = Instant::now();
        let boot = Command::new(APP)
            .args(["halfway", "boot"])
            .env("DATABASE_URL", b.url())
            .env("LOCK_TIMEOUT_MS", "5000")
            .output()
            .unwrap();
        let (_, err) = text(&boot);
        assert!(!boot.status.success(), "{}: {err}", b.name());
        let pooled =
            matches!(&b, Backend::Pooled(_, bouncer) if bouncer.mode == PoolMode::Transaction);
        if !pooled {
            assert!(
                err.contains("the upgrade of revision f6f6f6f6f6f6 (f6f6f6f6f6f6_slow_outside_a_transaction.sql) runs outside a transaction, and the run that started it at"),
                "{}: {err}",
                b.name()
            );
            assert!(
                err.contains("ended before finishing it"),
                "{}: {err}",
                b.name()
            );
        }
        assert!(
            err.contains("`db stamp f6f6f6f6f6f6` (it is done)"),
            "{}: {err}",
            b.name()
        );
        assert!(!err.contains("already exists"), "{}: {err}", b.name());
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{}: {:?}",
            b.name(),
            start.elapsed()
        );

        // Undo by hand what ran, record that it is not done, and boot.
        b.exec("DROP TABLE IF EXISTS copy");
        b.exec("DROP TABLE first_half");
        let stamp = app(&b, &["halfway", "db", "stamp", "e5e5e5e5e5e5"]);
        assert!(stamp.status.success(), "{}: {:?}", b.name(), text(&stamp));
        b.exec("DELETE FROM seed");
        let boot = app(&b, &["halfway", "boot"]);
        assert!(boot.status.success(), "{}: {:?}", b.name(), text(&boot));
        let current = app(&b, &["halfway", "db", "current"]);
        assert_eq!(
            text(&current).0.trim(),
            "f6f6f6f6f6f6 (head)",
            "{}",
            b.name()
        );
    }
}

/// A boot killed during a long statement: the server notices within a second that the client
/// is gone (`client_connection_check_interval`), cancels the statement and ends its
/// transaction, so the next boot gets the lock at once instead of waiting for the statement
/// (30 s here) past its own lock timeout (10 s).
#[test]
fn a_killed_boot_does_not_hold_the_lock_for_as_long_as_its_statement_runs() {
    for b in Backend::all() {
        if let Backend::Sqlite(_) = b {
            continue; // no server: the lock dies with the process
        }
        b.exec("CREATE TABLE sleep_long (x INTEGER)");
        boot_and_kill(&b, "sleepy", "Running upgrade <base> -> a7a7a7a7a7a7");
        b.exec("DROP TABLE sleep_long");
        let start = Instant::now();
        let boot = Command::new(APP)
            .args(["sleepy", "boot"])
            .env("DATABASE_URL", b.url())
            .env("LOCK_TIMEOUT_MS", "10000")
            .output()
            .unwrap();
        assert!(boot.status.success(), "{}: {:?}", b.name(), text(&boot));
        assert!(
            start.elapsed() < Duration::from_secs(8),
            "{}: the next boot waited {:?}",
            b.name(),
            start.elapsed()
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
        assert!(
            err.contains("`db repair a1a1a1a1a1a1`"),
            "{}: {err}",
            b.name()
        );
        // Accepting the edit records the embedded checksum, under the lock, on every backend.
        let repair = app(&b, &["failing", "db", "repair", "a1a1"]);
        let (out, err) = text(&repair);
        assert!(repair.status.success(), "{}: {err}", b.name());
        assert!(out.contains("was 0000000000000000"), "{}: {out}", b.name());
        let booted = app(&b, &["failing", "boot"]);
        assert!(booted.status.success(), "{}: {:?}", b.name(), text(&booted));
    }
}
