//! Reading what SQLite keeps only as text: checks in `CREATE TABLE`, index predicates and
//! expressions in `CREATE INDEX`.

use crate::schema::Check;
use crate::sql::normalize_expr;

/// The `CHECK (…)` expressions of a `CREATE TABLE` statement (SQLite keeps them nowhere else),
/// normalised.
pub fn checks_of(create_sql: &str) -> Vec<Check> {
    // Search the statement with comments and string contents blanked out, then take each
    // expression from the original text at the same place.
    let code = blank_out(create_sql);
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
            }
            b'[' => {
                while i < b.len() && b[i] != b']' {
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                if code[start..i].eq_ignore_ascii_case("CHECK") {
                    let mut j = i;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b'(') {
                        let (_, end) = balanced(&code, j);
                        let expr = &create_sql[j + 1..end.saturating_sub(1).max(j + 1)];
                        out.push(Check {
                            name: None,
                            expr: normalize_expr(expr),
                        });
                        i = end;
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The text inside the parentheses opening at `open`, and the index after the closing one.
pub(crate) fn balanced(s: &str, open: usize) -> (&str, usize) {
    let b = s.as_bytes();
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (&s[open + 1..i], i + 1);
                }
            }
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (&s[open + 1..], b.len())
}

/// The `WHERE …` of a partial index's SQL (the last top-level `WHERE` word).
pub(crate) fn partial_predicate(sql: &str) -> Option<String> {
    let code = blank_out(sql);
    let upper = code.to_ascii_uppercase();
    let b = upper.as_bytes();
    let at = (0..b.len().saturating_sub(4)).rev().find(|&i| {
        &upper[i..i + 5] == "WHERE"
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && b.get(i + 5)
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
    })?;
    Some(normalize_expr(sql[at + 5..].trim()))
}

/// An index's columns with each `<expression>` replaced by the expression written in its
/// `CREATE INDEX` statement (normalised), so expression indexes compare by what they index.
pub(crate) fn with_expressions(columns: Vec<String>, sql: &str) -> Vec<String> {
    let code = blank_out(sql);
    let upper = code.to_ascii_uppercase();
    let Some(on) = upper.find(" ON ") else {
        return columns;
    };
    let Some(open) = code[on..].find('(').map(|i| on + i) else {
        return columns;
    };
    let (inner, _) = balanced(sql, open);
    let code_inner = &code[open + 1..open + 1 + inner.len()];
    // Split at top-level commas.
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, ch) in code_inner.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    if parts.len() != columns.len() {
        return columns;
    }
    columns
        .into_iter()
        .zip(parts)
        .map(|(c, part)| {
            if c == "<expression>" {
                let mut p = part.trim();
                for suffix in [" ASC", " DESC", " asc", " desc"] {
                    p = p.strip_suffix(suffix).unwrap_or(p);
                }
                normalize_expr(p)
            } else {
                c
            }
        })
        .collect()
}

/// `sql` with comments and the insides of string literals replaced by spaces (same length),
/// so keywords can be searched for without false hits.
pub(crate) fn blank_out(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    out[i] = b' ';
                    i += 1;
                }
                for _ in 0..2 {
                    if i < b.len() {
                        out[i] = b' ';
                        i += 1;
                    }
                }
            }
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    out[i] = b' ';
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| sql.to_string())
}

#[cfg(test)]
mod tests {
    use super::checks_of;

    #[test]
    fn checks_come_from_the_create_statement() {
        let checks = checks_of("CREATE TABLE t (a INT CHECK(a>0), b TEXT DEFAULT 'CHECK (x)', CONSTRAINT c CHECK ( (b <> 'x)') ))");
        let exprs: Vec<&str> = checks.iter().map(|c| c.expr.as_str()).collect();
        assert_eq!(exprs, ["a > 0", "b <> 'x)'"]);
    }
}
