//! The `GSSAPI` SASL mechanism (RFC 4752), client and server.

use super::layer::{Layer, LayerChoice, LayerOffer, Layers, MAX_BUFFER_LIMIT, check_authzid};
use super::{
    ChallengeResponse, ClientMechanism, SaslError, ServerChallenge, ServerCredentials,
    ServerMechanism, ServerOutcome, Session,
};
use crate::context::{Protection, SecurityContext};
use crate::credentials::Credentials;
use crate::mechanism::Mechanism;
use crate::name::Name;
use crate::trace;
use gssapi_raw::Flags;

/// The maximum buffer announced by default: 64 KiB, as Cyrus SASL.
const DEFAULT_MAX_BUFFER: u32 = 65536;

fn state(operation: &'static str, reason: &'static str) -> SaslError {
    SaslError::State { operation, reason }
}

/// The layers both the application (`min..=max`) and the context (its flags) allow.
fn possible_layers(context: &SecurityContext, min: Layer, max: Layer) -> Result<Layers, SaslError> {
    let flags = context.flags()?;
    let mut layers = Layers::EMPTY;
    for layer in Layer::ALL {
        let supported = match layer {
            Layer::None => true,
            Layer::Integrity => flags.contains(Flags::INTEG),
            Layer::Confidentiality => flags.contains(Flags::CONF),
        };
        if supported && (min..=max).contains(&layer) {
            layers = layers.with(layer);
        }
    }
    Ok(layers)
}

/// The layer a `GSS-SPNEGO` context gives, as Cyrus SASL derives it (there is no layer
/// negotiation): confidentiality with the confidentiality flag, else integrity with the
/// integrity flag, else none.
fn layer_from_flags(context: &SecurityContext) -> Result<Layer, SaslError> {
    let flags = context.flags()?;
    Ok(if flags.contains(Flags::CONF) {
        Layer::Confidentiality
    } else if flags.contains(Flags::INTEG) {
        Layer::Integrity
    } else {
        Layer::None
    })
}

/// Checks a `GSS-SPNEGO` outcome against the application's bounds.
fn spnego_layer(context: &SecurityContext, min: Layer, max: Layer) -> Result<Layer, SaslError> {
    let layer = layer_from_flags(context)?;
    if (min..=max).contains(&layer) {
        Ok(layer)
    } else {
        Err(SaslError::NoAcceptableLayer {
            offered: Layers::EMPTY.with(layer),
            min,
            max,
        })
    }
}

/// What the client authenticates with (pysasl: `ClientCredentials`): GSSAPI credentials (the
/// default ticket cache when none are given) and the authorization identity to ask for.
#[derive(Debug, Clone, Default)]
pub struct ClientCredentials {
    credentials: Option<Credentials>,
    authzid: Option<String>,
}

impl ClientCredentials {
    /// The default credentials and no authzid.
    pub fn new() -> ClientCredentials {
        ClientCredentials::default()
    }

    /// Initiate with these credentials (e.g. from a ccache or client keytab through a
    /// credential store) instead of the default ones.
    pub fn credentials(mut self, credentials: &Credentials) -> ClientCredentials {
        self.credentials = Some(credentials.clone());
        self
    }

    /// Ask to act as `authzid`; one with a NUL byte is [`SaslError::BadAuthzid`].
    pub fn authzid(mut self, authzid: &str) -> Result<ClientCredentials, SaslError> {
        check_authzid(authzid)?;
        self.authzid = (!authzid.is_empty()).then(|| authzid.to_owned());
        Ok(self)
    }

    /// The authzid asked for.
    pub fn get_authzid(&self) -> Option<&str> {
        self.authzid.as_deref()
    }
}

/// Default initiator credentials whose Kerberos contexts carry neither the integrity nor the
/// confidentiality flag (`GSS_KRB5_CRED_NO_CI_FLAGS_X`).
fn without_integrity_flags() -> Result<Credentials, SaslError> {
    let creds = Credentials::builder()
        .usage(crate::credentials::CredUsage::Initiate)
        .acquire()?;
    let Ok(mut raw) = creds.into_raw() else {
        return Err(state("client_attempt", "fresh credentials are shared"));
    };
    gssapi_raw::ext::ggf::set_cred_option(
        &mut raw,
        &gssapi_raw::ext::ggf::oids::KRB5_CRED_NO_CI_FLAGS_X,
        &[],
    )
    .map_err(crate::Error::from)?;
    Ok(Credentials::from_raw(raw))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    Start,
    Negotiating,
    AwaitOffer,
    Done,
    Failed,
}

/// The client side of `GSSAPI` (RFC 4752) towards a `service@host` target.
///
/// It requests mutual authentication (and refuses a context without it), sequence and replay
/// detection, integrity and confidentiality; delegation only with
/// [`delegate(true)`](GssapiClient::delegate). It picks the strongest layer the server offers
/// within [`layers(min, max)`](GssapiClient::layers) (default: none to confidentiality).
/// [`GssapiClient::gss_spnego`] makes a `GSS-SPNEGO` client instead.
#[derive(Debug)]
pub struct GssapiClient {
    target: Name,
    spnego: bool,
    min: Layer,
    max: Layer,
    max_buffer: u32,
    delegate: bool,
    state: ClientState,
    seen: usize,
    context: Option<SecurityContext>,
    session: Option<Session>,
}

impl GssapiClient {
    /// A client towards `target`, normally a host-based service name (`ldap@host`, from
    /// [`Name::hostbased_service`]).
    pub fn new(target: &Name) -> GssapiClient {
        GssapiClient {
            target: target.clone(),
            spnego: false,
            min: Layer::None,
            max: Layer::Confidentiality,
            max_buffer: DEFAULT_MAX_BUFFER,
            delegate: false,
            state: ClientState::Start,
            seen: 0,
            context: None,
            session: None,
        }
    }

    /// A `GSS-SPNEGO` client towards `target`, as Cyrus SASL and Active Directory speak it:
    /// SPNEGO instead of Kerberos, and no layer negotiation after the context is established
    /// (so no authzid). The layer follows the context's flags (confidentiality when granted);
    /// [`layers(min, max)`](GssapiClient::layers) is checked against it, and a maximum of
    /// [`Layer::None`] asks the Kerberos mechanism for a context without integrity and
    /// confidentiality (`GSS_KRB5_CRED_NO_CI_FLAGS_X`, as Cyrus does) when the client uses the
    /// default credentials. The client is done when the context is; the server's last token
    /// may come as a challenge or as the success message's data, and either way goes to
    /// [`client_attempt`](ClientMechanism::client_attempt).
    pub fn gss_spnego(target: &Name) -> GssapiClient {
        GssapiClient {
            spnego: true,
            ..GssapiClient::new(target)
        }
    }

    /// A client towards the host-based service `service@host`.
    pub fn for_service(service_at_host: &str) -> Result<GssapiClient, SaslError> {
        Ok(GssapiClient::new(&Name::hostbased_service(
            service_at_host,
        )?))
    }

    /// The weakest and strongest layer the application accepts (`min > max` accepts none).
    #[must_use]
    pub fn layers(mut self, min: Layer, max: Layer) -> GssapiClient {
        self.min = min;
        self.max = max;
        self
    }

    /// The largest frame payload this side accepts under a layer (announced to the server;
    /// capped at 2^24 - 1; default 65536).
    #[must_use]
    pub fn max_buffer(mut self, bytes: u32) -> GssapiClient {
        self.max_buffer = bytes.min(MAX_BUFFER_LIMIT);
        self
    }

    /// Delegate (forward) the client's credentials to the server (default: no).
    #[must_use]
    pub fn delegate(mut self, delegate: bool) -> GssapiClient {
        self.delegate = delegate;
        self
    }

    /// Whether the client has sent its final message.
    pub fn is_complete(&self) -> bool {
        self.state == ClientState::Done
    }

    /// The session after the client's final message: layer, encode/decode.
    pub fn into_session(self) -> Result<Session, SaslError> {
        self.session.ok_or(state(
            "into_session",
            "the exchange is not finished: keep calling client_attempt",
        ))
    }

    fn flags(&self) -> Flags {
        let mut flags = Flags::MUTUAL | Flags::SEQUENCE | Flags::REPLAY;
        // RFC 4752 needs integrity for its layer negotiation; GSS-SPNEGO asks for what the
        // application's maximum allows, as Cyrus does.
        if !self.spnego || self.max >= Layer::Integrity {
            flags |= Flags::INTEG;
        }
        if !self.spnego || self.max >= Layer::Confidentiality {
            flags |= Flags::CONF;
        }
        if self.delegate {
            flags |= Flags::DELEGATE;
        }
        flags
    }

    /// The session of a `GSS-SPNEGO` exchange: each side assumes the other accepts frames as
    /// large as its own maximum buffer (Cyrus does the same).
    fn finish_spnego(&mut self, layer: Layer) -> Result<(), SaslError> {
        let Some(context) = self.context.take() else {
            return Err(state("client_attempt", "no context"));
        };
        let max_buffer = if layer.is_protected() {
            self.max_buffer
        } else {
            0
        };
        self.session = Some(Session::new(
            context,
            layer,
            self.target.to_string(),
            None,
            max_buffer,
            max_buffer,
        )?);
        self.state = ClientState::Done;
        Ok(())
    }

    fn attempt(
        &mut self,
        creds: &ClientCredentials,
        challenges: &[ServerChallenge],
    ) -> Result<ChallengeResponse, SaslError> {
        let new = challenges.get(self.seen..).unwrap_or_default();
        let latest = || challenges.last().map(|c| c.0.clone()).unwrap_or_default();
        match self.state {
            ClientState::Done if !new.is_empty() => {
                return Err(SaslError::UnexpectedChallenge {
                    reason: "a challenge after the client's final message",
                });
            }
            ClientState::Done => {
                return Err(state("client_attempt", "the exchange is finished"));
            }
            ClientState::Failed => {
                return Err(state("client_attempt", "an earlier attempt failed"));
            }
            ClientState::Start => {
                if new.len() > 1 || new.first().is_some_and(|c| !c.0.is_empty()) {
                    return Err(SaslError::UnexpectedChallenge {
                        reason: "GSSAPI starts with an empty challenge or none",
                    });
                }
                if self.spnego && creds.authzid.is_some() {
                    return Err(SaslError::BadAuthzid {
                        reason: "GSS-SPNEGO has no message to carry an authzid",
                    });
                }
                let mech = if self.spnego {
                    Mechanism::SPNEGO
                } else {
                    Mechanism::KERBEROS
                };
                let mut builder = SecurityContext::initiator(&self.target)
                    .mech(&mech)
                    .flags(self.flags());
                if let Some(c) = &creds.credentials {
                    builder = builder.credentials(c);
                } else if self.spnego && self.max == Layer::None {
                    builder = builder.credentials(&without_integrity_flags()?);
                }
                let mut context = builder.build();
                let token = context.step(None)?.map(|t| t.to_vec()).unwrap_or_default();
                if context.is_complete() {
                    // Only a context without mutual authentication completes in one step.
                    return Err(SaslError::MissingFlag {
                        missing: "mutual authentication",
                    });
                }
                self.context = Some(context);
                self.seen = challenges.len();
                self.state = ClientState::Negotiating;
                return Ok(ChallengeResponse {
                    challenge: latest(),
                    response: token,
                });
            }
            ClientState::Negotiating | ClientState::AwaitOffer => {}
        }
        let [challenge] = new else {
            return Err(if new.is_empty() {
                state("client_attempt", "no new challenge since the last response")
            } else {
                state("client_attempt", "several new challenges at once")
            });
        };
        self.seen = challenges.len();
        let Some(context) = self.context.as_mut() else {
            return Err(state("client_attempt", "no context"));
        };
        if self.state == ClientState::Negotiating {
            let reply = context.step(Some(&challenge.0))?;
            if context.is_complete() {
                if !context.is_mutual()? {
                    return Err(SaslError::MissingFlag {
                        missing: "mutual authentication",
                    });
                }
                self.state = ClientState::AwaitOffer;
                if self.spnego {
                    let layer = spnego_layer(context, self.min, self.max)?;
                    self.finish_spnego(layer)?;
                }
            }
            return Ok(ChallengeResponse {
                challenge: challenge.0.clone(),
                response: reply.map(|t| t.to_vec()).unwrap_or_default(),
            });
        }
        // The server's offer: wrapped, integrity at least (unwrap checks it).
        let offer = LayerOffer::parse(&context.unwrap(&challenge.0)?.message)?;
        let possible = possible_layers(context, self.min, self.max)?;
        let layer = offer
            .layers
            .iter()
            .filter(|l| possible.contains(*l))
            .last()
            .ok_or(SaslError::NoAcceptableLayer {
                offered: offer.layers,
                min: self.min,
                max: self.max,
            })?;
        if layer.is_protected() && offer.max_buffer == 0 {
            return Err(SaslError::ZeroMaxBuffer { layer });
        }
        let choice = LayerChoice {
            layer,
            max_buffer: if layer.is_protected() {
                self.max_buffer
            } else {
                0
            },
            authzid: creds.authzid.clone(),
        };
        let message = choice.to_bytes()?;
        let wrapped = context.wrap(&message, Protection::Sign)?;
        let peer = self.target.to_string();
        let Some(context) = self.context.take() else {
            return Err(state("client_attempt", "no context"));
        };
        self.session = Some(Session::new(
            context,
            layer,
            peer,
            choice.authzid,
            choice.max_buffer,
            offer.max_buffer,
        )?);
        self.state = ClientState::Done;
        Ok(ChallengeResponse {
            challenge: challenge.0.clone(),
            response: wrapped.message.to_vec(),
        })
    }
}

impl ClientMechanism for GssapiClient {
    type Credentials = ClientCredentials;

    fn name(&self) -> &'static str {
        if self.spnego { "GSS-SPNEGO" } else { "GSSAPI" }
    }

    fn client_attempt(
        &mut self,
        creds: &ClientCredentials,
        challenges: &[ServerChallenge],
    ) -> Result<ChallengeResponse, SaslError> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.sasl.client",
                mechanism = self.name(),
                target = %self.target,
                round = challenges.len(),
                stage = ?self.state,
                response_len = tracing::field::Empty,
                done = tracing::field::Empty,
                layer = tracing::field::Empty,
            )
        );
        let result = self.attempt(creds, challenges);
        if result.is_err() && self.state != ClientState::Done {
            self.state = ClientState::Failed;
        }
        trace::only!(self.record_round(&span, &result));
        result
    }
}

impl GssapiClient {
    /// Records what a round did on its span (and its failure as an event).
    #[cfg(feature = "tracing")]
    fn record_round(&self, span: &tracing::Span, result: &Result<ChallengeResponse, SaslError>) {
        match result {
            Ok(r) => {
                span.record("response_len", r.response.len());
                span.record("done", self.state == ClientState::Done);
                if let Some(session) = &self.session {
                    span.record("layer", tracing::field::display(session.layer()));
                }
            }
            Err(e) => trace::failure("sasl.client_attempt", e),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerState {
    Start,
    Negotiating,
    SentLastToken,
    SentOffer(Layers),
    Done,
    Failed,
}

/// The server side of `GSSAPI` (RFC 4752).
///
/// It offers every layer within [`layers(min, max)`](GssapiServer::layers) (default: none to
/// confidentiality) that the context supports, and accepts only a client choice among them.
/// The result is [`GssapiCredentials`]: the authenticated principal and the authzid, for the
/// application to authorize. [`GssapiServer::gss_spnego`] makes a `GSS-SPNEGO` server instead.
#[derive(Debug)]
pub struct GssapiServer {
    creds: Option<Credentials>,
    spnego: bool,
    min: Layer,
    max: Layer,
    max_buffer: u32,
    state: ServerState,
    seen: usize,
    context: Option<SecurityContext>,
}

impl GssapiServer {
    /// A server accepting with `creds` (`None`: the default acceptor credentials, e.g. the
    /// keytab).
    pub fn new(creds: Option<&Credentials>) -> GssapiServer {
        GssapiServer {
            creds: creds.cloned(),
            spnego: false,
            min: Layer::None,
            max: Layer::Confidentiality,
            max_buffer: DEFAULT_MAX_BUFFER,
            state: ServerState::Start,
            seen: 0,
            context: None,
        }
    }

    /// A `GSS-SPNEGO` server, as Cyrus SASL speaks it: SPNEGO tokens, no layer negotiation
    /// (the layer follows the context's flags and is checked against
    /// [`layers(min, max)`](GssapiServer::layers)), no authzid. The exchange ends with the
    /// context: [`ServerOutcome::Success`] carries the last token in `final_response`, to send
    /// with the success message (or, where the protocol has no such data, as a last challenge
    /// whose empty response the application discards).
    pub fn gss_spnego(creds: Option<&Credentials>) -> GssapiServer {
        GssapiServer {
            spnego: true,
            ..GssapiServer::new(creds)
        }
    }

    /// The weakest and strongest layer the application accepts.
    #[must_use]
    pub fn layers(mut self, min: Layer, max: Layer) -> GssapiServer {
        self.min = min;
        self.max = max;
        self
    }

    /// The largest frame payload this side accepts under a layer (announced to the client;
    /// capped at 2^24 - 1; default 65536).
    #[must_use]
    pub fn max_buffer(mut self, bytes: u32) -> GssapiServer {
        self.max_buffer = bytes.min(MAX_BUFFER_LIMIT);
        self
    }

    /// Sends the wrapped offer as the next challenge.
    fn offer(&mut self) -> Result<ServerOutcome<GssapiCredentials>, SaslError> {
        let Some(context) = self.context.as_mut() else {
            return Err(state("server_attempt", "no context"));
        };
        if !context.has_integrity()? {
            return Err(SaslError::MissingFlag {
                missing: "integrity (needed to protect the layer negotiation)",
            });
        }
        let layers = possible_layers(context, self.min, self.max)?;
        if layers == Layers::EMPTY {
            return Err(SaslError::NoAcceptableLayer {
                offered: possible_layers(context, Layer::None, Layer::Confidentiality)?,
                min: self.min,
                max: self.max,
            });
        }
        if layers.has_protection() && self.max_buffer == 0 {
            return Err(SaslError::ZeroMaxBuffer {
                layer: layers.iter().last().unwrap_or(Layer::Integrity),
            });
        }
        let offer = LayerOffer {
            layers,
            max_buffer: if layers.has_protection() {
                self.max_buffer
            } else {
                0
            },
        };
        let wrapped = context.wrap(&offer.to_bytes(), Protection::Sign)?;
        self.state = ServerState::SentOffer(layers);
        Ok(ServerOutcome::Challenge(ServerChallenge(
            wrapped.message.to_vec(),
        )))
    }

    fn finish_spnego(
        &mut self,
        final_response: Option<Vec<u8>>,
    ) -> Result<ServerOutcome<GssapiCredentials>, SaslError> {
        let Some(context) = self.context.take() else {
            return Err(state("server_attempt", "no context"));
        };
        let layer = spnego_layer(&context, self.min, self.max)?;
        let principal = context.initiator_name()?;
        let authcid = principal.to_string();
        let max_buffer = if layer.is_protected() {
            self.max_buffer
        } else {
            0
        };
        let session = Session::new(
            context,
            layer,
            authcid.clone(),
            None,
            max_buffer,
            max_buffer,
        )?;
        self.state = ServerState::Done;
        Ok(ServerOutcome::Success {
            credentials: GssapiCredentials {
                principal,
                authcid,
                authzid: None,
                session,
            },
            final_response,
        })
    }

    fn attempt(
        &mut self,
        responses: &[ChallengeResponse],
    ) -> Result<ServerOutcome<GssapiCredentials>, SaslError> {
        match self.state {
            ServerState::Done => return Err(state("server_attempt", "the exchange is finished")),
            ServerState::Failed => {
                return Err(state("server_attempt", "an earlier attempt failed"));
            }
            ServerState::Start if responses.is_empty() => {
                // No initial response: ask for the client's first token.
                return Ok(ServerOutcome::Challenge(ServerChallenge::default()));
            }
            _ => {}
        }
        let new = responses.get(self.seen..).unwrap_or_default();
        let [response] = new else {
            return Err(if new.is_empty() {
                state("server_attempt", "no response to the last challenge")
            } else {
                state("server_attempt", "several new responses at once")
            });
        };
        self.seen = responses.len();
        match self.state {
            ServerState::Start | ServerState::Negotiating => {
                if response.response.is_empty() {
                    return Err(SaslError::InvalidResponse {
                        reason: "an empty response where a GSSAPI token was due",
                    });
                }
                let context = self
                    .context
                    .get_or_insert_with(|| SecurityContext::acceptor(self.creds.as_ref()).build());
                let reply = context.step(Some(&response.response))?;
                if !context.is_complete() {
                    self.state = ServerState::Negotiating;
                    let reply = reply.ok_or(SaslError::InvalidResponse {
                        reason: "the context needs more but produced no token",
                    })?;
                    return Ok(ServerOutcome::Challenge(ServerChallenge(reply.to_vec())));
                }
                if self.spnego {
                    return self.finish_spnego(reply.map(|t| t.to_vec()));
                }
                match reply {
                    // The mutual-authentication reply; the client answers it with nothing.
                    Some(reply) => {
                        self.state = ServerState::SentLastToken;
                        Ok(ServerOutcome::Challenge(ServerChallenge(reply.to_vec())))
                    }
                    None => self.offer(),
                }
            }
            ServerState::SentLastToken => {
                if !response.response.is_empty() {
                    return Err(SaslError::InvalidResponse {
                        reason: "the context is established: the response must be empty",
                    });
                }
                self.offer()
            }
            ServerState::SentOffer(offered) => {
                let Some(mut context) = self.context.take() else {
                    return Err(state("server_attempt", "no context"));
                };
                let choice = LayerChoice::parse(&context.unwrap(&response.response)?.message)?;
                if !offered.contains(choice.layer) {
                    return Err(SaslError::LayerNotOffered {
                        chosen: choice.layer,
                        offered,
                    });
                }
                let principal = context.initiator_name()?;
                let authcid = principal.to_string();
                let max_buffer = if choice.layer.is_protected() {
                    self.max_buffer
                } else {
                    0
                };
                let session = Session::new(
                    context,
                    choice.layer,
                    authcid.clone(),
                    choice.authzid.clone(),
                    max_buffer,
                    choice.max_buffer,
                )?;
                self.state = ServerState::Done;
                Ok(ServerOutcome::Success {
                    credentials: GssapiCredentials {
                        principal,
                        authcid,
                        authzid: choice.authzid,
                        session,
                    },
                    final_response: None,
                })
            }
            ServerState::Done | ServerState::Failed => {
                Err(state("server_attempt", "the exchange is over"))
            }
        }
    }
}

impl ServerMechanism for GssapiServer {
    type Credentials = GssapiCredentials;

    fn name(&self) -> &'static str {
        if self.spnego { "GSS-SPNEGO" } else { "GSSAPI" }
    }

    fn server_attempt(
        &mut self,
        responses: &[ChallengeResponse],
    ) -> Result<ServerOutcome<GssapiCredentials>, SaslError> {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi.sasl.server",
                mechanism = self.name(),
                round = responses.len(),
                stage = ?self.state,
                outcome = tracing::field::Empty,
                challenge_len = tracing::field::Empty,
                offered = tracing::field::Empty,
                layer = tracing::field::Empty,
                authcid = tracing::field::Empty,
                authzid = tracing::field::Empty,
            )
        );
        let result = self.attempt(responses);
        if result.is_err() && self.state != ServerState::Done {
            self.state = ServerState::Failed;
        }
        trace::only!(self.record_round(&span, &result));
        result
    }
}

impl GssapiServer {
    /// Records what a round did on its span (and its failure as an event).
    #[cfg(feature = "tracing")]
    fn record_round(
        &self,
        span: &tracing::Span,
        result: &Result<ServerOutcome<GssapiCredentials>, SaslError>,
    ) {
        use tracing::field::display;
        match result {
            Ok(ServerOutcome::Challenge(c)) => {
                span.record("outcome", "challenge");
                span.record("challenge_len", c.0.len());
                if let ServerState::SentOffer(layers) = self.state {
                    span.record("offered", display(layers));
                }
            }
            Ok(ServerOutcome::Success {
                credentials,
                final_response,
            }) => {
                span.record("outcome", "success");
                if let Some(last) = final_response {
                    span.record("challenge_len", last.len());
                }
                span.record("layer", display(credentials.layer()));
                span.record("authcid", credentials.authcid());
                if let Some(authzid) = credentials.authzid() {
                    span.record("authzid", authzid);
                }
            }
            Err(e) => trace::failure("sasl.server_attempt", e),
        }
    }
}

/// What the server learns from a `GSSAPI` exchange: the authenticated principal (authcid),
/// the authzid it asks for, and the session, which the application gets once it
/// [authorizes](GssapiCredentials::authorize) the request.
#[derive(Debug)]
pub struct GssapiCredentials {
    principal: Name,
    authcid: String,
    authzid: Option<String>,
    session: Session,
}

impl GssapiCredentials {
    /// The authenticated principal as a GSSAPI name (for `gss_localname`, attributes, ...).
    pub fn principal(&self) -> &Name {
        &self.principal
    }

    /// The negotiated security layer.
    pub fn layer(&self) -> Layer {
        self.session.layer()
    }

    /// The GSSAPI context (flags, delegated credentials, lifetime).
    pub fn context(&self) -> &SecurityContext {
        self.session.context()
    }

    /// The application's decision: `allow` sees these credentials and returns whether the
    /// authcid may act as the requested identity. Allowed: the session; refused:
    /// [`SaslError::Unauthorized`].
    pub fn authorize(
        self,
        allow: impl FnOnce(&GssapiCredentials) -> bool,
    ) -> Result<Session, SaslError> {
        if allow(&self) {
            Ok(self.session)
        } else {
            Err(SaslError::Unauthorized {
                identity: self.identity().to_owned(),
                authcid: self.authcid,
            })
        }
    }

    /// The common policy: allowed when the client asked for no authzid, or for its own
    /// principal.
    pub fn authorize_self(self) -> Result<Session, SaslError> {
        self.authorize(|c| c.authzid().is_none_or(|z| z == c.authcid()))
    }
}

impl ServerCredentials for GssapiCredentials {
    fn authcid(&self) -> &str {
        &self.authcid
    }

    fn authzid(&self) -> Option<&str> {
        self.authzid.as_deref()
    }
}
