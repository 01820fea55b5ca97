//! Decoding of response bodies into generated types, straight from the
//! body bytes.
//!
//! Generated response types implement [`Decode`] (one
//! `object.member("WireName")` per field) rather than deriving
//! `serde::Deserialize`: the readers here are compiled once, and generic
//! only over the member's type, instead of once per member in every
//! generated crate.
//!
//! No tree of the whole document is ever built. An [`Object`] is a list of
//! its members' names and their JSON text, borrowed from the body
//! (`serde_json`'s [`RawValue`]); a member is read only when the generated
//! code asks for it, and a nested object or array is split into its own
//! members at that moment and dropped once its type is built. Peak memory
//! is therefore the body, the typed result, and one short list per level of
//! nesting, whatever the size of the document (a `serde_json::Value` of a
//! body of many small objects is 20 to 30 times the body).
//!
//! Scalars are read leniently: numbers may arrive as strings
//! (`"TotalCount": "12"`), strings as numbers, booleans as `"true"` or 0/1,
//! and `null` (or an empty string, for numbers and booleans) is `None`. A
//! value that cannot mean the type (a word where a number belongs, a number
//! too large for its field) is still an error, naming the member's path.
//!
//! ```
//! use aliyun_runtime::json::{self, Decode, Object};
//!
//! #[derive(Debug, PartialEq)]
//! struct Page {
//!     total: Option<i64>,
//!     ports: Option<Vec<i32>>,
//! }
//!
//! impl Decode for Page {
//!     fn decode(object: &Object<'_>) -> Self {
//!         Page { total: object.member("TotalCount"), ports: object.member("Ports") }
//!     }
//! }
//!
//! let page: Page = json::from_slice(br#"{"TotalCount": "12", "Ports": [9200, "9300"]}"#).unwrap();
//! assert_eq!(page, Page { total: Some(12), ports: Some(vec![9200, 9300]) });
//! ```

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer as _, MapAccess, Visitor};
pub use serde_json::value::RawValue;

use crate::meta::ResponseMeta;

/// How much of an offending value an error message quotes.
const FOUND_EXCERPT: usize = 64;

/// A response member that does not have the shape its type needs, or a
/// body that is not JSON at all.
///
/// Carries the path of the member (`Result.Nodes[2].Port`), what was
/// expected there and (the start of) what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    expected: String,
    found: String,
    /// The text was not JSON: `found` is the parser's message.
    syntax: bool,
}

impl DecodeError {
    /// An error at `key` (empty for the value itself): `expected` is what
    /// the type needs, `found` the value that was there (quoted in the
    /// message, cut short when long).
    #[cold]
    #[inline(never)]
    pub fn new(key: &str, expected: &str, found: &RawValue) -> Self {
        DecodeError { path: key.to_owned(), expected: expected.to_owned(), found: describe(found.get()), syntax: false }
    }

    /// The text is not JSON (or breaks JSON's own limits, such as nesting
    /// depth); `error` says where.
    #[cold]
    #[inline(never)]
    fn invalid_json(error: &serde_json::Error) -> Self {
        DecodeError { path: String::new(), expected: "JSON".to_owned(), found: error.to_string(), syntax: true }
    }

    /// The same error inside the member `key` of an object (`key` is
    /// prepended to the path; an empty key changes nothing).
    #[cold]
    #[inline(never)]
    #[must_use]
    pub fn at(mut self, key: &str) -> Self {
        if key.is_empty() {
            return self;
        }
        self.path = if self.path.is_empty() {
            key.to_owned()
        } else if self.path.starts_with('[') {
            format!("{key}{}", self.path)
        } else {
            format!("{key}.{}", self.path)
        };
        self
    }

    /// The same error inside the element `index` of an array.
    #[cold]
    #[inline(never)]
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.path = if self.path.is_empty() || self.path.starts_with('[') {
            format!("[{index}]{}", self.path)
        } else {
            format!("[{index}].{}", self.path)
        };
        self
    }

    /// Where the member is, as `Result.Nodes[2].Port` (empty for the whole
    /// value).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the type needed there (`"JSON"` when the text is not JSON).
    pub fn expected(&self) -> &str {
        &self.expected
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.syntax {
            write!(f, "invalid JSON: {}", self.found)
        } else if self.path.is_empty() {
            write!(f, "invalid value {}, expected {}", self.found, self.expected)
        } else {
            write!(f, "invalid value {} at `{}`, expected {}", self.found, self.path, self.expected)
        }
    }
}

impl std::error::Error for DecodeError {}

/// How an error message shows a value: containers by kind (they can be
/// huge), scalars as their JSON text, cut at [`FOUND_EXCERPT`] characters.
fn describe(text: &str) -> String {
    match text.trim_start().as_bytes().first() {
        Some(b'[') => "an array".to_owned(),
        Some(b'{') => "an object".to_owned(),
        _ => match text.char_indices().nth(FOUND_EXCERPT) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text.to_owned(),
        },
    }
}

/// A JSON value seen by its first byte; scalars keep their text.
enum Json<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Number(&'a str),
    /// The string's contents, unescaped.
    String(Cow<'a, str>),
    Array,
    Object,
}

fn classify(raw: &RawValue) -> Result<Json<'_>, DecodeError> {
    let text = raw.get().trim();
    Ok(match text.as_bytes().first() {
        Some(b'n') => Json::Null,
        Some(b't') => Json::Bool(true),
        Some(b'f') => Json::Bool(false),
        Some(b'"') => Json::String(unquote(text)?),
        Some(b'[') => Json::Array,
        Some(b'{') => Json::Object,
        _ => Json::Number(text),
    })
}

/// The contents of a JSON string literal: borrowed when it has no escapes
/// (the common case), unescaped into a new string otherwise.
fn unquote(text: &str) -> Result<Cow<'_, str>, DecodeError> {
    let inner = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
    match inner {
        Some(inner) if !inner.contains('\\') => Ok(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(text).map(Cow::Owned).map_err(|e| DecodeError::invalid_json(&e)),
    }
}

/// The members of a JSON object, in document order, each borrowed from the
/// text (a name is copied only when it has escapes).
pub(crate) type Members<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// A member name that borrows from the input whenever the parser can hand
/// out a slice of it.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let value: &'de RawValue = map.next_value()?;
            members.push((key, value));
        }
        Ok(members)
    }
}

/// Splits the JSON object `raw` into its members.
fn members(raw: &RawValue) -> Result<Members<'_>, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    let members = (&mut deserializer).deserialize_map(MembersVisitor).map_err(|e| DecodeError::invalid_json(&e))?;
    deserializer.end().map_err(|e| DecodeError::invalid_json(&e))?;
    Ok(members)
}

/// Splits the JSON array `text` into its elements.
fn elements(text: &str) -> Result<Vec<&RawValue>, serde_json::Error> {
    serde_json::from_str(text)
}

/// The top-level members of a body, when it is a JSON object (for error
/// bodies and the request id probe, which need a few names and nothing
/// else).
pub(crate) fn top_members(bytes: &[u8]) -> Option<Members<'_>> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let members = (&mut deserializer).deserialize_map(MembersVisitor).ok()?;
    deserializer.end().ok()?;
    Some(members)
}

/// The member `name` (the last, if repeated) as text: a string's contents,
/// any other value's JSON text; `None` when absent or `null`.
pub(crate) fn scalar_text(members: &Members<'_>, name: &str) -> Option<String> {
    let (_, value) = members.iter().rev().find(|(key, _)| key == name)?;
    match classify(value).ok()? {
        Json::Null => None,
        Json::String(text) => Some(text.into_owned()),
        _ => Some(value.get().to_owned()),
    }
}

/// A struct decoded from a JSON object member by member: what every
/// generated response type (and each of its nested types) implements.
///
/// `decode` is infallible: [`Object`] keeps the first member that does not
/// fit, and [`from_slice`] (or [`decode()`]) returns it. A generated
/// `decode` is therefore one struct literal with no early return per
/// member, which keeps its compiled size linear in the number of members
/// (an early return after member *k* has to drop the *k* members already
/// read, one such path per member).
pub trait Decode: Sized {
    /// Reads every member of `Self` from `object`.
    fn decode(object: &Object<'_>) -> Self;
}

/// Decodes the JSON text `bytes` (an object) into `T`, or returns the first
/// member that does not fit, with its path. This is what a call does with
/// a response body.
///
/// ```
/// use aliyun_runtime::json::{self, Decode, Object};
///
/// #[derive(Debug, PartialEq)]
/// struct Node {
///     port: Option<i32>,
///     tags: Option<Vec<String>>,
/// }
///
/// impl Decode for Node {
///     fn decode(object: &Object<'_>) -> Self {
///         Node { port: object.member("port"), tags: object.member("tags") }
///     }
/// }
///
/// let node: Node = json::from_slice(br#"{"port": "9200", "tags": [1, "a"]}"#).unwrap();
/// assert_eq!(node, Node { port: Some(9200), tags: Some(vec!["1".into(), "a".into()]) });
///
/// let error = json::from_slice::<Node>(br#"{"tags": [true, {}]}"#).unwrap_err();
/// assert_eq!(error.to_string(), "invalid value an object at `tags[1]`, expected a string, number, boolean or null");
/// let error = json::from_slice::<Node>(br#"{"port": 99999999999}"#).unwrap_err();
/// assert_eq!(error.path(), "port");
/// ```
pub fn from_slice<T: Decode>(bytes: &[u8]) -> Result<T, DecodeError> {
    from_slice_with_meta(bytes, ResponseMeta::default())
}

/// Decodes a parsed `serde_json::Value` (an object) into `T`, for JSON
/// that is already in memory as a value (stored responses, samples).
/// The value is written out as text once and read like a body.
pub fn decode<T: Decode>(value: &serde_json::Value) -> Result<T, DecodeError> {
    let text = serde_json::to_vec(value).map_err(|e| DecodeError::invalid_json(&e))?;
    from_slice(&text)
}

/// The members of `value` that decoding it as `T` leaves unread, as
/// paths (`Data.Instances.Note`; array elements and map values are not
/// numbered): what a response type does not know about a document. For
/// tests of generated types against sample responses; a decode error is
/// returned as it is.
///
/// ```
/// use aliyun_runtime::json::{self, Decode, Object};
///
/// struct Node {
///     port: Option<i32>,
/// }
///
/// impl Decode for Node {
///     fn decode(object: &Object<'_>) -> Self {
///         Node { port: object.member("port") }
///     }
/// }
///
/// let sample = serde_json::json!({"port": 9200, "host": "h"});
/// assert_eq!(json::unmapped::<Node>(&sample).unwrap(), ["host"]);
/// ```
pub fn unmapped<T: Decode>(value: &serde_json::Value) -> Result<Vec<String>, DecodeError> {
    let (decoded, unread) = audit::run(|| decode::<T>(value));
    decoded.map(|_| unread)
}

/// The bookkeeping of [`unmapped`]: while it runs on a thread, every
/// [`Object`] decoded there records which members were asked for and
/// reports the others, with the path of member names leading to them.
mod audit {
    use std::cell::RefCell;

    #[derive(Default)]
    struct State {
        path: Vec<String>,
        unread: Vec<String>,
    }

    thread_local! {
        static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
    }

    /// Whether a decode on this thread is being audited.
    pub(super) fn on() -> bool {
        STATE.with(|state| state.borrow().is_some())
    }

    /// Runs `decode` audited; returns what it returned and the unread paths.
    pub(super) fn run<R>(decode: impl FnOnce() -> R) -> (R, Vec<String>) {
        let outer = STATE.with(|state| state.replace(Some(State::default())));
        let result = decode();
        let state = STATE.with(|state| state.replace(outer)).unwrap_or_default();
        (result, state.unread)
    }

    /// Leaves the member entered by [`enter`] when dropped.
    pub(super) struct Entered;

    impl Drop for Entered {
        fn drop(&mut self) {
            STATE.with(|state| state.borrow_mut().as_mut().map(|s| s.path.pop()));
        }
    }

    /// Notes that the member `key` is being read, for the paths of what
    /// lies below it.
    pub(super) fn enter(key: &str) -> Entered {
        STATE.with(|state| state.borrow_mut().as_mut().map(|s| s.path.push(key.to_owned())));
        Entered
    }

    /// Reports members nobody asked for.
    pub(super) fn unread<'n>(names: impl Iterator<Item = &'n str>) {
        STATE.with(|state| {
            if let Some(state) = state.borrow_mut().as_mut() {
                for name in names {
                    let mut path = state.path.join(".");
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                    state.unread.push(path);
                }
            }
        });
    }
}

/// [`from_slice`] for a response body, with the response's metadata for
/// [`Object::meta`].
pub(crate) fn from_slice_with_meta<T: Decode>(bytes: &[u8], meta: ResponseMeta) -> Result<T, DecodeError> {
    let mut decoded = None;
    decode_bytes(bytes, std::any::type_name::<T>(), meta, &mut |object| decoded = Some(T::decode(object)))?;
    // `decode_bytes` calls `read` on every path that returns `Ok`.
    decoded.ok_or_else(|| DecodeError::invalid_json(&serde::de::Error::custom("nothing decoded")))
}

/// The non-generic part of decoding a document: `read` is called with the
/// top-level object and stores what it decodes; the first member that did
/// not fit is the error. Keeping this out of the generic wrapper means
/// each response type adds only a few lines to the crates that decode it.
fn decode_bytes(
    bytes: &[u8],
    type_name: &str,
    meta: ResponseMeta,
    read: &mut dyn FnMut(&Object<'_>),
) -> Result<(), DecodeError> {
    let short_name = type_name.rsplit("::").next().unwrap_or(type_name);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let members = if first == Some(&b'{') {
        // The usual case: split the top level straight from the bytes, so
        // the body is scanned once here and once more per nesting level.
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let members = (&mut deserializer).deserialize_map(MembersVisitor).map_err(|e| DecodeError::invalid_json(&e))?;
        deserializer.end().map_err(|e| DecodeError::invalid_json(&e))?;
        members
    } else {
        let raw: &RawValue = serde_json::from_slice(bytes).map_err(|e| DecodeError::invalid_json(&e))?;
        return Err(DecodeError::new("", &format!("an object ({short_name})"), raw));
    };
    let object = Object::from_members(members, meta);
    read(&object);
    object.finish()
}

/// Members of an object up to this many are looked up by a linear scan;
/// larger objects are sorted once and searched.
const LINEAR_LOOKUP: usize = 16;

/// The JSON object a generated [`Decode`] reads its members from.
///
/// [`Object::member`] reads one member by its wire name, as whatever type
/// the struct field has ([`Member`]): absent and `null` members are `None`,
/// members nobody asks for are ignored (and never parsed beyond finding
/// where they end), and scalars follow this module's lenient rules (numbers
/// as strings, 0/1 for booleans). The first member that does not fit is
/// kept, with its path, for [`from_slice`] to return. When a name appears
/// twice, the last one counts.
pub struct Object<'a> {
    members: Members<'a>,
    /// `members` is sorted by name (stable, so the last duplicate is last).
    sorted: bool,
    error: Cell<Option<DecodeError>>,
    meta: ResponseMeta,
    /// Which members were asked for, kept only while [`unmapped`] audits
    /// a decode (empty otherwise, so it costs nothing).
    read: RefCell<Vec<bool>>,
}

impl fmt::Debug for Object<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Object").field("members", &self.members.len()).finish_non_exhaustive()
    }
}

impl<'a> Object<'a> {
    fn from_members(mut members: Members<'a>, meta: ResponseMeta) -> Self {
        let sorted = members.len() > LINEAR_LOOKUP;
        if sorted {
            members.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let read = RefCell::new(if audit::on() { vec![false; members.len()] } else { Vec::new() });
        Object { members, sorted, error: Cell::new(None), meta, read }
    }

    fn finish(self) -> Result<(), DecodeError> {
        let read = self.read.into_inner();
        if !read.is_empty() {
            let unread = self.members.iter().zip(&read).filter(|(_, read)| !**read);
            audit::unread(unread.map(|((name, _), _)| name.as_ref()));
        }
        match self.error.into_inner() {
            None => Ok(()),
            Some(error) => Err(error),
        }
    }

    /// The member `key` as JSON text, if present (`null` included).
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        for (read, (name, _)) in self.read.borrow_mut().iter_mut().zip(&self.members) {
            *read |= name == key;
        }
        if self.sorted {
            let end = self.members.partition_point(|(name, _)| name.as_ref() <= key);
            let (name, value) = self.members.get(end.checked_sub(1)?)?;
            (name == key).then_some(*value)
        } else {
            self.members.iter().rev().find(|(name, _)| name == key).map(|(_, value)| *value)
        }
    }

    /// Whether [`unmapped`] is auditing this object's decode.
    fn audited(&self) -> bool {
        !self.read.borrow().is_empty()
    }

    /// HTTP status and request id of the response being decoded (the
    /// default when decoding anything else).
    pub fn meta(&self) -> ResponseMeta {
        self.meta.clone()
    }

    /// Remembers `error` unless an earlier member already failed.
    #[cold]
    #[inline(never)]
    fn fail(&self, error: DecodeError) {
        let first = self.error.take().unwrap_or(error);
        self.error.set(Some(first));
    }

    /// The member `key` as a `T`: `None` when absent, `null`, or (for
    /// numbers and booleans) empty text; `None` too when it does not fit
    /// `T` (the first member that does not fit is the error [`from_slice`]
    /// returns).
    pub fn member<T: Member>(&self, key: &str) -> Option<T> {
        let value = self.get(key)?;
        let _entered = self.audited().then(|| audit::enter(key));
        match T::read(value) {
            Ok(read) => read,
            Err(error) => {
                self.fail(error.at(key));
                None
            }
        }
    }

    /// Like [`Object::member`] for an array the service also sends as one
    /// bare element or as text holding a JSON array; set where an
    /// operation's own sample shows such shapes. Text that is not a JSON
    /// array is itself the one element.
    pub fn one_or_list<T: Member>(&self, key: &str) -> Option<Vec<T>> {
        let value = self.get(key)?;
        let _entered = self.audited().then(|| audit::enter(key));
        match one_or_list(value) {
            Ok(list) => list,
            Err(error) => {
                self.fail(error.at(key));
                None
            }
        }
    }
}

fn one_or_list<T: Member>(value: &RawValue) -> Result<Option<Vec<T>>, DecodeError> {
    match classify(value)? {
        Json::Null => Ok(None),
        Json::Array => Vec::<T>::read(value),
        Json::String(text) => match elements(&text) {
            Ok(items) => read_elements(&items).map(Some),
            Err(_) => read_elements(&[value]).map(Some),
        },
        _ => read_elements(&[value]).map(Some),
    }
}

/// A type an [`Object`] member, an array element or a map value can be
/// read as: the lenient scalars, `serde_json::Value`, `Vec`, `BTreeMap`
/// with `String` keys, and every [`Decode`] struct.
pub trait Member: Sized {
    /// What the type needs, for errors (`"a string"`).
    const EXPECTED: &'static str;

    /// Reads a value from its JSON text; `Ok(None)` when it stands for no
    /// value (`null`, or empty text where a number belongs).
    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError>;
}

impl Member for i32 {
    const EXPECTED: &'static str = "a 32-bit integer";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        match integer(value, Self::EXPECTED)? {
            None => Ok(None),
            Some(n) => i32::try_from(n).map(Some).map_err(|_| DecodeError::new("", Self::EXPECTED, value)),
        }
    }
}

impl Member for i64 {
    const EXPECTED: &'static str = "a 64-bit integer";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        integer(value, Self::EXPECTED)
    }
}

impl Member for f64 {
    const EXPECTED: &'static str = "a number";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        float(value)
    }
}

impl Member for f32 {
    const EXPECTED: &'static str = "a number";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        Ok(float(value)?.map(|f| f as f32))
    }
}

impl Member for bool {
    const EXPECTED: &'static str = "a boolean";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        let fail = || DecodeError::new("", Self::EXPECTED, value);
        match classify(value)? {
            Json::Null => Ok(None),
            Json::Bool(b) => Ok(Some(b)),
            Json::Number("0") => Ok(Some(false)),
            Json::Number("1") => Ok(Some(true)),
            Json::String(t) if t.trim().is_empty() => Ok(None),
            Json::String(t) if t.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
            Json::String(t) if t.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(fail()),
        }
    }
}

impl Member for String {
    const EXPECTED: &'static str = "a string, number, boolean or null";

    /// Numbers keep the text they were sent as (`1.50` stays `"1.50"`).
    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        match classify(value)? {
            Json::Null => Ok(None),
            Json::String(t) => Ok(Some(t.into_owned())),
            Json::Number(t) => Ok(Some(t.to_owned())),
            Json::Bool(b) => Ok(Some(b.to_string())),
            Json::Array | Json::Object => Err(DecodeError::new("", Self::EXPECTED, value)),
        }
    }
}

/// `any` members: the value itself, parsed on its own (only this member's
/// text becomes a tree). `null` is kept as `Value::Null` inside arrays and
/// maps; as a member it is `None` like every other type.
impl Member for serde_json::Value {
    const EXPECTED: &'static str = "a value";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        serde_json::from_str(value.get()).map(Some).map_err(|e| DecodeError::invalid_json(&e))
    }
}

impl<T: Decode> Member for T {
    const EXPECTED: &'static str = "an object";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        match classify(value)? {
            Json::Null => Ok(None),
            Json::Object => {
                let object = Object::from_members(members(value)?, ResponseMeta::default());
                let decoded = T::decode(&object);
                object.finish().map(|()| Some(decoded))
            }
            _ => Err(DecodeError::new("", Self::EXPECTED, value)),
        }
    }
}

impl<T: Member> Member for Vec<T> {
    const EXPECTED: &'static str = "an array";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        match classify(value)? {
            Json::Null => Ok(None),
            Json::Array => {
                let items = elements(value.get()).map_err(|e| DecodeError::invalid_json(&e))?;
                read_elements(&items).map(Some)
            }
            _ => Err(DecodeError::new("", Self::EXPECTED, value)),
        }
    }
}

impl<T: Member> Member for BTreeMap<String, T> {
    const EXPECTED: &'static str = "an object";

    fn read(value: &RawValue) -> Result<Option<Self>, DecodeError> {
        match classify(value)? {
            Json::Null => Ok(None),
            Json::Object => {
                let mut out = BTreeMap::new();
                for (key, value) in members(value)? {
                    match read_element(value) {
                        Ok(read) => out.insert(key.into_owned(), read),
                        Err(error) => return Err(error.at(&key)),
                    };
                }
                Ok(Some(out))
            }
            _ => Err(DecodeError::new("", Self::EXPECTED, value)),
        }
    }
}

/// Every element of an array. Elements are never optional: a `null` (or
/// empty text where a number belongs) is an error, except for
/// `serde_json::Value` elements, which keep `null` as it is.
fn read_elements<T: Member>(items: &[&RawValue]) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match read_element(item) {
            Ok(read) => out.push(read),
            Err(error) => return Err(error.index(index)),
        }
    }
    Ok(out)
}

fn read_element<T: Member>(value: &RawValue) -> Result<T, DecodeError> {
    T::read(value)?.ok_or_else(|| DecodeError::new("", T::EXPECTED, value))
}

fn integer(value: &RawValue, expected: &str) -> Result<Option<i64>, DecodeError> {
    let fail = || DecodeError::new("", expected, value);
    match classify(value)? {
        Json::Null => Ok(None),
        Json::Number(t) if !t.contains(['.', 'e', 'E']) => t.parse().map(Some).map_err(|_| fail()),
        Json::Number(t) => match t.parse::<f64>() {
            // A float with no fraction is an integer written loosely (`3.0`).
            Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
            _ => Err(fail()),
        },
        Json::String(t) if t.trim().is_empty() => Ok(None),
        Json::String(t) => t.trim().parse().map(Some).map_err(|_| fail()),
        _ => Err(fail()),
    }
}

fn float(value: &RawValue) -> Result<Option<f64>, DecodeError> {
    let fail = || DecodeError::new("", "a number", value);
    match classify(value)? {
        Json::Null => Ok(None),
        // JSON has no infinity; a literal too large for f64 is not a number
        // this type can hold.
        Json::Number(t) => t.parse::<f64>().ok().filter(|f| f.is_finite()).map(Some).ok_or_else(fail),
        Json::String(t) if t.trim().is_empty() => Ok(None),
        Json::String(t) => t.trim().parse().map(Some).map_err(|_| fail()),
        _ => Err(fail()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: Member>(text: &str) -> Result<Option<T>, DecodeError> {
        let raw: Box<RawValue> = serde_json::from_str(text).expect("test JSON");
        T::read(&raw)
    }

    #[test]
    fn numbers_accept_either_spelling() {
        assert_eq!(read::<i64>(r#""12""#), Ok(Some(12)));
        assert_eq!(read::<i32>("3"), Ok(Some(3)));
        assert_eq!(read::<i32>(r#"" 7 ""#), Ok(Some(7)));
        assert_eq!(read::<i64>("3.0"), Ok(Some(3)));
        assert_eq!(read::<i64>("1e3"), Ok(Some(1000)));
        assert_eq!(read::<i64>(r#""""#), Ok(None));
        assert_eq!(read::<i64>("null"), Ok(None));
        assert_eq!(read::<i64>("-9223372036854775808"), Ok(Some(i64::MIN)));
        assert!(read::<i64>("1.5").is_err());
        assert!(read::<i64>(r#""twelve""#).is_err());
        assert!(read::<i64>("true").is_err());
        assert!(read::<i32>("9999999999").is_err());
        assert!(read::<i64>("18446744073709551615").is_err());
        assert!(read::<i64>("100000000000000000000000000000").is_err());
        assert!(read::<i64>("1e300").is_err());
        assert!(read::<i64>("[1]").is_err());
    }

    #[test]
    fn floats_accept_either_spelling() {
        assert_eq!(read::<f64>(r#""1.5""#), Ok(Some(1.5)));
        assert_eq!(read::<f64>("2"), Ok(Some(2.0)));
        assert_eq!(read::<f32>("0.5"), Ok(Some(0.5)));
        assert_eq!(read::<f32>(r#""""#), Ok(None));
        assert_eq!(read::<f64>("null"), Ok(None));
        assert!(read::<f64>(r#""x""#).is_err());
        assert!(read::<f64>("false").is_err());
        assert!(read::<f64>("1e400").is_err(), "too large for f64");
    }

    #[test]
    fn strings_accept_scalars_only() {
        assert_eq!(read::<String>("42"), Ok(Some("42".into())));
        assert_eq!(read::<String>("1.50"), Ok(Some("1.50".into())));
        assert_eq!(read::<String>("true"), Ok(Some("true".into())));
        assert_eq!(read::<String>(r#""""#), Ok(Some(String::new())));
        assert_eq!(read::<String>(r#""a\"b\u00e9""#), Ok(Some("a\"bé".into())));
        assert_eq!(read::<String>("null"), Ok(None));
        assert!(read::<String>("[1]").is_err());
        assert!(read::<String>("{}").is_err());
    }

    #[test]
    fn booleans_accept_words_and_bits() {
        assert_eq!(read::<bool>(r#""TRUE""#), Ok(Some(true)));
        assert_eq!(read::<bool>(r#"" false ""#), Ok(Some(false)));
        assert_eq!(read::<bool>("0"), Ok(Some(false)));
        assert_eq!(read::<bool>("1"), Ok(Some(true)));
        assert_eq!(read::<bool>("true"), Ok(Some(true)));
        assert_eq!(read::<bool>(r#""""#), Ok(None));
        assert!(read::<bool>(r#""yes""#).is_err());
        assert!(read::<bool>("2").is_err());
        assert!(read::<bool>("1.0").is_err());
    }

    #[test]
    fn any_keeps_the_value() {
        assert_eq!(read::<serde_json::Value>(r#"{"a": 1}"#), Ok(Some(serde_json::json!({"a": 1}))));
        assert_eq!(read::<Vec<serde_json::Value>>("[null]"), Ok(Some(vec![serde_json::Value::Null])));
    }

    #[derive(Debug, PartialEq)]
    struct Tagged {
        tags: Option<Vec<i32>>,
        names: Option<Vec<String>>,
    }

    impl Decode for Tagged {
        fn decode(object: &Object<'_>) -> Self {
            Tagged { tags: object.one_or_list("tags"), names: object.member("names") }
        }
    }

    #[test]
    fn one_or_list_takes_every_shape() {
        let tags = |text: &str| from_slice::<Tagged>(text.as_bytes()).map(|t| t.tags);
        assert_eq!(tags(r#"{"tags": [1, 2]}"#), Ok(Some(vec![1, 2])));
        assert_eq!(tags(r#"{"tags": 3}"#), Ok(Some(vec![3])));
        assert_eq!(tags(r#"{"tags": "[4,5]"}"#), Ok(Some(vec![4, 5])));
        assert_eq!(tags(r#"{"tags": "6"}"#), Ok(Some(vec![6])));
        assert_eq!(tags(r#"{"tags": null}"#), Ok(None));
        assert_eq!(tags("{}"), Ok(None));
        assert!(tags(r#"{"tags": "x"}"#).is_err());
        // Without one_or_list, one element is not a list.
        assert!(from_slice::<Tagged>(br#"{"names": "a"}"#).is_err());
    }

    #[test]
    fn maps_and_objects() {
        let map = read::<BTreeMap<String, i64>>(r#"{"a": 1, "b\n": "2", "a": 3}"#).expect("map").expect("some");
        assert_eq!(map.get("a"), Some(&3), "the last duplicate wins");
        assert_eq!(map.get("b\n"), Some(&2));
        assert!(read::<BTreeMap<String, i64>>("[]").is_err());
        let e = read::<BTreeMap<String, i64>>(r#"{"k": "x"}"#).expect_err("not a number");
        assert_eq!(e.path(), "k");
        let e = from_slice::<Tagged>(br#""x""#).expect_err("not an object");
        assert_eq!(e.to_string(), "invalid value \"x\", expected an object (Tagged)");
    }

    /// More members than the linear scan handles, duplicates included.
    #[derive(Debug, PartialEq)]
    struct Wide(Vec<Option<i64>>);

    impl Decode for Wide {
        fn decode(object: &Object<'_>) -> Self {
            Wide((0..40).map(|i| object.member(&format!("m{i}"))).collect())
        }
    }

    #[test]
    fn large_objects_are_searched() {
        let mut text = String::from("{");
        for i in (0..40).rev() {
            text.push_str(&format!("\"m{i}\": {i}, "));
        }
        text.push_str("\"m7\": 70}");
        let wide: Wide = from_slice(text.as_bytes()).expect("decodes");
        assert_eq!(wide.0[0], Some(0));
        assert_eq!(wide.0[39], Some(39));
        assert_eq!(wide.0[7], Some(70), "the last duplicate wins");
    }

    #[test]
    fn syntax_errors_and_excerpts() {
        let e = from_slice::<Tagged>(b"<html>busy</html>").expect_err("not JSON");
        assert_eq!(e.expected(), "JSON");
        assert!(e.to_string().starts_with("invalid JSON: "), "{e}");
        assert!(from_slice::<Tagged>(br#"{"tags": [1]} trailing"#).is_err());
        assert!(from_slice::<Tagged>(b"{\"tags\": [1]").is_err(), "truncated");
        // Members nobody reads are skipped without recursion, so nesting
        // depth cannot overflow the stack; a `Value` member stops at
        // serde_json's depth limit with an error.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(from_slice::<Tagged>(format!(r#"{{"x": {deep}}}"#).as_bytes()).is_ok());
        let raw: Box<RawValue> = serde_json::from_str(&deep).expect("valid JSON");
        assert!(read::<serde_json::Value>(raw.get()).is_err(), "depth limit");
        let long = format!(r#"{{"tags": ["{}"]}}"#, "y".repeat(10_000));
        let e = from_slice::<Tagged>(long.as_bytes()).expect_err("not a number");
        assert!(e.to_string().len() < 200, "{e}");
        assert_eq!(e.path(), "tags[0]");
    }

    #[test]
    fn errors_carry_the_path() {
        let raw: Box<RawValue> = serde_json::from_str(r#""port""#).expect("json");
        let e = DecodeError::new("Port", "a 32-bit integer", &raw).index(2).at("Nodes").at("Result");
        assert_eq!(e.path(), "Result.Nodes[2].Port");
        assert_eq!(e.expected(), "a 32-bit integer");
        assert_eq!(e.to_string(), "invalid value \"port\" at `Result.Nodes[2].Port`, expected a 32-bit integer");
        let null: Box<RawValue> = serde_json::from_str("null").expect("json");
        let e = DecodeError::new("", "a string", &null).index(1).index(0).at("").at("Grid");
        assert_eq!(e.path(), "Grid[0][1]");
        assert_eq!(e.to_string(), "invalid value null at `Grid[0][1]`, expected a string");
    }

    #[test]
    fn value_and_bytes_agree() {
        let value = serde_json::json!({"tags": "[1]", "names": [1, true]});
        let from_value: Tagged = decode(&value).expect("value");
        let from_bytes: Tagged = from_slice(br#"{"tags": "[1]", "names": [1, true]}"#).expect("bytes");
        assert_eq!(from_value, from_bytes);
        assert_eq!(from_bytes.names, Some(vec!["1".to_owned(), "true".to_owned()]));
    }

    #[derive(Debug, Default)]
    struct Inner {
        id: Option<i32>,
    }

    impl Decode for Inner {
        fn decode(object: &Object<'_>) -> Self {
            Inner { id: object.member("Id") }
        }
    }

    #[derive(Debug, Default)]
    struct Outer {
        items: Option<Vec<Inner>>,
        one: Option<Vec<Inner>>,
    }

    impl Decode for Outer {
        fn decode(object: &Object<'_>) -> Self {
            Outer { items: object.member("Items"), one: object.one_or_list("One") }
        }
    }

    #[test]
    fn unmapped_members_are_listed_with_their_path() {
        let mut wide = serde_json::Map::new();
        for i in 0..20 {
            wide.insert(format!("K{i:02}"), serde_json::json!(i));
        }
        wide.insert("Id".into(), serde_json::json!(1));
        let value = serde_json::json!({
            "Items": [{"Id": 1, "Extra": true}, {"Id": 2}, serde_json::Value::Object(wide)],
            "One": {"Id": 3, "Stray": 1},
            "Top": null,
        });
        let unread = unmapped::<Outer>(&value).expect("decodes");
        let mut expected = vec!["Items.Extra".to_owned(), "One.Stray".to_owned(), "Top".to_owned()];
        expected.extend((0..20).map(|i| format!("Items.K{i:02}")));
        let (mut unread, mut expected) = (unread, expected);
        unread.sort();
        expected.sort();
        assert_eq!(unread, expected);
        assert!(!audit::on(), "the audit ends with the call");
        let fitting = serde_json::json!({"Items": [{"Id": 1}], "One": [{"Id": 2}]});
        assert_eq!(unmapped::<Outer>(&fitting).expect("decodes"), Vec::<String>::new());
        let outer: Outer = decode(&fitting).expect("decodes");
        assert_eq!(outer.items.expect("items")[0].id, Some(1));
        assert_eq!(outer.one.expect("one")[0].id, Some(2));
        assert!(unmapped::<Outer>(&serde_json::json!({"Items": [{"Id": "x"}]})).is_err());
    }
}
