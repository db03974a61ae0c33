//! Internally tagged unions (`discriminator`): the member is decoded from the whole object, tag
//! property included, and written with the union's tag, so that a member type keeps its tag
//! property wherever else the spec uses it.

use serde::de::{self, Deserializer};
use serde::ser::{self, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The object of a tagged union's value and its tag: the string value of `property`.
pub fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &'static str,
) -> Result<(String, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = match value.get(property) {
        Some(Value::String(tag)) => tag.clone(),
        Some(other) => {
            return Err(de::Error::custom(format_args!(
                "the tag `{property}` is {other}, not a string"
            )))
        }
        None if value.is_object() => return Err(de::Error::missing_field(property)),
        None => {
            return Err(de::Error::custom(format_args!(
                "expected an object with the tag `{property}`, got {value}"
            )))
        }
    };
    Ok((tag, value))
}

/// Decodes the member of a tagged union from the whole object; an error names the place in it.
pub fn member<T: for<'de> Deserialize<'de>, E: de::Error>(value: Value) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." {
            E::custom(inner)
        } else {
            E::custom(format_args!("{path}: {inner}"))
        }
    })
}

/// Writes the member of a tagged union as an object whose `property` is `tag`, whatever the
/// member holds there.
pub fn write<S: Serializer, T: Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    member: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(member).map_err(ser::Error::custom)?;
    match &mut value {
        Value::Object(object) => {
            object.insert(property.to_owned(), Value::String(tag.to_owned()));
        }
        other => {
            return Err(ser::Error::custom(format_args!(
                "a member of a union tagged by `{property}` must be an object, not {other}"
            )))
        }
    }
    value.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cat {
        kind: String,
        lives: u8,
    }

    #[test]
    fn the_member_keeps_its_tag_property_both_ways() {
        let (tag, value) = super::read(json!({"kind": "cat", "lives": 9}), "kind").unwrap();
        assert_eq!(tag, "cat");
        let cat: Cat = super::member::<_, serde_json::Error>(value).unwrap();
        assert_eq!(cat.kind, "cat");
        let written = super::write(
            serde_json::value::Serializer,
            "kind",
            "cat",
            &Cat {
                kind: "other".to_owned(),
                lives: 1,
            },
        )
        .unwrap();
        assert_eq!(written, json!({"kind": "cat", "lives": 1}));
    }

    #[test]
    fn a_missing_tag_and_a_bad_member_are_errors_naming_their_place() {
        let missing = super::read(json!({"lives": 9}), "kind").unwrap_err();
        assert!(missing.to_string().contains("missing field `kind`"));
        let bad = super::member::<Cat, serde_json::Error>(json!({"kind": "cat", "lives": "x"}))
            .unwrap_err();
        assert!(bad.to_string().starts_with("lives: "), "{bad}");
    }
}
