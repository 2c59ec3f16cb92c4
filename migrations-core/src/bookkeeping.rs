//! The SQL of this crate's own tables, written once for every dialect: the history of applied
//! revisions and the drift check's memory. The runner sends it and `--sql` prints it.

use crate::dialect::Dialect;
use crate::sql::{quote_ident, quote_literal};

/// The table that records applied revisions. It is never part of an introspected [`Schema`].
pub const HISTORY_TABLE: &str = "migrations_history";

/// The one-row table where [`crate::Migrations::boot`] remembers its last clean drift check:
/// which models (a hash of their DDL) matched which schema version (see
/// [`Driver::schema_version`]). Like the history table, never part of an introspected
/// [`Schema`].
pub const DRIFT_CHECK_TABLE: &str = "migrations_drift_check";

/// The tables the migrations keep for themselves.
pub const OWN_TABLES: [&str; 2] = [HISTORY_TABLE, DRIFT_CHECK_TABLE];

/// `CREATE TABLE IF NOT EXISTS` for [`DRIFT_CHECK_TABLE`].
pub fn drift_check_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (models VARCHAR(64) NOT NULL, schema_version TEXT NOT NULL)",
        quote_ident(DRIFT_CHECK_TABLE)
    )
}

/// `CREATE TABLE IF NOT EXISTS` for the history table.
pub fn history_ddl(dialect: Dialect) -> String {
    let ts = match dialect {
        Dialect::Sqlite => "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP",
        Dialect::Postgres => "TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()",
    };
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    revision VARCHAR(32) NOT NULL PRIMARY KEY,\n    checksum VARCHAR(64) NOT NULL,\n    applied_at {ts},\n    execution_ms BIGINT NOT NULL\n)",
        quote_ident(HISTORY_TABLE)
    )
}

/// The `INSERT` of a history row with literal values, for `--sql` output.
pub fn record_sql(revision: &str, checksum: &str) -> String {
    format!(
        "INSERT INTO {} (revision, checksum, execution_ms) VALUES ({}, {}, 0)",
        quote_ident(HISTORY_TABLE),
        quote_literal(revision),
        quote_literal(checksum)
    )
}

/// The `DELETE` of a history row with a literal value, for `--sql` output.
pub fn unrecord_sql(revision: &str) -> String {
    format!(
        "DELETE FROM {} WHERE revision = {}",
        quote_ident(HISTORY_TABLE),
        quote_literal(revision)
    )
}

/// The statement that opens a revision's transaction, for `--sql` output.
pub fn begin_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    }
}
