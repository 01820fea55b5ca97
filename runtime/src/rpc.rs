//! RPC parameters on the wire: the official `query` flattening.
//!
//! RPC products take structured parameters and send them flattened, with
//! the same rule as the official SDKs' `Utils.query`:
//!
//! - a list is `Name.1=..&Name.2=..`, numbered from 1 (an empty list
//!   disappears);
//! - an object is `Name.Field=..`; any depth combines
//!   (`LaunchConfiguration.DataDisk.2.Size=8`);
//! - booleans are `true`/`false`, integers as written, floats in the
//!   shortest form that reads back exactly (`1.5`), never `NaN` or `inf`;
//! - a map ("shrink" parameter) is one JSON string with its keys in a
//!   stable (sorted) order.
//!
//! Generated parameter structs implement [`FlatParam`] by naming each member
//! with [`Flattener::member`]; the leaves are implemented here once.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// A value an RPC request sends flattened into query pairs.
pub trait FlatParam {
    /// Writes the pairs of this value under the name `prefix`.
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>);
}

/// Where [`FlatParam::flatten`] writes: the request's pairs, and the first
/// construction error (naming the parameter) if a value cannot be sent.
pub struct Flattener<'a> {
    pub(crate) pairs: &'a mut Vec<(Cow<'static, str>, String)>,
    pub(crate) error: &'a mut Option<String>,
}

impl Flattener<'_> {
    /// Writes the member `name` of the object under `prefix`
    /// (`prefix.name`).
    pub fn member(&mut self, prefix: &str, name: &str, value: &(impl FlatParam + ?Sized)) {
        let mut key = String::with_capacity(prefix.len() + 1 + name.len());
        key.push_str(prefix);
        key.push('.');
        key.push_str(name);
        value.flatten(&key, self);
    }

    /// Writes one pair (a later pair of the same name replaces it).
    pub fn pair(&mut self, name: &str, value: String) {
        match self.pairs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.pairs.push((Cow::Owned(name.to_owned()), value)),
        }
    }

    /// Records a construction error about the parameter `name`; the first
    /// one is reported when the request is sent.
    pub fn fail(&mut self, name: &str, message: &str) {
        if self.error.is_none() {
            *self.error = Some(format!("parameter {name}: {message}"));
        }
    }

    /// Checks the length of the list member `name` of the object under
    /// `prefix`: more than `max` items (the `N` its spec allows) is a
    /// construction error naming `prefix.name`.
    pub fn max_len(&mut self, prefix: &str, name: &str, len: usize, max: usize) {
        if len > max {
            self.fail(&format!("{prefix}.{name}"), &too_many(len, max));
        }
    }
}

/// The construction error of a list longer than its spec allows.
pub(crate) fn too_many(len: usize, max: usize) -> String {
    format!("{len} items, at most {max} allowed")
}

impl<T: FlatParam + ?Sized> FlatParam for &T {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        (**self).flatten(prefix, out);
    }
}

impl<T: FlatParam> FlatParam for Option<T> {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        if let Some(value) = self {
            value.flatten(prefix, out);
        }
    }
}

impl<T: FlatParam> FlatParam for Vec<T> {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        self.as_slice().flatten(prefix, out);
    }
}

impl<T: FlatParam> FlatParam for [T] {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        for (i, item) in self.iter().enumerate() {
            item.flatten(&format!("{prefix}.{}", i + 1), out);
        }
    }
}

impl FlatParam for str {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        out.pair(prefix, self.to_owned());
    }
}

impl FlatParam for String {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        out.pair(prefix, self.clone());
    }
}

impl FlatParam for bool {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        out.pair(prefix, if *self { "true" } else { "false" }.to_owned());
    }
}

macro_rules! flat_integer {
    ($($t:ty),*) => {$(
        impl FlatParam for $t {
            fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
                out.pair(prefix, self.to_string());
            }
        }
    )*};
}
flat_integer!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

macro_rules! flat_float {
    ($($t:ty),*) => {$(
        /// Rust's `Display` of a float is the shortest text that reads
        /// back to the same value, with no exponent (`1.5`, `0.1`).
        impl FlatParam for $t {
            fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
                if self.is_finite() {
                    out.pair(prefix, self.to_string());
                } else {
                    out.fail(prefix, &format!("{self} is not a finite number"));
                }
            }
        }
    )*};
}
flat_float!(f32, f64);

/// A "shrink" parameter: the whole map as one JSON string, keys sorted.
impl<V: serde::Serialize> FlatParam for BTreeMap<String, V> {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        match serde_json::to_string(self) {
            Ok(text) => out.pair(prefix, text),
            Err(e) => out.fail(prefix, &e.to_string()),
        }
    }
}

/// Any JSON value the caller supplies travels as JSON text; a string
/// travels as the string itself.
impl FlatParam for serde_json::Value {
    fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.pair(prefix, s.clone()),
            other => out.pair(prefix, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tag {
        key: Option<String>,
        value: Option<String>,
    }

    impl FlatParam for Tag {
        fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
            out.member(prefix, "Key", &self.key);
            out.member(prefix, "Value", &self.value);
        }
    }

    struct Launch {
        data_disk: Vec<Disk>,
    }
    struct Disk {
        size: i32,
    }
    impl FlatParam for Disk {
        fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
            out.member(prefix, "Size", &self.size);
        }
    }
    impl FlatParam for Launch {
        fn flatten(&self, prefix: &str, out: &mut Flattener<'_>) {
            out.member(prefix, "DataDisk", &self.data_disk);
        }
    }

    fn flat(name: &str, value: &dyn Fn(&str, &mut Flattener<'_>)) -> (Vec<(String, String)>, Option<String>) {
        let mut pairs = Vec::new();
        let mut error = None;
        value(name, &mut Flattener { pairs: &mut pairs, error: &mut error });
        (pairs.into_iter().map(|(k, v)| (k.into_owned(), v)).collect(), error)
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn nested_lists_longer_than_allowed_name_their_path() {
        let (_, error) = flat("Nic.2", &|p, o| o.max_len(p, "GroupIds", 3, 2));
        assert_eq!(error.as_deref(), Some("parameter Nic.2.GroupIds: 3 items, at most 2 allowed"));
        let (_, error) = flat("Nic.2", &|p, o| o.max_len(p, "GroupIds", 2, 2));
        assert_eq!(error, None);
    }

    #[test]
    fn lists_objects_and_depth() {
        let ids = vec!["i-1".to_owned(), "i-2".to_owned()];
        assert_eq!(
            flat("InstanceId", &|p, o| ids.flatten(p, o)).0,
            owned(&[("InstanceId.1", "i-1"), ("InstanceId.2", "i-2")])
        );
        let tags =
            vec![Tag { key: Some("k".into()), value: None }, Tag { key: Some("k2".into()), value: Some("v2".into()) }];
        assert_eq!(
            flat("Tag", &|p, o| tags.flatten(p, o)).0,
            owned(&[("Tag.1.Key", "k"), ("Tag.2.Key", "k2"), ("Tag.2.Value", "v2")])
        );
        let launch = Launch { data_disk: vec![Disk { size: 7 }, Disk { size: 8 }] };
        assert_eq!(
            flat("LaunchConfiguration", &|p, o| launch.flatten(p, o)).0,
            owned(&[("LaunchConfiguration.DataDisk.1.Size", "7"), ("LaunchConfiguration.DataDisk.2.Size", "8")])
        );
        let empty: Vec<String> = Vec::new();
        assert!(flat("X", &|p, o| empty.flatten(p, o)).0.is_empty());
    }

    #[test]
    fn scalars() {
        assert_eq!(flat("B", &|p, o| false.flatten(p, o)).0, owned(&[("B", "false")]));
        assert_eq!(flat("F", &|p, o| 1.5f64.flatten(p, o)).0, owned(&[("F", "1.5")]));
        assert_eq!(flat("F", &|p, o| 0.1f32.flatten(p, o)).0, owned(&[("F", "0.1")]));
        assert_eq!(flat("F", &|p, o| 1e21f64.flatten(p, o)).0, owned(&[("F", "1000000000000000000000")]));
        assert_eq!(flat("N", &|p, o| (-7i64).flatten(p, o)).0, owned(&[("N", "-7")]));
        let (pairs, error) = flat("Price", &|p, o| f64::NAN.flatten(p, o));
        assert!(pairs.is_empty());
        assert_eq!(error.as_deref(), Some("parameter Price: NaN is not a finite number"));
        let (_, error) = flat("Disk.1.Price", &|p, o| f32::INFINITY.flatten(p, o));
        assert!(error.is_some_and(|e| e.contains("Disk.1.Price")));
    }

    #[test]
    fn shrink_maps_have_sorted_keys() {
        let map: BTreeMap<String, serde_json::Value> =
            [("z".to_owned(), serde_json::json!(1)), ("a".to_owned(), serde_json::json!({"y": 2, "b": [true]}))]
                .into_iter()
                .collect();
        assert_eq!(
            flat("Parameters", &|p, o| map.flatten(p, o)).0,
            owned(&[("Parameters", r#"{"a":{"b":[true],"y":2},"z":1}"#)])
        );
    }
}
