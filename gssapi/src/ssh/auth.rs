//! `gssapi-with-mic` user authentication (RFC 4462 §3), client and server, sans-IO: each side
//! takes the peer's message bytes and returns the message bytes to send.

use super::messages::{GssStatus, SSH_CONNECTION, UserauthGssapi, UserauthRequest, mic_data};
use super::{Limits, SshError};
use crate::trace;
use crate::{Credentials, Flags, Mechanism, Name, SecurityContext, TemporaryCcache};

/// The `host@hostname` target of RFC 4462 §3.1 (`GSS_C_NT_HOSTBASED_SERVICE`).
pub fn host_target(hostname: &str) -> Result<Name, SshError> {
    Ok(Name::hostbased_service(&format!("host@{hostname}"))?)
}

/// What one call of a side's `receive` produced.
#[derive(Debug, Default)]
#[must_use = "send the messages"]
pub struct Step {
    /// Messages to send to the peer, in order (SSH packet payloads).
    pub send: Vec<Vec<u8>>,
    /// The exchange is over on this side: the client sent its MIC, or the server verified it.
    pub done: bool,
}

fn encode(msgs: &[UserauthGssapi]) -> Result<Vec<Vec<u8>>, SshError> {
    msgs.iter().map(UserauthGssapi::to_bytes).collect()
}

/// A failed GSSAPI call in the middle of an exchange: the error, with the messages RFC 4462
/// §3.8-3.9 says to send first (ERRTOK with the library's token; from a server, ERROR with the
/// status too).
fn failed(source: crate::Error, send_error: bool) -> SshError {
    let mut msgs = Vec::new();
    if let Some(token) = source.token().filter(|t| !t.is_empty()) {
        msgs.push(UserauthGssapi::ErrorToken(token.to_vec()));
    }
    if send_error {
        msgs.push(UserauthGssapi::Error(GssStatus::from_error(&source)));
    }
    SshError::ContextFailed {
        send: encode(&msgs).unwrap_or_default(),
        source,
    }
}

/// A peer's ERROR or ERRTOK, as an error.
fn peer_failure(msg: UserauthGssapi, context: Option<&mut SecurityContext>) -> SshError {
    match msg {
        UserauthGssapi::Error(status) => SshError::PeerError(status),
        UserauthGssapi::ErrorToken(token) => {
            // The token tells the local library what went wrong on the other side.
            let detail = context.and_then(|c| c.step(Some(&token)).err());
            SshError::PeerErrorToken { token, detail }
        }
        other => SshError::UnexpectedMessage {
            code: other.code(),
            expected: "a message the exchange is waiting for",
        },
    }
}

/// Records what a message did on a side's span (and its failure as an event).
#[cfg(feature = "tracing")]
fn record_receive(span: &tracing::Span, operation: &'static str, result: &Result<Step, SshError>) {
    match result {
        Ok(step) => {
            span.record("sent", step.send.len());
            span.record("done", step.done);
        }
        Err(e) => crate::trace::failure(operation, e),
    }
}

/// Records what an initiator step did on its span (and its failure as an event).
#[cfg(feature = "tracing")]
fn record_initiator_step(span: &tracing::Span, result: &Result<InitiatorStep, SshError>) {
    match result {
        Ok(InitiatorStep::Continue(_)) => {
            span.record("complete", false);
        }
        Ok(InitiatorStep::Complete { mic, .. }) => {
            span.record("complete", true);
            if let Some(mic) = mic {
                span.record("mic_len", mic.len());
            }
        }
        Err(e) => crate::trace::failure("ssh.initiator_step", e),
    }
}

/// What one [`MicInitiator::step`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitiatorStep {
    /// The context continues: send this token, wait for the server's.
    Continue(Vec<u8>),
    /// The context is established: the last token to send, if any, and the MIC over the
    /// session data (`None` when the context has no integrity: then `EXCHANGE_COMPLETE`).
    Complete {
        /// The last context token.
        token: Option<Vec<u8>>,
        /// The MIC over the `mic_data` of the step.
        mic: Option<Vec<u8>>,
    },
}

/// The GSSAPI half of a `gssapi-with-mic` client, without the SSH messages: the mechanism
/// check, the context (mutual authentication and integrity, delegation when asked) and the
/// MIC. [`GssapiWithMicClient`] drives one; so does `gssapi-russh` under russh's hook, which
/// frames the messages itself.
#[derive(Debug)]
pub struct MicInitiator {
    target: Name,
    mechs: Vec<Mechanism>,
    delegate: bool,
    credentials: Option<Credentials>,
    context: Option<SecurityContext>,
}

impl MicInitiator {
    /// An initiator towards `target` offering Kerberos, without delegation.
    pub fn new(target: Name) -> MicInitiator {
        MicInitiator {
            target,
            mechs: vec![Mechanism::KERBEROS],
            delegate: false,
            credentials: None,
            context: None,
        }
    }

    /// The mechanisms to offer, preferred first (default: Kerberos).
    pub fn mechs(mut self, mechs: Vec<Mechanism>) -> Self {
        self.mechs = mechs;
        self
    }

    /// Whether to delegate (forward) the user's credentials to the server (default: no).
    pub fn delegate(mut self, delegate: bool) -> Self {
        self.delegate = delegate;
        self
    }

    /// Initiator credentials (default: the default ccache).
    pub fn credentials(mut self, credentials: &Credentials) -> Self {
        self.credentials = Some(credentials.clone());
        self
    }

    /// The mechanisms offered.
    pub fn offered(&self) -> &[Mechanism] {
        &self.mechs
    }

    /// Takes the server's choice (`SSH_MSG_USERAUTH_GSSAPI_RESPONSE`): refused unless it was
    /// offered, and only once.
    pub fn select(&mut self, mech: &Mechanism) -> Result<(), SshError> {
        if self.context.is_some() {
            return Err(SshError::State {
                operation: "select",
                reason: "a mechanism was already selected",
            });
        }
        if !self.mechs.contains(mech) {
            return Err(SshError::MechanismNotOffered {
                mech: mech.oid().clone(),
            });
        }
        let mut flags = Flags::MUTUAL | Flags::INTEG;
        if self.delegate {
            flags |= Flags::DELEGATE;
        }
        let mut builder = SecurityContext::initiator(&self.target)
            .mech(mech)
            .flags(flags);
        if let Some(c) = &self.credentials {
            builder = builder.credentials(c);
        }
        self.context = Some(builder.build());
        trace::event!(
            DEBUG,
            mechanism = %mech,
            target = %self.target,
            delegate = self.delegate,
            "gssapi.ssh: the server chose a mechanism",
        );
        Ok(())
    }

    /// One context step with the server's token (`None` right after [`select`](Self::select)).
    /// Once established, the MIC over `mic_data` (see [`mic_data`]) comes with it. A library
    /// failure is [`SshError::ContextFailed`] with the ERRTOK to send, when there is a token.
    pub fn step(
        &mut self,
        input: Option<&[u8]>,
        mic_data: &[u8],
    ) -> Result<InitiatorStep, SshError> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.ssh.initiator_step",
                input_len = input.map(<[u8]>::len),
                complete = tracing::field::Empty,
                mic_len = tracing::field::Empty,
            )
        );
        let result = self.step_inner(input, mic_data);
        trace::only!(record_initiator_step(&span, &result));
        result
    }

    fn step_inner(
        &mut self,
        input: Option<&[u8]>,
        mic_data: &[u8],
    ) -> Result<InitiatorStep, SshError> {
        let context = self.context.as_mut().ok_or(SshError::State {
            operation: "step",
            reason: "no mechanism was selected",
        })?;
        let token = context
            .step(input)
            .map_err(|e| failed(e, false))?
            .map(|t| t.to_vec());
        if !context.is_complete() {
            let token = token.ok_or(SshError::State {
                operation: "step",
                reason: "the context continues without a token",
            })?;
            return Ok(InitiatorStep::Continue(token));
        }
        // RFC 4462 §3.5: a MIC whenever the context has integrity.
        let mic = if context.has_integrity()? {
            Some(
                context
                    .get_mic(mic_data)
                    .map_err(|e| failed(e, false))?
                    .to_vec(),
            )
        } else {
            None
        };
        Ok(InitiatorStep::Complete { token, mic })
    }

    /// The context, once a mechanism was selected.
    pub fn context(&self) -> Option<&SecurityContext> {
        self.context.as_ref()
    }

    /// The context, mutably (e.g. to read a peer's error token).
    pub fn context_mut(&mut self) -> Option<&mut SecurityContext> {
        self.context.as_mut()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    New,
    AwaitingResponse,
    Establishing,
    Done,
    Failed,
}

/// The client side of `gssapi-with-mic` (paramiko: `ssh_init_sec_context` and `ssh_get_mic`).
///
/// Delegation is off unless [`delegate`](Self::delegate) asks for it. The context requests
/// mutual authentication and integrity (the MIC needs it).
#[derive(Debug)]
pub struct GssapiWithMicClient {
    initiator: MicInitiator,
    user: String,
    service: String,
    session_id: Vec<u8>,
    limits: Limits,
    state: ClientState,
}

impl GssapiWithMicClient {
    /// A client logging in as `user` to `hostname` (target `host@hostname`) on the session
    /// with this id (the exchange hash of the first key exchange).
    pub fn new(hostname: &str, user: &str, session_id: &[u8]) -> Result<Self, SshError> {
        Ok(Self::with_target(host_target(hostname)?, user, session_id))
    }

    /// As [`new`](Self::new) with any target name.
    pub fn with_target(target: Name, user: &str, session_id: &[u8]) -> Self {
        GssapiWithMicClient {
            initiator: MicInitiator::new(target),
            user: user.to_owned(),
            service: SSH_CONNECTION.to_owned(),
            session_id: session_id.to_vec(),
            limits: Limits::default(),
            state: ClientState::New,
        }
    }

    /// The service (default `ssh-connection`; paramiko: `set_service`).
    pub fn service(mut self, service: &str) -> Self {
        self.service = service.to_owned();
        self
    }

    /// The mechanisms to offer, preferred first (default: Kerberos).
    pub fn mechs(mut self, mechs: Vec<Mechanism>) -> Self {
        self.initiator = self.initiator.mechs(mechs);
        self
    }

    /// Whether to delegate (forward) the user's credentials to the server (default: no).
    pub fn delegate(mut self, delegate: bool) -> Self {
        self.initiator = self.initiator.delegate(delegate);
        self
    }

    /// Initiator credentials (default: the default ccache).
    pub fn credentials(mut self, credentials: &Credentials) -> Self {
        self.initiator = self.initiator.credentials(credentials);
        self
    }

    /// Bounds for parsing the server's messages.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The `SSH_MSG_USERAUTH_REQUEST` that starts the exchange.
    pub fn start(&mut self) -> Result<Vec<u8>, SshError> {
        if self.state != ClientState::New {
            return Err(SshError::State {
                operation: "start",
                reason: "the exchange has already started",
            });
        }
        let request = UserauthRequest {
            user: self.user.clone(),
            service: self.service.clone(),
            mechs: self.initiator.offered().to_vec(),
        }
        .to_bytes()?;
        self.state = ClientState::AwaitingResponse;
        Ok(request)
    }

    /// Takes one server message and returns what to send. A failure leaves the client
    /// unusable; [`SshError::ContextFailed`] carries the ERRTOK to send.
    pub fn receive(&mut self, message: &[u8]) -> Result<Step, SshError> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.ssh.client",
                user = %self.user,
                stage = ?self.state,
                message_number = message.first().copied(),
                sent = tracing::field::Empty,
                done = tracing::field::Empty,
            )
        );
        let result = self.receive_inner(message);
        if result.is_err() {
            self.state = ClientState::Failed;
        }
        trace::only!(record_receive(&span, "ssh.client.receive", &result));
        result
    }

    fn receive_inner(&mut self, message: &[u8]) -> Result<Step, SshError> {
        let msg = UserauthGssapi::parse(message, &self.limits)?;
        match (self.state, msg) {
            (ClientState::AwaitingResponse, UserauthGssapi::Response(mech)) => {
                self.initiator.select(&mech)?;
                self.state = ClientState::Establishing;
                self.step(None)
            }
            (ClientState::Establishing, UserauthGssapi::Token(token)) => self.step(Some(&token)),
            (
                ClientState::AwaitingResponse | ClientState::Establishing,
                msg @ (UserauthGssapi::Error(_) | UserauthGssapi::ErrorToken(_)),
            ) => Err(peer_failure(msg, self.initiator.context_mut())),
            (ClientState::New | ClientState::Done | ClientState::Failed, msg) => {
                Err(SshError::UnexpectedMessage {
                    code: msg.code(),
                    expected: "nothing: the client is not waiting for a message",
                })
            }
            (_, msg) => Err(SshError::UnexpectedMessage {
                code: msg.code(),
                expected: if self.state == ClientState::AwaitingResponse {
                    "SSH_MSG_USERAUTH_GSSAPI_RESPONSE"
                } else {
                    "SSH_MSG_USERAUTH_GSSAPI_TOKEN"
                },
            }),
        }
    }

    fn step(&mut self, input: Option<&[u8]>) -> Result<Step, SshError> {
        let data = mic_data(&self.session_id, &self.user, &self.service);
        let msgs = match self.initiator.step(input, &data)? {
            InitiatorStep::Continue(token) => vec![UserauthGssapi::Token(token)],
            InitiatorStep::Complete { token, mic } => {
                self.state = ClientState::Done;
                let end = match mic {
                    Some(mic) => UserauthGssapi::Mic(mic),
                    None => UserauthGssapi::ExchangeComplete,
                };
                token
                    .map(UserauthGssapi::Token)
                    .into_iter()
                    .chain([end])
                    .collect()
            }
        };
        Ok(Step {
            send: encode(&msgs)?,
            done: self.state == ClientState::Done,
        })
    }

    /// Whether the client has sent its MIC.
    pub fn is_done(&self) -> bool {
        self.state == ClientState::Done
    }

    /// The established context (e.g. to check [`SecurityContext::is_delegated`]).
    pub fn context(&self) -> Option<&SecurityContext> {
        self.initiator.context()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerState {
    AwaitingRequest,
    Establishing,
    AwaitingMic,
    Done,
    Failed,
}

/// The server side of `gssapi-with-mic` (paramiko: `ssh_check_mech`,
/// `ssh_accept_sec_context`, `ssh_check_mic`, and the delegation paramiko lacks).
#[derive(Debug)]
pub struct GssapiWithMicServer {
    credentials: Option<Credentials>,
    session_id: Vec<u8>,
    supported: Vec<Mechanism>,
    limits: Limits,
    state: ServerState,
    request: Option<UserauthRequest>,
    context: Option<SecurityContext>,
    authenticated: Option<Authenticated>,
}

/// A user the server authenticated: who they claim to be and who GSSAPI says they are.
/// Whether that principal may log in as that user is the application's decision (OpenSSH:
/// `krb5_kuserok`, `.k5login`).
#[derive(Debug)]
pub struct Authenticated {
    /// The user name of the request.
    pub user: String,
    /// The service of the request.
    pub service: String,
    /// The client's principal.
    pub principal: Name,
    /// The mechanism used.
    pub mech: Mechanism,
    /// Credentials the client delegated, stored in a per-session ccache.
    pub delegated: Option<DelegatedCredentials>,
}

/// Delegated credentials kept for one session in a [`TemporaryCcache`], destroyed with it.
#[derive(Debug)]
pub struct DelegatedCredentials {
    /// The ccache holding them (its name goes to the session's `KRB5CCNAME`).
    pub ccache: TemporaryCcache,
    /// The credentials themselves.
    pub credentials: Credentials,
}

impl DelegatedCredentials {
    /// The ccache's name, `MEMORY:...`.
    pub fn ccache_name(&self) -> &str {
        self.ccache.name()
    }
}

impl GssapiWithMicServer {
    /// A server with acceptor `credentials` (`None`: the default keytab) on the session with
    /// this id. It accepts Kerberos unless [`mechs`](Self::mechs) says otherwise.
    pub fn new(credentials: Option<&Credentials>, session_id: &[u8]) -> Self {
        GssapiWithMicServer {
            credentials: credentials.cloned(),
            session_id: session_id.to_vec(),
            supported: vec![Mechanism::KERBEROS],
            limits: Limits::default(),
            state: ServerState::AwaitingRequest,
            request: None,
            context: None,
            authenticated: None,
        }
    }

    /// The mechanisms this server accepts.
    pub fn mechs(mut self, mechs: Vec<Mechanism>) -> Self {
        self.supported = mechs;
        self
    }

    /// Bounds for parsing the client's messages.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Takes one client message (the `SSH_MSG_USERAUTH_REQUEST` first) and returns what to
    /// send. A GSSAPI failure is [`SshError::ContextFailed`] with the ERRTOK and ERROR to send
    /// before `SSH_MSG_USERAUTH_FAILURE`; any failure leaves the server unusable.
    pub fn receive(&mut self, message: &[u8]) -> Result<Step, SshError> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.ssh.server",
                stage = ?self.state,
                message_number = message.first().copied(),
                user = tracing::field::Empty,
                mechanism = tracing::field::Empty,
                sent = tracing::field::Empty,
                done = tracing::field::Empty,
                principal = tracing::field::Empty,
                delegated = tracing::field::Empty,
            )
        );
        let result = self.receive_inner(message);
        if result.is_err() {
            self.state = ServerState::Failed;
        }
        trace::only!(self.record_receive(&span, &result));
        result
    }

    /// Records what a message did on the server's span.
    #[cfg(feature = "tracing")]
    fn record_receive(&self, span: &tracing::Span, result: &Result<Step, SshError>) {
        use tracing::field::display;
        record_receive(span, "ssh.server.receive", result);
        if span.is_disabled() {
            return;
        }
        if let Some(request) = &self.request {
            span.record("user", display(&request.user));
        }
        if let Some(a) = &self.authenticated {
            span.record("mechanism", display(&a.mech));
            span.record("principal", display(&a.principal));
            span.record("delegated", a.delegated.is_some());
        }
    }

    fn receive_inner(&mut self, message: &[u8]) -> Result<Step, SshError> {
        if self.state == ServerState::AwaitingRequest {
            let request = UserauthRequest::parse(message, &self.limits)?;
            let Some(mech) = request
                .mechs
                .iter()
                .find(|m| self.supported.contains(m))
                .cloned()
            else {
                return Err(SshError::NoCommonMechanism);
            };
            trace::event!(
                DEBUG,
                mechanism = %mech,
                user = %request.user,
                service = %request.service,
                "gssapi.ssh: chose a mechanism",
            );
            self.context = Some(SecurityContext::acceptor(self.credentials.as_ref()).build());
            self.request = Some(request);
            self.state = ServerState::Establishing;
            return Ok(Step {
                send: encode(&[UserauthGssapi::Response(mech)])?,
                done: false,
            });
        }
        let msg = UserauthGssapi::parse(message, &self.limits)?;
        match (self.state, msg) {
            (ServerState::Establishing, UserauthGssapi::Token(token)) => {
                let context = self.context.as_mut().ok_or(SshError::State {
                    operation: "receive",
                    reason: "no context",
                })?;
                let out = context.step(Some(&token)).map_err(|e| failed(e, true))?;
                if context.is_complete() {
                    self.state = ServerState::AwaitingMic;
                }
                let msgs: Vec<_> = out
                    .map(|t| UserauthGssapi::Token(t.to_vec()))
                    .into_iter()
                    .collect();
                Ok(Step {
                    send: encode(&msgs)?,
                    done: false,
                })
            }
            (ServerState::AwaitingMic, UserauthGssapi::Mic(mic)) => {
                let request = self.request.as_ref().ok_or(SshError::State {
                    operation: "receive",
                    reason: "no request",
                })?;
                let data = mic_data(&self.session_id, &request.user, &request.service);
                let context = self.context.as_mut().ok_or(SshError::State {
                    operation: "receive",
                    reason: "no context",
                })?;
                context
                    .verify_mic(&data, &mic)
                    .map_err(|source| SshError::BadMic { source })?;
                self.finish()
            }
            (ServerState::AwaitingMic, UserauthGssapi::ExchangeComplete) => {
                // Only a context without integrity may end without a MIC: otherwise the
                // client skipped the check that binds the login to this session.
                let context = self.context.as_ref().ok_or(SshError::State {
                    operation: "receive",
                    reason: "no context",
                })?;
                if context.has_integrity()? {
                    return Err(SshError::MicRequired);
                }
                self.finish()
            }
            (
                ServerState::Establishing | ServerState::AwaitingMic,
                msg @ (UserauthGssapi::Error(_) | UserauthGssapi::ErrorToken(_)),
            ) => Err(peer_failure(msg, self.context.as_mut())),
            (state, msg) => Err(SshError::UnexpectedMessage {
                code: msg.code(),
                expected: match state {
                    ServerState::Establishing => "SSH_MSG_USERAUTH_GSSAPI_TOKEN",
                    ServerState::AwaitingMic => "SSH_MSG_USERAUTH_GSSAPI_MIC",
                    _ => "nothing: the server is not waiting for a message",
                },
            }),
        }
    }

    fn finish(&mut self) -> Result<Step, SshError> {
        let (Some(request), Some(context)) = (self.request.clone(), self.context.as_ref()) else {
            return Err(SshError::State {
                operation: "receive",
                reason: "no request or context",
            });
        };
        // Delegated credentials are kept only for a client that proved who it is.
        let delegated = match context.delegated_credentials()? {
            Some(credentials) => {
                let ccache = TemporaryCcache::new();
                ccache.store(&credentials)?;
                Some(DelegatedCredentials {
                    ccache,
                    credentials,
                })
            }
            None => None,
        };
        self.authenticated = Some(Authenticated {
            user: request.user,
            service: request.service,
            principal: context.initiator_name()?,
            mech: context.mech()?,
            delegated,
        });
        self.state = ServerState::Done;
        Ok(Step {
            send: Vec::new(),
            done: true,
        })
    }

    /// The request, once received: the user name, service and offered mechanisms.
    pub fn request(&self) -> Option<&UserauthRequest> {
        self.request.as_ref()
    }

    /// The established context.
    pub fn context(&self) -> Option<&SecurityContext> {
        self.context.as_ref()
    }

    /// The authenticated user, once the MIC verified (then `SSH_MSG_USERAUTH_SUCCESS` is the
    /// application's to send, after its authorization check).
    pub fn authenticated(&self) -> Option<&Authenticated> {
        self.authenticated.as_ref()
    }

    /// Takes the authenticated user (with the delegated ccache) out of the server.
    pub fn into_authenticated(self) -> Option<Authenticated> {
        self.authenticated
    }
}
