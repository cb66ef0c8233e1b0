//! Build script for gssapi-sys: find the GSSAPI library, probe its extensions, and (with the
//! `bindgen` feature) generate the bindings from its headers.
//!
//! Two modes find nothing at build time:
//! - the `dlopen` feature: the library is opened at run time, so nothing is linked or probed;
//!   the wrappers that call through the resolved pointers are generated (build/dlopen.rs);
//! - a docs.rs build (`DOCS_RS` set): no library is there; every extension is documented (as
//!   for `dlopen`, when that feature is on too).

mod find;
mod probe;

#[cfg(feature = "bindgen")]
mod generate;

#[cfg(feature = "dlopen")]
mod dlopen;

#[allow(dead_code)]
mod extensions {
    include!("../src/extensions.rs");
}

use std::env;

/// How this build reaches the library.
enum Mode {
    /// Found now and linked (the default).
    Linked(find::Library),
    /// Opened at run time (`dlopen` feature); `Some` when the `bindgen` feature still needed the
    /// headers of a library found now.
    Runtime(Option<find::Library>),
    /// A documentation build on docs.rs: nothing to find, nothing to link.
    DocsRs,
}

fn main() {
    for var in find::ENV_VARS {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-env-changed=DOCS_RS");
    println!("cargo:rerun-if-changed=src/extensions.rs");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rustc-check-cfg=cfg(gss_impl, values(\"mit\", \"heimdal\"))");
    println!("cargo:rustc-check-cfg=cfg(gss_runtime)");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
    let names: Vec<String> = extensions::EXTENSIONS
        .iter()
        .map(|e| format!("\"{}\"", e.name))
        .collect();
    println!(
        "cargo:rustc-check-cfg=cfg(gss_has, values({}))",
        names.join(", ")
    );

    let runtime = env::var_os("CARGO_FEATURE_DLOPEN").is_some();
    let bindgen = env::var_os("CARGO_FEATURE_BINDGEN").is_some();
    let docs_rs = env::var_os("DOCS_RS").is_some();
    let mode = if runtime && (!bindgen || docs_rs) {
        Mode::Runtime(None)
    } else if docs_rs {
        Mode::DocsRs
    } else {
        let lib = match find::find() {
            Ok(lib) => lib,
            // A panic is the only way a build script can stop the build; the message is the
            // report itself, with install hints.
            Err(report) => panic!("\n\n{report}\n"),
        };
        if runtime {
            Mode::Runtime(Some(lib))
        } else {
            Mode::Linked(lib)
        }
    };

    let all: Vec<String> = extensions::EXTENSIONS
        .iter()
        .map(|e| e.name.to_string())
        .collect();
    let (imp, version, found_by, available) = match &mode {
        Mode::Linked(lib) => {
            link(lib);
            let available = probe::available_extensions(lib, extensions::EXTENSIONS);
            (
                lib.implementation.as_str(),
                lib.version.clone(),
                lib.found_by,
                available,
            )
        }
        // Which extensions the library has is known when it is loaded; all are compiled in.
        Mode::Runtime(_) => ("runtime", "unknown".into(), "dlopen", Vec::new()),
        Mode::DocsRs => ("docs.rs", "unknown".into(), "docs.rs", Vec::new()),
    };
    let compiled_in: &[String] = match &mode {
        Mode::Linked(_) => &available,
        Mode::Runtime(_) | Mode::DocsRs => &all,
    };
    match &mode {
        Mode::Linked(_) => println!("cargo:rustc-cfg=gss_impl=\"{imp}\""),
        Mode::Runtime(_) => println!("cargo:rustc-cfg=gss_runtime"),
        Mode::DocsRs => {}
    }
    for name in compiled_in {
        println!("cargo:rustc-cfg=gss_has=\"{name}\"");
    }

    // Metadata for dependants (DEP_GSSAPI_*): `impl` is mit, heimdal, runtime or docs.rs;
    // `extensions` lists what is compiled in (every extension at run time and on docs.rs).
    println!("cargo:impl={imp}");
    println!("cargo:version={version}");
    println!("cargo:extensions={}", compiled_in.join(","));
    let include_dirs = match &mode {
        Mode::Linked(lib) | Mode::Runtime(Some(lib)) => lib.include_dirs.clone(),
        _ => Vec::new(),
    };
    println!(
        "cargo:include={}",
        env::join_paths(&include_dirs)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    // For our own crate and tests (env!).
    println!("cargo:rustc-env=GSSAPI_SYS_IMPL={imp}");
    println!("cargo:rustc-env=GSSAPI_SYS_VERSION={version}");
    println!("cargo:rustc-env=GSSAPI_SYS_FOUND_BY={found_by}");
    println!(
        "cargo:rustc-env=GSSAPI_SYS_INCLUDE_DIRS={}",
        include_dirs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\x1f")
    );
    let link_args = match &mode {
        Mode::Linked(lib) | Mode::Runtime(Some(lib)) => lib.link_args().join("\x1f"),
        _ => String::new(),
    };
    println!("cargo:rustc-env=GSSAPI_SYS_LINK_ARGS={link_args}");
    println!(
        "cargo:rustc-env=GSSAPI_SYS_EXTENSIONS={}",
        available.join(",")
    );

    #[cfg(feature = "bindgen")]
    if let Mode::Linked(lib) | Mode::Runtime(Some(lib)) = &mode {
        generate::generate(lib);
    }

    #[cfg(feature = "dlopen")]
    {
        use std::path::PathBuf;
        let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
        let generated = if bindgen && !matches!(mode, Mode::DocsRs) {
            out_dir.clone()
        } else {
            PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
                .join("src/generated")
        };
        let optional = extensions::EXTENSIONS
            .iter()
            .flat_map(|e| e.symbols.iter().copied())
            .collect();
        dlopen::generate(&generated, &optional, &out_dir);
    }
}

/// Links the library found, and libkrb5 for the ccache calls GSSAPI lacks
/// (src/krb5_ccache.rs). The GSSAPI library depends on libkrb5 already; this names it for the
/// linker, found in the same directories (MIT's and Heimdal's multidev packages each put a
/// libkrb5.so beside their libgssapi).
fn link(lib: &find::Library) {
    lib.emit_link_flags();
    if !lib.libs.iter().any(|l| l == "krb5") {
        println!("cargo:rustc-link-lib=krb5");
    }
}
