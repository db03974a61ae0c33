//! The page walker of a list operation (`x-pagination`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{Api, Operation, Pagination};

use super::ident;
use super::rust_types::shape_type;

/// `<operation>_pages(&self, body)`: a [`Pages`] over the operation's items.
pub fn emit_pages_method(
    op: &Operation,
    pagination: &Pagination,
    api: &Api,
) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let body_type = shape_type(&body.shape, api);
    let item_type = shape_type(&pagination.item, api);
    let root = super::root(api);
    let name = ident(&pagination.rust_name);
    let operation = ident(&op.rust_name);
    let limit = ident(&pagination.limit_field);
    let offset = ident(&pagination.offset_field);
    let items = ident(&pagination.items_field);
    let default = pagination.default_limit.map(Literal::i64_unsuffixed);
    let page_size = match (pagination.limit_optional, &default) {
        (true, Some(default)) => quote!(body.#limit.or(Some(#default))),
        (true, None) => quote!(body.#limit),
        (false, _) => quote!(Some(body.#limit)),
    };
    let (start, set_offset) = if pagination.offset_optional {
        (
            quote!(body.#offset.unwrap_or(0)),
            quote!(request.#offset = Some(offset)),
        )
    } else {
        (quote!(body.#offset), quote!(request.#offset = offset))
    };
    let take_items = if pagination.items_optional {
        quote!(response.#items.unwrap_or_default())
    } else {
        quote!(response.#items)
    };
    let docs = format!(
        " Walks the pages of [`Self::{}`]: the offset advances by the items received, and the walk stops at the first page shorter than the page size (`{}`{}).",
        op.rust_name,
        pagination.limit_field,
        pagination.default_limit.map(|d| format!(", {d} when left out")).unwrap_or_default(),
    );
    Some(quote! {
        #[doc = #docs]
        pub fn #name(&self, body: &#body_type) -> #root::runtime::pagination::Pages<'_, #body_type, #item_type> {
            let page_size = #page_size;
            let start = #start;
            #root::runtime::pagination::Pages::new(
                body.clone(),
                start,
                page_size,
                |request: &mut #body_type, offset: i64| #set_offset,
                move |request: #body_type| {
                    Box::pin(async move {
                        self.#operation(&request).await.map(|response| #take_items)
                    })
                },
            )
        }
    })
}
