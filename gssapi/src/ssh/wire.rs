//! SSH wire primitives (RFC 4251 §5) with bounded reads, and mechanism OIDs in SSH form.

use super::{Limits, SshError};
use crate::Mechanism;
use gssapi_raw::Oid;

/// The DER tag of an OBJECT IDENTIFIER.
const OID_TAG: u8 = 0x06;

/// A cursor over one SSH message or field; every length is checked against what remains and
/// against the [`Limits`] before anything is sliced or allocated.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    limits: &'a Limits,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8], limits: &'a Limits) -> Reader<'a> {
        Reader {
            rest: input,
            limits,
        }
    }

    fn take(&mut self, what: &'static str, n: usize) -> Result<&'a [u8], SshError> {
        if self.rest.len() < n {
            return Err(SshError::Truncated {
                what,
                needed: n,
                remaining: self.rest.len(),
            });
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub(crate) fn byte(&mut self, what: &'static str) -> Result<u8, SshError> {
        Ok(self.take(what, 1)?[0])
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, SshError> {
        let b = self.take(what, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// An SSH `string` (also an `mpint`'s wire form): uint32 length and that many bytes.
    pub(crate) fn string(&mut self, what: &'static str) -> Result<&'a [u8], SshError> {
        let len = self.u32(what)? as usize;
        if len > self.limits.max_string {
            return Err(SshError::TooLong {
                what,
                len,
                max: self.limits.max_string,
            });
        }
        self.take(what, len)
    }

    pub(crate) fn utf8(&mut self, what: &'static str) -> Result<String, SshError> {
        let bytes = self.string(what)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| SshError::NotUtf8 { field: what })
    }

    pub(crate) fn mech(&mut self) -> Result<Mechanism, SshError> {
        parse_mech(self.string("mechanism OID")?)
    }

    /// A uint32 count and that many OID strings (`gssapi-with-mic`'s list).
    pub(crate) fn mech_list(&mut self) -> Result<Vec<Mechanism>, SshError> {
        let count = self.u32("mechanism count")?;
        if count == 0 {
            return Err(SshError::NoMechanisms);
        }
        let max = self.limits.max_mechs;
        if count as usize > max {
            return Err(SshError::TooManyMechanisms { count, max });
        }
        // Each OID string takes at least 4 bytes: a count the input cannot hold is refused
        // before the vector is sized by it.
        if self.rest.len() / 4 < count as usize {
            return Err(SshError::Truncated {
                what: "mechanism list",
                needed: count as usize * 4,
                remaining: self.rest.len(),
            });
        }
        let mut mechs = Vec::with_capacity(count as usize);
        for _ in 0..count {
            mechs.push(self.mech()?);
        }
        Ok(mechs)
    }

    /// Refuses bytes after the last field.
    pub(crate) fn finish(self, what: &'static str) -> Result<(), SshError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(SshError::TrailingData {
                what,
                extra: self.rest.len(),
            })
        }
    }
}

pub(crate) fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Writes an SSH `string`.
///
/// # Panics
///
/// Never on what fits in memory with SSH's limits: a field over 4 GiB is a caller's bug.
pub(crate) fn put_string(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).expect("an SSH string is under 4 GiB");
    put_u32(out, len);
    out.extend_from_slice(bytes);
}

/// A mechanism's OID as SSH carries it: the DER encoding with tag `06` and the length
/// (RFC 4462 §2 and §3.2; OpenSSH accepts the short length form only, so OIDs are at most
/// 127 value bytes, as every registered GSSAPI mechanism is).
pub fn encode_mech(mech: &Mechanism) -> Result<Vec<u8>, SshError> {
    let value = mech.oid().as_bytes();
    if value.len() > 127 {
        return Err(SshError::OidTooLong { len: value.len() });
    }
    let mut out = Vec::with_capacity(value.len() + 2);
    out.push(OID_TAG);
    out.push(value.len() as u8);
    out.extend_from_slice(value);
    Ok(out)
}

/// Reads a mechanism OID in SSH form (the contents of one SSH `string`), checked as OpenSSH
/// checks it: tag `06`, a length byte equal to the bytes that follow, a non-empty value; and
/// the value must be well-formed base-128 arcs, of at most 127 bytes (a length byte of 0x80 or
/// more would be DER's long form, which SSH implementations do not read).
pub fn parse_mech(bytes: &[u8]) -> Result<Mechanism, SshError> {
    let [tag, len, value @ ..] = bytes else {
        return Err(SshError::Truncated {
            what: "mechanism OID",
            needed: 2,
            remaining: bytes.len(),
        });
    };
    if *tag != OID_TAG {
        return Err(SshError::NotAnOid { tag: *tag });
    }
    if usize::from(*len) != value.len() {
        return Err(SshError::BadOidLength {
            declared: usize::from(*len),
            actual: value.len(),
        });
    }
    // 0x80 and above would be DER's long form: not a length SSH's one-byte form can hold.
    if *len >= 0x80 {
        return Err(SshError::OidTooLong { len: value.len() });
    }
    let oid = Oid::from_der(value).map_err(|_| SshError::BadOid)?;
    Ok(Mechanism::from_oid(oid))
}

/// The mechanism list of `SSH_MSG_USERAUTH_REQUEST` "gssapi-with-mic": uint32 count, then
/// each OID (see [`encode_mech`]) as an SSH `string`.
pub fn encode_mech_list(mechs: &[Mechanism]) -> Result<Vec<u8>, SshError> {
    if mechs.is_empty() {
        return Err(SshError::NoMechanisms);
    }
    let count = u32::try_from(mechs.len()).map_err(|_| SshError::TooManyMechanisms {
        count: u32::MAX,
        max: u32::MAX as usize,
    })?;
    let mut out = Vec::new();
    put_u32(&mut out, count);
    for m in mechs {
        put_string(&mut out, &encode_mech(m)?);
    }
    Ok(out)
}

/// Reads a mechanism list (see [`encode_mech_list`]), all of `bytes`: zero mechanisms, more
/// than `limits.max_mechs`, a bad OID or trailing bytes are errors, and nothing is allocated
/// for a count over the limit.
pub fn parse_mech_list(bytes: &[u8], limits: &Limits) -> Result<Vec<Mechanism>, SshError> {
    let mut r = Reader::new(bytes, limits);
    let mechs = r.mech_list()?;
    r.finish("mechanism list")?;
    Ok(mechs)
}
