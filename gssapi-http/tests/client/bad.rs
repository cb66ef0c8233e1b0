//! The client-side bad inputs of the issue: small misbehaving servers over TCP.

use crate::support::*;
use crate::*;
use gssapi_http::client::{ClientError, MutualAuthentication, NegotiateClient, Verdict};
use http::StatusCode;
use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use std::sync::{Arc, Mutex};

const MODES: [MutualAuthentication; 3] = [
    MutualAuthentication::Required,
    MutualAuthentication::Optional,
    MutualAuthentication::Disabled,
];

fn client(mode: MutualAuthentication) -> Client {
    http(
        NegotiateClient::builder()
            .mutual_authentication(mode)
            .build(),
    )
}

/// 401 without credentials; with them, `answer`.
fn after_token(answer: impl Fn() -> http::Response<String> + Send + Sync + 'static) -> Server {
    custom(move |_, headers| {
        if headers.contains_key(AUTHORIZATION) {
            answer()
        } else {
            challenge()
        }
    })
}

fn check_mutual_error(
    err: &reqwest_middleware::Error,
    status: StatusCode,
    reason: &str,
) -> TestResult {
    match client_error(err) {
        Some(ClientError::MutualAuthentication {
            status: s,
            reason: r,
        }) => {
            check!(*s == status, "status {s}");
            check!(r.contains(reason), "reason {r:?}, wanted {reason:?}");
            Ok(())
        }
        other => Err(format!("{other:?} ({err:?})").into()),
    }
}

pub fn endless_401() -> TestResult {
    for mode in MODES {
        let server = custom(|_, _| challenge());
        let got = get_ok(&client(mode), &server.url("localhost"))?;
        // After max_rounds (2) answers the third 401 is returned as it came.
        check!(got.status == StatusCode::UNAUTHORIZED, "{mode:?}: {got:?}");
        check!(got.verdict == Some(Verdict::NotVerified), "{got:?}");
        check!(got.body == "authenticate, please", "{}", got.body);
        check!(
            got.headers
                .get(WWW_AUTHENTICATE)
                .is_some_and(|v| v == "Negotiate")
        );
        let seen = server.seen();
        check!(seen.len() == 3, "{mode:?}: {} requests", seen.len());
        check!(seen[0].authorization().is_none());
        check!(seen[1..].iter().all(|s| {
            s.authorization()
                .is_some_and(|a| a.starts_with("Negotiate "))
        }));
    }
    Ok(())
}

pub fn ok_without_token() -> TestResult {
    let server = after_token(|| response(200, &[], "who knows who sent this"));
    let err = get_err(
        &client(MutualAuthentication::Required),
        &server.url("localhost"),
    )?;
    check_mutual_error(&err, StatusCode::OK, "no Negotiate token")?;
    for mode in [
        MutualAuthentication::Optional,
        MutualAuthentication::Disabled,
    ] {
        let got = get_ok(&client(mode), &server.url("localhost"))?;
        check!(got.status == StatusCode::OK, "{mode:?}: {got:?}");
        check!(
            got.verdict == Some(Verdict::NotVerified),
            "{mode:?}: {got:?}"
        );
        check!(got.body == "who knows who sent this");
    }
    check!(server.requests() == 6, "{}", server.requests());
    Ok(())
}

pub fn forged_final_token() -> TestResult {
    use base64::Engine as _;
    // Well-formed base64 of bytes that are no GSS token.
    let forged = format!(
        "Negotiate {}",
        base64::engine::general_purpose::STANDARD
            .encode([0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x00, 0x42])
    );
    let server =
        after_token(move || response(200, &[("www-authenticate", forged.as_str())], "forged"));
    for mode in [
        MutualAuthentication::Required,
        MutualAuthentication::Optional,
    ] {
        let err = get_err(&client(mode), &server.url("localhost"))?;
        check_mutual_error(&err, StatusCode::OK, "rejected")?;
    }
    let got = get_ok(
        &client(MutualAuthentication::Disabled),
        &server.url("localhost"),
    )?;
    check!(
        got.status == StatusCode::OK && got.body == "forged",
        "{got:?}"
    );
    check!(got.verdict == Some(Verdict::NotVerified));
    Ok(())
}

/// A genuine mutual-authentication token, but of an earlier exchange: a server that accepts
/// for real and replays the first answer's token to every later client.
pub fn replayed_final_token() -> TestResult {
    let acceptor = acceptor();
    let first: Arc<Mutex<Option<http::HeaderValue>>> = Arc::default();
    let server = custom(move |_, headers| {
        if !headers.contains_key(AUTHORIZATION) {
            return challenge();
        }
        let mutual = match accept(&acceptor, headers) {
            Ok(h) => h.get(WWW_AUTHENTICATE).cloned().expect("a mutual token"),
            Err(refused) => return *refused,
        };
        let token = first.lock().unwrap().get_or_insert(mutual).clone();
        let mut r = response(200, &[], "replayed");
        r.headers_mut().insert(WWW_AUTHENTICATE, token);
        r
    });
    let url = server.url("localhost");
    let got = get_ok(&client(MutualAuthentication::Required), &url)?;
    check!(
        got.verdict == Some(Verdict::Authenticated),
        "the first is genuine: {got:?}"
    );
    let err = get_err(&client(MutualAuthentication::Required), &url)?;
    check_mutual_error(&err, StatusCode::OK, "rejected")?;
    check!(server.requests() == 4, "{}", server.requests());
    Ok(())
}

pub fn error_response_sanitized() -> TestResult {
    let server = after_token(|| response(500, &[("x-injected", "yes")], "attacker's page"));
    let url = server.url("localhost");

    // Required: the unauthenticated error page does not reach the caller.
    let got = get_ok(&client(MutualAuthentication::Required), &url)?;
    check!(got.status == StatusCode::INTERNAL_SERVER_ERROR, "{got:?}");
    check!(
        got.sanitized && got.verdict == Some(Verdict::NotVerified),
        "{got:?}"
    );
    check!(got.body.is_empty(), "{}", got.body);
    check!(got.headers.is_empty(), "{:?}", got.headers);

    // sanitize_mutual_error_response(false): the page as it came.
    let unsanitized = http(
        NegotiateClient::builder()
            .mutual_authentication(MutualAuthentication::Required)
            .sanitize_mutual_error_response(false)
            .build(),
    );
    for c in [
        unsanitized,
        client(MutualAuthentication::Optional),
        client(MutualAuthentication::Disabled),
    ] {
        let got = get_ok(&c, &url)?;
        check!(got.status == StatusCode::INTERNAL_SERVER_ERROR, "{got:?}");
        check!(
            !got.sanitized && got.verdict == Some(Verdict::NotVerified),
            "{got:?}"
        );
        check!(got.body == "attacker's page", "{}", got.body);
        check!(got.headers.get("x-injected").is_some_and(|v| v == "yes"));
    }
    Ok(())
}

pub fn basic_and_negotiate_offered() -> TestResult {
    // One field with both challenges, and two fields.
    let variants: [&[&str]; 2] = [
        &["Basic realm=\"x\", Negotiate"],
        &["Basic realm=\"x\"", "Negotiate"],
    ];
    for fields in variants {
        let acceptor = acceptor();
        let server = custom(move |_, headers| {
            if headers.contains_key(AUTHORIZATION) {
                return match accept(&acceptor, headers) {
                    Ok(mutual) => {
                        let mut r = response(200, &[], "in");
                        r.headers_mut().extend(mutual);
                        r
                    }
                    Err(refused) => *refused,
                };
            }
            let mut r = response(401, &[], "");
            for f in fields {
                r.headers_mut().append(WWW_AUTHENTICATE, f.parse().unwrap());
            }
            r
        });
        let got = get_ok(
            &client(MutualAuthentication::Required),
            &server.url("localhost"),
        )?;
        check!(got.status == StatusCode::OK, "{fields:?}: {got:?}");
        check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
        let auth = server.seen()[1].authorization().ok_or("no token")?;
        check!(auth.starts_with("Negotiate "), "{auth}");
    }
    Ok(())
}

pub fn non_base64_token_on_200() -> TestResult {
    // token68 characters, but outside the base64 alphabet.
    let server =
        after_token(|| response(200, &[("www-authenticate", "Negotiate a-b_c.d~")], "page"));
    let url = server.url("localhost");
    for mode in [
        MutualAuthentication::Required,
        MutualAuthentication::Optional,
    ] {
        let err = get_err(&client(mode), &url)?;
        check_mutual_error(&err, StatusCode::OK, "does not parse")?;
    }
    let got = get_ok(&client(MutualAuthentication::Disabled), &url)?;
    check!(
        got.status == StatusCode::OK && got.body == "page",
        "{got:?}"
    );
    check!(got.verdict == Some(Verdict::NotVerified));
    Ok(())
}
