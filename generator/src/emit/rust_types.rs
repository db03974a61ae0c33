//! IR types → Rust type tokens: the prelude's types by name (no generated type takes a prelude
//! name, see `names.rs`), a generated type by its name in a models file (which imports it) and by
//! its path from the crate's root elsewhere, everything else by an absolute path.

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, DateTimeCrate, Field, FloatKind, IntegerKind, Shape, TypeRef};

use super::ident;

/// How the code being emitted names a generated type.
#[derive(Clone, Copy)]
pub enum Naming<'a> {
    /// By its path from the crate's root (`crate::models::Pet`): the client's files and the text
    /// of the API surface.
    Path,
    /// By its name alone (`Pet`), recording the name: a models file imports every generated type
    /// it names but its own.
    Imported(&'a RefCell<BTreeSet<String>>),
}

/// The Rust type of a type reference, named by its path from the crate's root.
pub fn type_ref(ty: &TypeRef, api: &Api) -> TokenStream {
    type_ref_named(ty, api, Naming::Path)
}

/// The Rust type of a type reference, generated types named as `naming` says.
pub fn type_ref_named(ty: &TypeRef, api: &Api, naming: Naming<'_>) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = &api.types[id].name;
            match naming {
                Naming::Path => {
                    let root = super::root(api);
                    let name = ident(name);
                    quote!(#root::models::#name)
                }
                Naming::Imported(names) => {
                    names.borrow_mut().insert(name.clone());
                    let name = ident(name);
                    quote!(#name)
                }
            }
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
        TypeRef::Base64 => {
            let root = super::root(api);
            quote!(#root::runtime::bytes::Base64Bytes)
        }
        TypeRef::Binary => {
            let root = super::root(api);
            quote!(#root::runtime::multipart::FilePart)
        }
        TypeRef::Array(items) => {
            let items = shape_type_named(items, api, naming);
            quote!(Vec<#items>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| shape_type_named(item, api, naming));
            quote!((#(#items,)*))
        }
        TypeRef::Map(values) => {
            let values = shape_type_named(values, api, naming);
            quote!(::std::collections::BTreeMap<String, #values>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// The Rust type of a value of `shape`: an `Option` when it may be `null`. Generated types are
/// named by their paths.
pub fn shape_type(shape: &Shape, api: &Api) -> TokenStream {
    shape_type_named(shape, api, Naming::Path)
}

/// [`shape_type`], generated types named as `naming` says.
pub fn shape_type_named(shape: &Shape, api: &Api, naming: Naming<'_>) -> TokenStream {
    let ty = type_ref_named(&shape.ty, api, naming);
    if shape.nullable && shape.ty != TypeRef::Any {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The Rust type of a struct field: boxed when it closes a cycle, an `Option` when it may be absent
/// or `null`. Generated types are named by their paths.
pub fn field_type(field: &Field, api: &Api) -> TokenStream {
    field_type_named(field, api, Naming::Path)
}

/// [`field_type`], generated types named as `naming` says.
pub fn field_type_named(field: &Field, api: &Api, naming: Naming<'_>) -> TokenStream {
    let mut ty = type_ref_named(&field.shape.ty, api, naming);
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
