//! Configuration and the one place that sends requests: credentials, timeouts, status handling and
//! decoding of the success body.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::error::{Error, RawBody};
use super::multipart::Parts;
use super::retry::{parse_retry_after, RetryPolicy};
use super::secret::Secret;

/// The default limit on the size of a response body: 32 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// How a security scheme of the spec sends its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityScheme {
    /// An API key in the query parameter with this name.
    ApiKeyQuery(&'static str),
    /// An API key in the header with this name.
    ApiKeyHeader(&'static str),
    /// An API key in the cookie with this name.
    ApiKeyCookie(&'static str),
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic base64(<secret>)`, the secret being `user:password`.
    Basic,
}

/// The client's settings. Start from the generated `Client::config()`, change what you need, and
/// pass it to `Client::with_config`.
#[derive(Clone)]
pub struct ClientConfig {
    base_url: String,
    credentials: BTreeMap<String, Secret>,
    timeout: Duration,
    connect_timeout: Duration,
    validate_requests: bool,
    retry: RetryPolicy,
    max_body_bytes: usize,
    http_client: Option<reqwest::Client>,
}

impl ClientConfig {
    /// Settings for `base_url` with no credentials, a 30 s timeout per attempt, a 10 s connect
    /// timeout, validation of requests on, the default [`RetryPolicy`] and a 32 MiB limit on
    /// response bodies.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            credentials: BTreeMap::new(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            validate_requests: true,
            retry: RetryPolicy::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            http_client: None,
        }
    }

    /// How failed calls are retried ([`RetryPolicy::none`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body the client reads; a larger one is
    /// [`Error::BodyTooLarge`].
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sends requests to `base_url` instead (a test server, a proxy).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The secret of the security scheme named `scheme` in the spec.
    pub fn credential(mut self, scheme: &str, secret: impl Into<Secret>) -> Self {
        self.credentials.insert(scheme.to_owned(), secret.into());
        self
    }

    /// The longest one attempt of a call may take, from connecting to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Whether requests are checked against the spec's rules before they are sent (default: yes).
    pub fn validate_requests(mut self, validate: bool) -> Self {
        self.validate_requests = validate;
        self
    }

    /// Uses this `reqwest::Client` (its own timeouts, proxies, TLS settings) instead of building one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("validate_requests", &self.validate_requests)
            .field("retry", &self.retry)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// One request, as a generated operation describes it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The operation's id, for errors.
    pub operation: &'static str,
    /// Whether repeating the operation is safe (it creates nothing), so it may be retried after a
    /// failure whose outcome is unknown.
    pub idempotent: bool,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path after the base URL, parameters already encoded.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers.
    pub headers: Vec<(&'static str, String)>,
    /// Cookies, sent in one `Cookie` header.
    pub cookies: Vec<(String, String)>,
    /// The `Accept` header: the media types the spec declares for the success responses.
    pub accept: &'static str,
    /// The alternatives of security schemes that authorize the operation; empty: none needed.
    pub security: &'static [&'static [&'static str]],
    /// The body.
    pub body: Option<Body>,
}

/// A request body, encoded as the spec's media type says. Encoded bytes are shared, not copied,
/// when a retry sends them again.
#[derive(Debug, Clone)]
pub enum Body {
    /// `application/json`.
    Json(bytes::Bytes),
    /// `application/x-www-form-urlencoded`, already encoded.
    Form(bytes::Bytes),
    /// `multipart/form-data`: text and file parts.
    Multipart(Parts),
    /// Text or bytes of another media type.
    Raw {
        /// The media type.
        content_type: &'static str,
        /// The bytes.
        bytes: bytes::Bytes,
    },
}

impl Body {
    /// `value` as JSON.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_json::to_vec(value)
            .map(|bytes| Body::Json(bytes.into()))
            .map_err(Error::Encode)
    }

    /// `value` as a form: nested members as `a[b]=c`, list items as `a[0]=c`.
    pub fn form<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        let value = serde_json::to_value(value).map_err(Error::Encode)?;
        let mut pairs = Vec::new();
        flatten_into(&mut pairs, None, &value);
        Ok(Body::Form(form_encode(&pairs).into()))
    }

    /// `value` as multipart form data, one text part per top-level member (for bodies that are
    /// not objects with known properties; those list their parts one by one).
    pub fn multipart<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        Parts::from_value(value).map(Body::Multipart)
    }

    /// Bytes (or text) of `content_type`.
    pub fn raw(content_type: &'static str, bytes: impl Into<Vec<u8>>) -> Body {
        Body::Raw {
            content_type,
            bytes: bytes::Bytes::from(bytes.into()),
        }
    }
}

/// Appends `value` as `name=value` pairs: objects as `name[member]`, lists as `name[index]`,
/// `null` left out.
pub fn flatten_into(
    pairs: &mut Vec<(String, String)>,
    name: Option<&str>,
    value: &serde_json::Value,
) {
    use serde_json::Value;
    let key = |member: &str| match name {
        Some(name) => format!("{name}[{member}]"),
        None => member.to_owned(),
    };
    match value {
        Value::Object(members) => {
            for (member, value) in members {
                flatten_into(pairs, Some(&key(member)), value);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten_into(pairs, Some(&key(&index.to_string())), item);
            }
        }
        Value::Null => {}
        Value::String(text) => pairs.push((name.unwrap_or_default().to_owned(), text.clone())),
        other => pairs.push((name.unwrap_or_default().to_owned(), other.to_string())),
    }
}

/// Pushes a `deepObject` query parameter: `name[member]=value` for each member of `value`.
pub fn push_deep_object<T: serde::Serialize + ?Sized>(
    query: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
) {
    if let Ok(value) = serde_json::to_value(value) {
        flatten_into(query, Some(name), &value);
    }
}

/// `application/x-www-form-urlencoded` text of `pairs`.
fn form_encode(pairs: &[(String, String)]) -> String {
    let encode = |text: &str| {
        let mut out = String::with_capacity(text.len());
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    out.push(byte as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
        out
    };
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A 2xx response as received.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The value of the header `name` decoded as `T`: `None` when the header is absent. The text
    /// is tried as a JSON string (strings, enums), then as JSON (numbers, booleans), then as a
    /// comma-separated list; a value that fits none of them is an [`Error::Decode`] naming the
    /// header.
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        use serde_json::Value;
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        let undecodable = |message: String| Error::Decode {
            status: self.status,
            path: format!("(header) {name}"),
            message,
            body: RawBody::new(value.as_bytes().to_vec()),
        };
        let text = value
            .to_str()
            .map_err(|_| undecodable("the value is not visible ASCII".to_owned()))?;
        let as_string = Value::String(text.to_owned());
        let as_list = || {
            Value::Array(
                text.split(',')
                    .map(|item| Value::String(item.trim().to_owned()))
                    .collect(),
            )
        };
        T::deserialize(&as_string)
            .or_else(|error| serde_json::from_str(text).map_err(|_| error))
            .or_else(|error| T::deserialize(&as_list()).map_err(|_| error))
            .map(Some)
            .map_err(|error| undecodable(error.to_string()))
    }
}

/// Sends requests for a generated client.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: String,
    credentials: BTreeMap<String, Secret>,
    schemes: &'static [(&'static str, SecurityScheme)],
    validate_requests: bool,
    retry: RetryPolicy,
    max_body_bytes: usize,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("validate_requests", &self.validate_requests)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Builds the transport for `config`; `schemes` says how each security scheme is applied.
    pub fn new(
        config: ClientConfig,
        schemes: &'static [(&'static str, SecurityScheme)],
    ) -> Result<Self, Error> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {}
            Ok(url) => {
                return Err(Error::InvalidBaseUrl {
                    reason: format!("the scheme `{}` is not http or https", url.scheme()),
                    url: base_url,
                })
            }
            Err(error) => {
                return Err(Error::InvalidBaseUrl {
                    reason: error.to_string(),
                    url: base_url,
                })
            }
        }
        let http = match config.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(Error::from_transport)?,
        };
        Ok(Transport {
            http,
            base_url,
            credentials: config.credentials,
            schemes,
            validate_requests: config.validate_requests,
            retry: config.retry,
            max_body_bytes: config.max_body_bytes,
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether requests are validated before they are sent.
    pub fn validates_requests(&self) -> bool {
        self.validate_requests
    }

    /// Sends `request` and decodes a 2xx JSON body as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let (status, body) = self.send_raw(request).await?;
        decode_json(status, body)
    }

    /// Sends `request` and checks for a 2xx status, ignoring the body.
    pub async fn send_empty(&self, request: Request) -> Result<(), Error> {
        self.send_raw(request).await.map(drop)
    }

    /// Sends `request` and returns a 2xx body as text (invalid UTF-8 replaced).
    pub async fn send_text(&self, request: Request) -> Result<String, Error> {
        let (_, body) = self.send_raw(request).await?;
        Ok(text(body))
    }

    /// Sends `request` and returns a 2xx body as bytes.
    pub async fn send_bytes(&self, request: Request) -> Result<Vec<u8>, Error> {
        self.send_raw(request).await.map(|(_, body)| body)
    }

    /// Sends `request`; returns the status and body of a 2xx response, or the error.
    pub async fn send_raw(&self, request: Request) -> Result<(u16, Vec<u8>), Error> {
        self.send_response(request)
            .await
            .map(|response| (response.status, response.body))
    }

    /// Sends `request`, retrying as the [`RetryPolicy`] allows; returns a 2xx response with its
    /// headers, or the error of the last attempt. Each attempt is logged with `tracing` (operation,
    /// method, path without the query, status, latency); credentials never are.
    pub async fn send_response(&self, request: Request) -> Result<Response, Error> {
        use tracing::Instrument;
        let span = tracing::debug_span!(
            "request",
            operation = request.operation,
            method = %request.method,
            path = %request.path,
        );
        async {
            let mut retry = 0;
            loop {
                let started = std::time::Instant::now();
                let outcome = self.attempt(&request).await;
                let latency_ms = started.elapsed().as_millis() as u64;
                let error = match outcome {
                    Ok(response) => {
                        tracing::debug!(status = response.status, latency_ms, "response");
                        return Ok(response);
                    }
                    Err(error) => error,
                };
                retry += 1;
                let Some(wait) = self.retry.delay_before(retry, &error, request.idempotent) else {
                    tracing::debug!(status = error.status(), latency_ms, error = %error, "failed");
                    return Err(error);
                };
                tracing::warn!(
                    status = error.status(),
                    latency_ms,
                    error = %error,
                    retry,
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt: builds the HTTP request from `request` and reads the response, at most
    /// `max_body_bytes` of its body.
    async fn attempt(&self, request: &Request) -> Result<Response, Error> {
        let mut query = request.query.clone();
        let mut headers = request.headers.clone();
        let mut cookies = request.cookies.clone();
        let mut builder = self.http.request(
            request.method.clone(),
            format!("{}{}", self.base_url, request.path),
        );
        builder = self.authorize(
            request.operation,
            request.security,
            (&mut query, &mut headers, &mut cookies),
            builder,
        )?;
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if !cookies.is_empty() {
            let cookie = cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            builder = builder.header(reqwest::header::COOKIE, cookie);
        }
        builder = builder.header(reqwest::header::ACCEPT, request.accept);
        builder = match request.body.clone() {
            None => builder,
            Some(Body::Json(bytes)) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes),
            Some(Body::Form(text)) => builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(text),
            Some(Body::Multipart(parts)) => builder.multipart(parts.into_form()?),
            Some(Body::Raw {
                content_type,
                bytes,
            }) => builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes),
        };
        let mut response = builder.send().await.map_err(Error::from_transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let too_large = Error::BodyTooLarge {
            status,
            limit: self.max_body_bytes,
        };
        let announced = response.content_length();
        if announced.is_some_and(|length| length > self.max_body_bytes as u64) {
            return Err(too_large);
        }
        // A body of announced length is read into one buffer of that size, without regrowing.
        let mut body = Vec::with_capacity(announced.map_or(0, |length| length as usize));
        while let Some(chunk) = response.chunk().await.map_err(Error::from_transport)? {
            if body.len() + chunk.len() > self.max_body_bytes {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        if (200..300).contains(&status) {
            Ok(Response {
                status,
                headers,
                body,
            })
        } else {
            let retry_after = headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(parse_retry_after);
            Err(Error::Status {
                status,
                body: RawBody::new(body),
                retry_after,
            })
        }
    }

    /// How the security scheme `key` sends its secret.
    fn scheme(&self, key: &str) -> Option<SecurityScheme> {
        self.schemes
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| *s)
    }

    /// Applies the first alternative of `security` whose every scheme has a credential or, for
    /// an API key, a value the caller gave as the operation's parameter of the same place and
    /// name; such a parameter is sent as given, and the credential is not added to it.
    fn authorize(
        &self,
        operation: &'static str,
        security: &'static [&'static [&'static str]],
        (query, headers, cookies): (
            &mut Vec<(String, String)>,
            &mut Vec<(&'static str, String)>,
            &mut Vec<(String, String)>,
        ),
        mut builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, Error> {
        if security.is_empty() {
            return Ok(builder);
        }
        let Some(alternative) = security.iter().find(|keys| {
            keys.iter().all(|key| {
                self.credentials.contains_key(*key)
                    || given(self.scheme(key), query, headers, cookies)
            })
        }) else {
            return Err(Error::MissingCredentials {
                operation,
                schemes: security
                    .iter()
                    .map(|keys| keys.join(" + "))
                    .collect::<Vec<_>>()
                    .join(" or "),
            });
        };
        for key in alternative.iter() {
            let scheme = self.scheme(key);
            // An API key the caller gave as the operation's own parameter is sent once, as given.
            if given(scheme, query, headers, cookies) {
                continue;
            }
            let secret = self.credentials[*key].expose().to_owned();
            match scheme {
                Some(SecurityScheme::ApiKeyQuery(name)) => query.push((name.to_owned(), secret)),
                Some(SecurityScheme::ApiKeyHeader(name)) => headers.push((name, secret)),
                Some(SecurityScheme::ApiKeyCookie(name)) => cookies.push((name.to_owned(), secret)),
                Some(SecurityScheme::Bearer) => builder = builder.bearer_auth(secret),
                Some(SecurityScheme::Basic) => {
                    let (user, password) = secret.split_once(':').unwrap_or((secret.as_str(), ""));
                    builder = builder.basic_auth(user, Some(password));
                }
                None => {}
            }
        }
        Ok(builder)
    }
}

/// Whether the request already carries the API key of `scheme`, as a parameter of the operation.
fn given(
    scheme: Option<SecurityScheme>,
    query: &[(String, String)],
    headers: &[(&'static str, String)],
    cookies: &[(String, String)],
) -> bool {
    match scheme {
        Some(SecurityScheme::ApiKeyQuery(name)) => query.iter().any(|(n, _)| n == name),
        Some(SecurityScheme::ApiKeyHeader(name)) => {
            headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        }
        Some(SecurityScheme::ApiKeyCookie(name)) => cookies.iter().any(|(n, _)| n == name),
        _ => false,
    }
}

/// Decodes a success body, naming the place in the body where it stops matching `T`.
pub fn decode_json<T: DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
    // The common case without the cost of tracking the path; the path is found only on failure.
    if let Ok(value) = serde_json::from_slice(&body) {
        return Ok(value);
    }
    // An empty body carries no value: it is `null`, which a type that may be absent accepts.
    if body.iter().all(u8::is_ascii_whitespace) {
        return <T as serde::Deserialize>::deserialize(serde_json::Value::Null).map_err(|error| {
            Error::Decode {
                status,
                path: ".".to_owned(),
                message: format!("the body is empty: {error}"),
                body: RawBody::new(body),
            }
        });
    }
    // Some servers, and many specs' examples, send the document as a JSON string of its text.
    if let Ok(text) = serde_json::from_slice::<String>(&body) {
        if let Ok(value) = serde_json::from_str(&text) {
            return Ok(value);
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    let decoded = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.into_inner()))
        .and_then(|value| {
            deserializer
                .end()
                .map(|()| value)
                .map_err(|error| (".".to_owned(), error))
        });
    decoded.map_err(|(path, error)| match api_error_message(&body) {
        Some(message) => Error::Api {
            status,
            message,
            body: RawBody::new(body),
        },
        None => Error::Decode {
            status,
            path,
            message: error.to_string(),
            body: RawBody::new(body),
        },
    })
}

/// The message of an error object that a 2xx body carries instead of the success shape:
/// `{"error": "…"}`, `{"error": {"message": "…"}}`, `{"errors": […]}` or
/// `{"status": "error", "message": "…"}`. `None` when the body is not such an object.
fn api_error_message(body: &[u8]) -> Option<String> {
    use serde_json::Value;
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        Value::Object(inner) => inner
            .get("message")
            .or_else(|| inner.get("description"))
            .and_then(Value::as_str)
            .map_or_else(|| value.to_string(), str::to_owned),
        other => other.to_string(),
    };
    let flagged = object
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("error"))
        || object.get("success") == Some(&Value::Bool(false));
    match (object.get("error"), object.get("errors")) {
        (Some(error), _) if !error.is_null() && error != &Value::Bool(false) => Some(text(error)),
        (_, Some(Value::Array(errors))) if !errors.is_empty() => {
            Some(errors.iter().map(text).collect::<Vec<_>>().join("; "))
        }
        _ if flagged => Some(
            object
                .get("message")
                .map(text)
                .unwrap_or_else(|| "the body flags an error".to_owned()),
        ),
        _ => None,
    }
}

/// Percent-encodes a path parameter: everything but the unreserved characters of RFC 3986.
pub fn encode_path_segment(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The text of a parameter value as it goes into a path, query or header: strings as they are,
/// numbers and booleans as JSON writes them, anything else as compact JSON.
pub fn param_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(serde_json::Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    }
}

/// How a parameter's value is written: its OpenAPI `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `3,4,5`; objects `R,100,G,200`, exploded `R=100,G=200` (path and header).
    Simple,
    /// `id=3,4,5`, exploded `id=3&id=4` and objects `R=100&G=200` (query and cookie).
    Form,
    /// `;id=3,4,5`, exploded `;id=3;id=4`, objects exploded `;R=100;G=200` (path).
    Matrix,
    /// `.3,4,5`, exploded `.3.4.5`, objects exploded `.R=100.G=200` (path).
    Label,
    /// `id=3 4 5` (query).
    SpaceDelimited,
    /// `id=3|4|5` (query).
    PipeDelimited,
    /// `id[R]=100&id[G]=200` (query).
    DeepObject,
}

/// A parameter's value taken apart the way the styles write it.
enum Pieces {
    /// A string, number or boolean, as text.
    One(String),
    /// The items of a list, as text.
    List(Vec<String>),
    /// The members of an object, as text, members without a value left out.
    Members(Vec<(String, String)>),
}

impl Pieces {
    fn of<T: serde::Serialize + ?Sized>(value: &T) -> Pieces {
        use serde_json::Value;
        match serde_json::to_value(value) {
            Ok(Value::Array(items)) => Pieces::List(items.iter().map(scalar_text).collect()),
            Ok(Value::Object(members)) => Pieces::Members(
                members
                    .iter()
                    .filter(|(_, value)| !value.is_null())
                    .map(|(name, value)| (name.clone(), scalar_text(value)))
                    .collect(),
            ),
            Ok(other) => Pieces::One(scalar_text(&other)),
            Err(_) => Pieces::One(String::new()),
        }
    }

    /// The items, or the members as `name=value` when exploded and as `name,value` otherwise,
    /// each through `encode`, joined with `separator`.
    fn joined(&self, explode: bool, separator: &str, encode: fn(&str) -> String) -> String {
        match self {
            Pieces::One(text) => encode(text),
            Pieces::List(items) => join(items.iter().map(|item| encode(item)), separator),
            Pieces::Members(members) if explode => join(
                members
                    .iter()
                    .map(|(name, value)| format!("{}={}", encode(name), encode(value))),
                separator,
            ),
            Pieces::Members(members) => join(
                members
                    .iter()
                    .flat_map(|(name, value)| [encode(name), encode(value)]),
                separator,
            ),
        }
    }
}

fn join(texts: impl Iterator<Item = String>, separator: &str) -> String {
    texts.collect::<Vec<_>>().join(separator)
}

/// The text of a scalar: strings as they are, `null` empty, anything else as compact JSON.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A path parameter as the path carries it, percent-encoded but for the style's delimiters.
pub fn path_param<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> String {
    let pieces = Pieces::of(value);
    let encode: fn(&str) -> String = encode_path_segment;
    match (style, &pieces) {
        (Style::Label, _) => {
            let separator = if explode { "." } else { "," };
            format!(".{}", pieces.joined(explode, separator, encode))
        }
        (Style::Matrix, Pieces::List(items)) if explode && items.is_empty() => {
            format!(";{}", encode(name))
        }
        (Style::Matrix, Pieces::Members(members)) if explode && members.is_empty() => {
            format!(";{}", encode(name))
        }
        (Style::Matrix, Pieces::List(items)) if explode => items
            .iter()
            .map(|item| format!(";{}={}", encode(name), encode(item)))
            .collect(),
        (Style::Matrix, Pieces::Members(members)) if explode => members
            .iter()
            .map(|(member, item)| format!(";{}={}", encode(member), encode(item)))
            .collect(),
        (Style::Matrix, Pieces::One(text)) if text.is_empty() => format!(";{}", encode(name)),
        (Style::Matrix, _) => format!(";{}={}", encode(name), pieces.joined(false, ",", encode)),
        _ => pieces.joined(explode, ",", encode),
    }
}

/// Pushes a query or cookie parameter as `name=value` pairs: exploded lists and objects as pairs
/// of their own (`id=3&id=4`, `R=100&G=200`), others joined with the style's delimiter, and
/// `deepObject` members as `name[member]`.
pub fn push_param<T: serde::Serialize + ?Sized>(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) {
    if style == Style::DeepObject {
        return push_deep_object(pairs, name, value);
    }
    let separator = match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match Pieces::of(value) {
        Pieces::List(items) if explode => {
            pairs.extend(items.into_iter().map(|item| (name.to_owned(), item)));
        }
        Pieces::Members(members) if explode => pairs.extend(members),
        pieces => pairs.push((
            name.to_owned(),
            pieces.joined(false, separator, str::to_owned),
        )),
    }
}

/// A header parameter's value (`simple`): `3,4,5`; objects `R,100,G,200`, exploded `R=100,G=200`.
pub fn header_value<T: serde::Serialize + ?Sized>(value: &T, explode: bool) -> String {
    Pieces::of(value).joined(explode, ",", str::to_owned)
}

/// A body as text, invalid UTF-8 replaced.
pub fn text(body: Vec<u8>) -> String {
    String::from_utf8(body)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Banner {
        message: String,
    }

    #[test]
    fn a_document_sent_as_a_json_string_of_its_text_is_decoded() {
        let body = br#""{\"message\":\"hello\"}""#.to_vec();
        let banner: Banner = decode_json(200, body).expect("the string's text is a Banner");
        assert_eq!(banner.message, "hello");
    }

    #[test]
    fn a_string_that_is_not_the_document_is_still_a_decode_error() {
        let body = br#""not a banner""#.to_vec();
        match decode_json::<Banner>(200, body) {
            Err(Error::Decode { path, body, .. }) => {
                assert_eq!(path, ".");
                assert_eq!(body.as_bytes(), br#""not a banner""#);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
