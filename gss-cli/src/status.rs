//! `gss status`.
use crate::exit::{Code, Outcome};
/// Status.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {}
/// Runs `gss status`.
pub fn run(_args: StatusArgs) -> Outcome {
    Ok(Code::Success)
}
