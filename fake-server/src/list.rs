//! `POST /v1/CLIENTS`: the request's filter, order, projection and page, and the answer's field
//! wrappers.

use std::cmp::Ordering;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{json, Map, Value};

use crate::store::StoredClient;
use crate::validate::{body_object, escape, Checker, Problem};

/// The default and largest page size.
pub(crate) const MAX_LIMIT: i64 = 3000;

/// A checked list request.
#[derive(Debug, Default)]
pub(crate) struct ListRequest {
    pub(crate) code: i64,
    pub(crate) escaped: bool,
    filter: Filter,
    order: Vec<(String, bool)>,
    projection: Option<Vec<String>>,
    limit: usize,
    offset: usize,
}

#[derive(Debug, Default)]
struct Filter {
    ints: Vec<(&'static str, i64)>,
    fio: Option<String>,
    statuses: Vec<i64>,
    add_date: Option<(Option<i64>, Option<i64>)>,
    edit_date: Option<(Option<i64>, Option<i64>)>,
    client_cat: Option<Vec<String>>,
    texts: Vec<(&'static str, String)>,
}

/// Checks the body of a list request. `raw` is the same body as bytes, read again for the order
/// of the keys of `order` (the sort priority), which a JSON object value does not keep.
pub(crate) fn parse(body: &Value, raw: &[u8], strict: bool) -> Result<ListRequest, Vec<Problem>> {
    let body = body_object(body)?;
    let mut check = Checker::new(strict);
    let mut request = ListRequest {
        limit: MAX_LIMIT as usize,
        ..ListRequest::default()
    };
    match body.get("code") {
        None => check.problem("/code", "`code` (the director's SMS code) is required"),
        Some(code) => request.code = check.int(code, "/code").unwrap_or_default(),
    }
    if let Some(nomedia) = body.get("nomedia") {
        check.one_of(nomedia, "/nomedia", &[1]);
    }
    if let Some(encoding) = body.get("encoding") {
        request.escaped = check.one_of(encoding, "/encoding", &[0, 1]) == Some(1);
    }
    if let Some(limit) = body.get("limit") {
        if let Some(limit) = check.int(limit, "/limit") {
            if (1..=MAX_LIMIT).contains(&limit) {
                request.limit = limit as usize;
            } else {
                check.problem(
                    "/limit",
                    format!("{limit} is not between 1 and {MAX_LIMIT}"),
                );
            }
        }
    }
    if let Some(offset) = body.get("offset") {
        if let Some(offset) = check.int(offset, "/offset") {
            match usize::try_from(offset) {
                Ok(offset) => request.offset = offset,
                Err(_) => check.problem("/offset", format!("{offset} is below 0")),
            }
        }
    }
    if let Some(filter) = body.get("filter") {
        request.filter = parse_filter(&mut check, filter);
    }
    if let Some(order) = body.get("order") {
        request.order = parse_order(&mut check, order, raw);
    }
    if let Some(projection) = body.get("projection") {
        match projection {
            Value::Array(names) => {
                let mut fields = Vec::new();
                for (index, name) in names.iter().enumerate() {
                    if let Some(name) = check.string(name, &format!("/projection/{index}")) {
                        fields.push(name);
                    }
                }
                request.projection = Some(fields);
            }
            _ => check.problem("/projection", "expected an array of field names"),
        }
    }
    check.finish().map(|()| request)
}

fn parse_filter(check: &mut Checker, value: &Value) -> Filter {
    let mut filter = Filter::default();
    let Value::Object(map) = value else {
        check.problem("/filter", "expected an object");
        return filter;
    };
    for (key, value) in map {
        let pointer = format!("/filter/{}", escape(key));
        match key.as_str() {
            "userId" | "id" | "apiIdExchange" => {
                if let Some(number) = check.int(value, &pointer) {
                    filter.ints.push((static_key(key), number));
                }
            }
            "fio" => filter.fio = check.string(value, &pointer).map(|s| s.to_lowercase()),
            // The table's spelling and the example's.
            "delclient" | "delClient" => {
                if let Some(status) = check.one_of(value, &pointer, &[1, 2, 3, 4]) {
                    filter.statuses.push(status);
                }
            }
            "addDate" => filter.add_date = date_range(check, value, &pointer),
            "editDate" => filter.edit_date = date_range(check, value, &pointer),
            "clientCat" => match value {
                Value::Array(items) => {
                    let mut categories = Vec::new();
                    for (index, item) in items.iter().enumerate() {
                        if let Some(text) = check.string(item, &format!("{pointer}/{index}")) {
                            categories.push(text);
                        }
                    }
                    filter.client_cat = Some(categories);
                }
                _ => check.problem(&pointer, "expected an array of strings such as `clientc_1`"),
            },
            "regionName" | "cityName" => {
                if let Some(text) = check.string(value, &pointer) {
                    filter.texts.push((static_key(key), text));
                }
            }
            // Seen only in the documentation's example, with no recoverable meaning: accepted
            // and not applied, as are keys nobody documented (the filter is open).
            _ => {}
        }
    }
    filter
}

/// The filter keys compared with a stored field, as `'static` names.
const COMPARED_KEYS: [&str; 5] = ["userId", "id", "apiIdExchange", "regionName", "cityName"];

/// `key` as the `'static` name of [`COMPARED_KEYS`] it equals (only called with one of them).
fn static_key(key: &str) -> &'static str {
    COMPARED_KEYS
        .iter()
        .find(|known| **known == key)
        .copied()
        .unwrap_or("")
}

fn date_range(check: &mut Checker, value: &Value, at: &str) -> Option<(Option<i64>, Option<i64>)> {
    let Value::Object(map) = value else {
        check.problem(at, "expected an object `{min, max}`");
        return None;
    };
    let bound = |check: &mut Checker, key: &str| {
        map.get(key)
            .and_then(|value| check.int(value, &format!("{at}/{key}")))
    };
    let min = bound(check, "min");
    let max = bound(check, "max");
    Some((min, max))
}

/// The keys of `order`, in the order the body gives them: the first is the main sort key.
fn parse_order(check: &mut Checker, value: &Value, raw: &[u8]) -> Vec<(String, bool)> {
    let Value::Object(map) = value else {
        check.problem(
            "/order",
            "expected an object of field name → `asc` or `desc`",
        );
        return Vec::new();
    };
    let ordered = serde_json::from_slice::<OrderOnly>(raw)
        .ok()
        .and_then(|body| body.order)
        .map(|pairs| pairs.0)
        .unwrap_or_else(|| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    let mut order = Vec::new();
    for (field, direction) in ordered {
        match direction.as_str() {
            Some("asc") => order.push((field, false)),
            Some("desc") => order.push((field, true)),
            _ => check.problem(
                &format!("/order/{}", escape(&field)),
                "expected `asc` or `desc`",
            ),
        }
    }
    order
}

/// Only the `order` of a list request, its keys in document order.
#[derive(serde::Deserialize)]
struct OrderOnly {
    #[serde(default)]
    order: Option<Pairs>,
}

/// A JSON object's members in document order.
struct Pairs(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = access.next_entry::<String, Value>()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor)
    }
}

impl Filter {
    fn matches(&self, client: &StoredClient) -> bool {
        let in_range = |range: &Option<(Option<i64>, Option<i64>)>, at: i64| {
            range.map_or(true, |(min, max)| {
                min.map_or(true, |m| at >= m) && max.map_or(true, |m| at <= m)
            })
        };
        self.ints.iter().all(|(key, wanted)| {
            let have = if *key == "id" {
                Some(client.id)
            } else {
                client.int(key)
            };
            have == Some(*wanted)
        }) && self.fio.as_ref().map_or(true, |part| {
            client.full_name().to_lowercase().contains(part.as_str())
        }) && self.statuses.iter().all(|status| client.status == *status)
            && in_range(&self.add_date, client.added_at)
            && in_range(&self.edit_date, client.edited_at)
            && self.client_cat.as_ref().map_or(true, |categories| {
                client
                    .int("clientc")
                    .is_some_and(|c| categories.contains(&format!("clientc_{c}")))
            })
            && self
                .texts
                .iter()
                .all(|(key, wanted)| client.text(key) == Some(wanted.as_str()))
    }
}

/// A value a client is sorted by.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Int(i64),
    Text(String),
}

fn sort_key(client: &StoredClient, field: &str) -> Option<SortKey> {
    match field {
        "id" => Some(SortKey::Int(client.id)),
        "addDate" => Some(SortKey::Int(client.added_at)),
        "editDate" => Some(SortKey::Int(client.edited_at)),
        "delclient" | "delClient" => Some(SortKey::Int(client.status)),
        "fio" => Some(SortKey::Text(client.full_name())),
        _ => match client.record.get(field) {
            Some(Value::Number(number)) => number.as_i64().map(SortKey::Int),
            Some(Value::String(text)) => Some(SortKey::Text(text.clone())),
            _ => None,
        },
    }
}

impl ListRequest {
    /// The page of `clients` this request asks for, each as its field wrappers.
    pub(crate) fn page(&self, clients: &[StoredClient]) -> Vec<Value> {
        let mut selected: Vec<&StoredClient> =
            clients.iter().filter(|c| self.filter.matches(c)).collect();
        selected.sort_by(|a, b| {
            self.order
                .iter()
                .map(|(field, descending)| {
                    let ordering = sort_key(a, field).cmp(&sort_key(b, field));
                    if *descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                })
                .find(|ordering| *ordering != Ordering::Equal)
                .unwrap_or_else(|| a.id.cmp(&b.id))
        });
        selected
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|client| Value::Object(fields(client, self.projection.as_deref())))
            .collect()
    }
}

/// How a field's values look in the answer.
#[derive(Clone, Copy)]
enum Kind {
    /// One plain value.
    Single,
    /// Several plain values (an array of the record).
    Multi,
    Contacts,
    Comments,
    Objects,
}

/// The fields of a client in the answer: projection name, key in the answer, label, kind.
const FIELDS: [(&str, &str, &str, Kind); 29] = [
    ("id", "id", "ID клиента", Kind::Single),
    ("userId", "userId", "Пользователь", Kind::Single),
    (
        "apiIdExchange",
        "apiIdExchange",
        "ID в вашей системе",
        Kind::Single,
    ),
    ("fioF", "fioF", "Фамилия", Kind::Single),
    ("fioI", "fioI", "Имя", Kind::Single),
    ("fioO", "fioO", "Отчество", Kind::Single),
    ("fioDesc", "fioDesc", "Описание", Kind::Single),
    ("sex", "sex", "Пол", Kind::Single),
    ("birthday", "birthday", "День рождения", Kind::Single),
    ("deeps", "deeps", "Правоспособность", Kind::Single),
    ("deepon", "deepon", "Дееспособность", Kind::Single),
    ("clientc", "clientc", "Тип клиента", Kind::Single),
    ("family", "family", "Семейное положение", Kind::Single),
    ("address", "address", "Адрес", Kind::Single),
    ("regionId", "regionId", "ID региона", Kind::Single),
    ("cityId", "cityId", "ID города", Kind::Single),
    ("regionName", "regionName", "Регион", Kind::Single),
    ("cityName", "cityName", "Город", Kind::Single),
    ("userCategory", "userCategory", "Группы", Kind::Multi),
    ("clientType", "clientType", "Тип клиента", Kind::Single),
    ("agency", "agency", "Агентство", Kind::Single),
    ("contacts", "contacts", "Контакты", Kind::Contacts),
    ("comments", "comments", "Комментарии", Kind::Comments),
    ("passport", "passport", "Паспортные данные", Kind::Single),
    // The documentation's example answered the projection `objects` under `objectsList`.
    ("objects", "objectsList", "Объекты", Kind::Objects),
    ("orders", "orders", "Заявки", Kind::Multi),
    ("addDate", "addDate", "Дата добавления", Kind::Single),
    ("editDate", "editDate", "Дата изменения", Kind::Single),
    ("delclient", "delclient", "Статус", Kind::Single),
];

/// A client as the answer gives it: an object keyed by field name, each value a field wrapper.
fn fields(client: &StoredClient, projection: Option<&[String]>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, key, label, kind) in FIELDS {
        let wanted = projection.map_or(true, |names| names.iter().any(|n| n == name || n == key));
        if !wanted || out.contains_key(key) {
            continue;
        }
        let value = match name {
            "id" => Some(Value::from(client.id)),
            "addDate" => Some(Value::from(client.added_at)),
            "editDate" => Some(Value::from(client.edited_at)),
            "delclient" => Some(Value::from(client.status)),
            _ => client.record.get(name).cloned(),
        };
        let (field_type, multi, values) = match kind {
            Kind::Single => ("value", false, vec![json!({ "value": value.map(as_text) })]),
            Kind::Multi => (
                "value",
                true,
                items(value)
                    .into_iter()
                    .map(|item| json!({ "value": as_text(item) }))
                    .collect(),
            ),
            Kind::Contacts => ("contact", true, contacts(client, items(value))),
            Kind::Comments => ("comment", true, comments(client, items(value))),
            Kind::Objects => ("object", true, objects(items(value))),
        };
        out.insert(
            key.to_owned(),
            json!({
                "fieldName": label,
                "fieldType": field_type,
                "fieldMulti": if multi { "multi" } else { "not_multi" },
                "values": values,
            }),
        );
    }
    out
}

fn items(value: Option<Value>) -> Vec<Value> {
    match value {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

/// A value as the answer writes it: numbers as strings, everything inside objects and arrays
/// likewise, `null` as `null`.
fn as_text(value: Value) -> Value {
    match value {
        Value::Number(number) => Value::String(number.to_string()),
        Value::Bool(flag) => Value::String(u8::from(flag).to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(as_text).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, as_text(v))).collect())
        }
        other => other,
    }
}

/// A member of an object entry as text, or `null`.
fn member(entry: &Value, key: &str) -> Value {
    entry.get(key).cloned().map_or(Value::Null, as_text)
}

fn contacts(client: &StoredClient, entries: Vec<Value>) -> Vec<Value> {
    entries
        .iter()
        .zip(&client.contact_ids)
        .map(|(entry, id)| {
            json!({
                "id": id.to_string(),
                "value": member(entry, "value"),
                "type": member(entry, "type"),
                "comment": member(entry, "comment"),
                "general": member(entry, "general"),
                // The documentation's answer writes the tracking flag `sky`.
                "sky": member(entry, "spy"),
            })
        })
        .collect()
}

fn comments(client: &StoredClient, entries: Vec<Value>) -> Vec<Value> {
    entries
        .iter()
        .zip(&client.comment_ids)
        .map(|(entry, id)| {
            json!({
                "id": id.to_string(),
                "value": member(entry, "value"),
                "date": client.added_at.to_string(),
                "userId": client.record.get("userId").cloned().map_or(Value::Null, as_text),
            })
        })
        .collect()
}

fn objects(entries: Vec<Value>) -> Vec<Value> {
    entries
        .iter()
        .map(|entry| {
            json!({
                "id": member(entry, "id"),
                "lpr": member(entry, "lpr"),
                "name": member(entry, "name"),
                "doled": member(entry, "doled"),
            })
        })
        .collect()
}
