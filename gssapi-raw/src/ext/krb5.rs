//! Kerberos-specific extensions (`gssapi_krb5.h`): the default ccache name, lucid contexts
//! (the keys, for kernel offload such as NFS), the authentication time, authorization data,
//! ticket flags, importing krb5 handles and restricting encryption types.
//!
//! ```no_run
//! # fn f(ctx: &mut gssapi_raw::SecContext) -> gssapi_raw::Result<()> {
//! use gssapi_raw::ext::krb5;
//! let flags = krb5::krb5_get_tkt_flags(ctx)?;
//! let forwardable = flags & krb5::TKT_FLG_FORWARDABLE != 0;
//! let authtime = krb5::krb5_extract_authtime_from_sec_context(ctx)?;
//! println!("forwardable: {forwardable}, authenticated at {authtime}");
//! # Ok(()) }
//! ```
//!
//! Provided by MIT krb5 and Heimdal (extension `krb5` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::Result;
use crate::buffer::Buffer;
use crate::context::SecContext;
use crate::cred::Cred;
use crate::error::Error;
use zeroize::Zeroizing;

// Ticket flags in MIT's encoding, the `TKT_FLG_*` values of MIT's krb5.h (the KDC's bit
// string: bit 0 is the most significant). Heimdal numbers the bits from the least significant;
// `krb5_get_tkt_flags` converts its flags, so these constants hold for every library (and stay
// constants when the library is chosen at run time).

/// Ticket flag: the ticket is forwardable.
pub const TKT_FLG_FORWARDABLE: u32 = ticket_flag(1);
/// Ticket flag: the ticket was forwarded.
pub const TKT_FLG_FORWARDED: u32 = ticket_flag(2);
/// Ticket flag: the client was pre-authenticated.
pub const TKT_FLG_PRE_AUTH: u32 = ticket_flag(10);
/// Ticket flag: the KDC considers the service trusted for delegation.
pub const TKT_FLG_OK_AS_DELEGATE: u32 = ticket_flag(13);

/// The bit of RFC 4120 ticket flag number `n` in the flags [`krb5_get_tkt_flags`] returns
/// (MIT's encoding, on every library).
pub const fn ticket_flag(n: u32) -> u32 {
    1 << (31 - n)
}

/// Sets the ccache the krb5 mechanism uses by default **on the calling thread**, returning the
/// previous name (MIT; Heimdal reports none). `None` restores the default (MIT only: Heimdal
/// cannot, and gets a typed error rather than the crash its C function has for a null name).
///
/// Neither library makes this process-wide, whatever older documentation says:
///
/// - MIT keeps the name in thread-specific data (`kg_set_ccache_name`): other threads, and
///   threads started later, keep their own default (`KRB5CCNAME` or the profile's).
/// - Heimdal sets the default name of the calling thread's krb5 context (its krb5 mechanism
///   keeps one context per thread, `_gsskrb5_init`), with the same effect; it reports no
///   previous name, and its C call returns success even when the name could not be set.
///
/// So it is only good for code that stays on one thread, and it is invisible to async tasks
/// that move between threads. Prefer `cred_store::acquire_cred_from` with an explicit
/// `ccache` (or the high-level credential builder's `store`), which affects only that call.
#[doc(alias = "gss_krb5_ccache_name")]
pub fn krb5_ccache_name(name: Option<&str>) -> Result<Option<String>> {
    let name = name.map(std::ffi::CString::new).transpose().map_err(|_| {
        Error::invalid_input("gss_krb5_ccache_name", "the name contains a NUL byte")
    })?;
    if crate::sys::is_heimdal() && name.is_none() {
        return Err(Error::invalid_input(
            "gss_krb5_ccache_name",
            "Heimdal cannot restore the default ccache name",
        ));
    }
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_ccache_name);
        let mut old: *const core::ffi::c_char = std::ptr::null();
        crate::call("gss_krb5_ccache_name", |minor| {
            // SAFETY: the name is NUL-terminated (or null) and only read; `old` receives a
            // pointer to library storage that stays valid until the next call, copied below.
            unsafe {
                crate::sys::gss_krb5_ccache_name(
                    minor,
                    name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr()),
                    &mut old,
                )
            }
        })?;
        if old.is_null() {
            return Ok(None);
        }
        // SAFETY: a non-null result is a NUL-terminated string owned by the library, read now.
        let text = unsafe { std::ffi::CStr::from_ptr(old) };
        Ok(Some(text.to_string_lossy().into_owned()))
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gss_krb5_ccache_name", name)
}

/// A key from a lucid context; the bytes are wiped on drop.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LucidKey {
    /// The Kerberos encryption type number (e.g. 18 for aes256-cts-hmac-sha1-96).
    pub enctype: u32,
    /// The key bytes.
    pub data: Zeroizing<Vec<u8>>,
}

/// The keys of a context, by protocol.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum LucidKeys {
    /// RFC 1964 (DES, RC4) contexts.
    Rfc1964 {
        /// Signing algorithm number.
        sign_alg: u32,
        /// Sealing algorithm number.
        seal_alg: u32,
        /// The context key.
        ctx_key: LucidKey,
    },
    /// RFC 4121 (CFX) contexts.
    Cfx {
        /// The context key.
        ctx_key: LucidKey,
        /// The acceptor subkey, when the acceptor chose one.
        acceptor_subkey: Option<LucidKey>,
    },
}

/// A version-1 lucid context: what a kernel needs to take over a Kerberos context.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LucidContext {
    /// The structure version (1).
    pub version: u32,
    /// Whether this side initiated the context.
    pub initiate: bool,
    /// When the context expires (seconds since the epoch).
    pub endtime: u32,
    /// The next sequence number to send.
    pub send_seq: u64,
    /// The next sequence number expected.
    pub recv_seq: u64,
    /// The keys.
    pub keys: LucidKeys,
}

#[cfg(gss_has = "krb5")]
fn lucid_key(k: &gssapi_sys::gss_krb5_lucid_key_t) -> LucidKey {
    let bytes = if k.data.is_null() || k.length == 0 {
        Vec::new()
    } else {
        // SAFETY: the library fills `length` bytes at `data` for each key of the structure.
        unsafe { std::slice::from_raw_parts(k.data as *const u8, k.length as usize) }.to_vec()
    };
    LucidKey {
        enctype: k.type_,
        data: Zeroizing::new(bytes),
    }
}

/// Exports the keys and sequence numbers of an established Kerberos context (`version` 1 is the
/// only one defined). The library's copy is freed (and its keys with it) before returning.
#[doc(alias = "gss_krb5_export_lucid_sec_context")]
pub fn krb5_export_lucid_sec_context(
    context: &mut SecContext,
    version: u32,
) -> Result<LucidContext> {
    crate::context::require("gss_krb5_export_lucid_sec_context", context)?;
    // Heimdal exports an unfinished context (with meaningless keys); refuse it everywhere.
    if !crate::context::inquire_context(context)?.complete {
        return Err(Error::rejected(
            "gss_krb5_export_lucid_sec_context",
            crate::sys::GSS_S_NO_CONTEXT,
            "the context is not established yet",
        ));
    }
    if version != 1 {
        return Err(Error::invalid_input(
            "gss_krb5_export_lucid_sec_context",
            "only version 1 lucid contexts are defined",
        ));
    }
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_export_lucid_sec_context);
        let mut raw: *mut core::ffi::c_void = std::ptr::null_mut();
        crate::call("gss_krb5_export_lucid_sec_context", |minor| {
            // SAFETY: the handle is ours (exclusively borrowed); the output pointer receives a
            // structure freed below with gss_krb5_free_lucid_sec_context.
            unsafe {
                crate::sys::gss_krb5_export_lucid_sec_context(
                    minor,
                    context.handle_mut(),
                    version,
                    &mut raw,
                )
            }
        })?;
        if raw.is_null() {
            return Err(Error::from_status(
                "gss_krb5_export_lucid_sec_context",
                crate::sys::GSS_S_FAILURE,
                0,
            ));
        }
        // SAFETY: on success with version 1 the library returns a gss_krb5_lucid_context_v1_t.
        let v1 = unsafe { &*(raw as *const gssapi_sys::gss_krb5_lucid_context_v1_t) };
        let keys = if v1.protocol == 0 {
            LucidKeys::Rfc1964 {
                sign_alg: v1.rfc1964_kd.sign_alg,
                seal_alg: v1.rfc1964_kd.seal_alg,
                ctx_key: lucid_key(&v1.rfc1964_kd.ctx_key),
            }
        } else {
            LucidKeys::Cfx {
                ctx_key: lucid_key(&v1.cfx_kd.ctx_key),
                acceptor_subkey: (v1.cfx_kd.have_acceptor_subkey != 0)
                    .then(|| lucid_key(&v1.cfx_kd.acceptor_subkey)),
            }
        };
        let lucid = LucidContext {
            version: v1.version,
            initiate: v1.initiate != 0,
            endtime: v1.endtime,
            send_seq: v1.send_seq,
            recv_seq: v1.recv_seq,
            keys,
        };
        let mut minor = 0;
        // SAFETY: `raw` came from the export above and is freed once; `v1` is not used after.
        unsafe { crate::sys::gss_krb5_free_lucid_sec_context(&mut minor, raw) };
        Ok(lucid)
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gss_krb5_export_lucid_sec_context", context)
}

/// When the client authenticated to the KDC (seconds since the epoch), from the ticket.
///
/// The C type differs: MIT writes a 32-bit `krb5_timestamp`, which it reads as unsigned since
/// 1.16 (so it lasts until 2106), and Heimdal a `time_t`. Both fit in the `i64` returned here.
#[doc(alias = "gsskrb5_extract_authtime_from_sec_context")]
pub fn krb5_extract_authtime_from_sec_context(context: &SecContext) -> Result<i64> {
    crate::context::require("gsskrb5_extract_authtime_from_sec_context", context)?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gsskrb5_extract_authtime_from_sec_context);
        // The width the library writes: gssapi-sys declares the function per implementation
        // (a 32-bit krb5_timestamp on MIT, time_t on Heimdal; time_t at run time, where it
        // widens MIT's).
        let mut authtime: gssapi_sys::krb5_timestamp = 0;
        crate::call("gsskrb5_extract_authtime_from_sec_context", |minor| {
            // SAFETY: valid (non-empty) handle; the out-pointer is a valid local of the type
            // this library's prototype names (4 bytes on MIT, 8 on Heimdal and at run time).
            unsafe {
                crate::sys::gsskrb5_extract_authtime_from_sec_context(
                    minor,
                    context.as_raw(),
                    &mut authtime,
                )
            }
        })?;
        // MIT's 32-bit timestamps are unsigned since 1.16.
        #[cfg(not(any(gss_impl = "heimdal", gss_runtime)))]
        let authtime = i64::from(authtime as u32);
        Ok(authtime)
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gsskrb5_extract_authtime_from_sec_context", context)
}

/// The authorization data of type `ad_type` from the ticket (e.g. 128 for a Windows PAC).
#[doc(alias = "gsskrb5_extract_authz_data_from_sec_context")]
pub fn krb5_extract_authz_data_from_sec_context(
    context: &SecContext,
    ad_type: i32,
) -> Result<Buffer> {
    crate::context::require("gsskrb5_extract_authz_data_from_sec_context", context)?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gsskrb5_extract_authz_data_from_sec_context);
        let mut out = Buffer::new();
        crate::call("gsskrb5_extract_authz_data_from_sec_context", |minor| {
            // SAFETY: valid (non-empty) handle; the output is owned by `out`.
            unsafe {
                crate::sys::gsskrb5_extract_authz_data_from_sec_context(
                    minor,
                    context.as_raw(),
                    ad_type,
                    out.as_out_ptr(),
                )
            }
        })?;
        Ok(out)
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!(
        "gsskrb5_extract_authz_data_from_sec_context",
        context,
        ad_type
    )
}

/// Makes GSSAPI credentials from krb5 handles: a ccache (initiator), and/or a keytab with an
/// optional principal (acceptor).
///
/// # Safety
///
/// Each non-null handle must be a valid handle of the krb5 library this crate links, alive for
/// the duration of the call (the library copies what it needs).
#[doc(alias = "gss_krb5_import_cred")]
pub unsafe fn krb5_import_cred(
    ccache: gssapi_sys::krb5_ccache,
    keytab_principal: gssapi_sys::krb5_principal,
    keytab: gssapi_sys::krb5_keytab,
) -> Result<Cred> {
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_import_cred);
        let mut cred = Cred::null();
        crate::call("gss_krb5_import_cred", |minor| {
            // SAFETY: the caller guarantees the handles; the output is owned by `cred`.
            unsafe {
                crate::sys::gss_krb5_import_cred(
                    minor,
                    ccache,
                    keytab_principal,
                    keytab,
                    cred.as_out_ptr(),
                )
            }
        })?;
        Ok(cred)
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gss_krb5_import_cred", ccache, keytab_principal, keytab)
}

/// The flags of the ticket the context was established with (acceptor side), e.g.
/// [`TKT_FLG_FORWARDABLE`], in MIT's encoding on every library: Heimdal's (flag `n` at bit
/// `n`) are bit-reversed into it, so the same constants test them.
#[doc(alias = "gss_krb5_get_tkt_flags")]
pub fn krb5_get_tkt_flags(context: &SecContext) -> Result<u32> {
    crate::context::require("gss_krb5_get_tkt_flags", context)?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_get_tkt_flags);
        // krb5_flags (signed) on MIT, OM_uint32 on Heimdal: the same 32 bits either way.
        #[cfg(not(gss_impl = "heimdal"))]
        let mut flags: gssapi_sys::krb5_flags = 0;
        #[cfg(gss_impl = "heimdal")]
        let mut flags: gssapi_sys::OM_uint32 = 0;
        crate::call("gss_krb5_get_tkt_flags", |minor| {
            // SAFETY: valid (non-empty) handle; the out-pointer is a valid 32-bit local of the
            // type this library's prototype names.
            unsafe { crate::sys::gss_krb5_get_tkt_flags(minor, context.as_raw(), &mut flags) }
        })?;
        #[cfg(not(gss_impl = "heimdal"))]
        let flags = flags as u32;
        Ok(if crate::sys::is_heimdal() {
            flags.reverse_bits()
        } else {
            flags
        })
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gss_krb5_get_tkt_flags", context)
}

/// Restricts the encryption types `cred` may use for session keys (e.g. `[18]` for
/// aes256-cts-hmac-sha1-96 only).
#[doc(alias = "gss_krb5_set_allowable_enctypes")]
pub fn krb5_set_allowable_enctypes(cred: &mut Cred, enctypes: &[i32]) -> Result<()> {
    let count = u32::try_from(enctypes.len()).map_err(|_| {
        Error::invalid_input(
            "gss_krb5_set_allowable_enctypes",
            "too many encryption types",
        )
    })?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_set_allowable_enctypes);
        let mut list = enctypes.to_vec();
        crate::call("gss_krb5_set_allowable_enctypes", |minor| {
            // SAFETY: valid handle (exclusively borrowed: the call changes it); the list is
            // `count` readable integers (the library copies them).
            unsafe {
                crate::sys::gss_krb5_set_allowable_enctypes(
                    minor,
                    cred.as_raw(),
                    count,
                    list.as_mut_ptr(),
                )
            }
        })?;
        Ok(())
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gss_krb5_set_allowable_enctypes", cred, enctypes, count)
}

/// Destroys the credential cache `name` (any type: `MEMORY:`, `FILE:`, `KEYRING:`, ...) through
/// libkrb5's `krb5_cc_destroy`: GSSAPI itself has no call for it, so without this a `MEMORY:`
/// ccache that received delegated credentials lives as long as the process.
///
/// A ccache that never held anything is destroyed as well (resolving creates it). Errors are
/// libkrb5's, as the minor status of a `GSS_S_FAILURE` error with the Kerberos view
/// ([`Error::krb5_error`]).
#[doc(alias = "krb5_cc_destroy")]
pub fn krb5_destroy_ccache(name: &str) -> Result<()> {
    const FUNCTION: &str = "krb5_cc_destroy";
    let name = std::ffi::CString::new(name).map_err(|_| {
        Error::invalid_input(FUNCTION, "the ccache name must not contain a NUL byte")
    })?;
    let kctx = Krb5Context::new(FUNCTION)?;
    kctx.resolve_ccache(&name, FUNCTION)?.destroy(FUNCTION)
}

/// A failure of a libkrb5 call: its code as the minor status of `GSS_S_FAILURE`, with the
/// Kerberos mechanism, so [`Error::krb5_error`] and the messages work.
fn krb5_failure(function: &'static str, code: crate::sys::krb5_error_code) -> Error {
    Error::capture(
        function,
        crate::sys::GSS_S_FAILURE,
        code as u32,
        Some(&crate::oid::mech_type::KERBEROS),
    )
}

/// A libkrb5 context, freed on drop (after every handle resolved with it: they borrow it).
struct Krb5Context(crate::sys::krb5_context);

impl Krb5Context {
    fn new(function: &'static str) -> Result<Krb5Context> {
        let mut kctx: crate::sys::krb5_context = std::ptr::null_mut();
        // SAFETY: the out-pointer is valid; the context is owned by the value returned.
        let code = unsafe { crate::sys::krb5_init_context(&mut kctx) };
        if code != 0 {
            return Err(krb5_failure(function, code));
        }
        Ok(Krb5Context(kctx))
    }

    /// Resolves a ccache by name (`krb5_cc_resolve`; errors as `function`'s).
    fn resolve_ccache(
        &self,
        name: &std::ffi::CStr,
        function: &'static str,
    ) -> Result<Krb5Ccache<'_>> {
        let mut cache: crate::sys::krb5_ccache = std::ptr::null_mut();
        // SAFETY: a valid context and a NUL-terminated name; the handle is owned by the value
        // returned, which borrows the context.
        let code = unsafe { crate::sys::krb5_cc_resolve(self.0, name.as_ptr(), &mut cache) };
        if code != 0 {
            return Err(krb5_failure(function, code));
        }
        Ok(Krb5Ccache {
            kctx: self,
            handle: cache,
        })
    }

    /// Resolves a keytab by name (`krb5_kt_resolve`; errors as `function`'s).
    #[cfg_attr(not(gss_has = "krb5"), allow(dead_code))]
    fn resolve_keytab(
        &self,
        name: &std::ffi::CStr,
        function: &'static str,
    ) -> Result<Krb5Keytab<'_>> {
        let mut keytab: crate::sys::krb5_keytab = std::ptr::null_mut();
        // SAFETY: a valid context and a NUL-terminated name; the handle is owned by the value
        // returned, which borrows the context.
        let code = unsafe { crate::sys::krb5_kt_resolve(self.0, name.as_ptr(), &mut keytab) };
        if code != 0 {
            return Err(krb5_failure(function, code));
        }
        Ok(Krb5Keytab {
            kctx: self,
            handle: keytab,
        })
    }
}

impl Drop for Krb5Context {
    fn drop(&mut self) {
        // SAFETY: the context came from krb5_init_context; the handles resolved with it
        // borrow it, so none remains.
        unsafe { crate::sys::krb5_free_context(self.0) };
    }
}

/// A ccache handle, closed on drop (not destroyed: see [`Krb5Ccache::destroy`]).
struct Krb5Ccache<'a> {
    kctx: &'a Krb5Context,
    handle: crate::sys::krb5_ccache,
}

impl Krb5Ccache<'_> {
    /// Destroys the ccache (`krb5_cc_destroy`, which releases the handle too).
    fn destroy(self, function: &'static str) -> Result<()> {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: the handle was resolved with the context, which is alive; krb5_cc_destroy
        // releases it on success and on failure (MIT and Heimdal both close it), so the
        // drop (close) is skipped.
        let code = unsafe { crate::sys::krb5_cc_destroy(this.kctx.0, this.handle) };
        if code != 0 {
            return Err(krb5_failure(function, code));
        }
        Ok(())
    }
}

impl Drop for Krb5Ccache<'_> {
    fn drop(&mut self) {
        // SAFETY: resolved with the (still alive) context; not used after this.
        unsafe { crate::sys::krb5_cc_close(self.kctx.0, self.handle) };
    }
}

/// A keytab handle, closed on drop.
#[cfg_attr(not(gss_has = "krb5"), allow(dead_code))]
struct Krb5Keytab<'a> {
    kctx: &'a Krb5Context,
    handle: crate::sys::krb5_keytab,
}

impl Drop for Krb5Keytab<'_> {
    fn drop(&mut self) {
        // SAFETY: resolved with the (still alive) context; not used after this.
        unsafe { crate::sys::krb5_kt_close(self.kctx.0, self.handle) };
    }
}

/// Credentials from a Kerberos keytab and/or ccache given by name (`gss_krb5_import_cred`):
/// acceptor credentials from `keytab` (any key in it), initiator credentials from `ccache`,
/// or both. No environment variable is read for the names given.
///
/// This is how to acquire acceptor credentials from a named keytab on Heimdal 7.8, which has
/// no credential-store API (`gss_acquire_cred_from`); MIT has both. The keytab is resolved
/// with libkrb5 (`krb5_kt_resolve`) and closed after the call: MIT keeps its own duplicate
/// handle in the credential, Heimdal its name.
#[doc(alias = "gss_krb5_import_cred")]
pub fn krb5_import_cred_by_name(ccache: Option<&str>, keytab: Option<&str>) -> Result<Cred> {
    const FUNCTION: &str = "gss_krb5_import_cred";
    if ccache.is_none() && keytab.is_none() {
        return Err(Error::invalid_input(
            FUNCTION,
            "give a ccache, a keytab or both",
        ));
    }
    let cstring = |s: &str| {
        std::ffi::CString::new(s)
            .map_err(|_| Error::invalid_input(FUNCTION, "the name must not contain a NUL byte"))
    };
    let ccache = ccache.map(cstring).transpose()?;
    let keytab = keytab.map(cstring).transpose()?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_import_cred);
        let kctx = Krb5Context::new("krb5_init_context")?;
        let cc = ccache
            .as_deref()
            .map(|name| kctx.resolve_ccache(name, "krb5_cc_resolve"))
            .transpose()?;
        let kt = keytab
            .as_deref()
            .map(|name| kctx.resolve_keytab(name, "krb5_kt_resolve"))
            .transpose()?;
        // SAFETY: the handles are null or resolved with `kctx`, all alive until after the
        // call; both libraries copy what they keep (MIT duplicates the keytab and ccache
        // handles, Heimdal keeps their names), so ours are closed afterwards (on drop).
        unsafe {
            krb5_import_cred(
                cc.as_ref().map_or(std::ptr::null_mut(), |c| c.handle),
                std::ptr::null_mut(),
                kt.as_ref().map_or(std::ptr::null_mut(), |k| k.handle),
            )
        }
    }
    #[cfg(not(gss_has = "krb5"))]
    {
        let _ = (ccache, keytab);
        unavailable!("gss_krb5_import_cred")
    }
}

/// Makes `keytab` the keytab of every Kerberos acceptor in the process that uses default
/// credentials (`krb5_gss_register_acceptor_identity`, also spelled
/// `gsskrb5_register_acceptor_identity`): the process-wide setting that takes precedence over
/// `KRB5_KTNAME`, without touching the environment.
///
/// It is the only way to give Heimdal 7.8's SPNEGO acceptor a keytab other than the default:
/// that library has no credential store, and SPNEGO refuses credentials made by
/// [`krb5_import_cred_by_name`] (they hold no SPNEGO element). MIT has the call too (and the
/// credential store, which is per credential and so preferable). Both libraries copy the
/// name under a lock.
#[doc(alias = "krb5_gss_register_acceptor_identity")]
#[doc(alias = "gsskrb5_register_acceptor_identity")]
pub fn krb5_register_acceptor_identity(keytab: &str) -> Result<()> {
    const FUNCTION: &str = "krb5_gss_register_acceptor_identity";
    let name = std::ffi::CString::new(keytab).map_err(|_| {
        Error::invalid_input(FUNCTION, "the keytab name must not contain a NUL byte")
    })?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(krb5_gss_register_acceptor_identity);
        // SAFETY: a NUL-terminated string alive for the call; both libraries copy it.
        let major = unsafe { crate::sys::krb5_gss_register_acceptor_identity(name.as_ptr()) };
        crate::error::check(FUNCTION, major, 0, None).map(drop)
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("krb5_gss_register_acceptor_identity", name)
}

/// Copies the Kerberos tickets of `cred` (initiator credentials, e.g. delegated ones) into
/// the ccache `ccache` given by name (`gss_krb5_copy_ccache`).
///
/// Both libraries initialize the ccache for the credentials' principal first (replacing what
/// it held). It is how delegated
/// credentials reach a `MEMORY:` ccache on Heimdal 7.8, which has no `gss_store_cred_into`.
#[doc(alias = "gss_krb5_copy_ccache")]
pub fn krb5_copy_ccache(cred: &Cred, ccache: &str) -> Result<()> {
    const FUNCTION: &str = "gss_krb5_copy_ccache";
    let name = std::ffi::CString::new(ccache).map_err(|_| {
        Error::invalid_input(FUNCTION, "the ccache name must not contain a NUL byte")
    })?;
    #[cfg(gss_has = "krb5")]
    {
        resolved!(gss_krb5_copy_ccache);
        let kctx = Krb5Context::new("krb5_init_context")?;
        let cc = kctx.resolve_ccache(&name, "krb5_cc_resolve")?;
        crate::call(FUNCTION, |minor| {
            // SAFETY: a valid credential handle (the library takes its lock) and a ccache
            // handle resolved with `kctx`, alive for the call; the library writes through the
            // handle and keeps nothing of it.
            unsafe { crate::sys::gss_krb5_copy_ccache(minor, cred.as_raw(), cc.handle) }
        })
        .map(drop)
    }
    #[cfg(not(gss_has = "krb5"))]
    unavailable!("gss_krb5_copy_ccache", cred, name)
}

/// A libkrb5 context held open, and nothing else: while it lives, every libkrb5 context the
/// GSSAPI library makes for itself shares its parsed configuration instead of reading
/// `krb5.conf` again. See [`krb5_keep_config`].
pub struct KeptKrb5Config {
    _context: Krb5Context,
}

impl std::fmt::Debug for KeptKrb5Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptKrb5Config")
    }
}

// SAFETY: the context is never used after krb5_init_context, only freed (on drop). Freeing a
// context on another thread than the one that made it is allowed by both libraries (a
// context must only not be used by two threads at once, and this one is not used at all).
unsafe impl Send for KeptKrb5Config {}
// SAFETY: as above: no method touches the context, so shared references cannot race.
unsafe impl Sync for KeptKrb5Config {}

/// Opens a libkrb5 context and keeps it until the value is dropped (`krb5_init_context`).
///
/// MIT's Kerberos mechanism makes a libkrb5 context of its own for every
/// `gss_accept_sec_context`, `gss_init_sec_context` and `gss_release_name`, and frees it
/// afterwards. The profile library shares a parsed `krb5.conf` only among the contexts alive
/// at the same time, so a process with none alive reads and parses the file again for each of
/// those calls. A server that holds one context for its lifetime saves that work (measured
/// with MIT 1.20: 41.5 system calls per `gss_accept_sec_context` without, 36.5 with: an
/// open, reads, a close and stats of `krb5.conf`). Heimdal caches the configuration in its
/// own way: holding a context there costs a little memory and changes nothing.
pub fn krb5_keep_config() -> Result<KeptKrb5Config> {
    Krb5Context::new("krb5_init_context").map(|c| KeptKrb5Config { _context: c })
}
