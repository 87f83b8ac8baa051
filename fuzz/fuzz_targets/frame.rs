#![no_main]
//! See `bureau::untrusted::frame`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| bureau::untrusted::frame(data));
