//! Every bad input of the issue: a typed error, no panic.

use crate::{TestResult, check, client, fail, heimdal, sessions};
use gssapi::sasl::{
    ChallengeResponse, ClientCredentials, ClientMechanism, FrameDecoder, GssapiClient,
    GssapiServer, Layer, LayerChoice, LayerOffer, Layers, MAX_BUFFER_LIMIT, SaslError,
    ServerChallenge, ServerMechanism, ServerOutcome, Session, encode_frame,
};
use gssapi::{ErrorKind, Flags, Name, Protection, SecurityContext};

/// A client driven by a plain acceptor context up to the server's offer: the test then sends
/// whatever offer it likes.
struct FakeServer {
    client: GssapiClient,
    creds: ClientCredentials,
    challenges: Vec<ServerChallenge>,
    acceptor: SecurityContext,
}

impl FakeServer {
    fn new(client: GssapiClient) -> Result<FakeServer, String> {
        let mut client = client;
        let creds = ClientCredentials::new();
        let mut challenges = Vec::new();
        let first = client
            .client_attempt(&creds, &challenges)
            .map_err(|e| e.to_string())?;
        let mut acceptor = SecurityContext::acceptor(None).build();
        let ap_rep = acceptor
            .step(Some(&first.response))
            .map_err(|e| e.to_string())?
            .ok_or("no AP-REP")?;
        challenges.push(ServerChallenge(ap_rep.to_vec()));
        let empty = client
            .client_attempt(&creds, &challenges)
            .map_err(|e| e.to_string())?;
        if !empty.response.is_empty() || !acceptor.is_complete() {
            return Err("the client should answer the AP-REP with nothing".into());
        }
        Ok(FakeServer {
            client,
            creds,
            challenges,
            acceptor,
        })
    }

    /// Sends `message` wrapped (integrity only) as the offer; the client's verdict.
    fn offer(&mut self, message: &[u8]) -> Result<ChallengeResponse, SaslError> {
        let wrapped = self.acceptor.wrap(message, Protection::Sign)?;
        self.challenges
            .push(ServerChallenge(wrapped.message.to_vec()));
        self.client.client_attempt(&self.creds, &self.challenges)
    }
}

fn offer_to(
    client: GssapiClient,
    message: &[u8],
) -> Result<Result<ChallengeResponse, SaslError>, String> {
    let mut fake = FakeServer::new(client)?;
    Ok(fake.offer(message))
}

/// A server driven by a plain initiator context up to the client's choice.
struct FakeClient {
    server: GssapiServer,
    initiator: SecurityContext,
    responses: Vec<ChallengeResponse>,
    offer: LayerOffer,
    offer_token: Vec<u8>,
}

fn challenge(outcome: ServerOutcome<gssapi::sasl::GssapiCredentials>) -> Result<Vec<u8>, String> {
    match outcome {
        ServerOutcome::Challenge(c) => Ok(c.0),
        ServerOutcome::Success { .. } => Err("the server finished early".into()),
    }
}

impl FakeClient {
    fn new(server: GssapiServer) -> Result<FakeClient, String> {
        let mut server = server;
        let target = Name::hostbased_service("host@localhost").map_err(|e| e.to_string())?;
        let mut initiator = SecurityContext::initiator(&target)
            .flags(Flags::MUTUAL | Flags::SEQUENCE | Flags::INTEG | Flags::CONF)
            .build();
        let token = initiator
            .step(None)
            .map_err(|e| e.to_string())?
            .ok_or("no token")?;
        let mut responses = vec![ChallengeResponse {
            challenge: Vec::new(),
            response: token.to_vec(),
        }];
        let ap_rep = challenge(
            server
                .server_attempt(&responses)
                .map_err(|e| e.to_string())?,
        )?;
        if initiator
            .step(Some(&ap_rep))
            .map_err(|e| e.to_string())?
            .is_some()
        {
            return Err("the initiator should be done".into());
        }
        responses.push(ChallengeResponse {
            challenge: ap_rep,
            response: Vec::new(),
        });
        let wrapped = challenge(
            server
                .server_attempt(&responses)
                .map_err(|e| e.to_string())?,
        )?;
        let unwrapped = initiator.unwrap(&wrapped).map_err(|e| e.to_string())?;
        if unwrapped.encrypted {
            return Err("the offer must be wrapped with integrity only".into());
        }
        let offer = LayerOffer::parse(&unwrapped.message).map_err(|e| e.to_string())?;
        Ok(FakeClient {
            server,
            initiator,
            responses,
            offer,
            offer_token: wrapped,
        })
    }

    /// Sends `message` wrapped as the client's choice; the server's verdict.
    fn choose(
        &mut self,
        message: &[u8],
    ) -> Result<ServerOutcome<gssapi::sasl::GssapiCredentials>, SaslError> {
        let wrapped = self.initiator.wrap(message, Protection::Sign)?;
        self.responses.push(ChallengeResponse {
            challenge: self.offer_token.clone(),
            response: wrapped.message.to_vec(),
        });
        self.server.server_attempt(&self.responses)
    }
}

fn choice_to(
    server: GssapiServer,
    message: &[u8],
) -> Result<Result<ServerOutcome<gssapi::sasl::GssapiCredentials>, SaslError>, String> {
    let mut fake = FakeClient::new(server)?;
    Ok(fake.choose(message))
}

pub(crate) fn offer_not_four_bytes() -> TestResult {
    for message in [
        &b""[..],
        b"\x07\x00\x01",
        b"\x07\x00\x01\x00\x00",
        b"\x07\x00\x01\x00admin",
    ] {
        let got = offer_to(client(), message)?;
        check!(
            matches!(got, Err(SaslError::BadOfferLength { len }) if len == message.len()),
            "{message:?}: {got:?}"
        );
    }
    // The well-formed offer goes through (the fake server works).
    let got = offer_to(client(), &[7, 0, 1, 0])?;
    check!(got.is_ok(), "{got:?}");
    Ok(())
}

pub(crate) fn offer_with_zero_max_buffer() -> TestResult {
    let got = offer_to(client(), &[Layer::Integrity.bit(), 0, 0, 0])?;
    check!(
        matches!(
            got,
            Err(SaslError::ZeroMaxBuffer {
                layer: Layer::Integrity
            })
        ),
        "{got:?}"
    );
    // All layers with a 0 buffer: the client would take confidentiality, which cannot work.
    let got = offer_to(client(), &[7, 0, 0, 0])?;
    check!(
        matches!(
            got,
            Err(SaslError::ZeroMaxBuffer {
                layer: Layer::Confidentiality
            })
        ),
        "{got:?}"
    );
    // No layer and a 0 buffer is the RFC's way of offering nothing: fine.
    let got = offer_to(client(), &[Layer::None.bit(), 0, 0, 0])?;
    check!(got.is_ok(), "{got:?}");
    Ok(())
}

pub(crate) fn offer_without_acceptable_layer() -> TestResult {
    let got = offer_to(
        client().layers(Layer::Integrity, Layer::Confidentiality),
        &[1, 0, 0, 0],
    )?;
    check!(
        matches!(
            got,
            Err(SaslError::NoAcceptableLayer {
                offered: Layers(1),
                min: Layer::Integrity,
                ..
            })
        ),
        "{got:?}"
    );
    // Only a reserved bit.
    let got = offer_to(client(), &[0x08, 0, 1, 0])?;
    check!(
        matches!(got, Err(SaslError::NoAcceptableLayer { .. })),
        "{got:?}"
    );
    // min above max accepts nothing.
    let got = offer_to(
        client().layers(Layer::Confidentiality, Layer::None),
        &[7, 0, 1, 0],
    )?;
    check!(
        matches!(got, Err(SaslError::NoAcceptableLayer { .. })),
        "{got:?}"
    );
    Ok(())
}

pub(crate) fn challenge_after_completion() -> TestResult {
    let mut fake = FakeServer::new(client())?;
    let last = fake.offer(&[7, 0, 1, 0]).map_err(fail)?;
    // The client's choice: integrity-only wrap of (layer, max buffer, no authzid).
    let choice = fake.acceptor.unwrap(&last.response).map_err(fail)?;
    check!(!choice.encrypted);
    let choice = LayerChoice::parse(&choice.message).map_err(fail)?;
    check!(
        choice.layer == Layer::Confidentiality
            && choice.max_buffer == 65536
            && choice.authzid.is_none()
    );
    check!(fake.client.is_complete());
    // And now one more challenge.
    let extra = fake
        .acceptor
        .wrap(b"more?", Protection::Sign)
        .map_err(fail)?;
    fake.challenges
        .push(ServerChallenge(extra.message.to_vec()));
    let got = fake.client.client_attempt(&fake.creds, &fake.challenges);
    check!(
        matches!(got, Err(SaslError::UnexpectedChallenge { .. })),
        "{got:?}"
    );
    // The session survives the refusal.
    check!(fake.client.into_session().map_err(fail)?.layer() == Layer::Confidentiality);
    Ok(())
}

pub(crate) fn choice_of_a_layer_not_offered() -> TestResult {
    let server = GssapiServer::new(None).layers(Layer::None, Layer::Integrity);
    let mut fake = FakeClient::new(server)?;
    check!(fake.offer.layers == Layers(3), "{}", fake.offer.layers);
    check!(fake.offer.max_buffer == 65536);
    let got = fake.choose(&[Layer::Confidentiality.bit(), 0, 1, 0]);
    check!(
        matches!(
            got,
            Err(SaslError::LayerNotOffered {
                chosen: Layer::Confidentiality,
                offered: Layers(3)
            })
        ),
        "{got:?}"
    );
    // A server limited to no layer offers a 0 buffer and refuses integrity.
    let mut fake = FakeClient::new(GssapiServer::new(None).layers(Layer::None, Layer::None))?;
    check!(
        fake.offer
            == LayerOffer {
                layers: Layers(1),
                max_buffer: 0
            },
        "{:?}",
        fake.offer
    );
    let got = fake.choose(&[Layer::Integrity.bit(), 0, 1, 0]);
    check!(
        matches!(got, Err(SaslError::LayerNotOffered { .. })),
        "{got:?}"
    );
    Ok(())
}

pub(crate) fn choice_with_zero_max_buffer() -> TestResult {
    for layer in [Layer::Integrity, Layer::Confidentiality] {
        let got = choice_to(GssapiServer::new(None), &[layer.bit(), 0, 0, 0])?;
        check!(
            matches!(got, Err(SaslError::ZeroMaxBuffer { layer: l }) if l == layer),
            "{got:?}"
        );
    }
    // The well-formed choice goes through.
    let got = choice_to(GssapiServer::new(None), &[Layer::Integrity.bit(), 0, 1, 0])?;
    check!(matches!(got, Ok(ServerOutcome::Success { .. })), "{got:?}");
    Ok(())
}

pub(crate) fn choice_malformed() -> TestResult {
    type Expected = fn(&SaslError) -> bool;
    let cases: [(&[u8], Expected); 5] = [
        (b"\x02\x00\x01", |e| {
            matches!(e, SaslError::BadChoiceLength { len: 3 })
        }),
        (b"", |e| matches!(e, SaslError::BadChoiceLength { len: 0 })),
        (b"\x03\x00\x01\x00", |e| {
            matches!(e, SaslError::BadLayerBits { bits: 3 })
        }),
        (b"\x00\x00\x01\x00", |e| {
            matches!(e, SaslError::BadLayerBits { bits: 0 })
        }),
        (b"\x02\x00\x01\x00\xff\xfe", |e| {
            matches!(e, SaslError::BadAuthzid { .. })
        }),
    ];
    for (message, expected) in cases {
        let got = choice_to(GssapiServer::new(None), message)?;
        check!(got.as_ref().is_err_and(expected), "{message:?}: {got:?}");
    }
    Ok(())
}

pub(crate) fn authzid_with_nul() -> TestResult {
    let got = ClientCredentials::new().authzid("admin\0root");
    check!(matches!(got, Err(SaslError::BadAuthzid { .. })), "{got:?}");
    let choice = LayerChoice {
        layer: Layer::None,
        max_buffer: 0,
        authzid: Some("admin\0root".into()),
    };
    check!(matches!(
        choice.to_bytes(),
        Err(SaslError::BadAuthzid { .. })
    ));
    // From the wire, at the server.
    let got = choice_to(GssapiServer::new(None), b"\x01\x00\x00\x00admin\0root")?;
    check!(matches!(got, Err(SaslError::BadAuthzid { .. })), "{got:?}");
    Ok(())
}

fn protected_sessions(layer: Layer) -> Result<(Session, Session), String> {
    let (client, credentials) = sessions(
        client().layers(layer, layer),
        &ClientCredentials::new(),
        GssapiServer::new(None).layers(layer, layer),
    )
    .map_err(|e| e.to_string())?;
    Ok((
        client,
        credentials.authorize_self().map_err(|e| e.to_string())?,
    ))
}

pub(crate) fn frame_length_all_ones() -> TestResult {
    let mut decoder = FrameDecoder::new(MAX_BUFFER_LIMIT);
    let got = decoder.push(&[0xff; 4]);
    check!(
        matches!(
            got,
            Err(SaslError::FrameTooLarge {
                len: 0xffff_ffff,
                max: MAX_BUFFER_LIMIT
            })
        ),
        "{got:?}"
    );
    // The stream is out of step from then on.
    check!(matches!(decoder.push(b"x"), Err(SaslError::DecoderFailed)));
    // Announced one byte at a time: refused when the fourth arrives.
    let mut decoder = FrameDecoder::new(65536);
    for _ in 0..3 {
        check!(decoder.push(&[0xff]).map_err(fail)?.is_empty());
    }
    check!(matches!(
        decoder.push(&[0xff]),
        Err(SaslError::FrameTooLarge { .. })
    ));
    // After a good frame in the same read: the error, the good frame dropped with the stream.
    let mut decoder = FrameDecoder::new(65536);
    let mut wire = Vec::new();
    encode_frame(b"good", &mut wire).map_err(fail)?;
    wire.extend_from_slice(&[0xff; 4]);
    check!(matches!(
        decoder.push(&wire),
        Err(SaslError::FrameTooLarge { .. })
    ));
    // Through a session.
    let (_, mut server) = protected_sessions(Layer::Integrity)?;
    let got = server.decode(&[0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    check!(
        matches!(
            got,
            Err(SaslError::FrameTooLarge {
                len: 0xffff_ffff,
                max: 65536
            })
        ),
        "{got:?}"
    );
    check!(matches!(server.decode(b""), Err(SaslError::DecoderFailed)));
    Ok(())
}

pub(crate) fn frame_over_the_max_buffer() -> TestResult {
    let mut decoder = FrameDecoder::new(1000);
    check!(matches!(
        decoder.push(&1001u32.to_be_bytes()),
        Err(SaslError::FrameTooLarge {
            len: 1001,
            max: 1000
        })
    ));
    let mut decoder = FrameDecoder::new(1000);
    let mut wire = Vec::new();
    encode_frame(&[7; 1000], &mut wire).map_err(fail)?;
    check!(decoder.push(&wire).map_err(fail)? == [vec![7; 1000]]);
    check!(matches!(
        decoder.push(&[0, 0, 0, 0]),
        Err(SaslError::EmptyFrame)
    ));
    Ok(())
}

pub(crate) fn frame_split_at_every_boundary() -> TestResult {
    let payloads: [&[u8]; 3] = [b"first frame", b"x", b"the third, longer frame"];
    let mut wire = Vec::new();
    for p in payloads {
        encode_frame(p, &mut wire).map_err(fail)?;
    }
    for i in 0..=wire.len() {
        for j in i..=wire.len() {
            let mut decoder = FrameDecoder::new(64);
            let mut frames = Vec::new();
            for part in [&wire[..i], &wire[i..j], &wire[j..]] {
                frames.extend(decoder.push(part).map_err(fail)?);
            }
            check!(frames == payloads, "split at {i} and {j}: {frames:?}");
            check!(decoder.is_idle());
        }
        // Partial at i: idle only on a frame boundary.
        let mut decoder = FrameDecoder::new(64);
        decoder.push(&wire[..i]).map_err(fail)?;
        check!(
            decoder.is_idle() == [0, 15, 20, wire.len()].contains(&i),
            "idle at {i}"
        );
    }
    Ok(())
}

pub(crate) fn session_decodes_frames_split_anywhere() -> TestResult {
    for layer in [Layer::Integrity, Layer::Confidentiality] {
        let (mut client, mut server) = protected_sessions(layer)?;
        let reference = client.encode(b"message 000").map_err(fail)?;
        check!(server.decode(&reference).map_err(fail)? == b"message 000");
        // Every split point, each on a new frame (same length) so sequence numbers advance.
        for i in 0..=reference.len() {
            let text = format!("message {i:03}");
            let wire = client.encode(text.as_bytes()).map_err(fail)?;
            check!(wire.len() == reference.len());
            let first = server.decode(&wire[..i]).map_err(fail)?;
            check!(
                first.is_empty() || i == wire.len(),
                "{layer}: output before the frame ended at {i}"
            );
            check!(server.is_idle() == (i == 0 || i == wire.len()));
            let mut got = first;
            got.extend(server.decode(&wire[i..]).map_err(fail)?);
            check!(got == text.as_bytes(), "{layer}: split at {i}: {got:?}");
        }
        // One byte per read, two frames.
        let mut wire = client.encode(b"one").map_err(fail)?;
        wire.extend(client.encode(b"two").map_err(fail)?);
        let mut got = Vec::new();
        for b in &wire {
            got.extend(server.decode(std::slice::from_ref(b)).map_err(fail)?);
        }
        check!(got == b"onetwo");
    }
    Ok(())
}

pub(crate) fn tampered_frame() -> TestResult {
    for layer in [Layer::Integrity, Layer::Confidentiality] {
        // A bit in the middle of the token, in its last byte, and in its header.
        for pick in [0usize, 1, 2] {
            let (mut client, mut server) = protected_sessions(layer)?;
            let mut wire = client.encode(b"pay 100 to alice").map_err(fail)?;
            let token_len = wire.len() - 4;
            let at = 4 + [token_len / 2, token_len - 1, 2][pick];
            wire[at] ^= 0x01;
            match server.decode(&wire) {
                Err(SaslError::Gss(e)) => {
                    // A bad signature, except that Heimdal calls damage to the token's
                    // header (the flags byte, the third) a defective token; MIT checks the
                    // whole token with the checksum.
                    let expected = if heimdal() && pick == 2 {
                        ErrorKind::InvalidToken
                    } else {
                        ErrorKind::BadMic
                    };
                    check!(
                        e.kind() == Some(expected),
                        "{layer} byte {at}: {e} ({:?}, expected {expected:?})",
                        e.kind()
                    );
                }
                other => {
                    return Err(
                        format!("{layer} byte {at}: expected a GSS error, got {other:?}").into(),
                    );
                }
            }
            // The stream is not trusted any more, not even with a good frame.
            let good = client.encode(b"fine").map_err(fail)?;
            check!(matches!(
                server.decode(&good),
                Err(SaslError::DecoderFailed)
            ));
        }
    }
    Ok(())
}

pub(crate) fn unencrypted_frame_under_confidentiality() -> TestResult {
    let (mut client, mut server) = protected_sessions(Layer::Confidentiality)?;
    let signed = client
        .context_mut()
        .wrap(b"only signed", Protection::Sign)
        .map_err(fail)?;
    check!(!signed.encrypted);
    let mut wire = Vec::new();
    encode_frame(&signed.message, &mut wire).map_err(fail)?;
    let got = server.decode(&wire);
    check!(
        matches!(
            got,
            Err(SaslError::ProtectionMismatch {
                layer: Layer::Confidentiality
            })
        ),
        "{got:?}"
    );
    Ok(())
}

pub(crate) fn history_misuse() -> TestResult {
    let creds = ClientCredentials::new();
    let mut c = client();
    let mut s = GssapiServer::new(None);
    let first = c.client_attempt(&creds, &[]).map_err(fail)?;
    // The client has nothing new to answer.
    check!(matches!(
        c.client_attempt(&creds, &[]),
        Err(SaslError::State { .. })
    ));
    // The failure ends the client (as a failed GSSAPI step would).
    check!(matches!(c.into_session(), Err(SaslError::State { .. })));
    let responses = vec![first];
    check!(matches!(
        s.server_attempt(&responses),
        Ok(ServerOutcome::Challenge(_))
    ));
    // The same history again: no response to the last challenge.
    check!(matches!(
        s.server_attempt(&responses),
        Err(SaslError::State { .. })
    ));
    check!(
        matches!(s.server_attempt(&responses), Err(SaslError::State { .. })),
        "failed stays failed"
    );
    // A first challenge that is not empty.
    let mut c = client();
    let got = c.client_attempt(&creds, &[ServerChallenge(b"hello".to_vec())]);
    check!(
        matches!(got, Err(SaslError::UnexpectedChallenge { .. })),
        "{got:?}"
    );
    // Calls after a finished exchange.
    let mut c = client();
    let mut s = GssapiServer::new(None);
    crate::run_exchange(&mut c, &creds, &mut s).map_err(fail)?;
    check!(matches!(
        s.server_attempt(&[]),
        Err(SaslError::State { .. })
    ));
    check!(matches!(
        c.client_attempt(&creds, &[]),
        Err(SaslError::State { .. })
    ));
    Ok(())
}

pub(crate) fn empty_token_where_one_is_due() -> TestResult {
    let mut s = GssapiServer::new(None);
    let got = s.server_attempt(&[ChallengeResponse::default()]);
    check!(
        matches!(got, Err(SaslError::InvalidResponse { .. })),
        "{got:?}"
    );
    // A non-empty answer to the AP-REP.
    let creds = ClientCredentials::new();
    let mut c = client();
    let mut s = GssapiServer::new(None);
    let mut responses = vec![c.client_attempt(&creds, &[]).map_err(fail)?];
    check!(matches!(
        s.server_attempt(&responses),
        Ok(ServerOutcome::Challenge(_))
    ));
    responses.push(ChallengeResponse {
        challenge: Vec::new(),
        response: b"junk".to_vec(),
    });
    let got = s.server_attempt(&responses);
    check!(
        matches!(got, Err(SaslError::InvalidResponse { .. })),
        "{got:?}"
    );
    // A garbage first token is the library's error.
    let mut s = GssapiServer::new(None);
    let got = s.server_attempt(&[ChallengeResponse {
        challenge: Vec::new(),
        response: b"not a token".to_vec(),
    }]);
    check!(matches!(got, Err(SaslError::Gss(_))), "{got:?}");
    Ok(())
}
