//! Schemas → types: decides struct, enum, union, alias or a plain shape for every schema.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::names::{self, Namespace};
use crate::pointer::Pointer;
use crate::spec::{AdditionalProperties, ExclusiveBound, Schema, SchemaType};

use super::all_of::{self, Folded};
use super::lower::{Lowerer, NamedAt};
use super::{
    docs, EnumDef, EnumValue, EnumVariant, Field, FloatKind, IntegerKind, Rule, Shape,
    StringFormat, StructDef, TypeDef, TypeId, TypeKind, TypeRef,
};

/// How deep `allOf` may nest before it is taken for a cycle.
const MAX_ALL_OF_DEPTH: usize = 32;

/// The longest tuple that becomes a Rust tuple: the standard library derives `Debug`, `Clone` and
/// `PartialEq` for tuples up to twelve items.
const MAX_TUPLE: usize = 12;

/// What a schema becomes.
enum Class {
    Ref(String),
    AllOf,
    Union,
    Enum,
    Struct,
    Plain,
}

/// Whether a schema becomes a named type of its own (struct, enum or union).
pub(super) fn is_named_kind(schema: &Schema) -> bool {
    matches!(
        classify(schema),
        Class::Struct | Class::AllOf | Class::Enum | Class::Union
    )
}

fn classify(schema: &Schema) -> Class {
    if let Some(reference) = &schema.reference {
        return Class::Ref(reference.clone());
    }
    if !schema.all_of.is_empty() {
        return Class::AllOf;
    }
    if non_null_members(schema).len() > 1 {
        return Class::Union;
    }
    if enum_values(schema).is_some_and(|values| !values.is_empty()) {
        return Class::Enum;
    }
    if !schema.properties.is_empty() {
        return Class::Struct;
    }
    Class::Plain
}

/// The members of `oneOf`/`anyOf` that are not `{type: null}`.
pub(super) fn non_null_members(schema: &Schema) -> Vec<(usize, &Schema)> {
    let members = if schema.one_of.is_empty() {
        &schema.any_of
    } else {
        &schema.one_of
    };
    members
        .iter()
        .enumerate()
        .filter(|(_, m)| !is_null_schema(m))
        .collect()
}

fn is_null_schema(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema
            .types
            .as_ref()
            .is_some_and(|t| t.0 == [SchemaType::Null])
}

/// The enum values (without `null`) when they are all strings or all integers.
fn enum_values(schema: &Schema) -> Option<Vec<EnumValue>> {
    let values: Vec<&Value> = match (&schema.enum_values, &schema.const_value) {
        (Some(values), _) => values.iter().filter(|v| !v.is_null()).collect(),
        (None, Some(value)) => vec![value],
        (None, None) => return None,
    };
    if values.iter().all(|v| v.is_string()) {
        Some(
            values
                .iter()
                .map(|v| EnumValue::String(v.as_str().unwrap_or_default().to_owned()))
                .collect(),
        )
    } else if values.iter().all(|v| v.is_i64()) {
        Some(
            values
                .iter()
                .map(|v| EnumValue::Integer(v.as_i64().unwrap_or_default()))
                .collect(),
        )
    } else {
        None
    }
}

/// Where each value of an enum schema is listed: its first place in `enum`, or `const`. Found in
/// one pass over `enum`, as some enums list hundreds of values (countries, currencies).
fn enum_value_origins(schema: &Schema, values: &[EnumValue], at: &Pointer) -> Vec<Pointer> {
    let Some(listed) = &schema.enum_values else {
        let origin = at.join("const");
        return vec![origin; values.len()];
    };
    let listed_at = at.join("enum");
    // Each listed string or integer by its first place, as `EnumValue::is` matches them.
    let mut first_place: foldhash::HashMap<Result<&str, i64>, usize> =
        foldhash::HashMap::with_capacity_and_hasher(listed.len(), Default::default());
    for (index, value) in listed.iter().enumerate() {
        let key = match (value.as_str(), value.as_i64()) {
            (Some(text), _) => Ok(text),
            (None, Some(number)) => Err(number),
            (None, None) => continue,
        };
        first_place.entry(key).or_insert(index);
    }
    values
        .iter()
        .map(|value| {
            let key = match value {
                EnumValue::String(text) => Ok(text.as_str()),
                EnumValue::Integer(number) => Err(*number),
            };
            match first_place.get(&key) {
                Some(index) => listed_at.join(index.to_string()),
                None => listed_at.clone(),
            }
        })
        .collect()
}

/// Whether a schema that names no type says its values are objects: it has
/// `additionalProperties`, or its example is an object. Its `items` then do not make it a list,
/// since `items` constrains arrays only and says nothing of other values.
fn says_object(schema: &Schema) -> bool {
    schema.additional_properties.is_some()
        || schema.example.as_ref().is_some_and(Value::is_object)
        || schema
            .examples
            .as_ref()
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .is_some_and(Value::is_object)
}

/// Whether the schema admits `null` (3.0 `nullable`, a 3.1 type list, `null` in `enum`, or a
/// `{type: null}` member of `oneOf`/`anyOf`).
pub(super) fn is_nullable(schema: &Schema) -> bool {
    schema.nullable
        || schema
            .types
            .as_ref()
            .is_some_and(|t| t.0.len() > 1 && t.0.contains(&SchemaType::Null))
        || schema
            .enum_values
            .as_ref()
            .is_some_and(|v| v.iter().any(Value::is_null))
        || schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .any(is_null_schema)
}

/// A property of an object as [`Lowerer::collect_object_parts`] gathers it: its name, its
/// schema, and where it is.
type ObjectPart<'s> = (String, Cow<'s, Schema>, Pointer);

impl Lowerer<'_> {
    /// Lowers a schema that gets the given id and name (a component, or an inline type already named).
    pub(super) fn lower_named_schema(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        id: TypeId,
        name: String,
    ) {
        if is_nullable(schema) {
            self.nullable_types.insert(id);
        }
        if let Some(folded) = self.fold_all_of(schema, at) {
            return self.lower_named_folded(schema, &folded, at, id, name);
        }
        let kind = match classify(schema) {
            Class::Struct | Class::AllOf => TypeKind::Struct(self.lower_struct(schema, at, &name)),
            Class::Enum => TypeKind::Enum(self.lower_enum(schema, at)),
            Class::Union => TypeKind::Union(self.lower_union(schema, at, &name)),
            Class::Ref(_) | Class::Plain => TypeKind::Alias(self.lower_schema(schema, at, &name)),
        };
        let derives = self.extra_derives(schema, at, &kind);
        let def = TypeDef {
            name,
            origin: at.clone(),
            docs: docs::join(&[schema.title.as_deref(), schema.description.as_deref()]),
            deprecated: schema.deprecated,
            kind,
            derives,
        };
        self.insert_type(id, def);
    }

    /// The shape of an `allOf` folded onto one part: the part's, null admitted where another
    /// part admits it, with the rules of the parts that add some.
    fn lower_folded(&mut self, folded: &Folded<'_>, at: &Pointer, hint: &str) -> Shape {
        let mut shape = self.lower_schema(folded.part, &folded.part_at(at), hint);
        shape.nullable |= folded.nullable;
        for (index, other) in &folded.others {
            let other_at = at.join("allOf").join(index.to_string());
            let rules = self.rules(other, &other_at);
            self.keep_applicable(&mut shape, rules, &other_at);
        }
        shape
    }

    /// A named type whose schema is an `allOf` folded onto one part: the type that part makes
    /// (an enum stays an enum), else an alias of the part's shape; either way with the
    /// documentation of the whole, and its own place.
    fn lower_named_folded(
        &mut self,
        schema: &Schema,
        folded: &Folded<'_>,
        at: &Pointer,
        id: TypeId,
        name: String,
    ) {
        if folded.nullable {
            self.nullable_types.insert(id);
        }
        let part_at = folded.part_at(at);
        let own_kind = folded.others.is_empty()
            && folded.part.reference.is_none()
            && is_named_kind(folded.part);
        if own_kind {
            self.lower_named_schema(folded.part, &part_at, id, name);
        } else {
            let shape = self.lower_folded(folded, at, &name);
            let def = TypeDef {
                name,
                origin: at.clone(),
                docs: None,
                deprecated: false,
                kind: TypeKind::Alias(shape),
                derives: self.extra_derives(
                    schema,
                    at,
                    &TypeKind::Alias(Shape::plain(TypeRef::Any)),
                ),
            };
            self.insert_type(id, def);
        }
        let docs = docs::join(&[schema.title.as_deref(), all_of::description(schema)]);
        if let Some(def) = self.types.get_mut(&id) {
            def.origin = at.clone();
            def.deprecated |= schema.deprecated;
            if docs.is_some() {
                def.docs = docs;
            }
        }
    }

    /// The derives a type adds to its kind's own: the configuration's for every type, then the
    /// schema's `x-rust-derives`, each once, leaving out what the kind derives already. An alias
    /// derives nothing.
    fn extra_derives(&mut self, schema: &Schema, at: &Pointer, kind: &TypeKind) -> Vec<String> {
        let own: &[&str] = match kind {
            TypeKind::Struct(_) | TypeKind::Union(_) => &[
                "Debug",
                "Clone",
                "PartialEq",
                "Default",
                "Serialize",
                "Deserialize",
            ],
            TypeKind::Enum(_) => &[
                "Debug",
                "Clone",
                "PartialEq",
                "Eq",
                "Hash",
                "PartialOrd",
                "Ord",
                "Default",
                "Serialize",
                "Deserialize",
            ],
            TypeKind::Alias(_) => {
                if schema.rust_derives.is_some() {
                    self.error(Diagnostic::warning(
                        &at.join("x-rust-derives"),
                        "this schema becomes a type alias, which derives nothing; the derives are not used",
                    ));
                }
                return Vec::new();
            }
        };
        let mut derives: Vec<String> = self
            .settings
            .derives
            .iter()
            .map(|setting| setting.value.clone())
            .collect();
        for (index, derive) in schema.rust_derives.iter().flatten().enumerate() {
            match crate::config::check_derive(derive) {
                Ok(()) => derives.push(derive.clone()),
                Err(message) => self.error(Diagnostic::error(
                    &at.join("x-rust-derives").join(index.to_string()),
                    message,
                )),
            }
        }
        let mut kept: Vec<String> = Vec::new();
        for derive in derives {
            let last = derive.rsplit("::").next().unwrap_or(&derive).trim();
            let compact: String = derive.chars().filter(|c| !c.is_whitespace()).collect();
            if !own.contains(&last) && !kept.contains(&compact) {
                kept.push(compact);
            }
        }
        kept
    }

    /// Lowers a schema in place: a reference, a plain shape, or a new inline type named from `hint`.
    pub(super) fn lower_schema(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Shape {
        self.check_unused_extensions(schema, at);
        if schema.not.is_some() {
            self.error(Diagnostic::warning(
                &at.join("not"),
                "`not` is not supported; it is not checked",
            ));
        }
        let mut shape = match (classify(schema), self.fold_all_of(schema, at)) {
            (Class::AllOf, Some(folded)) => self.lower_folded(&folded, at, hint),
            (Class::Ref(reference), _) => self.resolve_schema_ref(&reference, at),
            (Class::Struct | Class::AllOf | Class::Enum | Class::Union, _) => {
                Shape::plain(TypeRef::Named(self.lower_inline_type(schema, at, hint)))
            }
            (Class::Plain, _) => self.lower_plain(schema, at, hint),
        };
        shape.nullable |= is_nullable(schema);
        let rules = self.rules(schema, at);
        self.keep_applicable(&mut shape, rules, at);
        shape
    }

    /// The type an inline schema that makes one (struct, enum or union) becomes, named from
    /// `hint`. The schema at `at` met again while it is being lowered contains itself (an `allOf`
    /// part copies the properties of a schema that encloses it, such as a component whose inline
    /// property merges that component): it is the type being made, which makes the type
    /// recursive (boxed later like any other cycle) instead of nesting new types without end.
    fn lower_inline_type(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> TypeId {
        if let Some(id) = self.inline_in_progress.get(at) {
            return *id;
        }
        let (id, name) = self.new_type(hint);
        self.inline_in_progress.insert(at.clone(), id);
        self.lower_named_schema(schema, at, id, name);
        self.inline_in_progress.remove(at);
        id
    }

    /// Warns of an `x-rust-name` where it names nothing (it names a component schema's type or a
    /// property's field) and of `x-rust-derives` on a schema that makes no type of its own.
    fn check_unused_extensions(&mut self, schema: &Schema, at: &Pointer) {
        if schema.rust_name.is_none() && schema.rust_derives.is_none() {
            return;
        }
        let component = at.is_component_schema();
        let property = at.segments_unescaped().rev().nth(1).as_deref() == Some("properties");
        if schema.rust_name.is_some() && !component && !property {
            self.error(Diagnostic::warning(
                &at.join("x-rust-name"),
                "`x-rust-name` names a component schema's type or a property's field; here it is not used",
            ));
        }
        let makes_type = matches!(
            classify(schema),
            Class::Struct | Class::AllOf | Class::Enum | Class::Union
        );
        if schema.rust_derives.is_some() && !component && !makes_type {
            self.error(Diagnostic::warning(
                &at.join("x-rust-derives"),
                "this schema makes no type of its own, so it derives nothing; the derives are not used",
            ));
        }
    }

    fn lower_plain(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Shape {
        if let Some(member) = non_null_members(schema).first() {
            let (index, member) = *member;
            let key = if schema.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            return self.lower_schema(member, &at.join(key).join(index.to_string()), hint);
        }
        let types: Vec<SchemaType> = schema
            .types
            .as_ref()
            .map(|t| {
                t.0.iter()
                    .copied()
                    .filter(|t| *t != SchemaType::Null)
                    .collect()
            })
            .unwrap_or_default();
        let ty = match types.as_slice() {
            [] if schema.items.is_some() && says_object(schema) => self.lower_map(schema, at, hint),
            [] if schema.items.is_some() => self.lower_array(schema, at, hint),
            [] => TypeRef::Any,
            [SchemaType::String] => match schema.format.as_deref() {
                Some("date") => TypeRef::Date,
                Some("date-time") => TypeRef::DateTime,
                Some("uuid") => TypeRef::Uuid,
                Some("byte") => TypeRef::Base64,
                Some("binary") => TypeRef::Binary,
                _ => TypeRef::String,
            },
            [SchemaType::Integer] => TypeRef::Integer(match schema.format.as_deref() {
                Some("int32") => IntegerKind::I32,
                _ => IntegerKind::I64,
            }),
            [SchemaType::Number] => TypeRef::Number(match schema.format.as_deref() {
                Some("float") => FloatKind::F32,
                _ => FloatKind::F64,
            }),
            [SchemaType::Boolean] => TypeRef::Boolean,
            [SchemaType::Array] => self.lower_array(schema, at, hint),
            [SchemaType::Object] => self.lower_map(schema, at, hint),
            [SchemaType::Null] => TypeRef::Any,
            _ => {
                self.error(
                    Diagnostic::warning(
                        &at.join("type"),
                        "a value of several types becomes `serde_json::Value`",
                    )
                    .with_hint("use oneOf to get a typed enum"),
                );
                TypeRef::Any
            }
        };
        if enum_values(schema).is_none()
            && (schema.enum_values.is_some() || schema.const_value.is_some())
        {
            self.error(Diagnostic::warning(
                &at.join("enum"),
                "enum values that are not all strings or all integers are not checked",
            ));
        }
        Shape::plain(ty)
    }

    fn lower_array(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> TypeRef {
        if let Some(prefix) = schema.prefix_items.as_deref().filter(|p| !p.is_empty()) {
            let closed = schema
                .items
                .as_ref()
                .is_some_and(|i| i.boolean == Some(false))
                || schema.max_items == Some(prefix.len() as u64);
            if closed && prefix.len() <= MAX_TUPLE {
                let items = prefix
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.lower_schema(
                            item,
                            &at.join("prefixItems").join(index.to_string()),
                            &format!("{hint} Item {index}"),
                        )
                    })
                    .collect();
                return TypeRef::Tuple(items);
            }
            let reason = if closed {
                format!("a tuple of more than {MAX_TUPLE} items")
            } else {
                "a tuple that allows further items".to_owned()
            };
            self.error(
                Diagnostic::warning(
                    &at.join("prefixItems"),
                    format!("{reason} (`prefixItems`) is typed as a list of `serde_json::Value`"),
                )
                .with_hint("`items: false` (or `maxItems` equal to the number of `prefixItems`) makes it a Rust tuple"),
            );
            return TypeRef::Array(Box::new(Shape::plain(TypeRef::Any)));
        }
        let items = match &schema.items {
            Some(items) => self.lower_schema(items, &at.join("items"), &[hint, "Item"].concat()),
            None => Shape::plain(TypeRef::Any),
        };
        TypeRef::Array(Box::new(items))
    }

    fn lower_map(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> TypeRef {
        let values = match &schema.additional_properties {
            Some(AdditionalProperties::Schema(values)) => self.lower_schema(
                values,
                &at.join("additionalProperties"),
                &[hint, "Value"].concat(),
            ),
            _ => Shape::plain(TypeRef::Any),
        };
        TypeRef::Map(Box::new(values))
    }

    fn lower_struct(&mut self, schema: &Schema, at: &Pointer, name: &str) -> StructDef {
        let mut parts = Vec::new();
        let mut required = Vec::new();
        self.collect_object_parts(Cow::Borrowed(schema), at, 0, &mut parts, &mut required);
        let mut field_names = Namespace::with_capacity(parts.len() + 1);
        let chosen = self.chosen_field_names(&parts, name);
        for (rust_name, _) in chosen.values() {
            field_names.claim(rust_name);
        }
        let mut fields: Vec<Field> = Vec::new();
        for (wire_name, property, property_at) in parts {
            if let Some(existing) = fields.iter_mut().find(|f| f.wire_name == wire_name) {
                // A later allOf part restates a property: the last statement wins.
                existing.shape =
                    self.lower_schema(&property, &property_at, &[name, " ", &wire_name].concat());
                existing.origin = property_at;
                continue;
            }
            let shape =
                self.lower_schema(&property, &property_at, &[name, " ", &wire_name].concat());
            let rust_name = match chosen.get(&wire_name) {
                Some((rust_name, _)) => rust_name.clone(),
                None => {
                    let natural = self.name_memo.snake_name(&wire_name).to_owned();
                    if let Some((_, at)) = chosen.values().find(|(chosen, _)| *chosen == natural) {
                        self.error(at.error(format!(
                            "{}: `{natural}` is the name of the field of the property `{wire_name}` of `{name}` already",
                            at.key()
                        )));
                    }
                    field_names.claim(&natural)
                }
            };
            fields.push(Field {
                rust_name,
                docs: field_docs(&property)
                    .or_else(|| Some(["The `", &wire_name, "` property."].concat())),
                required: required.iter().any(|(name, _)| *name == wire_name),
                wire_name,
                origin: property_at,
                shape,
                boxed: false,
                lenient: false,
                deprecated: property.deprecated,
                default: property.default.clone(),
                flatten: false,
            });
        }
        self.add_undeclared_required(&mut fields, &required, &mut field_names);
        if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
            // Declared properties and a schema for the rest: the rest lands in a flattened map.
            let values_at = at.join("additionalProperties");
            let values =
                self.lower_schema(values, &values_at, &format!("{name} Additional Property"));
            fields.push(Field {
                rust_name: field_names.claim("additional_properties"),
                wire_name: String::new(),
                origin: values_at.clone(),
                docs: Some("The properties the schema does not declare.".to_owned()),
                shape: Shape::plain(TypeRef::Map(Box::new(values))),
                required: false,
                boxed: false,
                lenient: false,
                deprecated: false,
                default: None,
                flatten: true,
            });
        }
        StructDef {
            derive_default: false,
            fields,
        }
    }

    /// A property listed in `required` that no part declares is still a property every value
    /// has: a required field of any JSON value, so that it is neither dropped nor left out when
    /// the value is sent.
    fn add_undeclared_required(
        &mut self,
        fields: &mut Vec<Field>,
        required: &[(String, Pointer)],
        field_names: &mut Namespace,
    ) {
        for (wire_name, origin) in required {
            if fields.iter().any(|f| f.wire_name == *wire_name) {
                continue;
            }
            let natural = self.name_memo.snake_name(wire_name).to_owned();
            fields.push(Field {
                rust_name: field_names.claim(&natural),
                wire_name: wire_name.clone(),
                origin: origin.clone(),
                docs: Some(
                    [
                        "The `",
                        wire_name,
                        "` property: required, with no schema, so any JSON value.",
                    ]
                    .concat(),
                ),
                shape: Shape::plain(TypeRef::Any),
                required: true,
                boxed: false,
                lenient: false,
                deprecated: false,
                default: None,
                flatten: false,
            });
        }
    }

    /// The field names the configuration's `[fields.rename]` (`Type.property`) or a property's
    /// `x-rust-name` choose for the struct `name`, by property: the name and where it was chosen.
    /// Two properties given one name is an error at the second.
    fn chosen_field_names(
        &mut self,
        parts: &[ObjectPart<'_>],
        name: &str,
    ) -> BTreeMap<String, (String, NamedAt)> {
        let mut chosen: BTreeMap<String, (String, NamedAt)> = BTreeMap::new();
        for (wire_name, property, property_at) in parts {
            // Made only when the configuration renames fields: most structs have no rename.
            let renamed = (!self.settings.field_renames.is_empty())
                .then(|| [name, ".", wire_name].concat())
                .and_then(|key| Some((self.settings.field_renames.get(&key)?, key)));
            let choice = if let Some((setting, key)) = renamed {
                self.used_field_renames.insert(key);
                (
                    setting.value.clone(),
                    NamedAt::Config(setting.place.clone()),
                )
            } else if let Some(rust_name) = &property.rust_name {
                let at = property_at.join("x-rust-name");
                if names::snake_name(rust_name) != *rust_name {
                    self.error(Diagnostic::error(
                        &at,
                        format!(
                            "`{rust_name}` cannot name a field: write a snake_case Rust identifier that is not a keyword (such as `{}`)",
                            names::snake_name(rust_name)
                        ),
                    ));
                    continue;
                }
                (rust_name.clone(), NamedAt::Spec(at))
            } else {
                continue;
            };
            if let Some((other, _)) = chosen
                .iter()
                .find(|(other, (taken, _))| *taken == choice.0 && *other != wire_name)
            {
                let (rust_name, at) = &choice;
                self.error(at.error(format!(
                    "{}: `{rust_name}` is chosen for the property `{other}` of `{name}` too",
                    at.key()
                )));
                continue;
            }
            chosen.insert(wire_name.clone(), choice);
        }
        chosen
    }

    /// Gathers the properties of an object and of every `allOf` part, following references. The
    /// properties are borrowed from `schema` where they are written in it, and moved out of the
    /// schemas references lead to (read for this call): a property is never copied, however
    /// deeply its own schema nests.
    fn collect_object_parts<'s>(
        &mut self,
        schema: Cow<'s, Schema>,
        at: &Pointer,
        depth: usize,
        parts: &mut Vec<ObjectPart<'s>>,
        required: &mut Vec<(String, Pointer)>,
    ) {
        if depth > MAX_ALL_OF_DEPTH {
            self.error(Diagnostic::error(
                at,
                "`allOf` nests too deeply; is there a cycle through `allOf`?",
            ));
            return;
        }
        if let Some(reference) = &schema.reference {
            if let Some((target, target_at)) = self.resolve::<Schema>(reference, &at.join("$ref")) {
                self.collect_object_parts(
                    Cow::Owned(target),
                    &target_at,
                    depth + 1,
                    parts,
                    required,
                );
            }
            return;
        }
        let not_only_properties =
            non_null_members(&schema).len() > 1 || enum_values(&schema).is_some();
        let required_at = at.join("required");
        let own_required: Vec<(String, Pointer)> = schema
            .required
            .iter()
            .enumerate()
            .map(|(index, name)| (name.clone(), required_at.join(index.to_string())))
            .collect();
        let (all_of, properties) = match schema {
            Cow::Borrowed(schema) => (
                schema.all_of.iter().map(Cow::Borrowed).collect::<Vec<_>>(),
                schema
                    .properties
                    .iter()
                    .map(|(name, property)| (name.clone(), Cow::Borrowed(property)))
                    .collect::<Vec<_>>(),
            ),
            Cow::Owned(schema) => (
                schema
                    .all_of
                    .into_iter()
                    .map(Cow::Owned)
                    .collect::<Vec<_>>(),
                schema
                    .properties
                    .into_iter()
                    .map(|(name, property)| (name, Cow::Owned(property)))
                    .collect::<Vec<_>>(),
            ),
        };
        for (index, part) in all_of.into_iter().enumerate() {
            self.collect_object_parts(
                part,
                &at.join("allOf").join(index.to_string()),
                depth + 1,
                parts,
                required,
            );
        }
        if not_only_properties {
            self.error(Diagnostic::warning(
                at,
                "only the properties of this `allOf` part are used",
            ));
        }
        for (name, property) in properties {
            let property_at = at.join("properties").join(&name);
            parts.push((name, property, property_at));
        }
        required.extend(own_required);
    }

    fn lower_enum(&mut self, schema: &Schema, at: &Pointer) -> EnumDef {
        let mut values = enum_values(schema).unwrap_or_default();
        let before = values.len();
        let mut seen =
            foldhash::HashSet::with_capacity_and_hasher(values.len(), Default::default());
        let first_times: Vec<bool> = values.iter().map(|value| seen.insert(value)).collect();
        let mut first_time = first_times.into_iter();
        values.retain(|_| first_time.next().unwrap_or(true));
        if values.len() < before {
            self.error(Diagnostic::warning(
                &at.join("enum"),
                "repeated enum values are listed once",
            ));
        }
        let varnames = schema
            .enum_varnames
            .as_ref()
            .filter(|names| names.len() == values.len());
        if schema.enum_varnames.is_some() && varnames.is_none() {
            self.error(Diagnostic::warning(
                &at.join("x-enum-varnames"),
                format!(
                    "{} names for {} values; the names are not used",
                    schema.enum_varnames.as_ref().map_or(0, Vec::len),
                    values.len()
                ),
            ));
        }
        let mut variant_names = Namespace::with_capacity(values.len() + 1);
        let origins = enum_value_origins(schema, &values, at);
        let variants = values
            .iter()
            .zip(origins)
            .enumerate()
            .map(|(index, (value, origin))| {
                let raw = match (varnames, value) {
                    (Some(names), _) => names[index].clone(),
                    (None, EnumValue::String(s)) => s.clone(),
                    (None, EnumValue::Integer(i)) => i.to_string(),
                };
                let described = schema.enum_descriptions.as_ref().and_then(|d| d.get(index));
                EnumVariant {
                    rust_name: variant_names.claim(self.name_memo.variant_name(&raw)),
                    value: value.clone(),
                    origin,
                    docs: docs::join(&[described.map(String::as_str)])
                        .or_else(|| Some(value_in_code(value))),
                }
            })
            .collect();
        let default = schema
            .default
            .as_ref()
            .and_then(|default| values.iter().position(|v| v.is(default)));
        // Servers add values before specs list them: a value the spec does not list is kept.
        let unknown = variant_names.claim("Unknown");
        EnumDef {
            variants,
            default,
            unknown,
        }
    }

    /// Adds to `shape` the rules that apply to its type; a rule that cannot apply (`minimum` on a
    /// string, `pattern` on an object) is reported and not checked.
    fn keep_applicable(&mut self, shape: &mut Shape, rules: Vec<Rule>, at: &Pointer) {
        for rule in rules {
            // A tuple's length is fixed by its type; bounds it meets need no check.
            if let (Rule::MinItems(n) | Rule::MaxItems(n), TypeRef::Tuple(items)) =
                (&rule, &shape.ty)
            {
                let length = items.len() as u64;
                let met = match rule {
                    Rule::MinItems(_) => *n <= length,
                    _ => *n >= length,
                };
                if met {
                    continue;
                }
            }
            let applies = matches!(
                (&rule, &shape.ty),
                (
                    Rule::Pattern(_) | Rule::MinLength(_) | Rule::MaxLength(_) | Rule::Email,
                    TypeRef::String,
                ) | (
                    Rule::Minimum { .. } | Rule::Maximum { .. },
                    TypeRef::Integer(_) | TypeRef::Number(_),
                ) | (Rule::MinItems(_) | Rule::MaxItems(_), TypeRef::Array(_))
            );
            let unchecked_applies = matches!(
                (&rule, &shape.ty),
                (Rule::Format(_), TypeRef::String)
                    | (
                        Rule::MultipleOf(_),
                        TypeRef::Integer(_) | TypeRef::Number(_)
                    )
            );
            if applies || unchecked_applies {
                shape.rules.push(rule);
            } else if rule.is_checked() && !matches!(shape.ty, TypeRef::Any) {
                self.error(Diagnostic::warning(
                    at,
                    format!(
                        "{} does not apply to this type and is not checked",
                        rule_name(&rule)
                    ),
                ));
            }
        }
    }

    /// The validation rules of a schema; a pattern the `regex` crate cannot compile is reported
    /// and left unchecked.
    fn rules(&mut self, schema: &Schema, at: &Pointer) -> Vec<Rule> {
        let mut rules = Vec::new();
        if let Some(pattern) = &schema.pattern {
            match regex::Regex::new(pattern) {
                Ok(_) => rules.push(Rule::Pattern(super::pattern::pattern(pattern))),
                Err(error) => self.error(Diagnostic::warning(
                    &at.join("pattern"),
                    format!(
                        "pattern `{pattern}` is not supported by the regex crate and is not checked: {}",
                        error.to_string().lines().last().unwrap_or_default().trim_start_matches("error: ")
                    ),
                )),
            }
        }
        rules.extend(schema.min_length.map(Rule::MinLength));
        rules.extend(schema.max_length.map(Rule::MaxLength));
        if let Some(rule) = bound(
            schema.minimum,
            schema.exclusive_minimum,
            |bound, exclusive| Rule::Minimum { bound, exclusive },
        ) {
            rules.push(rule);
        }
        if let Some(rule) = bound(
            schema.maximum,
            schema.exclusive_maximum,
            |bound, exclusive| Rule::Maximum { bound, exclusive },
        ) {
            rules.push(rule);
        }
        rules.extend(schema.min_items.map(Rule::MinItems));
        rules.extend(schema.max_items.map(Rule::MaxItems));
        if schema.format.as_deref() == Some("email") {
            rules.push(Rule::Email);
        }
        rules.extend(
            schema
                .multiple_of
                .filter(|m| m.is_finite() && *m > 0.0)
                .map(Rule::MultipleOf),
        );
        rules.extend(
            schema
                .format
                .as_deref()
                .and_then(StringFormat::named)
                .map(Rule::Format),
        );
        rules
    }
}

/// A bound from `minimum`/`maximum` and the 3.0 flag or the 3.1 exclusive value.
fn bound(
    inclusive: Option<f64>,
    exclusive: Option<ExclusiveBound>,
    make: impl Fn(f64, bool) -> Rule,
) -> Option<Rule> {
    match (inclusive, exclusive) {
        (_, Some(ExclusiveBound::Bound(value))) => Some(make(value, true)),
        (Some(value), Some(ExclusiveBound::Flag(flag))) => Some(make(value, flag)),
        (Some(value), None) => Some(make(value, false)),
        (None, _) => None,
    }
}

/// The documentation of a property: its description, and what the spec says of its default and
/// direction.
fn field_docs(property: &Schema) -> Option<String> {
    let format = property
        .format
        .as_deref()
        .filter(|f| !matches!(*f, "int32" | "int64" | "float" | "double"))
        .map(|f| format!("Format: `{f}`."));
    let default = property
        .default
        .as_ref()
        .map(|d| format!("Default: `{d}`."));
    let direction = match (property.read_only, property.write_only) {
        (true, _) => Some("Read-only: set by the server, not sent."),
        (_, true) => Some("Write-only: sent, never returned."),
        _ => None,
    };
    docs::join(&[
        property.title.as_deref(),
        all_of::description(property),
        format.as_deref(),
        default.as_deref(),
        direction,
    ])
}

/// The keyword a rule comes from.
fn rule_name(rule: &Rule) -> &'static str {
    match rule {
        Rule::Pattern(_) => "`pattern`",
        Rule::MinLength(_) => "`minLength`",
        Rule::MaxLength(_) => "`maxLength`",
        Rule::Minimum { .. } => "`minimum`",
        Rule::Maximum { .. } => "`maximum`",
        Rule::MinItems(_) => "`minItems`",
        Rule::MaxItems(_) => "`maxItems`",
        Rule::Email => "`format: email`",
        Rule::MultipleOf(_) => "`multipleOf`",
        Rule::Format(_) => "`format`",
    }
}

/// An enum value as the spec writes it, as inline code: `` `"active"` ``, `` `2` ``. A string is
/// quoted and escaped as Rust's `Debug` writes it; one of printable ASCII other than quotes and
/// backslashes (nearly every value, and Stripe has 14,000) needs no escape and is copied.
fn value_in_code(value: &EnumValue) -> String {
    match value {
        EnumValue::String(s)
            if s.bytes()
                .all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\') =>
        {
            let mut text = String::with_capacity(s.len() + 4);
            text.push_str("`\"");
            text.push_str(s);
            text.push_str("\"`");
            text
        }
        EnumValue::String(s) => format!("`{s:?}`"),
        EnumValue::Integer(i) => format!("`{i}`"),
    }
}

/// A variant name for an untagged union member that is not a named schema.
pub(super) fn shape_kind_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Named(_) => "Object",
        TypeRef::String => "String",
        TypeRef::Integer(_) => "Integer",
        TypeRef::Number(_) => "Number",
        TypeRef::Boolean => "Boolean",
        TypeRef::Date => "Date",
        TypeRef::DateTime => "DateTime",
        TypeRef::Uuid => "Uuid",
        TypeRef::Base64 => "Bytes",
        TypeRef::Binary => "File",
        TypeRef::Array(_) => "Array",
        TypeRef::Tuple(_) => "Tuple",
        TypeRef::Map(_) => "Map",
        TypeRef::Any => "Value",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn enum_values_in_code_are_quoted_as_debug_quotes_them() {
        use super::{value_in_code, EnumValue};
        let strings = [
            "active",
            "one off",
            "a\"b",
            "a\\b",
            "tab\there",
            "ünïcode",
            "",
            "~ !",
            "new\nline",
        ];
        for s in strings {
            let value = EnumValue::String(s.to_owned());
            assert_eq!(value_in_code(&value), format!("`{s:?}`"), "{s}");
        }
        assert_eq!(value_in_code(&EnumValue::Integer(-2)), "`-2`");
        for byte in 0u8..128 {
            let s = format!("x{}y", char::from(byte));
            assert_eq!(
                value_in_code(&EnumValue::String(s.clone())),
                format!("`{s:?}`")
            );
        }
    }
}
