//! The server: a sans-IO acceptor (mod_auth_gssapi's `AuthType GSSAPI`, as a library).
//!
//! ```no_run
//! use gssapi_http::server::{Acceptor, Outcome};
//! use http::HeaderMap;
//!
//! # fn main() -> Result<(), gssapi_http::server::AuthError> {
//! // Once: acceptor credentials from a keytab (never from the process environment).
//! let acceptor = Acceptor::builder().keytab("/etc/httpd.keytab").build()?;
//!
//! // Per request (blocking GSSAPI work: off the async worker threads, see `tower`):
//! # let request_headers = HeaderMap::new();
//! match acceptor.authenticate(&request_headers, None) {
//!     Outcome::Authenticated { identity, headers } => {
//!         println!("hello {} ({:?})", identity.principal(), identity.local_name());
//!         // ... answer, adding `headers` (the mutual-authentication token) ...
//!         # drop((identity, headers));
//!     }
//!     Outcome::Respond { status, headers, error } => {
//!         // 401 with `WWW-Authenticate: Negotiate [token]`, 400, 403 or 503; `error` says why.
//!         # drop((status, headers, error));
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! What it does, as mod_auth_gssapi does:
//!
//! - No `Authorization`, or one of another scheme: 401 with `WWW-Authenticate: Negotiate`.
//! - A token: one `gss_accept_sec_context` with the shared acceptor credentials (the replay
//!   cache stays on). Success hands the handler an [`Identity`] (principal, local name via
//!   `gss_localname`, mechanism, granted flags, delegated credentials) and the mutual
//!   authentication token for the response. Failure answers 401 with the mechanism's error
//!   token when it made one, else a bare `Negotiate`.
//! - Delegated credentials go into a per-request, uniquely named `MEMORY:` ccache through the
//!   credential-store API, destroyed when the [`Identity`] is dropped. No environment variable
//!   is read or written.
//! - A multi-leg mechanism (NTLM through SPNEGO) keeps its partial context per connection
//!   ([`ConnectionId`]), at most [`AcceptorBuilder::max_pending`] of them, each for at most
//!   [`AcceptorBuilder::pending_ttl`].
//! - Optional allow-lists of principals and realms (403 for anyone else), and optional
//!   sessions ([`crate::session`]).

use crate::header::{self, HeaderError, Limits, NegotiateCredentials};
use crate::session::{SessionError, Sessions};
use crate::trace;
use gssapi::{
    ChannelBindings, CredStore, CredUsage, Credentials, Flags, Mechanism, Name, SecurityContext,
    TemporaryCcache,
};
use http::header::{
    AUTHORIZATION, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION, SET_COOKIE, WWW_AUTHENTICATE,
};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Identifies the connection a request came on, for multi-leg mechanisms whose partial
/// context belongs to one connection (RFC 4559 §6; NTLM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionId {
    /// The peer's address (unique among open TCP connections to one listener).
    Peer(SocketAddr),
    /// A number the server assigned.
    Id(u64),
}

impl From<SocketAddr> for ConnectionId {
    fn from(addr: SocketAddr) -> Self {
        ConnectionId::Peer(addr)
    }
}

/// Why a request was not authenticated (in [`Outcome::Respond`]), or why an acceptor could
/// not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The request's credentials header did not parse (400).
    #[error("bad {header} header: {source}")]
    Header {
        /// Which header.
        header: HeaderName,
        /// Why.
        source: HeaderError,
    },
    /// The GSSAPI library refused the token (401) or the acceptor credentials.
    #[error("GSSAPI: {0}")]
    Gss(#[from] gssapi::Error),
    /// The principal is not on the allow-list (403).
    #[error("{0} is not allowed")]
    NotAllowed(String),
    /// Too many partial multi-leg contexts are pending (503).
    #[error("too many pending multi-leg authentications ({0})")]
    TooManyPending(usize),
    /// A multi-leg mechanism needs another round, but the request came with no
    /// [`ConnectionId`] to bind its partial context to (401).
    #[error("a multi-leg mechanism needs a connection to continue on; none was given")]
    NoConnection,
    /// Heimdal only: the process already accepts with another keytab (Heimdal has no
    /// credential store, so the keytab is the process's acceptor identity; one per process).
    #[error(
        "the process accepts with keytab {registered}; {requested} cannot be used too (Heimdal: one acceptor keytab per process)"
    )]
    KeytabConflict {
        /// The keytab in use.
        registered: String,
        /// The one asked for.
        requested: String,
    },
    /// The token was accepted before ([`ReplayCheck::InProcess`]; the library's own replay
    /// cache reports a [`gssapi::Krb5Error::Replay`] as [`AuthError::Gss`]) (401).
    #[error("the token is a replay")]
    Replay,
    /// The session cookie was refused (the request then falls back to Negotiate).
    #[error("session: {0}")]
    Session(#[from] SessionError),
}

/// The authenticated client, for the handler.
#[derive(Debug)]
pub struct Identity {
    name: Name,
    principal: String,
    mech: Mechanism,
    flags: Flags,
    lifetime: Option<u32>,
    delegated: Option<Delegated>,
    from_session: bool,
}

/// Credentials the client delegated, in a per-request `MEMORY:` ccache destroyed with the
/// [`Identity`].
#[derive(Debug)]
pub struct Delegated {
    ccache: TemporaryCcache,
    credentials: Credentials,
    // Last: dropped after the ccache is destroyed.
    _live: LiveDelegated,
}

/// One of an acceptor's delegated ccaches alive (see [`Acceptor::delegated_live`]).
#[derive(Debug)]
struct LiveDelegated(Arc<std::sync::atomic::AtomicUsize>);

impl LiveDelegated {
    fn new(count: &Arc<std::sync::atomic::AtomicUsize>) -> LiveDelegated {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        LiveDelegated(count.clone())
    }
}

impl Drop for LiveDelegated {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Delegated {
    /// The ccache's name (`MEMORY:...`), for code that takes a ccache name. It is valid only
    /// in this process and only while the [`Identity`] lives.
    pub fn ccache_name(&self) -> &str {
        self.ccache.name()
    }

    /// The delegated credentials, to initiate onward as the user (the second hop).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// A credential store naming the ccache (for `gss_acquire_cred_from` with other options).
    pub fn cred_store(&self) -> CredStore {
        self.ccache.cred_store()
    }
}

impl Identity {
    /// The authenticated principal, as the library displays it (`user@REALM`).
    pub fn principal(&self) -> &str {
        &self.principal
    }

    /// The principal as a [`Name`].
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The local (operating-system) user name for the principal (`gss_localname`: MIT's
    /// `auth_to_local` rules; mod_auth_gssapi's `GssapiLocalName`).
    pub fn local_name(&self) -> Result<String, gssapi::Error> {
        let buf =
            gssapi::raw::ext::localname::localname(self.name.as_raw(), Some(self.mech.oid()))?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// The mechanism that authenticated the client (Kerberos, NTLM, ... — not SPNEGO).
    pub fn mech(&self) -> &Mechanism {
        &self.mech
    }

    /// The flags granted (mutual, delegation, ...).
    pub fn flags(&self) -> Flags {
        self.flags
    }

    /// The context's remaining lifetime in seconds when it was established, if known.
    pub fn lifetime(&self) -> Option<u32> {
        self.lifetime
    }

    /// The delegated credentials, if the client delegated and the acceptor keeps them.
    pub fn delegated(&self) -> Option<&Delegated> {
        self.delegated.as_ref()
    }

    /// Takes the delegated credentials out (they are then destroyed when the returned value
    /// is dropped).
    pub fn take_delegated(&mut self) -> Option<Delegated> {
        self.delegated.take()
    }

    /// Whether a session cookie authenticated this request (no Negotiate exchange ran).
    pub fn from_session(&self) -> bool {
        self.from_session
    }
}

/// What to do with a request.
#[derive(Debug)]
pub enum Outcome {
    /// Authenticated: call the handler with `identity` and add `headers` to its response
    /// (the mutual-authentication token, a session cookie).
    Authenticated {
        /// Who.
        identity: Identity,
        /// Headers for the response.
        headers: HeaderMap,
    },
    /// Not authenticated: answer `status` with `headers`, without calling the handler.
    Respond {
        /// 401, 400, 403, 431 or 503.
        status: StatusCode,
        /// `WWW-Authenticate` and the like.
        headers: HeaderMap,
        /// Why (`None`: the request simply had no credentials).
        error: Option<AuthError>,
    },
}

impl Outcome {
    /// The status the response gets (200-class for the handler when authenticated).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Outcome::Authenticated { .. } => None,
            Outcome::Respond { status, .. } => Some(*status),
        }
    }
}

/// Where replayed tokens are caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayCheck {
    /// The library's replay cache (MIT's `dfl` file cache). The default on MIT.
    Library,
    /// The library's, and a cache in this process of the hashes of every token accepted in
    /// the last [`AcceptorBuilder::replay_window`] (refused as replays when seen again). The
    /// default on Heimdal, whose GSSAPI acceptor keeps no replay cache at all (a replayed
    /// token is accepted again there).
    ///
    /// It knows a token by its bytes, which is weaker than a Kerberos replay cache (keyed on
    /// the authenticator): the same AP-REQ sent again inside differently encoded SPNEGO
    /// bytes, or unwrapped, is not recognized, and other processes and restarts are not
    /// covered. On Heimdal it is what there is; on MIT keep the library's cache as well.
    InProcess,
}

impl Default for ReplayCheck {
    fn default() -> Self {
        if gssapi::raw::sys::is_heimdal() {
            ReplayCheck::InProcess
        } else {
            ReplayCheck::Library
        }
    }
}

/// Current hashes, previous hashes, when the current generation began.
type Generations = (HashSet<[u8; 32]>, HashSet<[u8; 32]>, Instant);

/// Token hashes seen in the last window: two generations, the older dropped as a whole when
/// the newer is a window old, so each hash lives between one and two windows.
struct ReplayCache {
    window: Duration,
    state: Mutex<Generations>,
}

impl ReplayCache {
    /// Records `token`; `false` if it was seen before (a replay).
    fn insert(&self, token: &[u8]) -> bool {
        use sha2::Digest as _;
        let hash: [u8; 32] = sha2::Sha256::digest(token).into();
        let mut guard = self.state.lock().expect("replay cache lock");
        let (current, previous, since) = &mut *guard;
        if since.elapsed() >= self.window {
            *previous = std::mem::take(current);
            *since = Instant::now();
        }
        if previous.contains(&hash) {
            return false;
        }
        current.insert(hash)
    }
}

/// Records an accept's outcome on its span: `ok` (with the principal, mechanism, flags and
/// whether credentials were delegated), `challenge` (a 401/407 without an error: no
/// credentials, or a multi-leg context continues), `refused` (401/407 with an error),
/// `bad_request` (400, 431), `forbidden` (403) or `unavailable` (503); the error's text and
/// a GSSAPI failure's codes.
#[cfg(feature = "tracing")]
fn record_outcome(span: &tracing::Span, outcome: &Outcome) {
    use tracing::field::{debug, display};
    match outcome {
        Outcome::Authenticated { identity, .. } => {
            span.record("outcome", "ok");
            span.record("principal", identity.principal());
            span.record("mech", display(identity.mech()));
            span.record("flags", debug(identity.flags()));
            span.record("delegated", identity.delegated().is_some());
            span.record("from_session", identity.from_session());
        }
        Outcome::Respond { status, error, .. } => {
            let word = match status.as_u16() {
                401 | 407 if error.is_none() => "challenge",
                401 | 407 => "refused",
                400 | 431 => "bad_request",
                403 => "forbidden",
                503 => "unavailable",
                _ => "other",
            };
            span.record("outcome", word);
            span.record("status", status.as_u16());
            if let Some(e) = error {
                span.record("error", display(e));
                if let AuthError::Gss(g) = e {
                    crate::trace::record_gss(span, g);
                }
            }
        }
    }
}

/// A 403 for a principal the allow-list refuses.
fn forbidden(error: AuthError) -> Outcome {
    Outcome::Respond {
        status: StatusCode::FORBIDDEN,
        headers: HeaderMap::new(),
        error: Some(error),
    }
}

struct Pending {
    context: SecurityContext,
    created: Instant,
}

enum AcceptorCreds {
    Default,
    Given(Credentials),
    /// Acquired by the acceptor: `slots[0]` at build time, each other slot the first time a
    /// thread that maps to it accepts (see [`Acceptor::thread_credentials`]).
    Acquired {
        recipe: Recipe,
        slots: Box<[std::sync::OnceLock<Credentials>]>,
    },
}

/// How the acceptor acquires its credentials (a store and/or a name).
#[derive(Clone)]
struct Recipe {
    store: Option<CredStore>,
    name: Option<Name>,
    /// The mechanisms SPNEGO may negotiate with the credentials (`gss_set_neg_mechs`), where
    /// the library has the call (MIT; not Heimdal 7.8).
    negotiable: Vec<Mechanism>,
}

impl Recipe {
    fn acquire(&self) -> gssapi::Result<Credentials> {
        let mut b = Credentials::builder().usage(CredUsage::Accept);
        if let Some(s) = &self.store {
            b = b.store(s.clone());
        }
        if let Some(n) = &self.name {
            b = b.name(n);
        }
        if gssapi::raw::ext::is_supported("rfc4178") {
            for m in &self.negotiable {
                b = b.negotiable_mech(m);
            }
        }
        b.acquire()
    }

    fn acquired(self) -> Result<AcceptorCreds, AuthError> {
        let first = self.acquire()?;
        Ok(self.with_first(first))
    }

    /// The slots of per-thread credentials: twice the cores (at least 2), the first filled.
    fn with_first(self, first: Credentials) -> AcceptorCreds {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        let slots: Box<[std::sync::OnceLock<Credentials>]> = (0..n.clamp(2, 64))
            .map(|_| std::sync::OnceLock::new())
            .collect();
        // Unset a moment ago: the set cannot fail.
        let _ = slots[0].set(first);
        AcceptorCreds::Acquired {
            recipe: self,
            slots,
        }
    }
}

/// The next thread's slot number.
static NEXT_SLOT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// This thread's slot number (a plain integer: nothing to release when the thread ends,
    /// so no GSSAPI call can run in a thread-exit destructor while the process exits).
    static THREAD_SLOT: usize = NEXT_SLOT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

struct Inner {
    creds: AcceptorCreds,
    allow_principals: Vec<String>,
    allow_realms: Vec<String>,
    keep_delegated: bool,
    max_pending: usize,
    pending_ttl: Duration,
    pending: Mutex<HashMap<ConnectionId, Pending>>,
    sessions: Option<Sessions>,
    bindings: Option<ChannelBindings>,
    limits: Limits,
    proxy: bool,
    replay: Option<ReplayCache>,
    delegated_live: Arc<std::sync::atomic::AtomicUsize>,
    /// A libkrb5 context held while the acceptor lives, so MIT's per-accept contexts share
    /// the parsed krb5.conf instead of reading it again (`krb5_keep_config`; `None` if the
    /// library could not make one: accepting works the same, only slower).
    _config: Option<gssapi::raw::ext::krb5::KeptKrb5Config>,
}

/// The acceptor: shared acceptor credentials and the settings. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Acceptor {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acceptor")
            .field("allow_principals", &self.inner.allow_principals)
            .field("allow_realms", &self.inner.allow_realms)
            .field("sessions", &self.inner.sessions.is_some())
            .field("proxy", &self.inner.proxy)
            .finish_non_exhaustive()
    }
}

/// Builds an [`Acceptor`].
#[must_use = "call .build()"]
pub struct AcceptorBuilder {
    creds: Option<Credentials>,
    store: Option<CredStore>,
    keytab: Option<String>,
    name: Option<Name>,
    allow_principals: Vec<String>,
    allow_realms: Vec<String>,
    keep_delegated: bool,
    max_pending: usize,
    pending_ttl: Duration,
    sessions: Option<Sessions>,
    bindings: Option<ChannelBindings>,
    limits: Limits,
    proxy: bool,
    replay_check: ReplayCheck,
    replay_window: Duration,
    mechs: Option<Vec<Mechanism>>,
}

impl std::fmt::Debug for AcceptorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcceptorBuilder").finish_non_exhaustive()
    }
}

impl Acceptor {
    /// A builder with the defaults: the default keytab's keys (whatever service the client
    /// asks for), delegated credentials kept, 1024 pending multi-leg contexts of at most 60 s,
    /// no allow-list, no sessions.
    pub fn builder() -> AcceptorBuilder {
        AcceptorBuilder {
            creds: None,
            store: None,
            keytab: None,
            name: None,
            allow_principals: Vec::new(),
            allow_realms: Vec::new(),
            keep_delegated: true,
            max_pending: 1024,
            pending_ttl: Duration::from_secs(60),
            sessions: None,
            bindings: None,
            limits: Limits::default(),
            proxy: false,
            replay_check: ReplayCheck::default(),
            replay_window: Duration::from_secs(300),
            mechs: None,
        }
    }

    /// How many ccaches of delegated credentials this acceptor made that are not destroyed
    /// yet (each lives as long as its [`Identity`] or taken [`Delegated`]): 0 when no request
    /// is in flight. A number to watch for leaks (mod_auth_gssapi's `GssapiDelegCcacheDir`
    /// fills a directory instead).
    pub fn delegated_live(&self) -> usize {
        self.inner
            .delegated_live
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many multi-leg contexts wait for their next token.
    pub fn pending(&self) -> usize {
        self.inner.pending.lock().expect("pending lock").len()
    }

    /// The credentials header this acceptor reads (`Authorization`, or `Proxy-Authorization`
    /// for a proxy).
    pub fn credentials_header(&self) -> HeaderName {
        if self.inner.proxy {
            PROXY_AUTHORIZATION
        } else {
            AUTHORIZATION
        }
    }

    fn challenge_header(&self) -> HeaderName {
        if self.inner.proxy {
            PROXY_AUTHENTICATE
        } else {
            WWW_AUTHENTICATE
        }
    }

    fn unauthorized(&self) -> StatusCode {
        if self.inner.proxy {
            StatusCode::PROXY_AUTHENTICATION_REQUIRED
        } else {
            StatusCode::UNAUTHORIZED
        }
    }

    /// A 401 (407) with `Negotiate` and, if given, a token.
    fn challenge(&self, token: Option<&[u8]>, error: Option<AuthError>) -> Outcome {
        let mut headers = HeaderMap::new();
        let value = token.map_or_else(header::negotiate_bare, header::negotiate_header);
        headers.insert(self.challenge_header(), value);
        Outcome::Respond {
            status: self.unauthorized(),
            headers,
            error,
        }
    }

    /// Whether a request needs GSSAPI work (a Negotiate token or a session cookie): when it
    /// does not, [`authenticate`](Self::authenticate) answers without any library call, so
    /// an async server can answer it inline.
    pub fn needs_gss(&self, headers: &HeaderMap) -> bool {
        headers.contains_key(self.credentials_header())
    }

    /// Authenticates one request from its headers; `connection` identifies its connection for
    /// multi-leg mechanisms. Blocking: run it off an async runtime's worker threads.
    pub fn authenticate(&self, headers: &HeaderMap, connection: Option<ConnectionId>) -> Outcome {
        trace::enter_span!(
            span = tracing::debug_span!(
                "gssapi_http.server.accept",
                proxy = self.inner.proxy,
                connection = connection.map(tracing::field::debug),
                outcome = tracing::field::Empty,
                status = tracing::field::Empty,
                principal = tracing::field::Empty,
                mech = tracing::field::Empty,
                flags = tracing::field::Empty,
                delegated = tracing::field::Empty,
                from_session = tracing::field::Empty,
                error = tracing::field::Empty,
                major = tracing::field::Empty,
                minor = tracing::field::Empty,
                kind = tracing::field::Empty,
            )
        );
        let outcome = self.authenticate_inner(headers, connection);
        trace::only!(record_outcome(&span, &outcome));
        outcome
    }

    fn authenticate_inner(&self, headers: &HeaderMap, connection: Option<ConnectionId>) -> Outcome {
        let inner = &*self.inner;
        let name = self.credentials_header();
        let creds = header::negotiate_credentials(headers, &name, &inner.limits);
        let token = match creds {
            Ok(NegotiateCredentials::Token(t)) => t,
            Ok(NegotiateCredentials::Absent | NegotiateCredentials::OtherScheme(_)) => {
                if let Some(outcome) = self.session(headers) {
                    return outcome;
                }
                return self.challenge(None, None);
            }
            Err(source) => {
                let status = match source {
                    HeaderError::TooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                    _ => StatusCode::BAD_REQUEST,
                };
                return Outcome::Respond {
                    status,
                    headers: HeaderMap::new(),
                    error: Some(AuthError::Header {
                        header: name,
                        source,
                    }),
                };
            }
        };
        if let Some(cache) = &inner.replay
            && !cache.insert(&token)
        {
            return self.challenge(None, Some(AuthError::Replay));
        }
        // A partial context of this connection continues; anything else starts afresh.
        let pending = connection.and_then(|c| self.take_pending(c));
        let resumed = pending.is_some();
        let mut context = pending.unwrap_or_else(|| self.new_context());
        let mut result = context.step(Some(&token));
        if resumed && result.is_err() {
            // The client restarted (a new initial token on the same connection).
            context = self.new_context();
            result = context.step(Some(&token));
        }
        match result {
            Err(mut e) => {
                let error_token = match &mut e {
                    gssapi::Error::Gss(g) => g.take_token(),
                    _ => None,
                };
                self.challenge(error_token.as_deref(), Some(AuthError::Gss(e)))
            }
            Ok(out) if !context.is_complete() => {
                let Some(conn) = connection else {
                    return self.challenge(None, Some(AuthError::NoConnection));
                };
                if let Err(e) = self.put_pending(conn, context) {
                    let mut headers = HeaderMap::new();
                    headers.insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
                    return Outcome::Respond {
                        status: StatusCode::SERVICE_UNAVAILABLE,
                        headers,
                        error: Some(e),
                    };
                }
                self.challenge(Some(out.as_deref().unwrap_or_default()), None)
            }
            Ok(out) => match self.established(context) {
                Ok((identity, mut headers)) => {
                    if let Some(t) = out {
                        headers.insert(self.challenge_header(), header::negotiate_header(&t));
                    }
                    Outcome::Authenticated { identity, headers }
                }
                Err(e @ AuthError::NotAllowed(_)) => forbidden(e),
                Err(e) => self.challenge(None, Some(e)),
            },
        }
    }

    /// The credentials this thread accepts with. MIT's Kerberos acceptor holds a credential's
    /// lock for the whole of `gss_accept_sec_context`, so one credential shared by every
    /// thread serializes all accepts (measured: an axum server then used 0.8 of 2 cores). An
    /// acceptor that acquired its credentials (keytab, store, service name) therefore keeps
    /// twice as many as there are cores, each acquired when first needed, and a thread uses
    /// the one of its slot (threads take slots in turn); given credentials
    /// ([`AcceptorBuilder::credentials`]) are shared as they are. Nothing is kept per thread,
    /// so blocking-pool threads that come and go leave nothing behind.
    fn thread_credentials(&self) -> Option<Credentials> {
        match &self.inner.creds {
            AcceptorCreds::Default => None,
            AcceptorCreds::Given(c) => Some(c.clone()),
            AcceptorCreds::Acquired { recipe, slots } => {
                let slot = &slots[THREAD_SLOT.with(|s| *s) % slots.len()];
                let c = slot.get_or_init(|| {
                    // Should a later acquisition fail (a keytab removed), the first one serves.
                    recipe
                        .acquire()
                        .ok()
                        .or_else(|| slots[0].get().cloned())
                        .expect("the first slot is filled at build time")
                });
                Some(c.clone())
            }
        }
    }

    fn new_context(&self) -> SecurityContext {
        let creds = self.thread_credentials();
        let mut b = SecurityContext::acceptor(creds.as_ref());
        if let Some(cb) = &self.inner.bindings {
            b = b.channel_bindings(cb.clone());
        }
        b.build()
    }

    fn take_pending(&self, conn: ConnectionId) -> Option<SecurityContext> {
        let mut map = self.inner.pending.lock().expect("pending lock");
        let p = map.remove(&conn)?;
        (p.created.elapsed() <= self.inner.pending_ttl).then_some(p.context)
    }

    fn put_pending(&self, conn: ConnectionId, context: SecurityContext) -> Result<(), AuthError> {
        let inner = &*self.inner;
        let mut map = inner.pending.lock().expect("pending lock");
        if map.len() >= inner.max_pending {
            let ttl = inner.pending_ttl;
            map.retain(|_, p| p.created.elapsed() <= ttl);
        }
        if map.len() >= inner.max_pending {
            return Err(AuthError::TooManyPending(map.len()));
        }
        map.insert(
            conn,
            Pending {
                context,
                created: Instant::now(),
            },
        );
        Ok(())
    }

    /// Drops a connection's partial context (call when the connection closes).
    pub fn connection_closed(&self, conn: ConnectionId) {
        self.inner
            .pending
            .lock()
            .expect("pending lock")
            .remove(&conn);
    }

    fn allowed(&self, principal: &str) -> bool {
        let inner = &*self.inner;
        if inner.allow_principals.is_empty() && inner.allow_realms.is_empty() {
            return true;
        }
        inner.allow_principals.iter().any(|p| p == principal)
            || principal
                .rsplit_once('@')
                .is_some_and(|(_, realm)| inner.allow_realms.iter().any(|r| r == realm))
    }

    fn established(&self, context: SecurityContext) -> Result<(Identity, HeaderMap), AuthError> {
        let name = context.initiator_name()?;
        let principal = name.to_string();
        if !self.allowed(&principal) {
            return Err(AuthError::NotAllowed(principal));
        }
        let mech = context.mech()?;
        let flags = context.flags()?;
        let lifetime = context.lifetime().ok();
        let delegated = match context.delegated_credentials()? {
            Some(creds) if self.inner.keep_delegated => {
                let live = LiveDelegated::new(&self.inner.delegated_live);
                let ccache = TemporaryCcache::new();
                ccache.store(&creds)?;
                let credentials = ccache.credentials()?;
                Some(Delegated {
                    ccache,
                    credentials,
                    _live: live,
                })
            }
            _ => None,
        };
        let mut headers = HeaderMap::new();
        if let Some(sessions) = &self.inner.sessions {
            let cookie = sessions.issue(&principal, mech.oid(), flags, lifetime);
            if let Ok(v) = HeaderValue::try_from(cookie) {
                headers.insert(SET_COOKIE, v);
            }
        }
        Ok((
            Identity {
                name,
                principal,
                mech,
                flags,
                lifetime,
                delegated,
                from_session: false,
            },
            headers,
        ))
    }

    /// A request without Negotiate credentials: its session cookie, if sessions are on and it
    /// carries a valid one.
    fn session(&self, headers: &HeaderMap) -> Option<Outcome> {
        let sessions = self.inner.sessions.as_ref()?;
        let value = sessions.find_cookie(headers)?;
        let session = match sessions.open(&value) {
            Ok(s) => s,
            Err(e) => return Some(self.challenge(None, Some(AuthError::Session(e)))),
        };
        if !self.allowed(&session.principal) {
            return Some(forbidden(AuthError::NotAllowed(session.principal)));
        }
        let name = match Name::kerberos_principal(&session.principal) {
            Ok(n) => n,
            Err(e) => return Some(self.challenge(None, Some(AuthError::Gss(e)))),
        };
        let lifetime = session
            .expires
            .duration_since(std::time::SystemTime::now())
            .ok()
            .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX));
        Some(Outcome::Authenticated {
            identity: Identity {
                name,
                principal: session.principal,
                mech: Mechanism::from_oid(session.mech),
                flags: session.flags,
                lifetime,
                delegated: None,
                from_session: true,
            },
            headers: HeaderMap::new(),
        })
    }
}

/// The keytab registered process-wide (Heimdal), if any.
static REGISTERED_KEYTAB: Mutex<Option<String>> = Mutex::new(None);

/// Acceptor credentials for every mechanism (SPNEGO included) from a keytab: the credential
/// store where the library has one (MIT); else (Heimdal 7.8) the keytab registered as the
/// process's acceptor identity, once, and default credentials.
fn keytab_credentials(
    keytab: &str,
    name: Option<&Name>,
    negotiable: &[Mechanism],
) -> Result<AcceptorCreds, AuthError> {
    let recipe = Recipe {
        store: Some(CredStore::new().keytab(keytab)),
        name: name.cloned(),
        negotiable: negotiable.to_vec(),
    };
    match recipe.acquire() {
        Ok(first) => Ok(recipe.with_first(first)),
        Err(e) if e.gss().is_some_and(|g| g.is_unavailable_in_library()) => {
            let mut registered = REGISTERED_KEYTAB.lock().expect("keytab lock");
            match registered.as_deref() {
                Some(k) if k == keytab => {}
                Some(k) => {
                    return Err(AuthError::KeytabConflict {
                        registered: k.to_owned(),
                        requested: keytab.to_owned(),
                    });
                }
                None => {
                    gssapi::raw::ext::krb5::krb5_register_acceptor_identity(keytab)
                        .map_err(gssapi::Error::from)?;
                    *registered = Some(keytab.to_owned());
                }
            }
            // The registered keytab serves default credentials; a service name narrows them.
            match name {
                None => Ok(AcceptorCreds::Default),
                Some(n) => Recipe {
                    store: None,
                    name: Some(n.clone()),
                    negotiable: negotiable.to_vec(),
                }
                .acquired(),
            }
        }
        Err(e) => Err(e.into()),
    }
}

impl AcceptorBuilder {
    /// Accepts with these credentials (acquired with usage `Accept` or `Both`).
    pub fn credentials(mut self, creds: Credentials) -> Self {
        self.creds = Some(creds);
        self
    }

    /// Accepts with the keys of this keytab (mod_auth_gssapi's `GssapiCredStore keytab:...`),
    /// without the process environment: MIT's credential store; on Heimdal 7.8, which has
    /// none, the keytab becomes the process's acceptor identity
    /// (`gsskrb5_register_acceptor_identity`; a second, different keytab in the same process
    /// is [`AuthError::KeytabConflict`]). With [`service_name`](Self::service_name), only
    /// that service's keys; a [`cred_store`](Self::cred_store) given too takes precedence.
    pub fn keytab(mut self, keytab: impl Into<String>) -> Self {
        self.keytab = Some(keytab.into());
        self
    }

    /// Acquires acceptor credentials from this credential store (keytab, replay cache, ...;
    /// MIT only: Heimdal 7.8 has no credential store).
    pub fn cred_store(mut self, store: CredStore) -> Self {
        self.store = Some(store);
        self
    }

    /// Accepts only for this service name (e.g. `HTTP@www.example.com`; default: any key in
    /// the keytab, as mod_auth_gssapi's `GssapiAcceptorName` unset).
    pub fn service_name(mut self, name: Name) -> Self {
        self.name = Some(name);
        self
    }

    /// Allows only these principals (`user@REALM`; combined with [`allow_realms`](Self::allow_realms)).
    pub fn allow_principals<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        principals: I,
    ) -> Self {
        self.allow_principals
            .extend(principals.into_iter().map(Into::into));
        self
    }

    /// Allows every principal of these realms.
    pub fn allow_realms<I: IntoIterator<Item = S>, S: Into<String>>(mut self, realms: I) -> Self {
        self.allow_realms.extend(realms.into_iter().map(Into::into));
        self
    }

    /// Whether delegated credentials are stored for the handler (default `true`).
    pub fn keep_delegated(mut self, yes: bool) -> Self {
        self.keep_delegated = yes;
        self
    }

    /// The most partial multi-leg contexts kept at once (default 1024); beyond that a new
    /// multi-leg exchange gets 503.
    pub fn max_pending(mut self, max: usize) -> Self {
        self.max_pending = max;
        self
    }

    /// How long a partial multi-leg context waits for its next token (default 60 s).
    pub fn pending_ttl(mut self, ttl: Duration) -> Self {
        self.pending_ttl = ttl;
        self
    }

    /// Turns sessions on (see [`crate::session`]).
    pub fn sessions(mut self, sessions: Sessions) -> Self {
        self.sessions = Some(sessions);
        self
    }

    /// Channel bindings every client must match (e.g. [`crate::cbt::tls_server_end_point`]
    /// of this server's certificate).
    pub fn channel_bindings(mut self, bindings: ChannelBindings) -> Self {
        self.bindings = Some(bindings);
        self
    }

    /// `tls-server-end-point` bindings of this server's certificate (DER).
    pub fn channel_bindings_from_certificate(
        self,
        der: &[u8],
    ) -> Result<Self, crate::cbt::CertificateError> {
        Ok(self.channel_bindings(crate::cbt::tls_server_end_point(der)?))
    }

    /// Header size bounds.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Where replays are caught (default: [`ReplayCheck::Library`] on MIT,
    /// [`ReplayCheck::InProcess`] on Heimdal).
    pub fn replay_check(mut self, check: ReplayCheck) -> Self {
        self.replay_check = check;
        self
    }

    /// How long the in-process replay cache remembers a token (default 300 s, Kerberos's
    /// clock skew: an older authenticator is refused by the library anyway).
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.replay_window = window;
        self
    }

    /// The mechanisms SPNEGO may negotiate (mod_auth_gssapi's `GssapiAllowedMech`;
    /// `gss_set_neg_mechs` on the acceptor credentials). Default: Kerberos only for
    /// credentials the acceptor acquires ([`keytab`](Self::keytab),
    /// [`cred_store`](Self::cred_store), [`service_name`](Self::service_name)); every
    /// mechanism of the library for default credentials. Given credentials
    /// ([`credentials`](Self::credentials)) keep what they were made with. Heimdal 7.8 has no
    /// `gss_set_neg_mechs`: there this restricts nothing.
    ///
    /// NTLM (`[Mechanism::KERBEROS, Mechanism::NTLMSSP]`) needs care: gss-ntlmssp 1.2.0
    /// (Debian 12) crashes the process in `gss_accept_sec_context` when the acceptor
    /// credentials come from a credential store (gss-ntlmssp issue #90), which is why
    /// acquired credentials leave NTLM out by default. With that version, serve NTLM with
    /// default credentials: no keytab, store or name here, and `KRB5_KTNAME` and
    /// `NTLM_USER_FILE` in the server's environment.
    pub fn mechs<I: IntoIterator<Item = Mechanism>>(mut self, mechs: I) -> Self {
        self.mechs = Some(mechs.into_iter().collect());
        self
    }

    /// Acts as a proxy: reads `Proxy-Authorization`, answers 407 with `Proxy-Authenticate`.
    pub fn proxy(mut self, yes: bool) -> Self {
        self.proxy = yes;
        self
    }

    /// Acquires the acceptor credentials (once) and builds the acceptor.
    pub fn build(self) -> Result<Acceptor, AuthError> {
        // Acquired credentials negotiate Kerberos only unless told otherwise; default
        // credentials everything the library has, unless told otherwise.
        let acquired_mechs = self
            .mechs
            .clone()
            .unwrap_or_else(|| vec![Mechanism::KERBEROS]);
        let creds = match (self.creds, self.store, &self.name, &self.keytab) {
            (Some(c), ..) => AcceptorCreds::Given(c),
            (None, None, None, None) => match &self.mechs {
                None => AcceptorCreds::Default,
                Some(mechs) => Recipe {
                    store: None,
                    name: None,
                    negotiable: mechs.clone(),
                }
                .acquired()?,
            },
            (None, None, name, Some(kt)) => keytab_credentials(kt, name.as_ref(), &acquired_mechs)?,
            (None, store, name, _) => Recipe {
                store,
                name: name.clone(),
                negotiable: acquired_mechs,
            }
            .acquired()?,
        };
        Ok(Acceptor {
            inner: Arc::new(Inner {
                creds,
                allow_principals: self.allow_principals,
                allow_realms: self.allow_realms,
                keep_delegated: self.keep_delegated,
                max_pending: self.max_pending,
                pending_ttl: self.pending_ttl,
                pending: Mutex::new(HashMap::new()),
                sessions: self.sessions,
                bindings: self.bindings,
                limits: self.limits,
                proxy: self.proxy,
                replay: (self.replay_check == ReplayCheck::InProcess).then(|| ReplayCache {
                    window: self.replay_window,
                    state: Mutex::new((Default::default(), Default::default(), Instant::now())),
                }),
                delegated_live: Arc::default(),
                _config: gssapi::raw::ext::krb5::krb5_keep_config().ok(),
            }),
        })
    }
}
