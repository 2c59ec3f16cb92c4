//! What a statement does, as far as the lint needs to know: read from its tokens (strings,
//! quoted names and comments as the crate's one lexer reads them), and what it makes of the
//! schema the lint follows.

use super::{Known, RevisionState, TableState};
use crate::dialect::Dialect;
use crate::sql::entry::list_parts;
use crate::sql::lex::{tokens, Kind};

/// A token outside comments and spaces, with its parenthesis depth.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// The body of a string or quoted name.
    pub body: &'a str,
    pub depth: i32,
}

impl Tok<'_> {
    /// Whether it is the keyword `word` (any case).
    pub fn is(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(word)
    }

    /// The name it spells: a quoted name as written, a plain one in lower case (as both
    /// dialects fold it for comparison).
    pub fn name(&self) -> String {
        match self.kind {
            Kind::QuotedIdent => self.body.replace("\"\"", "\""),
            _ => self.text.to_lowercase(),
        }
    }
}

pub(crate) fn toks(sql: &str, dialect: Dialect) -> Vec<Tok<'_>> {
    let mut depth = 0;
    let mut out = Vec::new();
    for t in tokens(sql, dialect) {
        if matches!(t.kind, Kind::Space | Kind::LineComment | Kind::BlockComment) {
            continue;
        }
        let text = t.text(sql);
        if t.kind == Kind::Other && text == ")" {
            depth -= 1;
        }
        out.push(Tok {
            kind: t.kind,
            text,
            body: sql.get(t.body.clone()).unwrap_or(""),
            depth,
        });
        if t.kind == Kind::Other && text == "(" {
            depth += 1;
        }
    }
    out
}

/// A statement, as the lint sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stmt {
    CreateTable {
        table: String,
        columns: Vec<(String, String)>,
    },
    CreateIndex {
        table: String,
        concurrently: bool,
    },
    AlterTable {
        table: String,
        actions: Vec<Action>,
    },
    DropTable {
        tables: Vec<String>,
        cascade: bool,
    },
    /// Any other `DROP`.
    Drop {
        cascade: bool,
    },
    Truncate {
        tables: Vec<String>,
    },
    /// `UPDATE` or `DELETE`: `all_rows` without a `WHERE`.
    Update {
        table: String,
        all_rows: bool,
    },
    /// `SET [LOCAL] lock_timeout …`: its value.
    SetLockTimeout {
        value: String,
    },
    Other {
        ddl: bool,
    },
}

/// One action of `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    AddColumn {
        column: String,
        ty: String,
        default: Option<String>,
        /// `GENERATED … STORED`, an identity, a serial type: every row gets a value.
        fills: Option<&'static str>,
    },
    AddConstraint {
        name: Option<String>,
        kind: ConstraintKind,
        not_valid: bool,
        using_index: bool,
    },
    ValidateConstraint {
        name: String,
    },
    AlterType {
        column: String,
        ty: String,
    },
    SetNotNull {
        column: String,
    },
    DropColumn {
        column: String,
        cascade: bool,
    },
    RenameColumn {
        from: String,
        to: String,
    },
    RenameTable {
        to: String,
    },
    /// `DROP CONSTRAINT … CASCADE` and the like.
    DropCascade,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConstraintKind {
    ForeignKey,
    /// A check; the column when it reads `col IS NOT NULL`.
    Check(Option<String>),
    Unique,
    PrimaryKey,
    Other,
}

/// Words that end a column's type in a column definition.
const AFTER_TYPE: [&str; 10] = [
    "NOT",
    "NULL",
    "DEFAULT",
    "PRIMARY",
    "UNIQUE",
    "CHECK",
    "REFERENCES",
    "CONSTRAINT",
    "COLLATE",
    "GENERATED",
];

/// A schema-qualified name starting at `i`: its last part, and the index after it.
fn qualified(t: &[Tok<'_>], mut i: usize) -> Option<(String, usize)> {
    let mut name = None;
    while let Some(tok) = t.get(i) {
        if !matches!(tok.kind, Kind::Word | Kind::QuotedIdent) {
            break;
        }
        name = Some(tok.name());
        i += 1;
        if t.get(i).is_some_and(|d| d.text == ".") {
            i += 1;
        } else {
            break;
        }
    }
    name.map(|n| (n, i))
}

/// Skips `IF EXISTS` / `IF NOT EXISTS` / `ONLY` at `i`.
fn skip_optional(t: &[Tok<'_>], mut i: usize) -> usize {
    loop {
        if t.get(i).is_some_and(|x| x.is("IF")) {
            i += 1;
            if t.get(i).is_some_and(|x| x.is("NOT")) {
                i += 1;
            }
            i += 1; // EXISTS
        } else if t.get(i).is_some_and(|x| x.is("ONLY")) {
            i += 1;
        } else {
            return i;
        }
    }
}

/// Tokens joined as a type is written: `varchar(20)`, `double precision`, `numeric(12,2)`.
pub(crate) fn type_text(t: &[Tok<'_>]) -> String {
    let mut s = String::new();
    for (n, tok) in t.iter().enumerate() {
        let word = matches!(tok.kind, Kind::Word | Kind::QuotedIdent);
        let prev_word = n > 0 && matches!(t[n - 1].kind, Kind::Word | Kind::QuotedIdent);
        if word && prev_word {
            s.push(' ');
        }
        if word {
            s.push_str(&tok.name());
        } else {
            s.push_str(tok.text);
        }
    }
    s
}

impl Stmt {
    pub(crate) fn parse(sql: &str, dialect: Dialect) -> Stmt {
        let t = toks(sql, dialect);
        let is = |i: usize, w: &str| t.get(i).is_some_and(|x| x.is(w));
        let first = t.first().map(|x| x.text.to_ascii_uppercase());
        match first.as_deref() {
            Some("CREATE") => {
                let mut i = 1;
                while is(i, "TEMP") || is(i, "TEMPORARY") || is(i, "UNLOGGED") || is(i, "UNIQUE") {
                    i += 1;
                }
                if is(i, "TABLE") {
                    let Some((table, after)) = qualified(&t, skip_optional(&t, i + 1)) else {
                        return Stmt::Other { ddl: true };
                    };
                    let columns = if t.get(after).is_some_and(|x| x.text == "(") {
                        column_defs(sql, dialect)
                    } else {
                        Vec::new()
                    };
                    return Stmt::CreateTable { table, columns };
                }
                if is(i, "INDEX") {
                    let concurrently = is(i + 1, "CONCURRENTLY");
                    let on = t[i..].iter().position(|x| x.depth == 0 && x.is("ON"));
                    if let Some((table, _)) =
                        on.and_then(|on| qualified(&t, skip_optional(&t, i + on + 1)))
                    {
                        return Stmt::CreateIndex {
                            table,
                            concurrently,
                        };
                    }
                }
                Stmt::Other { ddl: true }
            }
            Some("ALTER") if is(1, "TABLE") => {
                let Some((table, after)) = qualified(&t, skip_optional(&t, 2)) else {
                    return Stmt::Other { ddl: true };
                };
                let mut after = after;
                if t.get(after).is_some_and(|x| x.text == "*") {
                    after += 1;
                }
                let actions = t[after.min(t.len())..]
                    .split(|x| x.depth == 0 && x.text == ",")
                    .map(action)
                    .collect();
                Stmt::AlterTable { table, actions }
            }
            Some("DROP") => {
                let cascade = t.iter().any(|x| x.depth == 0 && x.is("CASCADE"));
                if is(1, "TABLE") {
                    let mut tables = Vec::new();
                    let mut i = skip_optional(&t, 2);
                    while let Some((name, after)) = qualified(&t, i) {
                        if name.eq_ignore_ascii_case("cascade")
                            || name.eq_ignore_ascii_case("restrict")
                        {
                            break;
                        }
                        tables.push(name);
                        i = after;
                        if t.get(i).is_some_and(|x| x.text == ",") {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    return Stmt::DropTable { tables, cascade };
                }
                Stmt::Drop { cascade }
            }
            Some("TRUNCATE") => {
                let mut i = 1;
                if is(i, "TABLE") {
                    i += 1;
                }
                let mut tables = Vec::new();
                let mut i = skip_optional(&t, i);
                while let Some((name, after)) = qualified(&t, i) {
                    tables.push(name);
                    i = after;
                    if t.get(i).is_some_and(|x| x.text == ",") {
                        i = skip_optional(&t, i + 1);
                    } else {
                        break;
                    }
                }
                Stmt::Truncate { tables }
            }
            Some("UPDATE") | Some("DELETE") => {
                let start = if is(0, "DELETE") { 2 } else { 1 };
                let all_rows = !t.iter().any(|x| x.depth == 0 && x.is("WHERE"));
                match qualified(&t, skip_optional(&t, start)) {
                    Some((table, _)) => Stmt::Update { table, all_rows },
                    None => Stmt::Other { ddl: false },
                }
            }
            Some("SET") => {
                let i = if is(1, "LOCAL") || is(1, "SESSION") {
                    2
                } else {
                    1
                };
                if is(i, "lock_timeout") {
                    let value = t
                        .get(i + 2)
                        .map(|v| match v.kind {
                            Kind::String => v.body.to_string(),
                            _ => v.text.to_string(),
                        })
                        .unwrap_or_default();
                    return Stmt::SetLockTimeout { value };
                }
                Stmt::Other { ddl: false }
            }
            Some("COMMENT") | Some("GRANT") | Some("REVOKE") => Stmt::Other { ddl: true },
            _ => Stmt::Other { ddl: false },
        }
    }

    /// The table a `DROP TABLE` of one table drops.
    pub(crate) fn dropped_table(&self) -> Option<String> {
        match self {
            Stmt::DropTable { tables, .. } if tables.len() == 1 => Some(tables[0].clone()),
            _ => None,
        }
    }

    /// The name an `ALTER TABLE … RENAME TO` gives.
    pub(crate) fn renamed_table_to(&self) -> Option<String> {
        match self {
            Stmt::AlterTable { actions, .. } => actions.iter().find_map(|a| match a {
                Action::RenameTable { to } => Some(to.clone()),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Whether it changes the schema.
    fn is_ddl(&self) -> bool {
        !matches!(
            self,
            Stmt::Update { .. } | Stmt::SetLockTimeout { .. } | Stmt::Other { ddl: false }
        )
    }
}

/// The column definitions of a `CREATE TABLE … ( … )`: name and type.
fn column_defs(sql: &str, dialect: Dialect) -> Vec<(String, String)> {
    let Some(open) = crate::sql::blank_out(sql, dialect).find('(') else {
        return Vec::new();
    };
    let (inner, _) = crate::sql::balanced(sql, open, dialect);
    let mut out = Vec::new();
    for part in list_parts(inner, dialect) {
        let t = toks(part, dialect);
        let Some(first) = t.first() else {
            continue;
        };
        if [
            "CONSTRAINT",
            "PRIMARY",
            "UNIQUE",
            "CHECK",
            "FOREIGN",
            "EXCLUDE",
            "LIKE",
        ]
        .iter()
        .any(|w| first.is(w))
        {
            continue;
        }
        let end = t
            .iter()
            .skip(1)
            .position(|x| x.depth == 0 && AFTER_TYPE.iter().any(|w| x.is(w)))
            .map_or(t.len(), |p| p + 1);
        out.push((first.name(), type_text(&t[1..end])));
    }
    out
}

/// One action of `ALTER TABLE`, from its tokens.
fn action(t: &[Tok<'_>]) -> Action {
    let is = |i: usize, w: &str| t.get(i).is_some_and(|x| x.is(w));
    let name_at = |i: usize| t.get(i).map(Tok::name);
    let top = |w: &str| t.iter().any(|x| x.depth == 0 && x.is(w));
    if is(0, "ADD") {
        let mut i = 1;
        if [
            "CONSTRAINT",
            "CHECK",
            "FOREIGN",
            "UNIQUE",
            "PRIMARY",
            "EXCLUDE",
        ]
        .iter()
        .any(|w| is(i, w))
        {
            let mut name = None;
            if is(i, "CONSTRAINT") {
                name = name_at(i + 1);
                i += 2;
            }
            let kind = if is(i, "FOREIGN") {
                ConstraintKind::ForeignKey
            } else if is(i, "CHECK") {
                ConstraintKind::Check(not_null_column(&t[i + 1..]))
            } else if is(i, "UNIQUE") {
                ConstraintKind::Unique
            } else if is(i, "PRIMARY") {
                ConstraintKind::PrimaryKey
            } else {
                ConstraintKind::Other
            };
            return Action::AddConstraint {
                name,
                kind,
                not_valid: top("VALID") && t.iter().any(|x| x.depth == 0 && x.is("NOT")),
                using_index: top("USING") && top("INDEX"),
            };
        }
        if is(i, "COLUMN") {
            i += 1;
        }
        i = skip_optional(t, i);
        let Some(column) = name_at(i) else {
            return Action::Other;
        };
        let rest = &t[(i + 1).min(t.len())..];
        let end = rest
            .iter()
            .position(|x| x.depth == 0 && AFTER_TYPE.iter().any(|w| x.is(w)))
            .unwrap_or(rest.len());
        let ty = type_text(&rest[..end]);
        let default = rest
            .iter()
            .position(|x| x.depth == 0 && x.is("DEFAULT"))
            .map(|d| {
                let after = &rest[d + 1..];
                let stop = after
                    .iter()
                    .position(|x| {
                        x.depth == 0
                            && [
                                "NOT",
                                "NULL",
                                "CHECK",
                                "REFERENCES",
                                "CONSTRAINT",
                                "UNIQUE",
                                "PRIMARY",
                                "COLLATE",
                            ]
                            .iter()
                            .any(|w| x.is(w))
                    })
                    .unwrap_or(after.len());
                type_text(&after[..stop])
            });
        let generated = rest.iter().position(|x| x.depth == 0 && x.is("GENERATED"));
        let fills = if let Some(g) = generated {
            if rest[g..].iter().any(|x| x.depth == 0 && x.is("IDENTITY")) {
                Some("an identity column")
            } else if rest[g..].iter().any(|x| x.depth == 0 && x.is("STORED")) {
                Some("a stored generated column")
            } else {
                None
            }
        } else if [
            "serial",
            "bigserial",
            "smallserial",
            "serial4",
            "serial8",
            "serial2",
        ]
        .contains(&ty.as_str())
        {
            Some("a serial column")
        } else {
            None
        };
        return Action::AddColumn {
            column,
            ty,
            default,
            fills,
        };
    }
    if is(0, "ALTER") {
        let i = if is(1, "COLUMN") { 2 } else { 1 };
        let Some(column) = name_at(i) else {
            return Action::Other;
        };
        let j = i + 1;
        if is(j, "TYPE") || (is(j, "SET") && is(j + 1, "DATA") && is(j + 2, "TYPE")) {
            let start = if is(j, "TYPE") { j + 1 } else { j + 3 };
            let rest = &t[start.min(t.len())..];
            let end = rest
                .iter()
                .position(|x| x.depth == 0 && (x.is("USING") || x.is("COLLATE")))
                .unwrap_or(rest.len());
            return Action::AlterType {
                column,
                ty: type_text(&rest[..end]),
            };
        }
        if is(j, "SET") && is(j + 1, "NOT") && is(j + 2, "NULL") {
            return Action::SetNotNull { column };
        }
        return Action::Other;
    }
    if is(0, "DROP") {
        let cascade = top("CASCADE");
        if is(1, "CONSTRAINT") {
            return if cascade {
                Action::DropCascade
            } else {
                Action::Other
            };
        }
        let i = skip_optional(t, if is(1, "COLUMN") { 2 } else { 1 });
        return match name_at(i) {
            Some(column) => Action::DropColumn { column, cascade },
            None => Action::Other,
        };
    }
    if is(0, "RENAME") {
        if is(1, "TO") {
            return match name_at(2) {
                Some(to) => Action::RenameTable { to },
                None => Action::Other,
            };
        }
        if is(1, "CONSTRAINT") {
            return Action::Other;
        }
        let i = if is(1, "COLUMN") { 2 } else { 1 };
        if let (Some(from), true, Some(to)) = (name_at(i), is(i + 1, "TO"), name_at(i + 2)) {
            return Action::RenameColumn { from, to };
        }
        return Action::Other;
    }
    if is(0, "VALIDATE") && is(1, "CONSTRAINT") {
        if let Some(name) = name_at(2) {
            return Action::ValidateConstraint { name };
        }
    }
    Action::Other
}

/// The column of a check that reads `(col IS NOT NULL)` (with any parentheses), from the
/// tokens after `CHECK`.
fn not_null_column(t: &[Tok<'_>]) -> Option<String> {
    let inner: Vec<&Tok<'_>> = t
        .iter()
        .filter(|x| !(x.kind == Kind::Other && (x.text == "(" || x.text == ")")))
        .collect();
    match inner.as_slice() {
        [col, is, not, null, rest @ ..]
            if matches!(col.kind, Kind::Word | Kind::QuotedIdent)
                && is.is("IS")
                && not.is("NOT")
                && null.is("NULL")
                && rest.iter().all(|x| x.is("NOT") || x.is("VALID")) =>
        {
            Some(col.name())
        }
        _ => None,
    }
}

/// What `stmt` makes of the schema the lint follows.
pub(crate) fn update(stmt: &Stmt, known: &mut Known, state: &mut RevisionState) {
    if stmt.is_ddl() {
        state.changed_schema = true;
    }
    match stmt {
        Stmt::CreateTable { table, columns } => {
            state.created.insert(table.clone());
            known.tables.insert(
                table.clone(),
                TableState {
                    columns: columns.iter().cloned().collect(),
                    ..TableState::default()
                },
            );
        }
        Stmt::DropTable { tables, .. } => {
            for t in tables {
                known.tables.remove(t);
                state.created.remove(t);
            }
        }
        Stmt::AlterTable { table, actions } => {
            let mut table = table.clone();
            for a in actions {
                let entry = known.tables.entry(table.clone()).or_default();
                match a {
                    Action::AddColumn { column, ty, .. } | Action::AlterType { column, ty } => {
                        entry.columns.insert(column.clone(), ty.clone());
                    }
                    Action::DropColumn { column, .. } => {
                        entry.columns.remove(column);
                    }
                    Action::RenameColumn { from, to } => {
                        if let Some(ty) = entry.columns.remove(from) {
                            entry.columns.insert(to.clone(), ty);
                        }
                        for (col, _) in entry.not_null_checks.values_mut() {
                            if col == from {
                                *col = to.clone();
                            }
                        }
                    }
                    Action::AddConstraint {
                        name,
                        kind: ConstraintKind::Check(Some(column)),
                        not_valid,
                        ..
                    } => {
                        let key = name
                            .clone()
                            .unwrap_or_else(|| format!("\u{0}{}", entry.not_null_checks.len()));
                        entry
                            .not_null_checks
                            .insert(key, (column.clone(), !not_valid));
                    }
                    Action::ValidateConstraint { name } => {
                        if let Some(check) = entry.not_null_checks.get_mut(name) {
                            check.1 = true;
                        }
                    }
                    Action::RenameTable { to } => {
                        if let Some(t) = known.tables.remove(&table) {
                            known.tables.insert(to.clone(), t);
                        }
                        if state.created.remove(&table) {
                            state.created.insert(to.clone());
                        }
                        table = to.clone();
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Whether a validated check proves `column` of `table` not null.
pub(crate) fn proven_not_null(known: &Known, table: &str, column: &str) -> bool {
    known.tables.get(table).is_some_and(|t| {
        t.not_null_checks
            .values()
            .any(|(c, validated)| c == column && *validated)
    })
}

/// The type the revisions so far gave `table.column`.
pub(crate) fn known_type<'a>(known: &'a Known, table: &str, column: &str) -> Option<&'a str> {
    known
        .tables
        .get(table)
        .and_then(|t| t.columns.get(column))
        .map(String::as_str)
}
