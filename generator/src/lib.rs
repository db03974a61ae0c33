//! `lotinfo-codegen` turns an OpenAPI 3.0/3.1 document into a typed async Rust client crate.
//!
//! The pipeline runs in one direction: [`spec`] (parse) → [`ir`] (resolve and decide) → `emit`
//! (token streams) → [`render`] (format, header, files). [`generate`] runs all of it in memory; the
//! command line and the drift check call it.

pub mod diagnostics;
mod emit;
pub mod ir;
pub mod names;
pub mod pointer;
pub mod render;
pub mod spec;

pub use diagnostics::{Diagnostic, Severity, SpecErrors};
pub use render::{GeneratedFiles, Options};

/// Generates the client crate for `spec_text`: every file, keyed by its path relative to the
/// crate's root, with the warnings met on the way.
pub fn generate(
    spec_text: &str,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    check_crate_name(&options.crate_name)?;
    let document = spec::load(spec_text)?;
    let (api, warnings) = ir::lower(&document)?;
    let crate_tokens = emit::emit(&api, options);
    let files = render::render(crate_tokens, spec_text, options).map_err(|message| SpecErrors {
        diagnostics: vec![Diagnostic::error(&pointer::Pointer::root(), message)],
    })?;
    Ok((files, warnings))
}

/// A package name Cargo accepts and Rust can name: ASCII letters, digits, `-` and `_`, starting
/// with a letter.
fn check_crate_name(name: &str) -> Result<(), SpecErrors> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(SpecErrors {
            diagnostics: vec![Diagnostic::error(
                &pointer::Pointer::root(),
                format!("`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"),
            )],
        })
    }
}
