//! `gss inspect [TOKEN|-]`: the command around [`gss_cli::inspect`].

use crate::exit::{Code, EXIT_CODES, Failure, Outcome, emit};
use gss_cli::inspect;
use std::io::Read;

const EXAMPLES: &str = "\
Examples:
  gss inspect 'WWW-Authenticate: Negotiate oYG2MIGzoAMKAQChCwYJKoZIhvcSAQICooGe...'
  gss curl -v ... 2>&1 | grep -o 'Negotiate [^ ]*' | head -1 | gss inspect -
  gss inspect --json 6082...                                  # hex works too
  gss inspect - < token.bin                                   # and raw bytes";

/// Decodes a GSSAPI token: SPNEGO, Kerberos AP-REQ/AP-REP/KRB-ERROR, RFC 4121 wrap/MIC
/// headers, NTLM messages; given raw, as base64 or hex, or as a whole Negotiate header.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\nA token that does not decode is exit code 2.\n\n{EXIT_CODES}"))]
pub struct InspectArgs {
    /// The token, or `-` (the default) to read it from stdin.
    token: Option<String>,
    /// Prints one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `gss inspect`.
pub fn run(args: InspectArgs) -> Outcome {
    let input = match args.token.as_deref() {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Failure::new(Code::Failure, format!("reading stdin: {e}")))?;
            buf
        }
        Some(t) => t.as_bytes().to_vec(),
    };
    let token = inspect::token_bytes(&input);
    let value = inspect::decode(&token).map_err(|e| {
        Failure::new(
            Code::Usage,
            format!("the token ({} bytes) does not decode: {e}", token.len()),
        )
    })?;
    if args.json {
        return emit(&format!("{value}\n"));
    }
    let mut out = String::new();
    inspect::render(&value, 0, &mut out);
    emit(&out)
}
