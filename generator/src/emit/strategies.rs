//! `proptest::arbitrary::Arbitrary` for every model type (feature `proptest`), beside the type in
//! its file: `any::<T>()` generates values that satisfy every rule of the spec (patterns, lengths,
//! bounds, item counts, e-mail addresses), with every optional field both present and absent,
//! every enum value and every union member; `any_with::<T>(Depth::new(n))` bounds how deep named
//! types nest. Built from the runtime's strategies (`runtime/strategies.rs`) by projecting each
//! shape's type and rules, as `validate.rs` projects them into checks.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{
    Api, DateTimeCrate, EnumDef, Field, FloatKind, IntegerKind, Rule, Shape, StructDef, TypeDef,
    TypeKind, TypeRef, UnionDef, UnionTagging,
};

use super::ident;
use super::rust_types::is_optional;

/// The `Arbitrary` impl of a struct, enum or union, compiled with the feature `proptest`; none
/// for an alias (its target is generated where it is used).
pub fn arbitrary(def: &TypeDef, api: &Api) -> Option<TokenStream> {
    if !api.layout.has_strategies() {
        return None;
    }
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_strategy(s, api),
        TypeKind::Enum(e) => enum_strategy(e),
        TypeKind::Union(u) => union_strategy(u, api),
        TypeKind::Alias(_) => return None,
    };
    Some(arbitrary_impl(def, body))
}

/// `impl Arbitrary for T`; `body` builds the strategy from `depth`, the type's nesting budget.
fn arbitrary_impl(def: &TypeDef, (body, uses_depth): (TokenStream, bool)) -> TokenStream {
    let name = ident(&def.name);
    let depth = if uses_depth {
        quote!(depth)
    } else {
        quote!(_depth)
    };
    quote! {
        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for #name {
            type Parameters = strategies::Depth;
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with(#depth: Self::Parameters) -> Self::Strategy {
                #body
            }
        }
    }
}

/// Every field's strategy, combined in nested tuples (proptest's tuples hold at most 12).
fn struct_strategy(s: &StructDef, api: &Api) -> (TokenStream, bool) {
    if s.fields.is_empty() {
        return (quote!(::proptest::strategy::Just(Self {}).boxed()), false);
    }
    let declared: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| !f.flatten)
        .map(|f| f.wire_name.as_str())
        .collect();
    let mut uses_depth = false;
    let leaves: Vec<(TokenStream, TokenStream)> = s
        .fields
        .iter()
        .map(|field| {
            uses_depth |= field_uses_depth(field);
            let name = ident(&field.rust_name);
            (field_strategy(field, &declared, api), quote!(#name))
        })
        .collect();
    let (strategies, bindings) = nest(leaves);
    let names = s.fields.iter().map(|f| ident(&f.rust_name));
    let body = quote! {
        #strategies.prop_map(|#bindings| Self { #(#names),* }).boxed()
    };
    (body, uses_depth)
}

/// Groups `(strategy, binding)` pairs into tuples of at most 10, nested as needed.
fn nest(mut leaves: Vec<(TokenStream, TokenStream)>) -> (TokenStream, TokenStream) {
    while leaves.len() > 10 {
        leaves = leaves
            .chunks(10)
            .map(|chunk| tuple(chunk.to_vec()))
            .collect();
    }
    tuple(leaves)
}

fn tuple(items: Vec<(TokenStream, TokenStream)>) -> (TokenStream, TokenStream) {
    let (strategies, bindings): (Vec<_>, Vec<_>) = items.into_iter().unzip();
    (quote!((#(#strategies,)*)), quote!((#(#bindings,)*)))
}

/// A field's strategy: its shape's, boxed when the field is, optional when the field is an
/// `Option`, and a map without the declared names when it holds the additional properties.
fn field_strategy(field: &Field, declared: &[&str], api: &Api) -> TokenStream {
    if field.flatten {
        let TypeRef::Map(values) = &field.shape.ty else {
            unreachable!("the IR gives a flattened field a map shape");
        };
        let value = maker(values, shape_strategy(values, api));
        return quote!(strategies::map(depth, &[#(#declared),*], #value));
    }
    let inner = Shape {
        nullable: false,
        ..field.shape.clone()
    };
    let mut value = shape_strategy(&inner, api);
    if field.boxed {
        value = quote!(#value.prop_map(Box::new));
    }
    // A required nullable field of any JSON value is not an `Option`: its `null` is
    // `serde_json::Value::Null`, which the value strategy already yields.
    if is_optional(field) {
        // In an optional field of any JSON value, `null` reads back as absent (`None`), so the
        // value inside `Some` is never `null`.
        if field.shape.ty == TypeRef::Any {
            value =
                quote!(#value.prop_filter("null reads back as absent", |value| !value.is_null()));
        }
        // A boxed field's value is no longer its shape's strategy, which `optional` assumes.
        if field.boxed {
            quote!(strategies::optional(depth, move || #value))
        } else {
            optional(&inner, value, api)
        }
    } else {
        value
    }
}

/// `optional(depth, …)` of `value`, the strategy of `inner` (`shape_strategy`'s);
/// `optional_nested(depth)` when that is a named type's.
fn optional(inner: &Shape, value: TokenStream, api: &Api) -> TokenStream {
    if is_nested(inner, api) {
        return quote!(strategies::optional_nested(depth));
    }
    let make = maker(inner, value);
    quote!(strategies::optional(depth, #make))
}

/// Whether the values of `shape` are made by the `Arbitrary` impl of a named type of the crate
/// (aliases seen through): `shape_strategy` is then `nested(depth)`, whose type the compiler
/// infers from where the value goes.
fn is_nested(shape: &Shape, api: &Api) -> bool {
    if shape.nullable {
        return false;
    }
    match &shape.ty {
        TypeRef::Named(id) => match &api.types[id].kind {
            TypeKind::Alias(aliased) => is_nested(aliased, api),
            _ => true,
        },
        _ => false,
    }
}

/// What builds `value`, the strategy of `shape`, for the runtime's combinators to call: the
/// runtime's function itself for a string without rules, a closure otherwise.
fn maker(shape: &Shape, value: TokenStream) -> TokenStream {
    if is_any_string(shape) {
        quote!(strategies::any_string)
    } else {
        quote!(move || #value)
    }
}

/// Whether `shape` is a string without a rule, whose strategy is `strategies::any_string()`.
fn is_any_string(shape: &Shape) -> bool {
    !shape.nullable
        && shape.ty == TypeRef::String
        && !shape.rules.iter().any(|rule| {
            matches!(
                rule,
                Rule::Pattern(_) | Rule::MinLength(_) | Rule::MaxLength(_) | Rule::Email
            )
        })
}

fn field_uses_depth(field: &Field) -> bool {
    field.flatten || is_optional(field) || shape_uses_depth(&field.shape)
}

/// Whether a shape's strategy reads `depth`.
fn shape_uses_depth(shape: &Shape) -> bool {
    (shape.nullable && shape.ty != TypeRef::Any)
        || match &shape.ty {
            TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => true,
            TypeRef::Tuple(items) => items.iter().any(shape_uses_depth),
            _ => false,
        }
}

/// One strategy per variant, chosen evenly.
fn union_strategy(u: &UnionDef, api: &Api) -> (TokenStream, bool) {
    let variants = u.variants.iter().map(|variant| {
        let name = ident(&variant.rust_name);
        let strategy = shape_strategy(&variant.shape, api);
        quote!(#strategy.prop_map(Self::#name).boxed())
    });
    let uses_depth = u.variants.iter().any(|v| shape_uses_depth(&v.shape));
    // A tagged member's own tag property takes its variant's value, as writing it does.
    let as_written = matches!(u.tagging, UnionTagging::Internal { .. })
        .then(|| quote!(.prop_map(strategies::as_written)));
    let body = quote! {
        ::proptest::strategy::Union::new([#(#variants),*])#as_written.boxed()
    };
    (body, uses_depth)
}

/// Every value, chosen evenly.
fn enum_strategy(e: &EnumDef) -> (TokenStream, bool) {
    let variants = e.variants.iter().map(|v| ident(&v.rust_name));
    let body = quote! {
        ::proptest::sample::select(vec![#(Self::#variants),*]).boxed()
    };
    (body, false)
}

/// The strategy of a value of `shape` (of the Rust type `shape_type` gives it): always a call
/// expression, so a method can be called on it without parentheses.
fn shape_strategy(shape: &Shape, api: &Api) -> TokenStream {
    if shape.nullable && shape.ty != TypeRef::Any {
        let inner = Shape {
            nullable: false,
            ..shape.clone()
        };
        let value = shape_strategy(&inner, api);
        return optional(&inner, value, api);
    }
    match &shape.ty {
        TypeRef::Named(id) => match &api.types[id].kind {
            TypeKind::Alias(aliased) => shape_strategy(aliased, api),
            _ => quote!(strategies::nested(depth)),
        },
        TypeRef::String => string_strategy(&shape.rules),
        TypeRef::Integer(kind) => {
            let (minimums, maximums) = bounds(&shape.rules);
            match kind {
                IntegerKind::I32 => {
                    quote!(strategies::int32(&[#(#minimums),*], &[#(#maximums),*]))
                }
                IntegerKind::I64 => {
                    quote!(strategies::int64(&[#(#minimums),*], &[#(#maximums),*]))
                }
            }
        }
        TypeRef::Number(kind) => {
            let (minimums, maximums) = bounds(&shape.rules);
            let number = quote!(strategies::number(&[#(#minimums),*], &[#(#maximums),*]));
            match kind {
                FloatKind::F64 => number,
                FloatKind::F32 => quote!(#number.prop_map(|value| value as f32)),
            }
        }
        TypeRef::Boolean => quote!(::proptest::bool::ANY),
        // Days from 0001-01-01 to 9999-12-31.
        TypeRef::Date if api.date_time == DateTimeCrate::Time => quote! {
            (1_721_426i32..=5_373_484).prop_filter_map("a date", |day| ::time::Date::from_julian_day(day).ok())
        },
        TypeRef::Date => quote! {
            (1i32..=3_652_059).prop_filter_map("a date", ::chrono::NaiveDate::from_num_days_from_ce_opt)
        },
        // Instants from 1970 to 2100, in any whole-minute offset.
        TypeRef::DateTime if api.date_time == DateTimeCrate::Time => quote! {
            (0i64..=4_102_444_800, -1439i32..=1439).prop_filter_map("a timestamp", |(seconds, minutes)| {
                let offset = ::time::UtcOffset::from_whole_seconds(minutes * 60).ok()?;
                let utc = ::time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
                Some(crate::runtime::datetime::DateTime(utc.to_offset(offset)))
            })
        },
        TypeRef::DateTime => quote! {
            (0i64..=4_102_444_800, -1439i32..=1439).prop_filter_map("a timestamp", |(seconds, minutes)| {
                let offset = ::chrono::FixedOffset::east_opt(minutes * 60)?;
                ::chrono::DateTime::from_timestamp(seconds, 0).map(|utc| utc.with_timezone(&offset))
            })
        },
        TypeRef::Uuid => {
            quote!(::proptest::arbitrary::any::<u128>().prop_map(::uuid::Uuid::from_u128))
        }
        TypeRef::Base64 => {
            let root = super::root(api);
            quote! {
                ::proptest::collection::vec(::proptest::arbitrary::any::<u8>(), 0..64)
                    .prop_map(#root::runtime::bytes::Base64Bytes)
            }
        }
        // In JSON a binary value is a string, so its bytes are UTF-8.
        TypeRef::Binary => {
            let text = string_strategy(&[]);
            let root = super::root(api);
            quote!(#text.prop_map(|text| #root::runtime::multipart::FilePart::new(text.into_bytes())))
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| shape_strategy(item, api));
            quote!((#(#items,)*))
        }
        TypeRef::Array(items) => {
            let item = maker(items, shape_strategy(items, api));
            let (min_items, max_items) = item_counts(&shape.rules);
            quote! {
                strategies::list(depth, &[#(#min_items),*], &[#(#max_items),*], #item)
            }
        }
        TypeRef::Map(values) => {
            let value = maker(values, shape_strategy(values, api));
            quote!(strategies::map(depth, &[], #value))
        }
        TypeRef::Any => quote!(strategies::json_value(depth)),
    }
}

/// `string(StringRules::ANY…)` with the shape's patterns, lengths and e-mail rule, each added by
/// its method; `any_string()` when it has none.
fn string_strategy(rules: &[Rule]) -> TokenStream {
    let mut patterns = Vec::new();
    let mut added = Vec::new();
    let mut email = false;
    for rule in rules {
        match rule {
            Rule::Pattern(pattern) => {
                let source = &pattern.source;
                let generator = match &pattern.generator {
                    Some(generator) => quote!(Some(#generator)),
                    None => quote!(None),
                };
                patterns.push((quote!(#source), generator));
            }
            Rule::MinLength(n) => {
                let n = Literal::u64_unsuffixed(*n);
                added.push(quote!(.min_length(#n)));
            }
            Rule::MaxLength(n) => {
                let n = Literal::u64_unsuffixed(*n);
                added.push(quote!(.max_length(#n)));
            }
            Rule::Email => email = true,
            _ => {}
        }
    }
    if let [(source, generator)] = patterns.as_slice() {
        added.insert(0, quote!(.pattern(#source, #generator)));
    } else if !patterns.is_empty() {
        let patterns = patterns.iter().map(|(source, generator)| {
            quote!(strategies::Pattern { source: #source, generator: #generator })
        });
        added.insert(0, quote!(.patterns(&[#(#patterns),*])));
    }
    if email {
        added.push(quote!(.email()));
    }
    if added.is_empty() {
        return quote!(strategies::any_string());
    }
    quote!(strategies::string(strategies::StringRules::ANY #(#added)*))
}

/// The `minimum`s and `maximum`s as `(bound, exclusive)` tuples.
fn bounds(rules: &[Rule]) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut minimums = Vec::new();
    let mut maximums = Vec::new();
    for rule in rules {
        match rule {
            Rule::Minimum { bound, exclusive } => {
                let bound = Literal::f64_suffixed(*bound);
                minimums.push(quote!((#bound, #exclusive)));
            }
            Rule::Maximum { bound, exclusive } => {
                let bound = Literal::f64_suffixed(*bound);
                maximums.push(quote!((#bound, #exclusive)));
            }
            _ => {}
        }
    }
    (minimums, maximums)
}

/// The `minItems` and `maxItems`.
fn item_counts(rules: &[Rule]) -> (Vec<Literal>, Vec<Literal>) {
    let mut min_items = Vec::new();
    let mut max_items = Vec::new();
    for rule in rules {
        match rule {
            Rule::MinItems(n) => min_items.push(Literal::u64_unsuffixed(*n)),
            Rule::MaxItems(n) => max_items.push(Literal::u64_unsuffixed(*n)),
            _ => {}
        }
    }
    (min_items, max_items)
}
