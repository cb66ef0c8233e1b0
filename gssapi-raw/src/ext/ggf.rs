//! The GGF extensions (RFC 5587's cousins from the Global Grid Forum, GFD.24): ask a context or
//! credential for data by OID, and set options by OID. Also `gss_set_cred_option`.
//!
//! ```no_run
//! # fn f(ctx: &gssapi_raw::SecContext) -> gssapi_raw::Result<()> {
//! use gssapi_raw::{Oid, ext::ggf, sys};
//! // The session key of an established Kerberos context.
//! let key = ggf::inquire_sec_context_by_oid(ctx, &Oid::from_der(sys::oids::GSS_C_INQ_SSPI_SESSION_KEY)?)?;
//! println!("{} buffers; the key is {} bytes", key.len(), key.get(0).map_or(0, <[u8]>::len));
//! # Ok(()) }
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `ggf` and `set_cred_opt` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::BufferSet;
use crate::context::SecContext;
use crate::cred::Cred;
use crate::oid::Oid;

/// Well-known OIDs for the calls of this module.
pub mod oids {
    use crate::oid::Oid;
    use gssapi_sys::oids;
    /// `GSS_C_INQ_SSPI_SESSION_KEY`: the session key and its encryption type (context).
    pub static INQ_SSPI_SESSION_KEY: Oid = Oid::from_static(oids::GSS_C_INQ_SSPI_SESSION_KEY);
    /// `GSS_C_INQ_NEGOEX_KEY`: the NegoEx key (context, MIT).
    pub static INQ_NEGOEX_KEY: Oid = Oid::from_static(oids::GSS_C_INQ_NEGOEX_KEY);
    /// `GSS_KRB5_GET_CRED_IMPERSONATOR`: the impersonator of an S4U2Self credential.
    pub static KRB5_GET_CRED_IMPERSONATOR: Oid =
        Oid::from_static(oids::GSS_KRB5_GET_CRED_IMPERSONATOR);
    /// `GSS_KRB5_CRED_NO_CI_FLAGS_X`: a credential option that leaves the channel-binding and
    /// integrity flags out of the authenticator (for Windows peers that reject them).
    pub static KRB5_CRED_NO_CI_FLAGS_X: Oid = Oid::from_static(oids::GSS_KRB5_CRED_NO_CI_FLAGS_X);
    /// `GSS_C_SEC_CONTEXT_SASL_SSF`: the SASL security strength factor (context, MIT).
    pub static SEC_CONTEXT_SASL_SSF: Oid = Oid::from_static(oids::GSS_C_SEC_CONTEXT_SASL_SSF);
}

/// Data about an established context, selected by `oid`.
#[doc(alias = "gss_inquire_sec_context_by_oid")]
pub fn inquire_sec_context_by_oid(context: &SecContext, oid: &Oid) -> Result<BufferSet> {
    crate::context::require("gss_inquire_sec_context_by_oid", context)?;
    #[cfg(gss_has = "ggf")]
    {
        resolved!(gss_inquire_sec_context_by_oid);
        let mut set = BufferSet::new();
        crate::call("gss_inquire_sec_context_by_oid", |minor| {
            // SAFETY: valid (non-empty) handle and OID; the output is owned by `set`.
            unsafe {
                crate::sys::gss_inquire_sec_context_by_oid(
                    minor,
                    context.as_raw(),
                    oid.as_ptr(),
                    set.as_out_ptr(),
                )
            }
        })?;
        Ok(set)
    }
    #[cfg(not(gss_has = "ggf"))]
    unavailable!("gss_inquire_sec_context_by_oid", context, oid)
}

/// Data about credentials, selected by `oid`.
#[doc(alias = "gss_inquire_cred_by_oid")]
pub fn inquire_cred_by_oid(cred: &Cred, oid: &Oid) -> Result<BufferSet> {
    #[cfg(gss_has = "ggf")]
    {
        resolved!(gss_inquire_cred_by_oid);
        let mut set = BufferSet::new();
        crate::call("gss_inquire_cred_by_oid", |minor| {
            // SAFETY: valid handle and OID; the output is owned by `set`.
            unsafe {
                crate::sys::gss_inquire_cred_by_oid(
                    minor,
                    cred.as_raw(),
                    oid.as_ptr(),
                    set.as_out_ptr(),
                )
            }
        })?;
        Ok(set)
    }
    #[cfg(not(gss_has = "ggf"))]
    unavailable!("gss_inquire_cred_by_oid", cred, oid)
}

/// The credential options whose value is plain data (or ignored), which [`set_cred_option`]
/// accepts: [`oids::KRB5_CRED_NO_CI_FLAGS_X`] (MIT and Heimdal ignore the value).
pub const SAFE_CRED_OPTIONS: &[&Oid] = &[&oids::KRB5_CRED_NO_CI_FLAGS_X];

/// The context options whose value is plain data, which [`set_sec_context_option`] accepts.
///
/// None is known: the options MIT 1.20 and Heimdal 7.8 define read their value as a structure
/// of pointers (`GSS_KRB5_CCACHE_NAME`, `GSS_KRB5_SEND_TO_KDC_X`, ...), as an unterminated C
/// string (`GSS_KRB5_REGISTER_ACCEPTOR_IDENTITY`), or change process-wide state. Use the typed
/// functions of [`krb5`](crate::ext::krb5) for those, or
/// [`set_sec_context_option_unchecked`] with the value the mechanism defines.
pub const SAFE_CONTEXT_OPTIONS: &[&Oid] = &[];

fn refuse_unlisted(function: &'static str, oid: &Oid, allowed: &[&Oid]) -> Result<()> {
    if allowed.contains(&oid) {
        return Ok(());
    }
    Err(crate::Error::invalid_input(
        function,
        "the mechanism may read this option's value as pointers: only the listed options are \
         safe to set with bytes (see the `_unchecked` variant)",
    ))
}

/// Sets an option, selected by `oid`, on a context: only an option of
/// [`SAFE_CONTEXT_OPTIONS`], since mechanisms read most option values as C structures of
/// pointers (safe code could otherwise make the library follow any address). Any other OID is
/// an [`Origin::Input`](crate::Origin::Input) error before the call.
#[doc(alias = "gss_set_sec_context_option")]
pub fn set_sec_context_option(context: &mut SecContext, oid: &Oid, value: &[u8]) -> Result<()> {
    refuse_unlisted("gss_set_sec_context_option", oid, SAFE_CONTEXT_OPTIONS)?;
    // SAFETY: the OID is one whose value is plain data.
    unsafe { set_sec_context_option_unchecked(context, oid, value) }
}

/// Sets any option on a context, as the C call does.
///
/// # Safety
///
/// `value` must be what the mechanism that handles `oid` expects for it: for many options a
/// C structure whose pointers must be valid for the call (see the mechanism's source).
#[doc(alias = "gss_set_sec_context_option")]
pub unsafe fn set_sec_context_option_unchecked(
    context: &mut SecContext,
    oid: &Oid,
    value: &[u8],
) -> Result<()> {
    crate::context::require("gss_set_sec_context_option", context)?;
    #[cfg(gss_has = "ggf")]
    {
        resolved!(gss_set_sec_context_option);
        let mut input = crate::buffer::input(value);
        crate::call("gss_set_sec_context_option", |minor| {
            // SAFETY: the handle is ours (exclusively borrowed) and may be updated by the call;
            // the value is read as the caller promised it may be.
            unsafe {
                crate::sys::gss_set_sec_context_option(
                    minor,
                    context.handle_mut(),
                    oid.as_ptr(),
                    &mut input,
                )
            }
        })?;
        Ok(())
    }
    #[cfg(not(gss_has = "ggf"))]
    unavailable!("gss_set_sec_context_option", context, oid, value)
}

/// Sets an option, selected by `oid`, on credentials: only an option of
/// [`SAFE_CRED_OPTIONS`] (e.g. [`oids::KRB5_CRED_NO_CI_FLAGS_X`] with an empty value), for the
/// reason given at [`set_sec_context_option`]. Any other OID is an
/// [`Origin::Input`](crate::Origin::Input) error before the call.
#[doc(alias = "gss_set_cred_option")]
pub fn set_cred_option(cred: &mut Cred, oid: &Oid, value: &[u8]) -> Result<()> {
    refuse_unlisted("gss_set_cred_option", oid, SAFE_CRED_OPTIONS)?;
    // SAFETY: the OID is one whose value is plain data or ignored.
    unsafe { set_cred_option_unchecked(cred, oid, value) }
}

/// Sets any option on credentials, as the C call does.
///
/// # Safety
///
/// As for [`set_sec_context_option_unchecked`]: MIT's `GSS_KRB5_COPY_CCACHE`,
/// `GSS_KRB5_IMPORT_CRED` and `GSS_KRB5_SET_ALLOWABLE_ENCTYPES` options, for example, read
/// their value as pointers.
#[doc(alias = "gss_set_cred_option")]
pub unsafe fn set_cred_option_unchecked(cred: &mut Cred, oid: &Oid, value: &[u8]) -> Result<()> {
    #[cfg(gss_has = "set_cred_opt")]
    {
        resolved!(gss_set_cred_option);
        let mut input = crate::buffer::input(value);
        crate::call("gss_set_cred_option", |minor| {
            // SAFETY: the handle is ours (exclusively borrowed) and may be updated by the call;
            // the value is read as the caller promised it may be.
            unsafe {
                crate::sys::gss_set_cred_option(minor, cred.handle_mut(), oid.as_ptr(), &mut input)
            }
        })?;
        Ok(())
    }
    #[cfg(not(gss_has = "set_cred_opt"))]
    unavailable!("gss_set_cred_option", cred, oid, value)
}
