//! `allOf` that makes no object: parts that only describe, or restate the type of, one other part
//! are that part's type (an enum, a list, a string, a reference), not an empty struct.

use std::borrow::Cow;

use crate::pointer::Pointer;
use crate::spec::{Schema, SchemaType};

use super::lower::Lowerer;

/// How deep `allOf` parts and references are followed to find out whether a part is an object.
const MAX_DEPTH: usize = 16;

/// An `allOf` folded onto one of its parts.
pub(super) struct Folded<'s> {
    /// The index of the part whose type the schema is.
    pub index: usize,
    /// That part.
    pub part: &'s Schema,
    /// Whether another part admits `null` (`nullable`, or a `{type: null}` part).
    pub nullable: bool,
    /// The other parts that are not only annotations, with their indices: their rules apply too.
    pub others: Vec<(usize, &'s Schema)>,
}

impl Folded<'_> {
    /// Where the part is, in the schema at `at`.
    pub fn part_at(&self, at: &Pointer) -> Pointer {
        at.join("allOf").join(self.index.to_string())
    }
}

/// Whether a part only annotates (description, title, example, `nullable`, direction, default,
/// or `type: null`): it adds no type and no rule.
fn annotates_only(part: &Schema) -> bool {
    part.reference.is_none()
        && part
            .types
            .as_ref()
            .map_or(true, |types| types.0 == [SchemaType::Null])
        && part.format.is_none()
        && part.properties.is_empty()
        && part.required.is_empty()
        && part.additional_properties.is_none()
        && part.items.is_none()
        && part.prefix_items.is_none()
        && part.all_of.is_empty()
        && part.one_of.is_empty()
        && part.any_of.is_empty()
        && part.not.is_none()
        && part.discriminator.is_none()
        && part.enum_values.is_none()
        && part.const_value.is_none()
        && part.pattern.is_none()
        && part.min_length.is_none()
        && part.max_length.is_none()
        && part.minimum.is_none()
        && part.maximum.is_none()
        && part.exclusive_minimum.is_none()
        && part.exclusive_maximum.is_none()
        && part.min_items.is_none()
        && part.max_items.is_none()
}

/// Whether a part says null is a value.
fn admits_null(part: &Schema) -> bool {
    part.nullable
        || part
            .types
            .as_ref()
            .is_some_and(|types| types.0.contains(&SchemaType::Null))
}

/// How well a part stands for the whole: a reference names a type, a union or an enum is one, a
/// list or a typed value says more than a part that only adds rules.
fn rank(part: &Schema) -> u8 {
    if part.reference.is_some() {
        4
    } else if !part.one_of.is_empty() || !part.any_of.is_empty() {
        3
    } else if part.enum_values.is_some() || part.const_value.is_some() {
        2
    } else if part.items.is_some() || part.types.is_some() {
        1
    } else {
        0
    }
}

/// The description an `allOf` gives a value: its own, else that of the first inline part that
/// has one (a part that is a reference describes its type, not this value).
pub(super) fn description(schema: &Schema) -> Option<&str> {
    schema.description.as_deref().or_else(|| {
        schema
            .all_of
            .iter()
            .filter(|part| part.reference.is_none())
            .find_map(|part| part.description.as_deref())
    })
}

impl Lowerer<'_> {
    /// The part an `allOf` is, when it makes no object of its own: it declares no properties
    /// itself, and either every part but one only annotates, or no part declares an object (the
    /// parts restate one type, `[$ref: a string, {type: string, nullable: true}]`).
    pub(super) fn fold_all_of<'s>(
        &mut self,
        schema: &'s Schema,
        at: &Pointer,
    ) -> Option<Folded<'s>> {
        if schema.all_of.is_empty()
            || !schema.properties.is_empty()
            || schema.additional_properties.is_some()
        {
            return None;
        }
        let substantive: Vec<(usize, &Schema)> = schema
            .all_of
            .iter()
            .enumerate()
            .filter(|(_, part)| !annotates_only(part))
            .collect();
        if substantive.len() > 1 {
            let no_object = substantive.iter().all(|(index, part)| {
                !self.declares_object(
                    Cow::Borrowed(part),
                    &at.join("allOf").join(index.to_string()),
                    0,
                )
            });
            if !no_object {
                return None;
            }
        }
        let (index, part) = substantive
            .iter()
            .copied()
            .max_by_key(|(index, part)| (rank(part), std::cmp::Reverse(*index)))
            .unwrap_or((0, &schema.all_of[0]));
        let nullable = schema
            .all_of
            .iter()
            .enumerate()
            .any(|(other, part)| other != index && admits_null(part));
        let others = substantive
            .into_iter()
            .filter(|(other, _)| *other != index)
            .collect();
        Some(Folded {
            index,
            part,
            nullable,
            others,
        })
    }

    /// Whether a schema is an object: it has properties, additional properties, required names
    /// or `type: object`, itself or through its references and `allOf` parts.
    fn declares_object(&mut self, schema: Cow<'_, Schema>, at: &Pointer, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        if let Some(reference) = &schema.reference {
            return match self.resolve::<Schema>(reference, &at.join("$ref")) {
                Some((target, target_at)) => {
                    self.declares_object(Cow::Owned(target), &target_at, depth + 1)
                }
                None => false,
            };
        }
        let object = !schema.properties.is_empty()
            || schema.additional_properties.is_some()
            || !schema.required.is_empty()
            || schema
                .types
                .as_ref()
                .is_some_and(|types| types.0.contains(&SchemaType::Object));
        object
            || schema.all_of.iter().enumerate().any(|(index, part)| {
                self.declares_object(
                    Cow::Borrowed(part),
                    &at.join("allOf").join(index.to_string()),
                    depth + 1,
                )
            })
    }
}
