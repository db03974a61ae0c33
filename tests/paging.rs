//! The page walker the generator emits for `x-pagination` (the `pagination` golden crate)
//! against a real HTTP server: offsets advance by the items received, and the walk stops at the
//! first short or empty page.

use golden_pagination::models::{ListThingsRequest, ListThingsResponseResultItem};
use golden_pagination::Client;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Serves `total` things, `limit` at a time from `offset`, as the request body asks.
struct Things {
    total: i64,
}

impl Respond for Things {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        let offset = body["offset"]
            .as_i64()
            .expect("the walker always sends an offset");
        let limit = body["limit"].as_i64().unwrap_or(3);
        let result: Vec<Value> = (offset..(offset + limit).min(self.total))
            .map(|id| json!({ "id": id }))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "result": result }))
    }
}

async fn serve(total: i64) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(Things { total })
        .mount(&server)
        .await;
    let client = Client::with_config(Client::config().base_url(server.uri())).expect("client");
    (server, client)
}

fn sent_bodies(requests: &[Request]) -> Vec<Value> {
    requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect()
}

#[tokio::test]
async fn walks_until_a_short_page() {
    let (server, client) = serve(5).await;
    let request = ListThingsRequest {
        filter: Some("red".to_owned()),
        limit: Some(2),
        offset: None,
    };
    let mut pages = client.list_things_pages(&request);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.expect("a page").len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    let bodies = sent_bodies(&server.received_requests().await.expect("recorded"));
    let offsets: Vec<i64> = bodies
        .iter()
        .map(|b| b["offset"].as_i64().expect("offset"))
        .collect();
    assert_eq!(offsets, [0, 2, 4]);
    assert!(
        bodies
            .iter()
            .all(|b| b["filter"] == "red" && b["limit"] == 2),
        "the rest of the request is kept"
    );
}

#[tokio::test]
async fn a_full_last_page_ends_with_an_empty_one() {
    let (server, client) = serve(4).await;
    let request = ListThingsRequest {
        limit: Some(2),
        ..Default::default()
    };
    let all = client
        .list_things_pages(&request)
        .all()
        .await
        .expect("all pages");
    let ids: Vec<i64> = all
        .iter()
        .map(|t: &ListThingsResponseResultItem| t.id)
        .collect();
    assert_eq!(ids, [0, 1, 2, 3]);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test]
async fn the_spec_default_is_the_page_size_when_the_request_leaves_it_out() {
    let (server, client) = serve(7).await;
    let all = client
        .list_things_pages(&ListThingsRequest::default())
        .all()
        .await
        .expect("all pages");
    assert_eq!(all.len(), 7);
    // Pages of the default 3: 3, 3, 1.
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test]
async fn an_error_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let client = Client::with_config(Client::config().base_url(server.uri())).expect("client");
    let mut pages = client.list_things_pages(&ListThingsRequest::default());
    let first = pages.next_page().await.expect("one result");
    assert_eq!(first.expect_err("the 503").status(), Some(503));
    assert!(pages.next_page().await.is_none(), "no page after an error");
}
