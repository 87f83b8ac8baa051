#![no_main]
//! See `bureau::untrusted::chunk`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| bureau::untrusted::chunk(data));
