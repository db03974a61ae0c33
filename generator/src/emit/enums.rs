//! Closed sets → Rust enums: string enums through serde renames, integer enums through the
//! runtime's lenient integer decoder.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{EnumDef, EnumValue, TypeDef};

use super::{doc_attrs, ident, type_docs};

/// An enum with its serde impls, `Display` and a no-op `Validate`.
pub fn emit_enum(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let is_integer = e
        .variants
        .iter()
        .any(|v| matches!(v.value, EnumValue::Integer(_)));
    let derive_default = e
        .default
        .is_some()
        .then(|| quote!(::std::default::Default,));
    let derive_serde = (!is_integer).then(|| quote!(::serde::Serialize, ::serde::Deserialize,));
    let variants = e.variants.iter().enumerate().map(|(index, variant)| {
        let variant_name = ident(&variant.rust_name);
        let docs = doc_attrs(variant.docs.as_deref());
        let default = (e.default == Some(index)).then(|| quote!(#[default]));
        let rename = match &variant.value {
            EnumValue::String(value) if *value != variant.rust_name => {
                Some(quote!(#[serde(rename = #value)]))
            }
            _ => None,
        };
        quote! { #docs #default #rename #variant_name }
    });
    let conversions = if is_integer {
        integer_impls(&name, def, e)
    } else {
        string_impls(&name, e)
    };
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord, #derive_default #derive_serde)]
        pub enum #name {
            #(#variants,)*
        }

        #conversions

        impl crate::runtime::validation::Validate for #name {
            fn validate_into(&self, _validator: &mut crate::runtime::validation::Validator) {}
        }
    }
}

fn string_impls(name: &proc_macro2::Ident, e: &EnumDef) -> TokenStream {
    let arms = e.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let value = match &variant.value {
            EnumValue::String(s) => s.clone(),
            EnumValue::Integer(i) => i.to_string(),
        };
        quote!(Self::#variant_name => #value)
    });
    quote! {
        impl #name {
            /// The value as it is sent.
            pub const fn as_str(self) -> &'static str {
                match self { #(#arms,)* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn integer_impls(name: &proc_macro2::Ident, def: &TypeDef, e: &EnumDef) -> TokenStream {
    let values: Vec<(proc_macro2::Ident, Literal)> = e
        .variants
        .iter()
        .map(|variant| {
            let value = match &variant.value {
                EnumValue::Integer(i) => *i,
                EnumValue::String(_) => 0,
            };
            (ident(&variant.rust_name), Literal::i64_unsuffixed(value))
        })
        .collect();
    let to_value = values
        .iter()
        .map(|(variant, value)| quote!(Self::#variant => #value));
    let from_value = values
        .iter()
        .map(|(variant, value)| quote!(#value => ::std::option::Option::Some(Self::#variant)));
    let type_name = &def.name;
    quote! {
        impl #name {
            /// The value as it is sent.
            pub const fn value(self) -> i64 {
                match self { #(#to_value,)* }
            }

            /// The variant for a value, if the spec defines it.
            pub const fn from_value(value: i64) -> ::std::option::Option<Self> {
                match value {
                    #(#from_value,)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::lenient::integer_enum(deserializer, Self::from_value, #type_name)
            }
        }
    }
}
