//! PostgreSQL's dialect: what it names, how it deparses, what it predicts. No connection needed.

pub(crate) mod alter;
pub mod naming;
mod predict;

pub use predict::as_built;

use crate::schema::Action;

/// The referential action of a `pg_constraint.confdeltype`/`confupdtype` code.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn fk_action(code: &str) -> Action {
    match code {
        "r" => Action::Restrict,
        "c" => Action::Cascade,
        "n" => Action::SetNull,
        "d" => Action::SetDefault,
        _ => Action::NoAction,
    }
}

/// `"Weird Name"` as `Weird Name`; anything else (a plain name, an expression) as it is.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.replace("\"\"", "").contains('"') => inner.replace("\"\"", "\""),
        _ => s.to_string(),
    }
}

/// `sql` with the qualifier `schema.` dropped from the names it qualifies (`public.todos` as
/// `todos`, `"public"."todos"` as `"todos"`): how the models' DDL is built in the session's
/// temporary schema, which stands for `schema` there. Strings, comments and other schemas'
/// names are left as they are.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn unqualify(sql: &str, schema: &str) -> String {
    use crate::sql::lex::{tokens, Kind};
    let toks: Vec<_> = tokens(sql, crate::dialect::Dialect::Postgres).collect();
    let names = |t: &crate::sql::lex::Token| match t.kind {
        Kind::Word => t.text(sql).to_lowercase() == schema,
        Kind::QuotedIdent => unquote(t.text(sql)) == schema,
        _ => false,
    };
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let qualifies = names(t)
            && toks.get(i + 1).is_some_and(|d| d.text(sql) == ".")
            && toks
                .get(i + 2)
                .is_some_and(|n| matches!(n.kind, Kind::Word | Kind::QuotedIdent))
            // Not itself qualified (`other.public.x` is not ours to change).
            && !(i > 0 && toks[i - 1].text(sql) == ".");
        if qualifies {
            i += 2;
            continue;
        }
        out.push_str(t.text(sql));
        i += 1;
    }
    out
}

/// The name a `CREATE [OR REPLACE] FUNCTION|PROCEDURE|AGGREGATE [schema.]name (…)` statement creates,
/// unquoted; `None` for any other statement.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn routine_name(sql: &str) -> Option<String> {
    use crate::sql::lex::{tokens, Kind};
    let words: Vec<_> = tokens(sql, crate::dialect::Dialect::Postgres)
        .filter(|t| !matches!(t.kind, Kind::Space | Kind::LineComment | Kind::BlockComment))
        .map(|t| (t.kind, t.text(sql)))
        .take(8)
        .collect();
    let mut i = 0;
    let word = |i: usize, w: &str| words.get(i).is_some_and(|(_, t)| t.eq_ignore_ascii_case(w));
    if !word(i, "create") {
        return None;
    }
    i += 1;
    if word(i, "or") && word(i + 1, "replace") {
        i += 2;
    }
    if !(word(i, "function") || word(i, "procedure") || word(i, "aggregate")) {
        return None;
    }
    i += 1;
    // `schema.name`: the name is the last part.
    if words.get(i + 1).is_some_and(|(_, t)| *t == ".") {
        i += 2;
    }
    words
        .get(i)
        .map(|(_, t)| unquote(t).to_lowercase().replace('"', ""))
        .filter(|n| !n.is_empty())
}

/// `sql` with each call of one of `names` (`touch(`, not `x.touch(`) made a call of the
/// temporary schema's (`pg_temp.touch(`): PostgreSQL never looks for a function there unless
/// told, and the models' functions are built there.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn temp_calls(sql: &str, names: &[String]) -> String {
    use crate::sql::lex::{tokens, Kind};
    if names.is_empty() {
        return sql.to_string();
    }
    let toks: Vec<_> = tokens(sql, crate::dialect::Dialect::Postgres).collect();
    let mut out = String::with_capacity(sql.len() + 16);
    for (i, t) in toks.iter().enumerate() {
        let text = t.text(sql);
        let name = match t.kind {
            Kind::Word => Some(text.to_lowercase()),
            Kind::QuotedIdent => Some(unquote(text)),
            _ => None,
        };
        // Called (`touch(`), or named as an aggregate's state or final function (`SFUNC = f`).
        let prev = toks[..i]
            .iter()
            .rev()
            .find(|p| p.kind != Kind::Space)
            .map(|p| p.text(sql));
        let called = name.is_some_and(|n| names.contains(&n))
            && (toks.get(i + 1).is_some_and(|n| n.text(sql) == "(") || prev == Some("="))
            && prev != Some(".");
        if called {
            out.push_str("pg_temp.");
        }
        out.push_str(text);
    }
    out
}

/// An index's key entries in canonical form (see [`crate::sql::entry`]): `keys` as
/// `pg_get_indexdef(index, k, true)` deparses each (the target alone), followed by the ordering
/// that `definition` — the whole `pg_get_indexdef(index, 0, true)` — writes after it
/// (`COLLATE`, `DESC`, `NULLS …`; PostgreSQL writes only what is not the default). Should the
/// definition not read as expected, the targets alone.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn index_entries(definition: &str, keys: &[String]) -> Vec<String> {
    use crate::dialect::Dialect::Postgres;
    use crate::sql::entry::{list_parts, postgres_options};
    use crate::sql::{balanced, blank_out};
    let code = blank_out(definition, Postgres);
    let parts = code
        .find(" USING ")
        .and_then(|at| code[at..].find('(').map(|i| at + i))
        .map(|open| list_parts(balanced(definition, open, Postgres).0, Postgres))
        .unwrap_or_default();
    keys.iter()
        .enumerate()
        .map(|(k, key)| {
            let options = parts
                .get(k)
                .and_then(|part| part.strip_prefix(key.as_str()))
                .map(postgres_options)
                .unwrap_or_default();
            format!("{}{options}", unquote(key))
        })
        .collect()
}

/// A one-dimensional array in PostgreSQL's text output (`{a,"b c","d\"e"}`), as its elements;
/// `NULL` elements are left out. What the simple-query protocol hands over for `text[]`.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn parse_text_array(text: &str) -> Vec<String> {
    parse_text_array_with_nulls(text)
        .into_iter()
        .flatten()
        .collect()
}

/// [`parse_text_array`], keeping each `NULL` element (unquoted `NULL`) in its place.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn parse_text_array_with_nulls(text: &str) -> Vec<Option<String>> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or("");
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    while chars.peek().is_some() {
        let mut element = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => element.extend(chars.next()),
                    '"' => break,
                    c => element.push(c),
                }
            }
            // Up to the separator.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            out.push(Some(element));
        } else {
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
                element.push(c);
            }
            out.push((element != "NULL").then_some(element));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse_text_array, routine_name, temp_calls, unqualify};

    #[test]
    fn routines_are_named_and_their_calls_made_temporary() {
        assert_eq!(
            routine_name("CREATE OR REPLACE FUNCTION public.\"Touch\"() RETURNS trigger"),
            Some("touch".to_string())
        );
        assert_eq!(
            routine_name("CREATE PROCEDURE p() AS $$ $$").as_deref(),
            Some("p")
        );
        assert_eq!(routine_name("CREATE TABLE f (x int)"), None);
        let names = ["touch".to_string()];
        assert_eq!(
            temp_calls(
                "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION touch()",
                &names
            ),
            "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION pg_temp.touch()"
        );
        assert_eq!(
            temp_calls("SELECT s.touch(), touch, 'touch()'", &names),
            "SELECT s.touch(), touch, 'touch()'"
        );
    }

    #[test]
    fn unqualify_drops_the_schema_of_names_only() {
        assert_eq!(
            unqualify(
                "SELECT public.t.x, \"public\".\"T\".y FROM public.t, other.u WHERE s = 'public.t'",
                "public"
            ),
            "SELECT t.x, \"T\".y FROM t, other.u WHERE s = 'public.t'"
        );
        assert_eq!(
            unqualify("SELECT Public.t.x FROM app.public", "public"),
            "SELECT t.x FROM app.public"
        );
    }

    #[test]
    fn index_entries_take_their_ordering_from_the_definition() {
        let def = "CREATE INDEX i ON t USING btree (a COLLATE \"C\" DESC, \"B c\" NULLS FIRST, \
                   lower(a) DESC NULLS LAST, (a || ', DESC'::text) text_pattern_ops) INCLUDE (b) \
                   WHERE a <> 'x'";
        let keys = ["a", "\"B c\"", "lower(a)", "(a || ', DESC'::text)"].map(String::from);
        assert_eq!(
            super::index_entries(def, &keys),
            [
                "a COLLATE \"C\" DESC",
                "B c NULLS FIRST",
                "lower(a) DESC NULLS LAST",
                "(a || ', DESC'::text)"
            ]
        );
        // A definition that does not read as expected: the targets alone.
        assert_eq!(super::index_entries("", &keys[..1]), ["a"]);
        assert_eq!(
            super::index_entries(
                "CREATE INDEX \"x USING (\" ON t USING btree (b DESC)",
                &keys[..1]
            ),
            ["a"]
        );
    }

    #[test]
    fn text_arrays_parse_as_postgres_prints_them() {
        assert_eq!(parse_text_array("{}"), Vec::<String>::new());
        assert_eq!(parse_text_array("{a,b}"), ["a", "b"]);
        assert_eq!(
            parse_text_array(r#"{"a b","c,d","e\"f","g\\h",NULL,"NULL",café}"#),
            ["a b", "c,d", "e\"f", "g\\h", "NULL", "café"]
        );
        assert_eq!(
            parse_text_array(r#"{"lower((name)::text)",x}"#),
            ["lower((name)::text)", "x"]
        );
        assert_eq!(
            super::parse_text_array_with_nulls(r#"{NULL,"NULL",a}"#),
            [None, Some("NULL".to_string()), Some("a".to_string())]
        );
    }
}
