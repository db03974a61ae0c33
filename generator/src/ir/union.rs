//! `oneOf` / `anyOf` → unions: how members are named and told apart.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::names::Namespace;
use crate::pointer::Pointer;
use crate::spec::{Discriminator, Schema};

use super::lower::Lowerer;
use super::schema::{non_null_members, shape_kind_name};
use super::{docs, TypeRef, UnionDef, UnionTagging, UnionVariant};

impl Lowerer<'_> {
    /// Lowers a union. It is internally tagged when the spec names a discriminator and every
    /// member is an object with its own, distinct tag value; otherwise untagged.
    pub(super) fn lower_union(&mut self, schema: &Schema, at: &Pointer, name: &str) -> UnionDef {
        let key = if schema.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let discriminator = schema.discriminator.as_ref();
        let mut variant_names = Namespace::new();
        let mut variants = Vec::new();
        for (index, member) in non_null_members(schema) {
            let member_at = at.join(key).join(index.to_string());
            let referenced = member
                .reference
                .as_deref()
                .and_then(|r| self.member_name(r));
            let tag = discriminator.and_then(|d| self.member_tag(d, member, &member_at));
            let shape = self.lower_schema(member, &member_at, &format!("{name} Variant {index}"));
            let raw_name = tag
                .clone()
                .filter(|t| !t.is_empty())
                .or(referenced.as_ref().map(|(name, _)| name.clone()))
                .unwrap_or_else(|| shape_kind_name(&shape.ty).to_owned());
            let property = discriminator.map(|d| d.property_name.as_str());
            let docs = docs::join(&[member.description.as_deref()]).or_else(|| {
                let cited = referenced.as_ref().map(|(_, cited)| cited.as_str());
                Some(member_docs(index, key, tag.as_deref(), property, cited))
            });
            variants.push(UnionVariant {
                rust_name: variant_names.claim(self.name_memo.variant_name(&raw_name)),
                tag,
                origin: member_at,
                shape,
                docs,
                converts: false,
            });
        }
        let tagging = match discriminator {
            // Servers add members before specs list them: an unlisted tag is kept.
            Some(d) if taggable(&variants) => UnionTagging::Internal {
                property: d.property_name.clone(),
                unknown: variant_names.claim("Unknown"),
            },
            Some(_) => {
                self.error(Diagnostic::warning(
                    &at.join("discriminator"),
                    "the discriminator cannot tell the members apart (a member is not an object, or its tag value is unknown or shared); decoded untagged",
                ));
                UnionTagging::Untagged
            }
            None => UnionTagging::Untagged,
        };
        for variant in &mut variants {
            if tagging == UnionTagging::Untagged {
                variant.tag = None;
            } else {
                // A tagged member is an object carrying its tag, never null.
                variant.shape.nullable = false;
            }
        }
        UnionDef { tagging, variants }
    }

    /// The discriminator value of a member: from `mapping`, else from the member's own
    /// single-valued tag property, else (for a component) the schema's name.
    fn member_tag(
        &mut self,
        discriminator: &Discriminator,
        member: &Schema,
        at: &Pointer,
    ) -> Option<String> {
        let reference = member.reference.as_deref();
        if let Some(reference) = reference {
            // Two spellings of one file (`./dog.yaml`, `dog.yaml`) have one local form.
            let raw = &self.document.raw;
            let mapped = discriminator.mapping.iter().find(|(_, target)| {
                target.as_str() == reference
                    || raw.local(target) == raw.local(reference)
                    || format!("#/components/schemas/{target}") == reference
            });
            if let Some((value, _)) = mapped {
                return Some(value.clone());
            }
        }
        let resolved = match reference {
            Some(reference) => self
                .resolve::<Schema>(reference, &at.join("$ref"))
                .map(|(schema, _)| schema),
            None => Some(member.clone()),
        };
        let own = resolved.as_ref().and_then(|schema| {
            self.tag_property_value(schema, at, &discriminator.property_name, 0)
        });
        own.or_else(|| {
            reference
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .map(str::to_owned)
        })
    }
}

/// Whether every member is an object type with a distinct, non-empty tag.
fn taggable(variants: &[UnionVariant]) -> bool {
    let mut seen = BTreeSet::new();
    variants.iter().all(|v| {
        matches!(v.shape.ty, TypeRef::Named(_))
            && v.tag
                .as_ref()
                .is_some_and(|tag| !tag.is_empty() && seen.insert(tag.clone()))
    })
}

/// How deep `allOf` parts and their references are followed for a member's tag property.
const MAX_TAG_DEPTH: usize = 16;

impl Lowerer<'_> {
    /// The one value a member's tag property can take (`const`, or an `enum` of one), looking
    /// into its own properties and those of its `allOf` parts, through their references.
    fn tag_property_value(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        property: &str,
        depth: usize,
    ) -> Option<String> {
        if depth > MAX_TAG_DEPTH {
            return None;
        }
        if let Some(tag) = schema.properties.get(property) {
            let tag_at = at.join("properties").join(property);
            let value = match &tag.reference {
                Some(reference) => self
                    .resolve::<Schema>(reference, &tag_at.join("$ref"))
                    .and_then(|(target, _)| single_value(&target)),
                None => single_value(tag),
            };
            if value.is_some() {
                return value;
            }
        }
        for (index, part) in schema.all_of.iter().enumerate() {
            let part_at = at.join("allOf").join(index.to_string());
            let found = match &part.reference {
                Some(reference) => self
                    .resolve::<Schema>(reference, &part_at.join("$ref"))
                    .and_then(|(target, target_at)| {
                        self.tag_property_value(&target, &target_at, property, depth + 1)
                    }),
                None => self.tag_property_value(part, &part_at, property, depth + 1),
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }
}

/// The one string value a property's schema allows: its `const`, or an `enum` of one.
fn single_value(property: &Schema) -> Option<String> {
    match (&property.const_value, &property.enum_values) {
        (Some(Value::String(value)), _) => Some(value.clone()),
        (_, Some(values)) if values.len() == 1 => values[0].as_str().map(str::to_owned),
        _ => None,
    }
}

/// The fallback documentation of a union member: its tag, or the schema it refers to.
fn member_docs(
    index: usize,
    key: &str,
    tag: Option<&str>,
    property: Option<&str>,
    component: Option<&str>,
) -> String {
    match (tag, property, component) {
        (Some(tag), Some(property), _) => format!("The member whose `{property}` is `{tag}`."),
        (_, _, Some(component)) => format!("A `{component}`."),
        _ => format!("Member {index} of the `{key}`."),
    }
}
