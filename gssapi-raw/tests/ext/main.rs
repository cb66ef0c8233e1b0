//! gssapi-raw's extensions against the real realm. Functions the library lacks (Heimdal: the
//! credential store, S4U, RFC 4178, IOV MIC) must return the typed Unavailable error, so the
//! same tests run on both libraries.

#[path = "../common/mod.rs"]
mod common;

mod creds;
mod info;
mod krb5;
mod threads;

pub(crate) use common::*;

/// A second user, with its own ccache, made in `main`.
pub(crate) const BOB: &str = "bob";
pub(crate) const BOB_PASSWORD: &str = "bob-password";
/// A service allowed to do S4U2Self with forwardable tickets, and one that is not.
pub(crate) const S4U_SERVICE: &str = "s4u/localhost";
pub(crate) const PLAIN_SERVICE: &str = "plain/localhost";

/// The user of the 64-thread test alone: Heimdal finds that test's credential by searching the
/// process's MEMORY ccaches for the principal (`krb5_cc_cache_match`), and a concurrent test's
/// short-lived MEMORY ccache of the same user (Bob's password tests) could be found instead and
/// destroyed under it.
pub(crate) const CAROL: &str = "carol";
pub(crate) const CAROL_PASSWORD: &str = "carol-password";

pub(crate) fn bob_ccache() -> String {
    format!("FILE:{}/bob.ccache", realm().dir().display())
}

/// Asserts the result is the typed Unavailable error of a missing extension.
pub(crate) fn expect_unavailable<T: std::fmt::Debug>(
    r: Result<T, gssapi_raw::Error>,
) -> TestResult {
    let err = r.err().ok_or("a missing extension returned a value")?;
    check!(err.is_unavailable_in_library(), "{err:?}");
    check!(err.is(gssapi_raw::ErrorKind::OperationUnavailable));
    Ok(())
}

fn main() {
    let tests = trials![
        info::supported_extensions_match_the_build,
        info::rfc5587_mech_attributes,
        info::rfc5801_sasl_names,
        info::rfc6680_naming_extensions,
        info::localname_and_userok,
        creds::cred_store_two_users_in_two_threads,
        creds::cred_store_bad_inputs,
        creds::store_delegated_creds_into_memory_ccache,
        creds::store_cred_default_store_child,
        creds::store_cred_default_store,
        creds::export_import_cred,
        creds::password_acquisition,
        creds::c_string_inputs_with_nul_are_refused,
        creds::s4u2self,
        creds::set_neg_mechs_restricts_spnego,
        krb5::session_key_and_ggf,
        krb5::lucid_context,
        krb5::ticket_details,
        krb5::allowable_enctypes,
        krb5::ccache_name_child,
        krb5::ccache_name,
        krb5::pseudo_random_function,
        krb5::import_krb5_ccache_handle,
        krb5::import_krb5_cred_by_name,
        krb5::register_acceptor_identity,
        krb5::copy_ccache_by_name,
        krb5::keep_config,
        krb5::keep_config_child,
        threads::one_name_and_one_cred_in_64_threads,
        threads::spnego_accepted_names,
    ];
    common::run(tests, |realm| {
        realm.add_principal(BOB, Some(BOB_PASSWORD)).unwrap();
        realm.add_principal(CAROL, Some(CAROL_PASSWORD)).unwrap();
        let cc = format!("FILE:{}/bob.ccache", realm.dir().display());
        realm.kinit(BOB, BOB_PASSWORD, &cc, &["-f"]).unwrap();
        let keytab = std::path::PathBuf::from(realm.keytab().trim_start_matches("FILE:"));
        realm.add_principal(S4U_SERVICE, None).unwrap();
        realm
            .modify_principal(S4U_SERVICE, &["+ok_to_auth_as_delegate"])
            .unwrap();
        realm.extract_keytab(S4U_SERVICE, &keytab).unwrap();
        realm.add_principal(PLAIN_SERVICE, None).unwrap();
        realm.extract_keytab(PLAIN_SERVICE, &keytab).unwrap();
    });
}
