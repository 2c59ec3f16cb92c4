//! The schema model: what a database holds, as introspection reports it.
//!
//! Two schemas compare with `==`; [`Schema::render`] gives a stable, line-per-fact text form
//! (the snapshot format), and [`Schema::differences`] lists what differs in words.
//!
//! # Example
//!
//! ```
//! use migrations_core::schema::{Column, Schema, Table};
//!
//! let mut schema = Schema::default();
//! let mut todos = Table::new("todos");
//! todos.columns.push(Column::new("id", "INTEGER", false));
//! todos.primary_key = vec!["id".into()];
//! schema.tables.insert("todos".into(), todos);
//! assert!(schema.render().contains("table todos"));
//! ```

use std::collections::{BTreeMap, BTreeSet};

/// A whole schema: tables plus views and triggers (kept as their SQL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Views by name, with their defining SQL.
    pub views: BTreeMap<String, String>,
    /// Triggers by name, with their defining SQL.
    pub triggers: BTreeMap<String, String>,
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Columns in declaration order (order is not compared by [`Schema::differences`]).
    pub columns: Vec<Column>,
    /// Primary key columns, in key order; empty when there is none.
    pub primary_key: Vec<String>,
    /// Indexes, including those backing unique constraints.
    pub indexes: Vec<Index>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    /// An empty table called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            ..Table::default()
        }
    }
}

/// A column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Declared type, as the database reports it.
    pub data_type: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The server default expression, as the database reports it.
    pub default: Option<String>,
}

impl Column {
    /// A column with no default.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>, nullable: bool) -> Self {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            nullable,
            default: None,
        }
    }
}

/// An index. `name` is `None` for indexes the database names itself (unique constraints).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    /// Index name, when the user chose it.
    pub name: Option<String>,
    /// Indexed columns (or expressions) in order.
    pub columns: Vec<String>,
    /// Whether the index is unique.
    pub unique: bool,
    /// Partial index condition, when there is one.
    pub predicate: Option<String>,
}

/// A foreign key.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// ON DELETE action (`NO ACTION` when not given).
    pub on_delete: String,
    /// ON UPDATE action (`NO ACTION` when not given).
    pub on_update: String,
}

impl Schema {
    /// The schema as stable text, one fact per line, sorted: the snapshot format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for table in self.tables.values() {
            out.push_str(&format!("table {}\n", table.name));
            for line in table_lines(table) {
                out.push_str("  ");
                out.push_str(&line);
                out.push('\n');
            }
        }
        for (name, sql) in &self.views {
            out.push_str(&format!("view {name}: {}\n", crate::error::one_line(sql)));
        }
        for (name, sql) in &self.triggers {
            out.push_str(&format!(
                "trigger {name}: {}\n",
                crate::error::one_line(sql)
            ));
        }
        out
    }

    /// What differs from `self` to `other`, one line per difference, in words:
    /// `+` for what `other` has and `self` lacks, `-` for the reverse.
    pub fn differences(&self, other: &Schema) -> Vec<String> {
        let mut out = Vec::new();
        let names: BTreeSet<&String> = self.tables.keys().chain(other.tables.keys()).collect();
        for name in names {
            match (self.tables.get(name), other.tables.get(name)) {
                (Some(_), None) => out.push(format!("- table {name}")),
                (None, Some(_)) => out.push(format!("+ table {name}")),
                (Some(a), Some(b)) => {
                    let la: BTreeSet<String> = table_lines(a).into_iter().collect();
                    let lb: BTreeSet<String> = table_lines(b).into_iter().collect();
                    for l in la.difference(&lb) {
                        out.push(format!("- {name}: {l}"));
                    }
                    for l in lb.difference(&la) {
                        out.push(format!("+ {name}: {l}"));
                    }
                }
                (None, None) => {}
            }
        }
        for (kind, a, b) in [
            ("view", &self.views, &other.views),
            ("trigger", &self.triggers, &other.triggers),
        ] {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                match (a.get(k), b.get(k)) {
                    (Some(_), None) => out.push(format!("- {kind} {k}")),
                    (None, Some(_)) => out.push(format!("+ {kind} {k}")),
                    (Some(x), Some(y)) if x != y => out.push(format!("~ {kind} {k} changed")),
                    _ => {}
                }
            }
        }
        out
    }
}

/// The facts of a table, one line each, sorted (column order is not a fact).
fn table_lines(table: &Table) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &table.columns {
        let mut l = format!("column {} {}", c.name, c.data_type);
        if !c.nullable {
            l.push_str(" NOT NULL");
        }
        if let Some(d) = &c.default {
            l.push_str(&format!(" DEFAULT {d}"));
        }
        lines.push(l);
    }
    if !table.primary_key.is_empty() {
        lines.push(format!("primary key ({})", table.primary_key.join(", ")));
    }
    for i in &table.indexes {
        let mut l = match (&i.name, i.unique) {
            (Some(n), true) => format!("unique index {n} ({})", i.columns.join(", ")),
            (Some(n), false) => format!("index {n} ({})", i.columns.join(", ")),
            (None, _) => format!("unique ({})", i.columns.join(", ")),
        };
        if let Some(p) = &i.predicate {
            l.push_str(&format!(" WHERE {p}"));
        }
        lines.push(l);
    }
    for fk in &table.foreign_keys {
        lines.push(format!(
            "foreign key ({}) references {} ({}) on delete {} on update {}",
            fk.columns.join(", "),
            fk.ref_table,
            fk.ref_columns.join(", "),
            fk.on_delete,
            fk.on_update
        ));
    }
    lines.sort();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todos(extra: Option<Column>) -> Schema {
        let mut t = Table::new("todos");
        t.columns.push(Column::new("id", "INTEGER", false));
        t.columns.push(Column::new("title", "VARCHAR(255)", false));
        t.columns.extend(extra);
        t.primary_key = vec!["id".into()];
        let mut s = Schema::default();
        s.tables.insert("todos".into(), t);
        s
    }

    #[test]
    fn equal_schemas_have_no_differences() {
        assert!(todos(None).differences(&todos(None)).is_empty());
    }

    #[test]
    fn column_order_is_not_a_difference() {
        let a = todos(Some(Column::new("x", "TEXT", true)));
        let mut b = a.clone();
        b.tables.get_mut("todos").unwrap().columns.reverse();
        assert!(a.differences(&b).is_empty());
    }

    #[test]
    fn lists_added_columns_and_tables() {
        let a = todos(None);
        let b = todos(Some(Column::new("deleted_at", "TIMESTAMP", true)));
        assert_eq!(a.differences(&b), ["+ todos: column deleted_at TIMESTAMP"]);
        assert_eq!(Schema::default().differences(&a), ["+ table todos"]);
    }

    #[test]
    fn render_is_stable_text() {
        let text = todos(None).render();
        assert_eq!(
            text,
            "table todos\n  column id INTEGER NOT NULL\n  column title VARCHAR(255) NOT NULL\n  primary key (id)\n"
        );
    }
}
