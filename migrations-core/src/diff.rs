//! One diff for every comparison: models against a live database (drift), and models against
//! what the migrations produce (autogenerate). Pure: schemas in, changes out.
//!
//! # Example
//!
//! ```
//! use migrations_core::diff::diff;
//! use migrations_core::schema::{Column, ColumnType, Schema, Table};
//!
//! let database = Schema::new().table(Table::new("todos").column(Column::new("id", ColumnType::Integer)));
//! let models = Schema::new().table(
//!     Table::new("todos")
//!         .column(Column::new("id", ColumnType::Integer))
//!         .column(Column::new("deleted_at", ColumnType::Timestamp)),
//! );
//! let changes = diff(&database, &models);
//! assert_eq!(changes[0].drift(), "todos.deleted_at: in the models, not in the database");
//! ```
//!
//! Constraints and indexes match by what they are (columns, target, actions, expression), never
//! by name; column order is never a difference; a unique constraint and a unique index on the
//! same columns are the same thing.

use crate::error::one_line;
use crate::render::order_views;
use crate::schema::{
    describe_column, describe_domain, describe_foreign_key, describe_index, describe_sequence,
    enum_labels, Check, Column, ColumnType, Domain, EnumType, Extension, ForeignKey, Function,
    Index, Partition, Schema, Sequence, Table, Trigger, View,
};
use crate::sql::normalize_expr;
use std::collections::{BTreeMap, BTreeSet};

/// One change that takes a schema towards another.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// Rename a table (only when asked for: the diff never guesses renames).
    RenameTable {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Rename a column (only when asked for).
    RenameColumn {
        /// Table name (after any table rename).
        table: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Create a table (with its indexes, foreign keys and checks).
    AddTable(Table),
    /// Drop a table.
    DropTable(Table),
    /// Add a column.
    AddColumn {
        /// Table name.
        table: String,
        /// The new column.
        column: Column,
    },
    /// Drop a column.
    DropColumn {
        /// Table name.
        table: String,
        /// The dropped column.
        column: Column,
    },
    /// Change a column's type, nullability, default or identity.
    AlterColumn {
        /// Table name.
        table: String,
        /// The column as it is.
        from: Column,
        /// The column as it should be.
        to: Column,
    },
    /// Change a table's primary key.
    AlterPrimaryKey {
        /// Table name.
        table: String,
        /// The key as it is (empty: none).
        from: Vec<String>,
        /// The key as it should be (empty: none).
        to: Vec<String>,
    },
    /// Add an index or unique constraint.
    AddIndex {
        /// Table name.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index or unique constraint.
    DropIndex {
        /// Table name.
        table: String,
        /// The index.
        index: Index,
    },
    /// Add a foreign key.
    AddForeignKey {
        /// Table name.
        table: String,
        /// The key.
        fk: ForeignKey,
    },
    /// Drop a foreign key.
    DropForeignKey {
        /// Table name.
        table: String,
        /// The key.
        fk: ForeignKey,
    },
    /// Add a check constraint.
    AddCheck {
        /// Table name.
        table: String,
        /// The check.
        check: Check,
    },
    /// Drop a check constraint.
    DropCheck {
        /// Table name.
        table: String,
        /// The check.
        check: Check,
    },
    /// Change how a table is partitioned (PostgreSQL cannot: the table must be made again).
    AlterPartitioning {
        /// Table name.
        table: String,
        /// The partition key as it is (`None`: not partitioned).
        from: Option<String>,
        /// The partition key as it should be.
        to: Option<String>,
    },
    /// Attach a table as a partition, detach it, or give it another bound (PostgreSQL).
    AlterPartition {
        /// Table name.
        table: String,
        /// Where it belongs now (`None`: a table of its own).
        from: Option<Partition>,
        /// Where it should belong.
        to: Option<Partition>,
    },
    /// Create a view.
    CreateView(View),
    /// Drop a view.
    DropView(View),
    /// Drop a view and create it again: its definition changed, or (autogenerate) it reads a
    /// table that changes.
    ReplaceView {
        /// The view as it is.
        from: View,
        /// The view as it should be.
        to: View,
    },
    /// Create a function or procedure (PostgreSQL).
    CreateFunction(Function),
    /// Drop a function or procedure (PostgreSQL).
    DropFunction(Function),
    /// Change a function's definition (PostgreSQL `CREATE OR REPLACE`).
    ReplaceFunction {
        /// The function as it is.
        from: Function,
        /// The function as it should be.
        to: Function,
    },
    /// Create a trigger.
    CreateTrigger(Trigger),
    /// Drop a trigger.
    DropTrigger(Trigger),
    /// Drop a trigger and create it again, as it should be.
    ReplaceTrigger {
        /// The trigger as it is.
        from: Trigger,
        /// The trigger as it should be.
        to: Trigger,
    },
    /// Create a sequence (PostgreSQL).
    CreateSequence(Sequence),
    /// Drop a sequence (PostgreSQL).
    DropSequence(Sequence),
    /// Change a sequence's start, step, bounds or cycling (PostgreSQL `ALTER SEQUENCE`).
    AlterSequence {
        /// The sequence as it is.
        from: Sequence,
        /// The sequence as it should be.
        to: Sequence,
    },
    /// Create a domain (PostgreSQL).
    CreateDomain(Domain),
    /// Drop a domain (PostgreSQL).
    DropDomain(Domain),
    /// Change a domain's default, `NOT NULL` or checks (PostgreSQL `ALTER DOMAIN`; another base
    /// type is a drop and a create).
    AlterDomain {
        /// The domain as it is.
        from: Domain,
        /// The domain as it should be.
        to: Domain,
    },
    /// Create an extension (PostgreSQL).
    CreateExtension(Extension),
    /// Drop an extension (PostgreSQL).
    DropExtension(Extension),
    /// Update an extension to the version the models pin (PostgreSQL).
    UpdateExtension {
        /// The extension as it is.
        from: Extension,
        /// The extension as it should be.
        to: Extension,
    },
    /// Create an enum type (PostgreSQL).
    CreateEnum(EnumType),
    /// Drop an enum type (PostgreSQL).
    DropEnum(EnumType),
    /// Change an enum type's labels (PostgreSQL): new labels added in place when the old ones
    /// keep their order, else the type made again and its columns converted.
    AlterEnum {
        /// The type as it is.
        from: EnumType,
        /// The type as it should be.
        to: EnumType,
        /// The columns of that type as they are, `(table, column)`, each with the default it
        /// should have afterwards.
        uses: Vec<(String, Column)>,
    },
}

impl Change {
    /// The table the change concerns.
    pub fn table(&self) -> &str {
        match self {
            Change::AddTable(t) | Change::DropTable(t) => &t.name,
            Change::RenameTable { to, .. } => to,
            Change::RenameColumn { table, .. }
            | Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::AlterPrimaryKey { table, .. }
            | Change::AddIndex { table, .. }
            | Change::DropIndex { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. }
            | Change::AlterPartitioning { table, .. }
            | Change::AlterPartition { table, .. } => table,
            Change::CreateView(v) | Change::DropView(v) | Change::ReplaceView { to: v, .. } => {
                &v.name
            }
            Change::CreateEnum(e) | Change::DropEnum(e) | Change::AlterEnum { to: e, .. } => {
                &e.name
            }
            Change::CreateExtension(x)
            | Change::DropExtension(x)
            | Change::UpdateExtension { to: x, .. } => &x.name,
            Change::CreateFunction(f)
            | Change::DropFunction(f)
            | Change::ReplaceFunction { to: f, .. } => &f.name,
            Change::CreateDomain(d) | Change::DropDomain(d) | Change::AlterDomain { to: d, .. } => {
                &d.name
            }
            Change::CreateSequence(q)
            | Change::DropSequence(q)
            | Change::AlterSequence { to: q, .. } => &q.name,
            Change::CreateTrigger(t)
            | Change::DropTrigger(t)
            | Change::ReplaceTrigger { to: t, .. } => &t.table,
        }
    }

    /// Whether the change is of a view or a type rather than of a table.
    pub fn is_object(&self) -> bool {
        matches!(
            self,
            Change::CreateView(_)
                | Change::DropView(_)
                | Change::ReplaceView { .. }
                | Change::CreateEnum(_)
                | Change::DropEnum(_)
                | Change::AlterEnum { .. }
                | Change::CreateExtension(_)
                | Change::DropExtension(_)
                | Change::UpdateExtension { .. }
                | Change::CreateDomain(_)
                | Change::DropDomain(_)
                | Change::AlterDomain { .. }
                | Change::CreateSequence(_)
                | Change::DropSequence(_)
                | Change::AlterSequence { .. }
                | Change::CreateFunction(_)
                | Change::DropFunction(_)
                | Change::ReplaceFunction { .. }
                | Change::CreateTrigger(_)
                | Change::DropTrigger(_)
                | Change::ReplaceTrigger { .. }
        )
    }

    /// The change as a drift finding, where the diff went from the database to the models:
    /// `todos.title: type VARCHAR(255) in the models, TEXT in the database`.
    pub fn drift(&self) -> String {
        const M: &str = "in the models, not in the database";
        const D: &str = "in the database, not in the models";
        match self {
            Change::RenameTable { from, to } => {
                format!("table {to}: {M} (table {from}: {D})")
            }
            Change::RenameColumn { table, from, to } => {
                format!("{table}.{to}: {M} ({table}.{from}: {D})")
            }
            Change::AddTable(t) => format!("table {}: {M}", t.name),
            Change::DropTable(t) => format!("table {}: {D}", t.name),
            Change::AddColumn { table, column } => format!("{table}.{}: {M}", column.name),
            Change::DropColumn { table, column } => format!("{table}.{}: {D}", column.name),
            Change::AlterColumn { table, from, to } => {
                let mut parts = Vec::new();
                if from.ty != to.ty {
                    parts.push(format!(
                        "type {} in the models, {} in the database",
                        to.ty, from.ty
                    ));
                }
                if from.nullable != to.nullable {
                    let word = |n: bool| if n { "nullable" } else { "NOT NULL" };
                    parts.push(format!(
                        "{} in the models, {} in the database",
                        word(to.nullable),
                        word(from.nullable)
                    ));
                }
                if !same_default(&from.default, &to.default) {
                    let word = |d: &Option<String>| {
                        d.as_ref()
                            .map_or("no default".to_string(), |d| format!("default {d}"))
                    };
                    parts.push(format!(
                        "{} in the models, {} in the database",
                        word(&to.default),
                        word(&from.default)
                    ));
                }
                if from.identity != to.identity {
                    let word = |i: bool| if i { "identity" } else { "not identity" };
                    parts.push(format!(
                        "{} in the models, {} in the database",
                        word(to.identity),
                        word(from.identity)
                    ));
                }
                format!("{table}.{}: {}", to.name, parts.join("; "))
            }
            Change::AlterPrimaryKey { table, from, to } => {
                let word = |k: &Vec<String>| {
                    if k.is_empty() {
                        "no primary key".to_string()
                    } else {
                        format!("primary key ({})", k.join(", "))
                    }
                };
                format!(
                    "{table}: {} in the models, {} in the database",
                    word(to),
                    word(from)
                )
            }
            Change::AddIndex { table, index } => format!("{table}: {} {M}", describe_index(index)),
            Change::DropIndex { table, index } => format!("{table}: {} {D}", describe_index(index)),
            Change::AddForeignKey { table, fk } => {
                format!("{table}: {} {M}", describe_foreign_key(fk))
            }
            Change::DropForeignKey { table, fk } => {
                format!("{table}: {} {D}", describe_foreign_key(fk))
            }
            Change::AddCheck { table, check } => format!("{table}: check ({}) {M}", check.expr),
            Change::DropCheck { table, check } => format!("{table}: check ({}) {D}", check.expr),
            Change::AlterPartitioning { table, from, to } => {
                let word = |k: &Option<String>| {
                    k.as_ref().map_or("not partitioned".to_string(), |k| {
                        format!("partitioned by {k}")
                    })
                };
                format!(
                    "table {table}: {} in the models, {} in the database",
                    word(to),
                    word(from)
                )
            }
            Change::AlterPartition { table, from, to } => format!(
                "table {table}: {} in the models, {} in the database",
                partition_word(to),
                partition_word(from)
            ),
            Change::CreateView(v) => format!("{}: {M}", view_word(v)),
            Change::DropView(v) => format!("{}: {D}", view_word(v)),
            Change::ReplaceView { from, to } => format!(
                "{}: defined as `{}` in the models, `{}` in the database",
                view_word(to),
                one_line(&to.query),
                one_line(&from.query)
            ),
            Change::CreateSequence(q) => format!("sequence {}: {M}", q.name),
            Change::DropSequence(q) => format!("sequence {}: {D}", q.name),
            Change::AlterSequence { from, to } => format!(
                "sequence {}: `{}` in the models, `{}` in the database",
                to.name,
                describe_sequence(to),
                describe_sequence(from)
            ),
            Change::CreateDomain(d) => format!("domain {}: {M}", d.name),
            Change::DropDomain(d) => format!("domain {}: {D}", d.name),
            Change::AlterDomain { from, to } => format!(
                "domain {}: `{}` in the models, `{}` in the database",
                to.name,
                describe_domain(to),
                describe_domain(from)
            ),
            Change::CreateFunction(f) => format!("function {}: {M}", f.name),
            Change::DropFunction(f) => format!("function {}: {D}", f.name),
            Change::ReplaceFunction { from, to } => format!(
                "function {}: defined as `{}` in the models, `{}` in the database",
                to.name,
                one_line(&to.definition),
                one_line(&from.definition)
            ),
            Change::CreateTrigger(t) => format!("trigger {} on {}: {M}", t.name, t.table),
            Change::DropTrigger(t) => format!("trigger {} on {}: {D}", t.name, t.table),
            Change::ReplaceTrigger { from, to } => format!(
                "trigger {} on {}: defined as `{}` in the models, `{}` in the database",
                to.name,
                to.table,
                one_line(&to.definition),
                one_line(&from.definition)
            ),
            Change::CreateExtension(x) => format!("extension {}: {M}", x.name),
            Change::DropExtension(x) => format!("extension {}: {D}", x.name),
            Change::UpdateExtension { from, to } => format!(
                "extension {}: version {} in the models, {} in the database",
                to.name,
                to.version.as_deref().unwrap_or("any"),
                from.version.as_deref().unwrap_or("unknown")
            ),
            Change::CreateEnum(e) => format!("enum type {}: {M}", e.name),
            Change::DropEnum(e) => format!("enum type {}: {D}", e.name),
            Change::AlterEnum { from, to, .. } => format!(
                "enum type {}: labels ({}) in the models, ({}) in the database",
                to.name,
                enum_labels(to),
                enum_labels(from)
            ),
        }
    }

    /// The change as autogenerate reports it, Alembic-style: `Detected added column
    /// 'todos.deleted_at'`.
    pub fn detected(&self) -> String {
        match self {
            Change::RenameTable { from, to } => format!("Renaming table '{from}' to '{to}'"),
            Change::RenameColumn { table, from, to } => {
                format!("Renaming column '{table}.{from}' to '{table}.{to}'")
            }
            Change::AddTable(t) => format!("Detected added table '{}'", t.name),
            Change::DropTable(t) => format!("Detected removed table '{}'", t.name),
            Change::AddColumn { table, column } => {
                format!("Detected added column '{table}.{}'", column.name)
            }
            Change::DropColumn { table, column } => {
                format!("Detected removed column '{table}.{}'", column.name)
            }
            Change::AlterColumn { table, from, to } => format!(
                "Detected changed column '{table}.{}': {} -> {}",
                to.name,
                describe_column(from),
                describe_column(to)
            ),
            Change::AlterPrimaryKey { table, from, to } => format!(
                "Detected changed primary key of '{table}': ({}) -> ({})",
                from.join(", "),
                to.join(", ")
            ),
            Change::AddIndex { table, index } => {
                format!("Detected added {} on '{table}'", describe_index(index))
            }
            Change::DropIndex { table, index } => {
                format!("Detected removed {} on '{table}'", describe_index(index))
            }
            Change::AddForeignKey { table, fk } => {
                format!("Detected added {} on '{table}'", describe_foreign_key(fk))
            }
            Change::DropForeignKey { table, fk } => {
                format!("Detected removed {} on '{table}'", describe_foreign_key(fk))
            }
            Change::AddCheck { table, check } => {
                format!("Detected added check ({}) on '{table}'", check.expr)
            }
            Change::DropCheck { table, check } => {
                format!("Detected removed check ({}) on '{table}'", check.expr)
            }
            Change::AlterPartitioning { table, from, to } => format!(
                "Detected changed partitioning of '{table}': {} -> {} (PostgreSQL cannot change it: \
                 make a new table, copy the rows, swap the names, in a revision of your own)",
                from.as_deref().unwrap_or("none"),
                to.as_deref().unwrap_or("none")
            ),
            Change::AlterPartition { table, from, to } => format!(
                "Detected changed partition '{table}': {} -> {}",
                partition_word(from),
                partition_word(to)
            ),
            Change::CreateView(v) => format!("Detected added {} '{}'", kind_of(v), v.name),
            Change::DropView(v) => format!("Detected removed {} '{}'", kind_of(v), v.name),
            Change::ReplaceView { from, to } if from.key() == to.key() => format!(
                "Re-creating {} '{}' around the changes of the tables it reads",
                kind_of(to),
                to.name
            ),
            Change::ReplaceView { to, .. } => {
                format!("Detected changed {} '{}'", kind_of(to), to.name)
            }
            Change::CreateSequence(q) => format!("Detected added sequence '{}'", q.name),
            Change::DropSequence(q) => format!("Detected removed sequence '{}'", q.name),
            Change::AlterSequence { from, to } => format!(
                "Detected changed sequence '{}': {} -> {}",
                to.name,
                describe_sequence(from),
                describe_sequence(to)
            ),
            Change::CreateDomain(d) => format!("Detected added domain '{}'", d.name),
            Change::DropDomain(d) => format!("Detected removed domain '{}'", d.name),
            Change::AlterDomain { from, to } => format!(
                "Detected changed domain '{}': {} -> {}",
                to.name,
                describe_domain(from),
                describe_domain(to)
            ),
            Change::CreateFunction(f) => format!("Detected added function '{}'", f.name),
            Change::DropFunction(f) => format!("Detected removed function '{}'", f.name),
            Change::ReplaceFunction { to, .. } => {
                format!("Detected changed function '{}'", to.name)
            }
            Change::CreateTrigger(t) => {
                format!("Detected added trigger '{}' on '{}'", t.name, t.table)
            }
            Change::DropTrigger(t) => {
                format!("Detected removed trigger '{}' on '{}'", t.name, t.table)
            }
            Change::ReplaceTrigger { to, .. } => {
                format!("Detected changed trigger '{}' on '{}'", to.name, to.table)
            }
            Change::CreateExtension(x) => format!("Detected added extension '{}'", x.name),
            Change::DropExtension(x) => format!("Detected removed extension '{}'", x.name),
            Change::UpdateExtension { from, to } => format!(
                "Detected changed extension '{}': version {} -> {}",
                to.name,
                from.version.as_deref().unwrap_or("unknown"),
                to.version.as_deref().unwrap_or("any")
            ),
            Change::CreateEnum(e) => format!("Detected added enum type '{}'", e.name),
            Change::DropEnum(e) => format!("Detected removed enum type '{}'", e.name),
            Change::AlterEnum { from, to, .. } => format!(
                "Detected changed enum type '{}': ({}) -> ({})",
                to.name,
                enum_labels(from),
                enum_labels(to)
            ),
        }
    }
}

fn kind_of(v: &View) -> &'static str {
    if v.materialized {
        "materialized view"
    } else {
        "view"
    }
}

fn partition_word(p: &Option<Partition>) -> String {
    match p {
        Some(p) => format!("a partition of {} ({})", p.parent, p.bound),
        None => "a table of its own".to_string(),
    }
}

fn view_word(v: &View) -> String {
    format!("{} {}", kind_of(v), v.name)
}

fn same_default(a: &Option<String>, b: &Option<String>) -> bool {
    a.as_deref().map(normalize_expr) == b.as_deref().map(normalize_expr)
}

/// Whether two columns are the same, names aside.
pub fn same_column(a: &Column, b: &Column) -> bool {
    a.ty == b.ty
        && a.nullable == b.nullable
        && a.identity == b.identity
        && same_default(&a.default, &b.default)
}

/// The changes that take `from` to `to`, in an order that runs: foreign keys, indexes and
/// checks dropped first; tables dropped referencing-first and created referenced-first; then
/// columns and primary keys; then new indexes and checks; new foreign keys last.
pub fn diff(from: &Schema, to: &Schema) -> Vec<Change> {
    let mut drop_constraints = Vec::new();
    let mut drop_tables = Vec::new();
    let mut add_tables = Vec::new();
    let mut columns = Vec::new();
    let mut add_constraints = Vec::new();

    for (name, t) in &from.tables {
        if !to.tables.contains_key(name) {
            drop_tables.push(t.clone());
        }
    }
    for (name, t) in &to.tables {
        if !from.tables.contains_key(name) {
            add_tables.push(t.clone());
        }
    }
    for (name, a) in &from.tables {
        let Some(b) = to.tables.get(name) else {
            continue;
        };
        let table = || name.clone();
        if a.partition_by != b.partition_by {
            columns.push(Change::AlterPartitioning {
                table: table(),
                from: a.partition_by.clone(),
                to: b.partition_by.clone(),
            });
        }
        if a.partition_of != b.partition_of {
            columns.push(Change::AlterPartition {
                table: table(),
                from: a.partition_of.clone(),
                to: b.partition_of.clone(),
            });
        }
        // A partition's columns, keys and indexes are its partitioned table's.
        if b.partition_of.is_some() {
            continue;
        }
        // Columns, by name.
        for ca in &a.columns {
            match b.get_column(&ca.name) {
                None => columns.push(Change::DropColumn {
                    table: table(),
                    column: ca.clone(),
                }),
                Some(cb) if !same_column(ca, cb) => columns.push(Change::AlterColumn {
                    table: table(),
                    from: ca.clone(),
                    to: cb.clone(),
                }),
                Some(_) => {}
            }
        }
        for cb in &b.columns {
            if a.get_column(&cb.name).is_none() {
                columns.push(Change::AddColumn {
                    table: table(),
                    column: cb.clone(),
                });
            }
        }
        if a.primary_key != b.primary_key {
            columns.push(Change::AlterPrimaryKey {
                table: table(),
                from: a.primary_key.clone(),
                to: b.primary_key.clone(),
            });
        }
        // Indexes, foreign keys and checks, by what they are.
        let (gone, new) = unmatched(&a.indexes, &b.indexes, Index::key);
        drop_constraints.extend(gone.into_iter().map(|index| Change::DropIndex {
            table: table(),
            index,
        }));
        add_constraints.extend(new.into_iter().map(|index| Change::AddIndex {
            table: table(),
            index,
        }));
        let (gone, new) = unmatched(&a.checks, &b.checks, |c: &Check| normalize_expr(&c.expr));
        drop_constraints.extend(gone.into_iter().map(|check| Change::DropCheck {
            table: table(),
            check,
        }));
        add_constraints.extend(new.into_iter().map(|check| Change::AddCheck {
            table: table(),
            check,
        }));
        let (gone, new) = unmatched(&a.foreign_keys, &b.foreign_keys, ForeignKey::key);
        // Foreign keys go first on the way out and last on the way in.
        let mut fk_drops: Vec<Change> = gone
            .into_iter()
            .map(|fk| Change::DropForeignKey { table: table(), fk })
            .collect();
        fk_drops.append(&mut drop_constraints);
        drop_constraints = fk_drops;
        add_constraints.extend(
            new.into_iter()
                .map(|fk| Change::AddForeignKey { table: table(), fk }),
        );
    }

    // Views that go or change are dropped before anything else, enum types made before the
    // tables that use them and dropped after; views are made last.
    let (view_drops, view_creates) = views(from, to);
    let (trigger_drops, trigger_creates) = triggers(from, to);
    let mut out = trigger_drops;
    out.extend(view_drops);
    out.extend(come_or_change(
        &from.extensions,
        &to.extensions,
        // A version the models do not pin is any version.
        |a, b| a.version.is_none() || b.version.is_none() || a.version == b.version,
        Change::CreateExtension,
        |from, to| Change::UpdateExtension { from, to },
    ));
    out.extend(come_or_change(
        &from.enums,
        &to.enums,
        |a, b| a.labels == b.labels,
        Change::CreateEnum,
        |old, new| Change::AlterEnum {
            uses: enum_uses(from, to, &new.name),
            from: old,
            to: new,
        },
    ));
    out.extend(come_or_change(
        &from.domains,
        &to.domains,
        |a, b| describe_domain(a) == describe_domain(b),
        Change::CreateDomain,
        |from, to| Change::AlterDomain { from, to },
    ));
    out.extend(come_or_change(
        &from.sequences,
        &to.sequences,
        |a, b| a.key() == b.key(),
        Change::CreateSequence,
        |from, to| Change::AlterSequence { from, to },
    ));
    out.extend(come_or_change(
        &from.functions,
        &to.functions,
        |a, b| a.key() == b.key(),
        Change::CreateFunction,
        |from, to| Change::ReplaceFunction { from, to },
    ));
    out.extend(drop_constraints);
    let mut dropped = order_by_references(drop_tables);
    dropped.reverse();
    out.extend(dropped.into_iter().map(Change::DropTable));
    out.extend(
        order_by_references(add_tables)
            .into_iter()
            .map(Change::AddTable),
    );
    out.extend(columns);
    // New foreign keys last of all: they may need a unique constraint added just before.
    let (fks, others): (Vec<Change>, Vec<Change>) = add_constraints
        .into_iter()
        .partition(|c| matches!(c, Change::AddForeignKey { .. }));
    out.extend(others);
    out.extend(fks);
    out.extend(gone(&from.enums, &to.enums, Change::DropEnum));
    out.extend(gone(&from.functions, &to.functions, Change::DropFunction));
    out.extend(gone(&from.sequences, &to.sequences, Change::DropSequence));
    out.extend(gone(&from.domains, &to.domains, Change::DropDomain));
    out.extend(gone(
        &from.extensions,
        &to.extensions,
        Change::DropExtension,
    ));
    out.extend(view_creates);
    out.extend(trigger_creates);
    out
}

/// For each object of `to`, by its key: `create` it where `from` lacks it, `change` it where
/// `from`'s is not the `same`.
fn come_or_change<T: Clone>(
    from: &BTreeMap<String, T>,
    to: &BTreeMap<String, T>,
    same: impl Fn(&T, &T) -> bool,
    create: impl Fn(T) -> Change,
    change: impl Fn(T, T) -> Change,
) -> Vec<Change> {
    to.iter()
        .filter_map(|(key, new)| match from.get(key) {
            None => Some(create(new.clone())),
            Some(old) if !same(old, new) => Some(change(old.clone(), new.clone())),
            Some(_) => None,
        })
        .collect()
}

/// The objects of `from` that `to` lacks, each as `drop`.
fn gone<T: Clone>(
    from: &BTreeMap<String, T>,
    to: &BTreeMap<String, T>,
    drop: impl Fn(T) -> Change,
) -> Vec<Change> {
    from.iter()
        .filter(|(key, _)| !to.contains_key(*key))
        .map(|(_, old)| drop(old.clone()))
        .collect()
}

/// Triggers of `from` that go or change (dropped: a replaced one stands for both), and
/// triggers of `to` that come (created).
fn triggers(from: &Schema, to: &Schema) -> (Vec<Change>, Vec<Change>) {
    let mut drops = Vec::new();
    for (key, t) in &from.triggers {
        match to.triggers.get(key) {
            None => drops.push(Change::DropTrigger(t.clone())),
            Some(n) if n.normal_form() != t.normal_form() => drops.push(Change::ReplaceTrigger {
                from: t.clone(),
                to: n.clone(),
            }),
            Some(_) => {}
        }
    }
    let creates = to
        .triggers
        .iter()
        .filter(|(k, _)| !from.triggers.contains_key(*k))
        .map(|(_, t)| Change::CreateTrigger(t.clone()))
        .collect();
    (drops, creates)
}

/// The views of `from` that go or change (dropped, dependants first) and the views of `to`
/// that come or change (created, each after those it reads).
fn views(from: &Schema, to: &Schema) -> (Vec<Change>, Vec<Change>) {
    let mut drops: Vec<Change> = Vec::new();
    let mut creates: Vec<Change> = Vec::new();
    let old: Vec<View> = from.views.values().cloned().collect();
    for v in order_views(old).into_iter().rev() {
        match to.views.get(&v.name) {
            None => drops.push(Change::DropView(v)),
            Some(n) if n.key() != v.key() => drops.push(Change::ReplaceView {
                from: v,
                to: n.clone(),
            }),
            Some(_) => {}
        }
    }
    let new: Vec<View> = to.views.values().cloned().collect();
    for v in order_views(new) {
        match from.views.get(&v.name) {
            None => creates.push(Change::CreateView(v)),
            Some(o) if o.key() != v.key() => creates.push(Change::ReplaceView {
                from: o.clone(),
                to: v,
            }),
            Some(_) => {}
        }
    }
    // A replaced view is one change: its drop (first) stands for both, its create goes last.
    creates.retain(|c| !matches!(c, Change::ReplaceView { .. }));
    (drops, creates)
}

/// The columns of `from` whose type is the enum type `name`, `(table, column)`, each with the
/// default `to` gives it (none where `to` has no such column).
fn enum_uses(from: &Schema, to: &Schema, name: &str) -> Vec<(String, Column)> {
    let mut out = Vec::new();
    for t in from.tables.values() {
        for c in &t.columns {
            if let ColumnType::Raw(ty) = &c.ty {
                if crate::dialect::postgres::unquote(ty) == name {
                    let mut c = c.clone();
                    c.default = to
                        .tables
                        .get(&t.name)
                        .and_then(|t| t.get_column(&c.name))
                        .and_then(|c| c.default.clone());
                    out.push((t.name.clone(), c));
                }
            }
        }
    }
    out
}

/// Items of `a` with no counterpart in `b` and items of `b` with none in `a`, matched by `key`
/// as multisets.
fn unmatched<T: Clone, K: Ord>(a: &[T], b: &[T], key: impl Fn(&T) -> K) -> (Vec<T>, Vec<T>) {
    (without(a, b, &key), without(b, a, &key))
}

/// Items of `a` left once each item of `b` has taken away one with the same `key`.
fn without<T: Clone, K: Ord>(a: &[T], b: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
    let mut remaining: BTreeMap<K, usize> = BTreeMap::new();
    for x in b {
        *remaining.entry(key(x)).or_default() += 1;
    }
    a.iter()
        .filter(|x| match remaining.get_mut(&key(x)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Tables ordered so a table comes after the tables its foreign keys reference (among these
/// tables; cycles keep name order).
pub fn order_by_references(mut tables: Vec<Table>) -> Vec<Table> {
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let names: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let ready = tables.iter().position(|t| {
            let parent = t.partition_of.as_ref().map(|p| &p.parent);
            t.foreign_keys
                .iter()
                .map(|fk| &fk.ref_table)
                .chain(parent)
                .all(|r| *r == t.name || !names.contains(r) || placed.contains(r))
        });
        let t = tables.remove(ready.unwrap_or(0));
        placed.insert(t.name.clone());
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Action, ColumnType};

    fn users() -> Table {
        Table::new("users")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("email", ColumnType::Varchar(200)).not_null())
            .primary_key(["id"])
            .unique(["email"])
    }

    fn todos() -> Table {
        Table::new("todos")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("user_id", ColumnType::BigInt))
            .column(Column::new("title", ColumnType::Varchar(255)).not_null())
            .primary_key(["id"])
            .index(Index::new("todos_user", ["user_id"]))
            .foreign_key(ForeignKey::new(["user_id"], "users", ["id"]).on_delete(Action::Cascade))
            .check("title <> ''")
    }

    fn schema(tables: Vec<Table>) -> Schema {
        tables.into_iter().fold(Schema::new(), Schema::table)
    }

    fn drift(a: &Schema, b: &Schema) -> Vec<String> {
        diff(a, b).iter().map(Change::drift).collect()
    }

    #[test]
    fn identical_schemas_have_no_changes() {
        let s = schema(vec![users(), todos()]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn names_and_column_order_do_not_matter() {
        let a = schema(vec![users(), todos()]);
        let mut b = a.clone();
        let t = b.tables.get_mut("todos").unwrap();
        t.columns.reverse();
        t.indexes[0].name = Some("other_name".into());
        t.foreign_keys[0].name = Some("fk_123".into());
        t.checks[0] = Check {
            name: Some("ck".into()),
            expr: "(title<>'')".into(),
        };
        assert!(diff(&a, &b).is_empty(), "{:?}", diff(&a, &b));
    }

    #[test]
    fn unique_constraint_equals_unique_index() {
        let a = schema(vec![users()]);
        let mut b = a.clone();
        b.tables.get_mut("users").unwrap().indexes[0].name = Some("users_email_key".into());
        assert!(diff(&a, &b).is_empty());
    }

    #[test]
    fn column_drift_is_named_in_words() {
        let db = schema(vec![users(), todos()]);
        let mut models = db.clone();
        let t = models.tables.get_mut("todos").unwrap();
        t.columns
            .push(Column::new("deleted_at", ColumnType::Timestamp));
        t.columns[2].ty = ColumnType::Text;
        t.columns[1].nullable = false;
        let found = drift(&db, &models);
        assert!(
            found.contains(&"todos.deleted_at: in the models, not in the database".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(
                &"todos.title: type TEXT in the models, VARCHAR(255) in the database".to_string()
            ),
            "{found:?}"
        );
        assert!(
            found.contains(
                &"todos.user_id: NOT NULL in the models, nullable in the database".to_string()
            ),
            "{found:?}"
        );
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn defaults_compare_normalised() {
        let a =
            schema(vec![Table::new("t").column(
                Column::new("c", ColumnType::Timestamp).default_sql("now()"),
            )]);
        let b = schema(vec![Table::new("t").column(
            Column::new("c", ColumnType::Timestamp).default_sql("CURRENT_TIMESTAMP"),
        )]);
        assert!(diff(&a, &b).is_empty());
        let c = schema(vec![
            Table::new("t").column(Column::new("c", ColumnType::Timestamp))
        ]);
        assert_eq!(
            drift(&a, &c),
            ["t.c: no default in the models, default now() in the database"]
        );
    }

    #[test]
    fn tables_are_created_referenced_first_and_dropped_referencing_first() {
        let empty = Schema::new();
        let full = schema(vec![todos(), users()]);
        let order: Vec<String> = diff(&empty, &full).iter().map(|c| c.detected()).collect();
        assert_eq!(
            order,
            [
                "Detected added table 'users'",
                "Detected added table 'todos'"
            ]
        );
        let order: Vec<String> = diff(&full, &empty).iter().map(|c| c.detected()).collect();
        assert_eq!(
            order,
            [
                "Detected removed table 'todos'",
                "Detected removed table 'users'"
            ]
        );
    }

    #[test]
    fn constraint_changes_are_ordered_to_run() {
        let a = schema(vec![users(), todos()]);
        let mut b = a.clone();
        let t = b.tables.get_mut("todos").unwrap();
        t.foreign_keys[0].on_delete = Action::SetNull;
        t.indexes.clear();
        t.checks.clear();
        let changes = diff(&a, &b);
        assert!(
            matches!(changes[0], Change::DropForeignKey { .. }),
            "{changes:?}"
        );
        assert!(
            matches!(changes.last().unwrap(), Change::AddForeignKey { .. }),
            "{changes:?}"
        );
        assert_eq!(changes.len(), 4);
    }

    #[test]
    fn primary_key_changes() {
        let a = schema(vec![users()]);
        let mut b = a.clone();
        b.tables.get_mut("users").unwrap().primary_key = vec!["id".into(), "email".into()];
        assert_eq!(
            drift(&a, &b),
            ["users: primary key (id, email) in the models, primary key (id) in the database"]
        );
    }
}
