//! Names: principals and services, in their GSSAPI form.
//!
//! ```
//! use gssapi::{Name, NameType};
//!
//! let service = Name::hostbased_service("HTTP@www.example.com")?;
//! assert_eq!(service.to_string(), "HTTP@www.example.com");
//! assert_eq!(service.name_type()?.as_ref(), Some(NameType::HOSTBASED_SERVICE));
//! let user: Name = "alice@EXAMPLE.COM".parse()?;   // the Kerberos principal syntax
//! assert_ne!(user, service);
//! # Ok::<(), gssapi::Error>(())
//! ```

use crate::Result;
use crate::mechanism::Mechanism;
use gssapi_raw::ext::rfc6680;
use gssapi_raw::{self as raw, Oid, name};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The well-known name types (python-gssapi: `NameType`).
pub struct NameType;

impl NameType {
    /// `service@host` (python: `hostbased_service`).
    pub const HOSTBASED_SERVICE: &'static Oid = &raw::name_type::HOSTBASED_SERVICE;
    /// A Kerberos principal, `user/instance@REALM` (python: `kerberos_principal`).
    pub const KERBEROS_PRINCIPAL: &'static Oid = &raw::name_type::KERBEROS_PRINCIPAL;
    /// A local user name (python: `user`).
    pub const USER: &'static Oid = &raw::name_type::USER;
    /// The anonymous name (python: `anonymous`).
    pub const ANONYMOUS: &'static Oid = &raw::name_type::ANONYMOUS;
    /// An exported mechanism name (python: `export`).
    pub const EXPORT: &'static Oid = &raw::name_type::EXPORT;
    /// An exported composite name (python: `composite_export`).
    pub const COMPOSITE_EXPORT: &'static Oid = &raw::name_type::COMPOSITE_EXPORT;
    /// A binary uid (python: `machine_uid`).
    pub const MACHINE_UID: &'static Oid = &raw::name_type::MACHINE_UID;
    /// A uid as decimal text (python: `string_uid`).
    pub const STRING_UID: &'static Oid = &raw::name_type::STRING_UID;
}

/// A GSSAPI name: a principal, a service, or a mechanism name (MN) after canonicalization.
///
/// Cheap to clone (shared), `Send + Sync`. Equality asks the library (`gss_compare_name`), so
/// `HTTP@host` and its canonical Kerberos form compare as the library decides.
#[derive(Clone)]
pub struct Name {
    inner: Arc<raw::Name>,
}

impl Name {
    /// A name from bytes and a name type (`None`: the default mechanism's syntax).
    pub fn new(name: impl AsRef<[u8]>, name_type: Option<&Oid>) -> Result<Name> {
        Ok(Name::from_raw(name::import_name(name.as_ref(), name_type)?))
    }

    /// A host-based service, `service@host` (e.g. `HTTP@www.example.com`).
    pub fn hostbased_service(service_at_host: &str) -> Result<Name> {
        Name::new(service_at_host, Some(NameType::HOSTBASED_SERVICE))
    }

    /// A Kerberos principal, `user@REALM` or `service/host@REALM`.
    pub fn kerberos_principal(principal: &str) -> Result<Name> {
        Name::new(principal, Some(NameType::KERBEROS_PRINCIPAL))
    }

    /// A local user name.
    pub fn user(user: &str) -> Result<Name> {
        Name::new(user, Some(NameType::USER))
    }

    /// Imports the output of [`Name::export`] (an exported mechanism name).
    pub fn import_exported(token: &[u8]) -> Result<Name> {
        Name::new(token, Some(NameType::EXPORT))
    }

    /// A name from a gssapi-raw name (from any raw call or extension).
    pub fn from_raw(raw: raw::Name) -> Name {
        Name {
            inner: Arc::new(raw),
        }
    }

    /// The gssapi-raw name, for raw calls that take it by value or `&mut` (RFC 6680
    /// attributes, say). `Name` is shared by its clones: when other clones exist, the raw
    /// name is a copy (`gss_duplicate_name`).
    pub fn into_raw(self) -> Result<raw::Name> {
        match Arc::try_unwrap(self.inner) {
            Ok(raw) => Ok(raw),
            Err(shared) => Ok(name::duplicate_name(&shared)?),
        }
    }

    /// The raw handle, for gssapi-raw calls.
    pub fn as_raw(&self) -> &raw::Name {
        &self.inner
    }

    /// The text form and the name type, as the library displays them. Bytes that are not
    /// UTF-8 become U+FFFD; a terminating NUL that the mechanism counted in the length
    /// (gss-ntlmssp does) is dropped.
    pub fn display(&self) -> Result<(String, Option<Oid>)> {
        let d = name::display_name(&self.inner)?;
        Ok((text(&d.name), d.name_type))
    }

    /// The name type the library reports.
    pub fn name_type(&self) -> Result<Option<Oid>> {
        Ok(self.display()?.1)
    }

    /// The mechanism name of this name for `mech` (e.g. `HTTP@host` becomes
    /// `HTTP/host@REALM` under Kerberos).
    pub fn canonicalize(&self, mech: &Mechanism) -> Result<Name> {
        Ok(Name::from_raw(name::canonicalize_name(
            &self.inner,
            mech.oid(),
        )?))
    }

    /// The exported form of a mechanism name, for byte-wise comparison and storage
    /// (RFC 2743 3.2). Canonicalize first if this is not an MN.
    pub fn export(&self) -> Result<Vec<u8>> {
        Ok(name::export_name(&self.inner)?.into_vec())
    }

    /// Whether the library considers the two names the same entity.
    pub fn compare(&self, other: &Name) -> Result<bool> {
        Ok(name::compare_name(&self.inner, &other.inner)?)
    }

    /// The name displayed in the syntax of another name type (RFC 6680).
    pub fn display_as(&self, name_type: &Oid) -> Result<String> {
        Ok(text(&rfc6680::display_name_ext(&self.inner, name_type)?))
    }

    /// Whether this is a mechanism name (RFC 6680).
    pub fn is_mech_name(&self) -> Result<bool> {
        Ok(rfc6680::inquire_name(&self.inner)?.is_mech_name)
    }

    /// The mechanism of a mechanism name (RFC 6680).
    pub fn mech(&self) -> Result<Option<Mechanism>> {
        Ok(rfc6680::inquire_name(&self.inner)?
            .mech
            .map(Mechanism::from_oid))
    }

    /// The exported form with the name's attributes (RFC 6680 composite export).
    pub fn export_composite(&self) -> Result<Vec<u8>> {
        Ok(rfc6680::export_name_composite(&self.inner)?.into_vec())
    }

    /// Imports the output of [`Name::export_composite`].
    ///
    /// Only import composite names from a trusted source: after the checked RFC 2743 header,
    /// the attributes are in the library's private format, which it does not defend (MIT 1.20
    /// overflows the heap on a large PAC length). [`Name::import_exported`] takes untrusted
    /// input: its format is checked exactly.
    pub fn import_composite(token: &[u8]) -> Result<Name> {
        Name::new(token, Some(NameType::COMPOSITE_EXPORT))
    }

    /// The name's attributes (RFC 6680) as a map-like view.
    pub fn attributes(&self) -> Attributes<'_> {
        Attributes { name: self }
    }

    /// The name's attributes, for changing them. A name shared by clones is copied first, so
    /// the clones keep their attributes.
    pub fn attributes_mut(&mut self) -> Result<AttributesMut<'_>> {
        if Arc::get_mut(&mut self.inner).is_none() {
            self.inner = Arc::new(name::duplicate_name(&self.inner)?);
        }
        Ok(AttributesMut { name: self })
    }

    /// The mechanisms that can use this name.
    pub fn mechs(&self) -> Result<Vec<Mechanism>> {
        Ok(name::inquire_mechs_for_name(&self.inner)?
            .iter()
            .map(Mechanism::from_oid)
            .collect())
    }
}

impl PartialEq for Name {
    /// `gss_compare_name`; names the library cannot compare are unequal.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.compare(other).unwrap_or(false)
    }
}

/// The displayed bytes without a C string's terminating NUL, which some mechanisms count in
/// the buffer's length (gss-ntlmssp 1.2 displays `DOMAIN\\user` plus a NUL).
fn displayed(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\0").unwrap_or(bytes)
}

/// The library's text as a `String`: one copy, checked by the fast UTF-8 validation (names
/// are ASCII in practice); only bytes that are not UTF-8 take the lossy path (U+FFFD).
fn text(bytes: &[u8]) -> String {
    let bytes = displayed(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Writes the library's text straight into the formatter (no `String` in between), with
/// U+FFFD for bytes that are not UTF-8, as [`Name::display`] gives them.
fn write_text(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    let bytes = displayed(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return f.write_str(s);
    }
    for chunk in bytes.utf8_chunks() {
        f.write_str(chunk.valid())?;
        if !chunk.invalid().is_empty() {
            f.write_str("\u{FFFD}")?;
        }
    }
    Ok(())
}

/// The text form, as [`Name::display`] gives it, written directly (`to_string()` copies the
/// library's text once).
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match name::display_name(&self.inner) {
            Ok(d) => write_text(f, &d.name),
            Err(_) => f.write_str("<undisplayable name>"),
        }
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match name::display_name(&self.inner) {
            Ok(d) => write!(f, "Name({:?})", text(&d.name)),
            Err(_) => f.write_str("Name(<undisplayable name>)"),
        }
    }
}

impl FromStr for Name {
    type Err = crate::Error;
    /// Parses a name in the default mechanism's syntax (for Kerberos: `user@REALM`,
    /// `service/host@REALM`). Use [`Name::hostbased_service`] for `service@host`.
    fn from_str(s: &str) -> Result<Name> {
        Name::new(s, None)
    }
}

/// One attribute's values (RFC 6680's `get_name_attribute`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttributeValue {
    /// The raw values.
    pub values: Vec<Vec<u8>>,
    /// Their display forms.
    pub display_values: Vec<String>,
    /// Whether the mechanism authenticated them.
    pub authenticated: bool,
    /// Whether the set of values is complete.
    pub complete: bool,
}

/// A read-only, map-like view of a name's attributes.
#[derive(Debug, Clone, Copy)]
pub struct Attributes<'a> {
    name: &'a Name,
}

impl Attributes<'_> {
    /// The attribute names.
    pub fn keys(&self) -> Result<Vec<Vec<u8>>> {
        Ok(rfc6680::inquire_name(&self.name.inner)?.attrs.to_vecs())
    }

    /// The values of `attr`; `None` when the name does not have it.
    pub fn get(&self, attr: &[u8]) -> Result<Option<AttributeValue>> {
        match rfc6680::get_name_attribute(&self.name.inner, attr) {
            Ok(v) => Ok(Some(AttributeValue {
                values: v.values.into_iter().map(raw::Buffer::into_vec).collect(),
                display_values: v
                    .display_values
                    .iter()
                    .map(|d| String::from_utf8_lossy(d).into_owned())
                    .collect(),
                authenticated: v.authenticated,
                complete: v.complete,
            })),
            Err(e)
                if e.is(raw::ErrorKind::OperationUnavailable) && !e.is_unavailable_in_library() =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Every attribute with its values.
    pub fn iter(&self) -> Result<Vec<(Vec<u8>, AttributeValue)>> {
        let mut out = Vec::new();
        for key in self.keys()? {
            if let Some(v) = self.get(&key)? {
                out.push((key, v));
            }
        }
        Ok(out)
    }
}

/// A map-like view for changing a name's attributes.
#[derive(Debug)]
pub struct AttributesMut<'a> {
    name: &'a mut Name,
}

impl AttributesMut<'_> {
    fn raw_mut(&mut self) -> &mut raw::Name {
        Arc::get_mut(&mut self.name.inner).expect("attributes_mut made the name unshared")
    }

    /// Replaces the values of `attr` (python-gssapi: `name.attributes[attr] = values`),
    /// marked as possibly incomplete.
    pub fn set(&mut self, attr: &[u8], values: &[&[u8]]) -> Result<()> {
        self.replace(attr, values, false)
    }

    /// Replaces the values of `attr` with a set that is complete (python-gssapi:
    /// `name.attributes[attr] = (values, True)`).
    pub fn set_complete(&mut self, attr: &[u8], values: &[&[u8]]) -> Result<()> {
        self.replace(attr, values, true)
    }

    fn replace(&mut self, attr: &[u8], values: &[&[u8]], complete: bool) -> Result<()> {
        // The old values go first (the library would add to them); an attribute that is not
        // there has nothing to delete.
        if self.view().get(attr)?.is_some() {
            self.delete(attr)?;
        }
        Ok(rfc6680::set_name_attribute(
            self.raw_mut(),
            attr,
            values,
            complete,
        )?)
    }

    /// Removes `attr`.
    pub fn delete(&mut self, attr: &[u8]) -> Result<()> {
        Ok(rfc6680::delete_name_attribute(self.raw_mut(), attr)?)
    }

    /// A read-only view.
    pub fn view(&self) -> Attributes<'_> {
        Attributes { name: self.name }
    }
}
