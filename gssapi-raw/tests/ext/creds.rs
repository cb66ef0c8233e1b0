//! Credential extensions: stores, import/export, passwords, S4U, SPNEGO restrictions.

use crate::{
    BOB, BOB_PASSWORD, PLAIN_SERVICE, S4U_SERVICE, TestResult, bob_ccache, check, establish,
    expect_unavailable, fail, flags, heimdal, host, init_step, is_child, realm, realm_env,
    run_in_child, service, under_valgrind,
};
use gssapi_raw::ext::cred_store::{self, CredStore};
use gssapi_raw::ext::{cred_imp_exp, password, rfc4178, rfc5588, s4u};
use gssapi_raw::{
    Cred, CredUsage, ErrorKind, Flags, Krb5Error, Name, OidSet, Origin, RoutineError, SecContext,
    context, cred, ext, mech_type, name, name_type,
};

fn principal(p: &str) -> Name {
    name::import_name(p.as_bytes(), Some(&name_type::KERBEROS_PRINCIPAL)).unwrap()
}

/// Initiates to host@localhost with `creds` and accepts with the default keytab; returns the
/// initiator name the acceptor saw.
fn authenticate_with(creds: &Cred, target: &Name) -> Result<String, gssapi_raw::Error> {
    let mut c = SecContext::new();
    let first = init_step(
        Some(creds),
        &mut c,
        target,
        &mech_type::KERBEROS,
        Flags::MUTUAL,
        None,
    )?;
    let mut s = SecContext::new();
    let accepted = context::accept_sec_context(&mut s, None, &first.token, None)?;
    let who = accepted
        .initiator_name
        .expect("an accepted context names its initiator");
    Ok(String::from_utf8_lossy(&name::display_name(&who)?.name).into_owned())
}

pub(crate) fn cred_store_two_users_in_two_threads() -> TestResult {
    if !ext::is_supported("cred_store") {
        return expect_unavailable(cred_store::acquire_cred_from(
            Some(&CredStore::new().ccache(&bob_ccache())),
            None,
            None,
            None,
            CredUsage::Initiate,
        ));
    }
    let users = [
        (realm().user_ccache(), realm().user_principal()),
        (bob_ccache(), format!("{BOB}@{}", realm().realm_name())),
    ];
    let work = |ccache: &String, expected: &String| -> Result<(), String> {
        for _ in 0..20 {
            let store = CredStore::new().ccache(ccache);
            let got =
                cred_store::acquire_cred_from(Some(&store), None, None, None, CredUsage::Initiate)
                    .map_err(|e| e.to_string())?;
            let who = authenticate_with(&got.creds, &host()).map_err(|e| e.to_string())?;
            if &who != expected {
                return Err(format!("expected {expected}, authenticated as {who}"));
            }
        }
        Ok(())
    };
    let results: Vec<Result<(), String>> = if under_valgrind() {
        users.iter().map(|(c, e)| work(c, e)).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = users
                .iter()
                .map(|(c, e)| scope.spawn(move || work(c, e)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    };
    for r in results {
        r.map_err(fail)?;
    }
    // The acceptor side through a store too.
    let keytab_store = CredStore::new()
        .keytab(&realm().keytab())
        .rcache(&format!("file2:{}/store-rcache", realm().dir().display()));
    let acceptor =
        cred_store::acquire_cred_from(Some(&keytab_store), None, None, None, CredUsage::Accept)
            .map_err(fail)?;
    check!(acceptor.mechs.contains(&mech_type::KERBEROS));
    let bob = cred_store::acquire_cred_from(
        Some(&CredStore::new().ccache(&bob_ccache())),
        None,
        None,
        None,
        CredUsage::Initiate,
    )
    .map_err(fail)?;
    let added = cred_store::add_cred_from(
        Some(&keytab_store),
        Some(&bob.creds),
        Some(&service("host@localhost")),
        &mech_type::KERBEROS,
        CredUsage::Accept,
        None,
        None,
    );
    // Bob's set already has a krb5 element: MIT allows one per mechanism.
    let e = added
        .err()
        .ok_or("a second krb5 element joined bob's set")?;
    check!(e.is(ErrorKind::DuplicateCredentialsElement), "{e:?}");
    Ok(())
}

pub(crate) fn cred_store_bad_inputs() -> TestResult {
    let nul = CredStore::new().ccache("FILE:/tmp/a\0b");
    let err = cred_store::acquire_cred_from(Some(&nul), None, None, None, CredUsage::Initiate)
        .unwrap_err();
    if !ext::is_supported("cred_store") {
        check!(err.is_unavailable_in_library());
        return Ok(());
    }
    check!(err.origin() == Origin::Input, "{err:?}");
    check!(format!("{:?}", CredStore::new().ccache("FILE:/x")).contains("FILE:/x"));
    // MIT ignores keys it does not know; the store refuses them before the call.
    let unknown = CredStore::new().insert("cache", "FILE:/tmp/typo");
    let err = cred_store::acquire_cred_from(Some(&unknown), None, None, None, CredUsage::Initiate)
        .unwrap_err();
    check!(err.origin() == Origin::Input, "{err:?}");
    check!(
        err.to_string().contains("unknown credential store key"),
        "{err}"
    );
    // insert_any passes another mechanism's key through; MIT's krb5 ignores it.
    let other = CredStore::new().insert_any("ntlm_user_file", "/nonexistent");
    cred_store::acquire_cred_from(Some(&other), None, None, None, CredUsage::Initiate)
        .map_err(fail)?;
    // A password in a store is not shown by Debug.
    let secret = CredStore::new().password("hunter2");
    check!(!format!("{secret:?}").contains("hunter2"));
    // Storing into a path that cannot be written.
    let dir = realm().dir().join("readonly");
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let mine = cred::acquire_cred(None, None, None, CredUsage::Initiate).map_err(fail)?;
    let target = CredStore::new().ccache(&format!("FILE:{}/sub/none/cc", dir.display()));
    let err = cred_store::store_cred_into(
        Some(&target),
        &mine.creds,
        CredUsage::Initiate,
        Some(&mech_type::KERBEROS),
        true,
        false,
    )
    .unwrap_err();
    // MIT: GSS_S_FAILURE, the directory of the FILE: ccache does not exist.
    check!(
        err.routine() == Some(RoutineError::Failure)
            && err.krb5_error() == Some(Krb5Error::CcacheFileMissing),
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn store_delegated_creds_into_memory_ccache() -> TestResult {
    let e = establish(
        &host(),
        Some(&mech_type::KERBEROS),
        flags() | Flags::DELEGATE,
        None,
        None,
    )
    .map_err(fail)?;
    let delegated = e.accept.delegated_creds.ok_or("no delegated credentials")?;
    if !ext::is_supported("cred_store") {
        return expect_unavailable(cred_store::store_cred_into(
            None,
            &delegated,
            CredUsage::Initiate,
            None,
            true,
            false,
        ));
    }
    let store = CredStore::new().ccache("MEMORY:delegated-test");
    let stored = cred_store::store_cred_into(
        Some(&store),
        &delegated,
        CredUsage::Initiate,
        Some(&mech_type::KERBEROS),
        true,
        false,
    )
    .map_err(fail)?;
    check!(stored.mechs.contains(&mech_type::KERBEROS));
    let again = cred_store::acquire_cred_from(Some(&store), None, None, None, CredUsage::Initiate)
        .map_err(fail)?;
    let who = authenticate_with(&again.creds, &service("HTTP@localhost")).map_err(fail)?;
    check!(who == realm().user_principal(), "{who}");
    Ok(())
}

pub(crate) fn store_cred_default_store() -> TestResult {
    let cc = format!("FILE:{}/stored-default.ccache", realm().dir().display());
    run_in_child(
        "creds::store_cred_default_store_child",
        &[
            ("KRB5CCNAME", &cc),
            ("KRB5_CLIENT_KTNAME", "FILE:/nonexistent"),
        ],
    )
}

/// In a child whose default ccache is empty: get credentials with a password, store them into
/// the default store, then use the default credentials.
pub(crate) fn store_cred_default_store_child() -> TestResult {
    check!(is_child());
    check!(cred::acquire_cred(None, None, None, CredUsage::Initiate).is_err());
    let user = principal(&format!("{BOB}@KRBTEST.COM"));
    let got = password::acquire_cred_with_password(
        &user,
        BOB_PASSWORD.as_bytes(),
        None,
        None,
        CredUsage::Initiate,
    )
    .map_err(fail)?;
    let stored = rfc5588::store_cred(
        &got.creds,
        CredUsage::Initiate,
        Some(&mech_type::KERBEROS),
        true,
        true,
    )
    .map_err(fail)?;
    check!(stored.mechs.contains(&mech_type::KERBEROS));
    let default = cred::acquire_cred(None, None, None, CredUsage::Initiate);
    if heimdal() {
        // Heimdal 7.8's gss_store_cred puts the credentials into a new unique ccache
        // (krb5_cc_new_unique, then krb5_cc_switch, which does nothing for FILE:), not into the
        // KRB5CCNAME it was started with: that file is never written, and the default
        // credentials are still missing.
        let e = default.unwrap_err();
        check!(
            e.is(ErrorKind::MissingCredentials) && e.minor() == 0,
            "{e:?}"
        );
        let cc = std::env::var("KRB5CCNAME").map_err(fail)?;
        let path = cc
            .strip_prefix("FILE:")
            .ok_or("KRB5CCNAME is a FILE: ccache")?;
        check!(!std::path::Path::new(path).exists(), "{path} was written");
        return Ok(());
    }
    let default = default.map_err(fail)?;
    let who = authenticate_with(&default.creds, &host()).map_err(fail)?;
    check!(who.starts_with("bob@"), "{who}");
    check!(realm_env().contains_key("KRB5CCNAME"));
    Ok(())
}

pub(crate) fn export_import_cred() -> TestResult {
    let mine = cred::acquire_cred(None, None, None, CredUsage::Initiate).map_err(fail)?;
    let token = cred_imp_exp::export_cred(&mine.creds).map_err(fail)?;
    check!(!token.is_empty());
    let imported = cred_imp_exp::import_cred(&token).map_err(fail)?;
    let mut token = token;
    token.wipe();
    check!(token.iter().all(|b| *b == 0) && !token.is_empty());
    let who = authenticate_with(&imported, &host()).map_err(fail)?;
    check!(who == realm().user_principal());
    for garbage in [&b""[..], b"garbage", &[0xff; 100]] {
        let err = cred_imp_exp::import_cred(garbage).unwrap_err();
        // MIT: DEFECTIVE_TOKEN; Heimdal: GSS_S_FAILURE with a krb5 or errno minor status
        // (its import reads the token as a krb5 storage and fails inside it).
        let expected = if heimdal() {
            RoutineError::Failure
        } else {
            RoutineError::DefectiveToken
        };
        check!(
            err.routine() == Some(expected) && err.calling().is_none(),
            "{garbage:02x?}: {err:?}"
        );
    }
    Ok(())
}

pub(crate) fn password_acquisition() -> TestResult {
    let bob = principal(&format!("{BOB}@{}", realm().realm_name()));
    let krb5: OidSet = [&mech_type::KERBEROS].into_iter().collect();
    let got = password::acquire_cred_with_password(
        &bob,
        BOB_PASSWORD.as_bytes(),
        Some(3600),
        Some(&krb5),
        CredUsage::Initiate,
    )
    .map_err(fail)?;
    check!(got.lifetime.is_some_and(|l| l > 0), "{:?}", got.lifetime);
    check!(
        authenticate_with(&got.creds, &host())
            .map_err(fail)?
            .starts_with("bob@")
    );
    let err = password::acquire_cred_with_password(
        &bob,
        b"wrong password",
        None,
        None,
        CredUsage::Initiate,
    )
    .unwrap_err();
    check!(err.is(ErrorKind::MissingCredentials), "{err:?}");
    if heimdal() {
        // Heimdal 7.8 returns NO_CRED with minor status 0: the reason is lost in the library.
        check!(err.minor() == 0, "{err:?}");
    } else {
        // Without required pre-authentication MIT learns of a wrong password when the reply
        // does not decrypt.
        check!(err.krb5_error() == Some(Krb5Error::BadIntegrity), "{err:?}");
    }
    let added = password::add_cred_with_password(
        None,
        &bob,
        &mech_type::KERBEROS,
        BOB_PASSWORD.as_bytes(),
        CredUsage::Initiate,
        None,
        None,
    );
    // Both libraries add it.
    let a = added.map_err(fail)?;
    check!(a.mechs.contains(&mech_type::KERBEROS));
    Ok(())
}

fn service_creds(service_principal: &str) -> Result<Cred, gssapi_raw::Error> {
    let name = principal(&format!("{service_principal}@{}", realm().realm_name()));
    let store = CredStore::new()
        .client_keytab(&realm().keytab())
        .ccache(&format!(
            "FILE:{}/{}.ccache",
            realm().dir().display(),
            service_principal.replace('/', "_")
        ));
    Ok(
        cred_store::acquire_cred_from(Some(&store), Some(&name), None, None, CredUsage::Both)?
            .creds,
    )
}

pub(crate) fn s4u2self() -> TestResult {
    let user = principal(&realm().user_principal());
    if !ext::is_supported("s4u") {
        let mine = cred::acquire_cred(None, None, None, CredUsage::Initiate).map_err(fail)?;
        return expect_unavailable(s4u::acquire_cred_impersonate_name(
            &mine.creds,
            &user,
            None,
            None,
            CredUsage::Initiate,
        ));
    }
    // The service gets a ticket to itself as the user, and authenticates to itself with it.
    let svc = service_creds(S4U_SERVICE).map_err(fail)?;
    let as_user = s4u::acquire_cred_impersonate_name(&svc, &user, None, None, CredUsage::Initiate)
        .map_err(fail)?;
    let info = cred::inquire_cred(Some(&as_user.creds)).map_err(fail)?;
    let shown = name::display_name(info.name.as_ref().ok_or("no name")?).map_err(fail)?;
    check!(&*shown.name == realm().user_principal().as_bytes());
    let who = authenticate_with(&as_user.creds, &service(&S4U_SERVICE.replace('/', "@")))
        .map_err(fail)?;
    check!(who == realm().user_principal(), "{who}");
    // To another service that is S4U2Proxy, which this KDC (no constrained delegation rules)
    // refuses: a typed error, whether or not the service may do S4U2Self.
    for svc_name in [S4U_SERVICE, PLAIN_SERVICE] {
        let svc = service_creds(svc_name).map_err(fail)?;
        let as_user =
            s4u::acquire_cred_impersonate_name(&svc, &user, None, None, CredUsage::Initiate)
                .map_err(fail)?;
        let err = authenticate_with(&as_user.creds, &host()).unwrap_err();
        // The KDC refuses the S4U2Proxy TGS-REQ: the DB2 KDB has no delegation rules
        // (docs/credentials.md).
        check!(
            err.function() == "gss_init_sec_context"
                && err.routine() == Some(RoutineError::Failure)
                && err.krb5_error() == Some(Krb5Error::KdcBadOption),
            "{svc_name}: {err:?}"
        );
    }
    let added = s4u::add_cred_impersonate_name(
        None,
        &svc,
        &user,
        &mech_type::KERBEROS,
        CredUsage::Initiate,
        None,
        None,
    );
    let a = added.map_err(fail)?;
    check!(a.mechs.contains(&mech_type::KERBEROS));
    Ok(())
}

pub(crate) fn set_neg_mechs_restricts_spnego() -> TestResult {
    let mut mine = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    let only_krb5: OidSet = [&mech_type::KERBEROS].into_iter().collect();
    if !ext::is_supported("rfc4178") {
        return expect_unavailable(rfc4178::set_neg_mechs(&mut mine, &only_krb5));
    }
    rfc4178::set_neg_mechs(&mut mine, &only_krb5).map_err(fail)?;
    let mut c = SecContext::new();
    let first = init_step(
        Some(&mine),
        &mut c,
        &host(),
        &mech_type::SPNEGO,
        Flags::MUTUAL,
        None,
    )
    .map_err(fail)?;
    let mut s = SecContext::new();
    let accepted = context::accept_sec_context(&mut s, None, &first.token, None).map_err(fail)?;
    check!(
        accepted.mech.as_ref() == Some(&mech_type::KERBEROS),
        "{:?}",
        accepted.mech
    );
    // Only a mechanism nobody here has: SPNEGO has nothing to offer.
    let mut other = cred::acquire_cred(None, None, None, CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    let only_ntlm: OidSet = [&mech_type::NTLMSSP].into_iter().collect();
    let outcome = rfc4178::set_neg_mechs(&mut other, &only_ntlm).and_then(|()| {
        let mut c = SecContext::new();
        init_step(
            Some(&other),
            &mut c,
            &host(),
            &mech_type::SPNEGO,
            Flags::MUTUAL,
            None,
        )
    });
    let err = outcome
        .err()
        .ok_or("SPNEGO negotiated without any usable mechanism")?;
    // MIT's SPNEGO initiator: GSS_S_FAILURE (no mechanisms to offer).
    check!(
        err.function() == "gss_init_sec_context"
            && err.routine() == Some(RoutineError::Failure)
            && err.mech() == Some(&mech_type::SPNEGO),
        "{err:?}"
    );
    Ok(())
}

/// Regression (issue 7): every input that the libraries read as a C string is refused with a
/// typed error when it holds a NUL byte. MIT used to authenticate `"<password>\0junk"` as
/// `"<password>"`.
pub(crate) fn c_string_inputs_with_nul_are_refused() -> TestResult {
    let refused = |err: gssapi_raw::Error, what: &str| -> TestResult {
        check!(
            err.origin() == Origin::Input && err.to_string().contains("NUL"),
            "{what}: {err:?}"
        );
        Ok(())
    };
    let bob = principal(&format!("{BOB}@{}", realm().realm_name()));
    let mut padded = BOB_PASSWORD.as_bytes().to_vec();
    padded.extend_from_slice(b"\0junk");
    let err = password::acquire_cred_with_password(&bob, &padded, None, None, CredUsage::Initiate)
        .unwrap_err();
    refused(err, "acquire_cred_with_password")?;
    let err = password::add_cred_with_password(
        None,
        &bob,
        &mech_type::KERBEROS,
        &padded,
        CredUsage::Initiate,
        None,
        None,
    )
    .unwrap_err();
    refused(err, "add_cred_with_password")?;
    // RFC 6680 attribute names.
    let mut named = principal(&format!("{BOB}@{}", realm().realm_name()));
    let attr = b"urn:mspac:\0client-info";
    refused(
        gssapi_raw::ext::rfc6680::get_name_attribute(&named, attr).unwrap_err(),
        "get_name_attribute",
    )?;
    refused(
        gssapi_raw::ext::rfc6680::set_name_attribute(&mut named, attr, &[b"v"], true).unwrap_err(),
        "set_name_attribute",
    )?;
    refused(
        gssapi_raw::ext::rfc6680::delete_name_attribute(&mut named, attr).unwrap_err(),
        "delete_name_attribute",
    )?;
    // SASL names, local user names, ccache names.
    refused(
        gssapi_raw::ext::rfc5801::inquire_mech_for_saslname(b"GS2-KRB5\0junk").unwrap_err(),
        "inquire_mech_for_saslname",
    )?;
    refused(
        gssapi_raw::ext::localname::userok(&bob, "bob\0root").unwrap_err(),
        "userok",
    )?;
    refused(
        gssapi_raw::ext::krb5::krb5_ccache_name(Some("MEMORY:a\0b")).unwrap_err(),
        "krb5_ccache_name",
    )?;
    // Text name types and credential-store values (the checks of import_name and CredStore).
    refused(
        name::import_name(b"bob\0root", Some(&name_type::USER)).unwrap_err(),
        "import_name",
    )?;
    if ext::is_supported("cred_store") {
        let store = CredStore::new().ccache("MEMORY:a\0b");
        let err =
            cred_store::acquire_cred_from(Some(&store), None, None, None, CredUsage::Initiate)
                .unwrap_err();
        refused(err, "cred store")?;
    }
    Ok(())
}
