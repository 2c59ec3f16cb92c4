//! The Rust half of the side-by-side benchmarks (issue 6). `benches/run.sh` drives it; every
//! measurement is printed as one `RESULT {json}` line for `scripts/report.py`, progress goes to
//! stderr.
//!
//! ```text
//! bench-harness gen DIR [N]                      write the generated inputs (see gen.rs)
//! bench-harness gen-long DIR N                  write only the N-revision chain (7., no snapshot)
//! bench-harness gen-one DIR I                   add revision I (both formats) to DIR's chain
//! bench-harness boot DIR REPS                    1. boot with nothing pending (SQLite file, PG)
//! bench-harness apply DIR REPS                   2. apply N revisions to a fresh database
//! bench-harness drift TABLES REPS                3. drift check / introspection + diff
//! bench-harness autogen PROJECT SCENARIO URL REPS   4. our autogenerate, in-process
//! bench-harness ours-db PROJECT SCENARIO ARGS…   4. our `db` CLI as an app embeds it (a process)
//! bench-harness drop-kept-head VERSIONS URL      4. drop the kept PostgreSQL head of VERSIONS
//! bench-harness long-chain DIR REPS              7. boot, `history` and validation of DIR's chain (any length)
//! bench-harness round-trip DIR                   5. what the build script does, timed by phase
//! bench-harness busy ROWS REPS                   6. a writer on a busy table during each statement the lint flags, and its safe form
//! ```
//!
//! PostgreSQL comes from `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`);
//! each measurement gets its own randomly named database, dropped afterwards.

mod gen;

use migrations_core::driver::postgres::introspect_counted;
use migrations_core::testing::TestDatabase;
use migrations_core::{migrate, revision, Chain, Driver, EmbeddedFile, Migrations, Schema};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Results and timing.

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[s.len() / 2]
}

/// One result line: `section`, `row` (what), `backend`, median and min of the samples, and a
/// free-form note (counts).
fn emit(section: &str, backend: &str, row: &str, samples: &[Duration], note: &str) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "RESULT {{\"section\":{},\"backend\":{},\"row\":{},\"median_ms\":{:.3},\"min_ms\":{:.3},\"runs\":{},\"note\":{}}}",
        json_str(section),
        json_str(backend),
        json_str(row),
        ms(median(samples)),
        ms(*samples.iter().min().unwrap()),
        samples.len(),
        json_str(note)
    );
    eprintln!(
        "  {backend:<9} {row:<58} median {:>10.2} ms (min {:.2}, {} runs) {note}",
        ms(median(samples)),
        ms(*samples.iter().min().unwrap()),
        samples.len()
    );
}

/// A variant measured by [`round_robin`]: does its own untimed setup and returns the time of
/// the measured part only.
type Variant<'a> = (&'a str, Box<dyn FnMut() -> Duration + 'a>);

/// Runs every variant once per round, `reps` rounds, so slow drifts of a shared machine hit
/// all variants alike. Returns the samples per variant. One warm-up round first (not kept).
fn round_robin(reps: usize, variants: &mut [Variant<'_>]) -> Vec<Vec<Duration>> {
    round_robin_opt(reps, variants, true)
}

/// [`round_robin`], with or without the warm-up round.
fn round_robin_opt(reps: usize, variants: &mut [Variant<'_>], warm_up: bool) -> Vec<Vec<Duration>> {
    if warm_up {
        for (_, f) in variants.iter_mut() {
            f();
        }
    }
    let mut samples = vec![Vec::new(); variants.len()];
    for _ in 0..reps {
        for (i, (_, f)) in variants.iter_mut().enumerate() {
            samples[i].push(f());
        }
    }
    samples
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

// ---------------------------------------------------------------------------------------------
// Counting statements on a SQLite connection (sqlite3_trace_v2).

static SQLITE_STATEMENTS: AtomicUsize = AtomicUsize::new(0);
static SQLITE_INSIDE_PRAGMA_FUNCTIONS: AtomicUsize = AtomicUsize::new(0);

/// Counts the statements sent on the connection apart from those SQLite runs by itself inside
/// them (`FROM sqlite_master, pragma_table_info(name)` runs one `PRAGMA table_info='t'` per
/// row, in-process; the trace shows such nested statements, like trigger bodies, as `-- …`).
fn count_statement(event: rusqlite::trace::TraceEvent<'_>) {
    if let rusqlite::trace::TraceEvent::Stmt(_, sql) = event {
        if sql.starts_with("-- ") {
            SQLITE_INSIDE_PRAGMA_FUNCTIONS.fetch_add(1, Ordering::Relaxed);
            return;
        }
    }
    SQLITE_STATEMENTS.fetch_add(1, Ordering::Relaxed);
}

/// [`sqlite_statements`], and how many statements SQLite ran inside pragma functions.
fn sqlite_statements_split(
    conn: &mut rusqlite::Connection,
    f: impl FnOnce(&mut rusqlite::Connection),
) -> (usize, usize) {
    SQLITE_INSIDE_PRAGMA_FUNCTIONS.store(0, Ordering::Relaxed);
    let sent = sqlite_statements(conn, f);
    (sent, SQLITE_INSIDE_PRAGMA_FUNCTIONS.load(Ordering::Relaxed))
}

/// How many statements `f` runs on `conn` (only `conn`: scratch databases are not counted).
fn sqlite_statements(
    conn: &mut rusqlite::Connection,
    f: impl FnOnce(&mut rusqlite::Connection),
) -> usize {
    SQLITE_STATEMENTS.store(0, Ordering::Relaxed);
    conn.trace_v2(
        rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
        Some(count_statement),
    );
    f(conn);
    conn.trace_v2(rusqlite::trace::TraceEventCodes::empty(), None);
    SQLITE_STATEMENTS.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------------------------
// The two tools' inputs, as their embedding macros would produce them.

/// What `include_migrations!()` expands to for `versions`: file names, checksums and
/// normalised sources, leaked to `'static` like the embedded data.
fn embedded(versions: &Path) -> (&'static str, &'static [EmbeddedFile]) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(versions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    let files: Vec<EmbeddedFile> = paths
        .iter()
        .map(|p| {
            let source = revision::normalize(&std::fs::read_to_string(p).unwrap());
            let checksum = revision::checksum(&source);
            EmbeddedFile::new(
                leak(p.file_name().unwrap().to_string_lossy().into_owned()),
                leak(checksum),
                leak(source),
            )
        })
        .collect();
    (
        leak(versions.display().to_string()),
        Box::leak(files.into_boxed_slice()),
    )
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A fresh `Migrations` over the embedded files: its chain is parsed on first use, as in a
/// freshly started app.
fn fresh(dir: &'static str, files: &'static [EmbeddedFile]) -> Migrations {
    Migrations::from_embedded(dir, files)
}

/// The refinery migrations as `embed_migrations!` embeds them: (name, SQL) pairs.
fn refinery_files(dir: &Path) -> Vec<(&'static str, &'static str)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // refinery orders by version, not by name
    paths.sort_by_key(|p| {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        stem[1..stem.find("__").unwrap()].parse::<u32>().unwrap()
    });
    paths
        .iter()
        .map(|p| {
            (
                leak(p.file_stem().unwrap().to_string_lossy().into_owned()),
                leak(std::fs::read_to_string(p).unwrap()),
            )
        })
        .collect()
}

/// Exactly what the `runner()` that `embed_migrations!` generates does.
fn refinery_runner(files: &[(&'static str, &'static str)]) -> refinery::Runner {
    let quoted: Vec<(&str, String)> = files.iter().map(|(n, s)| (*n, s.to_string())).collect();
    let mut migrations = Vec::new();
    for (name, sql) in quoted {
        migrations.push(refinery::Migration::unapplied(name, &sql).unwrap());
    }
    refinery::Runner::new(&migrations)
}

/// The raw-SQL floor: each revision's upgrade SQL in its own transaction, nothing else.
fn raw_apply_sqlite(conn: &mut rusqlite::Connection, sql: &[String]) {
    for s in sql {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(s).unwrap();
        tx.commit().unwrap();
    }
}

fn raw_apply_pg(client: &mut postgres::Client, sql: &[String]) {
    for s in sql {
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(s).unwrap();
        tx.commit().unwrap();
    }
}

/// The floor for a tool that records what it applied: the revision's SQL and one history row,
/// in one transaction.
fn raw_with_row_sqlite(conn: &mut rusqlite::Connection, sql: &[String]) {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS raw_history (revision TEXT PRIMARY KEY)")
        .unwrap();
    for (i, s) in sql.iter().enumerate() {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(s).unwrap();
        tx.execute("INSERT INTO raw_history VALUES (?1)", [gen::rev_id(i)])
            .unwrap();
        tx.commit().unwrap();
    }
}

fn raw_with_row_pg(client: &mut postgres::Client, sql: &[String]) {
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS raw_history (revision TEXT PRIMARY KEY)")
        .unwrap();
    for (i, s) in sql.iter().enumerate() {
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(s).unwrap();
        tx.execute("INSERT INTO raw_history VALUES ($1)", &[&gen::rev_id(i)])
            .unwrap();
        tx.commit().unwrap();
    }
}

fn work_dir(gen_dir: &Path) -> PathBuf {
    let w = gen_dir.join("../work");
    std::fs::create_dir_all(&w).unwrap();
    w
}

fn new_sqlite(path: &Path) -> rusqlite::Connection {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    rusqlite::Connection::open(path).unwrap()
}

/// Where SQLite databases go: a file on disk (benches/target/work) and, when /dev/shm exists, a
/// file on tmpfs.
fn sqlite_locations(work: &Path, name: &str) -> Vec<(&'static str, PathBuf)> {
    let mut v = vec![("sqlite", work.join(name))];
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        let d = shm.join(format!("migrations-bench-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        v.push(("sqlite-tmpfs", d.join(name)));
    }
    v
}

/// `BENCH_BACKENDS=sqlite,postgres` runs only those (default: all).
fn wanted(backend: &str) -> bool {
    std::env::var("BENCH_BACKENDS")
        .map(|v| v.split(',').any(|b| b.trim() == backend))
        .unwrap_or(true)
}

/// Before a timed run: flush dirty pages (ours and the previous run's), so one variant does not
/// pay for another's writes. PostgreSQL: a CHECKPOINT too.
fn quiesce(pg: Option<&mut postgres::Client>) {
    if let Some(c) = pg {
        let _ = c.batch_execute("CHECKPOINT");
    }
    let _ = std::process::Command::new("sync").status();
}

fn pg_db() -> TestDatabase {
    TestDatabase::create().expect(
        "PostgreSQL is not reachable: start it or set TEST_POSTGRES_URL (postgres://user@host:port/db)",
    )
}

fn n_revisions(files: &[EmbeddedFile]) -> usize {
    files.len()
}

// ---------------------------------------------------------------------------------------------
// 1. Boot with nothing pending.

fn boot(gen_dir: &Path, reps: usize) {
    let (dir, files) = embedded(&gen_dir.join("ours/versions"));
    let rfiles = refinery_files(&gen_dir.join("refinery"));
    let n = n_revisions(files);
    let models = gen::chain_models(n);
    let work = work_dir(gen_dir);
    let section = format!("boot, nothing pending, {n} applied revisions");
    eprintln!("== {section}");

    // SQLite files.
    let mut ours = new_sqlite(&work.join("boot-ours.db"));
    let mut refy = new_sqlite(&work.join("boot-refinery.db"));
    fresh(dir, files).upgrade_to_head(&mut ours).unwrap();
    refinery_runner(&rfiles).run(&mut refy).unwrap();
    let pg_ours_db = pg_db();
    let mut pg_ours = pg_ours_db.connect();
    fresh(dir, files).upgrade_to_head(&mut pg_ours).unwrap();
    let pg_refy_db = pg_db();
    let mut pg_refy = pg_refy_db.connect();
    refinery_runner(&rfiles).run(&mut pg_refy).unwrap();

    #[allow(clippy::too_many_arguments)]
    fn rows<D: Driver + refinery::Migrate>(
        section: &str,
        backend: &str,
        reps: usize,
        dir: &'static str,
        files: &'static [EmbeddedFile],
        rfiles: &[(&'static str, &'static str)],
        models: &Schema,
        ours: &mut D,
        refy: &mut D,
    ) {
        // Both must be true no-ops: nothing pending, no drift.
        assert!(fresh(dir, files).boot(ours, models).unwrap().is_empty());
        assert!(refinery_runner(rfiles)
            .run(refy)
            .unwrap()
            .applied_migrations()
            .is_empty());
        let ours = std::cell::RefCell::new(ours);
        let parsed = fresh(dir, files);
        parsed.chain().unwrap();
        let mut variants: Vec<Variant<'_>> = vec![
            (
                "ours: Migrations::boot (upgrade + drift check, remembered)",
                Box::new(|| {
                    let m = fresh(dir, files);
                    let mut c = ours.borrow_mut();
                    timed(|| m.boot(&mut **c, models).unwrap()).0
                }),
            ),
            (
                "ours: Migrations::boot, first after a schema change (whole drift check)",
                Box::new(|| {
                    let m = fresh(dir, files);
                    let mut c = ours.borrow_mut();
                    // Forget the remembered clean check, as any change of the schema would.
                    migrate::drift::forget(&mut **c).unwrap();
                    timed(|| m.boot(&mut **c, models).unwrap()).0
                }),
            ),
            (
                "ours: Migrations::upgrade_to_head (no drift check)",
                Box::new(|| {
                    let m = fresh(dir, files);
                    let mut c = ours.borrow_mut();
                    timed(|| m.upgrade_to_head(&mut **c).unwrap()).0
                }),
            ),
            (
                "refinery: runner().run()",
                Box::new(|| timed(|| refinery_runner(rfiles).run(refy).unwrap()).0),
            ),
            (
                "  ours phase: parse + validate the chain",
                Box::new(|| {
                    let m = fresh(dir, files);
                    timed(|| {
                        m.chain().unwrap();
                    })
                    .0
                }),
            ),
            (
                "  ours phase: upgrade_to_head, chain already parsed",
                Box::new(|| {
                    let mut c = ours.borrow_mut();
                    timed(|| parsed.upgrade_to_head(&mut **c).unwrap()).0
                }),
            ),
            (
                "  ours phase: drift check (migrate::drift)",
                Box::new(|| {
                    let mut c = ours.borrow_mut();
                    timed(|| migrate::drift(&mut **c, models).unwrap()).0
                }),
            ),
            (
                "  ours phase: drift: models predicted (no database)",
                Box::new(|| {
                    let c = ours.borrow_mut();
                    timed(|| migrate::predicted_as_built(c.dialect(), models)).0
                }),
            ),
            (
                "  ours phase: drift: models via scratch db (where there is no prediction)",
                Box::new(|| {
                    let mut c = ours.borrow_mut();
                    timed(|| migrate::models_as_built(&mut **c, models).unwrap()).0
                }),
            ),
            (
                "  ours phase: drift: introspect the live db",
                Box::new(|| {
                    let mut c = ours.borrow_mut();
                    timed(|| c.introspect().unwrap()).0
                }),
            ),
        ];
        let samples = round_robin(reps, &mut variants);
        for ((row, _), s) in variants.iter().zip(&samples) {
            emit(section, backend, row, s, "");
        }
    }

    rows(
        &section, "sqlite", reps, dir, files, &rfiles, &models, &mut ours, &mut refy,
    );
    // The floor of any boot that verifies what was applied: reading the history table.
    let samples: Vec<Duration> = (0..=reps)
        .map(|_| {
            timed(|| {
                let mut st = ours
                    .prepare("SELECT revision, checksum FROM migrations_history")
                    .unwrap();
                let v: Vec<(String, String)> = st
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                assert_eq!(v.len(), n);
            })
            .0
        })
        .skip(1)
        .collect();
    emit(
        &section,
        "sqlite",
        "  floor: SELECT revision, checksum FROM the history (rusqlite)",
        &samples,
        "",
    );
    // Statement counts on the app's connection (SQLite; scratch databases not included).
    let stmts_boot = sqlite_statements(&mut ours, |c| {
        fresh(dir, files).boot(c, &models).unwrap();
    });
    let stmts_upgrade = sqlite_statements(&mut ours, |c| {
        fresh(dir, files).upgrade_to_head(c).unwrap();
    });
    let stmts_refinery = sqlite_statements(&mut refy, |c| {
        refinery_runner(&rfiles).run(c).unwrap();
    });
    println!(
        "RESULT {{\"section\":{},\"backend\":\"sqlite\",\"row\":\"statements on the app's connection\",\"count\":{{\"ours: boot\":{stmts_boot},\"ours: upgrade_to_head\":{stmts_upgrade},\"refinery\":{stmts_refinery}}}}}",
        json_str(&section)
    );
    eprintln!("  sqlite statements: ours boot {stmts_boot}, ours upgrade_to_head {stmts_upgrade}, refinery {stmts_refinery}");

    rows(
        &section,
        "postgres",
        reps,
        dir,
        files,
        &rfiles,
        &models,
        &mut pg_ours,
        &mut pg_refy,
    );
    let samples: Vec<Duration> = (0..=reps)
        .map(|_| {
            timed(|| {
                let rows = pg_ours
                    .query("SELECT revision, checksum FROM migrations_history", &[])
                    .unwrap();
                let v: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
                assert_eq!(v.len(), n);
            })
            .0
        })
        .skip(1)
        .collect();
    emit(
        &section,
        "postgres",
        "  floor: SELECT revision, checksum FROM the history (postgres)",
        &samples,
        "",
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Apply every revision to a fresh database.

fn apply(gen_dir: &Path, reps: usize) {
    let (dir, files) = embedded(&gen_dir.join("ours/versions"));
    let rfiles = refinery_files(&gen_dir.join("refinery"));
    let n = n_revisions(files);
    let sql: Vec<String> = (0..n).map(|i| gen::step_sql(i).0).collect();
    let work = work_dir(gen_dir);
    let section = format!("apply {n} revisions to a fresh database");
    eprintln!("== {section}");

    // SQLite: a new file per run (setup and teardown not timed), on disk and on tmpfs (where
    // fsync costs nothing, so what is left is each tool's own work).
    for (backend, db) in sqlite_locations(&work, "apply.db") {
        if !wanted(backend) {
            continue;
        }
        eprintln!("  ({backend}: {})", db.display());
        let check = |conn: &rusqlite::Connection| {
            let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\'",
                [],
                |r| r.get(0),
            )
            .unwrap();
            assert_eq!(tables as usize, n.div_ceil(2));
        };
        let mut variants: Vec<Variant<'_>> = vec![
            (
                "ours: Migrations::upgrade_to_head",
                Box::new(|| {
                    let mut c = new_sqlite(&db);
                    quiesce(None);
                    let m = fresh(dir, files);
                    let t = timed(|| assert_eq!(m.upgrade_to_head(&mut c).unwrap().len(), n)).0;
                    check(&c);
                    t
                }),
            ),
            (
                "refinery: runner().run()",
                Box::new(|| {
                    let mut c = new_sqlite(&db);
                    quiesce(None);
                    let t = timed(|| refinery_runner(&rfiles).run(&mut c).unwrap()).0;
                    check(&c);
                    t
                }),
            ),
            (
                "raw SQL, one transaction per revision (the floor)",
                Box::new(|| {
                    let mut c = new_sqlite(&db);
                    quiesce(None);
                    let t = timed(|| raw_apply_sqlite(&mut c, &sql)).0;
                    check(&c);
                    t
                }),
            ),
            (
                "raw SQL + a history row, one transaction each",
                Box::new(|| {
                    let mut c = new_sqlite(&db);
                    quiesce(None);
                    let t = timed(|| raw_with_row_sqlite(&mut c, &sql)).0;
                    check(&c);
                    t
                }),
            ),
        ];
        let samples = round_robin_opt(
            if backend == "sqlite-tmpfs" {
                reps.max(7)
            } else {
                reps
            },
            &mut variants,
            false,
        );
        for ((row, _), s) in variants.iter().zip(&samples) {
            emit(&section, backend, row, s, "");
        }
        drop(variants);
        // Statements and transactions per tool, SQLite.
        let count = |f: &dyn Fn(&mut rusqlite::Connection)| {
            let mut c = new_sqlite(&db);
            sqlite_statements(&mut c, |c| f(c))
        };
        let s_ours = count(&|c| {
            fresh(dir, files).upgrade_to_head(c).unwrap();
        });
        let s_ref = count(&|c| {
            refinery_runner(&rfiles).run(c).unwrap();
        });
        let s_raw = count(&|c| raw_apply_sqlite(c, &sql));
        println!(
        "RESULT {{\"section\":{},\"backend\":{},\"row\":\"statements\",\"count\":{{\"ours\":{s_ours},\"refinery\":{s_ref},\"raw\":{s_raw}}}}}",
        json_str(&section),
        json_str(backend)
    );
        eprintln!("  sqlite statements: ours {s_ours}, refinery {s_ref}, raw {s_raw}");
    }

    let _ = std::fs::remove_dir_all(format!("/dev/shm/migrations-bench-{}", std::process::id()));

    // PostgreSQL: a new database per run.
    // `postgres-nosync`: the same with `synchronous_commit = off` for the session, so commits
    // do not wait for the WAL flush and what is left is each tool's round trips and work.
    for (backend, nosync) in [("postgres", false), ("postgres-nosync", true)] {
        if !wanted(backend) {
            continue;
        }
        let connect = |db: &TestDatabase| {
            let mut c = db.connect();
            if nosync {
                c.batch_execute("SET synchronous_commit = off").unwrap();
            }
            c
        };
        let pg_check = |c: &mut postgres::Client| {
            let tables: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'",
                &[],
            )
            .unwrap()
            .get(0);
            assert_eq!(tables as usize, n.div_ceil(2));
        };
        let mut variants: Vec<Variant<'_>> = vec![
            (
                "ours: Migrations::upgrade_to_head",
                Box::new(|| {
                    let db = pg_db();
                    let mut c = connect(&db);
                    quiesce(Some(&mut c));
                    let m = fresh(dir, files);
                    let t = timed(|| assert_eq!(m.upgrade_to_head(&mut c).unwrap().len(), n)).0;
                    pg_check(&mut c);
                    t
                }),
            ),
            (
                "refinery: runner().run()",
                Box::new(|| {
                    let db = pg_db();
                    let mut c = connect(&db);
                    quiesce(Some(&mut c));
                    let t = timed(|| refinery_runner(&rfiles).run(&mut c).unwrap()).0;
                    pg_check(&mut c);
                    t
                }),
            ),
            (
                "raw SQL, one transaction per revision (the floor)",
                Box::new(|| {
                    let db = pg_db();
                    let mut c = connect(&db);
                    quiesce(Some(&mut c));
                    let t = timed(|| raw_apply_pg(&mut c, &sql)).0;
                    pg_check(&mut c);
                    t
                }),
            ),
            (
                "raw SQL + a history row, one transaction each",
                Box::new(|| {
                    let db = pg_db();
                    let mut c = connect(&db);
                    quiesce(Some(&mut c));
                    let t = timed(|| raw_with_row_pg(&mut c, &sql)).0;
                    pg_check(&mut c);
                    t
                }),
            ),
        ];
        let samples = round_robin_opt(reps, &mut variants, false);
        for ((row, _), s) in variants.iter().zip(&samples) {
            emit(&section, backend, row, s, "");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Drift check on a wide schema.

fn drift(tables: usize, reps: usize, work: &Path) {
    let section = format!("drift check on {tables} tables");
    eprintln!("== {section}");
    let models = gen::drift_models(tables);
    let small = gen::drift_models(5);

    let build_sqlite = |path: &Path, schema: &Schema| {
        let conn = new_sqlite(path);
        for stmt in migrations_core::render::schema_ddl(migrations_core::Dialect::Sqlite, schema) {
            conn.execute_batch(&stmt).unwrap();
        }
        conn
    };
    let mut conn = build_sqlite(&work.join("drift.db"), &models);
    let mut small_conn = build_sqlite(&work.join("drift-small.db"), &small);
    assert!(
        migrate::drift(&mut conn, &models).unwrap().is_empty(),
        "false drift on sqlite"
    );

    let db = pg_db();
    let mut client = db.connect();
    for stmt in migrations_core::render::schema_ddl(migrations_core::Dialect::Postgres, &models) {
        client.batch_execute(&stmt).unwrap();
    }
    assert!(
        migrate::drift(&mut client, &models).unwrap().is_empty(),
        "false drift on postgres"
    );
    let small_db = pg_db();
    let mut small_client = small_db.connect();
    for stmt in migrations_core::render::schema_ddl(migrations_core::Dialect::Postgres, &small) {
        small_client.batch_execute(&stmt).unwrap();
    }

    // Query counts: introspection of 500 tables vs 5 tables.
    let (q_sqlite, q_sqlite_inside) = sqlite_statements_split(&mut conn, |c| {
        c.introspect().unwrap();
    });
    let (q_sqlite_small, q_sqlite_small_inside) = sqlite_statements_split(&mut small_conn, |c| {
        c.introspect().unwrap();
    });
    let q_sqlite_drift = sqlite_statements(&mut conn, |c| {
        migrate::drift(c, &models).unwrap();
    });
    let (_, q_pg) = introspect_counted(&mut client).unwrap();
    let (_, q_pg_small) = introspect_counted(&mut small_client).unwrap();

    let live = conn.introspect().unwrap();
    let expected = migrate::models_as_built(&mut conn, &models).unwrap();
    let pg_live = client.introspect().unwrap();
    let pg_expected = migrate::models_as_built(&mut client, &models).unwrap();
    let client = std::cell::RefCell::new(client);
    let conn = std::cell::RefCell::new(conn);
    let mut variants: Vec<Variant<'_>> = vec![
        (
            "sqlite|whole drift check (migrate::drift)",
            Box::new(|| timed(|| migrate::drift(&mut *conn.borrow_mut(), &models).unwrap()).0),
        ),
        (
            "sqlite|  introspect the live db",
            Box::new(|| timed(|| conn.borrow_mut().introspect().unwrap()).0),
        ),
        (
            "sqlite|  models predicted (no database)",
            Box::new(|| {
                timed(|| {
                    migrate::predicted_as_built(migrations_core::Dialect::Sqlite, &models).unwrap()
                })
                .0
            }),
        ),
        (
            "sqlite|  models via a scratch db (DDL + introspect; no longer on the path)",
            Box::new(|| {
                timed(|| migrate::models_as_built(&mut *conn.borrow_mut(), &models).unwrap()).0
            }),
        ),
        (
            "sqlite|  diff",
            Box::new(|| timed(|| migrations_core::diff::diff(&live, &expected)).0),
        ),
        (
            "postgres|whole drift check (migrate::drift)",
            Box::new(|| timed(|| migrate::drift(&mut *client.borrow_mut(), &models).unwrap()).0),
        ),
        (
            "postgres|  introspect the live db",
            Box::new(|| timed(|| client.borrow_mut().introspect().unwrap()).0),
        ),
        (
            "postgres|  models predicted (no database)",
            Box::new(|| {
                timed(|| {
                    migrate::predicted_as_built(migrations_core::Dialect::Postgres, &models)
                        .unwrap()
                })
                .0
            }),
        ),
        (
            "postgres|  models via a scratch schema (DDL + introspect; no longer on the path)",
            Box::new(|| {
                timed(|| migrate::models_as_built(&mut *client.borrow_mut(), &models).unwrap()).0
            }),
        ),
        (
            "postgres|  diff",
            Box::new(|| timed(|| migrations_core::diff::diff(&pg_live, &pg_expected)).0),
        ),
    ];
    let samples = round_robin(reps, &mut variants);
    for ((row, _), s) in variants.iter().zip(&samples) {
        let (backend, row) = row.split_once('|').unwrap();
        emit(&section, backend, row, s, "");
    }
    println!(
        "RESULT {{\"section\":{},\"backend\":\"both\",\"row\":\"introspection queries\",\"count\":{{\"sqlite, {tables} tables\":{q_sqlite},\"sqlite, 5 tables\":{q_sqlite_small},\"sqlite, {tables} tables, run by SQLite inside its pragma functions\":{q_sqlite_inside},\"sqlite, 5 tables, run by SQLite inside its pragma functions\":{q_sqlite_small_inside},\"sqlite, whole drift check on the app's connection, {tables} tables\":{q_sqlite_drift},\"postgres, {tables} tables\":{q_pg},\"postgres, 5 tables\":{q_pg_small}}}}}",
        json_str(&section)
    );
    eprintln!("  introspection queries: sqlite {q_sqlite} ({tables} tables) vs {q_sqlite_small} (5 tables); whole drift on sqlite conn {q_sqlite_drift}; postgres {q_pg} vs {q_pg_small}");
}

// ---------------------------------------------------------------------------------------------
// 4. Autogenerate.

/// `db revision --autogenerate -m x` through `cli::execute`, as `ours-db` runs it, repeatedly
/// in one process; the written revision is removed and the snapshot restored after each run.
fn autogen(project: &Path, scenario: &str, url: &str, reps: usize) {
    let versions = project.join("versions");
    let models = gen::scenario_models(scenario);
    let dialect = scenario.rsplit('-').next().unwrap();
    let snapshot = project.join("schema.snapshot");
    let snap_before = std::fs::read(&snapshot).ok();
    let before: Vec<PathBuf> = list(&versions);
    let run = || {
        let (dir, files) = embedded(&versions);
        let m = fresh(dir, files);
        let args = migrations_core::cli::DbArgs::try_parse_from([
            "db",
            "--database-url",
            url,
            "revision",
            "--autogenerate",
            "--dialect",
            dialect,
            "-m",
            "x",
        ])
        .unwrap();
        let mut out = Vec::new();
        let t = timed(|| migrations_core::cli::execute(&m, &models, &args, &mut out).unwrap()).0;
        let out = String::from_utf8(out).unwrap();
        let written: Vec<PathBuf> = list(&versions)
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        assert_eq!(written.len(), 1, "autogenerate wrote no revision:\n{out}");
        let text = std::fs::read_to_string(&written[0]).unwrap();
        for p in written {
            std::fs::remove_file(p).unwrap();
        }
        match &snap_before {
            Some(s) => std::fs::write(&snapshot, s).unwrap(),
            None => drop(std::fs::remove_file(&snapshot)),
        }
        (t, out, text)
    };
    let (_, out, text) = run();
    let detected = out
        .lines()
        .filter(|l| l.starts_with("INFO  [autogenerate]"))
        .count();
    eprintln!(
        "  ours {scenario}: {detected} changes detected; file of {} lines",
        text.lines().count()
    );
    let mut samples = Vec::new();
    for _ in 0..reps {
        samples.push(run().0);
    }
    emit(
        &format!("autogenerate, {scenario}"),
        dialect,
        "ours: cli::execute(db revision --autogenerate), in-process",
        &samples,
        &format!("{detected} changes detected"),
    );
    autogen_phases(project, scenario, dialect, url, reps, &text);
}

/// Where autogenerate's time goes: the steps `db revision --autogenerate` takes, each timed
/// through the same public functions (cli.rs: read_versions + Chain::new, scratch_schemas,
/// autogen::plan, write_snapshot).
fn autogen_phases(
    project: &Path,
    scenario: &str,
    dialect: &str,
    url: &str,
    reps: usize,
    generated: &str,
) {
    let versions = project.join("versions");
    let models = gen::scenario_models(scenario);
    let section = format!("autogenerate, {scenario}");
    let snapshot = project.join("schema.snapshot");
    let snap_before = std::fs::read(&snapshot).unwrap();
    let mut phases: Vec<(String, Vec<Duration>)> = Vec::new();
    let mut add = |name: &str, d: Duration| match phases.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => v.push(d),
        None => phases.push((name.to_string(), vec![d])),
    };
    for _ in 0..reps {
        let (t, chain) = timed(|| gen::read_chain(&versions));
        add(
            "  ours phase: read + parse the versions folder, build the chain",
            t,
        );
        let (head, expected, scratch) = if dialect == "sqlite" {
            let mut c = rusqlite::Connection::open_in_memory().unwrap();
            let (t, _) = timed(|| migrate::apply_quietly(&chain, &mut c).unwrap());
            add("  ours phase: apply the revisions to an in-memory db", t);
            let mut cache = migrations_core::driver::SchemaCache::default();
            let (t, head) = timed(|| c.introspect_cached(&mut cache).unwrap());
            add("  ours phase: introspect it", t);
            let (t, expected) = timed(|| {
                migrate::predicted_as_built(migrations_core::Dialect::Sqlite, &models).unwrap()
            });
            add(
                "  ours phase: the models' schema, predicted (no database)",
                t,
            );
            let (t, built) = timed(|| migrate::models_as_built(&mut c, &models).unwrap());
            assert_eq!(built, expected);
            add(
                "  (no longer on the path) models through a scratch db (DDL + introspect)",
                t,
            );
            (head, expected, Some((c, cache)))
        } else {
            let (t, scratch) = timed(|| {
                migrations_core::driver::postgres::ScratchDatabase::create(
                    url,
                    "migrations_autogen",
                )
                .unwrap()
            });
            add("  ours phase, cold run only (kept head built): CREATE DATABASE (scratch) + connect", t);
            let mut c = scratch.connect().unwrap();
            let (t, _) = timed(|| migrate::apply_quietly(&chain, &mut c).unwrap());
            add(
                "  ours phase, cold run only (kept head built): apply the revisions in it",
                t,
            );
            let (t, head) = timed(|| c.introspect().unwrap());
            add("  ours phase: introspect it", t);
            let (t, expected) = timed(|| {
                migrate::predicted_as_built(migrations_core::Dialect::Postgres, &models).unwrap()
            });
            add(
                "  ours phase: the models' schema, predicted (no database)",
                t,
            );
            let (t, built) = timed(|| migrate::models_as_built(&mut c, &models).unwrap());
            assert!(migrations_core::diff::diff(&built, &expected).is_empty());
            add(
                "  (no longer on the path) models through a scratch schema (DDL + introspect)",
                t,
            );
            drop(c);
            let (t, _) = timed(|| drop(scratch));
            add("  (no longer on the path) DROP DATABASE (scratch)", t);
            (head, expected, None)
        };
        let d = migrations_core::Dialect::from_name(dialect).unwrap();
        let (t, plan) = timed(|| migrations_core::autogen::plan(d, &head, &expected, &[]));
        assert!(!plan.changes.is_empty());
        add("  ours phase: plan (diff + SQL)", t);
        // The snapshot is rewritten after the new revision is on disk: put the one a real run
        // wrote back for this phase.
        let id = generated
            .lines()
            .find_map(|l| l.strip_prefix("-- Revision: "))
            .unwrap()
            .trim();
        let new_file = versions.join(format!("{id}_x.sql"));
        if let Some((mut c, mut cache)) = scratch {
            // SQLite: the new revision runs on the scratch database, still at the old head,
            // and its result is the snapshot (cli.rs does this before writing the file).
            let (t, _) = timed(|| {
                let mut next = chain.revisions().to_vec();
                next.push(revision::parse(&new_file.display().to_string(), generated).unwrap());
                let next = Chain::new(next).unwrap();
                migrate::apply_quietly(&next, &mut c).unwrap();
                let head = c.introspect_cached(&mut cache).unwrap();
                migrate::render_snapshot(&next, &head)
            });
            add(
                "  ours phase: run the new revision on the scratch db, introspect (snapshot)",
                t,
            );
        } else {
            std::fs::write(&new_file, generated).unwrap();
            let (dir, files) = embedded(&versions);
            let m = fresh(dir, files);
            let (t, _) = timed(|| migrations_core::cli::write_snapshot(&m).unwrap());
            add(
                "  ours phase: rewrite schema.snapshot (re-read, re-apply on SQLite, introspect)",
                t,
            );
        }
        let _ = std::fs::remove_file(&new_file);
        std::fs::write(&snapshot, &snap_before).unwrap();
    }
    for (name, samples) in &phases {
        emit(&section, dialect, name, samples, "");
    }
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

use clap::Parser as _;

/// The `db` entry point of an app: `app db ARGS…` with the migrations folder embedded (here
/// read at start, as `include_migrations!()` would have embedded it) and the scenario's models.
fn ours_db(project: &Path, scenario: &str, args: Vec<String>) -> ! {
    let (dir, files) = embedded(&project.join("versions"));
    let m: &'static Migrations = Box::leak(Box::new(fresh(dir, files)));
    let models = gen::scenario_models(scenario);
    std::process::exit(migrations_core::cli::main(m, &models, args));
}

// ---------------------------------------------------------------------------------------------
// 7. Long chains: what grows with the number of revisions, measured at any length (run.sh
// generates 1,000, 5,000 and 20,000): parsing and validating the chain, `db history`, and a
// boot at head (upgrade_to_head, and boot with the drift check remembered) on PostgreSQL, and
// on SQLite (in memory) up to 5,000 revisions (applying 20,000 on SQLite is SQLite's own
// quadratic ALTER TABLE; see "Issue 12" in benches/README.md).

fn long_chain(gen_dir: &Path, reps: usize) {
    let (dir, files) = embedded(&gen_dir.join("ours/versions"));
    let n = n_revisions(files);
    let models = gen::chain_models(n);
    let section = format!("long chain, {n} revisions");
    eprintln!("== {section}");
    let median = |f: &mut dyn FnMut() -> Duration| -> Vec<Duration> {
        f();
        (0..reps).map(|_| f()).collect()
    };
    // The parsed chain is freed outside the timer and timed on its own: an app's lives in a
    // static for as long as the process (`include_migrations!`), and is never freed.
    let mut freed = Vec::new();
    let samples = median(&mut || {
        let m = fresh(dir, files);
        let t = timed(|| m.chain().map(drop).unwrap()).0;
        freed.push(timed(|| drop(m)).0);
        t
    });
    emit(
        &section,
        "-",
        "parse + validate the chain (embedded files)",
        &samples,
        "",
    );
    emit(
        &section,
        "-",
        "free the parsed chain (an app never does)",
        &freed[1..],
        "",
    );
    let args = migrations_core::cli::DbArgs::try_parse_from([
        "db",
        "--database-url",
        "sqlite::memory:",
        "history",
    ])
    .unwrap();
    let samples = median(&mut || {
        let m = fresh(dir, files);
        let mut out = Vec::new();
        let t = timed(|| migrations_core::cli::execute(&m, &models, &args, &mut out).unwrap()).0;
        assert!(out.len() > n * 10);
        t
    });
    emit(
        &section,
        "-",
        "db history (cli::execute, in-process)",
        &samples,
        "",
    );
    let boot_rows = |backend: &str, conn: &mut dyn Driver| {
        fresh(dir, files).upgrade_to_head(conn).unwrap();
        assert!(fresh(dir, files).boot(conn, &models).unwrap().is_empty());
        let samples = median(&mut || {
            let m = fresh(dir, files);
            timed(|| m.upgrade_to_head(conn).unwrap()).0
        });
        emit(
            &section,
            backend,
            "boot at head: upgrade_to_head",
            &samples,
            "",
        );
        let samples = median(&mut || {
            let m = fresh(dir, files);
            timed(|| m.boot(conn, &models).unwrap()).0
        });
        emit(
            &section,
            backend,
            "boot at head: boot, drift check remembered",
            &samples,
            "",
        );
    };
    let db = pg_db();
    let mut pg = db.connect();
    pg.batch_execute("SET synchronous_commit = off").unwrap();
    boot_rows("postgres", &mut pg);
    if n <= 5000 {
        boot_rows(
            "sqlite",
            &mut rusqlite::Connection::open_in_memory().unwrap(),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. What the build script does with 1,000 revisions, by phase (the profile of the build row).

fn round_trip_phases(gen_dir: &Path) {
    let versions = gen_dir.join("ours/versions");
    let section = "build script phases (release build of the same code)".to_string();
    eprintln!("== {section}");
    let (t_parse, chain): (Duration, Chain) = timed(|| gen::read_chain(&versions));
    emit(
        &section,
        "sqlite",
        "read + parse + validate the chain",
        &[t_parse],
        "",
    );
    let (t_apply, _) = timed(|| {
        let mut c = rusqlite::Connection::open_in_memory().unwrap();
        migrate::apply_quietly(&chain, &mut c).unwrap();
    });
    emit(
        &section,
        "sqlite",
        "apply the chain once, in memory (no introspection)",
        &[t_apply],
        "",
    );
    // Timed with the statement counter on (one atomic increment per statement: noise next to
    // the statements themselves), so the 25-second round trip runs only once.
    let mut c = rusqlite::Connection::open_in_memory().unwrap();
    let (t_rt, stmts) =
        timed(|| sqlite_statements(&mut c, |c| migrate::round_trip(&chain, c).unwrap()));
    emit(
        &section,
        "sqlite",
        "round trip up/down/up with introspection (migrate::round_trip)",
        &[t_rt],
        &format!("{stmts} statements"),
    );
    // Prototype of the proposed fix: the same up/down/up, comparing SQLite's schema text
    // (sqlite_master) before/after instead of introspecting every table four times per revision;
    // a full introspection would be needed only when the texts differ (never, here).
    let n = chain.revisions().len();
    let (t_proto, ok) = timed(|| {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let fingerprint = |c: &rusqlite::Connection| -> String {
            let mut st = c
                .prepare_cached("SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master ORDER BY type, name)")
                .unwrap();
            st.query_row([], |r| r.get::<_, Option<String>>(0))
                .unwrap()
                .unwrap_or_default()
        };
        let mut same = true;
        for i in 0..n {
            let (up, down) = gen::step_sql(i);
            let before = fingerprint(&c);
            c.execute_batch(&format!("BEGIN; {up} COMMIT;")).unwrap();
            let after = fingerprint(&c);
            c.execute_batch(&format!("BEGIN; {down} COMMIT;")).unwrap();
            same &= fingerprint(&c) == before;
            c.execute_batch(&format!("BEGIN; {up} COMMIT;")).unwrap();
            same &= fingerprint(&c) == after;
        }
        same
    });
    emit(
        &section,
        "sqlite",
        "prototype of the fix: up/down/up comparing sqlite_master text",
        &[t_proto],
        if ok {
            "every downgrade restored the text exactly"
        } else {
            "some texts differed (would fall back to introspection)"
        },
    );
    let (t_head, _) = timed(|| migrate::head_schema(&chain).unwrap());
    emit(
        &section,
        "sqlite",
        "head schema for the snapshot check (migrate::head_schema)",
        &[t_head],
        "",
    );
}

// ---------------------------------------------------------------------------------------------
// For `perf record`: one phase in a loop.

/// `profile DIR WHAT ITER`: WHAT is `noop-sqlite` (upgrade_to_head with nothing pending, chain
/// parsed once), `parse` (parse + validate the chain), `drift-sqlite` (the boot drift check),
/// `drift-pg`, `round-trip` (the build script's check, once).
fn profile(gen_dir: &Path, what: &str, iter: usize) {
    let (dir, files) = embedded(&gen_dir.join("ours/versions"));
    let models = gen::chain_models(files.len());
    let work = work_dir(gen_dir);
    let m = fresh(dir, files);
    let start = Instant::now();
    match what {
        "parse" => (0..iter).for_each(|_| {
            fresh(dir, files).chain().unwrap();
        }),
        "noop-sqlite" | "drift-sqlite" | "boot-sqlite" => {
            let mut c = new_sqlite(&work.join("profile.db"));
            m.upgrade_to_head(&mut c).unwrap();
            for _ in 0..iter {
                if what == "noop-sqlite" {
                    m.upgrade_to_head(&mut c).unwrap();
                } else if what == "boot-sqlite" {
                    fresh(dir, files).boot(&mut c, &models).unwrap();
                } else {
                    migrate::drift(&mut c, &models).unwrap();
                }
            }
        }
        "noop-pg" | "drift-pg" => {
            let db = pg_db();
            let mut c = db.connect();
            m.upgrade_to_head(&mut c).unwrap();
            for _ in 0..iter {
                if what == "noop-pg" {
                    m.upgrade_to_head(&mut c).unwrap();
                } else {
                    migrate::drift(&mut c, &models).unwrap();
                }
            }
        }
        "round-trip" => {
            let chain = gen::read_chain(&gen_dir.join("ours/versions"));
            for _ in 0..iter {
                let mut c = rusqlite::Connection::open_in_memory().unwrap();
                migrate::round_trip(&chain, &mut c).unwrap();
            }
        }
        other => panic!("unknown profile target {other}"),
    }
    eprintln!(
        "{what}: {:.2} ms per iteration",
        start.elapsed().as_secs_f64() * 1e3 / iter as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str {
        args.get(i).map(String::as_str).unwrap_or_else(|| {
            eprintln!("usage: see the top of benches/harness/src/main.rs");
            std::process::exit(2)
        })
    };
    let num = |i: usize| -> usize { arg(i).parse().expect("a number") };
    match arg(0) {
        "gen" => {
            let dir = PathBuf::from(arg(1));
            let n = args.get(2).map_or(1000, |s| s.parse().unwrap());
            gen::write_chain(&dir, n, true);
            gen::write_autogen(&dir.join("autogen"));
            eprintln!(
                "wrote {n} revisions (ours and refinery) and the autogenerate projects under {}",
                dir.display()
            );
        }
        "gen-long" => {
            let dir = PathBuf::from(arg(1));
            gen::write_chain(&dir, num(2), false);
            eprintln!(
                "wrote {} revisions (ours and refinery) under {}",
                num(2),
                dir.display()
            );
        }
        "gen-one" => {
            gen::write_one(Path::new(arg(1)), num(2));
        }
        "boot" => boot(Path::new(arg(1)), num(2)),
        "apply" => apply(Path::new(arg(1)), num(2)),
        "drift" => drift(num(1), num(2), &work_dir(Path::new(arg(3)))),
        "autogen" => autogen(Path::new(arg(1)), arg(2), arg(3), num(4)),
        "ours-db" => ours_db(Path::new(arg(1)), arg(2), args[3..].to_vec()),
        "long-chain" => long_chain(Path::new(arg(1)), num(2)),
        "drop-kept-head" => {
            migrations_core::autogen::drop_kept_head(Path::new(arg(1)), arg(2)).unwrap();
        }
        "round-trip" => round_trip_phases(Path::new(arg(1))),
        "profile" => profile(Path::new(arg(1)), arg(2), num(3)),
        "busy" => busy(num(1), num(2)),
        other => {
            eprintln!("unknown command {other}; see the top of benches/harness/src/main.rs");
            std::process::exit(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. A busy table: how long a writer that inserts without pause stalls during each statement
// the lint flags, and during its safe form (migrations-core/tests/busy_table.rs asserts the
// waits; this measures them).

fn busy(rows: usize, reps: usize) {
    use migrations_core::testing::BusyWriter;
    const INSERT: &str = "INSERT INTO orders (customer_id, note, total) VALUES (1, 'new', 1)";
    // (what, setup run before the writer starts, the statement measured).
    let cases: [(&str, Option<&str>, &str); 7] = [
        ("flagged: CREATE INDEX", None, "CREATE INDEX orders_note ON orders (note)"),
        ("safe: CREATE INDEX CONCURRENTLY", None, "CREATE INDEX CONCURRENTLY orders_note_2 ON orders (note)"),
        ("flagged: ADD CHECK", None, "ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0)"),
        ("safe: ADD CHECK NOT VALID, then VALIDATE", Some("ALTER TABLE orders ADD CONSTRAINT orders_total_2 CHECK (total >= 0) NOT VALID"), "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_2"),
        ("flagged: SET NOT NULL", None, "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL"),
        ("safe: CHECK (… IS NOT NULL) NOT VALID, VALIDATE", Some("ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL; ALTER TABLE orders ADD CONSTRAINT orders_customer_nn CHECK (customer_id IS NOT NULL) NOT VALID"), "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_nn"),
        ("flagged: ALTER COLUMN TYPE (rewrite)", None, "ALTER TABLE orders ALTER COLUMN total TYPE BIGINT"),
    ];
    let section = format!("busy table, {rows} rows, a writer inserting without pause");
    let mut stalls: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut took: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut blocked: Vec<(u64, u64)> = vec![(0, 0); cases.len()];
    for rep in 0..reps {
        eprintln!("busy table: repetition {} of {reps}", rep + 1);
        let db = pg_db();
        let mut conn = db.connect();
        conn.batch_execute(&format!(
            "CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, customer_id INTEGER, note TEXT, total INTEGER);
             INSERT INTO orders (customer_id, note, total) SELECT g % 1000, md5(g::text), g FROM generate_series(1, {rows}) g;
             ANALYZE orders"
        ))
        .expect("fill the table");
        for (i, (_, setup, sql)) in cases.iter().enumerate() {
            if let Some(setup) = setup {
                conn.batch_execute(setup).expect("setup");
            }
            quiesce(Some(&mut conn));
            let writer = BusyWriter::start(&db.url, INSERT).expect("start the writer");
            // Let the writer reach its pace first.
            std::thread::sleep(Duration::from_millis(100));
            let start = Instant::now();
            conn.batch_execute(sql).expect("the statement");
            took[i].push(start.elapsed());
            std::thread::sleep(Duration::from_millis(50));
            let report = writer.finish();
            stalls[i].push(report.longest_write);
            blocked[i].0 += report.blocked_samples;
            blocked[i].1 += report.samples;
        }
    }
    for (i, (what, _, _)) in cases.iter().enumerate() {
        let (b, n) = blocked[i];
        let note = format!(
            "the statement took {:.0} ms (median); the writer waited for a lock in {b} of {n} samples",
            median(&took[i]).as_secs_f64() * 1e3
        );
        emit(
            &section,
            "postgres",
            &format!("{what}: the writer's longest insert"),
            &stalls[i],
            &note,
        );
    }
}
