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
    shape.rules.is_empty() && type_validates_itself(&shape.ty)
}

/// Whether values of `ty` are checked by their own `Validate` impl alone (see [`validates_itself`]).
fn type_validates_itself(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(items) | TypeRef::Map(items) => validates_itself(items),
        _ => false,
    }
}

/// The checks of one struct field, under its wire name; `None` when there is nothing to check.
pub fn field_checks(field: &Field, patterns: &mut Patterns) -> Option<TokenStream> {
    let name = super::ident(&field.rust_name);
    let wire = &field.wire_name;
    if !field.flatten && validates_itself(&field.shape) {
        return Some(quote! { validator.nested(#wire, &self.#name); });
    }
    let checks = if is_optional(field) {
        let inner = value_checks(
            quote!(value),
            &Shape {
                nullable: false,
                ..field.shape.clone()
            },
            patterns,
        )?;
        quote! { if let Some(value) = &self.#name { #inner } }
    } else {
        let inner = value_checks(quote!(value), &field.shape, patterns)?;
        quote! { let value = &self.#name; #inner }
    };
    if field.flatten {
        // The additional properties sit beside the declared ones, not under a name of their own.
        return Some(checks);
    }
    Some(quote! { validator.field(#wire, |validator| { #checks }); })
}

/// The checks of a value (`value` is an expression of type `&T`); `None` when there is nothing to
/// check.
pub fn value_checks(
    value: TokenStream,
    shape: &Shape,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    if shape.nullable && shape.ty != TypeRef::Any {
        let inner = value_checks(
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

fn rule_check(value: &TokenStream, rule: &Rule, patterns: &mut Patterns) -> TokenStream {
    match rule {
        Rule::Pattern(pattern) => {
            let regex = patterns.static_for(&pattern.source);
            quote! { validator.pattern(#value, &#regex); }
        }
        Rule::MinLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote! { validator.min_length(#value, #n); }
        }
        Rule::MaxLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote! { validator.max_length(#value, #n); }
        }
        Rule::Minimum { bound, exclusive } => {
            let bound = Literal::f64_suffixed(*bound);
            quote! { validator.minimum(*#value, #bound, #exclusive); }
        }
        Rule::Maximum { bound, exclusive } => {
            let bound = Literal::f64_suffixed(*bound);
            quote! { validator.maximum(*#value, #bound, #exclusive); }
        }
        Rule::MinItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote! { validator.min_items(#value.len(), #n); }
        }
        Rule::MaxItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote! { validator.max_items(#value.len(), #n); }
        }
        Rule::Email => quote! { validator.email(#value); },
    }
}
