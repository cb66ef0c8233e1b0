//! Security contexts: establish one with [`SecurityContext::step`], then protect messages.
//!
//! ```no_run
//! use gssapi::{Credentials, CredUsage, Flags, Name, SecurityContext};
//!
//! let target = Name::hostbased_service("host@server.example.com")?;
//! let mut client = SecurityContext::initiator(&target)
//!     .flags(Flags::MUTUAL | Flags::SEQUENCE)
//!     .build();
//! let mut server = SecurityContext::acceptor(None).build();
//!
//! // Tokens go back and forth until both sides are complete.
//! let mut to_server = client.step(None)?;
//! while let Some(token) = to_server.take() {
//!     if let Some(reply) = server.step(Some(&token))? {
//!         to_server = client.step(Some(&reply))?;
//!     }
//! }
//! assert!(client.is_complete() && server.is_complete());
//! println!("{} authenticated to {}", server.initiator_name()?, client.target_name()?);
//!
//! let sealed = client.encrypt(b"hello")?;
//! assert_eq!(&*server.decrypt(&sealed)?, b"hello");
//! # Ok::<(), gssapi::Error>(())
//! ```
//!
//! # Threads
//!
//! A `SecurityContext` is `Send` but not `Sync`: per-message calls update sequence numbers in
//! the library without a lock, so every call that uses the context takes `&mut self`. To use one
//! context from several threads, put it behind a `Mutex`; to serve many clients, give each its
//! own context and share the [`Credentials`].
//!
//! GSSAPI calls block (a step may contact the KDC). In async code run them on a blocking pool
//! (`tokio::task::spawn_blocking`).

use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::mechanism::Mechanism;
use crate::name::Name;
use crate::trace;
use gssapi_raw::context::{self as raw_ctx, InquireContext};
use gssapi_raw::message;
use gssapi_raw::{self as raw, Buffer, ChannelBindings, Flags};

pub use raw::ext::dce::InPlaceWrap;
pub use raw::message::{Unwrap, VerifyMic, Wrap};

use gssapi_raw::ext::{dce, ggf};
use std::ops::Range;
use zeroize::Zeroizing;

/// A context's session key ([`SecurityContext::session_key`]); wiped on drop.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SessionKey {
    /// The key bytes.
    pub key: Zeroizing<Vec<u8>>,
    /// The encryption type as the library encodes it (MIT: an OID whose last arc is the
    /// Kerberos enctype number), when reported.
    pub enctype_oid: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    New,
    InProgress,
    Complete,
    Failed,
    Gone,
}

#[derive(Debug)]
enum Role {
    Initiator {
        target: Name,
        creds: Option<Credentials>,
        mech: Option<Mechanism>,
        flags: Flags,
        lifetime: Option<u32>,
        bindings: Option<ChannelBindings>,
    },
    Acceptor {
        creds: Option<Credentials>,
        bindings: Option<ChannelBindings>,
    },
    Imported,
}

/// What is known once a context is established: what the last step reported, and the rest
/// of `gss_inquire_context` fetched once, the first time it is asked for.
#[derive(Debug)]
struct Established {
    flags: Flags,
    mech: Option<raw::Oid>,
    initiator: Option<Name>,
    delegated: Option<Credentials>,
    inquired: std::sync::OnceLock<InquireContext>,
}

/// A security context, initiator or acceptor (python-gssapi: `SecurityContext`).
#[derive(Debug)]
pub struct SecurityContext {
    role: Role,
    state: State,
    established: Option<Established>,
    delegated: Option<Credentials>,
    /// Last, so it is dropped last: with MIT, releasing a name after the last live context
    /// makes the library re-read krb5.conf (seen with strace; about 5% of a handshake).
    raw: raw::SecContext,
}

/// Builds an initiator context.
#[derive(Debug)]
#[must_use = "call .build() to get the context"]
pub struct InitiatorBuilder {
    target: Name,
    creds: Option<Credentials>,
    mech: Option<Mechanism>,
    flags: Flags,
    lifetime: Option<u32>,
    bindings: Option<ChannelBindings>,
}

impl InitiatorBuilder {
    /// Credentials to initiate with (default: the default credentials).
    pub fn credentials(mut self, creds: &Credentials) -> Self {
        self.creds = Some(creds.clone());
        self
    }

    /// The mechanism (default: the library's default, normally Kerberos).
    pub fn mech(mut self, mech: &Mechanism) -> Self {
        self.mech = Some(mech.clone());
        self
    }

    /// The flags to request (default: mutual authentication and sequence detection, as
    /// python-gssapi). The context reports what was granted in [`SecurityContext::flags`].
    pub fn flags(mut self, flags: Flags) -> Self {
        self.flags = flags;
        self
    }

    /// Requested lifetime in seconds.
    pub fn lifetime(mut self, seconds: u32) -> Self {
        self.lifetime = Some(seconds);
        self
    }

    /// Channel bindings (e.g. `tls-server-end-point:` data).
    pub fn channel_bindings(mut self, bindings: ChannelBindings) -> Self {
        self.bindings = Some(bindings);
        self
    }

    /// The context, ready for its first [`SecurityContext::step`].
    pub fn build(self) -> SecurityContext {
        SecurityContext::new(Role::Initiator {
            target: self.target,
            creds: self.creds,
            mech: self.mech,
            flags: self.flags,
            lifetime: self.lifetime,
            bindings: self.bindings,
        })
    }
}

/// Builds an acceptor context.
#[derive(Debug)]
#[must_use = "call .build() to get the context"]
pub struct AcceptorBuilder {
    creds: Option<Credentials>,
    bindings: Option<ChannelBindings>,
}

impl AcceptorBuilder {
    /// Channel bindings the initiator must match.
    pub fn channel_bindings(mut self, bindings: ChannelBindings) -> Self {
        self.bindings = Some(bindings);
        self
    }

    /// The context, ready for the initiator's first token.
    pub fn build(self) -> SecurityContext {
        SecurityContext::new(Role::Acceptor {
            creds: self.creds,
            bindings: self.bindings,
        })
    }
}

/// What one establishment call reported, whichever side made it.
struct Step {
    complete: bool,
    token: Buffer,
    flags: Flags,
    mech: Option<raw::Oid>,
    initiator: Option<raw::Name>,
    delegated: Option<raw::Cred>,
}

/// Heimdal's acceptor returns a SPNEGO-layer name that its other calls (canonicalize, export)
/// refuse; gssapi-raw's `duplicate_name` turns it into the Kerberos mechanism name.
fn usable_name(name: raw::Name) -> raw::Name {
    if raw::sys::is_heimdal() {
        raw::name::duplicate_name(&name).unwrap_or(name)
    } else {
        name
    }
}

fn state_error(operation: &'static str, reason: &'static str) -> Error {
    Error::State { operation, reason }
}

impl SecurityContext {
    /// An initiator towards `target` (python-gssapi: `SecurityContext(name=..., usage='initiate')`).
    pub fn initiator(target: &Name) -> InitiatorBuilder {
        InitiatorBuilder {
            target: target.clone(),
            creds: None,
            mech: None,
            flags: Flags::MUTUAL | Flags::SEQUENCE,
            lifetime: None,
            bindings: None,
        }
    }

    /// An acceptor with `creds` (`None`: the default acceptor credentials, e.g. the keytab).
    pub fn acceptor(creds: Option<&Credentials>) -> AcceptorBuilder {
        AcceptorBuilder {
            creds: creds.cloned(),
            bindings: None,
        }
    }

    fn new(role: Role) -> SecurityContext {
        SecurityContext {
            raw: raw::SecContext::new(),
            role,
            state: State::New,
            established: None,
            delegated: None,
        }
    }

    /// Takes the next token from the peer (`None` for an initiator's first step) and returns
    /// the token to send back, if any. When this returns with [`is_complete`] true, the
    /// context is established (an acceptor may still have a last token to send).
    ///
    /// A failed step returns an error that may carry a token for the peer
    /// ([`Error::token`]); the context cannot be used after that.
    ///
    /// [`is_complete`]: SecurityContext::is_complete
    pub fn step(&mut self, input: Option<&[u8]>) -> Result<Option<Buffer>> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.step",
                role = self.role_name(),
                mech_requested = self.requested_mech().map(tracing::field::display),
                flags_requested = self.requested_flags().map(tracing::field::debug),
                target = self.requested_target().map(tracing::field::display),
                input_len = input.map(<[u8]>::len),
                complete = tracing::field::Empty,
                output_len = tracing::field::Empty,
                mech = tracing::field::Empty,
                flags_granted = tracing::field::Empty,
                initiator = tracing::field::Empty,
                delegated = tracing::field::Empty,
            )
        );
        let result = self.establish(input);
        trace::only!(self.record_step(&span, &result));
        result
    }
    /// Records what a step did on its span (and its failure as an event).
    #[cfg(feature = "tracing")]
    fn record_step(&self, span: &tracing::Span, result: &Result<Option<Buffer>>) {
        use tracing::field::{debug, display};
        match result {
            Ok(token) if !span.is_disabled() => {
                span.record("complete", self.is_complete());
                span.record("output_len", token.as_ref().map_or(0, |t| t.len()));
                if let Some(e) = &self.established {
                    if let Some(mech) = &e.mech {
                        span.record("mech", display(Mechanism::from_oid(mech.clone())));
                    }
                    span.record("flags_granted", debug(e.flags));
                    if let Some(initiator) = &e.initiator {
                        span.record("initiator", display(initiator));
                    }
                    if matches!(self.role, Role::Acceptor { .. }) {
                        span.record("delegated", e.delegated.is_some());
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                span.record("complete", false);
                trace::failure("step", e);
            }
        }
    }
    /// "initiator" or "acceptor" (or "imported"), for the step's span.
    #[cfg(feature = "tracing")]
    fn role_name(&self) -> &'static str {
        match self.role {
            Role::Initiator { .. } => "initiator",
            Role::Acceptor { .. } => "acceptor",
            Role::Imported => "imported",
        }
    }
    /// The initiator's mechanism as asked for ("default" when none was), for the step's span.
    #[cfg(feature = "tracing")]
    fn requested_mech(&self) -> Option<String> {
        match &self.role {
            Role::Initiator { mech, .. } => Some(
                mech.as_ref()
                    .map_or_else(|| "default".to_owned(), ToString::to_string),
            ),
            _ => None,
        }
    }
    /// The initiator's requested flags, for the step's span.
    #[cfg(feature = "tracing")]
    fn requested_flags(&self) -> Option<Flags> {
        match &self.role {
            Role::Initiator { flags, .. } => Some(*flags),
            _ => None,
        }
    }
    /// The initiator's target, for the step's span.
    #[cfg(feature = "tracing")]
    fn requested_target(&self) -> Option<&Name> {
        match &self.role {
            Role::Initiator { target, .. } => Some(target),
            _ => None,
        }
    }
    /// The work of [`step`](SecurityContext::step).
    fn establish(&mut self, input: Option<&[u8]>) -> Result<Option<Buffer>> {
        match self.state {
            State::Complete => {
                return Err(state_error(
                    "step",
                    "the context is already established; nothing more to exchange",
                ));
            }
            State::Failed => {
                return Err(state_error(
                    "step",
                    "an earlier step failed; start a new context",
                ));
            }
            State::Gone => {
                return Err(state_error("step", "the context was exported or deleted"));
            }
            State::New | State::InProgress => {}
        }
        let result = match &self.role {
            Role::Initiator {
                target,
                creds,
                mech,
                flags,
                lifetime,
                bindings,
            } => {
                if self.state == State::InProgress && input.is_none() {
                    return Err(state_error(
                        "step",
                        "the initiator needs the acceptor's token to continue",
                    ));
                }
                raw_ctx::init_sec_context(
                    creds.as_ref().map(Credentials::as_raw),
                    &mut self.raw,
                    target.as_raw(),
                    mech.as_ref().map(Mechanism::oid),
                    *flags,
                    *lifetime,
                    bindings.as_ref(),
                    input,
                )
                .map(|r| Step {
                    complete: r.complete,
                    token: r.token,
                    flags: r.flags,
                    mech: r.mech,
                    initiator: None,
                    delegated: None,
                })
            }
            Role::Acceptor { creds, bindings } => {
                let Some(input) = input else {
                    return Err(state_error(
                        "step",
                        "an acceptor needs the initiator's token",
                    ));
                };
                raw_ctx::accept_sec_context(
                    &mut self.raw,
                    creds.as_ref().map(Credentials::as_raw),
                    input,
                    bindings.as_ref(),
                )
                .map(|r| Step {
                    complete: r.complete,
                    token: r.token,
                    flags: r.flags,
                    mech: r.mech,
                    initiator: r.initiator_name,
                    delegated: r.delegated_creds,
                })
            }
            Role::Imported => {
                return Err(state_error(
                    "step",
                    "an imported context is already established",
                ));
            }
        };
        let step = match result {
            Ok(r) => r,
            Err(e) => {
                self.state = State::Failed;
                return Err(e.into());
            }
        };
        if let Some(d) = step.delegated {
            self.delegated = Some(Credentials::from_raw(d));
        }
        if step.complete {
            self.established = Some(Established {
                flags: step.flags,
                mech: step.mech,
                initiator: step.initiator.map(usable_name).map(Name::from_raw),
                delegated: self.delegated.take(),
                inquired: std::sync::OnceLock::new(),
            });
            self.state = State::Complete;
        } else {
            self.state = State::InProgress;
        }
        Ok((!step.token.is_empty()).then_some(step.token))
    }

    /// `gss_inquire_context`, once per context.
    fn inquired(&self, operation: &'static str) -> Result<&InquireContext> {
        let e = self.established(operation)?;
        if let Some(info) = e.inquired.get() {
            return Ok(info);
        }
        let info = raw_ctx::inquire_context(&self.raw)?;
        Ok(e.inquired.get_or_init(|| info))
    }

    /// Whether the context is established.
    #[doc(alias = "complete")]
    pub fn is_complete(&self) -> bool {
        self.state == State::Complete
    }

    fn established(&self, operation: &'static str) -> Result<&Established> {
        match (&self.established, self.state) {
            (Some(e), State::Complete) => Ok(e),
            (_, State::Gone) => Err(state_error(
                operation,
                "the context was exported or deleted",
            )),
            _ => Err(state_error(
                operation,
                "the context is not established yet: keep calling step()",
            )),
        }
    }

    fn ready(&mut self, operation: &'static str) -> Result<&mut raw::SecContext> {
        self.established(operation)?;
        Ok(&mut self.raw)
    }

    /// The authenticated initiator.
    pub fn initiator_name(&self) -> Result<Name> {
        if let Some(n) = &self.established("initiator_name")?.initiator {
            return Ok(n.clone());
        }
        let n = self
            .inquired("initiator_name")?
            .initiator_name
            .as_ref()
            .ok_or_else(|| state_error("initiator_name", "the library reported no initiator"))?;
        Ok(Name::from_raw(raw::name::duplicate_name(n)?))
    }

    /// The acceptor's name, when it used a specific one.
    pub fn target_name(&self) -> Result<Name> {
        let n = self
            .inquired("target_name")?
            .target_name
            .as_ref()
            .ok_or_else(|| state_error("target_name", "the library reported no target"))?;
        Ok(Name::from_raw(raw::name::duplicate_name(n)?))
    }

    /// The mechanism in use (for SPNEGO, the negotiated one).
    pub fn mech(&self) -> Result<Mechanism> {
        let e = self.established("mech")?;
        match &e.mech {
            Some(m) => Ok(Mechanism::from_oid(m.clone())),
            None => self
                .inquired("mech")?
                .mech
                .clone()
                .map(Mechanism::from_oid)
                .ok_or_else(|| state_error("mech", "the library reported no mechanism")),
        }
    }

    /// The flags the context actually grants (never the requested ones), as the completing
    /// step reported them. (MIT's SPNEGO acceptor adds `PROT_READY` only when inquired.)
    #[doc(alias = "actual_flags")]
    pub fn flags(&self) -> Result<Flags> {
        Ok(self.established("flags")?.flags)
    }

    /// Whether mutual authentication was granted.
    pub fn is_mutual(&self) -> Result<bool> {
        Ok(self.flags()?.contains(Flags::MUTUAL))
    }

    /// Whether messages can be encrypted.
    pub fn has_confidentiality(&self) -> Result<bool> {
        Ok(self.flags()?.contains(Flags::CONF))
    }

    /// Whether messages can be signed.
    pub fn has_integrity(&self) -> Result<bool> {
        Ok(self.flags()?.contains(Flags::INTEG))
    }

    /// Whether credentials were delegated.
    pub fn is_delegated(&self) -> Result<bool> {
        Ok(self.flags()?.contains(Flags::DELEGATE))
    }

    /// Whether this side initiated the context.
    pub fn locally_initiated(&self) -> Result<bool> {
        Ok(self.inquired("locally_initiated")?.locally_initiated)
    }

    /// Seconds the context remains valid.
    pub fn lifetime(&self) -> Result<u32> {
        self.established("lifetime")?;
        Ok(raw_ctx::context_time(&self.raw)?)
    }

    /// Credentials the initiator delegated (acceptor side, with [`Flags::DELEGATE`] granted).
    #[doc(alias = "delegated_creds")]
    pub fn delegated_credentials(&self) -> Result<Option<Credentials>> {
        Ok(self.established("delegated_credentials")?.delegated.clone())
    }

    /// Wraps a message (python-gssapi: `wrap(message, encrypt)`): signed, and encrypted with
    /// [`Protection::Encrypt`] when the context allows it; check [`Wrap::encrypted`], or use
    /// [`encrypt`](SecurityContext::encrypt) to insist.
    pub fn wrap(&mut self, message: &[u8], protection: Protection) -> Result<Wrap> {
        let result = self.ready("wrap").and_then(|ctx| {
            Ok(message::wrap(
                ctx,
                message,
                protection.confidential(),
                None,
            )?)
        });
        trace::message!("wrap", message.len(), &result, |w: &Wrap| {
            (w.message.len(), Some(w.encrypted))
        });
        result
    }

    /// Unwraps a message. A token out of sequence (replayed, too old, early or late) is an
    /// error ([`Error::OutOfSequence`]) when the context has replay or sequence detection, as in
    /// python-gssapi; use [`unwrap_any_order`](SecurityContext::unwrap_any_order) to receive
    /// such messages with their sequencing bits instead.
    pub fn unwrap(&mut self, token: &[u8]) -> Result<Unwrap> {
        let result = self
            .ready("unwrap")
            .and_then(|ctx| sequenced("unwrap", message::unwrap(ctx, token)));
        trace::message!("unwrap", token.len(), &result, unwrapped);
        result
    }

    /// Unwraps a message and reports sequencing problems in [`Unwrap::supplementary`] instead
    /// of failing (the message is verified). On Heimdal, which does not verify such tokens,
    /// they are [`Error::OutOfSequence`] all the same, with no message.
    pub fn unwrap_any_order(&mut self, token: &[u8]) -> Result<Unwrap> {
        let result = self
            .ready("unwrap")
            .and_then(|ctx| sequenced("unwrap", message::unwrap_any_order(ctx, token)));
        trace::message!("unwrap_any_order", token.len(), &result, unwrapped);
        result
    }

    /// Encrypts a message; an error if the context cannot apply confidentiality.
    pub fn encrypt(&mut self, message: &[u8]) -> Result<Buffer> {
        let w = self.wrap(message, Protection::Encrypt)?;
        if !w.encrypted {
            return Err(Error::NotEncrypted {
                operation: "encrypt",
            });
        }
        Ok(w.message)
    }

    /// Decrypts a message; an error if the sender did not encrypt it.
    pub fn decrypt(&mut self, token: &[u8]) -> Result<Buffer> {
        let u = self.unwrap(token)?;
        if !u.encrypted {
            return Err(Error::NotEncrypted {
                operation: "decrypt",
            });
        }
        Ok(u.message)
    }

    /// A MIC (signature) over `message` (python-gssapi: `get_signature`).
    #[doc(alias = "get_signature")]
    pub fn get_mic(&mut self, message: &[u8]) -> Result<Buffer> {
        let result = self
            .ready("get_mic")
            .and_then(|ctx| Ok(message::get_mic(ctx, message, None)?));
        trace::message!("get_mic", message.len(), &result, |mic: &Buffer| {
            (mic.len(), None)
        });
        result
    }

    /// Checks a MIC over `message` (python-gssapi: `verify_signature`); sequencing problems are
    /// errors, as for [`unwrap`](SecurityContext::unwrap).
    #[doc(alias = "verify_signature")]
    pub fn verify_mic(&mut self, message: &[u8], mic: &[u8]) -> Result<()> {
        let result = self.ready("verify_mic").and_then(|ctx| {
            sequenced("verify_mic", message::verify_mic(ctx, message, mic)).map(|_| ())
        });
        trace::message!("verify_mic", message.len(), &result, |()| (mic.len(), None));
        result
    }

    /// The largest message whose wrap token, with `protection`, fits in `max_token_size`
    /// bytes.
    #[doc(alias = "get_wrap_size_limit")]
    pub fn wrap_size_limit(&self, max_token_size: u32, protection: Protection) -> Result<u32> {
        self.established("wrap_size_limit")?;
        Ok(message::wrap_size_limit(
            &self.raw,
            protection.confidential(),
            None,
            max_token_size,
        )?)
    }

    /// Exports the established context for another process; this context can no longer be
    /// used (python-gssapi: `export`).
    pub fn export(&mut self) -> Result<Buffer> {
        let token = raw_ctx::export_sec_context(self.ready("export")?)?;
        self.state = State::Gone;
        Ok(token)
    }

    /// [`export`](SecurityContext::export), sealed under `key` (authenticated encryption):
    /// safe to store or pass through another process, since only a token sealed under the same
    /// key opens again. This context can no longer be used.
    #[cfg(feature = "sealed")]
    pub fn export_sealed(&mut self, key: &crate::SealingKey) -> Result<Vec<u8>> {
        let token = self.export()?;
        let sealed = crate::sealed::seal(key, crate::sealed::Sealed::Context, &token);
        // The exported context holds its keys: wipe the library's copy.
        let mut token = token;
        token.wipe();
        Ok(sealed)
    }

    /// A context from [`export_sealed`](SecurityContext::export_sealed): a token that was
    /// changed, cut, sealed under another key or sealed as credentials is
    /// [`Error::Unsealed`], and the library never sees it.
    #[cfg(feature = "sealed")]
    pub fn import_sealed(key: &crate::SealingKey, sealed: &[u8]) -> Result<SecurityContext> {
        let token = crate::sealed::open(key, crate::sealed::Sealed::Context, sealed)?;
        SecurityContext::import(&token)
    }

    /// Imports a context exported by [`export`](SecurityContext::export).
    ///
    /// Only import a token from a trusted source: the format is the library's own and its
    /// importer is not hardened against damaged input (MIT 1.20 crashes on some; gssapi-raw
    /// refuses Heimdal's hollow imports). For tokens that pass through storage or another
    /// party, use [`export_sealed`](SecurityContext::export_sealed) and
    /// [`import_sealed`](SecurityContext::import_sealed).
    pub fn import(token: &[u8]) -> Result<SecurityContext> {
        SecurityContext::from_raw(raw_ctx::import_sec_context(token)?)
    }

    /// Passes a token from the peer outside the normal flow (e.g. an error token after the
    /// initiator considered itself done).
    pub fn process_token(&mut self, token: &[u8]) -> Result<()> {
        if matches!(self.state, State::New | State::Gone) {
            return Err(state_error(
                "process_token",
                "there is no context to give it to",
            ));
        }
        Ok(raw_ctx::process_context_token(&mut self.raw, token)?)
    }

    /// Deletes the context now, returning the token for the peer if the mechanism made one.
    pub fn delete(mut self) -> Result<Option<Buffer>> {
        if self.raw.is_null() {
            return Ok(None);
        }
        let token = raw_ctx::delete_sec_context(&mut self.raw)?;
        Ok((!token.is_empty()).then_some(token))
    }

    /// The session key of an established Kerberos context and its encryption type
    /// (`gss_inquire_sec_context_by_oid` with `GSS_C_INQ_SSPI_SESSION_KEY`), as SSPI's
    /// `SECPKG_ATTR_SESSION_KEY`; both sides get the same key.
    pub fn session_key(&self) -> Result<SessionKey> {
        self.established("session_key")?;
        let mut set = ggf::inquire_sec_context_by_oid(&self.raw, &ggf::oids::INQ_SSPI_SESSION_KEY)?;
        let key = set
            .get(0)
            .ok_or_else(|| state_error("session_key", "the mechanism returned no session key"))?;
        // The second buffer is the enctype's OID arc, per MIT's encoding of this inquiry.
        let session = SessionKey {
            key: Zeroizing::new(key.to_vec()),
            enctype_oid: set.get(1).map(<[u8]>::to_vec),
        };
        set.wipe();
        Ok(session)
    }

    /// Encrypts (or signs) `data` where it is, for bulk data: no copy of the payload. Send
    /// `header || data || padding || trailer` (or [`InPlaceWrap::to_token`]); the peer can
    /// `unwrap` it like any wrap token.
    pub fn wrap_in_place(
        &mut self,
        data: &mut [u8],
        protection: Protection,
    ) -> Result<InPlaceWrap> {
        Ok(dce::wrap_in_place(
            self.ready("wrap_in_place")?,
            data,
            protection.confidential(),
            None,
        )?)
    }

    /// Unwraps, in place, a token received as the parts [`wrap_in_place`] made (header, data,
    /// padding, trailer); `data` becomes the plaintext. Returns whether it was encrypted;
    /// sequencing problems are errors.
    ///
    /// [`wrap_in_place`]: SecurityContext::wrap_in_place
    pub fn unwrap_parts_in_place(
        &mut self,
        parts: &mut InPlaceWrap,
        data: &mut [u8],
    ) -> Result<bool> {
        let ctx = self.ready("unwrap_parts_in_place")?;
        let info = sequenced(
            "unwrap_parts_in_place",
            dce::unwrap_parts_in_place(ctx, parts, data),
        )?;
        Ok(info.encrypted)
    }

    /// Unwraps a whole wrap token where it is; returns where the plaintext is inside `token`
    /// and whether it was encrypted. If it fails, `token` is zeroed (it may hold plaintext
    /// that was decrypted but not verified). Sequencing problems are errors, as for
    /// [`unwrap`](SecurityContext::unwrap).
    pub fn unwrap_in_place(&mut self, token: &mut [u8]) -> Result<(Range<usize>, bool)> {
        let ctx = self.ready("unwrap_in_place")?;
        let (range, info) = sequenced("unwrap_in_place", dce::unwrap_in_place(ctx, token))?;
        Ok((range, info.encrypted))
    }

    /// The raw handle, for gssapi-raw calls (extensions, IOV).
    pub fn as_raw_mut(&mut self) -> &mut raw::SecContext {
        &mut self.raw
    }

    /// A context established with gssapi-raw calls (a protocol that drove the handshake
    /// itself, or an imported one), for the message calls of this crate. It must be complete:
    /// a partial raw context is an [`Error::State`] (this crate cannot know the rest of its
    /// handshake's arguments).
    pub fn from_raw(raw: raw::SecContext) -> Result<SecurityContext> {
        if raw.is_null() {
            return Err(state_error("from_raw", "the raw context is empty"));
        }
        let info = raw_ctx::inquire_context(&raw)?;
        if !info.complete {
            return Err(state_error(
                "from_raw",
                "the raw context is not established yet: finish its handshake with gssapi-raw",
            ));
        }
        let mut ctx = SecurityContext::new(Role::Imported);
        ctx.raw = raw;
        ctx.established = Some(Established {
            flags: info.flags,
            mech: info.mech.clone(),
            initiator: None,
            delegated: None,
            inquired: std::sync::OnceLock::from(info),
        });
        ctx.state = State::Complete;
        Ok(ctx)
    }

    /// The gssapi-raw context, for raw calls; delegated credentials not yet taken with
    /// [`delegated_credentials`](SecurityContext::delegated_credentials) are dropped.
    pub fn into_raw(mut self) -> raw::SecContext {
        std::mem::take(&mut self.raw)
    }
}

/// One event, one error: a token out of sequence is [`Error::OutOfSequence`] on MIT (which
/// verified it and keeps the message) and on Heimdal (which did not, so there is none).
fn sequenced<T>(operation: &'static str, result: gssapi_raw::Result<T>) -> Result<T> {
    result.map_err(|mut err| {
        if err.is_sequence_problem() {
            Error::OutOfSequence {
                operation,
                supplementary: err.supplementary(),
                message: err.take_verified_message(),
            }
        } else {
            Error::Gss(err)
        }
    })
}

/// The output length and protection of an unwrap, for its trace event.
#[cfg(feature = "tracing")]
fn unwrapped(u: &Unwrap) -> (usize, Option<bool>) {
    (u.message.len(), Some(u.encrypted))
}

/// What [`SecurityContext::wrap`] applies: python-gssapi's `encrypt=True` or `encrypt=False`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protection {
    /// Encrypt and sign (confidentiality and integrity), when the context allows it: check
    /// `encrypted` in the result, or use [`SecurityContext::encrypt`] to insist.
    Encrypt,
    /// Sign only (integrity): the message stays readable.
    Sign,
}

impl Protection {
    fn confidential(self) -> bool {
        self == Protection::Encrypt
    }
}
