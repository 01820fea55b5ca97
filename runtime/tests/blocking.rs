//! The blocking client (feature `blocking`).
#![cfg(feature = "blocking")]

mod common;

use aliyun_runtime::{Error, ServiceClient};
use common::{ES, Reply, ResumeError, ResumeOutput, Server, config, resume};

#[test]
fn blocking_calls_retry_and_reuse_connections() {
    let server = Server::start(vec![Reply::new(503, ""), Reply::new(200, r#"{"Result":true}"#)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let out: ResumeOutput = client.send_blocking::<_, ResumeError>(resume("x")).expect("ok");
    assert_eq!(out.result, Some(true));
    let out: ResumeOutput = client.send_blocking::<_, ResumeError>(resume("y")).expect("ok");
    assert_eq!(out.meta.status, 200);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].query("clientToken"), reqs[1].query("clientToken"));
    assert_eq!(server.connections(), 1);
}

#[test]
fn blocking_inside_a_runtime_is_an_error_not_a_panic() {
    let server = Server::start(vec![Reply::new(200, "{}")]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("rt");
    let result = rt.block_on(async { client.send_blocking::<ResumeOutput, ResumeError>(resume("x")) });
    assert!(matches!(result, Err(Error::Construction(_))));
    // Dropping the last Config clone inside a runtime must not panic either.
    rt.block_on(async move { drop(client) });
}
