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
    origin: Made,
}

/// Where a name came from, for the calls whose behaviour on Heimdal depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    /// Returned by the library (canonicalize, accept, inquire calls): a mechanism name.
    /// Heimdal's `gss_duplicate_name` crashes on some of these; see [`duplicate_name`].
    Library,
    /// `gss_import_name` of an exported (or composite exported) name: a mechanism name.
    ImportedMn,
    /// `gss_import_name` of a text name type: not a mechanism name. On Heimdal it keeps its
    /// text and one element per mechanism, all made before it escapes [`import_name`] (see
    /// [`complete_for_every_mech`]).
    ImportedText,
}

// SAFETY: a name is a heap object of the library, not tied to the thread that made it (no
// thread-local state is kept in it by MIT or Heimdal); gss_release_name may run on any thread.
unsafe impl Send for Name {}
// SAFETY: every function of this crate that changes a name in place takes `&mut Name`
// (rfc6680::set_name_attribute, delete_name_attribute); the calls that take `&Name` do not write
// it on either library, so threads may use one name at once:
// - MIT 1.20: a union name (`gss_union_name_desc`) is not written after gss_import_name or
//   gss_duplicate_name made it: gss_init_sec_context, gss_compare_name, gss_localname and
//   gss_acquire_cred import the text into a temporary mechanism name (gssint_import_internal_name)
//   and release it; gss_canonicalize_name writes the input only when the output pointer is NULL,
//   which `canonicalize_name` never passes. The one mutable part of a krb5 mechanism name
//   (`krb5_gss_name_rec`), its authdata context `ad_context`, is read and written only under the
//   name's own `k5_mutex` `lock` (kg_get_name_attribute, krb5_gss_export_name_composite, ...).
// - Heimdal 7.8: `struct _gss_name` is written after creation only by `_gss_find_mn`
//   (mech/gss_names.c), which on a lookup miss imports the text into the missing mechanism and
//   inserts the element at the head of `gn_mn` with plain stores, no lock. Its callers include
//   gss_init_sec_context (the target, for SPNEGO), gss_compare_name, gss_canonicalize_name,
//   gss_localname and the acquire/add credential calls. It writes only names that keep their
//   text (`gn_value`): those of gss_import_name with a text name type and their duplicates.
//   `import_name` makes such a name complete before returning it (one element per mechanism,
//   see `complete_for_every_mech`), and gss_duplicate_name copies every element, so each later
//   `_gss_find_mn` call on a shared name finds its element (or returns before writing, for a
//   mechanism Heimdal does not know) and only reads. Every other name (exported-name import,
//   canonicalize, accept, inquire) has no text and `_gss_find_mn` never writes it. The krb5
//   elements (`krb5_principal`) are read only; Heimdal 7.8's mechanisms keep no name attributes.
unsafe impl Sync for Name {}

impl Name {
    pub(crate) fn null() -> Name {
        Name {
            handle: ptr::null_mut(),
            origin: Made::Library,
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

/// The handle only: `Debug` never calls into the library (a broken name must be printable,
/// and formatting must not race with other threads' calls). [`display_name`] shows the text.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({:p})", self.handle)
    }
}

/// NegoEx (`1.3.6.1.4.1.311.2.2.30`), the other negotiation pseudo-mechanism.
const NEGOEX: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x1e];

/// Whether `mech` is a negotiation pseudo-mechanism that the linked library cannot hold a
/// mechanism name for. Heimdal (7.8) builds a name for SPNEGO that is not one: displaying it
/// fails or reads freed memory, and releasing it aborts (`free(): invalid pointer`). MIT keeps
/// such names as ordinary union names.
pub(crate) fn unusable_name_mech(mech: &[u8]) -> bool {
    crate::sys::is_heimdal() && (mech == crate::sys::oids::GSS_MECH_SPNEGO || mech == NEGOEX)
}

/// Checks an exported name token (RFC 2743 section 3.2) exactly before the library parses it:
/// `04 01`, a two-byte length of the mechanism OID's DER, the DER (tag 06, its length, the
/// value), a four-byte name length, the name, and nothing after it. For a composite export
/// (`04 02`, RFC 6680) the same header is checked; what follows the name is the library's own
/// format. Kerberos names are text, so a NUL byte in one is refused (MIT would parse a prefix).
fn check_exported_name(token: &[u8], composite: bool) -> std::result::Result<(), &'static str> {
    let tag: &[u8] = if composite {
        &[0x04, 0x02]
    } else {
        &[0x04, 0x01]
    };
    if token.len() < 4 || &token[..2] != tag {
        return Err("an exported name starts with 04 01 (04 02 for a composite name) and a length");
    }
    let oid_len = usize::from(u16::from_be_bytes([token[2], token[3]]));
    let Some(der) = token.get(4..4 + oid_len) else {
        return Err("the exported name is shorter than its mechanism OID length");
    };
    let oid = match der {
        [0x06, len, value @ ..] if usize::from(*len) == value.len() && *len < 0x80 => value,
        _ => return Err("the mechanism OID of the exported name is not one DER OID"),
    };
    if oid.is_empty() {
        return Err("the mechanism OID of the exported name is empty");
    }
    let rest = &token[4 + oid_len..];
    let Some((len, name)) = rest.split_first_chunk::<4>() else {
        return Err("the exported name has no name length");
    };
    let name_len = u32::from_be_bytes(*len) as usize;
    if name.len() < name_len || (!composite && name.len() != name_len) {
        return Err("the exported name's length does not match the bytes that follow");
    }
    let kerberos = [
        crate::sys::oids::GSS_MECH_KRB5,
        crate::sys::oids::GSS_MECH_KRB5_OLD,
        crate::sys::oids::GSS_MECH_KRB5_WRONG,
        crate::sys::oids::GSS_MECH_IAKERB,
    ];
    if kerberos.contains(&oid) && name[..name_len].contains(&0) {
        return Err("a Kerberos exported name must not contain a NUL byte");
    }
    if unusable_name_mech(oid) {
        return Err("this library cannot import a name exported for a negotiation mechanism");
    }
    Ok(())
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
///
/// An exported name ([`name_type::EXPORT`]) is checked against RFC 2743's format exactly
/// before the library sees it (MIT 1.20 aborts the process on one trailing byte): a bad one is
/// a `BadName` error without a library call. A composite export
/// ([`name_type::COMPOSITE_EXPORT`]) gets the same check of its header, but the attributes after
/// the name are in the library's private format, which the libraries do not defend (MIT 1.20
/// overflows the heap on a large PAC length): import composite names only from a trusted
/// source.
#[doc(alias = "gss_import_name")]
pub fn import_name(name: &[u8], name_type: Option<&Oid>) -> Result<Name> {
    let composite = name_type.is_some_and(|t| t == &name_type::COMPOSITE_EXPORT);
    let exported = composite || name_type.is_some_and(|t| t == &name_type::EXPORT);
    if exported && let Err(why) = check_exported_name(name, composite) {
        return Err(Error::rejected("gss_import_name", sys::GSS_S_BAD_NAME, why));
    }
    let has_nul = has_nul(name);
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
    out.origin = if exported {
        Made::ImportedMn
    } else {
        Made::ImportedText
    };
    if crate::sys::is_heimdal() && !exported {
        complete_for_every_mech(&out, name_type);
    }
    Ok(out)
}

/// Whether `bytes` holds a NUL, eight bytes at a time (names are short: this beats both a
/// byte loop and memchr's setup for them, and stays linear for long ones).
fn has_nul(bytes: &[u8]) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The classic zero-byte test: a high bit survives only where a byte of `v` is 0.
    let zero = |v: u64| v.wrapping_sub(LOW) & !v & HIGH;
    let word = |at: usize| u64::from_ne_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let n = bytes.len();
    if n < 8 {
        return bytes.contains(&0);
    }
    let mut found = 0u64;
    let mut at = 0;
    while at + 8 < n {
        found |= zero(word(at));
        at += 8;
    }
    // The last eight bytes, overlapping the words before: no byte loop for the tail.
    found |= zero(word(n - 8));
    found != 0
}

/// Heimdal: adds the element of every mechanism that gss_import_name did not fill to a freshly
/// imported text name, while this thread is the only one that can see it.
///
/// Heimdal's gss_import_name fills only the mechanisms whose name-type list has the type (in
/// practice Kerberos); the others (SPNEGO, NTLM) are added later by `_gss_find_mn` on the first
/// call that needs them, without a lock, which races when threads share the name (issue 7).
/// `gss_localname` with an explicit mechanism runs `_gss_find_mn` for it and then fails with
/// `GSS_S_UNAVAILABLE` for the mechanisms that cannot map names: the element stays. Kerberos is
/// skipped for the types on its list (gss_import_name made that element already, and its
/// localname would consult the `auth_to_local` rules for nothing). Errors are ignored: a
/// mechanism that cannot import the name fails inside `_gss_find_mn` before it writes.
/// The mechanism list is the library's, loaded once (`_gss_load_mech`), so it is cached.
#[cfg_attr(not(gss_impl = "heimdal"), allow(dead_code))]
fn complete_for_every_mech(name: &Name, name_type: Option<&Oid>) {
    #[cfg(gss_has = "localname")]
    {
        #[cfg(gss_runtime)]
        if !crate::sys::dlopen::resolved::gss_localname() {
            return;
        }
        use crate::oid::mech_type;
        use std::sync::OnceLock;
        static MECHS: OnceLock<Vec<Oid>> = OnceLock::new();
        let mechs = MECHS.get_or_init(|| {
            crate::misc::indicate_mechs().map_or_else(|_| Vec::new(), |set| set.iter().collect())
        });
        let krb5_type = match name_type {
            None => true,
            Some(t) => [
                &name_type::HOSTBASED_SERVICE,
                &name_type::USER,
                &name_type::KERBEROS_PRINCIPAL,
            ]
            .contains(&t),
        };
        for mech in mechs {
            if krb5_type && mech == &mech_type::KERBEROS {
                continue;
            }
            let mut local = Buffer::new();
            let mut minor = 0;
            // SAFETY: valid handle (owned by `name`, not yet shared) and OID; the output buffer
            // is released by Drop. The status is ignored on purpose (see above).
            unsafe {
                sys::gss_localname(&mut minor, name.handle, mech.as_ptr(), local.as_out_ptr())
            };
        }
    }
    #[cfg(not(gss_has = "localname"))]
    let _ = (name, name_type);
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
///
/// On Heimdal, a negotiation pseudo-mechanism (SPNEGO, NegoEx) is refused with a `BadMech`
/// error before the call: Heimdal 7.8 returns a name for it that cannot be displayed or
/// released. Canonicalize to the mechanism SPNEGO would negotiate (Kerberos) instead.
#[doc(alias = "gss_canonicalize_name")]
pub fn canonicalize_name(name: &Name, mech: &Oid) -> Result<Name> {
    if unusable_name_mech(mech.as_bytes()) {
        return Err(Error::rejected(
            "gss_canonicalize_name",
            sys::GSS_S_BAD_MECH,
            "this library cannot make a mechanism name for a negotiation mechanism",
        ));
    }
    let mut out = Name::null();
    call("gss_canonicalize_name", |minor| {
        // SAFETY: valid handle and OID; the output handle is owned by `out`.
        unsafe { sys::gss_canonicalize_name(minor, name.handle, mech.as_ptr(), out.as_out_ptr()) }
    })?;
    Ok(out)
}

/// The exported form of a mechanism name, for byte-wise comparison (RFC 2743 section 3.2).
///
/// A name imported from text is not a mechanism name: [`canonicalize_name`] it first. Both
/// libraries refuse it with `GSS_S_NAME_NOT_MN` (`MechanismNameRequired`): MIT itself, and on
/// Heimdal this function before the call (Heimdal would export whichever of the name's
/// per-mechanism elements comes first, or fail with `BAD_NAME`).
#[doc(alias = "gss_export_name")]
pub fn export_name(name: &Name) -> Result<Buffer> {
    refuse_text_name_on_heimdal("gss_export_name", name)?;
    let mut out = Buffer::new();
    call("gss_export_name", |minor| {
        // SAFETY: valid handle; the output buffer is released by Drop.
        unsafe { sys::gss_export_name(minor, name.handle, out.as_out_ptr()) }
    })?;
    Ok(out)
}

/// A name the library returned from a context (accept, inquire), made comparable on Heimdal.
///
/// Heimdal 7.8's SPNEGO acceptor returns the initiator wrapped in a SPNEGO name whose
/// comparison (`_gss_spnego_compare_name`) looks only at the wrapper's own text, which is empty:
/// any two such names compare equal (two different clients!), and none equals the client's
/// Kerberos name. There the name is remade through its exported form (the wrapped Kerberos
/// name's), which gives a plain Kerberos mechanism name with the same display and export. When
/// the export fails the name is returned as it came.
pub(crate) fn from_context(name: Name) -> Name {
    if crate::sys::is_heimdal()
        && let Ok(exported) = export_name(&name)
        && let Ok(plain) = import_name(&exported, Some(&name_type::EXPORT))
    {
        return plain;
    }
    name
}

/// Heimdal: refuses to export a name imported from text (see [`export_name`]) with the status
/// MIT returns for it.
pub(crate) fn refuse_text_name_on_heimdal(function: &'static str, name: &Name) -> Result<()> {
    if crate::sys::is_heimdal() && name.origin == Made::ImportedText {
        return Err(Error::rejected(
            function,
            sys::GSS_S_NAME_NOT_MN,
            "a name imported from text is not a mechanism name: canonicalize it first",
        ));
    }
    Ok(())
}

/// A copy of a name.
///
/// On Heimdal (7.8), `gss_duplicate_name` crashes on the mechanism names that
/// `gss_accept_sec_context` and `gss_inquire_context` return (names it did not import itself).
/// There such a name is copied through its exported form instead (`gss_export_name`, then
/// `gss_import_name` with the export name type), which gives an equal mechanism name.
#[doc(alias = "gss_duplicate_name")]
pub fn duplicate_name(name: &Name) -> Result<Name> {
    if crate::sys::is_heimdal()
        && name.origin == Made::Library
        && let Ok(exported) = export_name(name)
    {
        return import_name(&exported, Some(&name_type::EXPORT));
    }
    let mut out = Name::null();
    call("gss_duplicate_name", |minor| {
        // SAFETY: valid handle; the output handle is owned by `out`.
        unsafe { sys::gss_duplicate_name(minor, name.handle, out.as_out_ptr()) }
    })?;
    out.origin = name.origin;
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

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn nul_anywhere_is_found() {
        assert!(!has_nul(b""));
        assert!(!has_nul(b"HTTP@www.example.com"));
        assert!(!has_nul(&[0x80; 33]));
        assert!(!has_nul(&[0xff; 16]));
        for len in 1..40 {
            for at in 0..len {
                let mut v = vec![0x41u8; len];
                v[at] = 0;
                assert!(has_nul(&v), "len {len} at {at}");
                // Bytes around the NUL that a borrow in the word test could confuse.
                v.iter_mut().filter(|b| **b != 0).for_each(|b| *b = 0x01);
                assert!(has_nul(&v), "len {len} at {at} (0x01s)");
            }
        }
    }
}
