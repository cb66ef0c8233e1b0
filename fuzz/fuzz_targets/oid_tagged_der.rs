//! Tagged DER OIDs as SSH and SPNEGO carry them (`Oid::split_tagged_der`): never a panic, and
//! whatever parses encodes back to the same bytes.
#![no_main]

use gssapi_raw::Oid;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    while let Ok((oid, after)) = Oid::split_tagged_der(rest) {
        let consumed = &rest[..rest.len() - after.len()];
        assert_eq!(oid.to_tagged_der(), consumed, "not a round trip");
        assert_eq!(Oid::from_tagged_der(consumed).ok().as_ref(), Some(&oid));
        // The arcs, where they fit in u64, rebuild the same OID (up to the minimal encoding),
        // and the dotted text parses back to it.
        if let Some(arcs) = oid.arcs() {
            let rebuilt = Oid::from_int_seq(&arcs).expect("arcs from a parsed OID");
            assert_eq!(rebuilt.arcs().as_ref(), Some(&arcs));
            assert_eq!(oid.to_string().parse::<Oid>().ok(), Some(rebuilt));
        }
        rest = after;
    }
});
