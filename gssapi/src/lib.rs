//! GSSAPI for application developers: names, credentials and security contexts over the
//! system library (MIT krb5 or Heimdal), with the mistakes of the C API made impossible.
//!
//! ```no_run
//! use gssapi::{Flags, Name, SecurityContext};
//!
//! fn main() -> Result<(), gssapi::Error> {
//!     // Client side: authenticate to host/server.example.com with the default ticket cache.
//!     let target = Name::hostbased_service("host@server.example.com")?;
//!     let mut client = SecurityContext::initiator(&target)
//!         .flags(Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG)
//!         .build();
//!
//!     // Server side: accept with the default keytab.
//!     let mut server = SecurityContext::acceptor(None).build();
//!
//!     // Exchange tokens (over your protocol) until both sides are done.
//!     let mut token = client.step(None)?;
//!     while let Some(to_server) = token.take() {
//!         if let Some(to_client) = server.step(Some(&to_server))? {
//!             token = client.step(Some(&to_client))?;
//!         }
//!     }
//!     assert!(client.is_complete() && server.is_complete());
//!     assert!(client.is_mutual()?); // granted, not just requested
//!     println!("server sees {}", server.initiator_name()?);
//!
//!     // Protect messages.
//!     let sealed = client.encrypt(b"hello")?;
//!     assert_eq!(&*server.decrypt(&sealed)?, b"hello");
//!     let mic = server.get_mic(b"reply")?;
//!     client.verify_mic(b"reply", &mic)?;
//!     Ok(())
//! }
//! ```
//!
//! - [`Name`]: principals and services; `Display`, equality through the library, canonical and
//!   exported forms.
//! - [`Credentials`]: acquire and inquire; cheap to clone and shared across threads.
//! - [`SecurityContext`]: `step()` until complete, then `wrap`/`unwrap`, `encrypt`/`decrypt`,
//!   `get_mic`/`verify_mic`, export/import. Calls that make no sense yet (or any more) fail with
//!   [`Error::State`] before touching the library.
//! - [`Mechanism`]: Kerberos, SPNEGO and the rest.
//! - [`sasl`]: the SASL `GSSAPI` mechanism (RFC 4752), sans-IO, client and server, with the
//!   security layer after the exchange.
//! - [`ssh`]: SSH `gssapi-with-mic` (RFC 4462), sans-IO, client and server with delegated
//!   credentials in a per-session ccache; the message codecs and the `gss-keyex` names.
//! - [`Error`]: the library's errors with all their typed views, plus this crate's own.
//! - Feature `tracing`: spans for each step, acquisition and SASL or SSH round, with
//!   mechanisms, flags, lengths and status codes, never a token, key, password or plaintext
//!   (`docs/tracing.md`).
//!
//! The one-to-one C layer is re-exported as [`raw`] for anything not covered here.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod ccache;
mod context;
mod credentials;
mod error;
mod mechanism;
mod name;
pub mod sasl;
#[cfg(feature = "sealed")]
mod sealed;
pub mod ssh;
mod trace;

pub use ccache::TemporaryCcache;
pub use context::{
    AcceptorBuilder, InPlaceWrap, InitiatorBuilder, Protection, SecurityContext, SessionKey,
    Unwrap, VerifyMic, Wrap,
};
pub use credentials::{
    AddCredentials, CredStore, CredUsage, Credentials, CredentialsBuilder, CredentialsInfo,
    MechCredentialsInfo, StoreCredentials,
};
pub use error::{CallingError, Error, ErrorKind, Krb5Error, Result, RoutineError, Supplementary};
pub use gssapi_raw as raw;
pub use gssapi_raw::{AddressType, Buffer, ChannelBindings, Flags, Oid};
pub use mechanism::Mechanism;
pub use name::{AttributeValue, Attributes, AttributesMut, Name, NameType};
#[cfg(feature = "sealed")]
pub use sealed::SealingKey;

/// The guide's code blocks (`docs/*.md`), compiled as doctests so they stay true.
#[cfg(doctest)]
mod guide {
    #[doc = include_str!("../../docs/getting-started.md")]
    struct GettingStarted;
    #[doc = include_str!("../../docs/credentials.md")]
    struct CredentialsGuide;
    #[doc = include_str!("../../docs/errors.md")]
    struct Errors;
    #[doc = include_str!("../../docs/threading-and-async.md")]
    struct ThreadingAndAsync;
    #[doc = include_str!("../../docs/porting-from-python-gssapi.md")]
    struct Porting;
    #[doc = include_str!("../../docs/implementation-differences.md")]
    struct ImplementationDifferences;
    #[doc = include_str!("../../docs/sasl.md")]
    struct Sasl;
    #[doc = include_str!("../../docs/ssh.md")]
    struct Ssh;
    #[doc = include_str!("../../docs/publishing.md")]
    struct Publishing;
    #[doc = include_str!("../../docs/building.md")]
    struct Building;
    // The crate READMEs (crates.io's front pages) of this crate and of the tiers below it.
    #[doc = include_str!("../README.md")]
    struct Readme;
    #[doc = include_str!("../../gssapi-raw/README.md")]
    struct RawReadme;
    #[doc = include_str!("../../gssapi-sys/README.md")]
    struct SysReadme;
    #[doc = include_str!("../../gssapi-testrealm/README.md")]
    struct TestrealmReadme;
    #[doc = include_str!("../../docs/tracing.md")]
    struct Tracing;
}
