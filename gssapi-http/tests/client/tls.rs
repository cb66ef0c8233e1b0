//! `tls-server-end-point` channel bindings over real TLS (rustls, an rcgen certificate for
//! localhost): the middleware reads the certificate from reqwest's `TlsInfo`.

use crate::support::*;
use crate::*;
use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
use gssapi_http::server::Acceptor;
use http::StatusCode;

/// A TLS server presenting `cert`, whose acceptor expects the bindings of `bound_to`.
fn tls_server(cert: &(Vec<u8>, Vec<u8>), bound_to: &[u8]) -> Result<Server, Failed> {
    let acceptor = Acceptor::builder()
        .keytab(realm().keytab())
        .channel_bindings_from_certificate(bound_to)
        .map_err(fail)?
        .build()
        .map_err(fail)?;
    Ok(serve_tls(protected(acceptor), &cert.0, &cert.1))
}

fn required() -> NegotiateClient {
    NegotiateClient::builder()
        .mutual_authentication(MutualAuthentication::Required)
        .build()
}

pub fn matching_bindings_accepted() -> TestResult {
    let cert = certificate();
    let server = tls_server(&cert, &cert.0)?;
    let client = http_with(https_builder(&cert.0, true), required());
    let got = get_ok(&client, &server.https_url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(
        got.body.starts_with(&user_line(&realm().user_principal())),
        "{}",
        got.body
    );
    check!(server.requests() == 2, "{}", server.requests());
    Ok(())
}

/// The acceptor expects another certificate's bindings (as behind a TLS-terminating
/// man in the middle): every token is refused.
pub fn wrong_bindings_refused() -> TestResult {
    let cert = certificate();
    let other = certificate();
    let server = tls_server(&cert, &other.0)?;
    let client = http_with(https_builder(&cert.0, true), required());
    let err = get_err(&client, &server.https_url("localhost"))?;
    check_refused_bindings(gss_kind(&err))?;
    // The bare request, then the bound token, refused: no third request.
    check!(server.requests() == 2, "{}", server.requests());
    Ok(())
}

/// How the client's context ends when the acceptor refused its bindings: the acceptor's
/// error token on the 401 fails the next `gss_init_sec_context`. MIT reports
/// GSS_S_FAILURE ("Generic error (see e-text)", the KRB-ERROR it got); Heimdal
/// GSS_S_BAD_MECH (its SPNEGO reject).
pub fn check_refused_bindings(kind: Option<gssapi::ErrorKind>) -> TestResult {
    let expected = if heimdal() {
        gssapi::ErrorKind::BadMechanism
    } else {
        gssapi::ErrorKind::GssError
    };
    check!(kind == Some(expected), "{kind:?}, expected {expected:?}");
    Ok(())
}

/// The client sends no bindings (reqwest without `tls_info`): MIT and Heimdal acceptors
/// both accept a token without bindings although they were given bindings (RFC 2744 leaves
/// that to the mechanism; neither enforces them by default). Bindings protect only clients
/// that send them.
pub fn missing_initiator_bindings() -> TestResult {
    let cert = certificate();
    let server = tls_server(&cert, &cert.0)?;
    let client = http_with(https_builder(&cert.0, false), required());
    let got = get_ok(&client, &server.https_url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(server.requests() == 2, "{}", server.requests());
    Ok(())
}
