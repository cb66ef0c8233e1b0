//! `gss mechs`, `gss klist` and `gss whoami`: what the library offers and what credentials
//! there are.

use crate::curl::gss_hint;
use crate::exit::{Code, EXIT_CODES, Failure, Outcome, emit};
use gssapi::raw::ext::{rfc5587, rfc5801};
use gssapi::{CredUsage, Credentials, Mechanism};
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

const MECHS_EXAMPLES: &str = "\
Examples:
  gss mechs
  gss mechs --json | jq '.[].name'";

const KLIST_EXAMPLES: &str = "\
Examples:
  gss klist
  gss klist --ccache FILE:/tmp/krb5cc_1000 --json";

const WHOAMI_EXAMPLES: &str = "\
Examples:
  gss whoami                      # user@EXAMPLE.COM
  gss whoami --ccache KCM: --json";

/// Lists the mechanisms the GSSAPI library offers, with their names and attributes.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{MECHS_EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct MechsArgs {
    /// Prints a JSON array.
    #[arg(long)]
    json: bool,
}

/// Shows the initiator credentials: principal, lifetime, usage, mechanisms.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{KLIST_EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct KlistArgs {
    /// Reads this ccache (`FILE:...`, `KCM:...`) instead of the default one.
    #[arg(long, value_name = "NAME", conflicts_with = "cred_store")]
    ccache: Option<String>,
    /// Acquires from this credential-store element instead (MIT's gss_acquire_cred_from;
    /// repeatable): `ccache=...`, `client_keytab=...`.
    #[arg(long, value_name = "KEY=VALUE", value_parser = crate::serve::cred_store_element)]
    cred_store: Vec<(String, String)>,
    /// Prints one JSON object.
    #[arg(long)]
    json: bool,
}

/// Prints the principal of the initiator credentials.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{WHOAMI_EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct WhoamiArgs {
    /// Reads this ccache (`FILE:...`, `KCM:...`) instead of the default one.
    #[arg(long, value_name = "NAME", conflicts_with = "cred_store")]
    ccache: Option<String>,
    /// Acquires from this credential-store element instead (MIT's gss_acquire_cred_from;
    /// repeatable): `ccache=...`, `client_keytab=...`.
    #[arg(long, value_name = "KEY=VALUE", value_parser = crate::serve::cred_store_element)]
    cred_store: Vec<(String, String)>,
    /// Prints one JSON object.
    #[arg(long)]
    json: bool,
}

fn text(buffer: &[u8]) -> String {
    String::from_utf8_lossy(buffer).into_owned()
}

/// One mechanism as JSON (also the source of the text form).
fn describe(mech: &Mechanism) -> serde_json::Value {
    let names = rfc5801::inquire_saslname_for_mech(mech.oid()).ok();
    let attrs: Vec<serde_json::Value> = mech
        .attrs()
        .unwrap_or_default()
        .iter()
        .map(|attr| match rfc5587::display_mech_attr(attr) {
            Ok(d) => serde_json::json!({
                "oid": attr.to_string(),
                "name": text(&d.name),
                "description": text(&d.short_desc),
            }),
            Err(_) => serde_json::json!({ "oid": attr.to_string() }),
        })
        .collect();
    let name_types: Vec<serde_json::Value> = mech
        .name_types()
        .unwrap_or_default()
        .iter()
        .map(|nt| {
            serde_json::json!({
                "oid": nt.to_string(),
                "name": nt.well_known_name(),
            })
        })
        .collect();
    serde_json::json!({
        "oid": mech.oid().to_string(),
        "name": mech.short_name(),
        "library_name": names.as_ref().map(|n| text(&n.mech_name)),
        "sasl_name": names.as_ref().map(|n| text(&n.sasl_mech_name)),
        "description": names.as_ref().map(|n| text(&n.mech_description)),
        "attributes": attrs,
        "name_types": name_types,
    })
}

/// Runs `gss mechs`.
pub fn mechs(args: MechsArgs) -> Outcome {
    let all = Mechanism::all()
        .map_err(|e| Failure::new(Code::Failure, format!("listing the mechanisms: {e}")))?;
    let described: Vec<serde_json::Value> = all.iter().map(describe).collect();
    if args.json {
        return emit(&format!("{}\n", serde_json::Value::from(described)));
    }
    let mut out = String::new();
    for m in &described {
        let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_owned();
        let _ = writeln!(
            out,
            "{} {} (library: {}, SASL: {})",
            s(&m["oid"]),
            s(&m["name"]),
            s(&m["library_name"]),
            s(&m["sasl_name"])
        );
        if let Some(d) = m["description"].as_str().filter(|d| !d.is_empty()) {
            let _ = writeln!(out, "  {d}");
        }
        let attrs = names_or_oids(&m["attributes"], s);
        if !attrs.is_empty() {
            let _ = writeln!(out, "  attributes: {}", attrs.join(", "));
        }
        let types = names_or_oids(&m["name_types"], s);
        if !types.is_empty() {
            let _ = writeln!(out, "  name types: {}", types.join(", "));
        }
    }
    emit(&out)
}

/// The `name` of each `{name, oid}` entry of a JSON array, or its `oid` when it has no name.
fn names_or_oids(
    list: &serde_json::Value,
    text: impl Fn(&serde_json::Value) -> String,
) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            text(if e["name"].is_null() {
                &e["oid"]
            } else {
                &e["name"]
            })
        })
        .collect()
}

/// The initiator credentials of `ccache`, of the credential store `store`, or the default
/// ones.
fn initiator(
    command: &str,
    ccache: Option<&str>,
    store: &[(String, String)],
) -> Result<Credentials, Failure> {
    let creds = match (ccache, crate::serve::cred_store(command, store)) {
        (Some(name), _) => Credentials::initiator_from_ccache(name),
        (None, Some(store)) => Credentials::builder()
            .usage(CredUsage::Initiate)
            .store(store)
            .acquire(),
        (None, None) => Credentials::acquire(CredUsage::Initiate),
    };
    let creds = creds.map_err(|e| {
        Failure::new(
            Code::AuthFailed,
            format!(
                "no credentials{}: {e}{}",
                ccache.map(|c| format!(" in {c}")).unwrap_or_default(),
                gss_hint(&e)
            ),
        )
    })?;
    // Import succeeds for a ccache that is empty or gone; asking for the name tells.
    creds.inquire().map_err(|e| {
        Failure::new(
            Code::AuthFailed,
            format!("no usable credentials: {e}{}", gss_hint(&e)),
        )
    })?;
    Ok(creds)
}

fn usage_name(usage: CredUsage) -> &'static str {
    match usage {
        CredUsage::Initiate => "initiate",
        CredUsage::Accept => "accept",
        CredUsage::Both => "both",
    }
}

/// Runs `gss klist`.
pub fn klist(args: KlistArgs) -> Outcome {
    let creds = initiator("klist", args.ccache.as_deref(), &args.cred_store)?;
    let info = creds
        .inquire()
        .map_err(|e| Failure::new(Code::AuthFailed, format!("the credentials: {e}")))?;
    let principal = info.name.as_ref().map(ToString::to_string);
    let expires = info
        .lifetime
        .map(|s| crate::serve::rfc3339(SystemTime::now() + Duration::from_secs(u64::from(s))));
    let mechs: Vec<String> = info
        .mechs
        .iter()
        .map(|m| m.short_name().map_or_else(|| m.to_string(), str::to_owned))
        .collect();
    if args.json {
        let value = serde_json::json!({
            "ccache": args.ccache,
            "principal": principal,
            "lifetime": info.lifetime,
            "expires": expires,
            "usage": usage_name(info.usage),
            "mechs": mechs,
        });
        return emit(&format!("{value}\n"));
    }
    let mut out = String::new();
    if let Some(c) = &args.ccache {
        let _ = writeln!(out, "ccache:    {c}");
    }
    let _ = writeln!(
        out,
        "principal: {}",
        principal.as_deref().unwrap_or("(none)")
    );
    match (info.lifetime, &expires) {
        (Some(0), _) => out.push_str("lifetime:  expired (run kinit)\n"),
        (Some(s), Some(at)) => {
            let _ = writeln!(out, "lifetime:  {s} s (until {at})");
        }
        _ => out.push_str("lifetime:  indefinite\n"),
    }
    let _ = writeln!(out, "usage:     {}", usage_name(info.usage));
    let _ = writeln!(out, "mechs:     {}", mechs.join(", "));
    emit(&out)
}

/// Runs `gss whoami`.
pub fn whoami(args: WhoamiArgs) -> Outcome {
    let creds = initiator("whoami", args.ccache.as_deref(), &args.cred_store)?;
    let name = creds
        .name()
        .map_err(|e| Failure::new(Code::AuthFailed, format!("the principal: {e}")))?;
    let mut out = String::new();
    if args.json {
        out.push_str(&format!(
            "{}\n",
            serde_json::json!({ "principal": name.to_string() })
        ));
    } else {
        let _ = writeln!(out, "{name}");
    }
    emit(&out)
}
