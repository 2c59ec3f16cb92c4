//! `db revision --autogenerate` against 200-table models, from an empty versions folder (every
//! table new) and from a folder at the models (no changes), SQLite and PostgreSQL sections
//! both. Run: `cargo bench -p migrations-core --features cli,postgres --bench autogenerate`.

use clap::Parser;
use migrations_core::cli::{execute, DbArgs};
use migrations_core::schema::Schema;
use migrations_core::testing::migrations_from_dir;

mod common;
use std::time::{Duration, Instant};

fn autogenerate(versions: &std::path::Path, models: &Schema) -> (Duration, String) {
    let args = DbArgs::try_parse_from([
        "db",
        "--database-url",
        "sqlite::memory:",
        "revision",
        "--autogenerate",
        "-m",
        "bench",
    ])
    .unwrap();
    let migrations = migrations_from_dir(versions);
    let mut out = Vec::new();
    let start = Instant::now();
    execute(migrations, models, &args, &mut out).unwrap();
    (start.elapsed(), String::from_utf8(out).unwrap())
}

fn main() {
    let models = common::models(200);
    let runs = 3;
    let mut first = Vec::new();
    let mut again = Vec::new();
    for _ in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let versions = dir.path().join("versions");
        std::fs::create_dir(&versions).unwrap();
        let (t, out) = autogenerate(&versions, &models);
        assert!(out.contains("Detected added table 'table_199'"));
        first.push(t);
        let (t, out) = autogenerate(&versions, &models);
        assert!(out.contains("No changes detected"), "{out}");
        again.push(t);
    }
    first.sort();
    again.sort();
    println!("autogenerate, 200-table models, sqlite + postgres sections (median of {runs})");
    println!(
        "  from an empty folder (200 new tables): {:>8.1} ms",
        first[runs / 2].as_secs_f64() * 1e3
    );
    println!(
        "  at the models (no changes):            {:>8.1} ms",
        again[runs / 2].as_secs_f64() * 1e3
    );
}
