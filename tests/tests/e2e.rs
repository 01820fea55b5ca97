//! End-to-end: the generated `resume_logstash_task` call against a local
//! HTTP server that checks the request and answers like the service.

mod common;

use aliyun_sdk::elasticsearch::{Client, ResumeLogstashTaskError, ResumeLogstashTaskRequest};
use common::{Reply, local_config, serve};

const SAMPLE: &str = r#"{"Result": true, "RequestId": "0FA05123-745C-42FD-A69B-AFF48EF9****"}"#;

fn client(url: &str) -> Client {
    let config = local_config(url).build();
    Client::new(&config)
}

#[tokio::test]
async fn resume_logstash_task_success() {
    let server = serve(vec![Reply::json(200, SAMPLE)]).await;
    let response = client(&server.url)
        .resume_logstash_task(ResumeLogstashTaskRequest::new("ls-cn-4591f1y6 ****/x").client_token("token-123"))
        .await
        .expect("call succeeds");
    assert_eq!(response.result, Some(true));
    assert_eq!(response.request_id.as_deref(), Some("0FA05123-745C-42FD-A69B-AFF48EF9****"));
    assert_eq!(response.meta().status, 200);
    assert_eq!(response.meta().request_id.as_deref(), Some("0FA05123-745C-42FD-A69B-AFF48EF9****"));

    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method, "POST");
    // Path values are encoded completely: space and slash included.
    assert_eq!(req.path, "/openapi/logstashes/ls-cn-4591f1y6%20%2A%2A%2A%2A%2Fx/actions/resume");
    assert_eq!(req.query_pairs(), vec![("clientToken".to_string(), "token-123".to_string())]);
    assert_eq!(req.header("x-acs-action"), Some("ResumeLogstashTask"));
    assert_eq!(req.header("x-acs-version"), Some("2017-06-13"));
    let auth = req.header("authorization").expect("Authorization header");
    assert!(auth.starts_with("ACS3-HMAC-SHA256 Credential=fake-ak-id,SignedHeaders="), "{auth}");
    let signed = auth.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()).expect("signed headers");
    for h in ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"] {
        assert!(signed.split(';').any(|s| s == h), "{h} is signed: {auth}");
    }
    let signature = auth.split("Signature=").nth(1).expect("signature");
    assert_eq!(signature.len(), 64);
    assert!(signature.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test]
async fn resume_logstash_task_typed_error() {
    let body = r#"{"Code":"InstanceNotFound","Message":"The instanceId provided does not exist.","RequestId":"5E2B4F3C-0000-4B3B-9B59-000000000001","HostId":"elasticsearch.cn-hangzhou.aliyuncs.com"}"#;
    let server = serve(vec![Reply::json(400, body)]).await;
    let err = client(&server.url)
        .resume_logstash_task(ResumeLogstashTaskRequest::new("ls-missing"))
        .await
        .expect_err("400 is an error");
    let service = err.service().expect("a service error");
    assert!(service.is_instance_not_found());
    assert!(matches!(service, ResumeLogstashTaskError::InstanceNotFound(_)));
    assert_eq!(service.code(), "InstanceNotFound");
    assert_eq!(service.request_id(), Some("5E2B4F3C-0000-4B3B-9B59-000000000001"));
    assert_eq!(service.details().status, 400);
    assert_eq!(service.details().message, "The instanceId provided does not exist.");
    let shown = err.to_string();
    assert!(shown.contains("InstanceNotFound") && shown.contains("5E2B4F3C-0000-4B3B-9B59-000000000001"), "{shown}");

    // No clientToken given: the runtime fills one, so the call is safe to retry.
    let seen = server.seen.lock().expect("lock").clone();
    let token = seen[0].query_pairs().into_iter().find(|(k, _)| k == "clientToken").map(|(_, v)| v);
    assert!(token.is_some_and(|t| !t.is_empty()), "clientToken auto-filled");
}

#[tokio::test]
async fn undocumented_code_falls_back() {
    let body = r#"{"Code":"Forbidden.RAM","Message":"no","RequestId":"r-2"}"#;
    let server = serve(vec![Reply::json(403, body)]).await;
    let err = client(&server.url)
        .resume_logstash_task(ResumeLogstashTaskRequest::new("ls-1"))
        .await
        .expect_err("403 is an error");
    let service = err.service().expect("a service error");
    assert!(matches!(service, ResumeLogstashTaskError::Unhandled(_)));
    assert_eq!(service.code(), "Forbidden.RAM");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_can_be_spawned_and_sends_nothing_until_polled() {
    let server = serve(vec![Reply::json(200, SAMPLE)]).await;
    let client = client(&server.url);
    let call = client.resume_logstash_task(ResumeLogstashTaskRequest::new("ls-1"));
    // Built but not awaited: nothing reaches the server.
    tokio::task::yield_now().await;
    assert!(server.seen.lock().expect("lock").is_empty());
    // `Call` owns what it needs, so it is `Send + 'static`.
    let response = tokio::spawn(call).await.expect("task").expect("call succeeds");
    assert_eq!(response.result, Some(true));
    assert_eq!(server.seen.lock().expect("lock").len(), 1);
}
