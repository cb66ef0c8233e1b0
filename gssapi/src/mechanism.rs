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
use gssapi_raw::ext::{rfc5587, rfc5801};
use gssapi_raw::{self as raw, Oid, OidSet, misc, name};
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
    #[doc(alias = "all_mechs")]
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

    /// The mechanism of a SASL (GS2) name, e.g. `GS2-KRB5` (RFC 5801).
    pub fn from_sasl_name(sasl_name: &str) -> Result<Mechanism> {
        Ok(Mechanism::from_oid(rfc5801::inquire_mech_for_saslname(
            sasl_name.as_bytes(),
        )?))
    }

    /// The mechanisms that have every `desired` attribute, none of `except`, and know every
    /// `critical` one (RFC 5587; attributes in `gssapi::raw::ext::rfc5587::mech_attr`).
    pub fn from_attrs(
        desired: &[&Oid],
        except: &[&Oid],
        critical: &[&Oid],
    ) -> Result<Vec<Mechanism>> {
        let set = |oids: &[&Oid]| -> Option<OidSet> {
            (!oids.is_empty()).then(|| oids.iter().copied().collect())
        };
        let (d, e, c) = (set(desired), set(except), set(critical));
        Ok(
            rfc5587::indicate_mechs_by_attrs(d.as_ref(), e.as_ref(), c.as_ref())?
                .iter()
                .map(Mechanism::from_oid)
                .collect(),
        )
    }

    /// The SASL (GS2) name, e.g. `GS2-KRB5`.
    pub fn sasl_name(&self) -> Result<String> {
        let names = rfc5801::inquire_saslname_for_mech(&self.oid)?;
        Ok(String::from_utf8_lossy(&names.sasl_mech_name).into_owned())
    }

    /// The library's description of the mechanism.
    pub fn description(&self) -> Result<String> {
        let names = rfc5801::inquire_saslname_for_mech(&self.oid)?;
        Ok(String::from_utf8_lossy(&names.mech_description).into_owned())
    }

    /// The RFC 5587 attributes the mechanism has.
    pub fn attrs(&self) -> Result<Vec<Oid>> {
        Ok(rfc5587::inquire_attrs_for_mech(&self.oid)?
            .mech_attrs
            .to_vec())
    }

    /// The RFC 5587 attributes the mechanism knows about.
    pub fn known_attrs(&self) -> Result<Vec<Oid>> {
        Ok(rfc5587::inquire_attrs_for_mech(&self.oid)?
            .known_mech_attrs
            .to_vec())
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
