//! The history table, read and written through [`Driver::run_sql`] and [`Driver::query_sql`] with
//! the statements of [`crate::bookkeeping`]: one copy for every backend.

use crate::bookkeeping::{self, HISTORY_TABLE};
use crate::driver::{DbErrorKind, Driver, Options};
use crate::error::{Error, Result};

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppliedRow {
    /// Revision id.
    pub revision: String,
    /// SHA-256 of the revision file when it was applied.
    pub checksum: String,
    /// When it was applied, as the database wrote it.
    pub applied_at: String,
    /// How long the upgrade took, in milliseconds.
    pub execution_ms: i64,
}

/// The history table's rows, oldest first; empty when the database has no history table.
///
/// ```
/// # #[cfg(feature = "rusqlite")] {
/// let mut conn = rusqlite::Connection::open_in_memory().unwrap();
/// assert!(migrations_core::migrate::history(&mut conn).unwrap().is_empty());
/// # }
/// ```
pub fn history<D: Driver + ?Sized>(conn: &mut D) -> Result<Vec<AppliedRow>> {
    if exists(conn, HISTORY_TABLE)? {
        rows(conn)
    } else {
        Ok(Vec::new())
    }
}

/// Whether `table`, one of this crate's own tables ([`crate::bookkeeping::OWN_TABLES`]),
/// exists where the protocol keeps it.
pub fn exists<D: Driver + ?Sized>(conn: &mut D, table: &str) -> Result<bool> {
    let mut found = false;
    conn.query_sql(
        &bookkeeping::table_exists_sql(conn.dialect(), table),
        &mut |_| found = true,
    )
    .map_err(|e| Error::protocol(format!("looking for the {table} table"), e))?;
    Ok(found)
}

/// Creates one of this crate's tables with `ddl` unless it exists (checked first, so an
/// existing table costs no `CREATE … IF NOT EXISTS` notice on PostgreSQL), inside the
/// transaction the caller holds the migration lock in.
pub(crate) fn ensure_table<D: Driver + ?Sized>(conn: &mut D, table: &str, ddl: &str) -> Result<()> {
    if exists(conn, table)? {
        return Ok(());
    }
    conn.run_sql(ddl)
        .map_err(|e| Error::protocol(format!("creating the {table} table"), e))
}

/// Creates the history table if it does not exist, in a transaction of its own that holds the
/// migration lock (two processes that both found no table create it once).
pub(crate) fn ensure<D: Driver + ?Sized>(conn: &mut D, options: &Options) -> Result<()> {
    // A history table of a version of this crate before the stored files: their table is
    // added beside it (revisions applied before then have no stored file).
    if exists(conn, HISTORY_TABLE)? && exists(conn, bookkeeping::STORED_TABLE)? {
        return Ok(());
    }
    let ddl = bookkeeping::history_ddl(conn.dialect());
    super::lock::begin_locked(conn, options)?;
    let created = ensure_table(conn, HISTORY_TABLE, &ddl)
        .and_then(|()| ensure_table(conn, bookkeeping::STORED_TABLE, &bookkeeping::stored_ddl()));
    match created {
        Ok(()) => commit_or_roll_back(conn),
        Err(e) => {
            rollback(conn);
            Err(e)
        }
    }
}

/// The history's rows, when the table is known to exist (after [`ensure`]): one query.
pub(crate) fn rows<D: Driver + ?Sized>(conn: &mut D) -> Result<Vec<AppliedRow>> {
    read_rows(conn, &bookkeeping::history_rows_sql(), None)
}

/// [`rows`], when no transaction is open, waiting at most `options.lock_timeout` for a session
/// that holds the history table locked.
pub(crate) fn rows_bounded<D: Driver + ?Sized>(
    conn: &mut D,
    options: &Options,
) -> Result<Vec<AppliedRow>> {
    read_rows(
        conn,
        &bookkeeping::history_rows_sql(),
        Some(options.lock_timeout),
    )
}

/// Runs `read` (one query, sent when no transaction is open) waiting at most `wait` for a table
/// lock ([`bookkeeping::bounded_read_sql`]); when it fails, the read's own transaction (if the
/// dialect opened one) is rolled back.
fn query_bounded<D: Driver + ?Sized>(
    conn: &mut D,
    read: &str,
    wait: std::time::Duration,
    each: &mut dyn FnMut(&[Option<&str>]),
) -> std::result::Result<(), crate::driver::DbError> {
    let bounded = bookkeeping::bounded_read_sql(conn.dialect(), read, wait);
    let result = conn.query_sql(&bounded, each);
    if result.is_err() && bounded != read {
        rollback(conn);
    }
    result
}

fn read_rows<D: Driver + ?Sized>(
    conn: &mut D,
    sql: &str,
    wait: Option<std::time::Duration>,
) -> Result<Vec<AppliedRow>> {
    let mut rows = Vec::new();
    let mut bad = None;
    let mut each = |r: &[Option<&str>]| {
        let text = |i: usize| r.get(i).copied().flatten().unwrap_or_default().to_string();
        let execution_ms = r.get(3).copied().flatten().unwrap_or("0");
        match execution_ms.parse() {
            Ok(ms) => rows.push(AppliedRow {
                revision: text(0),
                checksum: text(1),
                applied_at: text(2),
                execution_ms: ms,
            }),
            Err(_) => bad = Some(text(0)),
        }
    };
    match wait {
        Some(wait) => query_bounded(conn, sql, wait, &mut each),
        None => conn.query_sql(sql, &mut each),
    }
    .map_err(|e| Error::protocol("reading the history table", e))?;
    match bad {
        Some(revision) => Err(Error::InconsistentHistory(format!(
            "the row of revision {revision} has an execution time that is not a number"
        ))),
        None => Ok(rows),
    }
}

/// Whether the history holds exactly the `expected` `(revision, checksum)` pairs: one read, nothing written, no lock, no existence probe. This is how a
/// boot with nothing to do returns at once; `false` only means "take the full path", which
/// locks, reads the history again and says what differs (also when there is no table yet).
/// The one error returned is a database busy past the wait (SQLite: another process holds it
/// locked), which the full path would only wait for again.
pub(crate) fn matches<D: Driver + ?Sized>(
    conn: &mut D,
    expected: &Expected<'_>,
    options: &Options,
) -> std::result::Result<bool, crate::driver::DbError> {
    // Compared as the database hands the text over, in table order: no row is copied.
    let mut count = 0;
    let mut all = true;
    let read = query_bounded(
        conn,
        &bookkeeping::history_pairs_sql(conn.dialect()),
        options.lock_timeout,
        &mut |r| match (r.first().copied().flatten(), r.get(1).copied().flatten()) {
            (Some(id), Some(sum)) if expected.contains(id, sum) => count += 1,
            _ => all = false,
        },
    );
    match read {
        Err(e) if e.kind() == DbErrorKind::Busy => Err(e),
        read => Ok(read.is_ok() && all && count == expected.len()),
    }
}

/// Whether `revision` has a row in the history table.
pub(crate) fn is_applied<D: Driver + ?Sized>(conn: &mut D, revision: &str) -> Result<bool> {
    let mut found = false;
    conn.query_sql(&bookkeeping::is_applied_sql(revision), &mut |_| {
        found = true
    })
    .map_err(|e| Error::protocol("reading the history table", e))?;
    Ok(found)
}

/// Writes a revision's history row and stored file, as run by nothing (a stamp).
pub(crate) fn record<D: Driver + ?Sized>(
    conn: &mut D,
    rev: &crate::revision::Revision,
) -> Result<()> {
    let sql =
        bookkeeping::step_rows_sql(conn.dialect(), rev, crate::revision::Direction::Upgrade, 0);
    conn.run_sql(&sql)
        .map_err(|e| Error::protocol("recording the revision in the history table", e))
}

/// Removes a history row and the revision's stored file.
pub(crate) fn unrecord<D: Driver + ?Sized>(conn: &mut D, revision: &str) -> Result<()> {
    conn.run_sql(&bookkeeping::forget_sql(revision))
        .map_err(|e| Error::protocol("removing the revision from the history table", e))
}

/// Commits the open transaction.
pub(crate) fn commit<D: Driver + ?Sized>(conn: &mut D) -> Result<()> {
    conn.run_sql("COMMIT")
        .map_err(|e| Error::protocol("committing the transaction", e))
}

/// Rolls back the open transaction, if any; errors are ignored (the transaction may be gone).
pub(crate) fn rollback<D: Driver + ?Sized>(conn: &mut D) {
    let _ = conn.run_sql("ROLLBACK");
}

/// Commits; when the commit itself fails (SQLite busy past the timeout), rolls back so no
/// transaction is left open on the caller's connection.
pub(crate) fn commit_or_roll_back<D: Driver + ?Sized>(conn: &mut D) -> Result<()> {
    commit(conn).inspect_err(|_| rollback(conn))
}

/// Whether the database said a table it read does not exist.
pub(crate) fn is_missing_table(e: &crate::driver::DbError) -> bool {
    e.kind() == DbErrorKind::UndefinedTable
}

/// The `(revision, checksum)` pairs a history at head holds, sorted by revision, with an index
/// of where each run of ids with the same leading hex digits starts: a row is then found in
/// constant time, whatever the length of the chain (a binary search grows with it, and was a
/// third of a boot at head with 20,000 revisions). Ids that are not twelve lowercase hex
/// digits (hand-written ones) are found by binary search.
#[derive(Debug, Default)]
pub(crate) struct Expected<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    /// `starts[b]..starts[b + 1]`: the pairs whose id's bucket is `b`; empty without an index.
    starts: Vec<u32>,
    /// The bucket of an id: its first eight hex digits shifted right by this.
    shift: u32,
}

impl<'a> Expected<'a> {
    /// `pairs` sorted by revision.
    pub(crate) fn new(pairs: Vec<(&'a str, &'a str)>) -> Expected<'a> {
        let mut expected = Expected {
            pairs,
            starts: Vec::new(),
            shift: 32,
        };
        let n = expected.pairs.len();
        let keys: Option<Vec<u32>> = expected
            .pairs
            .iter()
            .map(|(id, _)| hex_prefix(id))
            .collect();
        if let (Some(keys), Ok(len)) = (keys, u32::try_from(n)) {
            // About one id per bucket.
            let bits = n.next_power_of_two().trailing_zeros().min(32);
            expected.shift = 32 - bits;
            let buckets = 1usize << bits;
            let mut starts = Vec::with_capacity(buckets + 1);
            let mut at = 0usize;
            for b in 0..buckets {
                while at < n && ((keys[at] as u64) >> expected.shift) < b as u64 {
                    at += 1;
                }
                starts.push(at as u32);
            }
            starts.push(len);
            expected.starts = starts;
        }
        expected
    }

    pub(crate) fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether `(revision, checksum)` is one of the pairs. With as many rows as pairs, and
    /// revisions unique in the history, every row passing this means the history is exactly
    /// these pairs, in whatever order the rows came.
    pub(crate) fn contains(&self, revision: &str, checksum: &str) -> bool {
        if self.starts.is_empty() {
            return is_expected(&self.pairs, revision, checksum);
        }
        // Every expected id has twelve lowercase hex digits: another is none of them.
        let Some(key) = hex_prefix(revision) else {
            return false;
        };
        let b = ((key as u64) >> self.shift) as usize;
        let range = self.starts[b] as usize..self.starts[b + 1] as usize;
        self.pairs[range]
            .iter()
            .any(|(id, sum)| *id == revision && *sum == checksum)
    }
}

/// The first eight hex digits of an id of twelve lowercase hex digits (whose byte order is
/// then its numeric order), else `None`.
fn hex_prefix(id: &str) -> Option<u32> {
    let b = id.as_bytes();
    if b.len() != 12 || !b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut key = 0u32;
    for c in &b[..8] {
        let digit = match c {
            b'0'..=b'9' => c - b'0',
            _ => c - b'a' + 10,
        };
        key = key << 4 | u32::from(digit);
    }
    Some(key)
}

/// Whether `(revision, checksum)` is one of `expected` (sorted by revision). With as many rows
/// as `expected` pairs, and revisions unique in the history, every row passing this means the
/// history is exactly `expected`, in whatever order the rows came.
pub(crate) fn is_expected(expected: &[(&str, &str)], revision: &str, checksum: &str) -> bool {
    // Revision ids are 12 bytes: compared as two big-endian integers (the same order as the
    // bytes) instead of a `memcmp` call per probe, which was a fifth of a boot at head.
    let key = |id: &str| -> Option<(u64, u32)> {
        let b: &[u8; 12] = id.as_bytes().try_into().ok()?;
        Some((
            u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
            u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
        ))
    };
    let wanted = key(revision);
    expected
        .binary_search_by(|(id, _)| match (key(id), wanted) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (*id).cmp(revision),
        })
        .is_ok_and(|i| expected[i].1 == checksum)
}

#[cfg(test)]
mod tests {
    use super::{is_expected, Expected};

    #[test]
    fn is_expected_finds_exactly_the_pairs() {
        let mut expected = vec![
            ("0000000000a1", "sum-a"),
            ("3f9a1c2e7b10", "sum-b"),
            ("8c1f0e2a9b3d", "sum-c"),
            ("ffffffffffff", "sum-d"),
            ("short", "sum-e"),
        ];
        expected.sort_unstable();
        for (id, sum) in &expected {
            assert!(is_expected(&expected, id, sum), "{id}");
            assert!(!is_expected(&expected, id, "other"), "{id}");
        }
        for id in [
            "000000000000",
            "3f9a1c2e7b11",
            "8c1f0e2a9b3",
            "8c1f0e2a9b3dd",
            "",
            "zzzzzzzzzzzz",
        ] {
            assert!(!is_expected(&expected, id, "sum-c"), "{id}");
        }
    }

    #[test]
    fn the_indexed_pairs_find_exactly_what_a_binary_search_finds() {
        // Ids as the build makes them (twelve lowercase hex digits), many to a bucket and none
        // in others, plus neighbours of each that are not there.
        let ids: Vec<String> = (0u64..3000)
            .map(|i| {
                format!(
                    "{:012x}",
                    i.wrapping_mul(0x9e37_79b9_7f4a) % (1 << 48) / 7 * 7
                )
            })
            .collect();
        let sums: Vec<String> = (0..ids.len()).map(|i| format!("sum-{i}")).collect();
        let mut pairs: Vec<(&str, &str)> = ids
            .iter()
            .map(String::as_str)
            .zip(sums.iter().map(String::as_str))
            .collect();
        pairs.sort_unstable();
        pairs.dedup_by(|a, b| a.0 == b.0);
        for n in [0, 1, 2, 3, 17, pairs.len()] {
            let some = &pairs[..n];
            let expected = Expected::new(some.to_vec());
            assert_eq!(expected.len(), n);
            assert!(!expected.starts.is_empty());
            for (id, sum) in &pairs {
                assert_eq!(
                    expected.contains(id, sum),
                    is_expected(some, id, sum),
                    "{id}"
                );
                assert!(!expected.contains(id, "other"));
            }
            for other in ["000000000000", "ffffffffffff", "FFFFFFFFFFFF", "short", ""] {
                assert_eq!(
                    expected.contains(other, "sum-0"),
                    is_expected(some, other, "sum-0")
                );
            }
        }
        // Hand-written ids: no index, the binary search.
        let odd = Expected::new(vec![("0000000000a1", "a"), ("Zeta", "z")]);
        assert!(odd.starts.is_empty());
        assert!(odd.contains("Zeta", "z") && odd.contains("0000000000a1", "a"));
        assert!(!odd.contains("zeta", "z"));
    }
}
