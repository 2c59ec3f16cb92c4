//! `--sql`: the statements a run would send, bookkeeping included, printed instead of run.

use super::describe_step;
use crate::bookkeeping;
use crate::chain::Chain;
use crate::dialect::Dialect;
use crate::revision::{Direction, Revision};

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
        out.push_str(&bookkeeping::history_ddl(dialect));
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
            out.push_str(bookkeeping::foreign_keys::OFF);
            out.push_str(";\n");
        }
        if rev.transactional {
            out.push_str(bookkeeping::begin_sql(dialect));
            out.push_str(";\n");
        }
        for s in statements {
            out.push_str(&s.sql);
            out.push_str(";\n");
        }
        if fk_off {
            out.push_str(bookkeeping::foreign_keys::VIOLATIONS);
            out.push_str("; -- must return no row\n");
        }
        out.push_str(&match direction {
            Direction::Upgrade => bookkeeping::record_sql(&rev.id, &rev.checksum, 0),
            Direction::Downgrade => bookkeeping::unrecord_sql(&rev.id),
        });
        out.push_str(";\n");
        if rev.transactional {
            out.push_str("COMMIT;\n");
        }
        if fk_off {
            out.push_str(bookkeeping::foreign_keys::ON);
            out.push_str("; -- when it was on before\n");
        }
        out.push('\n');
    }
    out
}
