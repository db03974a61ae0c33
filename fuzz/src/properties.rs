//! The properties the fuzz targets check, shared with the bounded run in CI
//! (`tests/fuzz_smoke.rs` includes this file by path), so that both run exactly the same code:
//!
//! - [`spec_text`]: any text given to `lotinfo_codegen::generate` gives files or errors, never a
//!   panic; generated Rust parses; no error is an "internal error".
//! - [`spec_mutated`]: the same for a real spec (the seeds below) whose parsed tree the input's
//!   bytes mutate: keys deleted, renamed or added, subtrees copied or swapped, values of another
//!   type, `$ref`s that dangle, point anywhere or make cycles, deep nesting.
//! - [`decode_response`]: any response body, or a mutation of the spec's response examples,
//!   decodes as `AddClientsResponse` and `ListClientsResponse` or fails keeping the raw body;
//!   what decodes leniently survives strict encoding and decoding again unchanged.
//!
//! The mutations read the input through [`Source`], a cursor that yields zeros when the bytes run
//! out, so every input is valid and shrinking or minimising an input shrinks the mutations.

use std::sync::OnceLock;

use lotinfo_client::models::{AddClientsResponse, ListClientsResponse};
use lotinfo_client::runtime::transport::decode_json;
use lotinfo_codegen::{generate, Options};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The real documents the mutations start from: the lotinfo spec, every golden fixture and a few
/// small documents of the corpus.
pub const SEEDS: &[(&str, &str)] = &[
    ("spec/lotinfo.yaml", include_str!("../../spec/lotinfo.yaml")),
    (
        "tests/fixtures/bodies.yaml",
        include_str!("../../tests/fixtures/bodies.yaml"),
    ),
    (
        "tests/fixtures/enums.yaml",
        include_str!("../../tests/fixtures/enums.yaml"),
    ),
    (
        "tests/fixtures/formats.json",
        include_str!("../../tests/fixtures/formats.json"),
    ),
    (
        "tests/fixtures/naming.yaml",
        include_str!("../../tests/fixtures/naming.yaml"),
    ),
    (
        "tests/fixtures/objects.yaml",
        include_str!("../../tests/fixtures/objects.yaml"),
    ),
    (
        "tests/fixtures/operations.yaml",
        include_str!("../../tests/fixtures/operations.yaml"),
    ),
    (
        "tests/fixtures/pagination.yaml",
        include_str!("../../tests/fixtures/pagination.yaml"),
    ),
    (
        "tests/fixtures/security.yaml",
        include_str!("../../tests/fixtures/security.yaml"),
    ),
    (
        "tests/fixtures/unions.yaml",
        include_str!("../../tests/fixtures/unions.yaml"),
    ),
    (
        "tests/fixtures/validation.yaml",
        include_str!("../../tests/fixtures/validation.yaml"),
    ),
    (
        "tests/fixtures/multifile/openapi.yaml",
        include_str!("../../tests/fixtures/multifile/openapi.yaml"),
    ),
    (
        "tests/corpus/readme-3.0-callbacks.json",
        include_str!("../../tests/corpus/readme-3.0-callbacks.json"),
    ),
    (
        "tests/corpus/readme-3.0-circular-request-bodies.json",
        include_str!("../../tests/corpus/readme-3.0-circular-request-bodies.json"),
    ),
    (
        "tests/corpus/readme-3.0-discriminators.yaml",
        include_str!("../../tests/corpus/readme-3.0-discriminators.yaml"),
    ),
    (
        "tests/corpus/readme-3.0-schema-circular.yaml",
        include_str!("../../tests/corpus/readme-3.0-schema-circular.yaml"),
    ),
    (
        "tests/corpus/readme-3.1-webhooks.yaml",
        include_str!("../../tests/corpus/readme-3.1-webhooks.yaml"),
    ),
    (
        "tests/corpus/readme-3.0-parameters-cookies.json",
        include_str!("../../tests/corpus/readme-3.0-parameters-cookies.json"),
    ),
];

/// What one generation came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The input was not UTF-8 text.
    NotText,
    /// The generator refused the spec with errors.
    Refused,
    /// The generator made this many files.
    Generated(usize),
}

/// Arbitrary bytes, as text when they are UTF-8, given to the generator.
pub fn spec_text(bytes: &[u8]) -> Outcome {
    match std::str::from_utf8(bytes) {
        Ok(text) => check_generation(text),
        Err(_) => Outcome::NotText,
    }
}

/// A seed chosen and mutated by `bytes`, given to the generator.
pub fn spec_mutated(bytes: &[u8]) -> Outcome {
    check_generation(&mutated_spec(bytes))
}

/// The spec text [`spec_mutated`] makes of `bytes`: the first byte picks the seed, the second how
/// many mutations, the rest drives them; the result is written as JSON, pretty JSON or YAML.
pub fn mutated_spec(bytes: &[u8]) -> String {
    let mut source = Source::new(bytes);
    let seeds = seed_documents();
    let mut document = seeds[source.below(seeds.len())].clone();
    let mutations = 1 + source.below(8);
    for _ in 0..mutations {
        mutate(&mut document, &mut source);
    }
    match source.below(3) {
        0 => serde_json::to_string(&document).expect("a JSON value encodes"),
        1 => serde_json::to_string_pretty(&document).expect("a JSON value encodes"),
        _ => serde_yaml::to_string(&document).expect("a JSON value encodes as YAML"),
    }
}

/// The stack syn gets to parse generated Rust: a spec may nest arrays and maps as deep as the
/// generator's own limit, and syn recurses once per level of a type such as `Vec<Vec<…>>`, past
/// the 2 MiB of a test's thread (the generator formats on a stack this size too).
const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Whether `syn::parse_file` reads `text`, on a thread with a [`PARSE_STACK_BYTES`] stack (its
/// error as text: syn's values cannot leave the thread).
fn parse_on_large_stack(text: &str) -> Result<(), String> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || {
                syn::parse_file(text)
                    .map(drop)
                    .map_err(|error| error.to_string())
            })
            .expect("the operating system starts a thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Runs the generator on `spec`: generated Rust must parse, and an error must not be the
/// generator's own (`internal error`); a panic is a failure of the caller.
pub fn check_generation(spec: &str) -> Outcome {
    match generate(spec, &Options::default()) {
        Ok((files, warnings)) => {
            for warning in &warnings {
                let _ = warning.to_string();
            }
            for (path, text) in &files {
                if path.ends_with(".rs") {
                    if let Err(error) = parse_on_large_stack(text) {
                        panic!("the generated {path} does not parse: {error}\n{text}");
                    }
                }
            }
            Outcome::Generated(files.len())
        }
        Err(errors) => {
            for diagnostic in &errors.diagnostics {
                let text = diagnostic.to_string();
                assert!(
                    !text.contains("internal error"),
                    "the generator failed on its own output: {text}"
                );
            }
            Outcome::Refused
        }
    }
}

/// The seeds, parsed once.
pub fn seed_documents() -> &'static [Value] {
    static DOCUMENTS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|(name, text)| {
                serde_yaml::from_str(text).unwrap_or_else(|error| panic!("{name}: {error}"))
            })
            .collect()
    })
}

/// What a response body decoded to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decoded {
    /// Bodies that decoded as `AddClientsResponse`.
    pub add_clients: bool,
    /// Bodies that decoded as `ListClientsResponse`.
    pub list_clients: bool,
}

/// The first byte picks what the body is: the bytes themselves, or a mutation of one of the
/// spec's response examples driven by the rest.
pub fn decode_response(bytes: &[u8]) -> Decoded {
    let body = match bytes.split_first() {
        Some((choice, rest)) if choice % 2 == 1 => mutated_response(rest),
        Some((_, rest)) => rest.to_vec(),
        None => Vec::new(),
    };
    Decoded {
        add_clients: check_decoding::<AddClientsResponse>(&body),
        list_clients: check_decoding::<ListClientsResponse>(&body),
    }
}

fn mutated_response(bytes: &[u8]) -> Vec<u8> {
    let mut source = Source::new(bytes);
    let examples = response_examples();
    let mut body = examples[source.below(examples.len())].clone();
    for _ in 0..source.below(6) {
        mutate(&mut body, &mut source);
    }
    serde_json::to_vec(&body).expect("a JSON value encodes")
}

/// The success response examples of the spec.
pub fn response_examples() -> &'static [Value] {
    static EXAMPLES: OnceLock<Vec<Value>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let spec = &seed_documents()[0];
        ["put", "post"]
            .iter()
            .map(|method| {
                let pointer = format!(
                    "/paths/~1CLIENTS/{method}/responses/200/content/application~1json/examples/documented/value"
                );
                spec.pointer(&pointer)
                    .unwrap_or_else(|| panic!("the spec has {pointer}"))
                    .clone()
            })
            .collect()
    })
}

/// Decodes `body` as `T` the way a call does; whether it decoded.
fn check_decoding<T>(body: &[u8]) -> bool
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    match decode_json::<T>(200, body.to_vec()) {
        Ok(value) => {
            let strict = serde_json::to_vec(&value).expect("a decoded value encodes");
            let again: T = serde_json::from_slice(&strict).unwrap_or_else(|error| {
                panic!(
                    "{value:?} decoded from {:?} encodes as {:?}, which does not decode: {error}",
                    String::from_utf8_lossy(body),
                    String::from_utf8_lossy(&strict)
                )
            });
            assert_eq!(again, value, "a decoded value changes through encoding");
            // A body nested deeper than serde_json's recursion limit cannot be read as a tree,
            // though its deep part, ignored, does not stop the typed decoding.
            let Ok(through_tree) = serde_json::from_slice::<Value>(body) else {
                return true;
            };
            let from_tree: T = serde_json::from_value(through_tree).unwrap_or_else(|error| {
                panic!(
                    "{:?} decodes from bytes but not from its tree: {error}",
                    String::from_utf8_lossy(body)
                )
            });
            assert_eq!(from_tree, value, "bytes and tree decode differently");
            true
        }
        Err(error) => {
            assert_eq!(error.status(), Some(200), "{error:?}");
            assert_eq!(
                error.raw_body().map(|raw| raw.as_bytes()),
                Some(body),
                "the error keeps the body as received"
            );
            let _ = error.to_string();
            let _ = format!("{error:?}");
            false
        }
    }
}

/// The input's bytes, read one at a time; zeros once they run out.
pub struct Source<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Source<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Source { bytes, position: 0 }
    }

    fn byte(&mut self) -> u8 {
        let byte = self.bytes.get(self.position).copied().unwrap_or(0);
        self.position += 1;
        byte
    }

    /// A number below `bound` (at least 1), from two bytes.
    fn below(&mut self, bound: usize) -> usize {
        let wide = usize::from(self.byte()) << 8 | usize::from(self.byte());
        wide % bound.max(1)
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

type Path = Vec<Step>;

/// Words of OpenAPI and JSON Schema, to add as keys.
const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "items",
    "required",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "discriminator",
    "propertyName",
    "mapping",
    "additionalProperties",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "nullable",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
    "description",
    "title",
    "deprecated",
    "prefixItems",
    "x-pagination",
    "openapi",
    "info",
    "paths",
    "components",
    "schemas",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/plain",
    "schema",
    "encoding",
    "in",
    "name",
    "style",
    "explode",
    "operationId",
    "security",
    "securitySchemes",
    "scheme",
    "bearerFormat",
    "servers",
    "url",
    "get",
    "put",
    "post",
    "delete",
    "200",
    "201",
    "204",
    "default",
    "4XX",
    "headers",
    "webhooks",
    "callbacks",
    "x-enum-varnames",
];

/// Strings to put where names, types, references and values go.
const STRINGS: &[&str] = &[
    "",
    " ",
    "string",
    "integer",
    "number",
    "boolean",
    "object",
    "array",
    "null",
    "int64",
    "int32",
    "date-time",
    "date",
    "uuid",
    "byte",
    "binary",
    "email",
    "double",
    "query",
    "path",
    "header",
    "cookie",
    "form",
    "deepObject",
    "pipeDelimited",
    "spaceDelimited",
    "simple",
    "matrix",
    "label",
    "apiKey",
    "http",
    "bearer",
    "basic",
    "oauth2",
    "3.0.3",
    "3.1.0",
    "2.0",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "Error",
    "Option",
    "Result",
    "Client",
    "Box",
    "String",
    "Vec",
    "None",
    "Some",
    "_",
    "__",
    "0",
    "1abc",
    "a-b",
    "a b",
    "A",
    "a",
    "Клиент",
    "имя",
    "日本",
    "🦀",
    "\u{0}",
    "\\",
    "\"",
    "'",
    "}",
    "{",
    "*/",
    "/*",
    "```",
    "\n",
    "#",
    "#/",
    "#/components/schemas/",
    "#/components/schemas/Missing",
    "#/paths",
    "~",
    "~0~1",
    "#/components/schemas/a~2b",
    "other.yaml",
    "other.yaml#/x",
    "../up.yaml",
    "https://example.com/spec.yaml",
    "/",
    "/{id}",
    "/{}",
    "/a/{a}/{a}",
    "{id}",
    "^$",
    "(",
    "[a-",
    "\\d+",
    "(?i)x",
    "9999999999999999999999",
    "-1",
    "1e400",
    "0.1",
];

/// Replaces, deletes, copies, swaps, renames or wraps one place of `document`, or puts a `$ref`
/// there.
fn mutate(document: &mut Value, source: &mut Source) {
    let places = paths(document);
    let place = source.pick(&places).clone();
    match source.below(10) {
        0 => delete(document, &place),
        1 => {
            let copied = source.pick(&places).clone();
            if let Some(value) = get(document, &copied).cloned() {
                let key = source.pick(KEYWORDS).to_string();
                insert(document, &place, key, value);
            }
        }
        2 => {
            let other = source.pick(&places).clone();
            swap(document, &place, &other);
        }
        3 => set(document, &place, palette(source)),
        4 => {
            let target = reference(document, &place, &places, source);
            set(document, &place, json!({ "$ref": target }));
        }
        5 => {
            if let Some(value) = get(document, &place).cloned() {
                let bound = if source.below(4) == 0 { 120 } else { 12 };
                let depth = 1 + source.below(bound);
                set(document, &place, nest(value, depth, source));
            }
        }
        6 => {
            let key = source.pick(KEYWORDS).to_string();
            let value = if source.below(2) == 0 {
                palette(source)
            } else {
                let copied = source.pick(&places).clone();
                get(document, &copied).cloned().unwrap_or(Value::Null)
            };
            insert(document, &place, key, value);
        }
        7 => rename(document, &place, source),
        8 => {
            // A cycle of two references.
            let other = source.pick(&places).clone();
            if !is_prefix(&place, &other) && !is_prefix(&other, &place) {
                set(document, &place, json!({ "$ref": pointer(&other) }));
                set(document, &other, json!({ "$ref": pointer(&place) }));
            }
        }
        _ => {
            let text = source.pick(STRINGS).to_string();
            let value = match get(document, &place) {
                Some(Value::String(old)) if source.below(2) == 0 => {
                    Value::String(old.clone() + &text)
                }
                _ => Value::String(text),
            };
            set(document, &place, value);
        }
    }
}

/// A value of any type: scalars at their edges, strings from [`STRINGS`], empty or small
/// containers.
fn palette(source: &mut Source) -> Value {
    match source.below(12) {
        0 => Value::Null,
        1 => Value::Bool(source.below(2) == 0),
        2 => json!(source.pick(&[0i64, 1, -1, i64::MAX, i64::MIN, 255, 1 << 53])),
        3 => json!(u64::MAX),
        4 => json!(source.pick(&[0.5f64, -0.0, 1e300, -1e-300, 3.25])),
        5 => json!([]),
        6 => json!({}),
        7 => json!([source.pick(STRINGS), source.pick(STRINGS)]),
        8 => json!({ "type": source.pick(STRINGS) }),
        9 => json!({ source.pick(KEYWORDS).to_string(): source.pick(STRINGS) }),
        _ => Value::String(source.pick(STRINGS).to_string()),
    }
}

/// A `$ref` target: an existing place (often making a cycle), a component that may not exist, or
/// something that is not a local pointer at all.
fn reference(document: &Value, place: &Path, places: &[Path], source: &mut Source) -> String {
    match source.below(6) {
        0 => pointer(&places[source.below(places.len())]),
        1 => pointer(&place[..source.below(place.len() + 1)]),
        2 => {
            let names: Vec<String> = document
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().cloned().collect())
                .unwrap_or_default();
            let name = names
                .get(source.below(names.len() + 1))
                .cloned()
                .unwrap_or_else(|| "Missing".to_owned());
            format!("#/components/schemas/{name}")
        }
        3 => {
            let base = pointer(&places[source.below(places.len())]);
            format!("{base}/{}", source.pick(STRINGS))
        }
        _ => source.pick(STRINGS).to_string(),
    }
}

/// `value` wrapped `depth` times in schemas (or plain arrays) around it.
fn nest(mut value: Value, depth: usize, source: &mut Source) -> Value {
    let wrapper = source.below(6);
    for _ in 0..depth {
        value = match wrapper {
            0 => json!({ "type": "array", "items": value }),
            1 => json!({ "allOf": [value] }),
            2 => json!({ "oneOf": [value, { "type": "string" }] }),
            3 => json!({ "type": "object", "properties": { "a": value } }),
            4 => json!({ "additionalProperties": value }),
            _ => json!([value]),
        };
    }
    value
}

fn rename(document: &mut Value, place: &Path, source: &mut Source) {
    let Some(Value::Object(map)) = get_mut(document, place) else {
        return;
    };
    if map.is_empty() {
        return;
    }
    let keys: Vec<String> = map.keys().cloned().collect();
    let old = source.pick(&keys).clone();
    let new = match source.below(4) {
        0 => old.to_uppercase(),
        1 => old.to_lowercase(),
        2 => source.pick(&keys).clone() + *source.pick(&["", "_", "-", "1", " "]),
        _ => source.pick(STRINGS).to_string(),
    };
    let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    let mut renamed = Map::new();
    for (key, value) in entries {
        renamed.insert(if key == old { new.clone() } else { key }, value);
    }
    *map = renamed;
}

/// Every place of `value`, the root first, in document order.
fn paths(value: &Value) -> Vec<Path> {
    fn walk(value: &Value, path: &mut Path, out: &mut Vec<Path>) {
        out.push(path.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

/// The JSON pointer (`#/a/b~1c`) of a place.
fn pointer(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

fn is_prefix(prefix: &[Step], path: &[Step]) -> bool {
    path.starts_with(prefix)
}

fn get<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get(key),
        Step::Index(index) => value.get(index),
    })
}

fn get_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key),
        Step::Index(index) => value.get_mut(index),
    })
}

fn set(document: &mut Value, place: &[Step], value: Value) {
    if let Some(slot) = get_mut(document, place) {
        *slot = value;
    }
}

fn delete(document: &mut Value, place: &[Step]) {
    let Some((last, parent)) = place.split_last() else {
        return;
    };
    match (get_mut(document, parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.remove(key);
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
}

/// Puts `value` under `key` of the object at `place`, or at the end of the array there.
fn insert(document: &mut Value, place: &[Step], key: String, value: Value) {
    match get_mut(document, place) {
        Some(Value::Object(map)) => {
            map.insert(key, value);
        }
        Some(Value::Array(items)) => items.push(value),
        _ => {}
    }
}

fn swap(document: &mut Value, a: &[Step], b: &[Step]) {
    if is_prefix(a, b) || is_prefix(b, a) {
        return;
    }
    let (Some(first), Some(second)) = (get(document, a).cloned(), get(document, b).cloned()) else {
        return;
    };
    set(document, a, second);
    set(document, b, first);
}
