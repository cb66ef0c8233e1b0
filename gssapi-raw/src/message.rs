//! Per-message protection (RFC 2744 section 2.3): MIC, wrap, unwrap, size limits.
//!
//! ```no_run
//! # fn demo(initiator: &mut gssapi_raw::SecContext, acceptor: &mut gssapi_raw::SecContext) -> gssapi_raw::Result<()> {
//! use gssapi_raw::message;
//!
//! let sealed = message::wrap(initiator, b"hello", true, None)?;
//! assert!(sealed.encrypted);
//! let opened = message::unwrap(acceptor, &sealed.message)?;
//! assert_eq!(&*opened.message, b"hello");
//! assert!(opened.encrypted);
//! # Ok(()) }
//! ```

use crate::buffer::{Buffer, input};
use crate::context::{SecContext, require};
use crate::error::{Error, Result, Supplementary, call};
use crate::sys;

/// Heimdal checks a token's sequence number before its checksum and returns at once when the
/// number is out of order (`GSS_S_GAP_TOKEN`, `GSS_S_UNSEQ_TOKEN`, `GSS_S_DUPLICATE_TOKEN`,
/// `GSS_S_OLD_TOKEN`): the token was then neither verified nor unwrapped, although the status
/// is not an error. Reporting that as success would hand out unverified (or no) data, so on
/// Heimdal it becomes an error with the same status bits. MIT verifies first and reports the
/// sequencing news with the verified message, which is what the `supplementary` fields carry.
pub(crate) fn unverified_on_heimdal(
    function: &'static str,
    supplementary: Supplementary,
) -> Result<()> {
    if crate::sys::is_heimdal() && supplementary.has_sequence_problem() {
        return Err(
            Error::from_status(function, supplementary.bits(), 0).with_note(
                "Heimdal did not verify this out-of-sequence token; its contents are not returned",
            ),
        );
    }
    Ok(())
}

/// Turns sequencing news about a verified token into an error (python-gssapi raises
/// `DuplicateTokenError` and friends here too); the error keeps the verified message.
pub(crate) fn in_sequence(
    function: &'static str,
    supplementary: Supplementary,
    verified: Option<Buffer>,
) -> Result<Option<Buffer>> {
    if supplementary.has_sequence_problem() {
        return Err(Error::out_of_sequence(function, supplementary, verified));
    }
    Ok(verified)
}

/// The result of [`wrap`] (python-gssapi: `WrapResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct Wrap {
    /// The wrap token.
    pub message: Buffer,
    /// Whether confidentiality was actually applied (`conf_state`): check it, a mechanism may
    /// only sign when asked to encrypt.
    pub encrypted: bool,
}

/// The result of [`unwrap`] (python-gssapi: `UnwrapResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct Unwrap {
    /// The original message.
    pub message: Buffer,
    /// Whether the sender encrypted it (`conf_state`).
    pub encrypted: bool,
    /// The quality of protection the sender used.
    pub qop: u32,
    /// Sequencing news about this token (duplicate, old, unseq, gap): always empty from
    /// [`unwrap`], which makes them errors; [`unwrap_any_order`] reports them here.
    pub supplementary: Supplementary,
}

/// The result of [`verify_mic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyMic {
    /// The quality of protection the sender used.
    pub qop: u32,
    /// Sequencing news about this token (duplicate, old, unseq, gap).
    pub supplementary: Supplementary,
}

/// A MIC token over `message` (`qop` `None`: the default).
#[doc(alias = "gss_get_mic")]
pub fn get_mic(context: &mut SecContext, message: &[u8], qop: Option<u32>) -> Result<Buffer> {
    require("gss_get_mic", context)?;
    let mut msg = input(message);
    let mut token = Buffer::new();
    call("gss_get_mic", |minor| {
        // SAFETY: valid handle (exclusive); the message is only read; the token is released by
        // Drop.
        unsafe {
            sys::gss_get_mic(
                minor,
                context.as_raw(),
                qop.unwrap_or(sys::GSS_C_QOP_DEFAULT),
                &mut msg,
                token.as_out_ptr(),
            )
        }
    })?;
    Ok(token)
}

/// Checks a MIC token over `message`. A bad MIC is an error (`BadMic`), and so is a genuine
/// token out of sequence (duplicate, old, early, late: [`Error::is_sequence_problem`]), as in
/// python-gssapi; [`verify_mic_any_order`] reports those in the result instead.
#[doc(alias = "gss_verify_mic")]
pub fn verify_mic(context: &mut SecContext, message: &[u8], token: &[u8]) -> Result<VerifyMic> {
    let verified = verify_mic_any_order(context, message, token)?;
    in_sequence("gss_verify_mic", verified.supplementary, None)?;
    Ok(verified)
}

/// [`verify_mic`] that reports sequencing problems in [`VerifyMic::supplementary`] instead of
/// failing, for protocols that accept reordered or repeated messages. On Heimdal they are
/// errors all the same: it returns before verifying such tokens.
#[doc(alias = "gss_verify_mic")]
pub fn verify_mic_any_order(
    context: &mut SecContext,
    message: &[u8],
    token: &[u8],
) -> Result<VerifyMic> {
    require("gss_verify_mic", context)?;
    let mut msg = input(message);
    let mut tok = input(token);
    let mut qop = 0;
    let supplementary = call("gss_verify_mic", |minor| {
        // SAFETY: valid handle (exclusive); inputs only read; the out-pointer is valid.
        unsafe { sys::gss_verify_mic(minor, context.as_raw(), &mut msg, &mut tok, &mut qop) }
    })?;
    unverified_on_heimdal("gss_verify_mic", supplementary)?;
    Ok(VerifyMic { qop, supplementary })
}

/// Wraps `message`: signed, and encrypted when `confidential` (check [`Wrap::encrypted`]).
#[doc(alias = "gss_wrap")]
pub fn wrap(
    context: &mut SecContext,
    message: &[u8],
    confidential: bool,
    qop: Option<u32>,
) -> Result<Wrap> {
    require("gss_wrap", context)?;
    let mut msg = input(message);
    let mut out = Buffer::new();
    let mut conf_state = 0;
    call("gss_wrap", |minor| {
        // SAFETY: valid handle (exclusive); the message is only read; the output is released
        // by Drop.
        unsafe {
            sys::gss_wrap(
                minor,
                context.as_raw(),
                confidential.into(),
                qop.unwrap_or(sys::GSS_C_QOP_DEFAULT),
                &mut msg,
                &mut conf_state,
                out.as_out_ptr(),
            )
        }
    })?;
    Ok(Wrap {
        message: out,
        encrypted: conf_state != 0,
    })
}

/// Unwraps a wrap token. Integrity failures are errors, and so is a genuine token out of
/// sequence (a replay, or one lost or reordered), as in python-gssapi (`DuplicateTokenError`,
/// ...): check [`Error::is_sequence_problem`]. On MIT that error keeps the verified message
/// ([`Error::verified_message`]); Heimdal returns before verifying such tokens, so there is
/// none. [`unwrap_any_order`] reports sequencing in the result instead.
#[doc(alias = "gss_unwrap")]
pub fn unwrap(context: &mut SecContext, message: &[u8]) -> Result<Unwrap> {
    let mut out = unwrap_any_order(context, message)?;
    if out.supplementary.has_sequence_problem() {
        let message = std::mem::take(&mut out.message);
        in_sequence("gss_unwrap", out.supplementary, Some(message))?;
    }
    Ok(out)
}

/// [`unwrap`] that returns a verified token out of sequence with its
/// [`Unwrap::supplementary`] bits instead of failing (the opt-in for protocols that accept
/// reordered or repeated messages). On Heimdal they are errors all the same: it returns before
/// verifying such tokens.
#[doc(alias = "gss_unwrap")]
pub fn unwrap_any_order(context: &mut SecContext, message: &[u8]) -> Result<Unwrap> {
    require("gss_unwrap", context)?;
    let mut msg = input(message);
    let mut out = Buffer::new();
    let (mut conf_state, mut qop) = (0, 0);
    let supplementary = call("gss_unwrap", |minor| {
        // SAFETY: valid handle (exclusive); the token is only read; the output is released by
        // Drop.
        unsafe {
            sys::gss_unwrap(
                minor,
                context.as_raw(),
                &mut msg,
                out.as_out_ptr(),
                &mut conf_state,
                &mut qop,
            )
        }
    })?;
    unverified_on_heimdal("gss_unwrap", supplementary)?;
    Ok(Unwrap {
        message: out,
        encrypted: conf_state != 0,
        qop,
        supplementary,
    })
}

/// The largest message whose wrap token fits in `max_output_size` bytes.
#[doc(alias = "gss_wrap_size_limit")]
pub fn wrap_size_limit(
    context: &SecContext,
    confidential: bool,
    qop: Option<u32>,
    max_output_size: u32,
) -> Result<u32> {
    require("gss_wrap_size_limit", context)?;
    let mut max_input = 0;
    call("gss_wrap_size_limit", |minor| {
        // SAFETY: valid handle; the out-pointer is valid. The call does not change the context.
        unsafe {
            sys::gss_wrap_size_limit(
                minor,
                context.as_raw(),
                confidential.into(),
                qop.unwrap_or(sys::GSS_C_QOP_DEFAULT),
                max_output_size,
                &mut max_input,
            )
        }
    })?;
    Ok(max_input)
}
