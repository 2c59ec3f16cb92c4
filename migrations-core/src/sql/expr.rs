//! Expressions in one canonical spelling, so a default, check or index predicate written two
//! ways compares equal.
//!
//! # Example
//!
//! ```
//! use migrations_core::sql::normalize_expr;
//!
//! assert_eq!(normalize_expr("(price>=0.5 AND \"qty\" != 0)"), "price >= 0.5 and qty <> 0");
//! ```

use super::lex;

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
    // Drop parentheses around the whole expression: all of them at once, in one pass (one by
    // one was quadratic in the nesting depth).
    let wrapping = wrapping_pairs(&tokens);
    let tokens = &tokens[wrapping..tokens.len() - wrapping];
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
/// How many pairs of parentheses wrap the whole token list: `((a) + (b))` has one, `(a) + (b)`
/// none, `((a))` two. Linear: each `(` is matched with its `)` once.
fn wrapping_pairs(tokens: &[String]) -> usize {
    let n = tokens.len();
    let mut open: Vec<usize> = Vec::new();
    // For each leading `(` (index i), the index of its `)`.
    let mut closes: Vec<usize> = Vec::new();
    let leading = tokens.iter().take_while(|t| *t == "(").count();
    closes.resize(leading, usize::MAX);
    for (i, t) in tokens.iter().enumerate() {
        match t.as_str() {
            "(" => open.push(i),
            ")" => {
                if let Some(o) = open.pop() {
                    if o < leading {
                        closes[o] = i;
                    }
                }
            }
            _ => {}
        }
    }
    (0..leading.min(n / 2))
        .take_while(|&i| closes[i] == n - 1 - i)
        .count()
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
            // Kept as written, without backslash escapes (the text is not known to be an E'' string).
            let end = lex::quoted(b, i, lex::Kind::String, false).end;
            out.push(expr[i..end].to_string());
            i = end;
        } else if c == b'"' {
            let ident = lex::quoted(b, i, lex::Kind::QuotedIdent, false);
            let inner = &expr[ident.body.clone()];
            let plain = !inner.is_empty()
                && inner
                    .bytes()
                    .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == b'_')
                && !inner.as_bytes()[0].is_ascii_digit()
                && !is_keyword(inner);
            out.push(if plain {
                inner.to_string()
            } else {
                expr[i..ident.end].to_string()
            });
            i = ident.end;
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn outer_parentheses_go_and_inner_ones_stay() {
        for (given, normal) in [
            ("((a))", "a"),
            ("((a) + (b))", "(a) + (b)"),
            ("(a) + (b)", "(a) + (b)"),
            ("(((a > 0) AND (b > 0)))", "(a > 0) and(b > 0)"),
            ("()", ""),
            ("(a", "(a"),
            ("a)", "a)"),
        ] {
            assert_eq!(normalize_expr(given), normal, "{given}");
        }
    }

    #[test]
    fn deep_nesting_is_linear() {
        // 100,000 levels took four minutes when each pair was stripped on its own (no stack
        // either: the matching is a loop).
        let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(normalize_expr(&deep), "1");
    }
}
