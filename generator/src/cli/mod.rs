//! The command line: its arguments (clap, with examples and exit codes in `--help`), and the
//! three commands: `generate` writes the crate, `check` compares it, `explain` says where an
//! item comes from.

mod color;
mod explain;
mod locate;
mod output;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use lotinfo_codegen::render::files;
use lotinfo_codegen::{generate_file_each, lower_file, Failure, Options};
use serde_json::json;

use color::ColorWhen;
use output::{MessageFormat, Outcome, Output};

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
    Generate(Paths),
    /// Generate in memory and compare with --out: exit 0 when identical, 1 with a diff otherwise.
    #[command(after_help = check_help())]
    Check(Paths),
    /// Print where in the spec a generated item comes from, and what was decided about it.
    #[command(after_help = explain_help())]
    Explain(ExplainArgs),
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

#[derive(Args)]
struct ExplainArgs {
    /// A generated item: a type (`AddClientsRequest`), a field or variant
    /// (`AddClientsRequest::data`), or a method (`Client::add_clients`); a leading crate or
    /// module path (`lotinfo_client::models::`) is ignored.
    item: String,
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
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
        Command::Generate(paths) => ("generate", &paths.spec),
        Command::Check(paths) => ("check", &paths.spec),
        Command::Explain(explain) => ("explain", &explain.spec),
    };
    let output = Output::new(args.message_format, args.quiet, args.color, spec);
    let (outcome, extra) = match &cli.command {
        Command::Generate(paths) => run(&output, paths, false),
        Command::Check(paths) => run(&output, paths, true),
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

/// Generates and compares (`check`) or writes (`generate`) each file as soon as it is made, so
/// the crate is never held in memory whole. The outcome, and the counts for the summary.
fn run(output: &Output, paths: &Paths, check_only: bool) -> (Outcome, serde_json::Value) {
    let options = options_for(paths);
    let result = if check_only {
        let mut comparison = files::Comparison::new(&paths.out);
        if let Err(outcome) = generate(output, paths, &options, |path, text| {
            comparison.file(&path, &text)
        }) {
            return (outcome, json!({}));
        }
        comparison
            .finish()
            .map(|drifts| report_drift(output, paths, &drifts, &options))
    } else {
        let mut writer = files::Writer::new(&paths.out);
        if let Err(outcome) = generate(output, paths, &options, |path, text| {
            writer.file(&path, &text)
        }) {
            return (outcome, json!({}));
        }
        writer.finish().map(|report| {
            for path in &report.written {
                output.file(&paths.out, path, "wrote");
            }
            for path in &report.removed {
                output.file(&paths.out, path, "removed");
            }
            if report.written.is_empty() && report.removed.is_empty() {
                output.note(&format!("{} is up to date", paths.out.display()));
            }
            (
                Outcome::Success,
                json!({"written": report.written.len(), "removed": report.removed.len()}),
            )
        })
    };
    result.unwrap_or_else(|error| (io_error(output, paths, &error), json!({})))
}

/// Generates into `sink` and prints the warnings, or the outcome of the failure.
fn generate(
    output: &Output,
    paths: &Paths,
    options: &Options,
    sink: impl FnMut(String, String) -> std::io::Result<()>,
) -> Result<(), Outcome> {
    match generate_file_each(&paths.spec, options, sink) {
        Ok(warnings) => {
            output.diagnostics(&warnings);
            Ok(())
        }
        Err(Failure::Spec(errors)) => {
            output.diagnostics(&errors.diagnostics);
            Err(Outcome::SpecError)
        }
        Err(Failure::Sink(error)) => Err(io_error(output, paths, &error)),
    }
}

fn io_error(output: &Output, paths: &Paths, error: &std::io::Error) -> Outcome {
    output.error(&format!("{}: {error}", paths.out.display()), &[]);
    Outcome::IoError
}

fn report_drift(
    output: &Output,
    paths: &Paths,
    drifts: &[files::FileDrift],
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
    let (api, warnings) = match lower_file(&args.spec) {
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
    if paths.crate_name != DEFAULT_CRATE {
        command.push_str(&format!(" --crate-name {}", paths.crate_name));
    }
    Options {
        crate_name: paths.crate_name.clone(),
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
    output::portable(&relative)
}
