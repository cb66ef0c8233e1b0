//! The axum extractor (feature `axum`): [`Negotiated`], the identity the
//! [`NegotiateLayer`](crate::tower::NegotiateLayer) authenticated.
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use gssapi_http::axum::Negotiated;
//! use gssapi_http::server::Acceptor;
//! use gssapi_http::tower::NegotiateLayer;
//!
//! async fn hello(Negotiated(who): Negotiated) -> String {
//!     match who.delegated() {
//!         // Act as the user towards another service with `d.credentials()`.
//!         Some(d) => format!("hello {}, your tickets are in {}", who.principal(), d.ccache_name()),
//!         None => format!("hello {}", who.principal()),
//!     }
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let acceptor = Acceptor::builder().keytab("/etc/httpd.keytab").build()?;
//! let app: Router = Router::new().route("/", get(hello)).layer(NegotiateLayer::new(acceptor));
//! // Serve with ConnectInfo so multi-leg mechanisms (NTLM) keep their context per connection:
//! // axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
//! # drop(app);
//! # Ok(()) }
//! ```

use crate::server::Identity;
use crate::tower::Authenticated;
use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;
use std::sync::Arc;

/// The authenticated identity of the request (a handler argument).
#[derive(Debug, Clone)]
pub struct Negotiated(pub Arc<Identity>);

/// The extractor found no identity: the route is not behind a `NegotiateLayer` (a server
/// bug, so 500, not 401).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the route is not behind gssapi_http::tower::NegotiateLayer")]
pub struct NoLayer;

impl IntoResponse for NoLayer {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, self.to_string()).into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Negotiated {
    type Rejection = NoLayer;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Authenticated>()
            .map(|a| Negotiated(a.0.clone()))
            .ok_or(NoLayer)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Negotiated {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Authenticated>()
            .map(|a| Negotiated(a.0.clone())))
    }
}
