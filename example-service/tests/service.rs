//! The example service as processes, booting its database through a pooled async client:
//! serving after a fresh boot, at head again, eight processes booting one database at once, a
//! failing revision, and a boot killed (SIGKILL) mid-revision — PostgreSQL directly and through
//! a PgBouncer of the test's own in each pool mode. The tests are async themselves
//! (`#[tokio::test]`), as an async app's would be.

use migrations_core::driver::postgres::async_client;
use migrations_core::testing::{PgBouncer, PoolMode, TestDatabase};
use migrations_core::tokio_postgres::{Client, SimpleQueryMessage};
use std::process::{Output, Stdio};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

const SERVICE: &str = env!("CARGO_BIN_EXE_example-service");
const FIRST: &str = "5b7e2d9c4a10";
const HEAD: &str = "c2d84f1a6e3b";

/// A fresh database, reached directly or through a PgBouncer of the test's own.
struct Backend {
    db: TestDatabase,
    bouncer: Option<PgBouncer>,
}

impl Backend {
    /// Directly, then through PgBouncer in transaction and in session mode (those that can be
    /// had: skipped, or a failure under `REQUIRE_POSTGRES=1`).
    fn all() -> Vec<Backend> {
        let mut all = Vec::new();
        for mode in [None, Some(PoolMode::Transaction), Some(PoolMode::Session)] {
            let Some(db) = TestDatabase::create() else {
                return all;
            };
            let bouncer = match mode.map(PgBouncer::start) {
                None => None,
                Some(Some(bouncer)) => Some(bouncer),
                Some(None) => return all,
            };
            all.push(Backend { db, bouncer });
        }
        all
    }

    /// The URL the service gets.
    fn url(&self) -> String {
        match &self.bouncer {
            Some(b) => b.url(&self.db),
            None => self.db.url.clone(),
        }
    }

    fn name(&self) -> &'static str {
        match self.bouncer.as_ref().map(|b| b.mode) {
            None => "direct",
            Some(PoolMode::Transaction) => "pgbouncer (transaction mode)",
            Some(PoolMode::Session) => "pgbouncer (session mode)",
        }
    }

    /// A direct client (not through the pooler): what the test inspects is the server's.
    async fn direct(&self) -> Client {
        async_client::connect(&self.db.url).await.unwrap()
    }

    async fn exec(&self, sql: &str) {
        self.direct().await.batch_execute(sql).await.unwrap();
    }

    /// The first column of each row of `sql`.
    async fn column(&self, sql: &str) -> Vec<String> {
        let messages = self.direct().await.simple_query(sql).await.unwrap();
        messages
            .into_iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(row.get(0).unwrap_or_default().to_string()),
                _ => None,
            })
            .collect()
    }

    async fn note_columns(&self) -> Vec<String> {
        self.column("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'notes' ORDER BY 1").await
    }

    async fn advisory_locks(&self) -> usize {
        self.column("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").await.len()
    }

    /// The service with `args`, on this backend.
    fn service(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(SERVICE);
        cmd.args(args)
            .env("DATABASE_URL", self.url())
            .kill_on_drop(true);
        cmd
    }

    /// Runs the service with `args` to its end.
    async fn run(&self, args: &[&str]) -> Output {
        self.service(args).output().await.unwrap()
    }

    /// Runs it and asserts that it succeeded; its stdout.
    async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        let (stdout, stderr) = text(&out);
        assert!(
            out.status.success(),
            "{}: {args:?}: exit {:?}\nstdout: {stdout}\nstderr: {stderr}",
            self.name(),
            out.status
        );
        stdout
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One HTTP request to the service at `addr`; the response's status line and body.
async fn get(addr: &str, path: &str) -> (String, String) {
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: test\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    socket.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

#[tokio::test]
async fn serves_after_booting_a_fresh_database_then_boots_at_head() {
    for b in Backend::all() {
        let mut service = b
            .service(&[])
            .env("LISTEN", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(service.stdout.take().unwrap()).lines();
        let listening = lines.next_line().await.unwrap().unwrap_or_default();
        let Some(addr) = listening.strip_prefix("listening on ") else {
            panic!("{}: the service did not start: {listening:?}", b.name());
        };
        // It listens only once booted: the schema is at head already.
        assert!(
            b.note_columns().await.contains(&"slug".to_string()),
            "{}",
            b.name()
        );
        assert_eq!(
            get(addr, "/").await,
            ("HTTP/1.1 200 OK".into(), "0 notes\n".into())
        );
        b.exec("INSERT INTO notes (body, slug) VALUES ('buy milk', 'buy milk')")
            .await;
        assert_eq!(get(addr, "/").await.1, "1 notes\n", "{}", b.name());
        assert_eq!(get(addr, "/nothing").await.0, "HTTP/1.1 404 Not Found");
        service.kill().await.unwrap();

        // At head: the next start has nothing to do.
        let booted = b.ok(&["boot"]).await;
        assert_eq!(booted.trim(), "booted; ran 0 revision(s)", "{}", b.name());
        let current = b.ok(&["db", "current"]).await;
        assert_eq!(current.trim(), format!("{HEAD} (head)"), "{}", b.name());
    }
}

#[tokio::test]
async fn eight_processes_boot_one_database() {
    for b in Backend::all() {
        let children: Vec<_> = (0..8)
            .map(|_| {
                b.service(&["boot"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut ran = 0;
        for child in children {
            let out = child.wait_with_output().await.unwrap();
            let (_, stderr) = text(&out);
            assert!(out.status.success(), "{}: {stderr}", b.name());
            ran += stderr.matches("Running upgrade").count();
        }
        assert_eq!(ran, 2, "{}: each revision ran once", b.name());
        let history = b
            .column("SELECT revision FROM migrations_history ORDER BY 1")
            .await;
        assert_eq!(history, [FIRST, HEAD], "{}", b.name());
        assert_eq!(b.advisory_locks().await, 0, "{}", b.name());
    }
}

#[tokio::test]
async fn a_failing_revision_leaves_the_database_at_the_last_good_one() {
    for b in Backend::all() {
        b.ok(&["db", "upgrade", "+1"]).await;
        // Two notes whose slugs collide: the unique index fails.
        b.exec("INSERT INTO notes (body) VALUES ('Buy milk'), ('buy milk')")
            .await;
        let boot = b.run(&["boot"]).await;
        let (_, err) = text(&boot);
        assert!(!boot.status.success(), "{}: {err}", b.name());
        assert!(
            err.contains(&format!("upgrade of revision {HEAD} failed at")),
            "{}: {err}",
            b.name()
        );
        assert!(
            err.contains(&format!("{HEAD}_unique_note_slugs.sql:10")),
            "{}: {err}",
            b.name()
        );
        assert!(err.contains("rolled back"), "{}: {err}", b.name());
        assert!(!err.contains("panicked"), "{}: {err}", b.name());
        // Nothing of the revision remains.
        let columns = b.note_columns().await;
        assert_eq!(columns, ["body", "created_at", "id"], "{}", b.name());
        assert_eq!(b.ok(&["db", "current"]).await.trim(), FIRST, "{}", b.name());
        assert_eq!(b.advisory_locks().await, 0, "{}", b.name());

        b.exec("DELETE FROM notes WHERE body = 'Buy milk'").await;
        let booted = b.ok(&["boot"]).await;
        assert_eq!(booted.trim(), "booted; ran 1 revision(s)", "{}", b.name());
    }
}

/// The service killed while its revision runs (here: waits for a table lock the test holds):
/// nothing of the revision remains, no lock outlives it, and the next boot completes it.
#[tokio::test]
async fn a_boot_killed_mid_revision_is_completed_by_the_next_boot() {
    for b in Backend::all() {
        b.ok(&["db", "upgrade", "+1"]).await;
        let holder = b.direct().await;
        holder
            .batch_execute("BEGIN; LOCK TABLE notes IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let mut boot = b
            .service(&["boot"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let running = format!("Running upgrade {FIRST} -> {HEAD}");
        let mut lines = BufReader::new(boot.stderr.take().unwrap()).lines();
        let mut started = false;
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains(&running) {
                started = true;
                break;
            }
        }
        assert!(started, "{}: the boot never started `{running}`", b.name());
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            boot.try_wait().unwrap().is_none(),
            "{}: done too soon",
            b.name()
        );
        boot.kill().await.unwrap(); // SIGKILL
        holder.batch_execute("COMMIT").await.unwrap();

        assert_eq!(b.ok(&["db", "current"]).await.trim(), FIRST, "{}", b.name());
        let columns = b.note_columns().await;
        assert_eq!(columns, ["body", "created_at", "id"], "{}", b.name());
        let booted = b.ok(&["boot"]).await;
        assert_eq!(booted.trim(), "booted; ran 1 revision(s)", "{}", b.name());
        assert!(
            b.note_columns().await.contains(&"slug".to_string()),
            "{}",
            b.name()
        );
        assert_eq!(b.advisory_locks().await, 0, "{}", b.name());
    }
}

/// The README's "Async apps" shows the service's startup code as it is in `src/main.rs`.
#[test]
fn the_readme_shows_the_startup_code_as_it_is() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let main = std::fs::read_to_string(format!("{root}/example-service/src/main.rs")).unwrap();
    let section = &readme[readme.find("## Async apps").expect("an Async apps section")..];
    let block = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a rust block in Async apps");
    assert!(
        block.contains("MIGRATIONS.boot_async(&client"),
        "not the startup code: {block}"
    );
    assert!(
        main.contains(block),
        "README's Async apps block differs from example-service/src/main.rs; copy the file's \
         code from `static MIGRATIONS` to the end of `boot` into it"
    );
}
