//! `gss demo`: a throwaway realm and a narrated tour: Kerberos and SPNEGO handshakes with
//! mutual authentication, delegation to a second service, messages, then an HTTP Negotiate
//! request from `gss curl` to a `gss serve` started in the same realm.
//!
//! The realm's environment (krb5.conf, ccache, keytab) reaches the library only through
//! child processes: the demo runs itself again (`gss demo --steps`) for the in-process part,
//! and `gss serve` and `gss curl` as children, so this process never changes its own
//! environment.

use crate::exit::{Code, EXIT_CODES, Failure, Outcome};
use gssapi::{CredUsage, Credentials, Flags, Mechanism, Name, SecurityContext};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const EXAMPLES: &str = "\
Examples:
  gss demo        # needs krb5-kdc, krb5-admin-server, krb5-user (ci/install-deps.sh)";

/// Runs a throwaway Kerberos realm and shows GSSAPI and HTTP Negotiate working in it.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct DemoArgs {
    /// The in-realm part (run by `gss demo` itself in a child with the realm's environment).
    #[arg(long, hide = true)]
    steps: bool,
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn failure(what: &str) -> impl Fn(Box<dyn std::error::Error>) -> Failure + '_ {
    move |e| Failure::new(Code::Failure, format!("demo: {what}: {e}"))
}

/// Runs `gss demo`.
pub fn run(args: DemoArgs) -> Outcome {
    if args.steps {
        let host = std::env::var("GSS_DEMO_HOST_SERVICE").unwrap_or_default();
        let http = std::env::var("GSS_DEMO_HTTP_SERVICE").unwrap_or_default();
        steps(&host, &http).map_err(failure("the handshakes"))?;
        return Ok(Code::Success);
    }
    println!("== A throwaway realm");
    let realm = gssapi_testrealm::Realm::new().map_err(|e| {
        failure("starting the realm (are krb5-kdc and krb5-admin-server installed?)")(e.into())
    })?;
    println!(
        "  realm {} with krb5kdc on 127.0.0.1:{} in {}",
        realm.realm_name(),
        realm.kdc_port(),
        realm.dir().display()
    );
    let exe = std::env::current_exe().map_err(|e| failure("finding gss")(e.into()))?;
    let status = Command::new(&exe)
        .args(["demo", "--steps"])
        .envs(realm.env())
        .env("GSS_DEMO_HOST_SERVICE", realm.host_service())
        .env("GSS_DEMO_HTTP_SERVICE", realm.http_service())
        .status()
        .map_err(|e| failure("running the handshakes")(e.into()))?;
    if !status.success() {
        return Err(Failure::new(Code::Failure, "demo: the handshakes failed"));
    }
    http(&exe, &realm).map_err(failure("HTTP Negotiate"))?;
    println!(
        "\n== Done: dropping the realm stops the KDC and removes {}",
        realm.dir().display()
    );
    Ok(Code::Success)
}

/// A child killed by its PID and reaped when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `gss serve --dir` in the realm, then `gss curl -v --delegate` against it.
fn http(exe: &std::path::Path, realm: &gssapi_testrealm::Realm) -> Res<()> {
    println!("\n== HTTP Negotiate: gss curl against gss serve");
    let site = tempfile::tempdir()?;
    std::fs::write(site.path().join("index.html"), "hello from gss serve\n")?;
    let mut server = Guard(
        Command::new(exe)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--keytab",
                &realm.keytab(),
                "--dir",
            ])
            .arg(site.path())
            .envs(realm.env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?,
    );
    let stderr = server.0.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().ok_or("gss serve exited")??;
    let port: u16 = first
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .ok_or_else(|| format!("gss serve: {first}"))?;
    println!("  {first}");
    // The access log, as it comes.
    let log = std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            println!("  serve log: {line}");
        }
    });
    let url = format!("http://{}:{port}/index.html", realm.hostname());
    println!("  $ gss curl -v --delegate {url}");
    let out = Command::new(exe)
        .args(["curl", "-v", "--delegate", &url])
        .envs(realm.env())
        .stdin(Stdio::null())
        .output()?;
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        println!("  {line}");
    }
    print!("  body: {}", String::from_utf8_lossy(&out.stdout));
    // Let the log lines of the two requests arrive, then stop the server.
    std::thread::sleep(std::time::Duration::from_millis(200));
    drop(server);
    let _ = log.join();
    if !out.status.success() {
        return Err(format!("gss curl exited with {}", out.status).into());
    }
    Ok(())
}

fn hex_prefix(b: &[u8]) -> String {
    let shown: String = b.iter().take(12).map(|x| format!("{x:02x}")).collect();
    let more = if b.len() > 12 { "…" } else { "" };
    format!("{shown}{more} ({} bytes)", b.len())
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

/// The in-realm part: credentials, two handshakes, messages, delegation, a bad token.
fn steps(host_service: &str, http_service: &str) -> Res<()> {
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
    let host = Name::hostbased_service(host_service)?;
    let server_creds = Credentials::builder()
        .name(&host)
        .usage(CredUsage::Accept)
        .acquire()?;
    println!("  acceptor credentials: {}", server_creds.name()?);
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
            "  established: mechanism {}, server sees {}; mutual: {}",
            client.mech()?,
            server.initiator_name()?,
            client.is_mutual()?
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
            let http = Name::hostbased_service(http_service)?;
            let mut hop = SecurityContext::initiator(&http)
                .credentials(&delegated)
                .build();
            let mut http_server = SecurityContext::acceptor(None).build();
            establish(&mut hop, &mut http_server)?;
            println!(
                "  delegated credentials for {}: the server authenticates onward to {http} as {}",
                delegated.name()?,
                http_server.initiator_name()?
            );
        }
    }
    println!("\n== A bad token, caught");
    let mut server = SecurityContext::acceptor(Some(&server_creds)).build();
    if let Err(e) = server.step(Some(b"\x60\x40\x06\x09 not a token")) {
        println!("  {e}");
        println!(
            "  (python-gssapi would raise {}; see gss status)",
            e.kind().map_or("-", |k| k.python_name())
        );
    }
    Ok(())
}
