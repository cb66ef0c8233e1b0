//! Re-exports gssapi-sys's build-time findings as cfgs of this crate.
//!
//! gssapi-sys's build script probes the library and publishes its findings as `links` metadata
//! (`DEP_GSSAPI_IMPL`, `DEP_GSSAPI_EXTENSIONS`); cfgs do not cross crate boundaries on their own.
//! In a `dlopen` build every extension is compiled in and checked at run time.

fn main() {
    println!("cargo:rerun-if-env-changed=DEP_GSSAPI_IMPL");
    println!("cargo:rerun-if-env-changed=DEP_GSSAPI_EXTENSIONS");
    // `runtime`: gssapi-sys opens the library at run time (its `dlopen` feature), and the
    // implementation is asked at run time; `docs.rs`: a documentation build, nothing linked.
    match std::env::var("DEP_GSSAPI_IMPL").as_deref() {
        Ok("runtime") => println!("cargo:rustc-cfg=gss_runtime"),
        Ok(imp @ ("mit" | "heimdal")) => println!("cargo:rustc-cfg=gss_impl=\"{imp}\""),
        _ => {}
    }
    for ext in std::env::var("DEP_GSSAPI_EXTENSIONS")
        .unwrap_or_default()
        .split(',')
        .filter(|e| !e.is_empty())
    {
        println!("cargo:rustc-cfg=gss_has=\"{ext}\"");
    }
}
