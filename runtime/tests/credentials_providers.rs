//! The refreshing credential providers against loopback stand-ins for STS,
//! the ECS metadata service and a credentials URI: the requests they send
//! (AssumeRole's signature checked with the runtime's own signer), the
//! answers they accept, the bad answers they refuse, and the cache (refresh
//! inside the margin, one refresh for many callers, a failed refresh
//! keeping a still-valid credential). The clock is injected; nothing sleeps.

mod common;
mod credentials_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use aliyun_runtime::{
    AssumeRoleProvider, CachingProvider, Credentials, CredentialsError, CredentialsFuture, CredentialsProvider,
    CredentialsUriProvider, EcsRamRoleProvider, OidcRoleProvider,
};
use common::{Reply, Server};
use credentials_support::*;

#[tokio::test]
async fn assume_role_is_signed_and_read() {
    let server = Server::start(vec![Reply::new(200, &sts_answer("STS.first", IN_ONE_HOUR))]);
    let clock = TestClock::new();
    let provider = assume_role(&server, &clock)
        .duration(Duration::from_secs(1800))
        .policy(r#"{"Statement":[{"Action":"ecs:Describe*","Effect":"Allow","Resource":"*"}],"Version":"1"}"#)
        .external_id("ext-1");
    let c = provider.provide_credentials().await.expect("assumed");
    assert_eq!(c.access_key_id(), "STS.first");
    assert_eq!(c.access_key_secret(), STS_SECRET);
    assert_eq!(c.security_token(), Some(STS_TOKEN));
    assert_eq!(c.expiration(), Some(UNIX_EPOCH + Duration::from_secs(T0 + 3600)));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert!(r.target.starts_with("/?"), "{}", r.target);
    assert_eq!(r.query("Action").as_deref(), Some("AssumeRole"));
    assert_eq!(r.query("Version").as_deref(), Some("2015-04-01"));
    assert_eq!(r.query("Timestamp").as_deref(), Some("2030-01-01T00:00:00Z"));
    assert_eq!(r.query("RoleArn").as_deref(), Some("acs:ram::123:role/deployer"));
    assert_eq!(r.query("RoleSessionName").as_deref(), Some("ci-run"));
    assert_eq!(r.query("DurationSeconds").as_deref(), Some("1800"));
    assert_eq!(r.query("ExternalId").as_deref(), Some("ext-1"));
    assert!(r.query("Policy").expect("policy").contains("ecs:Describe*"));
    assert!(r.query("SecurityToken").is_none());
    assert!(r.header("authorization").is_none());
    verify_v1(r, "source-ak", SOURCE_SECRET);
    // The check is real: another role, or another secret, does not verify.
    let mut tampered = r.clone();
    tampered.target = tampered.target.replace("deployer", "admin");
    assert!(std::panic::catch_unwind(|| verify_v1(&tampered, "source-ak", SOURCE_SECRET)).is_err());
    assert!(std::panic::catch_unwind(|| verify_v1(r, "source-ak", "another-secret")).is_err());

    // Cached: a second call sends nothing.
    provider.provide_credentials().await.expect("cached");
    assert_eq!(server.requests().len(), 1);
    assert_no_secret(&format!("{provider:?}"));
}

#[tokio::test]
async fn assume_role_with_a_temporary_source_sends_its_token() {
    let server = Server::start(vec![Reply::new(200, &sts_answer("STS.chained", IN_ONE_HOUR))]);
    let clock = TestClock::new();
    let source = Credentials::new("STS.source", SOURCE_SECRET).with_security_token("source-token");
    let provider = AssumeRoleProvider::new(source, "acs:ram::123:role/next").endpoint(server.url()).clock(clock.hook());
    provider.provide_credentials().await.expect("assumed");
    let r = &server.requests()[0];
    assert_eq!(r.query("SecurityToken").as_deref(), Some("source-token"));
    verify_v1(r, "STS.source", SOURCE_SECRET);
}

#[tokio::test]
async fn sts_bad_answers_are_clear_errors() {
    let cases: Vec<(Reply, &str)> = vec![
        (
            Reply::new(
                403,
                r#"{"RequestId":"r","Code":"NoPermission","Message":"You are not authorized to do this action."}"#,
            ),
            "HTTP 403, NoPermission",
        ),
        (Reply::new(500, "<html>oops</html>"), "HTTP 500"),
        (Reply::new(200, "<html>not json</html>"), "not JSON"),
        (Reply::new(200, r#"{"RequestId":"r"}"#), "no Credentials"),
        (
            Reply::new(
                200,
                &format!(
                    r#"{{"Credentials":{{"AccessKeyId":"a","AccessKeySecret":"{STS_SECRET}","SecurityToken":"{STS_TOKEN}"}}}}"#
                ),
            ),
            "no Expiration",
        ),
        (
            Reply::new(
                200,
                &format!(
                    r#"{{"Credentials":{{"AccessKeyId":"a","SecurityToken":"{STS_TOKEN}","Expiration":"{IN_ONE_HOUR}"}}}}"#
                ),
            ),
            "no AccessKeySecret",
        ),
        (Reply::new(200, &sts_answer("STS.old", "2029-12-31T23:00:00Z")), "expired at 2029-12-31T23:00:00Z"),
        (Reply::new(200, &sts_answer("STS.bad", "next tuesday")), "Expiration in the answer is not a time"),
    ];
    for (reply, expected) in cases {
        let server = Server::start(vec![reply]);
        let provider = assume_role(&server, &TestClock::new());
        let err = provider.provide_credentials().await.expect_err(expected).to_string();
        assert!(err.contains("AssumeRole") && err.contains("acs:ram::123:role/deployer"), "{err}");
        assert!(err.contains(expected), "expected {expected:?} in {err}");
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn short_durations_are_refused_before_sending() {
    let server = Server::start(vec![Reply::new(200, &sts_answer("x", IN_ONE_HOUR))]);
    let err = assume_role(&server, &TestClock::new())
        .duration(Duration::from_secs(60))
        .provide_credentials()
        .await
        .expect_err("too short");
    assert!(err.to_string().contains("at least 900 seconds"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn oidc_is_anonymous_and_rereads_the_token_file() {
    let server = Server::start(vec![
        Reply::new(200, &sts_answer("STS.oidc1", IN_ONE_HOUR)),
        Reply::new(200, &sts_answer("STS.oidc2", "2030-01-01T02:00:00Z")),
    ]);
    let dir = tempfile::tempdir().expect("tempdir");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "FAKE-OIDC-JWT-one\n").expect("write");
    let clock = TestClock::new();
    let provider = OidcRoleProvider::new("acs:ram::123:role/pod", "acs:ram::123:oidc-provider/ack", &token_file)
        .endpoint(server.url())
        .role_session_name("pod-1")
        .clock(clock.hook());
    let c = provider.provide_credentials().await.expect("first");
    assert_eq!(c.access_key_id(), "STS.oidc1");

    std::fs::write(&token_file, "FAKE-OIDC-JWT-two").expect("rotate");
    clock.set_minutes(56); // inside the 5-minute margin
    let c = provider.provide_credentials().await.expect("refreshed");
    assert_eq!(c.access_key_id(), "STS.oidc2");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (r, token) in requests.iter().zip(["FAKE-OIDC-JWT-one", "FAKE-OIDC-JWT-two"]) {
        assert_eq!(r.method, "POST");
        assert!(r.header("authorization").is_none(), "AssumeRoleWithOIDC must not be signed");
        assert_eq!(r.query("Action").as_deref(), Some("AssumeRoleWithOIDC"));
        assert_eq!(r.query("Version").as_deref(), Some("2015-04-01"));
        assert!(r.query("OIDCToken").is_none(), "the token travels in the body");
        let body = String::from_utf8_lossy(&r.body).into_owned();
        let form: Vec<(String, String)> = body
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned())
            })
            .collect();
        let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("OIDCToken"), Some(token));
        assert_eq!(get("RoleArn"), Some("acs:ram::123:role/pod"));
        assert_eq!(get("OIDCProviderArn"), Some("acs:ram::123:oidc-provider/ack"));
        assert_eq!(get("RoleSessionName"), Some("pod-1"));
    }
    assert_no_secret(&format!("{provider:?}"));
}

#[tokio::test]
async fn oidc_token_file_problems() {
    let server = Server::start(vec![Reply::new(200, &sts_answer("x", IN_ONE_HOUR))]);
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("absent");
    let err = OidcRoleProvider::new("r", "p", &missing).endpoint(server.url()).provide_credentials().await;
    assert!(err.expect_err("missing file").to_string().contains("cannot read the OIDC token file"));
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "  \n").expect("write");
    let err = OidcRoleProvider::new("r", "p", &empty).endpoint(server.url()).provide_credentials().await;
    assert!(err.expect_err("empty file").to_string().contains("is empty"));
    assert!(server.requests().is_empty());
}

// ------------------------------------------------------------------ ECS

#[tokio::test]
async fn ecs_hardened_mode_discovers_the_role() {
    let server = Server::start(vec![
        Reply::new(200, "FAKE-METADATA-TOKEN"),
        Reply::new(200, "EcsRole\n"),
        Reply::new(200, &metadata_answer("STS.ecs")),
    ]);
    let provider = EcsRamRoleProvider::new().endpoint(server.url()).clock(TestClock::new().hook());
    let c = provider.provide_credentials().await.expect("ecs");
    assert_eq!((c.access_key_id(), c.security_token()), ("STS.ecs", Some(STS_TOKEN)));
    let r = server.requests();
    assert_eq!(r.len(), 3);
    assert_eq!((r[0].method.as_str(), r[0].target.as_str()), ("PUT", "/latest/api/token"));
    assert_eq!(r[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"), Some("21600"));
    assert_eq!((r[1].method.as_str(), r[1].target.as_str()), ("GET", "/latest/meta-data/ram/security-credentials/"));
    assert_eq!(r[2].target, "/latest/meta-data/ram/security-credentials/EcsRole");
    for r in &r[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), Some("FAKE-METADATA-TOKEN"));
    }
    assert_no_secret(&format!("{provider:?} {c:?}"));
}

#[tokio::test]
async fn ecs_token_refused_falls_back_to_the_plain_mode() {
    let server = Server::start(vec![Reply::new(403, "forbidden"), Reply::new(200, &metadata_answer("STS.plain"))]);
    let provider =
        EcsRamRoleProvider::new().endpoint(server.url()).role_name("KnownRole").clock(TestClock::new().hook());
    let c = provider.provide_credentials().await.expect("plain mode");
    assert_eq!(c.access_key_id(), "STS.plain");
    let r = server.requests();
    assert_eq!(r.len(), 2, "a configured role skips discovery");
    assert_eq!(r[1].target, "/latest/meta-data/ram/security-credentials/KnownRole");
    assert!(r[1].header("x-aliyun-ecs-metadata-token").is_none());
}

#[tokio::test]
async fn ecs_token_refused_with_plain_mode_disabled_is_an_error() {
    let server = Server::start(vec![Reply::new(403, "forbidden"), Reply::new(200, &metadata_answer("STS.plain"))]);
    let provider = EcsRamRoleProvider::new()
        .endpoint(server.url())
        .role_name("KnownRole")
        .imdsv1_disabled(true)
        .clock(TestClock::new().hook());
    let err = provider.provide_credentials().await.expect_err("hardened only").to_string();
    assert!(err.contains("ECS instance RAM role") && err.contains("ALIBABA_CLOUD_IMDSV1_DISABLED"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn ecs_bad_answers_are_clear_errors() {
    let cases: Vec<(Vec<Reply>, &str)> = vec![
        (vec![Reply::new(200, "tok"), Reply::new(404, "")], "no RAM role is attached"),
        (vec![Reply::new(200, "tok"), Reply::new(200, "")], "no RAM role is attached"),
        (vec![Reply::new(200, "tok"), Reply::new(200, "R"), Reply::new(500, "")], "HTTP 500"),
        (vec![Reply::new(200, "tok"), Reply::new(200, "R"), Reply::new(200, "nope")], "not JSON"),
        (vec![Reply::new(200, "tok"), Reply::new(200, "R"), Reply::new(200, r#"{"Code":"Failed"}"#)], "Code Failed"),
        (
            vec![
                Reply::new(200, "tok"),
                Reply::new(200, "R"),
                Reply::new(
                    200,
                    &format!(
                        r#"{{"Code":"Success","AccessKeyId":"a","AccessKeySecret":"{STS_SECRET}","SecurityToken":"{STS_TOKEN}"}}"#
                    ),
                ),
            ],
            "no Expiration",
        ),
    ];
    for (replies, expected) in cases {
        let server = Server::start(replies);
        let provider = EcsRamRoleProvider::new().endpoint(server.url()).clock(TestClock::new().hook());
        let err = provider.provide_credentials().await.expect_err(expected).to_string();
        assert!(err.starts_with("ECS instance RAM role: ") && err.contains(expected), "{expected:?} in {err}");
        assert_no_secret(&err);
    }
}

// ------------------------------------------------------------------ URI

#[tokio::test]
async fn credentials_uri_answers() {
    let good = format!(r#"{{"Code":"Success",{}}}"#, credential_fields("STS.uri", IN_ONE_HOUR));
    let server = Server::start(vec![Reply::new(200, &good)]);
    let provider =
        CredentialsUriProvider::new(format!("{}/creds?secret-ish=1", server.url())).clock(TestClock::new().hook());
    let c = provider.provide_credentials().await.expect("uri");
    assert_eq!(c.access_key_id(), "STS.uri");
    assert_eq!(server.requests()[0].target, "/creds?secret-ish=1");
    assert!(!format!("{provider:?}").contains("secret-ish"));

    let cases: Vec<(Reply, &str)> = vec![
        (Reply::new(503, r#"{"Code":"Unavailable"}"#), "HTTP 503, Unavailable"),
        (Reply::new(200, "garbage"), "not JSON"),
        (Reply::new(200, r#"{"Code":"Failure","Message":"role not found"}"#), "Code Failure"),
        (Reply::new(200, r#"{"Code":"Success"}"#), "no AccessKeyId"),
        (Reply::new(200, &format!(r#"{{{}}}"#, credential_fields("a", "2020-01-01T00:00:00Z"))), "expired"),
    ];
    for (reply, expected) in cases {
        let server = Server::start(vec![reply]);
        let provider = CredentialsUriProvider::new(format!("{}/c?x=1", server.url())).clock(TestClock::new().hook());
        let err = provider.provide_credentials().await.expect_err(expected).to_string();
        assert!(err.starts_with("credentials URI http://127.0.0.1:") && err.contains(expected), "{err}");
        assert!(!err.contains("x=1"), "{err}");
        assert_no_secret(&err);
    }
}

// ------------------------------------------------------------------ cache

/// A source that counts its calls and answers from a script.
struct Scripted {
    calls: Arc<AtomicUsize>,
    answer: Box<dyn Fn(usize) -> Result<Credentials, CredentialsError> + Send + Sync>,
}

impl CredentialsProvider for Scripted {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let answer = (self.answer)(n);
        Box::pin(async move { answer })
    }
}

fn hour_credential(n: usize, issued_minutes: u64) -> Credentials {
    Credentials::new(format!("STS.{n}"), STS_SECRET)
        .with_security_token(STS_TOKEN)
        .with_expiration(UNIX_EPOCH + Duration::from_secs(T0 + (issued_minutes + 60) * 60))
}

#[tokio::test]
async fn refresh_happens_inside_the_margin() {
    let calls = Arc::new(AtomicUsize::new(0));
    let clock = TestClock::new();
    let issued = Arc::new(AtomicU64::new(0));
    let issued_at = issued.clone();
    let source = Scripted {
        calls: calls.clone(),
        answer: Box::new(move |n| Ok(hour_credential(n, issued_at.load(Ordering::SeqCst)))),
    };
    let provider = CachingProvider::new(source).clock(clock.hook());
    assert_eq!(provider.provide_credentials().await.expect("first").access_key_id(), "STS.0");
    for minute in [1, 30, 54] {
        clock.set_minutes(minute);
        assert_eq!(provider.provide_credentials().await.expect("cached").access_key_id(), "STS.0");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "no refresh before the margin");
    clock.set_minutes(55); // 5 minutes before expiry: the default margin
    issued.store(55, Ordering::SeqCst);
    assert_eq!(provider.provide_credentials().await.expect("refreshed").access_key_id(), "STS.1");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    clock.set_minutes(100);
    assert_eq!(provider.provide_credentials().await.expect("still cached").access_key_id(), "STS.1");

    // A wider margin refreshes earlier.
    let calls = Arc::new(AtomicUsize::new(0));
    let clock = TestClock::new();
    let source = Scripted { calls: calls.clone(), answer: Box::new(|n| Ok(hour_credential(n, 0))) };
    let provider = CachingProvider::new(source).clock(clock.hook()).refresh_margin(Duration::from_secs(20 * 60));
    provider.provide_credentials().await.expect("first");
    clock.set_minutes(39);
    provider.provide_credentials().await.expect("cached");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    clock.set_minutes(41);
    provider.provide_credentials().await.expect("refreshed");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_valid_credential_then_fails_clearly() {
    let calls = Arc::new(AtomicUsize::new(0));
    let clock = TestClock::new();
    let source = Scripted {
        calls: calls.clone(),
        answer: Box::new(|n| match n {
            0 => Ok(hour_credential(0, 0)),
            _ => Err(CredentialsError::new("STS is down")),
        }),
    };
    let provider = CachingProvider::new(source).clock(clock.hook());
    provider.provide_credentials().await.expect("first");
    clock.set_minutes(57);
    assert_eq!(provider.provide_credentials().await.expect("kept").access_key_id(), "STS.0");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Within the back-off after a failure, no new attempt.
    assert_eq!(provider.provide_credentials().await.expect("kept").access_key_id(), "STS.0");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    clock.set_minutes(61);
    let err = provider.provide_credentials().await.expect_err("expired").to_string();
    assert!(err.contains("expired") && err.contains("STS is down"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn many_callers_at_expiry_make_one_sts_request() {
    let server = Server::start(vec![
        Reply::new(200, &sts_answer("STS.first", IN_ONE_HOUR)),
        Reply::new(200, &sts_answer("STS.second", "2030-01-01T02:00:00Z")),
    ]);
    let clock = TestClock::new();
    let provider = Arc::new(assume_role(&server, &clock));
    let run = |provider: Arc<AssumeRoleProvider>| async move {
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let p = provider.clone();
                tokio::spawn(async move { p.provide_credentials().await.map(|c| c.access_key_id().to_owned()) })
            })
            .collect();
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.expect("join").expect("credential"));
        }
        ids
    };
    let ids = run(provider.clone()).await;
    assert!(ids.iter().all(|id| id == "STS.first"));
    assert_eq!(server.requests().len(), 1, "200 concurrent first calls, one STS request");
    clock.set_minutes(59);
    let ids = run(provider.clone()).await;
    assert!(ids.iter().all(|id| id == "STS.second"));
    assert_eq!(server.requests().len(), 2, "200 concurrent calls at expiry, one STS request");
}

#[tokio::test]
async fn ecs_off_ecs_fails_without_trying_the_plain_mode() {
    // Bind and drop a listener: the port is closed, the connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let provider = EcsRamRoleProvider::new().endpoint(format!("http://127.0.0.1:{port}"));
    let err = provider.provide_credentials().await.expect_err("off ECS").to_string();
    assert!(err.contains("does not answer") && err.contains("not on ECS"), "{err}");
}
