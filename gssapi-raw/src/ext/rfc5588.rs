//! RFC 5588: storing credentials (typically delegated ones) into the default store.
//!
//! ```no_run
//! # fn f(delegated: &gssapi_raw::Cred) -> gssapi_raw::Result<()> {
//! use gssapi_raw::{CredUsage, ext::rfc5588};
//! let stored = rfc5588::store_cred(delegated, CredUsage::Initiate, None, true, true)?;
//! println!("stored for {:?}", stored.mechs);
//! # Ok(()) }
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `rfc5588` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::cred::Cred;
use crate::oid::{Oid, OidSet};
use crate::types::CredUsage;

/// The result of [`store_cred`] and `store_cred_into` (python-gssapi: `StoreCredResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct StoreCred {
    /// The mechanisms the credentials were stored for.
    pub mechs: OidSet,
    /// The usage they were stored with.
    pub usage: CredUsage,
}

impl StoreCred {
    /// The result of a store call from its raw outputs.
    #[cfg_attr(
        not(any(gss_has = "rfc5588", gss_has = "cred_store")),
        allow(dead_code)
    )]
    pub(crate) fn from_outputs(mechs: OidSet, usage: gssapi_sys::gss_cred_usage_t) -> StoreCred {
        StoreCred {
            mechs,
            usage: crate::cred::usage_out(usage),
        }
    }
}

/// Stores `cred` into the default credential store of its mechanism (for Kerberos, the default
/// ccache: `KRB5CCNAME`), replacing what is there when `overwrite`, and making it the default
/// when `default`.
///
/// The default store is process-wide; prefer `cred_store::store_cred_into` with an explicit
/// store in servers.
#[doc(alias = "gss_store_cred")]
pub fn store_cred(
    cred: &Cred,
    usage: CredUsage,
    mech: Option<&Oid>,
    overwrite: bool,
    default: bool,
) -> Result<StoreCred> {
    #[cfg(gss_has = "rfc5588")]
    {
        resolved!(gss_store_cred);
        use crate::{call, oid::opt_ptr, sys};
        let mut mechs = OidSet::null();
        let mut stored_usage = 0;
        call("gss_store_cred", |minor| {
            // SAFETY: valid handle and OID (or null); outputs are owned by their wrappers.
            unsafe {
                sys::gss_store_cred(
                    minor,
                    cred.as_raw(),
                    usage.into(),
                    opt_ptr(mech),
                    overwrite.into(),
                    default.into(),
                    mechs.as_out_ptr(),
                    &mut stored_usage,
                )
            }
        })?;
        Ok(StoreCred::from_outputs(mechs, stored_usage))
    }
    #[cfg(not(gss_has = "rfc5588"))]
    unavailable!("gss_store_cred", cred, usage, mech, overwrite, default)
}
