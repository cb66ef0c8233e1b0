//! `gss inspect` on tokens captured from real exchanges (the client's first token through an
//! echoing upstream, the server's final token from `gss curl -i`), a KRB-ERROR built here,
//! and malformed input: every truncation, wrong tags, huge lengths: each a clear error and
//! exit code 2, never a panic.

use crate::check;
use crate::support::*;
use gss_cli::inspect;

fn inspect_json(token: &str) -> Result<serde_json::Value, libtest_mimic::Failed> {
    let out = output(gss().args(["inspect", "--json", token]))?;
    expect_code(&out, 0, &format!("gss inspect {token}"))?;
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The client's first token (opportunistic, mutual authentication asked for; the upstream
/// sends no token back, which `optional` accepts), as the upstream received it.
fn client_token(upstream: &Upstream, mech: &str) -> Result<String, libtest_mimic::Failed> {
    let out = output(gss().args([
        "curl",
        "--opportunistic",
        "--mutual",
        "optional",
        "--mech",
        mech,
        &format!("http://{}:{}/", realm().hostname(), upstream.port),
    ]))?;
    expect_code(&out, 0, "gss curl to the echoing upstream")?;
    let echo: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(echo["headers"]["authorization"][0]
        .as_str()
        .ok_or("no Authorization")?
        .to_owned())
}

pub fn captured_tokens() -> TestResult {
    let upstream = Upstream::start()?;
    let realm_name = realm().realm_name().to_owned();
    let service = realm()
        .http_principal()
        .split('@')
        .next()
        .unwrap_or_default()
        .to_owned();
    // SPNEGO NegTokenInit around a Kerberos AP-REQ.
    let header = client_token(&upstream, "spnego")?;
    let v = inspect_json(&format!("Authorization: {header}"))?;
    check!(
        v["type"] == "GSS token" && v["mech_name"] == "spnego",
        "{v}"
    );
    let init = &v["inner"];
    check!(init["type"] == "SPNEGO NegTokenInit", "{v}");
    check!(
        init["mech_types"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["name"] == "krb5")),
        "{v}"
    );
    let ap_req = &init["mech_token"]["inner"];
    check!(ap_req["type"] == "Kerberos AP-REQ", "{v}");
    check!(
        ap_req["realm"] == realm_name.as_str() && ap_req["service"] == service.as_str(),
        "{v}"
    );
    check!(
        ap_req["ticket_enctype_name"] == "aes256-cts-hmac-sha1-96"
            && ap_req["ticket_kvno"].is_i64(),
        "{v}"
    );
    // Bare Kerberos, as hex.
    let header = client_token(&upstream, "krb5")?;
    let raw = inspect::token_bytes(header.as_bytes());
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let v = inspect_json(&hex)?;
    check!(
        v["mech_name"] == "krb5" && v["inner"]["type"] == "Kerberos AP-REQ",
        "{v}"
    );
    check!(
        v["inner"]["ap_options"]
            .as_array()
            .is_some_and(|o| o.iter().any(|f| f == "mutual-required")),
        "{v}"
    );

    // The server's final token: NegTokenResp, accept-completed, with an AP-REP.
    let site = site()?;
    let server = Server::files(&site)?;
    let out = output(gss().args(["curl", "-i", &server.url("/index.html")]))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("www-authenticate:"))
        .ok_or("no token")?;
    let v = inspect_json(line)?;
    check!(
        v["type"] == "SPNEGO NegTokenResp" && v["neg_state"] == "accept-completed",
        "{v}"
    );
    check!(
        v["response_token"]["inner"]["type"] == "Kerberos AP-REP",
        "{v}"
    );
    // Text form.
    let out = output(gss().args(["inspect", line]))?;
    let text = String::from_utf8_lossy(&out.stdout);
    check!(
        text.contains("neg_state: accept-completed") && text.contains("type: Kerberos AP-REP"),
        "{text}"
    );

    // Malformed: every truncation of the captured AP-REQ token fails cleanly in the decoder,
    // and a sample through the binary exits 2.
    for len in 0..raw.len() {
        check!(
            inspect::decode(&raw[..len]).is_err(),
            "a truncation to {len} bytes decoded"
        );
    }
    for len in [1, 2, 5, 17, raw.len() / 2, raw.len() - 1] {
        let hex: String = raw[..len].iter().map(|b| format!("{b:02x}")).collect();
        let out = output(gss().args(["inspect", &hex]))?;
        expect_code(&out, 2, &format!("truncated to {len}"))?;
        let err = String::from_utf8_lossy(&out.stderr);
        check!(
            err.contains("does not decode") && !err.contains("panicked"),
            "{err}"
        );
    }
    Ok(())
}

/// A DER TLV.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    if body.len() < 128 {
        out.push(body.len() as u8);
    } else {
        out.extend([0x82, (body.len() >> 8) as u8, body.len() as u8]);
    }
    out.extend_from_slice(body);
    out
}

fn int(n: u8) -> Vec<u8> {
    tlv(0x02, &[n])
}

pub fn krb_error_and_bad_input() -> TestResult {
    // KRB-ERROR: KRB_AP_ERR_MODIFIED (41) from KRBTEST.COM about HTTP/localhost, with e-text.
    let sname = tlv(
        0x30,
        &[
            tlv(0xa0, &int(2)),
            tlv(
                0xa1,
                &tlv(
                    0x30,
                    &[tlv(0x1b, b"HTTP"), tlv(0x1b, b"localhost")].concat(),
                ),
            ),
        ]
        .concat(),
    );
    let body = [
        tlv(0xa0, &int(5)),
        tlv(0xa1, &int(30)),
        tlv(0xa4, &tlv(0x18, b"20261202000000Z")),
        tlv(0xa5, &int(0)),
        tlv(0xa6, &int(41)),
        tlv(0xa9, &tlv(0x1b, b"KRBTEST.COM")),
        tlv(0xaa, &sname),
        tlv(0xab, &tlv(0x1b, b"integrity check failed")),
    ]
    .concat();
    let error = tlv(0x7e, &tlv(0x30, &body));
    let framed = tlv(
        0x60,
        &[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02],
            ),
            vec![0x03, 0x00],
            error.clone(),
        ]
        .concat(),
    );
    let hex: String = framed.iter().map(|b| format!("{b:02x}")).collect();
    let v = inspect_json(&hex)?;
    let e = &v["inner"];
    check!(
        e["type"] == "Kerberos KRB-ERROR" && e["error_code"] == 41,
        "{v}"
    );
    check!(
        e["error_name"] == "KRB5KRB_AP_ERR_MODIFIED" || e["error_name"].is_string(),
        "{v}"
    );
    check!(
        e["realm"] == "KRBTEST.COM"
            && e["service"] == "HTTP/localhost"
            && e["e_text"] == "integrity check failed",
        "{v}"
    );
    for len in 0..framed.len() {
        check!(
            inspect::decode(&framed[..len]).is_err(),
            "a truncation to {len} bytes decoded"
        );
    }
    // Wrong tags, huge lengths, garbage: each exits 2 with a message.
    let mut wrong_inner = framed.clone();
    wrong_inner[2] = 0x04; // the OID's tag becomes OCTET STRING
    for bad in [
        vec![0x60, 0x84, 0xff, 0xff, 0xff, 0xff],
        vec![0x60, 0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0],
        vec![0xa1, 0x80, 0x00, 0x00],
        vec![0x30, 0x03, 0x02, 0x01, 0x01],
        wrong_inner,
        b"NTLMSSP\0\x03\0\0\0".to_vec(),
        b"NTLMSSP\0\x09\0\0\0\0\0\0\0".to_vec(),
        vec![0x05, 0x04, 0x00],
    ] {
        check!(inspect::decode(&bad).is_err(), "{bad:02x?} decoded");
        let hex: String = bad.iter().map(|b| format!("{b:02x}")).collect();
        let out = output(gss().args(["inspect", &hex]))?;
        expect_code(&out, 2, &format!("gss inspect {hex}"))?;
    }
    let out = output(gss().args(["inspect", "not a token at all!"]))?;
    expect_code(&out, 2, "garbage")?;
    Ok(())
}

/// An exported name token (`gss_export_name`) decodes to its mechanism and name; every
/// truncation of it is exit 2.
pub fn exported_name() -> TestResult {
    let name = gssapi::Name::kerberos_principal(&realm().user_principal())?
        .canonicalize(&gssapi::Mechanism::KERBEROS)?;
    let token = name.export()?;
    let hex: String = token.iter().map(|b| format!("{b:02x}")).collect();
    let v = inspect_json(&hex)?;
    check!(
        v["type"] == "exported name" && v["mech_name"] == "krb5",
        "{v}"
    );
    check!(v["name"] == realm().user_principal(), "{v}");
    for cut in 1..token.len() {
        let part: String = token[..cut].iter().map(|b| format!("{b:02x}")).collect();
        let out = output(gss().args(["inspect", &part]))?;
        expect_code(&out, 2, &format!("an exported name cut at {cut}"))?;
    }
    Ok(())
}
