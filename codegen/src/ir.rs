//! The intermediate representation: what an operation *means*, independent of
//! how it was written down (Markdown page or YAML spec) and of how it becomes
//! Rust.
//!
//! Plain owned data (`Vec`, `BTreeMap`, `String`) that serializes with serde;
//! that serialization *is* the YAML spec format and the output of
//! `aliyun-codegen dump` (README, "Writing specs in YAML").
//!
//! Every item keeps its wire name exactly as written (case included) and an
//! optional `rust_name` override; when the override is absent the `names`
//! module derives the identifier. Source lines are kept for diagnostics but are
//! not serialized, so a page and its YAML translation compare equal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One product (service) with all of its operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product code, also the Rust module and cargo feature name (`elasticsearch`).
    pub product: String,
    /// API version sent as `x-acs-version` (`2017-06-13`).
    pub version: String,
    /// Protocol style.
    pub style: Style,
    /// Human title used in docs (`Elasticsearch`); defaults to the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Public endpoint pattern with a `{region}` placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// VPC endpoint pattern with a `{region}` placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint: Option<String>,
    /// Regions whose public endpoint does not follow `endpoint`: region →
    /// host (ECS: `cn-hangzhou` → `ecs-cn-hangzhou.aliyuncs.com`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub endpoint_exceptions: BTreeMap<String, String>,
    /// Parameters every operation of the product takes that no page lists
    /// (RPC account parameters such as `OwnerId`): declared once here and
    /// added to each operation that does not name them itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_params: Vec<Param>,
    /// Facts the protocol does not carry, per operation (wire name), where
    /// they differ from the naming rule of [`crate::traits`]; written by
    /// `overrides.yaml` or in the product file.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub traits: BTreeMap<String, Traits>,
    /// The operations, sorted by name once loaded.
    #[serde(default)]
    pub operations: Vec<Operation>,
}

/// Corrections of what [`crate::traits`] derives for one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traits {
    /// Whether repeating the call cannot change anything twice (a read, or
    /// an idempotent change), so it is retried after an unknown outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    /// Pagination role of a request parameter, by wire name; `none` takes
    /// a parameter the naming rule would pick out of paging.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paging: BTreeMap<String, PagingRole>,
}

/// What a request parameter does in paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PagingRole {
    /// The 1-based page number (`PageNumber`).
    PageNumber,
    /// Items per page (`PageSize`).
    PageSize,
    /// The token of the next page (`NextToken`).
    NextToken,
    /// Items per token page (`MaxResults`).
    MaxResults,
    /// Not a paging parameter, whatever its name.
    None,
}

/// Alibaba Cloud API styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Style {
    /// Resource-oriented: REST-like paths, JSON bodies.
    #[serde(rename = "ROA")]
    Roa,
    /// Remote procedure call: `?Action=...` on `/`.
    #[serde(rename = "RPC")]
    Rpc,
}

/// One API operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Wire name, sent as `x-acs-action` (`ResumeLogstashTask`).
    pub name: String,
    /// First paragraph of the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Further prose from the page's introduction, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// HTTP method actually sent (upper case).
    pub method: String,
    /// Other methods the page lists (`PATCH|POST` keeps `PATCH` here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternative_methods: Vec<String>,
    /// Path template with `[Name]` placeholders.
    pub path: String,
    /// Parameters that travel in the path, query or headers.
    #[serde(default)]
    pub params: Vec<Param>,
    /// The JSON request body, if any.
    #[serde(default)]
    pub body: Option<Body>,
    /// Top-level fields of the JSON response object.
    #[serde(default)]
    pub response: Vec<Field>,
    /// Sample success response as written on the page (raw text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_example: Option<String>,
    /// The sample response as the front end read it, once: JSON (leniently)
    /// or XML turned into JSON. `check` compares it with the documented
    /// tree; nothing after `check` looks at it (not serialized).
    #[serde(skip)]
    pub sample: Option<Sample>,
    /// Documented error codes.
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    /// Rust name override for the call function (snake case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Where the operation was read from (not serialized).
    #[serde(skip)]
    pub source: Source,
}

/// A sample response read by a front end (see [`Operation::sample`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// What the sample shows.
    pub value: serde_json::Value,
    /// Whether [`Operation::response_example`] is exactly this JSON, valid
    /// as written (so generated tests can replay it).
    pub verbatim: bool,
    /// Whether the sample shows the structure the page describes: `check`
    /// clears it where an object of the sample has no member in common
    /// with the page's description of it (a wrapper level left out, the
    /// value of one member shown alone), or a member name that cannot be
    /// one (` InstanceId `).
    pub fits: bool,
}

impl Sample {
    /// A sample as read: `verbatim` as the front end found it, fitting
    /// until `check` finds otherwise.
    pub fn new(value: serde_json::Value, verbatim: bool) -> Sample {
        Sample { value, verbatim, fits: true }
    }

    /// Whether the sample can be replayed as a test of the response type:
    /// valid JSON as written, an object like every response, and of the
    /// structure the page describes.
    pub fn replayable(&self) -> bool {
        self.not_replayable().is_none()
    }

    /// Why the sample cannot be replayed as a test ([`Sample::replayable`]),
    /// in words for reports; `None` when it can.
    pub fn not_replayable(&self) -> Option<&'static str> {
        if !self.verbatim {
            Some("sample is not valid JSON as written")
        } else if !self.value.is_object() {
            Some("sample is not an object")
        } else if !self.fits {
            Some("sample does not show the documented structure")
        } else {
            None
        }
    }
}

/// The HTTP methods an operation may use: the ones the runtime sends. A page
/// naming another method is read with a diagnostic, never as `POST`.
pub const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// `word` as one of [`METHODS`], in any case.
pub fn method(word: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|m| m.eq_ignore_ascii_case(word.trim()))
}

/// A piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment<'a> {
    /// Text sent as it is.
    Literal(&'a str),
    /// A `[Name]` placeholder, by wire name.
    Param(&'a str),
}

/// Splits an IR path template into literals and `[Name]` placeholders.
///
/// This is the one reading of placeholders after the front ends: pages
/// write `{Name}`, `<Name>` and other forms, which the readers turn into
/// `[Name]`; `{Name}` is still accepted here because hand-written YAML
/// specs use it. An unclosed bracket is literal text.
pub fn path_segments(path: &str) -> Vec<PathSegment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['[', '{']) {
        let close_char = if rest[open..].starts_with('[') { ']' } else { '}' };
        let Some(len) = rest[open + 1..].find(close_char) else { break };
        if open > 0 {
            out.push(PathSegment::Literal(&rest[..open]));
        }
        out.push(PathSegment::Param(rest[open + 1..open + 1 + len].trim()));
        rest = &rest[open + 1 + len + 1..];
    }
    if !rest.is_empty() {
        out.push(PathSegment::Literal(rest));
    }
    out
}

/// The placeholders of a path template, in order, each once.
pub fn path_placeholders(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for segment in path_segments(path) {
        if let PathSegment::Param(name) = segment
            && !name.is_empty()
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

/// A source location for diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    /// File the item was read from.
    pub file: PathBuf,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column; 0 when unknown or irrelevant (whole rows).
    pub column: u32,
}

impl Source {
    /// A location in `file` at `line`.
    pub fn new(file: impl Into<PathBuf>, line: u32) -> Self {
        Source { file: file.into(), line, column: 0 }
    }

    /// A location in `file` at `line` and `column`.
    pub fn at(file: impl Into<PathBuf>, line: u32, column: u32) -> Self {
        Source { file: file.into(), line, column }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file.display()),
            (line, 0) => write!(f, "{}:{line}", self.file.display()),
            (line, column) => write!(f, "{}:{line}:{column}", self.file.display()),
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// A `[Name]` placeholder of the path.
    Path,
    /// The query string.
    Query,
    /// An HTTP header.
    Header,
}

impl Location {
    /// The lowercase name used in specs (`in:`) and in docs.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// A request parameter outside the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Wire name, exactly as written.
    pub name: String,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// Value type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Whether the caller must supply it.
    #[serde(default)]
    pub required: bool,
    /// Description from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Example value from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Element type when `ty` is `array`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
    /// The most items the list may hold (`ty: array` only), when the page
    /// states it (`Valid values of N: 1 to 20`, `N 的取值范围：1~20`). The
    /// service rejects a longer list, so the generated request refuses one
    /// before sending, as a construction error naming the parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// Members when `ty` is `object`: RPC pages spell a structured
    /// parameter row by row (`SystemDisk.Size`, `SystemDisk.Category`) and
    /// the reader groups them into one parameter with these members, sent
    /// flattened again (`SystemDisk.Size=..`). Optional key, empty for
    /// every scalar or array parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Rust name override (snake case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Line of the row that defined it (not serialized).
    #[serde(skip)]
    pub line: u32,
}

impl Param {
    /// A required string path parameter: what a `[Name]` placeholder with no
    /// parameter row is taken to be.
    pub fn assumed_path(name: impl Into<String>, line: u32) -> Self {
        Param {
            name: name.into(),
            location: Location::Path,
            ty: Type::String,
            required: true,
            description: None,
            example: None,
            items: None,
            max_items: None,
            fields: Vec::new(),
            rust_name: None,
            line,
        }
    }
}

/// The shape of a JSON request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    /// A JSON object with `fields`.
    Object,
    /// A JSON array whose elements are `items`.
    Array,
    /// JSON the caller supplies as it is.
    Opaque,
}

/// How a request body travels on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyEncoding {
    /// JSON text (`application/json`), the default.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded` pairs, one per member of an
    /// object body. Pages do not say which encoding a service expects (their
    /// `FormData` and `Body` marks do not tell), so a spec or an override
    /// states it.
    Form,
}

impl BodyEncoding {
    fn is_json(&self) -> bool {
        *self == BodyEncoding::Json
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Object, array or opaque.
    pub kind: BodyKind,
    /// JSON (the default) or form-encoded.
    #[serde(default, skip_serializing_if = "BodyEncoding::is_json")]
    pub encoding: BodyEncoding,
    /// Whether the body must be sent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Prose describing the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Members when `kind` is `object`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Element when `kind` is `array`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
}

/// A (possibly nested) JSON value description: a body member, a response
/// member, an array element (empty `name`) or a map value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name, exactly as written; empty for array items and map values.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Value type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Whether the value is always present (requests: must be sent).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Description from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Example value from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Members when `ty` is `object`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Element when `ty` is `array`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
    /// The most items the list may hold (`ty: array` only), when the page
    /// states it (`Valid values of N: 1 to 20`, `N 的取值范围：1~20`). The
    /// service rejects a longer list, so the generated request refuses one
    /// before sending, as a construction error naming the parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// Value when `ty` is `map` (keys are strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<Field>>,
    /// An array the service also sends as one element (or as JSON text),
    /// as the sample response shows; decoded leniently.
    #[serde(default, skip_serializing_if = "is_false")]
    pub one_or_list: bool,
    /// Rust name override (snake case for members, Pascal case for types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Line of the row that defined it (not serialized).
    #[serde(skip)]
    pub line: u32,
}

impl Field {
    /// The array member of an XML-derived list wrapper: an object whose
    /// only member is an array (`Instances` holding `Instance`), whatever
    /// the names. The one reading of the rule; `emit` flattens such
    /// objects, `check` keeps them against samples that skip them.
    pub fn wrapped_list(&self) -> Option<&Field> {
        match self.fields.as_slice() {
            [inner] if self.ty == Type::Object && inner.ty == Type::Array => Some(inner),
            _ => None,
        }
    }
}

/// The value types of a field or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    /// UTF-8 text.
    String,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// `true` / `false`.
    Boolean,
    /// JSON object with known `fields`.
    Object,
    /// JSON array of `items`.
    Array,
    /// JSON object with string keys and `values`.
    Map,
    /// Any JSON value.
    #[default]
    Any,
}

impl Type {
    /// The lowercase name used in specs and diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Long => "long",
            Type::Float => "float",
            Type::Double => "double",
            Type::Boolean => "boolean",
            Type::Object => "object",
            Type::Array => "array",
            Type::Map => "map",
            Type::Any => "any",
        }
    }

    /// Scalars travel as plain query/path/header text.
    pub fn is_scalar(self) -> bool {
        matches!(self, Type::String | Type::Integer | Type::Long | Type::Float | Type::Double | Type::Boolean)
    }
}

/// A documented error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// HTTP status (400-599); 0 when the page does not say.
    pub status: u16,
    /// Error code string as sent in the body's `Code`.
    pub code: String,
    /// The error message the service sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What the page says the error means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Rust variant name override (Pascal case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Line of the row (not serialized).
    #[serde(skip)]
    pub line: u32,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        assert_eq!(
            path_segments("/a/[Id]/b/{Name}"),
            vec![
                PathSegment::Literal("/a/"),
                PathSegment::Param("Id"),
                PathSegment::Literal("/b/"),
                PathSegment::Param("Name")
            ]
        );
        assert_eq!(path_segments("/a/[oops"), vec![PathSegment::Literal("/a/[oops")]);
        assert_eq!(path_placeholders("/a/[Id]/[Id]/[]"), vec!["Id"]);
    }

    #[test]
    fn methods() {
        assert_eq!(method("get"), Some("GET"));
        assert_eq!(method("OPTIONS"), None);
    }
}
