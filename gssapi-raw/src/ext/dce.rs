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
//!
//! Provided by MIT krb5 and Heimdal (extension `dce` and `dce_aead` of `gssapi_sys::EXTENSIONS`; with another
//! library its functions return the typed Unavailable error).

use crate::buffer::{Buffer, desc_bytes, input};
use crate::context::{InPlaceSizes, SecContext, require};
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

/// What a buffer was pushed as: the state every call starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memory {
    /// Caller memory the library may write (`&mut [u8]`).
    Writable(*mut u8, usize),
    /// Caller memory the library must only read (`&[u8]`).
    ReadOnly(*const u8, usize),
    /// No memory: the library allocates it (ALLOCATE flag), released on drop or before the
    /// next call.
    Allocate,
    /// No memory and no ALLOCATE flag: only a stream unwrap fills it in (pointing into the
    /// stream).
    Empty,
}

impl Memory {
    /// The caller region this buffer lends the library, if any.
    fn region(self) -> Option<(usize, usize)> {
        match self {
            Memory::Writable(p, len) => Some((p as usize, len)),
            Memory::ReadOnly(p, len) => Some((p as usize, len)),
            Memory::Allocate | Memory::Empty => None,
        }
    }
}

/// A list of IOV buffers (`gss_iov_buffer_desc[]`) borrowing caller memory for `'a`.
///
/// Invariants, enforced by every call in this crate that takes an `Iov`:
///
/// - Each call starts from the buffers as they were pushed: caller memory with its own
///   pointer and length, library buffers empty with their ALLOCATE flag, empty buffers empty.
///   Whatever a previous call left in the descriptors (lengths, library allocations) is reset
///   first, and library allocations are released then, so reusing an `Iov` neither leaks nor
///   hands the library a length that no memory backs.
/// - After each call, a descriptor is either library memory (flagged ALLOCATED, released on
///   drop), empty, or a part of caller memory pushed into this `Iov`; anything else is reset
///   to empty and the call fails. [`Iov::bytes`] therefore only ever reads memory this value
///   owns or borrows.
/// - The length calls ([`wrap_iov_length`], `iov_mic::get_mic_iov_length`) do not touch the
///   `Iov`: they return the lengths.
///
/// Buffers the library allocated are released with `gss_release_iov_buffer`; caller memory
/// never is.
pub struct Iov<'a> {
    descs: Slots<sys::gss_iov_buffer_desc>,
    /// Each buffer as pushed: its type with flags, and its memory.
    pushed: Slots<(u32, Memory)>,
    /// The kinds pushed (bit `1 << type`), and those pushed as read-only memory: what
    /// [`Iov::prepare`] checks, kept as buffers are pushed.
    kinds: u32,
    read_only_kinds: u32,
    _borrows: PhantomData<&'a mut [u8]>,
}

/// The bit of a buffer type in [`Iov::kinds`] (every type value is below 32).
fn kind_bit(type_: u32) -> u32 {
    1u32.checked_shl(sys::GSS_IOV_BUFFER_TYPE(type_))
        .unwrap_or(0)
}

/// How many buffers an [`Iov`] holds without a heap allocation: header, data, padding and
/// trailer, with room for a sign-only buffer and a stream.
const INLINE: usize = 6;

/// A list kept inline up to [`INLINE`] items, on the heap beyond (the common IOVs of four
/// buffers cost no allocation).
struct Slots<T: Blank> {
    len: usize,
    /// The items while `len <= INLINE`.
    inline: [T; INLINE],
    /// All the items once there are more (empty, with no allocation, before).
    heap: Vec<T>,
}

/// The filler of unused inline slots (never read).
trait Blank {
    fn blank() -> Self;
}

impl Blank for sys::gss_iov_buffer_desc {
    fn blank() -> Self {
        descriptor(sys::GSS_IOV_BUFFER_TYPE_EMPTY, Memory::Empty)
    }
}

impl Blank for (u32, Memory) {
    fn blank() -> Self {
        (sys::GSS_IOV_BUFFER_TYPE_EMPTY, Memory::Empty)
    }
}

impl<T: Blank> Slots<T> {
    fn new() -> Slots<T> {
        Slots {
            len: 0,
            inline: std::array::from_fn(|_| T::blank()),
            heap: Vec::new(),
        }
    }

    #[inline(always)]
    fn push(&mut self, item: T) {
        if self.len < INLINE {
            self.inline[self.len] = item;
        } else {
            if self.len == INLINE {
                self.heap.reserve(INLINE * 2);
                let moved = self
                    .inline
                    .iter_mut()
                    .map(|x| std::mem::replace(x, T::blank()));
                self.heap.extend(moved);
            }
            self.heap.push(item);
        }
        self.len += 1;
    }
}

impl<T: Blank> std::ops::Deref for Slots<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        if self.len <= INLINE {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

impl<T: Blank> std::ops::DerefMut for Slots<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        if self.len <= INLINE {
            &mut self.inline[..self.len]
        } else {
            &mut self.heap
        }
    }
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
            descs: Slots::new(),
            pushed: Slots::new(),
            kinds: 0,
            read_only_kinds: 0,
            _borrows: PhantomData,
        }
    }

    #[inline(always)]
    fn push(&mut self, kind: IovBufferType, memory: Memory) {
        let flags = if memory == Memory::Allocate {
            sys::GSS_IOV_BUFFER_FLAG_ALLOCATE
        } else {
            0
        };
        self.push_raw(u32::from(kind) | flags, memory);
    }

    /// Adds a buffer of `type_` (with its flags) and `memory`, keeping the kind masks.
    #[inline(always)]
    fn push_raw(&mut self, type_: u32, memory: Memory) {
        self.descs.push(descriptor(type_, memory));
        self.pushed.push((type_, memory));
        self.kinds |= kind_bit(type_);
        if matches!(memory, Memory::ReadOnly(..)) {
            self.read_only_kinds |= kind_bit(type_);
        }
    }

    /// Adds caller memory the library may rewrite in place: data to wrap or unwrap, a stream
    /// to unwrap, or a header/padding/trailer sized with [`wrap_iov_length`].
    #[inline(always)]
    pub fn push_mut(&mut self, kind: IovBufferType, buf: &'a mut [u8]) -> &mut Self {
        self.push(kind, Memory::Writable(buf.as_mut_ptr(), buf.len()));
        self
    }

    /// Adds caller memory the library only reads: associated data ([`IovBufferType::SignOnly`])
    /// or the data of a MIC.
    #[inline(always)]
    pub fn push_ref(&mut self, kind: IovBufferType, buf: &'a [u8]) -> &mut Self {
        self.push(kind, Memory::ReadOnly(buf.as_ptr(), buf.len()));
        self
    }

    /// Adds a buffer the library allocates (header, padding, trailer, MIC token, or the data of
    /// a stream unwrap), released on drop or when the `Iov` is used again.
    #[inline(always)]
    pub fn push_alloc(&mut self, kind: IovBufferType) -> &mut Self {
        self.push(kind, Memory::Allocate);
        self
    }

    /// Adds a buffer with no memory: the data buffer of a stream unwrap, which the library
    /// points into the stream, or a header/padding/trailer placeholder for
    /// [`wrap_iov_length`] (a call that writes such a buffer fails: it has no memory).
    #[inline(always)]
    pub fn push_empty(&mut self, kind: IovBufferType) -> &mut Self {
        self.push(kind, Memory::Empty);
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

    /// The length of buffer `index` as the last call left it (what the library wrote or
    /// allocated; the pushed length of caller memory before any call).
    pub fn buffer_len(&self, index: usize) -> usize {
        self.descs.get(index).map_or(0, |d| d.buffer.length)
    }

    /// The bytes of buffer `index` as they are now (empty for a buffer with no memory).
    pub fn bytes(&self, index: usize) -> &[u8] {
        match self.descs.get(index) {
            // SAFETY: by the type's invariants (kept by `push`, `prepare` and `settle`), the
            // descriptor points into caller memory borrowed for 'a, into library memory owned
            // by self, or nowhere (length 0: an empty slice).
            Some(d) => unsafe { desc_bytes(&d.buffer) },
            None => &[],
        }
    }

    /// The index of the first buffer of `kind`.
    pub fn position(&self, kind: IovBufferType) -> Option<usize> {
        (0..self.len()).find(|&i| self.kind(i) == Some(kind))
    }

    /// Checks the list before a call that writes the buffers of `written` kinds (a data buffer
    /// must be present if `needs_data`, no read-only buffer may be of a written kind), then
    /// resets every descriptor to its pushed state, releasing what earlier calls allocated.
    /// Every call that hands the list to the library starts here.
    pub(crate) fn prepare(
        &mut self,
        function: &'static str,
        written: &[IovBufferType],
        needs_data: bool,
    ) -> Result<()> {
        // The kinds as pushed (the library never changes a buffer's type), kept by `push_raw`.
        let written = written
            .iter()
            .fold(0, |mask, k| mask | kind_bit(u32::from(*k)));
        if needs_data && self.kinds & kind_bit(sys::GSS_IOV_BUFFER_TYPE_DATA) == 0 {
            return Err(Error::invalid_input(function, "the IOV has no data buffer"));
        }
        if self.read_only_kinds & written != 0 {
            return Err(Error::invalid_input(
                function,
                "a read-only IOV buffer is of a type the library writes",
            ));
        }
        i32::try_from(self.descs.len())
            .map_err(|_| Error::invalid_input(function, "too many IOV buffers"))?;
        self.release_allocations();
        for (desc, &(type_, memory)) in self.descs.iter_mut().zip(self.pushed.iter()) {
            *desc = descriptor(type_, memory);
        }
        Ok(())
    }

    /// After a library call: keeps each descriptor that is library memory (ALLOCATED), empty,
    /// or inside caller memory pushed into this list; resets any other to empty and reports
    /// it as an error (the library pointed a buffer at memory nobody lent it).
    pub(crate) fn settle(&mut self, function: &'static str) -> Result<()> {
        let mut stray = false;
        let pushed = &self.pushed;
        for (desc, &(_, own)) in self.descs.iter_mut().zip(pushed.iter()) {
            let allocated = desc.type_ & sys::GSS_IOV_BUFFER_FLAG_ALLOCATED != 0;
            let (start, len) = (desc.buffer.value as usize, desc.buffer.length);
            let within =
                |(r, rlen): (usize, usize)| start >= r && len <= rlen && start - r <= rlen - len;
            // Its own memory first (where the library leaves it), then any other pushed.
            let inside = own.region().is_some_and(within)
                || pushed.iter().filter_map(|(_, m)| m.region()).any(within);
            if !(allocated || len == 0 || inside) {
                desc.buffer = sys::gss_buffer_desc {
                    length: 0,
                    value: std::ptr::null_mut(),
                };
                stray = true;
            }
            if len == 0 && !allocated {
                desc.buffer.value = std::ptr::null_mut();
            }
        }
        if stray {
            return Err(Error::invalid_input(
                function,
                "the library returned an IOV buffer outside the memory it was given",
            ));
        }
        Ok(())
    }

    /// A fresh copy of the list as pushed, for the length calls: library buffers become plain
    /// empty ones (nothing is allocated), so the library can only write lengths into the copy.
    pub(crate) fn for_lengths(&self) -> Iov<'a> {
        let mut copy = Iov::new();
        for &(type_, memory) in self.pushed.iter() {
            let memory = if memory == Memory::Allocate {
                Memory::Empty
            } else {
                memory
            };
            copy.push_raw(type_ & !sys::GSS_IOV_BUFFER_FLAG_ALLOCATE, memory);
        }
        copy
    }

    /// Releases the buffers the library allocated (each flagged ALLOCATED), once.
    fn release_allocations(&mut self) {
        if self
            .descs
            .iter()
            .any(|d| d.type_ & sys::GSS_IOV_BUFFER_FLAG_ALLOCATED != 0)
        {
            release(self);
        }
    }

    /// Zeroes the caller's data and stream buffers. After a failed unwrap they may hold
    /// plaintext that was decrypted but never verified (MIT decrypts before it checks).
    fn wipe_unverified(&mut self) {
        for (type_, memory) in self.pushed.iter() {
            let kind = IovBufferType::try_from(sys::GSS_IOV_BUFFER_TYPE(*type_)).ok();
            if let (Memory::Writable(ptr, len), Some(IovBufferType::Data | IovBufferType::Stream)) =
                (*memory, kind)
                && len > 0
            {
                // SAFETY: the pointer and length are those of a `&'a mut [u8]` pushed into
                // this IOV, still exclusively borrowed for 'a; no library call is running.
                unsafe { std::ptr::write_bytes(ptr, 0, len) };
            }
        }
    }

    /// On Heimdal (7.8), `gss_unwrap_iov` with a trailer buffer reads and writes past that
    /// buffer for a sealed RFC 4121 token whose extra count (EC) is not zero: a heap overflow
    /// the peer controls. Such tokens are refused before the call there.
    fn heimdal_unsafe_token(&self) -> bool {
        if !crate::sys::is_heimdal() || self.position(IovBufferType::Trailer).is_none() {
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

    /// [`Iov::prepare`] for the MIC calls: at most the mic-token buffer is written.
    pub(crate) fn prepare_for_mic(
        &mut self,
        function: &'static str,
        writes_mic: bool,
    ) -> Result<()> {
        let written: &[IovBufferType] = if writes_mic {
            &[IovBufferType::MicToken]
        } else {
            &[]
        };
        self.prepare(function, written, false)
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::gss_iov_buffer_desc {
        self.descs.as_mut_ptr()
    }

    pub(crate) fn count(&self) -> i32 {
        // Checked in `prepare` before every call.
        self.descs.len() as i32
    }
}

impl Drop for Iov<'_> {
    fn drop(&mut self) {
        self.release_allocations();
    }
}

/// The descriptor of a buffer in its pushed state.
fn descriptor(type_: u32, memory: Memory) -> sys::gss_iov_buffer_desc {
    let (value, length) = match memory {
        Memory::Writable(p, len) => (p.cast(), len),
        Memory::ReadOnly(p, len) => (p.cast_mut().cast(), len),
        Memory::Allocate | Memory::Empty => (std::ptr::null_mut(), 0),
    };
    sys::gss_iov_buffer_desc {
        type_,
        buffer: sys::gss_buffer_desc { length, value },
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
    iov.prepare("gss_wrap_iov", WRAP_WRITES, true)?;
    #[cfg(gss_has = "dce")]
    {
        resolved!(gss_wrap_iov);
        let result = wrap_call(
            "gss_wrap_iov",
            sys::gss_wrap_iov,
            context,
            iov,
            confidential,
            qop,
        );
        let settled = iov.settle("gss_wrap_iov");
        let encrypted = result?;
        settled.map(|()| encrypted)
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

/// Calls `gss_wrap_iov` or `gss_wrap_iov_length` on a prepared IOV; returns `conf_state`.
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
        // SAFETY: valid handle (exclusive); the IOV was prepared (`Iov::prepare` or
        // `Iov::for_lengths`): every descriptor points to writable caller memory of its
        // length, to read-only memory of a type the library only reads, or nowhere with
        // length 0 (the library allocates if flagged ALLOCATE, released by the IOV, or
        // fails for want of memory; a length call only writes lengths).
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
///
/// A genuine token out of sequence is an error ([`Error::is_sequence_problem`]), as for
/// `message::unwrap`; on MIT the buffers then hold the verified plaintext (it is not wiped).
/// [`unwrap_iov_any_order`] reports sequencing in the result instead.
#[doc(alias = "gss_unwrap_iov")]
pub fn unwrap_iov(context: &mut SecContext, iov: &mut Iov<'_>) -> Result<IovUnwrap> {
    let info = unwrap_iov_any_order(context, iov)?;
    crate::message::in_sequence("gss_unwrap_iov", info.supplementary, None)?;
    Ok(info)
}

/// [`unwrap_iov`] that reports a verified token out of sequence in
/// [`IovUnwrap::supplementary`] instead of failing (on Heimdal it fails all the same: it does
/// not verify such tokens).
#[doc(alias = "gss_unwrap_iov")]
pub fn unwrap_iov_any_order(context: &mut SecContext, iov: &mut Iov<'_>) -> Result<IovUnwrap> {
    require("gss_unwrap_iov", context)?;
    iov.prepare("gss_unwrap_iov", UNWRAP_WRITES, true)?;
    if iov.heimdal_unsafe_token() {
        return Err(Error::rejected(
            "gss_unwrap_iov",
            sys::GSS_S_DEFECTIVE_TOKEN,
            "a sealed token with a non-zero extra count and a trailer buffer (Heimdal would overflow the trailer)",
        ));
    }
    #[cfg(gss_has = "dce")]
    {
        resolved!(gss_unwrap_iov);
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
        let result = iov.settle("gss_unwrap_iov").and(result);
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

/// What wrapping an IOV's data needs ([`wrap_iov_length`]): a length for each buffer, in the
/// order they were pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IovLengths {
    /// The length of each buffer: what the library asks for the header, padding and trailer
    /// (and any other buffer it sizes), the pushed length of the rest.
    pub lengths: Vec<usize>,
    /// The type of each buffer.
    pub kinds: Vec<Option<IovBufferType>>,
    /// Whether confidentiality would be applied.
    pub encrypted: bool,
}

impl IovLengths {
    /// The length of the first buffer of `kind` (0 when there is none).
    pub fn of(&self, kind: IovBufferType) -> usize {
        self.kinds
            .iter()
            .position(|k| *k == Some(kind))
            .map_or(0, |i| self.lengths[i])
    }
}

/// The lengths of the header, padding and trailer buffers that wrapping the IOV's data needs,
/// and whether confidentiality would be applied.
///
/// Unlike the C call, this does not write the lengths into `iov` (a buffer with a length and
/// no memory behind it is what made the C pair unsafe to chain): it sizes a copy and returns
/// the lengths. Allocate the buffers and push them with [`Iov::push_mut`].
#[doc(alias = "gss_wrap_iov_length")]
pub fn wrap_iov_length(
    context: &mut SecContext,
    iov: &Iov<'_>,
    confidential: bool,
    qop: Option<u32>,
) -> Result<IovLengths> {
    let mut sizing = iov.for_lengths();
    let encrypted = size_iov(context, &mut sizing, confidential, qop)?;
    Ok(IovLengths {
        lengths: (0..sizing.len()).map(|i| sizing.buffer_len(i)).collect(),
        kinds: (0..sizing.len()).map(|i| sizing.kind(i)).collect(),
        encrypted,
    })
}

/// `gss_wrap_iov_length` on a sizing list (one without ALLOCATE buffers, as
/// [`Iov::for_lengths`] makes): the library writes the lengths into it; returns whether
/// confidentiality would be applied.
fn size_iov(
    context: &mut SecContext,
    sizing: &mut Iov<'_>,
    confidential: bool,
    qop: Option<u32>,
) -> Result<bool> {
    require("gss_wrap_iov_length", context)?;
    sizing.prepare("gss_wrap_iov_length", &[], true)?;
    #[cfg(gss_has = "dce")]
    {
        resolved!(gss_wrap_iov_length);
        wrap_call(
            "gss_wrap_iov_length",
            sys::gss_wrap_iov_length,
            context,
            sizing,
            confidential,
            qop,
        )
    }
    #[cfg(not(gss_has = "dce"))]
    unavailable!("gss_wrap_iov_length", context, sizing, confidential, qop)
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
        resolved!(gss_wrap_aead);
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

/// Unwraps an AEAD token given the same associated data the sender used. A genuine token out
/// of sequence is an error that keeps the verified message, as for `message::unwrap`.
#[doc(alias = "gss_unwrap_aead")]
pub fn unwrap_aead(
    context: &mut SecContext,
    message: &[u8],
    associated: Option<&[u8]>,
) -> Result<Unwrap> {
    let mut out = unwrap_aead_any_order(context, message, associated)?;
    if out.supplementary.has_sequence_problem() {
        let message = std::mem::take(&mut out.message);
        crate::message::in_sequence("gss_unwrap_aead", out.supplementary, Some(message))?;
    }
    Ok(out)
}

/// [`unwrap_aead`] that reports a verified token out of sequence in
/// [`Unwrap::supplementary`] instead of failing.
#[doc(alias = "gss_unwrap_aead")]
pub fn unwrap_aead_any_order(
    context: &mut SecContext,
    message: &[u8],
    associated: Option<&[u8]>,
) -> Result<Unwrap> {
    require("gss_unwrap_aead", context)?;
    #[cfg(gss_has = "dce_aead")]
    {
        resolved!(gss_unwrap_aead);
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
///
/// The header, padding and trailer are sized with `gss_wrap_iov_length`, and the sizes are
/// kept in the context for later calls with the same `confidential` and `qop` when they do not
/// depend on the data length. Whether they do is asked, not assumed: the first call sizes the
/// data and the data one byte shorter, and keeps the sizes only if both answers are equal
/// and ask for no padding. In RFC 4121 tokens (MIT 1.20 and Heimdal 7.8 alike) the padding
/// buffer is always empty and the extra count (EC) goes into the trailer: it is constant for
/// the CTS enctypes (no padding, or one block in DCE style) and otherwise changes with every
/// byte of data, so two lengths one byte apart tell the cases apart. RFC 1964 tokens always
/// ask for padding and are sized on every call. A wrap that fails with cached sizes forgets
/// them. The library checks the buffers it is given either way (it fails on too small a
/// buffer, never writes past one), and the parts are cut to the lengths it reports.
pub fn wrap_in_place(
    context: &mut SecContext,
    data: &mut [u8],
    confidential: bool,
    qop: Option<u32>,
) -> Result<InPlaceWrap> {
    let qop_value = qop.unwrap_or(sys::GSS_C_QOP_DEFAULT);
    let cached = context
        .in_place_sizes
        .filter(|c| c.confidential == confidential && c.qop == qop_value);
    let (header_len, padding_len, trailer_len) = match cached {
        Some(c) => (c.header, 0, c.trailer),
        None => {
            let sizes = in_place_lengths(context, data, confidential, qop)?;
            let constant = sizes.1 == 0
                && !data.is_empty()
                && in_place_lengths(context, &mut data[1..], confidential, qop)? == sizes;
            if constant {
                context.in_place_sizes = Some(InPlaceSizes {
                    confidential,
                    qop: qop_value,
                    header: sizes.0,
                    trailer: sizes.2,
                });
            }
            sizes
        }
    };
    let mut header = zeroed(header_len);
    let mut padding = zeroed(padding_len);
    let mut trailer = zeroed(trailer_len);
    let wrapped = {
        let mut iov = Iov::new();
        iov.push_mut(IovBufferType::Header, &mut header)
            .push_mut(IovBufferType::Data, &mut *data)
            .push_mut(IovBufferType::Padding, &mut padding)
            .push_mut(IovBufferType::Trailer, &mut trailer);
        wrap_iov(context, &mut iov, confidential, qop).map(|encrypted| {
            (
                encrypted,
                iov.buffer_len(0),
                iov.buffer_len(2),
                iov.buffer_len(3),
            )
        })
    };
    let (encrypted, header_used, padding_used, trailer_used) = match wrapped {
        Ok(w) => w,
        Err(e) => {
            if cached.is_some() {
                context.in_place_sizes = None;
            }
            return Err(e);
        }
    };
    // The library may report shorter parts than it was given (never longer: `Iov::settle`
    // keeps only descriptors inside the memory pushed for them).
    header.truncate(header_used);
    padding.truncate(padding_used);
    trailer.truncate(trailer_used);
    Ok(InPlaceWrap {
        header,
        padding,
        trailer,
        encrypted,
    })
}

/// `n` zero bytes. `vec![0; n]` asks for zeroed memory, which glibc serves from `calloc`'s slow
/// path (no thread cache); for the few dozen bytes of a header or trailer, `malloc` and a
/// small `memset` are cheaper.
#[allow(
    clippy::slow_vector_initialization,
    reason = "measured: calloc's path costs more than malloc and memset here"
)]
fn zeroed(n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, 0);
    v
}

/// `gss_wrap_iov_length` for a header/data/padding/trailer IOV over `data`: the header,
/// padding and trailer lengths. (The sizing IOV has no ALLOCATE buffers, so it is its own
/// [`Iov::for_lengths`] copy; it is dropped after the call.)
fn in_place_lengths(
    context: &mut SecContext,
    data: &mut [u8],
    confidential: bool,
    qop: Option<u32>,
) -> Result<(usize, usize, usize)> {
    let mut sizing = Iov::new();
    sizing
        .push_empty(IovBufferType::Header)
        .push_mut(IovBufferType::Data, data)
        .push_empty(IovBufferType::Padding)
        .push_empty(IovBufferType::Trailer);
    size_iov(context, &mut sizing, confidential, qop)?;
    Ok((
        sizing.buffer_len(0),
        sizing.buffer_len(2),
        sizing.buffer_len(3),
    ))
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
