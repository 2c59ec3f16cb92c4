//! The kept head of the revisions on a PostgreSQL scratch server: one database per versions
//! folder, `migrations_head_<hash of the folder's path>`, holding the schema the revision files
//! produce, with a note (`COMMENT ON DATABASE`) that proves what it holds: the [`chain_hash`]
//! of the revisions applied and the schema version ([`schema_version`]) at the end of the run
//! that wrote it.
//! Autogenerate reuses it when both match (introspection only), applies only the new
//! revisions when it holds the chain's first ones, and otherwise builds it again from empty;
//! the new revision is tried inside a transaction that is rolled back. Its tables' catalog rows
//! are kept in it too, read at that schema version, so a run that proves it unchanged reads
//! none of them again (and otherwise only the tables that changed). A session-level
//! advisory lock keeps two runs for one folder from using it at once.

use super::scratch::{connect_scratch, scratch_admin_url, Place};
use crate::chain::Chain;
use crate::dialect::Dialect;
use crate::driver::postgres::{rows_version_sql, KeptDatabase, RowCache};
use crate::driver::{Driver, SchemaCache};
use crate::error::{Error, Result};
use crate::migrate;
use crate::schema::Schema;

/// The prefix of the kept heads' names: `migrations_head_` and 16 hex digits of a hash of the
/// versions folder's absolute path.
pub const KEPT_HEAD_PREFIX: &str = "migrations_head_";

/// The name of the kept PostgreSQL head of the revisions in `versions_dir`.
pub fn kept_head_name(versions_dir: &std::path::Path) -> String {
    let folder = folder_key(versions_dir);
    format!("{KEPT_HEAD_PREFIX}{}", &hex_sha256(folder.as_bytes())[..16])
}

/// The versions folder as its kept head records it: its absolute path.
fn folder_key(versions_dir: &std::path::Path) -> String {
    std::fs::canonicalize(versions_dir)
        .unwrap_or_else(|_| versions_dir.to_path_buf())
        .display()
        .to_string()
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The chain hash of `revisions`, cumulative as Atlas's `atlas.sum`: each revision's id and
/// checksum (the file's text) hashed after the hash of those before it, starting from this
/// crate's version (which decides how they are applied).
fn chain_hash(revisions: &[crate::revision::Revision]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::digest(concat!("migrations-core ", env!("CARGO_PKG_VERSION")));
    for rev in revisions {
        let mut next = Sha256::new();
        next.update(hash);
        next.update(rev.id.as_bytes());
        next.update(b" ");
        next.update(rev.checksum.as_bytes());
        hash = next.finalize();
    }
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a kept head's note (its `COMMENT ON DATABASE`) records: the folder it is kept for and
/// the machine that keeps it (what [`collect_garbage`] reads), how many revisions of the chain
/// it holds and their [`chain_hash`], and the schema version ([`schema_version`]) at the end
/// of the run that wrote it: the proof that no one changed it since.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Note {
    folder: String,
    host: String,
    revisions: usize,
    chain: String,
    schema: String,
}

impl Note {
    const FIRST_LINE: &'static str = "migrations-core kept head, 1";

    fn render(&self) -> String {
        format!(
            "{}\nfolder {}\nhost {}\nrevisions {} {}\nschema {}",
            Self::FIRST_LINE,
            self.folder,
            self.host,
            self.revisions,
            self.chain,
            self.schema
        )
    }

    /// `None` for any other text (then the head is rebuilt).
    fn parse(text: &str) -> Option<Note> {
        let mut lines = text.split('\n');
        (lines.next()? == Self::FIRST_LINE).then_some(())?;
        let folder = lines.next()?.strip_prefix("folder ")?.to_string();
        let host = lines.next()?.strip_prefix("host ")?.to_string();
        let (count, chain) = lines.next()?.strip_prefix("revisions ")?.split_once(' ')?;
        let schema = lines.next()?.strip_prefix("schema ")?.to_string();
        lines.next().is_none().then_some(())?;
        Some(Note {
            folder,
            host,
            revisions: count.parse().ok()?,
            chain: chain.to_string(),
            schema,
        })
    }
}

/// What to do with a kept head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// It holds the chain: introspect it.
    Current,
    /// It holds the chain's first revisions: apply the others.
    Extend,
    /// Anything else: build it again from empty.
    Rebuild,
}

/// What to do with a kept head whose note is `note` and whose schema version is now `schema`,
/// for `chain`: nothing that cannot be proven current is used.
fn verdict(
    note: Option<&Note>,
    schema: Option<&str>,
    chain: &[crate::revision::Revision],
) -> Verdict {
    let Some(note) = note else {
        return Verdict::Rebuild;
    };
    if schema != Some(note.schema.as_str())
        || note.revisions == 0
        || note.revisions > chain.len()
        || chain_hash(&chain[..note.revisions]) != note.chain
    {
        return Verdict::Rebuild;
    }
    match note.revisions == chain.len() {
        true => Verdict::Current,
        false => Verdict::Extend,
    }
}

/// This machine, as kept heads record it: `/etc/machine-id`, else the host name; empty when
/// neither can be read (then no garbage is collected).
fn this_host() -> String {
    ["/etc/machine-id", "/etc/hostname"]
        .iter()
        .find_map(|path| {
            std::fs::read_to_string(path)
                .ok()
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty())
        })
        .unwrap_or_default()
}

/// The kept PostgreSQL head of a chain, locked for this run.
pub(crate) struct KeptHead {
    /// A connection to it (`None` only while it is copied).
    client: Option<postgres::Client>,
    pub(super) db: KeptDatabase,
    /// The ids of the revisions it holds (the chain's, at the start of the run).
    holds: std::collections::BTreeSet<String>,
    /// The last of them, and their [`chain_hash`].
    #[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
    held_head: String,
    #[cfg_attr(not(feature = "rusqlite"), allow(dead_code))]
    held_hash: String,
    /// Its schema version, as its note proves it ([`Note::schema`]).
    schema: String,
}

/// Where the kept head keeps its tables' catalog rows from one run to the next (see
/// [`RowCache`]): a schema of its own, which no introspection reads.
const STORED_ROWS_SCHEMA: &str = "migrations_kept";
const STORED_ROWS: &str = "migrations_kept.introspection";
/// Where it keeps the SQLite database the same revisions build, as an image
/// (`sqlite3_serialize`, compressed by LZ4: its pages are mostly zeros, 3.5 MB → 50 KB at 200
/// tables), with the [`chain_hash`] of the revisions it holds.
const SQLITE_IMAGE: &str = "migrations_kept.sqlite_head";

/// Creates what the kept head keeps besides the schema the revisions build (where missing):
/// before its schema version is taken for its note, which the schema they are in is part of.
fn bookkeeping_sql() -> String {
    format!(
        "CREATE SCHEMA IF NOT EXISTS {STORED_ROWS_SCHEMA}; {}; \
         CREATE TABLE IF NOT EXISTS {SQLITE_IMAGE} (chain text PRIMARY KEY, image bytea NOT NULL)",
        RowCache::create_sql(STORED_ROWS)
    )
}

impl KeptHead {
    pub(super) fn client(&mut self) -> &mut postgres::Client {
        self.client.as_mut().expect("connected but while copied")
    }

    /// The head's schema, reading again only the tables whose catalog rows changed since a run
    /// stored them (the rows of the others are taken from [`STORED_ROWS`]); stores what it
    /// read. `cache` then holds the head's rows, for the trial. Rows stored at the schema
    /// version the note proves are taken as they are, without reading the fingerprints: that
    /// version moves with every catalog row a fingerprint counts ([`rows_version_sql`]).
    pub(super) fn introspect(&mut self, cache: &mut SchemaCache) -> Result<Schema> {
        let schema = self.schema.clone();
        let client = self.client();
        let mut rows = Vec::new();
        // Its tables exist from the run that wrote its note on; made again if dropped by hand.
        let loaded = client.query_sql(&RowCache::load_sql(STORED_ROWS), &mut |r| {
            rows.push(r.iter().map(|c| c.map(str::to_string)).collect())
        });
        match loaded {
            Ok(()) => cache.postgres = RowCache::from_rows(&rows),
            Err(e) => {
                log::debug!("the kept head's stored rows could not be read: {e}");
                let _ = client.run_sql(&bookkeeping_sql());
            }
        }
        let proven = Some(&schema).filter(|s| !s.is_empty());
        cache.postgres.unchanged = proven.is_some() && cache.postgres.read_at.as_ref() == proven;
        let head = client.introspect_cached(cache)?;
        if cache.postgres.read_again > 0 || cache.postgres.read_at.as_ref() != proven {
            cache.postgres.read_at = proven.cloned();
            if let Err(e) = client.run_sql(&cache.postgres.store_sql(STORED_ROWS)) {
                log::debug!("the kept head's rows could not be stored: {e}");
                let _ = client.run_sql("ROLLBACK");
            }
        }
        Ok(head)
    }

    /// The SQLite image this head keeps for the revisions it holds (`None` when there is none
    /// for them, or it cannot be read), to build the SQLite head of a chain that serves SQLite
    /// too on a thread of its own ([`SqliteImage::head`]).
    #[cfg(feature = "rusqlite")]
    pub(super) fn sqlite_image(&mut self) -> SqliteImage {
        let hash = self.held_hash.clone();
        let image = self
            .client()
            .query_opt(
                &format!("SELECT image FROM {SQLITE_IMAGE} WHERE chain = $1"),
                &[&hash],
            )
            .map(|row| row.map(|r| r.get(0)))
            .unwrap_or_else(|e| {
                log::debug!("the kept head's SQLite image could not be read: {e}");
                None
            });
        SqliteImage {
            image,
            held: crate::chain::Target::Revision(self.held_head.clone()),
        }
    }

    /// Keeps `image` ([`SqliteImage::head`]'s, compressed) as the SQLite image of the revisions
    /// this head holds, in place of any other.
    #[cfg(feature = "rusqlite")]
    pub(super) fn keep_sqlite_image(&mut self, image: &[u8]) {
        let hash = self.held_hash.clone();
        let client = self.client();
        let stored = client
            .batch_execute(&format!(
                "{}; DELETE FROM {SQLITE_IMAGE}",
                bookkeeping_sql()
            ))
            .and_then(|()| {
                client.execute(
                    &format!("INSERT INTO {SQLITE_IMAGE} VALUES ($1, $2)"),
                    &[&hash, &image],
                )
            });
        if let Err(e) = stored {
            log::debug!("the SQLite image could not be kept: {e}");
        }
    }

    /// [`Scratch::try_chain`](super::scratch::Scratch::try_chain) on the kept head; whether
    /// it ran on a copy.
    /// `cache` holds the head's tables as read: the trial reads again only what it changed.
    pub(super) fn try_chain(
        &mut self,
        next: &Chain,
        cache: &mut SchemaCache,
    ) -> Result<(Schema, bool)> {
        let new: Vec<_> = next
            .revisions()
            .iter()
            .filter(|r| !self.holds.contains(&r.id))
            .cloned()
            .collect();
        let transactional = new.iter().all(|r| r.transactional);
        if transactional {
            match self.try_in_transaction(&new, cache) {
                Ok(head) => return Ok((head, false)),
                // The copy runs it as an upgrade does, for the error to name file and line.
                Err(e) => log::debug!("the new revision failed on the kept head: {e}"),
            }
        }
        // Nobody may be connected to a template: this connection goes, and comes back after.
        self.client = None;
        let tried = (|| {
            let copy = self.db.copy("migrations_scratch")?;
            let mut client = connect_scratch(&copy.url)?;
            migrate::apply_quietly(next, &mut client)?;
            client.introspect()
        })();
        self.client = Some(connect_scratch(&self.db.url)?);
        Ok((tried?, !transactional))
    }

    /// Runs `new` (the revisions after the head's) inside one transaction, reads the schema
    /// and rolls back.
    fn try_in_transaction(
        &mut self,
        new: &[crate::revision::Revision],
        cache: &mut SchemaCache,
    ) -> Result<Schema> {
        use crate::revision::Direction;
        let client = self.client();
        let trial = (|| -> std::result::Result<(), crate::driver::DbError> {
            client.run_sql("BEGIN")?;
            for rev in new {
                let statements = rev
                    .section_for(Direction::Upgrade, Dialect::Postgres)
                    .map(|s| s.statements(Dialect::Postgres))
                    .unwrap_or_default();
                for stmt in statements {
                    client.run_sql(&stmt.sql)?;
                }
            }
            Ok(())
        })()
        .map_err(|e| Error::database("trying the new revision on the kept head", e));
        // What the trial reads goes into `cache` too: once rolled back, its tables'
        // fingerprints are the head's again, and what it read of them is read again.
        let head = trial.and_then(|()| client.introspect_cached(cache));
        client
            .run_sql("ROLLBACK")
            .map_err(|e| Error::database("rolling back the trial on the kept head", e))?;
        head
    }
}

/// The SQLite image a kept head keeps ([`KeptHead::sqlite_image`]): the SQLite database the
/// revisions it holds build, compressed.
#[cfg(feature = "rusqlite")]
pub(crate) struct SqliteImage {
    image: Option<Vec<u8>>,
    /// The last of the revisions it holds.
    held: crate::chain::Target,
}

#[cfg(feature = "rusqlite")]
impl SqliteImage {
    /// The SQLite head of `next` (the revisions the kept head holds, then new ones): the image
    /// loaded, else built (and returned, compressed, to be kept), and only the new revisions
    /// run on it, in memory.
    pub(crate) fn head(self, next: &Chain) -> Result<(Schema, Option<Vec<u8>>)> {
        let context = |e| Error::database("loading the kept head's SQLite image", e);
        let open = || rusqlite::Connection::open_in_memory().map_err(context);
        let mut conn = open()?;
        let loaded = self.image.and_then(|image| {
            let image = lz4_flex::decompress_size_prepended(&image)
                .map_err(|e| log::debug!("the kept head's SQLite image is damaged: {e}"))
                .ok()?;
            conn.deserialize_read_exact(rusqlite::MAIN_DB, &image[..], image.len(), false)
                .map_err(|e| log::debug!("the kept head's SQLite image does not load: {e}"))
                .ok()
        });
        let mut built = None;
        if loaded.is_none() {
            conn = open()?;
            migrate::apply_quietly_to(next, &mut conn, &self.held)?;
            let image = conn.serialize(rusqlite::MAIN_DB).map_err(context)?;
            built = Some(lz4_flex::compress_prepend_size(&image));
        }
        migrate::apply_quietly(next, &mut conn)?;
        Ok((conn.introspect()?, built))
    }
}

/// The kept head of `chain` (the revision files in `place.versions_dir`) on the scratch server
/// ([`scratch_admin_url`]), locked for this run, at the chain's head: reused when its note
/// proves it holds the chain and no one changed it since, extended when it holds the chain's
/// first revisions, else (or with `place.fresh`) built again from empty.
pub(super) fn kept_head(
    chain: &Chain,
    place: &Place<'_>,
    purpose: &'static str,
) -> Result<KeptHead> {
    let dir = place
        .versions_dir
        .expect("a versions folder for a kept head");
    let no_scratch = |e: Error| Error::NoScratchDatabase {
        purpose,
        source: Box::new(e),
    };
    let admin = scratch_admin_url(place.url);
    let mut db = KeptDatabase::lock(&admin, &kept_head_name(dir)).map_err(no_scratch)?;
    let (mut empty, note) = match db.note().map_err(no_scratch)? {
        Some(note) => (false, note.as_deref().and_then(Note::parse)),
        None => {
            db.create().map_err(no_scratch)?;
            (true, None)
        }
    };
    let mut client = connect_scratch(&db.url)?;
    let revisions = chain.revisions();
    let mut verdict = match place.fresh || note.is_none() {
        true => Verdict::Rebuild,
        false => verdict(
            note.as_ref(),
            schema_version(&mut client).ok().flatten().as_deref(),
            revisions,
        ),
    };
    // Current: the note's schema version is the one just read.
    let mut schema = note.map(|n| n.schema).unwrap_or_default();
    log::debug!("kept scratch head {}: {verdict:?}", db.name);
    if verdict == Verdict::Extend {
        // Unproven until the note is written again.
        db.set_note(None)?;
        if let Err(e) = migrate::apply_quietly(chain, &mut client) {
            log::debug!("extending the kept head failed, building it again: {e}");
            verdict = Verdict::Rebuild;
        }
    }
    if verdict == Verdict::Rebuild {
        if !empty {
            drop(client);
            db.recreate().map_err(no_scratch)?;
            client = connect_scratch(&db.url)?;
        }
        empty = true;
        migrate::apply_quietly(chain, &mut client)?;
    }
    if empty {
        collect_garbage(&mut db);
    }
    let hash = chain_hash(revisions);
    if verdict != Verdict::Current {
        client
            .batch_execute(&bookkeeping_sql())
            .map_err(|e| Error::database("creating the kept head's own tables", e))?;
        let note = Note {
            folder: folder_key(dir),
            host: this_host(),
            revisions: revisions.len(),
            chain: hash.clone(),
            schema: schema_version(&mut client)?.unwrap_or_default(),
        };
        db.set_note(Some(&note.render()))?;
        schema = note.schema;
    }
    Ok(KeptHead {
        client: Some(client),
        db,
        holds: revisions.iter().map(|r| r.id.clone()).collect(),
        held_head: chain.head().id.clone(),
        held_hash: hash,
        schema,
    })
}

/// The kept head's schema version, as its note records it: [`rows_version_sql`], which moves
/// whenever the schema the revisions built, or anything the stored rows of its tables depend
/// on, changes.
fn schema_version(client: &mut postgres::Client) -> Result<Option<String>> {
    let doing = "reading the kept head's schema version";
    migrate::drift::first_text(client, &rows_version_sql(), doing)
}

/// Drops the other kept heads this machine made for versions folders that no longer exist
/// (a project deleted, a test's temporary folder): one database per existing app is left.
/// One in use is left too (it is dropped without force).
fn collect_garbage(db: &mut KeptDatabase) {
    let host = this_host();
    if host.is_empty() {
        return;
    }
    let Ok(others) = db.others(KEPT_HEAD_PREFIX) else {
        return;
    };
    for (name, note) in others {
        let Some(note) = note.as_deref().and_then(Note::parse) else {
            continue;
        };
        if note.host == host && !std::path::Path::new(&note.folder).exists() {
            let dropped = db.drop_other(&name);
            log::debug!(
                "kept scratch head {name} of {}: dropped {dropped}",
                note.folder
            );
        }
    }
}

/// Drops the kept PostgreSQL head of the revisions in `versions_dir` from the scratch server
/// picked from `database_url` (as autogenerate picks it), waiting for a run that uses it;
/// whether there was one. `db revision --autogenerate --fresh-scratch` drops it and builds it
/// again.
pub fn drop_kept_head(versions_dir: &std::path::Path, database_url: &str) -> Result<bool> {
    KeptDatabase::drop_named(
        &scratch_admin_url(database_url),
        &kept_head_name(versions_dir),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Fixture;

    fn chain(n: usize) -> Vec<crate::revision::Revision> {
        (0..n)
            .map(|i| {
                let f = Fixture::new(format!("{i:012x}"))
                    .up(format!("CREATE TABLE t{i} (x INT);"))
                    .down(format!("DROP TABLE t{i};"));
                match i {
                    0 => f,
                    _ => f.revises(&format!("{:012x}", i - 1)),
                }
                .revision()
            })
            .collect()
    }

    fn note(revisions: &[crate::revision::Revision]) -> Note {
        Note {
            folder: "/app/migrations/versions".into(),
            host: "h".into(),
            revisions: revisions.len(),
            chain: chain_hash(revisions),
            schema: "170000 {public} 3:12".into(),
        }
    }

    #[test]
    fn a_note_reads_back_as_written_and_anything_else_is_no_note() {
        let written = note(&chain(2));
        assert_eq!(Note::parse(&written.render()), Some(written.clone()));
        for other in [
            String::new(),
            "some comment".into(),
            written.render().replace("kept head, 1", "kept head, 2"),
            written.render() + "\nmore",
            written.render().replace("revisions 2", "revisions two"),
        ] {
            assert_eq!(Note::parse(&other), None, "{other}");
        }
    }

    #[test]
    fn the_chain_hash_is_cumulative_over_ids_and_checksums() {
        let revs = chain(3);
        assert_ne!(chain_hash(&revs[..2]), chain_hash(&revs));
        assert_eq!(chain_hash(&revs[..2]), chain_hash(&chain(2)));
        let mut edited = revs.clone();
        edited[0].checksum = "0".repeat(64);
        assert_ne!(chain_hash(&edited), chain_hash(&revs));
    }

    #[test]
    fn only_a_head_proven_current_is_used() {
        let revs = chain(3);
        let kept = note(&revs[..2]);
        let schema = Some(kept.schema.as_str());
        assert_eq!(verdict(Some(&kept), schema, &revs[..2]), Verdict::Current);
        assert_eq!(verdict(Some(&kept), schema, &revs), Verdict::Extend);
        // No note, another schema version (or none), a shorter chain, an edited revision.
        assert_eq!(verdict(None, schema, &revs), Verdict::Rebuild);
        assert_eq!(verdict(Some(&kept), Some("other"), &revs), Verdict::Rebuild);
        assert_eq!(verdict(Some(&kept), None, &revs), Verdict::Rebuild);
        assert_eq!(verdict(Some(&kept), schema, &revs[..1]), Verdict::Rebuild);
        let mut edited = revs.clone();
        edited[1].checksum = "0".repeat(64);
        assert_eq!(verdict(Some(&kept), schema, &edited), Verdict::Rebuild);
    }
}
