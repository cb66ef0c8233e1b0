//! The error model: one [`Error`] that keeps everything the failing call reported, with typed
//! views of the major status.
//!
//! ```
//! use gssapi_raw::{Error, ErrorKind, RoutineError, Supplementary, sys};
//!
//! // A major status as a library returns it: "bad name" plus "could not read a parameter".
//! let err = Error::from_status("gss_import_name", sys::GSS_S_BAD_NAME | sys::GSS_S_CALL_INACCESSIBLE_READ, 0);
//! assert_eq!(err.routine(), Some(RoutineError::BadName));
//! assert_eq!(err.kind(), ErrorKind::NameRead);           // python-gssapi: NameReadError
//! assert!(err.is(ErrorKind::BadName));                   // isinstance(e, BadNameError)
//! assert!(err.is(ErrorKind::ParameterRead));             // isinstance(e, ParameterReadError)
//! assert!(err.supplementary().is_empty());
//! ```
//!
//! # Routine errors are numbers
//!
//! The routine field of a major status holds one number (`GSS_S_BAD_NAMETYPE` is 3, which as bits
//! would look like `BAD_MECH | BAD_NAME`), so [`Error::routine`] decodes it into an enum, never
//! into flags. Only the supplementary field is a bit set ([`Supplementary`]).
//!
//! # Messages are captured when the call fails
//!
//! MIT keeps details of a minor status in thread-local state, so the text from
//! `gss_display_status` is read on the failing thread, right after the call, and stored in the
//! error.

use crate::buffer::Buffer;
use crate::oid::{Oid, opt_ptr};
use crate::sys;
use bitflags::bitflags;
use num_enum::{FromPrimitive, IntoPrimitive};
use std::fmt;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Origin {
    /// The GSSAPI library returned the status.
    Library,
    /// Rust rejected the input before calling the library; the status is synthesized
    /// (`GSS_S_CALL_BAD_STRUCTURE`, python-gssapi's `MalformedParameterError`).
    Input,
    /// The library this crate was built against lacks the function (an extension it does not
    /// implement); the status is `GSS_S_UNAVAILABLE`.
    MissingFunction,
    /// No GSSAPI library could be loaded (a build with gssapi-sys's `dlopen` feature); the status
    /// is `GSS_S_UNAVAILABLE` and the message says which libraries were tried and why each
    /// failed.
    NoLibrary,
}

/// An error from a GSSAPI call: the raw major and minor status, the mechanism, the messages
/// captured at the moment of failure, and the output token when the call produced one.
///
/// `Clone`: the token and any verified message are owned copies (the library's buffers are
/// released when the error is made; a verified message's copy is wiped on drop).
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    function: &'static str,
    /// The status the typed views read: the library's major status, or, for an error caught
    /// before any call, the status the library would have given (never shown as the library's).
    major: u32,
    minor: u32,
    mech: Option<Oid>,
    major_messages: Vec<String>,
    minor_messages: Vec<String>,
    token: Option<Vec<u8>>,
    /// The message a call verified and unwrapped before reporting the token out of sequence.
    verified: Option<zeroize::Zeroizing<Vec<u8>>>,
    /// A step that said "continue" with nothing to send.
    dead_end: bool,
    origin: Origin,
}

/// The routine error of a major status (its bits 16..24), as a number.
///
/// `#[non_exhaustive]` with [`RoutineError::Other`] for codes a future library may add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, FromPrimitive, IntoPrimitive)]
#[repr(u8)]
#[non_exhaustive]
pub enum RoutineError {
    /// `GSS_S_BAD_MECH`: an unsupported mechanism was requested.
    BadMech = 1,
    /// `GSS_S_BAD_NAME`: an invalid name was supplied.
    BadName = 2,
    /// `GSS_S_BAD_NAMETYPE`: a supplied name was of an unsupported type.
    BadNameType = 3,
    /// `GSS_S_BAD_BINDINGS`: incorrect channel bindings were supplied.
    BadBindings = 4,
    /// `GSS_S_BAD_STATUS`: an invalid status code was supplied.
    BadStatus = 5,
    /// `GSS_S_BAD_SIG` / `GSS_S_BAD_MIC`: a token had an invalid MIC.
    BadMic = 6,
    /// `GSS_S_NO_CRED`: no credentials were supplied, or they were unavailable.
    NoCred = 7,
    /// `GSS_S_NO_CONTEXT`: no context has been established.
    NoContext = 8,
    /// `GSS_S_DEFECTIVE_TOKEN`: a token was invalid.
    DefectiveToken = 9,
    /// `GSS_S_DEFECTIVE_CREDENTIAL`: a credential was invalid.
    DefectiveCredential = 10,
    /// `GSS_S_CREDENTIALS_EXPIRED`: the referenced credentials have expired.
    CredentialsExpired = 11,
    /// `GSS_S_CONTEXT_EXPIRED`: the context has expired.
    ContextExpired = 12,
    /// `GSS_S_FAILURE`: unspecified failure; the minor status says more.
    Failure = 13,
    /// `GSS_S_BAD_QOP`: the quality of protection cannot be provided.
    BadQop = 14,
    /// `GSS_S_UNAUTHORIZED`: the operation is forbidden by local policy.
    Unauthorized = 15,
    /// `GSS_S_UNAVAILABLE`: the operation or option is unavailable.
    Unavailable = 16,
    /// `GSS_S_DUPLICATE_ELEMENT`: the credential element already exists.
    DuplicateElement = 17,
    /// `GSS_S_NAME_NOT_MN`: the name is not a mechanism name.
    NameNotMn = 18,
    /// `GSS_S_BAD_MECH_ATTR`: an unknown mechanism attribute (RFC 5587).
    BadMechAttr = 19,
    /// A routine error this crate does not know.
    #[num_enum(catch_all)]
    Other(u8),
}

/// The calling error of a major status (its bits 24..32), as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, FromPrimitive, IntoPrimitive)]
#[repr(u8)]
#[non_exhaustive]
pub enum CallingError {
    /// `GSS_S_CALL_INACCESSIBLE_READ`: a required input parameter could not be read.
    InaccessibleRead = 1,
    /// `GSS_S_CALL_INACCESSIBLE_WRITE`: a required output parameter could not be written.
    InaccessibleWrite = 2,
    /// `GSS_S_CALL_BAD_STRUCTURE`: a parameter was malformed.
    BadStructure = 3,
    /// A calling error this crate does not know.
    #[num_enum(catch_all)]
    Other(u8),
}

bitflags! {
    /// The supplementary bits of a major status (bits 0..16): the only part that is a bit set.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Supplementary: u32 {
        /// `GSS_S_CONTINUE_NEEDED`: more tokens must be exchanged.
        const CONTINUE_NEEDED = sys::GSS_S_CONTINUE_NEEDED;
        /// `GSS_S_DUPLICATE_TOKEN`: the token was a duplicate of an earlier one.
        const DUPLICATE_TOKEN = sys::GSS_S_DUPLICATE_TOKEN;
        /// `GSS_S_OLD_TOKEN`: the token is too old to check for duplication.
        const OLD_TOKEN = sys::GSS_S_OLD_TOKEN;
        /// `GSS_S_UNSEQ_TOKEN`: a later token has already been processed.
        const UNSEQ_TOKEN = sys::GSS_S_UNSEQ_TOKEN;
        /// `GSS_S_GAP_TOKEN`: an expected per-message token was not received.
        const GAP_TOKEN = sys::GSS_S_GAP_TOKEN;
        // Keep bits a future library may define.
        const _ = sys::GSS_C_SUPPLEMENTARY_MASK;
    }
}

impl Supplementary {
    /// The supplementary part of a major status.
    pub fn from_major(major: u32) -> Supplementary {
        Supplementary::from_bits_retain(sys::GSS_SUPPLEMENTARY_INFO(major))
    }

    /// Whether any per-message sequencing problem is reported (duplicate, old, unseq, gap).
    pub fn has_sequence_problem(self) -> bool {
        self.intersects(
            Supplementary::DUPLICATE_TOKEN
                | Supplementary::OLD_TOKEN
                | Supplementary::UNSEQ_TOKEN
                | Supplementary::GAP_TOKEN,
        )
    }
}

/// A Kerberos error carried in the minor status of a krb5 (or SPNEGO-over-krb5) failure: the
/// `com_err` codes of the `krb5` error table, which MIT and Heimdal share.
///
/// The major status of many Kerberos failures is only `GSS_S_FAILURE`; this is where the reason
/// is ([`Error::krb5_error`]). `#[non_exhaustive]`, with [`Krb5Error::Other`] for the rest of the
/// table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, FromPrimitive, IntoPrimitive)]
#[repr(i32)]
#[non_exhaustive]
pub enum Krb5Error {
    /// `KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN`: the client is not in the KDC's database.
    ClientPrincipalUnknown = -1765328378,
    /// `KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN`: the service is not in the KDC's database.
    ServerPrincipalUnknown = -1765328377,
    /// `KRB5KDC_ERR_POLICY`: KDC policy rejects the request.
    KdcPolicy = -1765328372,
    /// `KRB5KDC_ERR_BADOPTION`: the KDC cannot honour a requested option (e.g. delegation).
    KdcBadOption = -1765328371,
    /// `KRB5KDC_ERR_CLIENT_REVOKED`: the client's credentials have been revoked.
    ClientRevoked = -1765328366,
    /// `KRB5KDC_ERR_KEY_EXP`: the password has expired.
    PasswordExpired = -1765328361,
    /// `KRB5KDC_ERR_PREAUTH_FAILED`: pre-authentication failed (usually a wrong password).
    PreauthFailed = -1765328360,
    /// `KRB5KRB_AP_ERR_BAD_INTEGRITY`: a decrypt integrity check failed (wrong key).
    BadIntegrity = -1765328353,
    /// `KRB5KRB_AP_ERR_TKT_EXPIRED`: the ticket has expired.
    TicketExpired = -1765328352,
    /// `KRB5KRB_AP_ERR_TKT_NYV`: the ticket is not yet valid.
    TicketNotYetValid = -1765328351,
    /// `KRB5KRB_AP_ERR_REPEAT`: the request is a replay.
    Replay = -1765328350,
    /// `KRB5KRB_AP_ERR_NOT_US`: the ticket is for another service.
    NotUs = -1765328349,
    /// `KRB5KRB_AP_ERR_BADMATCH`: ticket and authenticator do not match.
    BadMatch = -1765328348,
    /// `KRB5KRB_AP_ERR_SKEW`: the clocks differ too much.
    ClockSkew = -1765328347,
    /// `KRB5KRB_AP_ERR_MODIFIED`: the message was modified (or the key is wrong).
    Modified = -1765328343,
    /// `KRB5KRB_AP_ERR_BADKEYVER`: the key version is not available.
    BadKeyVersion = -1765328340,
    /// `KRB5KRB_AP_ERR_NOKEY`: the service key is not available.
    NoKey = -1765328339,
    /// `KRB5_CC_NOTFOUND`: no matching credential in the ccache.
    CcacheNotFound = -1765328243,
    /// `KRB5_REALM_UNKNOWN`: no KDC is known for the realm.
    RealmUnknown = -1765328230,
    /// `KRB5_KDC_UNREACH`: no KDC could be reached.
    KdcUnreachable = -1765328228,
    /// `KRB5_PROG_ETYPE_NOSUPP`: the encryption type is not supported.
    EnctypeNotSupported = -1765328234,
    /// `KRB5_KT_NOTFOUND`: the key table has no entry for the principal.
    KeytabEntryNotFound = -1765328203,
    /// `KRB5_KT_END`: the end of the key table was reached without a match (Heimdal's answer
    /// for a missing key).
    KeytabEnd = -1765328202,
    /// `KRB5_BAD_MSIZE`: a message (or IOV buffer) has the wrong size.
    BadMessageSize = -1765328194,
    /// `KRB5_FCC_NOFILE`: the ccache file does not exist.
    CcacheFileMissing = -1765328189,
    /// `KRB5_KT_KVNONOTFOUND`: the key table has the principal, but not that key version.
    KeytabKvnoNotFound = -1765328154,
    /// Another code of the krb5 error table.
    #[num_enum(catch_all)]
    Other(i32),
}

impl Krb5Error {
    /// The first code of the `krb5` com_err table.
    const TABLE_BASE: i32 = -1765328384;

    /// The Kerberos error of a minor status, if it is a code of the krb5 table.
    pub fn from_minor(minor: u32) -> Option<Krb5Error> {
        let code = minor as i32;
        (Self::TABLE_BASE..Self::TABLE_BASE + 256)
            .contains(&code)
            .then(|| Krb5Error::from(code))
    }

    /// The variants with a name, for [`Krb5Error::name`] and the message match of
    /// [`Error::krb5_error`].
    const NAMED: [(Krb5Error, &'static str); 27] = [
        (
            Krb5Error::ClientPrincipalUnknown,
            "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN",
        ),
        (
            Krb5Error::ServerPrincipalUnknown,
            "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN",
        ),
        (Krb5Error::KdcPolicy, "KRB5KDC_ERR_POLICY"),
        (Krb5Error::KdcBadOption, "KRB5KDC_ERR_BADOPTION"),
        (Krb5Error::ClientRevoked, "KRB5KDC_ERR_CLIENT_REVOKED"),
        (Krb5Error::PasswordExpired, "KRB5KDC_ERR_KEY_EXP"),
        (Krb5Error::PreauthFailed, "KRB5KDC_ERR_PREAUTH_FAILED"),
        (Krb5Error::BadIntegrity, "KRB5KRB_AP_ERR_BAD_INTEGRITY"),
        (Krb5Error::TicketExpired, "KRB5KRB_AP_ERR_TKT_EXPIRED"),
        (Krb5Error::TicketNotYetValid, "KRB5KRB_AP_ERR_TKT_NYV"),
        (Krb5Error::Replay, "KRB5KRB_AP_ERR_REPEAT"),
        (Krb5Error::NotUs, "KRB5KRB_AP_ERR_NOT_US"),
        (Krb5Error::BadMatch, "KRB5KRB_AP_ERR_BADMATCH"),
        (Krb5Error::ClockSkew, "KRB5KRB_AP_ERR_SKEW"),
        (Krb5Error::Modified, "KRB5KRB_AP_ERR_MODIFIED"),
        (Krb5Error::BadKeyVersion, "KRB5KRB_AP_ERR_BADKEYVER"),
        (Krb5Error::NoKey, "KRB5KRB_AP_ERR_NOKEY"),
        (Krb5Error::CcacheNotFound, "KRB5_CC_NOTFOUND"),
        (Krb5Error::RealmUnknown, "KRB5_REALM_UNKNOWN"),
        (Krb5Error::KdcUnreachable, "KRB5_KDC_UNREACH"),
        (Krb5Error::EnctypeNotSupported, "KRB5_PROG_ETYPE_NOSUPP"),
        (Krb5Error::KeytabEntryNotFound, "KRB5_KT_NOTFOUND"),
        (Krb5Error::KeytabEnd, "KRB5_KT_END"),
        (Krb5Error::BadMessageSize, "KRB5_BAD_MSIZE"),
        (Krb5Error::CcacheFileMissing, "KRB5_FCC_NOFILE"),
        (Krb5Error::KeytabKvnoNotFound, "KRB5_KT_KVNONOTFOUND"),
        (Krb5Error::Other(0), ""),
    ];

    /// The C name of the error (`KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN`); `None` for
    /// [`Krb5Error::Other`].
    pub fn name(self) -> Option<&'static str> {
        Self::NAMED
            .iter()
            .find(|(e, n)| *e == self && !n.is_empty())
            .map(|(_, n)| *n)
    }

    /// The Kerberos error whose message `text` is, for a minor status the library remapped
    /// (MIT's SPNEGO and mechanism glue hand out their own numbers for mechanism codes, so the
    /// krb5 code is gone but its message is not). The library's own text for each named code
    /// is compared, exactly or as MIT extends it with a principal in the middle ("Server
    /// HTTP/x@R not found in Kerberos database").
    fn from_message(text: &str) -> Option<Krb5Error> {
        static MESSAGES: std::sync::OnceLock<Vec<(Krb5Error, String)>> = std::sync::OnceLock::new();
        let messages = MESSAGES.get_or_init(|| {
            Self::NAMED
                .iter()
                .filter(|(_, n)| !n.is_empty())
                .filter_map(|(e, _)| {
                    let code = i32::from(*e) as u32;
                    let lines =
                        display_status(code, false, Some(&crate::oid::mech_type::KERBEROS)).ok()?;
                    Some((*e, tidy(&lines.join(" "))))
                })
                .filter(|(_, m)| !m.is_empty())
                .collect()
        });
        let text = tidy(text);
        messages.iter().find_map(|(e, base)| {
            let exact = *base == text;
            let extended = base.split_once(' ').is_some_and(|(first, rest)| {
                text.len() > base.len()
                    && text.starts_with(first)
                    && text.as_bytes().get(first.len()) == Some(&b' ')
                    && text.ends_with(rest)
            });
            (exact || extended).then_some(*e)
        })
    }
}

/// Declares [`ErrorKind`] with, for each variant, its python-gssapi class name: one table for the
/// enum, [`ErrorKind::python_name`] and [`ErrorKind::ALL`].
macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident => $python:literal,)*) => {
        /// The python-gssapi exception classes, for people porting from
        /// `gssapi.raw.exceptions`.
        ///
        /// [`Error::kind`] gives the most specific class (the one python-gssapi would raise);
        /// [`Error::is`] answers `isinstance` and follows python-gssapi's class hierarchy,
        /// including the classes with two parents (`TokenReadError` is both a
        /// `ParameterReadError` and an `InvalidTokenError`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[$doc])* #[doc(alias = $python)] $variant,)*
        }

        impl ErrorKind {
            /// The python-gssapi class name, e.g. `"TokenReadError"`.
            pub fn python_name(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $python,)*
                }
            }

            /// Every kind, for tables and tests.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)*];
        }
    };
}

error_kinds! {
    /// `GSSError`: the base class; also any status without a more specific class
    /// (e.g. `GSS_S_FAILURE`).
    GssError => "GSSError",
    /// `BadChannelBindingsError`: `GSS_S_BAD_BINDINGS`.
    BadChannelBindings => "BadChannelBindingsError",
    /// `BadMICError`: `GSS_S_BAD_MIC`.
    BadMic => "BadMICError",
    /// `BadMechanismError`: `GSS_S_BAD_MECH`.
    BadMechanism => "BadMechanismError",
    /// `BadNameError`: `GSS_S_BAD_NAME`.
    BadName => "BadNameError",
    /// `BadNameTypeError`: `GSS_S_BAD_NAMETYPE`.
    BadNameType => "BadNameTypeError",
    /// `BadQoPError`: `GSS_S_BAD_QOP`.
    BadQop => "BadQoPError",
    /// `BadStatusError`: `GSS_S_BAD_STATUS`.
    BadStatus => "BadStatusError",
    /// `ContextReadError`: `GSS_S_CALL_INACCESSIBLE_READ` with `GSS_S_NO_CONTEXT`.
    ContextRead => "ContextReadError",
    /// `ContextWriteError`: `GSS_S_CALL_INACCESSIBLE_WRITE` with `GSS_S_NO_CONTEXT`.
    ContextWrite => "ContextWriteError",
    /// `CredentialsReadError`: `GSS_S_CALL_INACCESSIBLE_READ` with `GSS_S_NO_CRED`.
    CredentialsRead => "CredentialsReadError",
    /// `CredentialsWriteError`: `GSS_S_CALL_INACCESSIBLE_WRITE` with `GSS_S_NO_CRED`.
    CredentialsWrite => "CredentialsWriteError",
    /// `DuplicateCredentialsElementError`: `GSS_S_DUPLICATE_ELEMENT`.
    DuplicateCredentialsElement => "DuplicateCredentialsElementError",
    /// `DuplicateTokenError`: supplementary `GSS_S_DUPLICATE_TOKEN`.
    DuplicateToken => "DuplicateTokenError",
    /// `ExpiredContextError`: `GSS_S_CONTEXT_EXPIRED`.
    ExpiredContext => "ExpiredContextError",
    /// `ExpiredCredentialsError`: `GSS_S_CREDENTIALS_EXPIRED`.
    ExpiredCredentials => "ExpiredCredentialsError",
    /// `ExpiredTokenError`: supplementary `GSS_S_OLD_TOKEN`.
    ExpiredToken => "ExpiredTokenError",
    /// `InvalidCredentialsError`: `GSS_S_DEFECTIVE_CREDENTIAL`.
    InvalidCredentials => "InvalidCredentialsError",
    /// `InvalidTokenError`: `GSS_S_DEFECTIVE_TOKEN`.
    InvalidToken => "InvalidTokenError",
    /// `MalformedParameterError`: `GSS_S_CALL_BAD_STRUCTURE`.
    MalformedParameter => "MalformedParameterError",
    /// `MechanismNameRequiredError`: `GSS_S_NAME_NOT_MN`.
    MechanismNameRequired => "MechanismNameRequiredError",
    /// `MissingContextError`: `GSS_S_NO_CONTEXT`.
    MissingContext => "MissingContextError",
    /// `MissingCredentialsError`: `GSS_S_NO_CRED`.
    MissingCredentials => "MissingCredentialsError",
    /// `NameReadError`: `GSS_S_CALL_INACCESSIBLE_READ` with `GSS_S_BAD_NAME`.
    NameRead => "NameReadError",
    /// `NameTypeReadError`: `GSS_S_CALL_INACCESSIBLE_READ` with `GSS_S_BAD_NAMETYPE`.
    NameTypeRead => "NameTypeReadError",
    /// `OperationUnavailableError`: `GSS_S_UNAVAILABLE` (also a function the library lacks).
    OperationUnavailable => "OperationUnavailableError",
    /// `ParameterReadError`: `GSS_S_CALL_INACCESSIBLE_READ`.
    ParameterRead => "ParameterReadError",
    /// `ParameterWriteError`: `GSS_S_CALL_INACCESSIBLE_WRITE`.
    ParameterWrite => "ParameterWriteError",
    /// `SupplementaryError`: the base of the supplementary classes.
    Supplementary => "SupplementaryError",
    /// `TokenOutOfSequenceError`: the base of `TokenTooEarlyError` and `TokenTooLateError`.
    TokenOutOfSequence => "TokenOutOfSequenceError",
    /// `TokenReadError`: `GSS_S_CALL_INACCESSIBLE_READ` with `GSS_S_DEFECTIVE_TOKEN`.
    TokenRead => "TokenReadError",
    /// `TokenTooEarlyError`: supplementary `GSS_S_GAP_TOKEN`.
    TokenTooEarly => "TokenTooEarlyError",
    /// `TokenTooLateError`: supplementary `GSS_S_UNSEQ_TOKEN`.
    TokenTooLate => "TokenTooLateError",
    /// `UnauthorizedError`: `GSS_S_UNAUTHORIZED`.
    Unauthorized => "UnauthorizedError",
}

impl ErrorKind {
    /// The python-gssapi base classes of this class (besides `GSSError`, the base of all).
    pub fn parents(self) -> &'static [ErrorKind] {
        use ErrorKind::*;
        match self {
            ContextRead => &[ParameterRead, MissingContext],
            ContextWrite => &[ParameterWrite, MissingContext],
            CredentialsRead => &[ParameterRead, MissingCredentials],
            CredentialsWrite => &[ParameterWrite, MissingCredentials],
            NameRead => &[ParameterRead, BadName],
            NameTypeRead => &[ParameterRead, BadNameType],
            TokenRead => &[ParameterRead, InvalidToken],
            DuplicateToken | ExpiredToken | TokenOutOfSequence => &[Supplementary],
            TokenTooEarly | TokenTooLate => &[TokenOutOfSequence],
            _ => &[],
        }
    }

    fn is_subclass_of(self, other: ErrorKind) -> bool {
        self == other
            || other == ErrorKind::GssError
            || self.parents().iter().any(|p| p.is_subclass_of(other))
    }

    /// The most specific class for a major status, as python-gssapi picks it: a two-parent
    /// class when both its calling and routine parts match, else the routine class, else the
    /// calling class, else a supplementary class.
    pub fn from_major(major: u32) -> ErrorKind {
        use ErrorKind::*;
        let calling = CallingError::from((major >> sys::GSS_C_CALLING_ERROR_OFFSET) as u8);
        let routine = RoutineError::from((major >> sys::GSS_C_ROUTINE_ERROR_OFFSET) as u8);
        let has_calling = sys::GSS_CALLING_ERROR(major) != 0;
        let has_routine = sys::GSS_ROUTINE_ERROR(major) != 0;
        if has_calling && has_routine {
            let both = match (calling, routine) {
                (CallingError::InaccessibleRead, RoutineError::NoContext) => Some(ContextRead),
                (CallingError::InaccessibleWrite, RoutineError::NoContext) => Some(ContextWrite),
                (CallingError::InaccessibleRead, RoutineError::NoCred) => Some(CredentialsRead),
                (CallingError::InaccessibleWrite, RoutineError::NoCred) => Some(CredentialsWrite),
                (CallingError::InaccessibleRead, RoutineError::BadName) => Some(NameRead),
                (CallingError::InaccessibleRead, RoutineError::BadNameType) => Some(NameTypeRead),
                (CallingError::InaccessibleRead, RoutineError::DefectiveToken) => Some(TokenRead),
                _ => None,
            };
            if let Some(kind) = both {
                return kind;
            }
        }
        if has_routine {
            return match routine {
                RoutineError::BadMech => BadMechanism,
                RoutineError::BadName => BadName,
                RoutineError::BadNameType => BadNameType,
                RoutineError::BadBindings => BadChannelBindings,
                RoutineError::BadStatus => BadStatus,
                RoutineError::BadMic => BadMic,
                RoutineError::NoCred => MissingCredentials,
                RoutineError::NoContext => MissingContext,
                RoutineError::DefectiveToken => InvalidToken,
                RoutineError::DefectiveCredential => InvalidCredentials,
                RoutineError::CredentialsExpired => ExpiredCredentials,
                RoutineError::ContextExpired => ExpiredContext,
                RoutineError::BadQop => BadQop,
                RoutineError::Unauthorized => Unauthorized,
                RoutineError::Unavailable => OperationUnavailable,
                RoutineError::DuplicateElement => DuplicateCredentialsElement,
                RoutineError::NameNotMn => MechanismNameRequired,
                RoutineError::Failure | RoutineError::BadMechAttr | RoutineError::Other(_) => {
                    GssError
                }
            };
        }
        if has_calling {
            return match calling {
                CallingError::InaccessibleRead => ParameterRead,
                CallingError::InaccessibleWrite => ParameterWrite,
                CallingError::BadStructure => MalformedParameter,
                CallingError::Other(_) => GssError,
            };
        }
        let supp = self::Supplementary::from_major(major);
        if supp.contains(self::Supplementary::DUPLICATE_TOKEN) {
            DuplicateToken
        } else if supp.contains(self::Supplementary::OLD_TOKEN) {
            ExpiredToken
        } else if supp.contains(self::Supplementary::UNSEQ_TOKEN) {
            TokenTooLate
        } else if supp.contains(self::Supplementary::GAP_TOKEN) {
            TokenTooEarly
        } else if supp.is_empty() {
            GssError
        } else {
            Supplementary
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.python_name())
    }
}

impl Error {
    /// An error for a status a library call returned, with the messages of both codes read
    /// now from `gss_display_status` (no mechanism given for the minor code).
    pub fn from_status(function: &'static str, major: u32, minor: u32) -> Error {
        Error::capture(function, major, minor, None)
    }

    /// As [`Error::from_status`], naming the mechanism whose minor code this is.
    pub(crate) fn capture(
        function: &'static str,
        major: u32,
        minor: u32,
        mech: Option<&Oid>,
    ) -> Error {
        let major_messages = display_status_lossy(major, true, None);
        let minor_messages = if minor != 0 {
            display_status_lossy(minor, false, mech)
        } else {
            Vec::new()
        };
        Error(Box::new(Inner {
            function,
            major,
            minor,
            mech: mech.cloned(),
            major_messages,
            minor_messages,
            token: None,
            verified: None,
            dead_end: false,
            origin: Origin::Library,
        }))
    }

    /// An error for input Rust rejects before any library call.
    pub(crate) fn invalid_input(function: &'static str, why: &str) -> Error {
        Error(Box::new(Inner {
            function,
            major: sys::GSS_S_CALL_BAD_STRUCTURE,
            minor: 0,
            mech: None,
            major_messages: vec![why.to_string()],
            minor_messages: Vec::new(),
            token: None,
            verified: None,
            dead_end: false,
            origin: Origin::Input,
        }))
    }

    /// An error for input Rust rejects with a routine status of its own (e.g. `GSS_S_BAD_NAME`
    /// for a name with an interior NUL).
    pub(crate) fn rejected(function: &'static str, major: u32, why: &str) -> Error {
        let mut err = Error::invalid_input(function, why);
        err.0.major = major;
        err
    }

    /// An error for a function the library in use does not have ([`Origin::MissingFunction`]),
    /// or, in a `dlopen` build where no library could be loaded, for that
    /// ([`Origin::NoLibrary`]).
    pub fn missing_function(function: &'static str) -> Error {
        #[cfg(gss_runtime)]
        if let Err(load) = sys::dlopen::library() {
            return Error::unavailable(function, Origin::NoLibrary, load.to_string());
        }
        Error::unavailable(
            function,
            Origin::MissingFunction,
            format!(
                "{function} is not available in the GSSAPI library in use ({} {})",
                sys::implementation().map_or("unknown", |i| i.as_str()),
                sys::library_version()
            ),
        )
    }

    fn unavailable(function: &'static str, origin: Origin, message: String) -> Error {
        Error(Box::new(Inner {
            function,
            major: sys::GSS_S_UNAVAILABLE,
            minor: 0,
            mech: None,
            major_messages: vec![message],
            minor_messages: Vec::new(),
            token: None,
            verified: None,
            dead_end: false,
            origin,
        }))
    }

    /// Adds an explanation to the major-status messages.
    pub(crate) fn with_note(mut self, note: &str) -> Error {
        self.0.major_messages.push(note.to_string());
        self
    }

    /// The error for a verified token that arrived out of sequence (duplicate, old, early or
    /// late): its status is the supplementary bits alone, and it keeps the verified message.
    pub(crate) fn out_of_sequence(
        function: &'static str,
        supplementary: Supplementary,
        verified: Option<Buffer>,
    ) -> Error {
        let mut err = Error::from_status(function, supplementary.bits(), 0).with_note(
            "the token is genuine but out of sequence (a replay, or one lost or reordered)",
        );
        err.0.verified = verified.map(|mut message| {
            let copy = zeroize::Zeroizing::new(message.to_vec());
            message.wipe();
            copy
        });
        err
    }

    /// The error for a context step that asked to continue but produced no token for the peer:
    /// nothing can make progress (MIT answers an acceptor that was handed a token of the
    /// wrong kind, such as an AP-REP, this way). The status is the library's own.
    pub(crate) fn dead_end(
        function: &'static str,
        major: u32,
        minor: u32,
        mech: Option<&Oid>,
    ) -> Error {
        let mut err = Error::capture(function, major, minor, mech).with_note(
            "the mechanism asked to continue but gave no token to send: the exchange cannot go on \
             (was the input a token of another kind, such as a reply?)",
        );
        err.0.dead_end = true;
        err
    }

    /// Whether a context step failed because the mechanism asked to continue without a token
    /// to send (see the step functions of [`context`](crate::context)).
    pub fn is_dead_end(&self) -> bool {
        self.0.dead_end
    }

    /// Whether this error is only about sequencing: the token was out of order (duplicate,
    /// old, early, late) and no calling or routine error was reported. On MIT the token was
    /// verified first ([`Error::verified_message`] holds what it unwrapped); Heimdal does not
    /// verify such tokens.
    pub fn is_sequence_problem(&self) -> bool {
        self.routine().is_none()
            && self.calling().is_none()
            && self.supplementary().has_sequence_problem()
    }

    /// The message that was verified and unwrapped before the token was found out of sequence
    /// (MIT's `gss_unwrap`, `gss_unwrap_aead`): nothing is lost if the caller decides to
    /// accept it.
    pub fn verified_message(&self) -> Option<&[u8]> {
        self.0.verified.as_deref().map(Vec::as_slice)
    }

    /// Takes the verified message out of the error (wiped when dropped).
    pub fn take_verified_message(&mut self) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        self.0.verified.take()
    }

    /// Attaches the output token the failing call produced (an empty token is dropped).
    pub(crate) fn with_token(mut self, token: Buffer) -> Error {
        if !token.is_empty() {
            self.0.token = Some(token.to_vec());
        }
        self
    }

    /// The C function that failed, e.g. `"gss_accept_sec_context"`.
    pub fn function(&self) -> &'static str {
        self.0.function
    }

    /// The major status the library returned; 0 for an error caught before any library call
    /// ([`Origin::Input`], [`Origin::MissingFunction`]), whose typed views
    /// ([`Error::routine`], [`Error::kind`]) still say what the library would have reported.
    pub fn major(&self) -> u32 {
        match self.0.origin {
            Origin::Library => self.0.major,
            Origin::Input | Origin::MissingFunction | Origin::NoLibrary => 0,
        }
    }

    /// The raw minor (mechanism) status.
    pub fn minor(&self) -> u32 {
        self.0.minor
    }

    /// The mechanism the minor status belongs to, when known.
    pub fn mech(&self) -> Option<&Oid> {
        self.0.mech.as_ref()
    }

    /// Where the error came from.
    pub fn origin(&self) -> Origin {
        self.0.origin
    }

    /// The routine error, if the major status has one.
    pub fn routine(&self) -> Option<RoutineError> {
        (sys::GSS_ROUTINE_ERROR(self.0.major) != 0)
            .then(|| RoutineError::from((self.0.major >> sys::GSS_C_ROUTINE_ERROR_OFFSET) as u8))
    }

    /// The calling error, if the major status has one.
    pub fn calling(&self) -> Option<CallingError> {
        (sys::GSS_CALLING_ERROR(self.0.major) != 0)
            .then(|| CallingError::from((self.0.major >> sys::GSS_C_CALLING_ERROR_OFFSET) as u8))
    }

    /// The Kerberos error in the minor status, when the minor status is a krb5 error code.
    ///
    /// Failures that arrive through SPNEGO (or MIT's mechanism glue) carry a remapped minor
    /// status rather than the krb5 code; for those the Kerberos error is recognised from the
    /// library's message for it, for the named variants of [`Krb5Error`].
    pub fn krb5_error(&self) -> Option<Krb5Error> {
        Krb5Error::from_minor(self.0.minor).or_else(|| {
            if self.0.minor == 0 || self.0.origin != Origin::Library {
                return None;
            }
            self.0
                .minor_messages
                .iter()
                .find_map(|m| Krb5Error::from_message(m))
        })
    }

    /// The supplementary bits.
    pub fn supplementary(&self) -> Supplementary {
        Supplementary::from_major(self.0.major)
    }

    /// The most specific python-gssapi exception class for this error.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from_major(self.0.major)
    }

    /// Whether python-gssapi's `isinstance(err, <kind>Error)` would be true.
    pub fn is(&self, kind: ErrorKind) -> bool {
        let mine = self.kind();
        if mine.is_subclass_of(kind) {
            return true;
        }
        // python-gssapi raises one class, but a status can carry supplementary bits on top of
        // a routine error; answer for those too.
        let supp = self.supplementary();
        let supp_kinds = [
            (Supplementary::DUPLICATE_TOKEN, ErrorKind::DuplicateToken),
            (Supplementary::OLD_TOKEN, ErrorKind::ExpiredToken),
            (Supplementary::UNSEQ_TOKEN, ErrorKind::TokenTooLate),
            (Supplementary::GAP_TOKEN, ErrorKind::TokenTooEarly),
        ];
        supp_kinds
            .iter()
            .any(|(bit, k)| supp.contains(*bit) && k.is_subclass_of(kind))
    }

    /// Whether this is [`Origin::MissingFunction`]: the library lacks the called extension.
    pub fn is_unavailable_in_library(&self) -> bool {
        self.0.origin == Origin::MissingFunction
    }

    /// Whether this is [`Origin::NoLibrary`]: a `dlopen` build found no GSSAPI library to load
    /// (the message lists what was tried).
    pub fn is_no_library(&self) -> bool {
        self.0.origin == Origin::NoLibrary
    }

    /// The messages of the major status, from `gss_display_status`.
    pub fn major_messages(&self) -> &[String] {
        &self.0.major_messages
    }

    /// The messages of the minor status, from `gss_display_status`.
    pub fn minor_messages(&self) -> &[String] {
        &self.0.minor_messages
    }

    /// The output token the call produced before failing (e.g. an acceptor's KRB-ERROR),
    /// which should still be sent to the peer.
    pub fn token(&self) -> Option<&[u8]> {
        self.0.token.as_deref()
    }

    /// Takes the output token out of the error.
    pub fn take_token(&mut self) -> Option<Vec<u8>> {
        self.0.token.take()
    }
}

/// The reason first: the mechanism's words (the minor status, with the Kerberos error's name),
/// then the GSSAPI status in words, then the codes. MIT's "Minor code may provide more
/// information" filler is dropped.
///
/// `gss_init_sec_context: Server HTTP/web@EXAMPLE.COM not found in Kerberos database
/// (KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN); unspecified GSS failure (major 0x000d0000, minor
/// 2529638919)`
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.0.function)?;
        let majors: Vec<String> = self
            .0
            .major_messages
            .iter()
            .map(|m| tidy(m))
            .filter(|m| !m.is_empty())
            .collect();
        match self.0.origin {
            Origin::Input => {
                return write!(
                    f,
                    "{} (refused before calling the library)",
                    majors.join("; ")
                );
            }
            Origin::MissingFunction | Origin::NoLibrary => return f.write_str(&majors.join("; ")),
            Origin::Library => {}
        }
        let minors: Vec<String> = self
            .0
            .minor_messages
            .iter()
            .map(|m| tidy(m))
            .filter(|m| {
                !m.is_empty() && !m.starts_with("Unknown code") && !m.starts_with("unknown")
            })
            .collect();
        if !minors.is_empty() {
            f.write_str(&minors.join("; "))?;
            if let Some(name) = self.krb5_error().and_then(Krb5Error::name) {
                write!(f, " ({name})")?;
            }
            f.write_str("; ")?;
        }
        let mut majors = majors.into_iter();
        if let Some(first) = majors.next() {
            // Lower-case the library's sentence when it follows the reason.
            let first = if minors.is_empty() {
                first
            } else {
                lower_first(&first)
            };
            f.write_str(&first)?;
        }
        for more in majors {
            write!(f, "; {more}")?;
        }
        write!(f, " (major 0x{:08x}", self.0.major)?;
        if self.0.minor != 0 {
            write!(f, ", minor {}", self.0.minor)?;
        }
        f.write_str(")")
    }
}

/// A library message without its padding, trailing full stop, and MIT's filler sentence.
fn tidy(message: &str) -> String {
    let m = message.trim();
    let m = m
        .strip_suffix("Minor code may provide more information")
        .unwrap_or(m)
        .trim_end();
    m.strip_suffix('.').unwrap_or(m).trim().to_string()
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms ("GSS", "SPNEGO") as they are.
        Some(c) if c.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(s[c.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("function", &self.0.function)
            .field("kind", &self.kind())
            .field("major", &format_args!("0x{:08x}", self.0.major))
            .field("minor", &self.0.minor)
            .field("routine", &self.routine())
            .field("calling", &self.calling())
            .field("supplementary", &self.supplementary())
            .field("krb5_error", &self.krb5_error())
            .field("mech", &self.0.mech)
            .field("major_messages", &self.0.major_messages)
            .field("minor_messages", &self.0.minor_messages)
            .field("token", &self.0.token.as_ref().map(|t| t.len()))
            .field("verified", &self.0.verified.as_ref().map(|t| t.len()))
            .field("origin", &self.0.origin)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Checks a major status: an error (calling or routine bits) becomes [`Error`] with its
/// messages captured now; otherwise the supplementary bits are returned.
///
/// This is the one place a C status turns into a `Result`.
pub(crate) fn check(
    function: &'static str,
    major: u32,
    minor: u32,
    mech: Option<&Oid>,
) -> Result<Supplementary> {
    // A `dlopen` build without a library: every call returns GSS_S_UNAVAILABLE, minor 0.
    #[cfg(gss_runtime)]
    if major == sys::GSS_S_UNAVAILABLE
        && minor == 0
        && let Some(err) = without_library(function)
    {
        return Err(err);
    }
    if crate::sys::is_heimdal() && !well_formed(major) {
        return Err(misplaced_code(function, major, minor, mech));
    }
    if sys::GSS_ERROR(major) {
        Err(Error::capture(function, major, minor, mech))
    } else {
        Ok(Supplementary::from_major(major))
    }
}

/// The error of a call made when no library could be loaded (`dlopen` builds), kept out of
/// line so that `check` stays small enough to inline into every call.
#[cfg(gss_runtime)]
#[cold]
#[inline(never)]
fn without_library(function: &'static str) -> Option<Error> {
    sys::dlopen::library()
        .is_err()
        .then(|| Error::missing_function(function))
}

/// Whether `major` is a GSSAPI major status at all: a known calling error (1 to 3), a known
/// routine error (1 to 19, RFC 2744 and RFC 5587), and only the six supplementary bits.
fn well_formed(major: u32) -> bool {
    let calling = (major >> sys::GSS_C_CALLING_ERROR_OFFSET) & 0xff;
    let routine = (major >> sys::GSS_C_ROUTINE_ERROR_OFFSET) & 0xff;
    let supplementary = major & 0xffff;
    calling <= 3 && routine <= 19 && supplementary & !0x3f == 0
}

/// Heimdal's SPNEGO initiator (7.8) returns the mechanism's own error code where the major
/// status belongs (e.g. `0x6eda3605`, ASN1_OVERRUN, for a truncated reply token), which would
/// read as nonsense calling and routine errors. The code becomes the minor status, with
/// `GSS_S_DEFECTIVE_TOKEN` for codes of Heimdal's ASN.1 table (the token did not decode) and
/// `GSS_S_FAILURE` for the rest, so the typed views and the message are right.
fn misplaced_code(function: &'static str, code: u32, minor: u32, mech: Option<&Oid>) -> Error {
    /// Heimdal's `asn1` com_err table (lib/asn1/asn1_err.et).
    const ASN1_TABLE: std::ops::Range<u32> = 0x6eda_3600..0x6eda_3700;
    let (major, what) = if ASN1_TABLE.contains(&code) {
        (
            sys::GSS_S_DEFECTIVE_TOKEN,
            format!(
                "Heimdal ASN.1 error {} (the token did not decode), returned as the major status",
                code - ASN1_TABLE.start
            ),
        )
    } else {
        (
            sys::GSS_S_FAILURE,
            format!("the library returned the mechanism's code {code:#x} as the major status"),
        )
    };
    let minor = if minor == 0 { code } else { minor };
    Error::capture(function, major, minor, mech).with_note(&what)
}

/// Runs a C call that takes a minor-status out-pointer first, and checks its major status.
pub(crate) fn call(
    function: &'static str,
    f: impl FnOnce(&mut u32) -> u32,
) -> Result<Supplementary> {
    let mut minor = 0;
    let major = f(&mut minor);
    check(function, major, minor, None)
}

/// Every message of a status code (`gss_display_status`, looping on the message context).
///
/// ```
/// use gssapi_raw::{display_status, sys};
/// let lines = display_status(sys::GSS_S_BAD_NAME, true, None).unwrap();
/// assert!(!lines.is_empty());
/// ```
#[doc(alias = "gss_display_status")]
pub fn display_status(code: u32, is_major: bool, mech: Option<&Oid>) -> Result<Vec<String>> {
    let status_type = if is_major {
        sys::GSS_C_GSS_CODE
    } else {
        sys::GSS_C_MECH_CODE
    };
    let mut out = Vec::new();
    let mut message_context: u32 = 0;
    // A library bug must not loop forever: no status has anywhere near this many lines.
    for _ in 0..64 {
        let mut minor = 0;
        let mut text = Buffer::new();
        // SAFETY: all pointers are valid for the call; the text buffer is released by Drop.
        let major = unsafe {
            sys::gss_display_status(
                &mut minor,
                code,
                status_type,
                opt_ptr(mech),
                &mut message_context,
                text.as_out_ptr(),
            )
        };
        if sys::GSS_ERROR(major) {
            // Not `Error::capture`: that would call display_status again.
            return Err(Error(Box::new(Inner {
                function: "gss_display_status",
                major,
                minor,
                mech: mech.cloned(),
                major_messages: vec![format!("cannot display status {code:#x}")],
                minor_messages: Vec::new(),
                token: None,
                verified: None,
                dead_end: false,
                origin: Origin::Library,
            })));
        }
        // MIT counts the C string's terminator in some messages' length.
        let bytes: &[u8] = &text;
        let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
        out.push(String::from_utf8_lossy(bytes).into_owned());
        if message_context == 0 {
            break;
        }
    }
    Ok(out)
}

fn display_status_lossy(code: u32, is_major: bool, mech: Option<&Oid>) -> Vec<String> {
    match display_status(code, is_major, mech) {
        Ok(lines) => lines,
        Err(_) => vec![format!("unknown status {code:#x}")],
    }
}
