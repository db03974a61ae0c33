//! The crate's public API as a [`Surface`] (the generated `public-api.txt`): every type with its
//! fields, variants and members, and every method of the client, with the Rust types the other
//! emitters give them (the same helpers make both, so the two cannot disagree).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use crate::ir::{Api, EnumValue, Operation, Success, TypeDef, TypeKind};
use crate::surface::{Kind, Surface};

use super::client::{constructor_params, operation_args, output_type};
use super::rust_types::{field_type, shape_type};

/// The error type every operation's method returns.
const ERROR: &str = "crate::runtime::error::Error";

/// The public API of the crate made from `api`.
pub fn surface(api: &Api) -> Surface {
    let mut surface = Surface::new();
    for def in api.types.values() {
        model(&mut surface, def, api);
    }
    client(&mut surface, api);
    for op in &api.operations {
        operation(&mut surface, op, api);
    }
    surface
}

/// A type of `src/models/`. Enums and unions are emitted `#[non_exhaustive]`.
fn model(surface: &mut Surface, def: &TypeDef, api: &Api) {
    let name = &def.name;
    match &def.kind {
        TypeKind::Struct(s) => {
            let construction = if s.derive_default {
                "Default".to_owned()
            } else {
                let params: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| f.required && f.only_value(&api.types).is_none())
                    .map(|f| format!("{}: {}", f.rust_name, text(field_type(f, api))))
                    .collect();
                format!("new({})", params.join(", "))
            };
            surface.insert(Kind::Struct, name, construction);
            for field in &s.fields {
                surface.insert(
                    Kind::Field,
                    format!("{name}.{}", field.rust_name),
                    text(field_type(field, api)),
                );
            }
        }
        TypeKind::Enum(e) => {
            let mut attributes = vec!["non_exhaustive".to_owned()];
            if let Some(variant) = e.default.and_then(|index| e.variants.get(index)) {
                attributes.push(format!("Default({})", variant.rust_name));
            }
            surface.insert(Kind::Enum, name, attributes.join(" "));
            let integer = e
                .variants
                .iter()
                .any(|v| matches!(v.value, EnumValue::Integer(_)));
            for variant in &e.variants {
                let value = match &variant.value {
                    EnumValue::String(s) if !integer => format!("= {s:?}"),
                    EnumValue::String(_) => "= 0".to_owned(),
                    EnumValue::Integer(i) => format!("= {i}"),
                };
                surface.insert(
                    Kind::Variant,
                    format!("{name}::{}", variant.rust_name),
                    value,
                );
            }
            let (unknown, methods) = if integer {
                (
                    "(i64)",
                    [
                        ("value", "(&self) -> i64"),
                        ("from_value", "(value: i64) -> Self"),
                    ],
                )
            } else {
                (
                    "(String)",
                    [
                        ("as_str", "(&self) -> &str"),
                        ("from_wire", "(value: &str) -> Self"),
                    ],
                )
            };
            surface.insert(Kind::Variant, format!("{name}::{}", e.unknown), unknown);
            for (method, signature) in methods {
                surface.insert(Kind::Fn, format!("{name}::{method}"), signature);
            }
        }
        TypeKind::Union(u) => {
            surface.insert(Kind::Union, name, "non_exhaustive");
            for variant in &u.variants {
                let path = format!("{name}::{}", variant.rust_name);
                let ty = text(shape_type(&variant.shape, api));
                if variant.converts {
                    surface.insert(Kind::From, path.clone(), ty.clone());
                }
                surface.insert(Kind::Member, path, format!("({ty})"));
            }
        }
        TypeKind::Alias(shape) => {
            surface.insert(
                Kind::Alias,
                name,
                format!("= {}", text(shape_type(shape, api))),
            );
        }
    }
}

/// The `Client`'s constructors and settings.
fn client(surface: &mut Surface, api: &Api) {
    let (base_url, secret) = constructor_params(api);
    let config_params: Vec<String> = base_url.iter().cloned().map(text).collect();
    let new_params: Vec<String> = base_url.into_iter().chain(secret).map(text).collect();
    let result_self = format!("Result<Self, {ERROR}>");
    surface.insert(
        Kind::Fn,
        "Client::config",
        format!(
            "({}) -> crate::runtime::transport::ClientConfig",
            config_params.join(", ")
        ),
    );
    surface.insert(
        Kind::Fn,
        "Client::new",
        format!("({}) -> {result_self}", new_params.join(", ")),
    );
    surface.insert(
        Kind::Fn,
        "Client::with_config",
        format!("(config: crate::runtime::transport::ClientConfig) -> {result_self}"),
    );
    surface.insert(Kind::Fn, "Client::base_url", "(&self) -> &str");
    if api.base_url.is_some() {
        surface.insert(Kind::Const, "Client::DEFAULT_BASE_URL", "&str");
    }
}

/// An operation's methods and its response types (re-exported at the crate's root). Its status
/// and error enums are emitted `#[non_exhaustive]`.
fn operation(surface: &mut Surface, op: &Operation, api: &Api) {
    let mut params = vec!["&self".to_owned()];
    params.extend(operation_args(op, api).into_iter().map(text));
    let params = params.join(", ");
    let output = text(output_type(op, api));
    surface.insert(
        Kind::Fn,
        format!("Client::{}", op.rust_name),
        format!("({params}) -> Result<{output}, {ERROR}>"),
    );
    if let Some(headers) = &op.response_headers {
        surface.insert(
            Kind::Fn,
            format!("Client::{}", headers.method_name),
            format!(
                "({params}) -> Result<({output}, {}), {ERROR}>",
                headers.type_name
            ),
        );
        surface.insert(Kind::Struct, &headers.type_name, "Default");
        for header in &headers.headers {
            let ty = text(super::rust_types::type_ref(&header.shape.ty, api));
            surface.insert(
                Kind::Field,
                format!("{}.{}", headers.type_name, header.rust_name),
                format!("Option<{ty}>"),
            );
        }
    }
    if let (Some(pagination), Some(body)) = (&op.pagination, &op.body) {
        let body = text(shape_type(&body.shape, api));
        let item = text(shape_type(&pagination.item, api));
        surface.insert(
            Kind::Fn,
            format!("Client::{}", pagination.rust_name),
            format!(
                "(&self, body: &{body}) -> crate::runtime::pagination::Pages<'_, {body}, {item}>"
            ),
        );
    }
    if let Success::ByStatus { name, bodies } = &op.response {
        surface.insert(Kind::Enum, name, "non_exhaustive");
        for status in bodies {
            let carried = match &status.body {
                Success::Json(shape) => format!("({})", text(shape_type(shape, api))),
                Success::Text => "(String)".to_owned(),
                Success::Bytes => "(Vec<u8>)".to_owned(),
                _ => String::new(),
            };
            surface.insert(
                Kind::Variant,
                format!("{name}::{}", status.rust_name),
                carried,
            );
        }
    }
    if let Some(name) = &op.error_type {
        if let Some(same_as) = &op.error_type_same_as {
            surface.insert(Kind::Alias, name, format!("= {same_as}"));
        } else {
            surface.insert(Kind::Enum, name, "non_exhaustive");
            for error in op.errors.iter().filter(|e| e.statuses.is_some()) {
                let carried = error
                    .shape
                    .as_ref()
                    .map(|shape| format!("({})", text(shape_type(shape, api))))
                    .unwrap_or_default();
                surface.insert(
                    Kind::Variant,
                    format!("{name}::{}", error.rust_name),
                    carried,
                );
            }
        }
    }
}

/// Rust tokens as one line of text, spaced as rustfmt would: `Option<&str>`, `id: i64`,
/// `impl Into<String>`, `(i64, String)`.
fn text(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_tokens(tokens, &mut out);
    out
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    // Whether the previous token was a word (an identifier or literal), and whether it was the
    // first `:` of a `::`.
    let mut after_word = false;
    let mut in_path_sep = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                if after_word {
                    out.push(' ');
                }
                push_display(out, &ident);
                after_word = true;
                in_path_sep = false;
            }
            TokenTree::Literal(literal) => {
                if after_word {
                    out.push(' ');
                }
                push_display(out, &literal);
                after_word = true;
                in_path_sep = false;
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                let joint = punct.spacing() == Spacing::Joint;
                match c {
                    ',' => out.push_str(", "),
                    ':' if joint || in_path_sep => out.push(':'),
                    ':' => out.push_str(": "),
                    _ => out.push(c),
                }
                in_path_sep = c == ':' && joint;
                after_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                if after_word && group.delimiter() == Delimiter::Brace {
                    out.push(' ');
                }
                out.push_str(open);
                let inner = out.len();
                write_tokens(group.stream(), out);
                let trimmed = out[inner..].trim_end().len();
                out.truncate(inner + trimmed);
                out.push_str(close);
                after_word = false;
                in_path_sep = false;
            }
        }
    }
}

/// Appends `value`'s text to `out` without a string of its own.
fn push_display(out: &mut String, value: &impl std::fmt::Display) {
    use std::fmt::Write as _;
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{value}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn tokens_read_as_rustfmt_writes_them() {
        assert_eq!(text(quote!(Option<&str>)), "Option<&str>");
        assert_eq!(text(quote!(id: i64)), "id: i64");
        assert_eq!(
            text(quote!(token: impl Into<crate::runtime::secret::Secret>)),
            "token: impl Into<crate::runtime::secret::Secret>"
        );
        assert_eq!(
            text(quote!(::std::collections::BTreeMap<String, crate::models::Pet>)),
            "::std::collections::BTreeMap<String, crate::models::Pet>"
        );
        assert_eq!(text(quote!((i64, String,))), "(i64, String,)");
        assert_eq!(text(quote!(body: Option<&[u8]>)), "body: Option<&[u8]>");
        assert_eq!(
            text(quote!(::chrono::DateTime<::chrono::FixedOffset>)),
            "::chrono::DateTime<::chrono::FixedOffset>"
        );
    }
}
