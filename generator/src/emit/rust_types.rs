//! IR types → Rust type tokens: the prelude's types by name (no generated type takes a prelude
//! name, see `names.rs`), everything else by an absolute path.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, DateTimeCrate, Field, FloatKind, IntegerKind, Shape, TypeRef};

use super::ident;

/// The Rust type of a type reference.
pub fn type_ref(ty: &TypeRef, api: &Api) -> TokenStream {
    let root = super::root(api);
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&api.types[id].name);
            quote!(#root::models::#name)
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntegerKind::I32) => quote!(i32),
        TypeRef::Integer(IntegerKind::I64) => quote!(i64),
        TypeRef::Number(FloatKind::F32) => quote!(f32),
        TypeRef::Number(FloatKind::F64) => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Date => match api.date_time {
            DateTimeCrate::Chrono => quote!(::chrono::NaiveDate),
            DateTimeCrate::Time => quote!(::time::Date),
        },
        TypeRef::DateTime => match api.date_time {
            DateTimeCrate::Chrono => quote!(::chrono::DateTime<::chrono::FixedOffset>),
            DateTimeCrate::Time => quote!(crate::runtime::datetime::DateTime),
        },
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Base64 => quote!(#root::runtime::bytes::Base64Bytes),
        TypeRef::Binary => quote!(#root::runtime::multipart::FilePart),
        TypeRef::Array(items) => {
            let items = shape_type(items, api);
            quote!(Vec<#items>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| shape_type(item, api));
            quote!((#(#items,)*))
        }
        TypeRef::Map(values) => {
            let values = shape_type(values, api);
            quote!(::std::collections::BTreeMap<String, #values>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// The Rust type of a value of `shape`: an `Option` when it may be `null`.
pub fn shape_type(shape: &Shape, api: &Api) -> TokenStream {
    let ty = type_ref(&shape.ty, api);
    if shape.nullable && shape.ty != TypeRef::Any {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The Rust type of a struct field: boxed when it closes a cycle, an `Option` when it may be absent
/// or `null`.
pub fn field_type(field: &Field, api: &Api) -> TokenStream {
    let mut ty = type_ref(&field.shape.ty, api);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if is_optional(field) {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// Whether a field is an `Option` in Rust.
pub fn is_optional(field: &Field) -> bool {
    !field.flatten && (!field.required || (field.shape.nullable && field.shape.ty != TypeRef::Any))
}
