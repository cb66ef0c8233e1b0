//! The cases: each runs alone under the process's capture, then checks what it wrote.

use crate::capture::{Capture, Secrets, assert_no_leak, expect_line, expect_span};
use crate::support::{self, get_ok, http, send};
use crate::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gssapi::{Flags, Mechanism, Name, SecurityContext};
use gssapi_http::client::{ClientError, MutualAuthentication, NegotiateClient, Verdict};
use gssapi_http::server::{Acceptor, Outcome};
use gssapi_http::session::{SessionKey, Sessions};
use http::header::{AUTHORIZATION, COOKIE, SET_COOKIE, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, StatusCode};
use std::sync::{Mutex, OnceLock};
use tracing_subscriber::util::SubscriberInitExt as _;

static CAPTURE: OnceLock<Capture> = OnceLock::new();

/// Installs the process's subscriber (in `main`, while the process has one thread).
pub fn install() {
    let capture = Capture::default();
    capture
        .subscriber()
        .try_init()
        .expect("the first global subscriber");
    CAPTURE.set(capture).ok().expect("installed once");
}

/// Runs `body` alone (no other test writes meanwhile), then checks that none of the
/// secrets it recorded is in the output written since it began; returns that output.
fn traced(body: impl FnOnce(&mut Secrets) -> TestResult) -> Result<String, Failed> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let capture = CAPTURE.get().ok_or("no capture installed")?;
    let start = capture.len();
    let mut secrets = Secrets::default();
    body(&mut secrets)?;
    let output = capture.since(start);
    assert_no_leak(&output, &secrets)?;
    Ok(String::from_utf8_lossy(&output).into_owned())
}

/// Records a header value, and the token inside a `Negotiate` one.
fn add_header(secrets: &mut Secrets, what: &str, value: &str) -> TestResult {
    secrets.add(format!("{what} header"), value.as_bytes());
    if let Some(b64) = value.strip_prefix("Negotiate ") {
        let token = STANDARD.decode(b64).map_err(fail)?;
        secrets.add(format!("{what} token"), &token);
    }
    Ok(())
}

fn headers_with(name: http::HeaderName, value: &str) -> Result<HeaderMap, Failed> {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_str(value).map_err(fail)?);
    Ok(headers)
}

pub fn negotiate_with_delegation_and_session() -> TestResult {
    let user = realm().user_principal();
    let output = traced(|secrets| {
        let sessions = Sessions::new(SessionKey::generate());
        let acceptor = Acceptor::builder()
            .keytab(realm().keytab())
            .sessions(sessions)
            .build()
            .map_err(fail)?;
        let server = support::serve(support::protected(acceptor));
        let client = http(
            NegotiateClient::builder()
                .mutual_authentication(MutualAuthentication::Required)
                .delegate(true)
                .build(),
        );
        let url = server.url("localhost");
        let got = get_ok(&client, &url)?;
        check!(got.status == StatusCode::OK, "{got:?}");
        check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
        check!(got.body.contains("delegated=true"), "{}", got.body);
        // Every Authorization header the server saw, the mutual token, the cookie.
        let mut tokens = 0;
        for seen in server.seen() {
            if let Some(value) = seen.authorization() {
                add_header(secrets, "Authorization", &value)?;
                tokens += 1;
            }
        }
        check!(tokens == 1, "{tokens} Authorization headers");
        let mutual = got
            .headers
            .get(WWW_AUTHENTICATE)
            .ok_or("no mutual token")?
            .to_str()
            .map_err(fail)?;
        add_header(secrets, "WWW-Authenticate", mutual)?;
        let set_cookie = got
            .headers
            .get(SET_COOKIE)
            .ok_or("no session cookie")?
            .to_str()
            .map_err(fail)?;
        secrets.add("Set-Cookie", set_cookie.as_bytes());
        let cookie = set_cookie.split(';').next().ok_or("empty cookie")?;
        let value = cookie.split_once('=').ok_or("no =")?.1;
        secrets.add("session cookie", value.as_bytes());
        // The cookie alone authenticates the next request.
        let plain = reqwest_middleware::ClientBuilder::new(reqwest::Client::new()).build();
        let again = send(plain.get(&url).header(COOKIE, cookie)).map_err(fail)?;
        check!(again.status == StatusCode::OK, "{again:?}");
        Ok(())
    })?;
    // The client's rounds: the 401 answered with a token, the 200 verified.
    let client_round = "gssapi_http.client.round";
    let common = [
        "host=\"localhost\"",
        "target=HTTP@localhost",
        "mutual=Required",
        "delegate=true",
    ];
    let first = ["round=1", "status=401", "next=\"retry\"", "sent_token=true"];
    expect_span(&output, client_round, &[&common[..], &first].concat())?;
    let last = [
        "round=2",
        "status=200",
        "next=\"done\"",
        "verdict=Authenticated",
    ];
    expect_span(&output, client_round, &[&common[..], &last].concat())?;
    // The server's accepts: the bare challenge, the token, the cookie.
    let accept = "gssapi_http.server.accept";
    expect_span(
        &output,
        accept,
        &["outcome=\"challenge\"", "status=401", "proxy=false"],
    )?;
    let krb5 = Mechanism::KERBEROS.to_string();
    let principal = format!("principal=\"{user}\"");
    let mech = format!("mech={krb5}");
    let ok = [
        "outcome=\"ok\"",
        &principal,
        &mech,
        "delegated=true",
        "from_session=false",
        "DELEGATE",
    ];
    expect_span(&output, accept, &ok)?;
    expect_span(
        &output,
        accept,
        &["outcome=\"ok\"", &principal, "from_session=true"],
    )?;
    // gssapi's steps ran inside: the acceptor's within the accept, the initiator's within
    // the client's round.
    expect_line(
        &output,
        &[
            "gssapi_http.server.accept{",
            "gssapi.step{role=\"acceptor\"",
            "complete=true",
            "delegated=true",
        ],
    )?;
    expect_line(
        &output,
        &[
            "gssapi_http.client.round{",
            "gssapi.step{role=\"initiator\"",
            "target=HTTP@localhost",
        ],
    )?;
    Ok(())
}

/// A fresh token from the default user for `service`.
fn token_for(service: &str, secrets: &mut Secrets) -> Result<String, Failed> {
    let target = Name::hostbased_service(service).map_err(fail)?;
    let mut ctx = SecurityContext::initiator(&target)
        .flags(Flags::MUTUAL)
        .build();
    let token = ctx.step(None).map_err(fail)?.ok_or("no token")?;
    secrets.add(format!("token for {service}"), &token);
    let value = format!("Negotiate {}", STANDARD.encode(&token));
    secrets.add(format!("header for {service}"), value.as_bytes());
    Ok(value)
}

pub fn refusals_carry_outcomes_and_codes() -> TestResult {
    let mut refused = None;
    let output = traced(|secrets| {
        // A token for another service than the acceptor's: the library refuses it.
        let acceptor = support::acceptor_for("HTTP@www.localhost");
        let headers = headers_with(AUTHORIZATION, &token_for("svc@localhost", secrets)?)?;
        match acceptor.authenticate(&headers, None) {
            Outcome::Respond {
                status,
                error: Some(gssapi_http::server::AuthError::Gss(e)),
                ..
            } => {
                check!(status == StatusCode::UNAUTHORIZED);
                refused = Some((e.major(), e.minor()));
            }
            other => return Err(format!("another service's token: {other:?}").into()),
        }
        // A header that does not parse.
        let bad = "Negotiate YIIBxAYGKwYBBQUCoIIBuDCCAbSgGDAWBgkqhkiG9xIBAgIGCSqGSIb3EgEC!!";
        secrets.add("bad header", bad.as_bytes());
        let outcome = acceptor.authenticate(&headers_with(AUTHORIZATION, bad)?, None);
        check!(
            outcome.status() == Some(StatusCode::BAD_REQUEST),
            "{outcome:?}"
        );
        // A principal the allow-list does not name.
        let allow_other = Acceptor::builder()
            .keytab(realm().keytab())
            .allow_principals([format!("{}@{}", support::OTHER_USER, realm().realm_name())])
            .build()
            .map_err(fail)?;
        let headers = headers_with(AUTHORIZATION, &token_for("HTTP@localhost", secrets)?)?;
        let outcome = allow_other.authenticate(&headers, None);
        check!(
            outcome.status() == Some(StatusCode::FORBIDDEN),
            "{outcome:?}"
        );
        Ok(())
    })?;
    let (major, minor) = refused.ok_or("no refusal")?;
    let accept = "gssapi_http.server.accept";
    expect_span(
        &output,
        accept,
        &[
            "outcome=\"refused\"",
            "status=401",
            &format!("major={major:#010x}"),
            &format!("minor={minor}"),
            "kind=",
            "error=",
        ],
    )?;
    expect_span(
        &output,
        accept,
        &[
            "outcome=\"bad_request\"",
            "status=400",
            "error=bad authorization header",
        ],
    )?;
    expect_span(
        &output,
        accept,
        &[
            "outcome=\"forbidden\"",
            "status=403",
            &format!("error={} is not allowed", realm().user_principal()),
        ],
    )?;
    // gssapi's own failure event, inside the accept.
    expect_line(
        &output,
        &[
            "gssapi_http.server.accept{",
            "operation=\"step\"",
            &format!("major={major:#010x}"),
        ],
    )?;
    Ok(())
}

pub fn client_failure_carries_codes() -> TestResult {
    let mut codes = None;
    let output = traced(|secrets| {
        // A service the realm does not have: no token can be made.
        let client = NegotiateClient::builder()
            .service("nosuch")
            .opportunistic(true)
            .build();
        match client.exchange().initial("localhost") {
            Err(ClientError::Gss(e)) => codes = Some((e.major(), e.minor())),
            other => return Err(format!("a token for nosuch: {other:?}").into()),
        }
        // Mutual authentication required, and a 200 without the server's token.
        let client = NegotiateClient::builder()
            .mutual_authentication(MutualAuthentication::Required)
            .opportunistic(true)
            .build();
        let mut exchange = client.exchange();
        let auth = exchange
            .initial("localhost")
            .map_err(fail)?
            .ok_or("an opportunistic token")?;
        let value = auth.authorization.ok_or("no Authorization")?;
        add_header(secrets, "Authorization", value.to_str().map_err(fail)?)?;
        let result = exchange.response("localhost", StatusCode::OK, &HeaderMap::new());
        check!(
            matches!(result, Err(ClientError::MutualAuthentication { .. })),
            "{result:?}"
        );
        Ok(())
    })?;
    let (major, minor) = codes.ok_or("no failure")?;
    let round = "gssapi_http.client.round";
    expect_span(
        &output,
        round,
        &[
            "round=0",
            "target=nosuch@localhost",
            &format!("major={major:#010x}"),
            &format!("minor={minor}"),
            "error=GSSAPI: ",
        ],
    )?;
    expect_span(
        &output,
        round,
        &["round=0", "target=HTTP@localhost", "sent_token=true"],
    )?;
    expect_span(
        &output,
        round,
        &[
            "round=1",
            "status=200",
            "verdict=\"failed\"",
            "error=mutual authentication failed",
        ],
    )?;
    Ok(())
}
