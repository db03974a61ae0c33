//! `format: date-time` with the `time` crate (`[formats] date_time = "time"` in the generator's
//! configuration): a `time::OffsetDateTime` whose JSON form, and whose text in a path, query or
//! header, is RFC 3339 (`2024-02-29T12:30:00+03:00`). `format: date` is `time::Date` itself, which
//! serde already writes as `2024-02-29`.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An instant with its UTC offset, read and written as RFC 3339; the offset is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub OffsetDateTime);

impl DateTime {
    /// The `time` value.
    pub fn into_inner(self) -> OffsetDateTime {
        self.0
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(value: OffsetDateTime) -> Self {
        DateTime(value)
    }
}

impl From<DateTime> for OffsetDateTime {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

impl Deref for DateTime {
    type Target = OffsetDateTime;

    fn deref(&self) -> &OffsetDateTime {
        &self.0
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RFC 3339 has no years past 9999 nor before 0: such an instant is written as `time`
        // writes it.
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl FromStr for DateTime {
    type Err = time::error::Parse;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        OffsetDateTime::parse(text, &Rfc3339).map(DateTime)
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(|error| {
            serde::de::Error::custom(format_args!("not an RFC 3339 timestamp: {error}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::DateTime;

    #[test]
    fn round_trips_rfc_3339_and_keeps_the_offset() {
        let text = "\"2024-02-29T12:30:00+03:00\"";
        let value: DateTime = serde_json::from_str(text).expect("decodes");
        assert_eq!(value.offset().whole_hours(), 3);
        assert_eq!(serde_json::to_string(&value).expect("encodes"), text);
        assert_eq!(value.to_string(), "2024-02-29T12:30:00+03:00");
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        assert!(serde_json::from_str::<DateTime>("\"2024-02-29 12:30\"").is_err());
        assert!(serde_json::from_str::<DateTime>("1709202600").is_err());
    }
}
