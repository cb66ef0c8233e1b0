//! Every GSSAPI call as a safe Rust function, one to one with C, for protocol authors.
//!
//! Each function names its C call (`#[doc(alias = "gss_...")]`), takes the same inputs, and
//! returns every output: multi-output calls return a struct named after the call, mirroring
//! python-gssapi's named tuples ([`context::InitSecContext`], [`message::Unwrap`], ...).
//! Library-allocated memory comes back as owners that release it on drop ([`Buffer`], [`Name`],
//! [`Cred`], [`SecContext`], [`OidSet`]), without copies. Errors keep the major and minor status,
//! the messages captured when the call failed, and any token the call produced for the peer
//! ([`Error`]).
//!
//! ```no_run
//! use gssapi_raw::{context, message, name, name_type, Flags, SecContext};
//!
//! fn main() -> gssapi_raw::Result<()> {
//!     // Initiator and acceptor in one process, with the default credentials of each side
//!     // (KRB5CCNAME for the initiator, KRB5_KTNAME for the acceptor).
//!     let target = name::import_name(b"host@localhost", Some(&name_type::HOSTBASED_SERVICE))?;
//!     let flags = Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG;
//!     let (mut client, mut server) = (SecContext::new(), SecContext::new());
//!
//!     let mut step = context::init_sec_context(None, &mut client, &target, None, flags, None, None, None)?;
//!     loop {
//!         let reply = context::accept_sec_context(&mut server, None, &step.token, None)?;
//!         if reply.token.is_empty() {
//!             break;
//!         }
//!         step = context::init_sec_context(None, &mut client, &target, None, flags, None, None, Some(&reply.token))?;
//!         if step.complete {
//!             break;
//!         }
//!     }
//!     let sealed = message::wrap(&mut client, b"hello", true, None)?;
//!     let opened = message::unwrap(&mut server, &sealed.message)?;
//!     assert!(opened.encrypted);
//!     Ok(())
//! }
//! ```
//!
//! # Modules
//!
//! - [`name`]: `import_name`, `display_name`, `compare_name`, `canonicalize_name`, `export_name`,
//!   `duplicate_name`, `inquire_mechs_for_name`, `inquire_names_for_mech`.
//! - [`cred`]: `acquire_cred`, `add_cred`, `inquire_cred`, `inquire_cred_by_mech`.
//! - [`context`]: `init_sec_context`, `accept_sec_context`, `inquire_context`, `context_time`,
//!   `delete_sec_context`, `export_sec_context`, `import_sec_context`, `process_context_token`.
//! - [`message`]: `get_mic`, `verify_mic`, `wrap`, `unwrap`, `wrap_size_limit`.
//! - [`misc`]: `indicate_mechs`, `display_status`.
//! - [`ext`]: every extension python-gssapi binds, and more, one module each.
//!
//! # Lifetimes
//!
//! Every lifetime is an `Option<u32>` of seconds with one meaning: `None` is "no limit"
//! (`GSS_C_INDEFINITE`). As an input it asks for as long as the credentials or ticket allow
//! (for `init_sec_context` too, where both libraries treat `GSS_C_INDEFINITE` like the
//! default, 0); in a result it says the library set no limit. `Some(0)` in a result means
//! expired.
//!
//! # Threads
//!
//! [`Name`], [`Cred`], [`OidSet`], [`Buffer`] and [`Oid`] are `Send + Sync`; [`SecContext`] is
//! `Send`, and every call that changes it takes `&mut`. Each `unsafe impl` states the library
//! guarantee it relies on.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

pub use gssapi_sys as sys;

mod buffer;
pub mod context;
pub mod cred;
mod error;
pub mod ext;
pub mod message;
pub mod misc;
pub mod name;
mod oid;
mod types;

pub use buffer::{Buffer, BufferSet};
pub use context::SecContext;
pub use cred::Cred;
pub use error::{
    CallingError, Error, ErrorKind, Krb5Error, Origin, Result, RoutineError, Supplementary,
    display_status,
};
pub use name::Name;
pub use oid::{Oid, OidSet, mech_type, name_type};
pub use types::{AddressType, ChannelBindings, CredUsage, Flags};

pub(crate) use error::call;
