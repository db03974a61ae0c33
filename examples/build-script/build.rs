//! Generates the lotinfo client from the repository's spec into `OUT_DIR` on every build whose
//! spec changed; `src/lib.rs` includes it.

fn main() {
    // A build script runs in its package's folder, so the path is relative to `Cargo.toml`.
    let generated = lotinfo_codegen::Builder::new("../../spec/lotinfo.yaml")
        .module_name("lotinfo")
        .generate();
    if let Err(error) = generated {
        // The diagnostics, each with its JSON pointer, then a failed build.
        eprintln!("{error}");
        std::process::exit(1);
    }
}
