//! No secret reaches tracing output, `Display` or `Debug`, from a call or
//! from a credential provider. These tests are their own binary: tracing
//! caches per-callsite interest process-wide, and a thread-local subscriber
//! can miss an event whose callsite another test registers on another
//! thread at the moment the subscriber is installed.

mod capture;
mod common;
mod credentials_support;
mod hostile_server;

use std::net::TcpListener;
use std::time::Duration;

use aliyun_runtime::{Config, Credentials, CredentialsProvider, EcsRamRoleProvider, RetryConfig, ServiceClient};
use capture::Capture;
use common::{Reply, Server};
use credentials_support::*;
use hostile_server::*;

#[test]
fn no_secret_in_tracing_or_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    // Retried answers (logged at debug), a final service error, a refused
    // connection (retried, then a transport error).
    let server = Hostile::start(|i, s| match i {
        0 => answer(s, 400, &[], br#"{"Code":"Throttling.User","Message":"slow"}"#),
        1 => answer(s, 503, &[], b"busy"),
        _ => answer(s, 404, &[], br#"{"Code":"NotFound"}"#),
    });
    let refused = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr");
    let nowhere = Config::builder()
        .endpoint(format!("http://{refused}"))
        .allow_http(true)
        .credentials(Credentials::new("fake-id", SECRET).with_security_token(TOKEN))
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)))
        .build();
    let errors = runtime.block_on(async {
        let mut get = get();
        get.query("ClientToken", "t-1");
        vec![
            call(&server.client(), get).await.expect_err("404"),
            call(&ServiceClient::new(&nowhere, &ES), post()).await.expect_err("refused"),
        ]
    });
    assert_eq!(server.seen().len(), 3);
    let mut shown = capture.0.lock().expect("lock").clone();
    assert!(shown.contains("retrying") && shown.contains("aliyun_call"), "{shown}");
    for error in &errors {
        shown.push_str(&format!("{error}\n{error:?}\n"));
    }
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("Signature="), "{shown}");
}

#[test]
fn no_secret_in_tracing_debug_or_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let mut shown = String::new();
    runtime.block_on(async {
        // ECS: a metadata token, then a refresh that fails while the old
        // credential is valid (warning), then one after expiry (error).
        let ecs = Server::start(vec![
            Reply::new(200, "FAKE-METADATA-TOKEN"),
            Reply::new(200, "Role"),
            Reply::new(200, &metadata_answer("STS.ecs")),
            Reply::new(500, &format!(r#"{{"Code":"Oops","Message":"{STS_SECRET}"}}"#)),
        ]);
        let clock = TestClock::new();
        let provider = EcsRamRoleProvider::new().endpoint(ecs.url()).clock(clock.hook());
        let c = provider.provide_credentials().await.expect("first");
        shown.push_str(&format!("{c:?}\n{provider:?}\n"));
        clock.set_minutes(6 * 60 - 2);
        provider.provide_credentials().await.expect("kept");
        clock.set_minutes(6 * 60 + 1);
        let err = provider.provide_credentials().await.expect_err("expired");
        shown.push_str(&format!("{err}\n{err:?}\n"));

        // STS: a signed call, then an error answer.
        let sts = Server::start(vec![
            Reply::new(200, &sts_answer("STS.role", IN_ONE_HOUR)),
            Reply::new(400, r#"{"Code":"InvalidParameter"}"#),
        ]);
        let role = assume_role(&sts, &clock);
        clock.set_minutes(0);
        let c = role.provide_credentials().await.expect("role");
        shown.push_str(&format!("{c:?}\n{role:?}\n"));
        let err = assume_role(&sts, &clock).provide_credentials().await.expect_err("400");
        shown.push_str(&format!("{err}\n{err:?}\n"));
    });
    let logged = capture.0.lock().expect("lock").clone();
    assert!(logged.contains("credential refresh failed"), "{logged}");
    shown.push_str(&logged);
    assert_no_secret(&shown);
}
