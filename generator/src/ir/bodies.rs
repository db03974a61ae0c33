//! Request bodies and success responses: which media type is used and what Rust type it gets.

use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;
use crate::spec::{self, MediaType};

use super::lower::Lowerer;
use crate::names::{self, Namespace};

use super::{
    docs, BodyEncoding, ErrorResponse, RequestBody, ResponseHeader, ResponseHeaders, Shape,
    StatusBody, StatusMatch, Success, TypeRef,
};

/// The essence of a media type: lower case, without parameters.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type carries JSON.
pub(super) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// How a request body of this media type is encoded.
fn encoding_of(media_type: &str) -> BodyEncoding {
    let essence = essence(media_type);
    if is_json(&essence) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence.starts_with("text/") {
        BodyEncoding::Text {
            content_type: essence,
        }
    } else {
        BodyEncoding::Binary {
            content_type: essence,
        }
    }
}

/// The preferred content of a body: JSON, then form, multipart, text, then anything else.
fn preferred(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    let rank = |media: &str| match encoding_of(media) {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text { .. } => 3,
        BodyEncoding::Binary { .. } => 4,
    };
    content.iter().min_by_key(|(media, _)| rank(media))
}

impl Lowerer<'_> {
    /// Lowers a request body in its preferred media type. Structured encodings (JSON, form,
    /// multipart) type the body from its schema; text and binary bodies are `&str` and `&[u8]`.
    pub(super) fn lower_body(
        &mut self,
        body: &spec::RequestBody,
        at: &Pointer,
        hint: &str,
    ) -> Option<RequestBody> {
        let (body, at) = self.follow(body, at)?;
        let Some((media_type, content)) = preferred(&body.content) else {
            self.error(Diagnostic::warning(
                &at.join("content"),
                "a request body without content is not sent",
            ));
            return None;
        };
        let encoding = encoding_of(media_type);
        let content_at = at.join("content").join(media_type);
        let shape = match (&encoding, &content.schema) {
            (BodyEncoding::Text { .. }, _) => Shape::plain(TypeRef::String),
            (BodyEncoding::Binary { .. }, _) => Shape::plain(TypeRef::Any),
            (_, Some(schema)) => self.lower_schema(
                schema,
                &content_at.join("schema"),
                &format!("{hint} Request"),
            ),
            (_, None) => Shape::plain(TypeRef::Any),
        };
        let candidates = content
            .example
            .iter()
            .chain(content.examples.values().filter_map(|e| e.value.as_ref()));
        let example = candidates
            .into_iter()
            .find(|value| super::example::fits(value, &shape, &self.types))
            .cloned();
        Some(RequestBody {
            shape,
            required: body.required,
            docs: docs::join(&[body.description.as_deref()]),
            example,
            encoding,
        })
    }

    /// What the first 2xx response (in the order 200, 201, … then `2XX`) carries, and the
    /// `Accept` header that asks for it: the media types of every 2xx response the client decodes
    /// as it says, in order (a JSON body's JSON types only), `*/*` when they declare none.
    pub(super) fn lower_success_response(
        &mut self,
        op: &spec::Operation,
        at: &Pointer,
        hint: &str,
    ) -> (Success, String) {
        let mut statuses: Vec<&String> =
            op.responses.keys().filter(|s| s.starts_with('2')).collect();
        statuses.sort_by_key(|s| s.to_ascii_uppercase());
        let numeric: Vec<u16> = statuses.iter().filter_map(|s| s.parse().ok()).collect();
        let mut accepted: Vec<String> = Vec::new();
        let mut accept = |types: Vec<String>| {
            for media_type in types {
                if !accepted.contains(&media_type) {
                    accepted.push(media_type);
                }
            }
        };
        if statuses.len() < 2 || numeric.len() != statuses.len() {
            let success = match statuses.first() {
                Some(status) => {
                    let (success, types) =
                        self.lower_one_success(op, at, status, &format!("{hint} Response"));
                    accept(types);
                    success
                }
                None => Success::Empty,
            };
            return (success, accept_header(&accepted));
        }
        let mut bodies: Vec<Success> = Vec::new();
        for status in &statuses {
            let (success, types) =
                self.lower_one_success(op, at, status, &format!("{hint} {status} Response"));
            accept(types);
            bodies.push(success);
        }
        let accept = accept_header(&accepted);
        if bodies.iter().all(|body| *body == bodies[0]) {
            return (bodies.into_iter().next().unwrap_or(Success::Empty), accept);
        }
        let mut variant_names = Namespace::new();
        let bodies = numeric
            .into_iter()
            .zip(bodies)
            .map(|(status, body)| StatusBody {
                status,
                rust_name: variant_names.claim(&names::status_variant_name(status)),
                body,
            })
            .collect();
        let name = self
            .type_names
            .claim(&names::type_name(&format!("{hint} Responses")));
        (Success::ByStatus { name, bodies }, accept)
    }

    /// What the response of one 2xx status carries, and the media types it may come in that the
    /// client reads so: the JSON ones for a JSON body, every declared one otherwise.
    fn lower_one_success(
        &mut self,
        op: &spec::Operation,
        at: &Pointer,
        status: &str,
        hint: &str,
    ) -> (Success, Vec<String>) {
        let response_at = at.join(status);
        let Some((response, response_at)) = self.follow(&op.responses[status], &response_at) else {
            return (Success::Empty, Vec::new());
        };
        // HTTP gives these statuses no body, whatever content the spec declares for them.
        if matches!(status, "204" | "205") {
            return (Success::Empty, Vec::new());
        }
        let Some((media_type, content)) = preferred(&response.content) else {
            return (Success::Empty, Vec::new());
        };
        let json = matches!(encoding_of(media_type), BodyEncoding::Json);
        let types = response
            .content
            .keys()
            .filter(|media| !json || is_json(media))
            // A header value is visible ASCII; a key that is not cannot be asked for.
            .filter(|media| {
                !media.is_empty() && media.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
            })
            .cloned()
            .collect();
        let success = match encoding_of(media_type) {
            BodyEncoding::Json => match &content.schema {
                Some(schema) => Success::Json(self.lower_schema(
                    schema,
                    &response_at.join("content").join(media_type).join("schema"),
                    hint,
                )),
                None => Success::Json(Shape::plain(TypeRef::Any)),
            },
            BodyEncoding::Text { .. } => Success::Text,
            _ => Success::Bytes,
        };
        (success, types)
    }
}

/// The `Accept` header of these media types: `*/*` when there are none.
fn accept_header(media_types: &[String]) -> String {
    if media_types.is_empty() {
        "*/*".to_owned()
    } else {
        media_types.join(", ")
    }
}

/// `404`, `4XX` (any case) or `default`.
fn status_match(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    match key.as_bytes() {
        [class @ b'1'..=b'5', x, y]
            if x.eq_ignore_ascii_case(&b'x') && y.eq_ignore_ascii_case(&b'x') =>
        {
            Some(StatusMatch::Class(u16::from(class - b'0')))
        }
        _ => key
            .parse::<u16>()
            .ok()
            .filter(|s| (100..600).contains(s))
            .map(StatusMatch::Code),
    }
}

/// The variant of a documented error: the status's reason phrase, the class's name, or `Other`.
fn error_variant_name(statuses: StatusMatch) -> String {
    match statuses {
        StatusMatch::Code(code) => names::status_variant_name(code),
        StatusMatch::Class(class) => names::status_class_variant_name(class),
        StatusMatch::Default => names::variant_name("Other"),
    }
}

impl Lowerer<'_> {
    /// The responses documented for statuses other than 2xx, with their JSON body types.
    pub(super) fn lower_error_responses(
        &mut self,
        op: &spec::Operation,
        at: &Pointer,
        hint: &str,
    ) -> Vec<ErrorResponse> {
        let mut errors = Vec::new();
        for (status, response) in op
            .responses
            .iter()
            .filter(|(status, _)| !status.starts_with('2'))
        {
            let response_at = at.join(status);
            let Some((response, response_at)) = self.follow(response, &response_at) else {
                continue;
            };
            let json = response.content.iter().find(|(media, _)| is_json(media));
            let shape = json.and_then(|(media_type, content)| {
                let schema = content.schema.as_ref()?;
                let schema_at = response_at.join("content").join(media_type).join("schema");
                Some(self.lower_schema(schema, &schema_at, &format!("{hint} {status} Error")))
            });
            let statuses = status_match(status);
            if statuses.is_none() {
                self.error(Diagnostic::warning(
                    &response_at,
                    format!("`{status}` is not a status, a class such as `4XX`, or `default`; its body is not typed"),
                ));
            }
            errors.push(ErrorResponse {
                status: status.clone(),
                statuses,
                rust_name: statuses.map(error_variant_name).unwrap_or_default(),
                shape,
                docs: docs::join(&[response.description.as_deref()]),
            });
        }
        // Tried in this order: a status before its class, a class before `default`.
        errors.sort_by_key(|e| e.statuses.unwrap_or(StatusMatch::Default));
        // `4XX` and `4xx` are both `ClientError`; the second becomes `ClientError2`.
        let mut variants = Namespace::default();
        for error in errors.iter_mut().filter(|e| e.statuses.is_some()) {
            error.rust_name = variants.claim(&error.rust_name);
        }
        errors
    }

    /// The headers the 2xx responses document (`Content-Type` aside, which the spec says to
    /// ignore), each once, typed from its schema.
    pub(super) fn lower_response_headers(
        &mut self,
        op: &spec::Operation,
        at: &Pointer,
        hint: &str,
    ) -> Option<ResponseHeaders> {
        let mut headers: Vec<ResponseHeader> = Vec::new();
        let mut field_names = Namespace::default();
        for (status, response) in op.responses.iter().filter(|(s, _)| s.starts_with('2')) {
            let Some((response, response_at)) = self.follow(response, &at.join(status)) else {
                continue;
            };
            for (name, header) in &response.headers {
                let known = headers
                    .iter()
                    .any(|h| h.wire_name.eq_ignore_ascii_case(name));
                if known || name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let header_at = response_at.join("headers").join(name);
                let Some((header, header_at)) = self.follow(header, &header_at) else {
                    continue;
                };
                let shape = match &header.schema {
                    Some(schema) => self.lower_schema(
                        schema,
                        &header_at.join("schema"),
                        &format!("{hint} {name} Header"),
                    ),
                    None => Shape::plain(TypeRef::String),
                };
                headers.push(ResponseHeader {
                    wire_name: name.clone(),
                    rust_name: field_names.claim(&names::snake_name(name)),
                    shape,
                    docs: docs::join(&[header.description.as_deref()]),
                    deprecated: header.deprecated,
                });
            }
        }
        if headers.is_empty() {
            return None;
        }
        Some(ResponseHeaders {
            type_name: self
                .type_names
                .claim(&names::type_name(&format!("{hint} Response Headers"))),
            method_name: String::new(),
            headers,
        })
    }

    /// The name of the enum of an operation's documented error bodies, when at least one has a
    /// JSON body to decode.
    pub(super) fn error_type_name(
        &mut self,
        errors: &[ErrorResponse],
        hint: &str,
    ) -> Option<String> {
        errors
            .iter()
            .any(|e| e.statuses.is_some() && e.shape.is_some())
            .then(|| {
                self.type_names
                    .claim(&names::type_name(&format!("{hint} Error")))
            })
    }
}
