//! A busy table for tests and benchmarks: a writer that inserts into it without pause, and an
//! observer that samples, every 2 ms, which sessions the writer waits for — so a test can
//! show that a statement blocks the app's writes, and its safe form does not.

use crate::driver::postgres::connect;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the writer saw while it ran.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct WriterReport {
    /// Rows it inserted.
    pub writes: u64,
    /// Its longest single insert.
    pub longest_write: Duration,
    /// The sessions (backend pids) it was seen waiting for a lock held by.
    pub blocked_by: BTreeSet<i32>,
    /// The observer's samples in which it waited for a lock.
    pub blocked_samples: u64,
    /// The observer's samples in all.
    pub samples: u64,
}

/// A writer inserting into a table without pause (one autocommit `INSERT` after another), and
/// an observer of its lock waits, each on a connection of its own.
///
/// ```no_run
/// use migrations_core::testing::{BusyWriter, TestDatabase};
///
/// let db = TestDatabase::create().expect("a server");
/// let mut conn = db.connect();
/// conn.batch_execute("CREATE TABLE t (v TEXT); INSERT INTO t SELECT md5(g::text) FROM generate_series(1, 300000) g")?;
/// let writer = BusyWriter::start(&db.url, "INSERT INTO t VALUES ('x')")?;
/// let me: i32 = conn.query_one("SELECT pg_backend_pid()", &[])?.get(0);
/// conn.batch_execute("CREATE INDEX t_v ON t (v)")?;
/// let report = writer.finish();
/// assert!(report.blocked_by.contains(&me), "CREATE INDEX blocks writes");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BusyWriter {
    stop: Arc<AtomicBool>,
    writer: JoinHandle<(u64, Duration)>,
    observer: JoinHandle<(BTreeSet<i32>, u64, u64)>,
}

impl BusyWriter {
    /// Starts writing with `insert` on `url`, and observing; returns once the first row is
    /// written, so whatever runs next runs against a writer at work.
    ///
    /// # Errors
    ///
    /// When either connection cannot be made, or `insert` fails the first time.
    pub fn start(url: &str, insert: &str) -> Result<BusyWriter> {
        let mut writer = connect(url)?;
        let mut observer = connect(url)?;
        let first = |e| Error::database("the busy writer's first insert", e);
        writer.batch_execute(insert).map_err(first)?;
        let pid: i32 = writer
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(first)?
            .get(0);
        let stop = Arc::new(AtomicBool::new(false));
        let insert = insert.to_string();
        let s = stop.clone();
        let writer = std::thread::spawn(move || {
            let (mut writes, mut longest) = (1u64, Duration::ZERO);
            while !s.load(Ordering::Relaxed) {
                let start = Instant::now();
                if writer.batch_execute(&insert).is_err() {
                    break;
                }
                longest = longest.max(start.elapsed());
                writes += 1;
            }
            (writes, longest)
        });
        let s = stop.clone();
        let observer = std::thread::spawn(move || {
            let (mut by, mut blocked, mut samples) = (BTreeSet::new(), 0u64, 0u64);
            let Ok(query) = observer.prepare("SELECT pg_blocking_pids($1)") else {
                return (by, blocked, samples);
            };
            while !s.load(Ordering::Relaxed) {
                let Ok(row) = observer.query_one(&query, &[&pid]) else {
                    break;
                };
                let pids: Vec<i32> = row.get(0);
                samples += 1;
                if !pids.is_empty() {
                    blocked += 1;
                    by.extend(pids);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            (by, blocked, samples)
        });
        Ok(BusyWriter {
            stop,
            writer,
            observer,
        })
    }

    /// Stops both and says what the writer saw.
    pub fn finish(self) -> WriterReport {
        self.stop.store(true, Ordering::Relaxed);
        let (writes, longest_write) = self.writer.join().unwrap_or_default();
        let (blocked_by, blocked_samples, samples) = self.observer.join().unwrap_or_default();
        WriterReport {
            writes,
            longest_write,
            blocked_by,
            blocked_samples,
            samples,
        }
    }
}
