//! gssapi-russh's authenticator against gssapi::ssh's server, with a real KDC: the steps russh
//! makes (the selected mechanism, the server's tokens, russh's MIC data) and the messages the
//! server receives, with and without delegation, and the refusals.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;
mod openssh;

use common::*;
use gssapi::Mechanism;
use gssapi::ssh::{
    GssapiWithMicServer, Limits, SshError, UserauthGssapi, UserauthRequest, encode_mech, mic_data,
};
use gssapi_russh::{Authenticator, Error};
use russh::GssapiStep;

const SESSION_ID: &[u8] = b"session id H";

/// Plays russh's part between `auth` and `server`: returns whether the server authenticated.
fn login(auth: &mut Authenticator, server: &mut GssapiWithMicServer) -> Result<(), Error> {
    let request = UserauthRequest {
        user: "alice".into(),
        service: "ssh-connection".into(),
        mechs: auth
            .mechanism_oids()?
            .iter()
            .map(|o| gssapi::ssh::parse_mech(o))
            .collect::<Result<_, _>>()?,
    };
    let data = mic_data(SESSION_ID, "alice", "ssh-connection");
    let response = server.receive(&request.to_bytes()?)?.send;
    let UserauthGssapi::Response(mech) = UserauthGssapi::parse(&response[0], &Limits::default())?
    else {
        return Err(Error::State("no RESPONSE"));
    };
    // russh hands over the string's contents: the tagged DER.
    let mut step = auth.step(Some(&encode_mech(&mech)?), None, &data)?;
    loop {
        match step {
            GssapiStep::Continue { token } => {
                let reply = server
                    .receive(&UserauthGssapi::Token(token).to_bytes()?)?
                    .send;
                let UserauthGssapi::Token(t) =
                    UserauthGssapi::parse(&reply[0], &Limits::default())?
                else {
                    return Err(Error::State("no TOKEN"));
                };
                step = auth.step(None, Some(&t), &data)?;
            }
            GssapiStep::Complete { token, mic } => {
                if let Some(t) = token {
                    let _ = server.receive(&UserauthGssapi::Token(t).to_bytes()?)?;
                }
                let mic = mic.ok_or(Error::State("no MIC"))?;
                let done = server.receive(&UserauthGssapi::Mic(mic).to_bytes()?)?;
                return if done.done {
                    Ok(())
                } else {
                    Err(Error::State("not done"))
                };
            }
        }
    }
}

fn logs_in_without_delegation() -> TestResult {
    let mut auth = Authenticator::new("localhost").map_err(fail)?;
    let mut server = GssapiWithMicServer::new(None, SESSION_ID);
    login(&mut auth, &mut server).map_err(fail)?;
    let user = server.authenticated().ok_or("not authenticated")?;
    check!(user.principal.to_string() == realm().user_principal());
    check!(user.delegated.is_none());
    check!(
        auth.context()
            .ok_or("no context")?
            .is_mutual()
            .map_err(fail)?
    );
    check!(
        auth.mechanism_oids().map_err(fail)?
            == [b"\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02".to_vec()]
    );
    Ok(())
}

fn logs_in_with_delegation() -> TestResult {
    let creds = gssapi::Credentials::initiator_from_ccache(&realm().user_ccache()).map_err(fail)?;
    let mut auth = Authenticator::new("localhost")
        .map_err(fail)?
        .credentials(&creds)
        .delegate(true);
    let mut server = GssapiWithMicServer::new(None, SESSION_ID);
    login(&mut auth, &mut server).map_err(fail)?;
    let user = server.into_authenticated().ok_or("not authenticated")?;
    let delegated = user.delegated.ok_or("nothing delegated")?;
    let name = delegated
        .ccache
        .credentials()
        .map_err(fail)?
        .name()
        .map_err(fail)?;
    check!(name.to_string() == realm().user_principal());
    Ok(())
}

fn refuses_a_mechanism_not_offered() -> TestResult {
    let mut auth = Authenticator::new("localhost").map_err(fail)?;
    let spnego = encode_mech(&Mechanism::SPNEGO).map_err(fail)?;
    check!(matches!(
        auth.step(Some(&spnego), None, b""),
        Err(Error::Ssh(SshError::MechanismNotOffered { .. }))
    ));
    check!(matches!(
        auth.step(Some(b"\x04\x01\x00"), None, b""),
        Err(Error::Ssh(SshError::NotAnOid { tag: 4 }))
    ));
    // A token before any selection.
    let mut auth = Authenticator::new("localhost").map_err(fail)?;
    check!(matches!(
        auth.step(None, Some(b"x"), b""),
        Err(Error::State(_))
    ));
    let empty = Authenticator::new("localhost").map_err(fail)?.mechs(vec![]);
    check!(matches!(
        empty.mechanism_oids(),
        Err(Error::Ssh(SshError::NoMechanisms))
    ));
    Ok(())
}

fn a_bad_server_token_is_an_error() -> TestResult {
    let mut auth = Authenticator::new("localhost").map_err(fail)?;
    let krb5 = encode_mech(&Mechanism::KERBEROS).map_err(fail)?;
    let GssapiStep::Continue { .. } = auth.step(Some(&krb5), None, b"").map_err(fail)? else {
        return Err("Kerberos with mutual authentication continues".into());
    };
    check!(matches!(
        auth.step(None, Some(b"\x00"), b""),
        Err(Error::Ssh(SshError::ContextFailed { .. }))
    ));
    Ok(())
}

fn main() {
    let tests = vec![
        libtest_mimic::Trial::test("logs_in_without_delegation", logs_in_without_delegation),
        libtest_mimic::Trial::test("logs_in_with_delegation", logs_in_with_delegation),
        libtest_mimic::Trial::test(
            "refuses_a_mechanism_not_offered",
            refuses_a_mechanism_not_offered,
        ),
        libtest_mimic::Trial::test(
            "a_bad_server_token_is_an_error",
            a_bad_server_token_is_an_error,
        ),
        libtest_mimic::Trial::test(
            "openssh::login_with_and_without_delegation",
            openssh::openssh_login_with_and_without_delegation,
        ),
        libtest_mimic::Trial::test("openssh::gss_keyex_names", openssh::openssh_gss_keyex_names),
        libtest_mimic::Trial::test(
            "openssh::login_without_a_ticket",
            openssh::openssh_login_without_a_ticket,
        ),
        libtest_mimic::Trial::test(
            "openssh::login_without_a_ticket_child",
            openssh::login_without_a_ticket_child,
        ),
    ];
    // The OpenSSH tests need root (see openssh.rs): ignored, and so reported, otherwise.
    let root = openssh::is_root();
    let tests = tests
        .into_iter()
        .map(|t| {
            if !root && t.name().starts_with("openssh::") {
                t.with_ignored_flag(true)
            } else {
                t
            }
        })
        .collect();
    common::run(tests, |_| {});
}
