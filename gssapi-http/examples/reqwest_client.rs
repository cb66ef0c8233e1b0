//! The reqwest middleware against the axum layer, over real TCP on 127.0.0.1, with a throwaway
//! realm: `cargo run -p gssapi-http --features reqwest,axum --example reqwest_client`.
//!
//! The client asks for mutual authentication (`Required`), so the answer is only returned once
//! the server's final token proved it is `HTTP/localhost`.

use axum::Router;
use axum::routing::get;
use gssapi_http::axum::Negotiated;
use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
use gssapi_http::reqwest::NegotiateMiddleware;
use gssapi_http::server::Acceptor;
use gssapi_http::tower::NegotiateLayer;
use gssapi_testrealm::Realm;

async fn hello(Negotiated(who): Negotiated) -> String {
    format!("hello {} (mechanism {})", who.principal(), who.mech())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // With the `reqwest-rustls` feature (channel bindings), reqwest's rustls has no crypto
    // provider of its own: install one before building a client.
    #[cfg(feature = "reqwest-rustls")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let realm = Realm::new()?;
    for (key, value) in realm.env() {
        // SAFETY: the process has one thread: the runtime starts below.
        unsafe { std::env::set_var(key, value) };
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        // The server: every route behind Negotiate, acceptor keys from the realm's keytab.
        let acceptor = Acceptor::builder().keytab(realm.keytab()).build()?;
        let app = Router::new()
            .route("/", get(hello))
            .layer(NegotiateLayer::new(acceptor));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        tokio::spawn(async move { axum::serve(listener, app).await });

        // The client: reqwest with the middleware; the default ccache holds the user's TGT.
        let negotiate = NegotiateClient::builder()
            .mutual_authentication(MutualAuthentication::Required)
            .build();
        let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
            .with(NegotiateMiddleware::new(negotiate))
            .build();
        let response = http.get(format!("http://localhost:{port}/")).send().await?;
        let status = response.status();
        let verdict = response.extensions().get::<Verdict>().copied();
        let body = response.text().await?;
        println!("{status} {verdict:?}: {body}");
        if !status.is_success() || verdict != Some(Verdict::Authenticated) {
            return Err("the request was not authenticated".into());
        }
        Ok(())
    })
}
