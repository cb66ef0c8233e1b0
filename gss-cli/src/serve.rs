//! `gss serve`: a Negotiate-protected HTTP server (mod_auth_gssapi as one binary): a directory
//! of static files, or a reverse proxy that tells the upstream who authenticated.
//!
//! Requests pass three layers: the access log (outermost: one JSON line per request on
//! stderr), gssapi-http's `NegotiateLayer` (401 and the Negotiate exchange, the allow-list),
//! and a tag that copies the principal into the response for the log; then the files or the
//! proxy.

use crate::exit::{Code, EXIT_CODES, Failure, Outcome};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use gssapi::{CredStore, CredUsage, Credentials, Mechanism};
use gssapi_http::server::Acceptor;
use gssapi_http::session::{SessionKey, Sessions};
use gssapi_http::tower::{Authenticated, NegotiateLayer};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tower_http::services::ServeDir;

const EXAMPLES: &str = "\
Examples:
  gss serve --keytab /etc/http.keytab --dir ./public
  gss serve --listen 127.0.0.1:8443 --keytab FILE:/etc/http.keytab \\
      --proxy http://127.0.0.1:8000/ --allow-realm EXAMPLE.COM
  gss serve --keytab /etc/http.keytab --proxy http://127.0.0.1:8000/ \\
      --principal-header X-Remote-User --delegation-header X-Krb5-Ccname

The upstream of --proxy gets the principal (user@REALM) in --principal-header; the same
header sent by a client is removed first, so the upstream can trust it. With
--delegation-header, a client's delegated credentials are written to a private FILE: ccache
(in a 0700 directory) whose name the upstream gets in that header; the ccache is removed when
the upstream has answered. Access log: one JSON object per request on stderr.";

/// Serves static files or a reverse proxy behind HTTP Negotiate (SPNEGO/Kerberos).
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// Serves HTTPS with this certificate chain (PEM); needs --tls-key. Negotiate tokens are
    /// then bound to it (tls-server-end-point channel bindings).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The keytab with the service's keys (default: the library's, KRB5_KTNAME).
    #[arg(long, value_name = "PATH", conflicts_with = "cred_store")]
    keytab: Option<String>,
    /// Acquires the acceptor credentials from this credential-store element (MIT's
    /// gss_acquire_cred_from; repeatable), e.g. `keytab=FILE:/etc/http.keytab` and
    /// `rcache=dfl:/var/tmp/http.rcache`: mod_auth_gssapi's GssapiCredStore.
    #[arg(long, value_name = "KEY=VALUE", value_parser = cred_store_element)]
    cred_store: Vec<(String, String)>,
    /// Serves the files of this directory.
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "proxy",
        conflicts_with = "proxy"
    )]
    dir: Option<PathBuf>,
    /// Forwards authenticated requests to this upstream URL.
    #[arg(long, value_name = "URL")]
    proxy: Option<String>,
    /// The header that carries the authenticated principal to the upstream.
    #[arg(long, value_name = "NAME", default_value = "X-Remote-User")]
    principal_header: String,
    /// Turns sessions on: after one Negotiate exchange the client gets a sealed cookie
    /// (XChaCha20-Poly1305, a key made at start) that authenticates its next requests. Plain
    /// HTTP: the cookie is not `Secure`, and anyone who sees it can use it until it expires.
    #[arg(long)]
    sessions: bool,
    /// How long a session cookie is valid, in seconds (at most the Kerberos ticket's life).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 3600,
        requires = "sessions"
    )]
    session_max_age: u64,
    /// Also sends the principal's local (operating-system) user name, by the krb5.conf
    /// auth_to_local rules, in this header (stripped from incoming requests too).
    #[arg(long, value_name = "NAME")]
    local_name_header: Option<String>,
    /// Allows every principal of this realm (repeatable; with none of these and no
    /// --allow-principal, every authenticated principal is allowed).
    #[arg(long, value_name = "REALM")]
    allow_realm: Vec<String>,
    /// Allows this principal, user@REALM (repeatable).
    #[arg(long, value_name = "PRINCIPAL")]
    allow_principal: Vec<String>,
    /// The header that carries the name of the delegated credentials' ccache to the upstream
    /// (only with --proxy; without it delegated credentials are not kept).
    #[arg(long, value_name = "NAME")]
    delegation_header: Option<String>,
}

/// The reverse proxy's configuration.
struct Proxy {
    upstream: reqwest::Url,
    client: reqwest::Client,
    principal_header: HeaderName,
    local_name_header: Option<HeaderName>,
    delegation: Option<Delegation>,
    /// `X-Forwarded-Proto`.
    scheme: &'static str,
}

/// Where delegated credentials are written for the upstream.
struct Delegation {
    header: HeaderName,
    dir: tempfile::TempDir,
}

/// The principal, copied into the response for the access log.
#[derive(Clone)]
struct LoggedPrincipal(String);

fn header_name(flag: &str, name: &str) -> Result<HeaderName, Failure> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| Failure::new(Code::Usage, format!("{flag} {name}: {e}")))
}

/// Runs `gss serve` until the process is stopped.
pub fn run(args: ServeArgs) -> Outcome {
    if args.delegation_header.is_some() && args.proxy.is_none() {
        return Err(Failure::new(
            Code::Usage,
            "--delegation-header needs --proxy (the ccache name is for an upstream)",
        ));
    }
    let principal_header = header_name("--principal-header", &args.principal_header)?;
    let delegation_header = args
        .delegation_header
        .as_deref()
        .map(|h| header_name("--delegation-header", h))
        .transpose()?;
    let local_name_header = args
        .local_name_header
        .as_deref()
        .map(|h| header_name("--local-name-header", h))
        .transpose()?;
    if local_name_header.is_some() && args.proxy.is_none() {
        return Err(Failure::new(
            Code::Usage,
            "--local-name-header needs --proxy (the name is for an upstream)",
        ));
    }
    let proxy = match &args.proxy {
        None => None,
        Some(url) => {
            let upstream = reqwest::Url::parse(url)
                .map_err(|e| Failure::new(Code::Usage, format!("--proxy {url}: {e}")))?;
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Failure::new(Code::Failure, format!("the HTTP client: {e}")))?;
            let delegation = match delegation_header {
                None => None,
                Some(header) => Some(Delegation {
                    header,
                    dir: tempfile::Builder::new()
                        .prefix("gss-serve-ccaches.")
                        .tempdir()
                        .map_err(|e| {
                            Failure::new(Code::Failure, format!("a ccache directory: {e}"))
                        })?,
                }),
            };
            Some(Arc::new(Proxy {
                upstream,
                client,
                principal_header,
                local_name_header,
                delegation,
                scheme: if args.tls_cert.is_some() {
                    "https"
                } else {
                    "http"
                },
            }))
        }
    };

    // The acceptor acquires its credentials lazily: check them now, so a server that could
    // never authenticate anyone does not start. Kerberos only: with gss-ntlmssp installed an
    // acquisition for every mechanism succeeds without a single key.
    let store = cred_store("serve", &args.cred_store);
    let probe = match (&args.keytab, &store) {
        (Some(keytab), _) => Credentials::acceptor_from_keytab(keytab),
        (None, Some(store)) => Credentials::builder()
            .usage(CredUsage::Accept)
            .mech(&Mechanism::KERBEROS)
            .store(store.clone())
            .acquire(),
        (None, None) => Credentials::builder()
            .usage(CredUsage::Accept)
            .mech(&Mechanism::KERBEROS)
            .acquire(),
    };
    probe.map_err(|e| {
        Failure::new(
            Code::Failure,
            format!(
                "no acceptor credentials{}: {e} (does the keytab exist and hold the service's keys? --keytab, --cred-store)",
                args.keytab.as_deref().map(|k| format!(" in {k}")).unwrap_or_default()
            ),
        )
    })?;

    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls_config(cert, key)?),
        _ => None,
    };

    let mut acceptor = Acceptor::builder()
        .allow_realms(args.allow_realm.iter().cloned())
        .allow_principals(args.allow_principal.iter().cloned())
        .keep_delegated(proxy.as_ref().is_some_and(|p| p.delegation.is_some()));
    if let Some(keytab) = &args.keytab {
        acceptor = acceptor.keytab(keytab.clone());
    }
    if let Some(store) = store {
        acceptor = acceptor.cred_store(store);
    }
    if let Some((_, leaf)) = &tls {
        acceptor = acceptor
            .channel_bindings_from_certificate(leaf)
            .map_err(|e| Failure::new(Code::Failure, format!("--tls-cert: {e}")))?;
    }
    if args.sessions {
        eprintln!(
            "gss serve: sessions on (plain HTTP: the cookie is a bearer token anyone on the path can reuse for {} s)",
            args.session_max_age
        );
        acceptor = acceptor.sessions(
            Sessions::new(SessionKey::generate())
                .max_age(std::time::Duration::from_secs(args.session_max_age))
                .secure(false),
        );
    }
    let acceptor = acceptor.build().map_err(|e| {
        Failure::new(
            Code::Failure,
            format!("the acceptor credentials: {e} (is the service's keytab readable? --keytab)"),
        )
    })?;

    let app = match proxy {
        Some(proxy) => Router::new().fallback(forward).with_state(proxy),
        None => {
            let dir = args.dir.clone().unwrap_or_default();
            if !dir.is_dir() {
                return Err(Failure::new(
                    Code::Failure,
                    format!("--dir {}: not a directory", dir.display()),
                ));
            }
            Router::new().fallback_service(ServeDir::new(dir))
        }
    };
    let app = app
        .layer(middleware::from_fn(tag_principal))
        .layer(NegotiateLayer::new(acceptor))
        .layer(middleware::from_fn(access_log));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(Code::Failure, format!("the async runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| {
                Failure::new(Code::Failure, format!("listening on {}: {e}", args.listen))
            })?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
        let Some((config, _)) = tls else {
            eprintln!("gss serve: listening on http://{local}/");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|e| Failure::new(Code::Failure, format!("serving: {e}")))?;
            return Ok(Code::Success);
        };
        eprintln!("gss serve: listening on https://{local}/");
        serve_tls(listener, app, config).await;
        Ok(Code::Success)
    })
}

/// The TLS configuration from PEM files, and the leaf certificate (DER) for channel bindings.
fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<(Arc<rustls::ServerConfig>, Vec<u8>), Failure> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let bad = |what: &str, path: &std::path::Path, e: &dyn std::fmt::Display| {
        Failure::new(Code::Failure, format!("{what} {}: {e}", path.display()))
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad("--tls-cert", cert, &e))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad("--tls-cert", cert, &e))?;
    let leaf = chain
        .first()
        .ok_or_else(|| bad("--tls-cert", cert, &"no certificate in the file"))?
        .to_vec();
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| bad("--tls-key", key, &e))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Failure::new(Code::Failure, format!("TLS: {e}")))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|e| Failure::new(Code::Failure, format!("--tls-cert/--tls-key: {e}")))?;
    Ok((Arc::new(config), leaf))
}

/// Serves `app` over TLS until SIGTERM/SIGINT; each connection's peer goes into the requests
/// as axum's `ConnectInfo` (the access log, multi-leg contexts per connection).
async fn serve_tls(
    listener: tokio::net::TcpListener,
    app: Router,
    config: Arc<rustls::ServerConfig>,
) {
    let tls = tokio_rustls::TlsAcceptor::from(config);
    let stop = stopped();
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => continue,
            },
        };
        let tls = tls.clone();
        let app = app.clone().layer(axum::Extension(ConnectInfo(peer)));
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
}

/// Resolves on SIGTERM or SIGINT: the server stops accepting, finishes what is in flight, and
/// returns, so the delegated-ccache directory is removed.
async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        // No signal handling: run until killed.
        _ => std::future::pending().await,
    }
    eprintln!("gss serve: stopping");
}

/// Copies the authenticated principal into the response's extensions for [`access_log`]
/// (the identity lives in the request's, which the outer layer never sees).
async fn tag_principal(request: Request, next: Next) -> Response {
    let principal = request
        .extensions()
        .get::<Authenticated>()
        .map(|a| a.principal().to_owned());
    let mut response = next.run(request).await;
    if let Some(p) = principal {
        response.extensions_mut().insert(LoggedPrincipal(p));
    }
    response
}

/// Writes one JSON line per request to stderr: time, peer, method, path, status, principal.
async fn access_log(request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.to_string());
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let principal = response
        .extensions()
        .get::<LoggedPrincipal>()
        .map(|p| p.0.clone());
    let line = serde_json::json!({
        "time": rfc3339(SystemTime::now()),
        "peer": peer,
        "method": method,
        "path": path,
        "status": response.status().as_u16(),
        "principal": principal,
    });
    eprintln!("{line}");
    response
}

/// `SystemTime` as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Hop-by-hop headers (RFC 9110 7.6.1) and the ones the proxy sets itself.
const NOT_FORWARDED: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    "authorization",
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    // Headers the Connection header names are hop-by-hop too.
    let named: Vec<String> = headers
        .get_all(http::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    for name in NOT_FORWARDED
        .iter()
        .copied()
        .chain(named.iter().map(String::as_str))
    {
        headers.remove(name);
    }
}

/// `X-Forwarded-For` (the peer appended to any the client sent), `X-Forwarded-Host` (the
/// request's `Host`) and `X-Forwarded-Proto`, as reverse proxies conventionally set them.
fn forwarded_for(
    headers: &mut HeaderMap,
    extensions: &http::Extensions,
    host: Option<HeaderValue>,
    scheme: &'static str,
) {
    if let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>() {
        let chain = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            Some(before) => format!("{before}, {}", peer.ip()),
            None => peer.ip().to_string(),
        };
        if let Ok(v) = HeaderValue::from_str(&chain) {
            headers.insert("x-forwarded-for", v);
        }
    }
    match host {
        Some(h) => headers.insert("x-forwarded-host", h),
        None => headers.remove("x-forwarded-host"),
    };
    headers.insert("x-forwarded-proto", HeaderValue::from_static(scheme));
}

fn bad_gateway(what: impl std::fmt::Display) -> Response {
    eprintln!("gss serve: {what}");
    (StatusCode::BAD_GATEWAY, "bad gateway\n").into_response()
}

/// The upstream URL for a request path and query: the upstream's path, then the request's.
fn upstream_url(base: &reqwest::Url, uri: &http::Uri) -> reqwest::Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}{}", uri.path()));
    url.set_query(uri.query());
    url
}

/// Writes the delegated credentials to a fresh FILE: ccache in `dir` (blocking GSSAPI work):
/// its name, and the file's path, which removes the ccache when dropped.
fn write_ccache(
    dir: &std::path::Path,
    creds: gssapi::Credentials,
) -> Result<(tempfile::TempPath, String), String> {
    let path = tempfile::Builder::new()
        .prefix("krb5cc_")
        .tempfile_in(dir)
        .map_err(|e| format!("a ccache file: {e}"))?
        .into_temp_path();
    let name = format!("FILE:{}", path.display());
    creds
        .store()
        .into_store(CredStore::new().insert("ccache", &name))
        .overwrite(true)
        .run()
        .map_err(|e| format!("storing the delegated credentials in {name}: {e}"))?;
    Ok((path, name))
}

/// The reverse proxy: the request goes to the upstream with the principal header (a client's
/// own copy removed) and, when delegated, the ccache header.
async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(identity) = parts.extensions.get::<Authenticated>().cloned() else {
        // The layer lets no unauthenticated request through; refuse rather than forward.
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let body = match axum::body::to_bytes(body, 64 << 20).await {
        Ok(b) => b,
        Err(e) => return (StatusCode::PAYLOAD_TOO_LARGE, format!("{e}\n")).into_response(),
    };
    let mut headers = parts.headers.clone();
    let host = headers.get(http::header::HOST).cloned();
    strip_hop_by_hop(&mut headers);
    forwarded_for(&mut headers, &parts.extensions, host, proxy.scheme);
    headers.remove(&proxy.principal_header);
    let principal = match HeaderValue::from_str(identity.principal()) {
        Ok(v) => v,
        Err(e) => return bad_gateway(format!("the principal as a header: {e}")),
    };
    headers.insert(proxy.principal_header.clone(), principal);
    if let Some(header) = &proxy.local_name_header {
        headers.remove(header);
        // gss_localname: a local lookup in krb5.conf's rules, no network.
        match identity.local_name() {
            Ok(name) => {
                if let Ok(v) = HeaderValue::from_str(&name) {
                    headers.insert(header.clone(), v);
                }
            }
            Err(e) => eprintln!("gss serve: no local name for {}: {e}", identity.principal()),
        }
    }

    let mut ccache = None;
    if let Some(delegation) = &proxy.delegation {
        headers.remove(&delegation.header);
        if let Some(d) = identity.delegated() {
            let creds = d.credentials().clone();
            let dir = delegation.dir.path().to_owned();
            match tokio::task::spawn_blocking(move || write_ccache(&dir, creds)).await {
                Ok(Ok((file, name))) => {
                    if let Ok(v) = HeaderValue::from_str(&name) {
                        headers.insert(delegation.header.clone(), v);
                    }
                    ccache = Some(file);
                }
                Ok(Err(e)) => return bad_gateway(e),
                Err(e) => return bad_gateway(e),
            }
        }
    }

    let url = upstream_url(&proxy.upstream, &parts.uri);
    let sent = proxy
        .client
        .request(parts.method.clone(), url)
        .headers(headers)
        .body(body)
        .send()
        .await;
    let upstream = match sent {
        Ok(r) => r,
        Err(e) => return bad_gateway(format!("the upstream: {e}")),
    };
    let status = upstream.status();
    let mut response_headers = upstream.headers().clone();
    let response_body = match upstream.bytes().await {
        Ok(b) => b,
        Err(e) => return bad_gateway(format!("the upstream's body: {e}")),
    };
    // The upstream has answered: its ccache goes now, not when the response is sent.
    drop(ccache);
    strip_hop_by_hop(&mut response_headers);
    let mut response = Response::new(Body::from(response_body));
    *response.status_mut() = status;
    *response.headers_mut() = response_headers;
    response
}

/// One `--cred-store KEY=VALUE`.
pub(crate) fn cred_store_element(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((key, value)) if !key.is_empty() && !value.is_empty() => {
            Ok((key.to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "{arg:?}: expected KEY=VALUE, e.g. keytab=FILE:/etc/http.keytab"
        )),
    }
}

/// The credential store of the `--cred-store` elements, if any. A key MIT's Kerberos
/// mechanism does not know is passed on (another mechanism may), with a warning: MIT ignores
/// unknown keys, so a typo would otherwise silently mean the default keytab.
pub(crate) fn cred_store(
    command: &str,
    elements: &[(String, String)],
) -> Option<gssapi::CredStore> {
    if elements.is_empty() {
        return None;
    }
    let mut store = gssapi::CredStore::new();
    for (key, value) in elements {
        if !gssapi::CredStore::KNOWN_KEYS.contains(&key.as_str()) {
            eprintln!(
                "gss {command}: --cred-store {key}: not a key of MIT's Kerberos mechanism ({}); passed on for other mechanisms",
                gssapi::CredStore::KNOWN_KEYS.join(", ")
            );
        }
        store = store.insert_any(key, value);
    }
    Some(store)
}
