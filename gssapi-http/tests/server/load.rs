//! The Rust client against the Rust server under load: 64 concurrent clients, 10,000
//! requests, every one delegating; two users, so a request that saw the other user's tickets
//! would show.

use crate::app;
use crate::peers::holds_tickets;
use crate::support::{self, OTHER_USER, http, rt};
use crate::*;
use gssapi::{Credentials, Mechanism};
use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
use std::collections::HashSet;

const CLIENTS: usize = 64;
const REQUESTS: usize = 10_000;

pub fn many_clients_no_ccache_left() -> TestResult {
    let acceptor = app::acceptor();
    let (server, ccaches) = app::serve(acceptor.clone(), false);
    let url = server.url("localhost");
    let user = realm().user_principal();
    let other = format!("{OTHER_USER}@{}", realm().realm_name());
    let other_creds = Credentials::initiator_from_ccache(&support::other_ccache()).map_err(fail)?;

    let results = rt().block_on(async {
        let mut tasks = Vec::new();
        for i in 0..CLIENTS {
            // Even clients are the default user (SPNEGO), odd ones the second user (its
            // imported Kerberos credentials); each client its own connection pool.
            let mut b = NegotiateClient::builder()
                .mutual_authentication(MutualAuthentication::Required)
                .delegate(true);
            let expect = if i % 2 == 0 {
                user.clone()
            } else {
                b = b.credentials(other_creds.clone()).mech(Mechanism::KERBEROS);
                other.clone()
            };
            let client = http(b.build());
            let n = REQUESTS / CLIENTS + usize::from(i < REQUESTS % CLIENTS);
            let url = url.clone();
            tasks.push(tokio::spawn(async move {
                let mut ok = 0usize;
                for _ in 0..n {
                    let response = client.get(&url).send().await.map_err(|e| e.to_string())?;
                    let status = response.status();
                    let verdict = response.extensions().get::<Verdict>().copied();
                    let body = response.text().await.map_err(|e| e.to_string())?;
                    let want = format!("principal={expect} ");
                    let holder = format!("delegated={expect} ccache=MEMORY:");
                    if status != 200
                        || verdict != Some(Verdict::Authenticated)
                        || !body.starts_with(&want)
                        || !body.contains(&holder)
                    {
                        return Err(format!("client {i}: {status} {verdict:?} {body}"));
                    }
                    ok += 1;
                }
                Ok::<usize, String>(ok)
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.push(t.await.map_err(|e| e.to_string()).and_then(|r| r));
        }
        all
    });
    let mut ok = 0;
    for r in results {
        ok += r.map_err(Failed::from)?;
    }
    check!(ok == REQUESTS, "{ok} of {REQUESTS} succeeded");

    // Every request had its own ccache holding its own user's tickets ...
    let seen = ccaches.lock().unwrap().clone();
    check!(seen.len() == REQUESTS, "{} ccaches seen", seen.len());
    let names: HashSet<&str> = seen.iter().map(|s| s.ccache.as_str()).collect();
    check!(
        names.len() == REQUESTS,
        "{} distinct ccache names",
        names.len()
    );
    if let Some(mixed) = seen.iter().find(|s| s.holder != s.principal) {
        return Err(format!(
            "a request of {} saw {}'s tickets",
            mixed.principal, mixed.holder
        )
        .into());
    }
    // ... and none is left: the acceptor's count, and the library's view of each name.
    check!(
        acceptor.delegated_live() == 0,
        "{} left",
        acceptor.delegated_live()
    );
    for s in &seen {
        check!(
            !holds_tickets(&s.ccache)?,
            "{} still holds tickets",
            s.ccache
        );
    }
    Ok(())
}
