//! SQL text helpers: splitting a section into statements, quoting identifiers and literals.
//!
//! # Example
//!
//! ```
//! use migrations_core::{revision::Dialect, sql};
//!
//! let stmts = sql::split("CREATE TABLE t (x TEXT DEFAULT 'a;b');\n-- done\nDROP TABLE t;", Dialect::Sqlite, 1);
//! assert_eq!(stmts.len(), 2);
//! assert_eq!(stmts[1].line, 3);
//! assert_eq!(sql::quote_ident("user"), "\"user\"");
//! ```

use crate::revision::Dialect;

/// One statement of a section, with the line of the file where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement text, without its terminating `;` and surrounding comments.
    pub sql: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// Splits SQL text into statements at top-level `;`, respecting quotes, comments, PostgreSQL
/// dollar quoting and `BEGIN ATOMIC … END` bodies, and SQLite trigger bodies (`BEGIN … END`). `first_line` is the file line of the
/// text's first line. Blank and comment-only pieces are dropped.
pub fn split(text: &str, dialect: Dialect, first_line: usize) -> Vec<Statement> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = first_line;
    // Start of the current statement's first token, and its line.
    let mut start: Option<(usize, usize)> = None;
    let mut words: Vec<String> = Vec::new(); // first words of the statement, upper-cased
    let mut last_word = String::new();
    let mut block_depth = 0usize; // CASE…END nesting inside a trigger body
    let mut atomic = false; // inside PostgreSQL's BEGIN ATOMIC … END

    let is_trigger = |words: &[String]| {
        if dialect != Dialect::Sqlite {
            return false;
        }
        let mut w = words.iter().map(String::as_str);
        w.next() == Some("CREATE") && {
            let mut next = w.next();
            if matches!(next, Some("TEMP") | Some("TEMPORARY")) {
                next = w.next();
            }
            next == Some("TRIGGER")
        }
    };

    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                        if dialect == Dialect::Sqlite && depth > 1 {
                            depth = 1; // SQLite does not nest block comments
                        }
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if bytes[i] == b'\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            b';' => {
                let trigger_body_open =
                    (is_trigger(&words) || atomic) && !(last_word == "END" && block_depth == 0);
                if start.is_some() && trigger_body_open {
                    i += 1;
                    last_word.clear();
                    continue;
                }
                if let Some((s, l)) = start.take() {
                    out.push(Statement {
                        sql: text[s..i].trim_end().to_string(),
                        line: l,
                    });
                }
                words.clear();
                last_word.clear();
                block_depth = 0;
                atomic = false;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                if start.is_none() {
                    start = Some((i, line));
                }
                let end = skip_token(bytes, i, dialect, &mut line);
                let token = &text[i..end];
                if token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    let upper = token.to_ascii_uppercase();
                    if dialect == Dialect::Postgres && upper == "ATOMIC" && last_word == "BEGIN" {
                        atomic = true;
                    }
                    if is_trigger(&words) || atomic {
                        match upper.as_str() {
                            "CASE" => block_depth += 1,
                            "END" if block_depth > 0 => {
                                block_depth -= 1;
                                last_word.clear();
                                i = end;
                                continue;
                            }
                            _ => {}
                        }
                    }
                    if words.len() < 4 {
                        words.push(upper.clone());
                    }
                    last_word = upper;
                } else {
                    last_word.clear();
                }
                i = end;
            }
        }
    }
    if let Some((s, l)) = start {
        let sql = text[s..].trim_end();
        // Drop a trailing comment that follows the last statement.
        if !sql.is_empty() {
            out.push(Statement {
                sql: strip_trailing_comments(sql).to_string(),
                line: l,
            });
        }
    }
    out
}

/// Trailing `--` comment lines after an unterminated last statement are not part of it.
fn strip_trailing_comments(sql: &str) -> &str {
    let mut end = sql.len();
    loop {
        let head = sql[..end].trim_end();
        match head.rfind('\n') {
            Some(nl) if head[nl + 1..].trim_start().starts_with("--") => end = nl,
            _ => return head,
        }
    }
}

/// The end of the token starting at `i`: a quoted string or identifier, a dollar-quoted string,
/// a word, or a single other character.
fn skip_token(bytes: &[u8], i: usize, dialect: Dialect, line: &mut usize) -> usize {
    let c = bytes[i];
    let closing = match c {
        b'\'' | b'"' => Some(c),
        b'`' if dialect == Dialect::Sqlite => Some(b'`'),
        b'[' if dialect == Dialect::Sqlite => Some(b']'),
        _ => None,
    };
    if let Some(close) = closing {
        // PostgreSQL E'…' strings take backslash escapes.
        let backslash = dialect == Dialect::Postgres
            && c == b'\''
            && i > 0
            && matches!(bytes[i - 1], b'E' | b'e');
        let mut j = i + 1;
        while j < bytes.len() {
            let b = bytes[j];
            if b == b'\n' {
                *line += 1;
            }
            if backslash && b == b'\\' {
                j += 2;
                continue;
            }
            if b == close {
                if close != b']' && bytes.get(j + 1) == Some(&close) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j += 1;
        }
        return bytes.len();
    }
    if c == b'$' && dialect == Dialect::Postgres {
        // $tag$ … $tag$
        let mut j = i + 1;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        if bytes.get(j) == Some(&b'$') && !bytes[i + 1..j].first().is_some_and(u8::is_ascii_digit) {
            let tag = &bytes[i..=j];
            let mut k = j + 1;
            while k + tag.len() <= bytes.len() {
                if &bytes[k..k + tag.len()] == tag {
                    return k + tag.len();
                }
                if bytes[k] == b'\n' {
                    *line += 1;
                }
                k += 1;
            }
            return bytes.len();
        }
        return j.max(i + 1);
    }
    if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
        let mut j = i;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] >= 0x80)
        {
            j += 1;
        }
        // E'…' belongs to the word's string.
        if j == i + 1 && matches!(c, b'E' | b'e') && bytes.get(j) == Some(&b'\'') {
            return skip_token(bytes, j, dialect, line);
        }
        return j;
    }
    i + 1
}

/// An SQL expression in one canonical spelling, so the same expression written two ways
/// compares equal: keywords and plain identifiers lower-cased, needless identifier quotes and
/// outer parentheses dropped, one space between tokens (none inside parentheses, before commas,
/// around `.` and `::`), and `now()` spelled `current_timestamp`. String literals are kept as
/// they are.
///
/// ```
/// use migrations_core::sql::normalize_expr;
/// assert_eq!(normalize_expr("(\"Title\"<>'A b')"), normalize_expr("\"Title\" <> 'A b'"));
/// assert_eq!(normalize_expr("CURRENT_TIMESTAMP"), normalize_expr("now()"));
/// assert_eq!(normalize_expr("FALSE"), "false");
/// ```
pub fn normalize_expr(expr: &str) -> String {
    let mut tokens = expr_tokens(expr);
    // now() is CURRENT_TIMESTAMP.
    let mut i = 0;
    while i + 2 < tokens.len() {
        if tokens[i] == "now" && tokens[i + 1] == "(" && tokens[i + 2] == ")" {
            tokens.splice(i..i + 3, ["current_timestamp".to_string()]);
        }
        i += 1;
    }
    // Drop parentheses around the whole expression.
    while tokens.len() >= 2 && tokens[0] == "(" && tokens[tokens.len() - 1] == ")" && wraps(&tokens)
    {
        tokens.remove(0);
        tokens.pop();
    }
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            let prev = tokens[i - 1].as_str();
            let glue = prev == "("
                || t == ")"
                || t == ","
                || t == "."
                || prev == "."
                || t == "::"
                || prev == "::"
                || (t == "(" && is_word(prev));
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(t);
    }
    out
}

/// SQL keywords of PostgreSQL and SQLite that stay quoted as identifiers, sorted.
const KEYWORDS: &[&str] = &[
    "abort",
    "action",
    "add",
    "after",
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "attach",
    "authorization",
    "autoincrement",
    "before",
    "begin",
    "between",
    "binary",
    "both",
    "by",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "commit",
    "concurrently",
    "conflict",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "database",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "detach",
    "distinct",
    "do",
    "drop",
    "each",
    "else",
    "end",
    "escape",
    "except",
    "exclusive",
    "exists",
    "explain",
    "false",
    "fetch",
    "filter",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "glob",
    "grant",
    "group",
    "having",
    "if",
    "ilike",
    "immediate",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "instead",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "match",
    "natural",
    "no",
    "not",
    "nothing",
    "notnull",
    "null",
    "of",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "over",
    "overlaps",
    "placing",
    "plan",
    "pragma",
    "primary",
    "query",
    "raise",
    "references",
    "regexp",
    "reindex",
    "release",
    "rename",
    "replace",
    "restrict",
    "returning",
    "right",
    "rollback",
    "row",
    "savepoint",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "temp",
    "temporary",
    "then",
    "to",
    "trailing",
    "transaction",
    "trigger",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "vacuum",
    "values",
    "variadic",
    "verbose",
    "view",
    "virtual",
    "when",
    "where",
    "window",
    "with",
    "without",
];

/// Words that stay quoted as identifiers: SQL keywords of PostgreSQL and SQLite that would not
/// parse (or would mean something else) unquoted.
pub(crate) fn is_keyword(word: &str) -> bool {
    KEYWORDS.binary_search(&word).is_ok()
}

fn is_word(t: &str) -> bool {
    t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !t.is_empty()
}

/// Whether the first `(` closes at the last token.
fn wraps(tokens: &[String]) -> bool {
    let mut depth = 0i32;
    for (i, t) in tokens.iter().enumerate() {
        match t.as_str() {
            "(" => depth += 1,
            ")" => {
                depth -= 1;
                if depth == 0 && i != tokens.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

pub(crate) fn expr_tokens(expr: &str) -> Vec<String> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'\'' {
            let mut j = i + 1;
            while j < b.len() {
                if b[j] == b'\'' {
                    if b.get(j + 1) == Some(&b'\'') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            let end = (j + 1).min(b.len());
            out.push(expr[i..end].to_string());
            i = end;
        } else if c == b'"' {
            let mut j = i + 1;
            while j < b.len() && !(b[j] == b'"' && b.get(j + 1) != Some(&b'"')) {
                j += if b[j] == b'"' { 2 } else { 1 };
            }
            let inner = &expr[i + 1..j.min(b.len())];
            let plain = !inner.is_empty()
                && inner
                    .bytes()
                    .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == b'_')
                && !inner.as_bytes()[0].is_ascii_digit()
                && !is_keyword(inner);
            out.push(if plain {
                inner.to_string()
            } else {
                expr[i..(j + 1).min(b.len())].to_string()
            });
            i = (j + 1).min(b.len());
        } else if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            let mut j = i;
            while j < b.len()
                && (b[j].is_ascii_alphanumeric()
                    || b[j] == b'_'
                    || b[j] == b'.'
                        && b.get(j + 1).is_some_and(u8::is_ascii_digit)
                        && b[i].is_ascii_digit()
                    || b[j] >= 0x80)
            {
                j += 1;
            }
            out.push(expr[i..j].to_ascii_lowercase());
            i = j;
        } else if c == b':' && b.get(i + 1) == Some(&b':') {
            out.push("::".into());
            i += 2;
        } else if b"<>=!|&+-*/%~^@#".contains(&c) {
            // Known multi-character operators, longest first; anything else is one character
            // (so `a>-1` is `a > - 1`, like `a > -1`).
            const OPS: [&str; 15] = [
                "->>", "#>>", "<>", "<=", ">=", "!=", "==", "||", "->", "#>", "@>", "<@", "&&",
                "~*", "!~",
            ];
            let rest = &expr[i..];
            let op = OPS
                .iter()
                .find(|op| rest.starts_with(**op))
                .copied()
                .unwrap_or(&rest[..1]);
            out.push(match op {
                "!=" => "<>".to_string(),
                "==" => "=".to_string(),
                other => other.to_string(),
            });
            i += op.len();
        } else {
            out.push((c as char).to_string());
            i += 1;
        }
    }
    out
}

/// Quotes an identifier for SQLite and PostgreSQL: `"name"`, with embedded quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal: `'text'`, with embedded quotes doubled.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqls(text: &str, d: Dialect) -> Vec<String> {
        split(text, d, 1).into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn splits_on_top_level_semicolons() {
        assert_eq!(
            sqls("SELECT 1; SELECT 2;\nSELECT 3", Dialect::Sqlite),
            ["SELECT 1", "SELECT 2", "SELECT 3"]
        );
    }

    #[test]
    fn respects_quotes_and_comments() {
        let text = "INSERT INTO t VALUES ('a;''b'); -- c;d\n/* e;f */ SELECT \"x;y\";";
        assert_eq!(
            sqls(text, Dialect::Postgres),
            ["INSERT INTO t VALUES ('a;''b')", "SELECT \"x;y\""]
        );
    }

    #[test]
    fn comment_only_text_has_no_statement() {
        assert!(split("-- nothing here\n/* nor; here */\n\n", Dialect::Sqlite, 1).is_empty());
    }

    #[test]
    fn statement_lines_skip_leading_comments() {
        let stmts = split(
            "\n-- first\nSELECT 1;\n\n  SELECT\n 2;",
            Dialect::Sqlite,
            10,
        );
        assert_eq!(stmts[0].line, 12);
        assert_eq!(stmts[1].line, 14);
    }

    #[test]
    fn postgres_dollar_quotes() {
        let text = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nDO $$ BEGIN PERFORM 1; END $$;";
        let out = sqls(text, Dialect::Postgres);
        assert_eq!(out.len(), 2);
        assert!(out[0].ends_with("LANGUAGE sql"));
    }

    #[test]
    fn postgres_escape_strings() {
        assert_eq!(
            sqls(r"SELECT E'a\';b'; SELECT 2;", Dialect::Postgres),
            [r"SELECT E'a\';b'", "SELECT 2"]
        );
    }

    #[test]
    fn sqlite_trigger_bodies_stay_whole() {
        let text = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN 1 THEN 2 END;\n  DELETE FROM u;\nEND;\nSELECT 1;";
        let out = sqls(text, Dialect::Sqlite);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].ends_with("END"));
    }

    #[test]
    fn postgres_triggers_end_at_their_semicolon_and_atomic_bodies_stay_whole() {
        let text = "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION f();\nCREATE INDEX CONCURRENTLY i ON x (a);";
        assert_eq!(sqls(text, Dialect::Postgres).len(), 2);
        let text = "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 3;";
        let out = sqls(text, Dialect::Postgres);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].ends_with("END"));
    }

    #[test]
    fn trailing_comment_is_not_a_statement_part() {
        assert_eq!(sqls("SELECT 1\n-- bye", Dialect::Sqlite), ["SELECT 1"]);
    }

    #[test]
    fn expressions_normalise() {
        assert_eq!(normalize_expr("title<>''"), "title <> ''");
        assert_eq!(normalize_expr("((title <> ''::text))"), "title <> ''::text");
        assert_eq!(normalize_expr("(a) + (b)"), "(a) + (b)");
        assert_eq!(
            normalize_expr("price >= 0.5 AND \"Weird\" IN (1,2)"),
            "price >= 0.5 and \"Weird\" in(1, 2)"
        );
        assert_eq!(normalize_expr("lower( email )"), "lower(email)");
        assert_eq!(normalize_expr("'It''s'"), "'It''s'");
        assert_eq!(normalize_expr("NOW()"), "current_timestamp");
        assert_eq!(normalize_expr(""), "");
        assert_eq!(normalize_expr("a>-1"), normalize_expr("a > -1"));
        assert_eq!(normalize_expr("a != 0"), "a <> 0");
        assert_eq!(normalize_expr("\"order\" > 0"), "\"order\" > 0");
        assert_eq!(normalize_expr("\"qty\" > 0"), "qty > 0");
        assert_eq!(normalize_expr("data->>'k'"), "data ->> 'k'");
    }

    #[test]
    fn the_keyword_list_is_sorted() {
        assert!(is_keyword("order") && is_keyword("user") && !is_keyword("qty"));
        assert!(
            KEYWORDS.windows(2).all(|w| w[0] < w[1]),
            "binary_search needs it sorted"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("we\"ird name"), "\"we\"\"ird name\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
