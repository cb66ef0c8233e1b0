//! The client adapters (reqwest middleware, blocking driver) over real TCP on 127.0.0.1:
//! against the Rust server (axum + `NegotiateLayer`), against small misbehaving servers
//! written here, and against an independent python-gssapi server.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

mod bad;
mod blocking;
mod interop;
mod options;
mod support;
mod tls;

pub(crate) use common::*;
pub(crate) use libtest_mimic::Failed;

fn main() {
    let tests = trials![
        options::mutual_required_authenticates,
        options::mutual_optional_authenticates,
        options::mutual_disabled_does_not_ask,
        options::opportunistic_sends_the_first_token,
        options::target_host_overrides_the_url,
        options::service_other_than_http,
        options::explicit_credentials,
        options::explicit_mech_kerberos,
        options::delegation,
        options::max_rounds_bounds_the_challenges,
        options::limits_bound_the_challenge,
        options::proxy_407_then_origin_401,
        options::proxy_407_without_proxy_host,
        options::redirect_to_another_host,
        options::non_cloneable_body,
        bad::endless_401,
        bad::ok_without_token,
        bad::forged_final_token,
        bad::replayed_final_token,
        bad::error_response_sanitized,
        bad::basic_and_negotiate_offered,
        bad::non_base64_token_on_200,
        tls::matching_bindings_accepted,
        tls::wrong_bindings_refused,
        tls::missing_initiator_bindings,
        blocking::round_trip,
        blocking::sanitized_error_response,
        blocking::send_error_passes_through,
        blocking::channel_bindings_from_extension,
        interop::python_gssapi_server,
    ];
    run(tests, support::fixtures)
}
