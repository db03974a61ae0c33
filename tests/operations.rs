//! Parameters, bearer authentication and documented error bodies as the generator emits them
//! (the `operations` golden crate), against a real HTTP server.

use golden_operations::client::{CreateItemError, GetItemError, ListItemsError};
use golden_operations::models::{GetItemXCacheHeader, Problem, State};
use golden_operations::{Client, Error};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer, token: Option<&str>) -> Client {
    let config = Client::config(server.uri());
    let config = match token {
        Some(token) => config.credential("bearerAuth", token),
        None => config,
    };
    Client::with_config(config).expect("client")
}

#[tokio::test]
async fn path_query_and_header_parameters_and_the_bearer_token_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/42"))
        .and(query_param("fields", "name"))
        .and(query_param("verbose", "true"))
        .and(header("x-request-id", "ab-12"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "42", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let fields = ["name".to_owned(), "id".to_owned()];
    let item = client_for(&server, Some("t0ken"))
        .get_item(42, Some(&fields), Some("ab-12"), Some(true))
        .await
        .expect("the item");
    assert_eq!(item.id, 42);
    let request = &server.received_requests().await.expect("recorded")[0];
    let repeated: Vec<String> = request
        .url
        .query_pairs()
        .filter(|(k, _)| k == "fields")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(
        repeated,
        ["name", "id"],
        "an exploded list repeats the parameter"
    );
}

#[tokio::test]
async fn a_documented_error_body_decodes_as_its_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"title": "No such item", "status": 404}"#,
            "application/problem+json",
        ))
        .mount(&server)
        .await;
    let error = client_for(&server, Some("t"))
        .get_item(7, None, None, None)
        .await
        .expect_err("404");
    assert!(matches!(error, Error::Status { status: 404, .. }));
    let problem: Problem = error
        .body_json()
        .expect("a response")
        .expect("the documented body");
    assert_eq!(problem.title.as_deref(), Some("No such item"));
    assert_eq!(problem.status, Some(404));
    match error.documented::<GetItemError>() {
        Some(Ok(GetItemError::NotFound(typed))) => assert_eq!(typed, problem),
        other => panic!("expected the NotFound variant, got {other:?}"),
    }
}

#[tokio::test]
async fn the_status_picks_the_documented_error_variant() {
    let server = MockServer::start().await;
    for (item, status, body) in [
        ("1", 503, r#"{"retryAfterSeconds": 30}"#),
        ("2", 418, "I'm a teapot"),
        ("3", 500, "<html>not the documented body</html>"),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/items/{item}")))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
    }
    let client = client_for(&server, Some("t"));
    let server_error = client.get_item(1, None, None, None).await.expect_err("503");
    match server_error.documented::<GetItemError>() {
        Some(Ok(GetItemError::ServerError(body))) => {
            assert_eq!(body.retry_after_seconds, Some(30), "the 5XX class's body")
        }
        other => panic!("expected ServerError, got {other:?}"),
    }
    let teapot = client.get_item(2, None, None, None).await.expect_err("418");
    assert!(
        matches!(
            teapot.documented::<GetItemError>(),
            Some(Ok(GetItemError::Other))
        ),
        "`default` covers every other status"
    );
    let garbled = client.get_item(3, None, None, None).await.expect_err("500");
    let decode_error = garbled
        .documented::<GetItemError>()
        .expect("5XX is documented")
        .expect_err("the body is not the documented JSON");
    assert!(decode_error.is_syntax(), "{decode_error}");
    assert_eq!(
        garbled.raw_body().map(|b| b.as_bytes().to_vec()),
        Some(b"<html>not the documented body</html>".to_vec()),
        "the raw body stays in the error"
    );
    let not_a_status = client_for(&server, None)
        .get_item(1, None, None, None)
        .await
        .expect_err("no credential");
    assert!(not_a_status.documented::<GetItemError>().is_none());
}

#[tokio::test]
async fn an_operation_that_needs_a_credential_is_not_sent_without_one() {
    let server = MockServer::start().await;
    let error = client_for(&server, None)
        .get_item(1, None, None, None)
        .await
        .expect_err("no credential");
    assert!(
        matches!(
            error,
            Error::MissingCredentials {
                operation: "getItem",
                ..
            }
        ),
        "{error}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn an_operation_with_empty_security_needs_none_and_validates_its_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = client_for(&server, None);
    assert!(client
        .list_items(Some(10), None, None)
        .await
        .expect("no credential needed")
        .is_empty());
    let error = client
        .list_items(Some(500), None, None)
        .await
        .expect_err("limit above 100");
    assert!(
        error
            .to_string()
            .contains("/(query)/limit: must be at most 100"),
        "{error}"
    );
    // A list of a named enum is checked item by item: a value the spec does not list is refused
    // at its index, and nothing is sent.
    let states = [State::Draft, State::Unknown("archived".to_owned())];
    let error = client
        .list_items(None, None, Some(&states))
        .await
        .expect_err("an unlisted state");
    assert!(
        error
            .to_string()
            .contains("/(query)/states/1: must be one of"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn statuses_with_different_bodies_decode_into_their_variants() {
    use golden_operations::client::CreateItemResponses;
    use golden_operations::models::Item;
    let item = Item {
        id: 5,
        name: Some("x".to_owned()),
    };
    for (status, body, expected) in [
        (
            201,
            r#"{"id": 5, "name": "x"}"#,
            CreateItemResponses::Created(item.clone()),
        ),
        (
            202,
            "queued at /jobs/9",
            CreateItemResponses::Accepted("queued at /jobs/9".to_owned()),
        ),
        (204, "", CreateItemResponses::NoContent),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/items"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let response = client_for(&server, Some("t"))
            .create_item(&item)
            .await
            .expect("a documented status");
        assert_eq!(response, expected, "status {status}");
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let error = client_for(&server, Some("t"))
        .create_item(&item)
        .await
        .expect_err("200 is not documented");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn documented_response_headers_are_decoded_beside_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/5"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": 5, "name": "x"}))
                .insert_header("x-rate-limit-remaining", "17")
                .insert_header("x-cache", "hit")
                .insert_header("etag", "\"v1\""),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/6"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": 6, "name": "y"}))
                .insert_header("x-rate-limit-remaining", "plenty"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server, Some("t"));
    let (item, headers) = client
        .get_item_with_headers(5, None, None, None)
        .await
        .expect("the item");
    assert_eq!(item.id, 5);
    assert_eq!(headers.x_rate_limit_remaining, Some(17));
    assert_eq!(headers.x_cache, Some(GetItemXCacheHeader::Hit));
    assert_eq!(headers.e_tag.as_deref(), Some("\"v1\""));

    let error = client
        .get_item_with_headers(6, None, None, None)
        .await
        .expect_err("not an integer");
    match &error {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "(header) X-Rate-Limit-Remaining");
            assert_eq!(body.as_bytes(), b"plenty");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let plain = client.get_item(5, None, None, None).await.expect("plain");
    assert_eq!(plain.name.as_deref(), Some("x"));
    let unread = client
        .get_item(6, None, None, None)
        .await
        .expect("headers are not read");
    assert_eq!(
        unread.id, 6,
        "a bad header does not fail the method that does not return it"
    );
}

#[tokio::test]
async fn operations_with_the_same_documented_errors_share_one_enum() {
    // listItems documents the same errors as createItem (a shared `4XX` response): its error
    // type is the same enum, so one function handles both.
    fn reason(error: &CreateItemError) -> Option<&str> {
        match error {
            CreateItemError::ClientError(problem) => problem.title.as_deref(),
            // Error enums are `#[non_exhaustive]`: a later spec may document more statuses.
            _ => None,
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(422).set_body_raw(
            r#"{"title": "limit too large", "status": 422}"#,
            "application/problem+json",
        ))
        .mount(&server)
        .await;
    let error = client_for(&server, None)
        .list_items(Some(100), None, None)
        .await
        .expect_err("422");
    let typed: ListItemsError = error
        .documented::<ListItemsError>()
        .expect("4XX is documented")
        .expect("the body is a Problem");
    assert_eq!(reason(&typed), Some("limit too large"));
}
