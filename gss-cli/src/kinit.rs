//! `gss kinit`: initial Kerberos credentials from a password (read without echo, wiped after
//! use) or a client keytab, into any ccache.

use crate::curl::gss_hint;
use crate::exit::{Code, EXIT_CODES, Failure, Outcome, emit};
use gssapi::{CredStore, CredUsage, Credentials, Mechanism, Name};
use std::io::BufRead;
use zeroize::Zeroizing;

const EXAMPLES: &str = "\
Examples:
  gss kinit user@EXAMPLE.COM                       # asks for the password (no echo)
  gss kinit --ccache FILE:/tmp/krb5cc_job user@EXAMPLE.COM
  gss kinit --keytab /etc/job.keytab --ccache FILE:/tmp/krb5cc_job job@EXAMPLE.COM
  printf '%s\\n' \"$PW\" | gss kinit --password-stdin user@EXAMPLE.COM";

/// Gets a Kerberos ticket-granting ticket for a principal and stores it in a ccache.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct KinitArgs {
    /// The principal, user@REALM (or a name the default realm completes).
    principal: String,
    /// Stores the ticket in this ccache (`FILE:...`, `DIR:...`, `KCM:...`; default: the
    /// default ccache).
    #[arg(long, value_name = "NAME")]
    ccache: Option<String>,
    /// Uses the keys of this client keytab instead of a password.
    #[arg(long, value_name = "PATH", conflicts_with = "password_stdin")]
    keytab: Option<String>,
    /// Reads the password from the first line of stdin (for scripts) instead of the terminal.
    #[arg(long)]
    password_stdin: bool,
}

/// The password: from stdin's first line, or from the terminal without echo.
fn read_password(args: &KinitArgs) -> Result<Zeroizing<String>, Failure> {
    let password = if args.password_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::new(Code::Failure, format!("reading the password: {e}")))?;
        let trimmed = line.trim_end_matches(['\r', '\n']).len();
        line.truncate(trimmed);
        line
    } else {
        Zeroizing::new(
            rpassword::prompt_password(format!("Password for {}: ", args.principal)).map_err(
                |e| {
                    Failure::new(
                        Code::Failure,
                        format!(
                            "reading the password from the terminal: {e} (no terminal? use --password-stdin or --keytab)"
                        ),
                    )
                },
            )?,
        )
    };
    Ok(password)
}

/// What to do next for a failed initial authentication.
fn kinit_hint(e: &gssapi::Error) -> &'static str {
    match e.krb5_error() {
        Some(gssapi::Krb5Error::PreauthFailed | gssapi::Krb5Error::BadIntegrity) => {
            " (wrong password, or the keytab's keys are not the principal's current ones)"
        }
        Some(gssapi::Krb5Error::ClientPrincipalUnknown) => {
            " (the KDC does not know this principal: check its spelling and realm)"
        }
        Some(gssapi::Krb5Error::PasswordExpired) => " (the password has expired: change it)",
        _ => gss_hint(e),
    }
}

/// Runs `gss kinit`.
pub fn run(args: KinitArgs) -> Outcome {
    let name = Name::kerberos_principal(&args.principal)
        .map_err(|e| Failure::new(Code::Usage, format!("{}: {e}", args.principal)))?;
    let failed = |e: gssapi::Error| {
        Failure::new(
            Code::AuthFailed,
            format!(
                "kinit {} failed: {e}{}; no ccache was written",
                args.principal,
                kinit_hint(&e)
            ),
        )
    };
    // With a keytab the ticket goes into a throwaway memory ccache first, then is stored
    // like a password's tickets, so the target ccache is written only on success.
    let scratch = gssapi::TemporaryCcache::new();
    // The password is read before any wait notice can appear on the terminal.
    let password = match &args.keytab {
        Some(_) => None,
        None => Some(read_password(&args)?),
    };
    let creds = crate::term::waiting("the KDC", || match (&args.keytab, &password) {
        (Some(keytab), _) => Credentials::builder()
            .name(&name)
            .usage(CredUsage::Initiate)
            .mech(&Mechanism::KERBEROS)
            .store(
                CredStore::new()
                    .insert("client_keytab", keytab)
                    .insert("ccache", scratch.name()),
            )
            .acquire()
            .and_then(|c| {
                // Acquisition from a keytab is lazy on MIT: asking for the lifetime
                // makes it get the ticket now.
                c.inquire()?;
                scratch.credentials()
            }),
        (None, password) => Credentials::builder()
            .name(&name)
            .usage(CredUsage::Initiate)
            .mech(&Mechanism::KERBEROS)
            .password(password.as_ref().map_or(&b""[..], |p| p.as_bytes()))
            .acquire(),
    })
    .map_err(failed)?;
    let mut store = creds
        .store()
        .mech(&Mechanism::KERBEROS)
        .overwrite(true)
        .make_default(args.ccache.is_none());
    if let Some(ccache) = &args.ccache {
        store = store.into_store(CredStore::new().insert("ccache", ccache));
    }
    store.run().map_err(|e| {
        Failure::new(
            Code::Failure,
            format!(
                "storing the ticket in {}: {e}",
                args.ccache.as_deref().unwrap_or("the default ccache")
            ),
        )
    })?;
    let lifetime = creds.lifetime().ok().flatten();
    emit(&format!(
        "{} : ticket stored in {}{}\n",
        args.principal,
        args.ccache.as_deref().unwrap_or("the default ccache"),
        lifetime
            .map(|s| format!(" (valid {s} s)"))
            .unwrap_or_default()
    ))
}
