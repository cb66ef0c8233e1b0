//! RFC 2744 constants and the extension constants of `gssapi_ext.h`, written out by hand.
//!
//! MIT defines the status codes with casts (`((OM_uint32) 1ul) << 16`) that bindgen does not
//! evaluate, and Heimdal spells several of them differently, so every value is written here once.
//! `tests/abi.rs` compiles a C program against the installed headers and checks each value.

use crate::{
    OM_uint32, gss_OID, gss_OID_set, gss_buffer_t, gss_channel_bindings_t, gss_cred_id_t,
    gss_ctx_id_t, gss_name_t, gss_qop_t,
};
use core::ptr;

// Requirement and return flags.
/// Delegate credentials to the acceptor.
pub const GSS_C_DELEG_FLAG: OM_uint32 = 1;
/// Mutual authentication.
pub const GSS_C_MUTUAL_FLAG: OM_uint32 = 2;
/// Replay detection for per-message tokens.
pub const GSS_C_REPLAY_FLAG: OM_uint32 = 4;
/// Out-of-sequence detection for per-message tokens.
pub const GSS_C_SEQUENCE_FLAG: OM_uint32 = 8;
/// Confidentiality (encryption) is available.
pub const GSS_C_CONF_FLAG: OM_uint32 = 16;
/// Integrity (MIC) is available.
pub const GSS_C_INTEG_FLAG: OM_uint32 = 32;
/// Anonymous initiator.
pub const GSS_C_ANON_FLAG: OM_uint32 = 64;
/// Per-message protection is available before the context is complete.
pub const GSS_C_PROT_READY_FLAG: OM_uint32 = 128;
/// The context can be exported.
pub const GSS_C_TRANS_FLAG: OM_uint32 = 256;
/// Channel bindings were verified (RFC 5554 extension).
pub const GSS_C_CHANNEL_BOUND_FLAG: OM_uint32 = 2048;
/// DCE-style (three-leg) authentication.
pub const GSS_C_DCE_STYLE: OM_uint32 = 0x1000;
/// Identify-only context (Windows SSPI semantics).
pub const GSS_C_IDENTIFY_FLAG: OM_uint32 = 0x2000;
/// Extended error reporting.
pub const GSS_C_EXTENDED_ERROR_FLAG: OM_uint32 = 0x4000;
/// Delegate only if the KDC's policy (ok-as-delegate) allows it.
pub const GSS_C_DELEG_POLICY_FLAG: OM_uint32 = 32768;

// Credential usage.
/// Credentials for both initiating and accepting.
pub const GSS_C_BOTH: crate::gss_cred_usage_t = 0;
/// Credentials for initiating only.
pub const GSS_C_INITIATE: crate::gss_cred_usage_t = 1;
/// Credentials for accepting only.
pub const GSS_C_ACCEPT: crate::gss_cred_usage_t = 2;

// Status types for gss_display_status.
/// `status_type` for a major status code.
pub const GSS_C_GSS_CODE: core::ffi::c_int = 1;
/// `status_type` for a minor (mechanism) status code.
pub const GSS_C_MECH_CODE: core::ffi::c_int = 2;

// Channel binding address types.
/// Unspecified address type.
pub const GSS_C_AF_UNSPEC: OM_uint32 = 0;
/// Host-local address.
pub const GSS_C_AF_LOCAL: OM_uint32 = 1;
/// IPv4 address.
pub const GSS_C_AF_INET: OM_uint32 = 2;
/// ARPAnet IMP address.
pub const GSS_C_AF_IMPLINK: OM_uint32 = 3;
/// PUP address.
pub const GSS_C_AF_PUP: OM_uint32 = 4;
/// MIT CHAOS address.
pub const GSS_C_AF_CHAOS: OM_uint32 = 5;
/// Xerox NS address.
pub const GSS_C_AF_NS: OM_uint32 = 6;
/// NBS address.
pub const GSS_C_AF_NBS: OM_uint32 = 7;
/// ECMA address.
pub const GSS_C_AF_ECMA: OM_uint32 = 8;
/// Datakit address.
pub const GSS_C_AF_DATAKIT: OM_uint32 = 9;
/// CCITT address.
pub const GSS_C_AF_CCITT: OM_uint32 = 10;
/// IBM SNA address.
pub const GSS_C_AF_SNA: OM_uint32 = 11;
/// DECnet address.
pub const GSS_C_AF_DECnet: OM_uint32 = 12;
/// Direct data link interface address.
pub const GSS_C_AF_DLI: OM_uint32 = 13;
/// LAT address.
pub const GSS_C_AF_LAT: OM_uint32 = 14;
/// NSC Hyperchannel address.
pub const GSS_C_AF_HYLINK: OM_uint32 = 15;
/// AppleTalk address.
pub const GSS_C_AF_APPLETALK: OM_uint32 = 16;
/// BISYNC address.
pub const GSS_C_AF_BSC: OM_uint32 = 17;
/// Distributed system services address.
pub const GSS_C_AF_DSS: OM_uint32 = 18;
/// OSI TP4 address.
pub const GSS_C_AF_OSI: OM_uint32 = 19;
/// NetBIOS address.
pub const GSS_C_AF_NETBIOS: OM_uint32 = 20;
/// X.25 address.
pub const GSS_C_AF_X25: OM_uint32 = 21;
/// No address.
pub const GSS_C_AF_NULLADDR: OM_uint32 = 255;

// Null handles.
/// No name.
pub const GSS_C_NO_NAME: gss_name_t = ptr::null_mut();
/// No buffer.
pub const GSS_C_NO_BUFFER: gss_buffer_t = ptr::null_mut();
/// No OID (the default mechanism or name type).
pub const GSS_C_NO_OID: gss_OID = ptr::null_mut();
/// No OID set.
pub const GSS_C_NO_OID_SET: gss_OID_set = ptr::null_mut();
/// No security context.
pub const GSS_C_NO_CONTEXT: gss_ctx_id_t = ptr::null_mut();
/// No credential (the default credential).
pub const GSS_C_NO_CREDENTIAL: gss_cred_id_t = ptr::null_mut();
/// No channel bindings.
pub const GSS_C_NO_CHANNEL_BINDINGS: gss_channel_bindings_t = ptr::null_mut();

/// The default quality of protection.
pub const GSS_C_QOP_DEFAULT: gss_qop_t = 0;
/// An indefinite lifetime.
pub const GSS_C_INDEFINITE: OM_uint32 = 0xffff_ffff;

// Status code layout.
/// Bit offset of the calling error field.
pub const GSS_C_CALLING_ERROR_OFFSET: OM_uint32 = 24;
/// Bit offset of the routine error field.
pub const GSS_C_ROUTINE_ERROR_OFFSET: OM_uint32 = 16;
/// Bit offset of the supplementary info field.
pub const GSS_C_SUPPLEMENTARY_OFFSET: OM_uint32 = 0;
/// Mask of the calling error field (after shifting).
pub const GSS_C_CALLING_ERROR_MASK: OM_uint32 = 0o377;
/// Mask of the routine error field (after shifting).
pub const GSS_C_ROUTINE_ERROR_MASK: OM_uint32 = 0o377;
/// Mask of the supplementary info field (after shifting).
pub const GSS_C_SUPPLEMENTARY_MASK: OM_uint32 = 0o177777;

/// The calling error bits of a major status (`GSS_CALLING_ERROR`).
pub const fn GSS_CALLING_ERROR(x: OM_uint32) -> OM_uint32 {
    x & (GSS_C_CALLING_ERROR_MASK << GSS_C_CALLING_ERROR_OFFSET)
}
/// The routine error bits of a major status (`GSS_ROUTINE_ERROR`).
pub const fn GSS_ROUTINE_ERROR(x: OM_uint32) -> OM_uint32 {
    x & (GSS_C_ROUTINE_ERROR_MASK << GSS_C_ROUTINE_ERROR_OFFSET)
}
/// The supplementary info bits of a major status (`GSS_SUPPLEMENTARY_INFO`).
pub const fn GSS_SUPPLEMENTARY_INFO(x: OM_uint32) -> OM_uint32 {
    x & (GSS_C_SUPPLEMENTARY_MASK << GSS_C_SUPPLEMENTARY_OFFSET)
}
/// Whether a major status is an error (`GSS_ERROR`): a calling or routine error is set.
pub const fn GSS_ERROR(x: OM_uint32) -> bool {
    x & ((GSS_C_CALLING_ERROR_MASK << GSS_C_CALLING_ERROR_OFFSET)
        | (GSS_C_ROUTINE_ERROR_MASK << GSS_C_ROUTINE_ERROR_OFFSET))
        != 0
}

/// Success.
pub const GSS_S_COMPLETE: OM_uint32 = 0;

// Calling errors.
/// An input parameter could not be read.
pub const GSS_S_CALL_INACCESSIBLE_READ: OM_uint32 = 1 << GSS_C_CALLING_ERROR_OFFSET;
/// An output parameter could not be written.
pub const GSS_S_CALL_INACCESSIBLE_WRITE: OM_uint32 = 2 << GSS_C_CALLING_ERROR_OFFSET;
/// A parameter was malformed.
pub const GSS_S_CALL_BAD_STRUCTURE: OM_uint32 = 3 << GSS_C_CALLING_ERROR_OFFSET;

// Routine errors.
/// Unsupported mechanism.
pub const GSS_S_BAD_MECH: OM_uint32 = 1 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Invalid name.
pub const GSS_S_BAD_NAME: OM_uint32 = 2 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Unsupported name type.
pub const GSS_S_BAD_NAMETYPE: OM_uint32 = 3 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Channel bindings do not match.
pub const GSS_S_BAD_BINDINGS: OM_uint32 = 4 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Invalid status code.
pub const GSS_S_BAD_STATUS: OM_uint32 = 5 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Invalid signature (MIC).
pub const GSS_S_BAD_SIG: OM_uint32 = 6 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Invalid MIC (the RFC 2744 name of `GSS_S_BAD_SIG`).
pub const GSS_S_BAD_MIC: OM_uint32 = GSS_S_BAD_SIG;
/// No credentials were supplied or could be found.
pub const GSS_S_NO_CRED: OM_uint32 = 7 << GSS_C_ROUTINE_ERROR_OFFSET;
/// No context has been established.
pub const GSS_S_NO_CONTEXT: OM_uint32 = 8 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Invalid token.
pub const GSS_S_DEFECTIVE_TOKEN: OM_uint32 = 9 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Invalid credential.
pub const GSS_S_DEFECTIVE_CREDENTIAL: OM_uint32 = 10 << GSS_C_ROUTINE_ERROR_OFFSET;
/// The credentials have expired.
pub const GSS_S_CREDENTIALS_EXPIRED: OM_uint32 = 11 << GSS_C_ROUTINE_ERROR_OFFSET;
/// The context has expired.
pub const GSS_S_CONTEXT_EXPIRED: OM_uint32 = 12 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Unspecified failure; the minor status has details.
pub const GSS_S_FAILURE: OM_uint32 = 13 << GSS_C_ROUTINE_ERROR_OFFSET;
/// Unsupported quality of protection.
pub const GSS_S_BAD_QOP: OM_uint32 = 14 << GSS_C_ROUTINE_ERROR_OFFSET;
/// The operation is forbidden by local policy.
pub const GSS_S_UNAUTHORIZED: OM_uint32 = 15 << GSS_C_ROUTINE_ERROR_OFFSET;
/// The operation or option is unavailable.
pub const GSS_S_UNAVAILABLE: OM_uint32 = 16 << GSS_C_ROUTINE_ERROR_OFFSET;
/// The credential element already exists.
pub const GSS_S_DUPLICATE_ELEMENT: OM_uint32 = 17 << GSS_C_ROUTINE_ERROR_OFFSET;
/// The name is not a mechanism name.
pub const GSS_S_NAME_NOT_MN: OM_uint32 = 18 << GSS_C_ROUTINE_ERROR_OFFSET;
/// An unknown mechanism attribute (RFC 5587).
pub const GSS_S_BAD_MECH_ATTR: OM_uint32 = 19 << GSS_C_ROUTINE_ERROR_OFFSET;

// Supplementary info bits.
/// More tokens must be exchanged.
pub const GSS_S_CONTINUE_NEEDED: OM_uint32 = 1 << GSS_C_SUPPLEMENTARY_OFFSET;
/// The token is a duplicate of an earlier one.
pub const GSS_S_DUPLICATE_TOKEN: OM_uint32 = 1 << (GSS_C_SUPPLEMENTARY_OFFSET + 1);
/// The token is too old to check for duplication.
pub const GSS_S_OLD_TOKEN: OM_uint32 = 1 << (GSS_C_SUPPLEMENTARY_OFFSET + 2);
/// A later token has already been processed.
pub const GSS_S_UNSEQ_TOKEN: OM_uint32 = 1 << (GSS_C_SUPPLEMENTARY_OFFSET + 3);
/// An expected per-message token was not received.
pub const GSS_S_GAP_TOKEN: OM_uint32 = 1 << (GSS_C_SUPPLEMENTARY_OFFSET + 4);

// gss_pseudo_random (RFC 4401).
/// Use the full (acceptor subkey) key for the PRF.
pub const GSS_C_PRF_KEY_FULL: core::ffi::c_int = 0;
/// Use the partial (initiator) key for the PRF.
pub const GSS_C_PRF_KEY_PARTIAL: core::ffi::c_int = 1;

// IOV buffer types (DCE extension).
/// An unused buffer.
pub const GSS_IOV_BUFFER_TYPE_EMPTY: OM_uint32 = 0;
/// Packet data, encrypted in place.
pub const GSS_IOV_BUFFER_TYPE_DATA: OM_uint32 = 1;
/// Mechanism header.
pub const GSS_IOV_BUFFER_TYPE_HEADER: OM_uint32 = 2;
/// Mechanism-specific parameters.
pub const GSS_IOV_BUFFER_TYPE_MECH_PARAMS: OM_uint32 = 3;
/// Mechanism trailer.
pub const GSS_IOV_BUFFER_TYPE_TRAILER: OM_uint32 = 7;
/// Padding.
pub const GSS_IOV_BUFFER_TYPE_PADDING: OM_uint32 = 9;
/// A complete wrap token, for unwrap.
pub const GSS_IOV_BUFFER_TYPE_STREAM: OM_uint32 = 10;
/// Data that is signed but not encrypted (associated data).
pub const GSS_IOV_BUFFER_TYPE_SIGN_ONLY: OM_uint32 = 11;
/// Destination of a MIC token.
pub const GSS_IOV_BUFFER_TYPE_MIC_TOKEN: OM_uint32 = 12;
/// Mask of the flag bits of an IOV buffer type.
pub const GSS_IOV_BUFFER_FLAG_MASK: OM_uint32 = 0xFFFF_0000;
/// The library should allocate this buffer.
pub const GSS_IOV_BUFFER_FLAG_ALLOCATE: OM_uint32 = 0x0001_0000;
/// The library allocated this buffer; release it with gss_release_iov_buffer.
pub const GSS_IOV_BUFFER_FLAG_ALLOCATED: OM_uint32 = 0x0002_0000;

/// The type part of an IOV buffer type (`GSS_IOV_BUFFER_TYPE`).
pub const fn GSS_IOV_BUFFER_TYPE(t: OM_uint32) -> OM_uint32 {
    t & !GSS_IOV_BUFFER_FLAG_MASK
}
/// The flag part of an IOV buffer type (`GSS_IOV_BUFFER_FLAGS`).
pub const fn GSS_IOV_BUFFER_FLAGS(t: OM_uint32) -> OM_uint32 {
    t & GSS_IOV_BUFFER_FLAG_MASK
}
