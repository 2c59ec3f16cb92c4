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

/// Names in any script, as tables, columns and indexes, through a revision's round trip,
/// introspection, the prediction and the drift check (a byte-offset slice inside a multi-byte
/// character panicked the build script and boot).
#[test]
fn non_ascii_names_build_introspect_and_check_on_both_backends() {
    let up = "CREATE TABLE \"tâche\" (\"çol\" INTEGER, \"名前\" TEXT, \"🎉\" TEXT);\n\
              CREATE INDEX \"café\" ON \"tâche\" (\"çol\") WHERE \"çol\" > 0;\n\
              CREATE INDEX \"索引\" ON \"tâche\" (lower(\"名前\"));\n";
    let text = format!(
        "-- Revision: aaaaaaaaaaaa\n-- +upgrade\n{up}-- +downgrade\nDROP TABLE \"tâche\";\n"
    );
    let chain = migrations_core::Chain::new(vec![migrations_core::revision::parse(
        "v/aaaaaaaaaaaa_a.sql",
        &text,
    )
    .unwrap()])
    .unwrap();
    let mut lite = rusqlite::Connection::open_in_memory().unwrap();
    migrate::round_trip(&chain, &mut lite).unwrap_or_else(|p| panic!("{p:?}"));
    let schema = lite.introspect().unwrap();
    let indexes: Vec<Option<String>> = schema.tables["tâche"]
        .indexes
        .iter()
        .map(|i| i.name.clone())
        .collect();
    assert!(indexes.contains(&Some("café".into())), "{indexes:?}");
    assert!(indexes.contains(&Some("索引".into())), "{indexes:?}");

    let models = Schema::new().table(
        Table::new("résumé \u{feff}")
            .column(Column::new("ïd", ColumnType::BigInt).identity())
            .column(Column::new("名前", ColumnType::Varchar(20)).not_null())
            .column(Column::new("🎉", ColumnType::Text).default_text("ünïcödé"))
            .primary_key(["ïd"])
            .index(migrations_core::schema::Index::new("índice", ["名前"]).filter("\"名前\" <> ''"))
            .check("\"名前\" <> 'é'"),
    );
    let mut lite = rusqlite::Connection::open_in_memory().unwrap();
    for stmt in schema_ddl(Dialect::Sqlite, &models) {
        lite.run_sql(&stmt)
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    assert!(migrate::drift(&mut lite, &models).unwrap().is_empty());
    let plan = migrations_core::autogen::plan(Dialect::Sqlite, &Schema::new(), &models, &[]);
    assert!(!plan.up.is_empty());
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let mut pg = db.connect();
    for stmt in schema_ddl(Dialect::Postgres, &models) {
        pg.run_sql(&stmt).unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let drift = migrate::drift(&mut pg, &models).unwrap();
    assert!(drift.is_empty(), "{drift:?}");
}

/// A boot that gives up waiting for the migration lock says who holds it.
#[test]
fn a_lock_timeout_names_the_session_that_holds_the_lock() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let mut holder = db.connect();
    holder
        .batch_execute("SET application_name = 'the_holder'")
        .unwrap();
    holder
        .query_one(
            "SELECT pg_advisory_lock($1)",
            &[&migrations_core::driver::postgres::LOCK_KEY],
        )
        .unwrap();
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let chain = migrations_core::Chain::new(vec![migrations_core::revision::parse(
        "v/aaaaaaaaaaaa_a.sql",
        "-- Revision: aaaaaaaaaaaa\n-- +upgrade\nCREATE TABLE a (id INTEGER);\n-- +downgrade\nDROP TABLE a;\n",
    )
    .unwrap()])
    .unwrap();
    let options =
        migrations_core::Options::default().lock_timeout(std::time::Duration::from_millis(300));
    let err = migrate::upgrade(
        &chain,
        &mut db.connect(),
        &migrations_core::Target::Head,
        &options,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(&format!("pid {pid} (the_holder, from ")),
        "{err}"
    );
    assert!(
        err.contains("last statement: SELECT pg_backend_pid()"),
        "{err}"
    );
    assert!(err.contains("pg_terminate_backend"), "{err}");
}

/// A `CREATE INDEX CONCURRENTLY` that fails (or is killed) leaves an invalid index behind:
/// the drift check must not take it for the models' index.
#[test]
fn an_invalid_index_is_drift() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let mut conn = db.connect();
    conn.batch_execute("CREATE TABLE t (id integer NOT NULL PRIMARY KEY, x integer); INSERT INTO t VALUES (1, 7), (2, 7)")
        .unwrap();
    // Fails on the duplicates, and leaves `t_x` behind, invalid.
    assert!(conn
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_x ON t (x)")
        .is_err());
    let invalid: bool = conn
        .query_one(
            "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(invalid);
    let models = Schema::new().table(
        Table::new("t")
            .column(Column::new("id", ColumnType::Integer).not_null())
            .column(Column::new("x", ColumnType::Integer))
            .primary_key(["id"])
            .index(migrations_core::schema::Index::new("t_x", ["x"]).unique()),
    );
    let lines: Vec<String> = migrate::drift(&mut conn, &models)
        .unwrap()
        .iter()
        .map(|c| c.drift())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("t_x"), "{lines:?}");
    // Once it is rebuilt, no drift.
    conn.batch_execute(
        "DELETE FROM t WHERE id = 2; DROP INDEX t_x; CREATE UNIQUE INDEX t_x ON t (x)",
    )
    .unwrap();
    assert!(migrate::drift(&mut conn, &models).unwrap().is_empty());
}
