//! NTLM through SPNEGO with gss-ntlmssp (an MIT mechglue plugin): a real three-leg exchange
//! whose partial context is bound to its connection, with the pending cap and time-to-live.
//! Heimdal has no credential store to give gss-ntlmssp its users: asserted as such.
//!
//! gss-ntlmssp 1.2.0 (Debian 12) crashes in `gss_accept_sec_context` with acceptor
//! credentials from a credential store, so the exchanges run in a child process whose
//! acceptor uses default credentials (`KRB5_KTNAME`, `NTLM_USER_FILE` in its environment),
//! and the parent checks that an acceptor from a keytab refuses NTLM instead of crashing.

use crate::app::{self, NTLM_DOMAIN, NTLM_PASSWORD, NTLM_USER};
use crate::support::{get_ok, http};
use crate::*;
use gssapi::{CredStore, CredUsage, Credentials, Mechanism, Name, SecurityContext};
use gssapi_http::client::NegotiateClient;
use gssapi_http::header::negotiate_header;
use gssapi_http::server::{Acceptor, AuthError, ConnectionId, Outcome};
use http::{HeaderMap, StatusCode};
use std::time::Duration;

/// SPNEGO initiator credentials of the NTLM user, negotiating NTLM only; `None` on Heimdal,
/// after checking that it refuses (no credential store).
fn ntlm_client_credentials() -> Result<Option<Credentials>, Failed> {
    let acquired = Credentials::builder()
        .name(&Name::user(NTLM_USER).map_err(fail)?)
        .mech(&Mechanism::SPNEGO)
        .usage(CredUsage::Initiate)
        .store(
            CredStore::new()
                .insert_any("ntlmssp_domain", NTLM_DOMAIN)
                .insert_any("ntlmssp_password", NTLM_PASSWORD),
        )
        .negotiable_mech(&Mechanism::NTLMSSP)
        .acquire();
    if heimdal() {
        let err = acquired
            .err()
            .ok_or("Heimdal acquired NTLM credentials from a store")?;
        check!(
            err.gss().is_some_and(|g| g.is_unavailable_in_library()),
            "{err:?}"
        );
        return Ok(None);
    }
    acquired.map(Some).map_err(fail)
}

/// An acceptor for Kerberos and NTLM: default credentials (the child's `KRB5_KTNAME` and
/// `NTLM_USER_FILE`).
fn ntlm_acceptor(max_pending: usize, ttl: Duration) -> Result<Acceptor, Failed> {
    check!(
        std::env::var_os("NTLM_USER_FILE").is_some(),
        "run in the child"
    );
    Acceptor::builder()
        .max_pending(max_pending)
        .pending_ttl(ttl)
        .build()
        .map_err(fail)
}

/// Runs `test` (an NTLM exchange) in a child with gss-ntlmssp's user file; nothing on
/// Heimdal (after checking it refuses the NTLM credentials).
fn in_ntlm_child(test: &str) -> TestResult {
    if ntlm_client_credentials()?.is_none() {
        return Ok(());
    }
    run_in_child(test, &[("NTLM_USER_FILE", &app::ntlm_user_file())])
}

pub fn ntlm_through_spnego() -> TestResult {
    in_ntlm_child("ntlm::ntlm_through_spnego_child")
}

pub fn ntlm_pending_bounds() -> TestResult {
    in_ntlm_child("ntlm::ntlm_pending_bounds_child")
}

/// An acceptor from a keytab (credential store) negotiates Kerberos only: an NTLM client
/// gets a 401, and the server goes on (rather than gss-ntlmssp 1.2.0 crashing it).
pub fn ntlm_refused_by_keytab_acceptor() -> TestResult {
    let Some(creds) = ntlm_client_credentials()? else {
        return Ok(());
    };
    let acceptor = app::acceptor();
    let (server, _) = app::serve(acceptor.clone(), false);
    let (_, first) = ntlm_start(&creds)?;
    let out = acceptor.authenticate(&first, Some(ConnectionId::Id(7)));
    check!(matches!(
        refused_with(&out, StatusCode::UNAUTHORIZED)?,
        AuthError::Gss(_)
    ));
    check!(acceptor.pending() == 0);
    // Over HTTP: the 401 carries SPNEGO's reject token, which ends the client's exchange.
    let client = http(NegotiateClient::builder().credentials(creds).build());
    check!(refused_over_http(&client, &server.url("localhost"))?);
    // Kerberos still works on the same server.
    let got = get_ok(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    Ok(())
}

/// Whether a request was refused: a 401 (the library took the reject token as an
/// unfinished exchange) or the client's GSSAPI error from SPNEGO's reject token (MIT).
pub fn refused_over_http(client: &crate::support::Client, url: &str) -> Result<bool, Failed> {
    match crate::support::get(client, url) {
        Ok(got) => Ok(got.status == StatusCode::UNAUTHORIZED),
        Err(e) => Ok(crate::support::gss_kind(&e).is_some()),
    }
}

pub fn ntlm_through_spnego_child() -> TestResult {
    crate::support::install_crypto_provider();
    let creds = ntlm_client_credentials()?.ok_or("no NTLM credentials")?;
    let acceptor = ntlm_acceptor(16, Duration::from_secs(60))?;
    let (server, _) = app::serve(acceptor.clone(), false);
    let client = http(NegotiateClient::builder().credentials(creds).build());
    let got = get_ok(&client, &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    let want = format!("principal={NTLM_DOMAIN}\\{NTLM_USER} ");
    check!(got.body.starts_with(&want), "{}", got.body);
    check!(got.body.contains(" mech=ntlm "), "{}", got.body);
    // Three legs: no token (401), NEGOTIATE (401 + CHALLENGE), AUTHENTICATE (200), all on
    // one connection, whose partial context is gone once it completed.
    let seen = server.seen();
    check!(seen.len() == 3, "{} requests: {seen:?}", seen.len());
    check!(acceptor.pending() == 0, "{} pending", acceptor.pending());
    Ok(())
}

/// One SPNEGO/NTLM initiator and its first token.
fn ntlm_start(creds: &Credentials) -> Result<(SecurityContext, HeaderMap), Failed> {
    let target = Name::hostbased_service("HTTP@localhost").map_err(fail)?;
    let mut ctx = SecurityContext::initiator(&target)
        .credentials(creds)
        .mech(&Mechanism::SPNEGO)
        .build();
    let token = ctx.step(None).map_err(fail)?.ok_or("no first token")?;
    Ok((ctx, authorization(&token)))
}

fn authorization(token: &[u8]) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(http::header::AUTHORIZATION, negotiate_header(token));
    h
}

/// The server's token in a 401's `WWW-Authenticate: Negotiate <token>`.
fn challenge_token(outcome: &Outcome) -> Result<Vec<u8>, Failed> {
    use base64::Engine as _;
    let Outcome::Respond {
        status, headers, ..
    } = outcome
    else {
        return Err("authenticated after one NTLM leg".into());
    };
    check!(*status == StatusCode::UNAUTHORIZED, "{outcome:?}");
    let value = headers
        .get(http::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Negotiate "))
        .ok_or("no challenge token")?;
    base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(fail)
}

fn refused_with(outcome: &Outcome, status: StatusCode) -> Result<&AuthError, Failed> {
    match outcome {
        Outcome::Respond {
            status: s,
            error: Some(e),
            ..
        } if *s == status => Ok(e),
        other => Err(format!("expected {status} with an error, got {other:?}").into()),
    }
}

pub fn ntlm_pending_bounds_child() -> TestResult {
    crate::support::install_crypto_provider();
    let creds = ntlm_client_credentials()?.ok_or("no NTLM credentials")?;
    let acceptor = ntlm_acceptor(1, Duration::from_millis(300))?;
    let (one, two, three) = (
        ConnectionId::Id(1),
        ConnectionId::Id(2),
        ConnectionId::Id(3),
    );

    // No connection to bind the partial context to: refused, nothing kept.
    let (_, first) = ntlm_start(&creds)?;
    let out = acceptor.authenticate(&first, None);
    check!(matches!(
        refused_with(&out, StatusCode::UNAUTHORIZED)?,
        AuthError::NoConnection
    ));
    check!(acceptor.pending() == 0);

    // Connection 1 starts; connection 2 cannot while 1 waits (cap 1): 503.
    let (mut a, first) = ntlm_start(&creds)?;
    let challenge = challenge_token(&acceptor.authenticate(&first, Some(one)))?;
    check!(acceptor.pending() == 1);
    let (_, other_first) = ntlm_start(&creds)?;
    let out = acceptor.authenticate(&other_first, Some(two));
    check!(matches!(
        refused_with(&out, StatusCode::SERVICE_UNAVAILABLE)?,
        AuthError::TooManyPending(1)
    ));

    // The third leg on another connection finds no partial context: refused.
    let last = a
        .step(Some(&challenge))
        .map_err(fail)?
        .ok_or("no AUTHENTICATE")?;
    let out = acceptor.authenticate(&authorization(&last), Some(three));
    check!(matches!(
        refused_with(&out, StatusCode::UNAUTHORIZED)?,
        AuthError::Gss(_)
    ));
    check!(acceptor.pending() == 1, "connection 1 still waits");

    // Closing connection 1 frees its slot.
    acceptor.connection_closed(one);
    check!(acceptor.pending() == 0);

    // A partial context older than the time-to-live is not continued.
    let (mut b, first) = ntlm_start(&creds)?;
    let challenge = challenge_token(&acceptor.authenticate(&first, Some(two)))?;
    std::thread::sleep(Duration::from_millis(400));
    let last = b
        .step(Some(&challenge))
        .map_err(fail)?
        .ok_or("no AUTHENTICATE")?;
    let out = acceptor.authenticate(&authorization(&last), Some(two));
    check!(matches!(
        refused_with(&out, StatusCode::UNAUTHORIZED)?,
        AuthError::Gss(_)
    ));

    // In time, on its own connection, the exchange completes.
    let (mut c, first) = ntlm_start(&creds)?;
    let challenge = challenge_token(&acceptor.authenticate(&first, Some(three)))?;
    let last = c
        .step(Some(&challenge))
        .map_err(fail)?
        .ok_or("no AUTHENTICATE")?;
    match acceptor.authenticate(&authorization(&last), Some(three)) {
        Outcome::Authenticated { identity, .. } => {
            check!(identity.mech() == &Mechanism::NTLMSSP, "{identity:?}");
            check!(
                identity.principal() == format!("{NTLM_DOMAIN}\\{NTLM_USER}"),
                "{:?}",
                identity.principal()
            );
        }
        other => return Err(format!("the in-time exchange failed: {other:?}").into()),
    }
    check!(acceptor.pending() == 0);
    Ok(())
}
