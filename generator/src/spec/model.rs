//! The OpenAPI 3.0 / 3.1 objects the generator reads, as plain serde structs.
//!
//! Every object that may be a reference carries an optional `$ref`; the IR resolves it. Keys the
//! generator does not read are ignored here and reported by the IR where they change meaning.

use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};

use super::Schema;

/// A part of the document whose shape is checked when the document is read (so that a value of
/// the wrong shape is reported with its place, as anywhere else), but which is not kept: the
/// lowering reads it from [`Document::raw`] when it comes to it, and drops it once lowered. The
/// document is so held once, as its tree, rather than a second time as typed objects; for the
/// large documents, the typed schemas and path items took more memory than the tree.
pub struct Checked<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(|_| Checked(PhantomData))
    }
}

/// The parts of the document the lowering reads one by one: see [`Document::kept`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeptParts {
    /// `paths`.
    pub paths: IndexMap<String, PathItem>,
    /// `components`: its `schemas`.
    pub components: KeptComponents,
}

/// The component schemas of [`KeptParts`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeptComponents {
    /// `schemas`.
    pub schemas: IndexMap<String, Schema>,
}

impl<T> Clone for Checked<T> {
    fn clone(&self) -> Self {
        Checked(PhantomData)
    }
}

impl<T> std::fmt::Debug for Checked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checked")
    }
}

/// The root of an OpenAPI document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Document {
    /// `openapi`: the OpenAPI version (3.0.x or 3.1.x).
    pub openapi: Option<String>,
    /// `swagger`: present only in Swagger 2.0 documents, which are refused.
    pub swagger: Option<String>,
    /// `info`.
    pub info: Info,
    /// `servers`.
    pub servers: Vec<Server>,
    /// `paths`, in document order; each path item is read from [`Document::raw`] when it is
    /// lowered (see [`Checked`]).
    pub paths: IndexMap<String, Checked<PathItem>>,
    /// `components`.
    pub components: Components,
    /// `security`: the default requirements of every operation.
    pub security: Option<Vec<IndexMap<String, Vec<String>>>>,
    /// `tags`: the descriptions of the tags operations name.
    pub tags: Vec<Tag>,
    /// The whole document as a tree, for references to anywhere in it.
    #[serde(skip)]
    pub raw: super::RawDocument,
    /// The parts [`Checked`] leaves out, as read from the text, when the text had to be read a
    /// second time because the tree did not read as the typed document: YAML reads a scalar such
    /// as `0.50` as the string a field wants (and keeps its text), the tree as a number. `None`
    /// when the document was read from the tree, which then reads as loading did.
    #[serde(skip)]
    pub kept: Option<Box<KeptParts>>,
}

/// `info`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Info {
    /// `title`.
    pub title: String,
    /// `version`: the API's version.
    pub version: String,
    /// `description`.
    pub description: Option<String>,
}

/// One entry of `tags`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Tag {
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
}

/// One entry of `servers`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Server {
    /// `url`.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
}

/// A path item: the operations on one path template.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PathItem {
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `get`.
    pub get: Option<Operation>,
    /// `put`.
    pub put: Option<Operation>,
    /// `post`.
    pub post: Option<Operation>,
    /// `delete`.
    pub delete: Option<Operation>,
    /// `options`.
    pub options: Option<Operation>,
    /// `head`.
    pub head: Option<Operation>,
    /// `patch`.
    pub patch: Option<Operation>,
    /// `trace`.
    pub trace: Option<Operation>,
    /// `parameters` shared by every operation of the path.
    pub parameters: Vec<Parameter>,
}

impl PathItem {
    /// The operations of this path with their lower-case method names, in the order OpenAPI lists them.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }
}

/// An operation: one method on one path.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Operation {
    /// `operationId`.
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `parameters`.
    pub parameters: Vec<Parameter>,
    /// `requestBody`.
    #[serde(rename = "requestBody")]
    pub request_body: Option<RequestBody>,
    /// `responses`, keyed by status code, `1XX`-style ranges or `default`.
    pub responses: IndexMap<String, Response>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `security`: overrides the document's default requirements.
    pub security: Option<Vec<IndexMap<String, Vec<String>>>>,
    /// `x-idempotent`: whether repeating the operation is safe (our extension).
    #[serde(rename = "x-idempotent")]
    pub idempotent: Option<bool>,
    /// `x-pagination`: how to walk the operation's pages (our extension).
    #[serde(rename = "x-pagination")]
    pub pagination: Option<PaginationSpec>,
    /// `x-codegen-skip`: the operation is not generated (our extension).
    #[serde(rename = "x-codegen-skip")]
    pub codegen_skip: bool,
}

/// `x-pagination`: offset pagination through properties of the JSON request body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PaginationSpec {
    /// The request body property that holds the page size.
    pub limit: String,
    /// The request body property that holds the offset.
    pub offset: String,
    /// The response body property that holds the page's items.
    pub items: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In a cookie.
    Cookie,
}

/// A parameter, or a reference to one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Parameter {
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `in`.
    #[serde(rename = "in")]
    pub location: Option<ParameterLocation>,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `schema`.
    pub schema: Option<Schema>,
    /// `style`: how the value is written (`form`, `deepObject`, `simple`, …).
    pub style: Option<String>,
    /// `explode`: whether list items and object members become parameters of their own.
    pub explode: Option<bool>,
    /// `example`.
    pub example: Option<serde_json::Value>,
    /// `examples`, by name, in document order.
    pub examples: IndexMap<String, Example>,
}

/// A request body, or a reference to one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestBody {
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `content`, keyed by media type.
    pub content: IndexMap<String, MediaType>,
    /// `required`.
    pub required: bool,
}

/// A response, or a reference to one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Response {
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `content`, keyed by media type.
    pub content: IndexMap<String, MediaType>,
    /// `headers`, by name.
    pub headers: IndexMap<String, Header>,
}

/// A response header, or a reference to one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Header {
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `schema`.
    pub schema: Option<Schema>,
}

/// The content of one media type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MediaType {
    /// `schema`.
    pub schema: Option<Schema>,
    /// `example`.
    pub example: Option<serde_json::Value>,
    /// `examples`, by name, in document order.
    pub examples: IndexMap<String, Example>,
}

/// An Example Object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Example {
    /// `summary`.
    pub summary: Option<String>,
    /// `value`.
    pub value: Option<serde_json::Value>,
}

/// `components`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Components {
    /// `schemas`, in document order.
    pub schemas: IndexMap<String, Checked<Schema>>,
    /// `parameters`.
    pub parameters: IndexMap<String, Checked<Parameter>>,
    /// `requestBodies`.
    #[serde(rename = "requestBodies")]
    pub request_bodies: IndexMap<String, Checked<RequestBody>>,
    /// `responses`.
    pub responses: IndexMap<String, Checked<Response>>,
    /// `headers`.
    pub headers: IndexMap<String, Checked<Header>>,
    /// `securitySchemes`.
    #[serde(rename = "securitySchemes")]
    pub security_schemes: IndexMap<String, SecurityScheme>,
}

/// A security scheme.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SecurityScheme {
    /// `$ref`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `type`: `apiKey`, `http`, `oauth2`, `openIdConnect` or `mutualTLS`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `name`: the parameter that carries an API key.
    pub name: Option<String>,
    /// `in`: where an API key goes.
    #[serde(rename = "in")]
    pub location: Option<ParameterLocation>,
    /// `scheme`: the HTTP authentication scheme (`bearer`, `basic`).
    pub scheme: Option<String>,
}
