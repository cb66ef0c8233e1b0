//! Real clients against the Rust server: curl `--negotiate` (Debian's curl, GSS-API built
//! in) and requests-gssapi (from PyPI, in the venv `ci/install-deps.sh` makes).

use crate::app::{self, Ccaches, Response, parse_response};
use crate::support::{self, response};
use crate::*;
use std::path::PathBuf;
use std::process::Command;

/// Runs `cmd`; its stdout, or the failure with everything it printed.
fn output(mut cmd: Command) -> Result<String, Failed> {
    let out = cmd.output().map_err(|e| format!("run {cmd:?}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(stdout)
}

/// curl's `-i` output: its last response (after the 401 that came first).
fn last_response(out: &str) -> Result<Response, Failed> {
    let start = out
        .rfind("HTTP/1.1 ")
        .ok_or_else(|| format!("no response in {out:?}"))?;
    parse_response(&out[start..])
}

fn curl(url: &str, delegation: bool) -> Result<String, Failed> {
    let mut cmd = realm().command("curl");
    cmd.args(["--negotiate", "-u", ":", "-sS", "-i", "--max-time", "30"]);
    if delegation {
        cmd.args(["--delegation", "always"]);
    }
    cmd.arg(url);
    output(cmd)
}

/// A response header carrying a Negotiate token (the mutual-authentication token).
fn has_mutual_token(response: &Response) -> bool {
    response.headers.iter().any(|(name, value)| {
        name == "www-authenticate"
            && value.split_once(' ').is_some_and(|(scheme, t)| {
                scheme.eq_ignore_ascii_case("negotiate") && !t.trim().is_empty()
            })
    })
}

pub fn curl_negotiate() -> TestResult {
    let acceptor = app::acceptor();
    let (server, ccaches) = app::serve(acceptor.clone(), false);
    let out = curl(&server.url("localhost"), false)?;
    let response = last_response(&out)?;
    let (status, body) = (response.status, &response.body);
    check!(status == 200, "{out}");
    let user = realm().user_principal();
    check!(
        body.starts_with(&format!(
            "principal={user} local=user mech=krb5 mutual=true delegated=none"
        )),
        "{body}"
    );
    check!(has_mutual_token(&response), "no mutual token: {out}");
    check!(server.requests() >= 1);
    check!(ccaches.lock().unwrap().is_empty());
    check!(acceptor.delegated_live() == 0);
    Ok(())
}

pub fn curl_delegation_always() -> TestResult {
    let acceptor = app::acceptor();
    let (server, ccaches) = app::serve(acceptor.clone(), true);
    let out = curl(&server.url("localhost"), true)?;
    let response = last_response(&out)?;
    let (status, body) = (response.status, &response.body);
    check!(status == 200, "{out}");
    let user = realm().user_principal();
    check!(
        body.contains(&format!("delegated={user} ccache=MEMORY:")),
        "{body}"
    );
    // The handler initiated onward as the user with the delegated tickets.
    check!(body.ends_with(" hop=true"), "{body}");
    check!(has_mutual_token(&response), "{out}");
    let seen = ccaches.lock().unwrap().clone();
    check!(seen.len() == 1 && seen[0].holder == user, "{seen:?}");
    // The request is over: its ccache is destroyed.
    check!(
        acceptor.delegated_live() == 0,
        "{}",
        acceptor.delegated_live()
    );
    check!(
        !holds_tickets(&seen[0].ccache)?,
        "{} still holds tickets",
        seen[0].ccache
    );
    Ok(())
}

/// Whether the ccache `name` holds tickets, asked of the library. (Resolving an unknown
/// `MEMORY:` name creates it, empty: it is destroyed again afterwards.)
pub fn holds_tickets(name: &str) -> Result<bool, Failed> {
    let found = if gssapi::raw::ext::is_supported("cred_store") {
        // The empty client keytab keeps MIT from refilling an empty ccache from the default one.
        gssapi::Credentials::builder()
            .store(
                gssapi::CredStore::new()
                    .ccache(name)
                    .client_keytab("MEMORY:holds-tickets-no-keytab"),
            )
            .usage(gssapi::CredUsage::Initiate)
            .acquire()
            .is_ok()
    } else {
        gssapi::Credentials::initiator_from_ccache(name).is_ok()
    };
    gssapi::raw::ext::krb5::krb5_destroy_ccache(name).map_err(fail)?;
    Ok(found)
}

/// The venv with requests-gssapi (`ci/install-deps.sh` makes it).
fn interop_python() -> Result<PathBuf, Failed> {
    let python =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/interop-venv/bin/python");
    check!(
        python.exists(),
        "{} is missing: run ci/install-deps.sh (it makes the requests-gssapi venv)",
        python.display()
    );
    Ok(python)
}

/// Runs `requests_client.py URL [delegate]`: its stdout (status line, then the body).
fn requests_gssapi(url: &str, delegate: bool) -> Result<Result<String, String>, Failed> {
    let mut cmd = Command::new(interop_python()?);
    cmd.arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/server/requests_client.py"))
        .arg(url)
        .arg(if delegate { "delegate" } else { "no-delegate" })
        .envs(realm_env());
    let out = cmd.output().map_err(|e| format!("run {cmd:?}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok(if out.status.success() {
        Ok(stdout)
    } else {
        Err(format!("{}\n{stdout}\n{stderr}", out.status))
    })
}

pub fn requests_gssapi_required() -> TestResult {
    let acceptor = app::acceptor();
    let (server, _) = app::serve(acceptor, false);
    let out = requests_gssapi(&server.url("localhost"), false)?.map_err(Failed::from)?;
    let user = realm().user_principal();
    // The script prints the status and body only after requests-gssapi verified the
    // server's final token (REQUIRED raises MutualAuthenticationError otherwise).
    check!(out.starts_with("200\n"), "{out}");
    check!(out.contains(&format!("principal={user} ")), "{out}");
    check!(out.contains("mutual=true delegated=none"), "{out}");
    Ok(())
}

pub fn requests_gssapi_delegate() -> TestResult {
    let acceptor = app::acceptor();
    let (server, ccaches): (_, Ccaches) = app::serve(acceptor.clone(), true);
    let out = requests_gssapi(&server.url("localhost"), true)?.map_err(Failed::from)?;
    let user = realm().user_principal();
    check!(out.starts_with("200\n"), "{out}");
    check!(
        out.contains(&format!("delegated={user} ccache=MEMORY:")),
        "{out}"
    );
    check!(out.trim_end().ends_with("hop=true"), "{out}");
    check!(acceptor.delegated_live() == 0);
    let seen = ccaches.lock().unwrap().clone();
    check!(
        seen.len() == 1 && !holds_tickets(&seen[0].ccache)?,
        "{seen:?}"
    );
    Ok(())
}

/// The control of the two tests above: a server that answers 200 without a mutual token
/// fails requests-gssapi's REQUIRED (so the script's success there means something).
pub fn requests_gssapi_required_refuses_unauthenticated_200() -> TestResult {
    let acceptor = app::acceptor();
    let server = support::custom(move |_, headers| {
        if headers.contains_key(http::header::AUTHORIZATION) {
            // Accept the token (so the client's context is real), but drop the mutual token.
            match support::accept(&acceptor, headers) {
                Ok(_) => response(200, &[], "no token for you"),
                Err(refusal) => *refusal,
            }
        } else {
            support::challenge()
        }
    });
    match requests_gssapi(&server.url("localhost"), false)? {
        Ok(out) => Err(format!("requests-gssapi accepted a 200 without a token: {out}").into()),
        Err(e) => {
            check!(e.contains("MutualAuthenticationError"), "{e}");
            Ok(())
        }
    }
}
