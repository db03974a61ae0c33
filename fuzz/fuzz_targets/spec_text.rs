#![no_main]
//! See `lotinfo_fuzz::properties::spec_text`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = lotinfo_fuzz::properties::spec_text(data);
});
