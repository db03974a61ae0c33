//! Decoding accepts the loose types of the documentation's example (integers written as strings,
//! phone numbers written as numbers) and ignores unknown fields, while encoding stays strict.

use lotinfo_client::models::{
    ActiveCapacity, AddClientsRequest, AddClientsResponse, ClientCategory, Contact,
    DecisionMakerFlag, LegalCapacity, MainContactFlag, Sex, SpyFlag,
};
use lotinfo_client::Validate;
use lotinfo_tests::lotinfo_spec_value;
use serde_json::{json, Value};

const REQUEST_EXAMPLES: &str =
    "/paths/~1CLIENTS/put/requestBody/content/application~1json/examples";

fn request_example(name: &str) -> Value {
    let pointer = format!("{REQUEST_EXAMPLES}/{name}/value");
    lotinfo_spec_value()
        .pointer(&pointer)
        .cloned()
        .unwrap_or_else(|| panic!("the spec has a value at {pointer}"))
}

fn decode(value: Value) -> Result<AddClientsRequest, serde_json::Error> {
    serde_json::from_value(value)
}

#[test]
fn the_documented_example_really_has_the_loose_types() {
    // Guards the other tests: if the spec's example were cleaned up, they would prove nothing.
    let documented = request_example("documented");
    let second = &documented["data"][1];
    assert_eq!(documented["data"][0]["cityId"], json!("1067"));
    assert_eq!(second["deeps"], json!("3"));
    assert_eq!(second["deepon"], json!("1"));
    assert_eq!(second["clientc"], json!("1"));
    assert_eq!(second["contacts"][0]["value"], json!(79998886655_i64));
    assert_eq!(second["contacts"][1]["value"], json!(79998886644_i64));
}

#[test]
fn the_documented_example_decodes_to_the_typed_values() {
    let request = decode(request_example("documented")).expect("the documented example decodes");

    assert_eq!(request.encoding, None);
    assert_eq!(request.code, Some(101010));
    assert_eq!(request.data.len(), 2);

    let first = &request.data[0];
    assert_eq!(first.user_id, Some(123));
    assert_eq!(first.fio_f.as_deref(), Some("Иванов"));
    assert_eq!(first.fio_desc.as_deref(), Some("Описание перрвого клиента"));
    assert_eq!(first.sex, Some(Sex::Male));
    assert_eq!(first.birthday.as_deref(), Some("10.01.1985"));
    assert_eq!(first.city_id, Some(1067), "\"1067\" decodes as an integer");
    assert_eq!(first.contacts, None);
    assert_eq!(first.deeps, None);

    let second = &request.data[1];
    assert_eq!(second.deeps, Some(LegalCapacity::Adult), "\"3\" is Adult");
    assert_eq!(
        second.deepon,
        Some(ActiveCapacity::Capable),
        "\"1\" is Capable"
    );
    assert_eq!(
        second.clientc,
        Some(ClientCategory::Client),
        "\"1\" is Client"
    );
    assert_eq!(second.region_name.as_deref(), Some("Москва"));
    assert_eq!(second.city_name.as_deref(), Some("Одинцово"));
    assert_eq!(second.city_id, None);
    assert_eq!(second.user_category, Some(vec![10, 12, 25]));

    let contacts = second.contacts.as_ref().expect("contacts");
    assert_eq!(contacts.len(), 2);
    let Contact::Mobile(phone) = &contacts[0] else {
        panic!("a mobile contact, got {:?}", contacts[0]);
    };
    assert_eq!(phone.value, "79998886655", "a JSON number decodes as text");
    assert_eq!(phone.general, None);
    assert_eq!(phone.spy, None);
    let Contact::Mobile(phone) = &contacts[1] else {
        panic!("a mobile contact, got {:?}", contacts[1]);
    };
    assert_eq!(phone.value, "79998886644");
    assert_eq!(phone.general, Some(MainContactFlag::Main));
    assert_eq!(phone.spy, Some(SpyFlag::Tracked));
    assert_eq!(
        phone.comment.as_deref(),
        Some("Комментарий для второго телефона")
    );

    let comments: Vec<&str> = second
        .comments
        .iter()
        .flatten()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(comments, ["Первый комментарий", "Второй комментарий"]);

    let passport = second.passport.as_ref().expect("passport");
    assert_eq!(passport.serial.as_deref(), Some("1234"));
    assert_eq!(passport.number.as_deref(), Some("123456"));
    assert_eq!(passport.date_sended.as_deref(), Some("5.9.2010"));
    assert_eq!(passport.code_pod.as_deref(), Some("770-077"));
    assert_eq!(passport.snils.as_deref(), Some("123-123-123 44"));

    let objects = second.objects.as_ref().expect("objects");
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0].id, Some(234));
    assert_eq!(objects[0].lpr, Some(DecisionMakerFlag::DecisionMaker));
    assert_eq!(objects[0].name, None);
    assert_eq!(objects[1].id, Some(235));
    assert_eq!(objects[1].name.as_deref(), Some("Василий"));
    assert_eq!(objects[1].doled.as_deref(), Some("1/2"));

    let orders = second.orders.as_ref().expect("orders");
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].id, Some(789));
    assert_eq!(orders[0].name.as_deref(), Some("Добавление заявки"));
}

#[test]
fn re_encoding_the_documented_example_gives_the_normalized_example() {
    let request = decode(request_example("documented")).unwrap();
    let encoded = serde_json::to_value(&request).unwrap();

    assert_eq!(encoded, request_example("normalized"));
    assert_eq!(encoded["data"][0]["cityId"], json!(1067));
    assert_eq!(encoded["data"][1]["deeps"], json!(3));
    assert_eq!(encoded["data"][1]["deepon"], json!(1));
    assert_eq!(encoded["data"][1]["clientc"], json!(1));
    assert_eq!(
        encoded["data"][1]["contacts"][0]["value"],
        json!("79998886655")
    );
}

#[test]
fn both_examples_decode_to_the_same_request() {
    let documented = decode(request_example("documented")).unwrap();
    let normalized = decode(request_example("normalized")).unwrap();
    assert_eq!(documented, normalized);
}

#[test]
fn an_unknown_enum_value_is_kept_and_refused_when_sent_back() {
    for deeps in [json!(9), json!("9")] {
        let mut example = request_example("documented");
        example["data"][1]["deeps"] = deeps.clone();
        example["data"][1]["sex"] = json!("x");

        let decoded = decode(example).expect("a value the spec does not list still decodes");
        let record = &decoded.data[1];
        assert_eq!(record.deeps, Some(LegalCapacity::Unknown(9)), "{deeps}");
        assert_eq!(record.sex, Some(Sex::Unknown("x".to_owned())));
        assert_eq!(
            serde_json::to_value(record).expect("encodes")["deeps"],
            json!(9),
            "kept as received"
        );
        let violations = decoded
            .validate()
            .expect_err("not a listed value")
            .violations;
        let pointers: Vec<&str> = violations.iter().map(|v| v.pointer.as_str()).collect();
        assert_eq!(pointers, ["/data/1/sex", "/data/1/deeps"]);
        assert!(
            violations[1].rule.contains("must be one of 1, 2"),
            "{}",
            violations[1].rule
        );
    }
}

#[test]
fn an_empty_string_is_absent_for_an_optional_number_and_kept_for_text() {
    let mut example = request_example("documented");
    example["data"][0]["cityId"] = json!("");
    example["data"][0]["address"] = json!("");
    let decoded = decode(example).expect("decodes");
    assert_eq!(decoded.data[0].city_id, None);
    assert_eq!(decoded.data[0].address.as_deref(), Some(""));
}

#[test]
fn a_non_numeric_string_for_an_integer_is_an_error() {
    let mut example = request_example("documented");
    example["data"][0]["cityId"] = json!("Москва");
    let error = decode(example).expect_err("not an integer");
    assert!(error.to_string().contains("Москва"), "{error}");
}

#[test]
fn unknown_fields_are_ignored() {
    let mut example = request_example("documented");
    example["futureTopLevel"] = json!({"nested": [1, 2, 3]});
    example["data"][0]["futureField"] = json!("x");
    example["data"][1]["contacts"][1]["futureContactField"] = json!(true);
    example["data"][1]["passport"]["futurePassportField"] = json!(null);
    example["data"][1]["objects"][0]["futureObjectField"] = json!(42);

    let with_extras = decode(example).expect("unknown fields do not break decoding");
    let plain = decode(request_example("documented")).unwrap();
    assert_eq!(with_extras, plain);
    assert_eq!(
        serde_json::to_value(&with_extras).unwrap(),
        request_example("normalized"),
        "unknown fields are dropped, not re-sent"
    );
}

#[test]
fn the_response_decodes_loose_types_and_ignores_unknown_fields() {
    let response: AddClientsResponse = serde_json::from_value(json!({
        "result": [{"id": "101", "extra": 1}, {"id": 102}],
        "notices": [{"notice": "5", "notice_field": "lpr", "notice_array": "1", "level": "warn"}],
        "status": "ok",
    }))
    .expect("the response decodes");

    let ids: Vec<i64> = response.result.iter().map(|c| c.id).collect();
    assert_eq!(ids, [101, 102]);
    let notices = response.notices.expect("notices");
    assert_eq!(notices[0].notice, Some(5));
    assert_eq!(notices[0].notice_array, Some(1));
    assert_eq!(notices[0].notice_field.as_deref(), Some("lpr"));
    assert_eq!(notices[0].notice_text, None);
}
