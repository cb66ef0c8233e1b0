//! `gss status`: what a GSSAPI major (and minor) status code means: the library's text, the
//! routine and calling errors and supplementary bits, the python-gssapi exception class, and
//! for a Kerberos minor code its name.

use crate::exit::{EXIT_CODES, Outcome, emit};
use gssapi::raw;
use gssapi::{Error, Mechanism};
use std::fmt::Write as _;

const EXAMPLES: &str = "\
Examples:
  gss status 0x70000                    # GSS_S_NO_CRED: MissingCredentialsError
  gss status 0x70000 2529639093         # ... and the Kerberos minor code (KRB5_KT_NOTFOUND)
  gss status 851968 -1765328203         # decimal major, signed minor (as klist prints them)
  gss status --json 0xd0000 0x96c73a86";

/// Explains a GSSAPI major status code and, optionally, a minor (mechanism) status code.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct StatusArgs {
    /// The major status: decimal or 0x hex.
    #[arg(value_parser = parse_code, allow_negative_numbers = true)]
    major: u32,
    /// The minor status: decimal (negative Kerberos codes too) or 0x hex; read as a
    /// Kerberos code.
    #[arg(value_parser = parse_code, allow_negative_numbers = true)]
    minor: Option<u32>,
    /// Prints one JSON object.
    #[arg(long)]
    json: bool,
}

/// Parses `0x70000`, `458752` or `-1765328203` (a signed 32-bit code, as Kerberos prints
/// them) into the 32-bit status.
fn parse_code(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let parsed = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(negative) = t.strip_prefix('-') {
        negative
            .parse::<u32>()
            .ok()
            .and_then(|n| 0i64.checked_sub(i64::from(n)))
            .and_then(|n| i32::try_from(n).ok())
            .map(|n| n as u32)
    } else {
        t.parse::<u32>().ok()
    };
    parsed.ok_or_else(|| format!("{text:?} is not a 32-bit status code (decimal or 0x hex)"))
}

/// Runs `gss status`.
pub fn run(args: StatusArgs) -> Outcome {
    let minor = args.minor.unwrap_or(0);
    let raw_error = raw::Error::from_status("gss status", args.major, 0);
    let kind = raw_error.kind();
    let major_text = raw_error.major_messages().join("; ");
    // The minor code's text from the Kerberos mechanism (the one that has minor codes a
    // person pastes; without a mechanism MIT's glue may not know whose code it is).
    // MIT's glue knows the text of a minor code it mapped itself during a failed call; a
    // code pasted from a log is often unknown to it then: the Kerberos name still tells.
    let minor_text = (minor != 0).then(|| {
        raw::display_status(minor, false, Some(Mechanism::KERBEROS.oid()))
            .or_else(|_| raw::display_status(minor, false, None))
            .map(|m| m.join("; "))
            .unwrap_or_else(|_| {
                "(the library has no text for this code outside the call that returned it)".into()
            })
    });
    let krb5 = gssapi::Krb5Error::from_minor(minor).and_then(|k| k.name());
    let error = Error::from(raw::Error::from_status("gss status", args.major, minor));
    let routine = raw_error.routine().map(|r| format!("{r:?}"));
    let calling = raw_error.calling().map(|c| format!("{c:?}"));
    let supplementary = format!("{:?}", raw_error.supplementary());

    if args.json {
        let value = serde_json::json!({
            "major": args.major,
            "major_hex": format!("0x{:08x}", args.major),
            "major_text": major_text,
            "routine": routine,
            "calling": calling,
            "supplementary": supplementary,
            "python_exception": kind.python_name(),
            "minor": args.minor,
            "minor_signed": args.minor.map(|m| m as i32),
            "minor_text": minor_text,
            "krb5_error": krb5,
            "message": error.to_string(),
        });
        return emit(&format!("{value}\n"));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "major 0x{:08x} ({}): {major_text}",
        args.major, args.major
    );
    if let Some(r) = &routine {
        let _ = writeln!(out, "  routine error: {r}");
    }
    if let Some(c) = &calling {
        let _ = writeln!(out, "  calling error: {c}");
    }
    if !raw_error.supplementary().is_empty() {
        let _ = writeln!(out, "  supplementary: {supplementary}");
    }
    let _ = writeln!(out, "  python-gssapi: {}", kind.python_name());
    if let (Some(m), Some(text)) = (args.minor, &minor_text) {
        let _ = writeln!(out, "minor {m} ({}, 0x{m:08x}): {text}", m as i32);
        if let Some(name) = krb5 {
            let _ = writeln!(out, "  Kerberos: {name}");
        }
    }
    let _ = writeln!(out, "as an error: {error}");
    emit(&out)
}
