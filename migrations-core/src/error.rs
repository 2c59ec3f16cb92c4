//! The one error type of the crate.
//!
//! Every message names where the problem is (file and line, revision, statement) and what to do
//! about it, so it can be shown to a developer as it is.

use std::fmt;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem found in a revision file or in the revision graph.
///
/// Displays as `file:line: what is wrong; how to fix it`. `line` is 0 when the problem concerns
/// the whole file (then it displays as `file: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Path of the file, as it should be shown to the user.
    pub file: String,
    /// 1-based line number, or 0 for the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Problem {
    /// A problem at `file:line`.
    pub fn new(
        file: impl Into<String>,
        line: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)?;
        }
        if !self.hint.is_empty() {
            write!(f, "; {}", self.hint)?;
        }
        Ok(())
    }
}

/// Where and why a revision's statement failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFailure {
    /// Revision id.
    pub revision: String,
    /// Path of the revision's file.
    pub file: String,
    /// Line in the file where the failing statement starts.
    pub line: usize,
    /// `upgrade` or `downgrade`.
    pub direction: &'static str,
    /// The failing statement.
    pub statement: String,
    /// The database's message.
    pub message: String,
    /// Whether the revision ran in a transaction (and so was rolled back whole).
    pub transactional: bool,
}

/// Everything that can go wrong, with enough context to act on it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The revision files or their graph are invalid (one entry per problem).
    Invalid(Vec<Problem>),
    /// A revision id, prefix or relative step that names nothing, or more than one thing.
    UnknownRevision {
        /// What the user asked for.
        spec: String,
        /// Why it does not resolve.
        reason: String,
    },
    /// The requested move is not possible from the current state.
    BadTarget(String),
    /// An applied revision's file differs from the one that was applied.
    ChecksumMismatch {
        /// Revision id.
        revision: String,
        /// File name of the revision.
        file: String,
        /// Checksum recorded in the database.
        recorded: String,
        /// Checksum of the embedded file.
        embedded: String,
    },
    /// The database records revisions this build of the app does not know.
    UnknownApplied {
        /// The unknown revision ids.
        revisions: Vec<String>,
    },
    /// The database's history is not closed under ancestry (a revision is applied but one of
    /// its ancestors is not).
    InconsistentHistory(String),
    /// A statement of a revision failed; the revision was rolled back (or, for a revision
    /// with `Transaction: none`, may have partly run).
    StatementFailed(Box<StatementFailure>),
    /// Waiting for another process holding the migration lock took too long.
    LockTimeout(String),
    /// A database URL that cannot be used.
    BadUrl {
        /// The URL (password masked).
        url: String,
        /// Why.
        reason: String,
    },
    /// Reading or writing a file failed.
    Io {
        /// What was being done, with the path.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An error from SQLite outside a revision's statements.
    #[cfg(feature = "rusqlite")]
    Sqlite {
        /// What was being done.
        context: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// An error from PostgreSQL outside a revision's statements.
    #[cfg(feature = "postgres")]
    Postgres {
        /// What was being done.
        context: String,
        /// PostgreSQL's error.
        source: postgres::Error,
    },
    /// A statement of this crate's own (bookkeeping, catalog reads) failed.
    Database {
        /// What was being done.
        context: String,
        /// The database's error.
        source: crate::driver::DbError,
    },
    /// The database's schema differs from what it should be.
    Drift(Vec<String>),
    /// Anything else, fully described by its message.
    Other(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(problems) => {
                let n = problems.len();
                write!(
                    f,
                    "{n} problem{} in the revision files:",
                    if n == 1 { "" } else { "s" }
                )?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            Error::UnknownRevision { spec, reason } => {
                write!(
                    f,
                    "revision `{spec}`: {reason}; run `db history` to list revisions"
                )
            }
            Error::BadTarget(msg) => f.write_str(msg),
            Error::ChecksumMismatch {
                revision,
                file,
                recorded,
                embedded,
            } => write!(
                f,
                "revision {revision} ({file}) was edited after it was applied: the database \
                 recorded checksum {}…, the file now has {}…; restore the file as it was applied \
                 and put the change in a new revision (`db revision -m MSG`)",
                &recorded[..recorded.len().min(12)],
                &embedded[..embedded.len().min(12)]
            ),
            Error::UnknownApplied { revisions } => write!(
                f,
                "the database has applied revision(s) {} that this build does not contain; \
                 it was migrated by a newer build of the app: deploy that build, or downgrade \
                 with it first",
                revisions.join(", ")
            ),
            Error::InconsistentHistory(msg) => write!(
                f,
                "the migration history in the database is inconsistent: {msg}; repair it with \
                 `db stamp REV`"
            ),
            Error::StatementFailed(failure) => {
                let StatementFailure {
                    revision,
                    file,
                    line,
                    direction,
                    statement,
                    message,
                    transactional,
                } = failure.as_ref();
                write!(
                    f,
                    "{direction} of revision {revision} failed at {file}:{line}: {message}\n  \
                     statement: {}\n  ",
                    one_line(statement)
                )?;
                if *transactional {
                    write!(
                        f,
                        "the revision was rolled back; the database is still at the revision \
                         before it; fix the SQL in {file} and run again"
                    )
                } else {
                    write!(
                        f,
                        "this revision runs outside a transaction (`Transaction: none`), so the \
                         statements before this one may have run; check the database, undo or \
                         finish them by hand, then record the revision with `db stamp {revision}` \
                         or fix the file and run again"
                    )
                }
            }
            Error::LockTimeout(msg) => f.write_str(msg),
            Error::BadUrl { url, reason } => write!(
                f,
                "database URL `{url}`: {reason}; expected `sqlite:PATH`, `sqlite::memory:` or \
                 `postgres://user:password@host:port/database`"
            ),
            Error::Io { context, source } => write!(f, "{context}: {source}"),
            #[cfg(feature = "rusqlite")]
            Error::Sqlite { context, source } => write!(f, "{context}: {source}"),
            #[cfg(feature = "postgres")]
            Error::Postgres { context, source } => {
                write!(
                    f,
                    "{context}: {}",
                    crate::driver::postgres::describe(source)
                )
            }
            Error::Database { context, source } => write!(f, "{context}: {source}"),
            Error::Drift(lines) => {
                write!(
                    f,
                    "the database schema differs from the models ({} difference{}):",
                    lines.len(),
                    if lines.len() == 1 { "" } else { "s" }
                )?;
                for l in lines {
                    write!(f, "\n  {l}")?;
                }
                Ok(())
            }
            Error::Other(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Database { source, .. } => Some(source),
            #[cfg(feature = "rusqlite")]
            Error::Sqlite { source, .. } => Some(source),
            #[cfg(feature = "postgres")]
            Error::Postgres { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// A failure of one of this crate's own statements, while doing `context`.
    pub(crate) fn database(context: impl Into<String>, source: crate::driver::DbError) -> Error {
        Error::Database {
            context: context.into(),
            source,
        }
    }

    /// Opening a revision's transaction failed: on SQLite, a busy database past the wait is
    /// another process holding it.
    pub(crate) fn begin_failed(dialect: crate::Dialect, source: crate::driver::DbError) -> Error {
        if dialect == crate::Dialect::Sqlite && source.kind() == crate::driver::DbErrorKind::Busy {
            return Error::LockTimeout(
                "another process kept the SQLite database locked past the lock timeout; \
                 retry, or raise `Options::lock_timeout`"
                    .into(),
            );
        }
        Error::database("starting a transaction", source)
    }
}

/// A statement on one line, shortened for an error message.
pub(crate) fn one_line(sql: &str) -> String {
    let joined = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 200 {
        let cut: String = joined.chars().take(200).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_displays_file_line_and_hint() {
        let p = Problem::new(
            "v/a.sql",
            3,
            "unknown header `Revise`",
            "did you mean `Revises`?",
        );
        assert_eq!(
            p.to_string(),
            "v/a.sql:3: unknown header `Revise`; did you mean `Revises`?"
        );
        let whole = Problem::new("v/a.sql", 0, "not a revision file", "");
        assert_eq!(whole.to_string(), "v/a.sql: not a revision file");
    }

    #[test]
    fn one_line_collapses_whitespace_and_shortens() {
        assert_eq!(one_line("SELECT\n  1,\n\t2"), "SELECT 1, 2");
        let long = "x ".repeat(300);
        assert!(one_line(&long).ends_with('…'));
    }
}
