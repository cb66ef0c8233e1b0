//! Mapping principals to local accounts: `gss_localname`, `gss_userok`,
//! `gss_authorize_localname` (what python-gssapi's issue 49 asks for).
//!
//! ```no_run
//! # fn f(client: &gssapi_raw::Name) -> gssapi_raw::Result<()> {
//! use gssapi_raw::ext::localname;
//! let account = localname::localname(client, None)?;     // "alice" for alice@EXAMPLE.COM
//! assert!(localname::userok(client, "alice")?);
//! # Ok(()) }
//! ```
//!
//! The mapping is the library's (MIT: `auth_to_local` rules in krb5.conf, `.k5login`).
//!
//! Provided by MIT krb5 and Heimdal (extension `localname` and `authorize_localname` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::Buffer;
use crate::error::Error;
use crate::name::Name;
use crate::oid::Oid;

/// The local account name of `name` (`mech` `None`: any mechanism that can map it).
#[doc(alias = "gss_localname")]
pub fn localname(name: &Name, mech: Option<&Oid>) -> Result<Buffer> {
    #[cfg(gss_has = "localname")]
    {
        resolved!(gss_localname);
        let mut out = Buffer::new();
        crate::call("gss_localname", |minor| {
            // SAFETY: valid handle and OID (or null); the output is owned by `out`.
            unsafe {
                crate::sys::gss_localname(
                    minor,
                    name.as_raw(),
                    crate::oid::opt_ptr(mech),
                    out.as_out_ptr(),
                )
            }
        })?;
        Ok(out)
    }
    #[cfg(not(gss_has = "localname"))]
    unavailable!("gss_localname", name, mech)
}

/// Whether `name` may log in as local user `user`. `user` must not contain a NUL byte.
#[doc(alias = "gss_userok")]
pub fn userok(name: &Name, user: &str) -> Result<bool> {
    let user = std::ffi::CString::new(user)
        .map_err(|_| Error::invalid_input("gss_userok", "the user name contains a NUL byte"))?;
    #[cfg(gss_has = "localname")]
    {
        resolved!(gss_userok);
        // SAFETY: valid handle and a NUL-terminated string, both only read.
        Ok(unsafe { crate::sys::gss_userok(name.as_raw(), user.as_ptr()) } != 0)
    }
    #[cfg(not(gss_has = "localname"))]
    unavailable!("gss_userok", name, user)
}

/// Whether `name` is authorized as the local user named by `user` (a name of type
/// `name_type::USER`). A refusal is `Ok(false)`; other failures are errors.
#[doc(alias = "gss_authorize_localname")]
pub fn authorize_localname(name: &Name, user: &Name) -> Result<bool> {
    #[cfg(gss_has = "authorize_localname")]
    {
        resolved!(gss_authorize_localname);
        let mut minor = 0;
        // SAFETY: valid handles, only read.
        let major = unsafe {
            crate::sys::gss_authorize_localname(&mut minor, name.as_raw(), user.as_raw())
        };
        if major == crate::sys::GSS_S_UNAUTHORIZED {
            return Ok(false);
        }
        crate::error::check("gss_authorize_localname", major, minor, None)?;
        Ok(true)
    }
    #[cfg(not(gss_has = "authorize_localname"))]
    unavailable!("gss_authorize_localname", name, user)
}
