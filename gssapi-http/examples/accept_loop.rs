//! The acceptor alone, for the benchmark: `accept_loop TOKENS_FILE KEYTAB` accepts every
//! pregenerated Negotiate token (one base64 line each, as `../shared/bench/http/tokengen`
//! writes them) in one thread through `Acceptor::authenticate`, with no HTTP and no runtime,
//! and prints accepts per second and CPU ms per accept as one JSON line — the Rust
//! counterpart of the harness's C loop (`accept_limit.c`), so the two compare directly.

use gssapi_http::server::{Acceptor, Outcome};
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue};
use std::time::Instant;

fn cpu_seconds() -> f64 {
    // utime + stime of this process, from /proc/self/stat (fields 14 and 15, in clock ticks).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(tokens), Some(keytab)) = (args.next(), args.next()) else {
        return Err("usage: accept_loop TOKENS_FILE KEYTAB".into());
    };
    let acceptor = Acceptor::builder().keytab(keytab).build()?;
    let lines: Vec<HeaderValue> = std::fs::read_to_string(tokens)?
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| HeaderValue::from_str(&format!("Negotiate {l}")))
        .collect::<Result<_, _>>()?;
    let (mut ok, mut bad) = (0u64, 0u64);
    let (t0, c0) = (Instant::now(), cpu_seconds());
    for value in lines {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, value);
        match acceptor.authenticate(&headers, None) {
            Outcome::Authenticated { .. } => ok += 1,
            Outcome::Respond { .. } => bad += 1,
        }
    }
    let (dt, dc) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
    println!(
        "{{\"impl\":\"rust-acceptor\",\"accepts_per_s\":{:.1},\"cpu_ms_per_accept\":{:.4},\"ok\":{ok},\"bad\":{bad}}}",
        ok as f64 / dt,
        dc * 1000.0 / ok.max(1) as f64
    );
    Ok(())
}
