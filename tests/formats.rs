//! Formats and tuples as the generator types them (the `formats` golden crate), against a real
//! HTTP server: dates, timestamps and UUIDs in the path and query, base64 bytes and tuples in
//! bodies, and the validation of tuple items.

use golden_formats::models::{Event, Level};
use golden_formats::{chrono, uuid, Base64Bytes, Client, Error};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer) -> Client {
    Client::with_config(Client::config().base_url(server.uri())).expect("client")
}

fn event_id() -> uuid::Uuid {
    uuid::Uuid::parse_str("123e4567-e89b-12d3-a456-426614174000").expect("a UUID")
}

#[tokio::test]
async fn dates_timestamps_and_uuids_are_written_as_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events/123e4567-e89b-12d3-a456-426614174000"))
        .and(query_param("since", "2024-02-29T10:00:00+03:00"))
        .and(query_param("day", "2024-02-29"))
        .and(query_param("days", "2024-02-29,2024-03-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "123e4567-e89b-12d3-a456-426614174000",
            "day": "2024-02-29",
            "startsAt": "2024-02-29T07:00:00Z",
            "endsAt": null,
            "attachment": "aGVsbG8=",
            "thumbnails": ["AAE", "-_8"],
            "ratio": "0.25",
            "position": [55.75, 37.61],
            "label": ["tag", 3, "high"],
            "history": ["first", 2, true]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-02-29T10:00:00+03:00").expect("time");
    let day = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("date");
    let days = [
        day,
        chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("date"),
    ];
    let event = client_for(&server)
        .get_event(event_id(), Some(since), Some(day), Some(&days))
        .await
        .expect("the event");
    assert_eq!(event.id, event_id());
    assert_eq!(event.day, day);
    assert_eq!(
        event.starts_at,
        Some(since),
        "the same instant in another offset"
    );
    assert_eq!(event.ends_at, None);
    assert_eq!(event.attachment.as_deref(), Some(&b"hello"[..]));
    let thumbnails: Vec<Vec<u8>> = event
        .thumbnails
        .expect("thumbnails")
        .into_iter()
        .map(Base64Bytes::into_inner)
        .collect();
    assert_eq!(
        thumbnails,
        [vec![0, 1], vec![0xfb, 0xff]],
        "unpadded and URL-safe"
    );
    assert_eq!(
        event.ratio,
        Some(0.25f32),
        "a float that arrives as a string"
    );
    assert_eq!(event.position, Some((55.75, 37.61)));
    assert_eq!(event.label, Some(("tag".to_owned(), 3, Level::High)));
    assert_eq!(
        event.history,
        Some(vec![
            serde_json::json!("first"),
            serde_json::json!(2),
            serde_json::json!(true)
        ]),
        "an open tuple keeps every item"
    );
}

#[tokio::test]
async fn a_body_with_formats_is_sent_as_json_text() {
    let server = MockServer::start().await;
    let expected = serde_json::json!({
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "day": "2024-02-29",
        "startsAt": "2024-02-29T10:00:00+03:00",
        "attachment": "AAH/",
        "position": [55.75, 37.61],
        "label": ["tag", 3, "low"]
    });
    Mock::given(method("POST"))
        .and(path("/events"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_json(&expected))
        .expect(1)
        .mount(&server)
        .await;
    let mut event = Event::new(
        event_id(),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("date"),
    );
    event.starts_at =
        Some(chrono::DateTime::parse_from_rfc3339("2024-02-29T10:00:00+03:00").expect("time"));
    event.attachment = Some(Base64Bytes(vec![0, 1, 0xff]));
    event.position = Some((55.75, 37.61));
    event.label = Some(("tag".to_owned(), 3, Level::Low));
    let created = client_for(&server)
        .create_event(&event)
        .await
        .expect("created");
    assert_eq!(created, event, "what was sent comes back the same");
}

#[tokio::test]
async fn tuple_items_are_validated_before_sending() {
    let server = MockServer::start().await;
    let mut event = Event::new(
        event_id(),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("date"),
    );
    event.position = Some((91.0, -181.0));
    event.label = Some((String::new(), 0, Level::Low));
    let error = client_for(&server)
        .create_event(&event)
        .await
        .expect_err("invalid");
    let Error::InvalidRequest(invalid) = error else {
        panic!("expected InvalidRequest, got {error:?}");
    };
    let pointers: Vec<&str> = invalid
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/position/0", "/position/1", "/label/0"]);
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn a_malformed_timestamp_is_a_decode_error_that_names_the_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "123e4567-e89b-12d3-a456-426614174000",
            "day": "2024-02-29",
            "startsAt": "29.02.2024 10:00"
        })))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .get_event(event_id(), None, None, None)
        .await
        .expect_err("undecodable");
    let rendered = error.to_string();
    assert!(rendered.contains("startsAt"), "{rendered}");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}
