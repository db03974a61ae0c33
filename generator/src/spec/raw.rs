//! The document as a plain tree, for references that point anywhere in it
//! (`#/paths/~1pets/get/parameters/0`, `#/components/schemas/A/definitions/b`).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use crate::pointer::Pointer;

/// The whole document as a JSON tree.
#[derive(Debug, Clone, Default)]
pub struct RawDocument {
    /// The document; for a spec read from a file, with the documents its `$ref`s load under
    /// [`crate::pointer::BUNDLE_KEY`] and every reference in the tree local.
    pub tree: Value,
    /// The root document's references to other files, as written (`schemas/pet.yaml`) → the local
    /// reference they became (`#/x-bundled/schemas~1pet.yaml`). The typed [`super::Document`] is
    /// parsed from the root's text and keeps them as written.
    pub rewritten: BTreeMap<String, String>,
}

impl RawDocument {
    /// The value at `pointer`, if there is one.
    pub fn get(&self, pointer: &Pointer) -> Option<&Value> {
        value_at(&self.tree, pointer)
    }

    /// `reference` as a reference into [`RawDocument::tree`]: a reference of the root document to
    /// another file becomes the local one that replaced it; any other stays as it is.
    pub fn local<'a>(&'a self, reference: &'a str) -> &'a str {
        self.rewritten
            .get(reference)
            .map_or(reference, String::as_str)
    }

    /// The value at `pointer` read as a `T`; `Err` says why it could not be.
    pub fn parse<T: DeserializeOwned>(&self, pointer: &Pointer) -> Result<T, String> {
        let value = self
            .get(pointer)
            .ok_or_else(|| format!("nothing is at {pointer}"))?;
        T::deserialize(value).map_err(|error| error.to_string())
    }
}

/// The value at `pointer` in `value`, if there is one.
pub(super) fn value_at<'a>(value: &'a Value, pointer: &Pointer) -> Option<&'a Value> {
    let mut current = value;
    for segment in pointer.segments_unescaped() {
        current = match current {
            Value::Object(map) => map.get(segment.as_ref())?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// A JSON value read from YAML that keeps going where `serde_json::Value` would stop: integers
/// beyond 64 bits become floats, and mapping keys of any scalar type become their text.
pub struct Tree(pub Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Tree::deserialize(deserializer).map(|t| t.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(Tree(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let Tree(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}
