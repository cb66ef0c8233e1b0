//! Negotiate for synchronous HTTP clients (feature `blocking`): [`send`] drives one request's
//! exchange through a closure that sends the request with the headers it is given.
//!
//! ```no_run
//! use gssapi_http::blocking;
//! use gssapi_http::client::{MutualAuthentication, NegotiateClient, Sanitized, Verdict};
//! use http::HeaderMap;
//!
//! /// Your HTTP client: sends GET `url` with `headers`, returns the response.
//! fn get(url: &str, headers: &HeaderMap) -> Result<http::Response<Vec<u8>>, std::io::Error> {
//!     # Ok(http::Response::new(format!("GET {url}, {} headers", headers.len()).into_bytes()))
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = NegotiateClient::builder()
//!     .mutual_authentication(MutualAuthentication::Required)
//!     .build();
//! let response = blocking::send(&client, "www.example.com", |headers| {
//!     get("http://www.example.com/", headers)
//! })?;
//! if response.extensions().get::<Sanitized>().is_some() {
//!     // An error response the server could not authenticate: body and headers dropped.
//! }
//! assert_eq!(response.extensions().get::<Verdict>(), Some(&Verdict::Authenticated));
//! println!("{}", String::from_utf8_lossy(response.body()));
//! # Ok(()) }
//! ```
//!
//! The closure is called once per round: first with the initial headers (a token when the
//! client is [opportunistic](crate::client::ClientBuilder::opportunistic), else none), then
//! after each 401/407 Negotiate challenge with the answer to it. It must send the whole
//! request each time (body included) to the same URL, and it must not follow redirects on
//! its own: the token is made for `host`, and a redirect target needs its own (call [`send`]
//! again with the new host; e.g. `reqwest::redirect::Policy::none()` for
//! `reqwest::blocking`).
//!
//! The response comes back as the closure returned it, with the exchange's [`Verdict`] in its
//! extensions. When the exchange says to sanitize ([`Next::Sanitize`]: an error response that
//! could not be authenticated under mutual authentication `Required`), the response is
//! replaced by one with the same status, no headers, the body `B::default()` (empty for
//! `Vec<u8>`, `String`, `bytes::Bytes`, ...) and the [`Sanitized`] marker in its extensions:
//! the unauthenticated body never reaches the caller, and the marker says why it is empty.
//!
//! For channel bindings put the server's certificate (DER) into the response's extensions as
//! [`ServerCertificate`] (a TLS client knows it once connected): the tokens made after that
//! response carry `tls-server-end-point` bindings. Or, when the certificate is known before
//! the first request, call [`ClientExchange::set_server_certificate`] and use
//! [`send_exchange`].

use crate::client::{ClientError, ClientExchange, NegotiateClient, Next, Sanitized, Verdict};
use http::{HeaderMap, Response};

/// Why [`send`] failed.
#[derive(Debug, thiserror::Error)]
pub enum BlockingError<E> {
    /// The closure failed to send the request (the HTTP client's error).
    #[error("sending the request: {0}")]
    Send(#[source] E),
    /// The Negotiate exchange failed: a GSSAPI error, a challenge that did not parse, a
    /// mutual-authentication failure (do not trust the response), ...
    #[error(transparent)]
    Negotiate(#[from] ClientError),
}

/// The server certificate (DER) of the TLS connection a response came over, for channel
/// bindings: put it in the response's extensions (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCertificate(pub Vec<u8>);

/// Sends one request to `host` (the URL's host: the target is `HTTP@host` unless the client
/// overrides it) with `client`'s options; see the [module docs](self).
pub fn send<B, E>(
    client: &NegotiateClient,
    host: &str,
    send: impl FnMut(&HeaderMap) -> Result<Response<B>, E>,
) -> Result<Response<B>, BlockingError<E>>
where
    B: Default,
{
    send_exchange(client.exchange(), host, send)
}

/// [`send`] with an exchange prepared by the caller (channel bindings set beforehand).
pub fn send_exchange<B, E>(
    mut exchange: ClientExchange,
    host: &str,
    mut send: impl FnMut(&HeaderMap) -> Result<Response<B>, E>,
) -> Result<Response<B>, BlockingError<E>>
where
    B: Default,
{
    let mut headers = HeaderMap::new();
    if let Some(auth) = exchange.initial(host)? {
        auth.apply(&mut headers);
    }
    let mut certificate: Option<Vec<u8>> = None;
    loop {
        let mut response = send(&headers).map_err(BlockingError::Send)?;
        if let Some(ServerCertificate(der)) = response.extensions().get::<ServerCertificate>()
            && certificate.as_ref() != Some(der)
        {
            exchange.set_server_certificate(der)?;
            certificate = Some(der.clone());
        }
        match exchange.response(host, response.status(), response.headers())? {
            Next::Retry(auth) => auth.apply(&mut headers),
            Next::Done(verdict) => {
                response.extensions_mut().insert(verdict);
                return Ok(response);
            }
            Next::Sanitize => {
                let mut clean = Response::new(B::default());
                *clean.status_mut() = response.status();
                *clean.version_mut() = response.version();
                clean.extensions_mut().insert(Verdict::NotVerified);
                clean.extensions_mut().insert(Sanitized);
                return Ok(clean);
            }
        }
    }
}
