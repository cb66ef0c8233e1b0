//! Delegated credentials, as a web front end uses them (the Flask s4u2proxy seed): the client
//! delegates, the front end stores the credentials into a per-request `MEMORY:` ccache, and
//! code that knows only that ccache name reaches a second service as the user.
//!
//! `cargo run -p gssapi-rs --example delegation`.

use gssapi::{Flags, Mechanism, Name, SecurityContext, TemporaryCcache};
use gssapi_testrealm::Realm;

fn establish(client: &mut SecurityContext, server: &mut SecurityContext) -> gssapi::Result<()> {
    let mut token = client.step(None)?;
    while let Some(t) = token.take() {
        if let Some(reply) = server.step(Some(&t))? {
            token = client.step(Some(&reply))?;
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let realm = Realm::new()?;
    for (key, value) in realm.env() {
        // SAFETY: single-threaded; nothing reads the environment concurrently.
        unsafe { std::env::set_var(key, value) };
    }
    // 1. The browser side: authenticate to the front end and delegate.
    let front = Name::hostbased_service(&realm.host_service())?;
    let mut browser = SecurityContext::initiator(&front)
        .flags(Flags::MUTUAL | Flags::DELEGATE)
        .build();
    let mut front_end = SecurityContext::acceptor(None).build();
    establish(&mut browser, &mut front_end)?;
    let user = front_end.initiator_name()?;
    println!(
        "front end: {user} authenticated; delegated: {}",
        front_end.is_delegated()?
    );

    // 2. The front end keeps the delegated credentials in a ccache of this request only
    //    (a uniquely named MEMORY: ccache, destroyed when `ccache` goes out of scope).
    let delegated = front_end
        .delegated_credentials()?
        .ok_or("the client did not delegate")?;
    let ccache = TemporaryCcache::new();
    let stored = delegated
        .store()
        .into_store(ccache.cred_store())
        .mech(&Mechanism::KERBEROS)
        .run()?;
    println!(
        "front end: stored the user's credentials in {} ({} mechanism(s))",
        ccache.name(),
        stored.len()
    );

    // 3. Later code gets the credentials from that ccache alone, and calls the back end.
    let as_user = ccache.credentials()?;
    let back = Name::hostbased_service(&realm.http_service())?;
    let mut call = SecurityContext::initiator(&back)
        .credentials(&as_user)
        .build();
    let mut back_end = SecurityContext::acceptor(None).build();
    establish(&mut call, &mut back_end)?;
    println!(
        "back end ({}): the request came from {}",
        back,
        back_end.initiator_name()?
    );
    assert_eq!(back_end.initiator_name()?, user);
    Ok(())
}
