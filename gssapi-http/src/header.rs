//! The header codec: `WWW-Authenticate` / `Proxy-Authenticate` challenges and `Authorization` /
//! `Proxy-Authorization` credentials (RFC 9110 §11), and the `Negotiate` token in them
//! (RFC 4559).
//!
//! ```
//! use gssapi_http::header::{self, Limits, NegotiateChallenge};
//! use http::{HeaderMap, HeaderValue, header::WWW_AUTHENTICATE};
//!
//! let mut headers = HeaderMap::new();
//! headers.append(WWW_AUTHENTICATE, HeaderValue::from_static(r#"Basic realm="x, Negotiate y""#));
//! headers.append(WWW_AUTHENTICATE, HeaderValue::from_static("negotiate  YWJj, Bearer"));
//! let offer = header::negotiate_challenge(&headers, &WWW_AUTHENTICATE, &Limits::default())?;
//! assert_eq!(offer, NegotiateChallenge::Offered(Some(b"abc".to_vec())));
//!
//! // The other way: a token as a header value.
//! assert_eq!(header::negotiate_value(b"abc"), "Negotiate YWJj");
//! # Ok::<(), gssapi_http::header::HeaderError>(())
//! ```
//!
//! The parser reads each byte a bounded number of times (at most twice, when a word after a
//! comma turns out to start the next challenge), with no regular expression: time is linear in
//! the header's length, which is also bounded ([`Limits::max_header_bytes`], 64 KiB by
//! default) before any parsing. Scheme names compare case-insensitively. The token must be
//! strict, padded, canonical base64 of the standard alphabet.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderName, HeaderValue};
use std::borrow::Cow;

/// The scheme name (RFC 4559).
pub const NEGOTIATE: &str = "Negotiate";

/// Bounds on what the codec accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one header field value, or all values of one header name together, may
    /// have (default 64 KiB; a Kerberos ticket with a large PAC is 10–20 KiB of base64).
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_header_bytes: 64 * 1024,
        }
    }
}

/// Why a header did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderError {
    /// The header (all its fields together) is longer than [`Limits::max_header_bytes`].
    #[error("the {header} header is {len} bytes, more than the limit of {max}")]
    TooLarge {
        /// The header's name.
        header: String,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A byte that is not allowed where it appears.
    #[error("unexpected byte 0x{byte:02x} at offset {offset}: {expected}")]
    Syntax {
        /// Offset in the field value.
        offset: usize,
        /// The byte found.
        byte: u8,
        /// What the grammar wanted there.
        expected: &'static str,
    },
    /// The field value ended inside a quoted string or where more was needed.
    #[error("the header value ended early: {expected}")]
    UnexpectedEnd {
        /// What the grammar wanted there.
        expected: &'static str,
    },
    /// The field is empty (no challenge or credentials at all).
    #[error("the header value is empty")]
    Empty,
    /// `Authorization` (or `Proxy-Authorization`) appeared more than once.
    #[error("the {header} header appears {count} times; one is allowed")]
    Duplicate {
        /// The header's name.
        header: String,
        /// How many times.
        count: usize,
    },
    /// `Negotiate` credentials without the token.
    #[error("Negotiate credentials without a token")]
    MissingToken,
    /// `Negotiate` with auth-params instead of a token68.
    #[error("Negotiate takes a base64 token, not auth-params")]
    NotToken68,
    /// The token is not strict base64 (standard alphabet, padded, canonical).
    #[error("the Negotiate token is not valid base64: {0}")]
    Base64(String),
}

/// What follows the scheme of one challenge or credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthData<'a> {
    /// The scheme alone.
    None,
    /// A token68 (for `Negotiate`, the base64 of a GSSAPI token).
    Token68(&'a str),
    /// Auth-params (`name=value`, values unquoted).
    Params(Vec<(&'a str, Cow<'a, str>)>),
}

/// One challenge (`WWW-Authenticate`) or credentials (`Authorization`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// The scheme as written (compare with [`Challenge::is`], case-insensitively).
    pub scheme: &'a str,
    /// What came after it.
    pub data: AuthData<'a>,
}

impl Challenge<'_> {
    /// Whether the scheme is `scheme` (ASCII case-insensitive).
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }

    /// An auth-param's value (names compare case-insensitively).
    pub fn param(&self, name: &str) -> Option<&str> {
        match &self.data {
            AuthData::Params(params) => params
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_ref()),
            _ => None,
        }
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token68_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_ows(&mut self) {
        while self.peek().is_some_and(is_ows) {
            self.pos += 1;
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        &self.s[start..self.pos]
    }

    fn error(&self, expected: &'static str) -> HeaderError {
        match self.peek() {
            Some(byte) => HeaderError::Syntax {
                offset: self.pos,
                byte,
                expected,
            },
            None => HeaderError::UnexpectedEnd { expected },
        }
    }

    fn token(&mut self, expected: &'static str) -> Result<&'a str, HeaderError> {
        let t = self.take_while(is_tchar);
        if t.is_empty() {
            return Err(self.error(expected));
        }
        Ok(t)
    }

    /// A quoted-string, the cursor on its opening quote; unescaped.
    fn quoted(&mut self) -> Result<Cow<'a, str>, HeaderError> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            match self.peek() {
                None => return Err(self.error("a closing '\"'")),
                Some(b'"') => {
                    let raw = &self.s[start..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        Some(o) => Cow::Owned(o),
                        None => Cow::Borrowed(raw),
                    });
                }
                Some(b'\\') => {
                    let o = owned.get_or_insert_with(|| self.s[start..self.pos].to_owned());
                    self.pos += 1;
                    match self.peek() {
                        Some(b) if b == b'\t' || (0x20..0x7f).contains(&b) => {
                            o.push(b as char);
                            self.pos += 1;
                        }
                        _ => return Err(self.error("a quoted character after '\\'")),
                    }
                }
                Some(b) if b == b'\t' || (0x20..0x7f).contains(&b) && b != 0x7f => {
                    if let Some(o) = owned.as_mut() {
                        o.push(b as char);
                    }
                    self.pos += 1;
                }
                Some(_) => return Err(self.error("a printable character in a quoted string")),
            }
        }
    }

    /// At a list separator: skips `OWS , OWS` repeatedly (empty list elements are allowed).
    /// Returns whether the value ended.
    fn skip_separators(&mut self) -> Result<bool, HeaderError> {
        loop {
            self.skip_ows();
            match self.peek() {
                None => return Ok(true),
                Some(b',') => self.pos += 1,
                Some(_) => return Ok(false),
            }
        }
    }

    /// After an element: OWS, then the end or a comma.
    fn end_of_element(&mut self) -> Result<(), HeaderError> {
        self.skip_ows();
        match self.peek() {
            None | Some(b',') => Ok(()),
            Some(_) => Err(self.error("',' or the end of the value")),
        }
    }

    /// The data of one challenge, the cursor after its scheme. `list` says whether a comma may
    /// end it and start another challenge (a `WWW-Authenticate` list) or not (credentials).
    fn auth_data(&mut self, list: bool) -> Result<AuthData<'a>, HeaderError> {
        let before_space = self.pos;
        self.skip_ows();
        match self.peek() {
            None => return Ok(AuthData::None),
            Some(b',') if list => return Ok(AuthData::None),
            _ if self.pos == before_space => {
                return Err(self.error("a space after the scheme"));
            }
            _ => {}
        }
        // token68, or the first auth-param's name: both start with token68/tchar bytes.
        let start = self.pos;
        let word = self.take_while(is_token68_char);
        while self.peek() == Some(b'=') {
            self.pos += 1;
        }
        let after_eq = self.pos;
        self.skip_ows();
        let at_end = self.peek().is_none() || (list && self.peek() == Some(b','));
        if !word.is_empty() && at_end {
            return Ok(AuthData::Token68(&self.s[start..after_eq]));
        }
        // Auth-params: rewind (each byte is re-read once).
        self.pos = start;
        let mut params = Vec::new();
        loop {
            let name = self.token("an auth-param name or a token68")?;
            self.skip_ows();
            if self.peek() != Some(b'=') {
                return Err(self.error(if params.is_empty() {
                    "a token68 (base64 characters) or auth-params (name=value)"
                } else {
                    "'=' after the auth-param name"
                }));
            }
            self.pos += 1;
            self.skip_ows();
            let value = match self.peek() {
                Some(b'"') => self.quoted()?,
                _ => Cow::Borrowed(self.token("an auth-param value")?),
            };
            params.push((name, value));
            self.end_of_element()?;
            // Another param of this challenge, or (in a list) the next challenge?
            let mark = self.pos;
            if self.skip_separators()? {
                break;
            }
            let look = self.pos;
            let next = self.take_while(is_tchar);
            self.skip_ows();
            let is_param = !next.is_empty() && self.peek() == Some(b'=');
            self.pos = look;
            if !is_param {
                if list {
                    self.pos = mark;
                    break;
                }
                return Err(self.error("an auth-param"));
            }
        }
        Ok(AuthData::Params(params))
    }
}

/// Parses one `WWW-Authenticate` / `Proxy-Authenticate` field value: a comma-separated list
/// of challenges.
pub fn parse_challenges(value: &str) -> Result<Vec<Challenge<'_>>, HeaderError> {
    let mut c = Cursor { s: value, pos: 0 };
    let mut out = Vec::new();
    loop {
        if c.skip_separators()? {
            break;
        }
        let scheme = c.token("an authentication scheme")?;
        let data = c.auth_data(true)?;
        c.end_of_element()?;
        out.push(Challenge { scheme, data });
    }
    if out.is_empty() {
        return Err(HeaderError::Empty);
    }
    Ok(out)
}

/// Parses one `Authorization` / `Proxy-Authorization` field value: one scheme and its data.
pub fn parse_credentials(value: &str) -> Result<Challenge<'_>, HeaderError> {
    let mut c = Cursor { s: value, pos: 0 };
    c.skip_ows();
    if c.peek().is_none() {
        return Err(HeaderError::Empty);
    }
    let scheme = c.token("an authentication scheme")?;
    let data = c.auth_data(false)?;
    c.skip_ows();
    if c.peek().is_some() {
        return Err(c.error("the end of the credentials"));
    }
    Ok(Challenge { scheme, data })
}

/// Decodes a `Negotiate` token68: strict base64 (standard alphabet, padding, no stray bits).
pub fn decode_token(token68: &str) -> Result<Vec<u8>, HeaderError> {
    STANDARD
        .decode(token68)
        .map_err(|e| HeaderError::Base64(e.to_string()))
}

/// `Negotiate <base64 of token>`, as a string.
pub fn negotiate_value(token: &[u8]) -> String {
    let mut s = String::with_capacity(NEGOTIATE.len() + 1 + token.len().div_ceil(3) * 4);
    s.push_str(NEGOTIATE);
    s.push(' ');
    STANDARD.encode_string(token, &mut s);
    s
}

/// `Negotiate <base64 of token>`, as a header value (for `Authorization` or
/// `WWW-Authenticate`).
pub fn negotiate_header(token: &[u8]) -> HeaderValue {
    HeaderValue::try_from(negotiate_value(token)).expect("base64 is a valid header value")
}

/// The bare challenge `Negotiate`.
pub fn negotiate_bare() -> HeaderValue {
    HeaderValue::from_static(NEGOTIATE)
}

fn field_str(value: &HeaderValue) -> Result<&str, HeaderError> {
    value.to_str().map_err(|_| {
        let bytes = value.as_bytes();
        let offset = bytes
            .iter()
            .position(|b| !(b.is_ascii() && (*b >= 0x20 || *b == b'\t')) || *b == 0x7f)
            .unwrap_or(0);
        HeaderError::Syntax {
            offset,
            byte: bytes.get(offset).copied().unwrap_or(0),
            expected: "visible ASCII",
        }
    })
}

fn check_size(headers: &HeaderMap, name: &HeaderName, limits: &Limits) -> Result<(), HeaderError> {
    let len: usize = headers.get_all(name).iter().map(|v| v.len()).sum();
    if len > limits.max_header_bytes {
        return Err(HeaderError::TooLarge {
            header: name.as_str().to_owned(),
            len,
            max: limits.max_header_bytes,
        });
    }
    Ok(())
}

/// What the server offered for Negotiate in its challenges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NegotiateChallenge {
    /// No `Negotiate` challenge (none at all, or only other schemes).
    Absent,
    /// A `Negotiate` challenge, bare (`None`: start a context) or with the server's token.
    Offered(Option<Vec<u8>>),
}

/// Finds the `Negotiate` challenge in every `header` field (`WWW-Authenticate` or
/// `Proxy-Authenticate`) of a response. A field that does not parse is an error only when it
/// could have held the Negotiate challenge: a malformed challenge of another scheme after a
/// good `Negotiate` one does not stop authentication.
pub fn negotiate_challenge(
    headers: &HeaderMap,
    header: &HeaderName,
    limits: &Limits,
) -> Result<NegotiateChallenge, HeaderError> {
    check_size(headers, header, limits)?;
    let mut first_error = None;
    for value in headers.get_all(header) {
        let parsed = field_str(value).and_then(parse_challenges);
        match parsed {
            Ok(challenges) => {
                if let Some(ch) = challenges.iter().find(|c| c.is(NEGOTIATE)) {
                    return match &ch.data {
                        AuthData::None => Ok(NegotiateChallenge::Offered(None)),
                        AuthData::Token68(t) => {
                            decode_token(t).map(|t| NegotiateChallenge::Offered(Some(t)))
                        }
                        AuthData::Params(_) => Err(HeaderError::NotToken68),
                    };
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(NegotiateChallenge::Absent),
    }
}

/// What a request's `Authorization` (or `Proxy-Authorization`) header holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NegotiateCredentials {
    /// No such header.
    Absent,
    /// Credentials of another scheme (its name).
    OtherScheme(String),
    /// A `Negotiate` token, decoded.
    Token(Vec<u8>),
}

/// Reads the one `header` field (`Authorization` or `Proxy-Authorization`) of a request: two
/// fields are an error, and so is `Negotiate` without a token or with a bad one.
pub fn negotiate_credentials(
    headers: &HeaderMap,
    header: &HeaderName,
    limits: &Limits,
) -> Result<NegotiateCredentials, HeaderError> {
    let mut all = headers.get_all(header).iter();
    let Some(value) = all.next() else {
        return Ok(NegotiateCredentials::Absent);
    };
    let extra = all.count();
    if extra > 0 {
        return Err(HeaderError::Duplicate {
            header: header.as_str().to_owned(),
            count: extra + 1,
        });
    }
    if value.len() > limits.max_header_bytes {
        return Err(HeaderError::TooLarge {
            header: header.as_str().to_owned(),
            len: value.len(),
            max: limits.max_header_bytes,
        });
    }
    let text = field_str(value)?;
    let creds = parse_credentials(text)?;
    if !creds.is(NEGOTIATE) {
        return Ok(NegotiateCredentials::OtherScheme(creds.scheme.to_owned()));
    }
    match creds.data {
        AuthData::None => Err(HeaderError::MissingToken),
        AuthData::Params(_) => Err(HeaderError::NotToken68),
        AuthData::Token68(t) => decode_token(t).map(NegotiateCredentials::Token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_params_and_tokens() {
        let v = parse_challenges(
            r#"Basic realm="a \"b\", c", Negotiate, Bearer error=x,scope="y" , Negotiate YWJj=="#,
        )
        .unwrap();
        assert_eq!(v.len(), 4);
        assert!(v[0].is("basic"));
        assert_eq!(v[0].param("REALM"), Some(r#"a "b", c"#));
        assert_eq!(v[1].data, AuthData::None);
        assert_eq!(v[2].param("scope"), Some("y"));
        assert_eq!(v[2].param("error"), Some("x"));
        assert_eq!(v[3].data, AuthData::Token68("YWJj=="));
    }

    #[test]
    fn credentials() {
        assert_eq!(
            parse_credentials("Negotiate YWJj").unwrap().data,
            AuthData::Token68("YWJj")
        );
        assert!(
            parse_credentials("NegotiateX abc")
                .unwrap()
                .is("NegotiateX")
        );
        assert!(parse_credentials("Negotiate a b").is_err());
        assert!(parse_credentials("Negotiate a, b").is_err());
        assert_eq!(parse_credentials(""), Err(HeaderError::Empty));
    }

    #[test]
    fn strict_base64() {
        assert!(decode_token("YWJj").is_ok());
        assert!(decode_token("YWJ").is_err());
        assert!(decode_token("YWI=").is_ok());
        assert!(decode_token("YWJ=").is_err(), "non-canonical trailing bits");
        assert!(decode_token("YW-j").is_err());
    }
}
