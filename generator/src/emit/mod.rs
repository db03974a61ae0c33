//! Stage 3: IR → token streams and texts, one `emit_*` per IR kind. No I/O, no decisions: every
//! name, type and attribute comes from the IR.

mod client;
mod enums;
mod example;
mod manifest;
mod module;
mod pagination;
mod params;
mod rust_types;
mod strategies;
mod structs;
pub mod surface;
mod unions;
mod validate;

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Module, TypeDef, TypeKind};
use crate::render::Options;

pub use module::emit_module_file;

/// The runtime modules, copied into every generated crate verbatim; `src/runtime/mod.rs` is
/// emitted, since it lists the optional ones.
macro_rules! runtime_files {
    ($($file:literal),* $(,)?) => {
        &[$((concat!("src/runtime/", $file), include_str!(concat!("../../runtime/", $file)))),*]
    };
}

const RUNTIME: &[(&str, &str)] = runtime_files!(
    "error.rs",
    "lenient.rs",
    "multipart.rs",
    "pagination.rs",
    "retry.rs",
    "secret.rs",
    "strategies.rs",
    "tagged.rs",
    "transport.rs",
    "validation.rs",
);

/// The runtime module of `format: byte`, copied only into crates whose spec uses it.
const BYTES_RUNTIME: &[(&str, &str)] = runtime_files!("bytes.rs");
/// The runtime module of `date-time` with the `time` crate, copied only then.
const DATETIME_RUNTIME: &[(&str, &str)] = runtime_files!("datetime.rs");

/// What one generated file holds before formatting.
pub enum Content {
    /// Rust code, formatted by prettyplease.
    Rust(TokenStream),
    /// Rust code copied as it is (the runtime).
    RustVerbatim(&'static str),
    /// TOML, as it is.
    Toml(String),
    /// Plain text whose comments start with `#`, as it is.
    Text(String),
    /// Markdown with Rust examples, each formatted and shown as a doctest.
    Markdown(Vec<MarkdownPart>),
}

/// A piece of a Markdown file.
pub enum MarkdownPart {
    /// Text, as it is.
    Text(String),
    /// An example: an `async fn example(…) -> Result<(), Error>` whose body the README shows as a
    /// doctest block, its first and last lines and its `Ok(())` hidden.
    Example(TokenStream),
}

/// A generated file: its path relative to the crate's root, and its content.
pub struct EmittedFile {
    /// `src/models/client_record.rs`.
    pub path: String,
    /// What it holds.
    pub content: Content,
}

/// One file of the crate, before it is emitted: the plan lets files be emitted (and formatted)
/// independently, on several threads.
#[derive(Debug, Clone, Copy)]
pub enum FilePlan {
    /// `Cargo.toml`.
    Manifest,
    /// `README.md`.
    Readme,
    /// `src/lib.rs`.
    Lib,
    /// `src/client.rs`.
    Client,
    /// `src/models/mod.rs`.
    ModelsMod,
    /// `src/runtime/mod.rs`.
    RuntimeMod,
    /// `public-api.txt`: the crate's public API, which `check` compares.
    Surface,
    /// A verbatim runtime file: its path and text.
    Runtime(&'static str, &'static str),
    /// The file of the types of `api.modules[index]`.
    Module(usize),
    /// The file of the operations of `api.operation_groups[index]`.
    OperationGroup(usize),
}

/// Every file of the crate for `api`.
pub fn plan(api: &Api) -> Vec<FilePlan> {
    let mut plans = vec![
        FilePlan::Manifest,
        FilePlan::Readme,
        FilePlan::Lib,
        FilePlan::Client,
        FilePlan::ModelsMod,
        FilePlan::RuntimeMod,
        FilePlan::Surface,
    ];
    let bytes = if api.format_crates.base64 {
        BYTES_RUNTIME
    } else {
        &[]
    };
    let datetime = if api.format_crates.time {
        DATETIME_RUNTIME
    } else {
        &[]
    };
    plans.extend(
        RUNTIME
            .iter()
            .chain(bytes)
            .chain(datetime)
            .map(|(path, text)| FilePlan::Runtime(path, text)),
    );
    plans.extend((0..api.operation_groups.len()).map(FilePlan::OperationGroup));
    plans.extend((0..api.modules.len()).map(FilePlan::Module));
    plans
}

/// How the planned files are shared among threads (see `schedule.rs`); the output does not
/// depend on it.
pub struct WorkOrder {
    /// Indices into the plan, the heaviest first, so that no thread is left with a large file at
    /// the end while the others idle.
    pub order: Vec<usize>,
    /// By plan index: whether the file is one of the heavy ones, which are made one at a time to
    /// bound the memory: more than a sixteenth of the crate.
    pub heavy: Vec<bool>,
}

/// The [`WorkOrder`] of the planned files. The weight is a rough count of what a file holds
/// (fields and variants of its types, parameters of its operations).
pub fn work_order(plans: &[FilePlan], api: &Api) -> WorkOrder {
    let weight = |plan: &FilePlan| -> usize {
        match plan {
            FilePlan::Runtime(..) => 0,
            FilePlan::Module(index) => api.modules[*index]
                .types
                .iter()
                .map(|id| {
                    1 + match &api.types[id].kind {
                        TypeKind::Struct(s) => s.fields.len(),
                        TypeKind::Enum(e) => e.variants.len(),
                        TypeKind::Union(u) => u.variants.len(),
                        TypeKind::Alias(_) => 0,
                    }
                })
                .sum(),
            // A declaration and a re-export per module and type.
            FilePlan::ModelsMod => api.modules.len() + api.types.len(),
            // A line per type and per field, variant and operation.
            FilePlan::Surface => api.types.len() + api.operations.len(),
            // A row and a formatted example per operation, with a value per parameter (Stripe's
            // takes about as long as its largest operation group: made last, it kept one core
            // busy after the other had finished).
            FilePlan::Readme => api.operations.iter().map(|op| 1 + op.params.len()).sum(),
            FilePlan::OperationGroup(index) => api.operation_groups[*index]
                .operations
                .iter()
                .map(|op| 8 + api.operations[*op].params.len())
                .sum(),
            _ => 1,
        }
    };
    let weights: Vec<usize> = plans.iter().map(weight).collect();
    let total: usize = weights.iter().sum();
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by_key(|index| std::cmp::Reverse(weights[*index]));
    WorkOrder {
        order,
        heavy: weights.iter().map(|weight| weight * 16 > total).collect(),
    }
}

/// Emits one planned file.
pub fn emit_file(plan: FilePlan, api: &Api, options: &Options) -> EmittedFile {
    let (path, content) = match plan {
        FilePlan::Manifest => (
            "Cargo.toml".to_owned(),
            Content::Toml(manifest::cargo_toml(api, options)),
        ),
        FilePlan::Readme => ("README.md".to_owned(), manifest::readme(api, options)),
        FilePlan::Lib => (
            "src/lib.rs".to_owned(),
            Content::Rust(manifest::lib_rs(api)),
        ),
        FilePlan::Client => (
            "src/client.rs".to_owned(),
            Content::Rust(client::emit_client(api)),
        ),
        FilePlan::ModelsMod => (
            "src/models/mod.rs".to_owned(),
            Content::Rust(manifest::models_mod(api)),
        ),
        FilePlan::RuntimeMod => (
            "src/runtime/mod.rs".to_owned(),
            Content::Rust(manifest::runtime_mod(api)),
        ),
        FilePlan::Surface => (
            crate::surface::SURFACE_FILE.to_owned(),
            Content::Text(surface::surface(api).to_text()),
        ),
        FilePlan::Runtime(path, text) => (path.to_owned(), Content::RustVerbatim(text)),
        FilePlan::OperationGroup(index) => {
            let group = &api.operation_groups[index];
            (
                format!("src/client/{}.rs", group.name),
                Content::Rust(client::emit_operation_group(group, api)),
            )
        }
        FilePlan::Module(index) => {
            let module = &api.modules[index];
            (
                format!("src/models/{}.rs", module.name),
                Content::Rust(emit_module(module, api)),
            )
        }
    };
    EmittedFile { path, content }
}

/// Emits every file of the crate for `api`, in plan order.
pub fn emit(api: &Api, options: &Options) -> Vec<EmittedFile> {
    plan(api)
        .into_iter()
        .map(|plan| emit_file(plan, api, options))
        .collect()
}

/// The file of one module: the runtime modules its impls name, the other generated types it names,
/// the regular expressions its types check, then each type. Every type but an alias has a
/// `Validate` and an `Arbitrary` impl.
fn emit_module(module: &Module, api: &Api) -> TokenStream {
    let mut patterns = validate::Patterns::default();
    let named = RefCell::new(BTreeSet::new());
    let naming = rust_types::Naming::Imported(&named);
    let types = joined(
        module
            .types
            .iter()
            .map(|id| emit_type(&api.types[id], api, naming, &mut patterns)),
    );
    let has_impls = module
        .types
        .iter()
        .any(|id| !matches!(api.types[id].kind, TypeKind::Alias(_)));
    let root = root(api);
    let strategies = (has_impls && api.layout.has_strategies()).then(|| {
        // The `Arbitrary` impls call the `Strategy` trait's methods (`prop_map`, `boxed`).
        quote! {
            #[cfg(feature = "proptest")]
            use #root::runtime::strategies;
            #[cfg(feature = "proptest")]
            use ::proptest::strategy::Strategy as _;
        }
    });
    let mut named = named.into_inner();
    for id in &module.types {
        named.remove(&api.types[id].name);
    }
    let names: Vec<Ident> = named.iter().map(|name| ident(name)).collect();
    let imports = match names.as_slice() {
        [] => None,
        [name] => Some(quote! { use #root::models::#name; }),
        names => Some(quote! { use #root::models::{#(#names),*}; }),
    };
    let validation = has_impls.then(|| quote! { use #root::runtime::validation; });
    let statics = patterns.statics();
    joined([quote! { #validation #imports #strategies #statics }, types])
}

/// The streams one after the other. Unlike interpolation in `quote!`, which copies every token of
/// what it interpolates, this moves them: a large file's tokens are never held twice.
pub fn joined(streams: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let mut all = TokenStream::new();
    all.extend(streams);
    all
}

/// One named type: the type, its impls, and (feature `proptest`) its `Arbitrary` impl beside it.
fn emit_type(
    def: &TypeDef,
    api: &Api,
    naming: rust_types::Naming<'_>,
    patterns: &mut validate::Patterns,
) -> TokenStream {
    let body = match &def.kind {
        TypeKind::Struct(s) => structs::emit_struct(def, s, api, naming, patterns),
        TypeKind::Enum(e) => enums::emit_enum(def, e, api),
        TypeKind::Union(u) => unions::emit_union(def, u, api, naming, patterns),
        TypeKind::Alias(shape) => {
            let name = ident(&def.name);
            let docs = type_docs(def);
            let ty = rust_types::shape_type_named(shape, api, naming);
            quote! { #docs pub type #name = #ty; }
        }
    };
    let arbitrary = strategies::arbitrary(def, api);
    joined(std::iter::once(body).chain(arbitrary))
}

/// The path generated code names its own items by ([`crate::ir::Layout`]): `crate`, or
/// `crate::<module>` for a module written by a build script.
pub fn root(api: &Api) -> TokenStream {
    let modules = api.layout.modules().iter().map(|name| ident(name));
    quote!(crate #(::#modules)*)
}

/// [`root`] as text, for doc links and the paths in attribute strings.
pub fn root_text(api: &Api) -> String {
    std::iter::once("crate")
        .chain(api.layout.modules().iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::")
}

/// An identifier the IR has already made valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` lines for optional documentation.
pub fn doc_attrs(docs: Option<&str>) -> TokenStream {
    let lines = doc_lines(docs);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc]` attributes (a module's `//!` documentation), one per line of `docs`.
pub fn inner_doc_attrs(docs: &str) -> TokenStream {
    let lines = doc_lines(Some(docs));
    quote! { #(#![doc = #lines])* }
}

/// Each line of `docs` as a doc attribute's text, after the space a `///` or `//!` comment has.
fn doc_lines(docs: Option<&str>) -> impl Iterator<Item = Literal> + '_ {
    docs.into_iter()
        .flat_map(str::lines)
        .map(|line| doc_literal(&format!(" {line}")))
}

/// A doc comment's text as a raw string literal (`r#"…"#`), which the formatter reads back by
/// slicing rather than unescaping char by char: the same comment, for less work on a large
/// spec's prose. A text a raw string cannot hold (a carriage return) is an escaped literal.
fn doc_literal(text: &str) -> Literal {
    if text.contains('\r') {
        return Literal::string(text);
    }
    // One `#` more than the longest run of them after a quote, so that no `"#…` ends it early.
    let mut hashes = 0;
    let mut rest = text;
    while let Some(quote) = rest.find('"') {
        rest = &rest[quote + 1..];
        let run = rest.len() - rest.trim_start_matches('#').len();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// The documentation of a named type: its spec text and where it comes from.
/// A second `#[derive]` with the type's extra derives (the configuration's and the schema's),
/// nothing when it has none. The IR checked that each is a Rust path.
pub fn extra_derives(def: &TypeDef) -> TokenStream {
    if def.derives.is_empty() {
        return TokenStream::new();
    }
    let paths = def.derives.iter().map(|derive| {
        syn::parse_str::<syn::Path>(derive)
            .map(|path| quote!(#path))
            .unwrap_or_default()
    });
    quote! { #[derive(#(#paths),*)] }
}

pub fn type_docs(def: &TypeDef) -> TokenStream {
    let origin = format!("Generated from `{}`.", def.origin.in_source());
    let text = match &def.docs {
        Some(docs) => format!("{docs}\n\n{origin}"),
        None => origin,
    };
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let docs = doc_attrs(Some(&text));
    quote! { #docs #deprecated }
}

#[cfg(test)]
mod tests {
    use super::doc_literal;

    #[test]
    fn a_doc_literal_reads_back_as_its_text() {
        for text in [
            " plain prose",
            r#" a "quoted" word, a \backslash and \n as written"#,
            r####" ends a raw string early: "# and "## and "###"####,
            " \"",
            " Кириллица и эмодзи 🏠",
            " a carriage\rreturn",
            "",
        ] {
            let literal = doc_literal(text);
            let parsed: syn::LitStr = syn::parse2(quote::quote!(#literal))
                .unwrap_or_else(|error| panic!("{text:?} made {literal}: {error}"));
            assert_eq!(parsed.value(), text);
        }
        // Raw where a raw string can hold the text: it is read back by slicing.
        assert!(doc_literal(" x \"# y").to_string().starts_with("r##\""));
        assert!(doc_literal(" a\rb").to_string().starts_with('"'));
    }

    #[test]
    fn the_readme_weighs_as_much_as_its_operations_examples() {
        // Twenty operations with a parameter each, and one small model: the README, which
        // formats an example per operation, comes before the model, not last.
        let mut paths = String::new();
        for index in 0..20 {
            paths.push_str(&format!(
                "  /items{index}/{{id}}:\n    get:\n      operationId: get{index}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '204': {{description: done}}\n"
            ));
        }
        let api = crate::ir::lowered(&format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    Small:\n      type: object\n      properties:\n        a: {{type: string}}\n"
        ));
        let plans = super::plan(&api);
        let work = super::work_order(&plans, &api);
        let position = |wanted: fn(&super::FilePlan) -> bool| {
            work.order
                .iter()
                .position(|index| wanted(&plans[*index]))
                .expect("the file is planned")
        };
        let readme = position(|plan| matches!(plan, super::FilePlan::Readme));
        let model = position(|plan| matches!(plan, super::FilePlan::Module(_)));
        assert!(readme < model, "README at {readme}, the model at {model}");
    }
}
