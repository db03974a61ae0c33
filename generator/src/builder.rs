//! Generation from a build script ([`Builder`]): the whole client as one module of the
//! application's crate, written into `OUT_DIR`, so that no generated code is checked in.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::ir::Layout;
use crate::render::{self, Options};

/// Writes the client for a spec into a build script's `OUT_DIR` as one module.
///
/// In `main` of `build.rs` (the spec's path is relative to the package's `Cargo.toml`):
///
/// ```no_run
/// if let Err(error) = lotinfo_codegen::Builder::new("../spec/lotinfo.yaml")
///     .module_name("lotinfo")
///     .generate()
/// {
///     // The spec's diagnostics, each with its JSON pointer, then a failed build.
///     eprintln!("{error}");
///     std::process::exit(1);
/// }
/// ```
///
/// and at the root of the crate (`main.rs` or `lib.rs`):
///
/// ```ignore
/// include!(concat!(env!("OUT_DIR"), "/lotinfo.rs"));
/// ```
///
/// The included file is `pub mod lotinfo { … }`: the module's documentation and lint settings are
/// inner attributes, which an `include!`d file may hold only inside such braces. Its code names
/// its own items as `crate::lotinfo::…`, so it belongs at the crate's root.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    module_name: String,
    out_dir: Option<PathBuf>,
}

/// What [`Builder::generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The file written (or found already up to date): `<out_dir>/<module_name>.rs`.
    pub path: PathBuf,
    /// The files the generation read, the spec first and then each file its `$ref`s loaded, in
    /// path order: each is a `cargo:rerun-if-changed` line.
    pub rerun_if_changed: Vec<PathBuf>,
    /// The spec's warnings, each also a `cargo:warning` line.
    pub warnings: Vec<Diagnostic>,
}

/// Why [`Builder::generate`] wrote nothing. Its `Display` is what a build script prints before
/// it fails.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A setting of the builder cannot be used.
    #[error("lotinfo-codegen: `{key}`: {message}")]
    Config {
        /// The setting (`module_name`, `out_dir`).
        key: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The spec cannot be generated from: every diagnostic, each with its JSON pointer.
    #[error("lotinfo-codegen: cannot generate a client from {spec}:\n{errors}")]
    Spec {
        /// The spec's path, as given to [`Builder::new`].
        spec: String,
        /// Its diagnostics.
        errors: SpecErrors,
    },
    /// The generated file could not be written.
    #[error("lotinfo-codegen: cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// Cargo's instructions could not be written.
    #[error("lotinfo-codegen: cannot write Cargo's instructions: {0}")]
    Instructions(io::Error),
}

impl Builder {
    /// A builder for the spec at `spec`, a path relative to the build script's working folder
    /// (the package's root, where its `Cargo.toml` is). The module is named after the spec's file
    /// (`lotinfo.yaml` → `lotinfo`) unless [`module_name`](Self::module_name) says otherwise.
    pub fn new(spec: impl AsRef<Path>) -> Self {
        let spec = spec.as_ref().to_path_buf();
        let module_name = spec
            .file_stem()
            .map(|stem| crate::names::snake_name(&stem.to_string_lossy()))
            .unwrap_or_else(|| "api".to_owned());
        Builder {
            spec,
            module_name,
            out_dir: None,
        }
    }

    /// The name of the generated module, and of its file `<name>.rs`: a lowercase identifier.
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module_name = name.into();
        self
    }

    /// The folder to write into, instead of the `OUT_DIR` Cargo gives a build script.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates and writes the module, printing Cargo's instructions (`cargo:rerun-if-changed`
    /// for the spec and every file it loaded, `cargo:warning` for the spec's warnings) on
    /// standard output, where a build script's instructions go.
    pub fn generate(self) -> Result<Generated, BuildError> {
        self.generate_to(&mut io::stdout().lock())
    }

    /// [`generate`](Self::generate), writing Cargo's instructions into `instructions`. The
    /// spec's `rerun-if-changed` line comes first, before the spec is read, so that a build that
    /// fails on a bad spec runs again when the spec changes.
    pub fn generate_to(self, instructions: &mut dyn Write) -> Result<Generated, BuildError> {
        rerun_if_changed(instructions, &self.spec)?;
        if !crate::names::is_module_name(&self.module_name) {
            return Err(BuildError::Config {
                key: "module_name",
                message: format!(
                    "`{}` is not a module name: use lowercase ASCII letters, digits and `_`, \
                     not starting with a digit, and not a keyword",
                    self.module_name
                ),
            });
        }
        let out_dir = match self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        {
            Some(dir) => dir,
            None => {
                return Err(BuildError::Config {
                    key: "out_dir",
                    message: "OUT_DIR is not set (outside a build script, call `out_dir(…)`)"
                        .to_owned(),
                })
            }
        };
        let spec_errors = |errors| BuildError::Spec {
            spec: self.spec.display().to_string(),
            errors,
        };
        let (path, text, warnings, loaded) =
            crate::on_large_stack(|| self.render()).map_err(spec_errors)?;

        let spec_dir = self.spec.parent().unwrap_or(Path::new(""));
        let mut read = vec![self.spec.clone()];
        for file in loaded {
            let file = spec_dir.join(&file);
            rerun_if_changed(instructions, &file)?;
            read.push(file);
        }
        for warning in &warnings {
            // One line per warning: Cargo reads an instruction to the end of its line.
            let text = warning.to_string();
            let text = text.strip_prefix("warning: ").unwrap_or(&text);
            let line = text.replace(['\r', '\n'], " ");
            writeln!(instructions, "cargo:warning={line}").map_err(BuildError::Instructions)?;
        }

        let mut writer = render::files::Writer::new(&out_dir);
        writer
            .file(&path, &text)
            .map_err(|source| BuildError::Write {
                path: out_dir.join(&path).display().to_string(),
                source,
            })?;
        Ok(Generated {
            path: out_dir.join(path),
            rerun_if_changed: read,
            warnings,
        })
    }

    /// Stages 1 to 4 for the module: its file name and text, the warnings, and the loaded files
    /// (relative to the spec's folder).
    fn render(&self) -> Result<(String, String, Vec<Diagnostic>, Vec<String>), SpecErrors> {
        // The configuration beside the spec, as for the command line; Cargo watches it too.
        let config = crate::Config::beside(&self.spec, crate::config::FILE_NAME)?;
        let (mut api, warnings, mut sources) = crate::read_and_lower(&self.spec, &config.settings)?;
        sources.config.clone_from(&config.text);
        api.layout = Layout::Module {
            modules: vec![self.module_name.clone()],
        };
        let internal = |message: String| SpecErrors {
            diagnostics: vec![Diagnostic::error(&crate::pointer::Pointer::root(), message)],
        };
        let file = crate::emit::emit_module_file(&api).map_err(internal)?;
        let header = render::Header::new(&sources, &self.options());
        let (path, text) = render::render_file(file, &header).map_err(internal)?;
        let mut loaded: Vec<String> = sources.loaded.into_keys().collect();
        if config.text.is_some() {
            loaded.push(crate::config::FILE_NAME.to_owned());
        }
        Ok((path, text, warnings, loaded))
    }

    /// The header's settings: the spec named by its file name alone, so that the output does not
    /// depend on where the package is.
    fn options(&self) -> Options {
        let label = self
            .spec
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        Options {
            spec_label: label,
            regenerate_command: "cargo build".to_owned(),
            ..Options::default()
        }
    }
}

/// Writes `cargo:rerun-if-changed=<path>`.
fn rerun_if_changed(instructions: &mut dyn Write, path: &Path) -> Result<(), BuildError> {
    writeln!(instructions, "cargo:rerun-if-changed={}", path.display())
        .map_err(BuildError::Instructions)
}
