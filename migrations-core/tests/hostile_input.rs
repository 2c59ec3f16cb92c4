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
