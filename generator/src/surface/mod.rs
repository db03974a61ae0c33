//! The public API of a generated crate as plain data ([`Surface`]), its text form (the generated
//! `public-api.txt`), and what changed between two of them for the crate's users ([`diff`]): each
//! change classified by Rust's semver rules, and the version bump they need together.
//!
//! The surface is made from the IR by the emitter (which knows the Rust types), written by the
//! normal pipeline like any other file, and read back by `check` from the checked-in crate: the
//! old spec is not available at check time, only the crate it made.

mod diff;

use std::collections::BTreeMap;
use std::fmt;

pub use diff::{diff, ApiDiff, Change, ChangeKind, Level};

/// The generated file that holds the surface, relative to the crate's root.
pub const SURFACE_FILE: &str = "public-api.txt";

/// What an item of the public API is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A struct; its value is how users construct it: `Default`, or `new(<required fields>)`.
    Struct,
    /// A public field (`Type.field`); its value is its Rust type.
    Field,
    /// An enum; its value lists its attributes (`non_exhaustive`, `Default(<variant>)`).
    Enum,
    /// A variant of an enum (`Type::Variant`); its value is `= <wire value>` for a value of the
    /// spec, `(<type>)` for a variant that carries one, or empty.
    Variant,
    /// A union (`oneOf`/`anyOf`); its value lists its attributes (`non_exhaustive`).
    Union,
    /// A member of a union (`Type::Variant`); its value is `(<type>)`.
    Member,
    /// `impl From<member> for Union` (`Type::Variant`, the variant it makes); its value is the
    /// member's type.
    From,
    /// A type alias; its value is `= <type>`.
    Alias,
    /// A public function or method (`Client::method`); its value is its signature.
    Fn,
    /// A public constant (`Client::NAME`); its value is its type.
    Const,
}

impl Kind {
    const ALL: [Kind; 10] = [
        Kind::Struct,
        Kind::Field,
        Kind::Enum,
        Kind::Variant,
        Kind::Union,
        Kind::Member,
        Kind::From,
        Kind::Alias,
        Kind::Fn,
        Kind::Const,
    ];

    /// The word that starts the item's line.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Field => "field",
            Kind::Enum => "enum",
            Kind::Variant => "variant",
            Kind::Union => "union",
            Kind::Member => "member",
            Kind::From => "from",
            Kind::Alias => "alias",
            Kind::Fn => "fn",
            Kind::Const => "const",
        }
    }

    /// Whether the item is a named type (the others belong to one, or to the client).
    pub fn is_type(self) -> bool {
        matches!(self, Kind::Struct | Kind::Enum | Kind::Union | Kind::Alias)
    }

    /// Whether the item is part of a type: a field, variant, member or conversion, whose path
    /// starts with the type's name.
    pub fn is_part(self) -> bool {
        matches!(
            self,
            Kind::Field | Kind::Variant | Kind::Member | Kind::From
        )
    }

    fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.word() == word)
    }
}

/// One item of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Its path: `Type`, `Type.field`, `Type::Variant`, `Client::method`. Never holds a space.
    pub path: String,
    /// What about it users depend on (its type, signature or attributes); see [`Kind`].
    pub value: String,
}

impl Item {
    /// What a part or a method belongs to (`Type` of `Type.field`, `Type::Variant` or
    /// `Type::method`, `Client` of `Client::method`).
    pub fn owner(&self) -> Option<&str> {
        if self.kind.is_type() {
            return None;
        }
        let end = self.path.find(['.', ':'])?;
        Some(&self.path[..end])
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_line(f, self.kind, &self.path, &self.value)
    }
}

/// An item as a line of the surface file, without the line's end: `<kind> <path>[ <value>]`.
fn write_line(out: &mut impl fmt::Write, kind: Kind, path: &str, value: &str) -> fmt::Result {
    out.write_str(kind.word())?;
    out.write_char(' ')?;
    out.write_str(path)?;
    if !value.is_empty() {
        out.write_char(' ')?;
        out.write_str(value)?;
    }
    Ok(())
}

/// The public API of a crate: every item by path and kind, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    items: BTreeMap<(String, Kind), String>,
}

/// A line of a surface file that is not an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl Surface {
    /// An empty surface.
    pub fn new() -> Self {
        Surface::default()
    }

    /// Adds an item (replacing one of the same path and kind). `path` must hold no space.
    pub fn insert(&mut self, kind: Kind, path: impl Into<String>, value: impl Into<String>) {
        let path: String = path.into();
        debug_assert!(!path.contains(char::is_whitespace), "a path: {path}");
        self.items.insert((path, kind), value.into());
    }

    /// The value of the item of this path and kind.
    pub fn get(&self, kind: Kind, path: &str) -> Option<&str> {
        self.items.get(&(path.to_owned(), kind)).map(String::as_str)
    }

    /// The kind of the named type `name`, if the surface has one.
    pub fn type_kind(&self, name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .filter(|kind| kind.is_type())
            .find(|kind| self.get(*kind, name).is_some())
    }

    /// Every item, in path order.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        self.items.iter().map(|((path, kind), value)| Item {
            kind: *kind,
            path: path.clone(),
            value: value.clone(),
        })
    }

    /// How many items it has.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it has no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The text of the surface file (without its header): one item a line, in path order.
    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# The public API of this crate, one item a line: kind, path, and what users depend on\n\
             # (a type, a signature, how a struct is built). `lotinfo-codegen check` compares it with\n\
             # what the spec makes now to report API changes and the version bump they need.\n",
        );
        // Written in place, not through an `Item` and a string each: Stripe's surface has some
        // 60,000 items.
        for ((path, kind), value) in &self.items {
            // Writing to a `String` cannot fail.
            let _ = write_line(&mut text, *kind, path, value);
            text.push('\n');
        }
        text
    }

    /// Reads a surface file: lines starting with `#` and blank lines are skipped, every other
    /// line is `<kind> <path>[ <value>]`.
    pub fn parse(text: &str) -> Result<Surface, ParseError> {
        let mut surface = Surface::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |message: String| ParseError {
                line: index + 1,
                message,
            };
            let mut parts = line.splitn(3, ' ');
            let word = parts.next().unwrap_or_default();
            let kind = Kind::from_word(word)
                .ok_or_else(|| error(format!("`{word}` is not a kind of item")))?;
            let path = parts
                .next()
                .filter(|path| !path.is_empty())
                .ok_or_else(|| error(format!("`{word}` names no item")))?;
            surface.insert(kind, path, parts.next().unwrap_or_default());
        }
        Ok(surface)
    }
}

/// The version after a bump of `level`, by Cargo's rules: from 1.0.0 on, a breaking change bumps
/// the major version, an addition the minor, anything else the patch; before 1.0.0 (`0.x.y`) the
/// minor version is the breaking one, so a breaking change bumps it and anything else the patch
/// (and likewise `0.0.z` for the patch). `None` when `version` is not `MAJOR.MINOR.PATCH`, or a
/// number would overflow.
pub fn next_version(version: &str, level: Level) -> Option<String> {
    let numbers: Vec<u64> = version
        .split('.')
        .map(|part| part.parse::<u64>().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = numbers[..] else {
        return None;
    };
    let next = match (major, minor, level) {
        (0, 0, _) => (0, 0, patch.checked_add(1)?),
        (0, _, Level::Major) => (0, minor.checked_add(1)?, 0),
        (0, _, _) => (0, minor, patch.checked_add(1)?),
        (_, _, Level::Major) => (major.checked_add(1)?, 0, 0),
        (_, _, Level::Minor) => (major, minor.checked_add(1)?, 0),
        (_, _, Level::Patch) => (major, minor, patch.checked_add(1)?),
    };
    Some(format!("{}.{}.{}", next.0, next.1, next.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_reads_back_as_the_same_surface() {
        let mut surface = Surface::new();
        surface.insert(Kind::Struct, "Pet", "new(id: i64)");
        surface.insert(Kind::Field, "Pet.id", "i64");
        surface.insert(Kind::Field, "Pet.tag", "Option<String>");
        surface.insert(Kind::Enum, "Status", "non_exhaustive");
        surface.insert(Kind::Variant, "Status::Sold", "= \"sold\"");
        surface.insert(Kind::Variant, "Status::Unknown", "(String)");
        surface.insert(
            Kind::Fn,
            "Client::get_pet",
            "(&self, id: i64) -> Result<crate::models::Pet, crate::runtime::error::Error>",
        );
        let text = surface.to_text();
        assert_eq!(Surface::parse(&text), Ok(surface.clone()));
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines[..3],
            ["fn Client::get_pet (&self, id: i64) -> Result<crate::models::Pet, crate::runtime::error::Error>",
             "struct Pet new(id: i64)", "field Pet.id i64"],
            "in path order, a type before its parts"
        );
    }

    #[test]
    fn a_line_that_is_no_item_is_an_error_naming_its_line() {
        let error = Surface::parse("# header\nstruct Pet Default\nthing Pet\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.contains("thing"), "{error}");
        assert_eq!(Surface::parse("field").unwrap_err().line, 1);
    }

    #[test]
    fn versions_bump_by_cargo_rules() {
        let bump = |version, level| next_version(version, level).unwrap();
        assert_eq!(bump("0.1.0", Level::Major), "0.2.0");
        assert_eq!(bump("0.1.3", Level::Minor), "0.1.4");
        assert_eq!(bump("0.1.3", Level::Patch), "0.1.4");
        assert_eq!(bump("0.0.3", Level::Major), "0.0.4");
        assert_eq!(bump("1.4.2", Level::Major), "2.0.0");
        assert_eq!(bump("1.4.2", Level::Minor), "1.5.0");
        assert_eq!(bump("1.4.2", Level::Patch), "1.4.3");
        assert_eq!(next_version("1.0", Level::Patch), None);
        assert_eq!(next_version("1.0.0-beta", Level::Patch), None);
        assert_eq!(next_version("0.1.18446744073709551615", Level::Patch), None);
    }
}
