//! What the generator's benchmarks share: the documents they measure and where they are.

use std::path::{Path, PathBuf};

/// The documents measured, by their path from the repository's root: the repository's spec, the
/// document shared for comparisons with progenitor (437 KB, beside the checkout) and the corpus's
/// three largest (2.5, 1.8 and 1.2 MB).
pub const DOCUMENTS: &[(&str, &str)] = &[
    ("lotinfo", "spec/lotinfo.yaml"),
    ("oxide", "../shared/bench-specs/oxide-nexus.json"),
    ("stripe", "tests/corpus/apisguru-stripe.com.json"),
    ("jira", "tests/corpus/apisguru-atlassian.com-jira.json"),
    ("codat", "tests/corpus/apisguru-codat.io-accounting.json"),
];

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The options of every benchmarked generation.
pub fn options() -> lotinfo_codegen::Options {
    lotinfo_codegen::Options {
        crate_name: "bench-client".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_label: "bench".to_owned(),
        regenerate_command: "cargo bench".to_owned(),
    }
}
