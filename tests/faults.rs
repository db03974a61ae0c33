//! Fault injection: the generated lotinfo client against a local server (axum on 127.0.0.1) that
//! misbehaves in each way a real one can. Every fault must give its documented error variant,
//! none may panic, and the create operation (`PUT /CLIENTS`, not idempotent) must never be sent
//! twice after a failure whose outcome is unknown.

mod fault_server;

use std::time::Duration;

use fault_server::{add_request, client, list_request, start_server, TOKEN};
use lotinfo_client::Error;

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
