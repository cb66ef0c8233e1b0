//! Acquiring credentials with a password (a kinit inside the process).
//!
//! ```no_run
//! use gssapi_raw::{CredUsage, ext::password, name, name_type};
//! let alice = name::import_name(b"alice@EXAMPLE.COM", Some(&name_type::KERBEROS_PRINCIPAL))?;
//! let creds = password::acquire_cred_with_password(&alice, b"secret", None, None, CredUsage::Initiate)?;
//! # Ok::<(), gssapi_raw::Error>(())
//! ```
//!
//! The password is copied into a buffer that is wiped (zeroized) as soon as the call returns,
//! whatever the outcome; the caller's own copy is the caller's to wipe.
//!
//! Provided by MIT krb5 and Heimdal (extension `password` and `password_add` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::cred::{AcquireCred, AddCred, Cred};
use crate::name::Name;
use crate::oid::{Oid, OidSet};
use crate::types::CredUsage;
use zeroize::Zeroizing;

/// A copy of the password that is wiped on drop; the C call sees only this copy.
fn wiped_copy(password: &[u8]) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.to_vec())
}

/// Acquires credentials for `name` by authenticating with `password`.
///
/// The libraries use the password as a C string, so one with a NUL byte is refused
/// ([`Origin::Input`](crate::Origin::Input)) rather than cut short.
#[doc(alias = "gss_acquire_cred_with_password")]
pub fn acquire_cred_with_password(
    name: &Name,
    password: &[u8],
    lifetime: Option<u32>,
    mechs: Option<&OidSet>,
    usage: CredUsage,
) -> Result<AcquireCred> {
    crate::buffer::no_interior_nul("gss_acquire_cred_with_password", "a password", password)?;
    #[cfg(gss_has = "password")]
    {
        resolved!(gss_acquire_cred_with_password);
        use crate::types::lifetime_in;
        let secret = wiped_copy(password);
        let mut pw = crate::buffer::input(&secret);
        let mut creds = Cred::null();
        let mut actual = OidSet::null();
        let mut time_rec = 0;
        crate::call("gss_acquire_cred_with_password", |minor| {
            // SAFETY: valid handles; the password buffer is only read during the call;
            // outputs are owned by their wrappers.
            unsafe {
                crate::sys::gss_acquire_cred_with_password(
                    minor,
                    name.as_raw(),
                    &mut pw,
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
    #[cfg(not(gss_has = "password"))]
    unavailable!(
        "gss_acquire_cred_with_password",
        name,
        password,
        lifetime,
        mechs,
        usage
    )
}

/// Adds a credential element for `name`, authenticated with `password`, to a copy of `input`.
///
/// A password with a NUL byte is refused, as for [`acquire_cred_with_password`].
#[doc(alias = "gss_add_cred_with_password")]
#[allow(clippy::too_many_arguments)]
pub fn add_cred_with_password(
    input: Option<&Cred>,
    name: &Name,
    mech: &Oid,
    password: &[u8],
    usage: CredUsage,
    init_lifetime: Option<u32>,
    accept_lifetime: Option<u32>,
) -> Result<AddCred> {
    crate::buffer::no_interior_nul("gss_add_cred_with_password", "a password", password)?;
    #[cfg(gss_has = "password_add")]
    {
        resolved!(gss_add_cred_with_password);
        use crate::cred::opt_cred;
        use crate::types::lifetime_in;
        let secret = wiped_copy(password);
        let mut pw = crate::buffer::input(&secret);
        let mut creds = Cred::null();
        let mut mechs = OidSet::null();
        let (mut init_rec, mut accept_rec) = (0, 0);
        crate::call("gss_add_cred_with_password", |minor| {
            // SAFETY: as for acquire_cred_with_password.
            unsafe {
                crate::sys::gss_add_cred_with_password(
                    minor,
                    opt_cred(input),
                    name.as_raw(),
                    mech.as_ptr(),
                    &mut pw,
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
    #[cfg(not(gss_has = "password_add"))]
    unavailable!(
        "gss_add_cred_with_password",
        input,
        name,
        mech,
        password,
        usage,
        init_lifetime,
        accept_lifetime
    )
}
