//! The optional instrumentation (feature `tracing`; `docs/tracing.md`). The macros here expand
//! to `tracing` calls with the feature and to nothing without it, so a call site costs nothing
//! then and names no `tracing` item (its arguments are never compiled).
//!
//! What goes into a field: names, mechanisms, flags, lengths, status codes and error text.
//! Never a token, key, password or plaintext: call sites pass lengths, not buffers.

/// Enters the span `make` returns until the end of the enclosing block:
/// `enter_span!(span = tracing::debug_span!("gssapi.step", role = "initiator"))`; then `span`
/// names it. Field values are evaluated only when the span is enabled, and `make` not at all
/// without the feature.
///
/// Exported (hidden) so that gssapi-http uses the same macros: the `cfg` in the expansion is
/// that of the crate using it, so its own `tracing` feature decides.
#[doc(hidden)]
#[macro_export]
macro_rules! __trace_enter_span {
    ($span:ident = $make:expr) => {
        #[cfg(feature = "tracing")]
        let $span = $make;
        #[cfg(feature = "tracing")]
        let _entered = $span.enter();
    };
}

/// Statements that run only with the feature: `only!(self.record_step(&span, &result))`,
/// for the work of a `#[cfg(feature = "tracing")]` helper. Exported (hidden) as
/// [`__trace_enter_span!`] is.
#[doc(hidden)]
#[macro_export]
macro_rules! __trace_only {
    ($($statements:tt)*) => {
        #[cfg(feature = "tracing")]
        {
            $($statements)*;
        }
    };
}

/// An event: `event!(DEBUG, stage = "offer", "message")`, as `tracing::event!`.
macro_rules! event {
    ($level:ident, $($args:tt)+) => {
        #[cfg(feature = "tracing")]
        tracing::event!(tracing::Level::$level, $($args)+);
    };
}

/// A DEBUG event with the error's codes when `result` (a `&Result`) is an error:
/// `failed!("acquire_credentials", &result)`.
macro_rules! failed {
    ($operation:expr, $result:expr) => {
        #[cfg(feature = "tracing")]
        if let Err(e) = $result {
            $crate::trace::failure($operation, e);
        }
    };
}

/// A TRACE event for a per-message call with the lengths in and out (see [`message_event`]):
/// `message!("wrap", input.len(), &result, |w| (w.message.len(), Some(w.encrypted)))`.
macro_rules! message {
    ($operation:literal, $input_len:expr, $result:expr, $output:expr) => {
        #[cfg(feature = "tracing")]
        $crate::trace::message_event($operation, $input_len, $result, $output);
    };
}

pub(crate) use crate::{__trace_enter_span as enter_span, __trace_only as only};
pub(crate) use {event, failed, message};

/// An error a failure event describes: its text, and the library error inside, if any.
#[cfg(feature = "tracing")]
pub(crate) trait Failure: std::fmt::Display {
    /// The library error inside, if any.
    fn gss_error(&self) -> Option<&crate::Error>;
}

#[cfg(feature = "tracing")]
impl Failure for crate::Error {
    fn gss_error(&self) -> Option<&crate::Error> {
        Some(self)
    }
}

#[cfg(feature = "tracing")]
impl Failure for crate::sasl::SaslError {
    fn gss_error(&self) -> Option<&crate::Error> {
        match self {
            crate::sasl::SaslError::Gss(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(feature = "tracing")]
impl Failure for crate::ssh::SshError {
    fn gss_error(&self) -> Option<&crate::Error> {
        use crate::ssh::SshError;
        match self {
            SshError::Gss(e) | SshError::ContextFailed { source: e, .. } => Some(e),
            SshError::BadMic { source } => Some(source),
            SshError::PeerErrorToken { detail, .. } => detail.as_ref(),
            _ => None,
        }
    }
}

/// The failure event of [`failed!`]: for a library error the major status in hex, the minor
/// in decimal, the python-gssapi class, the routine error and the Kerberos error's name; and
/// the error's text (which holds none of the peer's bytes: an error token is counted, not
/// shown).
#[cfg(feature = "tracing")]
pub(crate) fn failure(operation: &'static str, error: &impl Failure) {
    let gss = error.gss_error();
    tracing::debug!(
        target: "gssapi",
        operation,
        major = gss.map(|e| tracing::field::display(format!("{:#010x}", e.major()))),
        minor = gss.map(crate::Error::minor),
        kind = gss.and_then(crate::Error::kind).map(tracing::field::display),
        routine = gss
            .and_then(crate::Error::gss)
            .and_then(gssapi_raw::Error::routine)
            .map(tracing::field::debug),
        krb5 = gss
            .and_then(crate::Error::krb5_error)
            .and_then(crate::Krb5Error::name),
        error = %error,
        "failed",
    );
}

/// The event of [`message!`]: `output` gives the output's length and, for wrap and unwrap,
/// whether it was encrypted. A failure is a [`failure`] event.
#[cfg(feature = "tracing")]
pub(crate) fn message_event<T>(
    operation: &'static str,
    input_len: usize,
    result: &crate::Result<T>,
    output: impl FnOnce(&T) -> (usize, Option<bool>),
) {
    match result {
        Ok(value) => {
            let (output_len, encrypted) = output(value);
            tracing::trace!(
                target: "gssapi::message",
                operation,
                input_len,
                output_len,
                encrypted,
                "message",
            );
        }
        Err(e) => failure(operation, e),
    }
}
