//! A throwaway MIT Kerberos realm on loopback, for tests and demos: the Rust counterpart of
//! python's `k5test`.
//!
//! ```no_run
//! use gssapi_testrealm::Realm;
//!
//! let realm = Realm::new()?; // krb5kdc on 127.0.0.1:<free port>, everything in a temp dir
//! println!("{} has a ticket in {}", realm.user_principal(), realm.user_ccache());
//!
//! // Any tool, with the environment that points the Kerberos library at the realm.
//! let klist = realm.command("klist").output()?;
//! assert!(klist.status.success());
//!
//! // Principals, keytabs and tickets of your own.
//! realm.add_principal("alice", Some("alice-pw"))?;
//! let ccache = format!("FILE:{}/alice.ccache", realm.dir().display());
//! realm.kinit("alice", "alice-pw", &ccache, &["-f"])?;
//!
//! // Dropping the realm stops the KDC and removes the directory.
//! drop(realm);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Realm::new`] writes `krb5.conf` and `kdc.conf`, creates the KDC database, starts `krb5kdc`,
//! adds a user with a password and a client keytab, `host/` and `HTTP/` services with a keytab,
//! and kinit's the user (forwardable) into a ccache. [`Realm::env`] and [`Realm::command`] give
//! the environment that points the Kerberos library at it; [`Realm::cred_store_initiate`] and
//! [`Realm::cred_store_accept`] give the same as a [`CredStore`] (gssapi-raw's type, for
//! `acquire_cred_from` and the high-level builder), for code that must not touch the process
//! environment.
//!
//! The realm only runs the MIT command-line tools (`kdb5_util`, `kadmin.local`, `krb5kdc`,
//! `kinit`, `klist`); it calls no Kerberos library itself (it depends on gssapi-raw only for the
//! [`CredStore`] type). The encryption types are restricted to
//! [`ENCTYPES`], which MIT and Heimdal both implement, so either library can use its tickets
//! and keytabs.
//!
//! The realm never calls `std::env::set_var`: every child process gets its environment
//! explicitly. Tests that need the environment set for the library in their own process should
//! set it before any thread starts (a custom test `main`) or run the Kerberos work in child
//! processes built with [`Realm::command`].
//!
//! # Lifetime
//!
//! Each realm has a small `sh` watchdog whose standard input is a pipe held by the realm (the
//! write end is close-on-exec, so no other child inherits it). When the process ends without
//! dropping the realm, for instance a realm kept in a `static` or a test run stopped with
//! Ctrl-C, the pipe closes and the watchdog kills the KDC and removes the directory, within
//! milliseconds. Dropping the realm kills and reaps the KDC itself, then has the watchdog
//! remove the directory.
//!
//! # Faults
//!
//! [`Realm::expired_ccache`] (tickets already expired), [`Realm::rotate_key`] (a service key
//! changed after its keytab was written), [`Realm::stop_kdc`] / [`Realm::start_kdc`] (an
//! unreachable KDC).
//!
//! # Constrained delegation
//!
//! S4U2Self works (`modify_principal(svc, &["+ok_to_auth_as_delegate"])`). S4U2Proxy cannot be
//! set up: the realm uses MIT's DB2 database, whose module implements neither
//! `check_allowed_to_delegate` nor `allowed_to_delegate_from`, so the KDC answers every
//! S4U2Proxy request with `KDC_ERR_BADOPTION`. It would take an LDAP KDB
//! (`krbAllowedToDelegateTo`); see `docs/credentials.md`.
//!
//! # Requirements
//!
//! The MIT KDC and client tools (Debian: `krb5-kdc`, `krb5-admin-server` and `krb5-user`).
//! Programs that are not on `PATH` are also looked for in `/usr/sbin`, `/sbin` and
//! `/usr/local/sbin`, where the KDC tools live on most systems.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub use gssapi_raw::ext::cred_store::CredStore;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The encryption types of the realm (database keys, tickets, keytabs): the ones both MIT and
/// Heimdal implement, so either library can use the realm.
pub const ENCTYPES: &str = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96";

/// How long [`Realm::start_kdc`] waits for the KDC to answer.
const KDC_START_TIMEOUT: Duration = Duration::from_secs(10);

/// How many fresh ports [`RealmBuilder::build`] tries when another process takes the one it
/// picked before the KDC could bind it.
const PORT_ATTEMPTS: usize = 5;

/// Password of the database master key. The realm is throwaway and the key is stashed in its
/// directory; it is passed to `kdb5_util` on stdin, never on a command line.
const MASTER_PASSWORD: &str = "gssapi-testrealm-master-key";

/// What went wrong setting up or driving the realm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or process operation failed (a missing tool shows up here as "not found").
    #[error("could not {what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A Kerberos tool failed: a non-zero exit status, or (`kadmin.local`, which exits with 0
    /// after most failed queries) an error message on stderr.
    #[error(
        "{} failed ({}): {stderr}",
        command_line(program, args),
        describe_status(status)
    )]
    Command {
        /// The program.
        program: String,
        /// Its arguments (secrets are never passed as arguments).
        args: Vec<String>,
        /// Its exit status.
        status: ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },
    /// Something did not happen in time.
    #[error("timed out after {waited:?} waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long.
        waited: Duration,
    },
    /// The KDC exited while starting.
    #[error("krb5kdc exited while starting ({status}); the end of its log:\n{log}")]
    KdcExited {
        /// Its exit status.
        status: ExitStatus,
        /// The last lines of its log (`kdc.log` in the realm's directory).
        log: String,
    },
    /// A tool printed something this crate could not understand.
    #[error("unexpected output from {what}: {output}")]
    Parse {
        /// Which tool.
        what: String,
        /// The output.
        output: String,
    },
    /// An argument cannot be passed to the tools, e.g. a password with a line break.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let what = what.into();
    move |source| Error::Io { what, source }
}

fn command_line(program: &str, args: &[String]) -> String {
    let mut line = program.to_string();
    for arg in args {
        line.push(' ');
        if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_graphic() && c != '\'') {
            line.push_str(arg);
        } else {
            line.push('\'');
            line.push_str(&arg.replace('\'', r"'\''"));
            line.push('\'');
        }
    }
    line
}

fn describe_status(status: &ExitStatus) -> String {
    if status.success() {
        "it reported an error but exited with status 0".into()
    } else {
        status.to_string()
    }
}

/// Configures and builds a [`Realm`]; from [`Realm::builder`].
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

    /// The host name of the `host/` and `HTTP/` services (default `localhost`). The KDC itself
    /// always listens on 127.0.0.1.
    pub fn hostname(mut self, host: &str) -> Self {
        self.hostname = host.to_string();
        self
    }

    /// The test user's name without realm (default `user`) and password (default
    /// `user-password`).
    pub fn user(mut self, name: &str, password: &str) -> Self {
        self.user = name.to_string();
        self.password = password.to_string();
        self
    }

    /// Creates the realm, starts its KDC and kinit's the user.
    pub fn build(self) -> Result<Realm> {
        Realm::create(self)
    }
}

/// The processes of a realm, behind the realm's mutex.
struct Procs {
    /// The running KDC, if any.
    kdc: Option<Child>,
    /// The watchdog: kills the KDC and removes the directory when its stdin closes.
    watchdog: Child,
    /// The write end of the watchdog's stdin; `None` once closed.
    watchdog_in: Option<ChildStdin>,
}

impl Procs {
    /// Tells the watchdog something; a watchdog that is gone has nothing left to do.
    fn tell(&mut self, line: &str) {
        if let Some(pipe) = self.watchdog_in.as_mut() {
            let _ = pipe.write_all(format!("{line}\n").as_bytes());
        }
    }

    /// Kills and reaps the KDC, then tells the watchdog to forget its pid.
    fn stop_kdc(&mut self) {
        if let Some(mut kdc) = self.kdc.take() {
            let _ = kdc.kill();
            let _ = kdc.wait();
            self.tell("forget");
        }
    }
}

/// A running throwaway realm. See the [crate docs](crate).
///
/// `Send + Sync`: the KDC is behind a mutex, so [`Realm::stop_kdc`] and [`Realm::start_kdc`]
/// take `&self` and a realm can live in a `static`.
pub struct Realm {
    cfg: RealmBuilder,
    /// Changes only when a start finds the port taken and moves to another one.
    port: AtomicU16,
    krb5_conf: PathBuf,
    kdc_conf: PathBuf,
    procs: Mutex<Procs>,
    // Last: removed (if the watchdog has not done so yet) after `Drop::drop` stopped the KDC.
    dir: tempfile::TempDir,
}

impl fmt::Debug for Realm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Realm")
            .field("realm", &self.cfg.realm_name)
            .field("dir", &self.dir.path())
            .field("kdc_port", &self.kdc_port())
            .field("kdc_pid", &self.kdc_pid())
            .finish_non_exhaustive()
    }
}

/// Waits on stdin; at EOF kills the KDC it was told about and removes the directory. It runs in
/// a process group of its own and ignores the usual termination signals, so that it outlives
/// the test process it guards.
const WATCHDOG: &str = r#"
trap '' HUP INT QUIT TERM
dir=$1
kdc=
while IFS= read -r line; do
    case $line in
        "kdc "*) kdc=${line#kdc } ;;
        forget) kdc= ;;
    esac
done
if [ -n "$kdc" ]; then kill -KILL "$kdc" 2>/dev/null; fi
case $dir in
    /?*) rm -rf -- "$dir" ;;
esac
"#;

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
        for (what, value) in [
            ("realm name", &cfg.realm_name),
            ("host name", &cfg.hostname),
            ("user name", &cfg.user),
        ] {
            if value.is_empty()
                || value
                    .chars()
                    .any(|c| c.is_whitespace() || "@/\"'{}".contains(c))
            {
                return Err(Error::InvalidArgument(format!("unusable {what} {value:?}")));
            }
        }
        check_password(&cfg.password)?;

        let dir = tempfile::Builder::new()
            .prefix("gssapi-testrealm-")
            .tempdir()
            .map_err(io("create the realm directory"))?;
        // The watchdog first: from here on, the directory goes away with the process.
        let mut watchdog = Command::new("sh");
        watchdog
            .arg("-c")
            .arg(WATCHDOG)
            .arg("gssapi-testrealm-watchdog")
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Its own process group: signals for the test's group (Ctrl-C, a runner's killpg,
        // even SIGKILL) end the test and its KDC, not the watchdog that cleans up after them.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut watchdog, 0);
        let mut watchdog = watchdog.spawn().map_err(io("start the watchdog (sh)"))?;
        let watchdog_in = watchdog.stdin.take();
        let realm = Realm {
            krb5_conf: dir.path().join("krb5.conf"),
            kdc_conf: dir.path().join("kdc.conf"),
            cfg,
            port: AtomicU16::new(0),
            procs: Mutex::new(Procs {
                kdc: None,
                watchdog,
                watchdog_in,
            }),
            dir,
        };
        // From here on an error drops `realm`, which cleans up.
        std::fs::create_dir(realm.rcache_dir()).map_err(io("create the rcache directory"))?;
        std::fs::write(realm.path("kadm5.acl"), "").map_err(io("write kadm5.acl"))?;
        realm.port.store(free_port()?, Ordering::Relaxed);
        realm.write_config()?;

        let master = format!("{MASTER_PASSWORD}\n{MASTER_PASSWORD}\n");
        let realm_name = realm.cfg.realm_name.clone();
        realm.run(
            "kdb5_util",
            &["create", "-s", "-W", "-r", &realm_name],
            Some(&master),
        )?;
        // Principals and keytabs before the KDC starts: kadmin.local works on the database.
        let (user, password) = (realm.user_principal(), realm.cfg.password.clone());
        realm.add_principal(&user, Some(&password))?;
        realm.add_principal(&realm.host_principal(), None)?;
        realm.add_principal(&realm.http_principal(), None)?;
        realm.kadmin_local(&format!(
            "ktadd -k {} -norandkey {} {}",
            quote(&path_str(&realm.path("keytab"))?),
            quote(&realm.host_principal()),
            quote(&realm.http_principal()),
        ))?;
        realm.extract_keytab(&user, &realm.path("user.keytab"))?;

        realm.start_kdc()?;
        realm.kinit(&user, &password, &realm.user_ccache(), &["-f"])?;
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
        let krb5 = format!(
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
    }}

[domain_realm]
    {host} = {realm}
    .{host} = {realm}
"
        );
        let supported: Vec<String> = ENCTYPES.split(' ').map(|e| format!("{e}:normal")).collect();
        let supported = supported.join(" ");
        let kdc = format!(
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
        master_key_type = aes256-cts-hmac-sha1-96
        supported_enctypes = {supported}
    }}

[logging]
    kdc = FILE:{d}/kdc.log
"
        );
        std::fs::write(&self.krb5_conf, krb5).map_err(io("write krb5.conf"))?;
        std::fs::write(&self.kdc_conf, kdc).map_err(io("write kdc.conf"))?;
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

    /// The realm's directory, removed when the realm is dropped or the process exits.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The `krb5.conf` for clients and services (`KRB5_CONFIG`).
    pub fn krb5_conf(&self) -> &Path {
        &self.krb5_conf
    }

    /// The `kdc.conf` of the KDC and `kadmin.local` (`KRB5_KDC_PROFILE`).
    pub fn kdc_conf(&self) -> &Path {
        &self.kdc_conf
    }

    /// The KDC's log, which also receives its stdout and stderr.
    pub fn kdc_log(&self) -> PathBuf {
        self.path("kdc.log")
    }

    /// The KDC's port on 127.0.0.1, for both TCP and UDP.
    pub fn kdc_port(&self) -> u16 {
        self.port.load(Ordering::Relaxed)
    }

    /// The KDC's process id while it runs.
    pub fn kdc_pid(&self) -> Option<u32> {
        let mut procs = lock(&self.procs);
        reap_if_exited(&mut procs);
        procs.kdc.as_ref().map(Child::id)
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

    /// The user's client keytab, `FILE:<dir>/user.keytab`. It was extracted without changing
    /// the keys, so the password works too.
    pub fn user_keytab(&self) -> String {
        format!("FILE:{}", self.path("user.keytab").display())
    }

    /// A client keytab that does not exist (`FILE:<dir>/no-client-keytab`), for code that must
    /// not refresh expired tickets from [`Realm::user_keytab`]: see [`Realm::expired_ccache`].
    pub fn no_client_keytab(&self) -> String {
        format!("FILE:{}", self.path("no-client-keytab").display())
    }

    /// Credential-store values for an initiator that uses `ccache` and nothing else: the
    /// client keytab is [`Realm::no_client_keytab`], so MIT cannot refresh expired tickets.
    pub fn cred_store_ccache_only(&self, ccache: &str) -> CredStore {
        CredStore::new()
            .ccache(ccache)
            .client_keytab(&self.no_client_keytab())
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

    /// The services' keytab, `FILE:<dir>/keytab`, with the `host/` and `HTTP/` keys.
    pub fn keytab(&self) -> String {
        format!("FILE:{}", self.path("keytab").display())
    }

    /// The replay cache directory for acceptors, `<dir>/rcache` (`KRB5RCACHEDIR`).
    pub fn rcache_dir(&self) -> PathBuf {
        self.path("rcache")
    }

    /// The environment that points the Kerberos library and tools at this realm:
    /// `KRB5_CONFIG`, `KRB5_KDC_PROFILE`, `KRB5CCNAME` (the user's ccache), `KRB5_KTNAME` (the
    /// services' keytab), `KRB5_CLIENT_KTNAME` (the user's keytab) and `KRB5RCACHEDIR`.
    pub fn env(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("KRB5_CONFIG".into(), self.krb5_conf.display().to_string()),
            (
                "KRB5_KDC_PROFILE".into(),
                self.kdc_conf.display().to_string(),
            ),
            ("KRB5CCNAME".into(), self.user_ccache()),
            ("KRB5_KTNAME".into(), self.keytab()),
            ("KRB5_CLIENT_KTNAME".into(), self.user_keytab()),
            (
                "KRB5RCACHEDIR".into(),
                self.rcache_dir().display().to_string(),
            ),
        ])
    }

    /// A `Command` for `program` with [`Realm::env`] added to the inherited environment.
    ///
    /// A bare program name that is not on `PATH` is also looked for in the `sbin` directories,
    /// so `realm.command("kadmin.local")` works for users whose `PATH` lacks them.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(resolve(program.as_ref()));
        cmd.envs(self.env());
        cmd
    }

    /// Credential-store values for an initiator (`gss_acquire_cred_from`): `ccache` (the
    /// user's) and `client_keytab` (the user's keytab).
    pub fn cred_store_initiate(&self) -> CredStore {
        CredStore::new()
            .ccache(&self.user_ccache())
            .client_keytab(&self.user_keytab())
    }

    /// Credential-store values for an acceptor: `keytab` (the services') and `rcache`, a
    /// replay cache file in [`Realm::rcache_dir`].
    pub fn cred_store_accept(&self) -> CredStore {
        CredStore::new().keytab(&self.keytab()).rcache(&format!(
            "file2:{}",
            self.rcache_dir().join("acceptor").display()
        ))
    }

    /// `principal` with `@REALM` added when it has no realm.
    fn qualify(&self, principal: &str) -> String {
        if principal.contains('@') {
            principal.to_string()
        } else {
            format!("{principal}@{}", self.cfg.realm_name)
        }
    }

    /// Runs a tool with the realm's environment, `input` on its stdin; its stdout on success.
    fn run(&self, program: &str, args: &[&str], input: Option<&str>) -> Result<String> {
        let (status, stdout, stderr) = self.run_raw(program, args, input)?;
        if !status.success() {
            return Err(command_error(program, args, status, stderr));
        }
        Ok(stdout)
    }

    fn run_raw(
        &self,
        program: &str,
        args: &[&str],
        input: Option<&str>,
    ) -> Result<(ExitStatus, String, String)> {
        let mut child = self
            .command(program)
            .args(args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(io(format!("run {program}")))?;
        if let (Some(text), Some(mut pipe)) = (input, child.stdin.take()) {
            // A few short lines: they fit in the pipe, so this cannot block on the child. A
            // tool that exits without reading closes the pipe; its status tells the story.
            let _ = pipe.write_all(text.as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(io(format!("wait for {program}")))?;
        Ok((
            out.status,
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ))
    }

    fn kadmin(&self, query: &str, input: Option<&str>) -> Result<String> {
        let realm = self.cfg.realm_name.as_str();
        let args = ["-r", realm, "-q", query];
        let (status, stdout, stderr) = self.run_raw("kadmin.local", &args, input)?;
        // kadmin.local exits with 0 after most failed queries and says so only on stderr,
        // which on success carries at most a notice about the password policy.
        let benign = |line: &str| {
            let lower = line.trim().to_ascii_lowercase();
            lower.is_empty()
                || lower.starts_with("no policy specified")
                || lower.starts_with("warning: no policy specified")
                || lower.starts_with("notice:")
        };
        if !status.success() || !stderr.lines().all(benign) {
            return Err(command_error("kadmin.local", &args, status, stderr));
        }
        Ok(stdout)
    }

    /// Runs one `kadmin.local` query (`kadmin.local -r REALM -q QUERY`) and returns its stdout.
    ///
    /// kadmin.local exits with status 0 after most failed queries; an error message on its
    /// stderr is reported as [`Error::Command`] too.
    pub fn kadmin_local(&self, query: &str) -> Result<String> {
        self.kadmin(query, None)
    }

    /// Adds a principal (`@REALM` is added when missing) with a password (given to kadmin on
    /// stdin), or with a random key when `password` is `None`.
    pub fn add_principal(&self, principal: &str, password: Option<&str>) -> Result<()> {
        let p = quote(&self.qualify(principal));
        match password {
            Some(pw) => {
                check_password(pw)?;
                self.kadmin(&format!("addprinc {p}"), Some(&format!("{pw}\n{pw}\n")))?
            }
            None => self.kadmin(&format!("addprinc -randkey {p}"), None)?,
        };
        Ok(())
    }

    /// Changes a principal with `kadmin.local modprinc`, e.g. `["+ok_to_auth_as_delegate"]` or
    /// `["-maxlife", "1h"]`.
    pub fn modify_principal(&self, principal: &str, args: &[&str]) -> Result<()> {
        let mut query = String::from("modprinc");
        for arg in args {
            query.push(' ');
            query.push_str(&quote(arg));
        }
        query.push(' ');
        query.push_str(&quote(&self.qualify(principal)));
        self.kadmin(&query, None)?;
        Ok(())
    }

    /// Adds a principal's current keys to the keytab file `keytab` (created if missing),
    /// without changing the keys (`ktadd -norandkey`): its password, if any, keeps working.
    pub fn extract_keytab(&self, principal: &str, keytab: &Path) -> Result<()> {
        let query = format!(
            "ktadd -k {} -norandkey {}",
            quote(&path_str(keytab)?),
            quote(&self.qualify(principal))
        );
        self.kadmin(&query, None)?;
        Ok(())
    }

    /// Gets initial tickets for `principal` with its password (given to kinit on stdin) into
    /// `ccache` (e.g. `FILE:/path`). `extra_args` go to kinit, e.g. `["-f"]` or `["-l", "1h"]`.
    pub fn kinit(
        &self,
        principal: &str,
        password: &str,
        ccache: &str,
        extra_args: &[&str],
    ) -> Result<()> {
        check_password(password)?;
        let p = self.qualify(principal);
        let mut args = vec!["-c", ccache];
        args.extend_from_slice(extra_args);
        args.push(&p);
        self.run("kinit", &args, Some(&format!("{password}\n")))?;
        Ok(())
    }

    /// Gets initial tickets for `principal` with a key from `keytab` (e.g. `FILE:/path`) into
    /// `ccache`.
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

    /// A new `FILE:` ccache in the realm's directory holding tickets for `principal` that have
    /// already expired, for MIT and Heimdal alike.
    ///
    /// Use it with [`Realm::no_client_keytab`] as the client keytab (`KRB5_CLIENT_KTNAME` or
    /// the cred store's `client_keytab`): MIT's `gss_acquire_cred` otherwise replaces expired
    /// tickets with fresh ones from the client keytab, and for the realm's user the default one
    /// ([`Realm::user_keytab`], named in `krb5.conf` and [`Realm::env`]) has the key. Through
    /// GSSAPI MIT then hands out the credential and `gss_init_sec_context` fails with
    /// `KRB5KRB_AP_ERR_TKT_EXPIRED`; Heimdal refuses it at acquire (`GSS_S_NO_CRED`).
    ///
    /// The KDC issues a ticket for one second. Ticket times have a resolution of one second,
    /// and the Kerberos libraries keep using a ticket through its end second (`klist -s` calls
    /// it expired a second earlier), so this waits until the clock is a second past the end
    /// time: 1 to 2 seconds, 1.5 on average. It checks the result with `klist -s`.
    pub fn expired_ccache(&self, principal: &str, password: &str) -> Result<String> {
        static SERIAL: AtomicU32 = AtomicU32::new(0);
        let name = format!("expired-{}.ccache", SERIAL.fetch_add(1, Ordering::Relaxed));
        let ccache = format!("FILE:{}", self.path(&name).display());
        self.kinit(principal, password, &ccache, &["-l", "1s"])?;
        // The end time is kinit's clock reading, in whole seconds, plus one; that reading came
        // before `now`. The library rejects the ticket once its whole-second clock is past
        // the end time. The 20 ms spare covers coarse clocks (time(2) may lag this one).
        let now = unix_now();
        let expired = Duration::from_secs(now.as_secs() + 2) + Duration::from_millis(20);
        std::thread::sleep(expired.saturating_sub(now));
        let (status, stdout, stderr) = self.run_raw("klist", &["-s", "-c", &ccache], None)?;
        if status.success() {
            return Err(Error::Parse {
                what: format!("klist -s -c {ccache} (the tickets should have expired)"),
                output: format!("{stdout}{stderr}"),
            });
        }
        Ok(ccache)
    }

    /// The principal's current key version number, from the database.
    pub fn kvno_of(&self, principal: &str) -> Result<u32> {
        let p = self.qualify(principal);
        let out = self.kadmin(&format!("getprinc {}", quote(&p)), None)?;
        // "Key: vno 2, aes256-cts-hmac-sha1-96", one line per key ("MKey:" is the master key).
        out.lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("Key: vno ")?;
                rest.split(',').next()?.trim().parse::<u32>().ok()
            })
            .max()
            .ok_or_else(|| Error::Parse {
                what: format!("kadmin.local getprinc {p}"),
                output: out.clone(),
            })
    }

    /// Gives the principal new random keys with a new key version number (`cpw -randkey`),
    /// leaving every keytab with the old keys only. Returns the new kvno.
    pub fn rotate_key(&self, principal: &str) -> Result<u32> {
        let p = self.qualify(principal);
        self.kadmin(&format!("cpw -randkey {}", quote(&p)), None)?;
        self.kvno_of(&p)
    }

    /// Whether the KDC process is running.
    pub fn kdc_running(&self) -> bool {
        let mut procs = lock(&self.procs);
        reap_if_exited(&mut procs);
        procs.kdc.is_some()
    }

    /// Stops the KDC (kills it and waits for it); the realm's files stay. Does nothing when it
    /// is not running.
    pub fn stop_kdc(&self) -> Result<()> {
        lock(&self.procs).stop_kdc();
        Ok(())
    }

    /// Starts the KDC (`krb5kdc -n -r REALM`) and waits, up to 10 seconds, until it accepts
    /// connections. Does nothing when it is running.
    pub fn start_kdc(&self) -> Result<()> {
        // Another process may take the port between `free_port` and the KDC binding it, or
        // while the KDC was stopped: move to a fresh port and try again.
        let mut attempt = 1;
        loop {
            match self.start_kdc_once() {
                Err(Error::KdcExited { log, .. })
                    if log.contains("Address already in use") && attempt < PORT_ATTEMPTS =>
                {
                    attempt += 1;
                    self.port.store(free_port()?, Ordering::Relaxed);
                    self.write_config()?;
                }
                other => return other,
            }
        }
    }

    fn start_kdc_once(&self) -> Result<()> {
        let mut procs = lock(&self.procs);
        reap_if_exited(&mut procs);
        if procs.kdc.is_some() {
            return Ok(());
        }
        let log_path = self.kdc_log();
        let open_log = || {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .map_err(io("open kdc.log"))
        };
        let child = self
            .command("krb5kdc")
            .args(["-n", "-r", &self.cfg.realm_name])
            .stdin(Stdio::null())
            .stdout(open_log()?)
            .stderr(open_log()?)
            .spawn()
            .map_err(io("start krb5kdc"))?;
        let pid = child.id();
        procs.kdc = Some(child);
        procs.tell(&format!("kdc {pid}"));

        let result = self.wait_until_ready(&mut procs, pid);
        if result.is_err() {
            procs.stop_kdc();
        }
        result
    }

    /// Polls until the KDC accepts TCP connections and has logged that it is ready.
    fn wait_until_ready(&self, procs: &mut Procs, pid: u32) -> Result<()> {
        let start = Instant::now();
        let addr = SocketAddr::from(([127, 0, 0, 1], self.kdc_port()));
        let ready_line = format!("[{pid}](info): commencing operation");
        let mut answered_at = None;
        loop {
            if let Some(kdc) = procs.kdc.as_mut()
                && let Ok(Some(status)) = kdc.try_wait()
            {
                procs.kdc = None;
                procs.tell("forget");
                return Err(Error::KdcExited {
                    status,
                    log: log_tail(&self.kdc_log(), 20),
                });
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
                // Something answers. It is our KDC once the KDC says it set up its sockets
                // (another process on the port makes ours exit instead, seen above). Should
                // a KDC version log differently, half a second of it running will do.
                let since = *answered_at.get_or_insert_with(Instant::now);
                let logged = std::fs::read_to_string(self.kdc_log())
                    .is_ok_and(|log| log.contains(&ready_line));
                if logged || since.elapsed() > Duration::from_millis(500) {
                    return Ok(());
                }
            }
            if start.elapsed() > KDC_START_TIMEOUT {
                return Err(Error::Timeout {
                    what: format!("krb5kdc to answer on {addr}"),
                    waited: start.elapsed(),
                });
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Realm {
    fn drop(&mut self) {
        let procs = self
            .procs
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        procs.stop_kdc();
        // EOF: the watchdog removes the directory and exits. TempDir's own removal then finds
        // nothing left to do.
        procs.watchdog_in = None;
        let _ = procs.watchdog.wait();
    }
}

/// Reaps a KDC that exited by itself, and tells the watchdog to forget its pid.
fn reap_if_exited(procs: &mut Procs) {
    if let Some(kdc) = procs.kdc.as_mut()
        && !matches!(kdc.try_wait(), Ok(None))
    {
        procs.kdc = None;
        procs.tell("forget");
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn command_error(program: &str, args: &[&str], status: ExitStatus, stderr: String) -> Error {
    Error::Command {
        program: program.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        status,
        stderr,
    }
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The last `n` lines of a log file (empty if it cannot be read).
fn log_tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Passwords go to the tools on stdin, one per line.
fn check_password(password: &str) -> Result<()> {
    if password.contains(['\n', '\r']) {
        return Err(Error::InvalidArgument(
            "a password cannot contain a line break".into(),
        ));
    }
    Ok(())
}

fn path_str(path: &Path) -> Result<String> {
    path.to_str()
        .map(str::to_string)
        .ok_or_else(|| Error::InvalidArgument(format!("path is not UTF-8: {}", path.display())))
}

/// Quotes a word for kadmin's query parser, which splits on white space and understands
/// double quotes.
fn quote(word: &str) -> String {
    if !word.is_empty() && !word.chars().any(|c| c.is_whitespace() || c == '"') {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace('"', "\\\""))
    }
}

/// `program` itself if it has a path or is on `PATH`; otherwise the first `sbin` directory
/// holding it (the KDC tools are there, and users' `PATH` often lacks them).
fn resolve(program: &OsStr) -> PathBuf {
    let name = Path::new(program);
    if name.components().count() != 1 {
        return name.to_path_buf();
    }
    let on_path = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()));
    if !on_path {
        for dir in ["/usr/sbin", "/sbin", "/usr/local/sbin"] {
            let candidate = Path::new(dir).join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    name.to_path_buf()
}

/// A port that is free on 127.0.0.1 for both TCP and UDP, right now.
fn free_port() -> Result<u16> {
    for _ in 0..50 {
        let tcp = TcpListener::bind("127.0.0.1:0").map_err(io("bind a loopback port"))?;
        let port = tcp.local_addr().map_err(io("bind a loopback port"))?.port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err(Error::Timeout {
        what: "a loopback port free for both TCP and UDP (50 tries)".into(),
        waited: Duration::ZERO,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realm_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Realm>();
    }

    #[test]
    fn quoting_for_kadmin() {
        assert_eq!(quote("host/localhost@R"), "host/localhost@R");
        assert_eq!(quote("a b"), "\"a b\"");
        assert_eq!(quote(""), "\"\"");
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn command_errors_read_like_a_command_line() {
        let status = Command::new("false").status().unwrap();
        let err = command_error("kinit", &["-c", "FILE:/a b", "u@R"], status, "boom".into());
        let text = err.to_string();
        assert!(
            text.starts_with("kinit -c 'FILE:/a b' u@R failed (exit status: 1)"),
            "{text}"
        );
        assert!(text.ends_with(": boom"), "{text}");
    }

    #[test]
    fn passwords_with_line_breaks_are_refused() {
        assert!(check_password("fine pw").is_ok());
        assert!(matches!(
            check_password("a\nb"),
            Err(Error::InvalidArgument(_))
        ));
    }
}
