//! Every option of `NegotiateClient`, through the reqwest middleware, against the Rust
//! server over TCP.

use crate::support::*;
use crate::*;
use gssapi::{Credentials, Mechanism};
use gssapi_http::client::{ClientError, MutualAuthentication, NegotiateClient, Verdict};
use gssapi_http::header::{HeaderError, Limits};
use gssapi_http::reqwest::BodyNotCloneable;
use http::StatusCode;
use http::header::{AUTHORIZATION, PROXY_AUTHORIZATION};

fn mutual(mode: MutualAuthentication) -> NegotiateClient {
    NegotiateClient::builder()
        .mutual_authentication(mode)
        .build()
}

/// A 401 first (the client is not opportunistic), then the token: exactly two requests.
fn check_two_rounds(server: &Server) -> TestResult {
    let seen = server.seen();
    check!(seen.len() == 2, "{} requests", seen.len());
    check!(seen[0].authorization().is_none());
    let second = seen[1].authorization().ok_or("no token on the retry")?;
    check!(second.starts_with("Negotiate "), "{second}");
    Ok(())
}

pub fn mutual_required_authenticates() -> TestResult {
    let server = serve(protected(acceptor()));
    let got = get_ok(
        &http(mutual(MutualAuthentication::Required)),
        &server.url("localhost"),
    )?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(!got.sanitized);
    check!(
        got.body
            == format!(
                "principal={} mech=krb5 mutual=true delegated=false",
                realm().user_principal()
            ),
        "{}",
        got.body
    );
    check_two_rounds(&server)
}

pub fn mutual_optional_authenticates() -> TestResult {
    let server = serve(protected(acceptor()));
    let got = get_ok(
        &http(mutual(MutualAuthentication::Optional)),
        &server.url("localhost"),
    )?;
    check!(got.status == StatusCode::OK, "{got:?}");
    // The server answers the requested mutual authentication; Optional checks the token.
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(got.body.contains("mutual=true"), "{}", got.body);
    check_two_rounds(&server)
}

pub fn mutual_disabled_does_not_ask() -> TestResult {
    let server = serve(protected(acceptor()));
    let got = get_ok(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::NotVerified), "{got:?}");
    // Without GSS_C_MUTUAL_FLAG the acceptor is not asked to prove itself.
    check!(got.body.contains("mutual=false"), "{}", got.body);
    check_two_rounds(&server)
}

pub fn opportunistic_sends_the_first_token() -> TestResult {
    let server = serve(protected(acceptor()));
    let client = NegotiateClient::builder()
        .opportunistic(true)
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(&http(client), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    let seen = server.seen();
    check!(seen.len() == 1, "{} requests", seen.len());
    check!(
        seen[0]
            .authorization()
            .is_some_and(|a| a.starts_with("Negotiate ")),
        "{:?}",
        seen[0].headers
    );
    Ok(())
}

pub fn target_host_overrides_the_url() -> TestResult {
    let server = serve(protected(acceptor()));
    // 127.0.0.1 names HTTP/127.0.0.1, which the KDC does not know: the first token fails.
    let err = get_err(&http(NegotiateClient::new()), &server.url("127.0.0.1"))?;
    check!(
        matches!(client_error(&err), Some(ClientError::Gss(_))),
        "{err:?}"
    );
    check!(server.requests() == 1, "{}", server.requests());

    let server = serve(protected(acceptor_for("HTTP@localhost")));
    let client = NegotiateClient::builder()
        .target_host("localhost")
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(&http(client), &server.url("127.0.0.1"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check_two_rounds(&server)?;

    // target_name: exactly this name, whatever the URL and the service say.
    let server = serve(protected(acceptor_for("HTTP@localhost")));
    let name = gssapi::Name::hostbased_service("HTTP@localhost").map_err(fail)?;
    let client = NegotiateClient::builder()
        .service("ignored")
        .target_name(name)
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(&http(client), &server.url("127.0.0.1"))?;
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check_two_rounds(&server)
}

pub fn service_other_than_http() -> TestResult {
    let server = serve(protected(acceptor_for("svc@localhost")));
    let client = NegotiateClient::builder()
        .service("svc")
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(&http(client), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(
        got.body.starts_with(&user_line(&realm().user_principal())),
        "{}",
        got.body
    );
    check_two_rounds(&server)?;

    // The same server refuses a ticket for HTTP/localhost: it only accepts as svc/localhost.
    // Its 401 carries the refusal (a SPNEGO reject), which ends the client's context with
    // GSS_S_BAD_MECH (MIT: "SPNEGO failed to negotiate a mechanism"; Heimdal alike).
    let server = serve(protected(acceptor_for("svc@localhost")));
    let err = get_err(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(
        gss_kind(&err) == Some(gssapi::ErrorKind::BadMechanism),
        "{err:?}"
    );
    check!(server.requests() == 2, "{}", server.requests());
    Ok(())
}

pub fn explicit_credentials() -> TestResult {
    let server = serve(protected(acceptor()));
    let url = server.url("localhost");
    let other = format!("{OTHER_USER}@{}", realm().realm_name());
    let client = |creds: Credentials, mech: Mechanism| {
        http(
            NegotiateClient::builder()
                .credentials(creds)
                .mech(mech)
                .mutual_authentication(MutualAuthentication::Required)
                .build(),
        )
    };
    // The second user's ccache, imported: a Kerberos-only credential.
    let imported = Credentials::initiator_from_ccache(&other_ccache()).map_err(fail)?;
    check!(imported.mechs().map_err(fail)? == [Mechanism::KERBEROS]);
    let got = get_ok(&client(imported.clone(), Mechanism::KERBEROS), &url)?;
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(got.body.starts_with(&user_line(&other)), "{}", got.body);

    // With SPNEGO, MIT would quietly use the default credentials (the first user) and
    // Heimdal fails with GSS_S_NO_CRED: the client refuses before either happens.
    let err = get_err(&client(imported, Mechanism::SPNEGO), &url)?;
    check!(
        matches!(
            client_error(&err),
            Some(ClientError::CredentialsWithoutSpnego { .. })
        ),
        "{err:?}"
    );

    // From a credential store (MIT; Heimdal 7.8 has no gss_acquire_cred_from): both
    // elements, SPNEGO works.
    let acquired = Credentials::builder()
        .usage(gssapi::CredUsage::Initiate)
        .store(gssapi::CredStore::new().ccache(&other_ccache()))
        .acquire();
    if heimdal() {
        let e = acquired.err().ok_or("Heimdal acquired from a cred store")?;
        check!(e.is(gssapi::ErrorKind::OperationUnavailable), "{e:?}");
    } else {
        let creds = acquired.map_err(fail)?;
        let got = get_ok(&client(creds, Mechanism::SPNEGO), &url)?;
        check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
        check!(got.body.starts_with(&user_line(&other)), "{}", got.body);
    }
    Ok(())
}

pub fn explicit_mech_kerberos() -> TestResult {
    let server = serve(protected(acceptor()));
    let client = NegotiateClient::builder()
        .mech(Mechanism::KERBEROS)
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(&http(client), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(got.body.contains("mech=krb5"), "{}", got.body);
    let token = server.seen()[1].authorization().ok_or("no token")?;
    check!(
        initial_token_mech(&token)? == KRB5_OID,
        "a raw Kerberos token"
    );

    // The default is SPNEGO on the wire (negotiating Kerberos inside).
    let server = serve(protected(acceptor()));
    let got = get_ok(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    let token = server.seen()[1].authorization().ok_or("no token")?;
    check!(initial_token_mech(&token)? == SPNEGO_OID, "a SPNEGO token");
    Ok(())
}

pub fn delegation() -> TestResult {
    let server = serve(protected(acceptor()));
    let client = NegotiateClient::builder()
        .delegate(true)
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(&http(client), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.body.ends_with("delegated=true"), "{}", got.body);

    let got = get_ok(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(got.body.ends_with("delegated=false"), "{}", got.body);
    Ok(())
}

pub fn max_rounds_bounds_the_challenges() -> TestResult {
    for rounds in [0u32, 1, 3] {
        let server = custom(|_, _| challenge());
        let client = NegotiateClient::builder().max_rounds(rounds).build();
        let got = get_ok(&http(client), &server.url("localhost"))?;
        check!(got.status == StatusCode::UNAUTHORIZED, "{got:?}");
        check!(got.body == "authenticate, please", "{}", got.body);
        let seen = server.seen();
        check!(
            seen.len() == rounds as usize + 1,
            "max_rounds {rounds}: {} requests",
            seen.len()
        );
        check!(seen[1..].iter().all(|s| s.has(AUTHORIZATION)));
    }
    Ok(())
}

pub fn limits_bound_the_challenge() -> TestResult {
    use base64::Engine as _;
    let big = base64::engine::general_purpose::STANDARD.encode([0x5a; 2000]);
    let value = format!("Negotiate {big}");
    let answer = move |_: usize, _: &http::HeaderMap| {
        response(401, &[("www-authenticate", value.as_str())], "")
    };
    let server = custom(answer.clone());
    let client = NegotiateClient::builder()
        .limits(Limits {
            max_header_bytes: 1024,
        })
        .build();
    let err = get_err(&http(client), &server.url("localhost"))?;
    match client_error(&err) {
        Some(ClientError::Header(HeaderError::TooLarge { len, max, .. })) => {
            check!(*max == 1024 && *len == big.len() + 10, "{len} {max}")
        }
        other => return Err(format!("{other:?}").into()),
    }
    check!(server.requests() == 1);

    // Under the default 64 KiB the same challenge is read: its token goes to the context
    // (on the second 401, as the continuation of the SPNEGO context), which rejects it.
    let server = custom(answer);
    let err = get_err(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(
        matches!(client_error(&err), Some(ClientError::Gss(_))),
        "{err:?}"
    );
    check!(server.requests() == 2, "{}", server.requests());
    Ok(())
}

/// A forward proxy behind Negotiate (407): sends the request on to its absolute URI without
/// `Proxy-Authorization`, answers with what the origin answered.
fn proxy() -> Server {
    use axum::routing::any;
    let forward = |req: axum::extract::Request| async move {
        let uri = req.uri().to_string();
        let mut headers = req.headers().clone();
        headers.remove(PROXY_AUTHORIZATION);
        headers.remove(http::header::HOST);
        let upstream = reqwest::Client::new()
            .request(req.method().clone(), uri)
            .headers(headers)
            .send()
            .await
            .expect("the origin answers");
        let mut out = http::Response::builder().status(upstream.status());
        for (name, value) in upstream.headers() {
            if name != http::header::TRANSFER_ENCODING && name != http::header::CONTENT_LENGTH {
                out = out.header(name, value);
            }
        }
        let body = upstream.bytes().await.expect("the origin's body");
        out.body(axum::body::Body::from(body)).expect("a response")
    };
    let acceptor = gssapi_http::server::Acceptor::builder()
        .keytab(realm().keytab())
        .proxy(true)
        .build()
        .expect("proxy acceptor");
    serve(
        axum::Router::new()
            .fallback(any(forward))
            .layer(gssapi_http::tower::NegotiateLayer::new(acceptor)),
    )
}

fn via_proxy(proxy: &Server) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(proxy.url("127.0.0.1")).expect("proxy URL"))
}

pub fn proxy_407_then_origin_401() -> TestResult {
    let origin = serve(protected(acceptor()));
    let proxy = proxy();
    let client = NegotiateClient::builder()
        .proxy_host("localhost")
        .mutual_authentication(MutualAuthentication::Required)
        .build();
    let got = get_ok(
        &http_with(via_proxy(&proxy), client),
        &origin.url("localhost"),
    )?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(
        got.body.starts_with(&user_line(&realm().user_principal())),
        "{}",
        got.body
    );
    // The proxy authenticates every request: bare (407), proxy token (forwarded: the origin's
    // 401), origin token alone (407: the proxy token was spent), both (forwarded: 200).
    let seen: Vec<(bool, bool)> = proxy
        .seen()
        .iter()
        .map(|s| (s.has(PROXY_AUTHORIZATION), s.has(AUTHORIZATION)))
        .collect();
    check!(
        seen == [(false, false), (true, false), (false, true), (true, true)],
        "{seen:?}"
    );
    check!(
        proxy.seen()[0].uri.authority().map(|a| a.as_str())
            == Some(format!("localhost:{}", origin.port)).as_deref(),
        "an absolute-form request: {}",
        proxy.seen()[0].uri
    );
    let origin_seen: Vec<(bool, bool)> = origin
        .seen()
        .iter()
        .map(|s| (s.has(PROXY_AUTHORIZATION), s.has(AUTHORIZATION)))
        .collect();
    check!(
        origin_seen == [(false, false), (false, true)],
        "{origin_seen:?}"
    );
    Ok(())
}

pub fn proxy_407_without_proxy_host() -> TestResult {
    let origin = serve(protected(acceptor()));
    let proxy = proxy();
    let err = get_err(
        &http_with(via_proxy(&proxy), NegotiateClient::new()),
        &origin.url("localhost"),
    )?;
    check!(
        matches!(client_error(&err), Some(ClientError::NoProxyHost)),
        "{err:?}"
    );
    check!(proxy.requests() == 1 && origin.requests() == 0);
    Ok(())
}

pub fn redirect_to_another_host() -> TestResult {
    // The target accepts only as HTTP/www.localhost: a token for HTTP/localhost would fail.
    let target = serve(protected(acceptor_for(&format!("HTTP@{OTHER_HOST}"))));
    let location = target.url(OTHER_HOST);
    let start = custom(move |_, _| response(302, &[("location", location.as_str())], ""));
    let resolve = std::net::SocketAddr::from(([127, 0, 0, 1], target.port));
    let client = http_with(
        reqwest::Client::builder().resolve(OTHER_HOST, resolve),
        mutual(MutualAuthentication::Required),
    );
    let got = get_ok(&client, &start.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(got.url == target.url(OTHER_HOST), "{}", got.url);
    // The retry went to the redirect target directly, with its own token.
    check!(start.requests() == 1, "{}", start.requests());
    check_two_rounds(&target)
}

pub fn non_cloneable_body() -> TestResult {
    let streamed = || reqwest::Body::wrap(http_body_util::Full::new(&b"payload"[..]));
    let server = serve(protected(acceptor()));
    let client = http(NegotiateClient::new());
    let err = match send(client.post(server.url("localhost")).body(streamed())) {
        Ok(got) => return Err(format!("{got:?}").into()),
        Err(e) => e,
    };
    let typed = match &err {
        reqwest_middleware::Error::Middleware(e) => e.downcast_ref::<BodyNotCloneable>(),
        reqwest_middleware::Error::Reqwest(_) => None,
    };
    check!(typed == Some(&BodyNotCloneable), "{err:?}");
    check!(server.requests() == 1);

    // Without a challenge nothing is resent: the streamed body goes through once.
    let open = custom(|_, _| response(200, &[], "open"));
    let got = send(client.post(open.url("localhost")).body(streamed())).map_err(fail)?;
    check!(
        got.status == StatusCode::OK && got.body == "open",
        "{got:?}"
    );
    check!(open.requests() == 1);
    Ok(())
}
