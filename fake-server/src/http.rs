//! The HTTP side: the routes, the token check, and how answers and errors are written.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::Router;
use serde_json::{json, Value};

use crate::store::Store;
use crate::validate::Problem;
use crate::{list, validate};

/// How the server behaves, fixed when it starts.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The token every request must carry; `None` accepts any token that is not empty.
    pub(crate) token: Option<String>,
    /// The SMS code list requests must carry; `None` accepts any integer.
    pub(crate) sms_code: Option<i64>,
    /// Accept only the spec's types, not the documented example's numeric strings.
    pub(crate) strict: bool,
    /// Answer errors with a 4xx status instead of 200.
    pub(crate) http_errors: bool,
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) store: Mutex<Store>,
}

impl Shared {
    /// The store; a handler that panicked while holding it left it consistent enough for a fake.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The routes: the spec's two operations on `/v1/CLIENTS`.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/CLIENTS", put(add_clients).post(list_clients))
        .with_state(shared)
}

/// The kinds of error the server answers, each with its `code` in the error body.
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// No token, or not the expected one.
    Token,
    /// The body is not JSON.
    Json,
    /// The body is JSON but breaks the spec.
    Body,
    /// The list request's SMS code is not the expected one.
    Code,
}

impl Failure {
    fn code(self) -> &'static str {
        match self {
            Failure::Token => "invalid_token",
            Failure::Json => "invalid_json",
            Failure::Body => "invalid_body",
            Failure::Code => "invalid_code",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Failure::Token => StatusCode::UNAUTHORIZED,
            Failure::Json | Failure::Body => StatusCode::BAD_REQUEST,
            Failure::Code => StatusCode::FORBIDDEN,
        }
    }
}

/// Why a request is refused: the error body's `code`, `message` and `details`.
struct Refusal {
    failure: Failure,
    message: String,
    details: Vec<Problem>,
}

impl Refusal {
    fn new(failure: Failure, message: impl Into<String>) -> Self {
        Refusal {
            failure,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// The error answer: `{"error": {"code", "message", "details": [{"pointer", "message"}]}}`,
    /// with status 200 (or the failure's 4xx status when the server is configured so).
    fn answer(self, config: &Config) -> Response {
        let details: Vec<Value> = self
            .details
            .iter()
            .map(|problem| json!({ "pointer": problem.pointer, "message": problem.message }))
            .collect();
        let body = json!({
            "error": { "code": self.failure.code(), "message": self.message, "details": details }
        });
        let status = if config.http_errors {
            self.failure.status()
        } else {
            StatusCode::OK
        };
        json_response(status, &body, false)
    }
}

/// A JSON answer; `escaped` writes every non-ASCII character as `\uXXXX` (`encoding: 1`).
fn json_response(status: StatusCode, body: &Value, escaped: bool) -> Response {
    let mut text = body.to_string();
    if escaped {
        text = escape_non_ascii(&text);
    }
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// JSON text with every non-ASCII character written as `\uXXXX` (UTF-16 units, so characters
/// past the BMP become surrogate pairs). Non-ASCII characters only occur inside strings.
pub(crate) fn escape_non_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Checks the `token` query parameter (also read as `TOKEN`, as the documentation's examples
/// write it).
fn check_token(config: &Config, query: Option<&str>) -> Result<(), Refusal> {
    let given = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "token" || name == "TOKEN")
        .map(|(_, value)| value.into_owned());
    let message = match (&given, &config.token) {
        (None, _) => "the query parameter `token` is missing",
        (Some(given), _) if given.is_empty() => "the query parameter `token` is empty",
        (Some(given), Some(expected)) if given != expected => "the token is not valid",
        _ => return Ok(()),
    };
    Err(Refusal::new(Failure::Token, message))
}

/// Reads the body as JSON.
fn read_json(body: &[u8]) -> Result<Value, Refusal> {
    serde_json::from_slice(body)
        .map_err(|problem| Refusal::new(Failure::Json, format!("the body is not JSON: {problem}")))
}

/// The refusal of a body that breaks the spec.
fn invalid(problems: Vec<Problem>) -> Refusal {
    let listed: Vec<String> = problems
        .iter()
        .map(|p| {
            let at = if p.pointer.is_empty() {
                "body"
            } else {
                &p.pointer
            };
            format!("{at}: {}", p.message)
        })
        .collect();
    Refusal {
        failure: Failure::Body,
        message: format!("the body breaks the spec: {}", listed.join("; ")),
        details: problems,
    }
}

/// Whether the body asks for `encoding: 1` (checked already; a numeric string only in lenient
/// mode).
fn escaped(body: &Value) -> bool {
    match body.get("encoding") {
        Some(Value::String(text)) => text.trim() == "1",
        Some(value) => value.as_i64() == Some(1),
        None => false,
    }
}

/// `PUT /v1/CLIENTS`: add clients.
async fn add_clients(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    add(&shared, query.as_deref(), &body).unwrap_or_else(|refusal| refusal.answer(&shared.config))
}

fn add(shared: &Shared, query: Option<&str>, body: &[u8]) -> Result<Response, Refusal> {
    let config = &shared.config;
    check_token(config, query)?;
    let value = read_json(body)?;
    let records = validate::add_clients(&value, config.strict).map_err(invalid)?;
    let (ids, notices) = shared.store().add(records);
    let mut answer = json!({
        "result": ids.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
    });
    if !notices.is_empty() {
        answer["notices"] = Value::Array(notices);
    }
    Ok(json_response(StatusCode::OK, &answer, escaped(&value)))
}

/// `POST /v1/CLIENTS`: list clients.
async fn list_clients(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    list(&shared, query.as_deref(), &body).unwrap_or_else(|refusal| refusal.answer(&shared.config))
}

fn list(shared: &Shared, query: Option<&str>, body: &[u8]) -> Result<Response, Refusal> {
    let config = &shared.config;
    check_token(config, query)?;
    let value = read_json(body)?;
    let request = list::parse(&value, body, config.strict).map_err(invalid)?;
    if config.sms_code.is_some_and(|code| code != request.code) {
        return Err(Refusal {
            failure: Failure::Code,
            message: "the SMS code is not valid".to_owned(),
            details: vec![Problem {
                pointer: "/code".to_owned(),
                message: "not the code sent to the director".to_owned(),
            }],
        });
    }
    let page = request.page(&shared.store().clients);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "result": page }),
        request.escaped,
    ))
}

#[cfg(test)]
mod tests {
    use super::escape_non_ascii;

    #[test]
    fn escapes_non_ascii_as_utf16_units() {
        assert_eq!(escape_non_ascii(r#"{"a":"Ук"}"#), r#"{"a":"\u0423\u043a"}"#);
        assert_eq!(escape_non_ascii("😀"), "\\ud83d\\ude00");
        let round: String = serde_json::from_str(&escape_non_ascii("\"Укаж 😀\"")).unwrap();
        assert_eq!(round, "Укаж 😀");
    }
}
