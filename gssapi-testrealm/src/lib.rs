//! A throwaway MIT Kerberos realm on loopback, for tests and demos: the Rust counterpart of
//! python's `k5test`.
//!
//! ```no_run
//! use gssapi_testrealm::Realm;
//!
//! let realm = Realm::new()?;              // krb5kdc on 127.0.0.1:<free port>, in a temp dir
//! println!("{} has a ticket in {}", realm.user_principal(), realm.user_ccache());
//! let klist = realm.command("klist").output()?;    // any tool, with the realm's environment
//! assert!(klist.status.success());
//! // Dropping the realm stops the KDC and removes the directory.
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Realm::new`] writes `krb5.conf` and `kdc.conf`, creates the database, starts `krb5kdc`,
//! adds a user with a password and a client keytab, `host/` and `HTTP/` services with a keytab,
//! and kinit's the user into a ccache. [`Realm::env`] and [`Realm::command`] give the
//! environment that points the Kerberos library at it; [`Realm::cred_store_initiate`] and
//! [`Realm::cred_store_accept`] give the same as credential-store values, for code that must not
//! touch the process environment.
//!
//! The realm never calls `std::env::set_var`. Tests that need the environment set for the
//! library in their own process should set it before any thread starts (a custom test `main`)
//! or run the Kerberos work in child processes with [`Realm::command`].
//!
//! # Lifetime
//!
//! The KDC is started through a small `sh` watchdog whose standard input is a pipe held by the
//! realm. When the realm is dropped, or when the process exits without dropping it (a realm in
//! a `static`), the pipe closes, and the watchdog stops the KDC and removes the directory.
//!
//! # Faults
//!
//! [`Realm::expired_ccache`] (tickets already expired), [`Realm::rotate_key`] (a service key
//! changed after its keytab was written), [`Realm::stop_kdc`] / [`Realm::start_kdc`].

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// Encryption types the realm uses: the ones both MIT and Heimdal implement, so either library
/// can use the realm's tickets and keytabs.
pub const ENCTYPES: &str = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96";

/// What went wrong setting up or driving the realm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or process operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A Kerberos tool exited unsuccessfully.
    #[error("{program} {args:?} failed ({status}): {stderr}")]
    Command {
        /// The program.
        program: String,
        /// Its arguments.
        args: Vec<String>,
        /// Its exit status.
        status: ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },
    /// The KDC did not start answering in time.
    #[error("timed out after {waited:?} waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long.
        waited: Duration,
    },
    /// A tool printed something this crate could not understand.
    #[error("unexpected output from {what}: {output}")]
    Parse {
        /// Which tool.
        what: String,
        /// The output.
        output: String,
    },
}

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let what = what.into();
    move |source| Error::Io { what, source }
}

/// Builds a [`Realm`] with non-default names.
#[derive(Debug, Clone)]
pub struct RealmBuilder {
    realm_name: String,
    hostname: String,
    user: String,
    password: String,
}

impl Default for RealmBuilder {
    fn default() -> Self {
        RealmBuilder {
            realm_name: "KRBTEST.COM".into(),
            hostname: "localhost".into(),
            user: "user".into(),
            password: "user-password".into(),
        }
    }
}

impl RealmBuilder {
    /// The realm name (default `KRBTEST.COM`).
    pub fn realm_name(mut self, name: &str) -> Self {
        self.realm_name = name.to_string();
        self
    }

    /// The host name of the services (default `localhost`).
    pub fn hostname(mut self, host: &str) -> Self {
        self.hostname = host.to_string();
        self
    }

    /// The test user's name without realm (default `user`) and password.
    pub fn user(mut self, name: &str, password: &str) -> Self {
        self.user = name.to_string();
        self.password = password.to_string();
        self
    }

    /// Creates the realm and starts its KDC.
    pub fn build(self) -> Result<Realm> {
        Realm::create(self)
    }
}

struct Kdc {
    watchdog: Child,
    /// Dropping this closes the pipe the watchdog waits on.
    stdin: Option<ChildStdin>,
}

/// A running throwaway realm. See the [crate docs](crate).
pub struct Realm {
    dir: tempfile::TempDir,
    cfg: RealmBuilder,
    /// Changes only when a start finds the port taken and moves to another one.
    port: AtomicU16,
    kdc: Mutex<Option<Kdc>>,
}

impl std::fmt::Debug for Realm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Realm")
            .field("realm", &self.cfg.realm_name)
            .field("dir", &self.dir.path())
            .field("kdc_port", &self.kdc_port())
            .finish()
    }
}

impl Realm {
    /// A realm with the default names (`KRBTEST.COM`, `localhost`, `user`).
    pub fn new() -> Result<Realm> {
        RealmBuilder::default().build()
    }

    /// A builder for other names.
    pub fn builder() -> RealmBuilder {
        RealmBuilder::default()
    }

    fn create(cfg: RealmBuilder) -> Result<Realm> {
        let dir = tempfile::Builder::new()
            .prefix("gssapi-testrealm-")
            .tempdir()
            .map_err(io("create the realm directory"))?;
        std::fs::create_dir_all(dir.path().join("rcache")).map_err(io("create rcache dir"))?;
        let port = free_port()?;
        let realm = Realm {
            dir,
            cfg,
            port: AtomicU16::new(port),
            kdc: Mutex::new(None),
        };
        realm.write_config()?;
        realm.run(
            "kdb5_util",
            &[
                "create",
                "-s",
                "-r",
                &realm.cfg.realm_name,
                "-P",
                "master-password",
            ],
            None,
        )?;
        // Ticket-granting and test principals, before the KDC starts: kadmin.local writes the
        // database directly.
        let user = realm.user_principal();
        let host = realm.host_principal();
        let http = realm.http_principal();
        realm.kadmin_local(&format!(
            "addprinc -pw {} {user}",
            shell_word(&realm.cfg.password)
        ))?;
        realm.kadmin_local(&format!("addprinc -randkey {host}"))?;
        realm.kadmin_local(&format!("addprinc -randkey {http}"))?;
        realm.kadmin_local(&format!(
            "ktadd -k {} -norandkey {host} {http}",
            realm.path("keytab").display()
        ))?;
        realm.kadmin_local(&format!(
            "ktadd -k {} -norandkey {user}",
            realm.path("user.keytab").display()
        ))?;
        realm.start_kdc()?;
        realm.kinit(
            &user,
            &realm.cfg.password.clone(),
            &realm.user_ccache(),
            &["-f"],
        )?;
        Ok(realm)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write_config(&self) -> Result<()> {
        let realm = &self.cfg.realm_name;
        let host = &self.cfg.hostname;
        let d = self.dir.path().display();
        let port = self.kdc_port();
        let mut krb5 = String::new();
        let _ = write!(
            krb5,
            "[libdefaults]
    default_realm = {realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    forwardable = true
    udp_preference_limit = 1
    default_tkt_enctypes = {ENCTYPES}
    default_tgs_enctypes = {ENCTYPES}
    permitted_enctypes = {ENCTYPES}
    default_ccache_name = FILE:{d}/ccache
    default_keytab_name = FILE:{d}/keytab
    default_client_keytab_name = FILE:{d}/user.keytab

[realms]
    {realm} = {{
        kdc = 127.0.0.1:{port}
        admin_server = 127.0.0.1:{port}
    }}

[domain_realm]
    {host} = {realm}
    .{host} = {realm}

[logging]
    kdc = FILE:{d}/kdc.log
    default = FILE:{d}/krb5lib.log
"
        );
        let mut kdc = String::new();
        let _ = write!(
            kdc,
            "[kdcdefaults]
    kdc_listen = 127.0.0.1:{port}
    kdc_tcp_listen = 127.0.0.1:{port}

[realms]
    {realm} = {{
        database_name = {d}/principal
        key_stash_file = {d}/stash
        acl_file = {d}/kadm5.acl
        max_life = 1d
        max_renewable_life = 7d
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
        master_key_type = aes256-cts-hmac-sha1-96
        kdc_listen = 127.0.0.1:{port}
        kdc_tcp_listen = 127.0.0.1:{port}
    }}

[logging]
    kdc = FILE:{d}/kdc.log
"
        );
        std::fs::write(self.krb5_conf(), krb5).map_err(io("write krb5.conf"))?;
        std::fs::write(self.kdc_conf(), kdc).map_err(io("write kdc.conf"))?;
        std::fs::write(self.path("kadm5.acl"), "").map_err(io("write kadm5.acl"))?;
        Ok(())
    }

    /// The realm name, e.g. `KRBTEST.COM`.
    pub fn realm_name(&self) -> &str {
        &self.cfg.realm_name
    }

    /// The host name of the services, e.g. `localhost`.
    pub fn hostname(&self) -> &str {
        &self.cfg.hostname
    }

    /// The realm's directory (removed on drop).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The `krb5.conf` for clients and services.
    pub fn krb5_conf(&self) -> PathBuf {
        self.path("krb5.conf")
    }

    /// The `kdc.conf` of the KDC.
    pub fn kdc_conf(&self) -> PathBuf {
        self.path("kdc.conf")
    }

    /// The KDC's port on 127.0.0.1 (TCP and UDP).
    pub fn kdc_port(&self) -> u16 {
        self.port.load(Ordering::Relaxed)
    }

    /// The test user, e.g. `user@KRBTEST.COM`.
    pub fn user_principal(&self) -> String {
        format!("{}@{}", self.cfg.user, self.cfg.realm_name)
    }

    /// The test user's password.
    pub fn user_password(&self) -> &str {
        &self.cfg.password
    }

    /// The user's credential cache, `FILE:<dir>/ccache`, holding a forwardable TGT.
    pub fn user_ccache(&self) -> String {
        format!("FILE:{}", self.path("ccache").display())
    }

    /// The user's client keytab, `FILE:<dir>/user.keytab` (the password still works too).
    pub fn user_keytab(&self) -> String {
        format!("FILE:{}", self.path("user.keytab").display())
    }

    /// The host service in GSS host-based form, e.g. `host@localhost`.
    pub fn host_service(&self) -> String {
        format!("host@{}", self.cfg.hostname)
    }

    /// The host service principal, e.g. `host/localhost@KRBTEST.COM`.
    pub fn host_principal(&self) -> String {
        format!("host/{}@{}", self.cfg.hostname, self.cfg.realm_name)
    }

    /// The HTTP service in GSS host-based form, e.g. `HTTP@localhost`.
    pub fn http_service(&self) -> String {
        format!("HTTP@{}", self.cfg.hostname)
    }

    /// The HTTP service principal, e.g. `HTTP/localhost@KRBTEST.COM`.
    pub fn http_principal(&self) -> String {
        format!("HTTP/{}@{}", self.cfg.hostname, self.cfg.realm_name)
    }

    /// The services' keytab, `FILE:<dir>/keytab`, with the host/ and HTTP/ keys.
    pub fn keytab(&self) -> String {
        format!("FILE:{}", self.path("keytab").display())
    }

    /// The replay cache directory for acceptors.
    pub fn rcache_dir(&self) -> PathBuf {
        self.path("rcache")
    }

    /// The environment that points the Kerberos library (and tools) at this realm.
    pub fn env(&self) -> BTreeMap<String, String> {
        let mut env = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            env.insert(k.to_string(), v);
        };
        put("KRB5_CONFIG", self.krb5_conf().display().to_string());
        put("KRB5_KDC_PROFILE", self.kdc_conf().display().to_string());
        put("KRB5CCNAME", self.user_ccache());
        put("KRB5_KTNAME", self.keytab());
        put("KRB5_CLIENT_KTNAME", self.user_keytab());
        put("KRB5RCACHEDIR", self.rcache_dir().display().to_string());
        env
    }

    /// A `Command` for `program` with [`Realm::env`] applied.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.envs(self.env());
        cmd
    }

    /// Credential-store values for an initiator (`gss_acquire_cred_from`): the user's ccache
    /// and client keytab.
    pub fn cred_store_initiate(&self) -> Vec<(String, String)> {
        vec![
            ("ccache".into(), self.user_ccache()),
            ("client_keytab".into(), self.user_keytab()),
        ]
    }

    /// Credential-store values for an acceptor: the services' keytab and a replay cache in the
    /// realm's directory.
    pub fn cred_store_accept(&self) -> Vec<(String, String)> {
        vec![
            ("keytab".into(), self.keytab()),
            (
                "rcache".into(),
                format!("file2:{}", self.rcache_dir().join("acceptor").display()),
            ),
        ]
    }

    fn qualify(&self, principal: &str) -> String {
        if principal.contains('@') {
            principal.to_string()
        } else {
            format!("{principal}@{}", self.cfg.realm_name)
        }
    }

    /// Runs a tool with the realm's environment; its stdout on success.
    fn run(&self, program: &str, args: &[&str], stdin: Option<&str>) -> Result<String> {
        let mut cmd = self.command(program);
        cmd.args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(io(format!("run {program}")))?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // A tool that exits early closes the pipe; its status tells the story.
            let _ = pipe.write_all(text.as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(io(format!("wait for {program}")))?;
        if !out.status.success() {
            return Err(Error::Command {
                program: program.to_string(),
                args: args.iter().map(|a| a.to_string()).collect(),
                status: out.status,
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs one `kadmin.local` query; its stdout. kadmin.local reports some failures only on
    /// stderr with a zero exit status, so those are turned into [`Error::Command`] too.
    pub fn kadmin_local(&self, query: &str) -> Result<String> {
        let mut cmd = self.command("kadmin.local");
        cmd.args(["-r", &self.cfg.realm_name, "-q", query])
            .stdin(Stdio::null());
        let out = cmd.output().map_err(io("run kadmin.local"))?;
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let failed_quietly = stderr.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            (l.contains("error") || l.contains("while ") || l.contains("not found"))
                && !l.contains("no policy specified")
        });
        if !out.status.success() || failed_quietly {
            return Err(Error::Command {
                program: "kadmin.local".into(),
                args: vec!["-q".into(), query.into()],
                status: out.status,
                stderr,
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Adds a principal (`@REALM` is added when missing) with a password, or a random key.
    pub fn add_principal(&self, principal: &str, password: Option<&str>) -> Result<()> {
        let p = self.qualify(principal);
        match password {
            Some(pw) => self.kadmin_local(&format!("addprinc -pw {} {p}", shell_word(pw)))?,
            None => self.kadmin_local(&format!("addprinc -randkey {p}"))?,
        };
        Ok(())
    }

    /// Changes a principal's attributes, e.g. `["+ok_to_auth_as_delegate"]`.
    pub fn modify_principal(&self, principal: &str, args: &[&str]) -> Result<()> {
        let p = self.qualify(principal);
        self.kadmin_local(&format!("modprinc {} {p}", args.join(" ")))?;
        Ok(())
    }

    /// Writes a principal's current keys into `keytab` (appending), without changing them.
    pub fn extract_keytab(&self, principal: &str, keytab: &Path) -> Result<()> {
        let p = self.qualify(principal);
        self.kadmin_local(&format!("ktadd -k {} -norandkey {p}", keytab.display()))?;
        Ok(())
    }

    /// Gets tickets for `principal` with its password into `ccache` (e.g. `FILE:/path`).
    pub fn kinit(
        &self,
        principal: &str,
        password: &str,
        ccache: &str,
        extra_args: &[&str],
    ) -> Result<()> {
        let p = self.qualify(principal);
        let mut args = vec!["-c", ccache];
        args.extend_from_slice(extra_args);
        args.push(&p);
        self.run("kinit", &args, Some(&format!("{password}\n")))?;
        Ok(())
    }

    /// Gets tickets for `principal` from `keytab` into `ccache`.
    pub fn kinit_keytab(
        &self,
        principal: &str,
        keytab: &str,
        ccache: &str,
        extra_args: &[&str],
    ) -> Result<()> {
        let p = self.qualify(principal);
        let mut args = vec!["-k", "-t", keytab, "-c", ccache];
        args.extend_from_slice(extra_args);
        args.push(&p);
        self.run("kinit", &args, None)?;
        Ok(())
    }

    /// A new ccache in the realm's directory holding tickets for `principal` that have already
    /// expired: a one-second ticket, then a wait until it is past its end time.
    pub fn expired_ccache(&self, principal: &str, password: &str) -> Result<String> {
        let name = format!(
            "expired-{}-{}",
            std::process::id(),
            EXPIRED_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let ccache = format!("FILE:{}", self.path(&name).display());
        self.kinit(principal, password, &ccache, &["-l", "1s"])?;
        // The end time has a one-second resolution: wait until it is surely in the past.
        std::thread::sleep(Duration::from_millis(2100));
        Ok(ccache)
    }

    /// The principal's current key version number.
    pub fn kvno_of(&self, principal: &str) -> Result<u32> {
        let p = self.qualify(principal);
        let out = self.kadmin_local(&format!("getprinc {p}"))?;
        out.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Key: vno ")
                    .and_then(|rest| rest.split(',').next())
                    .and_then(|n| n.trim().parse().ok())
            })
            .ok_or_else(|| Error::Parse {
                what: "kadmin.local getprinc".into(),
                output: out.clone(),
            })
    }

    /// Gives the principal a new random key (a new kvno) without touching any keytab, so
    /// keytabs keep only the old kvno. Returns the new kvno.
    pub fn rotate_key(&self, principal: &str) -> Result<u32> {
        let p = self.qualify(principal);
        self.kadmin_local(&format!("cpw -randkey {p}"))?;
        self.kvno_of(&p)
    }

    /// Whether the KDC process is running.
    pub fn kdc_running(&self) -> bool {
        let mut guard = lock(&self.kdc);
        match guard.as_mut() {
            Some(kdc) => matches!(kdc.watchdog.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Stops the KDC (the realm's files stay). Idempotent.
    pub fn stop_kdc(&self) -> Result<()> {
        let taken = lock(&self.kdc).take();
        if let Some(mut kdc) = taken {
            // "stop" then EOF: the watchdog stops the KDC, keeps the files, and exits.
            if let Some(mut pipe) = kdc.stdin.take() {
                let _ = pipe.write_all(b"stop\n");
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                match kdc.watchdog.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    _ => {
                        let _ = kdc.watchdog.kill();
                        let _ = kdc.watchdog.wait();
                        break;
                    }
                }
            }
            wait_port_closed(self.kdc_port());
        }
        Ok(())
    }

    /// Starts the KDC and waits until it accepts connections. Idempotent.
    ///
    /// If the port was taken in the meantime (it is chosen free, but another process may bind
    /// it before the KDC does), the realm moves to a new port and tries again.
    pub fn start_kdc(&self) -> Result<()> {
        let mut last = None;
        for _ in 0..5 {
            match self.start_kdc_once() {
                Ok(()) => return Ok(()),
                Err(StartFailure::Exited(log)) => {
                    let _ = self.stop_kdc();
                    last = Some(log);
                    self.port.store(free_port()?, Ordering::Relaxed);
                    self.write_config()?;
                }
                Err(StartFailure::Other(e)) => return Err(e),
            }
        }
        Err(Error::Parse {
            what: "krb5kdc (exited at start, five times)".into(),
            output: last.unwrap_or_default(),
        })
    }

    fn start_kdc_once(&self) -> Result<(), StartFailure> {
        let mut guard = lock(&self.kdc);
        if guard.is_some() {
            return Ok(());
        }
        let log_start = std::fs::metadata(self.path("kdc.log")).map_or(0, |m| m.len());
        let _ = std::fs::remove_file(self.path("kdc.pid"));
        // The watchdog runs the KDC (in no-fork mode, -n) in the background of a shell that
        // then waits on its stdin. stop_kdc writes "stop" and closes the pipe: the KDC is
        // stopped and the files stay. If our process ends without that (a realm in a static),
        // the pipe just closes: the KDC is stopped and the directory removed.
        let script = r#"
            krb5kdc -n -r "$1" >>"$2/kdc.stderr" 2>&1 &
            kdc=$!
            echo "$kdc" >"$2/kdc.pid"
            if read -r cmd && [ "$cmd" = stop ]; then keep=1; else keep=0; fi
            kill "$kdc" 2>/dev/null
            wait "$kdc" 2>/dev/null
            [ "$keep" = 1 ] || rm -rf "$2"
        "#;
        let mut child = self
            .command("sh")
            .arg("-c")
            .arg(script)
            .arg("gssapi-testrealm-kdc")
            .arg(&self.cfg.realm_name)
            .arg(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| StartFailure::Other(io("start krb5kdc")(e)))?;
        let stdin = child.stdin.take();
        *guard = Some(Kdc {
            watchdog: child,
            stdin,
        });
        drop(guard);
        self.wait_for_kdc(log_start)
    }

    /// Waits until the KDC logs that it is serving (or, failing that, answers on its port while
    /// its process lives); reports its exit at start as [`StartFailure::Exited`].
    fn wait_for_kdc(&self, log_start: u64) -> Result<(), StartFailure> {
        let start = Instant::now();
        let addr = SocketAddr::from(([127, 0, 0, 1], self.kdc_port()));
        while start.elapsed() < Duration::from_secs(15) {
            let pid = std::fs::read_to_string(self.path("kdc.pid"))
                .ok()
                .and_then(|p| p.trim().parse::<u32>().ok());
            if let Some(pid) = pid {
                if !process_alive(pid) {
                    let mut log = String::new();
                    if let Ok(mut f) = std::fs::File::open(self.path("kdc.stderr")) {
                        let _ = f.read_to_string(&mut log);
                    }
                    return Err(StartFailure::Exited(log));
                }
                let logged = std::fs::read(self.path("kdc.log"))
                    .ok()
                    .and_then(|l| l.get(log_start as usize..).map(<[u8]>::to_vec))
                    .is_some_and(|l| l.windows(20).any(|w| w == b"commencing operation"));
                if logged
                    || TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
                        && process_alive(pid)
                {
                    return Ok(());
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(StartFailure::Other(Error::Timeout {
            what: format!("krb5kdc to listen on {addr}"),
            waited: start.elapsed(),
        }))
    }
}

/// Why one start of the KDC failed.
enum StartFailure {
    /// The KDC exited (typically: its port was taken); its stderr.
    Exited(String),
    /// Anything else.
    Other(Error),
}

/// Whether process `pid` exists and is not a zombie (Linux `/proc`).
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesized command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

static EXPIRED_SERIAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl Drop for Realm {
    fn drop(&mut self) {
        let _ = self.stop_kdc();
        // TempDir removes the directory after this.
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A port free on 127.0.0.1 for both TCP and UDP.
fn free_port() -> Result<u16> {
    for _ in 0..50 {
        let tcp = TcpListener::bind("127.0.0.1:0").map_err(io("find a free port"))?;
        let port = tcp.local_addr().map_err(io("find a free port"))?.port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err(Error::Timeout {
        what: "a port free for both TCP and UDP".into(),
        waited: Duration::ZERO,
    })
}

fn wait_port_closed(port: u16) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Quotes a word for kadmin's query parser, which splits on spaces.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.@/+:".contains(c))
    {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('"', "\\\""))
    }
}
