//! Lenient deserializers for optional scalar response members.
//!
//! Alibaba's services do not always send the JSON type their pages promise:
//! numbers arrive as strings (`"TotalCount": "12"`), strings as numbers, and
//! booleans as `"true"`. These functions fit serde's derive
//! (`#[serde(default, deserialize_with = "aliyun_runtime::de::i64")]`) so a
//! spelling difference never fails a whole response. `null` is `None`.
//! Generated response types decode with [`crate::json`] instead, which
//! follows the same rules without per-member generic code.
//! A value that cannot mean the type (a word where a number belongs) is
//! still an error, so real mismatches are not hidden.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A scalar as it arrived, before conversion.
enum Scalar {
    Text(String),
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Bool(bool),
    Null,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

fn invalid<E: de::Error>(what: &str, expected: &str) -> E {
    E::custom(format_args!("invalid value {what:?}, expected {expected}"))
}

/// An optional integer that may arrive as a number or numeric string.
fn integer<'de, D: Deserializer<'de>>(d: D, expected: &str) -> Result<Option<i64>, D::Error> {
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Signed(v) => Ok(Some(v)),
        Scalar::Unsigned(v) => i64::try_from(v).map(Some).map_err(|_| invalid(&v.to_string(), expected)),
        // A float with no fraction is an integer written loosely (`3.0`).
        Scalar::Float(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => Ok(Some(v as i64)),
        Scalar::Text(t) if t.trim().is_empty() => Ok(None),
        Scalar::Text(t) => t.trim().parse().map(Some).map_err(|_| invalid(&t, expected)),
        Scalar::Float(v) => Err(invalid(&v.to_string(), expected)),
        Scalar::Bool(v) => Err(invalid(&v.to_string(), expected)),
    }
}

/// An optional float that may arrive as a number or numeric string.
fn float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Signed(v) => Ok(Some(v as f64)),
        Scalar::Unsigned(v) => Ok(Some(v as f64)),
        Scalar::Float(v) => Ok(Some(v)),
        Scalar::Text(t) if t.trim().is_empty() => Ok(None),
        Scalar::Text(t) => t.trim().parse().map(Some).map_err(|_| invalid(&t, "a number")),
        Scalar::Bool(v) => Err(invalid(&v.to_string(), "a number")),
    }
}

/// `Option<String>` from a string, number or boolean.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match scalar(d)? {
        Scalar::Null => None,
        Scalar::Text(t) => Some(t),
        Scalar::Signed(v) => Some(v.to_string()),
        Scalar::Unsigned(v) => Some(v.to_string()),
        Scalar::Float(v) => Some(v.to_string()),
        Scalar::Bool(v) => Some(v.to_string()),
    })
}

/// `Option<i32>` from a number or numeric string.
pub fn i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    match integer(d, "a 32-bit integer")? {
        None => Ok(None),
        Some(v) => ::core::primitive::i32::try_from(v).map(Some).map_err(|_| invalid(&v.to_string(), "a 32-bit integer")),
    }
}

/// `Option<i64>` from a number or numeric string.
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    integer(d, "a 64-bit integer")
}

/// `Option<f32>` from a number or numeric string.
pub fn f32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
    Ok(float(d)?.map(|v| v as f32))
}

/// `Option<f64>` from a number or numeric string.
pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    float(d)
}

/// `Option<bool>` from a boolean, `"true"`/`"false"` (any case), or 0/1.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Bool(v) => Ok(Some(v)),
        Scalar::Signed(0) | Scalar::Unsigned(0) => Ok(Some(false)),
        Scalar::Signed(1) | Scalar::Unsigned(1) => Ok(Some(true)),
        Scalar::Text(t) if t.trim().is_empty() => Ok(None),
        Scalar::Text(t) if t.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Scalar::Text(t) if t.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        Scalar::Text(t) => Err(invalid(&t, "a boolean")),
        Scalar::Signed(v) => Err(invalid(&v.to_string(), "a boolean")),
        Scalar::Unsigned(v) => Err(invalid(&v.to_string(), "a boolean")),
        Scalar::Float(v) => Err(invalid(&v.to_string(), "a boolean")),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(default, deserialize_with = "super::i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "super::i32")]
        m: Option<i32>,
        #[serde(default, deserialize_with = "super::string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "super::bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "super::f64")]
        f: Option<f64>,
    }

    fn parse(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn accepts_either_spelling() {
        let t = parse(r#"{"n":"12","m":3,"s":42,"b":"TRUE","f":"1.5"}"#).expect("parses");
        assert_eq!(t, T { n: Some(12), m: Some(3), s: Some("42".into()), b: Some(true), f: Some(1.5) });
        let t = parse(r#"{"n":null,"m":"","s":null,"b":0}"#).expect("parses");
        assert_eq!(t, T { n: None, m: None, s: None, b: Some(false), f: None });
        let t = parse("{}").expect("parses");
        assert_eq!(t, T { n: None, m: None, s: None, b: None, f: None });
    }

    #[test]
    fn rejects_what_cannot_be_the_type() {
        assert!(parse(r#"{"n":"twelve"}"#).is_err());
        assert!(parse(r#"{"m":9999999999}"#).is_err());
        assert!(parse(r#"{"b":"yes"}"#).is_err());
        assert!(parse(r#"{"n":1.5}"#).is_err());
    }
}

/// `Option<Vec<T>>` that also accepts a single element, or a string holding
/// a JSON array. Used only where an operation's own sample response shows
/// such a shape (pages converted from XML often lose one-element arrays).
pub fn one_or_many<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::Deserialize as _;
    let value = serde_json::Value::deserialize(d)?;
    let items = match value {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Array(items) => items,
        serde_json::Value::String(text) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Array(items)) => items,
            _ => vec![serde_json::Value::String(text)],
        },
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| serde_json::from_value(item).map_err(de::Error::custom))
        .collect::<Result<Vec<T>, D::Error>>()
        .map(Some)
}

#[cfg(test)]
mod one_or_many_tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(default, deserialize_with = "super::one_or_many")]
        v: Option<Vec<u32>>,
    }

    #[test]
    fn accepts_every_shape() {
        let parse = |j: &str| serde_json::from_str::<T>(j).expect("parses").v;
        assert_eq!(parse(r#"{"v":[1,2]}"#), Some(vec![1, 2]));
        assert_eq!(parse(r#"{"v":3}"#), Some(vec![3]));
        assert_eq!(parse(r#"{"v":"[4,5]"}"#), Some(vec![4, 5]));
        assert_eq!(parse(r#"{"v":null}"#), None);
        assert_eq!(parse("{}"), None);
        assert!(serde_json::from_str::<T>(r#"{"v":"x"}"#).is_err());
    }
}
