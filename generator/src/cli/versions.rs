//! The generated crate's version: what the checked-in crate says of itself (its `Cargo.toml`'s
//! version, its `public-api.txt`), the report of API changes `check` prints after its diffs, and
//! the changelog entry `generate --bump` appends.

use std::path::Path;

use lotinfo_codegen::render::files;
use lotinfo_codegen::surface::{self, ApiDiff, Level, Surface, SURFACE_FILE};
use serde_json::{json, Value};

/// The version of a crate generated for the first time.
pub const FIRST_VERSION: &str = "0.1.0";
/// The release notes `generate --bump` appends to, beside the generated files.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// What the checked-in crate says of itself: its version and its public API.
pub struct OnDisk {
    /// The `version` of its `Cargo.toml`; [`FIRST_VERSION`] without one.
    pub version: String,
    /// Its `public-api.txt`: `None` when there is none, `Err` when it does not read.
    surface: Option<Result<Surface, surface::ParseError>>,
}

impl OnDisk {
    /// Reads the crate in the folder `out` (a missing folder is a crate not generated yet).
    pub fn read(out: &Path) -> std::io::Result<OnDisk> {
        let version = files::read(out, "Cargo.toml")?
            .and_then(|manifest| package_version(&manifest))
            .unwrap_or_else(|| FIRST_VERSION.to_owned());
        let surface = files::read(out, SURFACE_FILE)?.map(|text| Surface::parse(&text));
        Ok(OnDisk { version, surface })
    }

    /// The API changes from the crate on disk to `surface`, when the disk has a readable
    /// surface; otherwise why there is no report.
    pub fn changes(&self, surface: &Surface) -> Result<ApiDiff, String> {
        match &self.surface {
            Some(Ok(old)) => Ok(surface::diff(old, surface)),
            Some(Err(error)) => Err(format!("its {SURFACE_FILE} does not read ({error})")),
            None => Err(format!("it has no {SURFACE_FILE} to compare with")),
        }
    }
}

/// The `version` of a manifest's `[package]` table, read with the TOML parser the configuration
/// uses; `None` when the manifest does not read or has none.
fn package_version(manifest: &str) -> Option<String> {
    let manifest: toml::Table = manifest.parse().ok()?;
    let version = manifest.get("package")?.get("version")?.as_str()?;
    Some(version.to_owned())
}

/// The bump the changes need: the API's, or a patch when only other files changed (documentation,
/// validation, what is sent).
pub fn needed_level(changes: &ApiDiff, others_changed: bool) -> Option<Level> {
    changes.level().or(others_changed.then_some(Level::Patch))
}

/// What `check` says of a drift for the crate's users.
pub struct ApiReport {
    /// The changes, or why they are not known.
    changes: Result<ApiDiff, String>,
    /// The bump they need (`None`: none).
    level: Option<Level>,
    /// The version on disk.
    version: String,
    /// The command that regenerates.
    regenerate: String,
}

impl ApiReport {
    /// The report of the drift from the crate on disk to `surface`; `others_changed` says
    /// whether files other than `public-api.txt` drifted.
    pub fn new(
        on_disk: &OnDisk,
        surface: &Surface,
        others_changed: bool,
        regenerate: &str,
    ) -> ApiReport {
        let changes = on_disk.changes(surface);
        let level = changes
            .as_ref()
            .ok()
            .and_then(|changes| needed_level(changes, others_changed));
        ApiReport {
            changes,
            level,
            version: on_disk.version.clone(),
            regenerate: regenerate.to_owned(),
        }
    }

    fn next_version(&self) -> Option<String> {
        surface::next_version(&self.version, self.level?)
    }

    /// The report as text: each change with its level, then the bump.
    pub fn to_text(&self) -> String {
        let changes = match &self.changes {
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
        let Some(level) = self.level else {
            return report;
        };
        let breaking = if changes.is_breaking() {
            "breaking"
        } else {
            "not breaking"
        };
        let version = &self.version;
        let change = match self.next_version() {
            Some(next) => format!("{version} -> {next}"),
            None => format!("{version} is not MAJOR.MINOR.PATCH"),
        };
        report.push_str(&format!(
            "Semver: {breaking}; needs a {level} bump: {change}. `{} --bump` sets it and appends \
             the changes to {CHANGELOG}.\n",
            self.regenerate
        ));
        report
    }

    /// The report as one JSON object (`"type": "api_changes"`).
    pub fn to_json(&self) -> Value {
        let (known, why, changes, breaking) = match &self.changes {
            Ok(diff) => {
                let changes: Vec<Value> = diff
                    .changes
                    .iter()
                    .map(|change| {
                        json!({
                            "level": change.level.word(),
                            "kind": change.item.kind.word(),
                            "item": change.item.path,
                            "change": change.to_string(),
                        })
                    })
                    .collect();
                (true, None, changes, diff.is_breaking())
            }
            Err(why) => (false, Some(why.as_str()), Vec::new(), false),
        };
        json!({
            "type": "api_changes",
            "known": known,
            "why_unknown": why,
            "changes": changes,
            "breaking": breaking,
            "level": self.level.map(Level::word),
            "version": self.version,
            "next_version": self.next_version(),
        })
    }
}

/// The changelog's first lines, for a crate named `crate_name`.
pub fn changelog_head(crate_name: &str) -> String {
    format!(
        "# Changelog\n\nThe versions of `{crate_name}`, each with what changed for its users; \
         `lotinfo-codegen generate --bump` appends them.\n"
    )
}

/// The changelog's entry for version `version`.
pub fn changelog_entry(version: &str, level: Level, changes: &ApiDiff, spec: &str) -> String {
    let what = match level {
        Level::Major => "breaking changes",
        Level::Minor => "additions",
        Level::Patch => "no change to the public API",
    };
    let mut entry = format!("\n## {version}\n\nGenerated from `{spec}`: {what}.\n\n");
    if changes.changes.is_empty() {
        entry.push_str(
            "- the generated code changed (documentation, validation or what is sent), not its API\n",
        );
    }
    for change in &changes.changes {
        entry.push_str(&format!("- {}: {change}\n", change.level));
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_package_table_only() {
        let manifest = "[workspace]\nversion = \"9.9.9\"\n\n[package]\nname = \"x\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("[package]\nname = \"x\"\n"), None);
    }

    #[test]
    fn a_drift_outside_the_api_needs_a_patch_and_no_drift_nothing() {
        let none = ApiDiff::default();
        assert_eq!(needed_level(&none, true), Some(Level::Patch));
        assert_eq!(needed_level(&none, false), None);
    }
}
