//! gssapi-with-mic between the Rust client and server, through the codecs.

use crate::{SESSION_ID, TestResult, check, client, fail, realm, run_exchange, server};
use gssapi::ssh::{
    GssapiWithMicClient, GssapiWithMicServer, SSH_MSG_USERAUTH_GSSAPI_ERROR,
    SSH_MSG_USERAUTH_GSSAPI_ERRTOK, SSH_MSG_USERAUTH_GSSAPI_MIC, SSH_MSG_USERAUTH_GSSAPI_RESPONSE,
    SSH_MSG_USERAUTH_GSSAPI_TOKEN, SSH_MSG_USERAUTH_REQUEST, SshError, UserauthGssapi,
};
use gssapi::{Credentials, Mechanism, TemporaryCcache};

fn codes(messages: &[Vec<u8>]) -> Vec<u8> {
    messages
        .iter()
        .map(|m| m.first().copied().unwrap_or(0))
        .collect()
}

pub(crate) fn without_delegation() -> TestResult {
    let mut c = client("alice");
    let mut s = server();
    let (t, result) = run_exchange(&mut c, &mut s);
    result.map_err(fail)?;
    // Request, Kerberos AP-REQ, MIC; the server chose Kerberos and answered with the AP-REP.
    check!(
        codes(&t.to_server)
            == [
                SSH_MSG_USERAUTH_REQUEST,
                SSH_MSG_USERAUTH_GSSAPI_TOKEN,
                SSH_MSG_USERAUTH_GSSAPI_MIC
            ],
        "{:?}",
        codes(&t.to_server)
    );
    check!(
        codes(&t.to_client)
            == [
                SSH_MSG_USERAUTH_GSSAPI_RESPONSE,
                SSH_MSG_USERAUTH_GSSAPI_TOKEN
            ],
        "{:?}",
        codes(&t.to_client)
    );
    check!(c.is_done());
    let user = s.authenticated().ok_or("not authenticated")?;
    check!(user.user == "alice" && user.service == "ssh-connection");
    check!(user.principal.to_string() == realm().user_principal());
    check!(user.mech == Mechanism::KERBEROS);
    check!(user.delegated.is_none(), "nothing delegated unless asked");
    check!(
        !c.context()
            .ok_or("no context")?
            .is_delegated()
            .map_err(fail)?
    );
    check!(
        !s.context()
            .ok_or("no context")?
            .is_delegated()
            .map_err(fail)?
    );
    check!(
        s.request()
            .is_some_and(|r| r.mechs == [Mechanism::KERBEROS])
    );
    Ok(())
}

pub(crate) fn with_delegation_the_server_keeps_a_ccache() -> TestResult {
    let live = TemporaryCcache::live();
    let mut c = client("alice").delegate(true);
    let mut s = server();
    let (_, result) = run_exchange(&mut c, &mut s);
    result.map_err(fail)?;
    check!(
        c.context()
            .ok_or("no context")?
            .is_delegated()
            .map_err(fail)?
    );
    let user = s.into_authenticated().ok_or("not authenticated")?;
    let delegated = user.delegated.as_ref().ok_or("no delegated credentials")?;
    check!(delegated.ccache_name().starts_with("MEMORY:"));
    check!(TemporaryCcache::live() > live);
    // What the ccache holds is the user's: its credentials are named after the principal,
    // and they get a ticket for another service.
    let from_ccache = delegated.ccache.credentials().map_err(fail)?;
    let name = from_ccache.name().map_err(fail)?;
    check!(
        name.to_string() == realm().user_principal(),
        "ccache holds {name}"
    );
    check!(delegated.credentials.name().map_err(fail)?.to_string() == realm().user_principal());
    let target = gssapi::Name::hostbased_service(&realm().http_service()).map_err(fail)?;
    let mut onward = gssapi::SecurityContext::initiator(&target)
        .credentials(&from_ccache)
        .mech(&Mechanism::KERBEROS)
        .build();
    check!(onward.step(None).map_err(fail)?.is_some(), "a token onward");
    drop(user);
    drop(from_ccache);
    check!(
        TemporaryCcache::live() == live,
        "the ccache died with the session"
    );
    Ok(())
}

pub(crate) fn explicit_credentials_and_service() -> TestResult {
    let init = Credentials::initiator_from_ccache(&realm().user_ccache()).map_err(fail)?;
    let accept = Credentials::acceptor_from_keytab(&realm().keytab()).map_err(fail)?;
    let mut c = client("bob")
        .credentials(&init)
        .service("other-service")
        .mechs(vec![Mechanism::SPNEGO, Mechanism::KERBEROS]);
    let mut s = GssapiWithMicServer::new(Some(&accept), SESSION_ID);
    let (t, result) = run_exchange(&mut c, &mut s);
    result.map_err(fail)?;
    // The server picks the client's first choice it supports: Kerberos.
    check!(
        UserauthGssapi::parse(&t.to_client[0], &Default::default()).map_err(fail)?
            == UserauthGssapi::Response(Mechanism::KERBEROS)
    );
    let user = s.authenticated().ok_or("not authenticated")?;
    check!(user.user == "bob" && user.service == "other-service");
    // The target is host@<hostname>.
    let target = c
        .context()
        .ok_or("no context")?
        .target_name()
        .map_err(fail)?;
    check!(
        target.to_string().starts_with("host/localhost@") || target.to_string() == "host@localhost",
        "{target}"
    );
    Ok(())
}

pub(crate) fn server_error_reaches_the_client() -> TestResult {
    // A token for another service than the server's keytab holds: the server's
    // accept fails; it sends ERRTOK (when the library made an error token) and ERROR.
    let target = gssapi::Name::hostbased_service("nfs@localhost").map_err(fail)?;
    realm()
        .add_principal(&format!("nfs/localhost@{}", realm().realm_name()), None)
        .ok();
    let mut c = GssapiWithMicClient::with_target(target, "alice", SESSION_ID);
    let mut s = server();
    let (t, result) = run_exchange(&mut c, &mut s);
    let Err(SshError::ContextFailed { source, send }) = result else {
        return Err(format!("expected the server's ContextFailed, got {result:?}").into());
    };
    let last = UserauthGssapi::parse(send.last().ok_or("nothing to send")?, &Default::default())
        .map_err(fail)?;
    let UserauthGssapi::Error(status) = last else {
        return Err(format!("expected ERROR last, got {last:?}").into());
    };
    check!(status.major == source.major() && status.minor == source.minor());
    check!(!status.message.is_empty());
    // The client, given the server's messages, reports the server's failure.
    let first = send.first().ok_or("nothing")?;
    // MIT makes a KRB-ERROR token for a ticket to another service; Heimdal makes none.
    let expected: &[u8] = if crate::heimdal() {
        &[SSH_MSG_USERAUTH_GSSAPI_ERROR]
    } else {
        &[
            SSH_MSG_USERAUTH_GSSAPI_ERRTOK,
            SSH_MSG_USERAUTH_GSSAPI_ERROR,
        ]
    };
    check!(codes(&send) == expected, "{:?}: {source}", codes(&send));
    let mut c2 = GssapiWithMicClient::with_target(
        gssapi::Name::hostbased_service("nfs@localhost").map_err(fail)?,
        "alice",
        SESSION_ID,
    );
    c2.start().map_err(fail)?;
    let _ = c2.receive(&t.to_client[0]).map_err(fail)?;
    match (first[0], c2.receive(first)) {
        (SSH_MSG_USERAUTH_GSSAPI_ERRTOK, Err(SshError::PeerErrorToken { token, .. })) => {
            check!(!token.is_empty());
        }
        (SSH_MSG_USERAUTH_GSSAPI_ERROR, Err(SshError::PeerError(got))) => {
            check!(got == status);
        }
        (code, other) => return Err(format!("message {code}: {other:?}").into()),
    }
    Ok(())
}

pub(crate) fn client_error_on_a_bad_server_token() -> TestResult {
    // Replies that are no AP-REP: garbage, a GSS header with another OID, a Kerberos AP-REQ
    // where the AP-REP belongs, an unframed AP-REP, a header without its token id. Heimdal
    // 7.8 itself segfaults on each of these (gssapi-raw refuses them before the call there).
    let replies: [&[u8]; 6] = [
        b"\x00",
        b"\x60\x05\x06\x03not an AP-REP",
        b"\x60\x0e\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01\x00\x00",
        b"\x6f\x03\x02\x01\x00",
        b"\x60\x0b\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02",
        // Framed as an AP-REP, with a body that is not one.
        b"\x60\x0f\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x02\x00\x30\x00",
    ];
    for (i, reply) in replies.into_iter().enumerate() {
        let mut c = client("alice");
        c.start().map_err(fail)?;
        let response = UserauthGssapi::Response(Mechanism::KERBEROS)
            .to_bytes()
            .map_err(fail)?;
        let step = c.receive(&response).map_err(fail)?;
        check!(codes(&step.send) == [SSH_MSG_USERAUTH_GSSAPI_TOKEN]);
        let bogus = UserauthGssapi::Token(reply.to_vec())
            .to_bytes()
            .map_err(fail)?;
        match c.receive(&bogus) {
            Err(SshError::ContextFailed { send, source }) => {
                // Only an ERRTOK, and only when the library produced a token.
                check!(send.iter().all(|m| m[0] == SSH_MSG_USERAUTH_GSSAPI_ERRTOK));
                // Refused before the library saw it (major 0) on Heimdal only, and only those
                // it would crash on; the library's own error otherwise.
                let refused = source.gss().is_some_and(|g| g.major() == 0);
                check!(refused == (crate::heimdal() && i < 5), "{i}: {source}");
            }
            other => {
                return Err(format!("{reply:x?}: expected ContextFailed, got {other:?}").into());
            }
        }
        // The client is finished after a failure.
        check!(matches!(
            c.receive(&bogus),
            Err(SshError::UnexpectedMessage { .. })
        ));
    }
    Ok(())
}

pub(crate) fn exchange_complete_needs_no_integrity() -> TestResult {
    // Kerberos always has integrity, so a client that skips the MIC is refused.
    let mut c = client("alice");
    let mut s = server();
    let request = c.start().map_err(fail)?;
    let response = s.receive(&request).map_err(fail)?.send;
    let tokens = c.receive(&response[0]).map_err(fail)?.send;
    let reply = s.receive(&tokens[0]).map_err(fail)?.send;
    check!(s.authenticated().is_none());
    let done = c.receive(&reply[0]).map_err(fail)?;
    check!(done.done && codes(&done.send) == [SSH_MSG_USERAUTH_GSSAPI_MIC]);
    let complete = UserauthGssapi::ExchangeComplete.to_bytes().map_err(fail)?;
    check!(matches!(s.receive(&complete), Err(SshError::MicRequired)));
    check!(s.authenticated().is_none());
    Ok(())
}
