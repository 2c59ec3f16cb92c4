//! Index entries: what an entry indexes (a column or an expression) and how it orders it
//! (`COLLATE`, `ASC`/`DESC`, `NULLS FIRST`/`LAST`), split apart so that each dialect can quote
//! the column, compare the order and render the entry back.
//!
//! ```text
//! lower(email) COLLATE NOCASE DESC   →  target `lower(email)`, collation NOCASE, descending
//! created_at DESC NULLS LAST         →  target `created_at`, descending, nulls last
//! ```
//!
//! The canonical form of an entry, which introspection writes on both dialects and the drift
//! check compares, is `<target>[ COLLATE <name>][ DESC][ NULLS FIRST|NULLS LAST]`: `ASC` is
//! the default and never written.

use super::lex::{tokens, Kind};
use crate::dialect::Dialect;

/// Where an entry puts its nulls, when it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nulls {
    First,
    Last,
}

/// An index entry split into its target and its ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The column name or the expression, as written (trimmed).
    pub target: &'a str,
    /// `COLLATE <name>`: the name as written (quoted if it was).
    pub collation: Option<&'a str>,
    /// `DESC`.
    pub desc: bool,
    /// `NULLS FIRST` / `NULLS LAST`, when written.
    pub nulls: Option<Nulls>,
}

impl Entry<'_> {
    /// The ordering as written after the target: ` COLLATE x DESC NULLS LAST`, or empty.
    pub fn options(&self) -> String {
        let mut s = String::new();
        if let Some(c) = self.collation {
            s.push_str(" COLLATE ");
            s.push_str(c);
        }
        if self.desc {
            s.push_str(" DESC");
        }
        match self.nulls {
            Some(Nulls::First) => s.push_str(" NULLS FIRST"),
            Some(Nulls::Last) => s.push_str(" NULLS LAST"),
            None => {}
        }
        s
    }

    /// Whether its `NULLS` clause says what the direction implies on PostgreSQL (nulls sort
    /// as larger than any value: last ascending, first descending), so it can be left out.
    pub fn nulls_as_postgres_default(&self) -> bool {
        match self.nulls {
            None => true,
            Some(Nulls::First) => self.desc,
            Some(Nulls::Last) => !self.desc,
        }
    }
}

/// The words and other tokens of `text` at parenthesis depth 0, comments and spaces left out,
/// with their byte ranges.
fn top_level(text: &str, dialect: Dialect) -> Vec<(Kind, usize, usize)> {
    let mut depth = 0i32;
    let mut out = Vec::new();
    for t in tokens(text, dialect) {
        match t.kind {
            Kind::Space | Kind::LineComment | Kind::BlockComment => continue,
            Kind::Other if t.text(text) == "(" => depth += 1,
            Kind::Other if t.text(text) == ")" => depth -= 1,
            _ if depth == 0 => out.push((t.kind, t.start, t.end)),
            _ => {}
        }
    }
    out
}

/// Splits an index entry as a user or a database wrote it: the ordering words are the longest
/// run at the end (outside parentheses, strings and quoted names) that reads
/// `[COLLATE name] [ASC|DESC] [NULLS FIRST|LAST]`.
pub(crate) fn parse(entry: &str, dialect: Dialect) -> Entry<'_> {
    let entry = entry.trim();
    let toks = top_level(entry, dialect);
    let word = |i: usize| -> Option<&str> {
        let (kind, s, e) = *toks.get(i)?;
        (kind == Kind::Word).then(|| &entry[s..e])
    };
    let is = |i: usize, w: &str| word(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
    let mut end = toks.len();
    let mut parsed = Entry {
        target: entry,
        collation: None,
        desc: false,
        nulls: None,
    };
    // Read from the end: NULLS …, then ASC/DESC, then COLLATE name. Each needs a target left.
    if end >= 3 && is(end - 2, "NULLS") && (is(end - 1, "FIRST") || is(end - 1, "LAST")) {
        parsed.nulls = Some(if is(end - 1, "FIRST") {
            Nulls::First
        } else {
            Nulls::Last
        });
        end -= 2;
    }
    if end >= 2 && (is(end - 1, "ASC") || is(end - 1, "DESC")) {
        parsed.desc = is(end - 1, "DESC");
        end -= 1;
    }
    if end >= 3
        && is(end - 2, "COLLATE")
        && matches!(toks[end - 1].0, Kind::Word | Kind::QuotedIdent)
    {
        let (_, s, e) = toks[end - 1];
        parsed.collation = Some(&entry[s..e]);
        end -= 2;
    }
    if end < toks.len() {
        parsed.target = entry[..toks[end].1].trim_end();
    }
    parsed
}

/// The ordering PostgreSQL's `pg_get_indexdef` writes after an entry's target (`suffix`:
/// ` COLLATE "C" text_pattern_ops DESC NULLS LAST`), in canonical form; an operator class is
/// left out (the models do not declare one yet).
pub(crate) fn postgres_options(suffix: &str) -> String {
    let toks = top_level(suffix, Dialect::Postgres);
    let text = |i: usize| toks.get(i).map(|&(_, s, e)| &suffix[s..e]);
    let is = |i: usize, w: &str| text(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
    let mut entry = Entry {
        target: "",
        collation: None,
        desc: false,
        nulls: None,
    };
    let mut i = 0;
    while i < toks.len() {
        if is(i, "COLLATE") {
            entry.collation = text(i + 1);
            i += 1;
        } else if is(i, "DESC") {
            entry.desc = true;
        } else if is(i, "NULLS") {
            entry.nulls = if is(i + 1, "FIRST") {
                Some(Nulls::First)
            } else {
                Some(Nulls::Last)
            };
            i += 1;
        }
        i += 1;
    }
    entry.options()
}

/// The parts of a comma-separated list (the inside of `( … )`), split at commas outside
/// parentheses, strings, quoted names and comments; each part trimmed.
pub(crate) fn list_parts(inner: &str, dialect: Dialect) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for t in tokens(inner, dialect) {
        if t.kind != Kind::Other {
            continue;
        }
        match t.text(inner) {
            "(" => depth += 1,
            ")" => depth -= 1,
            "," if depth == 0 => {
                parts.push(inner[start..t.start].trim());
                start = t.end;
            }
            _ => {}
        }
    }
    parts.push(inner[start..].trim());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(e: &str) -> (&str, String) {
        let p = parse(e, Dialect::Postgres);
        (p.target, p.options())
    }

    #[test]
    fn ordering_words_are_split_from_the_target() {
        assert_eq!(split("a"), ("a", String::new()));
        assert_eq!(split("a DESC"), ("a", " DESC".into()));
        assert_eq!(split("a asc"), ("a", String::new()));
        assert_eq!(
            split("a desc nulls first"),
            ("a", " DESC NULLS FIRST".into())
        );
        assert_eq!(split("a NULLS LAST"), ("a", " NULLS LAST".into()));
        assert_eq!(
            split("lower(email) COLLATE \"C\" DESC"),
            ("lower(email)", " COLLATE \"C\" DESC".into())
        );
        assert_eq!(
            split("name collate nocase"),
            ("name", " COLLATE nocase".into())
        );
    }

    #[test]
    fn words_inside_the_target_stay_there() {
        // Inside parentheses, strings or quoted names: part of the target.
        assert_eq!(split("(a DESC)"), ("(a DESC)", String::new()));
        assert_eq!(
            split("coalesce(a, 'DESC')"),
            ("coalesce(a, 'DESC')", String::new())
        );
        assert_eq!(split("\"DESC\""), ("\"DESC\"", String::new()));
        // A column named like an ordering word is a target, not an ordering.
        assert_eq!(split("desc"), ("desc", String::new()));
        assert_eq!(split("desc DESC"), ("desc", " DESC".into()));
        assert_eq!(split("nulls first"), ("nulls first", String::new()));
        // Non-ASCII names slice at character boundaries.
        assert_eq!(split("café DESC"), ("café", " DESC".into()));
        assert_eq!(
            split("\"名前\" COLLATE \"C\""),
            ("\"名前\"", " COLLATE \"C\"".into())
        );
    }

    #[test]
    fn postgres_defaults_for_nulls_are_known() {
        let p = |e| parse(e, Dialect::Postgres).nulls_as_postgres_default();
        assert!(p("a"));
        assert!(p("a NULLS LAST"));
        assert!(p("a DESC NULLS FIRST"));
        assert!(!p("a NULLS FIRST"));
        assert!(!p("a DESC NULLS LAST"));
    }

    #[test]
    fn postgres_deparsed_options_drop_the_operator_class() {
        assert_eq!(postgres_options(""), "");
        assert_eq!(
            postgres_options(" COLLATE \"C\" text_pattern_ops DESC NULLS LAST"),
            " COLLATE \"C\" DESC NULLS LAST"
        );
        assert_eq!(postgres_options(" NULLS FIRST"), " NULLS FIRST");
    }

    #[test]
    fn lists_split_at_top_level_commas() {
        assert_eq!(
            list_parts("a, lower(b, ','), \"c,d\" DESC", Dialect::Sqlite),
            ["a", "lower(b, ',')", "\"c,d\" DESC"]
        );
    }
}
