//! The `db` command line, embedded in the app: Alembic's verbs and meanings.
//!
//! # Example
//!
//! ```no_run
//! # macro_rules! include_migrations { () => { migrations_core::Migrations::from_embedded("", &[]) } }
//! static MIGRATIONS: migrations_core::Migrations = include_migrations!();
//!
//! fn main() {
//!     let args: Vec<String> = std::env::args().collect();
//!     if args.get(1).map(String::as_str) == Some("db") {
//!         // my-app db upgrade head | downgrade -1 | current | history | revision -m "add users" …
//!         let models = migrations_core::Schema::new(); // your models
//!         std::process::exit(migrations_core::cli::main(&MIGRATIONS, &models, &args[2..]));
//!     }
//!     // … the app itself
//! }
//! ```
//!
//! Or, in an app that uses clap, add `Db(migrations_core::cli::DbArgs)` to its subcommands and
//! call [`execute`].
//!
//! The database comes from `--database-url` or `DATABASE_URL` (`sqlite:PATH`, `sqlite::memory:`,
//! `postgres://…`), default `sqlite:database.db`. REV may be a unique prefix of a revision id.

use crate::autogen;
use crate::chain::{Chain, Target};
use crate::database::{Database, DEFAULT_URL};
use crate::driver::{Driver, Options};
use crate::error::{Error, Result};
use crate::folder;
use crate::migrate;
use crate::revision::{Direction, Revision};
use crate::schema::Schema;
use crate::Migrations;
use clap::{Parser, Subcommand};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The `db` command's arguments.
#[derive(Debug, Parser)]
#[command(
    name = "db",
    about = "Manage the database schema: Alembic's verbs, embedded in the app"
)]
pub struct DbArgs {
    /// Database URL: sqlite:PATH, sqlite::memory:, postgres://user:pass@host:port/db
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// How long any verb waits for another process that holds the database or the migration
    /// lock (`500ms`, `5s`, `2min`), logged when the wait starts
    #[arg(long, env = "MIGRATIONS_LOCK_TIMEOUT", default_value = "60s", global = true, value_parser = parse_wait)]
    pub lock_timeout: std::time::Duration,
    /// The verb.
    #[command(subcommand)]
    pub command: DbCommand,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Upgrade to a later revision: head (default), +N, or REV
    Upgrade {
        /// head, +N or a revision id (prefix); with --sql also FROM:TO (offline: no database)
        #[arg(default_value = "head")]
        target: String,
        /// Print the SQL that would run, and change nothing
        #[arg(long)]
        sql: bool,
        /// With --sql: the dialect of the script (default: the database URL's), offline from
        /// base unless FROM:TO says where to start
        #[arg(long, value_name = "sqlite|postgres", requires = "sql")]
        dialect: Option<String>,
    },
    /// Downgrade to an earlier revision: -N, base, or REV
    Downgrade {
        /// -N, base or a revision id (prefix); with --sql also FROM:TO (offline: no database)
        #[arg(allow_hyphen_values = true)]
        target: String,
        /// Print the SQL that would run, and change nothing
        #[arg(long)]
        sql: bool,
        /// With --sql and FROM:TO: the dialect of the script (default: the database URL's)
        #[arg(long, value_name = "sqlite|postgres", requires = "sql")]
        dialect: Option<String>,
    },
    /// Show the database's current revision
    Current {
        /// Show the history rows too
        #[arg(short, long)]
        verbose: bool,
    },
    /// List revisions, newest first
    History {
        /// Show each revision's file, date and checksum
        #[arg(short, long)]
        verbose: bool,
        /// Mark the database's current revision (reads the database)
        #[arg(short = 'i', long)]
        indicate_current: bool,
    },
    /// Show the head revision
    Heads,
    /// Show one revision
    Show {
        /// A revision id (prefix), head or base
        rev: String,
    },
    /// Set the database's revision without running any SQL
    Stamp {
        /// A revision id (prefix), head or base
        rev: String,
    },
    /// Accept the edit of an applied revision's file: record the checksum of the file as this
    /// build carries it (under the migration lock), running none of its SQL
    Repair {
        /// The applied revision whose file was edited (id or prefix)
        rev: String,
    },
    /// Write a merge revision joining two heads
    Merge {
        /// Message of the merge revision
        #[arg(short, long)]
        message: String,
        /// The heads to join (ids or prefixes)
        #[arg(num_args = 2.., required = true)]
        revs: Vec<String>,
    },
    /// Exit 0 when the database is at head, unedited, and matches the models
    Check,
    /// Rewrite schema.snapshot (the head schema, for code review) from the revision files
    Snapshot,
    /// Write a new revision revising the current head: blank, or with --autogenerate the SQL
    /// that takes what the revisions produce to what the models declare
    Revision {
        /// What the revision does
        #[arg(short, long)]
        message: String,
        /// Compare the models with the schema the revisions produce and write the difference
        #[arg(long)]
        autogenerate: bool,
        /// With --autogenerate: a rename instead of a drop and an add (table.old:new for a
        /// column, old_table:new_table for a table); repeatable
        #[arg(long = "rename", value_name = "OLD:NEW")]
        renames: Vec<String>,
        /// With --autogenerate: only these dialects (default: every dialect the revisions
        /// serve and this build has a driver for); repeatable
        #[arg(long = "dialect", value_name = "sqlite|postgres")]
        dialects: Vec<String>,
        /// With --autogenerate: build and drop the indexes of existing tables without blocking
        /// writes (PostgreSQL's CONCURRENTLY), in a revision of their own with `-- Transaction:
        /// none`, after one with the other changes if there are any
        #[arg(long)]
        concurrently: bool,
        /// With --autogenerate: drop the kept PostgreSQL head of the revisions on the scratch
        /// server and build it again from empty
        #[arg(long)]
        fresh_scratch: bool,
    },
    /// Write the database's schema as the app's models: a Rust module with
    /// `pub fn schema() -> Schema` (for adopting a database that exists already)
    Inspect {
        /// Write the module to this file instead of printing it
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// Adopt the database: write the revision that takes the head of the versions folder (or
    /// nothing) to the models, which must equal the database (`db inspect -o src/models.rs`,
    /// then build), and record it as applied there without running it
    Baseline {
        /// Message of the baseline revision
        #[arg(short, long, default_value = "baseline")]
        message: String,
        /// The dialects a first revision serves (default: the database's); repeatable
        #[arg(long = "dialect", value_name = "sqlite|postgres")]
        dialects: Vec<String>,
    },
}

/// Parses `args` (the words after `db`), runs the verb, prints errors; returns the exit code
/// (0 on success, 1 on error, 2 on bad arguments).
pub fn main<I, T>(migrations: &Migrations, models: &Schema, args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let argv =
        std::iter::once(std::ffi::OsString::from("db")).chain(args.into_iter().map(Into::into));
    let parsed = match DbArgs::try_parse_from(argv) {
        Ok(p) => p,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match execute(migrations, models, &parsed, &mut std::io::stdout().lock()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn parse_wait(value: &str) -> std::result::Result<std::time::Duration, String> {
    crate::revision::parse_duration(value)
        .ok_or_else(|| format!("`{value}` is not a duration: write a whole number and a unit, `ms`, `s`, `min` or `h` (e.g. `5s`)"))
}

/// Runs one verb, writing its output to `out`. `models` is the app's declared schema (for
/// `check`, and for `revision --autogenerate`).
pub fn execute(
    migrations: &Migrations,
    models: &Schema,
    args: &DbArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let url = args.database_url.as_str();
    let io = output_error;
    // One bound for every wait of every verb; progress on stderr, logger or not.
    let options = Options::default()
        .lock_timeout(args.lock_timeout)
        .progress(|line| eprintln!("{line}"));
    let read_history = |db: &mut Database| migrate::with_run(db, &options, migrate::history);
    // What the folder has that this build does not carry, said by every verb that reports
    // the database's state.
    let unbuilt = match &args.command {
        DbCommand::Upgrade { .. }
        | DbCommand::Downgrade { .. }
        | DbCommand::Current { .. }
        | DbCommand::History { .. }
        | DbCommand::Show { .. }
        | DbCommand::Stamp { .. }
        | DbCommand::Repair { .. } => warn_unbuilt(migrations),
        _ => None,
    };
    let stale = unbuilt.is_some();
    let refuse_head = |verb: &'static str, target: &Target| match (&unbuilt, target) {
        (Some(unbuilt), Target::Head) => Err(Error::Unbuilt {
            dir: migrations.versions_dir().to_string(),
            unbuilt: unbuilt.clone(),
            verb,
        }),
        _ => Ok(()),
    };
    match &args.command {
        DbCommand::Upgrade {
            target,
            sql,
            dialect,
        }
        | DbCommand::Downgrade {
            target,
            sql,
            dialect,
        } => {
            let direction = match &args.command {
                DbCommand::Upgrade { .. } => Direction::Upgrade,
                _ => Direction::Downgrade,
            };
            let chain = migrations.chain()?;
            let (from, target) = parse_range(target, *sql)?;
            if direction == Direction::Upgrade {
                refuse_head("upgrade to head", &target)?;
            }
            if *sql {
                let script = sql_script(
                    chain,
                    url,
                    direction,
                    from,
                    &target,
                    dialect.as_deref(),
                    &options,
                )?;
                return out.write_all(script.as_bytes()).map_err(io);
            }
            let mut db = Database::open(url)?;
            let steps = match direction {
                Direction::Upgrade => migrate::upgrade(chain, &mut db, &target, &options)?,
                Direction::Downgrade => migrate::downgrade(chain, &mut db, &target, &options)?,
            };
            report_steps(chain, &mut db, &steps, out)
        }
        DbCommand::Current { verbose } => {
            let chain = migrations.chain()?;
            let rows = match Database::open_read_only(url)? {
                Some(mut db) => read_history(&mut db)?,
                None => Vec::new(),
            };
            let applied = migrate::verify(chain, &rows)?;
            for rev in chain.current(&applied) {
                writeln!(out, "{}{}", rev.id, head_mark(chain, rev, stale)).map_err(io)?;
            }
            if *verbose {
                for row in &rows {
                    writeln!(
                        out,
                        "  applied {} at {} in {} ms",
                        row.revision, row.applied_at, row.execution_ms
                    )
                    .map_err(io)?;
                }
            }
            Ok(())
        }
        DbCommand::History {
            verbose,
            indicate_current,
        } => {
            let chain = migrations.chain()?;
            let current: BTreeSet<String> = if *indicate_current {
                let rows = match Database::open_read_only(url)? {
                    Some(mut db) => read_history(&mut db)?,
                    None => Vec::new(),
                };
                let applied = migrate::verify(chain, &rows)?;
                chain
                    .current(&applied)
                    .iter()
                    .map(|r| r.id.clone())
                    .collect()
            } else {
                BTreeSet::new()
            };
            for rev in chain.revisions().iter().rev() {
                let parents: Vec<&str> = chain
                    .parents_of(rev)
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect();
                let from = if parents.is_empty() {
                    "<base>".to_string()
                } else {
                    parents.join(", ")
                };
                let mut marks = head_mark(chain, rev, stale).to_string();
                if current.contains(&rev.id) {
                    marks.push_str(" (current)");
                }
                if parents.len() > 1 {
                    marks.push_str(" (merge)");
                }
                writeln!(out, "{from} -> {}{marks}, {}", rev.id, rev.summary()).map_err(io)?;
                if *verbose {
                    writeln!(out, "    file: {}", rev.file).map_err(io)?;
                    if let Some(created) = &rev.created {
                        writeln!(out, "    created: {created}").map_err(io)?;
                    }
                    writeln!(out, "    sha256: {}", rev.checksum).map_err(io)?;
                }
            }
            Ok(())
        }
        DbCommand::Heads => {
            // From the folder, so two heads (which the embedded chain refuses) show as two.
            let on_disk = folder::read_revisions(Path::new(migrations.versions_dir()))?;
            for head in folder::heads(&on_disk) {
                writeln!(out, "{head} (head)").map_err(io)?;
            }
            Ok(())
        }
        DbCommand::Show { rev } => {
            let chain = migrations.chain()?;
            let rev = match Target::parse(rev)? {
                Target::Head => chain.head(),
                Target::Revision(spec) => chain.resolve(&spec)?,
                _ => {
                    return Err(Error::BadTarget(
                        "`show` takes a revision id (prefix) or `head`".into(),
                    ))
                }
            };
            let parents: Vec<&str> = chain
                .parents_of(rev)
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            writeln!(out, "Rev: {}{}", rev.id, head_mark(chain, rev, stale)).map_err(io)?;
            writeln!(
                out,
                "Parent: {}",
                if parents.is_empty() {
                    "<base>".into()
                } else {
                    parents.join(", ")
                }
            )
            .map_err(io)?;
            writeln!(out, "Path: {}", rev.file).map_err(io)?;
            writeln!(out, "SHA-256: {}\n", rev.checksum).map_err(io)?;
            let source = migrations.source_of(&rev.id).unwrap_or_default();
            out.write_all(source.as_bytes()).map_err(io)
        }
        DbCommand::Stamp { rev } => {
            let chain = migrations.chain()?;
            let target = Target::parse(rev)?;
            refuse_head("stamp head", &target)?;
            let mut db = Database::open(url)?;
            let edited = migrate::stamp(chain, &mut db, &target, &options)?;
            let applied = migrate::verified_history(chain, &mut db)?;
            for id in &edited {
                let file = chain.resolve(id)?.file_name();
                writeln!(
                    out,
                    "Note: {file} was edited after it ran on this database: its new checksum is \
                     recorded, and what the edit changed was not run here (to accept an \
                     edit on purpose, `db repair {id}` records that one file alone)"
                )
                .map_err(io)?;
            }
            writeln!(
                out,
                "Stamped the database at {}",
                migrate::describe_current(chain, &applied)
            )
            .map_err(io)
        }
        DbCommand::Repair { rev } => {
            let chain = migrations.chain()?;
            let file = chain.resolve(rev)?.file_name().to_string();
            if let Some(unbuilt) = unbuilt.as_ref().filter(|u| u.changed.contains(&file)) {
                return Err(Error::Unbuilt {
                    dir: migrations.versions_dir().to_string(),
                    unbuilt: unbuilt.clone(),
                    verb: "record the checksum of a file this build carries as it was",
                });
            }
            let mut db = Database::open(url)?;
            let done = migrate::repair(chain, &mut db, rev, &options)?;
            if done.recorded == done.now {
                return writeln!(
                    out,
                    "Revision {} ({}) is recorded with its file's checksum {}; nothing to repair",
                    done.revision, done.file, done.now
                )
                .map_err(io);
            }
            writeln!(
                out,
                "Recorded the new checksum of revision {} ({}):\n  was {}\n  now {}\n\
                 Its SQL was not run: the database keeps what the revision did when it was applied \
                 (if the edit changes that, downgrade to before it and upgrade again instead).",
                done.revision, done.file, done.recorded, done.now
            )
            .map_err(io)
        }
        DbCommand::Inspect { output } => {
            let Some(mut db) = Database::open_read_only(url)? else {
                return Err(Error::DatabaseMissing {
                    url: crate::database::mask_password(url),
                    pending: 0,
                });
            };
            let schema = migrate::with_run(&mut db, &options, |db| db.introspect())?;
            let source = crate::inspect::models_source(&schema, db.dialect().name());
            let source = crate::inspect::rustfmt(&source).unwrap_or(source);
            let notes = inspect_notes(&schema, models, db.dialect());
            match output {
                None => {
                    notes.iter().for_each(|n| eprintln!("{n}"));
                    out.write_all(source.as_bytes()).map_err(io)
                }
                Some(path) => {
                    std::fs::write(path, &source).map_err(|source| Error::Io {
                        context: format!("writing the models to {}", path.display()),
                        source,
                    })?;
                    writeln!(
                        out,
                        "Wrote the models of {} table(s) to {}",
                        schema.tables.len(),
                        path.display()
                    )
                    .map_err(io)?;
                    notes
                        .iter()
                        .try_for_each(|n| writeln!(out, "{n}").map_err(io))
                }
            }
        }
        DbCommand::Baseline { message, dialects } => {
            baseline(migrations, models, url, message, dialects, &options, out)
        }
        DbCommand::Check => {
            let chain = migrations.chain()?;
            let Some(mut db) = Database::open_read_only(url)? else {
                return Err(Error::DatabaseMissing {
                    url: crate::database::mask_password(url),
                    pending: chain.revisions().len(),
                });
            };
            let mut findings = migrate::with_run(&mut db, &options, |db| check(chain, db, models))?;
            if let Some(unbuilt) = migrations.unbuilt().filter(|u| !u.is_empty()) {
                findings.push(format!(
                    "unbuilt: the revision files in {} differ from the ones this build carries ({}); rebuild the app (`cargo build`) and run the rebuilt binary",
                    migrations.versions_dir(),
                    unbuilt.describe()
                ));
            }
            if findings.is_empty() {
                writeln!(
                    out,
                    "OK: the database is at head {}, no applied revision was edited, and it matches the models",
                    chain.head().id
                )
                .map_err(io)
            } else {
                Err(Error::CheckFailed(findings))
            }
        }
        DbCommand::Snapshot => {
            let path = write_snapshot_with(migrations, url)?;
            writeln!(out, "Wrote {}", path.display()).map_err(io)
        }
        DbCommand::Revision {
            message,
            autogenerate: true,
            renames,
            dialects,
            concurrently,
            fresh_scratch,
        } => {
            let mut request = autogen_request(migrations, models, url, message, renames, dialects)?;
            request.concurrently = *concurrently;
            request.fresh_scratch = *fresh_scratch;
            autogenerate(&request, out)
        }
        DbCommand::Revision {
            message,
            renames,
            dialects,
            concurrently,
            fresh_scratch,
            ..
        } => {
            if !renames.is_empty() || !dialects.is_empty() || *concurrently || *fresh_scratch {
                return Err(Error::BadArgument {
                    argument: if !renames.is_empty() {
                        "--rename"
                    } else if !dialects.is_empty() {
                        "--dialect"
                    } else if *concurrently {
                        "--concurrently"
                    } else {
                        "--fresh-scratch"
                    }
                    .into(),
                    reason: "it goes with `--autogenerate`".into(),
                });
            }
            let dir = Path::new(migrations.versions_dir());
            let on_disk = folder::read_revisions(dir)?;
            let heads = folder::single_head(&on_disk)?;
            let path = folder::write_blank(dir, &on_disk, &heads, message)?;
            if on_disk.is_empty() {
                writeln!(
                    out,
                    "The first revision chooses the dialects of the chain: its sections name no \
                     dialect, so it serves every dialect with the same SQL; for SQL per dialect, \
                     write `-- +upgrade sqlite` and `-- +upgrade postgres` sections (and their \
                     downgrades) instead, or start the chain with `db revision --autogenerate \
                     --dialect …`"
                )
                .map_err(io)?;
            }
            writeln!(out, "Generating {} ...  done", path.display()).map_err(io)?;
            let snap = write_snapshot_with(migrations, url)?;
            writeln!(out, "Updated {}", snap.display()).map_err(io)?;
            writeln!(out, "Rebuild the app (`cargo build`) to embed it.").map_err(io)
        }
        DbCommand::Merge { message, revs } => {
            let dir = Path::new(migrations.versions_dir());
            let on_disk = folder::read_revisions(dir)?;
            let mut parents = Vec::new();
            for spec in revs {
                let found: Vec<&Revision> = on_disk
                    .iter()
                    .filter(|r| r.id.starts_with(spec.as_str()))
                    .collect();
                match found.as_slice() {
                    [one] => parents.push(one.id.clone()),
                    [] => {
                        return Err(Error::UnknownRevision {
                            spec: spec.clone(),
                            reason: format!(
                                "no revision file in {} has this id or prefix",
                                dir.display()
                            ),
                        })
                    }
                    _ => {
                        return Err(Error::UnknownRevision {
                            spec: spec.clone(),
                            reason: "the prefix is ambiguous".into(),
                        })
                    }
                }
            }
            let heads = folder::heads(&on_disk);
            if let Some(not_head) = parents.iter().find(|p| !heads.contains(p)) {
                return Err(Error::BadTarget(format!(
                    "{not_head} is not a head (the heads are {}); a merge joins heads",
                    heads.join(", ")
                )));
            }
            let path = folder::write_blank(dir, &on_disk, &parents, message)?;
            writeln!(out, "Generating {} ...  done", path.display()).map_err(io)?;
            let snap = write_snapshot_with(migrations, url)?;
            writeln!(out, "Updated {}", snap.display()).map_err(io)?;
            writeln!(out, "Rebuild the app (`cargo build`) to embed it.").map_err(io)
        }
    }
}

/// `db check`'s findings, each a paragraph: edited revisions, pending revisions, drift.
pub fn check<D: Driver + ?Sized>(
    chain: &Chain,
    db: &mut D,
    models: &Schema,
) -> Result<Vec<String>> {
    let rows = migrate::history(db)?;
    let mut findings = Vec::new();
    let mut known = BTreeSet::new();
    for row in &rows {
        match chain.get(&row.revision) {
            None => findings.push(format!(
                "unknown: the database has revision {} applied, which this build does not contain",
                row.revision
            )),
            Some(rev) => {
                known.insert(rev.id.clone());
                if rev.checksum != row.checksum {
                    findings.push(format!(
                        "edited: revision {} ({}) was edited after it was applied; restore it and put the change in a new revision, or accept an edit that changes nothing that ran with `db repair {}`",
                        rev.id,
                        rev.file_name(),
                        rev.id
                    ));
                }
            }
        }
    }
    let pending = chain.plan_upgrade(&known, &Target::Head)?;
    if !pending.is_empty() {
        findings.push(format!(
            "pending: {} revision(s) not applied: {}; run `db upgrade head`",
            pending.len(),
            pending
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let changes = migrate::drift(db, models)?;
    if !changes.is_empty() {
        let mut text = format!(
            "drift: the database differs from the models ({} difference(s)){}:",
            changes.len(),
            if pending.is_empty() {
                ""
            } else {
                "; the pending revisions may account for some"
            }
        );
        for c in &changes {
            text.push_str("\n  ");
            text.push_str(&c.drift());
        }
        findings.push(text);
    }
    Ok(findings)
}

/// The request of `db revision --autogenerate` with these `--rename`s and `--dialect`s.
fn autogen_request<'a>(
    migrations: &Migrations,
    models: &'a Schema,
    url: &str,
    message: &str,
    renames: &[String],
    dialects: &[String],
) -> Result<autogen::Request<'a>> {
    let mut request = autogen::Request::new(
        migrations.versions_dir(),
        migrations.snapshot_path(),
        models,
        message,
    );
    request.renames = renames
        .iter()
        .map(|r| autogen::Rename::parse(r))
        .collect::<Result<_>>()?;
    request.dialects = dialects
        .iter()
        .map(|name| parse_dialect(name))
        .collect::<Result<_>>()?;
    request.database_url = url.to_string();
    Ok(request)
}

/// `db revision --autogenerate`: [`autogen::prepare`], printed, then written.
fn autogenerate(request: &autogen::Request<'_>, out: &mut dyn Write) -> Result<()> {
    let io = output_error;
    let Some(draft) = autogen::prepare(request)? else {
        return writeln!(out, "No changes detected; nothing written").map_err(io);
    };
    write_draft(&draft, out)?;
    let (files, them) = match draft.follow_up {
        Some(_) => ("both files", "them"),
        None => ("the file", "it"),
    };
    writeln!(
        out,
        "Review {files}, then rebuild (`cargo build`) to embed {them}; `db upgrade head --sql` shows what it runs."
    )
    .map_err(io)
}

/// What autogenerate detected and warns of, printed, then the draft written.
fn write_draft(draft: &autogen::Draft, out: &mut dyn Write) -> Result<()> {
    let io = output_error;
    for line in &draft.detected {
        writeln!(out, "INFO  [autogenerate] {line}").map_err(io)?;
    }
    for w in &draft.warnings {
        writeln!(out, "WARNING [autogenerate] {w}").map_err(io)?;
    }
    for (dialect, gap) in &draft.gaps {
        writeln!(
            out,
            "WARNING [autogenerate] after the new revision, {dialect} still differs from the models (please report this): {gap}"
        )
        .map_err(io)?;
    }
    if let Some(choice) = &draft.dialect_choice {
        writeln!(out, "INFO  [autogenerate] {choice}").map_err(io)?;
    }
    for note in &draft.notes {
        writeln!(out, "INFO  [autogenerate] {note}").map_err(io)?;
    }
    draft.write()?;
    writeln!(out, "Generating {} ...  done", draft.path.display()).map_err(io)?;
    if let Some((path, _)) = &draft.follow_up {
        writeln!(
            out,
            "INFO  [autogenerate] the indexes of existing tables are built in a revision of their own, after that one, concurrently and outside a transaction (`-- Transaction: none`)"
        )
        .map_err(io)?;
        writeln!(out, "Generating {} ...  done", path.display()).map_err(io)?;
    }
    writeln!(out, "Updated {}", draft.snapshot_path.display()).map_err(io)
}

/// What `db inspect` says beside the module, for the review of what a baseline will hold:
/// the tables it found that the app's models (as built) lack, the ones they have that the
/// database lacks, and what stays in the database's own words
/// ([`crate::inspect::dialect_specific`]).
fn inspect_notes(schema: &Schema, models: &Schema, on: crate::Dialect) -> Vec<String> {
    let dialect = on.name();
    let mut notes = Vec::new();
    if !models.tables.is_empty() {
        // Each kind's names in `a` that `b` lacks, as `3 table(s): a, b, c`; the models'
        // triggers as the inspected dialect builds them.
        let names = |a: &Schema, b: &Schema| -> Vec<String> {
            fn missing<V>(
                kind: &str,
                a: &std::collections::BTreeMap<String, V>,
                b: &std::collections::BTreeMap<String, V>,
            ) -> Option<String> {
                let names: Vec<&str> = a
                    .keys()
                    .filter(|k| !b.contains_key(*k))
                    .map(String::as_str)
                    .collect();
                (!names.is_empty())
                    .then(|| format!("{} {kind}(s): {}", names.len(), names.join(", ")))
            }
            [
                missing("table", &a.tables, &b.tables),
                missing("view", &a.views, &b.views),
                missing("enum type", &a.enums, &b.enums),
                missing("domain", &a.domains, &b.domains),
                missing("function", &a.functions, &b.functions),
                missing("trigger", &a.triggers_for(on), &b.triggers_for(on)),
            ]
            .into_iter()
            .flatten()
            .collect()
        };
        let found = names(schema, models);
        if !found.is_empty() {
            notes.push(format!(
                "Not in the app's models yet (so in the next autogenerate or baseline): {}",
                found.join("; ")
            ));
        }
        let gone = names(models, schema);
        if !gone.is_empty() {
            notes.push(format!(
                "In the app's models but not in the database (the new models drop them): {}",
                gone.join("; ")
            ));
        }
    }
    let specific = crate::inspect::dialect_specific(schema);
    if !specific.is_empty() {
        notes.push(format!(
            "In {dialect}'s own words, to review if the app serves another dialect too: {}",
            specific.join("; ")
        ));
    }
    notes
}

/// `db baseline`: with the database at the head of the versions folder (or the folder empty,
/// and no history) and equal to `models`, writes the revision from that head to the models,
/// as autogenerate does, and stamps it on the database without running it.
fn baseline(
    migrations: &Migrations,
    models: &Schema,
    url: &str,
    message: &str,
    dialects: &[String],
    options: &Options,
    out: &mut dyn Write,
) -> Result<()> {
    let io = output_error;
    let refuse = |why: String| {
        Err(Error::CheckFailed(vec![format!(
            "cannot write a baseline: {why}"
        )]))
    };
    let masked = crate::database::mask_password(url);
    let Some(mut db) = Database::open_read_only(url)? else {
        return refuse(format!("there is no database at {masked} to adopt"));
    };
    let dir = Path::new(migrations.versions_dir());
    let on_disk = folder::read_revisions(dir)?;
    let dialect = db.dialect();
    let (rows, changes) = migrate::with_run(&mut db, options, |db| {
        Ok((migrate::history(db)?, migrate::drift(db, models)?))
    })?;
    let from = if on_disk.is_empty() {
        if !rows.is_empty() {
            return refuse(format!(
                "the database has {} revision(s) applied but {} holds none; a baseline starts \
                 a chain, or continues the one the database is at",
                rows.len(),
                dir.display()
            ));
        }
        format!("an empty {}", dir.display())
    } else {
        let chain = Chain::new(on_disk.clone()).map_err(Error::Invalid)?;
        let applied = migrate::verify(&chain, &rows)?;
        let head = chain.head();
        if !applied.contains(&head.id) {
            return refuse(format!(
                "the database is at {}, not at the head {} of {}; the baseline holds what the \
                 database has beyond the head, so upgrade it first (`db upgrade head`, after \
                 `cargo build`)",
                migrate::describe_current(&chain, &applied),
                head.id,
                dir.display()
            ));
        }
        format!("its head {}", head.id)
    };
    if !changes.is_empty() {
        let mut why = format!(
            "the app's models differ from the database at {masked} ({} difference(s)), so a \
             baseline made from them would not reproduce it; write the models from the database \
             (`db inspect -o src/models.rs`) and rebuild (`cargo build`), or change them until \
             `db check` finds no drift:",
            changes.len()
        );
        for c in &changes {
            why.push_str("\n  ");
            why.push_str(&c.drift());
        }
        return refuse(why);
    }
    let first = on_disk.is_empty();
    let asked = !dialects.is_empty();
    let dialects = match (asked, first) {
        (false, true) => vec![dialect.name().to_string()],
        _ => dialects.to_vec(),
    };
    let request = autogen_request(migrations, models, url, message, &[], &dialects)?;
    writeln!(
        out,
        "Adopting {masked}, which equals the models: the baseline is what they hold beyond {from}"
    )
    .map_err(io)?;
    let Some(mut draft) = autogen::prepare(&request)? else {
        return writeln!(
            out,
            "No changes detected: the database is at {from} and equals the models; nothing written"
        )
        .map_err(io);
    };
    if first && draft.dialect_choice.is_some() {
        let served = request
            .dialects
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>();
        draft.dialect_choice = Some(format!(
            "The baseline chooses the dialects of the chain: it serves {} ({}); every later \
             revision will have sections for {}; to choose again, run `db stamp base` (after \
             `cargo build`), delete the file, and run `db baseline` with `--dialect` once per \
             dialect",
            served.join(" and "),
            if asked {
                "as `--dialect` asked"
            } else {
                "the database's; `--dialect` once per dialect serves others too"
            },
            if served.len() == 1 { "it" } else { "them" }
        ));
    }
    write_draft(&draft, out)?;
    let file = draft.path.file_name().unwrap_or_default().to_string_lossy();
    let id = file.split('_').next().unwrap_or_default().to_string();
    let chain = Chain::new(folder::read_revisions(dir)?).map_err(Error::Invalid)?;
    drop(db);
    let mut db = Database::open(url)?;
    migrate::stamp(&chain, &mut db, &Target::Revision(id.clone()), options)?;
    writeln!(
        out,
        "Stamped {masked} at {id} without running it (the database already holds it).\n\
         Review the file, then rebuild (`cargo build`) to embed it: `db check` is then clean, and \
         `db upgrade head` builds the same schema on an empty database."
    )
    .map_err(io)
}

/// Rewrites `schema.snapshot` from the revision files on disk; returns its path.
pub fn write_snapshot(migrations: &Migrations) -> Result<PathBuf> {
    write_snapshot_with(migrations, "")
}

/// [`write_snapshot`]; for revisions that serve PostgreSQL only, the head is built in a
/// temporary database on the server picked as for autogenerate, from `url`.
fn write_snapshot_with(migrations: &Migrations, url: &str) -> Result<PathBuf> {
    let path = migrations.snapshot_path();
    autogen::write_snapshot(Path::new(migrations.versions_dir()), &path, url)?;
    Ok(path)
}

/// A failed write to the command's output.
fn output_error(source: std::io::Error) -> Error {
    Error::Io {
        context: "writing output".into(),
        source,
    }
}

/// ` (head)` after the head's id; ` (head of this build)` when the versions folder holds
/// revision files the build does not carry (`stale`).
fn head_mark(chain: &Chain, rev: &Revision, stale: bool) -> &'static str {
    match (chain.head().id == rev.id, stale) {
        (false, _) => "",
        (true, false) => " (head)",
        (true, true) => " (head of this build, not of the versions folder)",
    }
}

/// Says on stderr which revision files of the versions folder this build does not carry, or
/// carries as they were (see [`Migrations::unbuilt`]), and returns them; `None` when the folder
/// matches the build or does not exist (a deployed binary).
fn warn_unbuilt(migrations: &Migrations) -> Option<folder::Unbuilt> {
    let unbuilt = migrations.unbuilt().filter(|u| !u.is_empty())?;
    eprintln!(
        "warning: the revision files in {} differ from the ones this build carries ({}); \
         what follows is this build's view: rebuild the app (`cargo build`) and run the \
         rebuilt binary",
        migrations.versions_dir(),
        unbuilt.describe()
    );
    Some(unbuilt)
}

fn report_steps(
    chain: &Chain,
    db: &mut Database,
    steps: &[migrate::StepReport],
    out: &mut dyn Write,
) -> Result<()> {
    let io = output_error;
    for s in steps.iter().filter(|s| s.ran) {
        // A revision this build does not know ran from its stored file.
        let summary = chain.get(&s.revision).map_or(
            "(not in this build: its downgrade stored in the database)",
            |rev| rev.summary(),
        );
        writeln!(
            out,
            "{} {} ({} ms), {}",
            s.direction.name(),
            s.revision,
            s.millis,
            summary
        )
        .map_err(io)?;
    }
    let applied = migrate::verified_history(chain, db)?;
    writeln!(
        out,
        "Database is at {}",
        migrate::describe_current(chain, &applied)
    )
    .map_err(io)
}

/// A `--dialect` value.
fn parse_dialect(name: &str) -> Result<crate::Dialect> {
    crate::Dialect::from_name(name).ok_or_else(|| Error::BadArgument {
        argument: format!("--dialect {name}"),
        reason: "the dialects are sqlite and postgres".into(),
    })
}

/// `TARGET` or, with `--sql`, `FROM:TO`.
fn parse_range(spec: &str, sql: bool) -> Result<(Option<Target>, Target)> {
    match spec.split_once(':') {
        None => Ok((None, Target::parse(spec)?)),
        Some(_) if !sql => Err(Error::BadArgument {
            argument: spec.into(),
            reason: "a range FROM:TO is for `--sql` (a script planned without the database); \
                     to move the database, name the target only"
                .into(),
        }),
        Some((from, to)) => Ok((Some(Target::parse(from)?), Target::parse(to)?)),
    }
}

/// `--sql`: with a range (or `--dialect`, from base for an upgrade) the script planned offline,
/// without a database; otherwise planned from the database's history, read without writing (a
/// database that does not exist yet reads as empty).
fn sql_script(
    chain: &Chain,
    url: &str,
    direction: Direction,
    from: Option<Target>,
    target: &Target,
    dialect: Option<&str>,
    options: &Options,
) -> Result<String> {
    let from = match (from, dialect, direction) {
        (Some(from), _, _) => Some(from),
        (None, Some(_), Direction::Upgrade) => Some(Target::Base),
        (None, Some(_), Direction::Downgrade) => {
            return Err(Error::BadArgument {
                argument: "--dialect".into(),
                reason: "an offline downgrade needs where it starts: `db downgrade FROM:TO --sql` \
                         (e.g. `head:base`)"
                    .into(),
            })
        }
        (None, None, _) => None,
    };
    let dialect = match dialect {
        Some(name) => parse_dialect(name)?,
        None => crate::database::DatabaseUrl::parse(url)?.dialect(),
    };
    let (applied, create_history, how) = match &from {
        Some(from) => {
            if !chain.serves(dialect) {
                return Err(Error::DialectNotServed {
                    served: chain.dialects().to_vec(),
                    database: dialect,
                });
            }
            let applied = migrate::offline::applied_at(chain, from)?;
            let how = ", offline: no database was read, and";
            (applied, direction == Direction::Upgrade, how)
        }
        None => {
            let read = || -> Result<_> {
                Ok(match Database::open_read_only(url)? {
                    Some(mut db) => {
                        let has =
                            migrate::history::exists(&mut db, crate::bookkeeping::HISTORY_TABLE)?;
                        (migrate::history(&mut db)?, has)
                    }
                    None => (Vec::new(), false),
                })
            };
            let (rows, has_history) = read().map_err(|e| Error::SqlNeedsDatabase {
                source: Box::new(e),
            })?;
            (migrate::verify(chain, &rows)?, !has_history, ";")
        }
    };
    let plan = migrate::offline::plan(chain, direction, &applied, target)?;
    let mut text = format!(
        "-- {} from {} to {} on {dialect}{how} nothing below has been run\n\n",
        direction.name(),
        migrate::describe_current(chain, &applied),
        describe_target(chain, target)?,
    );
    if plan.is_empty() {
        text.push_str("-- nothing to do\n");
    }
    text.push_str(&migrate::render_plan(
        chain,
        dialect,
        &plan,
        direction,
        create_history,
        options,
    ));
    Ok(text)
}

/// A target in words: an id, `base`, or a relative step.
fn describe_target(chain: &Chain, target: &Target) -> Result<String> {
    Ok(match target {
        Target::Head => chain.head().id.clone(),
        Target::Base => "base".into(),
        Target::Relative(n) => format!("{n:+}"),
        Target::Revision(r) => chain.resolve(r)?.id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downgrade_accepts_negative_steps() {
        let args = DbArgs::try_parse_from(["db", "downgrade", "-1"]).unwrap();
        assert!(
            matches!(args.command, DbCommand::Downgrade { ref target, sql: false, .. } if target == "-1")
        );
        let args = DbArgs::try_parse_from([
            "db",
            "--database-url",
            "sqlite::memory:",
            "upgrade",
            "--sql",
        ])
        .unwrap();
        assert!(
            matches!(args.command, DbCommand::Upgrade { ref target, sql: true, .. } if target == "head")
        );
    }

    #[test]
    fn inspect_names_what_the_models_lack_and_have_beyond_the_database() {
        use crate::schema::{Column, ColumnType, Table};
        let table = |name: &str| Table::new(name).column(Column::new("id", ColumnType::Integer));
        let live = Schema::new()
            .table(table("a"))
            .table(table("hand_made"))
            .view(crate::schema::View::new("totals", "SELECT 1"));
        let models = Schema::new().table(table("a")).table(table("dropped"));
        let notes = inspect_notes(&live, &models, crate::Dialect::Sqlite);
        assert_eq!(
            notes,
            [
                "Not in the app's models yet (so in the next autogenerate or baseline): 1 table(s): hand_made; 1 view(s): totals",
                "In the app's models but not in the database (the new models drop them): 1 table(s): dropped",
            ]
        );
        // A trigger the models declare for the inspected dialect is the database's, not news.
        let touch = crate::schema::Trigger::new("a", "touch", "CREATE TRIGGER touch …");
        let live = Schema::new().table(table("a")).trigger(touch.clone());
        let models = Schema::new()
            .table(table("a"))
            .trigger(touch.only(crate::Dialect::Sqlite));
        assert_eq!(
            inspect_notes(&live, &models, crate::Dialect::Sqlite),
            Vec::<String>::new()
        );
        // The first models of an app (none yet) are no news: every table is new.
        assert!(inspect_notes(&live, &Schema::new(), crate::Dialect::Sqlite).is_empty());
    }
}
