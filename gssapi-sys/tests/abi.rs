//! Checks the hand-written constants, the OID bytes and the struct layouts of this crate against
//! the C compiler's view of the installed headers (the idea of the systest/ctest crates).
//!
//! A small C program is generated, compiled and linked against the same library the crate was
//! built with, and its output compared with the Rust values. It runs for MIT and for Heimdal.

use gssapi_sys::*;
use std::collections::BTreeMap;
use std::mem::{offset_of, size_of};
use std::process::Command;

const HEIMDAL: bool = matches!(IMPLEMENTATION.as_bytes(), b"heimdal");

/// (name, Rust value). The C side prints the macro's value where the header defines it.
fn constants() -> Vec<(&'static str, u64)> {
    macro_rules! consts {
        ($($name:ident),* $(,)?) => { vec![$((stringify!($name), $name as u64)),*] };
    }
    consts![
        GSS_C_DELEG_FLAG,
        GSS_C_MUTUAL_FLAG,
        GSS_C_REPLAY_FLAG,
        GSS_C_SEQUENCE_FLAG,
        GSS_C_CONF_FLAG,
        GSS_C_INTEG_FLAG,
        GSS_C_ANON_FLAG,
        GSS_C_PROT_READY_FLAG,
        GSS_C_TRANS_FLAG,
        GSS_C_CHANNEL_BOUND_FLAG,
        GSS_C_DCE_STYLE,
        GSS_C_IDENTIFY_FLAG,
        GSS_C_EXTENDED_ERROR_FLAG,
        GSS_C_DELEG_POLICY_FLAG,
        GSS_C_BOTH,
        GSS_C_INITIATE,
        GSS_C_ACCEPT,
        GSS_C_GSS_CODE,
        GSS_C_MECH_CODE,
        GSS_C_AF_UNSPEC,
        GSS_C_AF_LOCAL,
        GSS_C_AF_INET,
        GSS_C_AF_IMPLINK,
        GSS_C_AF_PUP,
        GSS_C_AF_CHAOS,
        GSS_C_AF_NS,
        GSS_C_AF_NBS,
        GSS_C_AF_ECMA,
        GSS_C_AF_DATAKIT,
        GSS_C_AF_CCITT,
        GSS_C_AF_SNA,
        GSS_C_AF_DECnet,
        GSS_C_AF_DLI,
        GSS_C_AF_LAT,
        GSS_C_AF_HYLINK,
        GSS_C_AF_APPLETALK,
        GSS_C_AF_BSC,
        GSS_C_AF_DSS,
        GSS_C_AF_OSI,
        GSS_C_AF_NETBIOS,
        GSS_C_AF_X25,
        GSS_C_AF_NULLADDR,
        GSS_C_QOP_DEFAULT,
        GSS_C_INDEFINITE,
        GSS_C_CALLING_ERROR_OFFSET,
        GSS_C_ROUTINE_ERROR_OFFSET,
        GSS_C_SUPPLEMENTARY_OFFSET,
        GSS_C_CALLING_ERROR_MASK,
        GSS_C_ROUTINE_ERROR_MASK,
        GSS_C_SUPPLEMENTARY_MASK,
        GSS_S_COMPLETE,
        GSS_S_CALL_INACCESSIBLE_READ,
        GSS_S_CALL_INACCESSIBLE_WRITE,
        GSS_S_CALL_BAD_STRUCTURE,
        GSS_S_BAD_MECH,
        GSS_S_BAD_NAME,
        GSS_S_BAD_NAMETYPE,
        GSS_S_BAD_BINDINGS,
        GSS_S_BAD_STATUS,
        GSS_S_BAD_SIG,
        GSS_S_BAD_MIC,
        GSS_S_NO_CRED,
        GSS_S_NO_CONTEXT,
        GSS_S_DEFECTIVE_TOKEN,
        GSS_S_DEFECTIVE_CREDENTIAL,
        GSS_S_CREDENTIALS_EXPIRED,
        GSS_S_CONTEXT_EXPIRED,
        GSS_S_FAILURE,
        GSS_S_BAD_QOP,
        GSS_S_UNAUTHORIZED,
        GSS_S_UNAVAILABLE,
        GSS_S_DUPLICATE_ELEMENT,
        GSS_S_NAME_NOT_MN,
        GSS_S_BAD_MECH_ATTR,
        GSS_S_CONTINUE_NEEDED,
        GSS_S_DUPLICATE_TOKEN,
        GSS_S_OLD_TOKEN,
        GSS_S_UNSEQ_TOKEN,
        GSS_S_GAP_TOKEN,
        GSS_C_PRF_KEY_FULL,
        GSS_C_PRF_KEY_PARTIAL,
        GSS_IOV_BUFFER_TYPE_EMPTY,
        GSS_IOV_BUFFER_TYPE_DATA,
        GSS_IOV_BUFFER_TYPE_HEADER,
        GSS_IOV_BUFFER_TYPE_MECH_PARAMS,
        GSS_IOV_BUFFER_TYPE_TRAILER,
        GSS_IOV_BUFFER_TYPE_PADDING,
        GSS_IOV_BUFFER_TYPE_STREAM,
        GSS_IOV_BUFFER_TYPE_SIGN_ONLY,
        GSS_IOV_BUFFER_TYPE_MIC_TOKEN,
        GSS_IOV_BUFFER_FLAG_MASK,
        GSS_IOV_BUFFER_FLAG_ALLOCATE,
        GSS_IOV_BUFFER_FLAG_ALLOCATED,
    ]
}

/// (Rust name in `oids`, C expression in MIT's headers, C expression in Heimdal's headers).
const OID_EXPRS: &[(&str, Option<&str>, Option<&str>)] = &[
    (
        "GSS_C_NT_USER_NAME",
        Some("GSS_C_NT_USER_NAME"),
        Some("GSS_C_NT_USER_NAME"),
    ),
    (
        "GSS_C_NT_MACHINE_UID_NAME",
        Some("GSS_C_NT_MACHINE_UID_NAME"),
        Some("GSS_C_NT_MACHINE_UID_NAME"),
    ),
    (
        "GSS_C_NT_STRING_UID_NAME",
        Some("GSS_C_NT_STRING_UID_NAME"),
        Some("GSS_C_NT_STRING_UID_NAME"),
    ),
    (
        "GSS_C_NT_HOSTBASED_SERVICE",
        Some("GSS_C_NT_HOSTBASED_SERVICE"),
        Some("GSS_C_NT_HOSTBASED_SERVICE"),
    ),
    (
        "GSS_C_NT_HOSTBASED_SERVICE_X",
        Some("GSS_C_NT_HOSTBASED_SERVICE_X"),
        Some("GSS_C_NT_HOSTBASED_SERVICE_X"),
    ),
    (
        "GSS_C_NT_ANONYMOUS",
        Some("GSS_C_NT_ANONYMOUS"),
        Some("GSS_C_NT_ANONYMOUS"),
    ),
    (
        "GSS_C_NT_EXPORT_NAME",
        Some("GSS_C_NT_EXPORT_NAME"),
        Some("GSS_C_NT_EXPORT_NAME"),
    ),
    (
        "GSS_C_NT_COMPOSITE_EXPORT",
        Some("GSS_C_NT_COMPOSITE_EXPORT"),
        Some("GSS_C_NT_COMPOSITE_EXPORT"),
    ),
    (
        "GSS_KRB5_NT_PRINCIPAL_NAME",
        Some("GSS_KRB5_NT_PRINCIPAL_NAME"),
        Some("GSS_KRB5_NT_PRINCIPAL_NAME"),
    ),
    (
        "GSS_KRB5_NT_ENTERPRISE_NAME",
        Some("GSS_KRB5_NT_ENTERPRISE_NAME"),
        Some("GSS_KRB5_NT_ENTERPRISE_NAME"),
    ),
    (
        "GSS_KRB5_NT_X509_CERT",
        Some("GSS_KRB5_NT_X509_CERT"),
        Some("GSS_KRB5_NT_X509_CERT"),
    ),
    (
        "GSS_MECH_KRB5",
        Some("gss_mech_krb5"),
        Some("GSS_KRB5_MECHANISM"),
    ),
    ("GSS_MECH_KRB5_OLD", Some("gss_mech_krb5_old"), None),
    ("GSS_MECH_KRB5_WRONG", Some("gss_mech_krb5_wrong"), None),
    ("GSS_MECH_IAKERB", Some("gss_mech_iakerb"), None),
    ("GSS_MECH_SPNEGO", None, Some("GSS_SPNEGO_MECHANISM")),
    (
        "GSS_C_INQ_SSPI_SESSION_KEY",
        Some("GSS_C_INQ_SSPI_SESSION_KEY"),
        None,
    ),
    ("GSS_C_INQ_NEGOEX_KEY", Some("GSS_C_INQ_NEGOEX_KEY"), None),
    (
        "GSS_C_INQ_NEGOEX_VERIFY_KEY",
        Some("GSS_C_INQ_NEGOEX_VERIFY_KEY"),
        None,
    ),
    (
        "GSS_KRB5_GET_CRED_IMPERSONATOR",
        Some("GSS_KRB5_GET_CRED_IMPERSONATOR"),
        None,
    ),
    (
        "GSS_KRB5_CRED_NO_CI_FLAGS_X",
        Some("GSS_KRB5_CRED_NO_CI_FLAGS_X"),
        Some("GSS_KRB5_CRED_NO_CI_FLAGS_X"),
    ),
    (
        "GSS_C_SEC_CONTEXT_SASL_SSF",
        Some("GSS_C_SEC_CONTEXT_SASL_SSF"),
        None,
    ),
];

/// A C type, its Rust size, and its fields with their Rust offsets.
type Layout = (&'static str, usize, Vec<(&'static str, usize)>);

fn layouts() -> Vec<Layout> {
    let mut v = vec![
        (
            "gss_OID_desc",
            size_of::<gss_OID_desc>(),
            vec![
                ("length", offset_of!(gss_OID_desc, length)),
                ("elements", offset_of!(gss_OID_desc, elements)),
            ],
        ),
        (
            "gss_OID_set_desc",
            size_of::<gss_OID_set_desc>(),
            vec![
                ("count", offset_of!(gss_OID_set_desc, count)),
                ("elements", offset_of!(gss_OID_set_desc, elements)),
            ],
        ),
        (
            "gss_buffer_desc",
            size_of::<gss_buffer_desc>(),
            vec![
                ("length", offset_of!(gss_buffer_desc, length)),
                ("value", offset_of!(gss_buffer_desc, value)),
            ],
        ),
        (
            "struct gss_channel_bindings_struct",
            size_of::<gss_channel_bindings_struct>(),
            vec![
                (
                    "initiator_addrtype",
                    offset_of!(gss_channel_bindings_struct, initiator_addrtype),
                ),
                (
                    "initiator_address",
                    offset_of!(gss_channel_bindings_struct, initiator_address),
                ),
                (
                    "acceptor_addrtype",
                    offset_of!(gss_channel_bindings_struct, acceptor_addrtype),
                ),
                (
                    "acceptor_address",
                    offset_of!(gss_channel_bindings_struct, acceptor_address),
                ),
                (
                    "application_data",
                    offset_of!(gss_channel_bindings_struct, application_data),
                ),
            ],
        ),
        (
            "gss_iov_buffer_desc",
            size_of::<gss_iov_buffer_desc>(),
            vec![
                ("type", offset_of!(gss_iov_buffer_desc, type_)),
                ("buffer", offset_of!(gss_iov_buffer_desc, buffer)),
            ],
        ),
        (
            "gss_buffer_set_desc",
            size_of::<gss_buffer_set_desc>(),
            vec![
                ("count", offset_of!(gss_buffer_set_desc, count)),
                ("elements", offset_of!(gss_buffer_set_desc, elements)),
            ],
        ),
        (
            "gss_krb5_lucid_key_t",
            size_of::<gss_krb5_lucid_key_t>(),
            vec![
                ("type", offset_of!(gss_krb5_lucid_key_t, type_)),
                ("length", offset_of!(gss_krb5_lucid_key_t, length)),
                ("data", offset_of!(gss_krb5_lucid_key_t, data)),
            ],
        ),
        (
            "gss_krb5_lucid_context_v1_t",
            size_of::<gss_krb5_lucid_context_v1_t>(),
            vec![
                ("version", offset_of!(gss_krb5_lucid_context_v1_t, version)),
                (
                    "initiate",
                    offset_of!(gss_krb5_lucid_context_v1_t, initiate),
                ),
                ("endtime", offset_of!(gss_krb5_lucid_context_v1_t, endtime)),
                (
                    "send_seq",
                    offset_of!(gss_krb5_lucid_context_v1_t, send_seq),
                ),
                (
                    "recv_seq",
                    offset_of!(gss_krb5_lucid_context_v1_t, recv_seq),
                ),
                (
                    "protocol",
                    offset_of!(gss_krb5_lucid_context_v1_t, protocol),
                ),
                (
                    "rfc1964_kd",
                    offset_of!(gss_krb5_lucid_context_v1_t, rfc1964_kd),
                ),
                ("cfx_kd", offset_of!(gss_krb5_lucid_context_v1_t, cfx_kd)),
            ],
        ),
    ];
    if !HEIMDAL {
        v.push((
            "gss_key_value_element_desc",
            size_of::<gss_key_value_element_desc>(),
            vec![
                ("key", offset_of!(gss_key_value_element_desc, key)),
                ("value", offset_of!(gss_key_value_element_desc, value)),
            ],
        ));
        v.push((
            "gss_key_value_set_desc",
            size_of::<gss_key_value_set_desc>(),
            vec![
                ("count", offset_of!(gss_key_value_set_desc, count)),
                ("elements", offset_of!(gss_key_value_set_desc, elements)),
            ],
        ));
    }
    v
}

fn c_program() -> String {
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <gssapi/gssapi.h>\n#include <gssapi/gssapi_krb5.h>\n",
    );
    if HEIMDAL {
        c.push_str("#include <gssapi/gssapi_oid.h>\n#include <gssapi/gssapi_spnego.h>\n");
    } else {
        c.push_str("#include <gssapi/gssapi_ext.h>\n");
    }
    c.push_str(
        "static void oid(const char *n, gss_OID o) {\n  size_t i; printf(\"OID %s \", n);\n  for (i = 0; i < o->length; i++) printf(\"%02x\", ((unsigned char *)o->elements)[i]);\n  printf(\"\\n\");\n}\nint main(void) {\n",
    );
    for (name, _) in constants() {
        c.push_str(&format!(
            "#ifdef {name}\n  printf(\"CONST {name} %llu\\n\", (unsigned long long)({name}));\n#endif\n"
        ));
    }
    // RFC 5587 attributes have the same names in both libraries.
    let attrs = oids::ALL
        .iter()
        .filter(|(n, _, _)| n.starts_with("GSS_C_MA_"))
        .map(|(n, _, _)| (*n, Some(*n), Some(*n)));
    for (rust, mit, heimdal) in OID_EXPRS.iter().copied().chain(attrs) {
        let expr = if HEIMDAL { heimdal } else { mit };
        match expr {
            // Heimdal's OIDs are macros: print the ones this version defines.
            Some(expr) if HEIMDAL => c.push_str(&format!(
                "#ifdef {expr}\n  oid(\"{rust}\", {expr});\n#endif\n"
            )),
            Some(expr) => c.push_str(&format!("  oid(\"{rust}\", {expr});\n")),
            None => {}
        }
    }
    for (ty, _, fields) in layouts() {
        c.push_str(&format!("  printf(\"SIZE {ty} %zu\\n\", sizeof({ty}));\n"));
        for (field, _) in fields {
            c.push_str(&format!(
                "  printf(\"OFFSET {ty}.{field} %zu\\n\", offsetof({ty}, {field}));\n"
            ));
        }
    }
    c.push_str("  return 0;\n}\n");
    c
}

#[test]
fn constants_oids_and_layouts_match_the_c_headers() {
    let dir = std::env::temp_dir().join(format!("gssapi-sys-abi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("abi.c");
    let exe = dir.join("abi");
    std::fs::write(&src, c_program()).unwrap();

    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut cmd = Command::new(cc);
    cmd.arg(&src).arg("-o").arg(&exe);
    for inc in env!("GSSAPI_SYS_INCLUDE_DIRS")
        .split('\x1f')
        .filter(|s| !s.is_empty())
    {
        cmd.arg(format!("-I{inc}"));
    }
    cmd.args(
        env!("GSSAPI_SYS_LINK_ARGS")
            .split('\x1f')
            .filter(|s| !s.is_empty()),
    );
    let out = cmd.output().expect("run the C compiler");
    assert!(
        out.status.success(),
        "C probe failed to build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("run the C probe");
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let c: BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| {
            let (key, value) = l.rsplit_once(' ')?;
            Some((key.to_string(), value.to_string()))
        })
        .collect();

    let mut checked = 0;
    let mut mismatches = Vec::new();
    for (name, value) in constants() {
        if let Some(cv) = c.get(&format!("CONST {name}")) {
            checked += 1;
            if cv.parse::<u64>().ok() != Some(value) {
                mismatches.push(format!("{name}: C {cv}, Rust {value}"));
            }
        }
    }
    for (name, dotted, bytes) in oids::ALL {
        if let Some(hex) = c.get(&format!("OID {name}")) {
            checked += 1;
            let ours: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            if *hex != ours {
                mismatches.push(format!("OID {name} ({dotted}): C {hex}, Rust {ours}"));
            }
        }
    }
    for (ty, size, fields) in layouts() {
        checked += 1;
        if c.get(&format!("SIZE {ty}")).and_then(|s| s.parse().ok()) != Some(size) {
            mismatches.push(format!(
                "sizeof({ty}): C {:?}, Rust {size}",
                c.get(&format!("SIZE {ty}"))
            ));
        }
        for (field, off) in fields {
            checked += 1;
            let key = format!("OFFSET {ty}.{field}");
            if c.get(&key).and_then(|s| s.parse().ok()) != Some(off) {
                mismatches.push(format!(
                    "offsetof({ty}, {field}): C {:?}, Rust {off}",
                    c.get(&key)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "ABI mismatches:\n{}",
        mismatches.join("\n")
    );
    // Most constants are macros in both libraries; make sure the probe really saw them.
    assert!(checked > 100, "only {checked} values were compared");
    eprintln!("{IMPLEMENTATION}: {checked} constants, OIDs and layout facts match the C headers");
}

#[test]
fn available_extensions_are_known_and_consistent() {
    for name in AVAILABLE_EXTENSIONS {
        assert!(
            EXTENSIONS.iter().any(|e| e.name == *name),
            "unknown extension {name}"
        );
        assert!(has_extension(name));
    }
    assert!(!has_extension("no-such-extension"));
    // Both libraries have these.
    for always in ["rfc5588", "rfc6680", "dce", "krb5"] {
        assert!(
            has_extension(always),
            "{always} missing from {AVAILABLE_EXTENSIONS:?}"
        );
    }
    if HEIMDAL {
        assert!(!has_extension("cred_store"));
    } else {
        assert!(has_extension("cred_store"));
    }
}

#[test]
fn status_macros() {
    let major = GSS_S_BAD_NAMETYPE | GSS_S_CALL_BAD_STRUCTURE | GSS_S_DUPLICATE_TOKEN;
    assert_eq!(GSS_ROUTINE_ERROR(major), GSS_S_BAD_NAMETYPE);
    assert_eq!(GSS_CALLING_ERROR(major), GSS_S_CALL_BAD_STRUCTURE);
    assert_eq!(GSS_SUPPLEMENTARY_INFO(major), GSS_S_DUPLICATE_TOKEN);
    assert!(GSS_ERROR(major));
    assert!(!GSS_ERROR(GSS_S_CONTINUE_NEEDED));
    let t = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    assert_eq!(GSS_IOV_BUFFER_TYPE(t), GSS_IOV_BUFFER_TYPE_HEADER);
    assert_eq!(GSS_IOV_BUFFER_FLAGS(t), GSS_IOV_BUFFER_FLAG_ALLOCATE);
}
