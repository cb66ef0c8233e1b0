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

    pub(crate) fn from_raw(raw: raw::Name) -> Name {
        Name {
            inner: Arc::new(raw),
        }
    }

    /// The raw handle, for gssapi-raw calls.
    pub fn as_raw(&self) -> &raw::Name {
        &self.inner
    }

    /// The text form and the name type, as the library displays them.
    pub fn display(&self) -> Result<(String, Option<Oid>)> {
        let d = name::display_name(&self.inner)?;
        Ok((String::from_utf8_lossy(&d.name).into_owned(), d.name_type))
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

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.display() {
            Ok((text, _)) => f.write_str(&text),
            Err(_) => f.write_str("<undisplayable name>"),
        }
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({:?})", self.to_string())
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
