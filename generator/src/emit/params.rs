//! Operation parameters: the argument types, their validation, and how their values reach the
//! path, the query string and the headers.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{
    Api, Operation, Param, ParamLocation, ParamStyle, PathSegment, Shape, TypeKind, TypeRef,
};

use super::ident;
use super::rust_types::{shape_type, type_ref};
use super::validate::{self, Patterns};

/// Whether a parameter's argument is passed by value (numbers, booleans, dates, UUIDs, enums)
/// rather than as a reference (strings, lists, everything else).
pub(super) fn by_value(param: &Param, api: &Api) -> bool {
    match &param.shape.ty {
        TypeRef::Integer(_)
        | TypeRef::Number(_)
        | TypeRef::Boolean
        | TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::Uuid => true,
        TypeRef::Named(id) => matches!(api.types[id].kind, TypeKind::Enum(_)),
        _ => false,
    }
}

/// The argument of a parameter: `&str` for strings, slices for lists, references for the rest
/// except numbers, booleans and enums; `Option` unless required.
pub fn param_arg(param: &Param, api: &Api) -> TokenStream {
    let name = ident(&param.rust_name);
    let ty = match &param.shape.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Array(items) => {
            let items = shape_type(items, api);
            quote!(&[#items])
        }
        other if by_value(param, api) => type_ref(other, api),
        other => {
            let ty = type_ref(other, api);
            quote!(&#ty)
        }
    };
    if param.required {
        quote!(#name: #ty)
    } else {
        quote!(#name: Option<#ty>)
    }
}

/// Binds `value` to a reference to the parameter's value (inside `Some` when optional) and runs
/// `then` with it.
fn with_value_ref(param: &Param, api: &Api, then: TokenStream) -> TokenStream {
    let arg = ident(&param.rust_name);
    let reference = if by_value(param, api) {
        quote!(&#arg)
    } else {
        quote!(#arg)
    };
    if param.required {
        quote!({ let value = #reference; #then })
    } else if by_value(param, api) {
        quote!(if let Some(value) = #arg.as_ref() { #then })
    } else {
        quote!(if let Some(value) = #arg { #then })
    }
}

/// The checks of one parameter, under `/(location)/name`.
pub fn param_checks(param: &Param, api: &Api, patterns: &mut Patterns) -> Option<TokenStream> {
    let shape = Shape {
        nullable: false,
        ..param.shape.clone()
    };
    let location = format!("({})", location_name(param.location));
    let wire = &param.wire_name;
    let arg = ident(&param.rust_name);
    // A reference to the argument: it is one already when required and not passed by value.
    let value = if param.required && !by_value(param, api) {
        quote!(#arg)
    } else {
        quote!(&#arg)
    };
    let checks = match validate::named_checks(Some(wire), value, &shape, patterns) {
        Some(checks) => checks,
        None => {
            let inner = validate::value_checks(quote!(value), &shape, patterns)?;
            let checks = with_value_ref(param, api, inner);
            quote!(validator.field(#wire, |validator| { #checks });)
        }
    };
    Some(quote! {
        validator.field(#location, |validator| { #checks });
    })
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The runtime's style of a parameter and whether it is exploded.
fn style_tokens(style: ParamStyle) -> (TokenStream, bool) {
    let (variant, explode) = match style {
        ParamStyle::Simple { explode } => (quote!(Simple), explode),
        ParamStyle::Form { explode } => (quote!(Form), explode),
        ParamStyle::Matrix { explode } => (quote!(Matrix), explode),
        ParamStyle::Label { explode } => (quote!(Label), explode),
        ParamStyle::SpaceDelimited { explode } => (quote!(SpaceDelimited), explode),
        ParamStyle::PipeDelimited { explode } => (quote!(PipeDelimited), explode),
        ParamStyle::DeepObject => (quote!(DeepObject), true),
    };
    (quote!(transport::Style::#variant), explode)
}

/// Pushes the parameters of one location into `target`, each written in its style: headers as
/// one value each, query parameters and cookies as the pairs their style makes.
pub fn params_into(
    op: &Operation,
    location: ParamLocation,
    target: TokenStream,
    api: &Api,
) -> TokenStream {
    let header = location == ParamLocation::Header;
    let pushes: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == location)
        .map(|param| {
            let wire = &param.wire_name;
            let (style, explode) = style_tokens(param.style);
            let push = if header {
                quote!(#target.push((#wire, transport::header_value(value, #explode)));)
            } else {
                quote!(transport::push_param(&mut #target, #wire, value, #style, #explode);)
            };
            with_value_ref(param, api, push)
        })
        .collect();
    if pushes.is_empty() {
        return quote!(let #target = Vec::new(););
    }
    let name_type = if header {
        quote!(&'static str)
    } else {
        quote!(String)
    };
    quote! {
        let mut #target: Vec<(#name_type, String)> = Vec::new();
        #(#pushes)*
    }
}

/// The request path: statements that write each path parameter in its style into a binding of its
/// own name (each once, however often the path names it), and the expression that builds the
/// path from them (a literal, or a `format!` with the bindings inline).
pub fn path_expr(op: &Operation, api: &Api) -> (TokenStream, TokenStream) {
    if let [PathSegment::Literal(text)] = op.path.as_slice() {
        return (quote!(), quote!(String::from(#text)));
    }
    let mut template = String::new();
    let mut encoded: Vec<usize> = Vec::new();
    let mut bindings = Vec::new();
    for segment in &op.path {
        match segment {
            PathSegment::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            PathSegment::Param(index) => {
                let param = &op.params[*index];
                let arg = ident(&param.rust_name);
                template.push_str(&format!("{{{}}}", param.rust_name));
                if encoded.contains(index) {
                    continue;
                }
                encoded.push(*index);
                let value = if by_value(param, api) {
                    quote!(&#arg)
                } else {
                    quote!(#arg)
                };
                let wire = &param.wire_name;
                let (style, explode) = style_tokens(param.style);
                bindings.push(
                    quote!(let #arg = transport::path_param(#wire, #value, #style, #explode);),
                );
            }
        }
    }
    (quote!(#(#bindings)*), quote!(format!(#template)))
}
