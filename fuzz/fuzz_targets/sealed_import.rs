//! Sealed exports from storage or a peer nobody trusts: nothing opens without the key, so the
//! library's importers never see these bytes. Any success would be a forgery.
#![no_main]

use gssapi::{Credentials, Error, SealingKey, SecurityContext};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = SealingKey::from_bytes([0x42; 32]);
    match SecurityContext::import_sealed(&key, data) {
        Err(Error::Unsealed { .. }) => {}
        other => panic!("a random context token opened: {other:?}"),
    }
    match Credentials::import_sealed(&key, data) {
        Err(Error::Unsealed { .. }) => {}
        other => panic!("a random credentials token opened: {other:?}"),
    }
});
