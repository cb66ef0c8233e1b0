//! Negotiate for reqwest (feature `reqwest`): [`NegotiateMiddleware`], a
//! [`reqwest_middleware::Middleware`] that answers 401 and 407 Negotiate challenges.
//!
//! ```no_run
//! use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
//! use gssapi_http::reqwest::NegotiateMiddleware;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let negotiate = NegotiateClient::builder()
//!     .mutual_authentication(MutualAuthentication::Required)
//!     .build();
//! let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(NegotiateMiddleware::new(negotiate))
//!     .build();
//!
//! let response = http.get("http://www.example.com/").send().await?;
//! // The server proved who it is (mutual authentication): the middleware says so.
//! assert_eq!(response.extensions().get::<Verdict>(), Some(&Verdict::Authenticated));
//! println!("{}", response.text().await?);
//! # Ok(()) }
//! ```
//!
//! How a request goes:
//!
//! - One [`ClientExchange`] per request. With
//!   [`opportunistic`](crate::client::ClientBuilder::opportunistic) the first request already
//!   carries a token; else it goes out bare and a `401` (or a proxy's `407`) with a
//!   `Negotiate` challenge makes the token, and the request is sent again (a clone made with
//!   [`reqwest::Request::try_clone`]). A request whose body cannot be cloned (a stream) fails
//!   with [`BodyNotCloneable`] when, and only when, it must be retried.
//! - The host of the target name (`HTTP@host`) is the host of the URL that answered: when
//!   reqwest followed redirects, the last one's. The retry then goes to that URL directly, so
//!   each redirect target gets a token for its own name. (A redirect that changed the method,
//!   a 303 after a POST, is retried with the original method: turn redirects off with
//!   `reqwest::redirect::Policy::none()` for such servers.)
//! - Every GSSAPI call (`ClientExchange::initial` / `response`) runs on tokio's blocking pool
//!   (`spawn_blocking`), never on the async worker threads: a token may need the KDC.
//! - The answer carries the exchange's [`Verdict`] in its extensions. An error response that
//!   [`Next::Sanitize`] says to drop comes back with the same status, an empty body, no
//!   headers and the [`Sanitized`] marker in its extensions.
//! - An exchange that fails (a GSSAPI error, a mutual-authentication failure) is
//!   [`reqwest_middleware::Error::Middleware`] wrapping the [`ClientError`](crate::client::ClientError):
//!   `err.downcast_ref::<ClientError>()` on the inner `anyhow::Error` gets it back.
//!
//! Channel bindings (feature `reqwest-rustls`): build the reqwest client with
//! `.tls_info(true)` and the middleware hands the certificate each HTTPS response came with
//! ([`reqwest::tls::TlsInfo::peer_certificate`]) to
//! [`ClientExchange::set_server_certificate`], so the tokens made for it carry
//! `tls-server-end-point` bindings (RFC 5929). An opportunistic first token is made before
//! the connection exists and so has none; the retry after a refusal has them.

use crate::client::{ClientExchange, NegotiateClient, Next, Sanitized, Verdict};
use ::reqwest::{Request, Response, Url};
use http::{Extensions, HeaderMap, StatusCode};
use reqwest_middleware::Middleware;

/// The middleware (see the [module docs](self)): cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct NegotiateMiddleware {
    client: NegotiateClient,
}

/// A request had to be sent again (a 401 or 407 Negotiate challenge) but its body cannot be
/// cloned (`reqwest::Body::wrap_stream`). Give the request a byte body, or authenticate first
/// with a request that has none (with sessions or cookies on the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request must be resent for Negotiate authentication but its body cannot be cloned")]
pub struct BodyNotCloneable;

impl NegotiateMiddleware {
    /// A middleware authenticating with `client`'s options.
    pub fn new(client: NegotiateClient) -> NegotiateMiddleware {
        NegotiateMiddleware { client }
    }

    /// The client whose options it uses.
    pub fn client(&self) -> &NegotiateClient {
        &self.client
    }
}

impl From<NegotiateClient> for NegotiateMiddleware {
    fn from(client: NegotiateClient) -> Self {
        NegotiateMiddleware::new(client)
    }
}

/// The host of `url` for the target name: without IPv6 brackets, without the port.
fn host_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .to_owned()
}

/// Runs `f` with the exchange on the blocking pool and gives the exchange back.
async fn offload<T: Send + 'static>(
    mut exchange: ClientExchange,
    f: impl FnOnce(&mut ClientExchange) -> T + Send + 'static,
) -> (ClientExchange, T) {
    let job = tokio::task::spawn_blocking(move || {
        let out = f(&mut exchange);
        (exchange, out)
    });
    match job.await {
        Ok(done) => done,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

fn middleware_error(
    e: impl std::error::Error + Send + Sync + 'static,
) -> reqwest_middleware::Error {
    reqwest_middleware::Error::middleware(e)
}

/// The sanitized stand-in for an error response: its status and URL, nothing else.
fn sanitized(status: StatusCode, url: &Url) -> Response {
    use ::reqwest::ResponseBuilderExt as _;
    let mut response = http::Response::builder()
        .status(status)
        .url(url.clone())
        .body(Vec::<u8>::new())
        .expect("a status and an empty body make a response");
    response.extensions_mut().insert(Verdict::NotVerified);
    response.extensions_mut().insert(Sanitized);
    Response::from(response)
}

/// The server certificate of a TLS response, if the client recorded it (`tls_info(true)`).
#[cfg(feature = "reqwest-rustls")]
fn peer_certificate(response: &Response) -> Option<Vec<u8>> {
    response
        .extensions()
        .get::<::reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .map(<[u8]>::to_vec)
}

#[cfg(not(feature = "reqwest-rustls"))]
fn peer_certificate(_: &Response) -> Option<Vec<u8>> {
    None
}

#[async_trait::async_trait]
impl Middleware for NegotiateMiddleware {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let mut exchange = self.client.exchange();
        if self.client.is_opportunistic() {
            let host = host_of(request.url());
            let (back, initial) = offload(exchange, move |x| x.initial(&host)).await;
            exchange = back;
            if let Some(headers) = initial.map_err(middleware_error)? {
                headers.apply(request.headers_mut());
            }
        }
        let mut certificate: Option<Vec<u8>> = None;
        loop {
            let retry = request.try_clone();
            let mut response = next.clone().run(request, extensions).await?;
            let status = response.status();
            if let Some(der) = peer_certificate(&response)
                && certificate.as_ref() != Some(&der)
            {
                exchange
                    .set_server_certificate(&der)
                    .map_err(middleware_error)?;
                certificate = Some(der);
            }
            let host = host_of(response.url());
            let headers: HeaderMap = response.headers().clone();
            let (back, next_step) =
                offload(exchange, move |x| x.response(&host, status, &headers)).await;
            exchange = back;
            match next_step.map_err(middleware_error)? {
                Next::Retry(auth) => {
                    let mut again = retry.ok_or_else(|| middleware_error(BodyNotCloneable))?;
                    if again.url() != response.url() {
                        *again.url_mut() = response.url().clone();
                    }
                    auth.apply(again.headers_mut());
                    request = again;
                }
                Next::Done(verdict) => {
                    response.extensions_mut().insert(verdict);
                    return Ok(response);
                }
                Next::Sanitize => return Ok(sanitized(status, response.url())),
            }
        }
    }
}
