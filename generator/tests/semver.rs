//! The API-change report: a crate generated from one spec, then checked against a changed spec,
//! reports each change of its public API and the version bump the changes need; `generate --bump`
//! sets that version and appends the changes to the crate's changelog.

use std::path::Path;
use std::process::{Command, Output};

use lotinfo_codegen::surface::{self, ChangeKind, Level, Surface, SURFACE_FILE};

fn codegen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lotinfo-codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small spec: an operation returning a `Pet` (its fields all optional unless `pet_required`
/// lists some) with `pet_fields`, and a `Status` enum of `statuses`.
fn spec(pet_fields: &str, pet_required: &str, statuses: &[&str]) -> String {
    let statuses: Vec<String> = statuses.iter().map(|s| format!("\"{s}\"")).collect();
    format!(
        r##"openapi: 3.0.3
info:
  title: Pets
  version: "1"
servers:
  - url: https://pets.example.com
paths:
  /pets/{{id}}:
    get:
      operationId: getPet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
components:
  schemas:
    Pet:
      type: object
      {pet_required}
      properties:
{pet_fields}
    Status:
      type: string
      enum: [{statuses}]
"##,
        statuses = statuses.join(", ")
    )
}

const NAME_AND_STATUS: &str = "        name:\n          type: string\n        status:\n          $ref: \"#/components/schemas/Status\"";

/// A scratch folder with `before` generated into `client/`, and `spec.yaml` holding `after`.
fn generated(before: &str, after: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("spec.yaml"), before).expect("write spec");
    let output = codegen(
        dir.path(),
        &["generate", "--spec", "spec.yaml", "--out", "client"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    std::fs::write(dir.path().join("spec.yaml"), after).expect("write spec");
    dir
}

/// `check` of the changed spec: its exit code and what it printed.
fn check(dir: &Path) -> (Option<i32>, String) {
    let output = codegen(dir, &["check", "--spec", "spec.yaml", "--out", "client"]);
    (output.status.code(), text(&output.stdout))
}

/// The report's change lines (`  <level>  <change>`).
fn change_lines(report: &str) -> Vec<String> {
    report
        .lines()
        .filter(|line| {
            ["  major  ", "  minor  ", "  patch  "]
                .iter()
                .any(|p| line.starts_with(p))
        })
        .map(|line| line.trim().to_owned())
        .collect()
}

#[test]
fn an_added_optional_field_is_a_minor_change() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let with_tag = format!("{NAME_AND_STATUS}\n        tag:\n          type: string");
    let dir = generated(&before, &spec(&with_tag, "", &["available", "sold"]));
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "the crate drifted:\n{report}");
    let changes = change_lines(&report);
    assert_eq!(changes.len(), 1, "{report}");
    assert!(
        changes[0].starts_with("minor  added field `Pet.tag`"),
        "{report}"
    );
    assert!(
        report.contains("Semver: not breaking; needs a minor bump: 0.1.0 -> 0.1.1."),
        "before 1.0.0 an addition bumps the patch number:\n{report}"
    );
}

#[test]
fn a_removed_field_is_a_major_change() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let status_only = "        status:\n          $ref: \"#/components/schemas/Status\"";
    let dir = generated(&before, &spec(status_only, "", &["available", "sold"]));
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        change_lines(&report),
        ["major  removed field `Pet.name` (code that uses it no longer compiles)"],
        "{report}"
    );
    assert!(
        report.contains("Semver: breaking; needs a major bump: 0.1.0 -> 0.2.0."),
        "before 1.0.0 a breaking change bumps the minor number:\n{report}"
    );
}

#[test]
fn a_new_enum_value_is_a_minor_change() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let dir = generated(
        &before,
        &spec(NAME_AND_STATUS, "", &["available", "pending", "sold"]),
    );
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    let changes = change_lines(&report);
    assert_eq!(changes.len(), 1, "{report}");
    assert!(
        changes[0].starts_with("minor  added variant `Status::Pending`")
            && changes[0].contains("#[non_exhaustive]"),
        "{report}"
    );
    assert!(report.contains("needs a minor bump"), "{report}");
    let enum_file =
        std::fs::read_to_string(dir.path().join("client/src/models/status.rs")).expect("enum");
    assert!(
        enum_file.contains("#[non_exhaustive]\npub enum Status"),
        "the rule holds because the generated enum is non-exhaustive:\n{enum_file}"
    );
}

#[test]
fn a_changed_field_type_is_a_major_change() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let name_integer = NAME_AND_STATUS.replace(
        "name:\n          type: string",
        "name:\n          type: integer",
    );
    let dir = generated(&before, &spec(&name_integer, "", &["available", "sold"]));
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        change_lines(&report),
        ["major  changed field `Pet.name`: `Option<String>` -> `Option<i64>` (its type changed: code that uses it no longer compiles)"],
        "{report}"
    );
    assert!(report.contains("needs a major bump"), "{report}");
}

#[test]
fn an_optional_field_added_to_a_struct_without_default_is_major() {
    // `name` required: `Pet` has `new(name)` and no `Default`, so its literals name every field.
    let before = spec(NAME_AND_STATUS, "required: [name]", &["available"]);
    let with_tag = format!("{NAME_AND_STATUS}\n        tag:\n          type: string");
    let dir = generated(
        &before,
        &spec(&with_tag, "required: [name]", &["available"]),
    );
    let (_, report) = check(dir.path());
    let changes = change_lines(&report);
    assert_eq!(changes.len(), 1, "{report}");
    assert!(
        changes[0].starts_with("major  added field `Pet.tag`") && changes[0].contains("Default"),
        "{report}"
    );
}

#[test]
fn no_change_is_no_report_and_no_drift() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let dir = generated(&before, &before);
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report, "", "nothing to report");
}

#[test]
fn a_documentation_change_is_a_patch() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let after = before.replace("description: The pet.", "description: The pet, found.");
    let documented = after.replace(
        "        name:\n          type: string",
        "        name:\n          description: What the pet answers to.\n          type: string",
    );
    let dir = generated(&before, &documented);
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        report.contains("API changes: none; the public API is the same."),
        "{report}"
    );
    assert!(
        report.contains("needs a patch bump: 0.1.0 -> 0.1.1"),
        "{report}"
    );
}

#[test]
fn generate_bump_sets_the_version_and_appends_the_changelog() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let status_only = "        status:\n          $ref: \"#/components/schemas/Status\"";
    let dir = generated(&before, &spec(status_only, "", &["available", "sold"]));
    let client = dir.path().join("client");
    let bump = |dir: &Path| {
        let output = codegen(
            dir,
            &[
                "generate",
                "--spec",
                "spec.yaml",
                "--out",
                "client",
                "--bump",
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stderr)
    };
    let said = bump(dir.path());
    assert!(
        said.contains("bumped lotinfo-client 0.1.0 -> 0.2.0 (major)"),
        "{said}"
    );
    let manifest = std::fs::read_to_string(client.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    let changelog = std::fs::read_to_string(client.join("CHANGELOG.md")).expect("changelog");
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(
        changelog.contains("## 0.2.0\n\nGenerated from `spec.yaml`: breaking changes.\n\n- major: removed field `Pet.name`"),
        "{changelog}"
    );
    let (code, report) = check(dir.path());
    assert_eq!(
        code,
        Some(0),
        "the bumped crate and its changelog are not drift:\n{report}"
    );

    // A second change: a new enum value, an addition, appended after the first entry.
    std::fs::write(
        dir.path().join("spec.yaml"),
        spec(status_only, "", &["available", "pending", "sold"]),
    )
    .expect("write spec");
    let said = bump(dir.path());
    assert!(said.contains("0.2.0 -> 0.2.1 (minor)"), "{said}");
    let changelog = std::fs::read_to_string(client.join("CHANGELOG.md")).expect("changelog");
    let first = changelog.find("## 0.2.0").expect("the first entry stays");
    let second = changelog.find("## 0.2.1").expect("the second entry");
    assert!(first < second, "entries are appended:\n{changelog}");
    assert!(
        changelog.contains("- minor: added variant `Status::Pending`"),
        "{changelog}"
    );

    // Nothing changed: the version stays and the changelog gets nothing.
    let said = bump(dir.path());
    assert!(said.contains("not bumped: nothing changed"), "{said}");
    let again = std::fs::read_to_string(client.join("CHANGELOG.md")).expect("changelog");
    assert_eq!(again, changelog);
}

#[test]
fn the_surface_file_on_disk_is_the_checked_in_crates_api() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let dir = generated(&before, &before);
    let on_disk =
        std::fs::read_to_string(dir.path().join("client").join(SURFACE_FILE)).expect("surface");
    assert!(
        on_disk.starts_with("# @generated by lotinfo-codegen"),
        "{on_disk}"
    );
    let surface = Surface::parse(&on_disk).expect("reads back");
    let lines: Vec<String> = surface.items().map(|item| item.to_string()).collect();
    for expected in [
        "struct Pet Default",
        "field Pet.name Option<String>",
        "field Pet.status Option<crate::models::Status>",
        "enum Status non_exhaustive",
        "variant Status::Available = \"available\"",
        "variant Status::Unknown (String)",
        "fn Client::get_pet (&self, id: i64) -> Result<crate::models::Pet, crate::runtime::error::Error>",
        "const Client::DEFAULT_BASE_URL &str",
    ] {
        assert!(
            lines.iter().any(|line| line == expected),
            "{expected}:\n{on_disk}"
        );
    }
    // The library's diff agrees with the command line's report.
    let changed = on_disk.replace("field Pet.name Option<String>\n", "");
    let diff = surface::diff(&surface, &Surface::parse(&changed).expect("reads"));
    assert_eq!(diff.level(), Some(Level::Major));
    assert_eq!(diff.changes[0].kind, ChangeKind::Removed);
}

#[test]
fn an_unreadable_surface_on_disk_is_said_not_guessed() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let dir = generated(&before, &before);
    std::fs::write(
        dir.path().join("client").join(SURFACE_FILE),
        "# @generated by lotinfo-codegen\nnonsense here\n",
    )
    .expect("write");
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        report.contains("API changes: not known: its public-api.txt does not read (line 2:"),
        "{report}"
    );
}

#[test]
fn the_report_is_a_json_line_with_message_format_json() {
    let before = spec(NAME_AND_STATUS, "", &["available", "sold"]);
    let status_only = "        status:\n          $ref: \"#/components/schemas/Status\"";
    let dir = generated(&before, &spec(status_only, "", &["available", "sold"]));
    let output = codegen(
        dir.path(),
        &[
            "check",
            "--spec",
            "spec.yaml",
            "--out",
            "client",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let report: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .filter(|value: &serde_json::Value| value["type"] == "api_changes")
        .collect();
    assert_eq!(report.len(), 1, "one report:\n{stdout}");
    let report = &report[0];
    assert_eq!(report["known"], true);
    assert_eq!(report["breaking"], true);
    assert_eq!(report["level"], "major");
    assert_eq!(report["version"], "0.1.0");
    assert_eq!(report["next_version"], "0.2.0");
    assert_eq!(report["changes"][0]["item"], "Pet.name");
    assert_eq!(report["changes"][0]["level"], "major");
}
