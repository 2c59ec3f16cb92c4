//! The `db` command line as a developer runs it, in process: the verbs on a SQLite file, with
//! revision files written between builds (a build is simulated by embedding the folder afresh,
//! as `include_migrations!()` would after `cargo build`).

use clap::Parser;
use migrations_core::cli::{execute, DbArgs};
use migrations_core::testing::{migrations_from_dir, Fixture};
use migrations_core::{Error, Migrations, Schema};
use std::path::PathBuf;

const A: &str = "aaaaaaaaaaaa";

/// A project folder (`versions/` in a temp dir) and a SQLite file beside it.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(fixtures: &[Fixture]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("versions")).unwrap();
        let project = Project { dir };
        for f in fixtures {
            f.write_to(&project.versions());
        }
        project
    }

    fn versions(&self) -> PathBuf {
        self.dir.path().join("versions")
    }

    /// What `cargo build` would embed now.
    fn build(&self) -> &'static Migrations {
        migrations_from_dir(&self.versions())
    }

    fn url(&self) -> String {
        format!("sqlite:{}", self.dir.path().join("app.db").display())
    }

    /// `db ARGS` with `built`, its output or its error.
    fn db(&self, built: &Migrations, args: &[&str]) -> Result<String, Error> {
        self.db_with(built, &Schema::new(), args)
    }

    /// [`Project::db`] with the app's `models`.
    fn db_with(&self, built: &Migrations, models: &Schema, args: &[&str]) -> Result<String, Error> {
        let url = self.url();
        let mut argv = vec!["db", "--database-url", url.as_str()];
        argv.extend(args);
        let parsed = DbArgs::try_parse_from(argv).unwrap();
        let mut out = Vec::new();
        execute(built, models, &parsed, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[track_caller]
    fn ok(&self, built: &Migrations, args: &[&str]) -> String {
        self.db(built, args)
            .unwrap_or_else(|e| panic!("db {args:?}: {e}"))
    }
}

fn creates(id: &str, parent: &str, table: &str) -> Fixture {
    Fixture::new(id)
        .revises(parent)
        .up(format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY);"))
        .down(format!("DROP TABLE {table};"))
}

/// `db revision` without `cargo build`: the binary still carries the old files. `upgrade head`
/// refuses to call its own head the head, naming the new file and the fix; `current` says whose
/// head it is; after the rebuild all is well again; without the folder (a deployed binary)
/// nothing is said.
#[test]
fn a_revision_written_but_not_built_is_named_and_head_is_refused() {
    let project = Project::new(&[creates(A, "", "a")]);
    let built = project.build();
    project.ok(built, &["upgrade", "head"]);
    let written = project.ok(built, &["revision", "-m", "add b"]);
    let new_file = std::fs::read_dir(project.versions())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| !n.starts_with(A))
        .expect("the new revision file");
    assert!(written.contains(&new_file), "{written}");

    let err = project.db(built, &["upgrade", "head"]).unwrap_err();
    let said = err.to_string();
    assert!(matches!(err, Error::Unbuilt { .. }), "{said}");
    for needle in [new_file.as_str(), "new, not built in", "cargo build"] {
        assert!(said.contains(needle), "expected {needle:?} in: {said}");
    }
    let err = project
        .db(built, &["upgrade", "head", "--sql"])
        .unwrap_err();
    assert!(err.to_string().contains(&new_file), "{err}");
    let err = project.db(built, &["stamp", "head"]).unwrap_err();
    assert!(err.to_string().contains(&new_file), "{err}");
    let current = project.ok(built, &["current"]);
    assert_eq!(
        current.trim(),
        format!("{A} (head of this build, not of the versions folder)")
    );
    let history = project.ok(built, &["history"]);
    assert!(history.contains("head of this build"), "{history}");
    // An edit since the build is named too.
    let path = project.versions().join(creates(A, "", "a").file_name());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("id INTEGER", "id BIGINT")).unwrap();
    let err = project.db(built, &["upgrade", "head"]).unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "changed on disk since the build: {}",
            creates(A, "", "a").file_name()
        )),
        "{err}"
    );
    std::fs::write(&path, text).unwrap();

    // Rebuilt: the new revision is the head, and it runs.
    let rebuilt = project.build();
    let up = project.ok(rebuilt, &["upgrade", "head"]);
    assert!(up.contains("upgrade "), "{up}");
    assert!(project.ok(rebuilt, &["current"]).trim().ends_with("(head)"));

    // The folder gone (a deployed binary): head is this build's, silently.
    std::fs::rename(project.versions(), project.dir.path().join("elsewhere")).unwrap();
    assert!(project.ok(rebuilt, &["current"]).trim().ends_with("(head)"));
    assert!(!project
        .ok(rebuilt, &["history"])
        .contains("head of this build"));
}

/// An applied revision's file reformatted: even `db downgrade -1` is refused, and the message
/// offers the ways out; `db repair` records the new checksum (printing both), runs nothing, and
/// unblocks the verbs; it refuses a revision that is not applied.
#[test]
fn an_edited_applied_revision_is_accepted_by_repair_and_nothing_runs() {
    const B: &str = "bbbbbbbbbbbb";
    let a = creates(A, "", "a");
    let project = Project::new(&[a.clone(), creates(B, A, "b")]);
    project.ok(project.build(), &["upgrade", "head"]);
    let before = migrations_core::revision::checksum(&a.text());
    let path = project.versions().join(a.file_name());
    let text = std::fs::read_to_string(&path).unwrap();
    let reformatted = text.replace(
        "CREATE TABLE a (id",
        "-- the first table\nCREATE TABLE a (\n    id",
    );
    assert_ne!(text, reformatted);
    std::fs::write(&path, &reformatted).unwrap();
    let after = migrations_core::revision::checksum(&reformatted);
    let built = project.build();

    let err = project.db(built, &["downgrade", "-1"]).unwrap_err();
    let said = err.to_string();
    for needle in [
        "was edited after it was applied",
        "restore the file",
        "`db downgrade` to before it, edit it",
        &format!("`db repair {A}`"),
        "runs none of its SQL",
    ] {
        assert!(said.contains(needle), "expected {needle:?} in: {said}");
    }

    let repaired = project.ok(built, &["repair", "aaaa"]);
    for needle in [before.as_str(), after.as_str(), "was not run"] {
        assert!(repaired.contains(needle), "{needle:?} in: {repaired}");
    }
    let again = project.ok(built, &["repair", A]);
    assert!(again.contains("nothing to repair"), "{again}");
    // Nothing ran: table `a` is as it was, and the verbs go on.
    let down = project.ok(built, &["downgrade", "-1"]);
    assert!(down.contains(&format!("Database is at {A}")), "{down}");
    let err = project.db(built, &["repair", B]).unwrap_err();
    assert!(err.to_string().contains("is not applied"), "{err}");
    let rows = migrations_core::migrate::history(
        &mut migrations_core::database::Database::open(&project.url()).unwrap(),
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].checksum, after);
}

/// The first autogenerated revision chooses the dialects of the chain, and says which, why and
/// how to choose otherwise; without a PostgreSQL scratch server the error names the way out.
#[test]
fn the_first_revision_says_which_dialects_the_chain_serves() {
    use migrations_core::schema::{Column, ColumnType, Table};
    let models = Schema::new().table(
        Table::new("t")
            .column(Column::new("id", ColumnType::Integer).not_null())
            .primary_key(["id"]),
    );
    let project = Project::new(&[]);
    let built = project.build();
    let revision = |args: &[&str]| {
        let mut argv = vec!["revision", "--autogenerate", "-m", "create t"];
        argv.extend(args);
        project.db_with(built, &models, &argv)
    };
    if cfg!(feature = "postgres") {
        // Nothing listens on port 1: no scratch server.
        std::env::set_var("SCRATCH_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none");
        let err = revision(&[]).unwrap_err().to_string();
        std::env::remove_var("SCRATCH_DATABASE_URL");
        for needle in [
            "SCRATCH_DATABASE_URL",
            "`db revision --autogenerate --dialect sqlite`",
        ] {
            assert!(err.contains(needle), "expected {needle:?} in: {err}");
        }
        let out = revision(&["--dialect", "sqlite"]).unwrap();
        assert!(
            out.contains("it serves sqlite (as `--dialect` asked)"),
            "{out}"
        );
    } else {
        let out = revision(&[]).unwrap();
        assert!(
            out.contains("it serves sqlite (the only driver this build has"),
            "{out}"
        );
    }
    // The next revision chooses nothing.
    let models = models.table(
        Table::new("u")
            .column(Column::new("id", ColumnType::Integer).not_null())
            .primary_key(["id"]),
    );
    let out = project
        .db_with(
            project.build(),
            &models,
            &["revision", "--autogenerate", "-m", "create u"],
        )
        .unwrap();
    assert!(!out.contains("chooses the dialects"), "{out}");
}

/// `db inspect` prints the database's schema as the app's models (formatted by rustfmt where
/// the machine has it), or writes them with `--output`. (That they compile and match their
/// database is `e2e::cargo_build::inspected_models_compile_and_match_their_database`.)
#[test]
fn inspect_writes_the_databases_models() {
    let project = Project::new(&[]);
    let conn =
        migrations_core::rusqlite::Connection::open(project.dir.path().join("app.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
         CREATE TABLE todos (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), title TEXT NOT NULL DEFAULT '');",
    )
    .unwrap();
    let built = project.build();
    let printed = project.ok(built, &["inspect"]);
    assert!(printed.contains("pub fn schema() -> Schema {"), "{printed}");
    assert!(printed.contains(r#"Table::new("todos")"#), "{printed}");
    assert!(
        printed.contains(r#"ForeignKey::new(["user_id"], "users", ["id"])"#),
        "{printed}"
    );
    let path = project.dir.path().join("models.rs");
    let said = project.ok(built, &["inspect", "--output", path.to_str().unwrap()]);
    assert!(said.contains("Wrote the models of 2 table(s)"), "{said}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), printed);
}

/// `db stamp` over a revision whose file was edited after it ran records the new checksum, as
/// Alembic's stamp would, and says so by file: the edit was not run on the database.
#[test]
fn stamp_over_an_edited_revision_says_the_edit_was_not_run() {
    let project = Project::new(&[creates(A, "", "a")]);
    project.ok(project.build(), &["upgrade", "head"]);
    let path = project.versions().join(creates(A, "", "a").file_name());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("id INTEGER", "id BIGINT")).unwrap();
    let rebuilt = project.build();
    let said = project.ok(rebuilt, &["stamp", A]);
    assert!(
        said.contains(&format!(
            "Note: {} was edited after it ran on this database",
            creates(A, "", "a").file_name()
        )),
        "{said}"
    );
    assert!(said.contains("was not run here"), "{said}");
    assert!(!said.contains("  "), "one line, spaced once: {said}");
    // Recorded now: the next stamp has nothing to say, and the edited file is accepted.
    let again = project.ok(rebuilt, &["stamp", A]);
    assert!(!again.contains("Note:"), "{again}");
    project.ok(rebuilt, &["upgrade", "head"]);
}
