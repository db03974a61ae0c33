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
        TypeRef::Number => value.is_number(),
        TypeRef::Boolean => value.is_boolean(),
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
