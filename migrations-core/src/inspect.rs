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
//! otherwise. A default is written without the cast that only restates its column's type
//! (PostgreSQL's `'draft'::text` on a `text` column is `'draft'`, `'-1'::integer` is `-1`),
//! which PostgreSQL adds back when it stores it, so it is the same default there and one
//! SQLite accepts too; what stays in PostgreSQL's own spelling (another cast, a `Raw` type,
//! a check's casts) is listed by [`dialect_specific`] and named in the module's header, for
//! the review a chain that also serves SQLite needs. Views, enum types, domains, extensions,
//! functions and triggers are written too, each in the database's own SQL (a trigger marked
//! as the inspected dialect's, `Trigger::only`).

use crate::schema::{
    Action, Column, ColumnType, Domain, EnumType, Extension, ForeignKey, Function, Index, Schema,
    Sequence, Table, Trigger, View,
};
use std::collections::BTreeMap;
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
    let specific = dialect_specific(schema);
    if !specific.is_empty() {
        let _ = writeln!(
            out,
            "//!\n//! In {dialect}'s own words (review them if the app serves another dialect too):"
        );
        for item in &specific {
            let _ = writeln!(out, "//! - {item}");
        }
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
    for (used, name) in [
        (!schema.views.is_empty(), "View"),
        (!schema.enums.is_empty(), "EnumType"),
        (!schema.domains.is_empty(), "Domain"),
        (!schema.sequences.is_empty(), "Sequence"),
        (!schema.extensions.is_empty(), "Extension"),
        (!schema.functions.is_empty(), "Function"),
        (!schema.triggers.is_empty(), "Trigger"),
    ] {
        if used {
            uses.push(name);
        }
    }
    if schema.domains.values().next().is_some() && !uses.contains(&"ColumnType") {
        uses.push("ColumnType");
    }
    uses.sort_unstable();
    let uses = match uses.as_slice() {
        [one] => one.to_string(),
        many => format!("{{{}}}", many.join(", ")),
    };
    let _ = writeln!(out, "\nuse migrations_core::schema::{uses};");
    if !schema.triggers.is_empty() {
        out.push_str("use migrations_core::Dialect;\n");
    }
    out.push_str("\npub fn schema() -> Schema {\n    Schema::new()");
    let mut item = |call: &str, arg: String| {
        let _ = write!(out, "\n        .{call}({arg})");
    };
    schema
        .extensions
        .values()
        .for_each(|x| item("extension", extension(x)));
    schema
        .enums
        .values()
        .for_each(|e| item("enum_type", enum_type(e)));
    schema
        .domains
        .values()
        .for_each(|d| item("domain", domain(d)));
    schema
        .sequences
        .values()
        .for_each(|q| item("sequence", sequence(q)));
    schema
        .functions
        .values()
        .for_each(|f| item("function", function(f)));
    for t in tables() {
        out.push_str(&table(t));
    }
    let dialect_name = match dialect {
        "postgres" | "postgresql" => "Postgres",
        _ => "Sqlite",
    };
    let mut item = |call: &str, arg: String| {
        let _ = write!(out, "\n        .{call}({arg})");
    };
    schema.views.values().for_each(|v| item("view", view(v)));
    schema
        .triggers
        .values()
        .for_each(|t| item("trigger", trigger(t, dialect_name)));
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

/// `default` without a cast that only restates the column's type `ty` (what PostgreSQL adds
/// to a literal when it stores a default): `'new'::text` on a `Text` column is `'new'`, and a
/// quoted number cast to a numeric column's type is the number (`'-1'::integer` is `-1`).
/// Anything else is returned as it is.
///
/// ```
/// use migrations_core::inspect::portable_default;
/// use migrations_core::schema::ColumnType;
///
/// assert_eq!(portable_default(&ColumnType::Text, "'new'::text"), "'new'");
/// assert_eq!(portable_default(&ColumnType::Varchar(20), "'it''s'::character varying"), "'it''s'");
/// assert_eq!(portable_default(&ColumnType::Integer, "'-1'::integer"), "-1");
/// assert_eq!(portable_default(&ColumnType::SmallInt, "'-1'::integer"), "-1");
/// // A cast to another type is part of what the default means.
/// assert_eq!(portable_default(&ColumnType::Date, "('now'::text)::date"), "('now'::text)::date");
/// assert_eq!(portable_default(&ColumnType::Text, "'1'::integer"), "'1'::integer");
/// ```
pub fn portable_default(ty: &ColumnType, default: &str) -> String {
    let Some((value, cast)) = default.rsplit_once("::") else {
        return default.to_string();
    };
    let is_literal = value.len() >= 2
        && value.starts_with('\'')
        && value.ends_with('\'')
        && !value[1..value.len() - 1].replace("''", "").contains('\'');
    if !is_literal {
        return default.to_string();
    }
    let inner = &value[1..value.len() - 1];
    let number = inner.strip_prefix('-').unwrap_or(inner);
    let is_number = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && number.bytes().filter(|&b| b == b'.').count() <= 1;
    // A negative number is stored as its literal's type (`'-1'::integer` in a `smallint`
    // column too), cast to the column's when the row is written.
    const NUMBERS: [&str; 6] = [
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
    ];
    let numeric_column = NUMBERS.contains(&postgres_cast_name(ty).as_str());
    if is_number && numeric_column && NUMBERS.contains(&cast) {
        inner.to_string()
    } else if cast.eq_ignore_ascii_case(&postgres_cast_name(ty)) {
        value.to_string()
    } else {
        default.to_string()
    }
}

/// The name PostgreSQL writes in a cast to a column of type `ty` (`format_type` without the
/// type modifier: `character varying`, `timestamp without time zone`, `bpchar`).
fn postgres_cast_name(ty: &ColumnType) -> String {
    use ColumnType::*;
    match ty {
        SmallInt => "smallint".into(),
        Integer => "integer".into(),
        BigInt => "bigint".into(),
        Text => "text".into(),
        Varchar(_) => "character varying".into(),
        Boolean => "boolean".into(),
        Real => "real".into(),
        Double => "double precision".into(),
        Numeric(..) => "numeric".into(),
        Date => "date".into(),
        Time => "time without time zone".into(),
        Timestamp => "timestamp without time zone".into(),
        TimestampTz => "timestamp with time zone".into(),
        Bytes => "bytea".into(),
        Json => "json".into(),
        Jsonb => "jsonb".into(),
        Uuid => "uuid".into(),
        Raw(raw) => {
            // `numeric(10,2)[]` → `numeric[]`, `character(3)` → `bpchar`.
            let mut name = String::new();
            let mut depth = 0;
            for ch in raw.chars() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ if depth == 0 => name.push(ch),
                    _ => {}
                }
            }
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            match name.strip_prefix("character") {
                Some(rest) if rest.is_empty() || rest.starts_with('[') => format!("bpchar{rest}"),
                _ => name,
            }
        }
    }
}

/// What the models of `schema` keep in its database's own words, one line each, for the
/// review a chain that serves another dialect too needs: a default, check or index that holds
/// a cast (`::`) after [`portable_default`] (`table.column: default ('now'::text)::date`,
/// `table: check …`, `table: index name`), an identity that is not the table's primary key
/// (SQLite assigns only its primary key), and each `Raw` type with the columns that have it
/// (`type mood: orders.mood`). Empty for a schema whose models every dialect builds alike, as
/// far as spelling shows (a function one dialect lacks is not seen).
pub fn dialect_specific(schema: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    let mut raw_types: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in schema.tables.values() {
        for c in &t.columns {
            if let ColumnType::Raw(raw) = &c.ty {
                raw_types
                    .entry(raw)
                    .or_default()
                    .push(format!("{}.{}", t.name, c.name));
            }
            if let Some(d) = &c.default {
                let d = portable_default(&c.ty, d);
                if d.contains("::") {
                    found.push(format!("{}.{}: default {d}", t.name, c.name));
                }
            }
            if c.identity && t.primary_key != [c.name.as_str()] {
                found.push(format!(
                    "{}.{}: an identity that is not the primary key (SQLite assigns only a primary key)",
                    t.name, c.name
                ));
            }
        }
        for i in &t.indexes {
            let cast = i
                .columns
                .iter()
                .chain(&i.predicate)
                .any(|e| e.contains("::"));
            if let (true, Some(name)) = (cast, &i.name) {
                found.push(format!("{}: index {name}", t.name));
            }
        }
        for c in &t.checks {
            if c.expr.contains("::") {
                found.push(format!("{}: check {}", t.name, c.expr));
            }
        }
    }
    for (raw, columns) in raw_types {
        let shown = columns
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = match columns.len() {
            0..=3 => String::new(),
            n => format!(" and {} more", n - 3),
        };
        found.push(format!("type {raw}: {shown}{more}"));
    }
    for v in schema.views.values() {
        if v.query.contains("::") {
            found.push(format!("view {}: casts", v.name));
        }
    }
    if !schema.enums.is_empty() || !schema.domains.is_empty() || !schema.functions.is_empty() {
        found.push(
            "enum types, domains and functions: PostgreSQL's only (not built on SQLite)".into(),
        );
    }
    found
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
        let _ = write!(s, ".default_sql({})", lit(&portable_default(&c.ty, d)));
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
    if let Some(m) = i.method() {
        let _ = write!(s, ".using({})", lit(&m));
    }
    if !i.include.is_empty() {
        let _ = write!(s, ".include({})", list(&i.include));
    }
    if let Some(p) = &i.predicate {
        let _ = write!(s, ".filter({})", lit(p));
    }
    s
}

fn extension(x: &Extension) -> String {
    match &x.version {
        Some(v) => format!("Extension::new({}).version({})", lit(&x.name), lit(v)),
        None => format!("Extension::new({})", lit(&x.name)),
    }
}

fn enum_type(e: &EnumType) -> String {
    format!("EnumType::new({}, {})", lit(&e.name), list(&e.labels))
}

fn domain(d: &Domain) -> String {
    let mut s = format!("Domain::new({}, {})", lit(&d.name), ty(&d.base));
    if d.not_null {
        s.push_str(".not_null()");
    }
    if let Some(x) = &d.default {
        let _ = write!(s, ".default_sql({})", lit(&portable_default(&d.base, x)));
    }
    for c in &d.checks {
        let _ = write!(s, ".check({})", lit(&c.expr));
    }
    s
}

fn sequence(q: &Sequence) -> String {
    let mut s = format!("Sequence::new({})", lit(&q.name));
    let (start, increment, min, max, cycle) = q.key();
    let default = Sequence::new(q.name.clone()).increment(increment).key();
    if increment != 1 {
        let _ = write!(s, ".increment({increment})");
    }
    if start != default.0 {
        let _ = write!(s, ".start({start})");
    }
    if min != default.2 {
        let _ = write!(s, ".min({min})");
    }
    if max != default.3 {
        let _ = write!(s, ".max({max})");
    }
    if cycle {
        s.push_str(".cycle()");
    }
    s
}

fn function(f: &Function) -> String {
    format!("Function::new({}, {})", lit(&f.name), lit(&f.definition))
}

fn view(v: &View) -> String {
    let mut s = format!("View::new({}, {})", lit(&v.name), lit(v.query.trim()));
    if !v.columns.is_empty() {
        let _ = write!(s, ".columns({})", list(&v.columns));
    }
    if v.materialized {
        s.push_str(".materialized()");
    }
    s
}

fn trigger(t: &Trigger, dialect: &str) -> String {
    format!(
        "Trigger::new({}, {}, {}).only(Dialect::{dialect})",
        lit(&t.table),
        lit(&t.name),
        lit(&t.definition)
    )
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
    fn casts_that_restate_the_column_type_go_and_the_rest_is_named() {
        let schema = Schema::new().table(
            Table::new("orders")
                .column(Column::new("status", ColumnType::Text).default_sql("'new'::text"))
                .column(
                    Column::new("code", ColumnType::Varchar(100))
                        .default_sql("'16'::character varying"),
                )
                .column(Column::new("n", ColumnType::Integer).default_sql("'-7'::integer"))
                .column(Column::new("s", ColumnType::SmallInt).default_sql("'-1'::integer"))
                .column(Column::new("r", ColumnType::Numeric(4, 1)).default_sql("'-1.5'::numeric"))
                .column(Column::new("total", ColumnType::Numeric(10, 2)).default_sql("0.00"))
                .column(Column::new("on", ColumnType::Date).default_sql("('now'::text)::date"))
                .column(
                    Column::new("mood", ColumnType::Raw("mood".into())).default_sql("'ok'::mood"),
                )
                .column(
                    Column::new("tags", ColumnType::Raw("text[]".into()))
                        .default_sql("'{}'::text[]"),
                )
                .column(
                    Column::new("flag", ColumnType::Raw("character(1)".into()))
                        .default_sql("'y'::bpchar"),
                )
                .column(Column::new("odd", ColumnType::Text).default_sql("'a'::text || 'b'::text"))
                .column(Column::new("id", ColumnType::Integer).not_null().identity())
                .unique(["id"])
                .check("total >= 0::numeric"),
        );
        let src = models_source(&schema, "postgres");
        for want in [
            r#"Column::new("status", ColumnType::Text).default_sql("'new'")"#,
            r#"Column::new("code", ColumnType::Varchar(100)).default_sql("'16'")"#,
            r#"Column::new("n", ColumnType::Integer).default_sql("-7")"#,
            r#"Column::new("s", ColumnType::SmallInt).default_sql("-1")"#,
            r#"Column::new("r", ColumnType::Numeric(4, 1)).default_sql("-1.5")"#,
            r#"Column::new("total", ColumnType::Numeric(10, 2)).default_sql("0.00")"#,
            r#"default_sql("('now'::text)::date")"#,
            r#"default_sql("'ok'")"#,
            r#"default_sql("'{}'")"#,
            r#"default_sql("'y'")"#,
            r#"default_sql("'a'::text || 'b'::text")"#,
        ] {
            assert!(src.contains(want), "{want}\nin\n{src}");
        }
        assert_eq!(
            dialect_specific(&schema),
            [
                "orders.on: default ('now'::text)::date",
                "orders.odd: default 'a'::text || 'b'::text",
                "orders.id: an identity that is not the primary key (SQLite assigns only a primary key)",
                "orders: check total >= 0::numeric",
                "type character(1): orders.flag",
                "type mood: orders.mood",
                "type text[]: orders.tags",
            ]
        );
        assert!(
            src.contains("//! In postgres's own words (review them if the app serves another dialect too):\n//! - orders.on: default ('now'::text)::date\n"),
            "{src}"
        );
        // A string that only looks like a literal followed by a cast stays whole.
        assert_eq!(
            portable_default(&ColumnType::Text, "'a'::text || 'b'::text"),
            "'a'::text || 'b'::text"
        );
        assert_eq!(
            portable_default(&ColumnType::Text, "'x'' ::text'"),
            "'x'' ::text'"
        );
    }

    #[test]
    fn views_types_functions_and_triggers_are_written_in_builder_words() {
        use crate::schema::{Domain, EnumType, Extension, Function, Trigger, View};
        let schema = Schema::new()
            .extension(Extension::new("citext").version("1.6"))
            .enum_type(EnumType::new("mood", ["sad", "ok"]))
            .domain(
                Domain::new("price", ColumnType::Integer)
                    .not_null()
                    .check("VALUE > 0"),
            )
            .sequence(crate::schema::Sequence::new("n").start(5).increment(2))
            .function(Function::new("touch", "CREATE FUNCTION touch() …"))
            .view(View::new("open_todos", "SELECT 1").materialized())
            .trigger(Trigger::new("todos", "touch", "CREATE TRIGGER …"));
        let src = models_source(&schema, "postgres");
        for part in [
            "use migrations_core::schema::{ColumnType, Domain, EnumType, Extension, Function, Schema, Sequence, Trigger, View};",
            "use migrations_core::Dialect;",
            r#".extension(Extension::new("citext").version("1.6"))"#,
            r#".enum_type(EnumType::new("mood", ["sad", "ok"]))"#,
            r#".domain(Domain::new("price", ColumnType::Integer).not_null().check("VALUE > 0"))"#,
            r#".function(Function::new("touch", "CREATE FUNCTION touch() …"))"#,
            r#".sequence(Sequence::new("n").increment(2).start(5))"#,
            r#".view(View::new("open_todos", "SELECT 1").materialized())"#,
            r#".trigger(Trigger::new("todos", "touch", "CREATE TRIGGER …").only(Dialect::Postgres))"#,
        ] {
            assert!(src.contains(part), "{part}\n{src}");
        }
    }
}
