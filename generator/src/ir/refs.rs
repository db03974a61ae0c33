//! `$ref` resolution: component schemas by name, and any other local JSON pointer through the raw
//! document (`#/components/schemas/A/definitions/b`, `#/paths/~1pets/get/parameters/0`), which
//! includes the files a spec read from a file refers to (bundled under `#/x-bundled/<path>`).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::pointer::{Pointer, BUNDLE_KEY};
use crate::spec::{self, Schema};

use super::lower::Lowerer;
use super::{Shape, TypeId, TypeKind, TypeRef};

/// How many references may follow one another before the chain is taken for a cycle.
const MAX_CHAIN: usize = 32;

/// Keys of the OpenAPI and JSON Schema structure, which make poor type names.
const STRUCTURAL: &[&str] = &[
    "items",
    "properties",
    "schema",
    "allOf",
    "oneOf",
    "anyOf",
    "content",
    "definitions",
    "$defs",
    "additionalProperties",
    "components",
    "schemas",
    "parameters",
    "responses",
    "requestBody",
    "paths",
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "head",
    "options",
    "trace",
    BUNDLE_KEY,
];

/// A type name for the schema at `pointer`: its nearest meaningful segment. A document loaded from
/// another file counts by its file name (`#/x-bundled/schemas~1pet.yaml` → `pet`).
fn hint_for(pointer: &Pointer) -> String {
    let mut segments = pointer.segments();
    if segments.first().map(String::as_str) == Some(BUNDLE_KEY) {
        if let Some(file) = segments.get_mut(1) {
            let name = file.rsplit('/').next().unwrap_or_default();
            *file = name.split('.').next().unwrap_or_default().to_owned();
        }
    }
    let name = segments
        .iter()
        .rev()
        .find(|s| {
            !STRUCTURAL.contains(&s.as_str()) && !s.contains('/') && s.parse::<usize>().is_err()
        })
        .cloned()
        .unwrap_or_else(|| "Schema".to_owned());
    match segments.last().map(String::as_str) {
        Some("items") => format!("{name} Item"),
        _ => name,
    }
}

/// The warning for a reference that is not to a place in this document: to a URL, which is never
/// fetched, or to a file, which is loaded only when the spec is read from its file.
fn not_loaded(at: &Pointer, reference: &str, consequence: &str) -> Diagnostic {
    if reference.is_empty() || reference.starts_with('#') {
        Diagnostic::warning(
            at,
            format!("reference `{reference}` is not a JSON pointer; {consequence}"),
        )
        .with_hint("write it as `#/path/to/the/object`")
    } else if spec::is_remote(reference) {
        Diagnostic::warning(
            at,
            format!("external reference `{reference}` is not supported; {consequence}"),
        )
        .with_hint("documents are not fetched from URLs: save it next to the spec and refer to it by a relative path")
    } else {
        Diagnostic::warning(
            at,
            format!("reference `{reference}` to another file is loaded only when the spec is read from its file; {consequence}"),
        )
        .with_hint("generate from the file (`lotinfo_codegen::generate_file`, as the command line does)")
    }
}

/// A reference as its reader wrote it: a pointer into a loaded file names the file
/// (`schemas/pet.yaml#/properties/id`).
fn as_written(reference: &str) -> String {
    match Pointer::from_fragment(reference).and_then(|p| p.split_file().map(|_| p)) {
        Some(pointer) => pointer.in_source(),
        None => reference.to_owned(),
    }
}

/// Something a `$ref` may stand in for.
pub(super) trait Referable: DeserializeOwned + Clone {
    /// The object's own `$ref`, if it is a reference.
    fn reference(&self) -> Option<&str>;
}

impl Referable for spec::Parameter {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Referable for spec::PathItem {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Referable for spec::RequestBody {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Referable for spec::Response {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Referable for spec::Header {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Referable for Schema {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Lowerer<'_> {
    /// Follows `reference` (and the references it leads to) to an object; reports a dangling,
    /// external or cyclic reference at `at` and returns `None`.
    pub(super) fn resolve<T: Referable>(
        &mut self,
        reference: &str,
        at: &Pointer,
    ) -> Option<(T, Pointer)> {
        let mut reference = self.document.raw.local(reference).to_owned();
        for _ in 0..MAX_CHAIN {
            let Some(pointer) = Pointer::from_fragment(&reference) else {
                self.error(not_loaded(at, &reference, "it is left out"));
                return None;
            };
            match self.document.raw.parse::<T>(&pointer) {
                Ok(target) => match target.reference() {
                    Some(next) => reference = next.to_owned(),
                    None => return Some((target, pointer)),
                },
                Err(_) if self.document.raw.get(&pointer).is_none() => {
                    self.error(Diagnostic::error(
                        at,
                        format!(
                            "dangling reference `{}`: nothing is there",
                            as_written(&reference)
                        ),
                    ));
                    return None;
                }
                Err(error) => {
                    self.error(Diagnostic::error(
                        at,
                        format!(
                            "reference `{}` points at something unusable here: {error}",
                            as_written(&reference)
                        ),
                    ));
                    return None;
                }
            }
        }
        self.error(Diagnostic::error(
            at,
            format!(
                "reference `{}` is part of a cycle of references",
                as_written(&reference)
            ),
        ));
        None
    }

    /// The object itself, or what its `$ref` leads to, with its pointer.
    pub(super) fn follow<'o, T: Referable>(
        &mut self,
        object: &'o T,
        at: &Pointer,
    ) -> Option<(std::borrow::Cow<'o, T>, Pointer)> {
        match object.reference() {
            // Borrowed, not copied: a request body or response holds its whole schema.
            None => Some((std::borrow::Cow::Borrowed(object), at.clone())),
            Some(reference) => {
                let reference = reference.to_owned();
                self.resolve::<T>(&reference, &at.join("$ref"))
                    .map(|(target, at)| (std::borrow::Cow::Owned(target), at))
            }
        }
    }

    /// [`Lowerer::follow`] for an object of the caller's own, which is not copied.
    pub(super) fn follow_owned<T: Referable>(
        &mut self,
        object: T,
        at: &Pointer,
    ) -> Option<(T, Pointer)> {
        match object.reference() {
            None => Some((object, at.clone())),
            Some(reference) => {
                let reference = reference.to_owned();
                self.resolve::<T>(&reference, &at.join("$ref"))
            }
        }
    }

    /// The shape of a schema `$ref`. Component schemas have ids assigned up front; any other target
    /// gets a type (or shape) of its own the first time it is met. Aliases are inlined so that
    /// their rules and lenient decoding follow them.
    pub(super) fn resolve_schema_ref(&mut self, reference: &str, at: &Pointer) -> Shape {
        let at = at.join("$ref");
        let local = self.document.raw.local(reference);
        match Pointer::from_fragment(local) {
            Some(pointer) => self.shape_at(&pointer, &as_written(local), &at),
            None => {
                self.error(not_loaded(
                    &at,
                    reference,
                    "the value is `serde_json::Value`",
                ));
                Shape::plain(TypeRef::Any)
            }
        }
    }

    fn shape_at(&mut self, pointer: &Pointer, reference: &str, at: &Pointer) -> Shape {
        if pointer.is_component_schema() {
            if let Some(name) = pointer.segments_unescaped().next_back() {
                let name = name.as_ref();
                let Some(id) = self.ensure_component(name) else {
                    self.error(Diagnostic::error(at, format!("dangling reference `{reference}`: there is no schema `{name}` in components")));
                    return Shape::plain(TypeRef::Any);
                };
                return match self.types.get(&id).map(|def| &def.kind) {
                    Some(TypeKind::Alias(shape)) => shape.clone(),
                    _ => self.named_shape(id),
                };
            }
        }
        if let Some(shape) = self.ref_shapes.get(pointer) {
            return shape.clone();
        }
        if !self.ref_in_progress.insert(pointer.clone()) {
            self.error(Diagnostic::warning(at, format!("reference `{reference}` leads back to itself; the value is `serde_json::Value`")));
            return Shape::plain(TypeRef::Any);
        }
        let shape = match self.document.raw.parse::<Schema>(pointer) {
            Ok(Schema {
                reference: Some(next),
                ..
            }) => match Pointer::from_fragment(&next) {
                Some(next_pointer) => self.shape_at(&next_pointer, &as_written(&next), at),
                None => {
                    self.error(not_loaded(at, &next, "the value is `serde_json::Value`"));
                    Shape::plain(TypeRef::Any)
                }
            },
            Ok(schema) => self.lower_referenced(&schema, pointer),
            Err(_) if self.document.raw.get(pointer).is_none() => {
                self.error(Diagnostic::error(
                    at,
                    format!("dangling reference `{reference}`: nothing is there"),
                ));
                Shape::plain(TypeRef::Any)
            }
            Err(error) => {
                self.error(Diagnostic::warning(
                    at,
                    format!("reference `{reference}` does not point at a schema ({error}); the value is `serde_json::Value`"),
                ));
                Shape::plain(TypeRef::Any)
            }
        };
        self.ref_in_progress.remove(pointer);
        self.ref_shapes.insert(pointer.clone(), shape.clone());
        shape
    }

    /// The schema a component stands for when it is nothing but a `$ref` to a schema outside
    /// `components/schemas` (`Pet: {$ref: 'schemas/pet.yaml'}`) that becomes a type of its own and
    /// is not lowered yet; with its pointer. That type takes the component's id (so its name), and
    /// references to the target lead to it, instead of a second type and an alias.
    pub(super) fn adopted_target(
        &mut self,
        component: &Pointer,
        schema: &Schema,
        id: TypeId,
    ) -> Option<(Schema, Pointer)> {
        let only_a_reference = self
            .document
            .raw
            .get(component)
            .and_then(Value::as_object)
            .is_some_and(|members| members.len() == 1);
        let reference = schema.reference.as_deref().filter(|_| only_a_reference)?;
        let target = Pointer::from_fragment(self.document.raw.local(reference))?;
        if target.is_component_schema()
            || self.ref_shapes.contains_key(&target)
            || self.ref_in_progress.contains(&target)
        {
            return None;
        }
        let schema: Schema = self.document.raw.parse(&target).ok()?;
        if schema.reference.is_some() || !super::schema::is_named_kind(&schema) {
            return None;
        }
        self.ref_shapes
            .insert(target.clone(), Shape::plain(TypeRef::Named(id)));
        Some((schema, target))
    }

    /// The name a union member that is a reference goes by, and how its docs cite it: a
    /// component's name (`Dog`), or for a schema in a loaded file, the name of the file or of the
    /// schema in it (`dog`, cited as `dog.yaml`). `None` for any other reference.
    pub(super) fn member_name(&self, reference: &str) -> Option<(String, String)> {
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            return Some((name.to_owned(), name.to_owned()));
        }
        let pointer = Pointer::from_fragment(self.document.raw.local(reference))?;
        let (file, inner) = pointer.split_file()?;
        let cited = if inner == Pointer::root() {
            file
        } else {
            pointer.in_source()
        };
        Some((hint_for(&pointer), cited))
    }

    /// Lowers the target of a non-component reference as a type of its own, recording it before
    /// lowering so that references back to it resolve to it.
    fn lower_referenced(&mut self, schema: &Schema, target: &Pointer) -> Shape {
        if !super::schema::is_named_kind(schema) {
            return self.lower_schema(schema, target, &hint_for(target));
        }
        let (id, name) = self.new_type(&hint_for(target));
        if super::schema::is_nullable(schema) {
            self.nullable_types.insert(id);
        }
        self.ref_shapes.insert(target.clone(), self.named_shape(id));
        self.lower_named_schema(schema, target, id, name);
        let shape = self.named_shape(id);
        self.ref_shapes.insert(target.clone(), shape.clone());
        shape
    }

    /// The shape of a reference to a named type: an `Option` when its schema admits `null`.
    fn named_shape(&self, id: TypeId) -> Shape {
        Shape {
            nullable: self.nullable_types.contains(&id),
            ..Shape::plain(TypeRef::Named(id))
        }
    }
}

impl Lowerer<'_> {
    /// Reports every type that is only a `$ref` leading back to itself through other references
    /// (`A: {$ref: A}`, `A: {$ref: B}` with `B: {$ref: A}`, or through a pointer outside the
    /// components): no schema ends the chain, so the type would be an alias of itself. The first
    /// type of each cycle becomes `serde_json::Value`, so that nothing after this (the examples'
    /// check, emission) follows the cycle for ever.
    pub(super) fn cut_alias_cycles(&mut self) {
        let ids: Vec<TypeId> = self.types.keys().copied().collect();
        for id in ids {
            let mut seen = vec![id];
            let mut next = alias_target(self.types.get(&id).map(|def| &def.kind));
            while let Some(target) = next.filter(|target| !seen.contains(target)) {
                seen.push(target);
                next = alias_target(self.types.get(&target).map(|def| &def.kind));
            }
            if next != Some(id) {
                continue;
            }
            let Some(def) = self.types.get_mut(&id) else {
                continue;
            };
            def.kind = TypeKind::Alias(Shape::plain(TypeRef::Any));
            let origin = def.origin.clone();
            self.error(
                Diagnostic::error(
                    &origin.join("$ref"),
                    format!("`{origin}` is a `$ref` that leads back to itself; no schema ends the cycle"),
                )
                .with_hint("one schema of the cycle must be a schema, not only a `$ref`"),
            );
        }
    }
}

/// The type an alias is, when it is a named type.
fn alias_target(kind: Option<&TypeKind>) -> Option<TypeId> {
    match kind {
        Some(TypeKind::Alias(Shape {
            ty: TypeRef::Named(target),
            ..
        })) => Some(*target),
        _ => None,
    }
}
