//! A Negotiate-protected axum server: who you are, your local name, and with delegation
//! whether your forwarded tickets work for a second hop.
//!
//! ```text
//! cargo run -p gssapi-http --features axum --example axum_server -- --keytab /etc/http.keytab --listen 127.0.0.1:8080
//! curl --negotiate -u : --delegation always http://$(hostname -f):8080/
//! cargo run -p gssapi-http --features axum --example axum_server -- --demo
//! ```
//!
//! `--demo` makes a throwaway realm, serves on 127.0.0.1, runs `curl --negotiate
//! --delegation always` against itself once, prints what curl got, and exits.

use axum::Router;
use axum::routing::get;
use gssapi::{Mechanism, Name, SecurityContext};
use gssapi_http::axum::Negotiated;
use gssapi_http::server::{Acceptor, Identity};
use gssapi_http::tower::NegotiateLayer;
use std::net::SocketAddr;

/// The page: the identity and, if the client delegated, a second hop to `host@localhost`
/// with its tickets (blocking GSSAPI work: on the blocking pool).
async fn whoami(Negotiated(who): Negotiated) -> String {
    tokio::task::spawn_blocking(move || describe(&who))
        .await
        .unwrap_or_else(|e| format!("the handler failed: {e}\n"))
}

fn describe(who: &Identity) -> String {
    let mut page = format!(
        "principal: {}\nlocal name: {}\nmechanism: {}\nflags: {:?}\n",
        who.principal(),
        who.local_name().unwrap_or_else(|e| format!("({e})")),
        who.mech(),
        who.flags(),
    );
    match who.delegated() {
        None => page.push_str("delegated: no\n"),
        Some(d) => {
            page.push_str(&format!("delegated: yes, in {}\n", d.ccache_name()));
            // The second hop: authenticate onward as the user (a real service would now
            // talk to a database or another web service with `d.credentials()`).
            let hop = Name::hostbased_service("host@localhost").and_then(|target| {
                SecurityContext::initiator(&target)
                    .credentials(d.credentials())
                    .mech(&Mechanism::KERBEROS)
                    .build()
                    .step(None)
            });
            page.push_str(&match hop {
                Ok(_) => "second hop to host@localhost: ticket obtained\n".to_owned(),
                Err(e) => format!("second hop to host@localhost: {e}\n"),
            });
        }
    }
    page
}

fn app(acceptor: Acceptor) -> Router {
    Router::new()
        .route("/", get(whoami))
        .layer(NegotiateLayer::new(acceptor))
        .route("/health", get(|| async { "ok\n" }))
}

async fn serve(listener: tokio::net::TcpListener, acceptor: Acceptor) -> std::io::Result<()> {
    // ConnectInfo: multi-leg mechanisms keep their partial context per connection.
    let make = app(acceptor).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, make).await
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--demo") {
        return demo();
    }
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(keytab), Some(listen)) = (value("--keytab"), value("--listen")) else {
        return Err("usage: axum_server --keytab FILE --listen ADDR | --demo".into());
    };
    let acceptor = Acceptor::builder().keytab(keytab).build()?;
    tokio::runtime::Runtime::new()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(&listen).await?;
        println!("serving on http://{listen}/");
        serve(listener, acceptor).await?;
        Ok(())
    })
}

fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let realm = gssapi_testrealm::Realm::new()?;
    // The realm's krb5.conf (where its KDC is, for the second hop), for this process. The
    // acceptor reads the keytab through the credential store, not from the environment.
    // SAFETY: the process has one thread: the runtime starts below.
    unsafe { std::env::set_var("KRB5_CONFIG", realm.krb5_conf()) };
    let runtime = tokio::runtime::Runtime::new()?;
    let acceptor = Acceptor::builder().keytab(realm.keytab()).build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let port = listener.local_addr()?.port();
    runtime.spawn(serve(listener, acceptor));
    let out = realm
        .command("curl")
        .args([
            "--negotiate",
            "-u",
            ":",
            "--delegation",
            "always",
            "-sS",
            "--fail",
        ])
        .arg(format!("http://localhost:{port}/"))
        .output()?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let page = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !page.contains("ticket obtained") {
        return Err(format!("curl --negotiate failed ({})", out.status).into());
    }
    Ok(())
}
