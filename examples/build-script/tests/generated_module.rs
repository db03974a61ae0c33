//! The module `build.rs` generated, against a real HTTP server on 127.0.0.1 (axum): the request
//! the application's call sends, and the response it decodes.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use build_script_example::{client_names, connect, lotinfo};
use serde_json::{json, Value};

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    query: Option<String>,
    body: Value,
}

/// What the server answers, and what it saw.
struct Server {
    status: StatusCode,
    body: String,
    seen: Mutex<Vec<Seen>>,
}

/// A server that records every request and answers each with `status` and `body`; its base URL.
async fn serve(status: StatusCode, body: Value) -> (String, Arc<Server>) {
    let server = Arc::new(Server {
        status,
        body: body.to_string(),
        seen: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .fallback(
            |State(server): State<Arc<Server>>,
             method: Method,
             uri: Uri,
             RawQuery(query): RawQuery,
             body: Bytes| async move {
                server.seen.lock().expect("not poisoned").push(Seen {
                    method,
                    path: uri.path().to_owned(),
                    query,
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                });
                let headers = [(header::CONTENT_TYPE, "application/json")];
                (server.status, headers, server.body.clone()).into_response()
            },
        )
        .with_state(Arc::clone(&server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a local port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), server)
}

#[tokio::test]
async fn lists_clients_through_the_generated_module() {
    let response = json!({"result": [
        {"fio": {"fieldName": "ФИО", "fieldType": "text", "fieldMulti": "single",
                 "values": [{"value": "Иванов Иван"}]}},
        {"fio": {"fieldName": "ФИО", "fieldType": "text", "fieldMulti": "single",
                 "values": [{"value": "Петрова Анна"}]}}
    ]});
    let (base_url, server) = serve(StatusCode::OK, response).await;
    let client = connect(&base_url, "secret-token").expect("a client");

    let names = client_names(&client, 101010, 2)
        .await
        .expect("the response decodes");

    assert_eq!(names, ["Иванов Иван", "Петрова Анна"]);
    let seen = server.seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 1, "one request: {seen:?}");
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(seen[0].path, "/CLIENTS");
    assert_eq!(seen[0].query.as_deref(), Some("token=secret-token"));
    assert_eq!(
        seen[0].body,
        json!({"code": 101010, "projection": ["fio"], "limit": 2})
    );
}

#[tokio::test]
async fn a_documented_error_status_is_the_generated_error() {
    let (base_url, server) = serve(StatusCode::BAD_REQUEST, json!({"error": "bad code"})).await;
    let client = connect(&base_url, "secret-token").expect("a client");

    let error = client_names(&client, 1, 1)
        .await
        .expect_err("a 400 is an error");

    match &error {
        lotinfo::Error::Status { status, .. } => assert_eq!(*status, 400),
        other => panic!("a status error, got {other:?}"),
    }
    assert_eq!(server.seen.lock().expect("not poisoned").len(), 1);
}

#[tokio::test]
async fn the_generated_module_validates_before_sending() {
    let (base_url, server) = serve(StatusCode::OK, json!({"result": []})).await;
    let client = connect(&base_url, "secret-token").expect("a client");

    // The spec caps the page size at 3000.
    let error = client_names(&client, 1, 3001)
        .await
        .expect_err("an invalid request is refused");

    assert!(
        matches!(error, lotinfo::Error::InvalidRequest(_)),
        "a validation error, got {error:?}"
    );
    assert!(
        server.seen.lock().expect("not poisoned").is_empty(),
        "nothing was sent"
    );
}
