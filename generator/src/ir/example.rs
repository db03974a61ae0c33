//! Whether an example of the spec fits a type exactly, so the generated documentation can show it
//! as Rust code (examples that disagree with the schema, numbers as strings or unknown fields, do
//! not fit), and the value an example shows where the spec gives none.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{
    Api, ParamLocation, Rule, Shape, StringFormat, TypeDef, TypeId, TypeKind, TypeRef,
    UnionTagging, UsageExample,
};

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
        // A file's example is its content; base64 text would need its bytes to be shown as Rust.
        TypeRef::Binary => value.is_string(),
        TypeRef::Base64 => false,
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
            UnionTagging::Internal { property, .. } => {
                let tag = value.get(property).and_then(Value::as_str);
                let mut rest = value.clone();
                if let Some(object) = rest.as_object_mut() {
                    object.remove(property);
                }
                // A member that declares the tag property reads it; one that does not ignores it.
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

/// How deep [`placeholder`] follows required fields before it gives up: deeper values would not
/// make a readable example.
const PLACEHOLDER_DEPTH: usize = 12;

/// Chooses every operation's example call: a value for each required parameter (the spec's
/// example of it when one fits, the smallest value of its type otherwise) and for the body (the
/// same; none when the body is optional and no value of its type can be written).
pub fn choose_usage_examples(api: &mut Api) {
    let types = &api.types;
    for op in &mut api.operations {
        let args: Option<Vec<Option<Value>>> = op
            .params
            .iter()
            .map(|param| match param.required {
                true => param
                    .example
                    .clone()
                    .filter(|example| satisfies(example, &param.shape))
                    .or_else(|| placeholder(&param.shape, types))
                    .map(|value| match param.location {
                        ParamLocation::Path => filled_object(value, &param.shape, types),
                        _ => value,
                    })
                    .map(Some),
                false => Some(None),
            })
            .collect();
        let body = match &op.body {
            Some(body) => match body.example.clone() {
                Some(example) => Some(Some(example)),
                None => match placeholder(&body.shape, types) {
                    Some(value) => Some(Some(value)),
                    None if !body.required => Some(None),
                    None => None,
                },
            },
            None => Some(None),
        };
        op.usage = match (args, body) {
            (Some(args), Some(body)) => Some(UsageExample { args, body }),
            _ => None,
        };
    }
}

/// An empty object in a path is a segment of only its style's prefix, which URLs drop as a dot
/// segment (`/.`), so a path parameter's placeholder object takes its first field that has one.
fn filled_object(mut value: Value, shape: &Shape, types: &BTreeMap<TypeId, TypeDef>) -> Value {
    let mut kind = match &shape.ty {
        TypeRef::Named(id) => types.get(id).map(|t| &t.kind),
        _ => None,
    };
    // Copies of a type are aliases of it.
    while let Some(TypeKind::Alias(Shape {
        ty: TypeRef::Named(id),
        ..
    })) = kind
    {
        kind = types.get(id).map(|t| &t.kind);
    }
    let (Some(object), Some(TypeKind::Struct(def))) = (value.as_object_mut(), kind) else {
        return value;
    };
    if object.is_empty() {
        let first = def
            .fields
            .iter()
            .filter(|f| !f.flatten)
            .find_map(|f| placeholder(&f.shape, types).map(|v| (f.wire_name.clone(), v)));
        if let Some((name, field)) = first {
            object.insert(name, field);
        }
    }
    value
}

/// The first of `candidates` that is a value of `shape` and meets its rules: the example a
/// parameter's spec gives, in the order the spec's places for it are read.
pub fn first_fitting<'v>(
    candidates: impl IntoIterator<Item = &'v Value>,
    shape: &Shape,
    types: &BTreeMap<TypeId, TypeDef>,
) -> Option<Value> {
    candidates
        .into_iter()
        .find(|value| fits(value, shape, types) && satisfies(value, shape))
        .cloned()
}

/// The smallest value of `shape` that validates as far as its type and plain bounds go: required
/// fields only, the first enum value or union member, lists at their `minItems` and at least one
/// item, numbers at their bound or zero and a multiple of their `multipleOf`, text that matches
/// its patterns and is written in its format. `None` when no finite value can be written
/// (required fields that nest without end).
pub fn placeholder(shape: &Shape, types: &BTreeMap<TypeId, TypeDef>) -> Option<Value> {
    Placeholders {
        types,
        path: Vec::new(),
    }
    .value(shape, 0)
}

/// The walk of [`placeholder`], with the named types it is inside: a value of a type that holds
/// itself is written without going round the cycle, where another member or an empty list allows.
struct Placeholders<'t> {
    types: &'t BTreeMap<TypeId, TypeDef>,
    path: Vec<TypeId>,
}

impl Placeholders<'_> {
    fn value(&mut self, shape: &Shape, depth: usize) -> Option<Value> {
        if depth > PLACEHOLDER_DEPTH {
            return None;
        }
        Some(match &shape.ty {
            TypeRef::Named(id) => {
                if self.path.contains(id) {
                    return None;
                }
                let kind = &self.types.get(id)?.kind;
                self.path.push(*id);
                let value = self.named(kind, depth + 1);
                self.path.pop();
                value?
            }
            TypeRef::String => Value::String(placeholder_text(&shape.rules)),
            TypeRef::Integer(_) => number(&shape.rules, true),
            TypeRef::Number(_) => number(&shape.rules, false),
            TypeRef::Boolean => Value::Bool(false),
            TypeRef::Date => Value::from("2024-01-31"),
            TypeRef::DateTime => Value::from("2024-01-31T12:00:00Z"),
            TypeRef::Uuid => Value::from("00000000-0000-0000-0000-000000000000"),
            // The bytes of a file as text; base64 text would need its bytes to be shown as Rust.
            TypeRef::Binary => Value::from("example"),
            TypeRef::Base64 => return None,
            TypeRef::Tuple(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.value(item, depth + 1))
                    .collect::<Option<_>>()?,
            ),
            TypeRef::Array(items) => {
                let (min_items, max_items) = item_counts(&shape.rules);
                // An empty list of a required parameter is not sent at all, so one item is shown.
                let count = min_items.max(1).min(max_items).min(3);
                match self.value(items, depth + 1) {
                    Some(item) => Value::Array(vec![item; count as usize]),
                    None if min_items == 0 => Value::Array(Vec::new()),
                    None => return None,
                }
            }
            TypeRef::Map(_) | TypeRef::Any => Value::Object(serde_json::Map::new()),
        })
    }

    fn named(&mut self, kind: &TypeKind, depth: usize) -> Option<Value> {
        match kind {
            TypeKind::Struct(def) => {
                let mut object = serde_json::Map::new();
                for field in def.fields.iter().filter(|f| f.required && !f.flatten) {
                    let value = match field.shape.nullable {
                        true => Value::Null,
                        false => self.value(&field.shape, depth)?,
                    };
                    object.insert(field.wire_name.clone(), value);
                }
                Some(Value::Object(object))
            }
            TypeKind::Enum(def) => def
                .default
                .and_then(|index| def.variants.get(index))
                .or(def.variants.first())
                .map(|variant| match &variant.value {
                    super::EnumValue::String(s) => Value::from(s.as_str()),
                    super::EnumValue::Integer(i) => Value::from(*i),
                }),
            TypeKind::Union(def) => def.variants.iter().find_map(|variant| {
                let mut value = self.value(&variant.shape, depth)?;
                if let (UnionTagging::Internal { property, .. }, Some(tag), Some(object)) =
                    (&def.tagging, &variant.tag, value.as_object_mut())
                {
                    object.insert(property.clone(), Value::from(tag.as_str()));
                }
                Some(value)
            }),
            TypeKind::Alias(shape) => self.value(shape, depth),
        }
    }
}

/// `minItems` (0 without) and `maxItems` (unbounded without).
fn item_counts(rules: &[Rule]) -> (u64, u64) {
    let mut counts = (0, u64::MAX);
    for rule in rules {
        match rule {
            Rule::MinItems(n) => counts.0 = counts.0.max(*n),
            Rule::MaxItems(n) => counts.1 = counts.1.min(*n),
            _ => {}
        }
    }
    counts
}

/// The bounds of a number: `(bound, exclusive)` of its `minimum` and `maximum`, and its
/// `multipleOf`.
type NumberRules = (Option<(f64, bool)>, Option<(f64, bool)>, Option<f64>);

fn number_rules(rules: &[Rule]) -> NumberRules {
    let mut bounds: NumberRules = (None, None, None);
    for rule in rules {
        match rule {
            Rule::Minimum { bound, exclusive } => bounds.0 = Some((*bound, *exclusive)),
            Rule::Maximum { bound, exclusive } => bounds.1 = Some((*bound, *exclusive)),
            Rule::MultipleOf(step) => bounds.2 = Some(*step),
            _ => {}
        }
    }
    bounds
}

/// Whether `value` is within the bounds and a multiple of the step.
fn in_bounds(value: f64, (minimum, maximum, step): NumberRules) -> bool {
    none_or(minimum, |(bound, exclusive)| {
        value > bound || (!exclusive && value == bound)
    }) && none_or(maximum, |(bound, exclusive)| {
        value < bound || (!exclusive && value == bound)
    }) && none_or(step, |step| (value / step).fract() == 0.0)
}

/// Whether `bound` is absent or `meets` it (`Option::is_none_or`, newer than the crate's minimum
/// Rust version).
fn none_or<T>(bound: Option<T>, meets: impl FnOnce(T) -> bool) -> bool {
    bound.map_or(true, meets)
}

/// A number at its lower bound (past it when exclusive), else at its upper bound when that is not
/// above zero, else zero; then the nearest multiple of its `multipleOf` in the bounds that way.
/// Whole numbers are written as integers, so a `number` of 4 reads `4`.
fn number(rules: &[Rule], integer: bool) -> Value {
    let bounds = number_rules(rules);
    let (minimum, maximum, step) = bounds;
    // With a step, the search for a multiple steps past an exclusive bound itself.
    let past = |bound: f64, exclusive: bool| match (integer, exclusive && step.is_none()) {
        (true, exclusive) => f64::from(u8::from(exclusive && bound.fract() == 0.0)),
        (false, true) => 1.0,
        (false, false) => 0.0,
    };
    let (start, up) = match (minimum, maximum) {
        (Some((bound, exclusive)), _) => {
            let bound = if integer { bound.ceil() } else { bound };
            (bound + past(bound, exclusive), true)
        }
        (None, Some((bound, exclusive))) if bound <= 0.0 => {
            let bound = if integer { bound.floor() } else { bound };
            (bound - past(bound, exclusive), false)
        }
        _ => (0.0, true),
    };
    let value = match step {
        Some(step) => {
            let first = if up {
                (start / step).ceil()
            } else {
                (start / step).floor()
            };
            (0..64)
                .map(|k| {
                    (if up {
                        first + k as f64
                    } else {
                        first - k as f64
                    }) * step
                })
                .find(|v| (!integer || v.fract() == 0.0) && in_bounds(*v, bounds))
                .unwrap_or(start)
        }
        None => start,
    };
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}

/// Text for a string placeholder: the first that meets every rule of the string of an address
/// (`format: email`), a text in its format, a text that matches each pattern, and a word padded
/// to the length bounds; the word, cut to `maxLength`, when none does.
fn placeholder_text(rules: &[Rule]) -> String {
    let (min_chars, max_chars) = rules
        .iter()
        .fold((0, u64::MAX), |(min, max), rule| match rule {
            Rule::MinLength(n) => (min.max(*n), max),
            Rule::MaxLength(n) => (min, max.min(*n)),
            _ => (min, max),
        });
    let mut word = String::from("text");
    while (word.chars().count() as u64) < min_chars.min(64) {
        word.push('x');
    }
    let formats = rules.iter().filter_map(|rule| match rule {
        Rule::Email => Some("user@example.com".to_owned()),
        Rule::Format(format) => Some(format_text(*format).to_owned()),
        _ => None,
    });
    let patterns = rules.iter().filter_map(|rule| match rule {
        Rule::Pattern(pattern) => {
            super::pattern_example::matching_text(&pattern.source, min_chars.min(64) as usize)
        }
        _ => None,
    });
    let mut candidates = formats.chain(patterns).chain([word.clone()]);
    candidates
        .find(|text| text_satisfies(text, rules))
        .unwrap_or_else(|| word.chars().take(max_chars as usize).collect())
}

/// A text written in `format`.
fn format_text(format: StringFormat) -> &'static str {
    match format {
        StringFormat::Uri => "https://example.com",
        StringFormat::Hostname => "example.com",
        StringFormat::Ipv4 => "192.0.2.1",
        StringFormat::Ipv6 => "2001:db8::1",
        StringFormat::Time => "12:00:00Z",
        StringFormat::Duration => "P1D",
        StringFormat::JsonPointer => "/example",
        StringFormat::RelativeJsonPointer => "0",
    }
}

/// Whether `text` meets the rules of a string as the client checks them (patterns, lengths and
/// e-mail addresses, the runtime's `validator.email` being an `@` between two non-empty parts).
fn text_satisfies(text: &str, rules: &[Rule]) -> bool {
    let chars = text.chars().count() as u64;
    rules.iter().all(|rule| match rule {
        Rule::Pattern(pattern) => {
            regex::Regex::new(&pattern.source).is_ok_and(|regex| regex.is_match(text))
        }
        Rule::MinLength(n) => chars >= *n,
        Rule::MaxLength(n) => chars <= *n,
        Rule::Email => text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && !host.is_empty()),
        _ => true,
    })
}

/// Whether a value that fits `shape` also meets the rules of its outer shape and of its list
/// items: what the client checks before sending it, and `multipleOf`.
fn satisfies(value: &Value, shape: &Shape) -> bool {
    match (value, &shape.ty) {
        (Value::Null, _) => true,
        (Value::String(text), TypeRef::String) => text_satisfies(text, &shape.rules),
        (Value::Number(n), TypeRef::Integer(_) | TypeRef::Number(_)) => n
            .as_f64()
            .is_some_and(|n| in_bounds(n, number_rules(&shape.rules))),
        (Value::Array(items), TypeRef::Array(item)) => {
            let (min_items, max_items) = item_counts(&shape.rules);
            let count = items.len() as u64;
            // An empty list of a required parameter is not sent, which a server refuses.
            (count >= min_items.max(1) && count <= max_items)
                && items.iter().all(|v| satisfies(v, item))
        }
        _ => true,
    }
}

/// `yyyy-mm-dd`.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    // The example becomes a parsed date in the README, so a day the calendar lacks must not fit.
    shaped && {
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => 0,
        };
        (1..=days).contains(&day)
    }
}

/// `yyyy-mm-ddThh:mm:ss`, optional fractions and a `Z` or `±hh:mm` offset, as RFC 3339 writes it:
/// the parsers the examples are written for refuse anything looser, such as `+0000`.
fn is_date_time(text: &str) -> bool {
    let (Some(date), Some(separator), Some(time)) =
        (text.get(..10), text.get(10..11), text.get(11..))
    else {
        return false;
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let clock = |part: &str| {
        part.len() == 8 && part.as_bytes()[2] == b':' && part.as_bytes()[5] == b':' && {
            let (h, m, s) = (&part[..2], &part[3..5], &part[6..]);
            digits(h) && digits(m) && digits(s) && h < "24" && m < "60" && s <= "60"
        }
    };
    let Some(rest) = time.get(8..).filter(|_| clock(&time[..8])) else {
        return false;
    };
    let offset = match rest.strip_prefix('.') {
        Some(fraction) => {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return false;
            }
            &fraction[end..]
        }
        None => rest,
    };
    let offset_ok = matches!(offset, "Z" | "z")
        || (offset.len() == 6
            && matches!(offset.as_bytes()[0], b'+' | b'-')
            && offset.as_bytes()[3] == b':'
            && digits(&offset[1..3])
            && digits(&offset[4..]));
    is_date(date) && matches!(separator, "T" | "t") && offset_ok
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
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(is_date_time("2024-02-29T10:00:00Z"));
        assert!(is_date_time("2024-02-29T10:00:00.5+03:00"));
        assert!(!is_date_time("2024-02-29T10:00:00"));
        assert!(!is_date_time("2024-02-29"));
        assert!(!is_date_time("2021-01-17T12:34:00.000+0000"));
        assert!(!is_date_time("2021-01-17T25:34:00Z"));
        assert!(!is_date_time("2021-01-17T12:34:00.Z"));
        assert!(is_date_time("2021-01-17T12:34:00.123456-05:30"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
    }

    fn shape(ty: TypeRef, rules: Vec<Rule>) -> Shape {
        Shape {
            ty,
            nullable: false,
            rules,
        }
    }

    #[test]
    fn placeholders_respect_bounds_and_fit_their_shape() {
        let types = BTreeMap::new();
        let cases = [
            (
                shape(
                    TypeRef::Integer(super::super::IntegerKind::I64),
                    vec![Rule::Minimum {
                        bound: 3.0,
                        exclusive: true,
                    }],
                ),
                serde_json::json!(4),
            ),
            (
                shape(
                    TypeRef::Integer(super::super::IntegerKind::I64),
                    vec![Rule::Maximum {
                        bound: -2.0,
                        exclusive: false,
                    }],
                ),
                serde_json::json!(-2),
            ),
            (
                shape(TypeRef::String, vec![Rule::MinLength(6)]),
                serde_json::json!("textxx"),
            ),
            (
                shape(TypeRef::String, vec![Rule::MaxLength(2)]),
                serde_json::json!("te"),
            ),
            (
                shape(TypeRef::String, vec![Rule::Email]),
                serde_json::json!("user@example.com"),
            ),
            (
                shape(TypeRef::Date, vec![]),
                serde_json::json!("2024-01-31"),
            ),
            (
                shape(
                    TypeRef::Array(Box::new(shape(TypeRef::Boolean, vec![]))),
                    vec![Rule::MinItems(2)],
                ),
                serde_json::json!([false, false]),
            ),
        ];
        for (shape, expected) in cases {
            let value = placeholder(&shape, &types).expect("a placeholder");
            assert_eq!(value, expected, "{shape:?}");
            assert!(fits(&value, &shape, &types), "{value} fits {shape:?}");
        }
        assert_eq!(placeholder(&shape(TypeRef::Base64, vec![]), &types), None);
    }

    fn pattern(source: &str) -> Rule {
        Rule::Pattern(super::super::pattern::pattern(source))
    }

    fn minimum(bound: f64, exclusive: bool) -> Rule {
        Rule::Minimum { bound, exclusive }
    }

    fn maximum(bound: f64, exclusive: bool) -> Rule {
        Rule::Maximum { bound, exclusive }
    }

    /// The placeholder of `shape`, checked to fit it and to meet its rules.
    fn checked(shape: &Shape) -> Value {
        let types = BTreeMap::new();
        let value = placeholder(shape, &types).expect("a placeholder");
        assert!(fits(&value, shape, &types), "{value} fits {shape:?}");
        assert!(satisfies(&value, shape), "{value} meets {shape:?}");
        value
    }

    #[test]
    fn strings_match_their_patterns_within_their_lengths() {
        let text = |rules| checked(&shape(TypeRef::String, rules));
        let sid = format!("AC{}", "a".repeat(32));
        assert_eq!(text(vec![pattern("^AC[0-9a-fA-F]{32}$")]), sid.as_str());
        assert_eq!(text(vec![pattern(r"a\w+b")]), "aab");
        assert_eq!(text(vec![pattern("^[a-z]+$"), Rule::MinLength(3)]), "aaa");
        // Two patterns: the first's text fails the second, the second's text meets both.
        assert_eq!(text(vec![pattern("^[a-z0-9]+$"), pattern("^[0-9]")]), "0");
        // No text meets the pattern and the lengths: the word, cut to the maximum.
        let value = placeholder(
            &shape(TypeRef::String, vec![pattern("^abc$"), Rule::MaxLength(2)]),
            &BTreeMap::new(),
        );
        assert_eq!(value, Some(Value::from("te")));
    }

    #[test]
    fn strings_are_written_in_their_format() {
        let text = |format| checked(&shape(TypeRef::String, vec![Rule::Format(format)]));
        assert_eq!(text(StringFormat::Uri), "https://example.com");
        assert_eq!(text(StringFormat::Ipv4), "192.0.2.1");
        assert_eq!(text(StringFormat::Hostname), "example.com");
        // A format whose text the pattern refuses gives way to the pattern.
        assert_eq!(
            checked(&shape(
                TypeRef::String,
                vec![Rule::Format(StringFormat::Uri), pattern("^ftp://")]
            )),
            "ftp://"
        );
    }

    #[test]
    fn numbers_are_multiples_within_exclusive_bounds() {
        let integer = TypeRef::Integer(super::super::IntegerKind::I64);
        let number = TypeRef::Number(super::super::FloatKind::F64);
        let cases = [
            (
                shape(
                    number.clone(),
                    vec![
                        minimum(10.0, true),
                        maximum(20.0, true),
                        Rule::MultipleOf(2.0),
                    ],
                ),
                serde_json::json!(12),
            ),
            (
                shape(
                    integer.clone(),
                    vec![Rule::MultipleOf(5.0), minimum(1.0, false)],
                ),
                serde_json::json!(5),
            ),
            (
                shape(
                    integer.clone(),
                    vec![maximum(-1.0, false), Rule::MultipleOf(3.0)],
                ),
                serde_json::json!(-3),
            ),
            (
                shape(
                    integer.clone(),
                    vec![Rule::MultipleOf(0.5), minimum(0.2, false)],
                ),
                serde_json::json!(1),
            ),
            (
                shape(
                    number.clone(),
                    vec![minimum(0.25, true), Rule::MultipleOf(0.5)],
                ),
                serde_json::json!(0.5),
            ),
            (
                shape(number.clone(), vec![minimum(1.5, false)]),
                serde_json::json!(1.5),
            ),
            (shape(number.clone(), vec![]), serde_json::json!(0)),
        ];
        for (shape, expected) in cases {
            assert_eq!(checked(&shape), expected, "{shape:?}");
        }
    }

    #[test]
    fn lists_have_an_item_and_cycles_are_not_followed() {
        let list = shape(
            TypeRef::Array(Box::new(shape(TypeRef::String, vec![]))),
            vec![],
        );
        assert_eq!(checked(&list), serde_json::json!(["text"]));
        // A list of its own type is empty; a required field of its own type has no value.
        let api = super::super::lowered(
            r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Tree:
      type: object
      required: [children]
      properties:
        children: { type: array, items: { $ref: "#/components/schemas/Tree" } }
    Node:
      type: object
      required: [id, parent]
      properties:
        id: { type: string }
        parent: { $ref: "#/components/schemas/Node" }
"##,
        );
        let named = |name: &str| {
            let id = api
                .types
                .iter()
                .find(|(_, def)| def.name == name)
                .unwrap()
                .0;
            placeholder(&shape(TypeRef::Named(*id), vec![]), &api.types)
        };
        assert_eq!(named("Tree"), Some(serde_json::json!({ "children": [] })));
        assert_eq!(named("Node"), None);
    }

    #[test]
    fn a_parameter_example_must_meet_its_rules() {
        let sid = shape(TypeRef::String, vec![pattern("^AC[0-9a-f]{4}$")]);
        let types = BTreeMap::new();
        let candidates = [Value::from(7), Value::from("ACxyz"), Value::from("AC12ab")];
        assert_eq!(
            first_fitting(&candidates, &sid, &types),
            Some(Value::from("AC12ab"))
        );
        let list = shape(TypeRef::Array(Box::new(sid)), vec![]);
        assert_eq!(first_fitting(&[serde_json::json!([])], &list, &types), None);
    }
}
