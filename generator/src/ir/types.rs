//! The IR's data types.

use std::collections::BTreeMap;

use crate::pointer::Pointer;

/// Everything the emitter needs to know about one API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// How prose names the API ("lotinfo CRM API", "Petstore API"): see
    /// [`crate::names::api_in_prose`].
    pub name_in_prose: String,
    /// `info.version`.
    pub version: String,
    /// Rustdoc-ready text of `info.description`.
    pub docs: Option<String>,
    /// The first server's URL, the client's default base URL.
    pub base_url: Option<String>,
    /// The security schemes, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every named type, keyed by id; ids follow document order.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// The files of the types, in name order: each holds a type and the types defined inline
    /// inside its schema.
    pub modules: Vec<Module>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The files of the operations: each holds the methods of the operations of one tag (or,
    /// without tags, of one path) and their response types.
    pub operation_groups: Vec<OperationGroup>,
    /// The descriptions the document's `tags` give, rustdoc-ready, by tag name.
    pub tag_docs: BTreeMap<String, String>,
    /// The format crates the types and operations need.
    pub format_crates: FormatCrates,
    /// The defaults of `Client::config()` the configuration sets.
    pub client_defaults: super::ClientDefaults,
    /// Whether the crate has `client::blocking::Client`, behind its Cargo feature `blocking`.
    pub blocking: bool,
    /// The crate of `date` and `date-time` values.
    pub date_time: super::DateTimeCrate,
    /// Whether the client is a crate of its own or a module of another crate, which decides how
    /// generated code names its own items.
    pub layout: Layout,
}

/// Where the generated items live.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Layout {
    /// A crate of its own (the command line's `generate` and `check`): its items are
    /// `crate::models::X`, and feature `proptest` gives every model an `Arbitrary` impl.
    #[default]
    Crate,
    /// One module of another crate, written into `OUT_DIR` by a build script
    /// ([`crate::Builder`]): its items are `crate::<modules>::models::X`. It has no proptest
    /// strategies, since the crate around it has no `proptest` feature to gate them.
    Module {
        /// The module's path from the crate's root, one name per level (`["lotinfo"]`).
        modules: Vec<String>,
    },
}

impl Layout {
    /// The module names between the crate's root and the generated items: none for a crate.
    pub fn modules(&self) -> &[String] {
        match self {
            Layout::Crate => &[],
            Layout::Module { modules } => modules,
        }
    }

    /// Whether the models get proptest `Arbitrary` impls (feature `proptest`).
    pub fn has_strategies(&self) -> bool {
        matches!(self, Layout::Crate)
    }
}

/// The opaque key of a named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// One file of types: a type of its own schema and the types defined inline inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The module (file) name, unique in the crate.
    pub name: String,
    /// Its types: the owner first, then the inline ones in document order.
    pub types: Vec<TypeId>,
}

/// One file of operations: the client's methods for one tag (or path) and their response types.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationGroup {
    /// The module (file) name under `src/client/`, unique among the groups.
    pub name: String,
    /// What its operations share: their first tag, or the first segment of their path.
    pub label: GroupLabel,
    /// Its operations, as indices into [`Api::operations`], in document order.
    pub operations: Vec<usize>,
}

/// What the operations of a group share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupLabel {
    /// Their first tag.
    Tag(String),
    /// Untagged, the first literal segment of their path after the prefix all untagged paths share.
    Path(String),
    /// Untagged, with no such segment.
    Other,
}

/// A named type of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name (unique in the crate).
    pub name: String,
    /// Where in the spec it comes from.
    pub origin: Pointer,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
    /// Marked `deprecated` in the spec.
    pub deprecated: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Derives beyond the ones the generator always writes for its kind (as Rust paths, in the
    /// order asked: the configuration's `[types] derives`, then the schema's `x-rust-derives`).
    pub derives: Vec<String>,
}

/// The kinds of named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A closed set of strings or integers.
    Enum(EnumDef),
    /// One of several types (`oneOf` / `anyOf`).
    Union(UnionDef),
    /// Another name for a shape (a component schema that is not an object, enum or union).
    Alias(Shape),
}

/// An object's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// The fields, in document order.
    pub fields: Vec<Field>,
    /// Whether `Default` is derived: only when every field is optional.
    pub derive_default: bool,
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub rust_name: String,
    /// The JSON property name.
    pub wire_name: String,
    /// Where in the spec the property is (the last statement of it, when `allOf` parts restate
    /// it); for the additional-properties field, its `additionalProperties` schema.
    pub origin: Pointer,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
    /// The value's type and validation rules.
    pub shape: Shape,
    /// Listed in `required`: the field is not an `Option` (unless nullable).
    pub required: bool,
    /// The field's type is a `Box` (it closes a cycle of directly nested types).
    pub boxed: bool,
    /// Whether decoding goes through the lenient decoder (numbers from strings and the like).
    pub lenient: bool,
    /// Marked `deprecated` in the spec.
    pub deprecated: bool,
    /// The spec's `default`, which the server applies when the field is left out.
    pub default: Option<serde_json::Value>,
    /// The field holds the object's additional properties (`#[serde(flatten)]`); its shape is a map.
    pub flatten: bool,
}

impl Field {
    /// The one value a required field can hold, when its type is an enum that lists one value
    /// (a `const` tag such as a discriminator property): `new()` fills it instead of asking for it.
    pub fn only_value<'a>(&self, types: &'a BTreeMap<TypeId, TypeDef>) -> Option<&'a EnumVariant> {
        if !self.required || self.shape.nullable || self.boxed || self.flatten {
            return None;
        }
        let TypeRef::Named(mut id) = self.shape.ty else {
            return None;
        };
        // Aliases are seen through, as copies of the enum become aliases of it.
        for _ in 0..types.len() {
            match &types.get(&id)?.kind {
                TypeKind::Enum(e) if e.variants.len() == 1 => return e.variants.first(),
                TypeKind::Alias(Shape {
                    ty: TypeRef::Named(target),
                    nullable: false,
                    ..
                }) => id = *target,
                _ => return None,
            }
        }
        None
    }
}

/// A value's type, whether it may be `null`, and the rules it must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The type.
    pub ty: TypeRef,
    /// `null` is a valid value.
    pub nullable: bool,
    /// The constraints of the spec, checked by the generated `validate()`.
    pub rules: Vec<Rule>,
}

impl Shape {
    /// A shape with no rules that is not nullable.
    pub fn plain(ty: TypeRef) -> Self {
        Shape {
            ty,
            nullable: false,
            rules: Vec::new(),
        }
    }
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A named type of the crate.
    Named(TypeId),
    /// A UTF-8 string.
    String,
    /// An integer of the given width.
    Integer(IntegerKind),
    /// A floating point number of the given width.
    Number(FloatKind),
    /// `true` or `false`.
    Boolean,
    /// `format: date`: a calendar date, `2024-02-29` (`chrono::NaiveDate`).
    Date,
    /// `format: date-time`: an RFC 3339 timestamp with its offset
    /// (`chrono::DateTime<chrono::FixedOffset>`).
    DateTime,
    /// `format: uuid` (`uuid::Uuid`).
    Uuid,
    /// `format: byte`: bytes carried as base64 text (the runtime's `Base64Bytes`).
    Base64,
    /// `format: binary`: raw bytes, a file part in a multipart body (the runtime's `FilePart`).
    Binary,
    /// A list.
    Array(Box<Shape>),
    /// A list of fixed length whose items have their own types (`prefixItems` with no further
    /// items).
    Tuple(Vec<Shape>),
    /// A string-keyed map.
    Map(Box<Shape>),
    /// Any JSON value.
    Any,
}

/// The Rust integer type of an `integer` schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegerKind {
    /// `format: int32`.
    I32,
    /// `format: int64`, or no format.
    I64,
}

/// The Rust float type of a `number` schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatKind {
    /// `format: float`.
    F32,
    /// `format: double`, or no format.
    F64,
}

/// The crates beyond the always-present ones that the generated code needs, because the spec uses
/// a format they implement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormatCrates {
    /// `chrono`, for `date` and `date-time` (unless the configuration chooses `time`).
    pub chrono: bool,
    /// `time`, for `date` and `date-time` when the configuration chooses it.
    pub time: bool,
    /// `uuid`, for `uuid`.
    pub uuid: bool,
    /// `base64`, for `byte`.
    pub base64: bool,
}

/// A constraint a value must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `pattern`, known to compile with the `regex` crate.
    Pattern(Pattern),
    /// `minLength` in characters.
    MinLength(u64),
    /// `maxLength` in characters.
    MaxLength(u64),
    /// `minimum` / `exclusiveMinimum`.
    Minimum {
        /// The bound.
        bound: f64,
        /// Whether the bound itself is excluded.
        exclusive: bool,
    },
    /// `maximum` / `exclusiveMaximum`.
    Maximum {
        /// The bound.
        bound: f64,
        /// Whether the bound itself is excluded.
        exclusive: bool,
    },
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `format: email`.
    Email,
    /// `multipleOf`. The client does not check it; the README's example values meet it.
    MultipleOf(f64),
    /// A `format` of a string that the client does not check; the README's example values are
    /// written in it, as a server that checks formats expects.
    Format(StringFormat),
}

impl Rule {
    /// Whether the generated `validate()` checks the rule.
    pub fn is_checked(&self) -> bool {
        !matches!(self, Rule::MultipleOf(_) | Rule::Format(_))
    }
}

/// A `format` of a string that its type does not carry (dates and UUIDs have types of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringFormat {
    /// `uri`, `url`, `uri-reference`, `uri-template`, `iri` and `iri-reference`.
    Uri,
    /// `hostname`, `idn-hostname`.
    Hostname,
    /// `ipv4`.
    Ipv4,
    /// `ipv6`.
    Ipv6,
    /// `time`: a time of day with its offset.
    Time,
    /// `duration`: an ISO 8601 duration.
    Duration,
    /// `json-pointer`.
    JsonPointer,
    /// `relative-json-pointer`.
    RelativeJsonPointer,
}

impl StringFormat {
    /// The format a schema's `format` names, when it is one of these.
    pub fn named(format: &str) -> Option<Self> {
        Some(match format {
            "uri" | "url" | "uri-reference" | "uri-template" | "iri" | "iri-reference" => {
                StringFormat::Uri
            }
            "hostname" | "idn-hostname" => StringFormat::Hostname,
            "ipv4" => StringFormat::Ipv4,
            "ipv6" => StringFormat::Ipv6,
            "time" => StringFormat::Time,
            "duration" => StringFormat::Duration,
            "json-pointer" => StringFormat::JsonPointer,
            "relative-json-pointer" => StringFormat::RelativeJsonPointer,
            _ => return None,
        })
    }
}

/// A `pattern` of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The regular expression as the spec writes it. It searches (`^7` accepts any text that
    /// starts with 7); the client checks values with it.
    pub source: String,
    /// A regular expression without anchors whose every whole match matches `source`: what a
    /// property test generates values from. `None` when the pattern has an anchor or a boundary
    /// that cannot be dropped; values are then arbitrary text filtered by `source`.
    pub generator: Option<String>,
}

/// A closed set of values.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The variants, in document order.
    pub variants: Vec<EnumVariant>,
    /// The index of the variant that is the schema's `default`.
    pub default: Option<usize>,
    /// The variant that keeps a value the spec does not list (`Unknown(String)` or
    /// `Unknown(i64)`); decoding never fails on a new value, and validation refuses to send one.
    pub unknown: String,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The value on the wire.
    pub value: EnumValue,
    /// Where in the spec the value is listed (`…/enum/0`).
    pub origin: Pointer,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
}

/// An enum value on the wire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EnumValue {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
}

impl EnumValue {
    /// Whether `value` is this enum value, of the same JSON type.
    pub fn is(&self, value: &serde_json::Value) -> bool {
        match self {
            EnumValue::String(s) => value.as_str() == Some(s),
            EnumValue::Integer(i) => value.as_i64() == Some(*i),
        }
    }
}

/// One of several types.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// How the member is told apart on the wire.
    pub tagging: UnionTagging,
    /// The members, in document order.
    pub variants: Vec<UnionVariant>,
}

/// How a union's member is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UnionTagging {
    /// A property of the object names the member (`discriminator`): internally tagged.
    Internal {
        /// The property's wire name.
        property: String,
        /// The variant that keeps, as received, a member whose tag the spec does not list;
        /// decoding never fails on a new member, and validation refuses to send one.
        unknown: String,
    },
    /// The first member that decodes wins.
    Untagged,
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The discriminator value, for internally tagged unions.
    pub tag: Option<String>,
    /// Where in the spec the member is (`…/oneOf/0`).
    pub origin: Pointer,
    /// The member's type.
    pub shape: Shape,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
    /// Whether the union converts `From` the member's type: the member is a named type that no
    /// other member is (an alias of another member's type is that type). Decided once copies of
    /// types are aliased.
    pub converts: bool,
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`, also its name in the client's config.
    pub key: String,
    /// The Rust parameter name when the scheme's secret is passed to a constructor.
    pub rust_name: String,
    /// How the secret is sent.
    pub kind: SecurityKind,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
}

/// How a secret is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// An API key in a query parameter.
    ApiKeyQuery {
        /// The parameter's name.
        name: String,
    },
    /// An API key in a header.
    ApiKeyHeader {
        /// The header's name.
        name: String,
    },
    /// An API key in a cookie.
    ApiKeyCookie {
        /// The cookie's name.
        name: String,
    },
    /// `Authorization: Bearer …` (HTTP bearer, OAuth 2 and OpenID Connect).
    Bearer,
    /// `Authorization: Basic …`; the secret is `user:password`.
    Basic,
}

/// One operation: a method of the generated client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust method name (unique in the client).
    pub rust_name: String,
    /// `operationId`, or the synthesized one.
    pub operation_id: String,
    /// The first of its `tags`, which decides its file.
    pub tag: Option<String>,
    /// Where in the spec it comes from.
    pub origin: Pointer,
    /// Rustdoc-ready documentation (summary and description).
    pub docs: Option<String>,
    /// The HTTP method, upper case.
    pub method: HttpMethod,
    /// The path template, relative to the base URL.
    pub path: Vec<PathSegment>,
    /// The parameters, in document order (path item's first).
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// What the success response carries.
    pub response: Success,
    /// The alternatives of security schemes (keys) the operation accepts; empty means none.
    pub security: Vec<Vec<String>>,
    /// The `Accept` header: the media types the success responses declare, as far as the client
    /// decodes them as [`Operation::response`] says (`*/*` when they declare none).
    pub accept: String,
    /// `x-idempotent`, or what the method implies.
    pub idempotent: bool,
    /// How to walk the pages, for list operations that say so (`x-pagination`).
    pub pagination: Option<Pagination>,
    /// The bodies the spec documents for other statuses, most specific first: exact statuses,
    /// then ranges, then `default`.
    pub errors: Vec<ErrorResponse>,
    /// The name of the enum of the documented error bodies, when one of them has a JSON body.
    pub error_type: Option<String>,
    /// The error enum of an earlier operation whose documented errors are the same in every
    /// status, variant, body and description: `error_type` is then an alias of it, so that an
    /// API whose operations all answer errors alike compiles one enum, not one per operation.
    pub error_type_same_as: Option<String>,
    /// The headers the success responses document, and the struct that holds them.
    pub response_headers: Option<ResponseHeaders>,
    /// Marked `deprecated` in the spec.
    pub deprecated: bool,
    /// The values the documentation's example of the operation passes, chosen once the types are
    /// final; `None` when some required argument has no value that can be written as Rust
    /// (binary content, a cycle of required fields).
    pub usage: Option<UsageExample>,
}

impl Operation {
    /// The path as the spec writes it (`/clients/{id}`), each parameter by its name on the wire.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => text.clone(),
                PathSegment::Param(index) => self
                    .params
                    .get(*index)
                    .map_or_else(|| "{?}".to_owned(), |p| format!("{{{}}}", p.wire_name)),
            })
            .collect()
    }
}

/// The arguments of an operation's example call, as JSON values of their shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageExample {
    /// One per parameter, in order: a value for a required one, `None` (left out) otherwise.
    pub args: Vec<Option<serde_json::Value>>,
    /// The body: the spec's example when one fits, else the smallest value of its type.
    pub body: Option<serde_json::Value>,
}

impl Operation {
    /// Whether the operation has response types of its own: an enum of its success statuses, an
    /// enum (or alias) of its documented errors, or a struct of its response headers.
    pub fn has_response_types(&self) -> bool {
        matches!(self.response, Success::ByStatus { .. })
            || self.error_type.is_some()
            || self.response_headers.is_some()
    }

    /// Every shape the operation mentions: parameters, body, responses, error bodies and response
    /// headers. The whole-API passes start from these, so a type used only here is kept.
    pub fn shapes(&self) -> Vec<&Shape> {
        let mut shapes: Vec<&Shape> = self.params.iter().map(|p| &p.shape).collect();
        shapes.extend(self.body.iter().map(|b| &b.shape));
        shapes.extend(self.response.shapes());
        shapes.extend(self.errors.iter().filter_map(|e| e.shape.as_ref()));
        if let Some(headers) = &self.response_headers {
            shapes.extend(headers.headers.iter().map(|h| &h.shape));
        }
        shapes
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
    /// OPTIONS.
    Options,
    /// HEAD.
    Head,
    /// PATCH.
    Patch,
    /// TRACE.
    Trace,
}

impl HttpMethod {
    /// The method as HTTP writes it (`GET`), which is also the name of reqwest's constant.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// The value of the parameter with this index in [`Operation::params`].
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a parameter's value is written: the OpenAPI `style`, with `explode` where the style has
/// both forms (the table of the OpenAPI 3.1 specification, after RFC 6570).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `simple` (path and header default): `3,4,5`; objects `R,100,G,200`, exploded `R=100,G=200`.
    Simple {
        /// Whether object members are written `member=value`.
        explode: bool,
    },
    /// `form` (query and cookie default): exploded lists and objects become parameters of their
    /// own, otherwise they are joined with commas.
    Form {
        /// Whether list items and object members become parameters of their own.
        explode: bool,
    },
    /// `matrix` (path): `;id=5`, `;id=3,4,5`, exploded `;id=3;id=4;id=5`.
    Matrix {
        /// Whether list items and object members get `;name=` each.
        explode: bool,
    },
    /// `label` (path): `.5`, `.3,4,5`, exploded `.3.4.5`.
    Label {
        /// Whether list items and object members are separated by dots.
        explode: bool,
    },
    /// `spaceDelimited` (query): list items joined with spaces.
    SpaceDelimited {
        /// Whether list items become parameters of their own.
        explode: bool,
    },
    /// `pipeDelimited` (query): list items joined with `|`.
    PipeDelimited {
        /// Whether list items become parameters of their own.
        explode: bool,
    },
    /// `deepObject`: an object's members become `name[member]=value`.
    DeepObject,
}

/// What a success response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// Nothing to read (204, or no content described).
    Empty,
    /// A JSON body of this type.
    Json(Shape),
    /// Text (`text/*`).
    Text,
    /// Bytes of any other media type.
    Bytes,
    /// Several 2xx statuses with different bodies: an enum with a variant per status.
    ByStatus {
        /// The enum's Rust name (unique in the crate).
        name: String,
        /// The statuses, in ascending order.
        bodies: Vec<StatusBody>,
    },
}

/// One status of a [`Success::ByStatus`] response.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusBody {
    /// The HTTP status.
    pub status: u16,
    /// The enum variant's name.
    pub rust_name: String,
    /// What the response carries (never `ByStatus`).
    pub body: Success,
}

impl Success {
    /// The JSON body's shape, if the response has one.
    pub fn json(&self) -> Option<&Shape> {
        match self {
            Success::Json(shape) => Some(shape),
            _ => None,
        }
    }

    /// Every JSON body shape the response may carry.
    pub fn shapes(&self) -> Vec<&Shape> {
        match self {
            Success::Json(shape) => vec![shape],
            Success::ByStatus { bodies, .. } => {
                bodies.iter().flat_map(|b| b.body.shapes()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` (and `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`; nested members as `a[b]=c`.
    Form,
    /// `multipart/form-data`; one part per top-level member.
    Multipart,
    /// `text/*`, sent as it is.
    Text {
        /// The media type.
        content_type: String,
    },
    /// Any other media type, sent as bytes.
    Binary {
        /// The media type.
        content_type: String,
    },
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust argument name.
    pub rust_name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type and rules.
    pub shape: Shape,
    /// Whether it must be given.
    pub required: bool,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
    /// How the value is written.
    pub style: ParamStyle,
    /// The first example of the spec that fits the parameter's type and rules (its own, else its
    /// schema's example, examples or default), for the generated documentation.
    pub example: Option<serde_json::Value>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Its type.
    pub shape: Shape,
    /// Whether it must be given.
    pub required: bool,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
    /// The first example of the spec that fits the body's type, for the generated documentation.
    pub example: Option<serde_json::Value>,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
}

/// Offset pagination through fields of the request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The name of the client method that walks the pages.
    pub rust_name: String,
    /// The request body's page-size field (an optional integer).
    pub limit_field: String,
    /// The request body's offset field (an integer).
    pub offset_field: String,
    /// Whether the offset field is an `Option`.
    pub offset_optional: bool,
    /// Whether the page-size field is an `Option`.
    pub limit_optional: bool,
    /// The response body's items field (a list).
    pub items_field: String,
    /// Whether the items field is an `Option`.
    pub items_optional: bool,
    /// The items' type.
    pub item: Shape,
    /// The page size when the request leaves it out: the spec's `default` of the limit field.
    pub default_limit: Option<i64>,
}

/// A response the spec documents for a status other than 2xx.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// `404`, `4XX` or `default`, as the spec writes it.
    pub status: String,
    /// Which statuses it covers; `None` for a key that is not a status (reported).
    pub statuses: Option<StatusMatch>,
    /// The variant of the operation's error enum (`NotFound`, `ClientError`, `Other`).
    pub rust_name: String,
    /// The JSON body's type, when the spec gives one.
    pub shape: Option<Shape>,
    /// Rustdoc-ready description.
    pub docs: Option<String>,
}

/// The statuses a documented error response covers, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status (`404`).
    Code(u16),
    /// A class of statuses (`4XX` covers 400–499); the digit.
    Class(u16),
    /// `default`: any status not documented otherwise.
    Default,
}

/// The documented headers of an operation's success responses: a struct, and the method that
/// returns it beside the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeaders {
    /// The struct's Rust name (unique in the crate).
    pub type_name: String,
    /// The method that returns the body and the headers (`get_item_with_headers`).
    pub method_name: String,
    /// The headers, in document order.
    pub headers: Vec<ResponseHeader>,
}

/// One documented response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The header's name as the spec writes it.
    pub wire_name: String,
    /// The struct field's name.
    pub rust_name: String,
    /// The value's type.
    pub shape: Shape,
    /// Rustdoc-ready documentation.
    pub docs: Option<String>,
    /// Marked `deprecated` in the spec.
    pub deprecated: bool,
}
