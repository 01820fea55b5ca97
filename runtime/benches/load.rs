//! Load on one client: calls per second and latency percentiles at
//! concurrency 1, 16 and 256 against a keep-alive loopback server (this
//! binary in a child process, one thread per connection), then the
//! client's peak memory. No network.
//!
//! ```sh
//! cargo bench -p aliyun-runtime --bench load [-- CALLS]
//! ```
//!
//! Each level makes CALLS calls (default 20,000; 5,000 at concurrency 1)
//! of a signed `POST` with a client token and a typed 2xx answer, the
//! shape of `ResumeLogstashTask`, after a warm-up of 500 calls.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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

#[derive(Debug)]
#[allow(dead_code)]
struct ResumeOutput {
    request_id: Option<String>,
    result: Option<bool>,
    meta: ResponseMeta,
}

impl Decode for ResumeOutput {
    fn decode(object: &Object<'_>) -> Self {
        ResumeOutput { request_id: object.member("RequestId"), result: object.member("Result"), meta: object.meta() }
    }
}

fn resume() -> Request {
    let mut request = Request::new("ResumeLogstashTask", Method::Post);
    request.path_literal("/openapi/logstashes/");
    request.path_param("InstanceId", "ls-cn-abc123");
    request.path_literal("/actions/resume");
    request.client_token("clientToken");
    request
}

/// Makes `calls` calls from `concurrency` tasks; returns the wall time and
/// every call's latency.
async fn run(client: &ServiceClient, concurrency: usize, calls: usize) -> (Duration, Vec<Duration>) {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, next) = (client.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(calls / concurrency + 1);
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    let begin = Instant::now();
                    let out = client.send::<ResumeOutput, ErrorDetails>(resume()).await;
                    latencies.push(begin.elapsed());
                    assert_eq!(out.expect("call").result, Some(true));
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for task in tasks {
        latencies.extend(task.await.expect("task"));
    }
    (start.elapsed(), latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn main() {
    serve_if_asked(|_| {
        (200, br#"{"RequestId":"5A2CFF0E-5718-45B5-9D4D-70B3FF3898AA","Result":true}"#.to_vec(), Framing::Length)
    });
    let calls: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(20_000);
    let server = spawn_server("ok");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let config = Config::builder()
        .endpoint(&server.url)
        .allow_http(true)
        .credentials(Credentials::new("fake-id", "fake-secret"))
        .build();
    let client = ServiceClient::new(&config, &ES);
    runtime.block_on(run(&client, 16, 500));
    println!("{:>11} | {:>7} | {:>8} | {:>8} | {:>9}", "concurrency", "calls", "calls/s", "p50", "p99");
    for concurrency in [1, 16, 256] {
        let calls = if concurrency == 1 { calls / 4 } else { calls };
        let (wall, mut latencies) = runtime.block_on(run(&client, concurrency, calls));
        latencies.sort_unstable();
        println!(
            "{concurrency:>11} | {calls:>7} | {:>8.0} | {:>8.1?} | {:>9.1?}",
            calls as f64 / wall.as_secs_f64(),
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
        );
    }
    println!("client peak RSS (VmHWM): {}", mib(status_kib("VmHWM")));
}
