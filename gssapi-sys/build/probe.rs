//! Extension detection: one link probe per symbol, the way python-gssapi looks for a canary
//! symbol before building an extension module.
//!
//! Each probe is a tiny C program that takes the address of the symbol and links against the
//! library. It is never run, so the probes also work when cross-compiling.

use crate::extensions::Extension;
use crate::find::Library;
use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::path::PathBuf;
use std::thread;

/// Names of the extensions whose symbols all link.
pub fn available_extensions(lib: &Library, extensions: &[Extension]) -> Vec<String> {
    let symbols: BTreeSet<&str> = extensions
        .iter()
        .flat_map(|e| e.symbols.iter().copied())
        .collect();
    let present = probe_symbols(lib, &symbols.into_iter().collect::<Vec<_>>());
    let missing: Vec<&str> = present
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(s, _)| *s)
        .collect();
    // Not a cargo:warning: a library without an extension is normal, not a problem to report.
    println!("cargo:missing_symbols={}", missing.join(","));
    extensions
        .iter()
        .filter(|e| {
            e.symbols
                .iter()
                .all(|s| present.get(s).copied().unwrap_or(false))
        })
        .map(|e| e.name.to_string())
        .collect()
}

fn probe_symbols<'a>(lib: &Library, symbols: &[&'a str]) -> BTreeMap<&'a str, bool> {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("probes");
    let _ = std::fs::create_dir_all(&out_dir);
    let compiler = cc::Build::new()
        .cargo_metadata(false)
        .cargo_warnings(false)
        .opt_level(0)
        .get_compiler();
    let link_args = lib.link_args();
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let chunk = symbols.len().div_ceil(workers).max(1);

    thread::scope(|scope| {
        let handles: Vec<_> = symbols
            .chunks(chunk)
            .map(|part| {
                let compiler = &compiler;
                let link_args = &link_args;
                let out_dir = &out_dir;
                scope.spawn(move || {
                    part.iter()
                        .map(|symbol| {
                            let src = out_dir.join(format!("{symbol}.c"));
                            let exe = out_dir.join(format!("{symbol}.out"));
                            let code = format!(
                                "extern void {symbol}(void);\n\
                                 int main(void) {{ void (*volatile p)(void) = {symbol}; return p != 0; }}\n"
                            );
                            let ok = std::fs::write(&src, code).is_ok()
                                && compiler
                                    .to_command()
                                    .arg(&src)
                                    .arg("-o")
                                    .arg(&exe)
                                    .args(link_args)
                                    .output()
                                    .map(|o| o.status.success())
                                    .unwrap_or(false);
                            (*symbol, ok)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}
