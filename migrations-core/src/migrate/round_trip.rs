//! The build's round trip: every revision up, down and up again, each downgrade checked to
//! restore exactly the schema from before its upgrade.

use super::{applied_prefix, history, run_step, Session};
use crate::bookkeeping;
use crate::chain::Chain;
use crate::driver::{Driver, Options, SchemaCache};
use crate::error::{Error, Problem, Result};
use crate::revision::{Direction, Revision};
use crate::schema::Schema;

/// Runs every revision up, down and up again on `conn` (which must start empty), and checks
/// that each downgrade restores exactly the schema from before its upgrade and that the second
/// upgrade gives the same schema as the first.
///
/// `conn` may instead hold the first revisions of the chain, in its order and unchanged
/// (checksums), as an earlier round trip left them: those are not run again. This is how the
/// build re-checks only what is new.
///
/// Every state is read whole, so on SQLite, where each DDL statement also costs time in
/// proportion to the number of tables, a long chain costs time quadratic in its length; the
/// build checks SQLite with `migrate::partitioned` instead, which gives each revision only the
/// tables it can see.
///
/// # Failure
///
/// One problem per revision that fails to run or does not round-trip, naming its file, the
/// statement's line where one failed, and the schema differences.
pub fn round_trip<D: Driver + ?Sized>(chain: &Chain, conn: &mut D) -> Result<(), Vec<Problem>> {
    let (applied, session) = start(conn)?;
    let done = applied_prefix(chain, &applied).ok_or_else(|| {
        vec![Problem::new(
            "",
            0,
            "the database holds revisions that are not the first ones of the chain, unchanged",
            "start the round trip from an empty database",
        )]
    })?;
    let mut problems = Vec::new();
    let mut cache = SchemaCache::default();
    let Some(first) = chain.revisions().get(done) else {
        return Ok(()); // all checked before
    };
    let mut current = State::read(conn, &mut cache).map_err(|e| fatal(conn, first, e))?;
    for rev in &chain.revisions()[done..] {
        let (again, problem) = check_revision(chain, conn, &session, &mut cache, rev, current)?;
        problems.extend(problem);
        current = again;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Makes sure `conn` has the history table; returns its rows and the session to run in.
fn start<D: Driver + ?Sized>(
    conn: &mut D,
) -> Result<(Vec<history::AppliedRow>, Session), Vec<Problem>> {
    let options = Options::default();
    history::ensure(conn, &options)
        .and_then(|()| history::rows(conn))
        .and_then(|rows| Ok((rows, Session::capture(conn, &options)?)))
        .map_err(|e| vec![Problem::new("", 0, e.to_string(), "")])
}

/// A revision that fails to run, as the build reports it.
pub(crate) fn fatal<D: Driver + ?Sized>(conn: &D, rev: &Revision, e: Error) -> Vec<Problem> {
    let dialect = conn.dialect();
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
}

/// Runs `rev` up, down and up on `conn`, which is in state `before`. Returns the state after
/// the second upgrade, and the problem when it differs from the first.
///
/// # Failure
///
/// When a step fails, or the downgrade does not restore `before`: the database is then in a
/// state no later revision expects.
pub(crate) fn check_revision<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    session: &Session,
    cache: &mut SchemaCache,
    rev: &Revision,
    before: State,
) -> Result<(State, Option<Problem>), Vec<Problem>> {
    let dialect = conn.dialect();
    let mut step = |conn: &mut D, direction: Direction| -> Result<State, Vec<Problem>> {
        run_step(chain, conn, session, rev, direction, false)
            .and_then(|_| State::read(conn, cache))
            .map_err(|e| fatal(conn, rev, e))
    };
    let after = step(conn, Direction::Upgrade)?;
    if rev.irreversible.is_some() {
        return Ok((after, None));
    }
    let restored = step(conn, Direction::Downgrade)?;
    let diffs = State::differences(&before, &restored, conn).map_err(|e| fatal(conn, rev, e))?;
    if !diffs.is_empty() {
        // The database is now in a state no revision expects: later revisions cannot be
        // checked from here.
        return Err(vec![Problem::new(
            &rev.file,
            rev.downgrade(dialect).map_or(0, |s| s.line),
            format!(
                "the {dialect} downgrade does not restore the schema from before the upgrade ({})",
                describe_diffs(
                    &diffs,
                    "left by the downgrade",
                    "missing after the downgrade"
                )
            ),
            "make the downgrade undo exactly what the upgrade does",
        )]);
    }
    let again = step(conn, Direction::Upgrade)?;
    let diffs = State::differences(&after, &again, conn).map_err(|e| fatal(conn, rev, e))?;
    let problem = (!diffs.is_empty()).then(|| {
        Problem::new(
            &rev.file,
            rev.upgrade(dialect).map_or(0, |s| s.line),
            format!(
                "upgrading again after the downgrade gives a different {dialect} schema ({})",
                describe_diffs(&diffs, "only the second time", "only the first time")
            ),
            "make the downgrade undo exactly what the upgrade does",
        )
    });
    Ok((again, problem))
}

/// A database state in the round trip: its schema statements where the database keeps them,
/// else its introspected schema.
pub(crate) enum State {
    Statements(Vec<String>),
    Schema(Schema),
}

impl State {
    /// Where the database keeps its schema as statements (SQLite), equal statements are an
    /// equal schema: read those, and introspect only when two differ (rebuilding each state
    /// from its statements in a scratch database). Elsewhere, introspect, reusing the tables
    /// that did not change.
    pub(crate) fn read<D: Driver + ?Sized>(conn: &mut D, cache: &mut SchemaCache) -> Result<State> {
        Ok(match bookkeeping::schema_statements_sql(conn.dialect()) {
            Some(sql) => {
                let mut statements = Vec::new();
                conn.query_sql(&sql, &mut |r| {
                    statements.push(r.first().copied().flatten().unwrap_or_default().to_string())
                })
                .map_err(|e| Error::protocol("reading the SQLite schema", e))?;
                State::Statements(statements)
            }
            None => State::Schema(conn.introspect_cached(cache)?),
        })
    }

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
