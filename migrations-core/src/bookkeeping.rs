//! The SQL of this crate's own tables, written once for every dialect: the history of applied
//! revisions and the drift check's memory, and the few catalog reads the protocol needs. The
//! runner sends exactly these statements through [`Driver::run_sql`](crate::Driver::run_sql)
//! and [`Driver::query_sql`](crate::Driver::query_sql), and `--sql` prints them, so what is printed
//! is what runs. Values are literals (revision ids and checksums are hex): no statement needs
//! a prepared statement or a placeholder style.
//!
//! ```
//! use migrations_core::bookkeeping::{record_sql, HISTORY_TABLE};
//! use migrations_core::Dialect;
//!
//! assert_eq!(HISTORY_TABLE, "migrations_history");
//! assert_eq!(
//!     record_sql("3f9a1c2e7b10", "ab12", 7),
//!     "INSERT INTO \"migrations_history\" (revision, checksum, execution_ms) VALUES ('3f9a1c2e7b10', 'ab12', 7)"
//! );
//! # let _ = Dialect::Sqlite;
//! ```

use crate::dialect::Dialect;
use crate::sql::{quote_ident, quote_literal, quote_literal_for};

/// The table that records applied revisions. It is never part of an introspected
/// [`Schema`](crate::Schema).
pub const HISTORY_TABLE: &str = "migrations_history";

/// The one-row table where [`crate::Migrations::boot`] remembers its last clean drift check:
/// which models (a hash of their DDL) matched which schema version (see
/// [`schema_version_sql`]). Like the history table, never part of an introspected
/// [`Schema`](crate::Schema).
pub const DRIFT_CHECK_TABLE: &str = "migrations_drift_check";

/// Where a revision that runs outside a transaction (`Transaction: none`) is marked as
/// started, in its own committed transaction, before its first statement; the mark goes in the
/// transaction that writes its history row. A mark that outlives its run says that run died
/// midway, and the next run says so instead of failing on "already exists". Created the first
/// time such a revision runs.
pub const IN_PROGRESS_TABLE: &str = "migrations_in_progress";

/// Each applied revision's file, stored in the transaction that writes its history row (and
/// removed with it): a build that does not know the revision — the previous binary,
/// redeployed after a failed deploy — can still run its downgrade, after checking that the
/// stored text has the checksum the history recorded.
pub const STORED_TABLE: &str = "migrations_stored";

/// The tables the migrations keep for themselves.
pub const OWN_TABLES: [&str; 4] = [
    HISTORY_TABLE,
    DRIFT_CHECK_TABLE,
    IN_PROGRESS_TABLE,
    STORED_TABLE,
];

/// The history tables of the tools an app comes from — Alembic, refinery, sqlx, diesel,
/// sea-orm. Introspection leaves them out, as it does this crate's own tables: they are no
/// part of the app's models, so a database adopted from one of those tools (`db inspect`,
/// then a baseline) shows no drift for them. Drop them once the old tool is retired.
pub const OTHER_TOOLS_TABLES: [&str; 5] = [
    "alembic_version",
    "refinery_schema_history",
    "_sqlx_migrations",
    "__diesel_schema_migrations",
    "seaql_migrations",
];

/// The tables introspection leaves out: [`OWN_TABLES`] and [`OTHER_TOOLS_TABLES`].
pub fn ignored_tables() -> impl Iterator<Item = &'static str> {
    OWN_TABLES.into_iter().chain(OTHER_TOOLS_TABLES)
}

/// The key of PostgreSQL's migration lock (`pg_advisory_xact_lock`): the bytes of `"migratio"`.
pub const LOCK_KEY: i64 = 0x6d69_6772_6174_696f;

/// One row when this transaction now holds the migration lock, none when another one holds it
/// (asked without waiting). PostgreSQL: a transaction-level advisory lock, released by the
/// transaction's end, so a pooler (PgBouncer in transaction mode) never keeps it on a server
/// connection, and a killed client's lock goes with its transaction. SQLite has none: its
/// `BEGIN IMMEDIATE` ([`begin_sql`]) is the lock.
pub fn try_lock_sql(dialect: Dialect) -> Option<String> {
    match dialect {
        Dialect::Postgres => Some(format!(
            "SELECT 'locked' WHERE pg_catalog.pg_try_advisory_xact_lock({LOCK_KEY})"
        )),
        Dialect::Sqlite => None,
    }
}

/// PostgreSQL: takes the migration lock, waiting for it (bounded by the transaction's
/// `lock_timeout`, [`wait_at_most_sql`]): what a `--sql` script runs where the runner asks
/// with [`try_lock_sql`] and retries. SQLite: none, its `BEGIN IMMEDIATE` is the lock.
pub fn lock_sql(dialect: Dialect) -> Option<String> {
    match dialect {
        Dialect::Postgres => Some(format!(
            "SELECT pg_catalog.pg_advisory_xact_lock({LOCK_KEY})"
        )),
        Dialect::Sqlite => None,
    }
}

/// The columns of [`lock_holder_sql`] and [`table_lock_holders_sql`]: `pid, application,
/// client address, in its transaction since, state, what it holds, last statement`.
const SESSION_COLUMNS: &str = "a.pid::text, coalesce(nullif(a.application_name, ''), '?'), coalesce(host(a.client_addr), 'local'),
        coalesce(to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), '?'),
        coalesce(a.state, '?')";
/// Locks of this database only: every app's migration lock has the same key, and a database
/// copied from a template has the same table oids.
const THIS_DATABASE: &str = "l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())";
const SESSION_QUERY: &str = "coalesce(left(regexp_replace(a.query, E'\\\\s+', ' ', 'g'), 200), '')";

/// PostgreSQL: who holds the migration lock (at most one row, in the columns described at
/// [`table_lock_holders_sql`]; none when nobody holds it, or the role may not see the holder).
pub fn lock_holder_sql(dialect: Dialect) -> Option<String> {
    match dialect {
        // A bigint advisory key is stored as two oids: the high and the low 32 bits.
        Dialect::Postgres => Some(format!(
            "SELECT {SESSION_COLUMNS}, 'the migration lock', {SESSION_QUERY}
             FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND {THIS_DATABASE}
               AND l.classid = {} AND l.objid = {} AND l.pid <> pg_catalog.pg_backend_pid() LIMIT 1",
            (LOCK_KEY >> 32) as u32,
            (LOCK_KEY & 0xffff_ffff) as u32
        )),
        Dialect::Sqlite => None,
    }
}

/// `CREATE TABLE IF NOT EXISTS` for [`IN_PROGRESS_TABLE`]. `backend` names the server session
/// that started the revision (PostgreSQL: `pid backend_start`), to tell a run still going from
/// a dead one.
pub fn in_progress_ddl(dialect: Dialect) -> String {
    let ts = now_column(dialect);
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    revision VARCHAR(32) NOT NULL PRIMARY KEY,\n    direction VARCHAR(9) NOT NULL,\n    started_at {ts},\n    started_by TEXT NOT NULL,\n    backend TEXT\n)",
        quote_ident(IN_PROGRESS_TABLE)
    )
}

/// Marks `revision` as started in `direction` by `by` (the client process, in words).
pub fn mark_started_sql(dialect: Dialect, revision: &str, direction: &str, by: &str) -> String {
    let backend = match dialect {
        Dialect::Postgres => "pg_catalog.pg_backend_pid()::text || ' ' || (SELECT backend_start::text FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid())",
        Dialect::Sqlite => "NULL",
    };
    format!(
        "INSERT INTO {} (revision, direction, started_by, backend) VALUES ({}, {}, {}, {backend})",
        quote_ident(IN_PROGRESS_TABLE),
        quote_literal(revision),
        quote_literal(direction),
        quote_literal_for(dialect, by)
    )
}

/// The mark of `revision`, as `direction, started_at, started_by, alive`: `alive` is `t` while
/// the server session that started it is still connected (PostgreSQL), and always `f` on
/// SQLite, where it is read holding the lock that the starting process held until it cleared
/// the mark (so a mark seen there belongs to a process that died).
pub fn started_sql(dialect: Dialect, revision: &str) -> String {
    let alive = match dialect {
        Dialect::Postgres => "CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid::text || ' ' || a.backend_start::text = backend) THEN 't' ELSE 'f' END",
        Dialect::Sqlite => "'f'",
    };
    format!(
        "SELECT direction, CAST(started_at AS TEXT), started_by, {alive} FROM {} WHERE revision = {}",
        quote_ident(IN_PROGRESS_TABLE),
        quote_literal(revision)
    )
}

/// Clears the mark of `revision`.
pub fn unmark_sql(revision: &str) -> String {
    format!(
        "DELETE FROM {} WHERE revision = {}",
        quote_ident(IN_PROGRESS_TABLE),
        quote_literal(revision)
    )
}

/// Clears every mark (`db stamp`: the operator has said what is applied).
pub fn unmark_all_sql() -> String {
    format!("DELETE FROM {}", quote_ident(IN_PROGRESS_TABLE))
}

/// The type of a column that records when its row was written.
fn now_column(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP",
        Dialect::Postgres => "TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()",
    }
}

/// `CREATE TABLE IF NOT EXISTS` for the history table.
pub fn history_ddl(dialect: Dialect) -> String {
    let ts = now_column(dialect);
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    revision VARCHAR(32) NOT NULL PRIMARY KEY,\n    checksum VARCHAR(64) NOT NULL,\n    applied_at {ts},\n    execution_ms BIGINT NOT NULL\n)",
        quote_ident(HISTORY_TABLE)
    )
}

/// What a step writes to this crate's tables in the revision's own transaction: on upgrade its
/// history row and its stored file, on downgrade their removal.
pub fn step_rows_sql(
    dialect: Dialect,
    rev: &crate::revision::Revision,
    direction: crate::revision::Direction,
    execution_ms: i64,
) -> String {
    match direction {
        crate::revision::Direction::Upgrade => format!(
            "{}; {}",
            record_sql(&rev.id, &rev.checksum, execution_ms),
            store_sql(dialect, &rev.id, rev.file_name(), &rev.source)
        ),
        crate::revision::Direction::Downgrade => forget_sql(&rev.id),
    }
}

/// The `DELETE`s of a revision's history row and stored file.
pub fn forget_sql(revision: &str) -> String {
    format!("{}; {}", unrecord_sql(revision), unstore_sql(revision))
}

/// `CREATE TABLE IF NOT EXISTS` for [`STORED_TABLE`].
pub fn stored_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    revision VARCHAR(32) NOT NULL PRIMARY KEY,\n    file TEXT NOT NULL,\n    source TEXT NOT NULL\n)",
        quote_ident(STORED_TABLE)
    )
}

/// The `INSERT` of an applied revision's file (`file`: its name; `source`: its text). A row
/// left behind (a history table dropped by hand, not this one) is replaced.
pub fn store_sql(dialect: Dialect, revision: &str, file: &str, source: &str) -> String {
    format!(
        "INSERT INTO {} (revision, file, source) VALUES ({}, {}, {}) \
         ON CONFLICT (revision) DO UPDATE SET file = excluded.file, source = excluded.source",
        quote_ident(STORED_TABLE),
        quote_literal(revision),
        quote_literal_for(dialect, file),
        quote_literal_for(dialect, source)
    )
}

/// The `DELETE` of a revision's stored file.
pub fn unstore_sql(revision: &str) -> String {
    format!(
        "DELETE FROM {} WHERE revision = {}",
        quote_ident(STORED_TABLE),
        quote_literal(revision)
    )
}

/// `revision, file, source` of the stored files of `revisions`.
pub fn stored_sql(revisions: &[String]) -> String {
    format!(
        "SELECT revision, file, source FROM {} WHERE revision IN ({})",
        quote_ident(STORED_TABLE),
        revisions
            .iter()
            .map(|r| quote_literal(r))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `CREATE TABLE IF NOT EXISTS` for [`DRIFT_CHECK_TABLE`].
pub fn drift_check_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (models VARCHAR(64) NOT NULL, schema_version TEXT NOT NULL)",
        quote_ident(DRIFT_CHECK_TABLE)
    )
}

/// One row (any value) when `table`, one of [`OWN_TABLES`], exists where the protocol keeps it
/// (SQLite: `main`; PostgreSQL: the current schema).
pub fn table_exists_sql(dialect: Dialect, table: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = {}",
            quote_literal(table)
        ),
        Dialect::Postgres => format!(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = {}",
            quote_literal(table)
        ),
    }
}

/// `table` (one of [`OWN_TABLES`]) as a `FROM` item that reads only the protocol's own copy:
/// SQLite's `main` database (a table of the same name in an attached database must not answer
/// for it); on PostgreSQL, the table the search path finds, and only when that is the one in
/// the current schema (another tenant's schema or `public` further down the path must not
/// answer for it; a subquery, evaluated once, not per row).
fn own(dialect: Dialect, table: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("main.{}", quote_ident(table)),
        Dialect::Postgres => {
            let name = quote_literal(&quote_ident(table));
            format!(
                "{} WHERE (SELECT {name}::regclass = to_regclass(quote_ident(current_schema()) || '.' || {name}))",
                quote_ident(table)
            )
        }
    }
}

/// The history's rows, `revision, checksum, applied_at, execution_ms`, oldest first.
pub fn history_rows_sql() -> String {
    format!(
        "SELECT revision, checksum, CAST(applied_at AS TEXT), execution_ms FROM {} ORDER BY applied_at, revision",
        quote_ident(HISTORY_TABLE)
    )
}

/// `revision, checksum` of every history row, in table order: the one read of a boot at head.
/// Fails when there is no history table (which only sends the boot the full way).
pub fn history_pairs_sql(dialect: Dialect) -> String {
    format!(
        "SELECT revision, checksum FROM {}",
        own(dialect, HISTORY_TABLE)
    )
}

/// One row, `applied`, when `revision` is in the history.
pub fn is_applied_sql(revision: &str) -> String {
    format!(
        "SELECT 'applied' FROM {} WHERE revision = {}",
        quote_ident(HISTORY_TABLE),
        quote_literal(revision)
    )
}

/// The `INSERT` of a history row.
pub fn record_sql(revision: &str, checksum: &str, execution_ms: i64) -> String {
    format!(
        "INSERT INTO {} (revision, checksum, execution_ms) VALUES ({}, {}, {execution_ms})",
        quote_ident(HISTORY_TABLE),
        quote_literal(revision),
        quote_literal(checksum)
    )
}

/// The `DELETE` of a history row.
pub fn unrecord_sql(revision: &str) -> String {
    format!(
        "DELETE FROM {} WHERE revision = {}",
        quote_ident(HISTORY_TABLE),
        quote_literal(revision)
    )
}

/// The `UPDATE` of a history row's checksum (`db repair`: an applied revision's file edited
/// in a way that changes nothing that ran).
pub fn rechecksum_sql(revision: &str, checksum: &str) -> String {
    format!(
        "UPDATE {} SET checksum = {} WHERE revision = {}",
        quote_ident(HISTORY_TABLE),
        quote_literal(checksum),
        quote_literal(revision)
    )
}

/// PostgreSQL: the session's search path, read when a run starts (one row).
pub fn search_path_sql(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::Postgres => Some("SELECT pg_catalog.current_setting('search_path')"),
        Dialect::Sqlite => None,
    }
}

/// PostgreSQL: sets the session's search path back to `path` (as [`search_path_sql`] read it),
/// before a revision's bookkeeping: a revision that changes it for the session (every
/// `pg_dump` output starts with `set_config('search_path', '', false)`) must change neither
/// where the history row goes nor what the drift check reads afterwards.
pub fn restore_search_path_sql(path: &str) -> String {
    format!(
        "SELECT pg_catalog.set_config('search_path', {}, false)",
        crate::sql::quote_literal_for(Dialect::Postgres, path)
    )
}

/// The statement that opens a revision's transaction: SQLite's `BEGIN IMMEDIATE` takes the
/// write lock at once, so two processes serialise on it. PostgreSQL's is read committed
/// whatever the session's default, so that the history read after the migration lock
/// ([`try_lock_sql`]) sees what the previous holder committed.
pub fn begin_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
    }
}

/// PostgreSQL: bounds how long the statements after it in the open transaction wait for a
/// table lock another session holds (`lock_timeout`, for this transaction only: nothing stays
/// on a pooled server connection). SQLite bounds its waits with its busy handler instead.
pub fn wait_at_most_sql(dialect: Dialect, wait: std::time::Duration) -> Option<String> {
    match dialect {
        Dialect::Postgres => Some(format!(
            "SET LOCAL lock_timeout = '{}ms'",
            wait.as_millis().clamp(1, i32::MAX as u128)
        )),
        Dialect::Sqlite => None,
    }
}

/// PostgreSQL: the bounds of a revision's own statements, set inside its transaction once the
/// migration lock is held: how long each may wait for a table lock (`lock_timeout`) and, when
/// given, how long each may run (`statement_timeout`; zero is no limit).
pub fn revision_bounds_sql(
    dialect: Dialect,
    lock_wait: std::time::Duration,
    statement: Option<std::time::Duration>,
) -> Option<String> {
    match dialect {
        Dialect::Postgres => {
            let ms = |d: std::time::Duration| d.as_millis().min(i32::MAX as u128);
            let mut sql = format!("SET LOCAL lock_timeout = '{}ms'", ms(lock_wait));
            if let Some(limit) = statement {
                sql.push_str(&format!(
                    "; SET LOCAL statement_timeout = '{}ms'",
                    ms(limit)
                ));
            }
            Some(sql)
        }
        Dialect::Sqlite => None,
    }
}

/// PostgreSQL: the sessions that hold locks on tables of the current schema, oldest
/// transaction first (at most five), as `pid, application, client address, in its transaction
/// since, state, tables and lock modes, last statement`: who a statement that timed out waiting
/// for a table lock was waiting for.
pub fn table_lock_holders_sql(dialect: Dialect) -> Option<String> {
    match dialect {
        Dialect::Postgres => Some(format!(
            "SELECT {SESSION_COLUMNS}, string_agg(DISTINCT c.relname || ' ' || l.mode, ', '), {SESSION_QUERY}
             FROM pg_catalog.pg_locks l
             JOIN pg_catalog.pg_class c ON c.oid = l.relation
             JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.granted AND l.pid <> pg_catalog.pg_backend_pid() AND {THIS_DATABASE}
               AND c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())
             GROUP BY a.pid, a.application_name, a.client_addr, a.xact_start, a.backend_start, a.state, a.query
             ORDER BY a.xact_start NULLS LAST LIMIT 5"
        )),
        Dialect::Sqlite => None,
    }
}

/// PostgreSQL 14 and later: makes the server check every second, while a statement runs,
/// that the client is still there (`client_connection_check_interval`), so that a client
/// killed during a long statement does not keep the migration lock and the table locks until
/// the statement ends: the server cancels it and ends the transaction within a second (older
/// servers skip it). A client whose host vanished without closing the connection is found by
/// TCP keepalives: probes after 10 s idle, every 5 s, 3 of them (ignored on a Unix socket;
/// for a transaction only). For the transaction only (`local`), or for the session (around a
/// revision that runs outside a transaction: the check interval only); each statement returns
/// a row. SQLite has no server.
pub fn notice_vanished_client_sql(dialect: Dialect, local: bool) -> Option<String> {
    match dialect {
        Dialect::Postgres => {
            let mut sql = format!(
                "SELECT pg_catalog.set_config('client_connection_check_interval', '1000', {local}) \
                 WHERE pg_catalog.current_setting('client_connection_check_interval', true) IS NOT NULL"
            );
            if local {
                sql.push_str(
                    "; SELECT pg_catalog.set_config('tcp_keepalives_idle', '10', true), \
                     pg_catalog.set_config('tcp_keepalives_interval', '5', true), \
                     pg_catalog.set_config('tcp_keepalives_count', '3', true)",
                );
            }
            Some(sql)
        }
        Dialect::Sqlite => None,
    }
}

/// PostgreSQL: [`notice_vanished_client_sql`] for the session (around a revision that runs
/// outside a transaction), after reading the setting as it was: the first row is the old value
/// (none when the server does not have the setting), for [`restore_connection_check_sql`].
pub fn session_connection_check_sql(dialect: Dialect) -> Option<String> {
    Some(format!(
        "SELECT pg_catalog.current_setting('client_connection_check_interval', true); {}",
        notice_vanished_client_sql(dialect, false)?
    ))
}

/// PostgreSQL: puts `client_connection_check_interval` back to `old` for the session.
pub fn restore_connection_check_sql(old: &str) -> String {
    format!(
        "SELECT pg_catalog.set_config('client_connection_check_interval', {}, false)",
        quote_literal(old)
    )
}

/// `read` (one query), sent when no transaction is open, waiting at most `wait` for a lock:
/// PostgreSQL runs it in a read-only transaction of its own with [`wait_at_most_sql`]; SQLite
/// as it is (see [`wait_at_most_sql`]).
pub fn bounded_read_sql(dialect: Dialect, read: &str, wait: std::time::Duration) -> String {
    match wait_at_most_sql(dialect, wait) {
        Some(set) => format!("BEGIN READ ONLY; {set}; {read}; COMMIT"),
        None => read.to_string(),
    }
}

/// `models, schema_version` of the remembered clean drift check (no row, or an error when
/// there is no table, means none).
pub fn drift_memory_sql(dialect: Dialect) -> String {
    format!(
        "SELECT models, schema_version FROM {}",
        own(dialect, DRIFT_CHECK_TABLE)
    )
}

/// Replaces the remembered drift check with `(models, schema version)`, or forgets it. The
/// version holds schema names, quoted for `dialect` ([`crate::sql::quote_literal_for`]).
pub fn set_drift_memory_sql(dialect: Dialect, check: Option<(&str, &str)>) -> String {
    let mut sql = format!("DELETE FROM {}", quote_ident(DRIFT_CHECK_TABLE));
    if let Some((models, version)) = check {
        sql.push_str(&format!(
            "; INSERT INTO {} (models, schema_version) VALUES ({}, {})",
            quote_ident(DRIFT_CHECK_TABLE),
            quote_literal_for(dialect, models),
            quote_literal_for(dialect, version)
        ));
    }
    sql
}

/// One value that changes whenever the schema changes, in one cheap query.
///
/// SQLite: the schema cookie (`PRAGMA schema_version`, which SQLite adds one to on every
/// change of the schema, by any connection) and SQLite's version.
///
/// PostgreSQL: every DDL statement writes catalog rows stamped with its own, new transaction
/// id (`xmin`), so per catalog read, the number of rows and the sum of their `xmin`s change
/// with it: an insert adds a new id, a delete lowers the count, an update swaps an old id for a
/// newer one. Read, for the current schema: `pg_class` (every relation, index and sequence, and
/// what most `ALTER`s of them rewrite), `pg_attribute` (columns: names, types, nullability, and
/// whether they have a default, which every change of a default rewrites), `pg_constraint`,
/// `pg_type` and `pg_proc`; and, whole (they are small, and no join is needed): `pg_rewrite`
/// (views), the triggers of `pg_trigger` that are not a foreign key's own, and `pg_enum`. Left
/// out because every DDL that writes them also writes one of those: `pg_attrdef` (a default
/// also rewrites its column's `pg_attribute` row), `pg_index` (an index is a `pg_class` row) and
/// `pg_range` (a range is a `pg_type` row). The search path (which decides how names are
/// printed) and the server version are part of it. Every catalog is read from OID 16384
/// (`FirstNormalObjectId`: what `initdb` made is below, everything made since above), along
/// its OID index, so the system's own rows are never read. Freezing or rewriting a catalog, or a view,
/// trigger or enum of another schema, may change the value too: that only costs one whole
/// drift check. Not covered: types and functions of *other* schemas (an extension's) renamed
/// or moved while the app's schema stays as it is. Measured at 500 tables: see
/// `benches/README.md` (about 60% of the query that read every catalog through the schema).
pub fn schema_version_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "SELECT 'sqlite ' || sqlite_version() || ' schema ' || schema_version FROM pragma_schema_version"
        }
        Dialect::Postgres => POSTGRES_SCHEMA_VERSION_SQL,
    }
}

const POSTGRES_SCHEMA_VERSION_SQL: &str = "SELECT current_setting('server_version_num') || ' ' || current_schemas(false)::text || ' ' || concat_ws(' ',
  (SELECT count(*) || ':' || coalesce(sum(c.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     WHERE c.oid >= 16384 AND c.relnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(a.xmin::text::int8), 0) FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
     WHERE c.oid >= 16384 AND c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')),
  (SELECT count(*) || ':' || coalesce(sum(k.xmin::text::int8), 0) FROM pg_catalog.pg_constraint k
     WHERE k.oid >= 16384 AND k.connamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(y.xmin::text::int8), 0) FROM pg_catalog.pg_type y
     WHERE y.oid >= 16384 AND y.typnamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(f.xmin::text::int8), 0) FROM pg_catalog.pg_proc f
     WHERE f.oid >= 16384 AND f.pronamespace = n.oid),
  (SELECT count(*) || ':' || coalesce(sum(w.xmin::text::int8), 0) FROM pg_catalog.pg_rewrite w
     WHERE w.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(t.xmin::text::int8), 0) FROM pg_catalog.pg_trigger t
     WHERE t.oid >= 16384 AND NOT t.tgisinternal),
  (SELECT count(*) || ':' || coalesce(sum(e.xmin::text::int8), 0) FROM pg_catalog.pg_enum e
     WHERE e.oid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(q.xmin::text::int8), 0) FROM pg_catalog.pg_sequence q
     WHERE q.seqrelid >= 16384),
  (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::int8), 0) FROM pg_catalog.pg_extension x))
FROM pg_catalog.pg_namespace n WHERE n.nspname = current_schema()";

/// SQLite: the schema as the statements that create it, in the database's own words (tables
/// first, then what depends on them, each in creation order). Equal statements mean an equal
/// schema. PostgreSQL keeps no such thing.
pub fn schema_statements_sql(dialect: Dialect) -> Option<String> {
    match dialect {
        Dialect::Sqlite => Some(format!(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ({}) \
             ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid",
            OWN_TABLES.map(quote_literal).join(", ")
        )),
        Dialect::Postgres => None,
    }
}

/// SQLite's foreign key switch around a `Foreign-Keys: off` revision (outside a transaction),
/// and the check before it commits; PostgreSQL has neither (it checks as it goes).
pub mod foreign_keys {
    /// One row: 1 when enforcement is on.
    pub const READ: &str = "PRAGMA foreign_keys";
    /// Turns enforcement off.
    pub const OFF: &str = "PRAGMA foreign_keys = OFF";
    /// Turns enforcement on.
    pub const ON: &str = "PRAGMA foreign_keys = ON";
    /// The rows that break a foreign key: `table, rowid, parent`.
    pub const VIOLATIONS: &str = "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_table_is_read_only_where_the_protocol_keeps_it() {
        assert_eq!(
            history_pairs_sql(Dialect::Sqlite),
            "SELECT revision, checksum FROM main.\"migrations_history\""
        );
        assert!(history_pairs_sql(Dialect::Postgres)
            .contains("to_regclass(quote_ident(current_schema())"));
    }

    #[test]
    fn forgetting_the_drift_check_only_deletes() {
        assert_eq!(
            set_drift_memory_sql(Dialect::Sqlite, None),
            "DELETE FROM \"migrations_drift_check\""
        );
        assert!(set_drift_memory_sql(Dialect::Sqlite, Some(("k", "it's")))
            .ends_with("VALUES ('k', 'it''s')"));
        assert!(set_drift_memory_sql(Dialect::Postgres, Some(("k", "a\\b")))
            .ends_with("VALUES ('k', E'a\\\\b')"));
    }
}
