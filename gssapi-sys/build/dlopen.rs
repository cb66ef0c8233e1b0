//! The `dlopen` feature: one wrapper per declared C function, calling through a pointer that
//! is resolved when the library is opened at run time.
//!
//! The wrappers are generated from the very declarations a linked build uses (the checked-in
//! bindgen output, MIT's per-implementation prototypes and the libkrb5 calls), so the two
//! builds cannot drift apart: each `extern "C"` declaration becomes
//!
//! - a field of `Functions`, an `Option` of the C function pointer type;
//! - a public `unsafe extern "C" fn` of the same name and signature at the crate root, which
//!   calls through the field (it shadows the glob re-export of the unused declaration, so no
//!   symbol is ever linked);
//! - for the functions an extension needs, `dlopen::resolved::NAME()`, a cheap check
//!   `gssapi-raw` makes before calling it.
//!
//! A function the loaded library lacks returns what a caller can read as "unavailable":
//! `GSS_S_UNAVAILABLE` (the minor status set to 0), 0 for an `int`, `ELIBACC` for a
//! `krb5_error_code`.

use quote::ToTokens;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Declarations whose run-time wrapper is written by hand in `src/dlopen.rs`: their C types
/// differ in width between MIT and Heimdal, so one prototype cannot serve both.
const HAND_WRITTEN: &[&str] = &["gsskrb5_extract_authtime_from_sec_context"];

/// Functions MIT's gssapi.h declares that are not RFC 2744 and that a library may lack (neither
/// MIT 1.20 nor Heimdal 7.8 exports the first two; Heimdal lacks `gss_str_to_oid`).
const NOT_REQUIRED: &[&str] = &[
    "gss_import_name_object",
    "gss_export_name_object",
    "gss_str_to_oid",
];

/// One `extern "C"` function.
struct Function {
    name: String,
    /// `(name, type)` of each parameter, as Rust source.
    params: Vec<(String, String)>,
    /// The return type as Rust source (`None`: no return value).
    ret: Option<String>,
    /// The library must have it to be used at all.
    required: bool,
}

/// Generates `OUT_DIR/dlopen.rs` (the table, included by `src/dlopen.rs`) and
/// `OUT_DIR/dlopen_wrappers.rs` (the functions, included at the crate root).
///
/// `generated` is the directory of the bindgen output in use (checked in, or `OUT_DIR` with the
/// `bindgen` feature); `optional` lists the symbols that belong to an extension.
pub fn generate(generated: &Path, optional: &BTreeSet<&str>, out_dir: &Path) {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let sources: [(PathBuf, bool); 5] = [
        // RFC 2744 itself: a library without one of these is no GSSAPI library.
        (generated.join("gssapi.rs"), true),
        (generated.join("gssapi_ext.rs"), false),
        (generated.join("gssapi_krb5.rs"), false),
        // The functions whose const-ness differs: MIT's prototypes serve both libraries at
        // run time (a `const` pointer and a mutable one are passed alike).
        (manifest.join("src/per_impl/mit.rs"), true),
        (manifest.join("src/krb5_ccache.rs"), true),
    ];
    let mut functions = Vec::new();
    for (path, core) in &sources {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("gssapi-sys: cannot read {}: {e}", path.display()));
        let file = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("gssapi-sys: cannot parse {}: {e}", path.display()));
        for item in file.items {
            let syn::Item::ForeignMod(block) = item else {
                continue;
            };
            for foreign in block.items {
                let syn::ForeignItem::Fn(f) = foreign else {
                    panic!(
                        "gssapi-sys: {} declares a foreign item that is not a function",
                        path.display()
                    );
                };
                let name = f.sig.ident.to_string();
                if HAND_WRITTEN.contains(&name.as_str()) {
                    continue;
                }
                let params = f
                    .sig
                    .inputs
                    .iter()
                    .map(|arg| match arg {
                        syn::FnArg::Typed(p) => (
                            p.pat.to_token_stream().to_string(),
                            p.ty.to_token_stream().to_string(),
                        ),
                        syn::FnArg::Receiver(_) => unreachable!("a C function has no self"),
                    })
                    .collect();
                let ret = match &f.sig.output {
                    syn::ReturnType::Default => None,
                    syn::ReturnType::Type(_, ty) => Some(ty.to_token_stream().to_string()),
                };
                let required = *core
                    && !optional.contains(name.as_str())
                    && !NOT_REQUIRED.contains(&name.as_str());
                functions.push(Function {
                    name,
                    params,
                    ret,
                    required,
                });
            }
        }
    }
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    functions.dedup_by(|a, b| a.name == b.name);

    std::fs::write(out_dir.join("dlopen.rs"), table(&functions)).expect("write dlopen.rs");
    std::fs::write(out_dir.join("dlopen_wrappers.rs"), wrappers(&functions))
        .expect("write dlopen_wrappers.rs");
}

impl Function {
    /// ` -> T`, or nothing for a function that returns nothing.
    fn ret_suffix(&self) -> String {
        self.ret
            .as_ref()
            .map(|r| format!(" -> {r}"))
            .unwrap_or_default()
    }
}

fn pointer_type(f: &Function) -> String {
    let params: Vec<&str> = f.params.iter().map(|(_, ty)| ty.as_str()).collect();
    format!(
        "unsafe extern \"C\" fn({}){}",
        params.join(", "),
        f.ret_suffix()
    )
}

fn table(functions: &[Function]) -> String {
    let mut s = String::from("// Generated by gssapi-sys/build/dlopen.rs. Do not edit.\n\n");
    s.push_str("/// Every declared C function, resolved from the loaded library.\n");
    s.push_str(
        "#[allow(non_snake_case, clippy::type_complexity)]\npub(crate) struct Functions {\n",
    );
    for f in functions {
        let _ = writeln!(s, "    pub(crate) {}: Option<{}>,", f.name, pointer_type(f));
    }
    s.push_str("}\n\n");

    s.push_str("/// The functions without which the library is not used.\n");
    s.push_str("pub(crate) const REQUIRED: &[&str] = &[\n");
    for f in functions.iter().filter(|f| f.required) {
        let _ = writeln!(s, "    \"{}\",", f.name);
    }
    s.push_str("];\n\n");

    s.push_str("impl Functions {\n");
    s.push_str(
        "    /// Looks every function up in `library`.\n\
         \x20   ///\n\
         \x20   /// # Safety\n\
         \x20   ///\n\
         \x20   /// `library` must be a GSSAPI library (MIT krb5 or Heimdal), whose symbols of these\n\
         \x20   /// names are C functions with these prototypes.\n\
         \x20   pub(crate) unsafe fn resolve(library: &libloading::Library) -> Functions {\n\
         \x20       Functions {\n",
    );
    for f in functions {
        let _ = writeln!(
            s,
            "            // SAFETY: the caller guarantees the symbol's prototype.\n\
             \x20           {0}: unsafe {{ symbol(library, b\"{0}\\0\") }},",
            f.name
        );
    }
    s.push_str("        }\n    }\n\n");
    s.push_str(
        "    /// Whether the function `name` was resolved (`None`: no such declaration).\n\
         \x20   pub(crate) fn resolved(&self, name: &str) -> Option<bool> {\n\
         \x20       match name {\n",
    );
    for f in functions {
        let _ = writeln!(
            s,
            "            \"{0}\" => Some(self.{0}.is_some()),",
            f.name
        );
    }
    s.push_str("            _ => None,\n        }\n    }\n}\n\n");

    s.push_str(
        "/// One check per function an extension needs: whether the loaded library has it (false\n\
         /// when no library could be opened). `gssapi-raw` asks before it calls one.\n\
         pub mod resolved {\n",
    );
    for f in functions.iter().filter(|f| !f.required) {
        let _ = writeln!(
            s,
            "    /// Whether the loaded library has `{0}`.\n\
             \x20   #[inline]\n\
             \x20   pub fn {0}() -> bool {{\n\
             \x20       super::functions().is_some_and(|t| t.{0}.is_some())\n\
             \x20   }}",
            f.name
        );
    }
    for name in HAND_WRITTEN {
        let _ = writeln!(
            s,
            "    /// Whether the loaded library has `{name}`.\n\
             \x20   pub fn {name}() -> bool {{\n\
             \x20       super::library().is_ok_and(|l| l.has_symbol(\"{name}\"))\n\
             \x20   }}"
        );
    }
    s.push_str("}\n");
    s
}

fn wrappers(functions: &[Function]) -> String {
    let mut s = String::from(
        "// Generated by gssapi-sys/build/dlopen.rs. Do not edit.\n\
         // Each function calls the loaded library's function of the same name.\n\n",
    );
    for f in functions {
        let params: Vec<String> = f
            .params
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        let args: Vec<&str> = f.params.iter().map(|(name, _)| name.as_str()).collect();
        let ret = f.ret_suffix();
        let missing = missing_value(f);
        // One shape for every wrapper, a `match` even when nothing is returned.
        let allow = if f.ret.is_none() {
            "#[allow(clippy::single_match)]\n"
        } else {
            ""
        };
        let _ = write!(
            s,
            "/// `{name}`, resolved at run time (see [`dlopen`]).\n\
             ///\n\
             /// # Safety\n\
             ///\n\
             /// As for the C function.\n\
             #[inline]\n\
             {allow}pub unsafe extern \"C\" fn {name}({params}){ret} {{\n\
             \x20   match crate::dlopen::functions().and_then(|t| t.{name}) {{\n\
             \x20       // SAFETY: the pointer was resolved under this name and prototype; the\n\
             \x20       // caller upholds the C function's contract.\n\
             \x20       Some(f) => unsafe {{ f({args}) }},\n\
             \x20       None => {missing},\n\
             \x20   }}\n\
             }}\n\n",
            name = f.name,
            params = params.join(", "),
            args = args.join(", "),
        );
    }
    s
}

/// What a wrapper returns when the library lacks its function.
fn missing_value(f: &Function) -> String {
    let minor_first = f
        .params
        .first()
        .is_some_and(|(_, ty)| ty.replace(' ', "") == "*mutOM_uint32");
    match f.ret.as_deref().map(|r| r.replace(' ', "")) {
        None => "()".into(),
        Some(r) if r == "OM_uint32" && minor_first => format!(
            "// SAFETY: the caller passes a valid (or null) minor-status pointer.\n\
             \x20       unsafe {{ crate::dlopen::unavailable({}) }}",
            f.params[0].0
        ),
        Some(r) if r == "OM_uint32" => "crate::GSS_S_UNAVAILABLE".into(),
        Some(r) if r == "::core::ffi::c_int" => "0".into(),
        Some(r) if r == "krb5_error_code" => "crate::dlopen::ELIBACC".into(),
        Some(r) => panic!(
            "gssapi-sys: no 'unavailable' value for {}'s return type {r}",
            f.name
        ),
    }
}
