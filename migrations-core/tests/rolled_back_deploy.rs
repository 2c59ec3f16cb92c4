//! A rolled-back deploy: the previous binary, which does not know the newest revision, finds
//! it applied. It refuses to boot, saying how to roll it back; `db downgrade head` runs the
//! revision's downgrade from the file the database stored when it applied it, then the old
//! binary boots. It refuses when the stored file was changed, or when the unknown revisions
//! are not newer than its own head. On SQLite and PostgreSQL.

use clap::Parser;
use migrations_core::cli::{execute, DbArgs};
use migrations_core::testing::{embedded, Fixture, TestDatabase};
use migrations_core::{migrate, Driver, Error, Migrations};

const A: &str = "aaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbb";
const X: &str = "cccccccccccc";

fn a() -> Fixture {
    Fixture::new(A)
        .up("CREATE TABLE t (id INTEGER PRIMARY KEY);")
        .down("DROP TABLE t;")
}

/// The revision the new binary adds: a column, with a backslash and a quote in its default
/// (stored and read back as written, whatever `standard_conforming_strings` says).
fn b() -> Fixture {
    Fixture::new(B)
        .revises(A)
        .up("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'it''s a \\ test';")
        .down("ALTER TABLE t DROP COLUMN note;")
}

fn columns(conn: &mut dyn Driver) -> Vec<String> {
    conn.introspect().unwrap().tables["t"]
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

/// The whole story on one connection.
fn rolled_back_deploy(conn: &mut dyn Driver) {
    let new: &Migrations = embedded(&[a(), b()]);
    let old: &Migrations = embedded(&[a()]);
    new.upgrade_to_head(conn).unwrap();
    assert_eq!(columns(conn), ["id", "note"]);

    // The old binary refuses to boot, and says what to run.
    let err = old.upgrade_to_head(conn).unwrap_err();
    assert!(matches!(err, Error::UnknownApplied { .. }), "{err}");
    assert!(err.to_string().contains("`db downgrade head`"), "{err}");

    // It rolls B back from the stored file, then boots.
    let steps = old.downgrade(conn, "head").unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].revision, B);
    assert_eq!(columns(conn), ["id"]);
    old.upgrade_to_head(conn).unwrap();
    assert_eq!(
        migrate::verified_history(old.chain().unwrap(), conn)
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        [A]
    );

    // A stored file changed since: refused, nothing run.
    new.upgrade_to_head(conn).unwrap();
    conn.run_sql(&format!(
        "UPDATE migrations_stored SET source = replace(source, 'DROP COLUMN note', 'DROP COLUMN id') WHERE revision = '{B}'"
    ))
    .unwrap();
    let err = old.downgrade(conn, "head").unwrap_err();
    assert!(
        matches!(err, Error::StoredRevisions { .. }) && err.to_string().contains("was changed"),
        "{err}"
    );
    assert_eq!(columns(conn), ["id", "note"]);

    // A build whose head went another way (X beside B): refused, nothing run.
    conn.run_sql(&format!(
        "DELETE FROM migrations_stored WHERE revision = '{B}'"
    ))
    .unwrap();
    let err = old.downgrade(conn, "head").unwrap_err();
    assert!(err.to_string().contains("has no stored file"), "{err}");
    new.downgrade(conn, "base").unwrap();
    new.upgrade_to_head(conn).unwrap();
    let other: &Migrations = embedded(&[
        a(),
        Fixture::new(X)
            .revises(A)
            .up("CREATE TABLE x (id INTEGER);")
            .down("DROP TABLE x;"),
    ]);
    let err = other.downgrade(conn, "head").unwrap_err();
    assert!(matches!(err, Error::StoredRevisions { .. }), "{err}");
    assert_eq!(columns(conn), ["id", "note"]);
}

#[test]
fn sqlite_rolls_back_what_it_never_knew() {
    rolled_back_deploy(&mut rusqlite::Connection::open_in_memory().unwrap());
}

#[test]
fn postgres_rolls_back_what_it_never_knew() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let mut conn = db.connect();
    rolled_back_deploy(&mut conn);
    // Under the legacy string setting too (the stored text keeps its backslash).
    let mut legacy = db.connect();
    legacy
        .batch_execute("SET standard_conforming_strings = off")
        .unwrap();
    let new: &Migrations = embedded(&[a(), b()]);
    let old: &Migrations = embedded(&[a()]);
    new.downgrade(&mut legacy, "base").unwrap();
    new.upgrade_to_head(&mut legacy).unwrap();
    old.downgrade(&mut legacy, "head").unwrap();
    assert_eq!(columns(&mut legacy), ["id"]);
}

/// The CLI of the old binary: `db downgrade head` says what it ran.
#[test]
fn the_old_binarys_cli_downgrades_head() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let new: &Migrations = embedded(&[a(), b()]);
    let old: &Migrations = embedded(&[a()]);
    let run = |m: &Migrations, args: &[&str]| {
        let mut argv = vec!["db", "--database-url", &url];
        argv.extend(args);
        let mut out = Vec::new();
        execute(
            m,
            &migrations_core::Schema::new(),
            &DbArgs::try_parse_from(argv).unwrap(),
            &mut out,
        )
        .map(|()| String::from_utf8(out).unwrap())
    };
    run(new, &["upgrade", "head"]).unwrap();
    let out = run(old, &["downgrade", "head"]).unwrap();
    assert!(
        out.contains(B) && out.contains(&format!("Database is at {A}")),
        "{out}"
    );
    assert!(run(old, &["current"]).unwrap().contains(A));
}

/// A history table dropped by hand (to start over) leaves the stored files behind: applying
/// again replaces them instead of failing on their key.
#[test]
fn a_stored_file_left_behind_is_replaced() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    let new: &Migrations = embedded(&[a(), b()]);
    new.upgrade_to_head(&mut conn).unwrap();
    conn.execute_batch("DROP TABLE migrations_history; DROP TABLE t;")
        .unwrap();
    new.upgrade_to_head(&mut conn).unwrap();
    assert_eq!(columns(&mut conn), ["id", "note"]);
}
