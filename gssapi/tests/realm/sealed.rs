//! Sealed export and import (issue 7): only what was sealed under the key opens, and nothing
//! else reaches the library's importers.

use crate::{TestResult, check, fail, handshake, realm};
use gssapi::{CredUsage, Credentials, Error, Flags, Name, SealingKey, SecurityContext};

fn unsealed(result: Result<impl std::fmt::Debug, Error>, what: &str) -> TestResult {
    match result {
        Err(Error::Unsealed { .. }) => Ok(()),
        other => Err(format!("{what}: expected Unsealed, got {other:?}").into()),
    }
}

pub(crate) fn sealed_contexts_and_credentials() -> TestResult {
    let key = SealingKey::generate();
    let other = SealingKey::from_bytes([7; 32]);
    check!(format!("{key:?}") == "SealingKey(..)");
    check!(SealingKey::from_bytes(*key.as_bytes()).as_bytes() == key.as_bytes());

    // A context round trip.
    let flags = Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG;
    let (mut c, mut s, _) = handshake(None, flags, None).map_err(fail)?;
    let sealed = s.export_sealed(&key).map_err(fail)?;
    check!(s.encrypt(b"x").is_err(), "the exported context is gone");
    let mut moved = SecurityContext::import_sealed(&key, &sealed).map_err(fail)?;
    let msg = c.encrypt(b"through a sealed export").map_err(fail)?;
    check!(&*moved.decrypt(&msg).map_err(fail)? == b"through a sealed export");

    // Everything else is refused before the library parses it.
    unsealed(SecurityContext::import_sealed(&other, &sealed), "other key")?;
    for cut in 0..sealed.len() {
        unsealed(SecurityContext::import_sealed(&key, &sealed[..cut]), "cut")?;
    }
    for i in 0..sealed.len() {
        let mut flipped = sealed.clone();
        flipped[i] ^= 0x01;
        unsealed(SecurityContext::import_sealed(&key, &flipped), "flipped")?;
    }
    unsealed(
        SecurityContext::import_sealed(&key, b"GSR1 not really"),
        "garbage",
    )?;

    // Credentials, and the two kinds never open as each other.
    let user = Name::kerberos_principal(&realm().user_principal()).map_err(fail)?;
    let creds = Credentials::builder()
        .name(&user)
        .password(realm().user_password().as_bytes())
        .usage(CredUsage::Initiate)
        .acquire()
        .map_err(fail)?;
    let sealed_creds = creds.export_sealed(&key).map_err(fail)?;
    let back = Credentials::import_sealed(&key, &sealed_creds).map_err(fail)?;
    check!(back.name().map_err(fail)? == user);
    unsealed(
        Credentials::import_sealed(&key, &sealed),
        "a context as credentials",
    )?;
    unsealed(
        SecurityContext::import_sealed(&key, &sealed_creds),
        "credentials as a context",
    )?;
    unsealed(
        Credentials::import_sealed(&other, &sealed_creds),
        "other key",
    )?;
    // Two seals of the same token differ (a fresh nonce each).
    check!(creds.export_sealed(&key).map_err(fail)? != sealed_creds);
    Ok(())
}
