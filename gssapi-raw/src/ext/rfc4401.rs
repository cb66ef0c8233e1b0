//! RFC 4401: a pseudo-random function keyed by the context, so both sides derive the same
//! bytes (e.g. keys for a protocol's own encryption).
//!
//! ```no_run
//! # fn f(ctx: &mut gssapi_raw::SecContext) -> gssapi_raw::Result<()> {
//! use gssapi_raw::ext::rfc4401::{PrfKey, pseudo_random};
//! let key = pseudo_random(ctx, PrfKey::Full, b"my protocol v1", 32)?;
//! assert_eq!(key.len(), 32);
//! # Ok(()) }
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `rfc4401` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::Buffer;
use crate::context::SecContext;

/// Which key of the context keys the PRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrfKey {
    /// `GSS_C_PRF_KEY_FULL`: the strongest key (the acceptor subkey when there is one).
    Full,
    /// `GSS_C_PRF_KEY_PARTIAL`: the initiator's subkey or session key.
    Partial,
}

/// `desired_len` bytes derived from the context's key and `input`.
#[doc(alias = "gss_pseudo_random")]
pub fn pseudo_random(
    context: &mut SecContext,
    key: PrfKey,
    input: &[u8],
    desired_len: usize,
) -> Result<Buffer> {
    crate::context::require("gss_pseudo_random", context)?;
    #[cfg(gss_has = "rfc4401")]
    {
        resolved!(gss_pseudo_random);
        let len = isize::try_from(desired_len).map_err(|_| {
            crate::Error::invalid_input("gss_pseudo_random", "desired output length too large")
        })?;
        let key = match key {
            PrfKey::Full => crate::sys::GSS_C_PRF_KEY_FULL,
            PrfKey::Partial => crate::sys::GSS_C_PRF_KEY_PARTIAL,
        };
        let mut prf_in = crate::buffer::input(input);
        let mut out = Buffer::new();
        crate::call("gss_pseudo_random", |minor| {
            // SAFETY: valid (non-empty) handle; the input is only read; the output is owned.
            unsafe {
                crate::sys::gss_pseudo_random(
                    minor,
                    context.as_raw(),
                    key,
                    &mut prf_in,
                    len,
                    out.as_out_ptr(),
                )
            }
        })?;
        Ok(out)
    }
    #[cfg(not(gss_has = "rfc4401"))]
    unavailable!("gss_pseudo_random", context, key, input, desired_len)
}
