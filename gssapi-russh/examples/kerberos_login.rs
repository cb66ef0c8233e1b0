//! Logs in to an SSH server with Kerberos (`gssapi-with-mic`) and runs a command:
//!
//! ```text
//! cargo run -p gssapi-russh --example kerberos_login -- HOST PORT USER [--delegate] COMMAND...
//! ```
//!
//! The ticket comes from the default ccache (`kinit` first). The host key is not checked:
//! this is a demonstration, not a client to use as is.

use gssapi_russh::Authenticator;
use russh::client;
use russh::keys::PublicKeyOrCertificate;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

struct AcceptAnyHostKey;

impl client::Handler for AcceptAnyHostKey {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let delegate = args.iter().any(|a| a == "--delegate");
    args.retain(|a| a != "--delegate");
    let [host, port, user, command @ ..] = args.as_slice() else {
        return Err("usage: kerberos_login HOST PORT USER [--delegate] COMMAND...".into());
    };
    let port: u16 = port.parse()?;

    let config = Arc::new(client::Config::default());
    let mut session = client::connect(config, (host.as_str(), port), AcceptAnyHostKey).await?;
    let mut auth = Authenticator::new(host)?.delegate(delegate);
    let oids = auth.mechanism_oids()?;
    let result = session
        .authenticate_gssapi_with_mic(user.as_str(), oids, &mut auth)
        .await?;
    if !result.success() {
        return Err(format!("login refused (server error: {:?})", auth.server_error()).into());
    }
    eprintln!("logged in as {user}");

    let mut channel = session.channel_open_session().await?;
    channel.exec(true, command.join(" ")).await?;
    let mut stdout = tokio::io::stdout();
    let mut code = None;
    while let Some(msg) = channel.wait().await {
        match msg {
            russh::ChannelMsg::Data { ref data } => stdout.write_all(data).await?,
            russh::ChannelMsg::ExitStatus { exit_status } => code = Some(exit_status),
            _ => {}
        }
    }
    stdout.flush().await?;
    session
        .disconnect(russh::Disconnect::ByApplication, "", "en")
        .await?;
    std::process::exit(code.map_or(1, |c| c as i32));
}
