//! PostgreSQL's `ALTER`: the statements that make a list of changes, in an order that works.

use super::naming;
use crate::dialect::Dialect;
use crate::diff::Change;
use crate::render::{
    alter, column_def, create_index, create_table, create_table_parts, default_clause,
    foreign_key_clause, ident_list, needs_using,
};
use crate::schema::{Column, Domain, EnumType, ForeignKey, Schema, Table};
use crate::sql::{quote_ident, quote_literal};

/// A foreign key's name: as introspected, else PostgreSQL's default.
fn fk_name(table: &str, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| naming::foreign_key(table, &fk.columns))
}

/// A domain's default, `NOT NULL` or checks changed: `ALTER DOMAIN` for each (a check dropped
/// by its name, as read back, else PostgreSQL's default `<domain>_check`); another base type
/// drops the domain and creates it again, which PostgreSQL refuses while a column uses it.
pub(crate) fn alter_domain(from: &Domain, to: &Domain) -> Vec<String> {
    let name = quote_ident(&to.name);
    if from.base != to.base {
        return vec![
            format!("DROP DOMAIN {name}"),
            crate::render::create_domain(to),
        ];
    }
    let mut out = Vec::new();
    let norm = |d: &Option<String>| d.as_deref().map(crate::sql::normalize_expr);
    if norm(&from.default) != norm(&to.default) {
        out.push(match &to.default {
            Some(d) => format!("ALTER DOMAIN {name} SET {}", default_clause(d)),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
        });
    }
    if from.not_null != to.not_null {
        let verb = if to.not_null { "SET" } else { "DROP" };
        out.push(format!("ALTER DOMAIN {name} {verb} NOT NULL"));
    }
    let (old, new) = (from.check_keys(), to.check_keys());
    for c in &from.checks {
        if !new.contains(&crate::sql::normalize_expr(&c.expr)) {
            let constraint = c
                .name
                .clone()
                .unwrap_or_else(|| format!("{}_check", to.name));
            out.push(format!(
                "ALTER DOMAIN {name} DROP CONSTRAINT {}",
                quote_ident(&constraint)
            ));
        }
    }
    for c in &to.checks {
        if !old.contains(&crate::sql::normalize_expr(&c.expr)) {
            out.push(format!("ALTER DOMAIN {name} ADD CHECK ({})", c.expr));
        }
    }
    out
}

/// An enum type's labels changed: `ALTER TYPE … ADD VALUE` for each new label when the old
/// labels keep their order (PostgreSQL cannot remove or move a label), else the type made
/// again: the old one renamed aside, the new one created, each column of the type converted
/// through its text (a row that holds a removed label makes that fail, naming it), the old
/// type dropped.
pub(crate) fn alter_enum(from: &EnumType, to: &EnumType, uses: &[(String, Column)]) -> Vec<String> {
    let ty = quote_ident(&to.name);
    let kept: Vec<&String> = to
        .labels
        .iter()
        .filter(|l| from.labels.contains(l))
        .collect();
    let appendable = kept.len() == from.labels.len() && kept.iter().copied().eq(from.labels.iter());
    if appendable {
        let mut out = Vec::new();
        for (i, label) in to.labels.iter().enumerate() {
            if from.labels.contains(label) {
                continue;
            }
            // Placed after the label before it, or before the first old label.
            let place = match i.checked_sub(1).map(|p| &to.labels[p]) {
                Some(prev) => format!(" AFTER {}", quote_literal(prev)),
                None => match to.labels.iter().find(|l| from.labels.contains(l)) {
                    Some(next) => format!(" BEFORE {}", quote_literal(next)),
                    None => String::new(),
                },
            };
            out.push(format!(
                "ALTER TYPE {ty} ADD VALUE {}{place}",
                quote_literal(label)
            ));
        }
        return out;
    }
    let aside = quote_ident(&format!("{}__old", to.name));
    let mut out = vec![
        format!("ALTER TYPE {ty} RENAME TO {aside}"),
        crate::render::create_enum(to),
    ];
    for (table, column) in uses {
        let col = format!(
            "{} ALTER COLUMN {}",
            alter(table),
            quote_ident(&column.name)
        );
        out.push(format!("{col} DROP DEFAULT"));
        out.push(format!(
            "{col} TYPE {ty} USING {}::text::{ty}",
            quote_ident(&column.name)
        ));
        if let Some(d) = &column.default {
            out.push(format!("{col} SET {}", default_clause(d)));
        }
    }
    out.push(format!("DROP TYPE {aside}"));
    out
}

/// PostgreSQL: the foreign keys of tables about to be dropped go first (tables that reference
/// each other, unique constraints they depend on), and the foreign keys of new tables last
/// (they may reference columns and constraints added in the same revision). Columns are
/// dropped after everything else the revision changes in existing tables: a column that
/// replaces others (`first_name`, `last_name` → `full_name`) is added while they are still
/// there, so a data step written between the two finds both, and whatever depended on a
/// dropped column (an index, a key, a check, another table's foreign key) is gone first.
pub(crate) fn render(to: &Schema, changes: &[Change]) -> Vec<String> {
    let mut first = Vec::new();
    let mut out = Vec::new();
    let mut drops = Vec::new();
    let mut last = Vec::new();
    for change in changes {
        match change {
            Change::DropColumn { .. } => drops.extend(postgres(to, change)),
            Change::DropTable(t) => {
                for fk in &t.foreign_keys {
                    first.push(format!(
                        "{} DROP CONSTRAINT {}",
                        alter(&t.name),
                        quote_ident(&fk_name(&t.name, fk))
                    ));
                }
                out.push(format!("DROP TABLE {}", quote_ident(&t.name)));
            }
            Change::AddTable(t) => {
                let (create, fks) = create_table_parts(Dialect::Postgres, t, true);
                out.extend(create);
                last.extend(fks);
            }
            other => out.extend(postgres(to, other)),
        }
    }
    first.extend(out);
    first.extend(drops);
    first.extend(last);
    first
}

/// One change in PostgreSQL's SQL (tables are [`postgres_all`]'s).
fn postgres(to: &Schema, change: &Change) -> Vec<String> {
    let pg = Dialect::Postgres;
    match change {
        Change::RenameTable { from, to } => {
            vec![format!("{} RENAME TO {}", alter(from), quote_ident(to))]
        }
        Change::RenameColumn { table, from, to } => vec![format!(
            "{} RENAME COLUMN {} TO {}",
            alter(table),
            quote_ident(from),
            quote_ident(to)
        )],
        Change::AddTable(t) => create_table(pg, t),
        Change::DropTable(t) => vec![format!("DROP TABLE {}", quote_ident(&t.name))],
        Change::AddColumn { table, column } => {
            vec![format!(
                "{} ADD COLUMN {}",
                alter(table),
                column_def(pg, column, false)
            )]
        }
        Change::DropColumn { table, column } => {
            vec![format!(
                "{} DROP COLUMN {}",
                alter(table),
                quote_ident(&column.name)
            )]
        }
        Change::AlterColumn {
            table,
            from: a,
            to: b,
        } => {
            let col = format!("{} ALTER COLUMN {}", alter(table), quote_ident(&b.name));
            let retype = a.ty != b.ty;
            let mut out = Vec::new();
            if a.identity && !b.identity {
                out.push(format!("{col} DROP IDENTITY"));
            }
            // An old default may not cast to the new type: drop it first, set the new one after.
            let new_default = a.default != b.default || retype;
            if a.default.is_some() && (new_default || b.identity) {
                out.push(format!("{col} DROP DEFAULT"));
            }
            if retype {
                let ty = b.ty.sql(pg);
                if needs_using(&a.ty, &b.ty) {
                    out.push(format!(
                        "{col} TYPE {ty} USING {}::{ty}",
                        quote_ident(&b.name)
                    ));
                } else {
                    out.push(format!("{col} TYPE {ty}"));
                }
            }
            if a.nullable != b.nullable {
                out.push(format!(
                    "{col} {} NOT NULL",
                    if b.nullable { "DROP" } else { "SET" }
                ));
            }
            if let Some(d) = &b.default {
                if new_default || a.default.is_none() {
                    out.push(format!("{col} SET {}", default_clause(d)));
                }
            }
            if b.identity && !a.identity {
                out.push(format!("{col} ADD GENERATED BY DEFAULT AS IDENTITY"));
                // The identity's sequence starts at 1: past the rows already there, or the
                // next insert collides with them.
                let name = quote_ident(&b.name);
                out.push(format!(
                    "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence({}, {}), coalesce(max({name}), 0) + 1, false) FROM {}",
                    quote_literal(&quote_ident(table)),
                    quote_literal(&b.name),
                    quote_ident(table)
                ));
            }
            out
        }
        Change::AlterPrimaryKey {
            table,
            from: a,
            to: b,
        } => {
            let mut out = Vec::new();
            if !a.is_empty() {
                // IF EXISTS: dropping a key column earlier in the revision drops the key too.
                let name = to
                    .tables
                    .get(table)
                    .and_then(|t| t.primary_key_name.clone())
                    .unwrap_or_else(|| naming::primary_key(table));
                out.push(format!(
                    "{} DROP CONSTRAINT IF EXISTS {}",
                    alter(table),
                    quote_ident(&name)
                ));
            }
            if !b.is_empty() {
                out.push(format!(
                    "{} ADD PRIMARY KEY ({})",
                    alter(table),
                    ident_list(b)
                ));
            }
            out
        }
        Change::AddIndex { table, index } if index.name.is_none() => {
            vec![format!(
                "{} ADD UNIQUE ({})",
                alter(table),
                ident_list(&index.columns)
            )]
        }
        Change::AddIndex { table, index } => vec![match to.tables.get(table) {
            Some(t) => create_index(Dialect::Postgres, t, index),
            None => create_index(Dialect::Postgres, &Table::new(table.clone()), index),
        }],
        Change::DropIndex { table, index } => match &index.name {
            None => {
                let name = index
                    .constraint_name
                    .clone()
                    .unwrap_or_else(|| naming::unique(table, &index.columns));
                vec![format!(
                    "{} DROP CONSTRAINT {}",
                    alter(table),
                    quote_ident(&name)
                )]
            }
            Some(name) => vec![format!("DROP INDEX {}", quote_ident(name))],
        },
        Change::AddForeignKey { table, fk } => {
            vec![format!("{} ADD {}", alter(table), foreign_key_clause(fk))]
        }
        Change::DropForeignKey { table, fk } => vec![format!(
            "{} DROP CONSTRAINT {}",
            alter(table),
            quote_ident(&fk_name(table, fk))
        )],
        Change::AddCheck { table, check } => vec![match &check.name {
            Some(n) => format!(
                "{} ADD CONSTRAINT {} CHECK ({})",
                alter(table),
                quote_ident(n),
                check.expr
            ),
            None => format!("{} ADD CHECK ({})", alter(table), check.expr),
        }],
        Change::DropCheck { table, check } => {
            let name = check
                .name
                .clone()
                .unwrap_or_else(|| naming::check(table, None));
            vec![format!(
                "{} DROP CONSTRAINT {}",
                alter(table),
                quote_ident(&name)
            )]
        }
        Change::AlterPartition { table, from, to } => {
            let mut out = Vec::new();
            if let Some(p) = from {
                out.push(format!(
                    "{} DETACH PARTITION {}",
                    alter(&p.parent),
                    quote_ident(table)
                ));
            }
            if let Some(p) = to {
                out.push(format!(
                    "{} ATTACH PARTITION {} {}",
                    alter(&p.parent),
                    quote_ident(table),
                    p.bound
                ));
            }
            out
        }
        // No statement changes a table's partitioning: autogenerate says so, and the revision's
        // trial reports what is left.
        Change::AlterPartitioning { .. } => Vec::new(),
        // Views, types, functions, triggers (`Change::is_object`) are rendered around the
        // tables' changes, by `autogen::render`.
        other => {
            debug_assert!(other.is_object(), "{other:?}");
            Vec::new()
        }
    }
}
