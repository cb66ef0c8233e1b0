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

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use gssapi::ssh::{SshError, encode_mech, host_target, parse_mech};
use gssapi::{Credentials, Flags, Mechanism, Name, SecurityContext};
use russh::{GssapiError, GssapiStep};
use std::future::Future;

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
    target: Name,
    mechs: Vec<Mechanism>,
    delegate: bool,
    credentials: Option<Credentials>,
    context: Option<SecurityContext>,
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
            target,
            mechs: vec![Mechanism::KERBEROS],
            delegate: false,
            credentials: None,
            context: None,
            server_error: None,
        }
    }

    /// Whether to delegate (forward) the ticket to the server (default: no).
    pub fn delegate(mut self, delegate: bool) -> Self {
        self.delegate = delegate;
        self
    }

    /// Initiator credentials (default: the default ccache).
    pub fn credentials(mut self, credentials: &Credentials) -> Self {
        self.credentials = Some(credentials.clone());
        self
    }

    /// The mechanisms to offer, preferred first (default: Kerberos).
    pub fn mechs(mut self, mechs: Vec<Mechanism>) -> Self {
        self.mechs = mechs;
        self
    }

    /// The offered mechanisms in the form `authenticate_gssapi_with_mic` takes (tagged DER).
    pub fn mechanism_oids(&self) -> Result<Vec<Vec<u8>>, Error> {
        if self.mechs.is_empty() {
            return Err(SshError::NoMechanisms.into());
        }
        Ok(self
            .mechs
            .iter()
            .map(encode_mech)
            .collect::<Result<_, _>>()?)
    }

    /// The error the server reported, if it did (`SSH_MSG_USERAUTH_GSSAPI_ERROR` or `ERRTOK`).
    pub fn server_error(&self) -> Option<&GssapiError> {
        self.server_error.as_ref()
    }

    /// The security context, once the server selected a mechanism.
    pub fn context(&self) -> Option<&SecurityContext> {
        self.context.as_ref()
    }

    /// One step: the logic of [`russh::GssapiAuthenticator::gssapi_step`], synchronous.
    pub fn step(
        &mut self,
        selected_mechanism: Option<&[u8]>,
        input_token: Option<&[u8]>,
        mic_data: &[u8],
    ) -> Result<GssapiStep, Error> {
        if let Some(selected) = selected_mechanism {
            if self.context.is_some() {
                return Err(Error::State("a second mechanism selection"));
            }
            let mech = parse_mech(selected)?;
            if !self.mechs.contains(&mech) {
                return Err(SshError::MechanismNotOffered {
                    mech: mech.oid().clone(),
                }
                .into());
            }
            let mut flags = Flags::MUTUAL | Flags::INTEG;
            if self.delegate {
                flags |= Flags::DELEGATE;
            }
            let mut builder = SecurityContext::initiator(&self.target)
                .mech(&mech)
                .flags(flags);
            if let Some(c) = &self.credentials {
                builder = builder.credentials(c);
            }
            self.context = Some(builder.build());
        }
        let context = self
            .context
            .as_mut()
            .ok_or(Error::State("a token before the mechanism was selected"))?;
        let token = context
            .step(input_token)
            .map_err(|source| SshError::ContextFailed {
                source,
                send: Vec::new(),
            })?
            .map(|t| t.to_vec());
        if !context.is_complete() {
            let token = token.ok_or(Error::State("the context continues without a token"))?;
            return Ok(GssapiStep::Continue { token });
        }
        // RFC 4462 §3.5: a MIC whenever the context has integrity.
        let mic = if context.has_integrity()? {
            Some(context.get_mic(mic_data)?.to_vec())
        } else {
            None
        };
        Ok(GssapiStep::Complete { token, mic })
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
