//! The clients the server holds, and what adding clients does to them: new ids, the main contact
//! of each type (`general`) and the decision maker of each object (`lpr`), with their notices.

use serde_json::{json, Map, Value};

/// Notice code: the object already had a decision maker (ЛПР), and the new client took over
/// (the documentation's example notice, `notice_field` `lpr`).
pub const NOTICE_LPR_TAKEN_OVER: i64 = 5;
/// Notice code: several contacts of one type were marked main (`general = 1`); only the last one
/// stays main (`notice_field` `general`). Not documented: this server's choice.
pub const NOTICE_GENERAL_TAKEN_OVER: i64 = 6;

/// The status of a client that was just added (`delclient` 1, current).
pub const STATUS_CURRENT: i64 = 1;

/// A client as the server stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredClient {
    /// The id the server gave it.
    pub id: i64,
    /// When it was added, Unix time (the `addDate` filter).
    pub added_at: i64,
    /// When it last changed, Unix time (the `editDate` filter): when it was added, or when a
    /// later client took over as decision maker of one of its objects.
    pub edited_at: i64,
    /// Its status (the `delclient` filter): 1 current, 2 archived, 3 deleted, 4 active in
    /// advertising. Adding makes it 1; [`FakeServer::set_status`](crate::FakeServer::set_status)
    /// changes it.
    pub status: i64,
    /// The record as it was sent, in the spec's types (numeric strings read as integers, phone
    /// numbers as strings), with the server's choices filled in: every contact has `general` and
    /// every object `lpr`.
    pub record: Map<String, Value>,
    /// The ids the server gave the record's contacts, in order.
    pub(crate) contact_ids: Vec<i64>,
    /// The ids the server gave the record's comments, in order.
    pub(crate) comment_ids: Vec<i64>,
}

impl StoredClient {
    /// The full name, `fioF fioI fioO`, of the parts that were given (the `fio` filter matches it).
    pub fn full_name(&self) -> String {
        ["fioF", "fioI", "fioO"]
            .iter()
            .filter_map(|key| self.record.get(*key).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The integer of a field of the record (`userId`, `cityId`, ...), if it has one.
    pub fn int(&self, key: &str) -> Option<i64> {
        self.record.get(key).and_then(Value::as_i64)
    }

    /// The text of a field of the record (`fioF`, `address`, ...), if it has one.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.record.get(key).and_then(Value::as_str)
    }
}

/// Everything the server holds.
#[derive(Debug)]
pub(crate) struct Store {
    next_id: i64,
    next_contact_id: i64,
    next_comment_id: i64,
    /// Ordered by id: ids only grow.
    pub(crate) clients: Vec<StoredClient>,
    /// A fixed clock, Unix time; `None` reads the system clock.
    pub(crate) now: Option<i64>,
}

impl Store {
    pub(crate) fn new(first_id: i64, now: Option<i64>) -> Self {
        Store {
            next_id: first_id,
            next_contact_id: 1,
            next_comment_id: 1,
            clients: Vec::new(),
            now,
        }
    }

    /// The time now, Unix seconds.
    pub(crate) fn now(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| {
                    i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
                })
        })
    }

    /// Adds checked records: returns the new ids, in order, and the notices.
    pub(crate) fn add(&mut self, records: Vec<Map<String, Value>>) -> (Vec<i64>, Vec<Value>) {
        let now = self.now();
        let mut ids = Vec::with_capacity(records.len());
        let mut notices = Vec::new();
        for (index, mut record) in records.into_iter().enumerate() {
            let id = self.next_id;
            self.next_id = self.next_id.saturating_add(1);
            if main_contacts(&mut record) {
                notices.push(notice(
                    NOTICE_GENERAL_TAKEN_OVER,
                    format!(
                        "У клиента {} несколько главных контактов одного типа, главным оставлен последний.",
                        index + 1
                    ),
                    "general",
                    index,
                ));
            }
            for _object in self.decision_makers(&mut record, now) {
                notices.push(notice(
                    NOTICE_LPR_TAKEN_OVER,
                    format!(
                        "У этого объекта уже был клиент с ЛПР=1, теперь ЛПР=1 у клиента {}.",
                        index + 1
                    ),
                    "lpr",
                    index,
                ));
            }
            let contacts = record
                .get("contacts")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let comments = record
                .get("comments")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let contact_ids = self.take_ids(contacts, Counter::Contact);
            let comment_ids = self.take_ids(comments, Counter::Comment);
            self.clients.push(StoredClient {
                id,
                added_at: now,
                edited_at: now,
                status: STATUS_CURRENT,
                record,
                contact_ids,
                comment_ids,
            });
            ids.push(id);
        }
        (ids, notices)
    }

    fn take_ids(&mut self, count: usize, counter: Counter) -> Vec<i64> {
        let next = match counter {
            Counter::Contact => &mut self.next_contact_id,
            Counter::Comment => &mut self.next_comment_id,
        };
        (0..count)
            .map(|_| {
                let id = *next;
                *next = next.saturating_add(1);
                id
            })
            .collect()
    }

    /// Settles `lpr` on each object of a new record: an object must have one decision maker.
    /// A record that says `lpr = 1` takes over from the object's current decision maker (an
    /// earlier client, or an earlier entry of the same record); a record that does not say it
    /// becomes the decision maker only when the object has none. Returns the ids of the objects
    /// taken over.
    fn decision_makers(&mut self, record: &mut Map<String, Value>, now: i64) -> Vec<i64> {
        let mut taken_over = Vec::new();
        let Some(Value::Array(objects)) = record.get_mut("objects") else {
            return taken_over;
        };
        for position in 0..objects.len() {
            let (id, given) = match &objects[position] {
                Value::Object(entry) => (
                    entry.get("id").and_then(Value::as_i64),
                    entry.get("lpr").and_then(Value::as_i64),
                ),
                _ => continue,
            };
            let lpr = match id {
                // No id: nothing to share it with, so the client is its decision maker unless
                // it says otherwise.
                None => given.unwrap_or(1),
                Some(id) => {
                    let earlier_in_record = objects[..position]
                        .iter()
                        .position(|entry| is_decision_maker(entry, id));
                    let earlier_client = self.clients.iter().position(|client| {
                        client
                            .record
                            .get("objects")
                            .and_then(Value::as_array)
                            .is_some_and(|entries| {
                                entries.iter().any(|entry| is_decision_maker(entry, id))
                            })
                    });
                    let has_one = earlier_in_record.is_some() || earlier_client.is_some();
                    match given {
                        Some(1) if has_one => {
                            if let Some(at) = earlier_in_record {
                                set_lpr(&mut objects[at], 0);
                            }
                            if let Some(at) = earlier_client {
                                let client = &mut self.clients[at];
                                if let Some(Value::Array(entries)) =
                                    client.record.get_mut("objects")
                                {
                                    for entry in entries.iter_mut() {
                                        if is_decision_maker(entry, id) {
                                            set_lpr(entry, 0);
                                        }
                                    }
                                }
                                client.edited_at = now;
                            }
                            taken_over.push(id);
                            1
                        }
                        Some(1) => 1,
                        _ if has_one => 0,
                        _ => 1,
                    }
                }
            };
            set_lpr(&mut objects[position], lpr);
        }
        taken_over
    }
}

enum Counter {
    Contact,
    Comment,
}

/// Whether an object entry links object `id` with `lpr = 1`.
fn is_decision_maker(entry: &Value, id: i64) -> bool {
    entry.get("id").and_then(Value::as_i64) == Some(id)
        && entry.get("lpr").and_then(Value::as_i64) == Some(1)
}

fn set_lpr(entry: &mut Value, lpr: i64) {
    if let Value::Object(entry) = entry {
        entry.insert("lpr".to_owned(), lpr.into());
    }
}

/// The group a contact type counts in for `general`: mobile and city phones are one.
fn general_group(kind: &str) -> &str {
    match kind {
        "mobile" | "city" => "phone",
        other => other,
    }
}

/// Settles `general` on a record's contacts: one main contact per type (mobile and city count as
/// one), the first of its type when none is marked, the last marked when several are. Every
/// contact ends with `general` 0 or 1. Returns whether several were marked in some type.
fn main_contacts(record: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(contacts)) = record.get_mut("contacts") else {
        return false;
    };
    let mut several = false;
    for group in ["phone", "email", "other"] {
        let members: Vec<usize> = (0..contacts.len())
            .filter(|&i| {
                contacts[i]
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|kind| general_group(kind) == group)
            })
            .collect();
        let marked: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| contacts[i].get("general").and_then(Value::as_i64) == Some(1))
            .collect();
        several |= marked.len() > 1;
        let main = marked.last().or(members.first()).copied();
        for i in members {
            if let Value::Object(contact) = &mut contacts[i] {
                contact.insert("general".to_owned(), i64::from(Some(i) == main).into());
            }
        }
    }
    several
}

/// A notice of the add-clients answer.
fn notice(code: i64, text: String, field: &str, index: usize) -> Value {
    json!({
        "notice": code,
        "notice_text": text,
        "notice_field": field,
        "notice_array": index,
    })
}
