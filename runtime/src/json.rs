//! Decoding of response members from a parsed [`serde_json::Value`].
//!
//! Generated response types implement [`Decode`] (one
//! `object.member("WireName")` per field) rather than deriving
//! `serde::Deserialize`: the readers here are compiled once, and generic
//! only over the member's type, instead of once per member in every
//! generated crate. [`decode()`] turns a `serde_json::Value` into any
//! `Decode` type. The scalar readers follow the same lenient rules as
//! [`crate::de`]: numbers may arrive as strings (`"TotalCount": "12"`),
//! strings as numbers, booleans as `"true"` or 0/1, and `null` (or an empty
//! string, for numbers and booleans) is `None`. A value that cannot mean the
//! type (a word where a number belongs) is still an error.
//!
//! ```
//! use aliyun_runtime::json;
//!
//! let value = serde_json::json!({"TotalCount": "12", "Items": [{"Port": 9200}]});
//! let object = json::object(&value, "a response").unwrap();
//! assert_eq!(json::i64(object.get("TotalCount"), "TotalCount").unwrap(), Some(12));
//! let items = json::array(object.get("Items"), "Items", false).unwrap().unwrap();
//! let port = json::object(&items[0], "an item").unwrap().get("Port");
//! assert_eq!(json::i32(port, "Port").unwrap(), Some(9200));
//! ```

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::client::ResponseMeta;

/// A response member that does not have the shape its type needs.
///
/// Carries the path of the member (`Result.Nodes[2].Port`), what was
/// expected there and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    expected: String,
    found: String,
}

impl DecodeError {
    /// An error at `key` (empty for the value itself): `expected` is what
    /// the type needs, `found` what the value is.
    #[cold]
    #[inline(never)]
    pub fn new(key: &str, expected: &str, found: &Value) -> Self {
        let found = match found {
            Value::String(s) => format!("{s:?}"),
            Value::Array(_) => "an array".to_owned(),
            Value::Object(_) => "an object".to_owned(),
            other => other.to_string(),
        };
        DecodeError { path: key.to_owned(), expected: expected.to_owned(), found }
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

    /// What the type needed there.
    pub fn expected(&self) -> &str {
        &self.expected
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid value {}, expected {}", self.found, self.expected)
        } else {
            write!(f, "invalid value {} at `{}`, expected {}", self.found, self.path, self.expected)
        }
    }
}

impl std::error::Error for DecodeError {}

/// `v` as an object; `what` names the type for the error.
pub fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, DecodeError> {
    match v {
        Value::Object(map) => Ok(map),
        other => Err(DecodeError::new("", what, other)),
    }
}

/// `v` unless it is absent or `null`.
pub fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// An optional `any` member: a clone of the value, `None` when absent or
/// `null`.
pub fn any(v: Option<&Value>) -> Option<Value> {
    present(v).cloned()
}

/// An optional member holding an object whose members all have one type
/// (a map): the object, `None` when absent or `null`.
pub fn map_entries<'a>(v: Option<&'a Value>, key: &str) -> Result<Option<&'a Map<String, Value>>, DecodeError> {
    match present(v) {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(other) => Err(DecodeError::new(key, "an object", other)),
    }
}

/// An optional map member whose values are `any`: a copy of the object,
/// `None` when absent or `null`.
pub fn any_map(v: Option<&Value>, key: &str) -> Result<Option<BTreeMap<String, Value>>, DecodeError> {
    Ok(map_entries(v, key)?.map(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
}

/// An optional array member: its elements, `None` when absent or `null`.
///
/// With `one_or_many` (set where an operation's own sample shows such
/// shapes), a lone element stands for a one-element array and a string
/// holding a JSON array is parsed; otherwise anything but an array is an
/// error.
pub fn array<'a>(v: Option<&'a Value>, key: &str, one_or_many: bool) -> Result<Option<Cow<'a, [Value]>>, DecodeError> {
    match present(v) {
        None => Ok(None),
        Some(Value::Array(items)) => Ok(Some(Cow::Borrowed(items.as_slice()))),
        Some(Value::String(text)) if one_or_many => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => Ok(Some(Cow::Owned(items))),
            _ => Ok(Some(Cow::Borrowed(std::slice::from_ref(v.unwrap_or(&Value::Null))))),
        },
        Some(one) if one_or_many => Ok(Some(Cow::Borrowed(std::slice::from_ref(one)))),
        Some(other) => Err(DecodeError::new(key, "an array", other)),
    }
}

/// A struct decoded from a JSON object member by member: what every
/// generated response type (and each of its nested types) implements.
///
/// `decode` is infallible: [`Object`] keeps the first member that does not
/// fit, and [`decode()`] returns it. A generated `decode` is therefore one
/// struct literal with no early return per member, which keeps its compiled
/// size linear in the number of members (an early return after member *k*
/// has to drop the *k* members already read, one such path per member).
pub trait Decode: Sized {
    /// Reads every member of `Self` from `object`.
    fn decode(object: &Object<'_>) -> Self;
}

/// Decodes `value` (a JSON object) into `T`, or returns the first member
/// that does not fit, with its path.
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
/// let node: Node = json::decode(&serde_json::json!({"port": "9200", "tags": [1, "a"]})).unwrap();
/// assert_eq!(node, Node { port: Some(9200), tags: Some(vec!["1".into(), "a".into()]) });
///
/// let error = json::decode::<Node>(&serde_json::json!({"tags": [true, {}]})).unwrap_err();
/// assert_eq!(error.to_string(), "invalid value an object at `tags[1]`, expected a string, number, boolean or null");
/// ```
pub fn decode<T: Decode>(value: &Value) -> Result<T, DecodeError> {
    decode_with_meta(value, ResponseMeta::default())
}

/// [`decode()`] for a response body, with the response's metadata for
/// [`Object::meta`].
pub(crate) fn decode_with_meta<T: Decode>(value: &Value, meta: ResponseMeta) -> Result<T, DecodeError> {
    let mut decoded = None;
    decode_erased(value, std::any::type_name::<T>(), meta, &mut |object| decoded = Some(T::decode(object)))?;
    decoded.ok_or_else(|| DecodeError::new("", "a decoded value", value))
}

/// The non-generic part of decoding: `read` is called with the object and
/// stores what it decodes; the first member that did not fit is the error.
/// Keeping this out of the generic wrapper means each response type adds
/// only a few lines to the crates that decode it.
fn decode_erased(value: &Value, type_name: &str, meta: ResponseMeta, read: &mut dyn FnMut(&Object<'_>)) -> Result<(), DecodeError> {
    let short_name = type_name.rsplit("::").next().unwrap_or(type_name);
    let object = Object::new(value, short_name, meta)?;
    read(&object);
    object.finish(())
}

/// The JSON object a generated [`Decode`] reads its members from.
///
/// [`Object::member`] reads one member by its wire name, as whatever type
/// the struct field has ([`Member`]): absent and `null` members are `None`,
/// members nobody asks for are ignored, and scalars follow this module's
/// lenient rules (numbers as strings, 0/1 for booleans). The first member
/// that does not fit is kept, with its path, for [`decode()`] to return.
pub struct Object<'a> {
    members: &'a Map<String, Value>,
    error: Cell<Option<DecodeError>>,
    meta: ResponseMeta,
}

impl fmt::Debug for Object<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Object").field("members", &self.members.len()).finish_non_exhaustive()
    }
}

impl<'a> Object<'a> {
    fn new(value: &'a Value, type_name: &str, meta: ResponseMeta) -> Result<Self, DecodeError> {
        match value {
            Value::Object(members) => Ok(Object { members, error: Cell::new(None), meta }),
            other => Err(DecodeError::new("", &format!("an object ({type_name})"), other)),
        }
    }

    fn finish<T>(self, decoded: T) -> Result<T, DecodeError> {
        match self.error.into_inner() {
            None => Ok(decoded),
            Some(error) => Err(error),
        }
    }

    /// The raw member `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.members.get(key)
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
    /// `T` (the first member that does not fit is the error [`decode()`]
    /// returns).
    pub fn member<T: Member>(&self, key: &str) -> Option<T> {
        let value = present(self.get(key))?;
        match T::read(value) {
            Ok(read) => read,
            Err(error) => {
                self.fail(error.at(key));
                None
            }
        }
    }

    /// Like [`Object::member`] for an array the service also sends as one
    /// bare element or as text holding a JSON array (see [`array()`]); set
    /// where an operation's own sample shows such shapes.
    pub fn one_or_list<T: Member>(&self, key: &str) -> Option<Vec<T>> {
        match array(self.get(key), key, true) {
            Ok(None) => None,
            Ok(Some(items)) => match read_elements(&items) {
                Ok(list) => Some(list),
                Err(error) => {
                    self.fail(error.at(key));
                    None
                }
            },
            Err(error) => {
                self.fail(error);
                None
            }
        }
    }
}

/// A type an [`Object`] member, an array element or a map value can be
/// read as: the lenient scalars, `serde_json::Value`, `Vec`, `BTreeMap`
/// with `String` keys, and every [`Decode`] struct.
pub trait Member: Sized {
    /// What the type needs, for errors (`"a string"`).
    const EXPECTED: &'static str;

    /// Reads a value; `Ok(None)` when it stands for no value (`null`, or
    /// empty text where a number belongs). [`Object::member`] never passes
    /// `null`; array elements and map values may be `null`.
    fn read(value: &Value) -> Result<Option<Self>, DecodeError>;
}

macro_rules! scalar_members {
    ($($ty:ident: $expected:literal),*) => {$(
        impl Member for $ty {
            const EXPECTED: &'static str = $expected;

            fn read(value: &Value) -> Result<Option<Self>, DecodeError> {
                $ty(Some(value), "")
            }
        }
    )*};
}

scalar_members!(i32: "a 32-bit integer", i64: "a 64-bit integer", f32: "a number", f64: "a number", bool: "a boolean");

impl Member for String {
    const EXPECTED: &'static str = "a string";

    fn read(value: &Value) -> Result<Option<Self>, DecodeError> {
        string(Some(value), "")
    }
}

impl Member for Value {
    const EXPECTED: &'static str = "a value";

    fn read(value: &Value) -> Result<Option<Self>, DecodeError> {
        Ok(Some(value.clone()))
    }
}

impl<T: Decode> Member for T {
    const EXPECTED: &'static str = "an object";

    fn read(value: &Value) -> Result<Option<Self>, DecodeError> {
        decode(value).map(Some)
    }
}

impl<T: Member> Member for Vec<T> {
    const EXPECTED: &'static str = "an array";

    fn read(value: &Value) -> Result<Option<Self>, DecodeError> {
        match value {
            Value::Array(items) => read_elements(items).map(Some),
            other => Err(DecodeError::new("", "an array", other)),
        }
    }
}

impl<T: Member> Member for BTreeMap<String, T> {
    const EXPECTED: &'static str = "an object";

    fn read(value: &Value) -> Result<Option<Self>, DecodeError> {
        let Value::Object(entries) = value else {
            return Err(DecodeError::new("", "an object", value));
        };
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            match read_element(value) {
                Ok(read) => out.insert(key.clone(), read),
                Err(error) => return Err(error.at(key)),
            };
        }
        Ok(Some(out))
    }
}

/// Every element of an array. Elements are never optional: a `null` (or
/// empty text where a number belongs) is an error, except for
/// `serde_json::Value` elements, which keep `null` as it is.
fn read_elements<T: Member>(items: &[Value]) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match read_element(item) {
            Ok(read) => out.push(read),
            Err(error) => return Err(error.index(index)),
        }
    }
    Ok(out)
}

fn read_element<T: Member>(value: &Value) -> Result<T, DecodeError> {
    T::read(value)?.ok_or_else(|| null_element(T::EXPECTED))
}

/// The error for a `null` where an element of an array or map needs a
/// value of `expected`.
#[cold]
#[inline(never)]
pub fn null_element(expected: &str) -> DecodeError {
    DecodeError::new("", expected, &Value::Null)
}

fn integer(v: Option<&Value>, key: &str, expected: &str) -> Result<Option<i64>, DecodeError> {
    let Some(v) = present(v) else { return Ok(None) };
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(Some(i));
            }
            match n.as_f64() {
                // A float with no fraction is an integer written loosely (`3.0`).
                Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                _ => Err(DecodeError::new(key, expected, v)),
            }
        }
        Value::String(t) if t.trim().is_empty() => Ok(None),
        Value::String(t) => t.trim().parse().map(Some).map_err(|_| DecodeError::new(key, expected, v)),
        other => Err(DecodeError::new(key, expected, other)),
    }
}

fn float(v: Option<&Value>, key: &str) -> Result<Option<f64>, DecodeError> {
    let Some(v) = present(v) else { return Ok(None) };
    match v {
        Value::Number(n) => n.as_f64().map(Some).ok_or_else(|| DecodeError::new(key, "a number", v)),
        Value::String(t) if t.trim().is_empty() => Ok(None),
        Value::String(t) => t.trim().parse().map(Some).map_err(|_| DecodeError::new(key, "a number", v)),
        other => Err(DecodeError::new(key, "a number", other)),
    }
}

/// An optional string member; numbers and booleans become their text.
pub fn string(v: Option<&Value>, key: &str) -> Result<Option<String>, DecodeError> {
    match present(v) {
        None => Ok(None),
        Some(Value::String(t)) => Ok(Some(t.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(DecodeError::new(key, "a string, number, boolean or null", other)),
    }
}

/// An optional `i32` member from a number or numeric string.
pub fn i32(v: Option<&Value>, key: &str) -> Result<Option<i32>, DecodeError> {
    match integer(v, key, "a 32-bit integer")? {
        None => Ok(None),
        Some(n) => match ::core::primitive::i32::try_from(n) {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(DecodeError::new(key, "a 32-bit integer", &Value::from(n))),
        },
    }
}

/// An optional `i64` member from a number or numeric string.
pub fn i64(v: Option<&Value>, key: &str) -> Result<Option<i64>, DecodeError> {
    integer(v, key, "a 64-bit integer")
}

/// An optional `f32` member from a number or numeric string.
pub fn f32(v: Option<&Value>, key: &str) -> Result<Option<f32>, DecodeError> {
    Ok(float(v, key)?.map(|f| f as f32))
}

/// An optional `f64` member from a number or numeric string.
pub fn f64(v: Option<&Value>, key: &str) -> Result<Option<f64>, DecodeError> {
    float(v, key)
}

/// An optional `bool` member from a boolean, `"true"`/`"false"` (any case)
/// or 0/1.
pub fn bool(v: Option<&Value>, key: &str) -> Result<Option<bool>, DecodeError> {
    let Some(v) = present(v) else { return Ok(None) };
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Number(n) if n.as_u64() == Some(0) => Ok(Some(false)),
        Value::Number(n) if n.as_u64() == Some(1) => Ok(Some(true)),
        Value::String(t) if t.trim().is_empty() => Ok(None),
        Value::String(t) if t.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(t) if t.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(DecodeError::new(key, "a boolean", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
        v.get(key)
    }

    #[test]
    fn numbers_accept_either_spelling() {
        let v = json!({"a": "12", "b": 3, "c": " 7 ", "d": 3.0, "e": "", "f": null, "g": 1.5, "h": "twelve", "i": true});
        assert_eq!(i64(get(&v, "a"), "a"), Ok(Some(12)));
        assert_eq!(i32(get(&v, "b"), "b"), Ok(Some(3)));
        assert_eq!(i32(get(&v, "c"), "c"), Ok(Some(7)));
        assert_eq!(i64(get(&v, "d"), "d"), Ok(Some(3)));
        assert_eq!(i64(get(&v, "e"), "e"), Ok(None));
        assert_eq!(i64(get(&v, "f"), "f"), Ok(None));
        assert_eq!(i64(get(&v, "missing"), "missing"), Ok(None));
        assert!(i64(get(&v, "g"), "g").is_err());
        assert!(i64(get(&v, "h"), "h").is_err());
        assert!(i64(get(&v, "i"), "i").is_err());
        assert!(i32(Some(&json!(9_999_999_999_i64)), "m").is_err());
        assert!(i64(Some(&json!(u64::MAX)), "m").is_err());
        assert!(i64(Some(&json!([1])), "m").is_err());
    }

    #[test]
    fn floats_accept_either_spelling() {
        assert_eq!(f64(Some(&json!("1.5")), "f"), Ok(Some(1.5)));
        assert_eq!(f64(Some(&json!(2)), "f"), Ok(Some(2.0)));
        assert_eq!(f32(Some(&json!(0.5)), "f"), Ok(Some(0.5)));
        assert_eq!(f32(Some(&json!("")), "f"), Ok(None));
        assert_eq!(f64(Some(&Value::Null), "f"), Ok(None));
        assert!(f64(Some(&json!("x")), "f").is_err());
        assert!(f64(Some(&json!(false)), "f").is_err());
    }

    #[test]
    fn strings_accept_scalars_only() {
        assert_eq!(string(Some(&json!(42)), "s"), Ok(Some("42".into())));
        assert_eq!(string(Some(&json!(1.5)), "s"), Ok(Some("1.5".into())));
        assert_eq!(string(Some(&json!(true)), "s"), Ok(Some("true".into())));
        assert_eq!(string(Some(&json!("")), "s"), Ok(Some(String::new())));
        assert_eq!(string(Some(&Value::Null), "s"), Ok(None));
        assert_eq!(string(None, "s"), Ok(None));
        assert!(string(Some(&json!([1])), "s").is_err());
        assert!(string(Some(&json!({})), "s").is_err());
    }

    #[test]
    fn booleans_accept_words_and_bits() {
        assert_eq!(bool(Some(&json!("TRUE")), "b"), Ok(Some(true)));
        assert_eq!(bool(Some(&json!(" false ")), "b"), Ok(Some(false)));
        assert_eq!(bool(Some(&json!(0)), "b"), Ok(Some(false)));
        assert_eq!(bool(Some(&json!(1)), "b"), Ok(Some(true)));
        assert_eq!(bool(Some(&json!(true)), "b"), Ok(Some(true)));
        assert_eq!(bool(Some(&json!("")), "b"), Ok(None));
        assert_eq!(bool(None, "b"), Ok(None));
        assert!(bool(Some(&json!("yes")), "b").is_err());
        assert!(bool(Some(&json!(2)), "b").is_err());
        assert!(bool(Some(&json!(1.0)), "b").is_err());
    }

    #[test]
    fn any_keeps_the_value() {
        assert_eq!(any(Some(&json!({"a": 1}))), Some(json!({"a": 1})));
        assert_eq!(any(Some(&Value::Null)), None);
        assert_eq!(any(None), None);
    }

    #[test]
    fn arrays_take_one_or_many_only_when_asked() {
        let items = |v: Value, one: bool| array(Some(&v), "v", one).map(|o| o.map(|c| c.into_owned()));
        assert_eq!(items(json!([1, 2]), false), Ok(Some(vec![json!(1), json!(2)])));
        assert_eq!(items(json!(3), true), Ok(Some(vec![json!(3)])));
        assert_eq!(items(json!("[4,5]"), true), Ok(Some(vec![json!(4), json!(5)])));
        assert_eq!(items(json!("x"), true), Ok(Some(vec![json!("x")])));
        assert_eq!(items(Value::Null, true), Ok(None));
        assert_eq!(array(None, "v", false), Ok(None));
        assert!(items(json!(3), false).is_err());
        assert!(items(json!("[4,5]"), false).is_err());
    }

    #[test]
    fn maps_and_objects() {
        let v = json!({"a": 1});
        assert_eq!(map_entries(Some(&v), "m").unwrap().map(|m| m.len()), Some(1));
        assert_eq!(map_entries(None, "m"), Ok(None));
        assert_eq!(any_map(Some(&v), "m").unwrap().and_then(|m| m.get("a").cloned()), Some(json!(1)));
        assert_eq!(any_map(Some(&Value::Null), "m"), Ok(None));
        assert!(any_map(Some(&json!(1)), "m").is_err());
        assert!(map_entries(Some(&json!([])), "m").is_err());
        assert!(object(&v, "a thing").is_ok());
        let e = object(&json!("x"), "a thing").unwrap_err();
        assert_eq!(e.to_string(), "invalid value \"x\", expected a thing");
    }

    #[test]
    fn errors_carry_the_path() {
        let e = i32(Some(&json!("port")), "Port").unwrap_err().index(2).at("Nodes").at("Result");
        assert_eq!(e.path(), "Result.Nodes[2].Port");
        assert_eq!(e.expected(), "a 32-bit integer");
        assert_eq!(e.to_string(), "invalid value \"port\" at `Result.Nodes[2].Port`, expected a 32-bit integer");
        let e = null_element("a string").index(1).index(0).at("").at("Grid");
        assert_eq!(e.path(), "Grid[0][1]");
        assert_eq!(e.to_string(), "invalid value null at `Grid[0][1]`, expected a string");
        let e: Box<dyn std::error::Error> = Box::new(e);
        assert!(e.to_string().contains("Grid"));
    }
}
