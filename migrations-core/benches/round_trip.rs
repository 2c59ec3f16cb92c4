//! The build step's check on 1,000 revisions: parse and validate the chain, then run it up,
//! down and up on an in-memory SQLite database with introspection after every step; and a boot
//! with nothing pending. Then long chains (issue 12): the build's validation end to end, as
//! `migrations_build::validate` does it, for linear chains of 1,000, 5,000 and 20,000
//! revisions, and for chains whose tables all reference one table (one group: see
//! `migrate::partitioned`). Run: `cargo bench -p migrations-core --bench round_trip`
//! (~1 min on 2 cores).

use migrations_core::chain::Chain;
use migrations_core::migrate::partitioned::Partitioned;
use migrations_core::revision::parse;
use migrations_core::{folder, migrate, Options, Target};
use std::path::Path;
use std::time::Instant;

fn main() {
    one_database();
    println!();
    println!("Build validation of a linear chain (read the folder, build the chain, round trip in");
    println!("groups, head schema, snapshot check: what migrations_build::validate does):");
    for n in [1_000, 5_000, 20_000] {
        long_chain(n, Shape::Apart);
    }
    for n in [1_000, 2_000] {
        long_chain(n, Shape::Connected);
    }
}

/// What the generated revisions do.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// Revision *i* creates table `t{i}` with an index when *i* is even, and adds a column to
    /// `t{i-1}` when odd: tables that never meet.
    Apart,
    /// The same, every table with a foreign key to `users` (made by revision 0): one group.
    Connected,
}

/// Writes `n` revision files to `versions`.
fn write_chain(versions: &Path, n: usize, shape: Shape) {
    std::fs::create_dir_all(versions).unwrap();
    let mut parent = String::new();
    for i in 0..n {
        let id = format!("{:012x}", 0xb00000000000u64 + i as u64);
        let fk = if shape == Shape::Connected {
            ", user_id INTEGER REFERENCES users (id)"
        } else {
            ""
        };
        let (up, down) = if shape == Shape::Connected && i == 0 {
            (
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);".to_string(),
                "DROP TABLE users;".to_string(),
            )
        } else if i % 2 == 0 {
            (
                format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL{fk});\nCREATE INDEX t{i}_name ON t{i} (name);"),
                format!("DROP TABLE t{i};"),
            )
        } else {
            let t = if shape == Shape::Connected && i == 1 {
                0
            } else {
                i - 1
            };
            let t = if t == 0 && shape == Shape::Connected {
                "users".to_string()
            } else {
                format!("t{t}")
            };
            (
                format!("ALTER TABLE {t} ADD COLUMN extra{i} TEXT;"),
                format!("ALTER TABLE {t} DROP COLUMN extra{i};"),
            )
        };
        std::fs::write(
            versions.join(format!("{id}_r{i}.sql")),
            format!("-- Revision: {id}\n-- Revises: {parent}\n-- Message: step {i}\n\n-- +upgrade\n{up}\n\n-- +downgrade\n{down}\n"),
        )
        .unwrap();
        parent = id;
    }
}

/// The build's validation of `n` generated revisions, timed by phase.
fn long_chain(n: usize, shape: Shape) {
    let dir = tempfile::tempdir().unwrap();
    let versions = dir.path().join("versions");
    write_chain(&versions, n, shape);
    let start = Instant::now();
    let read = folder::read(&versions).unwrap();
    assert!(read.problems.is_empty() && read.strays.is_empty());
    let chain = Chain::new(read.revisions()).unwrap();
    let parse_ms = start.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let mut state = Partitioned::default();
    state.round_trip(&chain).unwrap();
    let round_trip_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let head = state.head_schema().unwrap();
    let status = migrate::snapshot_status(&chain, &head, &dir.path().join("schema.snapshot"));
    assert_eq!(status, migrate::SnapshotStatus::Missing);
    let head_ms = t.elapsed().as_secs_f64() * 1e3;
    let total = start.elapsed().as_secs_f64();
    let what = match shape {
        Shape::Apart => "tables apart",
        Shape::Connected => "all reference one table",
    };
    println!(
        "  {n:>6} revisions, {what:<24} {total:>7.2} s  (read + chain {parse_ms:>6.0} ms, round trip {round_trip_ms:>7.0} ms in {} group(s), head + snapshot {head_ms:>5.0} ms)",
        state.groups()
    );
}

/// The round trip of 1,000 revisions in one database, and a boot.
fn one_database() {
    let n = 1000;
    let ids: Vec<String> = (0..n)
        .map(|i| format!("{:012x}", 0xa00000000000u64 + i as u64))
        .collect();
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            let parent = if i == 0 { String::new() } else { ids[i - 1].clone() };
            let (up, down) = if i % 2 == 0 {
                (
                    format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER DEFAULT 0);\nCREATE INDEX t{i}_name ON t{i} (name);"),
                    format!("DROP TABLE t{i};"),
                )
            } else {
                (
                    format!("ALTER TABLE t{} ADD COLUMN extra{i} TEXT;", i - 1),
                    format!("ALTER TABLE t{} DROP COLUMN extra{i};", i - 1),
                )
            };
            (
                format!("v/{}_r{i}.sql", ids[i]),
                format!("-- Revision: {}\n-- Revises: {parent}\n-- Message: step {i}\n\n-- +upgrade\n{up}\n\n-- +downgrade\n{down}\n", ids[i]),
            )
        })
        .collect();

    let start = Instant::now();
    let revisions = files
        .iter()
        .map(|(path, text)| parse(path, text).unwrap())
        .collect();
    let chain = Chain::new(revisions).unwrap();
    let parse_ms = start.elapsed().as_secs_f64() * 1e3;

    // What a boot parses: the embedded files, checksums given.
    let sums: Vec<String> = files
        .iter()
        .map(|(_, t)| migrations_core::revision::checksum(t))
        .collect();
    let start = Instant::now();
    let revisions = files
        .iter()
        .zip(&sums)
        .map(|((path, text), sum)| {
            migrations_core::revision::parse_embedded(path, text, sum).unwrap()
        })
        .collect();
    let _ = Chain::new(revisions).unwrap();
    let boot_parse_ms = start.elapsed().as_secs_f64() * 1e3;

    let start = Instant::now();
    migrate::round_trip(&chain, &mut rusqlite::Connection::open_in_memory().unwrap()).unwrap();
    let round_trip_ms = start.elapsed().as_secs_f64() * 1e3;

    let dir = tempfile::tempdir().unwrap();
    let mut conn = rusqlite::Connection::open(dir.path().join("boot.db")).unwrap();
    migrate::upgrade(&chain, &mut conn, &Target::Head, &Options::default()).unwrap();
    let mut boots: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            migrate::upgrade(&chain, &mut conn, &Target::Head, &Options::default()).unwrap();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    boots.sort_by(f64::total_cmp);

    println!("{n} revisions (SQLite)");
    println!("  parse + validate the chain:                 {parse_ms:>9.1} ms");
    println!("  parse + validate at boot (embedded files):  {boot_parse_ms:>9.1} ms");
    println!("  up/down/up in one database (round_trip):    {round_trip_ms:>9.1} ms");
    println!(
        "  boot with nothing pending (median of 15):   {:>9.2} ms",
        boots[7]
    );
}
