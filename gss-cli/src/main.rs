//! `gss`: Kerberos and GSSAPI on the command line.
//!
//! ```text
//! gss curl http://www.example.com/                       # curl --negotiate, in Rust
//! gss serve --keytab /etc/http.keytab --dir ./public     # a Negotiate-protected server
//! gss serve --keytab /etc/http.keytab --proxy http://127.0.0.1:8000/
//! gss status 0x70000                                     # what a major status means
//! gss mechs --json
//! gss klist
//! gss kinit user@EXAMPLE.COM
//! ```
//!
//! Every subcommand exits with one of the codes in [`exit`]; `gss help SUBCOMMAND` shows
//! examples.

#![forbid(unsafe_code)]

mod curl;
mod exit;
mod info;
mod kinit;
mod serve;
mod status;

use clap::{Parser, Subcommand};

/// Kerberos and GSSAPI on the command line.
#[derive(Debug, Parser)]
#[command(name = "gss", version, about, after_help = exit::EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Curl(curl::CurlArgs),
    Serve(serve::ServeArgs),
    Status(status::StatusArgs),
    Mechs(info::MechsArgs),
    Klist(info::KlistArgs),
    Whoami(info::WhoamiArgs),
    Kinit(kinit::KinitArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Curl(args) => curl::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Status(args) => status::run(args),
        Command::Mechs(args) => info::mechs(args),
        Command::Klist(args) => info::klist(args),
        Command::Whoami(args) => info::whoami(args),
        Command::Kinit(args) => kinit::run(args),
    };
    match result {
        Ok(code) => code.into(),
        Err(failure) => {
            eprintln!("gss: {}", failure.message);
            failure.code.into()
        }
    }
}
