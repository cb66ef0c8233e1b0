//! `gss mechs`, `gss klist`, `gss whoami`.
use crate::exit::{Code, Outcome};
/// Mechs.
#[derive(Debug, clap::Args)]
pub struct MechsArgs {}
/// Klist.
#[derive(Debug, clap::Args)]
pub struct KlistArgs {}
/// Whoami.
#[derive(Debug, clap::Args)]
pub struct WhoamiArgs {}
/// Runs `gss mechs`.
pub fn mechs(_args: MechsArgs) -> Outcome {
    Ok(Code::Success)
}
/// Runs `gss klist`.
pub fn klist(_args: KlistArgs) -> Outcome {
    Ok(Code::Success)
}
/// Runs `gss whoami`.
pub fn whoami(_args: WhoamiArgs) -> Outcome {
    Ok(Code::Success)
}
