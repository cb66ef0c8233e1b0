//! The three-tier benchmark: each workload runs as direct gssapi-sys calls (what a C programmer
//! writes: the limit), through gssapi-raw, and through gssapi, in one process against a
//! throwaway realm. Rounds interleave the tiers and the median of each is reported, as ops/s
//! and as a ratio to the direct calls.
//!
//! `cargo bench -p gssapi-rs --bench tiers` (full) or `... -- --quick` (a smoke run for CI).

use gssapi::Protection;
use gssapi::raw::{self, context as rctx, message as rmsg, name as rname};
use gssapi::{Flags, Mechanism, Name, SecurityContext};
use gssapi_sys as sys;
use std::hint::black_box;
use std::ptr;
use std::time::{Duration, Instant};

struct Config {
    rounds: usize,
    min_time: Duration,
    /// `--iterations N --tier direct|raw|gssapi`: run one tier N times, untimed.
    counted: Option<(u64, usize)>,
}

/// Runs `f` repeatedly for about `min_time`; returns ops/s.
fn measure(min_time: Duration, mut f: impl FnMut()) -> f64 {
    // Calibrate the batch so that timing overhead is negligible.
    let mut batch = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        let took = start.elapsed();
        if took >= min_time / 4 || batch >= 1 << 20 {
            break;
        }
        batch *= 2;
    }
    let start = Instant::now();
    let mut done = 0u64;
    while start.elapsed() < min_time {
        for _ in 0..batch {
            f();
        }
        done += batch;
    }
    done as f64 / start.elapsed().as_secs_f64()
}

/// Runs `f` exactly `n` times: the instruction-count mode (`--iterations N --tier T`), for
/// `valgrind --tool=callgrind --toggle-collect='*counted*'`, whose counts do not depend on load.
#[inline(never)]
fn counted(n: u64, f: &mut dyn FnMut()) {
    for _ in 0..n {
        f();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// One workload in three tiers (a tier may be absent).
struct Workload<'a> {
    name: String,
    tiers: [Option<Box<dyn FnMut() + 'a>>; 3],
}

fn run(cfg: &Config, workloads: Vec<Workload<'_>>, filter: Option<&str>) {
    if let Some((n, tier)) = cfg.counted {
        for mut w in workloads {
            if filter.is_some_and(|f| !w.name.contains(f)) {
                continue;
            }
            if let Some(f) = &mut w.tiers[tier] {
                f(); // warm up outside the counted region
                let start = Instant::now();
                counted(n, f);
                let ns = start.elapsed().as_nanos() as f64 / n as f64;
                println!("{}: {n} iterations of tier {tier}, {ns:.0} ns each", w.name);
            }
        }
        return;
    }
    println!(
        "{:<26} {:>14} {:>14} {:>14} {:>9} {:>9}",
        "workload", "direct ops/s", "raw ops/s", "gssapi ops/s", "raw/dir", "gss/dir"
    );
    for mut w in workloads {
        if filter.is_some_and(|f| !w.name.contains(f)) {
            continue;
        }
        let mut samples: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..cfg.rounds {
            for (i, tier) in w.tiers.iter_mut().enumerate() {
                if let Some(f) = tier {
                    samples[i].push(measure(cfg.min_time, f));
                }
            }
        }
        let m: Vec<Option<f64>> = samples
            .into_iter()
            .map(|s| (!s.is_empty()).then(|| median(s)))
            .collect();
        let fmt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.0}"));
        let ratio = |x: Option<f64>| match (x, m[0]) {
            (Some(v), Some(d)) => format!("{:.3}", v / d),
            _ => "-".to_string(),
        };
        println!(
            "{:<26} {:>14} {:>14} {:>14} {:>9} {:>9}",
            w.name,
            fmt(m[0]),
            fmt(m[1]),
            fmt(m[2]),
            ratio(m[1]),
            ratio(m[2])
        );
    }
}

// ---- direct tier: plain FFI, as C code would do it ----

/// A handshake as server code writes it in C: the acceptor wants to know who authenticated,
/// with which mechanism and flags, and whether credentials were delegated (the outputs the
/// other tiers return too).
fn direct_handshake(target: sys::gss_name_t, mech: sys::gss_OID) {
    let flags = sys::GSS_C_MUTUAL_FLAG | sys::GSS_C_SEQUENCE_FLAG;
    let mut minor = 0;
    let mut ictx: sys::gss_ctx_id_t = ptr::null_mut();
    let mut actx: sys::gss_ctx_id_t = ptr::null_mut();
    let mut empty = sys::gss_buffer_desc {
        length: 0,
        value: ptr::null_mut(),
    };
    let mut out = sys::gss_buffer_desc {
        length: 0,
        value: ptr::null_mut(),
    };
    let (mut imech, mut amech): (sys::gss_OID, sys::gss_OID) = (ptr::null_mut(), ptr::null_mut());
    let (mut iflags, mut aflags, mut itime, mut atime) = (0, 0, 0, 0);
    // SAFETY: every pointer is valid; outputs are released below; the loop follows RFC 2744.
    unsafe {
        let mut major = sys::gss_init_sec_context(
            &mut minor,
            ptr::null_mut(),
            &mut ictx,
            target,
            mech,
            flags,
            0,
            ptr::null_mut(),
            &mut empty,
            &mut imech,
            &mut out,
            &mut iflags,
            &mut itime,
        );
        while out.length > 0 {
            let mut reply = sys::gss_buffer_desc {
                length: 0,
                value: ptr::null_mut(),
            };
            let mut src: sys::gss_name_t = ptr::null_mut();
            let mut deleg: sys::gss_cred_id_t = ptr::null_mut();
            let amajor = sys::gss_accept_sec_context(
                &mut minor,
                &mut actx,
                ptr::null_mut(),
                &mut out,
                ptr::null_mut(),
                &mut src,
                &mut amech,
                &mut reply,
                &mut aflags,
                &mut atime,
                &mut deleg,
            );
            sys::gss_release_buffer(&mut minor, &mut out);
            sys::gss_release_name(&mut minor, &mut src);
            if !deleg.is_null() {
                sys::gss_release_cred(&mut minor, &mut deleg);
            }
            assert!(!sys::GSS_ERROR(amajor), "accept failed {amajor:#x}");
            if reply.length == 0 || major == sys::GSS_S_COMPLETE {
                sys::gss_release_buffer(&mut minor, &mut reply);
                break;
            }
            major = sys::gss_init_sec_context(
                &mut minor,
                ptr::null_mut(),
                &mut ictx,
                target,
                mech,
                flags,
                0,
                ptr::null_mut(),
                &mut reply,
                &mut imech,
                &mut out,
                &mut iflags,
                &mut itime,
            );
            sys::gss_release_buffer(&mut minor, &mut reply);
        }
        assert!(!sys::GSS_ERROR(major), "init failed {major:#x}");
        black_box((imech, amech, iflags, aflags, itime, atime));
        sys::gss_delete_sec_context(&mut minor, &mut ictx, ptr::null_mut());
        sys::gss_delete_sec_context(&mut minor, &mut actx, ptr::null_mut());
    }
}

fn direct_wrap_unwrap(i: sys::gss_ctx_id_t, a: sys::gss_ctx_id_t, msg: &[u8]) {
    let mut minor = 0;
    let mut input = sys::gss_buffer_desc {
        length: msg.len(),
        value: msg.as_ptr() as *mut _,
    };
    let mut token = sys::gss_buffer_desc {
        length: 0,
        value: ptr::null_mut(),
    };
    let mut plain = sys::gss_buffer_desc {
        length: 0,
        value: ptr::null_mut(),
    };
    let (mut conf, mut qop) = (0, 0);
    // SAFETY: established contexts, valid buffers, both outputs released.
    unsafe {
        let m = sys::gss_wrap(&mut minor, i, 1, 0, &mut input, &mut conf, &mut token);
        assert!(!sys::GSS_ERROR(m) && conf != 0);
        // The QOP too: the other tiers return it.
        let m = sys::gss_unwrap(&mut minor, a, &mut token, &mut plain, &mut conf, &mut qop);
        assert!(!sys::GSS_ERROR(m) && conf != 0);
        black_box((plain.length, qop));
        sys::gss_release_buffer(&mut minor, &mut token);
        sys::gss_release_buffer(&mut minor, &mut plain);
    }
}

/// In place, as C code does it: the data encrypted where it is, header, padding and trailer
/// allocated by the library (`GSS_IOV_BUFFER_FLAG_ALLOCATE`, one call, no length call), then
/// the same four parts unwrapped in place. The outputs are those of the other tiers: the three
/// parts as separate buffers, `conf_state` of both calls and the unwrap's QOP.
fn direct_wrap_unwrap_iov(i: sys::gss_ctx_id_t, a: sys::gss_ctx_id_t, data: &mut [u8]) {
    let mut minor = 0;
    let part = |type_| sys::gss_iov_buffer_desc {
        type_: type_ | sys::GSS_IOV_BUFFER_FLAG_ALLOCATE,
        buffer: sys::gss_buffer_desc {
            length: 0,
            value: ptr::null_mut(),
        },
    };
    let mut iov = [
        part(sys::GSS_IOV_BUFFER_TYPE_HEADER),
        sys::gss_iov_buffer_desc {
            type_: sys::GSS_IOV_BUFFER_TYPE_DATA,
            buffer: sys::gss_buffer_desc {
                length: data.len(),
                value: data.as_mut_ptr().cast(),
            },
        },
        part(sys::GSS_IOV_BUFFER_TYPE_PADDING),
        part(sys::GSS_IOV_BUFFER_TYPE_TRAILER),
    ];
    let (mut conf, mut qop) = (0, 0);
    // SAFETY: established contexts; the data buffer is the caller's for the call; the
    // library's allocations are released by gss_release_iov_buffer.
    unsafe {
        let m = sys::gss_wrap_iov(&mut minor, i, 1, 0, &mut conf, iov.as_mut_ptr(), 4);
        assert!(!sys::GSS_ERROR(m) && conf != 0);
        let m = sys::gss_unwrap_iov(&mut minor, a, &mut conf, &mut qop, iov.as_mut_ptr(), 4);
        assert!(!sys::GSS_ERROR(m) && conf != 0);
        black_box(qop);
        sys::gss_release_iov_buffer(&mut minor, iov.as_mut_ptr(), 4);
    }
}

fn direct_mic(i: sys::gss_ctx_id_t, a: sys::gss_ctx_id_t, msg: &[u8]) {
    let mut minor = 0;
    let mut input = sys::gss_buffer_desc {
        length: msg.len(),
        value: msg.as_ptr() as *mut _,
    };
    let mut mic = sys::gss_buffer_desc {
        length: 0,
        value: ptr::null_mut(),
    };
    // SAFETY: established contexts, valid buffers, the output released.
    unsafe {
        let m = sys::gss_get_mic(&mut minor, i, 0, &mut input, &mut mic);
        assert!(!sys::GSS_ERROR(m));
        let m = sys::gss_verify_mic(&mut minor, a, &mut input, &mut mic, ptr::null_mut());
        assert!(!sys::GSS_ERROR(m));
        sys::gss_release_buffer(&mut minor, &mut mic);
    }
}

fn direct_name(text: &[u8], nt: sys::gss_OID) {
    let mut minor = 0;
    let mut input = sys::gss_buffer_desc {
        length: text.len(),
        value: text.as_ptr() as *mut _,
    };
    let mut name: sys::gss_name_t = ptr::null_mut();
    let mut shown = sys::gss_buffer_desc {
        length: 0,
        value: ptr::null_mut(),
    };
    // SAFETY: valid inputs; the name and buffer are released.
    unsafe {
        let m = sys::gss_import_name(&mut minor, &mut input, nt, &mut name);
        assert!(!sys::GSS_ERROR(m));
        // The name type too: the other tiers return it (python-gssapi's default as well).
        let mut name_type: sys::gss_OID = ptr::null_mut();
        let m = sys::gss_display_name(&mut minor, name, &mut shown, &mut name_type);
        black_box(name_type);
        assert!(!sys::GSS_ERROR(m));
        black_box(shown.length);
        sys::gss_release_buffer(&mut minor, &mut shown);
        sys::gss_release_name(&mut minor, &mut name);
    }
}

// ---- raw and high-level tiers ----

fn raw_handshake(target: &raw::Name, mech: &raw::Oid) {
    let flags = Flags::MUTUAL | Flags::SEQUENCE;
    let (mut i, mut a) = (raw::SecContext::new(), raw::SecContext::new());
    let mut step =
        rctx::init_sec_context(None, &mut i, target, Some(mech), flags, None, None, None).unwrap();
    loop {
        let reply = rctx::accept_sec_context(&mut a, None, &step.token, None).unwrap();
        if reply.token.is_empty() || step.complete {
            break;
        }
        step = rctx::init_sec_context(
            None,
            &mut i,
            target,
            Some(mech),
            flags,
            None,
            None,
            Some(&reply.token),
        )
        .unwrap();
        if step.token.is_empty() {
            break;
        }
    }
}

fn gssapi_handshake(target: &Name, mech: &Mechanism) {
    let mut c = SecurityContext::initiator(target).mech(mech).build();
    let mut s = SecurityContext::acceptor(None).build();
    let mut token = c.step(None).unwrap();
    while let Some(t) = token.take() {
        if let Some(r) = s.step(Some(&t)).unwrap() {
            token = c.step(Some(&r)).unwrap();
        }
    }
}

fn raw_pair() -> (raw::SecContext, raw::SecContext) {
    let target =
        rname::import_name(b"host@localhost", Some(&raw::name_type::HOSTBASED_SERVICE)).unwrap();
    // The gssapi crate's default flags (SEQUENCE makes the library check each token's order).
    let flags = Flags::MUTUAL | Flags::SEQUENCE;
    let (mut i, mut a) = (raw::SecContext::new(), raw::SecContext::new());
    let first = rctx::init_sec_context(
        None,
        &mut i,
        &target,
        Some(&raw::mech_type::KERBEROS),
        flags,
        None,
        None,
        None,
    )
    .unwrap();
    let reply = rctx::accept_sec_context(&mut a, None, &first.token, None).unwrap();
    rctx::init_sec_context(
        None,
        &mut i,
        &target,
        Some(&raw::mech_type::KERBEROS),
        flags,
        None,
        None,
        Some(&reply.token),
    )
    .unwrap();
    (i, a)
}

fn gssapi_pair() -> (SecurityContext, SecurityContext) {
    let target = Name::hostbased_service("host@localhost").unwrap();
    // The crate's default flags, as an application gets them.
    let mut c = SecurityContext::initiator(&target)
        .mech(&Mechanism::KERBEROS)
        .build();
    let mut s = SecurityContext::acceptor(None).build();
    let mut token = c.step(None).unwrap();
    while let Some(t) = token.take() {
        if let Some(r) = s.step(Some(&t)).unwrap() {
            token = c.step(Some(&r)).unwrap();
        }
    }
    (c, s)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let counted = value("--iterations").map(|n| {
        let tier = match value("--tier").as_deref() {
            Some("direct") => 0,
            Some("raw") => 1,
            Some("gssapi") => 2,
            _ => panic!("--iterations needs --tier direct|raw|gssapi"),
        };
        (n.parse().expect("--iterations N"), tier)
    });
    let cfg = Config {
        rounds: if quick { 1 } else { 5 },
        min_time: Duration::from_millis(if quick { 20 } else { 300 }),
        counted,
    };
    let realm = gssapi_testrealm::Realm::new().expect("realm");
    for (k, v) in realm.env() {
        // SAFETY: single-threaded: no thread has started yet.
        unsafe { std::env::set_var(k, v) };
    }
    println!(
        "{} {}, {} round(s) of {:?} per tier and workload{}",
        sys::implementation().map_or("none", |i| i.as_str()),
        sys::library_version(),
        cfg.rounds,
        cfg.min_time,
        if quick { " (quick)" } else { "" }
    );

    let raw_target =
        rname::import_name(b"host@localhost", Some(&raw::name_type::HOSTBASED_SERVICE)).unwrap();
    let hl_target = Name::hostbased_service("host@localhost").unwrap();
    let (ri, ra) = raw_pair();
    let (mut ri2, mut ra2) = raw_pair();
    let (mut gi, mut ga) = gssapi_pair();
    let direct_i = ri.as_raw();
    let direct_a = ra.as_raw();

    let sizes = [16usize, 1024, 64 * 1024, 1024 * 1024];
    let payloads: Vec<Vec<u8>> = sizes.iter().map(|n| vec![0x42; *n]).collect();
    let mic_msg = vec![7u8; 32];
    let mut workloads = Vec::new();
    for (label, mech_raw, mech_hl) in [
        (
            "handshake krb5",
            &raw::mech_type::KERBEROS,
            Mechanism::KERBEROS,
        ),
        (
            "handshake spnego",
            &raw::mech_type::SPNEGO,
            Mechanism::SPNEGO,
        ),
    ] {
        let t_raw = raw_target.as_raw();
        let oid = mech_raw.clone();
        let oid_for_direct = mech_raw.clone();
        let rt = &raw_target;
        let ht = hl_target.clone();
        workloads.push(Workload {
            name: label.to_string(),
            tiers: [
                Some(Box::new(move || {
                    // The OID descriptor pointer, read only by the library.
                    let mut desc = sys::gss_OID_desc {
                        length: oid_for_direct.as_bytes().len() as u32,
                        elements: oid_for_direct.as_bytes().as_ptr() as *mut _,
                    };
                    direct_handshake(t_raw, &mut desc);
                })),
                Some(Box::new(move || raw_handshake(rt, &oid))),
                Some(Box::new(move || gssapi_handshake(&ht, &mech_hl))),
            ],
        });
    }

    // The three tiers use three context pairs; each closure borrows its own.
    let ri2_ptr: *mut raw::SecContext = &mut ri2;
    let ra2_ptr: *mut raw::SecContext = &mut ra2;
    let gi_ptr: *mut SecurityContext = &mut gi;
    let ga_ptr: *mut SecurityContext = &mut ga;
    for payload in &payloads {
        let label = match payload.len() {
            n if n >= 1 << 20 => format!("wrap+unwrap {} MiB", n >> 20),
            n if n >= 1024 => format!("wrap+unwrap {} KiB", n >> 10),
            n => format!("wrap+unwrap {n} B"),
        };
        workloads.push(Workload {
            name: label,
            tiers: [
                Some(Box::new(move || {
                    direct_wrap_unwrap(direct_i, direct_a, payload)
                })),
                Some(Box::new(move || {
                    // SAFETY: the closures of this workload run one at a time, never together,
                    // and the contexts outlive them.
                    let (i, a) = unsafe { (&mut *ri2_ptr, &mut *ra2_ptr) };
                    let w = rmsg::wrap(i, payload, true, None).unwrap();
                    black_box(rmsg::unwrap(a, &w.message).unwrap().message.len());
                })),
                Some(Box::new(move || {
                    // SAFETY: as above.
                    let (c, s) = unsafe { (&mut *gi_ptr, &mut *ga_ptr) };
                    let t = c.encrypt(payload).unwrap();
                    black_box(s.decrypt(&t).unwrap().len());
                })),
            ],
        });
    }
    let mic_ref = &mic_msg;
    workloads.push(Workload {
        name: "get_mic+verify_mic 32 B".into(),
        tiers: [
            Some(Box::new(move || direct_mic(direct_i, direct_a, mic_ref))),
            Some(Box::new(move || {
                // SAFETY: as above.
                let (i, a) = unsafe { (&mut *ri2_ptr, &mut *ra2_ptr) };
                let m = rmsg::get_mic(i, mic_ref, None).unwrap();
                rmsg::verify_mic(a, mic_ref, &m).unwrap();
            })),
            Some(Box::new(move || {
                // SAFETY: as above.
                let (c, s) = unsafe { (&mut *gi_ptr, &mut *ga_ptr) };
                let m = c.get_mic(mic_ref).unwrap();
                s.verify_mic(mic_ref, &m).unwrap();
            })),
        ],
    });
    workloads.push(Workload {
        name: "name import+display".into(),
        tiers: [
            Some(Box::new(|| {
                let mut nt = sys::gss_OID_desc {
                    length: sys::oids::GSS_C_NT_HOSTBASED_SERVICE.len() as u32,
                    elements: sys::oids::GSS_C_NT_HOSTBASED_SERVICE.as_ptr() as *mut _,
                };
                direct_name(b"HTTP@www.example.com", &mut nt);
            })),
            Some(Box::new(|| {
                let n = rname::import_name(
                    b"HTTP@www.example.com",
                    Some(&raw::name_type::HOSTBASED_SERVICE),
                )
                .unwrap();
                black_box(rname::display_name(&n).unwrap().name.len());
            })),
            Some(Box::new(|| {
                let n = Name::hostbased_service("HTTP@www.example.com").unwrap();
                black_box(n.display().unwrap().0.len());
            })),
        ],
    });
    // The in-place (IOV) path against C's own in-place path (gss_wrap_iov/gss_unwrap_iov):
    // like with like. Compare with the wrap+unwrap rows for what avoiding the copies buys.
    for &n in &sizes {
        let mut direct_buf = vec![0x42u8; n];
        let mut raw_buf = vec![0x42u8; n];
        let mut hl_buf = vec![0x42u8; n];
        let label = match n {
            n if n >= 1 << 20 => format!("in-place IOV {} MiB", n >> 20),
            n if n >= 1024 => format!("in-place IOV {} KiB", n >> 10),
            n => format!("in-place IOV {n} B"),
        };
        workloads.push(Workload {
            name: label,
            tiers: [
                Some(Box::new(move || {
                    direct_wrap_unwrap_iov(direct_i, direct_a, &mut direct_buf)
                })),
                Some(Box::new(move || {
                    // SAFETY: as above.
                    let (i, a) = unsafe { (&mut *ri2_ptr, &mut *ra2_ptr) };
                    let mut w = raw::ext::dce::wrap_in_place(i, &mut raw_buf, true, None).unwrap();
                    assert!(w.encrypted);
                    let u = raw::ext::dce::unwrap_parts_in_place(a, &mut w, &mut raw_buf).unwrap();
                    assert!(u.encrypted);
                    black_box(u.qop);
                })),
                Some(Box::new(move || {
                    // SAFETY: as above.
                    let (c, s) = unsafe { (&mut *gi_ptr, &mut *ga_ptr) };
                    let mut w = c.wrap_in_place(&mut hl_buf, Protection::Encrypt).unwrap();
                    assert!(w.encrypted);
                    assert!(s.unwrap_parts_in_place(&mut w, &mut hl_buf).unwrap());
                })),
            ],
        });
    }
    let mut filter = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--iterations" || a == "--tier" {
            it.next();
        } else if !a.starts_with("--") {
            filter = Some(a.clone());
        }
    }
    run(&cfg, workloads, filter.as_deref());
    drop((ri, ra));
}
