//! Revisions the database applied that this build does not know (the previous binary,
//! redeployed after a failed deploy): read back from the files stored with their history rows
//! ([`STORED_TABLE`]), checked against the recorded checksums, and joined to this build's
//! chain so that they can be downgraded.

use super::history::{self, AppliedRow};
use crate::bookkeeping::{self, STORED_TABLE};
use crate::chain::Chain;
use crate::driver::Driver;
use crate::error::{Error, Result};
use crate::revision::{self, Revision};

/// `chain` with the applied revisions it does not know (among the history's `rows`), from
/// their stored files; `None` when it knows every applied one.
///
/// # Errors
///
/// [`Error::StoredRevisions`] when an unknown revision has no stored file, a stored file
/// does not have the checksum the history recorded (it was changed), or the unknown
/// revisions are not all newer than this chain's head.
pub fn join<D: Driver + ?Sized>(
    chain: &Chain,
    conn: &mut D,
    rows: &[AppliedRow],
) -> Result<Option<Chain>> {
    let unknown: Vec<&AppliedRow> = rows
        .iter()
        .filter(|r| chain.get(&r.revision).is_none())
        .collect();
    if unknown.is_empty() {
        return Ok(None);
    }
    let ids: Vec<String> = unknown.iter().map(|r| r.revision.clone()).collect();
    let refuse = |reason: String| Error::StoredRevisions {
        revisions: ids.clone(),
        reason,
    };
    let mut stored: Vec<(String, String, String)> = Vec::new();
    if history::exists(conn, STORED_TABLE)? {
        conn.query_sql(&bookkeeping::stored_sql(&ids), &mut |r| {
            let text = |i: usize| r.get(i).copied().flatten().unwrap_or_default().to_string();
            stored.push((text(0), text(1), text(2)))
        })
        .map_err(|e| Error::protocol("reading the stored revision files", e))?;
    }
    let mut revisions: Vec<Revision> = chain.revisions().to_vec();
    for row in &unknown {
        let Some((_, file, source)) = stored.iter().find(|(id, ..)| *id == row.revision) else {
            return Err(refuse(format!(
                "{} has no stored file (it was applied by a version of this crate that stored none)",
                row.revision
            )));
        };
        if revision::checksum(source) != row.checksum {
            return Err(refuse(format!(
                "the stored file of {} ({file}) does not have the checksum recorded when it was \
                 applied: it was changed since",
                row.revision
            )));
        }
        let path = format!("(stored in the database)/{file}");
        let rev = revision::parse_embedded(&path, source, &row.checksum).map_err(|problems| {
            refuse(format!(
                "the stored file of {} does not read: {}",
                row.revision,
                joined(&problems)
            ))
        })?;
        revisions.push(rev);
    }
    let head = chain.head().id.clone();
    let joined_chain = Chain::new(revisions).map_err(|problems| {
        refuse(format!(
            "with this build's revisions they are not one chain: {}",
            joined(&problems)
        ))
    })?;
    for id in &ids {
        let rev = joined_chain.get(id).expect("joined above");
        if !joined_chain.lineage(rev).contains(&head) {
            return Err(refuse(format!(
                "{id} is not newer than this build's head {head}: the database went another way"
            )));
        }
    }
    Ok(Some(joined_chain))
}

/// Problems in one line.
fn joined(problems: &[crate::Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
