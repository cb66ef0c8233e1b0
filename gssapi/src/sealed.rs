//! Sealed export and import: exported contexts and credentials that can cross storage or a
//! party you do not trust.
//!
//! ```no_run
//! use gssapi::{Credentials, SealingKey};
//!
//! # fn main() -> Result<(), gssapi::Error> {
//! let key = SealingKey::generate(); // or SealingKey::from_bytes(a 32-byte key you keep)
//! let creds = Credentials::builder().acquire()?;
//! let sealed = creds.export_sealed(&key)?; // safe to store or hand to a broker
//! let again = Credentials::import_sealed(&key, &sealed)?; // only what this key sealed opens
//! # Ok(()) }
//! ```
//!
//! The tokens of `gss_export_sec_context` and `gss_export_cred` are in each library's private
//! format, and neither library defends its importer against damaged input: MIT 1.20 crashes
//! on some, Heimdal 7.8 imports truncated contexts as hollow ones (see
//! `docs/implementation-differences.md`). Sealing puts the token under authenticated
//! encryption (XChaCha20-Poly1305, a random 24-byte nonce per token) with a key only you hold,
//! so the library only ever parses a token that you exported. A token that was changed, cut,
//! sealed under another key, or sealed as the other kind (a context for credentials) is
//! refused with [`Error::Unsealed`] before the library sees any of it.
//!
//! The sealed form is `"GSR1" || nonce || ciphertext || tag`. Sealing hides the token's
//! contents and proves its origin; it does not stop a replay of an old sealed token, so bind
//! it to its use (a file only you write, a single-use broker slot) where that matters.

use crate::Error;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"GSR1";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// What a sealed token holds: part of the associated data, so one kind never opens as the
/// other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sealed {
    /// An exported security context.
    Context,
    /// Exported credentials.
    Credentials,
}

impl Sealed {
    fn label(self) -> &'static [u8] {
        match self {
            Sealed::Context => b"gssapi-rs sealed security context v1",
            Sealed::Credentials => b"gssapi-rs sealed credentials v1",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Sealed::Context => "security context",
            Sealed::Credentials => "credentials",
        }
    }
}

/// A 256-bit key for sealed exports, wiped from memory on drop.
pub struct SealingKey(Zeroizing<[u8; 32]>);

impl SealingKey {
    /// A key from 32 bytes you keep (e.g. from a secrets store).
    pub fn from_bytes(bytes: [u8; 32]) -> SealingKey {
        SealingKey(Zeroizing::new(bytes))
    }

    /// A new random key from the operating system's generator.
    pub fn generate() -> SealingKey {
        let key = chacha20poly1305::Key::generate();
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&key);
        SealingKey(Zeroizing::new(bytes))
    }

    /// The key's bytes, to store it.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new_from_slice(&self.0[..]).expect("the key is 32 bytes")
    }
}

/// The key is never printed.
impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

/// Seals `token` as `kind` under `key`.
pub(crate) fn seal(key: &SealingKey, kind: Sealed, token: &[u8]) -> Vec<u8> {
    let nonce = XNonce::generate();
    let sealed = key
        .cipher()
        .encrypt(
            &nonce,
            Payload {
                msg: token,
                aad: kind.label(),
            },
        )
        // Encryption fails only for messages beyond the cipher's limit (256 GiB).
        .expect("a GSSAPI token is far below XChaCha20-Poly1305's length limit");
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// Opens a token sealed as `kind` under `key`; the plaintext is wiped on drop.
pub(crate) fn open(
    key: &SealingKey,
    kind: Sealed,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let refuse = |reason: &'static str| Error::Unsealed {
        what: kind.what(),
        reason,
    };
    let body = sealed
        .strip_prefix(MAGIC)
        .ok_or_else(|| refuse("not a sealed token (no GSR1 header)"))?;
    if body.len() < NONCE_LEN + TAG_LEN {
        return Err(refuse("too short"));
    }
    let (nonce, ciphertext) = body.split_at(NONCE_LEN);
    let nonce: &XNonce = nonce.try_into().map_err(|_| refuse("too short"))?;
    key.cipher()
        .decrypt(
            nonce,
            Payload {
                msg: ciphertext,
                aad: kind.label(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| {
            refuse("it does not open under this key: changed, cut, or sealed as something else")
        })
}
