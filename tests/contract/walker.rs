//! A small walker of the spec's request schemas, independent of the generator: it follows a JSON
//! value through its schema to record what the value covers (properties present and absent, enum
//! values, union members, bounds reached) and to list the ways of breaking one rule of it.
//!
//! It knows what the lotinfo spec uses in its requests (`$ref`, `properties`, `required`,
//! `additionalProperties`, `items`, `oneOf` with a discriminator, `enum`, `const`, `pattern`,
//! lengths, bounds, item counts, `format: email`) and panics on any other combinator, so a spec
//! change it cannot follow fails loudly instead of being skipped.

use std::collections::BTreeSet;

use serde_json::{json, Value};

/// A JSON pointer one step down.
pub fn child(pointer: &str, step: &str) -> String {
    format!("{pointer}/{}", step.replace('~', "~0").replace('/', "~1"))
}

/// Something a value of a schema can show; the walker records what generated values show and
/// lists what the schemas allow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seen {
    /// The property of the object schema at this spec pointer is present.
    Present(String, String),
    /// The (optional) property is absent.
    Absent(String, String),
    /// The schema's `enum` or `const` value.
    Value(String, String),
    /// The `oneOf` member with this index.
    Member(String, usize),
    /// The value sits on the schema's `minimum`, `maximum` or `minItems`.
    Edge(String, &'static str),
}

/// Which rule a mutation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Pattern,
    MinLength,
    MaxLength,
    Minimum,
    Maximum,
    MinItems,
    MaxItems,
    Email,
    Required,
    Enum,
    Const,
}

impl Kind {
    /// Whether a value of the client's Rust types can break this rule (the client must then stop
    /// it with `Error::InvalidRequest`); the other rules are kept by the types themselves, so the
    /// broken JSON must not even decode into them. An enum value the spec does not list decodes
    /// (into the enum's `Unknown` variant, so responses survive new values) and validation stops
    /// it; so does a union's tag (`const`) the spec does not list, into the union's `Unknown`.
    pub fn is_typed(self) -> bool {
        !matches!(self, Kind::Required)
    }
}

/// A request with one rule broken.
#[derive(Debug, Clone)]
pub struct Mutation {
    /// The rule broken.
    pub kind: Kind,
    /// The JSON pointer of the broken value (of the missing property, for `required`).
    pub pointer: String,
    /// Where a validator reports it: the pointer, or the object missing a required property.
    pub reported_at: String,
    /// What a validator may also report on: the innermost union value around the break (whose
    /// other members then fail too), else `reported_at`.
    pub scope: String,
    /// The whole request, broken.
    pub body: Value,
}

/// The spec, to resolve references in.
pub struct Walker {
    spec: Value,
}

/// What a walk found: what the value shows and, when asked, the ways of breaking it.
#[derive(Default)]
pub struct Findings {
    pub seen: BTreeSet<Seen>,
    /// Whether to list mutations (each is a copy of the whole value).
    pub mutate: bool,
    pub mutations: Vec<Mutation>,
    /// The pointers of the union values the walk is inside, innermost last.
    unions: Vec<String>,
}

impl Findings {
    /// Findings that list mutations too.
    pub fn with_mutations() -> Self {
        Findings {
            mutate: true,
            ..Findings::default()
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        pointer: String,
        reported_at: &str,
        body: impl FnOnce() -> Value,
    ) {
        if self.mutate {
            let scope = self.unions.last().map_or(reported_at, String::as_str);
            self.mutations.push(Mutation {
                kind,
                pointer,
                reported_at: reported_at.to_owned(),
                scope: scope.to_owned(),
                body: body(),
            });
        }
    }
}

impl Walker {
    pub fn new(spec: Value) -> Self {
        Walker { spec }
    }

    /// The schema at a spec pointer, after following its `$ref`s, and where it is.
    fn resolve(&self, mut location: String) -> (&Value, String) {
        loop {
            let schema = self
                .spec
                .pointer(&location)
                .unwrap_or_else(|| panic!("the spec has a schema at {location}"));
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    location = reference
                        .strip_prefix('#')
                        .unwrap_or_else(|| panic!("only local references: {reference}"))
                        .to_owned();
                }
                None => return (schema, location),
            }
        }
    }

    /// Everything a value of the schema at `location` can show, and every kind of rule it has.
    pub fn universe(&self, location: &str) -> (BTreeSet<Seen>, BTreeSet<Kind>) {
        let mut out = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        let mut visited = BTreeSet::new();
        self.universe_into(location.to_owned(), &mut visited, &mut out, &mut kinds);
        (out, kinds)
    }

    fn universe_into(
        &self,
        location: String,
        visited: &mut BTreeSet<String>,
        out: &mut BTreeSet<Seen>,
        kinds: &mut BTreeSet<Kind>,
    ) {
        let (schema, location) = self.resolve(location);
        if !visited.insert(location.clone()) {
            return;
        }
        refuse_unknown_combinators(schema, &location);
        for (keyword, kind) in [
            ("pattern", Kind::Pattern),
            ("minLength", Kind::MinLength),
            ("maxLength", Kind::MaxLength),
            ("minimum", Kind::Minimum),
            ("maximum", Kind::Maximum),
            ("maxItems", Kind::MaxItems),
            ("required", Kind::Required),
            ("enum", Kind::Enum),
            ("const", Kind::Const),
        ] {
            if schema.get(keyword).is_some() {
                kinds.insert(kind);
            }
        }
        if schema["minItems"].as_u64().is_some_and(|min| min > 0) {
            kinds.insert(Kind::MinItems);
        }
        if schema["format"] == "email" {
            kinds.insert(Kind::Email);
        }
        if let Some(members) = schema["oneOf"].as_array() {
            for index in 0..members.len() {
                out.insert(Seen::Member(location.clone(), index));
                self.universe_into(format!("{location}/oneOf/{index}"), visited, out, kinds);
            }
        }
        for value in schema["enum"].as_array().into_iter().flatten() {
            out.insert(Seen::Value(location.clone(), value.to_string()));
        }
        if let Some(value) = schema.get("const") {
            out.insert(Seen::Value(location.clone(), value.to_string()));
        }
        for edge in ["minimum", "maximum", "minItems"] {
            if schema.get(edge).is_some() {
                out.insert(Seen::Edge(location.clone(), edge));
            }
        }
        let required = required(schema);
        for (name, _) in schema["properties"].as_object().into_iter().flatten() {
            out.insert(Seen::Present(location.clone(), name.clone()));
            if !required.contains(name) {
                out.insert(Seen::Absent(location.clone(), name.clone()));
            }
            self.universe_into(
                child(&format!("{location}/properties"), name),
                visited,
                out,
                kinds,
            );
        }
        if schema["additionalProperties"].is_object() {
            self.universe_into(
                format!("{location}/additionalProperties"),
                visited,
                out,
                kinds,
            );
        }
        if schema["items"].is_object() {
            self.universe_into(format!("{location}/items"), visited, out, kinds);
        }
    }

    /// Follows `root` (a request body) through the schema at `location`.
    pub fn walk(&self, location: &str, root: &Value, findings: &mut Findings) {
        self.walk_at(location.to_owned(), root, "", findings);
    }

    fn walk_at(&self, location: String, root: &Value, pointer: &str, out: &mut Findings) {
        let (schema, location) = self.resolve(location);
        refuse_unknown_combinators(schema, &location);
        let value = root
            .pointer(pointer)
            .expect("the walk stays inside the value");
        // Values that break one rule, each replacing this one.
        let mut replacements: Vec<(Kind, Value)> = Vec::new();
        if let Some(values) = schema["enum"].as_array() {
            out.seen
                .insert(Seen::Value(location.clone(), value.to_string()));
            replacements.push((Kind::Enum, outside_of(values)));
        }
        if let Some(constant) = schema.get("const") {
            out.seen
                .insert(Seen::Value(location.clone(), value.to_string()));
            replacements.push((Kind::Const, outside_of(std::slice::from_ref(constant))));
        }
        match value {
            Value::String(text) => replacements.extend(string_mutations(schema, text)),
            Value::Number(number) => {
                let number = number.as_f64().expect("a finite number");
                for (keyword, kind, step) in [
                    ("minimum", Kind::Minimum, -1),
                    ("maximum", Kind::Maximum, 1),
                ] {
                    let Some(bound) = schema[keyword].as_f64() else {
                        continue;
                    };
                    if number == bound {
                        out.seen.insert(Seen::Edge(location.clone(), keyword));
                    }
                    let beyond = if schema["type"] == "integer" {
                        json!(bound as i64 + step)
                    } else {
                        json!(bound + step as f64)
                    };
                    replacements.push((kind, beyond));
                }
            }
            _ => {}
        }
        for (kind, replacement) in replacements {
            out.push(kind, pointer.to_owned(), pointer, || {
                let mut body = root.clone();
                *body.pointer_mut(pointer).expect("the place exists") = replacement;
                body
            });
        }
        if let Some(members) = schema["oneOf"].as_array() {
            let index = self.member_of(schema, members, value, &location);
            out.seen.insert(Seen::Member(location.clone(), index));
            out.unions.push(pointer.to_owned());
            self.walk_at(format!("{location}/oneOf/{index}"), root, pointer, out);
            out.unions.pop();
        }
        match value {
            Value::Object(map) => self.walk_object(schema, &location, map, root, pointer, out),
            Value::Array(items) => {
                self.walk_array(schema, &location, items.len(), root, pointer, out)
            }
            _ => {}
        }
    }

    fn walk_object(
        &self,
        schema: &Value,
        location: &str,
        map: &serde_json::Map<String, Value>,
        root: &Value,
        pointer: &str,
        out: &mut Findings,
    ) {
        let required = required(schema);
        let properties = schema["properties"].as_object();
        for name in properties.into_iter().flatten().map(|(name, _)| name) {
            let seen = if map.contains_key(name) {
                Seen::Present
            } else {
                Seen::Absent
            };
            out.seen.insert(seen(location.to_owned(), name.clone()));
        }
        for name in &required {
            if map.contains_key(name) {
                out.push(Kind::Required, child(pointer, name), pointer, || {
                    let mut body = root.clone();
                    let object = body.pointer_mut(pointer).and_then(Value::as_object_mut);
                    object.expect("an object").remove(name);
                    body
                });
            }
        }
        for key in map.keys() {
            let declared = properties.is_some_and(|p| p.contains_key(key));
            let location = if declared {
                child(&format!("{location}/properties"), key)
            } else if schema["additionalProperties"].is_object() {
                format!("{location}/additionalProperties")
            } else {
                continue;
            };
            self.walk_at(location, root, &child(pointer, key), out);
        }
    }

    fn walk_array(
        &self,
        schema: &Value,
        location: &str,
        len: usize,
        root: &Value,
        pointer: &str,
        out: &mut Findings,
    ) {
        if let Some(min) = schema["minItems"].as_u64() {
            if len as u64 == min {
                out.seen.insert(Seen::Edge(location.to_owned(), "minItems"));
            }
            if min > 0 {
                out.push(Kind::MinItems, pointer.to_owned(), pointer, || {
                    let mut body = root.clone();
                    let items = body.pointer_mut(pointer).and_then(Value::as_array_mut);
                    items.expect("an array").truncate(min as usize - 1);
                    body
                });
            }
        }
        if let (Some(max), true) = (schema["maxItems"].as_u64(), len > 0) {
            out.push(Kind::MaxItems, pointer.to_owned(), pointer, || {
                let mut body = root.clone();
                let items = body.pointer_mut(pointer).and_then(Value::as_array_mut);
                let items = items.expect("an array");
                let first = items[0].clone();
                items.resize(max as usize + 1, first);
                body
            });
        }
        for index in 0..len {
            let location = format!("{location}/items");
            self.walk_at(location, root, &child(pointer, &index.to_string()), out);
        }
    }

    /// The `oneOf` member a value is, by the discriminator's mapping.
    fn member_of(&self, schema: &Value, members: &[Value], value: &Value, location: &str) -> usize {
        let property = schema["discriminator"]["propertyName"]
            .as_str()
            .unwrap_or_else(|| panic!("{location}: a oneOf without a discriminator is not walked"));
        let tag = value[property]
            .as_str()
            .expect("the discriminator is a string");
        let target = schema["discriminator"]["mapping"][tag]
            .as_str()
            .unwrap_or_else(|| panic!("{location}: no mapping for {tag}"));
        members
            .iter()
            .position(|member| member["$ref"] == target)
            .unwrap_or_else(|| panic!("{location}: {target} is not a member"))
    }
}

/// The texts that break one rule of a string: its pattern, a length, its e-mail format.
fn string_mutations(schema: &Value, text: &str) -> Vec<(Kind, Value)> {
    let mut out = Vec::new();
    if let Some(pattern) = schema["pattern"].as_str() {
        let regex = regex::Regex::new(pattern).expect("the spec's patterns compile");
        let breaking = ["x", "", "0", "-", "7", "8", "1/", "00.00.0000"]
            .into_iter()
            .find(|candidate| !regex.is_match(candidate))
            .unwrap_or_else(|| panic!("no candidate breaks the pattern {pattern}"));
        out.push((Kind::Pattern, json!(breaking)));
    }
    if let Some(min) = schema["minLength"].as_u64().filter(|min| *min > 0) {
        let shorter: String = text.chars().take(min as usize - 1).collect();
        out.push((Kind::MinLength, json!(shorter)));
    }
    if let Some(max) = schema["maxLength"].as_u64() {
        let longer = format!("{text}{}", "x".repeat(max as usize + 1));
        out.push((Kind::MaxLength, json!(longer)));
    }
    if schema["format"] == "email" {
        // No `@`; an empty domain label; a non-ASCII local part (that is `idn-email`, not `email`).
        for address in ["not an e-mail address", "user@mail..ru", "почта@mail.ru"] {
            out.push((Kind::Email, json!(address)));
        }
    }
    out
}

/// A value of the same JSON type as `values` that is none of them.
fn outside_of(values: &[Value]) -> Value {
    if values.iter().all(Value::is_i64) {
        json!(values.iter().filter_map(Value::as_i64).max().unwrap_or(0) + 1)
    } else {
        let mut text = "not-a-value".to_owned();
        while values.iter().any(|v| v == &json!(text)) {
            text.push('!');
        }
        json!(text)
    }
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Panics on a combinator the walker does not follow.
fn refuse_unknown_combinators(schema: &Value, location: &str) {
    for keyword in [
        "allOf",
        "anyOf",
        "not",
        "if",
        "prefixItems",
        "patternProperties",
    ] {
        assert!(
            schema.get(keyword).is_none(),
            "{location}: the contract test's walker does not follow `{keyword}` yet"
        );
    }
}
