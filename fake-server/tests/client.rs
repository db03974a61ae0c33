//! The fake server driven by the generated client, `lotinfo-client`: every operation, and every
//! behaviour the documentation describes.

mod common;

use std::collections::BTreeMap;

use common::{client, client_with_token, example, server, TOKEN};
use lotinfo_client::models::{
    self, AddClientsRequest, AddClientsResponse, ClientFields, ClientFilter, ClientRecord,
    ClientStatus, Contact, DateRange, FieldValue, ListClientsRequest, SortDirection,
};
use lotinfo_client::Error;
use lotinfo_fake_server::{FakeServer, NOTICE_GENERAL_TAKEN_OVER, NOTICE_LPR_TAKEN_OVER};
use serde_json::json;

fn normalized_add_request() -> AddClientsRequest {
    serde_json::from_value(example("put", "requestBody", "normalized"))
        .expect("the normalized example is a request")
}

fn person(surname: &str, name: &str) -> ClientRecord {
    ClientRecord {
        fio_f: Some(surname.to_owned()),
        fio_i: Some(name.to_owned()),
        ..Default::default()
    }
}

fn with_object(mut record: ClientRecord, id: i64, lpr: Option<bool>) -> ClientRecord {
    let object = models::ClientObject {
        id: Some(id),
        lpr: lpr.map(|main| {
            if main {
                models::DecisionMakerFlag::DecisionMaker
            } else {
                models::DecisionMakerFlag::NotDecisionMaker
            }
        }),
        ..Default::default()
    };
    record.objects.get_or_insert_with(Vec::new).push(object);
    record
}

async fn add(server: &FakeServer, records: Vec<ClientRecord>) -> AddClientsResponse {
    client(server)
        .add_clients(&AddClientsRequest::new(records))
        .await
        .expect("the clients are added")
}

async fn list(server: &FakeServer, request: ListClientsRequest) -> Vec<ClientFields> {
    client(server)
        .list_clients(&request)
        .await
        .expect("the clients are listed")
        .result
}

fn ids(response: &AddClientsResponse) -> Vec<i64> {
    response.result.iter().map(|created| created.id).collect()
}

/// The first plain value of a listed client's field, as its JSON.
fn plain(client: &ClientFields, key: &str) -> serde_json::Value {
    match client.get(key).map(|field| &field.values[..]) {
        Some([FieldValue::PlainFieldValue(plain), ..]) => plain.value.clone(),
        other => panic!("field {key} is not a plain value: {other:?}"),
    }
}

fn listed_ids(clients: &[ClientFields]) -> Vec<i64> {
    clients
        .iter()
        .map(|client| {
            plain(client, "id")
                .as_str()
                .and_then(|id| id.parse().ok())
                .expect("ids are numeric strings")
        })
        .collect()
}

fn filter(filter: ClientFilter) -> ListClientsRequest {
    ListClientsRequest {
        filter: Some(filter),
        ..ListClientsRequest::new(101010)
    }
}

#[tokio::test]
async fn the_documented_request_gets_the_documented_answer() {
    // The documented answer's notice says the object already had a decision maker: give object
    // 235 one before the request, as the documentation's CRM evidently had.
    let server = FakeServer::builder()
        .token(TOKEN)
        .first_id(100)
        .seed(json!({ "data": [{ "fioF": "Прежний", "objects": [{ "id": 235, "lpr": 1 }] }] }))
        .start()
        .await
        .expect("the server starts");
    let response = client(&server)
        .add_clients(&normalized_add_request())
        .await
        .expect("the documented request is accepted");

    let documented = example("put", "responses/200", "documented");
    assert_eq!(
        serde_json::to_value(&response).expect("JSON"),
        documented,
        "ids 101 and 102 and the documented lpr notice"
    );
    assert_eq!(ids(&response), [101, 102]);
    let earlier = server.client(100).expect("the seeded client");
    assert_eq!(
        earlier.record["objects"][0]["lpr"], 0,
        "it is no longer ЛПР"
    );
}

#[tokio::test]
async fn new_ids_follow_each_other_across_calls_and_the_clients_are_stored() {
    let server = server().await;
    let first = add(
        &server,
        vec![person("Иванов", "Иван"), person("Петров", "Пётр")],
    )
    .await;
    let second = add(&server, vec![person("Сидоров", "Семён")]).await;
    assert_eq!(ids(&first), [101, 102]);
    assert_eq!(ids(&second), [103]);
    assert_eq!(first.notices, None, "no notices when nothing was changed");

    let stored = server.clients();
    let names: Vec<String> = stored.iter().map(|c| c.full_name()).collect();
    assert_eq!(names, ["Иванов Иван", "Петров Пётр", "Сидоров Семён"]);
    assert_eq!(stored[2].id, 103);
    assert_eq!(
        server.client(102).map(|c| c.full_name()).as_deref(),
        Some("Петров Пётр")
    );
    assert!(server.client(104).is_none());
}

#[tokio::test]
async fn the_first_contact_of_each_type_becomes_main_when_none_is() {
    let server = server().await;
    let record = ClientRecord {
        contacts: Some(vec![
            models::EmailContact::new("a@example.ru".to_owned()).into(),
            models::CityContact::new("84951234567".to_owned()).into(),
            models::MobileContact::new("79990000000".to_owned()).into(),
        ]),
        ..person("Иванов", "Иван")
    };
    let response = add(&server, vec![record]).await;
    assert_eq!(
        response.notices, None,
        "choosing the main contact is silent"
    );

    let stored = &server.clients()[0];
    let general: Vec<i64> = stored.record["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| c["general"].as_i64().expect("general is set"))
        .collect();
    assert_eq!(
        general,
        [1, 1, 0],
        "the e-mail is main of its type; city and mobile are one type, the first of it is main"
    );

    let listed = list(&server, ListClientsRequest::new(1)).await;
    let contacts: Vec<(String, Option<i64>)> = listed[0]["contacts"]
        .values
        .iter()
        .map(|value| match value {
            FieldValue::ContactFieldValue(contact) => (contact.value.clone(), contact.general),
            other => panic!("not a contact: {other:?}"),
        })
        .collect();
    assert_eq!(
        contacts,
        [
            ("a@example.ru".to_owned(), Some(1)),
            ("84951234567".to_owned(), Some(1)),
            ("79990000000".to_owned(), Some(0)),
        ]
    );
}

#[tokio::test]
async fn of_several_main_contacts_of_one_type_the_last_stays_main_with_a_notice() {
    let server = server().await;
    let main = |contact: Contact| match contact {
        Contact::Mobile(mut mobile) => {
            mobile.general = Some(models::MainContactFlag::Main);
            Contact::Mobile(mobile)
        }
        Contact::City(mut city) => {
            city.general = Some(models::MainContactFlag::Main);
            Contact::City(city)
        }
        other => other,
    };
    let record = ClientRecord {
        contacts: Some(vec![
            main(models::MobileContact::new("79990000001".to_owned()).into()),
            main(models::CityContact::new("84950000002".to_owned()).into()),
        ]),
        ..person("Иванов", "Иван")
    };
    let response = add(&server, vec![person("Первый", "Клиент"), record]).await;
    let notices = response.notices.expect("a notice");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].notice, Some(NOTICE_GENERAL_TAKEN_OVER));
    assert_eq!(notices[0].notice_field.as_deref(), Some("general"));
    assert_eq!(
        notices[0].notice_array,
        Some(1),
        "the second record of `data`"
    );
    let stored = server.client(102).expect("stored");
    assert_eq!(stored.record["contacts"][0]["general"], 0);
    assert_eq!(stored.record["contacts"][1]["general"], 1);
}

#[tokio::test]
async fn a_new_decision_maker_takes_over_an_object_with_the_documented_notice() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .now(1_000)
        .start()
        .await
        .expect("starts");
    let first = add(
        &server,
        vec![with_object(person("Первый", "Владелец"), 77, Some(true))],
    )
    .await;
    assert_eq!(first.notices, None);

    server.set_now(Some(2_000));
    let second = add(
        &server,
        vec![
            with_object(person("Без", "Объекта"), 78, None),
            with_object(person("Второй", "Владелец"), 77, Some(true)),
        ],
    )
    .await;
    let notices = second.notices.expect("the take-over is noticed");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].notice, Some(NOTICE_LPR_TAKEN_OVER));
    assert_eq!(notices[0].notice_field.as_deref(), Some("lpr"));
    assert_eq!(notices[0].notice_array, Some(1));
    assert_eq!(
        notices[0].notice_text.as_deref(),
        Some("У этого объекта уже был клиент с ЛПР=1, теперь ЛПР=1 у клиента 2.")
    );

    let previous = server.client(101).expect("stored");
    assert_eq!(previous.record["objects"][0]["lpr"], 0);
    assert_eq!(
        (previous.added_at, previous.edited_at),
        (1_000, 2_000),
        "it was edited"
    );
    assert_eq!(
        server.client(102).expect("stored").record["objects"][0]["lpr"],
        1,
        "no other owner"
    );
    assert_eq!(
        server.client(103).expect("stored").record["objects"][0]["lpr"],
        1
    );

    // The listing shows the change, under the documented key `objectsList`.
    let listed = list(&server, ListClientsRequest::new(1)).await;
    let lpr_of = |client: &ClientFields| match &client["objectsList"].values[..] {
        [FieldValue::ObjectFieldValue(object)] => (object.id, object.lpr),
        other => panic!("not one object: {other:?}"),
    };
    let owners: Vec<(i64, i64)> = listed.iter().map(lpr_of).collect();
    assert_eq!(owners, [(77, 0), (78, 1), (77, 1)]);
}

#[tokio::test]
async fn an_owner_who_does_not_say_is_decision_maker_only_of_an_object_without_one() {
    let server = server().await;
    let response = add(
        &server,
        vec![
            with_object(person("Первый", "Владелец"), 5, None),
            with_object(person("Второй", "Владелец"), 5, None),
            with_object(person("Третий", "Владелец"), 5, Some(false)),
        ],
    )
    .await;
    assert_eq!(
        response.notices, None,
        "setting lpr automatically is silent"
    );
    let lpr: Vec<i64> = server
        .clients()
        .iter()
        .map(|c| c.record["objects"][0]["lpr"].as_i64().expect("lpr is set"))
        .collect();
    assert_eq!(lpr, [1, 0, 0]);
}

#[tokio::test]
async fn a_listed_client_carries_its_fields_as_wrappers_with_strings() {
    let server = server().await;
    add(&server, normalized_add_request().data).await;
    let listed = list(&server, ListClientsRequest::new(101010)).await;
    assert_eq!(listed.len(), 2);
    let second = &listed[1];

    let surname = &second["fioF"];
    assert_eq!(
        (surname.field_type.as_str(), surname.field_multi.as_str()),
        ("value", "not_multi")
    );
    assert_eq!(plain(second, "fioF"), "Васильев");
    assert_eq!(plain(second, "cityName"), "Одинцово");
    assert_eq!(plain(second, "deeps"), "3", "numbers come as strings");
    assert_eq!(plain(&listed[0], "cityId"), "1067");
    assert_eq!(
        plain(&listed[0], "deeps"),
        serde_json::Value::Null,
        "unset is null"
    );

    let contacts = &second["contacts"];
    assert_eq!(
        (contacts.field_type.as_str(), contacts.field_multi.as_str()),
        ("contact", "multi")
    );
    let values: Vec<_> = contacts
        .values
        .iter()
        .map(|value| match value {
            FieldValue::ContactFieldValue(c) => (
                c.value.clone(),
                c.type_.clone(),
                c.general,
                c.sky,
                c.comment.clone(),
            ),
            other => panic!("not a contact: {other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        [
            (
                "79998886655".to_owned(),
                "mobile".to_owned(),
                Some(0),
                None,
                None
            ),
            (
                "79998886644".to_owned(),
                "mobile".to_owned(),
                Some(1),
                Some(1),
                Some("Комментарий для второго телефона".to_owned())
            ),
        ]
    );
    let comments: Vec<String> = second["comments"]
        .values
        .iter()
        .map(|value| match value {
            FieldValue::CommentFieldValue(c) => {
                assert_eq!(c.user_id, Some(123));
                c.value.clone()
            }
            other => panic!("not a comment: {other:?}"),
        })
        .collect();
    assert_eq!(comments, ["Первый комментарий", "Второй комментарий"]);
    assert_eq!(plain(second, "passport")["serial"], "1234");
    let groups: Vec<_> = second["userCategory"].values.iter().collect();
    assert_eq!(groups.len(), 3);
    assert!(
        !listed[0].contains_key("objects"),
        "objects come back as objectsList"
    );
    assert_eq!(listed[1]["objectsList"].values.len(), 2);
}

#[tokio::test]
async fn filters_select_the_documented_way() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .now(1_000)
        .start()
        .await
        .expect("starts");
    let record = |surname: &str, user: i64, api: i64, city: &str, category| ClientRecord {
        user_id: Some(user),
        api_id_exchange: Some(api),
        city_name: Some(city.to_owned()),
        region_name: Some("Москва".to_owned()),
        clientc: Some(category),
        ..person(surname, "Иван")
    };
    use models::ClientCategory::{Client as Plain, Lead};
    add(&server, vec![record("Иванов", 1, 501, "Москва", Plain)]).await; // 101
    server.set_now(Some(2_000));
    add(&server, vec![record("Петров", 2, 502, "Одинцово", Lead)]).await; // 102
    server.set_now(Some(3_000));
    add(&server, vec![record("Иваненко", 1, 503, "Одинцово", Plain)]).await; // 103
    assert!(server.set_status(102, 2));
    assert!(!server.set_status(999, 2));

    let cases: Vec<(ClientFilter, Vec<i64>)> = vec![
        (ClientFilter::default(), vec![101, 102, 103]),
        (
            ClientFilter {
                user_id: Some(1),
                ..Default::default()
            },
            vec![101, 103],
        ),
        (
            ClientFilter {
                id: Some(102),
                ..Default::default()
            },
            vec![102],
        ),
        (
            ClientFilter {
                api_id_exchange: Some(503),
                ..Default::default()
            },
            vec![103],
        ),
        (
            ClientFilter {
                fio: Some("иван".to_owned()),
                ..Default::default()
            },
            vec![101, 102, 103],
        ),
        (
            ClientFilter {
                fio: Some("ИВАН".to_owned()),
                user_id: Some(1),
                ..Default::default()
            },
            vec![101, 103],
        ),
        (
            ClientFilter {
                fio: Some("нов иван".to_owned()),
                ..Default::default()
            },
            vec![101],
        ),
        (
            ClientFilter {
                delclient: Some(ClientStatus::Current),
                ..Default::default()
            },
            vec![101, 103],
        ),
        (
            ClientFilter {
                delclient: Some(ClientStatus::Archived),
                ..Default::default()
            },
            vec![102],
        ),
        (
            ClientFilter {
                delclient: Some(ClientStatus::Deleted),
                ..Default::default()
            },
            vec![],
        ),
        (
            ClientFilter {
                add_date: Some(DateRange {
                    min: Some(2_000),
                    max: None,
                }),
                ..Default::default()
            },
            vec![102, 103],
        ),
        (
            ClientFilter {
                add_date: Some(DateRange {
                    min: Some(1_500),
                    max: Some(2_000),
                }),
                ..Default::default()
            },
            vec![102],
        ),
        (
            ClientFilter {
                edit_date: Some(DateRange {
                    min: None,
                    max: Some(1_000),
                }),
                ..Default::default()
            },
            vec![101],
        ),
        (
            ClientFilter {
                client_cat: Some(vec!["clientc_3".to_owned()]),
                ..Default::default()
            },
            vec![102],
        ),
        (
            ClientFilter {
                city_name: Some("Одинцово".to_owned()),
                ..Default::default()
            },
            vec![102, 103],
        ),
        (
            ClientFilter {
                region_name: Some("Тверь".to_owned()),
                ..Default::default()
            },
            vec![],
        ),
        (
            // Keys without a recoverable meaning are accepted and do not narrow the list.
            ClientFilter {
                type_client: Some("nocontract".to_owned()),
                pt: Some("orders".to_owned()),
                object_types: Some(vec![3, 6]),
                ..Default::default()
            },
            vec![101, 102, 103],
        ),
    ];
    for (chosen, expected) in cases {
        let described = format!("{chosen:?}");
        assert_eq!(
            listed_ids(&list(&server, filter(chosen)).await),
            expected,
            "{described}"
        );
    }
}

#[tokio::test]
async fn order_projection_and_pages() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .now(10)
        .start()
        .await
        .expect("starts");
    let surnames = ["Б", "А", "В", "Г", "Д", "Е", "Ж"];
    for (index, surname) in surnames.iter().enumerate() {
        server.set_now(Some(10 + index as i64));
        add(&server, vec![person(surname, "Иван")]).await;
    }

    let ordered = |field: &str, direction| ListClientsRequest {
        order: Some(BTreeMap::from([(field.to_owned(), direction)])),
        ..ListClientsRequest::new(1)
    };
    let by_date = list(&server, ordered("addDate", SortDirection::Desc)).await;
    assert_eq!(listed_ids(&by_date), [107, 106, 105, 104, 103, 102, 101]);
    let by_name = list(&server, ordered("fioF", SortDirection::Asc)).await;
    assert_eq!(listed_ids(&by_name), [102, 101, 103, 104, 105, 106, 107]);
    let unknown = list(&server, ordered("filter1", SortDirection::Desc)).await;
    assert_eq!(
        listed_ids(&unknown),
        [101, 102, 103, 104, 105, 106, 107],
        "unknown fields do not sort"
    );

    let projected = list(
        &server,
        ListClientsRequest {
            projection: Some(vec![
                "id".to_owned(),
                "addDate".to_owned(),
                "objects".to_owned(),
            ]),
            limit: Some(1),
            ..ListClientsRequest::new(1)
        },
    )
    .await;
    let keys: Vec<&str> = projected[0].keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["addDate", "id", "objectsList"],
        "the documented example's keys"
    );
    assert_eq!(plain(&projected[0], "addDate"), "10");

    let page = list(
        &server,
        ListClientsRequest {
            limit: Some(3),
            offset: Some(5),
            ..ListClientsRequest::new(1)
        },
    )
    .await;
    assert_eq!(listed_ids(&page), [106, 107], "a short page is the last");

    let request = ListClientsRequest {
        limit: Some(3),
        ..ListClientsRequest::new(1)
    };
    let walker = client(&server);
    let mut pages = walker.list_clients_pages(&request);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.expect("a page").len());
    }
    assert_eq!(sizes, [3, 3, 1], "the page walker stops at the short page");
    let all = walker
        .list_clients_pages(&request)
        .all()
        .await
        .expect("all pages");
    assert_eq!(listed_ids(&all), [101, 102, 103, 104, 105, 106, 107]);
}

#[tokio::test]
async fn a_wrong_token_is_an_api_error_by_default_and_401_when_asked() {
    let server = server().await;
    let error = client_with_token(&server, "wrong")
        .list_clients(&ListClientsRequest::new(1))
        .await
        .expect_err("refused");
    match &error {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(*status, 200);
            assert!(message.contains("token"), "{message}");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let error = client_with_token(&server, "wrong")
        .add_clients(&AddClientsRequest::new(vec![person("А", "Б")]))
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert!(server.clients().is_empty(), "nothing was added");

    let strict = FakeServer::builder()
        .token(TOKEN)
        .http_errors(true)
        .start()
        .await
        .expect("starts");
    let error = client_with_token(&strict, "wrong")
        .list_clients(&ListClientsRequest::new(1))
        .await
        .expect_err("refused");
    assert_eq!(error.status(), Some(401));
    assert!(matches!(error, Error::Status { .. }), "{error:?}");
    let body: serde_json::Value = error.body_json().expect("a body").expect("JSON");
    assert_eq!(body["error"]["code"], "invalid_token");
}

#[tokio::test]
async fn any_token_is_accepted_when_none_is_configured() {
    let server = FakeServer::start().await.expect("starts");
    let response = client_with_token(&server, "whatever")
        .add_clients(&AddClientsRequest::new(vec![person("А", "Б")]))
        .await
        .expect("accepted");
    assert_eq!(ids(&response), [101]);
}

#[tokio::test]
async fn a_wrong_sms_code_is_refused_when_one_is_configured() {
    let server = FakeServer::builder()
        .token(TOKEN)
        .sms_code(4242)
        .start()
        .await
        .expect("starts");
    let error = client(&server)
        .list_clients(&ListClientsRequest::new(1111))
        .await
        .expect_err("refused");
    match &error {
        Error::Api { message, .. } => assert!(message.contains("SMS code"), "{message}"),
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let listed = list(&server, ListClientsRequest::new(4242)).await;
    assert!(listed.is_empty());
}

#[tokio::test]
async fn the_server_stops_on_shutdown_and_on_drop() {
    let server = server().await;
    let stopped = client(&server);
    add(&server, vec![person("А", "Б")]).await;
    server.shutdown().await;
    let error = stopped
        .list_clients(&ListClientsRequest::new(1))
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, Error::Connection(_)), "{error:?}");

    let dropped = FakeServer::start().await.expect("starts");
    let addr = dropped.addr();
    drop(dropped);
    // The drop only signals; the port is free once the server task has ended.
    let mut free = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            free = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(free, "the dropped server stopped listening");
}

#[tokio::test]
async fn escaped_answers_and_nomedia_decode_as_the_plain_answer() {
    let server = server().await;
    add(&server, normalized_add_request().data).await;
    let plain_answer = list(&server, ListClientsRequest::new(1)).await;
    let escaped = list(
        &server,
        ListClientsRequest {
            encoding: Some(models::Encoding::Escaped),
            nomedia: Some(models::NoMedia::LeaveOut),
            ..ListClientsRequest::new(1)
        },
    )
    .await;
    assert_eq!(escaped, plain_answer);
    assert_eq!(plain(&escaped[1], "fioF"), "Васильев");

    let added = client(&server)
        .add_clients(&AddClientsRequest {
            encoding: Some(models::Encoding::Escaped),
            ..AddClientsRequest::new(vec![person("Щукин", "Ёж")])
        })
        .await
        .expect("added");
    assert_eq!(ids(&added), [103]);
    assert_eq!(server.client(103).expect("stored").full_name(), "Щукин Ёж");
}
