//! SQLite's `ALTER`: what `ALTER TABLE` can do, and the table rebuild (Alembic's batch mode)
//! for what it cannot.

// A unique constraint SQLite keeps as an index is named as PostgreSQL would name the constraint.
use crate::dialect::postgres::naming;
use crate::dialect::Dialect;
use crate::diff::Change;
use crate::render::{
    alter, column_def, create_index, create_table, create_view, drop_view, order_views,
    sqlite_inline_pk,
};
use crate::schema::{Column, Schema, Table, Trigger, View};
use crate::sql::{mentions, quote_ident, quote_literal};
use std::collections::{BTreeMap, BTreeSet};

/// Whether SQLite's `ALTER TABLE … ADD COLUMN` can add this column.
fn sqlite_can_add(column: &Column) -> bool {
    let constant_default = column.default.as_deref().is_none_or(|d| {
        let d = d.trim().to_ascii_lowercase();
        !(d.starts_with('(') || d.contains("current_") || d.contains('('))
    });
    !column.identity && constant_default && (column.nullable || column.default.is_some())
}

/// Whether SQLite's `ALTER TABLE … DROP COLUMN` can drop this column of `table`.
fn sqlite_can_drop(table: &Table, column: &str) -> bool {
    let name = column.to_string();
    !table.primary_key.contains(&name)
        && !table
            .indexes
            .iter()
            .any(|i| i.columns.contains(&name) || i.targets().any(|t| t == column))
        && !table
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.contains(&name))
        && !table.checks.iter().any(|c| c.expr.contains(column))
}

/// Renders `changes` (which take `from` to `to`); says whether a table rebuild was needed.
pub(crate) fn render(from: &Schema, to: &Schema, changes: &[Change]) -> (Vec<String>, bool) {
    let lite = Dialect::Sqlite;
    // Tables whose changes ALTER TABLE cannot make: rebuilt once, with all their changes.
    let mut rebuild: BTreeSet<String> = BTreeSet::new();
    for c in changes {
        let needs = match c {
            Change::AddColumn { column, .. } => !sqlite_can_add(column),
            Change::DropColumn { table, column } => from
                .tables
                .get(table)
                .is_none_or(|t| !sqlite_can_drop(t, &column.name)),
            Change::AlterColumn { .. }
            | Change::AlterPrimaryKey { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. } => true,
            // A unique constraint lives in the CREATE TABLE: adding or dropping one is a rebuild.
            Change::AddIndex { index, .. } | Change::DropIndex { index, .. } => {
                index.name.is_none()
            }
            _ => false,
        };
        if needs {
            rebuild.insert(c.table().to_string());
        }
    }
    let mut out = Vec::new();
    let mut rebuilt: BTreeSet<String> = BTreeSet::new();
    for c in changes {
        let table = c.table().to_string();
        if rebuild.contains(&table)
            && !matches!(
                c,
                Change::AddTable(_)
                    | Change::DropTable(_)
                    | Change::RenameTable { .. }
                    | Change::RenameColumn { .. }
            )
        {
            if rebuilt.insert(table.clone()) {
                out.extend(rebuild_table(from, to, &table));
            }
            continue;
        }
        match c {
            // SQLite folds ASCII case in names, and refuses a rename to a name that differs
            // only in case ("there is already another table"): such a rename goes through a
            // name of its own.
            Change::RenameTable { from, to } => {
                for (a, b) in through_case_rename(from, to) {
                    out.push(format!("{} RENAME TO {}", alter(&a), quote_ident(&b)));
                }
            }
            Change::RenameColumn { table, from, to } => {
                for (a, b) in through_case_rename(from, to) {
                    out.push(format!(
                        "{} RENAME COLUMN {} TO {}",
                        alter(table),
                        quote_ident(&a),
                        quote_ident(&b)
                    ));
                }
            }
            Change::AddTable(t) => out.extend(create_table(lite, t)),
            Change::DropTable(t) => out.push(format!("DROP TABLE {}", quote_ident(&t.name))),
            Change::AddColumn { table, column } => out.push(format!(
                "{} ADD COLUMN {}",
                alter(table),
                column_def(lite, column, false)
            )),
            Change::DropColumn { table, column } => out.push(format!(
                "{} DROP COLUMN {}",
                alter(table),
                quote_ident(&column.name)
            )),
            Change::AddIndex { table, index } => out.push(match to.tables.get(table) {
                Some(t) => create_index(lite, t, index),
                None => create_index(lite, &Table::new(table.clone()), index),
            }),
            Change::DropIndex { index, table } => out.push(format!(
                "DROP INDEX {}",
                quote_ident(
                    &index
                        .name
                        .clone()
                        .unwrap_or_else(|| naming::unique(table, &index.columns))
                )
            )),
            // SQLite builds no partitions (the models' are PostgreSQL's).
            Change::AlterPartition { .. } | Change::AlterPartitioning { .. } => {}
            _ => unreachable!("every other change is a rebuild"),
        }
    }
    (out, !rebuild.is_empty())
}

/// The prefix of the table a SQLite rebuild of `users` copies the rows into
/// (`_migrations_new_users`), renamed to `users` once the old table is dropped.
pub(crate) const REBUILD_PREFIX: &str = "_migrations_new_";

/// The SQLite table rebuild: create the new shape, copy the rows, drop, rename, re-index.
fn rebuild_table<'a>(from: &'a Schema, to: &'a Schema, table: &str) -> Vec<String> {
    let (Some(old), Some(new)) = (from.tables.get(table), to.tables.get(table)) else {
        return Vec::new();
    };
    let temp = format!("{REBUILD_PREFIX}{table}");
    let mut shape = new.clone();
    shape.name = temp.clone();
    shape.indexes.retain(|i| i.name.is_none());
    // Views and triggers that mention the table would break the rename: all are dropped first
    // and made again, as they were, at the end.
    // (The models declare none: take them from whichever side has them.)
    let mut views: BTreeMap<&'a String, &'a View> = BTreeMap::new();
    for (name, v) in to.views.iter().chain(from.views.iter()) {
        if mentions(&v.query, table) {
            views.insert(name, v);
        }
    }
    let mut triggers: BTreeMap<&'a String, &'a Trigger> = BTreeMap::new();
    for t in to.triggers.values().chain(from.triggers.values()) {
        if t.table.eq_ignore_ascii_case(table) || mentions(&t.definition, table) {
            triggers.insert(&t.name, t);
        }
    }
    let mut out: Vec<String> = views
        .values()
        .map(|v| drop_view(Dialect::Sqlite, v))
        .collect();
    // Triggers of other tables that mention this one too: SQLite checks them when the new
    // table is renamed into place ("error in trigger …: no such table"), as its 12-step
    // procedure warns. (The table's own go with it; IF EXISTS covers both.)
    out.extend(
        triggers
            .keys()
            .map(|name| format!("DROP TRIGGER IF EXISTS {}", quote_ident(name))),
    );
    out.push(create_table(Dialect::Sqlite, &shape).remove(0));
    let common: Vec<String> = new
        .columns
        .iter()
        .filter(|c| old.get_column(&c.name).is_some())
        .map(|c| quote_ident(&c.name))
        .collect();
    if !common.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
            quote_ident(&temp),
            quote_ident(table),
            cols = common.join(", ")
        ));
    }
    // An AUTOINCREMENT table keeps its counter (the highest id ever handed out, which the
    // rows copied need not hold): a deleted id is never handed out again, across the rebuild.
    // The rename carries the counter's row along.
    if sqlite_inline_pk(old).is_some() && sqlite_inline_pk(new).is_some() {
        let (new, old) = (quote_literal(&temp), quote_literal(table));
        out.push(format!("DELETE FROM sqlite_sequence WHERE name = {new}"));
        out.push(format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {new}, seq FROM sqlite_sequence WHERE name = {old}"
        ));
    }
    out.push(format!("DROP TABLE {}", quote_ident(table)));
    out.push(format!("{} RENAME TO {}", alter(&temp), quote_ident(table)));
    out.extend(
        new.indexes
            .iter()
            .filter(|i| i.name.is_some())
            .map(|i| create_index(Dialect::Sqlite, new, i)),
    );
    out.extend(
        order_views(views.into_values().cloned().collect())
            .iter()
            .map(|v| create_view(Dialect::Sqlite, v)),
    );
    out.extend(triggers.into_values().map(|t| t.definition.clone()));
    out
}

/// The renames that take `from` to `to`: one, or two through `<to>__renaming` when the names
/// differ only in ASCII case (SQLite takes them for the same name).
fn through_case_rename(from: &str, to: &str) -> Vec<(String, String)> {
    if from != to && from.eq_ignore_ascii_case(to) {
        let between = format!("{to}__renaming");
        vec![
            (from.to_string(), between.clone()),
            (between, to.to_string()),
        ]
    } else {
        vec![(from.to_string(), to.to_string())]
    }
}
