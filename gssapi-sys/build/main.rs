//! Build script for gssapi-sys: find the GSSAPI library, probe its extensions, and (with the
//! `bindgen` feature) generate the bindings from its headers.

mod find;
mod probe;

#[cfg(feature = "bindgen")]
mod generate;

#[allow(dead_code)]
mod extensions {
    include!("../src/extensions.rs");
}

use std::env;

fn main() {
    for var in find::ENV_VARS {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=src/extensions.rs");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rustc-check-cfg=cfg(gss_impl, values(\"mit\", \"heimdal\"))");
    let names: Vec<String> = extensions::EXTENSIONS
        .iter()
        .map(|e| format!("\"{}\"", e.name))
        .collect();
    println!(
        "cargo:rustc-check-cfg=cfg(gss_has, values({}))",
        names.join(", ")
    );

    let lib = match find::find() {
        Ok(lib) => lib,
        Err(report) => {
            // A panic is the only way a build script can stop the build; the message is the
            // report itself, with install hints.
            panic!("\n\n{report}\n");
        }
    };
    lib.emit_link_flags();
    // libkrb5, for the ccache calls GSSAPI lacks (src/krb5_ccache.rs). The GSSAPI library
    // depends on it already; this names it for the linker, found in the same directories
    // (MIT's and Heimdal's multidev packages each put a libkrb5.so beside their libgssapi).
    if !lib.libs.iter().any(|l| l == "krb5") {
        println!("cargo:rustc-link-lib=krb5");
    }

    let imp = lib.implementation.as_str();
    println!("cargo:rustc-cfg=gss_impl=\"{imp}\"");
    // Metadata for dependants (DEP_GSSAPI_*) and for our own tests (env!).
    println!("cargo:impl={imp}");
    println!("cargo:version={}", lib.version);
    println!(
        "cargo:include={}",
        env::join_paths(&lib.include_dirs)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    println!("cargo:rustc-env=GSSAPI_SYS_IMPL={imp}");
    println!("cargo:rustc-env=GSSAPI_SYS_VERSION={}", lib.version);
    println!("cargo:rustc-env=GSSAPI_SYS_FOUND_BY={}", lib.found_by);
    println!(
        "cargo:rustc-env=GSSAPI_SYS_INCLUDE_DIRS={}",
        lib.include_dirs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\x1f")
    );
    println!(
        "cargo:rustc-env=GSSAPI_SYS_LINK_ARGS={}",
        lib.link_args().join("\x1f")
    );

    let available = probe::available_extensions(&lib, extensions::EXTENSIONS);
    for name in &available {
        println!("cargo:rustc-cfg=gss_has=\"{name}\"");
    }
    println!("cargo:extensions={}", available.join(","));
    println!(
        "cargo:rustc-env=GSSAPI_SYS_EXTENSIONS={}",
        available.join(",")
    );

    #[cfg(feature = "bindgen")]
    generate::generate(&lib);
}
