//! Revision files: the format and its parser.
//!
//! # Example
//!
//! ```
//! use migrations_core::revision::{parse, Dialect};
//!
//! let source = "\
//! -- Revision: 3f9a1c2e7b10
//! -- Revises: 8c1f0e2a9b3d
//! -- Message: add soft delete to todos
//!
//! -- +upgrade
//! ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;
//!
//! -- +downgrade
//! ALTER TABLE todos DROP COLUMN deleted_at;
//! ";
//! let rev = parse("versions/3f9a1c2e7b10_add_soft_delete.sql", source).unwrap();
//! assert_eq!(rev.id, "3f9a1c2e7b10");
//! assert_eq!(rev.revises, ["8c1f0e2a9b3d"]);
//! assert!(rev.upgrade(Dialect::Sqlite).unwrap().sql.contains("ADD COLUMN"));
//! ```
//!
//! # Syntax
//!
//! A header of `-- Key: value` lines (`Revision`, `Revises`, `Message`, `Created`,
//! `Transaction`, `Foreign-Keys`, `Irreversible`, `Lock-Timeout`, `Statement-Timeout`), then
//! sections opened by `-- +upgrade [dialect]` and `-- +downgrade [dialect]`. A section with no
//! dialect serves every dialect that has no section of its own.

mod parse;
pub(crate) use parse::parse_duration;

pub use crate::dialect::Dialect;
use crate::sql;
pub use parse::{parse, parse_embedded};

/// Which way a revision is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Apply the revision.
    Upgrade,
    /// Undo the revision.
    Downgrade,
}

impl Direction {
    /// `upgrade` or `downgrade`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        }
    }
}

/// One `-- +upgrade` or `-- +downgrade` section of a revision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Which way the section runs.
    pub direction: Direction,
    /// The dialect it is written for, or `None` for every dialect without its own section.
    pub dialect: Option<Dialect>,
    /// The SQL text, as written (without the marker line).
    pub sql: String,
    /// The line of the marker; the SQL starts on the next line.
    pub line: usize,
}

impl Section {
    /// The section's statements, each with the line of the file it starts on.
    pub fn statements(&self, dialect: Dialect) -> Vec<sql::Statement> {
        sql::split(&self.sql, dialect, self.line + 1)
    }

    /// Whether the section holds no statement (only blanks and comments).
    pub fn is_empty(&self, dialect: Dialect) -> bool {
        self.statements(dialect).is_empty()
    }
}

/// A parsed revision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// 12 lowercase hex characters.
    pub id: String,
    /// Parent revision ids: none for the root, two or more for a merge.
    pub revises: Vec<String>,
    /// The `Message:` header.
    pub message: String,
    /// The `Created:` header, as written.
    pub created: Option<String>,
    /// `false` when the header says `Transaction: none`.
    pub transactional: bool,
    /// `true` when the header says `Foreign-Keys: off`: on SQLite the revision runs with
    /// foreign keys off (set outside its transaction) and `PRAGMA foreign_key_check` before it
    /// commits, as a table rebuild needs. No effect on PostgreSQL.
    pub foreign_keys_off: bool,
    /// The `Irreversible:` reason, when the revision has no downgrade.
    pub irreversible: Option<String>,
    /// The `Lock-Timeout:` header: how long each of the revision's statements may wait for a
    /// table lock (PostgreSQL `lock_timeout`) before the attempt is rolled back and retried;
    /// `None`: [`Options::revision_lock_timeout`](crate::Options::revision_lock_timeout).
    pub lock_timeout: Option<std::time::Duration>,
    /// The `Statement-Timeout:` header: how long each of the revision's statements may run
    /// (PostgreSQL `statement_timeout`); `None`:
    /// [`Options::statement_timeout`](crate::Options::statement_timeout).
    pub statement_timeout: Option<std::time::Duration>,
    /// The file's path as shown in messages.
    pub file: String,
    /// Line of the `Revision:` header (1 when absent).
    pub id_line: usize,
    /// Line of the `Revises:` header (the id line when absent).
    pub revises_line: usize,
    /// The sections, in file order.
    pub sections: Vec<Section>,
    /// SHA-256 (hex) of the file with line endings normalised to `\n`.
    pub checksum: String,
    /// The file's text, line endings normalised (what the checksum is of). Stored with the
    /// history row when the revision is applied, so that a build that does not know the
    /// revision can still run its downgrade.
    pub source: String,
}

impl Revision {
    /// The file name without its folder.
    pub fn file_name(&self) -> &str {
        file_name(&self.file)
    }

    /// The section to run in `direction` for `dialect`: its own, else the one without a dialect.
    pub fn section_for(&self, direction: Direction, dialect: Dialect) -> Option<&Section> {
        let of = |d: Option<Dialect>| {
            self.sections
                .iter()
                .find(|s| s.direction == direction && s.dialect == d)
        };
        of(Some(dialect)).or_else(|| of(None))
    }

    /// The upgrade section that serves `dialect`.
    pub fn upgrade(&self, dialect: Dialect) -> Option<&Section> {
        self.section_for(Direction::Upgrade, dialect)
    }

    /// The downgrade section that serves `dialect`.
    pub fn downgrade(&self, dialect: Dialect) -> Option<&Section> {
        self.section_for(Direction::Downgrade, dialect)
    }

    /// The dialects this revision serves: all of them when a section names no dialect,
    /// otherwise those named.
    pub fn dialects(&self) -> Vec<Dialect> {
        if self.sections.iter().any(|s| s.dialect.is_none()) {
            return Dialect::ALL.to_vec();
        }
        let mut out: Vec<Dialect> = self.sections.iter().filter_map(|s| s.dialect).collect();
        out.sort();
        out.dedup();
        out
    }

    /// The first line of the message, for one-line listings.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

/// The part of a path after its last `/` (or `\`).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Normalises line endings (`\r\n` to `\n`) and drops a UTF-8 byte-order mark, so a CRLF
/// checkout or a Windows editor is not an edit.
pub fn normalize(source: &str) -> String {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    // Most files have no `\r` at all: one `memchr` instead of a search for `\r\n`.
    match text.as_bytes().contains(&b'\r') {
        true => text.replace("\r\n", "\n"),
        false => text.to_string(),
    }
}

/// SHA-256 of the normalised source, as lowercase hex.
pub fn checksum(source: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(normalize(source).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `id` is a well-formed revision id: 12 lowercase hex characters.
pub fn is_valid_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Splits a revision file name `<id>_<slug>.sql` into its id, or says what is wrong.
pub fn id_from_file_name(name: &str) -> Result<&str, String> {
    let Some(stem) = name.strip_suffix(".sql") else {
        return Err("is not a `.sql` file".into());
    };
    let (id, slug) = stem.split_once('_').unwrap_or((stem, ""));
    if !is_valid_id(id) {
        return Err(format!(
            "name does not start with a revision id (`{id}` is not 12 lowercase hex characters)"
        ));
    }
    if slug.is_empty() {
        return Err("name has no slug after the id".into());
    }
    Ok(id)
}

/// Renders a blank revision file, as `db revision -m MSG` writes it.
pub fn render_blank(id: &str, revises: &[String], message: &str, created: &str) -> String {
    let mut out = render_header(id, revises, message, created);
    out.push_str("\n-- +upgrade\n\n\n-- +downgrade\n\n");
    out
}

/// The header every new revision file starts with, as `db revision` and autogenerate write
/// it: `Revision`, `Revises`, `Message` (on one line) and `Created`, one line each.
///
/// ```
/// let header = migrations_core::revision::render_header(
///     "3f9a1c2e7b10",
///     &["8c1f0e2a9b3d".to_string()],
///     "add soft\ndelete",
///     "2026-12-01 10:00:00 UTC",
/// );
/// assert_eq!(
///     header,
///     "-- Revision: 3f9a1c2e7b10\n-- Revises: 8c1f0e2a9b3d\n-- Message: add soft delete\n-- Created: 2026-12-01 10:00:00 UTC\n"
/// );
/// ```
pub fn render_header(id: &str, revises: &[String], message: &str, created: &str) -> String {
    format!(
        "-- Revision: {id}\n-- Revises: {}\n-- Message: {}\n-- Created: {created}\n",
        revises.join(", "),
        message.replace('\n', " ")
    )
}

/// Turns a message into a file-name slug: lowercase words joined by `_`, at most 40 characters.
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    for word in message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            if out.len() + 1 + word.len() > 40 {
                break;
            }
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push_str("revision");
    }
    out.truncate(40);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const GOOD: &str = "-- Revision: 3f9a1c2e7b10\n-- Revises: 8c1f0e2a9b3d\n-- Message: add soft delete\n\n-- +upgrade\nALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;\n\n-- +downgrade\nALTER TABLE todos DROP COLUMN deleted_at;\n";
    pub(super) const PATH: &str = "versions/3f9a1c2e7b10_add_soft_delete.sql";

    #[test]
    fn crlf_is_not_an_edit() {
        let crlf = GOOD.replace('\n', "\r\n");
        assert_eq!(
            parse(PATH, &crlf).unwrap().checksum,
            parse(PATH, GOOD).unwrap().checksum
        );
        let edited = GOOD.replace("TIMESTAMP", "TEXT");
        assert_ne!(
            parse(PATH, &edited).unwrap().checksum,
            parse(PATH, GOOD).unwrap().checksum
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_problem_nor_an_edit() {
        let bom = format!("\u{feff}{GOOD}");
        assert_eq!(
            parse(PATH, &bom).unwrap().checksum,
            parse(PATH, GOOD).unwrap().checksum
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Add soft delete to todos!"),
            "add_soft_delete_to_todos"
        );
        assert_eq!(slug("  "), "revision");
        assert!(slug(&"word ".repeat(40)).len() <= 40);
    }

    #[test]
    fn blank_revision_parses() {
        let text = render_blank(
            "3f9a1c2e7b10",
            &["8c1f0e2a9b3d".into()],
            "add x",
            "2026-11-21 10:45:00 UTC",
        );
        let rev = parse(PATH, &text).unwrap();
        assert_eq!(rev.revises, vec!["8c1f0e2a9b3d"]);
        assert!(rev
            .upgrade(Dialect::Sqlite)
            .unwrap()
            .is_empty(Dialect::Sqlite));
    }
}
