//! One error type for the crate: the library's errors with every typed view, plus the misuse
//! this crate catches before calling the library.
//!
//! ```
//! use gssapi::{Error, Name, ErrorKind};
//!
//! // An empty principal is the library's BadName error, reachable through `gss()`.
//! let err: Error = Name::kerberos_principal("").unwrap_err();
//! assert!(err.is(ErrorKind::BadName));
//! assert!(err.gss().is_some());
//! println!("{err}"); // the display_status text, ready for a log line
//! ```

use gssapi_raw as raw;
pub use raw::{CallingError, ErrorKind, Krb5Error, RoutineError, Supplementary};

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong. `Clone`, so it can be kept, logged and returned again.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The GSSAPI library reported an error. Every raw view (major, minor, routine, calling,
    /// supplementary, Kerberos code, messages, the token for the peer) is on the inner value.
    #[doc(alias = "GeneralError")]
    #[doc(alias = "GSSError")]
    #[error(transparent)]
    Gss(#[from] raw::Error),

    /// The call makes no sense in the context's current state (e.g. `wrap` before the context
    /// is established, `step` after it is). No library call was made.
    #[error("{operation}: {reason}")]
    State {
        /// The operation that was refused.
        operation: &'static str,
        /// Why, in words a person can act on.
        reason: &'static str,
    },

    /// A message came back without the protection the caller demanded: `encrypt` could not
    /// encrypt, or `decrypt` was given a message that was only signed.
    #[error("{operation}: the message was not encrypted (confidentiality was not applied)")]
    #[doc(alias = "EncryptionNotUsed")]
    NotEncrypted {
        /// `"encrypt"` or `"decrypt"`.
        operation: &'static str,
    },

    /// A per-message token arrived out of sequence (replayed, too old, early or late) on a
    /// context with replay or sequence detection (see [`crate::SecurityContext::unwrap`]).
    #[error("{operation}: token out of sequence ({supplementary:?})")]
    #[doc(alias = "DuplicateTokenError")]
    #[doc(alias = "TokenOutOfSequenceError")]
    OutOfSequence {
        /// The operation.
        operation: &'static str,
        /// The sequencing bits the library reported.
        supplementary: Supplementary,
        /// The verified message, when the library unwrapped it anyway (MIT does): nothing is
        /// lost if the caller decides to accept it. `None` on Heimdal, which does not verify
        /// such tokens. Wiped when dropped.
        message: Option<zeroize::Zeroizing<Vec<u8>>>,
    },

    /// A sealed export did not open (see [`crate::SealingKey`]): the library never saw it.
    #[error("the sealed {what} did not open: {reason}")]
    Unsealed {
        /// `"security context"` or `"credentials"`.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
}

impl Error {
    /// The library error, when this is one.
    pub fn gss(&self) -> Option<&raw::Error> {
        match self {
            Error::Gss(e) => Some(e),
            _ => None,
        }
    }

    /// The python-gssapi class of a library error (`None` for this crate's own errors).
    pub fn kind(&self) -> Option<ErrorKind> {
        self.gss().map(raw::Error::kind)
    }

    /// Whether this is a library error of (a subclass of) `kind`, as python's `isinstance`.
    pub fn is(&self, kind: ErrorKind) -> bool {
        self.gss().is_some_and(|e| e.is(kind))
    }

    /// The token the failing step produced for the peer (e.g. a KRB-ERROR): send it before
    /// giving up, so the peer learns why.
    pub fn token(&self) -> Option<&[u8]> {
        self.gss().and_then(raw::Error::token)
    }

    /// Whether this error was caught by this crate before any library call.
    pub fn is_misuse(&self) -> bool {
        matches!(self, Error::State { .. })
    }

    /// The major status the library returned (python-gssapi: `maj_code`): the supplementary
    /// bits for [`Error::OutOfSequence`], and 0 when no library call failed (this crate's own
    /// errors, and input gssapi-raw refused before calling).
    pub fn major(&self) -> u32 {
        match self {
            Error::Gss(e) => e.major(),
            Error::OutOfSequence { supplementary, .. } => supplementary.bits(),
            _ => 0,
        }
    }

    /// The minor (mechanism) status (python-gssapi: `min_code`); 0 when there is none.
    pub fn minor(&self) -> u32 {
        self.gss().map_or(0, raw::Error::minor)
    }

    /// The Kerberos error behind a library failure, also when it came through SPNEGO (see
    /// gssapi-raw's `Error::krb5_error`).
    pub fn krb5_error(&self) -> Option<crate::Krb5Error> {
        self.gss().and_then(raw::Error::krb5_error)
    }
}
