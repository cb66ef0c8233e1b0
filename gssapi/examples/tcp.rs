//! An initiator and an acceptor talking over TCP on loopback, with a small length-prefixed
//! framing (4-byte big-endian length, then the bytes): the shape of most GSSAPI protocols.
//!
//! The acceptor runs in a thread with the default keytab; the initiator uses the default ticket
//! cache. A throwaway realm provides both. `cargo run -p gssapi-rs --example tcp`.

use gssapi::{Flags, Name, SecurityContext};
use gssapi_testrealm::Realm;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The largest frame either side accepts: a peer cannot make us allocate more.
const MAX_FRAME: usize = 1 << 20;

fn send(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    let len = u32::try_from(bytes.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame too large"))?;
    stream.write_all(&len.to_be_bytes())?;
    stream.write_all(bytes)
}

fn recv(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut buf = vec![0; len];
    stream.read_exact(&mut buf)?;
    Ok(buf)
}

fn serve(listener: TcpListener) -> Res<()> {
    let (mut stream, peer) = listener.accept()?;
    let mut ctx = SecurityContext::acceptor(None).build();
    while !ctx.is_complete() {
        let token = recv(&mut stream)?;
        match ctx.step(Some(&token)) {
            Ok(Some(reply)) => send(&mut stream, &reply)?,
            Ok(None) => {}
            Err(e) => {
                // Send the error token, if any, so the client learns why.
                if let Some(t) = e.token() {
                    send(&mut stream, t)?;
                }
                return Err(e.into());
            }
        }
    }
    println!("[server] {peer} authenticated as {}", ctx.initiator_name()?);
    loop {
        let frame = recv(&mut stream)?;
        let request = ctx.decrypt(&frame)?;
        if &*request == b"bye" {
            break;
        }
        let text = String::from_utf8_lossy(&request).to_uppercase();
        println!(
            "[server] got {:?}, answering {text:?}",
            String::from_utf8_lossy(&request)
        );
        send(&mut stream, &ctx.encrypt(text.as_bytes())?)?;
    }
    Ok(())
}

fn main() -> Res<()> {
    let realm = Realm::new()?;
    for (key, value) in realm.env() {
        // SAFETY: no thread has been started yet; nothing reads the environment concurrently.
        unsafe { std::env::set_var(key, value) };
    }
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = std::thread::spawn(move || serve(listener));

    let mut stream = TcpStream::connect(addr)?;
    let target = Name::hostbased_service(&realm.host_service())?;
    let mut ctx = SecurityContext::initiator(&target)
        .flags(Flags::MUTUAL | Flags::SEQUENCE | Flags::REPLAY | Flags::CONF | Flags::INTEG)
        .build();
    let mut token = ctx.step(None)?;
    while let Some(t) = token.take() {
        send(&mut stream, &t)?;
        if ctx.is_complete() {
            break;
        }
        let reply = recv(&mut stream)?;
        token = ctx.step(Some(&reply))?;
    }
    println!(
        "[client] connected to {addr}, mutually authenticated with {}",
        ctx.target_name()?
    );
    for line in ["hello", "kerberos over tcp"] {
        send(&mut stream, &ctx.encrypt(line.as_bytes())?)?;
        let answer = ctx.decrypt(&recv(&mut stream)?)?;
        println!(
            "[client] sent {line:?}, got {:?}",
            String::from_utf8_lossy(&answer)
        );
    }
    send(&mut stream, &ctx.encrypt(b"bye")?)?;
    server.join().map_err(|_| "server thread panicked")??;
    Ok(())
}
