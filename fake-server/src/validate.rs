//! Checking request bodies against the spec's schemas, and normalising them to the spec's types.
//!
//! Every check names its place as a JSON pointer into the body (`/data/1/contacts/0/value`), and
//! all violations of a body are collected, not only the first. In lenient mode (the default) the
//! contradictions of the documented example request are accepted as the documentation's own
//! example sends them: integers written as numeric strings (`"cityId": "1067"`) and phone numbers
//! written as JSON numbers (`"value": 79998886655`). Strict mode accepts only the spec's types.

use serde_json::{Map, Value};

/// One rule of the spec a request body breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the body, as a JSON pointer (`/data/0/sex`); empty for the body as a whole.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

/// Collects the problems of one body.
pub(crate) struct Checker {
    strict: bool,
    problems: Vec<Problem>,
}

impl Checker {
    pub(crate) fn new(strict: bool) -> Self {
        Checker {
            strict,
            problems: Vec::new(),
        }
    }

    /// The problems found, or `Ok` when there were none.
    pub(crate) fn finish(self) -> Result<(), Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }

    pub(crate) fn problem(&mut self, pointer: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    /// A 64-bit integer; in lenient mode also a string of one.
    pub(crate) fn int(&mut self, value: &Value, pointer: &str) -> Option<i64> {
        let read = match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) if !self.strict => text.trim().parse::<i64>().ok(),
            _ => None,
        };
        if read.is_none() {
            let expected = if self.strict {
                "an integer"
            } else {
                "an integer (or a string of one)"
            };
            self.problem(
                pointer,
                format!("expected {expected}, found {}", kind(value)),
            );
        }
        read
    }

    /// An integer that must be one of `allowed`.
    pub(crate) fn one_of(&mut self, value: &Value, pointer: &str, allowed: &[i64]) -> Option<i64> {
        let number = self.int(value, pointer)?;
        if allowed.contains(&number) {
            Some(number)
        } else {
            let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
            self.problem(
                pointer,
                format!(
                    "{number} is not one of the allowed values {}",
                    list.join(", ")
                ),
            );
            None
        }
    }

    /// A string.
    pub(crate) fn string(&mut self, value: &Value, pointer: &str) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            other => {
                self.problem(pointer, format!("expected a string, found {}", kind(other)));
                None
            }
        }
    }

    /// A string that must pass `rule`, described by `format`.
    fn formatted(
        &mut self,
        value: &Value,
        pointer: &str,
        format: &str,
        rule: fn(&str) -> bool,
    ) -> Option<String> {
        let text = self.string(value, pointer)?;
        if rule(&text) {
            Some(text)
        } else {
            self.problem(pointer, format!("`{text}` is not of the form {format}"));
            None
        }
    }

    /// An object.
    fn object<'v>(&mut self, value: &'v Value, pointer: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.problem(
                    pointer,
                    format!("expected an object, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// An array.
    fn array<'v>(&mut self, value: &'v Value, pointer: &str) -> Option<&'v Vec<Value>> {
        match value {
            Value::Array(items) => Some(items),
            other => {
                self.problem(pointer, format!("expected an array, found {}", kind(other)));
                None
            }
        }
    }
}

/// How a JSON value is named in messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A request body as a JSON object, or the problem that it is not one.
pub(crate) fn body_object(body: &Value) -> Result<&Map<String, Value>, Vec<Problem>> {
    match body {
        Value::Object(map) => Ok(map),
        other => Err(vec![Problem {
            pointer: String::new(),
            message: format!("the body must be a JSON object, found {}", kind(other)),
        }]),
    }
}

/// The integer fields of a client record that take any value.
const INT_FIELDS: [&str; 4] = ["userId", "apiIdExchange", "regionId", "cityId"];
/// The integer fields of a client record that take the values of an enum.
const ENUM_FIELDS: [(&str, &[i64]); 5] = [
    ("deeps", &[1, 2, 3]),
    ("deepon", &[1, 2, 3]),
    ("clientc", &[1, 2, 3]),
    ("family", &[0, 1]),
    ("clientType", &[0, 1, 3, 4, 2]),
];
/// The free-text fields of a client record.
const STRING_FIELDS: [&str; 8] = [
    "fioF",
    "fioI",
    "fioO",
    "fioDesc",
    "address",
    "regionName",
    "cityName",
    "agency",
];

/// Checks the body of `PUT /v1/CLIENTS` and returns its records, normalised to the spec's types.
/// `encoding` and `code` are checked; `code` is not used.
pub(crate) fn add_clients(
    body: &Value,
    strict: bool,
) -> Result<Vec<Map<String, Value>>, Vec<Problem>> {
    let body = body_object(body)?;
    let mut check = Checker::new(strict);
    if let Some(encoding) = body.get("encoding") {
        check.one_of(encoding, "/encoding", &[0, 1]);
    }
    if let Some(code) = body.get("code") {
        check.int(code, "/code");
    }
    let mut records = Vec::new();
    match body.get("data") {
        None => check.problem("/data", "`data` is required"),
        Some(data) => {
            if let Some(items) = check.array(data, "/data") {
                if items.is_empty() {
                    check.problem("/data", "`data` must hold at least one client");
                }
                for (index, item) in items.iter().enumerate() {
                    if let Some(record) = client_record(&mut check, item, &format!("/data/{index}"))
                    {
                        records.push(record);
                    }
                }
            }
        }
    }
    check.finish().map(|()| records)
}

/// One `ClientRecord`, normalised: known fields in the spec's types, unknown fields kept as sent.
fn client_record(check: &mut Checker, value: &Value, at: &str) -> Option<Map<String, Value>> {
    let record = check.object(value, at)?;
    let mut out = Map::new();
    for (key, value) in record {
        let pointer = format!("{at}/{}", escape(key));
        let normalised = if INT_FIELDS.contains(&key.as_str()) {
            check.int(value, &pointer).map(Value::from)
        } else if let Some((_, allowed)) = ENUM_FIELDS.iter().find(|(name, _)| name == key) {
            check.one_of(value, &pointer, allowed).map(Value::from)
        } else if STRING_FIELDS.contains(&key.as_str()) {
            check.string(value, &pointer).map(Value::from)
        } else {
            match key.as_str() {
                "sex" => check
                    .formatted(value, &pointer, "`male` or `female`", |s| {
                        s == "male" || s == "female"
                    })
                    .map(Value::from),
                "birthday" => check
                    .formatted(value, &pointer, "dd.mm.yyyy", is_date)
                    .map(Value::from),
                "userCategory" => check.array(value, &pointer).map(|items| {
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| check.int(item, &format!("{pointer}/{i}")))
                        .map(Value::from)
                        .collect()
                }),
                "contacts" => each(check, value, &pointer, contact),
                "comments" => each(check, value, &pointer, comment),
                "passport" => passport(check, value, &pointer),
                "objects" => each(check, value, &pointer, client_object),
                "orders" => each(check, value, &pointer, order),
                _ => Some(value.clone()),
            }
        };
        if let Some(normalised) = normalised {
            out.insert(key.clone(), normalised);
        }
    }
    Some(out)
}

/// An array whose items are each checked by `item`.
fn each(
    check: &mut Checker,
    value: &Value,
    at: &str,
    item: fn(&mut Checker, &Value, &str) -> Option<Value>,
) -> Option<Value> {
    let items = check.array(value, at)?;
    let checked: Vec<Value> = items
        .iter()
        .enumerate()
        .filter_map(|(index, value)| item(check, value, &format!("{at}/{index}")))
        .collect();
    Some(Value::Array(checked))
}

/// One `Contact`: `type` and `value` required, the phone prefixes of the docs, `spy` only on
/// phones.
fn contact(check: &mut Checker, value: &Value, at: &str) -> Option<Value> {
    let map = check.object(value, at)?;
    let mut out = map.clone();
    let kind = match map.get("type") {
        None => {
            check.problem(&format!("{at}/type"), "`type` is required");
            None
        }
        Some(value) => check.formatted(
            value,
            &format!("{at}/type"),
            "`mobile`, `city`, `email` or `other`",
            |s| matches!(s, "mobile" | "city" | "email" | "other"),
        ),
    };
    let pointer = format!("{at}/value");
    let text = match map.get("value") {
        None => {
            check.problem(&pointer, "`value` is required");
            None
        }
        // The documented example sends phone numbers as JSON numbers.
        Some(Value::Number(number)) if !check.strict && number.is_u64() => Some(number.to_string()),
        Some(value) => check.string(value, &pointer),
    };
    if let (Some(kind), Some(text)) = (kind.as_deref(), text) {
        match kind {
            "mobile" if !text.starts_with('7') => {
                check.problem(&pointer, "a mobile number must start with 7")
            }
            "city" if !text.starts_with('8') => {
                check.problem(&pointer, "a city number must start with 8")
            }
            "email" if !is_email(&text) => {
                check.problem(&pointer, format!("`{text}` is not an e-mail address"))
            }
            _ => {}
        }
        out.insert("value".to_owned(), Value::String(text));
    }
    if let Some(general) = map.get("general") {
        if let Some(flag) = check.one_of(general, &format!("{at}/general"), &[0, 1]) {
            out.insert("general".to_owned(), flag.into());
        }
    }
    if let Some(spy) = map.get("spy") {
        let pointer = format!("{at}/spy");
        if matches!(kind.as_deref(), Some("email" | "other")) {
            check.problem(&pointer, "`spy` is only given on mobile and city contacts");
        } else if let Some(flag) = check.one_of(spy, &pointer, &[0, 1]) {
            out.insert("spy".to_owned(), flag.into());
        }
    }
    if let Some(comment) = map.get("comment") {
        check.string(comment, &format!("{at}/comment"));
    }
    Some(Value::Object(out))
}

/// One `Comment`: `value` required.
fn comment(check: &mut Checker, value: &Value, at: &str) -> Option<Value> {
    let map = check.object(value, at)?;
    match map.get("value") {
        None => check.problem(&format!("{at}/value"), "`value` is required"),
        Some(text) => {
            check.string(text, &format!("{at}/value"));
        }
    }
    Some(Value::Object(map.clone()))
}

/// A field that must have a format: its key, the format as messages show it, and the check.
type FormatRule = (&'static str, &'static str, fn(&str) -> bool);

/// `Passport`: the formats of the docs.
fn passport(check: &mut Checker, value: &Value, at: &str) -> Option<Value> {
    let map = check.object(value, at)?;
    let rules: [FormatRule; 5] = [
        ("serial", "4 digits", |s| digits(s, 4)),
        ("number", "6 digits", |s| digits(s, 6)),
        ("dateSended", "dd.mm.yyyy", is_date),
        ("codePod", "123-456", |s| groups(s, &[(3, '-'), (3, '\0')])),
        ("snils", "123-123-123 44", |s| {
            groups(s, &[(3, '-'), (3, '-'), (3, ' '), (2, '\0')])
        }),
    ];
    for (key, value) in map {
        let pointer = format!("{at}/{}", escape(key));
        if let Some((_, format, rule)) = rules.iter().find(|(name, _, _)| name == key) {
            check.formatted(value, &pointer, format, *rule);
        } else if matches!(
            key.as_str(),
            "sended" | "placeBirth" | "propiska" | "placeHome"
        ) {
            check.string(value, &pointer);
        }
    }
    Some(Value::Object(map.clone()))
}

/// One `ClientObject`.
fn client_object(check: &mut Checker, value: &Value, at: &str) -> Option<Value> {
    let map = check.object(value, at)?;
    let mut out = map.clone();
    if let Some(id) = map.get("id") {
        if let Some(id) = check.int(id, &format!("{at}/id")) {
            out.insert("id".to_owned(), id.into());
        }
    }
    if let Some(lpr) = map.get("lpr") {
        if let Some(lpr) = check.one_of(lpr, &format!("{at}/lpr"), &[0, 1]) {
            out.insert("lpr".to_owned(), lpr.into());
        }
    }
    if let Some(name) = map.get("name") {
        check.string(name, &format!("{at}/name"));
    }
    if let Some(doled) = map.get("doled") {
        check.formatted(doled, &format!("{at}/doled"), "1/3", |s| {
            s.split_once('/')
                .is_some_and(|(a, b)| digits(a, a.len()) && digits(b, b.len()))
        });
    }
    Some(Value::Object(out))
}

/// One `ClientOrder`.
fn order(check: &mut Checker, value: &Value, at: &str) -> Option<Value> {
    let map = check.object(value, at)?;
    let mut out = map.clone();
    if let Some(id) = map.get("id") {
        if let Some(id) = check.int(id, &format!("{at}/id")) {
            out.insert("id".to_owned(), id.into());
        }
    }
    if let Some(name) = map.get("name") {
        check.string(name, &format!("{at}/name"));
    }
    Some(Value::Object(out))
}

/// Escapes a key for a JSON pointer (RFC 6901).
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Exactly `count` ASCII digits (and at least one).
fn digits(text: &str, count: usize) -> bool {
    count > 0 && text.len() == count && text.bytes().all(|b| b.is_ascii_digit())
}

/// Groups of digits, each followed by its separator (`'\0'` ends the text).
fn groups(text: &str, parts: &[(usize, char)]) -> bool {
    let mut rest = text;
    for &(count, separator) in parts {
        // `get` rather than indexing: the text may hold multi-byte characters.
        match (rest.get(..count), rest.get(count..)) {
            (Some(head), Some(tail)) if digits(head, count) => rest = tail,
            _ => return false,
        }
        if separator == '\0' {
            return rest.is_empty();
        }
        match rest.strip_prefix(separator) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// `d.m.yyyy` with a day of 1 to 31 and a month of 1 to 12, each of one or two digits (the spec's
/// pattern, which accepts the documented example's unpadded `5.9.2010`).
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    let [day, month, year] = parts.as_slice() else {
        return false;
    };
    let small = |part: &str, max: u32| {
        (1..=2).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    small(day, 31) && small(month, 12) && digits(year, 4)
}

/// Something before and after one `@`, with a dot in the domain; the spec says only
/// `format: email`.
fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_date("5.9.2010") && is_date("10.01.1985"));
        assert!(!is_date("32.01.1985") && !is_date("1.13.2000") && !is_date("1.1.85"));
        assert!(groups("770-077", &[(3, '-'), (3, '\0')]));
        assert!(!groups("770077", &[(3, '-'), (3, '\0')]));
        assert!(groups(
            "123-123-123 44",
            &[(3, '-'), (3, '-'), (3, ' '), (2, '\0')]
        ));
        assert!(
            !groups("77Ё-077", &[(3, '-'), (3, '\0')]),
            "no panic on multi-byte text"
        );
        assert!(is_email("a@b.ru") && !is_email("a@b") && !is_email("@b.ru"));
    }
}
