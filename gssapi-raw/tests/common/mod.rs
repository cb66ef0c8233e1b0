//! The harness shared by the realm test binaries of gssapi-raw: one real realm per process,
//! its environment set before any test thread starts, helpers to establish contexts, and child
//! processes for tests that need another environment.
//!
//! Each binary has its own `main` (libtest-mimic) that calls [`run`] with its trials.

#![allow(dead_code, unreachable_pub)]

use gssapi_raw::context::{AcceptSecContext, InitSecContext};
use gssapi_raw::{Flags, Name, Oid, SecContext, context, name, name_type};
use gssapi_testrealm::Realm;
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

pub type TestResult = Result<(), Failed>;

static REALM: OnceLock<Realm> = OnceLock::new();
static CHILD_ENV: OnceLock<BTreeMap<String, String>> = OnceLock::new();

/// The realm of this test process (a child process has none: it uses its environment).
pub fn realm() -> &'static Realm {
    REALM.get().expect("realm tests run in the parent process")
}

/// The realm's environment, in the parent and in children alike.
pub fn realm_env() -> &'static BTreeMap<String, String> {
    CHILD_ENV.get().expect("environment recorded in main")
}

/// Whether the library under test is Heimdal (whose documented differences some tests check).
pub fn heimdal() -> bool {
    gssapi_raw::sys::is_heimdal()
}

/// Whether the suite runs under valgrind (ci/valgrind.sh sets `GSSAPI_TEST_VALGRIND`).
///
/// MIT locks ccache and replay-cache files with OFD locks, which valgrind 3.19 does not treat
/// as blocking calls: two threads of one process contending for such a lock deadlock under
/// valgrind (never outside it). Tests that start their own threads run them one after the other
/// there.
pub fn under_valgrind() -> bool {
    std::env::var_os("GSSAPI_TEST_VALGRIND").is_some()
}

pub fn is_child() -> bool {
    std::env::var_os("GSSAPI_TEST_CHILD").is_some()
}

/// Runs test `name` of this binary in a child process with `env` on top of the realm's.
pub fn run_in_child(name: &str, env: &[(&str, &str)]) -> TestResult {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["--exact", name, "--test-threads=1", "--nocapture"])
        .env("GSSAPI_TEST_CHILD", "1")
        .envs(env.iter().copied())
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !stdout.contains("1 passed") {
        return Err(format!(
            "child test {name} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// A host-based service name.
pub fn service(name: &str) -> Name {
    name::import_name(name.as_bytes(), Some(&name_type::HOSTBASED_SERVICE)).unwrap()
}

/// The `host@localhost` target.
pub fn host() -> Name {
    service("host@localhost")
}

/// The default flags of most tests.
pub fn flags() -> Flags {
    Flags::MUTUAL | Flags::REPLAY | Flags::SEQUENCE | Flags::CONF | Flags::INTEG
}

/// One initiator step without lifetime or channel bindings: the shape most tests need.
pub fn init_step(
    creds: Option<&gssapi_raw::Cred>,
    context: &mut SecContext,
    target: &Name,
    mech: &Oid,
    flags: Flags,
    input: Option<&[u8]>,
) -> Result<InitSecContext, gssapi_raw::Error> {
    context::init_sec_context(creds, context, target, Some(mech), flags, None, None, input)
}

/// A fresh initiator's first step with the default credentials: the context and its token.
pub fn first_step(
    target: &Name,
    mech: &Oid,
    flags: Flags,
) -> Result<(SecContext, InitSecContext), gssapi_raw::Error> {
    let mut context = SecContext::new();
    let first = init_step(None, &mut context, target, mech, flags, None)?;
    Ok((context, first))
}

/// A finished exchange.
pub struct Established {
    pub initiator: SecContext,
    pub acceptor: SecContext,
    pub init: InitSecContext,
    pub accept: AcceptSecContext,
    pub legs: usize,
}

/// Runs a full exchange between a fresh initiator and acceptor using default credentials.
pub fn establish(
    target: &Name,
    mech: Option<&Oid>,
    flags: Flags,
    init_cb: Option<&gssapi_raw::ChannelBindings>,
    accept_cb: Option<&gssapi_raw::ChannelBindings>,
) -> Result<Established, gssapi_raw::Error> {
    let mut initiator = SecContext::new();
    let mut acceptor = SecContext::new();
    let mut init = context::init_sec_context(
        None,
        &mut initiator,
        target,
        mech,
        flags,
        None,
        init_cb,
        None,
    )?;
    let mut legs = 1;
    loop {
        let accept = context::accept_sec_context(&mut acceptor, None, &init.token, accept_cb)?;
        legs += 1;
        if accept.complete && (init.complete || accept.token.is_empty()) {
            if !init.complete {
                return Err(gssapi_raw::Error::from_status(
                    "establish",
                    gssapi_raw::sys::GSS_S_FAILURE,
                    0,
                ));
            }
            return Ok(Established {
                initiator,
                acceptor,
                init,
                accept,
                legs,
            });
        }
        init = context::init_sec_context(
            None,
            &mut initiator,
            target,
            mech,
            flags,
            None,
            init_cb,
            Some(&accept.token),
        )?;
        legs += 1;
        if init.complete && accept.complete {
            return Ok(Established {
                initiator,
                acceptor,
                init,
                accept,
                legs,
            });
        }
        if legs > 10 {
            return Err(gssapi_raw::Error::from_status(
                "establish: too many legs",
                gssapi_raw::sys::GSS_S_FAILURE,
                0,
            ));
        }
    }
}

/// `assert!` that returns a test failure instead of panicking across the harness.
#[macro_export]
macro_rules! check {
    ($cond:expr $(,)?) => {
        if !$cond {
            return Err(format!("{}:{}: check failed: {}", file!(), line!(), stringify!($cond)).into());
        }
    };
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!("{}:{}: {}", file!(), line!(), format!($($arg)+)).into());
        }
    };
}

/// Turns any error into a test failure with its Display text.
pub fn fail<E: std::fmt::Display>(e: E) -> Failed {
    e.to_string().into()
}

/// Builds `Trial`s named `module::function` from test functions.
#[macro_export]
macro_rules! trials {
    ($($module:ident :: $name:ident),* $(,)?) => {
        vec![$(libtest_mimic::Trial::test(concat!(stringify!($module), "::", stringify!($name)), $module::$name)),*]
    };
}

/// Starts the realm (unless this is a child process), runs `fixtures` on it while the process
/// has one thread, sets the Kerberos environment, then runs the trials and exits.
pub fn run(tests: Vec<Trial>, fixtures: impl FnOnce(&Realm)) -> ! {
    let args = Arguments::from_args();
    // The child half of a test runs only in the child process its parent starts (and a test
    // the binary marked ignored stays ignored).
    let tests = tests
        .into_iter()
        .map(|t| {
            let ignored = t.has_ignored_flag() || (t.name().ends_with("_child") && !is_child());
            t.with_ignored_flag(ignored)
        })
        .collect();
    if !args.list {
        if is_child() {
            let env = std::env::vars()
                .filter(|(k, _)| k.starts_with("KRB5"))
                .collect();
            CHILD_ENV.set(env).unwrap();
        } else {
            let realm = Realm::new().expect("start the test realm");
            fixtures(&realm);
            let env = realm.env();
            for (key, value) in &env {
                // SAFETY: no other thread exists yet: the harness starts its threads below,
                // and the realm only ran child processes.
                unsafe { std::env::set_var(key, value) };
            }
            CHILD_ENV.set(env).unwrap();
            REALM.set(realm).ok().unwrap();
        }
    }
    libtest_mimic::run(&args, tests).exit()
}
