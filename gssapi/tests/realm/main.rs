//! The gssapi crate against a real realm (gssapi-testrealm's KDC, the system library).
//!
//! Same harness as gssapi-raw's realm tests: the realm starts in `main`, its environment is set
//! before any test thread exists, and the trials run on the libtest-mimic harness.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

mod api;
mod extras;
mod misuse;
#[cfg(feature = "sealed")]
mod sealed;
mod threads;

pub(crate) use common::*;

use gssapi::{Flags, Mechanism, Name, SecurityContext};

/// Runs a full exchange with the high-level API; returns (initiator, acceptor, legs).
pub(crate) fn handshake(
    mech: Option<&Mechanism>,
    flags: Flags,
    acceptor_creds: Option<&gssapi::Credentials>,
) -> Result<(SecurityContext, SecurityContext, usize), gssapi::Error> {
    let target = Name::hostbased_service("host@localhost")?;
    let mut builder = SecurityContext::initiator(&target).flags(flags);
    if let Some(m) = mech {
        builder = builder.mech(m);
    }
    let mut client = builder.build();
    let mut server = SecurityContext::acceptor(acceptor_creds).build();
    let mut legs = 0;
    let mut to_server = client.step(None)?;
    legs += 1;
    while let Some(token) = to_server.take() {
        let reply = server.step(Some(&token))?;
        legs += 1;
        if let Some(reply) = reply {
            to_server = client.step(Some(&reply))?;
            legs += 1;
        }
    }
    Ok((client, server, legs))
}

fn main() {
    #[allow(unused_mut)]
    let mut tests = trials![
        api::krb5_and_spnego_handshakes,
        api::names,
        api::credentials,
        api::mechanisms,
        api::delegation_second_hop,
        api::messages_both_ways,
        api::export_import,
        api::out_of_sequence_tokens,
        api::channel_bindings,
        api::failed_step_carries_peer_token,
        extras::name_extensions,
        extras::credential_sources,
        extras::delegated_into_memory_ccache,
        extras::temporary_ccache_for_delegated_credentials,
        extras::credentials_from_named_keytab_and_ccache,
        extras::raw_and_high_level_interoperate,
        extras::negotiable_mechanisms,
        extras::session_key_and_in_place,
        extras::mechanism_extensions,
        extras::remaining_api,
        misuse::step_after_completion,
        misuse::calls_before_completion,
        misuse::acceptor_without_token,
        misuse::initiator_without_reply,
        misuse::decrypt_of_signed_only_message,
        misuse::mic_from_another_context,
        misuse::after_export,
        threads::sixty_four_threads_share_acceptor_credentials,
        threads::ten_thousand_handshakes_keep_memory_flat,
    ];
    #[cfg(feature = "sealed")]
    tests.extend(trials![sealed::sealed_contexts_and_credentials]);
    common::run(tests, |realm| {
        realm.add_principal("keyless/localhost", None).unwrap();
    });
}
