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
