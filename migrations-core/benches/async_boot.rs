//! Boot at head, nothing to do (the history read, the drift check remembered), on the blocking
//! PostgreSQL backend (`postgres::Client`) and on the async one (`tokio_postgres::Client`, on a
//! current-thread and on a multi-thread runtime), same machine, one run, rounds interleaved so
//! that the server's load falls on both alike. Run:
//! `cargo bench -p migrations-core --features tokio-postgres --bench async_boot`.
//!
//! PostgreSQL comes from `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).

mod common;

use migrations_core::driver::postgres::async_client;
use migrations_core::render::schema_ddl;
use migrations_core::testing::{self, Fixture, TestDatabase};
use migrations_core::Dialect;
use std::time::{Duration, Instant};

const TABLES: usize = 50;
const REVISIONS: usize = 20;
const ROUNDS: usize = 15;
const BOOTS_PER_ROUND: usize = 40;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The mean of one boot over `BOOTS_PER_ROUND` boots.
fn round(mut boot: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..BOOTS_PER_ROUND {
        boot();
    }
    start.elapsed() / BOOTS_PER_ROUND as u32
}

fn main() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    // The models' tables, one revision each for the first REVISIONS statements, the rest in
    // the last one.
    let models: &'static migrations_core::Schema = Box::leak(Box::new(common::models(TABLES)));
    let ddl = schema_ddl(Dialect::Postgres, models);
    let per = ddl.len().div_ceil(REVISIONS);
    let fixtures: Vec<Fixture> = ddl
        .chunks(per)
        .enumerate()
        .map(|(i, part)| {
            let id = format!("{:012x}", i + 1);
            let parent = if i == 0 {
                String::new()
            } else {
                format!("{i:012x}")
            };
            Fixture::new(id)
                .revises(&parent)
                .up(part.join(";\n") + ";")
                .irreversible("a benchmark")
        })
        .collect();
    let migrations = testing::embedded(&fixtures);
    let mut blocking = db.connect();
    migrations.boot(&mut blocking, models).unwrap();
    assert!(migrations.boot(&mut blocking, models).unwrap().is_empty());

    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let on_current = current.block_on(async_client::connect(&db.url)).unwrap();
    let on_multi = multi.block_on(async_client::connect(&db.url)).unwrap();

    let mut in_pool = Some(db.connect());

    let (mut sync, mut async_current, mut async_multi) = (Vec::new(), Vec::new(), Vec::new());
    let mut sync_in_pool = Vec::new();
    for _ in 0..ROUNDS {
        sync.push(round(|| {
            assert!(migrations.boot(&mut blocking, models).unwrap().is_empty())
        }));
        async_current.push(round(|| {
            let steps = current.block_on(migrations.boot_async(&on_current, models));
            assert!(steps.unwrap().is_empty())
        }));
        // The blocking client in `spawn_blocking`, as the README says for blocking calls in
        // an async app: inside a runtime, each statement goes to a thread of its own.
        sync_in_pool.push(round(|| {
            let mut client = in_pool.take().unwrap();
            let (client, steps) = multi.block_on(async {
                tokio::task::spawn_blocking(move || {
                    let steps = migrations.boot(&mut client, models);
                    (client, steps)
                })
                .await
                .unwrap()
            });
            assert!(steps.unwrap().is_empty());
            in_pool = Some(client);
        }));
        async_multi.push(round(|| {
            let steps = multi.block_on(migrations.boot_async(&on_multi, models));
            assert!(steps.unwrap().is_empty())
        }));
    }
    let sync = median(sync);
    println!(
        "boot at head, nothing to do ({REVISIONS} revisions, {TABLES} tables; median of {ROUNDS} rounds of {BOOTS_PER_ROUND} boots)\n"
    );
    let row = |what: &str, t: Duration| {
        println!(
            "{what:<52} {:>7.3} ms  {:.2}x blocking",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() / sync.as_secs_f64()
        )
    };
    row("blocking: postgres::Client", sync);
    row(
        "async: tokio_postgres::Client, current-thread runtime",
        median(async_current),
    );
    row(
        "async: tokio_postgres::Client, multi-thread runtime",
        median(async_multi),
    );
    row(
        "blocking: postgres::Client in spawn_blocking",
        median(sync_in_pool),
    );
}
