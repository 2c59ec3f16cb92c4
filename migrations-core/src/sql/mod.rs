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

pub(crate) mod entry;
mod expr;
pub(crate) mod lex;

use crate::dialect::Dialect;
pub use expr::normalize_expr;
pub(crate) use expr::{expr_tokens, is_keyword};
pub(crate) use lex::{balanced, blank_out, is_word_byte};

/// A view's `SELECT` in one spelling, so that the same query written two ways compares equal:
/// comments and a final `;` dropped, then [`normalize_expr`]'s rules (keywords and plain names
/// lower-cased, needless quotes dropped, one space between tokens). String literals are kept.
///
/// ```
/// use migrations_core::sql::normalize_query;
///
/// assert_eq!(
///     normalize_query("SELECT \"id\", Title -- the title\nFROM todos;"),
///     normalize_query("select id, title from TODOS"),
/// );
/// ```
pub fn normalize_query(query: &str) -> String {
    let mut text = String::with_capacity(query.len());
    for t in lex::tokens(query, Dialect::Postgres) {
        match t.kind {
            lex::Kind::LineComment | lex::Kind::BlockComment => text.push(' '),
            _ => text.push_str(t.text(query)),
        }
    }
    let text = text.trim_end().trim_end_matches(';');
    normalize_expr(text)
}

/// Whether SQL text names `name` (as a word, quoted or not, any case).
pub(crate) fn mentions(sql: &str, table: &str) -> bool {
    let sql = sql.to_ascii_lowercase();
    let name = table.to_ascii_lowercase();
    sql.match_indices(&name).any(|(at, _)| {
        let before = sql[..at].chars().next_back();
        let after = sql[at + name.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        boundary(before) && boundary(after)
    })
}

/// A function's definition in one spelling, so that the same function written with other
/// whitespace compares equal: comments dropped, words lower-cased, runs of blanks one space, and
/// a dollar-quoted body as `$$…$$` with its own runs of blanks one space (a body's other
/// strings and case are kept: `'Hello'` and `'hello'` differ).
///
/// ```
/// use migrations_core::sql::normalize_routine;
///
/// assert_eq!(
///     normalize_routine("CREATE FUNCTION f() RETURNS int AS $body$\n  SELECT  1\n$body$"),
///     normalize_routine("create function f()  returns int as $$ SELECT 1 $$"),
/// );
/// assert_ne!(normalize_routine("AS $$ SELECT 'A' $$"), normalize_routine("AS $$ SELECT 'a' $$"));
/// ```
pub fn normalize_routine(definition: &str) -> String {
    let mut out = String::with_capacity(definition.len());
    let mut space = false;
    for t in lex::tokens(definition, Dialect::Postgres) {
        let text = t.text(definition);
        let piece = match t.kind {
            lex::Kind::Space | lex::Kind::LineComment | lex::Kind::BlockComment => {
                space = true;
                continue;
            }
            lex::Kind::String if text.starts_with('$') => {
                let body = definition.get(t.body.clone()).unwrap_or("");
                format!(
                    "$$ {} $$",
                    body.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            }
            lex::Kind::Word => text.to_lowercase(),
            _ => text.to_string(),
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push_str(&piece);
    }
    out.trim_end_matches(';').trim_end().to_string()
}

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
    let mut out = Vec::new();
    let mut line = first_line;
    // Start of the current statement's first token, and its line.
    let mut start: Option<(usize, usize)> = None;
    // Where the current statement's `--` comments start (a trailing one is not part of it).
    let mut line_comments: Vec<usize> = Vec::new();
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

    for tok in lex::tokens(text, dialect) {
        let token = tok.text(text);
        let token_line = line;
        line += token.bytes().filter(|&b| b == b'\n').count();
        match tok.kind {
            lex::Kind::Space | lex::Kind::BlockComment => {}
            lex::Kind::LineComment => {
                if start.is_some() {
                    line_comments.push(tok.start);
                }
            }
            lex::Kind::Other if token == ";" => {
                let trigger_body_open =
                    (is_trigger(&words) || atomic) && !(last_word == "END" && block_depth == 0);
                if start.is_some() && trigger_body_open {
                    last_word.clear();
                    continue;
                }
                if let Some((s, l)) = start.take() {
                    out.push(Statement {
                        sql: text[s..tok.start].trim_end().to_string(),
                        line: l,
                    });
                }
                line_comments.clear();
                words.clear();
                last_word.clear();
                block_depth = 0;
                atomic = false;
            }
            _ => {
                if start.is_none() {
                    start = Some((tok.start, token_line));
                }
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
            }
        }
    }
    if let Some((s, l)) = start {
        let sql = text[s..].trim_end();
        // Drop a trailing comment that follows the last statement.
        if !sql.is_empty() {
            let comments: Vec<usize> = line_comments.iter().map(|c| c - s).collect();
            out.push(Statement {
                sql: strip_trailing_comments(sql, &comments).to_string(),
                line: l,
            });
        }
    }
    out
}

/// Trailing `--` comment lines after an unterminated last statement are not part of it.
/// `comments` are the offsets in `sql` where its `--` comments start (a `--` inside a string
/// or a block comment is not one).
fn strip_trailing_comments<'a>(sql: &'a str, comments: &[usize]) -> &'a str {
    let mut end = sql.len();
    loop {
        let head = sql[..end].trim_end();
        let Some(nl) = head.rfind('\n') else {
            return head;
        };
        let rest = &head[nl + 1..];
        let at = nl + 1 + (rest.len() - rest.trim_start().len());
        if !comments.contains(&at) {
            return head;
        }
        end = nl;
    }
}

/// Quotes an identifier for SQLite and PostgreSQL: `"name"`, with embedded quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal: `'text'`, with embedded quotes doubled.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Quoted literals ([`quote_literal`]), separated by commas: the inside of `IN (…)` or
/// `ARRAY[…]`.
pub(crate) fn literal_list<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    let quoted: Vec<String> = values
        .into_iter()
        .map(|v| quote_literal(v.as_ref()))
        .collect();
    quoted.join(", ")
}

/// A string literal for `dialect` that means `value` whatever the server's settings: on
/// PostgreSQL a value with a backslash is written `E'…'` with the backslash doubled, because
/// under the legacy `standard_conforming_strings = off` a backslash in `'…'` escapes the next
/// character (and `\'` would end the string early: an injection).
///
/// ```
/// use migrations_core::{sql::quote_literal_for, Dialect};
///
/// assert_eq!(quote_literal_for(Dialect::Postgres, "it's"), "'it''s'");
/// assert_eq!(quote_literal_for(Dialect::Postgres, "a\\b"), "E'a\\\\b'");
/// assert_eq!(quote_literal_for(Dialect::Sqlite, "a\\b"), "'a\\b'");
/// ```
pub fn quote_literal_for(dialect: Dialect, value: &str) -> String {
    match dialect {
        Dialect::Postgres if value.contains('\\') => {
            format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
        }
        _ => quote_literal(value),
    }
}

/// `sql` with every plain `'…'` string that holds a backslash rewritten as the `E'…'` string
/// of the same value, on PostgreSQL (elsewhere unchanged): what this crate renders then means
/// the same with `standard_conforming_strings` on (the default) or off. Strings without a
/// backslash, `E'…'` and dollar-quoted strings are left as they are.
pub fn conforming_strings(dialect: Dialect, sql: &str) -> String {
    if dialect != Dialect::Postgres || !sql.contains('\\') {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut at = 0;
    for token in lex::tokens(sql, dialect) {
        let text = token.text(sql);
        if token.kind == lex::Kind::String && text.starts_with('\'') && text.contains('\\') {
            out.push_str(&sql[at..token.start]);
            out.push_str("E'");
            out.push_str(&sql[token.body.clone()].replace('\\', "\\\\"));
            out.push('\'');
            at = token.end;
        }
    }
    out.push_str(&sql[at..]);
    out
}

/// A token of SQLite text that can name an object, or punctuation; see [`sqlite_name_tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
pub(crate) enum NameToken {
    /// A bare word (keyword, name or number), ASCII-lowercased as SQLite compares names.
    Word(String),
    /// The value of a quoted identifier or of a string (SQLite takes a string for a name in
    /// some places), ASCII-lowercased.
    Quoted(String),
    /// Any other character (`.`, `(`, `;` …).
    Other(char),
}

/// The tokens of SQLite text that can name a table, view, index or trigger, in order, with the
/// punctuation between them; comments and blanks are left out. A name written in any way
/// SQLite accepts (bare, `"…"`, `` `…` ``, `[…]`, `'…'`) comes out as the same text.
#[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
pub(crate) fn sqlite_name_tokens(text: &str) -> Vec<NameToken> {
    lex::tokens(text, Dialect::Sqlite)
        .filter_map(|t| {
            let raw = t.text(text);
            match t.kind {
                lex::Kind::Word => Some(NameToken::Word(raw.to_ascii_lowercase())),
                lex::Kind::String | lex::Kind::QuotedIdent => {
                    let body = text.get(t.body.clone()).unwrap_or("");
                    let value = match raw.chars().next() {
                        Some('"') => body.replace("\"\"", "\""),
                        Some('`') => body.replace("``", "`"),
                        Some('\'') => body.replace("''", "'"),
                        _ => body.to_string(),
                    };
                    Some(NameToken::Quoted(value.to_ascii_lowercase()))
                }
                lex::Kind::Other => raw.chars().next().map(NameToken::Other),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_finds_whole_names_only() {
        assert!(mentions(
            "CREATE VIEW v AS SELECT * FROM \"Todos\"",
            "todos"
        ));
        assert!(!mentions("SELECT * FROM todos_archive", "todos"));
    }

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
    fn split_cases() {
        fn case(text: &str, d: Dialect, expected: &[(&str, usize)]) {
            let got: Vec<(String, usize)> = split(text, d, 1)
                .into_iter()
                .map(|s| (s.sql, s.line))
                .collect();
            let expected: Vec<(String, usize)> =
                expected.iter().map(|(s, l)| (s.to_string(), *l)).collect();
            assert_eq!(got, expected, "{text:?} {d:?}");
        }
        use Dialect::{Postgres, Sqlite};
        // SQLite's other quotes for names.
        case(
            "SELECT [a;b]; SELECT `c;d`;",
            Sqlite,
            &[("SELECT [a;b]", 1), ("SELECT `c;d`", 1)],
        );
        case(
            "SELECT 'it'';s'; SELECT \"a\"\";\"",
            Sqlite,
            &[("SELECT 'it'';s'", 1), ("SELECT \"a\"\";\"", 1)],
        );
        // Block comments nest on PostgreSQL only.
        case("/* a /* b */ ; */ SELECT 1;", Postgres, &[("SELECT 1", 1)]);
        case("/* a /* b */ ; */ SELECT 1;", Sqlite, &[("*/ SELECT 1", 1)]);
        // A `--` line inside a string or block comment is not a trailing comment.
        case("SELECT 'a\n-- b'", Sqlite, &[("SELECT 'a\n-- b'", 1)]);
        case(
            "SELECT 1 /* a\n-- b */",
            Sqlite,
            &[("SELECT 1 /* a\n-- b */", 1)],
        );
        case("SELECT 1\n  -- a\n-- b\n", Sqlite, &[("SELECT 1", 1)]);
        // Backslashes escape in E'' strings only; lines count inside them too.
        case(
            "SELECT E'a\\\nb;'; SELECT 2;",
            Postgres,
            &[("SELECT E'a\\\nb;'", 1), ("SELECT 2", 2)],
        );
        case(
            "SELECT 1 WHERE'a\\'; SELECT 2;",
            Postgres,
            &[("SELECT 1 WHERE'a\\'", 1), ("SELECT 2", 1)],
        );
        // Unterminated strings and comments run to the end, without a panic.
        case(
            "SELECT 'a; SELECT 2;",
            Sqlite,
            &[("SELECT 'a; SELECT 2;", 1)],
        );
        case("SELECT 1; /* a; SELECT 2;", Sqlite, &[("SELECT 1", 1)]);
        case(
            "SELECT $x$ a; SELECT 2;",
            Postgres,
            &[("SELECT $x$ a; SELECT 2;", 1)],
        );
        // Non-ASCII text.
        case(
            "INSERT INTO \"café\" VALUES ('é;日本');\nSELECT '🦀' -- ü;\n;",
            Sqlite,
            &[
                ("INSERT INTO \"café\" VALUES ('é;日本')", 1),
                ("SELECT '🦀' -- ü;", 2),
            ],
        );
        case("SELECT $é$;", Postgres, &[("SELECT $é$", 1)]);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("we\"ird name"), "\"we\"\"ird name\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn strings_with_backslashes_mean_the_same_under_either_setting() {
        let payload = "\\'::text), PRIMARY KEY (\"id\")); DROP TABLE canary; --";
        let rendered = format!("CREATE TABLE t (a TEXT DEFAULT {})", quote_literal(payload));
        let safe = conforming_strings(Dialect::Postgres, &rendered);
        assert_eq!(
            safe,
            "CREATE TABLE t (a TEXT DEFAULT E'\\\\''::text), PRIMARY KEY (\"id\")); DROP TABLE canary; --')"
        );
        // One statement, one string, for the splitter too.
        assert_eq!(split(&safe, Dialect::Postgres, 1).len(), 1);
        for unchanged in [
            "SELECT 'plain', E'a\\\\b', $$a\\b$$",
            "SELECT \"a\\b\" FROM t -- a\\b",
        ] {
            assert_eq!(conforming_strings(Dialect::Postgres, unchanged), unchanged);
        }
        assert_eq!(conforming_strings(Dialect::Sqlite, &rendered), rendered);
    }
}
