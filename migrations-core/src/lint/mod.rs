//! The lint of the upgrade SQL: statements that lock a busy table for long, or break the app
//! instances still running the old code during a rolling deploy, each named with its file and
//! line, what it does and the safe way. The build prints the findings as warnings
//! (`migrations_build::Embed::deny_lints` makes them errors).
//!
//! # Example
//!
//! ```
//! use migrations_core::{lint, revision, Chain};
//!
//! let rev = revision::parse(
//!     "versions/000000000002_index.sql",
//!     "-- Revision: 000000000002\n-- Revises: 000000000001\n-- +upgrade postgres\n\
//!      CREATE INDEX orders_customer ON orders (customer_id);\n\
//!      -- +downgrade postgres\nDROP INDEX orders_customer;\n",
//! ).unwrap();
//! let root = revision::parse(
//!     "versions/000000000001_orders.sql",
//!     "-- Revision: 000000000001\n-- +upgrade postgres\nCREATE TABLE orders (id INT, customer_id INT);\n\
//!      -- +downgrade postgres\nDROP TABLE orders;\n",
//! ).unwrap();
//! let chain = Chain::new(vec![root, rev]).unwrap();
//! let findings = lint::lint(&chain);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].rule, lint::Rule::IndexNotConcurrent);
//! assert_eq!(findings[0].line, 4);
//! // The table created in the same revision is not busy yet: the first file has no finding.
//! ```
//!
//! A statement is silenced, one rule at a time and with a reason, by a comment on the lines
//! before it (or after it on its last line): `-- lint: allow index-not-concurrent: the table is
//! empty in production`.
//!
//! What is known of each table (created in this very revision or before, its columns' types,
//! the checks that prove a column not null) comes from the revisions before, read in order:
//! a statement on a table created earlier in the same revision is never a finding.

mod postgres;
mod statement;

use crate::chain::Chain;
use crate::dialect::Dialect;
use crate::revision::Revision;
use statement::Stmt;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

/// A lint rule; [`Rule::name`] is how a comment names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// `CREATE INDEX` without `CONCURRENTLY` on an existing table (PostgreSQL).
    IndexNotConcurrent,
    /// `ADD UNIQUE` / `ADD PRIMARY KEY` builds its index under a lock (PostgreSQL).
    ConstraintBuildsIndex,
    /// `ALTER COLUMN … TYPE` that rewrites the table (PostgreSQL).
    ColumnTypeRewrite,
    /// `SET NOT NULL` without a validated `CHECK (… IS NOT NULL)` first (PostgreSQL).
    SetNotNull,
    /// A foreign key or check added without `NOT VALID` (PostgreSQL).
    ConstraintNotValid,
    /// `ADD COLUMN` that fills every row: a volatile default, a stored generated column, an
    /// identity or serial (PostgreSQL).
    VolatileDefault,
    /// `RENAME COLUMN` (both dialects).
    RenameColumn,
    /// `ALTER TABLE … RENAME TO` (both dialects).
    RenameTable,
    /// `DROP COLUMN` (both dialects).
    DropColumn,
    /// `DROP TABLE` (both dialects).
    DropTable,
    /// `DROP … CASCADE` (PostgreSQL).
    DropCascade,
    /// `TRUNCATE` (PostgreSQL).
    Truncate,
    /// A revision that changes the schema and updates or deletes every row of a table (both
    /// dialects).
    SchemaAndData,
    /// `Lock-Timeout: 0` or `SET lock_timeout = 0`: waits for locks without limit
    /// (PostgreSQL).
    LockTimeoutOff,
    /// A lock timeout longer than 10 s in a revision with a statement that locks a table for
    /// long (PostgreSQL).
    LongLockTimeout,
    /// A `-- lint: allow` comment that names no rule this lint has, or gives no reason.
    Allow,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 16] = [
        Rule::IndexNotConcurrent,
        Rule::ConstraintBuildsIndex,
        Rule::ColumnTypeRewrite,
        Rule::SetNotNull,
        Rule::ConstraintNotValid,
        Rule::VolatileDefault,
        Rule::RenameColumn,
        Rule::RenameTable,
        Rule::DropColumn,
        Rule::DropTable,
        Rule::DropCascade,
        Rule::Truncate,
        Rule::SchemaAndData,
        Rule::LockTimeoutOff,
        Rule::LongLockTimeout,
        Rule::Allow,
    ];

    /// The rule's name, as `-- lint: allow <name>: <why>` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::IndexNotConcurrent => "index-not-concurrent",
            Rule::ConstraintBuildsIndex => "constraint-builds-index",
            Rule::ColumnTypeRewrite => "column-type-rewrite",
            Rule::SetNotNull => "set-not-null",
            Rule::ConstraintNotValid => "constraint-not-valid",
            Rule::VolatileDefault => "volatile-default",
            Rule::RenameColumn => "rename-column",
            Rule::RenameTable => "rename-table",
            Rule::DropColumn => "drop-column",
            Rule::DropTable => "drop-table",
            Rule::DropCascade => "drop-cascade",
            Rule::Truncate => "truncate",
            Rule::SchemaAndData => "schema-and-data",
            Rule::LockTimeoutOff => "lock-timeout-off",
            Rule::LongLockTimeout => "long-lock-timeout",
            Rule::Allow => "allow",
        }
    }

    /// The rule called `name`.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the statement it flags holds a lock that blocks the table's readers or writers
    /// for as long as it scans or rewrites the table.
    fn locks_for_long(self) -> bool {
        matches!(
            self,
            Rule::IndexNotConcurrent
                | Rule::ConstraintBuildsIndex
                | Rule::ColumnTypeRewrite
                | Rule::SetNotNull
                | Rule::ConstraintNotValid
                | Rule::VolatileDefault
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One finding: where, which rule, what the statement does to a busy table, the safe way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The revision file.
    pub file: String,
    /// The line the statement starts on.
    pub line: usize,
    /// The rule.
    pub rule: Rule,
    /// What the statement does (`CREATE INDEX locks writes to "orders" while it builds`).
    pub message: String,
    /// The safe way.
    pub fix: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}; {}",
            self.file, self.line, self.message, self.fix
        )?;
        if self.rule != Rule::Allow {
            write!(
                f,
                " [lint {0}; if it is meant, say so above the statement: `-- lint: allow {0}: <why>`]",
                self.rule
            )?;
        }
        Ok(())
    }
}

/// What the revisions so far have made of a table.
#[derive(Debug, Clone, Default)]
struct TableState {
    /// Column types as written, normalised (`varchar(20)`), by column name.
    columns: HashMap<String, String>,
    /// Checks `(column IS NOT NULL)` by constraint name: column, and whether validated.
    not_null_checks: HashMap<String, (String, bool)>,
}

/// What the lint knows of one dialect's schema, revision after revision.
#[derive(Debug, Default)]
pub(crate) struct Known {
    tables: HashMap<String, TableState>,
}

/// What one revision has done so far.
#[derive(Debug, Default)]
pub(crate) struct RevisionState {
    /// Tables created in this revision.
    created: HashSet<String>,
    /// Whether a statement so far changed the schema.
    changed_schema: bool,
}

/// The findings of one statement, before `-- lint: allow` comments are applied.
pub(crate) struct Found {
    rule: Rule,
    message: String,
    fix: String,
}

impl Found {
    pub(crate) fn new(rule: Rule, message: impl Into<String>, fix: impl Into<String>) -> Found {
        Found {
            rule,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// Lints the upgrade sections of every revision of `chain`, for every dialect it serves, in
/// chain order; findings sorted by file and line.
pub fn lint(chain: &Chain) -> Vec<Finding> {
    let mut findings = BTreeSet::new();
    for &dialect in chain.dialects() {
        let mut known = Known::default();
        for rev in chain.revisions() {
            for f in lint_revision(rev, dialect, &mut known) {
                findings.insert((f.file.clone(), f.line, f.rule, f.message, f.fix));
            }
        }
    }
    findings
        .into_iter()
        .map(|(file, line, rule, message, fix)| Finding {
            file,
            line,
            rule,
            message,
            fix,
        })
        .collect()
}

/// The findings of `rev`'s upgrade on `dialect`, given what the revisions before made
/// (`known`, which this revision then updates).
fn lint_revision(rev: &Revision, dialect: Dialect, known: &mut Known) -> Vec<Finding> {
    let Some(section) = rev.upgrade(dialect) else {
        return Vec::new();
    };
    let statements = section.statements(dialect);
    let raw: Vec<&str> = section.sql.lines().collect();
    // File line `l` is `raw[l - section.line - 1]`.
    let raw_line = |l: usize| {
        l.checked_sub(section.line + 1)
            .and_then(|i| raw.get(i))
            .copied()
    };
    let mut state = RevisionState::default();
    let mut out = Vec::new();
    let mut locks_for_long = false;
    let mut previous_end = section.line;
    let mut drops: Vec<(usize, String)> = Vec::new();
    let mut renamed_to: HashSet<String> = HashSet::new();
    for stmt in &statements {
        let end = stmt.line + stmt.sql.matches('\n').count();
        let comments: Vec<(usize, &str)> = (previous_end + 1..=end)
            .filter_map(|l| raw_line(l).map(|t| (l, t)))
            .collect();
        previous_end = end;
        let (allowed, mut bad) = allows(&comments, &rev.file);
        out.append(&mut bad);
        let parsed = Stmt::parse(&stmt.sql, dialect);
        let found = match dialect {
            Dialect::Postgres => postgres::check(&parsed, known, &mut state),
            Dialect::Sqlite => common(&parsed, &mut state),
        };
        if let Some(table) = parsed.dropped_table() {
            drops.push((stmt.line, table));
        }
        if let Some(table) = parsed.renamed_table_to() {
            renamed_to.insert(table);
        }
        for f in found {
            if f.rule.locks_for_long() {
                locks_for_long = true;
            }
            if allowed.contains(&f.rule) {
                continue;
            }
            out.push(Finding {
                file: rev.file.clone(),
                line: stmt.line,
                rule: f.rule,
                message: f.message,
                fix: f.fix,
            });
        }
        statement::update(&parsed, known, &mut state);
    }
    // A table dropped and another renamed to its name in the same revision is rebuilt (what
    // SQLite's 12-step procedure does), not dropped.
    out.retain(|f| {
        f.rule != Rule::DropTable
            || !drops
                .iter()
                .any(|(line, t)| *line == f.line && renamed_to.contains(t))
    });
    if dialect == Dialect::Postgres {
        out.extend(postgres::timeouts(
            rev,
            section,
            &statements,
            locks_for_long,
        ));
    }
    out
}

/// The rules both dialects share: what breaks the app instances still running the old code,
/// and a revision that changes the schema and rewrites every row.
pub(crate) fn common(stmt: &Stmt, state: &mut RevisionState) -> Vec<Found> {
    let mut out = Vec::new();
    let existing = |t: &str| !state.created.contains(t);
    match stmt {
        Stmt::AlterTable { table, actions } if existing(table) => {
            for a in actions {
                match a {
                    statement::Action::RenameColumn { from, to } => out.push(Found::new(
                        Rule::RenameColumn,
                        format!("renaming \"{table}\".\"{from}\" to \"{to}\" breaks the app instances still running the old code during a rolling deploy"),
                        "expand and contract: add the new column, write both, backfill, move the reads, and drop the old column once no instance uses it",
                    )),
                    statement::Action::RenameTable { to } => out.push(Found::new(
                        Rule::RenameTable,
                        format!("renaming table \"{table}\" to \"{to}\" breaks the app instances still running the old code during a rolling deploy"),
                        "expand and contract: create the new table (or a view under one of the names), move the code over, and drop the old name once no instance uses it",
                    )),
                    statement::Action::DropColumn { column, .. } => out.push(Found::new(
                        Rule::DropColumn,
                        format!("dropping \"{table}\".\"{column}\" breaks the app instances still running the old code, which still read or write it"),
                        "first deploy code that no longer uses the column, then drop it in a later revision",
                    )),
                    _ => {}
                }
            }
        }
        Stmt::DropTable { tables, .. } => {
            for t in tables.iter().filter(|t| existing(t)) {
                out.push(Found::new(
                    Rule::DropTable,
                    format!("dropping table \"{t}\" breaks the app instances still running the old code, and its data is gone"),
                    "first deploy code that no longer uses the table, then drop it in a later revision",
                ));
            }
        }
        Stmt::Update {
            table,
            all_rows: true,
        } if existing(table) && state.changed_schema => {
            out.push(Found::new(
                Rule::SchemaAndData,
                format!("this revision changes the schema and writes every row of \"{table}\" in the same transaction: the locks the schema change took are held until every row is written"),
                "move the data step into a revision of its own, in batches (`-- Transaction: none`)",
            ));
        }
        _ => {}
    }
    out
}

/// The `-- lint: allow <rule>: <why>` comments among `lines`: the rules they allow, and a
/// finding for each that names no rule or gives no reason.
fn allows(lines: &[(usize, &str)], file: &str) -> (HashSet<Rule>, Vec<Finding>) {
    let mut allowed = HashSet::new();
    let mut bad = Vec::new();
    for (line, text) in lines {
        let Some(at) = text.find("-- lint:") else {
            continue;
        };
        let rest = text[at + "-- lint:".len()..].trim();
        let Some(rest) = rest.strip_prefix("allow") else {
            bad.push(bad_allow(
                file,
                *line,
                "a `-- lint:` comment says `allow <rule>: <why>`",
            ));
            continue;
        };
        let (name, why) = rest.split_once(':').unwrap_or((rest, ""));
        match Rule::from_name(name.trim()) {
            Some(rule) if !why.trim().is_empty() && rule != Rule::Allow => {
                allowed.insert(rule);
            }
            Some(_) => bad.push(bad_allow(
                file,
                *line,
                &format!("`-- lint: allow {}` gives no reason", name.trim()),
            )),
            None => bad.push(bad_allow(
                file,
                *line,
                &format!("`-- lint: allow {}` names no lint rule", name.trim()),
            )),
        }
    }
    (allowed, bad)
}

fn bad_allow(file: &str, line: usize, what: &str) -> Finding {
    let names: Vec<&str> = Rule::ALL
        .iter()
        .filter(|r| **r != Rule::Allow)
        .map(|r| r.name())
        .collect();
    Finding {
        file: file.to_string(),
        line,
        rule: Rule::Allow,
        message: what.to_string(),
        fix: format!(
            "write `-- lint: allow <rule>: <why>`, the rule one of {}",
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests;
