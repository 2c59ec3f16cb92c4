//! Autogenerate: the revision that takes what the migrations produce to what the models
//! declare, rendered per dialect, with its exact inverse as the downgrade. [`plan`] and
//! [`render_file`] are pure (schemas in, SQL out); [`prepare`] is the whole engine behind
//! `db revision --autogenerate`: it builds the two schemas in scratch databases, drafts the
//! revision and tries it before anything is written.
//!
//! # Example
//!
//! ```
//! use migrations_core::autogen::plan;
//! use migrations_core::schema::{Column, ColumnType, Schema, Table};
//! use migrations_core::Dialect;
//!
//! let head = Schema::new().table(Table::new("todos").column(Column::new("id", ColumnType::Integer)));
//! let models = Schema::new().table(
//!     Table::new("todos")
//!         .column(Column::new("id", ColumnType::Integer))
//!         .column(Column::new("deleted_at", ColumnType::Timestamp)),
//! );
//! let p = plan(Dialect::Sqlite, &head, &models, &[]);
//! assert_eq!(p.up, ["ALTER TABLE \"todos\" ADD COLUMN \"deleted_at\" TIMESTAMP"]);
//! assert_eq!(p.down, ["ALTER TABLE \"todos\" DROP COLUMN \"deleted_at\""]);
//! ```
//!
//! On SQLite, what `ALTER TABLE` cannot do (change a column, a key, a constraint) is a table
//! rebuild, like Alembic's batch mode: new table, copy, drop, rename, recreate indexes; the
//! revision then carries `-- Foreign-Keys: off` so the runner turns foreign keys off around its
//! transaction and checks them before commit.

use crate::diff::{diff, same_column, Change};
use crate::error::{Error, Result};
mod engine;
#[cfg(feature = "postgres")]
mod kept;
mod scratch;

pub use engine::{prepare, write_snapshot, Draft, Request};
#[cfg(feature = "postgres")]
pub use kept::{drop_kept_head, kept_head_name, KEPT_HEAD_PREFIX};

use crate::dialect::Dialect;
use crate::render::order_views;
use crate::schema::{ColumnType, Function, Schema, Table};
use crate::sql::quote_ident;
use std::collections::BTreeSet;

/// A rename the user asked for with `--rename`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rename {
    /// `--rename old_table:new_table`
    Table {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `--rename table.old_column:new_column`
    Column {
        /// Table name (the new one, if the table is renamed too).
        table: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
}

impl Rename {
    /// Parses `table.old:new` (a column) or `old_table:new_table` (a table).
    pub fn parse(spec: &str) -> Result<Rename> {
        let bad = || Error::BadArgument {
            argument: format!("--rename {spec}"),
            reason: "write `table.old_column:new_column` or `old_table:new_table`".into(),
        };
        let (left, to) = spec.split_once(':').ok_or_else(bad)?;
        if to.is_empty() || left.is_empty() {
            return Err(bad());
        }
        Ok(match left.split_once('.') {
            Some((table, from)) if !table.is_empty() && !from.is_empty() => Rename::Column {
                table: table.into(),
                from: from.into(),
                to: to.into(),
            },
            Some(_) => return Err(bad()),
            None => Rename::Table {
                from: left.into(),
                to: to.into(),
            },
        })
    }
}

/// What autogenerate found for one dialect and the SQL it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plan {
    /// The dialect.
    pub dialect: Dialect,
    /// The changes, in order.
    pub changes: Vec<Change>,
    /// Upgrade statements.
    pub up: Vec<String>,
    /// Downgrade statements (the exact inverse).
    pub down: Vec<String>,
    /// Whether a SQLite table rebuild is among them (the revision then needs foreign keys off).
    pub rebuilds: bool,
    /// What can lose data or fail on existing rows.
    pub warnings: Vec<String>,
    /// Drops and adds that look like renames.
    pub possible_renames: Vec<String>,
    /// Whether the statements build and drop indexes without blocking writes (PostgreSQL's
    /// `CONCURRENTLY`): the revision then runs outside a transaction (`-- Transaction: none`).
    pub concurrently: bool,
}

/// The migration from `head` (what the revisions produce) to `models`, as read back from a
/// database of `dialect`, with the renames the user asked for.
pub fn plan(dialect: Dialect, head: &Schema, models: &Schema, renames: &[Rename]) -> Plan {
    let renamed = apply_renames(head, renames);
    // What the models do not manage (views when they declare none, triggers) stays as it is.
    let models = &models.with_unmanaged_from(&renamed);
    let mut changes: Vec<Change> = renames
        .iter()
        .map(|r| match r {
            Rename::Table { from, to } => Change::RenameTable {
                from: from.clone(),
                to: to.clone(),
            },
            Rename::Column { table, from, to } => Change::RenameColumn {
                table: table.clone(),
                from: from.clone(),
                to: to.clone(),
            },
        })
        .collect();
    changes.extend(diff(&renamed, models));
    let changes = with_dependent_views(changes, &renamed, models);

    let mut back: Vec<Change> = diff(models, &renamed);
    back.extend(renames.iter().rev().map(|r| match r {
        Rename::Table { from, to } => Change::RenameTable {
            from: to.clone(),
            to: from.clone(),
        },
        Rename::Column { table, from, to } => Change::RenameColumn {
            table: table.clone(),
            from: to.clone(),
            to: from.clone(),
        },
    }));
    // The table renames of the way back happen after its column renames (which name the new
    // table): put column renames first.
    let (cols, tabs): (Vec<Change>, Vec<Change>) = back
        .into_iter()
        .partition(|c| !matches!(c, Change::RenameTable { .. }));
    let back: Vec<Change> = cols.into_iter().chain(tabs).collect();
    let back = with_dependent_views(back, models, &renamed);

    let (up, up_rebuild) = render(dialect, &renamed, models, &changes);
    let (down, down_rebuild) = render(dialect, models, &renamed, &back);
    Plan {
        dialect,
        warnings: warnings(&renamed, models, &changes),
        possible_renames: possible_renames(&changes),
        changes,
        up,
        down,
        rebuilds: up_rebuild || down_rebuild,
        concurrently: false,
    }
}

/// The plan from `from` to `to` when they differ only in indexes of tables both have (as
/// [`split_busy_indexes`] leaves them): on PostgreSQL each index is built and dropped
/// `CONCURRENTLY`, both ways, and the revision runs outside a transaction, which PostgreSQL
/// requires of `CONCURRENTLY`. SQLite has no `CONCURRENTLY`: its statements stay plain.
pub fn plan_concurrently(dialect: Dialect, from: &Schema, to: &Schema) -> Plan {
    let mut p = plan(dialect, from, to, &[]);
    if dialect == Dialect::Postgres {
        for stmt in p.up.iter_mut().chain(p.down.iter_mut()) {
            *stmt = concurrent_form(stmt);
        }
    }
    p.concurrently = true;
    p
}

/// `CREATE [UNIQUE] INDEX` and `DROP INDEX` as their `CONCURRENTLY` forms; other statements as
/// they are.
fn concurrent_form(stmt: &str) -> String {
    for verb in ["CREATE INDEX ", "CREATE UNIQUE INDEX ", "DROP INDEX "] {
        if let Some(rest) = stmt.strip_prefix(verb) {
            return format!("{verb}CONCURRENTLY {rest}");
        }
    }
    stmt.to_string()
}

/// The schema between `head` and `models` that has every change but the index changes that
/// can be made concurrently, for autogenerate's `concurrently` option: `head` (with `renames`
/// applied) to it is the transactional revision, it to `models` the concurrent one
/// ([`plan_concurrently`]). `models` itself when there is no such change.
///
/// Moved to the concurrent revision: named indexes (not unique constraints, which the table
/// builds under its lock) added to, or dropped from, a table the head already has. Kept where
/// they were: an index on a table created or dropped here (nobody waits on it); a unique index
/// a new foreign key references (the key needs it when it is added); a dropped index
/// of a table that loses columns (it may go with them).
pub fn split_busy_indexes(head: &Schema, models: &Schema, renames: &[Rename]) -> Schema {
    let head = apply_renames(head, renames);
    let mut middle = models.clone();
    for (name, table) in middle.tables.iter_mut() {
        let Some(before) = head.tables.get(name) else {
            continue;
        };
        // A foreign key the head does not have yet, which is added in the first revision.
        let referenced = |i: &crate::schema::Index| {
            i.unique
                && models.tables.values().any(|t| {
                    let old = head.tables.get(&t.name);
                    t.foreign_keys.iter().any(|fk| {
                        &fk.ref_table == name
                            && fk.ref_columns == i.columns
                            && old
                                .is_none_or(|o| o.foreign_keys.iter().all(|k| k.key() != fk.key()))
                    })
                })
        };
        let keeps_columns = before
            .columns
            .iter()
            .all(|c| table.get_column(&c.name).is_some());
        let key = crate::schema::Index::key;
        let added: Vec<_> = table
            .indexes
            .iter()
            .filter(|i| i.name.is_some() && !referenced(i))
            .filter(|i| before.indexes.iter().all(|b| key(b) != key(i)))
            .cloned()
            .collect();
        let dropped: Vec<_> = before
            .indexes
            .iter()
            .filter(|b| b.name.is_some() && keeps_columns)
            .filter(|b| table.indexes.iter().all(|i| key(i) != key(b)))
            .cloned()
            .collect();
        table.indexes.retain(|i| !added.contains(i));
        table.indexes.extend(dropped);
    }
    middle
}

/// `head` with the requested renames applied (column renames inside indexes and keys too).
fn apply_renames(head: &Schema, renames: &[Rename]) -> Schema {
    let mut s = head.clone();
    for r in renames {
        match r {
            Rename::Table { from, to } => {
                if let Some(mut t) = s.tables.remove(from) {
                    t.name = to.clone();
                    s.tables.insert(to.clone(), t);
                }
                for t in s.tables.values_mut() {
                    for fk in &mut t.foreign_keys {
                        if &fk.ref_table == from {
                            fk.ref_table = to.clone();
                        }
                    }
                }
            }
            Rename::Column { table, from, to } => {
                let swap = |c: &mut String| {
                    if c == from {
                        *c = to.clone();
                    }
                };
                if let Some(t) = s.tables.get_mut(table) {
                    t.columns.iter_mut().for_each(|c| swap(&mut c.name));
                    t.primary_key.iter_mut().for_each(swap);
                    for i in &mut t.indexes {
                        for e in &mut i.columns {
                            let parsed = crate::sql::entry::parse(e, Dialect::Postgres);
                            if parsed.target == from && e != from {
                                *e = format!("{to}{}", parsed.options());
                            } else {
                                swap(e);
                            }
                        }
                    }
                    for fk in &mut t.foreign_keys {
                        fk.columns.iter_mut().for_each(swap);
                    }
                }
                for t in s.tables.values_mut() {
                    for fk in t
                        .foreign_keys
                        .iter_mut()
                        .filter(|fk| &fk.ref_table == table)
                    {
                        fk.ref_columns.iter_mut().for_each(swap);
                    }
                }
            }
        }
    }
    s
}

/// `changes` with, for each view of `from` that both schemas define alike but that reads a
/// table (or view) that changes, a [`Change::ReplaceView`]: PostgreSQL refuses to change or
/// drop what a view reads, and SQLite to rename a table into place under one. The view is
/// dropped first and made again last.
fn with_dependent_views(mut changes: Vec<Change>, from: &Schema, to: &Schema) -> Vec<Change> {
    let mut touched: BTreeSet<String> = BTreeSet::new();
    for c in &changes {
        match c {
            Change::RenameTable { from, to } => {
                touched.insert(from.clone());
                touched.insert(to.clone());
            }
            Change::AlterEnum { uses, .. } => {
                touched.extend(uses.iter().map(|(t, _)| t.clone()));
            }
            Change::CreateEnum(_) | Change::DropEnum(_) | Change::CreateView(_) => {}
            other => {
                touched.insert(other.table().to_string());
            }
        }
    }
    let mut added = true;
    while added {
        added = false;
        for v in from.views.values() {
            if touched.contains(&v.name) {
                continue;
            }
            let Some(same) = to.views.get(&v.name) else {
                continue;
            };
            if touched.iter().any(|t| crate::sql::mentions(&v.query, t)) {
                touched.insert(v.name.clone());
                changes.insert(
                    0,
                    Change::ReplaceView {
                        from: v.clone(),
                        to: same.clone(),
                    },
                );
                added = true;
            }
        }
    }
    changes
}

/// Renders `changes` (which take `from` to `to`) in `dialect`; says whether a SQLite rebuild
/// was needed. Views that go or change are dropped first (dependants first), enum types made
/// before the tables and dropped after them, views made last (each after those it reads);
/// the tables' changes in between are the dialect's (`dialect::postgres::alter`,
/// `dialect::sqlite::alter`).
pub fn render(
    dialect: Dialect,
    from: &Schema,
    to: &Schema,
    changes: &[Change],
) -> (Vec<String>, bool) {
    let (objects, tables): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.is_object());
    // Functions before the tables, but those whose signature names a table after them.
    let (mut functions, mut late_functions) = (Vec::new(), Vec::new());
    let tables: Vec<Change> = tables.into_iter().cloned().collect();
    let mut drop_views = Vec::new();
    let mut create_views = Vec::new();
    let (mut drop_triggers, mut create_triggers) = (Vec::new(), Vec::new());
    let mut first = Vec::new();
    // Dropped after the tables, each kind after what may use it: functions (their arguments
    // may be domains), domains (over enum types), enum types, extensions (their types).
    let mut last: [Vec<String>; 4] = Default::default();
    for c in &objects {
        match c {
            Change::DropTrigger(t) => drop_triggers.push(t.clone()),
            Change::CreateTrigger(t) => create_triggers.push(t.clone()),
            Change::ReplaceTrigger { from, to } => {
                drop_triggers.push(from.clone());
                create_triggers.push(to.clone());
            }
            Change::DropView(v) => drop_views.push(v.clone()),
            Change::CreateView(v) => create_views.push(v.clone()),
            Change::ReplaceView { from, to } => {
                drop_views.push(from.clone());
                create_views.push(to.clone());
            }
            _ if dialect == Dialect::Sqlite => {}
            Change::CreateExtension(x) => first.insert(0, crate::render::create_extension(x)),
            Change::UpdateExtension { to, .. } => first.push(crate::render::update_extension(to)),
            Change::CreateEnum(e) => first.push(crate::render::create_enum(e)),
            Change::AlterEnum { from, to, uses } => {
                first.extend(crate::dialect::postgres::alter::alter_enum(from, to, uses))
            }
            Change::CreateDomain(d) => first.push(crate::render::create_domain(d)),
            Change::CreateSequence(q) => first.push(crate::render::sequence(q, false)),
            Change::AlterSequence { to, .. } => first.push(crate::render::sequence(to, true)),
            Change::DropSequence(q) => {
                last[0].push(format!("DROP SEQUENCE {}", quote_ident(&q.name)))
            }
            Change::AlterDomain { from, to } => {
                first.extend(crate::dialect::postgres::alter::alter_domain(from, to))
            }
            Change::CreateFunction(f) | Change::ReplaceFunction { to: f, .. } => {
                let replace = matches!(c, Change::ReplaceFunction { .. });
                match crate::render::needs_tables(f, to) {
                    false => functions.push((f, replace)),
                    true => late_functions.push((f, replace)),
                }
            }
            Change::DropFunction(f) => last[0].push(crate::render::drop_routine(f)),
            Change::DropDomain(d) => last[1].push(format!("DROP DOMAIN {}", quote_ident(&d.name))),
            Change::DropEnum(e) => last[2].push(format!("DROP TYPE {}", quote_ident(&e.name))),
            Change::DropExtension(x) => {
                last[3].push(format!("DROP EXTENSION {}", quote_ident(&x.name)))
            }
            _ => {}
        }
    }
    // The tables' changes see neither the views dropped before them nor those made after.
    let (mut from, mut to) = (from.clone(), to.clone());
    for v in &drop_views {
        from.views.remove(&v.name);
    }
    for v in &create_views {
        to.views.remove(&v.name);
    }
    for t in &drop_triggers {
        from.triggers.remove(&t.key());
    }
    for t in &create_triggers {
        to.triggers.remove(&t.key());
    }
    let (middle, rebuilt) = match dialect {
        Dialect::Postgres => (crate::dialect::postgres::alter::render(&to, &tables), false),
        Dialect::Sqlite => crate::dialect::sqlite::alter::render(&from, &to, &tables),
    };
    let mut statements: Vec<String> = drop_triggers
        .iter()
        .map(|t| crate::render::drop_trigger(dialect, t))
        .collect();
    statements.extend(
        order_views(drop_views)
            .iter()
            .rev()
            .map(|v| crate::render::drop_view(dialect, v)),
    );
    statements.extend(first);
    // An aggregate after the functions it names.
    let routines = |list: Vec<(&Function, bool)>| -> Vec<String> {
        let (aggregates, others): (Vec<_>, Vec<_>) =
            list.into_iter().partition(|(f, _)| f.kind() == "AGGREGATE");
        others
            .into_iter()
            .chain(aggregates)
            .map(|(f, replace)| crate::render::routine(f, replace))
            .collect()
    };
    let (functions, late_functions) = (routines(functions), routines(late_functions));
    if !functions.is_empty() || !late_functions.is_empty() {
        // The functions come before the tables (their defaults and checks may call them), and
        // a body that reads a table is checked when it runs, as in pg_dump's output.
        statements.push("SET LOCAL check_function_bodies = false".to_string());
    }
    statements.extend(functions);
    statements.extend(middle);
    statements.extend(late_functions);
    statements.extend(last.into_iter().flatten());
    statements.extend(
        order_views(create_views)
            .iter()
            .map(|v| crate::render::create_view(dialect, v)),
    );
    statements.extend(create_triggers.iter().map(crate::render::create_trigger));
    // On PostgreSQL, strings that mean the same whatever `standard_conforming_strings` says.
    let statements = statements
        .iter()
        .map(|stmt| crate::sql::conforming_strings(dialect, stmt))
        .collect();
    (statements, rebuilt)
}

/// Whether a type change can fail on, or cut, existing values.
pub fn narrows(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    let rank = |t: &ColumnType| match t {
        SmallInt => Some(1),
        Integer => Some(2),
        BigInt => Some(3),
        _ => None,
    };
    match (from, to) {
        (Varchar(a), Varchar(b)) => b < a,
        (Text, Varchar(_)) => true,
        (a, b) if rank(a).is_some() && rank(b).is_some() => rank(b) < rank(a),
        (Double, Real) => true,
        (Numeric(p1, s1), Numeric(p2, s2)) => p2 < p1 || s2 < s1,
        (Real | Double | Numeric(..), SmallInt | Integer | BigInt) => true,
        (TimestampTz, Timestamp) => true,
        (a, b) => a != b && !matches!(b, Text),
    }
}

fn warnings(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        match c {
            Change::DropTable(t) => out.push(format!("drops table {} and all its rows", t.name)),
            Change::DropColumn { table, column } => {
                out.push(format!("drops column {table}.{} and its data", column.name))
            }
            Change::AlterColumn {
                table,
                from: a,
                to: b,
            } => {
                if a.ty != b.ty && narrows(&a.ty, &b.ty) {
                    out.push(format!(
                        "changes {table}.{} from {} to {}: existing values may not fit",
                        b.name, a.ty, b.ty
                    ));
                }
                if a.nullable && !b.nullable && b.default.is_none() {
                    out.push(format!(
                        "makes {table}.{} NOT NULL without a default: fails if a row holds NULL",
                        b.name
                    ));
                }
            }
            Change::AddColumn { table, column }
                if !column.nullable
                    && column.default.is_none()
                    && !column.identity
                    && from.tables.contains_key(table)
                    && to.tables.contains_key(table) =>
            {
                out.push(format!(
                    "adds NOT NULL column {table}.{} without a default: fails if the table has rows",
                    column.name
                ));
            }
            _ => {}
        }
    }
    out
}

fn possible_renames(changes: &[Change]) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        if let Change::DropColumn { table, column } = c {
            for c2 in changes {
                if let Change::AddColumn {
                    table: t2,
                    column: added,
                } = c2
                {
                    if t2 == table && same_column(column, added) {
                        out.push(format!(
                            "possible rename {table}.{} → {table}.{} (written as a drop and an add; if it is a rename, delete this revision and run again with --rename {table}.{}:{})",
                            column.name, added.name, column.name, added.name
                        ));
                    }
                }
            }
        }
        if let Change::DropTable(old) = c {
            for c2 in changes {
                if let Change::AddTable(new) = c2 {
                    let cols = |t: &Table| {
                        let mut v: Vec<String> = t
                            .columns
                            .iter()
                            .map(|c| format!("{} {}", c.name, c.ty))
                            .collect();
                        v.sort();
                        v
                    };
                    if cols(old) == cols(new) {
                        out.push(format!(
                            "possible rename of table {} → {} (written as a drop and a create; if it is a rename, delete this revision and run again with --rename {}:{})",
                            old.name, new.name, old.name, new.name
                        ));
                    }
                }
            }
        }
    }
    out
}

/// The text of an autogenerated revision file with a section per dialect (one shared section
/// when the dialects' SQL is the same).
pub fn render_file(
    id: &str,
    revises: &[String],
    message: &str,
    created: &str,
    plans: &[Plan],
    shared: bool,
) -> String {
    let mut out = crate::revision::render_header(id, revises, message, created);
    if plans
        .iter()
        .any(|p| p.rebuilds && p.dialect == Dialect::Sqlite)
    {
        out.push_str("-- Foreign-Keys: off\n");
    }
    if plans.iter().any(|p| p.concurrently) {
        out.push_str("-- Transaction: none\n");
    }
    out.push_str(
        "--\n-- Generated by `db revision --autogenerate`; review it before you commit it.\n",
    );
    let mut notes: Vec<String> = Vec::new();
    for p in plans {
        for w in p.warnings.iter().chain(&p.possible_renames) {
            if !notes.contains(w) {
                notes.push(w.clone());
            }
        }
    }
    for n in &notes {
        out.push_str(&format!("-- !! WARNING: {n}\n"));
    }
    // One shared section: when asked to, or when every dialect's SQL is the same. A single
    // plan is not "the same for every dialect": it keeps its dialect's own sections.
    let same = shared
        || (plans.len() > 1
            && plans
                .windows(2)
                .all(|w| w[0].up == w[1].up && w[0].down == w[1].down));
    if shared && plans.len() == 1 {
        out.push_str(&format!(
            "-- (SQL generated for {} only: the revisions' sections serve every dialect)\n",
            plans[0].dialect
        ));
    }
    let section = |out: &mut String, marker: &str, stmts: &[String]| {
        out.push_str(&format!("\n{marker}\n"));
        for s in stmts {
            out.push_str(s);
            out.push_str(";\n");
        }
    };
    if same && !plans.is_empty() {
        section(&mut out, "-- +upgrade", &plans[0].up);
        section(&mut out, "-- +downgrade", &plans[0].down);
    } else {
        for p in plans {
            section(&mut out, &format!("-- +upgrade {}", p.dialect), &p.up);
        }
        for p in plans {
            section(&mut out, &format!("-- +downgrade {}", p.dialect), &p.down);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Action, Column, ForeignKey, Index, Trigger, View};

    fn todos() -> Table {
        Table::new("todos")
            .column(Column::new("id", ColumnType::Integer).identity())
            .column(Column::new("title", ColumnType::Varchar(255)).not_null())
            .primary_key(["id"])
    }

    fn with(t: Table) -> Schema {
        Schema::new().table(t)
    }

    #[test]
    fn no_changes_no_sql() {
        let p = plan(Dialect::Postgres, &with(todos()), &with(todos()), &[]);
        assert!(p.changes.is_empty() && p.up.is_empty() && p.down.is_empty());
    }

    #[test]
    fn postgres_alters_with_using_where_a_cast_is_needed() {
        let mut t = todos();
        t.columns[1].ty = ColumnType::Integer;
        t.columns[1].nullable = true;
        let p = plan(Dialect::Postgres, &with(todos()), &with(t), &[]);
        assert_eq!(
            p.up,
            [
                "ALTER TABLE \"todos\" ALTER COLUMN \"title\" TYPE INTEGER USING \"title\"::INTEGER",
                "ALTER TABLE \"todos\" ALTER COLUMN \"title\" DROP NOT NULL"
            ]
        );
        assert_eq!(
            p.down,
            [
                "ALTER TABLE \"todos\" ALTER COLUMN \"title\" TYPE VARCHAR(255) USING \"title\"::VARCHAR(255)",
                "ALTER TABLE \"todos\" ALTER COLUMN \"title\" SET NOT NULL"
            ]
        );
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("existing values may not fit")),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn sqlite_rebuilds_what_alter_table_cannot_do() {
        let mut t = todos();
        t.columns[1].nullable = true;
        let p = plan(Dialect::Sqlite, &with(todos()), &with(t), &[]);
        assert!(p.rebuilds);
        assert_eq!(p.up[0], "CREATE TABLE \"_migrations_new_todos\" (\n    \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,\n    \"title\" VARCHAR(255)\n)");
        assert_eq!(p.up[1], "INSERT INTO \"_migrations_new_todos\" (\"id\", \"title\") SELECT \"id\", \"title\" FROM \"todos\"");
        // The AUTOINCREMENT counter goes with the rows.
        assert_eq!(
            p.up[2],
            "DELETE FROM sqlite_sequence WHERE name = '_migrations_new_todos'"
        );
        assert_eq!(p.up[3], "INSERT INTO sqlite_sequence (name, seq) SELECT '_migrations_new_todos', seq FROM sqlite_sequence WHERE name = 'todos'");
        assert_eq!(p.up[4], "DROP TABLE \"todos\"");
        assert_eq!(
            p.up[5],
            "ALTER TABLE \"_migrations_new_todos\" RENAME TO \"todos\""
        );
        assert!(p.down[0].contains("\"title\" VARCHAR(255) NOT NULL"));
    }

    #[test]
    fn new_tables_come_referenced_first_with_their_indexes() {
        let users = Table::new("users")
            .column(Column::new("id", ColumnType::Integer).identity())
            .primary_key(["id"]);
        let t = todos()
            .column(Column::new("user_id", ColumnType::Integer))
            .foreign_key(ForeignKey::new(["user_id"], "users", ["id"]).on_delete(Action::Cascade))
            .index(Index::new("todos_user", ["user_id"]));
        let p = plan(Dialect::Sqlite, &Schema::new(), &with(t).table(users), &[]);
        assert!(p.up[0].starts_with("CREATE TABLE \"users\""));
        assert!(p.up[1].starts_with("CREATE TABLE \"todos\""));
        assert_eq!(
            p.up[2],
            "CREATE INDEX \"todos_user\" ON \"todos\" (\"user_id\")"
        );
        assert_eq!(p.down, ["DROP TABLE \"todos\"", "DROP TABLE \"users\""]);
    }

    #[test]
    fn renames_are_never_guessed_but_flagged_and_done_when_asked() {
        let mut renamed = todos();
        renamed.columns[1].name = "name".into();
        let p = plan(
            Dialect::Postgres,
            &with(todos()),
            &with(renamed.clone()),
            &[],
        );
        assert!(
            p.possible_renames[0].contains("possible rename todos.title → todos.name"),
            "{:?}",
            p.possible_renames
        );
        let r = Rename::parse("todos.title:name").unwrap();
        let p = plan(Dialect::Postgres, &with(todos()), &with(renamed), &[r]);
        assert_eq!(
            p.up,
            ["ALTER TABLE \"todos\" RENAME COLUMN \"title\" TO \"name\""]
        );
        assert_eq!(
            p.down,
            ["ALTER TABLE \"todos\" RENAME COLUMN \"name\" TO \"title\""]
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn table_renames() {
        let mut t = todos();
        t.name = "tasks".into();
        let r = Rename::parse("todos:tasks").unwrap();
        let p = plan(Dialect::Sqlite, &with(todos()), &with(t), &[r]);
        assert_eq!(p.up, ["ALTER TABLE \"todos\" RENAME TO \"tasks\""]);
        assert_eq!(p.down, ["ALTER TABLE \"tasks\" RENAME TO \"todos\""]);
        assert!(Rename::parse("nocolon").is_err());
        assert!(Rename::parse(".x:y").is_err());
    }

    #[test]
    fn dropping_warns() {
        let t = todos().column(Column::new("notes", ColumnType::Text));
        let p = plan(Dialect::Sqlite, &with(t), &with(todos()), &[]);
        assert_eq!(p.up, ["ALTER TABLE \"todos\" DROP COLUMN \"notes\""]);
        assert_eq!(p.down, ["ALTER TABLE \"todos\" ADD COLUMN \"notes\" TEXT"]);
        assert_eq!(p.warnings, ["drops column todos.notes and its data"]);
    }

    #[test]
    fn the_file_has_a_section_per_dialect_unless_they_agree() {
        let t = todos().column(Column::new("deleted_at", ColumnType::Timestamp));
        let plans: Vec<Plan> = Dialect::ALL
            .iter()
            .map(|d| plan(*d, &with(todos()), &with(t.clone()), &[]))
            .collect();
        let file = render_file(
            "3f9a1c2e7b10",
            &["8c1f0e2a9b3d".into()],
            "soft delete",
            "2026-11-21 10:45:00 UTC",
            &plans,
            false,
        );
        assert!(
            file.contains(
                "\n-- +upgrade\nALTER TABLE \"todos\" ADD COLUMN \"deleted_at\" TIMESTAMP;\n"
            ),
            "{file}"
        );
        let rev = crate::revision::parse("v/3f9a1c2e7b10_soft_delete.sql", &file).unwrap();
        assert_eq!(rev.revises, ["8c1f0e2a9b3d"]);
        assert!(!rev.foreign_keys_off);
    }

    #[test]
    fn a_rebuild_keeps_views_and_triggers() {
        let mut head = with(todos());
        head = head.view(View::new("open_todos", "SELECT * FROM todos"));
        head = head.trigger(Trigger::new(
            "todos",
            "todos_touch",
            "CREATE TRIGGER todos_touch AFTER UPDATE ON \"todos\" BEGIN SELECT 1; END",
        ));
        let mut t = todos();
        t.columns[1].nullable = true;
        // Models that declare no view: the rebuild drops and makes again the head's.
        let unmanaged = with(t.clone());
        // Models that declare it: dropped before the rebuild, made again after everything.
        let managed = with(t).view(View::new("open_todos", "SELECT * FROM todos"));
        for models in [unmanaged, managed] {
            let p = plan(Dialect::Sqlite, &head, &models, &[]);
            assert_eq!(p.up[0], "DROP VIEW \"open_todos\"");
            assert!(
                p.up.contains(&"CREATE VIEW \"open_todos\" AS SELECT * FROM todos".to_string()),
                "{:?}",
                p.up
            );
            assert!(p
                .up
                .iter()
                .any(|s| s.starts_with("CREATE TRIGGER todos_touch")));
            assert_eq!(p.up.iter().filter(|s| s.contains("VIEW")).count(), 2);
        }
    }

    #[test]
    fn narrowing() {
        assert!(narrows(&ColumnType::Varchar(255), &ColumnType::Varchar(10)));
        assert!(!narrows(&ColumnType::Varchar(10), &ColumnType::Text));
        assert!(narrows(&ColumnType::BigInt, &ColumnType::Integer));
        assert!(!narrows(&ColumnType::Integer, &ColumnType::BigInt));
    }

    #[test]
    fn postgres_strings_with_backslashes_are_escape_strings() {
        let head = with(todos());
        let path = Column::new("path", ColumnType::Text)
            .not_null()
            .default_text("C:\\x'");
        let models = with(todos().column(path));
        let p = plan(Dialect::Postgres, &head, &models, &[]);
        assert!(p.up[0].ends_with(r"DEFAULT E'C:\\x'''"), "{}", p.up[0]);
        let lite = plan(Dialect::Sqlite, &head, &models, &[]);
        assert!(lite.up[0].contains(r"DEFAULT 'C:\x'''"), "{}", lite.up[0]);
    }

    #[test]
    fn busy_indexes_are_split_off_and_built_concurrently_on_postgres() {
        let users = Table::new("users")
            .column(Column::new("id", ColumnType::Integer))
            .column(Column::new("email", ColumnType::Text))
            .primary_key(["id"]);
        let head = with(todos().index(Index::new("todos_old", ["title"])));
        let models = with(
            todos()
                .column(Column::new("done", ColumnType::Boolean))
                .index(Index::new("todos_done", ["done"]))
                .index(Index::new("todos_title", ["lower(title)"]).unique())
                .unique(["title"]),
        )
        .table(users.clone().index(Index::new("users_email", ["email"])));
        let middle = split_busy_indexes(&head, &models, &[]);
        // The old index stays and the new ones go, on the existing table only; the unique
        // constraint stays with the transactional changes.
        let names = |s: &Schema, t: &str| -> Vec<Option<String>> {
            s.tables[t].indexes.iter().map(|i| i.name.clone()).collect()
        };
        assert_eq!(names(&middle, "todos"), [None, Some("todos_old".into())]);
        assert_eq!(names(&middle, "users"), [Some("users_email".into())]);
        assert!(middle.tables["todos"].get_column("done").is_some());

        let first = plan(Dialect::Postgres, &head, &middle, &[]);
        assert!(
            first.up.iter().all(|s| !s.contains("INDEX \"todos")),
            "{:?}",
            first.up
        );
        assert!(first
            .up
            .contains(&"ALTER TABLE \"todos\" ADD UNIQUE (\"title\")".into()));
        assert!(first
            .up
            .contains(&"CREATE INDEX \"users_email\" ON \"users\" (\"email\")".into()));
        let second = plan_concurrently(Dialect::Postgres, &middle, &models);
        assert!(second.concurrently);
        assert_eq!(
            second.up,
            [
                "DROP INDEX CONCURRENTLY \"todos_old\"",
                "CREATE INDEX CONCURRENTLY \"todos_done\" ON \"todos\" (\"done\")",
                "CREATE UNIQUE INDEX CONCURRENTLY \"todos_title\" ON \"todos\" ((lower(title)))",
            ]
        );
        assert_eq!(
            second.down[0], "DROP INDEX CONCURRENTLY \"todos_done\"",
            "{:?}",
            second.down
        );
        assert!(second.down.contains(
            &"CREATE INDEX CONCURRENTLY \"todos_old\" ON \"todos\" (\"title\")".to_string()
        ));
        let lite = plan_concurrently(Dialect::Sqlite, &middle, &models);
        assert!(lite.up.iter().all(|s| !s.contains("CONCURRENTLY")));
        let file = render_file(
            "3f9a1c2e7b10",
            &["8c1f0e2a9b3d".into()],
            "i",
            "now",
            &[lite, second],
            false,
        );
        let rev = crate::revision::parse("v/3f9a1c2e7b10_i.sql", &file).unwrap();
        assert!(!rev.transactional, "{file}");
    }

    #[test]
    fn indexes_a_foreign_key_or_a_dropped_column_needs_stay_in_the_transaction() {
        let users = || {
            Table::new("users")
                .column(Column::new("id", ColumnType::Integer))
                .column(Column::new("email", ColumnType::Text))
                .column(Column::new("name", ColumnType::Text))
                .index(Index::new("users_name", ["name"]))
        };
        let head = with(users()).table(todos());
        let mut u = users().index(Index::new("users_email", ["email"]).unique());
        u.columns.retain(|c| c.name != "name");
        u.indexes
            .retain(|i| i.name.as_deref() != Some("users_name"));
        let t = todos()
            .column(Column::new("owner", ColumnType::Text))
            .foreign_key(ForeignKey::new(["owner"], "users", ["email"]));
        let models = with(u).table(t);
        assert_eq!(split_busy_indexes(&head, &models, &[]), models);
        // A key the head already has needs no new index: that one goes concurrently.
        let mut head = models.clone();
        head.tables.get_mut("users").unwrap().indexes.clear();
        let middle = split_busy_indexes(&head, &models, &[]);
        assert!(middle.tables["users"].indexes.is_empty());
        // Nothing to split: the models themselves.
        assert_eq!(split_busy_indexes(&head, &head, &[]), head);
    }

    #[test]
    fn a_renamed_table_is_an_existing_table() {
        let mut tasks = todos().index(Index::new("tasks_title", ["title"]));
        tasks.name = "tasks".into();
        let renames = [Rename::parse("todos:tasks").unwrap()];
        let middle = split_busy_indexes(&with(todos()), &with(tasks.clone()), &renames);
        assert!(middle.tables["tasks"].indexes.is_empty());
        let first = plan(Dialect::Postgres, &with(todos()), &middle, &renames);
        assert_eq!(first.up, ["ALTER TABLE \"todos\" RENAME TO \"tasks\""]);
        let second = plan_concurrently(Dialect::Postgres, &middle, &with(tasks));
        assert_eq!(
            second.up,
            ["CREATE INDEX CONCURRENTLY \"tasks_title\" ON \"tasks\" (\"title\")"]
        );
    }

    #[test]
    fn the_concurrent_form_of_index_statements() {
        assert_eq!(
            concurrent_form("CREATE UNIQUE INDEX \"a\" ON \"t\" (\"x\") WHERE x > 0"),
            "CREATE UNIQUE INDEX CONCURRENTLY \"a\" ON \"t\" (\"x\") WHERE x > 0"
        );
        assert_eq!(
            concurrent_form("DROP INDEX \"a\""),
            "DROP INDEX CONCURRENTLY \"a\""
        );
        assert_eq!(
            concurrent_form("ALTER TABLE \"t\" ADD UNIQUE (\"x\")"),
            "ALTER TABLE \"t\" ADD UNIQUE (\"x\")"
        );
    }
}
