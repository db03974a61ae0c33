//! No body breaks the server: every node of the documented requests, replaced by values of every
//! other kind, gets an answer of the documented shapes (the success body or an error body), never
//! a dropped connection (which is what a panicking handler gives).

mod common;

use common::{example, TOKEN};
use lotinfo_fake_server::FakeServer;
use serde_json::{json, Value};

/// Every JSON pointer into `value`, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(-1),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1.5e300),
        json!(""),
        json!("Ё".repeat(300)),
        json!([]),
        json!({}),
        json!([[[{}]]]),
    ]
}

async fn answers_every_mutation(server: &FakeServer, method: reqwest::Method, base: Value) {
    let http = reqwest::Client::new();
    let url = format!("{}/CLIENTS?token={TOKEN}", server.base_url());
    let mut all = Vec::new();
    pointers(&base, String::new(), &mut all);
    let (mut accepted, mut refused) = (0, 0);
    for pointer in &all {
        for replacement in replacements() {
            let mut body = base.clone();
            if pointer.is_empty() {
                body = replacement.clone();
            } else {
                *body.pointer_mut(pointer).expect("the pointer exists") = replacement.clone();
            }
            let response = http
                .request(method.clone(), &url)
                .body(body.to_string())
                .send()
                .await
                .unwrap_or_else(|error| panic!("{method} {pointer} = {replacement}: {error}"));
            assert_eq!(response.status().as_u16(), 200, "{pointer} = {replacement}");
            let text = response.text().await.expect("a body");
            let answer: Value = serde_json::from_str(&text).expect("a JSON answer");
            if answer.get("result").is_some_and(Value::is_array) {
                accepted += 1;
            } else {
                assert!(
                    answer["error"]["message"].is_string(),
                    "{method} {pointer} = {replacement}: {answer}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        accepted > 0 && refused > 0,
        "{accepted} accepted, {refused} refused"
    );
}

#[tokio::test]
async fn every_mutation_of_the_documented_add_request_gets_an_answer() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .start()
        .await
        .expect("starts");
    answers_every_mutation(
        &server,
        reqwest::Method::PUT,
        example("put", "requestBody", "documented"),
    )
    .await;
}

#[tokio::test]
async fn every_mutation_of_the_documented_list_request_gets_an_answer() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .seed(example("put", "requestBody", "normalized"))
        .start()
        .await
        .expect("starts");
    answers_every_mutation(
        &server,
        reqwest::Method::POST,
        example("post", "requestBody", "documented"),
    )
    .await;
}
