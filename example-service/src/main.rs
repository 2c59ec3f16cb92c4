//! A small tokio service that keeps its PostgreSQL schema with migrations-core, through a
//! pooled async client: at startup it takes a client from its deadpool pool and boots the
//! database on it (lock, verify, upgrade to head, drift check), and only then listens. It
//! answers `GET /` with the number of notes.
//!
//! - `example-service`: boot, then serve on `LISTEN` (default `127.0.0.1:8080`; port 0 picks
//!   a free one), printing `listening on ADDR`.
//! - `example-service boot`: boot, then exit (a migration job; the tests' concurrent boots).
//! - `example-service db VERB…`: the migrations CLI (`db upgrade head`, `db current`, …), which
//!   stays blocking: it runs before any runtime starts, as in a blocking app.
//!
//! `DATABASE_URL` is the service's PostgreSQL database (`postgres://…`, TLS parameters as the
//! blocking backend reads them).

mod models;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use migrations_core::driver::postgres::async_client;
use migrations_core::{Migrations, StepReport};
use std::error::Error;
use std::process::ExitCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

static MIGRATIONS: Migrations = migrations_core::include_migrations!();

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("db") {
        // The CLI, blocking, before the runtime starts.
        let code = migrations_core::cli::main(&MIGRATIONS, &models::schema(), &args[1..]);
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: starting the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(start(args.first().map(String::as_str))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Boots, then serves (no `command`) or exits (`boot`).
async fn start(command: Option<&str>) -> Result<(), Box<dyn Error>> {
    if let Some(other) = command.filter(|c| *c != "boot") {
        return Err(
            format!("unknown command `{other}`: use `boot`, `db VERB…`, or none to serve").into(),
        );
    }
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "set DATABASE_URL to the service's PostgreSQL database (postgres://…)")?;
    let pool = pool(&url)?;
    let steps = boot(&pool).await?;
    if command == Some("boot") {
        let ran = steps.iter().filter(|s| s.ran).count();
        println!("booted; ran {ran} revision(s)");
        return Ok(());
    }
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("listening on {listen}: {e}"))?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (socket, _) = listener.accept().await?;
        let pool = pool.clone();
        tokio::spawn(async move {
            if let Err(e) = answer(socket, &pool).await {
                log::warn!("a request failed: {e}");
            }
        });
    }
}

/// The pool: clients configured from the URL as the blocking backend connects (TLS included).
fn pool(url: &str) -> Result<Pool, Box<dyn Error>> {
    let (config, tls) = async_client::config(url)?;
    let recycling = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = Manager::from_config(config, tls, recycling);
    Ok(Pool::builder(manager).max_size(8).build()?)
}

/// Boots the database on a client of the pool, before the service listens: upgraded to head
/// and checked against the models, or the service does not start.
async fn boot(pool: &Pool) -> Result<Vec<StepReport>, Box<dyn Error>> {
    let client = pool.get().await?;
    Ok(MIGRATIONS.boot_async(&client, &models::schema()).await?)
}

/// Answers one HTTP request: `GET /` with the number of notes, anything else with 404.
async fn answer(mut socket: TcpStream, pool: &Pool) -> Result<(), Box<dyn Error + Send + Sync>> {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 8192 {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let (status, body) = if request.starts_with(b"GET / ") {
        let client = pool.get().await?;
        // The simple-query protocol: nothing prepared, as a pooler in transaction mode wants.
        let count = client
            .simple_query("SELECT count(*) FROM notes")
            .await?
            .into_iter()
            .find_map(|m| match m {
                migrations_core::tokio_postgres::SimpleQueryMessage::Row(row) => {
                    row.get(0).map(str::to_string)
                }
                _ => None,
            })
            .unwrap_or_default();
        ("200 OK", format!("{count} notes\n"))
    } else {
        ("404 Not Found", "not found\n".to_string())
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(response.as_bytes()).await?;
    Ok(())
}
