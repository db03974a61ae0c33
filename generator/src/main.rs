//! The `lotinfo-codegen` command line: `generate` writes the client crate, `check` says whether the
//! checked-in crate is what the spec makes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lotinfo_codegen::render::files::{self, Drift};
use lotinfo_codegen::surface::{self, ApiDiff, Level, Surface, SURFACE_FILE};
use lotinfo_codegen::{prepare_file, Diagnostic, Failure, Options, Prepared};

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
/// The version of a crate generated for the first time.
const FIRST_VERSION: &str = "0.1.0";
/// The release notes `generate --bump` appends to, beside the generated files.
const CHANGELOG: &str = "CHANGELOG.md";

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
        after_help = "Example:\n  lotinfo-codegen generate --spec spec/lotinfo.yaml --out generated-client --bump"
    )]
    Generate(GenerateArgs),
    /// Generate in memory and compare with --out: exit 0 when identical, 1 with a diff and a
    /// report of the API changes (and the version bump they need) otherwise.
    #[command(
        after_help = "Example:\n  lotinfo-codegen check --spec spec/lotinfo.yaml --out generated-client"
    )]
    Check(Paths),
}

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    paths: Paths,
    /// Set the crate's version to the one its changes need (from the version in --out's
    /// Cargo.toml and the API in its public-api.txt) and append them to its CHANGELOG.md.
    #[arg(long)]
    bump: bool,
}

#[derive(Args)]
struct Paths {
    /// The OpenAPI document (YAML or JSON); files its `$ref`s name by relative path are loaded too.
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The folder of the generated crate.
    #[arg(long, default_value = DEFAULT_OUT)]
    out: PathBuf,
    /// The package name of the generated crate.
    #[arg(long, default_value = DEFAULT_CRATE)]
    crate_name: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(args) => generate(&args.paths, args.bump),
        Command::Check(paths) => check(&paths),
    }
}

/// What the checked-in crate says of itself: its version and its public API.
struct OnDisk {
    /// The `version` of its `Cargo.toml`; [`FIRST_VERSION`] without one.
    version: String,
    /// Its `public-api.txt`: `None` when there is none, `Err` when it does not read.
    surface: Option<Result<Surface, surface::ParseError>>,
}

impl OnDisk {
    fn read(out: &Path) -> std::io::Result<OnDisk> {
        let version = files::read(out, "Cargo.toml")?
            .and_then(|manifest| package_version(&manifest))
            .unwrap_or_else(|| FIRST_VERSION.to_owned());
        let surface = files::read(out, SURFACE_FILE)?.map(|text| Surface::parse(&text));
        Ok(OnDisk { version, surface })
    }

    /// The API changes from the crate on disk to `surface`, when the disk has a readable
    /// surface; otherwise why there is no report.
    fn changes(&self, surface: &Surface) -> Result<ApiDiff, String> {
        match &self.surface {
            Some(Ok(old)) => Ok(surface::diff(old, surface)),
            Some(Err(error)) => Err(format!("its {SURFACE_FILE} does not read ({error})")),
            None => Err(format!("it has no {SURFACE_FILE} to compare with")),
        }
    }
}

/// The `version = "…"` of a manifest's `[package]` table.
fn package_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(value) = line.strip_prefix("version") {
                let value = value.trim_start().strip_prefix('=')?.trim();
                return Some(value.trim_matches('"').to_owned());
            }
        }
    }
    None
}

/// Reads what the crate on disk says of itself and prepares the spec: the options (with the
/// crate's version kept), that, and the prepared spec; or the exit code of the failure.
fn prepare(paths: &Paths) -> Result<(Options, OnDisk, Prepared), ExitCode> {
    let mut options = options_for(paths);
    let on_disk = OnDisk::read(&paths.out).map_err(|error| io_error(paths, &error))?;
    options.crate_version = on_disk.version.clone();
    let prepared = prepare_file(&paths.spec).map_err(|errors| {
        print_diagnostics(&paths.spec, &errors.diagnostics);
        ExitCode::from(EXIT_SPEC_ERROR)
    })?;
    print_diagnostics(&paths.spec, prepared.warnings());
    Ok((options, on_disk, prepared))
}

/// `check`: compares each file as soon as it is made, so the crate is never held in memory
/// whole, then prints the diffs and the report of API changes.
fn check(paths: &Paths) -> ExitCode {
    let (options, on_disk, prepared) = match prepare(paths) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let mut comparison = files::Comparison::new(&paths.out);
    if let Err(code) = emit(paths, &prepared, &options, |path, text| {
        comparison.file(&path, &text)
    }) {
        return code;
    }
    let drifts = match comparison.finish() {
        Ok(drifts) => drifts,
        Err(error) => return io_error(paths, &error),
    };
    if drifts.is_empty() {
        return ExitCode::SUCCESS;
    }
    print_drift(&drifts);
    let others_changed = drifts.iter().any(|drift| drift.path != SURFACE_FILE);
    print!(
        "{}",
        api_report(
            &on_disk,
            &prepared.surface(),
            others_changed,
            &options.regenerate_command
        )
    );
    eprintln!(
        "error: {} file(s) differ from what the spec makes; run `{}` and commit the result",
        drifts.len(),
        options.regenerate_command
    );
    ExitCode::from(1)
}

/// `generate`: writes each file as soon as it is made. With `bump`, then sets the version the
/// changes need and appends them to the changelog.
fn generate(paths: &Paths, bump: bool) -> ExitCode {
    let (mut options, on_disk, prepared) = match prepare(paths) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let report = match write(paths, &prepared, &options) {
        Ok(report) => report,
        Err(code) => return code,
    };
    if report.written.is_empty() && report.removed.is_empty() {
        eprintln!("{} is up to date", paths.out.display());
    }
    if !bump {
        return ExitCode::SUCCESS;
    }
    let changes = match on_disk.changes(&prepared.surface()) {
        Ok(changes) => changes,
        Err(why) => {
            eprintln!(
                "not bumped: {why}; the version stays {}",
                options.crate_version
            );
            return ExitCode::SUCCESS;
        }
    };
    let others_changed = report
        .written
        .iter()
        .chain(&report.removed)
        .any(|path| path != SURFACE_FILE);
    let Some(level) = needed_level(&changes, others_changed) else {
        eprintln!(
            "not bumped: nothing changed; the version stays {}",
            options.crate_version
        );
        return ExitCode::SUCCESS;
    };
    let previous = options.crate_version.clone();
    let Some(next) = surface::next_version(&previous, level) else {
        eprintln!(
            "error: {}: the version `{previous}` is not MAJOR.MINOR.PATCH, so it cannot be bumped",
            paths.out.join("Cargo.toml").display()
        );
        return ExitCode::from(EXIT_IO_ERROR);
    };
    options.crate_version = next.clone();
    if let Err(code) = write(paths, &prepared, &options) {
        return code;
    }
    let first = format!(
        "# Changelog\n\nThe versions of `{}`, each with what changed for its users; `lotinfo-codegen \
         generate --bump` appends them.\n",
        options.crate_name
    );
    let entry = changelog_entry(&next, level, &changes, &options.spec_label);
    if let Err(error) = files::append(&paths.out, CHANGELOG, &first, &entry) {
        return io_error(paths, &error);
    }
    eprintln!(
        "bumped {} {previous} -> {next} ({level}); see {}",
        options.crate_name,
        paths.out.join(CHANGELOG).display()
    );
    ExitCode::SUCCESS
}

/// Writes the crate with `options`, printing what was written and removed.
fn write(
    paths: &Paths,
    prepared: &Prepared,
    options: &Options,
) -> Result<files::WriteReport, ExitCode> {
    let mut writer = files::Writer::new(&paths.out);
    emit(paths, prepared, options, |path, text| {
        writer.file(&path, &text)
    })?;
    let report = writer.finish().map_err(|error| io_error(paths, &error))?;
    for path in &report.written {
        eprintln!("wrote {}", paths.out.join(path).display());
    }
    for path in &report.removed {
        eprintln!("removed {}", paths.out.join(path).display());
    }
    Ok(report)
}

/// Emits the prepared spec into `sink`; the exit code of the failure.
fn emit(
    paths: &Paths,
    prepared: &Prepared,
    options: &Options,
    sink: impl FnMut(String, String) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    match prepared.emit_each(options, sink) {
        Ok(()) => Ok(()),
        Err(Failure::Spec(errors)) => {
            print_diagnostics(&paths.spec, &errors.diagnostics);
            Err(ExitCode::from(EXIT_SPEC_ERROR))
        }
        Err(Failure::Sink(error)) => Err(io_error(paths, &error)),
    }
}

/// The bump the changes need: the API's, or a patch when only other files changed (documentation,
/// validation, what is sent).
fn needed_level(changes: &ApiDiff, others_changed: bool) -> Option<Level> {
    changes.level().or(others_changed.then_some(Level::Patch))
}

/// What `check` says of the API changes: each, and the bump they need.
fn api_report(
    on_disk: &OnDisk,
    surface: &Surface,
    others_changed: bool,
    regenerate: &str,
) -> String {
    let changes = match on_disk.changes(surface) {
        Ok(changes) => changes,
        Err(why) => return format!("API changes: not known: {why}.\n"),
    };
    let mut report = String::new();
    if changes.changes.is_empty() {
        report.push_str("API changes: none; the public API is the same.\n");
    } else {
        report.push_str(&format!(
            "API changes ({SURFACE_FILE} on disk -> what the spec makes now):\n"
        ));
        for change in &changes.changes {
            report.push_str(&format!("  {:<5}  {change}\n", change.level.word()));
        }
    }
    let Some(level) = needed_level(&changes, others_changed) else {
        return report;
    };
    let breaking = if changes.is_breaking() {
        "breaking"
    } else {
        "not breaking"
    };
    let version = &on_disk.version;
    let next = surface::next_version(version, level)
        .map(|next| format!("{version} -> {next}"))
        .unwrap_or_else(|| format!("{version} is not MAJOR.MINOR.PATCH"));
    report.push_str(&format!(
        "Semver: {breaking}; needs a {level} bump: {version_change}. `{regenerate} --bump` sets it and appends the changes to {CHANGELOG}.\n",
        version_change = next,
    ));
    report
}

/// The changelog's entry for version `version`.
fn changelog_entry(version: &str, level: Level, changes: &ApiDiff, spec: &str) -> String {
    let what = match level {
        Level::Major => "breaking changes",
        Level::Minor => "additions",
        Level::Patch => "no change to the public API",
    };
    let mut entry = format!("\n## {version}\n\nGenerated from `{spec}`: {what}.\n\n");
    if changes.changes.is_empty() {
        entry.push_str("- the generated code changed (documentation, validation or what is sent), not its API\n");
    }
    for change in &changes.changes {
        entry.push_str(&format!("- {}: {change}\n", change.level));
    }
    entry
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

fn print_drift(drifts: &[files::FileDrift]) {
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
    if paths.crate_name != DEFAULT_CRATE {
        command.push_str(&format!(" --crate-name {}", paths.crate_name));
    }
    Options {
        crate_name: paths.crate_name.clone(),
        crate_version: FIRST_VERSION.to_owned(),
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
