//! Helpers shared by the workspace's integration tests (the `[[test]]` targets of this package).

use std::path::PathBuf;

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The text of the repository's spec, `spec/lotinfo.yaml`.
pub fn lotinfo_spec() -> String {
    std::fs::read_to_string(repo_root().join("spec/lotinfo.yaml"))
        .expect("spec/lotinfo.yaml is readable")
}

/// The spec parsed as plain YAML, to read its examples.
pub fn lotinfo_spec_value() -> serde_json::Value {
    serde_yaml::from_str(&lotinfo_spec()).expect("spec/lotinfo.yaml is valid YAML")
}

/// The top-level `README.md`'s Rust examples, compiled as doctests so that they follow the
/// generated crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
