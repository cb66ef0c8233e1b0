//! The `tracing` feature against a real realm: every span and event of a Kerberos and a SPNEGO
//! handshake, the message calls, credential acquisition with a password, SASL and SSH rounds
//! and failures, captured at TRACE with every field, must name what happened (mechanism,
//! flags, target, codes) and hold none of the bytes that went over (tokens, plaintext, keys,
//! passwords) in any encoding.
//!
//! Same harness as the other realm suites; each test captures with a subscriber of its own
//! thread (`set_default`), so the tests do not see each other's output.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

mod capture;
mod cases;

pub(crate) use common::*;

fn main() {
    let tests = trials![
        cases::kerberos_handshake_and_messages,
        cases::spnego_handshake,
        cases::failed_steps_carry_codes,
        cases::password_acquisition,
        cases::sasl_and_ssh_rounds,
        cases::the_leak_check_finds_leaks,
    ];
    run(tests, |realm| {
        realm
            .add_principal(cases::PW_USER, Some(cases::PW_PASSWORD))
            .expect("add the password user");
    });
}
