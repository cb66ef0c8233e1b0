//! gssapi::sasl against a real realm: the Rust client and server with each security layer, and
//! every bad input the issue lists, each a typed error.
//!
//! Same harness as the other realm suites: the realm starts in `main` and its environment is
//! set before any test thread exists.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

mod bad_input;
mod cyrus;
mod exchange;
mod spnego;

pub(crate) use common::*;

use gssapi::sasl::{
    ChallengeResponse, ClientCredentials, ClientMechanism, GssapiClient, GssapiCredentials,
    GssapiServer, SaslError, ServerChallenge, ServerMechanism, ServerOutcome, Session,
};

/// Drives a whole exchange between `client` and `server`; returns the client's session, the
/// server's credentials and the number of challenges.
pub(crate) fn run_exchange(
    client: &mut GssapiClient,
    creds: &ClientCredentials,
    server: &mut GssapiServer,
) -> Result<(GssapiCredentials, usize), SaslError> {
    let mut responses: Vec<ChallengeResponse> = Vec::new();
    let mut challenges: Vec<ServerChallenge> = Vec::new();
    // With an initial response, as LDAP and IMAP's SASL-IR send it.
    responses.push(client.client_attempt(creds, &challenges)?);
    loop {
        match server.server_attempt(&responses)? {
            ServerOutcome::Challenge(c) => {
                challenges.push(c);
                responses.push(client.client_attempt(creds, &challenges)?);
            }
            ServerOutcome::Success {
                credentials,
                final_response,
            } => {
                // Success with data (GSS-SPNEGO's last token): the client takes it like a
                // challenge and has nothing to answer.
                if let Some(data) = final_response {
                    challenges.push(ServerChallenge(data));
                    let last = client.client_attempt(creds, &challenges)?;
                    if !last.response.is_empty() {
                        return Err(SaslError::InvalidResponse {
                            reason: "the client answered the success data",
                        });
                    }
                }
                return Ok((credentials, challenges.len()));
            }
        }
    }
}

/// A client and server with these settings, exchanged: (client session, server credentials).
pub(crate) fn sessions(
    client: GssapiClient,
    creds: &ClientCredentials,
    server: GssapiServer,
) -> Result<(Session, GssapiCredentials), SaslError> {
    let mut client = client;
    let mut server = server;
    let (credentials, _) = run_exchange(&mut client, creds, &mut server)?;
    Ok((client.into_session()?, credentials))
}

/// The test realm's host service as a client towards it.
pub(crate) fn client() -> GssapiClient {
    GssapiClient::for_service("host@localhost").unwrap()
}

fn main() {
    let tests = trials![
        exchange::each_layer_with_and_without_authzid,
        exchange::without_initial_response,
        exchange::layer_bounds_pick_the_strongest_common,
        exchange::messages_split_at_the_peer_max_buffer,
        exchange::delegation_only_when_asked,
        exchange::authorization_is_the_applications,
        exchange::traits_and_names,
        spnego::gss_spnego_layers_follow_the_context,
        spnego::gss_spnego_refusals,
        bad_input::offer_not_four_bytes,
        bad_input::offer_with_zero_max_buffer,
        bad_input::offer_without_acceptable_layer,
        bad_input::challenge_after_completion,
        bad_input::choice_of_a_layer_not_offered,
        bad_input::choice_with_zero_max_buffer,
        bad_input::choice_malformed,
        bad_input::authzid_with_nul,
        bad_input::frame_length_all_ones,
        bad_input::frame_over_the_max_buffer,
        bad_input::frame_split_at_every_boundary,
        bad_input::session_decodes_frames_split_anywhere,
        bad_input::tampered_frame,
        bad_input::unencrypted_frame_under_confidentiality,
        bad_input::history_misuse,
        bad_input::empty_token_where_one_is_due,
        cyrus::cyrus_server_rust_client,
        cyrus::rust_server_cyrus_client,
        cyrus::gss_spnego_with_cyrus,
    ];
    common::run(tests, |_| {});
}
