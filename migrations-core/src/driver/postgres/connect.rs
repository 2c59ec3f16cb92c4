//! Connecting: URLs, TLS, scratch databases, and PostgreSQL's errors in one line.

use crate::error::{Error, Result};
use crate::sql::quote_ident;
use crate::url::{duplicate_parameter, mask_password};
use postgres::Client;
use std::path::PathBuf;
use std::time::Duration;

/// Connects to a `postgres://user:password@host:port/database?sslmode=…` URL.
///
/// `sslmode` follows libpq: `disable` is plain text; `prefer` (the default) and `require`
/// encrypt with TLS without checking the server's certificate (`prefer` falls back to plain
/// text when the server has no TLS); `verify-ca` also checks that the certificate chains to a
/// trusted root, and `verify-full` checks that and that it names the host of the URL. TLS needs
/// the `tls` feature. A connect timeout of 10 s applies unless the URL sets `connect_timeout`.
///
/// The trusted roots are the Mozilla root certificates, unless the URL gives libpq's
/// parameters (values may be percent-encoded):
///
/// - `sslrootcert=PATH`: trust the certificates in that PEM file instead (a managed database's
///   CA). As in libpq, `require` and `prefer` then check the chain too, like `verify-ca`.
/// - `sslrootcert=system`: the Mozilla roots; as in libpq, `sslmode` then defaults to
///   `verify-full` and any other mode is refused.
/// - `sslcert=PATH` and `sslkey=PATH` (both or neither): a client certificate (PEM, a chain
///   allowed) and its private key (PEM: PKCS#8, PKCS#1 or SEC1), shown when the server asks.
///
/// Unlike libpq, a missing `sslrootcert` file is an error with `require` and `prefer` too (libpq
/// then connects unchecked), and nothing is read from `~/.postgresql/`. With `sslmode=disable`
/// the files are not read.
///
/// Inside a tokio runtime (where the `postgres` crate itself would panic), it connects on a
/// thread of its own, and so do the statements [`crate::Driver`] runs on the client. Dropping
/// the client inside a runtime still panics in the `postgres` crate: drop it outside, or use
/// [`crate::database::Database`], whose drop takes care of it, or the async backend (feature
/// `tokio-postgres`).
///
/// ```no_run
/// let client = migrations_core::driver::postgres::connect(
///     "postgres://app:secret@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ssl/rds-ca.pem",
/// )?;
/// # Ok::<(), migrations_core::Error>(())
/// ```
///
/// # Failure
///
/// A malformed URL, a file of those parameters that cannot be read or holds no usable
/// certificate or key, or an unreachable server (or one whose certificate fails the check), in
/// one line with the password masked.
pub fn connect(url: &str) -> Result<Client> {
    let (mut config, tls) = parse::<postgres::Config>(url)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    let connected = match config.get_ssl_mode() {
        postgres::config::SslMode::Disable => {
            super::outside_runtime(|| config.connect(postgres::NoTls))
        }
        _ => {
            let tls = tls.connector()?;
            super::outside_runtime(|| config.connect(tls))
        }
    };
    connected.map_err(|source| Error::database(format!("connecting to {}", tls.shown), source))
}

/// The TLS connector [`connect`] uses: rustls (feature `tls`), or none.
#[cfg(feature = "tls")]
pub type Tls = tokio_postgres_rustls_improved::MakeRustlsConnect;
/// The TLS connector [`connect`] uses: rustls (feature `tls`), or none.
#[cfg(not(feature = "tls"))]
pub type Tls = postgres::NoTls;

/// What a URL asks of TLS, its files not read yet, and the URL as messages show it.
pub(crate) struct UrlTls {
    params: TlsParams,
    /// The URL, its password masked.
    pub(crate) shown: String,
}

impl UrlTls {
    /// The connector for what the URL asks, its files read (not needed with
    /// `sslmode=disable`).
    ///
    /// # Failure
    ///
    /// A file that cannot be read or holds no usable certificate or key, naming the
    /// parameter and the path.
    pub(crate) fn connector(&self) -> Result<Tls> {
        self.connector_unless(false)
    }

    /// [`UrlTls::connector`], or, when `disabled` (`sslmode=disable`), one that reads no file
    /// (the client never starts TLS then).
    pub(crate) fn connector_unless(&self, disabled: bool) -> Result<Tls> {
        let params = match disabled {
            true => &TlsParams::default(),
            false => &self.params,
        };
        tls::connector(params).map_err(|reason| Error::BadUrl {
            url: self.shown.clone(),
            reason,
        })
    }
}

/// `url` checked and parsed as [`connect`] reads it: the client's configuration (of the
/// `postgres` crate or of `tokio-postgres`, which parse alike), and what it asks of TLS
/// beyond that (`sslrootcert`, `sslcert`/`sslkey`, `verify-ca`/`verify-full`).
///
/// # Failure
///
/// A malformed URL, in one line with the password masked.
pub(crate) fn parse<C>(url: &str) -> Result<(C, UrlTls)>
where
    C: std::str::FromStr<Err = postgres::Error>,
{
    let shown = mask_password(url);
    let bad_url = |reason: String| Error::BadUrl {
        url: shown.clone(),
        reason,
    };
    if let Some(key) = duplicate_parameter(url) {
        return Err(bad_url(format!(
            "`{key}` is given more than once, and only one would be used; give it once"
        )));
    }
    let (url_for_client, params) = take_tls_params(url).map_err(bad_url)?;
    let config: C = url_for_client
        .parse()
        .map_err(|e: postgres::Error| bad_url(e.to_string()))?;
    Ok((config, UrlTls { params, shown }))
}

/// What a URL asks of TLS beyond what `postgres::Config` reads.
#[derive(Debug, Default, PartialEq, Eq)]
#[cfg_attr(not(feature = "tls"), allow(dead_code))]
struct TlsParams {
    /// How the server's certificate is checked.
    check: Check,
    /// `sslrootcert`: the PEM file of the trusted roots (`None`: the Mozilla roots).
    root_cert: Option<PathBuf>,
    /// `sslcert` and `sslkey`: the client's certificate (chain) and private key.
    client_cert: Option<(PathBuf, PathBuf)>,
    /// The first of `sslrootcert`, `sslcert` and `sslkey` the URL gives: they need TLS.
    first_file_param: Option<&'static str>,
}

/// How the server's certificate is checked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "tls"), allow(dead_code))]
enum Check {
    /// `prefer`/`require` without `sslrootcert`: encrypted, the certificate not checked.
    #[default]
    Nothing,
    /// `verify-ca`, and `prefer`/`require` with an `sslrootcert` file: the chain to a root.
    Chain,
    /// `verify-full`: the chain, and the host name in the certificate.
    ChainAndHost,
}

/// The libpq parameters the client does not know, in the order [`TlsParams`] reads them.
const FILE_PARAMS: [&str; 3] = ["sslrootcert", "sslcert", "sslkey"];

/// Takes the TLS parameters the client does not know out of the URL: `sslrootcert`, `sslcert`
/// and `sslkey`, and `sslmode=verify-ca|verify-full` (the client knows only
/// disable/prefer/require), which becomes `require` plus a [`Check`]. Their values are
/// percent-decoded, as the client decodes its own.
///
/// # Failure
///
/// A value that does not decode, an empty file parameter, `sslcert` without `sslkey` (or the
/// reverse), or `sslrootcert=system` with a mode other than `verify-full` (as libpq refuses).
fn take_tls_params(url: &str) -> std::result::Result<(String, TlsParams), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), TlsParams::default()));
    };
    let mut kept = Vec::new();
    let mut sslmode: Option<(&str, String)> = None;
    let mut files: [Option<String>; 3] = Default::default();
    for param in query.split('&') {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        if key == "sslmode" {
            sslmode = Some((param, percent_decode(value)?));
        } else if let Some(i) = FILE_PARAMS.iter().position(|p| *p == key) {
            let value = percent_decode(value)?;
            if value.is_empty() {
                return Err(format!("`{key}` is empty; give the path of a PEM file"));
            }
            files[i] = Some(value);
        } else {
            kept.push(param.to_string());
        }
    }
    let first_file_param = FILE_PARAMS
        .iter()
        .zip(&files)
        .find_map(|(name, file)| file.as_ref().map(|_| *name));
    let [root, cert, key] = files;
    let system = root.as_deref() == Some("system");
    let mode = sslmode.as_ref().map(|(_, mode)| mode.as_str());
    if let Some(mode) = mode.filter(|m| system && *m != "verify-full") {
        return Err(format!(
            "weak sslmode `{mode}` may not be used with sslrootcert=system (use `verify-full`, \
             or leave sslmode out), as libpq says"
        ));
    }
    let check = match mode.unwrap_or(if system { "verify-full" } else { "prefer" }) {
        "verify-full" => Check::ChainAndHost,
        "verify-ca" => Check::Chain,
        "require" | "prefer" if root.is_some() => Check::Chain,
        _ => Check::Nothing,
    };
    match sslmode {
        Some((_, mode)) if mode == "verify-ca" || mode == "verify-full" => {
            kept.push("sslmode=require".to_string())
        }
        Some((param, _)) => kept.push(param.to_string()),
        None if system => kept.push("sslmode=require".to_string()),
        None => {}
    }
    let client_cert = match (cert, key) {
        (Some(cert), Some(key)) => Some((PathBuf::from(cert), PathBuf::from(key))),
        (None, None) => None,
        (Some(_), None) => return Err("`sslcert` needs `sslkey`, its private key's file".into()),
        (None, Some(_)) => return Err("`sslkey` needs `sslcert`, its certificate's file".into()),
    };
    let url_for_client = match kept.is_empty() {
        true => base.to_string(),
        false => format!("{base}?{}", kept.join("&")),
    };
    let params = TlsParams {
        check,
        root_cert: root.filter(|_| !system).map(PathBuf::from),
        client_cert,
        first_file_param,
    };
    Ok((url_for_client, params))
}

/// `text` with its `%XX` escapes decoded.
fn percent_decode(text: &str) -> std::result::Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| format!("`{text}` has a `%` not followed by two hex digits"))?;
        let hex = std::str::from_utf8(hex).expect("ASCII hex digits");
        out.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
        i += 3;
    }
    String::from_utf8(out).map_err(|_| format!("`{text}` does not decode to UTF-8"))
}

#[cfg(feature = "tls")]
mod tls {
    use super::{Check, TlsParams};
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::client::verify_server_cert_signed_by_trust_anchor;
    use rustls::crypto::{ring, verify_tls12_signature, verify_tls13_signature, CryptoProvider};
    use rustls::pki_types::pem::{self, PemObject};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
    use rustls::server::ParsedCertificate;
    use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
    use std::path::Path;
    use std::sync::Arc;
    use tokio_postgres_rustls_improved::MakeRustlsConnect;

    /// A check without the host name: libpq's `prefer`/`require` (no `roots`: the certificate
    /// not checked, only the handshake's signatures) and `verify-ca` (the chain to `roots`).
    #[derive(Debug)]
    struct WithoutHostName {
        provider: Arc<CryptoProvider>,
        roots: Option<Arc<RootCertStore>>,
    }

    impl ServerCertVerifier for WithoutHostName {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            if let Some(roots) = &self.roots {
                verify_server_cert_signed_by_trust_anchor(
                    &ParsedCertificate::try_from(end_entity)?,
                    roots,
                    intermediates,
                    now,
                    self.provider.signature_verification_algorithms.all,
                )?;
            }
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    }

    /// The rustls connector for `params`, its files read.
    ///
    /// # Failure
    ///
    /// A file that cannot be read or holds no usable certificate or key, naming the parameter
    /// and the path.
    pub fn connector(params: &TlsParams) -> Result<super::Tls, String> {
        let provider = Arc::new(ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions");
        let builder = match params.check {
            Check::ChainAndHost => builder.with_root_certificates(roots(params)?),
            check => {
                let roots = (check == Check::Chain)
                    .then(|| roots(params).map(Arc::new))
                    .transpose()?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(WithoutHostName {
                        provider: Arc::clone(&provider),
                        roots,
                    }))
            }
        };
        let config = match &params.client_cert {
            None => builder.with_no_client_auth(),
            Some((cert, key)) => {
                let chain = read_certs("sslcert", cert)?;
                let key_der = PrivateKeyDer::from_pem_file(key)
                    .map_err(|e| pem_error("sslkey", key, "private key", e))?;
                // Loaded here first to tell a bad key from a key that is not the certificate's.
                if let Err(e) = provider.key_provider.load_private_key(key_der.clone_key()) {
                    let why = match e {
                        rustls::Error::General(why) => why,
                        e => e.to_string(),
                    };
                    return Err(format!("`sslkey` file {}: {why}", key.display()));
                }
                builder
                    .with_client_auth_cert(chain, key_der)
                    .map_err(|e| match e {
                        rustls::Error::InconsistentKeys(_) => format!(
                            "`sslkey` file {} is not the private key of `sslcert` file {}",
                            key.display(),
                            cert.display()
                        ),
                        e => format!(
                            "`sslcert` file {} with `sslkey` file {}: {e}",
                            cert.display(),
                            key.display()
                        ),
                    })?
            }
        };
        Ok(MakeRustlsConnect::new(config))
    }

    /// The trusted roots: the `sslrootcert` file's certificates, or the Mozilla roots.
    fn roots(params: &TlsParams) -> Result<RootCertStore, String> {
        let Some(path) = &params.root_cert else {
            return Ok(RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            });
        };
        let mut store = RootCertStore::empty();
        for cert in read_certs("sslrootcert", path)? {
            store.add(cert).map_err(|e| {
                format!(
                    "`sslrootcert` file {}: a certificate in it does not parse ({e})",
                    path.display()
                )
            })?;
        }
        Ok(store)
    }

    /// Every certificate of the PEM file `path`, given as `param`; at least one.
    fn read_certs(param: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| pem_error(param, path, "certificate", e))?;
        match certs.is_empty() {
            true => Err(pem_error(
                param,
                path,
                "certificate",
                pem::Error::NoItemsFound,
            )),
            false => Ok(certs),
        }
    }

    /// Why the PEM file `path`, given as `param`, gave no `item`.
    fn pem_error(param: &str, path: &Path, item: &str, err: pem::Error) -> String {
        let why = match err {
            pem::Error::Io(e) => format!("cannot be read: {e}"),
            pem::Error::NoItemsFound => format!("holds no PEM {item}"),
            other => format!("is not valid PEM: {other}"),
        };
        format!("`{param}` file {}: {why}", path.display())
    }
}

#[cfg(not(feature = "tls"))]
mod tls {
    use super::TlsParams;

    /// Without the `tls` feature, `prefer` falls back to plain text and `require` fails; the
    /// certificate files are refused.
    pub fn connector(params: &TlsParams) -> Result<super::Tls, String> {
        match params.first_file_param {
            Some(param) => Err(format!(
                "`{param}` needs TLS: enable the `tls` feature of migrations-core"
            )),
            None => Ok(postgres::NoTls),
        }
    }
}

/// The admin URL used for scratch and test databases when none is given.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database with a random name, created on a server and dropped (`WITH (FORCE)`) when this
/// value is dropped: for autogenerate's scratch builds and for tests.
pub struct ScratchDatabase {
    /// The database's name (`<prefix>_<random hex>`).
    pub name: String,
    /// A URL that connects to it.
    pub url: String,
    admin_url: String,
}

impl ScratchDatabase {
    /// Creates it through `admin_url` (a user allowed to `CREATE DATABASE`).
    ///
    /// # Failure
    ///
    /// An unreachable server or a refused `CREATE DATABASE`.
    pub fn create(admin_url: &str, prefix: &str) -> Result<ScratchDatabase> {
        Self::create_from(admin_url, prefix, None)
    }

    /// [`ScratchDatabase::create`], as a copy of the database `template` when given.
    pub(crate) fn create_from(
        admin_url: &str,
        prefix: &str,
        template: Option<&str>,
    ) -> Result<ScratchDatabase> {
        super::outside_runtime(|| Self::create_here(admin_url, prefix, template))
    }

    fn create_here(
        admin_url: &str,
        prefix: &str,
        template: Option<&str>,
    ) -> Result<ScratchDatabase> {
        let mut admin = connect(admin_url)?;
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| Error::NoRandomness(e.to_string()))?;
        let name = format!(
            "{prefix}_{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {}{}",
                quote_ident(&name),
                template.map_or(String::new(), |t| format!(" TEMPLATE {}", quote_ident(t)))
            ))
            .map_err(|source| {
                Error::database(format!("creating scratch database {name}"), source)
            })?;
        Ok(ScratchDatabase {
            url: with_database(admin_url, &name),
            name,
            admin_url: admin_url.to_string(),
        })
    }

    /// A new connection to it.
    pub fn connect(&self) -> Result<Client> {
        connect(&self.url)
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        super::outside_runtime(|| {
            if let Ok(mut admin) = connect(&self.admin_url) {
                let _ = admin.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    quote_ident(&self.name)
                ));
            }
        })
    }
}

/// The key class of the advisory lock a [`KeptDatabase`] is used under (the bytes of
/// `"kept"`); the second key is the database's own ([`KeptDatabase::open`]).
const KEPT_LOCK_CLASS: i32 = 0x6b65_7074;

/// A database kept on a scratch server from one run to the next (autogenerate's head of the
/// revisions, see `autogen::scratch`), with a note (its `COMMENT ON DATABASE`) saying what it
/// holds. While this value lives, a session-level advisory lock on the admin connection keeps
/// every other run that opens the same name waiting, so one run at a time changes it.
pub(crate) struct KeptDatabase {
    /// The database's name.
    pub(crate) name: String,
    /// A URL that connects to it.
    pub(crate) url: String,
    admin_url: String,
    /// The admin connection, holding the lock.
    admin: Client,
}

impl KeptDatabase {
    /// Waits for the lock of `name` on the server of `admin_url`, and holds it while the
    /// value lives; the database itself may not exist ([`KeptDatabase::note`] says).
    ///
    /// # Failure
    ///
    /// An unreachable server.
    pub(crate) fn lock(admin_url: &str, name: &str) -> Result<KeptDatabase> {
        let mut admin = connect(admin_url)?;
        let key = name.bytes().fold(0x811c_9dc5u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        admin
            .batch_execute(&format!(
                "SELECT pg_catalog.pg_advisory_lock({KEPT_LOCK_CLASS}, {})",
                key as i32
            ))
            .map_err(|source| {
                Error::database(format!("locking scratch database {name}"), source)
            })?;
        Ok(KeptDatabase {
            url: with_database(admin_url, name),
            name: name.to_string(),
            admin_url: admin_url.to_string(),
            admin,
        })
    }

    /// The note: `None` when there is no such database, `Some(None)` when it has no note.
    pub(crate) fn note(&mut self) -> Result<Option<Option<String>>> {
        let rows = self
            .admin
            .query(
                "SELECT pg_catalog.shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database WHERE datname = $1",
                &[&self.name],
            )
            .map_err(|source| {
                Error::database(format!("reading scratch database {}", self.name), source)
            })?;
        Ok(rows.first().map(|row| row.get(0)))
    }

    /// Runs `sql` on the admin connection; `doing` (with the name) says what, should it fail.
    fn admin_run(&mut self, doing: &str, sql: &str) -> Result<()> {
        let name = &self.name;
        self.admin
            .batch_execute(sql)
            .map_err(|source| Error::database(format!("{doing} scratch database {name}"), source))
    }

    /// Creates it, empty and without a note.
    pub(crate) fn create(&mut self) -> Result<()> {
        let sql = format!("CREATE DATABASE {}", quote_ident(&self.name));
        self.admin_run("creating", &sql)
    }

    /// Drops it (`WITH (FORCE)`) and creates it again, empty and without a note.
    pub(crate) fn recreate(&mut self) -> Result<()> {
        self.drop_forced()?;
        self.create()
    }

    fn drop_forced(&mut self) -> Result<()> {
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&self.name)
        );
        self.admin_run("dropping", &sql)
    }

    /// Writes its note (`None`: removes it).
    pub(crate) fn set_note(&mut self, note: Option<&str>) -> Result<()> {
        let text = note.map_or("NULL".to_string(), crate::sql::quote_literal);
        let sql = format!("COMMENT ON DATABASE {} IS {text}", quote_ident(&self.name));
        self.admin_run("noting what is in", &sql)
    }

    /// A temporary copy of it (`CREATE DATABASE … TEMPLATE`), dropped with the value returned;
    /// no one may be connected to it meanwhile (the lock keeps other runs out; close yours).
    pub(crate) fn copy(&mut self, prefix: &str) -> Result<ScratchDatabase> {
        ScratchDatabase::create_from(&self.admin_url, prefix, Some(&self.name))
    }

    /// Every database of the server whose name starts with `prefix`, with its note.
    pub(crate) fn others(&mut self, prefix: &str) -> Result<Vec<(String, Option<String>)>> {
        let rows = self
            .admin
            .query(
                "SELECT datname::text, pg_catalog.shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database \
                 WHERE starts_with(datname::text, $1) AND datname <> $2",
                &[&prefix, &self.name],
            )
            .map_err(|source| Error::database("listing the kept scratch databases", source))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Drops the database `name` of the same server unless someone is connected to it (then it
    /// is left); whether it was dropped.
    pub(crate) fn drop_other(&mut self, name: &str) -> bool {
        self.admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
            .is_ok()
    }

    /// Drops the database `name` on the server of `admin_url` (`WITH (FORCE)`), after waiting for
    /// its lock; whether there was one.
    pub(crate) fn drop_named(admin_url: &str, name: &str) -> Result<bool> {
        let mut kept = Self::lock(admin_url, name)?;
        if kept.note()?.is_none() {
            return Ok(false);
        }
        kept.drop_forced()?;
        Ok(true)
    }
}

/// `url` with its database name replaced by `name` (query parameters kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map(|i| scheme_end + i);
    let mut out = match path_start {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => format!("{base}/{name}"),
    };
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// One line describing a PostgreSQL error: the server's message with its detail, hint and
/// SQLSTATE, or the client's error.
pub fn describe(err: &postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => {
            let mut s = db.message().to_string();
            if let Some(detail) = db.detail() {
                s.push_str(&format!(" (detail: {detail})"));
            }
            if let Some(hint) = db.hint() {
                s.push_str(&format!(" (hint: {hint})"));
            }
            s.push_str(&format!(" [SQLSTATE {}]", db.code().code()));
            s
        }
        None => {
            let mut s = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(inner) = source {
                s.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{connect, percent_decode, take_tls_params, Check, TlsParams};
    use std::path::PathBuf;

    /// The URL the client gets and the parameters taken out, or why the URL is refused.
    fn take(url: &str) -> Result<(String, TlsParams), String> {
        take_tls_params(url)
    }

    #[test]
    fn verify_modes_become_require_plus_a_check() {
        let (url, params) = take("postgres://h/db?sslmode=verify-full&application_name=x").unwrap();
        assert_eq!(url, "postgres://h/db?application_name=x&sslmode=require");
        assert_eq!(params.check, Check::ChainAndHost);
        assert_eq!(params.root_cert, None, "the Mozilla roots");
        let (url, params) = take("postgres://h/db?sslmode=verify-ca").unwrap();
        assert_eq!(url, "postgres://h/db?sslmode=require");
        assert_eq!(params.check, Check::Chain);
        for (url, check) in [
            ("postgres://h/db", Check::Nothing),
            ("postgres://h/db?sslmode=require", Check::Nothing),
            ("postgres://h/db?sslmode=prefer", Check::Nothing),
            ("postgres://h/db?sslmode=disable", Check::Nothing),
        ] {
            let (kept, params) = take(url).unwrap();
            assert_eq!(
                (kept.as_str(), params),
                (
                    url,
                    TlsParams {
                        check,
                        ..TlsParams::default()
                    }
                )
            );
        }
    }

    #[test]
    fn certificate_files_are_taken_out_and_decoded() {
        let (url, params) = take(
            "postgres://u:pw@h/db?sslrootcert=/etc/my%20ca.pem&sslmode=verify-full\
             &sslcert=c.pem&connect_timeout=3&sslkey=%2Fkeys%2Fc.key",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://u:pw@h/db?connect_timeout=3&sslmode=require"
        );
        assert_eq!(
            params,
            TlsParams {
                check: Check::ChainAndHost,
                root_cert: Some(PathBuf::from("/etc/my ca.pem")),
                client_cert: Some(("c.pem".into(), "/keys/c.key".into())),
                first_file_param: Some("sslrootcert"),
            }
        );
        let (url, params) = take("postgres://h/db?sslcert=c.pem&sslkey=k.pem").unwrap();
        assert_eq!(url, "postgres://h/db", "nothing left, no `?`");
        assert_eq!(params.first_file_param, Some("sslcert"));
        assert_eq!(params.check, Check::Nothing, "prefer without a root file");
    }

    #[test]
    fn a_root_file_makes_require_and_prefer_check_the_chain_as_in_libpq() {
        for mode in ["require", "prefer"] {
            let url = format!("postgres://h/db?sslmode={mode}&sslrootcert=ca.pem");
            let (kept, params) = take(&url).unwrap();
            assert_eq!(kept, format!("postgres://h/db?sslmode={mode}"));
            assert_eq!(params.check, Check::Chain, "{mode}");
            assert_eq!(params.root_cert, Some(PathBuf::from("ca.pem")));
        }
        let (_, params) = take("postgres://h/db?sslrootcert=ca.pem").unwrap();
        assert_eq!(params.check, Check::Chain, "the default, prefer");
        let (url, params) = take("postgres://h/db?sslrootcert=ca.pem&sslmode=disable").unwrap();
        assert_eq!(url, "postgres://h/db?sslmode=disable");
        assert_eq!(params.check, Check::Nothing);
    }

    #[test]
    fn sslrootcert_system_is_the_mozilla_roots_and_only_with_verify_full() {
        for url in [
            "postgres://h/db?sslrootcert=system",
            "postgres://h/db?sslrootcert=system&sslmode=verify-full",
        ] {
            let (kept, params) = take(url).unwrap();
            assert_eq!(kept, "postgres://h/db?sslmode=require", "{url}");
            assert_eq!(params.check, Check::ChainAndHost, "{url}");
            assert_eq!(params.root_cert, None, "{url}");
            assert_eq!(params.first_file_param, Some("sslrootcert"), "{url}");
        }
        for mode in ["require", "verify-ca", "disable", "prefer"] {
            let err = take(&format!(
                "postgres://h/db?sslrootcert=system&sslmode={mode}"
            ))
            .unwrap_err();
            assert!(
                err.contains(&format!("weak sslmode `{mode}`")) && err.contains("verify-full"),
                "{err}"
            );
        }
    }

    #[test]
    fn half_a_client_certificate_and_empty_or_undecodable_values_are_refused() {
        let err = take("postgres://h/db?sslcert=c.pem").unwrap_err();
        assert!(err.contains("`sslcert` needs `sslkey`"), "{err}");
        let err = take("postgres://h/db?sslkey=k.pem").unwrap_err();
        assert!(err.contains("`sslkey` needs `sslcert`"), "{err}");
        let err = take("postgres://h/db?sslrootcert=").unwrap_err();
        assert!(err.contains("`sslrootcert` is empty"), "{err}");
        let err = take("postgres://h/db?sslrootcert=a%zz").unwrap_err();
        assert!(err.contains("`a%zz` has a `%`"), "{err}");
        assert_eq!(percent_decode("%C3%A9t%c3%a9").unwrap(), "été");
        assert!(percent_decode("%+1").is_err(), "a sign is not a hex digit");
        assert!(percent_decode("%ff").unwrap_err().contains("UTF-8"));
        assert!(percent_decode("%4").is_err());
    }

    /// The files are read before connecting, so these need no server.
    #[cfg(feature = "tls")]
    #[test]
    fn certificate_files_that_cannot_be_used_are_url_errors_naming_parameter_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, "not a certificate\n").unwrap();
        let bad_base64 = dir.path().join("bad-base64.pem");
        std::fs::write(
            &bad_base64,
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let bad_der = dir.path().join("bad-der.pem");
        std::fs::write(
            &bad_der,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let url = |params: String| format!("postgres://me:secret@127.0.0.1:1/db?{params}");
        let (m, g, b, d) = (
            missing.display(),
            garbage.display(),
            bad_base64.display(),
            bad_der.display(),
        );
        for (params, expected) in [
            (
                format!("sslmode=verify-full&sslrootcert={m}"),
                format!("`sslrootcert` file {m}: cannot be read"),
            ),
            (
                format!("sslmode=require&sslrootcert={g}"),
                format!("`sslrootcert` file {g}: holds no PEM certificate"),
            ),
            (
                format!("sslmode=verify-ca&sslrootcert={d}"),
                format!("`sslrootcert` file {d}: a certificate in it does not parse"),
            ),
            (
                format!("sslmode=require&sslcert={m}&sslkey={g}"),
                format!("`sslcert` file {m}: cannot be read"),
            ),
            (
                format!("sslmode=require&sslcert={d}&sslkey={g}"),
                format!("`sslkey` file {g}: holds no PEM private key"),
            ),
            (
                format!("sslmode=require&sslcert={d}&sslkey={b}"),
                format!("`sslkey` file {b}: is not valid PEM"),
            ),
        ] {
            let Err(err) = connect(&url(params.clone())) else {
                panic!("connected with {params}");
            };
            let err = err.to_string();
            assert!(err.starts_with("database URL `postgres://me:***@"), "{err}");
            assert!(err.contains(&expected), "{params}: {err}");
            assert!(!err.contains("secret") && !err.contains('\n'), "{err}");
        }
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn certificate_files_need_the_tls_feature() {
        for (params, name) in [
            ("sslmode=verify-full&sslrootcert=ca.pem", "sslrootcert"),
            ("sslrootcert=system", "sslrootcert"),
            ("sslcert=c.pem&sslkey=k.pem", "sslcert"),
        ] {
            let Err(err) = connect(&format!("postgres://me:secret@127.0.0.1:1/db?{params}")) else {
                panic!("connected with {params}");
            };
            let err = err.to_string();
            assert!(
                err.contains(&format!("`{name}` needs TLS: enable the `tls` feature")),
                "{err}"
            );
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    fn bad_urls_and_unreachable_servers_are_one_line_errors() {
        let err = connect("postgres://u:secret@127.0.0.1:1/db?connect_timeout=2")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.starts_with("connecting to postgres://u:***@127.0.0.1:1/db"),
            "{err}"
        );
        assert!(!err.contains("secret") && !err.contains('\n'), "{err}");
        let err = connect("postgres://u@h/db?sslmode=bogus")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("database URL"), "{err}");
    }

    #[test]
    fn a_url_giving_sslmode_twice_is_refused_before_connecting() {
        let Err(err) = super::connect(
            "postgres://me:secret@127.0.0.1:1/db?sslmode=verify-full&sslmode=disable",
        ) else {
            panic!("connected");
        };
        let err = err.to_string();
        assert!(err.contains("`sslmode` is given more than once"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }
}
