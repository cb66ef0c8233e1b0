//! gssapi::ssh against a real realm: gssapi-with-mic between the Rust client and server through
//! the message codecs (bytes in, bytes out), with and without delegation, gss-keyex names and
//! MIC, and every bad input the issue lists, each a typed error.
//!
//! Same harness as the other realm suites: the realm starts in `main` and its environment is
//! set before any test thread exists. A counting allocator lets the bounded-parsing tests check
//! what a parse allocated on their own thread.

#[path = "../../../gssapi-raw/tests/common/mod.rs"]
mod common;

mod bad_input;
mod exchange;
mod kex;

pub(crate) use common::*;

use gssapi::ssh::{GssapiWithMicClient, GssapiWithMicServer, SshError};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Counts the bytes each thread allocates (the system allocator does the work).
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counter is a
// const-initialised thread-local Cell, which neither allocates nor reenters the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get().saturating_add(layout.size())));
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above; `ptr` came from `System` through `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get().saturating_add(new_size)));
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The bytes this thread allocated while running `f`, and its result.
pub(crate) fn allocated_by<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATED.with(Cell::get);
    let out = f();
    (ALLOCATED.with(Cell::get) - before, out)
}

/// The messages of one exchange, as they crossed: (to the server, to the client).
#[derive(Debug, Default)]
pub(crate) struct Transcript {
    pub to_server: Vec<Vec<u8>>,
    pub to_client: Vec<Vec<u8>>,
}

/// Drives a whole exchange, message bytes in and out, until the server has authenticated the
/// client. A side's failure is returned with the transcript so far; its messages for the peer
/// are delivered first (and the peer's reaction returned when the peer fails on them).
pub(crate) fn run_exchange(
    client: &mut GssapiWithMicClient,
    server: &mut GssapiWithMicServer,
) -> (Transcript, Result<(), SshError>) {
    let mut t = Transcript::default();
    let mut pending = match client.start() {
        Ok(m) => vec![m],
        Err(e) => return (t, Err(e)),
    };
    for _ in 0..10 {
        let mut replies = Vec::new();
        for m in pending.drain(..) {
            t.to_server.push(m.clone());
            match server.receive(&m) {
                Ok(step) => replies.extend(step.send),
                Err(e) => {
                    t.to_client.extend(e.messages_for_peer().iter().cloned());
                    return (t, Err(e));
                }
            }
        }
        if server.authenticated().is_some() {
            return (t, Ok(()));
        }
        for m in replies {
            t.to_client.push(m.clone());
            match client.receive(&m) {
                Ok(step) => pending.extend(step.send),
                Err(e) => {
                    t.to_server.extend(e.messages_for_peer().iter().cloned());
                    return (t, Err(e));
                }
            }
        }
    }
    (
        t,
        Err(SshError::State {
            operation: "run_exchange",
            reason: "too many rounds",
        }),
    )
}

/// The session id both sides use unless a test says otherwise.
pub(crate) const SESSION_ID: &[u8] = b"\x00\x01exchange hash H of the first key exchange";

/// A client for the realm's host service, as `user`.
pub(crate) fn client(user: &str) -> GssapiWithMicClient {
    GssapiWithMicClient::new("localhost", user, SESSION_ID).unwrap()
}

/// A server with the default keytab.
pub(crate) fn server() -> GssapiWithMicServer {
    GssapiWithMicServer::new(None, SESSION_ID)
}

fn main() {
    let tests = trials![
        exchange::without_delegation,
        exchange::with_delegation_the_server_keeps_a_ccache,
        exchange::explicit_credentials_and_service,
        exchange::server_error_reaches_the_client,
        exchange::client_error_on_a_bad_server_token,
        exchange::exchange_complete_needs_no_integrity,
        kex::kerberos_algorithm_names,
        kex::mic_over_the_exchange_hash,
        kex::kexgss_codecs_round_trip,
        kex::kexgss_bad_input,
        bad_input::oid_list_wrong_length_byte,
        bad_input::oid_list_non_oid_tag,
        bad_input::oid_list_zero_oids,
        bad_input::oid_list_ten_thousand_oids,
        bad_input::oid_malformed_values,
        bad_input::mic_over_different_session_data,
        bad_input::truncated_userauth_gssapi_token,
        bad_input::mechanism_not_offered,
        bad_input::username_not_utf8,
        bad_input::strings_over_the_limit,
        bad_input::other_malformed_messages,
        bad_input::messages_out_of_order,
    ];
    common::run(tests, |_| {});
}
