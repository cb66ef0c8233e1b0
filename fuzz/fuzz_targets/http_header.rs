//! The HTTP Negotiate header codec (gssapi-http::header) on untrusted header values: every
//! parser returns a value or a typed error, never panics; what parses round-trips.
#![no_main]

use gssapi_http::header::{
    self, AuthData, Limits, NegotiateChallenge, NegotiateCredentials, negotiate_header,
};
use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a size limit, so the bound itself is exercised too.
    let Some((&limit, rest)) = data.split_first() else { return };
    let limits = Limits { max_header_bytes: usize::from(limit) * 64 };
    if let Ok(text) = std::str::from_utf8(rest) {
        if let Ok(list) = header::parse_challenges(text) {
            assert!(!list.is_empty());
            for c in &list {
                assert!(!c.scheme.is_empty());
                if let AuthData::Token68(t) = c.data {
                    assert!(text.contains(t));
                }
            }
        }
        if let Ok(creds) = header::parse_credentials(text) {
            assert!(text.contains(creds.scheme));
        }
    }
    // Several header fields: split on newlines, as separate values.
    let mut map = HeaderMap::new();
    for field in rest.split(|b| *b == b'\n') {
        if let Ok(v) = HeaderValue::from_bytes(field) {
            map.append(AUTHORIZATION, v.clone());
            map.append(WWW_AUTHENTICATE, v);
        }
    }
    if let Ok(NegotiateCredentials::Token(token)) =
        header::negotiate_credentials(&map, &AUTHORIZATION, &limits)
    {
        // A decoded token re-encodes to a header that decodes to the same token.
        let mut again = HeaderMap::new();
        again.insert(AUTHORIZATION, negotiate_header(&token));
        let big = Limits { max_header_bytes: usize::MAX };
        assert_eq!(
            header::negotiate_credentials(&again, &AUTHORIZATION, &big),
            Ok(NegotiateCredentials::Token(token))
        );
    }
    if let Ok(NegotiateChallenge::Offered(Some(token))) =
        header::negotiate_challenge(&map, &WWW_AUTHENTICATE, &limits)
    {
        let mut again = HeaderMap::new();
        again.insert(WWW_AUTHENTICATE, negotiate_header(&token));
        assert_eq!(
            header::negotiate_challenge(&again, &WWW_AUTHENTICATE, &Limits { max_header_bytes: usize::MAX }),
            Ok(NegotiateChallenge::Offered(Some(token)))
        );
    }
});
