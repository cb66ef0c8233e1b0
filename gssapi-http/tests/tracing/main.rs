//! The `tracing` feature of gssapi-http against a real realm and real HTTP: a Negotiate
//! request with delegation and mutual authentication (reqwest with the middleware, axum with
//! the layer), a session cookie, and refused requests. Everything both sides trace (TRACE,
//! every span event, every field; the crates' own spans and gssapi's inside them) must name
//! each round and accept with its outcome, and hold no `Authorization` value, token or
//! cookie in any encoding.
//!
//! The server's work runs on tokio's blocking pool, so the subscriber is the process's
//! (installed in `main` before any thread starts) and the tests run one at a time, each
//! reading the output written since it began.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;
// The client suite's servers and clients (some of its helpers serve only that suite).
#[path = "../../../gssapi/tests/tracing/capture.rs"]
mod capture;
#[allow(dead_code)]
#[path = "../client/support.rs"]
mod support;

mod cases;

pub(crate) use common::*;
pub(crate) use libtest_mimic::Failed;

fn main() {
    cases::install();
    let tests = trials![
        cases::negotiate_with_delegation_and_session,
        cases::refusals_carry_outcomes_and_codes,
        cases::client_failure_carries_codes,
    ];
    run(tests, support::fixtures)
}
