//! Connecting: URLs, TLS, scratch databases, and PostgreSQL's errors in one line.

use crate::error::{Error, Result};
use crate::sql::quote_ident;
use crate::url::{duplicate_parameter, mask_password};
use postgres::Client;
use std::time::Duration;

/// Connects to a `postgres://user:password@host:port/database?sslmode=…` URL.
///
/// `sslmode` follows libpq: `disable` is plain text; `prefer` (the default) and `require`
/// encrypt with TLS without checking the server's certificate (`prefer` falls back to plain
/// text when the server has no TLS); `verify-ca` and `verify-full` also check the certificate
/// against the Mozilla root certificates. TLS needs the `tls` feature. A connect timeout of 10 s
/// applies unless the URL sets `connect_timeout`.
///
/// # Failure
///
/// A malformed URL or an unreachable server, in one line with the password masked.
pub fn connect(url: &str) -> Result<Client> {
    let shown = mask_password(url);
    if let Some(key) = duplicate_parameter(url) {
        return Err(Error::BadUrl {
            url: shown,
            reason: format!(
                "`{key}` is given more than once, and only one would be used; give it once"
            ),
        });
    }
    let (url_for_client, verify) = strip_verify_mode(url);
    let mut config: postgres::Config =
        url_for_client
            .parse()
            .map_err(|e: postgres::Error| Error::BadUrl {
                url: shown.clone(),
                reason: e.to_string(),
            })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    let connect_err =
        |source: postgres::Error| Error::database(format!("connecting to {shown}"), source);
    match config.get_ssl_mode() {
        postgres::config::SslMode::Disable => config.connect(postgres::NoTls).map_err(connect_err),
        _ => tls::connect(&config, verify).map_err(connect_err),
    }
}

/// Takes `sslmode=verify-ca|verify-full` out of the URL (the client knows only
/// disable/prefer/require), turning it into `require` plus certificate verification.
fn strip_verify_mode(url: &str) -> (String, bool) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), false);
    };
    let mut verify = false;
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p {
            "sslmode=verify-full" | "sslmode=verify-ca" => {
                verify = true;
                "sslmode=require".to_string()
            }
            other => other.to_string(),
        })
        .collect();
    (format!("{base}?{}", params.join("&")), verify)
}

#[cfg(feature = "tls")]
mod tls {
    use postgres::{Client, Config};
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{ring, verify_tls12_signature, verify_tls13_signature, CryptoProvider};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};
    use std::sync::Arc;

    /// libpq's `prefer`/`require`: encrypted, the certificate not checked (signatures are).
    #[derive(Debug)]
    struct EncryptOnly(Arc<CryptoProvider>);

    impl ServerCertVerifier for EncryptOnly {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
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
                &self.0.signature_verification_algorithms,
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
                &self.0.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    pub fn connect(config: &Config, verify: bool) -> Result<Client, postgres::Error> {
        let provider = Arc::new(ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions");
        let tls = if verify {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            builder.with_root_certificates(roots).with_no_client_auth()
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
                .with_no_client_auth()
        };
        config.connect(tokio_postgres_rustls_improved::MakeRustlsConnect::new(tls))
    }
}

#[cfg(not(feature = "tls"))]
mod tls {
    use postgres::{Client, Config};

    /// Without the `tls` feature, `prefer` falls back to plain text and `require` fails.
    pub fn connect(config: &Config, _verify: bool) -> Result<Client, postgres::Error> {
        config.connect(postgres::NoTls)
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
        let mut admin = connect(admin_url)?;
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| Error::NoRandomness(e.to_string()))?;
        let name = format!(
            "{prefix}_{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        admin
            .batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))
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
        if let Ok(mut admin) = connect(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            ));
        }
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
    use super::{connect, strip_verify_mode};

    #[test]
    fn verify_modes_become_require_plus_verification() {
        assert_eq!(
            strip_verify_mode("postgres://h/db?sslmode=verify-full&application_name=x"),
            (
                "postgres://h/db?sslmode=require&application_name=x".to_string(),
                true
            )
        );
        assert_eq!(
            strip_verify_mode("postgres://h/db"),
            ("postgres://h/db".to_string(), false)
        );
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
