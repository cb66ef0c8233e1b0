//! The server (`Acceptor`, `NegotiateLayer`, `Negotiated`) over real TCP on 127.0.0.1, against
//! real clients: curl `--negotiate`, requests-gssapi, and the Rust client under load; NTLM
//! through SPNEGO with gss-ntlmssp; sessions; bad requests; tickets the server must refuse.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;
// The client suite's servers and clients (some of its helpers serve only that suite).
#[allow(dead_code)]
#[path = "../client/support.rs"]
mod support;

mod app;
mod bad;
mod load;
mod ntlm;
mod peers;

pub(crate) use common::*;
pub(crate) use libtest_mimic::Failed;

fn main() {
    let tests = trials![
        peers::curl_negotiate,
        peers::curl_delegation_always,
        peers::requests_gssapi_required,
        peers::requests_gssapi_delegate,
        peers::requests_gssapi_required_refuses_unauthenticated_200,
        load::many_clients_no_ccache_left,
        ntlm::ntlm_through_spnego,
        ntlm::ntlm_through_spnego_child,
        ntlm::ntlm_pending_bounds,
        ntlm::ntlm_pending_bounds_child,
        ntlm::ntlm_refused_by_keytab_acceptor,
        bad::bad_headers_over_http,
        bad::replayed_token_over_http,
        bad::ticket_for_another_service,
        bad::expired_ticket,
        bad::expired_ticket_child,
        bad::sessions_over_http,
        bad::allow_list_over_http,
    ];
    run(tests, app::fixtures)
}
