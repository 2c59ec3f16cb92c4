//! Adopting an existing database (issue 16): public sample databases nobody here wrote
//! (`tests/sample-databases/`, schema only, each naming its source and license), taken
//! through the user's path with the real binary — `db inspect -o`, `cargo build`, `db
//! baseline`, `cargo build` — then `db check` clean, a second autogenerate that writes
//! nothing, and a fresh database upgraded to the baseline equal to the models. The samples
//! share one scratch app (one migrations folder and one models module each), so the path
//! costs five builds in all, the last two for a table made by hand afterwards. The history
//! tables of the tools an app comes from are in the sample databases too, as those tools
//! write them, and must stay out of models and baseline.

use crate::cargo_build::{shared_target_dir, Run, ScratchApp};
use migrations_core::testing::TestDatabase;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The history table of each tool an app comes from, as that tool creates it (on SQLite;
/// PostgreSQL takes the same words but `TIMESTAMPTZ`/`now()` where sqlx has them there).
const OTHER_TOOLS: [(&str, &str, &str); 5] = [
    (
        "alembic",
        "alembic_version",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); \
         INSERT INTO alembic_version VALUES ('1975ea83b712');",
    ),
    (
        "refinery",
        "refinery_schema_history",
        "CREATE TABLE IF NOT EXISTS refinery_schema_history (version INT4 PRIMARY KEY, \
         name VARCHAR(255), applied_on VARCHAR(255), checksum VARCHAR(255)); \
         INSERT INTO refinery_schema_history VALUES (1, 'initial', '2024-01-01T00:00:00Z', '1234');",
    ),
    (
        "sqlx",
        "_sqlx_migrations",
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, \
         description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \
         success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL);",
    ),
    (
        "diesel",
        "__diesel_schema_migrations",
        "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY \
         NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP); \
         INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000000');",
    ),
    (
        "sea-orm",
        "seaql_migrations",
        "CREATE TABLE IF NOT EXISTS seaql_migrations (version VARCHAR NOT NULL PRIMARY KEY, \
         applied_at BIGINT NOT NULL);",
    ),
];

/// `OTHER_TOOLS`' SQL of `tool` for `dialect`.
fn other_tool_sql(tool: &str, dialect: &str) -> String {
    let (_, _, sql) = OTHER_TOOLS
        .iter()
        .find(|(name, ..)| *name == tool)
        .expect("a tool of OTHER_TOOLS");
    match dialect {
        "postgres" => sql
            .replace(
                "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
                "TIMESTAMPTZ NOT NULL DEFAULT now()",
            )
            .replace("BLOB", "BYTEA"),
        _ => sql.to_string(),
    }
}

/// A sample database: the database it was loaded into, empty ones for fresh builds, the
/// `db baseline` arguments, the other tools' tables it holds, its table count, and a table
/// made by hand after the baseline (SQL in its dialect), for a database no longer at one
/// revision.
struct Sample {
    name: &'static str,
    url: String,
    fresh_urls: Vec<String>,
    baseline_args: &'static [&'static str],
    tools: &'static [&'static str],
    tables: usize,
    made_by_hand: Option<&'static str>,
}

fn sample_sql(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-databases")
        .join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Chinook on SQLite (its baseline serves SQLite), Chinook on PostgreSQL (its baseline
/// serves SQLite and PostgreSQL) and AdventureWorks, 68 tables, on PostgreSQL (PostgreSQL only),
/// through `db inspect` and `db baseline`; the history tables of Alembic, sqlx, refinery,
/// diesel and sea-orm in them are left out of the models and the baseline. Then a table made
/// by hand in each Chinook: `db inspect` names it, and a second `db baseline` holds it alone
/// (on PostgreSQL with defaults PostgreSQL spells with casts, which its SQLite section could
/// not take).
#[test]
fn public_sample_databases_are_adopted_with_inspect_and_baseline() {
    let app = ScratchApp::new("adopt-samples");
    app.enable_core_features(&["cli", "postgres"]);
    let dir = app.dir().to_path_buf();
    let sqlite_url = |file: &str| format!("sqlite:{}", dir.join(file).display());

    let mut samples = Vec::new();
    let sqlite = migrations_core::rusqlite::Connection::open(dir.join("chinook.db")).unwrap();
    sqlite
        .execute_batch(&sample_sql("chinook_sqlite.sql"))
        .expect("load Chinook into SQLite");
    sqlite
        .execute_batch(&other_tool_sql("alembic", "sqlite"))
        .unwrap();
    drop(sqlite);
    samples.push(Sample {
        name: "chinook_sqlite",
        url: sqlite_url("chinook.db"),
        fresh_urls: vec![sqlite_url("chinook-fresh.db")],
        baseline_args: &[],
        tools: &["alembic"],
        tables: 11,
        made_by_hand: Some(
            "CREATE TABLE review (id INTEGER PRIMARY KEY AUTOINCREMENT, \
             track_id INTEGER NOT NULL REFERENCES Track (TrackId), \
             status TEXT NOT NULL DEFAULT 'new', stars SMALLINT DEFAULT -1); \
             CREATE INDEX review_track ON review (track_id); \
             CREATE VIEW review_count AS SELECT track_id, count(*) AS n FROM review GROUP BY track_id;",
        ),
    });
    // Kept until the end of the test: each drops its database.
    let mut databases = Vec::new();
    // (sample, fixture); the URLs are the databases' once they are made.
    let postgres = [
        (
            Sample {
                name: "chinook_postgres",
                url: String::new(),
                fresh_urls: Vec::new(),
                baseline_args: &["--dialect", "sqlite", "--dialect", "postgres"],
                tools: &["sqlx"],
                tables: 11,
                made_by_hand: Some(
                    "CREATE TABLE review (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
                     track_id INT NOT NULL REFERENCES track (track_id), \
                     status TEXT NOT NULL DEFAULT 'new', title VARCHAR(40) DEFAULT 'untitled', \
                     stars SMALLINT DEFAULT -1, added DATE DEFAULT '2024-01-01'); \
                     CREATE INDEX review_track ON review (track_id);",
                ),
            },
            "chinook_postgres.sql",
        ),
        (
            Sample {
                name: "adventureworks",
                url: String::new(),
                fresh_urls: Vec::new(),
                baseline_args: &[],
                tools: &["refinery", "diesel", "sea-orm"],
                tables: 68,
                made_by_hand: None,
            },
            "adventureworks_postgres.sql",
        ),
    ];
    for (mut sample, file) in postgres {
        let (Some(existing), Some(fresh)) = (TestDatabase::create(), TestDatabase::create()) else {
            break;
        };
        let mut client = existing.connect();
        client
            .batch_execute(&sample_sql(file))
            .unwrap_or_else(|e| panic!("load {file}: {e}"));
        for tool in sample.tools {
            client
                .batch_execute(&other_tool_sql(tool, "postgres"))
                .unwrap();
        }
        sample.url = existing.url.clone();
        sample.fresh_urls.push(fresh.url.clone());
        if sample.baseline_args.contains(&"sqlite") {
            sample
                .fresh_urls
                .push(sqlite_url(&format!("{}-fresh.db", sample.name)));
        }
        samples.push(sample);
        databases.push((existing, fresh));
    }
    assert!(
        samples.len() == 3 || std::env::var_os("REQUIRE_POSTGRES").is_none(),
        "PostgreSQL is required"
    );
    write_app(&app, &samples);

    let binary = shared_target_dir().join("debug").join(&app.package);
    let db = |sample: &Sample, url: &str, args: &[&str]| Run {
        command: format!(
            "SAMPLE={} {} db {}",
            sample.name,
            app.package,
            args.join(" ")
        ),
        output: Command::new(&binary)
            .arg("db")
            .args(args)
            .env("SAMPLE", sample.name)
            .env("DATABASE_URL", url)
            .current_dir(&dir)
            .output()
            .expect("run the app"),
    };
    // The generated models and revisions build as they are, without a warning: none from
    // rustc, none from the build's lint or snapshot check (only, before the first baseline,
    // that a folder holds no revision yet).
    let build_clean = || {
        let build = app.cargo(&["build"]);
        build.assert_success();
        assert!(
            !build
                .stderr()
                .lines()
                .any(|l| l.contains("warning") && !l.contains("holds no revision yet")),
            "the generated models or revisions build with warnings\n{}",
            build.describe()
        );
    };
    let inspect = |s: &Sample| {
        let models = format!("src/{}.rs", s.name);
        let run = db(s, &s.url, &["inspect", "-o", &models]);
        run.assert_success();
        let written = fs::read_to_string(dir.join(&models)).unwrap();
        for (tool, table, _) in OTHER_TOOLS.iter().filter(|(t, ..)| s.tools.contains(t)) {
            assert!(
                !written.contains(table),
                "{}: the {tool} table {table} is in the models:\n{written}",
                s.name
            );
        }
        let fmt = Command::new("rustfmt")
            .args(["--check", "--edition", "2021"])
            .arg(dir.join(&models))
            .output()
            .expect("run rustfmt");
        assert!(
            fmt.status.success(),
            "{}: not rustfmt-clean:\n{}",
            s.name,
            String::from_utf8_lossy(&fmt.stdout)
        );
        run
    };
    let baseline = |s: &Sample| {
        let run = db(s, &s.url, &[&["baseline"], s.baseline_args].concat());
        run.assert_success();
        assert!(
            run.stdout().contains("Stamped ") && run.stdout().contains("Generating "),
            "{}",
            run.describe()
        );
        run
    };
    let clean = |s: &Sample| {
        db(s, &s.url, &["check"]).assert_success();
        let again = db(s, &s.url, &["revision", "--autogenerate", "-m", "again"]);
        again.assert_success();
        assert!(
            again.stdout().contains("No changes detected"),
            "{}",
            again.describe()
        );
    };

    // 1. The models, written by `db inspect`, and built. Before, the baseline is refused:
    //    the app's (empty) models are not the database.
    app.cargo(&["build"]).assert_success();
    let refused = db(&samples[0], &samples[0].url, &["baseline"]);
    refused.assert_failure();
    assert!(
        refused
            .stderr()
            .contains("error: cannot write a baseline: the app's models differ from the database")
            && refused.stderr().contains(
                "would not reproduce it; write the models from the database \
                 (`db inspect -o src/models.rs`) and rebuild",
            ),
        "{}",
        refused.describe()
    );
    for s in &samples {
        let run = inspect(s);
        assert!(
            run.stdout()
                .contains(&format!("Wrote the models of {} table(s)", s.tables)),
            "{}",
            run.describe()
        );
    }
    build_clean();
    // 2. The baseline, written and stamped in one verb; then the existing database is
    //    clean and at head, and a second autogenerate finds nothing.
    for s in &samples {
        baseline(s);
    }
    build_clean();
    samples.iter().for_each(clean);
    // 3. A table made by hand afterwards: `db inspect` names it, the next baseline holds it
    //    alone.
    let later: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.made_by_hand.is_some())
        .collect();
    for s in &later {
        let mut conn = migrations_core::database::Database::open(&s.url).unwrap();
        migrations_core::Driver::run_sql(&mut conn, s.made_by_hand.unwrap()).unwrap();
        drop(conn);
        let run = inspect(s);
        assert!(
            run.stdout()
                .contains("Not in the app's models yet (so in the next autogenerate or baseline): 1 table(s): review"),
            "{}",
            run.describe()
        );
    }
    build_clean();
    for s in &later {
        let run = baseline(s);
        let stdout = run.stdout();
        let detected: Vec<&str> = stdout.lines().filter(|l| l.contains("Detected")).collect();
        // A view made by hand is in the models `db inspect` wrote, and so in the baseline.
        let mut expected = vec!["INFO  [autogenerate] Detected added table 'review'"];
        if s.name == "chinook_sqlite" {
            expected.push("INFO  [autogenerate] Detected added view 'review_count'");
        }
        assert_eq!(detected, expected, "{}", run.describe());
    }
    build_clean();
    later.iter().for_each(|s| clean(s));
    // 4. A fresh database of each dialect the chain serves, upgraded to head, equals the
    //    models. Before, a baseline of it is refused: it is not at the head.
    for s in &samples {
        let refused = db(s, &s.fresh_urls[0], &["baseline"]);
        refused.assert_failure();
        let why = match s.name {
            "chinook_sqlite" => "there is no database at sqlite:",
            _ => "the database is at base, not at the head ",
        };
        let and = match s.name {
            "chinook_sqlite" => " to adopt",
            _ => {
                "; the baseline holds what the database has beyond the head, so upgrade it \
                  first (`db upgrade head`, after `cargo build`)"
            }
        };
        assert!(
            refused.stderr().contains(why) && refused.stderr().contains(and),
            "{}",
            refused.describe()
        );
        for url in &s.fresh_urls {
            db(s, url, &["upgrade", "head"]).assert_success();
            db(s, url, &["check"]).assert_success();
        }
    }
}

/// The scratch app: one migrations folder and one models module per sample (empty models
/// to start with), and a main that runs the `db` command of the sample `SAMPLE` names.
fn write_app(app: &ScratchApp, samples: &[Sample]) {
    let dir = app.dir();
    let mut build_rs = String::from("fn main() {\n");
    let mut main_rs = String::new();
    let mut arms = String::new();
    for s in samples {
        fs::create_dir_all(dir.join(format!("migrations/{}/versions", s.name))).unwrap();
        fs::write(
            dir.join(format!("src/{}.rs", s.name)),
            "use migrations_core::schema::Schema;\n\npub fn schema() -> Schema {\n    Schema::new()\n}\n",
        )
        .unwrap();
        build_rs.push_str(&format!(
            "    migrations_build::embed_named(\"migrations/{0}\", \"{0}\");\n",
            s.name
        ));
        let upper = s.name.to_uppercase();
        main_rs.push_str(&format!(
            "mod {0};\nstatic {upper}: migrations_core::Migrations = migrations_core::include_migrations!(\"{0}\");\n",
            s.name
        ));
        arms.push_str(&format!(
            "        \"{0}\" => (&{upper}, {0}::schema()),\n",
            s.name
        ));
    }
    build_rs.push_str("}\n");
    main_rs.push_str(&format!(
        r#"
fn main() {{
    let args: Vec<String> = std::env::args().skip(2).collect(); // after `db`
    let sample = std::env::var("SAMPLE").expect("SAMPLE names the sample");
    let (migrations, models) = match sample.as_str() {{
{arms}        other => panic!("no sample {{other}}"),
    }};
    std::process::exit(migrations_core::cli::main(migrations, &models, &args));
}}
"#
    ));
    fs::write(dir.join("build.rs"), build_rs).unwrap();
    fs::write(dir.join("src/main.rs"), main_rs).unwrap();
}

/// Each tool's history table, on SQLite and on PostgreSQL, is left out of what `db inspect`
/// writes and of what the drift check compares: the models of a database holding only that
/// table and one of the app's are that one table, and the database has no drift from them.
fn other_tool_is_ignored(tool: &str) {
    let app_table = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";
    let (_, table, _) = OTHER_TOOLS.iter().find(|(t, ..)| *t == tool).unwrap();
    let check = |dialect: &str, conn: &mut dyn migrations_core::Driver| {
        let schema = conn.introspect().unwrap();
        assert_eq!(
            schema.tables.keys().collect::<Vec<_>>(),
            ["notes"],
            "{dialect}: {tool}"
        );
        let source = migrations_core::inspect::models_source(&schema, dialect);
        assert!(!source.contains(table), "{dialect}: {source}");
        let drift = migrations_core::migrate::drift(conn, &schema).unwrap();
        assert!(drift.is_empty(), "{dialect}: {tool}: {drift:?}");
    };
    let mut sqlite = migrations_core::rusqlite::Connection::open_in_memory().unwrap();
    sqlite
        .execute_batch(&format!("{app_table} {}", other_tool_sql(tool, "sqlite")))
        .unwrap();
    check("sqlite", &mut sqlite);
    if let Some(db) = TestDatabase::create() {
        let mut client = db.connect();
        client
            .batch_execute(&format!("{app_table} {}", other_tool_sql(tool, "postgres")))
            .unwrap();
        check("postgres", &mut client);
    }
}

#[test]
fn alembic_version_is_not_the_apps() {
    other_tool_is_ignored("alembic");
}

#[test]
fn refinery_schema_history_is_not_the_apps() {
    other_tool_is_ignored("refinery");
}

#[test]
fn sqlx_migrations_is_not_the_apps() {
    other_tool_is_ignored("sqlx");
}

#[test]
fn diesel_schema_migrations_is_not_the_apps() {
    other_tool_is_ignored("diesel");
}

#[test]
fn seaql_migrations_is_not_the_apps() {
    other_tool_is_ignored("sea-orm");
}
