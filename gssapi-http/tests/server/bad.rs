//! Requests the server must refuse, over HTTP: malformed credentials headers (raw bytes on a
//! TCP socket, so nothing in between cleans them up), a replayed token, a ticket for another
//! service, an expired ticket; and sessions and allow-lists end to end.

use crate::app;
use crate::support::{self, OTHER_USER, get_ok, http};
use crate::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gssapi::{Flags, Mechanism, Name, SecurityContext};
use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
use gssapi_http::header::negotiate_header;
use gssapi_http::server::{Acceptor, AuthError, Outcome};
use gssapi_http::session::{SessionKey, Sessions};
use http::{HeaderMap, StatusCode};
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

/// Sends `GET /` with these raw header lines and `Connection: close`; the status and the
/// response headers (lower-cased names).
fn raw_get(port: u16, header_lines: &[String]) -> Result<(u16, Vec<(String, String)>), Failed> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(fail)?;
    let mut request = String::from("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for line in header_lines {
        request.push_str(line);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).map_err(fail)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(fail)?;
    let parsed = crate::app::parse_response(&String::from_utf8_lossy(&response))?;
    Ok((parsed.status, parsed.headers))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A fresh SPNEGO token from the default user for `HTTP@localhost`.
fn fresh_token(service: &str) -> Result<Vec<u8>, Failed> {
    let target = Name::hostbased_service(service).map_err(fail)?;
    let mut ctx = SecurityContext::initiator(&target)
        .flags(Flags::MUTUAL)
        .build();
    let token = ctx.step(None).map_err(fail)?.ok_or("no token")?;
    Ok(token.to_vec())
}

pub fn bad_headers_over_http() -> TestResult {
    let acceptor = app::acceptor();
    let (server, _) = app::serve(acceptor.clone(), false);
    let port = server.port;
    let auth = |v: &str| format!("Authorization: {v}");
    let garbage = STANDARD.encode(b"\x60\x05garbage GSS bytes that are no token at all");
    let cases: Vec<(&str, Vec<String>, u16)> = vec![
        ("no Authorization", vec![], 401),
        ("Basic", vec![auth(r#"Basic realm="Negotiate x""#)], 401),
        ("NegotiateX", vec![auth("NegotiateX abc")], 401),
        ("Negotiate without a token", vec![auth("Negotiate")], 400),
        (
            "100,000 spaces",
            vec![auth(&format!("Negotiate{}", " ".repeat(100_000)))],
            400,
        ),
        // (hyper trims the trailing spaces: then no token is left)
        (
            "100,000 commas",
            vec![auth(&format!("Negotiate {}", ",".repeat(100_000)))],
            431,
        ),
        (
            "60,000 commas",
            vec![auth(&format!("Negotiate {}", ",".repeat(60_000)))],
            400,
        ),
        ("non-alphabet base64", vec![auth("Negotiate YII*ZG9n")], 400),
        ("wrong padding", vec![auth("Negotiate YWJj=")], 400),
        (
            "100 KB header",
            vec![auth(&format!("Negotiate {}", "A".repeat(100_000)))],
            431,
        ),
        (
            "two Authorization headers",
            vec![auth("Negotiate YWJj"), auth("Negotiate ZGVm")],
            400,
        ),
        (
            "garbage GSS bytes",
            vec![auth(&format!("Negotiate {garbage}"))],
            401,
        ),
    ];
    for (what, lines, want) in cases {
        let started = Instant::now();
        let (status, headers) = raw_get(port, &lines)?;
        check!(
            status == want,
            "{what}: {status}, want {want} ({headers:?})"
        );
        if want == 401 {
            check!(
                header(&headers, "www-authenticate").is_some_and(|v| v.starts_with("Negotiate")),
                "{what}: {headers:?}"
            );
        }
        // Linear time: 100 KB of separators is answered at once, not after a backtracking
        // search (a generous bound: this checks for minutes, not milliseconds).
        check!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: {:?}",
            started.elapsed()
        );
    }
    check!(acceptor.pending() == 0 && acceptor.delegated_live() == 0);
    // The server still serves.
    let got = get_ok(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    Ok(())
}

pub fn replayed_token_over_http() -> TestResult {
    let (server, _) = app::serve(app::acceptor(), false);
    let token = STANDARD.encode(fresh_token("HTTP@localhost")?);
    let line = vec![format!("Authorization: Negotiate {token}")];
    let (status, headers) = raw_get(server.port, &line)?;
    check!(status == 200, "first use: {status} {headers:?}");
    check!(
        header(&headers, "www-authenticate").is_some_and(|v| v.len() > "Negotiate ".len()),
        "{headers:?}"
    );
    // The same token again (another connection): the replay cache refuses it.
    let (status, headers) = raw_get(server.port, &line)?;
    check!(status == 401, "replay: {status} {headers:?}");
    Ok(())
}

pub fn ticket_for_another_service() -> TestResult {
    // An acceptor for HTTP@localhost only; the client asks for HTTP@www.localhost (whose key
    // is in the same keytab, so only the name restriction refuses it).
    let acceptor = Acceptor::builder()
        .keytab(realm().keytab())
        .service_name(Name::hostbased_service("HTTP@localhost").map_err(fail)?)
        .build()
        .map_err(fail)?;
    let (server, _) = app::serve(acceptor.clone(), false);
    let token = fresh_token(&format!("HTTP@{}", support::OTHER_HOST))?;
    let mut headers = HeaderMap::new();
    headers.insert(http::header::AUTHORIZATION, negotiate_header(&token));
    match acceptor.authenticate(&headers, None) {
        Outcome::Respond {
            status,
            error: Some(AuthError::Gss(e)),
            ..
        } => {
            check!(status == StatusCode::UNAUTHORIZED, "{status}");
            check!(e.gss().is_some(), "{e:?}");
        }
        other => return Err(format!("another service's ticket: {other:?}").into()),
    }
    // Over HTTP: the Rust client, sent to the wrong service name, gets the 401.
    let client = http(
        NegotiateClient::builder()
            .target_host(support::OTHER_HOST)
            .build(),
    );
    check!(crate::ntlm::refused_over_http(
        &client,
        &server.url("localhost")
    )?);
    Ok(())
}

/// An expired ticket: the child accepts, with a one-second clock skew (a copy of the realm's
/// krb5.conf), a token whose ticket ended before it arrives.
pub fn expired_ticket() -> TestResult {
    let r = realm();
    let conf = std::fs::read_to_string(r.krb5_conf()).map_err(fail)?;
    let skew = r.dir().join("krb5-skew1.conf");
    std::fs::write(
        &skew,
        conf.replacen("[libdefaults]", "[libdefaults]\n    clockskew = 1", 1),
    )
    .map_err(fail)?;
    // A one-second ticket, a token made with it at once, then past its end.
    let ccache = format!("FILE:{}", r.dir().join("short.ccache").display());
    r.kinit(
        &r.user_principal(),
        r.user_password(),
        &ccache,
        &["-l", "1s"],
    )
    .map_err(fail)?;
    let creds = gssapi::Credentials::initiator_from_ccache(&ccache).map_err(fail)?;
    let target = Name::hostbased_service("HTTP@localhost").map_err(fail)?;
    let token = SecurityContext::initiator(&target)
        .credentials(&creds)
        .mech(&Mechanism::KERBEROS)
        .build()
        .step(None)
        .map_err(fail)?
        .ok_or("no token")?;
    let file = r.dir().join("expired.token");
    std::fs::write(&file, STANDARD.encode(&token)).map_err(fail)?;
    std::thread::sleep(Duration::from_millis(3500));
    run_in_child(
        "bad::expired_ticket_child",
        &[
            ("KRB5_CONFIG", &skew.display().to_string()),
            ("EXPIRED_TOKEN", &file.display().to_string()),
        ],
    )
}

pub fn expired_ticket_child() -> TestResult {
    let file = std::env::var("EXPIRED_TOKEN").map_err(fail)?;
    let token = std::fs::read_to_string(file).map_err(fail)?;
    let keytab = realm_env().get("KRB5_KTNAME").ok_or("no keytab")?.clone();
    let acceptor = Acceptor::builder().keytab(keytab).build().map_err(fail)?;
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        format!("Negotiate {token}").parse().map_err(fail)?,
    );
    match acceptor.authenticate(&headers, None) {
        Outcome::Respond {
            status,
            error: Some(AuthError::Gss(e)),
            ..
        } => {
            check!(status == StatusCode::UNAUTHORIZED, "{status}");
            // The authenticator is as old as the ticket's end: MIT reports the skew it
            // checks first, KRB5KRB_AP_ERR_SKEW; an expiry is KRB5KRB_AP_ERR_TKT_EXPIRED.
            check!(
                matches!(
                    e.krb5_error(),
                    Some(gssapi::Krb5Error::TicketExpired | gssapi::Krb5Error::ClockSkew)
                ),
                "not an expiry: {e:?}"
            );
            Ok(())
        }
        other => Err(format!("an expired ticket: {other:?}").into()),
    }
}

pub fn sessions_over_http() -> TestResult {
    let sessions = Sessions::new(SessionKey::generate()).max_age(Duration::from_secs(3600));
    let acceptor = Acceptor::builder()
        .keytab(realm().keytab())
        .sessions(sessions)
        .build()
        .map_err(fail)?;
    let (server, _) = app::serve(acceptor, false);
    let client = http(
        NegotiateClient::builder()
            .mutual_authentication(MutualAuthentication::Required)
            .build(),
    );
    let got = get_ok(&client, &server.url("localhost"))?;
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    let set_cookie = got
        .headers
        .get(http::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .ok_or("no session cookie")?
        .to_owned();
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        check!(
            set_cookie.contains(attribute),
            "{attribute} missing: {set_cookie}"
        );
    }
    let cookie = set_cookie
        .split(';')
        .next()
        .ok_or("empty cookie")?
        .to_owned();
    let user = realm().user_principal();

    // The cookie alone authenticates (no Negotiate exchange: one request, 200).
    let before = server.requests();
    let (status, headers) = raw_get(server.port, &[format!("Cookie: {cookie}")])?;
    check!(status == 200, "{status} {headers:?}");
    check!(server.requests() == before + 1);
    check!(
        header(&headers, "www-authenticate").is_none(),
        "{headers:?}"
    );
    let body = reqwest_body(server.port, &cookie)?;
    check!(body.starts_with(&format!("principal={user} ")), "{body}");

    // One bit changed: refused, and the client is asked to Negotiate again.
    let (name, value) = cookie.split_once('=').ok_or("no =")?;
    let mut bytes = value.as_bytes().to_vec();
    let last = bytes.len() - 1;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{name}={}", String::from_utf8(bytes).map_err(fail)?);
    let (status, headers) = raw_get(server.port, &[format!("Cookie: {tampered}")])?;
    check!(status == 401, "tampered cookie: {status}");
    check!(
        header(&headers, "www-authenticate") == Some("Negotiate"),
        "{headers:?}"
    );

    // A cookie sealed under another key (another server, or before a restart): refused.
    let foreign = Sessions::new(SessionKey::generate()).issue(
        &user,
        Mechanism::KERBEROS.oid(),
        Flags::MUTUAL,
        Some(3600),
    );
    let foreign = foreign.split(';').next().ok_or("empty")?.to_owned();
    let (status, _) = raw_get(server.port, &[format!("Cookie: {foreign}")])?;
    check!(status == 401, "foreign cookie: {status}");

    // An expired session: issued for two seconds. The expiry is kept in whole seconds,
    // rounded down (never past the ticket), so a session of N seconds lasts more than N - 1:
    // with one second, a cookie issued just before a second's end was expired at once.
    let short = Sessions::new(SessionKey::generate()).max_age(Duration::from_secs(2));
    let short_acceptor = Acceptor::builder()
        .keytab(realm().keytab())
        .sessions(short)
        .build()
        .map_err(fail)?;
    let (short_server, _) = app::serve(short_acceptor, false);
    let got = get_ok(&client, &short_server.url("localhost"))?;
    let cookie = got
        .headers
        .get(http::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no cookie")?
        .to_owned();
    let (status, _) = raw_get(short_server.port, &[format!("Cookie: {cookie}")])?;
    check!(status == 200, "fresh short session: {status}");
    std::thread::sleep(Duration::from_millis(2100));
    let (status, _) = raw_get(short_server.port, &[format!("Cookie: {cookie}")])?;
    check!(status == 401, "expired session: {status}");
    Ok(())
}

/// The body of `GET /` with this cookie.
fn reqwest_body(port: u16, cookie: &str) -> Result<String, Failed> {
    let client = reqwest::blocking::Client::new();
    let r = client
        .get(format!("http://127.0.0.1:{port}/"))
        .header(http::header::COOKIE, cookie)
        .send()
        .map_err(fail)?;
    r.text().map_err(fail)
}

pub fn allow_list_over_http() -> TestResult {
    let r = realm();
    let acceptor = Acceptor::builder()
        .keytab(r.keytab())
        .allow_principals([format!("{OTHER_USER}@{}", r.realm_name())])
        .build()
        .map_err(fail)?;
    let (server, _) = app::serve(acceptor, false);
    let url = server.url("localhost");
    // The default user is not on the list: 403, without a token to go on with.
    let got = get_ok(&http(NegotiateClient::new()), &url)?;
    check!(got.status == StatusCode::FORBIDDEN, "{got:?}");
    // The second user is.
    let other =
        gssapi::Credentials::initiator_from_ccache(&support::other_ccache()).map_err(fail)?;
    let client = http(
        NegotiateClient::builder()
            .credentials(other)
            .mech(Mechanism::KERBEROS)
            .build(),
    );
    let got = get_ok(&client, &url)?;
    check!(got.status == StatusCode::OK, "{got:?}");
    // A realm allow-list admits everyone of the realm.
    let by_realm = Acceptor::builder()
        .keytab(r.keytab())
        .allow_realms([r.realm_name()])
        .build()
        .map_err(fail)?;
    let (server, _) = app::serve(by_realm, false);
    let got = get_ok(&http(NegotiateClient::new()), &server.url("localhost"))?;
    check!(got.status == StatusCode::OK, "{got:?}");
    Ok(())
}
