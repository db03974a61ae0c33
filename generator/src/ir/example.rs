//! Whether an example of the spec fits a type exactly, so the generated documentation can show it
//! as Rust code (examples that disagree with the schema, numbers as strings or unknown fields, do
//! not fit), and the value an example shows where the spec gives none.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Api, Rule, Shape, TypeDef, TypeId, TypeKind, TypeRef, UnionTagging, UsageExample};

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

/// Chooses every operation's example call: a value for each required parameter and for the body
/// (the spec's example of it when one fits, the smallest value of its type otherwise).
pub fn choose_usage_examples(api: &mut Api) {
    let types = &api.types;
    for op in &mut api.operations {
        let args: Option<Vec<Option<Value>>> = op
            .params
            .iter()
            .map(|param| match param.required {
                true => placeholder(&param.shape, types).map(Some),
                false => Some(None),
            })
            .collect();
        let body = match &op.body {
            Some(body) => match body.example.clone() {
                Some(example) => Some(Some(example)),
                None => placeholder(&body.shape, types).map(Some),
            },
            None => Some(None),
        };
        op.usage = match (args, body) {
            (Some(args), Some(body)) => Some(UsageExample { args, body }),
            _ => None,
        };
    }
}

/// The smallest value of `shape` that validates as far as its type and plain bounds go: required
/// fields only, the first enum value or union member, lists at their `minItems`, numbers at their
/// bound or zero, placeholder text (patterns are not followed). `None` when no value can be
/// written (binary content, required fields that nest without end).
pub fn placeholder(shape: &Shape, types: &BTreeMap<TypeId, TypeDef>) -> Option<Value> {
    placeholder_at(shape, types, 0)
}

fn placeholder_at(shape: &Shape, types: &BTreeMap<TypeId, TypeDef>, depth: usize) -> Option<Value> {
    if depth > PLACEHOLDER_DEPTH {
        return None;
    }
    let minimum = shape.rules.iter().find_map(|rule| match rule {
        Rule::Minimum { bound, exclusive } => Some((*bound, *exclusive)),
        _ => None,
    });
    let maximum = shape.rules.iter().find_map(|rule| match rule {
        Rule::Maximum { bound, exclusive } => Some((*bound, *exclusive)),
        _ => None,
    });
    Some(match &shape.ty {
        TypeRef::Named(id) => placeholder_named(&types.get(id)?.kind, types, depth + 1)?,
        TypeRef::String => Value::String(placeholder_text(&shape.rules)),
        TypeRef::Integer(_) => {
            let value = match (minimum, maximum) {
                (Some((bound, exclusive)), _) => {
                    bound.ceil() as i64 + i64::from(exclusive && bound.fract() == 0.0)
                }
                (None, Some((bound, exclusive))) if bound <= 0.0 => {
                    bound.floor() as i64 - i64::from(exclusive && bound.fract() == 0.0)
                }
                _ => 0,
            };
            Value::from(value)
        }
        TypeRef::Number(_) => {
            let value = match (minimum, maximum) {
                (Some((bound, exclusive)), _) => bound + if exclusive { 1.0 } else { 0.0 },
                (None, Some((bound, exclusive))) if bound <= 0.0 => {
                    bound - if exclusive { 1.0 } else { 0.0 }
                }
                _ => 0.0,
            };
            Value::from(value)
        }
        TypeRef::Boolean => Value::Bool(false),
        TypeRef::Date => Value::from("2024-01-31"),
        TypeRef::DateTime => Value::from("2024-01-31T12:00:00Z"),
        TypeRef::Uuid => Value::from("00000000-0000-0000-0000-000000000000"),
        TypeRef::Base64 | TypeRef::Binary => return None,
        TypeRef::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|item| placeholder_at(item, types, depth + 1))
                .collect::<Option<_>>()?,
        ),
        TypeRef::Array(items) => {
            let count = shape
                .rules
                .iter()
                .find_map(|rule| match rule {
                    Rule::MinItems(n) => Some(*n),
                    _ => None,
                })
                .unwrap_or(0);
            let item = match count {
                0 => None,
                _ => Some(placeholder_at(items, types, depth + 1)?),
            };
            Value::Array(item.map_or_else(Vec::new, |item| vec![item; count.min(3) as usize]))
        }
        TypeRef::Map(_) | TypeRef::Any => Value::Object(serde_json::Map::new()),
    })
}

fn placeholder_named(
    kind: &TypeKind,
    types: &BTreeMap<TypeId, TypeDef>,
    depth: usize,
) -> Option<Value> {
    match kind {
        TypeKind::Struct(def) => {
            let mut object = serde_json::Map::new();
            for field in def.fields.iter().filter(|f| f.required && !f.flatten) {
                let value = match field.shape.nullable {
                    true => Value::Null,
                    false => placeholder_at(&field.shape, types, depth)?,
                };
                object.insert(field.wire_name.clone(), value);
            }
            Some(Value::Object(object))
        }
        TypeKind::Enum(def) => def.variants.first().map(|variant| match &variant.value {
            super::EnumValue::String(s) => Value::from(s.as_str()),
            super::EnumValue::Integer(i) => Value::from(*i),
        }),
        TypeKind::Union(def) => def.variants.iter().find_map(|variant| {
            let mut value = placeholder_at(&variant.shape, types, depth)?;
            if let (UnionTagging::Internal { property }, Some(tag), Some(object)) =
                (&def.tagging, &variant.tag, value.as_object_mut())
            {
                object.insert(property.clone(), Value::from(tag.as_str()));
            }
            Some(value)
        }),
        TypeKind::Alias(shape) => placeholder_at(shape, types, depth),
    }
}

/// Text for a string placeholder: an address where the format is `email`, otherwise a word,
/// padded or cut to the length bounds.
fn placeholder_text(rules: &[Rule]) -> String {
    if rules.contains(&Rule::Email) {
        return "user@example.com".to_owned();
    }
    let mut text = String::from("text");
    for rule in rules {
        match rule {
            Rule::MinLength(n) => {
                while (text.chars().count() as u64) < *n.min(&64) {
                    text.push('x');
                }
            }
            Rule::MaxLength(n) => text.truncate(*n as usize),
            _ => {}
        }
    }
    text
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
        assert_eq!(placeholder(&shape(TypeRef::Binary, vec![]), &types), None);
    }
}
