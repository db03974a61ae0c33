//! The one error type of the client.

use std::borrow::Cow;
use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use super::validation::ValidationError;

/// How many bytes of a body an error message shows.
const EXCERPT_BYTES: usize = 512;

/// Everything that can go wrong in a call. No variant's `Display` or `Debug` contains a credential:
/// URLs are removed from transport errors because the API key may travel in the query string.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks rules of the spec; nothing was sent.
    #[error("invalid request, nothing was sent: {0}")]
    InvalidRequest(#[from] ValidationError),
    /// The operation needs credentials the client was not given; nothing was sent.
    #[error("operation `{operation}` needs credentials for {schemes}; none were configured")]
    MissingCredentials {
        /// The operation's id.
        operation: &'static str,
        /// The security schemes that would do.
        schemes: String,
    },
    /// The configured base URL is not an absolute http(s) URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as configured.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request body could not be serialized.
    #[error("could not encode the request body: {0}")]
    Encode(#[source] serde_json::Error),
    /// The request or the response took longer than the configured timeout.
    #[error("the request timed out")]
    Timeout(#[source] reqwest::Error),
    /// The TLS handshake failed (an untrusted or invalid certificate, a server that does not
    /// speak TLS); nothing was sent.
    #[error("TLS handshake failed: {0}")]
    Tls(#[source] reqwest::Error),
    /// The request could not be sent, or the response could not be read (DNS, TCP, reset).
    #[error("connection failed: {0}")]
    Connection(#[source] reqwest::Error),
    /// The server answered with a status other than 2xx.
    #[error("HTTP status {status}: {body}")]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response body, as received.
        body: RawBody,
        /// The wait the server asked for in `Retry-After`, if it did.
        retry_after: Option<Duration>,
    },
    /// The server answered 2xx with an error object (`{"error": …}`) instead of the documented
    /// success body, as some APIs do.
    #[error("the API reported an error (HTTP {status}): {message}")]
    Api {
        /// The HTTP status code (2xx).
        status: u16,
        /// The error's message as the body gives it.
        message: String,
        /// The response body, as received.
        body: RawBody,
    },
    /// The response body is larger than the configured limit; reading stopped there.
    #[error("the response body (HTTP {status}) is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The HTTP status code.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server answered 2xx, but the body is not the documented success shape.
    #[error("unexpected response body (HTTP {status}) at `{path}`: {message}; body: {body}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// Where in the body decoding stopped (`result[0].id`); `.` when the body as a whole
        /// is not the expected shape, `?` when it broke off before the first key.
        path: String,
        /// What was wrong there.
        message: String,
        /// The response body, as received.
        body: RawBody,
    },
    /// The HTTP client could not be built from the configuration.
    #[error("could not build the HTTP client: {0}")]
    Build(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. }
            | Error::Decode { status, .. }
            | Error::Api { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The wait the server asked for (`Retry-After` of a 429 or 503), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the same call could succeed if made again: the request was not sent, the server
    /// refused it for now (429, 503), or its outcome is unknown (timeouts, lost connections, 502,
    /// 504). Whether repeating it is *safe* depends on the operation: the client's retry policy
    /// repeats calls that create records only when they were not sent or were refused.
    pub fn is_retryable(&self) -> bool {
        super::retry::retry_reason(self).is_some()
    }

    /// The raw response body, when there was a response.
    pub fn raw_body(&self) -> Option<&RawBody> {
        match self {
            Error::Status { body, .. } | Error::Decode { body, .. } | Error::Api { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }

    /// Decodes the body of a response as `T`: the type the operation's documentation names for
    /// the status. `None` when there was no response.
    pub fn body_json<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Option<Result<T, serde_json::Error>> {
        self.raw_body()
            .map(|body| serde_json::from_slice(body.as_bytes()))
    }

    /// The body of an [`Error::Status`] decoded as the operation's enum of documented error
    /// bodies (`client::GetItemError` for `get_item`), picked by status. `None` when the error
    /// is not a status error or the spec documents nothing for its status; `Some(Err(_))` when
    /// the body is not the documented type (the raw body stays in `self`).
    pub fn documented<T: DocumentedError>(&self) -> Option<Result<T, serde_json::Error>> {
        match self {
            Error::Status { status, body, .. } => T::from_status(*status, body.as_bytes()),
            _ => None,
        }
    }

    /// Wraps a transport error, dropping its URL (which can carry the API key).
    pub(crate) fn from_transport(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            Error::Timeout(error)
        } else if error.is_connect() && is_tls_failure(&error) {
            Error::Tls(error)
        } else if error.is_builder() {
            Error::Build(error)
        } else {
            Error::Connection(error)
        }
    }
}

/// Whether a connection error comes from the TLS layer: reqwest does not say, so the causes are
/// read for what rustls reports (certificates, handshakes, records that are not TLS).
fn is_tls_failure(error: &reqwest::Error) -> bool {
    let mut cause = error.source();
    while let Some(current) = cause {
        let text = current.to_string().to_ascii_lowercase();
        if [
            "certificate",
            "tls",
            "handshake",
            "invalid peer",
            "corrupt message",
        ]
        .iter()
        .any(|sign| text.contains(sign))
        {
            return true;
        }
        cause = current.source();
    }
    false
}

/// The error bodies one operation documents, one variant per status, status class or `default`.
/// The generator implements it for each operation that documents a JSON error body; read it with
/// [`Error::documented`].
pub trait DocumentedError: Sized {
    /// Decodes `body` as the type documented for `status`; `None` when nothing is documented for
    /// it.
    fn from_status(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// A response body exactly as received. `Display` shows a bounded, lossy UTF-8 excerpt.
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody(Vec<u8>);

impl RawBody {
    /// Wraps received bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        RawBody(bytes)
    }

    /// The bytes as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(empty)");
        }
        let shown = &self.0[..self.0.len().min(EXCERPT_BYTES)];
        write!(f, "{:?}", String::from_utf8_lossy(shown))?;
        if shown.len() < self.0.len() {
            write!(f, " … ({} bytes in all)", self.0.len())?;
        }
        Ok(())
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBody({self})")
    }
}
