//! Enums of the spec → Rust enums with a variant per listed value and one that keeps any other
//! value, decoded through the runtime's lenient decoders.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{Api, EnumDef, EnumValue, TypeDef};

use super::{doc_attrs, extra_derives, ident, type_docs};

/// An enum with its serde impls, `Display`, and a `Validate` that refuses to send a value the spec
/// does not list.
pub fn emit_enum(def: &TypeDef, e: &EnumDef, api: &Api) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let extra_derives = extra_derives(def);
    let is_integer = e
        .variants
        .iter()
        .any(|v| matches!(v.value, EnumValue::Integer(_)));
    let derive_default = e.default.is_some().then(|| quote!(Default,));
    let variants = e.variants.iter().enumerate().map(|(index, variant)| {
        let variant_name = ident(&variant.rust_name);
        let docs = doc_attrs(variant.docs.as_deref());
        let default = (e.default == Some(index)).then(|| quote!(#[default]));
        quote! { #docs #default #variant_name }
    });
    let unknown = ident(&e.unknown);
    let unknown_type = if is_integer {
        quote!(i64)
    } else {
        quote!(String)
    };
    let unknown_doc = " A value the spec does not list, as received; refused by validation.";
    let conversions = if is_integer {
        integer_impls(&name, e, api)
    } else {
        string_impls(&name, e, api)
    };
    let allowed = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::String(s) => format!("{s:?}"),
            EnumValue::Integer(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rule = format!("must be one of {allowed}");
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        #[non_exhaustive]
        #extra_derives
        pub enum #name {
            #(#variants,)*
            #[doc = #unknown_doc]
            #unknown(#unknown_type),
        }

        #conversions

        impl validation::Validate for #name {
            fn validate_into(&self, validator: &mut validation::Validator) {
                if let Self::#unknown(_) = self {
                    validator.violation(#rule);
                }
            }
        }
    }
}

fn string_impls(name: &proc_macro2::Ident, e: &EnumDef, api: &Api) -> TokenStream {
    let root = super::root(api);
    let unknown = ident(&e.unknown);
    let from_doc = from_doc(e);
    let values: Vec<(proc_macro2::Ident, String)> = e
        .variants
        .iter()
        .map(|variant| {
            let value = match &variant.value {
                EnumValue::String(s) => s.clone(),
                EnumValue::Integer(i) => i.to_string(),
            };
            (ident(&variant.rust_name), value)
        })
        .collect();
    let to_wire = values
        .iter()
        .map(|(variant, value)| quote!(Self::#variant => #value));
    let from_wire = values
        .iter()
        .map(|(variant, value)| quote!(#value => Self::#variant));
    quote! {
        impl #name {
            /// The value as it is sent.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire,)*
                    Self::#unknown(value) => value,
                }
            }

            #[doc = #from_doc]
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#from_wire,)*
                    other => Self::#unknown(ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #root::runtime::lenient::string_enum(deserializer, Self::from_wire)
            }
        }
    }
}

fn integer_impls(name: &proc_macro2::Ident, e: &EnumDef, api: &Api) -> TokenStream {
    let root = super::root(api);
    let unknown = ident(&e.unknown);
    let from_doc = from_doc(e);
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
        .map(|(variant, value)| quote!(#value => Self::#variant));
    quote! {
        impl #name {
            /// The value as it is sent.
            pub const fn value(&self) -> i64 {
                match self {
                    #(#to_value,)*
                    Self::#unknown(value) => *value,
                }
            }

            #[doc = #from_doc]
            pub const fn from_value(value: i64) -> Self {
                match value {
                    #(#from_value,)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #root::runtime::lenient::integer_enum(deserializer, Self::from_value)
            }
        }
    }
}

fn from_doc(e: &EnumDef) -> String {
    format!(
        " The variant for a value; a value the spec does not list is kept in `{}`.",
        e.unknown
    )
}
