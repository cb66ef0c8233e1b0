//! `gss serve`: curl --negotiate against it, the access log, the allow-list, and the reverse
//! proxy in front of an upstream that echoes what it received.

use crate::check;
use crate::support::*;

fn json(out: &std::process::Output) -> Result<serde_json::Value, libtest_mimic::Failed> {
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stdout)).into())
}

/// The values of `name` the upstream received.
fn received(echo: &serde_json::Value, name: &str) -> Vec<String> {
    echo["headers"][name]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn proxy(upstream: &Upstream, extra: &[&str]) -> Result<Server, libtest_mimic::Failed> {
    let keytab = realm().keytab();
    let url = upstream.url();
    let mut args = vec!["--keytab", &keytab, "--proxy", &url];
    args.extend_from_slice(extra);
    Server::start(&args)
}

pub fn curl_negotiate() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let out = output(realm().command("curl").args([
        "--negotiate",
        "-u",
        ":",
        "-sS",
        "--fail",
        &server.url("/index.html"),
    ]))?;
    expect_code(&out, 0, "curl --negotiate")?;
    check!(
        out.stdout == b"hello from gss serve\n",
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Without credentials curl gets the 401.
    let out = output(realm().command("curl").args([
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &server.url("/index.html"),
    ]))?;
    check!(
        out.stdout == b"401",
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ok(())
}

pub fn sessions() -> TestResult {
    let site = site()?;
    let dir = tempfile::tempdir()?;
    let jar = dir.path().join("cookies");
    let jar = jar.to_str().unwrap();
    let server = Server::start(&[
        "--keytab",
        &realm().keytab(),
        "--dir",
        site.path().to_str().unwrap(),
        "--sessions",
    ])?;
    let url = server.url("/index.html");
    let out = output(realm().command("curl").args([
        "--negotiate",
        "-u",
        ":",
        "-sS",
        "--fail",
        "-c",
        jar,
        &url,
    ]))?;
    expect_code(&out, 0, "curl --negotiate, keeping the cookie")?;
    // The cookie alone authenticates the next request: no Negotiate.
    let out = output(
        realm()
            .command("curl")
            .args(["-sS", "--fail", "-b", jar, &url]),
    )?;
    expect_code(&out, 0, "curl with the session cookie")?;
    check!(
        out.stdout == b"hello from gss serve\n",
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let log = server.log();
    let last = log
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or("no log")?;
    check!(
        last.contains(&format!("\"principal\":\"{}\"", realm().user_principal())),
        "{log}"
    );
    // Without --sessions the cookie means nothing.
    let plain = Server::files(&site)?;
    let out = output(realm().command("curl").args([
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-b",
        jar,
        &plain.url("/index.html"),
    ]))?;
    check!(
        out.stdout == b"401",
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = output(gss().args(["serve", "--dir", "/tmp", "--session-max-age", "5"]))?;
    expect_code(&out, 2, "--session-max-age without --sessions")
}

pub fn access_log() -> TestResult {
    let site = site()?;
    let server = Server::files(&site)?;
    let out = output(gss().args(["curl", &server.url("/index.html")]))?;
    expect_code(&out, 0, "gss curl")?;
    let log = server.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    check!(lines.len() == 2, "the 401 and the 200: {log}");
    check!(
        lines[0]["status"] == 401 && lines[0]["principal"].is_null(),
        "{log}"
    );
    let ok = &lines[1];
    check!(
        ok["status"] == 200 && ok["method"] == "GET" && ok["path"] == "/index.html",
        "{log}"
    );
    check!(
        ok["principal"] == realm().user_principal().as_str(),
        "{log}"
    );
    check!(
        ok["peer"]
            .as_str()
            .is_some_and(|p| p.starts_with("127.0.0.1:")),
        "{log}"
    );
    check!(
        ok["time"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z') && t.len() == 24),
        "{log}"
    );
    Ok(())
}

pub fn allow_list() -> TestResult {
    let site = site()?;
    let dir = site.path().to_str().unwrap();
    let keytab = realm().keytab();
    let user = realm().user_principal();
    let realm_name = realm().realm_name().to_owned();
    for (args, code) in [
        (vec!["--allow-principal", user.as_str()], 0),
        (vec!["--allow-realm", realm_name.as_str()], 0),
        (vec!["--allow-principal", "someone@ELSEWHERE"], 3),
        (
            vec!["--allow-realm", "ELSEWHERE", "--allow-principal", "x@Y"],
            3,
        ),
    ] {
        let mut all = vec!["--keytab", keytab.as_str(), "--dir", dir];
        all.extend(args.iter().copied());
        let server = Server::start(&all)?;
        let out = output(gss().args(["curl", &server.url("/index.html")]))?;
        expect_code(&out, code, &format!("{args:?}"))?;
        if code == 3 {
            let err = String::from_utf8_lossy(&out.stderr);
            check!(err.contains("403"), "{err}");
        }
    }
    Ok(())
}

pub fn proxy_principal_header() -> TestResult {
    let upstream = Upstream::start()?;
    let server = proxy(&upstream, &[])?;
    // A forged principal header from the client never reaches the upstream.
    let out = output(gss().args([
        "curl",
        "-H",
        "X-Remote-User: admin@EVIL.ORG",
        "-H",
        "X-Other: kept",
        &server.url("/app/page?q=1"),
    ]))?;
    expect_code(&out, 0, "gss curl through the proxy")?;
    let echo = json(&out)?;
    check!(
        received(&echo, "x-remote-user") == [realm().user_principal()],
        "{echo}"
    );
    check!(received(&echo, "x-other") == ["kept"], "{echo}");
    check!(
        received(&echo, "authorization").is_empty(),
        "the token is not forwarded: {echo}"
    );
    check!(
        received(&echo, "x-forwarded-for") == ["127.0.0.1"],
        "{echo}"
    );
    let host = format!("{}:{}", realm().hostname(), server.port);
    check!(received(&echo, "x-forwarded-host") == [host], "{echo}");
    check!(received(&echo, "x-forwarded-proto") == ["http"], "{echo}");
    // A configurable header name: that one is stripped from the request and set.
    let server = proxy(&upstream, &["--principal-header", "X-Krb-User"])?;
    let out = output(gss().args([
        "curl",
        "-H",
        "x-krb-user: forged@EVIL.ORG",
        &server.url("/"),
    ]))?;
    expect_code(&out, 0, "gss curl with --principal-header")?;
    let echo = json(&out)?;
    check!(
        received(&echo, "x-krb-user") == [realm().user_principal()],
        "{echo}"
    );
    Ok(())
}

pub fn proxy_local_name() -> TestResult {
    let upstream = Upstream::start()?;
    let server = proxy(&upstream, &["--local-name-header", "X-Remote-Local"])?;
    let out = output(gss().args(["curl", "-H", "X-Remote-Local: root", &server.url("/")]))?;
    expect_code(&out, 0, "gss curl with --local-name-header")?;
    let echo = json(&out)?;
    // The realm is the default realm: auth_to_local's default rule gives the first component.
    check!(received(&echo, "x-remote-local") == ["user"], "{echo}");
    let out = output(gss().args(["serve", "--dir", "/tmp", "--local-name-header", "X-L"]))?;
    expect_code(&out, 2, "--local-name-header without --proxy")
}

pub fn proxy_without_delegation() -> TestResult {
    let upstream = Upstream::start()?;
    let server = proxy(&upstream, &["--delegation-header", "X-Krb5-Ccname"])?;
    // No --delegate: no ccache, and a forged ccache header is removed.
    let out = output(gss().args([
        "curl",
        "-H",
        "X-Krb5-Ccname: FILE:/etc/passwd",
        &server.url("/"),
    ]))?;
    expect_code(&out, 0, "gss curl without --delegate")?;
    let echo = json(&out)?;
    check!(received(&echo, "x-krb5-ccname").is_empty(), "{echo}");
    Ok(())
}

fn check_delegated(echo: &serde_json::Value) -> TestResult {
    let names = received(echo, "x-krb5-ccname");
    check!(names.len() == 1 && names[0].starts_with("FILE:"), "{echo}");
    check!(
        echo["ccache_exists"] == true,
        "the ccache existed during the request: {echo}"
    );
    check!(
        echo["ccache_valid"] == true,
        "klist -s found the ticket: {echo}"
    );
    let path = names[0].trim_start_matches("FILE:");
    check!(
        !std::path::Path::new(path).exists(),
        "the ccache {path} is gone after the request"
    );
    Ok(())
}

pub fn proxy_delegation() -> TestResult {
    let upstream = Upstream::start()?;
    let server = proxy(&upstream, &["--delegation-header", "X-Krb5-Ccname"])?;
    let out = output(gss().args([
        "curl",
        "--delegate",
        "-H",
        "X-Krb5-Ccname: FILE:/etc/passwd",
        &server.url("/"),
    ]))?;
    expect_code(&out, 0, "gss curl --delegate")?;
    check_delegated(&json(&out)?)?;
    // Stopped with SIGTERM, the server removes its ccache directory.
    let echo = json(&out)?;
    let name = received(&echo, "x-krb5-ccname").pop().unwrap_or_default();
    let dir = std::path::Path::new(name.trim_start_matches("FILE:"))
        .parent()
        .ok_or("no directory")?
        .to_owned();
    check!(
        dir.exists(),
        "{} exists while the server runs",
        dir.display()
    );
    drop(server);
    check!(!dir.exists(), "{} is gone after SIGTERM", dir.display());
    // Without --delegation-header delegated credentials are not kept or forwarded.
    let server = proxy(&upstream, &[])?;
    let out = output(gss().args(["curl", "--delegate", &server.url("/")]))?;
    expect_code(&out, 0, "gss curl --delegate, no delegation header")?;
    let echo = json(&out)?;
    check!(received(&echo, "x-krb5-ccname").is_empty(), "{echo}");
    Ok(())
}

pub fn proxy_curl_delegation() -> TestResult {
    let upstream = Upstream::start()?;
    let server = proxy(&upstream, &["--delegation-header", "X-Krb5-Ccname"])?;
    let out = output(realm().command("curl").args([
        "--negotiate",
        "-u",
        ":",
        "--delegation",
        "always",
        "-sS",
        "--fail",
        &server.url("/"),
    ]))?;
    expect_code(&out, 0, "curl --negotiate --delegation always")?;
    let echo = json(&out)?;
    check!(
        received(&echo, "x-remote-user") == [realm().user_principal()],
        "{echo}"
    );
    check_delegated(&echo)?;
    // And without delegation.
    let out = output(realm().command("curl").args([
        "--negotiate",
        "-u",
        ":",
        "-sS",
        "--fail",
        &server.url("/"),
    ]))?;
    expect_code(&out, 0, "curl --negotiate")?;
    let echo = json(&out)?;
    check!(
        received(&echo, "x-remote-user") == [realm().user_principal()],
        "{echo}"
    );
    check!(received(&echo, "x-krb5-ccname").is_empty(), "{echo}");
    Ok(())
}

pub fn bad_usage() -> TestResult {
    for args in [
        &["serve"][..],
        &["serve", "--dir", "/tmp", "--proxy", "http://127.0.0.1:1/"],
        &["serve", "--listen", "nowhere", "--dir", "/tmp"],
        &[
            "serve",
            "--dir",
            "/tmp",
            "--delegation-header",
            "X-Krb5-Ccname",
        ],
        &[
            "serve",
            "--proxy",
            "http://127.0.0.1:1/",
            "--principal-header",
            "bad header",
        ],
        &["serve", "--dir", "/tmp", "--cred-store", "keytab"],
        &[
            "serve",
            "--dir",
            "/tmp",
            "--cred-store",
            "keytab=FILE:/a",
            "--keytab",
            "/b",
        ],
    ] {
        let out = output(gss().args(args))?;
        expect_code(&out, 2, &format!("gss {args:?}"))?;
    }
    Ok(())
}

/// `--cred-store`: the acceptor's keytab and replay cache through the credential store (MIT);
/// an unknown key is passed on with a warning; a store without the service's keys does not
/// start.
pub fn cred_store() -> TestResult {
    let site = site()?;
    let dir = site.path().to_str().unwrap();
    let rcache = format!(
        "dfl:{}",
        realm().dir().join("serve-cred-store.rcache").display()
    );
    let keytab = format!("keytab={}", realm().keytab());
    let server = Server::start(&[
        "--cred-store",
        &keytab,
        "--cred-store",
        &format!("rcache={rcache}"),
        "--cred-store",
        "ntlmssp_keyfile=/nonexistent",
        "--dir",
        dir,
    ])?;
    let out = output(gss().args(["curl", &server.url("/index.html")]))?;
    expect_code(&out, 0, "gss curl to gss serve --cred-store")?;
    let log = server.log();
    check!(
        log.contains("--cred-store ntlmssp_keyfile: not a key of MIT's Kerberos mechanism"),
        "{log}"
    );
    let empty = realm().dir().join("empty.keytab");
    std::fs::write(&empty, b"")?;
    let out = output(gss().args([
        "serve",
        "--cred-store",
        &format!("keytab=FILE:{}", empty.display()),
        "--dir",
        dir,
    ]))?;
    expect_code(&out, 1, "gss serve with an empty keytab in the store")
}
