//! Objects → structs with serde attributes, a constructor for the required fields, and `Validate`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Field, StructDef, TypeDef};

use super::rust_types::{field_type_named, is_optional, Naming};
use super::validate::{self, Patterns};
use super::{doc_attrs, extra_derives, ident, type_docs};

/// A struct, its constructor and its `Validate` impl.
pub fn emit_struct(
    def: &TypeDef,
    s: &StructDef,
    api: &Api,
    naming: Naming<'_>,
    patterns: &mut Patterns,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let extra_derives = extra_derives(def);
    let derive_default = s.derive_default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|field| emit_field(field, api, naming));
    let constructor = (!s.derive_default).then(|| emit_constructor(&name, s, api, naming));
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|field| validate::field_checks(field, patterns))
        .collect();
    let validator = validate::validator_param(!checks.is_empty());
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize, ::serde::Deserialize)]
        #extra_derives
        pub struct #name {
            #(#fields,)*
        }

        #constructor

        impl validation::Validate for #name {
            fn validate_into(&self, #validator: &mut validation::Validator) {
                #(#checks)*
            }
        }
    }
}

fn emit_field(field: &Field, api: &Api, naming: Naming<'_>) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = field_type_named(field, api, naming);
    let docs = doc_attrs(field.docs.as_deref());
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let mut serde = Vec::new();
    if field.flatten {
        serde.push(quote!(flatten));
    } else if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        serde.push(quote!(rename = #wire));
    }
    if !field.required && !field.flatten {
        serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    if field.lenient {
        let with = format!("{}::runtime::lenient::deserialize", super::root_text(api));
        serde.push(quote!(deserialize_with = #with));
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! { #docs #deprecated #serde pub #name: #ty }
}

/// `new(required fields…)`: the one way to build a struct that has no `Default`.
fn emit_constructor(
    name: &proc_macro2::Ident,
    s: &StructDef,
    api: &Api,
    naming: Naming<'_>,
) -> TokenStream {
    let params = s
        .fields
        .iter()
        .filter(|f| f.required && f.only_value(&api.types).is_none())
        .map(|f| {
            let name = ident(&f.rust_name);
            let ty = field_type_named(f, api, naming);
            quote!(#name: #ty)
        });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        if let Some(only) = f.only_value(&api.types) {
            let ty = field_type_named(f, api, naming);
            let variant = ident(&only.rust_name);
            quote!(#name: #ty::#variant)
        } else if f.required {
            quote!(#name)
        } else if is_optional(f) {
            quote!(#name: None)
        } else {
            quote!(#name: Default::default())
        }
    });
    let fills = s.fields.iter().any(|f| f.only_value(&api.types).is_some());
    let asks = s
        .fields
        .iter()
        .any(|f| f.required && f.only_value(&api.types).is_none());
    // A constructor that asks for nothing is also the value's default, as clippy expects.
    let default = (!asks).then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let docs = if fills {
        quote! {
            /// Creates a value from its required fields; the optional ones are `None`, and a
            /// required one that can hold only one value holds it.
        }
    } else {
        quote!(
            /// Creates a value from its required fields; the optional ones are `None`.
        )
    };
    quote! {
        impl #name {
            #docs
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }

        #default
    }
}
