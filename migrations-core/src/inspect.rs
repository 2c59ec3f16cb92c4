//! `db inspect`: a live database's schema written as the app's models — a Rust module with
//! `pub fn schema() -> Schema`, in the builder's words — for adopting a database that exists
//! already (pure).
//!
//! ```
//! use migrations_core::inspect::models_source;
//! use migrations_core::schema::{Column, ColumnType, Schema, Table};
//!
//! let live = Schema::new().table(
//!     Table::new("users")
//!         .column(Column::new("id", ColumnType::BigInt).not_null())
//!         .primary_key(["id"]),
//! );
//! let source = models_source(&live, "sqlite");
//! assert!(source.contains(r#"Table::new("users")"#));
//! assert!(source.contains(r#".column(Column::new("id", ColumnType::BigInt).not_null())"#));
//! ```
//!
//! Every table, column, key, index, foreign key, default and check is written as the
//! database reports it, so the models equal the database by construction: `db check` finds
//! no drift. Types are the portable ones where the database's type is one of them, `Raw`
//! otherwise; defaults and checks are the database's own spelling (on PostgreSQL with its
//! casts, `'draft'::text`), which a chain that also serves another dialect should review.
//! Views and triggers are not part of the models yet: they are listed in a comment.

use crate::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};
use std::fmt::Write as _;

/// The module, from `schema` as introspected from a database of `dialect` (its name, for
/// the header comment).
pub fn models_source(schema: &Schema, dialect: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! The app's models, as `db inspect` read them from the {dialect} database. Review them\n\
         //! as any generated code: they say what the database holds, not what the app needs."
    );
    let unmodelled: Vec<String> = schema
        .views
        .keys()
        .map(|v| format!("view {v}"))
        .chain(schema.triggers.keys().map(|t| format!("trigger {t}")))
        .collect();
    if !unmodelled.is_empty() {
        let _ = writeln!(
            out,
            "//!\n//! Not part of the models yet (and not compared by the drift check): {}.",
            unmodelled.join(", ")
        );
    }
    let tables = || schema.tables.values();
    let mut uses = vec!["Schema"];
    if tables().next().is_some() {
        uses.extend(["Column", "ColumnType", "Table"]);
    }
    if tables().any(|t| t.indexes.iter().any(|i| i.name.is_some())) {
        uses.push("Index");
    }
    if tables().any(|t| !t.foreign_keys.is_empty()) {
        uses.push("ForeignKey");
    }
    if tables().any(|t| {
        t.foreign_keys
            .iter()
            .any(|f| f.on_delete != Action::NoAction || f.on_update != Action::NoAction)
    }) {
        uses.push("Action");
    }
    uses.sort_unstable();
    let uses = match uses.as_slice() {
        [one] => one.to_string(),
        many => format!("{{{}}}", many.join(", ")),
    };
    let _ = writeln!(out, "\nuse migrations_core::schema::{uses};\n");
    out.push_str("pub fn schema() -> Schema {\n    Schema::new()");
    for t in tables() {
        out.push_str(&table(t));
    }
    out.push_str("\n}\n");
    out
}

/// `source` formatted by `rustfmt` (edition 2021), when the machine has it (`RUSTFMT` or
/// `rustfmt` on the path); `None` when it has not, or it failed. `db inspect` writes the
/// formatted module where it can, the plain one otherwise (it compiles either way).
pub fn rustfmt(source: &str) -> Option<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let program = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(program)
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(source.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    (out.status.success() && !out.stdout.is_empty())
        .then(|| String::from_utf8(out.stdout).ok())
        .flatten()
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| lit(i)).collect();
    format!("[{}]", items.join(", "))
}

fn table(t: &Table) -> String {
    let mut lines = vec![format!("Table::new({})", lit(&t.name))];
    for c in &t.columns {
        lines.push(format!(".column({})", column(c)));
    }
    if !t.primary_key.is_empty() {
        lines.push(format!(".primary_key({})", list(&t.primary_key)));
    }
    for i in &t.indexes {
        lines.push(match &i.name {
            None => format!(".unique({})", list(&i.columns)),
            Some(_) => format!(".index({})", index(i)),
        });
    }
    for fk in &t.foreign_keys {
        lines.push(format!(".foreign_key({})", foreign_key(fk)));
    }
    for c in &t.checks {
        lines.push(format!(".check({})", lit(&c.expr)));
    }
    let mut out = String::from("\n        .table(\n");
    for (n, l) in lines.iter().enumerate() {
        let indent = if n == 0 { 12 } else { 16 };
        let _ = writeln!(out, "{:indent$}{l}", "");
    }
    out.pop();
    out.push_str(",\n        )");
    out
}

fn column(c: &Column) -> String {
    let mut s = format!("Column::new({}, {})", lit(&c.name), ty(&c.ty));
    if !c.nullable {
        s.push_str(".not_null()");
    }
    if let Some(d) = &c.default {
        let _ = write!(s, ".default_sql({})", lit(d));
    }
    if c.identity {
        s.push_str(".identity()");
    }
    s
}

fn ty(t: &ColumnType) -> String {
    use ColumnType::*;
    match t {
        Varchar(n) => format!("ColumnType::Varchar({n})"),
        Numeric(p, s) => format!("ColumnType::Numeric({p}, {s})"),
        Raw(r) => format!("ColumnType::Raw({}.into())", lit(r)),
        other => format!("ColumnType::{other:?}"),
    }
}

fn index(i: &Index) -> String {
    let mut s = format!(
        "Index::new({}, {})",
        lit(i.name.as_deref().unwrap_or_default()),
        list(&i.columns)
    );
    if i.unique {
        s.push_str(".unique()");
    }
    if let Some(p) = &i.predicate {
        let _ = write!(s, ".filter({})", lit(p));
    }
    s
}

fn foreign_key(fk: &ForeignKey) -> String {
    let mut s = format!(
        "ForeignKey::new({}, {}, {})",
        list(&fk.columns),
        lit(&fk.ref_table),
        list(&fk.ref_columns)
    );
    if fk.on_delete != Action::NoAction {
        let _ = write!(s, ".on_delete(Action::{:?})", fk.on_delete);
    }
    if fk.on_update != Action::NoAction {
        let _ = write!(s, ".on_update(Action::{:?})", fk.on_update);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_table_is_written_in_builder_words() {
        let schema = Schema::new()
            .table(
                Table::new("user \"accounts\"")
                    .column(Column::new("id", ColumnType::BigInt).not_null().identity())
                    .column(
                        Column::new("naïve", ColumnType::Varchar(20))
                            .not_null()
                            .default_sql("'it''s'"),
                    )
                    .column(Column::new("amount", ColumnType::Numeric(12, 2)))
                    .column(Column::new("doc", ColumnType::Raw("tsvector".into())))
                    .primary_key(["id"])
                    .unique(["naïve"])
                    .index(
                        Index::new("recent", ["naïve DESC", "id"])
                            .unique()
                            .filter("amount > 0"),
                    )
                    .foreign_key(
                        ForeignKey::new(["id"], "other", ["id"]).on_delete(Action::Cascade),
                    )
                    .check("amount >= 0"),
            )
            .table(Table::new("other").column(Column::new("id", ColumnType::BigInt)));
        let src = models_source(&schema, "postgres");
        for want in [
            "use migrations_core::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};",
            r#"Table::new("user \"accounts\"")"#,
            r#".column(Column::new("id", ColumnType::BigInt).not_null().identity())"#,
            r#".column(Column::new("naïve", ColumnType::Varchar(20)).not_null().default_sql("'it''s'"))"#,
            r#".column(Column::new("amount", ColumnType::Numeric(12, 2)))"#,
            r#".column(Column::new("doc", ColumnType::Raw("tsvector".into())))"#,
            r#".primary_key(["id"])"#,
            r#".unique(["naïve"])"#,
            r#".index(Index::new("recent", ["naïve DESC", "id"]).unique().filter("amount > 0"))"#,
            r#".foreign_key(ForeignKey::new(["id"], "other", ["id"]).on_delete(Action::Cascade))"#,
            r#".check("amount >= 0")"#,
        ] {
            assert!(src.contains(want), "{want}\nin\n{src}");
        }
        // Tables in name order, the module ends with the function.
        assert!(src.find("\"other\"").unwrap() < src.find("user \\\"accounts").unwrap());
        assert!(src.ends_with("        )\n}\n"), "{src}");
    }

    #[test]
    fn views_and_triggers_are_named_in_a_comment() {
        let mut schema = Schema::new();
        schema = schema
            .view(crate::schema::View::new("open_todos", "SELECT 1"))
            .trigger(crate::schema::Trigger::new(
                "todos",
                "touch",
                "CREATE TRIGGER …",
            ));
        let src = models_source(&schema, "sqlite");
        assert!(
            src.contains("view open_todos, trigger todos.touch"),
            "{src}"
        );
        assert!(
            src.contains("use migrations_core::schema::Schema;"),
            "{src}"
        );
    }
}
