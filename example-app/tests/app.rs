//! The example app as a user runs it: the README's walkthrough and concurrent boots, on SQLite
//! and (when a server is reachable) PostgreSQL.

use migrations_core::database::Database;
use migrations_core::testing::{PgBouncer, PoolMode, TestDatabase};
use migrations_core::Driver;
use std::path::Path;
use std::process::{Command, Output};

const APP: &str = env!("CARGO_BIN_EXE_example-app");
const HEAD: &str = "3f9a1c2e7b10";
const FIRST: &str = "8c1f0e2a9b3d";

fn run(dir: &Path, url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(APP);
    cmd.args(args).current_dir(dir).env_remove("DATABASE_URL");
    if let Some(url) = url {
        cmd.env("DATABASE_URL", url);
    }
    cmd.output().unwrap()
}

fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn todo_columns(url: &str) -> Vec<String> {
    let schema = Database::open(url).unwrap().introspect().unwrap();
    let mut cols: Vec<String> = schema
        .tables
        .get("todos")
        .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    cols.sort();
    cols
}

/// The walkthrough of the README and of issue 2's acceptance list.
fn walkthrough(dir: &Path, env_url: Option<&str>, url: &str) {
    let out = ok(run(dir, env_url, &["list"]));
    assert_eq!(out.trim(), "no todos");
    ok(run(dir, env_url, &["add", "buy milk"]));
    assert!(ok(run(dir, env_url, &["list"])).contains("#1 buy milk"));
    assert_eq!(
        ok(run(dir, env_url, &["db", "current"])).trim(),
        format!("{HEAD} (head)")
    );

    ok(run(dir, env_url, &["db", "downgrade", "-1"]));
    assert!(!todo_columns(url).contains(&"deleted_at".to_string()));
    assert_eq!(ok(run(dir, env_url, &["db", "current"])).trim(), FIRST);

    // --sql prints the SQL and changes nothing.
    let sql = ok(run(dir, env_url, &["db", "upgrade", "head", "--sql"]));
    assert!(
        sql.contains("ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;"),
        "{sql}"
    );
    assert!(sql.contains("INSERT INTO \"migrations_history\""), "{sql}");
    assert_eq!(ok(run(dir, env_url, &["db", "current"])).trim(), FIRST);
    assert!(!todo_columns(url).contains(&"deleted_at".to_string()));

    ok(run(dir, env_url, &["db", "upgrade", "head"]));
    assert!(todo_columns(url).contains(&"deleted_at".to_string()));
    assert!(
        ok(run(dir, env_url, &["list"])).contains("#1 buy milk"),
        "data survived"
    );

    let history = ok(run(dir, env_url, &["db", "history"]));
    assert!(
        history.contains(&format!(
            "{FIRST} -> {HEAD} (head), add soft delete to todos"
        )),
        "{history}"
    );
    assert!(
        history.contains(&format!("<base> -> {FIRST}, create todos table")),
        "{history}"
    );

    ok(run(dir, env_url, &["delete", "1"]));
    assert_eq!(ok(run(dir, env_url, &["list"])).trim(), "no todos");

    ok(run(dir, env_url, &["db", "downgrade", "base"]));
    assert!(Database::open(url)
        .unwrap()
        .introspect()
        .unwrap()
        .tables
        .is_empty());
    assert_eq!(ok(run(dir, env_url, &["db", "current"])).trim(), "");
}

#[test]
fn walkthrough_on_the_default_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    // `--sql` on a database that does not exist yet creates nothing.
    let sql = ok(run(dir.path(), None, &["db", "upgrade", "head", "--sql"]));
    assert!(sql.contains("CREATE TABLE todos"), "{sql}");
    assert!(
        !dir.path().join("database.db").exists(),
        "--sql created the database"
    );

    let url = format!("sqlite:{}", dir.path().join("database.db").display());
    walkthrough(dir.path(), None, &url);
}

#[test]
fn walkthrough_on_postgres() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    walkthrough(dir.path(), Some(&db.url), &db.url);
    assert!(!dir.path().join("database.db").exists());
}

/// `n` processes boot one fresh database at once: all succeed, each revision is recorded once.
fn concurrent_boots(url: &str, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..n)
        .map(|_| {
            Command::new(APP)
                .arg("list")
                .env("DATABASE_URL", url)
                .current_dir(dir.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ran = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        ran += stderr.matches("Running upgrade").count();
        ok(out);
    }
    let mut db = Database::open(url).unwrap();
    let rows = migrations_core::migrate::history(&mut db).unwrap();
    let mut ids: Vec<&str> = rows.iter().map(|r| r.revision.as_str()).collect();
    ids.sort();
    assert_eq!(ids, [HEAD, FIRST], "each revision recorded once");
    assert_eq!(ran, 2, "each revision ran once across all processes");
    assert_eq!(todo_columns(url).len(), 6);
}

#[test]
fn eight_processes_boot_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_boots(
        &format!("sqlite:{}", dir.path().join("shared.db").display()),
        8,
    );
}

#[test]
fn eight_processes_boot_one_postgres_database() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    concurrent_boots(&db.url, 8);
}

/// Through a PgBouncer that shares three server connections among the eight processes: in
/// transaction mode consecutive transactions of one boot run on different server connections,
/// and what one session leaves on a server connection (a prepared statement, a session advisory
/// lock) is met by the next client.
fn eight_processes_boot_through_pgbouncer(mode: PoolMode) {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let Some(bouncer) = PgBouncer::start(mode) else {
        return;
    };
    for round in 0..3 {
        concurrent_boots(&bouncer.url(&db), 8);
        // Down to base (through the pooler too) for the next round.
        let dir = tempfile::tempdir().unwrap();
        ok(run(
            dir.path(),
            Some(&bouncer.url(&db)),
            &["db", "downgrade", "base"],
        ));
        assert!(
            migrations_core::migrate::history(&mut Database::open(&db.url).unwrap())
                .unwrap()
                .is_empty(),
            "round {round}"
        );
    }
    // No session advisory lock left on a pooled server connection.
    let mut client = db.connect();
    let held: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(held, 0, "an advisory lock outlived the boots");
}

#[test]
fn eight_processes_boot_through_pgbouncer_in_transaction_mode() {
    eight_processes_boot_through_pgbouncer(PoolMode::Transaction);
}

#[test]
fn eight_processes_boot_through_pgbouncer_in_session_mode() {
    eight_processes_boot_through_pgbouncer(PoolMode::Session);
}

#[test]
fn errors_are_one_paragraph_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), Some("mysql://root@localhost/x"), &["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: database URL `mysql://root@localhost/x`: unknown scheme"),
        "{err}"
    );
    let out = run(dir.path(), None, &["db", "downgrade", "zzzz"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("revision `zzzz`: no revision has this id or prefix"));
    let out = run(dir.path(), None, &["db", "show", "3f9"]);
    assert!(ok(out).contains("ALTER TABLE todos ADD COLUMN deleted_at"));
}

/// The SQLite rebuild of `todos` with `title` declared as `title_decl` (SQLite has no
/// ALTER COLUMN): what a hand edit of the live database looks like.
fn sqlite_rebuild_title(title_decl: &str) -> String {
    format!(
        "CREATE TABLE todos_new (id INTEGER PRIMARY KEY AUTOINCREMENT, title {title_decl}, description TEXT, \
         is_completed BOOLEAN NOT NULL DEFAULT false, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, deleted_at TIMESTAMP);
         INSERT INTO todos_new SELECT id, title, description, is_completed, created_at, deleted_at FROM todos;
         DROP TABLE todos;
         ALTER TABLE todos_new RENAME TO todos;"
    )
}

/// Each hand edit of a booted database: the next boot refuses naming table and column, and
/// `db check` exits non-zero with a drift finding.
fn drift_is_refused(url: &str, edit: &str, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    ok(run(dir.path(), Some(url), &["list"]));
    ok(run(dir.path(), Some(url), &["list"]));
    ok(run(dir.path(), Some(url), &["db", "check"]));
    let mut db = Database::open(url).unwrap();
    // The clean boots remembered their check: the edit must be seen through that memory.
    assert!(migrations_core::migrate::drift::remembered(&mut db)
        .unwrap()
        .is_some());
    for stmt in edit.split(";\n") {
        Driver::run_sql(&mut db, stmt).unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    drop(db);

    let boot = run(dir.path(), Some(url), &["list"]);
    let err = String::from_utf8_lossy(&boot.stderr);
    assert_eq!(boot.status.code(), Some(1), "boot should refuse: {err}");
    assert!(
        err.contains("the database schema differs from the models"),
        "{err}"
    );
    assert!(err.contains(expected), "expected {expected:?} in: {err}");
    assert!(boot.stdout.is_empty(), "the app did its job despite drift");

    let check = run(dir.path(), Some(url), &["db", "check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert!(
        err.contains("drift: the database differs from the models"),
        "{err}"
    );
    assert!(err.contains(expected), "{err}");
    assert!(!err.contains("pending"), "{err}");
}

fn drift_cases(url: impl Fn() -> (String, Box<dyn std::any::Any>), sqlite: bool) {
    let retype = if sqlite {
        sqlite_rebuild_title("TEXT NOT NULL")
    } else {
        "ALTER TABLE todos ALTER COLUMN title TYPE TEXT".into()
    };
    let nullable = if sqlite {
        sqlite_rebuild_title("VARCHAR(255)")
    } else {
        "ALTER TABLE todos ALTER COLUMN title DROP NOT NULL".into()
    };
    let cases: [(&str, &str); 4] = [
        (
            "ALTER TABLE todos ADD COLUMN priority INTEGER",
            "todos.priority: in the database, not in the models",
        ),
        (
            "ALTER TABLE todos DROP COLUMN description",
            "todos.description: in the models, not in the database",
        ),
        (
            &retype,
            "todos.title: type VARCHAR(255) in the models, TEXT in the database",
        ),
        (
            &nullable,
            "todos.title: NOT NULL in the models, nullable in the database",
        ),
    ];
    for (edit, expected) in cases {
        let (url, _guard) = url();
        drift_is_refused(&url, edit, expected);
    }
}

#[test]
fn hand_edits_of_a_sqlite_database_are_drift() {
    drift_cases(
        || {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite:{}", dir.path().join("app.db").display());
            (url, Box::new(dir))
        },
        true,
    );
}

#[test]
fn hand_edits_of_a_postgres_database_are_drift() {
    if TestDatabase::create().is_none() {
        return;
    }
    drift_cases(
        || {
            let db = TestDatabase::create().unwrap();
            (db.url.clone(), Box::new(db))
        },
        false,
    );
}

#[test]
fn check_reports_pending_revisions_separately() {
    let dir = tempfile::tempdir().unwrap();
    ok(run(dir.path(), None, &["list"]));
    ok(run(dir.path(), None, &["db", "downgrade", "-1"]));
    let check = run(dir.path(), None, &["db", "check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("pending: 1 revision(s) not applied: {HEAD}")),
        "{err}"
    );
    assert!(
        err.contains("todos.deleted_at: in the models, not in the database"),
        "{err}"
    );
}

/// Another process holds the SQLite file locked (`BEGIN EXCLUSIVE`): every verb waits the one
/// `--lock-timeout`, says when it starts waiting, and then that another process holds the
/// database, for how long it waited — never "creating the history table" for a table that is
/// there.
#[test]
fn every_verb_waits_the_one_lock_timeout_for_a_locked_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("busy.db").display());
    ok(run(dir.path(), Some(&url), &["db", "upgrade", "head"]));
    let holder = migrations_core::rusqlite::Connection::open(dir.path().join("busy.db")).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    for verb in [
        &["db", "current", "--lock-timeout", "1500ms"][..],
        &["db", "downgrade", "-1", "--lock-timeout", "1500ms"],
        &["db", "upgrade", "head", "--lock-timeout", "1500ms"],
        &["db", "check", "--lock-timeout", "1500ms"],
    ] {
        let start = std::time::Instant::now();
        let out = run(dir.path(), Some(&url), verb);
        let waited = start.elapsed();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{verb:?}: {err}");
        assert!(
            waited >= std::time::Duration::from_millis(1400),
            "{verb:?} gave up after {waited:?}: {err}"
        );
        assert!(
            waited < std::time::Duration::from_secs(5),
            "{verb:?} waited {waited:?}, past its lock timeout: {err}"
        );
        assert!(
            err.contains("waiting for the SQLite write lock"),
            "{verb:?}: {err}"
        );
        assert!(err.contains("another process"), "{verb:?}: {err}");
        assert!(err.contains("1.5s"), "{verb:?}: {err}");
        assert!(
            !err.contains("creating the history table"),
            "{verb:?}: {err}"
        );
    }
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(ok(run(
        dir.path(),
        Some(&url),
        &["db", "current", "--lock-timeout", "1s"]
    ))
    .contains(HEAD));
}

/// The schema and the history (revision, checksum) of a database.
fn state(url: &str) -> (migrations_core::Schema, Vec<(String, String)>) {
    let mut db = Database::open(url).unwrap();
    let mut rows: Vec<(String, String)> = migrations_core::migrate::history(&mut db)
        .unwrap()
        .into_iter()
        .map(|r| (r.revision, r.checksum))
        .collect();
    rows.sort();
    (db.introspect().unwrap(), rows)
}

/// Offline `--sql` (a range `FROM:TO`, or `--dialect`): the whole script without a database —
/// the history table, each step in a transaction with the lock and timeouts the run sets, and
/// its history row. Applied to a fresh database it gives the schema and history `db upgrade`
/// gives over the same range, and a downgrade range the same as `db downgrade`.
fn offline_script_is_the_run(dialect: &str, unreachable: &str, scripted: &str, run_for_real: &str) {
    let dir = tempfile::tempdir().unwrap();
    let script = ok(run(
        dir.path(),
        Some(unreachable),
        &["db", "upgrade", "base:head", "--sql"],
    ));
    let by_option = ok(run(
        dir.path(),
        None,
        &["db", "upgrade", "--sql", "--dialect", dialect],
    ));
    assert_eq!(script, by_option);
    assert!(
        script.contains("CREATE TABLE IF NOT EXISTS \"migrations_history\""),
        "{script}"
    );
    if dialect == "postgres" {
        for needle in [
            "SET LOCAL lock_timeout = '60000ms'; -- the wait for the migration lock",
            "SELECT pg_catalog.pg_advisory_xact_lock(",
            "SET LOCAL lock_timeout = '10000ms'; -- for the revision's statements",
        ] {
            assert!(script.contains(needle), "{needle:?} in:\n{script}");
        }
    }
    Database::open(scripted).unwrap().run_sql(&script).unwrap();
    ok(run(
        dir.path(),
        Some(run_for_real),
        &["db", "upgrade", "head"],
    ));
    assert_eq!(state(scripted), state(run_for_real));

    // A range from a revision: only what comes after it.
    let rest = ok(run(
        dir.path(),
        Some(unreachable),
        &["db", "upgrade", &format!("{}:head", &FIRST[..4]), "--sql"],
    ));
    assert!(
        rest.contains(&format!("-- Running upgrade {FIRST} -> {HEAD}")),
        "{rest}"
    );
    assert!(!rest.contains("-- Running upgrade <base>"), "{rest}");

    // Without a range, `--sql` reads the history: an unreachable server says how to do without.
    let online = run(
        dir.path(),
        Some(unreachable),
        &["db", "upgrade", "head", "--sql"],
    );
    let err = String::from_utf8_lossy(&online.stderr);
    if dialect == "postgres" {
        assert_eq!(online.status.code(), Some(1), "{err}");
        assert!(
            err.contains("give the range (`db upgrade base:head --sql`"),
            "{err}"
        );
    }

    // Downgrade ranges: head:-1 printed offline equals `db downgrade -1`.
    let down = ok(run(
        dir.path(),
        Some(unreachable),
        &["db", "downgrade", "head:-1", "--sql"],
    ));
    assert!(
        down.contains(&format!("-- Running downgrade {HEAD} -> {FIRST}")),
        "{down}"
    );
    Database::open(scripted).unwrap().run_sql(&down).unwrap();
    ok(run(
        dir.path(),
        Some(run_for_real),
        &["db", "downgrade", "-1"],
    ));
    assert_eq!(state(scripted), state(run_for_real));
}

#[test]
fn offline_sql_on_sqlite_needs_no_database_and_equals_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| format!("sqlite:{}", dir.path().join(name).display());
    offline_script_is_the_run("sqlite", &at("never.db"), &at("scripted.db"), &at("run.db"));
    assert!(
        !dir.path().join("never.db").exists(),
        "--sql created a database"
    );
    // The PostgreSQL script, without a server anywhere.
    let script = ok(run(
        dir.path(),
        Some("postgres://nobody@127.0.0.1:1/none"),
        &["db", "downgrade", "head:base", "--sql"],
    ));
    for needle in [
        "BEGIN ISOLATION LEVEL READ COMMITTED;",
        "SELECT pg_catalog.pg_advisory_xact_lock(",
        &format!("DELETE FROM \"migrations_history\" WHERE revision = '{FIRST}';"),
    ] {
        assert!(script.contains(needle), "{needle:?} in:\n{script}");
    }
}

#[test]
fn offline_sql_on_postgres_needs_no_server_and_equals_the_run() {
    let (Some(scripted), Some(real)) = (TestDatabase::create(), TestDatabase::create()) else {
        return;
    };
    // Nothing listens on port 1: the script is made without a server.
    offline_script_is_the_run(
        "postgres",
        "postgres://nobody@127.0.0.1:1/none",
        &scripted.url,
        &real.url,
    );
}
