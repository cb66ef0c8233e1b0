//! RFC 6680: naming extensions. Names carry attributes (authorization data, local login names,
//! ...); composite export keeps them across processes.
//!
//! ```no_run
//! # fn f(initiator: &gssapi_raw::Name) -> gssapi_raw::Result<()> {
//! use gssapi_raw::ext::rfc6680;
//! let info = rfc6680::inquire_name(initiator)?;
//! for attr in info.attrs.iter() {
//!     let value = rfc6680::get_name_attribute(initiator, attr)?;
//!     println!("{}: {} value(s), authenticated: {}", String::from_utf8_lossy(attr),
//!              value.values.len(), value.authenticated);
//! }
//! # Ok(()) }
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `rfc6680` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::{Buffer, BufferSet};
use crate::name::Name;
use crate::oid::Oid;

/// The result of [`inquire_name`] (python-gssapi: `InquireNameResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InquireName {
    /// The names of the name's attributes.
    pub attrs: BufferSet,
    /// Whether the name is a mechanism name.
    pub is_mech_name: bool,
    /// The mechanism of a mechanism name.
    pub mech: Option<Oid>,
}

/// The result of [`get_name_attribute`]: every value, as RFC 6680's pseudo-API returns them
/// (python-gssapi: `GetNameAttributeResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct GetNameAttribute {
    /// The raw values.
    pub values: Vec<Buffer>,
    /// Their display forms.
    pub display_values: Vec<Buffer>,
    /// Whether the values were authenticated by the mechanism.
    pub authenticated: bool,
    /// Whether the value set is complete.
    pub complete: bool,
}

/// An attribute name as the library gets it: the bytes with their length, followed by a NUL
/// that is not counted. MIT's PAC attribute code (`urn:mspac:...`) parses the name with
/// `strtoul`, which reads until a non-digit: without the terminator it reads past the buffer.
/// (A name with a NUL byte inside is refused before this: the library would read a prefix.)
#[cfg(gss_has = "rfc6680")]
fn attr_name(attr: &[u8]) -> Vec<u8> {
    let mut owned = Vec::with_capacity(attr.len() + 1);
    owned.extend_from_slice(attr);
    owned.push(0);
    owned
}

#[cfg(gss_has = "rfc6680")]
fn attr_desc(owned: &[u8]) -> gssapi_sys::gss_buffer_desc {
    // Everything but the terminator.
    crate::buffer::input(&owned[..owned.len() - 1])
}

/// The name displayed in the syntax of `name_type`.
#[doc(alias = "gss_display_name_ext")]
pub fn display_name_ext(name: &Name, name_type: &Oid) -> Result<Buffer> {
    #[cfg(gss_has = "rfc6680")]
    {
        resolved!(gss_display_name_ext);
        let mut out = Buffer::new();
        crate::call("gss_display_name_ext", |minor| {
            // SAFETY: valid handle and OID; the output is owned by `out`.
            unsafe {
                crate::sys::gss_display_name_ext(
                    minor,
                    name.as_raw(),
                    name_type.as_ptr(),
                    out.as_out_ptr(),
                )
            }
        })?;
        Ok(out)
    }
    #[cfg(not(gss_has = "rfc6680"))]
    unavailable!("gss_display_name_ext", name, name_type)
}

/// Whether `name` is a mechanism name, its mechanism, and its attribute names.
#[doc(alias = "gss_inquire_name")]
pub fn inquire_name(name: &Name) -> Result<InquireName> {
    #[cfg(gss_has = "rfc6680")]
    {
        resolved!(gss_inquire_name);
        let mut is_mn = 0;
        let mut mech: crate::sys::gss_OID = std::ptr::null_mut();
        let mut attrs = BufferSet::new();
        crate::call("gss_inquire_name", |minor| {
            // SAFETY: valid handle; outputs are owned by their wrappers (the OID is a library
            // static, copied below).
            unsafe {
                crate::sys::gss_inquire_name(
                    minor,
                    name.as_raw(),
                    &mut is_mn,
                    &mut mech,
                    attrs.as_out_ptr(),
                )
            }
        })?;
        // SAFETY: null or a valid OID, copied at once.
        let mech_copy = unsafe { Oid::from_ffi(mech) };
        // MIT hands out a copy of the mechanism OID that the caller owns (Heimdal a static).
        if (crate::sys::implementation() == Some(crate::sys::Implementation::Mit))
            && !mech.is_null()
        {
            let mut minor = 0;
            // SAFETY: MIT allocated this OID for us; it is released once and not used after.
            unsafe { crate::sys::gss_release_oid(&mut minor, &mut mech) };
        }
        Ok(InquireName {
            attrs,
            is_mech_name: is_mn != 0,
            mech: mech_copy,
        })
    }
    #[cfg(not(gss_has = "rfc6680"))]
    unavailable!("gss_inquire_name", name)
}

/// Every value of attribute `attr` (looping on the C call's `more` state).
#[doc(alias = "gss_get_name_attribute")]
pub fn get_name_attribute(name: &Name, attr: &[u8]) -> Result<GetNameAttribute> {
    crate::buffer::no_interior_nul("gss_get_name_attribute", "an attribute name", attr)?;
    #[cfg(gss_has = "rfc6680")]
    {
        resolved!(gss_get_name_attribute);
        let attr = attr_name(attr);
        let mut attr_buf = attr_desc(&attr);
        let mut result = GetNameAttribute {
            values: Vec::new(),
            display_values: Vec::new(),
            authenticated: false,
            complete: false,
        };
        // -1 asks for the first value; the library sets it to 0 when none remain.
        let mut more: core::ffi::c_int = -1;
        // A bound against a library that never says "no more".
        for _ in 0..65536 {
            let (mut value, mut display) = (Buffer::new(), Buffer::new());
            let (mut authenticated, mut complete) = (0, 0);
            crate::call("gss_get_name_attribute", |minor| {
                // SAFETY: valid handle; the attribute name is only read; outputs are owned.
                unsafe {
                    crate::sys::gss_get_name_attribute(
                        minor,
                        name.as_raw(),
                        &mut attr_buf,
                        &mut authenticated,
                        &mut complete,
                        value.as_out_ptr(),
                        display.as_out_ptr(),
                        &mut more,
                    )
                }
            })?;
            result.values.push(value);
            result.display_values.push(display);
            result.authenticated = authenticated != 0;
            result.complete = complete != 0;
            if more == 0 {
                break;
            }
        }
        Ok(result)
    }
    #[cfg(not(gss_has = "rfc6680"))]
    unavailable!("gss_get_name_attribute", name, attr)
}

/// Adds `values` to attribute `attr` (delete it first to replace), marking the set complete if
/// `complete`.
#[doc(alias = "gss_set_name_attribute")]
pub fn set_name_attribute(
    name: &mut Name,
    attr: &[u8],
    values: &[&[u8]],
    complete: bool,
) -> Result<()> {
    crate::buffer::no_interior_nul("gss_set_name_attribute", "an attribute name", attr)?;
    #[cfg(gss_has = "rfc6680")]
    {
        resolved!(gss_set_name_attribute);
        let attr = attr_name(attr);
        let mut attr_buf = attr_desc(&attr);
        for value in values {
            let mut value_buf = crate::buffer::input(value);
            crate::call("gss_set_name_attribute", |minor| {
                // SAFETY: valid handle (exclusively borrowed: the call changes it); inputs only
                // read.
                unsafe {
                    crate::sys::gss_set_name_attribute(
                        minor,
                        name.as_raw(),
                        complete.into(),
                        &mut attr_buf,
                        &mut value_buf,
                    )
                }
            })?;
        }
        Ok(())
    }
    #[cfg(not(gss_has = "rfc6680"))]
    unavailable!("gss_set_name_attribute", name, attr, values, complete)
}

/// Removes attribute `attr` and its values.
#[doc(alias = "gss_delete_name_attribute")]
pub fn delete_name_attribute(name: &mut Name, attr: &[u8]) -> Result<()> {
    crate::buffer::no_interior_nul("gss_delete_name_attribute", "an attribute name", attr)?;
    #[cfg(gss_has = "rfc6680")]
    {
        resolved!(gss_delete_name_attribute);
        let attr = attr_name(attr);
        let mut attr_buf = attr_desc(&attr);
        crate::call("gss_delete_name_attribute", |minor| {
            // SAFETY: valid handle (exclusively borrowed); the attribute name is only read.
            unsafe { crate::sys::gss_delete_name_attribute(minor, name.as_raw(), &mut attr_buf) }
        })?;
        Ok(())
    }
    #[cfg(not(gss_has = "rfc6680"))]
    unavailable!("gss_delete_name_attribute", name, attr)
}

/// The exported form of a mechanism name with its attributes; import it with
/// `name_type::COMPOSITE_EXPORT`. A name imported from text is refused with
/// `GSS_S_NAME_NOT_MN` on both libraries, as by [`export_name`](crate::name::export_name).
#[doc(alias = "gss_export_name_composite")]
pub fn export_name_composite(name: &Name) -> Result<Buffer> {
    crate::name::refuse_text_name_on_heimdal("gss_export_name_composite", name)?;
    #[cfg(gss_has = "rfc6680")]
    {
        resolved!(gss_export_name_composite);
        let mut out = Buffer::new();
        crate::call("gss_export_name_composite", |minor| {
            // SAFETY: valid handle; the output is owned by `out`.
            unsafe { crate::sys::gss_export_name_composite(minor, name.as_raw(), out.as_out_ptr()) }
        })?;
        Ok(out)
    }
    #[cfg(not(gss_has = "rfc6680"))]
    unavailable!("gss_export_name_composite", name)
}
