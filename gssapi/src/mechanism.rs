//! Mechanisms: Kerberos, SPNEGO, and whatever else the library offers.
//!
//! ```
//! use gssapi::Mechanism;
//!
//! let all = Mechanism::all()?;
//! assert!(all.contains(&Mechanism::KERBEROS));
//! for mech in &all {
//!     println!("{mech}: {:?}", mech.name_types().map(|t| t.len()));
//! }
//! # Ok::<(), gssapi::Error>(())
//! ```

use crate::Result;
use gssapi_raw::{self as raw, Oid, misc, name};
use std::fmt;

/// A GSSAPI mechanism, identified by its OID (python-gssapi: `Mechanism`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mechanism {
    oid: Oid,
}

impl Mechanism {
    /// Kerberos 5 (`1.2.840.113554.1.2.2`).
    pub const KERBEROS: Mechanism = Mechanism::from_static(gssapi_raw::sys::oids::GSS_MECH_KRB5);
    /// SPNEGO (`1.3.6.1.5.5.2`), which negotiates a real mechanism (usually Kerberos).
    pub const SPNEGO: Mechanism = Mechanism::from_static(gssapi_raw::sys::oids::GSS_MECH_SPNEGO);
    /// IAKERB (`1.3.6.1.5.2.5`).
    pub const IAKERB: Mechanism = Mechanism::from_static(gssapi_raw::sys::oids::GSS_MECH_IAKERB);
    /// NTLMSSP (`1.3.6.1.4.1.311.2.2.10`), when gss-ntlmssp is installed.
    pub const NTLMSSP: Mechanism = Mechanism::from_static(gssapi_raw::sys::oids::GSS_MECH_NTLMSSP);

    const fn from_static(der: &'static [u8]) -> Mechanism {
        Mechanism {
            oid: Oid::from_static(der),
        }
    }

    /// The mechanism with this OID.
    pub fn from_oid(oid: Oid) -> Mechanism {
        Mechanism { oid }
    }

    /// Every mechanism the library supports (`gss_indicate_mechs`).
    pub fn all() -> Result<Vec<Mechanism>> {
        Ok(misc::indicate_mechs()?
            .iter()
            .map(Mechanism::from_oid)
            .collect())
    }

    /// The OID.
    pub fn oid(&self) -> &Oid {
        &self.oid
    }

    /// The name types this mechanism understands.
    pub fn name_types(&self) -> Result<Vec<Oid>> {
        Ok(name::inquire_names_for_mech(&self.oid)?.to_vec())
    }

    /// A short human name for the well-known mechanisms.
    pub fn short_name(&self) -> Option<&'static str> {
        match self.oid.well_known_name()? {
            "GSS_MECH_KRB5" => Some("krb5"),
            "GSS_MECH_SPNEGO" => Some("spnego"),
            "GSS_MECH_IAKERB" => Some("iakerb"),
            "GSS_MECH_NTLMSSP" => Some("ntlmssp"),
            "GSS_MECH_KRB5_OLD" => Some("krb5-old"),
            "GSS_MECH_KRB5_WRONG" => Some("krb5-ms"),
            _ => None,
        }
    }

    pub(crate) fn set(mechs: &[Mechanism]) -> raw::OidSet {
        mechs.iter().map(|m| &m.oid).collect()
    }
}

impl From<Oid> for Mechanism {
    fn from(oid: Oid) -> Self {
        Mechanism { oid }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.short_name() {
            Some(n) => write!(f, "{n} ({})", self.oid),
            None => write!(f, "{}", self.oid),
        }
    }
}

impl fmt::Debug for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mechanism({self})")
    }
}
