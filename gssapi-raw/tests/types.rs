//! OIDs, OID sets, flags, address types and channel bindings, without a realm.

use gssapi_raw::{
    AddressType, Buffer, ChannelBindings, CredUsage, ErrorKind, Flags, Oid, OidSet, Origin,
    mech_type, name_type, sys,
};
use std::collections::HashSet;

#[test]
fn oid_round_trips_between_der_dotted_and_arcs() {
    let krb5 = Oid::from_der(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02]).unwrap();
    assert_eq!(krb5.dotted_form(), "1.2.840.113554.1.2.2");
    assert_eq!(krb5.to_string(), "1.2.840.113554.1.2.2");
    assert_eq!(krb5, mech_type::KERBEROS);
    assert_eq!(krb5.arcs().unwrap(), vec![1, 2, 840, 113554, 1, 2, 2]);
    assert_eq!("1.2.840.113554.1.2.2".parse::<Oid>().unwrap(), krb5);
    assert_eq!(
        Oid::from_int_seq(&[1, 2, 840, 113554, 1, 2, 2]).unwrap(),
        krb5
    );
    assert_eq!(krb5.well_known_name(), Some("GSS_MECH_KRB5"));
    assert!(format!("{krb5:?}").contains("GSS_MECH_KRB5"));
    // Arcs of the first byte: 2.x may exceed 39.
    let big = Oid::from_int_seq(&[2, 999, 3]).unwrap();
    assert_eq!(big.dotted_form(), "2.999.3");
    assert_eq!(big.as_bytes(), &[0x88, 0x37, 0x03]);
    let huge = Oid::from_int_seq(&[1, 3, u64::MAX]).unwrap();
    assert_eq!(huge.arcs().unwrap()[2], u64::MAX);
}

#[test]
fn every_well_known_oid_matches_its_dotted_form() {
    for (name, dotted, der) in sys::oids::ALL {
        let from_dotted: Oid = dotted.parse().unwrap();
        assert_eq!(from_dotted.as_bytes(), *der, "{name}");
        assert_eq!(Oid::from_der(der).unwrap().dotted_form(), *dotted, "{name}");
    }
    assert_eq!(
        name_type::HOSTBASED_SERVICE.dotted_form(),
        "1.2.840.113554.1.2.1.4"
    );
    assert_eq!(name_type::USER.dotted_form(), "1.2.840.113554.1.2.1.1");
    assert_eq!(
        name_type::MACHINE_UID.dotted_form(),
        "1.2.840.113554.1.2.1.2"
    );
    assert_eq!(
        name_type::STRING_UID.dotted_form(),
        "1.2.840.113554.1.2.1.3"
    );
    assert_eq!(name_type::ANONYMOUS.dotted_form(), "1.3.6.1.5.6.3");
    assert_eq!(name_type::EXPORT.dotted_form(), "1.3.6.1.5.6.4");
    assert_eq!(name_type::COMPOSITE_EXPORT.dotted_form(), "1.3.6.1.5.6.6");
    assert_eq!(
        name_type::KERBEROS_PRINCIPAL.dotted_form(),
        "1.2.840.113554.1.2.2.1"
    );
    assert_eq!(mech_type::SPNEGO.dotted_form(), "1.3.6.1.5.5.2");
}

#[test]
fn tagged_der_oids_for_ssh_and_spnego() {
    // 06 09 2a 86 48 86 f7 12 01 02 02: Kerberos as SSH and SPNEGO carry it.
    let tagged = mech_type::KERBEROS.to_tagged_der();
    assert_eq!(tagged[..2], [0x06, 0x09]);
    assert_eq!(&tagged[2..], mech_type::KERBEROS.as_bytes());
    assert_eq!(Oid::from_tagged_der(&tagged).unwrap(), mech_type::KERBEROS);
    // A list, read one by one.
    let mut list = tagged.clone();
    list.extend_from_slice(&mech_type::SPNEGO.to_tagged_der());
    let (first, rest) = Oid::split_tagged_der(&list).unwrap();
    let (second, rest) = Oid::split_tagged_der(rest).unwrap();
    assert_eq!(
        (first, second),
        (mech_type::KERBEROS.clone(), mech_type::SPNEGO.clone())
    );
    assert!(rest.is_empty());
    // A long OID takes the long length form, and comes back.
    let long = Oid::from_der(&[0x2a; 200]).unwrap();
    let enc = long.to_tagged_der();
    assert_eq!(enc[..3], [0x06, 0x81, 200]);
    assert_eq!(Oid::from_tagged_der(&enc).unwrap(), long);
    // Every bad shape is a typed input error, never a panic.
    let bad: &[&[u8]] = &[
        &[],
        &[0x06],
        &[0x04, 0x01, 0x2a],          // not an OID tag
        &[0x06, 0x02, 0x2a],          // shorter than its length
        &[0x06, 0x00],                // empty value
        &[0x06, 0x01, 0x86],          // last arc cut short
        &[0x06, 0x81, 0x01, 0x2a],    // long form for a short length
        &[0x06, 0x85, 1, 1, 1, 1, 1], // a five-byte length
        &[0x06, 0x82, 0x00, 0x80],    // a leading zero
        &[0x06, 0x01, 0x2a, 0x00],    // trailing bytes (from_tagged_der)
    ];
    for b in bad {
        let err = Oid::from_tagged_der(b).unwrap_err();
        assert_eq!(err.origin(), gssapi_raw::Origin::Input, "{b:02x?}: {err:?}");
    }
    // from_der takes the value only: a tagged encoding is not the same OID.
    assert_ne!(Oid::from_der(&tagged).unwrap(), mech_type::KERBEROS);
}

#[test]
fn bad_oids_are_typed_errors() {
    for bad in [
        "",
        "1",
        "1.",
        ".1",
        "1..2",
        "a.b",
        "1.2.x",
        "3.1",
        "1.40",
        "-1.2",
        "1.2.99999999999999999999999",
    ] {
        let err = bad.parse::<Oid>().unwrap_err();
        assert_eq!(err.origin(), Origin::Input, "{bad:?}");
        assert!(err.is(ErrorKind::MalformedParameter), "{bad:?}");
    }
    assert!(Oid::from_der(&[]).is_err());
    assert!(Oid::from_der(&[0x2a, 0x86]).is_err());
    assert!(Oid::from_int_seq(&[1]).is_err());
}

#[test]
fn oids_hash_and_compare_by_value() {
    let owned = Oid::from_der(&[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x99, 0x01]).unwrap();
    let clone = owned.clone();
    assert_eq!(owned, clone);
    let mut set = HashSet::new();
    set.insert(owned.clone());
    set.insert(clone);
    set.insert(mech_type::KERBEROS.clone());
    assert_eq!(set.len(), 2);
    assert!(mech_type::KERBEROS < mech_type::SPNEGO || mech_type::SPNEGO < mech_type::KERBEROS);
}

#[test]
fn oid_sets_insert_contain_and_iterate() {
    let mut set = OidSet::new().unwrap();
    assert!(set.is_empty());
    set.insert(&mech_type::KERBEROS).unwrap();
    set.insert(&mech_type::KERBEROS).unwrap();
    set.insert(&mech_type::SPNEGO).unwrap();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&mech_type::SPNEGO));
    assert!(!set.contains(&mech_type::IAKERB));
    assert_eq!(
        set.to_vec(),
        vec![mech_type::KERBEROS.clone(), mech_type::SPNEGO.clone()]
    );
    let copy = set.clone();
    assert_eq!(copy, set);
    let collected: OidSet = vec![mech_type::SPNEGO.clone(), mech_type::KERBEROS.clone()]
        .into_iter()
        .collect();
    assert_eq!(collected, set);
    assert!(format!("{set:?}").contains("1.3.6.1.5.5.2"));
}

#[test]
fn flags_have_the_values_of_python_gssapi() {
    let table = [
        (Flags::DELEGATE, 1),
        (Flags::MUTUAL, 2),
        (Flags::REPLAY, 4),
        (Flags::SEQUENCE, 8),
        (Flags::CONF, 16),
        (Flags::INTEG, 32),
        (Flags::ANON, 64),
        (Flags::PROT_READY, 128),
        (Flags::TRANS, 256),
        (Flags::DELEG_POLICY, 32768),
        (Flags::CHANNEL_BOUND, 2048),
        (Flags::DCE_STYLE, 4096),
        (Flags::IDENTIFY, 8192),
        (Flags::EXTENDED_ERROR, 16384),
    ];
    for (flag, value) in table {
        assert_eq!(flag.bits(), value);
    }
    // Unknown bits a library returns are kept, not dropped.
    assert_eq!(Flags::from_bits_retain(1 << 20).bits(), 1 << 20);
}

#[test]
fn address_types_have_the_values_of_python_gssapi() {
    let table = [
        (AddressType::Local, 1),
        (AddressType::Ip, 2),
        (AddressType::Arpanet, 3),
        (AddressType::Pup, 4),
        (AddressType::Chaos, 5),
        (AddressType::XeroxNs, 6),
        (AddressType::Nbs, 7),
        (AddressType::Ecma, 8),
        (AddressType::Datakit, 9),
        (AddressType::Ccitt, 10),
        (AddressType::IbmSna, 11),
        (AddressType::Decnet, 12),
        (AddressType::Dli, 13),
        (AddressType::Lat, 14),
        (AddressType::Hyperchannel, 15),
        (AddressType::Appletalk, 16),
        (AddressType::Bisync, 17),
        (AddressType::Dss, 18),
        (AddressType::OsiTp4, 19),
        (AddressType::Netbios, 20),
        (AddressType::X25, 21),
        (AddressType::Null, 255),
    ];
    for (kind, value) in table {
        assert_eq!(u32::from(kind), value);
        assert_eq!(AddressType::try_from(value).unwrap(), kind);
    }
    assert!(AddressType::try_from(0u32).is_err());
    assert!(AddressType::try_from(22u32).is_err());
    assert_eq!(i32::from(CredUsage::Accept), sys::GSS_C_ACCEPT);
}

#[test]
fn channel_bindings_keep_their_parts() {
    let cb = ChannelBindings::new(b"app".to_vec())
        .with_initiator(AddressType::Ip, vec![127, 0, 0, 1])
        .with_acceptor(AddressType::Local, b"sock".to_vec());
    assert_eq!(cb.initiator_address_type(), Some(AddressType::Ip));
    assert_eq!(cb.initiator_address(), &[127, 0, 0, 1]);
    assert_eq!(cb.acceptor_address_type(), Some(AddressType::Local));
    assert_eq!(cb.acceptor_address(), b"sock");
    assert_eq!(cb.application_data(), b"app");
    let plain = ChannelBindings::new(Vec::new());
    assert_eq!(plain.initiator_address_type(), None);
    assert!(plain.initiator_address().is_empty());
}

#[test]
fn empty_buffers_are_empty_slices() {
    let b = Buffer::default();
    assert!(b.is_empty());
    assert_eq!(b.as_desc().length, 0);
    assert!(b.into_vec().is_empty());
}
