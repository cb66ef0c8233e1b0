//! The server under test: axum with `NegotiateLayer`, a handler that reports the identity
//! and, with delegation, what the delegated credentials can do.

use crate::support::{self, Server};
use crate::*;
use axum::Router;
use axum::routing::any;
use gssapi::{Flags, Mechanism, Name, SecurityContext};
use gssapi_http::axum::Negotiated;
use gssapi_http::server::{Acceptor, Identity};
use gssapi_http::tower::NegotiateLayer;
use gssapi_testrealm::Realm;
use std::sync::{Arc, Mutex};

/// The NTLM user (gss-ntlmssp's user file: `DOMAIN:user:password`).
pub const NTLM_DOMAIN: &str = "TESTDOM";
pub const NTLM_USER: &str = "ntlmuser";
pub const NTLM_PASSWORD: &str = "ntlm-Passw0rd";

pub fn fixtures(realm: &Realm) {
    support::fixtures(realm);
    std::fs::write(
        ntlm_user_file_in(realm),
        format!("{NTLM_DOMAIN}:{NTLM_USER}:{NTLM_PASSWORD}\n"),
    )
    .expect("write the NTLM user file");
}

fn ntlm_user_file_in(realm: &Realm) -> std::path::PathBuf {
    realm.dir().join("ntlm-users")
}

/// gss-ntlmssp's user file for acceptors.
pub fn ntlm_user_file() -> String {
    ntlm_user_file_in(realm()).display().to_string()
}

/// What the handler saw of one request's delegated ccache.
#[derive(Debug, Clone)]
pub struct SeenCcache {
    pub principal: String,
    pub ccache: String,
    pub holder: String,
}

/// The handler's record of delegated ccaches, shared with the test.
pub type Ccaches = Arc<Mutex<Vec<SeenCcache>>>;

/// One line about the identity; with delegation, whose tickets the ccache holds and, if
/// `hop`, whether they initiate onward to `host@localhost` (the second hop).
pub fn describe(who: &Identity, hop: bool, ccaches: &Ccaches) -> String {
    let mech = if who.mech() == &Mechanism::KERBEROS {
        "krb5".to_owned()
    } else if who.mech() == &Mechanism::NTLMSSP {
        "ntlm".to_owned()
    } else {
        who.mech().to_string()
    };
    let local = who.local_name().unwrap_or_else(|e| format!("<{e}>"));
    let mut line = format!(
        "principal={} local={local} mech={mech} mutual={} ",
        who.principal(),
        who.flags().contains(Flags::MUTUAL)
    );
    match who.delegated() {
        None => line.push_str("delegated=none"),
        Some(d) => {
            let holder = match d.credentials().name() {
                Ok(n) => n.to_string(),
                Err(e) => format!("<{e}>"),
            };
            ccaches.lock().unwrap().push(SeenCcache {
                principal: who.principal().to_owned(),
                ccache: d.ccache_name().to_owned(),
                holder: holder.clone(),
            });
            line.push_str(&format!("delegated={holder} ccache={}", d.ccache_name()));
            if hop {
                let onward = Name::hostbased_service("host@localhost").and_then(|target| {
                    SecurityContext::initiator(&target)
                        .credentials(d.credentials())
                        .mech(&Mechanism::KERBEROS)
                        .build()
                        .step(None)
                });
                line.push_str(&format!(" hop={}", onward.is_ok_and(|t| t.is_some())));
            }
        }
    }
    line
}

/// The acceptor with every key of the realm's keytab.
pub fn acceptor() -> Acceptor {
    support::acceptor()
}

/// Every path behind `NegotiateLayer`, answered by [`describe`] (on the blocking pool: the
/// second hop talks to the KDC).
pub fn app(acceptor: Acceptor, hop: bool, ccaches: Ccaches) -> Router {
    Router::new()
        .fallback(any(move |Negotiated(who): Negotiated| {
            let ccaches = ccaches.clone();
            async move {
                tokio::task::spawn_blocking(move || describe(&who, hop, &ccaches))
                    .await
                    .expect("the handler did not panic")
            }
        }))
        .layer(NegotiateLayer::new(acceptor))
}

/// [`app`] served on 127.0.0.1 with `ConnectInfo` (multi-leg contexts per connection).
pub fn serve(acceptor: Acceptor, hop: bool) -> (Server, Ccaches) {
    let ccaches = Ccaches::default();
    let server = support::serve_with_connect_info(app(acceptor, hop, ccaches.clone()));
    (server, ccaches)
}

/// An HTTP/1.1 response as text: its status, its headers (names lower-cased) and its body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Parses one HTTP/1.1 response (status line, headers, blank line, body).
pub fn parse_response(text: &str) -> Result<Response, Failed> {
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no end of headers: {text:?}"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: body.to_owned(),
    })
}
