//! What one generated operation call builds: method, path, query, headers and
//! body, before endpoint, credentials and signing are applied.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::rpc::{FlatParam, Flattener};
use crate::sign::percent_encode_into;

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `HEAD`
    Head,
}

impl Method {
    /// The upper-case wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }

    /// Methods that read only, so resending cannot change server state.
    pub fn is_safe(self) -> bool {
        matches!(self, Method::Get | Method::Head)
    }
}

/// A value that can travel in a query string or header. `None` means "not
/// sent".
pub trait ParamValue {
    /// The raw (not yet encoded) text, or `None` to omit the parameter.
    fn to_param(&self) -> Option<String>;
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Option<String> {
        (**self).to_param()
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Option<String> {
        Some(if *self { "true" } else { "false" }.to_owned())
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}
display_param!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64);

impl<T: ParamValue> ParamValue for Option<T> {
    fn to_param(&self) -> Option<String> {
        self.as_ref().and_then(ParamValue::to_param)
    }
}

/// Arrays travel as JSON text (`["a","b"]`), as the official SDK sends them.
impl<T: serde::Serialize> ParamValue for Vec<T> {
    fn to_param(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// Maps travel as JSON object text, like arrays.
impl<K: serde::Serialize + Ord, V: serde::Serialize> ParamValue for BTreeMap<K, V> {
    fn to_param(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// Maps travel as JSON object text, like arrays.
impl<K: serde::Serialize + Eq + std::hash::Hash, V: serde::Serialize, S> ParamValue for HashMap<K, V, S> {
    fn to_param(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// One operation call, as the generated code assembles it.
///
/// Non-generic on purpose: every generated operation funnels into the same
/// compiled code, only [`Request::json_body`] is instantiated per body type.
///
/// `Debug` shows the body's length, not its bytes: bodies can be large and
/// can hold what callers would not log (passwords of instances, for one).
#[derive(Clone)]
pub struct Request {
    pub(crate) action: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(Cow<'static, str>, String)>,
    /// `Err` holds a serialization failure, reported by `send`.
    pub(crate) body: Option<Result<Vec<u8>, String>>,
    pub(crate) client_token: Option<&'static str>,
    /// The operation is read-only or idempotent (a fact of its spec).
    pub(crate) idempotent: bool,
    /// The first construction error (a bad value, naming its parameter),
    /// reported by `send` instead of sending a wrong request.
    pub(crate) invalid: Option<String>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.body.as_ref().map(|b| b.as_ref().map(Vec::len));
        f.debug_struct("Request")
            .field("action", &self.action)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body_len", &body)
            .field("client_token", &self.client_token)
            .field("idempotent", &self.idempotent)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl Request {
    /// Starts a request for the operation `action` (sent as `x-acs-action`).
    pub fn new(action: &'static str, method: Method) -> Request {
        Request {
            action,
            method,
            path: String::with_capacity(64),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            client_token: None,
            idempotent: false,
            invalid: None,
        }
    }

    /// Appends a literal piece of the path template as is, e.g.
    /// `"/openapi/logstashes/"`.
    pub fn path_literal(&mut self, segment: &'static str) {
        self.path.push_str(segment);
    }

    /// Appends the path parameter `name`, percent-encoded completely (RFC
    /// 3986 unreserved characters kept; `/` becomes `%2F`, space `%20`) so a
    /// value can never change the path structure.
    ///
    /// An empty value (it would give `//`) and the dot segments `.` and `..`
    /// (HTTP clients remove them, encoded or not, so the signed path would
    /// not be the sent one) are construction errors naming the parameter.
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        match value {
            "" => self.invalid(name, "a path value must not be empty"),
            "." | ".." => self.invalid(name, "a path value must not be `.` or `..`"),
            _ => {}
        }
        percent_encode_into(&mut self.path, value);
    }

    /// Sends the RPC parameter `name` flattened (`Name.1`, `Tag.1.Key`,
    /// `A.B.2.C`; see the RPC flattening rules). An unsendable value (a non-finite
    /// float) is a construction error naming it.
    pub fn flat(&mut self, name: &'static str, value: &(impl FlatParam + ?Sized)) {
        let mut out = Flattener { pairs: &mut self.query, error: &mut self.invalid };
        value.flatten(name, &mut out);
    }

    /// Checks the length of the list parameter `name` before it is sent: a
    /// required list must not be empty (the official flattening would drop
    /// it silently), and a list must not be longer than the `N` its spec
    /// allows.
    pub fn list_len(&mut self, name: &'static str, len: usize, required: bool, max: Option<usize>) {
        if required && len == 0 {
            self.invalid(name, "a required list must have at least one item");
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.invalid(name, &crate::rpc::too_many(len, max));
        }
    }

    /// Records a construction error about `name`; the first one wins.
    fn invalid(&mut self, name: &str, message: &str) {
        if self.invalid.is_none() {
            self.invalid = Some(format!("parameter {name}: {message}"));
        }
    }

    /// The first construction error, if a value could not be sent.
    pub fn construction_error(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// Sets a query parameter; a value whose [`ParamValue::to_param`] is
    /// `None` is not sent. Setting a name again replaces the earlier value.
    pub fn query(&mut self, name: &'static str, value: impl ParamValue) {
        if let Some(text) = value.to_param() {
            set_pair(&mut self.query, Cow::Borrowed(name), text);
        }
    }

    /// Sets a request header; `None` values are not sent.
    pub fn header(&mut self, name: &'static str, value: impl ParamValue) {
        if let Some(text) = value.to_param() {
            set_pair(&mut self.headers, Cow::Borrowed(name), text);
        }
    }

    /// Serializes `body` as the JSON request body. A serialization failure is
    /// kept and returned by `send` as [`Error::Construction`](crate::Error::Construction).
    pub fn json_body(&mut self, body: &impl serde::Serialize) {
        self.body = Some(serde_json::to_vec(body).map_err(|e| format!("request body: {e}")));
    }

    /// Uses `json` as the body text unchanged: for operations whose body is
    /// opaque JSON the caller supplies.
    pub fn raw_json_body(&mut self, json: impl Into<String>) {
        self.body = Some(Ok(json.into().into_bytes()));
    }

    /// Declares that the operation takes the idempotency token query parameter
    /// `name`. If the caller did not set it, `send` fills a fresh token once
    /// per logical call, so every retry carries the same value; this is also
    /// what makes retrying a non-GET request safe.
    pub fn client_token(&mut self, name: &'static str) {
        self.client_token = Some(name);
    }

    /// Declares that the operation is read-only or idempotent, so sending
    /// it again after an unknown outcome (a 5xx answer, a timeout, a broken
    /// connection) cannot apply a change twice. For facts the spec states;
    /// RPC operations are all `POST`, so their method says nothing.
    pub fn idempotent(&mut self) {
        self.idempotent = true;
    }

    /// The operation name.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path as it will be sent (already encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Query pairs with raw (not encoded) values, in insertion order.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// Operation-specific headers, in insertion order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// The body bytes, if a body was set and serialized successfully.
    pub fn body(&self) -> Option<&[u8]> {
        match &self.body {
            Some(Ok(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// Whether resending after an unknown outcome cannot apply the change
    /// twice: a read-only method (`GET`/`HEAD`), an idempotency token (a
    /// declared [`Request::client_token`], or a `ClientToken`/`clientToken`
    /// query parameter set by hand), or an operation declared
    /// [`Request::idempotent`].
    pub fn is_retry_safe(&self) -> bool {
        self.method.is_safe() || self.idempotent || self.has_client_token()
    }

    fn has_client_token(&self) -> bool {
        self.client_token.is_some()
            || self.query.iter().any(|(k, v)| (k == "ClientToken" || k == "clientToken") && !v.is_empty())
    }

    pub(crate) fn has_query(&self, name: &str) -> bool {
        self.query.iter().any(|(k, _)| k == name)
    }

    pub(crate) fn push_query(&mut self, name: Cow<'static, str>, value: String) {
        set_pair(&mut self.query, name, value);
    }

    pub(crate) fn push_header(&mut self, name: Cow<'static, str>, value: String) {
        set_pair(&mut self.headers, name, value);
    }
}

fn set_pair(pairs: &mut Vec<(Cow<'static, str>, String)>, name: Cow<'static, str>, value: String) {
    match pairs.iter_mut().find(|(k, _)| *k == name) {
        Some(slot) => slot.1 = value,
        None => pairs.push((name, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_values() {
        assert_eq!(true.to_param().as_deref(), Some("true"));
        assert_eq!(false.to_param().as_deref(), Some("false"));
        assert_eq!(7i32.to_param().as_deref(), Some("7"));
        assert_eq!((-7i64).to_param().as_deref(), Some("-7"));
        assert_eq!(7u32.to_param().as_deref(), Some("7"));
        assert_eq!(u64::MAX.to_param().as_deref(), Some("18446744073709551615"));
        assert_eq!(1.5f32.to_param().as_deref(), Some("1.5"));
        assert_eq!(2.25f64.to_param().as_deref(), Some("2.25"));
        assert_eq!("x".to_param().as_deref(), Some("x"));
        assert_eq!(String::from("y").to_param().as_deref(), Some("y"));
        assert_eq!(None::<i32>.to_param(), None);
        assert_eq!(Some(3u64).to_param().as_deref(), Some("3"));
        assert_eq!(vec!["a".to_owned(), "b c".to_owned()].to_param().as_deref(), Some(r#"["a","b c"]"#));
        assert_eq!(vec![1, 2].to_param().as_deref(), Some("[1,2]"));
        let map: BTreeMap<&str, i32> = [("k", 1)].into_iter().collect();
        assert_eq!(map.to_param().as_deref(), Some(r#"{"k":1}"#));
        fn by_value(v: impl ParamValue) -> Option<String> {
            v.to_param()
        }
        let held = Some(true);
        let borrowed: &Option<bool> = &held;
        assert_eq!(by_value(borrowed).as_deref(), Some("true"));
    }

    #[test]
    fn path_params_are_fully_encoded() {
        let mut r = Request::new("X", Method::Get);
        r.path_literal("/openapi/instances/");
        r.path_param("Id", "es-cn/1 a*~");
        r.path_literal("/actions/resume");
        assert_eq!(r.path(), "/openapi/instances/es-cn%2F1%20a%2A~/actions/resume");
    }

    /// Regression: `.`/`..` were sent as they are (the HTTP client removed
    /// them and the signature failed) and an empty value gave `//`.
    #[test]
    fn bad_path_values_are_construction_errors() {
        for (value, message) in [(".", "`.` or `..`"), ("..", "`.` or `..`"), ("", "empty")] {
            let mut r = Request::new("X", Method::Get);
            r.path_literal("/a/");
            r.path_param("InstanceId", value);
            let error = r.construction_error().unwrap_or_default();
            assert!(error.contains("InstanceId") && error.contains(message), "{value:?}: {error}");
        }
        let mut r = Request::new("X", Method::Get);
        r.path_param("Id", ".a..");
        assert_eq!(r.construction_error(), None);
    }

    #[test]
    fn list_lengths() {
        let mut r = Request::new("X", Method::Post);
        r.list_len("InstanceId", 0, false, Some(2));
        r.list_len("InstanceId", 2, true, Some(2));
        assert_eq!(r.construction_error(), None);
        r.list_len("Tag", 3, false, Some(2));
        assert_eq!(r.construction_error(), Some("parameter Tag: 3 items, at most 2 allowed"));
        let mut r = Request::new("X", Method::Post);
        r.list_len("InstanceId", 0, true, None);
        assert!(r.construction_error().is_some_and(|e| e.contains("InstanceId")));
    }

    #[test]
    fn flat_parameters() {
        let mut r = Request::new("X", Method::Post);
        r.flat("InstanceId", &vec!["a".to_owned(), "b".to_owned()]);
        r.flat("DryRun", &Some(false));
        r.flat("Price", &f64::INFINITY);
        assert_eq!(
            r.query_pairs().collect::<Vec<_>>(),
            vec![("InstanceId.1", "a"), ("InstanceId.2", "b"), ("DryRun", "false")]
        );
        assert!(r.construction_error().is_some_and(|e| e.contains("Price")));
    }

    #[test]
    fn none_is_not_sent_and_names_replace() {
        let mut r = Request::new("X", Method::Get);
        r.query("a", None::<String>);
        r.query("b", 1);
        r.query("b", 2);
        r.header("h", None::<bool>);
        assert_eq!(r.query_pairs().collect::<Vec<_>>(), vec![("b", "2")]);
        assert_eq!(r.headers().count(), 0);
    }

    #[test]
    fn body_and_retry_safety() {
        let mut r = Request::new("X", Method::Post);
        assert!(!r.is_retry_safe());
        r.client_token("clientToken");
        assert!(r.is_retry_safe());
        r.json_body(&serde_json::json!({"a": 1}));
        assert_eq!(r.body(), Some(&b"{\"a\":1}"[..]));
        assert!(format!("{r:?}").contains("body_len: Some(Ok(7))"), "{r:?}");
        assert!(Request::new("Y", Method::Get).is_retry_safe());
        let mut by_hand = Request::new("Z", Method::Post);
        by_hand.query("ClientToken", "");
        assert!(!by_hand.is_retry_safe(), "an empty token is no token");
        by_hand.query("ClientToken", "t-1");
        assert!(by_hand.is_retry_safe());
        let mut marked = Request::new("DescribeThings", Method::Post);
        marked.idempotent();
        assert!(marked.is_retry_safe());
    }
}
