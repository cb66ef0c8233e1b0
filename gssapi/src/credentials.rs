//! Credentials: what a side proves its identity with (a ticket cache, a keytab).
//!
//! ```no_run
//! use gssapi::{Credentials, CredUsage, Name};
//!
//! // The default initiator credentials (KRB5CCNAME's tickets).
//! let mine = Credentials::builder().usage(CredUsage::Initiate).acquire()?;
//! println!("{} for {:?} more seconds", mine.name()?, mine.lifetime()?);
//!
//! // Acceptor credentials for one service (from the default keytab).
//! let http = Name::hostbased_service("HTTP@www.example.com")?;
//! let server = Credentials::builder().name(&http).usage(CredUsage::Accept).acquire()?;
//! # Ok::<(), gssapi::Error>(())
//! ```

use crate::Result;
use crate::mechanism::Mechanism;
use crate::name::Name;
use crate::trace;
use gssapi_raw::ext::{cred_imp_exp, cred_store, password, rfc5588, s4u};
use gssapi_raw::{self as raw, cred};
use std::sync::Arc;
use zeroize::Zeroizing;

pub use raw::CredUsage;
pub use raw::ext::cred_store::CredStore;

/// Credentials for one or more mechanisms. Cheap to clone (shared) and `Send + Sync`: MIT and
/// Heimdal lock a credential while contexts use it, so one acceptor credential can serve many
/// threads at once.
#[derive(Clone, Debug)]
pub struct Credentials {
    inner: Arc<raw::Cred>,
}

/// What [`Credentials::inquire`] reports.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CredentialsInfo {
    /// The principal.
    pub name: Option<Name>,
    /// Remaining lifetime in seconds; `None` for indefinite.
    pub lifetime: Option<u32>,
    /// What the credentials may be used for.
    pub usage: CredUsage,
    /// The mechanisms they work with.
    pub mechs: Vec<Mechanism>,
}

/// What [`Credentials::inquire_by_mech`] reports.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MechCredentialsInfo {
    /// The principal for this mechanism.
    pub name: Option<Name>,
    /// Initiator lifetime in seconds; `None` for indefinite.
    pub init_lifetime: Option<u32>,
    /// Acceptor lifetime in seconds; `None` for indefinite.
    pub accept_lifetime: Option<u32>,
    /// What they may be used for.
    pub usage: CredUsage,
}

/// Builds a credential acquisition (python-gssapi: `Credentials(name=..., lifetime=...,
/// mechs=..., usage=...)`).
#[derive(Clone, Default)]
#[must_use = "call .acquire() to get the credentials"]
pub struct CredentialsBuilder {
    name: Option<Name>,
    lifetime: Option<u32>,
    mechs: Vec<Mechanism>,
    usage: CredUsage,
    store: Option<CredStore>,
    password: Option<Zeroizing<Vec<u8>>>,
    impersonator: Option<Credentials>,
    negotiable: Vec<Mechanism>,
}

impl std::fmt::Debug for CredentialsBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsBuilder")
            .field("name", &self.name)
            .field("lifetime", &self.lifetime)
            .field("mechs", &self.mechs)
            .field("usage", &self.usage)
            .field("store", &self.store)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("impersonator", &self.impersonator)
            .field("negotiable", &self.negotiable)
            .finish()
    }
}

impl CredentialsBuilder {
    /// Whose credentials (default: the default principal, e.g. the ccache's).
    pub fn name(mut self, name: &Name) -> Self {
        self.name = Some(name.clone());
        self
    }

    /// Desired lifetime in seconds (default: as long as possible).
    pub fn lifetime(mut self, seconds: u32) -> Self {
        self.lifetime = Some(seconds);
        self
    }

    /// Restrict to this mechanism (may be called several times; default: the library's set).
    pub fn mech(mut self, mech: &Mechanism) -> Self {
        self.mechs.push(mech.clone());
        self
    }

    /// Initiate, accept, or both (default: both).
    pub fn usage(mut self, usage: CredUsage) -> Self {
        self.usage = usage;
        self
    }

    /// Take the credentials from an explicit store (ccache, keytab, ...) instead of the
    /// process environment (MIT's credential store extension).
    pub fn store(mut self, store: CredStore) -> Self {
        self.store = Some(store);
        self
    }

    /// Authenticate `name` with a password (a kinit in the process). The builder keeps its copy
    /// in memory that is wiped on drop.
    pub fn password(mut self, password: &[u8]) -> Self {
        self.password = Some(Zeroizing::new(password.to_vec()));
        self
    }

    /// Impersonate `name` with the service credentials `impersonator` (S4U2Self).
    pub fn impersonate(mut self, impersonator: &Credentials) -> Self {
        self.impersonator = Some(impersonator.clone());
        self
    }

    /// Let SPNEGO negotiate only these mechanisms with the credentials (RFC 4178
    /// `gss_set_neg_mechs`; MIT): may be called several times. The equivalent of
    /// `gss-client -spnego -mech krb5` is credentials with
    /// `.negotiable_mech(&Mechanism::KERBEROS)` and an initiator with
    /// `.mech(&Mechanism::SPNEGO)`. On Heimdal, which lacks the call, `acquire` fails with the
    /// library's `Unavailable` error.
    pub fn negotiable_mech(mut self, mech: &Mechanism) -> Self {
        self.negotiable.push(mech.clone());
        self
    }

    /// Acquires the credentials: `gss_acquire_cred`, or `gss_acquire_cred_from` with a store,
    /// `gss_acquire_cred_with_password` with a password, `gss_acquire_cred_impersonate_name`
    /// with an impersonator.
    pub fn acquire(self) -> Result<Credentials> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.acquire_credentials",
                source = self.source(),
                name = self.name.as_ref().map(tracing::field::display),
                usage = ?self.usage,
                mechs = ?self.mechs,
                lifetime = self.lifetime,
                negotiable = ?self.negotiable,
            )
        );
        let result = self.acquire_inner();
        trace::failed!("acquire_credentials", &result);
        result
    }
    /// Where the credentials come from, for the span of [`acquire`](Self::acquire) (a word:
    /// never the password, nor the store's values).
    #[cfg(feature = "tracing")]
    fn source(&self) -> &'static str {
        match (&self.store, &self.password, &self.impersonator) {
            (None, None, None) => "default",
            (Some(_), None, None) => "store",
            (None, Some(_), None) => "password",
            (None, None, Some(_)) => "impersonation",
            _ => "conflicting",
        }
    }
    fn acquire_inner(self) -> Result<Credentials> {
        let mechs = (!self.mechs.is_empty()).then(|| Mechanism::set(&self.mechs));
        let name = self.name.as_ref().map(Name::as_raw);
        let misuse = |reason| crate::Error::State {
            operation: "CredentialsBuilder::acquire",
            reason,
        };
        let acquired = match (&self.store, &self.password, &self.impersonator) {
            (None, None, None) => {
                cred::acquire_cred(name, self.lifetime, mechs.as_ref(), self.usage)?
            }
            (Some(store), None, None) => cred_store::acquire_cred_from(
                Some(store),
                name,
                self.lifetime,
                mechs.as_ref(),
                self.usage,
            )?,
            (None, Some(pw), None) => password::acquire_cred_with_password(
                name.ok_or_else(|| misuse("a password needs the name it belongs to"))?,
                pw,
                self.lifetime,
                mechs.as_ref(),
                self.usage,
            )?,
            (None, None, Some(service)) => s4u::acquire_cred_impersonate_name(
                service.as_raw(),
                name.ok_or_else(|| misuse("impersonation needs the name of the user"))?,
                self.lifetime,
                mechs.as_ref(),
                self.usage,
            )?,
            _ => {
                return Err(misuse(
                    "store, password and impersonate are different ways to acquire: use one",
                ));
            }
        };
        let mut creds = acquired.creds;
        if !self.negotiable.is_empty() {
            gssapi_raw::ext::rfc4178::set_neg_mechs(&mut creds, &Mechanism::set(&self.negotiable))?;
        }
        Ok(Credentials::from_raw(creds))
    }
}

impl Credentials {
    /// A builder for acquiring credentials.
    pub fn builder() -> CredentialsBuilder {
        CredentialsBuilder::default()
    }

    /// The default credentials for `usage`.
    pub fn acquire(usage: CredUsage) -> Result<Credentials> {
        Credentials::builder().usage(usage).acquire()
    }

    /// Acceptor credentials from the keys of a keytab, given by name (`FILE:/etc/krb5.keytab`,
    /// `MEMORY:...`), without the process environment (`gss_krb5_import_cred`): works on MIT
    /// and on Heimdal, which has no credential store. MIT checks the keytab now; Heimdal
    /// only when a token is accepted.
    pub fn acceptor_from_keytab(keytab: &str) -> Result<Credentials> {
        Ok(Credentials::from_raw(
            raw::ext::krb5::krb5_import_cred_by_name(None, Some(keytab))?,
        ))
    }

    /// Initiator credentials from a Kerberos ccache, given by name (`FILE:...`, `MEMORY:...`),
    /// without the process environment (`gss_krb5_import_cred`). MIT, as with default
    /// credentials, may fill an empty ccache from the default client keytab; a credential
    /// store with `client_keytab` set avoids that where there is one.
    pub fn initiator_from_ccache(ccache: &str) -> Result<Credentials> {
        Ok(Credentials::from_raw(
            raw::ext::krb5::krb5_import_cred_by_name(Some(ccache), None)?,
        ))
    }

    /// Credentials from a gssapi-raw credential, so credentials from any raw extension work
    /// with [`crate::SecurityContext`] and the rest of this crate.
    pub fn from_raw(raw: raw::Cred) -> Credentials {
        Credentials {
            inner: Arc::new(raw),
        }
    }

    /// The gssapi-raw credential, for raw calls that change it in place
    /// (`rfc4178::set_neg_mechs`, `krb5::krb5_set_allowable_enctypes`, ...). Credentials are
    /// shared by their clones, and GSSAPI cannot copy a credential: while other clones exist
    /// this gives the credentials back as `Err`.
    pub fn into_raw(self) -> std::result::Result<raw::Cred, Credentials> {
        Arc::try_unwrap(self.inner).map_err(|inner| Credentials { inner })
    }

    /// The raw handle, for gssapi-raw calls.
    pub fn as_raw(&self) -> &raw::Cred {
        &self.inner
    }

    /// Everything the library says about these credentials.
    pub fn inquire(&self) -> Result<CredentialsInfo> {
        let info = cred::inquire_cred(Some(&self.inner))?;
        Ok(CredentialsInfo {
            name: info.name.map(Name::from_raw),
            lifetime: info.lifetime,
            usage: info.usage,
            mechs: info.mechs.iter().map(Mechanism::from_oid).collect(),
        })
    }

    /// What the credentials are for one mechanism.
    pub fn inquire_by_mech(&self, mech: &Mechanism) -> Result<MechCredentialsInfo> {
        let info = cred::inquire_cred_by_mech(Some(&self.inner), mech.oid())?;
        Ok(MechCredentialsInfo {
            name: info.name.map(Name::from_raw),
            init_lifetime: info.init_lifetime,
            accept_lifetime: info.accept_lifetime,
            usage: info.usage,
        })
    }

    /// The principal.
    pub fn name(&self) -> Result<Name> {
        self.inquire()?.name.ok_or(crate::Error::State {
            operation: "Credentials::name",
            reason: "the library reported no name for these credentials",
        })
    }

    /// Remaining lifetime in seconds; `None` for indefinite.
    pub fn lifetime(&self) -> Result<Option<u32>> {
        Ok(self.inquire()?.lifetime)
    }

    /// What the credentials may be used for.
    pub fn usage(&self) -> Result<CredUsage> {
        Ok(self.inquire()?.usage)
    }

    /// The mechanisms they work with.
    pub fn mechs(&self) -> Result<Vec<Mechanism>> {
        Ok(self.inquire()?.mechs)
    }

    /// Stores these credentials (python-gssapi: `store`; `gss_store_cred_into`, or
    /// `gss_store_cred` for the default store), for example delegated credentials into a
    /// per-request ccache ([`crate::TemporaryCcache::store`] does that in one call):
    ///
    /// ```no_run
    /// # fn f(delegated: &gssapi::Credentials) -> Result<(), gssapi::Error> {
    /// use gssapi::CredStore;
    /// let mechs = delegated
    ///     .store()
    ///     .into_store(CredStore::new().ccache("MEMORY:request-42"))
    ///     .run()?;
    /// # Ok(()) }
    /// ```
    ///
    /// Defaults: the mechanism's default store, every mechanism, [`CredUsage::Initiate`],
    /// overwriting what is there, not made the default credentials.
    pub fn store(&self) -> StoreCredentials<'_> {
        StoreCredentials {
            creds: self,
            store: None,
            usage: CredUsage::Initiate,
            mech: None,
            overwrite: true,
            make_default: false,
        }
    }

    /// Serializes the credentials for another process (the token may hold key material).
    pub fn export(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut token = cred_imp_exp::export_cred(&self.inner)?;
        let copy = Zeroizing::new(token.to_vec());
        token.wipe();
        Ok(copy)
    }

    /// Credentials from a token made by [`Credentials::export`].
    ///
    /// Only import a token from a trusted source: the format is the library's own and its
    /// importer is not hardened against damaged input (MIT 1.20 crashes on some). For tokens
    /// that pass through storage or another party, use
    /// [`export_sealed`](Credentials::export_sealed) and [`import_sealed`](Credentials::import_sealed).
    pub fn import(token: &[u8]) -> Result<Credentials> {
        Ok(Credentials::from_raw(cred_imp_exp::import_cred(token)?))
    }

    /// [`export`](Credentials::export), sealed under `key` (authenticated encryption): safe to
    /// store or hand on, since only a token sealed under the same key opens again.
    #[cfg(feature = "sealed")]
    pub fn export_sealed(&self, key: &crate::SealingKey) -> Result<Vec<u8>> {
        let token = self.export()?;
        Ok(crate::sealed::seal(
            key,
            crate::sealed::Sealed::Credentials,
            &token,
        ))
    }

    /// Credentials from [`export_sealed`](Credentials::export_sealed): a token that was
    /// changed, cut, sealed under another key or sealed as a context is [`Error::Unsealed`],
    /// and the library never sees it.
    ///
    /// [`Error::Unsealed`]: crate::Error::Unsealed
    #[cfg(feature = "sealed")]
    pub fn import_sealed(key: &crate::SealingKey, sealed: &[u8]) -> Result<Credentials> {
        let token = crate::sealed::open(key, crate::sealed::Sealed::Credentials, sealed)?;
        Credentials::import(&token)
    }

    /// New credentials: these plus an element for `mech` (python-gssapi: `creds.add(...)`;
    /// `gss_add_cred`); `self` is unchanged.
    ///
    /// ```no_run
    /// # fn f(client: &gssapi::Credentials) -> Result<(), gssapi::Error> {
    /// use gssapi::{CredUsage, Mechanism, Name};
    /// let host = Name::hostbased_service("host@server.example.com")?;
    /// let both = client
    ///     .add(&Mechanism::KERBEROS)
    ///     .name(&host)
    ///     .usage(CredUsage::Accept)
    ///     .run()?;
    /// # drop(both); Ok(()) }
    /// ```
    ///
    /// Defaults: the default name, [`CredUsage::Both`], no lifetime limits.
    pub fn add(&self, mech: &Mechanism) -> AddCredentials<'_> {
        AddCredentials {
            creds: self,
            mech: mech.clone(),
            name: None,
            usage: CredUsage::Both,
            init_lifetime: None,
            accept_lifetime: None,
        }
    }
}

/// A credential element to add: made by [`Credentials::add`], run by
/// [`run`](AddCredentials::run).
#[derive(Debug)]
#[must_use = "nothing is added until `run` is called"]
pub struct AddCredentials<'a> {
    creds: &'a Credentials,
    mech: Mechanism,
    name: Option<Name>,
    usage: CredUsage,
    init_lifetime: Option<u32>,
    accept_lifetime: Option<u32>,
}

impl AddCredentials<'_> {
    /// Whose element (default: the default principal).
    pub fn name(mut self, name: &Name) -> Self {
        self.name = Some(name.clone());
        self
    }

    /// Initiate, accept or both (default: both).
    pub fn usage(mut self, usage: CredUsage) -> Self {
        self.usage = usage;
        self
    }

    /// How long the element should initiate, in seconds (default: no limit).
    pub fn init_lifetime(mut self, seconds: u32) -> Self {
        self.init_lifetime = Some(seconds);
        self
    }

    /// How long the element should accept, in seconds (default: no limit).
    pub fn accept_lifetime(mut self, seconds: u32) -> Self {
        self.accept_lifetime = Some(seconds);
        self
    }

    /// Adds it; returns the new credentials.
    pub fn run(self) -> Result<Credentials> {
        let added = cred::add_cred(
            Some(&self.creds.inner),
            self.name.as_ref().map(Name::as_raw),
            self.mech.oid(),
            self.usage,
            self.init_lifetime,
            self.accept_lifetime,
        )?;
        Ok(Credentials::from_raw(added.creds))
    }
}

/// Where and how to store credentials: made by [`Credentials::store`], run by
/// [`run`](StoreCredentials::run).
#[derive(Debug)]
#[must_use = "nothing is stored until `run` is called"]
pub struct StoreCredentials<'a> {
    creds: &'a Credentials,
    store: Option<CredStore>,
    usage: CredUsage,
    mech: Option<Mechanism>,
    overwrite: bool,
    make_default: bool,
}

impl StoreCredentials<'_> {
    /// Store into this credential store (e.g. `CredStore::new().ccache("MEMORY:x")`) instead
    /// of the mechanism's default store (`store=` in python-gssapi).
    pub fn into_store(mut self, store: CredStore) -> Self {
        self.store = Some(store);
        self
    }

    /// Which elements to store (`usage=`; default [`CredUsage::Initiate`]).
    pub fn usage(mut self, usage: CredUsage) -> Self {
        self.usage = usage;
        self
    }

    /// Store only the element of this mechanism (`mech=`; default: every mechanism).
    pub fn mech(mut self, mech: &Mechanism) -> Self {
        self.mech = Some(mech.clone());
        self
    }

    /// Whether to replace credentials already in the store (`overwrite=`; default `true`).
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// Whether to make them the default credentials of the store (`set_default=`; default
    /// `false`).
    pub fn make_default(mut self, make_default: bool) -> Self {
        self.make_default = make_default;
        self
    }

    /// Stores them; returns the mechanisms stored.
    pub fn run(self) -> Result<Vec<Mechanism>> {
        let mech = self.mech.as_ref().map(Mechanism::oid);
        let stored = match &self.store {
            Some(store) => cred_store::store_cred_into(
                Some(store),
                &self.creds.inner,
                self.usage,
                mech,
                self.overwrite,
                self.make_default,
            )?,
            None => rfc5588::store_cred(
                &self.creds.inner,
                self.usage,
                mech,
                self.overwrite,
                self.make_default,
            )?,
        };
        Ok(stored.mechs.iter().map(Mechanism::from_oid).collect())
    }
}
