//! SASL over GSSAPI (RFC 4752 `GSSAPI`, and `GSS-SPNEGO`), sans-IO, in the mechanism model of Python's pysasl:
//! the server calls [`ServerMechanism::server_attempt`] with the exchange so far and gets a
//! challenge to send or the client's credentials; the client calls
//! [`ClientMechanism::client_attempt`] with the server's challenges and gets its response. The
//! bytes travel over the application's protocol (LDAP bind, IMAP `AUTHENTICATE`, Kafka, ...);
//! this module does no I/O.
//!
//! ```no_run
//! use gssapi::Name;
//! use gssapi::sasl::{
//!     ChallengeResponse, ClientCredentials, ClientMechanism, GssapiClient, GssapiServer, Layer,
//!     ServerChallenge, ServerCredentials, ServerMechanism, ServerOutcome,
//! };
//!
//! fn main() -> Result<(), gssapi::sasl::SaslError> {
//!     let target = Name::hostbased_service("ldap@server.example.com")?;
//!     let mut client = GssapiClient::new(&target).layers(Layer::Integrity, Layer::Confidentiality);
//!     let creds = ClientCredentials::new().authzid("admin")?; // default ticket cache
//!     let mut server = GssapiServer::new(None); // default keytab
//!
//!     // The exchange, as a protocol carries it: each challenge gets a response.
//!     let mut responses: Vec<ChallengeResponse> = Vec::new();
//!     let mut challenges: Vec<ServerChallenge> = Vec::new();
//!     let credentials = loop {
//!         match server.server_attempt(&responses)? {
//!             ServerOutcome::Challenge(challenge) => {
//!                 challenges.push(challenge);
//!                 responses.push(client.client_attempt(&creds, &challenges)?);
//!             }
//!             ServerOutcome::Success { credentials, .. } => break credentials,
//!         }
//!     };
//!     println!("{} asks to act as {}", credentials.authcid(), credentials.identity());
//!
//!     // The application decides who may act as whom.
//!     let mut server_session =
//!         credentials.authorize(|c| c.authcid() == "alice@EXAMPLE.COM" && c.authzid() == Some("admin"))?;
//!     let mut client_session = client.into_session()?;
//!     assert_eq!(client_session.layer(), Layer::Confidentiality);
//!
//!     // Protected data after authentication: frames on the wire, decoded from partial reads.
//!     let wire = client_session.encode(b"hello")?;
//!     assert_eq!(server_session.decode(&wire)?, b"hello");
//!     Ok(())
//! }
//! ```
//!
//! - The model: [`ServerMechanism`], [`ClientMechanism`], [`ChallengeResponse`],
//!   [`ServerChallenge`], [`ServerOutcome`], [`ServerCredentials`] (`authcid`/`authzid`, and an
//!   authorize step the application decides).
//! - The `GSSAPI` mechanism: [`GssapiClient`] and [`GssapiServer`]; mutual authentication,
//!   delegation only when asked for, the layer negotiation of RFC 4752 §3.3 between the
//!   application's minimum and maximum [`Layer`], the maximum buffer from `wrap_size_limit`.
//!   The same types speak `GSS-SPNEGO` as Cyrus SASL does ([`GssapiClient::gss_spnego`],
//!   [`GssapiServer::gss_spnego`]).
//! - After authentication: [`Session`] (the chosen layer, the peer's principal, encode and
//!   decode of protected data); the codecs underneath: [`LayerOffer`], [`LayerChoice`],
//!   [`encode_frame`], [`FrameDecoder`].
//! - Every bad input is a [`SaslError`] variant; nothing here panics on what a peer sends.
//!
//! `docs/sasl.md` has a complete walk-through and a table from pysasl's names to these.

mod gssapi;
mod layer;

pub use self::gssapi::{ClientCredentials, GssapiClient, GssapiCredentials, GssapiServer};
pub use layer::{
    FrameDecoder, Layer, LayerChoice, LayerOffer, Layers, MAX_BUFFER_LIMIT, encode_frame,
};

use crate::context::{Protection, SecurityContext};

/// One round of an exchange: the server's challenge and the client's response to it
/// (pysasl: `ChallengeResponse(challenge, response)`). An initial response, sent with the
/// mechanism name, is a response to an empty challenge.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChallengeResponse {
    /// The server's challenge (empty for the initial response).
    pub challenge: Vec<u8>,
    /// The client's response.
    pub response: Vec<u8>,
}

/// A challenge from the server (pysasl: the `ServerChallenge` exception; here a value).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerChallenge(pub Vec<u8>);

impl ServerChallenge {
    /// The challenge bytes.
    pub fn data(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for ServerChallenge {
    fn from(data: Vec<u8>) -> ServerChallenge {
        ServerChallenge(data)
    }
}

/// What one [`ServerMechanism::server_attempt`] decided (pysasl: raise `ServerChallenge`, or
/// return `(credentials, final)`).
#[derive(Debug)]
#[must_use = "send the challenge, or act on the credentials"]
pub enum ServerOutcome<C> {
    /// Send this challenge; add the client's response to `responses` and call again.
    Challenge(ServerChallenge),
    /// The exchange is over: the client's credentials, and data to send with the success
    /// message when the mechanism has some (`GSSAPI` has none).
    Success {
        /// Who the client is and whom it asks to act as.
        credentials: C,
        /// Additional data with the success message.
        final_response: Option<Vec<u8>>,
    },
}

/// What a server learns from a finished exchange (pysasl: `ServerCredentials`).
pub trait ServerCredentials {
    /// The authentication identity: who proved who they are.
    fn authcid(&self) -> &str;
    /// The authorization identity the client asked to act as, if any.
    fn authzid(&self) -> Option<&str>;
    /// The identity to act as: the authzid, or the authcid when there is none.
    fn identity(&self) -> &str {
        self.authzid().unwrap_or_else(|| self.authcid())
    }
}

/// The server side of a mechanism (pysasl: `ServerMechanism`).
pub trait ServerMechanism {
    /// What a finished exchange yields.
    type Credentials: ServerCredentials;

    /// The SASL mechanism name, e.g. `"GSSAPI"`.
    fn name(&self) -> &'static str;

    /// Takes the exchange so far (every challenge this mechanism issued, each with the
    /// client's response; an initial response is a response to an empty challenge) and
    /// returns the next challenge or the client's credentials (pysasl: `server_attempt`).
    fn server_attempt(
        &mut self,
        responses: &[ChallengeResponse],
    ) -> Result<ServerOutcome<Self::Credentials>, SaslError>;
}

/// The client side of a mechanism (pysasl: `ClientMechanism`).
pub trait ClientMechanism {
    /// What the client authenticates with.
    type Credentials;

    /// The SASL mechanism name, e.g. `"GSSAPI"`.
    fn name(&self) -> &'static str;

    /// Takes the server's challenges so far (none yet: produce the initial response) and
    /// returns the response to the latest one (pysasl: `client_attempt`). A challenge the
    /// mechanism does not expect (one after it finished) is [`SaslError::UnexpectedChallenge`].
    fn client_attempt(
        &mut self,
        creds: &Self::Credentials,
        challenges: &[ServerChallenge],
    ) -> Result<ChallengeResponse, SaslError>;
}

/// Everything that can go wrong in a SASL exchange or the security layer after it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum SaslError {
    /// The GSSAPI library failed (a bad token, a tampered or replayed frame: `BadMic`, ...).
    #[error(transparent)]
    Gss(#[from] crate::Error),

    /// The server sent a challenge the client does not expect (pysasl: `UnexpectedChallenge`),
    /// e.g. one after the client sent its final message.
    #[error("unexpected challenge: {reason}")]
    UnexpectedChallenge {
        /// Why the challenge is unexpected.
        reason: &'static str,
    },

    /// The client's response makes no sense at this point (pysasl: `InvalidResponse`).
    #[error("invalid response: {reason}")]
    InvalidResponse {
        /// Why.
        reason: &'static str,
    },

    /// The call does not fit the exchange: history not matching what the mechanism has seen,
    /// a call after the end, a session asked for before it exists.
    #[error("{operation}: {reason}")]
    State {
        /// The refused operation.
        operation: &'static str,
        /// Why.
        reason: &'static str,
    },

    /// The server's layer offer, once unwrapped, was not exactly 4 bytes (RFC 4752 §3.3).
    #[error("the server's security-layer message is {len} bytes after unwrap (must be 4)")]
    BadOfferLength {
        /// Its length.
        len: usize,
    },

    /// The client's layer choice, once unwrapped, was shorter than 4 bytes.
    #[error("the client's security-layer message is {len} bytes after unwrap (at least 4)")]
    BadChoiceLength {
        /// Its length.
        len: usize,
    },

    /// The client's choice did not name exactly one known layer.
    #[error("the client chose no single known security layer (bits 0x{bits:02x})")]
    BadLayerBits {
        /// The bits it sent.
        bits: u8,
    },

    /// The client chose a layer the server did not offer.
    #[error("the client chose the {chosen} layer, which the server did not offer ({offered})")]
    LayerNotOffered {
        /// The chosen layer.
        chosen: Layer,
        /// What was offered.
        offered: Layers,
    },

    /// No layer between this side's minimum and maximum is on offer (or the context cannot
    /// provide it).
    #[error("no acceptable security layer: offered {offered}, acceptable {min} to {max}")]
    NoAcceptableLayer {
        /// What the peer (or the context) offers.
        offered: Layers,
        /// This side's minimum.
        min: Layer,
        /// This side's maximum.
        max: Layer,
    },

    /// A protecting layer with a maximum buffer of 0: no frame could ever be sent.
    #[error("a maximum buffer of 0 with the {layer} layer")]
    ZeroMaxBuffer {
        /// The layer.
        layer: Layer,
    },

    /// An authorization identity that is not UTF-8 or holds a NUL byte.
    #[error("invalid authzid: {reason}")]
    BadAuthzid {
        /// Why.
        reason: &'static str,
    },

    /// The GSSAPI context lacks something SASL needs (mutual authentication, integrity).
    #[error("the security context lacks {missing}")]
    MissingFlag {
        /// What is missing.
        missing: &'static str,
    },

    /// A frame longer than the negotiated maximum buffer (refused before allocating it).
    #[error("a frame of {len} bytes exceeds the maximum buffer of {max}")]
    FrameTooLarge {
        /// The announced length.
        len: u64,
        /// The maximum.
        max: u32,
    },

    /// A frame of length 0 (a wrap token is never empty).
    #[error("an empty frame")]
    EmptyFrame,

    /// The decoder failed before: the stream is out of step and cannot be read further.
    #[error("the frame stream failed earlier and cannot be decoded further")]
    DecoderFailed,

    /// A frame arrived without the protection the layer requires (e.g. only signed under the
    /// confidentiality layer).
    #[error("a frame without the protection of the {layer} layer")]
    ProtectionMismatch {
        /// The negotiated layer.
        layer: Layer,
    },

    /// The application refused the client's authorization request.
    #[error("{authcid} may not act as {identity}")]
    Unauthorized {
        /// The authenticated identity.
        authcid: String,
        /// The identity it asked for.
        identity: String,
    },
}

/// An established SASL session: the negotiated layer, who the peer is, and the security layer's
/// encode/decode for the data that follows the exchange.
///
/// With [`Layer::None`] encode and decode pass data through. Otherwise every message is split
/// into chunks whose wrap tokens fit the peer's maximum buffer (from `wrap_size_limit`), each
/// sent as a 4-byte big-endian length and the token; [`decode`](Session::decode) takes bytes
/// as they arrive and returns the plaintext of the frames they complete.
#[derive(Debug)]
pub struct Session {
    context: SecurityContext,
    layer: Layer,
    peer: String,
    authzid: Option<String>,
    max_buffer: u32,
    peer_max_buffer: u32,
    max_send: u32,
    decoder: FrameDecoder,
    /// Set when a frame failed: the stream is out of step (or under attack) from then on.
    failed: bool,
}

impl Session {
    fn new(
        context: SecurityContext,
        layer: Layer,
        peer: String,
        authzid: Option<String>,
        max_buffer: u32,
        peer_max_buffer: u32,
    ) -> Result<Session, SaslError> {
        let max_send = if layer.is_protected() {
            if peer_max_buffer == 0 {
                return Err(SaslError::ZeroMaxBuffer { layer });
            }
            let limit = context.wrap_size_limit(peer_max_buffer, protection(layer))?;
            if limit == 0 {
                return Err(SaslError::ZeroMaxBuffer { layer });
            }
            limit
        } else {
            0
        };
        Ok(Session {
            context,
            layer,
            peer,
            authzid,
            max_buffer,
            peer_max_buffer,
            max_send,
            decoder: FrameDecoder::new(max_buffer),
            failed: false,
        })
    }

    /// The negotiated security layer.
    pub fn layer(&self) -> Layer {
        self.layer
    }

    /// The peer's principal: the authenticated client (authcid) on the server, the service
    /// on the client.
    pub fn peer(&self) -> &str {
        &self.peer
    }

    /// The authorization identity the client asked for (and the server authorized), if any.
    pub fn authzid(&self) -> Option<&str> {
        self.authzid.as_deref()
    }

    /// The largest frame payload this side accepts (what it announced).
    pub fn max_buffer(&self) -> u32 {
        self.max_buffer
    }

    /// The largest frame payload the peer accepts (what it announced).
    pub fn peer_max_buffer(&self) -> u32 {
        self.peer_max_buffer
    }

    /// The largest plaintext one frame carries (`wrap_size_limit` of the peer's maximum
    /// buffer); 0 with [`Layer::None`].
    pub fn max_send_size(&self) -> u32 {
        self.max_send
    }

    /// The GSSAPI context, for anything else (names, flags, lifetime).
    pub fn context(&self) -> &SecurityContext {
        &self.context
    }

    /// The GSSAPI context, mutably (e.g. for `get_mic`). Wrapping messages outside
    /// encode/decode advances the sequence numbers the peer expects.
    pub fn context_mut(&mut self) -> &mut SecurityContext {
        &mut self.context
    }

    /// The bytes to send for `data`: one frame per chunk of at most
    /// [`max_send_size`](Session::max_send_size) bytes, or `data` itself with no layer.
    pub fn encode(&mut self, data: &[u8]) -> Result<Vec<u8>, SaslError> {
        if !self.layer.is_protected() {
            return Ok(data.to_vec());
        }
        let chunk = usize::try_from(self.max_send).unwrap_or(usize::MAX).max(1);
        let mut out = Vec::new();
        for piece in data.chunks(chunk) {
            let wrapped = self.context.wrap(piece, protection(self.layer))?;
            if self.layer == Layer::Confidentiality && !wrapped.encrypted {
                return Err(crate::Error::NotEncrypted {
                    operation: "encode",
                }
                .into());
            }
            encode_frame(&wrapped.message, &mut out)?;
        }
        Ok(out)
    }

    /// Takes bytes as they arrive and returns the plaintext of the frames they complete
    /// (empty while a frame is still partial), or `input` itself with no layer. A frame over
    /// [`max_buffer`](Session::max_buffer), a tampered or replayed frame, or one without the
    /// layer's protection is an error; the stream is unusable afterwards.
    pub fn decode(&mut self, input: &[u8]) -> Result<Vec<u8>, SaslError> {
        if !self.layer.is_protected() {
            return Ok(input.to_vec());
        }
        if self.failed {
            return Err(SaslError::DecoderFailed);
        }
        let result = self.decode_frames(input);
        self.failed = result.is_err();
        result
    }

    fn decode_frames(&mut self, input: &[u8]) -> Result<Vec<u8>, SaslError> {
        let mut out = Vec::new();
        for frame in self.decoder.push(input)? {
            let unwrapped = self.context.unwrap(&frame)?;
            if self.layer == Layer::Confidentiality && !unwrapped.encrypted {
                return Err(SaslError::ProtectionMismatch { layer: self.layer });
            }
            out.extend_from_slice(&unwrapped.message);
        }
        Ok(out)
    }

    /// Whether no frame is partly received.
    pub fn is_idle(&self) -> bool {
        self.decoder.is_idle()
    }
}

fn protection(layer: Layer) -> Protection {
    if layer == Layer::Confidentiality {
        Protection::Encrypt
    } else {
        Protection::Sign
    }
}
