//! Object identifiers: [`Oid`], [`OidSet`], and the well-known name types and mechanisms.
//!
//! ```
//! use gssapi_raw::{Oid, mech_type, name_type};
//!
//! let krb5: Oid = "1.2.840.113554.1.2.2".parse().unwrap();
//! assert_eq!(krb5, mech_type::KERBEROS);
//! assert_eq!(name_type::HOSTBASED_SERVICE.dotted_form(), "1.2.840.113554.1.2.1.4");
//! assert_eq!(Oid::from_int_seq(&[1, 3, 6, 1, 5, 5, 2]).unwrap(), mech_type::SPNEGO);
//! ```

use crate::error::{Error, Result};
use crate::{call, sys};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ptr;
use std::str::FromStr;

/// A GSSAPI object identifier, kept as the DER value bytes (no tag and length), like
/// python-gssapi's `OID`.
///
/// Well-known OIDs are statics that borrow `'static` bytes; others own theirs. Equality and
/// hashing are by value. `Display` and [`Oid::dotted_form`] give `1.2.840.113554.1.2.2`;
/// `FromStr` and [`Oid::from_int_seq`] build one from its arcs.
#[doc(alias = "gss_OID")]
#[doc(alias = "gss_OID_desc")]
pub struct Oid {
    /// Points into `owned` or into static bytes; never into memory that moves.
    desc: sys::gss_OID_desc,
    owned: Option<Box<[u8]>>,
}

// SAFETY: the descriptor points to immutable bytes that are either 'static or owned by this
// value (a heap allocation that does not move with it); nothing is ever written through it.
unsafe impl Send for Oid {}
// SAFETY: as for Send; shared access only reads.
unsafe impl Sync for Oid {}

impl Oid {
    /// An OID over static DER value bytes. Usable in `static` and `const` items.
    ///
    /// # Panics
    ///
    /// In const evaluation, when `der` is longer than `u32::MAX` bytes.
    pub const fn from_static(der: &'static [u8]) -> Oid {
        assert!(der.len() <= u32::MAX as usize);
        Oid {
            desc: sys::gss_OID_desc {
                length: der.len() as u32,
                elements: der.as_ptr() as *mut _,
            },
            owned: None,
        }
    }

    /// An OID from the *value* of its DER encoding (python-gssapi: `OID(elements=...)`): the
    /// contents octets only, without the `06` tag and the length, as `gss_OID_desc` holds
    /// them. Kerberos is `2a 86 48 86 f7 12 01 02 02`.
    ///
    /// The bytes must be a well-formed sequence of base-128 arcs: not empty, and not ending in
    /// the middle of an arc. For the tagged form that SSH and SPNEGO put on the wire
    /// (`06 09 2a 86 ...`), use [`Oid::from_tagged_der`].
    pub fn from_der(der: &[u8]) -> Result<Oid> {
        validate_der(der)?;
        Ok(Self::from_der_unchecked(der))
    }

    /// An OID from one complete tagged DER encoding: tag `06`, a definite length (short or
    /// minimal long form), and exactly that many value bytes, with nothing after them. SSH
    /// (RFC 4462) and SPNEGO (RFC 4178) carry OIDs this way. [`Oid::split_tagged_der`] reads
    /// one from the front of a longer buffer.
    pub fn from_tagged_der(bytes: &[u8]) -> Result<Oid> {
        let (oid, rest) = Oid::split_tagged_der(bytes)?;
        if !rest.is_empty() {
            return Err(Error::invalid_input(
                "Oid::from_tagged_der",
                "bytes follow the tagged OID",
            ));
        }
        Ok(oid)
    }

    /// Reads one tagged DER OID from the front of `bytes`; returns it and the bytes after it.
    pub fn split_tagged_der(bytes: &[u8]) -> Result<(Oid, &[u8])> {
        const FUNCTION: &str = "Oid::split_tagged_der";
        let bad = |why| Err(Error::invalid_input(FUNCTION, why));
        let Some((&tag, rest)) = bytes.split_first() else {
            return bad("no bytes");
        };
        if tag != 0x06 {
            return bad("not an OID (the tag is not 06)");
        }
        let Some(&first) = rest.first() else {
            return bad("no length");
        };
        let Some((len, after_len)) = der_length(rest) else {
            return bad("the length is not a DER length");
        };
        // Long form (0x81..0x84 and the length's bytes) must be minimal in DER.
        if first >= 0x80 && (rest[1] == 0 || len < 0x80) {
            return bad("the length is not in its shortest (DER) form");
        }
        let rest = after_len;
        if rest.len() < len {
            return bad("the OID is shorter than its length says");
        }
        let (value, after) = rest.split_at(len);
        validate_der(value)?;
        Ok((Self::from_der_unchecked(value), after))
    }

    /// The tagged DER encoding: `06`, the length, the value (what [`Oid::from_tagged_der`]
    /// reads).
    pub fn to_tagged_der(&self) -> Vec<u8> {
        let value = self.as_bytes();
        let mut out = Vec::with_capacity(value.len() + 4);
        out.push(0x06);
        let n = value.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            // Long form: the length's big-endian bytes without leading zeros.
            let be = n.to_be_bytes();
            let skip = be.iter().take_while(|b| **b == 0).count();
            out.push(0x80 | (be.len() - skip) as u8);
            out.extend_from_slice(&be[skip..]);
        }
        out.extend_from_slice(value);
        out
    }

    #[inline]
    fn from_der_unchecked(der: &[u8]) -> Oid {
        // Reuse the static bytes of a well-known OID: no allocation for the common case.
        match well_known(der) {
            Some(known) => Oid::from_static(known),
            None => Oid::owned(der),
        }
    }

    #[cold]
    fn owned(der: &[u8]) -> Oid {
        let owned: Box<[u8]> = der.into();
        Oid {
            desc: sys::gss_OID_desc {
                length: owned.len() as u32,
                elements: owned.as_ptr() as *mut _,
            },
            owned: Some(owned),
        }
    }

    /// An OID from its arcs, e.g. `[1, 2, 840, 113554, 1, 2, 2]` (python-gssapi:
    /// `OID.from_int_seq`). At least two arcs; the first is 0, 1 or 2, and the second below 40
    /// unless the first is 2.
    pub fn from_int_seq(arcs: &[u64]) -> Result<Oid> {
        if arcs.len() < 2 {
            return Err(Error::invalid_input(
                "Oid::from_int_seq",
                "an OID needs at least two arcs",
            ));
        }
        if arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) {
            return Err(Error::invalid_input(
                "Oid::from_int_seq",
                "the first arc must be 0, 1 or 2, and the second below 40 unless the first is 2",
            ));
        }
        let first = arcs[0]
            .checked_mul(40)
            .and_then(|v| v.checked_add(arcs[1]))
            .ok_or_else(|| Error::invalid_input("Oid::from_int_seq", "arc too large"))?;
        let mut der = Vec::with_capacity(arcs.len() * 2);
        for arc in std::iter::once(first).chain(arcs[2..].iter().copied()) {
            let mut tmp = [0u8; 10];
            let mut i = tmp.len();
            let mut v = arc;
            loop {
                i -= 1;
                tmp[i] = (v & 0x7f) as u8 | if i == tmp.len() - 1 { 0 } else { 0x80 };
                v >>= 7;
                if v == 0 {
                    break;
                }
            }
            der.extend_from_slice(&tmp[i..]);
        }
        Oid::from_der(&der)
    }

    /// Copies an OID the library handed out. `NULL` gives `None`.
    ///
    /// # Safety
    ///
    /// `oid` must be null or point to a valid descriptor whose bytes are readable now.
    #[inline]
    pub(crate) unsafe fn from_ffi(oid: sys::gss_OID) -> Option<Oid> {
        if oid.is_null() {
            return None;
        }
        // SAFETY: the caller guarantees a valid descriptor.
        let desc = unsafe { &*oid };
        if desc.elements.is_null() {
            return Some(Oid::from_der_unchecked(&[]));
        }
        // SAFETY: a valid descriptor has `length` readable bytes at `elements`.
        let bytes =
            unsafe { std::slice::from_raw_parts(desc.elements as *const u8, desc.length as usize) };
        Some(Oid::from_der_unchecked(bytes))
    }

    /// The DER value bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.owned {
            Some(b) => b,
            // SAFETY: without `owned`, the descriptor points to static bytes of `length`.
            None => unsafe {
                std::slice::from_raw_parts(
                    self.desc.elements as *const u8,
                    self.desc.length as usize,
                )
            },
        }
    }

    /// The arcs as integers; `None` when an arc does not fit in a `u64`.
    pub fn arcs(&self) -> Option<Vec<u64>> {
        let mut arcs = Vec::new();
        let mut v: u64 = 0;
        for &b in self.as_bytes() {
            if v > (u64::MAX >> 7) {
                return None;
            }
            v = (v << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                if arcs.is_empty() {
                    let (a, b) = match v {
                        0..=39 => (0, v),
                        40..=79 => (1, v - 40),
                        _ => (2, v - 80),
                    };
                    arcs.push(a);
                    arcs.push(b);
                } else {
                    arcs.push(v);
                }
                v = 0;
            }
        }
        Some(arcs)
    }

    /// The dotted-decimal form, e.g. `1.2.840.113554.1.2.2` (python-gssapi: `dotted_form`).
    pub fn dotted_form(&self) -> String {
        match self.arcs() {
            Some(arcs) => arcs
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join("."),
            None => format!("<oid {}>", hex(self.as_bytes())),
        }
    }

    /// The descriptor pointer to pass to a C call. The library only reads input OIDs.
    pub(crate) fn as_ptr(&self) -> sys::gss_OID {
        &self.desc as *const _ as sys::gss_OID
    }

    /// The name of a well-known OID (`"KERBEROS"`, `"HOSTBASED_SERVICE"`, ...), if it is one.
    pub fn well_known_name(&self) -> Option<&'static str> {
        sys::oids::ALL
            .iter()
            .find(|(_, _, der)| *der == self.as_bytes())
            .map(|(name, _, _)| *name)
    }
}

/// The pointer for an optional input OID: `None` is `GSS_C_NO_OID`.
pub(crate) fn opt_ptr(oid: Option<&Oid>) -> sys::gss_OID {
    oid.map_or(sys::GSS_C_NO_OID, Oid::as_ptr)
}

/// The static bytes of a well-known OID equal to `der`, if it is one.
///
/// Every OID the library hands out (display, inquire, acquire) is looked up here. A program
/// sees the same few OIDs again and again, so the entry that matched last is tried first (a
/// hint shared by all threads: any value is a valid index, a stale one only costs the scan);
/// the comparisons are word loads, not a `memcmp` call per entry.
#[inline]
fn well_known(der: &[u8]) -> Option<&'static [u8]> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static LAST: AtomicUsize = AtomicUsize::new(0);
    let table = sys::oids::ALL;
    let last = LAST.load(Ordering::Relaxed);
    if let Some((_, _, known)) = table.get(last)
        && same(known, der)
    {
        return Some(known);
    }
    let i = table.iter().position(|(_, _, known)| same(known, der))?;
    LAST.store(i, Ordering::Relaxed);
    Some(table[i].2)
}

/// `a == b` for the short byte strings OIDs are: the lengths, then (up to 16 bytes) the first
/// and the last eight bytes as two words, which together cover every byte.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().expect("8"));
        word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8)
    } else {
        a == b
    }
}

fn validate_der(der: &[u8]) -> Result<()> {
    if der.is_empty() {
        return Err(Error::invalid_input(
            "Oid::from_der",
            "an OID cannot be empty",
        ));
    }
    if der.len() > u32::MAX as usize {
        return Err(Error::invalid_input("Oid::from_der", "OID too long"));
    }
    if der[der.len() - 1] & 0x80 != 0 {
        return Err(Error::invalid_input(
            "Oid::from_der",
            "the last arc of the OID is cut short",
        ));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Clone for Oid {
    fn clone(&self) -> Self {
        match &self.owned {
            None => Oid {
                desc: self.desc,
                owned: None,
            },
            Some(b) => Oid::from_der_unchecked(b),
        }
    }
}

impl PartialEq for Oid {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}
impl Eq for Oid {}

impl PartialEq<&Oid> for Oid {
    fn eq(&self, other: &&Oid) -> bool {
        self == *other
    }
}

impl Hash for Oid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl PartialOrd for Oid {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Oid {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted_form())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.well_known_name() {
            Some(name) => write!(f, "Oid({} {name})", self.dotted_form()),
            None => write!(f, "Oid({})", self.dotted_form()),
        }
    }
}

impl FromStr for Oid {
    type Err = Error;
    /// Parses the dotted form, e.g. `"1.2.840.113554.1.2.2"`.
    fn from_str(s: &str) -> Result<Oid> {
        let arcs = s
            .trim()
            .split('.')
            .map(|p| {
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                p.parse::<u64>().ok()
            })
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(|| Error::invalid_input("Oid::from_str", "not a dotted-decimal OID"))?;
        Oid::from_int_seq(&arcs)
    }
}

impl TryFrom<&[u8]> for Oid {
    type Error = Error;
    fn try_from(der: &[u8]) -> Result<Oid> {
        Oid::from_der(der)
    }
}

impl AsRef<[u8]> for Oid {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<[u8]> for Oid {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

macro_rules! statics {
    ($(#[$doc:meta] $name:ident = $sys:ident;)*) => {$(
        #[$doc]
        pub static $name: Oid = Oid::from_static(sys::oids::$sys);
    )*};
}

/// Name types, for `import_name` and friends (python-gssapi: `NameType`).
pub mod name_type {
    use super::{Oid, sys};
    statics! {
        /// `GSS_C_NT_ANONYMOUS`: the anonymous name (python: `anonymous`).
        ANONYMOUS = GSS_C_NT_ANONYMOUS;
        /// `GSS_C_NT_COMPOSITE_EXPORT`: an exported composite name (python: `composite_export`).
        COMPOSITE_EXPORT = GSS_C_NT_COMPOSITE_EXPORT;
        /// `GSS_C_NT_EXPORT_NAME`: an exported mechanism name (python: `export`).
        EXPORT = GSS_C_NT_EXPORT_NAME;
        /// `GSS_C_NT_HOSTBASED_SERVICE`: `service@host` (python: `hostbased_service`).
        HOSTBASED_SERVICE = GSS_C_NT_HOSTBASED_SERVICE;
        /// `GSS_C_NT_HOSTBASED_SERVICE_X`: the older host-based service OID.
        HOSTBASED_SERVICE_X = GSS_C_NT_HOSTBASED_SERVICE_X;
        /// `GSS_KRB5_NT_PRINCIPAL_NAME`: a Kerberos principal (python: `kerberos_principal`).
        KERBEROS_PRINCIPAL = GSS_KRB5_NT_PRINCIPAL_NAME;
        /// `GSS_KRB5_NT_ENTERPRISE_NAME`: a Kerberos enterprise principal.
        KERBEROS_ENTERPRISE = GSS_KRB5_NT_ENTERPRISE_NAME;
        /// `GSS_KRB5_NT_X509_CERT`: a certificate, for S4U2Self by certificate.
        KERBEROS_X509_CERT = GSS_KRB5_NT_X509_CERT;
        /// `GSS_C_NT_MACHINE_UID_NAME`: a binary uid (python: `machine_uid`).
        MACHINE_UID = GSS_C_NT_MACHINE_UID_NAME;
        /// `GSS_C_NT_STRING_UID_NAME`: a uid as decimal text (python: `string_uid`).
        STRING_UID = GSS_C_NT_STRING_UID_NAME;
        /// `GSS_C_NT_USER_NAME`: a local user name (python: `user`).
        USER = GSS_C_NT_USER_NAME;
    }
}

/// Mechanisms (python-gssapi: `MechType`).
pub mod mech_type {
    use super::{Oid, sys};
    statics! {
        /// Kerberos 5, `1.2.840.113554.1.2.2` (python: `kerberos`).
        KERBEROS = GSS_MECH_KRB5;
        /// The pre-RFC Kerberos 5 OID, `1.3.5.1.5.2`.
        KERBEROS_OLD = GSS_MECH_KRB5_OLD;
        /// The Kerberos 5 OID as old Windows encodes it, `1.2.840.48018.1.2.2`.
        KERBEROS_WRONG = GSS_MECH_KRB5_WRONG;
        /// IAKERB, `1.3.6.1.5.2.5`.
        IAKERB = GSS_MECH_IAKERB;
        /// SPNEGO, `1.3.6.1.5.5.2` (RFC 4178).
        SPNEGO = GSS_MECH_SPNEGO;
        /// NTLMSSP, `1.3.6.1.4.1.311.2.2.10` (when gss-ntlmssp is installed).
        NTLMSSP = GSS_MECH_NTLMSSP;
    }
}

/// A set of OIDs allocated by the library (`gss_OID_set`), released on drop.
///
/// Build one with [`OidSet::new`] and [`OidSet::insert`], or collect one from OIDs:
///
/// ```
/// use gssapi_raw::{OidSet, mech_type};
/// let set: OidSet = [&mech_type::KERBEROS, &mech_type::SPNEGO].into_iter().collect();
/// assert!(set.contains(&mech_type::SPNEGO));
/// assert_eq!(set.len(), 2);
/// ```
#[doc(alias = "gss_OID_set")]
pub struct OidSet {
    set: sys::gss_OID_set,
}

// SAFETY: the set is exclusively owned; the library does not tie it to a thread and
// gss_release_oid_set may run on any thread.
unsafe impl Send for OidSet {}
// SAFETY: shared access only reads the set; mutation (`insert`) takes `&mut self`.
unsafe impl Sync for OidSet {}

impl OidSet {
    /// An empty set (`gss_create_empty_oid_set`).
    #[doc(alias = "gss_create_empty_oid_set")]
    pub fn new() -> Result<OidSet> {
        let mut set = OidSet::null();
        call("gss_create_empty_oid_set", |minor| {
            // SAFETY: the out-pointer is valid; the set is released by Drop.
            unsafe { sys::gss_create_empty_oid_set(minor, &mut set.set) }
        })?;
        Ok(set)
    }

    pub(crate) fn null() -> OidSet {
        OidSet {
            set: ptr::null_mut(),
        }
    }

    /// Wraps a set the library returned; `NULL` stays empty.
    pub(crate) fn as_out_ptr(&mut self) -> *mut sys::gss_OID_set {
        debug_assert!(self.set.is_null(), "output OID set reused");
        &mut self.set
    }

    pub(crate) fn as_ptr(&self) -> sys::gss_OID_set {
        self.set
    }

    /// Adds an OID (the library copies it) unless it is present (`gss_add_oid_set_member`;
    /// the presence check is done here, as RFC 2744 describes, since MIT appends regardless).
    #[doc(alias = "gss_add_oid_set_member")]
    pub fn insert(&mut self, oid: &Oid) -> Result<()> {
        if self.set.is_null() {
            *self = OidSet::new()?;
        }
        if self.contains(oid) {
            return Ok(());
        }
        call("gss_add_oid_set_member", |minor| {
            // SAFETY: the set is valid and owned; the OID is only read and copied.
            unsafe { sys::gss_add_oid_set_member(minor, oid.as_ptr(), &mut self.set) }
        })?;
        Ok(())
    }

    /// Whether the set holds `oid` (`gss_test_oid_set_member`, done in Rust: the same byte
    /// comparison, without a library call).
    #[doc(alias = "gss_test_oid_set_member")]
    pub fn contains(&self, oid: &Oid) -> bool {
        self.descs().iter().any(|d| desc_bytes(d) == oid.as_bytes())
    }

    /// The number of OIDs.
    pub fn len(&self) -> usize {
        self.descs().len()
    }

    /// Whether the set is empty (or `GSS_C_NO_OID_SET`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The OIDs, copied out of the set.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Oid> + '_ {
        self.descs().iter().map(|d| {
            // SAFETY: `d` is an element of a valid set, readable while `self` lives.
            unsafe { Oid::from_ffi(d as *const _ as sys::gss_OID) }.expect("not null")
        })
    }

    /// The OIDs as a `Vec`.
    pub fn to_vec(&self) -> Vec<Oid> {
        self.iter().collect()
    }

    fn descs(&self) -> &[sys::gss_OID_desc] {
        if self.set.is_null() {
            return &[];
        }
        // SAFETY: a non-null set from the library is a valid descriptor.
        let set = unsafe { &*self.set };
        if set.elements.is_null() || set.count == 0 {
            return &[];
        }
        // SAFETY: a valid set has `count` descriptors at `elements`, alive while the set is.
        unsafe { std::slice::from_raw_parts(set.elements, set.count) }
    }
}

fn desc_bytes(d: &sys::gss_OID_desc) -> &[u8] {
    if d.elements.is_null() {
        return &[];
    }
    // SAFETY: descriptors inside a valid set have `length` readable bytes.
    unsafe { std::slice::from_raw_parts(d.elements as *const u8, d.length as usize) }
}

impl Drop for OidSet {
    fn drop(&mut self) {
        if !self.set.is_null() {
            let mut minor = 0;
            // SAFETY: the set came from the library and is released once, here.
            unsafe { sys::gss_release_oid_set(&mut minor, &mut self.set) };
        }
    }
}

impl Clone for OidSet {
    fn clone(&self) -> Self {
        self.iter().collect()
    }
}

impl fmt::Debug for OidSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl PartialEq for OidSet {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|o| other.contains(&o))
    }
}

impl<'a> FromIterator<&'a Oid> for OidSet {
    /// Collects OIDs into a new set.
    ///
    /// # Panics
    ///
    /// When the library cannot allocate the set (out of memory).
    fn from_iter<I: IntoIterator<Item = &'a Oid>>(iter: I) -> Self {
        let mut set = OidSet::new().expect("gss_create_empty_oid_set failed");
        for oid in iter {
            set.insert(oid).expect("gss_add_oid_set_member failed");
        }
        set
    }
}

impl FromIterator<Oid> for OidSet {
    /// Collects OIDs into a new set.
    ///
    /// # Panics
    ///
    /// When the library cannot allocate the set (out of memory).
    fn from_iter<I: IntoIterator<Item = Oid>>(iter: I) -> Self {
        let oids: Vec<Oid> = iter.into_iter().collect();
        oids.iter().collect()
    }
}

/// A DER length at the start of `bytes` (the short form, or the long form with 1 to 4 length
/// bytes; minimality not checked): the length and the bytes after it. `None` when it is
/// missing, truncated or longer than 4 bytes.
pub(crate) fn der_length(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = bytes.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }
    let n = usize::from(first & 0x7f);
    if !(1..=4).contains(&n) || rest.len() < n {
        return None;
    }
    let len = rest[..n]
        .iter()
        .fold(0usize, |l, b| (l << 8) | usize::from(*b));
    Some((len, &rest[n..]))
}

#[cfg(test)]
mod tests {
    use super::well_known;
    use crate::sys;

    #[test]
    fn well_known_finds_every_table_entry_and_nothing_else() {
        for (name, _, der) in sys::oids::ALL {
            assert_eq!(well_known(der), Some(*der), "{name}");
            let mut longer = der.to_vec();
            longer.push(0x01);
            if !sys::oids::ALL
                .iter()
                .any(|(_, _, k)| *k == longer.as_slice())
            {
                assert_eq!(well_known(&longer), None, "{name} + 01");
            }
            let shorter = &der[..der.len() - 1];
            if !sys::oids::ALL.iter().any(|(_, _, k)| *k == shorter) {
                assert_eq!(well_known(shorter), None, "{name} - last");
            }
        }
        assert_eq!(well_known(&[]), None);
        assert_eq!(well_known(&[0x2a; 20]), None);
    }
}
