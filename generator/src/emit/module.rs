//! The whole client as one module of another crate ([`Layout::Module`]), for a build script: one
//! file holding `pub mod <name> { … }`, in which the crate's files are nested modules. The file is
//! meant for `include!` at the crate's root; since an `include!`d file cannot begin with inner
//! attributes, the client's documentation and lint settings go inside the module's braces.

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{Api, Layout};

use super::{client, emit_module, ident, manifest, EmittedFile, FilePlan};

/// The file of the client as the module [`Layout::Module`] names, as `<name>.rs`. `Err` when the
/// layout is not a module, or a runtime file does not read as Rust tokens (a generator bug).
pub fn emit_module_file(api: &Api) -> Result<EmittedFile, String> {
    let Layout::Module { modules } = &api.layout else {
        return Err("internal error: a module file asked of a crate layout".to_owned());
    };
    let Some(name) = modules.last() else {
        return Err("internal error: a module layout without a module".to_owned());
    };
    let root_text = super::root_text(api);

    let mut groups = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut runtime = BTreeMap::new();
    for plan in super::plan(api) {
        match plan {
            FilePlan::OperationGroup(index) => {
                let group = &api.operation_groups[index];
                groups.insert(group.name.clone(), client::emit_operation_group(group, api));
            }
            FilePlan::Module(index) => {
                let module = &api.modules[index];
                types.insert(module.name.clone(), emit_module(module, api));
            }
            FilePlan::Runtime(path, text) => {
                let stem = runtime_module_name(path);
                if stem == "strategies" && !api.layout.has_strategies() {
                    continue;
                }
                // The runtime is text, copied verbatim into a crate; any path of it through the
                // crate's root is re-rooted here, the rest of it names its modules relatively.
                // Its unit tests are the generator's, not the application's: left out.
                let text = text.replace("crate::runtime::", &format!("{root_text}::runtime::"));
                let tokens: TokenStream = text.parse().map_err(|error| {
                    format!("internal error: the runtime's {path} does not read as Rust: {error}")
                })?;
                runtime.insert(stem.to_owned(), without_test_modules(tokens));
            }
            FilePlan::Manifest
            | FilePlan::Readme
            | FilePlan::Lib
            | FilePlan::Client
            | FilePlan::ModelsMod
            | FilePlan::RuntimeMod
            // The public API's text is for the drift check of a checked-in crate.
            | FilePlan::Surface => {}
        }
    }

    let mut children = BTreeMap::from([
        (
            "client".to_owned(),
            with_bodies(client::emit_client(api), &mut groups),
        ),
        (
            "models".to_owned(),
            with_bodies(manifest::models_mod(api), &mut types),
        ),
        (
            "runtime".to_owned(),
            with_bodies(manifest::runtime_mod(api), &mut runtime),
        ),
    ]);
    let body = with_bodies(manifest::module_root(api), &mut children);
    let name = ident(name);
    Ok(EmittedFile {
        path: format!("{name}.rs"),
        content: super::Content::Rust(quote! {
            pub mod #name {
                #body
            }
        }),
    })
}

/// `src/runtime/error.rs` → `error`.
fn runtime_module_name(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".rs").unwrap_or(file)
}

/// `tokens` with each top-level `mod NAME;` whose name `bodies` holds turned into
/// `mod NAME { body }`, the body taken out of `bodies`: a crate's file-module declarations made
/// inline modules. Everything else is kept as it is.
fn with_bodies(tokens: TokenStream, bodies: &mut BTreeMap<String, TokenStream>) -> TokenStream {
    let mut out = TokenStream::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let is_mod = matches!(&tree, TokenTree::Ident(word) if word == "mod");
        out.extend([tree]);
        if !is_mod {
            continue;
        }
        let Some(TokenTree::Ident(name)) = trees.peek().cloned() else {
            continue;
        };
        trees.next();
        out.extend([TokenTree::Ident(name.clone())]);
        let ends = matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';');
        if let (true, Some(body)) = (ends, bodies.remove(&name.to_string())) {
            trees.next();
            out.extend([TokenTree::Group(Group::new(Delimiter::Brace, body))]);
        }
    }
    out
}

/// `tokens` without their top-level `#[cfg(test)] mod NAME { … }` items.
fn without_test_modules(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut index = 0;
    while index < trees.len() {
        if let [TokenTree::Punct(hash), TokenTree::Group(attribute), TokenTree::Ident(word), TokenTree::Ident(_), TokenTree::Group(body), ..] =
            &trees[index..]
        {
            let is_test_module = hash.as_char() == '#'
                && attribute.delimiter() == Delimiter::Bracket
                && attribute.stream().to_string() == quote!(cfg(test)).to_string()
                && word == "mod"
                && body.delimiter() == Delimiter::Brace;
            if is_test_module {
                index += 5;
                continue;
            }
        }
        out.extend([trees[index].clone()]);
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_get_their_bodies_and_the_rest_stays() {
        let mut bodies = BTreeMap::from([(
            "a".to_owned(),
            quote!(
                pub struct A;
            ),
        )]);
        let tokens = with_bodies(
            quote! { #[doc = " x"] pub mod a; mod b; pub use a::A; },
            &mut bodies,
        );
        assert_eq!(
            tokens.to_string(),
            quote! { #[doc = " x"] pub mod a { pub struct A; } mod b; pub use a::A; }.to_string()
        );
        assert!(bodies.is_empty());
    }

    #[test]
    fn test_modules_are_left_out() {
        let tokens = without_test_modules(quote! {
            pub fn kept() {}
            #[cfg(test)]
            mod tests { use super::*; }
            #[cfg(not(test))]
            mod other {}
        });
        assert_eq!(
            tokens.to_string(),
            quote! { pub fn kept() {} #[cfg(not(test))] mod other {} }.to_string()
        );
    }

    #[test]
    fn runtime_module_names_are_file_stems() {
        assert_eq!(runtime_module_name("src/runtime/transport.rs"), "transport");
    }
}
