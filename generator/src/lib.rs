//! `lotinfo-codegen` turns an OpenAPI 3.0/3.1 document into a typed async Rust client crate.
//!
//! The pipeline runs in one direction: [`spec`] (parse) → [`ir`] (resolve and decide) → `emit`
//! (token streams) → [`render`] (format, header, files). [`generate`] runs all of it in memory on a
//! spec given as text, [`generate_file`] on a spec read from a file together with the files its
//! `$ref`s name; the command line, the drift check and the golden test call them.

pub mod diagnostics;
mod emit;
pub mod ir;
pub mod names;
pub mod pointer;
pub mod render;
pub mod spec;

use std::path::Path;

pub use diagnostics::{Diagnostic, Severity, SpecErrors};
pub use render::{GeneratedFiles, Options};

/// Generates the client crate for `spec_text`: every file, keyed by its path relative to the
/// crate's root, with the warnings met on the way. A `$ref` to another file is reported and left
/// out: [`generate_file`] loads them.
pub fn generate(
    spec_text: &str,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    on_large_stack(|| {
        check_crate_name(&options.crate_name)?;
        let document = spec::load(spec_text)?;
        generate_document(document, &spec::Sources::text(spec_text), options)
    })
}

/// The stack of the threads a generation runs on. Parsing and lowering recurse once per level of
/// the document (bounded by [`spec::MAX_DEPTH`]); in a debug build a deep document needs more
/// than the 2 MiB a spawned thread (a test, an async worker) gets. The memory is reserved, not
/// used, until needed.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs `work` on a thread with a [`STACK_BYTES`] stack, so that no caller's stack size can turn
/// a deep spec into a stack overflow.
fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("lotinfo-codegen".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, work)
            .expect("the operating system starts a thread")
            .join()
            // A panic is a generator bug; it is passed on as it is.
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Generates the client crate for the spec at `path`, loading every file its `$ref`s name by a
/// relative path (in the spec's folder or below; URLs are not fetched). A diagnostic about a place
/// in a loaded file names that file ([`Diagnostic::file`]). Without such references, the same as
/// [`generate`] of the file's text.
pub fn generate_file(
    path: &Path,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    on_large_stack(|| generate_file_here(path, options))
}

fn generate_file_here(
    path: &Path,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    check_crate_name(&options.crate_name)?;
    let (document, sources) = spec::load_file(path)?;
    let bundled = !sources.loaded.is_empty();
    let in_their_files = |diagnostics: Vec<Diagnostic>| {
        if bundled {
            diagnostics
                .into_iter()
                .map(Diagnostic::in_its_file)
                .collect()
        } else {
            diagnostics
        }
    };
    match generate_document(document, &sources, options) {
        Ok((files, warnings)) => Ok((files, in_their_files(warnings))),
        Err(errors) => Err(SpecErrors {
            diagnostics: in_their_files(errors.diagnostics),
        }),
    }
}

/// Lowers the document and emits the crate. The document is dropped once the IR holds all it
/// needs, so its trees and the output never take memory at the same time.
fn generate_document(
    document: spec::Document,
    sources: &spec::Sources,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    let (api, warnings) = ir::lower(&document)?;
    drop(document);
    let files = emit_and_render(&api, sources, options).map_err(|message| SpecErrors {
        diagnostics: vec![Diagnostic::error(&pointer::Pointer::root(), message)],
    })?;
    Ok((files, warnings))
}

/// A formatted file (its path and text), or why it could not be formatted.
type RenderedFile = Result<(String, String), String>;

/// Stages 3 and 4, file by file on every core, the heaviest first: each file is emitted and
/// formatted on the thread that takes it (token streams never cross threads). The files are keyed by path, so the result
/// does not depend on which thread made which; of several failures, the first file's is reported.
fn emit_and_render(
    api: &ir::Api,
    sources: &spec::Sources,
    options: &Options,
) -> Result<GeneratedFiles, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let plans = emit::plan(api);
    let order = emit::work_order(&plans, api);
    let header = render::Header::new(sources, options);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                return done;
            };
            let plan = &plans[index];
            let file = emit::emit_file(*plan, api, options);
            done.push((index, render::render_file(file, &header)));
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(plans.len().div_ceil(8))
        .max(1);
    let mut results: Vec<(usize, RenderedFile)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .name("lotinfo-codegen".to_owned())
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, work)
                    .expect("the operating system starts a thread")
            })
            .collect();
        let mut results = work();
        for helper in helpers {
            // A panic on a helper thread is a generator bug; it is passed on as it is.
            results.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, file)| file).collect()
}

/// The pipeline one stage at a time, for benchmarks and tools that time or inspect a stage:
/// [`spec::load`] → [`ir::lower`] → [`stages::emit`] → [`stages::render`]. [`generate`] is these four
/// in a row.
pub mod stages {
    use crate::ir::Api;
    use crate::render::{GeneratedFiles, Options};
    use crate::spec::Sources;

    /// The token streams and texts of every file of a crate, before formatting.
    pub struct Emitted(Vec<crate::emit::EmittedFile>);

    /// Stage 3: the crate's files as token streams and texts.
    pub fn emit(api: &Api, options: &Options) -> Emitted {
        Emitted(crate::emit::emit(api, options))
    }

    /// Stage 4: formats every file and adds the `@generated` header. `Err` when a token stream
    /// does not parse as Rust (a generator bug).
    pub fn render(
        emitted: Emitted,
        sources: &Sources,
        options: &Options,
    ) -> Result<GeneratedFiles, String> {
        crate::render::render(emitted.0, sources, options)
    }
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
