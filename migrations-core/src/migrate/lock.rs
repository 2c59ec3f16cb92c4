//! The migration lock, held by every transaction that changes what the migrations keep: the
//! history table's creation, each revision with its history row, `stamp`, the drift check's
//! memory, the mark of a revision that runs outside a transaction.
//!
//! It lives inside those transactions and ends with them (PostgreSQL:
//! `pg_advisory_xact_lock`; SQLite: `BEGIN IMMEDIATE`), never in the session, so that a pooler
//! that hands each transaction to another server connection (PgBouncer in transaction mode)
//! neither keeps it nor loses it, and a killed client's lock goes when the server ends its
//! transaction. Each revision reads the history again once it holds the lock, so two processes
//! that planned the same revision run it once: the second one finds it done and skips it.

use super::history;
use crate::bookkeeping;
use crate::driver::{Driver, Options};
use crate::error::{Error, Result};
use std::time::{Duration, Instant};

/// Opens a transaction that holds the migration lock until it ends (commit or rollback),
/// waiting at most `options.lock_timeout` for another process that holds it.
pub(crate) fn begin_locked<D: Driver + ?Sized>(conn: &mut D, options: &Options) -> Result<()> {
    let (open, locks) = opening_sql(conn.dialect(), options);
    let mut got = !locks;
    if let Err(e) = conn.query_sql(&open, &mut |r| got |= is_locked(r)) {
        history::rollback(conn);
        return Err(Error::protocol(
            "starting a transaction and taking the migration lock",
            e,
        ));
    }
    if got {
        Ok(())
    } else {
        wait(conn, options)
    }
}

/// The statements that open a transaction holding the migration lock, for one round trip:
/// `BEGIN`, its [`bounds`], and the attempt to take the lock ([`is_locked`] reads its row);
/// and whether there is such an attempt (none on SQLite, whose `BEGIN IMMEDIATE` is the lock,
/// or with the lock turned off).
pub(crate) fn opening_sql(dialect: crate::Dialect, options: &Options) -> (String, bool) {
    let lock = lock_sql(dialect, options);
    let locks = lock.is_some();
    let parts = [
        Some(bookkeeping::begin_sql(dialect).to_string()),
        bounds(dialect, options),
        lock,
    ];
    let sql = parts.into_iter().flatten().collect::<Vec<_>>().join("; ");
    (sql, locks)
}

/// What bounds the waits of a transaction that holds the lock: statements in it wait no
/// longer for table locks than for the migration lock, and the server notices a client that
/// vanished (PostgreSQL).
fn bounds(dialect: crate::Dialect, options: &Options) -> Option<String> {
    let parts: Vec<String> = [
        bookkeeping::wait_at_most_sql(dialect, options.lock_timeout),
        bookkeeping::notice_vanished_client_sql(dialect, true),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Whether a row of [`bookkeeping::try_lock_sql`] says the lock was taken.
pub(crate) fn is_locked(row: &[Option<&str>]) -> bool {
    row.first().copied().flatten() == Some("locked")
}

/// The statement that takes the lock without waiting, unless the dialect's transactions are
/// the lock (SQLite) or the options turned it off.
fn lock_sql(dialect: crate::Dialect, options: &Options) -> Option<String> {
    options
        .use_lock
        .then(|| bookkeeping::try_lock_sql(dialect))
        .flatten()
}

/// Inside an open transaction whose attempt to take the lock found it held: tries again until
/// the lock is this transaction's, logging once who holds it, or until `options.lock_timeout`
/// has passed, when the transaction is rolled back and the error names the holder.
pub(crate) fn wait<D: Driver + ?Sized>(conn: &mut D, options: &Options) -> Result<()> {
    let Some(try_lock) = lock_sql(conn.dialect(), options) else {
        return Ok(());
    };
    let start = Instant::now();
    let who = holder(conn).unwrap_or_else(|| "another session".into());
    options.report(
        log::Level::Info,
        &format!(
            "waiting for the migration lock, held by {who}: another process is migrating this database"
        ),
    );
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let mut got = false;
        if let Err(e) = conn.query_sql(&try_lock, &mut |r| got |= is_locked(r)) {
            history::rollback(conn);
            return Err(Error::protocol("taking the migration lock", e));
        }
        if got {
            options.report(
                log::Level::Info,
                &format!("got the migration lock after {:?}", start.elapsed()),
            );
            return Ok(());
        }
        if start.elapsed() >= options.lock_timeout {
            let who = holder(conn).unwrap_or_else(|| "a session that has ended".into());
            history::rollback(conn);
            return Err(Error::LockTimeout(format!(
                "another process held the migration lock (advisory lock {}) for more than \
                 {:?}: {who}; if it is not migrating, end its session \
                 (`SELECT pg_terminate_backend(pid)`), or raise `Options::lock_timeout`",
                bookkeeping::LOCK_KEY,
                options.lock_timeout
            )));
        }
    }
}

/// The session that holds the migration lock, in words: its pid, application, client, since
/// when it is in its transaction, its state and its last statement. `None` when nobody holds it
/// any more, or the role may not see it.
pub(crate) fn holder<D: Driver + ?Sized>(conn: &mut D) -> Option<String> {
    let sql = bookkeeping::lock_holder_sql(conn.dialect())?;
    sessions(conn, &sql).into_iter().next()
}

/// The sessions that hold locks on the current schema's tables, in words (see
/// [`bookkeeping::table_lock_holders_sql`]), or "another session" when none can be seen.
pub(crate) fn table_lock_holders<D: Driver + ?Sized>(conn: &mut D) -> String {
    let who = match bookkeeping::table_lock_holders_sql(conn.dialect()) {
        Some(sql) => sessions(conn, &sql),
        None => Vec::new(),
    };
    if who.is_empty() {
        "another session".into()
    } else {
        who.join("; ")
    }
}

/// The sessions a query in the layout of [`bookkeeping::table_lock_holders_sql`] finds, each in
/// words; none when it cannot be read.
fn sessions<D: Driver + ?Sized>(conn: &mut D, sql: &str) -> Vec<String> {
    let mut who = Vec::new();
    let read = conn.query_sql(sql, &mut |r| {
        let cell = |i: usize| r.get(i).copied().flatten().unwrap_or("?");
        who.push(format!(
            "pid {} ({}, from {}), in its transaction since {}, {}, holding {}, last statement: {}",
            cell(0),
            cell(1),
            cell(2),
            cell(3),
            cell(4),
            cell(5),
            cell(6)
        ));
    });
    if read.is_err() {
        who.clear();
    }
    who
}
