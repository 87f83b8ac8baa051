#![no_main]
//! See `bureau::untrusted::frame`. Panics that Bureau catches (inside
//! Automerge, via samod-core's `sync_guard`) are silenced; one that escapes
//! still aborts and is reported as a crash.
libfuzzer_sys::fuzz_target!(
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| bureau::untrusted::frame(data)
);
