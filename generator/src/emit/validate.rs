//! `Validate` bodies: one check per rule of the IR, and a descent into nested values.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Field, Rule, Shape, TypeRef};

use super::rust_types::is_optional;

/// The regular expressions of one file, each a static compiled on its first use. The file
/// imports the runtime's `validation` module.
#[derive(Default)]
pub struct Patterns {
    by_source: BTreeMap<String, usize>,
}

impl Patterns {
    /// The static that holds `pattern`.
    fn static_for(&mut self, pattern: &str) -> proc_macro2::Ident {
        let next = self.by_source.len();
        let index = *self.by_source.entry(pattern.to_owned()).or_insert(next);
        format_ident!("PATTERN_{}", index)
    }

    /// The statics' definitions.
    pub fn statics(&self) -> TokenStream {
        let statics = self.by_source.iter().map(|(source, index)| {
            let name = format_ident!("PATTERN_{}", index);
            quote! {
                static #name: validation::Pattern = validation::Pattern::new(#source);
            }
        });
        quote! { #(#statics)* }
    }
}

/// The name of the `Validator` parameter: `_validator` when the body checks nothing.
pub fn validator_param(used: bool) -> proc_macro2::Ident {
    if used {
        format_ident!("validator")
    } else {
        format_ident!("_validator")
    }
}

/// Whether a value of `shape` is checked by its own `Validate` impl alone: a model, or an option,
/// list or map of them, with no rule of its own on the way. The runtime implements `Validate`
/// for those containers, so the check is one call rather than a loop per field.
fn validates_itself(shape: &Shape) -> bool {
    !shape.rules.iter().any(Rule::is_checked) && type_validates_itself(&shape.ty)
}

/// Whether values of `ty` are checked by their own `Validate` impl alone (see [`validates_itself`]).
fn type_validates_itself(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(items) | TypeRef::Map(items) => validates_itself(items),
        _ => false,
    }
}

/// Whether the runtime's `Validate` impls cover every type inside `ty`, so that its rules can be
/// handed to them as one `validation::Rule` slice: strings, numbers, booleans, JSON values,
/// generated types, and lists and maps of them. Dates, UUIDs, bytes and tuples are checked by
/// code of their own ([`expanded_checks`]).
fn runtime_checks(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Integer(_)
        | TypeRef::Number(_)
        | TypeRef::Boolean
        | TypeRef::Any
        | TypeRef::Named(_) => true,
        TypeRef::Array(items) | TypeRef::Map(items) => runtime_checks(&items.ty),
        TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::Uuid
        | TypeRef::Base64
        | TypeRef::Binary
        | TypeRef::Tuple(_) => false,
    }
}

/// Whether `shape` or a list item or map value inside it has a rule.
fn has_rules(shape: &Shape) -> bool {
    shape.rules.iter().any(Rule::is_checked)
        || match &shape.ty {
            TypeRef::Array(items) | TypeRef::Map(items) => has_rules(items),
            _ => false,
        }
}

/// Whether the checks of `shape` are one call that hands its rules to the runtime.
fn checked_by_rules(shape: &Shape) -> bool {
    has_rules(shape) && runtime_checks(&shape.ty)
}

/// The rules of `shape` as a slice of `validation::Rule`, with those of a list's items
/// (`Items`) and a map's values (`Values`) after its own.
fn rules_slice(shape: &Shape, patterns: &mut Patterns) -> TokenStream {
    let mut rules: Vec<TokenStream> = shape
        .rules
        .iter()
        .filter(|rule| rule.is_checked())
        .map(|rule| rule_value(rule, patterns))
        .collect();
    match &shape.ty {
        TypeRef::Array(items) if has_rules(items) => {
            let items = rules_slice(items, patterns);
            rules.push(quote!(validation::Rule::Items(#items)));
        }
        TypeRef::Map(values) if has_rules(values) => {
            let values = rules_slice(values, patterns);
            rules.push(quote!(validation::Rule::Values(#values)));
        }
        _ => {}
    }
    quote!(&[#(#rules),*])
}

/// The checks of a value whose rules the runtime applies, under the name `wire` (a property or
/// parameter), or at the current place when there is none; `value` is a reference to it.
/// `None` when the runtime cannot check it alone (see [`runtime_checks`]).
pub fn named_checks(
    wire: Option<&str>,
    value: TokenStream,
    shape: &Shape,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    if !checked_by_rules(shape) {
        return None;
    }
    let rules = rules_slice(shape, patterns);
    Some(match wire {
        Some(wire) => quote! { validator.check(#wire, #value, #rules); },
        None => quote! { validator.apply(#value, #rules); },
    })
}

/// The checks of one struct field, under its wire name; `None` when there is nothing to check.
pub fn field_checks(field: &Field, patterns: &mut Patterns) -> Option<TokenStream> {
    let name = super::ident(&field.rust_name);
    let wire = &field.wire_name;
    if !field.flatten && validates_itself(&field.shape) {
        return Some(quote! { validator.nested(#wire, &self.#name); });
    }
    // The additional properties sit beside the declared ones, not under a name of their own.
    let under = (!field.flatten).then_some(wire.as_str());
    if let Some(checks) = named_checks(under, quote!(&self.#name), &field.shape, patterns) {
        return Some(checks);
    }
    let checks = if is_optional(field) {
        let inner = expanded_checks(
            quote!(value),
            &Shape {
                nullable: false,
                ..field.shape.clone()
            },
            patterns,
        )?;
        quote! { if let Some(value) = &self.#name { #inner } }
    } else {
        let inner = expanded_checks(quote!(value), &field.shape, patterns)?;
        quote! { let value = &self.#name; #inner }
    };
    if field.flatten {
        return Some(checks);
    }
    Some(quote! { validator.field(#wire, |validator| { #checks }); })
}

/// The checks of a value at the current place (`value` is a reference to a value of the shape's
/// Rust type: `&T`, or `&Option<T>` when the shape is nullable); `None` when there is nothing to
/// check.
pub fn value_checks(
    value: TokenStream,
    shape: &Shape,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    named_checks(None, value.clone(), shape, patterns)
        .or_else(|| expanded_checks(value, shape, patterns))
}

/// The checks of a value as code of their own, a statement per rule and a loop per list or map:
/// for values the runtime's impls do not cover (see [`runtime_checks`]), and for those with no
/// rule, which at most validate themselves.
fn expanded_checks(
    value: TokenStream,
    shape: &Shape,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    if shape.nullable && shape.ty != TypeRef::Any {
        let inner = expanded_checks(
            quote!(value),
            &Shape {
                nullable: false,
                ..shape.clone()
            },
            patterns,
        )?;
        return Some(quote! { if let Some(value) = #value { #inner } });
    }
    let mut checks: Vec<TokenStream> = shape
        .rules
        .iter()
        .filter(|rule| rule.is_checked())
        .map(|rule| rule_check(&value, rule, patterns))
        .collect();
    match &shape.ty {
        ty if type_validates_itself(ty) => {
            checks.push(quote! { validation::Validate::validate_into(#value, validator); });
        }
        TypeRef::Array(items) => {
            if let Some(inner) = value_checks(quote!(item), items, patterns) {
                checks.push(quote! {
                    for (index, item) in #value.iter().enumerate() {
                        validator.index(index, |validator| { #inner });
                    }
                });
            }
        }
        TypeRef::Tuple(items) => {
            let mut item_checks = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let position = syn::Index::from(index);
                let index = Literal::usize_unsuffixed(index);
                if let Some(inner) = value_checks(quote!(item), item, patterns) {
                    item_checks.push(quote! {
                        validator.index(#index, |validator| { let item = &tuple.#position; #inner });
                    });
                }
            }
            if !item_checks.is_empty() {
                checks.push(quote! {{ let tuple = #value; #(#item_checks)* }});
            }
        }
        TypeRef::Map(values) => {
            if let Some(inner) = value_checks(quote!(item), values, patterns) {
                checks.push(quote! {
                    for (key, item) in #value.iter() {
                        validator.field(key, |validator| { #inner });
                    }
                });
            }
        }
        _ => {}
    }
    (!checks.is_empty()).then(|| quote! { #(#checks)* })
}

/// One rule as a `validation::Rule` value.
fn rule_value(rule: &Rule, patterns: &mut Patterns) -> TokenStream {
    match rule {
        Rule::Pattern(pattern) => {
            let regex = patterns.static_for(&pattern.source);
            quote!(validation::Rule::Pattern(&#regex))
        }
        Rule::MinLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(validation::Rule::MinLength(#n))
        }
        Rule::MaxLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(validation::Rule::MaxLength(#n))
        }
        Rule::Minimum { bound, exclusive } => {
            let bound = Literal::f64_unsuffixed(*bound);
            if *exclusive {
                quote!(validation::Rule::ExclusiveMinimum(#bound))
            } else {
                quote!(validation::Rule::Minimum(#bound))
            }
        }
        Rule::Maximum { bound, exclusive } => {
            let bound = Literal::f64_unsuffixed(*bound);
            if *exclusive {
                quote!(validation::Rule::ExclusiveMaximum(#bound))
            } else {
                quote!(validation::Rule::Maximum(#bound))
            }
        }
        Rule::MinItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(validation::Rule::MinItems(#n))
        }
        Rule::MaxItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(validation::Rule::MaxItems(#n))
        }
        Rule::Email => quote!(validation::Rule::Email),
        Rule::MultipleOf(_) | Rule::Format(_) => unreachable!("only checked rules are written"),
    }
}

/// One rule as a statement of its own: an item count of a list whose items the runtime's impls
/// do not cover (see [`runtime_checks`]), so cannot take the list; any other rule, on a value
/// they do cover, is handed to them.
fn rule_check(value: &TokenStream, rule: &Rule, patterns: &mut Patterns) -> TokenStream {
    match rule {
        Rule::MinItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote! { validator.min_items(#value.len(), #n); }
        }
        Rule::MaxItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote! { validator.max_items(#value.len(), #n); }
        }
        rule => {
            let rule = rule_value(rule, patterns);
            quote! { validator.apply(#value, &[#rule]); }
        }
    }
}
