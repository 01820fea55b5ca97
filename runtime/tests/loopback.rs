//! End-to-end calls against a local HTTP/1.1 server.

mod common;

use std::time::{Duration, Instant};

use aliyun_runtime::{
    CallOptions, Config, Credentials, DefaultCredentialsChain, Error, ErrorDetails, Method, OperationError, Request,
    RetryConfig, ServiceClient, SignatureAlgorithm, TimeoutKind,
};
use common::{ES, Reply, ResumeError, ResumeOutput, Server, config, resume};

const OK: &str = r#"{"RequestId":"body-id","Result":true}"#;

#[tokio::test]
async fn success_decodes_and_sends_signed_headers() {
    let server = Server::start(vec![Reply::new(200, OK).header("x-acs-request-id", "hdr-id")]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let out: ResumeOutput = client.send::<_, ResumeError>(resume("ls-cn/1")).await.expect("ok");
    assert_eq!(out.result, Some(true));
    assert_eq!(out.meta.status, 200);
    assert_eq!(out.meta.request_id.as_deref(), Some("hdr-id"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert!(r.target.starts_with("/openapi/logstashes/ls-cn%2F1/actions/resume?clientToken="), "{}", r.target);
    for h in [
        "x-acs-version",
        "x-acs-action",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "user-agent",
        "accept",
    ] {
        assert!(r.header(h).is_some(), "missing {h}");
    }
    assert_eq!(r.header("x-acs-action"), Some("ResumeLogstashTask"));
    assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
    assert!(r.header("content-type").is_none(), "no body, no content-type");
    let auth = r.header("authorization").expect("authorization");
    assert!(auth.starts_with("ACS3-HMAC-SHA256 Credential=test-ak,SignedHeaders=accept;host;"), "{auth}");
}

#[tokio::test]
async fn request_id_falls_back_to_body() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let out: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("ok");
    assert_eq!(out.meta.request_id.as_deref(), Some("body-id"));
}

#[tokio::test]
async fn retries_503_with_the_same_client_token() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::new(503, "busy"), Reply::new(200, OK)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let out: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("third attempt");
    assert_eq!(out.result, Some(true));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let tokens: Vec<String> = reqs.iter().map(|r| r.query("clientToken").expect("token")).collect();
    assert!(!tokens[0].is_empty());
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    let nonces: std::collections::BTreeSet<_> =
        reqs.iter().map(|r| r.header("x-acs-signature-nonce").map(str::to_owned)).collect();
    assert_eq!(nonces.len(), 3, "each attempt gets a fresh nonce");
}

#[tokio::test]
async fn honours_retry_after_and_token_generator() {
    let server = Server::start(vec![
        Reply::new(400, r#"{"Code":"Throttling.User","Message":"later"}"#).header("x-acs-retry-after", "30"),
        Reply::new(200, OK),
    ]);
    let client = ServiceClient::new(&config(&server).token_generator(|| "tok-fixed".to_owned()).build(), &ES);
    let start = Instant::now();
    let _: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("retried");
    // 30 ms requested, but the test policy caps waits at 20 ms.
    assert!(start.elapsed() >= Duration::from_millis(20), "{:?}", start.elapsed());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(reqs.iter().all(|r| r.query("clientToken").as_deref() == Some("tok-fixed")));
}

#[tokio::test]
async fn caller_token_is_kept() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let mut req = resume("x");
    req.query("clientToken", "mine");
    let _: ResumeOutput = client.send::<_, ResumeError>(req).await.expect("ok");
    assert_eq!(server.requests()[0].query("clientToken").as_deref(), Some("mine"));
}

#[tokio::test]
async fn post_without_token_is_not_retried_on_5xx() {
    let server = Server::start(vec![Reply::new(503, "<html>unavailable</html>"), Reply::new(200, OK)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let mut req = Request::new("UpdateThing", Method::Post);
    req.path_literal("/openapi/things");
    req.json_body(&serde_json::json!({"a": 1}));
    let err = client.send::<ResumeOutput, ResumeError>(req).await.expect_err("503");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.code(), Some("HttpStatus503"));
    let d = err.service().expect("service error").details();
    assert_eq!(d.body, "<html>unavailable</html>");
    assert_eq!(server.requests()[0].header("content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(server.requests()[0].body, br#"{"a":1}"#);
}

#[tokio::test]
async fn throttling_is_retried_even_without_token() {
    let server = Server::start(vec![
        Reply::new(400, r#"{"Code":"Throttling.User","Message":"slow down"}"#),
        Reply::new(429, ""),
        Reply::new(200, OK),
    ]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let mut req = Request::new("UpdateThing", Method::Post);
    req.path_literal("/openapi/things");
    let _: ResumeOutput = client.send::<_, ResumeError>(req).await.expect("retried");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn get_is_retried_until_attempts_run_out() {
    let server = Server::start(vec![Reply::new(500, r#"{"Code":"InternalError","Message":"x"}"#)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let mut req = Request::new("DescribeThing", Method::Get);
    req.path_literal("/openapi/things");
    let err = client.send::<ResumeOutput, ResumeError>(req).await.expect_err("500");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(err.code(), Some("InternalError"));
}

#[tokio::test]
async fn typed_service_errors() {
    let body = r#"{"RequestId":"R-1","HostId":"es.aliyuncs.com","Code":"InstanceNotFound","Message":"The instance is not found.","Recommend":"https://diag"}"#;
    let server = Server::start(vec![Reply::new(404, body)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    let err = client.send::<ResumeOutput, ResumeError>(resume("x")).await.expect_err("404");
    assert_eq!(err.to_string(), "InstanceNotFound: The instance is not found. (request id: R-1)");
    assert_eq!(err.request_id(), Some("R-1"));
    match err.service() {
        Some(ResumeError::InstanceNotFound(d)) => {
            assert_eq!(d.status, 404);
            assert_eq!(d.host_id.as_deref(), Some("es.aliyuncs.com"));
            assert_eq!(d.recommend.as_deref(), Some("https://diag"));
            assert_eq!(d.body, body);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "4xx is not retried");
}

#[tokio::test]
async fn empty_and_204_bodies_succeed() {
    for reply in [Reply::new(204, ""), Reply::new(200, ""), Reply::new(200, "  \n")] {
        let status = reply.status;
        let server = Server::start(vec![reply]);
        let client = ServiceClient::new(&config(&server).build(), &ES);
        let out: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("empty ok");
        assert_eq!(out.meta.status, status);
        assert_eq!(out.result, None);
    }
}

#[tokio::test]
async fn undecodable_success_is_a_parse_error() {
    let server = Server::start(vec![Reply::new(200, r#"{"Result":"yes"}"#).header("x-acs-request-id", "R-9")]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    match client.send::<ResumeOutput, ResumeError>(resume("x")).await {
        Err(Error::Parse { status, request_id, body, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(request_id.as_deref(), Some("R-9"));
            assert_eq!(body, r#"{"Result":"yes"}"#);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn read_timeout_fires() {
    let server = Server::start(vec![Reply::new(200, OK).delay(Duration::from_secs(3))]);
    let config = config(&server).read_timeout(Duration::from_millis(150)).retry(RetryConfig::disabled()).build();
    let client = ServiceClient::new(&config, &ES);
    // The server answers after 3 s: a timeout error (not the answer) shows
    // the limit ended the call first; no wall time is asserted.
    let err = client.send::<ResumeOutput, ResumeError>(resume("x")).await.expect_err("timeout");
    assert!(matches!(&err, Error::Timeout(t) if t.kind == TimeoutKind::Read), "{err:?}");
}

#[tokio::test]
async fn operation_timeout_covers_retries() {
    let server = Server::start(vec![Reply::new(200, OK).delay(Duration::from_secs(3))]);
    let client = ServiceClient::new(&config(&server).build(), &ES)
        .with_options(CallOptions::new().operation_timeout(Duration::from_millis(200)));
    let err = client.send::<ResumeOutput, ResumeError>(resume("x")).await.expect_err("timeout");
    assert!(matches!(&err, Error::Timeout(t) if t.kind == TimeoutKind::Operation), "{err:?}");
}

#[tokio::test]
async fn call_options_add_signed_headers_and_query() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let client = ServiceClient::new(&config(&server).build(), &ES)
        .with_options(CallOptions::new().header("x-acs-extra", "1").query("lang", "en"));
    let _: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("ok");
    let r = &server.requests()[0];
    assert_eq!(r.header("x-acs-extra"), Some("1"));
    assert_eq!(r.query("lang").as_deref(), Some("en"));
    assert!(r.header("authorization").expect("auth").contains("x-acs-extra"));
}

/// A replaced body wins over the typed one (even of another shape), body
/// fields join it, and every object level goes out in name order.
#[test]
fn call_options_replace_the_json_body() {
    let config = Config::builder().region("cn-hangzhou").credentials(Credentials::new("id", "secret")).build();
    let options =
        CallOptions::new().body_field("m", 1).json_body(serde_json::json!({"z": {"b": 1, "a": [{"y": 0, "x": 0}]}}));
    let client = ServiceClient::new(&config, &ES).with_options(options);
    let mut typed = Request::new("X", Method::Post);
    typed.json_body(&[1, 2]);
    let sent = client.with_extras(typed);
    let body = String::from_utf8_lossy(sent.body().expect("a body")).into_owned();
    assert_eq!(body, r#"{"m":1,"z":{"a":[{"x":0,"y":0}],"b":1}}"#);
    let first =
        ServiceClient::new(&config, &ES).with_options(CallOptions::new().json_body(serde_json::json!({"a": 1})));
    let later = first.with_options(CallOptions::new().json_body(serde_json::json!([])));
    assert_eq!(
        later.with_extras(Request::new("X", Method::Post)).body(),
        Some(&b"[]"[..]),
        "the later replacement wins"
    );
    assert_eq!(ServiceClient::new(&config, &ES).with_extras(Request::new("X", Method::Post)).body(), None);
}

#[tokio::test]
async fn connections_are_reused() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let client = ServiceClient::new(&config(&server).build(), &ES);
    for _ in 0..5 {
        let _: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("ok");
    }
    assert_eq!(server.requests().len(), 5);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn credentials_chain_order() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(home.path().join(".aliyun")).expect("mkdir");
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"profile-ak","access_key_secret":"s"}]}"#,
    )
    .expect("write");
    let env = |name: &str| match name {
        "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("env-ak".to_owned()),
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some("env-secret".to_owned()),
        "ALIBABA_CLOUD_SECURITY_TOKEN" => Some("env-token".to_owned()),
        _ => None,
    };
    let cases = [
        (
            DefaultCredentialsChain::new()
                .with_env(env)
                .with_home(home.path())
                .with_explicit(Some(Credentials::new("explicit-ak", "s"))),
            "explicit-ak",
        ),
        (DefaultCredentialsChain::new().with_env(env).with_home(home.path()), "env-ak"),
        (DefaultCredentialsChain::new().with_env(|_| None).with_home(home.path()), "profile-ak"),
    ];
    for (chain, want) in cases {
        let config = Config::builder().endpoint(server.url()).allow_http(true).credentials_provider(chain).build();
        let client = ServiceClient::new(&config, &ES);
        let _: ResumeOutput = client.send::<_, ResumeError>(resume("x")).await.expect("ok");
        let last = server.requests().pop().expect("request");
        let auth = last.header("authorization").expect("auth").to_owned();
        assert!(auth.contains(&format!("Credential={want},")), "{auth}");
        assert_eq!(last.header("x-acs-security-token").is_some(), want == "env-ak");
    }
}

#[tokio::test]
async fn missing_credentials_name_every_source() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let home = tempfile::tempdir().expect("tempdir");
    // The ECS step is turned off: this test must not reach for 100.100.100.200.
    let env = |name: &str| (name == "ALIBABA_CLOUD_ECS_METADATA_DISABLED").then(|| "true".to_owned());
    let chain = DefaultCredentialsChain::new().with_env(env).with_home(home.path());
    let config = Config::builder().endpoint(server.url()).allow_http(true).credentials_provider(chain).build();
    let err = ServiceClient::new(&config, &ES)
        .send::<ResumeOutput, ResumeError>(resume("x"))
        .await
        .expect_err("no credentials");
    let Error::Credentials(c) = &err else { panic!("{err:?}") };
    assert_eq!(c.tried().len(), 7, "{c}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn construction_errors() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    // http refused unless allowed
    let config = Config::builder().endpoint(server.url()).credentials(Credentials::new("a", "b")).build();
    let err = ServiceClient::new(&config, &ES).send::<ResumeOutput, ResumeError>(resume("x")).await.expect_err("http");
    assert!(matches!(&err, Error::Construction(m) if m.contains("allow_http")), "{err}");
    // no region
    let config = Config::builder().credentials(Credentials::new("a", "b")).build();
    let err =
        ServiceClient::new(&config, &ES).send::<ResumeOutput, ResumeError>(resume("x")).await.expect_err("region");
    assert!(matches!(&err, Error::Construction(m) if m.contains("region")), "{err}");
    // body serialization failure
    let mut req = resume("x");
    let mut bad = std::collections::HashMap::new();
    bad.insert((1, 2), 3);
    req.json_body(&bad);
    let client = ServiceClient::new(&config_for(&server), &ES);
    let err = client.send::<ResumeOutput, ResumeError>(req).await.expect_err("body");
    assert!(matches!(&err, Error::Construction(m) if m.contains("body")), "{err}");
    assert!(server.requests().is_empty());
}

fn config_for(server: &Server) -> Config {
    config(server).build()
}

#[tokio::test]
async fn roa_signing_and_sts_token() {
    let server = Server::start(vec![Reply::new(200, OK)]);
    let config = config(&server)
        .credentials(Credentials::new("roa-ak", "s").with_security_token("sts"))
        .signature_algorithm(SignatureAlgorithm::RoaHmacSha1)
        .build();
    let _: ResumeOutput = ServiceClient::new(&config, &ES).send::<_, ResumeError>(resume("x")).await.expect("ok");
    let r = &server.requests()[0];
    assert!(r.header("authorization").expect("auth").starts_with("acs roa-ak:"));
    assert!(r.header("date").is_some());
    assert_eq!(r.header("x-acs-signature-method"), Some("HMAC-SHA1"));
    assert_eq!(r.header("x-acs-security-token"), Some("sts"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind then drop to get a port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let config = Config::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .credentials(Credentials::new("a", "b"))
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)))
        .build();
    let err =
        ServiceClient::new(&config, &ES).send::<ResumeOutput, ErrorDetails>(resume("x")).await.expect_err("refused");
    let Error::Transport(t) = &err else { panic!("{err:?}") };
    assert!(t.is_connect(), "{t}");
    assert!(std::error::Error::source(&err).is_some());
}
