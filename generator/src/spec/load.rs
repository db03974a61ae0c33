//! Text → [`Document`]: YAML or JSON (JSON is YAML), with the place of any syntax or shape error;
//! or a file → [`Document`] with the files its `$ref`s name ([`super::bundle`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::pointer::Pointer;

use serde::Deserialize;
use serde_json::Value;

use super::raw::Tree;
use super::{bundle, Document, RawDocument};

/// Every text a generation read: the root document and the files its `$ref`s loaded. The
/// `@generated` header's hash covers all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// The root document's text.
    pub root: String,
    /// Each loaded file's text, by its path relative to the root document's folder (`/`-separated).
    pub loaded: BTreeMap<String, String>,
    /// The configuration file's text, when there is one (not read here: the generation adds it,
    /// so that the header's hash covers it).
    pub config: Option<String>,
}

impl Sources {
    /// The sources of a spec given as text: the text alone.
    pub fn text(root: &str) -> Self {
        Sources {
            root: root.to_owned(),
            loaded: BTreeMap::new(),
            config: None,
        }
    }
}

/// Parses an OpenAPI document. A syntax error, or a value of the wrong shape, is reported with the
/// JSON pointer of the value and its line and column. A `$ref` to another file stays as written
/// (the IR reports it); [`load_file`] loads them.
pub fn load(text: &str) -> Result<Document, SpecErrors> {
    let tree = check_depth(text)?;
    let mut document = parse_typed(text, &tree)?;
    document.raw = RawDocument {
        tree,
        rewritten: BTreeMap::new(),
    };
    Ok(document)
}

/// Parses the OpenAPI document at `path` and loads every file its `$ref`s name by a relative path,
/// recursively (see `spec/bundle.rs`). The typed document is parsed from the root's text exactly
/// as [`load`] does (so YAML reads the same and shape errors keep their line); the loaded files
/// join its raw tree. Returns the document and every text read.
pub fn load_file(path: &Path) -> Result<(Document, Sources), SpecErrors> {
    let text = std::fs::read_to_string(path).map_err(|error| SpecErrors {
        diagnostics: vec![Diagnostic::error(
            &Pointer::root(),
            format!("cannot read the spec {}: {error}", path.display()),
        )],
    })?;
    // A JSON text is read into the typed document on a thread of its own while this one reads
    // the tree: the two parses are half the loading of a large document.
    let (tree, typed) = std::thread::scope(|scope| {
        let typed = looks_like_json(&text)
            .then(|| crate::spawn_with_large_stack(scope, || typed_from_json(&text)));
        let tree = check_depth(&text);
        (tree, typed.and_then(crate::joined_result))
    });
    let tree = tree?;
    let typed = typed.filter(|_| !tree.is_null());
    let read_as_json = typed.is_some();
    let mut document = match typed {
        Some(document) => document,
        None => parse_typed(&text, &tree)?,
    };
    let bundled = if read_as_json && !bundle::json_may_name_files(&text) {
        bundle::Bundle::alone(tree)
    } else {
        bundle::bundle(tree, path)?
    };
    document.raw = RawDocument {
        tree: bundled.tree,
        rewritten: bundled.rewritten,
    };
    let sources = Sources {
        root: text,
        loaded: bundled.files,
        config: None,
    };
    Ok((document, sources))
}

/// Whether a text is worth reading with the JSON parser first: it looks like a JSON object. JSON
/// is YAML, and serde_json reads it several times faster and with a fraction of the memory
/// (serde_yaml holds every event of the document at once). Whatever serde_json refuses is read
/// again as YAML, so YAML's reading (and its error messages) decide every case JSON does not.
fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// The typed document, read from the plain tree the text was already parsed into: the text is
/// parsed once. A tree the typed document refuses (or a text that did not parse) is read again
/// from the text, through `serde_path_to_error`, so that the error names its pointer and line.
fn parse_typed(text: &str, tree: &Value) -> Result<Document, SpecErrors> {
    match typed_from_tree(tree) {
        Some(document) => Ok(document),
        None => {
            let mut document = parse_typed_yaml::<Document>(text)?;
            document.kept = Some(Box::new(parse_typed_yaml(text)?));
            Ok(document)
        }
    }
}

/// The typed document read from the plain tree; `None` when it refuses the tree.
fn typed_from_tree(tree: &Value) -> Option<Document> {
    if tree.is_null() {
        return None;
    }
    Document::deserialize(tree).ok()
}

/// The typed document read by serde_json straight from a JSON text, as [`typed_from_tree`] reads
/// it from the text's tree; `None` when serde_json refuses it (then the tree decides).
fn typed_from_json(text: &str) -> Option<Document> {
    serde_json::from_str(text).ok()
}

/// The typed parse by serde_yaml, which reads any YAML and locates errors.
fn parse_typed_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, SpecErrors> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let pointer = pointer_of(error.path());
        let inner = error.into_inner();
        let location = inner.location().map(|l| (l.line(), l.column()));
        let mut diagnostic = Diagnostic::error(&pointer, strip_location(&inner.to_string()));
        diagnostic.location = location;
        SpecErrors {
            diagnostics: vec![diagnostic],
        }
    })
}

/// How deeply mappings and sequences may nest. Real documents stay far below it; the typed parse
/// and the lowering recurse once per level, so a bound keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 96;

/// Parses the document as a plain tree and refuses it when nested deeper than [`MAX_DEPTH`],
/// naming where the nesting goes too deep. Other syntax errors give `Null`: the typed parse
/// reports them with their place.
fn check_depth(text: &str) -> Result<Value, SpecErrors> {
    match parse_tree(text) {
        Ok(value) => Ok(value),
        Err(TreeError::TooDeep(diagnostic)) => Err(SpecErrors {
            diagnostics: vec![*diagnostic],
        }),
        Err(TreeError::Syntax(_)) => Ok(Value::Null),
    }
}

/// Why a text is not a tree [`parse_tree`] accepts.
pub(super) enum TreeError {
    /// Not YAML (or JSON); the error carries its line and column.
    Syntax(serde_yaml::Error),
    /// Nested deeper than [`MAX_DEPTH`]: where.
    TooDeep(Box<Diagnostic>),
}

/// Parses a text as a plain tree, refused when nested deeper than [`MAX_DEPTH`].
pub(super) fn parse_tree(text: &str) -> Result<Value, TreeError> {
    let json = looks_like_json(text)
        .then(|| serde_json::from_str::<Tree>(text).ok())
        .flatten();
    let parsed = match json {
        Some(tree) => Ok(tree),
        None => serde_yaml::from_str::<Tree>(text),
    };
    let value = match parsed {
        Ok(Tree(value)) => value,
        Err(error) if error.to_string().contains("recursion limit") => {
            let mut diagnostic = Diagnostic::error(
                &Pointer::root(),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            );
            diagnostic.location = error.location().map(|l| (l.line(), l.column()));
            return Err(TreeError::TooDeep(Box::new(diagnostic)));
        }
        Err(error) => return Err(TreeError::Syntax(error)),
    };
    if deepest(&value) <= MAX_DEPTH {
        return Ok(value);
    }
    // Too deep: walked again, with the pointers, to say where.
    let mut stack = vec![(&value, Pointer::root(), 0usize)];
    while let Some((value, pointer, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            let diagnostic = Diagnostic::error(
                &pointer,
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            )
            .with_hint("is a schema nested by mistake, or generated without $ref?");
            return Err(TreeError::TooDeep(Box::new(diagnostic)));
        }
        match value {
            Value::Object(map) => stack.extend(
                map.iter()
                    .map(|(key, child)| (child, pointer.join(key), depth + 1)),
            ),
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, child)| (child, pointer.join(index.to_string()), depth + 1)),
            ),
            _ => {}
        }
    }
    Ok(value)
}

/// How deeply `value` nests (a scalar at the root is 0), without making a pointer per value:
/// Stripe's tree has some 94,000 of them.
fn deepest(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match value {
            Value::Object(map) => stack.extend(map.values().map(|child| (child, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|child| (child, depth + 1))),
            _ => {}
        }
    }
    deepest
}

fn pointer_of(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(Pointer::root(), |pointer, segment| match segment {
            Segment::Seq { index } => pointer.join(index.to_string()),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer,
        })
}

/// serde_yaml prefixes the dotted path (`components.schemas.A.type: `) and appends " at line L
/// column C"; the diagnostic carries both on its own, as a pointer and a location.
fn strip_location(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    match message.split_once(": ") {
        Some((path, rest)) if !path.contains(char::is_whitespace) && !path.is_empty() => {
            rest.to_owned()
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON fast path must read a JSON document exactly as YAML does: the plain tree, on the
    /// JSON fixture and real JSON documents of the corpus.
    #[test]
    fn json_is_read_as_yaml_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for path in [
            "tests/fixtures/formats.json",
            "tests/corpus/readme-3.1-readme.json",
            "tests/corpus/apisguru-discourse.local.json",
            "tests/corpus/readme-3.1-schema-validation-local.json",
        ] {
            let text = std::fs::read_to_string(root.join(path)).expect("readable");
            assert!(looks_like_json(&text), "{path}");
            let tree_by_json = serde_json::from_str::<Tree>(&text).expect("json").0;
            let tree_by_yaml = serde_yaml::from_str::<Tree>(&text).expect("yaml").0;
            assert_eq!(tree_by_json, tree_by_yaml, "{path}");
        }
    }

    /// The typed document read from the tree must be the one serde_yaml reads from the text, and
    /// for a JSON text the one serde_json reads from it, on the repository's spec, every fixture
    /// and every document of the corpus that the text reads.
    #[test]
    fn the_tree_reads_as_the_text_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let (mut compared, mut json_compared) = (0, 0);
        for folder in ["spec", "tests/fixtures", "tests/corpus"] {
            let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let is_spec = matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                );
                let Some(text) = is_spec
                    .then(|| std::fs::read_to_string(&path).ok())
                    .flatten()
                else {
                    continue;
                };
                let Ok(Tree(tree)) = serde_yaml::from_str::<Tree>(&text) else {
                    continue;
                };
                let Ok(from_text) = parse_typed_yaml::<Document>(&text) else {
                    continue;
                };
                // What the text reads, the tree reads too: the second parse is only for errors.
                let from_tree = typed_from_tree(&tree)
                    .unwrap_or_else(|| panic!("{} reads from the text only", path.display()));
                assert_eq!(
                    format!("{from_tree:?}"),
                    format!("{from_text:?}"),
                    "{}",
                    path.display()
                );
                // A JSON text is also read by serde_json, beside its tree: the same again.
                if let Some(from_json) = looks_like_json(&text)
                    .then(|| typed_from_json(&text))
                    .flatten()
                {
                    assert_eq!(
                        format!("{from_json:?}"),
                        format!("{from_tree:?}"),
                        "{}",
                        path.display()
                    );
                    json_compared += 1;
                }
                // The parts the document only checks are read from the tree when lowered.
                let parts_from_text: crate::spec::KeptParts =
                    serde_yaml::from_str(&text).expect("read as the text");
                let parts_from_tree =
                    crate::spec::KeptParts::deserialize(&tree).expect("read as the tree");
                assert_eq!(
                    format!("{parts_from_tree:?}"),
                    format!("{parts_from_text:?}"),
                    "{}",
                    path.display()
                );
                compared += 1;
            }
        }
        assert!(compared > 40, "only {compared} documents compared");
        assert!(
            json_compared > 10,
            "only {json_compared} JSON documents compared"
        );
    }

    #[test]
    fn a_json_file_serde_json_types_differently_is_read_as_its_tree() {
        // serde_json refuses a field written twice in the typed document; the tree keeps the
        // last, as YAML's reading does.
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("twice.json");
        let text = r#"{"openapi": "3.0.3", "info": {"title": "first", "title": "last", "version": "1"}, "paths": {}}"#;
        std::fs::write(&path, text).expect("written");
        assert!(typed_from_json(text).is_none());
        let (document, _) = load_file(&path).expect("loads");
        assert_eq!(document.info.title, "last");
        assert_eq!(
            format!("{:?}", document.info),
            format!("{:?}", load(text).expect("loads").info)
        );
    }

    #[test]
    fn what_json_refuses_is_read_as_yaml() {
        // A comment is not JSON; as YAML (a flow mapping) it is fine.
        let text = "{\"openapi\": \"3.0.3\", # a comment\n \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
        assert!(serde_json::from_str::<Value>(text).is_err());
        let document = load(text).expect("read as YAML");
        assert_eq!(document.info.title, "t");
    }

    /// YAML reads `0.50` as the string a `description` wants, word for word; the tree reads it
    /// as a number, which a string field refuses. Such a document is read from its text, and the
    /// parts the lowering reads one by one are kept as the text reads them.
    #[test]
    fn a_scalar_read_as_a_string_is_kept_as_the_text_reads_it() {
        let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      description: 0.50
      responses:
        '200':
          description: 1.10
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      description: 2.50
      properties:
        name: {type: string, description: 3.50}
";
        let document = load(text).expect("read from the text");
        let kept = document.kept.as_deref().expect("the parts are kept");
        assert_eq!(
            kept.components.schemas["Pet"].description.as_deref(),
            Some("2.50")
        );
        let (api, _) = crate::ir::lower(&document).expect("lowers");
        let pet = api
            .types
            .values()
            .find(|def| def.name == "Pet")
            .expect("the type Pet");
        assert!(pet
            .docs
            .as_deref()
            .is_some_and(|docs| docs.contains("2.50")));
        let operation = &api.operations[0];
        assert!(operation
            .docs
            .as_deref()
            .is_some_and(|docs| docs.contains("0.50")));
    }
}
