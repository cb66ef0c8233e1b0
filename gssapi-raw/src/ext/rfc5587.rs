//! RFC 5587: mechanism attributes (what a mechanism can do) and mechanism lookup by them.
//!
//! ```no_run
//! use gssapi_raw::{OidSet, ext::rfc5587::{self, mech_attr}, mech_type};
//! let attrs = rfc5587::inquire_attrs_for_mech(&mech_type::KERBEROS)?;
//! assert!(attrs.mech_attrs.contains(&mech_attr::MECH_CONCRETE));
//! let described = rfc5587::display_mech_attr(&mech_attr::MECH_CONCRETE)?;
//! println!("{}", String::from_utf8_lossy(&described.long_desc));
//! # Ok::<(), gssapi_raw::Error>(())
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `rfc5587` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::Buffer;
use crate::oid::{Oid, OidSet};

/// The RFC 5587 mechanism attributes (`GSS_C_MA_*`).
pub mod mech_attr {
    use crate::oid::Oid;
    use gssapi_sys::oids;
    macro_rules! attrs {
        ($($name:ident = $sys:ident;)*) => {$(
            #[doc = concat!("`", stringify!($sys), "`.")]
            pub static $name: Oid = Oid::from_static(oids::$sys);
        )*};
    }
    attrs! {
        MECH_CONCRETE = GSS_C_MA_MECH_CONCRETE;
        MECH_PSEUDO = GSS_C_MA_MECH_PSEUDO;
        MECH_COMPOSITE = GSS_C_MA_MECH_COMPOSITE;
        MECH_NEGO = GSS_C_MA_MECH_NEGO;
        MECH_GLUE = GSS_C_MA_MECH_GLUE;
        NOT_MECH = GSS_C_MA_NOT_MECH;
        DEPRECATED = GSS_C_MA_DEPRECATED;
        NOT_DFLT_MECH = GSS_C_MA_NOT_DFLT_MECH;
        ITOK_FRAMED = GSS_C_MA_ITOK_FRAMED;
        AUTH_INIT = GSS_C_MA_AUTH_INIT;
        AUTH_TARG = GSS_C_MA_AUTH_TARG;
        AUTH_INIT_INIT = GSS_C_MA_AUTH_INIT_INIT;
        AUTH_TARG_INIT = GSS_C_MA_AUTH_TARG_INIT;
        AUTH_INIT_ANON = GSS_C_MA_AUTH_INIT_ANON;
        AUTH_TARG_ANON = GSS_C_MA_AUTH_TARG_ANON;
        DELEG_CRED = GSS_C_MA_DELEG_CRED;
        INTEG_PROT = GSS_C_MA_INTEG_PROT;
        CONF_PROT = GSS_C_MA_CONF_PROT;
        MIC = GSS_C_MA_MIC;
        WRAP = GSS_C_MA_WRAP;
        PROT_READY = GSS_C_MA_PROT_READY;
        REPLAY_DET = GSS_C_MA_REPLAY_DET;
        OOS_DET = GSS_C_MA_OOS_DET;
        CBINDINGS = GSS_C_MA_CBINDINGS;
        PFS = GSS_C_MA_PFS;
        COMPRESS = GSS_C_MA_COMPRESS;
        CTX_TRANS = GSS_C_MA_CTX_TRANS;
        NEGOEX_AND_SPNEGO = GSS_C_MA_NEGOEX_AND_SPNEGO;
    }
}

/// The result of [`inquire_attrs_for_mech`] (python-gssapi: `InquireAttrsResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InquireAttrsForMech {
    /// The attributes the mechanism has.
    pub mech_attrs: OidSet,
    /// The attributes the mechanism knows about.
    pub known_mech_attrs: OidSet,
}

/// The result of [`display_mech_attr`] (python-gssapi: `DisplayAttrResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct DisplayMechAttr {
    /// The attribute's name, e.g. `concrete-mech`.
    pub name: Buffer,
    /// A short description.
    pub short_desc: Buffer,
    /// A long description.
    pub long_desc: Buffer,
}

/// The mechanisms that have all of `desired`, none of `except`, and know all of `critical`
/// (`None`: no condition).
#[doc(alias = "gss_indicate_mechs_by_attrs")]
pub fn indicate_mechs_by_attrs(
    desired: Option<&OidSet>,
    except: Option<&OidSet>,
    critical: Option<&OidSet>,
) -> Result<OidSet> {
    #[cfg(gss_has = "rfc5587")]
    {
        resolved!(gss_indicate_mechs_by_attrs);
        let ptr = |s: Option<&OidSet>| s.map_or(std::ptr::null(), |s| s.as_ptr().cast_const());
        let mut mechs = OidSet::null();
        crate::call("gss_indicate_mechs_by_attrs", |minor| {
            // SAFETY: the sets are valid or null and only read; the output is owned by `mechs`.
            unsafe {
                crate::sys::gss_indicate_mechs_by_attrs(
                    minor,
                    ptr(desired),
                    ptr(except),
                    ptr(critical),
                    mechs.as_out_ptr(),
                )
            }
        })?;
        Ok(mechs)
    }
    #[cfg(not(gss_has = "rfc5587"))]
    unavailable!("gss_indicate_mechs_by_attrs", desired, except, critical)
}

/// The attributes of `mech`.
#[doc(alias = "gss_inquire_attrs_for_mech")]
pub fn inquire_attrs_for_mech(mech: &Oid) -> Result<InquireAttrsForMech> {
    #[cfg(gss_has = "rfc5587")]
    {
        resolved!(gss_inquire_attrs_for_mech);
        let (mut attrs, mut known) = (OidSet::null(), OidSet::null());
        crate::call("gss_inquire_attrs_for_mech", |minor| {
            // SAFETY: valid OID; outputs owned by their wrappers.
            unsafe {
                crate::sys::gss_inquire_attrs_for_mech(
                    minor,
                    mech.as_ptr(),
                    attrs.as_out_ptr(),
                    known.as_out_ptr(),
                )
            }
        })?;
        Ok(InquireAttrsForMech {
            mech_attrs: attrs,
            known_mech_attrs: known,
        })
    }
    #[cfg(not(gss_has = "rfc5587"))]
    unavailable!("gss_inquire_attrs_for_mech", mech)
}

/// The name and descriptions of a mechanism attribute.
#[doc(alias = "gss_display_mech_attr")]
pub fn display_mech_attr(attr: &Oid) -> Result<DisplayMechAttr> {
    #[cfg(gss_has = "rfc5587")]
    {
        resolved!(gss_display_mech_attr);
        let (mut name, mut short, mut long) = (Buffer::new(), Buffer::new(), Buffer::new());
        crate::call("gss_display_mech_attr", |minor| {
            // SAFETY: valid OID; outputs owned by their wrappers.
            unsafe {
                crate::sys::gss_display_mech_attr(
                    minor,
                    attr.as_ptr(),
                    name.as_out_ptr(),
                    short.as_out_ptr(),
                    long.as_out_ptr(),
                )
            }
        })?;
        Ok(DisplayMechAttr {
            name,
            short_desc: short,
            long_desc: long,
        })
    }
    #[cfg(not(gss_has = "rfc5587"))]
    unavailable!("gss_display_mech_attr", attr)
}
