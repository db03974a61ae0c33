//! The generator's configuration: `codegen.toml` beside the spec (or the file `--config` names).
//! Read with serde from TOML; an unknown key, a value of the wrong type or a value the generator
//! cannot honour is an error naming its key (as a JSON pointer into the TOML document, such as
//! `#/types/rename/Pet`) and its line. Every key is described, with an example, in
//! `docs/extensions.md`.
//!
//! The file decides nothing itself: [`Config`] carries the crate's name and version to the
//! manifest and the rest, as [`Settings`], to the lowering, where the decisions are made.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::ir::{ClientDefaults, DateTimeCrate, Place, Selection, Setting, Settings};
use crate::names;
use crate::pointer::Pointer;
use crate::render::Options;

/// The name of the configuration file looked for in the spec's folder.
pub const FILE_NAME: &str = "codegen.toml";

/// A checked configuration. The default is no configuration file: the output is what the spec
/// and the [`Options`] alone make.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file's text, which the `@generated` header's hash covers; `None` without a file.
    pub text: Option<String>,
    /// `[crate] name`: the generated package's name, over [`Options::crate_name`].
    pub crate_name: Option<String>,
    /// `[crate] version`: the generated package's version, over [`Options::crate_version`].
    pub crate_version: Option<String>,
    /// What the lowering is asked to do.
    pub settings: Settings,
}

impl Config {
    /// The configuration in `codegen.toml` in the folder of the spec at `spec`, or none when
    /// there is no such file. Diagnostics name the file by `label`.
    pub fn beside(spec: &Path, label: &str) -> Result<Config, SpecErrors> {
        let path = spec
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(FILE_NAME);
        if path.is_file() {
            Config::read(&path, label)
        } else {
            Ok(Config::default())
        }
    }

    /// The configuration in the file at `path`, named `label` in diagnostics.
    pub fn read(path: &Path, label: &str) -> Result<Config, SpecErrors> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            errors(vec![Diagnostic::error(
                &Pointer::root(),
                format!("cannot read the configuration {}: {error}", path.display()),
            )
            .in_file(label)])
        })?;
        Config::parse(&text, label)
    }

    /// Reads and checks a configuration given as text, named `label` in diagnostics.
    pub fn parse(text: &str, label: &str) -> Result<Config, SpecErrors> {
        let file: File = serde_path_to_error::deserialize(toml::Deserializer::new(text))
            .map_err(|error| errors(vec![shape_error(&error, text, label)]))?;
        let mut checker = Checker {
            text,
            label,
            diagnostics: Vec::new(),
        };
        let config = checker.check(file, text);
        if checker.diagnostics.is_empty() {
            Ok(config)
        } else {
            Err(errors(checker.diagnostics))
        }
    }

    /// `options` with the crate's name and version this configuration sets.
    pub fn apply(&self, options: &Options) -> Options {
        let mut options = options.clone();
        if let Some(name) = &self.crate_name {
            options.crate_name = name.clone();
        }
        if let Some(version) = &self.crate_version {
            options.crate_version = version.clone();
        }
        options
    }
}

fn errors(diagnostics: Vec<Diagnostic>) -> SpecErrors {
    SpecErrors { diagnostics }
}

/// A TOML syntax error, an unknown key or a value of the wrong type, at its key and line.
fn shape_error(
    error: &serde_path_to_error::Error<toml::de::Error>,
    text: &str,
    label: &str,
) -> Diagnostic {
    let mut pointer = Pointer::root();
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer = pointer.join(index.to_string())
            }
            // A `Spanned` value is read as a map of private keys: not part of the key's path.
            serde_path_to_error::Segment::Map { key } if key.starts_with("$__serde_spanned") => {}
            serde_path_to_error::Segment::Map { key } => pointer = pointer.join(key),
            serde_path_to_error::Segment::Enum { variant } => pointer = pointer.join(variant),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    let inner = error.inner();
    let mut message = inner.message().trim_end().to_owned();
    if pointer != Pointer::root() {
        let place = Place {
            file: label.to_owned(),
            pointer: pointer.clone(),
            location: None,
        };
        message = format!("`{}`: {message}", place.key());
    }
    Diagnostic {
        location: inner.span().map(|span| line_and_column(text, span.start)),
        ..Diagnostic::error(&pointer, message).in_file(label)
    }
}

/// The 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct File {
    #[serde(rename = "crate")]
    krate: CrateSection,
    types: TypesSection,
    fields: FieldsSection,
    operations: OperationsSection,
    client: ClientSection,
    formats: FormatsSection,
    features: FeaturesSection,
}

/// `[crate]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CrateSection {
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
}

/// `[types]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TypesSection {
    rename: IndexMap<String, Spanned<String>>,
    derives: Vec<Spanned<String>>,
}

/// `[fields]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FieldsSection {
    rename: IndexMap<String, Spanned<String>>,
}

/// `[operations]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct OperationsSection {
    include_tags: Option<Vec<String>>,
    exclude_tags: Vec<String>,
    exclude_operations: Vec<Spanned<String>>,
}

/// `[client]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ClientSection {
    timeout_seconds: Option<Spanned<u64>>,
    connect_timeout_seconds: Option<Spanned<u64>>,
    retries: Option<u32>,
}

/// `[formats]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FormatsSection {
    date_time: Option<Spanned<String>>,
}

/// `[features]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FeaturesSection {
    blocking: Option<bool>,
}

/// Checks the values serde cannot, collecting every problem.
struct Checker<'a> {
    text: &'a str,
    label: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn check(&mut self, file: File, text: &str) -> Config {
        let crate_name = file.krate.name.and_then(|name| {
            let setting = self.setting(name, &["crate", "name"]);
            if crate::valid_crate_name(&setting.value) {
                Some(setting.value)
            } else {
                self.report(&setting.place, format!(
                    "`{}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter",
                    setting.value
                ));
                None
            }
        });
        let crate_version = file.krate.version.and_then(|version| {
            let setting = self.setting(version, &["crate", "version"]);
            if valid_version(&setting.value) {
                Some(setting.value)
            } else {
                self.report(
                    &setting.place,
                    format!(
                        "`{}` is not a version Cargo accepts: write MAJOR.MINOR.PATCH, such as `1.2.0`",
                        setting.value
                    ),
                );
                None
            }
        });
        let mut type_renames = IndexMap::new();
        for (schema, name) in file.types.rename {
            let setting = self.setting(name, &["types", "rename", &schema]);
            if names::type_name(&setting.value) != setting.value {
                self.report(
                    &setting.place,
                    format!(
                        "`{}` cannot name a type: write an UpperCamelCase Rust identifier that is not a keyword nor a name of the prelude or the crate's root (such as `{}`)",
                        setting.value,
                        names::type_name(&setting.value)
                    ),
                );
                continue;
            }
            type_renames.insert(schema, setting);
        }
        let mut field_renames = IndexMap::new();
        for (key, name) in file.fields.rename {
            let setting = self.setting(name, &["fields", "rename", &key]);
            let shaped = key
                .split_once('.')
                .is_some_and(|(ty, field)| !ty.is_empty() && !field.is_empty());
            if !shaped {
                self.report(
                    &setting.place,
                    format!("`{key}` does not name a field: write `Type.property`, the type's Rust name and the property's JSON name"),
                );
                continue;
            }
            if names::snake_name(&setting.value) != setting.value {
                self.report(
                    &setting.place,
                    format!(
                        "`{}` cannot name a field: write a snake_case Rust identifier that is not a keyword (such as `{}`)",
                        setting.value,
                        names::snake_name(&setting.value)
                    ),
                );
                continue;
            }
            field_renames.insert(key, setting);
        }
        let mut derives = Vec::new();
        for (index, derive) in file.types.derives.into_iter().enumerate() {
            let setting = self.setting(derive, &["types", "derives", &index.to_string()]);
            match check_derive(&setting.value) {
                Ok(()) => derives.push(setting),
                Err(message) => self.report(&setting.place, message),
            }
        }
        let exclude_operations = file
            .operations
            .exclude_operations
            .into_iter()
            .enumerate()
            .map(|(index, id)| {
                self.setting(
                    id,
                    &["operations", "exclude_operations", &index.to_string()],
                )
            })
            .collect();
        let mut client = ClientDefaults {
            retries: file.client.retries,
            ..ClientDefaults::default()
        };
        for (value, key, slot) in [
            (
                file.client.timeout_seconds,
                "timeout_seconds",
                &mut client.timeout_seconds,
            ),
            (
                file.client.connect_timeout_seconds,
                "connect_timeout_seconds",
                &mut client.connect_timeout_seconds,
            ),
        ] {
            let Some(value) = value else { continue };
            let setting = self.setting(value, &["client", key]);
            if setting.value == 0 {
                self.report(
                    &setting.place,
                    format!("`client.{key}` must be at least 1 second"),
                );
            } else {
                *slot = Some(setting.value);
            }
        }
        let mut date_time = DateTimeCrate::Chrono;
        if let Some(chosen) = file.formats.date_time {
            let setting = self.setting(chosen, &["formats", "date_time"]);
            match setting.value.as_str() {
                "chrono" => {}
                "time" => date_time = DateTimeCrate::Time,
                other => self.report(
                    &setting.place,
                    format!("`formats.date_time` is `{other}`: write `\"chrono\"` or `\"time\"`"),
                ),
            }
        }
        Config {
            text: Some(text.to_owned()),
            crate_name,
            crate_version,
            settings: Settings {
                type_renames,
                field_renames,
                derives,
                selection: Selection {
                    include_tags: file.operations.include_tags,
                    exclude_tags: file.operations.exclude_tags,
                    exclude_operations,
                },
                client,
                blocking: file.features.blocking.unwrap_or(false),
                date_time,
            },
        }
    }

    /// A value with its place: the key `path` and the value's line.
    fn setting<T>(&self, spanned: Spanned<T>, path: &[&str]) -> Setting<T> {
        let location = Some(line_and_column(self.text, spanned.span().start));
        Setting {
            value: spanned.into_inner(),
            place: Place {
                file: self.label.to_owned(),
                pointer: path
                    .iter()
                    .fold(Pointer::root(), |pointer, segment| pointer.join(segment)),
                location,
            },
        }
    }

    fn report(&mut self, place: &Place, message: impl Into<String>) {
        self.diagnostics.push(place.error(message));
    }
}

/// MAJOR.MINOR.PATCH with an optional `-pre-release` and `+build`, as Cargo's semver reads it.
fn valid_version(version: &str) -> bool {
    let (version, build) = version.split_once('+').unwrap_or((version, ""));
    let (core, pre) = version.split_once('-').unwrap_or((version, ""));
    let numbers: Vec<&str> = core.split('.').collect();
    let number = |part: &&str| {
        !part.is_empty()
            && part.chars().all(|c| c.is_ascii_digit())
            && (part.len() == 1 || !part.starts_with('0'))
    };
    let label = |text: &str| {
        text.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    };
    numbers.len() == 3
        && numbers.iter().all(number)
        && (pre.is_empty() || label(pre))
        && (build.is_empty() || label(build))
        && !version.ends_with('-')
}

/// A derive must be a Rust path (`Hash`, `::schemars::JsonSchema`), not any other text, so that
/// nothing but a derive macro's name reaches the generated code.
pub(crate) fn check_derive(derive: &str) -> Result<(), String> {
    match syn::parse_str::<syn::Path>(derive) {
        Ok(path) if path.segments.iter().all(|s| s.arguments.is_none()) => Ok(()),
        _ => Err(format!(
            "`{derive}` is not a Rust path: a derive is written like `Hash` or `::schemars::JsonSchema`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_lines_and_columns() {
        assert_eq!(line_and_column("a\nbc = 1", 3), (2, 2));
        assert_eq!(line_and_column("x", 0), (1, 1));
    }

    #[test]
    fn versions_follow_semver() {
        for good in ["1.2.3", "0.0.0", "1.0.0-beta.1", "1.0.0+build.5"] {
            assert!(valid_version(good), "{good}");
        }
        for bad in ["1.2", "01.2.3", "1.2.3-", "v1.2.3", "1.2.x"] {
            assert!(!valid_version(bad), "{bad}");
        }
    }

    #[test]
    fn keys_spell_as_toml() {
        let place = Place {
            file: "codegen.toml".to_owned(),
            pointer: Pointer::root()
                .join("fields")
                .join("rename")
                .join("Pet.name"),
            location: None,
        };
        assert_eq!(place.key(), "fields.rename.\"Pet.name\"");
    }
}
