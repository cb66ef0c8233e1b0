//! The optional instrumentation (feature `tracing`; `docs/tracing.md`), with `gssapi`'s
//! macros: they expand to `tracing` calls with this crate's feature and to nothing without
//! it. Fields carry hosts, names, statuses, mechanisms and codes: never a header value, token
//! or cookie.

// gssapi's macros, expanded here under this crate's own `tracing` feature:
// `enter_span!(span = tracing::debug_span!(..))` enters a span until the end of the block,
// `only!(..)` runs statements only with the feature.
pub(crate) use gssapi::{__trace_enter_span as enter_span, __trace_only as only};

/// Records a GSSAPI failure on `span`: the major status in hex, the minor in decimal and the
/// python-gssapi class (the step's own span, inside, has the rest).
#[cfg(feature = "tracing")]
pub(crate) fn record_gss(span: &tracing::Span, error: &gssapi::Error) {
    span.record(
        "major",
        tracing::field::display(format!("{:#010x}", error.major())),
    );
    span.record("minor", error.minor());
    if let Some(kind) = error.kind() {
        span.record("kind", tracing::field::display(kind));
    }
}
