//! The cases: each runs its work under a capture, then checks the output.

use crate::capture::{Capture, Secrets, assert_no_leak, expect_line, expect_span};
use crate::*;
use gssapi::sasl::{
    ChallengeResponse, ClientCredentials, ClientMechanism, GssapiClient, GssapiServer, Layer,
    ServerChallenge, ServerMechanism, ServerOutcome,
};
use gssapi::ssh::{GssapiWithMicClient, GssapiWithMicServer};
use gssapi::{CredUsage, Credentials, Flags, Mechanism, Name, Protection, SecurityContext};
use libtest_mimic::Failed;
use tracing_subscriber::util::SubscriberInitExt as _;

/// A user whose password is long enough to be looked for in every 16-byte window.
pub const PW_USER: &str = "pwuser";
pub const PW_PASSWORD: &str = "correct horse battery staple, twice over";

/// A plaintext message, long enough to be looked for.
const PLAINTEXT: &[u8] = b"the plaintext of a message that must never be traced, 0123456789";

/// Runs `body` with a capture of everything it traces on this thread; returns the output.
fn traced(body: impl FnOnce(&mut Secrets) -> TestResult) -> Result<(String, Secrets), Failed> {
    let capture = Capture::default();
    let mut secrets = Secrets::default();
    {
        let _guard = capture.subscriber().set_default();
        body(&mut secrets)?;
    }
    let output = capture.since(0);
    assert_no_leak(&output, &secrets)?;
    Ok((String::from_utf8_lossy(&output).into_owned(), secrets))
}

/// A full handshake, every token recorded.
fn handshake(
    mech: &Mechanism,
    flags: Flags,
    secrets: &mut Secrets,
) -> Result<(SecurityContext, SecurityContext), Failed> {
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut client = SecurityContext::initiator(&target)
        .mech(mech)
        .flags(flags)
        .build();
    let mut server = SecurityContext::acceptor(None).build();
    let mut to_server = client.step(None).map_err(fail)?;
    let mut leg = 0;
    while let Some(token) = to_server.take() {
        leg += 1;
        secrets.add(format!("{mech} initiator token {leg}"), &token);
        if let Some(reply) = server.step(Some(&token)).map_err(fail)? {
            secrets.add(format!("{mech} acceptor token {leg}"), &reply);
            to_server = client.step(Some(&reply)).map_err(fail)?;
        }
    }
    check!(client.is_complete() && server.is_complete());
    Ok((client, server))
}

/// Wrap/unwrap (both protections), get_mic/verify_mic, both ways; every token, plaintext and
/// the session key recorded.
fn messages(
    client: &mut SecurityContext,
    server: &mut SecurityContext,
    secrets: &mut Secrets,
) -> TestResult {
    secrets.add("plaintext", PLAINTEXT);
    let sealed = client.encrypt(PLAINTEXT).map_err(fail)?;
    secrets.add("sealed message", &sealed);
    check!(&*server.decrypt(&sealed).map_err(fail)? == PLAINTEXT);
    let signed = server.wrap(PLAINTEXT, Protection::Sign).map_err(fail)?;
    secrets.add("signed message", &signed.message);
    check!(&*client.unwrap(&signed.message).map_err(fail)?.message == PLAINTEXT);
    let mic = client.get_mic(PLAINTEXT).map_err(fail)?;
    secrets.add("MIC", &mic);
    server.verify_mic(PLAINTEXT, &mic).map_err(fail)?;
    let key = client.session_key().map_err(fail)?;
    secrets.add("session key", &key.key);
    Ok(())
}

pub fn kerberos_handshake_and_messages() -> TestResult {
    let flags = Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG | Flags::DELEGATE;
    let (output, secrets) = traced(|secrets| {
        let (mut client, mut server) = handshake(&Mechanism::KERBEROS, flags, secrets)?;
        check!(server.is_delegated().map_err(fail)?);
        messages(&mut client, &mut server, secrets)
    })?;
    check!(secrets.len() >= 7, "{} secrets", secrets.len());
    let krb5 = format!("{}", Mechanism::KERBEROS);
    let user = realm().user_principal();
    // The initiator's first step: what it asked for, towards whom.
    expect_span(
        &output,
        "gssapi.step",
        &[
            "role=\"initiator\"",
            &format!("mech_requested={krb5}"),
            "flags_requested=Flags(DELEGATE | MUTUAL | SEQUENCE | CONF | INTEG)",
            "target=host@localhost",
            "complete=false",
            "output_len=",
        ],
    )?;
    // Its last step and the acceptor's: complete, with the flags granted, and on the
    // acceptor who the initiator is and that it delegated.
    expect_completed(&output, "initiator", &["MUTUAL", "output_len=0"])?;
    let initiator = format!("initiator={user}");
    expect_completed(
        &output,
        "acceptor",
        &["input_len=", &initiator, "delegated=true"],
    )?;
    // The message calls, at TRACE, lengths only: the plaintext's goes in (wrap, MICs) or
    // comes out (unwrap).
    let n = PLAINTEXT.len();
    for fields in [
        [
            "operation=\"wrap\"",
            &format!("input_len={n} "),
            "encrypted=true",
        ],
        [
            "operation=\"wrap\"",
            &format!("input_len={n} "),
            "encrypted=false",
        ],
        [
            "operation=\"unwrap\"",
            &format!("output_len={n} "),
            "encrypted=true",
        ],
        [
            "operation=\"unwrap\"",
            &format!("output_len={n} "),
            "encrypted=false",
        ],
        [
            "operation=\"get_mic\"",
            &format!("input_len={n} "),
            "output_len=",
        ],
        [
            "operation=\"verify_mic\"",
            &format!("input_len={n} "),
            "output_len=",
        ],
    ] {
        expect_line(
            &output,
            &[&["TRACE gssapi::message:"], &fields[..]].concat(),
        )?;
    }
    Ok(())
}

pub fn spnego_handshake() -> TestResult {
    let flags = Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG;
    let (output, _) = traced(|secrets| {
        let (mut client, mut server) = handshake(&Mechanism::SPNEGO, flags, secrets)?;
        messages(&mut client, &mut server, secrets)
    })?;
    let spnego = format!("{}", Mechanism::SPNEGO);
    expect_span(
        &output,
        "gssapi.step",
        &[
            "role=\"initiator\"",
            &format!("mech_requested={spnego}"),
            "target=host@localhost",
        ],
    )?;
    // SPNEGO negotiated Kerberos: the completed steps name the real mechanism.
    expect_completed(&output, "initiator", &[])?;
    expect_completed(&output, "acceptor", &[])?;
    Ok(())
}

/// A check that a step of `role` completed with Kerberos (SPNEGO's negotiated mechanism too)
/// and reported the flags granted, with the `extra` fields.
fn expect_completed(output: &str, role: &str, extra: &[&str]) -> TestResult {
    let role = format!("role=\"{role}\"");
    let mech = format!("mech={}", Mechanism::KERBEROS);
    let fields = [&role, "complete=true", &mech, "flags_granted=Flags("];
    expect_span(output, "gssapi.step", &[&fields[..], extra].concat())?;
    Ok(())
}

pub fn failed_steps_carry_codes() -> TestResult {
    let mut codes = Vec::new();
    let (output, _) = traced(|secrets| {
        // A service the realm does not have: the KDC refuses the ticket.
        let target = Name::hostbased_service("nosuch@localhost").map_err(fail)?;
        let mut client = SecurityContext::initiator(&target).build();
        let err = client
            .step(None)
            .err()
            .ok_or("a step towards nosuch succeeded")?;
        check!(err.major() != 0, "{err}");
        codes.push((err.major(), err.minor()));
        // A token the acceptor cannot read.
        let garbage = b"\x60\x20\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02 not a real token";
        secrets.add("garbage token", garbage);
        let mut server = SecurityContext::acceptor(None).build();
        let err = server
            .step(Some(garbage))
            .err()
            .ok_or("the acceptor took garbage")?;
        codes.push((err.major(), err.minor()));
        // Misuse: no library call, no codes but the event.
        let err = client
            .wrap(PLAINTEXT, Protection::Sign)
            .err()
            .ok_or("wrap")?;
        check!(err.is_misuse());
        Ok(())
    })?;
    let (major, minor) = codes[0];
    expect_span(
        &output,
        "gssapi.step",
        &[
            "role=\"initiator\"",
            "target=nosuch@localhost",
            "complete=false",
        ],
    )?;
    expect_line(
        &output,
        &[
            "DEBUG",
            "gssapi.step{",
            "operation=\"step\"",
            &format!("major={major:#010x}"),
            &format!("minor={minor}"),
            "kind=",
            "error=",
            "failed",
        ],
    )?;
    if !heimdal() {
        expect_line(
            &output,
            &[
                &format!("major={major:#010x}"),
                "krb5=\"KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN\"",
            ],
        )?;
    }
    let (major, minor) = codes[1];
    expect_line(
        &output,
        &[
            "role=\"acceptor\"",
            &format!("major={major:#010x}"),
            &format!("minor={minor}"),
            "routine=",
        ],
    )?;
    expect_line(
        &output,
        &["operation=\"wrap\"", "major=0x00000000", "error="],
    )?;
    Ok(())
}

pub fn password_acquisition() -> TestResult {
    let principal = format!("{PW_USER}@{}", realm().realm_name());
    let (output, _) = traced(|secrets| {
        secrets.add("password", PW_PASSWORD.as_bytes());
        let name = Name::kerberos_principal(&principal).map_err(fail)?;
        let creds = Credentials::builder()
            .name(&name)
            .password(PW_PASSWORD.as_bytes())
            .usage(CredUsage::Initiate)
            .acquire()
            .map_err(fail)?;
        check!(creds.name().map_err(fail)?.to_string() == principal);
        // A wrong one (the right one with a byte more) fails, and is not traced either.
        let wrong = format!("{PW_PASSWORD}!");
        secrets.add("wrong password", wrong.as_bytes());
        let err = Credentials::builder()
            .name(&name)
            .password(wrong.as_bytes())
            .usage(CredUsage::Initiate)
            .acquire()
            .err()
            .ok_or("a wrong password was taken")?;
        check!(err.major() != 0, "{err}");
        Ok(())
    })?;
    expect_span(
        &output,
        "gssapi.acquire_credentials",
        &[
            "source=\"password\"",
            &format!("name={principal}"),
            "usage=Initiate",
        ],
    )?;
    expect_line(
        &output,
        &[
            "gssapi.acquire_credentials{",
            "operation=\"acquire_credentials\"",
            "major=0x",
            "minor=",
        ],
    )?;
    Ok(())
}

/// A SASL `GSSAPI` exchange with the confidentiality layer and data both ways; every
/// challenge, response, frame and plaintext recorded.
fn sasl_exchange(secrets: &mut Secrets) -> TestResult {
    let mut client = GssapiClient::for_service("host@localhost").map_err(fail)?;
    let mut server = GssapiServer::new(None);
    let creds = ClientCredentials::new();
    let mut responses: Vec<ChallengeResponse> = Vec::new();
    let mut challenges: Vec<ServerChallenge> = Vec::new();
    responses.push(client.client_attempt(&creds, &challenges).map_err(fail)?);
    let credentials = loop {
        match server.server_attempt(&responses).map_err(fail)? {
            ServerOutcome::Challenge(c) => {
                challenges.push(c);
                responses.push(client.client_attempt(&creds, &challenges).map_err(fail)?);
            }
            ServerOutcome::Success { credentials, .. } => break credentials,
        }
    };
    for (i, c) in challenges.iter().enumerate() {
        secrets.add(format!("SASL challenge {i}"), &c.0);
    }
    for (i, r) in responses.iter().enumerate() {
        secrets.add(format!("SASL response {i}"), &r.response);
    }
    let mut server_session = credentials.authorize_self().map_err(fail)?;
    let mut client_session = client.into_session().map_err(fail)?;
    check!(client_session.layer() == Layer::Confidentiality);
    let wire = client_session.encode(PLAINTEXT).map_err(fail)?;
    secrets.add("SASL frame", &wire);
    check!(server_session.decode(&wire).map_err(fail)? == PLAINTEXT);
    let back = server_session.encode(PLAINTEXT).map_err(fail)?;
    secrets.add("SASL frame back", &back);
    check!(client_session.decode(&back).map_err(fail)? == PLAINTEXT);
    Ok(())
}

/// `gssapi-with-mic` with delegation; every message recorded.
fn ssh_exchange(secrets: &mut Secrets) -> TestResult {
    const SESSION_ID: &[u8] = b"\x00\x01exchange hash H of the first key exchange";
    secrets.add("SSH session id", SESSION_ID);
    let mut client = GssapiWithMicClient::new("localhost", "alice", SESSION_ID)
        .map_err(fail)?
        .delegate(true);
    let mut server = GssapiWithMicServer::new(None, SESSION_ID);
    let mut to_server = vec![client.start().map_err(fail)?];
    for _ in 0..10 {
        let mut to_client = Vec::new();
        for m in to_server.drain(..) {
            secrets.add("SSH message to the server", &m);
            to_client.extend(server.receive(&m).map_err(fail)?.send);
        }
        if server.authenticated().is_some() {
            break;
        }
        for m in to_client {
            secrets.add("SSH message to the client", &m);
            to_server.extend(client.receive(&m).map_err(fail)?.send);
        }
    }
    let user = server.authenticated().ok_or("not authenticated")?;
    check!(user.delegated.is_some());
    Ok(())
}

pub fn sasl_and_ssh_rounds() -> TestResult {
    let (output, _) = traced(|secrets| {
        sasl_exchange(secrets)?;
        ssh_exchange(secrets)?;
        // A SASL client towards a service the realm does not have.
        let mut client = GssapiClient::for_service("nosuch@localhost").map_err(fail)?;
        check!(
            client
                .client_attempt(&ClientCredentials::new(), &[])
                .is_err()
        );
        Ok(())
    })?;
    let user = realm().user_principal();
    expect_span(
        &output,
        "gssapi.sasl.client",
        &[
            "mechanism=\"GSSAPI\"",
            "target=host@localhost",
            "round=0",
            "response_len=",
        ],
    )?;
    expect_span(
        &output,
        "gssapi.sasl.client",
        &["done=true", "layer=confidentiality"],
    )?;
    expect_span(
        &output,
        "gssapi.sasl.server",
        &[
            "outcome=\"challenge\"",
            "offered={none, integrity, confidentiality}",
        ],
    )?;
    expect_span(
        &output,
        "gssapi.sasl.server",
        &[
            "outcome=\"success\"",
            "layer=confidentiality",
            &format!("authcid=\"{user}\""),
        ],
    )?;
    // The context steps run inside the SASL rounds.
    check!(
        output.contains("gssapi.sasl.client{"),
        "no SASL client span"
    );
    expect_line(
        &output,
        &["gssapi.sasl.client{", "gssapi.step{", "role=\"initiator\""],
    )?;
    expect_line(
        &output,
        &[
            "gssapi.sasl.client{",
            "target=nosuch@localhost",
            "operation=\"sasl.client_attempt\"",
            "major=0x",
        ],
    )?;
    expect_span(
        &output,
        "gssapi.ssh.server",
        &[
            "user=alice",
            "message_number=66",
            "done=true",
            &format!("principal={user}"),
            "delegated=true",
            &format!("mechanism={}", Mechanism::KERBEROS),
        ],
    )?;
    expect_span(
        &output,
        "gssapi.ssh.client",
        &["user=alice", "message_number=61", "done=true"],
    )?;
    expect_span(
        &output,
        "gssapi.ssh.initiator_step",
        &["complete=true", "mic_len="],
    )?;
    expect_line(
        &output,
        &[
            "gssapi.ssh: the server chose a mechanism",
            &format!("mechanism={}", Mechanism::KERBEROS),
        ],
    )?;
    Ok(())
}

/// The checks themselves: a leak in each encoding is found, a clean output passes.
pub fn the_leak_check_finds_leaks() -> TestResult {
    use base64::Engine as _;
    let token: Vec<u8> = (0u8..=255).rev().cycle().take(100).collect();
    let mut secrets = Secrets::default();
    secrets.add("token", &token);
    let piece = &token[37..60];
    let hex: String = piece.iter().map(|b| format!("{b:02X}")).collect();
    let leaks = [
        [b"x=".as_slice(), piece, b" y"].concat(),
        format!("x={hex}").into_bytes(),
        format!("x={}", hex.to_lowercase()).into_bytes(),
        format!("x={:?}", piece).into_bytes(),
        format!(
            "x={}",
            base64::engine::general_purpose::STANDARD.encode(&token[1..50])
        )
        .into_bytes(),
    ];
    for leak in &leaks {
        check!(
            assert_no_leak(leak, &secrets).is_err(),
            "not found: {}",
            String::from_utf8_lossy(leak)
        );
    }
    check!(assert_no_leak(b"output_len=100 complete=true", &secrets).is_ok());
    Ok(())
}
