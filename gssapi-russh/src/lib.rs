//! [russh](https://docs.rs/russh)'s client-side `gssapi-with-mic` hook,
//! [`russh::GssapiAuthenticator`], implemented over the system GSSAPI library (MIT krb5
//! or Heimdal) with [`gssapi::ssh`]: log in to an SSH server with a Kerberos ticket.
//!
//! ```no_run
//! use gssapi_russh::Authenticator;
//!
//! # async fn login(session: &mut russh::client::Handle<impl russh::client::Handler>)
//! #     -> Result<(), gssapi_russh::Error> {
//! // Target host@server.example.com, the default ticket cache, and the ticket forwarded.
//! let mut auth = Authenticator::new("server.example.com")?.delegate(true);
//! let result = session
//!     .authenticate_gssapi_with_mic("alice", auth.mechanism_oids()?, &mut auth)
//!     .await?;
//! if !result.success() {
//!     eprintln!("refused; the server said: {:?}", auth.server_error());
//! }
//! # Ok(()) }
//! ```
//!
//! The target name, delegation (off unless asked for), the credentials and the offered
//! mechanisms are configurable. The mechanism the server selects is checked against the ones
//! offered; the context requests mutual authentication and integrity, and the MIC over russh's
//! session data is sent once it is established. `examples/kerberos_login.rs` runs a command
//! on a server after logging in.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use gssapi::ssh::{InitiatorStep, MicInitiator, SshError, encode_mech, host_target, parse_mech};
use gssapi::{Credentials, Mechanism, Name, SecurityContext};
use russh::{GssapiError, GssapiStep};
use std::future::Future;

/// The crate README's code blocks (crates.io's front page), compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadme;

/// What can go wrong in a login.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// russh could not send (the connection is gone).
    #[error(transparent)]
    Send(#[from] russh::SendError),
    /// A GSSAPI or RFC 4462 failure: a mechanism not offered, a context that failed, ...
    #[error(transparent)]
    Ssh(#[from] SshError),
    /// russh called the hook out of order.
    #[error("gssapi_step: {0}")]
    State(&'static str),
}

impl From<gssapi::Error> for Error {
    fn from(e: gssapi::Error) -> Error {
        Error::Ssh(SshError::Gss(e))
    }
}

/// A `gssapi-with-mic` client for one login attempt (make a new one for each attempt).
#[derive(Debug)]
pub struct Authenticator {
    initiator: MicInitiator,
    server_error: Option<GssapiError>,
}

impl Authenticator {
    /// A client for the host-based service `host@hostname` (RFC 4462 §3.1), offering Kerberos.
    pub fn new(hostname: &str) -> Result<Authenticator, Error> {
        Ok(Authenticator::with_target(host_target(hostname)?))
    }

    /// A client for any target name (e.g. a Kerberos principal).
    pub fn with_target(target: Name) -> Authenticator {
        Authenticator {
            initiator: MicInitiator::new(target),
            server_error: None,
        }
    }

    /// Whether to delegate (forward) the ticket to the server (default: no).
    pub fn delegate(mut self, delegate: bool) -> Self {
        self.initiator = self.initiator.delegate(delegate);
        self
    }

    /// Initiator credentials (default: the default ccache).
    pub fn credentials(mut self, credentials: &Credentials) -> Self {
        self.initiator = self.initiator.credentials(credentials);
        self
    }

    /// The mechanisms to offer, preferred first (default: Kerberos).
    pub fn mechs(mut self, mechs: Vec<Mechanism>) -> Self {
        self.initiator = self.initiator.mechs(mechs);
        self
    }

    /// The offered mechanisms in the form `authenticate_gssapi_with_mic` takes (tagged DER).
    pub fn mechanism_oids(&self) -> Result<Vec<Vec<u8>>, Error> {
        let mechs = self.initiator.offered();
        if mechs.is_empty() {
            return Err(SshError::NoMechanisms.into());
        }
        Ok(mechs.iter().map(encode_mech).collect::<Result<_, _>>()?)
    }

    /// The error the server reported, if it did (`SSH_MSG_USERAUTH_GSSAPI_ERROR` or `ERRTOK`).
    pub fn server_error(&self) -> Option<&GssapiError> {
        self.server_error.as_ref()
    }

    /// The security context, once the server selected a mechanism.
    pub fn context(&self) -> Option<&SecurityContext> {
        self.initiator.context()
    }

    /// One step: the logic of [`russh::GssapiAuthenticator::gssapi_step`], synchronous.
    /// `selected_mechanism` is the tagged DER OID the server chose (first step only).
    pub fn step(
        &mut self,
        selected_mechanism: Option<&[u8]>,
        input_token: Option<&[u8]>,
        mic_data: &[u8],
    ) -> Result<GssapiStep, Error> {
        if let Some(selected) = selected_mechanism {
            self.initiator.select(&parse_mech(selected)?)?;
        } else if self.initiator.context().is_none() {
            return Err(Error::State("a token before the mechanism was selected"));
        }
        Ok(match self.initiator.step(input_token, mic_data)? {
            InitiatorStep::Continue(token) => GssapiStep::Continue { token },
            InitiatorStep::Complete { token, mic } => GssapiStep::Complete { token, mic },
        })
    }
}

impl russh::GssapiAuthenticator for Authenticator {
    type Error = Error;

    fn gssapi_step(
        &mut self,
        selected_mechanism: Option<Vec<u8>>,
        input_token: Option<Vec<u8>>,
        mic_data: Vec<u8>,
    ) -> impl Future<Output = Result<GssapiStep, Self::Error>> + Send {
        // The step runs synchronously, when russh calls the hook: the first one may ask the
        // KDC for a service ticket, which holds russh's task for that round trip.
        let result = self.step(
            selected_mechanism.as_deref(),
            input_token.as_deref(),
            &mic_data,
        );
        async move { result }
    }

    fn gssapi_error(&mut self, error: GssapiError) -> impl Future<Output = ()> + Send {
        self.server_error = Some(error);
        async {}
    }
}
