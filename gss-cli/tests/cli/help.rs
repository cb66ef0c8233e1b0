//! The help of every subcommand (examples and exit codes), completions and the man page.

use crate::check;
use crate::support::*;

const SUBCOMMANDS: &[&str] = &[
    "demo",
    "curl",
    "inspect",
    "serve",
    "status",
    "mechs",
    "klist",
    "whoami",
    "kinit",
    "completions",
    "man",
];

pub fn every_subcommand_has_examples() -> TestResult {
    for sub in SUBCOMMANDS {
        let out = output(gss().args([sub, "--help"]))?;
        expect_code(&out, 0, &format!("gss {sub} --help"))?;
        let help = String::from_utf8_lossy(&out.stdout);
        check!(
            help.contains("Examples:\n  gss "),
            "gss {sub} --help: {help}"
        );
    }
    let out = output(gss().arg("--help"))?;
    let help = String::from_utf8_lossy(&out.stdout);
    check!(
        help.contains("Exit codes:") && help.contains("6  network error"),
        "{help}"
    );
    let out = output(&mut gss())?;
    expect_code(&out, 2, "gss without a subcommand")
}

pub fn completions_and_man() -> TestResult {
    for (shell, marker) in [
        ("bash", "_gss()"),
        ("zsh", "#compdef gss"),
        ("fish", "complete -c gss"),
    ] {
        let out = output(gss().args(["completions", shell]))?;
        expect_code(&out, 0, &format!("gss completions {shell}"))?;
        let script = String::from_utf8_lossy(&out.stdout);
        check!(
            script.contains(marker) && script.contains("delegation-header"),
            "{shell}: {script}"
        );
    }
    let out = output(gss().args(["completions", "tcsh"]))?;
    expect_code(&out, 2, "an unknown shell")?;
    let out = output(gss().arg("man"))?;
    expect_code(&out, 0, "gss man")?;
    let page = String::from_utf8_lossy(&out.stdout);
    check!(
        page.contains(".TH gss 1") && page.contains("Exit codes"),
        "{page}"
    );
    Ok(())
}

pub fn demo() -> TestResult {
    // Its own realm: nothing of this suite's environment is passed.
    let out = output(std::process::Command::new(env!("CARGO_BIN_EXE_gss")).arg("demo"))?;
    expect_code(&out, 0, "gss demo")?;
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "== Kerberos with mutual authentication",
        "mutual: true",
        "server decrypts \"hello, server\"",
        "the server authenticates onward to HTTP@",
        "python-gssapi would raise",
        "verdict: Some(Authenticated)",
        "body: hello from gss serve",
        "\"principal\":\"user@KRBTEST.COM\",\"status\":200",
        "== Done",
    ] {
        check!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    Ok(())
}
