// The krb5 types whose width differs between MIT krb5 and Heimdal, for a `dlopen` build, where
// the library is chosen at run time: the wrappers use MIT's prototypes (src/per_impl/mit.rs),
// whose types have the same width as Heimdal's except for the time stamp, which is the wider
// `time_t` here (the one function that writes one is wrapped by hand in src/dlopen.rs).

/// Ticket and option flags (`krb5_flags`): 32 bits in both (`krb5_int32` in MIT, `uint32_t`
/// in Heimdal), declared as MIT's.
pub type krb5_flags = i32;
/// A time stamp in seconds since the epoch: `time_t` (Heimdal's `krb5_timestamp`; MIT's 32-bit
/// one is widened, read as unsigned as MIT does since 1.16).
pub type krb5_timestamp = crate::time_t;
