//! The revision file parser and its checks: every problem of a file at once, each with its line
//! and a fix.
//!
//! # Example
//!
//! ```
//! use migrations_core::revision::parse;
//!
//! let source = "-- Revision: 3f9a1c2e7b10\n-- Mesage: typo\n-- +upgrade\nCREATE TABLE t (x INT);\n";
//! let problems = parse("versions/3f9a1c2e7b10_t.sql", source).unwrap_err();
//! let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
//! assert!(text.iter().any(|p| p.contains(":2: unknown header `Mesage`")), "{text:?}");
//! assert!(text.iter().any(|p| p.contains("no downgrade")), "{text:?}");
//! ```

use super::{
    checksum, file_name, id_from_file_name, is_valid_id, normalize, Dialect, Direction, Revision,
    Section,
};
use crate::error::Problem;

const HEADERS: [&str; 9] = [
    "Revision",
    "Revises",
    "Message",
    "Created",
    "Transaction",
    "Foreign-Keys",
    "Irreversible",
    "Lock-Timeout",
    "Statement-Timeout",
];

/// A duration as PostgreSQL writes its timeouts: a whole number and a unit, `ms`, `s`, `min`
/// or `h` (`500ms`, `5s`, `10min`); `0` is no limit.
pub(crate) fn parse_duration(value: &str) -> Option<std::time::Duration> {
    let value = value.trim();
    if value == "0" {
        return Some(std::time::Duration::ZERO);
    }
    let split = value.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = value.split_at(split);
    let n: u64 = number.parse().ok()?;
    let ms = match unit.trim() {
        "ms" => n,
        "s" => n.checked_mul(1_000)?,
        "min" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        _ => return None,
    };
    // PostgreSQL takes at most i32::MAX milliseconds.
    (ms <= i32::MAX as u64).then(|| std::time::Duration::from_millis(ms))
}

/// Parses one revision file. `path` is the file's path as it should appear in messages; its
/// file name must be `<id>_<slug>.sql` with the id of the `Revision:` header.
///
/// # Failure
///
/// Returns every problem found in the file, each with its line and a fix.
pub fn parse(path: &str, source: &str) -> Result<Revision, Vec<Problem>> {
    parse_inner(path, source, None)
}

/// [`parse`] for a file the build step already validated and embedded with its checksum: the
/// checksum is taken as given and the per-dialect section checks are skipped, so that a boot
/// with many revisions stays cheap.
pub fn parse_embedded(path: &str, source: &str, checksum: &str) -> Result<Revision, Vec<Problem>> {
    parse_inner(path, source, Some(checksum))
}

/// Where the line after `line` (a slice of `text`, as [`str::lines`] gives it, without its
/// `\n` or `\r\n`) starts in `text`: past that `\n`, or the end of `text`.
fn after_line(text: &str, line: &str) -> usize {
    let end = line.as_ptr() as usize - text.as_ptr() as usize + line.len();
    match text.as_bytes()[end..].iter().position(|&b| b == b'\n') {
        Some(at) => end + at + 1,
        None => text.len(),
    }
}

/// A section's SQL from the lines of the file it spans: each line ending in `\n`, as
/// [`str::lines`] reads them (a `\r` before a `\n` is not part of the line).
fn section_sql(lines: &str) -> String {
    if lines.is_empty() || (lines.ends_with('\n') && !lines.contains('\r')) {
        return lines.to_string();
    }
    let mut sql = String::with_capacity(lines.len() + 1);
    for line in lines.lines() {
        sql.push_str(line);
        sql.push('\n');
    }
    sql
}

/// What makes a file unfit to parse at all, before any line is read: a NUL byte (SQLite stops
/// reading a statement at one and silently drops the rest) or carriage returns without line
/// feeds (the whole file would be one line, quoted whole in every message).
fn unreadable(path: &str, text: &str) -> Option<Problem> {
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    if let Some(at) = text.find('\0') {
        return Some(Problem::new(
            path,
            line_of(at),
            "the file contains a NUL byte",
            "remove it (SQLite would silently ignore everything after it in the statement)",
        ));
    }
    // `\r` is one byte in UTF-8 and no other character's part: the bytes are enough.
    let bytes = text.as_bytes();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    if let Some((at, _)) = lone_cr {
        return Some(Problem::new(
            path,
            line_of(at),
            "the file has carriage returns without line feeds (old Mac line endings)",
            "save it with LF or CRLF line endings",
        ));
    }
    None
}

fn parse_inner(path: &str, source: &str, embedded: Option<&str>) -> Result<Revision, Vec<Problem>> {
    let text = normalize(source);
    if let Some(problem) = unreadable(path, &text) {
        return Err(vec![problem]);
    }
    let mut problems = Vec::new();
    let mut err = |line: usize, msg: String, hint: &str| {
        problems.push(Problem::new(path, line, msg, hint));
    };

    let mut id: Option<(String, usize)> = None;
    let mut revises: Option<(Vec<String>, usize)> = None;
    let mut message: Option<String> = None;
    let mut created = None;
    let mut transactional = true;
    let mut foreign_keys_off = false;
    let mut irreversible = None;
    let mut lock_timeout = None;
    let mut statement_timeout = None;
    let mut sections: Vec<Section> = Vec::new();
    // The section being read, and the bytes of `text` its lines span.
    let mut current: Option<(Section, std::ops::Range<usize>)> = None;
    let finish = |(mut section, lines): (Section, std::ops::Range<usize>)| {
        section.sql = section_sql(&text[lines]);
        section
    };
    let mut in_header = true;
    // After a marker that could not be read, its lines belong to no section.
    let mut skipping = false;
    let mut bad_marker = false;

    for (idx, raw) in text.lines().enumerate() {
        let n = idx + 1;
        let line = raw.trim();
        if let Some(marker) = line
            .strip_prefix("-- +")
            .or_else(|| line.strip_prefix("--+"))
        {
            in_header = false;
            if let Some(done) = current.take() {
                sections.push(finish(done));
            }
            skipping = true;
            let mut words = marker.split_whitespace();
            let kind = words.next().unwrap_or("");
            let direction = match kind {
                "upgrade" => Direction::Upgrade,
                "downgrade" => Direction::Downgrade,
                other => {
                    err(
                        n,
                        format!("unknown section marker `-- +{other}`"),
                        "write `-- +upgrade` or `-- +downgrade`, optionally followed by a dialect",
                    );
                    bad_marker = true;
                    continue;
                }
            };
            let dialect = match words.next() {
                None => None,
                Some(name) => match Dialect::from_name(name) {
                    Some(d) => Some(d),
                    None => {
                        err(
                            n,
                            format!("unknown dialect `{name}`"),
                            "the dialects are `sqlite` and `postgres`; leave it out to serve every dialect",
                        );
                        bad_marker = true;
                        continue;
                    }
                },
            };
            if let Some(extra) = words.next() {
                err(
                    n,
                    format!("unexpected `{extra}` after the section marker"),
                    "a marker is `-- +upgrade [dialect]` alone on its line",
                );
            }
            skipping = false;
            if let Some(prev) = sections
                .iter()
                .find(|s| s.direction == direction && s.dialect == dialect)
            {
                err(
                    n,
                    format!(
                        "second `-- +{}{}` section (the first is at line {})",
                        direction.name(),
                        dialect.map(|d| format!(" {d}")).unwrap_or_default(),
                        prev.line
                    ),
                    "merge the two sections into one",
                );
            }
            let next_line = after_line(&text, raw);
            current = Some((
                Section {
                    direction,
                    dialect,
                    sql: String::new(),
                    line: n,
                },
                next_line..next_line,
            ));
            continue;
        }
        if let Some((_, lines)) = current.as_mut() {
            lines.end = after_line(&text, raw);
            continue;
        }
        if skipping {
            continue;
        }
        // Header region: blank lines, comments and `-- Key: value`.
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix("--") else {
            err(
                n,
                "SQL before the first section".into(),
                "put statements under a `-- +upgrade` or `-- +downgrade` line",
            );
            in_header = false;
            continue;
        };
        if !in_header {
            continue;
        }
        let comment = comment.trim();
        let Some((key, value)) = comment.split_once(':') else {
            continue; // a free comment
        };
        let key = key.trim();
        let value = value.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
            continue; // a free comment that happens to contain a colon
        }
        match key {
            "Revision" => {
                if !is_valid_id(value) {
                    err(
                        n,
                        format!("revision id `{value}` is not 12 lowercase hex characters"),
                        "use an id like `3f9a1c2e7b10` (`db revision -m MSG` makes one)",
                    );
                }
                id = Some((value.to_string(), n));
            }
            "Revises" => {
                let ids: Vec<String> = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                for bad in ids.iter().filter(|i| !is_valid_id(i)) {
                    err(
                        n,
                        format!("`{bad}` in Revises is not a revision id"),
                        "list parent ids (12 lowercase hex characters) separated by commas",
                    );
                }
                if (ids.iter().enumerate()).any(|(i, id)| ids[..i].contains(id)) {
                    err(
                        n,
                        "Revises lists the same revision twice".into(),
                        "list each parent once",
                    );
                }
                revises = Some((ids, n));
            }
            "Message" => message = Some(value.to_string()),
            "Created" => created = Some(value.to_string()),
            "Transaction" => match value.to_ascii_lowercase().as_str() {
                "none" => transactional = false,
                "" | "default" => transactional = true,
                other => err(
                    n,
                    format!("unknown transaction mode `{other}`"),
                    "write `-- Transaction: none` to run the revision outside a transaction, or remove the line",
                ),
            },
            "Foreign-Keys" => match value.to_ascii_lowercase().as_str() {
                "off" => foreign_keys_off = true,
                "" | "default" | "on" => foreign_keys_off = false,
                other => err(
                    n,
                    format!("unknown foreign key mode `{other}`"),
                    "write `-- Foreign-Keys: off` to run the revision with SQLite foreign keys off (for a table rebuild), or remove the line",
                ),
            },
            "Lock-Timeout" | "Statement-Timeout" => match parse_duration(value) {
                Some(d) if key == "Lock-Timeout" => lock_timeout = Some(d),
                Some(d) => statement_timeout = Some(d),
                None => err(
                    n,
                    format!("`{key}: {value}` is not a duration"),
                    "write a whole number and a unit, `ms`, `s`, `min` or `h` (e.g. `-- Lock-Timeout: 5s`), or `0` for no limit",
                ),
            },
            "Irreversible" => {
                if value.is_empty() {
                    err(
                        n,
                        "`Irreversible:` without a reason".into(),
                        "say why the revision cannot be undone, e.g. `-- Irreversible: drops data`",
                    );
                }
                irreversible = Some(value.to_string());
            }
            other => {
                let suggestion = HEADERS
                    .iter()
                    .find(|h| h.eq_ignore_ascii_case(other) || close(h, other))
                    .map(|h| format!("did you mean `{h}`? "))
                    .unwrap_or_default();
                err(
                    n,
                    format!("unknown header `{other}`"),
                    &format!(
                        "{suggestion}the headers are {}; for a free comment, leave out the colon",
                        HEADERS.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(done) = current.take() {
        sections.push(finish(done));
    }

    let file = file_name(path);
    let (id, id_line) = match id {
        Some(found) => found,
        None => {
            err(
                1,
                "missing `-- Revision: <id>` header".into(),
                "start the file with `-- Revision: <12 hex characters>` matching its file name",
            );
            (String::new(), 1)
        }
    };
    match id_from_file_name(file) {
        Err(why) => err(
            0,
            format!("file {why}"),
            "name revision files `<revision>_<slug>.sql`, e.g. `3f9a1c2e7b10_add_users.sql`",
        ),
        Ok(file_id) if !id.is_empty() && file_id != id => err(
            id_line,
            format!("revision id `{id}` does not match the file name's `{file_id}`"),
            &format!("rename the file to `{id}_…sql` or fix the header"),
        ),
        Ok(_) => {}
    }
    let (revises, revises_line) = revises.unwrap_or((Vec::new(), id_line));
    if revises.contains(&id) && !id.is_empty() {
        err(
            revises_line,
            "revision revises itself".into(),
            "Revises names the parent revision(s), not this one",
        );
    }

    if sections.is_empty() && !bad_marker {
        err(
            0,
            "no `-- +upgrade` section".into(),
            "add `-- +upgrade` followed by the SQL, and `-- +downgrade` with its inverse",
        );
    }
    let rev = Revision {
        id,
        revises,
        message: message.unwrap_or_default(),
        created,
        transactional,
        foreign_keys_off,
        irreversible,
        lock_timeout,
        statement_timeout,
        file: path.to_string(),
        id_line,
        revises_line,
        sections,
        checksum: embedded.map_or_else(|| checksum(&text), str::to_string),
        source: text,
    };
    if !bad_marker && embedded.is_none() {
        check_sections(&rev, &mut err);
    }
    if problems.is_empty() {
        Ok(rev)
    } else {
        Err(problems)
    }
}

/// Every served dialect has an upgrade, and a downgrade unless the revision is irreversible.
/// A problem with a section that serves every dialect is reported once, not per dialect.
fn check_sections(rev: &Revision, err: &mut impl FnMut(usize, String, &str)) {
    if rev.sections.is_empty() {
        return;
    }
    let mut reported: Vec<(usize, String)> = Vec::new();
    let mut report = |line: usize, msg: String, hint: &str| {
        if !reported.contains(&(line, msg.clone())) {
            reported.push((line, msg.clone()));
            err(line, msg, hint);
        }
    };
    for dialect in rev.dialects() {
        let up = rev.upgrade(dialect);
        let down = rev.downgrade(dialect);
        // "for sqlite" only when the section (or its absence) is specific to the dialect.
        let for_dialect = |generic: bool| {
            if generic {
                String::new()
            } else {
                format!(" for {dialect}")
            }
        };
        match up {
            None => report(
                0,
                format!("no upgrade section serves {dialect}"),
                &format!("add `-- +upgrade {dialect}` (or a `-- +upgrade` for every dialect)"),
            ),
            Some(up) => {
                let up_empty = up.is_empty(dialect);
                let down_empty = down.is_none_or(|d| d.is_empty(dialect));
                let generic = match down {
                    Some(d) => d.dialect.is_none(),
                    None => !rev
                        .sections
                        .iter()
                        .any(|s| s.direction == Direction::Downgrade),
                };
                match (&rev.irreversible, down) {
                    (None, _) if down_empty && !up_empty => report(
                        down.map_or(0, |d| d.line),
                        format!(
                            "{} downgrade{}",
                            if down.is_some() { "empty" } else { "no" },
                            for_dialect(generic)
                        ),
                        "write the SQL that undoes the upgrade under `-- +downgrade`, or mark \
                         the revision `-- Irreversible: <reason>` in its header",
                    ),
                    (Some(_), Some(d)) if !d.is_empty(dialect) => report(
                        d.line,
                        "an `Irreversible` revision has a downgrade".into(),
                        "remove the `-- Irreversible:` header, or the downgrade",
                    ),
                    _ => {}
                }
                if dialect == Dialect::Postgres && rev.transactional {
                    for s in up.statements(dialect).iter().chain(
                        down.map(|d| d.statements(dialect))
                            .unwrap_or_default()
                            .iter(),
                    ) {
                        if s.sql
                            .split_whitespace()
                            .any(|w| w.eq_ignore_ascii_case("CONCURRENTLY"))
                        {
                            report(
                                s.line,
                                "`CONCURRENTLY` cannot run inside a transaction on PostgreSQL".into(),
                                "add `-- Transaction: none` to the header (the revision then runs statement by statement)",
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Whether two header names are one typo apart (a dropped, added or changed letter).
fn close(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    prefix + suffix + 1 >= a.len().max(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_read_from_the_header() {
        let src = "-- Revision: 3f9a1c2e7b10\n-- Lock-Timeout: 2s\n-- Statement-Timeout: 10min\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n";
        let rev = parse("3f9a1c2e7b10_x.sql", src).unwrap();
        assert_eq!(rev.lock_timeout, Some(std::time::Duration::from_secs(2)));
        assert_eq!(
            rev.statement_timeout,
            Some(std::time::Duration::from_secs(600))
        );
        for (value, ms) in [("500ms", 500), ("0", 0), ("1h", 3_600_000), ("3 s", 3_000)] {
            assert_eq!(
                parse_duration(value),
                Some(std::time::Duration::from_millis(ms)),
                "{value}"
            );
        }
        for value in ["", "5", "5 seconds", "-1s", "1.5s", "9999999h", "s"] {
            assert_eq!(parse_duration(value), None, "{value}");
        }
        let bad = src.replace("2s", "soon");
        let problems = parse("3f9a1c2e7b10_x.sql", &bad).unwrap_err();
        let text = format!("{problems:?}");
        assert!(
            text.contains("`Lock-Timeout: soon` is not a duration"),
            "{text}"
        );
        assert_eq!(problems[0].line, 2);
    }

    use super::super::tests::{GOOD, PATH};

    fn problems(path: &str, src: &str) -> Vec<String> {
        match parse(path, src) {
            Ok(_) => vec![],
            Err(p) => p.into_iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn a_sections_sql_is_its_lines_each_ending_in_a_line_feed() {
        // Read line by line, as the sections were before they were sliced from the file.
        let by_lines = |text: &str, marker: &str| -> String {
            let lines: Vec<&str> = text.lines().collect();
            let start = lines.iter().position(|l| l.trim() == marker).unwrap() + 1;
            lines[start..]
                .iter()
                .take_while(|l| !l.trim().starts_with("-- +"))
                .map(|l| format!("{l}\n"))
                .collect()
        };
        let head = "-- Revision: 3f9a1c2e7b10\n";
        for text in [
            "-- +upgrade\nSELECT 1;\n\n  SELECT 2;\n-- +downgrade\nSELECT 3;\n".to_string(),
            "-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 3;".to_string(),
            "-- +upgrade\n-- +downgrade\n".to_string(),
            "-- +upgrade\nSELECT 1;\n-- +downgrade".to_string(),
            "-- +upgrade\nSELECT 'a\r\r\nb';\n-- +downgrade\nSELECT 3;\n".to_string(),
            "-- +upgrade\nSELECT 'a\r\r\n-- +downgrade\nSELECT 3;\r\r\n".to_string(),
            "-- +upgrade\nSELECT 'é';\n-- +downgrade\n\nSELECT 3;\n\n".to_string(),
        ] {
            let text = format!("{head}{text}");
            // Embedded: empty sections are not checked here.
            let rev = parse_embedded("3f9a1c2e7b10_x.sql", &text, "0").unwrap();
            let normalized = crate::revision::normalize(&text);
            for (section, marker) in rev.sections.iter().zip(["-- +upgrade", "-- +downgrade"]) {
                assert_eq!(section.sql, by_lines(&normalized, marker), "{text:?}");
            }
        }
    }

    #[test]
    fn parses_a_good_file() {
        let rev = parse(PATH, GOOD).unwrap();
        assert_eq!(rev.id, "3f9a1c2e7b10");
        assert_eq!(rev.revises, vec!["8c1f0e2a9b3d"]);
        assert_eq!(rev.message, "add soft delete");
        assert!(rev.transactional);
        assert_eq!(rev.dialects(), Dialect::ALL.to_vec());
        let down = rev.downgrade(Dialect::Postgres).unwrap();
        assert_eq!(down.line, 8);
        assert_eq!(down.statements(Dialect::Postgres)[0].line, 9);
    }

    #[test]
    fn dialect_sections_fall_back_to_the_generic_one() {
        let src = "-- Revision: 3f9a1c2e7b10\n\n-- +upgrade sqlite\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n-- +upgrade\nCREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n-- +downgrade\nDROP TABLE t;\n";
        let rev = parse(PATH, src).unwrap();
        assert!(rev
            .upgrade(Dialect::Sqlite)
            .unwrap()
            .sql
            .contains("INTEGER PRIMARY KEY"));
        assert!(rev
            .upgrade(Dialect::Postgres)
            .unwrap()
            .sql
            .contains("IDENTITY"));
        assert_eq!(rev.downgrade(Dialect::Sqlite).unwrap().line, 7);
    }

    #[test]
    fn a_dialect_only_revision_serves_that_dialect() {
        let src = "-- Revision: 3f9a1c2e7b10\n-- +upgrade postgres\nCREATE EXTENSION x;\n-- +downgrade postgres\nDROP EXTENSION x;\n";
        assert_eq!(
            parse(PATH, src).unwrap().dialects(),
            vec![Dialect::Postgres]
        );
    }

    #[test]
    fn transaction_none_and_irreversible() {
        let src = "-- Revision: 3f9a1c2e7b10\n-- Transaction: none\n-- Irreversible: drops data\n-- +upgrade\nDROP TABLE t;\n";
        let rev = parse(PATH, src).unwrap();
        assert!(!rev.transactional);
        assert_eq!(rev.irreversible.as_deref(), Some("drops data"));
    }

    #[test]
    fn merge_revision_lists_parents() {
        let src = "-- Revision: 3f9a1c2e7b10\n-- Revises: aaaaaaaaaaaa, bbbbbbbbbbbb\n-- +upgrade\n-- +downgrade\n";
        let rev = parse(PATH, src).unwrap();
        assert_eq!(rev.revises, vec!["aaaaaaaaaaaa", "bbbbbbbbbbbb"]);
    }

    macro_rules! bad {
        ($name:ident, $path:expr, $src:expr, $expect:expr) => {
            #[test]
            fn $name() {
                let found = problems($path, $src);
                assert!(
                    found.iter().any(|p| p.contains($expect)),
                    "expected a problem containing {:?}, got {:?}",
                    $expect,
                    found
                );
            }
        };
    }

    bad!(
        missing_revision_header,
        PATH,
        "-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n",
        "missing `-- Revision: <id>` header"
    );
    bad!(
        malformed_id,
        PATH,
        "-- Revision: 3F9A\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n",
        ":1: revision id `3F9A` is not 12 lowercase hex"
    );
    bad!(
        id_does_not_match_file_name,
        PATH,
        &GOOD.replace("3f9a1c2e7b10", "0123456789ab"),
        "3f9a1c2e7b10_add_soft_delete.sql:1: revision id `0123456789ab` does not match"
    );
    bad!(
        file_name_without_slug,
        "versions/3f9a1c2e7b10.sql",
        GOOD,
        "name has no slug"
    );
    bad!(
        file_name_not_an_id,
        "versions/add_users.sql",
        GOOD,
        "name does not start with a revision id"
    );
    bad!(
        bad_parent_id,
        PATH,
        &GOOD.replace("Revises: 8c1f0e2a9b3d", "Revises: nope"),
        ":2: `nope` in Revises is not a revision id"
    );
    bad!(
        unknown_dialect,
        PATH,
        &GOOD.replace("-- +upgrade", "-- +upgrade mysql"),
        ":5: unknown dialect `mysql`"
    );
    bad!(
        unknown_marker,
        PATH,
        &GOOD.replace("-- +downgrade", "-- +downgarde"),
        ":8: unknown section marker `-- +downgarde`"
    );
    bad!(
        header_typo_is_caught,
        PATH,
        &GOOD.replace("-- Message:", "-- Mesage:"),
        "did you mean `Message`?"
    );
    bad!(
        empty_downgrade,
        PATH,
        &GOOD.replace("ALTER TABLE todos DROP COLUMN deleted_at;", "-- nothing"),
        ":8: empty downgrade; write"
    );
    bad!(
        missing_downgrade,
        PATH,
        "-- Revision: 3f9a1c2e7b10\n-- +upgrade\nCREATE TABLE t (x int);\n",
        ": no downgrade; write"
    );
    bad!(
        dialect_without_downgrade,
        PATH,
        "-- Revision: 3f9a1c2e7b10\n-- +upgrade\nCREATE TABLE t (x int);\n-- +downgrade sqlite\nDROP TABLE t;\n",
        "no downgrade for postgres"
    );
    bad!(
        irreversible_with_downgrade,
        PATH,
        &GOOD.replace("-- Message:", "-- Irreversible: data\n-- Message:"),
        "an `Irreversible` revision has a downgrade"
    );
    bad!(
        duplicate_section,
        PATH,
        &format!("{GOOD}-- +upgrade\nSELECT 1;\n"),
        "second `-- +upgrade` section (the first is at line 5)"
    );
    bad!(
        sql_before_sections,
        PATH,
        "-- Revision: 3f9a1c2e7b10\nCREATE TABLE t (x int);\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n",
        ":2: SQL before the first section"
    );
    bad!(
        no_sections,
        PATH,
        "-- Revision: 3f9a1c2e7b10\n",
        "no `-- +upgrade` section"
    );
    bad!(
        bad_transaction_mode,
        PATH,
        &GOOD.replace("-- Message:", "-- Transaction: off\n-- Message:"),
        "unknown transaction mode `off`"
    );

    bad!(
        concurrently_needs_no_transaction,
        PATH,
        "-- Revision: 3f9a1c2e7b10\n-- +upgrade\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +downgrade\nDROP INDEX i;\n",
        ":3: `CONCURRENTLY` cannot run inside a transaction"
    );

    #[test]
    fn one_problem_for_one_typo() {
        let src = GOOD.replace("-- +upgrade", "-- +upgrade mysql");
        assert_eq!(problems(PATH, &src).len(), 1, "{:?}", problems(PATH, &src));
        let src = GOOD.replace("-- +downgrade", "-- +downgrade mysql");
        assert_eq!(problems(PATH, &src).len(), 1, "{:?}", problems(PATH, &src));
        let src = GOOD.replace("ALTER TABLE todos DROP COLUMN deleted_at;", "");
        assert_eq!(problems(PATH, &src).len(), 1, "{:?}", problems(PATH, &src));
    }

    #[test]
    fn reports_every_problem_at_once() {
        let src = "-- Revision: XYZ\n-- Revises: nope\n-- +upgrade mysql\n";
        assert!(problems(PATH, src).len() >= 3);
    }

    #[test]
    fn a_nul_byte_is_refused_with_its_line() {
        let src = "-- Revision: 3f9a1c2e7b10\n-- +upgrade\nCREATE TABLE u (y INTEGER)\0 DROP TABLE x;\n-- +downgrade\nDROP TABLE u;\n";
        let problems = parse("v/3f9a1c2e7b10_a.sql", src).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert!(
            problems[0]
                .to_string()
                .starts_with("v/3f9a1c2e7b10_a.sql:3: the file contains a NUL byte"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn carriage_returns_alone_are_refused_without_quoting_the_file() {
        let src = "-- Revision: 3f9a1c2e7b10\r-- +upgrade\rCREATE TABLE secret_name (x INT);\r-- +downgrade\rDROP TABLE secret_name;\r";
        let problems = parse("v/3f9a1c2e7b10_a.sql", src).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let shown = problems[0].to_string();
        assert!(
            shown.contains("carriage returns without line feeds"),
            "{shown}"
        );
        assert!(
            !shown.contains("secret_name"),
            "the file is quoted: {shown}"
        );
        // CRLF stays fine.
        assert!(parse("v/3f9a1c2e7b10_a.sql", &src.replace('\r', "\r\n")).is_ok());
    }
}
