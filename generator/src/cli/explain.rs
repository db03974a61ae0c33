//! `explain ITEM`: which place of the spec a generated item comes from, and what the generator
//! decided about it. Read from the IR, where every decision is recorded.

use lotinfo_codegen::ir::{
    Api, BodyEncoding, EnumValue, Field, FloatKind, GroupLabel, IntegerKind, Operation, Rule,
    Shape, Success, TypeDef, TypeId, TypeKind, TypeRef, UnionTagging,
};
use lotinfo_codegen::pointer::Pointer;
use lotinfo_codegen::Diagnostic;

/// What `explain` found.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The item's path in the generated crate (`models::AddClientsRequest::clients`).
    pub item: String,
    /// What it is: `struct`, `enum`, `union`, `alias`, `field`, `variant`, `method`, `response type`.
    pub kind: &'static str,
    /// Its Rust type, for a field or a union member.
    pub rust_type: Option<String>,
    /// Where in the spec it comes from (the IR's origin; into a loaded file it is under
    /// `#/x-bundled/`).
    pub origin: Pointer,
    /// The file it is generated into, relative to the crate's root.
    pub generated_file: Option<String>,
    /// The decisions made about it, one sentence each.
    pub decisions: Vec<String>,
}

/// Explains `item` in the crate of `api`; the warnings of the generation that are about its place
/// (or a place inside it) join its decisions. `Err` with close names when there is no such item.
pub fn explain(api: &Api, warnings: &[Diagnostic], item: &str) -> Result<Explanation, Vec<String>> {
    let parts = item_path(item);
    let found = match parts.as_slice() {
        [name] => explain_one(api, name),
        [owner, member] => explain_member(api, owner, member),
        _ => None,
    };
    match found {
        Some(mut explanation) => {
            explanation
                .decisions
                .extend(warnings_at(warnings, &explanation.origin));
            Ok(explanation)
        }
        None => Err(suggestions(api, &parts.join("::"))),
    }
}

/// The item's path without a leading crate or module path: `lotinfo_client::models::Pet::id` →
/// `[Pet, id]`. Modules are lower case, types upper case; of a path of lower-case parts only the
/// last (a method's name) is kept.
fn item_path(item: &str) -> Vec<String> {
    let mut parts: Vec<&str> = item
        .trim()
        .split("::")
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    while parts.len() > 1 && parts[0].starts_with(|c: char| c.is_lowercase() || c == '_') {
        parts.remove(0);
    }
    parts.into_iter().map(str::to_owned).collect()
}

fn explain_one(api: &Api, name: &str) -> Option<Explanation> {
    if let Some((id, def)) = api.types.iter().find(|(_, def)| def.name == name) {
        return Some(explain_type(api, *id, def));
    }
    if let Some(explanation) = response_type(api, name) {
        return Some(explanation);
    }
    method(api, name)
}

fn explain_member(api: &Api, owner: &str, member: &str) -> Option<Explanation> {
    if owner == "Client" {
        return method(api, member);
    }
    if let Some(def) = api.types.values().find(|def| def.name == owner) {
        return type_member(api, def, member);
    }
    response_type_member(api, owner, member)
}

/// The module and file of a type.
fn module_of(api: &Api, id: TypeId) -> Option<&str> {
    api.modules
        .iter()
        .find(|module| module.types.contains(&id))
        .map(|module| module.name.as_str())
}

fn explain_type(api: &Api, id: TypeId, def: &TypeDef) -> Explanation {
    let mut decisions = Vec::new();
    let segments = def.origin.in_source_segments();
    match segments.as_slice() {
        [components, schemas, key] if components == "components" && schemas == "schemas" => {
            if *key == def.name {
                decisions.push(format!("named as its schema's key `{key}`"));
            } else {
                decisions.push(format!(
                    "renamed from the schema's key `{key}` (names.rs: Rust casing, transliteration, keywords, prelude names, collisions)"
                ));
            }
        }
        _ => decisions
            .push("an inline schema: named from the names of the places that hold it".to_owned()),
    }
    let kind = match &def.kind {
        TypeKind::Struct(s) => {
            let required = s.fields.iter().filter(|f| f.required).count();
            decisions.push(format!(
                "a struct of {} field(s), {required} of them required",
                s.fields.len()
            ));
            if s.derive_default {
                decisions.push("derives `Default`: every field is optional".to_owned());
            }
            "struct"
        }
        TypeKind::Enum(e) => {
            decisions.push(format!(
                "an enum of the {} value(s) the spec lists, and `{}` for any value it does not (decoding never fails on a new value; validation refuses to send one)",
                e.variants.len(),
                e.unknown
            ));
            if let Some(default) = e.default.and_then(|index| e.variants.get(index)) {
                decisions.push(format!(
                    "`Default` is `{}`, the schema's `default`",
                    default.rust_name
                ));
            }
            "enum"
        }
        TypeKind::Union(u) => {
            decisions.push(match &u.tagging {
                UnionTagging::Internal { property, .. } => format!(
                    "a union of {} member(s), internally tagged by the property `{property}`",
                    u.variants.len()
                ),
                UnionTagging::Untagged => format!(
                    "a union of {} member(s), untagged: the first member that decodes wins",
                    u.variants.len()
                ),
            });
            "union"
        }
        TypeKind::Alias(shape) => {
            match &shape.ty {
                TypeRef::Named(first) if !is_component(def) => decisions.push(format!(
                    "an exact copy of `{}`, so an alias of it (`pub type`) rather than a type of its own",
                    api.types.get(first).map_or("?", |d| d.name.as_str())
                )),
                _ => decisions.push(format!(
                    "an alias (`pub type`) of `{}`: the schema is not an object, an enum or a union",
                    shape_text(api, shape)
                )),
            }
            "alias"
        }
    };
    if def.deprecated {
        decisions.push("`#[deprecated]`: the spec marks it deprecated".to_owned());
    }
    let module = module_of(api, id);
    if let Some(module) = module {
        decisions.push(format!("in the module `models::{module}`"));
    }
    Explanation {
        item: format!("models::{}", def.name),
        kind,
        rust_type: None,
        origin: def.origin.clone(),
        generated_file: module.map(|m| format!("src/models/{m}.rs")),
        decisions,
    }
}

fn type_member(api: &Api, def: &TypeDef, member: &str) -> Option<Explanation> {
    let id = api
        .types
        .iter()
        .find(|(_, d)| d.name == def.name)
        .map(|(id, _)| *id)?;
    let generated_file = module_of(api, id).map(|m| format!("src/models/{m}.rs"));
    let item = format!("models::{}::{member}", def.name);
    match &def.kind {
        TypeKind::Struct(s) => {
            let field = s
                .fields
                .iter()
                .find(|f| f.rust_name == member)
                .or_else(|| {
                    s.fields
                        .iter()
                        .find(|f| !f.flatten && f.wire_name == member)
                })?;
            Some(Explanation {
                item: format!("models::{}::{}", def.name, field.rust_name),
                kind: "field",
                rust_type: Some(field_type(api, field)),
                origin: field.origin.clone(),
                generated_file,
                decisions: field_decisions(field),
            })
        }
        TypeKind::Enum(e) => {
            if member == e.unknown {
                return Some(Explanation {
                    item,
                    kind: "variant",
                    rust_type: None,
                    origin: def.origin.clone(),
                    generated_file,
                    decisions: vec![
                        "added by the generator: keeps a value the spec does not list, so decoding never fails on a value the server adds".to_owned(),
                    ],
                });
            }
            let variant = e
                .variants
                .iter()
                .find(|v| v.rust_name == member)
                .or_else(|| {
                    e.variants.iter().find(|v| match &v.value {
                        EnumValue::String(s) => s == member,
                        EnumValue::Integer(i) => i.to_string() == member,
                    })
                })?;
            let value = match &variant.value {
                EnumValue::String(s) => format!("the string `{s:?}`"),
                EnumValue::Integer(i) => format!("the integer `{i}`"),
            };
            let mut decisions = vec![format!("on the wire: {value}")];
            let wire = enum_value_text(&variant.value);
            decisions.push(if wire == variant.rust_name {
                format!("named as the value `{wire}`")
            } else {
                format!(
                    "the Rust name is made from the value `{wire}`, or its `x-enum-varnames` entry (names.rs)"
                )
            });
            Some(Explanation {
                item: format!("models::{}::{}", def.name, variant.rust_name),
                kind: "variant",
                rust_type: None,
                origin: variant.origin.clone(),
                generated_file,
                decisions,
            })
        }
        TypeKind::Union(u) => {
            let variant = u.variants.iter().find(|v| v.rust_name == member)?;
            let mut decisions = vec![format!(
                "a member of the union, holding a `{}`; named after its tag, its schema or its type (names.rs)",
                shape_text(api, &variant.shape)
            )];
            if let Some(tag) = &variant.tag {
                decisions.push(format!("chosen when the tag property is `{tag:?}`"));
            }
            if variant.converts {
                decisions.push(format!(
                    "the union converts `From<{}>`: no other member is that type",
                    shape_text(api, &variant.shape)
                ));
            }
            Some(Explanation {
                item: format!("models::{}::{}", def.name, variant.rust_name),
                kind: "variant",
                rust_type: Some(shape_text(api, &variant.shape)),
                origin: variant.origin.clone(),
                generated_file,
                decisions,
            })
        }
        TypeKind::Alias(_) => None,
    }
}

fn field_decisions(field: &Field) -> Vec<String> {
    let mut decisions = Vec::new();
    if field.flatten {
        decisions.push(
            "holds the properties the schema does not declare (`additionalProperties`), flattened into the object".to_owned(),
        );
    } else {
        decisions.push(renamed("the property", &field.wire_name, &field.rust_name));
    }
    let nullable = field.shape.nullable && field.shape.ty != TypeRef::Any;
    if !field.flatten {
        decisions.push(match (field.required, nullable) {
            (true, false) => "required: listed in `required`, so not an `Option`".to_owned(),
            (true, true) => "an `Option`: listed in `required`, but it may be `null`".to_owned(),
            (false, _) => {
                "optional, an `Option`: not listed in `required` (left out of the JSON when `None`)"
                    .to_owned()
            }
        });
    }
    if field.boxed {
        decisions.push("boxed (`Box<…>`): it closes a cycle of directly nested types".to_owned());
    }
    if field.lenient {
        decisions.push(
            "decoded leniently: a number sent as a string, or a string as a number, is accepted when nothing is lost".to_owned(),
        );
    }
    if let Some(default) = &field.default {
        decisions.push(format!(
            "the spec's `default` {default}: what the server applies when it is left out"
        ));
    }
    if field.shape.rules.iter().any(Rule::is_checked) {
        let rules: Vec<String> = field
            .shape
            .rules
            .iter()
            .filter(|rule| rule.is_checked())
            .map(rule_text)
            .collect();
        decisions.push(format!("checked by `validate()`: {}", rules.join(", ")));
    }
    if field.deprecated {
        decisions.push("`#[deprecated]`: the spec marks it deprecated".to_owned());
    }
    decisions
}

fn renamed(what: &str, wire: &str, rust: &str) -> String {
    if wire == rust {
        format!("named as {what} `{wire}`")
    } else {
        format!("renamed from {what} `{wire}` (names.rs: Rust casing, transliteration, keywords, collisions)")
    }
}

fn rule_text(rule: &Rule) -> String {
    match rule {
        Rule::Pattern(pattern) => format!("pattern `{}`", pattern.source),
        Rule::MinLength(n) => format!("minLength {n}"),
        Rule::MaxLength(n) => format!("maxLength {n}"),
        Rule::Minimum { bound, exclusive } => {
            format!(
                "{} {bound}",
                if *exclusive {
                    "exclusiveMinimum"
                } else {
                    "minimum"
                }
            )
        }
        Rule::Maximum { bound, exclusive } => {
            format!(
                "{} {bound}",
                if *exclusive {
                    "exclusiveMaximum"
                } else {
                    "maximum"
                }
            )
        }
        Rule::MinItems(n) => format!("minItems {n}"),
        Rule::MaxItems(n) => format!("maxItems {n}"),
        Rule::Email => "format email".to_owned(),
        Rule::MultipleOf(step) => format!("multipleOf {step}"),
        Rule::Format(format) => format!("format {format:?}"),
    }
}

/// A client method: an operation's, its page walker's or its with-headers variant's.
fn method(api: &Api, name: &str) -> Option<Explanation> {
    let (index, op) = api.operations.iter().enumerate().find(|(_, op)| {
        op.rust_name == name
            || op.pagination.as_ref().is_some_and(|p| p.rust_name == name)
            || op
                .response_headers
                .as_ref()
                .is_some_and(|h| h.method_name == name)
    })?;
    let mut decisions = Vec::new();
    if op.rust_name != name {
        decisions.push(format!(
            "a companion of `Client::{}`, the method of the operation",
            op.rust_name
        ));
    }
    decisions.extend(operation_decisions(api, op));
    let group = api
        .operation_groups
        .iter()
        .find(|group| group.operations.contains(&index));
    if let Some(group) = group {
        decisions.push(match &group.label {
            GroupLabel::Tag(tag) => {
                format!("in `client::{}`, the file of the tag `{tag}`", group.name)
            }
            GroupLabel::Path(segment) => format!(
                "in `client::{}`, the file of the untagged operations under `{segment}`",
                group.name
            ),
            GroupLabel::Other => format!("in `client::{}`", group.name),
        });
    }
    Some(Explanation {
        item: format!("Client::{name}"),
        kind: "method",
        rust_type: None,
        origin: op.origin.clone(),
        generated_file: group.map(|g| format!("src/client/{}.rs", g.name)),
        decisions,
    })
}

fn operation_decisions(api: &Api, op: &Operation) -> Vec<String> {
    let mut decisions = vec![format!(
        "`{} {}`, operationId `{}`",
        op.method.as_str(),
        op.path_template(),
        op.operation_id
    )];
    decisions.push(renamed("the operationId", &op.operation_id, &op.rust_name));
    for param in &op.params {
        let place = format!("{:?}", param.location).to_lowercase();
        decisions.push(format!(
            "argument `{}`: the {place} parameter `{}`, {}",
            param.rust_name,
            param.wire_name,
            if param.required {
                "required"
            } else {
                "optional (an `Option`)"
            }
        ));
    }
    if let Some(body) = &op.body {
        let encoding = match &body.encoding {
            BodyEncoding::Json => "JSON".to_owned(),
            BodyEncoding::Form => "form-urlencoded".to_owned(),
            BodyEncoding::Multipart => "multipart/form-data".to_owned(),
            BodyEncoding::Text { content_type } | BodyEncoding::Binary { content_type } => {
                content_type.clone()
            }
        };
        decisions.push(format!(
            "request body `{}`, sent as {encoding}{}",
            shape_text(api, &body.shape),
            if body.required { "" } else { " (optional)" }
        ));
    }
    decisions.push(match &op.response {
        Success::Empty => "returns `()`: the success response has no content".to_owned(),
        Success::Json(shape) => format!(
            "returns `{}`, the JSON body of the success response",
            shape_text(api, shape)
        ),
        Success::Text => "returns the success response's text".to_owned(),
        Success::Bytes => "returns the success response's bytes".to_owned(),
        Success::ByStatus { name, .. } => {
            format!("returns `{name}`: the 2xx statuses have different bodies")
        }
    });
    if let Some(error) = &op.error_type {
        match &op.error_type_same_as {
            Some(first) => decisions.push(format!(
                "documented error bodies decode into `{error}`, an alias of `{first}` (the same errors)"
            )),
            None => decisions.push(format!("documented error bodies decode into `{error}`")),
        }
    }
    if let Some(headers) = &op.response_headers {
        decisions.push(format!(
            "`Client::{}` also returns the documented response headers, as `{}`",
            headers.method_name, headers.type_name
        ));
    }
    if let Some(pagination) = &op.pagination {
        decisions.push(format!(
            "`Client::{}` walks the pages (`x-pagination`: `{}` and `{}` of the body, items in `{}`)",
            pagination.rust_name,
            pagination.offset_field,
            pagination.limit_field,
            pagination.items_field
        ));
    }
    let security: Vec<String> = op
        .security
        .iter()
        .map(|alternative| alternative.join(" + "))
        .collect();
    if !security.is_empty() {
        decisions.push(format!("authenticated by {}", security.join(" or ")));
    }
    decisions.push(if op.idempotent {
        "idempotent (`x-idempotent` or its method): retried even after a failure whose outcome is unknown".to_owned()
    } else {
        "not idempotent (`x-idempotent` or its method): not retried after a failure whose outcome is unknown, unless the client is configured to".to_owned()
    });
    if op.deprecated {
        decisions.push("`#[deprecated]`: the spec marks it deprecated".to_owned());
    }
    decisions
}

/// The operations' own types: the enum of several 2xx bodies, the error enum, the struct of the
/// response headers, with what in the operation's responses they come from.
fn response_types(api: &Api) -> Vec<(String, &Operation, &'static str)> {
    let mut types = Vec::new();
    for op in &api.operations {
        if let Success::ByStatus { name, .. } = &op.response {
            types.push((name.clone(), op, "its 2xx statuses, one variant each"));
        }
        if let Some(name) = &op.error_type {
            types.push((name.clone(), op, "its documented error responses"));
        }
        if let Some(headers) = &op.response_headers {
            types.push((
                headers.type_name.clone(),
                op,
                "its success responses' headers",
            ));
        }
    }
    types
}

fn response_type(api: &Api, name: &str) -> Option<Explanation> {
    let (name, op, what) = response_types(api)
        .into_iter()
        .find(|(type_name, _, _)| type_name == name)?;
    Some(Explanation {
        item: format!("client::{name}"),
        kind: "response type",
        rust_type: None,
        origin: op.origin.join("responses"),
        generated_file: None,
        decisions: vec![format!("made for `Client::{}` from {what}", op.rust_name)],
    })
}

fn response_type_member(api: &Api, owner: &str, member: &str) -> Option<Explanation> {
    let (_, op, _) = response_types(api)
        .into_iter()
        .find(|(type_name, _, _)| type_name == owner)?;
    let responses = op.origin.join("responses");
    let mut found: Option<(Pointer, String)> = None;
    if let Success::ByStatus { name, bodies } = &op.response {
        if name == owner {
            found = bodies.iter().find(|b| b.rust_name == member).map(|b| {
                (
                    responses.join(b.status.to_string()),
                    format!("the {} response", b.status),
                )
            });
        }
    }
    if op.error_type.as_deref() == Some(owner) {
        found = found.or_else(|| {
            op.errors.iter().find(|e| e.rust_name == member).map(|e| {
                (
                    responses.join(&e.status),
                    format!("the documented `{}` response", e.status),
                )
            })
        });
    }
    if let Some(headers) = &op.response_headers {
        if headers.type_name == owner {
            found = found.or_else(|| {
                headers
                    .headers
                    .iter()
                    .find(|h| h.rust_name == member)
                    .map(|h| {
                        (
                            responses.clone(),
                            format!("the response header `{}`", h.wire_name),
                        )
                    })
            });
        }
    }
    let (origin, what) = found?;
    Some(Explanation {
        item: format!("client::{owner}::{member}"),
        kind: "variant",
        rust_type: None,
        origin,
        generated_file: None,
        decisions: vec![format!("from {what} of `Client::{}`", op.rust_name)],
    })
}

/// The warnings about `origin` or a place inside it.
fn warnings_at(warnings: &[Diagnostic], origin: &Pointer) -> Vec<String> {
    let place = origin.in_source();
    warnings
        .iter()
        .filter(|warning| {
            let at = format!(
                "{}{}",
                warning.file.as_deref().unwrap_or(""),
                warning.pointer
            );
            at == place || at.starts_with(&format!("{place}/"))
        })
        .map(|warning| format!("warning at {}: {}", warning.pointer, warning.message))
        .collect()
}

/// Every item `explain` knows, for suggestions.
fn all_items(api: &Api) -> Vec<String> {
    let mut items = Vec::new();
    for def in api.types.values() {
        items.push(def.name.clone());
        match &def.kind {
            TypeKind::Struct(s) => items.extend(
                s.fields
                    .iter()
                    .map(|f| format!("{}::{}", def.name, f.rust_name)),
            ),
            TypeKind::Enum(e) => items.extend(
                e.variants
                    .iter()
                    .map(|v| format!("{}::{}", def.name, v.rust_name)),
            ),
            TypeKind::Union(u) => items.extend(
                u.variants
                    .iter()
                    .map(|v| format!("{}::{}", def.name, v.rust_name)),
            ),
            TypeKind::Alias(_) => {}
        }
    }
    for op in &api.operations {
        items.push(format!("Client::{}", op.rust_name));
        items.extend(
            op.pagination
                .iter()
                .map(|p| format!("Client::{}", p.rust_name)),
        );
        items.extend(
            op.response_headers
                .iter()
                .map(|h| format!("Client::{}", h.method_name)),
        );
    }
    items.extend(response_types(api).into_iter().map(|(name, _, _)| name));
    items
}

/// Up to five items whose names are close to `wanted` (by edit distance, ignoring case), or
/// contain it; the members of the type it names come first, then the closest.
fn suggestions(api: &Api, wanted: &str) -> Vec<String> {
    let wanted = wanted.to_lowercase();
    let (owner, last) = match wanted.rsplit_once("::") {
        Some((owner, last)) => (Some(owner), last),
        None => (None, wanted.as_str()),
    };
    let mut scored: Vec<(bool, usize, String)> = all_items(api)
        .into_iter()
        .filter_map(|item| {
            let lower = item.to_lowercase();
            let (item_owner, item_last) = match lower.rsplit_once("::") {
                Some((o, l)) => (Some(o), l),
                None => (None, lower.as_str()),
            };
            let same_owner = owner.is_some() && item_owner == owner;
            let distance = edit_distance(&lower, &wanted).min(edit_distance(item_last, last) + 1);
            let close = distance <= (wanted.chars().count() / 3).max(2);
            let contains = !last.is_empty() && item_last.contains(last);
            (same_owner || close || contains).then_some((!same_owner, distance, item))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored
        .into_iter()
        .take(5)
        .map(|(_, _, item)| item)
        .collect()
}

/// The Levenshtein distance between two texts, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substituted = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

fn is_component(def: &TypeDef) -> bool {
    let segments = def.origin.in_source_segments();
    segments.len() == 3 && segments[..2] == ["components", "schemas"]
}

trait InSource {
    /// The pointer's segments within its own file (a loaded file's pointer without its
    /// `x-bundled` prefix).
    fn in_source_segments(&self) -> Vec<String>;
}

impl InSource for Pointer {
    fn in_source_segments(&self) -> Vec<String> {
        match self.split_file() {
            Some((_, inner)) => inner.segments(),
            None => self.segments(),
        }
    }
}

fn enum_value_text(value: &EnumValue) -> String {
    match value {
        EnumValue::String(s) => s.clone(),
        EnumValue::Integer(i) => i.to_string(),
    }
}

/// The Rust type of a field, as the generated struct writes it (short names).
fn field_type(api: &Api, field: &Field) -> String {
    let mut ty = type_text(api, &field.shape.ty);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    let nullable = field.shape.nullable && field.shape.ty != TypeRef::Any;
    if !field.flatten && (!field.required || nullable) {
        ty = format!("Option<{ty}>");
    }
    ty
}

fn shape_text(api: &Api, shape: &Shape) -> String {
    let ty = type_text(api, &shape.ty);
    if shape.nullable && shape.ty != TypeRef::Any {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

fn type_text(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api
            .types
            .get(id)
            .map_or_else(|| "?".to_owned(), |def| def.name.clone()),
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(IntegerKind::I32) => "i32".to_owned(),
        TypeRef::Integer(IntegerKind::I64) => "i64".to_owned(),
        TypeRef::Number(FloatKind::F32) => "f32".to_owned(),
        TypeRef::Number(FloatKind::F64) => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Date => "chrono::NaiveDate".to_owned(),
        TypeRef::DateTime => "chrono::DateTime<chrono::FixedOffset>".to_owned(),
        TypeRef::Uuid => "uuid::Uuid".to_owned(),
        TypeRef::Base64 => "Base64Bytes".to_owned(),
        TypeRef::Binary => "FilePart".to_owned(),
        TypeRef::Array(items) => format!("Vec<{}>", shape_text(api, items)),
        TypeRef::Tuple(items) => {
            let items: Vec<String> = items.iter().map(|item| shape_text(api, item)).collect();
            format!("({},)", items.join(", "))
        }
        TypeRef::Map(values) => format!("BTreeMap<String, {}>", shape_text(api, values)),
        TypeRef::Any => "serde_json::Value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, item_path};

    #[test]
    fn an_item_path_drops_its_crate_and_modules() {
        assert_eq!(item_path("lotinfo_client::models::Pet::id"), ["Pet", "id"]);
        assert_eq!(
            item_path(" Client::add_clients "),
            ["Client", "add_clients"]
        );
        assert_eq!(item_path("models::pet::Pet"), ["Pet"]);
        assert_eq!(item_path("add_clients"), ["add_clients"]);
        assert!(item_path("::").is_empty());
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Клиент", "Клиенты"), 1);
    }
}

/// Every item of every fixture and of the real spec is explained, and its origin is a place that
/// exists in the spec.
#[cfg(test)]
mod origins {
    use std::path::{Path, PathBuf};

    use super::{all_items, explain};
    use lotinfo_codegen::pointer::Pointer;

    /// The value at `pointer` in the spec at `spec` (a pointer into a loaded file read in it).
    fn exists(spec: &Path, pointer: &Pointer) -> bool {
        let (file, pointer) = match pointer.split_file() {
            Some((file, inner)) => (spec.parent().expect("a folder").join(file), inner),
            None => (spec.to_path_buf(), pointer.clone()),
        };
        let text = std::fs::read_to_string(&file).expect("readable");
        let mut value: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        for segment in pointer.segments() {
            value = match value {
                serde_json::Value::Object(mut map) => match map.remove(&segment) {
                    Some(member) => member,
                    None => return false,
                },
                serde_json::Value::Array(mut items) => match segment.parse::<usize>() {
                    Ok(index) if index < items.len() => items.swap_remove(index),
                    _ => return false,
                },
                _ => return false,
            };
        }
        true
    }

    #[test]
    fn every_item_has_an_origin_in_the_spec() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs = vec![
            root.join("spec/lotinfo.yaml"),
            root.join("tests/fixtures/multifile/openapi.yaml"),
            // With their configuration beside them: renamed items are explained too.
            root.join("tests/fixtures/config/openapi.yaml"),
            root.join("tests/fixtures/time/openapi.yaml"),
        ];
        for entry in std::fs::read_dir(root.join("tests/fixtures")).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                specs.push(path);
            }
        }
        specs.sort();
        let mut explained = 0;
        for spec in &specs {
            let config = lotinfo_codegen::Config::beside(spec, lotinfo_codegen::config::FILE_NAME)
                .expect("the fixture's configuration reads");
            let Ok((api, warnings)) = lotinfo_codegen::lower_file(spec, &config) else {
                continue;
            };
            for item in all_items(&api) {
                let explanation = explain(&api, &warnings, &item)
                    .unwrap_or_else(|_| panic!("{}: {item} is explained", spec.display()));
                assert!(
                    exists(spec, &explanation.origin),
                    "{}: {item} comes from {}, which is not in the spec",
                    spec.display(),
                    explanation.origin
                );
                assert!(!explanation.decisions.is_empty(), "{item}");
                explained += 1;
            }
        }
        assert!(explained > 400, "{explained} items");
    }
}
