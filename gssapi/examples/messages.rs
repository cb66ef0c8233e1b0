//! Per-message protection after a handshake: wrap with and without encryption, encrypt and
//! decrypt, MICs, size limits, and what replay detection does with a replayed message.
//!
//! `cargo run -p gssapi-rs --example messages`.

use gssapi::Protection;
use gssapi::{Error, Flags, Name, SecurityContext};
use gssapi_testrealm::Realm;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let realm = Realm::new()?;
    for (key, value) in realm.env() {
        // SAFETY: single-threaded; nothing reads the environment concurrently.
        unsafe { std::env::set_var(key, value) };
    }
    let target = Name::hostbased_service(&realm.host_service())?;
    let mut alice = SecurityContext::initiator(&target)
        .flags(Flags::MUTUAL | Flags::REPLAY | Flags::SEQUENCE | Flags::CONF | Flags::INTEG)
        .build();
    let mut bob = SecurityContext::acceptor(None).build();
    let mut token = alice.step(None)?;
    while let Some(t) = token.take() {
        if let Some(reply) = bob.step(Some(&t))? {
            token = alice.step(Some(&reply))?;
        }
    }
    println!("alice and bob share a context ({})", alice.mech()?);

    let signed = alice.wrap(b"readable by anyone, tamper-evident", Protection::Sign)?;
    let opened = bob.unwrap(&signed.message)?;
    println!(
        "wrap without encryption: {} bytes, encrypted={}; bob reads {:?} (encrypted={})",
        signed.message.len(),
        signed.encrypted,
        String::from_utf8_lossy(&opened.message),
        opened.encrypted
    );

    let sealed = alice.encrypt(b"for bob only")?;
    println!(
        "encrypt: {} bytes; bob decrypts {:?}",
        sealed.len(),
        String::from_utf8_lossy(&bob.decrypt(&sealed)?)
    );

    // decrypt() insists on confidentiality: a signed-only message is refused.
    let signed = alice.wrap(b"not secret", Protection::Sign)?;
    match bob.decrypt(&signed.message) {
        Err(e @ Error::NotEncrypted { .. }) => println!("decrypt of a signed-only message: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    let mic = bob.get_mic(b"bob agrees")?;
    alice.verify_mic(b"bob agrees", &mic)?;
    println!(
        "MIC: {} bytes over \"bob agrees\", verified by alice",
        mic.len()
    );
    match alice.verify_mic(b"bob disagrees", &bob.get_mic(b"bob agrees")?) {
        Err(e) => println!("MIC over different bytes: {e}"),
        Ok(()) => println!("unexpected: a MIC over other bytes verified"),
    }

    let limit = alice.wrap_size_limit(1400, Protection::Encrypt)?;
    println!("the largest message that encrypts into a 1400-byte packet: {limit} bytes");

    let once = alice.encrypt(b"pay 10 EUR")?;
    bob.decrypt(&once)?;
    match bob.decrypt(&once) {
        Err(e) => println!("the same token again (a replay): {e}"),
        Ok(_) => println!("unexpected: a replay was accepted"),
    }
    Ok(())
}
