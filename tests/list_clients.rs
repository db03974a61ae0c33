//! `POST /CLIENTS` (list clients), added to the spec without a change to the generator, end to
//! end against a local HTTP server: the documented request, the documented response with its
//! string-encoded ids, and a page walk that stops at the first short page.

use lotinfo_client::models::{FieldValue, ListClientsRequest};
use lotinfo_client::Client;
use lotinfo_tests::lotinfo_spec_value;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn list_operation() -> Value {
    lotinfo_spec_value()["paths"]["/CLIENTS"]["post"].clone()
}

fn client_for(server: &MockServer) -> Client {
    Client::with_config(
        Client::config()
            .base_url(server.uri())
            .credential("token", "secret-token"),
    )
    .expect("client")
}

#[tokio::test]
async fn sends_the_documented_request_and_decodes_the_documented_response() {
    let operation = list_operation();
    let normalized = operation["requestBody"]["content"]["application/json"]["examples"]
        ["normalized"]["value"]
        .clone();
    let documented = operation["responses"]["200"]["content"]["application/json"]["examples"]
        ["documented"]["value"]
        .clone();
    assert_eq!(
        documented["result"][0]["contacts"]["values"][0]["id"], "11332",
        "the example sends ids as strings"
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/CLIENTS"))
        .and(query_param("token", "secret-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&documented))
        .expect(1)
        .mount(&server)
        .await;

    let request: ListClientsRequest =
        serde_json::from_value(normalized.clone()).expect("the normalized example is a request");
    let response = client_for(&server)
        .list_clients(&request)
        .await
        .expect("the documented response decodes");

    let sent: Value =
        serde_json::from_slice(&server.received_requests().await.expect("recorded")[0].body)
            .expect("JSON");
    assert_eq!(
        sent, normalized,
        "the client sends the normalized example as it is"
    );

    let contacts = &response.result[0]["contacts"];
    assert_eq!(contacts.field_type, "contact");
    assert_eq!(contacts.field_multi, "multi");
    match &contacts.values[0] {
        FieldValue::ContactFieldValue(contact) => {
            assert_eq!(contact.id, 11332, "the string id is decoded as an integer");
            assert_eq!(contact.value, "79778881111");
            assert_eq!(contact.type_, "mobile");
            assert_eq!(contact.general, None, "null is None");
        }
        other => panic!("a contact value, got {other:?}"),
    }
}

#[tokio::test]
async fn comment_and_object_values_decode_with_their_string_numbers() {
    let server = MockServer::start().await;
    let body = json!({"result": [{
        "comments": {"fieldName": "Комментарии", "fieldType": "comment", "fieldMulti": "multi",
                     "values": [{"id": "68614", "value": "комментарий 1", "date": "1620227708", "userId": "123"}]},
        "objectsList": {"fieldName": "Объекты", "fieldType": "object", "fieldMulti": "multi",
                        "values": [{"id": "1001", "lpr": "1", "name": null, "doled": "1/2"}]}
    }]});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let response = client_for(&server)
        .list_clients(&ListClientsRequest::new(101010))
        .await
        .expect("decodes");
    match &response.result[0]["comments"].values[0] {
        FieldValue::CommentFieldValue(comment) => {
            assert_eq!(
                (comment.id, comment.date, comment.user_id),
                (68614, 1620227708, Some(123))
            );
        }
        other => panic!("a comment value, got {other:?}"),
    }
    match &response.result[0]["objectsList"].values[0] {
        FieldValue::ObjectFieldValue(object) => {
            assert_eq!((object.id, object.lpr), (1001, 1));
            assert_eq!(object.doled.as_deref(), Some("1/2"));
        }
        other => panic!("an object value, got {other:?}"),
    }
}

/// Serves `total` clients, as many as the request's limit from its offset.
struct Clients {
    total: i64,
}

impl Respond for Clients {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON");
        let offset = body["offset"].as_i64().expect("an offset");
        let limit = body["limit"].as_i64().unwrap_or(3000);
        let result: Vec<Value> = (offset..(offset + limit).min(self.total))
            .map(|id| json!({"id": {"fieldName": "ID", "fieldType": "value", "fieldMulti": "not_multi", "values": [{"value": id.to_string()}]}}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "result": result }))
    }
}

#[tokio::test]
async fn the_page_walk_stops_at_the_first_short_page() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/CLIENTS"))
        .respond_with(Clients { total: 7 })
        .mount(&server)
        .await;
    let request = ListClientsRequest {
        limit: Some(3),
        ..ListClientsRequest::new(101010)
    };
    let clients = client_for(&server)
        .list_clients_pages(&request)
        .all()
        .await
        .expect("all pages");
    assert_eq!(clients.len(), 7);
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect();
    let offsets: Vec<i64> = bodies
        .iter()
        .map(|b| b["offset"].as_i64().expect("offset"))
        .collect();
    assert_eq!(offsets, [0, 3, 6], "three pages: 3, 3 and a short 1");
    assert!(bodies
        .iter()
        .all(|b| b["code"] == 101010 && b["limit"] == 3));
}

/// The usage shown in the repository's README, compiled (never run: it would call the real API).
#[allow(dead_code)]
async fn the_readme_usage_compiles() -> Result<(), lotinfo_client::Error> {
    use lotinfo_client::models;
    let client = Client::new("your-token")?;
    let record = models::ClientRecord {
        fio_f: Some("Иванов".to_owned()),
        fio_i: Some("Иван".to_owned()),
        contacts: Some(vec![
            models::MobileContact::new("79998886655".to_owned()).into()
        ]),
        ..Default::default()
    };
    let response = client
        .add_clients(&models::AddClientsRequest::new(vec![record]))
        .await?;
    println!(
        "new ids: {:?}",
        response.result.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    let sms_code = 101010;
    let clients = client
        .list_clients_pages(&models::ListClientsRequest::new(sms_code))
        .all()
        .await?;
    println!("{} clients", clients.len());
    Ok(())
}
