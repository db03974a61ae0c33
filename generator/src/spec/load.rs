//! Text → [`Document`]: YAML or JSON (JSON is YAML), with the place of any syntax or shape error.

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::pointer::Pointer;

use super::Document;

/// Parses an OpenAPI document. A syntax error, or a value of the wrong shape, is reported with the
/// JSON pointer of the value and its line and column.
pub fn load(text: &str) -> Result<Document, SpecErrors> {
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

/// serde_yaml appends " at line L column C"; the diagnostic carries the location on its own.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}
