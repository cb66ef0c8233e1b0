//! Interop with Cyrus SASL's sample programs (Debian's sasl2-bin): `sasl-sample-server` and
//! `sasl-sample-client` speak base64 lines on stdio, `S: ...` from the server and `C: ...`
//! from the client: the mechanism list, `mech NUL initial-response`, the challenges and
//! responses, then one message protected with the negotiated layer each way
//! (`sasl_encode`/`sasl_decode`).
//!
//! They run as child processes with the realm's environment in their environment only, under
//! `stdbuf -oL` (they do not flush their output on a pipe).

use crate::{TestResult, check, fail, realm};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use gssapi::sasl::{
    ChallengeResponse, ClientCredentials, ClientMechanism, GssapiClient, GssapiServer, Layer,
    ServerChallenge, ServerCredentials, ServerMechanism, ServerOutcome,
};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

/// (Cyrus `-b min=..,max=..`, the layer it leads to, the SSF Cyrus reports at least).
const LAYERS: [(&str, Layer, u32); 3] = [
    ("min=0,max=0", Layer::None, 0),
    ("min=1,max=1", Layer::Integrity, 1),
    ("min=56,max=256", Layer::Confidentiality, 56),
];

/// A Cyrus sample program as a line-based peer, with a transcript for failure messages.
struct Peer {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    transcript: Vec<String>,
}

impl Peer {
    fn spawn(program: &str, args: &[&str]) -> Result<Peer, String> {
        let mut cmd = Command::new("stdbuf");
        cmd.arg("-oL").arg(program).args(args);
        cmd.envs(realm().env());
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{program}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, lines) = channel();
        let tx2 = tx.clone();
        // Lines as bytes: the sample programs echo binary data ("got '...'").
        fn forward(stream: impl std::io::Read, prefix: &'static str, tx: Sender<String>) {
            let mut reader = BufReader::new(stream);
            let mut line = Vec::new();
            while matches!(reader.read_until(b'\n', &mut line), Ok(n) if n > 0) {
                let text = String::from_utf8_lossy(&line);
                if tx
                    .send(format!("{prefix}{}", text.trim_end_matches('\n')))
                    .is_err()
                {
                    break;
                }
                line.clear();
            }
        }
        std::thread::spawn(move || forward(stdout, "", tx));
        // Its error messages, in the same transcript.
        std::thread::spawn(move || forward(stderr, "stderr: ", tx2));
        Ok(Peer {
            child,
            stdin,
            lines,
            transcript: Vec::new(),
        })
    }

    fn failure(&self, what: &str) -> String {
        format!("{what}; transcript:\n{}", self.transcript.join("\n"))
    }

    /// The next line (10 s at most).
    fn line(&mut self) -> Result<String, String> {
        match self.lines.recv_timeout(Duration::from_secs(10)) {
            Ok(line) => {
                self.transcript.push(line.clone());
                Ok(line)
            }
            Err(_) => Err(self.failure("the peer said nothing more")),
        }
    }

    /// Lines until one starting with `prefix`; returns the rest of it.
    fn until(&mut self, prefix: &str) -> Result<String, String> {
        loop {
            let line = self.line()?;
            if let Some(rest) = line.strip_prefix(prefix) {
                return Ok(rest.to_owned());
            }
        }
    }

    /// The next `S: `/`C: ` data line, decoded.
    fn data(&mut self, tag: &str) -> Result<Vec<u8>, String> {
        let b64 = self.until(&format!("{tag}: "))?;
        B64.decode(b64.trim())
            .map_err(|e| self.failure(&e.to_string()))
    }

    fn send(&mut self, tag: &str, data: &[u8]) -> Result<(), String> {
        self.transcript
            .push(format!("> {tag}: ({} bytes)", data.len()));
        writeln!(self.stdin, "{tag}: {}", B64.encode(data))
            .and_then(|()| self.stdin.flush())
            .map_err(|e| self.failure(&e.to_string()))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn cyrus_server_rust_client() -> TestResult {
    for (bits, layer, ssf) in LAYERS {
        // Cyrus authorizes only an authzid equal to the (realm-stripped) authcid.
        for authzid in [None, Some("user")] {
            let what = format!("Cyrus server -b {bits}, authzid {authzid:?}");
            let mut cyrus = Peer::spawn(
                "sasl-sample-server",
                &["-m", "GSSAPI", "-s", "host", "-d", "localhost", "-b", bits],
            )?;
            let mechs = cyrus.data("S")?;
            check!(mechs == b"GSSAPI", "{what}: {mechs:?}");
            let mut creds = ClientCredentials::new();
            if let Some(z) = authzid {
                creds = creds.authzid(z).map_err(fail)?;
            }
            let mut client = GssapiClient::for_service("host@localhost").map_err(fail)?;
            let mut challenges: Vec<ServerChallenge> = Vec::new();
            let initial = client.client_attempt(&creds, &challenges).map_err(fail)?;
            let mut first = b"GSSAPI\0".to_vec();
            first.extend_from_slice(&initial.response);
            cyrus.send("C", &first)?;
            while !client.is_complete() {
                check!(challenges.len() < 5, "{what}: too many challenges");
                challenges.push(ServerChallenge(cyrus.data("S")?));
                let r = client
                    .client_attempt(&creds, &challenges)
                    .map_err(|e| cyrus.failure(&format!("{what}: {e}")))?;
                cyrus.send("C", &r.response)?;
            }
            check!(
                challenges.len() == 2,
                "{what}: {} challenges",
                challenges.len()
            );
            let mut session = client.into_session().map_err(fail)?;
            check!(session.layer() == layer, "{what}: {}", session.layer());
            check!(cyrus.until("Username: ")? == "user", "{what}");
            let reported: u32 = cyrus.until("SSF: ")?.trim().parse().map_err(fail)?;
            check!(
                if ssf == 0 {
                    reported == 0
                } else if ssf == 1 {
                    reported == 1
                } else {
                    reported >= ssf
                },
                "{what}: Cyrus reports SSF {reported}"
            );
            // Cyrus sends first, then waits for ours.
            let wire = cyrus.data("S")?;
            let got = session.decode(&wire).map_err(fail)?;
            // The sample server sends its C string with the NUL.
            check!(got == b"srv message 1\0", "{what}: {got:?}");
            check!(session.is_idle());
            if layer.is_protected() {
                check!(
                    wire.windows(13).any(|w| w == b"srv message 1") == (layer == Layer::Integrity)
                );
            }
            let wire = session.encode(b"client message 1").map_err(fail)?;
            cyrus.send("C", &wire)?;
            let echoed = cyrus.until("recieved decoded message '")?;
            check!(echoed == "client message 1'", "{what}: {echoed}");
        }
    }
    Ok(())
}

pub(crate) fn rust_server_cyrus_client() -> TestResult {
    let user = realm().user_principal();
    for (bits, layer, ssf) in LAYERS {
        for authzid in [None, Some("admin")] {
            let what = format!("Cyrus client -b {bits}, authzid {authzid:?}");
            let mut args = vec!["-m", "GSSAPI", "-s", "host", "-n", "localhost", "-b", bits];
            if let Some(z) = authzid {
                args.extend(["-u", z]);
            }
            let mut cyrus = Peer::spawn("sasl-sample-client", &args)?;
            cyrus.send("S", b"GSSAPI")?;
            let first = cyrus.data("C")?;
            let Some(nul) = first.iter().position(|&b| b == 0) else {
                return Err(cyrus
                    .failure(&format!("{what}: no initial response"))
                    .into());
            };
            check!(&first[..nul] == b"GSSAPI", "{what}");
            let mut responses = vec![ChallengeResponse {
                challenge: Vec::new(),
                response: first[nul + 1..].to_vec(),
            }];
            let mut server = GssapiServer::new(None);
            let credentials = loop {
                check!(responses.len() < 6, "{what}: too many rounds");
                match server
                    .server_attempt(&responses)
                    .map_err(|e| cyrus.failure(&format!("{what}: {e}")))?
                {
                    ServerOutcome::Challenge(c) => {
                        cyrus.send("S", &c.0)?;
                        responses.push(ChallengeResponse {
                            challenge: c.0,
                            response: cyrus.data("C")?,
                        });
                    }
                    ServerOutcome::Success { credentials, .. } => break credentials,
                }
            };
            check!(
                credentials.authcid() == user,
                "{what}: {}",
                credentials.authcid()
            );
            // Without -u the sample client sends no authzid.
            check!(
                credentials.authzid() == authzid,
                "{what}: {:?}",
                credentials.authzid()
            );
            check!(
                credentials.layer() == layer,
                "{what}: {}",
                credentials.layer()
            );
            let reported: u32 = cyrus.until("SSF: ")?.trim().parse().map_err(fail)?;
            check!(
                if ssf <= 1 {
                    reported == ssf
                } else {
                    reported >= ssf
                },
                "{what}: Cyrus reports SSF {reported}"
            );
            let mut session = credentials
                .authorize(|c| c.authzid().is_none_or(|z| z == "admin"))
                .map_err(fail)?;
            let wire = session.encode(b"srv message 1").map_err(fail)?;
            cyrus.send("S", &wire)?;
            let echoed = cyrus.until("recieved decoded message '")?;
            check!(echoed == "srv message 1'", "{what}: {echoed}");
            let wire = cyrus.data("C")?;
            let got = session.decode(&wire).map_err(fail)?;
            // The sample client sends its C string with the NUL.
            check!(got == b"client message 1\0", "{what}: {got:?}");
        }
    }
    Ok(())
}

/// GSS-SPNEGO both ways: no layer negotiation, the layer follows the context's flags (Cyrus's
/// `-b max=0` asks for neither integrity nor confidentiality, as the Rust client does with a
/// maximum of none).
pub(crate) fn gss_spnego_with_cyrus() -> TestResult {
    let cases: [(&[&str], Layer, u32); 2] = [
        (&["-b", "min=0,max=0"], Layer::None, 0),
        (&[], Layer::Confidentiality, 56),
    ];
    for (bits, layer, ssf) in cases {
        let what = format!("GSS-SPNEGO, Cyrus server {bits:?}");
        let mut args = vec!["-m", "GSS-SPNEGO", "-s", "host", "-d", "localhost"];
        args.extend(bits);
        let mut cyrus = Peer::spawn("sasl-sample-server", &args)?;
        check!(cyrus.data("S")? == b"GSS-SPNEGO", "{what}");
        let target = gssapi::Name::hostbased_service("host@localhost").map_err(fail)?;
        let mut client = GssapiClient::gss_spnego(&target).layers(Layer::None, layer);
        let creds = ClientCredentials::new();
        let mut challenges: Vec<ServerChallenge> = Vec::new();
        let initial = client.client_attempt(&creds, &challenges).map_err(fail)?;
        let mut first = b"GSS-SPNEGO\0".to_vec();
        first.extend_from_slice(&initial.response);
        cyrus.send("C", &first)?;
        // The server's last token comes as a challenge (the sample has no success data);
        // the client is done and answers with nothing.
        challenges.push(ServerChallenge(cyrus.data("S")?));
        let last = client.client_attempt(&creds, &challenges).map_err(fail)?;
        check!(client.is_complete() && last.response.is_empty(), "{what}");
        cyrus.send("C", &last.response)?;
        let mut session = client.into_session().map_err(fail)?;
        check!(session.layer() == layer, "{what}: {}", session.layer());
        let reported: u32 = cyrus.until("SSF: ")?.trim().parse().map_err(fail)?;
        check!(
            if ssf == 0 {
                reported == 0
            } else {
                reported >= ssf
            },
            "{what}: SSF {reported}"
        );
        let got = session.decode(&cyrus.data("S")?).map_err(fail)?;
        check!(got == b"srv message 1\0", "{what}: {got:?}");
        let wire = session.encode(b"client message 1").map_err(fail)?;
        cyrus.send("C", &wire)?;
        check!(
            cyrus.until("recieved decoded message '")? == "client message 1'",
            "{what}"
        );
    }
    let user = realm().user_principal();
    for (bits, layer, ssf) in cases {
        let what = format!("GSS-SPNEGO, Cyrus client {bits:?}");
        let mut args = vec!["-m", "GSS-SPNEGO", "-s", "host", "-n", "localhost"];
        args.extend(bits);
        let mut cyrus = Peer::spawn("sasl-sample-client", &args)?;
        cyrus.send("S", b"GSS-SPNEGO")?;
        let first = cyrus.data("C")?;
        let Some(initial) = first.strip_prefix(b"GSS-SPNEGO\0") else {
            return Err(cyrus
                .failure(&format!("{what}: no initial response"))
                .into());
        };
        let mut server = GssapiServer::gss_spnego(None);
        let responses = [ChallengeResponse {
            challenge: Vec::new(),
            response: initial.to_vec(),
        }];
        let ServerOutcome::Success {
            credentials,
            final_response: Some(last),
        } = server
            .server_attempt(&responses)
            .map_err(|e| cyrus.failure(&format!("{what}: {e}")))?
        else {
            return Err(cyrus
                .failure(&format!("{what}: expected success with data"))
                .into());
        };
        check!(
            credentials.authcid() == user && credentials.authzid().is_none(),
            "{what}"
        );
        check!(
            credentials.layer() == layer,
            "{what}: {}",
            credentials.layer()
        );
        // No success data in the sample protocol: the last token as a challenge, whose empty
        // answer is discarded.
        cyrus.send("S", &last)?;
        check!(cyrus.data("C")?.is_empty(), "{what}");
        let reported: u32 = cyrus.until("SSF: ")?.trim().parse().map_err(fail)?;
        check!(
            if ssf == 0 {
                reported == 0
            } else {
                reported >= ssf
            },
            "{what}: SSF {reported}"
        );
        let mut session = credentials.authorize_self().map_err(fail)?;
        cyrus.send("S", &session.encode(b"srv message 1").map_err(fail)?)?;
        check!(
            cyrus.until("recieved decoded message '")? == "srv message 1'",
            "{what}"
        );
        let got = session.decode(&cyrus.data("C")?).map_err(fail)?;
        check!(got == b"client message 1\0", "{what}: {got:?}");
    }
    Ok(())
}
