//! The PostgreSQL driver, on `postgres::Client`.
//!
//! Revisions run in transactions (PostgreSQL has transactional DDL), each with its history
//! row. A whole run holds a session advisory lock, so concurrent boots of one app against one
//! database serialise; the lock is released on every path, and by the server if the process
//! dies. Introspection is a fixed handful of catalog queries, whatever the number of tables.
//!
//! The tests that need a server are the integration test `tests/postgres.rs`.

mod connect;
mod introspect;

pub use connect::{connect, describe, with_database, ScratchDatabase, DEFAULT_ADMIN_URL};
pub use introspect::introspect;
#[doc(hidden)]
pub use introspect::introspect_counted;

use super::{DbError, DbErrorKind, Driver, Options};
use crate::bookkeeping;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::sql::quote_ident;
use postgres::Client;
use std::time::{Duration, Instant};

/// The advisory lock key migrations take: the bytes of `"migratio"`.
pub const LOCK_KEY: i64 = 0x6d69_6772_6174_696f;

fn ctx(context: &str) -> impl FnOnce(postgres::Error) -> Error + '_ {
    move |source| Error::database(context, source)
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        db_error(e)
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
        _ => DbErrorKind::Other,
    };
    let mut err = DbError::new(describe(&e), kind);
    if let Some(code) = code {
        err = err.with_code(code.code());
    }
    err.with_source(e)
}

/// The session that holds the migration lock, in words: its pid, application, client, since
/// when it is in its transaction (or connected), its state and its last statement, from
/// `pg_locks` and `pg_stat_activity`. `None` when nobody holds it any more, or the role may not
/// see it.
fn lock_holder(client: &mut Client) -> Option<String> {
    // A bigint advisory key is stored as two oids: the high and the low 32 bits.
    let sql = format!(
        "SELECT a.pid::text, coalesce(nullif(a.application_name, ''), '?'), coalesce(host(a.client_addr), 'local'),
                coalesce(to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), '?'),
                coalesce(a.state, '?'), coalesce(left(regexp_replace(a.query, E'\\\\s+', ' ', 'g'), 200), '')
         FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
           AND l.classid = {} AND l.objid = {} LIMIT 1",
        (LOCK_KEY >> 32) as u32,
        (LOCK_KEY & 0xffff_ffff) as u32
    );
    let mut who = None;
    Driver::query_sql(client, &sql, &mut |r| {
        let cell = |i: usize| r.get(i).copied().flatten().unwrap_or("?");
        who = Some(format!(
            "pid {} ({}, from {}), in its transaction or connected since {}, {}, last statement: {}",
            cell(0),
            cell(1),
            cell(2),
            cell(3),
            cell(4),
            cell(5)
        ));
    })
    .ok()?;
    who
}

impl Driver for Client {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn run_sql(&mut self, sql: &str) -> std::result::Result<(), DbError> {
        self.batch_execute(sql).map_err(db_error)
    }

    fn query_sql(
        &mut self,
        sql: &str,
        each: &mut dyn FnMut(&[Option<&str>]),
    ) -> std::result::Result<(), DbError> {
        // The simple-query protocol: one round trip, no prepared statement on the server.
        for message in self.simple_query(sql).map_err(db_error)? {
            if let postgres::SimpleQueryMessage::Row(row) = message {
                let cells: Vec<Option<&str>> = (0..row.len()).map(|i| row.get(i)).collect();
                each(&cells);
            }
        }
        Ok(())
    }

    fn lock(&mut self, options: &Options) -> Result<()> {
        let start = Instant::now();
        let mut told = false;
        loop {
            let got: bool = self
                .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
                .map_err(ctx("taking the migration lock"))?
                .get(0);
            if got {
                if told {
                    log::info!("got the migration lock after {:?}", start.elapsed());
                }
                return Ok(());
            }
            if start.elapsed() >= options.lock_timeout {
                let who = lock_holder(self).unwrap_or_else(|| "a session that has ended".into());
                return Err(Error::LockTimeout(format!(
                    "another process held the migration lock (advisory lock {LOCK_KEY}) for more \
                     than {:?}: {who}; if it is not migrating, end its session \
                     (`SELECT pg_terminate_backend(pid)`), or raise `Options::lock_timeout`",
                    options.lock_timeout
                )));
            }
            if !told {
                let who = lock_holder(self).unwrap_or_else(|| "another session".into());
                log::info!(
                    "waiting for the migration lock, held by {who}: another process is migrating this database"
                );
                told = true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn unlock(&mut self) -> Result<()> {
        self.query_one("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
            .map(drop)
            .map_err(ctx("releasing the migration lock"))
    }

    fn introspect(&mut self) -> Result<Schema> {
        introspect(self).map_err(ctx("reading the PostgreSQL schema"))
    }

    fn begin_step(&mut self, revision: &str) -> Result<bool> {
        // One round trip instead of two.
        let mut applied = false;
        Driver::query_sql(
            self,
            &format!(
                "{}; {}",
                bookkeeping::begin_sql(Dialect::Postgres),
                bookkeeping::is_applied_sql(revision)
            ),
            &mut |_| applied = true,
        )
        .map_err(|e| Error::database("starting a transaction and reading the history table", e))?;
        Ok(applied)
    }

    fn introspect_scratch(&mut self, ddl: &[String]) -> Result<Schema> {
        if ddl.is_empty() {
            return Ok(Schema::default());
        }
        // Temporary tables in the session's own temporary schema, inside a transaction that
        // is always rolled back: nothing remains, no CREATE privilege is needed (TEMPORARY is
        // granted to everyone by default), and temporary relations build about twice as fast.
        // The current search path follows, so types, domains and extensions the migrations
        // created stay visible.
        let path: Vec<String> = self
            .query_one("SELECT current_schemas(false)::text[]", &[])
            .map(|r| r.get(0))
            .map_err(ctx("reading the search path"))?;
        let mut search = vec!["pg_temp".to_string()];
        search.extend(
            path.iter()
                .filter(|p| !p.starts_with("pg_temp"))
                .map(|p| quote_ident(p)),
        );
        if let Err(source) = self.batch_execute(&format!(
            "BEGIN; SET LOCAL search_path TO {}",
            search.join(", ")
        )) {
            let _ = self.batch_execute("ROLLBACK");
            return Err(Error::database(
                "the drift check builds the models in temporary tables, inside a transaction that is rolled back, and could not start",
                source,
            ));
        }
        let result = (|| {
            // Temporary tables the session already had are not the models'.
            let had: Vec<String> = self
                .query_one(
                    "SELECT coalesce(array_agg(relname::text), '{}') FROM pg_catalog.pg_class WHERE relnamespace = pg_my_temp_schema()",
                    &[],
                )
                .map_err(ctx("reading the session's temporary tables"))?
                .get(0);
            // One round trip for the whole DDL; on failure, again statement by statement
            // (inside a savepoint) to name the one that fails.
            let all = ddl.join(";\n");
            if let Err(e) = self.batch_execute(&format!("SAVEPOINT ddl; {all}")) {
                if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
                    return Err(Error::NoTemporaryTables {
                        source: Some(db_error(e)),
                    });
                }
                let _ = self.batch_execute("ROLLBACK TO SAVEPOINT ddl");
                for stmt in ddl {
                    self.batch_execute(stmt)
                        .map_err(|e| Error::ModelsDoNotBuild {
                            dialect: Dialect::Postgres,
                            statement: Some(stmt.clone()),
                            source: db_error(e),
                        })?;
                }
                return Err(Error::ModelsDoNotBuild {
                    dialect: Dialect::Postgres,
                    statement: None,
                    source: db_error(e),
                });
            }
            // Never read anything but the temporary schema (the app's own schema would be
            // compared with itself).
            let temporary: bool = self
                .query_one(
                    "SELECT current_schema() = pg_my_temp_schema()::regnamespace::name",
                    &[],
                )
                .map_err(ctx("reading the scratch schema"))?
                .get::<_, Option<bool>>(0)
                .unwrap_or(false);
            if !temporary {
                return Err(Error::NoTemporaryTables { source: None });
            }
            let mut schema = introspect(self).map_err(ctx("reading the scratch schema"))?;
            schema.tables.retain(|name, _| !had.contains(name));
            schema.views.retain(|name, _| !had.contains(name));
            Ok(schema)
        })();
        let _ = self.batch_execute("ROLLBACK");
        result
    }
}
