//! Bundling: the documents a spec's `$ref`s name by relative path (`schemas/pet.yaml`,
//! `common.yaml#/components/schemas/Pet`) are loaded into the root document's tree, each under
//! `/x-bundled/<its path relative to the root's folder>` ([`BUNDLE_KEY`]), and every reference to
//! them, or made inside them, becomes a local pointer there. The rest of the pipeline then sees one
//! document. Files are read only here, each once; a URL is never fetched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Severity, SpecErrors};
use crate::pointer::{percent_decode, Pointer, BUNDLE_KEY};

use super::load::{parse_tree, TreeError, MAX_DEPTH};
use super::raw::value_at;

/// The root document with the files it refers to.
#[derive(Debug, Default)]
pub(super) struct Bundle {
    /// The root's tree; when it refers to other files, with them under [`BUNDLE_KEY`] and every
    /// reference to them local.
    pub tree: Value,
    /// The root document's own references to other files, as written → the local reference that
    /// replaced them in the tree.
    pub rewritten: BTreeMap<String, String>,
    /// Each loaded file's text, by its path relative to the root's folder.
    pub files: BTreeMap<String, String>,
}

/// Whether `reference` names a document by URL (`https://…`, `//host/…`, any `scheme:`), which
/// is never fetched; a relative path is not.
pub fn is_remote(reference: &str) -> bool {
    let before = reference.split(['/', '#', '?']).next().unwrap_or_default();
    reference.starts_with("//")
        || before.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Whether `reference`, made in the root document (`in_root`) or in a file it loads, is left as
/// written: a URL, or a local reference of the root.
fn stays_as_written(reference: &str, in_root: bool) -> bool {
    is_remote(reference) || (in_root && (reference.is_empty() || reference.starts_with('#')))
}

impl Bundle {
    /// A document that refers to no other file, as it is.
    pub(super) fn alone(tree: Value) -> Self {
        Bundle {
            tree,
            ..Bundle::default()
        }
    }
}

/// Whether a JSON text (one serde_json read) may refer to another file, as far as its text shows:
/// `false` only when every `"$ref"` key is followed by a string that starts with `#` (a local
/// reference, which stays as written) and no `"mapping"` key is there. Without a `\u` escape in
/// the text, those keys can be written no other way, and a `"$ref"` inside a string has its
/// quotes escaped. Looking for them is a scan of the text, where [`references_in`] walks every
/// value of the tree: a tenth of the loading of Stripe, whose references are all local.
pub(super) fn json_may_name_files(text: &str) -> bool {
    if text.contains("\\u") || text.contains("\"mapping\"") {
        return true;
    }
    let mut rest = text;
    while let Some(at) = rest.find("\"$ref\"") {
        rest = &rest[at + "\"$ref\"".len()..];
        // A key is followed by a colon; a value that is not a string is no reference.
        let Some(value) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        if let Some(reference) = value.trim_start().strip_prefix('"') {
            if !reference.starts_with('#') {
                return true;
            }
        }
    }
    false
}

/// Loads every file `root` (the tree of the document at `root_path`) refers to by relative path,
/// recursively. Every problem is reported at the `$ref` that met it, in the file that holds it.
pub(super) fn bundle(root: Value, root_path: &Path) -> Result<Bundle, SpecErrors> {
    let root_name = root_path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut bundler = Bundler {
        folder: root_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        root: root_name.clone(),
        documents: IndexMap::from([(root_name, root)]),
        texts: BTreeMap::new(),
        unreadable: BTreeSet::new(),
        diagnostics: Vec::new(),
    };
    let mut rewritten = BTreeMap::new();
    // Loading appends documents; each is scanned once, in the order met.
    let mut next = 0;
    while next < bundler.documents.len() {
        let changes = bundler.localise_document(next);
        let document = &mut bundler.documents[next];
        for (at, written, local) in changes {
            if let Some(slot) = value_at_mut(document, &at) {
                *slot = Value::String(local.clone());
            }
            if next == 0 {
                rewritten.insert(written, local);
            }
        }
        next += 1;
    }
    bundler.finish(rewritten)
}

/// The state of one bundling.
struct Bundler {
    /// The root document's folder: every file read is in it or below.
    folder: PathBuf,
    /// The root document's own path relative to `folder` (its file name).
    root: String,
    /// Every document by path relative to `folder`: the root first, then the files in the order met.
    documents: IndexMap<String, Value>,
    /// The text of every loaded file.
    texts: BTreeMap<String, String>,
    /// Files that could not be loaded, reported once.
    unreadable: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Bundler {
    /// The rewrites of the references in document `index`: where, as written, and the local
    /// reference that replaces it. Loads the files they name.
    fn localise_document(&mut self, index: usize) -> Vec<(Pointer, String, String)> {
        let (from, document) = self
            .documents
            .get_index(index)
            .map(|(name, document)| (name.clone(), document))
            .expect("the index is within the documents");
        let in_root = from == self.root;
        // Only the references that change are collected: Stripe's root has some 8,000 local ones.
        let references = references_in(document, |reference| !stays_as_written(reference, in_root));
        references
            .into_iter()
            .filter_map(|(at, written)| {
                let reported = self.diagnostics.len();
                let local = self.localise(&from, &written, &at);
                // A mapping entry that leads nowhere only loses that entry: the member's tag
                // still comes from its schema, so it is a warning, not an error.
                if is_mapping_entry(&at) {
                    for diagnostic in &mut self.diagnostics[reported..] {
                        diagnostic.severity = Severity::Warning;
                        diagnostic
                            .message
                            .push_str("; the mapping entry is not used");
                    }
                }
                Some((at, written, local?))
            })
            .collect()
    }

    /// The local reference that stands for `reference`, made in document `from` at `at`. `None`
    /// when it stays as written (a URL; a local reference of the root) or cannot be made (then it
    /// is reported).
    fn localise(&mut self, from: &str, reference: &str, at: &Pointer) -> Option<String> {
        if stays_as_written(reference, from == self.root) {
            return None;
        }
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let Some(pointer) = Pointer::from_fragment(&format!("#{fragment}")) else {
            let message = format!("the fragment of `{reference}` is not a JSON pointer");
            self.report(
                from,
                Diagnostic::error(at, message).with_hint("write it as `#/path/to/the/object`"),
            );
            return None;
        };
        let target = if path.is_empty() {
            from.to_owned()
        } else {
            self.file_for(from, path, reference, at)?
        };
        if value_at(&self.documents[&target], &pointer).is_none() {
            let message =
                format!("dangling reference `{reference}`: nothing is at {pointer} in `{target}`");
            self.report(from, Diagnostic::error(at, message));
            return None;
        }
        let place = if target == self.root {
            Pointer::root()
        } else {
            Pointer::root().join(BUNDLE_KEY).join(&target)
        };
        let local = pointer.segments().iter().fold(place, |p, s| p.join(s));
        Some(local.to_fragment())
    }

    /// The document `path` (relative to document `from`'s folder) names, loaded if need be; `None`
    /// (reported) when it cannot be.
    fn file_for(
        &mut self,
        from: &str,
        path: &str,
        reference: &str,
        at: &Pointer,
    ) -> Option<String> {
        let Some(decoded) = percent_decode(path) else {
            let message = format!("the path of `{reference}` has a `%` escape that is not UTF-8");
            self.report(from, Diagnostic::error(at, message));
            return None;
        };
        let Some(name) = relative_to(from, &decoded) else {
            let message = format!("`{reference}` names a file outside the folder of the spec; only files in it or below are read");
            self.report(
                from,
                Diagnostic::error(at, message)
                    .with_hint("copy the file next to the spec and refer to it by a relative path"),
            );
            return None;
        };
        if name.is_empty() {
            let message = format!("`{reference}` names the spec's folder, not a file");
            self.report(from, Diagnostic::error(at, message));
            return None;
        }
        if self.documents.contains_key(&name) {
            return Some(name);
        }
        if self.unreadable.contains(&name) {
            return None;
        }
        match self.read(&name) {
            Ok(document) => {
                self.documents.insert(name.clone(), document);
                Some(name)
            }
            Err(problem) => {
                self.unreadable.insert(name);
                let message = format!("`{reference}` cannot be loaded: {problem}");
                self.report(from, Diagnostic::error(at, message));
                None
            }
        }
    }

    /// Reads and parses the file `name`, bounded in depth like the root document.
    fn read(&mut self, name: &str) -> Result<Value, String> {
        let text = std::fs::read_to_string(self.folder.join(name))
            .map_err(|error| format!("cannot read `{name}`: {error}"))?;
        let tree = parse_tree(&text).map_err(|error| match error {
            TreeError::Syntax(error) => format!("`{name}` is not valid YAML or JSON: {error}"),
            TreeError::TooDeep(diagnostic) => format!(
                "`{name}` nests deeper than {MAX_DEPTH} levels (at {})",
                diagnostic.pointer
            ),
        })?;
        self.texts.insert(name.to_owned(), text);
        Ok(tree)
    }

    /// Records a problem met in document `from`.
    fn report(&mut self, from: &str, diagnostic: Diagnostic) {
        self.diagnostics.push(if from == self.root {
            diagnostic
        } else {
            diagnostic.in_file(from)
        });
    }

    /// The root's tree with the loaded documents under [`BUNDLE_KEY`], or every problem met.
    fn finish(mut self, rewritten: BTreeMap<String, String>) -> Result<Bundle, SpecErrors> {
        let mut documents = std::mem::take(&mut self.documents);
        let (_, mut tree) = documents.shift_remove_index(0).expect("the root is first");
        if !documents.is_empty() {
            match &mut tree {
                Value::Object(root) if !root.contains_key(BUNDLE_KEY) => {
                    root.insert(BUNDLE_KEY.to_owned(), Value::Object(documents.into_iter().collect::<Map<_, _>>()));
                }
                _ => self.diagnostics.push(Diagnostic::error(
                    &Pointer::root().join(BUNDLE_KEY),
                    format!("`{BUNDLE_KEY}` is where the files the spec refers to are put; the document cannot have its own"),
                )),
            }
        }
        if self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            return Err(SpecErrors {
                diagnostics: self.diagnostics,
            });
        }
        Ok(Bundle {
            tree,
            rewritten,
            files: self.texts,
        })
    }
}

/// The path of `path`, written in document `from` (a path relative to the root's folder), relative
/// to the root's folder: `.` and `..` resolved, `/`-separated; empty for the folder itself. `None`
/// when it leaves the folder or is absolute.
fn relative_to(from: &str, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut segments: Vec<&str> = from.split('/').collect();
    segments.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            name => segments.push(name),
        }
    }
    Some(segments.join("/"))
}

/// The value at `pointer`, to rewrite it.
fn value_at_mut<'a>(value: &'a mut Value, pointer: &Pointer) -> Option<&'a mut Value> {
    pointer
        .segments()
        .into_iter()
        .try_fold(value, |current, segment| match current {
            Value::Object(map) => map.get_mut(&segment),
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// What the keys of an object are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// Keywords of OpenAPI or JSON Schema (`type`, `properties`, `example`).
    Keywords,
    /// Names the author chose (property names, status codes, component names).
    Names,
    /// Names of Example Objects (`examples` of a media type or parameter).
    ExampleNames,
    /// The keywords of one Example Object.
    Example,
}

/// Keywords whose value is data, not document structure: a `$ref` inside is text.
const DATA_KEYWORDS: &[&str] = &["example", "default", "enum", "const"];

/// Keywords whose value maps names the author chose to objects.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "definitions",
    "$defs",
    "paths",
    "webhooks",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
];

/// Every reference in a document that `wanted` accepts, with where it is: the value of each
/// `$ref`, and each `discriminator` mapping that names a file or pointer rather than a schema.
/// Data (examples, defaults, enum values) is not looked into.
fn references_in(document: &Value, wanted: impl Fn(&str) -> bool) -> Vec<(Pointer, String)> {
    let mut found = Vec::new();
    // Each value met, as its parent's index here and its key there (the root is place 0, whose
    // entry is never read): a pointer is made only for the references found, not for each of
    // the tree's values (Stripe's 94,000).
    let mut places: Vec<(usize, Segment<'_>)> = vec![(0, Segment::Index(0))];
    let mut stack = vec![(document, 0usize, Keys::Keywords)];
    while let Some((value, place, keys)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map
                    .get("$ref")
                    .filter(|reference| reference.as_str().is_some_and(&wanted))
                {
                    found.push((pointer_of(&places, place).join("$ref"), reference.clone()));
                }
                if let Some(Value::Object(mapping)) =
                    map.get("discriminator").and_then(|d| d.get("mapping"))
                {
                    let mapping_at = pointer_of(&places, place)
                        .join("discriminator")
                        .join("mapping");
                    found.extend(mapping.iter().filter_map(|(name, target)| {
                        let target = target
                            .as_str()
                            .filter(|t| names_a_document(t) && wanted(t))?;
                        Some((mapping_at.join(name), target.to_owned()))
                    }));
                }
                // Reversed, so that references come out in document order.
                for (key, child) in map.iter().rev() {
                    if let Some(child_keys) = keys_of(keys, key, child) {
                        places.push((place, Segment::Key(key)));
                        stack.push((child, places.len() - 1, child_keys));
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate().rev() {
                    places.push((place, Segment::Index(index)));
                    stack.push((item, places.len() - 1, Keys::Keywords));
                }
            }
            _ => {}
        }
    }
    found
}

/// One step of the way from the root to a value [`references_in`] met.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The pointer to the value at `place` in `places`.
fn pointer_of(places: &[(usize, Segment<'_>)], mut place: usize) -> Pointer {
    let mut segments = Vec::new();
    while place != 0 {
        let (parent, segment) = places[place];
        segments.push(segment);
        place = parent;
    }
    segments
        .iter()
        .rev()
        .fold(Pointer::root(), |pointer, segment| match segment {
            Segment::Key(key) => pointer.join(key),
            Segment::Index(index) => pointer.join(index.to_string()),
        })
}

/// What the keys of `child`, the value of `key` in an object whose keys are `keys`, are; `None`
/// when it is data, not looked into.
fn keys_of(keys: Keys, key: &str, child: &Value) -> Option<Keys> {
    match keys {
        Keys::Names => Some(Keys::Keywords),
        Keys::ExampleNames => Some(Keys::Example),
        Keys::Example => (key != "value").then_some(Keys::Keywords),
        Keys::Keywords if DATA_KEYWORDS.contains(&key) => None,
        // A schema's `examples` (3.1) is a list of values; elsewhere, a map of Example Objects.
        Keys::Keywords if key == "examples" => child.is_object().then_some(Keys::ExampleNames),
        Keys::Keywords if NAME_MAPS.contains(&key) => Some(Keys::Names),
        Keys::Keywords => Some(Keys::Keywords),
    }
}

/// Whether `at` is an entry of a discriminator's `mapping`.
fn is_mapping_entry(at: &Pointer) -> bool {
    let segments = at.segments();
    segments.len() >= 3
        && segments[segments.len() - 3] == "discriminator"
        && segments[segments.len() - 2] == "mapping"
}

/// Whether a discriminator's mapping value is a reference (`dog.yaml`, `#/components/schemas/Dog`)
/// rather than a schema name (`Dog`, `com.example.Dog`).
fn names_a_document(target: &str) -> bool {
    target.contains(['#', '/'])
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|extension| target.ends_with(extension))
}

#[cfg(test)]
mod tests {
    use super::{is_remote, references_in, relative_to};

    #[test]
    fn json_that_names_no_file_is_told_from_its_text() {
        use super::json_may_name_files;
        for local in [
            r##"{"a": {"$ref": "#/components/schemas/A"}}"##,
            r##"{"a": {"$ref"  :
              "#/x"}, "b": {"$ref": 7}}"##,
            r##"{"description": "see \"$ref\": \"other.json\""}"##,
            r##"{"description": "a \"$ref", "b": 1}"##,
            r#"{"openapi": "3.0.3"}"#,
        ] {
            assert!(!json_may_name_files(local), "{local}");
        }
        for other in [
            r#"{"a": {"$ref": "other.json"}}"#,
            r##"{"a": {"$ref": "#/x"}, "b": {"$ref": "b.yaml#/B"}}"##,
            r#"{"a": {"$ref": ""}}"#,
            r#"{"a": {"\u0024ref": "other.json"}}"#,
            r#"{"d": {"mapping": {"dog": "dog.yaml"}}}"#,
            r#"{"see \"$ref": "other.json"}"#,
        ] {
            assert!(json_may_name_files(other), "{other}");
        }
    }

    /// On every JSON document of the corpus and the fixtures, a text said to name no file holds no
    /// reference the bundling would follow.
    #[test]
    fn the_text_scan_misses_no_reference_of_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut scanned = 0;
        for folder in ["tests/corpus", "tests/fixtures"] {
            let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let Ok(tree) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                let followed = references_in(&tree, |r| !super::stays_as_written(r, true));
                if !super::json_may_name_files(&text) {
                    assert!(followed.is_empty(), "{}", entry.path().display());
                    scanned += 1;
                }
            }
        }
        assert!(scanned > 10, "only {scanned} documents scanned");
    }

    #[test]
    fn urls_are_remote_and_paths_are_not() {
        for remote in [
            "https://example.com/pet.yaml",
            "http://x/y#/a",
            "//example.com/pet.yaml",
            "file:///etc/pet.yaml",
            "urn:pets:pet",
            "C:\\specs\\pet.yaml",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        for local in ["pet.yaml", "./a/b.json#/X", "../c.yaml", "#/components"] {
            assert!(!is_remote(local), "{local}");
        }
        assert!(
            !is_remote("dir/a:b.yaml"),
            "a colon after a slash is part of a path"
        );
    }

    #[test]
    fn paths_resolve_against_the_referring_file_and_stay_in_the_folder() {
        assert_eq!(
            relative_to("openapi.yaml", "schemas/pet.yaml").as_deref(),
            Some("schemas/pet.yaml")
        );
        assert_eq!(
            relative_to("openapi.yaml", "./schemas//pet.yaml").as_deref(),
            Some("schemas/pet.yaml")
        );
        assert_eq!(
            relative_to("schemas/pet.yaml", "tag.json").as_deref(),
            Some("schemas/tag.json")
        );
        assert_eq!(
            relative_to("schemas/pet.yaml", "../openapi.yaml").as_deref(),
            Some("openapi.yaml")
        );
        assert_eq!(relative_to("schemas/pet.yaml", "../../secret.yaml"), None);
        assert_eq!(relative_to("openapi.yaml", "../x.yaml"), None);
        assert_eq!(relative_to("openapi.yaml", "/etc/passwd"), None);
        assert_eq!(relative_to("schemas/pet.yaml", "..").as_deref(), Some(""));
    }

    #[test]
    fn references_in_data_are_not_followed() {
        let document: serde_json::Value = serde_json::json!({
            "responses": {"default": {"$ref": "responses.yaml#/Problem"}},
            "properties": {
                "example": {"$ref": "example.yaml"},
                "x": {"example": {"$ref": "not-a-ref.yaml"}, "default": {"$ref": "no.yaml"}}
            },
            "examples": {"one": {"$ref": "examples/one.yaml"}, "two": {"value": {"$ref": "no.yaml"}}},
            "items": {"examples": [{"$ref": "no.yaml"}], "enum": [{"$ref": "no.yaml"}]},
            "oneOf": [{"$ref": "dog.yaml"}],
            "discriminator": {"mapping": {"dog": "dog.yaml", "cat": "Cat", "eel": "com.example.Eel"}}
        });
        let found: Vec<(String, String)> = references_in(&document, |_| true)
            .into_iter()
            .map(|(at, reference)| (at.to_string(), reference))
            .collect();
        let expected = [
            ("#/discriminator/mapping/dog", "dog.yaml"),
            ("#/responses/default/$ref", "responses.yaml#/Problem"),
            ("#/properties/example/$ref", "example.yaml"),
            ("#/examples/one/$ref", "examples/one.yaml"),
            ("#/oneOf/0/$ref", "dog.yaml"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(at, reference)| (at.to_string(), reference.to_string()))
            .collect();
        assert_eq!(found, expected);
    }
}
