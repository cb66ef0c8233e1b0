//! Exported names (RFC 2743 section 3.2) from an untrusted peer: gssapi-raw checks the layout
//! exactly, then the library imports what passed. Nothing may crash or read out of bounds
//! (the target runs under AddressSanitizer); what imports is displayed, exported and compared
//! to exercise the library's view of it.
#![no_main]

use gssapi_raw::{name, name_type};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imported) = name::import_name(data, Some(&name_type::EXPORT)) {
        // A name the library imported, it can display.
        name::display_name(&imported).expect("an imported name does not display");
        if let Ok(exported) = name::export_name(&imported) {
            // What the library exports must pass gssapi-raw's check on the way back in (the
            // library itself may still refuse it: MIT cannot re-import some IAKERB exports).
            match name::import_name(&exported, Some(&name_type::EXPORT)) {
                Ok(again) => {
                    name::compare_name(&again, &imported).expect("the names do not compare");
                }
                Err(err) => assert_ne!(
                    err.origin(),
                    gssapi_raw::Origin::Input,
                    "gssapi-raw refused the library's own export {:02x?}: {err}",
                    &*exported
                ),
            }
        }
    }
});
