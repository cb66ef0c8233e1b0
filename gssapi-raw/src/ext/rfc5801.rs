//! RFC 5801: SASL (GS2) mechanism names.
//!
//! ```no_run
//! use gssapi_raw::{ext::rfc5801, mech_type};
//! let names = rfc5801::inquire_saslname_for_mech(&mech_type::KERBEROS)?;
//! assert_eq!(&*names.sasl_mech_name, b"GS2-KRB5");
//! assert_eq!(rfc5801::inquire_mech_for_saslname(b"GS2-KRB5")?, mech_type::KERBEROS);
//! # Ok::<(), gssapi_raw::Error>(())
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `rfc5801` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::Buffer;
use crate::oid::Oid;

/// The result of [`inquire_saslname_for_mech`] (python-gssapi: `InquireSASLNameResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InquireSaslNameForMech {
    /// The SASL mechanism name, e.g. `GS2-KRB5`.
    pub sasl_mech_name: Buffer,
    /// The mechanism's name, e.g. `krb5`.
    pub mech_name: Buffer,
    /// A description.
    pub mech_description: Buffer,
}

/// The SASL names of a mechanism.
#[doc(alias = "gss_inquire_saslname_for_mech")]
pub fn inquire_saslname_for_mech(mech: &Oid) -> Result<InquireSaslNameForMech> {
    #[cfg(gss_has = "rfc5801")]
    {
        resolved!(gss_inquire_saslname_for_mech);
        let (mut sasl, mut name, mut desc) = (Buffer::new(), Buffer::new(), Buffer::new());
        crate::call("gss_inquire_saslname_for_mech", |minor| {
            // SAFETY: valid OID (only read); outputs owned by their wrappers.
            unsafe {
                crate::sys::gss_inquire_saslname_for_mech(
                    minor,
                    mech.as_ptr(),
                    sasl.as_out_ptr(),
                    name.as_out_ptr(),
                    desc.as_out_ptr(),
                )
            }
        })?;
        Ok(InquireSaslNameForMech {
            sasl_mech_name: sasl,
            mech_name: name,
            mech_description: desc,
        })
    }
    #[cfg(not(gss_has = "rfc5801"))]
    unavailable!("gss_inquire_saslname_for_mech", mech)
}

/// The mechanism of a SASL mechanism name.
#[doc(alias = "gss_inquire_mech_for_saslname")]
pub fn inquire_mech_for_saslname(sasl_name: &[u8]) -> Result<Oid> {
    crate::buffer::no_interior_nul("gss_inquire_mech_for_saslname", "a SASL name", sasl_name)?;
    #[cfg(gss_has = "rfc5801")]
    {
        resolved!(gss_inquire_mech_for_saslname);
        let mut input = crate::buffer::input(sasl_name);
        let mut mech: crate::sys::gss_OID = std::ptr::null_mut();
        crate::call("gss_inquire_mech_for_saslname", |minor| {
            // SAFETY: the input is only read; the output OID is a library static, copied below.
            unsafe { crate::sys::gss_inquire_mech_for_saslname(minor, &mut input, &mut mech) }
        })?;
        // SAFETY: null or a static of the library.
        unsafe { Oid::from_ffi(mech) }.ok_or_else(|| {
            crate::Error::from_status(
                "gss_inquire_mech_for_saslname",
                gssapi_sys::GSS_S_BAD_MECH,
                0,
            )
        })
    }
    #[cfg(not(gss_has = "rfc5801"))]
    unavailable!("gss_inquire_mech_for_saslname", sasl_name)
}
