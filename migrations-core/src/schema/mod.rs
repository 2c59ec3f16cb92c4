//! The schema model: what the app's models declare, what the migrations produce and what a live
//! database holds — one type for all three, so they compare with one [`diff`](crate::diff).
//!
//! # Example: the models of a todo app
//!
//! ```
//! use migrations_core::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};
//!
//! pub fn schema() -> Schema {
//!     Schema::new()
//!         .table(
//!             Table::new("users")
//!                 .column(Column::new("id", ColumnType::BigInt).identity())
//!                 .column(Column::new("email", ColumnType::Varchar(320)).not_null())
//!                 .primary_key(["id"])
//!                 .unique(["email"]),
//!         )
//!         .table(
//!             Table::new("todos")
//!                 .column(Column::new("id", ColumnType::BigInt).identity())
//!                 .column(Column::new("user_id", ColumnType::BigInt).not_null())
//!                 .column(Column::new("title", ColumnType::Varchar(255)).not_null())
//!                 .column(Column::new("done", ColumnType::Boolean).not_null().default_sql("false"))
//!                 .column(Column::new("created_at", ColumnType::Timestamp).not_null().default_now())
//!                 .primary_key(["id"])
//!                 .index(Index::new("todos_user_id", ["user_id"]))
//!                 .foreign_key(ForeignKey::new(["user_id"], "users", ["id"]).on_delete(Action::Cascade))
//!                 .check("title <> ''"),
//!         )
//! }
//!
//! assert!(schema().render().contains("table todos"));
//! ```
//!
//! Column types are portable ([`ColumnType`]); defaults and check expressions are SQL that both
//! SQLite and PostgreSQL accept (`false`, `0`, `'text'`, `CURRENT_TIMESTAMP`). A column is
//! nullable unless [`Column::not_null`] says otherwise, as in SQL.

use crate::dialect::Dialect;
use crate::sql::normalize_expr;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod objects;
use objects::words;
pub use objects::{
    describe_domain, describe_extension, describe_sequence, describe_view, enum_labels, Domain,
    EnumType, Extension, Function, Kind, Sequence, Trigger, View,
};

/// A whole schema: tables, views, enum types, extensions, functions and triggers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Schema {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Views (and PostgreSQL's materialized views) by name.
    pub views: BTreeMap<String, View>,
    /// Enum types (PostgreSQL) by name.
    pub enums: BTreeMap<String, EnumType>,
    /// Extensions (PostgreSQL) by name.
    pub extensions: BTreeMap<String, Extension>,
    /// Domains (PostgreSQL) by name.
    pub domains: BTreeMap<String, Domain>,
    /// Sequences of their own (PostgreSQL; not an identity's or a `serial` column's) by name.
    pub sequences: BTreeMap<String, Sequence>,
    /// Functions and procedures (PostgreSQL) by name (`name(argument types)` where the
    /// database has several of one name).
    pub functions: BTreeMap<String, Function>,
    /// Triggers by `table.name` (a PostgreSQL trigger's name is its table's; SQLite's are the
    /// schema's, and unique there too).
    pub triggers: BTreeMap<String, Trigger>,
    /// Kinds of object the models compare although they declare none of them (see
    /// [`Schema::manage`]).
    pub managed: BTreeSet<Kind>,
}

/// A portable column type. Each dialect renders it in its own words; introspection maps the
/// database's words back, so `VARCHAR(255)` and `character varying(255)` are one type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ColumnType {
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer (on SQLite: `INTEGER`, the rowid type).
    Integer,
    /// 64-bit integer.
    BigInt,
    /// Unbounded text.
    Text,
    /// Text of at most N characters.
    Varchar(u32),
    /// Boolean.
    Boolean,
    /// 32-bit floating point.
    Real,
    /// 64-bit floating point.
    Double,
    /// Exact decimal with precision and scale.
    Numeric(u32, u32),
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// Timestamp without time zone.
    Timestamp,
    /// Timestamp with time zone.
    TimestampTz,
    /// Binary data.
    Bytes,
    /// JSON text.
    Json,
    /// Binary JSON (PostgreSQL `jsonb`; `JSONB` text on SQLite).
    Jsonb,
    /// UUID.
    Uuid,
    /// Anything else, as the database spells it.
    Raw(String),
}

impl ColumnType {
    /// The type in `dialect`'s SQL.
    pub fn sql(&self, dialect: Dialect) -> String {
        use ColumnType::*;
        match (self, dialect) {
            (Bytes, Dialect::Sqlite) => "BLOB".into(),
            (Bytes, Dialect::Postgres) => "BYTEA".into(),
            (Raw(s), _) => s.clone(),
            _ => self.to_string(),
        }
    }

    /// Reads a SQLite declared type (as `pragma table_info` reports it).
    pub fn from_sqlite(declared: &str) -> ColumnType {
        let d = declared
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        let d = d.replace(" (", "(").replace(", ", ",");
        // Character types with a length: SQLite gives them all TEXT affinity and never
        // enforces the length, so each is the portable VARCHAR of that length (a length is
        // still compared: VARCHAR(10) against NVARCHAR(20) is a change).
        for prefix in [
            "NVARCHAR(",
            "NCHAR(",
            "NATIVE CHARACTER(",
            "VARYING CHARACTER(",
            "CHARACTER(",
            "CHAR(",
        ] {
            if let Some(n) = d
                .strip_prefix(prefix)
                .and_then(|r| r.strip_suffix(')'))
                .and_then(|n| n.trim().parse().ok())
            {
                return ColumnType::Varchar(n);
            }
        }
        Self::from_common(&d).unwrap_or(match d.as_str() {
            "BLOB" => ColumnType::Bytes,
            // The other names real SQLite schemas use for a portable type, with its affinity
            // (SQLAlchemy, and so every Alembic-made database, writes DATETIME).
            "INT" | "INT4" => ColumnType::Integer,
            "INT2" => ColumnType::SmallInt,
            "INT8" => ColumnType::BigInt,
            "FLOAT8" | "FLOAT" => ColumnType::Double,
            "FLOAT4" => ColumnType::Real,
            "CLOB" => ColumnType::Text,
            "DATETIME" => ColumnType::Timestamp,
            // SQLite type names are case-insensitive: keep one spelling.
            _ => ColumnType::Raw(d),
        })
    }

    /// Reads a PostgreSQL type as `format_type` reports it.
    pub fn from_postgres(formatted: &str) -> ColumnType {
        let f = formatted.trim().to_ascii_uppercase();
        // `timestamp(6)` and `time(6)` are the default precision.
        let f = f.replace("(6) ", " ");
        Self::from_common(&f).unwrap_or_else(|| ColumnType::Raw(formatted.trim().to_string()))
    }

    /// The portable spellings (upper-cased, single-spaced), shared by both dialects.
    fn from_common(d: &str) -> Option<ColumnType> {
        use ColumnType::*;
        if let Some(n) = d
            .strip_prefix("VARCHAR(")
            .or_else(|| d.strip_prefix("CHARACTER VARYING("))
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|n| n.trim().parse().ok())
        {
            return Some(Varchar(n));
        }
        if let Some((p, s)) = d
            .strip_prefix("NUMERIC(")
            .or_else(|| d.strip_prefix("DECIMAL("))
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|r| r.split_once(','))
        {
            if let (Ok(p), Ok(s)) = (p.trim().parse(), s.trim().parse()) {
                return Some(Numeric(p, s));
            }
        }
        Some(match d {
            "SMALLINT" => SmallInt,
            "INTEGER" => Integer,
            "BIGINT" => BigInt,
            "TEXT" => Text,
            "BOOLEAN" | "BOOL" => Boolean,
            "REAL" => Real,
            "DOUBLE PRECISION" | "DOUBLE" => Double,
            "DATE" => Date,
            "TIME" | "TIME WITHOUT TIME ZONE" => Time,
            "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => Timestamp,
            "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => TimestampTz,
            "BYTEA" => Bytes,
            "JSON" => Json,
            "JSONB" => Jsonb,
            "UUID" => Uuid,
            _ => return None,
        })
    }

    /// Every portable type, one of each, for tests that cover the whole API.
    #[doc(hidden)]
    pub fn all_portable() -> Vec<ColumnType> {
        use ColumnType::*;
        vec![
            SmallInt,
            Integer,
            BigInt,
            Text,
            Varchar(255),
            Boolean,
            Real,
            Double,
            Numeric(12, 2),
            Date,
            Time,
            Timestamp,
            TimestampTz,
            Bytes,
            Json,
            Jsonb,
            Uuid,
        ]
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ColumnType::*;
        match self {
            SmallInt => f.write_str("SMALLINT"),
            Integer => f.write_str("INTEGER"),
            BigInt => f.write_str("BIGINT"),
            Text => f.write_str("TEXT"),
            Varchar(n) => write!(f, "VARCHAR({n})"),
            Boolean => f.write_str("BOOLEAN"),
            Real => f.write_str("REAL"),
            Double => f.write_str("DOUBLE PRECISION"),
            Numeric(p, s) => write!(f, "NUMERIC({p},{s})"),
            Date => f.write_str("DATE"),
            Time => f.write_str("TIME"),
            Timestamp => f.write_str("TIMESTAMP"),
            TimestampTz => f.write_str("TIMESTAMPTZ"),
            Bytes => f.write_str("BYTES"),
            Json => f.write_str("JSON"),
            Jsonb => f.write_str("JSONB"),
            Uuid => f.write_str("UUID"),
            Raw(s) => f.write_str(s),
        }
    }
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Columns in declaration order (order is never a difference).
    pub columns: Vec<Column>,
    /// Primary key columns, in key order; empty when there is none.
    pub primary_key: Vec<String>,
    /// The primary key constraint's name, where the database reports one (never compared).
    pub primary_key_name: Option<String>,
    /// Indexes, including those backing unique constraints (`name: None`).
    pub indexes: Vec<Index>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Check constraints.
    pub checks: Vec<Check>,
    /// How it is partitioned (PostgreSQL `PARTITION BY`, e.g. `RANGE (created_at)`).
    pub partition_by: Option<String>,
    /// The partitioned table it is a partition of, and its bound (PostgreSQL).
    pub partition_of: Option<Partition>,
}

/// Where a partition belongs: its partitioned table and its bound, as SQL
/// (`FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`, `FOR VALUES IN (…)`, `DEFAULT`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Partition {
    /// The partitioned table.
    pub parent: String,
    /// The bound.
    pub bound: String,
}

impl Table {
    /// An empty table called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            ..Table::default()
        }
    }

    /// A partition of `parent` (PostgreSQL): its columns, keys and indexes are the
    /// partitioned table's, so it declares none; `bound` is its `FOR VALUES …` or `DEFAULT`.
    /// SQLite has no partitions: there the partitioned table is a plain one, and its partitions
    /// are not built.
    ///
    /// ```
    /// use migrations_core::schema::{Column, ColumnType, Schema, Table};
    ///
    /// let schema = Schema::new()
    ///     .table(
    ///         Table::new("events")
    ///             .column(Column::new("at", ColumnType::Date).not_null())
    ///             .partition_by("RANGE (at)"),
    ///     )
    ///     .table(Table::partition("events_2024", "events", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"));
    /// # let _ = schema;
    /// ```
    pub fn partition(
        name: impl Into<String>,
        parent: impl Into<String>,
        bound: impl Into<String>,
    ) -> Self {
        Table {
            name: name.into(),
            partition_of: Some(Partition {
                parent: parent.into(),
                bound: bound.into(),
            }),
            ..Table::default()
        }
    }

    /// Partitions it (PostgreSQL `PARTITION BY RANGE (…)`, `LIST (…)`, `HASH (…)`).
    pub fn partition_by(mut self, key: impl Into<String>) -> Self {
        self.partition_by = Some(key.into());
        self
    }

    /// Adds a column.
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Sets the primary key.
    pub fn primary_key<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.primary_key = columns.into_iter().map(Into::into).collect();
        self
    }

    /// Adds an index.
    pub fn index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }

    /// Adds a unique constraint over `columns`.
    pub fn unique<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.indexes.push(Index {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            unique: true,
            predicate: None,
            constraint_name: None,
            ..Index::default()
        });
        self
    }

    /// Adds a foreign key.
    pub fn foreign_key(mut self, fk: ForeignKey) -> Self {
        self.foreign_keys.push(fk);
        self
    }

    /// Adds a check constraint (an SQL boolean expression).
    pub fn check(mut self, expr: impl Into<String>) -> Self {
        self.checks.push(Check {
            name: None,
            expr: expr.into(),
        });
        self
    }

    /// The column called `name`.
    pub fn get_column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Type.
    pub ty: ColumnType,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The server default, as an SQL expression.
    pub default: Option<String>,
    /// Whether the database generates values (PostgreSQL identity or serial, SQLite
    /// `INTEGER PRIMARY KEY`).
    pub identity: bool,
}

impl Column {
    /// A nullable column with no default.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            identity: false,
        }
    }

    /// Disallows NULL.
    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }

    /// Sets the server default to an SQL expression: `"0"`, `"false"`, `"'draft'"`,
    /// `"CURRENT_TIMESTAMP"`.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }

    /// Sets the server default to a text literal (quoted for you).
    pub fn default_text(self, text: &str) -> Self {
        self.default_sql(crate::sql::quote_literal(text))
    }

    /// Sets the server default to the current timestamp.
    pub fn default_now(self) -> Self {
        self.default_sql("CURRENT_TIMESTAMP")
    }

    /// Makes the database generate the values: an identity column on PostgreSQL,
    /// `INTEGER PRIMARY KEY AUTOINCREMENT` on SQLite (the column must be the primary key).
    /// Identity columns are NOT NULL.
    pub fn identity(mut self) -> Self {
        self.identity = true;
        self.nullable = false;
        self
    }
}

/// An index, or a unique constraint.
///
/// `name: None` is a **unique constraint** (`UNIQUE (a, b)` in `CREATE TABLE`, what
/// [`Table::unique`] adds), whose backing index the database names; `name: Some(..)` is an index
/// created with `CREATE [UNIQUE] INDEX name` ([`Index::new`]). The two compare as different
/// things in the drift check, as they are on PostgreSQL.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Index {
    /// Index name; `None` for a unique constraint.
    pub name: Option<String>,
    /// Indexed entries in order: column names, or expressions, each with its ordering
    /// (`"created_at DESC"`; see [`Index::new`]).
    pub columns: Vec<String>,
    /// Whether the index is unique.
    pub unique: bool,
    /// Partial index condition.
    pub predicate: Option<String>,
    /// For a unique constraint, its constraint name where the database reports one (never
    /// compared; used to drop it).
    pub constraint_name: Option<String>,
    /// The index method (PostgreSQL: `gin`, `gist`, `hash`, `brin`…); `None` is B-tree, the
    /// default (SQLite has no other).
    pub method: Option<String>,
    /// Columns stored in the index but not part of its key (PostgreSQL `INCLUDE`; SQLite has
    /// none).
    pub include: Vec<String>,
}

impl Index {
    /// A plain index called `name` on `columns`: each entry a column or an expression,
    /// optionally followed by `COLLATE <name>`, `ASC`/`DESC` and (PostgreSQL only)
    /// `NULLS FIRST`/`NULLS LAST`.
    ///
    /// ```
    /// use migrations_core::schema::Index;
    ///
    /// let newest = Index::new("events_recent", ["created_at DESC", "id"]);
    /// let by_email = Index::new("users_email", ["lower(email)"]).unique();
    /// # let _ = (newest, by_email);
    /// ```
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        columns: impl IntoIterator<Item = S>,
    ) -> Self {
        Index {
            name: Some(name.into()),
            columns: columns.into_iter().map(Into::into).collect(),
            unique: false,
            predicate: None,
            constraint_name: None,
            ..Index::default()
        }
    }

    /// Makes it unique.
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Makes it partial: only rows where `predicate` holds.
    pub fn filter(mut self, predicate: impl Into<String>) -> Self {
        self.predicate = Some(predicate.into());
        self
    }

    /// Uses another index method than B-tree (PostgreSQL: `"gin"`, `"gist"`, `"hash"`,
    /// `"brin"`, `"spgist"`); SQLite has B-tree only and builds the index as one.
    ///
    /// ```
    /// use migrations_core::schema::Index;
    ///
    /// let tags = Index::new("posts_tags", ["tags"]).using("gin");
    /// let covering = Index::new("posts_author", ["author_id"]).include(["title"]);
    /// # let _ = (tags, covering);
    /// ```
    pub fn using(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Stores `columns` in the index without making them part of its key (PostgreSQL
    /// `INCLUDE`, for index-only scans); SQLite has no such columns and leaves them out.
    pub fn include<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.include = columns.into_iter().map(Into::into).collect();
        self
    }

    /// The method, lower-cased; `None` for B-tree, however it is spelled.
    pub fn method(&self) -> Option<String> {
        self.method
            .as_deref()
            .map(str::to_ascii_lowercase)
            .filter(|m| m != "btree")
    }

    /// What each entry indexes, its ordering (`DESC`, `COLLATE …`) left out: the column name,
    /// or the expression.
    pub(crate) fn targets(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .map(|e| crate::sql::entry::parse(e, crate::dialect::Dialect::Postgres).target)
    }

    /// Whether this is a unique constraint rather than a named index (`name: None`).
    pub fn is_constraint(&self) -> bool {
        self.name.is_none()
    }

    /// What the index is, names aside: how indexes are matched (entries, uniqueness,
    /// predicate, method, included columns).
    pub fn key(&self) -> IndexKey {
        (
            self.columns.clone(),
            self.unique,
            self.predicate.as_deref().map(normalize_expr),
            self.method(),
            self.include.clone(),
        )
    }
}

/// What an index is, names aside ([`Index::key`]).
pub type IndexKey = (
    Vec<String>,
    bool,
    Option<String>,
    Option<String>,
    Vec<String>,
);

/// A referential action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl Action {
    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            Action::NoAction => "NO ACTION",
            Action::Restrict => "RESTRICT",
            Action::Cascade => "CASCADE",
            Action::SetNull => "SET NULL",
            Action::SetDefault => "SET DEFAULT",
        }
    }

    /// Reads the SQL words (any case).
    pub fn parse(words: &str) -> Action {
        match words.trim().to_ascii_uppercase().as_str() {
            "RESTRICT" => Action::Restrict,
            "CASCADE" => Action::Cascade,
            "SET NULL" => Action::SetNull,
            "SET DEFAULT" => Action::SetDefault,
            _ => Action::NoAction,
        }
    }
}

/// A foreign key.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ForeignKey {
    /// Constraint name, where known (never used to match).
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// ON DELETE action.
    pub on_delete: Action,
    /// ON UPDATE action.
    pub on_update: Action,
}

impl ForeignKey {
    /// `columns` reference `ref_columns` of `ref_table`.
    pub fn new<S: Into<String>, T: Into<String>>(
        columns: impl IntoIterator<Item = S>,
        ref_table: impl Into<String>,
        ref_columns: impl IntoIterator<Item = T>,
    ) -> Self {
        ForeignKey {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            ref_table: ref_table.into(),
            ref_columns: ref_columns.into_iter().map(Into::into).collect(),
            on_delete: Action::NoAction,
            on_update: Action::NoAction,
        }
    }

    /// Sets ON DELETE.
    pub fn on_delete(mut self, action: Action) -> Self {
        self.on_delete = action;
        self
    }

    /// Sets ON UPDATE.
    pub fn on_update(mut self, action: Action) -> Self {
        self.on_update = action;
        self
    }

    /// What the key is, its name aside: how foreign keys are matched.
    pub fn key(&self) -> (Vec<String>, String, Vec<String>, Action, Action) {
        (
            self.columns.clone(),
            self.ref_table.clone(),
            self.ref_columns.clone(),
            self.on_delete,
            self.on_update,
        )
    }
}

/// A check constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Check {
    /// Constraint name, where known (never used to match).
    pub name: Option<String>,
    /// The boolean expression.
    pub expr: String,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// Adds a table.
    pub fn table(mut self, table: Table) -> Self {
        self.tables.insert(table.name.clone(), table);
        self
    }

    /// Adds a view.
    pub fn view(mut self, view: View) -> Self {
        self.views.insert(view.name.clone(), view);
        self
    }

    /// Adds an enum type (PostgreSQL).
    pub fn enum_type(mut self, ty: EnumType) -> Self {
        self.enums.insert(ty.name.clone(), ty);
        self
    }

    /// Adds a domain (PostgreSQL).
    pub fn domain(mut self, domain: Domain) -> Self {
        self.domains.insert(domain.name.clone(), domain);
        self
    }

    /// Adds a sequence of its own (PostgreSQL).
    pub fn sequence(mut self, sequence: Sequence) -> Self {
        self.sequences.insert(sequence.name.clone(), sequence);
        self
    }

    /// Adds a function or procedure (PostgreSQL).
    pub fn function(mut self, function: Function) -> Self {
        self.functions.insert(function.name.clone(), function);
        self
    }

    /// Adds a trigger. Triggers of one name on one table may be declared once for each
    /// dialect ([`Trigger::only`]).
    pub fn trigger(mut self, trigger: Trigger) -> Self {
        let key = match trigger.dialect {
            Some(d) => format!("{}@{d}", trigger.key()),
            None => trigger.key(),
        };
        self.triggers.insert(key, trigger);
        self
    }

    /// The triggers `dialect` builds, keyed `table.name` as its database reports them (the
    /// models key a trigger declared for one dialect apart, [`Schema::trigger`]).
    pub fn triggers_for(&self, dialect: Dialect) -> BTreeMap<String, Trigger> {
        self.triggers
            .values()
            .filter(|t| t.applies_to(dialect))
            .map(|t| {
                let mut t = t.clone();
                t.dialect = None;
                (t.key(), t)
            })
            .collect()
    }

    /// Adds an extension (PostgreSQL).
    pub fn extension(mut self, extension: Extension) -> Self {
        self.extensions.insert(extension.name.clone(), extension);
        self
    }

    /// Compares objects of `kind` although the models declare none: then a view (or enum type)
    /// in the database is drift, and autogenerate drops the last one the models no longer
    /// declare. Without it, a kind the models do not declare is not theirs: the database may
    /// hold objects of it, which neither the drift check nor autogenerate touch.
    ///
    /// ```
    /// use migrations_core::schema::{Kind, Schema};
    ///
    /// let strict = Schema::new().manage(Kind::View).manage(Kind::Enum);
    /// assert!(strict.manages(Kind::View));
    /// assert!(!Schema::new().manages(Kind::View));
    /// ```
    pub fn manage(mut self, kind: Kind) -> Self {
        self.managed.insert(kind);
        self
    }

    /// Whether the models compare objects of `kind`: they declare one, or said
    /// [`Schema::manage`].
    pub fn manages(&self, kind: Kind) -> bool {
        self.managed.contains(&kind)
            || match kind {
                Kind::View => !self.views.is_empty(),
                Kind::Enum => !self.enums.is_empty(),
                Kind::Extension => !self.extensions.is_empty(),
                Kind::Domain => !self.domains.is_empty(),
                Kind::Sequence => !self.sequences.is_empty(),
                Kind::Function => !self.functions.is_empty(),
                Kind::Trigger => !self.triggers.is_empty(),
            }
    }

    /// `self` (the models), with what they do not manage taken from `other` (the database, or
    /// the revisions' head) as it is, so that a comparison finds no difference there: the
    /// kinds the models declare nothing of ([`Schema::manages`]).
    pub fn with_unmanaged_from(&self, other: &Schema) -> Schema {
        let mut s = self.clone();
        if !self.manages(Kind::View) {
            s.views = other.views.clone();
        }
        if !self.manages(Kind::Enum) {
            s.enums = other.enums.clone();
        }
        if !self.manages(Kind::Extension) {
            s.extensions = other.extensions.clone();
        }
        if !self.manages(Kind::Domain) {
            s.domains = other.domains.clone();
        }
        if !self.manages(Kind::Sequence) {
            s.sequences = other.sequences.clone();
        }
        if !self.manages(Kind::Function) {
            s.functions = other.functions.clone();
        }
        if !self.manages(Kind::Trigger) {
            s.triggers = other.triggers.clone();
        }
        s
    }

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
        for x in self.extensions.values() {
            out.push_str(&format!("{}\n", describe_extension(x)));
        }
        for e in self.enums.values() {
            out.push_str(&format!("enum {}: {}\n", e.name, enum_labels(e)));
        }
        for d in self.domains.values() {
            out.push_str(&format!("{}\n", describe_domain(d)));
        }
        for q in self.sequences.values() {
            out.push_str(&format!("{}\n", describe_sequence(q)));
        }
        for v in self.views.values() {
            out.push_str(&format!("{}\n", describe_view(v)));
        }
        for f in self.functions.values() {
            out.push_str(&format!("function {}: {}\n", f.name, words(&f.definition)));
        }
        for (key, t) in &self.triggers {
            out.push_str(&format!("trigger {key}: {}\n", words(&t.definition)));
        }
        out
    }

    /// Every fact that differs from `self` to `other`, names included, one line each:
    /// `+` for what `other` has and `self` lacks, `-` for the reverse. The round-trip check
    /// uses it; for the changes a migration must make, see [`crate::diff::diff`].
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
        // The other kinds, each object by its key in the words it is compared in.
        fn said<T>(
            map: &BTreeMap<String, T>,
            say: impl Fn(&T) -> String,
        ) -> BTreeMap<&String, String> {
            map.iter().map(|(k, v)| (k, say(v))).collect()
        }
        let (a, b) = (self, other);
        for (kind, a, b) in [
            (
                "extension",
                said(&a.extensions, describe_extension),
                said(&b.extensions, describe_extension),
            ),
            (
                "domain",
                said(&a.domains, describe_domain),
                said(&b.domains, describe_domain),
            ),
            (
                "sequence",
                said(&a.sequences, describe_sequence),
                said(&b.sequences, describe_sequence),
            ),
            (
                "view",
                said(&a.views, describe_view),
                said(&b.views, describe_view),
            ),
            (
                "enum",
                said(&a.enums, enum_labels),
                said(&b.enums, enum_labels),
            ),
            (
                "function",
                said(&a.functions, Function::key),
                said(&b.functions, Function::key),
            ),
            (
                "trigger",
                said(&a.triggers, Trigger::normal_form),
                said(&b.triggers, Trigger::normal_form),
            ),
        ] {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).copied().collect();
            for k in keys {
                match (a.get(&k), b.get(&k)) {
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

/// A column's definition in words: `VARCHAR(255) NOT NULL DEFAULT 'x'`.
pub fn describe_column(c: &Column) -> String {
    let mut l = c.ty.to_string();
    if !c.nullable {
        l.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        l.push_str(&format!(" DEFAULT {d}"));
    }
    if c.identity {
        l.push_str(" IDENTITY");
    }
    l
}

/// An index in words: `unique index name (a, b) WHERE …` or `unique (a, b)`.
pub fn describe_index(i: &Index) -> String {
    let mut l = match (&i.name, i.unique) {
        (Some(n), true) => format!("unique index {n} ({})", i.columns.join(", ")),
        (Some(n), false) => format!("index {n} ({})", i.columns.join(", ")),
        (None, _) => format!("unique ({})", i.columns.join(", ")),
    };
    if let Some(m) = i.method() {
        l.push_str(&format!(" using {m}"));
    }
    if !i.include.is_empty() {
        l.push_str(&format!(" include ({})", i.include.join(", ")));
    }
    if let Some(p) = &i.predicate {
        l.push_str(&format!(" WHERE {p}"));
    }
    l
}

/// A foreign key in words.
pub fn describe_foreign_key(fk: &ForeignKey) -> String {
    let mut l = format!(
        "foreign key ({}) references {} ({})",
        fk.columns.join(", "),
        fk.ref_table,
        fk.ref_columns.join(", ")
    );
    if fk.on_delete != Action::NoAction {
        l.push_str(&format!(" on delete {}", fk.on_delete.sql()));
    }
    if fk.on_update != Action::NoAction {
        l.push_str(&format!(" on update {}", fk.on_update.sql()));
    }
    l
}

/// The facts of a table, one line each, sorted (column order is not a fact).
fn table_lines(table: &Table) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &table.columns {
        lines.push(format!("column {} {}", c.name, describe_column(c)));
    }
    if !table.primary_key.is_empty() {
        lines.push(format!("primary key ({})", table.primary_key.join(", ")));
    }
    for i in &table.indexes {
        lines.push(describe_index(i));
    }
    for fk in &table.foreign_keys {
        lines.push(describe_foreign_key(fk));
    }
    for c in &table.checks {
        lines.push(format!("check ({})", c.expr));
    }
    if let Some(key) = &table.partition_by {
        lines.push(format!("partition by {}", normalize_expr(key)));
    }
    if let Some(p) = &table.partition_of {
        lines.push(format!(
            "partition of {} {}",
            p.parent,
            normalize_expr(&p.bound)
        ));
    }
    lines.sort();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todos(extra: Option<Column>) -> Schema {
        let mut t = Table::new("todos")
            .column(Column::new("id", ColumnType::Integer).not_null())
            .column(Column::new("title", ColumnType::Varchar(255)).not_null())
            .primary_key(["id"]);
        t.columns.extend(extra);
        Schema::new().table(t)
    }

    #[test]
    fn equal_schemas_have_no_differences() {
        assert!(todos(None).differences(&todos(None)).is_empty());
    }

    #[test]
    fn column_order_is_not_a_difference() {
        let a = todos(Some(Column::new("x", ColumnType::Text)));
        let mut b = a.clone();
        b.tables.get_mut("todos").unwrap().columns.reverse();
        assert!(a.differences(&b).is_empty());
    }

    #[test]
    fn lists_added_columns_and_tables() {
        let a = todos(None);
        let b = todos(Some(Column::new("deleted_at", ColumnType::Timestamp)));
        assert_eq!(a.differences(&b), ["+ todos: column deleted_at TIMESTAMP"]);
        assert_eq!(Schema::default().differences(&a), ["+ table todos"]);
    }

    #[test]
    fn render_is_stable_text() {
        assert_eq!(
            todos(None).render(),
            "table todos\n  column id INTEGER NOT NULL\n  column title VARCHAR(255) NOT NULL\n  primary key (id)\n"
        );
    }

    #[test]
    fn types_read_back_in_both_dialects() {
        for ty in ColumnType::all_portable() {
            assert_eq!(
                ColumnType::from_sqlite(&ty.sql(Dialect::Sqlite)),
                ty,
                "sqlite {ty}"
            );
        }
        assert_eq!(
            ColumnType::from_sqlite("varchar (40)"),
            ColumnType::Varchar(40)
        );
        // What SQLAlchemy writes: the same affinity as TIMESTAMP.
        assert_eq!(ColumnType::from_sqlite("DATETIME"), ColumnType::Timestamp);
        assert_eq!(
            ColumnType::from_sqlite("GEOMETRY"),
            ColumnType::Raw("GEOMETRY".into())
        );
        assert_eq!(
            ColumnType::from_postgres("character varying(255)"),
            ColumnType::Varchar(255)
        );
        assert_eq!(
            ColumnType::from_postgres("numeric(12,2)"),
            ColumnType::Numeric(12, 2)
        );
        assert_eq!(
            ColumnType::from_postgres("timestamp with time zone"),
            ColumnType::TimestampTz
        );
        assert_eq!(
            ColumnType::from_postgres("inet"),
            ColumnType::Raw("inet".into())
        );
    }

    #[test]
    fn builder_sets_what_it_says() {
        let c = Column::new("id", ColumnType::BigInt).identity();
        assert!(c.identity && !c.nullable);
        let c = Column::new("s", ColumnType::Text).default_text("it's");
        assert_eq!(c.default.as_deref(), Some("'it''s'"));
        let fk = ForeignKey::new(["a"], "t", ["id"]).on_delete(Action::SetNull);
        assert_eq!(
            describe_foreign_key(&fk),
            "foreign key (a) references t (id) on delete SET NULL"
        );
        assert_eq!(Action::parse("set null"), Action::SetNull);
    }
}
