//! The fake server driven with raw HTTP: what the generated client cannot send (bad JSON, no
//! token, bodies that break the spec, the documented request verbatim), each answer's status and
//! body asserted.

mod common;

use common::{example, TOKEN};
use lotinfo_fake_server::FakeServer;
use serde_json::{json, Value};

/// Sends `body` (raw bytes) with `method` to `/v1/CLIENTS?<query>`; returns status, the body's
/// text and the body as JSON.
async fn send(server: &FakeServer, method: &str, query: &str, body: &[u8]) -> (u16, String, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let response = reqwest::Client::new()
        .request(method, format!("{}/CLIENTS?{query}", server.base_url()))
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, text, json)
}

async fn send_json(server: &FakeServer, method: &str, body: &Value) -> (u16, Value) {
    let (status, _, json) = send(
        server,
        method,
        &format!("token={TOKEN}"),
        body.to_string().as_bytes(),
    )
    .await;
    (status, json)
}

async fn server_with(http_errors: bool, strict: bool) -> FakeServer {
    FakeServer::builder()
        .token(TOKEN)
        .http_errors(http_errors)
        .strict(strict)
        .start()
        .await
        .expect("the server starts")
}

fn pointers(answer: &Value) -> Vec<&str> {
    answer["error"]["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|detail| detail["pointer"].as_str().expect("a pointer"))
        .collect()
}

#[tokio::test]
async fn bad_json_is_an_error_body_with_200_or_400() {
    for (http_errors, status) in [(false, 200), (true, 400)] {
        let server = server_with(http_errors, false).await;
        for method in ["PUT", "POST"] {
            let (got, text, answer) =
                send(&server, method, &format!("token={TOKEN}"), b"{\"data\": [").await;
            assert_eq!(got, status, "{method}: {text}");
            assert_eq!(answer["error"]["code"], "invalid_json", "{text}");
            assert!(
                answer["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("the body is not JSON")),
                "{text}"
            );
        }
        assert!(server.clients().is_empty());
    }
}

#[tokio::test]
async fn a_missing_empty_or_wrong_token_is_refused_before_the_body_is_read() {
    for (http_errors, status) in [(false, 200), (true, 401)] {
        let server = server_with(http_errors, false).await;
        let body = json!({ "data": [{ "fioF": "Иванов" }] }).to_string();
        for (query, message) in [
            ("", "the query parameter `token` is missing"),
            ("token=", "the query parameter `token` is empty"),
            ("token=wrong", "the token is not valid"),
            (
                "tokens=test-token",
                "the query parameter `token` is missing",
            ),
        ] {
            let (got, text, answer) = send(&server, "PUT", query, body.as_bytes()).await;
            assert_eq!(got, status, "{query}: {text}");
            assert_eq!(
                answer,
                json!({ "error": { "code": "invalid_token", "message": message, "details": [] } }),
                "{query}"
            );
            // A bad token wins over a bad body.
            let (_, _, answer) = send(&server, "POST", query, b"not json").await;
            assert_eq!(answer["error"]["code"], "invalid_token");
        }
        assert!(server.clients().is_empty(), "nothing was added");
    }
}

#[tokio::test]
async fn the_token_is_also_read_as_token_in_capitals_as_the_examples_write_it() {
    let server = server_with(false, false).await;
    let (status, _, answer) = send(
        &server,
        "PUT",
        &format!("TOKEN={TOKEN}"),
        json!({ "data": [{ "fioF": "Иванов" }] })
            .to_string()
            .as_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer, json!({ "result": [{ "id": 101 }] }));
    let (_, _, answer) = send(&server, "PUT", "token=a%20b", b"{}").await;
    assert_eq!(
        answer["error"]["code"], "invalid_token",
        "percent-decoded, then compared"
    );
}

#[tokio::test]
async fn the_verbatim_documented_request_is_accepted_unless_strict() {
    let documented = example("put", "requestBody", "documented");
    assert_eq!(
        documented["data"][0]["cityId"], "1067",
        "the example sends strings"
    );

    let lenient = server_with(false, false).await;
    let (status, answer) = send_json(&lenient, "PUT", &documented).await;
    assert_eq!(status, 200);
    assert_eq!(answer["result"], json!([{ "id": 101 }, { "id": 102 }]));
    let stored = lenient.client(101).expect("stored");
    assert_eq!(stored.record["cityId"], 1067, "stored in the spec's type");
    let second = lenient.client(102).expect("stored");
    assert_eq!(
        second.record["contacts"][0]["value"], "79998886655",
        "a phone is a string"
    );

    let strict = server_with(true, true).await;
    let (status, answer) = send_json(&strict, "PUT", &documented).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["code"], "invalid_body");
    let mut refused = pointers(&answer);
    refused.sort_unstable();
    assert_eq!(
        refused,
        [
            "/data/0/cityId",
            "/data/1/clientc",
            "/data/1/contacts/0/value",
            "/data/1/contacts/1/value",
            "/data/1/deepon",
            "/data/1/deeps",
        ]
    );
    assert!(
        strict.clients().is_empty(),
        "nothing of a refused body is added"
    );
    let normalized = example("put", "requestBody", "normalized");
    let (status, _) = send_json(&strict, "PUT", &normalized).await;
    assert_eq!(
        status, 200,
        "the normalized example is what strict mode accepts"
    );
}

#[tokio::test]
async fn add_bodies_that_break_the_spec_name_every_place() {
    let server = server_with(false, false).await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!([1, 2]), vec![""]),
        (json!({}), vec!["/data"]),
        (json!({ "data": [] }), vec!["/data"]),
        (json!({ "data": {} }), vec!["/data"]),
        (
            json!({ "data": [1], "encoding": 2, "code": "x" }),
            vec!["/encoding", "/code", "/data/0"],
        ),
        (
            json!({ "data": [{
                "sex": "m", "birthday": "31.13.2000", "clientType": 5, "userId": 1.5,
                "fioF": 7, "userCategory": [1, "a"],
            }] }),
            vec![
                "/data/0/birthday",
                "/data/0/clientType",
                "/data/0/fioF",
                "/data/0/sex",
                "/data/0/userCategory/1",
                "/data/0/userId",
            ],
        ),
        (
            json!({ "data": [{ "contacts": [
                { "type": "mobile", "value": "89990000000" },
                { "type": "city", "value": "7495" },
                { "type": "email", "value": "nobody", "spy": 1 },
                { "type": "fax", "value": "1" },
                { "value": "1" },
                { "type": "other" },
                { "type": "other", "value": "x", "general": 2 },
            ] }] }),
            vec![
                "/data/0/contacts/0/value",
                "/data/0/contacts/1/value",
                "/data/0/contacts/2/value",
                "/data/0/contacts/2/spy",
                "/data/0/contacts/3/type",
                "/data/0/contacts/4/type",
                "/data/0/contacts/5/value",
                "/data/0/contacts/6/general",
            ],
        ),
        (
            json!({ "data": [{
                "passport": { "serial": "123", "number": "12345a", "codePod": "770077",
                              "snils": "123-123-123-44", "dateSended": "5.9.10" },
                "objects": [{ "id": "x", "lpr": 2, "doled": "half" }],
                "orders": [{ "id": [] }],
                "comments": [{}],
            }] }),
            vec![
                "/data/0/comments/0/value",
                "/data/0/objects/0/id",
                "/data/0/objects/0/lpr",
                "/data/0/objects/0/doled",
                "/data/0/orders/0/id",
                "/data/0/passport/codePod",
                "/data/0/passport/dateSended",
                "/data/0/passport/number",
                "/data/0/passport/serial",
                "/data/0/passport/snils",
            ],
        ),
    ];
    for (body, expected) in cases {
        let (status, answer) = send_json(&server, "PUT", &body).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(answer["error"]["code"], "invalid_body", "{body}: {answer}");
        let mut got = pointers(&answer);
        let mut wanted = expected.clone();
        got.sort_unstable();
        wanted.sort_unstable();
        assert_eq!(got, wanted, "{body}: {answer}");
        let message = answer["error"]["message"].as_str().expect("a message");
        assert!(
            message.starts_with("the body breaks the spec: "),
            "{message}"
        );
    }
    assert!(
        server.clients().is_empty(),
        "no refused body added anything"
    );
}

#[tokio::test]
async fn list_bodies_that_break_the_spec_name_every_place() {
    let server = server_with(true, false).await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!("list"), vec![""]),
        (json!({}), vec!["/code"]),
        (json!({ "code": 1, "limit": 0 }), vec!["/limit"]),
        (json!({ "code": 1, "limit": 3001 }), vec!["/limit"]),
        (json!({ "code": 1, "offset": -1 }), vec!["/offset"]),
        (
            json!({ "code": 1, "nomedia": 0, "encoding": 3 }),
            vec!["/nomedia", "/encoding"],
        ),
        (
            json!({ "code": 1, "order": { "addDate": "up" } }),
            vec!["/order/addDate"],
        ),
        (json!({ "code": 1, "order": ["addDate"] }), vec!["/order"]),
        (
            json!({ "code": 1, "projection": "id" }),
            vec!["/projection"],
        ),
        (
            json!({ "code": 1, "filter": {
                "userId": "x", "delclient": 5, "addDate": { "min": "a" }, "clientCat": "clientc_1",
                "fio": 1,
            } }),
            vec![
                "/filter/addDate/min",
                "/filter/clientCat",
                "/filter/delclient",
                "/filter/fio",
                "/filter/userId",
            ],
        ),
    ];
    for (body, expected) in cases {
        let (status, answer) = send_json(&server, "POST", &body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["error"]["code"], "invalid_body", "{body}: {answer}");
        let mut got = pointers(&answer);
        let mut wanted = expected.clone();
        got.sort_unstable();
        wanted.sort_unstable();
        assert_eq!(got, wanted, "{body}: {answer}");
    }
}

#[tokio::test]
async fn the_documented_list_request_is_accepted_verbatim() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .seed(json!({ "data": [
            { "fioF": "А", "userId": 123, "clientc": 1, "regionName": "Москва", "cityName": "Москва" },
            { "fioF": "Б", "userId": 123, "clientc": 2, "regionName": "Москва", "cityName": "Москва" },
            { "fioF": "В", "userId": 123, "clientc": 2, "regionName": "Москва", "cityName": "Москва" },
        ] }))
        .start()
        .await
        .expect("starts");
    server.set_status(102, 2);
    server.set_status(103, 2);
    // `delClient`, as the example spells it, filters as `delclient` does.
    let mut documented = example("post", "requestBody", "documented");
    assert_eq!(documented["filter"]["delClient"], 2);
    documented["offset"] = json!(0);
    let (status, answer) = send_json(&server, "POST", &documented).await;
    assert_eq!(status, 200, "{answer}");
    let result = answer["result"].as_array().expect("a page");
    let ids: Vec<&Value> = result
        .iter()
        .map(|c| &c["id"]["values"][0]["value"])
        .collect();
    assert_eq!(
        ids,
        ["102", "103"],
        "archived, of category 1 or 2, of user 123"
    );
    // Sorted: the order of a JSON object's keys depends on serde_json's `preserve_order`
    // feature, which another package of the workspace may turn on.
    let mut keys: Vec<&String> = result[0].as_object().expect("an object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["addDate", "id", "objectsList"]);
}

#[tokio::test]
async fn the_order_s_keys_sort_in_the_order_the_body_gives_them() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .seed(json!({ "data": [
            { "fioF": "А", "userId": 2 },
            { "fioF": "Б", "userId": 1 },
            { "fioF": "А", "userId": 1 },
            { "fioF": "В", "userId": 3 },
        ] }))
        .start()
        .await
        .expect("starts");
    let ids = |answer: &Value| -> Vec<String> {
        answer["result"]
            .as_array()
            .expect("a page")
            .iter()
            .map(|c| {
                c["id"]["values"][0]["value"]
                    .as_str()
                    .expect("an id")
                    .to_owned()
            })
            .collect()
    };
    let (_, _, by_user) = send(
        &server,
        "POST",
        &format!("token={TOKEN}"),
        br#"{"code": 1, "order": {"userId": "asc", "fioF": "desc"}}"#,
    )
    .await;
    assert_eq!(ids(&by_user), ["102", "103", "101", "104"]);
    let (_, _, by_name) = send(
        &server,
        "POST",
        &format!("token={TOKEN}"),
        br#"{"code": 1, "order": {"fioF": "desc", "userId": "asc"}}"#,
    )
    .await;
    assert_eq!(ids(&by_name), ["104", "102", "103", "101"]);
}

#[tokio::test]
async fn encoding_1_escapes_every_non_ascii_character_of_the_answer() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .seed(json!({ "data": [{ "fioF": "Укаж" }] }))
        .start()
        .await
        .expect("starts");
    let query = format!("token={TOKEN}");
    let (_, text, escaped) = send(
        &server,
        "POST",
        &query,
        br#"{"code": 1, "encoding": 1, "projection": ["fioF"]}"#,
    )
    .await;
    assert!(text.is_ascii(), "{text}");
    assert!(
        text.contains(r"\u0423\u043a\u0430\u0436"),
        "the documentation's example: {text}"
    );
    let (_, plain_text, plain) = send(
        &server,
        "POST",
        &query,
        br#"{"code": 1, "projection": ["fioF"]}"#,
    )
    .await;
    assert!(plain_text.contains("Укаж"));
    assert_eq!(escaped, plain, "both decode to the same JSON");

    // Adding clients: the notices' Russian text is escaped too, also for `"encoding": "1"`.
    for encoding in [json!(1), json!("1")] {
        let body = json!({ "encoding": encoding, "data": [
            { "objects": [{ "id": 9, "lpr": 1 }] },
            { "objects": [{ "id": 9, "lpr": 1 }] },
        ] });
        let (status, text, answer) =
            send(&server, "PUT", &query, body.to_string().as_bytes()).await;
        assert_eq!(status, 200);
        assert!(
            text.is_ascii() && text.contains(r"\u041b\u041f\u0420"),
            "{text}"
        );
        assert_eq!(answer["notices"][0]["notice_field"], "lpr");
        assert!(answer["notices"][0]["notice_text"]
            .as_str()
            .is_some_and(|t| t.contains("ЛПР=1")));
    }
}

#[tokio::test]
async fn other_paths_and_methods_are_not_served() {
    let server = server_with(false, false).await;
    let response = reqwest::Client::new()
        .get(format!("{}/CLIENTS?token={TOKEN}", server.base_url()))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 405);
    let response = reqwest::Client::new()
        .put(format!("{}/OBJECTS?token={TOKEN}", server.base_url()))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 404);
    let (status, _, _) = send(&server, "PUT", "token=test-token", &vec![b' '; 3 << 20]).await;
    assert_eq!(status, 413, "a body over 2 MB");
}
