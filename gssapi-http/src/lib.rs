//! HTTP Negotiate (RFC 4559: SPNEGO, Kerberos, NTLM) for clients and servers, over the system
//! GSSAPI library.
//!
//! ```no_run
//! use gssapi_http::client::{MutualAuthentication, NegotiateClient};
//! use gssapi_http::server::Acceptor;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Client: requests-gssapi's HTTPSPNEGOAuth(mutual_authentication=REQUIRED).
//! let client = NegotiateClient::builder()
//!     .mutual_authentication(MutualAuthentication::Required)
//!     .build();
//! // Drive it with any HTTP client (`client::ClientExchange`), or use the `reqwest` feature's
//! // middleware or the `blocking` helper.
//!
//! // Server: mod_auth_gssapi's `AuthType GSSAPI` with `GssapiCredStore keytab:...`.
//! let acceptor = Acceptor::builder().keytab("/etc/httpd.keytab").build()?;
//! // Call `acceptor.authenticate(headers, connection)` per request, or use the `tower`
//! // feature's layer and the `axum` feature's extractor.
//! # drop((client, acceptor));
//! # Ok(()) }
//! ```
//!
//! - [`header`]: the `WWW-Authenticate` / `Authorization` codec (linear time, bounded size,
//!   strict base64).
//! - [`client`]: the sans-IO client core: 401/407 rounds, mutual authentication, delegation,
//!   channel bindings ([`cbt`]).
//! - [`server`]: the sans-IO acceptor: shared credentials, mutual token, identity, delegated
//!   credentials in per-request `MEMORY:` ccaches, multi-leg contexts per connection,
//!   allow-lists, [`session`] cookies.
//! - Feature `tracing`: a span per client round and per server accept (host, target, status,
//!   verdict; outcome, principal, mechanism, delegation, status codes), never a header value,
//!   token or cookie (`docs/tracing.md`).
//!
//! Guides and porting tables (requests-gssapi, mod_auth_gssapi): `docs/http.md`.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod cbt;
pub mod client;
pub mod header;
#[cfg(feature = "reqwest")]
pub mod reqwest;
pub mod server;
pub mod session;
#[cfg(feature = "tower")]
pub mod tower;
mod trace;

/// The crate README's code blocks (crates.io's front page), compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadme;

/// The guide's code blocks (`docs/http.md`, and the README's), compiled as doctests so they stay true.
#[cfg(all(doctest, feature = "axum", feature = "reqwest", feature = "blocking"))]
mod guide {
    #[doc = include_str!("../../docs/http.md")]
    struct Http;
    #[doc = include_str!("../../README.md")]
    struct Readme;
}
