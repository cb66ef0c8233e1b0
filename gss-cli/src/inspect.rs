//! `gss inspect`: decodes what people paste: a raw token, base64, hex, or a whole
//! `WWW-Authenticate`/`Authorization` header. SPNEGO NegTokenInit/NegTokenResp, Kerberos
//! AP-REQ, AP-REP and KRB-ERROR (framed in a GSS token or bare), RFC 4121 wrap and MIC token
//! headers, NTLM messages, exported name tokens. DER through the `der` crate (RustCrypto's, the one x509-cert uses);
//! every length is checked, so hostile input is an error, never a panic.

use base64::Engine;
use der::{Decode, Header, Reader, SliceReader, Tag};
use serde_json::{Map, Value, json};

/// Why a token did not decode.
pub type DecodeError = String;

type Res<T> = Result<T, DecodeError>;

const OID_SPNEGO: &str = "1.3.6.1.5.5.2";
const OID_KRB5: &str = "1.2.840.113554.1.2.2";

/// Turns pasted text into token bytes: a header line (`Authorization: Negotiate ...`), a
/// bare `Negotiate ...` value, base64 or hex. Anything else is taken as the raw token.
pub fn token_bytes(input: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(input) else {
        return input.to_vec();
    };
    let mut t = text.trim();
    if let Some((name, rest)) = t.split_once(':') {
        let name = name.trim().to_ascii_lowercase();
        if [
            "authorization",
            "www-authenticate",
            "proxy-authorization",
            "proxy-authenticate",
        ]
        .contains(&name.as_str())
        {
            t = rest.trim();
        }
    }
    if let Some((scheme, rest)) = t.split_once(' ')
        && ["negotiate", "kerberos", "ntlm"].contains(&scheme.to_ascii_lowercase().as_str())
    {
        t = rest.trim();
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty()
        && compact.len().is_multiple_of(2)
        && compact.chars().all(|c| c.is_ascii_hexdigit())
        && let Some(bytes) = hex(&compact)
    {
        return bytes;
    }
    let engine = base64::engine::general_purpose::STANDARD;
    if let Ok(bytes) = engine.decode(&compact) {
        return bytes;
    }
    let trimmed = compact.trim_end_matches('=');
    if let Ok(bytes) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed) {
        return bytes;
    }
    input.to_vec()
}

fn hex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Decodes one token into a description.
pub fn decode(token: &[u8]) -> Res<Value> {
    match token {
        [] => Err("the token is empty".into()),
        [b'N', b'T', b'L', b'M', b'S', b'S', b'P', 0, ..] => ntlm(token),
        [0x60, ..] => framed(token),
        [0xa0, ..] | [0xa1, ..] => spnego(token),
        [0x6e, ..] | [0x6f, ..] | [0x7e, ..] => krb5_message(token),
        [0x04, 0x04, ..] | [0x05, 0x04, ..] => rfc4121(token),
        [0x04, 0x01, ..] | [0x04, 0x02, ..] => exported_name(token),
        [first, ..] => Err(format!(
            "not a GSSAPI, SPNEGO, Kerberos or NTLM token (first byte 0x{first:02x})"
        )),
    }
}

/// One TLV: its tag and contents.
fn tlv<'a>(r: &mut SliceReader<'a>) -> Res<(Tag, &'a [u8])> {
    let header = Header::decode(r).map_err(|e| format!("bad DER header: {e}"))?;
    let body = r
        .read_slice(header.length())
        .map_err(|e| format!("{} truncated: {e}", describe_tag(header.tag())))?;
    Ok((header.tag(), body))
}

fn describe_tag(tag: Tag) -> String {
    match tag {
        Tag::Application { number, .. } => format!("[APPLICATION {}]", number.value()),
        Tag::ContextSpecific { number, .. } => format!("[{}]", number.value()),
        other => format!("{other}"),
    }
}

fn reader(bytes: &[u8]) -> Res<SliceReader<'_>> {
    SliceReader::new(bytes).map_err(|e| format!("too long: {e}"))
}

/// The whole of `bytes` as one TLV with tag `want`.
fn expect<'a>(bytes: &'a [u8], want: Tag, what: &str) -> Res<&'a [u8]> {
    let mut r = reader(bytes)?;
    let (tag, body) = tlv(&mut r)?;
    if tag != want {
        return Err(format!(
            "{what}: expected {}, found {}",
            describe_tag(want),
            describe_tag(tag)
        ));
    }
    Ok(body)
}

/// The context-tagged fields `[n]` of a SEQUENCE body.
fn fields(seq: &[u8]) -> Res<Vec<(u32, &[u8])>> {
    let mut r = reader(seq)?;
    let mut out = Vec::new();
    while !r.is_finished() {
        let (tag, body) = tlv(&mut r)?;
        match tag {
            Tag::ContextSpecific { number, .. } => out.push((number.value(), body)),
            other => {
                return Err(format!(
                    "expected a [n] field, found {}",
                    describe_tag(other)
                ));
            }
        }
    }
    Ok(out)
}

fn field<'a>(fields: &[(u32, &'a [u8])], n: u32) -> Option<&'a [u8]> {
    fields.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

fn oid(body: &[u8]) -> Res<String> {
    let mut r = reader(body)?;
    let (tag, content) = tlv(&mut r)?;
    if tag != Tag::ObjectIdentifier {
        return Err(format!("expected an OID, found {}", describe_tag(tag)));
    }
    oid_text(content)
}

fn oid_text(content: &[u8]) -> Res<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for (i, byte) in content.iter().enumerate() {
        value = value
            .checked_mul(128)
            .and_then(|v| v.checked_add(u64::from(byte & 0x7f)))
            .ok_or("an OID arc too large")?;
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        } else if i + 1 == content.len() {
            return Err("a truncated OID".into());
        }
    }
    if arcs.is_empty() {
        return Err("an empty OID".into());
    }
    Ok(arcs
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("."))
}

fn mech_name(oid: &str) -> &'static str {
    match oid {
        OID_KRB5 => "krb5",
        "1.2.840.48018.1.2.2" => "krb5 (Microsoft's OID)",
        OID_SPNEGO => "spnego",
        "1.3.6.1.5.2.5" => "iakerb",
        "1.3.6.1.4.1.311.2.2.10" => "ntlmssp",
        "1.3.6.1.4.1.311.2.2.30" => "negoex",
        _ => "?",
    }
}

fn integer(body: &[u8]) -> Res<i64> {
    let content = expect(body, Tag::Integer, "INTEGER")?;
    if content.is_empty() || content.len() > 8 {
        return Err(format!("an INTEGER of {} bytes", content.len()));
    }
    let mut v: i64 = if content[0] & 0x80 != 0 { -1 } else { 0 };
    for b in content {
        v = (v << 8) | i64::from(*b);
    }
    Ok(v)
}

fn string(body: &[u8]) -> Res<String> {
    let mut r = reader(body)?;
    let (_, content) = tlv(&mut r)?;
    Ok(String::from_utf8_lossy(content).into_owned())
}

/// A GSS token: `[APPLICATION 0] { thisMech OID, innerToken }` (RFC 2743 3.1).
fn framed(token: &[u8]) -> Res<Value> {
    let body = expect(
        token,
        Tag::Application {
            constructed: true,
            number: der::TagNumber(0),
        },
        "GSS token",
    )?;
    let mut r = reader(body)?;
    let (tag, content) = tlv(&mut r)?;
    if tag != Tag::ObjectIdentifier {
        return Err(format!(
            "GSS token: expected the mechanism OID, found {}",
            describe_tag(tag)
        ));
    }
    let mech = oid_text(content)?;
    let inner = r.read_slice(r.remaining_len()).map_err(|e| e.to_string())?;
    let decoded = match mech.as_str() {
        OID_SPNEGO => spnego(inner)?,
        OID_KRB5 | "1.2.840.48018.1.2.2" => match inner {
            [0x01, 0x00, rest @ ..] | [0x02, 0x00, rest @ ..] | [0x03, 0x00, rest @ ..] => {
                krb5_message(rest)?
            }
            [a, b, ..] => json!({ "type": format!("Kerberos token id {a:02x} {b:02x}") }),
            _ => return Err("a Kerberos GSS token without a token id".into()),
        },
        _ => json!({ "type": "mechanism token", "length": inner.len() }),
    };
    Ok(json!({
        "type": "GSS token",
        "mech": mech,
        "mech_name": mech_name(&mech),
        "inner": decoded,
    }))
}

/// An exported name token (RFC 2743 3.2: `04 01`, 2-byte OID length, the mechanism OID in
/// DER, 4-byte name length, the name) or a composite one (RFC 6680: `04 02`, then the same
/// with the name's attributes after the name, not decoded here).
fn exported_name(token: &[u8]) -> Res<Value> {
    let composite = token[1] == 0x02;
    let rest = &token[2..];
    let (len, rest) = rest
        .split_first_chunk::<2>()
        .ok_or("exported name: truncated in the OID length")?;
    let oid_len = usize::from(u16::from_be_bytes(*len));
    let oid_der = rest
        .get(..oid_len)
        .ok_or("exported name: truncated in the mechanism OID")?;
    let content = expect(oid_der, Tag::ObjectIdentifier, "exported name's mechanism")?;
    let mech = oid_text(content)?;
    let rest = &rest[oid_len..];
    let (len, rest) = rest
        .split_first_chunk::<4>()
        .ok_or("exported name: truncated in the name length")?;
    let name_len = usize::try_from(u32::from_be_bytes(*len)).map_err(|e| e.to_string())?;
    let name = rest
        .get(..name_len)
        .ok_or("exported name: the name is shorter than its length")?;
    let after = &rest[name_len..];
    if !composite && !after.is_empty() {
        return Err(format!(
            "exported name: {} bytes after the name",
            after.len()
        ));
    }
    Ok(json!({
        "type": if composite { "composite exported name" } else { "exported name" },
        "mech": mech,
        "mech_name": mech_name(&mech),
        "name": String::from_utf8_lossy(name),
        "attributes_bytes": composite.then_some(after.len()),
    }))
}

/// SPNEGO NegTokenInit `[0]` or NegTokenResp `[1]` (RFC 4178).
fn spnego(token: &[u8]) -> Res<Value> {
    let mut r = reader(token)?;
    let (tag, body) = tlv(&mut r)?;
    let Tag::ContextSpecific { number, .. } = tag else {
        return Err(format!(
            "SPNEGO: expected [0] or [1], found {}",
            describe_tag(tag)
        ));
    };
    let seq = expect(body, Tag::Sequence, "SPNEGO")?;
    let f = fields(seq)?;
    let mut out = Map::new();
    match number.value() {
        0 => {
            out.insert("type".into(), "SPNEGO NegTokenInit".into());
            if let Some(types) = field(&f, 0) {
                let list = expect(types, Tag::Sequence, "mechTypes")?;
                let mut r = reader(list)?;
                let mut mechs = Vec::new();
                while !r.is_finished() {
                    let (tag, content) = tlv(&mut r)?;
                    if tag != Tag::ObjectIdentifier {
                        return Err("mechTypes: not an OID".into());
                    }
                    let o = oid_text(content)?;
                    mechs.push(json!({ "oid": o, "name": mech_name(&o) }));
                }
                out.insert("mech_types".into(), mechs.into());
            }
            if let Some(token) = field(&f, 2) {
                let t = expect(token, Tag::OctetString, "mechToken")?;
                out.insert(
                    "mech_token".into(),
                    decode(t).unwrap_or_else(|e| json!({ "error": e, "length": t.len() })),
                );
            }
            if let Some(mic) = field(&f, 3) {
                let m = expect(mic, Tag::OctetString, "mechListMIC")?;
                out.insert("mech_list_mic_length".into(), m.len().into());
            }
        }
        1 => {
            out.insert("type".into(), "SPNEGO NegTokenResp".into());
            if let Some(state) = field(&f, 0) {
                let s = expect(state, Tag::Enumerated, "negState")?;
                let name = match s {
                    [0] => "accept-completed",
                    [1] => "accept-incomplete",
                    [2] => "reject",
                    [3] => "request-mic",
                    _ => "?",
                };
                out.insert("neg_state".into(), name.into());
            }
            if let Some(m) = field(&f, 1) {
                let o = oid(m)?;
                out.insert(
                    "supported_mech".into(),
                    json!({ "oid": o, "name": mech_name(&o) }),
                );
            }
            if let Some(token) = field(&f, 2) {
                let t = expect(token, Tag::OctetString, "responseToken")?;
                out.insert(
                    "response_token".into(),
                    decode(t).unwrap_or_else(|e| json!({ "error": e, "length": t.len() })),
                );
            }
            if let Some(mic) = field(&f, 3) {
                let m = expect(mic, Tag::OctetString, "mechListMIC")?;
                out.insert("mech_list_mic_length".into(), m.len().into());
            }
        }
        n => return Err(format!("SPNEGO: unknown choice [{n}]")),
    }
    Ok(out.into())
}

fn enctype_name(e: i64) -> &'static str {
    match e {
        16 => "des3-cbc-sha1",
        17 => "aes128-cts-hmac-sha1-96",
        18 => "aes256-cts-hmac-sha1-96",
        19 => "aes128-cts-hmac-sha256-128",
        20 => "aes256-cts-hmac-sha384-192",
        23 => "rc4-hmac",
        25 => "camellia128-cts-cmac",
        26 => "camellia256-cts-cmac",
        _ => "?",
    }
}

fn principal_name(body: &[u8]) -> Res<String> {
    let f = fields(expect(body, Tag::Sequence, "PrincipalName")?)?;
    let names = field(&f, 1).ok_or("PrincipalName without name-string")?;
    let mut r = reader(expect(names, Tag::Sequence, "name-string")?)?;
    let mut parts = Vec::new();
    while !r.is_finished() {
        let (_, content) = tlv(&mut r)?;
        parts.push(String::from_utf8_lossy(content).into_owned());
    }
    Ok(parts.join("/"))
}

fn encrypted_data(body: &[u8]) -> Res<Value> {
    let f = fields(expect(body, Tag::Sequence, "EncryptedData")?)?;
    let etype = integer(field(&f, 0).ok_or("EncryptedData without etype")?)?;
    let kvno = field(&f, 1).map(integer).transpose()?;
    let cipher = expect(
        field(&f, 2).ok_or("EncryptedData without cipher")?,
        Tag::OctetString,
        "cipher",
    )?;
    Ok(
        json!({ "enctype": etype, "enctype_name": enctype_name(etype), "kvno": kvno, "cipher_length": cipher.len() }),
    )
}

fn krb_error_name(code: i64) -> Option<&'static str> {
    // MIT's com_err table for KDC errors starts at -1765328384 (ERROR_TABLE_BASE_krb5).
    let minor = i32::try_from(code).ok()?.checked_add(-1_765_328_384)? as u32;
    gssapi::Krb5Error::from_minor(minor).and_then(|k| k.name())
}

/// A Kerberos AP-REQ, AP-REP or KRB-ERROR (RFC 4120).
fn krb5_message(bytes: &[u8]) -> Res<Value> {
    let mut r = reader(bytes)?;
    let (tag, body) = tlv(&mut r)?;
    let Tag::Application { number, .. } = tag else {
        return Err(format!(
            "Kerberos: expected an [APPLICATION n] message, found {}",
            describe_tag(tag)
        ));
    };
    let f = fields(expect(body, Tag::Sequence, "Kerberos message")?)?;
    match number.value() {
        14 => {
            let options = field(&f, 2)
                .map(|o| expect(o, Tag::BitString, "ap-options"))
                .transpose()?
                .map(|b| b.get(1).copied().unwrap_or(0));
            let ticket_app = field(&f, 3).ok_or("AP-REQ without a ticket")?;
            let ticket = expect(
                ticket_app,
                Tag::Application {
                    constructed: true,
                    number: der::TagNumber(1),
                },
                "Ticket",
            )?;
            let t = fields(expect(ticket, Tag::Sequence, "Ticket")?)?;
            let realm = string(field(&t, 1).ok_or("Ticket without realm")?)?;
            let sname = principal_name(field(&t, 2).ok_or("Ticket without sname")?)?;
            let enc = encrypted_data(field(&t, 3).ok_or("Ticket without enc-part")?)?;
            let mut flags = Vec::new();
            if let Some(o) = options {
                if o & 0x40 != 0 {
                    flags.push("use-session-key");
                }
                if o & 0x20 != 0 {
                    flags.push("mutual-required");
                }
            }
            Ok(json!({
                "type": "Kerberos AP-REQ",
                "realm": realm,
                "service": sname,
                "ticket_enctype": enc["enctype"],
                "ticket_enctype_name": enc["enctype_name"],
                "ticket_kvno": enc["kvno"],
                "ap_options": flags,
            }))
        }
        15 => {
            let enc = encrypted_data(field(&f, 2).ok_or("AP-REP without enc-part")?)?;
            Ok(
                json!({ "type": "Kerberos AP-REP", "enctype": enc["enctype"], "enctype_name": enc["enctype_name"] }),
            )
        }
        30 => {
            let code = integer(field(&f, 6).ok_or("KRB-ERROR without error-code")?)?;
            let realm = field(&f, 9).map(string).transpose()?;
            let sname = field(&f, 10).map(principal_name).transpose()?;
            let text = field(&f, 11).map(string).transpose()?;
            Ok(json!({
                "type": "Kerberos KRB-ERROR",
                "error_code": code,
                "error_name": krb_error_name(code),
                "e_text": text,
                "realm": realm,
                "service": sname,
            }))
        }
        n => Err(format!(
            "Kerberos: message [APPLICATION {n}] is not AP-REQ, AP-REP or KRB-ERROR"
        )),
    }
}

/// RFC 4121 MIC (`04 04`) and wrap (`05 04`) token headers.
fn rfc4121(token: &[u8]) -> Res<Value> {
    if token.len() < 16 {
        return Err(format!(
            "an RFC 4121 token header is 16 bytes, this has {}",
            token.len()
        ));
    }
    let flags = token[2];
    let mut names = Vec::new();
    for (bit, name) in [
        (1, "sent-by-acceptor"),
        (2, "sealed"),
        (4, "acceptor-subkey"),
    ] {
        if flags & bit != 0 {
            names.push(name);
        }
    }
    let mut seq = [0u8; 8];
    seq.copy_from_slice(&token[8..16]);
    let kind = if token[0] == 4 {
        "RFC 4121 MIC token"
    } else {
        "RFC 4121 wrap token"
    };
    let mut out = json!({
        "type": kind,
        "flags": names,
        "sequence_number": u64::from_be_bytes(seq),
        "payload_length": token.len() - 16,
    });
    if token[0] == 5 {
        out["ec"] = u16::from_be_bytes([token[4], token[5]]).into();
        out["rrc"] = u16::from_be_bytes([token[6], token[7]]).into();
    }
    Ok(out)
}

fn le16(b: &[u8], at: usize) -> Res<u16> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| "an NTLM message truncated".into())
}

fn le32(b: &[u8], at: usize) -> Res<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "an NTLM message truncated".into())
}

/// An NTLM security buffer's text (UTF-16LE when unicode, else OEM bytes).
fn ntlm_field(b: &[u8], at: usize, unicode: bool) -> Res<String> {
    let len = usize::from(le16(b, at)?);
    let offset = le32(b, at + 4)? as usize;
    let bytes = offset
        .checked_add(len)
        .and_then(|end| b.get(offset..end))
        .ok_or("an NTLM field points outside the message")?;
    Ok(if unicode {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    })
}

/// NTLM NEGOTIATE (1), CHALLENGE (2) and AUTHENTICATE (3) messages (MS-NLMP).
fn ntlm(b: &[u8]) -> Res<Value> {
    let kind = le32(b, 8)?;
    let flags_at = match kind {
        1 => 12,
        2 => 20,
        3 => 60,
        n => return Err(format!("NTLM message type {n} is not 1, 2 or 3")),
    };
    let flags = le32(b, flags_at)?;
    let unicode = flags & 1 != 0;
    let mut out = json!({
        "type": format!("NTLM {}", ["", "NEGOTIATE", "CHALLENGE", "AUTHENTICATE"][kind as usize]),
        "flags": format!("0x{flags:08x}"),
    });
    match kind {
        2 => out["target"] = ntlm_field(b, 12, unicode)?.into(),
        3 => {
            out["domain"] = ntlm_field(b, 28, unicode)?.into();
            out["user"] = ntlm_field(b, 36, unicode)?.into();
            out["workstation"] = ntlm_field(b, 44, unicode)?.into();
        }
        _ => {}
    }
    Ok(out)
}

/// The description as indented text.
pub fn render(value: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    if let Value::Object(map) = value {
        for (k, v) in map {
            match v {
                Value::Null => {}
                Value::Object(_) => {
                    out.push_str(&format!("{pad}{k}:\n"));
                    render(v, indent + 1, out);
                }
                Value::Array(items) if items.iter().any(Value::is_object) => {
                    out.push_str(&format!("{pad}{k}:\n"));
                    for item in items {
                        let line: Vec<String> = item
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| {
                                format!(
                                    "{k}={}",
                                    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                                )
                            })
                            .collect();
                        out.push_str(&format!("{pad}  - {}\n", line.join(" ")));
                    }
                }
                Value::Array(items) => {
                    let list: Vec<String> = items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect();
                    out.push_str(&format!("{pad}{k}: {}\n", list.join(", ")));
                }
                Value::String(s) => out.push_str(&format!("{pad}{k}: {s}\n")),
                other => out.push_str(&format!("{pad}{k}: {other}\n")),
            }
        }
    }
}
