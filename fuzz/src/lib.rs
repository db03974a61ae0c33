//! The properties of the fuzz targets (`fuzz_targets/`), in one module that `tests/fuzz_smoke.rs`
//! also includes, so that CI's bounded run checks the same code.

pub mod properties;
