//! HTTPS: `gss serve --tls-cert/--tls-key` (tokens bound to the certificate) against
//! `gss curl --cacert` and `curl --negotiate --cacert`, with and without delegation.

use crate::check;
use crate::support::*;

/// A self-signed certificate for localhost: (directory, cert.pem, key.pem).
fn certificate() -> Result<(tempfile::TempDir, String, String), libtest_mimic::Failed> {
    let dir = tempfile::tempdir()?;
    let cert = dir.path().join("cert.pem").display().to_string();
    let key = dir.path().join("key.pem").display().to_string();
    // An end-entity certificate (webpki refuses a CA certificate as the server's).
    let config = dir.path().join("req.cnf");
    std::fs::write(
        &config,
        "[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=localhost\n\
         [ext]\nbasicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:localhost\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )?;
    let out = output(std::process::Command::new("openssl").args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-config",
        config.to_str().unwrap(),
        "-keyout",
        &key,
        "-out",
        &cert,
    ]))?;
    expect_code(&out, 0, "openssl req")?;
    Ok((dir, cert, key))
}

pub fn https() -> TestResult {
    let (_dir, cert, key) = certificate()?;
    let site = site()?;
    let server = Server::start(&[
        "--keytab",
        &realm().keytab(),
        "--tls-cert",
        &cert,
        "--tls-key",
        &key,
        "--dir",
        site.path().to_str().unwrap(),
    ])?;
    let url = server.url("/index.html");
    check!(url.starts_with("https://"), "{url}");
    for extra in [&[][..], &["--delegate"], &["--mech", "krb5"]] {
        let out = output(
            gss()
                .args(["curl", "--cacert", &cert])
                .args(extra)
                .arg(&url),
        )?;
        expect_code(&out, 0, &format!("gss curl https {extra:?}"))?;
        check!(
            out.stdout == b"hello from gss serve\n",
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    for extra in [&[][..], &["--delegation", "always"]] {
        let out = output(
            realm()
                .command("curl")
                .args(["--negotiate", "-u", ":", "-sS", "--fail", "--cacert", &cert])
                .args(extra)
                .arg(&url),
        )?;
        expect_code(&out, 0, &format!("curl --negotiate https {extra:?}"))?;
        check!(
            out.stdout == b"hello from gss serve\n",
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // A certificate nobody vouches for: the connection fails (network error, 6).
    let out = output(gss().args(["curl", &url]))?;
    expect_code(&out, 6, "an untrusted certificate")
}

pub fn https_proxy() -> TestResult {
    let (_dir, cert, key) = certificate()?;
    let upstream = Upstream::start()?;
    let server = Server::start(&[
        "--keytab",
        &realm().keytab(),
        "--tls-cert",
        &cert,
        "--tls-key",
        &key,
        "--proxy",
        &upstream.url(),
        "--delegation-header",
        "X-Krb5-Ccname",
    ])?;
    let out = output(gss().args(["curl", "--cacert", &cert, "--delegate", &server.url("/")]))?;
    expect_code(&out, 0, "gss curl --delegate through the https proxy")?;
    let echo: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    check!(echo["headers"]["x-forwarded-proto"][0] == "https", "{echo}");
    check!(
        echo["headers"]["x-remote-user"][0] == realm().user_principal().as_str(),
        "{echo}"
    );
    check!(echo["ccache_valid"] == true, "{echo}");
    let out = output(realm().command("curl").args([
        "--negotiate",
        "-u",
        ":",
        "-sS",
        "--fail",
        "--delegation",
        "always",
        "--cacert",
        &cert,
        &server.url("/"),
    ]))?;
    expect_code(
        &out,
        0,
        "curl --negotiate --delegation always through the https proxy",
    )?;
    let echo: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    check!(echo["ccache_valid"] == true, "{echo}");
    Ok(())
}
