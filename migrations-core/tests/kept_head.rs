//! The kept PostgreSQL head of autogenerate (README, "The scratch database"): reused while the
//! revision files are unchanged, extended by new ones, rebuilt after an earlier file was edited
//! or the database was changed by hand, safe under two runs at once, and dropped on request.
//! Each test uses a folder of its own, so a kept head of its own, and drops it at the end.

use migrations_core::autogen::{self, drop_kept_head, kept_head_name, Draft, Request};
use migrations_core::schema::{Column, ColumnType, Index, Schema, Table};
use migrations_core::testing::{Fixture, TestDatabase, DEFAULT_TEST_POSTGRES_URL};
use migrations_core::Dialect;
use std::path::PathBuf;

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.to_string())
}

/// A versions folder whose chain serves PostgreSQL only, starting with `t (x)`; its kept head
/// is dropped with it.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Option<Project> {
        TestDatabase::create()?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("versions")).unwrap();
        let project = Project { dir };
        first_revision("CREATE TABLE t (x INTEGER);").write_to(&project.versions());
        Some(project)
    }

    fn versions(&self) -> PathBuf {
        self.dir.path().join("versions")
    }

    fn request<'a>(&self, models: &'a Schema) -> Request<'a> {
        let mut request = Request::new(
            self.versions(),
            self.dir.path().join("schema.snapshot"),
            models,
            "next",
        );
        request.database_url = admin_url();
        request
    }

    fn prepare(&self, models: &Schema) -> Draft {
        autogen::prepare(&self.request(models))
            .unwrap()
            .expect("a change")
    }

    /// A connection to the kept head.
    fn kept(&self) -> postgres::Client {
        let url = migrations_core::testing::with_database(
            &admin_url(),
            &kept_head_name(&self.versions()),
        );
        postgres::Client::connect(&url, postgres::NoTls).unwrap()
    }

    /// The kept head's oid (a new one when it was built again), or `None`.
    fn kept_oid(&self) -> Option<u32> {
        database_oid(&kept_head_name(&self.versions()))
    }

    /// The columns of `t` in the kept head.
    fn kept_columns(&self) -> Vec<String> {
        self.kept()
            .query(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = 't' ORDER BY ordinal_position",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// The rows of `t` in the kept head: a mark that only a rebuild removes (data, not schema).
    fn kept_rows(&self) -> i64 {
        self.kept()
            .query_one("SELECT count(*) FROM t", &[])
            .unwrap()
            .get(0)
    }
}

/// The oid of the database `name` on the test server, or `None` when there is none.
fn database_oid(name: &str) -> Option<u32> {
    let mut admin = postgres::Client::connect(&admin_url(), postgres::NoTls).unwrap();
    admin
        .query_opt("SELECT oid FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .map(|row| row.get(0))
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = drop_kept_head(&self.versions(), &admin_url());
    }
}

fn first_revision(sql: &str) -> Fixture {
    Fixture::new("aaaaaaaaaaaa")
        .slug("t")
        .up_for(Dialect::Postgres, sql)
        .down_for(Dialect::Postgres, "DROP TABLE t;")
}

fn models(columns: &[&str]) -> Schema {
    let mut t = Table::new("t").column(Column::new("x", ColumnType::Integer));
    for c in columns {
        t = t.column(Column::new(*c, ColumnType::Integer));
    }
    Schema::new().table(t)
}

fn assert_adds(draft: &Draft, column: &str) {
    assert!(
        draft.text.contains(&format!(
            "ALTER TABLE \"t\" ADD COLUMN \"{column}\" INTEGER"
        )),
        "{}",
        draft.text
    );
    assert!(draft.gaps.is_empty(), "{:?}", draft.gaps);
}

#[test]
fn the_kept_head_is_reused_extended_and_rebuilt_when_it_cannot_be_proven_current() {
    let Some(project) = Project::new() else {
        return;
    };
    let with_y = models(&["y"]);
    assert_adds(&project.prepare(&with_y), "y");
    let oid = project.kept_oid().expect("a kept head");
    // The trial of the new revision was rolled back.
    assert_eq!(project.kept_columns(), ["x"]);
    project
        .kept()
        .batch_execute("INSERT INTO t (x) VALUES (1)")
        .unwrap();

    // Unchanged: reused as it is.
    assert_adds(&project.prepare(&with_y), "y");
    assert_eq!((project.kept_oid(), project.kept_rows()), (Some(oid), 1));

    // Extended by the new revision: only that one runs there.
    project.prepare(&with_y).write().unwrap();
    let with_z = models(&["y", "z"]);
    assert_adds(&project.prepare(&with_z), "z");
    assert_eq!((project.kept_oid(), project.kept_rows()), (Some(oid), 1));
    assert_eq!(project.kept_columns(), ["x", "y"]);

    // An earlier file edited: built again from empty, with the edit.
    first_revision("CREATE TABLE t (x INTEGER, w INTEGER);").write_to(&project.versions());
    let draft = project.prepare(&with_z);
    assert_adds(&draft, "z");
    assert!(draft.text.contains("DROP COLUMN \"w\""), "{}", draft.text);
    let rebuilt = project.kept_oid().expect("a kept head");
    assert_ne!(rebuilt, oid);
    assert_eq!(project.kept_rows(), 0);
    assert_eq!(project.kept_columns(), ["x", "w", "y"]);

    // Changed by hand: the schema version no longer matches, so it is rebuilt, and the stray
    // table is no part of what the revision files produce.
    project
        .kept()
        .batch_execute("CREATE TABLE stray (a INTEGER)")
        .unwrap();
    let draft = project.prepare(&with_z);
    assert!(!draft.text.contains("stray"), "{}", draft.text);
    let again = project.kept_oid().expect("a kept head");
    assert_ne!(again, rebuilt);

    // `--fresh-scratch` drops it and builds it again; `drop_kept_head` drops it.
    let mut request = project.request(&with_z);
    request.fresh_scratch = true;
    assert_adds(&autogen::prepare(&request).unwrap().unwrap(), "z");
    assert_ne!(project.kept_oid(), Some(again));
    assert!(drop_kept_head(&project.versions(), &admin_url()).unwrap());
    assert_eq!(project.kept_oid(), None);
    assert!(!drop_kept_head(&project.versions(), &admin_url()).unwrap());
}

/// What the stored rows of the head's tables depend on beyond what the boot's schema version
/// reads (another schema, a function or an operator there, an index's own row) is part of the
/// kept head's proof too: a head changed that way by hand is built again, and the run after
/// that takes the stored rows without reading each table's fingerprint, and is as right.
#[test]
fn a_kept_head_changed_by_hand_outside_its_schema_is_built_again() {
    let Some(project) = Project::new() else {
        return;
    };
    first_revision("CREATE SCHEMA other; CREATE TABLE t (x INTEGER); CREATE INDEX t_x ON t (x);")
        .write_to(&project.versions());
    let mut with_y = models(&["y"]);
    let t = with_y.tables.get_mut("t").unwrap();
    t.indexes.push(Index::new("t_x", ["x"]));
    assert_adds(&project.prepare(&with_y), "y");
    for by_hand in [
        "CREATE SCHEMA another",
        "CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE OPERATOR other.=== (FUNCTION = int4pl, LEFTARG = int, RIGHTARG = int)",
        "ALTER TABLE t CLUSTER ON t_x",
    ] {
        let oid = project.kept_oid().expect("a kept head");
        project
            .kept()
            .batch_execute(&format!("{by_hand}; INSERT INTO t (x) VALUES (1)"))
            .unwrap_or_else(|e| panic!("{by_hand}: {e}"));
        assert_eq!(project.kept_rows(), 1);
        assert_adds(&project.prepare(&with_y), "y");
        assert_ne!(project.kept_oid(), Some(oid), "{by_hand}: not built again");
        assert_eq!(project.kept_rows(), 0, "{by_hand}");
        // Reused as it is, from the stored rows.
        assert_adds(&project.prepare(&with_y), "y");
        assert_eq!(project.kept_rows(), 0);
    }
}

#[test]
fn two_runs_at_once_share_the_kept_head_and_neither_breaks_it() {
    let Some(project) = Project::new() else {
        return;
    };
    let with_y = models(&["y"]);
    let run_two = |models: &Schema| {
        std::thread::scope(|s| {
            let runs: Vec<_> = (0..2)
                .map(|_| s.spawn(|| project.prepare(models)))
                .collect();
            runs.into_iter()
                .map(|r| r.join().unwrap())
                .collect::<Vec<_>>()
        })
    };
    for draft in run_two(&with_y) {
        assert_adds(&draft, "y");
    }
    let oid = project.kept_oid();
    project.prepare(&with_y).write().unwrap();
    // Both extend it by the same new revision at once: one does, the other reuses it.
    for draft in run_two(&models(&["y", "z"])) {
        assert_adds(&draft, "z");
    }
    assert_eq!(project.kept_oid(), oid, "never built again");
    assert_eq!(project.kept_columns(), ["x", "y"]);
}

#[test]
fn a_revision_outside_a_transaction_is_tried_on_a_copy_of_the_kept_head() {
    let Some(project) = Project::new() else {
        return;
    };
    let indexed = Schema::new().table(
        Table::new("t")
            .column(Column::new("x", ColumnType::Integer))
            .index(Index::new("t_x", ["x"])),
    );
    let mut request = project.request(&indexed);
    request.concurrently = true;
    let draft = autogen::prepare(&request).unwrap().unwrap();
    assert!(
        draft.text.contains("-- Transaction: none"),
        "{}",
        draft.text
    );
    assert!(
        draft
            .notes
            .iter()
            .any(|n| n.contains("was tried on a copy of the kept scratch database")),
        "{:?}",
        draft.notes
    );
    let indexes: i64 = project
        .kept()
        .query_one("SELECT count(*) FROM pg_indexes WHERE tablename = 't'", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        indexes, 0,
        "the kept head stays as the revision files make it"
    );
}

#[test]
fn the_kept_head_of_a_deleted_folder_is_dropped_when_another_is_built() {
    let Some(gone) = Project::new() else {
        return;
    };
    let with_y = models(&["y"]);
    gone.prepare(&with_y);
    let name = kept_head_name(&gone.versions());
    assert!(gone.kept_oid().is_some());
    // The project is deleted (its folder with it), its kept head left on the server.
    let dir = gone.dir.path().to_path_buf();
    std::mem::forget(gone);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(database_oid(&name).is_some());
    // Building another project's kept head collects it.
    let other = Project::new().unwrap();
    other.prepare(&with_y);
    assert_eq!(database_oid(&name), None, "{name} was left behind");
    assert!(other.kept_oid().is_some());
}

#[test]
fn fresh_scratch_on_the_command_line_builds_it_again() {
    use clap::Parser;
    use migrations_core::cli::{execute, DbArgs};
    let Some(project) = Project::new() else {
        return;
    };
    let with_y = models(&["y"]);
    project.prepare(&with_y);
    let oid = project.kept_oid();
    let migrations = migrations_core::testing::migrations_from_dir(&project.versions());
    let url = admin_url();
    let run = |args: &[&str]| {
        let mut argv = vec!["db", "--database-url", url.as_str(), "revision"];
        argv.extend(args);
        execute(
            migrations,
            &with_y,
            &DbArgs::try_parse_from(argv).unwrap(),
            &mut Vec::new(),
        )
    };
    let err = run(&["--fresh-scratch", "-m", "x"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--fresh-scratch") && err.contains("goes with `--autogenerate`"),
        "{err}"
    );
    assert_eq!(project.kept_oid(), oid, "a refused command drops nothing");
    run(&["--autogenerate", "--fresh-scratch", "-m", "add y"]).unwrap();
    assert_ne!(project.kept_oid(), oid);
    assert!(project.kept_oid().is_some());
}

/// The kept head keeps its tables' catalog rows (`migrations_kept.introspection`), so a run
/// reads again only the tables that changed; rows it cannot read as its own are no cache, and
/// a run that extends the head stores the new rows.
#[test]
fn the_kept_head_stores_its_tables_rows_and_reads_back_only_what_it_can_trust() {
    let Some(project) = Project::new() else {
        return;
    };
    let stored = |project: &Project| -> i64 {
        project
            .kept()
            .query_one(
                "SELECT count(*) FROM migrations_kept.introspection WHERE tbl = 't'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let with_y = models(&["y"]);
    assert_adds(&project.prepare(&with_y), "y");
    // One column row and nothing else for `t (x)`.
    assert_eq!(stored(&project), 1);

    // A stored row of another shape: the cache is dropped, the run is as right, and the rows
    // are stored again.
    project
        .kept()
        .batch_execute(
            "UPDATE migrations_kept.introspection SET row = ARRAY['0', 'nonsense'] WHERE tbl = 't'",
        )
        .unwrap();
    assert_adds(&project.prepare(&with_y), "y");
    let row: Vec<Option<String>> = project
        .kept()
        .query_one(
            "SELECT row FROM migrations_kept.introspection WHERE tbl = 't'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(row[..2], [Some("0".to_string()), Some("t".to_string())]);

    // The chain extended by the revision that adds y: the head's `t` changed, and what the
    // next run compares is the new `t` (else it would add y again).
    let draft = project.prepare(&with_y);
    draft.write().unwrap();
    assert!(autogen::prepare(&project.request(&with_y))
        .unwrap()
        .is_none());
    assert_eq!(project.kept_columns(), ["x", "y"]);
    assert_eq!(stored(&project), 2);
    assert_adds(&project.prepare(&models(&["y", "z"])), "z");

    // The table dropped by hand: made again, and the run is as right.
    project
        .kept()
        .batch_execute("DROP TABLE migrations_kept.introspection")
        .unwrap();
    assert_adds(&project.prepare(&models(&["y", "z"])), "z");
    assert_eq!(stored(&project), 2);
}

#[test]
fn the_kept_head_keeps_the_sqlite_head_of_a_chain_that_serves_both() {
    let Some(project) = Project::new() else {
        return;
    };
    // A chain of sections every dialect shares: the snapshot is SQLite's head, and autogenerate
    // for PostgreSQL alone finds it in the kept head instead of replaying the chain on SQLite.
    std::fs::remove_dir_all(project.versions()).unwrap();
    std::fs::create_dir(project.versions()).unwrap();
    Fixture::new("aaaaaaaaaaaa")
        .slug("t")
        .up("CREATE TABLE t (x INTEGER);")
        .down("DROP TABLE t;")
        .write_to(&project.versions());
    let prepare = |models: &Schema| {
        let mut request = project.request(models);
        request.dialects = vec![Dialect::Postgres];
        autogen::prepare(&request).unwrap().expect("a change")
    };
    let replayed = |draft: &Draft| {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(project.versions()).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
        std::fs::write(
            draft.path.file_name().map(|f| dir.path().join(f)).unwrap(),
            &draft.text,
        )
        .unwrap();
        let chain = migrations_core::Chain::new(
            migrations_core::folder::read_revisions(dir.path()).unwrap(),
        )
        .unwrap();
        migrations_core::migrate::render_snapshot(
            &chain,
            &migrations_core::migrate::head_schema(&chain).unwrap(),
        )
    };
    // The kept images, decompressed (LZ4, its size first).
    let images = |project: &Project| -> Vec<(String, Vec<u8>)> {
        project
            .kept()
            .query("SELECT chain, image FROM migrations_kept.sqlite_head", &[])
            .unwrap()
            .iter()
            .map(|r| {
                let image = lz4_flex::decompress_size_prepended(r.get(1)).unwrap();
                (r.get(0), image)
            })
            .collect()
    };

    let with_y = models(&["y"]);
    let draft = prepare(&with_y);
    assert_eq!(draft.snapshot, replayed(&draft));
    assert!(draft.snapshot.contains("SQLite"), "{}", draft.snapshot);
    let kept = images(&project);
    assert_eq!(kept.len(), 1);
    assert!(kept[0].1.starts_with(b"SQLite format 3\0"));
    let compressed: i32 = project
        .kept()
        .query_one("SELECT length(image) FROM migrations_kept.sqlite_head", &[])
        .unwrap()
        .get(0);
    assert!((compressed as usize) < kept[0].1.len() / 4, "{compressed}");

    // What the next run reads is that image: one with a table more shows in the snapshot.
    let marked = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("marked.db");
        std::fs::write(&path, &kept[0].1).unwrap();
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE marker (m INTEGER)")
            .unwrap();
        std::fs::read(&path).unwrap()
    };
    project
        .kept()
        .execute(
            "UPDATE migrations_kept.sqlite_head SET image = $1",
            &[&lz4_flex::compress_prepend_size(&marked)],
        )
        .unwrap();
    assert!(prepare(&with_y).snapshot.contains("marker"));
    // A damaged one is built again (and replaced).
    project
        .kept()
        .execute(
            "UPDATE migrations_kept.sqlite_head SET image = '\\x0badbeef'",
            &[],
        )
        .unwrap();
    let again = prepare(&with_y);
    assert_eq!(again.snapshot, replayed(&again));
    assert_eq!(images(&project)[0].0, kept[0].0);

    // The chain extended: the image of the old chain is not used; the new one is kept.
    draft.write().unwrap();
    let with_z = models(&["y", "z"]);
    let next = prepare(&with_z);
    assert_eq!(next.snapshot, replayed(&next));
    assert!(!next.snapshot.contains("marker"));
    let kept_now = images(&project);
    assert_eq!(kept_now.len(), 1);
    assert_ne!(kept_now[0].0, kept[0].0);
    let again = prepare(&with_z);
    assert_eq!(again.snapshot, replayed(&again));
    assert_eq!(images(&project), kept_now);
}
