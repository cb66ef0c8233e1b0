//! Credential import and export: move credentials between processes as a token.
//!
//! ```no_run
//! use gssapi_raw::{CredUsage, cred, ext::cred_imp_exp};
//! let mine = cred::acquire_cred(None, None, None, CredUsage::Initiate)?.creds;
//! let token = cred_imp_exp::export_cred(&mine)?;
//! let again = cred_imp_exp::import_cred(&token)?;
//! # Ok::<(), gssapi_raw::Error>(())
//! ```
//!
//! The token may contain secret key material: treat it like the credentials themselves.
//!
//! Provided by MIT krb5 and Heimdal (extension `cred_imp_exp` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::Buffer;
use crate::cred::Cred;

/// Serializes `cred` into a token for [`import_cred`].
#[doc(alias = "gss_export_cred")]
pub fn export_cred(cred: &Cred) -> Result<Buffer> {
    #[cfg(gss_has = "cred_imp_exp")]
    {
        resolved!(gss_export_cred);
        let mut token = Buffer::new();
        crate::call("gss_export_cred", |minor| {
            // SAFETY: valid handle; the output is owned by `token`.
            unsafe { crate::sys::gss_export_cred(minor, cred.as_raw(), token.as_out_ptr()) }
        })?;
        Ok(token)
    }
    #[cfg(not(gss_has = "cred_imp_exp"))]
    unavailable!("gss_export_cred", cred)
}

/// Credentials from a token made by [`export_cred`].
///
/// **Only import tokens from a trusted source.** The token is in the library's private format
/// (MIT: JSON after a mechanism header), which the libraries do not defend: MIT 1.20 crashes
/// on a 21-byte token (`000000092a864886f712010202000000045b22785d`). To pass credentials
/// through storage or a party you do not trust, seal the token under a key of yours
/// (`gssapi`'s `Credentials::export_sealed`) and import only what opens.
#[doc(alias = "gss_import_cred")]
pub fn import_cred(token: &[u8]) -> Result<Cred> {
    #[cfg(gss_has = "cred_imp_exp")]
    {
        resolved!(gss_import_cred);
        let mut input = crate::buffer::input(token);
        let mut cred = Cred::null();
        crate::call("gss_import_cred", |minor| {
            // SAFETY: the token is only read; the output is owned by `cred`.
            unsafe { crate::sys::gss_import_cred(minor, &mut input, cred.as_out_ptr()) }
        })?;
        Ok(cred)
    }
    #[cfg(not(gss_has = "cred_imp_exp"))]
    unavailable!("gss_import_cred", token)
}
