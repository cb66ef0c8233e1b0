//! The terminal: colour only when stderr is one (and `NO_COLOR` is unset), and a notice on
//! long waits (a KDC that does not answer), also only on a terminal, so scripts and logs see
//! plain lines.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::time::Duration;

/// Whether stderr gets colour and progress: a terminal, and no `NO_COLOR`.
pub fn fancy() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The `gss:` prefix of an error line: bold red on a terminal.
pub fn error_prefix() -> &'static str {
    if fancy() {
        "\x1b[1;31mgss:\x1b[0m"
    } else {
        "gss:"
    }
}

/// Runs `work`; if it takes longer than two seconds and stderr is a terminal, says on stderr
/// what it waits for, with the seconds waited, until it returns (the line is cleared then).
pub fn waiting<T>(what: &str, work: impl FnOnce() -> T) -> T {
    if !fancy() {
        return work();
    }
    let (done, wait) = mpsc::channel::<()>();
    let what = what.to_owned();
    let notice = std::thread::spawn(move || {
        let mut seconds = 2;
        if wait.recv_timeout(Duration::from_secs(2)).is_ok() {
            return false;
        }
        loop {
            eprint!("\r\x1b[2Kgss: waiting for {what} ({seconds} s) ...");
            match wait.recv_timeout(Duration::from_secs(1)) {
                Err(mpsc::RecvTimeoutError::Timeout) => seconds += 1,
                _ => return true,
            }
        }
    });
    let result = work();
    // The notice thread ends at once: it only waits for this message.
    let _ = done.send(());
    if notice.join().unwrap_or(false) {
        eprint!("\r\x1b[2K");
    }
    result
}
