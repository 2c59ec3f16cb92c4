//! The PostgreSQL driver, on `postgres::Client`.
//!
//! Revisions run in transactions (PostgreSQL has transactional DDL), each with its history
//! row and the migration lock (a transaction-level advisory lock, see
//! [`crate::migrate::lock`]), so concurrent boots of one app against one database serialise,
//! directly or behind a pooler in any mode. Every statement goes through the simple-query
//! protocol: nothing is prepared on the server, so a pooler that hands each transaction to
//! another server connection (PgBouncer in transaction mode) finds no prepared statement
//! missing or taken. Introspection is a fixed handful of catalog queries, whatever the number
//! of tables.
//!
//! Inside a tokio runtime, where the `postgres` crate panics, the client connects and runs each
//! statement on a thread of its own. An async app's `tokio_postgres::Client` runs the same
//! protocol through `async_client` (feature `tokio-postgres`).
//!
//! The tests that need a server are the integration tests `tests/postgres.rs` and
//! `tests/async_postgres.rs`.

mod connect;
mod introspect;

pub(crate) use connect::KeptDatabase;
pub use connect::{connect, describe, with_database, ScratchDatabase, DEFAULT_ADMIN_URL};
pub use introspect::introspect;
#[doc(hidden)]
pub use introspect::introspect_counted;
pub(crate) use introspect::{introspect_cached, rows_version_sql, RowCache};

#[cfg(feature = "tokio-postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio-postgres")))]
pub mod async_client;
pub use connect::Tls;

use super::{DbError, DbErrorKind, Driver, Options};
use crate::bookkeeping;
use crate::dialect::postgres::{parse_text_array, routine_name, temp_calls, unqualify};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::migrate::{history, lock};
use crate::schema::Schema;
use crate::sql::quote_ident;
use postgres::Client;

/// The advisory lock key migrations take (see [`crate::bookkeeping::try_lock_sql`]).
pub use crate::bookkeeping::LOCK_KEY;

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        db_error(e)
    }
}

/// `?` on a `postgres` error in a function returning [`crate::Result`]: an
/// [`Error::Database`] whose context is `PostgreSQL`.
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        Error::database("PostgreSQL", e)
    }
}

/// A PostgreSQL error as a [`DbError`]: the server's message in one line (detail, hint and
/// SQLSTATE included), its SQLSTATE, and the error itself as the source.
pub(crate) fn db_error(e: postgres::Error) -> DbError {
    use postgres::error::SqlState;
    let code = e.code().cloned();
    let kind = match &code {
        Some(c) if *c == SqlState::UNDEFINED_TABLE => DbErrorKind::UndefinedTable,
        Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => DbErrorKind::InsufficientPrivilege,
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => DbErrorKind::Busy,
        Some(c) if c.code().starts_with("23") => DbErrorKind::ConstraintViolation,
        Some(c) if c.code().starts_with("08") || c.code().starts_with("57P") => {
            DbErrorKind::ConnectionLost
        }
        None if e.is_closed()
            || e.as_db_error().is_none() && e.to_string().contains("connection") =>
        {
            DbErrorKind::ConnectionLost
        }
        _ => DbErrorKind::Other,
    };
    let mut err = DbError::new(describe(&e), kind);
    if let Some(code) = code {
        err = err.with_code(code.code());
    }
    err.with_source(e)
}

/// The first value of the first row of `sql`, as text.
fn first_value<D: Driver + ?Sized>(
    conn: &mut D,
    sql: &str,
) -> std::result::Result<Option<String>, DbError> {
    let mut value = None;
    conn.query_sql(sql, &mut |r| {
        if value.is_none() {
            value = Some(r.first().copied().flatten().unwrap_or_default().to_string());
        }
    })?;
    Ok(value)
}

/// Runs `work` where the blocking `postgres` client can run: here, or, when this thread is
/// inside a tokio runtime (where the client's own `block_on` panics with "Cannot start a
/// runtime from within a runtime"), on a thread of its own that this one waits for. Inside
/// `spawn_blocking`, which counts as inside, the extra thread is harmless.
pub(crate) fn outside_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|s| {
        s.spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Hands each row of a simple query's answer to `each`, every value as text.
fn each_row(messages: &[postgres::SimpleQueryMessage], each: &mut dyn FnMut(&[Option<&str>])) {
    for message in messages {
        if let postgres::SimpleQueryMessage::Row(row) = message {
            let cells: Vec<Option<&str>> = (0..row.len()).map(|i| row.get(i)).collect();
            each(&cells);
        }
    }
}

impl Driver for Client {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn run_sql(&mut self, sql: &str) -> std::result::Result<(), DbError> {
        outside_runtime(|| self.batch_execute(sql)).map_err(db_error)
    }

    fn query_sql(
        &mut self,
        sql: &str,
        each: &mut dyn FnMut(&[Option<&str>]),
    ) -> std::result::Result<(), DbError> {
        // The simple-query protocol: one round trip, no prepared statement on the server.
        let messages = outside_runtime(|| self.simple_query(sql)).map_err(db_error)?;
        each_row(&messages, each);
        Ok(())
    }

    fn introspect(&mut self) -> Result<Schema> {
        introspect(self).map_err(|e| Error::database("reading the PostgreSQL schema", e))
    }

    fn introspect_cached(&mut self, cache: &mut super::SchemaCache) -> Result<Schema> {
        introspect_cached(self, &mut cache.postgres)
            .map_err(|e| Error::database("reading the PostgreSQL schema", e))
    }

    fn begin_step(
        &mut self,
        revision: &str,
        options: &Options,
        settings: Option<&str>,
    ) -> Result<bool> {
        begin_step(self, revision, options, settings)
    }

    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema> {
        introspect_scratch(self, ddl)
    }
}

/// [`Driver::begin_step`] for PostgreSQL, on any connection that speaks it (the blocking
/// client, the async one's bridge): one round trip opens the transaction, takes the lock, reads
/// the history and sets the revision's timeouts. When the lock was held, that read came too
/// early: wait for the lock, then read again.
fn begin_step<D: Driver + ?Sized>(
    conn: &mut D,
    revision: &str,
    options: &Options,
    settings: Option<&str>,
) -> Result<bool> {
    let (open, locks) = lock::opening_sql(Dialect::Postgres, options);
    let mut locked = !locks;
    let mut applied = false;
    let read = bookkeeping::is_applied_sql(revision);
    let sql = match settings {
        Some(set) => format!("{open}; {read}; {set}"),
        None => format!("{open}; {read}"),
    };
    if let Err(e) = conn.query_sql(&sql, &mut |r| {
        match r.first().copied().flatten() {
            Some("locked") => locked = true,
            Some("applied") => applied = true,
            _ => {} // the settings' own rows
        }
    }) {
        history::rollback(conn);
        return Err(Error::protocol(
            "starting a transaction, taking the migration lock and reading the history table",
            e,
        ));
    }
    if locked {
        return Ok(applied);
    }
    // The settings ran already: they hold for the rest of the transaction.
    lock::wait(conn, options)?;
    history::is_applied(conn, revision).inspect_err(|_| history::rollback(conn))
}

/// [`Driver::introspect_scratch`] for PostgreSQL, on any connection that speaks it through
/// [`Driver::run_sql`] and [`Driver::query_sql`] (an async client's adapter calls it as it is):
/// `ddl` built as temporary tables inside a transaction that is always rolled back, and read
/// back.
pub fn introspect_scratch<D: Driver + ?Sized>(conn: &mut D, ddl: &[String]) -> Result<Schema> {
    if ddl.is_empty() {
        return Ok(Schema::default());
    }
    // Temporary tables in the session's own temporary schema, inside a transaction that
    // is always rolled back: nothing remains, no CREATE privilege is needed (TEMPORARY is
    // granted to everyone by default), and temporary relations build about twice as fast.
    // The current search path follows, so types, domains and extensions the migrations
    // created stay visible.
    let path = parse_text_array(
        &first_value(conn, "SELECT current_schemas(false)::text[]")
            .map_err(|e| Error::database("reading the search path", e))?
            .unwrap_or_default(),
    );
    let mut search = vec!["pg_temp".to_string()];
    search.extend(
        path.iter()
            .filter(|p| !p.starts_with("pg_temp"))
            .map(|p| quote_ident(p)),
    );
    // The savepoint is set here, not with the DDL: a syntax error in a multi-statement query
    // runs none of it, a savepoint sent with it included.
    if let Err(source) = conn.run_sql(&format!(
        // Function bodies are checked when they run, not when they are made (as pg_dump's
        // output does): the models' functions come before the tables their bodies read.
        "BEGIN; SET LOCAL search_path TO {}; SET LOCAL check_function_bodies = false; SAVEPOINT ddl",
        search.join(", ")
    )) {
        let _ = conn.run_sql("ROLLBACK");
        return Err(Error::database(
                "the drift check builds the models in temporary tables, inside a transaction that is rolled back, and could not start",
                source,
            ));
    }
    let result = (|| {
        // Temporary tables the session already had are not the models'.
        let had = parse_text_array(
                &first_value(
                    conn,
                    "SELECT coalesce(array_agg(relname::text), '{}') FROM pg_catalog.pg_class WHERE relnamespace = pg_my_temp_schema()",
                )
                .map_err(|e| Error::database("reading the session's temporary tables", e))?
                .unwrap_or_default(),
            );
        // One round trip for the whole DDL; on failure, again statement by statement
        // (from the savepoint) to name the one that fails.
        // The app's schema is the temporary one here: names the models qualify with it lose
        // the qualifier.
        let unqualified: Vec<String>;
        // An extension goes in the app's schema (none may go in a temporary one); the models'
        // functions go in the temporary one, where only a call that names it finds them.
        let routines: Vec<String> = ddl.iter().filter_map(|s| routine_name(s)).collect();
        let ddl = match path.first() {
            Some(schema) => {
                unqualified = ddl
                    .iter()
                    .map(|s| match s.starts_with("CREATE EXTENSION ") {
                        true => format!("{s} SCHEMA {}", quote_ident(schema)),
                        false => temp_calls(&unqualify(s, schema), &routines),
                    })
                    .collect();
                &unqualified
            }
            None => ddl,
        };
        if let Err(e) = conn.run_sql(&ddl.join(";\n")) {
            if e.kind() == DbErrorKind::InsufficientPrivilege {
                return Err(Error::NoTemporaryTables { source: Some(e) });
            }
            let _ = conn.run_sql("ROLLBACK TO SAVEPOINT ddl");
            for stmt in ddl {
                conn.run_sql(stmt).map_err(|e| Error::ModelsDoNotBuild {
                    dialect: Dialect::Postgres,
                    statement: Some(stmt.clone()),
                    source: e,
                })?;
            }
            return Err(Error::ModelsDoNotBuild {
                dialect: Dialect::Postgres,
                statement: None,
                source: e,
            });
        }
        // Never read anything but the temporary schema (the app's own schema would be
        // compared with itself).
        let temporary = first_value(
            conn,
            "SELECT current_schema() = pg_my_temp_schema()::regnamespace::name",
        )
        .map_err(|e| Error::database("reading the scratch schema", e))?
            == Some("t".to_string());
        if !temporary {
            return Err(Error::NoTemporaryTables { source: None });
        }
        let mut schema =
            introspect(conn).map_err(|e| Error::database("reading the scratch schema", e))?;
        // What the models' DDL resolved to in the app's own schema (a function made before the
        // tables returns `public.customer`) is deparsed qualified here, where the temporary
        // schema comes first: as the live schema's deparse, unqualified.
        if let Some(app) = path.first() {
            for f in schema.functions.values_mut() {
                f.definition = unqualify(&f.definition, app);
            }
            for v in schema.views.values_mut() {
                v.query = unqualify(&v.query, app);
            }
            for t in schema.triggers.values_mut() {
                t.definition = unqualify(&t.definition, app);
            }
        }
        schema.tables.retain(|name, _| !had.contains(name));
        schema.views.retain(|name, _| !had.contains(name));
        Ok(schema)
    })();
    let _ = conn.run_sql("ROLLBACK");
    result
}
