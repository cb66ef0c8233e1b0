//! The exit codes: one meaning each, so a script can tell what went wrong.

use std::process::ExitCode;

/// The help text listing the codes (shown by `gss --help` and every subcommand's).
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  any other failure (a file that cannot be read, a server that cannot start, ...)
  2  bad usage (unknown option, malformed argument)
  3  HTTP error status (the server answered 4xx or 5xx, other than a refused authentication)
  4  authentication failed (no credentials, a service unknown to the KDC, the server refused
     the token: a final 401)
  5  mutual authentication failed (the server did not prove who it is: do not trust the answer)
  6  network error (connection refused, DNS, timeout)";

/// A command's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// 0: success.
    Success = 0,
    /// 1: any other failure.
    Failure = 1,
    /// 2: bad usage (clap uses 2 for its own usage errors too).
    Usage = 2,
    /// 3: the server answered with an HTTP error status.
    HttpStatus = 3,
    /// 4: authentication failed.
    AuthFailed = 4,
    /// 5: mutual authentication failed.
    MutualAuthFailed = 5,
    /// 6: network error.
    Network = 6,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code as u8)
    }
}

/// A failed command: the code to exit with and what to tell the user.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: Code,
    /// The message for stderr (what went wrong and, where known, what to do next).
    pub message: String,
}

impl Failure {
    /// A failure with `code` and `message`.
    pub fn new(code: Code, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// What a subcommand returns.
pub type Outcome = Result<Code, Failure>;

/// Writes `text` to stdout; a closed pipe (`gss mechs | head`) is not an error.
pub fn emit(text: &str) -> Outcome {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(Code::Success),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Code::Success),
        Err(e) => Err(Failure::new(
            Code::Failure,
            format!("writing to stdout: {e}"),
        )),
    }
}
