//! gssapi::ssh's parsers of peer input: mechanism OIDs and OID lists, the gssapi-with-mic
//! request and messages, the KEXGSS messages, and the gss-keyex algorithm names. Never a
//! panic; lists within the limit; what parses encodes back to the same bytes.
#![no_main]

use gssapi::ssh::{
    KexGss, Limits, UserauthGssapi, UserauthRequest, encode_mech, encode_mech_list, parse_mech,
    parse_mech_list, parse_kex_algorithm_name,
};
use gssapi::Mechanism;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Header: one byte of limits (max mechanisms 0..=15, max string 0..=4095 bytes, or the
    // defaults), then the message.
    let [l, input @ ..] = data else { return };
    let limits = if *l == 0 {
        Limits::default()
    } else {
        Limits {
            max_mechs: usize::from(*l & 0x0f),
            max_string: usize::from(*l) << 4,
        }
    };

    if let Ok(mech) = parse_mech(input) {
        assert_eq!(encode_mech(&mech).expect("a parsed OID encodes"), input);
    }
    if let Ok(mechs) = parse_mech_list(input, &limits) {
        assert!(!mechs.is_empty() && mechs.len() <= limits.max_mechs);
        assert_eq!(encode_mech_list(&mechs).expect("a parsed list encodes"), input);
    }
    if let Ok(request) = UserauthRequest::parse(input, &limits) {
        assert!(request.user.len() <= limits.max_string);
        assert_eq!(request.to_bytes().expect("a parsed request encodes"), input);
    }
    if let Ok(msg) = UserauthGssapi::parse(input, &limits) {
        assert_eq!(msg.to_bytes().expect("a parsed message encodes"), input);
    }
    if let Ok(msg) = KexGss::parse(input, &limits) {
        assert_eq!(msg.to_bytes(), input);
    }
    if let Ok(name) = std::str::from_utf8(input) {
        let mechs = [Mechanism::KERBEROS, Mechanism::SPNEGO];
        if let Some((prefix, mech)) = parse_kex_algorithm_name(name, &mechs) {
            assert_eq!(
                gssapi::ssh::kex_algorithm_name(prefix, mech).expect("a name"),
                name
            );
        }
    }
});
