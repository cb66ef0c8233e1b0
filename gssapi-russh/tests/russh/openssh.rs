//! Interop with OpenSSH: a private sshd on 127.0.0.1 (its own config, host key, port and pid
//! file, GSSAPI as the only method, the realm's keytab), and a russh client with
//! gssapi-russh's authenticator logging in and running a command.
//!
//! sshd runs as this suite's user, which must be root (as in CI: unprivileged, this sshd
//! refuses the login, so `main` marks these tests ignored then), and the realm's user
//! principal is mapped to that local user by an `auth_to_local_names` entry in a krb5.conf
//! only sshd reads; the client logs in as that user.

use crate::check;
use crate::common::*;
use gssapi_russh::Authenticator;
use russh::client;
use russh::keys::PublicKeyOrCertificate;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

/// A private sshd, killed on drop.
pub(crate) struct Sshd {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn available() -> bool {
    Path::new(SSHD).exists()
}

/// Whether this process runs as root (the OpenSSH tests need it).
pub(crate) fn is_root() -> bool {
    local_user().is_ok_and(|u| u == "root")
}

/// The local user this process runs as (the one to log in as).
pub(crate) fn local_user() -> Result<String, String> {
    let out = Command::new("id")
        .arg("-un")
        .output()
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub(crate) fn start_sshd() -> Result<Sshd, String> {
    start_sshd_with("")
}

/// As [`start_sshd`], with more configuration lines.
pub(crate) fn start_sshd_with(extra: &str) -> Result<Sshd, String> {
    let realm = realm();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let d = dir.path();
    let key = d.join("host_ed25519");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "ssh-keygen: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let config = d.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\nPidFile {pid}\n\
             UsePAM no\nPermitRootLogin yes\nStrictModes no\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PubkeyAuthentication no\nGSSAPIAuthentication yes\n\
             GSSAPICleanupCredentials yes\nGSSAPIStrictAcceptorCheck no\n\
             AuthenticationMethods gssapi-with-mic\nLogLevel DEBUG1\n{extra}",
            key = key.display(),
            pid = d.join("sshd.pid").display(),
        ),
    )
    .map_err(|e| e.to_string())?;
    // The realm's user may log in as the local user (krb5_kuserok through
    // auth_to_local_names).
    let local = local_user()?;
    let mapping = d.join("krb5-sshd.conf");
    std::fs::write(
        &mapping,
        format!(
            "[realms]\n    {} = {{\n        auth_to_local_names = {{\n            user = {local}\n        }}\n    }}\n",
            realm.realm_name()
        ),
    )
    .map_err(|e| e.to_string())?;
    let mut env = realm.env();
    env.insert(
        "KRB5_CONFIG".into(),
        format!("{}:{}", realm.krb5_conf().display(), mapping.display()),
    );
    // sshd's privilege-separation directory, which only root needs (and can make).
    let _ = std::fs::create_dir_all("/run/sshd");
    let log = std::fs::File::create(d.join("sshd.log")).map_err(|e| e.to_string())?;
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .envs(&env)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| e.to_string())?;
    let sshd = Sshd {
        child,
        port,
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            let log =
                std::fs::read_to_string(sshd._dir.path().join("sshd.log")).unwrap_or_default();
            return Err(format!("sshd did not listen on {port}:\n{log}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(sshd)
}

struct AnyHostKey;

impl client::Handler for AnyHostKey {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Logs in with `auth` and runs `command`: Ok(None) when the login was refused, else the
/// command's output and exit status.
pub(crate) fn login_and_run(
    port: u16,
    mut auth: Authenticator,
    command: &str,
) -> Result<Option<(String, u32)>, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let config = Arc::new(client::Config::default());
        let mut session = client::connect(config, ("127.0.0.1", port), AnyHostKey)
            .await
            .map_err(|e| e.to_string())?;
        let oids = auth.mechanism_oids().map_err(|e| e.to_string())?;
        let result = match session
            .authenticate_gssapi_with_mic(local_user()?, oids, &mut auth)
            .await
        {
            Ok(r) => r,
            Err(e) => return Err(format!("authentication error: {e}")),
        };
        if !result.success() {
            return Ok(None);
        }
        let mut channel = session
            .channel_open_session()
            .await
            .map_err(|e| e.to_string())?;
        channel
            .exec(true, command)
            .await
            .map_err(|e| e.to_string())?;
        let mut output = Vec::new();
        let mut status = None;
        while let Some(msg) = channel.wait().await {
            match msg {
                russh::ChannelMsg::Data { ref data } => output.extend_from_slice(data),
                russh::ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
                _ => {}
            }
        }
        let _ = session
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
        Ok(Some((
            String::from_utf8_lossy(&output).into_owned(),
            status.ok_or("no exit status")?,
        )))
    })
}

pub(crate) fn openssh_login_with_and_without_delegation() -> TestResult {
    if !available() {
        return Err("sshd is missing (ci/install-deps.sh installs openssh-server)".into());
    }
    let sshd = start_sshd()?;
    let creds = gssapi::Credentials::initiator_from_ccache(&realm().user_ccache()).map_err(fail)?;

    // Without delegation: logged in, and the session has no ticket.
    let auth = Authenticator::new("localhost")
        .map_err(fail)?
        .credentials(&creds);
    let (out, status) = login_and_run(sshd.port, auth, "echo logged-in as $(id -un); klist")?
        .ok_or("the login was refused")?;
    check!(
        out.contains(&format!("logged-in as {}", local_user()?)),
        "{out}"
    );
    check!(
        status != 0,
        "klist found a ticket without delegation: {out}"
    );

    // With delegation: the command sees the forwarded ticket.
    let auth = Authenticator::new("localhost")
        .map_err(fail)?
        .credentials(&creds)
        .delegate(true);
    let (out, status) = login_and_run(sshd.port, auth, "klist")?.ok_or("the login was refused")?;
    eprintln!("delegated session's klist:\n{out}");
    check!(status == 0, "klist failed: {out}");
    check!(
        out.contains(&format!("Default principal: {}", realm().user_principal())),
        "{out}"
    );
    Ok(())
}

pub(crate) fn openssh_login_without_a_ticket() -> TestResult {
    if !available() {
        return Err("sshd is missing (ci/install-deps.sh installs openssh-server)".into());
    }
    let sshd = start_sshd()?;
    // The child process has no ticket: its ccache is empty.
    run_in_child(
        "openssh::login_without_a_ticket_child",
        &[
            ("KRB5CCNAME", "FILE:/nonexistent/ccache"),
            ("SSHD_PORT", &sshd.port.to_string()),
        ],
    )
}

pub(crate) fn login_without_a_ticket_child() -> TestResult {
    let port: u16 = std::env::var("SSHD_PORT")
        .map_err(fail)?
        .parse()
        .map_err(fail)?;
    let auth = Authenticator::new("localhost").map_err(fail)?;
    match login_and_run(port, auth, "true") {
        // The authenticator's error ends the attempt: no panic, no login.
        Err(e) => {
            eprintln!("without a ticket: {e}");
            check!(e.contains("authentication error"), "{e}")
        }
        Ok(None) => {}
        Ok(Some(out)) => return Err(format!("logged in without a ticket: {out:?}").into()),
    }
    Ok(())
}

/// The gss-keyex algorithm names OpenSSH's sshd (Debian's GSSAPI key-exchange patch) offers
/// for Kerberos are the ones `gssapi::ssh::kex_algorithm_name` makes, and the method prefixes
/// `ssh -Q kex-gss` lists are `KEX_PREFIXES`.
pub(crate) fn openssh_gss_keyex_names() -> TestResult {
    if !available() {
        return Err("sshd is missing (ci/install-deps.sh installs openssh-server)".into());
    }
    let listed = Command::new("ssh")
        .args(["-Q", "kex-gss"])
        .output()
        .map_err(fail)?;
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let mut prefixes: Vec<&str> = listed.lines().collect();
    prefixes.sort_unstable();
    let mut ours = gssapi::ssh::KEX_PREFIXES.to_vec();
    ours.sort_unstable();
    check!(prefixes == ours, "ssh -Q kex-gss: {prefixes:?}");

    let sshd = start_sshd_with("GSSAPIKeyExchange yes\n")?;
    let out = Command::new("ssh")
        .args([
            "-vv",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
        ])
        .args([
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "GSSAPIKeyExchange=yes",
        ])
        .args(["-o", "GSSAPIAuthentication=yes", "-o", "ConnectTimeout=10"])
        .args([
            "-p",
            &sshd.port.to_string(),
            "-l",
            &local_user()?,
            "localhost",
            "true",
        ])
        .envs(realm().env())
        .stdin(Stdio::null())
        .output()
        .map_err(fail)?;
    let log = String::from_utf8_lossy(&out.stderr);
    // The server's KEXINIT proposal comes after "peer server KEXINIT proposal".
    let server = log
        .split("peer server KEXINIT proposal")
        .nth(1)
        .and_then(|rest| rest.lines().find(|l| l.contains("KEX algorithms:")))
        .ok_or_else(|| format!("no server proposal in the ssh log:\n{log}"))?;
    // Every gss- name sshd offers (its default list leaves out gss-group1-sha1) is ours for
    // its prefix and Kerberos.
    let offered: Vec<&str> = server
        .split([' ', ','])
        .filter(|n| n.starts_with("gss-"))
        .collect();
    check!(offered.len() >= 6, "{offered:?}");
    for name in &offered {
        let prefix = gssapi::ssh::KEX_PREFIXES
            .iter()
            .find(|p| name.starts_with(**p))
            .ok_or_else(|| format!("unknown prefix: {name}"))?;
        let ours =
            gssapi::ssh::kex_algorithm_name(prefix, &gssapi::Mechanism::KERBEROS).map_err(fail)?;
        check!(*name == ours, "sshd offers {name}, we make {ours}");
    }
    check!(offered.contains(&"gss-group14-sha256-toWM5Slw5Ew8Mqkay+al2g=="));
    // And the key exchange with those names succeeded: ssh logged in.
    check!(out.status.success(), "ssh failed:\n{log}");
    Ok(())
}
