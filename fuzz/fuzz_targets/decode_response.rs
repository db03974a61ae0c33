#![no_main]
//! See `lotinfo_fuzz::properties::decode_response`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = lotinfo_fuzz::properties::decode_response(data);
});
