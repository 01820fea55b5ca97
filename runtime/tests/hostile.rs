//! The client against a server that misbehaves: bodies over the limits,
//! chunked floods, short and dripping bodies, HTML where JSON belongs,
//! retry-after on answers that must not be resent, hostile headers. Each
//! answer must give a typed error and nothing worse, and no secret may
//! reach `Debug`, `Display` or tracing output.

mod hostile_server;

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aliyun_runtime::{CallOptions, Credentials, Error, ErrorDetails, RetryConfig, ServiceClient, TimeoutKind};
use hostile_server::*;

#[tokio::test]
async fn announced_body_over_the_limit_is_refused_unread() {
    let body = format!("[{}]", r#"{"tagKey":"k","tagValue":"v"},"#.repeat(70_000));
    let server = Hostile::start(move |_, s| answer(s, 200, &[("x-acs-request-id", "big-1")], body.as_bytes()));
    let client = ServiceClient::new(&server.config().max_response_size(1 << 20).build(), &ES);
    let err = call(&client, get()).await.expect_err("too large");
    let Error::TooLarge(e) = &err else { panic!("{err:?}") };
    assert!(e.announced);
    assert_eq!((e.limit, e.seen, e.status), (1 << 20, 70_000 * 30 + 2, 200));
    assert_eq!(err.request_id(), Some("big-1"));
    let text = err.to_string();
    assert!(text.contains("1048576") && text.contains("2100002"), "{text}");
    assert_eq!(server.seen().len(), 1, "the same body would come back: not retried");
}

#[tokio::test]
async fn chunked_body_over_the_limit_fails_while_reading() {
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    let server = Hostile::start(move |_, s| flood(s, 200, 1 << 30, &counter));
    let limit = 1u64 << 20;
    let client = ServiceClient::new(&server.config().max_response_size(limit).build(), &ES);
    let err = call(&client, get()).await.expect_err("too large");
    let Error::TooLarge(e) = &err else { panic!("{err:?}") };
    assert!(!e.announced);
    assert!(e.seen > limit && e.seen <= limit + 64 * 1024, "stopped at the first chunk past the limit: {e:?}");
    // The server is blocked or failing on a closed socket long before 1 GiB.
    std::thread::sleep(Duration::from_millis(50));
    assert!(written.load(Ordering::SeqCst) < 256 << 20, "{}", written.load(Ordering::SeqCst));
}

#[tokio::test]
async fn error_body_over_its_limit_is_still_a_service_error() {
    let big = format!(r#"{{"Code":"Throttling","Message":"{}"}}"#, "x".repeat(200_000));
    for chunked in [false, true] {
        let body = big.clone();
        let written = Arc::new(AtomicU64::new(0));
        let server = Hostile::start(move |_, s| {
            if chunked {
                flood(s, 500, 1 << 30, &written)
            } else {
                answer(s, 500, &[("x-acs-request-id", "flood-1")], body.as_bytes())
            }
        });
        let client = ServiceClient::new(&server.config().retry(RetryConfig::disabled()).build(), &ES);
        let err = call(&client, post()).await.expect_err("500");
        let details = err.service().expect("a service error");
        assert_eq!((details.status, details.code.as_str()), (500, "HttpStatus500"));
        assert_eq!(details.request_id.as_deref(), Some("flood-1"));
        assert!(details.message.contains("65536"), "{}", details.message);
        assert!(details.body.len() <= ErrorDetails::BODY_EXCERPT + 3);
    }
}

#[tokio::test]
async fn retry_after_does_not_make_a_post_retryable() {
    let server = Hostile::start(|_, s| answer(s, 503, &[("x-acs-retry-after", "5")], b"busy"));
    let err = call(&server.client(), post()).await.expect_err("503");
    assert_eq!(err.code(), Some("HttpStatus503"));
    assert_eq!(server.seen().len(), 1, "a POST without a token may have been processed");
}

#[tokio::test]
async fn retry_after_sets_the_delay_of_a_get() {
    let server = Hostile::start(|i, s| match i {
        0 => answer(s, 503, &[("x-acs-retry-after", "150")], b"busy"),
        _ => answer(s, 200, &[], br#"{"RequestId":"r-2","Port":9200}"#),
    });
    let config = server
        .config()
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_secs(5)))
        .build();
    let out = call(&ServiceClient::new(&config, &ES), get()).await.expect("retried");
    assert_eq!((out.port, out.request_id.as_deref()), (Some(9200), Some("r-2")));
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.method == "GET"));
    let gap = seen[1].at - seen[0].at;
    assert!(gap >= Duration::from_millis(150), "waited {gap:?}, asked 150 ms");
}

#[tokio::test]
async fn idempotent_calls_are_retried_like_gets() {
    let server = Hostile::start(|i, s| match i {
        0 => answer(s, 503, &[], b"busy"),
        _ => answer(s, 200, &[], b"{}"),
    });
    let mut marked = post();
    marked.idempotent();
    call(&server.client(), marked).await.expect("retried");
    assert_eq!(server.seen().len(), 2);

    let server = Hostile::start(|i, s| match i {
        0 => answer(s, 503, &[], b"busy"),
        _ => answer(s, 200, &[], b"{}"),
    });
    let client = server.client().with_options(CallOptions::new().idempotent(true));
    call(&client, post()).await.expect("retried");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn html_where_json_belongs_is_a_parse_error() {
    let page = format!("<html><body>{}</body></html>", "Gateway says hello. ".repeat(5_000));
    let server = Hostile::start(move |_, s| answer(s, 200, &[("x-acs-request-id", "html-1")], page.as_bytes()));
    match call(&server.client(), get()).await {
        Err(Error::Parse { status, request_id, message, body }) => {
            assert_eq!((status, request_id.as_deref()), (200, Some("html-1")));
            assert!(message.starts_with("invalid JSON"), "{message}");
            assert!(
                body.starts_with("<html><body>Gateway") && body.len() <= ErrorDetails::BODY_EXCERPT + 3,
                "{}",
                body.len()
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_number_too_large_names_its_member() {
    let server = Hostile::start(|_, s| answer(s, 200, &[], br#"{"RequestId":"r","Port":99999999999999999999999}"#));
    match call(&server.client(), get()).await {
        Err(Error::Parse { message, request_id, .. }) => {
            assert!(message.contains("`Port`") && message.contains("32-bit"), "{message}");
            assert_eq!(request_id.as_deref(), Some("r"), "the body's id when the header is missing");
        }
        other => panic!("{other:?}"),
    }
}

/// Announces 100 bytes, sends 10, hangs up.
fn short_body(stream: &mut TcpStream) -> std::io::Result<bool> {
    stream.write_all(b"HTTP/1.1 200 Hostile\r\ncontent-length: 100\r\n\r\n{\"Port\":1,")?;
    stream.flush()?;
    Ok(false)
}

#[tokio::test]
async fn a_short_body_is_a_transport_error_retried_only_when_safe() {
    let server = Hostile::start(|_, s| short_body(s));
    let err = call(&server.client(), post()).await.expect_err("short");
    assert!(matches!(&err, Error::Transport(t) if !t.is_connect()), "{err:?}");
    assert_eq!(server.seen().len(), 1);

    let server = Hostile::start(|_, s| short_body(s));
    let err = call(&server.client(), get()).await.expect_err("short");
    assert!(matches!(&err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.seen().len(), 3, "a GET is retried until attempts run out");
}

#[tokio::test]
async fn a_dripping_body_is_ended_by_the_operation_timeout() {
    let server = Hostile::start(|_, s| {
        s.write_all(b"HTTP/1.1 200 Hostile\r\ncontent-length: 100000\r\n\r\n{\"Port\":")?;
        for _ in 0..100_000 {
            std::thread::sleep(Duration::from_millis(20));
            s.write_all(b" ")?;
        }
        Ok(false)
    });
    let config =
        server.config().read_timeout(Duration::from_secs(10)).operation_timeout(Duration::from_millis(300)).build();
    let err = call(&ServiceClient::new(&config, &ES), get()).await.expect_err("timeout");
    assert!(matches!(&err, Error::Timeout(t) if t.kind == TimeoutKind::Operation), "{err:?}");
}

#[tokio::test]
async fn hostile_retry_after_values_are_capped_or_ignored() {
    for value in ["1e300", "99999999999999999999999", "soon", "-5", "NaN"] {
        let server = Hostile::start(move |i, s| match i {
            0 => answer(s, 400, &[("x-acs-retry-after", value)], br#"{"Code":"Throttling.User"}"#),
            _ => answer(s, 200, &[], b"{}"),
        });
        call(&server.client(), post()).await.expect("retried after a capped wait");
        assert_eq!(server.seen().len(), 2, "{value}");
    }
}

#[tokio::test]
async fn signed_request_debug_hides_secrets() {
    let server = Hostile::start(|_, s| answer(s, 200, &[], b"{}"));
    let client = server.client();
    let credentials = Credentials::new("fake-id", SECRET).with_security_token(TOKEN);
    let signed = client.sign(&post(), &credentials).expect("signs");
    let shown = format!("{signed:?}");
    let signature = signed.header("authorization").expect("authorization");
    assert_eq!(signed.header("x-acs-security-token"), Some(TOKEN), "sent on the wire");
    assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "{shown}");
    let signature = signature.rsplit("Signature=").next().expect("signature");
    assert!(!shown.contains(signature), "{shown}");
    assert!(shown.contains("x-acs-security-token") && shown.contains("/openapi/things"), "{shown}");
}
