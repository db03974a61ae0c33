//! Problems found in a spec: each names its place (a JSON pointer, and a line where the parser knows it).

use std::fmt;

use crate::pointer::Pointer;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The construct was degraded (for instance to `serde_json::Value`); the crate is still generated.
    Warning,
    /// The spec cannot be turned into a crate.
    Error,
}

/// One problem at one place in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file it is in, relative to the root document's folder, when that is a file the root
    /// document's `$ref`s loaded; `None` for the root document.
    pub file: Option<String>,
    /// Where in the document (in `file`, when there is one) it is.
    pub pointer: Pointer,
    /// The 1-based line and column, where the parser reports them.
    pub location: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, where there is an obvious fix.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            pointer: pointer.clone(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `pointer`: something was degraded or ignored.
    pub fn warning(pointer: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(pointer, message)
        }
    }

    /// The same diagnostic in `file` (a file the root document's `$ref`s loaded).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The same diagnostic placed in the loaded file its pointer leads into, when it points into
    /// one (`#/x-bundled/schemas~1pet.yaml/properties/id` → `schemas/pet.yaml`, `#/properties/id`).
    pub fn in_its_file(self) -> Self {
        match self.pointer.split_file() {
            Some((file, pointer)) => Diagnostic { pointer, ..self }.in_file(file),
            None => self,
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let file = self.file.as_deref().unwrap_or_default();
        write!(f, "{level}: {file}{}: {}", self.pointer, self.message)?;
        if let Some((line, column)) = self.location {
            write!(f, " (line {line}, column {column})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
    }
}

/// The problems that stopped a generation: at least one of them is an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecErrors {
    /// Every problem found, errors and warnings, in document order of discovery.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}
