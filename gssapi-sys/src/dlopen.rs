//! Run-time loading (the `dlopen` feature): the GSSAPI library is opened on first use, not
//! linked, so a build needs no headers, no pkg-config and no krb5-config, and one binary runs on
//! MIT krb5 and Heimdal machines alike.
//!
//! ```no_run
//! // Optionally, before any other call: a library of your choice (else see below).
//! let library = gssapi_sys::dlopen::load("/opt/krb5/lib/libgssapi_krb5.so.2")?;
//! println!("{} {} from {}", library.implementation(), library.version(), library.path());
//! if !gssapi_sys::has_extension("cred_store") {
//!     println!("this library has no credential store (Heimdal)");
//! }
//! # Ok::<(), gssapi_sys::dlopen::LoadError>(())
//! ```
//!
//! Later calls find the same library; without a `load`, the first use opens the default one:
//!
//! ```
//! match gssapi_sys::dlopen::library() {
//!     Ok(library) => println!("{:?} {}", library.implementation(), library.version()),
//!     Err(why) => eprintln!("{why}"), // what was tried, and what to install
//! }
//! ```
//!
//! # Which library
//!
//! The first call into the library (any function of this crate, or [`library`]) opens one, in
//! this order, and keeps it for the life of the process:
//!
//! 1. the path given to [`load`], if it was called first;
//! 2. the environment variable `GSSAPI_SYS_LIBRARY`: a path, a file name for the dynamic
//!    loader to search (`libgssapi.so.3`), or `mit` / `heimdal` for that implementation's usual
//!    names; when it is set, nothing else is tried;
//! 3. MIT krb5, then Heimdal, under their usual names ([`DEFAULT_CANDIDATES`]).
//!
//! A candidate is taken when it opens, is recognised as MIT krb5 or Heimdal (by a symbol only
//! that implementation exports), and has every RFC 2744 function and the few libkrb5 calls the
//! workspace uses (found through the library's own dependencies). When none is, every call
//! fails (`GSS_S_UNAVAILABLE`) and [`library`] says what was tried and why each failed.
//!
//! # What follows the loaded library
//!
//! Everything that differs by implementation: [`implementation`],
//! [`library_version`], [`has_extension`] (each
//! extension's symbols are looked up in the loaded library), and the prototypes whose types
//! differ in width ([`gsskrb5_extract_authtime_from_sec_context`]
//! writes a `time_t` on both). The workarounds `gssapi-raw` applies for one implementation ask
//! [`implementation`] at run time. A function the library lacks returns
//! `GSS_S_UNAVAILABLE`, and `gssapi-raw` turns that into its usual typed `Unavailable` error.
//!
//! The library is never unloaded: MIT and Heimdal keep thread-local and global state that
//! must outlive every handle.

use crate::*;
use core::ffi::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::fmt;
use std::string::{String, ToString};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::vec::Vec;

include!(concat!(env!("OUT_DIR"), "/dlopen.rs"));

/// The environment variable that names the library to open (read once, at first use).
pub const ENV_LIBRARY: &str = "GSSAPI_SYS_LIBRARY";

/// MIT krb5's usual names, tried first.
#[cfg(not(target_os = "macos"))]
pub const MIT_CANDIDATES: &[&str] = &["libgssapi_krb5.so.2", "libgssapi_krb5.so"];
/// MIT krb5's usual names, tried first (Homebrew's on Apple silicon and Intel).
#[cfg(target_os = "macos")]
pub const MIT_CANDIDATES: &[&str] = &[
    "libgssapi_krb5.2.2.dylib",
    "/opt/homebrew/opt/krb5/lib/libgssapi_krb5.2.2.dylib",
    "/usr/local/opt/krb5/lib/libgssapi_krb5.2.2.dylib",
];

/// Heimdal's usual names, tried after MIT's.
#[cfg(not(target_os = "macos"))]
pub const HEIMDAL_CANDIDATES: &[&str] = &["libgssapi.so.3", "libgssapi.so"];
/// Heimdal's usual names, tried after MIT's (Apple's GSS framework is Heimdal).
#[cfg(target_os = "macos")]
pub const HEIMDAL_CANDIDATES: &[&str] = &["/System/Library/Frameworks/GSS.framework/GSS"];

/// Every name tried when neither [`load`] nor `GSSAPI_SYS_LIBRARY` chose one: MIT's, then
/// Heimdal's.
pub const DEFAULT_CANDIDATES: &[&[&str]] = &[MIT_CANDIDATES, HEIMDAL_CANDIDATES];

/// `ELIBACC` ("cannot access a needed shared library"): what a libkrb5 wrapper returns when
/// no library is loaded.
pub const ELIBACC: krb5_error_code = 79;

/// The library in use: what was opened and what it is.
pub struct Library {
    /// Kept open for the life of the process (never dropped: it lives in a static).
    handle: libloading::Library,
    functions: Functions,
    implementation: Implementation,
    path: String,
    version: OnceLock<String>,
}

impl Library {
    /// MIT krb5 or Heimdal.
    pub fn implementation(&self) -> Implementation {
        self.implementation
    }

    /// What was opened: the path or file name as given to the dynamic loader.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The library's version (`1.20.1`, `7.8.0`), or `unknown`. Heimdal exports it
    /// (`heimdal_version`); MIT's is read from the brand string in its libkrb5.
    pub fn version(&self) -> &str {
        self.version.get_or_init(|| {
            match self.implementation {
                Implementation::Heimdal => heimdal_version(&self.handle),
                Implementation::Mit => mit_version(&self.handle),
            }
            .unwrap_or_else(|| "unknown".to_string())
        })
    }

    /// Whether the library exports `symbol` (a function or a variable).
    pub fn has_symbol(&self, symbol: &str) -> bool {
        if let Some(resolved) = self.functions.resolved(symbol) {
            return resolved;
        }
        let mut name = symbol.as_bytes().to_vec();
        name.push(0);
        // SAFETY: only the address is read, never dereferenced or called.
        unsafe { self.handle.get::<*mut c_void>(&name[..]) }.is_ok_and(|s| !s.is_null())
    }
}

impl fmt::Debug for Library {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Library")
            .field("implementation", &self.implementation)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Why no library is in use: each candidate tried and why it was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// `(candidate, reason)`, in the order tried.
    pub tried: Vec<(String, String)>,
    /// How the candidates were chosen (the [`load`] call, `GSSAPI_SYS_LIBRARY`, the defaults).
    pub chosen_by: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no GSSAPI library could be loaded ({}); tried:",
            self.chosen_by
        )?;
        for (candidate, reason) in &self.tried {
            write!(f, " {candidate}: {reason};")?;
        }
        write!(
            f,
            " install MIT krb5's library (Debian/Ubuntu: libgssapi-krb5-2, Fedora/RHEL: \
             krb5-libs, Alpine: krb5-libs, Arch: krb5, macOS: brew install krb5) or Heimdal's \
             (Debian/Ubuntu: libgssapi3-heimdal), or set {ENV_LIBRARY} to the library's path"
        )
    }
}

impl std::error::Error for LoadError {}

static LOADED: OnceLock<Result<Library, LoadError>> = OnceLock::new();

/// The library in `LOADED` once one is: what every call reads, one atomic load (the hot path
/// of each wrapper and of every `is_heimdal()` a workaround asks).
static READY: AtomicPtr<Library> = AtomicPtr::new(core::ptr::null_mut());

/// `LOADED`, initialised with `open`, and `READY` set when it holds a library.
#[cold]
fn settle(
    open: impl FnOnce() -> Result<Library, LoadError>,
) -> &'static Result<Library, LoadError> {
    let result = LOADED.get_or_init(open);
    if let Ok(lib) = result {
        READY.store(core::ptr::from_ref(lib).cast_mut(), Ordering::Release);
    }
    result
}

/// Opens the library at `path` (or a file name for the dynamic loader to search), if no
/// library is in use yet; otherwise succeeds only if it is the same `path`.
///
/// Call it before anything else in the process uses GSSAPI: the first call into the library
/// opens the default one (see the [module docs](self)).
pub fn load(path: &str) -> Result<&'static Library, LoadError> {
    let result = LOADED
        .get_or_init(|| open_first(&[path.to_string()], format!("load({path:?}) was called")));
    match result {
        Ok(lib) if lib.path == path => Ok(lib),
        Ok(lib) => Err(LoadError {
            tried: std::vec![(
                path.to_string(),
                std::format!("{} was loaded already and stays in use", lib.path)
            )],
            chosen_by: "load() was called after the first use".into(),
        }),
        Err(e) => Err(e.clone()),
    }
}

/// The library in use, opening it (see the [module docs](self)) on the first call.
#[inline]
pub fn library() -> Result<&'static Library, &'static LoadError> {
    let ready = READY.load(Ordering::Acquire);
    if ready.is_null() {
        return settle(open_default).as_ref();
    }
    // SAFETY: READY only ever holds a pointer to the library inside LOADED, a static that is
    // set once and never changed or dropped; the Acquire load pairs with settle's Release store.
    Ok(unsafe { &*ready })
}

/// The resolved functions, or `None` when no library could be loaded.
#[inline]
pub(crate) fn functions() -> Option<&'static Functions> {
    library().ok().map(|l| &l.functions)
}

/// Sets the minor status to 0 and returns `GSS_S_UNAVAILABLE`: a function that is not there.
///
/// # Safety
///
/// `minor` is null or valid for a write.
#[inline(never)]
#[cold]
pub(crate) unsafe fn unavailable(minor: *mut OM_uint32) -> OM_uint32 {
    if !minor.is_null() {
        // SAFETY: non-null, and valid for writes by the caller's contract.
        unsafe { *minor = 0 };
    }
    GSS_S_UNAVAILABLE
}

/// `gsskrb5_extract_authtime_from_sec_context`, resolved at run time, with Heimdal's
/// prototype on both libraries: MIT writes a 32-bit `krb5_timestamp`, read as unsigned since
/// MIT 1.16, widened here into the `time_t`.
///
/// # Safety
///
/// As for the C function.
#[inline]
pub unsafe extern "C" fn gsskrb5_extract_authtime_from_sec_context(
    minor_status: *mut OM_uint32,
    context: gss_ctx_id_t,
    authtime: *mut time_t,
) -> OM_uint32 {
    type Mit = unsafe extern "C" fn(*mut OM_uint32, gss_ctx_id_t, *mut i32) -> OM_uint32;
    type Heimdal = unsafe extern "C" fn(*mut OM_uint32, gss_ctx_id_t, *mut time_t) -> OM_uint32;
    let Ok(lib) = library() else {
        // SAFETY: the caller passes a valid minor-status pointer.
        return unsafe { unavailable(minor_status) };
    };
    const NAME: &[u8] = b"gsskrb5_extract_authtime_from_sec_context\0";
    match lib.implementation {
        Implementation::Heimdal => {
            // SAFETY: Heimdal declares it with a `time_t *` (gssapi_krb5.h).
            match unsafe { symbol::<Heimdal>(&lib.handle, NAME) } {
                // SAFETY: the prototype matches; the caller upholds the contract.
                Some(f) => unsafe { f(minor_status, context, authtime) },
                // SAFETY: as above.
                None => unsafe { unavailable(minor_status) },
            }
        }
        Implementation::Mit => {
            // SAFETY: MIT declares it with a `krb5_timestamp *` (a 32-bit integer).
            match unsafe { symbol::<Mit>(&lib.handle, NAME) } {
                Some(f) => {
                    let mut narrow: i32 = 0;
                    // SAFETY: the prototype matches and `narrow` is a valid 32-bit local.
                    let major = unsafe { f(minor_status, context, &mut narrow) };
                    // Only what MIT wrote: on failure it writes nothing.
                    if !GSS_ERROR(major) && !authtime.is_null() {
                        // SAFETY: the caller passes a valid `time_t` out-pointer.
                        unsafe { *authtime = time_t::from(narrow as u32) };
                    }
                    major
                }
                // SAFETY: as above.
                None => unsafe { unavailable(minor_status) },
            }
        }
    }
}

/// Resolves `name` (NUL-terminated) to a function pointer of type `F`; `None` when the
/// library lacks it (or it resolves to null).
///
/// # Safety
///
/// If the library has `name`, it must be a function with the prototype `F` describes.
unsafe fn symbol<F: Copy>(library: &libloading::Library, name: &[u8]) -> Option<F> {
    const { assert!(core::mem::size_of::<F>() == core::mem::size_of::<*mut c_void>()) };
    // SAFETY: read as a plain address first, so a null is caught before it becomes a function
    // pointer.
    let address: *mut c_void = *unsafe { library.get::<*mut c_void>(name) }.ok()?;
    if address.is_null() {
        return None;
    }
    // SAFETY: same size (checked above); the caller guarantees the prototype.
    Some(unsafe { core::mem::transmute_copy::<*mut c_void, F>(&address) })
}

fn open_default() -> Result<Library, LoadError> {
    match std::env::var(ENV_LIBRARY) {
        Ok(value) if !value.trim().is_empty() => {
            let value = value.trim();
            let candidates: Vec<String> = match value.to_ascii_lowercase().as_str() {
                "mit" => MIT_CANDIDATES.iter().map(|s| s.to_string()).collect(),
                "heimdal" => HEIMDAL_CANDIDATES.iter().map(|s| s.to_string()).collect(),
                _ => std::vec![value.to_string()],
            };
            open_first(&candidates, format!("{ENV_LIBRARY}={value}"))
        }
        _ => {
            let candidates: Vec<String> = DEFAULT_CANDIDATES
                .iter()
                .flat_map(|names| names.iter().map(|s| s.to_string()))
                .collect();
            open_first(
                &candidates,
                format!("the default names; {ENV_LIBRARY} is not set"),
            )
        }
    }
}

fn open_first(candidates: &[String], chosen_by: String) -> Result<Library, LoadError> {
    let mut tried = Vec::new();
    for candidate in candidates {
        match open(candidate) {
            Ok(lib) => return Ok(lib),
            Err(reason) => tried.push((candidate.clone(), reason)),
        }
    }
    Err(LoadError { tried, chosen_by })
}

fn open(path: &str) -> Result<Library, String> {
    // SAFETY: opening a GSSAPI library runs its initialisers, which have no preconditions.
    let handle = unsafe { libloading::Library::new(path) }.map_err(|e| {
        // libloading says "dlopen failed" and keeps the loader's message as the source.
        match std::error::Error::source(&e) {
            Some(source) => source.to_string(),
            None => e.to_string(),
        }
    })?;
    let implementation = recognise(&handle).ok_or_else(|| {
        "neither MIT krb5 (GSS_C_NT_HOSTBASED_SERVICE) nor Heimdal \
         (__gss_c_nt_hostbased_service_oid_desc)"
            .to_string()
    })?;
    // SAFETY: the library is MIT krb5 or Heimdal, whose functions of these names have these
    // prototypes (MIT's; Heimdal's differ only in `const` qualifiers, passed alike, except the
    // one function written by hand above). tests/abi.rs checks both against the headers.
    let functions = unsafe { Functions::resolve(&handle) };
    if let Some(missing) = REQUIRED
        .iter()
        .find(|name| functions.resolved(name) != Some(true))
    {
        return Err(format!("{implementation} library without {missing}"));
    }
    Ok(Library {
        handle,
        functions,
        implementation,
        path: path.to_string(),
        version: OnceLock::new(),
    })
}

/// MIT krb5 exports its OIDs as variables named as in RFC 2744; Heimdal exports them under
/// its own names (and defines the RFC names as macros).
fn recognise(handle: &libloading::Library) -> Option<Implementation> {
    let has = |name: &[u8]| {
        // SAFETY: only the address is read.
        unsafe { handle.get::<*mut c_void>(name) }.is_ok_and(|s| !s.is_null())
    };
    if has(b"__gss_c_nt_hostbased_service_oid_desc\0") {
        Some(Implementation::Heimdal)
    } else if has(b"GSS_C_NT_HOSTBASED_SERVICE\0") {
        Some(Implementation::Mit)
    } else {
        None
    }
}

/// Heimdal's libkrb5 exports `const char *heimdal_version` ("Heimdal 7.8.0").
fn heimdal_version(handle: &libloading::Library) -> Option<String> {
    // SAFETY: the symbol is a `const char *` variable; its address is a valid pointer to it.
    let variable = *unsafe { handle.get::<*const *const c_char>(b"heimdal_version\0") }.ok()?;
    if variable.is_null() {
        return None;
    }
    // SAFETY: a valid, aligned pointer to the variable, which Heimdal never changes.
    let text = unsafe { *variable };
    if text.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated static string.
    let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
    let version = text.trim_start_matches("Heimdal").trim();
    Some(version.to_string())
}

/// MIT exports no version; its libkrb5 carries the brand string
/// `KRB5_BRAND: krb5-1.20.1-final 1.20.1 20221111`, read from the file that defines
/// `krb5_init_context` (found with `dladdr`).
fn mit_version(handle: &libloading::Library) -> Option<String> {
    #[repr(C)]
    struct DlInfo {
        dli_fname: *const c_char,
        dli_fbase: *mut c_void,
        dli_sname: *const c_char,
        dli_saddr: *mut c_void,
    }
    unsafe extern "C" {
        fn dladdr(addr: *const c_void, info: *mut DlInfo) -> c_int;
    }
    // SAFETY: only the address is read.
    let address = *unsafe { handle.get::<*mut c_void>(b"krb5_init_context\0") }.ok()?;
    let mut info = DlInfo {
        dli_fname: core::ptr::null(),
        dli_fbase: core::ptr::null_mut(),
        dli_sname: core::ptr::null(),
        dli_saddr: core::ptr::null_mut(),
    };
    // SAFETY: a valid out-structure; the address is one the loader resolved.
    if unsafe { dladdr(address, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: the loader's NUL-terminated file name, valid while the library is loaded.
    let file = unsafe { CStr::from_ptr(info.dli_fname) }.to_str().ok()?;
    let bytes = std::fs::read(file).ok()?;
    brand_version(&bytes)
}

/// The version in MIT's brand string: `KRB5_BRAND: krb5-1.20.1-final 1.20.1 20221111` gives
/// `1.20.1`.
fn brand_version(bytes: &[u8]) -> Option<String> {
    const MARK: &[u8] = b"KRB5_BRAND: ";
    let start = bytes.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let rest = &bytes[start..];
    let end = rest
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(rest.len())
        .min(200);
    let brand = std::str::from_utf8(&rest[..end]).ok()?;
    brand.split_whitespace().nth(1).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_string() {
        assert_eq!(
            brand_version(b"xx\0KRB5_BRAND: krb5-1.20.1-final 1.20.1 20221111\0yy").as_deref(),
            Some("1.20.1")
        );
        assert_eq!(brand_version(b"no brand here"), None);
    }
}
