//! Bad input, each a typed error: no panic, no leak (the valgrind run checks the leaks).

use crate::{
    KEYLESS_SERVICE, ROTATED_SERVICE, TestResult, check, establish, fail, first_step, flags,
    heimdal, host, init_step, is_child, realm, realm_env, run_in_child, service,
};
use gssapi_raw::{
    CallingError, CredUsage, ErrorKind, Flags, Krb5Error, Origin, RoutineError, SecContext,
    context, cred, mech_type, name, name_type,
};

pub(crate) fn truncated_tokens() -> TestResult {
    for token in [
        &[0x60][..],
        &[0x60, 0x84],
        &[0x60, 0x40, 0x06],
        &[0x60, 0x40, 0x06, 0x09],
    ] {
        let mut acceptor = SecContext::new();
        let err = context::accept_sec_context(&mut acceptor, None, token, None).unwrap_err();
        check!(err.origin() == Origin::Library);
        // Both libraries: DEFECTIVE_TOKEN, no calling error.
        check!(
            err.routine() == Some(RoutineError::DefectiveToken) && err.calling().is_none(),
            "{token:02x?}: {err:?}"
        );
        check!(err.function() == "gss_accept_sec_context");
    }
    // An empty first token is not an error for either library: SPNEGO answers with its
    // mechanism list (RFC 4178 4.2.1). No context may come out complete.
    let mut acceptor = SecContext::new();
    let r = context::accept_sec_context(&mut acceptor, None, &[], None).map_err(fail)?;
    check!(!r.complete && r.initiator_name.is_none());
    Ok(())
}

/// A small deterministic generator, so a failure can be reproduced.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

pub(crate) fn random_tokens_to_accept() -> TestResult {
    let mut rng = XorShift(0x5eed_1234_abcd_0042);
    let mut kinds = std::collections::BTreeMap::new();
    for i in 0..1000 {
        let len = (rng.next() % 300) as usize;
        let mut token: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Half of them look like a GSS token at the start, to get past the first check.
        if i % 2 == 0 && len > 4 {
            token[0] = 0x60;
            token[1] = (len - 2).min(0x7f) as u8;
            token[2] = 0x06;
        }
        let mut acceptor = SecContext::new();
        match context::accept_sec_context(&mut acceptor, None, &token, None) {
            Ok(r) => check!(!r.complete, "random token {i} completed a context"),
            Err(e) => *kinds.entry(format!("{:?}", e.kind())).or_insert(0) += 1,
        }
    }
    check!(kinds.values().sum::<i32>() >= 990, "{kinds:?}");
    eprintln!("random tokens: {kinds:?}");
    Ok(())
}

pub(crate) fn empty_second_spnego_token() -> TestResult {
    let target = host();
    let (mut initiator, first) = first_step(&target, &mech_type::SPNEGO, flags()).map_err(fail)?;
    check!(!first.complete);
    let err = init_step(
        None,
        &mut initiator,
        &target,
        &mech_type::SPNEGO,
        flags(),
        Some(&[]),
    )
    .unwrap_err();
    // Both libraries: DEFECTIVE_TOKEN.
    check!(err.is(ErrorKind::InvalidToken), "{err:?}");
    Ok(())
}

pub(crate) fn replayed_ap_req_to_second_acceptor() -> TestResult {
    let target = host();
    let (_initiator, first) =
        first_step(&target, &mech_type::KERBEROS, Flags::MUTUAL).map_err(fail)?;
    let mut one = SecContext::new();
    context::accept_sec_context(&mut one, None, &first.token, None).map_err(fail)?;
    let mut two = SecContext::new();
    let second = context::accept_sec_context(&mut two, None, &first.token, None);
    if heimdal() {
        // Heimdal's acceptor keeps no replay cache unless configured with one (see
        // docs/implementation-differences.md): the replay is accepted.
        let r = second.map_err(fail)?;
        check!(r.complete);
        return Ok(());
    }
    let err = second.err().ok_or("a replayed AP-REQ was accepted")?;
    // MIT: GSS_S_FAILURE with KRB5KRB_AP_ERR_REPEAT in the minor status.
    check!(
        err.routine() == Some(RoutineError::Failure) && err.krb5_error() == Some(Krb5Error::Replay),
        "{err:?}"
    );
    let text = err.to_string().to_lowercase();
    check!(
        text.contains("replay") || text.contains("duplicate"),
        "{text}"
    );
    Ok(())
}

pub(crate) fn import_name_bad_inputs() -> TestResult {
    // An empty Kerberos principal.
    let err = name::import_name(b"", Some(&name_type::KERBEROS_PRINCIPAL)).unwrap_err();
    check!(err.is(ErrorKind::BadName), "empty: {err:?}");
    // An interior NUL: the bytes are passed with their length; the library refuses them.
    for nt in [
        &name_type::KERBEROS_PRINCIPAL,
        &name_type::HOSTBASED_SERVICE,
        &name_type::USER,
    ] {
        let err = name::import_name(b"user\0@KRBTEST.COM", Some(nt)).unwrap_err();
        check!(err.is(ErrorKind::BadName), "nul: {err:?}");
        check!(err.origin() == Origin::Input, "nul: {err:?}");
    }
    // A 1 MB name.
    let big = vec![b'a'; 1 << 20];
    // Both libraries hold it, and display the same bytes back (with the realm added).
    let n = name::import_name(&big, Some(&name_type::KERBEROS_PRINCIPAL)).map_err(fail)?;
    check!(name::display_name(&n).map_err(fail)?.name.starts_with(&big));
    // A name type no mechanism knows.
    // MIT's mechanism glue defers the check to the first mechanism that must parse the name.
    let bogus: gssapi_raw::Oid = "1.2.3.4.5.6".parse().unwrap();
    let err = match name::import_name(b"user", Some(&bogus)) {
        Ok(n) => name::canonicalize_name(&n, &mech_type::KERBEROS).unwrap_err(),
        Err(e) => e,
    };
    if heimdal() {
        // Heimdal refuses it at import, with NAME_NOT_MN.
        check!(
            err.function() == "gss_import_name" && err.is(ErrorKind::MechanismNameRequired),
            "name type: {err:?}"
        );
    } else {
        check!(
            err.function() == "gss_canonicalize_name" && err.is(ErrorKind::BadNameType),
            "name type: {err:?}"
        );
    }
    // An exported-name token that is not one: refused by the RFC 2743 check before the call.
    let err = name::import_name(b"\x04\x01\x00", Some(&name_type::EXPORT)).unwrap_err();
    check!(
        err.is(ErrorKind::BadName) && err.origin() == Origin::Input,
        "export token: {err:?}"
    );
    Ok(())
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Regression (issue 7): exported names are checked against RFC 2743 section 3.2 before the
/// library parses them. MIT 1.20 aborted the process (an assertion in krb5_gss_import_name)
/// on a Kerberos export token with one trailing byte.
pub(crate) fn exported_names_are_checked_exactly() -> TestResult {
    let bad_input = |token: &[u8], what: &str| -> TestResult {
        let err = name::import_name(token, Some(&name_type::EXPORT)).unwrap_err();
        check!(
            err.is(ErrorKind::BadName) && err.origin() == Origin::Input,
            "{what}: {err:?}"
        );
        Ok(())
    };
    bad_input(
        &unhex("0401000b06092a864886f7120102020000000061"),
        "MIT's assertion",
    )?;
    let mn = name::canonicalize_name(&crate::host(), &mech_type::KERBEROS).map_err(fail)?;
    let good = name::export_name(&mn).map_err(fail)?.to_vec();
    check!(name::import_name(&good, Some(&name_type::EXPORT)).is_ok());
    // Every truncation, and every trailing byte.
    for cut in 0..good.len() {
        bad_input(&good[..cut], &format!("cut at {cut}"))?;
    }
    for extra in [0u8, 0x61, 0xff] {
        let mut long = good.clone();
        long.push(extra);
        bad_input(&long, "trailing byte")?;
    }
    // Each field wrong in turn.
    let oid_len = usize::from(u16::from_be_bytes([good[2], good[3]]));
    let mut cases = Vec::new();
    let mut t = good.clone();
    t[1] = 0x02; // the composite tag under the plain name type
    cases.push(("tag", t));
    let mut t = good.clone();
    t[4] = 0x04; // not an OID
    cases.push(("oid tag", t));
    let mut t = good.clone();
    t[5] += 1; // the OID's own length disagrees with the header's
    cases.push(("oid length", t));
    let mut t = good.clone();
    t[4 + oid_len + 3] += 1; // the name length is one too long
    cases.push(("name length", t));
    let mut t = good.clone();
    let last = t.len() - 1;
    t[last - 4] = 0; // a NUL inside the Kerberos principal
    cases.push(("nul", t));
    for (what, token) in cases {
        bad_input(&token, what)?;
    }
    // The composite type checks its header the same way.
    let err = name::import_name(&good[..6], Some(&name_type::COMPOSITE_EXPORT)).unwrap_err();
    check!(
        err.is(ErrorKind::BadName) && err.origin() == Origin::Input,
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn garbage_to_import_sec_context() -> TestResult {
    for token in [&b""[..], b"garbage", &[0xff; 64], &[0u8; 4096]] {
        let err = context::import_sec_context(token).unwrap_err();
        check!(
            err.routine() == Some(RoutineError::DefectiveToken),
            "{token:02x?}: {err:?}"
        );
        if heimdal() {
            check!(err.calling().is_none(), "{err:?}");
        } else {
            // MIT adds a calling error: CALL_INACCESSIBLE_READ for the empty token, CALL_BAD_STRUCTURE
            // for the others.
            let expected = if token.is_empty() {
                CallingError::InaccessibleRead
            } else {
                CallingError::BadStructure
            };
            check!(err.calling() == Some(expected), "{token:02x?}: {err:?}");
        }
    }
    Ok(())
}

pub(crate) fn expired_credentials() -> TestResult {
    let user = realm().user_principal();
    let ccache = realm()
        .expired_ccache(&user, realm().user_password())
        .map_err(fail)?;
    run_in_child(
        "bad_inputs::expired_credentials_child",
        &[
            ("KRB5CCNAME", &ccache),
            // Without this MIT gets fresh tickets from the realm's client keytab.
            ("KRB5_CLIENT_KTNAME", &realm().no_client_keytab()),
        ],
    )?;
    if gssapi_raw::ext::is_supported("cred_store") {
        use gssapi_raw::ext::cred_store::{self, CredStore};
        let init = |store: &CredStore| -> Result<(), gssapi_raw::Error> {
            let got =
                cred_store::acquire_cred_from(Some(store), None, None, None, CredUsage::Initiate)?;
            let mut ctx = SecContext::new();
            init_step(
                Some(&got.creds),
                &mut ctx,
                &host(),
                &mech_type::KERBEROS,
                Flags::MUTUAL,
                None,
            )
            .map(|_| ())
        };
        // The realm's ccache-only store: really expired (MIT fails at first use).
        let err = init(&realm().cred_store_ccache_only(&ccache)).unwrap_err();
        check!(
            err.krb5_error() == Some(Krb5Error::TicketExpired),
            "{err:?}"
        );
        // Why the client keytab must be kept out: with the user's keytab MIT gets fresh tickets.
        let refreshing = CredStore::new()
            .ccache(&ccache)
            .client_keytab(&realm().user_keytab());
        // (This writes fresh tickets into the ccache: it comes last.)
        init(&refreshing).map_err(fail)?;
    }
    Ok(())
}

/// Runs in a child whose KRB5CCNAME holds only expired tickets.
pub(crate) fn expired_credentials_child() -> TestResult {
    check!(is_child());
    check!(realm_env().contains_key("KRB5CCNAME"));
    let result = cred::acquire_cred(None, None, None, CredUsage::Initiate);
    if heimdal() {
        // Heimdal drops a ccache whose TGT has expired and tries the default keytab for the
        // principal (it has no key for the user): NO_CRED, minor status 0. It never reports
        // the expiry itself.
        let err = result.unwrap_err();
        check!(
            err.is(ErrorKind::MissingCredentials) && err.minor() == 0,
            "{err:?}"
        );
        return Ok(());
    }
    let err = match result {
        // MIT hands out the credential and fails at first use.
        Ok(acquired) => {
            let mut ctx = SecContext::new();
            init_step(
                Some(&acquired.creds),
                &mut ctx,
                &host(),
                &mech_type::KERBEROS,
                Flags::MUTUAL,
                None,
            )
            .err()
            .ok_or("expired credentials initiated a context")?
        }
        Err(e) => return Err(format!("MIT refused the expired ccache at acquire: {e:?}").into()),
    };
    // MIT says GSS_S_FAILURE with KRB5KRB_AP_ERR_TKT_EXPIRED in the minor status; the typed
    // view of the minor status names it.
    check!(
        err.function() == "gss_init_sec_context"
            && err.routine() == Some(RoutineError::Failure)
            && err.krb5_error() == Some(Krb5Error::TicketExpired),
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn service_key_not_in_keytab() -> TestResult {
    // The KDC issues tickets under the new key; the keytab has only the old kvno.
    let target = service(&ROTATED_SERVICE.replace('/', "@"));
    let (mut initiator, first) =
        first_step(&target, &mech_type::KERBEROS, Flags::MUTUAL).map_err(fail)?;
    let mut acceptor = SecContext::new();
    let err = context::accept_sec_context(&mut acceptor, None, &first.token, None).unwrap_err();
    check!(err.routine() == Some(RoutineError::Failure), "{err:?}");
    let text = err.to_string().to_lowercase();
    check!(
        text.contains("key version") || text.contains("kvno"),
        "{text}"
    );
    if heimdal() {
        // Heimdal reports the keytab lookup failure (KRB5_Krb5Error::KeytabEnd, naming the kvno) and sends
        // no KRB-ERROR token.
        check!(err.krb5_error() == Some(Krb5Error::KeytabEnd), "{err:?}");
        return Ok(());
    }
    check!(
        err.krb5_error() == Some(Krb5Error::BadKeyVersion),
        "{err:?}"
    );
    // With mutual auth requested, the acceptor's KRB-ERROR comes back inside the error, and
    // the initiator can read the reason from it.
    let token = err.token().ok_or("no error token in the accept error")?;
    check!(!token.is_empty());
    let init_err = init_step(
        None,
        &mut initiator,
        &target,
        &mech_type::KERBEROS,
        Flags::MUTUAL,
        Some(token),
    )
    .unwrap_err();
    // The initiator reads the acceptor's reason from the KRB-ERROR.
    check!(
        init_err.routine() == Some(RoutineError::Failure)
            && init_err.krb5_error() == Some(Krb5Error::BadKeyVersion),
        "{init_err:?}"
    );
    Ok(())
}

pub(crate) fn unknown_service_principal() -> TestResult {
    // No such principal in the KDC: the initiator fails before any token exists.
    let target = service("nosuch@localhost");
    let mut initiator = SecContext::new();
    let err = init_step(
        None,
        &mut initiator,
        &target,
        &mech_type::KERBEROS,
        Flags::MUTUAL,
        None,
    )
    .unwrap_err();
    // Both libraries: GSS_S_FAILURE with the KDC's KDC_ERR_S_PRINCIPAL_UNKNOWN.
    check!(
        err.routine() == Some(RoutineError::Failure)
            && err.krb5_error() == Some(Krb5Error::ServerPrincipalUnknown),
        "{err:?}"
    );
    check!(err.token().is_none());
    check!(!err.minor_messages().is_empty(), "{err:?}");
    check!(initiator.is_null(), "a failed first call leaves no context");
    // The message leads with the mechanism's reason and names the Kerberos error.
    check!(
        err.krb5_error() == Some(Krb5Error::ServerPrincipalUnknown),
        "{err:?}"
    );
    let text = err.to_string();
    check!(
        text.starts_with("gss_init_sec_context: ")
            && text.contains("(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN)")
            && !text.contains("Minor code may provide"),
        "{text}"
    );
    // Through SPNEGO: MIT remaps the minor status, and the Kerberos error is still named;
    // Heimdal's SPNEGO reports only that no mechanism could be used.
    let mut initiator = SecContext::new();
    let err = init_step(
        None,
        &mut initiator,
        &target,
        &mech_type::SPNEGO,
        Flags::MUTUAL,
        None,
    )
    .unwrap_err();
    if heimdal() {
        check!(
            err.is(ErrorKind::BadMechanism) && err.minor() == 0,
            "{err:?}"
        );
        check!(err.krb5_error().is_none(), "{err:?}");
    } else {
        check!(
            Krb5Error::from_minor(err.minor()).is_none(),
            "MIT remaps: {err:?}"
        );
        check!(
            err.krb5_error() == Some(Krb5Error::ServerPrincipalUnknown),
            "{err:?}"
        );
    }
    // A service that exists but whose key is not in the keytab: the acceptor cannot decrypt.
    let keyless = service(&KEYLESS_SERVICE.replace('/', "@"));
    let e = establish(
        &keyless,
        Some(&mech_type::KERBEROS),
        Flags::MUTUAL,
        None,
        None,
    );
    let err = e.err().ok_or("a keyless service was accepted")?;
    check!(err.function() == "gss_accept_sec_context", "{err:?}");
    // MIT tries every key of the keytab (KRB5KRB_AP_WRONG_PRINC, "not us"); Heimdal looks the
    // principal up and finds no entry (KRB5_Krb5Error::KeytabEnd).
    let expected = if heimdal() {
        Krb5Error::KeytabEnd
    } else {
        Krb5Error::NotUs
    };
    check!(
        err.routine() == Some(RoutineError::Failure) && err.krb5_error() == Some(expected),
        "{err:?}"
    );
    Ok(())
}

/// Regression (issue 7): Heimdal 7.8 imports a truncated exported context as complete with no
/// mechanism context, and the next call on it (gss_inquire_context, gss_wrap) dereferences
/// NULL. Every truncation is now a typed error there. MIT crashes inside the library on damaged
/// tokens (its format is private and undefended: import only trusted tokens), so on MIT only
/// the whole token is imported.
pub(crate) fn truncated_exported_contexts() -> TestResult {
    let mut e =
        establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    let token = context::export_sec_context(&mut e.acceptor)
        .map_err(fail)?
        .to_vec();
    if heimdal() {
        check!(
            gssapi_raw::sys::library_version().starts_with("7."),
            "{}",
            gssapi_raw::sys::library_version()
        );
        let mut hollow = 0;
        for cut in 0..token.len() {
            match context::import_sec_context(&token[..cut]) {
                // Whatever imports must be a working context.
                Ok(ctx) => check!(context::inquire_context(&ctx).is_ok(), "cut at {cut}"),
                Err(err) if err.origin() == Origin::Input => {
                    check!(
                        err.routine() == Some(gssapi_raw::RoutineError::DefectiveToken),
                        "{err:?}"
                    );
                    hollow += 1;
                }
                // The rest are refused by Heimdal itself: DEFECTIVE_TOKEN or FAILURE.
                Err(err) => check!(
                    matches!(
                        err.routine(),
                        Some(RoutineError::DefectiveToken | RoutineError::Failure)
                    ) && err.calling().is_none(),
                    "cut at {cut}: {err:?}"
                ),
            }
        }
        // Heimdal 7.8 makes hollow contexts of a range of truncations (from about half the
        // token on); each was caught.
        check!(hollow > 0, "no truncation produced a hollow context");
    }
    let whole = context::import_sec_context(&token).map_err(fail)?;
    check!(context::inquire_context(&whole).map_err(fail)?.complete);
    Ok(())
}

/// Regression (issue 7): handed a token of the wrong kind (here the acceptor's own AP-REP),
/// MIT's acceptor answered "continue" with no token to send, a dead end a loop could mistake
/// for progress. It is an error now, on both libraries.
pub(crate) fn continue_without_a_token_is_an_error() -> TestResult {
    for mech in [&mech_type::KERBEROS, &mech_type::SPNEGO] {
        let e = establish(&host(), Some(mech), flags(), None, None).map_err(fail)?;
        let reply = e.accept.token.to_vec();
        check!(!reply.is_empty(), "mutual auth gives an AP-REP");
        let mut fresh = SecContext::new();
        let err = context::accept_sec_context(&mut fresh, None, &reply, None).unwrap_err();
        if mech == &mech_type::SPNEGO {
            // SPNEGO sees a token that is not a NegTokenInit.
            check!(err.is(ErrorKind::InvalidToken), "{mech}: {err:?}");
        } else if heimdal() {
            // Heimdal's krb5 acceptor fails outright: GSS_S_FAILURE with its ASN.1 decoder's
            // error (0x6eda3602) in the minor status.
            check!(
                err.routine() == Some(RoutineError::Failure)
                    && err.minor() == 0x6eda_3602
                    && !err.is_dead_end(),
                "{mech}: {err:?}"
            );
        } else {
            // MIT's says "continue" (with KRB5KRB_AP_ERR_MSG_TYPE in the minor status) and
            // no token: the dead end, now an error.
            check!(
                err.is_dead_end() && err.routine().is_none(),
                "{mech}: {err:?}"
            );
            check!(err.to_string().contains("no token to send"), "{err}");
        }
    }
    Ok(())
}

/// Regression (issue 7): Heimdal 7.8's SPNEGO initiator returned the ASN.1 decoder's error code
/// (`0x6eda3605`, ASN1_OVERRUN) as the major status for a truncated reply, which read as
/// nonsense calling and routine errors; it is a typed `InvalidToken` now, with the code as
/// the minor status. MIT reports a routine error of its own.
pub(crate) fn truncated_spnego_replies_are_typed_errors() -> TestResult {
    let target = host();
    let (_initiator, first) =
        first_step(&target, &mech_type::SPNEGO, Flags::MUTUAL).map_err(fail)?;
    let mut acceptor = SecContext::new();
    let reply = context::accept_sec_context(&mut acceptor, None, &first.token, None)
        .map_err(fail)?
        .token
        .to_vec();
    for cut in [1usize, 4, 10, reply.len() / 2, reply.len() - 1] {
        let mut i2 = SecContext::new();
        init_step(
            None,
            &mut i2,
            &target,
            &mech_type::SPNEGO,
            Flags::MUTUAL,
            None,
        )
        .map_err(fail)?;
        let err = init_step(
            None,
            &mut i2,
            &target,
            &mech_type::SPNEGO,
            Flags::MUTUAL,
            Some(&reply[..cut]),
        )
        .unwrap_err();
        // Both libraries: DEFECTIVE_TOKEN, no calling error.
        check!(err.is(ErrorKind::InvalidToken), "cut {cut}: {err:?}");
        check!(err.calling().is_none(), "cut {cut}: {err:?}");
        if heimdal() {
            check!(err.minor() == 0x6eda_3605, "cut {cut}: {err:?}");
        }
    }
    Ok(())
}
