//! Credentials (RFC 2744 section 2.1): acquire, add, inquire.
//!
//! ```no_run
//! use gssapi_raw::{cred, CredUsage};
//!
//! // The default initiator credentials (from the default ccache).
//! let acquired = cred::acquire_cred(None, None, None, CredUsage::Initiate)?;
//! let info = cred::inquire_cred(Some(&acquired.creds))?;
//! println!("{:?} for {:?} seconds", info.name, info.lifetime);
//! # Ok::<(), gssapi_raw::Error>(())
//! ```

use crate::error::{Error, Result, call};
use crate::name::{Name, opt_name};
use crate::oid::{Oid, OidSet};
use crate::sys;
use crate::types::{CredUsage, lifetime_in, lifetime_out};
use std::fmt;
use std::ptr;

/// A credential handle (`gss_cred_id_t`), released with `gss_release_cred` on drop.
#[doc(alias = "gss_cred_id_t")]
#[doc(alias = "gss_release_cred")]
pub struct Cred {
    handle: sys::gss_cred_id_t,
}

// SAFETY: a credential is a heap object of the library, not tied to the thread that made it;
// gss_release_cred may run on any thread.
unsafe impl Send for Cred {}
// SAFETY: every function of this crate that changes a credential in place takes `&mut Cred`
// (add_cred_in_place, rfc4178::set_neg_mechs, ggf::set_cred_option,
// krb5::krb5_set_allowable_enctypes); the others only read the handle or make a new one
// (add_cred and its variants copy the input set). What the libraries do under `&Cred`:
// - MIT 1.20: a union credential (`gss_union_cred_desc`) is not written after creation. A krb5
//   credential (`krb5_gss_cred_id_rec`) is resolved lazily (kg_cred_resolve picks the ccache
//   and name, refreshes tickets), always under its `k5_mutex` `lock`, taken by
//   krb5_gss_validate_cred_1: gss_init_sec_context holds it through the first step, and
//   accept, inquire_cred, export_cred and store_cred take it too. Its ccache (a MEMORY or FILE
//   cache) has its own lock.
// - Heimdal 7.8: the mechglue credential (`struct _gss_cred`, its `gc_mc` list) is written
//   only when made (acquire, add, import). A krb5 credential (`gsskrb5_cred`) is written after
//   creation only by add_cred into that same handle, set_cred_option and store_cred, which
//   take its `cred_id_mutex` (so do inquire_cred, inquire_cred_by_oid, copy_ccache); init and
//   accept read its fields without the lock, which is sound because nothing writes them while
//   the handle is shared (those writers take `&mut` here, or make a new handle). A SPNEGO
//   credential is a mechglue credential of the other mechanisms. A MEMORY ccache has its own
//   mutex. With a FILE ccache, helgrind reports an unlocked 4-byte write inside libkrb5
//   (under krb5_cc_retrieve_cred and krb5_get_credentials_with_flags, same address from every
//   thread; Heimdal's libkrb5 has no symbols here, so the field is not pinned down): a race of
//   the library on the cache object, which ci/helgrind.sh avoids by sharing a MEMORY ccache.
unsafe impl Sync for Cred {}

impl Cred {
    pub(crate) fn null() -> Cred {
        Cred {
            handle: ptr::null_mut(),
        }
    }

    pub(crate) fn into_option(self) -> Option<Cred> {
        (!self.handle.is_null()).then_some(self)
    }

    pub(crate) fn as_out_ptr(&mut self) -> *mut sys::gss_cred_id_t {
        debug_assert!(self.handle.is_null(), "output credential reused");
        &mut self.handle
    }

    /// The raw handle, for C APIs outside this crate. It stays owned by this `Cred`.
    pub fn as_raw(&self) -> sys::gss_cred_id_t {
        self.handle
    }

    /// The handle's address, for C calls that may replace it.
    #[cfg_attr(not(gss_has = "set_cred_opt"), allow(dead_code))]
    pub(crate) fn handle_mut(&mut self) -> &mut sys::gss_cred_id_t {
        &mut self.handle
    }
}

/// The pointer for an optional credential: `None` is `GSS_C_NO_CREDENTIAL` (the default).
pub(crate) fn opt_cred(cred: Option<&Cred>) -> sys::gss_cred_id_t {
    cred.map_or(sys::GSS_C_NO_CREDENTIAL, Cred::as_raw)
}

impl Drop for Cred {
    fn drop(&mut self) {
        if !self.handle.is_null() {
            let mut minor = 0;
            // SAFETY: the handle came from the library and is released once, here.
            unsafe { sys::gss_release_cred(&mut minor, &mut self.handle) };
        }
    }
}

impl fmt::Debug for Cred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cred({:p})", self.handle)
    }
}

/// The result of [`acquire_cred`] and the other acquire calls (python-gssapi:
/// `AcquireCredResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct AcquireCred {
    /// The credentials.
    pub creds: Cred,
    /// The mechanisms they can be used with.
    pub mechs: OidSet,
    /// Their lifetime in seconds; `None` for indefinite.
    pub lifetime: Option<u32>,
}

/// The result of [`add_cred`] and the other add calls (python-gssapi: `AddCredResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct AddCred {
    /// The new credential set (the input set plus the added element).
    pub creds: Cred,
    /// The mechanisms the new set can be used with.
    pub mechs: OidSet,
    /// Initiator lifetime in seconds; `None` for indefinite.
    pub init_lifetime: Option<u32>,
    /// Acceptor lifetime in seconds; `None` for indefinite.
    pub accept_lifetime: Option<u32>,
}

/// The result of [`inquire_cred`] (python-gssapi: `InquireCredResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InquireCred {
    /// The principal the credentials are for.
    pub name: Option<Name>,
    /// Remaining lifetime in seconds; `None` for indefinite.
    pub lifetime: Option<u32>,
    /// What they may be used for.
    pub usage: CredUsage,
    /// The mechanisms they can be used with.
    pub mechs: OidSet,
}

/// The result of [`inquire_cred_by_mech`] (python-gssapi: `InquireCredByMechResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InquireCredByMech {
    /// The principal for this mechanism.
    pub name: Option<Name>,
    /// Initiator lifetime in seconds; `None` for indefinite.
    pub init_lifetime: Option<u32>,
    /// Acceptor lifetime in seconds; `None` for indefinite.
    pub accept_lifetime: Option<u32>,
    /// What they may be used for.
    pub usage: CredUsage,
}

impl AcquireCred {
    /// The result of an acquire call from its raw outputs.
    pub(crate) fn from_outputs(creds: Cred, mechs: OidSet, time_rec: u32) -> AcquireCred {
        AcquireCred {
            creds,
            mechs,
            lifetime: lifetime_out(time_rec),
        }
    }
}

impl AddCred {
    /// The result of an add call from its raw outputs.
    pub(crate) fn from_outputs(
        creds: Cred,
        mechs: OidSet,
        init_rec: u32,
        accept_rec: u32,
    ) -> AddCred {
        AddCred {
            creds,
            mechs,
            init_lifetime: lifetime_out(init_rec),
            accept_lifetime: lifetime_out(accept_rec),
        }
    }
}

pub(crate) fn usage_out(usage: sys::gss_cred_usage_t) -> CredUsage {
    CredUsage::try_from(usage).unwrap_or(CredUsage::Both)
}

/// Acquires credentials for `name` (`None`: the default principal), with a lifetime in seconds
/// (`None`: as long as possible), for `mechs` (`None`: the default set).
#[doc(alias = "gss_acquire_cred")]
pub fn acquire_cred(
    name: Option<&Name>,
    lifetime: Option<u32>,
    mechs: Option<&OidSet>,
    usage: CredUsage,
) -> Result<AcquireCred> {
    let mut creds = Cred::null();
    let mut actual_mechs = OidSet::null();
    let mut time_rec = 0;
    call("gss_acquire_cred", |minor| {
        // SAFETY: inputs are valid handles or null; outputs are owned by their wrappers.
        unsafe {
            sys::gss_acquire_cred(
                minor,
                opt_name(name),
                lifetime_in(lifetime),
                mechs.map_or(sys::GSS_C_NO_OID_SET, OidSet::as_ptr),
                usage.into(),
                creds.as_out_ptr(),
                actual_mechs.as_out_ptr(),
                &mut time_rec,
            )
        }
    })?;
    Ok(AcquireCred::from_outputs(creds, actual_mechs, time_rec))
}

/// Adds a credential element for one mechanism to a copy of `input` (`None`: to a copy of the
/// default credentials), returning the new set; `input` is unchanged.
#[doc(alias = "gss_add_cred")]
pub fn add_cred(
    input: Option<&Cred>,
    name: Option<&Name>,
    mech: &Oid,
    usage: CredUsage,
    init_lifetime: Option<u32>,
    accept_lifetime: Option<u32>,
) -> Result<AddCred> {
    refuse_negotiation_mech("gss_add_cred", mech)?;
    let mut creds = Cred::null();
    let mut mechs = OidSet::null();
    let (mut init_rec, mut accept_rec) = (0, 0);
    call("gss_add_cred", |minor| {
        // SAFETY: inputs are valid handles or null; outputs are owned by their wrappers.
        unsafe {
            sys::gss_add_cred(
                minor,
                opt_cred(input),
                opt_name(name),
                mech.as_ptr(),
                usage.into(),
                lifetime_in(init_lifetime),
                lifetime_in(accept_lifetime),
                creds.as_out_ptr(),
                mechs.as_out_ptr(),
                &mut init_rec,
                &mut accept_rec,
            )
        }
    })?;
    Ok(AddCred::from_outputs(creds, mechs, init_rec, accept_rec))
}

/// The result of [`add_cred_in_place`]: what [`AddCred`] has, less the new handle.
#[derive(Debug)]
#[non_exhaustive]
pub struct AddCredInPlace {
    /// The mechanisms the changed set can be used with.
    pub mechs: OidSet,
    /// Initiator lifetime in seconds; `None` for indefinite.
    pub init_lifetime: Option<u32>,
    /// Acceptor lifetime in seconds; `None` for indefinite.
    pub accept_lifetime: Option<u32>,
}

/// Adds a credential element to `cred` in place (python-gssapi: `add_cred(...,
/// mutate_input=True)`).
#[doc(alias = "gss_add_cred")]
pub fn add_cred_in_place(
    cred: &mut Cred,
    name: Option<&Name>,
    mech: &Oid,
    usage: CredUsage,
    init_lifetime: Option<u32>,
    accept_lifetime: Option<u32>,
) -> Result<AddCredInPlace> {
    refuse_negotiation_mech("gss_add_cred", mech)?;
    // Heimdal dereferences a null output handle, so there the new set replaces the old one;
    // MIT changes the credential in place. Either way `cred` ends up holding the grown set.
    if crate::sys::is_heimdal() {
        let added = add_cred(
            Some(cred),
            name,
            mech,
            usage,
            init_lifetime,
            accept_lifetime,
        )?;
        *cred = added.creds;
        return Ok(AddCredInPlace {
            mechs: added.mechs,
            init_lifetime: added.init_lifetime,
            accept_lifetime: added.accept_lifetime,
        });
    }
    let mut mechs = OidSet::null();
    let (mut init_rec, mut accept_rec) = (0, 0);
    call("gss_add_cred", |minor| {
        // SAFETY: `cred` is a valid handle we own exclusively (`&mut`); with a null output
        // handle MIT adds the element to it. Other outputs are owned by their wrappers.
        unsafe {
            sys::gss_add_cred(
                minor,
                cred.handle,
                opt_name(name),
                mech.as_ptr(),
                usage.into(),
                lifetime_in(init_lifetime),
                lifetime_in(accept_lifetime),
                ptr::null_mut(),
                mechs.as_out_ptr(),
                &mut init_rec,
                &mut accept_rec,
            )
        }
    })?;
    Ok(AddCredInPlace {
        mechs,
        init_lifetime: lifetime_out(init_rec),
        accept_lifetime: lifetime_out(accept_rec),
    })
}

/// What a credential is (`None`: the default credentials).
#[doc(alias = "gss_inquire_cred")]
pub fn inquire_cred(cred: Option<&Cred>) -> Result<InquireCred> {
    let mut name = Name::null();
    let mut lifetime = 0;
    let mut usage = 0;
    let mut mechs = OidSet::null();
    call("gss_inquire_cred", |minor| {
        // SAFETY: the handle is valid or null; outputs are owned by their wrappers.
        unsafe {
            sys::gss_inquire_cred(
                minor,
                opt_cred(cred),
                name.as_out_ptr(),
                &mut lifetime,
                &mut usage,
                mechs.as_out_ptr(),
            )
        }
    })?;
    Ok(InquireCred {
        name: name.into_option(),
        lifetime: lifetime_out(lifetime),
        usage: usage_out(usage),
        mechs,
    })
}

/// What a credential is for one mechanism (`None`: the default credentials).
#[doc(alias = "gss_inquire_cred_by_mech")]
pub fn inquire_cred_by_mech(cred: Option<&Cred>, mech: &Oid) -> Result<InquireCredByMech> {
    let mut name = Name::null();
    let (mut init, mut accept, mut usage) = (0, 0, 0);
    call("gss_inquire_cred_by_mech", |minor| {
        // SAFETY: the handle is valid or null, the OID valid; outputs are owned by wrappers.
        unsafe {
            sys::gss_inquire_cred_by_mech(
                minor,
                opt_cred(cred),
                mech.as_ptr(),
                name.as_out_ptr(),
                &mut init,
                &mut accept,
                &mut usage,
            )
        }
    })?;
    Ok(InquireCredByMech {
        name: name.into_option(),
        init_lifetime: lifetime_out(init),
        accept_lifetime: lifetime_out(accept),
        usage: usage_out(usage),
    })
}

/// On Heimdal (7.8), adding a credential element for SPNEGO recurses without end: the SPNEGO
/// mechanism's `add_cred` is the glue's `gss_add_cred`, which calls it again (a stack
/// overflow that aborts the process). Refused there with `BadMech`; acquire credentials for
/// SPNEGO with `acquire_cred` and a mechanism set instead.
pub(crate) fn refuse_negotiation_mech(function: &'static str, mech: &Oid) -> Result<()> {
    if crate::name::unusable_name_mech(mech.as_bytes()) {
        return Err(Error::rejected(
            function,
            sys::GSS_S_BAD_MECH,
            "this library cannot add a credential element for a negotiation mechanism",
        ));
    }
    Ok(())
}
