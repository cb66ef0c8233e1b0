//! The realm against the real MIT tools: each check would fail if the realm were not real.

use gssapi_testrealm::{Error, Realm};
use std::process::Command;
use std::time::{Duration, Instant};

fn output(realm: &Realm, program: &str, args: &[&str]) -> (bool, String) {
    let out = realm.command(program).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn user_has_a_forwardable_tgt_and_can_get_service_tickets() {
    let realm = Realm::new().unwrap();
    let (ok, text) = output(&realm, "klist", &["-f"]);
    assert!(ok, "{text}");
    assert!(text.contains("user@KRBTEST.COM"), "{text}");
    assert!(text.contains("krbtgt/KRBTEST.COM@KRBTEST.COM"), "{text}");
    assert!(text.contains("Flags: F"), "forwardable: {text}");
    let (ok, text) = output(&realm, "kvno", &[&realm.host_principal()]);
    assert!(ok, "{text}");
    assert!(text.contains("kvno = 1"), "{text}");
    let (ok, text) = output(&realm, "kvno", &[&realm.http_principal()]);
    assert!(ok, "{text}");
}

#[test]
fn keytabs_hold_the_service_and_user_keys() {
    let realm = Realm::new().unwrap();
    let (ok, text) = output(&realm, "klist", &["-k", &realm.keytab()]);
    assert!(ok, "{text}");
    assert!(text.contains(&realm.host_principal()) && text.contains(&realm.http_principal()));
    let cc = format!("FILE:{}/kt-ccache", realm.dir().display());
    realm
        .kinit_keytab(&realm.user_principal(), &realm.user_keytab(), &cc, &[])
        .unwrap();
    let (ok, text) = output(&realm, "klist", &["-c", &cc]);
    assert!(ok && text.contains("user@KRBTEST.COM"), "{text}");
    // -norandkey kept the password valid.
    realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap();
}

#[test]
fn new_principals_and_wrong_passwords() {
    let realm = Realm::new().unwrap();
    realm.add_principal("alice", Some("alice pw")).unwrap();
    let cc = format!("FILE:{}/alice", realm.dir().display());
    realm.kinit("alice", "alice pw", &cc, &[]).unwrap();
    let err = realm.kinit("alice", "wrong", &cc, &[]).unwrap_err();
    match &err {
        Error::Command {
            program, stderr, ..
        } => {
            assert_eq!(program, "kinit");
            assert!(stderr.to_lowercase().contains("password"), "{stderr}");
        }
        other => panic!("expected a command error, got {other:?}"),
    }
    assert!(
        realm.add_principal("alice", None).is_err(),
        "duplicate principal"
    );
    realm
        .modify_principal("alice", &["+ok_to_auth_as_delegate"])
        .unwrap();
    let text = realm.kadmin_local("getprinc alice").unwrap();
    assert!(text.contains("OK_TO_AUTH_AS_DELEGATE"), "{text}");
    let env = realm.env();
    assert_eq!(env["KRB5CCNAME"], realm.user_ccache());
    assert!(
        realm
            .cred_store_initiate()
            .iter()
            .any(|(k, _)| k == "ccache")
    );
    assert!(realm.cred_store_accept().iter().any(|(k, _)| k == "keytab"));
}

#[test]
fn rotated_keys_leave_the_keytab_behind() {
    let realm = Realm::new().unwrap();
    realm.add_principal("svc/localhost", None).unwrap();
    let kt = realm.dir().join("svc.keytab");
    realm.extract_keytab("svc/localhost", &kt).unwrap();
    assert_eq!(realm.kvno_of("svc/localhost").unwrap(), 1);
    assert_eq!(realm.rotate_key("svc/localhost").unwrap(), 2);
    let (ok, text) = output(&realm, "kvno", &["svc/localhost@KRBTEST.COM"]);
    assert!(ok && text.contains("kvno = 2"), "{text}");
    let (ok, text) = output(&realm, "klist", &["-k", kt.to_str().unwrap()]);
    assert!(ok, "{text}");
    let vnos: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.contains("svc/localhost"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(vnos.into_iter().collect::<Vec<_>>(), ["1"], "{text}");
}

#[test]
fn expired_ccaches_fail_klist_s() {
    let realm = Realm::new().unwrap();
    let cc = realm
        .expired_ccache(&realm.user_principal(), realm.user_password())
        .unwrap();
    let (ok, text) = output(&realm, "klist", &["-s", "-c", &cc]);
    assert!(!ok, "klist -s succeeded on an expired ccache: {text}");
    let (ok, _) = output(&realm, "klist", &["-s"]);
    assert!(ok, "the default ccache is still valid");
}

#[test]
fn stopping_and_starting_the_kdc() {
    let realm = Realm::new().unwrap();
    assert!(realm.kdc_running());
    let cc = format!("FILE:{}/restart", realm.dir().display());
    realm.stop_kdc().unwrap();
    assert!(!realm.kdc_running());
    assert!(realm.dir().exists(), "stopping keeps the files");
    let err = realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap_err();
    assert!(matches!(err, Error::Command { .. }));
    realm.start_kdc().unwrap();
    assert!(realm.kdc_running());
    realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap();
}

fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
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

#[test]
fn drop_stops_the_kdc_and_removes_the_dir() {
    let realm = Realm::new().unwrap();
    let dir = realm.dir().to_path_buf();
    let port = realm.kdc_port();
    assert!(port_open(port));
    drop(realm);
    assert!(!dir.exists());
    wait_until("KDC port closed", || !port_open(port));
}

#[test]
fn a_realm_that_is_never_dropped_is_cleaned_up_at_process_exit() {
    let exe = env!("CARGO_BIN_EXE_orphan_probe");
    let out = Command::new(exe).output().unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    let (port, dir) = line.trim().split_once(' ').unwrap();
    let port: u16 = port.parse().unwrap();
    wait_until("orphaned KDC stopped", || !port_open(port));
    wait_until("orphaned realm dir removed", || {
        !std::path::Path::new(dir).exists()
    });
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
    let cc = format!("FILE:{}/moved", realm.dir().display());
    realm
        .kinit(&realm.user_principal(), realm.user_password(), &cc, &[])
        .unwrap();
}
