//! What the configuration (`codegen.toml`, see [`crate::config`]) asks of the lowering: renames,
//! extra derives, which operations to generate and the client's defaults. Every value keeps the
//! place it was written, so that a value the lowering cannot honour is an error naming its key.

use indexmap::IndexMap;

use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;

/// The configuration's requests of the IR. The default asks nothing: the output is what the spec
/// alone makes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Component schema name (the key under `components/schemas`) → the Rust type name it takes.
    pub type_renames: IndexMap<String, Setting<String>>,
    /// `Type.property` (a generated type's Rust name, a property's JSON name) → the Rust field
    /// name it takes.
    pub field_renames: IndexMap<String, Setting<String>>,
    /// Derives added to every struct, enum and union, as Rust paths (checked to parse as one).
    pub derives: Vec<Setting<String>>,
    /// Which operations are generated.
    pub selection: Selection,
    /// The defaults of the generated `Client::config()`.
    pub client: ClientDefaults,
    /// Whether the crate has a blocking client behind its Cargo feature `blocking`.
    pub blocking: bool,
    /// The crate of `date` and `date-time` values.
    pub date_time: DateTimeCrate,
}

/// The crate of `date` and `date-time` values (`[formats] date_time`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateTimeCrate {
    /// `chrono`: `chrono::NaiveDate` and `chrono::DateTime<chrono::FixedOffset>`.
    #[default]
    Chrono,
    /// `time`: `time::Date` and the runtime's `DateTime`, a `time::OffsetDateTime` read and
    /// written as RFC 3339.
    Time,
}

/// Which operations are generated: those with a tag in `include_tags` (every operation when it is
/// `None`), less those with a tag in `exclude_tags` or an operationId in `exclude_operations`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Only operations with one of these tags.
    pub include_tags: Option<Vec<String>>,
    /// No operation with one of these tags.
    pub exclude_tags: Vec<String>,
    /// No operation with one of these operationIds.
    pub exclude_operations: Vec<Setting<String>>,
}

impl Selection {
    /// Whether anything is left out on the configuration's word.
    pub fn is_active(&self) -> bool {
        self.include_tags.is_some()
            || !self.exclude_tags.is_empty()
            || !self.exclude_operations.is_empty()
    }

    /// Whether the operation with these tags and this operationId is generated.
    pub fn selects(&self, tags: &[String], operation_id: &str) -> bool {
        let included = match &self.include_tags {
            Some(wanted) => tags.iter().any(|tag| wanted.contains(tag)),
            None => true,
        };
        let excluded = tags.iter().any(|tag| self.exclude_tags.contains(tag))
            || self
                .exclude_operations
                .iter()
                .any(|id| id.value == operation_id);
        included && !excluded
    }
}

/// The defaults the generated `Client::config()` sets on the runtime's `ClientConfig`; `None`
/// keeps the runtime's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientDefaults {
    /// The longest one attempt of a call may take, in seconds.
    pub timeout_seconds: Option<u64>,
    /// The longest connecting may take, in seconds.
    pub connect_timeout_seconds: Option<u64>,
    /// How many times a failed call is retried.
    pub retries: Option<u32>,
}

/// A value of the configuration and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub place: Place,
}

/// A place in the configuration file: the file's label, the key as a JSON pointer into the TOML
/// document (`#/types/rename/Pet`) and the value's 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// How the file is named in diagnostics (`codegen.toml`, `spec/codegen.toml`).
    pub file: String,
    /// The key.
    pub pointer: Pointer,
    /// The line and column of the value.
    pub location: Option<(usize, usize)>,
}

impl Place {
    /// An error at this place; the message should name the key.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location: self.location,
            ..Diagnostic::error(&self.pointer, message).in_file(self.file.clone())
        }
    }

    /// The key in TOML's dotted spelling (`types.rename.Pet`), quoting parts that need it.
    pub fn key(&self) -> String {
        self.pointer
            .segments()
            .iter()
            .map(|segment| {
                let bare = !segment.is_empty()
                    && segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if bare {
                    segment.clone()
                } else {
                    format!("{segment:?}")
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}
