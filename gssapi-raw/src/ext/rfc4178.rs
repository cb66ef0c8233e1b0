//! RFC 4178: restrict which mechanisms SPNEGO may negotiate with a credential.
//!
//! ```no_run
//! use gssapi_raw::{CredUsage, OidSet, cred, ext::rfc4178, mech_type};
//! let mut creds = cred::acquire_cred(None, None, None, CredUsage::Initiate)?.creds;
//! let only_krb5: OidSet = [&mech_type::KERBEROS].into_iter().collect();
//! rfc4178::set_neg_mechs(&mut creds, &only_krb5)?;
//! # Ok::<(), gssapi_raw::Error>(())
//! ```
//!
//! Provided by MIT krb5, not Heimdal 7.8 (extension `rfc4178` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::cred::Cred;
use crate::oid::OidSet;

/// Limits the mechanisms SPNEGO offers or accepts with `cred` to `mechs`.
#[doc(alias = "gss_set_neg_mechs")]
pub fn set_neg_mechs(cred: &mut Cred, mechs: &OidSet) -> Result<()> {
    #[cfg(gss_has = "rfc4178")]
    {
        resolved!(gss_set_neg_mechs);
        crate::call("gss_set_neg_mechs", |minor| {
            // SAFETY: valid credential (exclusively borrowed: the call changes it) and set.
            unsafe { crate::sys::gss_set_neg_mechs(minor, cred.as_raw(), mechs.as_ptr()) }
        })?;
        Ok(())
    }
    #[cfg(not(gss_has = "rfc4178"))]
    unavailable!("gss_set_neg_mechs", cred, mechs)
}
