//! End-to-end over loopback HTTP: generated ECS (RPC) calls with nested
//! list parameters, signed with ACS3 and with the RPC signature v1, with an
//! STS token, a throttled answer then success, and RPC error bodies mapped
//! to the operation's typed error. The server re-computes every signature
//! from the bytes it received, so what is signed is what is sent.

mod common;

use std::time::Duration;

use aliyun_runtime::sign::{self, SigningInput};
use aliyun_runtime::sign_v1::{RpcSigningInput, sign_rpc_v1};
use aliyun_runtime::{Credentials, RetryConfig, SignatureAlgorithm};
use aliyun_sdk::ecs::{
    AddTagsRequest, AddTagsTag, Client, DescribeInstancesRequest, DescribeInstancesTag, RunInstancesDataDisk,
    RunInstancesError, RunInstancesNetworkInterface, RunInstancesRequest, RunInstancesSystemDisk, RunInstancesTag,
};
use common::{Reply, Seen, local_config, serve};

const SECRET: &str = "fake-ak-secret";

fn run_request() -> RunInstancesRequest {
    RunInstancesRequest::new("cn-hangzhou")
        .image_id("img-1")
        .amount(2)
        .dry_run(false)
        .system_disk(RunInstancesSystemDisk::default().category("cloud_essd").size("40"))
        .data_disk(vec![
            RunInstancesDataDisk::default().size(20).category("cloud"),
            RunInstancesDataDisk::default().size(30).encrypted("true"),
        ])
        .network_interface(vec![
            RunInstancesNetworkInterface::default().security_group_ids(vec!["sg-1".into(), "sg 2".into()]),
        ])
        .tag(vec![RunInstancesTag::default().key("team").value("a b*")])
        .client_token("token-1")
}

fn pairs(seen: &Seen) -> Vec<(String, String)> {
    seen.query_pairs()
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The flattened operation parameters every RunInstances call must carry.
fn assert_flattened(pairs: &[(String, String)]) {
    for (name, value) in [
        ("RegionId", "cn-hangzhou"),
        ("Amount", "2"),
        ("DryRun", "false"),
        ("SystemDisk.Category", "cloud_essd"),
        ("SystemDisk.Size", "40"),
        ("DataDisk.1.Size", "20"),
        ("DataDisk.1.Category", "cloud"),
        ("DataDisk.2.Size", "30"),
        ("DataDisk.2.Encrypted", "true"),
        ("NetworkInterface.1.SecurityGroupIds.1", "sg-1"),
        ("NetworkInterface.1.SecurityGroupIds.2", "sg 2"),
        ("Tag.1.Key", "team"),
        ("Tag.1.Value", "a b*"),
        ("ClientToken", "token-1"),
    ] {
        assert_eq!(get(pairs, name), Some(value), "{name} in {pairs:?}");
    }
    assert_eq!(get(pairs, "DataDisk.3.Size"), None);
}

/// Re-computes the ACS3 signature from what the server received.
fn verify_acs3(seen: &Seen, secret: &str) {
    let auth = seen.header("authorization").expect("Authorization");
    let signed = auth.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()).expect("signed headers");
    let headers: Vec<(&str, &str)> =
        signed.split(';').map(|h| (h, seen.header(h).unwrap_or_else(|| panic!("signed header {h} sent")))).collect();
    let decoded = pairs(seen);
    let query: Vec<(&str, &str)> = decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let id = auth.split("Credential=").nth(1).and_then(|s| s.split(',').next()).expect("credential");
    let input = SigningInput {
        method: &seen.method,
        path: &seen.path,
        query: &query,
        headers: &headers,
        access_key_id: id,
        access_key_secret: secret,
    };
    let hash = sign::content_sha256(if seen.body.is_empty() { None } else { Some(&seen.body) });
    assert_eq!(sign::sign_acs3(&input, &hash).authorization, auth);
}

#[tokio::test]
async fn run_instances_v3_with_nested_lists_and_an_sts_token() {
    let body = r#"{"RequestId":"R-1","InstanceIdSets":{"InstanceIdSet":["i-1","i-2"]},"TradePrice":0.165}"#;
    let server = serve(vec![Reply::json(200, body)]).await;
    let credentials = Credentials::new("fake-sts-id", SECRET).with_security_token("fake-sts-token");
    let client = Client::new(&local_config(&server.url).credentials(credentials).build());
    let response = client.run_instances(run_request()).await.expect("call succeeds");
    // The wrapper object is flattened in the Rust API.
    assert_eq!(response.instance_id_sets, Some(vec!["i-1".to_owned(), "i-2".to_owned()]));
    assert_eq!(response.trade_price, Some(0.165));

    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!((req.method.as_str(), req.path.as_str()), ("POST", "/"));
    assert!(req.body.is_empty());
    assert_eq!(req.header("x-acs-action"), Some("RunInstances"));
    assert_eq!(req.header("x-acs-version"), Some("2014-05-26"));
    assert_eq!(req.header("x-acs-security-token"), Some("fake-sts-token"));
    assert_flattened(&pairs(req));
    verify_acs3(req, SECRET);
}

#[tokio::test]
async fn run_instances_rpc_v1_signature_with_an_sts_token() {
    let server = serve(vec![Reply::json(200, r#"{"RequestId":"R-2"}"#)]).await;
    let credentials = Credentials::new("fake-sts-id", SECRET).with_security_token("fake-sts-token");
    let config =
        local_config(&server.url).credentials(credentials).signature_algorithm(SignatureAlgorithm::RpcHmacSha1).build();
    Client::new(&config).run_instances(run_request()).await.expect("call succeeds");

    let seen = server.seen.lock().expect("lock").clone();
    let req = &seen[0];
    assert_eq!(req.header("authorization"), None);
    let all = pairs(req);
    assert_flattened(&all);
    for (name, value) in [
        ("Action", "RunInstances"),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", "fake-sts-id"),
        ("SecurityToken", "fake-sts-token"),
    ] {
        assert_eq!(get(&all, name), Some(value), "{name}");
    }
    assert!(get(&all, "Timestamp").is_some_and(|t| t.ends_with('Z')));
    assert!(get(&all, "SignatureNonce").is_some());
    let signature = get(&all, "Signature").expect("Signature").to_owned();
    let signed: Vec<(&str, &str)> =
        all.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let expected =
        sign_rpc_v1(&RpcSigningInput { method: "POST", query: &signed, form: &[], access_key_secret: SECRET });
    assert_eq!(signature, expected.signature);
}

#[tokio::test]
async fn throttled_then_success_and_pages_by_token() {
    let throttled =
        r#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R-T"}"#;
    let page1 = r#"{"RequestId":"R-3","NextToken":"t2","Instances":{"Instance":[{"InstanceId":"i-1"}]}}"#;
    let page2 = r#"{"RequestId":"R-4","NextToken":"","Instances":{"Instance":[{"InstanceId":"i-2"}]}}"#;
    let server = serve(vec![Reply::json(400, throttled), Reply::json(200, page1), Reply::json(200, page2)]).await;
    let retry = RetryConfig::new().max_attempts(3).initial_backoff(Duration::from_millis(1));
    let client = Client::new(&local_config(&server.url).retry(retry).build());
    let request = DescribeInstancesRequest::new("cn-hangzhou")
        .tag(vec![DescribeInstancesTag::default().key("env").value("prod")]);
    let mut ids = Vec::new();
    let mut pages = std::pin::pin!(client.describe_instances_pages(request));
    while let Some(page) = std::future::poll_fn(|cx| futures_poll(pages.as_mut(), cx)).await {
        let page = page.expect("page");
        for instance in page.instances.unwrap_or_default() {
            ids.extend(instance.instance_id);
        }
    }
    assert_eq!(ids, ["i-1", "i-2"]);
    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 3, "one throttled attempt, then two pages");
    let first = pairs(&seen[1]);
    assert_eq!(get(&first, "NextToken"), None);
    assert_eq!(get(&first, "Tag.1.Key"), Some("env"));
    assert_eq!(get(&pairs(&seen[2]), "NextToken"), Some("t2"));
}

fn futures_poll<S: aliyun_runtime::Stream + ?Sized>(
    stream: std::pin::Pin<&mut S>,
    cx: &mut std::task::Context<'_>,
) -> std::task::Poll<Option<S::Item>> {
    stream.poll_next(cx)
}

#[tokio::test]
async fn rpc_error_bodies_map_to_the_typed_error() {
    let body = r#"{"Code":"InvalidInstanceType.ValueNotSupported","Message":"The specified InstanceType beyond the permitted range.","RequestId":"R-E","HostId":"ecs-cn-hangzhou.aliyuncs.com","Recommend":"https://api.aliyun.com/troubleshoot?q=x"}"#;
    let server = serve(vec![Reply::json(400, body)]).await;
    let client = Client::new(&local_config(&server.url).build());
    let err = client.run_instances(run_request()).await.expect_err("400 is an error");
    let service = err.service().expect("a service error");
    assert!(matches!(service, RunInstancesError::InvalidInstanceTypeValueNotSupported(_)));
    assert_eq!(service.request_id(), Some("R-E"));
    let details = service.details();
    assert_eq!(details.host_id.as_deref(), Some("ecs-cn-hangzhou.aliyuncs.com"));
    assert!(details.recommend.as_deref().is_some_and(|r| r.contains("troubleshoot")));
}

#[tokio::test]
async fn bad_input_is_a_construction_error_naming_the_parameter() {
    let server = serve(vec![]).await;
    let client = Client::new(&local_config(&server.url).build());
    let request = run_request().spot_price_limit(f64::NAN);
    let err = client.run_instances(request).await.expect_err("NaN is refused");
    assert!(err.to_string().contains("SpotPriceLimit"), "{err}");
    assert!(server.seen.lock().expect("lock").is_empty(), "nothing was sent");
}

/// A list longer than its page allows (`Tag.N`, N up to 20, an imported
/// `max_items`) is refused before anything is sent; at the limit it goes
/// out whole.
#[tokio::test]
async fn a_list_over_its_documented_limit_is_refused_before_sending() {
    let server = serve(vec![Reply::json(200, r#"{"RequestId":"R-T"}"#)]).await;
    let client = Client::new(&local_config(&server.url).build());
    let tags = |n: usize| (1..=n).map(|i| AddTagsTag::default().key(format!("k{i}")).value("v")).collect();
    let request = |n| AddTagsRequest::new("cn-hangzhou", "i-1", "instance").tag(tags(n));
    let err = client.add_tags(request(21)).await.expect_err("21 tags are refused");
    assert!(err.to_string().contains("parameter Tag: 21 items, at most 20 allowed"), "{err}");
    assert!(server.seen.lock().expect("lock").is_empty(), "nothing was sent");
    client.add_tags(request(20)).await.expect("20 tags are sent");
    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(get(&pairs(&seen[0]), "Tag.20.Key"), Some("k20"));
}
