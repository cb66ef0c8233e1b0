//! TLS channel bindings of type `tls-server-end-point` (RFC 5929 §4): the hash of the server's
//! certificate, which ties the Negotiate exchange to the TLS connection it ran over.
//!
//! ```no_run
//! # fn cert() -> Vec<u8> { Vec::new() }
//! let der: Vec<u8> = cert(); // the server's end-entity certificate, DER
//! let bindings = gssapi_http::cbt::tls_server_end_point(&der)?;
//! // Give the same bindings to both sides: `ClientExchange::set_server_certificate` does this
//! // for the client; `AcceptorBuilder::channel_bindings_from_certificate` for the server.
//! # let _ = bindings;
//! # Ok::<(), gssapi_http::cbt::CertificateError>(())
//! ```
//!
//! The hash is the one of the certificate's signature algorithm, except that MD5 and SHA-1 are
//! replaced by SHA-256 (RFC 5929 §4.1). Signatures without a single hash (Ed25519, Ed448, and
//! RSASSA-PSS whose hash is in its parameters) are hashed with SHA-256 here (the RFC leaves
//! them undefined; Windows and OpenSSL-based peers do the same for Ed25519), except RSASSA-PSS,
//! whose parameters name the hash.

use gssapi::ChannelBindings;
use sha2::Digest as _;
use x509_cert::Certificate;
use x509_cert::der::{Decode as _, asn1::ObjectIdentifier as Oid};

/// The prefix of the application data (RFC 5929 §4.1).
pub const PREFIX: &[u8] = b"tls-server-end-point:";

/// Why a certificate gave no channel bindings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// The bytes are not a DER X.509 certificate.
    #[error("not a DER X.509 certificate: {0}")]
    Malformed(String),
    /// The signature algorithm is one this module does not know a hash for.
    #[error("unknown certificate signature algorithm {0}")]
    UnknownAlgorithm(String),
}

/// The hash functions RFC 5929 can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-256 (also for MD5 and SHA-1 signatures).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

const fn oid(s: &str) -> Oid {
    Oid::new_unwrap(s)
}

// Signature algorithms by their hash (RFC 3279, 4055, 5758, 8410).
const SHA256_SIGS: &[Oid] = &[
    oid("1.2.840.113549.1.1.4"),   // md5WithRSAEncryption
    oid("1.2.840.113549.1.1.5"),   // sha1WithRSAEncryption
    oid("1.2.840.113549.1.1.11"),  // sha256WithRSAEncryption
    oid("1.2.840.113549.1.1.14"), // sha224WithRSAEncryption (no SHA-224 in RFC 5929's rule; SHA-256)
    oid("1.2.840.10045.4.1"),     // ecdsa-with-SHA1
    oid("1.2.840.10045.4.3.1"),   // ecdsa-with-SHA224
    oid("1.2.840.10045.4.3.2"),   // ecdsa-with-SHA256
    oid("1.2.840.10040.4.3"),     // dsa-with-sha1
    oid("2.16.840.1.101.3.4.3.2"), // dsa-with-sha256
    oid("1.3.101.112"),           // Ed25519
    oid("1.3.101.113"),           // Ed448
];
const SHA384_SIGS: &[Oid] = &[
    oid("1.2.840.113549.1.1.12"), // sha384WithRSAEncryption
    oid("1.2.840.10045.4.3.3"),   // ecdsa-with-SHA384
];
const SHA512_SIGS: &[Oid] = &[
    oid("1.2.840.113549.1.1.13"), // sha512WithRSAEncryption
    oid("1.2.840.10045.4.3.4"),   // ecdsa-with-SHA512
];
const RSASSA_PSS: Oid = oid("1.2.840.113549.1.1.10");
const SHA1: Oid = oid("1.3.14.3.2.26");
const SHA256: Oid = oid("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = oid("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = oid("2.16.840.1.101.3.4.2.3");

/// The hash RFC 5929 picks for this signature algorithm (`params`: its DER parameters, for
/// RSASSA-PSS).
fn hash_for(alg: &Oid, params: Option<&[u8]>) -> Result<Hash, CertificateError> {
    if SHA256_SIGS.contains(alg) {
        return Ok(Hash::Sha256);
    }
    if SHA384_SIGS.contains(alg) {
        return Ok(Hash::Sha384);
    }
    if SHA512_SIGS.contains(alg) {
        return Ok(Hash::Sha512);
    }
    if *alg == RSASSA_PSS {
        let hash = params.map_or(Some(SHA1), pss_hash).ok_or_else(|| {
            CertificateError::Malformed("RSASSA-PSS parameters do not parse".into())
        })?;
        return match hash {
            h if h == SHA1 || h == SHA256 => Ok(Hash::Sha256),
            h if h == SHA384 => Ok(Hash::Sha384),
            h if h == SHA512 => Ok(Hash::Sha512),
            h => Err(CertificateError::UnknownAlgorithm(format!(
                "RSASSA-PSS with {h}"
            ))),
        };
    }
    Err(CertificateError::UnknownAlgorithm(alg.to_string()))
}

/// The hash named by RSASSA-PSS parameters (RFC 4055: `SEQUENCE { hashAlgorithm [0] EXPLICIT
/// AlgorithmIdentifier DEFAULT sha1, ... }`), `None` when they do not parse.
fn pss_hash(params: &[u8]) -> Option<Oid> {
    use x509_cert::der::{Reader as _, SliceReader, Tagged as _, asn1::Any};
    let seq = Any::from_der(params).ok()?;
    let mut fields = SliceReader::new(seq.value()).ok()?;
    if fields.is_finished() {
        return Some(SHA1);
    }
    let first = Any::decode(&mut fields).ok()?;
    let tag = first.tag();
    if !(tag.is_context_specific() && tag.is_constructed() && tag.number().value() == 0) {
        return Some(SHA1); // hashAlgorithm absent: the default
    }
    spki::AlgorithmIdentifierOwned::from_der(first.value())
        .ok()
        .map(|a| a.oid)
}

/// The RFC 5929 hash of a DER certificate, and which hash it is.
pub fn certificate_hash(der: &[u8]) -> Result<(Hash, Vec<u8>), CertificateError> {
    let cert =
        Certificate::from_der(der).map_err(|e| CertificateError::Malformed(e.to_string()))?;
    let alg = cert.signature_algorithm();
    let params = alg.parameters.as_ref().map(|p| {
        use x509_cert::der::Encode as _;
        p.to_der().unwrap_or_default()
    });
    let hash = hash_for(&alg.oid, params.as_deref())?;
    let digest = match hash {
        Hash::Sha256 => sha2::Sha256::digest(der).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(der).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(der).to_vec(),
    };
    Ok((hash, digest))
}

/// The application data of the bindings: `tls-server-end-point:` and the hash.
pub fn application_data(der: &[u8]) -> Result<Vec<u8>, CertificateError> {
    let (_, digest) = certificate_hash(der)?;
    let mut data = PREFIX.to_vec();
    data.extend_from_slice(&digest);
    Ok(data)
}

/// GSSAPI channel bindings for a TLS connection whose server presented `der` (no addresses,
/// as RFC 4559 peers send).
pub fn tls_server_end_point(der: &[u8]) -> Result<ChannelBindings, CertificateError> {
    application_data(der).map(ChannelBindings::new)
}
