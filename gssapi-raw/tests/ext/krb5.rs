//! Context-level extensions: GGF inquiries, lucid contexts, ticket details, enctypes, the
//! ccache name, the PRF.

use crate::{
    TestResult, check, establish, expect_unavailable, fail, flags, heimdal, host, init_step,
    is_child, realm, run_in_child,
};
use gssapi_raw::ext::krb5::{self as k5, LucidKeys};
use gssapi_raw::ext::{self, ggf, rfc4401};
use gssapi_raw::{CredUsage, Oid, RoutineError, SecContext, context, cred, mech_type};

pub(crate) fn session_key_and_ggf() -> TestResult {
    let mut e =
        establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    let ours = ggf::inquire_sec_context_by_oid(&e.initiator, &ggf::oids::INQ_SSPI_SESSION_KEY)
        .map_err(fail)?;
    let theirs = ggf::inquire_sec_context_by_oid(&e.acceptor, &ggf::oids::INQ_SSPI_SESSION_KEY)
        .map_err(fail)?;
    check!(
        !ours.is_empty() && ours.get(0) == theirs.get(0),
        "{ours:?} {theirs:?}"
    );
    check!(ours.get(0).is_some_and(|k| k.len() == 32 || k.len() == 16));
    // Keys can be wiped before the library frees them.
    let mut wiped = ours;
    wiped.wipe();
    check!(wiped.iter().all(|b| b.iter().all(|x| *x == 0)));
    let unknown: Oid = "1.2.3.4.5.6.7".parse().unwrap();
    let err = ggf::inquire_sec_context_by_oid(&e.initiator, &unknown).unwrap_err();
    // MIT's glue: UNAVAILABLE with EINVAL; Heimdal's krb5 mechanism: FAILURE, minor 0.
    if heimdal() {
        check!(
            err.routine() == Some(RoutineError::Failure) && err.minor() == 0,
            "{err:?}"
        );
    } else {
        // The minor code is EINVAL, but MIT's glue renumbers mechanism minor codes once a
        // loadable mechanism (gss-ntlmssp, /etc/gss/mech.d) is present: check its message.
        check!(
            err.routine() == Some(RoutineError::Unavailable)
                && err.minor() != 0
                && err.minor_messages().iter().any(|m| m == "Invalid argument"),
            "{err:?}"
        );
    }
    // The library would follow pointers in the value of most options: safe code may set only
    // the listed ones, and anything else is refused before the call (issue 7).
    let err = ggf::set_sec_context_option(&mut e.initiator, &unknown, b"x").unwrap_err();
    check!(err.origin() == gssapi_raw::Origin::Input, "{err:?}");
    // Heimdal's GSS_KRB5_COPY_CCACHE_X (1.2.752.43.13.1) reads its value as a krb5_ccache.
    let ccache_name_option: Oid = "1.2.752.43.13.1".parse().map_err(fail)?;
    let err = ggf::set_sec_context_option(&mut e.initiator, &ccache_name_option, &[0x41; 16])
        .unwrap_err();
    check!(err.origin() == gssapi_raw::Origin::Input, "{err:?}");
    let err = ggf::set_cred_option(
        &mut cred::acquire_cred(None, None, None, CredUsage::Initiate)
            .map_err(fail)?
            .creds,
        &ccache_name_option,
        &[0x41; 16],
    )
    .unwrap_err();
    check!(err.origin() == gssapi_raw::Origin::Input, "{err:?}");
    // The unchecked form reaches the library: an unknown OID is its error.
    // SAFETY: no mechanism handles this OID, so the value is never interpreted.
    let err = unsafe { ggf::set_sec_context_option_unchecked(&mut e.initiator, &unknown, b"x") }
        .unwrap_err();
    // MIT's glue: UNAVAILABLE (no mechanism takes it); Heimdal's krb5 mechanism: FAILURE. Both
    // with EINVAL (22) as the minor status.
    let expected = if heimdal() {
        RoutineError::Failure
    } else {
        RoutineError::Unavailable
    };
    // (MIT renumbers the minor code when a loadable mechanism is present: its message.)
    let einval = if heimdal() {
        err.minor() == 22
    } else {
        err.minor_messages().iter().any(|m| m == "Invalid argument")
    };
    check!(err.routine() == Some(expected) && einval, "{err:?}");
    let empty = SecContext::new();
    let err =
        ggf::inquire_sec_context_by_oid(&empty, &ggf::oids::INQ_SSPI_SESSION_KEY).unwrap_err();
    check!(err.is(gssapi_raw::ErrorKind::MissingContext), "{err:?}");
    let mut mine = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    // Not an impersonated credential: MIT answers with nothing; Heimdal does not know the
    // OID (GSS_S_FAILURE, minor 0).
    let impersonator = ggf::inquire_cred_by_oid(&mine, &ggf::oids::KRB5_GET_CRED_IMPERSONATOR);
    if heimdal() {
        let e = impersonator.unwrap_err();
        check!(
            e.routine() == Some(RoutineError::Failure) && e.minor() == 0,
            "{e:?}"
        );
    } else {
        let set = impersonator.map_err(fail)?;
        check!(set.is_empty(), "{set:?}");
    }
    if !ext::is_supported("set_cred_opt") {
        return expect_unavailable(ggf::set_cred_option(
            &mut mine,
            &ggf::oids::KRB5_CRED_NO_CI_FLAGS_X,
            b"",
        ));
    }
    // Both libraries take the option, and the credential still works.
    ggf::set_cred_option(&mut mine, &ggf::oids::KRB5_CRED_NO_CI_FLAGS_X, b"").map_err(fail)?;
    let mut c = SecContext::new();
    init_step(
        Some(&mine),
        &mut c,
        &host(),
        &mech_type::KERBEROS,
        flags(),
        None,
    )
    .map_err(fail)?;
    Ok(())
}

pub(crate) fn lucid_context() -> TestResult {
    let mut e =
        establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    let lucid = k5::krb5_export_lucid_sec_context(&mut e.initiator, 1).map_err(fail)?;
    check!(lucid.version == 1 && lucid.initiate);
    match &lucid.keys {
        LucidKeys::Cfx { ctx_key, .. } => {
            check!(!ctx_key.data.is_empty());
            check!(
                ctx_key.enctype == 18 || ctx_key.enctype == 17,
                "{}",
                ctx_key.enctype
            );
        }
        other => return Err(format!("an AES context exported as {other:?}").into()),
    }
    check!(lucid.endtime as u64 > now() - 60, "{}", lucid.endtime);
    // An unfinished context cannot be exported.
    let mut partial = SecContext::new();
    init_step(
        None,
        &mut partial,
        &host(),
        &mech_type::KERBEROS,
        flags(),
        None,
    )
    .map_err(fail)?;
    let err = k5::krb5_export_lucid_sec_context(&mut partial, 1).unwrap_err();
    check!(err.is(gssapi_raw::ErrorKind::MissingContext), "{err:?}");
    let err = k5::krb5_export_lucid_sec_context(&mut e.acceptor, 2).unwrap_err();
    check!(err.origin() == gssapi_raw::Origin::Input, "{err:?}");
    let mut empty = SecContext::new();
    let err = k5::krb5_export_lucid_sec_context(&mut empty, 1).unwrap_err();
    check!(err.is(gssapi_raw::ErrorKind::MissingContext), "{err:?}");
    Ok(())
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub(crate) fn ticket_details() -> TestResult {
    let e = establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    let flags = k5::krb5_get_tkt_flags(&e.acceptor).map_err(fail)?;
    check!(
        flags & k5::TKT_FLG_FORWARDABLE != 0,
        "ticket flags {flags:#x}"
    );
    let authtime = k5::krb5_extract_authtime_from_sec_context(&e.acceptor).map_err(fail)?;
    let now = i64::try_from(now()).map_err(fail)?;
    check!(
        authtime > now - 3600 && authtime <= now + 5,
        "authtime {authtime}"
    );
    // MIT 1.20's KDC adds a PAC (type 128) to tickets; MIT's acceptor keeps it to itself
    // (an error), Heimdal's returns it. A PAC starts with its buffer count, little-endian.
    let pac = k5::krb5_extract_authz_data_from_sec_context(&e.acceptor, 128);
    if heimdal() {
        let data = pac.map_err(fail)?;
        check!(data.len() >= 8 && data[0] > 0, "{} bytes", data.len());
    } else {
        let err = pac.unwrap_err();
        check!(
            err.routine() == Some(RoutineError::Failure) && err.minor() == 0,
            "{err:?}"
        );
    }
    // A type no ticket carries: GSS_S_FAILURE on both (Heimdal adds ENOENT).
    let err = k5::krb5_extract_authz_data_from_sec_context(&e.acceptor, 12345).unwrap_err();
    let minor = if heimdal() { 2 } else { 0 };
    check!(
        err.routine() == Some(RoutineError::Failure) && err.minor() == minor,
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn allowable_enctypes() -> TestResult {
    let mut mine = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    // 17: aes128-cts-hmac-sha1-96.
    k5::krb5_set_allowable_enctypes(&mut mine, &[17]).map_err(fail)?;
    let mut c = SecContext::new();
    let first = init_step(
        Some(&mine),
        &mut c,
        &host(),
        &mech_type::KERBEROS,
        flags(),
        None,
    )
    .map_err(fail)?;
    let mut s = SecContext::new();
    let reply = context::accept_sec_context(&mut s, None, &first.token, None).map_err(fail)?;
    init_step(
        Some(&mine),
        &mut c,
        &host(),
        &mech_type::KERBEROS,
        flags(),
        Some(&reply.token),
    )
    .map_err(fail)?;
    let lucid = k5::krb5_export_lucid_sec_context(&mut c, 1).map_err(fail)?;
    if let LucidKeys::Cfx {
        ctx_key,
        acceptor_subkey,
    } = &lucid.keys
    {
        let used = acceptor_subkey.as_ref().unwrap_or(ctx_key);
        check!(used.enctype == 17, "enctype {}", used.enctype);
    }
    // Only an enctype the realm does not have: initiation fails, typed.
    let mut only_des = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    let outcome = k5::krb5_set_allowable_enctypes(&mut only_des, &[3]).and_then(|()| {
        let mut c = SecContext::new();
        init_step(
            Some(&only_des),
            &mut c,
            &host(),
            &mech_type::KERBEROS,
            flags(),
            None,
        )
    });
    if heimdal() {
        // Heimdal applies the restriction to new tickets only; the cached AES ticket for
        // host/localhost still works.
        outcome.map_err(fail)?;
    } else {
        // MIT refuses the list itself: GSS_S_FAILURE, KRB5_PROG_ETYPE_NOSUPP.
        let err = outcome
            .err()
            .ok_or("DES-only credentials initiated a context")?;
        check!(
            err.function() == "gss_krb5_set_allowable_enctypes"
                && err.routine() == Some(RoutineError::Failure)
                && err.krb5_error() == Some(gssapi_raw::Krb5Error::EnctypeNotSupported),
            "{err:?}"
        );
    }
    Ok(())
}

pub(crate) fn ccache_name() -> TestResult {
    let cc = format!("FILE:{}/named.ccache", realm().dir().display());
    realm()
        .kinit(&realm().user_principal(), realm().user_password(), &cc, &[])
        .map_err(fail)?;
    run_in_child(
        "krb5::ccache_name_child",
        &[
            ("GSSAPI_TEST_CCACHE", &cc),
            ("KRB5CCNAME", "FILE:/nonexistent/cc"),
        ],
    )
}

/// In a child whose KRB5CCNAME is useless: switch the process default with
/// gss_krb5_ccache_name, then acquire.
pub(crate) fn ccache_name_child() -> TestResult {
    check!(is_child());
    let cc = std::env::var("GSSAPI_TEST_CCACHE").map_err(fail)?;
    check!(cred::acquire_cred(None, None, None, CredUsage::Initiate).is_err());
    let previous = k5::krb5_ccache_name(Some(&cc)).map_err(fail)?;
    // Heimdal never reports the previous name (docs/implementation-differences.md).
    check!(previous.is_some() != heimdal(), "{previous:?}");
    let got = cred::acquire_cred(None, None, None, CredUsage::Initiate).map_err(fail)?;
    check!(got.lifetime.is_some_and(|l| l > 0));
    let err = k5::krb5_ccache_name(Some("FILE:a\0b")).unwrap_err();
    check!(err.origin() == gssapi_raw::Origin::Input);
    match k5::krb5_ccache_name(None) {
        Ok(_) => check!(!heimdal()),
        Err(e) => check!(
            heimdal() && e.origin() == gssapi_raw::Origin::Input,
            "{e:?}"
        ),
    }
    Ok(())
}

pub(crate) fn pseudo_random_function() -> TestResult {
    let mut e =
        establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    use rfc4401::PrfKey;
    for key in [PrfKey::Full, PrfKey::Partial] {
        let a = rfc4401::pseudo_random(&mut e.initiator, key, b"label", 64).map_err(fail)?;
        let b = rfc4401::pseudo_random(&mut e.acceptor, key, b"label", 64).map_err(fail)?;
        check!(a.len() == 64 && a == b, "{key:?}");
        let c = rfc4401::pseudo_random(&mut e.initiator, key, b"other label", 64).map_err(fail)?;
        check!(a != c);
    }
    let mut empty = SecContext::new();
    let err = rfc4401::pseudo_random(&mut empty, PrfKey::Full, b"x", 16).unwrap_err();
    check!(err.is(gssapi_raw::ErrorKind::MissingContext), "{err:?}");
    Ok(())
}

/// gss_krb5_import_cred with a krb5 ccache handle made through the library's own libkrb5
/// (gssapi-sys declares and links it: MIT's, or Heimdal's from its private directory).
pub(crate) fn import_krb5_ccache_handle() -> TestResult {
    use gssapi_raw::sys::{
        krb5_cc_close, krb5_cc_resolve, krb5_ccache, krb5_context, krb5_free_context,
        krb5_init_context,
    };
    use std::ffi::CString;
    let name = CString::new(realm().user_ccache()).map_err(fail)?;
    let mut kctx: krb5_context = std::ptr::null_mut();
    let mut cc: krb5_ccache = std::ptr::null_mut();
    // SAFETY: out-pointers are valid; the context and ccache are closed below.
    let rc = unsafe { krb5_init_context(&mut kctx) };
    check!(rc == 0, "krb5_init_context {rc}");
    // SAFETY: a valid context and NUL-terminated name.
    let rc = unsafe { krb5_cc_resolve(kctx, name.as_ptr(), &mut cc) };
    check!(rc == 0, "krb5_cc_resolve {rc}");
    // SAFETY: `cc` is a valid ccache handle of the linked libkrb5, alive during the call.
    let imported = unsafe { k5::krb5_import_cred(cc, std::ptr::null_mut(), std::ptr::null_mut()) };
    // SAFETY: the handles came from libkrb5 above and are released once.
    unsafe {
        krb5_cc_close(kctx, cc);
        krb5_free_context(kctx);
    }
    let creds = imported.map_err(fail)?;
    let info = cred::inquire_cred(Some(&creds)).map_err(fail)?;
    let shown =
        gssapi_raw::name::display_name(info.name.as_ref().ok_or("no name")?).map_err(fail)?;
    check!(&*shown.name == realm().user_principal().as_bytes());
    Ok(())
}

pub(crate) fn import_krb5_cred_by_name() -> TestResult {
    // A keytab by name: acceptor credentials that accept a real handshake.
    let keytab = realm().keytab();
    let acceptor = k5::krb5_import_cred_by_name(None, Some(&keytab)).map_err(fail)?;
    let info = cred::inquire_cred(Some(&acceptor)).map_err(fail)?;
    check!(info.usage == CredUsage::Accept, "{:?}", info.usage);
    let (_, first) = crate::first_step(&host(), &mech_type::KERBEROS, flags()).map_err(fail)?;
    let mut server = SecContext::new();
    let accepted = context::accept_sec_context(&mut server, Some(&acceptor), &first.token, None)
        .map_err(fail)?;
    check!(accepted.complete);
    // A ccache by name: initiator credentials for the user.
    let initiator =
        k5::krb5_import_cred_by_name(Some(&realm().user_ccache()), None).map_err(fail)?;
    let info = cred::inquire_cred(Some(&initiator)).map_err(fail)?;
    let shown =
        gssapi_raw::name::display_name(info.name.as_ref().ok_or("no name")?).map_err(fail)?;
    check!(&*shown.name == realm().user_principal().as_bytes());
    // Bad inputs: typed errors, no library call for the first two.
    let none = k5::krb5_import_cred_by_name(None, None).unwrap_err();
    check!(none.origin() == gssapi_raw::Origin::Input, "{none}");
    let nul = k5::krb5_import_cred_by_name(None, Some("FILE:/tmp/a\0b")).unwrap_err();
    check!(nul.origin() == gssapi_raw::Origin::Input, "{nul}");
    let bad_type = k5::krb5_import_cred_by_name(None, Some("NOSUCHTYPE:/x")).unwrap_err();
    check!(bad_type.function() == "krb5_kt_resolve", "{bad_type}");
    check!(bad_type.minor() != 0, "{bad_type}");
    Ok(())
}

pub(crate) fn register_acceptor_identity() -> TestResult {
    // The realm's own keytab (the default one already), so other tests see no change.
    k5::krb5_register_acceptor_identity(&realm().keytab()).map_err(fail)?;
    // SPNEGO, with default acceptor credentials: the registered keytab serves it.
    let (_, first) = crate::first_step(&host(), &mech_type::SPNEGO, flags()).map_err(fail)?;
    let mut server = SecContext::new();
    let accepted =
        context::accept_sec_context(&mut server, None, &first.token, None).map_err(fail)?;
    check!(!accepted.token.is_empty());
    let nul = k5::krb5_register_acceptor_identity("FILE:/a\0b").unwrap_err();
    check!(nul.origin() == gssapi_raw::Origin::Input, "{nul}");
    Ok(())
}

pub(crate) fn copy_ccache_by_name() -> TestResult {
    let user = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    let target = "MEMORY:gssapi-raw-copy-ccache-test";
    // Both libraries initialize the ccache for the principal, then copy the tickets.
    k5::krb5_copy_ccache(&user, target).map_err(fail)?;
    let back = k5::krb5_import_cred_by_name(Some(target), None).map_err(fail)?;
    let info = cred::inquire_cred(Some(&back)).map_err(fail)?;
    let shown =
        gssapi_raw::name::display_name(info.name.as_ref().ok_or("no name")?).map_err(fail)?;
    check!(&*shown.name == realm().user_principal().as_bytes());
    k5::krb5_destroy_ccache(target).map_err(fail)?;
    let nul = k5::krb5_copy_ccache(&user, "MEMORY:a\0b").unwrap_err();
    check!(nul.origin() == gssapi_raw::Origin::Input, "{nul}");
    Ok(())
}

/// Accepts this many contexts in `keep_config_child`.
const KEEP_CONFIG_ACCEPTS: usize = 10;

/// With a libkrb5 context kept, MIT reads `krb5.conf` once for many accepts instead of once
/// or more per accept: the child's file opens, counted by strace. (Heimdal: the calls work
/// with the context kept; its configuration caching is its own.)
pub(crate) fn keep_config() -> TestResult {
    if heimdal() {
        let kept = k5::krb5_keep_config().map_err(fail)?;
        establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
        // Dropped on another thread than the one that made it.
        std::thread::spawn(move || drop(kept))
            .join()
            .map_err(|_| "the drop panicked")?;
        return Ok(());
    }
    let conf = realm().krb5_conf().display().to_string();
    let opens = |hold: &str| -> Result<usize, libtest_mimic::Failed> {
        let trace = realm().dir().join(format!("keep-config-{hold}.strace"));
        let exe = std::env::current_exe().map_err(fail)?;
        let out = std::process::Command::new("strace")
            .args(["-f", "-e", "trace=openat", "-o"])
            .arg(&trace)
            .arg(exe)
            .args(["--exact", "krb5::keep_config_child", "--test-threads=1"])
            .env("GSSAPI_TEST_CHILD", "1")
            .env("KEEP_CONFIG", hold)
            // LeakSanitizer cannot run under ptrace (ci/asan.sh): no leak check in the child.
            .env(
                "ASAN_OPTIONS",
                format!(
                    "{}:detect_leaks=0",
                    std::env::var("ASAN_OPTIONS").unwrap_or_default()
                ),
            )
            .output()
            .map_err(|e| format!("run strace (ci/install-deps.sh installs it): {e}"))?;
        check!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
            "child: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&trace).map_err(fail)?;
        Ok(text.lines().filter(|l| l.contains(&conf)).count())
    };
    let without = opens("0")?;
    let with = opens("1")?;
    check!(
        without >= KEEP_CONFIG_ACCEPTS && with < KEEP_CONFIG_ACCEPTS / 2,
        "krb5.conf opened {without} times without a kept context, {with} with one"
    );
    Ok(())
}

/// The child of [`keep_config`]: several handshakes, with a context kept if asked.
pub(crate) fn keep_config_child() -> TestResult {
    let kept = match std::env::var("KEEP_CONFIG").as_deref() {
        Ok("1") => Some(k5::krb5_keep_config().map_err(fail)?),
        _ => None,
    };
    for _ in 0..KEEP_CONFIG_ACCEPTS {
        establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    }
    drop(kept);
    Ok(())
}
