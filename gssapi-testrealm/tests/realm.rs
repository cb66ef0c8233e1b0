//! The realm against the real MIT tools: each check would fail if the realm were not real.

use gssapi_testrealm::{Error, Realm};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Runs `program args` with the realm's environment: success and stdout + stderr.
fn run(realm: &Realm, program: &str, args: &[&str]) -> (bool, String) {
    let out = realm.command(program).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn port_open(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Whether `pid` is a live process (a zombie waiting for a reaper counts as gone). Without
/// /proc, only the caller's other checks (the port) apply.
fn process_alive(pid: u32) -> bool {
    if !Path::new("/proc/self/stat").exists() {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // "pid (comm) S ...": the state follows the last ')'.
        Ok(stat) => !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.trim().chars().next()),
            Some('Z' | 'X')
        ),
        Err(_) => false,
    }
}

/// Whether `pid` still has a process entry, even as a zombie: a KDC that was killed and waited
/// for has none. Always false without /proc.
fn process_entry_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ccache_in(realm: &Realm, name: &str) -> String {
    format!("FILE:{}", realm.dir().join(name).display())
}

#[test]
fn realm_builds_and_its_kdc_answers() {
    let start = Instant::now();
    let realm = Realm::new().unwrap();
    eprintln!("Realm::new() took {:?}", start.elapsed());
    assert_eq!(realm.realm_name(), "KRBTEST.COM");
    assert_eq!(realm.hostname(), "localhost");
    assert!(realm.kdc_running());
    assert!(port_open(realm.kdc_port()));
    assert!(process_alive(realm.kdc_pid().unwrap()) || !Path::new("/proc").exists());
    assert!(realm.krb5_conf().is_file() && realm.kdc_conf().is_file());
    let krb5_conf = std::fs::read_to_string(realm.krb5_conf()).unwrap();
    assert!(krb5_conf.contains(&format!("kdc = 127.0.0.1:{}", realm.kdc_port())));
    let log = std::fs::read_to_string(realm.kdc_log()).unwrap();
    assert!(log.contains("commencing operation"), "{log}");
}

#[test]
fn user_ccache_holds_a_forwardable_tgt() {
    let realm = Realm::new().unwrap();
    let (ok, text) = run(&realm, "klist", &["-f", "-e"]);
    assert!(ok, "{text}");
    assert!(text.contains(&realm.user_ccache()), "{text}");
    assert!(
        text.contains("Default principal: user@KRBTEST.COM"),
        "{text}"
    );
    assert!(text.contains("krbtgt/KRBTEST.COM@KRBTEST.COM"), "{text}");
    assert!(text.contains("Flags: F"), "forwardable: {text}");
    assert!(text.contains("aes256-cts-hmac-sha1-96"), "{text}");
    assert!(
        !text.contains("sha384") && !text.contains("sha256"),
        "{text}"
    );
    let (ok, text) = run(&realm, "klist", &["-s"]);
    assert!(ok, "klist -s: {text}");
}

#[test]
fn keytabs_hold_the_keys_in_the_shared_enctypes_only() {
    let realm = Realm::new().unwrap();
    let (ok, text) = run(&realm, "klist", &["-k", "-e", &realm.keytab()]);
    assert!(ok, "{text}");
    assert!(text.contains(&realm.host_principal()), "{text}");
    assert!(text.contains(&realm.http_principal()), "{text}");
    let (ok, user_kt) = run(&realm, "klist", &["-k", "-e", &realm.user_keytab()]);
    assert!(ok, "{user_kt}");
    assert!(user_kt.contains(&realm.user_principal()), "{user_kt}");
    for entry in text
        .lines()
        .chain(user_kt.lines())
        .filter(|l| l.contains('@'))
    {
        assert!(
            entry.contains("(aes256-cts-hmac-sha1-96)")
                || entry.contains("(aes128-cts-hmac-sha1-96)"),
            "unexpected enctype: {entry}"
        );
    }
}

#[test]
fn kinit_with_the_user_keytab_and_then_the_password() {
    let realm = Realm::new().unwrap();
    let cc = ccache_in(&realm, "kt.ccache");
    realm
        .kinit_keytab(&realm.user_principal(), &realm.user_keytab(), &cc, &[])
        .unwrap();
    let (ok, text) = run(&realm, "klist", &["-c", &cc]);
    assert!(
        ok && text.contains("Default principal: user@KRBTEST.COM"),
        "{text}"
    );
    // -norandkey kept the password valid.
    let cc2 = ccache_in(&realm, "pw.ccache");
    realm
        .kinit("user", realm.user_password(), &cc2, &[])
        .unwrap();
    let (ok, text) = run(&realm, "klist", &["-s", "-c", &cc2]);
    assert!(ok, "{text}");
}

#[test]
fn kvno_gets_service_tickets_with_the_user_ccache() {
    let realm = Realm::new().unwrap();
    for principal in [realm.host_principal(), realm.http_principal()] {
        let (ok, text) = run(&realm, "kvno", &[&principal]);
        assert!(ok, "{text}");
        assert!(text.contains(&format!("{principal}: kvno = 1")), "{text}");
    }
    let (ok, text) = run(&realm, "klist", &[]);
    assert!(ok && text.contains("host/localhost@KRBTEST.COM"), "{text}");
    // The acceptor side: the service keytab decrypts the ticket (kvno -k checks it).
    let (ok, text) = run(
        &realm,
        "kvno",
        &["-k", &realm.keytab(), &realm.host_principal()],
    );
    assert!(ok && text.contains("keytab entry valid"), "{text}");
}

#[test]
fn new_principals_get_tickets() {
    let realm = Realm::new().unwrap();
    realm.add_principal("alice", Some("alice pw")).unwrap();
    let cc = ccache_in(&realm, "alice.ccache");
    realm.kinit("alice", "alice pw", &cc, &["-f"]).unwrap();
    let (ok, text) = run(&realm, "klist", &["-c", &cc]);
    assert!(ok && text.contains("alice@KRBTEST.COM"), "{text}");

    // A random-key service, its own keytab, and a keytab kinit as that service.
    realm.add_principal("svc/localhost", None).unwrap();
    let kt = realm.dir().join("svc.keytab");
    realm.extract_keytab("svc/localhost", &kt).unwrap();
    let svc_cc = ccache_in(&realm, "svc.ccache");
    realm
        .kinit_keytab(
            "svc/localhost@KRBTEST.COM",
            &format!("FILE:{}", kt.display()),
            &svc_cc,
            &[],
        )
        .unwrap();
    let (ok, text) = run(&realm, "klist", &["-c", &svc_cc]);
    assert!(ok && text.contains("svc/localhost@KRBTEST.COM"), "{text}");

    // kadmin.local exits with 0 here; the error must still come through.
    match realm.add_principal("alice", None).unwrap_err() {
        Error::Command {
            program, stderr, ..
        } => {
            assert_eq!(program, "kadmin.local");
            assert!(stderr.contains("already exists"), "{stderr}");
        }
        other => panic!("expected a command error, got {other:?}"),
    }
}

#[test]
fn a_wrong_password_is_a_command_error() {
    let realm = Realm::new().unwrap();
    let cc = ccache_in(&realm, "wrong.ccache");
    let err = realm
        .kinit(&realm.user_principal(), "not-the-password", &cc, &[])
        .unwrap_err();
    match &err {
        Error::Command {
            program,
            args,
            status,
            stderr,
        } => {
            assert_eq!(program, "kinit");
            assert!(args.contains(&"user@KRBTEST.COM".to_string()), "{args:?}");
            assert!(!status.success());
            assert!(stderr.contains("Password incorrect"), "{stderr}");
        }
        other => panic!("expected a command error, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.starts_with("kinit -c FILE:"), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");
}

#[test]
fn modify_principal_and_kadmin_local() {
    let realm = Realm::new().unwrap();
    realm.add_principal("bob", None).unwrap();
    realm
        .modify_principal("bob", &["+ok_to_auth_as_delegate", "-maxlife", "2 hours"])
        .unwrap();
    let text = realm.kadmin_local("getprinc bob").unwrap();
    assert!(
        text.contains("Attributes: OK_TO_AUTH_AS_DELEGATE"),
        "{text}"
    );
    assert!(
        text.contains("Maximum ticket life: 0 days 02:00:00"),
        "{text}"
    );
    assert!(matches!(
        realm.modify_principal("bob", &["+no_such_flag"]),
        Err(Error::Command { .. })
    ));
    assert!(matches!(
        realm.kadmin_local("getprinc nobody"),
        Err(Error::Command { .. })
    ));
}

#[test]
fn rotate_key_leaves_the_keytab_behind() {
    let realm = Realm::new().unwrap();
    let host = realm.host_principal();
    assert_eq!(realm.kvno_of(&host).unwrap(), 1);
    assert_eq!(realm.rotate_key(&host).unwrap(), 2);
    assert_eq!(realm.kvno_of("host/localhost").unwrap(), 2);
    let (ok, text) = run(&realm, "kvno", &[&host]);
    assert!(ok && text.contains(&format!("{host}: kvno = 2")), "{text}");
    let (ok, text) = run(&realm, "klist", &["-k", &realm.keytab()]);
    assert!(ok, "{text}");
    let vnos: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.contains(&host))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(vnos.into_iter().collect::<Vec<_>>(), ["1"], "{text}");
    // The keytab can no longer read the new tickets.
    let (ok, text) = run(&realm, "kvno", &["-k", &realm.keytab(), &host]);
    assert!(!ok, "{text}");
}

#[test]
fn expired_ccache_fails_klist_s() {
    let realm = Realm::new().unwrap();
    let start = Instant::now();
    let cc = realm
        .expired_ccache(&realm.user_principal(), realm.user_password())
        .unwrap();
    let took = start.elapsed();
    eprintln!("expired_ccache took {took:?}");
    assert!(took < Duration::from_millis(2500), "{took:?}");
    let out = realm
        .command("klist")
        .args(["-s", "-c", &cc])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "klist -s on {cc}");
    // It holds the user's TGT, only expired.
    let (_, text) = run(&realm, "klist", &["-c", &cc]);
    assert!(text.contains("krbtgt/KRBTEST.COM@KRBTEST.COM"), "{text}");
    // The library refuses it too (it accepts a ticket through its end second, klist -s not).
    let (ok, text) = run(&realm, "kvno", &["-c", &cc, &realm.host_principal()]);
    assert!(!ok && text.contains("Ticket expired"), "{text}");
    // The default ccache is untouched.
    let (ok, text) = run(&realm, "klist", &["-s"]);
    assert!(ok, "{text}");
}

#[test]
fn stop_and_start_the_kdc() {
    let realm = Realm::new().unwrap();
    let first_pid = realm.kdc_pid().unwrap();
    let cc = ccache_in(&realm, "restart.ccache");
    realm.stop_kdc().unwrap();
    assert!(!realm.kdc_running());
    assert_eq!(realm.kdc_pid(), None);
    assert!(!process_alive(first_pid));
    assert!(
        !process_entry_exists(first_pid),
        "the KDC was not waited for"
    );
    assert!(!port_open(realm.kdc_port()));
    assert!(realm.dir().exists(), "stopping keeps the files");
    realm.stop_kdc().unwrap();
    let err = realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap_err();
    match err {
        Error::Command { stderr, .. } => assert!(stderr.contains("Cannot contact"), "{stderr}"),
        other => panic!("expected a command error, got {other:?}"),
    }
    realm.start_kdc().unwrap();
    realm.start_kdc().unwrap();
    assert!(realm.kdc_running());
    assert_ne!(realm.kdc_pid(), Some(first_pid));
    realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap();
}

#[test]
fn drop_kills_the_kdc_and_removes_the_dir() {
    let realm = Realm::new().unwrap();
    let dir = realm.dir().to_path_buf();
    let port = realm.kdc_port();
    let pid = realm.kdc_pid().unwrap();
    assert!(port_open(port));
    drop(realm);
    assert!(!dir.exists());
    // Killed and reaped by the time drop returns, not left to the watchdog.
    assert!(!process_alive(pid));
    assert!(!process_entry_exists(pid), "the KDC was not waited for");
    assert!(!port_open(port));
}

#[test]
fn env_command_and_cred_store_values() {
    let realm = Realm::new().unwrap();
    let env = realm.env();
    let dir = realm.dir().display().to_string();
    assert_eq!(env["KRB5_CONFIG"], realm.krb5_conf().display().to_string());
    assert_eq!(
        env["KRB5_KDC_PROFILE"],
        realm.kdc_conf().display().to_string()
    );
    assert_eq!(env["KRB5CCNAME"], realm.user_ccache());
    assert_eq!(env["KRB5_KTNAME"], realm.keytab());
    assert_eq!(env["KRB5_CLIENT_KTNAME"], realm.user_keytab());
    assert_eq!(env["KRB5RCACHEDIR"], format!("{dir}/rcache"));
    assert!(Path::new(&env["KRB5RCACHEDIR"]).is_dir());
    assert!(!env.contains_key("KRB5_TRACE"));
    assert_eq!(env.len(), 6);
    assert_eq!(realm.user_ccache(), format!("FILE:{dir}/ccache"));
    assert_eq!(realm.keytab(), format!("FILE:{dir}/keytab"));
    assert_eq!(realm.user_keytab(), format!("FILE:{dir}/user.keytab"));
    assert_eq!(realm.host_service(), "host@localhost");
    assert_eq!(realm.http_service(), "HTTP@localhost");
    assert_eq!(realm.host_principal(), "host/localhost@KRBTEST.COM");
    assert_eq!(realm.http_principal(), "HTTP/localhost@KRBTEST.COM");
    assert_eq!(realm.user_principal(), "user@KRBTEST.COM");

    let out = realm
        .command("sh")
        .args(["-c", "echo \"$KRB5CCNAME|$KRB5_CONFIG\""])
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        shown.trim(),
        format!("{}|{}", realm.user_ccache(), realm.krb5_conf().display())
    );

    let init = realm.cred_store_initiate();
    let init: Vec<_> = init.entries().collect();
    assert_eq!(
        init,
        [
            ("ccache", realm.user_ccache().as_str()),
            ("client_keytab", realm.user_keytab().as_str()),
        ]
    );
    let accept = realm.cred_store_accept();
    let accept: Vec<_> = accept.entries().collect();
    assert_eq!(accept[0], ("keytab", realm.keytab().as_str()));
    assert_eq!(accept[1].0, "rcache");
    assert!(accept[1].1.contains(&format!("{dir}/rcache")), "{accept:?}");
    let only = realm.cred_store_ccache_only("MEMORY:x");
    let only: Vec<_> = only.entries().collect();
    assert_eq!(only[0], ("ccache", "MEMORY:x"));
    assert_eq!(
        only[1],
        ("client_keytab", realm.no_client_keytab().as_str())
    );
}

#[test]
fn builder_names() {
    let realm = Realm::builder()
        .realm_name("EXAMPLE.TEST")
        .hostname("localhost")
        .user("carol", "carol-secret")
        .build()
        .unwrap();
    assert_eq!(realm.user_principal(), "carol@EXAMPLE.TEST");
    assert_eq!(realm.user_password(), "carol-secret");
    let (ok, text) = run(&realm, "klist", &[]);
    assert!(
        ok && text.contains("krbtgt/EXAMPLE.TEST@EXAMPLE.TEST"),
        "{text}"
    );
    let (ok, text) = run(&realm, "kvno", &["host/localhost@EXAMPLE.TEST"]);
    assert!(ok, "{text}");
    assert!(matches!(
        Realm::builder().realm_name("BAD REALM").build(),
        Err(Error::InvalidArgument(_))
    ));
}

const ORPHAN_OUT: &str = "GSSAPI_TESTREALM_ORPHAN_OUT";

/// The child half of [`a_realm_in_a_static_is_cleaned_up_when_the_process_exits`]: keeps a
/// realm in a `static`, reports it, and exits without dropping it.
#[test]
#[ignore = "run in a child process by a_realm_in_a_static_is_cleaned_up_when_the_process_exits"]
fn orphan_child() {
    let Some(out) = std::env::var_os(ORPHAN_OUT) else {
        return;
    };
    static REALM: OnceLock<Realm> = OnceLock::new();
    let realm = REALM.get_or_init(|| Realm::new().unwrap());
    let line = format!(
        "{} {} {}\n",
        realm.kdc_pid().unwrap(),
        realm.kdc_port(),
        realm.dir().display()
    );
    std::fs::write(out, line).unwrap();
    std::process::exit(0);
}

#[test]
fn a_realm_in_a_static_is_cleaned_up_when_the_process_exits() {
    let scratch = tempfile::tempdir().unwrap();
    let report = scratch.path().join("orphan.txt");
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["orphan_child", "--exact", "--ignored", "--test-threads=1"])
        .env(ORPHAN_OUT, &report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
    let line = std::fs::read_to_string(&report).expect("the child reports its realm");
    let mut fields = line.trim().splitn(3, ' ');
    let pid: u32 = fields.next().unwrap().parse().unwrap();
    let port: u16 = fields.next().unwrap().parse().unwrap();
    let dir = Path::new(fields.next().unwrap()).to_path_buf();
    let start = Instant::now();
    wait_until("the orphaned KDC to die", || !process_alive(pid));
    wait_until("the orphaned KDC's port to close", || !port_open(port));
    wait_until("the orphaned realm's directory to go", || !dir.exists());
    eprintln!(
        "orphan cleaned up {:?} after the child exited",
        start.elapsed()
    );
}

#[test]
fn a_taken_port_moves_the_kdc_to_another() {
    let realm = Realm::new().unwrap();
    let old = realm.kdc_port();
    realm.stop_kdc().unwrap();
    // Someone else takes the port, TCP and UDP, while the KDC is down.
    let _tcp = std::net::TcpListener::bind(("127.0.0.1", old)).unwrap();
    let _udp = std::net::UdpSocket::bind(("127.0.0.1", old)).unwrap();
    realm.start_kdc().unwrap();
    assert_ne!(realm.kdc_port(), old);
    let cc = ccache_in(&realm, "moved");
    realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap();
}
