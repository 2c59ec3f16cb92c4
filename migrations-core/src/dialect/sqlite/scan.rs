//! Reading what SQLite keeps only as text: checks in `CREATE TABLE`, index predicates and
//! expressions in `CREATE INDEX`.

use crate::dialect::Dialect;
use crate::schema::{Check, View};
use crate::sql::entry::{self, list_parts};
use crate::sql::{balanced, blank_out, is_word_byte, normalize_expr};

/// The words of blanked-out SQL (see [`blank_out`]), with their byte offsets.
fn words(code: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = code.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !is_word_byte(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && is_word_byte(b[i]) {
            i += 1;
        }
        // Word bytes run to an ASCII byte or the end: `start..i` are char boundaries.
        Some((start, code.get(start..i).unwrap_or("")))
    })
}

/// The `CHECK (…)` expressions of a `CREATE TABLE` statement (SQLite keeps them nowhere else),
/// normalised.
pub fn checks_of(create_sql: &str) -> Vec<Check> {
    // Search the statement with comments, strings and quoted names blanked out; read each
    // expression from the original text at the same place.
    let code = blank_out(create_sql, Dialect::Sqlite);
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut after = 0; // the end of the last check: a `CHECK` inside one is not another
    for (at, word) in words(&code) {
        if at < after || !word.eq_ignore_ascii_case("CHECK") {
            continue;
        }
        let mut j = at + word.len();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) == Some(&b'(') {
            let (expr, end) = balanced(create_sql, j, Dialect::Sqlite);
            out.push(Check {
                name: None,
                expr: normalize_expr(expr),
            });
            after = end;
        }
    }
    out
}

/// The `WHERE …` of a partial index's SQL (the last `WHERE` word outside strings, quoted names
/// and comments).
pub(crate) fn partial_predicate(sql: &str) -> Option<String> {
    let code = blank_out(sql, Dialect::Sqlite);
    let (at, word) = words(&code)
        .filter(|(_, w)| w.eq_ignore_ascii_case("WHERE"))
        .last()?;
    // `at + word.len()` follows an ASCII word: a char boundary of `sql` too.
    Some(normalize_expr(sql.get(at + word.len()..)?.trim()))
}

/// An index's entries in canonical form (see [`crate::sql::entry`]): each column named by the
/// catalog, each `<expression>` replaced by the expression written in its `CREATE INDEX`
/// statement (normalised), so expression indexes compare by what they index; then the
/// ordering written there (`COLLATE` — its name upper-cased, as SQLite compares collation
/// names without case — and `DESC`).
pub(crate) fn index_entries(columns: Vec<String>, sql: &str) -> Vec<String> {
    let code = blank_out(sql, Dialect::Sqlite);
    let Some((on, _)) = words(&code).find(|(_, w)| w.eq_ignore_ascii_case("ON")) else {
        return columns;
    };
    let Some(open) = code[on..].find('(').map(|i| on + i) else {
        return columns;
    };
    let (inner, _) = balanced(sql, open, Dialect::Sqlite);
    let parts = list_parts(inner, Dialect::Sqlite);
    if parts.len() != columns.len() {
        return columns;
    }
    columns
        .into_iter()
        .zip(parts)
        .map(|(c, part)| {
            let mut entry = entry::parse(part, Dialect::Sqlite);
            let collation = entry.collation.map(|c| unquote(c).to_ascii_uppercase());
            entry.collation = collation.as_deref();
            entry.nulls = None;
            if c == "<expression>" {
                format!("{}{}", normalize_expr(entry.target), entry.options())
            } else {
                format!("{c}{}", entry.options())
            }
        })
        .collect()
}

/// A view as SQLite keeps it (`CREATE [TEMP] VIEW [IF NOT EXISTS] name [(a, b)] AS <query>`):
/// its column list and its query as written.
#[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
pub(crate) fn view(name: &str, create_sql: &str) -> View {
    let code = blank_out(create_sql, Dialect::Sqlite);
    let b = code.as_bytes();
    // The first `AS` outside parentheses (a view's name and column list hold none).
    let mut depth = 0i32;
    let mut open = None;
    let mut at = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => {
                if depth == 0 && open.is_none() {
                    open = Some(i);
                }
                depth += 1;
            }
            b')' => depth -= 1,
            c if is_word_byte(c) => {
                let start = i;
                while i < b.len() && is_word_byte(b[i]) {
                    i += 1;
                }
                if depth == 0 && code[start..i].eq_ignore_ascii_case("as") {
                    at = Some((start, i));
                    break;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let Some((as_start, as_end)) = at else {
        return View::new(name, create_sql);
    };
    let columns = match open {
        Some(o) if o < as_start => {
            let (inner, _) = balanced(create_sql, o, Dialect::Sqlite);
            list_parts(inner, Dialect::Sqlite)
                .into_iter()
                .map(|c| unquote(c.trim()).to_string())
                .collect()
        }
        _ => Vec::new(),
    };
    View::new(name, create_sql[as_end..].trim()).columns(columns)
}

/// A name without its SQLite quotes (`"…"`, `[…]`, `` `…` ``).
pub(crate) fn unquote(name: &str) -> &str {
    name.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| name.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        .or_else(|| name.strip_prefix('`').and_then(|r| r.strip_suffix('`')))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::{balanced, blank_out, checks_of, index_entries, partial_predicate, Dialect};

    #[test]
    fn checks_come_from_the_create_statement() {
        let checks = checks_of("CREATE TABLE t (a INT CHECK(a>0), b TEXT DEFAULT 'CHECK (x)', CONSTRAINT c CHECK ( (b <> 'x)') ))");
        let exprs: Vec<&str> = checks.iter().map(|c| c.expr.as_str()).collect();
        assert_eq!(exprs, ["a > 0", "b <> 'x)'"]);
    }

    #[test]
    fn checks_of_cases() {
        fn case(input: &str, expected: &[&str]) {
            let checks = checks_of(input);
            let exprs: Vec<&str> = checks.iter().map(|c| c.expr.as_str()).collect();
            assert_eq!(exprs, expected, "{input:?}");
        }
        case("CREATE TABLE t (a INT)", &[]);
        case("CREATE TABLE t (a INT CHECK (a > 0))", &["a > 0"]);
        case(
            "CREATE TABLE t (a INT check(a>0), b INT Check ( b<1 ))",
            &["a > 0", "b < 1"],
        );
        // Doubled quotes inside strings and names.
        case(
            "CREATE TABLE t (a TEXT CHECK (a <> 'it''s (x'))",
            &["a <> 'it''s (x'"],
        );
        case(
            "CREATE TABLE t (a TEXT DEFAULT 'x'' CHECK (y)', b INT CHECK (b > 0))",
            &["b > 0"],
        );
        case(
            "CREATE TABLE \"t\"\"CHECK (z)\" (a INT CHECK (a > 0))",
            &["a > 0"],
        );
        // Quoted names of every kind, holding `CHECK (`, quotes or parentheses. (What is pinned
        // here is where an expression starts and ends: `normalize_expr` reads `[…]`, `` `…` ``
        // and comments as punctuation, as it always has.)
        case(
            "CREATE TABLE t (\"CHECK (a)\" INT, [CHECK (b)] INT, `CHECK (c)` INT)",
            &[],
        );
        case(
            "CREATE TABLE t (\"it's\" INT CHECK (\"it's\" > 0), c TEXT DEFAULT 'a')",
            &["\"it's\" > 0"],
        );
        case(
            "CREATE TABLE t ([a)b] INT CHECK ([a)b] > 0))",
            &["[ a) b ] > 0"],
        );
        case(
            "CREATE TABLE t (`a``)` INT CHECK (`a``)` > 0))",
            &["` a ` `) ` > 0"],
        );
        // Comments of both kinds, holding `CHECK (` or parentheses.
        case(
            "CREATE TABLE t (a INT -- CHECK (a > 1)\n, b INT /* CHECK (b) */ CHECK (b < 9))",
            &["b < 9"],
        );
        case("CREATE TABLE t (a INT CHECK /* ( */ (a > 0))", &["a > 0"]);
        case(
            "CREATE TABLE t (a INT CHECK (a > 0 -- )\n))",
            &["a > 0 - -)"],
        );
        // Unterminated strings, names, comments, parentheses: no panic, no invented check.
        case("CREATE TABLE t (a INT CHECK (a > 0", &["a > 0"]);
        case("CREATE TABLE t (a TEXT CHECK (a <> 'x", &["a <> 'x"]);
        case("CREATE TABLE t (a TEXT DEFAULT 'CHECK (x)", &[]);
        case("CREATE TABLE t (a INT /* CHECK (x)", &[]);
        case("CREATE TABLE t (\"CHECK (x)", &[]);
        case("CREATE TABLE t (a INT CHECK", &[]);
        // Non-ASCII text around and inside checks.
        case(
            "CREATE TABLE \"café\" (\"naïve\" INT CHECK (\"naïve\" > 0))",
            &["\"naïve\" > 0"],
        );
        case(
            "CREATE TABLE t (a TEXT CHECK (a <> '日本'), b TEXT DEFAULT '🦀 CHECK (x)')",
            &["a <> '日本'"],
        );
        case("CREATE TABLE t (a TEXT CHECK (a <> 'é", &["a <> 'é"]);
        case("CREATE TABLE t (a INT CHECK (a > é", &["a > é"]);
        case(
            "CREATE TABLE t (éCHECK INT, a INT CHECK(a > 0))",
            &["a > 0"],
        );
    }

    #[test]
    fn partial_predicate_cases() {
        fn case(input: &str, expected: Option<&str>) {
            assert_eq!(partial_predicate(input).as_deref(), expected, "{input:?}");
        }
        case("CREATE INDEX i ON t (x)", None);
        case("CREATE INDEX i ON t (x) WHERE x > 0", Some("x > 0"));
        case(
            "create index i on t (x) where x IS NOT NULL",
            Some("x is not null"),
        );
        case(
            "CREATE INDEX i ON t (x) WHERE x <> 'it''s WHERE'",
            Some("x <> 'it''s WHERE'"),
        );
        case("CREATE INDEX \"where\" ON t (x)", None);
        case("CREATE INDEX [a where b] ON t (`where`)", None);
        case("CREATE INDEX i ON t (x) -- WHERE x > 0", None);
        case("CREATE INDEX i ON t (x) /* WHERE x > 0 */", None);
        case(
            "CREATE INDEX i ON t (x) WHERE /* WHERE */ x > 0",
            Some("/ * where * / x > 0"),
        );
        case("CREATE INDEX i ON t (x_where, wherever) WHERE x", Some("x"));
        case("CREATE INDEX i ON t (x) WHERE", Some(""));
        case(
            "CREATE INDEX i ON t (x) WHERE x = 'unterminated",
            Some("x = 'unterminated"),
        );
        case("CREATE INDEX i ON t (x) /* unterminated WHERE", None);
        case(
            "CREATE INDEX \"café\" ON t (x) WHERE \"naïve\" > 0",
            Some("\"naïve\" > 0"),
        );
        case(
            "CREATE INDEX i ON t (x) WHERE x <> '日本 🦀'",
            Some("x <> '日本 🦀'"),
        );
        case("CREATE INDEX i ON t (x) WHERE \"ï\"", Some("\"ï\""));
        case(
            "CREATE INDEX i ON t (x) WHERE x > 0 AND 🦀WHERE",
            Some("x > 0 and 🦀where"),
        );
        case("é", None);
        case("", None);
    }

    #[test]
    fn index_entries_cases() {
        fn case(columns: &[&str], sql: &str, expected: &[&str]) {
            let columns = columns.iter().map(|c| c.to_string()).collect();
            assert_eq!(index_entries(columns, sql), expected, "{sql:?}");
        }
        let e = "<expression>";
        case(
            &["x", e],
            "CREATE INDEX i ON t (x, lower(y))",
            &["x", "lower(y)"],
        );
        case(
            &[e],
            "CREATE INDEX i ON t (lower(y) DESC)",
            &["lower(y) DESC"],
        );
        // The ordering of every entry, collation names upper-cased and unquoted.
        case(
            &["x", e, "z"],
            "CREATE INDEX i ON t (x COLLATE nocase ASC, lower(y) collate \"rtrim\" desc, z DESC)",
            &["x COLLATE NOCASE", "lower(y) COLLATE RTRIM DESC", "z DESC"],
        );
        case(
            &[e, "x"],
            "CREATE INDEX i ON t (y || ',', x)",
            &["y || ','", "x"],
        );
        case(
            &[e, "x"],
            "CREATE INDEX i ON t (y || 'a'')(', x)",
            &["y || 'a'')('", "x"],
        );
        case(
            &[e, "x"],
            "CREATE INDEX \"a ON (b\" ON t (y + 1, x)",
            &["y + 1", "x"],
        );
        case(
            &[e],
            "CREATE INDEX [i ON (] ON t (\"a,b\" + 1)",
            &["\"a,b\" + 1"],
        );
        case(&[e], "CREATE INDEX i ON t (`a,)` + 1)", &["` a,) ` + 1"]);
        case(
            &[e, "x"],
            "CREATE INDEX i ON t (y /* , */ + 1, x -- ) ,\n)",
            &["y / *, * / + 1", "x"],
        );
        case(&[e], "CREATE INDEX i\nON t(abs(y))", &["abs(y)"]);
        // Unterminated or malformed: the columns as they were, no panic.
        case(&[e], "CREATE INDEX i ON t (lower(y)", &["lower(y)"]);
        case(&[e, "x"], "CREATE INDEX i ON t ('a, x", &[e, "x"]);
        case(&[e], "CREATE INDEX i ON t", &[e]);
        case(&[e], "CREATE INDEX i", &[e]);
        // Non-ASCII text.
        case(
            &[e],
            "CREATE INDEX \"café\" ON t (x) WHERE \"naïve\" > 0",
            &["x"],
        );
        case(
            &[e, "naïve"],
            "CREATE INDEX \"café\" ON \"tablé\" (lower(\"naïve\"), naïve) WHERE \"naïve\" > 0",
            &["lower(\"naïve\")", "naïve"],
        );
        case(
            &[e],
            "CREATE INDEX i ON t ('日本' || '🦀, é')",
            &["'日本' || '🦀, é'"],
        );
    }

    #[test]
    fn no_prefix_of_multi_byte_sql_panics() {
        let sql = "CREATE TABLE \"café\" ([naïve] TEXT CHECK ([naïve] <> 'é''日本' /* ü ( */), \
                   `🦀` INT -- CHECK (ö\n CHECK (\"🦀\" > 0)); CREATE INDEX \"ï\" ON t (lower(\"é\"), x) \
                   WHERE \"naïve\" > 0 AND 'WHERE 🦀' <> ''";
        let columns = || vec!["<expression>".to_string(), "x".to_string()];
        for (end, _) in sql.char_indices().chain([(sql.len(), ' ')]) {
            for start in [0, 1, 13, 14, 15] {
                let Some(text) = sql.get(start..end) else {
                    continue;
                };
                checks_of(text);
                partial_predicate(text);
                index_entries(columns(), text);
                for dialect in [Dialect::Sqlite, Dialect::Postgres] {
                    crate::sql::split(text, dialect, 1);
                    let code = blank_out(text, dialect);
                    assert_eq!(code.len(), text.len());
                    for (open, _) in text.match_indices('(') {
                        balanced(text, open, dialect);
                    }
                }
            }
        }
    }
}
