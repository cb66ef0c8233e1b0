// The few libkrb5 calls the workspace needs to destroy a credential cache, which GSSAPI has no
// call for (a MEMORY: ccache that received delegated credentials would otherwise live as long
// as the process), and to resolve a keytab for gss_krb5_import_cred. Same prototypes in MIT and Heimdal; `tests/abi.rs` checks them against the
// installed `krb5.h` of each.

/// A libkrb5 error code (`krb5_error_code`): 32-bit signed in MIT and Heimdal.
pub type krb5_error_code = i32;

unsafe extern "C" {
    pub fn krb5_init_context(context: *mut krb5_context) -> krb5_error_code;
}
unsafe extern "C" {
    pub fn krb5_free_context(context: krb5_context);
}
unsafe extern "C" {
    pub fn krb5_cc_resolve(
        context: krb5_context,
        name: *const ::core::ffi::c_char,
        cache: *mut krb5_ccache,
    ) -> krb5_error_code;
}
unsafe extern "C" {
    pub fn krb5_cc_destroy(context: krb5_context, cache: krb5_ccache) -> krb5_error_code;
}
unsafe extern "C" {
    pub fn krb5_cc_close(context: krb5_context, cache: krb5_ccache) -> krb5_error_code;
}
unsafe extern "C" {
    pub fn krb5_kt_resolve(
        context: krb5_context,
        name: *const ::core::ffi::c_char,
        ktid: *mut krb5_keytab,
    ) -> krb5_error_code;
}
unsafe extern "C" {
    pub fn krb5_kt_close(context: krb5_context, keytab: krb5_keytab) -> krb5_error_code;
}
