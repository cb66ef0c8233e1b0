//! The blocking driver with `reqwest::blocking` against the axum layer, over real TCP on
//! 127.0.0.1, with a throwaway realm:
//! `cargo run -p gssapi-http --features blocking,axum --example blocking_client`.
//!
//! Any synchronous client works the same way: `gssapi_http::blocking::send` calls the closure
//! with the headers to send and reads the status and headers of what it returns.

use axum::Router;
use axum::routing::get;
use gssapi_http::axum::Negotiated;
use gssapi_http::blocking;
use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
use gssapi_http::server::Acceptor;
use gssapi_http::tower::NegotiateLayer;
use gssapi_testrealm::Realm;

async fn hello(Negotiated(who): Negotiated) -> String {
    format!("hello {}", who.principal())
}

/// One GET with `reqwest::blocking`, as an `http::Response` with the body read.
fn get_url(
    http: &reqwest::blocking::Client,
    url: &str,
    headers: &http::HeaderMap,
) -> reqwest::Result<http::Response<Vec<u8>>> {
    let response = http.get(url).headers(headers.clone()).send()?;
    let mut out = http::Response::builder().status(response.status());
    if let Some(h) = out.headers_mut() {
        *h = response.headers().clone();
    }
    let body = response.bytes()?.to_vec();
    Ok(out.body(body).expect("status and headers from a response"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // With the `reqwest-rustls` feature (channel bindings), reqwest's rustls has no crypto
    // provider of its own: install one before building a client.
    #[cfg(feature = "reqwest-rustls")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let realm = Realm::new()?;
    for (key, value) in realm.env() {
        // SAFETY: the process has one thread: the server's runtime starts below.
        unsafe { std::env::set_var(key, value) };
    }

    // The server, on its own runtime's threads.
    let runtime = tokio::runtime::Runtime::new()?;
    let acceptor = Acceptor::builder().keytab(realm.keytab()).build()?;
    let app = Router::new()
        .route("/", get(hello))
        .layer(NegotiateLayer::new(acceptor));
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let port = listener.local_addr()?.port();
    runtime.spawn(async move { axum::serve(listener, app).await });

    // The client: synchronous; redirects off, so every token is for the host it reaches.
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let negotiate = NegotiateClient::builder()
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let url = format!("http://localhost:{port}/");
    let response = blocking::send(&negotiate, "localhost", |headers| {
        get_url(&http, &url, headers)
    })?;
    let verdict = response.extensions().get::<Verdict>().copied();
    println!(
        "{} {verdict:?}: {}",
        response.status(),
        String::from_utf8_lossy(response.body())
    );
    if !response.status().is_success() || verdict != Some(Verdict::Authenticated) {
        return Err("the request was not authenticated".into());
    }
    Ok(())
}
