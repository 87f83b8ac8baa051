#![no_main]
//! See `bureau::untrusted::peer_message`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| bureau::untrusted::peer_message(data));
