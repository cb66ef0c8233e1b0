//! gssapi::sasl's parsers of peer input: the security-layer frame decoder, fed in arbitrary
//! pieces, and the RFC 4752 layer messages (offer and choice). Never a panic, never a frame
//! over the maximum; the decoder's answer does not depend on how the input was split; what
//! parses encodes back to the same bytes.
#![no_main]

use gssapi::sasl::{FrameDecoder, LayerChoice, LayerOffer, SaslError, encode_frame};
use libfuzzer_sys::fuzz_target;

/// Decodes `input` in pieces of the given sizes (cycled); the frames, or the error's variant.
fn decode(max: u32, input: &[u8], pieces: &[u8]) -> (Vec<Vec<u8>>, Option<String>) {
    let mut decoder = FrameDecoder::new(max);
    let mut frames = Vec::new();
    let mut rest = input;
    let mut sizes = pieces.iter().cycle();
    while !rest.is_empty() {
        let size = sizes
            .next()
            .map_or(rest.len(), |&s| usize::from(s).max(1))
            .min(rest.len());
        let (piece, after) = rest.split_at(size);
        match decoder.push(piece) {
            Ok(got) => frames.extend(got),
            Err(e) => {
                // Failed stays failed.
                assert!(matches!(decoder.push(b"x"), Err(SaslError::DecoderFailed)));
                return (frames, Some(format!("{:?}", std::mem::discriminant(&e))));
            }
        }
        rest = after;
    }
    (frames, None)
}

fuzz_target!(|data: &[u8]| {
    // Header: 2 bytes of maximum frame size, 1 byte of piece count, then the piece sizes.
    let [m0, m1, n, rest @ ..] = data else { return };
    let max = u32::from(u16::from_be_bytes([*m0, *m1]));
    let (pieces, input) = rest.split_at(usize::from(*n).min(rest.len()));

    let (frames, error) = decode(max, input, pieces);
    let (whole, whole_error) = decode(max, input, &[]);
    assert_eq!(error, whole_error, "the split changed the error");
    // A failing push drops the frames it completed before the bad one (the stream is broken),
    // so only a clean run has to give the same frames however it was split.
    if error.is_none() {
        assert_eq!(frames, whole, "the split changed the frames");
    }
    let mut encoded = Vec::new();
    for f in &frames {
        assert!(
            !f.is_empty() && f.len() <= max as usize,
            "frame of {} over {max}",
            f.len()
        );
        encode_frame(f, &mut encoded).expect("a frame within u32");
    }
    assert!(
        input.starts_with(&encoded),
        "frames do not re-encode to the input"
    );
    if error.is_none() && encoded.len() == input.len() {
        let mut d = FrameDecoder::new(max);
        d.push(input).expect("decoded once");
        assert!(d.is_idle());
    }

    // The same bytes as layer messages.
    if let Ok(offer) = LayerOffer::parse(input) {
        assert_eq!(offer.to_bytes().as_slice(), input);
    }
    if let Ok(choice) = LayerChoice::parse(input) {
        assert_eq!(choice.to_bytes().expect("a parsed choice encodes"), input);
        if let Some(z) = &choice.authzid {
            assert!(!z.is_empty() && !z.contains('\0'));
        }
    }
});
