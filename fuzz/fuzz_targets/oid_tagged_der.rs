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
        // Display and the arcs are total on anything that parsed.
        let _shown = oid.to_string();
        rest = after;
    }
});
