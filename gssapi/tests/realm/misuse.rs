//! Calls that make no sense in the context's state fail clearly, before any library call.

use crate::{TestResult, check, fail, handshake};
use gssapi::Protection;
use gssapi::{Error, Flags, Name, SecurityContext};

fn flags() -> Flags {
    Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG
}

pub(crate) fn step_after_completion() -> TestResult {
    let (mut c, mut s, _) = handshake(None, flags(), None).map_err(fail)?;
    for err in [
        c.step(Some(b"x")).unwrap_err(),
        s.step(Some(b"x")).unwrap_err(),
    ] {
        check!(err.is_misuse(), "{err:?}");
        check!(err.to_string().contains("already established"), "{err}");
    }
    Ok(())
}

pub(crate) fn calls_before_completion() -> TestResult {
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut c = SecurityContext::initiator(&target).flags(flags()).build();
    let check_state = |r: Result<(), Error>| -> TestResult {
        let err = r
            .err()
            .ok_or("call on an unestablished context succeeded")?;
        check!(matches!(err, Error::State { .. }), "{err:?}");
        check!(err.to_string().contains("not established"), "{err}");
        Ok(())
    };
    check_state(c.wrap(b"x", Protection::Encrypt).map(drop))?;
    check_state(c.encrypt(b"x").map(drop))?;
    check_state(c.get_mic(b"x").map(drop))?;
    check_state(c.flags().map(drop))?;
    check_state(c.mech().map(drop))?;
    check_state(c.initiator_name().map(drop))?;
    check_state(c.wrap_size_limit(100, Protection::Encrypt).map(drop))?;
    check_state(c.export().map(drop))?;
    // Half-way through, the same.
    c.step(None).map_err(fail)?;
    check!(!c.is_complete());
    check_state(c.unwrap(b"x").map(drop))?;
    check_state(c.verify_mic(b"x", b"y"))?;
    Ok(())
}

pub(crate) fn acceptor_without_token() -> TestResult {
    let mut s = SecurityContext::acceptor(None).build();
    let err = s.step(None).unwrap_err();
    check!(err.is_misuse(), "{err:?}");
    Ok(())
}

pub(crate) fn initiator_without_reply() -> TestResult {
    let target = Name::hostbased_service("host@localhost").map_err(fail)?;
    let mut c = SecurityContext::initiator(&target).flags(flags()).build();
    c.step(None).map_err(fail)?;
    let err = c.step(None).unwrap_err();
    check!(err.is_misuse(), "{err:?}");
    Ok(())
}

pub(crate) fn decrypt_of_signed_only_message() -> TestResult {
    let (mut c, mut s, _) = handshake(None, flags(), None).map_err(fail)?;
    let signed = c.wrap(b"only signed", Protection::Sign).map_err(fail)?;
    let err = s.decrypt(&signed.message).unwrap_err();
    check!(
        matches!(
            err,
            Error::NotEncrypted {
                operation: "decrypt"
            }
        ),
        "{err:?}"
    );
    Ok(())
}

pub(crate) fn mic_from_another_context() -> TestResult {
    let (mut c1, _s1, _) = handshake(None, flags(), None).map_err(fail)?;
    let (_c2, mut s2, _) = handshake(None, flags(), None).map_err(fail)?;
    let mic = c1.get_mic(b"hello").map_err(fail)?;
    let err = s2.verify_mic(b"hello", &mic).unwrap_err();
    if crate::heimdal() {
        // Heimdal checks the sequence number before the signature: the foreign token is
        // refused as out of sequence, unverified (no message).
        check!(
            matches!(err, gssapi::Error::OutOfSequence { message: None, .. }),
            "{err:?}"
        );
    } else {
        check!(err.is(gssapi::ErrorKind::BadMic), "{err:?}");
    }
    Ok(())
}

pub(crate) fn after_export() -> TestResult {
    let (mut c, _s, _) = handshake(None, flags(), None).map_err(fail)?;
    c.export().map_err(fail)?;
    let err = c.encrypt(b"x").unwrap_err();
    check!(
        err.is_misuse() && err.to_string().contains("exported"),
        "{err}"
    );
    let err = c.step(Some(b"x")).unwrap_err();
    check!(err.is_misuse(), "{err:?}");
    Ok(())
}
