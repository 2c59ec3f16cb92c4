//! `fixture-app <failing|slow|halfway|sleepy> boot` boots the database at `DATABASE_URL` with one of two
//! deliberately troublesome revision sets; `fixture-app <set> db <verb…>` runs the CLI on it.
//!
//! - `failing`: the second revision's second statement fails when `items` holds duplicate
//!   titles (it passes the build's round trip on an empty database).
//! - `slow`: the second revision copies a cross join of `seed` with itself three times, which
//!   takes seconds once `seed` has a few hundred rows.
//! - `halfway`: the same slow copy in a revision that runs outside a transaction, between two
//!   quick statements.
//! - `sleepy`: on PostgreSQL, one statement that sleeps 30 s while a table `sleep_long` exists.
//!
//! With `FIXTURE_NO_LOGGER=1` the app installs no logger.

use migrations_core::database::{Database, DEFAULT_URL};
use migrations_core::{Migrations, Options};

static FAILING: Migrations = migrations_core::include_migrations!("failing");
static SLOW: Migrations = migrations_core::include_migrations!("slow");
static HALFWAY: Migrations = migrations_core::include_migrations!("halfway");
static SLEEPY: Migrations = migrations_core::include_migrations!("sleepy");

fn main() {
    // `FIXTURE_NO_LOGGER=1`: an app that installs no logger (what `db` must still print).
    if std::env::var_os("FIXTURE_NO_LOGGER").is_none() {
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let migrations = match args.first().map(String::as_str) {
        Some("failing") => &FAILING,
        Some("slow") => &SLOW,
        Some("halfway") => &HALFWAY,
        Some("sleepy") => &SLEEPY,
        _ => {
            eprintln!("usage: fixture-app <failing|slow|halfway|sleepy> <boot | db VERB…>");
            std::process::exit(2);
        }
    };
    match args.get(1).map(String::as_str) {
        Some("boot") => {
            let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
            // `LOCK_TIMEOUT_MS`: how long to wait for another process (default 60 s).
            let mut options = Options::default();
            if let Some(ms) = std::env::var("LOCK_TIMEOUT_MS")
                .ok()
                .and_then(|v| v.parse().ok())
            {
                options = options.lock_timeout(std::time::Duration::from_millis(ms));
            }
            let result = Database::open(&url)
                .and_then(|mut db| migrations.upgrade_to_head_with(&mut db, &options));
            match result {
                Ok(steps) => println!(
                    "booted; ran {} revision(s)",
                    steps.iter().filter(|s| s.ran).count()
                ),
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some("db") => std::process::exit(migrations_core::cli::main(
            migrations,
            &migrations_core::Schema::new(),
            &args[2..],
        )),
        _ => {
            eprintln!("usage: fixture-app <failing|slow|halfway|sleepy> <boot | db VERB…>");
            std::process::exit(2);
        }
    }
}
