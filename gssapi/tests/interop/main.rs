//! Interop with python-gssapi (Debian's python3-gssapi, on /usr/bin/python3) as a real peer in
//! a child process: Rust initiator to Python acceptor and back, wrap/unwrap and MICs in both
//! directions, exported names compared byte for byte, failures reported as typed errors.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

pub(crate) use common::*;

use gssapi::{ErrorKind, Flags, Mechanism, Name, SecurityContext};

/// Whether the library under test is Heimdal.
fn heimdal() -> bool {
    gssapi::raw::sys::is_heimdal()
}
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

const PYTHON: &str = "/usr/bin/python3";

/// A running peer.py.
struct Peer {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

impl Peer {
    fn start() -> Result<Peer, String> {
        let check = std::process::Command::new(PYTHON)
            .args(["-c", "import gssapi"])
            .output()
            .map_err(|e| format!("{PYTHON} is missing ({e}); run ci/install-deps.sh"))?;
        if !check.status.success() {
            return Err(format!(
                "python3-gssapi is not installed for {PYTHON} (ci/install-deps.sh installs it): {}",
                String::from_utf8_lossy(&check.stderr)
            ));
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/peer.py");
        let mut child = realm()
            .command(PYTHON)
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        Ok(Peer {
            child,
            stdin,
            stdout,
        })
    }

    /// Sends `verb data`, returns the answer's verb and data.
    fn ask(&mut self, verb: &str, data: &[u8]) -> Result<(String, Vec<u8>), String> {
        let mut payload = verb.as_bytes().to_vec();
        payload.push(b' ');
        payload.extend_from_slice(data);
        let len = u32::try_from(payload.len()).map_err(|e| e.to_string())?;
        self.stdin
            .write_all(&len.to_be_bytes())
            .and_then(|()| self.stdin.write_all(&payload))
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("peer gone: {e}"))?;
        let mut head = [0u8; 4];
        self.stdout
            .read_exact(&mut head)
            .map_err(|e| format!("peer gone: {e}"))?;
        let mut body = vec![0u8; u32::from_be_bytes(head) as usize];
        self.stdout
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
        let split = body.iter().position(|b| *b == b' ').unwrap_or(body.len());
        let verb = String::from_utf8_lossy(&body[..split]).into_owned();
        let data = body.get(split + 1..).unwrap_or_default().to_vec();
        Ok((verb, data))
    }

    /// As `ask`, expecting `want` as the answer's verb.
    fn expect(&mut self, verb: &str, data: &[u8], want: &str) -> Result<Vec<u8>, String> {
        let (got, answer) = self.ask(verb, data)?;
        if got != want {
            return Err(format!(
                "python answered {got} to {verb}: {}",
                String::from_utf8_lossy(&answer)
            ));
        }
        Ok(answer)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.ask("QUIT", b"");
        let _ = self.child.wait();
    }
}

fn flags() -> Flags {
    Flags::MUTUAL | Flags::REPLAY | Flags::SEQUENCE | Flags::CONF | Flags::INTEG
}

fn krb5_export(name: &Name) -> Result<Vec<u8>, gssapi::Error> {
    name.canonicalize(&Mechanism::KERBEROS)?.export()
}

/// Messages both ways over an established pair: Rust `ctx`, Python peer.
fn exchange_messages(ctx: &mut SecurityContext, peer: &mut Peer) -> TestResult {
    // Rust -> Python.
    let sealed = ctx.encrypt(b"from rust").map_err(fail)?;
    let opened = peer.expect("UNWRAP", &sealed, "UNWRAPPED").map_err(fail)?;
    check!(opened[0] == 1 && &opened[1..] == b"from rust", "{opened:?}");
    // Python -> Rust.
    let wrapped = peer
        .expect("WRAP", b"from python", "WRAPPED")
        .map_err(fail)?;
    check!(wrapped[0] == 1, "python did not encrypt");
    let got = ctx.unwrap(&wrapped[1..]).map_err(fail)?;
    check!(got.encrypted && &*got.message == b"from python");
    // MIC Rust -> Python.
    let mic = ctx.get_mic(b"signed by rust").map_err(fail)?;
    let mut verify = (14u32).to_be_bytes().to_vec();
    verify.extend_from_slice(b"signed by rust");
    verify.extend_from_slice(&mic);
    peer.expect("VERIFY", &verify, "OK").map_err(fail)?;
    // MIC Python -> Rust.
    let mic = peer
        .expect("MIC", b"signed by python", "MIC")
        .map_err(fail)?;
    ctx.verify_mic(b"signed by python", &mic).map_err(fail)?;
    // Failures: Python rejects a MIC over other bytes with BadMICError; Rust a corrupted
    // token with a typed error.
    let mic = ctx.get_mic(b"original").map_err(fail)?;
    let mut forged = (8u32).to_be_bytes().to_vec();
    forged.extend_from_slice(b"modified");
    forged.extend_from_slice(&mic);
    let (verb, why) = peer.ask("VERIFY", &forged).map_err(fail)?;
    check!(verb == "ERR", "python accepted a forged MIC");
    check!(
        why.starts_with(b"BadMICError"),
        "{}",
        String::from_utf8_lossy(&why)
    );
    let mut wrapped = peer
        .expect("WRAP", b"to corrupt", "WRAPPED")
        .map_err(fail)?;
    let last = wrapped.len() - 1;
    wrapped[last] ^= 0x01;
    let err = ctx.unwrap(&wrapped[1..]).unwrap_err();
    check!(err.is(ErrorKind::BadMic), "{err:?}");
    Ok(())
}

fn rust_initiator_python_acceptor(mech: &Mechanism, mech_word: &str) -> TestResult {
    let mut peer = Peer::start().map_err(fail)?;
    peer.expect("ACCEPT", b"", "OK").map_err(fail)?;
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut ctx = SecurityContext::initiator(&target)
        .mech(mech)
        .flags(flags())
        .build();
    let mut token = ctx.step(None).map_err(fail)?;
    let mut python_done = false;
    while let Some(t) = token.take() {
        let (verb, reply) = peer.ask("STEP", &t).map_err(fail)?;
        check!(
            verb == "TOKEN" || verb == "DONE",
            "{mech_word}: python: {verb} {}",
            String::from_utf8_lossy(&reply)
        );
        python_done = verb == "DONE";
        if !reply.is_empty() {
            token = ctx.step(Some(&reply)).map_err(fail)?;
        }
    }
    check!(ctx.is_complete() && python_done);
    check!(ctx.is_mutual().map_err(fail)?);
    // The initiator name as Python's acceptor saw it, byte for byte against ours.
    let python_view = peer.expect("NAME", b"", "NAME").map_err(fail)?;
    let ours = krb5_export(&ctx.initiator_name().map_err(fail)?).map_err(fail)?;
    check!(python_view == ours, "{python_view:02x?} != {ours:02x?}");
    exchange_messages(&mut ctx, &mut peer)
}

fn python_initiator_rust_acceptor(mech_word: &str) -> TestResult {
    let mut peer = Peer::start().map_err(fail)?;
    let first = peer
        .expect("INIT", mech_word.as_bytes(), "TOKEN")
        .map_err(fail)?;
    let mut ctx = SecurityContext::acceptor(None).build();
    let mut input = first;
    loop {
        let reply = ctx.step(Some(&input)).map_err(fail)?;
        match reply {
            Some(t) => {
                let (verb, next) = peer.ask("STEP", &t).map_err(fail)?;
                check!(
                    verb == "TOKEN" || verb == "DONE",
                    "python: {verb} {}",
                    String::from_utf8_lossy(&next)
                );
                if verb == "DONE" && next.is_empty() {
                    break;
                }
                input = next;
            }
            None => break,
        }
    }
    check!(ctx.is_complete());
    let python_view = peer.expect("NAME", b"", "NAME").map_err(fail)?;
    let ours = krb5_export(&ctx.initiator_name().map_err(fail)?).map_err(fail)?;
    check!(python_view == ours, "{python_view:02x?} != {ours:02x?}");
    check!(ctx.initiator_name().map_err(fail)?.to_string() == realm().user_principal());
    exchange_messages(&mut ctx, &mut peer)
}

fn rust_to_python_krb5() -> TestResult {
    rust_initiator_python_acceptor(&Mechanism::KERBEROS, "krb5")
}
fn rust_to_python_spnego() -> TestResult {
    rust_initiator_python_acceptor(&Mechanism::SPNEGO, "spnego")
}
fn python_to_rust_krb5() -> TestResult {
    python_initiator_rust_acceptor("krb5")
}
fn python_to_rust_spnego() -> TestResult {
    python_initiator_rust_acceptor("spnego")
}

fn garbage_to_python_is_a_typed_python_error() -> TestResult {
    let mut peer = Peer::start().map_err(fail)?;
    peer.expect("ACCEPT", b"", "OK").map_err(fail)?;
    let (verb, why) = peer.ask("STEP", b"\x60\x40\x06\x09garbage").map_err(fail)?;
    check!(verb == "ERR", "python accepted garbage");
    let class = String::from_utf8_lossy(&why);
    check!(class.contains("Error"), "{class}");
    // And the Rust side's view of a Python token cut short.
    let first = {
        let mut p = Peer::start().map_err(fail)?;
        p.expect("INIT", b"krb5", "TOKEN").map_err(fail)?
    };
    let mut ctx = SecurityContext::acceptor(None).build();
    let err = ctx.step(Some(&first[..first.len() / 2])).unwrap_err();
    // Heimdal: DEFECTIVE_TOKEN; MIT's krb5 acceptor: GSS_S_FAILURE (its minor status says the
    // token is cut short).
    if heimdal() {
        check!(err.is(ErrorKind::InvalidToken), "{err:?}");
    } else {
        check!(
            err.gss().and_then(|g| g.routine()) == Some(gssapi::raw::RoutineError::Failure),
            "{err:?}"
        );
    }
    Ok(())
}

fn main() {
    let tests = vec![
        libtest_mimic::Trial::test("interop::rust_to_python_krb5", rust_to_python_krb5),
        libtest_mimic::Trial::test("interop::rust_to_python_spnego", rust_to_python_spnego),
        libtest_mimic::Trial::test("interop::python_to_rust_krb5", python_to_rust_krb5),
        libtest_mimic::Trial::test("interop::python_to_rust_spnego", python_to_rust_spnego),
        libtest_mimic::Trial::test(
            "interop::garbage_and_truncation",
            garbage_to_python_is_a_typed_python_error,
        ),
    ];
    common::run(tests, |_| {});
}
