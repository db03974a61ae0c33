//! The configuration file (`codegen.toml`) and the `x-` extensions: every example of
//! `docs/extensions.md` is run here, so the documentation cannot drift from what the generator
//! does; each kind of bad configuration is an error naming its key and line; the header's hash
//! covers the file; the command line finds it beside the spec or takes `--config`.

use std::path::{Path, PathBuf};
use std::process::Command;

use lotinfo_codegen::{generate_configured, Config, Options};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The spec every example of the documentation applies to (its `yaml` blocks are merged into it).
const BASE_SPEC: &str = "tests/fixtures/config/openapi.yaml";

fn options() -> Options {
    Options {
        crate_name: "example".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_label: BASE_SPEC.to_owned(),
        regenerate_command: "cargo test -p lotinfo-codegen --test config".to_owned(),
    }
}

/// One example of `docs/extensions.md`: what follows a `<!-- example: NAME -->` marker up to the
/// next marker or heading.
#[derive(Debug, Default)]
struct Example {
    name: String,
    /// The `toml` block: the configuration.
    config: String,
    /// The `yaml` blocks: merged into the base spec.
    spec_patches: Vec<String>,
    /// Lines of `rust` blocks and `+` lines of `diff` blocks: each must be part of a line of the
    /// generated crate.
    present: Vec<String>,
    /// `-` lines of `diff` blocks: no line of the generated crate may contain one.
    absent: Vec<String>,
    /// Lines of `console` blocks: each must be part of a diagnostic the generation reports (an
    /// error that stops it, or a warning).
    errors: Vec<String>,
}

/// The examples of the documentation, and the `toml` block that follows the
/// `<!-- complete: PATH -->` marker with that path.
fn examples(doc: &str) -> (Vec<Example>, Vec<(String, String)>) {
    let mut examples: Vec<Example> = Vec::new();
    let mut complete: Vec<(String, String)> = Vec::new();
    let mut pending_complete: Option<String> = None;
    let mut current: Option<Example> = None;
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if let Some(name) = line
            .strip_prefix("<!-- example: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            examples.extend(current.take());
            current = Some(Example {
                name: name.to_owned(),
                ..Example::default()
            });
        } else if let Some(path) = line
            .strip_prefix("<!-- complete: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            examples.extend(current.take());
            pending_complete = Some(path.to_owned());
        } else if line.starts_with('#') {
            examples.extend(current.take());
        } else if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner.starts_with("```") {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            if let Some(path) = pending_complete.take() {
                complete.push((path, body));
                continue;
            }
            let Some(example) = current.as_mut() else {
                continue;
            };
            let lines_of = |body: &str| -> Vec<String> {
                body.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            match info.trim() {
                "toml" => example.config.push_str(&body),
                "yaml" => example.spec_patches.push(body),
                "rust" => example.present.extend(lines_of(&body)),
                "console" => example.errors.extend(lines_of(&body)),
                "diff" => {
                    for line in body.lines() {
                        if let Some(added) = line.strip_prefix('+') {
                            example.present.push(added.trim().to_owned());
                        } else if let Some(removed) = line.strip_prefix('-') {
                            example.absent.push(removed.trim().to_owned());
                        }
                    }
                }
                other => panic!(
                    "example {}: a block of unknown kind `{other}`",
                    example.name
                ),
            }
        }
    }
    examples.extend(current);
    (examples, complete)
}

/// Merges `patch` into `base`: mappings key by key, anything else replaced.
fn merge(base: &mut serde_yaml::Value, patch: serde_yaml::Value) {
    match (base, patch) {
        (serde_yaml::Value::Mapping(base), serde_yaml::Value::Mapping(patch)) => {
            for (key, value) in patch {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, patch) => *base = patch,
    }
}

/// Runs one example: the generated crate's files (joined) and its warnings, or the diagnostics
/// of its failure.
fn run(example: &Example) -> Result<(String, String), String> {
    let mut spec: serde_yaml::Value = serde_yaml::from_str(&read(BASE_SPEC)).expect("base spec");
    for patch in &example.spec_patches {
        let patch = serde_yaml::from_str(patch)
            .unwrap_or_else(|e| panic!("example {}: its yaml: {e}", example.name));
        merge(&mut spec, patch);
    }
    let spec = serde_yaml::to_string(&spec).expect("spec serialises");
    let config = Config::parse(&example.config, "codegen.toml").map_err(|e| e.to_string())?;
    let (files, warnings) =
        generate_configured(&spec, &options(), &config).map_err(|e| e.to_string())?;
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    Ok((
        files.into_values().collect::<Vec<_>>().join("\n"),
        warnings.join("\n"),
    ))
}

#[test]
fn every_example_of_the_extensions_doc_does_what_it_says() {
    let doc = read("docs/extensions.md");
    let (examples, _) = examples(&doc);
    assert!(examples.len() >= 15, "found {} examples", examples.len());
    let mut failures = Vec::new();
    for example in &examples {
        assert!(
            !example.present.is_empty() || !example.absent.is_empty() || !example.errors.is_empty(),
            "example {} says nothing about its result",
            example.name
        );
        match run(example) {
            Ok((crate_text, warnings)) => {
                for wanted in &example.errors {
                    if !warnings.lines().any(|line| line.contains(wanted.as_str())) {
                        failures.push(format!(
                            "{}: generated, and no warning contains `{wanted}`; they are:\n{warnings}",
                            example.name
                        ));
                    }
                }
                let lines: Vec<&str> = crate_text.lines().collect();
                for wanted in &example.present {
                    if !lines.iter().any(|line| line.contains(wanted.as_str())) {
                        failures.push(format!("{}: no line contains `{wanted}`", example.name));
                    }
                }
                for unwanted in &example.absent {
                    if lines.iter().any(|line| line.contains(unwanted.as_str())) {
                        failures.push(format!("{}: a line contains `{unwanted}`", example.name));
                    }
                }
            }
            Err(errors) => {
                if example.errors.is_empty() {
                    failures.push(format!("{}: failed:\n{errors}", example.name));
                }
                for wanted in &example.errors {
                    if !errors.lines().any(|line| line.contains(wanted.as_str())) {
                        failures.push(format!(
                            "{}: no diagnostic contains `{wanted}`; they are:\n{errors}",
                            example.name
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_extensions_doc_shows_the_fixtures_configuration_as_it_is() {
    let doc = read("docs/extensions.md");
    let (_, complete) = examples(&doc);
    assert!(!complete.is_empty(), "the complete example is marked");
    for (path, shown) in complete {
        assert_eq!(
            shown,
            read(&path),
            "docs/extensions.md shows {path} as it is"
        );
    }
}

#[test]
fn every_key_and_extension_has_an_example() {
    let doc = read("docs/extensions.md");
    let (examples, _) = examples(&doc);
    let written: String = examples
        .iter()
        .map(|e| format!("{}\n{}\n", e.config, e.spec_patches.join("\n")))
        .collect();
    for key in [
        "[crate]",
        "name =",
        "version =",
        "[types]",
        "derives =",
        "[types.rename]",
        "[fields.rename]",
        "[operations]",
        "include_tags =",
        "exclude_tags =",
        "exclude_operations =",
        "[client]",
        "timeout_seconds =",
        "connect_timeout_seconds =",
        "retries =",
        "[formats]",
        "date_time =",
        "[features]",
        "blocking =",
        "x-rust-name:",
        "x-rust-derives:",
        "x-codegen-skip:",
    ] {
        assert!(written.contains(key), "no example writes `{key}`");
    }
}

fn config_error(text: &str) -> String {
    Config::parse(text, "codegen.toml")
        .expect_err("the configuration is refused")
        .to_string()
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let error = config_error("[crate]\nname = \"a\"\n\n[types]\nderivez = [\"Eq\"]\n");
    assert!(error.contains("codegen.toml#/types/derivez"), "{error}");
    assert!(error.contains("unknown field `derivez`"), "{error}");
    assert!(error.contains("(line 5, column 1)"), "{error}");
    let error = config_error("colour = \"red\"\n");
    assert!(
        error.contains("#/colour") && error.contains("line 1"),
        "{error}"
    );
}

#[test]
fn a_value_of_the_wrong_type_is_named_with_its_line() {
    let error = config_error("[client]\nretries = 2\ntimeout_seconds = \"soon\"\n");
    assert!(
        error.contains("codegen.toml#/client/timeout_seconds:"),
        "{error}"
    );
    assert!(error.contains("(line 3, column 19)"), "{error}");
    let error = config_error("[client]\ntimeout_seconds = 0\n");
    assert!(
        error.contains("at least 1 second") && error.contains("line 2"),
        "{error}"
    );
}

#[test]
fn a_rename_to_an_invalid_name_is_refused_at_its_key() {
    for (config, pointer) in [
        ("[types.rename]\nPet = \"type\"\n", "#/types/rename/Pet"),
        (
            "[types.rename]\nPet = \"pet_record\"\n",
            "#/types/rename/Pet",
        ),
        ("[types.rename]\nPet = \"Result\"\n", "#/types/rename/Pet"),
        (
            "[fields.rename]\n\"Pet.name\" = \"fn\"\n",
            "#/fields/rename/Pet.name",
        ),
        (
            "[fields.rename]\n\"Pet.name\" = \"CallName\"\n",
            "#/fields/rename/Pet.name",
        ),
        (
            "[fields.rename]\nname = \"call_name\"\n",
            "#/fields/rename/name",
        ),
        ("[crate]\nname = \"1up\"\n", "#/crate/name"),
        ("[crate]\nversion = \"1.0\"\n", "#/crate/version"),
    ] {
        let error = config_error(config);
        assert!(
            error.contains(&format!("codegen.toml{pointer}:")),
            "{config}: {error}"
        );
        assert!(error.contains("(line 2, column"), "{config}: {error}");
    }
}

/// The fixture spec with `config`: the errors of its generation.
fn generation_errors(config: &str) -> String {
    let config = Config::parse(config, "codegen.toml").expect("the file itself is fine");
    generate_configured(&read(BASE_SPEC), &options(), &config)
        .expect_err("the generation is refused")
        .to_string()
}

#[test]
fn a_rename_that_collides_or_names_nothing_is_refused_at_its_key() {
    let error = generation_errors("[types.rename]\nKeeper = \"Pet\"\n");
    assert!(
        error.contains("codegen.toml#/types/rename/Keeper: `types.rename.Keeper`: `Pet` is the name of the schema `Pet` already (line 2, column 10)"),
        "{error}"
    );
    let error = generation_errors("[types.rename]\nKeeper = \"Staff\"\nPetStatus = \"Staff\"\n");
    assert!(
        error.contains("#/types/rename/Keeper")
            && error.contains("by `types.rename.PetStatus`")
            && error.contains("line 2"),
        "the later schema in the document is the error: {error}"
    );
    let error = generation_errors("[types.rename]\nKeeper = \"PetDraft\"\n");
    assert!(
        error.contains("#/types/rename/Keeper"),
        "x-rust-name's choice collides: {error}"
    );
    let error = generation_errors("[types.rename]\nKeepr = \"Staff\"\n");
    assert!(error.contains("there is no schema `Keepr`"), "{error}");
    let error = generation_errors("[fields.rename]\n\"Pet.id\" = \"species\"\n");
    assert!(
        error.contains("#/components/schemas/Pet/properties/type/x-rust-name"),
        "the later choice of one name is the error: {error}"
    );
    let error = generation_errors("[fields.rename]\n\"Pet.type\" = \"id\"\n");
    assert!(
        error.contains("#/fields/rename/Pet.type") && error.contains("`id`"),
        "{error}"
    );
    let error = generation_errors("[fields.rename]\n\"Pet.nmae\" = \"title\"\n");
    assert!(
        error.contains("no generated struct has this type name and property"),
        "{error}"
    );
    let error = generation_errors("[operations]\nexclude_operations = [\"removePet\"]\n");
    assert!(
        error.contains("#/operations/exclude_operations/0"),
        "{error}"
    );
}

#[test]
fn a_derive_that_is_not_a_path_is_refused_at_its_place() {
    let error = config_error("[types]\nderives = [\"Hash\", \"Eq, Ord\"]\n");
    assert!(error.contains("codegen.toml#/types/derives/1:"), "{error}");
    assert!(error.contains("`Eq, Ord` is not a Rust path"), "{error}");
    assert!(error.contains("(line 2, column 20)"), "{error}");
    let spec = read(BASE_SPEC).replace(
        "x-rust-derives: [Hash]",
        "x-rust-derives: [Hash, \"Vec<u8>\"]",
    );
    let error = generate_configured(&spec, &options(), &Config::default())
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("#/components/schemas/Pet/x-rust-derives/1: `Vec<u8>` is not a Rust path"),
        "{error}"
    );
}

#[test]
fn an_unknown_date_time_crate_is_refused_at_its_key() {
    let error = config_error("[formats]\ndate_time = \"Time\"\n");
    assert!(
        error.contains("codegen.toml#/formats/date_time:") && error.contains("line 2"),
        "{error}"
    );
}

#[test]
fn no_prefix_of_a_configuration_panics_the_reader() {
    let text = read("tests/fixtures/config/codegen.toml") + "[crate]\nname = \"x\"\n\"é\" = 1\n";
    let mut refused = 0;
    for end in (0..=text.len()).filter(|end| text.is_char_boundary(*end)) {
        if let Err(errors) = Config::parse(&text[..end], "codegen.toml") {
            refused += 1;
            assert!(
                errors
                    .diagnostics
                    .iter()
                    .all(|d| d.file.as_deref() == Some("codegen.toml")),
                "{errors}"
            );
        }
    }
    assert!(
        refused > 0,
        "the repeated [crate] and the unknown key are refused"
    );
}

fn header_hash(files: &lotinfo_codegen::GeneratedFiles) -> String {
    let lib = &files["src/lib.rs"];
    let start = lib.find("sha256:").expect("the header names the hash");
    lib[start..start + 23].to_owned()
}

#[test]
fn the_header_hash_covers_the_configuration_and_no_file_changes_nothing() {
    let spec = read(BASE_SPEC);
    let (plain, _) = lotinfo_codegen::generate(&spec, &options()).expect("generates");
    let (empty, _) = generate_configured(&spec, &options(), &Config::default()).expect("generates");
    assert_eq!(
        plain, empty,
        "no configuration is the output of the spec alone"
    );
    let with = |text: &str| {
        let config = Config::parse(text, "codegen.toml").expect("parses");
        generate_configured(&spec, &options(), &config)
            .expect("generates")
            .0
    };
    let a = with("[client]\nretries = 1\n");
    let b = with("[client]\nretries = 1\n# a comment\n");
    assert_ne!(header_hash(&plain), header_hash(&a));
    assert_ne!(
        header_hash(&a),
        header_hash(&b),
        "the text is hashed, comments too"
    );
}

fn codegen(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lotinfo-codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_command_line_reads_the_file_beside_the_spec_or_the_one_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(repo_root().join(BASE_SPEC), dir.path().join("openapi.yaml")).expect("copy");
    std::fs::write(
        dir.path().join("codegen.toml"),
        "[crate]\nname = \"beside\"\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("other.toml"), "[crate]\nname = \"named\"\n").expect("write");
    let args = ["generate", "--spec", "openapi.yaml", "--out", "out"];
    let output = codegen(dir.path(), &args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = std::fs::read_to_string(dir.path().join("out/Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"beside\""), "{manifest}");

    let named = [&args[..], &["--config", "other.toml"]].concat();
    assert!(codegen(dir.path(), &named).status.success());
    let manifest = std::fs::read_to_string(dir.path().join("out/Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"named\""), "{manifest}");
    assert!(
        manifest.contains("--config other.toml"),
        "the header says how to regenerate"
    );
    assert_eq!(
        codegen(dir.path(), &[&named[..], &["--crate-name", "cli"]].concat())
            .status
            .code(),
        Some(0)
    );
    let manifest = std::fs::read_to_string(dir.path().join("out/Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("name = \"cli\""),
        "--crate-name wins: {manifest}"
    );

    // `check` reads the same file: the crate written with other.toml is in sync with it only.
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--spec",
            "openapi.yaml",
            "--out",
            "out",
            "--crate-name",
            "cli",
        ];
        args.extend_from_slice(extra);
        codegen(dir.path(), &args).status.code()
    };
    assert_eq!(check(&["--config", "other.toml"]), Some(0));
    assert_eq!(
        check(&[]),
        Some(1),
        "the file beside the spec hashes differently"
    );

    std::fs::write(dir.path().join("codegen.toml"), "[crate]\nnmae = \"x\"\n").expect("write");
    let output = codegen(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("codegen.toml#/crate/nmae") && stderr.contains("line 2"),
        "{stderr}"
    );
}
