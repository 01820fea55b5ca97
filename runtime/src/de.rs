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

use serde::Deserialize as _;
use serde::de::{self, Deserializer};
use serde_json::Value;

use crate::json;

/// Reads the member as JSON and applies `read`, the matching reader of
/// [`crate::json`], so both paths share one set of rules.
fn with<'de, D, T>(d: D, read: fn(Option<&Value>, &str) -> Result<Option<T>, json::DecodeError>) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    // `null` needs no `Option` here: the readers take it as no value.
    let value = Value::deserialize(d)?;
    read(Some(&value), "").map_err(de::Error::custom)
}

/// `Option<String>` from a string, number or boolean.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    with(d, json::string)
}

/// `Option<i32>` from a number or numeric string.
pub fn i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    with(d, json::i32)
}

/// `Option<i64>` from a number or numeric string.
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    with(d, json::i64)
}

/// `Option<f32>` from a number or numeric string.
pub fn f32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
    with(d, json::f32)
}

/// `Option<f64>` from a number or numeric string.
pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    with(d, json::f64)
}

/// `Option<bool>` from a boolean, `"true"`/`"false"` (any case), or 0/1.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    with(d, json::bool)
}

/// `Option<Vec<T>>` that also accepts a single element, or a string holding
/// a JSON array (pages converted from XML often lose one-element arrays).
pub fn one_or_many<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Value::deserialize(d)?;
    let Some(items) = json::array(Some(&value), "", true).map_err(de::Error::custom)? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|item| T::deserialize(item).map_err(de::Error::custom))
        .collect::<Result<Vec<T>, D::Error>>()
        .map(Some)
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
