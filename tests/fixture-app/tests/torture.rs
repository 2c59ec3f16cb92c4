//! The reliability figures of the README, measured: many concurrent boots, boots killed at
//! random moments, a server restart during a boot, and bounded waits, on SQLite, PostgreSQL and
//! PostgreSQL behind PgBouncer in each pool mode. Ignored by `cargo test` (it takes minutes);
//! run it with
//!
//! ```sh
//! REQUIRE_POSTGRES=1 cargo test -p fixture-app --test torture -- --ignored --nocapture --test-threads 1
//! ```
//!
//! `TORTURE_TRIALS` (default 20) sets the trials per backend and case. `TORTURE_RESTART=1` also
//! restarts the local PostgreSQL server (`pg_ctlcluster … restart`) during boots: only on a
//! machine where nothing else uses it. Every trial asserts what the README promises; the
//! counts it prints are the figures.

mod common;

use common::{app, text, Backend, APP};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn trials() -> usize {
    std::env::var("TORTURE_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// Seeds `seed` with `n` rows (the `slow` and `halfway` sets copy its cube).
fn seed(b: &Backend, n: usize) {
    b.exec(&format!("INSERT INTO seed (x) SELECT n FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {n}) SELECT n FROM c) AS s"));
}

fn history(b: &Backend) -> Vec<String> {
    let mut ids: Vec<String> = migrations_core::migrate::history(&mut b.open())
        .unwrap()
        .into_iter()
        .map(|r| r.revision)
        .collect();
    ids.sort();
    ids
}

/// Eight processes boot one fresh database at once (two revisions, the second outside a
/// transaction): every boot succeeds, each revision runs once and is recorded once.
#[test]
#[ignore]
fn concurrent_boots() {
    println!("| backend | trials | boots | failed boots | revisions run twice |");
    println!("|---|---|---|---|---|");
    for kind in 0..4 {
        let mut boots = 0;
        let mut failed = 0;
        let mut twice = 0;
        let mut name = "";
        for _ in 0..trials() {
            let Some(b) = Backend::one(kind) else { return };
            name = b.name();
            let children: Vec<_> = (0..8)
                .map(|_| {
                    Command::new(APP)
                        .args(["halfway", "boot"])
                        .env("DATABASE_URL", b.url())
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            let mut ran = 0;
            for child in children {
                let out = child.wait_with_output().unwrap();
                boots += 1;
                let err = String::from_utf8_lossy(&out.stderr);
                ran += err.matches("Running upgrade").count();
                if !out.status.success() {
                    failed += 1;
                    eprintln!("{name}: {err}");
                }
            }
            if ran != 2 {
                twice += 1;
            }
            assert_eq!(history(&b), ["e5e5e5e5e5e5", "f6f6f6f6f6f6"], "{name}");
            assert_eq!(b.advisory_locks(), 0, "{name}");
        }
        println!("| {name} | {} | {boots} | {failed} | {twice} |", trials());
        assert_eq!((failed, twice), (0, 0), "{name}");
    }
}

/// A boot killed (SIGKILL) at a random moment of its run — before, inside or after the slow
/// revision, inside or outside a transaction: the next boot completes it (or, for a revision
/// outside a transaction killed midway, names it and points at `db stamp`), and nothing is
/// ever half-applied inside a transaction.
#[test]
#[ignore]
fn kill_at_random_moments() {
    println!("| backend | set | trials | next boot completed | next boot named the interrupted revision | other |");
    println!("|---|---|---|---|---|---|");
    for set in ["slow", "halfway"] {
        for kind in 0..4 {
            let (mut completed, mut named, mut other) = (0, 0, 0);
            let mut name = "";
            for trial in 0..trials() {
                let Some(b) = Backend::one(kind) else { return };
                name = b.name();
                assert!(app(&b, &[set, "db", "upgrade", "+1"]).status.success());
                seed(&b, 120);
                let mut child = Command::new(APP)
                    .args([set, "boot"])
                    .env("DATABASE_URL", b.url())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                // Pseudo-random moments across the run (the slow copy takes about a second).
                let ms = (trial as u64 * 7919) % 1500;
                std::thread::sleep(Duration::from_millis(ms));
                let _ = child.kill();
                child.wait().unwrap();
                let next = Command::new(APP)
                    .args([set, "boot"])
                    .env("DATABASE_URL", b.url())
                    .env("LOCK_TIMEOUT_MS", "5000")
                    .output()
                    .unwrap();
                let (_, err) = text(&next);
                if next.status.success() {
                    completed += 1;
                    assert_eq!(history(&b).len(), 2, "{name}");
                } else if err.contains("ended before finishing it")
                    || err.contains("its server session is still connected")
                {
                    named += 1;
                    assert_eq!(set, "halfway", "{name}: {err}");
                } else {
                    other += 1;
                    eprintln!("{name} {set}: {err}");
                }
                if set == "slow" {
                    // Never half-applied: the copy exists exactly when it is recorded.
                    let tables = b.tables();
                    assert_eq!(
                        tables.contains(&"copy".to_string()),
                        history(&b).len() == 2,
                        "{name}: {tables:?}"
                    );
                }
            }
            println!(
                "| {name} | {set} | {} | {completed} | {named} | {other} |",
                trials()
            );
            assert_eq!(other, 0, "{name} {set}");
        }
    }
}

/// The server restarts while a boot runs its slow revision: the boot fails with the server's
/// words, and the next one, once the server is back, completes the revision.
#[test]
#[ignore]
fn server_restart_during_a_boot() {
    if std::env::var("TORTURE_RESTART").as_deref() != Ok("1") {
        eprintln!("skipped: set TORTURE_RESTART=1 to restart the local PostgreSQL server");
        return;
    }
    let cluster = std::fs::read_dir("/etc/postgresql")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .max()
        .unwrap();
    println!("| backend | trials | boot failed cleanly | next boot completed |");
    println!("|---|---|---|---|");
    for kind in 1..4 {
        let (mut failed, mut completed) = (0, 0);
        let mut name = "";
        for _ in 0..trials().min(5) {
            let Some(b) = Backend::one(kind) else { return };
            name = b.name();
            assert!(app(&b, &["slow", "db", "upgrade", "+1"]).status.success());
            seed(&b, 150);
            let child = Command::new(APP)
                .args(["slow", "boot"])
                .env("DATABASE_URL", b.url())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(400));
            let restart = Command::new("pg_ctlcluster")
                .args([
                    "--skip-systemctl-redirect",
                    &cluster,
                    "main",
                    "restart",
                    "-m",
                    "fast",
                ])
                .status()
                .unwrap();
            assert!(restart.success());
            let out = child.wait_with_output().unwrap();
            if !out.status.success() {
                failed += 1;
                let err = String::from_utf8_lossy(&out.stderr);
                if let Some(line) = err.lines().find(|l| l.starts_with("error:")) {
                    eprintln!("{name}: {line}");
                }
            }
            let start = Instant::now();
            let next = loop {
                let next = app(&b, &["slow", "boot"]);
                if next.status.success() || start.elapsed() > Duration::from_secs(20) {
                    break next;
                }
                std::thread::sleep(Duration::from_millis(500));
            };
            if next.status.success() {
                completed += 1;
            } else {
                eprintln!("{name}: {:?}", text(&next));
            }
            assert_eq!(history(&b).len(), 2, "{name}");
        }
        println!("| {name} | {} | {failed} | {completed} |", trials().min(5));
    }
}

/// A session holds the table a revision alters (an idle transaction): how long the boot waits
/// before it fails, with the revision's lock timeout at 1 s and no retry, and the history table
/// locked at head with a lock timeout of 1 s.
#[test]
#[ignore]
fn bounded_waits() {
    println!("| backend | what is held | wait bound | failed after (median of 5) |");
    println!("|---|---|---|---|");
    for kind in 1..4 {
        let Some(b) = Backend::one(kind) else { return };
        assert!(app(&b, &["failing", "boot"]).status.success());
        let mut holder = b.open();
        migrations_core::Driver::run_sql(
            &mut holder,
            "BEGIN; LOCK TABLE migrations_history IN ACCESS EXCLUSIVE MODE",
        )
        .unwrap();
        let mut waits = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let out = Command::new(APP)
                .args(["failing", "boot"])
                .env("DATABASE_URL", b.url())
                .env("LOCK_TIMEOUT_MS", "1000")
                .output()
                .unwrap();
            waits.push(start.elapsed());
            assert!(!out.status.success(), "{}", b.name());
            assert!(
                text(&out).1.contains("held the history table locked"),
                "{:?}",
                text(&out)
            );
        }
        waits.sort();
        println!(
            "| {} | history table, at head | lock timeout 1 s | {:.2} s |",
            b.name(),
            waits[2].as_secs_f64()
        );
        migrations_core::Driver::run_sql(&mut holder, "ROLLBACK").unwrap();
    }
}
