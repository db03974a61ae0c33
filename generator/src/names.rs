//! Every Rust identifier the generator makes from a spec string is made here, and nowhere else.
//!
//! Policy, in order:
//! 1. Cyrillic letters are transliterated to Latin (the lotinfo API is Russian); any other character
//!    that is not an ASCII letter or digit separates words, except other non-ASCII letters, which
//!    become `u` and their hexadecimal code point so that distinct names stay distinct.
//! 2. heck converts the words to the target case. Words whose only capitals start a word within
//!    them (`metadata`, `PaymentIntent`), most of a spec's names, are converted directly, to what
//!    heck makes of them: heck converts a character at a time, which was a tenth of the
//!    instructions of loading and lowering Stripe's document.
//! 3. An empty result becomes `value` / `Value`; one that starts with a digit gets the prefix `n_` /
//!    `N` (`Value` for enum variants, which are often bare numbers).
//! 4. A Rust keyword gets a trailing `_` (`type` → `type_`); a type name that would shadow a prelude
//!    item or an item of the generated crate's root gets the suffix `Model` (`Error` → `ErrorModel`).
//! 5. A collision within one namespace gets the suffix `2`, `3`, … in the order names are claimed,
//!    which is document order, so the result is deterministic.

use foldhash::HashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves, which cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names a generated type must not take: the prelude's and the generated crate's own.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Clone",
    "Client",
    "ClientConfig",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Secret",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Unpin",
    "Value",
    "Vec",
];

/// A Rust type name (`UpperCamelCase`) for a schema, an inline type or a union variant's type.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw, "N");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// A Rust enum variant name (`UpperCamelCase`) for an enum value or a union member.
pub fn variant_name(raw: &str) -> String {
    camel(raw, "Value")
}

/// [`variant_name`] and [`snake_name`], each made once per raw text: a spec repeats the same enum
/// values (currencies, countries, statuses), union members (`Object`, `String`) and property
/// names (`id`, `metadata`) across many types, and making a name is the costly part (Stripe's
/// 14,400 enum values are 2,400 distinct ones, its 13,100 snake-case names 3,100).
#[derive(Debug, Default)]
pub struct NameMemo {
    variants: HashMap<String, String>,
    snakes: HashMap<String, String>,
}

impl NameMemo {
    /// The variant name of `raw`, as [`variant_name`] makes it.
    pub fn variant_name(&mut self, raw: &str) -> &str {
        made_once(&mut self.variants, raw, variant_name)
    }

    /// The field, parameter or method name of `raw`, as [`snake_name`] makes it.
    pub fn snake_name(&mut self, raw: &str) -> &str {
        made_once(&mut self.snakes, raw, snake_name)
    }
}

/// `make(raw)`, from `made` when it was made before.
fn made_once<'m>(
    made: &'m mut HashMap<String, String>,
    raw: &str,
    make: fn(&str) -> String,
) -> &'m str {
    if !made.contains_key(raw) {
        made.insert(raw.to_owned(), make(raw));
    }
    &made[raw]
}

/// The variant name of an HTTP status: its reason phrase (`Created`, `NotFound`), or `Status418`
/// for a status without a well-known phrase.
pub fn status_variant_name(status: u16) -> String {
    let phrase = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        423 => "Locked",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        other => return format!("Status{other}"),
    };
    variant_name(phrase)
}

/// The variant name of a class of statuses (`4XX` → `ClientError`, `5XX` → `ServerError`, `3XX` →
/// `Status3xx`); `class` is its digit.
pub fn status_class_variant_name(class: u16) -> String {
    match class {
        4 => variant_name("Client Error"),
        5 => variant_name("Server Error"),
        other => format!("Status{other}xx"),
    }
}

/// A Rust field, parameter or method name (`snake_case`).
pub fn snake_name(raw: &str) -> String {
    let mut name = snake_case(&words(raw));
    if name.is_empty() {
        name = "value".to_owned();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n_{name}");
    }
    escape_keyword(name)
}

/// A Rust module (file) name for a type name.
pub fn module_name(type_name: &str) -> String {
    snake_name(type_name)
}

/// A Rust module (file) name for a group of operations, from its tag or path segment
/// (`Issue field configurations` → `issue_field_configurations`, `Клиенты` → `klienty`).
pub fn group_module_name(label: &str) -> String {
    snake_name(label)
}

fn camel(raw: &str, digit_prefix: &str) -> String {
    let mut name = upper_camel_case(&words(raw));
    if name.is_empty() {
        name = "Value".to_owned();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    escape_keyword(name)
}

fn escape_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Whether `name` can be the name of the module a build script's client is written as: a
/// lowercase snake-case identifier (ASCII letters, digits and `_`, not starting with a digit,
/// not `_` alone) that is not a keyword.
pub fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name != "_"
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// `words` in `snake_case`, as heck makes it.
fn snake_case(words: &str) -> String {
    if !has_plain_capitals(words) {
        return words.to_snake_case();
    }
    let mut name = String::with_capacity(words.len() + 8);
    for chunk in words.split(' ').filter(|chunk| !chunk.is_empty()) {
        if !name.is_empty() {
            name.push('_');
        }
        for (index, byte) in chunk.bytes().enumerate() {
            if byte.is_ascii_uppercase() && index > 0 {
                name.push('_');
            }
            name.push(char::from(byte.to_ascii_lowercase()));
        }
    }
    name
}

/// `words` in `UpperCamelCase`, as heck makes it.
fn upper_camel_case(words: &str) -> String {
    if !has_plain_capitals(words) {
        return words.to_upper_camel_case();
    }
    let mut name = String::with_capacity(words.len());
    for chunk in words.split(' ').filter(|chunk| !chunk.is_empty()) {
        name.push(char::from(chunk.as_bytes()[0].to_ascii_uppercase()));
        name.push_str(&chunk[1..]);
    }
    name
}

/// Whether `words` (ASCII letters and digits, separated by spaces) have capitals only where a
/// word starts: each at the start of its run of letters and digits or after a lowercase letter,
/// and followed by a lowercase letter. heck then splits each run exactly before its capitals
/// (after a lowercase letter, a capital starts a word; a capital followed by a lowercase letter
/// never ends one), so [`snake_case`] and [`upper_camel_case`] need no more than that.
fn has_plain_capitals(words: &str) -> bool {
    let bytes = words.as_bytes();
    bytes.iter().enumerate().all(|(index, byte)| match byte {
        b'a'..=b'z' | b'0'..=b'9' | b' ' => true,
        b'A'..=b'Z' => {
            let after_start_or_lowercase =
                index == 0 || bytes[index - 1] == b' ' || bytes[index - 1].is_ascii_lowercase();
            after_start_or_lowercase && bytes.get(index + 1).is_some_and(u8::is_ascii_lowercase)
        }
        _ => false,
    })
}

/// Splits `raw` into ASCII words separated by spaces, transliterating Cyrillic.
fn words(raw: &str) -> String {
    if raw.is_ascii() {
        ascii_words(raw)
    } else {
        any_words(raw)
    }
}

/// [`any_words`] of an ASCII text, byte by byte: the names of a large document's inline types
/// are long (`PostPaymentIntentsRequest payment_method_options`), and nearly all are ASCII.
fn ascii_words(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    for (index, byte) in bytes.iter().enumerate() {
        let next_is_digit = bytes.get(index + 1).is_some_and(u8::is_ascii_digit);
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => out.push(*byte),
            b'-' if out.is_empty() && next_is_digit => out.extend_from_slice(b"Minus "),
            b'+' if out.is_empty() && next_is_digit => out.extend_from_slice(b"Plus "),
            _ => out.push(b' '),
        }
    }
    // Only ASCII bytes were written.
    String::from_utf8(out).unwrap_or_default()
}

/// [`words`] of any text.
fn any_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|n| n.is_ascii_digit());
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '-' if out.is_empty() && next_is_digit => out.push_str("Minus "),
            '+' if out.is_empty() && next_is_digit => out.push_str("Plus "),
            _ => match transliterate(c) {
                Some(latin) => out.push_str(latin),
                None if c.is_alphanumeric() => {
                    out.push_str(&format!(" u{:x} ", c as u32));
                }
                None => out.push(' '),
            },
        }
    }
    out
}

/// The Latin spelling of a Cyrillic letter (a simplified GOST 7.79 scheme), keeping its case.
fn transliterate(c: char) -> Option<&'static str> {
    const LOWER: [&str; 32] = [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
        "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
    const UPPER: [&str; 32] = [
        "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P", "R", "S",
        "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya",
    ];
    match c {
        'а'..='я' => Some(LOWER[c as usize - 'а' as usize]),
        'А'..='Я' => Some(UPPER[c as usize - 'А' as usize]),
        'ё' => Some("yo"),
        'Ё' => Some("Yo"),
        _ => None,
    }
}

/// One scope of names (the crate's types, one struct's fields, one enum's variants, …): hands out
/// each name once, suffixing later claimants of a taken name with `2`, `3`, ….
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    /// Hashed, not ordered: it is only asked whether a name is taken, and the crate's types are
    /// one namespace of thousands of names on a large document.
    taken: foldhash::HashSet<String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty namespace with room for `names` names.
    pub fn with_capacity(names: usize) -> Self {
        Namespace {
            taken: foldhash::HashSet::with_capacity_and_hasher(names, Default::default()),
        }
    }

    /// A namespace in which `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// Takes `candidate`, or the first free `candidate2`, `candidate3`, …, and returns what was taken.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.taken.insert(candidate.to_owned()) {
            return candidate.to_owned();
        }
        // A keyword-escaped name ends in `_`; the suffix goes after it.
        (2..)
            .map(|n| format!("{candidate}{n}"))
            .find(|name| !self.taken.contains(name))
            .inspect(|name| {
                self.taken.insert(name.clone());
            })
            .expect("an unbounded range always yields a free name")
    }
}

/// How prose names an API: its title, followed by "API" unless the title already ends with that
/// word ("lotinfo CRM API" stays, "Petstore" → "Petstore API").
pub fn api_in_prose(title: &str) -> String {
    let title = title.trim();
    let last_word = title.rsplit(|c: char| !c.is_alphanumeric()).next();
    if last_word.is_some_and(|word| word.eq_ignore_ascii_case("api")) {
        title.to_owned()
    } else {
        format!("{title} API")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII text of up to two characters, and every text of three over one character of
    /// each kind the split tells apart, splits into the same words both ways.
    #[test]
    fn ascii_texts_split_as_any_text_does() {
        let ascii: Vec<char> = (0u8..128).map(char::from).collect();
        for a in &ascii {
            for b in &ascii {
                for text in [format!("{a}"), format!("{a}{b}")] {
                    assert_eq!(ascii_words(&text), any_words(&text), "{text:?}");
                }
            }
        }
        let kinds = [
            'a', 'Z', '0', '9', '-', '+', ' ', '_', '.', '~', '\0', '\x7f',
        ];
        for a in kinds {
            for b in kinds {
                for c in kinds {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(ascii_words(&text), any_words(&text), "{text:?}");
                }
            }
        }
        assert_eq!(words("-1 Ёлка_9"), "Minus 1 Yolka 9");
        assert_eq!(words("-1 elka_9"), "Minus 1 elka 9");
    }

    #[test]
    fn the_memo_gives_each_value_its_own_names() {
        let mut memo = NameMemo::default();
        let values = [
            "active",
            "usd",
            "Active",
            "active",
            "9lives",
            "новый",
            "usd",
            "-1",
        ];
        for raw in values {
            assert_eq!(memo.variant_name(raw), variant_name(raw), "{raw}");
            assert_eq!(memo.snake_name(raw), snake_name(raw), "{raw}");
        }
        assert_eq!(memo.variants.len(), 6);
        assert_eq!(memo.snakes.len(), 6);
    }

    /// Every string of up to seven characters over lowercase and capital letters, a digit, a
    /// space and an underscore: the direct conversions give what heck gives.
    #[test]
    fn plain_capitals_are_cased_as_heck_cases_them() {
        const ALPHABET: [char; 7] = ['a', 'b', 'A', 'B', '7', ' ', '_'];
        let mut converted_directly = 0;
        for length in 0..=7u32 {
            for mut index in 0..ALPHABET.len().pow(length) {
                let mut text = String::new();
                for _ in 0..length {
                    text.push(ALPHABET[index % ALPHABET.len()]);
                    index /= ALPHABET.len();
                }
                let spaced = words(&text);
                assert_eq!(snake_case(&spaced), spaced.to_snake_case(), "{text:?}");
                assert_eq!(
                    upper_camel_case(&spaced),
                    spaced.to_upper_camel_case(),
                    "{text:?}"
                );
                converted_directly += usize::from(has_plain_capitals(&spaced));
            }
        }
        // The direct conversion is taken for a good part of them, not skipped for all.
        assert!(converted_directly > 100_000, "{converted_directly}");
        assert!(has_plain_capitals("GetChargesSearch response"));
        assert!(!has_plain_capitals("HTTPServer"));
        assert_eq!(
            type_name("account_business_profile"),
            "AccountBusinessProfile"
        );
        assert_eq!(
            snake_name("GetChargesSearch 3ds2"),
            "get_charges_search_3ds2"
        );
    }

    #[test]
    fn converts_case_and_keeps_words() {
        assert_eq!(snake_name("fioF"), "fio_f");
        assert_eq!(snake_name("notice_text"), "notice_text");
        assert_eq!(snake_name("dateSended"), "date_sended");
        assert_eq!(snake_name("X-Request-ID"), "x_request_id");
        assert_eq!(type_name("add-clients request"), "AddClientsRequest");
        assert_eq!(type_name("client_record"), "ClientRecord");
        assert_eq!(variant_name("female"), "Female");
    }

    #[test]
    fn accepts_only_plain_module_names() {
        for good in ["lotinfo", "api_v2", "_private"] {
            assert!(is_module_name(good), "{good}");
        }
        for bad in [
            "",
            "_",
            "2api",
            "Lotinfo",
            "lot-info",
            "lot::info",
            "mod",
            "crate",
            "self",
        ] {
            assert!(!is_module_name(bad), "{bad}");
        }
    }

    #[test]
    fn names_operation_groups_as_modules() {
        assert_eq!(
            group_module_name("Issue field configurations"),
            "issue_field_configurations"
        );
        assert_eq!(group_module_name("Клиенты"), "klienty");
        assert_eq!(group_module_name("v2-beta"), "v2_beta");
        assert_eq!(group_module_name("3D models"), "n_3d_models");
        assert_eq!(group_module_name("self"), "self_");
        assert_eq!(group_module_name("✓"), "value");
    }

    #[test]
    fn escapes_keywords_with_a_trailing_underscore() {
        for keyword in [
            "type", "self", "crate", "super", "async", "fn", "match", "gen",
        ] {
            assert_eq!(snake_name(keyword), format!("{keyword}_"));
        }
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(variant_name("self"), "Self_");
    }

    #[test]
    fn keeps_type_names_off_the_prelude_and_the_crate_root() {
        // Every prelude item the emitted code names without a path, and the crate's own.
        for name in [
            "Option",
            "Some",
            "None",
            "Result",
            "Ok",
            "Err",
            "String",
            "Vec",
            "Box",
            "Clone",
            "PartialEq",
            "Eq",
            "PartialOrd",
            "Ord",
            "Default",
            "From",
            "Into",
            "ToOwned",
            "ToString",
            "Error",
            "Client",
            "Value",
        ] {
            assert_eq!(type_name(name), format!("{name}Model"));
        }
        assert_eq!(type_name("option"), "OptionModel");
        assert_eq!(type_name("ClientType"), "ClientType");
    }

    #[test]
    fn prefixes_names_that_start_with_a_digit() {
        assert_eq!(snake_name("2fa"), "n_2fa");
        assert_eq!(type_name("3dSecure"), "N3dSecure");
        assert_eq!(variant_name("1"), "Value1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("+1"), "Plus1");
    }

    #[test]
    fn transliterates_cyrillic() {
        assert_eq!(type_name("Клиент"), "Klient");
        assert_eq!(snake_name("Дата выдачи"), "data_vydachi");
        assert_eq!(variant_name("Щука"), "Shchuka");
        assert_eq!(snake_name("ёж"), "yozh");
    }

    #[test]
    fn other_non_ascii_letters_stay_distinct() {
        assert_ne!(snake_name("über"), snake_name("ber"));
        assert!(snake_name("über").is_ascii());
        assert!(type_name("東京").is_ascii());
        assert_ne!(type_name("東京"), type_name("京都"));
    }

    #[test]
    fn empty_and_symbol_only_names_get_a_placeholder() {
        assert_eq!(snake_name(""), "value");
        assert_eq!(snake_name("$$$"), "value");
        assert_eq!(variant_name("*"), "Value");
    }

    #[test]
    fn namespaces_suffix_collisions_deterministically() {
        let mut types = Namespace::new();
        assert_eq!(types.claim(&type_name("pet")), "Pet");
        assert_eq!(types.claim(&type_name("Pet")), "Pet2");
        assert_eq!(types.claim(&type_name("PET")), "Pet3");
        let mut fields = Namespace::with_reserved(&["value"]);
        assert_eq!(fields.claim(&snake_name("Value")), "value2");
    }

    #[test]
    fn case_variants_collide_into_one_namespace_and_are_numbered() {
        let mut fields = Namespace::new();
        let claimed: Vec<String> = ["userId", "user_id", "UserID", "user-id"]
            .iter()
            .map(|raw| fields.claim(&snake_name(raw)))
            .collect();
        assert_eq!(claimed, ["user_id", "user_id2", "user_id3", "user_id4"]);
    }

    #[test]
    fn statuses_are_named_by_their_reason_phrase_or_number() {
        assert_eq!(status_variant_name(201), "Created");
        assert_eq!(status_variant_name(404), "NotFound");
        assert_eq!(status_variant_name(418), "Status418");
        assert_eq!(status_class_variant_name(4), "ClientError");
        assert_eq!(status_class_variant_name(3), "Status3xx");
    }

    #[test]
    fn prose_names_the_api_once() {
        assert_eq!(api_in_prose("lotinfo CRM API"), "lotinfo CRM API");
        assert_eq!(api_in_prose("Oxide Region API"), "Oxide Region API");
        assert_eq!(api_in_prose("Web-api"), "Web-api");
        assert_eq!(api_in_prose("Petstore"), "Petstore API");
        assert_eq!(api_in_prose("Rapid"), "Rapid API");
    }
}
