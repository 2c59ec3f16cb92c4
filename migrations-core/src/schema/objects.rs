//! The schema's objects besides tables: views, enum types, domains, sequences, extensions,
//! functions and triggers, and [`Kind`], what [`Schema::manage`](super::Schema::manage)
//! names (*pure*).

#[cfg(doc)]
use super::Schema;
use super::{Check, ColumnType};
use crate::dialect::Dialect;
use crate::sql::normalize_expr;

/// A kind of schema object besides tables, for [`Schema::manage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// Views and materialized views.
    View,
    /// Enum types.
    Enum,
    /// Extensions.
    Extension,
    /// Domains.
    Domain,
    /// Sequences of their own.
    Sequence,
    /// Functions and procedures.
    Function,
    /// Triggers.
    Trigger,
}

/// A PostgreSQL domain: a base type with a default, `NOT NULL` and checks (`VALUE > 0`).
/// Columns use it as [`ColumnType::Raw`] with its name. SQLite has no domains: there the
/// models' domains are not built, and a column of one is a column of that declared type.
///
/// ```
/// use migrations_core::schema::{ColumnType, Domain};
///
/// let price = Domain::new("price", ColumnType::Numeric(12, 2))
///     .not_null()
///     .default_sql("0")
///     .check("VALUE >= 0");
/// # let _ = price;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain {
    /// Domain name.
    pub name: String,
    /// The type it is over.
    pub base: ColumnType,
    /// Whether it refuses NULL.
    pub not_null: bool,
    /// Default expression, as SQL.
    pub default: Option<String>,
    /// Check constraints over `VALUE`.
    pub checks: Vec<Check>,
}

impl Domain {
    /// A domain called `name` over `base`: nullable, no default, no check.
    pub fn new(name: impl Into<String>, base: ColumnType) -> Self {
        Domain {
            name: name.into(),
            base,
            not_null: false,
            default: None,
            checks: Vec::new(),
        }
    }

    /// Refuses NULL.
    pub fn not_null(mut self) -> Self {
        self.not_null = true;
        self
    }

    /// Sets the default, as SQL.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }

    /// Adds a check over `VALUE`.
    pub fn check(mut self, expr: impl Into<String>) -> Self {
        self.checks.push(Check {
            name: None,
            expr: expr.into(),
        });
        self
    }

    /// The checks in one spelling, sorted: how they are compared.
    pub fn check_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .checks
            .iter()
            .map(|c| normalize_expr(&c.expr))
            .collect();
        keys.sort();
        keys
    }
}

/// A PostgreSQL sequence of its own (one an identity or `serial` column owns is that
/// column's, never one of these): its start, step, bounds and whether it cycles; what the
/// models leave unsaid is PostgreSQL's default. SQLite has none: there it is not built.
///
/// ```
/// use migrations_core::schema::Sequence;
///
/// let invoices = Sequence::new("invoice_numbers").start(1000).increment(10);
/// # let _ = invoices;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sequence {
    /// Sequence name.
    pub name: String,
    /// The first value.
    pub start: Option<i64>,
    /// The step (1 unless said).
    pub increment: i64,
    /// The lowest value.
    pub min: Option<i64>,
    /// The highest value.
    pub max: Option<i64>,
    /// Whether it starts again past its bound.
    pub cycle: bool,
}

impl Sequence {
    /// A `bigint` sequence called `name`, with PostgreSQL's defaults.
    pub fn new(name: impl Into<String>) -> Self {
        Sequence {
            name: name.into(),
            start: None,
            increment: 1,
            min: None,
            max: None,
            cycle: false,
        }
    }

    /// Sets the first value.
    pub fn start(mut self, start: i64) -> Self {
        self.start = Some(start);
        self
    }

    /// Sets the step.
    pub fn increment(mut self, by: i64) -> Self {
        self.increment = by;
        self
    }

    /// Sets the lowest value.
    pub fn min(mut self, min: i64) -> Self {
        self.min = Some(min);
        self
    }

    /// Sets the highest value.
    pub fn max(mut self, max: i64) -> Self {
        self.max = Some(max);
        self
    }

    /// Starts again past its bound.
    pub fn cycle(mut self) -> Self {
        self.cycle = true;
        self
    }

    /// The sequence with PostgreSQL's defaults spelled out, as the database reports it.
    pub fn with_defaults(&self) -> Sequence {
        let (start, increment, min, max, cycle) = self.key();
        Sequence {
            name: self.name.clone(),
            start: Some(start),
            increment,
            min: Some(min),
            max: Some(max),
            cycle,
        }
    }

    /// `(start, increment, min, max, cycle)` with PostgreSQL's defaults filled in (for a
    /// `bigint` sequence): how sequences are compared.
    pub fn key(&self) -> (i64, i64, i64, i64, bool) {
        let up = self.increment > 0;
        let min = self.min.unwrap_or(if up { 1 } else { i64::MIN });
        let max = self.max.unwrap_or(if up { i64::MAX } else { -1 });
        let start = self.start.unwrap_or(if up { min } else { max });
        (start, self.increment, min, max, self.cycle)
    }
}

/// A PostgreSQL function or procedure, by its whole `CREATE [OR REPLACE] FUNCTION|PROCEDURE`
/// statement. Compared as PostgreSQL deparses it (`pg_get_functiondef`; the body as written,
/// but for its whitespace). SQLite has none: there the models' functions are not built.
///
/// ```
/// use migrations_core::schema::Function;
///
/// let touch = Function::new(
///     "touch_updated_at",
///     "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
///      BEGIN NEW.updated_at = now(); RETURN NEW; END $$",
/// );
/// # let _ = touch;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Function {
    /// Function name (the key it is compared under).
    pub name: String,
    /// The statement that creates it.
    pub definition: String,
}

impl Function {
    /// The function `name`, created by `definition`.
    pub fn new(name: impl Into<String>, definition: impl Into<String>) -> Self {
        Function {
            name: name.into(),
            definition: definition.into(),
        }
    }

    /// What the function is, in one spelling: how functions are compared (the body's
    /// whitespace aside).
    pub fn key(&self) -> String {
        crate::sql::normalize_routine(&self.definition)
    }

    /// `PROCEDURE`, `AGGREGATE` or `FUNCTION`, as its definition says.
    pub fn kind(&self) -> &'static str {
        let head: String = self
            .definition
            .chars()
            .take(40)
            .collect::<String>()
            .to_ascii_uppercase();
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.contains(&"PROCEDURE") {
            "PROCEDURE"
        } else if words.contains(&"AGGREGATE") {
            "AGGREGATE"
        } else {
            "FUNCTION"
        }
    }
}

/// A trigger on a table (or a view), by its whole `CREATE TRIGGER` statement — which differs
/// between SQLite and PostgreSQL: say which dialect a trigger is for with
/// [`Trigger::only`], and declare one for each.
///
/// ```
/// use migrations_core::schema::Trigger;
/// use migrations_core::Dialect;
///
/// let pg = Trigger::new(
///     "todos",
///     "todos_touch",
///     "CREATE TRIGGER todos_touch BEFORE UPDATE ON todos FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
/// )
/// .only(Dialect::Postgres);
/// # let _ = pg;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Trigger {
    /// Trigger name.
    pub name: String,
    /// The table (or view) it is on.
    pub table: String,
    /// The statement that creates it.
    pub definition: String,
    /// The one dialect it is for (`None`: all).
    pub dialect: Option<Dialect>,
}

impl Trigger {
    /// The trigger `name` on `table`, created by `definition`.
    pub fn new(
        table: impl Into<String>,
        name: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Trigger {
            name: name.into(),
            table: table.into(),
            definition: definition.into(),
            dialect: None,
        }
    }

    /// Makes it a trigger of `dialect` only (the other dialects build no such trigger).
    pub fn only(mut self, dialect: Dialect) -> Self {
        self.dialect = Some(dialect);
        self
    }

    /// Its key in [`Schema::triggers`]: `table.name`.
    pub fn key(&self) -> String {
        format!("{}.{}", self.table, self.name)
    }

    /// Whether `dialect` builds it.
    pub fn applies_to(&self, dialect: Dialect) -> bool {
        self.dialect.is_none_or(|d| d == dialect)
    }

    /// What the trigger is, in one spelling: how triggers are compared.
    pub fn normal_form(&self) -> String {
        crate::sql::normalize_query(&self.definition)
    }
}

/// A PostgreSQL extension the schema needs (`CREATE EXTENSION`), with the version the models
/// pin, if any. Extensions are the database's, not a schema's; `plpgsql`, always there, is
/// never one of them. What an extension creates (its types, functions, views) is never
/// compared.
///
/// ```
/// use migrations_core::schema::{Extension, Schema};
///
/// let schema = Schema::new()
///     .extension(Extension::new("citext"))
///     .extension(Extension::new("pg_trgm").version("1.6"));
/// # let _ = schema;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Extension {
    /// Extension name.
    pub name: String,
    /// The version the models pin (`None`: any).
    pub version: Option<String>,
}

impl Extension {
    /// The extension called `name`, any version.
    pub fn new(name: impl Into<String>) -> Self {
        Extension {
            name: name.into(),
            version: None,
        }
    }

    /// Pins its version (`ALTER EXTENSION … UPDATE TO` when it differs).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }
}

/// A view: a named `SELECT`. Compared by what the database makes of it (PostgreSQL deparses
/// both sides with `pg_get_viewdef`; SQLite's text is compared token by token, keywords and
/// plain names without case, needless quotes dropped).
///
/// ```
/// use migrations_core::schema::View;
///
/// let open = View::new("open_todos", "SELECT id, title FROM todos WHERE NOT done");
/// let counts = View::new("todo_counts", "SELECT done, count(*) AS n FROM todos GROUP BY done")
///     .materialized();
/// # let _ = (open, counts);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct View {
    /// View name.
    pub name: String,
    /// The view's column names, where its definition lists them (`CREATE VIEW v (a, b) AS …`);
    /// empty otherwise.
    pub columns: Vec<String>,
    /// The `SELECT`, as written (models) or as the database reports it.
    pub query: String,
    /// A materialized view (PostgreSQL only).
    pub materialized: bool,
}

impl View {
    /// A view called `name`, defined by `query` (a `SELECT`).
    pub fn new(name: impl Into<String>, query: impl Into<String>) -> Self {
        View {
            name: name.into(),
            query: query.into(),
            ..View::default()
        }
    }

    /// Names its columns (`CREATE VIEW name (a, b) AS …`).
    pub fn columns<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// Makes it a materialized view (PostgreSQL only; SQLite has none).
    pub fn materialized(mut self) -> Self {
        self.materialized = true;
        self
    }

    /// What the view is, its name aside, in one spelling: how views are compared.
    pub fn key(&self) -> (bool, Vec<String>, String) {
        (
            self.materialized,
            self.columns.iter().map(|c| c.to_lowercase()).collect(),
            crate::sql::normalize_query(&self.query),
        )
    }
}

/// An enum type (PostgreSQL `CREATE TYPE … AS ENUM`): its labels, in order. Columns use it as
/// [`ColumnType::Raw`] with its name. SQLite has no enum types: there the models' enums are
/// not built, and a column of one is a column of that declared type.
///
/// ```
/// use migrations_core::schema::{Column, ColumnType, EnumType, Schema, Table};
///
/// let schema = Schema::new()
///     .enum_type(EnumType::new("mood", ["sad", "ok", "happy"]))
///     .table(Table::new("people").column(Column::new("mood", ColumnType::Raw("mood".into()))));
/// # let _ = schema;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EnumType {
    /// Type name.
    pub name: String,
    /// Labels, in their sort order.
    pub labels: Vec<String>,
}

impl EnumType {
    /// An enum type called `name` with `labels`, in order.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        labels: impl IntoIterator<Item = S>,
    ) -> Self {
        EnumType {
            name: name.into(),
            labels: labels.into_iter().map(Into::into).collect(),
        }
    }
}

/// A view in words: `view name (a, b): SELECT …` or `materialized view name: SELECT …`, on one
/// line.
pub fn describe_view(v: &View) -> String {
    let mut l = String::new();
    if v.materialized {
        l.push_str("materialized ");
    }
    l.push_str(&format!("view {}", v.name));
    if !v.columns.is_empty() {
        l.push_str(&format!(" ({})", v.columns.join(", ")));
    }
    l.push_str(&format!(": {}", words(&v.query)));
    l
}

/// SQL on one line, whitespace collapsed (never shortened: the snapshot compares it).
pub(crate) fn words(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A domain in words: `domain price NUMERIC(12,2) NOT NULL DEFAULT 0 check (value >= 0)`.
pub fn describe_domain(d: &Domain) -> String {
    let mut l = format!("domain {} {}", d.name, d.base);
    if d.not_null {
        l.push_str(" NOT NULL");
    }
    if let Some(x) = &d.default {
        l.push_str(&format!(" DEFAULT {}", normalize_expr(x)));
    }
    for c in d.check_keys() {
        l.push_str(&format!(" check ({c})"));
    }
    l
}

/// A sequence in words, defaults filled in: `sequence s start 1 increment 1 min 1 max … cycle`.
pub fn describe_sequence(q: &Sequence) -> String {
    let (start, increment, min, max, cycle) = q.key();
    let mut l = format!(
        "sequence {} start {start} increment {increment} min {min} max {max}",
        q.name
    );
    if cycle {
        l.push_str(" cycle");
    }
    l
}

/// An extension in words: `extension citext` or `extension pg_trgm version 1.6`.
pub fn describe_extension(x: &Extension) -> String {
    match &x.version {
        Some(v) => format!("extension {} version {v}", x.name),
        None => format!("extension {}", x.name),
    }
}

/// An enum's labels in words: `'sad', 'ok', 'happy'`.
pub fn enum_labels(e: &EnumType) -> String {
    e.labels
        .iter()
        .map(|l| crate::sql::quote_literal(l))
        .collect::<Vec<_>>()
        .join(", ")
}
