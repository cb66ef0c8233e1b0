//! Tracing output captured in memory (every level, every span event, every field), and the
//! checks over it: secrets absent in every encoding, spans present with their fields.
//!
//! Shared with gssapi-http's tracing suite.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashSet;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// The bytes the fmt layer wrote.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// A subscriber that writes everything this workspace's crates trace (targets `gssapi*`:
    /// TRACE and up, a line when each span opens, is entered, exited and closed, with all
    /// its fields) into this capture. Other crates' events (hyper's) are left out: what they
    /// write is theirs to answer for.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        use tracing_subscriber::layer::SubscriberExt as _;
        use tracing_subscriber::{Layer as _, filter, fmt, registry};
        let ours = filter::filter_fn(|meta| meta.target().starts_with("gssapi"));
        let layer = fmt::layer()
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .without_time()
            .with_writer(self.clone())
            .with_filter(ours);
        registry().with(layer)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many bytes were written so far (for [`since`](Self::since)).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// The output written since `start`.
    pub fn since(&self, start: usize) -> Vec<u8> {
        self.lock().get(start..).unwrap_or_default().to_vec()
    }
}

/// One write of the fmt layer.
pub struct Writer(Capture);

impl io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Writer;

    fn make_writer(&'a self) -> Writer {
        Writer(self.clone())
    }
}

/// Bytes that must never reach the output: a token, a plaintext, a key, a password, a header.
pub struct Secret {
    pub what: String,
    pub bytes: Vec<u8>,
}

/// The secrets of one test, as they go over.
#[derive(Default)]
pub struct Secrets(pub Vec<Secret>);

impl Secrets {
    /// Records `bytes` under `what` (those shorter than 8 bytes are too short to look for
    /// without false alarms, and are skipped).
    pub fn add(&mut self, what: impl Into<String>, bytes: &[u8]) {
        if bytes.len() >= 8 {
            self.0.push(Secret {
                what: what.into(),
                bytes: bytes.to_vec(),
            });
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The window a secret is checked by: any 16 bytes of it (the whole of a shorter one).
const WINDOW: usize = 16;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `[1, 2, 3]` without its brackets, as a slice's `Debug` writes it inside a longer one.
fn debug_list(bytes: &[u8]) -> String {
    let list = format!("{bytes:?}");
    list[1..list.len() - 1].to_owned()
}

/// Checks that no secret appears in `output`: raw (any window of its bytes as a substring of
/// the output's bytes), as lowercase or uppercase hex, as standard base64 (of a window
/// starting at any offset, so the base64 of any stretch of the secret is found whatever its
/// alignment) and as `Debug` of a byte slice. Every window of 16 bytes is checked; a secret
/// of 8 to 15 bytes is checked whole.
pub fn assert_no_leak(output: &[u8], secrets: &Secrets) -> Result<(), String> {
    let text = String::from_utf8_lossy(output);
    let lower = text.to_lowercase();
    let mut raw_sets: std::collections::HashMap<usize, HashSet<&[u8]>> = Default::default();
    for secret in &secrets.0 {
        let len = secret.bytes.len().min(WINDOW);
        let raw = raw_sets
            .entry(len)
            .or_insert_with(|| output.windows(len).collect());
        for (at, window) in secret.bytes.windows(len).enumerate() {
            let found = if raw.contains(window) {
                Some("raw bytes")
            } else if lower.contains(&hex(window)) {
                Some("hex")
            } else if text.contains(&debug_list(window)) {
                Some("Debug list")
            } else {
                // Base64 of bytes from `at` on: whole groups of 3 only, so the encoding is
                // the same inside any longer base64 text that starts there.
                let b64 = &secret.bytes[at..(at + 15).min(secret.bytes.len())];
                let b64 = &b64[..b64.len() - b64.len() % 3];
                (b64.len() >= 6 && text.contains(&base64(b64))).then_some("base64")
            };
            if let Some(how) = found {
                return Err(format!(
                    "{} ({} bytes) leaked as {how}: bytes {at}..{} found in the output",
                    secret.what,
                    secret.bytes.len(),
                    at + len
                ));
            }
        }
    }
    Ok(())
}

/// The closed spans `name`: for each line that closes one, the span's own part,
/// `name{fields}` (its parents' fields, earlier on the line, left out).
///
/// The fmt layer writes a close as `parent{..}:name{..}: target: close time.busy=..`.
pub fn closed(output: &str, name: &str) -> Vec<String> {
    let open = format!("{name}{{");
    output
        .lines()
        .filter_map(|line| {
            let chain = match line.rsplit_once(": close ") {
                Some((chain, _timing)) => chain,
                None => line.strip_suffix(": close")?,
            };
            let (chain, _target) = chain.rsplit_once(": ")?;
            let at = chain.rfind(&open)?;
            let own = &chain[at..];
            // The span itself, not a parent of the one closing.
            (!own.contains("}:gssapi")).then(|| own.to_owned())
        })
        .collect()
}

/// A check that some closed span `name` has all of `fields` (`key=value` text).
pub fn expect_span(output: &str, name: &str, fields: &[&str]) -> Result<(), String> {
    let spans = closed(output, name);
    if !spans.iter().any(|s| fields.iter().all(|f| s.contains(f))) {
        return Err(format!(
            "no closed span {name} with {fields:?}; those closed:\n{}",
            spans.join("\n")
        ));
    }
    Ok(())
}

/// A check that some line has all of `fields` (an event's).
pub fn expect_line(output: &str, fields: &[&str]) -> Result<(), String> {
    if !output.lines().any(|l| fields.iter().all(|f| l.contains(f))) {
        return Err(format!("no line with {fields:?} in:\n{output}"));
    }
    Ok(())
}
