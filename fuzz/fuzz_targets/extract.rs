#![no_main]
//! Fuzzes free-text extraction: no input may panic, and every span lies on character
//! boundaries inside the text.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    warroom_normalize::invariants::check_extract(data);
});
