//! The build script's discovery when nothing can be found: one message that names everything
//! tried, the package to install per distribution, and the `dlopen` feature, which then builds
//! in the very same environment.
//!
//! A scratch crate that depends on this one is built with `cargo build` (offline: the registry
//! cache of this workspace's own build has every dependency), with pkg-config and krb5-config
//! pointed at nothing and the `GSSAPI_SYS_*` overrides removed.

use std::path::Path;
use std::process::{Command, Output};

fn build(dir: &Path, features: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("PKG_CONFIG_LIBDIR", "/nonexistent")
        .env("PKG_CONFIG_PATH", "")
        .env("KRB5_CONFIG_BIN", "/nonexistent/krb5-config")
        .env("CARGO_TERM_COLOR", "never");
    for var in [
        "GSSAPI_SYS_IMPL",
        "GSSAPI_SYS_LIB_DIR",
        "GSSAPI_SYS_INCLUDE_DIR",
        "GSSAPI_SYS_LIBS",
        "GSSAPI_SYS_STATIC",
        "DOCS_RS",
    ] {
        cmd.env_remove(var);
    }
    if !features.is_empty() {
        cmd.arg("--features").arg(features.join(","));
    }
    cmd.output().expect("run cargo")
}

#[test]
fn nothing_findable_gives_one_actionable_message() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-errors-probe");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let sys = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ngssapi-sys = {{ package = \"gssapi-rs-sys\", path = {sys:?} }}\n\n\
             [features]\ndlopen = [\"gssapi-sys/dlopen\"]\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "pub fn major() -> u32 { gssapi_sys::GSS_S_COMPLETE }\n",
    )
    .unwrap();

    let out = build(&dir, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "built without a library?\n{stderr}");
    for needle in [
        "gssapi-sys: could not find a GSSAPI library (MIT krb5 or Heimdal).",
        // What was tried, in order.
        "GSSAPI_SYS_LIB_DIR / GSSAPI_SYS_LIBS: not set",
        "pkg-config mit-krb5-gssapi: Package mit-krb5-gssapi was not found",
        "pkg-config krb5-gssapi: Package krb5-gssapi was not found",
        "pkg-config heimdal-gssapi: Package heimdal-gssapi was not found",
        "/nonexistent/krb5-config --vendor: not found or failed",
        // What to install, per distribution.
        "Debian/Ubuntu:  apt-get install libkrb5-dev pkg-config",
        "Fedora/RHEL:    dnf install krb5-devel",
        "Arch:           pacman -S krb5",
        "Alpine:         apk add krb5-dev",
        "macOS:          brew install krb5",
        // The two other ways out.
        "GSSAPI_SYS_LIB_DIR=/path/to/lib",
        "the `dlopen` feature",
    ] {
        assert!(
            stderr.contains(needle),
            "{needle:?} missing from:\n{stderr}"
        );
    }
    // One message, not one per attempt.
    assert_eq!(stderr.matches("could not find a GSSAPI library").count(), 1);

    // The way out the message names works in the same environment.
    let out = build(&dir, &["dlopen"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
