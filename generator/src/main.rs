//! The `lotinfo-codegen` command line: `generate` writes the client crate, `check` says whether the
//! checked-in crate is what the spec makes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lotinfo_codegen::config::{self, Config};
use lotinfo_codegen::render::files::{self, Drift};
use lotinfo_codegen::{generate_file_each_configured, Diagnostic, Failure, Options};

/// Exit code: the spec cannot be read or turned into a crate.
const EXIT_SPEC_ERROR: u8 = 2;
/// Exit code: the output folder cannot be read or written.
const EXIT_IO_ERROR: u8 = 3;

/// Generation allocates many small, short-lived values (tokens, syntax nodes, strings); mimalloc
/// serves them faster than the system allocator and returns memory with less fragmentation across
/// the emitting threads (see docs/performance.md). It is built without transparent huge pages
/// (feature `no_thp`): with them the kernel zeroed and kept whole 2 MiB pages, doubling the peak
/// memory and spending a sixth of the time in page clearing.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_SPEC: &str = "spec/lotinfo.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_CRATE: &str = "lotinfo-client";

/// Generates a typed async Rust client crate from an OpenAPI 3.0/3.1 document.
#[derive(Parser)]
#[command(
    version,
    about,
    after_help = "Exit codes: 0 success (in sync), 1 drift (check), 2 spec error, 3 I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the crate into --out, writing only files that changed and removing stale ones.
    #[command(
        after_help = "Example:\n  lotinfo-codegen generate --spec spec/lotinfo.yaml --out generated-client"
    )]
    Generate(Paths),
    /// Generate in memory and compare with --out: exit 0 when identical, 1 with a diff otherwise.
    #[command(
        after_help = "Example:\n  lotinfo-codegen check --spec spec/lotinfo.yaml --out generated-client"
    )]
    Check(Paths),
}

#[derive(Args)]
struct Paths {
    /// The OpenAPI document (YAML or JSON); files its `$ref`s name by relative path are loaded too.
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The folder of the generated crate.
    #[arg(long, default_value = DEFAULT_OUT)]
    out: PathBuf,
    /// The package name of the generated crate [default: the configuration's `[crate] name`, else
    /// lotinfo-client].
    #[arg(long)]
    crate_name: Option<String>,
    /// The configuration file (TOML, see docs/extensions.md) [default: codegen.toml in the spec's
    /// folder, when there is one].
    #[arg(long)]
    config: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(paths) => run(&paths, false),
        Command::Check(paths) => run(&paths, true),
    }
}

/// Generates and compares (`check`) or writes (`generate`) each file as soon as it is made, so
/// the crate is never held in memory whole.
fn run(paths: &Paths, check_only: bool) -> ExitCode {
    let options = options_for(paths);
    let config = match read_config(paths) {
        Ok(config) => config,
        Err(errors) => {
            print_diagnostics(&paths.spec, &errors.diagnostics);
            return ExitCode::from(EXIT_SPEC_ERROR);
        }
    };
    let config = &config;
    let result = if check_only {
        let mut comparison = files::Comparison::new(&paths.out);
        if let Err(code) = generate(paths, &options, config, |path, text| {
            comparison.file(&path, &text)
        }) {
            return code;
        }
        comparison
            .finish()
            .map(|drifts| report_drift(&drifts, &options))
    } else {
        let mut writer = files::Writer::new(&paths.out);
        if let Err(code) = generate(paths, &options, config, |path, text| {
            writer.file(&path, &text)
        }) {
            return code;
        }
        writer.finish().map(|report| {
            for path in &report.written {
                eprintln!("wrote {}", paths.out.join(path).display());
            }
            for path in &report.removed {
                eprintln!("removed {}", paths.out.join(path).display());
            }
            if report.written.is_empty() && report.removed.is_empty() {
                eprintln!("{} is up to date", paths.out.display());
            }
            ExitCode::SUCCESS
        })
    };
    result.unwrap_or_else(|error| io_error(paths, &error))
}

/// Generates into `sink` and prints the warnings, or the exit code of the failure.
fn generate(
    paths: &Paths,
    options: &Options,
    config: &Config,
    sink: impl FnMut(String, String) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    match generate_file_each_configured(&paths.spec, options, config, sink) {
        Ok(warnings) => {
            print_diagnostics(&paths.spec, &warnings);
            Ok(())
        }
        Err(Failure::Spec(errors)) => {
            print_diagnostics(&paths.spec, &errors.diagnostics);
            Err(ExitCode::from(EXIT_SPEC_ERROR))
        }
        Err(Failure::Sink(error)) => Err(io_error(paths, &error)),
    }
}

fn io_error(paths: &Paths, error: &std::io::Error) -> ExitCode {
    eprintln!("error: {}: {error}", paths.out.display());
    ExitCode::from(EXIT_IO_ERROR)
}

fn print_diagnostics(spec: &Path, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{}: {diagnostic}", spec.display());
    }
}

fn report_drift(drifts: &[files::FileDrift], options: &Options) -> ExitCode {
    if drifts.is_empty() {
        return ExitCode::SUCCESS;
    }
    for drift in drifts {
        match &drift.drift {
            Drift::Changed(diff) => print!("{diff}"),
            Drift::Missing => println!(
                "missing: {} (the spec produces it; it is not on disk)",
                drift.path
            ),
            Drift::Stale => println!(
                "stale: {} (generated earlier; the spec no longer produces it)",
                drift.path
            ),
        }
    }
    eprintln!(
        "error: {} file(s) differ from what the spec makes; run `{}` and commit the result",
        drifts.len(),
        options.regenerate_command
    );
    ExitCode::from(1)
}

/// The configuration `--config` names, or the one beside the spec; a `--crate-name` given
/// overrides its `[crate] name`.
fn read_config(paths: &Paths) -> Result<Config, lotinfo_codegen::SpecErrors> {
    let mut config = match &paths.config {
        Some(path) => Config::read(path, &portable(path))?,
        None => {
            let beside = paths
                .spec
                .parent()
                .unwrap_or_else(|| Path::new(""))
                .join(config::FILE_NAME);
            Config::beside(&paths.spec, &portable(&beside))?
        }
    };
    if paths.crate_name.is_some() {
        config.crate_name = None;
    }
    Ok(config)
}

/// Options whose header text is the same on every machine: the spec is named by a relative path.
fn options_for(paths: &Paths) -> Options {
    let mut command = String::from("cargo run -p lotinfo-codegen -- generate");
    if paths.spec != Path::new(DEFAULT_SPEC) {
        command.push_str(&format!(" --spec {}", portable(&paths.spec)));
    }
    if paths.out != Path::new(DEFAULT_OUT) {
        command.push_str(&format!(" --out {}", portable(&paths.out)));
    }
    if let Some(config) = &paths.config {
        command.push_str(&format!(" --config {}", portable(config)));
    }
    if let Some(name) = &paths.crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    Options {
        crate_name: paths
            .crate_name
            .clone()
            .unwrap_or_else(|| DEFAULT_CRATE.to_owned()),
        crate_version: "0.1.0".to_owned(),
        spec_label: portable(&paths.spec),
        regenerate_command: command,
    }
}

/// A path as `/`-separated text, relative to the working directory where possible, otherwise just
/// the file name.
fn portable(path: &Path) -> String {
    let relative = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or_default()))
    } else {
        path.to_path_buf()
    };
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
