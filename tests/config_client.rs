//! The crate generated with the `config` fixture's `codegen.toml` (`tests/golden/config/`) against
//! a real server on 127.0.0.1: its renamed types and fields keep their JSON names on the wire, and
//! `Client::config()` carries the configured retries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use golden_config::models::{Caretaker, PetDraft};
use golden_config::Client;

/// Serves `app` on a free port; returns its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
    format!("http://{address}")
}

#[tokio::test]
async fn the_configured_retries_are_the_clients_default() {
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let app = Router::new().route(
        "/staff",
        get(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "0")],
                    "busy",
                )
                    .into_response()
            }
        }),
    );
    let base = serve(app).await;
    let client = Client::with_config(Client::config().base_url(base)).expect("client");
    let error = client.list_staff().await.expect_err("the server is busy");
    assert!(
        matches!(error, golden_config::Error::Status { status: 503, .. }),
        "{error:?}"
    );
    // `retries = 4` in tests/fixtures/config/codegen.toml: the first attempt and four more.
    assert_eq!(received.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn renamed_types_and_fields_keep_their_json_names() {
    let app = Router::new()
        .route(
            "/staff",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"[{"name": "Ada", "shift": 2}]"#,
                )
            }),
        )
        .route(
            "/pets",
            axum::routing::post(|body: String| async move {
                let sent: serde_json::Value = serde_json::from_str(&body).expect("JSON body");
                assert_eq!(sent, serde_json::json!({"name": "Rex", "type": "dog"}));
                (
                    StatusCode::CREATED,
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"id": 7, "name": "Rex", "type": "dog", "status": "available"}"#,
                )
            }),
        );
    let base = serve(app).await;
    let client = Client::with_config(Client::config().base_url(base)).expect("client");
    let staff: Vec<Caretaker> = client.list_staff().await.expect("the staff");
    assert_eq!(staff[0].name, "Ada");
    assert_eq!(staff[0].shift, Some(2));
    let mut draft = PetDraft::new("Rex".to_owned());
    draft.type_ = Some("dog".to_owned());
    let pet = client.add_pet(&draft).await.expect("the pet");
    assert_eq!(pet.call_name, "Rex");
    assert_eq!(pet.species.as_deref(), Some("dog"));
    assert_eq!(pet.id, 7);
}

/// `[features] blocking = true`: the blocking client, from a thread with no runtime, against a
/// server on a runtime of its own.
#[test]
fn the_blocking_client_calls_without_an_async_runtime() {
    let server = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let app = Router::new().route(
        "/staff",
        get(|| async {
            (
                [(header::CONTENT_TYPE, "application/json")],
                r#"[{"name": "Grace"}]"#,
            )
        }),
    );
    let base = server.block_on(serve(app));
    let client = Client::with_config(Client::config().base_url(base)).expect("client");
    let blocking = std::thread::spawn(move || {
        let blocking = golden_config::client::blocking::Client::new(client).expect("its runtime");
        blocking.list_staff()
    })
    .join()
    .expect("the thread ends");
    let staff = blocking.expect("the staff");
    assert_eq!(staff[0].name, "Grace");
    assert_eq!(staff[0].shift, None);
}

/// `[formats] date_time = "time"` (the `time` fixture): dates are `time::Date`, instants the
/// runtime's `DateTime` over `time::OffsetDateTime`; both travel as RFC 3339 text and keep the
/// offset, in bodies and in the query.
#[tokio::test]
async fn dates_and_times_with_the_time_crate_round_trip() {
    use golden_time::models::Appointment;

    let wire = serde_json::json!({
        "day": "2024-02-29",
        "at": "2024-02-29T09:30:00+03:00",
        "reminders": ["2024-02-28T18:00:00Z"],
        "closed": {"leap day party": "2024-02-29"}
    });
    let appointment: Appointment = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(appointment.day.month(), golden_time::time::Month::February);
    assert_eq!(appointment.at.offset().whole_hours(), 3);
    assert_eq!(appointment.at.hour(), 9);
    assert_eq!(
        serde_json::to_value(&appointment).expect("encodes"),
        wire,
        "the same text comes back, offsets included"
    );
    let not_rfc_3339 = serde_json::json!({"day": "2024-02-29", "at": "2024-02-29 09:30"});
    assert!(serde_json::from_value::<Appointment>(not_rfc_3339).is_err());

    let seen_query = Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = seen_query.clone();
    let app = Router::new().route(
        "/appointments",
        get(move |uri: axum::http::Uri| {
            let seen = seen.clone();
            async move {
                *seen.lock().expect("not poisoned") = uri.query().map(str::to_owned);
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"[{"day": "2024-03-01", "at": "2024-03-01T08:00:00-05:00"}]"#,
                )
            }
        }),
    );
    let base = serve(app).await;
    let client = golden_time::Client::with_config(golden_time::Client::config().base_url(base))
        .expect("client");
    let since: golden_time::DateTime = "2024-02-29T09:30:00+03:00".parse().expect("RFC 3339");
    let listed = client
        .list_appointments(since, Some(appointment.day))
        .await
        .expect("the appointments");
    assert_eq!(listed[0].at.to_string(), "2024-03-01T08:00:00-05:00");
    assert_eq!(listed[0].day.to_string(), "2024-03-01");
    assert_eq!(
        seen_query.lock().expect("not poisoned").as_deref(),
        Some("since=2024-02-29T09%3A30%3A00%2B03%3A00&day=2024-02-29"),
        "the query carries RFC 3339 and the date as text"
    );
}

/// The `time` crate's models' proptest strategies make values that encode as RFC 3339 and decode
/// back equal.
#[test]
fn the_time_strategies_make_values_that_round_trip() {
    use proptest::strategy::{Strategy, ValueTree};

    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = proptest::arbitrary::any::<golden_time::models::Appointment>();
    for _ in 0..256 {
        let value = strategy.new_tree(&mut runner).expect("a value").current();
        let json = serde_json::to_string(&value).expect("encodes");
        let back: golden_time::models::Appointment = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, value, "{json}");
    }
}
