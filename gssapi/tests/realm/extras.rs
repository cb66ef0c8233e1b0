//! The parts of the high-level API that rest on extensions.

use crate::{TestResult, check, fail, handshake, heimdal, realm};
use gssapi::Protection;
use gssapi::raw::ext::{self, rfc5587::mech_attr};
use gssapi::{
    CredStore, CredUsage, Credentials, ErrorKind, Flags, Mechanism, Name, NameType,
    SecurityContext, TemporaryCcache,
};

fn flags() -> Flags {
    Flags::MUTUAL | Flags::REPLAY | Flags::SEQUENCE | Flags::CONF | Flags::INTEG
}

pub(crate) fn name_extensions() -> TestResult {
    let (_, server, _) = handshake(None, flags(), None).map_err(fail)?;
    let who = server.initiator_name().map_err(fail)?;
    match who.is_mech_name() {
        Ok(mn) => {
            check!(mn);
            check!(who.mech().map_err(fail)? == Some(Mechanism::KERBEROS));
            let composite = who.export_composite().map_err(fail)?;
            let back = Name::import_composite(&composite)
                .and_then(|n| n.canonicalize(&Mechanism::KERBEROS))
                .map_err(fail)?;
            check!(back == who);
            let keys = who.attributes().keys().map_err(fail)?;
            for (key, value) in who.attributes().iter().map_err(fail)? {
                check!(keys.contains(&key));
                check!(value.values.len() == value.display_values.len());
            }
            check!(
                who.attributes()
                    .get(b"urn:example:absent")
                    .map_err(fail)?
                    .is_none()
            );
            let mut copy = who.clone();
            // MIT's krb5 names take only attributes a plugin knows: UNAVAILABLE.
            let e = copy
                .attributes_mut()
                .map_err(fail)?
                .set_complete(b"urn:example:x", &[b"1"])
                .unwrap_err();
            check!(e.is(ErrorKind::OperationUnavailable), "{e:?}");
            // The original is untouched.
            check!(
                who.attributes()
                    .get(b"urn:example:x")
                    .map_err(fail)?
                    .is_none()
            );
        }
        // Heimdal 7.8's krb5 mechanism has no RFC 6680 calls (gss_inquire_name).
        Err(e) => check!(heimdal() && e.is(ErrorKind::OperationUnavailable), "{e:?}"),
    }
    let shown = who.display_as(NameType::KERBEROS_PRINCIPAL);
    if heimdal() {
        let e = shown.unwrap_err();
        check!(e.is(ErrorKind::OperationUnavailable), "{e:?}");
    } else {
        check!(shown.map_err(fail)? == realm().user_principal());
    }
    Ok(())
}

pub(crate) fn credential_sources() -> TestResult {
    let user = Name::kerberos_principal(&realm().user_principal()).map_err(fail)?;
    // From an explicit store.
    let from_store = Credentials::builder()
        .store(CredStore::new().ccache(&realm().user_ccache()))
        .usage(CredUsage::Initiate)
        .acquire();
    match from_store {
        Ok(c) => check!(c.name().map_err(fail)? == user),
        Err(e) => check!(
            heimdal() && e.gss().is_some_and(|g| g.is_unavailable_in_library()),
            "{e:?}"
        ),
    }
    // With a password.
    let with_password = Credentials::builder()
        .name(&user)
        .password(realm().user_password().as_bytes())
        .usage(CredUsage::Initiate)
        .acquire()
        .map_err(fail)?;
    check!(with_password.name().map_err(fail)? == user);
    check!(!format!("{:?}", Credentials::builder().password(b"hunter2")).contains("hunter2"));
    let err = Credentials::builder().password(b"x").acquire().unwrap_err();
    check!(err.is_misuse(), "{err:?}");
    // Export and import.
    let token = with_password.export().map_err(fail)?;
    let imported = Credentials::import(&token).map_err(fail)?;
    check!(imported.name().map_err(fail)? == user);
    let err = Credentials::import(b"junk").unwrap_err();
    // MIT: DEFECTIVE_TOKEN; Heimdal: GSS_S_FAILURE (its krb5 storage fails to read it).
    let expected = if heimdal() {
        gssapi::RoutineError::Failure
    } else {
        gssapi::RoutineError::DefectiveToken
    };
    check!(
        err.gss().and_then(|g| g.routine()) == Some(expected),
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn delegated_into_memory_ccache() -> TestResult {
    let (_, server, _) = handshake(None, flags() | Flags::DELEGATE, None).map_err(fail)?;
    let delegated = server
        .delegated_credentials()
        .map_err(fail)?
        .ok_or("no delegation")?;
    let store = CredStore::new().ccache("MEMORY:high-level-delegated");
    match delegated
        .store()
        .into_store(store.clone())
        .usage(CredUsage::Initiate)
        .mech(&Mechanism::KERBEROS)
        .overwrite(true)
        .make_default(false)
        .run()
    {
        Ok(mechs) => {
            check!(mechs.contains(&Mechanism::KERBEROS));
            let again = Credentials::builder()
                .store(store)
                .usage(CredUsage::Initiate)
                .acquire()
                .map_err(fail)?;
            check!(again.name().map_err(fail)?.to_string() == realm().user_principal());
            // Without overwrite, storing over them is the library's DUPLICATE_ELEMENT.
            let err = delegated
                .store()
                .into_store(CredStore::new().ccache("MEMORY:high-level-delegated"))
                .overwrite(false)
                .run()
                .unwrap_err();
            check!(
                err.is(gssapi::ErrorKind::DuplicateCredentialsElement),
                "{err:?}"
            );
            gssapi::raw::ext::krb5::krb5_destroy_ccache("MEMORY:high-level-delegated")
                .map_err(fail)?;
        }
        Err(e) => check!(!ext::is_supported("cred_store"), "{e:?}"),
    }
    Ok(())
}

/// Issue 7: a per-request ccache for delegated credentials that is destroyed with the request,
/// so a server does not leak one `MEMORY:` ccache (and a user's tickets) per request.
pub(crate) fn temporary_ccache_for_delegated_credentials() -> TestResult {
    let (_, server, _) = handshake(None, flags() | Flags::DELEGATE, None).map_err(fail)?;
    let delegated = server
        .delegated_credentials()
        .map_err(fail)?
        .ok_or("no delegation")?;
    let (a, b) = (TemporaryCcache::new(), TemporaryCcache::new());
    check!(
        a.name() != b.name() && a.name().starts_with("MEMORY:"),
        "{a:?} {b:?}"
    );
    // MIT: gss_store_cred_into; Heimdal (no credential store): gss_krb5_copy_ccache.
    a.store(&delegated).map_err(fail)?;
    let as_user = a.credentials().map_err(fail)?;
    check!(as_user.name().map_err(fail)?.to_string() == realm().user_principal());
    // The second hop: the stored tickets initiate as the user.
    let target = gssapi::Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut onward = gssapi::SecurityContext::initiator(&target)
        .credentials(&as_user)
        .mech(&gssapi::Mechanism::KERBEROS)
        .build();
    check!(onward.step(None).map_err(fail)?.is_some());
    // The other ccache is empty: nothing leaks between them.
    check!(b.credentials().is_err(), "an empty ccache gave credentials");
    let name = a.name().to_string();
    drop(a);
    // Dropped: the ccache is gone, and its name holds nothing any more (no client keytab
    // to refill it from, as TemporaryCcache::credentials arranges).
    if !ext::is_supported("cred_store") {
        // Heimdal: the ccache is empty again (Heimdal has no client-keytab fallback).
        let err = Credentials::initiator_from_ccache(&name).unwrap_err();
        check!(err.gss().is_some_and(|g| g.minor() != 0), "{err:?}");
    } else {
        // MIT: import_cred would refill an empty ccache from the default client keytab
        // (the realm sets one); the store rules that out.
        let store = CredStore::new()
            .ccache(&name)
            .client_keytab("MEMORY:gssapi-rs-no-client-keytab");
        let err = Credentials::builder()
            .store(store)
            .usage(CredUsage::Initiate)
            .acquire()
            .unwrap_err();
        check!(
            err.gss().is_some_and(|g| !g.is_unavailable_in_library()),
            "{err:?}"
        );
    }
    // An explicit destroy reports; a name that is not a ccache type is libkrb5's error.
    b.destroy().map_err(fail)?;
    let err = gssapi::raw::ext::krb5::krb5_destroy_ccache("NOSUCHTYPE:x").unwrap_err();
    check!(err.krb5_error().is_some() && err.minor() != 0, "{err:?}");
    let err = gssapi::raw::ext::krb5::krb5_destroy_ccache("MEMORY:a\0b").unwrap_err();
    check!(err.origin() == gssapi::raw::Origin::Input, "{err:?}");
    Ok(())
}

pub(crate) fn session_key_and_in_place() -> TestResult {
    let (mut c, mut s, _) = handshake(None, flags(), None).map_err(fail)?;
    let a = c.session_key().map_err(fail)?;
    let b = s.session_key().map_err(fail)?;
    check!(a.key == b.key && !a.key.is_empty());
    let original: Vec<u8> = (0..65536u32).map(|i| i as u8).collect();
    let mut data = original.clone();
    let wrapped = c
        .wrap_in_place(&mut data, Protection::Encrypt)
        .map_err(fail)?;
    check!(wrapped.encrypted && data != original);
    let mut token = wrapped.to_token(&data);
    let kept = token.clone();
    match s.unwrap_in_place(&mut token) {
        Ok((range, encrypted)) => check!(encrypted && token[range] == original[..]),
        Err(e) => {
            // Heimdal has no STREAM unwrap; the failed attempt zeroed the buffer.
            check!(heimdal(), "{e:?}");
            check!(token.iter().all(|b| *b == 0));
            check!(*s.decrypt(&kept).map_err(fail)? == original[..]);
        }
    }
    let mut fresh = SecurityContext::acceptor(None).build();
    check!(fresh.session_key().unwrap_err().is_misuse());
    check!(
        fresh
            .wrap_in_place(&mut [0u8; 4], Protection::Encrypt)
            .unwrap_err()
            .is_misuse()
    );
    Ok(())
}

pub(crate) fn mechanism_extensions() -> TestResult {
    check!(Mechanism::from_sasl_name("GS2-KRB5").map_err(fail)? == Mechanism::KERBEROS);
    check!(Mechanism::KERBEROS.sasl_name().map_err(fail)? == "GS2-KRB5");
    check!(!Mechanism::KERBEROS.description().map_err(fail)?.is_empty());
    check!(
        Mechanism::KERBEROS
            .attrs()
            .map_err(fail)?
            .contains(&mech_attr::MECH_CONCRETE)
    );
    check!(!Mechanism::KERBEROS.known_attrs().map_err(fail)?.is_empty());
    let negotiators = Mechanism::from_attrs(&[&mech_attr::MECH_NEGO], &[], &[]).map_err(fail)?;
    check!(negotiators.contains(&Mechanism::SPNEGO) && !negotiators.contains(&Mechanism::KERBEROS));
    check!(Mechanism::from_sasl_name("GS2-NOPE").is_err());
    Ok(())
}

pub(crate) fn remaining_api() -> TestResult {
    // Lifetimes are requests; the library may grant less, never more than the KDC allows.
    let creds = Credentials::builder()
        .usage(CredUsage::Initiate)
        .lifetime(600)
        .acquire()
        .map_err(fail)?;
    check!(creds.lifetime().map_err(fail)?.is_some_and(|l| l > 0));
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut c = SecurityContext::initiator(&target)
        .credentials(&creds)
        .lifetime(300)
        .flags(flags())
        .build();
    let mut s = SecurityContext::acceptor(None).build();
    let mut token = c.step(None).map_err(fail)?;
    while let Some(t) = token.take() {
        if let Some(r) = s.step(Some(&t)).map_err(fail)? {
            token = c.step(Some(&r)).map_err(fail)?;
        }
    }
    check!(c.lifetime().map_err(fail)? <= 86400);
    check!(!c.as_raw_mut().is_null());
    // In place, in parts: header, data, padding and trailer kept apart, nothing copied.
    let original = vec![9u8; 4096];
    let mut data = original.clone();
    let mut parts = c
        .wrap_in_place(&mut data, Protection::Encrypt)
        .map_err(fail)?;
    check!(
        s.unwrap_parts_in_place(&mut parts, &mut data)
            .map_err(fail)?
    );
    check!(data == original);
    // A context token from the peer out of band: none exists for krb5, the library says so.
    let sealed = c.encrypt(b"x").map_err(fail)?;
    check!(s.process_token(&sealed).is_err());
    check!(
        SecurityContext::acceptor(None)
            .build()
            .process_token(b"x")
            .unwrap_err()
            .is_misuse()
    );
    // Deleting: no token for RFC 4121 mechanisms.
    check!(c.delete().map_err(fail)?.is_none());
    let mut who = s.initiator_name().map_err(fail)?;
    let attrs = who.attributes_mut().map_err(fail)?;
    // Both libraries: no such attribute, no error.
    check!(
        attrs
            .view()
            .get(b"urn:example:none")
            .map_err(fail)?
            .is_none()
    );
    let err = Name::kerberos_principal("").unwrap_err();
    check!(err.kind() == Some(gssapi::ErrorKind::BadName));
    check!(err.token().is_none() && !err.is_misuse());
    Ok(())
}

/// Issue 7: names, credentials and contexts convert between gssapi-raw and gssapi both ways,
/// so anything a raw extension makes works with the high-level API.
pub(crate) fn raw_and_high_level_interoperate() -> TestResult {
    use gssapi::raw::{self, context as raw_ctx, cred, name, name_type};
    // Names.
    let raw_name =
        name::import_name(b"host@localhost", Some(&name_type::HOSTBASED_SERVICE)).map_err(fail)?;
    let high = Name::from_raw(raw_name);
    check!(high == Name::hostbased_service("host@localhost").map_err(fail)?);
    let shared = high.clone();
    let copy = high.into_raw().map_err(fail)?; // shared: a duplicate
    check!(name::compare_name(&copy, shared.as_raw()).map_err(fail)?);
    let back = shared.into_raw().map_err(fail)?; // the last one: the same handle
    check!(
        name::display_name(&back)
            .map_err(fail)?
            .name
            .starts_with(b"host")
    );

    // Credentials from a raw call drive a high-level context.
    let raw_creds = cred::acquire_cred(None, None, None, raw::CredUsage::Initiate)
        .map_err(fail)?
        .creds;
    let creds = Credentials::from_raw(raw_creds);
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut client = SecurityContext::initiator(&target)
        .credentials(&creds)
        .build();
    let mut server = SecurityContext::acceptor(None).build();
    let token = client.step(None).map_err(fail)?.ok_or("no first token")?;
    if let Some(reply) = server.step(Some(&token)).map_err(fail)? {
        check!(client.step(Some(&reply)).map_err(fail)?.is_none());
    }
    check!(client.is_complete() && server.is_complete());
    let clone = creds.clone();
    let creds = match creds.into_raw() {
        Ok(_) => return Err("into_raw of shared credentials must give them back".into()),
        Err(creds) => creds,
    };
    drop(clone);
    drop(client); // the context held a clone too
    let raw_again = creds
        .into_raw()
        .map_err(|_| "the last clone did not unwrap")?;
    check!(cred::inquire_cred(Some(&raw_again)).is_ok());

    // A context established with raw calls, used through the high level, and back.
    let target_raw =
        name::import_name(b"host@localhost", Some(&name_type::HOSTBASED_SERVICE)).map_err(fail)?;
    let (mut ic, mut ac) = (raw::SecContext::new(), raw::SecContext::new());
    let flags = Flags::MUTUAL | Flags::CONF | Flags::INTEG;
    let first =
        raw_ctx::init_sec_context(None, &mut ic, &target_raw, None, flags, None, None, None)
            .map_err(fail)?;
    // Half-way: refused with a State error.
    let err = SecurityContext::from_raw(std::mem::take(&mut ic)).unwrap_err();
    check!(err.is_misuse(), "{err:?}");
    let err = SecurityContext::from_raw(raw::SecContext::new()).unwrap_err();
    check!(err.is_misuse(), "{err:?}");
    let first = {
        drop(first);
        ic = raw::SecContext::new();
        raw_ctx::init_sec_context(None, &mut ic, &target_raw, None, flags, None, None, None)
            .map_err(fail)?
    };
    let accepted = raw_ctx::accept_sec_context(&mut ac, None, &first.token, None).map_err(fail)?;
    raw_ctx::init_sec_context(
        None,
        &mut ic,
        &target_raw,
        None,
        flags,
        None,
        None,
        Some(&accepted.token),
    )
    .map_err(fail)?;
    let mut hc = SecurityContext::from_raw(ic).map_err(fail)?;
    let mut ha = SecurityContext::from_raw(ac).map_err(fail)?;
    check!(hc.is_mutual().map_err(fail)?);
    let sealed = hc.encrypt(b"raw to high").map_err(fail)?;
    check!(&*ha.decrypt(&sealed).map_err(fail)? == b"raw to high");
    let mut raw_back = ha.into_raw();
    let wrapped = raw::message::wrap(&mut raw_back, b"and back", true, None).map_err(fail)?;
    check!(&*hc.decrypt(&wrapped.message).map_err(fail)? == b"and back");
    Ok(())
}

/// Issue 7: SPNEGO's negotiable mechanisms from the high level (`gss-client -spnego -mech
/// krb5`): MIT has `gss_set_neg_mechs`; Heimdal lacks it and says so.
pub(crate) fn negotiable_mechanisms() -> TestResult {
    let acquired = Credentials::builder()
        .usage(CredUsage::Initiate)
        .negotiable_mech(&Mechanism::KERBEROS)
        .acquire();
    if heimdal() {
        let err = acquired.unwrap_err();
        check!(
            err.gss().is_some_and(|e| e.is_unavailable_in_library()),
            "{err:?}"
        );
        return Ok(());
    }
    let creds = acquired.map_err(fail)?;
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut client = SecurityContext::initiator(&target)
        .credentials(&creds)
        .mech(&Mechanism::SPNEGO)
        .build();
    let mut server = SecurityContext::acceptor(None).build();
    let mut to_server = client.step(None).map_err(fail)?;
    while let Some(token) = to_server.take() {
        if let Some(reply) = server.step(Some(&token)).map_err(fail)? {
            to_server = client.step(Some(&reply)).map_err(fail)?;
        }
    }
    check!(client.mech().map_err(fail)? == Mechanism::KERBEROS);
    // Only a mechanism that cannot be used: SPNEGO has nothing to offer.
    let iakerb_only = Credentials::builder()
        .usage(CredUsage::Initiate)
        .negotiable_mech(&Mechanism::from_oid(gssapi::raw::mech_type::IAKERB.clone()))
        .acquire()
        .map_err(fail)?;
    let mut client = SecurityContext::initiator(&target)
        .credentials(&iakerb_only)
        .mech(&Mechanism::SPNEGO)
        .build();
    // MIT's SPNEGO refuses at once: nothing it may offer is usable.
    let err = client.step(None).unwrap_err();
    check!(
        err.gss().is_some_and(|e| e
            .minor_messages()
            .iter()
            .any(|m| m == "SPNEGO cannot find mechanisms to negotiate")),
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn credentials_from_named_keytab_and_ccache() -> TestResult {
    // Acceptor credentials from the keytab by name: a Kerberos handshake accepts with them.
    let acceptor = Credentials::acceptor_from_keytab(&realm().keytab()).map_err(fail)?;
    check!(acceptor.usage().map_err(fail)? == CredUsage::Accept);
    let (client, server, _) =
        handshake(Some(&gssapi::Mechanism::KERBEROS), flags(), Some(&acceptor)).map_err(fail)?;
    check!(client.is_complete() && server.is_complete());
    // Initiator credentials from the user's ccache by name.
    let user = Credentials::initiator_from_ccache(&realm().user_ccache()).map_err(fail)?;
    check!(user.name().map_err(fail)?.to_string() == realm().user_principal());
    // A keytab that does not exist: MIT refuses at once, Heimdal when a token comes.
    let missing = Credentials::acceptor_from_keytab("FILE:/nonexistent/keytab");
    if heimdal() {
        let creds = missing.map_err(fail)?;
        let err = handshake(Some(&gssapi::Mechanism::KERBEROS), flags(), Some(&creds)).unwrap_err();
        check!(err.gss().is_some_and(|g| g.minor() != 0), "{err:?}");
    } else {
        let err = missing.unwrap_err();
        check!(
            err.krb5_error() == Some(gssapi::Krb5Error::KeytabEntryNotFound),
            "{err:?}"
        );
    }
    Ok(())
}
