//! Blocking calls: the same generated call, run with `wait()` instead of
//! `.await`, against a local server.
#![cfg(feature = "blocking")]

mod common;

use aliyun_sdk::elasticsearch::{Client, ResumeLogstashTaskRequest};
use common::{Reply, local_config, serve};

#[test]
fn blocking_call_round_trip() {
    // The server lives on its own runtime; the blocking client must not be
    // called from inside one.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(serve(vec![
        Reply::json(200, r#"{"Result": true, "RequestId": "r-blocking"}"#),
        Reply::json(400, r#"{"Code": "InstanceNotFound", "Message": "gone", "RequestId": "r-missing"}"#),
    ]));
    let config = local_config(&server.url).build();
    let client = Client::new(&config);
    let response = client.resume_logstash_task(ResumeLogstashTaskRequest::new("ls-1")).wait().expect("ok");
    assert_eq!(response.result, Some(true));
    assert_eq!(response.meta().request_id.as_deref(), Some("r-blocking"));
    let err = client.resume_logstash_task(ResumeLogstashTaskRequest::new("ls-2")).wait().expect_err("400");
    assert!(err.service().is_some_and(|e| e.is_instance_not_found()));
    assert_eq!(server.seen.lock().expect("lock").len(), 2);
}

#[test]
fn wait_inside_an_async_runtime_is_an_error_not_a_panic() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let config = local_config("http://127.0.0.1:9").build();
    let client = Client::new(&config);
    let result = rt.block_on(async { client.resume_logstash_task(ResumeLogstashTaskRequest::new("ls-1")).wait() });
    let error = result.expect_err("refused inside a runtime");
    assert!(error.to_string().contains("async runtime"), "{error}");
}
