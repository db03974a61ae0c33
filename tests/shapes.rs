//! The answers of the shapes fixture decode as the spec allows them (the `shapes` golden crate,
//! against a real HTTP server): an `allOf` of one type and a description is that type, `items`
//! without `type` is a list only when nothing says object, a `required` name with no property is
//! a required field, discriminator values come from `mapping`, an `enum` of one or the schema's
//! name, a nullable reference is an `Option`, and a 204 that declares a body has none.

use golden_shapes::models::{ActionStatus, Media, Ticket};
use golden_shapes::Client;
use lotinfo_tests::repo_root;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The example the fixture documents for the 200 answer of `route` (`/actions`, get).
fn documented_example(route: &str, verb: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/shapes.yaml"))
        .expect("the fixture is readable");
    let spec: Value = serde_yaml::from_str(&text).expect("the fixture is YAML");
    spec["paths"][route][verb]["responses"]["200"]["content"]["application/json"]["example"].clone()
}

/// A server answering `verb route` with `status` and `body` (no body when `None`).
async fn serving(verb: &str, route: &str, status: u16, body: Option<Value>) -> MockServer {
    let server = MockServer::start().await;
    let template = match body {
        Some(body) => ResponseTemplate::new(status).set_body_json(body),
        None => ResponseTemplate::new(status),
    };
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::with_config(Client::config(server.uri())).expect("client")
}

#[tokio::test]
async fn an_all_of_of_one_type_and_a_description_is_that_type() {
    let example = documented_example("/actions", "get");
    let server = serving("GET", "/actions", 200, Some(example)).await;
    let answer = client(&server)
        .list_actions()
        .await
        .expect("the actions decode");
    let first = &answer.actions[0];
    assert_eq!(first.region_slug.as_deref(), Some("nyc3"));
    assert_eq!(first.status, ActionStatus::Done);
    assert_eq!(
        first.tags.as_deref(),
        Some(&["gateway".to_owned(), "frontend".to_owned()][..]),
        "a list of tags, not an empty struct"
    );
    assert_eq!(
        first.issued.map(|date| date.to_string()).as_deref(),
        Some("2024-02-29")
    );
    assert_eq!(
        first.sizes.as_deref(),
        Some(&["s-1".to_owned(), "s-2".to_owned()][..])
    );
    let second = &answer.actions[1];
    assert_eq!(second.region_slug, None, "the `nullable` part admits null");
    assert_eq!(second.tags, None);
}

#[tokio::test]
async fn a_nullable_reference_is_an_option_in_lists_and_fields() {
    let example = documented_example("/kernels", "get");
    let server = serving("GET", "/kernels", 200, Some(example)).await;
    let answer = client(&server)
        .list_kernels()
        .await
        .expect("the kernels decode");
    assert_eq!(answer.kernels.len(), 2);
    assert_eq!(answer.kernels[0].as_ref().and_then(|k| k.id), Some(7515));
    assert_eq!(answer.kernels[1], None, "a null item");
    assert_eq!(answer.current, None);
    assert_eq!(answer.previous, None, "`allOf` with a nullable part");
}

#[tokio::test]
async fn a_required_name_without_a_property_is_a_required_field() {
    let example = documented_example("/tickets/{ticketId}", "get");
    let server = serving("GET", "/tickets/1", 200, Some(example)).await;
    let ticket = client(&server)
        .get_ticket(1)
        .await
        .expect("the ticket decodes");
    assert_eq!(ticket.extra, json!({"anything": [1, 2]}));
    assert_eq!(
        ticket
            .labels
            .and_then(|labels| labels.get("colour").cloned()),
        Some(json!("red")),
        "`items` with an object example is a map"
    );
    let encoded = serde_json::to_value(Ticket::new(2, json!(null))).expect("encodes");
    assert_eq!(
        encoded,
        json!({"id": 2, "extra": null}),
        "the required property is sent"
    );
    let missing = serde_json::from_value::<Ticket>(json!({"id": 3}));
    assert!(missing.is_err(), "a ticket without `extra` breaks the spec");
}

#[tokio::test]
async fn discriminator_values_come_from_mapping_enum_and_name() {
    let example = documented_example("/media", "get");
    let server = serving("GET", "/media", 200, Some(example)).await;
    let media = client(&server)
        .list_media()
        .await
        .expect("the media decode");
    assert!(matches!(&media[0], Media::Song(song) if song.title == "Blue"));
    assert!(matches!(&media[1], Media::Episode(episode) if episode.show == "Tonight"));
    assert!(matches!(&media[2], Media::Clip(clip) if clip.seconds == Some(30)));
    for item in &media {
        let back: Media = serde_json::from_value(serde_json::to_value(item).expect("encodes"))
            .expect("decodes again");
        assert_eq!(&back, item);
    }
}

#[tokio::test]
async fn a_member_the_spec_does_not_list_is_kept_and_not_sent() {
    let podcast = json!({"type": "podcast", "title": "Weekly"});
    let server = serving("GET", "/media", 200, Some(json!([podcast]))).await;
    let media = client(&server)
        .list_media()
        .await
        .expect("a new member does not break the answer");
    assert_eq!(media, vec![Media::Unknown(podcast.clone())]);
    assert_eq!(
        serde_json::to_value(&media[0]).expect("encodes"),
        podcast,
        "kept as received"
    );
    let refused = golden_shapes::Validate::validate(&media[0]).expect_err("refused");
    let places: Vec<&str> = refused
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(places, ["/type"], "{refused}");
    assert!(refused.to_string().contains("must be one of"), "{refused}");
}

#[tokio::test]
async fn a_204_that_declares_a_body_reads_none() {
    let server = serving("DELETE", "/tickets/1", 204, None).await;
    client(&server)
        .delete_ticket(1)
        .await
        .expect("an empty 204 is a success");
}

#[tokio::test]
async fn an_empty_answer_where_any_value_is_allowed_is_null() {
    let server = serving("POST", "/tickets/1/close", 200, None).await;
    let answer = client(&server)
        .close_ticket(1)
        .await
        .expect("an empty body is null");
    assert_eq!(answer, Value::Null);
}
