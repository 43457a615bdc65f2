#![no_main]
//! Fuzzes kind detection: no input may panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    warroom_normalize::invariants::check_detect(data);
});
