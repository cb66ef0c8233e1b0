//! The credential store extension (MIT): acquire, add and store credentials with an explicit
//! store (ccache, keytab, ...) per call instead of the process environment.
//!
//! ```no_run
//! use gssapi_raw::{CredUsage, ext::cred_store::{CredStore, acquire_cred_from}};
//!
//! // Two users in one process, each from its own ccache, without touching KRB5CCNAME.
//! let alice = CredStore::new().ccache("FILE:/run/app/alice.cc");
//! let bob = CredStore::new().ccache("FILE:/run/app/bob.cc");
//! let a = acquire_cred_from(Some(&alice), None, None, None, CredUsage::Initiate)?;
//! let b = acquire_cred_from(Some(&bob), None, None, None, CredUsage::Initiate)?;
//! # Ok::<(), gssapi_raw::Error>(())
//! ```
//!
//! MIT's keys: `ccache`, `client_keytab`, `keytab`, `rcache`, `password` (with `verify`). An
//! unknown key is the library's error. Heimdal has no credential store: every function returns
//! the Unavailable error there.
//!
//! Provided by MIT krb5, not Heimdal 7.8 (extension `cred_store` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::cred::{AcquireCred, AddCred, Cred};
use crate::error::Error;
use crate::ext::rfc5588::StoreCred;
use crate::name::Name;
use crate::oid::{Oid, OidSet};
use crate::types::CredUsage;
use std::ffi::CString;
use zeroize::Zeroize;

/// A credential store: ordered key/value pairs, as `gss_key_value_set_desc`.
///
/// Values are kept as C strings; a `password` value is wiped from memory when the store is
/// dropped.
#[derive(Clone, Default)]
pub struct CredStore {
    entries: Vec<(CString, CString)>,
    invalid: Option<String>,
}

impl std::fmt::Debug for CredStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.entries {
            let shown = if k.as_bytes() == b"password" {
                "<redacted>".into()
            } else {
                v.to_string_lossy()
            };
            m.entry(&k.to_string_lossy(), &shown);
        }
        m.finish()
    }
}

impl CredStore {
    /// An empty store (the library's defaults for every key).
    pub fn new() -> CredStore {
        CredStore::default()
    }

    /// The keys MIT's krb5 mechanism understands.
    pub const KNOWN_KEYS: &'static [&'static str] = &[
        "ccache",
        "client_keytab",
        "keytab",
        "rcache",
        "password",
        "verify",
    ];

    /// Adds `key = value`, for one of [`CredStore::KNOWN_KEYS`]. MIT silently ignores keys it
    /// does not know, which would turn a typo into the default store; here an unknown key, or a
    /// key or value containing a NUL byte, makes every call with this store fail with a typed
    /// error (`Origin::Input`). Use [`CredStore::insert_any`] for another mechanism's keys.
    pub fn insert(self, key: &str, value: &str) -> CredStore {
        if !Self::KNOWN_KEYS.contains(&key) {
            let mut me = self;
            me.invalid.get_or_insert_with(|| {
                format!(
                    "unknown credential store key {key:?} (known: {})",
                    Self::KNOWN_KEYS.join(", ")
                )
            });
            return me;
        }
        self.insert_any(key, value)
    }

    /// Adds `key = value` without checking the key against MIT's list.
    pub fn insert_any(mut self, key: &str, value: &str) -> CredStore {
        match (CString::new(key), CString::new(value)) {
            (Ok(k), Ok(v)) => self.entries.push((k, v)),
            _ => {
                self.invalid.get_or_insert_with(|| {
                    format!("credential store key {key:?} or its value contains a NUL byte")
                });
            }
        }
        self
    }

    /// The credential cache, e.g. `FILE:/tmp/cc` or `MEMORY:x`.
    pub fn ccache(self, ccache: &str) -> CredStore {
        self.insert("ccache", ccache)
    }

    /// The keytab an initiator gets its tickets from (MIT's client keytab).
    pub fn client_keytab(self, keytab: &str) -> CredStore {
        self.insert("client_keytab", keytab)
    }

    /// The keytab an acceptor decrypts with.
    pub fn keytab(self, keytab: &str) -> CredStore {
        self.insert("keytab", keytab)
    }

    /// The acceptor's replay cache, e.g. `file2:/var/tmp/app_rcache` or `none`.
    pub fn rcache(self, rcache: &str) -> CredStore {
        self.insert("rcache", rcache)
    }

    /// A password for the initiator principal.
    pub fn password(self, password: &str) -> CredStore {
        self.insert("password", password)
    }

    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|(k, v)| (k.to_str().unwrap_or(""), v.to_str().unwrap_or("")))
    }

    #[cfg_attr(not(gss_has = "cred_store"), allow(dead_code))]
    fn check(&self, function: &'static str) -> Result<()> {
        match &self.invalid {
            Some(why) => Err(Error::invalid_input(function, why)),
            None => Ok(()),
        }
    }

    /// The C view, borrowing this store; valid while both live.
    #[cfg(gss_has = "cred_store")]
    fn elements(&self) -> Vec<gssapi_sys::gss_key_value_element_desc> {
        self.entries
            .iter()
            .map(|(k, v)| gssapi_sys::gss_key_value_element_desc {
                key: k.as_ptr(),
                value: v.as_ptr(),
            })
            .collect()
    }
}

impl Drop for CredStore {
    fn drop(&mut self) {
        for (k, v) in self.entries.drain(..) {
            if k.as_bytes() == b"password" {
                v.into_bytes_with_nul().zeroize();
            }
        }
    }
}

/// Runs `f` with a pointer to the C key/value set of `store` (null for `None`).
#[cfg(gss_has = "cred_store")]
fn with_store<T>(
    function: &'static str,
    store: Option<&CredStore>,
    f: impl FnOnce(gssapi_sys::gss_const_key_value_set_t) -> Result<T>,
) -> Result<T> {
    let Some(store) = store else {
        return f(std::ptr::null());
    };
    store.check(function)?;
    let mut elements = store.elements();
    let count = u32::try_from(elements.len())
        .map_err(|_| Error::invalid_input(function, "too many credential store entries"))?;
    let set = gssapi_sys::gss_key_value_set_desc {
        count,
        elements: elements.as_mut_ptr(),
    };
    f(&set)
}

/// Acquires credentials from `store` (`None`: the defaults), as `cred::acquire_cred`.
#[doc(alias = "gss_acquire_cred_from")]
pub fn acquire_cred_from(
    store: Option<&CredStore>,
    name: Option<&Name>,
    lifetime: Option<u32>,
    mechs: Option<&OidSet>,
    usage: CredUsage,
) -> Result<AcquireCred> {
    #[cfg(gss_has = "cred_store")]
    {
        resolved!(gss_acquire_cred_from);
        use crate::name::opt_name;
        use crate::types::lifetime_in;
        use crate::{call, sys};
        with_store("gss_acquire_cred_from", store, |kv| {
            let mut creds = Cred::null();
            let mut actual = OidSet::null();
            let mut time_rec = 0;
            call("gss_acquire_cred_from", |minor| {
                // SAFETY: inputs are valid handles or null; the key/value set borrows the
                // store's C strings for the call; outputs are owned by their wrappers.
                unsafe {
                    sys::gss_acquire_cred_from(
                        minor,
                        opt_name(name),
                        lifetime_in(lifetime),
                        mechs.map_or(sys::GSS_C_NO_OID_SET, OidSet::as_ptr),
                        usage.into(),
                        kv,
                        creds.as_out_ptr(),
                        actual.as_out_ptr(),
                        &mut time_rec,
                    )
                }
            })?;
            Ok(AcquireCred::from_outputs(creds, actual, time_rec))
        })
    }
    #[cfg(not(gss_has = "cred_store"))]
    unavailable!("gss_acquire_cred_from", store, name, lifetime, mechs, usage)
}

/// Adds a credential element from `store` to a copy of `input`, as `cred::add_cred`.
#[doc(alias = "gss_add_cred_from")]
#[allow(clippy::too_many_arguments)]
pub fn add_cred_from(
    store: Option<&CredStore>,
    input: Option<&Cred>,
    name: Option<&Name>,
    mech: &Oid,
    usage: CredUsage,
    init_lifetime: Option<u32>,
    accept_lifetime: Option<u32>,
) -> Result<AddCred> {
    #[cfg(gss_has = "cred_store")]
    {
        resolved!(gss_add_cred_from);
        use crate::cred::opt_cred;
        use crate::name::opt_name;
        use crate::types::lifetime_in;
        use crate::{call, sys};
        with_store("gss_add_cred_from", store, |kv| {
            let mut creds = Cred::null();
            let mut mechs = OidSet::null();
            let (mut init_rec, mut accept_rec) = (0, 0);
            call("gss_add_cred_from", |minor| {
                // SAFETY: as for acquire_cred_from.
                unsafe {
                    sys::gss_add_cred_from(
                        minor,
                        opt_cred(input),
                        opt_name(name),
                        mech.as_ptr(),
                        usage.into(),
                        lifetime_in(init_lifetime),
                        lifetime_in(accept_lifetime),
                        kv,
                        creds.as_out_ptr(),
                        mechs.as_out_ptr(),
                        &mut init_rec,
                        &mut accept_rec,
                    )
                }
            })?;
            Ok(AddCred::from_outputs(creds, mechs, init_rec, accept_rec))
        })
    }
    #[cfg(not(gss_has = "cred_store"))]
    unavailable!(
        "gss_add_cred_from",
        store,
        input,
        name,
        mech,
        usage,
        init_lifetime,
        accept_lifetime
    )
}

/// Stores `cred` into `store` (e.g. a per-request `MEMORY:` ccache for delegated credentials).
#[doc(alias = "gss_store_cred_into")]
pub fn store_cred_into(
    store: Option<&CredStore>,
    cred: &Cred,
    usage: CredUsage,
    mech: Option<&Oid>,
    overwrite: bool,
    default: bool,
) -> Result<StoreCred> {
    #[cfg(gss_has = "cred_store")]
    {
        resolved!(gss_store_cred_into);
        use crate::oid::opt_ptr;
        use crate::{call, sys};
        with_store("gss_store_cred_into", store, |kv| {
            let mut mechs = OidSet::null();
            let mut stored_usage = 0;
            call("gss_store_cred_into", |minor| {
                // SAFETY: as for acquire_cred_from.
                unsafe {
                    sys::gss_store_cred_into(
                        minor,
                        cred.as_raw(),
                        usage.into(),
                        opt_ptr(mech),
                        overwrite.into(),
                        default.into(),
                        kv,
                        mechs.as_out_ptr(),
                        &mut stored_usage,
                    )
                }
            })?;
            Ok(StoreCred::from_outputs(mechs, stored_usage))
        })
    }
    #[cfg(not(gss_has = "cred_store"))]
    unavailable!(
        "gss_store_cred_into",
        store,
        cred,
        usage,
        mech,
        overwrite,
        default
    )
}
