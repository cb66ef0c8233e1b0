//! Interop with Cyrus SASL's sample programs (sasl2-bin).

use crate::TestResult;

pub(crate) fn cyrus_server_rust_client() -> TestResult {
    Err("not written yet".into())
}

pub(crate) fn rust_server_cyrus_client() -> TestResult {
    Err("not written yet".into())
}
