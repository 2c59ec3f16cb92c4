//! The migration protocol, the same for every backend: lock, ensure the history table, verify
//! what was applied, plan, and run each revision with its history row in one transaction.

use crate::chain::{Chain, Target};
use crate::diff::{diff, Change};
use crate::driver::{self, AppliedRow, Driver, OnDrift, Options};
use crate::error::{Error, Problem, Result, StatementFailure};
use crate::render;
use crate::revision::{Dialect, Direction, Revision};
use crate::schema::Schema;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::Instant;

/// What one step of a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// Revision id.
    pub revision: String,
    /// Which way it ran.
    pub direction: Direction,
    /// `false` when another process had already done it, so this run skipped it.
    pub ran: bool,
    /// How long it took, in milliseconds.
    pub millis: i64,
}

/// Runs `f` holding the migration lock; the lock is released on every path, panics included.
pub fn with_lock<D: Driver + ?Sized, T>(
    conn: &mut D,
    options: &Options,
    f: impl FnOnce(&mut D) -> Result<T>,
) -> Result<T> {
    if !options.use_lock {
        return f(conn);
    }
    conn.lock(options)?;
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut *conn)));
    if outcome.is_err() {
        conn.rollback();
    }
    let unlocked = conn.unlock();
    match outcome {
        Ok(result) => {
            let value = result?;
            unlocked?;
            Ok(value)
        }
        Err(panic) => resume_unwind(panic),
    }
}

/// Checks the chain serves the connection's dialect.
fn check_dialect(chain: &Chain, dialect: Dialect) -> Result<()> {
    if chain.serves(dialect) {
        Ok(())
    } else {
        Err(Error::Other(format!(
            "the revisions serve {} but the database is {dialect}; add `-- +upgrade {dialect}` and \
             `-- +downgrade {dialect}` sections",
            chain
                .dialects()
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(" and ")
        )))
    }
}

/// Reads the history and checks it against the chain: every applied revision is known, its
/// file unchanged since (checksum), and its ancestors applied.
pub fn verified_history<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
) -> Result<BTreeSet<String>> {
    let rows = conn.applied()?;
    verify(chain, &rows)
}

/// The pure part of [`verified_history`].
pub fn verify(chain: &Chain, rows: &[AppliedRow]) -> Result<BTreeSet<String>> {
    let applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
    chain.check_applied(&applied)?;
    for row in rows {
        let rev = chain.get(&row.revision).expect("checked above");
        if rev.checksum != row.checksum {
            return Err(Error::ChecksumMismatch {
                revision: rev.id.clone(),
                file: rev.file_name().to_string(),
                recorded: row.checksum.clone(),
                embedded: rev.checksum.clone(),
            });
        }
    }
    Ok(applied)
}

/// The changes that would take the database to the models; empty when they agree.
///
/// Both sides are read as the database's dialect builds them: the live schema, and the models
/// as [`predicted_as_built`] (no database needed) or, when there is no prediction or it
/// disagrees with the live schema, as a scratch database built from the models' DDL reads back
/// (see [`Driver::introspect_scratch`]): what is reported as drift, or as models that do not
/// build, always comes from a real build.
pub fn drift<D: Driver + ?Sized>(conn: &mut D, models: &Schema) -> Result<Vec<Change>> {
    let actual = conn.introspect()?;
    if let Some(predicted) = predicted_as_built(conn.dialect(), models) {
        if diff(&actual, &predicted).is_empty() {
            return Ok(Vec::new());
        }
    }
    let expected = models_as_built(conn, models)?;
    Ok(diff(&actual, &expected))
}

/// The models as the connection's dialect builds them, read back from a scratch database.
pub fn models_as_built<D: Driver + ?Sized>(conn: &mut D, models: &Schema) -> Result<Schema> {
    let ddl = render::schema_ddl(conn.dialect(), models);
    conn.introspect_scratch(&ddl)
}

/// The models as `dialect` builds them, computed without a database where this crate can say
/// exactly ([`sqlite::as_built`](crate::driver::sqlite::as_built),
/// [`postgres::as_built`](crate::driver::postgres::as_built)); `None` where only a build tells
/// ([`models_as_built`]).
pub fn predicted_as_built(dialect: Dialect, models: &Schema) -> Option<Schema> {
    match dialect {
        #[cfg(feature = "rusqlite")]
        Dialect::Sqlite => crate::driver::sqlite::as_built(models),
        #[cfg(feature = "postgres")]
        Dialect::Postgres => crate::driver::postgres::as_built(models),
        #[allow(unreachable_patterns)]
        _ => {
            let _ = models;
            None
        }
    }
}

/// Boots: upgrade to head, then the drift check.
pub fn boot<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    models: &Schema,
    options: &Options,
) -> Result<Vec<StepReport>> {
    let steps = upgrade(chain, conn, &Target::Head, options)?;
    check_drift(conn, models, options)?;
    Ok(steps)
}

/// The drift check of [`boot`]: refuses (or, with [`OnDrift::Warn`], logs) every difference
/// between the database and the models.
///
/// A clean check is remembered in [`driver::DRIFT_CHECK_TABLE`] with the models' hash and the
/// schema version ([`Driver::schema_version`]); while neither changes, the next boot reads
/// those two values and skips building the models in a scratch database. Any change to the
/// schema, by anyone, or to the models, or a new version of this crate, runs the whole check
/// again. A check that finds drift forgets the remembered one.
pub fn check_drift<D: Driver + ?Sized>(
    conn: &mut D,
    models: &Schema,
    options: &Options,
) -> Result<()> {
    let key = models_key(conn.dialect(), models);
    // A database that cannot say (or answer) is simply checked in full.
    let mut checked = if options.remember_drift_check {
        conn.schema_version().ok().flatten()
    } else {
        None
    };
    if let Some(version) = &checked {
        if let Ok(Some((k, v))) = conn.clean_check() {
            if k == key && v == *version {
                log::debug!("no drift: models and schema unchanged since the last clean check");
                return Ok(());
            }
        }
        // The memory does not apply: empty it (creating its table when needed, which changes
        // the schema version) before checking, so that what is remembered afterwards is the
        // very version that was checked, and a check that finds drift leaves nothing behind.
        checked = match write_drift_memory(conn, None) {
            Ok(()) => conn.schema_version().ok().flatten(),
            Err(e) => {
                // Only a cost (every boot checks in full), e.g. on a read-only database.
                log::debug!("cannot remember drift checks: {e}");
                None
            }
        };
    }
    let changes = drift(conn, models)?;
    if let (Some(version), true) = (checked, changes.is_empty()) {
        if let Err(e) = write_drift_memory(conn, Some((&key, &version))) {
            log::debug!("could not remember the drift check: {e}");
        }
    }
    if !changes.is_empty() {
        let lines: Vec<String> = changes.iter().map(Change::drift).collect();
        match options.drift {
            OnDrift::Fail => return Err(Error::Drift(lines)),
            OnDrift::Warn => {
                for l in &lines {
                    log::warn!("schema drift: {l}");
                }
            }
        }
    }
    Ok(())
}

/// What identifies the models for the drift check's memory: this crate's version, the dialect
/// and the models themselves (their DDL is a function of these three), hashed without
/// rendering anything, with foldhash's quality hasher (a fixed seed; twice as fast as SipHash
/// here: 75 µs for 500 tables). Another hasher version only costs one whole check.
fn models_key(dialect: Dialect, models: &Schema) -> String {
    use std::hash::BuildHasher;
    let state = foldhash::quality::FixedState::with_seed(0x6d69_6772_6174_6521);
    format!(
        "{:016x}",
        state.hash_one((env!("CARGO_PKG_VERSION"), dialect, models))
    )
}

/// Empties the drift check's memory (`None`), or remembers a clean check of `(models key,
/// schema version checked)` — unless the schema version is no longer the one checked (another
/// process or a hand edit changed the schema meanwhile): then the next boot checks in full.
/// The version written is the one checked, never one read afterwards, so a change committed by
/// someone else between the comparison and the commit makes the memory stale, not wrong.
fn write_drift_memory<D: Driver + ?Sized>(conn: &mut D, clean: Option<(&str, &str)>) -> Result<()> {
    conn.begin()?;
    let result = (|| {
        if let Some((_, checked)) = clean {
            if conn.schema_version()?.as_deref() != Some(checked) {
                return Ok(());
            }
        }
        conn.set_clean_check(clean)
    })();
    match result {
        Ok(()) => conn.commit(),
        Err(e) => {
            conn.rollback();
            Err(e)
        }
    }
}

/// Applies every revision of the chain to `conn` (an empty scratch database) without logging
/// or locking.
pub fn apply_quietly<D: Driver + ?Sized>(chain: &Chain, conn: &mut D) -> Result<()> {
    let quiet = Options {
        use_lock: false,
        ..Options::default()
    };
    upgrade_logged(chain, conn, &Target::Head, &quiet, false).map(drop)
}

/// [`apply_quietly`], then the schema read back: the chain's head schema on `conn`'s dialect.
pub fn build_head<D: Driver + ?Sized>(chain: &Chain, conn: &mut D) -> Result<Schema> {
    apply_quietly(chain, conn)?;
    conn.introspect()
}

/// [`build_head`] on an empty in-memory SQLite database: the head schema, as the snapshot
/// shows it.
#[cfg(feature = "rusqlite")]
pub fn head_schema(chain: &Chain) -> Result<Schema> {
    let mut conn = rusqlite::Connection::open_in_memory().map_err(|source| Error::Sqlite {
        context: "opening an in-memory database".into(),
        source,
    })?;
    build_head(chain, &mut conn)
}

/// Whether a `schema.snapshot` file shows the chain's head schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotStatus {
    /// It does.
    Current,
    /// It shows something else.
    Stale,
    /// There is no file.
    Missing,
}

/// Compares the file at `path` with `head`, the head schema of `chain` (see [`head_schema`]).
pub fn snapshot_status(chain: &Chain, head: &Schema, path: &std::path::Path) -> SnapshotStatus {
    let want = render_snapshot(chain, head);
    match std::fs::read_to_string(path) {
        Ok(have) if crate::revision::normalize(&have) == want => SnapshotStatus::Current,
        Ok(_) => SnapshotStatus::Stale,
        Err(_) => SnapshotStatus::Missing,
    }
}

/// The dialect `schema.snapshot` shows the head schema in: SQLite when the revisions serve it
/// (no server needed, and the build can check it), else PostgreSQL.
pub fn snapshot_dialect(chain: &Chain) -> Dialect {
    if chain.serves(Dialect::Sqlite) {
        Dialect::Sqlite
    } else {
        Dialect::Postgres
    }
}

/// The text of `schema.snapshot` for the chain's head schema, as read in
/// [`snapshot_dialect`].
pub fn render_snapshot(chain: &Chain, schema: &Schema) -> String {
    let reader = match snapshot_dialect(chain) {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
    };
    format!(
        "# The schema at head ({}), as {reader} reports it after all revisions.\n# Written by `db snapshot` and `db revision`; checked by the build and by tests. Do not edit.\n\n{}",
        chain.head().id,
        schema.render()
    )
}

/// Moves the database up to `target`.
pub fn upgrade<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
) -> Result<Vec<StepReport>> {
    upgrade_logged(chain, conn, target, options, true)
}

fn upgrade_logged<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
    logged: bool,
) -> Result<Vec<StepReport>> {
    check_dialect(chain, conn.dialect())?;
    with_lock(conn, options, |conn| {
        conn.ensure_history()?;
        let applied = verify(chain, &conn.applied_rows()?)?;
        let plan = chain.plan_upgrade(&applied, target)?;
        if plan.is_empty() {
            log::debug!(
                "database is up to date at {}",
                describe_current(chain, &applied)
            );
        }
        plan.into_iter()
            .map(|rev| run_step(chain, conn, rev, Direction::Upgrade, logged))
            .collect()
    })
}

/// Moves the database down to `target`.
pub fn downgrade<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
) -> Result<Vec<StepReport>> {
    check_dialect(chain, conn.dialect())?;
    with_lock(conn, options, |conn| {
        conn.ensure_history()?;
        let applied = verify(chain, &conn.applied_rows()?)?;
        let plan = chain.plan_downgrade(&applied, target)?;
        if let Some(rev) = plan.iter().find(|r| r.irreversible.is_some()) {
            return Err(Error::BadTarget(format!(
                "revision {} ({}) is irreversible: {}; nothing was changed",
                rev.id,
                rev.file_name(),
                rev.irreversible.as_deref().unwrap_or_default()
            )));
        }
        plan.into_iter()
            .map(|rev| run_step(chain, conn, rev, Direction::Downgrade, true))
            .collect()
    })
}

/// Sets the history to exactly `target` and its ancestors, running no revision.
pub fn stamp<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
) -> Result<()> {
    let want: BTreeSet<String> = match target {
        Target::Base => BTreeSet::new(),
        Target::Head => chain.lineage(chain.head()),
        Target::Revision(spec) => chain.lineage(chain.resolve(spec)?),
        Target::Relative(_) => {
            return Err(Error::BadTarget(
                "`stamp` takes a revision, `head` or `base`, not a relative step".into(),
            ))
        }
    };
    with_lock(conn, options, |conn| {
        conn.ensure_history()?;
        conn.begin()?;
        let result = (|| {
            let rows = conn.applied_rows()?;
            for row in &rows {
                if !want.contains(&row.revision) {
                    conn.unrecord(&row.revision)?;
                }
            }
            for rev in chain.revisions() {
                if want.contains(&rev.id) {
                    if let Some(row) = rows.iter().find(|r| r.revision == rev.id) {
                        if row.checksum == rev.checksum {
                            continue;
                        }
                        conn.unrecord(&rev.id)?;
                    }
                    conn.record(&rev.id, &rev.checksum, 0)?;
                }
            }
            Ok(())
        })();
        match result {
            Ok(()) => commit_or_roll_back(conn),
            Err(e) => {
                conn.rollback();
                Err(e)
            }
        }
    })
}

/// Runs one revision in one direction, with its history row, in one transaction (or, for
/// `Transaction: none`, statement by statement and then the history row). A `Foreign-Keys: off`
/// revision runs, on SQLite, with foreign keys off around its transaction and a foreign key
/// check before it commits.
fn run_step<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    rev: &Revision,
    direction: Direction,
    logged: bool,
) -> Result<StepReport> {
    let fk_off = rev.foreign_keys_off && conn.dialect() == Dialect::Sqlite;
    let was_on = if fk_off {
        conn.set_foreign_keys(false)?
    } else {
        false
    };
    let result = run_step_inner(chain, conn, rev, direction, logged, fk_off);
    if was_on {
        conn.set_foreign_keys(true)?;
    }
    result
}

fn run_step_inner<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    rev: &Revision,
    direction: Direction,
    logged: bool,
    fk_check: bool,
) -> Result<StepReport> {
    let dialect = conn.dialect();
    let section = rev
        .section_for(direction, dialect)
        .map(|s| s.statements(dialect))
        .unwrap_or_default();
    let from_to = describe_step(chain, rev, direction);
    let start = Instant::now();
    let report = |ran: bool, start: Instant| StepReport {
        revision: rev.id.clone(),
        direction,
        ran,
        millis: start.elapsed().as_millis() as i64,
    };
    let fail = |stmt: &crate::sql::Statement, message: String| {
        Error::StatementFailed(Box::new(StatementFailure {
            revision: rev.id.clone(),
            file: rev.file.clone(),
            line: stmt.line,
            direction: direction.name(),
            statement: stmt.sql.clone(),
            message,
            transactional: rev.transactional,
        }))
    };
    let done = |applied: bool| match direction {
        Direction::Upgrade => applied,
        Direction::Downgrade => !applied,
    };
    // The foreign key check, the history row and the commit.
    let bookkeeping = |conn: &mut D, millis: i64| {
        if fk_check {
            let violations = conn.foreign_key_violations()?;
            if !violations.is_empty() {
                return Err(Error::Other(format!(
                    "{} of revision {} ({}) leaves rows that break foreign keys: {}; the revision was not recorded",
                    direction.name(),
                    rev.id,
                    rev.file_name(),
                    violations.join("; ")
                )));
            }
        }
        let row = match direction {
            Direction::Upgrade => Some((rev.checksum.as_str(), millis)),
            Direction::Downgrade => None,
        };
        conn.finish_step(&rev.id, row)
    };

    if rev.transactional {
        let result = (|| {
            if done(conn.begin_step(&rev.id)?) {
                conn.commit()?;
                return Ok(false);
            }
            if logged {
                log::info!("Running {from_to}");
            }
            for stmt in &section {
                conn.execute(&stmt.sql).map_err(|m| fail(stmt, m))?;
            }
            bookkeeping(conn, start.elapsed().as_millis() as i64)?;
            Ok(true)
        })();
        match result {
            Ok(ran) => {
                if !ran {
                    log::info!("{} was already done by another process", rev.id);
                }
                Ok(report(ran, start))
            }
            Err(e) => {
                // Also when the commit itself failed (SQLite busy past the timeout): no
                // transaction is left open on the caller's connection.
                conn.rollback();
                Err(e)
            }
        }
    } else {
        // Held until the history row is written, so another process waits, then skips it.
        let _lock = conn.lock_untransacted()?;
        if done(conn.is_applied(&rev.id)?) {
            log::info!("{} was already done by another process", rev.id);
            return Ok(report(false, start));
        }
        if logged {
            log::info!("Running {from_to} (outside a transaction)");
        }
        for stmt in &section {
            conn.execute(&stmt.sql).map_err(|m| fail(stmt, m))?;
        }
        conn.begin()?;
        if let Err(e) = bookkeeping(conn, start.elapsed().as_millis() as i64) {
            conn.rollback();
            return Err(e);
        }
        Ok(report(true, start))
    }
}

/// Commits; when the commit itself fails (SQLite busy past the timeout), rolls back so no
/// transaction is left open on the caller's connection.
fn commit_or_roll_back<D: Driver + ?Sized>(conn: &mut D) -> Result<()> {
    conn.commit().inspect_err(|_| conn.rollback())
}

/// How many of the chain's first revisions the history `rows` hold, when they are exactly
/// those, unchanged (same checksums); `None` otherwise.
pub fn applied_prefix(chain: &Chain, rows: &[AppliedRow]) -> Option<usize> {
    let prefix = chain.revisions().get(..rows.len())?;
    let mut want: Vec<(&str, &str)> = prefix
        .iter()
        .map(|r| (r.id.as_str(), r.checksum.as_str()))
        .collect();
    want.sort_unstable();
    rows.iter()
        .all(|row| driver::is_expected(&want, &row.revision, &row.checksum))
        .then_some(rows.len())
}

/// `upgrade aaaa -> bbbb, message` in Alembic's words.
fn describe_step(chain: &Chain, rev: &Revision, direction: Direction) -> String {
    let parents: Vec<&str> = chain
        .parents_of(rev)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let parents = if parents.is_empty() {
        "<base>".to_string()
    } else {
        parents.join(", ")
    };
    match direction {
        Direction::Upgrade => format!("upgrade {parents} -> {}, {}", rev.id, rev.summary()),
        Direction::Downgrade => format!("downgrade {} -> {parents}, {}", rev.id, rev.summary()),
    }
}

/// The current revision(s) in words: an id, several ids, or `base`.
pub fn describe_current(chain: &Chain, applied: &BTreeSet<String>) -> String {
    let current = chain.current(applied);
    if current.is_empty() {
        "base".into()
    } else {
        current
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The SQL a run would execute, in order, bookkeeping included, for `--sql`. Touches nothing.
pub fn render_plan(
    chain: &Chain,
    dialect: Dialect,
    plan: &[&Revision],
    direction: Direction,
    create_history: bool,
) -> String {
    let mut out = String::new();
    if create_history {
        out.push_str(&driver::history_ddl(dialect));
        out.push_str(";\n\n");
    }
    for rev in plan {
        out.push_str(&format!(
            "-- Running {} ({})\n",
            describe_step(chain, rev, direction),
            rev.file_name()
        ));
        let statements = rev
            .section_for(direction, dialect)
            .map(|s| s.statements(dialect))
            .unwrap_or_default();
        let fk_off = rev.foreign_keys_off && dialect == Dialect::Sqlite;
        if fk_off {
            out.push_str("PRAGMA foreign_keys = OFF;\n");
        }
        if rev.transactional {
            out.push_str(driver::begin_sql(dialect));
            out.push_str(";\n");
        }
        for s in statements {
            out.push_str(&s.sql);
            out.push_str(";\n");
        }
        if fk_off {
            out.push_str("PRAGMA foreign_key_check;\n");
        }
        out.push_str(&match direction {
            Direction::Upgrade => driver::record_sql(&rev.id, &rev.checksum),
            Direction::Downgrade => driver::unrecord_sql(&rev.id),
        });
        out.push_str(";\n");
        if rev.transactional {
            out.push_str("COMMIT;\n");
        }
        if fk_off {
            out.push_str("PRAGMA foreign_keys = ON; -- when it was on before\n");
        }
        out.push('\n');
    }
    out
}

/// Runs every revision up, down and up again on `conn` (which must start empty), and checks
/// that each downgrade restores exactly the schema from before its upgrade and that the second
/// upgrade gives the same schema as the first.
///
/// `conn` may instead hold the first revisions of the chain, in its order and unchanged
/// (checksums), as an earlier round trip left them: those are not run again. This is how the
/// build re-checks only what is new.
///
/// # Failure
///
/// One problem per revision that fails to run or does not round-trip, naming its file, the
/// statement's line where one failed, and the schema differences.
pub fn round_trip<D: Driver + ?Sized>(chain: &Chain, conn: &mut D) -> Result<(), Vec<Problem>> {
    let dialect = conn.dialect();
    let fatal = |rev: &Revision, e: Error| -> Vec<Problem> {
        let (line, msg) = match &e {
            Error::StatementFailed(f) => (
                f.line,
                format!("{} fails on {dialect}: {}", f.direction, f.message),
            ),
            other => (0, format!("cannot run on {dialect}: {other}")),
        };
        vec![Problem::new(
            &rev.file,
            line,
            msg,
            "fix the SQL (it must run on an empty database after the revisions before it)",
        )]
    };
    let applied = match conn.ensure_history().and_then(|()| conn.applied_rows()) {
        Ok(rows) => rows,
        Err(e) => return Err(vec![Problem::new("", 0, e.to_string(), "")]),
    };
    let done = applied_prefix(chain, &applied).ok_or_else(|| {
        vec![Problem::new(
            "",
            0,
            "the database holds revisions that are not the first ones of the chain, unchanged",
            "start the round trip from an empty database",
        )]
    })?;
    let mut problems = Vec::new();
    // Where the database keeps its schema as statements (SQLite), equal statements are an equal
    // schema: compare those, and introspect only when they differ (rebuilding the earlier state
    // from its statements in a scratch database). Elsewhere, introspect every state, reusing
    // the tables that did not change.
    let mut cache = driver::SchemaCache::default();
    let Some(first) = chain.revisions().get(done) else {
        return Ok(()); // all checked before
    };
    let mut state = |conn: &mut D| -> Result<State> {
        Ok(match conn.schema_statements()? {
            Some(statements) => State::Statements(statements),
            None => State::Schema(conn.introspect_cached(&mut cache)?),
        })
    };
    let mut current = state(conn).map_err(|e| fatal(first, e))?;
    for rev in &chain.revisions()[done..] {
        let before = std::mem::replace(&mut current, State::Schema(Schema::default()));
        run_step(chain, conn, rev, Direction::Upgrade, false).map_err(|e| fatal(rev, e))?;
        let after = state(conn).map_err(|e| fatal(rev, e))?;
        if rev.irreversible.is_some() {
            current = after;
            continue;
        }
        run_step(chain, conn, rev, Direction::Downgrade, false).map_err(|e| fatal(rev, e))?;
        let restored = state(conn).map_err(|e| fatal(rev, e))?;
        let diffs = State::differences(&before, &restored, conn).map_err(|e| fatal(rev, e))?;
        if !diffs.is_empty() {
            problems.push(Problem::new(
                &rev.file,
                rev.downgrade(dialect).map_or(0, |s| s.line),
                format!(
                    "the {dialect} downgrade does not restore the schema from before the upgrade ({})",
                    describe_diffs(&diffs, "left by the downgrade", "missing after the downgrade")
                ),
                "make the downgrade undo exactly what the upgrade does",
            ));
            // The database is now in a state no revision expects: later revisions cannot be
            // checked from here.
            return Err(problems);
        }
        run_step(chain, conn, rev, Direction::Upgrade, false).map_err(|e| fatal(rev, e))?;
        let again = state(conn).map_err(|e| fatal(rev, e))?;
        let diffs = State::differences(&after, &again, conn).map_err(|e| fatal(rev, e))?;
        current = again;
        if !diffs.is_empty() {
            problems.push(Problem::new(
                &rev.file,
                rev.upgrade(dialect).map_or(0, |s| s.line),
                format!(
                    "upgrading again after the downgrade gives a different {dialect} schema ({})",
                    describe_diffs(&diffs, "only the second time", "only the first time")
                ),
                "make the downgrade undo exactly what the upgrade does",
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A database state in the round trip: its schema statements where the database keeps them,
/// else its introspected schema.
enum State {
    Statements(Vec<String>),
    Schema(Schema),
}

impl State {
    /// The differences from `a` to `b` (see [`Schema::differences`]); statements that differ
    /// are rebuilt in scratch databases and compared as schemas (the same schema may be
    /// spelt two ways).
    fn differences<D: Driver + ?Sized>(a: &State, b: &State, conn: &mut D) -> Result<Vec<String>> {
        let schema = |s: &State, conn: &mut D| -> Result<Schema> {
            match s {
                State::Statements(stmts) => conn.introspect_scratch(stmts),
                State::Schema(schema) => Ok(schema.clone()),
            }
        };
        match (a, b) {
            (State::Statements(x), State::Statements(y)) if x == y => Ok(Vec::new()),
            (State::Schema(x), State::Schema(y)) if x == y => Ok(Vec::new()),
            _ => Ok(schema(a, conn)?.differences(&schema(b, conn)?)),
        }
    }
}

fn describe_diffs(diffs: &[String], plus: &str, minus: &str) -> String {
    diffs
        .iter()
        .map(|d| {
            if let Some(x) = d.strip_prefix("+ ") {
                format!("{plus}: {x}")
            } else if let Some(x) = d.strip_prefix("- ") {
                format!("{minus}: {x}")
            } else {
                d.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(all(test, feature = "rusqlite"))]
mod tests {
    use super::*;
    use crate::revision::parse;
    use rusqlite::Connection;

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
        let (key, version) = conn.clean_check().unwrap().expect("remembered");
        assert_eq!(Some(version.clone()), conn.schema_version().unwrap());
        // The memory never shows up as part of the schema.
        assert!(drift(&mut conn, &models).unwrap().is_empty());

        // While both are unchanged, the memory is trusted (here, a lie planted by hand: the
        // table it describes is gone, and the boot does not look).
        conn.execute_batch(
            "BEGIN; DROP TABLE todos; CREATE TABLE todos (id INTEGER PRIMARY KEY); COMMIT",
        )
        .unwrap();
        let now = conn.schema_version().unwrap().unwrap();
        conn.execute_batch("BEGIN").unwrap();
        conn.set_clean_check(Some((&key, &now))).unwrap();
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
        assert_eq!(conn.clean_check().unwrap(), None);

        // A change of the schema by anyone: checked in full.
        let mut conn = Connection::open_in_memory().unwrap();
        boot(&chain, &mut conn, &models, &opts).unwrap();
        assert!(conn.clean_check().unwrap().is_some());
        conn.execute_batch("ALTER TABLE todos ADD COLUMN priority INTEGER")
            .unwrap();
        let err = boot(&chain, &mut conn, &models, &opts)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("todos.priority: in the database, not in the models"),
            "{err}"
        );
        assert_eq!(conn.clean_check().unwrap(), None);

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
            msg.contains(
                "revision bbbbbbbbbbbb failed at v/bbbbbbbbbbbb_r.sql:7: no such table: nope"
            ),
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
}
