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

use crate::chain::{Chain, Target};
use crate::database::{Database, DEFAULT_URL};
use crate::driver::{Driver, Options};
use crate::error::{Error, Result};
use crate::migrate;
use crate::revision::{self, Direction, Revision};
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
    /// The verb.
    #[command(subcommand)]
    pub command: DbCommand,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Upgrade to a later revision: head (default), +N, or REV
    Upgrade {
        /// head, +N or a revision id (prefix)
        #[arg(default_value = "head")]
        target: String,
        /// Print the SQL that would run, and change nothing
        #[arg(long)]
        sql: bool,
    },
    /// Downgrade to an earlier revision: -N, base, or REV
    Downgrade {
        /// -N, base or a revision id (prefix)
        #[arg(allow_hyphen_values = true)]
        target: String,
        /// Print the SQL that would run, and change nothing
        #[arg(long)]
        sql: bool,
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
    match &args.command {
        DbCommand::Upgrade { target, sql } => {
            let chain = migrations.chain()?;
            let target = Target::parse(target)?;
            if *sql {
                let text = offline_sql(chain, url, Direction::Upgrade, &target)?;
                return out.write_all(text.as_bytes()).map_err(io);
            }
            let mut db = Database::open(url)?;
            let steps = migrate::upgrade(chain, &mut db, &target, &Options::default())?;
            report_steps(chain, &mut db, &steps, out)
        }
        DbCommand::Downgrade { target, sql } => {
            let chain = migrations.chain()?;
            let target = Target::parse(target)?;
            if *sql {
                let text = offline_sql(chain, url, Direction::Downgrade, &target)?;
                return out.write_all(text.as_bytes()).map_err(io);
            }
            let mut db = Database::open(url)?;
            let steps = migrate::downgrade(chain, &mut db, &target, &Options::default())?;
            report_steps(chain, &mut db, &steps, out)
        }
        DbCommand::Current { verbose } => {
            let chain = migrations.chain()?;
            let rows = match Database::open_read_only(url)? {
                Some(mut db) => migrate::history(&mut db)?,
                None => Vec::new(),
            };
            let applied = migrate::verify(chain, &rows)?;
            for rev in chain.current(&applied) {
                writeln!(out, "{}{}", rev.id, head_mark(chain, rev)).map_err(io)?;
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
                    Some(mut db) => migrate::history(&mut db)?,
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
                let mut marks = head_mark(chain, rev).to_string();
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
            let on_disk = read_versions(Path::new(migrations.versions_dir()))?;
            for head in heads_of(&on_disk) {
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
            writeln!(out, "Rev: {}{}", rev.id, head_mark(chain, rev)).map_err(io)?;
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
            let mut db = Database::open(url)?;
            migrate::stamp(chain, &mut db, &target, &Options::default())?;
            let applied = migrate::verified_history(chain, &mut db)?;
            writeln!(
                out,
                "Stamped the database at {}",
                migrate::describe_current(chain, &applied)
            )
            .map_err(io)
        }
        DbCommand::Check => {
            let chain = migrations.chain()?;
            let Some(mut db) = Database::open_read_only(url)? else {
                return Err(Error::Other(format!(
                    "the database at {} does not exist yet: all {} revision(s) are pending; run `db upgrade head`",
                    crate::database::mask_password(url),
                    chain.revisions().len()
                )));
            };
            let findings = check(chain, &mut db, models)?;
            if findings.is_empty() {
                writeln!(
                    out,
                    "OK: the database is at head {}, no applied revision was edited, and it matches the models",
                    chain.head().id
                )
                .map_err(io)
            } else {
                Err(Error::Other(findings.join("\n")))
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
        } => autogenerate_revision(migrations, models, url, message, renames, dialects, out),
        DbCommand::Revision {
            message,
            renames,
            dialects,
            ..
        } => {
            if !renames.is_empty() || !dialects.is_empty() {
                return Err(Error::Other(
                    "`--rename` and `--dialect` go with `--autogenerate`".into(),
                ));
            }
            let dir = Path::new(migrations.versions_dir());
            let on_disk = read_versions(dir)?;
            let heads = single_head(&on_disk)?;
            let path = write_revision(dir, &on_disk, &heads, message)?;
            writeln!(out, "Generating {} ...  done", path.display()).map_err(io)?;
            let snap = write_snapshot_with(migrations, url)?;
            writeln!(out, "Updated {}", snap.display()).map_err(io)?;
            writeln!(out, "Rebuild the app (`cargo build`) to embed it.").map_err(io)
        }
        DbCommand::Merge { message, revs } => {
            let dir = Path::new(migrations.versions_dir());
            let on_disk = read_versions(dir)?;
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
            let heads = heads_of(&on_disk);
            if let Some(not_head) = parents.iter().find(|p| !heads.contains(p)) {
                return Err(Error::BadTarget(format!(
                    "{not_head} is not a head (the heads are {}); a merge joins heads",
                    heads.join(", ")
                )));
            }
            let path = write_revision(dir, &on_disk, &parents, message)?;
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
                        "edited: revision {} ({}) was edited after it was applied; restore it and put the change in a new revision",
                        rev.id,
                        rev.file_name()
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

/// The server where autogenerate may create its temporary PostgreSQL database:
/// `SCRATCH_DATABASE_URL`, else the `--database-url` when it is PostgreSQL, else
/// `TEST_POSTGRES_URL`, else the local default.
#[cfg(feature = "postgres")]
fn scratch_admin_url(url: &str) -> String {
    std::env::var("SCRATCH_DATABASE_URL")
        .ok()
        .or_else(|| url.starts_with("postgres").then(|| url.to_string()))
        .or_else(|| std::env::var("TEST_POSTGRES_URL").ok())
        .unwrap_or_else(|| crate::driver::postgres::DEFAULT_ADMIN_URL.to_string())
}

/// What autogenerate compares for one dialect, built in scratch databases (never the app's own).
struct Scratch {
    dialect: crate::Dialect,
    /// The head schema the revisions produce.
    head: Schema,
    /// The models, as the dialect builds them.
    expected: Schema,
    /// Whether `expected` was predicted ([`migrate::predicted_as_built`]) rather than built.
    predicted: bool,
    /// The head's tables as read, so the trial of the new revision re-reads only what it
    /// changed.
    cache: crate::driver::SchemaCache,
    /// SQLite: the scratch database, still at head, where the new revision is tried.
    sqlite: Option<rusqlite::Connection>,
    /// PostgreSQL: the same, in a temporary database dropped with it.
    #[cfg(feature = "postgres")]
    postgres: Option<(postgres::Client, crate::driver::postgres::ScratchDatabase)>,
}

impl Scratch {
    /// The scratch database at head.
    fn conn(&mut self) -> Option<&mut dyn Driver> {
        #[cfg(feature = "postgres")]
        if let Some((client, _)) = self.postgres.as_mut() {
            return Some(client);
        }
        self.sqlite.as_mut().map(|c| c as &mut dyn Driver)
    }

    /// Runs what `next` adds to the scratch database's head, and reads the result back.
    fn try_chain(&mut self, next: &Chain) -> Result<Schema> {
        let mut cache = std::mem::take(&mut self.cache);
        let conn = self.conn().expect("called with a scratch database");
        migrate::apply_quietly(next, conn)?;
        conn.introspect_cached(&mut cache)
    }
}

/// A temporary PostgreSQL database on the scratch server (see [`scratch_admin_url`]), and a
/// connection to it whose commits do not wait for the disk (it is thrown away).
#[cfg(feature = "postgres")]
fn postgres_scratch(
    url: &str,
    purpose: &str,
) -> Result<(postgres::Client, crate::driver::postgres::ScratchDatabase)> {
    let admin = scratch_admin_url(url);
    let scratch = crate::driver::postgres::ScratchDatabase::create(&admin, "migrations_scratch")
        .map_err(|e| {
            Error::Other(format!(
                "the revisions serve postgres, and {purpose} builds them in a temporary PostgreSQL database, which it could not create: {e}; set SCRATCH_DATABASE_URL to a server where it may (`postgres://user:password@host/postgres`)"
            ))
        })?;
    let mut client = scratch.connect()?;
    client
        .batch_execute("SET synchronous_commit = off")
        .map_err(|source| Error::Postgres {
            context: "configuring the scratch database".into(),
            source,
        })?;
    Ok((client, scratch))
}

/// The head schema the revisions produce and the models, both as `dialect` builds them, in
/// scratch databases (never the app's own database).
#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
fn scratch_schemas(
    chain: Option<&Chain>,
    models: &Schema,
    dialect: crate::Dialect,
    url: &str,
    predict: bool,
) -> Result<Scratch> {
    // The models as the dialect builds them: predicted, or built on `conn`'s server.
    let expected = |conn: &mut dyn Driver| -> Result<(Schema, bool)> {
        match predict
            .then(|| migrate::predicted_as_built(dialect, models))
            .flatten()
        {
            Some(predicted) => Ok((predicted, true)),
            None => Ok((migrate::models_as_built(conn, models)?, false)),
        }
    };
    match dialect {
        crate::Dialect::Sqlite => {
            let mut conn = rusqlite::Connection::open_in_memory().map_err(|source| Error::Sqlite {
                context: "opening a scratch database".into(),
                source,
            })?;
            if let Some(chain) = chain {
                migrate::apply_quietly(chain, &mut conn)?;
            }
            let mut cache = crate::driver::SchemaCache::default();
            let head = conn.introspect_cached(&mut cache)?;
            let (expected, predicted) = expected(&mut conn)?;
            Ok(Scratch {
                dialect,
                head,
                expected,
                predicted,
                cache,
                sqlite: Some(conn),
                #[cfg(feature = "postgres")]
                postgres: None,
            })
        }
        #[cfg(feature = "postgres")]
        crate::Dialect::Postgres => {
            let (mut client, scratch) = postgres_scratch(url, "autogenerate")?;
            if let Some(chain) = chain {
                migrate::apply_quietly(chain, &mut client)?;
            }
            let head = client.introspect()?;
            let (expected, predicted) = expected(&mut client)?;
            Ok(Scratch {
                dialect,
                head,
                expected,
                predicted,
                cache: crate::driver::SchemaCache::default(),
                sqlite: None,
                postgres: Some((client, scratch)),
            })
        }
        #[cfg(not(feature = "postgres"))]
        crate::Dialect::Postgres => Err(Error::Other(
            "the revisions serve postgres: enable the `postgres` feature of migrations-core to autogenerate for it".into(),
        )),
    }
}

/// `db revision --autogenerate`: compares the models with what the revision files produce,
/// per dialect, and writes the revision that closes the gap (nothing when there is none).
fn autogenerate_revision(
    migrations: &Migrations,
    models: &Schema,
    url: &str,
    message: &str,
    renames: &[String],
    only: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let io = output_error;
    let renames = renames
        .iter()
        .map(|r| crate::autogen::Rename::parse(r))
        .collect::<Result<Vec<_>>>()?;
    let dir = Path::new(migrations.versions_dir());
    let on_disk = read_versions(dir)?;
    let heads = single_head(&on_disk)?;
    let chain = if on_disk.is_empty() {
        None
    } else {
        Some(Chain::new(on_disk.clone()).map_err(Error::Invalid)?)
    };
    let served: Vec<crate::Dialect> = chain
        .as_ref()
        .map_or(crate::Dialect::ALL.to_vec(), |c| c.dialects().to_vec());
    // A chain of sections without dialects serves every dialect; the app may still use one.
    let generic_only = on_disk
        .iter()
        .all(|r| r.sections.iter().all(|s| s.dialect.is_none()));
    let wanted: Vec<crate::Dialect> = if only.is_empty() {
        served
            .iter()
            .copied()
            .filter(|d| cfg!(feature = "postgres") || *d == crate::Dialect::Sqlite)
            .collect()
    } else {
        only.iter()
            .map(|name| {
                crate::Dialect::from_name(name).ok_or_else(|| {
                    Error::Other(format!(
                        "`--dialect {name}`: the dialects are sqlite and postgres"
                    ))
                })
            })
            .collect::<Result<_>>()?
    };
    if wanted.is_empty() {
        return Err(Error::Other("no dialect to autogenerate for".into()));
    }
    let missing: Vec<String> = served
        .iter()
        .filter(|d| !wanted.contains(d))
        .map(|d| d.to_string())
        .collect();
    if !missing.is_empty() && !generic_only {
        return Err(Error::Other(format!(
            "the revisions have sections for {} too, so the new one needs them: autogenerate for every dialect (drop `--dialect`, and give it a PostgreSQL server with SCRATCH_DATABASE_URL)",
            missing.join(" and ")
        )));
    }
    let dialects = wanted;
    // The models are predicted where that needs no database. Should the new revision
    // not run, or not reach the prediction, on a scratch database, all is done again with the
    // models built there: nothing is written before this settles.
    let mut predict = true;
    let (plans, path, text, snapshot, gaps) = loop {
        let mut plans = Vec::new();
        let mut scratches = Vec::new();
        for dialect in &dialects {
            let scratch = scratch_schemas(chain.as_ref(), models, *dialect, url, predict)?;
            plans.push(crate::autogen::plan(
                *dialect,
                &scratch.head,
                &scratch.expected,
                &renames,
            ));
            scratches.push(scratch);
        }
        if plans.iter().all(|p| p.changes.is_empty()) {
            writeln!(out, "No changes detected; nothing written").map_err(io)?;
            return Ok(());
        }
        let id = loop {
            let id = new_revision_id()?;
            if on_disk.iter().all(|r| r.id != id) {
                break id;
            }
        };
        let path = dir.join(format!("{id}_{}.sql", revision::slug(message)));
        // Sections for one dialect, in a chain whose sections serve every dialect: shared
        // sections, so the chain stays valid.
        let shared = generic_only && !missing.is_empty();
        let text = crate::autogen::render_file(&id, &heads, message, &now_utc(), &plans, shared);
        // Never leave a file that breaks the chain: check the new chain before writing it.
        let mut next = on_disk.clone();
        next.push(revision::parse(&path.display().to_string(), &text).map_err(Error::Invalid)?);
        let next = Chain::new(next).map_err(|problems| {
            Error::Other(format!(
                "autogenerate made a revision that would break the chain, so nothing was written (please report this): {}",
                Error::Invalid(problems)
            ))
        })?;
        // Run the new revision on each scratch database (still at the old head) before writing
        // anything: it must run and reach the models, and the result is the new snapshot.
        let snapshot_dialect = migrate::snapshot_dialect(&next);
        let mut snapshot = None;
        let mut gaps = Vec::new();
        let mut mispredicted = false;
        for scratch in &mut scratches {
            let (dialect, predicted) = (scratch.dialect, scratch.predicted);
            if !next.serves(dialect) || scratch.conn().is_none() {
                continue;
            }
            let head = match scratch.try_chain(&next) {
                Ok(head) => head,
                Err(_) if predicted => {
                    mispredicted = true;
                    break;
                }
                Err(e) => {
                    return Err(Error::Other(format!(
                        "autogenerate made a revision that fails on {dialect}, so nothing was written (please report this): {e}"
                    )))
                }
            };
            let left = crate::diff::diff(&head, &scratch.expected);
            if predicted && !left.is_empty() {
                mispredicted = true;
                break;
            }
            gaps.extend(left.iter().map(|gap| (dialect, gap.drift())));
            if dialect == snapshot_dialect {
                snapshot = Some(migrate::render_snapshot(&next, &head));
            }
        }
        if mispredicted {
            log::debug!(
                "the new revision did not reach the predicted models; building them instead"
            );
            predict = false;
            continue;
        }
        // No scratch database of the snapshot's dialect (e.g. `--dialect postgres` on sections
        // every dialect shares): build the new head there, before writing anything either.
        let snapshot = match snapshot {
            Some(text) => text,
            None => migrate::render_snapshot(
                &next,
                &snapshot_head(&next, url).map_err(|e| {
                    Error::Other(format!(
                        "autogenerate made a revision that fails on {}, so nothing was written (please report this): {e}",
                        migrate::snapshot_dialect(&next)
                    ))
                })?,
            ),
        };
        break (plans, path, text, snapshot, gaps);
    };
    let mut seen = BTreeSet::new();
    for p in &plans {
        for c in &p.changes {
            let line = c.detected();
            if seen.insert(line.clone()) {
                writeln!(out, "INFO  [autogenerate] {line}").map_err(io)?;
            }
        }
    }
    let mut warned = BTreeSet::new();
    for p in &plans {
        for w in p.warnings.iter().chain(&p.possible_renames) {
            if warned.insert(w.clone()) {
                writeln!(out, "WARNING [autogenerate] {w}").map_err(io)?;
            }
        }
    }
    for (dialect, gap) in gaps {
        writeln!(
            out,
            "WARNING [autogenerate] after the new revision, {dialect} still differs from the models (please report this): {gap}"
        )
        .map_err(io)?;
    }
    std::fs::write(&path, text).map_err(|e| Error::Io {
        context: format!("writing {}", path.display()),
        source: e,
    })?;
    writeln!(out, "Generating {} ...  done", path.display()).map_err(io)?;
    let snap = migrations.snapshot_path();
    std::fs::write(&snap, snapshot).map_err(|e| Error::Io {
        context: format!("writing {}", snap.display()),
        source: e,
    })?;
    writeln!(out, "Updated {}", snap.display()).map_err(io)?;
    writeln!(
        out,
        "Review the file, then rebuild (`cargo build`) to embed it; `db upgrade head --sql` shows what it runs."
    )
    .map_err(io)
}

/// Rewrites `schema.snapshot` from the revision files on disk; returns its path.
pub fn write_snapshot(migrations: &Migrations) -> Result<PathBuf> {
    write_snapshot_with(migrations, "")
}

/// [`write_snapshot`]; for revisions that serve PostgreSQL only, the head is built in a
/// temporary database on the server [`scratch_admin_url`] picks from `url`.
fn write_snapshot_with(migrations: &Migrations, url: &str) -> Result<PathBuf> {
    let dir = Path::new(migrations.versions_dir());
    let chain = Chain::new(read_versions(dir)?).map_err(Error::Invalid)?;
    let text = migrate::render_snapshot(&chain, &snapshot_head(&chain, url)?);
    let path = migrations.snapshot_path();
    std::fs::write(&path, text).map_err(|e| Error::Io {
        context: format!("writing {}", path.display()),
        source: e,
    })?;
    Ok(path)
}

/// The head schema `schema.snapshot` shows for `chain`, built in a scratch database of
/// [`migrate::snapshot_dialect`].
#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
fn snapshot_head(chain: &Chain, url: &str) -> Result<Schema> {
    match migrate::snapshot_dialect(chain) {
        crate::Dialect::Sqlite => migrate::head_schema(chain),
        #[cfg(feature = "postgres")]
        crate::Dialect::Postgres => {
            let (mut client, _scratch) = postgres_scratch(url, "the snapshot")?;
            migrate::build_head(chain, &mut client)
        }
        #[cfg(not(feature = "postgres"))]
        crate::Dialect::Postgres => Err(Error::Other(
            "the revisions serve postgres only: enable the `postgres` feature of migrations-core to write their snapshot".into(),
        )),
    }
}

/// A failed write to the command's output.
fn output_error(source: std::io::Error) -> Error {
    Error::Io {
        context: "writing output".into(),
        source,
    }
}

fn head_mark(chain: &Chain, rev: &Revision) -> &'static str {
    if chain.head().id == rev.id {
        " (head)"
    } else {
        ""
    }
}

fn report_steps(
    chain: &Chain,
    db: &mut Database,
    steps: &[migrate::StepReport],
    out: &mut dyn Write,
) -> Result<()> {
    let io = output_error;
    for s in steps.iter().filter(|s| s.ran) {
        let rev = chain.get(&s.revision).expect("planned from the chain");
        writeln!(
            out,
            "{} {} ({} ms), {}",
            s.direction.name(),
            s.revision,
            s.millis,
            rev.summary()
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

/// The SQL of an upgrade or downgrade, planned from the database's state read without writing
/// (a database that does not exist yet reads as empty).
fn offline_sql(chain: &Chain, url: &str, direction: Direction, target: &Target) -> Result<String> {
    let dialect = crate::database::DatabaseUrl::parse(url)?.dialect();
    let (rows, has_history) = match Database::open_read_only(url)? {
        Some(mut db) => {
            let has = migrate::history::exists(&mut db, crate::bookkeeping::HISTORY_TABLE)?;
            (migrate::history(&mut db)?, has)
        }
        None => (Vec::new(), false),
    };
    let applied = migrate::verify(chain, &rows)?;
    let plan = match direction {
        Direction::Upgrade => chain.plan_upgrade(&applied, target)?,
        Direction::Downgrade => chain.plan_downgrade(&applied, target)?,
    };
    let mut text = format!(
        "-- {} from {} to {} on {dialect}; nothing below has been run\n\n",
        direction.name(),
        migrate::describe_current(chain, &applied),
        match target {
            Target::Head => chain.head().id.clone(),
            Target::Base => "base".into(),
            Target::Relative(n) => format!("{n:+}"),
            Target::Revision(r) => chain.resolve(r)?.id.clone(),
        }
    );
    if plan.is_empty() {
        text.push_str("-- nothing to do\n");
    }
    text.push_str(&migrate::render_plan(
        chain,
        dialect,
        &plan,
        direction,
        !has_history,
    ));
    Ok(text)
}

/// Parses the revision files currently in the versions folder (not the embedded ones: the
/// folder may be ahead of the binary).
fn read_versions(dir: &Path) -> Result<Vec<Revision>> {
    let folder = crate::folder::read(dir).map_err(|p| Error::Invalid(vec![p]))?;
    let problems = folder.all_problems();
    if problems.is_empty() {
        Ok(folder.revisions())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The head a new revision revises (none for the first one), or an error saying to merge.
fn single_head(revisions: &[Revision]) -> Result<Vec<String>> {
    let heads = heads_of(revisions);
    if heads.len() > 1 {
        return Err(Error::Other(format!(
            "the versions folder has {} heads ({}); join them first with `db merge -m MSG {}`",
            heads.len(),
            heads.join(", "),
            heads.join(" ")
        )));
    }
    Ok(heads)
}

/// Ids that no revision revises, sorted.
fn heads_of(revisions: &[Revision]) -> Vec<String> {
    let parents: BTreeSet<&str> = revisions
        .iter()
        .flat_map(|r| r.revises.iter().map(String::as_str))
        .collect();
    let mut heads: Vec<String> = revisions
        .iter()
        .filter(|r| !parents.contains(r.id.as_str()))
        .map(|r| r.id.clone())
        .collect();
    heads.sort();
    heads
}

/// Writes a blank revision revising `parents` with a fresh id; returns its path.
fn write_revision(
    dir: &Path,
    existing: &[Revision],
    parents: &[String],
    message: &str,
) -> Result<PathBuf> {
    let id = loop {
        let id = new_revision_id()?;
        if existing.iter().all(|r| r.id != id) {
            break id;
        }
    };
    let path = dir.join(format!("{id}_{}.sql", revision::slug(message)));
    let text = revision::render_blank(&id, parents, message, &now_utc());
    std::fs::write(&path, text).map_err(|e| Error::Io {
        context: format!("writing {}", path.display()),
        source: e,
    })?;
    Ok(path)
}

/// 12 random lowercase hex characters.
pub fn new_revision_id() -> Result<String> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Other(format!("no randomness for a revision id: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The current time as `YYYY-MM-DD HH:MM:SS UTC`.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    format_utc(secs)
}

/// Formats seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC` (civil-from-days).
fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_795_257_900), "2026-11-21 10:45:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn ids_are_valid() {
        let id = new_revision_id().unwrap();
        assert!(revision::is_valid_id(&id), "{id}");
        assert_ne!(id, new_revision_id().unwrap());
    }

    #[test]
    fn downgrade_accepts_negative_steps() {
        let args = DbArgs::try_parse_from(["db", "downgrade", "-1"]).unwrap();
        assert!(
            matches!(args.command, DbCommand::Downgrade { ref target, sql: false } if target == "-1")
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
            matches!(args.command, DbCommand::Upgrade { ref target, sql: true } if target == "head")
        );
    }

    #[test]
    fn heads_of_a_branched_folder() {
        let rev = |id: &str, parents: &str| {
            revision::parse(
                &format!("v/{id}_x.sql"),
                &format!("-- Revision: {id}\n-- Revises: {parents}\n-- +upgrade\n-- +downgrade\n"),
            )
            .unwrap()
        };
        let a = "a".repeat(12);
        let b = "b".repeat(12);
        let c = "c".repeat(12);
        assert_eq!(
            heads_of(&[rev(&a, ""), rev(&b, &a), rev(&c, &a)]),
            [b.clone(), c]
        );
        assert_eq!(heads_of(&[rev(&a, ""), rev(&b, &a)]), [b]);
    }
}
