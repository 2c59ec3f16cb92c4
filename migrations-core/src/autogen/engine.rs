//! Autogenerate's engine: from the versions folder and the models to a new revision file and
//! snapshot, tried on scratch databases before anything is written. The `db revision
//! --autogenerate` command is this, printed.
//!
//! # Example
//!
//! ```no_run
//! use migrations_core::autogen::{prepare, Request};
//! # let models = migrations_core::Schema::new();
//!
//! let request = Request::new("migrations/versions", "migrations/schema.snapshot", &models, "add users");
//! match prepare(&request)? {
//!     None => println!("no changes"),
//!     Some(draft) => {
//!         for line in &draft.detected {
//!             println!("detected: {line}");
//!         }
//!         draft.write()?; // the revision file and the snapshot
//!     }
//! }
//! # Ok::<(), migrations_core::Error>(())
//! ```

use super::scratch::{scratch_schemas, snapshot_head, Place, Scratch};
use super::{plan, plan_concurrently, render_file, split_busy_indexes, Plan, Rename};
use crate::chain::Chain;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::folder;
use crate::migrate;
use crate::revision;
use crate::schema::Schema;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What to autogenerate: the versions folder, the models, the message, and the options of
/// `db revision --autogenerate`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The versions folder (the files on disk, which may be ahead of the binary).
    pub versions_dir: PathBuf,
    /// Where `schema.snapshot` is written.
    pub snapshot_path: PathBuf,
    /// The app's models.
    pub models: &'a Schema,
    /// The revision's message.
    pub message: String,
    /// Renames to make instead of a drop and an add (`--rename`).
    pub renames: Vec<Rename>,
    /// The dialects to generate for; empty: every dialect the revisions serve (`--dialect`).
    pub dialects: Vec<Dialect>,
    /// The app's database URL: where a PostgreSQL scratch database may be created when
    /// `SCRATCH_DATABASE_URL` does not say (see the README).
    pub database_url: String,
    /// Build and drop the indexes of tables the head already has without blocking writes
    /// (`--concurrently`): on PostgreSQL `CREATE [UNIQUE] INDEX CONCURRENTLY` and `DROP INDEX
    /// CONCURRENTLY`, in a revision of its own with `-- Transaction: none`, after a
    /// transactional revision with the other changes if there are any ([`Draft::follow_up`]).
    /// Nothing changes where no PostgreSQL SQL is generated.
    pub concurrently: bool,
    /// Drop the kept PostgreSQL head of the revisions and build it again from empty
    /// (`--fresh-scratch`; see the README's "The scratch database").
    pub fresh_scratch: bool,
}

impl<'a> Request<'a> {
    /// A request with no renames, every dialect, and no database URL.
    pub fn new(
        versions_dir: impl Into<PathBuf>,
        snapshot_path: impl Into<PathBuf>,
        models: &'a Schema,
        message: impl Into<String>,
    ) -> Self {
        Request {
            versions_dir: versions_dir.into(),
            snapshot_path: snapshot_path.into(),
            models,
            message: message.into(),
            renames: Vec::new(),
            dialects: Vec::new(),
            database_url: String::new(),
            concurrently: false,
            fresh_scratch: false,
        }
    }
}

/// A new revision, checked and tried on scratch databases, not yet written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Draft {
    /// Where the revision file goes.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Where the snapshot goes.
    pub snapshot_path: PathBuf,
    /// The new snapshot's text.
    pub snapshot: String,
    /// Each change detected, in words, once.
    pub detected: Vec<String>,
    /// Warnings for the reviewer (data loss, possible renames), once each.
    pub warnings: Vec<String>,
    /// What still differs from the models after the new revision, per dialect (empty unless
    /// this crate has a bug).
    pub gaps: Vec<(Dialect, String)>,
    /// For the first revision of a chain, which chooses the dialects every later revision
    /// serves: which it serves, why, and how to choose otherwise. `None` after the first.
    pub dialect_choice: Option<String>,
    /// With [`Request::concurrently`], when there are other changes too: the second revision,
    /// revising the first (`path`), that builds the indexes of existing tables concurrently
    /// (its path and text). The snapshot is the one after both.
    pub follow_up: Option<(PathBuf, String)>,
    /// What the reviewer should know besides the warnings: an index that blocks writes while it
    /// builds (and how not to), or that `concurrently` changed nothing.
    pub notes: Vec<String>,
}

impl Draft {
    /// Writes the revision file (and the follow-up's), then the snapshot.
    pub fn write(&self) -> Result<()> {
        folder::write_file(&self.path, &self.text)?;
        if let Some((path, text)) = &self.follow_up {
            folder::write_file(path, text)?;
        }
        folder::write_file(&self.snapshot_path, &self.snapshot)
    }
}

/// Compares the models with what the revision files produce, per dialect, and drafts the
/// revision that closes the gap: `None` when there is none. Nothing is written: the draft's
/// chain is validated, and the new revision is run on a scratch database of each dialect (still
/// at the old head) and must reach the models, before it is returned.
///
/// # Failure
///
/// Invalid revision files, several heads, a dialect that cannot be built here (no driver, no
/// PostgreSQL scratch server), models the database refuses (its own error), or, as a bug of
/// this crate, a revision that would not run.
pub fn prepare(request: &Request<'_>) -> Result<Option<Draft>> {
    let dir = request.versions_dir.as_path();
    let on_disk = folder::read_revisions(dir)?;
    let heads = folder::single_head(&on_disk)?;
    let chain = if on_disk.is_empty() {
        None
    } else {
        Some(Chain::new(on_disk.clone()).map_err(Error::Invalid)?)
    };
    // An empty folder serves nothing yet: the first revision decides, for the dialects asked,
    // else for every dialect this build has a driver for.
    let served: Vec<Dialect> = match &chain {
        Some(c) => c.dialects().to_vec(),
        None if !request.dialects.is_empty() => request.dialects.clone(),
        None => Dialect::ALL
            .into_iter()
            .filter(|d| cfg!(feature = "postgres") || *d == Dialect::Sqlite)
            .collect(),
    };
    let dialect_choice = chain
        .is_none()
        .then(|| first_revision_dialects(&served, !request.dialects.is_empty()));
    // A chain of sections without dialects serves every dialect; the app may still use one.
    let generic_only = !on_disk.is_empty()
        && on_disk
            .iter()
            .all(|r| r.sections.iter().all(|s| s.dialect.is_none()));
    let dialects: Vec<Dialect> = if request.dialects.is_empty() {
        served
            .iter()
            .copied()
            .filter(|d| cfg!(feature = "postgres") || *d == Dialect::Sqlite)
            .collect()
    } else {
        request.dialects.clone()
    };
    if dialects.is_empty() {
        return Err(Error::BadArgument {
            argument: "--dialect".into(),
            reason: "no dialect to autogenerate for".into(),
        });
    }
    check_names(request.models, &dialects)?;
    let missing: Vec<Dialect> = served
        .iter()
        .copied()
        .filter(|d| !dialects.contains(d))
        .collect();
    if !missing.is_empty() && !generic_only {
        return Err(Error::DialectsRequired { missing });
    }
    // Sections for one dialect, in a chain whose sections serve every dialect: shared
    // sections, so the chain stays valid.
    let shared = generic_only && !missing.is_empty();
    let postgres = dialects.contains(&Dialect::Postgres);
    if request.concurrently && postgres && shared {
        return Err(Error::BadArgument {
            argument: "--concurrently".into(),
            reason: "the revisions' sections serve every dialect, so this one's SQL would be \
                     SQLite's too, and SQLite has no CONCURRENTLY; run without --dialect, for \
                     sections per dialect"
                .into(),
        });
    }
    let mut notes = Vec::new();
    if request.concurrently && !postgres {
        notes.push(
            "--concurrently changes nothing here: no PostgreSQL SQL is generated, and SQLite has \
             no CREATE INDEX CONCURRENTLY (its indexes are written plain)"
                .to_string(),
        );
    }
    let split = request.concurrently && postgres;
    let url = request.database_url.as_str();
    let mut place = Place {
        url,
        versions_dir: Some(dir),
        fresh: request.fresh_scratch,
    };
    // The models are predicted where that needs no database. Should the new revision not run,
    // or not reach the prediction, on a scratch database, all is done again with the models
    // built there: nothing is returned before this settles.
    let mut predict = true;
    loop {
        let mut plans = Vec::new();
        let mut concurrent = Vec::new();
        let mut hints = Vec::new();
        let mut scratches = Vec::new();
        for dialect in &dialects {
            let scratch =
                scratch_schemas(chain.as_ref(), request.models, *dialect, &place, predict)?;
            check_renames(&request.renames, &scratch.head)?;
            let middle = split_busy_indexes(&scratch.head, &scratch.expected, &request.renames);
            if split {
                plans.push(plan(*dialect, &scratch.head, &middle, &request.renames));
                concurrent.push(plan_concurrently(*dialect, &middle, &scratch.expected));
            } else {
                plans.push(plan(
                    *dialect,
                    &scratch.head,
                    &scratch.expected,
                    &request.renames,
                ));
                if *dialect == Dialect::Postgres {
                    hints = blocking_index_hints(&middle, &scratch.expected);
                }
            }
            scratches.push(scratch);
        }
        let changes = |plans: &[Plan]| plans.iter().any(|p| !p.changes.is_empty());
        // Only index changes of existing tables: the concurrent revision is the only one.
        if !changes(&plans) {
            plans = std::mem::take(&mut concurrent);
        }
        if !changes(&plans) {
            return Ok(None);
        }
        let mut next = on_disk.clone();
        let mut files = Vec::new();
        let mut revises = heads.clone();
        // The concurrent revision, if any besides the first, revises it.
        let second = format!("{} (indexes, concurrently)", request.message);
        for (plans, message) in [(&plans, &request.message), (&concurrent, &second)] {
            if !changes(plans) {
                continue;
            }
            let (id, path) = folder::new_revision_path(dir, &next, message)?;
            let text = render_file(&id, &revises, message, &folder::now_utc(), plans, shared);
            // Never leave a file that breaks the chain: check the new chain before writing it.
            next.push(revision::parse(&path.display().to_string(), &text).map_err(Error::Invalid)?);
            files.push((path, text));
            revises = vec![id];
        }
        let mut files = files.into_iter();
        let (path, text) = files.next().expect("a revision with changes");
        let follow_up = files.next();
        let next = Chain::new(next).map_err(|problems| Error::GeneratedRevisionFails {
            dialect: None,
            source: Box::new(Error::Invalid(problems)),
        })?;
        // Run the new revision on each scratch database (still at the old head): it must run
        // and reach the models, and the result is the new snapshot.
        let snapshot_dialect = migrate::snapshot_dialect(&next);
        // No scratch database of the snapshot's dialect (e.g. `--dialect postgres` on sections
        // every dialect shares): the new head is built there, before writing anything either.
        // The kept PostgreSQL head keeps SQLite's head as an image: only the new revision runs
        // there, on a thread of its own while the new revision is tried on the scratch databases.
        #[cfg(all(feature = "postgres", feature = "rusqlite"))]
        let kept_sqlite = match snapshot_dialect == Dialect::Sqlite
            && !scratches.iter().any(|s| s.dialect == Dialect::Sqlite)
        {
            true => scratches.iter_mut().find_map(|s| s.kept_sqlite_image()),
            false => None,
        };
        #[cfg(all(feature = "postgres", feature = "rusqlite"))]
        let (tried, kept_sqlite) = std::thread::scope(|threads| {
            let built = kept_sqlite.map(|image| threads.spawn(|| image.head(&next)));
            let tried = try_on_scratches(&mut scratches, &next, snapshot_dialect);
            let built = built.map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
            (tried, built)
        });
        #[cfg(not(all(feature = "postgres", feature = "rusqlite")))]
        let tried = try_on_scratches(&mut scratches, &next, snapshot_dialect);
        let Tried {
            snapshot,
            gaps,
            mispredicted,
        } = tried?;
        if mispredicted {
            log::debug!(
                "the new revision did not reach the predicted models; building them instead"
            );
            predict = false;
            // Built afresh once is enough.
            place.fresh = false;
            continue;
        }
        let failed = |e: Error| Error::GeneratedRevisionFails {
            dialect: Some(snapshot_dialect),
            source: Box::new(e),
        };
        #[cfg(all(feature = "postgres", feature = "rusqlite"))]
        let snapshot = match (snapshot, kept_sqlite) {
            (None, Some(built)) => {
                let (head, image) = built.map_err(failed)?;
                if let Some(image) = image {
                    for scratch in &mut scratches {
                        scratch.keep_sqlite_image(&image);
                    }
                }
                Some(migrate::render_snapshot(&next, &head))
            }
            (snapshot, _) => snapshot,
        };
        let snapshot = match snapshot {
            Some(text) => text,
            None => {
                let head = snapshot_head(
                    &next,
                    &Place {
                        url,
                        ..Place::default()
                    },
                )
                .map_err(failed)?;
                migrate::render_snapshot(&next, &head)
            }
        };
        let mut detected = Vec::new();
        let mut seen = BTreeSet::new();
        for p in plans.iter().chain(&concurrent) {
            for c in &p.changes {
                let line = c.detected();
                if seen.insert(line.clone()) {
                    detected.push(line);
                }
            }
        }
        let mut warnings = Vec::new();
        let mut warned = BTreeSet::new();
        for p in plans.iter().chain(&concurrent) {
            for w in p.warnings.iter().chain(&p.possible_renames) {
                if warned.insert(w.clone()) {
                    warnings.push(w.clone());
                }
            }
        }
        return Ok(Some(Draft {
            path,
            text,
            snapshot_path: request.snapshot_path.clone(),
            snapshot,
            detected,
            warnings,
            gaps,
            dialect_choice,
            follow_up,
            notes: notes
                .iter()
                .chain(&hints)
                .chain(scratches.iter().filter_map(|s| s.note.as_ref()))
                .cloned()
                .collect(),
        }));
    }
}

/// For each index `models` adds to a table `middle` has without it (what
/// [`split_busy_indexes`] left out): that PostgreSQL's plain `CREATE INDEX` blocks writes to
/// the table while it builds, and how not to.
fn blocking_index_hints(middle: &Schema, models: &Schema) -> Vec<String> {
    crate::diff::diff(middle, models)
        .iter()
        .filter_map(|c| match c {
            crate::diff::Change::AddIndex { table, index } => Some(format!(
                "on PostgreSQL, CREATE INDEX {} blocks writes to the existing table {table} while \
                 it builds (lint index-not-concurrent); to build it without blocking them, delete \
                 this revision and run again with --concurrently",
                index.name.as_deref().unwrap_or_default()
            )),
            _ => None,
        })
        .collect()
}

/// What the first revision of a chain says about the dialects it chose (`served`), asked for
/// with `--dialect` (`asked`) or not.
fn first_revision_dialects(served: &[Dialect], asked: bool) -> String {
    let names = served
        .iter()
        .map(|d| d.name())
        .collect::<Vec<_>>()
        .join(" and ");
    let why = if asked {
        "as `--dialect` asked"
    } else if served.len() > 1 {
        "every dialect this build has a driver for"
    } else {
        "the only driver this build has (the `postgres` feature is off)"
    };
    let after = if served.contains(&Dialect::Postgres) {
        ", and each autogenerate builds them on a PostgreSQL scratch server too \
         (SCRATCH_DATABASE_URL)"
    } else {
        ""
    };
    let otherwise = if served.len() > 1 {
        "to serve one only, delete this file and run again with `--dialect sqlite` (or `postgres`)"
    } else {
        "to serve others, delete this file and run again with `--dialect` once per dialect"
    };
    format!(
        "The first revision chooses the dialects of the chain: it serves {names} ({why}); every \
         later revision will have sections for them{after}; {otherwise}"
    )
}

/// Refuses, naming the model, what no revision can carry as written: a name with a line break
/// or a NUL, a table named as one of this crate's own, and when generating for PostgreSQL a
/// name over 63 bytes, which PostgreSQL would cut.
/// Each `--rename` names what the head has: a table `from`, or a column `from` of the table
/// (under its old name, when the table is renamed too). A rename of what is not there is
/// refused in words, most often after a run that wrote the change as a drop and an add (its
/// "possible rename" hint): that revision is the head now, and must go first.
fn check_renames(renames: &[Rename], head: &Schema) -> Result<()> {
    for rename in renames {
        let missing = match rename {
            Rename::Table { from, .. } => {
                (!head.tables.contains_key(from)).then(|| format!("there is no table {from}"))
            }
            Rename::Column { table, from, .. } => {
                let old = renames
                    .iter()
                    .find_map(|r| match r {
                        Rename::Table { from, to } if to == table => Some(from.as_str()),
                        _ => None,
                    })
                    .unwrap_or(table);
                match head.tables.get(old) {
                    None => Some(format!("there is no table {old}")),
                    Some(t) if t.get_column(from).is_none() => {
                        Some(format!("{old} has no column {from}"))
                    }
                    Some(_) => None,
                }
            }
        };
        if let Some(missing) = missing {
            return Err(Error::BadArgument {
                argument: "--rename".into(),
                reason: format!(
                    "{missing} at the head of the revisions; if an earlier run wrote this change \
                     as a drop and an add (its \"possible rename\" warning), delete that revision \
                     file, then run again with --rename"
                ),
            });
        }
    }
    Ok(())
}

fn check_names(models: &Schema, dialects: &[Dialect]) -> Result<()> {
    let postgres = dialects.contains(&Dialect::Postgres);
    let check = |what: String, name: &str| -> Result<()> {
        let bad = |reason: &str| {
            Err(Error::BadModelName {
                what: what.clone(),
                reason: reason.to_string(),
            })
        };
        if name.contains(['\r', '\n', '\0']) {
            return bad("a name may not hold a line break or a NUL byte");
        }
        if postgres && name.len() > 63 {
            return bad(&format!(
                "PostgreSQL cuts names to 63 bytes and this one has {}; shorten it",
                name.len()
            ));
        }
        Ok(())
    };
    for t in models.tables.values() {
        let table = format!("table {:?}", t.name);
        check(table.clone(), &t.name)?;
        if crate::bookkeeping::OWN_TABLES
            .iter()
            .any(|own| own.eq_ignore_ascii_case(&t.name))
        {
            return Err(Error::BadModelName {
                what: table,
                reason: "this name is the migrations' own table; rename the model's table".into(),
            });
        }
        for c in &t.columns {
            check(format!("column {:?}.{:?}", t.name, c.name), &c.name)?;
        }
        for name in t.indexes.iter().filter_map(|i| i.name.as_deref()) {
            check(format!("index {name:?} on {:?}", t.name), name)?;
        }
        for name in t
            .foreign_keys
            .iter()
            .filter_map(|k| k.name.as_deref())
            .chain(t.checks.iter().filter_map(|c| c.name.as_deref()))
        {
            check(format!("constraint {name:?} on {:?}", t.name), name)?;
        }
    }
    Ok(())
}

/// What trying the new revision on the scratch databases found.
struct Tried {
    /// The new snapshot, where a scratch database is of its dialect.
    snapshot: Option<String>,
    /// What the new revision leaves between the head and the models, per dialect.
    gaps: Vec<(Dialect, String)>,
    /// The predicted models were not what the new revision reaches (or it did not run there).
    mispredicted: bool,
}

/// Runs the new revisions of `next` on each scratch database (still at the old head): they
/// must run and reach the models, and the result of `snapshot_dialect`'s is the new snapshot.
fn try_on_scratches(
    scratches: &mut [Scratch],
    next: &Chain,
    snapshot_dialect: Dialect,
) -> Result<Tried> {
    let mut tried = Tried {
        snapshot: None,
        gaps: Vec::new(),
        mispredicted: false,
    };
    for scratch in scratches {
        let (dialect, predicted) = (scratch.dialect, scratch.predicted);
        if !next.serves(dialect) || scratch.conn().is_none() {
            continue;
        }
        let head = match scratch.try_chain(next) {
            Ok(head) => head,
            Err(_) if predicted => {
                tried.mispredicted = true;
                break;
            }
            Err(e) => {
                return Err(Error::GeneratedRevisionFails {
                    dialect: Some(dialect),
                    source: Box::new(e),
                })
            }
        };
        let left = crate::diff::diff(&head, &scratch.expected.with_unmanaged_from(&head));
        if predicted && !left.is_empty() {
            tried.mispredicted = true;
            break;
        }
        tried
            .gaps
            .extend(left.iter().map(|gap| (dialect, gap.drift())));
        if dialect == snapshot_dialect {
            tried.snapshot = Some(migrate::render_snapshot(next, &head));
        }
    }
    Ok(tried)
}

/// Rewrites the snapshot at `snapshot_path` from the revision files in `versions_dir`; for
/// revisions that serve PostgreSQL only, the head is built in a temporary database on the
/// server chosen as for autogenerate (`SCRATCH_DATABASE_URL`, else `database_url` when it is
/// PostgreSQL, …).
pub fn write_snapshot(versions_dir: &Path, snapshot_path: &Path, database_url: &str) -> Result<()> {
    let chain = Chain::new(folder::read_revisions(versions_dir)?).map_err(Error::Invalid)?;
    let place = Place {
        url: database_url,
        versions_dir: Some(versions_dir),
        fresh: false,
    };
    let text = migrate::render_snapshot(&chain, &snapshot_head(&chain, &place)?);
    folder::write_file(snapshot_path, &text)
}

#[cfg(all(test, feature = "rusqlite"))]
mod tests {
    use super::*;
    use crate::schema::{Column, ColumnType, Table};

    fn request_for(models: &Schema, dialects: Vec<Dialect>) -> Result<Option<Draft>> {
        let dir = tempfile::tempdir().unwrap();
        let versions = dir.path().join("versions");
        std::fs::create_dir(&versions).unwrap();
        let mut request = Request::new(&versions, dir.path().join("schema.snapshot"), models, "m");
        request.dialects = dialects;
        let result = prepare(&request);
        assert_eq!(
            std::fs::read_dir(&versions).unwrap().count(),
            0,
            "a file was written"
        );
        result
    }

    #[test]
    fn names_no_revision_can_carry_are_refused_naming_the_model() {
        let one = |table: &str, column: &str| {
            Schema::new().table(Table::new(table).column(Column::new(column, ColumnType::Integer)))
        };
        for (models, dialects, said) in [
            (
                one("t", "a\nb"),
                vec![Dialect::Sqlite],
                "column \"t\".\"a\\nb\": a name may not hold a line break",
            ),
            (
                one("t\r", "a"),
                vec![Dialect::Sqlite],
                "table \"t\\r\": a name may not hold a line break",
            ),
            (
                one("Migrations_History", "a"),
                vec![Dialect::Sqlite],
                "is the migrations' own table",
            ),
            (
                one(&"x".repeat(64), "a"),
                vec![Dialect::Postgres],
                "PostgreSQL cuts names to 63 bytes and this one has 64",
            ),
            (
                one("t", &"é".repeat(32)),
                vec![Dialect::Postgres],
                "this one has 64",
            ),
        ] {
            let err = request_for(&models, dialects).unwrap_err().to_string();
            assert!(err.contains(said), "{err}");
            assert!(err.ends_with("nothing was written"), "{err}");
        }
        // 64 bytes are fine where only SQLite is generated for.
        assert!(
            request_for(&one(&"x".repeat(64), "a"), vec![Dialect::Sqlite])
                .unwrap()
                .is_some()
        );
    }
}
