//! The RFC 4752 security-layer message (offer and choice) and the framing of protected data
//! after the exchange: parsers that refuse what the RFC forbids, and an incremental decoder.

use super::SaslError;

/// The largest maximum buffer the 3-byte field of the layer message can carry (2^24 - 1).
pub const MAX_BUFFER_LIMIT: u32 = 0x00FF_FFFF;

/// A SASL security layer (RFC 4752 §3.3), ordered from weakest to strongest, so that
/// `min..=max` describes what an application accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// No security layer: after authentication the connection carries plain data (SSF 0).
    None,
    /// Integrity protection: each frame is signed (`gss_wrap` without confidentiality; SSF 1).
    Integrity,
    /// Confidentiality and integrity: each frame is encrypted (SSF 56 or more).
    Confidentiality,
}

impl Layer {
    /// Every layer, weakest first.
    pub const ALL: [Layer; 3] = [Layer::None, Layer::Integrity, Layer::Confidentiality];

    /// The layer's bit in the RFC 4752 bit mask (1, 2 or 4).
    pub const fn bit(self) -> u8 {
        match self {
            Layer::None => 1,
            Layer::Integrity => 2,
            Layer::Confidentiality => 4,
        }
    }

    /// The layer of a single RFC 4752 bit, `None` for anything else (0, several bits,
    /// reserved bits).
    pub const fn from_bit(bit: u8) -> Option<Layer> {
        match bit {
            1 => Some(Layer::None),
            2 => Some(Layer::Integrity),
            4 => Some(Layer::Confidentiality),
            _ => None,
        }
    }

    /// Whether data is protected (framed and wrapped) under this layer.
    pub const fn is_protected(self) -> bool {
        !matches!(self, Layer::None)
    }

    /// The security strength factor Cyrus SASL reports for this layer with Kerberos
    /// (0, 1, 56), for logs and for comparing with Cyrus peers.
    pub const fn cyrus_ssf(self) -> u32 {
        match self {
            Layer::None => 0,
            Layer::Integrity => 1,
            Layer::Confidentiality => 56,
        }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Layer::None => "none",
            Layer::Integrity => "integrity",
            Layer::Confidentiality => "confidentiality",
        })
    }
}

/// A set of layers as the RFC 4752 bit mask carries it (the server's offer). Reserved bits are
/// kept, so a parsed offer shows exactly what the peer sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Layers(pub u8);

impl Layers {
    /// The empty set.
    pub const EMPTY: Layers = Layers(0);

    /// Whether `layer` is in the set.
    pub const fn contains(self, layer: Layer) -> bool {
        self.0 & layer.bit() != 0
    }

    /// The set with `layer` added.
    #[must_use]
    pub const fn with(self, layer: Layer) -> Layers {
        Layers(self.0 | layer.bit())
    }

    /// The known layers in the set, weakest first.
    pub fn iter(self) -> impl Iterator<Item = Layer> {
        Layer::ALL.into_iter().filter(move |l| self.contains(*l))
    }

    /// Whether the set holds a layer that protects data.
    pub fn has_protection(self) -> bool {
        self.iter().any(Layer::is_protected)
    }
}

impl std::fmt::Display for Layers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.iter().map(|l| l.to_string()).collect();
        if names.is_empty() {
            write!(f, "{{}} (0x{:02x})", self.0)
        } else {
            write!(f, "{{{}}} (0x{:02x})", names.join(", "), self.0)
        }
    }
}

/// The server's offer (RFC 4752 §3.3): the layers it supports and the largest frame it
/// accepts. The unwrapped message is exactly 4 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayerOffer {
    /// The layers the server supports.
    pub layers: Layers,
    /// The largest wrapped token (frame payload) the server accepts; 0 when it offers no
    /// protection.
    pub max_buffer: u32,
}

impl LayerOffer {
    /// Parses the unwrapped offer: anything but 4 bytes is [`SaslError::BadOfferLength`].
    /// (A protecting layer offered with a maximum buffer of 0 fails when the client would
    /// choose it: [`SaslError::ZeroMaxBuffer`].)
    pub fn parse(message: &[u8]) -> Result<LayerOffer, SaslError> {
        let &[bits, a, b, c] = message else {
            return Err(SaslError::BadOfferLength { len: message.len() });
        };
        let offer = LayerOffer {
            layers: Layers(bits),
            max_buffer: u32::from_be_bytes([0, a, b, c]),
        };
        Ok(offer)
    }

    /// The 4-byte message, before wrapping. A `max_buffer` above [`MAX_BUFFER_LIMIT`] is sent
    /// as that limit.
    pub fn to_bytes(self) -> [u8; 4] {
        let [_, a, b, c] = self.max_buffer.min(MAX_BUFFER_LIMIT).to_be_bytes();
        [self.layers.0, a, b, c]
    }
}

/// The client's choice (RFC 4752 §3.3): one layer, the largest frame it accepts, and the
/// authorization identity it asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LayerChoice {
    /// The chosen layer.
    pub layer: Layer,
    /// The largest wrapped token (frame payload) the client accepts; 0 with [`Layer::None`].
    pub max_buffer: u32,
    /// The authorization identity (UTF-8, no NUL), `None` when the client sent none.
    pub authzid: Option<String>,
}

impl LayerChoice {
    /// Parses the unwrapped choice: fewer than 4 bytes is [`SaslError::BadChoiceLength`]; no
    /// single known layer bit is [`SaslError::BadLayerBits`]; a protecting layer with a maximum
    /// buffer of 0 is [`SaslError::ZeroMaxBuffer`]; an authzid that is not UTF-8 or holds a NUL
    /// is [`SaslError::BadAuthzid`]. Whether the layer was offered is the server's check.
    pub fn parse(message: &[u8]) -> Result<LayerChoice, SaslError> {
        let Some((&[bits, a, b, c], authzid)) = message.split_first_chunk::<4>() else {
            return Err(SaslError::BadChoiceLength { len: message.len() });
        };
        let layer = Layer::from_bit(bits).ok_or(SaslError::BadLayerBits { bits })?;
        let max_buffer = u32::from_be_bytes([0, a, b, c]);
        if max_buffer == 0 && layer.is_protected() {
            return Err(SaslError::ZeroMaxBuffer { layer });
        }
        let authzid = if authzid.is_empty() {
            None
        } else {
            let s = std::str::from_utf8(authzid).map_err(|_| SaslError::BadAuthzid {
                reason: "not UTF-8",
            })?;
            check_authzid(s)?;
            Some(s.to_owned())
        };
        Ok(LayerChoice {
            layer,
            max_buffer,
            authzid,
        })
    }

    /// The message, before wrapping; fails like [`parse`](LayerChoice::parse) would on it.
    pub fn to_bytes(&self) -> Result<Vec<u8>, SaslError> {
        if let Some(a) = &self.authzid {
            check_authzid(a)?;
        }
        if self.max_buffer == 0 && self.layer.is_protected() {
            return Err(SaslError::ZeroMaxBuffer { layer: self.layer });
        }
        let [_, a, b, c] = self.max_buffer.min(MAX_BUFFER_LIMIT).to_be_bytes();
        let authzid = self.authzid.as_deref().unwrap_or("").as_bytes();
        let mut out = Vec::with_capacity(4 + authzid.len());
        out.extend_from_slice(&[self.layer.bit(), a, b, c]);
        out.extend_from_slice(authzid);
        Ok(out)
    }
}

/// An authzid is UTF-8 without NUL (RFC 4422 §3.4.1): a NUL could truncate it in a C peer and
/// authorize someone else.
pub(crate) fn check_authzid(authzid: &str) -> Result<(), SaslError> {
    if authzid.contains('\0') {
        return Err(SaslError::BadAuthzid {
            reason: "contains a NUL byte",
        });
    }
    Ok(())
}

/// Appends one frame (4-byte big-endian length, then `token`) to `out`.
pub fn encode_frame(token: &[u8], out: &mut Vec<u8>) -> Result<(), SaslError> {
    let len = u32::try_from(token.len()).map_err(|_| SaslError::FrameTooLarge {
        len: u64::try_from(token.len()).unwrap_or(u64::MAX),
        max: u32::MAX,
    })?;
    out.reserve(4 + token.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(token);
    Ok(())
}

/// An incremental decoder of frames (4-byte big-endian length + payload) for partial reads:
/// feed it whatever the transport delivered, get back the frames that are complete.
///
/// A length over the maximum is refused as soon as its 4 bytes are in, before any buffer is
/// allocated for it; the payload buffer grows with the data that actually arrives. After an
/// error the stream is out of step and every later call fails
/// ([`SaslError::DecoderFailed`]).
///
/// ```
/// use gssapi::sasl::{FrameDecoder, encode_frame};
///
/// let mut wire = Vec::new();
/// encode_frame(b"token one", &mut wire)?;
/// encode_frame(b"two", &mut wire)?;
/// let mut decoder = FrameDecoder::new(1024);
/// let mut frames = Vec::new();
/// for byte in &wire {
///     frames.extend(decoder.push(std::slice::from_ref(byte))?); // one byte per read
/// }
/// assert_eq!(frames, [b"token one".to_vec(), b"two".to_vec()]);
/// assert!(decoder.is_idle());
/// # Ok::<(), gssapi::sasl::SaslError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame: u32,
    header: [u8; 4],
    header_len: usize,
    /// The payload of the current frame once its length is known and accepted.
    payload: Option<(usize, Vec<u8>)>,
    failed: bool,
}

impl FrameDecoder {
    /// A decoder that accepts frames of up to `max_frame` payload bytes (the maximum buffer
    /// this side announced).
    pub fn new(max_frame: u32) -> FrameDecoder {
        FrameDecoder {
            max_frame,
            header: [0; 4],
            header_len: 0,
            payload: None,
            failed: false,
        }
    }

    /// The largest payload accepted.
    pub fn max_frame(&self) -> u32 {
        self.max_frame
    }

    /// Whether no frame is partly received (a clean point to close the stream).
    pub fn is_idle(&self) -> bool {
        self.header_len == 0 && self.payload.is_none()
    }

    /// Consumes `input` and returns the payloads of the frames it completed, in order. On an
    /// error the frames completed earlier in the same `input` are dropped with it: the stream
    /// is broken at that point.
    pub fn push(&mut self, mut input: &[u8]) -> Result<Vec<Vec<u8>>, SaslError> {
        if self.failed {
            return Err(SaslError::DecoderFailed);
        }
        let mut frames = Vec::new();
        while !input.is_empty() {
            match &mut self.payload {
                None => {
                    let take = (4 - self.header_len).min(input.len());
                    self.header[self.header_len..self.header_len + take]
                        .copy_from_slice(&input[..take]);
                    self.header_len += take;
                    input = &input[take..];
                    if self.header_len == 4 {
                        let len = u32::from_be_bytes(self.header);
                        self.header_len = 0;
                        if len > self.max_frame {
                            self.failed = true;
                            return Err(SaslError::FrameTooLarge {
                                len: u64::from(len),
                                max: self.max_frame,
                            });
                        }
                        if len == 0 {
                            self.failed = true;
                            return Err(SaslError::EmptyFrame);
                        }
                        let len = usize::try_from(len).map_err(|_| SaslError::FrameTooLarge {
                            len: u64::from(len),
                            max: self.max_frame,
                        })?;
                        // Only what has arrived: a peer that announces a large frame and
                        // sends nothing more costs nothing.
                        self.payload = Some((len, Vec::with_capacity(len.min(input.len()))));
                    }
                }
                Some((len, buf)) => {
                    let take = (*len - buf.len()).min(input.len());
                    buf.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if buf.len() == *len
                        && let Some((_, frame)) = self.payload.take()
                    {
                        frames.push(frame);
                    }
                }
            }
        }
        Ok(frames)
    }
}
