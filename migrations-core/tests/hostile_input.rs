//! Hostile input from outside, against a real PostgreSQL server (issue 12): what a model, a
//! URL or a server setting can do to the SQL this crate renders and runs.
//!
//! Skipped without a server unless `REQUIRE_POSTGRES=1`.

use migrations_core::render::schema_ddl;
use migrations_core::schema::{Column, ColumnType, Schema, Table};
use migrations_core::testing::TestDatabase;
use migrations_core::{migrate, Dialect, Driver};

/// A text default that closes its string early where a backslash escapes a quote.
const PAYLOAD: &str = "\\'::text), PRIMARY KEY (\"id\")); DROP TABLE canary; --";

#[test]
fn a_default_with_a_backslash_means_the_same_with_standard_conforming_strings_off() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    db.connect()
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET standard_conforming_strings = off",
            db.name
        ))
        .unwrap();
    let mut conn = db.connect(); // a new session: the setting applies
    let setting: String = conn
        .query_one("SHOW standard_conforming_strings", &[])
        .unwrap()
        .get(0);
    assert_eq!(setting, "off");
    conn.batch_execute("CREATE TABLE canary (x int)").unwrap();

    let models = Schema::new().table(
        Table::new("t")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(
                Column::new("a", ColumnType::Text)
                    .not_null()
                    .default_text(PAYLOAD),
            )
            .primary_key(["id"]),
    );
    for stmt in schema_ddl(Dialect::Postgres, &models) {
        conn.run_sql(&stmt)
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let canary: bool = conn
        .query_one("SELECT to_regclass('canary') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(canary, "the default's text ran as SQL");
    conn.batch_execute("INSERT INTO t DEFAULT VALUES").unwrap();
    let stored: String = conn.query_one("SELECT a FROM t", &[]).unwrap().get(0);
    assert_eq!(stored, PAYLOAD);
    // And the drift check, on this session, finds the models it built.
    conn.batch_execute("DROP TABLE canary").unwrap();
    let drift = migrate::drift(&mut conn, &models).unwrap();
    assert!(drift.is_empty(), "{drift:?}");
}

/// Every `pg_dump` output starts with `SELECT pg_catalog.set_config('search_path', '', false)`:
/// a revision made of one must not move the history table, nor blind the drift check.
#[test]
fn a_revision_that_empties_the_search_path_is_recorded_and_checked() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let first = "-- Revision: aaaaaaaaaaaa\n-- +upgrade\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- +downgrade\nDROP TABLE a;\n";
    let dumped = "-- Revision: bbbbbbbbbbbb\n-- Revises: aaaaaaaaaaaa\n-- +upgrade\n\
                  SELECT pg_catalog.set_config('search_path', '', false);\n\
                  CREATE TABLE public.b (id integer NOT NULL PRIMARY KEY);\n\
                  -- +downgrade\nDROP TABLE public.b;\n";
    let chain = migrations_core::Chain::new(vec![
        migrations_core::revision::parse("v/aaaaaaaaaaaa_a.sql", first).unwrap(),
        migrations_core::revision::parse("v/bbbbbbbbbbbb_b.sql", dumped).unwrap(),
    ])
    .unwrap();
    let models = Schema::new()
        .table(
            Table::new("a")
                .column(Column::new("id", ColumnType::Integer).not_null())
                .primary_key(["id"]),
        )
        .table(
            Table::new("b")
                .column(Column::new("id", ColumnType::Integer).not_null())
                .primary_key(["id"]),
        );
    let mut conn = db.connect();
    let options = migrations_core::Options::default();
    let steps = migrate::upgrade(&chain, &mut conn, &migrations_core::Target::Head, &options)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(steps.len(), 2);
    let path: String = conn.query_one("SHOW search_path", &[]).unwrap().get(0);
    assert_eq!(
        path, "\"$user\", public",
        "the session's search path is restored"
    );
    let applied: Vec<String> = migrate::history(&mut conn)
        .unwrap()
        .into_iter()
        .map(|r| r.revision)
        .collect();
    assert_eq!(applied, ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]);
    migrate::check_drift(&mut conn, &models, &options).unwrap_or_else(|e| panic!("{e}"));
    // And down again, through the same revision.
    migrate::downgrade(&chain, &mut conn, &migrations_core::Target::Base, &options)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(migrate::history(&mut conn).unwrap().is_empty());
}
