//! `gss inspect`'s decoder on arbitrary input: pasted text (base64, hex, a header) and raw
//! bytes. It must return a description or an error, never panic or read out of bounds; a
//! description must render.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../gss-cli/src/inspect.rs"]
mod inspect;

fuzz_target!(|data: &[u8]| {
    for token in [inspect::token_bytes(data), data.to_vec()] {
        if let Ok(value) = inspect::decode(&token) {
            let mut text = String::new();
            inspect::render(&value, 0, &mut text);
            assert!(!text.is_empty() || value.as_object().is_some_and(|m| m.is_empty()));
        }
    }
});
