//! Codecs for the RFC 4462 messages: `gssapi-with-mic` user authentication (§3) and GSSAPI key
//! exchange (§2). Each message is the SSH packet payload, starting with its message number.

use super::wire::{Reader, encode_mech, encode_mech_list, put_string, put_u32};
use super::{Limits, SshError};
use crate::Mechanism;

/// `SSH_MSG_USERAUTH_REQUEST`.
pub const SSH_MSG_USERAUTH_REQUEST: u8 = 50;
/// `SSH_MSG_USERAUTH_GSSAPI_RESPONSE`: the server's choice of mechanism.
pub const SSH_MSG_USERAUTH_GSSAPI_RESPONSE: u8 = 60;
/// `SSH_MSG_USERAUTH_GSSAPI_TOKEN`: a context-establishment token, either way.
pub const SSH_MSG_USERAUTH_GSSAPI_TOKEN: u8 = 61;
/// `SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE`: the client's end without a MIC.
pub const SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE: u8 = 63;
/// `SSH_MSG_USERAUTH_GSSAPI_ERROR`: major, minor and message of a GSSAPI failure.
pub const SSH_MSG_USERAUTH_GSSAPI_ERROR: u8 = 64;
/// `SSH_MSG_USERAUTH_GSSAPI_ERRTOK`: the token a failing GSSAPI call produced.
pub const SSH_MSG_USERAUTH_GSSAPI_ERRTOK: u8 = 65;
/// `SSH_MSG_USERAUTH_GSSAPI_MIC`: the client's MIC over the session data.
pub const SSH_MSG_USERAUTH_GSSAPI_MIC: u8 = 66;

/// `SSH_MSG_KEXGSS_INIT`.
pub const SSH_MSG_KEXGSS_INIT: u8 = 30;
/// `SSH_MSG_KEXGSS_CONTINUE`.
pub const SSH_MSG_KEXGSS_CONTINUE: u8 = 31;
/// `SSH_MSG_KEXGSS_COMPLETE`.
pub const SSH_MSG_KEXGSS_COMPLETE: u8 = 32;
/// `SSH_MSG_KEXGSS_HOSTKEY`.
pub const SSH_MSG_KEXGSS_HOSTKEY: u8 = 33;
/// `SSH_MSG_KEXGSS_ERROR`.
pub const SSH_MSG_KEXGSS_ERROR: u8 = 34;
/// `SSH_MSG_KEXGSS_GROUPREQ`.
pub const SSH_MSG_KEXGSS_GROUPREQ: u8 = 40;
/// `SSH_MSG_KEXGSS_GROUP`.
pub const SSH_MSG_KEXGSS_GROUP: u8 = 41;

/// The method name of RFC 4462 §3.
pub const GSSAPI_WITH_MIC: &str = "gssapi-with-mic";
/// The service users authenticate for (RFC 4252 §5); other values are allowed.
pub const SSH_CONNECTION: &str = "ssh-connection";

/// A GSSAPI status as `SSH_MSG_USERAUTH_GSSAPI_ERROR` and `SSH_MSG_KEXGSS_ERROR` carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GssStatus {
    /// The GSSAPI major status.
    pub major: u32,
    /// The mechanism's minor status.
    pub minor: u32,
    /// A message for people (UTF-8).
    pub message: String,
    /// Its language tag (RFC 3066), often empty.
    pub language: String,
}

impl GssStatus {
    /// The status of a library error, with its display text. An error with no library status
    /// (input refused before the call) is sent as `GSS_S_FAILURE`: 0 would read as success.
    pub fn from_error(e: &crate::Error) -> GssStatus {
        GssStatus {
            major: match e.major() {
                0 => gssapi_raw::sys::GSS_S_FAILURE,
                major => major,
            },
            minor: e.minor(),
            message: e.to_string(),
            language: String::new(),
        }
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_u32(out, self.major);
        put_u32(out, self.minor);
        put_string(out, self.message.as_bytes());
        put_string(out, self.language.as_bytes());
    }

    fn read(r: &mut Reader<'_>) -> Result<GssStatus, SshError> {
        Ok(GssStatus {
            major: r.u32("major status")?,
            minor: r.u32("minor status")?,
            message: r.utf8("error message")?,
            language: r.utf8("language tag")?,
        })
    }
}

/// `SSH_MSG_USERAUTH_REQUEST` with method "gssapi-with-mic" (RFC 4462 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserauthRequest {
    /// The user name (UTF-8, RFC 4252 §5).
    pub user: String,
    /// The service, usually [`SSH_CONNECTION`].
    pub service: String,
    /// The mechanisms the client offers, preferred first.
    pub mechs: Vec<Mechanism>,
}

impl UserauthRequest {
    /// The message bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, SshError> {
        let mut out = vec![SSH_MSG_USERAUTH_REQUEST];
        put_string(&mut out, self.user.as_bytes());
        put_string(&mut out, self.service.as_bytes());
        put_string(&mut out, GSSAPI_WITH_MIC.as_bytes());
        out.extend_from_slice(&encode_mech_list(&self.mechs)?);
        Ok(out)
    }

    /// Parses the message; any other method is [`SshError::WrongMethod`].
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<UserauthRequest, SshError> {
        let mut r = Reader::new(bytes, limits);
        let code = r.byte("message number")?;
        if code != SSH_MSG_USERAUTH_REQUEST {
            return Err(SshError::UnexpectedMessage {
                code,
                expected: "SSH_MSG_USERAUTH_REQUEST",
            });
        }
        let user = r.utf8("user name")?;
        let service = r.utf8("service name")?;
        let method = r.string("method name")?;
        if method != GSSAPI_WITH_MIC.as_bytes() {
            return Err(SshError::WrongMethod {
                method: String::from_utf8_lossy(method).into_owned(),
            });
        }
        let mechs = r.mech_list()?;
        r.finish("SSH_MSG_USERAUTH_REQUEST")?;
        Ok(UserauthRequest {
            user,
            service,
            mechs,
        })
    }
}

/// The messages of a `gssapi-with-mic` exchange after the request (RFC 4462 §3.3-3.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserauthGssapi {
    /// `SSH_MSG_USERAUTH_GSSAPI_RESPONSE`: the mechanism the server chose.
    Response(Mechanism),
    /// `SSH_MSG_USERAUTH_GSSAPI_TOKEN`.
    Token(Vec<u8>),
    /// `SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE`.
    ExchangeComplete,
    /// `SSH_MSG_USERAUTH_GSSAPI_ERROR`.
    Error(GssStatus),
    /// `SSH_MSG_USERAUTH_GSSAPI_ERRTOK`.
    ErrorToken(Vec<u8>),
    /// `SSH_MSG_USERAUTH_GSSAPI_MIC`.
    Mic(Vec<u8>),
}

impl UserauthGssapi {
    /// The message number.
    pub fn code(&self) -> u8 {
        match self {
            UserauthGssapi::Response(_) => SSH_MSG_USERAUTH_GSSAPI_RESPONSE,
            UserauthGssapi::Token(_) => SSH_MSG_USERAUTH_GSSAPI_TOKEN,
            UserauthGssapi::ExchangeComplete => SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE,
            UserauthGssapi::Error(_) => SSH_MSG_USERAUTH_GSSAPI_ERROR,
            UserauthGssapi::ErrorToken(_) => SSH_MSG_USERAUTH_GSSAPI_ERRTOK,
            UserauthGssapi::Mic(_) => SSH_MSG_USERAUTH_GSSAPI_MIC,
        }
    }

    /// The message bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, SshError> {
        let mut out = vec![self.code()];
        match self {
            UserauthGssapi::Response(mech) => put_string(&mut out, &encode_mech(mech)?),
            UserauthGssapi::Token(t) | UserauthGssapi::ErrorToken(t) | UserauthGssapi::Mic(t) => {
                put_string(&mut out, t)
            }
            UserauthGssapi::ExchangeComplete => {}
            UserauthGssapi::Error(status) => status.put(&mut out),
        }
        Ok(out)
    }

    /// Parses one message; numbers outside 60-66 (and 62, which RFC 4462 does not use) are
    /// [`SshError::UnexpectedMessage`].
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<UserauthGssapi, SshError> {
        let mut r = Reader::new(bytes, limits);
        let code = r.byte("message number")?;
        let msg = match code {
            SSH_MSG_USERAUTH_GSSAPI_RESPONSE => UserauthGssapi::Response(r.mech()?),
            SSH_MSG_USERAUTH_GSSAPI_TOKEN => {
                UserauthGssapi::Token(r.string("SSH_MSG_USERAUTH_GSSAPI_TOKEN")?.to_vec())
            }
            SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE => UserauthGssapi::ExchangeComplete,
            SSH_MSG_USERAUTH_GSSAPI_ERROR => UserauthGssapi::Error(GssStatus::read(&mut r)?),
            SSH_MSG_USERAUTH_GSSAPI_ERRTOK => {
                UserauthGssapi::ErrorToken(r.string("SSH_MSG_USERAUTH_GSSAPI_ERRTOK")?.to_vec())
            }
            SSH_MSG_USERAUTH_GSSAPI_MIC => {
                UserauthGssapi::Mic(r.string("SSH_MSG_USERAUTH_GSSAPI_MIC")?.to_vec())
            }
            _ => {
                return Err(SshError::UnexpectedMessage {
                    code,
                    expected: "an SSH_MSG_USERAUTH_GSSAPI_* message",
                });
            }
        };
        r.finish("SSH_MSG_USERAUTH_GSSAPI message")?;
        Ok(msg)
    }
}

/// The data the client's MIC covers (RFC 4462 §3.5): string session identifier, byte
/// `SSH_MSG_USERAUTH_REQUEST`, string user name, string service, string "gssapi-with-mic".
pub fn mic_data(session_id: &[u8], user: &str, service: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(session_id.len() + user.len() + service.len() + 32);
    put_string(&mut out, session_id);
    out.push(SSH_MSG_USERAUTH_REQUEST);
    put_string(&mut out, user.as_bytes());
    put_string(&mut out, service.as_bytes());
    put_string(&mut out, GSSAPI_WITH_MIC.as_bytes());
    out
}

/// The messages of GSSAPI key exchange (RFC 4462 §2). Multiple-precision integers (`e`, `f`,
/// `p`, `g`) are kept in their `mpint` wire form (the bytes after the length): the key
/// exchange, not this codec, does the arithmetic. For the elliptic-curve methods of RFC 8732
/// the same fields hold the `string` public values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KexGss {
    /// `SSH_MSG_KEXGSS_INIT`: the client's first token and its public value `e`.
    Init {
        /// The GSSAPI token.
        token: Vec<u8>,
        /// The client's public value.
        e: Vec<u8>,
    },
    /// `SSH_MSG_KEXGSS_CONTINUE`: a further token, either way.
    Continue(Vec<u8>),
    /// `SSH_MSG_KEXGSS_COMPLETE`: the server's public value, its MIC over the exchange hash
    /// and, when it has one, its last token.
    Complete {
        /// The server's public value.
        f: Vec<u8>,
        /// The MIC over the exchange hash H.
        mic: Vec<u8>,
        /// The server's last token (`want_token` true).
        token: Option<Vec<u8>>,
    },
    /// `SSH_MSG_KEXGSS_HOSTKEY`: the server's host key blob.
    Hostkey(Vec<u8>),
    /// `SSH_MSG_KEXGSS_ERROR`.
    Error(GssStatus),
    /// `SSH_MSG_KEXGSS_GROUPREQ`: the group sizes the client accepts.
    GroupReq {
        /// Minimal size in bits.
        min: u32,
        /// Preferred size in bits.
        n: u32,
        /// Maximal size in bits.
        max: u32,
    },
    /// `SSH_MSG_KEXGSS_GROUP`: the server's group.
    Group {
        /// The safe prime.
        p: Vec<u8>,
        /// The generator.
        g: Vec<u8>,
    },
}

impl KexGss {
    /// The message number.
    pub fn code(&self) -> u8 {
        match self {
            KexGss::Init { .. } => SSH_MSG_KEXGSS_INIT,
            KexGss::Continue(_) => SSH_MSG_KEXGSS_CONTINUE,
            KexGss::Complete { .. } => SSH_MSG_KEXGSS_COMPLETE,
            KexGss::Hostkey(_) => SSH_MSG_KEXGSS_HOSTKEY,
            KexGss::Error(_) => SSH_MSG_KEXGSS_ERROR,
            KexGss::GroupReq { .. } => SSH_MSG_KEXGSS_GROUPREQ,
            KexGss::Group { .. } => SSH_MSG_KEXGSS_GROUP,
        }
    }

    /// The message bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.code()];
        match self {
            KexGss::Init { token, e } => {
                put_string(&mut out, token);
                put_string(&mut out, e);
            }
            KexGss::Continue(t) | KexGss::Hostkey(t) => put_string(&mut out, t),
            KexGss::Complete { f, mic, token } => {
                put_string(&mut out, f);
                put_string(&mut out, mic);
                out.push(u8::from(token.is_some()));
                if let Some(t) = token {
                    put_string(&mut out, t);
                }
            }
            KexGss::Error(status) => status.put(&mut out),
            KexGss::GroupReq { min, n, max } => {
                put_u32(&mut out, *min);
                put_u32(&mut out, *n);
                put_u32(&mut out, *max);
            }
            KexGss::Group { p, g } => {
                put_string(&mut out, p);
                put_string(&mut out, g);
            }
        }
        out
    }

    /// Parses one message; other numbers are [`SshError::UnexpectedMessage`].
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<KexGss, SshError> {
        let mut r = Reader::new(bytes, limits);
        let code = r.byte("message number")?;
        let msg = match code {
            SSH_MSG_KEXGSS_INIT => KexGss::Init {
                token: r.string("SSH_MSG_KEXGSS_INIT token")?.to_vec(),
                e: r.string("SSH_MSG_KEXGSS_INIT e")?.to_vec(),
            },
            SSH_MSG_KEXGSS_CONTINUE => {
                KexGss::Continue(r.string("SSH_MSG_KEXGSS_CONTINUE")?.to_vec())
            }
            SSH_MSG_KEXGSS_COMPLETE => {
                let f = r.string("SSH_MSG_KEXGSS_COMPLETE f")?.to_vec();
                let mic = r.string("SSH_MSG_KEXGSS_COMPLETE MIC")?.to_vec();
                let token = match r.byte("want_token")? {
                    0 => None,
                    1 => Some(r.string("SSH_MSG_KEXGSS_COMPLETE token")?.to_vec()),
                    value => return Err(SshError::BadBoolean { value }),
                };
                KexGss::Complete { f, mic, token }
            }
            SSH_MSG_KEXGSS_HOSTKEY => KexGss::Hostkey(r.string("SSH_MSG_KEXGSS_HOSTKEY")?.to_vec()),
            SSH_MSG_KEXGSS_ERROR => KexGss::Error(GssStatus::read(&mut r)?),
            SSH_MSG_KEXGSS_GROUPREQ => KexGss::GroupReq {
                min: r.u32("min")?,
                n: r.u32("n")?,
                max: r.u32("max")?,
            },
            SSH_MSG_KEXGSS_GROUP => KexGss::Group {
                p: r.string("SSH_MSG_KEXGSS_GROUP p")?.to_vec(),
                g: r.string("SSH_MSG_KEXGSS_GROUP g")?.to_vec(),
            },
            _ => {
                return Err(SshError::UnexpectedMessage {
                    code,
                    expected: "an SSH_MSG_KEXGSS_* message",
                });
            }
        };
        r.finish("SSH_MSG_KEXGSS message")?;
        Ok(msg)
    }
}
