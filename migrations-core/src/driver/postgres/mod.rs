//! The PostgreSQL driver, on `postgres::Client`.
//!
//! Revisions run in transactions (PostgreSQL has transactional DDL), each with its history
//! row. A whole run holds a session advisory lock, so concurrent boots of one app against one
//! database serialise; the lock is released on every path, and by the server if the process
//! dies. Introspection is a fixed handful of catalog queries, whatever the number of tables.

mod connect;
mod introspect;
#[cfg(test)]
mod tests;

pub use crate::dialect::postgres::as_built;
pub use connect::{connect, describe, with_database, ScratchDatabase, DEFAULT_ADMIN_URL};
pub use introspect::{introspect, introspect_counted};

use super::{
    drift_check_ddl, history_ddl, is_expected, AppliedRow, Driver, Options, DRIFT_CHECK_TABLE,
    HISTORY_TABLE,
};
use crate::error::{Error, Result};
use crate::revision::Dialect;
use crate::schema::Schema;
use crate::sql::quote_ident;
use postgres::Client;
use std::time::{Duration, Instant};

/// The advisory lock key migrations take: the bytes of `"migratio"`.
pub const LOCK_KEY: i64 = 0x6d69_6772_6174_696f;

fn ctx(context: &str) -> impl FnOnce(postgres::Error) -> Error + '_ {
    move |source| Error::Postgres {
        context: context.to_string(),
        source,
    }
}

/// One value that changes whenever anything the introspection reads in the current schema
/// changes. Every DDL statement writes catalog rows stamped with its own, new transaction id
/// (`xmin`), so per catalog that describes the schema's tables, columns, defaults,
/// constraints, indexes, views, triggers, types and functions (a default or a check names
/// them), the number of rows and the sum of their `xmin`s change with it: an insert adds a new
/// id, a delete lowers the count, an update swaps an old id for a newer one. The search path
/// (which decides how names are printed) and the server version are part of it. Freezing or
/// rewriting a catalog may change the value too: that only costs one whole drift check. Not
/// covered: types and functions of *other* schemas (an extension's) renamed or moved while
/// the app's schema stays as it is. Measured: about 5 ms at 500 tables.
const SCHEMA_VERSION_SQL: &str = "SELECT current_setting('server_version_num') || ' ' || current_schemas(false)::text || ' ' || concat_ws(' ',
  (SELECT count(*) || ':' || coalesce(sum(c.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     WHERE c.relnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(a.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
     WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')),
  (SELECT count(*) || ':' || coalesce(sum(d.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid WHERE c.relnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(k.xmin::text::int8), 0) FROM pg_catalog.pg_constraint k
     WHERE k.connamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(i.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid WHERE c.relnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(w.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_rewrite w ON w.ev_class = c.oid WHERE c.relnamespace = n.oid AND c.relkind IN ('v', 'm')),
  (SELECT count(*) || ':' || coalesce(sum(t.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal WHERE c.relnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(y.xmin::text::int8), 0) FROM pg_catalog.pg_type y
     WHERE y.typnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(e.xmin::text::int8), 0) FROM pg_catalog.pg_type y
     JOIN pg_catalog.pg_enum e ON e.enumtypid = y.oid WHERE y.typnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(r.xmin::text::int8), 0) FROM pg_catalog.pg_range r
     JOIN pg_catalog.pg_type y ON y.oid = r.rngtypid WHERE y.typnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(f.xmin::text::int8), 0) FROM pg_catalog.pg_proc f
     WHERE f.pronamespace = n.oid))
FROM pg_catalog.pg_namespace n WHERE n.nspname = current_schema()";

/// Whether one of our tables exists in the current schema (where the protocol keeps them).
fn table_exists(client: &mut Client, table: &str) -> Result<bool> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1)",
            &[&table],
        )
        .map(|row| row.get(0))
        .map_err(ctx(&format!("looking for the {table} table")))
}

/// Creates one of our tables with `ddl` unless it exists (checked first, so an existing table
/// costs no `CREATE … IF NOT EXISTS` notice).
fn ensure_table(client: &mut Client, table: &str, ddl: &str) -> Result<()> {
    if table_exists(client, table)? {
        return Ok(());
    }
    client
        .batch_execute(ddl)
        .map_err(ctx(&format!("creating the {table} table")))
}

/// A `WHERE` clause that keeps the rows of `table` (named bare in the query) only when the
/// search path finds it in the current schema: the full path of a boot creates and reads its
/// tables there, so a table of the same name further down the path (another tenant's schema,
/// `public`) must not answer for it. (A subquery, so it is evaluated once, not per row.)
fn in_current_schema(table: &str) -> String {
    let name = crate::sql::quote_literal(&quote_ident(table));
    format!(
        " WHERE (SELECT {name}::regclass = to_regclass(quote_ident(current_schema()) || '.' || {name}))"
    )
}

/// The rows of `sql` (one round trip, simple-query protocol), or `None` when a table it reads
/// does not exist.
fn rows_if_table_exists(
    client: &mut Client,
    sql: &str,
    context: &str,
) -> Result<Option<Vec<postgres::SimpleQueryRow>>> {
    match client.simple_query(sql) {
        Ok(messages) => Ok(Some(
            messages
                .into_iter()
                .filter_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(row) => Some(row),
                    _ => None,
                })
                .collect(),
        )),
        Err(e) if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => Ok(None),
        Err(e) => Err(ctx(context)(e)),
    }
}

impl Driver for Client {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
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
                return Err(Error::LockTimeout(format!(
                    "another process held the migration lock (advisory lock {LOCK_KEY}) for more \
                     than {:?}; if no migration is running, find the holder in pg_locks and end \
                     its session, or raise `Options::lock_timeout`",
                    options.lock_timeout
                )));
            }
            if !told {
                log::info!(
                    "waiting for the migration lock: another process is migrating this database"
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

    fn ensure_history(&mut self) -> Result<()> {
        ensure_table(self, HISTORY_TABLE, &history_ddl(Dialect::Postgres))
    }

    fn has_history(&mut self) -> Result<bool> {
        table_exists(self, HISTORY_TABLE)
    }

    fn applied_rows(&mut self) -> Result<Vec<AppliedRow>> {
        let rows = self
            .query(
                &format!(
                    "SELECT revision, checksum, applied_at::text, execution_ms FROM {} ORDER BY applied_at, revision",
                    quote_ident(HISTORY_TABLE)
                ),
                &[],
            )
            .map_err(ctx("reading the history table"))?;
        Ok(rows
            .iter()
            .map(|r| AppliedRow {
                revision: r.get(0),
                checksum: r.get(1),
                applied_at: r.get(2),
                execution_ms: r.get(3),
            })
            .collect())
    }

    fn history_matches(&mut self, expected: &[(&str, &str)]) -> Result<bool> {
        // One round trip (simple-query protocol; a prepared query takes two), no existence
        // probe: on a database never migrated, the server answers "undefined table", which
        // only sends the boot the full way.
        let sql = format!(
            "SELECT revision, checksum FROM {}{}",
            quote_ident(HISTORY_TABLE),
            in_current_schema(HISTORY_TABLE)
        );
        let Some(rows) = rows_if_table_exists(self, &sql, "reading the history table")? else {
            return Ok(false);
        };
        let all_expected = rows.iter().all(|row| match (row.get(0), row.get(1)) {
            (Some(id), Some(sum)) => is_expected(expected, id, sum),
            _ => false,
        });
        Ok(all_expected && rows.len() == expected.len())
    }

    fn is_applied(&mut self, revision: &str) -> Result<bool> {
        self.query_opt(
            &format!(
                "SELECT 1 FROM {} WHERE revision = $1",
                quote_ident(HISTORY_TABLE)
            ),
            &[&revision],
        )
        .map(|row| row.is_some())
        .map_err(ctx("reading the history table"))
    }

    fn begin_step(&mut self, revision: &str) -> Result<bool> {
        // One round trip (simple-query protocol, literal values) instead of three.
        let messages = self
            .simple_query(&format!(
                "BEGIN; SELECT 1 FROM {} WHERE revision = {}",
                quote_ident(HISTORY_TABLE),
                crate::sql::quote_literal(revision)
            ))
            .map_err(ctx("starting a transaction and reading the history table"))?;
        Ok(messages
            .iter()
            .any(|m| matches!(m, postgres::SimpleQueryMessage::Row(_))))
    }

    fn finish_step(&mut self, revision: &str, row: Option<(&str, i64)>) -> Result<()> {
        // The history row and the COMMIT in one round trip: if the row fails, the COMMIT is
        // not run and the caller rolls back.
        let bookkeeping = match row {
            Some((checksum, millis)) => format!(
                "INSERT INTO {} (revision, checksum, execution_ms) VALUES ({}, {}, {millis})",
                quote_ident(HISTORY_TABLE),
                crate::sql::quote_literal(revision),
                crate::sql::quote_literal(checksum)
            ),
            None => format!(
                "DELETE FROM {} WHERE revision = {}",
                quote_ident(HISTORY_TABLE),
                crate::sql::quote_literal(revision)
            ),
        };
        self.batch_execute(&format!("{bookkeeping}; COMMIT"))
            .map_err(ctx(
                "recording the revision in the history table and committing",
            ))
    }

    fn begin(&mut self) -> Result<()> {
        self.batch_execute("BEGIN")
            .map_err(ctx("starting a transaction"))
    }

    fn commit(&mut self) -> Result<()> {
        self.batch_execute("COMMIT")
            .map_err(ctx("committing the transaction"))
    }

    fn rollback(&mut self) {
        let _ = self.batch_execute("ROLLBACK");
    }

    fn execute(&mut self, sql: &str) -> std::result::Result<(), String> {
        self.batch_execute(sql).map_err(|e| describe(&e))
    }

    fn record(&mut self, revision: &str, checksum: &str, execution_ms: i64) -> Result<()> {
        Client::execute(
            self,
            &format!(
                "INSERT INTO {} (revision, checksum, execution_ms) VALUES ($1, $2, $3)",
                quote_ident(HISTORY_TABLE)
            ),
            &[&revision, &checksum, &execution_ms],
        )
        .map(drop)
        .map_err(ctx("recording the revision in the history table"))
    }

    fn unrecord(&mut self, revision: &str) -> Result<()> {
        Client::execute(
            self,
            &format!(
                "DELETE FROM {} WHERE revision = $1",
                quote_ident(HISTORY_TABLE)
            ),
            &[&revision],
        )
        .map(drop)
        .map_err(ctx("removing the revision from the history table"))
    }

    fn introspect(&mut self) -> Result<Schema> {
        introspect(self).map_err(ctx("reading the PostgreSQL schema"))
    }

    fn schema_version(&mut self) -> Result<Option<String>> {
        let rows = self
            .simple_query(SCHEMA_VERSION_SQL)
            .map_err(ctx("reading the catalog's row versions"))?;
        Ok(rows.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_string),
            _ => None,
        }))
    }

    fn clean_check(&mut self) -> Result<Option<(String, String)>> {
        let sql = format!(
            "SELECT models, schema_version FROM {}{}",
            quote_ident(DRIFT_CHECK_TABLE),
            in_current_schema(DRIFT_CHECK_TABLE)
        );
        let rows = rows_if_table_exists(self, &sql, "reading the drift check table")?;
        Ok(rows
            .unwrap_or_default()
            .first()
            .and_then(|row| Some((row.get(0)?.to_string(), row.get(1)?.to_string()))))
    }

    fn set_clean_check(&mut self, check: Option<(&str, &str)>) -> Result<()> {
        ensure_table(self, DRIFT_CHECK_TABLE, &drift_check_ddl())?;
        self.batch_execute(&format!("DELETE FROM {}", quote_ident(DRIFT_CHECK_TABLE)))
            .map_err(ctx("writing the drift check table"))?;
        if let Some((models, version)) = check {
            // Parameters: the version holds a schema name, which is not ours to quote.
            Client::execute(
                self,
                &format!(
                    "INSERT INTO {} (models, schema_version) VALUES ($1, $2)",
                    quote_ident(DRIFT_CHECK_TABLE)
                ),
                &[&models, &version],
            )
            .map_err(ctx("writing the drift check table"))?;
        }
        Ok(())
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
            return Err(Error::Other(format!(
                "the drift check builds the models in temporary tables, inside a transaction that is rolled back, and could not start: {}",
                describe(&source)
            )));
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
            let no_temporary = |e: &postgres::Error| {
                (e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)).then(|| {
                    Error::Other(format!(
                        "the drift check builds the models in temporary tables and may not: {}; grant the role TEMPORARY on the database, or boot with `upgrade_to_head` (no drift check)",
                        describe(e)
                    ))
                })
            };
            // One round trip for the whole DDL; on failure, again statement by statement
            // (inside a savepoint) to name the one that fails.
            let all = ddl.join(";\n");
            if let Err(e) = self.batch_execute(&format!("SAVEPOINT ddl; {all}")) {
                if let Some(denied) = no_temporary(&e) {
                    return Err(denied);
                }
                let _ = self.batch_execute("ROLLBACK TO SAVEPOINT ddl");
                for stmt in ddl {
                    self.batch_execute(stmt).map_err(|e| {
                        Error::Other(format!(
                            "the models do not build on postgres: {} (statement: {})",
                            describe(&e),
                            crate::error::one_line(stmt)
                        ))
                    })?;
                }
                return Err(Error::Other(format!(
                    "the models do not build on postgres: {}",
                    describe(&e)
                )));
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
                return Err(Error::Other(
                    "the drift check could not create temporary tables for the models; grant the role TEMPORARY on the database, or boot with `upgrade_to_head` (no drift check)".into(),
                ));
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
