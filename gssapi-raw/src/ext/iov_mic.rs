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

use crate::Result;
use crate::context::{SecContext, require};
use crate::ext::dce::{Iov, IovBufferType};
use crate::message::VerifyMic;

/// Computes a MIC over the IOV's data and sign-only buffers into its mic-token buffer
/// (allocated, or caller memory sized with [`get_mic_iov_length`]).
#[doc(alias = "gss_get_mic_iov")]
pub fn get_mic_iov(context: &mut SecContext, iov: &mut Iov<'_>, qop: Option<u32>) -> Result<()> {
    require("gss_get_mic_iov", context)?;
    check(iov, "gss_get_mic_iov", true)?;
    #[cfg(gss_has = "iov_mic")]
    {
        mic_call(
            "gss_get_mic_iov",
            crate::sys::gss_get_mic_iov,
            context,
            iov,
            qop,
        )
    }
    #[cfg(not(gss_has = "iov_mic"))]
    unavailable!("gss_get_mic_iov", context, iov, qop)
}

/// Sets the length the mic-token buffer (an empty one) needs.
#[doc(alias = "gss_get_mic_iov_length")]
pub fn get_mic_iov_length(
    context: &mut SecContext,
    iov: &mut Iov<'_>,
    qop: Option<u32>,
) -> Result<()> {
    require("gss_get_mic_iov_length", context)?;
    check(iov, "gss_get_mic_iov_length", false)?;
    #[cfg(gss_has = "iov_mic")]
    {
        mic_call(
            "gss_get_mic_iov_length",
            crate::sys::gss_get_mic_iov_length,
            context,
            iov,
            qop,
        )
    }
    #[cfg(not(gss_has = "iov_mic"))]
    unavailable!("gss_get_mic_iov_length", context, iov, qop)
}

/// Verifies the MIC in the IOV's mic-token buffer over its data and sign-only buffers.
#[doc(alias = "gss_verify_mic_iov")]
pub fn verify_mic_iov(context: &mut SecContext, iov: &mut Iov<'_>) -> Result<VerifyMic> {
    require("gss_verify_mic_iov", context)?;
    check(iov, "gss_verify_mic_iov", false)?;
    #[cfg(gss_has = "iov_mic")]
    {
        let mut qop = 0;
        let count = iov.count();
        let supplementary = crate::call("gss_verify_mic_iov", |minor| {
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
        })?;
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

/// Calls `gss_get_mic_iov` or `gss_get_mic_iov_length` (the IOV checked by the caller).
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
        // SAFETY: valid handle (exclusive); data buffers are only read; the mic-token buffer
        // is writable caller memory, library-allocated (released on drop), or only gets a
        // length.
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

fn check(iov: &Iov<'_>, function: &'static str, writes_mic: bool) -> Result<()> {
    if iov.position(IovBufferType::MicToken).is_none() {
        return Err(crate::Error::invalid_input(
            function,
            "the IOV has no mic-token buffer",
        ));
    }
    iov.check_for_mic(function, writes_mic)
}
