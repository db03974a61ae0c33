//! Operations → the `Client` type: constructors from the spec's server and security schemes, and
//! one async method per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{
    Api, BodyEncoding, GroupLabel, Operation, OperationGroup, ParamLocation, RequestBody,
    ResponseHeaders, SecurityKind, Shape, StatusBody, StatusMatch, Success, TypeKind, TypeRef,
};

use super::pagination;
use super::params;
use super::rust_types::shape_type;
use super::validate::{self, Patterns};
use super::{doc_attrs, ident};

/// `src/client.rs`: the `Client` type, its construction and settings, and the modules of its
/// operations, whose response types it re-exports.
pub fn emit_client(api: &Api) -> TokenStream {
    let root = super::root(api);
    let schemes = api.security_schemes.iter().map(|scheme| {
        let key = &scheme.key;
        let how = match &scheme.kind {
            SecurityKind::ApiKeyQuery { name } => quote!(ApiKeyQuery(#name)),
            SecurityKind::ApiKeyHeader { name } => quote!(ApiKeyHeader(#name)),
            SecurityKind::ApiKeyCookie { name } => quote!(ApiKeyCookie(#name)),
            SecurityKind::Bearer => quote!(Bearer),
            SecurityKind::Basic => quote!(Basic),
        };
        quote!((#key, transport::SecurityScheme::#how))
    });
    let constructors = constructors(api);
    let blocking = blocking_client(api);
    let groups: Vec<_> = api
        .operation_groups
        .iter()
        .map(|group| ident(&group.name))
        .collect();
    // The groups whose operations have response types, which are re-exported here.
    let exporting = api
        .operation_groups
        .iter()
        .filter(|group| {
            group
                .operations
                .iter()
                .any(|index| api.operations[*index].has_response_types())
        })
        .map(|group| ident(&group.name));
    let title = format!(
        " A client of the {} (version {}).",
        api.name_in_prose, api.version
    );
    let api_docs = doc_attrs(api.docs.as_deref());
    quote! {
        //! The API client: construction and settings here, one async method per operation in the
        //! module of its tag, whose response types are re-exported here.

        use #root::runtime::transport;

        #(mod #groups;)*

        #(pub use #exporting::*;)*

        /// How each security scheme of the spec sends its secret.
        const SECURITY_SCHEMES: &[(&str, transport::SecurityScheme)] = &[#(#schemes),*];

        #[doc = #title]
        ///
        #api_docs
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: transport::Transport,
        }

        impl Client {
            #constructors

            /// A client with these settings.
            pub fn with_config(config: transport::ClientConfig) -> Result<Self, #root::runtime::error::Error> {
                Ok(Client {
                    transport: transport::Transport::new(config, SECURITY_SCHEMES)?,
                })
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }
        }

        #blocking
    }
}

/// `client::blocking`, behind the feature `blocking`: the client that blocks on the async one.
fn blocking_client(api: &Api) -> Option<TokenStream> {
    api.blocking.then(|| {
        quote! {
            /// The client as blocking calls, for programs without an async runtime: [`blocking::Client`]
            /// wraps the async [`Client`] with a current-thread tokio runtime of its own and blocks on
            /// each call. Called inside an async runtime, it panics, as tokio's `block_on` does.
            #[cfg(feature = "blocking")]
            pub mod blocking {
                /// A blocking client: one method per operation, each waiting for the async one.
                #[derive(Debug)]
                pub struct Client {
                    pub(crate) inner: super::Client,
                    pub(crate) runtime: ::tokio::runtime::Runtime,
                }

                impl Client {
                    /// Wraps `client` with a runtime of its own; `Err` when the operating system
                    /// refuses the runtime its resources.
                    pub fn new(client: super::Client) -> ::std::io::Result<Self> {
                        let runtime = ::tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()?;
                        Ok(Client { inner: client, runtime })
                    }

                    /// The async client it wraps.
                    pub fn inner(&self) -> &super::Client {
                        &self.inner
                    }
                }
            }
        }
    })
}

/// `src/client/<group>.rs`: the methods of one group's operations, in an `impl Client` block,
/// and their response types.
pub fn emit_operation_group(group: &OperationGroup, api: &Api) -> TokenStream {
    let root = super::root(api);
    let mut patterns = Patterns::default();
    let mut validates = false;
    let operations: Vec<&Operation> = group
        .operations
        .iter()
        .map(|index| &api.operations[*index])
        .collect();
    let mut blocking_methods = Vec::new();
    let methods = super::joined(operations.iter().flat_map(|op| {
        let (method, checks, blocking) = emit_operation(op, api, &mut patterns);
        validates |= checks;
        blocking_methods.push(blocking);
        let pages = op
            .pagination
            .as_ref()
            .and_then(|p| pagination::emit_pages_method(op, p, api));
        [method].into_iter().chain(pages)
    }));
    // The methods as one group, so that `quote!` below takes them whole instead of copying them.
    let methods = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, methods);
    let statics = patterns.statics();
    let uses_validation = validates.then(|| quote! { use #root::runtime::validation; });
    let responses = super::joined(operations.iter().flat_map(|op| {
        [
            status_enum(op, api),
            error_enum(op, api),
            headers_struct(op, api),
        ]
    }));
    let mut docs = match &group.label {
        GroupLabel::Tag(tag) => format!("The operations tagged `{tag}`."),
        GroupLabel::Path(segment) => format!("The operations on the paths under `{segment}`."),
        GroupLabel::Other => "The operations without a tag.".to_owned(),
    };
    if let GroupLabel::Tag(tag) = &group.label {
        if let Some(described) = api.tag_docs.get(tag) {
            docs.push_str("\n\n");
            docs.push_str(described);
        }
    }
    let docs = super::inner_doc_attrs(&docs);
    let head = quote! {
        #docs

        use super::Client;
        use #root::runtime::transport;
        #uses_validation

        #statics
    };
    let blocking = api.blocking.then(|| {
        quote! {
            #[cfg(feature = "blocking")]
            impl super::blocking::Client {
                #(#blocking_methods)*
            }
        }
    });
    super::joined([
        head,
        responses,
        quote! { impl Client #methods },
        blocking.unwrap_or_default(),
    ])
}

/// The parameters of `Client::config` and `Client::new` the spec decides: the base URL when the
/// spec names no server, and the secret when it has exactly one security scheme (`new` only).
pub fn constructor_params(api: &Api) -> (Option<TokenStream>, Option<TokenStream>) {
    let base_url = api
        .base_url
        .is_none()
        .then(|| quote!(base_url: impl Into<String>));
    let secret = match api.security_schemes.as_slice() {
        [scheme] => {
            let name = ident(&scheme.rust_name);
            let root = super::root(api);
            Some(quote!(#name: impl Into<#root::runtime::secret::Secret>))
        }
        _ => None,
    };
    (base_url, secret)
}

/// `DEFAULT_BASE_URL`, `config()` and `new(…)`, shaped by the spec's servers and security schemes.
fn constructors(api: &Api) -> TokenStream {
    let root = super::root(api);
    let (base_url_param, secret_param) = constructor_params(api);
    let base_param = base_url_param.map(|param| quote!(#param,));
    let (base_arg, base_value) = match &api.base_url {
        Some(_) => (None, quote!(Self::DEFAULT_BASE_URL)),
        None => (Some(quote!(base_url)), quote!(base_url)),
    };
    let default_url = api.base_url.as_ref().map(|url| {
        quote! {
            /// The server named by the spec.
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let defaults = &api.client_defaults;
    let timeout = defaults.timeout_seconds.unwrap_or(30);
    let mut settings = format!("no credentials, a {timeout} s timeout");
    if let Some(connect) = defaults.connect_timeout_seconds {
        settings.push_str(&format!(", a {connect} s connect timeout"));
    }
    if let Some(retries) = defaults.retries {
        settings.push_str(&format!(", at most {retries} retries"));
    }
    settings.push_str(", validation on.");
    let (config_docs, new_docs) = match &api.base_url {
        Some(_) => (
            format!(" The default settings: the spec's server ([`Self::DEFAULT_BASE_URL`]), {settings}"),
            " A client of the spec's server ([`Self::DEFAULT_BASE_URL`]) with the default settings.",
        ),
        None => (
            format!(" The default settings for `base_url`: {settings}"),
            " A client of `base_url` with the default settings.",
        ),
    };
    let timeout = defaults
        .timeout_seconds
        .map(Literal::u64_unsuffixed)
        .map(|seconds| quote!(.timeout(::std::time::Duration::from_secs(#seconds))));
    let connect_timeout = defaults
        .connect_timeout_seconds
        .map(Literal::u64_unsuffixed)
        .map(|seconds| quote!(.connect_timeout(::std::time::Duration::from_secs(#seconds))));
    let retries = defaults.retries.map(|retries| {
        let retries = Literal::u32_unsuffixed(retries);
        quote!(.retry_policy(#root::runtime::retry::RetryPolicy::default().max_retries(#retries)))
    });
    let (credential, secret_docs) = match api.security_schemes.as_slice() {
        [scheme] => {
            let name = ident(&scheme.rust_name);
            let key = &scheme.key;
            let how = match &scheme.kind {
                SecurityKind::ApiKeyQuery { name } => format!(
                    " `{}` is sent in the query parameter `{name}`.",
                    scheme.rust_name
                ),
                SecurityKind::ApiKeyHeader { name } => {
                    format!(" `{}` is sent in the header `{name}`.", scheme.rust_name)
                }
                SecurityKind::ApiKeyCookie { name } => {
                    format!(" `{}` is sent in the cookie `{name}`.", scheme.rust_name)
                }
                SecurityKind::Bearer => {
                    format!(" `{}` is sent as a bearer token.", scheme.rust_name)
                }
                SecurityKind::Basic => format!(
                    " `{}` is `user:password`, sent as HTTP basic authentication.",
                    scheme.rust_name
                ),
            };
            (
                Some(quote!(.credential(#key, #name))),
                Some(quote!(#[doc = ""] #[doc = #how])),
            )
        }
        _ => (None, None),
    };
    quote! {
        #default_url

        #[doc = #config_docs]
        pub fn config(#base_param) -> transport::ClientConfig {
            transport::ClientConfig::new(#base_value) #timeout #connect_timeout #retries
        }

        #[doc = #new_docs]
        #secret_docs
        pub fn new(#base_param #secret_param) -> Result<Self, #root::runtime::error::Error> {
            Self::with_config(Self::config(#base_arg) #credential)
        }
    }
}

/// An operation's method (two with documented response headers), and whether it validates its
/// request.
fn emit_operation(
    op: &Operation,
    api: &Api,
    patterns: &mut Patterns,
) -> (TokenStream, bool, TokenStream) {
    let root = super::root(api);
    let name = ident(&op.rust_name);
    let docs = doc_attrs(op.docs.as_deref());
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let operation_id = &op.operation_id;
    let args = operation_args(op, api);
    let mut checks = Vec::new();
    for param in &op.params {
        checks.extend(params::param_checks(param, api, patterns));
    }
    let body = op.body.as_ref().map(|body| {
        // Structured bodies are encoded by a fallible function of `body` (a path, or for a
        // multipart object a block of its parts); text and bytes by an infallible expression.
        enum Encoder {
            Path(TokenStream),
            Block(TokenStream),
            Raw(TokenStream),
        }
        let encoder = match &body.encoding {
            BodyEncoding::Json => Encoder::Path(quote!(transport::Body::json)),
            BodyEncoding::Form => Encoder::Path(quote!(transport::Body::form)),
            BodyEncoding::Multipart => match multipart_parts(&body.shape, api) {
                Some(parts) => Encoder::Block(parts),
                None => Encoder::Path(quote!(transport::Body::multipart)),
            },
            BodyEncoding::Text { content_type } | BodyEncoding::Binary { content_type } => {
                Encoder::Raw(quote!(transport::Body::raw(#content_type, body)))
            }
        };
        if !matches!(encoder, Encoder::Raw(_)) {
            let shape = Shape {
                nullable: !body.required || body.shape.nullable,
                ..body.shape.clone()
            };
            // `body` is a reference, or an `Option` of one when it may be left out.
            let value = if body.required {
                quote!(body)
            } else {
                quote!(&body)
            };
            checks.extend(validate::value_checks(value, &shape, patterns));
        }
        if body.required {
            match encoder {
                Encoder::Path(path) => quote!(Some(#path(body)?)),
                Encoder::Block(block) => quote!(Some(#block?)),
                Encoder::Raw(raw) => quote!(Some(#raw)),
            }
        } else {
            match encoder {
                Encoder::Path(path) => quote!(body.map(#path).transpose()?),
                Encoder::Block(block) => quote!(body.map(|body| #block).transpose()?),
                Encoder::Raw(raw) => quote!(body.map(|body| #raw)),
            }
        }
    });
    let body = body.unwrap_or_else(|| quote!(None));
    let validation = (!checks.is_empty()).then(|| {
        quote! {
            if self.transport.validates_requests() {
                let mut checked = validation::Validator::new();
                {
                    let validator = &mut checked;
                    #(#checks)*
                }
                checked.finish()?;
            }
        }
    });
    let method = ident(op.method.as_str());
    let (path_segments, path) = params::path_expr(op, api);
    let query = params::params_into(op, ParamLocation::Query, quote!(query), api);
    let headers = params::params_into(op, ParamLocation::Header, quote!(headers), api);
    let cookies = params::params_into(op, ParamLocation::Cookie, quote!(cookies), api);
    let security = op.security.iter().map(|keys| quote!(&[#(#keys),*]));
    let accept = &op.accept;
    let output = output_type(op, api);
    let finish = match &op.response {
        Success::Json(_) => quote!(self.transport.send_json(request).await),
        Success::Text => quote!(self.transport.send_text(request).await),
        Success::Bytes => quote!(self.transport.send_bytes(request).await),
        Success::Empty => quote!(self.transport.send_empty(request).await),
        Success::ByStatus { name, bodies } => {
            let name = ident(name);
            let arms = status_arms(&name, bodies);
            quote! {{
                let (status, body) = self.transport.send_raw(request).await?;
                match status {
                    #(#arms)*
                    _ => Err(#root::runtime::error::Error::Decode {
                        status,
                        path: String::from("."),
                        message: String::from("a 2xx status the spec does not document"),
                        body: #root::runtime::error::RawBody::new(body),
                    }),
                }
            }}
        }
    };
    let errors = error_docs(op, api);
    let idempotent = op.idempotent;
    let idempotence = if op.idempotent {
        " Repeating this call is safe."
    } else {
        " Not idempotent: repeating this call can create duplicates."
    };
    let request = quote! {
        #validation
        #query
        #headers
        #cookies
        #path_segments
        let request = transport::Request {
            operation: #operation_id,
            idempotent: #idempotent,
            method: ::reqwest::Method::#method,
            path: #path,
            query,
            headers,
            cookies,
            security: &[#(#security),*],
            accept: #accept,
            body: #body,
        };
    };
    let validates = validation.is_some();
    let call_args: Vec<_> = op
        .params
        .iter()
        .map(|param| ident(&param.rust_name))
        .chain(op.body.as_ref().map(|_| ident("body")))
        .collect();
    let blocking_docs = format!(" Blocks on [`Client::{}`].", op.rust_name);
    let allow_deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let blocking = quote! {
        #[doc = #blocking_docs]
        #deprecated
        #allow_deprecated
        pub fn #name(&self, #(#args),*) -> Result<#output, #root::runtime::error::Error> {
            self.runtime.block_on(self.inner.#name(#(#call_args),*))
        }
    };
    let Some(response_headers) = &op.response_headers else {
        let method = quote! {
            #docs
            ///
            #[doc = #idempotence]
            #errors
            #deprecated
            pub async fn #name(&self, #(#args),*) -> Result<#output, #root::runtime::error::Error> {
                #request
                #finish
            }
        };
        return (method, validates, blocking);
    };
    // With documented response headers, a second method returns them too. The plain method does
    // not read them, so a header it does not return cannot make it fail.
    let headers_type = ident(&response_headers.type_name);
    let with_name = ident(&response_headers.method_name);
    let with_finish = finish_with_headers(op, response_headers, api);
    let see_with = format!(
        " [`Client::{}`] also returns the response headers the spec documents.",
        response_headers.method_name
    );
    let with_docs = format!(
        " Like [`Client::{}`], and returns the documented response headers beside the body.",
        op.rust_name
    );
    let methods = quote! {
        #docs
        ///
        #[doc = #idempotence]
        #[doc = #see_with]
        #errors
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<#output, #root::runtime::error::Error> {
            #request
            #finish
        }

        #[doc = #with_docs]
        ///
        #[doc = #idempotence]
        #errors
        #deprecated
        pub async fn #with_name(&self, #(#args),*) -> Result<(#output, #headers_type), #root::runtime::error::Error> {
            #request
            #with_finish
        }
    };
    (methods, validates, blocking)
}

/// The argument of an operation's request body: a reference to its type (`str` for text,
/// `[u8]` for other bytes), in an `Option` when the body may be left out.
pub fn body_arg(body: &RequestBody, api: &Api) -> TokenStream {
    let ty = match &body.encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
            shape_type(&body.shape, api)
        }
        BodyEncoding::Text { .. } => quote!(str),
        BodyEncoding::Binary { .. } => quote!([u8]),
    };
    if body.required {
        quote!(body: &#ty)
    } else {
        quote!(body: Option<&#ty>)
    }
}

/// The arguments of an operation's method after `&self`: its parameters, then its body.
pub fn operation_args(op: &Operation, api: &Api) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| params::param_arg(p, api))
        .collect();
    args.extend(op.body.iter().map(|body| body_arg(body, api)));
    args
}

/// What an operation's method returns on success.
pub fn output_type(op: &Operation, api: &Api) -> TokenStream {
    match &op.response {
        Success::Json(shape) => shape_type(shape, api),
        Success::Text => quote!(String),
        Success::Bytes => quote!(Vec<u8>),
        Success::Empty => quote!(()),
        Success::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The match arms that decode `body` into the variant of its `status`.
fn status_arms(name: &proc_macro2::Ident, bodies: &[StatusBody]) -> Vec<TokenStream> {
    bodies
        .iter()
        .map(|b| {
            let status = Literal::u16_unsuffixed(b.status);
            let variant = ident(&b.rust_name);
            let value = match &b.body {
                Success::Json(_) => {
                    quote!(transport::decode_json(status, body).map(#name::#variant))
                }
                Success::Text => quote!(Ok(#name::#variant(transport::text(body)))),
                Success::Bytes => quote!(Ok(#name::#variant(body))),
                _ => quote!(Ok(#name::#variant)),
            };
            quote!(#status => #value,)
        })
        .collect()
}

/// The end of a `…_with_headers` method: the response, its documented headers, its body.
fn finish_with_headers(
    op: &Operation,
    response_headers: &ResponseHeaders,
    api: &Api,
) -> TokenStream {
    let root = super::root(api);
    let headers_type = ident(&response_headers.type_name);
    let fields = response_headers.headers.iter().map(|header| {
        let field = ident(&header.rust_name);
        let wire = &header.wire_name;
        quote!(#field: response.header(#wire)?)
    });
    let body = match &op.response {
        Success::Json(_) => {
            quote!(transport::decode_json(response.status, response.body)?)
        }
        Success::Text => quote!(transport::text(response.body)),
        Success::Bytes => quote!(response.body),
        Success::Empty => quote!(()),
        Success::ByStatus { name, bodies } => {
            let name = ident(name);
            let arms = status_arms(&name, bodies);
            quote! {{
                let (status, body) = (response.status, response.body);
                match status {
                    #(#arms)*
                    _ => Err(#root::runtime::error::Error::Decode {
                        status,
                        path: String::from("."),
                        message: String::from("a 2xx status the spec does not document"),
                        body: #root::runtime::error::RawBody::new(body),
                    }),
                }?
            }}
        }
    };
    quote! {
        let response = self.transport.send_response(request).await?;
        let headers = #headers_type { #(#fields,)* };
        Ok((#body, headers))
    }
}

/// The struct of the response headers an operation documents.
fn headers_struct(op: &Operation, api: &Api) -> TokenStream {
    let Some(response_headers) = &op.response_headers else {
        return quote!();
    };
    let name = ident(&response_headers.type_name);
    let docs = format!(
        " The response headers the spec documents for [`Client::{}`]; each is `None` when the \
         server did not send it.",
        response_headers.method_name
    );
    let fields = response_headers.headers.iter().map(|header| {
        let field = ident(&header.rust_name);
        let ty = super::rust_types::type_ref(&header.shape.ty, api);
        let text = match header.docs.as_deref() {
            Some(docs) => format!("`{}`: {docs}", header.wire_name),
            None => format!("`{}`.", header.wire_name),
        };
        let docs = doc_attrs(Some(&text));
        let deprecated = header.deprecated.then(|| quote!(#[deprecated]));
        quote!(#docs #deprecated pub #field: Option<#ty>)
    });
    quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields,)*
        }
    }
}

/// A `# Errors` section naming the body type of each documented non-2xx status, which
/// `Error::body_json` decodes.
fn error_docs(op: &Operation, api: &Api) -> TokenStream {
    let root = super::root_text(api);
    if op.errors.is_empty() {
        return quote!();
    }
    let how = match &op.error_type {
        Some(name) => format!(
            " `Error::Status` carries their body; [`Error::documented`]({root}::Error::documented)`::<{name}>()` decodes it as [`{name}`]:"
        ),
        None => " `Error::Status` carries their body, which `Error::body_json::<T>()` decodes:".to_owned(),
    };
    let mut lines = vec![
        String::new(),
        " # Errors".to_owned(),
        String::new(),
        " Besides transport and validation errors, the spec documents these responses; an"
            .to_owned(),
        how,
        String::new(),
    ];
    for error in &op.errors {
        let body = match error.shape.as_ref().map(|s| &s.ty) {
            Some(crate::ir::TypeRef::Named(id)) => {
                let name = &api.types[id].name;
                format!("[`{name}`]({root}::models::{name})")
            }
            Some(_) => "a JSON value".to_owned(),
            None => "no JSON body".to_owned(),
        };
        let description = error
            .docs
            .as_deref()
            .and_then(|d| d.lines().next())
            .map(|d| format!(" — {d}"))
            .unwrap_or_default();
        lines.push(format!(" - `{}`: {body}{description}", error.status));
    }
    quote!(#(#[doc = #lines])*)
}

/// The parts of a multipart body whose schema is an object with known properties: a part (or
/// none, or several) per field, file parts for `format: binary` fields, as a block whose value is
/// the `Result` of the encoding. `None` for any other schema, sent a text part per member.
fn multipart_parts(shape: &Shape, api: &Api) -> Option<TokenStream> {
    let root = super::root(api);
    let fields = match &shape.ty {
        TypeRef::Named(id) if !shape.nullable => match &api.types[id].kind {
            TypeKind::Struct(s) => &s.fields,
            _ => return None,
        },
        _ => return None,
    };
    let parts = fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let is_file = match &field.shape.ty {
            TypeRef::Binary => true,
            TypeRef::Array(items) => items.ty == TypeRef::Binary,
            _ => false,
        };
        if field.flatten {
            quote!(parts.members(&body.#name)?;)
        } else if is_file {
            quote!(parts.file(#wire, &body.#name);)
        } else {
            quote!(parts.text(#wire, &body.#name)?;)
        }
    });
    Some(quote!({
        let mut parts = #root::runtime::multipart::Parts::new();
        #(#parts)*
        Result::<_, #root::runtime::error::Error>::Ok(
            transport::Body::Multipart(parts),
        )
    }))
}

/// The enum of the error bodies an operation documents, and how a status picks its variant.
fn error_enum(op: &Operation, api: &Api) -> TokenStream {
    let root = super::root(api);
    let root_text = super::root_text(api);
    let Some(name) = &op.error_type else {
        return quote!();
    };
    let name = ident(name);
    if let Some(same_as) = &op.error_type_same_as {
        let docs = format!(
            " The error bodies the spec documents for [`Client::{}`], by status: the same as \
             for an earlier operation, so the same enum, [`{same_as}`](super::{same_as}).",
            op.rust_name
        );
        let same_as = ident(same_as);
        return quote! { #[doc = #docs] pub type #name = super::#same_as; };
    }
    let sharing: Vec<String> = api
        .operations
        .iter()
        .filter(|other| other.error_type_same_as.as_ref() == op.error_type.as_ref())
        .map(|other| format!("[`Client::{}`]", other.rust_name))
        .collect();
    let shared = match sharing.as_slice() {
        [] => String::new(),
        [one] => format!(" The same for {one}, whose error type is an alias of this one."),
        few if few.len() <= 3 => format!(
            " The same for {}, whose error types are aliases of this one.",
            few.join(", ")
        ),
        many => format!(
            " The same for {} other operations, whose error types are aliases of this one.",
            many.len()
        ),
    };
    let docs = format!(
        " The error bodies the spec documents for [`Client::{}`], by status.{shared} Read one \
         from an [`Error::Status`]({root_text}::Error::Status) with \
         [`Error::documented`]({root_text}::Error::documented).",
        op.rust_name
    );
    let typed: Vec<&crate::ir::ErrorResponse> =
        op.errors.iter().filter(|e| e.statuses.is_some()).collect();
    let variants = typed.iter().map(|error| {
        let variant = ident(&error.rust_name);
        let doc = match error.docs.as_deref().and_then(|d| d.lines().next()) {
            Some(description) => format!(" `{}`: {description}", error.status),
            None => format!(" `{}`.", error.status),
        };
        match &error.shape {
            Some(shape) => {
                let ty = shape_type(shape, api);
                quote!(#[doc = #doc] #variant(#ty))
            }
            None => quote!(#[doc = #doc] #variant),
        }
    });
    let mut has_default = false;
    let arms = typed.iter().map(|error| {
        let variant = ident(&error.rust_name);
        let pattern = match error.statuses {
            Some(StatusMatch::Code(code)) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            Some(StatusMatch::Class(class)) => {
                let low = Literal::u16_unsuffixed(class * 100);
                let high = Literal::u16_unsuffixed(class * 100 + 99);
                quote!(#low..=#high)
            }
            _ => {
                has_default = true;
                quote!(_)
            }
        };
        let value = match &error.shape {
            Some(_) => quote!(::serde_json::from_slice(body).map(Self::#variant)),
            None => quote!(Ok(Self::#variant)),
        };
        quote!(#pattern => Some(#value),)
    });
    let arms: Vec<TokenStream> = arms.collect();
    let rest = (!has_default).then(|| quote!(_ => None,));
    // Only `default`: every status gives the same variant.
    let decode = if let [only] = typed.as_slice() {
        if only.statuses == Some(StatusMatch::Default) {
            let variant = ident(&only.rust_name);
            let value = match &only.shape {
                Some(_) => quote!(::serde_json::from_slice(body).map(Self::#variant)),
                None => quote!(Ok(Self::#variant)),
            };
            Some(quote! { let _ = status; Some(#value) })
        } else {
            None
        }
    } else {
        None
    };
    let decode = decode.unwrap_or_else(|| {
        quote! {
            match status {
                #(#arms)*
                #rest
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
        }

        impl #root::runtime::error::DocumentedError for #name {
            fn from_status(
                status: u16,
                body: &[u8],
            ) -> Option<Result<Self, ::serde_json::Error>> {
                #decode
            }
        }
    }
}

/// The enum of an operation whose 2xx statuses carry different bodies.
fn status_enum(op: &Operation, api: &Api) -> TokenStream {
    let Success::ByStatus { name, bodies } = &op.response else {
        return quote!();
    };
    let name = ident(name);
    let docs = format!(
        " The success responses of [`Client::{}`], one variant per status.",
        op.rust_name
    );
    let variants = bodies.iter().map(|b| {
        let variant = ident(&b.rust_name);
        let doc = format!(" `{}`.", b.status);
        match &b.body {
            Success::Json(shape) => {
                let ty = shape_type(shape, api);
                quote!(#[doc = #doc] #variant(#ty))
            }
            Success::Text => quote!(#[doc = #doc] #variant(String)),
            Success::Bytes => quote!(#[doc = #doc] #variant(Vec<u8>)),
            _ => quote!(#[doc = #doc] #variant),
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
        }
    }
}
