//! DER encodings (the value bytes, without tag and length) of the well-known OIDs.
//!
//! MIT exports these as variables and Heimdal as macros over differently named variables, so
//! they are defined here from their bytes once for both. `tests/abi.rs` compares them with the
//! C library's own values where the headers declare them.

/// User name (`user@REALM` or `user`).
///
/// `1.2.840.113554.1.2.1.1`
pub const GSS_C_NT_USER_NAME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x01];

/// Machine UID name (a binary uid).
///
/// `1.2.840.113554.1.2.1.2`
pub const GSS_C_NT_MACHINE_UID_NAME: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x02];

/// String UID name (a uid as decimal text).
///
/// `1.2.840.113554.1.2.1.3`
pub const GSS_C_NT_STRING_UID_NAME: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x03];

/// Host-based service name (`service@host`).
///
/// `1.2.840.113554.1.2.1.4`
pub const GSS_C_NT_HOSTBASED_SERVICE: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x04];

/// Host-based service name, the older OID of RFC 1964.
///
/// `1.3.6.1.5.6.2`
pub const GSS_C_NT_HOSTBASED_SERVICE_X: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x06, 0x02];

/// Anonymous name.
///
/// `1.3.6.1.5.6.3`
pub const GSS_C_NT_ANONYMOUS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x06, 0x03];

/// Exported mechanism name (the output of gss_export_name).
///
/// `1.3.6.1.5.6.4`
pub const GSS_C_NT_EXPORT_NAME: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x06, 0x04];

/// Exported composite name (RFC 6680, gss_export_name_composite).
///
/// `1.3.6.1.5.6.6`
pub const GSS_C_NT_COMPOSITE_EXPORT: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x06, 0x06];

/// Kerberos principal name (`user/instance@REALM`).
///
/// `1.2.840.113554.1.2.2.1`
pub const GSS_KRB5_NT_PRINCIPAL_NAME: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01];

/// Kerberos enterprise principal name (`user@domain@REALM`).
///
/// `1.2.840.113554.1.2.2.6`
pub const GSS_KRB5_NT_ENTERPRISE_NAME: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x06];

/// An X.509 certificate as a name (S4U2Self by certificate).
///
/// `1.2.840.113554.1.2.2.7`
pub const GSS_KRB5_NT_X509_CERT: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x07];

/// The Kerberos 5 mechanism (RFC 1964, RFC 4121).
///
/// `1.2.840.113554.1.2.2`
pub const GSS_MECH_KRB5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02];

/// The pre-RFC Kerberos 5 mechanism OID.
///
/// `1.3.5.1.5.2`
pub const GSS_MECH_KRB5_OLD: &[u8] = &[0x2b, 0x05, 0x01, 0x05, 0x02];

/// The Kerberos 5 OID as wrongly encoded by old Windows (MS KRB5).
///
/// `1.2.840.48018.1.2.2`
pub const GSS_MECH_KRB5_WRONG: &[u8] = &[0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02];

/// IAKERB: Kerberos through the acceptor.
///
/// `1.3.6.1.5.2.5`
pub const GSS_MECH_IAKERB: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x02, 0x05];

/// SPNEGO, the negotiation pseudo-mechanism (RFC 4178).
///
/// `1.3.6.1.5.5.2`
pub const GSS_MECH_SPNEGO: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];

/// NTLMSSP (gss-ntlmssp).
///
/// `1.3.6.1.4.1.311.2.2.10`
pub const GSS_MECH_NTLMSSP: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a];

/// Context inquiry OID for the session key (gss_inquire_sec_context_by_oid).
///
/// `1.2.840.113554.1.2.2.5.5`
pub const GSS_C_INQ_SSPI_SESSION_KEY: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x05,
];

/// Context inquiry OID for the NegoEx key.
///
/// `1.2.840.113554.1.2.2.5.16`
pub const GSS_C_INQ_NEGOEX_KEY: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x10,
];

/// Context inquiry OID for the NegoEx verify key.
///
/// `1.2.840.113554.1.2.2.5.17`
pub const GSS_C_INQ_NEGOEX_VERIFY_KEY: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x11,
];

/// Credential inquiry OID for the impersonator of an S4U2Self credential.
///
/// `1.2.840.113554.1.2.2.5.14`
pub const GSS_KRB5_GET_CRED_IMPERSONATOR: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x0e,
];

/// Credential option: do not send the channel-binding and integrity flags (gss_set_cred_option).
///
/// `1.2.752.43.13.29`
pub const GSS_KRB5_CRED_NO_CI_FLAGS_X: &[u8] = &[0x2a, 0x85, 0x70, 0x2b, 0x0d, 0x1d];

/// Context inquiry OID for the SASL security strength factor.
///
/// `1.2.840.113554.1.2.2.5.15`
pub const GSS_C_SEC_CONTEXT_SASL_SSF: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x0f,
];

/// RFC 5587 mechanism attribute `GSS_C_MA_MECH_CONCRETE`.
///
/// `1.3.6.1.5.5.13.1`
pub const GSS_C_MA_MECH_CONCRETE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x01];

/// RFC 5587 mechanism attribute `GSS_C_MA_MECH_PSEUDO`.
///
/// `1.3.6.1.5.5.13.2`
pub const GSS_C_MA_MECH_PSEUDO: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x02];

/// RFC 5587 mechanism attribute `GSS_C_MA_MECH_COMPOSITE`.
///
/// `1.3.6.1.5.5.13.3`
pub const GSS_C_MA_MECH_COMPOSITE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x03];

/// RFC 5587 mechanism attribute `GSS_C_MA_MECH_NEGO`.
///
/// `1.3.6.1.5.5.13.4`
pub const GSS_C_MA_MECH_NEGO: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x04];

/// RFC 5587 mechanism attribute `GSS_C_MA_MECH_GLUE`.
///
/// `1.3.6.1.5.5.13.5`
pub const GSS_C_MA_MECH_GLUE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x05];

/// RFC 5587 mechanism attribute `GSS_C_MA_NOT_MECH`.
///
/// `1.3.6.1.5.5.13.6`
pub const GSS_C_MA_NOT_MECH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x06];

/// RFC 5587 mechanism attribute `GSS_C_MA_DEPRECATED`.
///
/// `1.3.6.1.5.5.13.7`
pub const GSS_C_MA_DEPRECATED: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x07];

/// RFC 5587 mechanism attribute `GSS_C_MA_NOT_DFLT_MECH`.
///
/// `1.3.6.1.5.5.13.8`
pub const GSS_C_MA_NOT_DFLT_MECH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x08];

/// RFC 5587 mechanism attribute `GSS_C_MA_ITOK_FRAMED`.
///
/// `1.3.6.1.5.5.13.9`
pub const GSS_C_MA_ITOK_FRAMED: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x09];

/// RFC 5587 mechanism attribute `GSS_C_MA_AUTH_INIT`.
///
/// `1.3.6.1.5.5.13.10`
pub const GSS_C_MA_AUTH_INIT: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x0a];

/// RFC 5587 mechanism attribute `GSS_C_MA_AUTH_TARG`.
///
/// `1.3.6.1.5.5.13.11`
pub const GSS_C_MA_AUTH_TARG: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x0b];

/// RFC 5587 mechanism attribute `GSS_C_MA_AUTH_INIT_INIT`.
///
/// `1.3.6.1.5.5.13.12`
pub const GSS_C_MA_AUTH_INIT_INIT: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x0c];

/// RFC 5587 mechanism attribute `GSS_C_MA_AUTH_TARG_INIT`.
///
/// `1.3.6.1.5.5.13.13`
pub const GSS_C_MA_AUTH_TARG_INIT: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x0d];

/// RFC 5587 mechanism attribute `GSS_C_MA_AUTH_INIT_ANON`.
///
/// `1.3.6.1.5.5.13.14`
pub const GSS_C_MA_AUTH_INIT_ANON: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x0e];

/// RFC 5587 mechanism attribute `GSS_C_MA_AUTH_TARG_ANON`.
///
/// `1.3.6.1.5.5.13.15`
pub const GSS_C_MA_AUTH_TARG_ANON: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x0f];

/// RFC 5587 mechanism attribute `GSS_C_MA_DELEG_CRED`.
///
/// `1.3.6.1.5.5.13.16`
pub const GSS_C_MA_DELEG_CRED: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x10];

/// RFC 5587 mechanism attribute `GSS_C_MA_INTEG_PROT`.
///
/// `1.3.6.1.5.5.13.17`
pub const GSS_C_MA_INTEG_PROT: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x11];

/// RFC 5587 mechanism attribute `GSS_C_MA_CONF_PROT`.
///
/// `1.3.6.1.5.5.13.18`
pub const GSS_C_MA_CONF_PROT: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x12];

/// RFC 5587 mechanism attribute `GSS_C_MA_MIC`.
///
/// `1.3.6.1.5.5.13.19`
pub const GSS_C_MA_MIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x13];

/// RFC 5587 mechanism attribute `GSS_C_MA_WRAP`.
///
/// `1.3.6.1.5.5.13.20`
pub const GSS_C_MA_WRAP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x14];

/// RFC 5587 mechanism attribute `GSS_C_MA_PROT_READY`.
///
/// `1.3.6.1.5.5.13.21`
pub const GSS_C_MA_PROT_READY: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x15];

/// RFC 5587 mechanism attribute `GSS_C_MA_REPLAY_DET`.
///
/// `1.3.6.1.5.5.13.22`
pub const GSS_C_MA_REPLAY_DET: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x16];

/// RFC 5587 mechanism attribute `GSS_C_MA_OOS_DET`.
///
/// `1.3.6.1.5.5.13.23`
pub const GSS_C_MA_OOS_DET: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x17];

/// RFC 5587 mechanism attribute `GSS_C_MA_CBINDINGS`.
///
/// `1.3.6.1.5.5.13.24`
pub const GSS_C_MA_CBINDINGS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x18];

/// RFC 5587 mechanism attribute `GSS_C_MA_PFS`.
///
/// `1.3.6.1.5.5.13.25`
pub const GSS_C_MA_PFS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x19];

/// RFC 5587 mechanism attribute `GSS_C_MA_COMPRESS`.
///
/// `1.3.6.1.5.5.13.26`
pub const GSS_C_MA_COMPRESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x1a];

/// RFC 5587 mechanism attribute `GSS_C_MA_CTX_TRANS`.
///
/// `1.3.6.1.5.5.13.27`
pub const GSS_C_MA_CTX_TRANS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x0d, 0x1b];

/// RFC 5587 mechanism attribute `GSS_C_MA_NEGOEX_AND_SPNEGO`.
///
/// `1.2.840.113554.1.2.2.5.18` (an MIT-specific arc)
pub const GSS_C_MA_NEGOEX_AND_SPNEGO: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x12,
];

/// Every OID of this module with its name and dotted form, for tests and lookups.
pub const ALL: &[(&str, &str, &[u8])] = &[
    (
        "GSS_C_NT_USER_NAME",
        "1.2.840.113554.1.2.1.1",
        GSS_C_NT_USER_NAME,
    ),
    (
        "GSS_C_NT_MACHINE_UID_NAME",
        "1.2.840.113554.1.2.1.2",
        GSS_C_NT_MACHINE_UID_NAME,
    ),
    (
        "GSS_C_NT_STRING_UID_NAME",
        "1.2.840.113554.1.2.1.3",
        GSS_C_NT_STRING_UID_NAME,
    ),
    (
        "GSS_C_NT_HOSTBASED_SERVICE",
        "1.2.840.113554.1.2.1.4",
        GSS_C_NT_HOSTBASED_SERVICE,
    ),
    (
        "GSS_C_NT_HOSTBASED_SERVICE_X",
        "1.3.6.1.5.6.2",
        GSS_C_NT_HOSTBASED_SERVICE_X,
    ),
    ("GSS_C_NT_ANONYMOUS", "1.3.6.1.5.6.3", GSS_C_NT_ANONYMOUS),
    (
        "GSS_C_NT_EXPORT_NAME",
        "1.3.6.1.5.6.4",
        GSS_C_NT_EXPORT_NAME,
    ),
    (
        "GSS_C_NT_COMPOSITE_EXPORT",
        "1.3.6.1.5.6.6",
        GSS_C_NT_COMPOSITE_EXPORT,
    ),
    (
        "GSS_KRB5_NT_PRINCIPAL_NAME",
        "1.2.840.113554.1.2.2.1",
        GSS_KRB5_NT_PRINCIPAL_NAME,
    ),
    (
        "GSS_KRB5_NT_ENTERPRISE_NAME",
        "1.2.840.113554.1.2.2.6",
        GSS_KRB5_NT_ENTERPRISE_NAME,
    ),
    (
        "GSS_KRB5_NT_X509_CERT",
        "1.2.840.113554.1.2.2.7",
        GSS_KRB5_NT_X509_CERT,
    ),
    ("GSS_MECH_KRB5", "1.2.840.113554.1.2.2", GSS_MECH_KRB5),
    ("GSS_MECH_KRB5_OLD", "1.3.5.1.5.2", GSS_MECH_KRB5_OLD),
    (
        "GSS_MECH_KRB5_WRONG",
        "1.2.840.48018.1.2.2",
        GSS_MECH_KRB5_WRONG,
    ),
    ("GSS_MECH_IAKERB", "1.3.6.1.5.2.5", GSS_MECH_IAKERB),
    ("GSS_MECH_SPNEGO", "1.3.6.1.5.5.2", GSS_MECH_SPNEGO),
    (
        "GSS_MECH_NTLMSSP",
        "1.3.6.1.4.1.311.2.2.10",
        GSS_MECH_NTLMSSP,
    ),
    (
        "GSS_C_INQ_SSPI_SESSION_KEY",
        "1.2.840.113554.1.2.2.5.5",
        GSS_C_INQ_SSPI_SESSION_KEY,
    ),
    (
        "GSS_C_INQ_NEGOEX_KEY",
        "1.2.840.113554.1.2.2.5.16",
        GSS_C_INQ_NEGOEX_KEY,
    ),
    (
        "GSS_C_INQ_NEGOEX_VERIFY_KEY",
        "1.2.840.113554.1.2.2.5.17",
        GSS_C_INQ_NEGOEX_VERIFY_KEY,
    ),
    (
        "GSS_KRB5_GET_CRED_IMPERSONATOR",
        "1.2.840.113554.1.2.2.5.14",
        GSS_KRB5_GET_CRED_IMPERSONATOR,
    ),
    (
        "GSS_KRB5_CRED_NO_CI_FLAGS_X",
        "1.2.752.43.13.29",
        GSS_KRB5_CRED_NO_CI_FLAGS_X,
    ),
    (
        "GSS_C_SEC_CONTEXT_SASL_SSF",
        "1.2.840.113554.1.2.2.5.15",
        GSS_C_SEC_CONTEXT_SASL_SSF,
    ),
    (
        "GSS_C_MA_MECH_CONCRETE",
        "1.3.6.1.5.5.13.1",
        GSS_C_MA_MECH_CONCRETE,
    ),
    (
        "GSS_C_MA_MECH_PSEUDO",
        "1.3.6.1.5.5.13.2",
        GSS_C_MA_MECH_PSEUDO,
    ),
    (
        "GSS_C_MA_MECH_COMPOSITE",
        "1.3.6.1.5.5.13.3",
        GSS_C_MA_MECH_COMPOSITE,
    ),
    ("GSS_C_MA_MECH_NEGO", "1.3.6.1.5.5.13.4", GSS_C_MA_MECH_NEGO),
    ("GSS_C_MA_MECH_GLUE", "1.3.6.1.5.5.13.5", GSS_C_MA_MECH_GLUE),
    ("GSS_C_MA_NOT_MECH", "1.3.6.1.5.5.13.6", GSS_C_MA_NOT_MECH),
    (
        "GSS_C_MA_DEPRECATED",
        "1.3.6.1.5.5.13.7",
        GSS_C_MA_DEPRECATED,
    ),
    (
        "GSS_C_MA_NOT_DFLT_MECH",
        "1.3.6.1.5.5.13.8",
        GSS_C_MA_NOT_DFLT_MECH,
    ),
    (
        "GSS_C_MA_ITOK_FRAMED",
        "1.3.6.1.5.5.13.9",
        GSS_C_MA_ITOK_FRAMED,
    ),
    (
        "GSS_C_MA_AUTH_INIT",
        "1.3.6.1.5.5.13.10",
        GSS_C_MA_AUTH_INIT,
    ),
    (
        "GSS_C_MA_AUTH_TARG",
        "1.3.6.1.5.5.13.11",
        GSS_C_MA_AUTH_TARG,
    ),
    (
        "GSS_C_MA_AUTH_INIT_INIT",
        "1.3.6.1.5.5.13.12",
        GSS_C_MA_AUTH_INIT_INIT,
    ),
    (
        "GSS_C_MA_AUTH_TARG_INIT",
        "1.3.6.1.5.5.13.13",
        GSS_C_MA_AUTH_TARG_INIT,
    ),
    (
        "GSS_C_MA_AUTH_INIT_ANON",
        "1.3.6.1.5.5.13.14",
        GSS_C_MA_AUTH_INIT_ANON,
    ),
    (
        "GSS_C_MA_AUTH_TARG_ANON",
        "1.3.6.1.5.5.13.15",
        GSS_C_MA_AUTH_TARG_ANON,
    ),
    (
        "GSS_C_MA_DELEG_CRED",
        "1.3.6.1.5.5.13.16",
        GSS_C_MA_DELEG_CRED,
    ),
    (
        "GSS_C_MA_INTEG_PROT",
        "1.3.6.1.5.5.13.17",
        GSS_C_MA_INTEG_PROT,
    ),
    (
        "GSS_C_MA_CONF_PROT",
        "1.3.6.1.5.5.13.18",
        GSS_C_MA_CONF_PROT,
    ),
    ("GSS_C_MA_MIC", "1.3.6.1.5.5.13.19", GSS_C_MA_MIC),
    ("GSS_C_MA_WRAP", "1.3.6.1.5.5.13.20", GSS_C_MA_WRAP),
    (
        "GSS_C_MA_PROT_READY",
        "1.3.6.1.5.5.13.21",
        GSS_C_MA_PROT_READY,
    ),
    (
        "GSS_C_MA_REPLAY_DET",
        "1.3.6.1.5.5.13.22",
        GSS_C_MA_REPLAY_DET,
    ),
    ("GSS_C_MA_OOS_DET", "1.3.6.1.5.5.13.23", GSS_C_MA_OOS_DET),
    (
        "GSS_C_MA_CBINDINGS",
        "1.3.6.1.5.5.13.24",
        GSS_C_MA_CBINDINGS,
    ),
    ("GSS_C_MA_PFS", "1.3.6.1.5.5.13.25", GSS_C_MA_PFS),
    ("GSS_C_MA_COMPRESS", "1.3.6.1.5.5.13.26", GSS_C_MA_COMPRESS),
    (
        "GSS_C_MA_CTX_TRANS",
        "1.3.6.1.5.5.13.27",
        GSS_C_MA_CTX_TRANS,
    ),
    (
        "GSS_C_MA_NEGOEX_AND_SPNEGO",
        "1.2.840.113554.1.2.2.5.18",
        GSS_C_MA_NEGOEX_AND_SPNEGO,
    ),
];
