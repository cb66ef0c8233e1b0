//! The project's main job: a throwaway Kerberos realm and a narrated tour of the high-level API
//! (Kerberos and SPNEGO handshakes, mutual authentication, delegation to a second service,
//! wrap/unwrap, MIC, context export/import, and what misuse and bad input look like).
//!
//! `cargo run -p gssapi-rs --example demo` (after `ci/install-deps.sh`), or `bash ci/demo.sh`.

use gssapi::{CredUsage, Credentials, Flags, Mechanism, Name, SecurityContext};
use gssapi_testrealm::Realm;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn hex_prefix(b: &[u8]) -> String {
    let shown: String = b.iter().take(12).map(|x| format!("{x:02x}")).collect();
    format!(
        "{shown}{} ({} bytes)",
        if b.len() > 12 { "…" } else { "" },
        b.len()
    )
}

/// Runs the exchange, printing each token as it crosses the "wire".
fn establish(client: &mut SecurityContext, server: &mut SecurityContext) -> Res<()> {
    let mut to_server = client.step(None)?;
    while let Some(token) = to_server.take() {
        println!("    client -> server  {}", hex_prefix(&token));
        if let Some(reply) = server.step(Some(&token))? {
            println!("    server -> client  {}", hex_prefix(&reply));
            to_server = client.step(Some(&reply))?;
        }
    }
    Ok(())
}

fn main() -> Res<()> {
    println!("== A throwaway realm");
    let realm = Realm::new()?;
    println!(
        "  realm {} with krb5kdc on 127.0.0.1:{} in {}",
        realm.realm_name(),
        realm.kdc_port(),
        realm.dir().display()
    );
    // This program has one thread here: point the library at the realm.
    for (key, value) in realm.env() {
        set_env_before_threads(&key, &value);
    }
    let mechs: Vec<String> = Mechanism::all()?.iter().map(|m| m.to_string()).collect();
    println!(
        "  library: {} {}, mechanisms: {}",
        gssapi::raw::sys::implementation().map_or("none", |i| i.as_str()),
        gssapi::raw::sys::library_version(),
        mechs.join(", ")
    );

    let me = Credentials::acquire(CredUsage::Initiate)?;
    println!(
        "  initiator credentials: {} ({} s left)",
        me.name()?,
        me.lifetime()?.unwrap_or(0)
    );
    let host = Name::hostbased_service(&realm.host_service())?;
    let server_creds = Credentials::builder()
        .name(&host)
        .usage(CredUsage::Accept)
        .acquire()?;
    println!(
        "  acceptor credentials: {} (from the keytab {})",
        server_creds.name()?,
        realm.keytab()
    );

    for (title, mech, extra) in [
        (
            "Kerberos with mutual authentication",
            Mechanism::KERBEROS,
            Flags::empty(),
        ),
        (
            "SPNEGO with mutual authentication and delegation",
            Mechanism::SPNEGO,
            Flags::DELEGATE,
        ),
    ] {
        println!("\n== {title}, to {host}");
        let mut client = SecurityContext::initiator(&host)
            .mech(&mech)
            .credentials(&me)
            .flags(
                Flags::MUTUAL
                    | Flags::SEQUENCE
                    | Flags::REPLAY
                    | Flags::CONF
                    | Flags::INTEG
                    | extra,
            )
            .build();
        let mut server = SecurityContext::acceptor(Some(&server_creds)).build();
        establish(&mut client, &mut server)?;
        println!(
            "  established: mechanism {}, server sees {}, client talks to {}",
            client.mech()?,
            server.initiator_name()?,
            client.target_name()?
        );
        println!(
            "  granted flags {:?}; mutual: {}, lifetime {} s",
            client.flags()?,
            client.is_mutual()?,
            client.lifetime()?
        );

        let sealed = client.encrypt(b"hello, server")?;
        println!(
            "  encrypt \"hello, server\" -> {}; server decrypts {:?}",
            hex_prefix(&sealed),
            String::from_utf8_lossy(&server.decrypt(&sealed)?)
        );
        let mic = server.get_mic(b"signed reply")?;
        client.verify_mic(b"signed reply", &mic)?;
        println!(
            "  server MIC over \"signed reply\" -> {}; client verifies it",
            hex_prefix(&mic)
        );

        if let Some(delegated) = server.delegated_credentials()? {
            println!(
                "  server received delegated credentials for {}",
                delegated.name()?
            );
            let http = Name::hostbased_service(&realm.http_service())?;
            let mut hop = SecurityContext::initiator(&http)
                .credentials(&delegated)
                .build();
            let mut http_server = SecurityContext::acceptor(None).build();
            establish(&mut hop, &mut http_server)?;
            println!(
                "  second hop: the server authenticates to {} as {}",
                http,
                http_server.initiator_name()?
            );
        }

        let exported = server.export()?;
        let mut moved = SecurityContext::import(&exported)?;
        let sealed = client.encrypt(b"after the move")?;
        println!(
            "  exported the server context ({} bytes), imported it again; it decrypts {:?}",
            exported.len(),
            String::from_utf8_lossy(&moved.decrypt(&sealed)?)
        );
        match server.encrypt(b"x") {
            Err(e) => println!("  the exported original refuses further use: {e}"),
            Ok(_) => println!("  unexpected: the exported context still works"),
        }
    }

    println!("\n== Misuse and bad input, caught");
    let mut early = SecurityContext::initiator(&host).build();
    if let Err(e) = early.encrypt(b"too soon") {
        println!("  encrypt before the handshake: {e}");
    }
    let mut server = SecurityContext::acceptor(Some(&server_creds)).build();
    if let Err(e) = server.step(Some(b"\x60\x40\x06\x09 not a token")) {
        println!("  a garbage token: {e}");
        println!(
            "    (python-gssapi would raise {})",
            e.kind().map_or("-", |k| k.python_name())
        );
    }
    let nobody = Name::hostbased_service("nosuch@localhost")?;
    let mut lost = SecurityContext::initiator(&nobody).build();
    if let Err(e) = lost.step(None) {
        println!("  a service the KDC does not know: {e}");
    }
    println!(
        "\n== Done: dropping the realm stops the KDC and removes {}",
        realm.dir().display()
    );
    Ok(())
}

/// Sets one environment variable. The demo calls it before starting any thread.
fn set_env_before_threads(key: &str, value: &str) {
    // SAFETY: the demo is single-threaded when this runs; nothing reads the environment
    // concurrently.
    unsafe { std::env::set_var(key, value) };
}
