//! The parts of gssapi-http that need no realm: the header codec on the issue's bad inputs,
//! `tls-server-end-point` hashes checked against OpenSSL's for real certificates, and the
//! session cookie's seal.

use gssapi_http::cbt::{self, CertificateError, Hash};
use gssapi_http::header::{
    self, AuthData, HeaderError, Limits, NegotiateChallenge, NegotiateCredentials,
};
use gssapi_http::session::{SameSite, SessionError, SessionKey, Sessions};
use http::header::{AUTHORIZATION, COOKIE, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue};
use std::process::Command;
use std::time::{Duration, Instant};

fn creds(value: &str) -> Result<NegotiateCredentials, HeaderError> {
    let mut h = HeaderMap::new();
    h.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
    header::negotiate_credentials(&h, &AUTHORIZATION, &Limits::default())
}

fn challenge(values: &[&str]) -> Result<NegotiateChallenge, HeaderError> {
    let mut h = HeaderMap::new();
    for v in values {
        h.append(WWW_AUTHENTICATE, HeaderValue::from_str(v).unwrap());
    }
    header::negotiate_challenge(&h, &WWW_AUTHENTICATE, &Limits::default())
}

#[test]
fn credentials_bad_inputs_are_typed_errors() {
    assert_eq!(
        creds("Negotiate YWJj"),
        Ok(NegotiateCredentials::Token(b"abc".to_vec()))
    );
    assert_eq!(
        creds("negotiate   YWJj  "),
        Ok(NegotiateCredentials::Token(b"abc".to_vec()))
    );
    // Another scheme, even one mentioning Negotiate, is not Negotiate.
    assert_eq!(
        creds(r#"Basic realm="Negotiate x""#),
        Ok(NegotiateCredentials::OtherScheme("Basic".into()))
    );
    assert_eq!(
        creds("NegotiateX abc"),
        Ok(NegotiateCredentials::OtherScheme("NegotiateX".into()))
    );
    assert_eq!(creds("Negotiate"), Err(HeaderError::MissingToken));
    assert_eq!(creds("Negotiate    "), Err(HeaderError::MissingToken));
    // `*` is not a base64 character: the value is neither a token68 nor auth-params.
    assert_eq!(
        creds("Negotiate YW*j"),
        Err(HeaderError::UnexpectedEnd {
            expected: "a token68 (base64 characters) or auth-params (name=value)"
        })
    );
    assert!(matches!(
        creds("Negotiate YW@j"),
        Err(HeaderError::Syntax {
            offset: 12,
            byte: b'@',
            ..
        })
    ));
    assert!(matches!(
        creds("Negotiate YWJ"),
        Err(HeaderError::Base64(_))
    ));
    assert!(matches!(
        creds("Negotiate YWI=="),
        Err(HeaderError::Base64(_))
    ));
    assert!(
        matches!(creds("Negotiate YWJ="), Err(HeaderError::Base64(_))),
        "stray bits"
    );
    assert!(
        matches!(creds("Negotiate YW-j"), Err(HeaderError::Base64(_))),
        "url-safe alphabet"
    );
    assert_eq!(creds("Negotiate a=b"), Err(HeaderError::NotToken68));
    assert!(matches!(
        creds("Negotiate YWJj YWJj"),
        Err(HeaderError::Syntax { .. })
    ));
    assert!(matches!(
        creds("Negotiate YWJj, Basic x"),
        Err(HeaderError::Syntax { .. })
    ));
    assert_eq!(creds(""), Err(HeaderError::Empty));
    // Two Authorization fields.
    let mut h = HeaderMap::new();
    h.append(AUTHORIZATION, HeaderValue::from_static("Negotiate YWJj"));
    h.append(AUTHORIZATION, HeaderValue::from_static("Negotiate YWJj"));
    assert_eq!(
        header::negotiate_credentials(&h, &AUTHORIZATION, &Limits::default()),
        Err(HeaderError::Duplicate {
            header: "authorization".into(),
            count: 2
        })
    );
    // Bytes that are not visible ASCII.
    let mut h = HeaderMap::new();
    h.insert(
        AUTHORIZATION,
        HeaderValue::from_bytes(b"Negotiate \xffYWJj").unwrap(),
    );
    assert!(matches!(
        header::negotiate_credentials(&h, &AUTHORIZATION, &Limits::default()),
        Err(HeaderError::Syntax {
            offset: 10,
            byte: 0xff,
            ..
        })
    ));
    // Absent.
    assert_eq!(
        header::negotiate_credentials(&HeaderMap::new(), &AUTHORIZATION, &Limits::default()),
        Ok(NegotiateCredentials::Absent)
    );
}

#[test]
fn size_bound() {
    let big = format!("Negotiate {}", "A".repeat(100_000));
    assert_eq!(
        creds(&big),
        Err(HeaderError::TooLarge {
            header: "authorization".into(),
            len: big.len(),
            max: 65536
        })
    );
    let mut h = HeaderMap::new();
    h.insert(AUTHORIZATION, HeaderValue::from_static("Negotiate YWJj"));
    let tiny = Limits {
        max_header_bytes: 8,
    };
    assert!(matches!(
        header::negotiate_credentials(&h, &AUTHORIZATION, &tiny),
        Err(HeaderError::TooLarge {
            len: 14,
            max: 8,
            ..
        })
    ));
    // For challenges, all fields of the name count together.
    let mut h = HeaderMap::new();
    for _ in 0..3 {
        h.append(WWW_AUTHENTICATE, HeaderValue::from_static("Negotiate"));
    }
    let limits = Limits {
        max_header_bytes: 20,
    };
    assert!(matches!(
        header::negotiate_challenge(&h, &WWW_AUTHENTICATE, &limits),
        Err(HeaderError::TooLarge { len: 27, .. })
    ));
}

/// Parse time of `Negotiate` + n copies of `filler`, best of 5.
fn parse_time(filler: char, n: usize) -> Duration {
    let value = format!("Negotiate{}", filler.to_string().repeat(n));
    (0..5)
        .map(|_| {
            let t = Instant::now();
            let parsed = header::parse_challenges(&value);
            let elapsed = t.elapsed();
            // Trailing spaces or empty list elements: a bare challenge.
            assert_eq!(parsed.map(|v| v.len()), Ok(1));
            elapsed
        })
        .min()
        .unwrap()
}

#[test]
fn linear_time_on_spaces_and_commas() {
    for filler in [' ', ','] {
        let small = parse_time(filler, 10_000);
        let large = parse_time(filler, 100_000);
        // Linear: 10x the input takes about 10x the time. A quadratic parser takes 100x; allow
        // generous noise (a shared machine) but not that.
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-7);
        assert!(
            ratio < 40.0,
            "{filler:?}: 10k {small:?}, 100k {large:?}, ratio {ratio:.1}"
        );
    }
    // The credentials parser too, on the same inputs (each an error or a bare scheme, fast).
    let spaces = format!("Negotiate{}", " ".repeat(100_000));
    assert_eq!(
        header::parse_credentials(&spaces).map(|c| c.data),
        Ok(AuthData::None)
    );
    let commas = format!("Negotiate{}", ",".repeat(100_000));
    assert!(matches!(
        header::parse_credentials(&commas),
        Err(HeaderError::Syntax { offset: 9, .. })
    ));
}

#[test]
fn challenge_lists() {
    // Basic and Negotiate together, in one field or two.
    assert_eq!(
        challenge(&[r#"Basic realm="x, Negotiate y", Negotiate YWJj"#]),
        Ok(NegotiateChallenge::Offered(Some(b"abc".to_vec())))
    );
    assert_eq!(
        challenge(&[r#"Basic realm="a""#, "Negotiate"]),
        Ok(NegotiateChallenge::Offered(None))
    );
    assert_eq!(
        challenge(&[r#"Basic realm="Negotiate x""#]),
        Ok(NegotiateChallenge::Absent)
    );
    assert_eq!(challenge(&[]), Ok(NegotiateChallenge::Absent));
    // A malformed field is reported only if no good field offers Negotiate.
    assert_eq!(
        challenge(&["Negotiate YWJj", "Bearer ="]),
        Ok(NegotiateChallenge::Offered(Some(b"abc".to_vec())))
    );
    assert!(matches!(
        challenge(&["Bearer =", "Basic x=y"]),
        Err(HeaderError::Syntax { .. })
    ));
    assert!(matches!(
        challenge(&["Negotiate %%%"]),
        Err(HeaderError::UnexpectedEnd { .. })
    ));
    assert!(matches!(
        challenge(&["Negotiate ()"]),
        Err(HeaderError::Syntax {
            offset: 10,
            byte: b'(',
            ..
        })
    ));
    assert!(matches!(
        challenge(&["Negotiate YWJ"]),
        Err(HeaderError::Base64(_))
    ));
    assert!(matches!(
        challenge(&[r#"Basic realm="open"#]),
        Err(HeaderError::UnexpectedEnd { .. })
    ));
    // Params: quoted pairs unescaped, names case-insensitive.
    let list = header::parse_challenges(r#"Digest Realm="a\\b\"c", qop=auth,  Negotiate"#).unwrap();
    assert_eq!(list[0].param("realm"), Some(r#"a\b"c"#));
    assert_eq!(list[0].param("QOP"), Some("auth"));
    assert!(list[1].is("NEGOTIATE"));
    // Encoding.
    assert_eq!(header::negotiate_value(&[0xfb, 0xff]), "Negotiate +/8=");
    assert_eq!(header::negotiate_header(b"abc"), "Negotiate YWJj");
    assert_eq!(header::negotiate_bare(), "Negotiate");
    assert_eq!(header::decode_token("+/8="), Ok(vec![0xfb, 0xff]));
}

/// A self-signed certificate from OpenSSL, DER, and OpenSSL's digest of it.
fn openssl_cert(key_args: &[&str], sign_args: &[&str], digest: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let der = dir.path().join("cert.der");
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-days",
            "1",
        ])
        .args(key_args)
        .args(sign_args)
        .arg("-keyout")
        .arg(&key)
        .args(["-outform", "DER", "-out"])
        .arg(&der)
        .output()
        .expect("openssl is installed");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let out = Command::new("openssl")
        .args(["dgst", &format!("-{digest}"), "-binary"])
        .arg(&der)
        .output()
        .unwrap();
    assert!(out.status.success());
    (std::fs::read(&der).unwrap(), out.stdout)
}

#[test]
fn tls_server_end_point_hashes_match_openssl() {
    let cases: &[(&[&str], &[&str], &str, Hash)] = &[
        (
            &["-newkey", "rsa:2048"],
            &["-sha256"],
            "sha256",
            Hash::Sha256,
        ),
        (&["-newkey", "rsa:2048"], &["-sha1"], "sha256", Hash::Sha256), // SHA-1 → SHA-256
        (
            &["-newkey", "rsa:2048"],
            &["-sha512"],
            "sha512",
            Hash::Sha512,
        ),
        (
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
            &["-sha384"],
            "sha384",
            Hash::Sha384,
        ),
        (&["-newkey", "ed25519"], &[], "sha256", Hash::Sha256),
        (
            &["-newkey", "rsa:2048"],
            &[
                "-sha384",
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:-1",
            ],
            "sha384",
            Hash::Sha384,
        ),
    ];
    for (key, sign, digest, hash) in cases {
        let (der, expected) = openssl_cert(key, sign, digest);
        let (got_hash, got) = cbt::certificate_hash(&der).unwrap();
        assert_eq!((got_hash, &got), (*hash, &expected), "{key:?} {sign:?}");
        let data = cbt::application_data(&der).unwrap();
        assert_eq!(&data[..cbt::PREFIX.len()], b"tls-server-end-point:");
        assert_eq!(&data[cbt::PREFIX.len()..], &expected[..]);
        let bindings = cbt::tls_server_end_point(&der).unwrap();
        assert_eq!(bindings.application_data(), &data[..]);
    }
    assert!(matches!(
        cbt::certificate_hash(b"not a certificate"),
        Err(CertificateError::Malformed(_))
    ));
    assert!(matches!(
        cbt::tls_server_end_point(&[]),
        Err(CertificateError::Malformed(_))
    ));
}

#[test]
fn session_cookies() {
    let key = SessionKey::generate();
    let sessions = Sessions::new(key.clone())
        .same_site(SameSite::Strict)
        .path("/app");
    let mech = gssapi::Mechanism::KERBEROS.oid().clone();
    let cookie = sessions.issue("user@EXAMPLE.COM", &mech, gssapi::Flags::MUTUAL, Some(7200));
    // Attributes: Secure, HttpOnly, SameSite, Path, and Max-Age capped at one hour.
    for attr in [
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/app",
        "Max-Age=3600",
    ] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("gssapi_session=")
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        COOKIE,
        HeaderValue::from_str(&format!("a=b; gssapi_session={value}; c=d")).unwrap(),
    );
    assert_eq!(sessions.find_cookie(&headers).as_deref(), Some(value));
    let s = sessions.open(value).unwrap();
    assert_eq!(s.principal, "user@EXAMPLE.COM");
    assert_eq!(s.mech, mech);
    assert_eq!(s.flags, gssapi::Flags::MUTUAL);
    // The ticket's lifetime caps the session too.
    let short = sessions.issue("u@R", &mech, gssapi::Flags::empty(), Some(60));
    assert!(short.contains("Max-Age=60"), "{short}");
    // Tampered: every byte position flipped is refused.
    let mut raw: Vec<char> = value.chars().collect();
    for i in [0, raw.len() / 2, raw.len() - 2] {
        let orig = raw[i];
        raw[i] = if orig == 'A' { 'B' } else { 'A' };
        let tampered: String = raw.iter().collect();
        assert!(matches!(
            sessions.open(&tampered),
            Err(SessionError::Forged | SessionError::Malformed)
        ));
        raw[i] = orig;
    }
    // Another server's key, another cookie name (the name is associated data).
    assert_eq!(
        Sessions::new(SessionKey::generate()).open(value),
        Err(SessionError::Forged)
    );
    assert_eq!(
        Sessions::new(key.clone()).cookie_name("other").open(value),
        Err(SessionError::Forged)
    );
    assert_eq!(
        Sessions::new(SessionKey::from_bytes(*key.as_bytes()))
            .open(value)
            .map(|s| s.principal),
        Ok("user@EXAMPLE.COM".into())
    );
    // Expired.
    let expiring = Sessions::new(key.clone()).max_age(Duration::ZERO);
    let c = expiring.issue("u@R", &mech, gssapi::Flags::empty(), None);
    let v = c.split(';').next().unwrap().split_once('=').unwrap().1;
    assert_eq!(expiring.open(v), Err(SessionError::Expired));
    // Malformed.
    assert_eq!(sessions.open("!!!"), Err(SessionError::Malformed));
    assert_eq!(sessions.open("AAAA"), Err(SessionError::Malformed));
    // Settings.
    let plain = Sessions::new(key)
        .secure(false)
        .http_only(false)
        .cookie_name("sid");
    let c = plain.issue("u@R", &mech, gssapi::Flags::empty(), None);
    assert!(
        c.starts_with("sid=") && !c.contains("Secure") && !c.contains("HttpOnly"),
        "{c}"
    );
    assert_eq!(plain.name(), "sid");
    assert_eq!(format!("{:?}", SessionKey::generate()), "SessionKey(..)");
}
