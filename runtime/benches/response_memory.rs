//! Peak memory of one call whose answer is a ~50 MB `ListInstance`-shaped
//! body made of ~1.7 million small objects: the shape that once took the
//! process to 1.6 GB. The server is this binary in a child process, so
//! `VmHWM` is the client's alone.
//!
//! ```sh
//! cargo bench -p aliyun-runtime --bench response_memory -- [nodes|tags] [typed|value] [length|chunked]
//! ```
//!
//! - `nodes` (default): instances with 60 `{"host":"h1","port":9200}`
//!   nodes and 2 tags each; `tags`: instances with 60
//!   `{"tagKey":"k","tagValue":"v"}` tags each (two strings per object,
//!   the costliest typed output).
//! - `typed` (default): the call as generated code makes it; `value`: the
//!   same call, then a `serde_json::Value` of the whole body held while the
//!   typed response is decoded (what the client used to build).
//! - `length` (default) or `chunked`: how the server frames the body.
//! - `503`: the server sends the same body with status 503 (a GET, so
//!   every attempt of the default policy is made); the call fails.

use std::time::{Duration, Instant};

use aliyun_runtime::json::{Decode, Object};
use aliyun_runtime::{Config, Credentials, ErrorDetails, Method, Request, ResponseMeta, Service, ServiceClient};

mod support;

use support::{Framing, mib, serve_if_asked, spawn_server, status_kib};

static ES: Service = Service {
    code: "elasticsearch",
    version: "2017-06-13",
    endpoint: "elasticsearch.{region}.aliyuncs.com",
    vpc_endpoint: None,
    protocol: aliyun_runtime::Protocol::Roa,
    endpoint_exceptions: &[],
};

/// Target body size.
const BODY_BYTES: usize = 50_000_000;
/// Small objects per instance.
const PER_INSTANCE: usize = 60;

/// The body and its count of JSON objects.
fn body(shape: &str) -> (Vec<u8>, usize) {
    let mut out = String::with_capacity(BODY_BYTES + 4096);
    out.push_str(r#"{"RequestId":"5A2CFF0E-5718-45B5-9D4D-70B3FF3898AA","Headers":{"X-Total-Count":0},"Result":["#);
    let (mut objects, mut instances) = (2, 0);
    while out.len() < BODY_BYTES {
        if instances > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"instanceId":"es-cn-{instances:08}","description":"bench","status":"active","esVersion":"7.10_with_X-Pack","nodeAmount":3,"paymentType":"postpaid","createdAt":"2026-01-01T00:00:00.000Z","nodeSpec":{{"spec":"elasticsearch.sn2ne.large","disk":20,"diskType":"cloud_ssd"}},"#
        ));
        let (nodes, tags) = if shape == "tags" { (0, PER_INSTANCE) } else { (PER_INSTANCE, 2) };
        out.push_str(r#""nodes":["#);
        out.push_str(&vec![r#"{"host":"h1","port":9200}"#; nodes].join(","));
        out.push_str(r#"],"tags":["#);
        out.push_str(&vec![r#"{"tagKey":"k","tagValue":"v"}"#; tags].join(","));
        out.push_str("]}");
        objects += 2 + nodes + tags;
        instances += 1;
    }
    out.push_str("]}");
    (out.into_bytes(), objects)
}

#[derive(Debug)]
#[allow(dead_code)]
struct ListInstanceOutput {
    request_id: Option<String>,
    headers: Option<Headers>,
    result: Option<Vec<Instance>>,
    meta: ResponseMeta,
}

impl Decode for ListInstanceOutput {
    fn decode(object: &Object<'_>) -> Self {
        ListInstanceOutput {
            request_id: object.member("RequestId"),
            headers: object.member("Headers"),
            result: object.member("Result"),
            meta: object.meta(),
        }
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct Headers {
    x_total_count: Option<i64>,
}

impl Decode for Headers {
    fn decode(object: &Object<'_>) -> Self {
        Headers { x_total_count: object.member("X-Total-Count") }
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct Instance {
    instance_id: Option<String>,
    description: Option<String>,
    status: Option<String>,
    es_version: Option<String>,
    node_amount: Option<i32>,
    payment_type: Option<String>,
    created_at: Option<String>,
    node_spec: Option<NodeSpec>,
    nodes: Option<Vec<Node>>,
    tags: Option<Vec<Tag>>,
}

impl Decode for Instance {
    fn decode(object: &Object<'_>) -> Self {
        Instance {
            instance_id: object.member("instanceId"),
            description: object.member("description"),
            status: object.member("status"),
            es_version: object.member("esVersion"),
            node_amount: object.member("nodeAmount"),
            payment_type: object.member("paymentType"),
            created_at: object.member("createdAt"),
            node_spec: object.member("nodeSpec"),
            nodes: object.member("nodes"),
            tags: object.member("tags"),
        }
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct NodeSpec {
    spec: Option<String>,
    disk: Option<i32>,
    disk_type: Option<String>,
}

impl Decode for NodeSpec {
    fn decode(object: &Object<'_>) -> Self {
        NodeSpec { spec: object.member("spec"), disk: object.member("disk"), disk_type: object.member("diskType") }
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct Node {
    host: Option<String>,
    port: Option<i32>,
}

impl Decode for Node {
    fn decode(object: &Object<'_>) -> Self {
        Node { host: object.member("host"), port: object.member("port") }
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct Tag {
    tag_key: Option<String>,
    tag_value: Option<String>,
}

impl Decode for Tag {
    fn decode(object: &Object<'_>) -> Self {
        Tag { tag_key: object.member("tagKey"), tag_value: object.member("tagValue") }
    }
}

fn main() {
    serve_if_asked(|spec| {
        let parts: Vec<&str> = spec.split(',').collect();
        let framing = if parts.contains(&"chunked") { Framing::Chunked } else { Framing::Length };
        let status = if parts.contains(&"503") { 503 } else { 200 };
        (status, body(parts[0]).0, framing)
    });
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let has = |word: &str| args.iter().any(|a| a == word);
    let shape = if has("tags") { "tags" } else { "nodes" };
    let mode = if has("value") { "value" } else { "typed" };
    let framing = if has("chunked") { "chunked" } else { "length" };
    let status = if has("503") { "503" } else { "200" };

    let server = spawn_server(&format!("{shape},{framing},{status}"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let config = Config::builder()
        .endpoint(&server.url)
        .allow_http(true)
        .credentials(Credentials::new("fake-id", "fake-secret"))
        .read_timeout(Duration::from_secs(120))
        .no_operation_timeout()
        .build();
    let client = ServiceClient::new(&config, &ES);
    let request = || {
        let mut request = Request::new("ListInstance", Method::Get);
        request.path_literal("/openapi/instances");
        request
    };
    let baseline = status_kib("VmHWM");
    let start = Instant::now();
    let (instances, output_rss) = runtime.block_on(async {
        if status == "503" {
            let error = client.send::<ListInstanceOutput, ErrorDetails>(request()).await.expect_err("503");
            println!("503 answer: {error}");
            return (0, status_kib("VmRSS"));
        }
        let out: ListInstanceOutput = if mode == "value" {
            let raw = client.send_raw(request()).await.expect("call");
            let value: serde_json::Value = serde_json::from_slice(&raw.body).expect("JSON");
            let out = raw.decode::<_, ErrorDetails>().expect("decodes");
            drop(value);
            out
        } else {
            client.send::<_, ErrorDetails>(request()).await.expect("call")
        };
        // The body is gone by now; what is left is the typed response.
        (out.result.as_ref().map_or(0, Vec::len), status_kib("VmRSS"))
    });
    let elapsed = start.elapsed();
    let peak = status_kib("VmHWM");
    let (expected, objects) = body(shape);
    println!(
        "shape={shape} mode={mode} framing={framing} status={status}: body {} bytes ({:.1} MB), {objects} objects, {instances} instances",
        expected.len(),
        expected.len() as f64 / 1e6,
    );
    println!(
        "  peak RSS (VmHWM) {} (before the call {}, holding only the typed response {}); {:.2}x the body; call + decode {:.2} s",
        mib(peak),
        mib(baseline),
        mib(output_rss),
        peak as f64 * 1024.0 / expected.len() as f64,
        elapsed.as_secs_f64()
    );
}
