//! The whole schema of a real sample database (Pagila, `tests/sample-databases/`: partitions,
//! views, a materialized view, functions, triggers, sequences, an enum, domains, a GiST index),
//! applied by a revision: models for it pass the drift check; each hand change to one of its
//! objects is drift naming the object; autogenerate from the models on an empty chain writes a
//! revision that rebuilds the schema on a fresh database, and then finds nothing (issue 15).
//!
//! The models are the database's schema as introspection reads it — what `db inspect` writes
//! as Rust (the e2e adoption tests compile that source); here they are used as the value.

use clap::Parser;
use migrations_core::cli::{execute, DbArgs};
use migrations_core::diff::Change;
use migrations_core::testing::{migrations_from_dir, DropsKeptHead, Fixture, TestDatabase};
use migrations_core::{migrate, Dialect, Driver, Options, Schema, Target};

const PAGILA: &str = include_str!("../../tests/sample-databases/pagila_postgres.sql");

/// A database with Pagila's schema, applied by one revision of a PostgreSQL-only chain.
fn pagila() -> Option<(TestDatabase, tempfile::TempDir)> {
    let db = TestDatabase::create()?;
    let dir = tempfile::tempdir().unwrap();
    Fixture::new("aaaaaaaaaaaa")
        .slug("pagila")
        .up_for(Dialect::Postgres, PAGILA)
        .irreversible("a sample's whole schema")
        .write_to(dir.path());
    let chain = migrations_from_dir(dir.path()).chain().unwrap();
    migrate::upgrade(chain, &mut db.connect(), &Target::Head, &Options::default())
        .unwrap_or_else(|e| panic!("Pagila's schema as a revision: {e}"));
    Some((db, dir))
}

fn drift_lines(conn: &mut dyn Driver, models: &Schema) -> Vec<String> {
    let changes = migrate::drift(conn, models).unwrap_or_else(|e| panic!("drift check: {e}"));
    changes.iter().map(Change::drift).collect()
}

#[test]
fn pagila_is_modelled_whole_its_hand_changes_are_drift_and_autogenerate_rebuilds_it() {
    let Some((db, _dir)) = pagila() else {
        return;
    };
    let mut conn = db.connect();
    let models = conn.introspect().unwrap();
    // Everything Pagila holds is in the models.
    let counts = (
        models.tables.len(),
        models.views.len(),
        models.functions.len(),
        models.triggers.len(),
        models.enums.len(),
        models.domains.len(),
    );
    // 9 functions and an aggregate.
    assert_eq!(
        counts,
        (22, 8, 10, 15, 1, 2),
        "{:#?}",
        models.functions.keys()
    );
    assert_eq!(
        models.tables["payment"].partition_by.as_deref(),
        Some("RANGE (payment_date)")
    );
    assert_eq!(drift_lines(&mut conn, &models), Vec::<String>::new());

    // Each hand change, on a database of its own, is drift naming the object.
    let changes: &[(&str, &str)] = &[
        ("DROP VIEW staff_list", "view staff_list"),
        (
            "CREATE OR REPLACE VIEW sales_by_store AS SELECT * FROM sales_by_store WHERE false",
            "view sales_by_store",
        ),
        ("DROP MATERIALIZED VIEW rental_by_category", "materialized view rental_by_category"),
        ("DROP FUNCTION rewards_report", "function rewards_report"),
        (
            "CREATE OR REPLACE FUNCTION last_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "function last_updated",
        ),
        ("DROP TRIGGER last_updated ON actor", "trigger last_updated on actor"),
        ("ALTER TYPE mpaa_rating ADD VALUE 'X'", "enum type mpaa_rating"),
        (
            "ALTER TYPE mpaa_rating RENAME VALUE 'G' TO 'g'",
            "enum type mpaa_rating",
        ),
        (
            "ALTER DOMAIN year DROP CONSTRAINT year_check; ALTER DOMAIN year ADD CHECK (VALUE >= 1900)",
            "domain year",
        ),
        ("ALTER TABLE payment DETACH PARTITION payment_p2022_07", "table payment_p2022_07"),
        (
            "DROP INDEX film_fulltext_idx; CREATE INDEX film_fulltext_idx ON film USING gin (fulltext)",
            "film: index film_fulltext_idx",
        ),
    ];
    drop(conn);
    for (sql, named) in changes {
        let Some((copy, _dir)) = pagila() else {
            return;
        };
        let mut conn = copy.connect();
        conn.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let lines = drift_lines(&mut conn, &models);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(named) || l.contains(&format!("{named}:"))),
            "{sql}: no drift naming {named}: {lines:#?}"
        );
        // Boot refuses, with the same finding.
        let err = migrate::check_drift(&mut conn, &models, &Options::default())
            .expect_err("boot must refuse")
            .to_string();
        assert!(err.contains(named), "{sql}: {err}");
    }

    // Autogenerate from the models on an empty PostgreSQL chain rebuilds the schema.
    let project = tempfile::tempdir().unwrap();
    let versions = project.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    let _kept = DropsKeptHead::new(&versions, &db.url);
    let db_args = |args: &[&str]| {
        let mut argv = vec!["db", "--database-url", &db.url];
        argv.extend(args);
        DbArgs::try_parse_from(argv).unwrap()
    };
    let run = |args: &[&str]| {
        let mut out = Vec::new();
        execute(
            migrations_from_dir(&versions),
            &models,
            &db_args(args),
            &mut out,
        )
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        String::from_utf8(out).unwrap()
    };
    let out = run(&[
        "revision",
        "--autogenerate",
        "--dialect",
        "postgres",
        "-m",
        "pagila",
    ]);
    assert!(!out.contains("please report"), "{out}");
    let chain = migrations_from_dir(&versions).chain().unwrap();
    let fresh = TestDatabase::create().unwrap();
    let mut conn = fresh.connect();
    migrate::upgrade(chain, &mut conn, &Target::Head, &Options::default())
        .unwrap_or_else(|e| panic!("the autogenerated revision: {e}"));
    assert_eq!(drift_lines(&mut conn, &models), Vec::<String>::new());
    let again = run(&[
        "revision",
        "--autogenerate",
        "--dialect",
        "postgres",
        "-m",
        "again",
    ]);
    assert!(again.contains("No changes detected"), "{again}");
}
