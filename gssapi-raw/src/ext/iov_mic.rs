//! MICs over IOV buffers (MIT): sign several buffers at once without concatenating them.
//!
//! ```no_run
//! # fn f(ctx: &mut gssapi_raw::SecContext, peer: &mut gssapi_raw::SecContext) -> gssapi_raw::Result<()> {
//! use gssapi_raw::ext::{dce::{Iov, IovBufferType}, iov_mic};
//! let (header, body) = (b"GET /", b"payload");
//! let mut iov = Iov::new();
//! iov.push_ref(IovBufferType::SignOnly, header)
//!     .push_ref(IovBufferType::Data, body)
//!     .push_alloc(IovBufferType::MicToken);
//! iov_mic::get_mic_iov(ctx, &mut iov, None)?;
//! let mic = iov.bytes(2).to_vec();
//! let mut check = Iov::new();
//! check.push_ref(IovBufferType::SignOnly, header)
//!     .push_ref(IovBufferType::Data, body)
//!     .push_ref(IovBufferType::MicToken, &mic);
//! iov_mic::verify_mic_iov(peer, &mut check)?;
//! # Ok(()) }
//! ```
//!
//! Heimdal lacks these calls: they return the Unavailable error there.
//!
//! Provided by MIT krb5, not Heimdal 7.8 (extension `iov_mic` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::context::{SecContext, require};
use crate::ext::dce::{Iov, IovBufferType};
use crate::message::VerifyMic;

/// Computes a MIC over the IOV's data and sign-only buffers into its mic-token buffer
/// (allocated, or caller memory sized with [`get_mic_iov_length`]).
#[doc(alias = "gss_get_mic_iov")]
pub fn get_mic_iov(context: &mut SecContext, iov: &mut Iov<'_>, qop: Option<u32>) -> Result<()> {
    require("gss_get_mic_iov", context)?;
    prepare(iov, "gss_get_mic_iov", true)?;
    #[cfg(gss_has = "iov_mic")]
    {
        resolved!(gss_get_mic_iov);
        let result = mic_call(
            "gss_get_mic_iov",
            crate::sys::gss_get_mic_iov,
            context,
            iov,
            qop,
        );
        let settled = iov.settle("gss_get_mic_iov");
        result.and(settled)
    }
    #[cfg(not(gss_has = "iov_mic"))]
    unavailable!("gss_get_mic_iov", context, iov, qop)
}

/// The length the mic-token buffer needs for a MIC over the IOV's data and sign-only buffers.
///
/// Unlike the C call, this does not write the length into `iov`: it sizes a copy and returns
/// the length (see [`dce::wrap_iov_length`](crate::ext::dce::wrap_iov_length) for why).
#[doc(alias = "gss_get_mic_iov_length")]
pub fn get_mic_iov_length(
    context: &mut SecContext,
    iov: &Iov<'_>,
    qop: Option<u32>,
) -> Result<usize> {
    require("gss_get_mic_iov_length", context)?;
    let mut sizing = iov.for_lengths();
    prepare(&mut sizing, "gss_get_mic_iov_length", false)?;
    #[cfg(gss_has = "iov_mic")]
    {
        resolved!(gss_get_mic_iov_length);
        mic_call(
            "gss_get_mic_iov_length",
            crate::sys::gss_get_mic_iov_length,
            context,
            &mut sizing,
            qop,
        )?;
        Ok(sizing
            .position(IovBufferType::MicToken)
            .map_or(0, |i| sizing.buffer_len(i)))
    }
    #[cfg(not(gss_has = "iov_mic"))]
    unavailable!("gss_get_mic_iov_length", context, sizing, qop)
}

/// Verifies the MIC in the IOV's mic-token buffer over its data and sign-only buffers. A
/// genuine token out of sequence is an error, as for `message::verify_mic`.
#[doc(alias = "gss_verify_mic_iov")]
pub fn verify_mic_iov(context: &mut SecContext, iov: &mut Iov<'_>) -> Result<VerifyMic> {
    let verified = verify_mic_iov_any_order(context, iov)?;
    crate::message::in_sequence("gss_verify_mic_iov", verified.supplementary, None)?;
    Ok(verified)
}

/// [`verify_mic_iov`] that reports a token out of sequence in [`VerifyMic::supplementary`]
/// instead of failing.
#[doc(alias = "gss_verify_mic_iov")]
pub fn verify_mic_iov_any_order(context: &mut SecContext, iov: &mut Iov<'_>) -> Result<VerifyMic> {
    require("gss_verify_mic_iov", context)?;
    prepare(iov, "gss_verify_mic_iov", false)?;
    #[cfg(gss_has = "iov_mic")]
    {
        resolved!(gss_verify_mic_iov);
        let mut qop = 0;
        let count = iov.count();
        let result = crate::call("gss_verify_mic_iov", |minor| {
            // SAFETY: valid handle (exclusive); every buffer is only read.
            unsafe {
                crate::sys::gss_verify_mic_iov(
                    minor,
                    context.as_raw(),
                    &mut qop,
                    iov.as_mut_ptr(),
                    count,
                )
            }
        });
        let settled = iov.settle("gss_verify_mic_iov");
        let supplementary = result?;
        settled?;
        Ok(VerifyMic { qop, supplementary })
    }
    #[cfg(not(gss_has = "iov_mic"))]
    unavailable!("gss_verify_mic_iov", context, iov)
}

/// The C signature shared by `gss_get_mic_iov` and `gss_get_mic_iov_length`.
#[cfg(gss_has = "iov_mic")]
type MicIovFn = unsafe extern "C" fn(
    *mut crate::sys::OM_uint32,
    crate::sys::gss_ctx_id_t,
    crate::sys::gss_qop_t,
    *mut crate::sys::gss_iov_buffer_desc,
    core::ffi::c_int,
) -> crate::sys::OM_uint32;

/// Calls `gss_get_mic_iov` or `gss_get_mic_iov_length` on a prepared IOV.
#[cfg(gss_has = "iov_mic")]
fn mic_call(
    function: &'static str,
    f: MicIovFn,
    context: &mut SecContext,
    iov: &mut Iov<'_>,
    qop: Option<u32>,
) -> Result<()> {
    let count = iov.count();
    crate::call(function, |minor| {
        // SAFETY: valid handle (exclusive); the IOV was prepared: data buffers are only
        // read; the mic-token buffer is writable caller memory of its length, flagged
        // ALLOCATE (released by the IOV), or empty with length 0 (the call fails, or a
        // length call writes only the length into its private copy).
        unsafe {
            f(
                minor,
                context.as_raw(),
                qop.unwrap_or(crate::sys::GSS_C_QOP_DEFAULT),
                iov.as_mut_ptr(),
                count,
            )
        }
    })?;
    Ok(())
}

fn prepare(iov: &mut Iov<'_>, function: &'static str, writes_mic: bool) -> Result<()> {
    if iov.position(IovBufferType::MicToken).is_none() {
        return Err(crate::Error::invalid_input(
            function,
            "the IOV has no mic-token buffer",
        ));
    }
    iov.prepare_for_mic(function, writes_mic)
}
