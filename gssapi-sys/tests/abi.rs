//! Checks the hand-written constants, the OID bytes and the struct layouts of this crate against
//! the C compiler's view of the installed headers (the idea of the systest/ctest crates).
//!
//! A small C program is generated, compiled and linked against the same library the crate was
//! built with, and its output compared with the Rust values. It runs for MIT and for Heimdal.

// A `dlopen` build has no headers to compare with (it is built where none can be found); the
// declarations its wrappers are generated from are the ones checked here in the linked builds.
#![cfg(not(feature = "dlopen"))]

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

/// The `#include`s that declare everything this crate binds, for the library it was built for.
fn c_headers() -> String {
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <gssapi/gssapi.h>\n#include <gssapi/gssapi_krb5.h>\n",
    );
    if HEIMDAL {
        // Heimdal's gssapi_krb5.h only forward-declares the krb5 handle structs.
        c.push_str(
            "#include <gssapi/gssapi_oid.h>\n#include <gssapi/gssapi_spnego.h>\n#include <krb5.h>\n",
        );
    } else {
        c.push_str("#include <gssapi/gssapi_ext.h>\n");
    }
    c
}

/// The C compiler (`$CC`, else `cc`) with the include directories the build script found.
fn c_compiler() -> Command {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut cmd = Command::new(cc);
    for inc in env!("GSSAPI_SYS_INCLUDE_DIRS")
        .split('\x1f')
        .filter(|s| !s.is_empty())
    {
        cmd.arg(format!("-I{inc}"));
    }
    cmd
}

fn c_program() -> String {
    let mut c = c_headers();
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

    let mut cmd = c_compiler();
    cmd.arg(&src).arg("-o").arg(&exe);
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
    std::fs::remove_dir_all(&dir).expect("remove the probe's temporary directory");

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
    // What the documentation says of each extension is what this library's probes find.
    for ext in EXTENSIONS {
        let heimdal_has = ext.libraries == "MIT krb5 and Heimdal";
        assert!(
            heimdal_has || ext.libraries == "MIT krb5 (not Heimdal 7.8)",
            "{}: {}",
            ext.name,
            ext.libraries
        );
        let expected = if HEIMDAL { heimdal_has } else { true };
        assert_eq!(has_extension(ext.name), expected, "{}", ext.name);
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

// ---------------------------------------------------------------------------------------------
// Function prototypes: every `extern "C"` declaration of the crate against the C headers.
// ---------------------------------------------------------------------------------------------

/// The Rust sources whose `extern "C"` blocks this build compiles: the bindgen output, the
/// per-implementation declarations (`src/per_impl/<impl>.rs`) and the libkrb5 ccache calls
/// (`src/krb5_ccache.rs`).
fn declaration_sources() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    #[cfg(not(feature = "bindgen"))]
    let generated = root.join("src/generated");
    #[cfg(feature = "bindgen")]
    let generated = std::path::PathBuf::from(env!("OUT_DIR"));
    let mut files: Vec<_> = ["gssapi.rs", "gssapi_ext.rs", "gssapi_krb5.rs"]
        .iter()
        .map(|f| generated.join(f))
        .collect();
    files.push(root.join(format!("src/per_impl/{IMPLEMENTATION}.rs")));
    files.push(root.join("src/krb5_ccache.rs"));
    files
}

/// One bound function: its C name and its Rust return and argument types.
struct Prototype {
    name: String,
    ret: Option<syn::Type>,
    args: Vec<syn::Type>,
    variadic: bool,
}

/// What the sources declare: the functions, and the type names they may use (aliases and
/// structs), with whether each is a struct (spelled `struct X` in C).
#[derive(Default)]
struct Declarations {
    functions: Vec<Prototype>,
    types: BTreeMap<String, bool>,
    /// `type X = Y;` items, checked against the C typedefs of the same name: the prototypes are
    /// compared through typedef names, so those must mean the same on both sides.
    aliases: Vec<(String, syn::Type)>,
    /// Structs with only private zero-sized fields: handles whose tag differs between the
    /// libraries (`gss_name_struct` in MIT, `gss_name_t_desc_struct` in Heimdal).
    opaque: std::collections::BTreeSet<String>,
}

impl Declarations {
    fn read(&mut self, path: &std::path::Path) {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let file =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
        self.items(&file.items, path, false);
    }

    fn items(&mut self, items: &[syn::Item], path: &std::path::Path, under_cfg: bool) {
        for item in items {
            let (attrs, declares): (&[syn::Attribute], bool) = match item {
                syn::Item::ForeignMod(m) => (&m.attrs, true),
                syn::Item::Type(t) => (&t.attrs, true),
                syn::Item::Struct(s) => (&s.attrs, true),
                syn::Item::Mod(m) => (&m.attrs, false),
                _ => (&[], false),
            };
            let cfg = under_cfg || attrs.iter().any(|a| a.path().is_ident("cfg"));
            // A cfg'd declaration would need a cfg evaluator to know whether this build has it:
            // the per-implementation split is by file instead, so refuse rather than guess.
            assert!(
                !(cfg && declares),
                "{}: #[cfg] on a declaration; split per implementation by file instead",
                path.display()
            );
            match item {
                syn::Item::ForeignMod(m) => {
                    let abi = m.abi.name.as_ref().map(|n| n.value());
                    assert_eq!(
                        abi.as_deref(),
                        Some("C"),
                        "{}: extern block not \"C\"",
                        path.display()
                    );
                    for f in &m.items {
                        match f {
                            syn::ForeignItem::Fn(f) => self.functions.push(prototype(f, path)),
                            other => panic!(
                                "{}: unsupported foreign item {}",
                                path.display(),
                                quote_of(other)
                            ),
                        }
                    }
                }
                syn::Item::Type(t) => {
                    self.types.insert(t.ident.to_string(), false);
                    self.aliases.push((t.ident.to_string(), (*t.ty).clone()));
                }
                syn::Item::Struct(s) => {
                    self.types.insert(s.ident.to_string(), true);
                    if s.fields.iter().all(|f| {
                        f.ident
                            .as_ref()
                            .is_some_and(|i| i.to_string().starts_with('_'))
                    }) {
                        self.opaque.insert(s.ident.to_string());
                    }
                }
                // lib.rs's `opaque!(a, b)` declares handle structs.
                syn::Item::Macro(m) if m.mac.path.is_ident("opaque") => {
                    let names = m
                        .mac
                        .parse_body_with(
                            syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated,
                        )
                        .unwrap_or_else(|e| panic!("{}: opaque!: {e}", path.display()));
                    for name in names {
                        self.types.insert(name.to_string(), true);
                        self.opaque.insert(name.to_string());
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.items(items, path, cfg);
                    }
                }
                _ => {}
            }
        }
    }
}

fn quote_of(t: &impl quote::ToTokens) -> String {
    t.to_token_stream().to_string()
}

fn prototype(f: &syn::ForeignItemFn, path: &std::path::Path) -> Prototype {
    let mut name = f.sig.ident.to_string();
    for attr in &f.attrs {
        if attr.path().is_ident("link_name")
            && let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            name = s.value().trim_start_matches('\u{1}').to_string();
        }
    }
    let args = f
        .sig
        .inputs
        .iter()
        .map(|a| match a {
            syn::FnArg::Typed(t) => (*t.ty).clone(),
            syn::FnArg::Receiver(_) => panic!("{}: {name} takes self", path.display()),
        })
        .collect();
    let ret = match &f.sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, t) => Some((**t).clone()),
    };
    Prototype {
        name,
        ret,
        args,
        variadic: f.sig.variadic.is_some(),
    }
}

/// The C spelling of a Rust FFI type, as a type name usable in a cast or a parameter list.
/// A type this does not know is an error: it would otherwise be a prototype nobody checked.
fn c_type(ty: &syn::Type, types: &BTreeMap<String, bool>) -> Result<String, String> {
    match ty {
        syn::Type::Ptr(p) => {
            let inner = c_type(&p.elem, types)?;
            // Postfix `const` composes: `*mut *const c_char` is `char const * *`.
            Ok(if p.const_token.is_some() {
                format!("{inner} const *")
            } else {
                format!("{inner} *")
            })
        }
        syn::Type::Paren(p) => c_type(&p.elem, types),
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last().ok_or("empty path")?;
            let name = last.ident.to_string();
            if !last.arguments.is_none() {
                // Option<unsafe extern "C" fn(..)>, the nullable function pointer.
                if name == "Option"
                    && let syn::PathArguments::AngleBracketed(a) = &last.arguments
                    && let Some(syn::GenericArgument::Type(syn::Type::BareFn(f))) = a.args.first()
                {
                    return c_fn_pointer(f, types);
                }
                return Err(format!("generic type {}", quote_of(ty)));
            }
            let prim = match name.as_str() {
                "c_void" => "void",
                "c_char" => "char",
                "c_schar" => "signed char",
                "c_uchar" => "unsigned char",
                "c_short" => "short",
                "c_ushort" => "unsigned short",
                "c_int" => "int",
                "c_uint" => "unsigned int",
                "c_long" => "long",
                "c_ulong" => "unsigned long",
                "c_longlong" => "long long",
                "c_ulonglong" => "unsigned long long",
                "c_float" => "float",
                "c_double" => "double",
                "i8" => "int8_t",
                "u8" => "uint8_t",
                "i16" => "int16_t",
                "u16" => "uint16_t",
                "i32" => "int32_t",
                "u32" => "uint32_t",
                "i64" => "int64_t",
                "u64" => "uint64_t",
                "usize" => "size_t",
                "isize" => "ptrdiff_t",
                _ => "",
            };
            let ffi_path = p.path.segments.len() == 1
                || p.path
                    .segments
                    .iter()
                    .any(|s| s.ident == "ffi" || s.ident == "std" || s.ident == "core");
            if !prim.is_empty() && ffi_path {
                return Ok(prim.to_string());
            }
            if p.path.segments.len() == 1
                || p.path.segments.first().is_some_and(|s| s.ident == "crate")
            {
                // Our own typedefs and structs carry the C name.
                return match types.get(&name) {
                    Some(true) => Ok(format!("struct {name}")),
                    Some(false) => Ok(name),
                    None => Err(format!("unknown type {name}")),
                };
            }
            Err(format!("unknown type path {}", quote_of(ty)))
        }
        syn::Type::BareFn(f) => Err(format!("non-nullable function pointer {}", quote_of(f))),
        other => Err(format!("unsupported type {}", quote_of(other))),
    }
}

fn c_fn_pointer(f: &syn::TypeBareFn, types: &BTreeMap<String, bool>) -> Result<String, String> {
    let abi = f
        .abi
        .as_ref()
        .and_then(|a| a.name.as_ref())
        .map(|n| n.value());
    if abi.as_deref() != Some("C") {
        return Err(format!(
            "function pointer without extern \"C\": {}",
            quote_of(f)
        ));
    }
    let ret = match &f.output {
        syn::ReturnType::Default => "void".to_string(),
        syn::ReturnType::Type(_, t) => c_type(t, types)?,
    };
    let args: Vec<String> = f
        .inputs
        .iter()
        .map(|a| c_type(&a.ty, types))
        .collect::<Result<_, _>>()?;
    let args = c_params(args, f.variadic.is_some());
    Ok(format!("__typeof__({ret} (*)({args}))"))
}

fn c_params(mut args: Vec<String>, variadic: bool) -> String {
    if variadic {
        args.push("...".into());
    }
    if args.is_empty() {
        "void".into()
    } else {
        args.join(", ")
    }
}

/// How one function fared against the headers.
enum Verdict {
    Match,
    NotDeclared,
    Differs(String),
}

/// One C check: a line that uses `name` (it fails only when the headers do not declare it)
/// and a line asserting that the C declaration is the Rust one.
struct Check {
    name: String,
    probe: String,
    assert: String,
}

impl Check {
    fn function(name: &str, rust_type: &str) -> Check {
        Check {
            name: name.to_string(),
            probe: format!("extern __typeof__(&{name}) gssapi_sys_probe_{name};"),
            assert: format!(
                "_Static_assert(__builtin_types_compatible_p(__typeof__(&{name}), {rust_type}), \"{name}\");"
            ),
        }
    }

    fn typedef(name: &str, assertion: &str) -> Check {
        Check {
            name: name.to_string(),
            probe: format!("extern {name} *gssapi_sys_probe_type_{name};"),
            assert: format!("_Static_assert({assertion}, \"{name}\");"),
        }
    }
}

/// Compiles (syntax only) a C file with the two lines of each check and sorts the compiler's
/// errors by line.
fn check_c(checks: &[Check]) -> Vec<Verdict> {
    let mut c = c_headers();
    c.push_str("#include <stdint.h>\n#include <stddef.h>\n#include <sys/types.h>\n");
    let first = c.lines().count() + 1;
    for check in checks {
        c.push_str(&check.probe);
        c.push('\n');
        c.push_str(&check.assert);
        c.push('\n');
    }
    let dir = std::env::temp_dir().join(format!("gssapi-sys-protos-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("prototypes.c");
    std::fs::write(&src, &c).unwrap();
    let out = c_compiler()
        .arg("-std=gnu11")
        .arg("-fsyntax-only")
        .arg("-w")
        .arg(&src)
        .env("LC_ALL", "C")
        .output()
        .expect("run the C compiler");
    std::fs::remove_dir_all(&dir).expect("remove the probe's temporary directory");
    let stderr = String::from_utf8_lossy(&out.stderr);

    let mut errors: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let prefix = format!("{}:", src.display());
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix(&prefix) else {
            assert!(
                !line.contains("error"),
                "C compiler error outside the checks (in a header?):\n{stderr}"
            );
            continue;
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(l), Some(_col), Some(msg)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let msg = msg.trim();
        if msg.starts_with("error") {
            errors
                .entry(l.parse().unwrap())
                .or_default()
                .push(msg.to_string());
        }
    }
    assert!(
        !out.status.success() || errors.is_empty(),
        "the compiler succeeded yet reported errors:\n{stderr}"
    );
    assert!(
        out.status.success() || !errors.is_empty(),
        "the C compiler failed without an error on a checked line:\n{stderr}"
    );
    let verdicts: Vec<Verdict> = checks
        .iter()
        .enumerate()
        .map(|(i, check)| {
            let probe = first + 2 * i;
            if let Some(e) = errors.remove(&probe) {
                let quoted = format!("'{}'", check.name);
                let unknown = |m: &String| {
                    (m.contains("undeclared") || m.contains("unknown type name"))
                        && m.contains(&quoted)
                };
                return if e.iter().any(unknown) {
                    errors.remove(&(probe + 1));
                    Verdict::NotDeclared
                } else {
                    Verdict::Differs(e.join("; "))
                };
            }
            match errors.remove(&(probe + 1)) {
                Some(e) => Verdict::Differs(e.join("; ")),
                None => Verdict::Match,
            }
        })
        .collect();
    assert!(
        errors.is_empty(),
        "C compiler errors on unexpected lines:\n{stderr}"
    );
    verdicts
}

/// The C assertion that typedef `name` is the Rust alias `rhs`. A pointer to an opaque struct
/// is compared by shape (a pointer, and whether to `const`: the builtin ignores top-level
/// qualifiers, so the pointer types are compared), since the struct tags differ between
/// the libraries and never matter to the ABI.
fn typedef_assertion(name: &str, rhs: &syn::Type, decls: &Declarations) -> Result<String, String> {
    if let syn::Type::Ptr(p) = rhs
        && let syn::Type::Path(tp) = &*p.elem
        && let Some(last) = tp.path.segments.last()
        && decls.opaque.contains(&last.ident.to_string())
    {
        let pointee = format!("__typeof__(*({name})0)");
        return Ok(format!(
            "sizeof({name}) == sizeof(void *) && __builtin_types_compatible_p({name}, const {pointee} *) == {}",
            u8::from(p.const_token.is_some())
        ));
    }
    Ok(format!(
        "__builtin_types_compatible_p({name}, {})",
        c_type(rhs, &decls.types)?
    ))
}

/// How the headers declare each of `names`, for the report of a mismatch: converting the
/// function's address to `int` makes the compiler print its type.
fn c_declared_types(names: &[&str]) -> BTreeMap<String, String> {
    let mut c = c_headers();
    let first = c.lines().count() + 1;
    for (i, name) in names.iter().enumerate() {
        c.push_str(&format!("int gssapi_sys_diag_{i} = &{name};\n"));
    }
    let dir = std::env::temp_dir().join(format!("gssapi-sys-diag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("diag.c");
    std::fs::write(&src, &c).unwrap();
    let out = c_compiler()
        .args(["-std=gnu11", "-fsyntax-only", "-Werror=int-conversion"])
        .arg(&src)
        .env("LC_ALL", "C")
        .output()
        .expect("run the C compiler");
    std::fs::remove_dir_all(&dir).expect("remove the probe's temporary directory");
    let prefix = format!("{}:", src.display());
    let mut types = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        let Some((l, msg)) = line.strip_prefix(&prefix).and_then(|r| r.split_once(':')) else {
            continue;
        };
        let Some(name) = l
            .parse::<usize>()
            .ok()
            .and_then(|l| l.checked_sub(first))
            .and_then(|i| names.get(i))
        else {
            continue;
        };
        if let Some((_, ty)) = msg.split_once(" from ") {
            let ty = ty.split(" makes ").next().unwrap_or(ty);
            types.insert(name.to_string(), ty.to_string());
        }
    }
    types
}

#[test]
fn function_prototypes_match_the_c_headers() {
    let mut decls = Declarations::default();
    // lib.rs declares the krb5 handle types and uid_t the bindings use.
    decls.read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"));
    assert!(
        decls.functions.is_empty(),
        "lib.rs declares no functions itself"
    );
    for file in declaration_sources() {
        decls.read(&file);
    }
    let mut seen = std::collections::BTreeSet::new();
    for f in &decls.functions {
        assert!(seen.insert(f.name.as_str()), "{} is declared twice", f.name);
    }
    assert!(
        decls.functions.len() > 100,
        "only {} functions found",
        decls.functions.len()
    );

    // Both per-implementation files must declare the same names, or a caller that compiles on
    // one library would not compile on the other.
    let per_impl_names = |imp: &str| {
        let mut d = Declarations::default();
        d.read(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("src/per_impl/{imp}.rs")),
        );
        let types: std::collections::BTreeSet<String> = d.types.into_keys().collect();
        let fns: std::collections::BTreeSet<String> =
            d.functions.into_iter().map(|f| f.name).collect();
        (fns, types)
    };
    assert_eq!(
        per_impl_names("mit"),
        per_impl_names("heimdal"),
        "src/per_impl/mit.rs and heimdal.rs declare different names"
    );

    let mut untranslatable = Vec::new();
    let mut typedef_checks = Vec::new();
    for (name, rhs) in &decls.aliases {
        match typedef_assertion(name, rhs, &decls) {
            Ok(a) => typedef_checks.push(Check::typedef(name, &a)),
            Err(e) => untranslatable.push(format!("type {name}: {e}")),
        }
    }
    let mut checks = Vec::new();
    for f in &decls.functions {
        let ret = match &f.ret {
            None => Ok("void".to_string()),
            Some(t) => c_type(t, &decls.types),
        };
        let args: Result<Vec<String>, String> =
            f.args.iter().map(|t| c_type(t, &decls.types)).collect();
        match (ret, args) {
            (Ok(ret), Ok(args)) => checks.push((
                f.name.clone(),
                format!("{ret} (*)({})", c_params(args, f.variadic)),
            )),
            (Err(e), _) | (_, Err(e)) => untranslatable.push(format!("{}: {e}", f.name)),
        }
    }
    assert!(
        untranslatable.is_empty(),
        "Rust types with no known C spelling:\n{}",
        untranslatable.join("\n")
    );

    let function_checks: Vec<Check> = checks
        .iter()
        .map(|(name, rust)| Check::function(name, rust))
        .collect();
    let verdicts = check_c(&function_checks);
    let typedef_verdicts = check_c(&typedef_checks);
    let label = if HEIMDAL { "Heimdal" } else { "MIT" };
    let mut typedefs_matched = 0;
    let mut typedefs_missing = Vec::new();
    let mut typedefs_differ = Vec::new();
    for (check, verdict) in typedef_checks.iter().zip(typedef_verdicts) {
        match verdict {
            Verdict::Match => typedefs_matched += 1,
            Verdict::NotDeclared => typedefs_missing.push(check.name.as_str()),
            Verdict::Differs(e) => {
                typedefs_differ.push(format!("{}: {} ({e})", check.name, check.assert))
            }
        }
    }
    eprintln!(
        "{label}: {typedefs_matched} typedefs match, {} not declared (skipped: {})",
        typedefs_missing.len(),
        typedefs_missing.join(", ")
    );
    let mut matched = 0;
    let mut not_declared = Vec::new();
    let mut differs = Vec::new();
    for ((name, rust), verdict) in checks.iter().zip(verdicts) {
        match verdict {
            Verdict::Match => matched += 1,
            Verdict::NotDeclared => not_declared.push(name.as_str()),
            Verdict::Differs(e) => differs.push((name.as_str(), rust, e)),
        }
    }
    let c_says = c_declared_types(&differs.iter().map(|d| d.0).collect::<Vec<_>>());
    let differs: Vec<String> = differs
        .iter()
        .map(|(name, rust, e)| {
            let c = c_says.get(*name).map_or("?", String::as_str);
            format!("{name}:\n    Rust: {rust}\n    C:    {c}\n    ({e})")
        })
        .collect();
    eprintln!(
        "{label}: {matched} prototypes match, {} not declared (skipped: {})",
        not_declared.len(),
        not_declared.join(", ")
    );
    assert!(
        typedefs_differ.is_empty(),
        "{label}: typedefs that differ from the headers:\n{}",
        typedefs_differ.join("\n")
    );
    assert!(
        differs.is_empty(),
        "{label}: prototypes that differ from the headers:\n{}",
        differs.join("\n")
    );
    // A function this build calls through an available extension must be checkable.
    let unchecked_but_linked: Vec<&str> = EXTENSIONS
        .iter()
        .filter(|e| has_extension(e.name))
        .flat_map(|e| e.symbols.iter().copied())
        .filter(|s| not_declared.contains(s))
        .collect();
    assert!(
        unchecked_but_linked.is_empty(),
        "{label}: the library has these, but its headers do not declare them: {unchecked_but_linked:?}"
    );
    assert!(matched > 80, "only {matched} prototypes were compared");
}
