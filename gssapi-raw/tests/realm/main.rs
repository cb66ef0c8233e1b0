//! gssapi-raw against a real Kerberos realm: a KDC from gssapi-testrealm, the system GSSAPI
//! library, no mocks.
//!
//! This binary has its own `main` (libtest-mimic): it starts the realm and sets the Kerberos
//! environment (`KRB5_CONFIG`, `KRB5CCNAME`, `KRB5_KTNAME`, ...) while the process still has one
//! thread, then runs the tests on several threads. Tests that need another environment (an
//! expired ccache, say) run the binary again as a child process with `--exact` and the variables
//! set; the child sees `GSSAPI_TEST_CHILD` and uses the environment it was given.

mod bad_inputs;
mod handshake;
mod messages;
mod names_creds;

use gssapi_raw::context::{AcceptSecContext, InitSecContext};
use gssapi_raw::{Flags, Name, Oid, SecContext, context, name, name_type};
use gssapi_testrealm::Realm;
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

pub(crate) type TestResult = Result<(), Failed>;

/// Principals made in `main` before any test thread starts.
pub(crate) const ROTATED_SERVICE: &str = "rotated/localhost";
pub(crate) const KEYLESS_SERVICE: &str = "keyless/localhost";

static REALM: OnceLock<Realm> = OnceLock::new();
static CHILD_ENV: OnceLock<BTreeMap<String, String>> = OnceLock::new();

/// The realm of this test process (a child process has none: it uses its environment).
pub(crate) fn realm() -> &'static Realm {
    REALM.get().expect("realm tests run in the parent process")
}

/// The realm's environment, in the parent and in children alike.
pub(crate) fn realm_env() -> &'static BTreeMap<String, String> {
    CHILD_ENV.get().expect("environment recorded in main")
}

/// Whether the library under test is Heimdal (whose documented differences some tests check).
pub(crate) fn heimdal() -> bool {
    gssapi_raw::sys::IMPLEMENTATION == "heimdal"
}

pub(crate) fn is_child() -> bool {
    std::env::var_os("GSSAPI_TEST_CHILD").is_some()
}

/// Runs test `name` of this binary in a child process with `env` on top of the realm's.
pub(crate) fn run_in_child(name: &str, env: &[(&str, &str)]) -> TestResult {
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
pub(crate) fn service(name: &str) -> Name {
    name::import_name(name.as_bytes(), Some(&name_type::HOSTBASED_SERVICE)).unwrap()
}

/// The `host@localhost` target.
pub(crate) fn host() -> Name {
    service("host@localhost")
}

/// The default flags of most tests.
pub(crate) fn flags() -> Flags {
    Flags::MUTUAL | Flags::REPLAY | Flags::SEQUENCE | Flags::CONF | Flags::INTEG
}

/// A finished exchange.
pub(crate) struct Established {
    pub(crate) initiator: SecContext,
    pub(crate) acceptor: SecContext,
    pub(crate) init: InitSecContext,
    pub(crate) accept: AcceptSecContext,
    pub(crate) legs: usize,
}

/// Runs a full exchange between a fresh initiator and acceptor using default credentials.
pub(crate) fn establish(
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
pub(crate) fn fail<E: std::fmt::Display>(e: E) -> Failed {
    e.to_string().into()
}

macro_rules! trials {
    ($($module:ident :: $name:ident),* $(,)?) => {
        vec![$(Trial::test(concat!(stringify!($module), "::", stringify!($name)), $module::$name)),*]
    };
}

fn main() {
    let args = Arguments::from_args();
    let tests: Vec<Trial> = trials![
        handshake::krb5_with_mutual_auth,
        handshake::spnego_with_mutual_auth,
        handshake::delegation_and_second_hop,
        handshake::channel_bindings_match,
        handshake::channel_bindings_mismatch_is_bad_bindings,
        handshake::inquire_partial_and_complete_contexts,
        handshake::export_import_then_unwrap,
        handshake::delete_returns_token_and_empties_handle,
        handshake::process_context_token_after_delete,
        messages::wrap_unwrap_with_and_without_confidentiality,
        messages::mic_round_trip_both_directions,
        messages::flipped_mic_byte_is_bad_mic,
        messages::wrap_size_limit_fits,
        messages::replayed_and_reordered_wrap_tokens_report_supplementary_bits,
        messages::wrap_on_empty_context_is_no_context,
        names_creds::names_import_display_compare,
        names_creds::canonicalize_export_import_round_trip,
        names_creds::mechs_and_name_types,
        names_creds::acquire_and_inquire_credentials,
        names_creds::add_cred_new_and_in_place,
        names_creds::acceptor_credentials_for_a_named_service,
        bad_inputs::truncated_tokens,
        bad_inputs::random_tokens_to_accept,
        bad_inputs::empty_second_spnego_token,
        bad_inputs::replayed_ap_req_to_second_acceptor,
        bad_inputs::import_name_bad_inputs,
        bad_inputs::garbage_to_import_sec_context,
        bad_inputs::expired_credentials,
        bad_inputs::expired_credentials_child,
        bad_inputs::service_key_not_in_keytab,
        bad_inputs::unknown_service_principal,
    ];
    // The child half of a test runs only in the child process its parent starts.
    let tests = tests
        .into_iter()
        .map(|t| {
            let ignored = t.name().ends_with("_child") && !is_child();
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
            // Fixtures: a service whose key changed after its keytab was written, and one that
            // has no key in the keytab at all.
            realm.add_principal(ROTATED_SERVICE, None).unwrap();
            realm
                .extract_keytab(
                    ROTATED_SERVICE,
                    std::path::Path::new(realm.keytab().trim_start_matches("FILE:")),
                )
                .unwrap();
            realm.rotate_key(ROTATED_SERVICE).unwrap();
            realm.add_principal(KEYLESS_SERVICE, None).unwrap();
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
    libtest_mimic::run(&args, tests).exit();
}
