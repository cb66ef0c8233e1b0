//! The `dlopen` feature: which library is opened, what it is recognised as, and the errors when
//! none can be. Each case that needs another choice of library runs this binary again as a
//! child with `GSSAPI_SYS_LIBRARY` set (the choice is made once per process).
//!
//! Run for MIT (`GSSAPI_SYS_LIBRARY` unset: the default order) and for Heimdal
//! (`GSSAPI_SYS_LIBRARY=heimdal`) by ci/test.sh.

#![cfg(feature = "dlopen")]

use gssapi_sys::dlopen::{self, ENV_LIBRARY};
use gssapi_sys::*;
use std::process::Command;

/// The implementation the parent environment asks for.
fn expected() -> Implementation {
    match std::env::var(ENV_LIBRARY).as_deref() {
        Ok("heimdal") | Ok("libgssapi.so.3") => Implementation::Heimdal,
        _ => Implementation::Mit,
    }
}

/// Runs the test `name` of this binary in a child with `GSSAPI_SYS_LIBRARY=library` and
/// returns (success, stdout + stderr).
fn child(name: &str, library: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([name, "--exact", "--nocapture", "--include-ignored"])
        .env("DLOPEN_TEST_CHILD", "1");
    match library {
        Some(l) => cmd.env(ENV_LIBRARY, l),
        None => cmd.env_remove(ENV_LIBRARY),
    };
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn in_child() -> bool {
    std::env::var_os("DLOPEN_TEST_CHILD").is_some()
}

#[test]
fn the_library_in_use_is_recognised() {
    let lib = dlopen::library().expect("a GSSAPI library loads");
    assert_eq!(lib.implementation(), expected());
    assert_eq!(implementation(), Some(expected()));
    assert_eq!(is_heimdal(), expected() == Implementation::Heimdal);
    // Debian 12: MIT 1.20.1, Heimdal 7.8.0; read at run time (MIT's brand string, Heimdal's
    // heimdal_version).
    let version = library_version();
    let major = match expected() {
        Implementation::Mit => "1.",
        _ => "7.",
    };
    assert!(version.starts_with(major), "{version}");
    assert_eq!(lib.version(), version);
    assert_eq!(IMPLEMENTATION, "runtime");
    assert_eq!(FOUND_BY, "dlopen");
    assert!(AVAILABLE_EXTENSIONS.is_empty());
    // The name it was opened under is the first of the implementation's usual names.
    let names = match expected() {
        Implementation::Mit => dlopen::MIT_CANDIDATES,
        _ => dlopen::HEIMDAL_CANDIDATES,
    };
    assert_eq!(lib.path(), names[0]);
}

#[test]
fn extensions_follow_the_loaded_library() {
    let lib = dlopen::library().unwrap();
    for ext in EXTENSIONS {
        let all = ext.symbols.iter().all(|s| lib.has_symbol(s));
        assert_eq!(has_extension(ext.name), all, "{}", ext.name);
    }
    assert!(!has_extension("no-such-extension"));
    for always in ["rfc5588", "rfc6680", "dce", "krb5"] {
        assert!(has_extension(always), "{always}");
    }
    // MIT has the credential store, Heimdal 7.8 does not: the run-time answer differs.
    assert_eq!(has_extension("cred_store"), !is_heimdal());
    assert_eq!(
        dlopen::resolved::gss_acquire_cred_from(),
        !is_heimdal(),
        "the per-function check agrees"
    );
    assert!(dlopen::resolved::gss_wrap_iov());
    assert!(!lib.has_symbol("gss_no_such_function"));
}

#[test]
fn calls_reach_the_loaded_library() {
    let mut minor = 0;
    let mut mechs: gss_OID_set = std::ptr::null_mut();
    // SAFETY: valid out-pointers; the set is released below.
    let major = unsafe { gss_indicate_mechs(&mut minor, &mut mechs) };
    assert_eq!(major, GSS_S_COMPLETE);
    // SAFETY: a set from gss_indicate_mechs.
    let count = unsafe { (*mechs).count };
    assert!(count >= 2, "krb5 and SPNEGO at least: {count}");
    // SAFETY: released once.
    let major = unsafe { gss_release_oid_set(&mut minor, &mut mechs) };
    assert_eq!(major, GSS_S_COMPLETE);
    // A function that takes a `time_t` on both, wrapped by hand: with no context it fails
    // cleanly (GSS_S_NO_CONTEXT or a call error), without writing.
    let mut authtime: time_t = 0x5a5a;
    // SAFETY: valid pointers; a null context handle is a documented error case.
    let major = unsafe {
        gsskrb5_extract_authtime_from_sec_context(&mut minor, std::ptr::null_mut(), &mut authtime)
    };
    assert!(GSS_ERROR(major), "{major:#x}");
    assert_eq!(authtime, 0x5a5a);
}

#[test]
fn load_after_first_use_names_the_library_in_use() {
    let lib = dlopen::library().unwrap();
    // The same library again: fine.
    assert_eq!(dlopen::load(lib.path()).unwrap().path(), lib.path());
    // Another one: refused, saying which stays in use.
    let err = dlopen::load("/usr/lib/other/libgssapi.so").unwrap_err();
    let text = err.to_string();
    assert!(text.contains(lib.path()), "{text}");
    assert!(text.contains("stays in use"), "{text}");
}

/// Child: the library given by path cannot be opened.
#[test]
#[ignore = "run as a child by no_library_is_a_clear_error"]
fn child_without_a_library() {
    if !in_child() {
        return;
    }
    let err = dlopen::library().unwrap_err();
    let text = err.to_string();
    println!("LOAD ERROR: {text}");
    assert_eq!(err.tried.len(), 1);
    assert_eq!(implementation(), None);
    assert!(!is_heimdal());
    assert_eq!(library_version(), "unknown");
    assert!(!has_extension("krb5"));
    assert!(!dlopen::resolved::gss_wrap_iov());
    // Every call fails the same way, without touching the library.
    let mut minor = 0x77;
    let mut mechs: gss_OID_set = std::ptr::null_mut();
    // SAFETY: valid out-pointers.
    let major = unsafe { gss_indicate_mechs(&mut minor, &mut mechs) };
    assert_eq!(major, GSS_S_UNAVAILABLE);
    assert_eq!(minor, 0);
    assert!(mechs.is_null());
    let mut context: krb5_context = std::ptr::null_mut();
    // SAFETY: a valid out-pointer.
    assert_eq!(unsafe { krb5_init_context(&mut context) }, dlopen::ELIBACC);
    // SAFETY: nothing is called without a library, so the null name is never read.
    let ok = unsafe { gss_userok(std::ptr::null_mut(), c"root".as_ptr()) };
    assert_eq!(ok, 0);
}

#[test]
fn no_library_is_a_clear_error() {
    if in_child() {
        return;
    }
    let missing = "/nonexistent/libgssapi_krb5.so.2";
    let (ok, text) = child("child_without_a_library", Some(missing));
    assert!(ok, "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("LOAD ERROR: "))
        .unwrap_or_else(|| panic!("{text}"));
    for needle in [
        "no GSSAPI library could be loaded",
        "GSSAPI_SYS_LIBRARY=/nonexistent/libgssapi_krb5.so.2",
        missing,
        "No such file or directory",
        "Debian/Ubuntu: libgssapi-krb5-2",
        "Fedora/RHEL: krb5-libs",
        "macOS: brew install krb5",
        "set GSSAPI_SYS_LIBRARY",
    ] {
        assert!(line.contains(needle), "{needle:?} missing from {line}");
    }
}

/// Child: a shared library that is no GSSAPI library.
#[test]
#[ignore = "run as a child by a_library_that_is_not_gssapi_is_refused"]
fn child_not_gssapi() {
    if !in_child() {
        return;
    }
    let err = dlopen::library().unwrap_err();
    println!("LOAD ERROR: {err}");
}

#[test]
fn a_library_that_is_not_gssapi_is_refused() {
    if in_child() {
        return;
    }
    let (ok, text) = child("child_not_gssapi", Some("libc.so.6"));
    assert!(ok, "{text}");
    assert!(
        text.contains("libc.so.6: neither MIT krb5") && text.contains("nor Heimdal"),
        "{text}"
    );
}

/// Child: prints what `GSSAPI_SYS_LIBRARY` chose.
#[test]
#[ignore = "run as a child by the environment_variable_chooses"]
fn child_report() {
    if !in_child() {
        return;
    }
    let lib = dlopen::library().unwrap();
    println!(
        "LOADED: {} {} {}",
        lib.implementation(),
        lib.path(),
        lib.version()
    );
}

#[test]
fn the_environment_variable_chooses() {
    if in_child() {
        return;
    }
    for (value, implementation, path) in [
        ("mit", "mit", dlopen::MIT_CANDIDATES[0]),
        ("heimdal", "heimdal", dlopen::HEIMDAL_CANDIDATES[0]),
        ("libgssapi.so.3", "heimdal", "libgssapi.so.3"),
        ("libgssapi_krb5.so.2", "mit", "libgssapi_krb5.so.2"),
    ] {
        let (ok, text) = child("child_report", Some(value));
        assert!(ok, "{value}: {text}");
        assert!(
            text.contains(&format!("LOADED: {implementation} {path} ")),
            "{value}: {text}"
        );
    }
    // Unset: MIT first.
    let (ok, text) = child("child_report", None);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!("LOADED: mit {} ", dlopen::MIT_CANDIDATES[0])),
        "{text}"
    );
}
