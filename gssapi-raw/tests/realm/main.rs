//! gssapi-raw against a real Kerberos realm: a KDC from gssapi-testrealm, the system GSSAPI
//! library, no mocks.
//!
//! This binary has its own `main` (libtest-mimic): it starts the realm and sets the Kerberos
//! environment (`KRB5_CONFIG`, `KRB5CCNAME`, `KRB5_KTNAME`, ...) while the process still has one
//! thread, then runs the tests on several threads. Tests that need another environment (an
//! expired ccache, say) run the binary again as a child process with `--exact` and the variables
//! set; the child sees `GSSAPI_TEST_CHILD` and uses the environment it was given.

#[path = "../common/mod.rs"]
mod common;

mod bad_inputs;
mod handshake;
mod messages;
mod names_creds;

pub(crate) use common::*;

/// Principals made in `main` before any test thread starts.
pub(crate) const ROTATED_SERVICE: &str = "rotated/localhost";
pub(crate) const KEYLESS_SERVICE: &str = "keyless/localhost";

fn main() {
    let tests = trials![
        handshake::krb5_with_mutual_auth,
        handshake::spnego_with_mutual_auth,
        handshake::delegation_and_second_hop,
        handshake::channel_bindings_match,
        handshake::channel_bindings_mismatch_is_bad_bindings,
        handshake::inquire_partial_and_complete_contexts,
        handshake::export_import_then_unwrap,
        handshake::delete_returns_token_and_empties_handle,
        handshake::process_context_token_after_delete,
        messages::wrap_unwrap_with_and_without_confidentiality,
        messages::mic_round_trip_both_directions,
        messages::flipped_mic_byte_is_bad_mic,
        messages::wrap_size_limit_fits,
        messages::replayed_and_reordered_wrap_tokens_are_errors,
        messages::wrap_on_empty_context_is_no_context,
        names_creds::names_import_display_compare,
        names_creds::canonicalize_export_import_round_trip,
        names_creds::mechs_and_name_types,
        names_creds::acquire_and_inquire_credentials,
        names_creds::add_cred_new_and_in_place,
        names_creds::acceptor_credentials_for_a_named_service,
        names_creds::duplicate_names_from_contexts,
        names_creds::canonicalize_to_negotiation_mechanisms,
        names_creds::add_cred_for_spnego,
        bad_inputs::truncated_tokens,
        bad_inputs::random_tokens_to_accept,
        bad_inputs::empty_second_spnego_token,
        bad_inputs::replayed_ap_req_to_second_acceptor,
        bad_inputs::import_name_bad_inputs,
        bad_inputs::exported_names_are_checked_exactly,
        bad_inputs::garbage_to_import_sec_context,
        bad_inputs::truncated_exported_contexts,
        bad_inputs::continue_without_a_token_is_an_error,
        bad_inputs::truncated_spnego_replies_are_typed_errors,
        bad_inputs::expired_credentials,
        bad_inputs::expired_credentials_child,
        bad_inputs::service_key_not_in_keytab,
        bad_inputs::unknown_service_principal,
    ];
    common::run(tests, |realm| {
        // Fixtures: a service whose key changed after its keytab was written, and one that
        // has no key in the keytab at all.
        realm.add_principal(ROTATED_SERVICE, None).unwrap();
        realm
            .extract_keytab(
                ROTATED_SERVICE,
                std::path::Path::new(realm.keytab().trim_start_matches("FILE:")),
            )
            .unwrap();
        realm.rotate_key(ROTATED_SERVICE).unwrap();
        realm.add_principal(KEYLESS_SERVICE, None).unwrap();
    });
}
