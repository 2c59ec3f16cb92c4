//! The crate's one SQL lexer: where a string literal, a quoted identifier, a dollar-quoted body
//! or a comment starts and ends, in SQLite and in PostgreSQL. The statement splitter, the
//! expression normaliser and the readers of SQLite's schema text all go through it.
//!
//! Every token boundary it reports is a `char` boundary of the text, whatever the text holds
//! (multi-byte characters, unterminated strings or comments), so slicing at them cannot panic.
//!
//! # Example
//!
//! ```
//! use migrations_core::{revision::Dialect, sql};
//!
//! // A `;` in a quoted identifier, a comment or a dollar quote does not end a statement.
//! let text = "CREATE TABLE \"a;b\" (x INT); /* ; */ SELECT $q$;$q$; SELECT 'é;'";
//! assert_eq!(sql::split(text, Dialect::Postgres, 1).len(), 3);
//! ```

use std::ops::Range;

use crate::dialect::Dialect;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of ASCII whitespace.
    Space,
    /// `-- …` up to (not including) the end of the line.
    LineComment,
    /// `/* … */`: nested on PostgreSQL, not on SQLite.
    BlockComment,
    /// `'…'` (quotes doubled inside), `E'…'` (PostgreSQL: backslash escapes too), and on
    /// PostgreSQL `$tag$…$tag$`.
    String,
    /// `"…"` (quotes doubled inside), and on SQLite `` `…` `` and `[…]`.
    QuotedIdent,
    /// A run of ASCII letters, digits, `_` and non-ASCII characters: a keyword, a plain
    /// identifier or a number.
    Word,
    /// Any other character, alone; on PostgreSQL also a `$1` parameter.
    Other,
}

/// One token: its kind and where it lies in the text. Unterminated strings, identifiers and
/// comments run to the end of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just after the last character.
    pub end: usize,
    /// For a string or quoted identifier, the part between its delimiters (as written, quotes
    /// still doubled); empty, at `end`, for other tokens.
    pub body: Range<usize>,
}

impl Token {
    fn plain(kind: Kind, start: usize, end: usize) -> Token {
        Token {
            kind,
            start,
            end,
            body: end..end,
        }
    }

    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the byte at `i` is one [`blank_out`] replaces: all of a comment, the body of a
    /// string or quoted identifier.
    fn blanks(&self, i: usize) -> bool {
        match self.kind {
            Kind::LineComment | Kind::BlockComment => (self.start..self.end).contains(&i),
            Kind::String | Kind::QuotedIdent => self.body.contains(&i),
            _ => false,
        }
    }
}

/// Whether `b` continues a word: ASCII letters and digits, `_`, and any byte of a non-ASCII
/// character.
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The tokens of `text`, in order, covering all of it.
pub(crate) fn tokens(text: &str, dialect: Dialect) -> Tokens<'_> {
    tokens_from(text, 0, dialect)
}

/// The tokens of `text` from byte `start` on, which should be outside any string, identifier
/// or comment (a `start` inside a character moves on to the next character).
pub(crate) fn tokens_from(text: &str, start: usize, dialect: Dialect) -> Tokens<'_> {
    let mut pos = start.min(text.len());
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    Tokens {
        bytes: text.as_bytes(),
        pos,
        dialect,
    }
}

/// The iterator of [`tokens`].
pub(crate) struct Tokens<'a> {
    bytes: &'a [u8],
    pos: usize,
    dialect: Dialect,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let token = next_token(self.bytes, self.pos, self.dialect);
        debug_assert!(token.end > self.pos);
        self.pos = token.end;
        Some(token)
    }
}

/// The token starting at `i` (< `b.len()`).
fn next_token(b: &[u8], i: usize, dialect: Dialect) -> Token {
    let c = b[i];
    let next = b.get(i + 1).copied();
    match c {
        c if c.is_ascii_whitespace() => {
            let end = b[i..]
                .iter()
                .position(|x| !x.is_ascii_whitespace())
                .map_or(b.len(), |n| i + n);
            Token::plain(Kind::Space, i, end)
        }
        b'-' if next == Some(b'-') => {
            let end = b[i..]
                .iter()
                .position(|&x| x == b'\n')
                .map_or(b.len(), |n| i + n);
            Token::plain(Kind::LineComment, i, end)
        }
        b'/' if next == Some(b'*') => {
            Token::plain(Kind::BlockComment, i, block_comment_end(b, i, dialect))
        }
        b'\'' => quoted(b, i, Kind::String, false),
        b'"' => quoted(b, i, Kind::QuotedIdent, false),
        b'`' | b'[' if dialect == Dialect::Sqlite => quoted(b, i, Kind::QuotedIdent, false),
        b'$' if dialect == Dialect::Postgres => dollar(b, i),
        c if is_word_byte(c) => {
            let end = b[i..]
                .iter()
                .position(|&x| !is_word_byte(x))
                .map_or(b.len(), |n| i + n);
            // E'…' is one string: with backslash escapes on PostgreSQL.
            if end == i + 1 && matches!(c, b'E' | b'e') && next == Some(b'\'') {
                let mut string = quoted(b, i + 1, Kind::String, dialect == Dialect::Postgres);
                string.start = i;
                return string;
            }
            Token::plain(Kind::Word, i, end)
        }
        _ => Token::plain(Kind::Other, i, i + 1),
    }
}

/// The end of the `/*` comment at `i`: PostgreSQL nests them, SQLite ends at the first `*/`.
fn block_comment_end(b: &[u8], i: usize, dialect: Dialect) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        let next = b.get(j + 1).copied();
        if b[j] == b'/' && next == Some(b'*') {
            depth += 1;
            if dialect == Dialect::Sqlite {
                depth = 1;
            }
            j += 2;
        } else if b[j] == b'*' && next == Some(b'/') {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    b.len()
}

/// The string or quoted identifier whose opening delimiter (`'`, `"`, `` ` `` or `[`) is at
/// `open`: a doubled closing delimiter stands for itself (not in `[…]`), and with `backslash`
/// a `\` escapes the next character.
pub(crate) fn quoted(b: &[u8], open: usize, kind: Kind, backslash: bool) -> Token {
    let close = match b.get(open) {
        Some(b'[') => b']',
        Some(&c) => c,
        None => return Token::plain(kind, open, open),
    };
    let body_start = open + 1;
    let mut j = body_start;
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == close {
            if close != b']' && b.get(j + 1) == Some(&close) {
                j += 2;
                continue;
            }
            return Token {
                kind,
                start: open,
                end: j + 1,
                body: body_start..j,
            };
        }
        j += 1;
    }
    Token {
        kind,
        start: open,
        end: b.len(),
        body: body_start..b.len(),
    }
}

/// PostgreSQL's `$tag$…$tag$` at `i`, or a `$1` parameter (or a lone `$`).
fn dollar(b: &[u8], i: usize) -> Token {
    let tag_end = b[i + 1..]
        .iter()
        .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_'))
        .map_or(b.len(), |n| i + 1 + n);
    let starts_with_digit = b.get(i + 1).is_some_and(u8::is_ascii_digit) && tag_end > i + 1;
    if b.get(tag_end) != Some(&b'$') || starts_with_digit {
        return Token::plain(Kind::Other, i, tag_end.max(i + 1));
    }
    let tag = &b[i..=tag_end];
    let body_start = tag_end + 1;
    let mut k = body_start;
    while k + tag.len() <= b.len() {
        if &b[k..k + tag.len()] == tag {
            return Token {
                kind: Kind::String,
                start: i,
                end: k + tag.len(),
                body: body_start..k,
            };
        }
        k += 1;
    }
    Token {
        kind: Kind::String,
        start: i,
        end: b.len(),
        body: body_start..b.len(),
    }
}

/// `text` with comments and the insides of string literals and quoted identifiers replaced by
/// spaces, one per byte (so offsets stay the same and the result is still valid UTF-8); quote
/// delimiters are kept. Keywords and parentheses can then be searched for without false hits.
pub(crate) fn blank_out(text: &str, dialect: Dialect) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tokens = tokens(text, dialect);
    let mut current = tokens.next();
    for (i, ch) in text.char_indices() {
        while current.as_ref().is_some_and(|t| t.end <= i) {
            current = tokens.next();
        }
        if current.as_ref().is_some_and(|t| t.blanks(i)) {
            out.extend(std::iter::repeat_n(' ', ch.len_utf8()));
        } else {
            out.push(ch);
        }
    }
    out
}

/// The text inside the parenthesis opening at byte `open` of `text`, up to its matching `)`
/// (parentheses in strings, quoted identifiers and comments do not count), and the offset after
/// that `)`; without one, the rest of the text and its length.
pub(crate) fn balanced(text: &str, open: usize, dialect: Dialect) -> (&str, usize) {
    let mut depth = 0i32;
    for t in tokens_from(text, open, dialect) {
        if t.kind != Kind::Other {
            continue;
        }
        match t.text(text) {
            "(" => depth += 1,
            ")" => {
                depth -= 1;
                if depth == 0 {
                    return (text.get(open + 1..t.start).unwrap_or(""), t.end);
                }
            }
            _ => {}
        }
    }
    (text.get(open + 1..).unwrap_or(""), text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::{Postgres, Sqlite};

    /// The tokens of `input` as `(kind, text)`.
    fn lexed(input: &str, dialect: Dialect) -> Vec<(Kind, &str)> {
        tokens(input, dialect)
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, t.text(input)))
            .collect()
    }

    #[test]
    fn tokens_cover_the_text_at_char_boundaries() {
        let inputs = [
            "SELECT 'a''b', \"c\"\"d\", [e]], `f``g` -- h\n/* i /* j */ k */ $$l$$ E'm\\'n'",
            "'unterminated é",
            "\"unterminated 日本",
            "[unterminated 🦀",
            "/* unterminated ☃",
            "-- comment ü",
            "$tag$ unterminated ñ",
            "E'\\",
            "E'\\é",
            "x$",
            "$1é",
            "é'ü'\"ö\"",
            "",
        ];
        for input in inputs {
            for dialect in [Sqlite, Postgres] {
                let mut at = 0;
                for t in tokens(input, dialect) {
                    assert_eq!(t.start, at, "{input:?} {dialect:?}");
                    assert!(t.end > t.start && t.end <= input.len(), "{input:?}");
                    for edge in [t.start, t.end, t.body.start, t.body.end] {
                        assert!(input.is_char_boundary(edge), "{input:?} {dialect:?} {t:?}");
                    }
                    at = t.end;
                }
                assert_eq!(at, input.len(), "{input:?} {dialect:?}");
            }
        }
    }

    #[test]
    fn token_kinds() {
        use Kind::*;
        fn case(input: &str, dialect: Dialect, expected: &[(Kind, &str)]) {
            assert_eq!(lexed(input, dialect), expected, "{input:?} {dialect:?}");
        }
        case("'it''s'", Sqlite, &[(String, "'it''s'")]);
        case("'a' 'b'", Sqlite, &[(String, "'a'"), (String, "'b'")]);
        case("\"a\"\"b\"", Sqlite, &[(QuotedIdent, "\"a\"\"b\"")]);
        case("\"it's\"", Sqlite, &[(QuotedIdent, "\"it's\"")]);
        case("'say \"hi\"'", Sqlite, &[(String, "'say \"hi\"'")]);
        case(
            "[a]]b]",
            Sqlite,
            &[
                (QuotedIdent, "[a]"),
                (Other, "]"),
                (Word, "b"),
                (Other, "]"),
            ],
        );
        case("[a'b]", Sqlite, &[(QuotedIdent, "[a'b]")]);
        case("`a``b`", Sqlite, &[(QuotedIdent, "`a``b`")]);
        case("[a]", Postgres, &[(Other, "["), (Word, "a"), (Other, "]")]);
        case("`a`", Postgres, &[(Other, "`"), (Word, "a"), (Other, "`")]);
        case(
            "-- a 'b\nc",
            Sqlite,
            &[(LineComment, "-- a 'b"), (Word, "c")],
        );
        case(
            "/* a /* b */ c */",
            Sqlite,
            &[
                (BlockComment, "/* a /* b */"),
                (Word, "c"),
                (Other, "*"),
                (Other, "/"),
            ],
        );
        case(
            "/* a /* b */ c */",
            Postgres,
            &[(BlockComment, "/* a /* b */ c */")],
        );
        case("/*/ x */", Sqlite, &[(BlockComment, "/*/ x */")]);
        case(
            "/* 'x */ y",
            Sqlite,
            &[(BlockComment, "/* 'x */"), (Word, "y")],
        );
        case("E'a\\'b'", Postgres, &[(String, "E'a\\'b'")]);
        case(
            "E'a\\'b'",
            Sqlite,
            &[(String, "E'a\\'"), (Word, "b"), (String, "'")],
        );
        case(
            "WHERE'a\\'",
            Postgres,
            &[(Word, "WHERE"), (String, "'a\\'")],
        );
        case(
            "$a$ $b$ ' $a$x",
            Postgres,
            &[(String, "$a$ $b$ ' $a$"), (Word, "x")],
        );
        case("$1 $", Postgres, &[(Other, "$1"), (Other, "$")]);
        case("$a$", Sqlite, &[(Other, "$"), (Word, "a"), (Other, "$")]);
        case(
            "café naïve 日本 🦀",
            Sqlite,
            &[
                (Word, "café"),
                (Word, "naïve"),
                (Word, "日本"),
                (Word, "🦀"),
            ],
        );
        case(
            "a.b::c",
            Postgres,
            &[
                (Word, "a"),
                (Other, "."),
                (Word, "b"),
                (Other, ":"),
                (Other, ":"),
                (Word, "c"),
            ],
        );
    }

    #[test]
    fn blank_out_cases() {
        fn case(input: &str, expected: &str) {
            let out = blank_out(input, Sqlite);
            assert_eq!(out, expected, "{input:?}");
            assert_eq!(out.len(), input.len(), "{input:?}");
        }
        case("SELECT 1", "SELECT 1");
        case("DEFAULT 'it''s'", "DEFAULT '     '");
        case("'CHECK (x)'", "'         '");
        case("\"a (\" [b )] `c ,`", "\"   \" [   ] `   `");
        case("\"it's\" CHECK (x)", "\"    \" CHECK (x)");
        case("\"a\"\"b\" x", "\"    \" x");
        case("a -- CHECK (b)\nc", "a             \nc");
        case("a /* WHERE b */ c", "a               c");
        // SQLite does not nest comments: the second `*/` is code.
        case("a /* x /* y */ z */", "a              z */");
        case("a/*/b*/c", "a      c");
        case("'unterminated CHECK (", "'                    ");
        case("/* unterminated WHERE", "                     ");
        case("-- to the end", "             ");
        case("\"unterminated", "\"            ");
        case("'café' \"naïve\" 日本", "'     ' \"      \" 日本");
        case("x -- 🦀 emoji\ny", "x              \ny");
        case("/* 日本 */é", "            é");
    }

    #[test]
    fn balanced_cases() {
        fn case(input: &str, expected: (&str, usize)) {
            let open = input.find('(').expect("a ( in the case");
            assert_eq!(balanced(input, open, Sqlite), expected, "{input:?}");
        }
        case("(a)", ("a", 3));
        case("x (a (b) c) d", ("a (b) c", 11));
        case("(')' || \")\")", ("')' || \")\"", 12));
        case("(a /* ) */ -- )\n)", ("a /* ) */ -- )\n", 17));
        case("([)] `)`)", ("[)] `)`", 9));
        case("('it''s)' )", ("'it''s)' ", 11));
        case("(a", ("a", 2));
        case("(a, 'b)", ("a, 'b)", 7));
        case("(é, 'ü)', \"日本\") 🦀", ("é, 'ü)', \"日本\"", 21));
        case("(🦀", ("🦀", 5));
        // Not at a parenthesis, or past the end: no panic.
        assert_eq!(balanced("é(", 1, Sqlite), ("(", 3));
        assert_eq!(balanced("(", 5, Sqlite), ("", 1));
    }
}
