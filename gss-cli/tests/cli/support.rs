//! The realm, the `gss` child processes and their guards, and the echoing upstream.

use gssapi_testrealm::Realm;
use libtest_mimic::Failed;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub type TestResult = Result<(), Failed>;

static REALM: OnceLock<Realm> = OnceLock::new();

/// Starts the realm of this test process.
pub fn start_realm() {
    let realm = Realm::new().expect("start the test realm");
    assert!(REALM.set(realm).is_ok(), "one realm per process");
}

pub fn realm() -> &'static Realm {
    REALM.get().expect("the realm is started in main")
}

/// `gss` with the realm's environment.
pub fn gss() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gss"));
    cmd.envs(realm().env());
    cmd
}

/// `gss` with the realm's environment but no ticket: the default ccache is `none` (a name
/// that holds nothing) and no client keytab can refill it.
pub fn gss_without_ticket(none: &str) -> Command {
    let mut cmd = gss();
    cmd.env("KRB5CCNAME", none)
        .env("KRB5_CLIENT_KTNAME", realm().no_client_keytab());
    cmd
}

/// Runs a command to the end (killed after 60 s: a server that should have exited).
pub fn output(cmd: &mut Command) -> Result<Output, Failed> {
    output_with_stdin(cmd, None)
}

/// [`output`] with `input` on the command's stdin.
pub fn output_with_stdin(cmd: &mut Command, input: Option<&str>) -> Result<Output, Failed> {
    use std::io::Write;
    let mut child = cmd
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {cmd:?}: {e}"))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(text.as_bytes())?;
    }
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => Ok(out?),
        Err(_) => {
            // By its PID: the child is still running (the waiting thread has not reaped it).
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            Err(format!("{cmd:?} did not finish within 60 s (killed)").into())
        }
    }
}

/// Checks `out`'s exit code.
pub fn expect_code(out: &Output, code: i32, what: &str) -> TestResult {
    if out.status.code() == Some(code) {
        return Ok(());
    }
    Err(format!(
        "{what}: expected exit code {code}, got {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
    .into())
}

/// A child process killed (by its PID) and reaped when dropped.
pub struct ChildGuard {
    child: Child,
}

impl ChildGuard {
    pub fn new(child: Child) -> ChildGuard {
        ChildGuard { child }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        // SIGTERM to this child's PID (gss serve then cleans up), SIGKILL after 5 s.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill")
            .args(["-TERM", &pid])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running `gss serve`, its stderr in a file.
pub struct Server {
    pub port: u16,
    scheme: &'static str,
    log: PathBuf,
    _dir: tempfile::TempDir,
    _guard: ChildGuard,
}

impl Server {
    /// `gss serve --keytab <the realm's> --dir <site>`: the static-file server most tests use.
    pub fn files(site: &tempfile::TempDir) -> Result<Server, Failed> {
        let dir = site.path().to_str().ok_or("a non-UTF-8 temporary path")?;
        Server::start(&["--keytab", &realm().keytab(), "--dir", dir])
    }

    /// `gss serve` with `args` (and `--listen 127.0.0.1:0`), once it listens.
    pub fn start(args: &[&str]) -> Result<Server, Failed> {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("stderr");
        let file = std::fs::File::create(&log)?;
        let child = gss()
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()?;
        let mut guard = ChildGuard { child };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = std::fs::read_to_string(&log)?;
            let found = ["http", "https"].into_iter().find_map(|scheme| {
                let rest = text
                    .split(&format!("listening on {scheme}://127.0.0.1:"))
                    .nth(1)?;
                Some((scheme, rest.split('/').next()?.parse::<u16>().ok()?))
            });
            if let Some((scheme, port)) = found {
                return Ok(Server {
                    port,
                    scheme,
                    log,
                    _dir: dir,
                    _guard: guard,
                });
            }
            if let Some(status) = guard.child.try_wait()? {
                return Err(format!("gss serve exited ({status}): {text}").into());
            }
            if Instant::now() > deadline {
                return Err(format!("gss serve did not start: {text}").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The URL of `path` on this server, by the realm's host name (the service is HTTP@it).
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}://{}:{}{path}",
            self.scheme,
            realm().hostname(),
            self.port
        )
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }
}

/// A directory with `index.html` ("hello from gss serve").
pub fn site() -> Result<tempfile::TempDir, Failed> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("index.html"), "hello from gss serve\n")?;
    Ok(dir)
}

/// Asserts `cond`, else fails with the message.
#[macro_export]
macro_rules! check {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!("{}:{}: {}", file!(), line!(), format!($($arg)+)).into());
        }
    };
}

/// A tiny upstream on 127.0.0.1 (in this process) that answers every request with a JSON
/// object of what it received: `headers` (name to values), and for the ccache named by
/// `X-Krb5-Ccname`: `ccache`, whether its file existed (`ccache_exists`) and whether
/// `klist -s` found a valid ticket in it (`ccache_valid`).
pub struct Upstream {
    pub port: u16,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

async fn echo(headers: http::HeaderMap) -> String {
    let mut seen = serde_json::Map::new();
    for name in headers.keys() {
        let values: Vec<serde_json::Value> = headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned().into())
            .collect();
        seen.insert(name.as_str().to_owned(), values.into());
    }
    let ccache = headers
        .get("x-krb5-ccname")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (exists, valid) = match &ccache {
        None => (false, false),
        Some(name) => {
            let name = name.clone();
            tokio::task::spawn_blocking(move || {
                let path = name.strip_prefix("FILE:").unwrap_or(&name).to_owned();
                let exists = std::path::Path::new(&path).exists();
                let valid = realm()
                    .command("klist")
                    .args(["-s", "-c", &name])
                    .status()
                    .is_ok_and(|s| s.success());
                (exists, valid)
            })
            .await
            .unwrap_or((false, false))
        }
    };
    serde_json::json!({
        "headers": seen,
        "ccache": ccache,
        "ccache_exists": exists,
        "ccache_valid": valid,
    })
    .to_string()
}

impl Upstream {
    pub fn start() -> Result<Upstream, Failed> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let port = listener.local_addr()?.port();
        let app = axum::Router::new().fallback(echo);
        runtime.spawn(async move { axum::serve(listener, app).await });
        Ok(Upstream {
            port,
            runtime: Some(runtime),
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}
