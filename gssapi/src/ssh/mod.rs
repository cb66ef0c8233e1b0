//! SSH and GSSAPI (RFC 4462), sans-IO: `gssapi-with-mic` user authentication, client and
//! server, the message codecs it needs, and the names and MIC of GSSAPI key exchange. Each side
//! takes the peer's SSH packet payloads and returns the payloads to send; the SSH transport is
//! the application's (russh, an own implementation, ...).
//!
//! ```no_run
//! use gssapi::ssh::{GssapiWithMicClient, GssapiWithMicServer, SshError};
//!
//! fn main() -> Result<(), SshError> {
//!     let session_id = b"the exchange hash of the first key exchange";
//!     // Client: log in as alice on server.example.com (target host@server.example.com).
//!     let mut client =
//!         GssapiWithMicClient::new("server.example.com", "alice", session_id)?.delegate(true);
//!     // Server: the default keytab.
//!     let mut server = GssapiWithMicServer::new(None, session_id);
//!
//!     // Message bytes in, message bytes out, until the server has verified the MIC.
//!     let mut to_server = vec![client.start()?];
//!     while !server.authenticated().is_some() {
//!         let mut to_client = Vec::new();
//!         for message in to_server.drain(..) {
//!             to_client.extend(server.receive(&message)?.send);
//!         }
//!         for message in to_client {
//!             to_server.extend(client.receive(&message)?.send);
//!         }
//!     }
//!     let user = server.authenticated().expect("authenticated");
//!     println!("{} logs in as {}", user.principal, user.user);
//!     if let Some(delegated) = &user.delegated {
//!         println!("KRB5CCNAME={}", delegated.ccache_name());
//!     }
//!     Ok(())
//! }
//! ```
//!
//! - `gssapi-with-mic`: [`GssapiWithMicClient`] and [`GssapiWithMicServer`]; [`Step`] is what a
//!   message produced; [`Authenticated`] is the server's result, with delegated credentials in
//!   a per-session ccache ([`DelegatedCredentials`]). [`host_target`] is the `host@hostname`
//!   name. [`MicInitiator`] is the client's GSSAPI half alone, for SSH libraries that frame
//!   the messages themselves (`gssapi-russh`).
//! - Codecs: [`UserauthRequest`], [`UserauthGssapi`], [`KexGss`], [`mic_data`]; mechanism OIDs
//!   and lists in SSH form: [`encode_mech`], [`parse_mech`], [`encode_mech_list`],
//!   [`parse_mech_list`]. Parsing is bounded by [`Limits`].
//! - `gss-keyex`: [`kex_algorithm_name`], [`parse_kex_algorithm_name`], [`mech_hash`],
//!   [`exchange_hash_mic`], [`verify_exchange_hash_mic`].
//! - Every bad input is an [`SshError`] variant; nothing here panics on what a peer sends.
//!
//! `docs/ssh.md` has a walk-through and a table from paramiko's `ssh_gss` names to these.

mod auth;
mod kex;
mod messages;
mod wire;

pub use auth::{
    Authenticated, DelegatedCredentials, GssapiWithMicClient, GssapiWithMicServer, InitiatorStep,
    MicInitiator, Step, host_target,
};
pub use kex::{
    GSS_CURVE25519_SHA256, GSS_GEX_SHA1, GSS_GROUP1_SHA1, GSS_GROUP14_SHA1, GSS_GROUP14_SHA256,
    GSS_GROUP16_SHA512, GSS_NISTP256_SHA256, KEX_PREFIXES, exchange_hash_mic, kex_algorithm_name,
    mech_hash, parse_kex_algorithm_name, verify_exchange_hash_mic,
};
pub use messages::*;
pub use wire::{encode_mech, encode_mech_list, parse_mech, parse_mech_list};

use gssapi_raw::Oid;

/// Bounds on what a parser accepts from a peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The most mechanisms a list may hold (default 32; OpenSSH offers a handful).
    pub max_mechs: usize,
    /// The longest `string` field (a token, a name), in bytes (default 256 KiB: SSH's
    /// largest packet).
    pub max_string: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_mechs: 32,
            max_string: 256 * 1024,
        }
    }
}

/// What went wrong in an SSH GSSAPI exchange or codec.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SshError {
    /// The GSSAPI library failed outside context establishment (e.g. naming the target).
    #[error(transparent)]
    Gss(#[from] crate::Error),

    /// A GSSAPI call of the exchange failed; send `send` (ERRTOK with the library's token,
    /// and from a server ERROR with the status) before the authentication failure.
    #[error("GSSAPI failed: {source}")]
    ContextFailed {
        /// The library's error.
        source: crate::Error,
        /// Encoded messages for the peer.
        send: Vec<Vec<u8>>,
    },

    /// The MIC did not verify: over other session data, or tampered.
    #[error("the MIC does not verify: {source}")]
    BadMic {
        /// The library's error.
        source: crate::Error,
    },

    /// The peer reported a GSSAPI error (`SSH_MSG_USERAUTH_GSSAPI_ERROR`, `KEXGSS_ERROR`).
    #[error("the peer's GSSAPI failed: {} (major 0x{:08x}, minor {})", .0.message, .0.major, .0.minor)]
    PeerError(messages::GssStatus),

    /// The peer sent an error token (`SSH_MSG_USERAUTH_GSSAPI_ERRTOK`); `detail` is what the
    /// local library made of it.
    #[error("the peer sent a GSSAPI error token ({} bytes)", .token.len())]
    PeerErrorToken {
        /// The token.
        token: Vec<u8>,
        /// The local library's reading of it.
        detail: Option<crate::Error>,
    },

    /// A field runs past the end of the input.
    #[error("{what}: truncated ({needed} bytes needed, {remaining} left)")]
    Truncated {
        /// The field.
        what: &'static str,
        /// Bytes it needs.
        needed: usize,
        /// Bytes that were left.
        remaining: usize,
    },

    /// A field is longer than [`Limits::max_string`].
    #[error("{what}: {len} bytes, over the limit of {max}")]
    TooLong {
        /// The field.
        what: &'static str,
        /// Its declared length.
        len: usize,
        /// The limit.
        max: usize,
    },

    /// Bytes follow the last field of a message.
    #[error("{what}: {extra} bytes after the last field")]
    TrailingData {
        /// The message.
        what: &'static str,
        /// How many.
        extra: usize,
    },

    /// A message number that does not belong here.
    #[error("unexpected message {code}: expected {expected}")]
    UnexpectedMessage {
        /// The message number.
        code: u8,
        /// What was expected.
        expected: &'static str,
    },

    /// A request for another authentication method than "gssapi-with-mic".
    #[error("the request is for method {method:?}, not gssapi-with-mic")]
    WrongMethod {
        /// The method (lossily decoded).
        method: String,
    },

    /// A text field (a user name, a service, an error message) is not UTF-8.
    #[error("the {field} is not valid UTF-8")]
    NotUtf8 {
        /// The field.
        field: &'static str,
    },

    /// A boolean that is neither 0 nor 1.
    #[error("a boolean of value {value}")]
    BadBoolean {
        /// The byte.
        value: u8,
    },

    /// A mechanism OID whose tag is not `06`.
    #[error("not an OID: tag 0x{tag:02x}")]
    NotAnOid {
        /// The tag.
        tag: u8,
    },

    /// A mechanism OID whose length byte is not the number of bytes after it.
    #[error("an OID's length byte says {declared}, {actual} bytes follow")]
    BadOidLength {
        /// The length byte.
        declared: usize,
        /// The bytes that follow.
        actual: usize,
    },

    /// An OID value that is not well-formed base-128 arcs (or is empty).
    #[error("a malformed OID value")]
    BadOid,

    /// An OID too long for SSH's short DER length form (over 127 bytes).
    #[error("an OID of {len} bytes is too long for SSH")]
    OidTooLong {
        /// The value's length.
        len: usize,
    },

    /// A mechanism list with no mechanisms.
    #[error("the mechanism list is empty")]
    NoMechanisms,

    /// A mechanism list longer than [`Limits::max_mechs`].
    #[error("{count} mechanisms offered, over the limit of {max}")]
    TooManyMechanisms {
        /// The count sent.
        count: u32,
        /// The limit.
        max: usize,
    },

    /// The server chose a mechanism the client did not offer.
    #[error("the server chose {mech}, which was not offered")]
    MechanismNotOffered {
        /// The chosen mechanism.
        mech: Oid,
    },

    /// None of the client's mechanisms is one the server accepts.
    #[error("no mechanism in common")]
    NoCommonMechanism,

    /// The client ended with EXCHANGE_COMPLETE on a context that has integrity.
    #[error("the client skipped the MIC although the context has integrity")]
    MicRequired,

    /// A call that does not fit the exchange's state.
    #[error("{operation}: {reason}")]
    State {
        /// The operation.
        operation: &'static str,
        /// Why.
        reason: &'static str,
    },
}

impl SshError {
    /// The messages to send the peer before giving up ([`SshError::ContextFailed`]), or none.
    pub fn messages_for_peer(&self) -> &[Vec<u8>] {
        match self {
            SshError::ContextFailed { send, .. } => send,
            _ => &[],
        }
    }
}
