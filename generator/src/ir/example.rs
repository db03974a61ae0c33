//! Whether an example of the spec fits a type exactly, so the generated documentation can show it
//! as Rust code. Examples that disagree with the schema (numbers as strings, unknown fields) do
//! not fit.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Shape, TypeDef, TypeId, TypeKind, TypeRef, UnionTagging};

/// Whether `value` is a value of `shape`, strictly.
pub fn fits(value: &Value, shape: &Shape, types: &BTreeMap<TypeId, TypeDef>) -> bool {
    if value.is_null() {
        return shape.nullable;
    }
    match &shape.ty {
        TypeRef::Named(id) => types
            .get(id)
            .is_some_and(|def| fits_named(value, &def.kind, types)),
        TypeRef::String => value.is_string(),
        TypeRef::Integer(_) => value.is_i64(),
        TypeRef::Number(_) => value.is_number(),
        TypeRef::Boolean => value.is_boolean(),
        TypeRef::Date => value.as_str().is_some_and(is_date),
        TypeRef::DateTime => value.as_str().is_some_and(is_date_time),
        TypeRef::Uuid => value.as_str().is_some_and(is_uuid),
        // Shown as Rust only when the bytes are known; the example gives their base64 text.
        TypeRef::Base64 | TypeRef::Binary => false,
        TypeRef::Tuple(items) => value.as_array().is_some_and(|a| {
            a.len() == items.len() && a.iter().zip(items).all(|(v, item)| fits(v, item, types))
        }),
        TypeRef::Array(items) => value
            .as_array()
            .is_some_and(|a| a.iter().all(|v| fits(v, items, types))),
        TypeRef::Map(values) => value
            .as_object()
            .is_some_and(|o| o.values().all(|v| fits(v, values, types))),
        TypeRef::Any => true,
    }
}

fn fits_named(value: &Value, kind: &TypeKind, types: &BTreeMap<TypeId, TypeDef>) -> bool {
    match kind {
        TypeKind::Struct(def) => value.as_object().is_some_and(|object| {
            object.iter().all(|(key, v)| {
                def.fields
                    .iter()
                    .find(|f| &f.wire_name == key)
                    .is_some_and(|f| fits(v, &f.shape, types))
            }) && def
                .fields
                .iter()
                .all(|f| !f.required || object.contains_key(&f.wire_name))
        }),
        TypeKind::Enum(def) => def.variants.iter().any(|variant| variant.value.is(value)),
        TypeKind::Union(def) => match &def.tagging {
            UnionTagging::Internal { property } => {
                let tag = value.get(property).and_then(Value::as_str);
                let mut rest = value.clone();
                if let Some(object) = rest.as_object_mut() {
                    object.remove(property);
                }
                // Before the discriminator pass the member still declares the tag property.
                def.variants
                    .iter()
                    .find(|v| v.tag.as_deref() == tag)
                    .is_some_and(|v| fits(&rest, &v.shape, types) || fits(value, &v.shape, types))
            }
            UnionTagging::Untagged => def.variants.iter().any(|v| fits(value, &v.shape, types)),
        },
        TypeKind::Alias(shape) => fits(value, shape, types),
    }
}

/// `yyyy-mm-dd`.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

/// `yyyy-mm-ddThh:mm:ss` followed by fractions and an offset, as RFC 3339 writes it.
fn is_date_time(text: &str) -> bool {
    let (Some(date), Some(separator), Some(time)) =
        (text.get(..10), text.get(10..11), text.get(11..))
    else {
        return false;
    };
    let offset =
        time.ends_with(['Z', 'z']) || time.get(8..).is_some_and(|t| t.contains(['+', '-']));
    is_date(date)
        && matches!(separator, "T" | "t")
        && time.len() >= 9
        && time.as_bytes()[2] == b':'
        && time.as_bytes()[5] == b':'
        && offset
}

/// Five groups of hexadecimal digits, 8-4-4-4-12.
fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_shape() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("29.02.2024"));
        assert!(is_date_time("2024-02-29T10:00:00Z"));
        assert!(is_date_time("2024-02-29T10:00:00.5+03:00"));
        assert!(!is_date_time("2024-02-29T10:00:00"));
        assert!(!is_date_time("2024-02-29"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
    }
}
