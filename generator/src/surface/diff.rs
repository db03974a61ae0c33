//! Two surfaces compared: every added, removed and changed item, classified by what it does to
//! code that uses the crate (Rust's semver rules, as the generated items are really used).
//!
//! How the rules apply to generated items:
//! - Enums and unions are `#[non_exhaustive]`: matching them outside the crate needs a `_` arm,
//!   so a new variant or member breaks no one (minor). Without the attribute it would be major.
//! - Structs have public fields and no `#[non_exhaustive]`; users build them with struct
//!   literals. A struct whose fields are all optional derives `Default` and is built
//!   `Type { field, ..Default::default() }` (as the generated examples do), so a new optional
//!   field is minor as long as the struct still derives `Default`. A struct with a required field
//!   has no `Default`: its literal names every field, so any new field is major, and a new
//!   required field changes its `new(…)` too.
//! - Removing anything, or changing a type or a signature, is major. A variant's wire value
//!   changing (the Rust name kept) is patch: code compiles the same, what is sent differs.

use std::fmt;

use super::{Item, Kind, Surface};

/// How much of a version a change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing users compile against changes.
    Patch,
    /// Something is added; code that compiled still compiles.
    Minor,
    /// Code that compiled may no longer compile (a breaking change).
    Major,
}

impl Level {
    /// `patch`, `minor` or `major`.
    pub fn word(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// What happened to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// It is new.
    Added,
    /// It is gone.
    Removed,
    /// Its value was this and is now the item's.
    Changed {
        /// The value before.
        from: String,
    },
}

/// One change of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item as it is now (as it was, when removed).
    pub item: Item,
    /// What happened to it.
    pub kind: ChangeKind,
    /// What it needs of the version.
    pub level: Level,
    /// Why it is at that level, for the reader.
    pub reason: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let item = &self.item;
        let what = item.kind.word();
        match &self.kind {
            ChangeKind::Added => write!(f, "added {what} `{}`", item.path)?,
            ChangeKind::Removed => write!(f, "removed {what} `{}`", item.path)?,
            ChangeKind::Changed { from } => write!(
                f,
                "changed {what} `{}`: `{from}` -> `{}`",
                item.path, item.value
            )?,
        }
        write!(f, " ({})", self.reason)
    }
}

/// Every change from one surface to another, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// The changes.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// The bump the changes need together (the largest), `None` when there are none.
    pub fn level(&self) -> Option<Level> {
        self.changes.iter().map(|change| change.level).max()
    }

    /// Whether some change breaks code that uses the crate.
    pub fn is_breaking(&self) -> bool {
        self.level() == Some(Level::Major)
    }
}

/// The changes from `old` to `new`. The parts of a type that is added or removed (or changes
/// kind) are not listed apart from it.
pub fn diff(old: &Surface, new: &Surface) -> ApiDiff {
    let mut changes = Vec::new();
    let mut keys: Vec<&(String, Kind)> = old.items.keys().chain(new.items.keys()).collect();
    keys.sort();
    keys.dedup();
    for (path, kind) in keys {
        let before = old.get(*kind, path);
        let after = new.get(*kind, path);
        let item = |value: &str| Item {
            kind: *kind,
            path: path.clone(),
            value: value.to_owned(),
        };
        let change = match (before, after) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => continue,
            (None, Some(value)) => {
                let item = item(value);
                if !owner_in_both(&item, old, new) {
                    continue;
                }
                let (level, reason) = added(&item, old, new);
                Change {
                    item,
                    kind: ChangeKind::Added,
                    level,
                    reason,
                }
            }
            (Some(value), None) => {
                let item = item(value);
                if !owner_in_both(&item, old, new) {
                    continue;
                }
                let reason = match item.kind {
                    Kind::Fn => "calls of it no longer compile",
                    _ if item.kind.is_type() => "code that names it no longer compiles",
                    _ => "code that uses it no longer compiles",
                };
                Change {
                    item,
                    kind: ChangeKind::Removed,
                    level: Level::Major,
                    reason: reason.to_owned(),
                }
            }
            (Some(from), Some(value)) => {
                let item = item(value);
                let (level, reason) = changed(&item, from);
                Change {
                    item,
                    kind: ChangeKind::Changed {
                        from: from.to_owned(),
                    },
                    level,
                    reason,
                }
            }
        };
        changes.push(change);
    }
    ApiDiff { changes }
}

/// Whether the item belongs to no type of either surface, or to a type that is in both as the
/// same kind of type: the parts of a type added, removed or remade are that one change.
fn owner_in_both(item: &Item, old: &Surface, new: &Surface) -> bool {
    let Some(owner) = item.owner() else {
        return true;
    };
    match (old.type_kind(owner), new.type_kind(owner)) {
        (None, None) => true,
        (before, after) => before == after,
    }
}

/// The level of an added item.
fn added(item: &Item, old: &Surface, new: &Surface) -> (Level, String) {
    let owner = item.owner().unwrap_or_default();
    let non_exhaustive = |surface: &Surface, kind| {
        surface
            .get(kind, owner)
            .is_some_and(|attributes| attributes.split(' ').any(|a| a == "non_exhaustive"))
    };
    match item.kind {
        Kind::Field => {
            let defaulted = |surface: &Surface| surface.get(Kind::Struct, owner) == Some("Default");
            if non_exhaustive(old, Kind::Struct) {
                (Level::Minor, "the struct is `#[non_exhaustive]`".to_owned())
            } else if defaulted(old) && defaulted(new) {
                (
                    Level::Minor,
                    format!("`{owner}` derives `Default`: literals end in `..Default::default()`"),
                )
            } else {
                (
                    Level::Major,
                    format!("`{owner}` has no `Default`: every struct literal must now name it"),
                )
            }
        }
        Kind::Variant | Kind::Member => {
            let owner_kind = if item.kind == Kind::Variant {
                Kind::Enum
            } else {
                Kind::Union
            };
            if non_exhaustive(old, owner_kind) {
                (
                    Level::Minor,
                    format!("`{owner}` is `#[non_exhaustive]`: matches already have a `_` arm"),
                )
            } else {
                (
                    Level::Major,
                    format!("`{owner}` is exhaustive: every `match` on it must now name it"),
                )
            }
        }
        Kind::From => (Level::Minor, "a new conversion".to_owned()),
        _ => (Level::Minor, "new API".to_owned()),
    }
}

/// The level of an item whose value changed from `from`.
fn changed(item: &Item, from: &str) -> (Level, String) {
    let words = |value: &str| -> Vec<String> { value.split(' ').map(str::to_owned).collect() };
    match item.kind {
        Kind::Struct => (
            Level::Major,
            "how it is built changed: code that builds it no longer compiles".to_owned(),
        ),
        Kind::Enum | Kind::Union => {
            let (before, after) = (words(from), words(&item.value));
            let lost = before.iter().any(|word| !after.contains(word));
            let closed = after.iter().any(|w| w == "non_exhaustive")
                && !before.iter().any(|w| w == "non_exhaustive");
            if lost || closed {
                (
                    Level::Major,
                    "an attribute or impl users rely on changed".to_owned(),
                )
            } else {
                (Level::Minor, "a new impl".to_owned())
            }
        }
        Kind::Variant if from.starts_with("= ") && item.value.starts_with("= ") => (
            Level::Patch,
            "only the value on the wire changed; code compiles the same".to_owned(),
        ),
        Kind::Field | Kind::Alias | Kind::Variant | Kind::Member | Kind::From | Kind::Const => (
            Level::Major,
            "its type changed: code that uses it no longer compiles".to_owned(),
        ),
        Kind::Fn => (
            Level::Major,
            "its signature changed: calls of it no longer compile".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(items: &[(Kind, &str, &str)]) -> Surface {
        let mut surface = Surface::new();
        for (kind, path, value) in items {
            surface.insert(*kind, *path, *value);
        }
        surface
    }

    fn levels(diff: &ApiDiff) -> Vec<(String, Level)> {
        diff.changes
            .iter()
            .map(|c| (c.item.path.clone(), c.level))
            .collect()
    }

    #[test]
    fn the_same_surface_has_no_change() {
        let pet = surface(&[(Kind::Struct, "Pet", "Default")]);
        assert_eq!(diff(&pet, &pet), ApiDiff::default());
        assert_eq!(diff(&pet, &pet).level(), None);
    }

    #[test]
    fn a_field_added_to_a_defaulted_struct_is_minor_and_to_another_major() {
        let old = surface(&[
            (Kind::Struct, "A", "Default"),
            (Kind::Struct, "B", "new(id: i64)"),
            (Kind::Field, "B.id", "i64"),
        ]);
        let new = surface(&[
            (Kind::Struct, "A", "Default"),
            (Kind::Field, "A.tag", "Option<String>"),
            (Kind::Struct, "B", "new(id: i64)"),
            (Kind::Field, "B.id", "i64"),
            (Kind::Field, "B.tag", "Option<String>"),
        ]);
        let changes = diff(&old, &new);
        assert_eq!(
            levels(&changes),
            [
                ("A.tag".to_owned(), Level::Minor),
                ("B.tag".to_owned(), Level::Major)
            ]
        );
        assert!(changes.is_breaking());
    }

    #[test]
    fn a_removed_type_is_one_change_not_one_per_part() {
        let old = surface(&[
            (Kind::Struct, "A", "Default"),
            (Kind::Field, "A.x", "Option<i64>"),
            (Kind::Field, "A.y", "Option<i64>"),
        ]);
        let changes = diff(&old, &Surface::new());
        assert_eq!(levels(&changes), [("A".to_owned(), Level::Major)]);
        assert_eq!(changes.changes[0].kind, ChangeKind::Removed);
    }

    #[test]
    fn variants_of_non_exhaustive_enums_are_minor_and_wire_values_patch() {
        let old = surface(&[
            (Kind::Enum, "E", "non_exhaustive"),
            (Kind::Variant, "E::A", "= \"a\""),
            (Kind::Union, "U", ""),
        ]);
        let new = surface(&[
            (Kind::Enum, "E", "non_exhaustive"),
            (Kind::Variant, "E::A", "= \"aa\""),
            (Kind::Variant, "E::B", "= \"b\""),
            (Kind::Union, "U", ""),
            (Kind::Member, "U::C", "(i64)"),
        ]);
        assert_eq!(
            levels(&diff(&old, &new)),
            [
                ("E::A".to_owned(), Level::Patch),
                ("E::B".to_owned(), Level::Minor),
                ("U::C".to_owned(), Level::Major),
            ]
        );
    }

    #[test]
    fn a_changed_type_or_signature_is_major() {
        let old = surface(&[
            (Kind::Struct, "A", "Default"),
            (Kind::Field, "A.x", "Option<i64>"),
            (Kind::Fn, "Client::f", "(&self) -> i64"),
        ]);
        let new = surface(&[
            (Kind::Struct, "A", "Default"),
            (Kind::Field, "A.x", "Option<String>"),
            (Kind::Fn, "Client::f", "(&self, id: i64) -> i64"),
            (Kind::Fn, "Client::g", "(&self) -> i64"),
        ]);
        let changes = diff(&old, &new);
        assert_eq!(
            levels(&changes),
            [
                ("A.x".to_owned(), Level::Major),
                ("Client::f".to_owned(), Level::Major),
                ("Client::g".to_owned(), Level::Minor),
            ]
        );
        assert_eq!(
            changes.changes[0].to_string(),
            "changed field `A.x`: `Option<i64>` -> `Option<String>` (its type changed: code that uses it no longer compiles)"
        );
    }
}
