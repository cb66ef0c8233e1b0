//! Security contexts (RFC 2744 section 2.2): establish, inquire, export, import, delete.
//!
//! ```no_run
//! use gssapi_raw::{context, name, name_type, Flags, SecContext};
//!
//! let target = name::import_name(b"host@server.example.com", Some(&name_type::HOSTBASED_SERVICE))?;
//! let mut initiator = SecContext::new();
//! let mut acceptor = SecContext::new();
//! let first = context::init_sec_context(None, &mut initiator, &target, None, Flags::MUTUAL, None, None, None)?;
//! let reply = context::accept_sec_context(&mut acceptor, None, &first.token, None)?;
//! let done = context::init_sec_context(None, &mut initiator, &target, None, Flags::MUTUAL, None, None, Some(&reply.token))?;
//! assert!(done.complete && reply.complete);
//! # Ok::<(), gssapi_raw::Error>(())
//! ```

use crate::buffer::{Buffer, input, input_opt};
use crate::cred::Cred;
use crate::cred::opt_cred;
use crate::error::{Error, Result, Supplementary, check};
use crate::name::Name;
use crate::oid::{Oid, opt_ptr};
use crate::sys;
use crate::types::{ChannelBindings, Flags, lifetime_out};
use std::fmt;
use std::ptr;

/// A security context handle (`gss_ctx_id_t`), deleted with `gss_delete_sec_context` on drop.
///
/// [`SecContext::new`] is the empty handle (`GSS_C_NO_CONTEXT`) that the first
/// `init_sec_context` or `accept_sec_context` call fills in. Every call that uses the context
/// for messages takes `&mut`, because the library updates sequence state on each.
#[doc(alias = "gss_ctx_id_t")]
pub struct SecContext {
    handle: sys::gss_ctx_id_t,
    /// The header and trailer sizes `dce::wrap_in_place` got from `gss_wrap_iov_length` for
    /// this context, when they do not depend on the data length (see there). Forgotten whenever the
    /// handle is handed to a call that may change or replace the context ([`Self::handle_mut`]).
    pub(crate) in_place_sizes: Option<InPlaceSizes>,
}

/// What `gss_wrap_iov_length` said for a header/data/padding/trailer IOV with these arguments
/// (see `dce::wrap_in_place` for when it may be reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InPlaceSizes {
    pub(crate) confidential: bool,
    pub(crate) qop: u32,
    pub(crate) header: usize,
    pub(crate) trailer: usize,
}

// SAFETY: a context is a heap object of the library and not tied to a thread; moving it to
// another thread and using it there is fine. It is not Sync: per-message calls update sequence
// numbers without a lock, which is why they take `&mut SecContext`.
unsafe impl Send for SecContext {}

impl SecContext {
    /// The empty handle (`GSS_C_NO_CONTEXT`), for the first establishment call.
    pub fn new() -> SecContext {
        SecContext {
            handle: ptr::null_mut(),
            in_place_sizes: None,
        }
    }

    /// Whether the handle is `GSS_C_NO_CONTEXT` (never established, deleted, or exported).
    pub fn is_null(&self) -> bool {
        self.handle.is_null()
    }

    /// The raw handle, for C APIs outside this crate. It stays owned by this `SecContext`.
    pub fn as_raw(&self) -> sys::gss_ctx_id_t {
        self.handle
    }

    pub(crate) fn handle_mut(&mut self) -> &mut sys::gss_ctx_id_t {
        // Establishment, import, export, delete and option calls may change the context's
        // keys or replace it: cached sizes no longer apply.
        self.in_place_sizes = None;
        &mut self.handle
    }
}

impl Default for SecContext {
    fn default() -> Self {
        SecContext::new()
    }
}

impl Drop for SecContext {
    fn drop(&mut self) {
        if !self.handle.is_null() {
            let mut minor = 0;
            // SAFETY: the handle came from the library and is deleted once, here; no output
            // token is requested.
            unsafe { sys::gss_delete_sec_context(&mut minor, &mut self.handle, ptr::null_mut()) };
        }
    }
}

impl fmt::Debug for SecContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecContext({:p})", self.handle)
    }
}

/// The result of [`init_sec_context`] (python-gssapi: `InitSecContextResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InitSecContext {
    /// Whether the context is established (no `GSS_S_CONTINUE_NEEDED`).
    pub complete: bool,
    /// The mechanism actually used.
    pub mech: Option<Oid>,
    /// The flags the context grants (or will grant), not the requested ones.
    pub flags: Flags,
    /// The token to send to the acceptor; empty when there is none.
    pub token: Buffer,
    /// The context lifetime in seconds; `None` for indefinite.
    pub lifetime: Option<u32>,
    /// Supplementary status bits other than `CONTINUE_NEEDED`.
    pub supplementary: Supplementary,
}

/// The result of [`accept_sec_context`] (python-gssapi: `AcceptSecContextResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct AcceptSecContext {
    /// Whether the context is established (no `GSS_S_CONTINUE_NEEDED`).
    pub complete: bool,
    /// The authenticated initiator, once known.
    pub initiator_name: Option<Name>,
    /// The mechanism used.
    pub mech: Option<Oid>,
    /// The token to send back to the initiator; empty when there is none.
    pub token: Buffer,
    /// The flags the context grants.
    pub flags: Flags,
    /// The context lifetime in seconds; `None` for indefinite.
    pub lifetime: Option<u32>,
    /// Credentials the initiator delegated (only with [`Flags::DELEGATE`] granted).
    pub delegated_creds: Option<Cred>,
    /// Supplementary status bits other than `CONTINUE_NEEDED`.
    pub supplementary: Supplementary,
}

/// The result of [`inquire_context`] (python-gssapi: `InquireContextResult`).
#[derive(Debug)]
#[non_exhaustive]
pub struct InquireContext {
    /// The initiator's name (may be absent before the context is established).
    pub initiator_name: Option<Name>,
    /// The acceptor's name (absent when the acceptor used no specific name).
    pub target_name: Option<Name>,
    /// Remaining lifetime in seconds; `None` for indefinite.
    pub lifetime: Option<u32>,
    /// The mechanism.
    pub mech: Option<Oid>,
    /// The flags the context grants.
    pub flags: Flags,
    /// Whether this side initiated the context.
    pub locally_initiated: bool,
    /// Whether the context is fully established (`open`).
    pub complete: bool,
}

fn bindings_ptr(
    bindings: Option<&ChannelBindings>,
    storage: &mut Option<sys::gss_channel_bindings_struct>,
) -> sys::gss_channel_bindings_t {
    match bindings {
        Some(cb) => storage.insert(cb.to_ffi()),
        None => sys::GSS_C_NO_CHANNEL_BINDINGS,
    }
}

/// One initiator step: starts the context (when `context` is empty) or continues it with the
/// acceptor's `input_token`.
///
/// `lifetime` is the requested lifetime in seconds (`None`: the default). On failure the error
/// carries any token the library produced for the peer ([`Error::token`]). A "continue" with
/// no token to send is an error ([`Error::is_dead_end`]).
#[doc(alias = "gss_init_sec_context")]
#[allow(clippy::too_many_arguments)]
pub fn init_sec_context(
    cred: Option<&Cred>,
    context: &mut SecContext,
    target_name: &Name,
    mech: Option<&Oid>,
    flags: Flags,
    lifetime: Option<u32>,
    bindings: Option<&ChannelBindings>,
    input_token: Option<&[u8]>,
) -> Result<InitSecContext> {
    if heimdal_would_read_garbage(context, mech, flags, input_token) {
        return Err(Error::rejected(
            "gss_init_sec_context",
            sys::GSS_S_DEFECTIVE_TOKEN,
            "the reply is not a framed Kerberos AP-REP or KRB-ERROR token (Heimdal 7.x reads \
             uninitialized memory for such a reply)",
        ));
    }
    let mut minor = 0;
    let mut cb = None;
    let cb_ptr = bindings_ptr(bindings, &mut cb);
    let mut input = input_opt(input_token);
    let mut actual_mech: sys::gss_OID = ptr::null_mut();
    let mut token = Buffer::new();
    let (mut ret_flags, mut time_rec) = (0, 0);
    // SAFETY: all inputs are valid for the call and only read (the channel bindings and input
    // token borrow Rust memory that outlives it); the context handle is ours to update; the
    // output token is released by Drop and the mech OID is a library static, copied below.
    let major = unsafe {
        sys::gss_init_sec_context(
            &mut minor,
            opt_cred(cred),
            context.handle_mut(),
            target_name.as_raw(),
            opt_ptr(mech),
            flags.bits(),
            crate::types::lifetime_in(lifetime),
            cb_ptr,
            &mut input,
            &mut actual_mech,
            token.as_out_ptr(),
            &mut ret_flags,
            &mut time_rec,
        )
    };
    // SAFETY: null or a static of the library.
    let actual_mech = unsafe { Oid::from_ffi(actual_mech) };
    let supplementary = check(
        "gss_init_sec_context",
        major,
        minor,
        mech.or(actual_mech.as_ref()),
    )
    .map_err(|e| e.with_token(std::mem::take(&mut token)))?;
    if supplementary.contains(Supplementary::CONTINUE_NEEDED) && token.is_empty() {
        return Err(Error::dead_end(
            "gss_init_sec_context",
            major,
            minor,
            mech.or(actual_mech.as_ref()),
        ));
    }
    Ok(InitSecContext {
        complete: !supplementary.contains(Supplementary::CONTINUE_NEEDED),
        mech: actual_mech,
        flags: Flags::from_bits_retain(ret_flags),
        token,
        lifetime: lifetime_out(time_rec),
        supplementary: supplementary - Supplementary::CONTINUE_NEEDED,
    })
}

/// One acceptor step with the initiator's `input_token` (`cred` `None`: the default acceptor
/// credentials, e.g. from the default keytab).
///
/// On failure the error carries any token the library produced for the peer (for Kerberos a
/// KRB-ERROR), which should still be sent ([`Error::token`]).
///
/// A "continue" with no token to send is an error ([`Error::is_dead_end`]): nothing could
/// make progress from there (MIT answers a token of the wrong kind this way).
#[doc(alias = "gss_accept_sec_context")]
pub fn accept_sec_context(
    context: &mut SecContext,
    cred: Option<&Cred>,
    input_token: &[u8],
    bindings: Option<&ChannelBindings>,
) -> Result<AcceptSecContext> {
    let mut minor = 0;
    let mut cb = None;
    let cb_ptr = bindings_ptr(bindings, &mut cb);
    let mut input = input(input_token);
    let mut initiator = Name::null();
    let mut mech: sys::gss_OID = ptr::null_mut();
    let mut token = Buffer::new();
    let (mut ret_flags, mut time_rec) = (0, 0);
    let mut delegated = Cred::null();
    // SAFETY: as for init_sec_context: inputs valid and only read, outputs owned by wrappers.
    let major = unsafe {
        sys::gss_accept_sec_context(
            &mut minor,
            context.handle_mut(),
            opt_cred(cred),
            &mut input,
            cb_ptr,
            initiator.as_out_ptr(),
            &mut mech,
            token.as_out_ptr(),
            &mut ret_flags,
            &mut time_rec,
            delegated.as_out_ptr(),
        )
    };
    // SAFETY: null or a static of the library.
    let mech = unsafe { Oid::from_ffi(mech) };
    let supplementary = check("gss_accept_sec_context", major, minor, mech.as_ref())
        .map_err(|e| e.with_token(std::mem::take(&mut token)))?;
    if supplementary.contains(Supplementary::CONTINUE_NEEDED) && token.is_empty() {
        return Err(Error::dead_end(
            "gss_accept_sec_context",
            major,
            minor,
            mech.as_ref(),
        ));
    }
    Ok(AcceptSecContext {
        complete: !supplementary.contains(Supplementary::CONTINUE_NEEDED),
        initiator_name: initiator.into_option().map(crate::name::from_context),
        mech,
        token,
        flags: Flags::from_bits_retain(ret_flags),
        lifetime: lifetime_out(time_rec),
        delegated_creds: delegated.into_option(),
        supplementary: supplementary - Supplementary::CONTINUE_NEEDED,
    })
}

/// Everything the library says about a context, complete or partial.
#[doc(alias = "gss_inquire_context")]
pub fn inquire_context(context: &SecContext) -> Result<InquireContext> {
    require("gss_inquire_context", context)?;
    let mut minor = 0;
    let mut src = Name::null();
    let mut targ = Name::null();
    let mut lifetime = 0;
    let mut mech: sys::gss_OID = ptr::null_mut();
    let mut flags = 0;
    let (mut local, mut open) = (0, 0);
    // SAFETY: valid (or null, which the library rejects) handle; outputs owned by wrappers.
    let major = unsafe {
        sys::gss_inquire_context(
            &mut minor,
            context.handle,
            src.as_out_ptr(),
            targ.as_out_ptr(),
            &mut lifetime,
            &mut mech,
            &mut flags,
            &mut local,
            &mut open,
        )
    };
    // SAFETY: null or a static of the library.
    let mech = unsafe { Oid::from_ffi(mech) };
    check("gss_inquire_context", major, minor, mech.as_ref())?;
    Ok(InquireContext {
        initiator_name: src.into_option().map(crate::name::from_context),
        target_name: targ.into_option().map(crate::name::from_context),
        lifetime: lifetime_out(lifetime),
        mech,
        flags: Flags::from_bits_retain(flags),
        locally_initiated: local != 0,
        complete: open != 0,
    })
}

/// Seconds the context remains valid (0 once expired).
#[doc(alias = "gss_context_time")]
pub fn context_time(context: &SecContext) -> Result<u32> {
    require("gss_context_time", context)?;
    let mut secs = 0;
    crate::error::call("gss_context_time", |minor| {
        // SAFETY: valid or null handle; the out-pointer is valid.
        unsafe { sys::gss_context_time(minor, context.handle, &mut secs) }
    })?;
    Ok(secs)
}

/// Deletes the context now, returning the token for the peer if the mechanism produces one
/// (modern mechanisms do not: the buffer is then empty). The handle becomes empty.
#[doc(alias = "gss_delete_sec_context")]
pub fn delete_sec_context(context: &mut SecContext) -> Result<Buffer> {
    require("gss_delete_sec_context", context)?;
    let mut token = Buffer::new();
    crate::error::call("gss_delete_sec_context", |minor| {
        // SAFETY: the handle is ours; the library frees it and sets it to GSS_C_NO_CONTEXT.
        unsafe { sys::gss_delete_sec_context(minor, context.handle_mut(), token.as_out_ptr()) }
    })?;
    Ok(token)
}

/// Exports an established context for another process; the local handle becomes empty.
#[doc(alias = "gss_export_sec_context")]
pub fn export_sec_context(context: &mut SecContext) -> Result<Buffer> {
    require("gss_export_sec_context", context)?;
    let mut token = Buffer::new();
    crate::error::call("gss_export_sec_context", |minor| {
        // SAFETY: the handle is ours; on success the library frees it and nulls it.
        unsafe { sys::gss_export_sec_context(minor, context.handle_mut(), token.as_out_ptr()) }
    })?;
    Ok(token)
}

/// Imports a context exported by [`export_sec_context`].
///
/// **Only import tokens from a trusted source** (this process, or a peer process over a
/// channel you trust). The token is in the library's private format, which neither library
/// defends: MIT 1.20 crashes on damaged tokens (in `profile_ser_internalize`, or later in
/// `gss_delete_sec_context`), and Heimdal 7.8 accepts a truncated one as complete with no
/// mechanism context behind it. To pass a context through storage or a party you do not
/// trust, seal the token first (authenticated encryption under a key of yours) and import
/// only what opens.
///
/// On Heimdal 7.x that hollow result is detected and refused (`DefectiveToken`, no context
/// escapes): every later call on it would dereference the missing mechanism context.
#[doc(alias = "gss_import_sec_context")]
pub fn import_sec_context(token: &[u8]) -> Result<SecContext> {
    let mut ctx = SecContext::new();
    let mut buf = input(token);
    crate::error::call("gss_import_sec_context", |minor| {
        // SAFETY: the token is only read; the new handle is owned by `ctx`.
        unsafe { sys::gss_import_sec_context(minor, &mut buf, ctx.handle_mut()) }
    })?;
    if heimdal_hollow(&ctx) {
        // Dropping it is safe: Heimdal's gss_delete_sec_context skips a missing mechanism
        // context and frees the glue.
        drop(ctx);
        return Err(Error::rejected(
            "gss_import_sec_context",
            sys::GSS_S_DEFECTIVE_TOKEN,
            "the library imported the token as a context with no mechanism context behind it \
             (a truncated or damaged token)",
        ));
    }
    Ok(ctx)
}

/// Whether Heimdal 7.x's Kerberos initiator would crash on this reply.
///
/// Its `repl_mutual` (lib/gssapi/krb5/init_sec_context.c) unwraps the peer's reply as a
/// framed AP-REP (token id `02 00`), then as a KRB-ERROR (`03 00`); when neither matches it
/// goes on to `krb5_rd_rep` with an uninitialized buffer and segfaults (in `der_get_tag`):
/// any peer can crash the client with one malformed token. A Kerberos continuation (not
/// DCE style) whose input is not exactly such a framed token is refused before the call.
fn heimdal_would_read_garbage(
    context: &SecContext,
    mech: Option<&Oid>,
    flags: Flags,
    input: Option<&[u8]>,
) -> bool {
    if !crate::sys::is_heimdal() || !sys::library_version().starts_with("7.") || context.is_null() {
        return false;
    }
    let krb5 = Oid::from_static(sys::oids::GSS_MECH_KRB5);
    if mech.is_some_and(|m| *m != krb5) || flags.contains(Flags::DCE_STYLE) {
        return false;
    }
    let Some(token) = input.filter(|t| !t.is_empty()) else {
        return false;
    };
    !is_framed_krb5_reply(token)
}

/// `60 <DER length of the rest> 06 09 <Kerberos OID> {02 00 | 03 00} <body>` (RFC 2743 §3.1,
/// RFC 4121 §4.1).
fn is_framed_krb5_reply(token: &[u8]) -> bool {
    let Some((&0x60, rest)) = token.split_first() else {
        return false;
    };
    let Some((len, rest)) = crate::oid::der_length(rest) else {
        return false;
    };
    if len != rest.len() {
        return false;
    }
    let oid = sys::oids::GSS_MECH_KRB5;
    let Some(after_oid) = rest
        .strip_prefix(&[0x06, oid.len() as u8][..])
        .and_then(|r| r.strip_prefix(oid))
    else {
        return false;
    };
    after_oid.starts_with(&[0x02, 0x00]) || after_oid.starts_with(&[0x03, 0x00])
}

/// Whether a context Heimdal 7.x returned has no mechanism context (`gc_ctx` is NULL).
fn heimdal_hollow(ctx: &SecContext) -> bool {
    if !crate::sys::is_heimdal() || !sys::library_version().starts_with("7.") || ctx.is_null() {
        return false;
    }
    let glue = ctx.handle as *const *const core::ffi::c_void;
    // SAFETY: in Heimdal 7.x a context handle is a malloc'd `struct _gss_context {
    // gssapi_mech_interface gc_mech; gss_ctx_id_t gc_ctx; }` (lib/gssapi/mech/context.h,
    // unchanged from 1.0 to 7.8); the handle is non-null, ours, and no call is running on it,
    // so reading its second pointer field reads initialized library memory. Later Heimdal
    // versions changed the layout, hence the version check above.
    let mech_ctx = unsafe { *glue.add(1) };
    mech_ctx.is_null()
}

/// Hands a token to the context outside the normal flow (e.g. an error token from the peer
/// after the initiator thought it was done).
#[doc(alias = "gss_process_context_token")]
pub fn process_context_token(context: &mut SecContext, token: &[u8]) -> Result<()> {
    require("gss_process_context_token", context)?;
    let mut buf = input(token);
    crate::error::call("gss_process_context_token", |minor| {
        // SAFETY: valid handle; the token is only read.
        unsafe { sys::gss_process_context_token(minor, context.handle, &mut buf) }
    })?;
    Ok(())
}

/// Rejects the empty handle before the library sees it, with the status MIT returns
/// (`GSS_S_CALL_INACCESSIBLE_READ | GSS_S_NO_CONTEXT`, python-gssapi's `ContextReadError`).
/// Heimdal dereferences a `GSS_C_NO_CONTEXT` in several calls, so this check is what keeps those
/// calls safe there.
pub(crate) fn require(function: &'static str, context: &SecContext) -> Result<()> {
    if context.is_null() {
        return Err(Error::rejected(
            function,
            sys::GSS_S_CALL_INACCESSIBLE_READ | sys::GSS_S_NO_CONTEXT,
            "no security context: the handle is empty (never established, deleted or exported)",
        ));
    }
    Ok(())
}
