//! The protocol on in-memory SQLite databases.

use super::*;
use crate::chain::{Chain, Target};
use crate::driver::{OnDrift, Options};
use crate::error::Error;
use crate::revision::parse;
use crate::schema::Schema;
use rusqlite::Connection;

/// What `Migrations::boot` does, on a chain built in the test.
fn boot(
    chain: &Chain,
    conn: &mut Connection,
    models: &Schema,
    options: &Options,
) -> Result<Vec<StepReport>> {
    let steps = upgrade(chain, conn, &Target::Head, options)?;
    check_drift(conn, models, options)?;
    Ok(steps)
}

fn chain(files: &[(&str, &str, &str, &str)]) -> Chain {
    Chain::new(
            files
                .iter()
                .map(|(id, parent, up, down)| {
                    parse(
                        &format!("v/{id}_r.sql"),
                        &format!("-- Revision: {id}\n-- Revises: {parent}\n-- Message: m {id}\n\n-- +upgrade\n{up}\n-- +downgrade\n{down}\n"),
                    )
                    .unwrap()
                })
                .collect(),
        )
        .unwrap()
}

const A: &str = "aaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbb";

fn todo_chain() -> Chain {
    chain(&[
        (
            A,
            "",
            "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL);",
            "DROP TABLE todos;",
        ),
        (
            B,
            A,
            "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;",
            "ALTER TABLE todos DROP COLUMN deleted_at;",
        ),
    ])
}

fn columns(conn: &mut Connection) -> Vec<String> {
    conn.introspect()
        .unwrap()
        .tables
        .get("todos")
        .map_or(vec![], |t| {
            t.columns.iter().map(|c| c.name.clone()).collect()
        })
}

#[test]
fn upgrade_downgrade_and_stamp() -> Result<()> {
    let chain = todo_chain();
    let mut conn = Connection::open_in_memory().unwrap();
    let opts = Options::default();
    let steps = upgrade(&chain, &mut conn, &Target::Head, &opts)?;
    assert_eq!(steps.len(), 2);
    assert_eq!(columns(&mut conn), ["id", "title", "deleted_at"]);
    assert!(upgrade(&chain, &mut conn, &Target::Head, &opts)?.is_empty());

    downgrade(&chain, &mut conn, &Target::Relative(-1), &opts)?;
    assert_eq!(columns(&mut conn), ["id", "title"]);
    let applied = verified_history(&chain, &mut conn)?;
    assert_eq!(describe_current(&chain, &applied), A);

    downgrade(&chain, &mut conn, &Target::Base, &opts)?;
    assert!(conn.introspect()?.tables.is_empty());

    stamp(&chain, &mut conn, &Target::Head, &opts)?;
    let applied = verified_history(&chain, &mut conn)?;
    assert_eq!(applied.len(), 2);
    stamp(&chain, &mut conn, &Target::Base, &opts)?;
    assert!(verified_history(&chain, &mut conn)?.is_empty());
    Ok(())
}

#[test]
fn boot_refuses_drift_unless_told_to_warn() {
    use crate::schema::{Column, ColumnType, Table};
    let chain = todo_chain();
    let models = Schema::new().table(
        Table::new("todos")
            .column(Column::new("id", ColumnType::Integer).identity())
            .column(Column::new("title", ColumnType::Text).not_null())
            .primary_key(["id"]),
    );
    let mut conn = Connection::open_in_memory().unwrap();
    let err = boot(&chain, &mut conn, &models, &Options::default()).unwrap_err();
    assert_eq!(
            err.to_string(),
            "the database schema differs from the models (1 difference):\n  todos.deleted_at: in the database, not in the models"
        );
    // It upgraded before refusing, and warns instead when told to.
    let warn = Options {
        drift: OnDrift::Warn,
        ..Options::default()
    };
    assert!(boot(&chain, &mut conn, &models, &warn).unwrap().is_empty());
}

#[test]
fn a_clean_drift_check_is_remembered_until_the_schema_or_the_models_change() {
    use crate::schema::{Column, ColumnType, Table};
    let chain = todo_chain();
    let todos = || {
        Table::new("todos")
            .column(Column::new("id", ColumnType::Integer).identity())
            .column(Column::new("title", ColumnType::Text).not_null())
            .column(Column::new("deleted_at", ColumnType::Timestamp))
            .primary_key(["id"])
    };
    let models = Schema::new().table(todos());
    let opts = Options::default();
    let mut conn = Connection::open_in_memory().unwrap();
    boot(&chain, &mut conn, &models, &opts).unwrap();
    let (key, version) = crate::migrate::drift::remembered(&mut conn)
        .unwrap()
        .expect("remembered");
    assert_eq!(
        Some(version.clone()),
        crate::migrate::drift::schema_version(&mut conn).unwrap()
    );
    // The memory never shows up as part of the schema.
    assert!(drift(&mut conn, &models).unwrap().is_empty());

    // While both are unchanged, the memory is trusted (here, a lie planted by hand: the
    // table it describes is gone, and the boot does not look).
    conn.execute_batch(
        "BEGIN; DROP TABLE todos; CREATE TABLE todos (id INTEGER PRIMARY KEY); COMMIT",
    )
    .unwrap();
    let now = crate::migrate::drift::schema_version(&mut conn)
        .unwrap()
        .unwrap();
    conn.execute_batch("BEGIN").unwrap();
    Driver::run_sql(
        &mut conn,
        &crate::bookkeeping::set_drift_memory_sql(Some((&key, &now))),
    )
    .unwrap();
    conn.execute_batch("COMMIT").unwrap();
    boot(&chain, &mut conn, &models, &opts).unwrap();

    // Other models: checked in full, drift found, memory forgotten.
    let other = Schema::new().table(todos().column(Column::new("x", ColumnType::Integer)));
    let err = boot(&chain, &mut conn, &other, &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("todos.title: in the models, not in the database"),
        "{err}"
    );
    assert_eq!(crate::migrate::drift::remembered(&mut conn).unwrap(), None);

    // A change of the schema by anyone: checked in full.
    let mut conn = Connection::open_in_memory().unwrap();
    boot(&chain, &mut conn, &models, &opts).unwrap();
    assert!(crate::migrate::drift::remembered(&mut conn)
        .unwrap()
        .is_some());
    conn.execute_batch("ALTER TABLE todos ADD COLUMN priority INTEGER")
        .unwrap();
    let err = boot(&chain, &mut conn, &models, &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("todos.priority: in the database, not in the models"),
        "{err}"
    );
    assert_eq!(crate::migrate::drift::remembered(&mut conn).unwrap(), None);

    // Told not to remember: no table, and every boot checks in full.
    let mut conn = Connection::open_in_memory().unwrap();
    let forgetful = Options {
        remember_drift_check: false,
        ..Options::default()
    };
    boot(&chain, &mut conn, &models, &forgetful).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = ?1",
            [crate::driver::DRIFT_CHECK_TABLE],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn failing_statement_rolls_back_the_whole_revision() {
    let chain = chain(&[
        (A, "", "CREATE TABLE t (x INT);", "DROP TABLE t;"),
        (
            B,
            A,
            "CREATE TABLE u (x INT);\nINSERT INTO nope VALUES (1);",
            "DROP TABLE u;",
        ),
    ]);
    let mut conn = Connection::open_in_memory().unwrap();
    let err = upgrade(&chain, &mut conn, &Target::Head, &Options::default()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("revision bbbbbbbbbbbb failed at v/bbbbbbbbbbbb_r.sql:7: no such table: nope"),
        "{msg}"
    );
    assert!(msg.contains("INSERT INTO nope"), "{msg}");
    let schema = conn.introspect().unwrap();
    assert!(schema.tables.contains_key("t"));
    assert!(
        !schema.tables.contains_key("u"),
        "the failed revision left a table"
    );
    let applied = verified_history(&chain, &mut conn).unwrap();
    assert_eq!(applied, BTreeSet::from([A.to_string()]));
}

#[test]
fn edited_revision_is_refused() {
    let chain1 = todo_chain();
    let mut conn = Connection::open_in_memory().unwrap();
    upgrade(&chain1, &mut conn, &Target::Head, &Options::default()).unwrap();
    let chain2 = chain(&[
        (
            A,
            "",
            "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT);",
            "DROP TABLE todos;",
        ),
        (
            B,
            A,
            "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;",
            "ALTER TABLE todos DROP COLUMN deleted_at;",
        ),
    ]);
    let err = upgrade(&chain2, &mut conn, &Target::Head, &Options::default()).unwrap_err();
    assert!(matches!(err, Error::ChecksumMismatch { .. }));
    assert!(
        err.to_string().contains("aaaaaaaaaaaa_r.sql was edited")
            || err.to_string().contains("(aaaaaaaaaaaa_r.sql) was edited"),
        "{err}"
    );
}

#[test]
fn sql_plan_renders_bookkeeping() {
    let chain = todo_chain();
    let plan: Vec<&Revision> = chain.revisions().iter().collect();
    let text = render_plan(&chain, Dialect::Sqlite, &plan, Direction::Upgrade, true);
    assert!(text.starts_with("CREATE TABLE IF NOT EXISTS \"migrations_history\""));
    assert!(text.contains("BEGIN IMMEDIATE;\nCREATE TABLE todos"));
    assert!(text.contains("INSERT INTO \"migrations_history\" (revision, checksum, execution_ms) VALUES ('bbbbbbbbbbbb'"));
    assert!(text.contains("-- Running upgrade aaaaaaaaaaaa -> bbbbbbbbbbbb, m bbbbbbbbbbbb"));
}

#[test]
fn round_trip_catches_a_bad_downgrade() {
    let good = todo_chain();
    assert!(round_trip(&good, &mut Connection::open_in_memory().unwrap()).is_ok());
    let first = (
        A,
        "",
        "CREATE TABLE todos (id INTEGER PRIMARY KEY);",
        "DROP TABLE todos;",
    );
    let bad = chain(&[
            first,
            (B, A, "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;\nCREATE INDEX todos_del ON todos (deleted_at);", "DROP INDEX todos_del;"),
        ]);
    // From a database that holds the first revision unchanged: only the second is run.
    let mut conn = Connection::open_in_memory().unwrap();
    round_trip(&chain(&[first]), &mut conn).unwrap();
    let problems = round_trip(&bad, &mut conn).unwrap_err();
    assert!(
        problems[0]
            .to_string()
            .starts_with("v/bbbbbbbbbbbb_r.sql:8:"),
        "{problems:?}"
    );
    // A database holding anything else is refused.
    let mut conn = Connection::open_in_memory().unwrap();
    round_trip(&good, &mut conn).unwrap();
    let problems = round_trip(&bad, &mut conn).unwrap_err();
    assert!(
        problems[0]
            .to_string()
            .contains("not the first ones of the chain"),
        "{problems:?}"
    );
    let bad = chain(&[
            (A, "", "CREATE TABLE todos (id INTEGER PRIMARY KEY);", "DROP TABLE todos;"),
            (B, A, "ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;\nCREATE INDEX todos_del ON todos (deleted_at);", "DROP INDEX todos_del;"),
        ]);
    let problems = round_trip(&bad, &mut Connection::open_in_memory().unwrap()).unwrap_err();
    assert_eq!(problems.len(), 1);
    let text = problems[0].to_string();
    assert!(
        text.starts_with("v/bbbbbbbbbbbb_r.sql:8: the sqlite downgrade does not restore"),
        "{text}"
    );
    assert!(
        text.contains("left by the downgrade: todos: column deleted_at TIMESTAMP"),
        "{text}"
    );
}

#[test]
fn round_trip_reports_bad_sql_with_its_line() {
    let bad = chain(&[(
        A,
        "",
        "CREATE TABLE t (x INT);\nCREATE TABEL u (x INT);",
        "DROP TABLE t;",
    )]);
    let problems = round_trip(&bad, &mut Connection::open_in_memory().unwrap()).unwrap_err();
    let text = problems[0].to_string();
    assert!(
        text.starts_with("v/aaaaaaaaaaaa_r.sql:7: upgrade fails on sqlite"),
        "{text}"
    );
}
