//! `oneOf` / `anyOf` → enums: internally tagged when the spec names a discriminator, untagged
//! otherwise.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Shape, TypeDef, TypeKind, TypeRef, UnionDef, UnionTagging};

use super::rust_types::shape_type;
use super::validate::{self, Patterns};
use super::{doc_attrs, ident, type_docs};

/// A union enum, `From` impls for its members, and `Validate`.
pub fn emit_union(def: &TypeDef, u: &UnionDef, api: &Api, patterns: &mut Patterns) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let tagging = match &u.tagging {
        UnionTagging::Internal { property } => quote!(#[serde(tag = #property)]),
        UnionTagging::Untagged => quote!(#[serde(untagged)]),
    };
    let variants = u.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let docs = doc_attrs(variant.docs.as_deref());
        let rename = variant
            .tag
            .as_ref()
            .filter(|tag| **tag != variant.rust_name)
            .map(|tag| quote!(#[serde(rename = #tag)]));
        let ty = shape_type(&variant.shape, api);
        quote! { #docs #rename #variant_name(#ty) }
    });
    let mut arms = Vec::new();
    let mut checks_anything = false;
    for variant in &u.variants {
        let variant_name = ident(&variant.rust_name);
        match validate::value_checks(quote!(value), &variant.shape, patterns) {
            Some(checks) => {
                checks_anything = true;
                arms.push(quote!(Self::#variant_name(value) => { #checks }));
            }
            None => arms.push(quote!(Self::#variant_name(_) => {})),
        }
    }
    let validator = validate::validator_param(checks_anything);
    let from_impls = from_impls(&name, u, api);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #tagging
        pub enum #name {
            #(#variants,)*
        }

        #from_impls

        impl validation::Validate for #name {
            fn validate_into(&self, #validator: &mut validation::Validator) {
                match self { #(#arms)* }
            }
        }
    }
}

/// `From<Member> for Union` for every named member type that appears once (an alias of another
/// member's type is that type).
fn from_impls(name: &proc_macro2::Ident, u: &UnionDef, api: &Api) -> TokenStream {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for variant in &u.variants {
        *counts
            .entry(shape_type(&through_aliases(&variant.shape, api), api).to_string())
            .or_default() += 1;
    }
    let impls = u
        .variants
        .iter()
        .filter(|v| matches!(v.shape.ty, TypeRef::Named(_)))
        .filter_map(|variant| {
            let ty = shape_type(&variant.shape, api);
            let same = shape_type(&through_aliases(&variant.shape, api), api).to_string();
            if counts[&same] > 1 {
                return None;
            }
            let variant_name = ident(&variant.rust_name);
            Some(quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant_name(value)
                    }
                }
            })
        });
    quote! { #(#impls)* }
}

/// `shape` with a named type that is only another name for a named type (`pub type A = B;`)
/// replaced by that type, as far as such aliases go.
fn through_aliases(shape: &Shape, api: &Api) -> Shape {
    let mut shape = shape.clone();
    while let TypeRef::Named(id) = shape.ty {
        match &api.types[&id].kind {
            TypeKind::Alias(target)
                if !target.nullable
                    && target.rules.is_empty()
                    && matches!(target.ty, TypeRef::Named(_)) =>
            {
                shape.ty = target.ty.clone();
            }
            _ => break,
        }
    }
    shape
}
