//! Text → [`Document`]: YAML or JSON (JSON is YAML), with the place of any syntax or shape error.

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::pointer::Pointer;

use serde_json::Value;

use super::raw::Tree;
use super::{Document, RawDocument};

/// Parses an OpenAPI document. A syntax error, or a value of the wrong shape, is reported with the
/// JSON pointer of the value and its line and column.
pub fn load(text: &str) -> Result<Document, SpecErrors> {
    let raw = check_depth(text)?;
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let mut document: Document =
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let pointer = pointer_of(error.path());
            let inner = error.into_inner();
            let location = inner.location().map(|l| (l.line(), l.column()));
            let mut diagnostic = Diagnostic::error(&pointer, strip_location(&inner.to_string()));
            diagnostic.location = location;
            SpecErrors {
                diagnostics: vec![diagnostic],
            }
        })?;
    document.raw = RawDocument(raw);
    Ok(document)
}

/// How deeply mappings and sequences may nest. Real documents stay far below it; the typed parse
/// and the lowering recurse once per level, so a bound keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 96;

/// Parses the document as a plain tree and refuses it when nested deeper than [`MAX_DEPTH`],
/// naming where the nesting goes too deep.
fn check_depth(text: &str) -> Result<Value, SpecErrors> {
    let value = match serde_yaml::from_str::<Tree>(text) {
        Ok(Tree(value)) => value,
        Err(error) if error.to_string().contains("recursion limit") => {
            let mut diagnostic = Diagnostic::error(
                &Pointer::root(),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            );
            diagnostic.location = error.location().map(|l| (l.line(), l.column()));
            return Err(SpecErrors {
                diagnostics: vec![diagnostic],
            });
        }
        // Other syntax errors are reported, with their place, by the typed parse.
        Err(_) => return Ok(Value::Null),
    };
    let mut stack = vec![(&value, Pointer::root(), 0usize)];
    while let Some((value, pointer, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            let diagnostic = Diagnostic::error(
                &pointer,
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            )
            .with_hint("is a schema nested by mistake, or generated without $ref?");
            return Err(SpecErrors {
                diagnostics: vec![diagnostic],
            });
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
