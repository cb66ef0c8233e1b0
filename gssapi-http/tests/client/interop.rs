//! The Rust client against an independent server: `negotiate_app.py` on Debian's
//! python3-gssapi (MIT), whatever library the Rust side uses.

use crate::support::*;
use crate::*;
use gssapi::Mechanism;
use gssapi_http::client::{MutualAuthentication, NegotiateClient, Verdict};
use http::StatusCode;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

/// The app's process, killed (by its PID) and reaped when dropped.
struct App {
    child: Child,
    port: u16,
}

impl Drop for App {
    fn drop(&mut self) {
        // Already gone is fine: the wait reaps it either way.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_app() -> Result<App, Failed> {
    let keytab = realm().keytab();
    let keytab = keytab.strip_prefix("FILE:").unwrap_or(&keytab).to_owned();
    let mut child = Command::new("/usr/bin/python3")
        .arg(test_dir().join("negotiate_app.py"))
        .arg(&keytab)
        .envs(realm_env())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("start /usr/bin/python3: {e}"))?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let read = BufReader::new(stdout).read_line(&mut line);
    let mut app = App { child, port: 0 };
    read.map_err(fail)?;
    app.port = line
        .trim()
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("the app said {line:?}"))?;
    Ok(app)
}

pub fn python_gssapi_server() -> TestResult {
    let app = start_app()?;
    let url = format!("http://localhost:{}/", app.port);
    let user = realm().user_principal();
    let krb5 = "1.2.840.113554.1.2.2";

    // Mutual authentication Required: the app's final token proves it.
    let got = get_ok(
        &http(
            NegotiateClient::builder()
                .mutual_authentication(MutualAuthentication::Required)
                .build(),
        ),
        &url,
    )?;
    check!(got.status == StatusCode::OK, "{got:?}");
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(
        got.body == format!("hello {user} mech={krb5} delegated=none"),
        "{}",
        got.body
    );

    // Delegation: the app stores and uses the user's forwarded TGT.
    let got = get_ok(
        &http(
            NegotiateClient::builder()
                .mutual_authentication(MutualAuthentication::Required)
                .delegate(true)
                .build(),
        ),
        &url,
    )?;
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(
        got.body == format!("hello {user} mech={krb5} delegated={user}"),
        "{}",
        got.body
    );

    // Raw Kerberos instead of SPNEGO, opportunistic: one request.
    let got = get_ok(
        &http(
            NegotiateClient::builder()
                .mutual_authentication(MutualAuthentication::Required)
                .mech(Mechanism::KERBEROS)
                .opportunistic(true)
                .build(),
        ),
        &url,
    )?;
    check!(got.verdict == Some(Verdict::Authenticated), "{got:?}");
    check!(
        got.body == format!("hello {user} mech={krb5} delegated=none"),
        "{}",
        got.body
    );

    // Without credentials the app challenges and the client's 401 is what comes back.
    let bare = reqwest::Client::new();
    let status = rt().block_on(async { bare.get(&url).send().await.map(|r| r.status()) });
    check!(status.map_err(fail)? == StatusCode::UNAUTHORIZED);
    drop(app);
    Ok(())
}
