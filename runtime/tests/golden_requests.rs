//! Rebuilds every request of `../shared/corpus/elasticsearch/golden_requests.json`
//! (what the official SDK sends) through `Request` + `ServiceClient::sign`
//! and compares method, path, query, body, every header and `Authorization`.
//!
//! Query values are taken as the golden strings, so the official Python
//! client's `True`/`False` booleans are reproduced exactly and the signature
//! must match byte for byte; with typed `bool` parameters we send
//! `true`/`false` (as Alibaba's Go and Java SDKs do), the one known difference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use aliyun_runtime::{Config, Credentials, Method, ParamValue, Request, Service, ServiceClient};
use serde_json::Value;

static ES: Service = Service {
    code: "elasticsearch",
    version: "2017-06-13",
    endpoint: "elasticsearch.{region}.aliyuncs.com",
    vpc_endpoint: Some("elasticsearch-vpc.{region}.aliyuncs.com"),
    protocol: aliyun_runtime::Protocol::Roa,
    endpoint_exceptions: &[],
};

fn load(name: &str) -> Option<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/elasticsearch").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("valid JSON")),
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "{} missing under CI: {e}", path.display());
            println!("skipping: {} not found", path.display());
            None
        }
    }
}

fn method(name: &str) -> Method {
    match name {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "PATCH" => Method::Patch,
        "HEAD" => Method::Head,
        other => panic!("unexpected method {other}"),
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// Splits `/a/[Id]/b` into literal and parameter pieces.
fn build_path(request: &mut Request, template: &str, params: &serde_json::Map<String, Value>) {
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        request.path_literal(leak(&rest[..open]));
        let close = open + rest[open..].find(']').expect("closing ]");
        let name = &rest[open + 1..close];
        let value = params[name].as_str().unwrap_or_else(|| panic!("no value for {name}"));
        request.path_param(leak(name), value);
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        request.path_literal(leak(rest));
    }
}

fn decode_query(url: &str) -> BTreeSet<(String, String)> {
    let Some((_, query)) = url.split_once('?') else {
        return BTreeSet::new();
    };
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let dec = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().expect("utf8").into_owned();
            (dec(k), dec(v))
        })
        .collect()
}

#[test]
fn golden_requests_match_official_client() {
    let (Some(golden), Some(truth)) = (load("golden_requests.json"), load("truth.json")) else {
        return;
    };
    let templates: BTreeMap<String, &str> = truth["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| (op["name"].as_str().expect("name").to_ascii_lowercase(), op["path"].as_str().expect("path")))
        .collect();
    let pinned = &golden["pinned"];
    let p = |k: &str| pinned[k].as_str().expect("pinned value").to_owned();
    assert_eq!(p("x-acs-date"), "2020-02-06T07:32:54Z", "the pinned clock below assumes this date");
    let nonce = p("x-acs-signature-nonce");
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(Credentials::new(p("access_key_id"), p("access_key_secret")))
        .user_agent(p("user-agent"))
        .clock(|| UNIX_EPOCH + Duration::from_secs(1_580_974_374))
        .nonce_generator(move || nonce.clone())
        .build();
    let client = ServiceClient::new(&config, &ES);
    let creds = Credentials::new(p("access_key_id"), p("access_key_secret"));

    let requests = golden["requests"].as_array().expect("requests");
    let mut failures = Vec::new();
    for g in requests {
        let action = g["action"].as_str().expect("action");
        let Some(template) = templates.get(&action.to_ascii_lowercase()) else {
            failures.push(format!("{action}: no path template in truth.json"));
            continue;
        };
        let mut request = Request::new(leak(action), method(g["method"].as_str().expect("method")));
        build_path(&mut request, template, g["path_params"].as_object().expect("path_params"));
        for (k, v) in g["query"].as_object().expect("query") {
            request.query(leak(k), v.as_str().expect("query value"));
        }
        if let Some(body) = g["body"].as_str() {
            let json: Value = serde_json::from_str(body).expect("golden body is JSON");
            request.json_body(&json);
        }
        let signed = match client.sign(&request, &creds) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{action}: sign failed: {e}"));
                continue;
            }
        };
        let mut diff = |what: &str, want: String, got: String| {
            if want != got {
                failures.push(format!("{action}: {what}\n  want {want}\n  got  {got}"));
            }
        };
        diff("method", g["method"].to_string().replace('"', ""), signed.method.as_str().to_owned());
        let url = g["url"].as_str().expect("url");
        let our_path = signed.url.split('?').next().unwrap_or_default().to_owned();
        diff("url path", url.split('?').next().unwrap_or_default().to_owned(), our_path);
        diff("path", g["path"].as_str().expect("path").to_owned(), request.path().to_owned());
        diff("query", format!("{:?}", decode_query(url)), format!("{:?}", decode_query(&signed.url)));
        let want_body: Option<Value> = g["body"].as_str().map(|b| serde_json::from_str(b).expect("json"));
        let got_body: Option<Value> = signed.body.as_deref().map(|b| serde_json::from_slice(b).expect("json"));
        diff("body", format!("{want_body:?}"), format!("{got_body:?}"));
        let want_headers: BTreeMap<String, String> = g["headers"]
            .as_object()
            .expect("headers")
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().expect("header").to_owned()))
            .collect();
        let got_headers: BTreeMap<String, String> = signed.headers.iter().cloned().collect();
        diff("headers", format!("{want_headers:#?}"), format!("{got_headers:#?}"));
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), requests.len(), failures.join("\n"));
    println!("{} golden requests reproduced", requests.len());
}

/// The one documented difference: typed booleans go out lower case.
#[test]
fn typed_booleans_are_lower_case() {
    let mut request = Request::new("ListAllNode", Method::Get);
    request.query("extended", true);
    assert_eq!(request.query_pairs().collect::<Vec<_>>(), vec![("extended", "true")]);
    assert_eq!(false.to_param().as_deref(), Some("false"));
}
