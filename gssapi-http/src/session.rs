//! Sessions (mod_auth_gssapi's `GssapiUseSessions`): after one Negotiate exchange the server
//! sets an authenticated-encryption cookie, and the browser's next requests carry it instead
//! of a new Kerberos token.
//!
//! ```
//! use gssapi_http::session::{SameSite, SessionKey, Sessions};
//! use std::time::Duration;
//!
//! let sessions = Sessions::new(SessionKey::generate())
//!     .cookie_name("gssapi_session")
//!     .max_age(Duration::from_secs(3600))
//!     .same_site(SameSite::Strict);
//! // Give it to the acceptor: `Acceptor::builder().sessions(sessions)`.
//! # drop(sessions);
//! ```
//!
//! The cookie holds the principal, the mechanism, the granted flags and an expiry, sealed
//! with XChaCha20-Poly1305 under a key only the server has (a random 24-byte nonce per cookie,
//! the cookie's name as associated data): a client can neither read nor forge nor extend it.
//! It expires at the earlier of the context's lifetime and [`Sessions::max_age`], checked on
//! every request. It carries no delegated credentials: a handler that needs them must ask for
//! a fresh Negotiate exchange. Defaults: `Secure`, `HttpOnly`, `SameSite=Lax`, `Path=/`.
//! Several servers share sessions by sharing the key ([`SessionKey::from_bytes`]).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use gssapi::{Flags, Oid};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use zeroize::Zeroizing;

pub use cookie::SameSite;

/// A 256-bit session key, wiped on drop and never printed.
#[derive(Clone)]
pub struct SessionKey(Zeroizing<[u8; 32]>);

impl SessionKey {
    /// A new random key (sessions end when the server restarts unless it is stored).
    pub fn generate() -> SessionKey {
        let key = chacha20poly1305::Key::generate();
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&key);
        SessionKey(Zeroizing::new(bytes))
    }

    /// A key from 32 bytes you keep (mod_auth_gssapi's `GssapiSessionKey`).
    pub fn from_bytes(bytes: [u8; 32]) -> SessionKey {
        SessionKey(Zeroizing::new(bytes))
    }

    /// The bytes, to store the key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

/// Session settings.
#[derive(Debug, Clone)]
pub struct Sessions {
    key: SessionKey,
    name: String,
    max_age: Duration,
    secure: bool,
    http_only: bool,
    same_site: SameSite,
    path: String,
}

/// What a valid session cookie says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The authenticated principal.
    pub principal: String,
    /// The mechanism's OID.
    pub mech: Oid,
    /// The flags granted when the session began.
    pub flags: Flags,
    /// When it ends.
    pub expires: SystemTime,
}

/// Why a cookie was not a valid session (the request then needs Negotiate again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// Not base64url, or too short.
    #[error("the session cookie is malformed")]
    Malformed,
    /// It does not open under the key (forged, changed, or another server's).
    #[error("the session cookie does not open under this server's key")]
    Forged,
    /// It opened but has expired.
    #[error("the session has expired")]
    Expired,
}

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

impl Sessions {
    /// Sessions under `key`, with the defaults (cookie `gssapi_session`, at most one hour,
    /// `Secure`, `HttpOnly`, `SameSite=Lax`, `Path=/`).
    pub fn new(key: SessionKey) -> Sessions {
        Sessions {
            key,
            name: "gssapi_session".into(),
            max_age: Duration::from_secs(3600),
            secure: true,
            http_only: true,
            same_site: SameSite::Lax,
            path: "/".into(),
        }
    }

    /// The cookie's name.
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The longest a session lasts (it also ends with the Kerberos ticket). The expiry is kept
    /// in whole seconds, rounded down, so a session ends up to a second early, never late.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// The `Secure` attribute (default on: the cookie is an authenticator; send it over TLS
    /// only).
    pub fn secure(mut self, yes: bool) -> Self {
        self.secure = yes;
        self
    }

    /// The `HttpOnly` attribute (default on).
    pub fn http_only(mut self, yes: bool) -> Self {
        self.http_only = yes;
        self
    }

    /// The `SameSite` attribute (default `Lax`).
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// The `Path` attribute (default `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The name of the cookie.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new_from_slice(&self.key.0[..]).expect("the key is 32 bytes")
    }

    /// Seals a session for `principal`, valid for `lifetime` seconds (capped by the maximum
    /// age), and returns the `Set-Cookie` value.
    pub fn issue(
        &self,
        principal: &str,
        mech: &Oid,
        flags: Flags,
        lifetime: Option<u32>,
    ) -> String {
        let mut age = self.max_age;
        if let Some(l) = lifetime {
            age = age.min(Duration::from_secs(u64::from(l)));
        }
        let expires = SystemTime::now() + age;
        let secs = expires
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mech = mech.as_bytes();
        let mut plain = Zeroizing::new(Vec::with_capacity(16 + mech.len() + principal.len()));
        plain.push(VERSION);
        plain.extend_from_slice(&secs.to_be_bytes());
        plain.extend_from_slice(&flags.bits().to_be_bytes());
        plain.push(u8::try_from(mech.len()).unwrap_or(0));
        plain.extend_from_slice(&mech[..mech.len().min(255)]);
        plain.extend_from_slice(principal.as_bytes());
        let nonce = XNonce::generate();
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: &plain,
                    aad: self.name.as_bytes(),
                },
            )
            .expect("a session is far below the cipher's length limit");
        let mut raw = Vec::with_capacity(NONCE_LEN + sealed.len());
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&sealed);
        let value = URL_SAFE_NO_PAD.encode(raw);
        let max_age =
            cookie::time::Duration::seconds(i64::try_from(age.as_secs()).unwrap_or(i64::MAX));
        cookie::Cookie::build((self.name.clone(), value))
            .path(self.path.clone())
            .secure(self.secure)
            .http_only(self.http_only)
            .same_site(self.same_site)
            .max_age(max_age)
            .build()
            .to_string()
    }

    /// Opens a cookie's value.
    pub fn open(&self, value: &str) -> Result<Session, SessionError> {
        let raw = URL_SAFE_NO_PAD
            .decode(value)
            .map_err(|_| SessionError::Malformed)?;
        if raw.len() < NONCE_LEN + 16 {
            return Err(SessionError::Malformed);
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let nonce: &XNonce = nonce.try_into().map_err(|_| SessionError::Malformed)?;
        let plain = Zeroizing::new(
            self.cipher()
                .decrypt(
                    nonce,
                    Payload {
                        msg: sealed,
                        aad: self.name.as_bytes(),
                    },
                )
                .map_err(|_| SessionError::Forged)?,
        );
        // Our own format from here on (the AEAD vouches for it), still read defensively.
        let bad = SessionError::Malformed;
        if plain.len() < 14 || plain[0] != VERSION {
            return Err(bad);
        }
        let secs = u64::from_be_bytes(plain[1..9].try_into().map_err(|_| bad)?);
        let flags = Flags::from_bits_retain(u32::from_be_bytes(
            plain[9..13].try_into().map_err(|_| bad)?,
        ));
        let mech_len = usize::from(plain[13]);
        let mech = plain.get(14..14 + mech_len).ok_or(bad)?;
        let principal = std::str::from_utf8(&plain[14 + mech_len..]).map_err(|_| bad)?;
        let expires = UNIX_EPOCH + Duration::from_secs(secs);
        if SystemTime::now() >= expires {
            return Err(SessionError::Expired);
        }
        Ok(Session {
            principal: principal.to_owned(),
            mech: Oid::from_der(mech).map_err(|_| bad)?,
            flags,
            expires,
        })
    }

    /// The session cookie's value among a request's `Cookie` headers, if any.
    pub fn find_cookie(&self, headers: &http::HeaderMap) -> Option<String> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == self.name)
            .map(|c| c.value().to_owned())
    }
}
