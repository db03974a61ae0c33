//! JSON pointers (RFC 6901) into the OpenAPI document, used to say where a problem or an item comes from.

use std::borrow::Cow;
use std::fmt;

/// The member of the root document under which a spec read from a file carries the documents its
/// `$ref`s load, each under its path relative to the root document's folder
/// (`#/x-bundled/schemas~1pet.yaml/properties/id`). Reserved: a document's own `x-bundled` is
/// read the same way.
pub const BUNDLE_KEY: &str = "x-bundled";

/// A JSON pointer such as `#/paths/~1v1~1CLIENTS/put/requestBody`, built one segment at a time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document's root (`#`).
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses the fragment of a local reference (`#/components/schemas/Pet`).
    /// The fragment may be percent-encoded, as URI fragments are (`%7Bid%7D` for `{id}`).
    pub fn from_fragment(reference: &str) -> Option<Self> {
        let rest = percent_decode(reference.strip_prefix('#')?)?;
        if rest.is_empty() || rest.starts_with('/') {
            Some(Pointer(rest))
        } else {
            None
        }
    }

    /// This pointer as the fragment of a local reference, the inverse of [`Pointer::from_fragment`]:
    /// `%` is written `%25` so that no segment reads back as a percent escape.
    pub fn to_fragment(&self) -> String {
        format!("#{}", self.0.replace('%', "%25"))
    }

    /// For a pointer into a document loaded from another file (under [`BUNDLE_KEY`]): that file's
    /// path, relative to the root document's folder, and the pointer within it.
    pub fn split_file(&self) -> Option<(String, Pointer)> {
        match self.segments().as_slice() {
            [bundle, file, rest @ ..] if bundle == BUNDLE_KEY => Some((
                file.clone(),
                rest.iter()
                    .fold(Pointer::root(), |pointer, s| pointer.join(s)),
            )),
            _ => None,
        }
    }

    /// The place as a reader finds it: `schemas/pet.yaml#/properties/id` inside a document loaded
    /// from another file, the pointer itself (`#/components/schemas/Pet`) otherwise.
    pub fn in_source(&self) -> String {
        match self.split_file() {
            Some((file, pointer)) => format!("{file}{pointer}"),
            None => self.to_string(),
        }
    }

    /// This pointer with one more segment, escaped (`~` → `~0`, `/` → `~1`).
    pub fn join(&self, segment: impl AsRef<str>) -> Self {
        let segment = segment.as_ref();
        let mut pointer = String::with_capacity(self.0.len() + 1 + segment.len());
        pointer.push_str(&self.0);
        pointer.push('/');
        if segment.contains(['~', '/']) {
            pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
        } else {
            pointer.push_str(segment);
        }
        Pointer(pointer)
    }

    /// The pointer one level up (`#/a/b` → `#/a`); `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        parent_text(&self.0).map(|parent| Pointer(parent.to_owned()))
    }

    /// The pointers above this one, nearest first (`#/a/b` → `#/a`, `#`), as their escaped text
    /// without the `#`: to look pointers up without making each.
    pub fn escaped_ancestors(&self) -> impl Iterator<Item = &str> {
        std::iter::successors(parent_text(&self.0), |text| parent_text(text))
    }

    /// Whether this is the pointer to a component schema (`#/components/schemas/Pet`).
    pub fn is_component_schema(&self) -> bool {
        self.0
            .strip_prefix("/components/schemas/")
            .is_some_and(|name| !name.contains('/'))
    }

    /// This pointer's escaped text without the `#` (`/paths/~1v1~1CLIENTS`).
    pub fn escaped(&self) -> &str {
        &self.0
    }

    /// The unescaped segments of this pointer.
    pub fn segments(&self) -> Vec<String> {
        self.segments_unescaped().map(Cow::into_owned).collect()
    }

    /// The unescaped segments of this pointer one by one, borrowed from its text where nothing
    /// is escaped: for walking or testing a pointer without making a list of strings.
    pub fn segments_unescaped(&self) -> impl DoubleEndedIterator<Item = Cow<'_, str>> {
        let text = self.0.strip_prefix('/');
        text.into_iter().flat_map(|text| text.split('/')).map(|s| {
            if s.contains('~') {
                Cow::Owned(s.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(s)
            }
        })
    }
}

/// The escaped text of the pointer one level above the one `text` spells; `None` for the root.
fn parent_text(text: &str) -> Option<&str> {
    text.rsplit_once('/').map(|(parent, _)| parent)
}

/// Decodes `%XX` escapes (in a fragment, or in the path of a reference); `None` when they do not
/// make UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn escapes_slashes_and_tildes() {
        let p = Pointer::root()
            .join("paths")
            .join("/v1/CLIENTS")
            .join("a~b");
        assert_eq!(p.to_string(), "#/paths/~1v1~1CLIENTS/a~0b");
        assert_eq!(p.segments(), vec!["paths", "/v1/CLIENTS", "a~b"]);
        let ancestors: Vec<&str> = p.escaped_ancestors().collect();
        assert_eq!(ancestors, ["/paths/~1v1~1CLIENTS", "/paths", ""]);
        assert_eq!(p.escaped(), "/paths/~1v1~1CLIENTS/a~0b");
        assert!(Pointer::root()
            .join("components")
            .join("schemas")
            .join("a/b")
            .is_component_schema());
        assert!(!Pointer::root()
            .join("components")
            .join("schemas")
            .is_component_schema());
        assert!(!Pointer::root()
            .join("components")
            .join("schemas")
            .join("A")
            .join("properties")
            .is_component_schema());
    }

    #[test]
    fn segments_one_by_one_borrow_what_is_not_escaped() {
        use std::borrow::Cow;
        let p = Pointer::root().join("paths").join("/v1/CLIENTS").join("");
        let last_first: Vec<Cow<'_, str>> = p.segments_unescaped().rev().collect();
        assert_eq!(last_first, ["", "/v1/CLIENTS", "paths"]);
        assert!(matches!(last_first[2], Cow::Borrowed("paths")));
        assert!(matches!(last_first[1], Cow::Owned(_)));
        assert_eq!(Pointer::root().segments_unescaped().count(), 0);
    }

    #[test]
    fn parses_local_fragments_only() {
        assert_eq!(
            Pointer::from_fragment("#/components/schemas/Pet").map(|p| p.to_string()),
            Some("#/components/schemas/Pet".to_owned())
        );
        assert_eq!(Pointer::from_fragment("other.yaml#/x"), None);
        assert_eq!(
            Pointer::from_fragment("#/paths/~1a~1%7Bid%7D/get").map(|p| p.segments()),
            Some(vec![
                "paths".to_owned(),
                "/a/{id}".to_owned(),
                "get".to_owned()
            ])
        );
        assert_eq!(Pointer::from_fragment("#x"), None);
    }

    #[test]
    fn a_fragment_reads_back_as_the_same_pointer() {
        let p = Pointer::root().join("100%25 sure").join("a/b").join("%");
        let fragment = p.to_fragment();
        assert_eq!(fragment, "#/100%2525 sure/a~1b/%25");
        assert_eq!(Pointer::from_fragment(&fragment), Some(p));
    }

    #[test]
    fn a_pointer_into_a_loaded_file_names_the_file() {
        let p = Pointer::root()
            .join(super::BUNDLE_KEY)
            .join("schemas/pet.yaml")
            .join("properties")
            .join("id");
        let (file, inner) = p.split_file().expect("inside a loaded file");
        assert_eq!(file, "schemas/pet.yaml");
        assert_eq!(inner.to_string(), "#/properties/id");
        assert_eq!(p.in_source(), "schemas/pet.yaml#/properties/id");
        let whole = Pointer::root().join(super::BUNDLE_KEY).join("pet.yaml");
        assert_eq!(whole.in_source(), "pet.yaml#");
        let local = Pointer::root().join("components");
        assert_eq!(local.split_file(), None);
        assert_eq!(local.in_source(), "#/components");
    }
}
