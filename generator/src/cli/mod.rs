//! The command line: its arguments (clap, with examples and exit codes in `--help`), and the
//! three commands: `generate` writes the crate, `check` compares it, `explain` says where an
//! item comes from.

mod color;
mod explain;
mod locate;
mod output;
mod versions;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use lotinfo_codegen::config::{self, Config};
use lotinfo_codegen::render::files;
use lotinfo_codegen::surface::SURFACE_FILE;
use lotinfo_codegen::{
    lower_file, prepare_file_configured, Failure, Options, Prepared, SpecErrors,
};
use serde_json::json;

use color::ColorWhen;
use output::{MessageFormat, Outcome, Output};
use versions::{ApiReport, OnDisk};

const DEFAULT_SPEC: &str = "spec/lotinfo.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_CRATE: &str = "lotinfo-client";

/// The exit codes, as `--help` lists them.
const EXIT_CODES: &str = "  0  success: generated, in sync (check), or the item was found (explain)
  1  check: the output folder differs from what the spec makes; explain: no such item
  2  the spec cannot be read or generated from (each problem is printed with its JSON pointer),
     or the command line itself is wrong
  3  the output folder cannot be read or written";

/// `--help`'s closing sections: `examples`, then the exit codes.
fn after_help(examples: &str) -> String {
    let heading = anstyle::Style::new().bold().underline();
    format!(
        "{heading}Examples:{heading:#}\n{examples}\n\n{heading}Exit codes:{heading:#}\n{EXIT_CODES}"
    )
}

fn top_help() -> String {
    after_help(
        "  Regenerate the checked-in client after editing the spec:
    lotinfo-codegen generate
  Fail CI when the client differs from the spec, with diagnostics as JSON lines:
    lotinfo-codegen check --message-format json
  Say which place in the spec a generated item comes from:
    lotinfo-codegen explain AddClientsRequest::data",
    )
}

fn generate_help() -> String {
    after_help(
        "  lotinfo-codegen generate
  lotinfo-codegen generate --spec api/openapi.yaml --out crates/api-client --crate-name api-client
  lotinfo-codegen generate --bump             # set the version the API changes need, add to CHANGELOG.md
  lotinfo-codegen generate --quiet            # print errors only",
    )
}

fn check_help() -> String {
    after_help(
        "  lotinfo-codegen check
  lotinfo-codegen check --color always | less -R
  lotinfo-codegen check --quiet --message-format json   # errors and drifted files, no diffs",
    )
}

fn explain_help() -> String {
    after_help(
        "  lotinfo-codegen explain AddClientsRequest              # a type
  lotinfo-codegen explain AddClientsRequest::data     # a field
  lotinfo-codegen explain ClientCategory::Client         # an enum variant
  lotinfo-codegen explain Client::add_clients            # an operation's method
  lotinfo-codegen explain Client::add_clients --message-format json",
    )
}

/// Generates a typed async Rust client crate from an OpenAPI 3.0/3.1 document.
#[derive(Parser)]
#[command(version, about, after_help = top_help())]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    output: OutputArgs,
}

/// How the results are printed; accepted before or after the subcommand.
#[derive(Args)]
struct OutputArgs {
    /// Colour diffs and diagnostics: `auto` colours a terminal, unless NO_COLOR or CI is set.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true, value_name = "WHEN")]
    color: ColorWhen,
    /// Print errors only: no warnings, diffs or progress notes (`explain` still prints the item,
    /// and JSON output still ends with its summary).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// `human` text, or `json`: one object per line on stdout (diagnostics, drifted and written
    /// files, explanations) and a summary object last.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, global = true, value_name = "FMT")]
    message_format: MessageFormat,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the crate into --out, writing only files that changed and removing stale ones.
    #[command(after_help = generate_help())]
    Generate(GenerateArgs),
    /// Generate in memory and compare with --out: exit 0 when identical, 1 with a diff and a
    /// report of the API changes (and the version bump they need) otherwise.
    #[command(after_help = check_help())]
    Check(Paths),
    /// Print where in the spec a generated item comes from, and what was decided about it.
    #[command(after_help = explain_help())]
    Explain(ExplainArgs),
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
    /// The package name of the generated crate [default: the configuration's `[crate] name`, else
    /// lotinfo-client].
    #[arg(long)]
    crate_name: Option<String>,
    /// The configuration file (TOML, see docs/extensions.md) [default: codegen.toml in the spec's
    /// folder, when there is one].
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    /// A generated item: a type (`AddClientsRequest`), a field or variant
    /// (`AddClientsRequest::data`), or a method (`Client::add_clients`); a leading crate or
    /// module path (`lotinfo_client::models::`) is ignored.
    item: String,
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The configuration file [default: codegen.toml in the spec's folder, when there is one].
    #[arg(long)]
    config: Option<PathBuf>,
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let command = Cli::command().color(help_color(std::env::args_os()));
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let args = &cli.output;
    let (name, spec) = match &cli.command {
        Command::Generate(args) => ("generate", &args.paths.spec),
        Command::Check(paths) => ("check", &paths.spec),
        Command::Explain(explain) => ("explain", &explain.spec),
    };
    let output = Output::new(args.message_format, args.quiet, args.color, spec);
    let (outcome, extra) = match &cli.command {
        Command::Generate(args) => generate(&output, &args.paths, args.bump),
        Command::Check(paths) => check(&output, paths),
        Command::Explain(explain) => run_explain(&output, explain),
    };
    output.summary(name, outcome, extra);
    ExitCode::from(outcome.code())
}

/// How clap colours `--help` and its usage errors, before the arguments are parsed: as
/// `--color` says (its last use), with `auto` decided as for diagnostics on stdout.
fn help_color(args: impl Iterator<Item = std::ffi::OsString>) -> clap::ColorChoice {
    let args: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
    let mut when = ColorWhen::Auto;
    for (index, arg) in args.iter().enumerate() {
        let value = match arg.strip_prefix("--color") {
            Some("") => args.get(index + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        when = match value {
            Some("always") => ColorWhen::Always,
            Some("never") => ColorWhen::Never,
            Some("auto") => ColorWhen::Auto,
            _ => when,
        };
    }
    match when {
        ColorWhen::Always => clap::ColorChoice::Always,
        ColorWhen::Never => clap::ColorChoice::Never,
        ColorWhen::Auto => {
            use std::io::IsTerminal;
            if color::enabled(when, std::io::stdout().is_terminal(), color::from_process) {
                clap::ColorChoice::Auto
            } else {
                clap::ColorChoice::Never
            }
        }
    }
}

/// Reads what the crate on disk says of itself and prepares the spec, printing its warnings:
/// the options (with the crate's version kept), that, and the prepared spec.
///
/// The prepared spec is leaked: a command prepares one spec and then ends, and the process's
/// exit gives its memory back at once, where dropping it would free each of its many small
/// allocations in turn (a measurable share of a large spec's run).
fn prepare(
    output: &Output,
    paths: &Paths,
) -> Result<(Options, OnDisk, &'static Prepared), Outcome> {
    let spec_error = |errors: SpecErrors| {
        output.diagnostics(&errors.diagnostics);
        Outcome::SpecError
    };
    let config = read_config(
        &paths.spec,
        paths.config.as_deref(),
        paths.crate_name.is_some(),
    )
    .map_err(spec_error)?;
    let mut options = options_for(paths);
    let on_disk = OnDisk::read(&paths.out).map_err(|error| io_error(output, paths, &error))?;
    options.crate_version = on_disk.version.clone();
    let prepared = prepare_file_configured(&paths.spec, &config).map_err(spec_error)?;
    output.diagnostics(prepared.warnings());
    // The configuration's crate name and version, where it sets them, over the command line's.
    let options = prepared.options(&options);
    Ok((options, on_disk, Box::leak(Box::new(prepared))))
}

/// The configuration `--config` names, or the one beside the spec; a `--crate-name` given
/// (`name_given`) overrides its `[crate] name`.
fn read_config(spec: &Path, named: Option<&Path>, name_given: bool) -> Result<Config, SpecErrors> {
    let mut config = match named {
        Some(path) => Config::read(path, &portable(path))?,
        None => {
            let beside = spec
                .parent()
                .unwrap_or_else(|| Path::new(""))
                .join(config::FILE_NAME);
            Config::beside(spec, &portable(&beside))?
        }
    };
    if name_given {
        config.crate_name = None;
    }
    Ok(config)
}

/// Emits the prepared spec into `sink`, each file as soon as it is made, so the crate is never
/// held in memory whole.
fn emit(
    output: &Output,
    paths: &Paths,
    prepared: &Prepared,
    options: &Options,
    sink: impl FnMut(String, String) -> std::io::Result<()>,
) -> Result<(), Outcome> {
    match prepared.emit_each(options, sink) {
        Ok(()) => Ok(()),
        Err(Failure::Spec(errors)) => {
            output.diagnostics(&errors.diagnostics);
            Err(Outcome::SpecError)
        }
        Err(Failure::Sink(error)) => Err(io_error(output, paths, &error)),
    }
}

/// `check`: compares each file with the folder, then prints the diffs and the report of API
/// changes. The outcome, and the counts for the summary.
fn check(output: &Output, paths: &Paths) -> (Outcome, serde_json::Value) {
    let (options, on_disk, prepared) = match prepare(output, paths) {
        Ok(prepared) => prepared,
        Err(outcome) => return (outcome, json!({})),
    };
    let mut comparison = files::Comparison::new(&paths.out);
    if let Err(outcome) = emit(output, paths, prepared, &options, |path, text| {
        comparison.file(&path, &text)
    }) {
        return (outcome, json!({}));
    }
    match comparison.finish() {
        Ok(drifts) => {
            let others_changed = drifts.iter().any(|drift| drift.path != SURFACE_FILE);
            let report = (!drifts.is_empty()).then(|| {
                ApiReport::new(
                    &on_disk,
                    &prepared.surface(),
                    others_changed,
                    &options.regenerate_command,
                )
            });
            report_drift(output, paths, &drifts, report.as_ref(), &options)
        }
        Err(error) => (io_error(output, paths, &error), json!({})),
    }
}

/// `generate`: writes each file as soon as it is made. With `bump`, then sets the version the
/// changes need and appends them to the changelog.
fn generate(output: &Output, paths: &Paths, bump: bool) -> (Outcome, serde_json::Value) {
    let (mut options, on_disk, prepared) = match prepare(output, paths) {
        Ok(prepared) => prepared,
        Err(outcome) => return (outcome, json!({})),
    };
    if bump && prepared.config().crate_version.is_some() {
        output.error(
            "the configuration sets `[crate] version`, so `--bump` cannot: remove it to let the \
             API changes decide the version",
            &[],
        );
        return (Outcome::SpecError, json!({}));
    }
    let report = match write(output, paths, prepared, &options) {
        Ok(report) => report,
        Err(outcome) => return (outcome, json!({})),
    };
    let mut counts = json!({"written": report.written.len(), "removed": report.removed.len()});
    if report.written.is_empty() && report.removed.is_empty() {
        output.note(&format!("{} is up to date", paths.out.display()));
    }
    if !bump {
        return (Outcome::Success, counts);
    }
    let changes = match on_disk.changes(&prepared.surface()) {
        Ok(changes) => changes,
        Err(why) => {
            output.note(&format!(
                "not bumped: {why}; the version stays {}",
                options.crate_version
            ));
            return (Outcome::Success, counts);
        }
    };
    let others_changed = report
        .written
        .iter()
        .chain(&report.removed)
        .any(|path| path != SURFACE_FILE);
    let Some(level) = versions::needed_level(&changes, others_changed) else {
        output.note(&format!(
            "not bumped: nothing changed; the version stays {}",
            options.crate_version
        ));
        return (Outcome::Success, counts);
    };
    let previous = options.crate_version.clone();
    let Some(next) = lotinfo_codegen::surface::next_version(&previous, level) else {
        output.error(
            &format!(
                "{}: the version `{previous}` is not MAJOR.MINOR.PATCH, so it cannot be bumped",
                paths.out.join("Cargo.toml").display()
            ),
            &[],
        );
        return (Outcome::IoError, counts);
    };
    options.crate_version = next.clone();
    if let Err(outcome) = write(output, paths, prepared, &options) {
        return (outcome, counts);
    }
    let entry = versions::changelog_entry(&next, level, &changes, &options.spec_label);
    let head = versions::changelog_head(&options.crate_name);
    if let Err(error) = files::append(&paths.out, versions::CHANGELOG, &head, &entry) {
        return (io_error(output, paths, &error), counts);
    }
    output.note(&format!(
        "bumped {} {previous} -> {next} ({level}); see {}",
        options.crate_name,
        paths.out.join(versions::CHANGELOG).display()
    ));
    if let Some(counts) = counts.as_object_mut() {
        counts.insert("version".to_owned(), json!(next));
        counts.insert("bump".to_owned(), json!(level.word()));
    }
    (Outcome::Success, counts)
}

/// Writes the crate with `options`, printing what was written and removed.
fn write(
    output: &Output,
    paths: &Paths,
    prepared: &Prepared,
    options: &Options,
) -> Result<files::WriteReport, Outcome> {
    let mut writer = files::Writer::new(&paths.out);
    emit(output, paths, prepared, options, |path, text| {
        writer.file(&path, &text)
    })?;
    let report = writer
        .finish()
        .map_err(|error| io_error(output, paths, &error))?;
    for path in &report.written {
        output.file(&paths.out, path, "wrote");
    }
    for path in &report.removed {
        output.file(&paths.out, path, "removed");
    }
    Ok(report)
}

fn io_error(output: &Output, paths: &Paths, error: &std::io::Error) -> Outcome {
    output.error(&format!("{}: {error}", paths.out.display()), &[]);
    Outcome::IoError
}

fn report_drift(
    output: &Output,
    paths: &Paths,
    drifts: &[files::FileDrift],
    report: Option<&ApiReport>,
    options: &Options,
) -> (Outcome, serde_json::Value) {
    let count = |kind: fn(&files::Drift) -> bool| drifts.iter().filter(|d| kind(&d.drift)).count();
    let counts = json!({
        "changed": count(|d| matches!(d, files::Drift::Changed(_))),
        "missing": count(|d| matches!(d, files::Drift::Missing)),
        "stale": count(|d| matches!(d, files::Drift::Stale)),
    });
    if drifts.is_empty() {
        return (Outcome::Success, counts);
    }
    for drift in drifts {
        output.drift(&paths.out, drift);
    }
    if let Some(report) = report {
        output.api_changes(report);
    }
    output.error(
        &format!(
            "{} file(s) differ from what the spec makes; run `{}` and commit the result",
            drifts.len(),
            options.regenerate_command
        ),
        &[],
    );
    (Outcome::Drift, counts)
}

/// `explain`: lowers the spec (errors are a spec error, as for the other commands) and prints
/// the item, or close names when there is no such item.
fn run_explain(output: &Output, args: &ExplainArgs) -> (Outcome, serde_json::Value) {
    let lowered = read_config(&args.spec, args.config.as_deref(), false)
        .and_then(|config| lower_file(&args.spec, &config));
    let (api, warnings) = match lowered {
        Ok(lowered) => lowered,
        Err(errors) => {
            output.diagnostics(&errors.diagnostics);
            return (Outcome::SpecError, json!({}));
        }
    };
    match explain::explain(&api, &warnings, &args.item) {
        Ok(explanation) => {
            output.explanation(&explanation);
            (Outcome::Success, json!({"item": explanation.item}))
        }
        Err(suggestions) => {
            output.error(
                &format!(
                    "`{}` is not an item of the crate {} makes",
                    args.item,
                    args.spec.display()
                ),
                &suggestions,
            );
            (Outcome::UnknownItem, json!({}))
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
        crate_version: versions::FIRST_VERSION.to_owned(),
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
    output::portable(&relative)
}
