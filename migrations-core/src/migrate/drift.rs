//! The drift check: the live schema against the models, both as the database builds them, and
//! its memory of the last clean check.

use super::history;
use crate::bookkeeping::{self, DRIFT_CHECK_TABLE};
use crate::dialect::Dialect;
use crate::diff::{diff, Change};
use crate::driver::{Driver, OnDrift, Options};
use crate::error::{Error, Result};
use crate::render;
use crate::schema::Schema;

/// The changes that would take the database to the models; empty when they agree.
///
/// Both sides are read as the database's dialect builds them: the live schema, and the models
/// as [`predicted_as_built`] (no database needed) or, when there is no prediction or it
/// disagrees with the live schema, as a scratch database built from the models' DDL reads back
/// (see [`Driver::introspect_scratch`]): what is reported as drift, or as models that do not
/// build, always comes from a real build.
///
/// What the models do not manage ([`Schema::manages`]: views or enum types when they declare
/// none) is not compared.
pub fn drift<D: Driver + ?Sized>(conn: &mut D, models: &Schema) -> Result<Vec<Change>> {
    let actual = conn.introspect()?;
    if let Some(predicted) = predicted_as_built(conn.dialect(), models) {
        if diff(&actual, &predicted.with_unmanaged_from(&actual)).is_empty() {
            return Ok(Vec::new());
        }
    }
    let expected = models_as_built(conn, models)?;
    Ok(diff(&actual, &expected.with_unmanaged_from(&actual)))
}

/// The models as the connection's dialect builds them, read back from a scratch database.
///
/// On PostgreSQL a materialized view is built as a plain view (PostgreSQL keeps no
/// materialized view of temporary tables, and deparses both alike), and read back as
/// materialized; the models' extensions are created where the database lacks them (in the
/// app's schema: none goes in a temporary one), in the same transaction that is rolled back,
/// and read back as the models say.
pub fn models_as_built<D: Driver + ?Sized>(conn: &mut D, models: &Schema) -> Result<Schema> {
    let dialect = conn.dialect();
    let mut plain = models.clone();
    for v in plain.views.values_mut() {
        v.materialized = false;
    }
    let ddl = render::schema_ddl(dialect, &plain);
    let mut built = conn.introspect_scratch(&ddl)?;
    if dialect == Dialect::Postgres {
        for (name, v) in &models.views {
            if let Some(b) = built.views.get_mut(name) {
                b.materialized = v.materialized;
            }
        }
    }
    if dialect == Dialect::Postgres {
        built.extensions = models.extensions.clone();
    }
    built.managed = models.managed.clone();
    Ok(built)
}

/// The models as `dialect` builds them, computed without a database where this crate can say
/// exactly ([`sqlite::as_built`](crate::dialect::sqlite::as_built),
/// [`postgres::as_built`](crate::dialect::postgres::as_built)); `None` where only a build tells
/// ([`models_as_built`]).
pub fn predicted_as_built(dialect: Dialect, models: &Schema) -> Option<Schema> {
    let mut predicted = match dialect {
        Dialect::Sqlite => crate::dialect::sqlite::as_built(models),
        Dialect::Postgres => crate::dialect::postgres::as_built(models),
    }?;
    predicted.managed = models.managed.clone();
    Some(predicted)
}

/// The drift check of [`Migrations::boot`](crate::Migrations::boot): refuses (or, with [`OnDrift::Warn`], logs) every difference
/// between the database and the models.
///
/// A clean check is remembered in [`DRIFT_CHECK_TABLE`] with the models' hash and the
/// schema version ([`bookkeeping::schema_version_sql`]); while neither changes, the next boot reads
/// those two values and skips building the models in a scratch database. Any change to the
/// schema, by anyone, or to the models, or a new version of this crate, runs the whole check
/// again. A check that finds drift forgets the remembered one.
pub fn check_drift<D: Driver + ?Sized>(
    conn: &mut D,
    models: &Schema,
    options: &Options,
) -> Result<()> {
    let key = models_key(conn.dialect(), models);
    // A database that cannot say (or answer) is simply checked in full.
    let mut checked = if options.remember_drift_check {
        schema_version(conn).ok().flatten()
    } else {
        None
    };
    if let Some(version) = &checked {
        if let Ok(Some((k, v))) = remembered(conn) {
            if k == key && v == *version {
                log::debug!("no drift: models and schema unchanged since the last clean check");
                return Ok(());
            }
        }
        // The memory does not apply: empty it (creating its table when needed, which changes
        // the schema version) before checking, so that what is remembered afterwards is the
        // very version that was checked, and a check that finds drift leaves nothing behind.
        checked = match write_drift_memory(conn, None, options) {
            Ok(()) => schema_version(conn).ok().flatten(),
            Err(e) => {
                // Only a cost (every boot checks in full), e.g. on a read-only database.
                log::debug!("cannot remember drift checks: {e}");
                None
            }
        };
    }
    let changes = drift(conn, models)?;
    if let (Some(version), true) = (checked, changes.is_empty()) {
        if let Err(e) = write_drift_memory(conn, Some((&key, &version)), options) {
            log::debug!("could not remember the drift check: {e}");
        }
    }
    if !changes.is_empty() {
        let lines: Vec<String> = changes.iter().map(Change::drift).collect();
        match options.drift {
            OnDrift::Fail => return Err(Error::Drift(lines)),
            OnDrift::Warn => {
                for l in &lines {
                    log::warn!("schema drift: {l}");
                }
            }
        }
    }
    Ok(())
}

/// What identifies the models for the drift check's memory: this crate's version, the dialect
/// and the models themselves (their DDL is a function of these three), hashed without
/// rendering anything, with foldhash's quality hasher (a fixed seed; twice as fast as SipHash
/// here: 75 µs for 500 tables). Another hasher version only costs one whole check.
fn models_key(dialect: Dialect, models: &Schema) -> String {
    use std::hash::BuildHasher;
    let state = foldhash::quality::FixedState::with_seed(0x6d69_6772_6174_6521);
    format!(
        "{:016x}",
        state.hash_one((env!("CARGO_PKG_VERSION"), dialect, models))
    )
}

/// Empties the drift check's memory (`None`), or remembers a clean check of `(models key,
/// schema version checked)` — unless the schema version is no longer the one checked (another
/// process or a hand edit changed the schema meanwhile): then the next boot checks in full.
/// The version written is the one checked, never one read afterwards, so a change committed by
/// someone else between the comparison and the commit makes the memory stale, not wrong.
fn write_drift_memory<D: Driver + ?Sized>(
    conn: &mut D,
    clean: Option<(&str, &str)>,
    options: &Options,
) -> Result<()> {
    super::lock::begin_locked(conn, options)?;
    let result = (|| {
        if let Some((_, checked)) = clean {
            if schema_version(conn)?.as_deref() != Some(checked) {
                return Ok(());
            }
        }
        history::ensure_table(conn, DRIFT_CHECK_TABLE, &bookkeeping::drift_check_ddl())?;
        conn.run_sql(&bookkeeping::set_drift_memory_sql(conn.dialect(), clean))
            .map_err(|e| Error::protocol("writing the drift check table", e))
    })();
    match result {
        Ok(()) => history::commit(conn),
        Err(e) => {
            history::rollback(conn);
            Err(e)
        }
    }
}

/// Forgets the remembered clean drift check, so the next boot checks in full.
pub fn forget<D: Driver + ?Sized>(conn: &mut D) -> Result<()> {
    write_drift_memory(conn, None, &Options::default())
}

/// The clean drift check remembered in [`DRIFT_CHECK_TABLE`], as `(models, schema version)`;
/// `None` when there is none, or no table.
pub fn remembered<D: Driver + ?Sized>(conn: &mut D) -> Result<Option<(String, String)>> {
    let mut found = None;
    let read = conn.query_sql(&bookkeeping::drift_memory_sql(conn.dialect()), &mut |r| {
        if let (None, Some(Some(models)), Some(Some(version))) = (&found, r.first(), r.get(1)) {
            found = Some((models.to_string(), version.to_string()));
        }
    });
    match read {
        Ok(()) => Ok(found),
        Err(e) if history::is_missing_table(&e) => Ok(None),
        Err(e) => Err(Error::protocol("reading the drift check table", e)),
    }
}

/// A value that changes whenever the schema changes, read in one cheap query
/// ([`bookkeeping::schema_version_sql`]).
pub fn schema_version<D: Driver + ?Sized>(conn: &mut D) -> Result<Option<String>> {
    let sql = bookkeeping::schema_version_sql(conn.dialect());
    first_text(conn, sql, "reading the schema version")
}

/// The first value of the first row of `sql` (`None`: no row, or NULL); `doing` names the
/// read in the error.
pub(crate) fn first_text<D: Driver + ?Sized>(
    conn: &mut D,
    sql: &str,
    doing: &str,
) -> Result<Option<String>> {
    let mut value = None;
    conn.query_sql(sql, &mut |r| {
        if value.is_none() {
            value = r.first().copied().flatten().map(str::to_string);
        }
    })
    .map_err(|e| Error::protocol(doing, e))?;
    Ok(value)
}
