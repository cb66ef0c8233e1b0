//! Re-exports gssapi-sys's build-time findings as cfgs of this crate.
//!
//! gssapi-sys's build script probes the library and publishes its findings as `links` metadata
//! (`DEP_GSSAPI_IMPL`, `DEP_GSSAPI_EXTENSIONS`); cfgs do not cross crate boundaries on their own.

fn main() {
    println!("cargo:rerun-if-env-changed=DEP_GSSAPI_IMPL");
    println!("cargo:rerun-if-env-changed=DEP_GSSAPI_EXTENSIONS");
    if let Ok(imp) = std::env::var("DEP_GSSAPI_IMPL") {
        println!("cargo:rustc-cfg=gss_impl=\"{imp}\"");
    }
    for ext in std::env::var("DEP_GSSAPI_EXTENSIONS")
        .unwrap_or_default()
        .split(',')
        .filter(|e| !e.is_empty())
    {
        println!("cargo:rustc-cfg=gss_has=\"{ext}\"");
    }
}
