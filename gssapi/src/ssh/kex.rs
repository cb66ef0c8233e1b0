//! GSSAPI key exchange (RFC 4462 §2): algorithm names per mechanism, and the MIC over the
//! exchange hash.

use super::SshError;
use super::wire::encode_mech;
use crate::{Mechanism, SecurityContext};
use base64::Engine;
use md5::{Digest, Md5};

/// The key-exchange method prefixes (RFC 4462 §2.3-2.4, RFC 8732), each followed by a
/// mechanism's [`mech_hash`] in an algorithm name.
pub const KEX_PREFIXES: &[&str] = &[
    GSS_GROUP14_SHA256,
    GSS_GROUP16_SHA512,
    GSS_NISTP256_SHA256,
    GSS_CURVE25519_SHA256,
    GSS_GEX_SHA1,
    GSS_GROUP14_SHA1,
    GSS_GROUP1_SHA1,
];
/// `gss-group14-sha256-` (RFC 8732).
pub const GSS_GROUP14_SHA256: &str = "gss-group14-sha256-";
/// `gss-group16-sha512-` (RFC 8732).
pub const GSS_GROUP16_SHA512: &str = "gss-group16-sha512-";
/// `gss-nistp256-sha256-` (RFC 8732).
pub const GSS_NISTP256_SHA256: &str = "gss-nistp256-sha256-";
/// `gss-curve25519-sha256-` (RFC 8732).
pub const GSS_CURVE25519_SHA256: &str = "gss-curve25519-sha256-";
/// `gss-gex-sha1-` (RFC 4462 §2.2; SHA-1, deprecated by RFC 8732).
pub const GSS_GEX_SHA1: &str = "gss-gex-sha1-";
/// `gss-group14-sha1-` (RFC 4462 §2.4; deprecated by RFC 8732).
pub const GSS_GROUP14_SHA1: &str = "gss-group14-sha1-";
/// `gss-group1-sha1-` (RFC 4462 §2.3; deprecated by RFC 8732).
pub const GSS_GROUP1_SHA1: &str = "gss-group1-sha1-";

/// The base64 of the MD5 of the mechanism's tagged DER OID (RFC 4462 §2): Kerberos is
/// `toWM5Slw5Ew8Mqkay+al2g==`.
pub fn mech_hash(mech: &Mechanism) -> Result<String, SshError> {
    let digest = Md5::digest(encode_mech(mech)?);
    Ok(base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The key-exchange algorithm name for `mech` under a method prefix, e.g.
/// `gss-group14-sha256-toWM5Slw5Ew8Mqkay+al2g==` for Kerberos.
pub fn kex_algorithm_name(prefix: &str, mech: &Mechanism) -> Result<String, SshError> {
    Ok(format!("{prefix}{}", mech_hash(mech)?))
}

/// Which method and which of `mechs` a key-exchange algorithm name stands for
/// (`None`: not a GSSAPI name, or a mechanism not among them).
pub fn parse_kex_algorithm_name<'m>(
    name: &str,
    mechs: &'m [Mechanism],
) -> Option<(&'static str, &'m Mechanism)> {
    let prefix = KEX_PREFIXES.iter().find(|p| name.starts_with(**p))?;
    let hash = &name[prefix.len()..];
    mechs
        .iter()
        .find(|m| mech_hash(m).is_ok_and(|h| h == hash))
        .map(|m| (*prefix, m))
}

/// The server's MIC over the exchange hash `H` (`SSH_MSG_KEXGSS_COMPLETE`'s per-message
/// token). In `gssapi-with-mic` after a GSSAPI key exchange, `H` is also the session id.
pub fn exchange_hash_mic(
    context: &mut SecurityContext,
    exchange_hash: &[u8],
) -> Result<Vec<u8>, SshError> {
    Ok(context.get_mic(exchange_hash)?.to_vec())
}

/// The client's check of the server's MIC over `H`.
pub fn verify_exchange_hash_mic(
    context: &mut SecurityContext,
    exchange_hash: &[u8],
    mic: &[u8],
) -> Result<(), SshError> {
    context
        .verify_mic(exchange_hash, mic)
        .map_err(|source| SshError::BadMic { source })
}
