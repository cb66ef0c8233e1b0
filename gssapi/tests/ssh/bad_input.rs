//! Every bad input of the issue, each a typed error, and no allocation beyond the bounds.

use crate::{SESSION_ID, TestResult, allocated_by, check, client, fail, run_exchange, server};
use gssapi::Mechanism;
use gssapi::ssh::{
    GssapiWithMicClient, GssapiWithMicServer, Limits, SshError, UserauthGssapi, UserauthRequest,
    encode_mech, encode_mech_list, parse_mech, parse_mech_list,
};

fn string(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s);
}

/// A USERAUTH_REQUEST by hand: `user`, ssh-connection, gssapi-with-mic, then `list`.
fn request(user: &[u8], list: &[u8]) -> Vec<u8> {
    let mut out = vec![50];
    string(&mut out, user);
    string(&mut out, b"ssh-connection");
    string(&mut out, b"gssapi-with-mic");
    out.extend_from_slice(list);
    out
}

fn krb5_list() -> Vec<u8> {
    encode_mech_list(&[Mechanism::KERBEROS]).unwrap()
}

pub(crate) fn oid_list_wrong_length_byte() -> TestResult {
    let mut list = krb5_list();
    // count(4) + string length(4) + tag, then the length byte.
    check!(list[8] == 0x06 && list[9] == 9);
    for wrong in [0u8, 8, 10, 0x7f, 0x81] {
        list[9] = wrong;
        check!(
            matches!(
                parse_mech_list(&list, &Limits::default()),
                Err(SshError::BadOidLength { declared, actual: 9 }) if declared == usize::from(wrong)
            ),
            "length byte {wrong}"
        );
    }
    // Through the server as well: the request is refused before any GSSAPI call.
    let mut s = server();
    check!(matches!(
        s.receive(&request(b"alice", &list)),
        Err(SshError::BadOidLength { .. })
    ));
    // The string around the OID longer than the list holds.
    let mut list = krb5_list();
    list[7] = 12;
    check!(matches!(
        parse_mech_list(&list, &Limits::default()),
        Err(SshError::Truncated { .. })
    ));
    Ok(())
}

pub(crate) fn oid_list_non_oid_tag() -> TestResult {
    for tag in [0x04u8, 0x30, 0x00, 0x86] {
        let mut list = krb5_list();
        list[8] = tag;
        check!(matches!(
            parse_mech_list(&list, &Limits::default()),
            Err(SshError::NotAnOid { tag: t }) if t == tag
        ));
    }
    check!(matches!(
        parse_mech(&[0x04, 0x01, 0x2a]),
        Err(SshError::NotAnOid { tag: 0x04 })
    ));
    Ok(())
}

pub(crate) fn oid_list_zero_oids() -> TestResult {
    check!(matches!(
        parse_mech_list(&[0, 0, 0, 0], &Limits::default()),
        Err(SshError::NoMechanisms)
    ));
    check!(matches!(encode_mech_list(&[]), Err(SshError::NoMechanisms)));
    let mut s = server();
    check!(matches!(
        s.receive(&request(b"alice", &[0, 0, 0, 0])),
        Err(SshError::NoMechanisms)
    ));
    let mut c = client("alice").mechs(Vec::new());
    check!(matches!(c.start(), Err(SshError::NoMechanisms)));
    Ok(())
}

pub(crate) fn oid_list_ten_thousand_oids() -> TestResult {
    let one = encode_mech(&Mechanism::KERBEROS).map_err(fail)?;
    let mut list = 10_000u32.to_be_bytes().to_vec();
    for _ in 0..10_000 {
        string(&mut list, &one);
    }
    let limits = Limits::default();
    let (bytes, result) = allocated_by(|| parse_mech_list(&list, &limits));
    check!(
        matches!(
            result,
            Err(SshError::TooManyMechanisms {
                count: 10_000,
                max: 32
            })
        ),
        "{result:?}"
    );
    check!(bytes < 1024, "refusing allocated {bytes} bytes");
    // The same through the server.
    let req = request(b"alice", &list);
    let mut s = server();
    check!(matches!(
        s.receive(&req),
        Err(SshError::TooManyMechanisms { count: 10_000, .. })
    ));
    // With a limit that allows them, they parse.
    let wide = Limits {
        max_mechs: 10_000,
        ..Limits::default()
    };
    let mechs = parse_mech_list(&list, &wide).map_err(fail)?;
    check!(mechs.len() == 10_000 && mechs.iter().all(|m| *m == Mechanism::KERBEROS));
    check!(matches!(
        parse_mech_list(
            &list,
            &Limits {
                max_mechs: 9_999,
                ..Limits::default()
            }
        ),
        Err(SshError::TooManyMechanisms {
            count: 10_000,
            max: 9_999
        })
    ));
    // A huge count under a huge limit: refused for want of input, nothing sized by it.
    let unbounded = Limits {
        max_mechs: usize::MAX,
        ..Limits::default()
    };
    let (bytes, result) =
        allocated_by(|| parse_mech_list(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], &unbounded));
    check!(
        matches!(result, Err(SshError::Truncated { .. })),
        "{result:?}"
    );
    check!(bytes < 1024, "refusing allocated {bytes} bytes");
    Ok(())
}

pub(crate) fn oid_malformed_values() -> TestResult {
    check!(matches!(parse_mech(&[0x06, 0x00]), Err(SshError::BadOid)));
    // The last arc unfinished (high bit set).
    check!(matches!(
        parse_mech(&[0x06, 0x02, 0x2a, 0x86]),
        Err(SshError::BadOid)
    ));
    check!(matches!(
        parse_mech(&[0x06]),
        Err(SshError::Truncated { .. })
    ));
    check!(matches!(parse_mech(&[]), Err(SshError::Truncated { .. })));
    let long = Mechanism::from_oid(gssapi::Oid::from_der(&[0x2a; 200]).map_err(fail)?);
    check!(matches!(
        encode_mech(&long),
        Err(SshError::OidTooLong { len: 200 })
    ));
    // A length byte of 0x80 or more, matching what follows, is DER's long-form marker, not
    // a length (found by the fuzzer: it parsed and could not be encoded back).
    for n in [0x80usize, 0x9c, 0xff] {
        let mut oid = vec![0x06, n as u8];
        oid.extend(std::iter::repeat_n(0x2a, n));
        check!(
            matches!(parse_mech(&oid), Err(SshError::OidTooLong { len }) if len == n),
            "{n}"
        );
    }
    check!(
        parse_mech(&encode_mech(&Mechanism::SPNEGO).map_err(fail)?).map_err(fail)?
            == Mechanism::SPNEGO
    );
    Ok(())
}

pub(crate) fn mic_over_different_session_data() -> TestResult {
    // The client signs another session id than the server checks: a MIC replayed from
    // another session.
    let mut c = GssapiWithMicClient::new("localhost", "alice", b"session A").map_err(fail)?;
    let mut s = GssapiWithMicServer::new(None, b"session B");
    let (_, result) = run_exchange(&mut c, &mut s);
    check!(matches!(result, Err(SshError::BadMic { .. })), "{result:?}");
    check!(s.authenticated().is_none());

    // A MIC over the right session id but one bit flipped.
    let mut c = client("alice");
    let mut s = server();
    let request = c.start().map_err(fail)?;
    let response = s.receive(&request).map_err(fail)?.send;
    let token = c.receive(&response[0]).map_err(fail)?.send;
    let reply = s.receive(&token[0]).map_err(fail)?.send;
    let mut mic = c.receive(&reply[0]).map_err(fail)?.send.remove(0);
    let last = mic.len() - 1;
    mic[last] ^= 1;
    check!(matches!(s.receive(&mic), Err(SshError::BadMic { .. })));
    check!(s.authenticated().is_none());
    let _ = SESSION_ID;
    Ok(())
}

pub(crate) fn truncated_userauth_gssapi_token() -> TestResult {
    let mut c = client("alice");
    let mut s = server();
    let request = c.start().map_err(fail)?;
    let response = s.receive(&request).map_err(fail)?.send;
    let token = c.receive(&response[0]).map_err(fail)?.send.remove(0);
    check!(token[0] == 61);
    for cut in 0..token.len() {
        check!(
            matches!(
                UserauthGssapi::parse(&token[..cut], &Limits::default()),
                Err(SshError::Truncated { .. })
            ),
            "cut at {cut}"
        );
    }
    // The server refuses the truncated token without a GSSAPI call, and is done.
    let cut = &token[..token.len() - 1];
    check!(matches!(s.receive(cut), Err(SshError::Truncated { .. })));
    check!(matches!(
        s.receive(&token),
        Err(SshError::UnexpectedMessage { .. })
    ));
    Ok(())
}

pub(crate) fn mechanism_not_offered() -> TestResult {
    let mut c = client("alice");
    c.start().map_err(fail)?;
    let spnego = UserauthGssapi::Response(Mechanism::SPNEGO)
        .to_bytes()
        .map_err(fail)?;
    match c.receive(&spnego) {
        Err(SshError::MechanismNotOffered { mech }) => check!(mech == *Mechanism::SPNEGO.oid()),
        other => return Err(format!("expected MechanismNotOffered, got {other:?}").into()),
    }
    check!(
        c.context().is_none(),
        "no context for a mechanism not offered"
    );
    // A server without any of the client's mechanisms.
    let mut s = server().mechs(vec![Mechanism::SPNEGO]);
    check!(matches!(
        s.receive(&request(b"alice", &krb5_list())),
        Err(SshError::NoCommonMechanism)
    ));
    Ok(())
}

pub(crate) fn username_not_utf8() -> TestResult {
    let req = request(b"al\xffice", &krb5_list());
    check!(matches!(
        UserauthRequest::parse(&req, &Limits::default()),
        Err(SshError::NotUtf8 { field: "user name" })
    ));
    let mut s = server();
    check!(matches!(
        s.receive(&req),
        Err(SshError::NotUtf8 { field: "user name" })
    ));
    check!(s.request().is_none());
    Ok(())
}

pub(crate) fn strings_over_the_limit() -> TestResult {
    let small = Limits {
        max_string: 16,
        ..Limits::default()
    };
    let token = UserauthGssapi::Token(vec![0; 17])
        .to_bytes()
        .map_err(fail)?;
    check!(matches!(
        UserauthGssapi::parse(&token, &small),
        Err(SshError::TooLong {
            len: 17,
            max: 16,
            ..
        })
    ));
    check!(UserauthGssapi::parse(&token, &Limits::default()).is_ok());
    // A declared length of 4 GiB - 1 with nothing behind it: refused, nothing allocated.
    let huge = [61, 0xff, 0xff, 0xff, 0xff];
    let (bytes, result) = allocated_by(|| UserauthGssapi::parse(&huge, &Limits::default()));
    check!(matches!(result, Err(SshError::TooLong { .. })));
    check!(bytes < 1024);
    let unbounded = Limits {
        max_string: usize::MAX,
        ..Limits::default()
    };
    let (bytes, result) = allocated_by(|| UserauthGssapi::parse(&huge, &unbounded));
    check!(matches!(result, Err(SshError::Truncated { .. })));
    check!(bytes < 1024);
    Ok(())
}

pub(crate) fn other_malformed_messages() -> TestResult {
    let limits = Limits::default();
    check!(matches!(
        UserauthGssapi::parse(&[62], &limits),
        Err(SshError::UnexpectedMessage { code: 62, .. })
    ));
    check!(matches!(
        UserauthGssapi::parse(&[], &limits),
        Err(SshError::Truncated { .. })
    ));
    check!(matches!(
        UserauthGssapi::parse(&[63, 0], &limits),
        Err(SshError::TrailingData { extra: 1, .. })
    ));
    let mut wrong_method = vec![50];
    string(&mut wrong_method, b"alice");
    string(&mut wrong_method, b"ssh-connection");
    string(&mut wrong_method, b"publickey");
    check!(matches!(
        UserauthRequest::parse(&wrong_method, &limits),
        Err(SshError::WrongMethod { method }) if method == "publickey"
    ));
    let mut trailing = request(b"alice", &krb5_list());
    trailing.push(0);
    check!(matches!(
        UserauthRequest::parse(&trailing, &limits),
        Err(SshError::TrailingData { .. })
    ));
    check!(matches!(
        UserauthRequest::parse(&[51], &limits),
        Err(SshError::UnexpectedMessage { code: 51, .. })
    ));
    // Round trips.
    for msg in [
        UserauthGssapi::Response(Mechanism::KERBEROS),
        UserauthGssapi::Token(b"t".to_vec()),
        UserauthGssapi::ExchangeComplete,
        UserauthGssapi::ErrorToken(b"e".to_vec()),
        UserauthGssapi::Mic(b"m".to_vec()),
    ] {
        check!(
            UserauthGssapi::parse(&msg.to_bytes().map_err(fail)?, &limits).map_err(fail)? == msg
        );
    }
    Ok(())
}

pub(crate) fn messages_out_of_order() -> TestResult {
    let token = UserauthGssapi::Token(b"x".to_vec())
        .to_bytes()
        .map_err(fail)?;
    // A client that has not started takes nothing.
    let mut c = client("alice");
    check!(matches!(
        c.receive(&token),
        Err(SshError::UnexpectedMessage { .. })
    ));
    // A client waiting for the RESPONSE does not take a TOKEN.
    let mut c = client("alice");
    c.start().map_err(fail)?;
    check!(matches!(
        c.receive(&token),
        Err(SshError::UnexpectedMessage { code: 61, .. })
    ));
    let mut c = client("alice");
    c.start().map_err(fail)?;
    check!(matches!(c.start(), Err(SshError::State { .. })));
    // A server that has not seen the request takes nothing else.
    let mut s = server();
    check!(matches!(
        s.receive(&token),
        Err(SshError::UnexpectedMessage { code: 61, .. })
    ));
    // A MIC before the context is established.
    let mut s = server();
    let _ = s.receive(&request(b"alice", &krb5_list())).map_err(fail)?;
    let mic = UserauthGssapi::Mic(b"m".to_vec())
        .to_bytes()
        .map_err(fail)?;
    check!(matches!(
        s.receive(&mic),
        Err(SshError::UnexpectedMessage { code: 66, .. })
    ));
    check!(s.authenticated().is_none());
    Ok(())
}
