//! The `gss` binary as a child process against a throwaway realm: `gss curl` against
//! `gss serve` (files and reverse proxy), `curl --negotiate` against `gss serve`, `gss status`
//! against python-gssapi, `gss mechs`, `gss klist`/`whoami`, the exit codes. The realm's environment reaches each child through `Command::envs`; this process
//! keeps its own environment.

mod support;

use libtest_mimic::{Arguments, Trial};

mod curl;
mod help;
mod info;
mod inspect;
mod interop;
mod kinit;
mod serve;
mod tls;

fn main() {
    let args = Arguments::from_args();
    if !args.list {
        support::start_realm();
    }
    let tests = vec![
        Trial::test("curl::files_from_serve", curl::files_from_serve),
        Trial::test("curl::verbose_rounds", curl::verbose_rounds),
        Trial::test("curl::http_error_status", curl::http_error_status),
        Trial::test("curl::no_credentials", curl::no_credentials),
        Trial::test("curl::ccache_option", curl::ccache_option),
        Trial::test("curl::keytab_option", curl::keytab_option),
        Trial::test("curl::network_error", curl::network_error),
        Trial::test("curl::mutual_auth_failed", curl::mutual_auth_failed),
        Trial::test("curl::bad_usage", curl::bad_usage),
        Trial::test(
            "curl::server_without_credentials",
            curl::server_without_credentials,
        ),
        Trial::test("serve::curl_negotiate", serve::curl_negotiate),
        Trial::test("serve::sessions", serve::sessions),
        Trial::test("serve::access_log", serve::access_log),
        Trial::test("serve::cred_store", serve::cred_store),
        Trial::test("serve::allow_list", serve::allow_list),
        Trial::test(
            "serve::proxy_principal_header",
            serve::proxy_principal_header,
        ),
        Trial::test("serve::proxy_local_name", serve::proxy_local_name),
        Trial::test(
            "serve::proxy_without_delegation",
            serve::proxy_without_delegation,
        ),
        Trial::test("serve::proxy_delegation", serve::proxy_delegation),
        Trial::test("serve::proxy_curl_delegation", serve::proxy_curl_delegation),
        Trial::test("serve::bad_usage", serve::bad_usage),
        Trial::test("info::status_python_names", info::status_python_names),
        Trial::test("info::status_minor", info::status_minor),
        Trial::test("info::mechs", info::mechs),
        Trial::test("info::klist_and_whoami", info::klist_and_whoami),
        Trial::test("kinit::password_stdin", kinit::password_stdin),
        Trial::test("kinit::kdc_not_answering", kinit::kdc_not_answering),
        Trial::test(
            "kinit::kdc_silent_on_a_terminal",
            kinit::kdc_silent_on_a_terminal,
        ),
        Trial::test("kinit::keytab", kinit::keytab),
        Trial::test("kinit::wrong_password", kinit::wrong_password),
        Trial::test(
            "help::every_subcommand_has_examples",
            help::every_subcommand_has_examples,
        ),
        Trial::test("help::completions_and_man", help::completions_and_man),
        Trial::test("help::demo", help::demo),
        Trial::test("tls::https", tls::https),
        Trial::test("tls::https_proxy", tls::https_proxy),
        Trial::test("inspect::captured_tokens", inspect::captured_tokens),
        Trial::test("inspect::exported_name", inspect::exported_name),
        Trial::test(
            "inspect::krb_error_and_bad_input",
            inspect::krb_error_and_bad_input,
        ),
        Trial::test(
            "interop::python_gssapi_server",
            interop::python_gssapi_server,
        ),
    ];
    libtest_mimic::run(&args, tests).exit()
}
