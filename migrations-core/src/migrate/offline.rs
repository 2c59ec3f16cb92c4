//! `--sql`: the statements a run would send, bookkeeping, lock and timeouts included, printed
//! instead of run; planned from the database's history, or offline from a given revision
//! ([`plan_offline`], Alembic's offline mode), without a database.

use super::describe_step;
use crate::bookkeeping;
use crate::chain::{Chain, Target};
use crate::dialect::Dialect;
use crate::driver::Options;
use crate::error::{Error, Result};
use crate::revision::{Direction, Revision};
use std::collections::BTreeSet;

/// The SQL a run would execute, in order, for `--sql`: the history table's creation (when
/// `create_history`), then each revision in the transaction that holds the migration lock with
/// the timeouts the run sets (`options.lock_timeout` for the lock, the revision's own
/// `Lock-Timeout`/`Statement-Timeout` or the options' for its statements), its statements and
/// its history row. Touches nothing.
pub fn render_plan(
    chain: &Chain,
    dialect: Dialect,
    plan: &[&Revision],
    direction: Direction,
    create_history: bool,
    options: &Options,
) -> String {
    let mut out = String::new();
    let line = |out: &mut String, sql: &str| {
        out.push_str(sql);
        out.push_str(";\n");
    };
    if create_history {
        line(&mut out, &bookkeeping::history_ddl(dialect));
    }
    // `IF NOT EXISTS`: a history table of a version of this crate before the stored files
    // has none beside it.
    line(&mut out, &bookkeeping::stored_ddl());
    out.push('\n');
    // What opens a transaction holding the migration lock, as the run opens it.
    let begin_locked = |out: &mut String| {
        line(out, bookkeeping::begin_sql(dialect));
        if options.use_lock {
            if let Some(wait) = bookkeeping::wait_at_most_sql(dialect, options.lock_timeout) {
                out.push_str(&format!("{wait}; -- the wait for the migration lock\n"));
            }
            if let Some(lock) = bookkeeping::lock_sql(dialect) {
                out.push_str(&format!("{lock}; -- the migration lock\n"));
            }
        }
    };
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
            line(&mut out, bookkeeping::foreign_keys::OFF);
        }
        if rev.transactional {
            begin_locked(&mut out);
            if let Some(bounds) = bookkeeping::revision_bounds_sql(
                dialect,
                rev.lock_timeout.unwrap_or(options.revision_lock_timeout),
                rev.statement_timeout.or(options.statement_timeout),
            ) {
                for set in bounds.split("; ") {
                    out.push_str(&format!("{set}; -- for the revision's statements\n"));
                }
            }
        }
        for s in statements {
            line(&mut out, &s.sql);
        }
        if fk_off {
            out.push_str(bookkeeping::foreign_keys::VIOLATIONS);
            out.push_str("; -- must return no row\n");
        }
        if !rev.transactional {
            // The history row goes in a transaction of its own that holds the lock.
            begin_locked(&mut out);
        }
        line(
            &mut out,
            &bookkeeping::step_rows_sql(dialect, rev, direction, 0),
        );
        line(&mut out, "COMMIT");
        if fk_off {
            out.push_str(bookkeeping::foreign_keys::ON);
            out.push_str("; -- when it was on before\n");
        }
        out.push('\n');
    }
    out
}

/// Offline planning (`db upgrade FROM:TO --sql`): the revisions a run from `from` (`base`,
/// `head` or a revision, taken as applied with its ancestors) to `to` would run, without a
/// database. Relative targets count from `from`.
///
/// ```
/// # use migrations_core::testing::{chain, Fixture};
/// use migrations_core::migrate::offline::plan_offline;
/// use migrations_core::{Direction, Target};
///
/// let a = Fixture::new("aaaaaaaaaaaa").up("CREATE TABLE a (x INT);").down("DROP TABLE a;");
/// let b = Fixture::new("bbbbbbbbbbbb").revises("aaaaaaaaaaaa").up("CREATE TABLE b (x INT);").down("DROP TABLE b;");
/// let chain = chain(&[a, b]);
/// let ids = |plan: Vec<&migrations_core::Revision>| plan.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
/// let up = plan_offline(&chain, Direction::Upgrade, &Target::parse("aaaa").unwrap(), &Target::Head).unwrap();
/// assert_eq!(ids(up), ["bbbbbbbbbbbb"]);
/// let down = plan_offline(&chain, Direction::Downgrade, &Target::Head, &Target::Base).unwrap();
/// assert_eq!(ids(down), ["bbbbbbbbbbbb", "aaaaaaaaaaaa"]);
/// ```
pub fn plan_offline<'a>(
    chain: &'a Chain,
    direction: Direction,
    from: &Target,
    to: &Target,
) -> Result<Vec<&'a Revision>> {
    plan(chain, direction, &applied_at(chain, from)?, to)
}

/// The revisions a run in `direction` from `applied` to `to` runs, in order.
pub fn plan<'a>(
    chain: &'a Chain,
    direction: Direction,
    applied: &BTreeSet<String>,
    to: &Target,
) -> Result<Vec<&'a Revision>> {
    match direction {
        Direction::Upgrade => chain.plan_upgrade(applied, to),
        Direction::Downgrade => chain.plan_downgrade(applied, to),
    }
}

/// The revisions applied at `from`: it and its ancestors.
pub fn applied_at(chain: &Chain, from: &Target) -> Result<BTreeSet<String>> {
    Ok(match from {
        Target::Base => BTreeSet::new(),
        Target::Head => chain.lineage(chain.head()),
        Target::Revision(spec) => chain.lineage(chain.resolve(spec)?),
        Target::Relative(_) => return Err(Error::BadTarget(
            "the start of a range (`FROM:TO`) is a revision, `head` or `base`, not a relative step"
                .into(),
        )),
    })
}
