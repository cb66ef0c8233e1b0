// The functions whose prototypes differ between MIT krb5 and Heimdal, as Heimdal 7 declares
// them (<gssapi/gssapi.h>, <gssapi/gssapi_krb5.h>): mostly `const` handles where MIT takes
// mutable ones, and krb5 types of another width or sign. src/per_impl/mit.rs declares the same
// names as MIT does. tests/abi.rs checks both against the installed headers.

use crate::generated::ext::*;
use crate::generated::gssapi::*;
use crate::{time_t, uid_t};

/// Ticket and option flags (`krb5_flags`): `uint32_t` in Heimdal.
pub type krb5_flags = u32;
/// A time stamp in seconds since the epoch (`krb5_timestamp`): `time_t` in Heimdal.
pub type krb5_timestamp = crate::time_t;
unsafe extern "C" {
    pub fn gss_acquire_cred(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: OM_uint32,
        arg4: gss_OID_set,
        arg5: gss_cred_usage_t,
        arg6: *mut gss_cred_id_t,
        arg7: *mut gss_OID_set,
        arg8: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_init_sec_context(
        arg1: *mut OM_uint32,
        arg2: gss_const_cred_id_t,
        arg3: *mut gss_ctx_id_t,
        arg4: gss_const_name_t,
        arg5: gss_OID,
        arg6: OM_uint32,
        arg7: OM_uint32,
        arg8: gss_channel_bindings_t,
        arg9: gss_buffer_t,
        arg10: *mut gss_OID,
        arg11: gss_buffer_t,
        arg12: *mut OM_uint32,
        arg13: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_accept_sec_context(
        arg1: *mut OM_uint32,
        arg2: *mut gss_ctx_id_t,
        arg3: gss_const_cred_id_t,
        arg4: gss_buffer_t,
        arg5: gss_channel_bindings_t,
        arg6: *mut gss_name_t,
        arg7: *mut gss_OID,
        arg8: gss_buffer_t,
        arg9: *mut OM_uint32,
        arg10: *mut OM_uint32,
        arg11: *mut gss_cred_id_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_process_context_token(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: gss_buffer_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_context_time(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_get_mic(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: gss_qop_t,
        arg4: gss_buffer_t,
        arg5: gss_buffer_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_verify_mic(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: gss_buffer_t,
        arg4: gss_buffer_t,
        arg5: *mut gss_qop_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_wrap(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: ::core::ffi::c_int,
        arg4: gss_qop_t,
        arg5: gss_buffer_t,
        arg6: *mut ::core::ffi::c_int,
        arg7: gss_buffer_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_unwrap(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: gss_buffer_t,
        arg4: gss_buffer_t,
        arg5: *mut ::core::ffi::c_int,
        arg6: *mut gss_qop_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_compare_name(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: gss_const_name_t,
        arg4: *mut ::core::ffi::c_int,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_display_name(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: gss_buffer_t,
        arg4: *mut gss_OID,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_inquire_cred(
        arg1: *mut OM_uint32,
        arg2: gss_const_cred_id_t,
        arg3: *mut gss_name_t,
        arg4: *mut OM_uint32,
        arg5: *mut gss_cred_usage_t,
        arg6: *mut gss_OID_set,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_inquire_context(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: *mut gss_name_t,
        arg4: *mut gss_name_t,
        arg5: *mut OM_uint32,
        arg6: *mut gss_OID,
        arg7: *mut OM_uint32,
        arg8: *mut ::core::ffi::c_int,
        arg9: *mut ::core::ffi::c_int,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_wrap_size_limit(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: ::core::ffi::c_int,
        arg4: gss_qop_t,
        arg5: OM_uint32,
        arg6: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_add_cred(
        arg1: *mut OM_uint32,
        arg2: gss_const_cred_id_t,
        arg3: gss_const_name_t,
        arg4: gss_OID,
        arg5: gss_cred_usage_t,
        arg6: OM_uint32,
        arg7: OM_uint32,
        arg8: *mut gss_cred_id_t,
        arg9: *mut gss_OID_set,
        arg10: *mut OM_uint32,
        arg11: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_inquire_cred_by_mech(
        arg1: *mut OM_uint32,
        arg2: gss_const_cred_id_t,
        arg3: gss_OID,
        arg4: *mut gss_name_t,
        arg5: *mut OM_uint32,
        arg6: *mut OM_uint32,
        arg7: *mut gss_cred_usage_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_inquire_mechs_for_name(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: *mut gss_OID_set,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_export_name(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: gss_buffer_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_duplicate_name(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: *mut gss_name_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_canonicalize_name(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: gss_OID,
        arg4: *mut gss_name_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_pname_to_uid(
        minor: *mut OM_uint32,
        name: gss_const_name_t,
        mech_type: gss_OID,
        uidOut: *mut uid_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_localname(
        minor: *mut OM_uint32,
        name: gss_const_name_t,
        mech_type: gss_OID,
        localname: gss_buffer_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_userok(
        name: gss_const_name_t,
        username: *const ::core::ffi::c_char,
    ) -> ::core::ffi::c_int;
}
unsafe extern "C" {
    pub fn gss_authorize_localname(
        minor: *mut OM_uint32,
        name: gss_const_name_t,
        user: gss_const_name_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_acquire_cred_with_password(
        arg1: *mut OM_uint32,
        arg2: gss_const_name_t,
        arg3: gss_buffer_t,
        arg4: OM_uint32,
        arg5: gss_OID_set,
        arg6: gss_cred_usage_t,
        arg7: *mut gss_cred_id_t,
        arg8: *mut gss_OID_set,
        arg9: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_add_cred_with_password(
        arg1: *mut OM_uint32,
        arg2: gss_const_cred_id_t,
        arg3: gss_const_name_t,
        arg4: gss_OID,
        arg5: gss_buffer_t,
        arg6: gss_cred_usage_t,
        arg7: OM_uint32,
        arg8: OM_uint32,
        arg9: *mut gss_cred_id_t,
        arg10: *mut gss_OID_set,
        arg11: *mut OM_uint32,
        arg12: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_inquire_sec_context_by_oid(
        arg1: *mut OM_uint32,
        arg2: gss_const_ctx_id_t,
        arg3: gss_OID,
        arg4: *mut gss_buffer_set_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_inquire_cred_by_oid(
        arg1: *mut OM_uint32,
        arg2: gss_const_cred_id_t,
        arg3: gss_OID,
        arg4: *mut gss_buffer_set_t,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_krb5_get_tkt_flags(
        minor_status: *mut OM_uint32,
        context_handle: gss_ctx_id_t,
        ticket_flags: *mut OM_uint32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gss_krb5_set_allowable_enctypes(
        minor_status: *mut OM_uint32,
        cred: gss_cred_id_t,
        num_ktypes: OM_uint32,
        ktypes: *mut i32,
    ) -> OM_uint32;
}
unsafe extern "C" {
    pub fn gsskrb5_extract_authtime_from_sec_context(
        arg1: *mut OM_uint32,
        arg2: gss_ctx_id_t,
        arg3: *mut time_t,
    ) -> OM_uint32;
}
