//! Specs split over several files, read through `generate_file`: what is loaded, and how each
//! problem with a referenced file is reported (at the `$ref` that met it, naming its file), never
//! a panic and never a read outside the spec's folder.

use std::path::Path;

use lotinfo_codegen::{generate, generate_file, Diagnostic, GeneratedFiles, Options, Severity};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// A scratch folder holding `files` (path relative to it → text).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// A root document whose components are `schemas` (YAML lines, indented under `schemas:`).
fn root_with(schemas: &str) -> String {
    format!("{HEAD}components:\n  schemas:\n{schemas}")
}

fn generated(dir: &Path) -> (GeneratedFiles, Vec<Diagnostic>) {
    generate_file(&dir.join("openapi.yaml"), &Options::default())
        .unwrap_or_else(|errors| panic!("the spec should generate:\n{errors}"))
}

fn errors(dir: &Path) -> Vec<Diagnostic> {
    let errors = match generate_file(&dir.join("openapi.yaml"), &Options::default()) {
        Ok(_) => panic!("the spec should have been refused"),
        Err(errors) => errors.diagnostics,
    };
    let errors: Vec<Diagnostic> = errors
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(!errors.is_empty(), "an error is reported");
    errors
}

fn only_error(dir: &Path) -> Diagnostic {
    let errors = errors(dir);
    assert_eq!(errors.len(), 1, "exactly one error: {errors:#?}");
    errors.into_iter().next().expect("one error")
}

#[test]
fn a_referenced_file_becomes_types_like_a_local_schema() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      type: object\n      properties:\n        tag:\n          $ref: 'common.yaml#/Tag'\n"),
        ),
        (
            "common.yaml",
            "Tag:\n  type: object\n  properties:\n    label: {type: string}\n",
        ),
    ]);
    let (files, warnings) = generated(dir.path());
    assert!(warnings.is_empty(), "{warnings:#?}");
    let tag = &files["src/models/tag.rs"];
    assert!(tag.contains("pub struct Tag"), "{tag}");
    assert!(tag.contains("Generated from `common.yaml#/Tag`."), "{tag}");
    let pet = &files["src/models/pet.rs"];
    assert!(pet.contains("use crate::models::Tag;"), "{pet}");
    assert!(pet.contains("pub tag: Option<Tag>"), "{pet}");
}

#[test]
fn a_missing_file_names_the_ref_and_the_file() {
    let dir = folder(&[(
        "openapi.yaml",
        &root_with("    Pet:\n      $ref: 'schemas/missing.yaml'\n"),
    )]);
    let error = only_error(dir.path());
    assert_eq!(error.file, None, "the $ref is in the root document");
    assert_eq!(error.pointer.to_string(), "#/components/schemas/Pet/$ref");
    assert!(
        error.message.contains("cannot read `schemas/missing.yaml`"),
        "{error}"
    );
}

#[test]
fn a_problem_inside_a_loaded_file_names_that_file() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      $ref: 'schemas/pet.yaml'\n"),
        ),
        (
            "schemas/pet.yaml",
            "type: object\nproperties:\n  owner:\n    $ref: 'owner.yaml'\n",
        ),
    ]);
    let error = only_error(dir.path());
    assert_eq!(error.file.as_deref(), Some("schemas/pet.yaml"));
    assert_eq!(error.pointer.to_string(), "#/properties/owner/$ref");
    assert!(
        error.message.contains("cannot read `schemas/owner.yaml`"),
        "the path is resolved against the referring file's folder: {error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("error: schemas/pet.yaml#/properties/owner/$ref: "),
        "{error}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_an_error_with_its_line() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      $ref: 'pet.yaml'\n"),
        ),
        ("pet.yaml", "type: object\nproperties: [unclosed\n"),
    ]);
    let error = only_error(dir.path());
    assert_eq!(error.pointer.to_string(), "#/components/schemas/Pet/$ref");
    assert!(
        error
            .message
            .contains("`pet.yaml` is not valid YAML or JSON"),
        "{error}"
    );
    assert!(error.message.contains("line"), "{error}");
}

#[test]
fn a_fragment_that_points_nowhere_is_an_error() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      $ref: 'common.yaml#/Nope'\n"),
        ),
        ("common.yaml", "Tag: {type: string}\n"),
    ]);
    let error = only_error(dir.path());
    assert_eq!(error.pointer.to_string(), "#/components/schemas/Pet/$ref");
    assert!(
        error.message.contains(
            "dangling reference `common.yaml#/Nope`: nothing is at #/Nope in `common.yaml`"
        ),
        "{error}"
    );
}

#[test]
fn a_local_fragment_inside_a_loaded_file_must_point_into_that_file() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      $ref: 'common.yaml#/Pet'\n    Tag:\n      type: string\n"),
        ),
        (
            "common.yaml",
            "Pet:\n  type: object\n  properties:\n    tag:\n      $ref: '#/components/schemas/Tag'\n",
        ),
    ]);
    let error = only_error(dir.path());
    assert_eq!(error.file.as_deref(), Some("common.yaml"));
    assert_eq!(error.pointer.to_string(), "#/Pet/properties/tag/$ref");
    assert!(error.message.contains("in `common.yaml`"), "{error}");
}

#[test]
fn a_fragment_that_is_not_a_pointer_is_an_error() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      $ref: 'common.yaml#Pet'\n"),
        ),
        ("common.yaml", "Pet: {type: string}\n"),
    ]);
    let error = only_error(dir.path());
    assert!(error.message.contains("is not a JSON pointer"), "{error}");
}

#[test]
fn a_path_to_a_folder_or_with_a_broken_escape_is_an_error() {
    let dir = folder(&[(
        "openapi.yaml",
        &root_with("    A:\n      $ref: './'\n    B:\n      $ref: 'pet%FF.yaml'\n    C:\n      $ref: 'schemas/'\n"),
    )]);
    std::fs::create_dir(dir.path().join("schemas")).expect("a folder");
    let errors = errors(dir.path());
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("names the spec's folder, not a file"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("`%` escape that is not UTF-8"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("cannot read `schemas`"),
        "{}",
        messages[2]
    );
}

#[test]
fn nothing_outside_the_spec_folder_is_read() {
    let outside = folder(&[("secret.yaml", "type: string\n")]);
    let secret = outside.path().join("secret.yaml");
    let dir = folder(&[(
        "spec/openapi.yaml",
        &root_with(&format!(
            "    A:\n      $ref: '../secret.yaml'\n    B:\n      $ref: '{}'\n",
            secret.display()
        )),
    )]);
    std::fs::write(dir.path().join("secret.yaml"), "type: string\n").expect("a file above");
    let errors = errors(&dir.path().join("spec"));
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for (error, component) in errors.iter().zip(["A", "B"]) {
        assert_eq!(
            error.pointer.to_string(),
            format!("#/components/schemas/{component}/$ref")
        );
        assert!(
            error.message.contains("outside the folder of the spec"),
            "{error}"
        );
    }
}

#[test]
fn a_url_is_not_fetched_and_degrades_as_before() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      type: object\n      properties:\n        tag:\n          $ref: 'https://example.com/common.yaml#/Tag'\n"),
        ),
        // A file of the same name next to the spec is not what the URL names.
        ("common.yaml", "Tag: {type: object, properties: {a: {type: string}}}\n"),
    ]);
    let (files, warnings) = generated(dir.path());
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(
        warnings[0].pointer.to_string(),
        "#/components/schemas/Pet/properties/tag/$ref"
    );
    assert!(
        warnings[0]
            .to_string()
            .contains("external reference `https://example.com/common.yaml#/Tag` is not supported; the value is `serde_json::Value`; hint: documents are not fetched from URLs"),
        "{}",
        warnings[0]
    );
    assert!(files["src/models/pet.rs"].contains("pub tag: Option<::serde_json::Value>"));
    assert!(!files.contains_key("src/models/tag.rs"));
}

#[test]
fn a_loaded_file_nested_too_deep_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let nested = format!(
        "{}{{type: string}}{}\n",
        "{type: array, items: ".repeat(depth),
        "}".repeat(depth)
    );
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Deep:\n      $ref: 'deep.yaml'\n"),
        ),
        ("deep.yaml", &nested),
    ]);
    let error = only_error(dir.path());
    assert_eq!(error.pointer.to_string(), "#/components/schemas/Deep/$ref");
    assert!(error.message.contains("`deep.yaml`"), "{error}");
    assert!(
        error.message.contains("nests deeper than") || error.message.contains("recursion limit"),
        "{error}"
    );

    // Deep, but below the bound the root document has too.
    let depth = (lotinfo_codegen::spec::MAX_DEPTH - 1) / 2;
    let nested = format!(
        "{}{{type: string}}{}\n",
        "{type: array, items: ".repeat(depth),
        "}".repeat(depth)
    );
    std::fs::write(dir.path().join("deep.yaml"), nested).expect("write");
    generated(dir.path());
}

#[test]
fn every_problem_is_reported_at_once_and_each_missing_file_once() {
    let dir = folder(&[(
        "openapi.yaml",
        &root_with("    A:\n      $ref: 'missing.yaml'\n    B:\n      $ref: 'missing.yaml'\n    C:\n      $ref: 'other.yaml#/X'\n"),
    ), ("other.yaml", "Y: {type: string}\n")]);
    let errors = errors(dir.path());
    let places: Vec<String> = errors.iter().map(|e| e.pointer.to_string()).collect();
    assert_eq!(
        places,
        ["#/components/schemas/A/$ref", "#/components/schemas/C/$ref"],
        "{errors:#?}"
    );
}

#[test]
fn files_that_refer_to_each_other_and_to_the_root_are_loaded_once() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Node:\n      $ref: 'a.yaml'\n    Leaf:\n      type: string\n"),
        ),
        (
            "a.yaml",
            "type: object\nproperties:\n  b: {$ref: './b.yaml'}\n  self: {$ref: 'a.yaml'}\n  leaf: {$ref: 'openapi.yaml#/components/schemas/Leaf'}\n",
        ),
        (
            "b.yaml",
            "type: object\nproperties:\n  a: {$ref: 'a.yaml#'}\n",
        ),
    ]);
    let (files, warnings) = generated(dir.path());
    assert!(warnings.is_empty(), "{warnings:#?}");
    let node = &files["src/models/node.rs"];
    assert!(node.contains("pub struct Node"), "{node}");
    assert!(node.contains("use crate::models::B;"), "{node}");
    assert!(
        files["src/models/b.rs"].contains("use crate::models::Node;"),
        "b.yaml's reference to a.yaml is the same type as the component"
    );
}

#[test]
fn a_spec_given_as_text_reports_file_references_with_a_hint() {
    let spec = root_with("    Pet:\n      type: object\n      properties:\n        tag:\n          $ref: 'common.yaml#/Tag'\n");
    let (_, warnings) = generate(&spec, &Options::default()).expect("generates");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let text = warnings[0].to_string();
    assert!(text.contains("reference `common.yaml#/Tag` to another file is loaded only when the spec is read from its file"), "{text}");
    assert!(text.contains("generate_file"), "{text}");
}

#[test]
fn a_spec_without_file_references_generates_the_same_from_its_file() {
    let spec =
        root_with("    Pet:\n      type: object\n      properties:\n        a: {type: string}\n");
    let dir = folder(&[("openapi.yaml", &spec)]);
    let from_text = generate(&spec, &Options::default()).expect("generates");
    assert_eq!(generated(dir.path()), from_text);
}

#[test]
fn the_header_hash_covers_every_loaded_file() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Pet:\n      $ref: 'pet.yaml'\n"),
        ),
        (
            "pet.yaml",
            "type: object\nproperties:\n  a: {type: string}\n",
        ),
    ]);
    let header = |files: &GeneratedFiles| {
        files["Cargo.toml"]
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let first = header(&generated(dir.path()).0);
    assert_eq!(first, header(&generated(dir.path()).0), "deterministic");
    // Only a comment changes, so only the hash can tell.
    std::fs::write(
        dir.path().join("pet.yaml"),
        "# edited\ntype: object\nproperties:\n  a: {type: string}\n",
    )
    .expect("write");
    let edited = header(&generated(dir.path()).0);
    assert_ne!(first, edited, "editing a referenced file changes the hash");
    assert!(
        edited.contains("from spec/lotinfo.yaml (sha256:"),
        "{edited}"
    );
}

#[test]
fn the_document_cannot_have_its_own_x_bundled() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &format!(
                "{}x-bundled: {{}}\n",
                root_with("    Pet:\n      $ref: 'pet.yaml'\n")
            ),
        ),
        ("pet.yaml", "type: string\n"),
    ]);
    let error = only_error(dir.path());
    assert_eq!(error.pointer.to_string(), "#/x-bundled");
}

#[test]
fn an_unreadable_root_is_an_error() {
    let dir = folder(&[]);
    let error = only_error(dir.path());
    assert!(error.message.contains("cannot read the spec"), "{error}");
}

#[test]
fn no_prefix_of_a_referenced_file_makes_the_generator_panic() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/multifile");
    let pet = std::fs::read_to_string(fixture.join("schemas/pet.yaml")).expect("fixture");
    let dir = tempfile::tempdir().expect("temp dir");
    copy_folder(&fixture, dir.path());
    let spec = dir.path().join("openapi.yaml");
    for end in (0..pet.len())
        .step_by(7)
        .filter(|i| pet.is_char_boundary(*i))
    {
        std::fs::write(dir.path().join("schemas/pet.yaml"), &pet[..end]).expect("write");
        let outcome =
            std::panic::catch_unwind(|| generate_file(&spec, &Options::default()).map(|_| ()));
        assert!(
            outcome.is_ok(),
            "the generator panicked on the first {end} bytes of schemas/pet.yaml"
        );
    }
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn union_members_in_files_are_named_after_them_and_mapped_by_any_spelling() {
    let dir = folder(&[
        (
            "openapi.yaml",
            &root_with("    Animal:\n      oneOf:\n        - $ref: 'dog.yaml'\n        - $ref: 'cat.yaml'\n    Tagged:\n      oneOf:\n        - $ref: 'dog.yaml'\n        - $ref: 'cat.yaml'\n      discriminator:\n        propertyName: kind\n        mapping:\n          dog: './dog.yaml'\n          cat: 'cat.yaml'\n"),
        ),
        (
            "dog.yaml",
            "type: object\nrequired: [kind]\nproperties:\n  kind: {type: string}\n  barks: {type: boolean}\n",
        ),
        (
            "cat.yaml",
            "type: object\nrequired: [kind]\nproperties:\n  kind: {type: string}\n  meows: {type: boolean}\n",
        ),
    ]);
    let (files, warnings) = generated(dir.path());
    assert!(warnings.is_empty(), "{warnings:#?}");
    let animal = &files["src/models/animal.rs"];
    assert!(
        animal.contains("use crate::models::{Cat, Dog};"),
        "{animal}"
    );
    assert!(animal.contains("Dog(Dog),"), "{animal}");
    assert!(animal.contains("Cat(Cat),"), "{animal}");
    let tagged = &files["src/models/tagged.rs"];
    assert!(
        tagged.contains("tagged::read(deserializer, \"kind\")"),
        "{tagged}"
    );
    assert!(
        tagged.contains("\"dog\" => crate::runtime::tagged::member(value).map(Self::Dog),"),
        "{tagged}"
    );
}
