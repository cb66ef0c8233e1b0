//! gss-keyex: algorithm names, the MIC over the exchange hash, the KEXGSS codecs.

use crate::{TestResult, check, fail};
use gssapi::ssh::{
    GSS_GEX_SHA1, GSS_GROUP1_SHA1, GSS_GROUP14_SHA256, GssStatus, KEX_PREFIXES, KexGss, Limits,
    SshError, exchange_hash_mic, host_target, kex_algorithm_name, mech_hash,
    parse_kex_algorithm_name, verify_exchange_hash_mic,
};
use gssapi::{Flags, Mechanism, SecurityContext};

pub(crate) fn kerberos_algorithm_names() -> TestResult {
    // The name OpenSSH (kexgss) and RFC 4462 give Kerberos.
    check!(mech_hash(&Mechanism::KERBEROS).map_err(fail)? == "toWM5Slw5Ew8Mqkay+al2g==");
    let name = kex_algorithm_name(GSS_GROUP14_SHA256, &Mechanism::KERBEROS).map_err(fail)?;
    check!(
        name == "gss-group14-sha256-toWM5Slw5Ew8Mqkay+al2g==",
        "{name}"
    );
    check!(
        kex_algorithm_name(GSS_GEX_SHA1, &Mechanism::KERBEROS).map_err(fail)?
            == "gss-gex-sha1-toWM5Slw5Ew8Mqkay+al2g=="
    );
    let mechs = [Mechanism::SPNEGO, Mechanism::KERBEROS];
    for prefix in KEX_PREFIXES {
        for mech in &mechs {
            let name = kex_algorithm_name(prefix, mech).map_err(fail)?;
            check!(parse_kex_algorithm_name(&name, &mechs) == Some((*prefix, mech)));
        }
    }
    check!(
        mech_hash(&Mechanism::SPNEGO).map_err(fail)?
            != mech_hash(&Mechanism::KERBEROS).map_err(fail)?
    );
    check!(parse_kex_algorithm_name("gss-group1-sha1-AAAAAAAAAAAAAAAAAAAAAA==", &mechs).is_none());
    check!(parse_kex_algorithm_name("diffie-hellman-group14-sha256", &mechs).is_none());
    check!(
        parse_kex_algorithm_name(
            &kex_algorithm_name(GSS_GROUP1_SHA1, &Mechanism::KERBEROS).map_err(fail)?,
            &[Mechanism::SPNEGO]
        )
        .is_none(),
        "a mechanism not among ours"
    );
    Ok(())
}

pub(crate) fn mic_over_the_exchange_hash() -> TestResult {
    let target = host_target("localhost").map_err(fail)?;
    let mut client = SecurityContext::initiator(&target)
        .mech(&Mechanism::KERBEROS)
        .flags(Flags::MUTUAL | Flags::INTEG)
        .build();
    let mut server = SecurityContext::acceptor(None).build();
    let mut token = client.step(None).map_err(fail)?;
    while let Some(t) = token.take() {
        if let Some(reply) = server.step(Some(&t)).map_err(fail)? {
            token = client.step(Some(&reply)).map_err(fail)?;
        }
    }
    check!(client.is_complete() && server.is_complete());
    let h = [0x5au8; 32];
    let mic = exchange_hash_mic(&mut server, &h).map_err(fail)?;
    let complete = KexGss::Complete {
        f: vec![0x01, 0x02],
        mic: mic.clone(),
        token: None,
    };
    let parsed = KexGss::parse(&complete.to_bytes(), &Limits::default()).map_err(fail)?;
    let KexGss::Complete { mic: got, .. } = parsed else {
        return Err("not COMPLETE".into());
    };
    verify_exchange_hash_mic(&mut client, &h, &got).map_err(fail)?;
    // Over another hash, the MIC fails.
    let mic2 = exchange_hash_mic(&mut server, &h).map_err(fail)?;
    let mut other = h;
    other[0] ^= 1;
    check!(matches!(
        verify_exchange_hash_mic(&mut client, &other, &mic2),
        Err(SshError::BadMic { .. })
    ));
    Ok(())
}

pub(crate) fn kexgss_codecs_round_trip() -> TestResult {
    let status = GssStatus {
        major: 0x000d_0000,
        minor: 7,
        message: "no credentials".into(),
        language: "en".into(),
    };
    let all = [
        KexGss::Init {
            token: b"token".to_vec(),
            e: vec![0x00, 0x80, 0x01],
        },
        KexGss::Continue(b"more".to_vec()),
        KexGss::Complete {
            f: vec![0x7f],
            mic: b"mic".to_vec(),
            token: Some(b"last".to_vec()),
        },
        KexGss::Complete {
            f: vec![0x7f],
            mic: b"mic".to_vec(),
            token: None,
        },
        KexGss::Hostkey(b"ssh-ed25519 blob".to_vec()),
        KexGss::Error(status),
        KexGss::GroupReq {
            min: 2048,
            n: 4096,
            max: 8192,
        },
        KexGss::Group {
            p: vec![0x00, 0xff, 0xff],
            g: vec![0x02],
        },
    ];
    let expected_codes = [30u8, 31, 32, 32, 33, 34, 40, 41];
    for (msg, code) in all.iter().zip(expected_codes) {
        let bytes = msg.to_bytes();
        check!(bytes[0] == code, "{msg:?}");
        check!(KexGss::parse(&bytes, &Limits::default()).map_err(fail)? == *msg);
        // Every prefix is truncated, never a panic.
        for cut in 0..bytes.len() {
            check!(
                matches!(
                    KexGss::parse(&bytes[..cut], &Limits::default()),
                    Err(SshError::Truncated { .. })
                ),
                "{msg:?} cut at {cut}"
            );
        }
    }
    // A GROUPREQ on the wire: byte 40, three uint32.
    check!(
        KexGss::GroupReq {
            min: 1,
            n: 2,
            max: 3
        }
        .to_bytes()
            == [40, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]
    );
    Ok(())
}

pub(crate) fn kexgss_bad_input() -> TestResult {
    let limits = Limits::default();
    let mut complete = KexGss::Complete {
        f: vec![1],
        mic: vec![2],
        token: None,
    }
    .to_bytes();
    *complete.last_mut().unwrap() = 2;
    check!(matches!(
        KexGss::parse(&complete, &limits),
        Err(SshError::BadBoolean { value: 2 })
    ));
    check!(matches!(
        KexGss::parse(&[35], &limits),
        Err(SshError::UnexpectedMessage { code: 35, .. })
    ));
    let mut trailing = KexGss::Continue(vec![1]).to_bytes();
    trailing.push(0);
    check!(matches!(
        KexGss::parse(&trailing, &limits),
        Err(SshError::TrailingData { extra: 1, .. })
    ));
    let mut bad_utf8 = KexGss::Error(GssStatus {
        major: 1,
        minor: 2,
        message: "x".into(),
        language: String::new(),
    })
    .to_bytes();
    bad_utf8[13] = 0xff;
    check!(matches!(
        KexGss::parse(&bad_utf8, &limits),
        Err(SshError::NotUtf8 {
            field: "error message"
        })
    ));
    Ok(())
}
