//! A tower layer that authenticates every request with Negotiate (feature `tower`).
//!
//! ```no_run
//! use gssapi_http::server::{Acceptor, AuthError};
//! use gssapi_http::tower::{Authenticated, Negotiate, NegotiateLayer, Offload};
//! use tower_layer::Layer;
//!
//! fn protect<S>(service: S) -> Result<Negotiate<S>, AuthError> {
//!     let acceptor = Acceptor::builder().keytab("/etc/httpd.keytab").build()?;
//!     Ok(NegotiateLayer::new(acceptor).offload(Offload::threads(4)).layer(service))
//! }
//!
//! // In the service: who authenticated.
//! fn who(request: &http::Request<()>) -> Option<&str> {
//!     request.extensions().get::<Authenticated>().map(|a| a.principal())
//! }
//! ```
//!
//! Requests without credentials get their 401 at once; a request with a token is accepted on
//! a blocking thread ([`Offload`]), never on the async worker threads, and without a lock
//! around the accept (the acceptor credentials are shared, each request has its own
//! context). The handler finds the [`Authenticated`] identity in the request's extensions
//! (with the `axum` feature, the [`crate::axum::Negotiated`] extractor); the response gets
//! the mutual-authentication token (and the session cookie). The identity, and the
//! delegated-credentials ccache in it, is dropped when the request and response are done.
//!
//! For multi-leg mechanisms the layer takes the connection from a [`ConnectionId`] in the
//! request's extensions, or (feature `axum`) from axum's `ConnectInfo<SocketAddr>`.

use crate::server::{Acceptor, AuthError, ConnectionId, Identity, Outcome};
use http::{Request, Response};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};

/// The authenticated identity, in the request's extensions (shared: extensions are `Clone`).
#[derive(Debug, Clone)]
pub struct Authenticated(pub Arc<Identity>);

impl std::ops::Deref for Authenticated {
    type Target = Identity;
    fn deref(&self) -> &Identity {
        &self.0
    }
}

/// Why the layer refused a request, in the refusal's response extensions (for logging).
#[derive(Debug, Clone)]
pub struct Refused(pub Arc<AuthError>);

/// Where the blocking GSSAPI work runs.
///
/// The default is [`Offload::Threads`] on one pool shared by the process, a thread per core:
/// `bench/http/run.sh` measured it ahead of tokio's blocking pool in every quiet run (10185
/// against 9755 requests/s, 0.150 against 0.159 ms of CPU per request, 2 cores); an accept is
/// CPU work and never waits for the KDC, so more threads than cores only add switches.
#[derive(Clone)]
pub enum Offload {
    /// Tokio's blocking pool (`spawn_blocking`).
    SpawnBlocking,
    /// A dedicated pool of threads (see [`Offload::threads`]; the default is one shared pool
    /// with a thread per core).
    Threads(Arc<ThreadPool>),
    /// On the calling task's thread (for a runtime whose threads may block, or tests).
    Inline,
}

impl std::fmt::Debug for Offload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Offload::SpawnBlocking => f.write_str("SpawnBlocking"),
            Offload::Threads(p) => write!(f, "Threads({})", p.threads),
            Offload::Inline => f.write_str("Inline"),
        }
    }
}

impl Default for Offload {
    fn default() -> Offload {
        static SHARED: std::sync::LazyLock<Arc<ThreadPool>> = std::sync::LazyLock::new(|| {
            Arc::new(ThreadPool::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ))
        });
        Offload::Threads(SHARED.clone())
    }
}

impl Offload {
    /// A dedicated pool of `n` threads (at least one).
    pub fn threads(n: usize) -> Offload {
        Offload::Threads(Arc::new(ThreadPool::new(n)))
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        match self {
            Offload::Inline => f(),
            Offload::SpawnBlocking => match tokio::task::spawn_blocking(f).await {
                Ok(v) => v,
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            },
            Offload::Threads(pool) => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                pool.execute(Box::new(move || {
                    let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
                }));
                match rx.await {
                    Ok(Ok(v)) => v,
                    Ok(Err(panic)) => std::panic::resume_unwind(panic),
                    Err(_) => panic!("the GSSAPI thread pool is gone"),
                }
            }
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed pool of threads for GSSAPI work; the threads end when the pool is dropped.
pub struct ThreadPool {
    sender: Mutex<Option<mpsc::Sender<Job>>>,
    threads: usize,
}

impl ThreadPool {
    /// Starts `n` threads (at least one).
    pub fn new(n: usize) -> ThreadPool {
        let n = n.max(1);
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..n {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("gssapi-http-{i}"))
                .spawn(move || {
                    loop {
                        let job = rx.lock().expect("pool receiver").recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                })
                .expect("spawn a GSSAPI pool thread");
        }
        ThreadPool {
            sender: Mutex::new(Some(tx)),
            threads: n,
        }
    }

    fn execute(&self, job: Job) {
        if let Some(tx) = self.sender.lock().expect("pool sender").as_ref() {
            // The receivers live as long as the sender: the send cannot fail.
            let _ = tx.send(job);
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.sender.lock().expect("pool sender").take();
    }
}

/// The layer: wraps a service in [`Negotiate`].
#[derive(Debug, Clone)]
pub struct NegotiateLayer {
    acceptor: Acceptor,
    offload: Offload,
}

impl NegotiateLayer {
    /// A layer authenticating with `acceptor`, GSSAPI work on the default [`Offload`] (the
    /// process's shared pool, a thread per core).
    pub fn new(acceptor: Acceptor) -> NegotiateLayer {
        NegotiateLayer {
            acceptor,
            offload: Offload::default(),
        }
    }

    /// Where the GSSAPI work runs.
    pub fn offload(mut self, offload: Offload) -> NegotiateLayer {
        self.offload = offload;
        self
    }
}

impl<S> tower_layer::Layer<S> for NegotiateLayer {
    type Service = Negotiate<S>;

    fn layer(&self, inner: S) -> Negotiate<S> {
        Negotiate {
            inner,
            acceptor: self.acceptor.clone(),
            offload: self.offload.clone(),
        }
    }
}

/// The service: authenticates, then calls the inner service (see the [module docs](self)).
#[derive(Debug, Clone)]
pub struct Negotiate<S> {
    inner: S,
    acceptor: Acceptor,
    offload: Offload,
}

fn connection_of(extensions: &http::Extensions) -> Option<ConnectionId> {
    if let Some(id) = extensions.get::<ConnectionId>() {
        return Some(*id);
    }
    #[cfg(feature = "axum")]
    if let Some(info) = extensions.get::<::axum::extract::ConnectInfo<std::net::SocketAddr>>() {
        return Some(ConnectionId::Peer(info.0));
    }
    None
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for Negotiate<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ResBody>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // The service that was polled ready goes into the future; a clone stays.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let acceptor = self.acceptor.clone();
        let offload = self.offload.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let connection = connection_of(&parts.extensions);
            let (mut parts, outcome) = if acceptor.needs_gss(&parts.headers) {
                offload
                    .run(move || {
                        let outcome = acceptor.authenticate(&parts.headers, connection);
                        (parts, outcome)
                    })
                    .await
            } else {
                // No token: a 401 or a session cookie, neither needs the library's blocking work.
                let outcome = acceptor.authenticate(&parts.headers, connection);
                (parts, outcome)
            };
            match outcome {
                Outcome::Authenticated { identity, headers } => {
                    parts.extensions.insert(Authenticated(Arc::new(identity)));
                    let mut response = inner.call(Request::from_parts(parts, body)).await?;
                    for (name, value) in headers {
                        if let Some(name) = name {
                            response.headers_mut().append(name, value);
                        }
                    }
                    Ok(response)
                }
                Outcome::Respond {
                    status,
                    headers,
                    error,
                } => {
                    let mut response = Response::new(ResBody::default());
                    *response.status_mut() = status;
                    *response.headers_mut() = headers;
                    if let Some(e) = error {
                        response.extensions_mut().insert(Refused(Arc::new(e)));
                    }
                    Ok(response)
                }
            }
        })
    }
}
