//! `lotinfo-codegen` turns an OpenAPI 3.0/3.1 document into a typed async Rust client crate.
//!
//! The pipeline runs in one direction: [`spec`] (parse) → [`ir`] (resolve and decide) → `emit`
//! (token streams) → [`render`] (format, header, files). [`generate`] runs all of it in memory on a
//! spec given as text, [`generate_file`] on a spec read from a file together with the files its
//! `$ref`s name; the command line, the drift check and the golden test call them. [`Builder`] is
//! the build-script mode: the whole client as one module, written into `OUT_DIR`.

#[cfg(feature = "mimalloc")]
pub mod allocator;
mod builder;
pub mod config;
pub mod diagnostics;
mod emit;
pub mod ir;
pub mod names;
pub mod pointer;
pub mod render;
mod schedule;
pub mod spec;
pub mod surface;

use std::path::Path;

pub use builder::{BuildError, Builder, Generated};
pub use config::Config;
pub use diagnostics::{Diagnostic, Severity, SpecErrors};
pub use render::{GeneratedFiles, Options};

/// Generates the client crate for `spec_text`: every file, keyed by its path relative to the
/// crate's root, with the warnings met on the way. A `$ref` to another file is reported and left
/// out: [`generate_file`] loads them.
pub fn generate(
    spec_text: &str,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    generate_configured(spec_text, options, &Config::default())
}

/// [`generate`] with a configuration (see [`config`]): its crate name and version take the place
/// of the options', and the header's hash covers its text.
pub fn generate_configured(
    spec_text: &str,
    options: &Options,
    config: &Config,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    let options = &config.apply(options);
    check_crate_name(&options.crate_name)?;
    let (api, warnings) =
        on_large_stack(|| lower_and_release(spec::load(spec_text)?, &config.settings))?;
    let mut sources = spec::Sources::text(spec_text);
    sources.config.clone_from(&config.text);
    collected(|sink| emit_into(&api, &sources, options, sink)).map(|(files, ())| (files, warnings))
}

/// Runs a generation that hands its files to a sink, collecting them.
fn collected<T>(
    generation: impl FnOnce(
        &mut dyn FnMut(String, String) -> Result<(), std::convert::Infallible>,
    ) -> Result<T, Failure<std::convert::Infallible>>,
) -> Result<(GeneratedFiles, T), SpecErrors> {
    let mut files = GeneratedFiles::new();
    let outcome = generation(&mut |path, text| {
        files.insert(path, text);
        Ok(())
    });
    match outcome {
        Ok(result) => Ok((files, result)),
        Err(Failure::Spec(errors)) => Err(errors),
        Err(Failure::Sink(never)) => match never {},
    }
}

/// Why a generation that hands its files to a sink ([`generate_file_each`]) stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure<E> {
    /// The spec cannot be generated from: its diagnostics.
    #[error("{0}")]
    Spec(SpecErrors),
    /// The sink refused a file: its error.
    #[error("a generated file could not be taken: {0}")]
    Sink(E),
}

/// The stack of the threads a generation runs on. Parsing and lowering recurse once per level of
/// the document (bounded by [`spec::MAX_DEPTH`]); in a debug build a deep document needs more
/// than the 2 MiB a spawned thread (a test, an async worker) gets. The memory is reserved, not
/// used, until needed.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs `work` on a thread with a [`STACK_BYTES`] stack, so that no caller's stack size can turn
/// a deep spec into a stack overflow.
pub(crate) fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| joined_result(spawn_with_large_stack(scope, work)))
}

/// Starts `work` on a thread of `scope` with a [`STACK_BYTES`] stack.
fn spawn_with_large_stack<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    std::thread::Builder::new()
        .name("lotinfo-codegen".to_owned())
        .stack_size(STACK_BYTES)
        .spawn_scoped(scope, work)
        .expect("the operating system starts a thread")
}

/// What a thread returned. A panic on it is a generator bug; it is passed on as it is.
fn joined_result<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// `work` of every item, in order, with the items split into one run of them per core: the
/// first run on this thread, the others each on a thread of its own with a [`STACK_BYTES`]
/// stack. For a whole-API pass whose items do not depend on each other.
pub(crate) fn map_on_every_core<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Below a few hundred items a thread costs more than it saves.
    let run = items.len().div_ceil(threads).max(256);
    let mut runs = items.chunks(run);
    let Some(first) = runs.next() else {
        return Vec::new();
    };
    let work = &work;
    std::thread::scope(|scope| {
        let others: Vec<_> = runs
            .map(|items| {
                spawn_with_large_stack(scope, move || items.iter().map(work).collect::<Vec<R>>())
            })
            .collect();
        let mut results: Vec<R> = first.iter().map(work).collect();
        for other in others {
            results.extend(joined_result(other));
        }
        results
    })
}

/// Generates the client crate for the spec at `path`, loading every file its `$ref`s name by a
/// relative path (in the spec's folder or below; URLs are not fetched). A diagnostic about a place
/// in a loaded file names that file ([`Diagnostic::file`]). The configuration is the
/// [`config::FILE_NAME`] in the spec's folder, when there is one ([`Config::beside`]). Without
/// such references and such a file, the same as [`generate`] of the file's text.
pub fn generate_file(
    path: &Path,
    options: &Options,
) -> Result<(GeneratedFiles, Vec<Diagnostic>), SpecErrors> {
    collected(|sink| generate_file_each(path, options, sink))
}

/// [`generate_file`], handing each file to `sink` (its path relative to the crate's root, and its
/// text) as soon as it is formatted, in no set order, rather than holding the whole crate: the
/// command line writes or compares each file at once, so the output never sits in memory whole.
/// Returns the warnings. The first error of `sink` stops the generation; the spec's errors are
/// found before any file is made, but a file that fails to format (a generator bug) is reported
/// after the others were handed over. The configuration is the one beside the spec, as for
/// [`generate_file`].
pub fn generate_file_each<E>(
    path: &Path,
    options: &Options,
    sink: impl FnMut(String, String) -> Result<(), E>,
) -> Result<Vec<Diagnostic>, Failure<E>> {
    let config = Config::beside(path, config::FILE_NAME).map_err(Failure::Spec)?;
    generate_file_each_configured(path, options, &config, sink)
}

/// [`generate_file_each`] with the configuration given rather than looked for beside the spec.
pub fn generate_file_each_configured<E>(
    path: &Path,
    options: &Options,
    config: &Config,
    sink: impl FnMut(String, String) -> Result<(), E>,
) -> Result<Vec<Diagnostic>, Failure<E>> {
    let prepared = prepare_file_configured(path, config).map_err(Failure::Spec)?;
    prepared.emit_each(options, sink)?;
    Ok(prepared.warnings)
}

/// A spec read and lowered (stages 1 and 2) with its configuration, ready to be emitted, once or
/// more, and to tell the public API of the crate it makes before any file is made: the command
/// line decides the crate's version from it (`generate --bump`).
#[derive(Debug)]
pub struct Prepared {
    api: ir::Api,
    warnings: Vec<Diagnostic>,
    sources: spec::Sources,
    config: Config,
}

/// Reads the spec at `path` with the files its `$ref`s name and the configuration beside it, and
/// lowers it, as [`generate_file`] does before it emits.
pub fn prepare_file(path: &Path) -> Result<Prepared, SpecErrors> {
    let config = Config::beside(path, config::FILE_NAME)?;
    prepare_file_configured(path, &config)
}

/// [`prepare_file`] with the configuration given rather than looked for beside the spec.
pub fn prepare_file_configured(path: &Path, config: &Config) -> Result<Prepared, SpecErrors> {
    let (api, warnings, mut sources) = on_large_stack(|| read_and_lower(path, &config.settings))?;
    sources.config.clone_from(&config.text);
    Ok(Prepared {
        api,
        warnings,
        sources,
        config: config.clone(),
    })
}

impl Prepared {
    /// The warnings met reading and lowering the spec.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The public API of the crate the spec makes: what its `public-api.txt` holds.
    pub fn surface(&self) -> surface::Surface {
        emit::surface::surface(&self.api)
    }

    /// The configuration it was prepared with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The options as the configuration amends them (its crate name and version).
    pub fn options(&self, options: &Options) -> Options {
        self.config.apply(options)
    }

    /// Stages 3 and 4, handing each file to `sink` as [`generate_file_each`] does; the
    /// configuration's crate name and version take the place of those of `options`.
    pub fn emit_each<E>(
        &self,
        options: &Options,
        sink: impl FnMut(String, String) -> Result<(), E>,
    ) -> Result<(), Failure<E>> {
        let options = &self.config.apply(options);
        check_crate_name(&options.crate_name).map_err(Failure::Spec)?;
        emit_into(&self.api, &self.sources, options, sink)
    }
}

/// Stages 1 and 2 for the spec at `path` with `config`: the IR [`generate_file`] emits from, and
/// the warnings (naming the loaded files they are in). For tools that look into the generator's
/// decisions, such as the command line's `explain`.
pub fn lower_file(path: &Path, config: &Config) -> Result<(ir::Api, Vec<Diagnostic>), SpecErrors> {
    on_large_stack(|| read_and_lower(path, &config.settings))
        .map(|(api, warnings, _)| (api, warnings))
}

/// Stages 1 and 2 for the spec at `path`: the IR, the warnings (naming their files), and every
/// text read.
pub(crate) fn read_and_lower(
    path: &Path,
    settings: &ir::Settings,
) -> Result<(ir::Api, Vec<Diagnostic>, spec::Sources), SpecErrors> {
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
    match lower_and_release(document, settings) {
        Ok((api, warnings)) => Ok((api, in_their_files(warnings), sources)),
        Err(errors) => Err(SpecErrors {
            diagnostics: in_their_files(errors.diagnostics),
        }),
    }
}

/// Stage 2, during which the document is dropped and, with mimalloc, the memory it held given back
/// (see [`release_freed_memory`]) as soon as nothing reads it, so that its trees and the output
/// never take memory together.
fn lower_and_release(
    document: spec::Document,
    settings: &ir::Settings,
) -> Result<(ir::Api, Vec<Diagnostic>), SpecErrors> {
    ir::lower_with_then_release(document, settings, |document| {
        drop(document);
        release_freed_memory();
    })
}

/// Stages 3 and 4 into `sink`; a file that does not format is an internal error at the root.
fn emit_into<E>(
    api: &ir::Api,
    sources: &spec::Sources,
    options: &Options,
    sink: impl FnMut(String, String) -> Result<(), E>,
) -> Result<(), Failure<E>> {
    emit_and_render(api, sources, options, sink).map_err(|failure| match failure {
        RenderFailure::Format(message) => Failure::Spec(SpecErrors {
            diagnostics: vec![Diagnostic::error(&pointer::Pointer::root(), message)],
        }),
        RenderFailure::Sink(error) => Failure::Sink(error),
    })
}

/// A formatted file (its path and text), or why it could not be formatted.
type RenderedFile = Result<(String, String), String>;

/// Why [`emit_and_render`] stopped.
enum RenderFailure<E> {
    /// A file did not format (a generator bug): why.
    Format(String),
    /// The sink refused a file.
    Sink(E),
}

/// Stages 3 and 4, file by file on every core, the heaviest first and the heavy ones one at a
/// time (`schedule.rs`): each file is emitted and formatted on the thread that takes it (token
/// streams never cross threads), then handed to `sink` on this thread, which does nothing else,
/// a few files at a time ([`Batch`]). Every file is made even when one fails to format, so that
/// the failure reported (the first file's, in plan order) does not depend on the scheduling; the
/// sink gets no file after a failure, and its own error stops the work.
fn emit_and_render<E>(
    api: &ir::Api,
    sources: &spec::Sources,
    options: &Options,
    mut sink: impl FnMut(String, String) -> Result<(), E>,
) -> Result<(), RenderFailure<E>> {
    let plans = emit::plan(api);
    let work = emit::work_order(&plans, api);
    let schedule = schedule::Schedule::new(&work.order, |index| work.heavy[index]);
    let header = render::Header::new(sources, options);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(plans.len().div_ceil(8))
        .max(1);
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<Vec<(usize, RenderedFile)>>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                let (plans, header, schedule) = (&plans, &header, &schedule);
                let work = move || {
                    let mut batch = Batch::default();
                    while let Some(taken) = schedule.take() {
                        let file = emit::emit_file(plans[taken.index], api, options);
                        let rendered = render::render_file(file, header);
                        let index = taken.index;
                        // The next heavy file may start while this one is handed over.
                        drop(taken);
                        if let Some(full) = batch.add(index, rendered) {
                            if sender.send(full).is_err() {
                                return;
                            }
                        }
                    }
                    // Nothing is left to make: the last files go as they are.
                    let _ = sender.send(batch.files);
                };
                spawn_with_large_stack(scope, work)
            })
            .collect();
        drop(sender);
        let mut format_failure: Option<(usize, String)> = None;
        let mut sink_error: Option<E> = None;
        for (index, rendered) in receiver.into_iter().flatten() {
            match rendered {
                Ok((path, text)) => {
                    if format_failure.is_none() && sink_error.is_none() {
                        if let Err(error) = sink(path, text) {
                            sink_error = Some(error);
                            schedule.stop();
                        }
                    }
                }
                Err(message) => {
                    if !matches!(&format_failure, Some((first, _)) if *first < index) {
                        format_failure = Some((index, message));
                    }
                }
            }
        }
        for worker in workers {
            joined_result(worker);
        }
        match (sink_error, format_failure) {
            (Some(error), _) => Err(RenderFailure::Sink(error)),
            (None, Some((_, message))) => Err(RenderFailure::Format(message)),
            (None, None) => Ok(()),
        }
    })
}

/// Files an emitting thread has made and not yet handed over. They go to the sink's thread a
/// few at a time rather than one by one: that thread sleeps between hand-overs, and waking it for
/// each of Stripe's 1,300 files took a context switch each on a machine whose cores are all
/// emitting.
#[derive(Default)]
struct Batch {
    files: Vec<(usize, RenderedFile)>,
    bytes: usize,
}

impl Batch {
    /// How many files, or how many bytes of text, make a batch go: small enough that the files
    /// waiting take no memory to speak of (a heavy file goes at once), large enough that the
    /// sink's thread wakes a tenth as often.
    const FILES: usize = 8;
    const BYTES: usize = 256 * 1024;

    /// Adds a made file; the whole batch when it is full.
    fn add(&mut self, index: usize, rendered: RenderedFile) -> Option<Vec<(usize, RenderedFile)>> {
        self.bytes += rendered.as_ref().map_or(0, |(_, text)| text.len());
        self.files.push((index, rendered));
        if self.files.len() < Self::FILES && self.bytes < Self::BYTES {
            return None;
        }
        self.bytes = 0;
        Some(std::mem::take(&mut self.files))
    }
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
    if valid_crate_name(name) {
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

/// Whether Cargo accepts `name` as a package name and Rust can name it.
pub(crate) fn valid_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Gives the memory this thread has freed back to the operating system, when mimalloc is the
/// allocator (feature `mimalloc`). Called once the document is dropped: mimalloc keeps a thread's
/// freed pages for that thread, so the emitting threads would otherwise take new memory beside
/// them, and the peak would be the document and the output together.
fn release_freed_memory() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: `mi_collect` takes no pointer; it returns mimalloc's free pages to the system.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn map_on_every_core_keeps_the_items_order() {
        let items: Vec<u32> = (0..1_000).collect();
        let doubled = super::map_on_every_core(&items, |n| n * 2);
        assert_eq!(doubled, (0..1_000).map(|n| n * 2).collect::<Vec<u32>>());
        assert!(super::map_on_every_core(&[] as &[u32], |n| *n).is_empty());
    }

    fn lotinfo_spec() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/lotinfo.yaml")
    }

    /// The emitting threads hand their files over in batches; every file still reaches the sink
    /// once, and the crate is the one `generate_file` makes.
    #[test]
    fn every_file_reaches_the_sink_once() {
        let options = crate::Options::default();
        let mut handed = std::collections::BTreeMap::new();
        let mut twice = Vec::new();
        crate::generate_file_each(&lotinfo_spec(), &options, |path, text| {
            if let Some(_earlier) = handed.insert(path.clone(), text) {
                twice.push(path);
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .expect("generates");
        assert!(twice.is_empty(), "handed over twice: {twice:?}");
        let (whole, _) = crate::generate_file(&lotinfo_spec(), &options).expect("generates");
        assert_eq!(handed, whole);
    }

    /// The sink's first error stops the generation: the error is returned, and no file is handed
    /// over after it, though the emitting threads had more made.
    #[test]
    fn the_sinks_first_error_stops_the_generation() {
        let mut calls = 0;
        let outcome =
            crate::generate_file_each(&lotinfo_spec(), &crate::Options::default(), |_, _| {
                calls += 1;
                if calls == 3 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            });
        assert!(matches!(outcome, Err(crate::Failure::Sink("disk full"))));
        assert_eq!(calls, 3);
    }
}
