//! The models' schema as PostgreSQL would build and deparse it, predicted without a server.

use super::naming;
use crate::bookkeeping::OWN_TABLES;
use crate::dialect::Dialect;
use crate::schema::{Check, Column, ColumnType, ForeignKey, Index, Schema, Table};
use crate::sql::{entry, normalize_expr};

/// The models as PostgreSQL builds them, without building them: what [`Driver::introspect`](crate::Driver::introspect) reads
/// back from temporary tables made by [`render::schema_ddl`](crate::render::schema_ddl) of
/// `models`, constraint names included (as PostgreSQL chooses them: `t_pkey`, `t_a_key`,
/// `t_a_fkey`, `t_a_check` or `t_check`).
///
/// PostgreSQL rewrites what it stores (`'draft'::text`, `'-7'::integer`, `n >= 0::numeric`),
/// so this covers what can be spelled exactly as it deparses it: the portable types, identity,
/// defaults that are a literal, `NULL` or `CURRENT_TIMESTAMP`/`CURRENT_DATE`/`CURRENT_TIME`/
/// `now()`, checks and partial-index predicates made of tests of one column — compared with a
/// literal, `IN` a list of literals, `IS [NOT] NULL`, a boolean column or its `NOT` — joined by
/// `AND` and `OR` without parentheses, indexes on plain columns, foreign keys to a key of a
/// table in the models. Anything else is `None`, and the models are built
/// ([`Driver::introspect_scratch`](crate::Driver::introspect_scratch)). The fixed-point
/// suite compares the prediction with the build for every model it builds; at run time a
/// prediction is trusted only where it agrees (see [`migrate::drift()`](crate::migrate::drift())).
///
/// ```
/// use migrations_core::dialect::postgres::as_built;
/// use migrations_core::schema::{Column, ColumnType, Schema, Table};
///
/// let models = Schema::new().table(
///     Table::new("todos")
///         .column(Column::new("id", ColumnType::BigInt).identity())
///         .column(Column::new("title", ColumnType::Text).not_null().default_text("untitled"))
///         .primary_key(["id"])
///         .check("title <> ''"),
/// );
/// let built = as_built(&models).expect("plain models");
/// let todos = &built.tables["todos"];
/// assert_eq!(todos.columns[1].default.as_deref(), Some("'untitled'::text"));
/// assert_eq!(todos.checks[0].expr, "title <> ''::text");
/// ```
pub fn as_built(models: &Schema) -> Option<Schema> {
    // PostgreSQL cuts longer names to 63 bytes, and quietly renames what then collides.
    // (No NUL either: the protocol cannot send one.)
    let fits = |name: &str| !name.is_empty() && name.len() <= 63 && !name.contains('\0');
    let mut schema = Schema::default();
    for (key, t) in &models.tables {
        if *key != t.name
            || !fits(&t.name)
            // Introspection leaves this crate's own tables out.
            || OWN_TABLES.contains(&t.name.as_str())
        {
            return None;
        }
    }
    for t in models.tables.values() {
        let mut names = std::collections::HashSet::new();
        if t.columns.is_empty()
            || t.columns.len() > 1600
            || !t
                .columns
                .iter()
                .all(|c| fits(&c.name) && names.insert(c.name.as_str()))
        {
            return None;
        }
        // Key, index and foreign key columns: present, each once, and of a type btree can
        // index (`json` has no equality).
        let has = |cols: &[String]| {
            let mut seen = std::collections::HashSet::new();
            // An index takes 32 columns at most.
            !cols.is_empty()
                && cols.len() <= 32
                && cols.iter().all(|c| {
                    seen.insert(c.as_str())
                        && t.get_column(c)
                            .is_some_and(|col| col.ty != ColumnType::Json)
                })
        };
        if !t.primary_key.is_empty() && !has(&t.primary_key) {
            return None;
        }
        let mut out = Table::new(t.name.clone());
        out.primary_key = t.primary_key.clone();
        out.primary_key_name = (!t.primary_key.is_empty()).then(|| naming::primary_key(&t.name));
        for c in &t.columns {
            let integer = matches!(
                c.ty,
                ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
            );
            let valid_type = match c.ty {
                ColumnType::Raw(_) => false,
                ColumnType::Varchar(n) => (1..=10_485_760).contains(&n),
                ColumnType::Numeric(p, s) => (1..=1000).contains(&p) && s <= p,
                _ => true,
            };
            if !valid_type
                || (c.identity && (!integer || c.default.is_some()))
                || SYSTEM_COLUMNS.contains(&c.name.as_str())
            {
                return None;
            }
            let default = match &c.default {
                Some(d) => Some(normalize_expr(&deparse_default(&c.ty, d.trim())?)),
                None => None,
            };
            out.columns.push(Column {
                name: c.name.clone(),
                ty: c.ty.clone(),
                nullable: c.nullable && !c.identity && !t.primary_key.contains(&c.name),
                default: default.filter(|d| d != "null" && !d.starts_with("null::")),
                identity: c.identity,
            });
        }
        // Keys: PostgreSQL keeps one of two identical key specifications.
        let mut keys: Vec<Vec<String>> = vec![t.primary_key.clone()];
        for i in &t.indexes {
            // Another method needs an operator class for the column's type, which only a
            // build tells; included columns are left to the build too.
            if i.method().is_some() || !i.include.is_empty() {
                return None;
            }
            // Entries in canonical form: a column, `DESC`, a `NULLS` clause that is not the
            // direction's default (a collation is left to the scratch build).
            let mut targets = Vec::new();
            let mut entries = Vec::new();
            for e in &i.columns {
                let parsed = entry::parse(e, Dialect::Postgres);
                if t.get_column(e).is_some() || i.name.is_none() {
                    targets.push(e.clone());
                    entries.push(e.clone());
                } else if parsed.collation.is_some() {
                    return None;
                } else {
                    targets.push(parsed.target.to_string());
                    let mut canonical = parsed;
                    if canonical.nulls_as_postgres_default() {
                        canonical.nulls = None;
                    }
                    entries.push(format!("{}{}", canonical.target, canonical.options()));
                }
            }
            if !has(&targets) {
                return None;
            }
            match &i.name {
                None => {
                    if keys.contains(&i.columns) {
                        return None;
                    }
                    keys.push(i.columns.clone());
                    out.indexes.push(Index {
                        name: None,
                        columns: i.columns.clone(),
                        unique: true,
                        predicate: None,
                        constraint_name: Some(naming::unique(&t.name, &i.columns)),
                        ..Index::default()
                    });
                }
                Some(name) => {
                    let predicate = match &i.predicate {
                        Some(p) => Some(normalize_expr(&deparse_condition(t, p)?.0)),
                        None => None,
                    };
                    out.indexes.push(Index {
                        name: Some(name.clone()),
                        columns: entries,
                        unique: i.unique,
                        predicate,
                        constraint_name: None,
                        ..Index::default()
                    });
                }
            }
        }
        // PostgreSQL numbers a name already taken in the table, in declaration order:
        // `t_a_check`, `t_a_check1`, ….
        let mut taken: Vec<String> = Vec::new();
        let mut choose = |base: String| {
            let mut name = base.clone();
            let mut n = 0;
            while taken.contains(&name) {
                n += 1;
                name = format!("{base}{n}");
            }
            taken.push(name.clone());
            name
        };
        for c in &t.checks {
            let (expr, columns) = deparse_condition(t, &c.expr)?;
            // PostgreSQL names a check after its column when it tests exactly one.
            let name = match (&c.name, columns.as_slice()) {
                (Some(name), _) => name.clone(),
                (None, [only]) => choose(naming::check(&t.name, Some(only))),
                (None, _) => choose(naming::check(&t.name, None)),
            };
            out.checks.push(Check {
                name: Some(name),
                expr: normalize_expr(&expr),
            });
        }
        for fk in &t.foreign_keys {
            let target = models.tables.get(&fk.ref_table)?;
            let mut wanted = fk.ref_columns.clone();
            wanted.sort();
            let is_key = |cols: &[String]| {
                let mut cols = cols.to_vec();
                cols.sort();
                cols == wanted
            };
            let keyed = is_key(&target.primary_key)
                || target.indexes.iter().any(|i| {
                    (i.name.is_none() || i.unique && i.predicate.is_none()) && is_key(&i.columns)
                });
            // PostgreSQL compares the two sides with one operator family.
            let family = |ty: &ColumnType| match ty {
                ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "integer".into(),
                ColumnType::Text | ColumnType::Varchar(_) => "text".into(),
                other => other.to_string(),
            };
            let comparable = fk.columns.iter().zip(&fk.ref_columns).all(|(from, to)| {
                match (t.get_column(from), target.get_column(to)) {
                    (Some(a), Some(b)) => family(&a.ty) == family(&b.ty),
                    _ => false,
                }
            });
            if !has(&fk.columns)
                || fk.columns.len() != fk.ref_columns.len()
                || !keyed
                || !comparable
            {
                return None;
            }
            out.foreign_keys.push(ForeignKey {
                name: Some(
                    fk.name
                        .clone()
                        .unwrap_or_else(|| choose(naming::foreign_key(&t.name, &fk.columns))),
                ),
                ..fk.clone()
            });
        }
        out.indexes.sort();
        out.foreign_keys.sort();
        out.checks.sort();
        schema.tables.insert(t.name.clone(), out);
    }
    // The names PostgreSQL chooses (keys and their indexes, checks, foreign keys, identity
    // sequences) are as predicted only if they meet no table, index or each other: it would
    // fail, or choose another name (`t_check1`).
    let mut names: Vec<String> = Vec::new();
    for (t, out) in models.tables.values().zip(schema.tables.values()) {
        names.push(t.name.clone());
        names.extend(out.primary_key_name.clone());
        names.extend(
            out.indexes
                .iter()
                .filter_map(|i| i.name.clone().or_else(|| i.constraint_name.clone())),
        );
        names.extend(out.checks.iter().filter_map(|c| c.name.clone()));
        names.extend(out.foreign_keys.iter().filter_map(|fk| fk.name.clone()));
        names.extend(
            t.columns
                .iter()
                .filter(|c| c.identity)
                .map(|c| format!("{}_{}_seq", t.name, c.name)),
        );
    }
    let count = names.len();
    names.sort();
    names.dedup();
    if names.len() != count || !names.iter().all(|n| fits(n)) {
        return None;
    }
    // A view, a function, a trigger is what PostgreSQL deparses it to: only a build tells.
    if !models.views.is_empty()
        || !models.functions.is_empty()
        || !models.domains.is_empty()
        || models
            .tables
            .values()
            .any(|t| t.partition_by.is_some() || t.partition_of.is_some())
        || models
            .triggers
            .values()
            .any(|t| t.applies_to(Dialect::Postgres))
    {
        return None;
    }
    for (key, e) in &models.enums {
        let mut seen = std::collections::HashSet::new();
        if *key != e.name
            || !fits(&e.name)
            || e.labels.is_empty()
            || !e.labels.iter().all(|l| fits(l) && seen.insert(l))
        {
            return None;
        }
    }
    schema.enums = models.enums.clone();
    schema.extensions = models.extensions.clone();
    schema.sequences = models
        .sequences
        .iter()
        .map(|(k, q)| (k.clone(), q.with_defaults()))
        .collect();
    Some(schema)
}

/// Names PostgreSQL keeps for the system columns of every table.
const SYSTEM_COLUMNS: [&str; 6] = ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"];

/// A default as PostgreSQL deparses it for a column of type `ty`, where that is certain.
fn deparse_default(ty: &ColumnType, d: &str) -> Option<String> {
    use ColumnType::*;
    let upper = d.to_ascii_uppercase();
    let numeric = matches!(
        ty,
        SmallInt | Integer | BigInt | Real | Double | Numeric(..)
    );
    match (upper.as_str(), ty) {
        ("NULL", _) => return Some("NULL".into()),
        ("CURRENT_TIMESTAMP", Timestamp | TimestampTz)
        | ("CURRENT_DATE", Date)
        | ("CURRENT_TIME", Time) => return Some(upper),
        ("NOW()", Timestamp | TimestampTz) => return Some("now()".into()),
        ("TRUE" | "FALSE", Boolean) => return Some(upper.to_ascii_lowercase()),
        _ => {}
    }
    if numeric {
        return deparse_number(d, !matches!(ty, SmallInt | Integer | BigInt));
    }
    let text = string_literal(d)?;
    let named = match ty {
        Text => "text",
        Varchar(_) => "character varying",
        // Valid JSON that `json` keeps as written.
        Json if ["{}", "[]"].contains(&text.as_str()) => "json",
        Uuid if text.len() == 36
            && text.bytes().enumerate().all(|(i, b)| {
                if [8, 13, 18, 23].contains(&i) {
                    b == b'-'
                } else {
                    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
                }
            }) =>
        {
            "uuid"
        }
        _ => return None,
    };
    Some(format!("{d}::{named}"))
}

/// A plain decimal literal as SQL text: an optional `-`, digits without a leading zero, an
/// optional fraction. Integers only when they fit PostgreSQL's 32-bit integer or, with
/// `wide`, its 64-bit one (a literal beyond that is `numeric` to PostgreSQL).
struct Number {
    negative: bool,
    fraction: bool,
    /// An integer beyond 32 bits (`bigint` to PostgreSQL).
    big: bool,
    /// `-0`, `-0.0`: PostgreSQL drops the sign.
    zero: bool,
}

fn number(s: &str, wide: bool) -> Option<Number> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let plain = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !plain(whole) || !fraction.is_none_or(plain) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    let big = fraction.is_none() && s.parse::<i32>().is_err();
    if big && (!wide || s.parse::<i64>().is_err()) {
        return None;
    }
    Some(Number {
        negative,
        fraction: fraction.is_some(),
        big,
        zero: digits.bytes().all(|b| b == b'0' || b == b'.'),
    })
}

/// An integer (or, where `decimals`, a decimal) literal as PostgreSQL deparses its constant:
/// as written when not negative, quoted with its type when negative (`'-7'::integer`).
fn deparse_number(d: &str, decimals: bool) -> Option<String> {
    let n = number(d, true)?;
    if n.fraction && !decimals {
        return None;
    }
    if n.negative && n.zero {
        return deparse_number(&d[1..], decimals); // zero has no sign
    }
    Some(match (n.fraction, n.big, n.negative) {
        (true, _, false) | (false, false, false) => d.to_string(),
        (true, _, true) => format!("'{d}'::numeric"),
        (false, false, true) => format!("'{d}'::integer"),
        (false, true, _) => format!("'{d}'::bigint"),
    })
}

/// The text of a plain single-quoted literal (no backslashes, quotes doubled).
fn string_literal(d: &str) -> Option<String> {
    let inner = d.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.contains('\\') || inner.contains('\0') || inner.replace("''", "").contains('\'') {
        return None;
    }
    Some(inner.replace("''", "'"))
}

/// A check or index predicate as PostgreSQL deparses it (pretty), where it is comparisons of a
/// column of `t` with a literal, joined by `AND`, or `IS [NOT] NULL` tests.
fn deparse_condition(t: &Table, expr: &str) -> Option<(String, Vec<String>)> {
    // The tokens read `==` as `=` and `!=` as `<>`; PostgreSQL has no `==`, and reads
    // `!=-1` as an operator `!=-`.
    if expr.contains("==") || expr.contains("!=") {
        return None;
    }
    // Without parentheses `AND` binds before `OR`, as PostgreSQL prints it back.
    let tokens = crate::sql::expr_tokens(expr);
    let compound = tokens.iter().any(|tok| tok == "and" || tok == "or");
    let mut columns: Vec<String> = Vec::new();
    let mut any = Vec::new();
    for disjunct in tokens.split(|tok| tok == "or") {
        let mut all = Vec::new();
        for part in disjunct.split(|tok| tok == "and") {
            let (test, array) = deparse_test(t, part)?;
            if !columns.contains(&part[0]) && part[0] != "not" {
                columns.push(part[0].clone());
            }
            if part[0] == "not" && !columns.contains(&part[1]) {
                columns.push(part[1].clone());
            }
            // Inside `AND`/`OR`, PostgreSQL parenthesises `= ANY (…)` (not other tests).
            all.push(if compound && array {
                format!("({test})")
            } else {
                test
            });
        }
        any.push(all.join(" AND "));
    }
    Some((any.join(" OR "), columns))
}

/// One test on one column of `t`: a comparison with a literal, `IN (…)` a list of literals,
/// `IS [NOT] NULL`, or a boolean column itself or negated; and whether it is an array
/// comparison (`= ANY (…)`, which PostgreSQL parenthesises inside `AND`/`OR`).
fn deparse_test(t: &Table, tokens: &[String]) -> Option<(String, bool)> {
    use ColumnType::*;
    let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let (negated, words) = match words.as_slice() {
        ["not", rest @ ..] => (true, rest.to_vec()),
        _ => (false, words),
    };
    let (&column, rest) = words.split_first()?;
    // Bare lower-case names that are no keyword: PostgreSQL prints them bare too.
    let plain = column
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !column.as_bytes()[0].is_ascii_digit()
        && !crate::sql::is_keyword(column);
    let col = t.get_column(column).filter(|_| plain)?;
    match (negated, rest, &col.ty) {
        (false, [], Boolean) => return Some((column.to_string(), false)),
        (true, [], Boolean) => return Some((format!("NOT {column}"), false)),
        (true, _, _) => return None,
        (false, ["is", "null"], _) => return Some((format!("{column} IS NULL"), false)),
        (false, ["is", "not", "null"], _) => return Some((format!("{column} IS NOT NULL"), false)),
        (false, ["in", "(", list @ .., ")"], _) => {
            return deparse_in(column, &col.ty, list).map(|d| (d, true))
        }
        _ => {}
    }
    let (op, literal) = match rest {
        [op, literal] => (*op, literal.to_string()),
        [op, "-", literal] => (*op, format!("-{literal}")),
        _ => return None,
    };
    if !["=", "<>", "<", "<=", ">", ">="].contains(&op) {
        return None;
    }
    // (negative, has a fraction); `-0` (`0` to PostgreSQL) is declined.
    let parsed = number(&literal, false)
        .filter(|n| !(n.negative && n.zero))
        .map(|n| (n.negative, n.fraction));
    let right = match (&col.ty, parsed) {
        (SmallInt | Integer | BigInt, Some((false, false))) => literal,
        (SmallInt | Integer | BigInt, Some((true, false))) => format!("'{literal}'::integer"),
        (Numeric(..), Some((false, false))) => format!("{literal}::numeric"),
        (Numeric(..), Some((true, false))) => format!("'{literal}'::integer::numeric"),
        (Numeric(..), Some((false, true))) => literal,
        (Numeric(..), Some((true, true))) => format!("'{literal}'::numeric"),
        (Real | Double, Some((false, _))) => format!("{literal}::double precision"),
        (Boolean, None) if literal == "true" || literal == "false" => literal,
        (Text, None) if string_literal(&literal).is_some() => format!("{literal}::text"),
        (Varchar(_), None) if string_literal(&literal).is_some() => {
            return Some((format!("{column}::text {op} {literal}::text"), false));
        }
        _ => return None,
    };
    Some((format!("{column} {op} {right}"), false))
}

/// `column IN (a, b, …)` as PostgreSQL prints it back: `= ANY (ARRAY[…])`, for two or more
/// non-negative integers on an integer column, or strings on a text column.
fn deparse_in(column: &str, ty: &ColumnType, list: &[&str]) -> Option<String> {
    use ColumnType::*;
    let items: Vec<&str> = list.iter().step_by(2).copied().collect();
    let commas = list.iter().skip(1).step_by(2).all(|c| *c == ",");
    if items.len() < 2 || !commas || list.len() != items.len() * 2 - 1 {
        return None;
    }
    let integers = items
        .iter()
        .all(|i| number(i, false).is_some_and(|n| !n.negative && !n.fraction));
    let strings = items.iter().all(|i| string_literal(i).is_some());
    let cast = |suffix: &str| {
        items
            .iter()
            .map(|i| format!("{i}::{suffix}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match ty {
        SmallInt | Integer if integers => {
            Some(format!("{column} = ANY (ARRAY[{}])", items.join(", ")))
        }
        BigInt if integers => Some(format!("{column} = ANY (ARRAY[{}])", cast("bigint"))),
        Text if strings => Some(format!("{column} = ANY (ARRAY[{}])", cast("text"))),
        Varchar(_) if strings => Some(format!(
            "{column}::text = ANY (ARRAY[{}]::text[])",
            cast("character varying")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod prediction_tests {
    use super::as_built;
    use crate::schema::{Column, ColumnType, Index, Schema, Table};

    fn one(t: Table) -> Schema {
        Schema::new().table(t)
    }

    fn int_table(name: &str) -> Table {
        Table::new(name)
            .column(Column::new("id", ColumnType::Integer).not_null())
            .column(Column::new("a", ColumnType::Integer))
            .primary_key(["id"])
    }

    /// What PostgreSQL refuses, or names or spells in a way the prediction does not follow,
    /// is not predicted (each case found in review; see the fixed-point suite for the rest).
    #[test]
    fn what_postgres_refuses_or_renames_is_not_predicted() {
        use ColumnType::*;
        let cases: Vec<(&str, Schema)> = vec![
            (
                "`==` (no such operator)",
                one(int_table("t").check("a == 1")),
            ),
            (
                "a keyword as a bare column",
                one(Table::new("t")
                    .column(Column::new("collation", Integer))
                    .check("collation > 0")),
            ),
            (
                "table named as another's key",
                Schema::new()
                    .table(int_table("a"))
                    .table(int_table("a_pkey")),
            ),
            (
                "index named as a unique constraint",
                one(int_table("t")
                    .unique(["a"])
                    .index(Index::new("t_a_key", ["id"]))),
            ),
            (
                "index named as an identity sequence",
                one(Table::new("a")
                    .column(Column::new("id", Integer).identity())
                    .index(Index::new("a_id_seq", ["id"]))),
            ),
            (
                "a system column",
                one(Table::new("t").column(Column::new("xmin", Integer))),
            ),
            (
                "VARCHAR(0)",
                one(Table::new("t").column(Column::new("v", Varchar(0)))),
            ),
            (
                "NUMERIC(5,10)",
                one(Table::new("t").column(Column::new("n", Numeric(5, 10)))),
            ),
            (
                "invalid JSON",
                one(Table::new("t").column(Column::new("j", Json).default_sql("'{'"))),
            ),
            (
                "CURRENT_TIME on a timestamp",
                one(Table::new("t")
                    .column(Column::new("at", Timestamp).default_sql("CURRENT_TIME"))),
            ),
            (
                "CURRENT_DATE on a time",
                one(Table::new("t").column(Column::new("at", Time).default_sql("CURRENT_DATE"))),
            ),
            (
                "a 64-byte name",
                one(Table::new("t".repeat(64)).column(Column::new("a", Integer))),
            ),
            (
                "`!=-1` (PostgreSQL reads an operator `!=-`)",
                one(int_table("t").check("a !=-1")),
            ),
            (
                "33 key columns",
                one((0..33)
                    .fold(Table::new("t"), |t, i| {
                        t.column(Column::new(format!("c{i}"), Integer).not_null())
                    })
                    .primary_key((0..33).map(|i| format!("c{i}")))),
            ),
            (
                "1,601 columns",
                one((0..1601).fold(Table::new("t"), |t, i| {
                    t.column(Column::new(format!("c{i}"), Integer))
                })),
            ),
            (
                "this crate's own table",
                one(Table::new("migrations_history").column(Column::new("a", Integer))),
            ),
            (
                "a NUL in a name",
                one(Table::new("a\0b").column(Column::new("a", Integer))),
            ),
            (
                "a NUL in a literal",
                one(Table::new("t").column(Column::new("a", Text).default_text("a\0"))),
            ),
        ];
        for (what, models) in cases {
            assert!(as_built(&models).is_none(), "{what} was predicted");
        }
    }

    /// `= ANY (…)` is parenthesised inside `OR` for an `IN` list, not for a string that merely
    /// contains those words.
    #[test]
    fn only_in_lists_are_parenthesised() {
        let models = one(Table::new("t")
            .column(Column::new("x", ColumnType::Text))
            .column(Column::new("a", ColumnType::Integer))
            .check("x = ' = ANY (' OR a > 0")
            .check("x IN ('p', 'q') OR a > 0"));
        let built = as_built(&models).expect("predicted");
        let mut checks: Vec<&str> = built.tables["t"]
            .checks
            .iter()
            .map(|c| c.expr.as_str())
            .collect();
        checks.sort();
        assert_eq!(
            checks,
            [
                "(x = any(array [ 'p'::text, 'q'::text ])) or a > 0",
                "x = ' = ANY ('::text or a > 0"
            ]
        );
    }

    /// PostgreSQL drops the sign of zero.
    #[test]
    fn negative_zero_defaults_are_zero() {
        for (ty, default, stored) in [
            (ColumnType::Integer, "-0", "0"),
            (ColumnType::Numeric(8, 2), "-0.0", "0.0"),
            (ColumnType::Double, "-0", "0"),
            (ColumnType::Integer, "-5", "'-5'::integer"),
        ] {
            let models = one(Table::new("t").column(Column::new("x", ty).default_sql(default)));
            let built = as_built(&models).expect("predicted");
            assert_eq!(
                built.tables["t"].columns[0].default.as_deref(),
                Some(stored)
            );
        }
    }
}
