//! Golden fixtures: each `fixtures/NAME.yaml` (`.json` for one written as JSON, or, for a spec split over several files,
//! `fixtures/NAME/openapi.yaml`, with the `codegen.toml` beside it if there is one) exercises one family of OpenAPI constructs; the crate the
//! generator makes of it is checked in under `golden/NAME/` (a workspace member, so clippy with
//! `-D warnings` compiles it) and its diagnostics under `fixtures/NAME.diagnostics`. Fixtures are
//! generated from their files, as the command line does.
//!
//! The test lives in the generator's package, which does not depend on the golden crates, so it
//! can rewrite them even when they do not compile.
//!
//! After a deliberate change, regenerate with `UPDATE_GOLDEN=1 cargo test -p lotinfo-codegen --test
//! golden`, then review the diff: golden files are the generator's output, never hand-written.

use lotinfo_codegen::render::files::{self, Drift};
use lotinfo_codegen::{generate_file, Options};
fn repo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Each fixture's name and its spec, relative to `tests/fixtures/`.
const FIXTURES: &[(&str, &str)] = &[
    ("bodies", "bodies.yaml"),
    ("config", "config/openapi.yaml"),
    ("enums", "enums.yaml"),
    ("examples", "examples.yaml"),
    ("formats", "formats.json"),
    ("multifile", "multifile/openapi.yaml"),
    ("naming", "naming.yaml"),
    ("objects", "objects.yaml"),
    ("operations", "operations.yaml"),
    ("pagination", "pagination.yaml"),
    ("requests", "requests.yaml"),
    ("security", "security.yaml"),
    ("shapes", "shapes.yaml"),
    ("time", "time/openapi.yaml"),
    ("unions", "unions.yaml"),
    ("validation", "validation.yaml"),
];

fn options(name: &str, spec: &str) -> Options {
    Options {
        crate_name: format!("golden-{name}"),
        crate_version: "0.0.0".to_owned(),
        spec_label: format!("tests/fixtures/{spec}"),
        regenerate_command: "UPDATE_GOLDEN=1 cargo test -p lotinfo-codegen --test golden"
            .to_owned(),
    }
}

#[test]
fn every_fixture_matches_its_golden_crate_and_diagnostics() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, spec) in FIXTURES {
        let spec_path = repo_root().join("tests/fixtures").join(spec);
        let (generated, warnings) = generate_file(&spec_path, &options(name, spec))
            .unwrap_or_else(|errors| panic!("fixture {name} must generate:\n{errors}"));
        let diagnostics: String = warnings.iter().map(|w| format!("{w}\n")).collect();
        let diagnostics_path = repo_root().join(format!("tests/fixtures/{name}.diagnostics"));
        let out_dir = repo_root().join(format!("tests/golden/{name}"));
        if update {
            files::write(&generated, &out_dir).expect("golden crate is writable");
            std::fs::write(&diagnostics_path, &diagnostics).expect("diagnostics are writable");
            continue;
        }
        for drift in files::compare(&generated, &out_dir).expect("golden crate is readable") {
            let detail = match drift.drift {
                Drift::Changed(diff) => diff,
                Drift::Missing => "missing".to_owned(),
                Drift::Stale => "stale".to_owned(),
            };
            failures.push(format!("tests/golden/{name}/{}: {detail}", drift.path));
        }
        let expected = std::fs::read_to_string(&diagnostics_path).unwrap_or_default();
        if expected != diagnostics {
            failures.push(format!(
                "tests/fixtures/{name}.diagnostics differs:\n--- expected\n{expected}+++ actual\n{diagnostics}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "golden output drifted; after reviewing, run `UPDATE_GOLDEN=1 cargo test -p lotinfo-codegen --test golden`:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_golden_crate_is_a_workspace_member() {
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).expect("root manifest");
    assert!(
        manifest.contains("\"tests/golden/*\""),
        "the golden crates must be compiled by the workspace's clippy run"
    );
    for (name, _) in FIXTURES {
        assert!(
            repo_root()
                .join(format!("tests/golden/{name}/Cargo.toml"))
                .is_file(),
            "golden/{name} exists"
        );
    }
}
