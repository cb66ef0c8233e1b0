//! Temporary credential caches: a uniquely named `MEMORY:` ccache that is destroyed on drop.
//!
//! ```no_run
//! use gssapi::{SecurityContext, TemporaryCcache};
//!
//! # fn handle(server: &SecurityContext) -> Result<(), gssapi::Error> {
//! // A server that received delegated credentials keeps them for this request only.
//! if let Some(delegated) = server.delegated_credentials()? {
//!     let ccache = TemporaryCcache::new();
//!     ccache.store(&delegated)?;
//!     let as_user = ccache.credentials()?; // authenticate onward as the user
//!     // ... `ccache.name()` can go to code that wants a ccache name (KRB5CCNAME-style) ...
//!     # drop(as_user);
//! } // the ccache and the user's tickets in it are destroyed here
//! # Ok(()) }
//! ```
//!
//! GSSAPI can write a ccache (`gss_store_cred_into`) but has no call to destroy one, so a
//! `MEMORY:` ccache written per request lives as long as the process: a leak, and the user's
//! tickets kept in memory. The destroy is libkrb5's `krb5_cc_destroy`
//! (gssapi-raw's `krb5_destroy_ccache`). No environment variable is read or set: concurrent
//! requests each have their own ccache.

use crate::credentials::{CredStore, CredUsage, Credentials};
use crate::{Error, Result};
use gssapi_raw::ext::krb5 as raw_krb5;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(0);
/// Temporary ccaches made and not yet destroyed.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// A `MEMORY:` ccache with a name unique in this process, destroyed on drop.
#[derive(Debug)]
pub struct TemporaryCcache {
    name: String,
    destroyed: bool,
}

impl Default for TemporaryCcache {
    fn default() -> Self {
        TemporaryCcache::new()
    }
}

impl TemporaryCcache {
    /// A new, empty ccache (`MEMORY:gssapi-rs-<pid>-<n>`; memory ccaches are private to the
    /// process, so the name only has to be unique in it).
    pub fn new() -> TemporaryCcache {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(1, Ordering::Relaxed);
        TemporaryCcache {
            name: format!("MEMORY:gssapi-rs-{}-{n}", std::process::id()),
            destroyed: false,
        }
    }

    /// How many [`TemporaryCcache`]s of this process exist and are not destroyed yet: 0 once
    /// every one was dropped or destroyed. For a server's health check, and for tests that
    /// count what requests left behind. (libkrb5 cannot list memory ccaches: MIT's ccache
    /// collection does not visit the `MEMORY:` type.)
    ///
    /// ```
    /// use gssapi::TemporaryCcache;
    ///
    /// let before = TemporaryCcache::live();
    /// let (a, b) = (TemporaryCcache::new(), TemporaryCcache::new());
    /// assert_eq!(TemporaryCcache::live(), before + 2);
    /// drop(a);
    /// b.destroy().expect("destroyed");
    /// assert_eq!(TemporaryCcache::live(), before);
    /// ```
    pub fn live() -> usize {
        LIVE.load(Ordering::Relaxed)
    }

    /// The ccache's full name, `MEMORY:...`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A credential store naming this ccache, for [`crate::CredentialsBuilder::store`] and
    /// [`crate::StoreCredentials::into_store`].
    pub fn cred_store(&self) -> CredStore {
        CredStore::new().ccache(&self.name)
    }

    /// Stores `creds` (their initiator elements, e.g. delegated credentials) in this ccache,
    /// replacing what it held.
    ///
    /// MIT: `gss_store_cred_into`. Heimdal 7.8, which lacks it: `gss_krb5_copy_ccache`.
    pub fn store(&self, creds: &Credentials) -> Result<()> {
        match creds.store().into_store(self.cred_store()).run() {
            Ok(_) => Ok(()),
            Err(e) if e.gss().is_some_and(|g| g.is_unavailable_in_library()) => {
                raw_krb5::krb5_copy_ccache(creds.as_raw(), &self.name).map_err(Error::from)
            }
            Err(e) => Err(e),
        }
    }

    /// Initiator credentials from this ccache, and only from it: an empty ccache is an error.
    ///
    /// (MIT would otherwise fill an empty ccache from the default client keytab, so a server
    /// whose user's delegated credentials are missing would act as itself. The store names an
    /// empty in-memory client keytab to rule that out.)
    ///
    /// Heimdal 7.8 has no credential store: there they come from `gss_krb5_import_cred`, and
    /// hold a Kerberos element only (initiate with [`crate::Mechanism::KERBEROS`]).
    pub fn credentials(&self) -> Result<Credentials> {
        let acquired = Credentials::builder()
            .store(
                self.cred_store()
                    .client_keytab("MEMORY:gssapi-rs-no-client-keytab"),
            )
            .usage(CredUsage::Initiate)
            .acquire();
        match acquired {
            Err(e) if e.gss().is_some_and(|g| g.is_unavailable_in_library()) => {
                Credentials::initiator_from_ccache(&self.name)
            }
            other => other,
        }
    }

    /// Destroys the ccache now and reports a failure (drop does the same, silently).
    pub fn destroy(mut self) -> Result<()> {
        self.destroyed = true;
        LIVE.fetch_sub(1, Ordering::Relaxed);
        raw_krb5::krb5_destroy_ccache(&self.name).map_err(Error::from)
    }
}

impl Drop for TemporaryCcache {
    fn drop(&mut self) {
        if !self.destroyed {
            LIVE.fetch_sub(1, Ordering::Relaxed);
            // Nothing to report to from a drop; `destroy` reports.
            let _ = raw_krb5::krb5_destroy_ccache(&self.name);
        }
    }
}
