//! The PostgreSQL rules: what takes a lock that blocks a busy table's readers or writers for as
//! long as it scans or rewrites it, and the form that does not.

use super::statement::{known_type, proven_not_null, Action, ConstraintKind, Stmt};
use super::{Found, Known, RevisionState, Rule};
use crate::revision::{Revision, Section};
use crate::sql::Statement;
use std::time::Duration;

/// The longest lock timeout a revision that locks a table for long should wait with: the
/// runner's own default for a revision ([`Options::revision_lock_timeout`](crate::Options)).
const LONG_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Functions whose value differs per row: a default made of one fills every row on `ADD
/// COLUMN` (a constant or `now()` is stored once, since PostgreSQL 11).
const VOLATILE: [&str; 8] = [
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "txid_current(",
];

pub(super) fn check(stmt: &Stmt, known: &Known, state: &mut RevisionState) -> Vec<Found> {
    let mut out = super::common(stmt, state);
    let existing = |t: &str| !state.created.contains(t);
    match stmt {
        Stmt::CreateIndex {
            table,
            concurrently: false,
        } if existing(table) => out.push(Found::new(
            Rule::IndexNotConcurrent,
            format!("CREATE INDEX locks writes to \"{table}\" while it builds"),
            "use CREATE INDEX CONCURRENTLY, in a revision of its own with `-- Transaction: none`",
        )),
        Stmt::AlterTable { table, actions } if existing(table) => {
            for a in actions {
                out.extend(alter_action(table, a, known));
            }
        }
        Stmt::DropTable { cascade: true, .. } | Stmt::Drop { cascade: true } => {
            out.push(drop_cascade())
        }
        Stmt::Truncate { tables } => {
            for t in tables.iter().filter(|t| existing(t)) {
                out.push(Found::new(
                    Rule::Truncate,
                    format!("TRUNCATE \"{t}\" takes a lock that blocks its readers and writers, and empties it for every instance of the app"),
                    "delete in batches in a data step, or make sure it is meant (the rows are gone)",
                ));
            }
        }
        Stmt::SetLockTimeout { value } if duration(value) == Some(Duration::ZERO) => {
            out.push(lock_timeout_off("SET lock_timeout = 0"))
        }
        _ => {}
    }
    out
}

fn alter_action(table: &str, a: &Action, known: &Known) -> Option<Found> {
    Some(match a {
        Action::AddColumn {
            column,
            fills: Some(what),
            ..
        } => Found::new(
            Rule::VolatileDefault,
            format!("adding \"{column}\" as {what} writes every row of \"{table}\" under a lock that blocks its readers and writers"),
            "add a plain column, fill it in batches in a data step, then add the default, identity or expression",
        ),
        Action::AddColumn {
            column,
            default: Some(d),
            ..
        } if is_volatile(d) => Found::new(
            Rule::VolatileDefault,
            format!("adding \"{column}\" with the volatile default {d} rewrites every row of \"{table}\" under a lock that blocks its readers and writers"),
            "add the column without a default (or with a constant one), then SET DEFAULT and fill the rows in batches in a data step",
        ),
        Action::AddConstraint {
            kind: kind @ (ConstraintKind::ForeignKey | ConstraintKind::Check(_)),
            not_valid: false,
            ..
        } => {
            let (what, blocks) = match kind {
                ConstraintKind::ForeignKey => (
                    "a foreign key",
                    "blocks writes to it and to the table it references",
                ),
                _ => ("a check", "blocks its readers and writers"),
            };
            Found::new(
                Rule::ConstraintNotValid,
                format!("adding {what} scans all of \"{table}\" under a lock that {blocks}"),
                "add it NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later revision, which lets reads and writes go on",
            )
        }
        Action::AddConstraint {
            kind: ConstraintKind::Unique | ConstraintKind::PrimaryKey,
            using_index: false,
            ..
        } => Found::new(
            Rule::ConstraintBuildsIndex,
            format!("adding a unique or primary key constraint builds its index while \"{table}\" is locked against reads and writes"),
            "CREATE UNIQUE INDEX CONCURRENTLY first (a `Transaction: none` revision), then ADD CONSTRAINT … UNIQUE USING INDEX",
        ),
        Action::AlterType { column, ty } => {
            let before = known_type(known, table, column);
            let rewrite = before.map(|from| rewrites(from, ty));
            if rewrite == Some(false) {
                return None;
            }
            let from = before.map_or(String::new(), |f| format!(" from {f}"));
            let verb = if rewrite.is_some() { "rewrites" } else { "may rewrite" };
            Found::new(
                Rule::ColumnTypeRewrite,
                format!("changing \"{table}\".\"{column}\"{from} to {ty} {verb} the whole table under a lock that blocks its readers and writers"),
                "add a column of the new type, fill it in batches, move the code over, then drop the old column (expand and contract)",
            )
        }
        Action::SetNotNull { column } if !proven_not_null(known, table, column) => Found::new(
            Rule::SetNotNull,
            format!("SET NOT NULL scans all of \"{table}\" for nulls in \"{column}\" under a lock that blocks its readers and writers"),
            format!("first ADD CONSTRAINT … CHECK (\"{column}\" IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it (reads and writes go on); SET NOT NULL then uses the check instead of scanning"),
        ),
        Action::DropColumn { cascade: true, .. } | Action::DropCascade => drop_cascade(),
        _ => return None,
    })
}

fn drop_cascade() -> Found {
    Found::new(
        Rule::DropCascade,
        "DROP … CASCADE also drops every object that depends on it (views, foreign keys, defaults), unseen in the revision",
        "drop the dependent objects by name first, then drop without CASCADE",
    )
}

fn lock_timeout_off(what: &str) -> Found {
    Found::new(
        Rule::LockTimeoutOff,
        format!("{what} lets the revision wait for its table locks without limit, and every query on those tables queues behind the wait"),
        "keep a bounded lock timeout (the default, 10 s, retried with backoff), or a short `-- Lock-Timeout:`",
    )
}

/// Whether a default expression is volatile (differs per row).
fn is_volatile(default: &str) -> bool {
    let d = default.to_ascii_lowercase().replace(' ', "");
    VOLATILE.iter().any(|f| d.contains(f))
}

/// A `lock_timeout` value as PostgreSQL reads it: a number of milliseconds, or a number and
/// a unit.
fn duration(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(ms) = v.parse::<u64>() {
        return Some(Duration::from_millis(ms));
    }
    crate::revision::parse_duration(v)
}

/// The type `ty` in one spelling: `character varying(20)` → `varchar(20)`.
fn canonical(ty: &str) -> String {
    let t = ty.trim().to_ascii_lowercase().replace(", ", ",");
    let (base, args) = match t.find('(') {
        Some(i) => (t[..i].trim(), &t[i..]),
        None => (t.as_str(), ""),
    };
    let base = match base {
        "character varying" => "varchar",
        "int" | "int4" => "integer",
        "int8" => "bigint",
        "int2" => "smallint",
        "decimal" => "numeric",
        "bool" => "boolean",
        "float8" => "double precision",
        "float4" => "real",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "bit varying" => "varbit",
        other => other,
    };
    format!("{base}{args}")
}

/// The numbers inside a type's parentheses.
fn type_args(ty: &str) -> Vec<u32> {
    ty.find('(')
        .map(|i| {
            ty[i + 1..]
                .trim_end_matches(')')
                .split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether changing a column from `from` to `to` rewrites the table: not when the new type is
/// binary-coercible and at least as wide (`varchar(n)` to a longer one, to `varchar` or
/// `text`; `numeric(p, s)` to a larger precision, same scale, or unconstrained; `cidr` to
/// `inet`).
fn rewrites(from: &str, to: &str) -> bool {
    let (from, to) = (canonical(from), canonical(to));
    if from == to {
        return false;
    }
    let base = |t: &str| t.split('(').next().unwrap_or("").to_string();
    let (fb, tb) = (base(&from), base(&to));
    let (fa, ta) = (type_args(&from), type_args(&to));
    let widens = |fa: &[u32], ta: &[u32]| ta.is_empty() || (fa.len() == 1 && ta[0] >= fa[0]);
    match (fb.as_str(), tb.as_str()) {
        ("varchar", "varchar") | ("varbit", "varbit") => !widens(&fa, &ta),
        ("varchar", "text") | ("text", "varchar") => !(ta.is_empty()),
        ("numeric", "numeric") => {
            !(ta.is_empty() || (fa.len() == 2 && ta.len() == 2 && ta[0] >= fa[0] && ta[1] == fa[1]))
        }
        ("cidr", "inet") => false,
        _ => true,
    }
}

/// The findings of a revision's timeouts: `Lock-Timeout: 0`, or one longer than
/// [`LONG_LOCK_TIMEOUT`] (header or `SET lock_timeout`) with a statement that locks a table
/// for long. An allow comment anywhere in the upgrade section silences them.
pub(super) fn timeouts(
    rev: &Revision,
    section: &Section,
    statements: &[Statement],
    locks_for_long: bool,
) -> Vec<super::Finding> {
    let lines: Vec<(usize, &str)> = section
        .sql
        .lines()
        .enumerate()
        .map(|(i, l)| (section.line + 1 + i, l))
        .collect();
    let (allowed, _) = super::allows(&lines, &rev.file);
    let mut found = Vec::new();
    match rev.lock_timeout {
        Some(Duration::ZERO) => found.push((
            section.line,
            lock_timeout_off("the `Lock-Timeout: 0` header"),
        )),
        Some(d) if d > LONG_LOCK_TIMEOUT && locks_for_long => {
            found.push((section.line, long_lock_timeout(d)))
        }
        _ => {}
    }
    for s in statements {
        if let Stmt::SetLockTimeout { value } =
            Stmt::parse(&s.sql, crate::dialect::Dialect::Postgres)
        {
            if let Some(d) = duration(&value).filter(|d| *d > LONG_LOCK_TIMEOUT) {
                if locks_for_long {
                    found.push((s.line, long_lock_timeout(d)));
                }
            }
        }
    }
    found
        .into_iter()
        .filter(|(_, f)| !allowed.contains(&f.rule))
        .map(|(line, f)| super::Finding {
            file: rev.file.clone(),
            line,
            rule: f.rule,
            message: f.message,
            fix: f.fix,
        })
        .collect()
}

fn long_lock_timeout(d: Duration) -> Found {
    Found::new(
        Rule::LongLockTimeout,
        format!("a lock timeout of {d:?} in a revision that locks a table for long: every query on the table queues behind the statement while it waits"),
        "keep the lock timeout short (a few seconds: the runner retries with backoff) and make the statement itself safe",
    )
}

#[cfg(test)]
mod tests {
    use super::rewrites;

    #[test]
    fn binary_coercible_changes_do_not_rewrite() {
        assert!(!rewrites("varchar(20)", "varchar(40)"));
        assert!(!rewrites("character varying(20)", "varchar"));
        assert!(!rewrites("varchar(20)", "text"));
        assert!(!rewrites("text", "varchar"));
        assert!(!rewrites("numeric(10,2)", "numeric(12, 2)"));
        assert!(!rewrites("numeric(10,2)", "numeric"));
        assert!(!rewrites("int", "integer"));
        assert!(!rewrites("cidr", "inet"));
        assert!(rewrites("varchar(40)", "varchar(20)"));
        assert!(rewrites("text", "varchar(20)"));
        assert!(rewrites("numeric(10,2)", "numeric(12,3)"));
        assert!(rewrites("integer", "bigint"));
        assert!(rewrites("timestamp", "timestamptz"));
        assert!(rewrites("varchar", "integer"));
    }
}
