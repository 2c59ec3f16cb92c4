//! The protocol on in-memory SQLite databases.

use super::*;
use crate::chain::{Chain, Target};
use crate::driver::{OnDrift, Options};
use crate::error::Error;
use crate::schema::Schema;
use crate::testing::{self, Fixture};
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

const A: &str = "aaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbb";

/// Creates `todos (id, title)`.
fn todos() -> Fixture {
    Fixture::new(A)
        .up("CREATE TABLE todos (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL);")
        .down("DROP TABLE todos;")
}

/// Adds `todos.deleted_at`.
fn soft_delete() -> Fixture {
    Fixture::new(B)
        .revises(A)
        .up("ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;")
        .down("ALTER TABLE todos DROP COLUMN deleted_at;")
}

fn todo_chain() -> Chain {
    testing::chain(&[todos(), soft_delete()])
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
        &crate::bookkeeping::set_drift_memory_sql(crate::Dialect::Sqlite, Some((&key, &now))),
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
    let b = Fixture::new(B)
        .revises(A)
        .up("CREATE TABLE u (x INT);\nINSERT INTO nope VALUES (1);")
        .down("DROP TABLE u;");
    let chain = testing::chain(&[
        Fixture::new(A)
            .up("CREATE TABLE t (x INT);")
            .down("DROP TABLE t;"),
        b.clone(),
    ]);
    let mut conn = Connection::open_in_memory().unwrap();
    let err = upgrade(&chain, &mut conn, &Target::Head, &Options::default()).unwrap_err();
    let msg = err.to_string();
    // The second statement of B's upgrade.
    let at = format!(
        "revision {B} failed at {}:{}: no such table: nope",
        b.path(),
        b.upgrade_line(2)
    );
    assert!(msg.contains(&at), "{at}: {msg}");
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

/// `todos` with rows (A), then B's upgrade `up` on them: fails, and the message.
fn fails_on_existing_rows(rows: &str, up: &str) -> String {
    let chain = testing::chain(&[todos(), Fixture::new(B).revises(A).up(up).down("SELECT 1;")]);
    let mut conn = Connection::open_in_memory().unwrap();
    upgrade(
        &chain,
        &mut conn,
        &Target::parse(A).unwrap(),
        &Options::default(),
    )
    .unwrap();
    conn.execute_batch(rows).unwrap();
    let err = upgrade(&chain, &mut conn, &Target::Head, &Options::default()).unwrap_err();
    let Error::StatementFailed(failure) = &err else {
        panic!("not a statement failure: {err}");
    };
    assert!(failure.violation.is_some(), "{err}");
    err.to_string()
}

#[test]
fn rows_that_break_a_new_constraint_ask_for_a_data_step_not_a_fix_of_the_sql() {
    let msg = fails_on_existing_rows(
        "INSERT INTO todos (title) VALUES ('milk'), ('milk');",
        "CREATE UNIQUE INDEX todos_title ON todos (title);",
    );
    assert!(
        msg.contains("UNIQUE constraint failed: todos.title"),
        "{msg}"
    );
    assert!(
        msg.contains("the rows already in the database break a unique constraint"),
        "{msg}"
    );
    assert!(
        msg.contains("a data step belongs before this statement in the revision (merge or delete the duplicates)"),
        "{msg}"
    );
    assert!(msg.contains("the revision was rolled back"), "{msg}");
    assert!(!msg.contains("fix the SQL"), "{msg}");
}

#[test]
fn a_rebuild_that_meets_nulls_names_the_users_table_not_the_rebuilds() {
    // What autogenerate writes for SQLite to make a column NOT NULL: a rebuild.
    let new = format!("{}todos", crate::dialect::sqlite::alter::REBUILD_PREFIX);
    let msg = fails_on_existing_rows(
        "ALTER TABLE todos ADD COLUMN note TEXT; INSERT INTO todos (title) VALUES ('milk');",
        &format!(
            "CREATE TABLE \"{new}\" (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, note TEXT NOT NULL);\n\
             INSERT INTO \"{new}\" (id, title, note) SELECT id, title, note FROM todos;\n\
             DROP TABLE todos;\n\
             ALTER TABLE \"{new}\" RENAME TO todos;"
        ),
    );
    let said = msg.lines().next().unwrap();
    assert!(
        said.ends_with("NOT NULL constraint failed: todos.note"),
        "{msg}"
    );
    assert!(
        msg.contains("break NOT NULL (rows hold NULL in the column)")
            && msg.contains("backfill the NULLs"),
        "{msg}"
    );
}

#[test]
fn edited_revision_is_refused() {
    let chain1 = todo_chain();
    let mut conn = Connection::open_in_memory().unwrap();
    upgrade(&chain1, &mut conn, &Target::Head, &Options::default()).unwrap();
    let edited = todos().up("CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT);");
    let chain2 = testing::chain(&[edited.clone(), soft_delete()]);
    let err = upgrade(&chain2, &mut conn, &Target::Head, &Options::default()).unwrap_err();
    assert!(matches!(err, Error::ChecksumMismatch { .. }));
    let name = edited.file_name();
    assert!(
        err.to_string().contains(&format!("{name} was edited"))
            || err.to_string().contains(&format!("({name}) was edited")),
        "{err}"
    );
}

#[test]
fn sql_plan_renders_bookkeeping() {
    let chain = todo_chain();
    let plan: Vec<&Revision> = chain.revisions().iter().collect();
    let text = render_plan(
        &chain,
        Dialect::Sqlite,
        &plan,
        Direction::Upgrade,
        true,
        &Options::default(),
    );
    assert!(text.starts_with("CREATE TABLE IF NOT EXISTS \"migrations_history\""));
    assert!(text.contains("BEGIN IMMEDIATE;\nCREATE TABLE todos"));
    assert!(text.contains("INSERT INTO \"migrations_history\" (revision, checksum, execution_ms) VALUES ('bbbbbbbbbbbb'"));
    assert!(text.contains(&format!(
        "-- Running upgrade {A} -> {B}, {}",
        soft_delete().message_text()
    )));
}

#[test]
fn round_trip_catches_a_bad_downgrade() {
    let good = todo_chain();
    assert!(round_trip(&good, &mut Connection::open_in_memory().unwrap()).is_ok());
    let first = Fixture::new(A)
        .up("CREATE TABLE todos (id INTEGER PRIMARY KEY);")
        .down("DROP TABLE todos;");
    let bad_second = Fixture::new(B)
        .revises(A)
        .up("ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;\nCREATE INDEX todos_del ON todos (deleted_at);")
        .down("DROP INDEX todos_del;");
    let bad = testing::chain(&[first.clone(), bad_second.clone()]);
    // The problem is the downgrade's, at its marker.
    let at = format!(
        "{}:{}:",
        bad_second.path(),
        bad_second.downgrade_marker_line()
    );
    // From a database that holds the first revision unchanged: only the second is run.
    let mut conn = Connection::open_in_memory().unwrap();
    round_trip(&testing::chain(std::slice::from_ref(&first)), &mut conn).unwrap();
    let problems = round_trip(&bad, &mut conn).unwrap_err();
    assert!(problems[0].to_string().starts_with(&at), "{problems:?}");
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
    let bad = testing::chain(&[first, bad_second]);
    let problems = round_trip(&bad, &mut Connection::open_in_memory().unwrap()).unwrap_err();
    assert_eq!(problems.len(), 1);
    let text = problems[0].to_string();
    assert!(
        text.starts_with(&format!("{at} the sqlite downgrade does not restore")),
        "{text}"
    );
    assert!(
        text.contains("left by the downgrade: todos: column deleted_at TIMESTAMP"),
        "{text}"
    );
}

#[test]
fn round_trip_reports_bad_sql_with_its_line() {
    let a = Fixture::new(A)
        .up("CREATE TABLE t (x INT);\nCREATE TABEL u (x INT);")
        .down("DROP TABLE t;");
    let bad = testing::chain(std::slice::from_ref(&a));
    let problems = round_trip(&bad, &mut Connection::open_in_memory().unwrap()).unwrap_err();
    let text = problems[0].to_string();
    // The second statement.
    let at = format!(
        "{}:{}: upgrade fails on sqlite",
        a.path(),
        a.upgrade_line(2)
    );
    assert!(text.starts_with(&at), "{text}");
}
