//! GSSAPI extensions beyond RFC 2744: one module per extension, as python-gssapi's
//! `gssapi.raw.ext_*` modules.
//!
//! Every function exists on every platform. When the library this crate was built against lacks
//! an extension (detected per symbol at build time, see `gssapi_sys::EXTENSIONS`), its functions
//! return an [`Error`](crate::Error) whose
//! [`is_unavailable_in_library`](crate::Error::is_unavailable_in_library) is true, and whose
//! kind is `OperationUnavailable`.
//!
//! ```
//! for ext in gssapi_raw::ext::supported_extensions() {
//!     println!("{}: {}", ext.name, ext.summary);
//! }
//! ```

/// The body of a function whose extension this build's library lacks: the arguments are
/// consumed (so the signature is the same everywhere) and the typed Unavailable error returned.
#[allow(unused_macros)]
macro_rules! unavailable {
    ($function:literal $(, $arg:expr)* $(,)?) => {{
        $(let _ = &$arg;)*
        Err($crate::Error::missing_function($function))
    }};
}

/// The first statement of a call into an extension: in a `dlopen` build (`cfg(gss_runtime)`),
/// when the loaded library lacks `$function`, the enclosing function returns the same typed
/// Unavailable error a linked build without the extension gives. A linked build has every
/// function its `cfg(gss_has)` compiles in, so this is nothing there.
macro_rules! resolved {
    ($function:ident) => {
        #[cfg(gss_runtime)]
        if !gssapi_sys::dlopen::resolved::$function() {
            return Err($crate::Error::missing_function(stringify!($function)));
        }
    };
}

pub mod cred_imp_exp;
pub mod cred_store;
pub mod dce;
pub mod ggf;
pub mod iov_mic;
pub mod krb5;
pub mod localname;
pub mod password;
pub mod rfc4178;
pub mod rfc4401;
pub mod rfc5587;
pub mod rfc5588;
pub mod rfc5801;
pub mod rfc6680;
pub mod s4u;

pub use gssapi_sys::Extension;

/// The extensions the library in use has (python-gssapi users check `hasattr(gssapi.raw,
/// ...)`; this is the list at once): detected at build time, or in a `dlopen` build in the
/// library loaded at run time.
pub fn supported_extensions() -> Vec<&'static Extension> {
    gssapi_sys::available_extensions().collect()
}

/// Whether the library in use has the named extension (a name from `gssapi_sys::EXTENSIONS`,
/// e.g. `"cred_store"`).
pub fn is_supported(name: &str) -> bool {
    gssapi_sys::has_extension(name)
}
