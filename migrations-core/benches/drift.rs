//! Introspection + diff (the drift check) on a generated 500-table schema, SQLite and
//! PostgreSQL. Run: `cargo bench -p migrations-core --features postgres --bench drift`.
//!
//! PostgreSQL comes from `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`);
//! without a server the PostgreSQL rows are skipped. Prints medians of several runs.

use migrations_core::diff::diff;
use migrations_core::driver::postgres::introspect_counted;
use migrations_core::render::schema_ddl;

mod common;
use migrations_core::testing::TestDatabase;
use migrations_core::{migrate, Dialect, Driver};
use std::time::{Duration, Instant};

const TABLES: usize = 500;
const RUNS: usize = 7;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let samples = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            out = Some(f());
            start.elapsed()
        })
        .collect();
    (median(samples), out.expect("RUNS > 0"))
}

fn row(what: &str, d: Duration, extra: &str) {
    println!("{what:<44} {:>10.1} ms  {extra}", d.as_secs_f64() * 1e3);
}

fn main() {
    let models = common::models(TABLES);
    println!("drift check on {TABLES} tables (median of {RUNS} runs)\n");

    // SQLite, in memory.
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    for stmt in schema_ddl(Dialect::Sqlite, &models) {
        conn.execute_batch(&stmt).unwrap();
    }
    let (t, live) = time(|| conn.introspect().unwrap());
    row(
        "sqlite: introspect",
        t,
        &format!("{} tables", live.tables.len()),
    );
    let (t, predicted) = time(|| migrate::predicted_as_built(Dialect::Sqlite, &models).unwrap());
    row("sqlite: models predicted (no database)", t, "");
    let (t, expected) = time(|| migrate::models_as_built(&mut conn, &models).unwrap());
    row(
        "sqlite: models through a scratch database",
        t,
        "(only where there is no prediction)",
    );
    assert_eq!(predicted, expected);
    let (t, changes) = time(|| diff(&live, &expected));
    row("sqlite: diff", t, &format!("{} changes", changes.len()));
    let (t, changes) = time(|| migrate::drift(&mut conn, &models).unwrap());
    row(
        "sqlite: whole drift check",
        t,
        &format!("{} changes", changes.len()),
    );
    assert!(changes.is_empty());

    // PostgreSQL.
    let Some(db) = TestDatabase::create() else {
        println!("\npostgres: skipped (no server; set TEST_POSTGRES_URL)");
        return;
    };
    let mut client = db.connect();
    for stmt in schema_ddl(Dialect::Postgres, &models) {
        client.batch_execute(&stmt).unwrap();
    }
    let (t, (live, queries)) = time(|| introspect_counted(&mut client).unwrap());
    row(
        "postgres: introspect",
        t,
        &format!("{} tables, {queries} queries", live.tables.len()),
    );
    let (t, expected) = time(|| migrate::models_as_built(&mut client, &models).unwrap());
    row("postgres: models through temporary tables", t, "");
    let (t, changes) = time(|| diff(&live, &expected));
    row("postgres: diff", t, &format!("{} changes", changes.len()));
    let (t, changes) = time(|| migrate::drift(&mut client, &models).unwrap());
    row(
        "postgres: whole drift check",
        t,
        &format!("{} changes", changes.len()),
    );
    assert!(changes.is_empty());
}
