//! The build's round trip on SQLite in time linear in the length of the chain: the database
//! kept as independent groups of objects, each in its own in-memory database, and every
//! revision run up, down and up in the group (or the groups, merged) that it can see.
//!
//! # Why
//!
//! SQLite does work in proportion to the number of objects in the database on every DDL
//! statement: `CREATE`/`DROP` scan `sqlite_master` (it has no index), every schema change
//! walks all tables, and `ALTER TABLE` parses the whole schema again. Run in one database,
//! a chain of 20,000 revisions that each create a table costs SQLite alone ~105 s for the
//! up/down/up (~370 s when they add columns), however little the round trip does itself.
//!
//! # Why it proves the same
//!
//! SQLite finds objects only by name. Two objects can touch each other (a foreign key, a view,
//! a trigger body, an index, a rename that rewrites references) only when one's SQL names the
//! other. So the database is kept as groups such that no object of one group names an object
//! of another ([`Partitioned`] checks this after every revision), and a revision is run in the
//! union of the groups holding an object it names, or naming an object it creates: nothing
//! outside can change what it does, and it can change nothing outside. The states compared
//! are that union's whole schema, statement for statement, as [`super::round_trip()`] compares
//! the whole database's.
//!
//! What can see the whole database makes it one database again, for good (every later
//! revision runs there, as in [`super::round_trip()`]): a revision that names `sqlite_…`
//! (`sqlite_master`, `sqlite_sequence`), uses `PRAGMA`, `pragma_…` functions, `VACUUM`,
//! `ANALYZE`, `REINDEX`, `ATTACH`/`DETACH`, temporary or virtual tables. And if a revision ever
//! leaves an object naming one of another group (a name the scan for created names missed),
//! the whole chain is checked again in one database: never a weaker check, only a slower one.
//!
//! What differs from one database: where an object sits in `sqlite_master` (its rowid), which
//! only a revision reading `sqlite_master` sees (and that one runs in one database), and
//! pages. A group not used lately is kept as its statements and rows (`INSERT`s of every
//! row, `quote()`d exactly, rowids kept, and `sqlite_sequence`) and rebuilt when a revision
//! needs it.

use super::round_trip::{check_revision, fatal, State};
use super::Session;
use crate::bookkeeping::OWN_TABLES;
use crate::chain::Chain;
use crate::dialect::Dialect;
use crate::driver::{Driver, Options, SchemaCache};
use crate::error::{Error, Problem, Result};
use crate::revision::{Direction, Revision};
use crate::schema::Schema;
use crate::sql::{quote_ident, quote_literal, sqlite_name_tokens, NameToken};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// How many groups stay open as databases; the others are kept as statements.
const LIVE: usize = 16;

/// The round trip's database on SQLite, as groups of objects that do not name each other,
/// and the revisions checked so far. See the [module](self).
///
/// ```
/// use migrations_core::{migrate::partitioned::Partitioned, testing::{self, Fixture}};
///
/// let chain = testing::chain(&[
///     Fixture::new("aaaaaaaaaaaa").up("CREATE TABLE a (id INTEGER);").down("DROP TABLE a;"),
///     Fixture::new("bbbbbbbbbbbb").revises("aaaaaaaaaaaa")
///         .up("CREATE TABLE b (id INTEGER);").down("DROP TABLE b;"),
/// ]);
/// let mut state = Partitioned::default();
/// state.round_trip(&chain).unwrap();
/// assert_eq!(state.groups(), 2); // `a` and `b` never meet
/// assert_eq!(state.head_schema().unwrap().tables.len(), 2);
/// ```
#[derive(Default)]
pub struct Partitioned {
    /// The revisions checked, in the chain's order: `(id, checksum)`.
    checked: Vec<(String, String)>,
    /// `None` where a group was merged into another.
    groups: Vec<Option<Group>>,
    /// Every object's name (lowercased) to its group.
    by_name: HashMap<String, usize>,
    /// Every word of the objects' SQL (lowercased) to the groups whose objects use it.
    by_word: HashMap<String, HashSet<usize>>,
    /// The groups that exist (not merged away), and those open as databases.
    present: BTreeSet<usize>,
    open: BTreeSet<usize>,
    /// One database for everything from now on.
    whole: bool,
    /// Stamps for "used lately".
    clock: u64,
    /// The state the last revision left its group in, `(group, state)`: the next revision's
    /// starting state when it runs in that group unchanged (saves reading it again).
    last: Option<(usize, State)>,
}

/// One group: a database of its own while open, else what rebuilds it.
struct Group {
    conn: Option<Connection>,
    /// While closed: the statements that rebuild it (objects, rows, sequences).
    dump: Vec<String>,
    /// While closed in the whole-database mode: the database itself (it may hold what no
    /// statement rebuilds: pragmas' values, virtual tables).
    image: Option<Vec<u8>>,
    /// Its objects, `(type, name)` to their SQL and the SQL's words.
    objects: BTreeMap<(String, String), Object>,
    /// How many of its objects use each word.
    words: HashMap<String, usize>,
    used: u64,
}

impl Group {
    fn closed() -> Group {
        Group {
            conn: None,
            dump: Vec::new(),
            image: None,
            objects: BTreeMap::new(),
            words: HashMap::new(),
            used: 0,
        }
    }
}

struct Object {
    sql: String,
    words: Vec<String>,
}

/// Why a revision could not be checked here.
enum Stop {
    /// It fails: the problems to report.
    Failed(Vec<Problem>),
    /// The groups were not independent after all: check the whole chain in one database.
    Unsure,
}

impl From<Vec<Problem>> for Stop {
    fn from(p: Vec<Problem>) -> Stop {
        Stop::Failed(p)
    }
}

fn problem(e: impl std::fmt::Display) -> Vec<Problem> {
    vec![Problem::new("<in-memory SQLite>", 0, e.to_string(), "")]
}

impl Partitioned {
    /// How many revisions of the chain (its first ones) have been checked.
    pub fn checked(&self) -> usize {
        self.checked.len()
    }

    /// How many groups the database is kept as.
    pub fn groups(&self) -> usize {
        self.groups.iter().flatten().count()
    }

    /// Whether everything is in one database for good (see the [module](self)).
    pub fn is_whole(&self) -> bool {
        self.whole
    }

    /// Runs every revision of `chain` after those already checked up, down and up, each in
    /// the groups it can see, as [`super::round_trip()`] does in one database.
    ///
    /// # Failure
    ///
    /// The problems [`super::round_trip()`] reports; also when the revisions checked before are
    /// not the first ones of `chain`, unchanged.
    pub fn round_trip(&mut self, chain: &Chain) -> std::result::Result<(), Vec<Problem>> {
        let revisions = chain.revisions();
        let same = |(id, sum): &(String, String), r: &Revision| *id == r.id && *sum == r.checksum;
        if self.checked.len() > revisions.len()
            || !self.checked.iter().zip(revisions).all(|(c, r)| same(c, r))
        {
            return Err(vec![Problem::new(
                "",
                0,
                "the round trip's state holds revisions that are not the first ones of the chain, unchanged",
                "start the round trip from nothing",
            )]);
        }
        let mut problems = Vec::new();
        let mut i = self.checked.len();
        while let Some(rev) = revisions.get(i) {
            match self.check(chain, rev) {
                Ok(found) => problems.extend(found),
                Err(Stop::Failed(p)) => {
                    problems.extend(p);
                    return Err(problems);
                }
                Err(Stop::Unsure) => {
                    // From nothing, in one database.
                    *self = Partitioned {
                        whole: true,
                        ..Partitioned::default()
                    };
                    problems.clear();
                    i = 0;
                    continue;
                }
            }
            self.checked.push((rev.id.clone(), rev.checksum.clone()));
            i += 1;
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The schema the revisions checked so far leave: every group's, together.
    pub fn head_schema(&mut self) -> Result<Schema> {
        let mut schema = Schema::default();
        for group in self.groups.iter_mut().flatten() {
            let part = match &mut group.conn {
                Some(conn) => conn.introspect()?,
                None => rebuild(group)?.introspect()?,
            };
            schema.tables.extend(part.tables);
            schema.views.extend(part.views);
            schema.triggers.extend(part.triggers);
        }
        Ok(schema)
    }

    /// One revision up, down and up, in the groups it can see.
    fn check(
        &mut self,
        chain: &Chain,
        rev: &Revision,
    ) -> std::result::Result<Option<Problem>, Stop> {
        let sql: Vec<&str> = [Direction::Upgrade, Direction::Downgrade]
            .into_iter()
            .filter_map(|d| rev.section_for(d, Dialect::Sqlite))
            .map(|s| s.sql.as_str())
            .collect();
        let tokens: Vec<NameToken> = sql.iter().flat_map(|s| sqlite_name_tokens(s)).collect();
        if !self.whole && sees_everything(&tokens) {
            self.whole = true;
        }
        let related: BTreeSet<usize> = if self.whole {
            self.present.clone()
        } else {
            let named = tokens.iter().filter_map(|t| match t {
                NameToken::Word(w) | NameToken::Quoted(w) => self.by_name.get(w).copied(),
                NameToken::Other(_) => None,
            });
            let naming_created = created_names(&tokens)
                .into_iter()
                .flat_map(|n| self.by_word.get(&n).into_iter().flatten().copied());
            named.chain(naming_created).collect()
        };
        let target = self.merge(related)?;
        self.clock += 1;
        let group = self.groups[target].as_mut().expect("just merged");
        group.used = self.clock;
        let conn = group.conn.as_mut().expect("merge leaves it open");
        let session =
            Session::capture(conn, &Options::default()).map_err(|e| fatal(conn, rev, e))?;
        let mut cache = SchemaCache::default();
        let before = match self.last.take() {
            Some((g, state)) if g == target => state,
            _ => State::read(conn, &mut cache).map_err(|e| fatal(conn, rev, e))?,
        };
        let (after, found) = check_revision(chain, conn, &session, &mut cache, rev, before)?;
        self.last = Some((target, after));
        self.reindex(target)?;
        self.close_unused(target)?;
        Ok(found)
    }

    /// The groups of `related` as one (the largest, with the others' objects and rows moved
    /// into it), open; a new empty group when there is none.
    fn merge(&mut self, related: BTreeSet<usize>) -> std::result::Result<usize, Stop> {
        let Some(&target) = related.iter().max_by_key(|&&i| {
            self.groups[i]
                .as_ref()
                .map_or((0, 0), |g| (g.objects.len(), usize::MAX - i))
        }) else {
            let conn = new_database(Connection::open_in_memory()).map_err(problem)?;
            self.groups.push(Some(Group {
                conn: Some(conn),
                ..Group::closed()
            }));
            let i = self.groups.len() - 1;
            self.present.insert(i);
            self.open.insert(i);
            return Ok(i);
        };
        self.open(target).map_err(|_| Stop::Unsure)?;
        if related.len() > 1 {
            self.last = None;
        }
        for &other in related.iter().filter(|&&i| i != target) {
            let mut moved = self.groups[other].take().expect("a group");
            self.present.remove(&other);
            self.open.remove(&other);
            let dump = match moved.conn.take() {
                Some(conn) => dump(&conn).map_err(|_| Stop::Unsure)?,
                None if moved.image.is_some() => return Err(Stop::Unsure),
                None => std::mem::take(&mut moved.dump),
            };
            let into = self.groups[target].as_mut().expect("a group");
            load(into.conn.as_ref().expect("open"), &dump).map_err(|_| Stop::Unsure)?;
            for ((kind, name), object) in std::mem::take(&mut moved.objects) {
                self.by_name.insert(name.to_ascii_lowercase(), target);
                for w in &object.words {
                    *into.words.entry(w.clone()).or_default() += 1;
                }
                into.objects.insert((kind, name), object);
            }
            for w in moved.words.keys() {
                let groups = self.by_word.entry(w.clone()).or_default();
                groups.remove(&other);
                groups.insert(target);
            }
        }
        Ok(target)
    }

    /// Reads group `i`'s objects again after a revision ran in it, and checks that it still
    /// names no object of another group, nor another group one of its own. A group left with
    /// no object is dropped (but the only one, in the whole-database mode).
    fn reindex(&mut self, i: usize) -> std::result::Result<(), Stop> {
        let group = self.groups[i].as_mut().expect("a group");
        let conn = group.conn.as_ref().expect("open");
        let rows = objects(conn).map_err(|e| Stop::Failed(problem(e)))?;
        let mut objects = BTreeMap::new();
        // Words whose count moved from or to zero.
        let mut touched = Vec::new();
        for (kind, name, sql) in rows {
            let key = (kind, name);
            let object = match group.objects.remove(&key) {
                Some(old) if old.sql == sql => old,
                old => {
                    let object = Object {
                        words: words(&sql),
                        sql,
                    };
                    count_words(&mut group.words, &object.words, &mut touched);
                    if let Some(old) = old {
                        forget_words(&mut group.words, &old.words, &mut touched);
                    }
                    object
                }
            };
            objects.insert(key, object);
        }
        let before: HashSet<String> = group
            .objects
            .keys()
            .map(|(_, n)| n.to_ascii_lowercase())
            .collect();
        // What is left in `group.objects` was dropped.
        for old in std::mem::replace(&mut group.objects, objects).into_values() {
            forget_words(&mut group.words, &old.words, &mut touched);
        }
        let names: HashSet<String> = group
            .objects
            .keys()
            .map(|(_, n)| n.to_ascii_lowercase())
            .collect();
        for w in touched {
            if group.words.contains_key(&w) {
                if self.by_name.get(&w).is_some_and(|&g| g != i) {
                    return Err(Stop::Unsure);
                }
                self.by_word.entry(w).or_default().insert(i);
            } else if let Some(groups) = self.by_word.get_mut(&w) {
                groups.remove(&i);
                if groups.is_empty() {
                    self.by_word.remove(&w);
                }
            }
        }
        for gone in before.difference(&names) {
            if self.by_name.get(gone) == Some(&i) {
                self.by_name.remove(gone);
            }
        }
        for name in names.difference(&before) {
            let named_elsewhere = self
                .by_word
                .get(name)
                .is_some_and(|groups| groups.iter().any(|&g| g != i));
            if named_elsewhere || self.by_name.get(name).is_some_and(|&g| g != i) {
                return Err(Stop::Unsure);
            }
            self.by_name.insert(name.clone(), i);
        }
        if names.is_empty() && !self.whole {
            self.groups[i] = None;
            self.present.remove(&i);
            self.open.remove(&i);
        }
        Ok(())
    }

    /// Group `i`'s database, rebuilt first if it was closed.
    fn open(&mut self, i: usize) -> Result<&mut Connection> {
        let group = self.groups[i].as_mut().expect("a group");
        if group.conn.is_none() {
            group.conn = Some(rebuild(group)?);
            self.open.insert(i);
            group.dump = Vec::new();
            group.image = None;
        }
        Ok(group.conn.as_mut().expect("opened"))
    }

    /// Closes the groups used longest ago while more than [`LIVE`] are open (never `keep`).
    fn close_unused(&mut self, keep: usize) -> std::result::Result<(), Stop> {
        while self.open.len() > LIVE {
            let used = |i: &&usize| self.groups[**i].as_ref().map_or(0, |g| g.used);
            let Some(oldest) = self
                .open
                .iter()
                .filter(|&&i| i != keep)
                .min_by_key(used)
                .copied()
            else {
                return Ok(());
            };
            self.open.remove(&oldest);
            let group = self.groups[oldest].as_mut().expect("a group");
            let conn = group.conn.take().expect("open");
            group.dump = dump(&conn).map_err(|e| Stop::Failed(problem(e)))?;
        }
        Ok(())
    }

    /// Writes the state to `path` (through a temporary file, so a half-written one never
    /// exists): the revisions checked, and each group as its statements (in the
    /// whole-database mode, the database itself).
    pub fn save(&mut self, path: &Path) -> std::result::Result<(), String> {
        let tmp = path.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let written = self.write(&tmp).map_err(|e| e.to_string());
        let written = written.and_then(|()| std::fs::rename(&tmp, path).map_err(|e| e.to_string()));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    fn write(&mut self, path: &Path) -> rusqlite::Result<()> {
        let mut file = Connection::open(path)?;
        file.execute_batch(SAVED_SCHEMA)?;
        let tx = file.transaction()?;
        tx.execute("INSERT INTO whole VALUES (?1)", [self.whole])?;
        for (pos, (id, sum)) in self.checked.iter().enumerate() {
            tx.execute("INSERT INTO checked VALUES (?1, ?2, ?3)", (pos, id, sum))?;
        }
        for (grp, group) in self.groups.iter().enumerate() {
            let Some(group) = group else { continue };
            for (pos, ((kind, name), object)) in group.objects.iter().enumerate() {
                tx.execute(
                    "INSERT INTO object VALUES (?1, ?2, ?3, ?4, ?5)",
                    (grp, pos, kind, name, &object.sql),
                )?;
            }
            match (&group.conn, &group.image) {
                (Some(conn), _) if self.whole => {
                    let image = conn.serialize(rusqlite::MAIN_DB)?;
                    tx.execute("INSERT INTO image VALUES (?1, ?2)", (grp, &image[..]))?;
                }
                (None, Some(image)) => {
                    tx.execute("INSERT INTO image VALUES (?1, ?2)", (grp, image))?;
                }
                (conn, _) => {
                    let dumped;
                    let statements = match conn {
                        Some(conn) => {
                            dumped = dump(conn)?;
                            &dumped
                        }
                        None => &group.dump,
                    };
                    for (pos, sql) in statements.iter().enumerate() {
                        tx.execute("INSERT INTO statement VALUES (?1, ?2, ?3)", (grp, pos, sql))?;
                    }
                }
            }
        }
        tx.commit()
    }

    /// The state [`Partitioned::save`] wrote to `path`, if it holds the first revisions of
    /// `chain`, unchanged; `None` otherwise (or when it cannot be read).
    pub fn load(path: &Path, chain: &Chain) -> Option<Partitioned> {
        let file =
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        let mut state = read_saved(&file).ok()?;
        let revisions = chain.revisions();
        let same = state.checked.len() <= revisions.len()
            && state
                .checked
                .iter()
                .zip(revisions)
                .all(|((id, sum), r)| *id == r.id && *sum == r.checksum);
        if !same {
            return None;
        }
        // The indexes, from the objects.
        for (i, group) in state.groups.iter().enumerate() {
            let Some(group) = group else { continue };
            state.present.insert(i);
            for (_, name) in group.objects.keys() {
                state.by_name.insert(name.to_ascii_lowercase(), i);
            }
            for w in group.words.keys() {
                state.by_word.entry(w.clone()).or_default().insert(i);
            }
        }
        Some(state)
    }
}

const SAVED_SCHEMA: &str = "
    CREATE TABLE whole (whole INTEGER NOT NULL);
    CREATE TABLE checked (pos INTEGER PRIMARY KEY, revision TEXT NOT NULL, checksum TEXT NOT NULL);
    CREATE TABLE object (grp INTEGER NOT NULL, pos INTEGER NOT NULL, type TEXT NOT NULL,
        name TEXT NOT NULL, sql TEXT NOT NULL, PRIMARY KEY (grp, pos));
    CREATE TABLE statement (grp INTEGER NOT NULL, pos INTEGER NOT NULL, sql TEXT NOT NULL,
        PRIMARY KEY (grp, pos));
    CREATE TABLE image (grp INTEGER PRIMARY KEY, image BLOB NOT NULL);
";

fn read_saved(file: &Connection) -> rusqlite::Result<Partitioned> {
    let mut state = Partitioned {
        whole: file.query_row("SELECT whole FROM whole", [], |r| r.get(0))?,
        ..Partitioned::default()
    };
    let mut stmt = file.prepare("SELECT revision, checksum FROM checked ORDER BY pos")?;
    state.checked = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut groups: BTreeMap<usize, Group> = BTreeMap::new();
    let mut stmt = file.prepare("SELECT grp, type, name, sql FROM object ORDER BY grp, pos")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let g = groups.entry(r.get(0)?).or_insert_with(Group::closed);
        let sql: String = r.get(3)?;
        let words = words(&sql);
        for w in &words {
            *g.words.entry(w.clone()).or_default() += 1;
        }
        g.objects
            .insert((r.get(1)?, r.get(2)?), Object { sql, words });
    }
    let mut stmt = file.prepare("SELECT grp, sql FROM statement ORDER BY grp, pos")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let g = groups.entry(r.get(0)?).or_insert_with(Group::closed);
        g.dump.push(r.get(1)?);
    }
    let mut stmt = file.prepare("SELECT grp, image FROM image")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let g = groups.entry(r.get(0)?).or_insert_with(Group::closed);
        g.image = Some(r.get(1)?);
    }
    let len = groups.keys().next_back().map_or(0, |last| last + 1);
    state.groups = (0..len).map(|i| groups.remove(&i)).collect();
    Ok(state)
}

/// Whether a revision can see more than the objects it names (see the [module](self)).
fn sees_everything(tokens: &[NameToken]) -> bool {
    const WHOLE: [&str; 10] = [
        "pragma",
        "vacuum",
        "analyze",
        "reindex",
        "attach",
        "detach",
        "temp",
        "temporary",
        "virtual",
        "load_extension",
    ];
    tokens.iter().any(|t| match t {
        NameToken::Word(w) | NameToken::Quoted(w) => {
            WHOLE.contains(&w.as_str()) || w.starts_with("sqlite_") || w.starts_with("pragma_")
        }
        NameToken::Other(_) => false,
    })
}

/// The names a revision's statements may create: after `CREATE [UNIQUE] TABLE|INDEX|VIEW|
/// TRIGGER [IF NOT EXISTS] [schema.]`, and after `RENAME … TO`.
fn created_names(tokens: &[NameToken]) -> Vec<String> {
    let word = |i: usize| match tokens.get(i) {
        Some(NameToken::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let name = |i: usize| match tokens.get(i) {
        Some(NameToken::Word(w) | NameToken::Quoted(w)) => Some(w.clone()),
        _ => None,
    };
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        let mut j = match word(i) {
            Some("create") => i + 1,
            Some("to") => {
                // `RENAME TO x`, `RENAME [COLUMN] a TO b`: a column name is harmless here.
                out.extend(name(i + 1));
                continue;
            }
            _ => continue,
        };
        if word(j) == Some("unique") {
            j += 1;
        }
        if !matches!(word(j), Some("table" | "index" | "view" | "trigger")) {
            continue;
        }
        j += 1;
        if word(j) == Some("if") && word(j + 1) == Some("not") && word(j + 2) == Some("exists") {
            j += 3;
        }
        if tokens.get(j + 1) == Some(&NameToken::Other('.')) {
            j += 2;
        }
        out.extend(name(j));
    }
    out
}

/// The distinct names and words of an object's SQL.
fn words(sql: &str) -> Vec<String> {
    let set: HashSet<String> = sqlite_name_tokens(sql)
        .into_iter()
        .filter_map(|t| match t {
            NameToken::Word(w) | NameToken::Quoted(w) => Some(w),
            NameToken::Other(_) => None,
        })
        .collect();
    set.into_iter().collect()
}

/// Counts `words` in `counts`; those new there go to `touched`.
fn count_words(counts: &mut HashMap<String, usize>, words: &[String], touched: &mut Vec<String>) {
    for w in words {
        let n = counts.entry(w.clone()).or_default();
        if *n == 0 {
            touched.push(w.clone());
        }
        *n += 1;
    }
}

/// Takes `words` off `counts`; those gone from there go to `touched`.
fn forget_words(counts: &mut HashMap<String, usize>, words: &[String], touched: &mut Vec<String>) {
    for w in words {
        if let Some(n) = counts.get_mut(w) {
            *n -= 1;
            if *n == 0 {
                counts.remove(w);
                touched.push(w.clone());
            }
        }
    }
}

/// `conn` with the history table the steps write to.
fn new_database(conn: rusqlite::Result<Connection>) -> Result<Connection> {
    let mut conn = conn.map_err(|e| Error::database("opening an in-memory database", e))?;
    super::history::ensure(&mut conn, &Options::default())?;
    Ok(conn)
}

/// A closed group's database, rebuilt from its image or its statements.
fn rebuild(group: &Group) -> Result<Connection> {
    let context = |e| Error::database("rebuilding a group of the round trip", e);
    let mut conn = Connection::open_in_memory().map_err(context)?;
    match &group.image {
        Some(image) => conn
            .deserialize_read_exact(rusqlite::MAIN_DB, &image[..], image.len(), false)
            .map_err(context)?,
        None => load(&conn, &group.dump).map_err(context)?,
    }
    new_database(Ok(conn))
}

/// `(type, name, sql)` of every object but SQLite's own and this crate's, in `sqlite_master`
/// order.
fn objects(conn: &Connection) -> rusqlite::Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ({}) ORDER BY rowid",
        OWN_TABLES.map(quote_literal).join(", ")
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The statements that rebuild `conn`'s objects and rows in another database: the tables,
/// each followed by its rows (rowids kept), the `sqlite_sequence` counters, then the indexes,
/// views and triggers, each kind in `sqlite_master` order.
fn dump(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = Vec::new();
    for (kind, name, sql) in objects(conn)? {
        if kind != "table" {
            rest.push(sql);
            continue;
        }
        out.push(sql);
        let table = quote_ident(&name);
        let empty: bool = conn.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )?;
        if !empty {
            out.extend(rows(conn, &name)?);
        }
    }
    let has_sequence: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence')",
        [],
        |r| r.get(0),
    )?;
    if has_sequence {
        let mut stmt = conn.prepare("SELECT name, seq FROM sqlite_sequence")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let name = quote_literal(&r.get::<_, String>(0)?);
            let seq: i64 = r.get(1)?;
            out.push(format!(
                "DELETE FROM sqlite_sequence WHERE name = {name}; INSERT INTO sqlite_sequence (name, seq) VALUES ({name}, {seq})"
            ));
        }
    }
    out.extend(rest);
    Ok(out)
}

/// An `INSERT` of each row of `table`, every value `quote()`d (exact, reals included), the
/// rowid kept (under whichever of its names no column takes).
fn rows(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name, hidden FROM pragma_table_xinfo(?1) ORDER BY cid")?;
    let all: Vec<(String, i64)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let without_rowid: bool = conn.query_row(
        "SELECT wr FROM pragma_table_list(?1) WHERE schema = 'main'",
        [table],
        |r| r.get(0),
    )?;
    let mut columns: Vec<String> = all
        .iter()
        .filter(|(_, hidden)| *hidden == 0)
        .map(|(c, _)| quote_ident(c))
        .collect();
    if !without_rowid {
        let taken = |alias: &&str| all.iter().any(|(c, _)| c.eq_ignore_ascii_case(alias));
        let Some(rowid) = ["rowid", "_rowid_", "oid"].into_iter().find(|a| !taken(a)) else {
            return Err(rusqlite::Error::InvalidColumnName(format!(
                "{table}: every name of the rowid is a column"
            )));
        };
        columns.insert(0, rowid.to_string());
    }
    let values = columns
        .iter()
        .map(|c| format!("quote({c})"))
        .collect::<Vec<_>>()
        .join(" || ', ' || ");
    let target = quote_ident(table);
    let query = format!(
        "SELECT 'INSERT INTO ' || {} || ' ({}) VALUES (' || {values} || ')' FROM {target}",
        quote_literal(&target),
        columns.join(", ").replace('\'', "''"),
    );
    let mut stmt = conn.prepare(&query)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Runs `statements` (from [`dump`]) on `conn`, with foreign keys off (rows come table by
/// table) and in one transaction.
fn load(conn: &Connection, statements: &[String]) -> rusqlite::Result<()> {
    let fk: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN")?;
    let loaded = statements.iter().try_for_each(|s| conn.execute_batch(s));
    let ended = match loaded {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    };
    if fk {
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
    }
    ended
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, Fixture};

    /// A linear chain of revisions, each `(upgrade, downgrade)`.
    fn linear(steps: &[(&str, &str)]) -> Chain {
        let fixtures: Vec<Fixture> = steps
            .iter()
            .enumerate()
            .map(|(i, (up, down))| {
                let parent = if i == 0 {
                    String::new()
                } else {
                    format!("{i:012x}")
                };
                Fixture::new(format!("{:012x}", i + 1))
                    .revises(&parent)
                    .up(*up)
                    .down(*down)
            })
            .collect();
        testing::chain(&fixtures)
    }

    /// Checks `chain` in groups and in one database ([`super::super::round_trip`]): both must
    /// agree on the outcome (the problems' messages) and on the head schema.
    fn both(chain: &Chain) -> (Partitioned, std::result::Result<(), Vec<String>>) {
        let messages = |r: std::result::Result<(), Vec<Problem>>| {
            r.map_err(|ps| ps.iter().map(|p| p.to_string()).collect::<Vec<_>>())
        };
        let mut one = Connection::open_in_memory().unwrap();
        let whole = messages(super::super::round_trip(chain, &mut one));
        let mut state = Partitioned::default();
        let parts = messages(state.round_trip(chain));
        assert_eq!(parts, whole, "groups and one database disagree");
        if whole.is_ok() {
            assert_eq!(state.head_schema().unwrap(), one.introspect().unwrap());
        }
        (state, whole)
    }

    #[test]
    fn tables_that_never_meet_are_checked_apart_and_meet_when_a_revision_names_both() {
        let (state, outcome) = both(&linear(&[
            ("CREATE TABLE a (id INTEGER PRIMARY KEY);", "DROP TABLE a;"),
            ("CREATE TABLE b (id INTEGER PRIMARY KEY);", "DROP TABLE b;"),
            ("CREATE INDEX b_id ON b (id);", "DROP INDEX b_id;"),
            ("CREATE TABLE \"C\" (x TEXT);", "DROP TABLE c;"),
        ]));
        outcome.unwrap();
        assert_eq!(state.groups(), 3);

        // A foreign key to `a` and a view of `b`, then a rename that rewrites both.
        let (state, outcome) = both(&linear(&[
            ("CREATE TABLE a (id INTEGER PRIMARY KEY);", "DROP TABLE a;"),
            ("CREATE TABLE b (id INTEGER PRIMARY KEY);", "DROP TABLE b;"),
            ("CREATE TABLE lone (x INTEGER);", "DROP TABLE lone;"),
            (
                "CREATE TABLE ab (a_id INTEGER REFERENCES a (id)); CREATE VIEW vb AS SELECT id FROM [b];",
                "DROP VIEW vb; DROP TABLE ab;",
            ),
            ("ALTER TABLE a RENAME TO a2;", "ALTER TABLE a2 RENAME TO a;"),
        ]));
        outcome.unwrap();
        assert_eq!(state.groups(), 2, "a, b, ab, vb together; lone apart");
        assert!(!state.is_whole());
    }

    #[test]
    fn a_table_created_where_another_group_already_names_it_joins_that_group() {
        // `child` names `parent` before it exists; the revision that creates it runs with it.
        let (state, outcome) = both(&linear(&[
            (
                "CREATE TABLE child (p INTEGER REFERENCES parent (id) ON DELETE CASCADE);",
                "DROP TABLE child;",
            ),
            ("CREATE TABLE other (x INTEGER);", "DROP TABLE other;"),
            (
                "CREATE TABLE IF NOT EXISTS main.parent (id INTEGER PRIMARY KEY);",
                "DROP TABLE parent;",
            ),
        ]));
        outcome.unwrap();
        assert_eq!(state.groups(), 2);
        assert_eq!(
            state.by_name["parent"], state.by_name["child"],
            "parent and child in one group"
        );
    }

    #[test]
    fn what_sees_the_whole_database_makes_it_one_for_good() {
        let (state, outcome) = both(&linear(&[
            ("CREATE TABLE a (id INTEGER);", "DROP TABLE a;"),
            ("CREATE TABLE b (id INTEGER);", "DROP TABLE b;"),
            (
                "CREATE TABLE n (k INTEGER); INSERT INTO n SELECT count(*) FROM sqlite_master;",
                "DROP TABLE n;",
            ),
            ("CREATE TABLE c (id INTEGER);", "DROP TABLE c;"),
        ]));
        outcome.unwrap();
        assert!(state.is_whole());
        assert_eq!(state.groups(), 1);
    }

    #[test]
    fn a_downgrade_that_does_not_undo_is_reported_as_in_one_database() {
        let (_, outcome) = both(&linear(&[
            ("CREATE TABLE a (id INTEGER);", "DROP TABLE a;"),
            ("CREATE TABLE b (id INTEGER);", "SELECT 1;"),
            ("CREATE TABLE c (id INTEGER);", "DROP TABLE c;"),
        ]));
        let problems = outcome.unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("does not restore"), "{problems:?}");
        assert!(problems[0].contains("000000000002"), "{problems:?}");

        // Upgrading twice differs (a table only the second time): reported, and checking goes on.
        let (_, outcome) = both(&linear(&[
            (
                "CREATE TABLE IF NOT EXISTS marker (x INTEGER); CREATE TABLE a (id INTEGER);",
                "DROP TABLE a;",
            ),
            ("CREATE TABLE z (id INTEGER);", "DROP TABLE z;"),
        ]));
        assert!(outcome.is_err());
    }

    /// Rows, rowids and `sqlite_sequence` counters of a group survive its closing (as
    /// statements) and its merging: the `CHECK`s fail otherwise.
    fn data_chain(seq: i64) -> Chain {
        let mut steps: Vec<(String, String)> = vec![
            (
                "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT); CREATE TABLE r (v TEXT); \
                 CREATE TABLE w (k TEXT PRIMARY KEY, n REAL) WITHOUT ROWID;"
                    .into(),
                "DROP TABLE w; DROP TABLE r; DROP TABLE a;".into(),
            ),
            (
                "INSERT INTO a (v) VALUES ('x'), ('y'), ('z'); DELETE FROM a WHERE v = 'x'; \
                 INSERT INTO r VALUES ('x'), ('y'), ('z'); DELETE FROM r WHERE v = 'x'; \
                 INSERT INTO w VALUES ('it''s', 0.1), ('b', X'00ff');"
                    .into(),
                "DELETE FROM a; DELETE FROM r; DELETE FROM w;".into(),
            ),
        ];
        // Enough other tables that the group of `a` is closed, then rebuilt.
        for i in 0..2 * LIVE {
            steps.push((
                format!("CREATE TABLE t{i} (x INTEGER);"),
                format!("DROP TABLE t{i};"),
            ));
        }
        steps.extend([
            (
                "CREATE TABLE b (n INTEGER CHECK (n = 2)); INSERT INTO b SELECT count(*) FROM a; \
                 INSERT INTO b SELECT min(rowid) FROM r; \
                 INSERT INTO b SELECT 2 FROM w WHERE k = 'it''s' AND n = 0.1;"
                    .into(),
                "DROP TABLE b;".into(),
            ),
            (
                // Names `a` and `t0`: merges two groups.
                "CREATE TABLE m (n INTEGER CHECK (n = 2)); INSERT INTO m SELECT count(*) FROM a LEFT JOIN t0;\
                 INSERT INTO m SELECT 2 FROM w WHERE k = 'b' AND n = X'00ff';"
                    .into(),
                "DROP TABLE m;".into(),
            ),
            (
                format!(
                    "CREATE TABLE d (n INTEGER CHECK (n = {seq})); \
                     INSERT INTO d SELECT seq FROM sqlite_sequence WHERE name = 'a';"
                ),
                "DROP TABLE d;".into(),
            ),
        ]);
        let steps: Vec<(&str, &str)> = steps.iter().map(|(u, d)| (&u[..], &d[..])).collect();
        linear(&steps)
    }

    #[test]
    fn rows_rowids_and_counters_survive_closing_and_merging() {
        let (state, outcome) = both(&data_chain(6));
        outcome.unwrap();
        assert!(state.is_whole(), "sqlite_sequence sees the whole database");
        // The check can fail: the counter is 6, not 7.
        let (_, outcome) = both(&data_chain(7));
        let problems = outcome.unwrap_err();
        assert!(
            problems[0].contains("CHECK constraint failed"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_saved_state_is_taken_up_only_by_the_chain_it_checked() {
        let steps = [
            (
                "CREATE TABLE a (id INTEGER PRIMARY KEY); INSERT INTO a VALUES (7);",
                "DROP TABLE a;",
            ),
            ("CREATE TABLE b (id INTEGER);", "DROP TABLE b;"),
            (
                "CREATE TABLE c (n INTEGER CHECK (n = 7)); INSERT INTO c SELECT id FROM a;",
                "DROP TABLE c;",
            ),
        ];
        let full = linear(&steps);
        let first = linear(&steps[..2]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let mut state = Partitioned::default();
        state.round_trip(&first).unwrap();
        state.save(&path).unwrap();

        let mut loaded = Partitioned::load(&path, &full).expect("it holds full's first two");
        assert_eq!(loaded.checked(), 2);
        assert_eq!(loaded.groups(), 2);
        loaded.round_trip(&full).unwrap();
        let mut fresh = Partitioned::default();
        fresh.round_trip(&full).unwrap();
        assert_eq!(loaded.head_schema().unwrap(), fresh.head_schema().unwrap());

        // Another first revision (its checksum differs): not taken up.
        let mut edited = steps;
        edited[0].1 = "DROP TABLE a; -- edited";
        assert!(Partitioned::load(&path, &linear(&edited)).is_none());
        // Nor a state checked for another chain's start.
        assert!(state.round_trip(&linear(&edited)).is_err());
    }

    #[test]
    fn a_group_found_to_name_another_is_not_trusted() {
        let mut state = Partitioned::default();
        state
            .round_trip(&linear(&[
                (
                    "CREATE TABLE a (id INTEGER, b_id INTEGER REFERENCES b);",
                    "DROP TABLE a;",
                ),
                ("CREATE TABLE x (id INTEGER);", "DROP TABLE x;"),
            ]))
            .unwrap();
        // `b`, which `a` names, made in the group of `x`.
        let x = state.by_name["x"];
        let conn = state.groups[x].as_ref().unwrap().conn.as_ref().unwrap();
        conn.execute_batch("CREATE TABLE b (id INTEGER PRIMARY KEY)")
            .unwrap();
        assert!(matches!(state.reindex(x), Err(Stop::Unsure)));
    }

    #[test]
    fn when_groups_cannot_be_trusted_the_whole_chain_is_checked_again_in_one_database() {
        let mut steps = vec![(
            "CREATE TABLE a (id INTEGER PRIMARY KEY);".to_string(),
            "DROP TABLE a;".to_string(),
        )];
        for i in 0..2 * LIVE {
            steps.push((
                format!("CREATE TABLE t{i} (x INTEGER);"),
                format!("DROP TABLE t{i};"),
            ));
        }
        steps.push((
            "CREATE INDEX a_id ON a (id);".into(),
            "DROP INDEX a_id;".into(),
        ));
        let steps: Vec<(&str, &str)> = steps.iter().map(|(u, d)| (&u[..], &d[..])).collect();
        let mut state = Partitioned::default();
        state
            .round_trip(&linear(&steps[..steps.len() - 1]))
            .unwrap();
        let a = state.by_name["a"];
        let group = state.groups[a].as_mut().unwrap();
        assert!(group.conn.is_none(), "closed, kept as statements");
        group.dump.push("NOT SQL".into());
        state.round_trip(&linear(&steps)).unwrap();
        assert!(state.is_whole(), "checked again in one database");
        assert_eq!(state.checked(), steps.len());
        assert_eq!(state.head_schema().unwrap().tables.len(), steps.len() - 1);
    }

    #[test]
    fn created_names_are_found_however_they_are_written() {
        let tokens = |s: &str| created_names(&sqlite_name_tokens(s));
        assert_eq!(
            tokens("CREATE UNIQUE INDEX IF NOT EXISTS main.\"Ix\" ON t (a); CREATE TRIGGER [tr] AFTER INSERT ON t BEGIN SELECT 1; END"),
            ["ix", "tr"]
        );
        assert_eq!(
            tokens("ALTER TABLE t RENAME TO `u`; CREATE VIEW 'v' AS SELECT 1; create table w(x)"),
            ["u", "v", "w"]
        );
        assert!(sees_everything(&sqlite_name_tokens(
            "pragma foreign_keys = on"
        )));
        assert!(sees_everything(&sqlite_name_tokens(
            "SELECT * FROM \"SQLITE_MASTER\""
        )));
        assert!(!sees_everything(&sqlite_name_tokens(
            "CREATE TABLE pragmatic (x)"
        )));
    }
}
