//! Rust client against Rust server.

use crate::{TestResult, check, client, fail, realm, run_exchange, sessions};
use gssapi::sasl::{
    ChallengeResponse, ClientCredentials, ClientMechanism, GssapiServer, Layer, SaslError,
    ServerChallenge, ServerCredentials, ServerMechanism, ServerOutcome, Session,
};

/// One message each way through the layer; returns what the client put on the wire.
fn message_each_way(client: &mut Session, server: &mut Session) -> Result<Vec<u8>, String> {
    let to_server = client
        .encode(b"hello from the client")
        .map_err(|e| e.to_string())?;
    let got = server.decode(&to_server).map_err(|e| e.to_string())?;
    if got != b"hello from the client" {
        return Err(format!("server decoded {got:?}"));
    }
    let to_client = server.encode(b"and back").map_err(|e| e.to_string())?;
    let got = client.decode(&to_client).map_err(|e| e.to_string())?;
    if got != b"and back" {
        return Err(format!("client decoded {got:?}"));
    }
    Ok(to_server)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub(crate) fn each_layer_with_and_without_authzid() -> TestResult {
    let user = realm().user_principal();
    for layer in Layer::ALL {
        for authzid in [None, Some("admin")] {
            let mut creds = ClientCredentials::new();
            if let Some(z) = authzid {
                creds = creds.authzid(z).map_err(fail)?;
            }
            let mut c = client().layers(layer, layer);
            let mut s = GssapiServer::new(None).layers(layer, layer);
            let (credentials, challenges) = run_exchange(&mut c, &creds, &mut s).map_err(fail)?;
            // AP-REP, then the wrapped offer.
            check!(challenges == 2, "{layer}: {challenges} challenges");
            check!(c.is_complete());
            check!(credentials.authcid() == user, "{}", credentials.authcid());
            check!(credentials.authzid() == authzid);
            check!(credentials.identity() == authzid.unwrap_or(&user));
            check!(credentials.layer() == layer);
            check!(credentials.principal().to_string() == user);
            check!(credentials.context().is_mutual().map_err(fail)?);
            let mut server = credentials
                .authorize(|c| c.authzid().is_none_or(|z| z == "admin"))
                .map_err(fail)?;
            let mut client = c.into_session().map_err(fail)?;
            check!(client.layer() == layer && server.layer() == layer);
            check!(client.authzid() == authzid && server.authzid() == authzid);
            check!(server.peer() == user);
            check!(client.peer() == "host@localhost", "{}", client.peer());
            let wire = message_each_way(&mut client, &mut server)?;
            match layer {
                Layer::None => {
                    check!(wire == b"hello from the client");
                    check!(client.max_buffer() == 0 && server.peer_max_buffer() == 0);
                    check!(client.max_send_size() == 0);
                }
                Layer::Integrity => {
                    check!(
                        contains(&wire, b"hello from the client"),
                        "signed, readable"
                    );
                    check!(
                        u32::from_be_bytes(wire[..4].try_into().unwrap()) as usize
                            == wire.len() - 4
                    );
                }
                Layer::Confidentiality => {
                    check!(!contains(&wire, b"hello"), "encrypted");
                    check!(
                        u32::from_be_bytes(wire[..4].try_into().unwrap()) as usize
                            == wire.len() - 4
                    );
                }
            }
            if layer.is_protected() {
                check!(client.max_buffer() == 65536 && server.peer_max_buffer() == 65536);
                check!(server.max_buffer() == 65536 && client.peer_max_buffer() == 65536);
                // From wrap_size_limit: a little under the peer's buffer.
                let limit = client.max_send_size();
                check!(limit > 60000 && limit < 65536, "{layer}: max send {limit}");
            }
            check!(client.is_idle() && server.is_idle());
        }
    }
    Ok(())
}

pub(crate) fn without_initial_response() -> TestResult {
    // The server asks for the first token with an empty challenge, as pysasl's mechanisms do.
    let mut c = client();
    let mut s = GssapiServer::new(None);
    let creds = ClientCredentials::new();
    let mut responses: Vec<ChallengeResponse> = Vec::new();
    let mut challenges: Vec<ServerChallenge> = Vec::new();
    let mut rounds = 0;
    let credentials = loop {
        rounds += 1;
        check!(rounds < 10);
        match s.server_attempt(&responses).map_err(fail)? {
            ServerOutcome::Challenge(ch) => {
                if rounds == 1 {
                    check!(ch.data().is_empty());
                }
                challenges.push(ch);
                let r = c.client_attempt(&creds, &challenges).map_err(fail)?;
                check!(r.challenge == challenges.last().unwrap().0);
                responses.push(r);
            }
            ServerOutcome::Success { credentials, .. } => break credentials,
        }
    };
    check!(challenges.len() == 3, "{}", challenges.len());
    check!(
        credentials.layer() == Layer::Confidentiality,
        "the strongest by default"
    );
    Ok(())
}

pub(crate) fn layer_bounds_pick_the_strongest_common() -> TestResult {
    let cases = [
        // (client min, client max, server min, server max, expected)
        (
            Layer::None,
            Layer::Confidentiality,
            Layer::None,
            Layer::Integrity,
            Layer::Integrity,
        ),
        (
            Layer::None,
            Layer::Integrity,
            Layer::None,
            Layer::Confidentiality,
            Layer::Integrity,
        ),
        (
            Layer::None,
            Layer::None,
            Layer::None,
            Layer::Confidentiality,
            Layer::None,
        ),
        (
            Layer::Integrity,
            Layer::Confidentiality,
            Layer::None,
            Layer::Confidentiality,
            Layer::Confidentiality,
        ),
    ];
    for (cmin, cmax, smin, smax, expected) in cases {
        let (session, credentials) = sessions(
            client().layers(cmin, cmax),
            &ClientCredentials::new(),
            GssapiServer::new(None).layers(smin, smax),
        )
        .map_err(fail)?;
        check!(
            session.layer() == expected,
            "{cmin}..{cmax} / {smin}..{smax}: {}",
            session.layer()
        );
        check!(credentials.layer() == expected);
    }
    Ok(())
}

pub(crate) fn messages_split_at_the_peer_max_buffer() -> TestResult {
    for layer in [Layer::Integrity, Layer::Confidentiality] {
        let (mut client, credentials) = sessions(
            client().layers(layer, layer).max_buffer(300),
            &ClientCredentials::new(),
            GssapiServer::new(None)
                .layers(layer, layer)
                .max_buffer(1024),
        )
        .map_err(fail)?;
        let mut server = credentials.authorize_self().map_err(fail)?;
        check!(client.peer_max_buffer() == 1024 && server.peer_max_buffer() == 300);
        let limit = client.max_send_size() as usize;
        check!(limit > 0 && limit < 1024);
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let wire = client.encode(&data).map_err(fail)?;
        // Walk the frames: each within the server's buffer, as many as the chunks.
        let mut frames = 0;
        let mut rest = &wire[..];
        while !rest.is_empty() {
            let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            check!(len <= 1024, "{layer}: frame of {len}");
            rest = &rest[4 + len..];
            frames += 1;
        }
        check!(
            frames == data.len().div_ceil(limit),
            "{frames} frames for chunks of {limit}"
        );
        check!(server.decode(&wire).map_err(fail)? == data);
        // The other way, under the client's smaller buffer.
        let wire = server.encode(&data).map_err(fail)?;
        check!(client.decode(&wire).map_err(fail)? == data);
    }
    Ok(())
}

pub(crate) fn delegation_only_when_asked() -> TestResult {
    for delegate in [false, true] {
        let (_, credentials) = sessions(
            client().delegate(delegate),
            &ClientCredentials::new(),
            GssapiServer::new(None),
        )
        .map_err(fail)?;
        let ctx = credentials.context();
        check!(
            ctx.is_delegated().map_err(fail)? == delegate,
            "delegate={delegate}"
        );
        check!(ctx.delegated_credentials().map_err(fail)?.is_some() == delegate);
    }
    Ok(())
}

pub(crate) fn authorization_is_the_applications() -> TestResult {
    let creds = ClientCredentials::new().authzid("root").map_err(fail)?;
    let (_, credentials) = sessions(client(), &creds, GssapiServer::new(None)).map_err(fail)?;
    match credentials.authorize(|c| c.authzid() != Some("root")) {
        Err(SaslError::Unauthorized { authcid, identity }) => {
            check!(authcid == realm().user_principal() && identity == "root");
        }
        other => return Err(format!("expected Unauthorized, got {other:?}").into()),
    }
    // The default policy: only oneself.
    let (_, credentials) = sessions(client(), &creds, GssapiServer::new(None)).map_err(fail)?;
    check!(matches!(
        credentials.authorize_self(),
        Err(SaslError::Unauthorized { .. })
    ));
    let own = ClientCredentials::new()
        .authzid(&realm().user_principal())
        .map_err(fail)?;
    let (_, credentials) = sessions(client(), &own, GssapiServer::new(None)).map_err(fail)?;
    check!(credentials.authorize_self().is_ok());
    Ok(())
}

pub(crate) fn traits_and_names() -> TestResult {
    check!(client().name() == "GSSAPI");
    check!(GssapiServer::new(None).name() == "GSSAPI");
    check!(
        ClientCredentials::new()
            .authzid("")
            .map_err(fail)?
            .get_authzid()
            .is_none()
    );
    // Explicit credentials from the realm's ccache and keytab, not the defaults (by name,
    // which works on Heimdal too: it has no credential store).
    let init = gssapi::Credentials::initiator_from_ccache(&realm().user_ccache()).map_err(fail)?;
    let accept = gssapi::Credentials::acceptor_from_keytab(&realm().keytab()).map_err(fail)?;
    let (session, credentials) = sessions(
        client(),
        &ClientCredentials::new().credentials(&init),
        GssapiServer::new(Some(&accept)),
    )
    .map_err(fail)?;
    check!(session.context().is_complete());
    check!(credentials.authcid() == realm().user_principal());
    check!(gssapi::sasl::Layer::Integrity.cyrus_ssf() == 1);
    check!(gssapi::sasl::Layer::Confidentiality.to_string() == "confidentiality");
    Ok(())
}
