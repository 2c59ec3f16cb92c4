//! The async PostgreSQL backend (feature `tokio-postgres`): the migrations on a
//! `tokio_postgres::Client`, a pool's client included (`deadpool_postgres::Object` and bb8's
//! `PooledConnection` deref to one).
//!
//! # One protocol, two transports
//!
//! The protocol ([`crate::migrate`]: lock, verify, upgrade, the drift check and its memory) is
//! written once, as blocking code over any [`Driver`]. [`run`] runs it on a thread of the
//! runtime's blocking pool with a [`Bridge`] as its connection: the bridge's
//! [`Driver::run_sql`] and [`Driver::query_sql`] send each statement over a channel to the
//! future [`run`] returns, which runs it on the client (`batch_execute`, `simple_query`: the
//! simple-query protocol, as the blocking driver does, so nothing is prepared and a pooler in
//! transaction mode is fine) and sends the answer back. The future is a loop awaiting those
//! requests, so it runs on any tokio runtime, a current-thread one (`#[tokio::test]`'s
//! default) included, never blocks it, and only borrows the client. The statements are the blocking driver's own, round trip
//! for round trip (a revision's transaction opens in one, see [`Driver::begin_step`]).
//!
//! # Cancellation
//!
//! A future dropped before it is done (a timeout, a shutdown) may leave a revision's
//! transaction open on the client, which would go back to its pool holding the migration lock.
//! Dropping it therefore queues a `ROLLBACK` on the client before anything its next user
//! sends: the statement being run finishes (or fails) on the server first, then the rollback
//! ends the transaction and releases the lock. The protocol's thread gets no answer any more
//! and ends with an error nobody reads.
//!
//! # Example
//!
//! ```no_run
//! # macro_rules! include_migrations { () => { migrations_core::Migrations::from_embedded("", &[]) } }
//! static MIGRATIONS: migrations_core::Migrations = include_migrations!();
//!
//! # async fn doc() -> Result<(), Box<dyn std::error::Error>> {
//! let client =
//!     migrations_core::driver::postgres::async_client::connect("postgres://app@db/app").await?;
//! MIGRATIONS.boot_async(&client, &migrations_core::Schema::new()).await?;
//! # Ok(())
//! # }
//! ```

use super::{begin_step, db_error, each_row, introspect, introspect_scratch};
use crate::dialect::Dialect;
use crate::driver::{DbError, DbErrorKind, Driver, Options};
use crate::error::{Error, Result};
use crate::schema::Schema;
use std::future::Future;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::{Client, SimpleQueryMessage};

/// A statement the protocol's thread asks the async side to run.
enum Request {
    /// Statements, no rows (`batch_execute`).
    Run(String),
    /// A query whose rows come back (`simple_query`).
    Query(String),
}

/// The async side's answer to a [`Request`].
type Reply = std::result::Result<Vec<SimpleQueryMessage>, tokio_postgres::Error>;

/// The connection the protocol runs on inside [`run`]: a [`Driver`] whose statements run on
/// the async client, on the runtime that awaits [`run`]'s future.
pub struct Bridge {
    requests: mpsc::UnboundedSender<Request>,
    replies: std::sync::mpsc::Receiver<Reply>,
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bridge(..)")
    }
}

impl Bridge {
    /// Sends `request` to the async side and waits for its answer.
    fn call(&mut self, request: Request) -> std::result::Result<Vec<SimpleQueryMessage>, DbError> {
        let cancelled = || {
            DbError::new(
                "the async run was cancelled (its future was dropped) before this statement \
                 ran; the client's transaction was rolled back",
                DbErrorKind::ConnectionLost,
            )
        };
        self.requests.send(request).map_err(|_| cancelled())?;
        match self.replies.recv() {
            Ok(reply) => reply.map_err(db_error),
            Err(_) => Err(cancelled()),
        }
    }
}

impl Driver for Bridge {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn run_sql(&mut self, sql: &str) -> std::result::Result<(), DbError> {
        self.call(Request::Run(sql.to_string())).map(drop)
    }

    fn query_sql(
        &mut self,
        sql: &str,
        each: &mut dyn FnMut(&[Option<&str>]),
    ) -> std::result::Result<(), DbError> {
        let messages = self.call(Request::Query(sql.to_string()))?;
        each_row(&messages, each);
        Ok(())
    }

    fn introspect(&mut self) -> Result<Schema> {
        introspect(self).map_err(|e| Error::database("reading the PostgreSQL schema", e))
    }

    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema> {
        introspect_scratch(self, ddl)
    }

    fn begin_step(
        &mut self,
        revision: &str,
        options: &Options,
        settings: Option<&str>,
    ) -> Result<bool> {
        begin_step(self, revision, options, settings)
    }
}

/// Runs `job` — any of the blocking API on a [`Driver`] — with `client` as its connection:
/// `job` runs on a thread of the runtime's blocking pool (of its own outside a tokio
/// runtime), each of its statements on `client` in the returned
/// future (see the module's documentation). [`crate::Migrations::boot_async`] and its
/// siblings are this with one call each; anything else of the blocking API
/// ([`crate::migrate::history()`], [`crate::migrate::stamp()`], …) runs the same way.
///
/// `client` must not be used by anything else while the future runs (a pool's client is
/// not). Dropping the future before it is done rolls back the transaction it may have left
/// open on `client`.
///
/// ```no_run
/// # async fn doc(client: &migrations_core::tokio_postgres::Client) -> migrations_core::Result<()> {
/// use migrations_core::driver::postgres::async_client;
///
/// let history = async_client::run(client, |conn| migrations_core::migrate::history(conn)).await?;
/// println!("{} revision(s) applied", history.len());
/// # Ok(())
/// # }
/// ```
///
/// # Failure
///
/// What `job` returns; an error naming the cause when no thread can be started. A panic in
/// `job` is resumed in the caller.
pub async fn run<T, F>(client: &Client, job: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Bridge) -> Result<T> + Send + 'static,
{
    let (requests, mut incoming) = mpsc::unbounded_channel();
    let (answer, replies) = std::sync::mpsc::channel();
    let (done, result) = oneshot::channel();
    let work = move || {
        let mut bridge = Bridge { requests, replies };
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut bridge)));
        drop(bridge); // ends the loop below
        let _ = done.send(out);
    };
    // A thread of the runtime's blocking pool (reused from one run to the next), or of its
    // own on another executor. A runtime shutting down drops `work` unrun: then the loop
    // ends at once and `result` says so.
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(work)),
        Err(_) => drop(
            std::thread::Builder::new()
                .name("migrations".into())
                .spawn(work)
                .map_err(|e| {
                    Error::database(
                        "starting the thread the migrations run on",
                        DbError::new(e.to_string(), DbErrorKind::Other),
                    )
                })?,
        ),
    }
    let mut guard = RollbackIfDropped {
        client,
        done: false,
    };
    while let Some(request) = incoming.recv().await {
        let reply = match &request {
            Request::Run(sql) => client.batch_execute(sql).await.map(|()| Vec::new()),
            Request::Query(sql) => client.simple_query(sql).await,
        };
        // The thread waits for it; it is gone only after a panic, which `result` brings.
        let _ = answer.send(reply);
    }
    let out = result.await;
    guard.done = true;
    match out {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => Err(Error::database(
            "running the migrations on their thread",
            DbError::new(
                "the thread ended without a result (the runtime is shutting down)",
                DbErrorKind::Other,
            ),
        )),
    }
}

/// Rolls back whatever transaction [`run`] left open on its client when its future is dropped
/// before it is done.
struct RollbackIfDropped<'c> {
    client: &'c Client,
    done: bool,
}

impl Drop for RollbackIfDropped<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // `batch_execute` queues its message on the client's connection when first polled,
        // before anything the client's next user sends; the answer is not awaited (the
        // connection reads and drops it). Outside a transaction it is a harmless warning.
        let mut rollback = std::pin::pin!(self.client.batch_execute("ROLLBACK"));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let _ = rollback.as_mut().poll(&mut cx);
        log::warn!(
            "a migration run on an async client was cancelled before it was done; its \
             transaction, if one was open, is rolled back"
        );
    }
}

/// Connects to a `postgres://…` URL, read as [`super::connect()`] reads it (`sslmode`,
/// `sslrootcert`, `sslcert`/`sslkey`, TLS with the `tls` feature, a 10 s connect timeout
/// unless the URL sets one), and spawns the connection on the current tokio runtime.
///
/// ```no_run
/// # async fn doc() -> migrations_core::Result<()> {
/// let client = migrations_core::driver::postgres::async_client::connect(
///     "postgres://app:secret@db.example.com/app?sslmode=verify-full",
/// )
/// .await?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
///
/// # Failure
///
/// As [`super::connect()`]; and when called outside a tokio runtime.
pub async fn connect(url: &str) -> Result<Client> {
    let (config, tls) = config(url)?;
    let shown = crate::url::mask_password(url);
    let runtime = tokio::runtime::Handle::try_current().map_err(|e| {
        Error::database(
            format!("connecting to {shown}"),
            DbError::new(
                format!("{e}: call it from inside a tokio runtime"),
                DbErrorKind::Other,
            ),
        )
    })?;
    let (client, connection) = config
        .connect(tls)
        .await
        .map_err(|source| Error::database(format!("connecting to {shown}"), source))?;
    runtime.spawn(async move {
        if let Err(e) = connection.await {
            log::warn!("the PostgreSQL connection to {shown} ended: {e}");
        }
    });
    Ok(client)
}

/// A URL read as [`super::connect()`] reads it, for a pool to connect with: the client's
/// configuration (a 10 s connect timeout unless the URL sets one) and the TLS connector
/// ([`super::Tls`]: rustls with the `tls` feature, checking as the URL's `sslmode` and
/// `sslrootcert` say). A deadpool pool that connects as the blocking backend does:
///
/// ```no_run
/// # fn doc() -> Result<(), Box<dyn std::error::Error>> {
/// # use deadpool_postgres as deadpool;
/// let (config, tls) =
///     migrations_core::driver::postgres::async_client::config("postgres://app@db/app")?;
/// let manager = deadpool::Manager::from_config(config, tls, deadpool::ManagerConfig::default());
/// let pool = deadpool::Pool::builder(manager).max_size(8).build()?;
/// # let _ = pool;
/// # Ok(())
/// # }
/// ```
///
/// # Failure
///
/// A malformed URL, or a certificate file that cannot be used, in one line with the password
/// masked.
pub fn config(url: &str) -> Result<(tokio_postgres::Config, super::Tls)> {
    let (mut config, tls) = super::connect::parse::<tokio_postgres::Config>(url)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    let disabled = config.get_ssl_mode() == tokio_postgres::config::SslMode::Disable;
    Ok((config, tls.connector_unless(disabled)?))
}
