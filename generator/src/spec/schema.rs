//! The Schema Object (JSON Schema as OpenAPI 3.0 and 3.1 use it).

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// A schema, or a reference to one. A boolean schema (3.1) reads as `Schema { boolean: Some(..) }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, remote = "Self")]
pub struct Schema {
    /// `true` or `false` written in place of a schema.
    #[serde(skip)]
    pub boolean: Option<bool>,
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `type`: one type, or (3.1) several.
    #[serde(rename = "type")]
    pub types: Option<SchemaTypes>,
    /// `format`.
    pub format: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `properties`, in document order.
    pub properties: IndexMap<String, Schema>,
    /// `required`.
    pub required: Vec<String>,
    /// `additionalProperties`.
    #[serde(rename = "additionalProperties")]
    pub additional_properties: Option<AdditionalProperties>,
    /// `items`.
    pub items: Option<Box<Schema>>,
    /// `prefixItems` (3.1 tuples).
    #[serde(rename = "prefixItems")]
    pub prefix_items: Option<Vec<Schema>>,
    /// `allOf`.
    #[serde(rename = "allOf")]
    pub all_of: Vec<Schema>,
    /// `oneOf`.
    #[serde(rename = "oneOf")]
    pub one_of: Vec<Schema>,
    /// `anyOf`.
    #[serde(rename = "anyOf")]
    pub any_of: Vec<Schema>,
    /// `not`: not supported; reported.
    pub not: Option<Box<Schema>>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// `enum`.
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// `const` (3.1).
    #[serde(rename = "const")]
    pub const_value: Option<Value>,
    /// `nullable` (3.0).
    pub nullable: bool,
    /// `default`.
    pub default: Option<Value>,
    /// `example`.
    pub example: Option<Value>,
    /// `examples`: a list in 3.1 (anything else is not read).
    pub examples: Option<Value>,
    /// `pattern`: an ECMA-262 regular expression.
    pub pattern: Option<String>,
    /// `minLength`.
    #[serde(rename = "minLength")]
    pub min_length: Option<u64>,
    /// `maxLength`.
    #[serde(rename = "maxLength")]
    pub max_length: Option<u64>,
    /// `multipleOf`.
    #[serde(rename = "multipleOf")]
    pub multiple_of: Option<f64>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`: a flag in 3.0, a bound in 3.1.
    #[serde(rename = "exclusiveMinimum")]
    pub exclusive_minimum: Option<ExclusiveBound>,
    /// `exclusiveMaximum`: a flag in 3.0, a bound in 3.1.
    #[serde(rename = "exclusiveMaximum")]
    pub exclusive_maximum: Option<ExclusiveBound>,
    /// `minItems`.
    #[serde(rename = "minItems")]
    pub min_items: Option<u64>,
    /// `maxItems`.
    #[serde(rename = "maxItems")]
    pub max_items: Option<u64>,
    /// `readOnly`.
    #[serde(rename = "readOnly")]
    pub read_only: bool,
    /// `writeOnly`.
    #[serde(rename = "writeOnly")]
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `x-rust-name`: the Rust name of the field a property becomes (on a component schema, of its
    /// type, which the lowering reads from the tree).
    #[serde(rename = "x-rust-name")]
    pub rust_name: Option<String>,
    /// `x-rust-derives`: derives the schema's type adds to the generator's own.
    #[serde(rename = "x-rust-derives")]
    pub rust_derives: Option<Vec<String>>,
    /// `x-enum-varnames`: the Rust variant names of an enum, one per value.
    #[serde(rename = "x-enum-varnames")]
    pub enum_varnames: Option<Vec<String>>,
    /// `x-enum-descriptions`: the documentation of an enum's values, one per value.
    #[serde(rename = "x-enum-descriptions")]
    pub enum_descriptions: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SchemaVisitor;
        impl<'de> Visitor<'de> for SchemaVisitor {
            type Value = Schema;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a schema object or a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Schema, E> {
                Ok(Schema {
                    boolean: Some(v),
                    ..Schema::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
                Schema::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_any(SchemaVisitor)
    }
}

/// `discriminator`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Discriminator {
    /// `propertyName`.
    #[serde(rename = "propertyName")]
    pub property_name: String,
    /// `mapping`: discriminator value → schema reference.
    pub mapping: IndexMap<String, String>,
}

/// `additionalProperties`: a flag or a schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` or `false`.
    Allowed(bool),
    /// The schema of every additional property.
    Schema(Box<Schema>),
}

/// `exclusiveMinimum` / `exclusiveMaximum`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub enum ExclusiveBound {
    /// OpenAPI 3.0: `minimum`/`maximum` is exclusive.
    Flag(bool),
    /// OpenAPI 3.1: the exclusive bound itself.
    Bound(f64),
}

/// A JSON Schema primitive type name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SchemaType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
    /// `null`.
    Null,
}

impl SchemaType {
    const NAMES: [(&'static str, SchemaType); 7] = [
        ("string", SchemaType::String),
        ("integer", SchemaType::Integer),
        ("number", SchemaType::Number),
        ("boolean", SchemaType::Boolean),
        ("array", SchemaType::Array),
        ("object", SchemaType::Object),
        ("null", SchemaType::Null),
    ];

    fn parse<E: de::Error>(name: &str) -> Result<Self, E> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                E::custom(format_args!(
                    "unknown type `{name}`; expected one of string, integer, number, boolean, array, object, null"
                ))
            })
    }
}

/// The `type` keyword: one type name or a list of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaTypes(pub Vec<SchemaType>);

impl<'de> Deserialize<'de> for SchemaTypes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypesVisitor;
        impl<'de> Visitor<'de> for TypesVisitor {
            type Value = SchemaTypes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a type name or a list of type names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SchemaTypes, E> {
                Ok(SchemaTypes(vec![SchemaType::parse(v)?]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SchemaTypes, A::Error> {
                let mut types = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    types.push(SchemaType::parse(&name)?);
                }
                Ok(SchemaTypes(types))
            }
        }
        deserializer.deserialize_any(TypesVisitor)
    }
}
