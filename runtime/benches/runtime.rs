//! Runtime hot paths: build + sign, typed decode, and a full call over a
//! keep-alive loopback connection.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use aliyun_runtime::{Config, Credentials, ErrorDetails, RawResponse, ResponseMeta, ServiceClient, json};
use criterion::{Criterion, criterion_main};

#[path = "../tests/common/mod.rs"]
mod common;

use common::{ES, Reply, ResumeOutput, Server, resume};

/// Stand-ins for generated types, decoded the way generated code does.
#[derive(Debug, Default)]
#[allow(dead_code)]
struct Node {
    host: Option<String>,
    port: Option<i64>,
    zone_id: Option<String>,
    health: Option<String>,
}

impl json::Decode for Node {
    fn decode(object: &json::Object<'_>) -> Self {
        Node {
            host: object.member("host"),
            port: object.member("port"),
            zone_id: object.member("zoneId"),
            health: object.member("health"),
        }
    }
}

#[derive(Debug, Default)]
#[allow(dead_code)]
struct ListAllNodeOutput {
    request_id: Option<String>,
    result: Option<Vec<Node>>,
    meta: ResponseMeta,
}

impl json::Decode for ListAllNodeOutput {
    fn decode(object: &json::Object<'_>) -> Self {
        ListAllNodeOutput {
            request_id: object.member("RequestId"),
            result: object.member("Result"),
            meta: object.meta(),
        }
    }
}

fn build_and_sign(c: &mut Criterion) {
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(Credentials::new("testid", "testsecret"))
        .clock(|| UNIX_EPOCH + Duration::from_secs(1_580_974_374))
        .nonce_generator(|| "nonce-0001".to_owned())
        .build();
    let client = ServiceClient::new(&config, &ES);
    let creds = Credentials::new("testid", "testsecret");
    c.bench_function("build+sign ResumeLogstashTask (ACS3)", |b| {
        b.iter(|| {
            let mut request = resume(black_box("ls-cn-abc123/x"));
            request.query("clientToken", "5A2CFF0E-5718-45B5-9D4D-70B3FF3898AA");
            black_box(client.sign(&request, &creds).map(|s| s.headers.len()).unwrap_or(0))
        })
    });
}

fn decode(c: &mut Criterion) {
    let node = r#"{"host":"10.0.0.1","port":9200,"zoneId":"cn-hangzhou-i","health":"GREEN"}"#;
    let body = format!(r#"{{"RequestId":"5A2CFF0E-5718-45B5-9D4D-70B3FF3898AA","Result":[{}]}}"#, [node; 10].join(","));
    let raw = RawResponse { status: 200, request_id: Some("id".to_owned()), body: body.into_bytes() };
    c.bench_function("decode ListAllNode (10 nodes)", |b| {
        b.iter(|| {
            let out: Result<ListAllNodeOutput, _> = black_box(raw.clone()).decode::<_, ErrorDetails>();
            black_box(out.map(|o| o.result.map(|r| r.len())).ok())
        })
    });
}

fn loopback_call(c: &mut Criterion) {
    let server = Server::start(vec![Reply::new(200, r#"{"RequestId":"r","Result":true}"#)]);
    let config = common::config(&server).build();
    let client = ServiceClient::new(&config, &ES);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    c.bench_function("full call over loopback (keep-alive)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let out = client.send::<ResumeOutput, ErrorDetails>(resume("ls-cn-abc")).await;
                black_box(out.map(|o| o.result).ok())
            })
        })
    });
    // Zero when the bench was filtered out, one when it ran: keep-alive held.
    assert!(server.connections() <= 1, "keep-alive must reuse one connection");
}

/// Private so the macro-generated group function needs no doc.
mod group {
    use super::{build_and_sign, decode, loopback_call};
    criterion::criterion_group!(benches, build_and_sign, decode, loopback_call);
}

criterion_main!(group::benches);
