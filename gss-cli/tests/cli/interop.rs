//! `gss curl` against an independent Negotiate server: gssapi-http's `negotiate_app.py` on
//! python-gssapi (Debian's python3-gssapi).

use crate::check;
use crate::support::*;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

const APP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../gssapi-http/tests/client/negotiate_app.py"
);

pub fn python_gssapi_server() -> TestResult {
    let mut child = Command::new("/usr/bin/python3")
        .arg(APP)
        .arg(realm().keytab())
        .envs(realm().env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let guard = ChildGuard::new(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let port: u16 = line
        .trim()
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("the app said {line:?}"))?;
    let url = format!("http://{}:{port}/", realm().hostname());
    let user = realm().user_principal();
    let krb5 = "1.2.840.113554.1.2.2";
    for (args, delegated) in [
        (&["curl"][..], "none"),
        (&["curl", "--delegate"], user.as_str()),
        (&["curl", "--mech", "krb5", "--opportunistic"], "none"),
    ] {
        let out = output(gss().args(args).arg(&url))?;
        expect_code(&out, 0, &format!("gss {args:?} against negotiate_app.py"))?;
        let body = String::from_utf8_lossy(&out.stdout);
        check!(
            body == format!("hello {user} mech={krb5} delegated={delegated}"),
            "{args:?}: {body}"
        );
    }
    drop(guard);
    Ok(())
}
