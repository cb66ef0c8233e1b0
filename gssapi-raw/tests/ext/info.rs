//! Extensions that describe mechanisms and names.

use crate::{TestResult, check, establish, fail, flags, heimdal, host, realm};

use gssapi_raw::ext::{self, localname, rfc5587, rfc5587::mech_attr, rfc5801, rfc6680};
use gssapi_raw::{ErrorKind, OidSet, mech_type, name, name_type, sys};

/// The extensions Debian 12's Heimdal (7.8) lacks, as its linked build's probes find.
const HEIMDAL_LACKS: &[&str] = &["rfc4178", "cred_store", "iov_mic", "s4u"];

pub(crate) fn supported_extensions_match_the_build() -> TestResult {
    let names: Vec<&str> = ext::supported_extensions().iter().map(|e| e.name).collect();
    if sys::FOUND_BY == "dlopen" {
        // Known only at run time: what the link probes of a linked build find in Debian 12's
        // libraries, looked up in the loaded one instead.
        check!(sys::AVAILABLE_EXTENSIONS.is_empty());
        let all: Vec<&str> = sys::EXTENSIONS.iter().map(|e| e.name).collect();
        let expected: Vec<&str> = if heimdal() {
            all.iter()
                .copied()
                .filter(|n| !HEIMDAL_LACKS.contains(n))
                .collect()
        } else {
            all
        };
        check!(names == expected, "{names:?}");
    } else {
        check!(names == sys::AVAILABLE_EXTENSIONS, "{names:?}");
    }
    for e in sys::EXTENSIONS {
        check!(
            ext::is_supported(e.name) == names.contains(&e.name),
            "{}",
            e.name
        );
    }
    check!(!ext::is_supported("no-such-extension"));
    Ok(())
}

pub(crate) fn rfc5587_mech_attributes() -> TestResult {
    let krb5 = rfc5587::inquire_attrs_for_mech(&mech_type::KERBEROS).map_err(fail)?;
    check!(
        krb5.mech_attrs.contains(&mech_attr::MECH_CONCRETE),
        "{:?}",
        krb5.mech_attrs
    );
    check!(!krb5.mech_attrs.contains(&mech_attr::MECH_NEGO));
    check!(!krb5.known_mech_attrs.is_empty());
    let spnego = rfc5587::inquire_attrs_for_mech(&mech_type::SPNEGO).map_err(fail)?;
    check!(
        spnego.mech_attrs.contains(&mech_attr::MECH_NEGO),
        "{:?}",
        spnego.mech_attrs
    );
    let shown = rfc5587::display_mech_attr(&mech_attr::MECH_CONCRETE).map_err(fail)?;
    check!(!shown.name.is_empty() && !shown.long_desc.is_empty());
    let nego: OidSet = [&mech_attr::MECH_NEGO].into_iter().collect();
    let found = rfc5587::indicate_mechs_by_attrs(Some(&nego), None, None).map_err(fail)?;
    check!(
        found.contains(&mech_type::SPNEGO) && !found.contains(&mech_type::KERBEROS),
        "{found:?}"
    );
    let not_nego = rfc5587::indicate_mechs_by_attrs(None, Some(&nego), None).map_err(fail)?;
    check!(not_nego.contains(&mech_type::KERBEROS) && !not_nego.contains(&mech_type::SPNEGO));
    // An attribute OID no library knows.
    let bogus: gssapi_raw::Oid = "1.3.6.1.5.5.13.250".parse().unwrap();
    check!(rfc5587::display_mech_attr(&bogus).is_err());
    Ok(())
}

pub(crate) fn rfc5801_sasl_names() -> TestResult {
    let names = rfc5801::inquire_saslname_for_mech(&mech_type::KERBEROS).map_err(fail)?;
    check!(
        &*names.sasl_mech_name == b"GS2-KRB5",
        "{:?}",
        names.sasl_mech_name
    );
    let mech = rfc5801::inquire_mech_for_saslname(b"GS2-KRB5").map_err(fail)?;
    check!(mech == mech_type::KERBEROS);
    let err = rfc5801::inquire_mech_for_saslname(b"GS2-NOSUCH").unwrap_err();
    check!(err.is(ErrorKind::BadMechanism), "{err:?}");
    Ok(())
}

pub(crate) fn rfc6680_naming_extensions() -> TestResult {
    let e = establish(&host(), Some(&mech_type::KERBEROS), flags(), None, None).map_err(fail)?;
    let who = e.accept.initiator_name.ok_or("no initiator")?;
    if heimdal() {
        // Heimdal 7.8's krb5 mechanism has no naming extensions: the glue says UNAVAILABLE
        // for each call, and the rest of this test (MIT's attributes) has nothing to run on.
        let err = rfc6680::inquire_name(&who).unwrap_err();
        check!(err.is(ErrorKind::OperationUnavailable), "{err:?}");
        let err = rfc6680::display_name_ext(&who, &name_type::KERBEROS_PRINCIPAL).unwrap_err();
        check!(err.is(ErrorKind::OperationUnavailable), "{err:?}");
        eprintln!(
            "rfc6680_naming_extensions: attribute checks skipped on Heimdal (no RFC 6680 in its krb5 mechanism)"
        );
        return Ok(());
    }
    let info = rfc6680::inquire_name(&who).map_err(fail)?;
    check!(info.is_mech_name);
    check!(
        info.mech.as_ref() == Some(&mech_type::KERBEROS),
        "{:?}",
        info.mech
    );
    for attr in info.attrs.iter() {
        let value = rfc6680::get_name_attribute(&who, attr).map_err(fail)?;
        check!(value.values.len() == value.display_values.len());
    }
    let text = rfc6680::display_name_ext(&who, &name_type::KERBEROS_PRINCIPAL).map_err(fail)?;
    check!(&*text == realm().user_principal().as_bytes());
    let composite = rfc6680::export_name_composite(&who).map_err(fail)?;
    check!(!composite.is_empty());
    let back = name::import_name(&composite, Some(&name_type::COMPOSITE_EXPORT)).map_err(fail)?;
    let back = name::canonicalize_name(&back, &mech_type::KERBEROS).map_err(fail)?;
    check!(name::compare_name(&back, &who).map_err(fail)?);
    // Setting an attribute: MIT's krb5 names accept only attributes a plugin knows, and no
    // plugin knows this one: UNAVAILABLE.
    let mut named = name::duplicate_name(&who).map_err(fail)?;
    let attr: &[u8] = b"urn:example:test-attribute";
    let err = rfc6680::set_name_attribute(&mut named, attr, &[b"one", b"two"], true).unwrap_err();
    check!(err.is(ErrorKind::OperationUnavailable), "{err:?}");
    let err = rfc6680::get_name_attribute(&who, b"urn:example:absent").unwrap_err();
    check!(err.is(ErrorKind::OperationUnavailable), "{err:?}");
    Ok(())
}

pub(crate) fn localname_and_userok() -> TestResult {
    let user = name::import_name(
        realm().user_principal().as_bytes(),
        Some(&name_type::KERBEROS_PRINCIPAL),
    )
    .map_err(fail)?;
    let local = localname::localname(&user, Some(&mech_type::KERBEROS)).map_err(fail)?;
    check!(&*local == b"user", "{:?}", String::from_utf8_lossy(&local));
    // userok is the library's policy (MIT: .k5login, then auth_to_local and an existing
    // account); it must never let a principal in as another account.
    let nobody = name::import_name(
        format!("nobody@{}", realm().realm_name()).as_bytes(),
        Some(&name_type::KERBEROS_PRINCIPAL),
    )
    .map_err(fail)?;
    check!(!localname::userok(&nobody, "root").map_err(fail)?);
    check!(!localname::userok(&user, "root").map_err(fail)?);
    check!(!localname::userok(&user, "nobody").map_err(fail)?);
    let err = localname::userok(&user, "us\0er").unwrap_err();
    check!(err.origin() == gssapi_raw::Origin::Input);
    let account = name::import_name(b"nobody", Some(&name_type::USER)).map_err(fail)?;
    let root = name::import_name(b"root", Some(&name_type::USER)).map_err(fail)?;
    // Never authorized as another account. Both libraries' krb5 mechanisms answer only from
    // a name's local-login-user attribute and say UNAVAILABLE without one.
    for (who, as_account) in [(&nobody, &root), (&user, &account)] {
        match localname::authorize_localname(who, as_account) {
            Ok(ok) => check!(!ok),
            Err(e) => check!(e.is(ErrorKind::OperationUnavailable), "{e:?}"),
        }
    }
    // A name from another realm has no local mapping.
    let stranger = name::import_name(b"eve@OTHER.REALM", Some(&name_type::KERBEROS_PRINCIPAL))
        .map_err(fail)?;
    let err = localname::localname(&stranger, Some(&mech_type::KERBEROS)).unwrap_err();
    // Both: UNAVAILABLE (MIT adds ENOENT: no auth_to_local rule, no .k5login).
    let minor = if heimdal() { 0 } else { 2 };
    check!(
        err.is(ErrorKind::OperationUnavailable) && err.minor() == minor,
        "{err:?}"
    );
    Ok(())
}
