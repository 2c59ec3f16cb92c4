//! The migration protocol, the same for every backend: ensure the history table, verify what
//! was applied, plan, and run each revision with its history row in one transaction that holds
//! the migration lock and reads the history again.
//!
//! | module | what |
//! |---|---|
//! | this one | upgrade, downgrade, stamp, repair: the runner |
//! | [`mod@lock`] | the migration lock, inside each transaction |
//! | [`mod@history`] | the history table, through [`Driver::run_sql`]/[`Driver::query_sql`] |
//! | [`mod@drift`] | the drift check and its memory |
//! | [`snapshot`] | the head schema and `schema.snapshot` |
//! | [`offline`] | `--sql`: the statements a run would send, printed; offline planning from a revision |
//! | [`mod@round_trip`] | the build's check that every downgrade undoes its upgrade |
//! | `partitioned` | the same on SQLite, in time linear in the chain's length (feature `rusqlite`) |

pub mod drift;
pub mod history;
pub mod lock;
pub mod offline;
#[cfg(feature = "rusqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "rusqlite")))]
pub mod partitioned;
pub mod round_trip;
pub mod snapshot;
pub mod stored;
#[cfg(all(test, feature = "rusqlite"))]
mod tests;

pub use drift::{check_drift, drift, models_as_built, predicted_as_built};
pub use history::{history, AppliedRow};
pub use offline::render_plan;
pub use round_trip::round_trip;
#[cfg(all(feature = "postgres", feature = "rusqlite"))]
pub(crate) use snapshot::apply_quietly_to;
#[cfg(feature = "rusqlite")]
pub use snapshot::head_schema;
pub use snapshot::{
    apply_quietly, build_head, render_snapshot, snapshot_dialect, snapshot_status, SnapshotStatus,
};

use crate::bookkeeping;
use crate::chain::{Chain, Target};
use crate::dialect::sqlite::alter::REBUILD_PREFIX;
use crate::dialect::Dialect;
use crate::driver::{DbErrorKind, Driver, Options};
use crate::error::{Error, Interrupted, Result, StatementFailure, Violation};
use crate::revision::{Direction, Revision};
use std::collections::BTreeSet;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::Instant;

/// What one step of a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

/// Runs `f` as a run: between [`Driver::begin_run`] and [`Driver::end_run`], which is called on
/// every path, panics included; a transaction a panic left open is rolled back (and with it
/// the migration lock it held).
pub fn with_run<D: Driver + ?Sized, T>(
    conn: &mut D,
    options: &Options,
    f: impl FnOnce(&mut D) -> Result<T>,
) -> Result<T> {
    conn.begin_run(options)?;
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut *conn)));
    if outcome.is_err() {
        history::rollback(conn);
    }
    let ended = conn.end_run();
    match outcome {
        Ok(result) => {
            let value = result?;
            ended?;
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
        Err(Error::DialectNotServed {
            served: chain.dialects().to_vec(),
            database: dialect,
        })
    }
}

/// Reads the history and checks it against the chain: every applied revision is known, its
/// file unchanged since (checksum), and its ancestors applied.
pub fn verified_history<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
) -> Result<BTreeSet<String>> {
    let rows = history::history(conn)?;
    verify(chain, &rows)
}

/// The pure part of [`verified_history`].
pub fn verify(chain: &Chain, rows: &[history::AppliedRow]) -> Result<BTreeSet<String>> {
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

/// Moves the database up to `target`.
pub fn upgrade<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
) -> Result<Vec<StepReport>> {
    upgrade_logged(chain, conn, target, options, true)
}

/// What every run does first: make sure the history table exists, note the session as it is,
/// and read and verify the history (read again by each revision once it holds the lock).
fn start_run<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    options: &Options,
) -> Result<(Session, BTreeSet<String>)> {
    let (session, rows) = start_run_rows(conn, options)?;
    Ok((session, verify(chain, &rows)?))
}

/// [`start_run`] before the verification: the session and the history's rows.
fn start_run_rows<D: Driver + ?Sized>(
    conn: &mut D,
    options: &Options,
) -> Result<(Session, Vec<history::AppliedRow>)> {
    history::ensure(conn, options)?;
    let session = Session::capture(conn, options)?;
    Ok((session, history::rows_bounded(conn, options)?))
}

pub(crate) fn upgrade_logged<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
    logged: bool,
) -> Result<Vec<StepReport>> {
    check_dialect(chain, conn.dialect())?;
    with_run(conn, options, |conn| {
        let (session, applied) = start_run(chain, conn, options)?;
        let plan = chain.plan_upgrade(&applied, target)?;
        if plan.is_empty() {
            log::debug!(
                "database is up to date at {}",
                describe_current(chain, &applied)
            );
        }
        plan.into_iter()
            .map(|rev| run_step(chain, conn, &session, rev, Direction::Upgrade, logged))
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
    with_run(conn, options, |conn| {
        // Applied revisions this build does not know (a rolled-back deploy) are downgraded
        // from their stored files; `head` is then this build's head.
        let (session, rows) = start_run_rows(conn, options)?;
        let joined = stored::join(chain, conn, &rows)?;
        let (chain, target) = match &joined {
            Some(joined) => (
                joined,
                match target {
                    Target::Head => Target::Revision(chain.head().id.clone()),
                    other => other.clone(),
                },
            ),
            None => (chain, target.clone()),
        };
        let applied = verify(chain, &rows)?;
        let plan = chain.plan_downgrade(&applied, &target)?;
        if let Some(rev) = plan.iter().find(|r| r.irreversible.is_some()) {
            return Err(Error::BadTarget(format!(
                "revision {} ({}) is irreversible: {}; nothing was changed",
                rev.id,
                rev.file_name(),
                rev.irreversible.as_deref().unwrap_or_default()
            )));
        }
        plan.into_iter()
            .map(|rev| run_step(chain, conn, &session, rev, Direction::Downgrade, true))
            .collect()
    })
}

/// Sets the history to exactly `target` and its ancestors, running no revision. Returns the
/// revisions that were recorded already with another checksum (their files were edited after
/// they ran): their new checksums are recorded, and what the edit changed was not run, which
/// the caller should say.
pub fn stamp<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    target: &Target,
    options: &Options,
) -> Result<Vec<String>> {
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
    with_run(conn, options, |conn| {
        history::ensure(conn, options)?;
        locked(conn, options, |conn| {
            if history::exists(conn, bookkeeping::IN_PROGRESS_TABLE)? {
                conn.run_sql(&bookkeeping::unmark_all_sql())
                    .map_err(|e| Error::protocol("clearing the marks of started revisions", e))?;
            }
            let rows = history::rows(conn)?;
            for row in &rows {
                if !want.contains(&row.revision) {
                    history::unrecord(conn, &row.revision)?;
                }
            }
            let mut edited = Vec::new();
            for rev in chain.revisions() {
                if want.contains(&rev.id) {
                    if let Some(row) = rows.iter().find(|r| r.revision == rev.id) {
                        if row.checksum == rev.checksum {
                            continue;
                        }
                        edited.push(rev.id.clone());
                        history::unrecord(conn, &rev.id)?;
                    }
                    history::record(conn, rev)?;
                }
            }
            Ok(edited)
        })
    })
}

/// Runs `f` in a transaction that holds the migration lock, and commits what it did, or rolls
/// it back when it fails.
fn locked<D: Driver + ?Sized, T>(
    conn: &mut D,
    options: &Options,
    f: impl FnOnce(&mut D) -> Result<T>,
) -> Result<T> {
    lock::begin_locked(conn, options)?;
    match f(conn) {
        Ok(value) => history::commit_or_roll_back(conn).map(|()| value),
        Err(e) => {
            history::rollback(conn);
            Err(e)
        }
    }
}

/// What [`repair`] found and did: the revision, and its checksum as recorded before and as
/// its file has it now (equal when there was nothing to repair).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repaired {
    /// Revision id.
    pub revision: String,
    /// File name of the revision.
    pub file: String,
    /// The checksum the history recorded.
    pub recorded: String,
    /// The checksum of the file this build carries, now recorded.
    pub now: String,
}

/// Accepts the edit of an applied revision's file (`db repair`, Flyway's repair for one
/// revision): records the checksum of the file as this build carries it in place of the one
/// recorded when it was applied, in a transaction that holds the migration lock. It runs none
/// of the revision's SQL: the database keeps what the revision did when it ran, so use it only
/// for an edit that changes nothing that ran (reformatting, comments, a statement's spelling).
///
/// # Failure
///
/// When `spec` names no revision of the chain, or one that is not applied.
pub fn repair<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    spec: &str,
    options: &Options,
) -> Result<Repaired> {
    let rev = chain.resolve(spec)?;
    let not_applied = || {
        Error::BadTarget(format!(
            "revision {} ({}) is not applied: `db repair` records a new checksum for an applied \
             revision only (an edit of a revision not yet applied needs nothing); nothing was changed",
            rev.id,
            rev.file_name()
        ))
    };
    with_run(conn, options, |conn| {
        if !history::exists(conn, bookkeeping::HISTORY_TABLE)? {
            return Err(not_applied());
        }
        locked(conn, options, |conn| {
            let rows = history::rows(conn)?;
            let row = rows
                .iter()
                .find(|r| r.revision == rev.id)
                .ok_or_else(not_applied)?;
            if row.checksum != rev.checksum {
                // The stored file follows, so that an older build's downgrade of it checks.
                let sql = format!(
                    "{}; {}",
                    bookkeeping::rechecksum_sql(&rev.id, &rev.checksum),
                    bookkeeping::store_sql(conn.dialect(), &rev.id, rev.file_name(), &rev.source)
                );
                conn.run_sql(&sql)
                    .map_err(|e| Error::protocol("recording the revision's new checksum", e))?;
            }
            Ok(Repaired {
                revision: rev.id.clone(),
                file: rev.file_name().to_string(),
                recorded: row.checksum.clone(),
                now: rev.checksum.clone(),
            })
        })
    })
}

/// Runs one revision in one direction, with its history row, in one transaction (or, for
/// `Transaction: none`, statement by statement and then the history row). A `Foreign-Keys: off`
/// revision runs, on SQLite, with foreign keys off around its transaction and a foreign key
/// check before it commits.
pub(crate) fn run_step<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    session: &Session,
    rev: &Revision,
    direction: Direction,
    logged: bool,
) -> Result<StepReport> {
    let fk_off = rev.foreign_keys_off && conn.dialect() == Dialect::Sqlite;
    let was_on = if fk_off {
        set_foreign_keys(conn, false)?
    } else {
        false
    };
    let result = run_step_inner(chain, conn, session, rev, direction, logged, fk_off);
    if was_on {
        set_foreign_keys(conn, true)?;
    }
    result
}

fn run_step_inner<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    session: &Session,
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
    let fail = |stmt: &crate::sql::Statement, e: &crate::driver::DbError| {
        Error::StatementFailed(Box::new(StatementFailure {
            revision: rev.id.clone(),
            file: rev.file.clone(),
            line: stmt.line,
            direction: direction.name(),
            statement: stmt.sql.clone(),
            message: match dialect {
                // A rebuild copies the rows into `_migrations_new_users`: name `users`.
                Dialect::Sqlite => e.message().replace(REBUILD_PREFIX, ""),
                _ => e.message().to_string(),
            },
            transactional: rev.transactional,
            connection_lost: e.kind() == DbErrorKind::ConnectionLost,
            violation: match e.kind() {
                DbErrorKind::ConstraintViolation => e.code().and_then(Violation::from_code),
                _ => None,
            },
        }))
    };
    let done = |applied: bool| done(direction, applied);
    // The foreign key check, the history row and the commit.
    let bookkeeping = |conn: &mut D, millis: i64| {
        if fk_check {
            let violations = foreign_key_violations(conn)?;
            if !violations.is_empty() {
                return Err(Error::ForeignKeyViolations {
                    revision: rev.id.clone(),
                    file: rev.file_name().to_string(),
                    direction: direction.name(),
                    violations,
                });
            }
        }
        let row = bookkeeping::step_rows_sql(conn.dialect(), rev, direction, millis);
        match &session.restore {
            Some(restore) => conn.finish_step(&format!("{restore}; {row}")),
            None => conn.finish_step(&row),
        }
    };

    if rev.transactional {
        let options = &session.options;
        let bounds = bookkeeping::revision_bounds_sql(
            dialect,
            rev.lock_timeout.unwrap_or(options.revision_lock_timeout),
            rev.statement_timeout.or(options.statement_timeout),
        );
        let mut attempt = 0u32;
        loop {
            // On failure it has rolled back what it began.
            let applied = conn.begin_step(&rev.id, options, bounds.as_deref())?;
            let mut lock_wait = None;
            let result = (|| {
                if done(applied) {
                    history::commit(conn)?;
                    return Ok(false);
                }
                if logged && attempt == 0 {
                    options.report(log::Level::Info, &format!("Running {from_to}"));
                }
                for stmt in &section {
                    conn.run_sql(&stmt.sql).map_err(|e| {
                        if e.kind() == DbErrorKind::Busy {
                            lock_wait = Some(stmt.line);
                        }
                        fail(stmt, &e)
                    })?;
                }
                bookkeeping(conn, start.elapsed().as_millis() as i64)?;
                Ok(true)
            })();
            match result {
                Ok(ran) => {
                    if !ran {
                        options.report(
                            log::Level::Info,
                            &format!("{} was already done by another process", rev.id),
                        );
                    }
                    return Ok(report(ran, start));
                }
                Err(e) => {
                    // Also when the commit itself failed (SQLite busy past the timeout): no
                    // transaction is left open on the caller's connection.
                    history::rollback(conn);
                    let Some(line) = lock_wait.filter(|_| dialect == Dialect::Postgres) else {
                        return Err(e);
                    };
                    let holders = lock::table_lock_holders(conn);
                    if attempt >= options.revision_lock_retries {
                        return Err(e.with_lock_holders(holders));
                    }
                    let pause = std::time::Duration::from_secs(1 << attempt.min(5));
                    attempt += 1;
                    options.report(
                        log::Level::Warn,
                        &format!(
                            "{}:{line}: the statement waited longer than the revision's lock \
                             timeout for a table lock held by {holders}; rolled back, trying \
                             again in {pause:?} (attempt {} of {})",
                            rev.file,
                            attempt + 1,
                            options.revision_lock_retries + 1
                        ),
                    );
                    std::thread::sleep(pause);
                }
            }
        }
    } else {
        // Held until the history row is written, so another process waits, then skips it.
        let _lock = conn.lock_untransacted()?;
        let options = &session.options;
        if !mark_started(conn, session, rev, direction)? {
            options.report(
                log::Level::Info,
                &format!("{} was already done by another process", rev.id),
            );
            return Ok(report(false, start));
        }
        if logged {
            options.report(
                log::Level::Info,
                &format!("Running {from_to} (outside a transaction)"),
            );
        }
        let restore = notice_vanished_client(conn);
        for stmt in &section {
            if let Err(e) = conn.run_sql(&stmt.sql) {
                restore_setting(conn, restore);
                // Said now, in full: the mark has nothing more to tell the next run.
                if let Err(clear) = unmark(conn, session, rev) {
                    log::warn!("could not clear the mark of revision {}: {clear}", rev.id);
                }
                return Err(fail(stmt, &e));
            }
        }
        restore_setting(conn, restore);
        lock::begin_locked(conn, &session.options)?;
        let unmark = bookkeeping::unmark_sql(&rev.id);
        let result = (|| {
            conn.run_sql(&unmark)
                .map_err(|e| Error::protocol("clearing the mark of the revision", e))?;
            bookkeeping(conn, start.elapsed().as_millis() as i64)
        })();
        if let Err(e) = result {
            history::rollback(conn);
            return Err(e);
        }
        Ok(report(true, start))
    }
}

/// Whether a revision whose history row is there (`applied`) or not needs no run in
/// `direction`: another process did it.
fn done(direction: Direction, applied: bool) -> bool {
    match direction {
        Direction::Upgrade => applied,
        Direction::Downgrade => !applied,
    }
}

/// Before the first statement of a revision that runs outside a transaction: marks it as
/// started in `direction`, in a committed transaction of its own that holds the migration
/// lock, and returns `true`; or returns `false` when the history says it is done already.
/// Meets the mark of another run: waits while that run's server session is still connected
/// (at most the lock timeout), and fails with [`Error::RevisionInterrupted`] when it is gone.
fn mark_started<D: Driver + ?Sized>(
    conn: &mut D,
    session: &Session,
    rev: &Revision,
    direction: Direction,
) -> Result<bool> {
    let options = &session.options;
    let dialect = conn.dialect();
    let start = Instant::now();
    let mut told = false;
    loop {
        lock::begin_locked(conn, options)?;
        let step = (|| {
            if done(direction, history::is_applied(conn, &rev.id)?) {
                return Ok(Some(false));
            }
            history::ensure_table(
                conn,
                bookkeeping::IN_PROGRESS_TABLE,
                &bookkeeping::in_progress_ddl(dialect),
            )?;
            let mut mark = None;
            conn.query_sql(&bookkeeping::started_sql(dialect, &rev.id), &mut |r| {
                let cell = |i: usize| r.get(i).copied().flatten().unwrap_or("?").to_string();
                mark = Some((cell(0), cell(1), cell(2), cell(3) == "t"));
            })
            .map_err(|e| Error::protocol("reading the marks of started revisions", e))?;
            match mark {
                None => {
                    let by = format!("process {}", std::process::id());
                    conn.run_sql(&bookkeeping::mark_started_sql(
                        dialect,
                        &rev.id,
                        direction.name(),
                        &by,
                    ))
                    .map_err(|e| Error::protocol("marking the revision as started", e))?;
                    Ok(Some(true))
                }
                Some((marked, started_at, started_by, alive)) => {
                    if !alive || start.elapsed() >= options.lock_timeout {
                        return Err(Error::RevisionInterrupted(Box::new(Interrupted {
                            revision: rev.id.clone(),
                            file: rev.file_name().to_string(),
                            direction: marked,
                            started_at,
                            started_by,
                            still_connected: alive,
                        })));
                    }
                    if !told {
                        options.report(
                            log::Level::Info,
                            &format!(
                                "waiting for {started_by}, which has been running revision {} outside a transaction since {started_at}",
                                rev.id
                            ),
                        );
                        told = true;
                    }
                    Ok(None)
                }
            }
        })();
        match step {
            Ok(Some(run)) => {
                history::commit_or_roll_back(conn)?;
                return Ok(run);
            }
            Ok(None) => {
                history::rollback(conn);
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(e) => {
                history::rollback(conn);
                return Err(e);
            }
        }
    }
}

/// For the statements of a revision that runs outside a transaction (there is no transaction to
/// set it for): sets the session's `client_connection_check_interval` as the transactions of
/// the other revisions have it ([`bookkeeping::notice_vanished_client_sql`]), and returns the
/// statement that puts it back as it was. Best effort: a server that does not have it runs the
/// revision all the same.
fn notice_vanished_client<D: Driver + ?Sized>(conn: &mut D) -> Option<String> {
    let sql = bookkeeping::session_connection_check_sql(conn.dialect())?;
    let mut rows = 0;
    let mut old = None;
    conn.query_sql(&sql, &mut |r| {
        if rows == 0 {
            old = r.first().copied().flatten().map(str::to_string);
        }
        rows += 1;
    })
    .ok()?;
    old.map(|old| bookkeeping::restore_connection_check_sql(&old))
}

/// Puts back what [`notice_vanished_client`] changed.
fn restore_setting<D: Driver + ?Sized>(conn: &mut D, restore: Option<String>) {
    if let Some(sql) = restore {
        let _ = conn.query_sql(&sql, &mut |_| {});
    }
}

/// Clears the mark of `rev` (after a failure that was reported in full).
fn unmark<D: Driver + ?Sized>(conn: &mut D, session: &Session, rev: &Revision) -> Result<()> {
    locked(conn, &session.options, |conn| {
        conn.run_sql(&bookkeeping::unmark_sql(&rev.id))
            .map_err(|e| Error::protocol("clearing the mark of the revision", e))
    })
}

/// What a run keeps of the session as it found it, to put back before each revision's
/// bookkeeping (PostgreSQL: the search path).
pub(crate) struct Session {
    /// The statement that restores it, if the dialect has one.
    restore: Option<String>,
    /// The run's options (how long to wait for the lock).
    pub(crate) options: Options,
}

impl Session {
    /// Reads what is to be kept, once per run (PostgreSQL: one query).
    pub(crate) fn capture<D: Driver + ?Sized>(conn: &mut D, options: &Options) -> Result<Session> {
        let options = options.clone();
        let Some(sql) = bookkeeping::search_path_sql(conn.dialect()) else {
            return Ok(Session {
                restore: None,
                options,
            });
        };
        let mut path = None;
        conn.query_sql(sql, &mut |r| {
            path = r.first().copied().flatten().map(str::to_string)
        })
        .map_err(|e| Error::protocol("reading the search path", e))?;
        Ok(Session {
            restore: path.map(|p| bookkeeping::restore_search_path_sql(&p)),
            options,
        })
    }
}

/// How many of the chain's first revisions the history `rows` hold, when they are exactly
/// those, unchanged (same checksums); `None` otherwise.
pub fn applied_prefix(chain: &Chain, rows: &[history::AppliedRow]) -> Option<usize> {
    let prefix = chain.revisions().get(..rows.len())?;
    let mut want: Vec<(&str, &str)> = prefix
        .iter()
        .map(|r| (r.id.as_str(), r.checksum.as_str()))
        .collect();
    want.sort_unstable();
    rows.iter()
        .all(|row| history::is_expected(&want, &row.revision, &row.checksum))
        .then_some(rows.len())
}

/// `upgrade aaaa -> bbbb, message` in Alembic's words.
pub(crate) fn describe_step(chain: &Chain, rev: &Revision, direction: Direction) -> String {
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

/// Turns SQLite's foreign key enforcement on or off (outside a transaction) and returns
/// whether it was on. Only called on SQLite.
fn set_foreign_keys<D: Driver + ?Sized>(conn: &mut D, on: bool) -> Result<bool> {
    let mut was = false;
    conn.query_sql(bookkeeping::foreign_keys::READ, &mut |r| {
        was = r.first().copied().flatten() == Some("1");
    })
    .map_err(|e| Error::protocol("reading PRAGMA foreign_keys", e))?;
    let switch = if on {
        bookkeeping::foreign_keys::ON
    } else {
        bookkeeping::foreign_keys::OFF
    };
    conn.run_sql(switch)
        .map_err(|e| Error::protocol("setting PRAGMA foreign_keys", e))?;
    Ok(was)
}

/// Rows that violate a foreign key, in words (SQLite `PRAGMA foreign_key_check`).
fn foreign_key_violations<D: Driver + ?Sized>(conn: &mut D) -> Result<Vec<String>> {
    let mut out = Vec::new();
    conn.query_sql(bookkeeping::foreign_keys::VIOLATIONS, &mut |r| {
        let cell = |i: usize| r.get(i).copied().flatten();
        out.push(format!(
            "{} row {} references a missing row of {}",
            cell(0).unwrap_or_default(),
            cell(1).unwrap_or("?"),
            cell(2).unwrap_or_default()
        ));
    })
    .map_err(|e| Error::protocol("running PRAGMA foreign_key_check", e))?;
    Ok(out)
}
