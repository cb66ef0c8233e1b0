//! The benchmark server for `bench/http/run.sh` (and `../shared/bench/http/run.sh --start`):
//! axum 0.8 on a tokio multi-thread runtime, `/` behind gssapi-http's `NegotiateLayer`
//! (a tiny 200; the layer adds the mutual-authentication token), `/noauth` the same 200
//! without authentication.
//!
//! ```text
//! negotiate-server --listen 127.0.0.1:PORT [--offload spawn-blocking|threads:N|inline]
//!                  [--workers N] [--keytab PATH]
//! ```
//!
//! The keytab comes from `--keytab`, else `$HTTP_KEYTAB`, else `$KRB5_KTNAME` (a `FILE:`
//! prefix is dropped); the acceptor reads it through the credential store
//! (`Acceptor::builder().keytab(...)`), once. The replay cache is the library's (MIT: `dfl`
//! in `$KRB5RCACHEDIR`, `KRB5RCACHETYPE` overrides). Sessions are off, so every request
//! authenticates.

use axum::Router;
use axum::routing::get;
use gssapi_http::server::Acceptor;
use gssapi_http::tower::{NegotiateLayer, Offload};
use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "usage: negotiate-server --listen 127.0.0.1:PORT \
[--offload spawn-blocking|threads:N|inline] [--workers N] [--keytab PATH]";

struct Args {
    listen: SocketAddr,
    offload: String,
    workers: Option<usize>,
    keytab: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut listen = None;
    let mut offload = "spawn-blocking".to_owned();
    let mut workers = None;
    let mut keytab = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--listen" => {
                let v = value()?;
                listen = Some(v.parse().map_err(|e| format!("--listen {v}: {e}"))?);
            }
            "--offload" => offload = value()?,
            "--workers" => {
                let v = value()?;
                let n: usize = v.parse().map_err(|e| format!("--workers {v}: {e}"))?;
                workers = Some(n.max(1));
            }
            "--keytab" => keytab = Some(value()?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(Args {
        listen: listen.ok_or_else(|| format!("--listen is required\n{USAGE}"))?,
        offload,
        workers,
        keytab,
    })
}

fn offload_of(spec: &str) -> Result<Offload, String> {
    match spec {
        "spawn-blocking" => Ok(Offload::SpawnBlocking),
        "inline" => Ok(Offload::Inline),
        _ => match spec.strip_prefix("threads:").map(str::parse::<usize>) {
            Some(Ok(n)) if n > 0 => Ok(Offload::threads(n)),
            _ => Err(format!(
                "--offload {spec}: expected spawn-blocking, threads:N or inline"
            )),
        },
    }
}

fn keytab_of(given: Option<String>) -> Result<String, String> {
    if let Some(k) = given {
        return Ok(k);
    }
    if let Ok(k) = std::env::var("HTTP_KEYTAB")
        && !k.is_empty()
    {
        return Ok(k);
    }
    match std::env::var("KRB5_KTNAME") {
        Ok(k) if !k.is_empty() => Ok(k.strip_prefix("FILE:").unwrap_or(&k).to_owned()),
        _ => Err("no keytab: pass --keytab or set HTTP_KEYTAB or KRB5_KTNAME".to_owned()),
    }
}

async fn ok() -> &'static str {
    "ok\n"
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("negotiate-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let offload = offload_of(&args.offload)?;
    let keytab = keytab_of(args.keytab)?;
    let acceptor = Acceptor::builder()
        .keytab(keytab.as_str())
        .build()
        .map_err(|e| format!("acceptor from {keytab}: {e}"))?;

    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_io();
    if let Some(n) = args.workers {
        rt.worker_threads(n);
    }
    let rt = rt.build().map_err(|e| format!("tokio runtime: {e}"))?;

    let layer = NegotiateLayer::new(acceptor).offload(offload.clone());
    let app = Router::new()
        .route("/", get(ok).layer(layer))
        .route("/noauth", get(ok));

    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("bind {}: {e}", args.listen))?;
        eprintln!(
            "negotiate-server: listening on {} (offload {offload:?}, workers {}, keytab {keytab})",
            args.listen,
            args.workers
                .map_or_else(|| "default".to_owned(), |n| n.to_string()),
        );
        axum::serve(listener, app)
            .await
            .map_err(|e| format!("serve: {e}"))
    })
}
