//! A PgBouncer of the test's own, from the machine's `pgbouncer` binary (Debian's package), in
//! front of the test server: how production apps reach PostgreSQL.

use super::TestDatabase;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How PgBouncer hands server connections to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    /// A server connection per client session, reset (`DISCARD ALL`) when the client leaves.
    Session,
    /// A server connection per transaction: consecutive transactions of one client may run on
    /// different server connections, and session state (prepared statements, session advisory
    /// locks, `SET`) stays on the server connection for the next client.
    Transaction,
}

impl PoolMode {
    /// The value of PgBouncer's `pool_mode`.
    pub fn name(self) -> &'static str {
        match self {
            PoolMode::Session => "session",
            PoolMode::Transaction => "transaction",
        }
    }
}

/// A running PgBouncer on a free port of 127.0.0.1, in front of the server of
/// `TEST_POSTGRES_URL`, with a pool of three server connections per database (so clients share
/// them); stopped and its files removed when dropped.
///
/// ```no_run
/// use migrations_core::testing::{PgBouncer, PoolMode, TestDatabase};
///
/// let Some(db) = TestDatabase::create() else { return };
/// let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else { return };
/// let url = bouncer.url(&db); // postgres://postgres@127.0.0.1:<port>/<db.name>
/// # let _ = url;
/// ```
pub struct PgBouncer {
    /// Its pool mode.
    pub mode: PoolMode,
    /// The port it listens on.
    pub port: u16,
    user: String,
    dir: PathBuf,
    child: Child,
}

impl PgBouncer {
    /// Starts one, or returns `None` (test skipped, with a line saying why) when there is no
    /// `pgbouncer` on the machine and `REQUIRE_POSTGRES` is not set.
    ///
    /// # Panics
    ///
    /// When `REQUIRE_POSTGRES=1` and there is no `pgbouncer`, or when it does not start.
    pub fn start(mode: PoolMode) -> Option<PgBouncer> {
        let binary = [
            "/usr/sbin/pgbouncer",
            "/usr/bin/pgbouncer",
            "/usr/local/bin/pgbouncer",
        ]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
        let Some(binary) = binary else {
            let required = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true");
            if required {
                panic!("REQUIRE_POSTGRES is set but there is no pgbouncer (install Debian's `pgbouncer` package)");
            }
            eprintln!("skipped: no pgbouncer on this machine (Debian's `pgbouncer` package)");
            return None;
        };
        let admin = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| super::DEFAULT_TEST_POSTGRES_URL.to_string());
        let config: postgres::Config = admin
            .parse()
            .unwrap_or_else(|e| panic!("TEST_POSTGRES_URL: {e}"));
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => "127.0.0.1".to_string(),
        };
        let server_port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config.get_user().unwrap_or("postgres").to_string();

        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).expect("randomness");
        let dir = std::env::temp_dir().join(format!(
            "pgbouncer-{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        ));
        std::fs::create_dir_all(&dir).expect("creating pgbouncer's folder");
        // PgBouncer refuses to run as root: then it switches to the server's own user, which
        // must be able to write its log.
        let as_user = if is_root() {
            let owner = "postgres";
            if let Some(uid) = uid_of(owner) {
                std::os::unix::fs::chown(&dir, Some(uid), None).expect("chown pgbouncer's folder");
            }
            format!("user = {owner}\n")
        } else {
            String::new()
        };
        for _ in 0..5 {
            let port = free_port();
            let ini = dir.join("pgbouncer.ini");
            std::fs::write(
                &ini,
                format!(
                    "[databases]\n* = host={host} port={server_port} user={user}\n\
                     [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
                     auth_type = any\npool_mode = {}\ndefault_pool_size = 3\nmax_client_conn = 500\n\
                     logfile = {}\n{as_user}",
                    mode.name(),
                    dir.join("pgbouncer.log").display()
                ),
            )
            .expect("writing pgbouncer.ini");
            let mut child = Command::new(binary)
                .arg(&ini)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starting pgbouncer");
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if child.try_wait().ok().flatten().is_some() {
                    break; // the port was taken meanwhile, or a bad config: see the log
                }
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(PgBouncer {
                        mode,
                        port,
                        user,
                        dir,
                        child,
                    });
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let log = std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        panic!("pgbouncer did not start; its log:\n{log}");
    }

    /// A URL that reaches `db` through this PgBouncer.
    pub fn url(&self, db: &TestDatabase) -> String {
        format!(
            "postgres://{}@127.0.0.1:{}/{}?sslmode=disable",
            self.user, self.port, db.name
        )
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn id(args: &[&str]) -> Option<u32> {
    let out = Command::new("id").args(args).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn is_root() -> bool {
    id(&["-u"]) == Some(0)
}

fn uid_of(user: &str) -> Option<u32> {
    id(&["-u", user])
}
