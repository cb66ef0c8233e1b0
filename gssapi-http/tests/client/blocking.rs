//! The blocking driver (`gssapi_http::blocking`) with `reqwest::blocking` as the synchronous
//! client, from the test's own thread.

use crate::support::*;
use crate::*;
use gssapi_http::blocking::{self, BlockingError, ServerCertificate};
use gssapi_http::client::{ClientError, MutualAuthentication, NegotiateClient, Sanitized, Verdict};
use http::header::AUTHORIZATION;
use http::{HeaderMap, StatusCode};

fn sync_client(builder: reqwest::blocking::ClientBuilder) -> reqwest::blocking::Client {
    builder
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("blocking client")
}

/// GET `url` with `headers`; the server certificate, if recorded, as [`ServerCertificate`]
/// (or `forced`, to lie about it).
fn get_sync(
    http: &reqwest::blocking::Client,
    url: &str,
    headers: &HeaderMap,
    forced: Option<&[u8]>,
) -> reqwest::Result<http::Response<Vec<u8>>> {
    let response = http.get(url).headers(headers.clone()).send()?;
    let certificate = forced.map(<[u8]>::to_vec).or_else(|| {
        response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|i| i.peer_certificate())
            .map(<[u8]>::to_vec)
    });
    let mut out = http::Response::builder().status(response.status());
    *out.headers_mut().unwrap() = response.headers().clone();
    let mut out = out.body(response.bytes()?.to_vec()).unwrap();
    if let Some(der) = certificate {
        out.extensions_mut().insert(ServerCertificate(der));
    }
    Ok(out)
}

fn required() -> NegotiateClient {
    NegotiateClient::builder()
        .mutual_authentication(MutualAuthentication::Required)
        .build()
}

pub fn round_trip() -> TestResult {
    let server = serve(protected(acceptor()));
    let http = sync_client(reqwest::blocking::Client::builder());
    let url = server.url("localhost");
    let response = blocking::send(&required(), "localhost", |h| get_sync(&http, &url, h, None))
        .map_err(fail)?;
    check!(response.status() == StatusCode::OK);
    check!(response.extensions().get::<Verdict>() == Some(&Verdict::Authenticated));
    check!(response.extensions().get::<Sanitized>().is_none());
    let body = String::from_utf8_lossy(response.body());
    check!(
        body.starts_with(&user_line(&realm().user_principal())),
        "{body}"
    );
    check!(server.requests() == 2);
    check!(server.seen()[1].has(AUTHORIZATION));
    Ok(())
}

pub fn sanitized_error_response() -> TestResult {
    let server = custom(|_, headers| {
        if headers.contains_key(AUTHORIZATION) {
            response(503, &[("x-injected", "yes")], "attacker's page")
        } else {
            challenge()
        }
    });
    let http = sync_client(reqwest::blocking::Client::builder());
    let url = server.url("localhost");
    let response = blocking::send(&required(), "localhost", |h| get_sync(&http, &url, h, None))
        .map_err(fail)?;
    check!(response.status() == StatusCode::SERVICE_UNAVAILABLE);
    check!(response.headers().is_empty(), "{:?}", response.headers());
    check!(response.body().is_empty());
    check!(response.extensions().get::<Sanitized>() == Some(&Sanitized));
    check!(response.extensions().get::<Verdict>() == Some(&Verdict::NotVerified));

    let keep = NegotiateClient::builder()
        .mutual_authentication(MutualAuthentication::Required)
        .sanitize_mutual_error_response(false)
        .build();
    let response =
        blocking::send(&keep, "localhost", |h| get_sync(&http, &url, h, None)).map_err(fail)?;
    check!(response.status() == StatusCode::SERVICE_UNAVAILABLE);
    check!(response.body() == b"attacker's page");
    check!(
        response
            .headers()
            .get("x-injected")
            .is_some_and(|v| v == "yes")
    );
    check!(response.extensions().get::<Sanitized>().is_none());
    Ok(())
}

pub fn send_error_passes_through() -> TestResult {
    let result = blocking::send::<Vec<u8>, _>(&required(), "localhost", |_| {
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "down",
        ))
    });
    match result {
        Err(BlockingError::Send(e)) => check!(e.kind() == std::io::ErrorKind::ConnectionRefused),
        other => return Err(format!("{other:?}").into()),
    }

    // A 200 without the mutual token under Required: the exchange's typed error.
    let server = custom(|_, headers| {
        if headers.contains_key(AUTHORIZATION) {
            response(200, &[], "unproven")
        } else {
            challenge()
        }
    });
    let http = sync_client(reqwest::blocking::Client::builder());
    let url = server.url("localhost");
    match blocking::send(&required(), "localhost", |h| get_sync(&http, &url, h, None)) {
        Err(BlockingError::Negotiate(ClientError::MutualAuthentication { status, .. })) => {
            check!(status == StatusCode::OK)
        }
        other => return Err(format!("{other:?}").into()),
    }
    Ok(())
}

pub fn channel_bindings_from_extension() -> TestResult {
    use gssapi_http::server::Acceptor;
    install_crypto_provider();
    let cert = certificate();
    let acceptor = Acceptor::builder()
        .keytab(realm().keytab())
        .channel_bindings_from_certificate(&cert.0)
        .map_err(fail)?
        .build()
        .map_err(fail)?;
    let server = serve_tls(protected(acceptor), &cert.0, &cert.1);
    let http = sync_client(
        reqwest::blocking::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_der(&cert.0).map_err(fail)?])
            .tls_info(true),
    );
    let url = server.https_url("localhost");
    let response = blocking::send(&required(), "localhost", |h| get_sync(&http, &url, h, None))
        .map_err(fail)?;
    check!(response.status() == StatusCode::OK);
    check!(response.extensions().get::<Verdict>() == Some(&Verdict::Authenticated));

    // The bindings of another certificate: refused.
    let other = certificate();
    let result = blocking::send(&required(), "localhost", |h| {
        get_sync(&http, &url, h, Some(&other.0))
    });
    let kind = match &result {
        Err(BlockingError::Negotiate(ClientError::Gss(e))) => e.kind(),
        _ => None,
    };
    crate::tls::check_refused_bindings(kind).map_err(|e| format!("{e:?}: {result:?}"))?;
    check!(server.requests() == 4, "{}", server.requests());
    Ok(())
}
