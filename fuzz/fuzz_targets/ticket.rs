#![no_main]
//! See `bureau::untrusted::ticket`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| bureau::untrusted::ticket(data));
