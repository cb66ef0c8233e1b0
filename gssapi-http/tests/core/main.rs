//! The sans-IO cores against a real realm: the client exchange and the acceptor talk through
//! header maps only (no sockets), so every status and header rule is checked exactly.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

mod sansio;

pub(crate) use common::*;

fn main() {
    let tests = trials![
        sansio::round_trip_with_mutual_token,
        sansio::no_credentials_gets_bare_challenge,
        sansio::replayed_token_is_refused,
        sansio::delegated_credentials_live_with_the_identity,
        sansio::keytab_with_service_name,
        sansio::accepts_on_many_threads,
    ];
    run(tests, |_| {})
}
