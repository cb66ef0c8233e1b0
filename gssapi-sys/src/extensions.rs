// This file is shared by the build script (which probes the symbols) and the library (which
// publishes the table), so the two can never disagree. Keep it free of `use` statements.

/// One GSSAPI extension: a name used in `cfg(gss_has = "...")` and the library symbols that must
/// all be present for it to count as available.
///
/// The names follow python-gssapi's extension modules (`rfc5588`, `cred_store`, ...) so porting
/// users find them under the name they know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension {
    /// Short name, as used in `cfg(gss_has = "name")` and in the `extensions` links metadata.
    pub name: &'static str,
    /// What the extension is, in a few words.
    pub summary: &'static str,
    /// The C symbols the extension needs.
    pub symbols: &'static [&'static str],
    /// Which libraries provide it, as their link probes find (MIT krb5 1.20 and Heimdal 7.8,
    /// Debian 12's, are the ones checked).
    pub libraries: &'static str,
}

/// [`Extension::libraries`] of an extension both libraries have.
const BOTH: &str = "MIT krb5 and Heimdal";
/// [`Extension::libraries`] of an extension only MIT has.
const MIT_ONLY: &str = "MIT krb5 (not Heimdal 7.8)";

/// Every extension the build script probes for, in a stable order.
///
/// | extension | provided by |
/// |---|---|
/// | `rfc4178`, `cred_store`, `iov_mic`, `s4u` | MIT krb5 (not Heimdal 7.8) |
/// | every other | MIT krb5 and Heimdal |
///
/// Whether the library in use has one: [`has_extension`](crate::has_extension).
pub const EXTENSIONS: &[Extension] = &[
    Extension {
        name: "rfc4178",
        summary: "SPNEGO negotiation control (gss_set_neg_mechs)",
        symbols: &["gss_set_neg_mechs"],
        libraries: MIT_ONLY,
    },
    Extension {
        name: "rfc4401",
        summary: "pseudo-random function (gss_pseudo_random)",
        symbols: &["gss_pseudo_random"],
        libraries: BOTH,
    },
    Extension {
        name: "rfc5587",
        summary: "mechanism inquiry by attributes",
        symbols: &[
            "gss_indicate_mechs_by_attrs",
            "gss_inquire_attrs_for_mech",
            "gss_display_mech_attr",
        ],
        libraries: BOTH,
    },
    Extension {
        name: "rfc5588",
        summary: "storing delegated credentials (gss_store_cred)",
        symbols: &["gss_store_cred"],
        libraries: BOTH,
    },
    Extension {
        name: "rfc5801",
        summary: "SASL mechanism names (GS2)",
        symbols: &[
            "gss_inquire_saslname_for_mech",
            "gss_inquire_mech_for_saslname",
        ],
        libraries: BOTH,
    },
    Extension {
        name: "rfc6680",
        summary: "naming extensions (name attributes, composite export)",
        symbols: &[
            "gss_display_name_ext",
            "gss_inquire_name",
            "gss_get_name_attribute",
            "gss_set_name_attribute",
            "gss_delete_name_attribute",
            "gss_export_name_composite",
        ],
        libraries: BOTH,
    },
    Extension {
        name: "cred_store",
        summary: "credential store (acquire/add/store with explicit key-value stores)",
        symbols: &[
            "gss_acquire_cred_from",
            "gss_add_cred_from",
            "gss_store_cred_into",
        ],
        libraries: MIT_ONLY,
    },
    Extension {
        name: "cred_imp_exp",
        summary: "credential import and export",
        symbols: &["gss_export_cred", "gss_import_cred"],
        libraries: BOTH,
    },
    Extension {
        name: "dce",
        summary: "DCE-style IOV wrap and unwrap",
        symbols: &[
            "gss_wrap_iov",
            "gss_unwrap_iov",
            "gss_wrap_iov_length",
            "gss_release_iov_buffer",
        ],
        libraries: BOTH,
    },
    Extension {
        name: "dce_aead",
        summary: "AEAD wrap and unwrap",
        symbols: &["gss_wrap_aead", "gss_unwrap_aead"],
        libraries: BOTH,
    },
    Extension {
        name: "iov_mic",
        summary: "MIC over IOV buffers",
        symbols: &[
            "gss_get_mic_iov",
            "gss_get_mic_iov_length",
            "gss_verify_mic_iov",
        ],
        libraries: MIT_ONLY,
    },
    Extension {
        name: "s4u",
        summary: "constrained delegation (S4U2Self impersonation)",
        symbols: &[
            "gss_acquire_cred_impersonate_name",
            "gss_add_cred_impersonate_name",
        ],
        libraries: MIT_ONLY,
    },
    Extension {
        name: "password",
        summary: "acquiring credentials with a password",
        symbols: &["gss_acquire_cred_with_password"],
        libraries: BOTH,
    },
    Extension {
        name: "password_add",
        summary: "adding credentials with a password",
        symbols: &["gss_add_cred_with_password"],
        libraries: BOTH,
    },
    Extension {
        name: "ggf",
        summary: "GGF extensions (inquire by OID, set context option)",
        symbols: &[
            "gss_inquire_sec_context_by_oid",
            "gss_inquire_cred_by_oid",
            "gss_set_sec_context_option",
            "gss_release_buffer_set",
        ],
        libraries: BOTH,
    },
    Extension {
        name: "set_cred_opt",
        summary: "credential options (gss_set_cred_option)",
        symbols: &["gss_set_cred_option"],
        libraries: BOTH,
    },
    Extension {
        name: "krb5",
        summary: "Kerberos-specific extensions (ccache name, lucid context, authtime, ...)",
        symbols: &[
            "gss_krb5_ccache_name",
            "gss_krb5_export_lucid_sec_context",
            "gss_krb5_free_lucid_sec_context",
            "gsskrb5_extract_authtime_from_sec_context",
            "gsskrb5_extract_authz_data_from_sec_context",
            "gss_krb5_import_cred",
            "gss_krb5_get_tkt_flags",
            "gss_krb5_set_allowable_enctypes",
        ],
        libraries: BOTH,
    },
    Extension {
        name: "localname",
        summary: "mapping names to local accounts (gss_localname, gss_userok)",
        symbols: &["gss_localname", "gss_userok"],
        libraries: BOTH,
    },
    Extension {
        name: "authorize_localname",
        summary: "authorizing a name as a local user (gss_authorize_localname)",
        symbols: &["gss_authorize_localname"],
        libraries: BOTH,
    },
];
