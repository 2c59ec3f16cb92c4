//! The build step's check on 1,000 revisions: parse and validate the chain, then run it up,
//! down and up on an in-memory SQLite database with introspection after every step; and a boot
//! with nothing pending. Run: `cargo bench -p migrations-core --bench round_trip`.

use migrations_core::chain::Chain;
use migrations_core::revision::parse;
use migrations_core::{migrate, Options, Target};
use std::time::Instant;

fn main() {
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
    println!("  build check, up/down/up with introspection: {round_trip_ms:>9.1} ms");
    println!(
        "  boot with nothing pending (median of 15):   {:>9.2} ms",
        boots[7]
    );
}
