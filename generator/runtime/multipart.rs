//! `multipart/form-data` bodies: text parts for ordinary members, file parts for `format: binary`
//! members ([`FilePart`]), kept as plain data until sent so a request can be built again.

use std::fmt;

use super::error::Error;

/// Bytes of a `format: binary` value: a file part of a multipart body, with the file name and
/// media type the server sees. In a JSON body the bytes travel as a string and must be UTF-8.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// The content.
    pub bytes: Vec<u8>,
    /// The file name sent with the part.
    pub file_name: Option<String>,
    /// The part's media type (`image/png`); `application/octet-stream` when not given.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A part holding `bytes`, with no file name or media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the part.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's media type; checked when the request is built.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = std::str::from_utf8(&self.bytes).map_err(|_| {
            serde::ser::Error::custom("binary content that is not UTF-8 cannot be a JSON string")
        })?;
        serializer.serialize_str(text)
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| FilePart::new(text.into_bytes()))
    }
}

/// What goes into a multipart body's file parts: a file, or none, or several.
pub trait FileParts {
    /// Each file, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl FileParts for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map(FileParts::files).unwrap_or_default()
    }
}

impl<T: FileParts> FileParts for Vec<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().flat_map(FileParts::files).collect()
    }
}

impl<T: FileParts> FileParts for Box<T> {
    fn files(&self) -> Vec<&FilePart> {
        (**self).files()
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    File(FilePart),
}

/// The parts of a multipart body, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parts(Vec<(String, Part)>);

impl Parts {
    /// No parts yet.
    pub fn new() -> Self {
        Parts::default()
    }

    /// One text part per top-level member of `value`; list members repeat the part and `null`
    /// members are left out.
    pub fn from_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        let mut parts = Parts::new();
        parts.members(value)?;
        Ok(parts)
    }

    /// Text parts named `name` for `value`: none for `None`/`null`, one per item of a list, one
    /// otherwise (strings as they are, anything else as JSON).
    pub fn text<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(Error::Encode)?;
        self.push_value(name, value);
        Ok(())
    }

    /// Text parts for every member of an object (the additional properties of a body).
    pub fn members<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if let serde_json::Value::Object(members) =
            serde_json::to_value(value).map_err(Error::Encode)?
        {
            for (name, value) in members {
                self.push_value(&name, value);
            }
        }
        Ok(())
    }

    /// File parts named `name`, one per file in `files`.
    pub fn file<T: FileParts + ?Sized>(&mut self, name: &str, files: &T) {
        for file in files.files() {
            self.0.push((name.to_owned(), Part::File(file.clone())));
        }
    }

    fn push_value(&mut self, name: &str, value: serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    self.push_value(name, item);
                }
            }
            Value::String(text) => self.0.push((name.to_owned(), Part::Text(text))),
            other => self
                .0
                .push((name.to_owned(), Part::Text(other.to_string()))),
        }
    }

    /// The reqwest form; an invalid media type of a file part is an encoding error.
    pub fn into_form(self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in self.0 {
            form = match part {
                Part::Text(text) => form.text(name, text),
                Part::File(file) => {
                    let mut part = reqwest::multipart::Part::bytes(file.bytes);
                    if let Some(file_name) = file.file_name {
                        part = part.file_name(file_name);
                    }
                    let content_type = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    let part = part.mime_str(content_type).map_err(|_| {
                        Error::Encode(serde::ser::Error::custom(format_args!(
                            "part `{name}` has an invalid media type `{content_type}`"
                        )))
                    })?;
                    form.part(name, part)
                }
            };
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_repeat_nulls_vanish_and_files_keep_their_bytes() {
        let mut parts = Parts::new();
        parts.text("tags", &["a", "b"]).unwrap();
        parts.text("missing", &Option::<String>::None).unwrap();
        parts.text("count", &3).unwrap();
        parts.file(
            "doc",
            &Some(FilePart::new(vec![0xff, 0]).file_name("a.bin")),
        );
        parts.file("none", &Option::<FilePart>::None);
        let names: Vec<&str> = parts.0.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["tags", "tags", "count", "doc"]);
        assert_eq!(parts.0[2].1, Part::Text("3".to_owned()));
        assert!(matches!(&parts.0[3].1, Part::File(f) if f.bytes == [0xff, 0]));
    }

    #[test]
    fn an_invalid_media_type_is_an_encoding_error() {
        let mut parts = Parts::new();
        parts.file(
            "doc",
            &FilePart::new(b"x".to_vec()).content_type("not a type"),
        );
        assert!(matches!(parts.into_form(), Err(Error::Encode(_))));
    }

    #[test]
    fn in_json_the_bytes_are_a_string_and_must_be_utf8() {
        assert_eq!(
            serde_json::to_string(&FilePart::new(b"hi".to_vec())).unwrap(),
            "\"hi\""
        );
        assert!(serde_json::to_string(&FilePart::new(vec![0xff])).is_err());
    }
}
