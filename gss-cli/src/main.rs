//! `gss`: Kerberos and GSSAPI on the command line.
//!
//! ```text
//! gss demo                                               # a throwaway realm, narrated
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
mod demo;
mod exit;
mod info;
mod inspect_cmd;
mod kinit;
mod serve;
mod status;
mod term;

use clap::{CommandFactory, Parser, Subcommand};

/// Kerberos and GSSAPI on the command line.
#[derive(Debug, Parser)]
#[command(
    name = "gss",
    version,
    about = "Kerberos and GSSAPI on the command line",
    after_help = exit::EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Demo(demo::DemoArgs),
    Curl(curl::CurlArgs),
    Serve(serve::ServeArgs),
    Inspect(inspect_cmd::InspectArgs),
    Status(status::StatusArgs),
    Mechs(info::MechsArgs),
    Klist(info::KlistArgs),
    Whoami(info::WhoamiArgs),
    Kinit(kinit::KinitArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Prints a shell completion script (generated from the same definitions as --help).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  gss completions bash > /etc/bash_completion.d/gss
  gss completions zsh > \"${fpath[1]}/_gss\"
  gss completions fish > ~/.config/fish/completions/gss.fish")]
struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Prints the man page (roff), generated from the same definitions as --help.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  gss man > /usr/local/share/man/man1/gss.1
  gss man | man -l -")]
struct ManArgs {}

fn completions(args: CompletionsArgs) -> exit::Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "gss", &mut script);
    exit::emit(&String::from_utf8_lossy(&script))
}

fn man() -> exit::Outcome {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| exit::Failure::new(exit::Code::Failure, format!("the man page: {e}")))?;
    exit::emit(&String::from_utf8_lossy(&page))
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // reqwest is built with rustls and no provider of its own: ring, for every client.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let result = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Curl(args) => curl::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Inspect(args) => inspect_cmd::run(args),
        Command::Status(args) => status::run(args),
        Command::Mechs(args) => info::mechs(args),
        Command::Klist(args) => info::klist(args),
        Command::Whoami(args) => info::whoami(args),
        Command::Kinit(args) => kinit::run(args),
        Command::Completions(args) => completions(args),
        Command::Man(_) => man(),
    };
    match result {
        Ok(code) => code.into(),
        Err(failure) => {
            eprintln!("{} {}", term::error_prefix(), failure.message);
            failure.code.into()
        }
    }
}
