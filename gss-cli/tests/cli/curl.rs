//! `gss curl` against `gss serve --dir`, and its exit codes.

use crate::check;
use crate::support::*;

pub fn files_from_serve() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let out = output(gss().args(["curl", &server.url("/index.html")]))?;
    expect_code(&out, 0, "gss curl")?;
    check!(
        out.stdout == b"hello from gss serve\n",
        "body: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    // -i: the status line and headers first; the server's mutual-authentication token too.
    let out = output(gss().args(["curl", "-i", &server.url("/index.html")]))?;
    expect_code(&out, 0, "gss curl -i")?;
    let text = String::from_utf8_lossy(&out.stdout);
    check!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    check!(
        text.to_ascii_lowercase()
            .contains("www-authenticate: negotiate "),
        "{text}"
    );
    check!(text.ends_with("\r\n\r\nhello from gss serve\n"), "{text}");
    // Kerberos without SPNEGO, and an explicit service name.
    let spn = realm().http_service();
    let out = output(gss().args([
        "curl",
        "--mech",
        "krb5",
        "--spn",
        &spn,
        &server.url("/index.html"),
    ]))?;
    expect_code(&out, 0, "gss curl --mech krb5 --spn")?;
    // Opportunistic: the token goes with the first request, one round.
    let out = output(gss().args(["curl", "-v", "--opportunistic", &server.url("/index.html")]))?;
    expect_code(&out, 0, "gss curl --opportunistic")?;
    let err = String::from_utf8_lossy(&out.stderr);
    check!(
        err.contains("round 1: > GET") && err.contains("with a Negotiate token of"),
        "{err}"
    );
    check!(!err.contains("round 2"), "{err}");
    Ok(())
}

pub fn verbose_rounds() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let out = output(gss().args([
        "curl",
        "-v",
        "-X",
        "GET",
        "-H",
        "X-Test: 1",
        &server.url("/"),
    ]))?;
    expect_code(&out, 0, "gss curl -v")?;
    let err = String::from_utf8_lossy(&out.stderr);
    check!(
        err.contains("round 1: > GET") && err.contains("without a token"),
        "{err}"
    );
    check!(err.contains("round 1: < 401 Unauthorized"), "{err}");
    check!(
        err.contains("round 2: > GET") && err.contains("with a Negotiate token of"),
        "{err}"
    );
    check!(
        err.contains("round 2: < 200 OK with a Negotiate token of"),
        "{err}"
    );
    check!(err.contains("verdict: Some(Authenticated)"), "{err}");
    // Each token decoded as gss inspect shows it: the SPNEGO init around the AP-REQ, and the
    // server's final NegTokenResp.
    check!(
        err.contains("*     type: GSS token") && err.contains("SPNEGO NegTokenInit"),
        "{err}"
    );
    check!(err.contains("SPNEGO NegTokenResp"), "{err}");
    Ok(())
}

pub fn http_error_status() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let out = output(gss().args(["curl", &server.url("/missing")]))?;
    expect_code(&out, 3, "a 404")
}

pub fn no_credentials() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let dir = tempfile::tempdir()?;
    let none = format!("FILE:{}", dir.path().join("no-ccache").display());
    let out = output(gss_without_ticket(&none).args(["curl", &server.url("/")]))?;
    expect_code(&out, 4, "no ticket")?;
    let err = String::from_utf8_lossy(&out.stderr);
    check!(err.contains("kinit"), "the message says what to do: {err}");
    Ok(())
}

pub fn ccache_option() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let dir = tempfile::tempdir()?;
    let none = format!("FILE:{}", dir.path().join("no-ccache").display());
    // The default ccache is empty; --ccache names the user's, for both mechanisms.
    for mech in ["spnego", "krb5"] {
        let out = output(gss_without_ticket(&none).args([
            "curl",
            "--mech",
            mech,
            "--ccache",
            &realm().user_ccache(),
            &server.url("/"),
        ]))?;
        expect_code(&out, 0, &format!("--ccache with {mech}"))?;
    }
    // A ccache that does not exist: authentication failed.
    let out = output(
        gss()
            .env("KRB5_CLIENT_KTNAME", realm().no_client_keytab())
            .args([
                "curl",
                "--mech",
                "krb5",
                "--ccache",
                &none,
                &server.url("/"),
            ]),
    )?;
    expect_code(&out, 4, "--ccache naming nothing")
}

pub fn network_error() -> TestResult {
    // A port nobody listens on: bind one, learn its number, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let out = output(gss().args(["curl", &format!("http://127.0.0.1:{port}/")]))?;
    expect_code(&out, 6, "connection refused")
}

pub fn bad_usage() -> TestResult {
    for args in [
        &["curl"][..],
        &["curl", "--mutual", "sometimes", "http://localhost/"],
        &["curl", "-H", "no colon", "http://localhost/"],
        &["curl", "not a url"],
        &["curl", "--spn", "nohost", "http://localhost/"],
        &["curl", "--bogus", "http://localhost/"],
        &["frobnicate"],
    ] {
        let out = output(gss().args(args))?;
        expect_code(&out, 2, &format!("gss {args:?}"))?;
    }
    let out = output(gss().args(["curl", "--help"]))?;
    expect_code(&out, 0, "--help")?;
    let help = String::from_utf8_lossy(&out.stdout);
    check!(
        help.contains("Examples:") && help.contains("Exit codes:"),
        "{help}"
    );
    Ok(())
}

pub fn server_without_credentials() -> TestResult {
    // A keytab with no keys: the server cannot start, or refuses every token; either way
    // gss curl cannot authenticate. gss serve checks at start and exits 1.
    let dir = tempfile::tempdir()?;
    let keytab = dir.path().join("empty.keytab");
    let site = site()?;
    let out = output(gss().args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--keytab",
        keytab.to_str().unwrap(),
        "--dir",
        site.path().to_str().unwrap(),
    ]))?;
    expect_code(&out, 1, "gss serve without a keytab")?;
    let err = String::from_utf8_lossy(&out.stderr);
    check!(err.contains("--keytab"), "{err}");
    Ok(())
}

pub fn mutual_auth_failed() -> TestResult {
    // The echoing upstream takes the token and answers 200 without one of its own: it never
    // proved who it is.
    let upstream = Upstream::start()?;
    let url = format!("http://{}:{}/", realm().hostname(), upstream.port);
    let out = output(gss().args(["curl", "--opportunistic", &url]))?;
    expect_code(&out, 5, "a 200 without the server's token, mutual required")?;
    check!(
        out.stdout.is_empty(),
        "the unauthenticated body is not shown"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    check!(err.contains("mutual authentication failed"), "{err}");
    for mode in ["optional", "disabled"] {
        let out = output(gss().args(["curl", "--opportunistic", "--mutual", mode, &url]))?;
        expect_code(&out, 0, &format!("--mutual {mode}"))?;
    }
    Ok(())
}

pub fn keytab_option() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let dir = tempfile::tempdir()?;
    let none = format!("FILE:{}", dir.path().join("no-ccache").display());
    for mech in ["spnego", "krb5"] {
        let out = output(gss_without_ticket(&none).args([
            "curl",
            "--mech",
            mech,
            "--keytab",
            &realm().user_keytab(),
            &server.url("/"),
        ]))?;
        expect_code(&out, 0, &format!("--keytab with {mech}"))?;
    }
    check!(
        !dir.path().join("no-ccache").exists(),
        "the default ccache was not written"
    );
    let out = output(gss().args([
        "curl",
        "--keytab",
        "k",
        "--ccache",
        "c",
        "http://localhost/",
    ]))?;
    expect_code(&out, 2, "--keytab with --ccache")
}
