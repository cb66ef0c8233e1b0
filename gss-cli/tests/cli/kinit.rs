//! `gss kinit`: a password from stdin, a client keytab, a wrong password (no ccache written),
//! an unknown principal.

use crate::check;
use crate::support::*;

fn klist_principal(ccache: &str) -> Result<String, libtest_mimic::Failed> {
    let out = output(gss().args(["klist", "--json", "--ccache", ccache]))?;
    expect_code(&out, 0, "gss klist --ccache")?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(v["principal"].as_str().unwrap_or_default().to_owned())
}

pub fn password_stdin() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("cc");
    let ccache = format!("FILE:{}", path.display());
    let user = realm().user_principal();
    let input = format!("{}\n", realm().user_password());
    let out = output_with_stdin(
        gss().args(["kinit", "--password-stdin", "--ccache", &ccache, &user]),
        Some(&input),
    )?;
    expect_code(&out, 0, "gss kinit --password-stdin")?;
    check!(
        klist_principal(&ccache)? == user,
        "the ticket is in {ccache}"
    );
    Ok(())
}

pub fn keytab() -> TestResult {
    let dir = tempfile::tempdir()?;
    let ccache = format!("FILE:{}", dir.path().join("cc").display());
    let user = realm().user_principal();
    let out = output(gss().args([
        "kinit",
        "--keytab",
        &realm().user_keytab(),
        "--ccache",
        &ccache,
        &user,
    ]))?;
    expect_code(&out, 0, "gss kinit --keytab")?;
    check!(
        klist_principal(&ccache)? == user,
        "the ticket is in {ccache}"
    );
    Ok(())
}

pub fn wrong_password() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("cc");
    let ccache = format!("FILE:{}", path.display());
    let out = output_with_stdin(
        gss().args([
            "kinit",
            "--password-stdin",
            "--ccache",
            &ccache,
            &realm().user_principal(),
        ]),
        Some("not the password\n"),
    )?;
    expect_code(&out, 4, "a wrong password")?;
    let err = String::from_utf8_lossy(&out.stderr);
    check!(
        err.contains("wrong password") && err.contains("no ccache was written"),
        "{err}"
    );
    check!(!path.exists(), "no ccache at {}", path.display());
    // A principal the KDC does not know.
    let realm_name = realm().realm_name().to_owned();
    let out = output_with_stdin(
        gss().args([
            "kinit",
            "--password-stdin",
            "--ccache",
            &ccache,
            &format!("nobody@{realm_name}"),
        ]),
        Some("x\n"),
    )?;
    expect_code(&out, 4, "an unknown principal")?;
    check!(!path.exists(), "no ccache at {}", path.display());
    // Bad usage.
    let out = output(gss().args(["kinit", "--keytab", "k", "--password-stdin", "u@R"]))?;
    expect_code(&out, 2, "--keytab with --password-stdin")?;
    Ok(())
}

/// A KDC that does not answer (another realm, its KDC stopped): exit 4 with the hint, no
/// ccache written, and plain text on a stderr that is no terminal (no colour, no wait notice).
pub fn kdc_not_answering() -> TestResult {
    let other = gssapi_testrealm::Realm::new()?;
    other.stop_kdc()?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("cc");
    let ccache = format!("FILE:{}", path.display());
    let input = format!("{}\n", other.user_password());
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gss"));
    cmd.envs(other.env())
        .args(["kinit", "--password-stdin", "--ccache", &ccache])
        .arg(other.user_principal());
    let out = output_with_stdin(&mut cmd, Some(&input))?;
    expect_code(&out, 4, "gss kinit with the KDC stopped")?;
    let err = String::from_utf8_lossy(&out.stderr);
    check!(
        err.starts_with("gss: ") && err.contains("no KDC answered"),
        "{err}"
    );
    check!(
        !err.contains('\x1b') && !err.contains("waiting for"),
        "{err:?}"
    );
    check!(!path.exists(), "a ccache was written");
    Ok(())
}

/// On a terminal (a pseudo-terminal from `script`), a KDC that takes its time gets a notice
/// after two seconds, and the error prefix is coloured. The KDC here is a socket that reads
/// requests and never answers (UDP and TCP on one port of 127.0.0.1).
pub fn kdc_silent_on_a_terminal() -> TestResult {
    let udp = std::net::UdpSocket::bind("127.0.0.1:0")?;
    let port = udp.local_addr()?.port();
    let tcp = std::net::TcpListener::bind(("127.0.0.1", port))?;
    // Held open and never answered: a TCP connection that is accepted but gets no reply.
    let _held = std::thread::spawn(move || {
        let mut open = Vec::new();
        while let Ok((s, _)) = tcp.accept() {
            open.push(s);
        }
    });
    let conf = std::fs::read_to_string(realm().krb5_conf())?;
    let silent = realm().dir().join("krb5-silent-kdc.conf");
    let kdc_line = conf
        .lines()
        .find(|l| l.trim_start().starts_with("kdc ="))
        .ok_or("no kdc line in krb5.conf")?
        .to_owned();
    std::fs::write(
        &silent,
        conf.replace(&kdc_line, &format!("        kdc = 127.0.0.1:{port}")),
    )?;
    let dir = tempfile::tempdir()?;
    let ccache = format!("FILE:{}", dir.path().join("cc").display());
    let command = format!(
        "{} kinit --keytab {} --ccache {ccache} {}",
        env!("CARGO_BIN_EXE_gss"),
        realm().user_keytab(),
        realm().user_principal()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .envs(realm().env())
        .env("KRB5_CONFIG", &silent)
        .env_remove("NO_COLOR");
    let out = output(&mut cmd)?;
    drop(udp);
    let text = String::from_utf8_lossy(&out.stdout);
    check!(out.status.code() == Some(4), "{:?}: {text}", out.status);
    check!(text.contains("waiting for the KDC ("), "{text:?}");
    check!(text.contains("\x1b[1;31mgss:\x1b[0m"), "{text:?}");
    Ok(())
}
