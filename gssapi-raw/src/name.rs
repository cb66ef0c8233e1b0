//! Names (RFC 2744 section 2.4): import, display, compare, canonicalize, export, duplicate.
//!
//! ```
//! use gssapi_raw::{name, name_type};
//!
//! let host = name::import_name(b"HTTP@www.example.com", Some(&name_type::HOSTBASED_SERVICE))?;
//! let shown = name::display_name(&host)?;
//! assert_eq!(&*shown.name, b"HTTP@www.example.com");
//! assert_eq!(shown.name_type.as_ref(), Some(&name_type::HOSTBASED_SERVICE));
//! let copy = name::duplicate_name(&host)?;
//! assert!(name::compare_name(&host, &copy)?);
//! # Ok::<(), gssapi_raw::Error>(())
//! ```

use crate::buffer::{Buffer, input};
use crate::error::{Error, Result, call};
use crate::oid::{Oid, OidSet, name_type, opt_ptr};
use crate::sys;
use std::fmt;
use std::ptr;

/// A GSSAPI name (`gss_name_t`), released with `gss_release_name` on drop.
#[doc(alias = "gss_name_t")]
#[doc(alias = "gss_release_name")]
pub struct Name {
    handle: sys::gss_name_t,
    /// Made by `gss_import_name` (rather than returned by a context or credential call); see
    /// [`duplicate_name`] for why Heimdal needs to know.
    imported: bool,
}

// SAFETY: a name is a heap object of the library that is not tied to the thread that made it;
// gss_release_name may run on any thread.
unsafe impl Send for Name {}
// SAFETY: the calls that take `&Name` only read it (display, compare, export, canonicalize make
// new objects); MIT and Heimdal guard the one shared mutable part, the attribute state of
// RFC 6680 names, with a lock, and the calls that change a name take `&mut Name`.
unsafe impl Sync for Name {}

impl Name {
    pub(crate) fn null() -> Name {
        Name {
            handle: ptr::null_mut(),
            imported: false,
        }
    }

    /// An owner for a handle the library returned; `None` for `GSS_C_NO_NAME`.
    pub(crate) fn into_option(self) -> Option<Name> {
        (!self.handle.is_null()).then_some(self)
    }

    pub(crate) fn as_out_ptr(&mut self) -> *mut sys::gss_name_t {
        debug_assert!(self.handle.is_null(), "output name reused");
        &mut self.handle
    }

    /// The raw handle, for C APIs outside this crate. It stays owned by this `Name`.
    pub fn as_raw(&self) -> sys::gss_name_t {
        self.handle
    }
}

/// The pointer for an optional input name: `None` is `GSS_C_NO_NAME`.
pub(crate) fn opt_name(name: Option<&Name>) -> sys::gss_name_t {
    name.map_or(sys::GSS_C_NO_NAME, Name::as_raw)
}

impl Drop for Name {
    fn drop(&mut self) {
        if !self.handle.is_null() {
            let mut minor = 0;
            // SAFETY: the handle came from the library and is released once, here.
            unsafe { sys::gss_release_name(&mut minor, &mut self.handle) };
        }
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match display_name(self) {
            Ok(d) => write!(f, "Name({:?})", String::from_utf8_lossy(&d.name)),
            Err(_) => write!(f, "Name({:p})", self.handle),
        }
    }
}

/// The result of [`display_name`] (python-gssapi: `DisplayNameResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct DisplayName {
    /// The text form of the name.
    pub name: Buffer,
    /// The name type, when the library reports one.
    pub name_type: Option<Oid>,
}

/// Makes a name from bytes and a name type (`None`: the mechanism's default syntax).
///
/// Text name types must not contain a NUL byte: MIT would keep it inside the principal, where
/// C code that later reads the name as a string would see a shorter, different name. Such input
/// is a `BadName` error ([`Origin::Input`](crate::Origin::Input)) without a library call. The
/// binary name types (exported names, machine uids, certificates) take any bytes.
#[doc(alias = "gss_import_name")]
pub fn import_name(name: &[u8], name_type: Option<&Oid>) -> Result<Name> {
    // A branch-free scan the compiler vectorizes: cheaper than memchr's setup for the short
    // names of the common case, and still linear for long ones.
    let has_nul = name.iter().fold(false, |found, &b| found | (b == 0));
    if has_nul {
        let binary = name_type.is_some_and(|t| {
            [
                &name_type::EXPORT,
                &name_type::COMPOSITE_EXPORT,
                &name_type::MACHINE_UID,
                &name_type::KERBEROS_X509_CERT,
            ]
            .contains(&t)
        });
        if !binary {
            return Err(Error::rejected(
                "gss_import_name",
                sys::GSS_S_BAD_NAME,
                "a text name must not contain a NUL byte",
            ));
        }
    }
    let mut out = Name::null();
    let mut buf = input(name);
    call("gss_import_name", |minor| {
        // SAFETY: the input buffer and OID are valid and only read during the call; the output
        // handle is owned by `out`.
        unsafe { sys::gss_import_name(minor, &mut buf, opt_ptr(name_type), out.as_out_ptr()) }
    })?;
    out.imported = true;
    Ok(out)
}

/// The text form of a name and its type.
#[doc(alias = "gss_display_name")]
pub fn display_name(name: &Name) -> Result<DisplayName> {
    let mut text = Buffer::new();
    let mut name_type: sys::gss_OID = ptr::null_mut();
    call("gss_display_name", |minor| {
        // SAFETY: valid handle and out-pointers; the text buffer is released by Drop.
        unsafe { sys::gss_display_name(minor, name.handle, text.as_out_ptr(), &mut name_type) }
    })?;
    Ok(DisplayName {
        name: text,
        // SAFETY: the returned OID is a static of the library (or null); copied at once.
        name_type: unsafe { Oid::from_ffi(name_type) },
    })
}

/// Whether two names refer to the same entity.
#[doc(alias = "gss_compare_name")]
pub fn compare_name(name1: &Name, name2: &Name) -> Result<bool> {
    let mut equal = 0;
    call("gss_compare_name", |minor| {
        // SAFETY: both handles are valid; the out-pointer is valid.
        unsafe { sys::gss_compare_name(minor, name1.handle, name2.handle, &mut equal) }
    })?;
    Ok(equal != 0)
}

/// A mechanism name (MN) for `name` under `mech`.
#[doc(alias = "gss_canonicalize_name")]
pub fn canonicalize_name(name: &Name, mech: &Oid) -> Result<Name> {
    let mut out = Name::null();
    call("gss_canonicalize_name", |minor| {
        // SAFETY: valid handle and OID; the output handle is owned by `out`.
        unsafe { sys::gss_canonicalize_name(minor, name.handle, mech.as_ptr(), out.as_out_ptr()) }
    })?;
    Ok(out)
}

/// The exported form of a mechanism name, for byte-wise comparison (RFC 2743 section 3.2).
#[doc(alias = "gss_export_name")]
pub fn export_name(name: &Name) -> Result<Buffer> {
    let mut out = Buffer::new();
    call("gss_export_name", |minor| {
        // SAFETY: valid handle; the output buffer is released by Drop.
        unsafe { sys::gss_export_name(minor, name.handle, out.as_out_ptr()) }
    })?;
    Ok(out)
}

/// A copy of a name.
///
/// On Heimdal (7.8), `gss_duplicate_name` crashes on the mechanism names that
/// `gss_accept_sec_context` and `gss_inquire_context` return (names it did not import itself).
/// There such a name is copied through its exported form instead (`gss_export_name`, then
/// `gss_import_name` with the export name type), which gives an equal mechanism name.
#[doc(alias = "gss_duplicate_name")]
pub fn duplicate_name(name: &Name) -> Result<Name> {
    if cfg!(gss_impl = "heimdal")
        && !name.imported
        && let Ok(exported) = export_name(name)
    {
        return import_name(&exported, Some(&name_type::EXPORT));
    }
    let mut out = Name::null();
    call("gss_duplicate_name", |minor| {
        // SAFETY: valid handle; the output handle is owned by `out`.
        unsafe { sys::gss_duplicate_name(minor, name.handle, out.as_out_ptr()) }
    })?;
    out.imported = name.imported;
    Ok(out)
}

/// The mechanisms that can process `name`.
#[doc(alias = "gss_inquire_mechs_for_name")]
pub fn inquire_mechs_for_name(name: &Name) -> Result<OidSet> {
    let mut out = OidSet::null();
    call("gss_inquire_mechs_for_name", |minor| {
        // SAFETY: valid handle; the set is released by Drop.
        unsafe { sys::gss_inquire_mechs_for_name(minor, name.handle, out.as_out_ptr()) }
    })?;
    Ok(out)
}

/// The name types `mech` supports.
#[doc(alias = "gss_inquire_names_for_mech")]
pub fn inquire_names_for_mech(mech: &Oid) -> Result<OidSet> {
    let mut out = OidSet::null();
    call("gss_inquire_names_for_mech", |minor| {
        // SAFETY: valid OID; the set is released by Drop.
        unsafe { sys::gss_inquire_names_for_mech(minor, mech.as_ptr(), out.as_out_ptr()) }
    })?;
    Ok(out)
}
