//! `gss curl`: an HTTP request with Negotiate authentication (curl `--negotiate -u :`), on
//! reqwest's blocking client and gssapi-http's blocking driver.

use crate::exit::{Code, EXIT_CODES, Failure, Outcome};
use base64::Engine;
use gssapi::{CredStore, CredUsage, Credentials, Mechanism, Name};
use gssapi_http::blocking::{self, BlockingError, ServerCertificate};
use gssapi_http::client::{ClientError, MutualAuthentication, NegotiateClient, Sanitized};
use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use std::io::{Read, Write};

const EXAMPLES: &str = "\
Examples:
  gss curl http://www.example.com/
  gss curl -i -v --delegate http://www.example.com/api
  gss curl -X POST -H 'Content-Type: application/json' -d '{\"a\": 1}' http://www.example.com/api
  gss curl -d @body.json --mech krb5 --ccache FILE:/tmp/krb5cc_svc http://www.example.com/
  gss curl --spn HTTP@web.internal --mutual optional http://10.0.0.5:8080/
  gss curl --keytab /etc/job.keytab http://www.example.com/report";

/// Sends an HTTP request with Negotiate (SPNEGO/Kerberos) authentication, like
/// `curl --negotiate -u :`, and writes the response body to stdout.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct CurlArgs {
    /// The URL (http:// or https://).
    url: String,
    /// The request method (default GET, or POST with -d).
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    method: Option<String>,
    /// A request header, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    headers: Vec<String>,
    /// The request body; `@FILE` reads it from FILE, `@-` from stdin.
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    data: Option<String>,
    /// Delegates (forwards) the Kerberos ticket to the server.
    #[arg(long)]
    delegate: bool,
    /// Mutual authentication: `required` (the server must prove itself on every
    /// non-error response), `optional` (a token the server sends must be right), `disabled`.
    #[arg(long, value_enum, default_value_t = Mutual::Required)]
    mutual: Mutual,
    /// The target service name, `service@host` (default: `HTTP@` the URL's host).
    #[arg(long, value_name = "SERVICE@HOST")]
    spn: Option<String>,
    /// The mechanism.
    #[arg(long, value_enum, default_value_t = Mech::Spnego)]
    mech: Mech,
    /// Sends a token with the first request instead of waiting for the 401 challenge.
    #[arg(long)]
    opportunistic: bool,
    /// Uses the credentials of this ccache (`FILE:...`, `KCM:...`) instead of the default.
    #[arg(long, value_name = "NAME")]
    ccache: Option<String>,
    /// Gets a ticket with the keys of this client keytab (into a private memory ccache)
    /// instead of using a ccache.
    #[arg(long, value_name = "PATH", conflicts_with = "ccache")]
    keytab: Option<String>,
    /// Trusts the CA certificates of this PEM file for https:// (default: the system's,
    /// /etc/ssl/certs/ca-certificates.crt). The server's certificate also binds the
    /// Negotiate tokens to the connection (tls-server-end-point channel bindings).
    #[arg(long, value_name = "PEM")]
    cacert: Option<String>,
    /// Shows the response status line and headers before the body.
    #[arg(short = 'i', long = "include")]
    include: bool,
    /// Shows each round of the exchange on stderr, with the token lengths.
    #[arg(short = 'v', long)]
    verbose: bool,
}

/// `--mutual`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Mutual {
    Required,
    Optional,
    Disabled,
}

/// `--mech`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Mech {
    Krb5,
    Spnego,
}

impl Mech {
    fn mechanism(self) -> Mechanism {
        match self {
            Mech::Krb5 => Mechanism::KERBEROS,
            Mech::Spnego => Mechanism::SPNEGO,
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::new(Code::Usage, message)
}

/// Parses `-H 'Name: value'`.
fn parse_header(line: &str) -> Result<(HeaderName, HeaderValue), Failure> {
    let (name, value) = line
        .split_once(':')
        .ok_or_else(|| usage(format!("-H {line:?}: expected 'Name: value'")))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|e| usage(format!("-H {line:?}: bad header name: {e}")))?;
    let value = HeaderValue::from_str(value.trim())
        .map_err(|e| usage(format!("-H {line:?}: bad header value: {e}")))?;
    Ok((name, value))
}

/// Reads `-d`: the text itself, `@FILE` or `@-`.
fn read_body(data: &str) -> Result<Vec<u8>, Failure> {
    match data.strip_prefix('@') {
        Some("-") => {
            let mut body = Vec::new();
            std::io::stdin()
                .read_to_end(&mut body)
                .map_err(|e| Failure::new(Code::Failure, format!("reading stdin: {e}")))?;
            Ok(body)
        }
        Some(path) => std::fs::read(path)
            .map_err(|e| Failure::new(Code::Failure, format!("reading {path}: {e}"))),
        None => Ok(data.as_bytes().to_vec()),
    }
}

/// The length of the Negotiate token in a header value, for `-v`.
fn token_len(value: &HeaderValue) -> Option<usize> {
    negotiate_token(value).map(|t| t.len())
}

/// The token of a `Negotiate <base64>` header value.
fn negotiate_token(value: &HeaderValue) -> Option<Vec<u8>> {
    let text = value.to_str().ok()?;
    let (scheme, token) = text.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("negotiate") {
        return None;
    }
    base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()
}

/// For `-v`: the header's token decoded as `gss inspect` shows it, each line prefixed.
fn decoded_token(value: Option<&HeaderValue>) -> String {
    let Some(token) = value.and_then(negotiate_token) else {
        return String::new();
    };
    let mut text = String::new();
    match gss_cli::inspect::decode(&token) {
        Ok(described) => gss_cli::inspect::render(&described, 0, &mut text),
        Err(e) => text = format!("(not decoded: {e})\n"),
    }
    text.lines().map(|l| format!("*     {l}\n")).collect()
}

/// The credentials `--ccache` names, for `mech`. SPNEGO needs a SPNEGO element, which a
/// ccache imported for Kerberos alone lacks: acquire through a credential store then.
fn ccache_credentials(ccache: &str, mech: Mech) -> Result<Credentials, gssapi::Error> {
    match mech {
        Mech::Krb5 => Credentials::initiator_from_ccache(ccache),
        Mech::Spnego => Credentials::builder()
            .usage(CredUsage::Initiate)
            .store(CredStore::new().insert("ccache", ccache))
            .acquire(),
    }
}

/// The exit code and message for a failed exchange.
fn exchange_failure(error: BlockingError<reqwest::Error>) -> Failure {
    match error {
        BlockingError::Send(e) => {
            Failure::new(Code::Network, format!("{e} ({})", source_chain(&e)))
        }
        BlockingError::Negotiate(ClientError::MutualAuthentication { status, reason }) => {
            Failure::new(
                Code::MutualAuthFailed,
                format!(
                    "mutual authentication failed (status {status}): {reason}; the response is not trusted (--mutual optional accepts a server that sends no token)"
                ),
            )
        }
        BlockingError::Negotiate(ClientError::Gss(e)) => Failure::new(
            Code::AuthFailed,
            format!("authentication failed: {e}{}", gss_hint(&e)),
        ),
        BlockingError::Negotiate(e) => {
            Failure::new(Code::AuthFailed, format!("authentication failed: {e}"))
        }
    }
}

/// What to do next for a GSSAPI error the user can fix.
pub(crate) fn gss_hint(e: &gssapi::Error) -> &'static str {
    use gssapi::ErrorKind;
    // The Kerberos reason first: a KDC that did not answer is also "missing credentials".
    match e.krb5_error() {
        Some(gssapi::Krb5Error::ServerPrincipalUnknown) => {
            " (the KDC does not know this service: check the URL's host or pass --spn)"
        }
        Some(gssapi::Krb5Error::ClockSkew) => {
            " (the clocks of this host and the KDC differ too much)"
        }
        Some(gssapi::Krb5Error::CcacheNotFound | gssapi::Krb5Error::CcacheFileMissing) => {
            " (no ccache: run kinit, or pass --ccache)"
        }
        Some(gssapi::Krb5Error::KdcUnreachable) => {
            " (no KDC answered: check the network and krb5.conf)"
        }
        _ if e.is(ErrorKind::MissingCredentials) || e.is(ErrorKind::ExpiredCredentials) => {
            " (no valid ticket: run kinit, or pass --ccache)"
        }
        _ => "",
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "no more detail".into()
    } else {
        parts.join(": ")
    }
}

/// Runs `gss curl`.
pub fn run(args: CurlArgs) -> Outcome {
    let url = reqwest::Url::parse(&args.url).map_err(|e| usage(format!("{}: {e}", args.url)))?;
    let host = url
        .host_str()
        .ok_or_else(|| usage(format!("{}: the URL has no host", args.url)))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let mut headers = HeaderMap::new();
    for line in &args.headers {
        let (name, value) = parse_header(line)?;
        headers.append(name, value);
    }
    let body = args.data.as_deref().map(read_body).transpose()?;
    let method = match &args.method {
        Some(m) => Method::from_bytes(m.as_bytes()).map_err(|e| usage(format!("-X {m}: {e}")))?,
        None if body.is_some() => Method::POST,
        None => Method::GET,
    };

    let mut builder = NegotiateClient::builder()
        .mutual_authentication(match args.mutual {
            Mutual::Required => MutualAuthentication::Required,
            Mutual::Optional => MutualAuthentication::Optional,
            Mutual::Disabled => MutualAuthentication::Disabled,
        })
        .opportunistic(args.opportunistic)
        .delegate(args.delegate)
        .mech(args.mech.mechanism());
    if let Some(spn) = &args.spn {
        if !spn.contains('@') {
            return Err(usage(format!("--spn {spn}: expected service@host")));
        }
        let name = Name::hostbased_service(spn).map_err(|e| usage(format!("--spn {spn}: {e}")))?;
        builder = builder.target_name(name);
    }
    if let Some(ccache) = &args.ccache {
        let creds = ccache_credentials(ccache, args.mech).map_err(|e| {
            Failure::new(
                Code::AuthFailed,
                format!("credentials from {ccache}: {e}{}", gss_hint(&e)),
            )
        })?;
        builder = builder.credentials(creds);
    }
    // With --keytab the tickets live in a memory ccache of this process, gone at exit.
    let scratch = gssapi::TemporaryCcache::new();
    if let Some(keytab) = &args.keytab {
        let creds = Credentials::builder()
            .usage(CredUsage::Initiate)
            .store(
                CredStore::new()
                    .insert("client_keytab", keytab)
                    .insert("ccache", scratch.name()),
            )
            .acquire()
            .map_err(|e| {
                Failure::new(
                    Code::AuthFailed,
                    format!("credentials from the keytab {keytab}: {e}{}", gss_hint(&e)),
                )
            })?;
        builder = builder.credentials(creds);
    }
    let client = builder.build();

    let mut http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tls_info(true);
    if url.scheme() == "https" {
        let path = args
            .cacert
            .clone()
            .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".into());
        let pem = std::fs::read(&path)
            .map_err(|e| Failure::new(Code::Failure, format!("--cacert {path}: {e}")))?;
        let roots = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| Failure::new(Code::Failure, format!("--cacert {path}: {e}")))?;
        http = http.tls_certs_only(roots);
    }
    let http = http
        .build()
        .map_err(|e| Failure::new(Code::Failure, format!("the HTTP client: {e}")))?;
    let verbose = args.verbose;
    let mut round = 0u32;
    let response = crate::term::waiting("the server and the KDC", || {
        blocking::send(&client, &host, |auth: &HeaderMap| {
            round += 1;
            let mut request = http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            request = request.headers(auth.clone());
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            if verbose {
                let sent = auth.get(AUTHORIZATION).and_then(token_len);
                eprint!(
                    "* round {round}: > {method} {url}{}\n{}",
                    match sent {
                        Some(n) => format!(" with a Negotiate token of {n} bytes"),
                        None => " without a token".into(),
                    },
                    decoded_token(auth.get(AUTHORIZATION))
                );
            }
            let response = request.send()?;
            if verbose {
                let got = response.headers().get(WWW_AUTHENTICATE).and_then(token_len);
                eprint!(
                    "* round {round}: < {}{}\n{}",
                    response.status(),
                    match got {
                        Some(n) => format!(" with a Negotiate token of {n} bytes"),
                        None => " without a token".into(),
                    },
                    decoded_token(response.headers().get(WWW_AUTHENTICATE))
                );
            }
            into_http(response)
        })
    })
    .map_err(exchange_failure)?;

    if verbose {
        let verdict = response
            .extensions()
            .get::<gssapi_http::client::Verdict>()
            .copied();
        eprintln!("* verdict: {verdict:?}");
    }
    let status = response.status();
    let mut out = std::io::stdout().lock();
    let written = (|| -> std::io::Result<()> {
        if args.include {
            write!(out, "{:?} {}\r\n", response.version(), status)?;
            for (name, value) in response.headers() {
                out.write_all(name.as_str().as_bytes())?;
                out.write_all(b": ")?;
                out.write_all(value.as_bytes())?;
                out.write_all(b"\r\n")?;
            }
            out.write_all(b"\r\n")?;
        }
        out.write_all(response.body())?;
        out.flush()
    })();
    written.map_err(|e| Failure::new(Code::Failure, format!("writing the response: {e}")))?;

    if response.extensions().get::<Sanitized>().is_some() {
        eprintln!(
            "gss: the server's {status} response was not authenticated: its body and headers were dropped"
        );
    }
    if status == StatusCode::UNAUTHORIZED {
        return Err(Failure::new(
            Code::AuthFailed,
            "authentication failed: the server refused the credentials (401)",
        ));
    }
    if status.is_client_error() || status.is_server_error() {
        return Err(Failure::new(
            Code::HttpStatus,
            format!("the server answered {status}"),
        ));
    }
    Ok(Code::Success)
}

/// A reqwest response as an `http::Response` with the whole body.
fn into_http(
    response: reqwest::blocking::Response,
) -> Result<http::Response<Vec<u8>>, reqwest::Error> {
    let mut builder = http::Response::builder()
        .status(response.status())
        .version(response.version());
    if let Some(headers) = builder.headers_mut() {
        *headers = response.headers().clone();
    }
    // The server's certificate: channel bindings for the tokens that follow.
    let certificate = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .map(<[u8]>::to_vec);
    let body = response.bytes()?.to_vec();
    let mut out = builder
        .body(body)
        .unwrap_or_else(|_| http::Response::new(Vec::new()));
    if let Some(der) = certificate {
        out.extensions_mut().insert(ServerCertificate(der));
    }
    Ok(out)
}
