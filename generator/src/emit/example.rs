//! The README's examples as typed Rust: the usage example (a client, and a call of the first
//! operation whose request the spec gives an example of) and one call of every operation, with
//! the values the IR chose for its arguments ([`Operation::usage`]).

use std::str::FromStr;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{
    fits, Api, BodyEncoding, DateTimeCrate, Operation, Param, SecurityKind, Shape, TypeKind,
    TypeRef, UnionTagging,
};

use super::ident;

/// The statements of the usage example; they run in an `async fn` returning the crate's `Result`.
pub fn usage(api: &Api, crate_name: &str) -> TokenStream {
    let krate = ident(crate_name);
    let (secret, credential) = match api.security_schemes.as_slice() {
        [scheme] => {
            let key = &scheme.key;
            let placeholder = match scheme.kind {
                SecurityKind::Basic => "user:password",
                _ => "your-token",
            };
            (
                Some(quote!(#placeholder)),
                Some(quote!(.credential(#key, #placeholder))),
            )
        }
        _ => (None, None),
    };
    let (new_client, config) = match &api.base_url {
        Some(_) => (quote!(Client::new(#secret)?), quote!(Client::config())),
        None => {
            let comma = secret.as_ref().map(|_| quote!(,));
            (
                quote!(Client::new("https://api.example.com" #comma #secret)?),
                quote!(Client::config("https://api.example.com")),
            )
        }
    };
    // The first call whose body the spec gives an example of, else the first that can be written.
    let call = api
        .operations
        .iter()
        .filter(|op| op.body.as_ref().is_some_and(|body| body.example.is_some()))
        .chain(&api.operations)
        .find_map(|op| call(op, api, &krate));
    quote! {
        use #krate::{models, Client};
        let client = #new_client;
        let client = Client::with_config(#config.base_url("http://127.0.0.1:8080") #credential)?;
        #call
    }
}

/// The example of one operation for the README: an `async fn` given the client, which builds the
/// arguments (the spec's example of the body, else the smallest value of its type), calls the
/// operation and looks at the response. `None` when some argument cannot be written.
pub fn operation(op: &Operation, api: &Api, crate_name: &str) -> Option<TokenStream> {
    let krate = ident(crate_name);
    let call = call(op, api, &krate)?;
    let models = mentions_models(&call).then(|| quote!(use #krate::models;));
    Some(quote! {
        async fn example(client: &#krate::Client) -> Result<(), #krate::Error> {
            #models
            #call
            Ok(())
        }
    })
}

/// Whether the statements name the `models` module.
fn mentions_models(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == "models",
        proc_macro2::TokenTree::Group(group) => mentions_models(&group.stream()),
        _ => false,
    })
}

/// The call of `op` with the values of its usage example ([`Operation::usage`]).
fn call(op: &Operation, api: &Api, krate: &proc_macro2::Ident) -> Option<TokenStream> {
    let usage = op.usage.as_ref()?;
    let args = op
        .params
        .iter()
        .zip(&usage.args)
        .map(|(param, value)| match value {
            Some(value) => param_expr(value, param, api),
            None => quote!(None),
        });
    let (setup, body_arg) = match (&op.body, &usage.body) {
        // A body sent as bytes: the example's text, or the JSON of any other example.
        (Some(body), Some(value)) if matches!(body.encoding, BodyEncoding::Binary { .. }) => {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let bytes = Literal::byte_string(text.as_bytes());
            let arg = if body.required {
                quote!(body)
            } else {
                quote!(Some(body))
            };
            (Some(quote!(let body: &[u8] = #bytes;)), Some(arg))
        }
        // A file sent as a multipart body.
        (Some(body), Some(Value::String(text))) if body.shape.ty == TypeRef::Binary => {
            let bytes = Literal::byte_string(text.as_bytes());
            let arg = if body.required {
                quote!(&body)
            } else {
                quote!(Some(&body))
            };
            (
                Some(quote!(let body = #krate::FilePart::new(#bytes.to_vec());)),
                Some(arg),
            )
        }
        (Some(body), Some(value)) => {
            let expr = value_expr(value, &body.shape, api);
            let arg = if body.required {
                quote!(&body)
            } else {
                quote!(Some(&body))
            };
            (Some(quote!(let body = #expr;)), Some(arg))
        }
        // An optional body the example leaves out (the IR found no value of its type).
        (Some(_), None) => (None, Some(quote!(None))),
        (None, _) => (None, None),
    };
    let name = ident(&op.rust_name);
    let show = match op.response.json().map(|s| &s.ty) {
        Some(TypeRef::Named(id)) => match &api.types[id].kind {
            TypeKind::Struct(s) => {
                let lines = s.fields.iter().map(|f| {
                    let field = ident(&f.rust_name);
                    // Braces in a property's name would be read as format arguments.
                    let name = f.wire_name.replace('{', "{{").replace('}', "}}");
                    let label = format!("{name}: {{:?}}");
                    quote!(println!(#label, response.#field);)
                });
                quote!(#(#lines)*)
            }
            _ => quote!(println!("{response:?}");),
        },
        Some(_) => quote!(println!("{response:?}");),
        None => match op.response {
            crate::ir::Success::Empty => quote!(let () = response;),
            crate::ir::Success::Text | crate::ir::Success::Bytes => {
                quote!(println!("{} bytes", response.len());)
            }
            // One variant per status, each with its body.
            _ => quote!(println!("{response:?}");),
        },
    };
    let args = args.chain(body_arg);
    Some(quote! {
        #setup
        let response = client.#name(#(#args),*).await?;
        #show
    })
}

/// A required parameter's argument: `&str` for text, a slice for a list, the value itself where
/// the method takes it by value, a reference otherwise (as `params::param_arg` types them).
fn param_expr(value: &Value, param: &Param, api: &Api) -> TokenStream {
    let shape = Shape {
        nullable: false,
        ..param.shape.clone()
    };
    match (&shape.ty, value) {
        (TypeRef::String, Value::String(text)) => quote!(#text),
        (TypeRef::Array(items), Value::Array(values)) => {
            let values = values.iter().map(|v| value_expr(v, items, api));
            quote!(&[#(#values),*])
        }
        _ if super::params::by_value(param, api) => value_expr(value, &shape, api),
        _ => {
            let expr = value_expr(value, &shape, api);
            quote!(&#expr)
        }
    }
}

/// The Rust expression of an example value that fits `shape`.
fn value_expr(value: &Value, shape: &Shape, api: &Api) -> TokenStream {
    if shape.nullable && shape.ty != TypeRef::Any {
        if value.is_null() {
            return quote!(None);
        }
        let inner = value_expr(
            value,
            &Shape {
                nullable: false,
                ..shape.clone()
            },
            api,
        );
        return quote!(Some(#inner));
    }
    match (&shape.ty, value) {
        (TypeRef::Named(id), _) => named_expr(value, *id, api),
        (TypeRef::String, Value::String(s)) => quote!(#s.to_owned()),
        (TypeRef::Integer(_), Value::Number(n)) => {
            let n = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
            quote!(#n)
        }
        (TypeRef::Number(_), Value::Number(n)) => {
            let n = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
            quote!(#n)
        }
        (TypeRef::Boolean, Value::Bool(b)) => quote!(#b),
        (TypeRef::Date, Value::String(s)) if api.date_time == DateTimeCrate::Time => {
            // The example fits `format: date` (checked in the IR): `YYYY-MM-DD`.
            let mut parts = s
                .splitn(3, '-')
                .map(|part| part.parse::<i64>().unwrap_or_default());
            let mut next = || Literal::i64_unsuffixed(parts.next().unwrap_or_default());
            let (year, month, day) = (next(), next(), next());
            quote! {
                time::Date::from_calendar_date(#year, time::Month::try_from(#month).expect("a month"), #day)
                    .expect("a date")
            }
        }
        (TypeRef::Date, Value::String(s)) => {
            quote!(#s.parse::<chrono::NaiveDate>().expect("a date"))
        }
        (TypeRef::DateTime, Value::String(s)) if api.date_time == DateTimeCrate::Time => {
            quote!(#s.parse().expect("an RFC 3339 timestamp"))
        }
        (TypeRef::DateTime, Value::String(s)) => {
            quote!(chrono::DateTime::parse_from_rfc3339(#s).expect("an RFC 3339 timestamp"))
        }
        (TypeRef::Uuid, Value::String(s)) => quote!(uuid::Uuid::parse_str(#s).expect("a UUID")),
        // A file's content; the field's type (`FilePart`) converts from the bytes.
        (TypeRef::Binary, Value::String(s)) => {
            let bytes = Literal::byte_string(s.as_bytes());
            quote!(#bytes.to_vec().into())
        }
        (TypeRef::Tuple(items), Value::Array(values)) => {
            let values = values
                .iter()
                .zip(items)
                .map(|(v, item)| value_expr(v, item, api));
            quote!((#(#values,)*))
        }
        (TypeRef::Array(items), Value::Array(values)) => {
            let values = values.iter().map(|v| value_expr(v, items, api));
            quote!(Vec::from([#(#values),*]))
        }
        (TypeRef::Map(items), Value::Object(entries)) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = value_expr(v, items, api);
                quote!((#k.to_owned(), #v))
            });
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        _ => {
            let json = TokenStream::from_str(&value.to_string()).unwrap_or_default();
            quote!(::serde_json::json!(#json))
        }
    }
}

fn named_expr(value: &Value, id: crate::ir::TypeId, api: &Api) -> TokenStream {
    let def = &api.types[&id];
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => {
            let object = value.as_object();
            let mut fields = Vec::new();
            for field in &s.fields {
                let field_name = ident(&field.rust_name);
                match object.and_then(|o| o.get(&field.wire_name)) {
                    Some(v) => {
                        let mut expr = value_expr(
                            v,
                            &Shape {
                                nullable: false,
                                ..field.shape.clone()
                            },
                            api,
                        );
                        if field.shape.nullable && v.is_null() {
                            expr = quote!(None);
                        } else {
                            if field.boxed {
                                expr = quote!(Box::new(#expr));
                            }
                            if super::rust_types::is_optional(field) {
                                expr = quote!(Some(#expr));
                            }
                        }
                        fields.push(quote!(#field_name: #expr));
                    }
                    None if !s.derive_default && field.flatten => {
                        fields.push(quote!(#field_name: Default::default()))
                    }
                    None if !s.derive_default => fields.push(quote!(#field_name: None)),
                    None => {}
                }
            }
            let rest = (s.derive_default && fields.len() < s.fields.len())
                .then(|| quote!(..Default::default()));
            quote!(models::#name { #(#fields,)* #rest })
        }
        TypeKind::Enum(e) => {
            let variant = e
                .variants
                .iter()
                .find(|v| v.value.is(value))
                .or(e.variants.first());
            let variant = variant.map(|v| ident(&v.rust_name));
            quote!(models::#name::#variant)
        }
        TypeKind::Union(u) => {
            let (variant, inner) = match &u.tagging {
                UnionTagging::Internal { property, .. } => {
                    // The member reads the whole object, its own tag property included.
                    let tag = value.get(property).and_then(Value::as_str);
                    (
                        u.variants.iter().find(|v| v.tag.as_deref() == tag),
                        value.clone(),
                    )
                }
                UnionTagging::Untagged => (
                    u.variants
                        .iter()
                        .find(|v| fits(value, &v.shape, &api.types)),
                    value.clone(),
                ),
            };
            match variant {
                Some(variant) => {
                    let variant_name = ident(&variant.rust_name);
                    let inner = value_expr(&inner, &variant.shape, api);
                    quote!(models::#name::#variant_name(#inner))
                }
                None => quote!(unreachable!("the example does not fit")),
            }
        }
        TypeKind::Alias(shape) => value_expr(value, shape, api),
    }
}
