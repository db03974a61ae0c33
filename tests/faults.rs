//! Fault injection: the generated lotinfo client against a local server (axum on 127.0.0.1) that
//! misbehaves in each way a real one can. Every fault must give its documented error variant,
//! none may panic, and the create operation (`PUT /CLIENTS`, not idempotent) must never be sent
//! twice after a failure whose outcome is unknown.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use lotinfo_client::models::{AddClientsRequest, ListClientsRequest};
use lotinfo_client::{Client, Error, RetryPolicy};
use lotinfo_tests::lotinfo_spec_value;

const TOKEN: &str = "fault-s3cret";

/// Requests received, per fault.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<BTreeMap<String, Arc<AtomicUsize>>>>);

impl Received {
    fn counter(&self, fault: &str) -> Arc<AtomicUsize> {
        self.0
            .lock()
            .expect("not poisoned")
            .entry(fault.to_owned())
            .or_default()
            .clone()
    }

    fn count(&self, fault: &str) -> usize {
        self.counter(fault).load(Ordering::SeqCst)
    }
}

/// The documented success body of `PUT /CLIENTS`.
const ADDED: &str = r#"{"result": [{"id": 101}, {"id": 102}]}"#;

/// Answers `/{fault}/CLIENTS` with the fault; the `n`th request of a fault can behave
/// differently (a 429 that then succeeds).
async fn misbehave(State(received): State<Received>, Path(fault): Path<String>) -> Response {
    let attempt = received.counter(&fault).fetch_add(1, Ordering::SeqCst) + 1;
    let json = |status: StatusCode, body: &'static str| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("response")
    };
    match fault.as_str() {
        "html-502" => Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .header(header::CONTENT_TYPE, "text/html")
            .body(Body::from(
                "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
            ))
            .expect("response"),
        "truncated" => json(StatusCode::OK, r#"{"result": [{"id": 101}, {"i"#),
        "wrong-content-type" => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/html")
            .body(Body::from("<!doctype html><title>Maintenance</title>"))
            .expect("response"),
        "empty" => json(StatusCode::OK, ""),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            json(StatusCode::OK, ADDED)
        }
        "reset" => {
            let chunks: Vec<Result<&'static str, std::io::Error>> = vec![
                Ok(r#"{"result": [{"id": 1"#),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "dropped",
                )),
            ];
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .expect("response")
        }
        "huge" | "huge-unsized" => {
            let chunk = vec![b' '; 1024 * 1024];
            let chunks = (0..50).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
            let builder = Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json");
            if fault == "huge" {
                builder
                    .header(header::CONTENT_LENGTH, 50 * 1024 * 1024)
                    .body(Body::from_stream(futures_util::stream::iter(chunks)))
                    .expect("response")
            } else {
                builder
                    .body(Body::from_stream(futures_util::stream::iter(chunks)))
                    .expect("response")
            }
        }
        "too-many" if attempt == 1 => Response::builder()
            .status(StatusCode::TOO_MANY_REQUESTS)
            .header(header::RETRY_AFTER, "1")
            .body(Body::from("slow down"))
            .expect("response"),
        "too-many" => json(StatusCode::OK, ADDED),
        "too-many-for-long" => Response::builder()
            .status(StatusCode::TOO_MANY_REQUESTS)
            .header(header::RETRY_AFTER, "3600")
            .body(Body::from("come back in an hour"))
            .expect("response"),
        "unavailable" if attempt < 3 => Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .body(Body::from("maintenance"))
            .expect("response"),
        "unavailable" => json(StatusCode::OK, ADDED),
        "not-utf8" => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(vec![b'{', 0xff, 0xfe, b'}']))
            .expect("response"),
        "error-in-200" => json(
            StatusCode::OK,
            r#"{"error": {"code": 17, "message": "Токен недействителен"}}"#,
        ),
        _ => json(StatusCode::NOT_FOUND, r#"{"error": "no such fault"}"#),
    }
}

/// A server on 127.0.0.1 that answers every fault, and the requests it received.
async fn start_server() -> (String, Received) {
    let received = Received::default();
    let app = Router::new()
        .route("/{fault}/CLIENTS", any(misbehave))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("server runs");
    });
    (format!("http://{address}"), received)
}

fn client(base: &str, fault: &str) -> Client {
    let config = Client::config()
        .base_url(format!("{base}/{fault}"))
        .credential("token", TOKEN)
        .timeout(Duration::from_millis(700))
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(5)));
    Client::with_config(config).expect("client")
}

fn add_request() -> AddClientsRequest {
    let example = lotinfo_spec_value()
        .pointer(
            "/paths/~1CLIENTS/put/requestBody/content/application~1json/examples/normalized/value",
        )
        .cloned()
        .expect("the normalized example");
    serde_json::from_value(example).expect("the example is a request")
}

fn list_request() -> ListClientsRequest {
    ListClientsRequest::new(101010)
}

/// No credential in what the caller sees of the error.
fn assert_hides_token(error: &Error) {
    for rendered in [error.to_string(), format!("{error:?}")] {
        assert!(!rendered.contains(TOKEN), "the token leaked: {rendered}");
    }
}

#[tokio::test]
async fn an_html_502_is_a_status_error_retried_only_for_the_safe_operation() {
    let (base, received) = start_server().await;
    let error = client(&base, "html-502")
        .add_clients(&add_request())
        .await
        .expect_err("502");
    match &error {
        Error::Status {
            status: 502, body, ..
        } => {
            assert!(body.text().contains("Bad Gateway"), "{body}")
        }
        other => panic!("expected Status 502, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(
        received.count("html-502"),
        1,
        "a create is not repeated after a 502"
    );
    assert_hides_token(&error);

    let error = client(&base, "html-502")
        .list_clients(&list_request())
        .await
        .expect_err("502 every time");
    assert!(
        matches!(error, Error::Status { status: 502, .. }),
        "{error:?}"
    );
    assert_eq!(
        received.count("html-502"),
        1 + 3,
        "a list is tried three times in all"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_its_place() {
    let (base, received) = start_server().await;
    let error = client(&base, "truncated")
        .add_clients(&add_request())
        .await
        .expect_err("truncated");
    match &error {
        Error::Decode {
            status: 200, body, ..
        } => {
            assert_eq!(body.text(), r#"{"result": [{"id": 101}, {"i"#)
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(received.count("truncated"), 1);
}

#[tokio::test]
async fn a_wrong_content_type_with_a_body_that_is_not_json_is_a_decode_error() {
    let (base, _) = start_server().await;
    let error = client(&base, "wrong-content-type")
        .add_clients(&add_request())
        .await
        .expect_err("HTML");
    assert!(
        matches!(&error, Error::Decode { status: 200, body, .. } if body.text().contains("Maintenance")),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error() {
    let (base, _) = start_server().await;
    let error = client(&base, "empty")
        .add_clients(&add_request())
        .await
        .expect_err("empty");
    assert!(
        matches!(&error, Error::Decode { status: 200, body, .. } if body.is_empty()),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout_and_a_create_is_not_repeated() {
    let (base, received) = start_server().await;
    let error = client(&base, "slow")
        .add_clients(&add_request())
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(
        received.count("slow"),
        1,
        "the create may have happened: not repeated"
    );
    assert_hides_token(&error);
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_connection_error_and_a_create_is_not_repeated() {
    let (base, received) = start_server().await;
    let error = client(&base, "reset")
        .add_clients(&add_request())
        .await
        .expect_err("reset");
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(received.count("reset"), 1);
    assert_hides_token(&error);
}

#[tokio::test]
async fn a_50_mb_body_is_refused_at_the_limit_whether_or_not_its_length_is_announced() {
    let (base, _) = start_server().await;
    for fault in ["huge", "huge-unsized"] {
        let error = client(&base, fault)
            .add_clients(&add_request())
            .await
            .expect_err("too large");
        match error {
            Error::BodyTooLarge { status: 200, limit } => {
                assert_eq!(limit, 32 * 1024 * 1024, "{fault}")
            }
            other => panic!("{fault}: expected BodyTooLarge, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_wait_even_for_a_create() {
    let (base, received) = start_server().await;
    let started = std::time::Instant::now();
    let added = client(&base, "too-many")
        .add_clients(&add_request())
        .await
        .expect("the second attempt succeeds");
    assert_eq!(added.result.len(), 2);
    assert_eq!(received.count("too-many"), 2, "refused, then accepted");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was honoured ({:?})",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_the_call_with_the_wait_it_asked_for() {
    let (base, received) = start_server().await;
    let error = client(&base, "too-many-for-long")
        .add_clients(&add_request())
        .await
        .expect_err("an hour is too long");
    assert!(
        matches!(error, Error::Status { status: 429, .. }),
        "{error:?}"
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(received.count("too-many-for-long"), 1);
}

#[tokio::test]
async fn a_503_is_retried_with_backoff_until_it_passes() {
    let (base, received) = start_server().await;
    let added = client(&base, "unavailable")
        .add_clients(&add_request())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(added.result[0].id, 101);
    assert_eq!(received.count("unavailable"), 3);
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_a_decode_error_that_keeps_the_bytes() {
    let (base, _) = start_server().await;
    let error = client(&base, "not-utf8")
        .add_clients(&add_request())
        .await
        .expect_err("not UTF-8");
    match &error {
        Error::Decode { body, .. } => assert_eq!(body.as_bytes(), [b'{', 0xff, 0xfe, b'}']),
        other => panic!("expected Decode, got {other:?}"),
    }
    let _ = error.to_string();
}

#[tokio::test]
async fn an_error_object_inside_a_200_is_an_api_error() {
    let (base, received) = start_server().await;
    let error = client(&base, "error-in-200")
        .add_clients(&add_request())
        .await
        .expect_err("an error object");
    match &error {
        Error::Api {
            status: 200,
            message,
            ..
        } => assert_eq!(message, "Токен недействителен"),
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(received.count("error-in-200"), 1);
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_a_tls_error() {
    let (base, received) = start_server().await;
    let https = base.replace("http://", "https://");
    let error = client(&https, "tls")
        .add_clients(&add_request())
        .await
        .expect_err("plain HTTP behind an https URL");
    assert!(matches!(error, Error::Tls(_)), "{error:?}");
    assert_eq!(received.count("tls"), 0, "no HTTP request got through");
    assert_hides_token(&error);
}

#[tokio::test]
async fn a_refused_connection_is_retried_because_nothing_was_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("bound");
    drop(listener);
    let started = std::time::Instant::now();
    let error = client(&format!("http://{address}"), "gone")
        .add_clients(&add_request())
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_hides_token(&error);
}

/// A `tracing` writer that keeps everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_names_each_request_and_its_outcome_but_never_the_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let (base, _) = start_server().await;
    for fault in ["too-many", "slow", "error-in-200", "html-502", "reset"] {
        let _ = client(&base, fault).add_clients(&add_request()).await;
    }
    let _ = client(&base, "html-502")
        .list_clients(&list_request())
        .await;
    let log = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("UTF-8");
    assert!(!log.contains(TOKEN), "the token is in the trace:\n{log}");
    assert!(log.contains("operation=\"addClients\""), "{log}");
    assert!(log.contains("method=PUT"), "{log}");
    assert!(log.contains("path=/CLIENTS"), "{log}");
    assert!(
        log.contains("status=429") && log.contains("retrying"),
        "{log}"
    );
    assert!(
        log.contains("status=200") && log.contains("latency_ms="),
        "{log}"
    );
    assert!(
        log.contains("wait_ms=1000"),
        "the Retry-After wait is logged: {log}"
    );
    assert!(
        log.contains("operation=\"listClients\"") && log.contains("retry=2"),
        "{log}"
    );
}
