//! Context-level extensions: GGF inquiries, lucid contexts, ticket details, enctypes, the
//! ccache name, the PRF.

use crate::{
    TestResult, check, establish, expect_unavailable, fail, flags, heimdal, host, init_step,
    is_child, realm, run_in_child,
};
use gssapi_raw::ext::krb5::{self as k5, LucidKeys};
use gssapi_raw::ext::{self, ggf, rfc4401};
use gssapi_raw::{CredUsage, Oid, SecContext, context, cred, mech_type, sys};

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
    check!(ggf::inquire_sec_context_by_oid(&e.initiator, &unknown).is_err());
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
    check!(err.routine().is_some(), "{err:?}");
    let empty = SecContext::new();
    let err =
        ggf::inquire_sec_context_by_oid(&empty, &ggf::oids::INQ_SSPI_SESSION_KEY).unwrap_err();
    check!(err.is(gssapi_raw::ErrorKind::MissingContext), "{err:?}");
    let mut mine = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    match ggf::inquire_cred_by_oid(&mine, &ggf::oids::KRB5_GET_CRED_IMPERSONATOR) {
        // Not an impersonated credential: nothing, or an error.
        Ok(set) => check!(set.is_empty(), "{set:?}"),
        Err(e) => check!(e.routine().is_some(), "{e:?}"),
    }
    if !ext::is_supported("set_cred_opt") {
        return expect_unavailable(ggf::set_cred_option(
            &mut mine,
            &ggf::oids::KRB5_CRED_NO_CI_FLAGS_X,
            b"",
        ));
    }
    match ggf::set_cred_option(&mut mine, &ggf::oids::KRB5_CRED_NO_CI_FLAGS_X, b"") {
        Ok(()) => {
            // The credential still works.
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
        }
        Err(e) => check!(heimdal() && e.routine().is_some(), "{e:?}"),
    }
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
    check!(k5::krb5_export_lucid_sec_context(&mut empty, 1).is_err());
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
    match k5::krb5_extract_authz_data_from_sec_context(&e.acceptor, 128) {
        Ok(data) => check!(data.len() >= 8 && data[0] > 0, "{} bytes", data.len()),
        Err(err) => check!(err.routine().is_some(), "{err:?}"),
    }
    // A type no ticket carries.
    match k5::krb5_extract_authz_data_from_sec_context(&e.acceptor, 12345) {
        Ok(data) => check!(data.is_empty(), "{} bytes", data.len()),
        Err(err) => check!(err.routine().is_some(), "{err:?}"),
    }
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
    // Heimdal applies the restriction to new tickets only; the cached AES ticket still works.
    check!(
        outcome.is_err() || heimdal(),
        "DES-only credentials initiated a context"
    );
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
    check!(heimdal() || previous.is_some());
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
    check!(rfc4401::pseudo_random(&mut empty, PrfKey::Full, b"x", 16).is_err());
    let _ = sys::IMPLEMENTATION;
    Ok(())
}

/// gss_krb5_import_cred with a krb5 ccache handle made through libkrb5 directly (MIT).
#[cfg(gss_impl = "mit")]
pub(crate) fn import_krb5_ccache_handle() -> TestResult {
    use gssapi_raw::sys::{krb5_ccache, krb5_context};
    use std::ffi::CString;
    #[link(name = "krb5")]
    unsafe extern "C" {
        fn krb5_init_context(ctx: *mut krb5_context) -> i32;
        fn krb5_free_context(ctx: krb5_context);
        fn krb5_cc_resolve(
            ctx: krb5_context,
            name: *const std::ffi::c_char,
            cc: *mut krb5_ccache,
        ) -> i32;
        fn krb5_cc_close(ctx: krb5_context, cc: krb5_ccache) -> i32;
    }
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

/// Heimdal's libkrb5 is not linked by this test binary; the function's Heimdal path is the
/// same call (see the MIT test).
#[cfg(not(gss_impl = "mit"))]
pub(crate) fn import_krb5_ccache_handle() -> TestResult {
    Ok(())
}
