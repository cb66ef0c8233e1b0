//! Servers and clients for the client tests: a shared tokio runtime, axum servers on
//! 127.0.0.x:0 that record every request they see, the reqwest client with the middleware.

use crate::*;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::{self, Next as AxumNext};
use axum::routing::any;
use gssapi::{Flags, Mechanism, Name};
use gssapi_http::axum::Negotiated;
use gssapi_http::client::{ClientError, NegotiateClient, Sanitized, Verdict};
use gssapi_http::reqwest::NegotiateMiddleware;
use gssapi_http::server::{Acceptor, Outcome};
use gssapi_http::tower::NegotiateLayer;
use gssapi_testrealm::Realm;
use http::{HeaderMap, StatusCode, Uri};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::runtime::Runtime;

/// The second user, with its own ccache (explicit credentials).
pub const OTHER_USER: &str = "other";
const OTHER_PASSWORD: &str = "other-password";

/// Principals and ccaches the tests need, made while the process has one thread. Every
/// service key goes into the realm's keytab: Heimdal has one acceptor keytab per process,
/// so acceptors are restricted by name (`service_name`), not by keytab.
pub fn fixtures(realm: &Realm) {
    install_crypto_provider();
    let keytab = realm.dir().join("keytab");
    for principal in ["svc/localhost", "HTTP/www.localhost"] {
        realm.add_principal(principal, None).expect("add principal");
        realm.extract_keytab(principal, &keytab).expect("ktadd");
    }
    realm
        .add_principal(OTHER_USER, Some(OTHER_PASSWORD))
        .expect("add the second user");
    realm
        .kinit(OTHER_USER, OTHER_PASSWORD, &other_ccache_in(realm), &[])
        .expect("kinit the second user");
}

fn other_ccache_in(realm: &Realm) -> String {
    format!("FILE:{}", realm.dir().join("other.ccache").display())
}

/// The second user's ccache.
pub fn other_ccache() -> String {
    other_ccache_in(realm())
}

/// The runtime every server (and the async client) runs on.
pub fn rt() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

/// What a server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub uri: Uri,
    pub headers: HeaderMap,
}

impl Seen {
    pub fn has(&self, name: http::header::HeaderName) -> bool {
        self.headers.contains_key(name)
    }

    /// The `Authorization` header, as text.
    pub fn authorization(&self) -> Option<String> {
        self.headers
            .get(http::header::AUTHORIZATION)
            .map(|v| v.to_str().expect("ASCII").to_owned())
    }
}

/// A server on its own task; it stops when dropped.
pub struct Server {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::AbortHandle,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
        // Wait until every copy of the app is gone (the recording layer holds the other
        // references to `seen`): the serve task's and those of connections still open, which
        // end when their clients close them (tests drop the client first). The app holds the
        // acceptor and its GSSAPI credentials; released by a runtime thread while the process
        // exits, they would reach MIT's library after its destructor has destroyed its locks
        // (`k5_mutex_lock: Received error 22`, an abort, seen after a child test). Bounded: a
        // client kept open past its server only delays this drop.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while Arc::strong_count(&self.seen) > 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

impl Server {
    /// `http://{host}:{port}/`.
    pub fn url(&self, host: &str) -> String {
        format!("http://{host}:{}/", self.port)
    }

    /// `https://{host}:{port}/`.
    pub fn https_url(&self, host: &str) -> String {
        format!("https://{host}:{}/", self.port)
    }

    /// Every request the server saw, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

/// `app` with a recording layer outside everything else.
fn recorded(app: Router) -> (Router, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = app.layer(middleware::from_fn(move |req: Request, next: AxumNext| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(Seen {
                uri: req.uri().clone(),
                headers: req.headers().clone(),
            });
            next.run(req).await
        }
    }));
    (app, seen)
}

/// Serves `app` over plain HTTP on `addr` (e.g. `127.0.0.1:0`).
pub fn serve_on(addr: &str, app: Router) -> Server {
    let (app, seen) = recorded(app);
    let listener = rt()
        .block_on(tokio::net::TcpListener::bind(addr))
        .expect("bind");
    let port = listener.local_addr().unwrap().port();
    let task = rt()
        .spawn(async move { axum::serve(listener, app).await })
        .abort_handle();
    Server { port, seen, task }
}

pub fn serve(app: Router) -> Server {
    serve_on("127.0.0.1:0", app)
}

/// Serves `app` on 127.0.0.1 with axum's `ConnectInfo<SocketAddr>` (the connection id of
/// multi-leg mechanisms). The server suite's.
#[allow(dead_code)]
pub fn serve_with_connect_info(app: Router) -> Server {
    let (app, seen) = recorded(app);
    let listener = rt()
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().unwrap().port();
    let make = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let task = rt()
        .spawn(async move { axum::serve(listener, make).await })
        .abort_handle();
    Server { port, seen, task }
}

/// Serves `app` over TLS on 127.0.0.1 with this certificate and PKCS#8 key.
pub fn serve_tls(app: Router, cert: &[u8], key: &[u8]) -> Server {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let (app, seen) = recorded(app);
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(cert.to_vec())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec())),
    )
    .expect("server certificate");
    let tls = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = rt()
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().unwrap().port();
    let task = rt()
        .spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let tls = tls.clone();
                let app = app.clone();
                tokio::spawn(async move {
                    let Ok(stream) = tls.accept(tcp).await else {
                        return;
                    };
                    let service = hyper_util::service::TowerToHyperService::new(app);
                    // A connection the client drops is no failure of the server.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        })
        .abort_handle();
    Server { port, seen, task }
}

/// A self-signed certificate for `localhost`: (DER certificate, PKCS#8 key).
pub fn certificate() -> (Vec<u8>, Vec<u8>) {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("rcgen");
    (key.cert.der().to_vec(), key.signing_key.serialize_der())
}

/// The other host name of the redirect test: a name in the realm's `.localhost` domain,
/// resolved to 127.0.0.1 by the client itself (`reqwest::ClientBuilder::resolve`).
pub const OTHER_HOST: &str = "www.localhost";

/// The acceptor with every key of the realm's keytab.
pub fn acceptor() -> Acceptor {
    Acceptor::builder()
        .keytab(realm().keytab())
        .build()
        .expect("acceptor credentials")
}

/// An acceptor for `service@host` only (from the realm's keytab, the default one).
pub fn acceptor_for(service: &str) -> Acceptor {
    Acceptor::builder()
        .service_name(Name::hostbased_service(service).expect("service name"))
        .build()
        .expect("acceptor credentials")
}

/// What the protected handler answers: who authenticated and how.
async fn who(Negotiated(who): Negotiated) -> String {
    let mech = if who.mech() == &Mechanism::KERBEROS {
        "krb5".to_owned()
    } else {
        who.mech().to_string()
    };
    format!(
        "principal={} mech={mech} mutual={} delegated={}",
        who.principal(),
        who.flags().contains(Flags::MUTUAL),
        who.delegated().is_some()
    )
}

/// Every path behind `NegotiateLayer` with `acceptor`, answered by [`who`].
pub fn protected(acceptor: Acceptor) -> Router {
    Router::new()
        .fallback(any(who))
        .layer(NegotiateLayer::new(acceptor))
}

/// A hand-written server: `respond(request number from 0, request headers)` runs on the
/// blocking pool (it may call an acceptor) and makes the whole response.
pub fn custom<F>(respond: F) -> Server
where
    F: Fn(usize, &HeaderMap) -> http::Response<String> + Send + Sync + 'static,
{
    let respond = Arc::new(respond);
    let count = Arc::new(Mutex::new(0usize));
    let app = Router::new().fallback(any(move |req: Request| {
        let respond = respond.clone();
        let count = count.clone();
        async move {
            let n = {
                let mut c = count.lock().unwrap();
                *c += 1;
                *c - 1
            };
            let headers = req.headers().clone();
            let response = tokio::task::spawn_blocking(move || respond(n, &headers))
                .await
                .expect("the handler did not panic");
            response.map(Body::from)
        }
    }));
    serve(app)
}

/// A response from parts, for [`custom`] servers.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<String> {
    let mut b = http::Response::builder().status(status);
    for (name, value) in headers {
        b = b.header(*name, *value);
    }
    b.body(body.to_owned()).expect("a response")
}

/// The 401 a Negotiate server sends to a request without credentials.
pub fn challenge() -> http::Response<String> {
    response(
        401,
        &[("www-authenticate", "Negotiate")],
        "authenticate, please",
    )
}

/// Accepts the request's token with `acceptor`: the mutual-authentication headers, or the
/// refusal's response.
pub fn accept(
    acceptor: &Acceptor,
    headers: &HeaderMap,
) -> Result<HeaderMap, Box<http::Response<String>>> {
    match acceptor.authenticate(headers, None) {
        Outcome::Authenticated { headers, .. } => Ok(headers),
        Outcome::Respond {
            status, headers, ..
        } => {
            let mut r = http::Response::new(String::new());
            *r.status_mut() = status;
            *r.headers_mut() = headers;
            Err(Box::new(r))
        }
    }
}

pub type Client = reqwest_middleware::ClientWithMiddleware;

/// reqwest (plain HTTP, default redirects) with the middleware.
pub fn http(negotiate: NegotiateClient) -> Client {
    http_with(reqwest::Client::builder(), negotiate)
}

pub fn http_with(builder: reqwest::ClientBuilder, negotiate: NegotiateClient) -> Client {
    reqwest_middleware::ClientBuilder::new(builder.build().expect("reqwest client"))
        .with(NegotiateMiddleware::new(negotiate))
        .build()
}

/// The ring provider for the reqwest clients (reqwest's `rustls-no-provider`).
pub fn install_crypto_provider() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // Err only when a provider is installed already: then that one serves.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A reqwest client that trusts only `cert` (and records the server certificate when
/// `tls_info`).
pub fn https_builder(cert: &[u8], tls_info: bool) -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_der(cert).expect("certificate")])
        .tls_info(tls_info)
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Got {
    pub status: StatusCode,
    pub url: String,
    pub headers: HeaderMap,
    pub body: String,
    pub verdict: Option<Verdict>,
    pub sanitized: bool,
}

pub fn send(request: reqwest_middleware::RequestBuilder) -> Result<Got, reqwest_middleware::Error> {
    rt().block_on(async move {
        let response = request.send().await?;
        let status = response.status();
        let url = response.url().to_string();
        let headers = response.headers().clone();
        let verdict = response.extensions().get::<Verdict>().copied();
        let sanitized = response.extensions().get::<Sanitized>().is_some();
        let body = response.text().await?;
        Ok(Got {
            status,
            url,
            headers,
            body,
            verdict,
            sanitized,
        })
    })
}

pub fn get(client: &Client, url: &str) -> Result<Got, reqwest_middleware::Error> {
    send(client.get(url))
}

/// The answer, or the test's failure.
pub fn get_ok(client: &Client, url: &str) -> Result<Got, Failed> {
    get(client, url).map_err(|e| format!("GET {url}: {e:?}").into())
}

/// The exchange's error inside a middleware error.
pub fn client_error(e: &reqwest_middleware::Error) -> Option<&ClientError> {
    match e {
        reqwest_middleware::Error::Middleware(inner) => inner.downcast_ref::<ClientError>(),
        reqwest_middleware::Error::Reqwest(_) => None,
    }
}

/// The exchange's error of a request that must fail.
pub fn get_err(client: &Client, url: &str) -> Result<reqwest_middleware::Error, Failed> {
    match get(client, url) {
        Ok(got) => Err(format!("GET {url} succeeded: {got:?}").into()),
        Err(e) => Ok(e),
    }
}

/// The mechanism OID (DER contents) at the head of an initial context token (RFC 2743
/// §3.1: `60 len 06 oidlen oid ...`).
pub fn initial_token_mech(authorization: &str) -> Result<Vec<u8>, Failed> {
    use base64::Engine as _;
    let b64 = authorization
        .strip_prefix("Negotiate ")
        .ok_or("not a Negotiate header")?;
    let token = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(fail)?;
    check!(token.first() == Some(&0x60), "not an initial token");
    let mut at = 1;
    let first = *token.get(at).ok_or("short")?;
    at += 1;
    if first & 0x80 != 0 {
        at += usize::from(first & 0x7f);
    }
    check!(token.get(at) == Some(&0x06), "no OID");
    let len = usize::from(*token.get(at + 1).ok_or("short")?);
    Ok(token.get(at + 2..at + 2 + len).ok_or("short")?.to_vec())
}

/// DER contents of 1.2.840.113554.1.2.2 (Kerberos V5) and 1.3.6.1.5.5.2 (SPNEGO).
pub const KRB5_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02];
pub const SPNEGO_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];

/// The user principal as the server reports it.
pub fn user_line(principal: &str) -> String {
    format!("principal={principal} ")
}

/// Where the Python interop app lives.
pub fn test_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/client")
}

/// The GSSAPI error kind inside a middleware error (`ClientError::Gss`).
pub fn gss_kind(e: &reqwest_middleware::Error) -> Option<gssapi::ErrorKind> {
    match client_error(e) {
        Some(ClientError::Gss(g)) => g.kind(),
        _ => None,
    }
}
