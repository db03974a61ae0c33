//! The generated client against a real HTTP server on 127.0.0.1 (wiremock): the request it puts on
//! the wire, how it decodes the documented response, how it maps failures to `Error`, and how it
//! refuses invalid requests before sending anything.

use std::net::TcpListener;

use lotinfo_client::models::{
    ActiveCapacity, AddClientsRequest, ClientCategory, ClientObject, ClientOrder, ClientRecord,
    Comment, Contact, DecisionMakerFlag, LegalCapacity, MainContactFlag, MobileContact,
    MobileContactType, Passport, Sex, SpyFlag,
};
use lotinfo_client::{Client, Error};
use lotinfo_tests::{lotinfo_spec, lotinfo_spec_value};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Where the spec keeps the request examples of `PUT /CLIENTS`.
const REQUEST_EXAMPLES: &str =
    "/paths/~1CLIENTS/put/requestBody/content/application~1json/examples";
/// Where the spec keeps the documented 200 response example of `PUT /CLIENTS`.
const RESPONSE_EXAMPLE: &str =
    "/paths/~1CLIENTS/put/responses/200/content/application~1json/examples/documented/value";

const TOKEN: &str = "secret-token";

fn spec_at(pointer: &str) -> Value {
    lotinfo_spec_value()
        .pointer(pointer)
        .cloned()
        .unwrap_or_else(|| panic!("the spec has a value at {pointer}"))
}

fn normalized_request_example() -> Value {
    spec_at(&format!("{REQUEST_EXAMPLES}/normalized/value"))
}

fn documented_response_example() -> Value {
    spec_at(RESPONSE_EXAMPLE)
}

/// The spec's documented example request, typed by hand.
fn documented_request() -> AddClientsRequest {
    AddClientsRequest {
        encoding: None,
        code: Some(101010),
        data: vec![
            ClientRecord {
                user_id: Some(123),
                fio_f: Some("Иванов".to_owned()),
                fio_i: Some("Иван".to_owned()),
                fio_o: Some("Иванович".to_owned()),
                fio_desc: Some("Описание перрвого клиента".to_owned()),
                sex: Some(Sex::Male),
                birthday: Some("10.01.1985".to_owned()),
                address: Some("ул. Ленина".to_owned()),
                city_id: Some(1067),
                ..Default::default()
            },
            ClientRecord {
                user_id: Some(123),
                fio_f: Some("Васильев".to_owned()),
                fio_i: Some("Василий".to_owned()),
                fio_o: Some("Васильевич".to_owned()),
                fio_desc: Some("Описание второго клиента".to_owned()),
                sex: Some(Sex::Male),
                birthday: Some("20.02.1975".to_owned()),
                deeps: Some(LegalCapacity::Adult),
                deepon: Some(ActiveCapacity::Capable),
                address: Some("ул. Молодёжная".to_owned()),
                region_name: Some("Москва".to_owned()),
                city_name: Some("Одинцово".to_owned()),
                clientc: Some(ClientCategory::Client),
                user_category: Some(vec![10, 12, 25]),
                contacts: Some(vec![
                    Contact::Mobile(MobileContact {
                        type_: MobileContactType::Mobile,
                        value: "79998886655".to_owned(),
                        general: None,
                        comment: None,
                        spy: None,
                    }),
                    Contact::Mobile(MobileContact {
                        type_: MobileContactType::Mobile,
                        value: "79998886644".to_owned(),
                        general: Some(MainContactFlag::Main),
                        comment: Some("Комментарий для второго телефона".to_owned()),
                        spy: Some(SpyFlag::Tracked),
                    }),
                ]),
                comments: Some(vec![
                    Comment {
                        value: "Первый комментарий".to_owned(),
                    },
                    Comment {
                        value: "Второй комментарий".to_owned(),
                    },
                ]),
                passport: Some(Passport {
                    serial: Some("1234".to_owned()),
                    number: Some("123456".to_owned()),
                    sended: Some("Отделом УФМС России по Москве".to_owned()),
                    date_sended: Some("5.9.2010".to_owned()),
                    code_pod: Some("770-077".to_owned()),
                    place_birth: Some("гор. Москва".to_owned()),
                    propiska: Some("Адрес прописки".to_owned()),
                    place_home: Some("Место проживания".to_owned()),
                    snils: Some("123-123-123 44".to_owned()),
                }),
                objects: Some(vec![
                    ClientObject {
                        id: Some(234),
                        lpr: Some(DecisionMakerFlag::DecisionMaker),
                        ..Default::default()
                    },
                    ClientObject {
                        id: Some(235),
                        name: Some("Василий".to_owned()),
                        lpr: Some(DecisionMakerFlag::DecisionMaker),
                        doled: Some("1/2".to_owned()),
                    },
                ]),
                orders: Some(vec![ClientOrder {
                    id: Some(789),
                    name: Some("Добавление заявки".to_owned()),
                }]),
                ..Default::default()
            },
        ],
    }
}

/// A request breaking two rules in its one record: a mobile number that does not start with 7
/// and a passport serial of 3 digits.
fn request_with_bad_record() -> AddClientsRequest {
    AddClientsRequest::new(vec![ClientRecord {
        fio_f: Some("Иванов".to_owned()),
        contacts: Some(vec![Contact::Mobile(MobileContact::new(
            "89990000000".to_owned(),
        ))]),
        passport: Some(Passport {
            serial: Some("123".to_owned()),
            number: Some("123456".to_owned()),
            ..Default::default()
        }),
        ..Default::default()
    }])
}

/// A request with no client at all (`data` needs at least one).
fn request_without_records() -> AddClientsRequest {
    AddClientsRequest::new(Vec::new())
}

/// A started server answering every request with `response`.
async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn config_for(server: &MockServer) -> lotinfo_client::ClientConfig {
    Client::config()
        .base_url(server.uri())
        .credential("token", TOKEN)
}

fn client_for(server: &MockServer) -> Client {
    Client::with_config(config_for(server)).expect("the configuration is valid")
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("the mock server records requests")
}

fn documented_success() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(documented_response_example())
}

/// The keys of the objects on the way to `path` (object keys and list indexes), in document order.
fn keys_in_order(value: &serde_yaml::Value, path: &[&str]) -> Vec<String> {
    let mut value = value;
    for step in path {
        value = match step.parse::<usize>() {
            Ok(index) => &value[index],
            Err(_) => &value[*step],
        };
    }
    value
        .as_mapping()
        .unwrap_or_else(|| panic!("an object at {path:?}"))
        .keys()
        .map(|key| key.as_str().expect("string keys").to_owned())
        .collect()
}

#[tokio::test]
async fn sends_the_documented_request_as_the_normalized_example() {
    let server = server_answering(documented_success()).await;
    let client = client_for(&server);

    client
        .add_clients(&documented_request())
        .await
        .expect("the call succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    let request = &requests[0];

    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/CLIENTS");
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        vec![("token".to_owned(), TOKEN.to_owned())],
        "the token is the one and only query parameter"
    );
    let content_type = request
        .headers
        .get("content-type")
        .expect("a content-type header");
    assert_eq!(content_type.to_str().unwrap(), "application/json");

    let body: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    let expected = normalized_request_example();
    assert_eq!(
        body,
        expected,
        "the body is the spec's normalized example;\n sent: {}\n spec: {}",
        serde_json::to_string_pretty(&body).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap(),
    );
    // Integers travel as JSON integers, phone numbers as strings.
    assert!(body["data"][0]["cityId"].is_i64());
    assert!(body["data"][1]["deeps"].is_i64());
    assert!(body["data"][1]["contacts"][0]["value"].is_string());
}

/// `serde_json` is built without `preserve_order` here, so its `Value` forgets key order; the
/// order is compared through `serde_yaml::Value`, whose mappings keep it (JSON is valid YAML).
#[tokio::test]
async fn sends_the_first_record_keys_in_the_example_order() {
    let server = server_answering(documented_success()).await;
    client_for(&server)
        .add_clients(&documented_request())
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);

    let sent: serde_yaml::Value =
        serde_yaml::from_slice(&requests[0].body).expect("the JSON body parses as YAML");
    let spec: serde_yaml::Value = serde_yaml::from_str(&lotinfo_spec()).unwrap();
    let example_path = [
        "paths",
        "/CLIENTS",
        "put",
        "requestBody",
        "content",
        "application/json",
        "examples",
        "normalized",
        "value",
    ];
    let example = {
        let mut value = &spec;
        for step in example_path {
            value = &value[step];
        }
        value
    };

    assert_eq!(keys_in_order(&sent, &[]), keys_in_order(example, &[]));
    assert_eq!(
        keys_in_order(&sent, &["data", "0"]),
        keys_in_order(example, &["data", "0"]),
    );
    assert_eq!(
        keys_in_order(example, &["data", "0"]),
        ["userId", "fioF", "fioI", "fioO", "fioDesc", "sex", "birthday", "address", "cityId"],
    );
}

#[tokio::test]
async fn decodes_the_documented_response() {
    let server = server_answering(documented_success()).await;
    let response = client_for(&server)
        .add_clients(&documented_request())
        .await
        .expect("the documented response decodes");

    let ids: Vec<i64> = response.result.iter().map(|created| created.id).collect();
    assert_eq!(ids, [101, 102]);
    let notices = response.notices.expect("the response has notices");
    assert_eq!(notices.len(), 1);
    let notice = &notices[0];
    assert_eq!(notice.notice, Some(5));
    assert_eq!(
        notice.notice_text.as_deref(),
        Some("У этого объекта уже был клиент с ЛПР=1, теперь ЛПР=1 у клиента 2.")
    );
    assert_eq!(notice.notice_field.as_deref(), Some("lpr"));
    assert_eq!(notice.notice_array, Some(1));
}

#[tokio::test]
async fn a_non_2xx_status_is_a_status_error_with_the_body() {
    let html = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let server = server_answering(ResponseTemplate::new(500).set_body_raw(html, "text/html")).await;

    let error = client_for(&server)
        .add_clients(&documented_request())
        .await
        .expect_err("a 500 is an error");

    let Error::Status { status, body, .. } = &error else {
        panic!("expected Error::Status, got {error:?}");
    };
    assert_eq!(*status, 500);
    assert_eq!(body.text(), html);
    assert_eq!(body.as_bytes(), html.as_bytes());
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        error.raw_body().map(|b| b.text().into_owned()),
        Some(html.to_owned())
    );
    let shown = error.to_string();
    assert!(shown.contains("500"), "{shown}");
    assert!(shown.contains("Internal Server Error"), "{shown}");
}

#[tokio::test]
async fn a_2xx_body_that_is_not_the_success_shape_is_a_decode_error() {
    let raw = r#"{"created": [101]}"#;
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(raw, "application/json")).await;

    let error = client_for(&server)
        .add_clients(&documented_request())
        .await
        .expect_err("a body without `result` is not a success");

    let Error::Decode {
        status,
        path,
        message,
        body,
    } = &error
    else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(path, ".", "the whole body is wrong");
    assert!(message.contains("missing field `result`"), "{message}");
    assert_eq!(body.text(), raw);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.raw_body().map(|b| b.as_bytes()), Some(raw.as_bytes()));
}

#[tokio::test]
async fn an_error_object_in_a_200_body_is_an_api_error() {
    let raw = r#"{"error": "bad token"}"#;
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(raw, "application/json")).await;

    let error = client_for(&server)
        .add_clients(&documented_request())
        .await
        .expect_err("an error object is not a success");

    let Error::Api {
        status,
        message,
        body,
    } = &error
    else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(message, "bad token");
    assert_eq!(body.text(), raw);
    assert_eq!(error.raw_body().map(|b| b.as_bytes()), Some(raw.as_bytes()));
    assert!(error.to_string().contains("bad token"), "{error}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    // The documented response, cut off inside the notice's text.
    let truncated = r#"{"result": [{"id": 101}, {"id": 102}], "notices": [{"notice": 5, "notice_text": "У этого"#;
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(truncated, "application/json"))
            .await;

    let error = client_for(&server)
        .add_clients(&documented_request())
        .await
        .expect_err("truncated JSON is an error");

    let Error::Decode {
        status,
        path,
        message,
        body,
    } = &error
    else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert!(path.starts_with("notices[0]"), "{path}");
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(body.text(), truncated);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.raw_body().map(|b| b.len()), Some(truncated.len()));
}

#[tokio::test]
async fn an_invalid_record_is_refused_before_sending_with_every_violation() {
    let server = server_answering(documented_success()).await;

    let error = client_for(&server)
        .add_clients(&request_with_bad_record())
        .await
        .expect_err("the request breaks the spec");

    let Error::InvalidRequest(invalid) = &error else {
        panic!("expected Error::InvalidRequest, got {error:?}");
    };
    let pointers: Vec<&str> = invalid
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        ["/data/0/contacts/0/value", "/data/0/passport/serial"]
    );
    assert!(invalid.violations[0].rule.contains("^7"), "{invalid}");
    assert!(
        invalid.violations[1].rule.contains("^[0-9]{4}$"),
        "{invalid}"
    );
    let shown = error.to_string();
    assert!(shown.contains("/data/0/contacts/0/value"), "{shown}");
    assert!(shown.contains("/data/0/passport/serial"), "{shown}");
    assert_eq!(error.status(), None);
    assert!(error.raw_body().is_none());

    assert!(
        received(&server).await.is_empty(),
        "nothing reaches the server"
    );
}

#[tokio::test]
async fn an_empty_data_list_is_refused_before_sending() {
    let server = server_answering(documented_success()).await;

    let error = client_for(&server)
        .add_clients(&request_without_records())
        .await
        .expect_err("`data` needs at least one record");

    let Error::InvalidRequest(invalid) = &error else {
        panic!("expected Error::InvalidRequest, got {error:?}");
    };
    let pointers: Vec<&str> = invalid
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/data"]);
    assert!(
        invalid.violations[0].rule.contains("at least 1"),
        "{invalid}"
    );

    assert!(
        received(&server).await.is_empty(),
        "nothing reaches the server"
    );
}

#[tokio::test]
async fn without_validation_the_invalid_requests_are_sent() {
    let server = server_answering(documented_success()).await;
    let client = Client::with_config(config_for(&server).validate_requests(false)).unwrap();

    client
        .add_clients(&request_with_bad_record())
        .await
        .expect("sent and answered");
    client
        .add_clients(&request_without_records())
        .await
        .expect("sent and answered");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let first: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        first,
        json!({
            "data": [{
                "fioF": "Иванов",
                "contacts": [{"type": "mobile", "value": "89990000000"}],
                "passport": {"serial": "123", "number": "123456"},
            }]
        })
    );
    let second: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(second, json!({ "data": [] }));
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().unwrap().port()
    };
    let client = Client::with_config(
        Client::config()
            .base_url(format!("http://127.0.0.1:{port}"))
            .credential("token", TOKEN),
    )
    .unwrap();

    let error = client
        .add_clients(&documented_request())
        .await
        .expect_err("nothing listens on the port");

    assert!(
        matches!(error, Error::Connection(_)),
        "expected Error::Connection, got {error:?}"
    );
    assert_eq!(error.status(), None);
    assert!(error.raw_body().is_none());
}
