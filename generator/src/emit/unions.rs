//! `oneOf` / `anyOf` → enums: internally tagged when the spec names a discriminator, untagged
//! otherwise.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, TypeDef, UnionDef, UnionTagging};

use super::rust_types::{shape_type_named, Naming};
use super::validate::{self, Patterns};
use super::{doc_attrs, extra_derives, ident, type_docs};

/// A union enum, `From` impls for its members, and `Validate`.
pub fn emit_union(
    def: &TypeDef,
    u: &UnionDef,
    api: &Api,
    naming: Naming<'_>,
    patterns: &mut Patterns,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let extra_derives = extra_derives(def);
    let (serde_derives, tagging, tagged_impls) = match &u.tagging {
        UnionTagging::Internal { property, unknown } => (
            quote!(),
            quote!(),
            tagged_impls(&name, property, unknown, u, api),
        ),
        UnionTagging::Untagged => (
            quote!(::serde::Serialize, ::serde::Deserialize),
            quote!(#[serde(untagged)]),
            quote!(),
        ),
    };
    let mut variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|variant| {
            let variant_name = ident(&variant.rust_name);
            let docs = doc_attrs(variant.docs.as_deref());
            let ty = shape_type_named(&variant.shape, api, naming);
            quote! { #docs #variant_name(#ty) }
        })
        .collect();
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
    if let UnionTagging::Internal { property, unknown } = &u.tagging {
        let unknown = ident(unknown);
        let doc = format!(" A member whose `{property}` the spec does not list, as received; refused by validation.");
        variants.push(quote! { #[doc = #doc] #unknown(::serde_json::Value) });
        let rule = format!("must be one of {}", tag_list(u));
        checks_anything = true;
        arms.push(quote! {
            Self::#unknown(_) => validator.field(#property, |validator| validator.violation(#rule)),
        });
    }
    let validator = validate::validator_param(checks_anything);
    let from_impls = from_impls(&name, u, api, naming);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #serde_derives)]
        #extra_derives
        #tagging
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
        }

        #tagged_impls

        #from_impls

        impl validation::Validate for #name {
            fn validate_into(&self, #validator: &mut validation::Validator) {
                match self { #(#arms)* }
            }
        }
    }
}

/// `From<Member> for Union` for every member the IR marks as converting.
fn from_impls(
    name: &proc_macro2::Ident,
    u: &UnionDef,
    api: &Api,
    naming: Naming<'_>,
) -> TokenStream {
    let impls = u.variants.iter().filter(|v| v.converts).map(|variant| {
        let ty = shape_type_named(&variant.shape, api, naming);
        let variant_name = ident(&variant.rust_name);
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant_name(value)
                }
            }
        }
    });
    quote! { #(#impls)* }
}

/// `Serialize` and `Deserialize` of an internally tagged union: the member reads the whole
/// object, its own tag property included, and is written with its variant's tag.
fn tagged_impls(
    name: &proc_macro2::Ident,
    property: &str,
    unknown: &str,
    u: &UnionDef,
    api: &Api,
) -> TokenStream {
    let root = super::root(api);
    let unknown = ident(unknown);
    let tags = tags(u);
    let write_arms = u.variants.iter().zip(&tags).map(|(variant, tag)| {
        let variant_name = ident(&variant.rust_name);
        quote! {
            Self::#variant_name(value) => #root::runtime::tagged::write(serializer, #property, #tag, value),
        }
    });
    let read_arms = u.variants.iter().zip(&tags).map(|(variant, tag)| {
        let variant_name = ident(&variant.rust_name);
        quote! {
            #tag => #root::runtime::tagged::member(value).map(Self::#variant_name),
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#write_arms)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (tag, value) = #root::runtime::tagged::read(deserializer, #property)?;
                match tag.as_str() {
                    #(#read_arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
    }
}

/// The tag value of each member of a tagged union, in document order.
fn tags(u: &UnionDef) -> Vec<&str> {
    u.variants
        .iter()
        .map(|variant| variant.tag.as_deref().unwrap_or(&variant.rust_name))
        .collect()
}

/// The tag values as a validation message lists them.
fn tag_list(u: &UnionDef) -> String {
    tags(u)
        .iter()
        .map(|tag| format!("{tag:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
