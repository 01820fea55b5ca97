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
    /// How `body` is encoded, which decides its `content-type`.
    pub(crate) body_encoding: BodyEncoding,
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
            .field("body_encoding", &self.body_encoding)
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
            body_encoding: BodyEncoding::Json,
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

    /// Serializes `body` as the JSON request body, the members of every
    /// object in name order (as the official clients write them, so the
    /// signed bytes agree). A serialization failure is
    /// kept and returned by `send` as [`Error::Construction`](crate::Error::Construction).
    pub fn json_body(&mut self, body: &impl serde::Serialize) {
        self.body = Some(serde_json::to_value(body).map_err(|e| format!("request body: {e}")).and_then(sorted_json));
        self.body_encoding = BodyEncoding::Json;
    }

    /// Replaces the body with the JSON `body` (a per-call extra), whatever
    /// the operation built, members in name order like any JSON body.
    pub(crate) fn replace_json_body(&mut self, body: &serde_json::Value) {
        self.body = Some(sorted_json(body.clone()));
        self.body_encoding = BodyEncoding::Json;
    }

    /// Uses `json` as the body text unchanged: for operations whose body is
    /// opaque JSON the caller supplies.
    pub fn raw_json_body(&mut self, json: impl Into<String>) {
        self.body = Some(Ok(json.into().into_bytes()));
        self.body_encoding = BodyEncoding::Json;
    }

    /// Sends the members of `body` (a struct or map) form-encoded
    /// (`application/x-www-form-urlencoded`), as the official clients do for
    /// the operations whose spec says so: members in name order, absent ones
    /// left out, strings as they are, numbers and booleans as written,
    /// structured members as JSON text. Anything but an object is kept as a
    /// construction error, reported by `send`.
    pub fn form_body(&mut self, body: &impl serde::Serialize) {
        self.body_encoding = BodyEncoding::Form;
        self.body = Some(match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(members)) => Ok(form_encode(members)),
            Ok(other) => Err(format!("request body: a form body is an object of members, not {other}")),
            Err(e) => Err(format!("request body: {e}")),
        });
    }

    /// Adds the member `name` to the body (a per-call extra), creating a
    /// JSON object body when there is none. A form body stays in name order;
    /// a JSON body must be an object, whose members are then written in name
    /// order too.
    pub(crate) fn push_body_field(&mut self, name: &str, value: &serde_json::Value) {
        let Some(Ok(bytes)) = &self.body else {
            if self.body.is_none() {
                let mut members = serde_json::Map::new();
                members.insert(name.to_owned(), value.clone());
                self.body = Some(sorted_json(serde_json::Value::Object(members)));
            }
            return;
        };
        self.body = Some(match self.body_encoding {
            BodyEncoding::Form => {
                let mut members: serde_json::Map<String, serde_json::Value> = form_decode(bytes);
                members.insert(name.to_owned(), value.clone());
                Ok(form_encode(members))
            }
            BodyEncoding::Json => match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes) {
                Ok(mut members) => {
                    members.insert(name.to_owned(), value.clone());
                    sorted_json(serde_json::Value::Object(members))
                }
                Err(_) => Err(format!("extra body field {name}: the operation's JSON body is not an object")),
            },
        });
    }

    /// How the body is encoded.
    pub fn body_encoding(&self) -> BodyEncoding {
        self.body_encoding
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

/// How a request body travels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON text, `application/json; charset=utf-8`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded` pairs.
    Form,
}

impl BodyEncoding {
    /// The `content-type` header value.
    pub fn content_type(self) -> &'static str {
        match self {
            BodyEncoding::Json => "application/json; charset=utf-8",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// The JSON text of `value` with the members of every object, at every
/// level, in name order: the official clients write them so, and the
/// signature covers the body's bytes, so declaration order would sign
/// another body. serde_json's map is sorted already unless some crate in
/// the build turns on its `preserve_order` feature; then
/// `sort_all_objects` does the sorting.
fn sorted_json(mut value: serde_json::Value) -> Result<Vec<u8>, String> {
    value.sort_all_objects();
    serde_json::to_vec(&value).map_err(|e| format!("request body: {e}"))
}

/// The form encoding of an object's members: in name order (sorted here:
/// serde_json keeps insertion order when a crate in the build turns on its
/// `preserve_order` feature), `name=value` joined by `&`, each side percent-encoded
/// as in the query with a space written `+`, as HTML forms and the official
/// clients write it. `null` members are left out.
fn form_encode(members: serde_json::Map<String, serde_json::Value>) -> Vec<u8> {
    let mut pairs: Vec<(String, String)> = members
        .into_iter()
        .filter_map(|(name, value)| {
            let text = match value {
                serde_json::Value::Null => return None,
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            Some((name, text))
        })
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        form_encode_into(&mut out, name);
        out.push('=');
        form_encode_into(&mut out, value);
    }
    out.into_bytes()
}

fn form_encode_into(out: &mut String, text: &str) {
    let start = out.len();
    percent_encode_into(out, text);
    // `%` itself is written `%25`, so `%20` can only stand for a space.
    if out[start..].contains("%20") {
        let plus = out[start..].replace("%20", "+");
        out.truncate(start);
        out.push_str(&plus);
    }
}

/// Reads back what [`form_encode`] wrote, every value as a string (which
/// is how it travels).
fn form_decode(bytes: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let decode = |text: &str| {
        let text = text.replace('+', " ");
        percent_encoding::percent_decode_str(&text).decode_utf8_lossy().into_owned()
    };
    String::from_utf8_lossy(bytes)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), serde_json::Value::String(decode(value)))
        })
        .collect()
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
    fn form_bodies_are_sorted_pairs_with_plus_for_space() {
        let mut r = Request::new("X", Method::Post);
        r.form_body(&serde_json::json!({"Tags": "a b&c=d", "Count": 7, "On": true, "Gone": null, "Deep": {"k": [1]}}));
        assert_eq!(r.body_encoding(), BodyEncoding::Form);
        let body = String::from_utf8(r.body().expect("body").to_vec()).expect("utf8");
        assert_eq!(body, "Count=7&Deep=%7B%22k%22%3A%5B1%5D%7D&On=true&Tags=a+b%26c%3Dd");
        r.push_body_field("Added", &serde_json::json!("x y"));
        r.push_body_field("Tags", &serde_json::json!("new"));
        let body = String::from_utf8(r.body().expect("body").to_vec()).expect("utf8");
        assert_eq!(body, "Added=x+y&Count=7&Deep=%7B%22k%22%3A%5B1%5D%7D&On=true&Tags=new");
        let mut list = Request::new("Y", Method::Post);
        list.form_body(&[1, 2]);
        assert!(matches!(&list.body, Some(Err(e)) if e.contains("object")), "{list:?}");
    }

    #[test]
    fn extra_body_fields_join_json_objects_or_start_one() {
        let mut r = Request::new("X", Method::Post);
        r.push_body_field("B", &serde_json::json!(1));
        assert_eq!(r.body(), Some(&b"{\"B\":1}"[..]));
        r.json_body(&serde_json::json!({"C": "c"}));
        r.push_body_field("A", &serde_json::json!(true));
        assert_eq!(r.body(), Some(&b"{\"A\":true,\"C\":\"c\"}"[..]));
        assert_eq!(r.body_encoding(), BodyEncoding::Json);
        let mut array = Request::new("Y", Method::Post);
        array.raw_json_body("[1]");
        array.push_body_field("A", &serde_json::json!(1));
        assert!(matches!(&array.body, Some(Err(e)) if e.contains("not an object")), "{array:?}");
    }

    /// Regression: members went out in declaration order, the official
    /// clients write them in name order, and the signature covers the bytes.
    #[test]
    fn json_bodies_have_members_in_name_order_at_every_level() {
        #[derive(serde::Serialize)]
        struct Inner {
            zone: u8,
            host: &'static str,
        }
        #[derive(serde::Serialize)]
        struct Body {
            tags: Vec<Inner>,
            #[serde(rename = "Name")]
            name: &'static str,
            config: Inner,
        }
        let inner = || Inner { zone: 1, host: "h" };
        let mut r = Request::new("X", Method::Post);
        r.json_body(&Body { tags: vec![inner()], name: "n", config: inner() });
        let expected = r#"{"Name":"n","config":{"host":"h","zone":1},"tags":[{"host":"h","zone":1}]}"#;
        assert_eq!(String::from_utf8_lossy(r.body().expect("body")), expected);
        r.replace_json_body(&serde_json::json!({"b": {"d": 1, "c": 2}, "a": null}));
        assert_eq!(r.body(), Some(&br#"{"a":null,"b":{"c":2,"d":1}}"#[..]));
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
