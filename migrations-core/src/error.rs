//! The one error type of the crate.
//!
//! Every message names where the problem is (file and line, revision, statement) and what to do
//! about it, so it can be shown to a developer as it is.

use crate::dialect::Dialect;
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

/// A revision that runs outside a transaction, found started by a run that did not finish it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Interrupted {
    /// Revision id.
    pub revision: String,
    /// File name of the revision.
    pub file: String,
    /// `upgrade` or `downgrade`: what was started.
    pub direction: String,
    /// When it was started, as the database wrote it.
    pub started_at: String,
    /// Who started it (`process <pid>` of the client).
    pub started_by: String,
    /// Whether the server session that started it is still connected (PostgreSQL).
    pub still_connected: bool,
}

/// Where and why a revision's statement failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// The connection was lost during the statement (a server restart, the network): the SQL
    /// is not at fault.
    pub connection_lost: bool,
    /// The rows already in the database break a constraint the statement adds or checks
    /// (UNIQUE, NOT NULL, CHECK, a foreign key, the primary key): the SQL may be right and the
    /// data not. What they break, in words.
    pub violation: Option<Violation>,
}

/// Which constraint rows break: from SQLite's extended result code or PostgreSQL's SQLSTATE
/// (class `23`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// Rows with the same values where they must be unique (SQLite `SQLITE_CONSTRAINT_UNIQUE`,
    /// PostgreSQL `23505`).
    Unique,
    /// Rows with the same primary key (SQLite `SQLITE_CONSTRAINT_PRIMARYKEY`).
    PrimaryKey,
    /// NULLs where the column must not hold one (`SQLITE_CONSTRAINT_NOTNULL`, `23502`).
    NotNull,
    /// Rows that fail a CHECK (`SQLITE_CONSTRAINT_CHECK`, `23514`).
    Check,
    /// Rows that refer to rows that do not exist (`SQLITE_CONSTRAINT_FOREIGNKEY`, `23503`).
    ForeignKey,
    /// Another constraint (the rest of PostgreSQL's class `23`: an exclusion constraint…).
    Other,
}

impl Violation {
    /// The violation a database error code means, if any: SQLite's extended result code
    /// (`2067`…) or PostgreSQL's SQLSTATE (`23505`…).
    pub fn from_code(code: &str) -> Option<Violation> {
        Some(match code {
            "2067" | "23505" => Violation::Unique,
            "1555" => Violation::PrimaryKey,
            "1299" | "23502" => Violation::NotNull,
            "275" | "23514" => Violation::Check,
            "787" | "23503" => Violation::ForeignKey,
            c if c.len() == 5 && c.starts_with("23") => Violation::Other,
            _ => return None,
        })
    }

    /// What the rows break, and the data step that mends them.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Violation::Unique => (
                "a unique constraint (rows have the same values)",
                "merge or delete the duplicates",
            ),
            Violation::PrimaryKey => (
                "the primary key (rows have the same key)",
                "merge or delete the duplicates",
            ),
            Violation::NotNull => (
                "NOT NULL (rows hold NULL in the column)",
                "backfill the NULLs with an UPDATE, or give the column a default",
            ),
            Violation::Check => (
                "a CHECK constraint (rows do not pass it)",
                "UPDATE or delete the rows that fail it",
            ),
            Violation::ForeignKey => (
                "a foreign key (rows refer to rows that do not exist)",
                "delete the orphans or point them at rows that exist",
            ),
            Violation::Other => ("a constraint", "UPDATE or delete the rows that break it"),
        }
    }
}

/// Everything that can go wrong, with enough context to act on it.
///
/// Each variant carries what it is about; its [`Display`](fmt::Display) words the problem and
/// the fix. Errors from the database keep the database's own error as
/// [`source`](std::error::Error::source).
///
/// Its [`Debug`](fmt::Debug) is the same message, so that `main() -> Result<(), Box<dyn
/// Error>>` ending in `?` prints `Error: revision `zzzz`: …` rather than the variant's fields.
///
/// `?` turns a driver's own error into it ([`Error::Database`]), so an app's function that
/// returns [`Result`] can run its queries on the same connection:
///
/// ```
/// # #[cfg(feature = "rusqlite")] {
/// use migrations_core::rusqlite::Connection;
///
/// fn count_todos(conn: &Connection) -> migrations_core::Result<i64> {
///     Ok(conn.query_row("SELECT count(*) FROM todos", [], |r| r.get(0))?)
/// }
/// let conn = Connection::open_in_memory().unwrap();
/// let err = count_todos(&conn).unwrap_err();
/// assert_eq!(format!("{err:?}"), "SQLite: no such table: todos");
/// # }
/// ```
#[non_exhaustive]
pub enum Error {
    /// The revision files or their graph are invalid (one entry per problem).
    Invalid(Vec<Problem>),
    /// The app was built without any revision.
    NoRevisions,
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
    /// The revisions have no sections for the database's dialect.
    DialectNotServed {
        /// The dialects the revisions serve.
        served: Vec<Dialect>,
        /// The database's dialect.
        database: Dialect,
    },
    /// A statement of a revision failed; the revision was rolled back (or, for a revision
    /// with `Transaction: none`, may have partly run).
    StatementFailed(Box<StatementFailure>),
    /// A `Foreign-Keys: off` revision left rows that break foreign keys; it was rolled back.
    ForeignKeyViolations {
        /// Revision id.
        revision: String,
        /// File name of the revision.
        file: String,
        /// `upgrade` or `downgrade`.
        direction: &'static str,
        /// Each offending row, in words.
        violations: Vec<String>,
    },
    /// Waiting for another process holding the migration lock took too long.
    LockTimeout(String),
    /// A revision that runs outside a transaction (`Transaction: none`) was started by a run
    /// that did not finish it (killed, or its connection lost), so some of its statements may
    /// have run; or that run still holds it past the lock timeout.
    RevisionInterrupted(Box<Interrupted>),
    /// A database URL that cannot be used.
    BadUrl {
        /// The URL (password masked).
        url: String,
        /// Why.
        reason: String,
    },
    /// The database of `db check` does not exist yet.
    DatabaseMissing {
        /// The URL (password masked).
        url: String,
        /// How many revisions are pending.
        pending: usize,
    },
    /// Reading or writing a file failed.
    Io {
        /// What was being done, with the path.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A statement of this crate's own (bookkeeping, catalog reads, connecting) failed.
    Database {
        /// What was being done.
        context: String,
        /// The database's error.
        source: DbError,
    },
    /// The models' DDL does not run on the dialect: the models declare something the
    /// database refuses.
    ModelsDoNotBuild {
        /// The dialect that refused them.
        dialect: Dialect,
        /// The statement that failed, where known.
        statement: Option<String>,
        /// The database's error.
        source: DbError,
    },
    /// PostgreSQL's drift check builds the models in temporary tables, and the role may not.
    NoTemporaryTables {
        /// The database's error, where it gave one.
        source: Option<DbError>,
    },
    /// A name in the models that no revision could carry as written.
    BadModelName {
        /// Where: `table`, `table.column`, `index idx on table`…
        what: String,
        /// Why, and what to write instead.
        reason: String,
    },
    /// The database's schema differs from what it should be.
    Drift(Vec<String>),
    /// `db check` found the database not at head, edited, or drifted: one paragraph each.
    CheckFailed(Vec<String>),
    /// The versions folder has several heads where one is needed.
    SeveralHeads(Vec<String>),
    /// The revisions serve a dialect whose driver this build lacks.
    FeatureMissing {
        /// The cargo feature of the driver.
        feature: &'static str,
        /// The dialect the revisions serve.
        dialect: Dialect,
        /// What needs the driver, in words (`autogenerate for it`).
        to: &'static str,
    },
    /// A PostgreSQL scratch database could not be created.
    NoScratchDatabase {
        /// What needed it, in words.
        purpose: &'static str,
        /// Why it could not be created.
        source: Box<Error>,
    },
    /// The operating system gave no randomness (for a revision id or a scratch database name).
    NoRandomness(String),
    /// A command-line argument that cannot be used as given.
    BadArgument {
        /// The argument as given.
        argument: String,
        /// What is wrong and what to write instead.
        reason: String,
    },
    /// `--dialect` left out dialects the revisions have sections for.
    DialectsRequired {
        /// The dialects left out.
        missing: Vec<Dialect>,
    },
    /// Autogenerate made a revision that would break the chain or does not run; nothing was
    /// written. A bug of this crate.
    GeneratedRevisionFails {
        /// Where it fails (`None`: it breaks the chain).
        dialect: Option<Dialect>,
        /// What went wrong.
        source: Box<Error>,
    },
    /// Applied revisions this build does not know cannot be rolled back from the files the
    /// database stored for them.
    StoredRevisions {
        /// The revisions.
        revisions: Vec<String>,
        /// Why not.
        reason: String,
    },
    /// The versions folder holds revision files this build does not carry (or carries as they
    /// were): `head` would mean this build's head, not the folder's.
    Unbuilt {
        /// The versions folder.
        dir: String,
        /// What differs.
        unbuilt: crate::folder::Unbuilt,
        /// What was asked, in words (`upgrade to head`).
        verb: &'static str,
    },
    /// `--sql` without a range plans from the database's history, and the database could not
    /// be read.
    SqlNeedsDatabase {
        /// Why it could not be read.
        source: Box<Error>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |items: &[Dialect]| {
            items
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(" and ")
        };
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
            Error::NoRevisions => f.write_str(
                "no revisions were embedded; write the first with `db revision --autogenerate -m \"create \
                 tables\"` and rebuild",
            ),
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
                 recorded checksum {}…, the file now has {}…; nothing was run. Either restore \
                 the file as it was applied and put the change in a new revision (`db revision \
                 -m MSG`); or, to change the revision itself, restore the file, `db downgrade` \
                 to before it, edit it and upgrade again; or, when the edit changes nothing that \
                 ran (reformatting, comments), accept it with `db repair {revision}`, which \
                 records the new checksum and runs none of its SQL",
                recorded.chars().take(12).collect::<String>(),
                embedded.chars().take(12).collect::<String>()
            ),
            Error::UnknownApplied { revisions } => write!(
                f,
                "the database has applied revision(s) {} that this build does not contain; \
                 it was migrated by a newer build of the app: deploy that build, or — a rolled-back \
                 deploy — roll them back with this one, `db downgrade head`, from the files the \
                 database stored when it applied them",
                revisions.join(", ")
            ),
            Error::StoredRevisions { revisions, reason } => write!(
                f,
                "the database has applied revision(s) {} that this build does not contain, and \
                 this build cannot roll them back from what the database stored: {reason}; \
                 nothing was changed; downgrade with the build that has them",
                revisions.join(", ")
            ),
            Error::InconsistentHistory(msg) => write!(
                f,
                "the migration history in the database is inconsistent: {msg}; repair it with \
                 `db stamp REV`"
            ),
            Error::DialectNotServed { served, database } => write!(
                f,
                "the revisions serve {} but the database is {database}; add `-- +upgrade \
                 {database}` and `-- +downgrade {database}` sections",
                list(served)
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
                    connection_lost,
                    violation,
                } = failure.as_ref();
                write!(
                    f,
                    "{direction} of revision {revision} failed at {file}:{line}: {message}\n  \
                     statement: {}\n  ",
                    one_line(statement)
                )?;
                if let Some(violation) = violation {
                    let (what, step) = violation.words();
                    write!(
                        f,
                        "the rows already in the database break {what}: the SQL may be right \
                         and the data not; a data step belongs before this statement in the \
                         revision ({step}); "
                    )?;
                }
                if *connection_lost && *transactional {
                    write!(
                        f,
                        "the connection to the database was lost (the server restarted or shut \
                         down, or the network failed), and the server rolled the revision back \
                         with its transaction; the database is still at the revision before it; \
                         run again once the server is reachable"
                    )
                } else if *transactional && violation.is_some() {
                    write!(
                        f,
                        "the revision was rolled back; the database is still at the revision \
                         before it; add the data step to {file} and run again"
                    )
                } else if *transactional {
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
            Error::ForeignKeyViolations {
                revision,
                file,
                direction,
                violations,
            } => write!(
                f,
                "{direction} of revision {revision} ({file}) leaves rows that break foreign \
                 keys: {}; the revision was not recorded",
                violations.join("; ")
            ),
            Error::LockTimeout(msg) => f.write_str(msg),
            Error::RevisionInterrupted(mark) => {
                let Interrupted {
                    revision,
                    file,
                    direction,
                    started_at,
                    started_by,
                    still_connected,
                } = mark.as_ref();
                if *still_connected {
                    write!(
                        f,
                        "the {direction} of revision {revision} ({file}) runs outside a \
                         transaction and has been running since {started_at} ({started_by}), past \
                         the lock timeout; its server session is still connected. Wait for it, \
                         or raise `Options::lock_timeout`; if no process is migrating (a pooler \
                         keeps the session), "
                    )?;
                } else {
                    write!(
                        f,
                        "the {direction} of revision {revision} ({file}) runs outside a \
                         transaction, and the run that started it at {started_at} ({started_by}) \
                         ended before finishing it (killed, or its connection lost): some of its \
                         statements may have run; "
                    )?;
                }
                let (done, not_done) = match direction.as_str() {
                    "downgrade" => (
                        "db stamp <its parent>".to_string(),
                        format!("db stamp {revision}"),
                    ),
                    _ => (
                        format!("db stamp {revision}"),
                        "db stamp <its parent>".to_string(),
                    ),
                };
                write!(
                    f,
                    "check the database against {file}, finish or undo what ran by hand, then \
                     record the result with `{done}` (it is done) or `{not_done}` (it is not), \
                     which clears this mark, and run again"
                )
            }
            Error::BadUrl { url, reason } => write!(
                f,
                "database URL `{url}`: {reason}; expected `sqlite:PATH`, `sqlite::memory:` or \
                 `postgres://user:password@host:port/database`"
            ),
            Error::DatabaseMissing { url, pending } => write!(
                f,
                "the database at {url} does not exist yet: all {pending} revision(s) are \
                 pending; run `db upgrade head`"
            ),
            Error::Io { context, source } => write!(f, "{context}: {source}"),
            Error::Database { context, source } => write!(f, "{context}: {source}"),
            Error::ModelsDoNotBuild {
                dialect,
                statement,
                source,
            } => {
                write!(f, "the models do not build on {dialect}: {source}")?;
                match statement {
                    Some(stmt) => write!(f, " (statement: {})", one_line(stmt)),
                    None => Ok(()),
                }
            }
            Error::NoTemporaryTables { source } => match source {
                Some(e) => write!(
                    f,
                    "the drift check builds the models in temporary tables and may not: {e}; \
                     grant the role TEMPORARY on the database, or boot with `upgrade_to_head` \
                     (no drift check)"
                ),
                None => f.write_str(
                    "the drift check could not create temporary tables for the models; grant \
                     the role TEMPORARY on the database, or boot with `upgrade_to_head` (no \
                     drift check)",
                ),
            },
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
            Error::BadModelName { what, reason } => {
                write!(f, "the models' {what}: {reason}; nothing was written")
            }
            Error::CheckFailed(findings) => f.write_str(&findings.join("\n")),
            Error::SeveralHeads(heads) => write!(
                f,
                "the versions folder has {} heads ({}); join them first with `db merge -m MSG {}`",
                heads.len(),
                heads.join(", "),
                heads.join(" ")
            ),
            Error::FeatureMissing {
                feature,
                dialect,
                to,
            } => write!(
                f,
                "the revisions serve {dialect}: enable the `{feature}` feature of migrations-core \
                 to {to}"
            ),
            Error::NoScratchDatabase { purpose, source } => write!(
                f,
                "the revisions serve postgres, and {purpose} builds them in a temporary \
                 PostgreSQL database, which it could not create: {source}; set \
                 SCRATCH_DATABASE_URL to a server where it may \
                 (`postgres://user:password@host/postgres`), or, for a chain that is to serve \
                 SQLite only, start it with `db revision --autogenerate --dialect sqlite` (the \
                 first revision chooses the dialects of the chain)"
            ),
            Error::Unbuilt { dir, unbuilt, verb } => write!(
                f,
                "cannot {verb}: this build's head is not the head of {dir}, whose revision files \
                 differ from the ones built into this binary ({}); rebuild the app \
                 (`cargo build`) and run the rebuilt binary, or name a revision this build \
                 carries by its id",
                unbuilt.describe()
            ),
            Error::SqlNeedsDatabase { source } => write!(
                f,
                "`--sql` without a range plans from the database's history, which could not be \
                 read: {source}; to print the script without a database, give the range \
                 (`db upgrade base:head --sql`, `db downgrade head:base --sql`) or `--dialect`"
            ),
            Error::NoRandomness(why) => write!(f, "no randomness: {why}"),
            Error::BadArgument { argument, reason } => write!(f, "`{argument}`: {reason}"),
            Error::DialectsRequired { missing } => write!(
                f,
                "the revisions have sections for {} too, so the new one needs them: \
                 autogenerate for every dialect (drop `--dialect`, and give it a PostgreSQL \
                 server with SCRATCH_DATABASE_URL)",
                list(missing)
            ),
            Error::GeneratedRevisionFails { dialect, source } => match dialect {
                Some(d) => write!(
                    f,
                    "autogenerate made a revision that fails on {d}, so nothing was written \
                     (please report this): {source}"
                ),
                None => write!(
                    f,
                    "autogenerate made a revision that would break the chain, so nothing was \
                     written (please report this): {source}"
                ),
            },
        }
    }
}

/// The message, as [`Display`](fmt::Display) words it: what `?` in `main` prints.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Database { source, .. } | Error::ModelsDoNotBuild { source, .. } => Some(source),
            Error::NoTemporaryTables { source: Some(e) } => Some(e),
            Error::NoScratchDatabase { source, .. }
            | Error::GeneratedRevisionFails { source, .. }
            | Error::SqlNeedsDatabase { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// A failure of a statement that is not a revision's, while doing `context`: for an app
    /// that runs its own queries on the same connection and reports them as this crate does.
    ///
    /// ```
    /// # #[cfg(feature = "rusqlite")] {
    /// let conn = rusqlite::Connection::open_in_memory().unwrap();
    /// let e = conn.execute_batch("SELEC 1").unwrap_err();
    /// let err = migrations_core::Error::database("listing todos", e);
    /// assert!(err.to_string().starts_with("listing todos: near \"SELEC\""));
    /// # }
    /// ```
    pub fn database(context: impl Into<String>, source: impl Into<DbError>) -> Error {
        Error::Database {
            context: context.into(),
            source: source.into(),
        }
    }

    /// A revision's statement that timed out waiting for a table lock, with who held it and
    /// what to do (PostgreSQL).
    pub(crate) fn with_lock_holders(self, holders: String) -> Error {
        match self {
            Error::StatementFailed(mut f) => {
                f.message = format!(
                    "{}; it waited for a table lock held by {holders}, past the revision's lock \
                     timeout on every attempt: end that transaction (`SELECT \
                     pg_terminate_backend(pid)`) or boot when it is done, or raise the wait \
                     (`-- Lock-Timeout:` in the revision, `Options::revision_lock_timeout`)",
                    f.message
                );
                Error::StatementFailed(f)
            }
            other => other,
        }
    }

    /// A failure of one of the protocol's own statements (history, drift memory, catalog
    /// reads) while doing `context`. A database still busy after the wait (SQLite: another
    /// process holds it locked) is a [`Error::LockTimeout`] that says so, whatever the statement
    /// was, rather than "creating the history table: database is locked".
    pub(crate) fn protocol(context: impl Into<String>, source: DbError) -> Error {
        let context = context.into();
        if source.kind() == DbErrorKind::Busy {
            return Error::LockTimeout(format!(
                "another process kept the database locked while {context}: {}; retry when it is \
                 done, or raise `Options::lock_timeout` (the CLI's `--lock-timeout`)",
                source.message()
            ));
        }
        Error::database(context, source)
    }
}

/// What kind of failure a [`DbError`] is, as far as the protocol needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DbErrorKind {
    /// A table the statement reads does not exist (PostgreSQL `42P01`, SQLite "no such table").
    UndefinedTable,
    /// Another connection holds a lock the statement needs, past the wait (SQLite `SQLITE_BUSY`).
    Busy,
    /// The role may not do this (PostgreSQL `42501`).
    InsufficientPrivilege,
    /// The connection is gone: the server shut down or restarted (PostgreSQL `57P01`–`57P03`),
    /// a connection error (class `08`), or the socket closed.
    ConnectionLost,
    /// Rows break a constraint (SQLite `SQLITE_CONSTRAINT_UNIQUE`, `_NOTNULL`, `_CHECK`,
    /// `_FOREIGNKEY`, `_PRIMARYKEY`; PostgreSQL class `23`): see [`Violation::from_code`].
    ConstraintViolation,
    /// Anything else.
    Other,
}

/// An error the database returned for a statement: its message as the database words it, its
/// code (PostgreSQL's SQLSTATE; SQLite's extended result code), and the driver's own error as
/// [`source`](std::error::Error::source).
#[derive(Debug, Clone)]
pub struct DbError {
    message: String,
    code: Option<String>,
    kind: DbErrorKind,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl DbError {
    /// An error with the database's `message`, for a driver to return.
    pub fn new(message: impl Into<String>, kind: DbErrorKind) -> Self {
        DbError {
            message: message.into(),
            code: None,
            kind,
            source: None,
        }
    }

    /// With the database's error code (SQLSTATE on PostgreSQL).
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// With the driver's own error, kept as the [`source`](std::error::Error::source).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(std::sync::Arc::new(source));
        self
    }

    /// The database's message (PostgreSQL's includes its detail, hint and SQLSTATE).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The database's error code: PostgreSQL's SQLSTATE (`42P01`), SQLite's extended result
    /// code (`1`, `5`…), when the database gave one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> DbErrorKind {
        self.kind
    }
}

impl PartialEq for DbError {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message && self.code == other.code && self.kind == other.kind
    }
}

impl Eq for DbError {}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
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
    fn debug_is_the_message_so_question_mark_in_main_prints_it() {
        let e = Error::UnknownRevision {
            spec: "zzzz".into(),
            reason: "no revision starts with it".into(),
        };
        assert_eq!(format!("{e:?}"), e.to_string());
        assert!(format!("{e:?}").starts_with("revision `zzzz`: "), "{e:?}");
        // What `main() -> Result<(), Box<dyn Error>>` prints is the Debug of the box.
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(
            !format!("{boxed:?}").contains("UnknownRevision"),
            "{boxed:?}"
        );
    }

    #[cfg(feature = "rusqlite")]
    #[test]
    fn question_mark_on_a_rusqlite_error_gives_the_database_error() {
        fn query(conn: &rusqlite::Connection) -> Result<i64> {
            let n = conn.query_row("SELECT count(*) FROM missing", [], |r| r.get(0))?;
            Ok(n)
        }
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let err = query(&conn).unwrap_err();
        let Error::Database { source, .. } = &err else {
            panic!("not Error::Database: {err}");
        };
        assert_eq!(source.kind(), DbErrorKind::UndefinedTable);
        assert_eq!(err.to_string(), "SQLite: no such table: missing");
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn question_mark_on_a_postgres_error_gives_the_database_error() {
        fn connect() -> Result<postgres::Client> {
            // Port 1: nothing listens there, so connecting fails at once.
            let client = postgres::Client::connect(
                "host=127.0.0.1 port=1 user=postgres connect_timeout=5",
                postgres::NoTls,
            )?;
            Ok(client)
        }
        let err = connect().err().expect("nothing listens on port 1");
        assert!(matches!(err, Error::Database { .. }), "{err}");
        assert!(err.to_string().starts_with("PostgreSQL: "), "{err}");
    }

    #[test]
    fn one_line_collapses_whitespace_and_shortens() {
        assert_eq!(one_line("SELECT\n  1,\n\t2"), "SELECT 1, 2");
        let long = "x ".repeat(300);
        assert!(one_line(&long).ends_with('…'));
    }

    #[test]
    fn a_checksum_of_any_text_is_shortened_without_panicking() {
        let e = Error::ChecksumMismatch {
            revision: "aaaaaaaaaaaa".into(),
            file: "aaaaaaaaaaaa_x.sql".into(),
            recorded: "ééééééééééééééé".into(),
            embedded: "ab".into(),
        };
        assert!(
            e.to_string()
                .contains("recorded checksum éééééééééééé…, the file now has ab…"),
            "{e}"
        );
    }
}
