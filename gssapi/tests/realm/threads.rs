//! Many threads and many handshakes.

use crate::{TestResult, check, fail, handshake};
use gssapi::{CredUsage, Credentials, Flags, Name};

fn assert_send_sync<T: Send + Sync>() {}
fn assert_send<T: Send>() {}

pub(crate) fn sixty_four_threads_share_acceptor_credentials() -> TestResult {
    assert_send_sync::<Credentials>();
    assert_send_sync::<Name>();
    assert_send::<gssapi::SecurityContext>();
    let host = Name::hostbased_service("host@localhost").map_err(fail)?;
    let shared = Credentials::builder()
        .name(&host)
        .usage(CredUsage::Accept)
        .acquire()
        .map_err(fail)?;
    let results: Vec<Result<usize, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|i| {
                let creds = shared.clone();
                scope.spawn(move || -> Result<usize, String> {
                    let flags = Flags::MUTUAL | Flags::SEQUENCE | Flags::CONF | Flags::INTEG;
                    let (mut c, mut s, _) =
                        handshake(None, flags, Some(&creds)).map_err(|e| e.to_string())?;
                    let mut n = 0;
                    for j in 0..20u32 {
                        let msg = format!("thread {i} message {j}");
                        let sealed = c.encrypt(msg.as_bytes()).map_err(|e| e.to_string())?;
                        let opened = s.decrypt(&sealed).map_err(|e| e.to_string())?;
                        if *opened != *msg.as_bytes() {
                            return Err(format!("thread {i}: message {j} changed"));
                        }
                        let mic = s.get_mic(&opened).map_err(|e| e.to_string())?;
                        c.verify_mic(&opened, &mic).map_err(|e| e.to_string())?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("thread panicked".into())))
            .collect()
    });
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    check!(
        failures.is_empty(),
        "{} threads failed: {failures:?}",
        failures.len()
    );
    check!(results.iter().map(|r| *r.as_ref().unwrap()).sum::<usize>() == 64 * 20);
    Ok(())
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// 10,000 full handshakes with a message each: resident memory after the first 1,000 (the
/// library's caches warm) and after all must stay within a small bound.
pub(crate) fn ten_thousand_handshakes_keep_memory_flat() -> TestResult {
    let flags = Flags::MUTUAL | Flags::CONF | Flags::INTEG;
    let host = Name::hostbased_service("host@localhost").map_err(fail)?;
    let server_creds = Credentials::builder()
        .name(&host)
        .usage(CredUsage::Accept)
        .acquire()
        .map_err(fail)?;
    let client_creds = Credentials::acquire(CredUsage::Initiate).map_err(fail)?;
    let run = |count: usize| -> TestResult {
        for _ in 0..count {
            let mut c = gssapi::SecurityContext::initiator(&host)
                .flags(flags)
                .credentials(&client_creds)
                .build();
            let mut s = gssapi::SecurityContext::acceptor(Some(&server_creds)).build();
            let t = c.step(None).map_err(fail)?.ok_or("no token")?;
            let r = s.step(Some(&t)).map_err(fail)?.ok_or("no reply")?;
            c.step(Some(&r)).map_err(fail)?;
            let sealed = c.encrypt(b"ping").map_err(fail)?;
            s.decrypt(&sealed).map_err(fail)?;
        }
        Ok(())
    };
    run(1000)?;
    let warm = rss_kib().ok_or("no VmRSS")?;
    run(9000)?;
    let after = rss_kib().ok_or("no VmRSS")?;
    let growth = after.saturating_sub(warm);
    eprintln!(
        "10k handshakes: RSS after 1k {warm} KiB, after 10k {after} KiB, growth {growth} KiB"
    );
    // Other tests run in parallel in this process, so allow some noise; a leak of even 100
    // bytes per handshake would add 900 KiB.
    check!(growth < 4096, "RSS grew {growth} KiB over 9,000 handshakes");
    Ok(())
}
