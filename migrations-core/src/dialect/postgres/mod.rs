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

/// A one-dimensional array in PostgreSQL's text output (`{a,"b c","d\"e"}`), as its elements;
/// `NULL` elements are left out. What the simple-query protocol hands over for `text[]`.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn parse_text_array(text: &str) -> Vec<String> {
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
            out.push(element);
        } else {
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
                element.push(c);
            }
            if element != "NULL" {
                out.push(element);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_text_array;

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
    }
}
