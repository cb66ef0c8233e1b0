//! `gss status`, `gss mechs`, `gss klist` and `gss whoami`.

use crate::check;
use crate::support::*;

fn json(out: &std::process::Output) -> Result<serde_json::Value, libtest_mimic::Failed> {
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stdout)).into())
}

/// Major codes: each routine error, calling errors, supplementary bits, combinations.
const MAJORS: &[u32] = &[
    0x10000, 0x20000, 0x30000, 0x40000, 0x50000, 0x60000, 0x70000, 0x80000, 0x90000, 0xa0000,
    0xb0000, 0xc0000, 0xd0000, 0xe0000, 0xf0000, 0x100000, 0x110000, 0x120000, 0x1000000,
    0x2000000, 0x3000000, 0x1070000, 0x90002, 0x70001,
];

pub fn status_python_names() -> TestResult {
    // python-gssapi itself says which class each major code raises (Debian's python3-gssapi,
    // for /usr/bin/python3 whatever python3 comes first in PATH).
    let script = format!(
        "from gssapi.raw import misc\nfor m in {MAJORS:?}:\n    print(type(misc.GSSError(m, 0)).__name__)\n"
    );
    let py = output(std::process::Command::new("/usr/bin/python3").args(["-c", &script]))?;
    expect_code(&py, 0, "python3 with python-gssapi")?;
    let expected: Vec<String> = String::from_utf8_lossy(&py.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    check!(expected.len() == MAJORS.len(), "{expected:?}");
    for (major, want) in MAJORS.iter().zip(&expected) {
        let out = output(gss().args(["status", "--json", &format!("0x{major:x}")]))?;
        expect_code(&out, 0, "gss status")?;
        let got = json(&out)?;
        check!(
            got["python_exception"] == want.as_str(),
            "0x{major:x}: python-gssapi says {want}, gss says {got}"
        );
    }
    // The text form names it too, and decimal works.
    let out = output(gss().args(["status", "458752"]))?;
    expect_code(&out, 0, "gss status 458752")?;
    let text = String::from_utf8_lossy(&out.stdout);
    check!(
        text.contains("python-gssapi: MissingCredentialsError"),
        "{text}"
    );
    check!(
        text.contains("No credentials were supplied"),
        "the library's text: {text}"
    );
    Ok(())
}

pub fn status_minor() -> TestResult {
    // A signed Kerberos code and its unsigned form are the same code.
    for minor in ["-1765328203", "2529639093", "0x96c73ab5"] {
        let out = output(gss().args(["status", "--json", "0x70000", minor]))?;
        expect_code(&out, 0, "gss status with a minor code")?;
        let got = json(&out)?;
        check!(
            got["minor"] == 2529639093u32 && got["krb5_error"] == "KRB5_KT_NOTFOUND",
            "{got}"
        );
        check!(got["minor_signed"] == -1765328203, "{got}");
    }
    let out = output(gss().args(["status", "0xd0000", "-1765328228"]))?;
    let text = String::from_utf8_lossy(&out.stdout);
    check!(text.contains("Kerberos: KRB5_KDC_UNREACH"), "{text}");
    for bad in [
        &["status"][..],
        &["status", "seven"],
        &["status", "0x1ffffffff"],
        &["status", "1", "2", "3"],
    ] {
        let out = output(gss().args(bad))?;
        expect_code(&out, 2, &format!("gss {bad:?}"))?;
    }
    Ok(())
}

pub fn mechs() -> TestResult {
    let out = output(gss().args(["mechs", "--json"]))?;
    expect_code(&out, 0, "gss mechs --json")?;
    let all = json(&out)?;
    let list = all.as_array().ok_or("an array")?;
    let krb5 = list
        .iter()
        .find(|m| m["oid"] == "1.2.840.113554.1.2.2")
        .ok_or("krb5 is listed")?;
    check!(
        krb5["name"] == "krb5" && krb5["sasl_name"] == "GS2-KRB5",
        "{krb5}"
    );
    let attrs = krb5["attributes"].as_array().ok_or("attributes")?;
    check!(
        attrs.iter().any(|a| a["name"] == "GSS_C_MA_DELEG_CRED"),
        "{krb5}"
    );
    check!(
        krb5["name_types"]
            .as_array()
            .is_some_and(|t| t.iter().any(|n| n["name"] == "GSS_C_NT_HOSTBASED_SERVICE")),
        "{krb5}"
    );
    check!(list.iter().any(|m| m["name"] == "spnego"), "{all}");
    let out = output(gss().args(["mechs"]))?;
    expect_code(&out, 0, "gss mechs")?;
    let text = String::from_utf8_lossy(&out.stdout);
    check!(
        text.contains("1.2.840.113554.1.2.2 krb5 (library: krb5, SASL: GS2-KRB5)"),
        "{text}"
    );
    Ok(())
}

pub fn klist_and_whoami() -> TestResult {
    let user = realm().user_principal();
    let out = output(gss().args(["whoami"]))?;
    expect_code(&out, 0, "gss whoami")?;
    check!(
        String::from_utf8_lossy(&out.stdout).trim() == user,
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = output(gss().args(["whoami", "--json"]))?;
    check!(json(&out)?["principal"] == user.as_str(), "whoami --json");

    let out = output(gss().args(["klist", "--json"]))?;
    expect_code(&out, 0, "gss klist --json")?;
    let got = json(&out)?;
    check!(
        got["principal"] == user.as_str() && got["usage"] == "initiate",
        "{got}"
    );
    check!(got["lifetime"].as_u64().is_some_and(|l| l > 60), "{got}");
    check!(
        got["mechs"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m == "krb5")),
        "{got}"
    );
    let out = output(gss().args(["klist"]))?;
    let text = String::from_utf8_lossy(&out.stdout);
    check!(
        text.contains(&format!("principal: {user}")) && text.contains("lifetime:"),
        "{text}"
    );

    // --ccache: the named ccache, whatever the environment says.
    let dir = tempfile::tempdir()?;
    let none = format!("FILE:{}", dir.path().join("no-ccache").display());
    let out = output(gss_without_ticket(&none).args([
        "klist",
        "--json",
        "--ccache",
        &realm().user_ccache(),
    ]))?;
    expect_code(&out, 0, "gss klist --ccache")?;
    check!(json(&out)?["principal"] == user.as_str(), "klist --ccache");
    // --cred-store: the store's ccache, whatever the environment says.
    let store = format!("ccache={}", realm().user_ccache());
    for sub in ["klist", "whoami"] {
        let out = output(gss_without_ticket(&none).args([sub, "--json", "--cred-store", &store]))?;
        expect_code(&out, 0, &format!("gss {sub} --cred-store"))?;
        check!(
            json(&out)?["principal"] == user.as_str(),
            "{sub} --cred-store"
        );
    }
    // No credentials: exit 4, and what to do.
    for args in [
        &["whoami"][..],
        &["klist"],
        &["klist", "--ccache", none.as_str()],
    ] {
        let out = output(gss_without_ticket(&none).args(args))?;
        expect_code(&out, 4, &format!("gss {args:?} without credentials"))?;
        let err = String::from_utf8_lossy(&out.stderr);
        check!(err.contains("kinit"), "{err}");
    }
    Ok(())
}
