//! The HTTP Negotiate acceptor (gssapi-http::server) on untrusted requests: header in, status
//! and headers out. The acceptor has a real keytab (a random key for HTTP/localhost, made with
//! ktutil once) and sessions on, so tokens reach the library's SPNEGO and Kerberos parsers and
//! cookies reach the AEAD. Random input never authenticates; every refusal is a well-formed
//! response.
#![no_main]

use gssapi_http::server::{Acceptor, Outcome};
use gssapi_http::session::{SessionKey, Sessions};
use http::header::{AUTHORIZATION, COOKIE, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn acceptor() -> &'static Acceptor {
    static ACCEPTOR: OnceLock<Acceptor> = OnceLock::new();
    ACCEPTOR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gssapi-fuzz-http-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let keytab = dir.join("http.keytab");
        if !keytab.exists() {
            let script = format!(
                "addent -password -p HTTP/localhost@FUZZ.TEST -k 1 -e aes256-cts-hmac-sha1-96\nfuzzing-password\nwkt {}\nquit\n",
                keytab.display()
            );
            let mut child = std::process::Command::new("ktutil")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("ktutil (krb5-user) is installed by ci/install-deps.sh");
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
            assert!(child.wait().unwrap().success(), "ktutil failed");
        }
        Acceptor::builder()
            .keytab(format!("FILE:{}", keytab.display()))
            .sessions(Sessions::new(SessionKey::from_bytes([7; 32])))
            .build()
            .expect("acceptor credentials from the fuzz keytab")
    })
}

fuzz_target!(|data: &[u8]| {
    // Input: header values separated by 0x00; the first byte of each picks its name.
    let mut headers = HeaderMap::new();
    for field in data.split(|b| *b == 0) {
        let Some((&which, value)) = field.split_first() else { continue };
        let Ok(value) = HeaderValue::from_bytes(value) else { continue };
        let name = match which % 3 {
            0 => AUTHORIZATION,
            1 => COOKIE,
            _ => http::header::HOST,
        };
        headers.append(name, value);
    }
    match acceptor().authenticate(&headers, None) {
        Outcome::Authenticated { identity, .. } => {
            panic!("random input authenticated as {}", identity.principal())
        }
        Outcome::Respond { status, headers: out, error } => {
            assert!(
                [
                    StatusCode::UNAUTHORIZED,
                    StatusCode::BAD_REQUEST,
                    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                ]
                .contains(&status),
                "status {status}"
            );
            if status == StatusCode::UNAUTHORIZED {
                let challenge = out.get(WWW_AUTHENTICATE).expect("a 401 has a challenge");
                assert!(challenge.as_bytes().starts_with(b"Negotiate"));
            } else {
                assert!(error.is_some(), "a {status} says why");
            }
        }
    }
});
