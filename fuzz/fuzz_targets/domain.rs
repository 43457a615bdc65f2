#![no_main]
//! Fuzzes the domain normaliser: no input may panic, and a canonical value is a fixed point.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    warroom_normalize::invariants::check_kind("domain", data);
});
