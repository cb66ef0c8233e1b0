//! The project's demo until the high-level crate exists: a throwaway Kerberos realm, then a
//! full Kerberos and SPNEGO exchange through gssapi-raw, printing what happens at each step.
//!
//! Run it with `cargo run -p gssapi-raw --example raw_handshake` (after `ci/install-deps.sh`).

use gssapi_raw::context::{self, InitSecContext};
use gssapi_raw::{
    CredUsage, Error, Flags, Name, Oid, SecContext, cred, mech_type, message, name, name_type,
};
use gssapi_testrealm::Realm;

fn shown(n: &Name) -> String {
    name::display_name(n)
        .map(|d| String::from_utf8_lossy(&d.name).into_owned())
        .unwrap_or_else(|e| format!("<{e}>"))
}

fn exchange(mech: &Oid, target: &Name, flags: Flags) -> Result<(SecContext, SecContext), Error> {
    let (mut client, mut server) = (SecContext::new(), SecContext::new());
    let mut step: InitSecContext = context::init_sec_context(
        None,
        &mut client,
        target,
        Some(mech),
        flags,
        None,
        None,
        None,
    )?;
    println!(
        "  initiator -> {} byte token (complete: {})",
        step.token.len(),
        step.complete
    );
    loop {
        let reply = context::accept_sec_context(&mut server, None, &step.token, None)?;
        println!(
            "  acceptor  -> {} byte token (complete: {}, initiator {})",
            reply.token.len(),
            reply.complete,
            reply.initiator_name.as_ref().map_or("?".into(), shown)
        );
        if let Some(delegated) = &reply.delegated_creds {
            let info = cred::inquire_cred(Some(delegated))?;
            println!(
                "  acceptor received delegated credentials for {}",
                info.name.as_ref().map_or("?".into(), shown)
            );
        }
        if reply.token.is_empty() {
            break;
        }
        step = context::init_sec_context(
            None,
            &mut client,
            target,
            Some(mech),
            flags,
            None,
            None,
            Some(&reply.token),
        )?;
        println!(
            "  initiator -> {} byte token (complete: {})",
            step.token.len(),
            step.complete
        );
        if step.complete && step.token.is_empty() {
            break;
        }
    }
    let info = context::inquire_context(&client)?;
    println!(
        "  established: mech {}, granted flags {:?}, lifetime {:?} s",
        info.mech.map_or("?".into(), |m| m.to_string()),
        info.flags,
        info.lifetime
    );
    Ok((client, server))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("starting a throwaway realm (krb5kdc on loopback)...");
    let realm = Realm::new()?;
    println!(
        "realm {} with KDC on 127.0.0.1:{}; user {} has a ticket in {}",
        realm.realm_name(),
        realm.kdc_port(),
        realm.user_principal(),
        realm.user_ccache()
    );
    // This example owns its process and has one thread: set the environment the library reads.
    for (key, value) in realm.env() {
        // SAFETY: single-threaded at this point; nothing else reads the environment.
        unsafe { std::env::set_var(key, value) };
    }
    println!(
        "GSSAPI library: {} {}",
        gssapi_raw::sys::implementation().map_or("none", |i| i.as_str()),
        gssapi_raw::sys::library_version()
    );

    let creds = cred::acquire_cred(None, None, None, CredUsage::Initiate)?;
    let who = cred::inquire_cred(Some(&creds.creds))?;
    println!(
        "initiator credentials: {} ({:?} s left)",
        who.name.as_ref().map_or("?".into(), shown),
        who.lifetime
    );

    let target = name::import_name(
        realm.host_service().as_bytes(),
        Some(&name_type::HOSTBASED_SERVICE),
    )?;
    let flags = Flags::MUTUAL | Flags::REPLAY | Flags::SEQUENCE | Flags::CONF | Flags::INTEG;
    for (label, mech, extra) in [
        (
            "Kerberos, mutual auth",
            &mech_type::KERBEROS,
            Flags::empty(),
        ),
        (
            "SPNEGO, mutual auth and delegation",
            &mech_type::SPNEGO,
            Flags::DELEGATE,
        ),
    ] {
        println!("\n{label} to {}:", realm.host_service());
        let (mut client, mut server) = exchange(mech, &target, flags | extra)?;
        let sealed = message::wrap(&mut client, b"hello from the initiator", true, None)?;
        let opened = message::unwrap(&mut server, &sealed.message)?;
        println!(
            "  wrap: {} bytes -> {} byte token, encrypted: {}; unwrap: {:?}",
            24,
            sealed.message.len(),
            sealed.encrypted,
            String::from_utf8_lossy(&opened.message)
        );
        let mic = message::get_mic(&mut server, b"signed reply", None)?;
        message::verify_mic(&mut client, b"signed reply", &mic)?;
        println!("  MIC: {} byte token verified by the initiator", mic.len());
        let exported = context::export_sec_context(&mut server)?;
        let mut imported = context::import_sec_context(&exported)?;
        let sealed = message::wrap(&mut client, b"after export", true, None)?;
        let opened = message::unwrap(&mut imported, &sealed.message)?;
        println!(
            "  export/import: {} byte context token; imported context unwraps {:?}",
            exported.len(),
            String::from_utf8_lossy(&opened.message)
        );
    }

    println!("\na bad token, for contrast:");
    let mut server = SecContext::new();
    match context::accept_sec_context(&mut server, None, b"\x60\x40\x06\x09", None) {
        Ok(_) => println!("  unexpectedly accepted"),
        Err(e) => println!("  {} ({})", e, e.kind()),
    }
    println!("\ndone; the realm is removed on exit");
    Ok(())
}
