//! Scratch databases for autogenerate and the snapshot: where the revisions' head and the
//! models are built, never the app's own database. SQLite: in memory; PostgreSQL: the kept head
//! of the revisions on a server that allows it (see [`kept_head`]), or a temporary database
//! where there are no revisions yet.

#[cfg(all(feature = "postgres", feature = "rusqlite"))]
use super::kept::SqliteImage;
#[cfg(feature = "postgres")]
use super::kept::{kept_head, KeptHead};
use crate::chain::Chain;
use crate::dialect::Dialect;
#[cfg(feature = "postgres")]
use crate::driver::postgres::ScratchDatabase;
use crate::driver::{Driver, SchemaCache};
use crate::error::{Error, Result};
use crate::migrate;
use crate::schema::Schema;

/// The server where autogenerate may create its temporary PostgreSQL database:
/// `SCRATCH_DATABASE_URL`, else `url` (the `--database-url`) when it is PostgreSQL, else
/// `TEST_POSTGRES_URL`, else the local default.
#[cfg(feature = "postgres")]
pub(crate) fn scratch_admin_url(url: &str) -> String {
    std::env::var("SCRATCH_DATABASE_URL")
        .ok()
        .or_else(|| url.starts_with("postgres").then(|| url.to_string()))
        .or_else(|| std::env::var("TEST_POSTGRES_URL").ok())
        .unwrap_or_else(|| crate::driver::postgres::DEFAULT_ADMIN_URL.to_string())
}

/// What autogenerate compares for one dialect, built in scratch databases (never the app's own).
pub(crate) struct Scratch {
    pub(crate) dialect: Dialect,
    /// The head schema the revisions produce.
    pub(crate) head: Schema,
    /// The models, as the dialect builds them.
    pub(crate) expected: Schema,
    /// Whether `expected` was predicted ([`migrate::predicted_as_built`]) rather than built.
    pub(crate) predicted: bool,
    /// The head's tables as read, so the trial of the new revision re-reads only what it
    /// changed.
    cache: SchemaCache,
    /// SQLite: the scratch database, still at head, where the new revision is tried.
    #[cfg(feature = "rusqlite")]
    sqlite: Option<rusqlite::Connection>,
    /// PostgreSQL: the same, in the kept head (or a temporary database dropped with it).
    #[cfg(feature = "postgres")]
    postgres: Option<PostgresScratch>,
    /// What the reviewer should know about how the new revision was tried, if anything.
    pub(crate) note: Option<String>,
}

/// Where autogenerate builds the PostgreSQL head.
#[cfg(feature = "postgres")]
#[allow(clippy::large_enum_variant)] // one per run
enum PostgresScratch {
    /// A temporary database (a chain with no revisions yet), dropped with it.
    Temporary(postgres::Client, #[allow(dead_code)] ScratchDatabase),
    /// The kept head of the chain.
    Kept(KeptHead),
}

impl Scratch {
    /// The scratch database at head.
    pub(crate) fn conn(&mut self) -> Option<&mut dyn Driver> {
        #[cfg(feature = "postgres")]
        match self.postgres.as_mut() {
            Some(PostgresScratch::Temporary(client, _)) => return Some(client),
            Some(PostgresScratch::Kept(kept)) => return Some(kept.client()),
            None => {}
        }
        #[cfg(feature = "rusqlite")]
        if let Some(conn) = self.sqlite.as_mut() {
            return Some(conn);
        }
        None
    }

    /// Where this is the kept PostgreSQL head, the SQLite image it keeps
    /// ([`KeptHead::sqlite_image`]).
    #[cfg(all(feature = "postgres", feature = "rusqlite"))]
    pub(crate) fn kept_sqlite_image(&mut self) -> Option<SqliteImage> {
        match self.postgres.as_mut() {
            Some(PostgresScratch::Kept(kept)) => Some(kept.sqlite_image()),
            _ => None,
        }
    }

    /// Where this is the kept PostgreSQL head, keeps `image` ([`KeptHead::keep_sqlite_image`]).
    #[cfg(all(feature = "postgres", feature = "rusqlite"))]
    pub(crate) fn keep_sqlite_image(&mut self, image: &[u8]) {
        if let Some(PostgresScratch::Kept(kept)) = self.postgres.as_mut() {
            kept.keep_sqlite_image(image);
        }
    }

    /// Runs what `next` adds to the scratch database's head, and reads the result back.
    ///
    /// On the kept PostgreSQL head, the new revisions run inside a transaction that is rolled
    /// back, so the head stays as the revision files make it; one that cannot run in a
    /// transaction (`Transaction: none`) runs on a copy of the head instead ([`Self::note`]
    /// says so).
    pub(crate) fn try_chain(&mut self, next: &Chain) -> Result<Schema> {
        #[cfg(feature = "postgres")]
        if let Some(PostgresScratch::Kept(kept)) = self.postgres.as_mut() {
            let (head, on_copy) = kept.try_chain(next, &mut self.cache)?;
            if on_copy {
                self.note = Some(format!(
                    "a revision with `-- Transaction: none` cannot run inside a transaction that \
                     is rolled back, so it was tried on a copy of the kept scratch database {} \
                     (CREATE DATABASE … TEMPLATE), dropped afterwards",
                    kept.db.name
                ));
            }
            return Ok(head);
        }
        let mut cache = std::mem::take(&mut self.cache);
        let conn = self.conn().expect("called with a scratch database");
        migrate::apply_quietly(next, conn)?;
        conn.introspect_cached(&mut cache)
    }
}

/// Where the scratch databases go, and for whom.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Place<'a> {
    /// The app's database URL (see [`scratch_admin_url`]).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) url: &'a str,
    /// The versions folder whose chain is built: what the kept PostgreSQL head is kept for.
    /// `None`: the chain is not (or not only) the files there; a temporary database is used.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) versions_dir: Option<&'a std::path::Path>,
    /// Drop the kept head and build it again (`--fresh-scratch`).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fresh: bool,
}

/// A temporary PostgreSQL database on the scratch server (see [`scratch_admin_url`]), and a
/// connection to it whose commits do not wait for the disk (it is thrown away).
#[cfg(feature = "postgres")]
fn postgres_scratch(
    url: &str,
    purpose: &'static str,
) -> Result<(postgres::Client, ScratchDatabase)> {
    let admin = scratch_admin_url(url);
    let scratch = ScratchDatabase::create(&admin, "migrations_scratch").map_err(|e| {
        Error::NoScratchDatabase {
            purpose,
            source: Box::new(e),
        }
    })?;
    Ok((connect_scratch(&scratch.url)?, scratch))
}

/// A connection to a scratch database whose commits do not wait for the disk (it is thrown
/// away, or rebuilt when in doubt).
#[cfg(feature = "postgres")]
pub(super) fn connect_scratch(url: &str) -> Result<postgres::Client> {
    let mut client = crate::driver::postgres::connect(url)?;
    client
        .batch_execute("SET synchronous_commit = off")
        .map_err(|source| Error::database("configuring the scratch database", source))?;
    Ok(client)
}

/// The head schema the revisions produce and the models, both as `dialect` builds them, in
/// scratch databases (never the app's own database). With `predict`, the models are predicted
/// where that needs no database.
#[cfg_attr(
    not(all(feature = "postgres", feature = "rusqlite")),
    allow(unused_variables)
)]
pub(crate) fn scratch_schemas(
    chain: Option<&Chain>,
    models: &Schema,
    dialect: Dialect,
    place: &Place<'_>,
    predict: bool,
) -> Result<Scratch> {
    // The models as the dialect builds them: predicted, or built on `conn`'s server.
    #[cfg_attr(
        not(any(feature = "postgres", feature = "rusqlite")),
        allow(unused_variables)
    )]
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
        #[cfg(feature = "rusqlite")]
        Dialect::Sqlite => {
            let mut conn = rusqlite::Connection::open_in_memory()
                .map_err(|source| Error::database("opening a scratch database", source))?;
            if let Some(chain) = chain {
                migrate::apply_quietly(chain, &mut conn)?;
            }
            let mut cache = SchemaCache::default();
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
                note: None,
            })
        }
        #[cfg(feature = "postgres")]
        Dialect::Postgres => {
            let mut scratch = match (chain, place.versions_dir) {
                (Some(chain), Some(_)) => {
                    PostgresScratch::Kept(kept_head(chain, place, "autogenerate")?)
                }
                (chain, _) => {
                    let (mut client, db) = postgres_scratch(place.url, "autogenerate")?;
                    if let Some(chain) = chain {
                        migrate::apply_quietly(chain, &mut client)?;
                    }
                    PostgresScratch::Temporary(client, db)
                }
            };
            // What the trial of the new revision leaves as it was is not read again.
            let mut cache = SchemaCache::default();
            let (head, client) = match &mut scratch {
                PostgresScratch::Temporary(client, _) => (client.introspect()?, client),
                PostgresScratch::Kept(kept) => (kept.introspect(&mut cache)?, kept.client()),
            };
            let (expected, predicted) = expected(client)?;
            Ok(Scratch {
                dialect,
                head,
                expected,
                predicted,
                cache,
                #[cfg(feature = "rusqlite")]
                sqlite: None,
                postgres: Some(scratch),
                note: None,
            })
        }
        #[allow(unreachable_patterns)]
        other => Err(missing_driver(other, "autogenerate for it")),
    }
}

/// The head schema `schema.snapshot` shows for `chain`, built in a scratch database of
/// [`migrate::snapshot_dialect`] (PostgreSQL: on the server [`scratch_admin_url`] picks from
/// `place.url`).
#[cfg_attr(
    not(all(feature = "postgres", feature = "rusqlite")),
    allow(unused_variables)
)]
/// With `place.versions_dir` (the chain is the files there), on the kept head; without it, in a
/// temporary database.
pub(crate) fn snapshot_head(chain: &Chain, place: &Place<'_>) -> Result<Schema> {
    match migrate::snapshot_dialect(chain) {
        #[cfg(feature = "rusqlite")]
        Dialect::Sqlite => migrate::head_schema(chain),
        #[cfg(feature = "postgres")]
        Dialect::Postgres if place.versions_dir.is_some() => {
            kept_head(chain, place, "the snapshot")?.introspect(&mut SchemaCache::default())
        }
        #[cfg(feature = "postgres")]
        Dialect::Postgres => {
            let (mut client, _scratch) = postgres_scratch(place.url, "the snapshot")?;
            migrate::build_head(chain, &mut client)
        }
        #[allow(unreachable_patterns)]
        other => Err(missing_driver(other, "write their snapshot")),
    }
}

/// The revisions serve `dialect`, whose driver this build lacks.
fn missing_driver(dialect: Dialect, to: &'static str) -> Error {
    Error::FeatureMissing {
        feature: match dialect {
            Dialect::Sqlite => "rusqlite",
            Dialect::Postgres => "postgres",
        },
        dialect,
        to,
    }
}
