//! The async PostgreSQL backend (feature `tokio-postgres`) on a real server, through pooled
//! clients (deadpool-postgres, bb8-postgres), directly and through a PgBouncer of the test's own
//! in both pool modes: a fresh boot, at head, eight concurrent boots, a failing revision, a boot
//! cancelled mid-revision; and the blocking API called inside a tokio runtime, which must not
//! panic.
//!
//! Every test skips (passes, printing `skipped: …`) when no server answers, unless
//! `REQUIRE_POSTGRES=1`, when it fails.

use migrations_core::database::Database;
use migrations_core::driver::postgres::async_client;
use migrations_core::schema::{Column, ColumnType, Table};
use migrations_core::testing::{self, Fixture, PgBouncer, PoolMode, TestDatabase};
use migrations_core::tokio_postgres::{self, Client};
use migrations_core::{Driver, Error, Migrations, Options, Schema};
use std::time::Duration;

const A: &str = "a1a1a1a1a1a1";
const B: &str = "b2b2b2b2b2b2";

/// `todos` (A), then `second_up` on it (B).
fn revisions(second_up: &str) -> &'static Migrations {
    testing::embedded(&[
        Fixture::new(A)
            .slug("create_todos")
            .up("CREATE TABLE todos (id BIGINT PRIMARY KEY, title TEXT NOT NULL);")
            .down("DROP TABLE todos;"),
        Fixture::new(B)
            .revises(A)
            .slug("second")
            .up(second_up)
            .down("DROP TABLE IF EXISTS tags;\nALTER TABLE todos DROP COLUMN IF EXISTS done;"),
    ])
}

fn adds_done() -> &'static Migrations {
    revisions("ALTER TABLE todos ADD COLUMN done BOOLEAN NOT NULL DEFAULT false;")
}

/// The models at head of [`adds_done`].
fn models() -> Schema {
    Schema::new().table(
        Table::new("todos")
            .column(Column::new("id", ColumnType::BigInt).not_null())
            .column(Column::new("title", ColumnType::Text).not_null())
            .column(
                Column::new("done", ColumnType::Boolean)
                    .not_null()
                    .default_sql("false"),
            )
            .primary_key(["id"]),
    )
}

/// A fresh database, and the URL a pool reaches it by: directly, or through a PgBouncer of
/// the test's own.
struct Backend {
    db: TestDatabase,
    bouncer: Option<PgBouncer>,
}

impl Backend {
    /// Directly, then through PgBouncer in transaction and in session mode (those that can be
    /// had: `None` is skipped, or a failure under `REQUIRE_POSTGRES=1`).
    fn all() -> Vec<Backend> {
        let mut all = Vec::new();
        for mode in [None, Some(PoolMode::Transaction), Some(PoolMode::Session)] {
            let Some(db) = TestDatabase::create() else {
                return all;
            };
            let bouncer = match mode {
                None => None,
                Some(mode) => match PgBouncer::start(mode) {
                    Some(b) => Some(b),
                    None => return all,
                },
            };
            all.push(Backend { db, bouncer });
        }
        all
    }

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

    /// A deadpool pool of `size` clients, configured from the URL as the blocking backend
    /// connects (TLS included).
    fn deadpool(&self, size: usize) -> deadpool_postgres::Pool {
        let (config, tls) = async_client::config(&self.url()).unwrap();
        let manager = deadpool_postgres::Manager::from_config(
            config,
            tls,
            deadpool_postgres::ManagerConfig::default(),
        );
        deadpool_postgres::Pool::builder(manager)
            .max_size(size)
            .build()
            .unwrap()
    }

    /// A direct client of the server (not through the pooler), to inspect what it holds.
    async fn direct(&self) -> Client {
        async_client::connect(&self.db.url).await.unwrap()
    }

    async fn tables(&self) -> Vec<String> {
        let rows = query(
            &self.direct().await,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'migrations%' ORDER BY 1",
        )
        .await;
        rows.into_iter().map(|r| r[0].clone()).collect()
    }

    /// How many advisory locks sessions of the database hold.
    async fn advisory_locks(&self) -> usize {
        query(
            &self.direct().await,
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .await
        .len()
    }
}

/// The rows of `sql`, every value as text.
async fn query(client: &Client, sql: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for message in client.simple_query(sql).await.unwrap() {
        if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
            rows.push(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or_default().to_string())
                    .collect(),
            );
        }
    }
    rows
}

/// Whether `client` is outside a transaction: in one opened earlier, `now()` (the
/// transaction's start) is not the statement's start.
async fn outside_a_transaction(client: &Client) -> bool {
    tokio::time::sleep(Duration::from_millis(5)).await;
    query(client, "SELECT now() = statement_timestamp()").await == [["t"]]
}

#[tokio::test]
async fn a_pooled_client_boots_a_fresh_database_then_finds_it_at_head() {
    for b in Backend::all() {
        let pool = b.deadpool(2);
        let client = pool.get().await.unwrap();
        let migrations = adds_done();
        let steps = migrations.boot_async(&client, &models()).await.unwrap();
        assert_eq!(steps.len(), 2, "{}", b.name());
        assert_eq!(b.tables().await, ["todos"], "{}", b.name());
        // At head: nothing to do, the drift check remembered.
        let again = migrations.boot_async(&client, &models()).await.unwrap();
        assert!(again.is_empty(), "{}", b.name());
        assert_eq!(
            migrations.current_async(&client).await.unwrap(),
            [B],
            "{}",
            b.name()
        );
        // The drift check runs on the async client too.
        let mut other = models();
        other.tables.remove("todos");
        let err = migrations.boot_async(&client, &other).await.unwrap_err();
        assert!(matches!(err, Error::Drift(_)), "{}: {err}", b.name());
        assert!(err.to_string().contains("todos"), "{}: {err}", b.name());
        // Downgrade and upgrade as library calls.
        migrations.downgrade_async(&client, "-1").await.unwrap();
        assert_eq!(migrations.current_async(&client).await.unwrap(), [A]);
        migrations.upgrade_async(&client, "head").await.unwrap();
        assert!(migrations
            .upgrade_to_head_async(&client, &Options::default())
            .await
            .unwrap()
            .is_empty());
        // Any of the blocking API, on the async client.
        let history = async_client::run(&client, migrations_core::migrate::history)
            .await
            .unwrap();
        assert_eq!(history.len(), 2, "{}", b.name());
        // An applied revision edited since is refused, naming its file.
        let edited = revisions("ALTER TABLE todos ADD COLUMN done BOOLEAN NOT NULL DEFAULT true;");
        let err = edited.boot_async(&client, &models()).await.unwrap_err();
        assert!(
            matches!(&err, Error::ChecksumMismatch { file, .. } if file.ends_with("b2b2b2b2b2b2_second.sql")),
            "{}: {err}",
            b.name()
        );
        assert!(outside_a_transaction(&client).await, "{}", b.name());
        assert_eq!(b.advisory_locks().await, 0, "{}", b.name());
    }
}

/// Eight tasks of one process boot one fresh database at once, each on a client of its own
/// from the pool: all succeed, each revision runs once. (In session mode PgBouncer gives each
/// client a server connection of its own for as long as it is connected, and it has three: a
/// pool of three clients there, which the eight tasks share.)
async fn eight_tasks_boot_one_database(b: &Backend) {
    let session = matches!(&b.bouncer, Some(bouncer) if bouncer.mode == PoolMode::Session);
    let pool = b.deadpool(if session { 3 } else { 8 });
    let migrations = adds_done();
    let boots: Vec<_> = (0..8)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let client = pool.get().await.unwrap();
                migrations.boot_async(&client, &models()).await
            })
        })
        .collect();
    let mut ran = 0;
    for boot in boots {
        let steps = boot
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}", b.name()));
        ran += steps.iter().filter(|s| s.ran).count();
    }
    assert_eq!(ran, 2, "{}: each revision ran once", b.name());
    let history = query(
        &b.direct().await,
        "SELECT revision FROM migrations_history ORDER BY 1",
    )
    .await;
    assert_eq!(history, [[A], [B]], "{}", b.name());
    assert_eq!(b.advisory_locks().await, 0, "{}", b.name());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_tasks_boot_one_database_at_once() {
    for b in Backend::all() {
        eight_tasks_boot_one_database(&b).await;
    }
}

/// The same on a current-thread runtime (`#[tokio::test]`'s default): the eight futures share
/// its one thread while their protocols, each on a thread of its own, wait for the lock.
#[tokio::test]
async fn eight_tasks_boot_one_database_on_a_current_thread_runtime() {
    for b in Backend::all() {
        eight_tasks_boot_one_database(&b).await;
    }
}

#[tokio::test]
async fn a_failing_revision_leaves_the_last_good_one_and_the_client_fit_for_the_pool() {
    for b in Backend::all() {
        let pool = b.deadpool(1);
        let client = pool.get().await.unwrap();
        let migrations = revisions(
            "CREATE TABLE tags (id INT);\nCREATE UNIQUE INDEX todos_title ON todos (title);",
        );
        migrations.upgrade_async(&client, "+1").await.unwrap();
        client
            .batch_execute("INSERT INTO todos VALUES (1, 'same'), (2, 'same')")
            .await
            .unwrap();
        let err = migrations
            .upgrade_to_head_async(&client, &Options::default())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("upgrade of revision b2b2b2b2b2b2 failed at"),
            "{}: {err}",
            b.name()
        );
        assert!(
            err.contains("b2b2b2b2b2b2_second.sql:"),
            "{}: {err}",
            b.name()
        );
        assert!(
            err.contains("CREATE UNIQUE INDEX todos_title"),
            "{}: {err}",
            b.name()
        );
        assert!(err.contains("rolled back"), "{}: {err}", b.name());
        // Nothing of the revision remains, the lock is free, the client is clean.
        assert_eq!(b.tables().await, ["todos"], "{}", b.name());
        assert_eq!(b.advisory_locks().await, 0, "{}", b.name());
        assert!(outside_a_transaction(&client).await, "{}", b.name());
        drop(client);
        // The same client again, from the pool of one: fix the data, boot.
        let client = pool.get().await.unwrap();
        assert_eq!(migrations.current_async(&client).await.unwrap(), [A]);
        client
            .batch_execute("DELETE FROM todos WHERE id = 2")
            .await
            .unwrap();
        let steps = migrations
            .upgrade_to_head_async(&client, &Options::default())
            .await
            .unwrap();
        assert_eq!(steps.len(), 1, "{}", b.name());
        assert_eq!(b.tables().await, ["tags", "todos"], "{}", b.name());
    }
}

/// A boot whose future is dropped mid-revision (while its revision waits for a table lock
/// another session holds): the client goes back to the pool with the
/// revision's transaction rolled back and the migration lock released, and the next boot
/// applies the revision.
#[tokio::test]
async fn a_boot_dropped_mid_revision_returns_its_client_outside_a_transaction() {
    for b in Backend::all() {
        let pool = b.deadpool(1);
        let migrations = adds_done();
        let client = pool.get().await.unwrap();
        migrations.upgrade_async(&client, "+1").await.unwrap();
        let holder = b.direct().await;
        holder
            .batch_execute("BEGIN; LOCK TABLE todos IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let mut boot = Box::pin(migrations.boot_async(&client, &models()));
        let watcher = b.direct().await;
        tokio::select! {
            out = &mut boot => panic!("{}: the boot ended (ok: {})", b.name(), out.is_ok()),
            () = until_a_statement_waits_for_a_lock(&watcher, "ALTER TABLE todos ADD COLUMN done") => {}
        }
        drop(boot); // mid-revision: its transaction open, the migration lock held
        holder.batch_execute("COMMIT").await.unwrap();
        drop(client);
        let client = pool.get().await.unwrap();
        assert!(outside_a_transaction(&client).await, "{}", b.name());
        assert_eq!(b.advisory_locks().await, 0, "{}", b.name());
        assert_eq!(
            migrations.current_async(&client).await.unwrap(),
            [A],
            "{}",
            b.name()
        );
        let steps = migrations.boot_async(&client, &models()).await.unwrap();
        assert_eq!(steps.len(), 1, "{}", b.name());
    }
}

/// Returns once a session of the server waits for a lock in a statement that contains `sql`.
async fn until_a_statement_waits_for_a_lock(watcher: &Client, sql: &str) {
    let waiting = format!(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position('{sql}' in query) > 0"
    );
    while query(watcher, &waiting).await.is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_bb8_pool_boots_too() {
    let Some(b) = Backend::all().into_iter().next() else {
        return;
    };
    let (config, _) = async_client::config(&b.url()).unwrap();
    let manager = bb8_postgres::PostgresConnectionManager::new(config, tokio_postgres::NoTls);
    let pool = bb8::Pool::builder()
        .max_size(2)
        .build(manager)
        .await
        .unwrap();
    let migrations = adds_done();
    let client = pool.get().await.unwrap();
    assert_eq!(
        migrations
            .boot_async(&client, &models())
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(migrations
        .boot_async(&client, &models())
        .await
        .unwrap()
        .is_empty());
}

/// The blocking API inside a tokio runtime (a current-thread one, where blocking calls are at
/// their worst): `Database::open`, a boot on it, its drop, and the test databases, on
/// PostgreSQL (whose blocking client panics inside a runtime) and SQLite. None panics.
#[tokio::test]
async fn the_blocking_api_inside_a_runtime_does_not_panic() {
    let migrations = adds_done();
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let mut conn = Database::open(&db.url).unwrap();
    assert_eq!(migrations.boot(&mut conn, &models()).unwrap().len(), 2);
    assert!(migrations.boot(&mut conn, &models()).unwrap().is_empty());
    assert_eq!(migrations.current(&mut conn).unwrap(), [B]);
    drop(conn);
    // Inside spawn_blocking, where the docs send blocking work.
    let url = db.url.clone();
    let current =
        tokio::task::spawn_blocking(move || migrations.current(&mut Database::open(&url).unwrap()))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(current, [B]);
    // SQLite does not panic either; it blocks the thread it runs on.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("app.db").display());
    let mut conn = Database::open(&url).unwrap();
    assert_eq!(migrations.upgrade_to_head(&mut conn).unwrap().len(), 2);
    let mut memory = migrations_core::rusqlite::Connection::open_in_memory().unwrap();
    assert_eq!(migrations.upgrade_to_head(&mut memory).unwrap().len(), 2);
}

/// A `postgres::Client` connected before the runtime started, then used inside it (on a worker
/// of a multi-thread runtime).
#[test]
fn a_blocking_client_used_inside_a_runtime_does_not_panic() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let migrations = adds_done();
    let mut client = db.connect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (client, steps) = runtime.block_on(async move {
        tokio::spawn(async move {
            let steps = migrations.boot(&mut client, &models()).map(|s| s.len());
            (client, steps)
        })
        .await
        .unwrap()
    });
    assert_eq!(steps.unwrap(), 2);
    let mut client = client;
    assert_eq!(migrations.current(&mut client).unwrap(), [B]);
    assert!(client.introspect().unwrap().tables.contains_key("todos"));
}

/// The boot's future can be spawned: it is `Send`.
#[test]
fn the_async_boot_is_send() {
    fn send<T: Send>(_: &T) {}
    let migrations = adds_done();
    let client: Option<Client> = None;
    if let Some(client) = &client {
        send(&migrations.boot_async(client, &models()));
    }
}

/// A revision outside a transaction (`CREATE INDEX CONCURRENTLY`) boots through the pool in
/// every pool mode, with its in-progress mark, as on the blocking backend.
#[tokio::test]
async fn a_revision_outside_a_transaction_boots_through_the_pool() {
    for b in Backend::all() {
        let migrations = testing::embedded(&[
            Fixture::new(A)
                .up("CREATE TABLE todos (id BIGINT PRIMARY KEY, title TEXT NOT NULL);")
                .down("DROP TABLE todos;"),
            Fixture::new(B)
                .revises(A)
                .transaction_none()
                .up("CREATE INDEX CONCURRENTLY todos_title ON todos (title);")
                .down("DROP INDEX CONCURRENTLY todos_title;"),
        ]);
        let pool = b.deadpool(1);
        let client = pool.get().await.unwrap();
        let steps = migrations
            .upgrade_to_head_async(&client, &Options::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", b.name()));
        assert_eq!(steps.len(), 2, "{}", b.name());
        let indexes = query(
            &b.direct().await,
            "SELECT indexname FROM pg_indexes WHERE tablename = 'todos' AND indexname = 'todos_title'",
        )
        .await;
        assert_eq!(indexes, [["todos_title"]], "{}", b.name());
        migrations.downgrade_async(&client, "base").await.unwrap();
        assert!(b.tables().await.is_empty(), "{}", b.name());
    }
}

/// TLS as the blocking backend reads the URL: encrypted with `sslmode=require` (when the server
/// has TLS), the self-signed local certificate refused by `verify-full`, certificate files
/// read only when TLS may be used, errors without the password.
#[cfg(feature = "tls")]
#[tokio::test]
async fn a_pool_connects_with_tls_as_the_blocking_backend_does() {
    let Some(db) = TestDatabase::create() else {
        return;
    };
    let url = format!("{}?sslmode=require", db.url);
    let client = async_client::connect(&url).await.unwrap();
    let server_has_ssl = query(&client, "SHOW ssl").await[0][0] == "on";
    let (config, tls) = async_client::config(&url).unwrap();
    let pool = deadpool_postgres::Pool::builder(deadpool_postgres::Manager::from_config(
        config,
        tls,
        deadpool_postgres::ManagerConfig::default(),
    ))
    .build()
    .unwrap();
    let pooled = pool.get().await.unwrap();
    let ssl = query(
        &pooled,
        "SELECT coalesce((SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()), 'false')",
    )
    .await;
    assert_eq!(ssl[0][0] == "true", server_has_ssl);
    assert_eq!(
        adds_done()
            .boot_async(&pooled, &models())
            .await
            .unwrap()
            .len(),
        2
    );
    if server_has_ssl {
        let err = async_client::connect(&format!("{}?sslmode=verify-full", db.url))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("certificate"), "{err}");
    }
    let missing = "postgres://me:secret@127.0.0.1:1/db?sslrootcert=/nonexistent/ca.pem";
    let Err(err) = async_client::config(&format!("{missing}&sslmode=verify-ca")) else {
        panic!("a missing sslrootcert file was not refused");
    };
    let err = err.to_string();
    assert!(
        err.contains("`sslrootcert` file /nonexistent/ca.pem"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
    assert!(async_client::config(&format!("{missing}&sslmode=disable")).is_ok());
}
