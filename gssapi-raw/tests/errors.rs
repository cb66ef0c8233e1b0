//! The error model without a realm: every python-gssapi exception class maps to a Rust test,
//! routine codes decode as numbers, and the library's own messages are captured.

use gssapi_raw::sys::*;
use gssapi_raw::{CallingError, Error, ErrorKind, Origin, RoutineError, Supplementary};

/// (python class, a major status python-gssapi raises it for, its parents by python's MRO).
const TABLE: &[(&str, u32, &[&str])] = &[
    ("GSSError", GSS_S_FAILURE, &[]),
    ("BadChannelBindingsError", GSS_S_BAD_BINDINGS, &[]),
    ("BadMICError", GSS_S_BAD_MIC, &[]),
    ("BadMechanismError", GSS_S_BAD_MECH, &[]),
    ("BadNameError", GSS_S_BAD_NAME, &[]),
    ("BadNameTypeError", GSS_S_BAD_NAMETYPE, &[]),
    ("BadQoPError", GSS_S_BAD_QOP, &[]),
    ("BadStatusError", GSS_S_BAD_STATUS, &[]),
    (
        "ContextReadError",
        GSS_S_CALL_INACCESSIBLE_READ | GSS_S_NO_CONTEXT,
        &["ParameterReadError", "MissingContextError"],
    ),
    (
        "ContextWriteError",
        GSS_S_CALL_INACCESSIBLE_WRITE | GSS_S_NO_CONTEXT,
        &["ParameterWriteError", "MissingContextError"],
    ),
    (
        "CredentialsReadError",
        GSS_S_CALL_INACCESSIBLE_READ | GSS_S_NO_CRED,
        &["ParameterReadError", "MissingCredentialsError"],
    ),
    (
        "CredentialsWriteError",
        GSS_S_CALL_INACCESSIBLE_WRITE | GSS_S_NO_CRED,
        &["ParameterWriteError", "MissingCredentialsError"],
    ),
    (
        "DuplicateCredentialsElementError",
        GSS_S_DUPLICATE_ELEMENT,
        &[],
    ),
    (
        "DuplicateTokenError",
        GSS_S_DUPLICATE_TOKEN,
        &["SupplementaryError"],
    ),
    ("ExpiredContextError", GSS_S_CONTEXT_EXPIRED, &[]),
    ("ExpiredCredentialsError", GSS_S_CREDENTIALS_EXPIRED, &[]),
    (
        "ExpiredTokenError",
        GSS_S_OLD_TOKEN,
        &["SupplementaryError"],
    ),
    ("InvalidCredentialsError", GSS_S_DEFECTIVE_CREDENTIAL, &[]),
    ("InvalidTokenError", GSS_S_DEFECTIVE_TOKEN, &[]),
    ("MalformedParameterError", GSS_S_CALL_BAD_STRUCTURE, &[]),
    ("MechanismNameRequiredError", GSS_S_NAME_NOT_MN, &[]),
    ("MissingContextError", GSS_S_NO_CONTEXT, &[]),
    ("MissingCredentialsError", GSS_S_NO_CRED, &[]),
    (
        "NameReadError",
        GSS_S_CALL_INACCESSIBLE_READ | GSS_S_BAD_NAME,
        &["ParameterReadError", "BadNameError"],
    ),
    (
        "NameTypeReadError",
        GSS_S_CALL_INACCESSIBLE_READ | GSS_S_BAD_NAMETYPE,
        &["ParameterReadError", "BadNameTypeError"],
    ),
    ("OperationUnavailableError", GSS_S_UNAVAILABLE, &[]),
    ("ParameterReadError", GSS_S_CALL_INACCESSIBLE_READ, &[]),
    ("ParameterWriteError", GSS_S_CALL_INACCESSIBLE_WRITE, &[]),
    // python-gssapi has no status of its own for the base class; an unknown supplementary
    // bit gives it.
    ("SupplementaryError", 1 << 7, &[]),
    // Likewise for the base of the two out-of-sequence classes: reached through its children.
    ("TokenOutOfSequenceError", 0, &[]),
    (
        "TokenReadError",
        GSS_S_CALL_INACCESSIBLE_READ | GSS_S_DEFECTIVE_TOKEN,
        &["ParameterReadError", "InvalidTokenError"],
    ),
    (
        "TokenTooEarlyError",
        GSS_S_GAP_TOKEN,
        &["TokenOutOfSequenceError", "SupplementaryError"],
    ),
    (
        "TokenTooLateError",
        GSS_S_UNSEQ_TOKEN,
        &["TokenOutOfSequenceError", "SupplementaryError"],
    ),
    ("UnauthorizedError", GSS_S_UNAUTHORIZED, &[]),
];

fn kind_named(name: &str) -> ErrorKind {
    *ErrorKind::ALL
        .iter()
        .find(|k| k.python_name() == name)
        .unwrap_or_else(|| panic!("no ErrorKind for {name}"))
}

#[test]
fn every_python_exception_class_has_a_kind() {
    assert_eq!(ErrorKind::ALL.len(), TABLE.len());
    for (class, _, _) in TABLE {
        kind_named(class);
    }
}

#[test]
fn each_status_maps_to_its_python_class_and_parents() {
    for (class, major, parents) in TABLE {
        if *major == 0 {
            continue;
        }
        let err = Error::from_status("test", *major, 0);
        let kind = kind_named(class);
        assert_eq!(err.kind(), kind, "{class} for major {major:#x}");
        assert!(err.is(kind), "{class}: is(self)");
        assert!(err.is(ErrorKind::GssError), "{class}: is(GSSError)");
        for parent in *parents {
            assert!(err.is(kind_named(parent)), "{class} should be a {parent}");
        }
        // And nothing unrelated: no class outside its own ancestry answers true.
        for other in ErrorKind::ALL {
            let related = *other == kind
                || *other == ErrorKind::GssError
                || parents.iter().any(|p| kind_named(p) == *other);
            assert_eq!(err.is(*other), related, "{class} is({other})");
        }
    }
}

#[test]
fn token_out_of_sequence_is_the_base_of_too_early_and_too_late() {
    for major in [GSS_S_GAP_TOKEN, GSS_S_UNSEQ_TOKEN] {
        assert!(Error::from_status("t", major, 0).is(ErrorKind::TokenOutOfSequence));
    }
    assert!(!Error::from_status("t", GSS_S_DUPLICATE_TOKEN, 0).is(ErrorKind::TokenOutOfSequence));
}

#[test]
fn routine_codes_are_numbers_not_flags() {
    // BAD_NAMETYPE (3) has the bits of BAD_MECH (1) and BAD_NAME (2): a flag test would lie.
    let err = Error::from_status("t", GSS_S_BAD_NAMETYPE, 0);
    assert_eq!(err.routine(), Some(RoutineError::BadNameType));
    assert!(!err.is(ErrorKind::BadMechanism));
    assert!(!err.is(ErrorKind::BadName));
    for code in 1..=19u8 {
        let major = u32::from(code) << GSS_C_ROUTINE_ERROR_OFFSET;
        let routine = Error::from_status("t", major, 0).routine().unwrap();
        assert_eq!(u8::from(routine), code);
        assert!(!matches!(routine, RoutineError::Other(_)), "code {code}");
    }
    let unknown = Error::from_status("t", 200 << GSS_C_ROUTINE_ERROR_OFFSET, 0);
    assert_eq!(unknown.routine(), Some(RoutineError::Other(200)));
    assert_eq!(unknown.kind(), ErrorKind::GssError);
}

#[test]
fn calling_and_supplementary_views() {
    let major =
        GSS_S_CALL_BAD_STRUCTURE | GSS_S_DEFECTIVE_TOKEN | GSS_S_GAP_TOKEN | GSS_S_OLD_TOKEN;
    let err = Error::from_status("t", major, 0);
    assert_eq!(err.calling(), Some(CallingError::BadStructure));
    assert_eq!(err.routine(), Some(RoutineError::DefectiveToken));
    assert_eq!(
        err.supplementary(),
        Supplementary::GAP_TOKEN | Supplementary::OLD_TOKEN
    );
    assert!(err.supplementary().has_sequence_problem());
    // Supplementary bits under a routine error still answer is().
    assert!(err.is(ErrorKind::TokenTooEarly));
    assert!(err.is(ErrorKind::ExpiredToken));
    assert_eq!(err.major(), major);
    assert_eq!(Error::from_status("t", GSS_S_FAILURE, 0).calling(), None);
}

#[test]
fn messages_are_captured_from_the_library() {
    let err = Error::from_status("gss_test", GSS_S_BAD_NAME, 0);
    assert_eq!(err.origin(), Origin::Library);
    assert_eq!(err.function(), "gss_test");
    assert!(!err.major_messages().is_empty());
    assert!(err.minor_messages().is_empty());
    let text = err.to_string();
    assert!(text.starts_with("gss_test: "), "{text}");
    assert!(text.contains("0x00020000"), "{text}");
    assert!(err.token().is_none());
    // A combined status describes every part (MIT gives one line each, Heimdal one line).
    let lines =
        gssapi_raw::display_status(GSS_S_BAD_NAME | GSS_S_CALL_INACCESSIBLE_READ, true, None)
            .unwrap();
    let all = lines.join(" ").to_lowercase();
    assert!(all.contains("read") && all.contains("name"), "{lines:?}");
}

#[test]
fn errors_caught_before_a_call_show_no_library_status() {
    // A text name with a NUL: refused by gssapi-raw, classified as the library would have.
    let err = gssapi_raw::name::import_name(b"a\0b", None).unwrap_err();
    assert_eq!(err.origin(), Origin::Input);
    assert_eq!(err.major(), 0, "no library status was returned");
    assert_eq!(err.routine(), Some(RoutineError::BadName));
    assert!(err.is(ErrorKind::BadName));
    let text = err.to_string();
    assert!(
        text.ends_with("(refused before calling the library)"),
        "{text}"
    );
    assert!(!text.contains("major"), "{text}");
    // Clone keeps everything.
    let copy = err.clone();
    assert_eq!(copy.to_string(), text);
    assert_eq!(copy.routine(), err.routine());
}

#[test]
fn display_drops_the_filler_and_leads_with_the_reason() {
    let err = Error::from_status("gss_test", GSS_S_FAILURE, 0);
    let text = err.to_string();
    assert!(!text.contains("Minor code may provide"), "{text}");
    assert!(
        text.starts_with("gss_test: ") && text.ends_with("(major 0x000d0000)"),
        "{text}"
    );
}

#[test]
fn missing_function_errors_are_operation_unavailable() {
    let err = Error::missing_function("gss_frobnicate");
    assert_eq!(err.origin(), Origin::MissingFunction);
    assert!(err.is_unavailable_in_library());
    assert_eq!(err.kind(), ErrorKind::OperationUnavailable);
    assert!(err.to_string().contains("gss_frobnicate is not available"));
}

#[test]
fn errors_are_send_sync_and_small() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error>();
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
}

/// A `dlopen` build where no library can be loaded: this binary again, in a child whose
/// `GSSAPI_SYS_LIBRARY` names nothing (the choice is made once per process).
#[cfg(gss_runtime)]
#[test]
fn without_a_library_every_call_is_a_typed_no_library_error() {
    if std::env::var_os("ERRORS_TEST_CHILD").is_some() {
        use gssapi_raw::{ext, name, name_type};
        let err = name::import_name(b"host@example.com", Some(&name_type::HOSTBASED_SERVICE))
            .unwrap_err();
        assert_eq!(err.origin(), Origin::NoLibrary);
        assert!(err.is_no_library() && !err.is_unavailable_in_library());
        assert_eq!(err.kind(), ErrorKind::OperationUnavailable);
        assert_eq!(err.function(), "gss_import_name");
        // An extension says the same, not "missing function".
        let err = ext::rfc5801::inquire_mech_for_saslname(b"GS2-KRB5").unwrap_err();
        assert!(err.is_no_library(), "{err}");
        assert_eq!(err.function(), "gss_inquire_mech_for_saslname");
        assert!(ext::supported_extensions().is_empty());
        println!("CHILD: {}", name::import_name(b"x", None).unwrap_err());
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "without_a_library_every_call_is_a_typed_no_library_error",
            "--exact",
            "--nocapture",
        ])
        .env("ERRORS_TEST_CHILD", "1")
        .env("GSSAPI_SYS_LIBRARY", "/nonexistent/libgssapi.so.3")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(
            "CHILD: gss_import_name: no GSSAPI library could be loaded \
                       (GSSAPI_SYS_LIBRARY=/nonexistent/libgssapi.so.3); tried: \
                       /nonexistent/libgssapi.so.3: "
        ),
        "{text}"
    );
}
