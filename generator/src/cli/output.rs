//! Everything the command line prints, in one of two formats: text for people (diagnostics and
//! notes on stderr, diffs and explanations on stdout, coloured or not) or JSON lines on stdout,
//! one object per diagnostic, drifted file, written file or explanation, and a summary last (the
//! schema is in README.md, "Machine-readable output").

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use lotinfo_codegen::render::files::{Drift, FileDrift};
use lotinfo_codegen::{Diagnostic, Severity};
use serde_json::{json, Value};

use super::color::{self, ColorWhen};
use super::explain::Explanation;
use super::locate::Locator;

/// `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// Text for people.
    Human,
    /// One JSON object per line on stdout, for editors and CI annotations.
    Json,
}

/// What a run ended with: its exit code and how the summary names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Generated, in sync, or explained.
    Success,
    /// `check`: the folder differs from what the spec makes.
    Drift,
    /// `explain`: no such item.
    UnknownItem,
    /// The spec cannot be read or generated from.
    SpecError,
    /// The output folder cannot be read or written.
    IoError,
}

impl Outcome {
    /// The process's exit code (README.md, "Exit codes").
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Drift | Outcome::UnknownItem => 1,
            Outcome::SpecError => 2,
            Outcome::IoError => 3,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Drift => "drift",
            Outcome::UnknownItem => "unknown-item",
            Outcome::SpecError => "spec-error",
            Outcome::IoError => "io-error",
        }
    }
}

/// The printer of one run.
pub struct Output {
    format: MessageFormat,
    quiet: bool,
    stdout_color: bool,
    stderr_color: bool,
    /// The spec, as given: diagnostics name it, and the files it loaded by their place beside it.
    spec: PathBuf,
    /// The spec's files, read when a place must be found in one (`None`: unreadable).
    texts: RefCell<BTreeMap<PathBuf, Option<Locator>>>,
    /// The diagnostics printed, by severity: (errors, warnings).
    counts: RefCell<(usize, usize)>,
}

impl Output {
    /// A printer for a run on `spec`.
    pub fn new(format: MessageFormat, quiet: bool, color: ColorWhen, spec: &Path) -> Self {
        let decide = |terminal: bool| color::enabled(color, terminal, color::from_process);
        let json = format == MessageFormat::Json;
        Output {
            format,
            quiet,
            stdout_color: !json && decide(std::io::stdout().is_terminal()),
            stderr_color: !json && decide(std::io::stderr().is_terminal()),
            spec: spec.to_path_buf(),
            texts: RefCell::new(BTreeMap::new()),
            counts: RefCell::new((0, 0)),
        }
    }

    fn json(&self) -> bool {
        self.format == MessageFormat::Json
    }

    /// The file a diagnostic is in, as a path from the working directory.
    fn file_of(&self, file: Option<&str>) -> PathBuf {
        match file {
            Some(file) => self.spec.parent().unwrap_or(Path::new("")).join(file),
            None => self.spec.clone(),
        }
    }

    /// The line and column of `pointer` in `file`, when it can be found in its text.
    fn place(
        &self,
        file: &Path,
        pointer: &lotinfo_codegen::pointer::Pointer,
    ) -> Option<(usize, usize)> {
        let mut texts = self.texts.borrow_mut();
        let locator = texts
            .entry(file.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(file).ok().map(Locator::new));
        locator.as_ref()?.locate(&pointer.segments())
    }

    /// Prints diagnostics (warnings only without `--quiet`), each with its line where the parser
    /// gave one or the text shows it.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        for diagnostic in diagnostics {
            let error = diagnostic.severity == Severity::Error;
            {
                let mut counts = self.counts.borrow_mut();
                if error {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
            if self.quiet && !error {
                continue;
            }
            let file = self.file_of(diagnostic.file.as_deref());
            let location = diagnostic
                .location
                .or_else(|| self.place(&file, &diagnostic.pointer));
            if self.json() {
                let (line, column) = location.unzip();
                self.line(&json!({
                    "type": "diagnostic",
                    "severity": if error { "error" } else { "warning" },
                    "file": portable(&file),
                    "pointer": diagnostic.pointer.to_string(),
                    "line": line,
                    "column": column,
                    "message": diagnostic.message,
                    "hint": diagnostic.hint,
                }));
            } else {
                to_stderr(human_diagnostic(
                    &self.spec,
                    diagnostic,
                    location,
                    self.stderr_color,
                ));
            }
        }
    }

    /// An error that is not about the spec (the output folder, the item asked for).
    pub fn error(&self, message: &str, suggestions: &[String]) {
        self.counts.borrow_mut().0 += 1;
        if self.json() {
            self.line(&json!({
                "type": "error",
                "message": message,
                "suggestions": suggestions,
            }));
        } else {
            let level = color::paint(self.stderr_color, color::ERROR, "error");
            eprintln!("{level}: {message}");
            if !suggestions.is_empty() {
                let names: Vec<String> = suggestions
                    .iter()
                    .map(|s| color::paint(self.stderr_color, color::NOTE, s))
                    .collect();
                eprintln!("close names: {}", names.join(", "));
            }
        }
    }

    /// A note on progress (`wrote …`, `… is up to date`); not printed with `--quiet`, nor as JSON.
    pub fn note(&self, message: &str) {
        if !self.quiet && !self.json() {
            eprintln!("{message}");
        }
    }

    /// A file `generate` wrote or removed (`action`), under the output folder `out`.
    pub fn file(&self, out: &Path, path: &str, action: &str) {
        if self.quiet {
            return;
        }
        if self.json() {
            self.line(&json!({
                "type": "file",
                "path": portable(&out.join(path)),
                "action": action,
            }));
        } else {
            to_stderr(format!("{action} {}", out.join(path).display()));
        }
    }

    /// A file `check` found drifted: its diff (coloured on a terminal), or a line saying it is
    /// missing or stale. With `--quiet`, as text, nothing: the summary line says it.
    pub fn drift(&self, out: &Path, drift: &FileDrift) {
        if self.json() {
            let (kind, diff) = match &drift.drift {
                Drift::Changed(diff) => ("changed", Some(diff.as_str())),
                Drift::Missing => ("missing", None),
                Drift::Stale => ("stale", None),
            };
            self.line(&json!({
                "type": "drift",
                "path": portable(&out.join(&drift.path)),
                "kind": kind,
                "diff": if self.quiet { None } else { diff },
            }));
            return;
        }
        if self.quiet {
            return;
        }
        let text = match &drift.drift {
            Drift::Changed(diff) => color::diff(self.stdout_color, diff),
            Drift::Missing => format!(
                "missing: {} (the spec produces it; it is not on disk)\n",
                drift.path
            ),
            Drift::Stale => format!(
                "stale: {} (generated earlier; the spec no longer produces it)\n",
                drift.path
            ),
        };
        print_out(&text);
    }

    /// What a drift means for the crate's users (after the diffs): the API changes and the
    /// version bump they need. Not printed with `--quiet` as text.
    pub fn api_changes(&self, report: &super::versions::ApiReport) {
        if self.json() {
            self.line(&report.to_json());
        } else if !self.quiet {
            print_out(&report.to_text());
        }
    }

    /// What `explain` found, with the file and line of its origin where the text shows them.
    pub fn explanation(&self, explanation: &Explanation) {
        let (file, pointer) = match explanation.origin.split_file() {
            Some((file, pointer)) => (self.file_of(Some(&file)), pointer),
            None => (self.spec.clone(), explanation.origin.clone()),
        };
        let location = self.place(&file, &pointer);
        if self.json() {
            let (line, column) = location.unzip();
            self.line(&json!({
                "type": "explanation",
                "item": explanation.item,
                "kind": explanation.kind,
                "rust_type": explanation.rust_type,
                "file": portable(&file),
                "pointer": pointer.to_string(),
                "line": line,
                "column": column,
                "generated_file": explanation.generated_file,
                "decisions": explanation.decisions,
            }));
            return;
        }
        let colored = self.stdout_color;
        let mut text = format!(
            "{} {}",
            explanation.kind,
            color::paint(colored, color::NOTE, &explanation.item)
        );
        if let Some(ty) = &explanation.rust_type {
            text.push_str(&format!(": {ty}"));
        }
        text.push('\n');
        let mut from = format!(
            "  from {}",
            color::paint(colored, color::PLACE, &pointer.to_string())
        );
        match location {
            Some((line, column)) => {
                from.push_str(&format!(" ({}:{line}:{column})", portable(&file)));
            }
            None => from.push_str(&format!(" (in {})", portable(&file))),
        }
        text.push_str(&from);
        text.push('\n');
        if let Some(generated) = &explanation.generated_file {
            text.push_str(&format!("  generated into {generated}\n"));
        }
        for decision in &explanation.decisions {
            text.push_str(&format!("  - {decision}\n"));
        }
        print_out(&text);
    }

    /// The last line of a JSON run: the command, how it ended, and what was counted. Text runs
    /// print no summary.
    pub fn summary(&self, command: &str, outcome: Outcome, extra: Value) {
        if !self.json() {
            return;
        }
        let (errors, warnings) = *self.counts.borrow();
        let mut summary = json!({
            "type": "summary",
            "command": command,
            "outcome": outcome.name(),
            "exit_code": outcome.code(),
            "errors": errors,
            "warnings": warnings,
        });
        if let (Some(summary), Value::Object(extra)) = (summary.as_object_mut(), extra) {
            summary.extend(extra);
        }
        self.line(&summary);
    }

    /// One JSON object on a line of stdout.
    fn line(&self, value: &Value) {
        print_out(&format!("{value}\n"));
    }
}

/// `spec: error: file#/pointer: message (line L, column C); hint: …`: `spec: ` and what
/// [`Diagnostic`]'s `Display` writes, with `location` where the diagnostic has none, coloured.
fn human_diagnostic(
    spec: &Path,
    diagnostic: &Diagnostic,
    location: Option<(usize, usize)>,
    colored: bool,
) -> String {
    let level = match diagnostic.severity {
        Severity::Error => color::paint(colored, color::ERROR, "error"),
        Severity::Warning => color::paint(colored, color::WARNING, "warning"),
    };
    let place = format!(
        "{}{}",
        diagnostic.file.as_deref().unwrap_or_default(),
        diagnostic.pointer
    );
    let mut text = format!(
        "{}: {level}: {}: {}",
        spec.display(),
        color::paint(colored, color::PLACE, &place),
        diagnostic.message
    );
    if let Some((line, column)) = diagnostic.location.or(location) {
        text.push_str(&format!(" (line {line}, column {column})"));
    }
    if let Some(hint) = &diagnostic.hint {
        text.push_str(&format!(
            "; {}: {hint}",
            color::paint(colored, color::NOTE, "hint")
        ));
    }
    text
}

/// Writes to stdout; a closed pipe (`… | head`) is not an error worth a panic.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// A path as `/`-separated text.
pub fn portable(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes `line` and a newline to stderr in one call: `eprintln!` writes each piece of its format
/// apart, on an unbuffered stream, so Stripe's 1,300 `wrote …` lines were some 5,000 system
/// calls on the thread that writes the files. A failed write is ignored: stderr is where it
/// would be reported.
fn to_stderr(mut line: String) {
    line.push('\n');
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use lotinfo_codegen::pointer::Pointer;
    use lotinfo_codegen::Diagnostic;

    use super::human_diagnostic;

    #[test]
    fn a_plain_diagnostic_reads_as_its_display() {
        let at = Pointer::root().join("paths").join("/a");
        let cases = [
            Diagnostic::error(&at, "broken").with_hint("fix it"),
            Diagnostic::warning(&at, "degraded").in_file("schemas/pet.yaml"),
            Diagnostic {
                location: Some((3, 4)),
                ..Diagnostic::error(&at, "located")
            },
        ];
        for diagnostic in cases {
            assert_eq!(
                human_diagnostic(Path::new("spec/x.yaml"), &diagnostic, None, false),
                format!("spec/x.yaml: {diagnostic}")
            );
        }
        // A place found in the text is written where the parser's would be.
        let found = human_diagnostic(
            Path::new("x.yaml"),
            &Diagnostic::error(&at, "m").with_hint("h"),
            Some((7, 9)),
            false,
        );
        assert_eq!(
            found,
            "x.yaml: error: #/paths/~1a: m (line 7, column 9); hint: h"
        );
        let coloured = human_diagnostic(
            Path::new("x.yaml"),
            &Diagnostic::warning(&at, "m"),
            None,
            true,
        );
        assert!(coloured.contains("\u{1b}[33mwarning"), "{coloured:?}");
    }
}
