//! Introspection + diff (the drift check) on a generated 500-table schema, SQLite and
//! PostgreSQL. Run: `cargo bench -p migrations-core --features postgres --bench drift`.
//!
//! PostgreSQL comes from `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`);
//! without a server the PostgreSQL rows are skipped. Prints medians of several runs.

use migrations_core::diff::diff;
use migrations_core::driver::postgres::introspect_counted;
use migrations_core::render::schema_ddl;
use migrations_core::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};
use migrations_core::testing::TestDatabase;
use migrations_core::{migrate, Dialect, Driver};
use std::time::{Duration, Instant};

const TABLES: usize = 500;
const RUNS: usize = 7;

/// 500 tables of 8 columns, a unique constraint, an index, a check and a foreign key each.
fn models(n: usize) -> Schema {
    (0..n).fold(Schema::new(), |s, i| {
        let mut t = Table::new(format!("table_{i:03}"))
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("name", ColumnType::Varchar(120)).not_null())
            .column(Column::new("body", ColumnType::Text))
            .column(
                Column::new("amount", ColumnType::Numeric(12, 2))
                    .not_null()
                    .default_sql("0"),
            )
            .column(
                Column::new("active", ColumnType::Boolean)
                    .not_null()
                    .default_sql("true"),
            )
            .column(
                Column::new("created_at", ColumnType::Timestamp)
                    .not_null()
                    .default_now(),
            )
            .column(Column::new("parent_id", ColumnType::BigInt))
            .column(Column::new("data", ColumnType::Json))
            .primary_key(["id"])
            .unique(["name"])
            .index(Index::new(
                format!("table_{i:03}_parent"),
                ["parent_id", "created_at"],
            ))
            .check("amount >= 0");
        if i > 0 {
            t = t.foreign_key(
                ForeignKey::new(["parent_id"], format!("table_{:03}", i - 1), ["id"])
                    .on_delete(Action::SetNull),
            );
        }
        s.table(t)
    })
}

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
    let models = models(TABLES);
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
    let (t, expected) = time(|| migrate::models_as_built(&mut conn, &models).unwrap());
    row("sqlite: models through a scratch database", t, "");
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
    row("postgres: models through a scratch schema", t, "");
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
