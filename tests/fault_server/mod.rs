//! A local server (axum on 127.0.0.1) that misbehaves in each way a real one can, for the fault
//! injection and tracing tests: `/{fault}/CLIENTS` answers with the fault named in the path.

// Each test binary uses the part of it that it needs.
#![allow(dead_code)]

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
use lotinfo_client::{Client, RetryPolicy};
use lotinfo_tests::lotinfo_spec_value;

pub const TOKEN: &str = "fault-s3cret";

/// Requests received, per fault.
#[derive(Clone, Default)]
pub struct Received(Arc<Mutex<BTreeMap<String, Arc<AtomicUsize>>>>);

impl Received {
    fn counter(&self, fault: &str) -> Arc<AtomicUsize> {
        self.0
            .lock()
            .expect("not poisoned")
            .entry(fault.to_owned())
            .or_default()
            .clone()
    }

    pub fn count(&self, fault: &str) -> usize {
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
pub async fn start_server() -> (String, Received) {
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

pub fn client(base: &str, fault: &str) -> Client {
    let config = Client::config()
        .base_url(format!("{base}/{fault}"))
        .credential("token", TOKEN)
        .timeout(Duration::from_millis(700))
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(5)));
    Client::with_config(config).expect("client")
}

pub fn add_request() -> AddClientsRequest {
    let example = lotinfo_spec_value()
        .pointer(
            "/paths/~1CLIENTS/put/requestBody/content/application~1json/examples/normalized/value",
        )
        .cloned()
        .expect("the normalized example");
    serde_json::from_value(example).expect("the example is a request")
}

pub fn list_request() -> ListClientsRequest {
    ListClientsRequest::new(101010)
}
