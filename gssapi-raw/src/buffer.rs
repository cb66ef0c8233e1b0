//! Buffers: library-allocated output memory as an owner, and borrowed input views.
//!
//! ```
//! use gssapi_raw::Buffer;
//!
//! // An empty buffer owns nothing and derefs to an empty slice.
//! let b = Buffer::default();
//! assert!(b.is_empty());
//! assert_eq!(&*b, b"");
//! ```

use gssapi_sys as sys;
use std::fmt;
use std::ops::Deref;
use std::ptr;

/// Memory the GSSAPI library allocated and handed to us (a token, an exported name, a wrapped
/// message), owned until drop and released with `gss_release_buffer`.
///
/// It derefs to `[u8]` without copying; [`Buffer::into_vec`] copies when an owned `Vec` is wanted.
#[doc(alias = "gss_buffer_desc")]
#[doc(alias = "gss_release_buffer")]
pub struct Buffer {
    desc: sys::gss_buffer_desc,
}

// SAFETY: the buffer exclusively owns memory from the library's allocator; nothing else refers
// to it, and gss_release_buffer may be called from any thread.
unsafe impl Send for Buffer {}
// SAFETY: shared access only reads the bytes; there is no interior mutability.
unsafe impl Sync for Buffer {}

impl Buffer {
    /// An empty buffer for a C call to fill in.
    pub(crate) fn new() -> Self {
        Buffer {
            desc: sys::gss_buffer_desc {
                length: 0,
                value: ptr::null_mut(),
            },
        }
    }

    /// The pointer to pass as an output `gss_buffer_t`.
    ///
    /// The buffer must be empty: whatever it held would leak when the library overwrites it.
    pub(crate) fn as_out_ptr(&mut self) -> sys::gss_buffer_t {
        debug_assert!(self.desc.value.is_null(), "output buffer reused");
        &mut self.desc
    }

    /// The bytes, copied into a `Vec`; the library's memory is released.
    pub fn into_vec(self) -> Vec<u8> {
        self.to_vec()
    }

    /// The raw descriptor, for callers that must hand it to a C API of their own.
    pub fn as_desc(&self) -> &sys::gss_buffer_desc {
        &self.desc
    }

    /// Overwrites the bytes with zeros (for buffers holding keys or exported credentials: the
    /// library frees its memory without wiping it).
    pub fn wipe(&mut self) {
        wipe_desc(&mut self.desc);
    }
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer::new()
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if !self.desc.value.is_null() {
            let mut minor = 0;
            // SAFETY: the descriptor was filled by the library and is released once, here.
            unsafe { sys::gss_release_buffer(&mut minor, &mut self.desc) };
        }
    }
}

impl Deref for Buffer {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: the descriptor is either empty or was filled by the library with `length`
        // readable bytes at `value`, which live until drop.
        unsafe { desc_bytes(&self.desc) }
    }
}

impl AsRef<[u8]> for Buffer {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl PartialEq for Buffer {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}
impl Eq for Buffer {}

impl PartialEq<[u8]> for Buffer {
    fn eq(&self, other: &[u8]) -> bool {
        **self == *other
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Buffer({} bytes)", self.len())
    }
}

impl From<Buffer> for Vec<u8> {
    fn from(b: Buffer) -> Vec<u8> {
        b.into_vec()
    }
}

/// The bytes of a descriptor: `{0, NULL}` (and any null pointer) becomes the empty slice.
///
/// # Safety
///
/// `desc.value` must be null or point to `desc.length` readable bytes that outlive the borrow.
pub(crate) unsafe fn desc_bytes(desc: &sys::gss_buffer_desc) -> &[u8] {
    if desc.value.is_null() || desc.length == 0 {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(desc.value as *const u8, desc.length) }
    }
}

fn wipe_desc(desc: &mut sys::gss_buffer_desc) {
    if !desc.value.is_null() && desc.length > 0 {
        // SAFETY: the descriptor was filled by the library: `length` writable bytes at
        // `value`, exclusively ours until released. Volatile writes so the wipe is not elided
        // before the free.
        unsafe {
            let bytes = desc.value as *mut u8;
            for i in 0..desc.length {
                std::ptr::write_volatile(bytes.add(i), 0);
            }
        }
    }
}

/// A descriptor that lends Rust bytes to the library as an input.
///
/// The library only reads input buffers; this memory is never passed to `gss_release_buffer`.
pub(crate) fn input(bytes: &[u8]) -> sys::gss_buffer_desc {
    sys::gss_buffer_desc {
        length: bytes.len(),
        value: bytes.as_ptr() as *mut _,
    }
}

/// Refuses text that the library reads as a C string: with an interior NUL it would see only
/// the part before it (MIT authenticates `"pw\0junk"` as `"pw"`), so such input is an
/// [`Origin::Input`](crate::Origin::Input) error before any call.
pub(crate) fn no_interior_nul(
    function: &'static str,
    what: &str,
    bytes: &[u8],
) -> crate::Result<()> {
    if bytes.contains(&0) {
        return Err(crate::Error::invalid_input(
            function,
            &format!("{what} must not contain a NUL byte"),
        ));
    }
    Ok(())
}

/// An input descriptor for an optional input: `None` becomes the empty buffer.
pub(crate) fn input_opt(bytes: Option<&[u8]>) -> sys::gss_buffer_desc {
    input(bytes.unwrap_or(&[]))
}

/// A set of buffers the library allocated (`gss_buffer_set_t`), released with
/// `gss_release_buffer_set` on drop. Returned by the GGF and RFC 6680 inquiries.
#[doc(alias = "gss_buffer_set_t")]
pub struct BufferSet {
    set: sys::gss_buffer_set_t,
}

// SAFETY: the set is exclusively owned library memory, not tied to a thread.
unsafe impl Send for BufferSet {}
// SAFETY: shared access only reads.
unsafe impl Sync for BufferSet {}

impl BufferSet {
    #[cfg_attr(not(any(gss_has = "ggf", gss_has = "rfc6680")), allow(dead_code))]
    pub(crate) fn new() -> Self {
        BufferSet {
            set: ptr::null_mut(),
        }
    }

    #[cfg_attr(not(any(gss_has = "ggf", gss_has = "rfc6680")), allow(dead_code))]
    pub(crate) fn as_out_ptr(&mut self) -> *mut sys::gss_buffer_set_t {
        debug_assert!(self.set.is_null(), "output buffer set reused");
        &mut self.set
    }

    fn descs(&self) -> &[sys::gss_buffer_desc] {
        if self.set.is_null() {
            return &[];
        }
        // SAFETY: a non-null set from the library is a valid descriptor.
        let set = unsafe { &*self.set };
        if set.elements.is_null() || set.count == 0 {
            return &[];
        }
        // SAFETY: a valid set has `count` buffers at `elements`, alive while the set is.
        unsafe { std::slice::from_raw_parts(set.elements, set.count) }
    }

    /// The number of buffers.
    pub fn len(&self) -> usize {
        self.descs().len()
    }

    /// Whether there are none (or the library returned `GSS_C_NO_BUFFER_SET`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The buffers' bytes, borrowed from the set.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        // SAFETY: each descriptor of a valid set is readable while the set lives.
        self.descs().iter().map(|d| unsafe { desc_bytes(d) })
    }

    /// The buffer at `index`.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        // SAFETY: as for `iter`.
        self.descs().get(index).map(|d| unsafe { desc_bytes(d) })
    }

    /// Copies of the buffers.
    pub fn to_vecs(&self) -> Vec<Vec<u8>> {
        self.iter().map(<[u8]>::to_vec).collect()
    }

    /// Overwrites every buffer with zeros (e.g. after reading a session key).
    pub fn wipe(&mut self) {
        if self.set.is_null() {
            return;
        }
        // SAFETY: a non-null set from the library is valid and exclusively ours.
        let set = unsafe { &mut *self.set };
        if set.elements.is_null() {
            return;
        }
        // SAFETY: a valid set has `count` descriptors at `elements`.
        let descs = unsafe { std::slice::from_raw_parts_mut(set.elements, set.count) };
        descs.iter_mut().for_each(wipe_desc);
    }
}

impl Drop for BufferSet {
    fn drop(&mut self) {
        if !self.set.is_null() {
            release_buffer_set(&mut self.set);
        }
    }
}

#[cfg(any(gss_has = "ggf", gss_has = "rfc6680"))]
fn release_buffer_set(set: &mut sys::gss_buffer_set_t) {
    let mut minor = 0;
    // SAFETY: the set came from the library and is released once, here.
    unsafe { sys::gss_release_buffer_set(&mut minor, set) };
}

#[cfg(not(any(gss_has = "ggf", gss_has = "rfc6680")))]
fn release_buffer_set(_set: &mut sys::gss_buffer_set_t) {
    // Without the extensions no call can fill a set, so there is never one to release.
}

impl fmt::Debug for BufferSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|b| b.len()))
            .finish()
    }
}
