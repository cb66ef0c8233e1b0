//! S4U2Self (constrained delegation, MS-SFU): a service obtains a ticket to itself on behalf of
//! a user, without the user's password; with S4U2Proxy the KDC may then let it reach a second
//! service as that user.
//!
//! ```no_run
//! # fn f(service_creds: &gssapi_raw::Cred) -> gssapi_raw::Result<()> {
//! use gssapi_raw::{CredUsage, ext::s4u, name, name_type};
//! let user = name::import_name(b"alice@EXAMPLE.COM", Some(&name_type::KERBEROS_PRINCIPAL))?;
//! let as_alice = s4u::acquire_cred_impersonate_name(service_creds, &user, None, None, CredUsage::Initiate)?;
//! # Ok(()) }
//! ```
//!
//! The KDC must allow it: MIT needs the service principal to have `ok_to_auth_as_delegate`
//! (for a forwardable S4U2Self ticket) and, for S4U2Proxy, constrained or resource-based
//! delegation configured.
//!
//! Provided by MIT krb5, not Heimdal 7.8 (extension `s4u` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::cred::{AcquireCred, AddCred, Cred};
use crate::name::Name;
use crate::oid::{Oid, OidSet};
use crate::types::CredUsage;

/// Credentials for `name`, obtained by the service holding `impersonator` (S4U2Self).
#[doc(alias = "gss_acquire_cred_impersonate_name")]
pub fn acquire_cred_impersonate_name(
    impersonator: &Cred,
    name: &Name,
    lifetime: Option<u32>,
    mechs: Option<&OidSet>,
    usage: CredUsage,
) -> Result<AcquireCred> {
    #[cfg(gss_has = "s4u")]
    {
        resolved!(gss_acquire_cred_impersonate_name);
        use crate::types::lifetime_in;
        let mut creds = Cred::null();
        let mut actual = OidSet::null();
        let mut time_rec = 0;
        crate::call("gss_acquire_cred_impersonate_name", |minor| {
            // SAFETY: valid handles and set; outputs owned by their wrappers.
            unsafe {
                crate::sys::gss_acquire_cred_impersonate_name(
                    minor,
                    impersonator.as_raw(),
                    name.as_raw(),
                    lifetime_in(lifetime),
                    mechs.map_or(crate::sys::GSS_C_NO_OID_SET, OidSet::as_ptr),
                    usage.into(),
                    creds.as_out_ptr(),
                    actual.as_out_ptr(),
                    &mut time_rec,
                )
            }
        })?;
        Ok(AcquireCred::from_outputs(creds, actual, time_rec))
    }
    #[cfg(not(gss_has = "s4u"))]
    unavailable!(
        "gss_acquire_cred_impersonate_name",
        impersonator,
        name,
        lifetime,
        mechs,
        usage
    )
}

/// Adds an impersonated credential element for `name` to a copy of `input`.
#[doc(alias = "gss_add_cred_impersonate_name")]
#[allow(clippy::too_many_arguments)]
pub fn add_cred_impersonate_name(
    input: Option<&Cred>,
    impersonator: &Cred,
    name: &Name,
    mech: &Oid,
    usage: CredUsage,
    init_lifetime: Option<u32>,
    accept_lifetime: Option<u32>,
) -> Result<AddCred> {
    #[cfg(gss_has = "s4u")]
    {
        resolved!(gss_add_cred_impersonate_name);
        use crate::cred::opt_cred;
        use crate::types::lifetime_in;
        let mut creds = Cred::null();
        let mut mechs = OidSet::null();
        let (mut init_rec, mut accept_rec) = (0, 0);
        crate::call("gss_add_cred_impersonate_name", |minor| {
            // SAFETY: valid handles; outputs owned by their wrappers.
            unsafe {
                crate::sys::gss_add_cred_impersonate_name(
                    minor,
                    opt_cred(input),
                    impersonator.as_raw(),
                    name.as_raw(),
                    mech.as_ptr(),
                    usage.into(),
                    lifetime_in(init_lifetime),
                    lifetime_in(accept_lifetime),
                    creds.as_out_ptr(),
                    mechs.as_out_ptr(),
                    &mut init_rec,
                    &mut accept_rec,
                )
            }
        })?;
        Ok(AddCred::from_outputs(creds, mechs, init_rec, accept_rec))
    }
    #[cfg(not(gss_has = "s4u"))]
    unavailable!(
        "gss_add_cred_impersonate_name",
        input,
        impersonator,
        name,
        mech,
        usage,
        init_lifetime,
        accept_lifetime
    )
}
