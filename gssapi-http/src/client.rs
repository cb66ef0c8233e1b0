//! The client: a sans-IO core that any HTTP client can drive (requests-gssapi's
//! `HTTPSPNEGOAuth`, in Rust).
//!
//! ```no_run
//! use gssapi_http::client::{MutualAuthentication, NegotiateClient, Next};
//! use http::{HeaderMap, StatusCode};
//!
//! # fn send(_auth: &HeaderMap) -> (StatusCode, HeaderMap) { (StatusCode::OK, HeaderMap::new()) }
//! let client = NegotiateClient::builder()
//!     .mutual_authentication(MutualAuthentication::Required)
//!     .build();
//!
//! // One exchange per request; the host is the URL's (the target is HTTP@host).
//! let mut exchange = client.exchange();
//! let mut headers = HeaderMap::new();
//! if let Some(auth) = exchange.initial("www.example.com")? {
//!     auth.apply(&mut headers); // only with .opportunistic(true)
//! }
//! loop {
//!     let (status, response_headers) = send(&headers);
//!     match exchange.response("www.example.com", status, &response_headers)? {
//!         Next::Retry(auth) => auth.apply(&mut headers), // resend with these headers
//!         Next::Done(verdict) => {
//!             println!("{status}, server {:?}", verdict);
//!             break;
//!         }
//!         Next::Sanitize => {
//!             println!("{status}, body and headers dropped: the server was not authenticated");
//!             break;
//!         }
//!     }
//! }
//! # Ok::<(), gssapi_http::client::ClientError>(())
//! ```
//!
//! What each option does, and how the exchange answers each response, follows requests-gssapi
//! (see the crate's `docs/http.md` for the porting table):
//!
//! - A 401 (407 for a proxy) with a `Negotiate` challenge: the next token, as
//!   [`Next::Retry`], at most [`ClientBuilder::max_rounds`] times (2, as requests-gssapi);
//!   after that, or when the server offers no Negotiate, the 401 is the answer.
//! - Any other response under [`MutualAuthentication::Required`] or `Optional`: its
//!   `Negotiate` token must complete the context (a bad or forged token is a
//!   [`ClientError::MutualAuthentication`] in both modes). Without a token, a non-error
//!   response is an error under `Required` and returned under `Optional`; an error response
//!   (status 400 and up) is returned, sanitized ([`Next::Sanitize`]: drop the body and
//!   headers) under `Required` unless [`ClientBuilder::sanitize_mutual_error_response`] is
//!   `false`. That last rule is the fix of CVE-2014-8650: an unauthenticated attacker's page
//!   must not reach the caller as the server's.

use crate::cbt;
use crate::header::{self, HeaderError, Limits, NegotiateChallenge};
use crate::trace;
use gssapi::{ChannelBindings, Credentials, Flags, Mechanism, Name, SecurityContext};
use http::header::{AUTHORIZATION, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, StatusCode};
use std::sync::Arc;

/// Mutual authentication (requests-gssapi's `REQUIRED`, `OPTIONAL`, `DISABLED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MutualAuthentication {
    /// The server must prove itself on every non-error response.
    Required,
    /// A server token, when sent, must be right; a response without one is accepted.
    Optional,
    /// Not requested and not checked (requests-gssapi's default since 1.1.0).
    #[default]
    Disabled,
}

/// Why an exchange failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The GSSAPI library failed to make or process a token (no ticket, unknown server, ...).
    #[error("GSSAPI: {0}")]
    Gss(#[from] gssapi::Error),
    /// The server's challenge did not parse.
    #[error("the server's challenge: {0}")]
    Header(#[from] HeaderError),
    /// The response could not be authenticated although mutual authentication was asked for
    /// (requests-gssapi's `MutualAuthenticationError`). Do not trust the response.
    #[error("mutual authentication failed (status {status}): {reason}")]
    MutualAuthentication {
        /// The response's status.
        status: StatusCode,
        /// What was wrong.
        reason: String,
    },
    /// A proxy asked for authentication but no proxy host is configured.
    #[error("a proxy asked for Negotiate authentication (407) but no proxy host is configured")]
    NoProxyHost,
    /// The server certificate gave no channel bindings.
    #[error("channel bindings: {0}")]
    ChannelBindings(#[from] cbt::CertificateError),
    /// The explicit credentials have a Kerberos element but none for SPNEGO (e.g. from
    /// `Credentials::initiator_from_ccache`, `gss_krb5_import_cred`). MIT would then
    /// silently use the *default* credentials for SPNEGO, another identity; Heimdal fails
    /// with `GSS_S_NO_CRED`. Use [`Mechanism::KERBEROS`] with such credentials, or acquire
    /// them for SPNEGO too (a credential store's `ccache`, on MIT).
    #[error(
        "the credentials have no SPNEGO element (only {have}); use the Kerberos mechanism with them"
    )]
    CredentialsWithoutSpnego {
        /// The mechanisms the credentials hold.
        have: String,
    },
}

/// How the target name is made.
#[derive(Debug, Clone)]
enum Target {
    /// `service@<request host>`.
    RequestHost,
    /// `service@<this host>`, whatever the URL says (requests-gssapi's string `target_name`).
    Host(String),
    /// This name (requests-gssapi's `gssapi.Name` `target_name`).
    Name(Name),
}

#[derive(Debug)]
struct Config {
    mutual: MutualAuthentication,
    opportunistic: bool,
    target: Target,
    service: String,
    proxy_host: Option<String>,
    credentials: Option<Credentials>,
    mech: Mechanism,
    delegate: bool,
    max_rounds: u32,
    sanitize: bool,
    limits: Limits,
    /// Why the credentials cannot be used with the mechanism, found once at build time.
    credentials_problem: Option<CredentialsProblem>,
}

/// A reason [`spnego_credentials_problem`] gave, kept to be reported by every exchange.
#[derive(Debug, Clone)]
enum CredentialsProblem {
    WithoutSpnego(String),
    Inquire(gssapi::Error),
}

impl CredentialsProblem {
    fn to_error(&self) -> ClientError {
        match self {
            CredentialsProblem::WithoutSpnego(have) => {
                ClientError::CredentialsWithoutSpnego { have: have.clone() }
            }
            CredentialsProblem::Inquire(e) => ClientError::Gss(e.clone()),
        }
    }
}

/// A configured Negotiate client (requests-gssapi's `HTTPSPNEGOAuth`): cheap to clone, shared
/// by every request.
#[derive(Debug, Clone)]
pub struct NegotiateClient {
    config: Arc<Config>,
}

/// Builds a [`NegotiateClient`].
#[derive(Debug)]
#[must_use = "call .build()"]
pub struct ClientBuilder {
    config: Config,
}

impl Default for NegotiateClient {
    fn default() -> Self {
        NegotiateClient::builder().build()
    }
}

impl NegotiateClient {
    /// The defaults: default credentials, SPNEGO, `HTTP@<host>`, no mutual authentication,
    /// no delegation, authentication after a 401 only.
    pub fn new() -> NegotiateClient {
        NegotiateClient::default()
    }

    /// A builder, starting from the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            config: Config {
                mutual: MutualAuthentication::Disabled,
                opportunistic: false,
                target: Target::RequestHost,
                service: "HTTP".into(),
                proxy_host: None,
                credentials: None,
                mech: Mechanism::SPNEGO,
                delegate: false,
                max_rounds: 2,
                sanitize: true,
                limits: Limits::default(),
                credentials_problem: None,
            },
        }
    }

    /// A new exchange, for one request (and its retries).
    pub fn exchange(&self) -> ClientExchange {
        ClientExchange {
            config: self.config.clone(),
            origin: Leg::default(),
            proxy: Leg::default(),
            bindings: None,
        }
    }

    /// The mutual-authentication mode.
    pub fn mutual_authentication(&self) -> MutualAuthentication {
        self.config.mutual
    }

    /// Whether the first request carries a token ([`ClientBuilder::opportunistic`]).
    pub fn is_opportunistic(&self) -> bool {
        self.config.opportunistic
    }
}

impl ClientBuilder {
    /// Mutual authentication (default [`MutualAuthentication::Disabled`]).
    pub fn mutual_authentication(mut self, mode: MutualAuthentication) -> Self {
        self.config.mutual = mode;
        self
    }

    /// Sends a token on the first request instead of waiting for a 401 (requests-gssapi's
    /// `opportunistic_auth`).
    pub fn opportunistic(mut self, yes: bool) -> Self {
        self.config.opportunistic = yes;
        self
    }

    /// Authenticates to `service@host` whatever host the URL names (requests-gssapi's
    /// `target_name` given as a string: behind a load balancer, a CNAME, ...).
    pub fn target_host(mut self, host: impl Into<String>) -> Self {
        self.config.target = Target::Host(host.into());
        self
    }

    /// Authenticates to exactly this name (requests-gssapi's `target_name` as a `gssapi.Name`).
    pub fn target_name(mut self, name: Name) -> Self {
        self.config.target = Target::Name(name);
        self
    }

    /// The service part of the target (default `HTTP`; requests-kerberos's `service`).
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.config.service = service.into();
        self
    }

    /// The proxy's host name, for 407 challenges (the target is then `HTTP@proxy`).
    pub fn proxy_host(mut self, host: impl Into<String>) -> Self {
        self.config.proxy_host = Some(host.into());
        self
    }

    /// Initiator credentials (requests-gssapi's `creds`; default: the default ccache).
    pub fn credentials(mut self, creds: Credentials) -> Self {
        self.config.credentials = Some(creds);
        self
    }

    /// The mechanism (requests-gssapi's `mech`; default SPNEGO, which Negotiate means).
    pub fn mech(mut self, mech: Mechanism) -> Self {
        self.config.mech = mech;
        self
    }

    /// Delegates the user's credentials to the server (requests-gssapi's `delegate`). Only to
    /// servers you trust: they can act as you.
    pub fn delegate(mut self, yes: bool) -> Self {
        self.config.delegate = yes;
        self
    }

    /// How many 401/407 challenges one request answers before the 401 is returned (default 2,
    /// as requests-gssapi; NTLM through SPNEGO needs 2).
    pub fn max_rounds(mut self, rounds: u32) -> Self {
        self.config.max_rounds = rounds;
        self
    }

    /// Whether an error response that could not be authenticated under
    /// [`MutualAuthentication::Required`] is sanitized (default `true`; requests-gssapi's
    /// `sanitize_mutual_error_response`).
    pub fn sanitize_mutual_error_response(mut self, yes: bool) -> Self {
        self.config.sanitize = yes;
        self
    }

    /// Header size bounds for the server's challenges.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// The client.
    pub fn build(mut self) -> NegotiateClient {
        // The credentials and mechanism are fixed: inquire once, not per request.
        self.config.credentials_problem = self
            .config
            .credentials
            .as_ref()
            .and_then(|creds| spnego_credentials_problem(&self.config.mech, creds));
        NegotiateClient {
            config: Arc::new(self.config),
        }
    }
}

/// Authentication headers to put on the (re)sent request: each one given is set (replacing
/// an earlier value), each `None` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthHeaders {
    /// `Authorization`.
    pub authorization: Option<HeaderValue>,
    /// `Proxy-Authorization`.
    pub proxy_authorization: Option<HeaderValue>,
}

impl AuthHeaders {
    /// Sets (or removes) both headers in `headers`.
    pub fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in [
            (AUTHORIZATION, &self.authorization),
            (PROXY_AUTHORIZATION, &self.proxy_authorization),
        ] {
            match value {
                Some(v) => {
                    headers.insert(name, v.clone());
                }
                None => {
                    headers.remove(name);
                }
            }
        }
    }
}

/// What to do with a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Send the request again with these headers.
    Retry(AuthHeaders),
    /// The response is the answer.
    Done(Verdict),
    /// The response is the answer, but drop its body and headers: it is an error response
    /// that could not be authenticated under [`MutualAuthentication::Required`]
    /// (requests-gssapi's `SanitizedResponse`).
    Sanitize,
}

/// A marker the adapters (`reqwest`, `blocking`) put in a response's extensions when they
/// replaced an error response by its status alone ([`Next::Sanitize`]): no body, no headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sanitized;

/// What is known about the server when the answer arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Its final token completed the context: the response comes from the server named by
    /// the target (mutual authentication).
    Authenticated,
    /// Not verified (mutual authentication disabled, or optional and not offered, or an
    /// error response).
    NotVerified,
}

#[derive(Debug, Default)]
struct Leg {
    context: Option<SecurityContext>,
    rounds: u32,
    done: bool,
    sent: bool,
    /// The last header value made for this leg (the origin's is resent with a proxy's answer).
    header: Option<HeaderValue>,
}

/// Why credentials cannot serve SPNEGO (see [`ClientError::CredentialsWithoutSpnego`]):
/// Kerberos only, no SPNEGO element; `None` when they can, or the mechanism is another.
fn spnego_credentials_problem(mech: &Mechanism, creds: &Credentials) -> Option<CredentialsProblem> {
    if *mech != Mechanism::SPNEGO {
        return None;
    }
    let mechs = match creds.mechs() {
        Ok(m) => m,
        Err(e) => return Some(CredentialsProblem::Inquire(e)),
    };
    if mechs.contains(&Mechanism::KERBEROS) && !mechs.contains(&Mechanism::SPNEGO) {
        let have: Vec<String> = mechs.iter().map(ToString::to_string).collect();
        return Some(CredentialsProblem::WithoutSpnego(have.join(", ")));
    }
    None
}

/// A target as [`ClientExchange::target_for`] makes it: `service@host`, or the configured name.
enum TargetFor<'a> {
    Hostbased(String),
    Name(&'a Name),
}

/// Records what a response led to on its round's span.
#[cfg(feature = "tracing")]
fn record_round(span: &tracing::Span, result: &Result<Next, ClientError>) {
    match result {
        Ok(Next::Retry(headers)) => {
            span.record("next", "retry");
            let sent = headers.authorization.is_some() || headers.proxy_authorization.is_some();
            span.record("sent_token", sent);
        }
        Ok(Next::Done(verdict)) => {
            span.record("next", "done");
            span.record("verdict", tracing::field::debug(verdict));
        }
        Ok(Next::Sanitize) => {
            span.record("next", "sanitize");
            span.record("verdict", "NotVerified");
        }
        Err(e) => record_error(span, e),
    }
}

/// Records a failed round: the error's text, and the codes of a GSSAPI failure.
#[cfg(feature = "tracing")]
fn record_error(span: &tracing::Span, error: &ClientError) {
    span.record("error", tracing::field::display(error));
    match error {
        ClientError::Gss(e) => crate::trace::record_gss(span, e),
        ClientError::MutualAuthentication { .. } => {
            span.record("verdict", "failed");
        }
        _ => {}
    }
}

/// One request's exchange (see the [module docs](self)).
#[derive(Debug)]
pub struct ClientExchange {
    config: Arc<Config>,
    origin: Leg,
    proxy: Leg,
    bindings: Option<ChannelBindings>,
}

impl ClientExchange {
    /// Binds the exchange to the TLS connection whose server presented `der` (its end-entity
    /// certificate): `tls-server-end-point` channel bindings (RFC 5929). Call before the
    /// first token is made; the server must use the same bindings.
    pub fn set_server_certificate(&mut self, der: &[u8]) -> Result<(), ClientError> {
        self.bindings = Some(cbt::tls_server_end_point(der)?);
        Ok(())
    }

    /// Uses these channel bindings (any kind) for the tokens made from now on.
    pub fn set_channel_bindings(&mut self, bindings: ChannelBindings) {
        self.bindings = Some(bindings);
    }

    /// The headers for the first request to `host`: a token when the client is opportunistic,
    /// else `None`.
    pub fn initial(&mut self, host: &str) -> Result<Option<AuthHeaders>, ClientError> {
        trace::enter_span!(span = self.round_span(host, 0, false));
        let result = self.initial_inner(host);
        trace::only!(match &result {
            Ok(headers) => {
                span.record("sent_token", headers.is_some());
            }
            Err(e) => record_error(&span, e),
        });
        result
    }

    fn initial_inner(&mut self, host: &str) -> Result<Option<AuthHeaders>, ClientError> {
        if !self.config.opportunistic {
            return Ok(None);
        }
        let token = self.start(false, host)?;
        let value = header::negotiate_header(&token);
        self.origin.header = Some(value.clone());
        Ok(Some(AuthHeaders {
            authorization: Some(value),
            proxy_authorization: None,
        }))
    }

    /// The next step for the response `status` and `headers` that `host` (the URL's host of
    /// the request that got it: after a redirect, the new one) sent.
    pub fn response(
        &mut self,
        host: &str,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<Next, ClientError> {
        trace::enter_span!(
            span = {
                let proxy = status == StatusCode::PROXY_AUTHENTICATION_REQUIRED;
                let round = self.origin.rounds + self.proxy.rounds + 1;
                let span = self.round_span(host, round, proxy);
                span.record("status", status.as_u16());
                span
            }
        );
        let result = self.response_inner(host, status, headers);
        trace::only!(record_round(&span, &result));
        result
    }

    /// The span of one round: `round` 0 for the initial request, then one per response.
    #[cfg(feature = "tracing")]
    fn round_span(&self, host: &str, round: u32, proxy: bool) -> tracing::Span {
        let target = if proxy {
            self.config.proxy_host.as_deref().unwrap_or(host)
        } else {
            host
        };
        tracing::debug_span!(
            "gssapi_http.client.round",
            host,
            round,
            proxy,
            target = %match self.target_for(proxy, target) {
                TargetFor::Hostbased(text) => text,
                TargetFor::Name(name) => name.to_string(),
            },
            mech = %self.config.mech,
            mutual = ?self.config.mutual,
            delegate = self.config.delegate,
            status = tracing::field::Empty,
            next = tracing::field::Empty,
            verdict = tracing::field::Empty,
            sent_token = tracing::field::Empty,
            error = tracing::field::Empty,
            major = tracing::field::Empty,
            minor = tracing::field::Empty,
            kind = tracing::field::Empty,
        )
    }

    fn response_inner(
        &mut self,
        host: &str,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<Next, ClientError> {
        if status == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
            let proxy = self
                .config
                .proxy_host
                .clone()
                .ok_or(ClientError::NoProxyHost)?;
            return self.challenged(true, &proxy, headers);
        }
        // The proxy let the request through: its token is spent.
        let proxy_was_sent = std::mem::take(&mut self.proxy.sent);
        if status == StatusCode::UNAUTHORIZED {
            return match self.challenged(false, host, headers)? {
                Next::Retry(mut h) if proxy_was_sent => {
                    h.proxy_authorization = None;
                    Ok(Next::Retry(h))
                }
                other => Ok(other),
            };
        }
        self.final_response(status, headers)
    }

    fn leg(&mut self, proxy: bool) -> &mut Leg {
        if proxy {
            &mut self.proxy
        } else {
            &mut self.origin
        }
    }

    /// The target for a request to `host`, before it is imported.
    fn target_for(&self, proxy: bool, host: &str) -> TargetFor<'_> {
        let service = &self.config.service;
        match (&self.config.target, proxy) {
            (_, true) | (Target::RequestHost, false) => {
                TargetFor::Hostbased(format!("{service}@{host}"))
            }
            (Target::Host(h), false) => TargetFor::Hostbased(format!("{service}@{h}")),
            (Target::Name(n), false) => TargetFor::Name(n),
        }
    }

    fn target(&self, proxy: bool, host: &str) -> Result<Name, ClientError> {
        Ok(match self.target_for(proxy, host) {
            TargetFor::Hostbased(text) => Name::hostbased_service(&text)?,
            TargetFor::Name(n) => n.clone(),
        })
    }

    /// A new context for `host`, and its first token.
    fn start(&mut self, proxy: bool, host: &str) -> Result<Vec<u8>, ClientError> {
        let target = self.target(proxy, host)?;
        let mut flags = Flags::SEQUENCE;
        if self.config.mutual != MutualAuthentication::Disabled {
            flags |= Flags::MUTUAL;
        }
        if self.config.delegate {
            flags |= Flags::DELEGATE;
        }
        let mut builder = SecurityContext::initiator(&target)
            .mech(&self.config.mech)
            .flags(flags);
        if let Some(creds) = &self.config.credentials {
            if let Some(problem) = &self.config.credentials_problem {
                return Err(problem.to_error());
            }
            builder = builder.credentials(creds);
        }
        if let (Some(b), false) = (&self.bindings, proxy) {
            builder = builder.channel_bindings(b.clone());
        }
        let mut context = builder.build();
        let token = context.step(None)?.map(|b| b.to_vec()).unwrap_or_default();
        let leg = self.leg(proxy);
        leg.context = Some(context);
        leg.sent = true;
        leg.done = false;
        Ok(token)
    }

    fn challenged(
        &mut self,
        proxy: bool,
        host: &str,
        headers: &HeaderMap,
    ) -> Result<Next, ClientError> {
        let name = if proxy {
            PROXY_AUTHENTICATE
        } else {
            WWW_AUTHENTICATE
        };
        let challenge = header::negotiate_challenge(headers, &name, &self.config.limits)?;
        let NegotiateChallenge::Offered(server_token) = challenge else {
            return Ok(Next::Done(Verdict::NotVerified));
        };
        let max = self.config.max_rounds;
        let leg = self.leg(proxy);
        if leg.rounds >= max {
            return Ok(Next::Done(Verdict::NotVerified));
        }
        leg.rounds += 1;
        let in_progress = leg.context.as_ref().is_some_and(|c| !c.is_complete());
        let token = match (server_token, in_progress) {
            // A multi-leg mechanism (NTLM through SPNEGO) continues its context.
            (Some(t), true) => {
                let ctx = leg.context.as_mut().expect("in progress");
                match ctx.step(Some(&t))? {
                    Some(next) => next.to_vec(),
                    // The context completed on a 401 without anything more to send: the
                    // server refused what it authenticated.
                    None => return Ok(Next::Done(Verdict::NotVerified)),
                }
            }
            // A bare challenge (first, or our token refused): a new context.
            _ => self.start(proxy, host)?,
        };
        let value = header::negotiate_header(&token);
        self.leg(proxy).header = Some(value.clone());
        let mut out = AuthHeaders::default();
        if proxy {
            // The proxy stopped the request: the origin never saw its token, which stays.
            out.authorization = self.origin.header.clone();
            out.proxy_authorization = Some(value);
        } else {
            out.authorization = Some(value);
        }
        Ok(Next::Retry(out))
    }

    fn final_response(
        &mut self,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<Next, ClientError> {
        let mode = self.config.mutual;
        if mode == MutualAuthentication::Disabled {
            return Ok(Next::Done(Verdict::NotVerified));
        }
        if self.origin.done {
            return Ok(Next::Done(Verdict::Authenticated));
        }
        let is_error = status.as_u16() >= 400;
        let fail = |reason: String| ClientError::MutualAuthentication { status, reason };
        let offered =
            match header::negotiate_challenge(headers, &WWW_AUTHENTICATE, &self.config.limits) {
                Ok(NegotiateChallenge::Offered(Some(token))) => Some(token),
                Ok(_) => None,
                Err(e) => return Err(fail(format!("the server's token does not parse: {e}"))),
            };
        if let Some(token) = offered {
            let Some(ctx) = self.origin.context.as_mut() else {
                return Err(fail(
                    "a Negotiate token came but no authentication was started".into(),
                ));
            };
            if ctx.is_complete() {
                return Err(fail(
                    "a Negotiate token came for a context that is already complete".into(),
                ));
            }
            match ctx.step(Some(&token)) {
                Ok(_) if ctx.is_complete() => {}
                Ok(_) => {
                    return Err(fail(
                        "the server's token did not complete the context".into(),
                    ));
                }
                Err(e) => return Err(fail(format!("the server's token was rejected: {e}"))),
            }
            if !ctx.is_mutual().unwrap_or(false) {
                return Err(fail(
                    "the context completed without mutual authentication".into(),
                ));
            }
            self.origin.done = true;
            return Ok(Next::Done(Verdict::Authenticated));
        }
        match (mode, is_error) {
            (MutualAuthentication::Optional, _) => Ok(Next::Done(Verdict::NotVerified)),
            (_, true) if self.config.sanitize => Ok(Next::Sanitize),
            (_, true) => Ok(Next::Done(Verdict::NotVerified)),
            (_, false) => Err(fail("the response carries no Negotiate token".into())),
        }
    }
}
