//! DCE-style IOV wrap and unwrap, AEAD, and an in-place path for bulk data.
//!
//! An [`Iov`] is a list of buffers the library works on together: the data to protect (in
//! place), associated data that is signed but not encrypted, and the header, padding and
//! trailer of the token, each either supplied by the caller or allocated by the library.
//!
//! ```no_run
//! # fn f(ctx: &mut gssapi_raw::SecContext, peer: &mut gssapi_raw::SecContext) -> gssapi_raw::Result<()> {
//! use gssapi_raw::ext::dce;
//!
//! // Encrypt a large buffer where it is; only header and trailer are new memory.
//! let mut data = vec![7u8; 1 << 20];
//! let wrapped = dce::wrap_in_place(ctx, &mut data, true, None)?;
//! // On the wire: header || data || padding || trailer, a normal RFC 4121 wrap token.
//! let mut token = wrapped.to_token(&data);
//! let (plain, info) = dce::unwrap_in_place(peer, &mut token)?;
//! assert!(info.encrypted && token[plain].iter().all(|b| *b == 7));
//! # Ok(()) }
//! ```
//!
//! Rust-side checks turn misuse into typed errors before the library sees it: an IOV without a
//! data buffer, a read-only buffer where the library would write, an empty context handle.

use crate::buffer::{Buffer, desc_bytes, input};
use crate::context::{SecContext, require};
use crate::error::{Error, Supplementary};
use crate::message::{Unwrap, Wrap, unverified_on_heimdal};
use crate::{Result, sys};
use num_enum::{IntoPrimitive, TryFromPrimitive};
use std::marker::PhantomData;
use std::ops::Range;

/// The type of an IOV buffer (python-gssapi: `IOVBufferType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TryFromPrimitive, IntoPrimitive)]
#[repr(u32)]
#[non_exhaustive]
pub enum IovBufferType {
    /// `GSS_IOV_BUFFER_TYPE_EMPTY`: ignored.
    Empty = sys::GSS_IOV_BUFFER_TYPE_EMPTY,
    /// `GSS_IOV_BUFFER_TYPE_DATA`: the payload, protected in place.
    Data = sys::GSS_IOV_BUFFER_TYPE_DATA,
    /// `GSS_IOV_BUFFER_TYPE_HEADER`: the token header.
    Header = sys::GSS_IOV_BUFFER_TYPE_HEADER,
    /// `GSS_IOV_BUFFER_TYPE_MECH_PARAMS`: mechanism parameters.
    MechParams = sys::GSS_IOV_BUFFER_TYPE_MECH_PARAMS,
    /// `GSS_IOV_BUFFER_TYPE_TRAILER`: the token trailer.
    Trailer = sys::GSS_IOV_BUFFER_TYPE_TRAILER,
    /// `GSS_IOV_BUFFER_TYPE_PADDING`: padding (empty for RFC 4121 AES).
    Padding = sys::GSS_IOV_BUFFER_TYPE_PADDING,
    /// `GSS_IOV_BUFFER_TYPE_STREAM`: a complete token, for unwrap.
    Stream = sys::GSS_IOV_BUFFER_TYPE_STREAM,
    /// `GSS_IOV_BUFFER_TYPE_SIGN_ONLY`: associated data, signed but not encrypted.
    SignOnly = sys::GSS_IOV_BUFFER_TYPE_SIGN_ONLY,
    /// `GSS_IOV_BUFFER_TYPE_MIC_TOKEN`: where a MIC goes (IOV MIC).
    MicToken = sys::GSS_IOV_BUFFER_TYPE_MIC_TOKEN,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Caller memory the library may write (`&mut [u8]`).
    Writable,
    /// Caller memory the library must only read (`&[u8]`).
    ReadOnly,
    /// No memory yet: the library allocates it (ALLOCATE flag), or only reports a length.
    Library,
}

/// A list of IOV buffers (`gss_iov_buffer_desc[]`) borrowing caller memory for `'a`.
///
/// Buffers the library allocated are released with `gss_release_iov_buffer` on drop; caller
/// memory never is.
pub struct Iov<'a> {
    descs: Vec<sys::gss_iov_buffer_desc>,
    access: Vec<Access>,
    /// Where each writable caller buffer is, as pushed (the library may rewrite descriptors).
    origins: Vec<Option<(*mut u8, usize)>>,
    _borrows: PhantomData<&'a mut [u8]>,
}

// SAFETY: the descriptors point into memory borrowed for 'a (which the borrow checker keeps
// alive and unaliased) or into library allocations owned by this value; none is tied to a thread.
unsafe impl Send for Iov<'_> {}

impl<'a> Default for Iov<'a> {
    fn default() -> Self {
        Iov::new()
    }
}

impl<'a> Iov<'a> {
    /// An empty list.
    pub fn new() -> Iov<'a> {
        Iov {
            descs: Vec::new(),
            access: Vec::new(),
            origins: Vec::new(),
            _borrows: PhantomData,
        }
    }

    fn push(
        &mut self,
        kind: IovBufferType,
        flags: u32,
        desc: sys::gss_buffer_desc,
        access: Access,
    ) {
        self.origins
            .push((access == Access::Writable).then_some((desc.value as *mut u8, desc.length)));
        self.descs.push(sys::gss_iov_buffer_desc {
            type_: u32::from(kind) | flags,
            buffer: desc,
        });
        self.access.push(access);
    }

    /// Adds caller memory the library may rewrite in place: data to wrap or unwrap, a stream
    /// to unwrap, or a header/padding/trailer sized with [`wrap_iov_length`].
    pub fn push_mut(&mut self, kind: IovBufferType, buf: &'a mut [u8]) -> &mut Self {
        let desc = sys::gss_buffer_desc {
            length: buf.len(),
            value: buf.as_mut_ptr().cast(),
        };
        self.push(kind, 0, desc, Access::Writable);
        self
    }

    /// Adds caller memory the library only reads: associated data ([`IovBufferType::SignOnly`])
    /// or the data of a MIC.
    pub fn push_ref(&mut self, kind: IovBufferType, buf: &'a [u8]) -> &mut Self {
        self.push(kind, 0, input(buf), Access::ReadOnly);
        self
    }

    /// Adds a buffer the library allocates (header, padding, trailer, MIC token, or the data of
    /// a stream unwrap), released on drop.
    pub fn push_alloc(&mut self, kind: IovBufferType) -> &mut Self {
        let desc = sys::gss_buffer_desc {
            length: 0,
            value: std::ptr::null_mut(),
        };
        self.push(
            kind,
            sys::GSS_IOV_BUFFER_FLAG_ALLOCATE,
            desc,
            Access::Library,
        );
        self
    }

    /// Adds an empty buffer whose length the library reports ([`wrap_iov_length`]), or a data
    /// buffer that a stream unwrap points into the stream.
    pub fn push_empty(&mut self, kind: IovBufferType) -> &mut Self {
        let desc = sys::gss_buffer_desc {
            length: 0,
            value: std::ptr::null_mut(),
        };
        self.push(kind, 0, desc, Access::Library);
        self
    }

    /// The number of buffers.
    pub fn len(&self) -> usize {
        self.descs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.descs.is_empty()
    }

    /// The type of buffer `index`.
    pub fn kind(&self, index: usize) -> Option<IovBufferType> {
        let t = self.descs.get(index)?.type_;
        IovBufferType::try_from(sys::GSS_IOV_BUFFER_TYPE(t)).ok()
    }

    /// Whether the library allocated buffer `index` (it is released on drop).
    pub fn is_allocated(&self, index: usize) -> bool {
        self.descs
            .get(index)
            .is_some_and(|d| d.type_ & sys::GSS_IOV_BUFFER_FLAG_ALLOCATED != 0)
    }

    /// The length of buffer `index`, including lengths the library reported for empty buffers.
    pub fn buffer_len(&self, index: usize) -> usize {
        self.descs.get(index).map_or(0, |d| d.buffer.length)
    }

    /// The bytes of buffer `index` as they are now (empty for a buffer with only a length).
    pub fn bytes(&self, index: usize) -> &[u8] {
        match self.descs.get(index) {
            // SAFETY: the descriptor points into memory borrowed for 'a, into library memory
            // owned by self, or nowhere (null: an empty slice).
            Some(d) => unsafe { desc_bytes(&d.buffer) },
            None => &[],
        }
    }

    /// The index of the first buffer of `kind`.
    pub fn position(&self, kind: IovBufferType) -> Option<usize> {
        (0..self.len()).find(|&i| self.kind(i) == Some(kind))
    }

    /// Checks the list before a call that writes the buffers of `written` kinds: a data buffer
    /// must be present, and no read-only buffer may be of a written kind.
    fn check(
        &self,
        function: &'static str,
        written: &[IovBufferType],
        needs_data: bool,
    ) -> Result<()> {
        if needs_data && self.position(IovBufferType::Data).is_none() {
            return Err(Error::invalid_input(function, "the IOV has no data buffer"));
        }
        for (i, access) in self.access.iter().enumerate() {
            if *access == Access::ReadOnly && self.kind(i).is_some_and(|k| written.contains(&k)) {
                return Err(Error::invalid_input(
                    function,
                    "a read-only IOV buffer is of a type the library writes",
                ));
            }
        }
        i32::try_from(self.descs.len())
            .map(|_| ())
            .map_err(|_| Error::invalid_input(function, "too many IOV buffers"))
    }

    /// Zeroes the caller's data and stream buffers. After a failed unwrap they may hold
    /// plaintext that was decrypted but never verified (MIT decrypts before it checks).
    fn wipe_unverified(&mut self) {
        for (i, origin) in self.origins.iter().enumerate() {
            let kind = self.kind(i);
            if let (Some((ptr, len)), Some(IovBufferType::Data | IovBufferType::Stream)) =
                (origin, kind)
                && !ptr.is_null()
                && *len > 0
            {
                // SAFETY: the pointer and length are those of a `&'a mut [u8]` pushed into
                // this IOV, still exclusively borrowed for 'a; no library call is running.
                unsafe { std::ptr::write_bytes(*ptr, 0, *len) };
            }
        }
    }

    /// On Heimdal (7.8), `gss_unwrap_iov` with a trailer buffer reads and writes past that
    /// buffer for a sealed RFC 4121 token whose extra count (EC) is not zero: a heap overflow
    /// the peer controls. Such tokens are refused before the call there.
    fn heimdal_unsafe_token(&self) -> bool {
        if !cfg!(gss_impl = "heimdal") || self.position(IovBufferType::Trailer).is_none() {
            return false;
        }
        let Some(h) = self.position(IovBufferType::Header) else {
            return false;
        };
        let header = self.bytes(h);
        // TOK_ID 05 04, flags with Sealed (0x02), EC at bytes 4..6.
        header.len() >= 16
            && header[0] == 0x05
            && header[1] == 0x04
            && header[2] & 0x02 != 0
            && (header[4] != 0 || header[5] != 0)
    }

    /// The checks of the MIC calls: at most the mic-token buffer is written.
    pub(crate) fn check_for_mic(&self, function: &'static str, writes_mic: bool) -> Result<()> {
        let written: &[IovBufferType] = if writes_mic {
            &[IovBufferType::MicToken]
        } else {
            &[]
        };
        self.check(function, written, false)
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::gss_iov_buffer_desc {
        self.descs.as_mut_ptr()
    }

    pub(crate) fn count(&self) -> i32 {
        // Checked in `check` before every call.
        self.descs.len() as i32
    }
}

impl Drop for Iov<'_> {
    fn drop(&mut self) {
        if (0..self.len()).any(|i| self.is_allocated(i)) {
            release(self);
        }
    }
}

#[cfg(gss_has = "dce")]
fn release(iov: &mut Iov<'_>) {
    let mut minor = 0;
    let count = iov.count();
    // SAFETY: gss_release_iov_buffer frees only the buffers flagged ALLOCATED (library
    // memory) and leaves caller memory alone; each is released once, here.
    unsafe { sys::gss_release_iov_buffer(&mut minor, iov.as_mut_ptr(), count) };
}

#[cfg(not(gss_has = "dce"))]
fn release(_iov: &mut Iov<'_>) {
    // Without the extension no call can allocate IOV buffers.
}

impl std::fmt::Debug for Iov<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                (0..self.len()).map(|i| (self.kind(i), self.buffer_len(i), self.is_allocated(i))),
            )
            .finish()
    }
}

/// The result of [`unwrap_iov`] (python-gssapi: `IOVUnwrapResult`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct IovUnwrap {
    /// Whether the sender encrypted the data.
    pub encrypted: bool,
    /// The quality of protection the sender used.
    pub qop: u32,
    /// Sequencing news (as for `message::unwrap`).
    pub supplementary: Supplementary,
}

const WRAP_WRITES: &[IovBufferType] = &[
    IovBufferType::Data,
    IovBufferType::Header,
    IovBufferType::Padding,
    IovBufferType::Trailer,
];
const UNWRAP_WRITES: &[IovBufferType] = &[
    IovBufferType::Data,
    IovBufferType::Stream,
    IovBufferType::Header,
    IovBufferType::Padding,
    IovBufferType::Trailer,
];

/// Wraps the IOV in place; returns whether confidentiality was applied (`conf_state`).
#[doc(alias = "gss_wrap_iov")]
pub fn wrap_iov(
    context: &mut SecContext,
    iov: &mut Iov<'_>,
    confidential: bool,
    qop: Option<u32>,
) -> Result<bool> {
    require("gss_wrap_iov", context)?;
    iov.check("gss_wrap_iov", WRAP_WRITES, true)?;
    #[cfg(gss_has = "dce")]
    {
        wrap_call(
            "gss_wrap_iov",
            sys::gss_wrap_iov,
            context,
            iov,
            confidential,
            qop,
        )
    }
    #[cfg(not(gss_has = "dce"))]
    unavailable!("gss_wrap_iov", context, iov, confidential, qop)
}

/// The C signature shared by `gss_wrap_iov` and `gss_wrap_iov_length`.
#[cfg(gss_has = "dce")]
type WrapIovFn = unsafe extern "C" fn(
    *mut sys::OM_uint32,
    sys::gss_ctx_id_t,
    core::ffi::c_int,
    sys::gss_qop_t,
    *mut core::ffi::c_int,
    *mut sys::gss_iov_buffer_desc,
    core::ffi::c_int,
) -> sys::OM_uint32;

/// Calls `gss_wrap_iov` or `gss_wrap_iov_length` (checked by the caller); returns `conf_state`.
#[cfg(gss_has = "dce")]
fn wrap_call(
    function: &'static str,
    f: WrapIovFn,
    context: &mut SecContext,
    iov: &mut Iov<'_>,
    confidential: bool,
    qop: Option<u32>,
) -> Result<bool> {
    let mut conf_state = 0;
    let count = iov.count();
    crate::call(function, |minor| {
        // SAFETY: valid handle (exclusive); the caller checked the IOV: every descriptor points
        // to writable caller memory of its length, to read-only memory of a type the library
        // only reads, or nowhere (the library allocates, flagged, released on drop, or only
        // reports a length).
        unsafe {
            f(
                minor,
                context.as_raw(),
                confidential.into(),
                qop.unwrap_or(sys::GSS_C_QOP_DEFAULT),
                &mut conf_state,
                iov.as_mut_ptr(),
                count,
            )
        }
    })?;
    Ok(conf_state != 0)
}

/// Unwraps the IOV in place (header/data/trailer, or a stream with a data buffer).
///
/// When it fails, the caller's data and stream buffers are zeroed: MIT decrypts before it
/// checks the token, so they could otherwise hold plaintext nobody verified. On Heimdal a
/// sealed token with a non-zero extra count is refused before the call (its IOV unwrap
/// overflows the trailer buffer for such tokens).
#[doc(alias = "gss_unwrap_iov")]
pub fn unwrap_iov(context: &mut SecContext, iov: &mut Iov<'_>) -> Result<IovUnwrap> {
    require("gss_unwrap_iov", context)?;
    iov.check("gss_unwrap_iov", UNWRAP_WRITES, true)?;
    if iov.heimdal_unsafe_token() {
        return Err(Error::rejected(
            "gss_unwrap_iov",
            sys::GSS_S_DEFECTIVE_TOKEN,
            "a sealed token with a non-zero extra count and a trailer buffer (Heimdal would overflow the trailer)",
        ));
    }
    #[cfg(gss_has = "dce")]
    {
        let (mut conf_state, mut qop) = (0, 0);
        let count = iov.count();
        let result = crate::call("gss_unwrap_iov", |minor| {
            // SAFETY: as for wrap_iov.
            unsafe {
                sys::gss_unwrap_iov(
                    minor,
                    context.as_raw(),
                    &mut conf_state,
                    &mut qop,
                    iov.as_mut_ptr(),
                    count,
                )
            }
        })
        .and_then(|supplementary| {
            unverified_on_heimdal("gss_unwrap_iov", supplementary).map(|()| supplementary)
        });
        let supplementary = match result {
            Ok(s) => s,
            Err(e) => {
                iov.wipe_unverified();
                return Err(e);
            }
        };
        Ok(IovUnwrap {
            encrypted: conf_state != 0,
            qop,
            supplementary,
        })
    }
    #[cfg(not(gss_has = "dce"))]
    unavailable!("gss_unwrap_iov", context, iov)
}

/// Fills in the lengths of the header, padding and trailer buffers (empty ones, see
/// [`Iov::push_empty`]) that wrapping the IOV's data needs; returns whether confidentiality
/// would be applied.
#[doc(alias = "gss_wrap_iov_length")]
pub fn wrap_iov_length(
    context: &mut SecContext,
    iov: &mut Iov<'_>,
    confidential: bool,
    qop: Option<u32>,
) -> Result<bool> {
    require("gss_wrap_iov_length", context)?;
    iov.check("gss_wrap_iov_length", &[], true)?;
    #[cfg(gss_has = "dce")]
    {
        wrap_call(
            "gss_wrap_iov_length",
            sys::gss_wrap_iov_length,
            context,
            iov,
            confidential,
            qop,
        )
    }
    #[cfg(not(gss_has = "dce"))]
    unavailable!("gss_wrap_iov_length", context, iov, confidential, qop)
}

/// Wraps `message` with `associated` data that is signed but not sent (AEAD).
#[doc(alias = "gss_wrap_aead")]
pub fn wrap_aead(
    context: &mut SecContext,
    message: &[u8],
    associated: Option<&[u8]>,
    confidential: bool,
    qop: Option<u32>,
) -> Result<Wrap> {
    require("gss_wrap_aead", context)?;
    #[cfg(gss_has = "dce_aead")]
    {
        let mut payload = input(message);
        let mut assoc = associated.map(input);
        let mut out = Buffer::new();
        let mut conf_state = 0;
        crate::call("gss_wrap_aead", |minor| {
            // SAFETY: valid handle (exclusive); inputs only read; the output is owned by `out`.
            unsafe {
                sys::gss_wrap_aead(
                    minor,
                    context.as_raw(),
                    confidential.into(),
                    qop.unwrap_or(sys::GSS_C_QOP_DEFAULT),
                    assoc.as_mut().map_or(std::ptr::null_mut(), |a| a as *mut _),
                    &mut payload,
                    &mut conf_state,
                    out.as_out_ptr(),
                )
            }
        })?;
        Ok(Wrap {
            message: out,
            encrypted: conf_state != 0,
        })
    }
    #[cfg(not(gss_has = "dce_aead"))]
    unavailable!(
        "gss_wrap_aead",
        context,
        message,
        associated,
        confidential,
        qop
    )
}

/// Unwraps an AEAD token given the same associated data the sender used.
#[doc(alias = "gss_unwrap_aead")]
pub fn unwrap_aead(
    context: &mut SecContext,
    message: &[u8],
    associated: Option<&[u8]>,
) -> Result<Unwrap> {
    require("gss_unwrap_aead", context)?;
    #[cfg(gss_has = "dce_aead")]
    {
        let mut token = input(message);
        let mut assoc = associated.map(input);
        let mut out = Buffer::new();
        let (mut conf_state, mut qop) = (0, 0);
        let supplementary = crate::call("gss_unwrap_aead", |minor| {
            // SAFETY: as for wrap_aead.
            unsafe {
                sys::gss_unwrap_aead(
                    minor,
                    context.as_raw(),
                    &mut token,
                    assoc.as_mut().map_or(std::ptr::null_mut(), |a| a as *mut _),
                    out.as_out_ptr(),
                    &mut conf_state,
                    &mut qop,
                )
            }
        })?;
        unverified_on_heimdal("gss_unwrap_aead", supplementary)?;
        Ok(Unwrap {
            message: out,
            encrypted: conf_state != 0,
            qop,
            supplementary,
        })
    }
    #[cfg(not(gss_has = "dce_aead"))]
    unavailable!("gss_unwrap_aead", context, message, associated)
}

/// What [`wrap_in_place`] adds around the caller's (now protected) data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InPlaceWrap {
    /// The token header, to send before the data.
    pub header: Vec<u8>,
    /// Padding, to send after the data (empty for RFC 4121 AES).
    pub padding: Vec<u8>,
    /// The token trailer, to send last.
    pub trailer: Vec<u8>,
    /// Whether confidentiality was applied.
    pub encrypted: bool,
}

impl InPlaceWrap {
    /// The whole token, `header || data || padding || trailer` (a copy; protocols that can
    /// send the parts one after another need not build it).
    pub fn to_token(&self, data: &[u8]) -> Vec<u8> {
        let mut token = Vec::with_capacity(
            self.header.len() + data.len() + self.padding.len() + self.trailer.len(),
        );
        token.extend_from_slice(&self.header);
        token.extend_from_slice(data);
        token.extend_from_slice(&self.padding);
        token.extend_from_slice(&self.trailer);
        token
    }
}

/// Protects `data` where it is: no copy of the payload. The wrap token is
/// `header || data || padding || trailer`, which `message::unwrap` and [`unwrap_in_place`]
/// accept.
pub fn wrap_in_place(
    context: &mut SecContext,
    data: &mut [u8],
    confidential: bool,
    qop: Option<u32>,
) -> Result<InPlaceWrap> {
    let data_len = data.len();
    let (header_len, padding_len, trailer_len) = {
        let mut sizing = Iov::new();
        sizing
            .push_empty(IovBufferType::Header)
            .push_mut(IovBufferType::Data, &mut *data)
            .push_empty(IovBufferType::Padding)
            .push_empty(IovBufferType::Trailer);
        wrap_iov_length(context, &mut sizing, confidential, qop)?;
        (
            sizing.buffer_len(0),
            sizing.buffer_len(2),
            sizing.buffer_len(3),
        )
    };
    let mut header = vec![0u8; header_len];
    let mut padding = vec![0u8; padding_len];
    let mut trailer = vec![0u8; trailer_len];
    let (encrypted, padding_used) = {
        let mut iov = Iov::new();
        iov.push_mut(IovBufferType::Header, &mut header)
            .push_mut(IovBufferType::Data, &mut *data)
            .push_mut(IovBufferType::Padding, &mut padding)
            .push_mut(IovBufferType::Trailer, &mut trailer);
        let encrypted = wrap_iov(context, &mut iov, confidential, qop)?;
        (encrypted, iov.buffer_len(2))
    };
    // The library may report a shorter padding than it sized for.
    padding.truncate(padding_used);
    debug_assert_eq!(data.len(), data_len);
    Ok(InPlaceWrap {
        header,
        padding,
        trailer,
        encrypted,
    })
}

/// Unwraps, in place, a token kept in the parts [`wrap_in_place`] made (header, data,
/// padding, trailer: a protocol that sends and receives them separately, as SMB and NFS do):
/// `data` is decrypted where it is, and nothing is copied.
pub fn unwrap_parts_in_place(
    context: &mut SecContext,
    parts: &mut InPlaceWrap,
    data: &mut [u8],
) -> Result<IovUnwrap> {
    let mut iov = Iov::new();
    iov.push_mut(IovBufferType::Header, &mut parts.header)
        .push_mut(IovBufferType::Data, data)
        .push_mut(IovBufferType::Padding, &mut parts.padding)
        .push_mut(IovBufferType::Trailer, &mut parts.trailer);
    unwrap_iov(context, &mut iov)
}

/// Unwraps a whole wrap token where it is (a STREAM unwrap): the plaintext is decrypted inside
/// `token`, and the returned range says where it is.
pub fn unwrap_in_place(
    context: &mut SecContext,
    token: &mut [u8],
) -> Result<(Range<usize>, IovUnwrap)> {
    let start = token.as_ptr() as usize;
    let total = token.len();
    let mut iov = Iov::new();
    iov.push_mut(IovBufferType::Stream, token)
        .push_empty(IovBufferType::Data);
    let info = unwrap_iov(context, &mut iov)?;
    let data = &iov.descs[1].buffer;
    if data.length == 0 {
        return Ok((0..0, info));
    }
    let offset = (data.value as usize).wrapping_sub(start);
    if iov.is_allocated(1) || offset > total || data.length > total - offset {
        // The library put the data elsewhere; nothing in `token` can be trusted as plaintext.
        return Err(Error::invalid_input(
            "gss_unwrap_iov",
            "the library did not unwrap the stream in place",
        ));
    }
    Ok((offset..offset + data.length, info))
}
