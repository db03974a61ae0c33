//! Paths → operations: parameters, bodies, the success response and security.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use crate::diagnostics::Diagnostic;
use crate::names::{self, Namespace};
use crate::pointer::Pointer;
use crate::spec::{self, ParameterLocation};

use super::lower::Lowerer;
use super::read_ahead::PathItems;
use super::{
    docs, HttpMethod, Operation, Param, ParamLocation, ParamStyle, PathSegment, SecurityScheme,
    Shape,
};

impl Lowerer<'_> {
    /// Lowers every operation of every path, in document order; the path items are taken from
    /// `read_ahead` when they were read ahead ([`super::read_ahead`]).
    pub(super) fn lower_operations(
        &mut self,
        schemes: &[SecurityScheme],
        mut read_ahead: Option<PathItems>,
    ) -> Vec<Operation> {
        let mut method_names =
            Namespace::with_reserved(&["new", "config", "with_config", "base_url"]);
        let mut operation_ids: IndexMap<String, Pointer> = IndexMap::new();
        let mut operations = Vec::new();
        let paths = Pointer::root().join("paths");
        for path in self.document.paths.keys() {
            let item_at = paths.join(path);
            let item = match &mut read_ahead {
                // The reading thread ends only when every item is sent, or it panicked (which
                // the end of its scope passes on).
                Some(items) => items
                    .next()
                    .and_then(|read| self.checked_read(&item_at, read)),
                None => self.read_checked(&item_at, |kept| kept.paths.get(path)),
            };
            let Some(item) = item else {
                continue;
            };
            // A path item may be a reference (to another file, typically); its operations are
            // then where it leads.
            let Some((item, path_at)) = self.follow_owned(item, &paths.join(path)) else {
                continue;
            };
            let item = &item;
            for (method, op) in item.operations() {
                let at = path_at.join(method);
                let operation_id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{method} {path}"));
                if let Some(first) = operation_ids.get(&operation_id) {
                    self.error(Diagnostic::error(
                        &at.join("operationId"),
                        format!("duplicate operationId `{operation_id}`, first used at {first}"),
                    ));
                    continue;
                }
                operation_ids.insert(operation_id.clone(), at.clone());
                if op.codegen_skip || !self.settings.selection.selects(&op.tags, &operation_id) {
                    continue;
                }
                let rust_name = method_names.claim(&names::snake_name(&operation_id));
                if let Some(operation) = self.lower_operation(
                    OperationSite {
                        path,
                        path_at: &path_at,
                        method,
                        item,
                        op,
                        at: &at,
                    },
                    operation_id,
                    rust_name,
                    schemes,
                ) {
                    let mut operation = operation;
                    if let Some(headers) = &mut operation.response_headers {
                        headers.method_name = method_names.claim(&names::snake_name(&format!(
                            "{} with headers",
                            operation.rust_name
                        )));
                    }
                    if let Some(pagination) = &mut operation.pagination {
                        pagination.rust_name = method_names.claim(&names::snake_name(&format!(
                            "{} pages",
                            operation.rust_name
                        )));
                    }
                    operations.push(operation);
                }
            }
        }
        for setting in &self.settings.selection.exclude_operations {
            if !operation_ids.contains_key(&setting.value) {
                self.error(setting.place.error(format!(
                    "`{}`: there is no operation with the operationId `{}`",
                    setting.place.key(),
                    setting.value
                )));
            }
        }
        operations
    }

    fn lower_operation(
        &mut self,
        site: OperationSite<'_>,
        operation_id: String,
        rust_name: String,
        schemes: &[SecurityScheme],
    ) -> Option<Operation> {
        let OperationSite {
            path,
            path_at,
            method,
            item,
            op,
            at,
        } = site;
        let type_hint = names::type_name(&operation_id);
        let params = self.lower_params(item, op, (path_at, at), &type_hint);
        let path_segments = self.parse_path(path, &params, at)?;
        let body = op
            .request_body
            .as_ref()
            .and_then(|body| self.lower_body(body, &at.join("requestBody"), &type_hint));
        let (response, accept) = self.lower_success_response(op, &at.join("responses"), &type_hint);
        let security = self.operation_security(op, at, schemes);
        let http_method = http_method(method);
        let route = format!(
            "`{} {path}` (operationId `{operation_id}`, `{}`)",
            method.to_uppercase(),
            at.in_source()
        );
        let errors = self.lower_error_responses(op, &at.join("responses"), &type_hint);
        let error_type = self.error_type_name(&errors, &type_hint);
        let response_headers = self.lower_response_headers(op, &at.join("responses"), &type_hint);
        let pagination = match &op.pagination {
            Some(_) if !params.is_empty() => {
                self.error(Diagnostic::warning(
                    &at.join("x-pagination"),
                    "page walkers are generated for operations without parameters only",
                ));
                None
            }
            Some(spec) => self.lower_pagination(
                spec,
                body.as_ref(),
                response.json(),
                &at.join("x-pagination"),
            ),
            None => None,
        };
        Some(Operation {
            rust_name,
            operation_id,
            tag: op.tags.first().cloned(),
            origin: at.clone(),
            docs: docs::join(&[
                op.summary.as_deref(),
                op.description.as_deref(),
                Some(&route),
            ]),
            method: http_method,
            path: path_segments,
            params,
            body,
            response,
            security,
            accept,
            idempotent: op
                .idempotent
                .unwrap_or(!matches!(http_method, HttpMethod::Post | HttpMethod::Patch)),
            deprecated: op.deprecated,
            pagination,
            errors,
            error_type,
            error_type_same_as: None,
            response_headers,
            usage: None,
        })
    }

    fn lower_params(
        &mut self,
        item: &spec::PathItem,
        op: &spec::Operation,
        (path_at, at): (&Pointer, &Pointer),
        hint: &str,
    ) -> Vec<Param> {
        // Operation parameters override path-item parameters with the same name and location.
        let mut merged: IndexMap<(String, String), (spec::Parameter, Pointer)> = IndexMap::new();
        let sources = [
            (&item.parameters, path_at.join("parameters")),
            (&op.parameters, at.join("parameters")),
        ];
        for (list, list_at) in sources {
            for (index, parameter) in list.iter().enumerate() {
                let param_at = list_at.join(index.to_string());
                let Some((resolved, resolved_at)) = self.follow(parameter, &param_at) else {
                    continue;
                };
                let key = (
                    resolved.name.clone().unwrap_or_default(),
                    format!("{:?}", resolved.location),
                );
                merged.insert(key, (resolved.into_owned(), resolved_at));
            }
        }
        // The generated method's own locals cannot be parameter names.
        let mut arg_names = Namespace::with_reserved(&[
            "body",
            "self",
            "query",
            "headers",
            "cookies",
            "path",
            "request",
            "checked",
            "validator",
            "value",
            "item",
            "index",
            "key",
        ]);
        let mut params = Vec::new();
        for (parameter, param_at) in merged.into_values() {
            let (Some(name), Some(location)) = (&parameter.name, parameter.location) else {
                self.error(Diagnostic::error(
                    &param_at,
                    "a parameter needs `name` and `in`",
                ));
                continue;
            };
            let location = match location {
                ParameterLocation::Path => ParamLocation::Path,
                ParameterLocation::Query => ParamLocation::Query,
                ParameterLocation::Header => ParamLocation::Header,
                ParameterLocation::Cookie => ParamLocation::Cookie,
            };
            let shape = match &parameter.schema {
                Some(schema) => {
                    self.lower_schema(schema, &param_at.join("schema"), &format!("{hint} {name}"))
                }
                None => Shape::plain(super::TypeRef::String),
            };
            let example = param_example(&parameter, &shape, &self.types);
            params.push(Param {
                rust_name: arg_names.claim(&names::snake_name(name)),
                wire_name: name.clone(),
                location,
                shape,
                required: parameter.required || location == ParamLocation::Path,
                docs: docs::join(&[parameter.description.as_deref()]),
                style: param_style(parameter.style.as_deref(), parameter.explode, location),
                example,
            });
        }
        params
    }

    /// Splits `/pets/{petId}` into literals and parameter indices.
    fn parse_path(
        &mut self,
        path: &str,
        params: &[Param],
        at: &Pointer,
    ) -> Option<Vec<PathSegment>> {
        let mut segments = Vec::new();
        let mut rest = path;
        let mut used = BTreeSet::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(Diagnostic::error(
                    at,
                    format!("unclosed `{{` in path `{path}`"),
                ));
                return None;
            };
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(index) => {
                    used.insert(index);
                    segments.push(PathSegment::Param(index));
                }
                None => {
                    self.error(Diagnostic::error(
                        at,
                        format!("path parameter `{name}` of `{path}` is not declared"),
                    ));
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for (index, param) in params.iter().enumerate() {
            if param.location == ParamLocation::Path && !used.contains(&index) {
                self.error(Diagnostic::error(
                    at,
                    format!(
                        "path parameter `{}` does not appear in `{path}`",
                        param.wire_name
                    ),
                ));
            }
        }
        Some(segments)
    }

    fn operation_security(
        &mut self,
        op: &spec::Operation,
        at: &Pointer,
        schemes: &[SecurityScheme],
    ) -> Vec<Vec<String>> {
        let (requirements, requirements_at) = match &op.security {
            Some(own) => (own, at.join("security")),
            None => match &self.document.security {
                Some(default) => (default, Pointer::root().join("security")),
                None => return Vec::new(),
            },
        };
        let mut alternatives = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let mut keys = Vec::new();
            for key in requirement.keys() {
                if schemes.iter().any(|s| &s.key == key) {
                    keys.push(key.clone());
                } else if !self.document.components.security_schemes.contains_key(key) {
                    self.error(Diagnostic::error(
                        &requirements_at.join(index.to_string()).join(key),
                        format!("security requirement names an undeclared scheme `{key}`"),
                    ));
                }
            }
            alternatives.push(keys);
        }
        alternatives
    }
}

/// Where an operation is: its path, method and the objects around it.
struct OperationSite<'a> {
    path: &'a str,
    path_at: &'a Pointer,
    method: &'static str,
    item: &'a spec::PathItem,
    op: &'a spec::Operation,
    at: &'a Pointer,
}

/// The style a parameter is written in: the one it names, or its location's default (`simple`
/// for path and header, `form` for query and cookie); `explode` defaults to true for `form` only.
fn param_style(style: Option<&str>, explode: Option<bool>, location: ParamLocation) -> ParamStyle {
    let by_location = match location {
        ParamLocation::Path | ParamLocation::Header => "simple",
        ParamLocation::Query | ParamLocation::Cookie => "form",
    };
    let style = match style {
        Some(
            known @ ("simple" | "form" | "matrix" | "label" | "spaceDelimited" | "pipeDelimited"
            | "deepObject"),
        ) => known,
        _ => by_location,
    };
    let explode = explode.unwrap_or(style == "form");
    match style {
        "simple" => ParamStyle::Simple { explode },
        "matrix" => ParamStyle::Matrix { explode },
        "label" => ParamStyle::Label { explode },
        "spaceDelimited" => ParamStyle::SpaceDelimited { explode },
        "pipeDelimited" => ParamStyle::PipeDelimited { explode },
        "deepObject" => ParamStyle::DeepObject,
        _ => ParamStyle::Form { explode },
    }
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Trace,
    }
}

/// The parameter's first example that fits it: its own `example` and `examples`, then its
/// schema's `example`, `examples` (a list) and `default`.
fn param_example(
    parameter: &spec::Parameter,
    shape: &Shape,
    types: &std::collections::BTreeMap<super::TypeId, super::TypeDef>,
) -> Option<serde_json::Value> {
    let schema = parameter.schema.as_ref();
    let schema_examples = schema
        .and_then(|s| s.examples.as_ref())
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten();
    let candidates = parameter
        .example
        .iter()
        .chain(parameter.examples.values().filter_map(|e| e.value.as_ref()))
        .chain(schema.and_then(|s| s.example.as_ref()))
        .chain(schema_examples)
        .chain(schema.and_then(|s| s.default.as_ref()));
    super::example::first_fitting(candidates, shape, types)
}
