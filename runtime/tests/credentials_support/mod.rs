//! Fixtures shared by the credential provider tests: a hand-moved clock,
//! STS and metadata answers, and the RPC v1 check STS would make.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aliyun_runtime::sign_v1::{RpcSigningInput, sign_rpc_v1};
use aliyun_runtime::{AssumeRoleProvider, Credentials};

use crate::common::{Recorded, Server};

/// 2030-01-01T00:00:00Z.
pub const T0: u64 = 1_893_456_000;
pub const SOURCE_SECRET: &str = "FAKE-SOURCE-SECRET-1a2b";
pub const STS_SECRET: &str = "FAKE-STS-SECRET-3c4d";
pub const STS_TOKEN: &str = "FAKE-STS-TOKEN-5e6f";

/// A clock the test moves by hand.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicU64>);

impl TestClock {
    pub fn new() -> TestClock {
        TestClock(Arc::new(AtomicU64::new(T0)))
    }
    pub fn set_minutes(&self, minutes: u64) {
        self.0.store(T0 + minutes * 60, Ordering::SeqCst);
    }
    pub fn hook(&self) -> impl Fn() -> SystemTime + Send + Sync + 'static {
        let secs = self.0.clone();
        move || UNIX_EPOCH + Duration::from_secs(secs.load(Ordering::SeqCst))
    }
}

pub fn credential_fields(id: &str, expiration: &str) -> String {
    format!(
        r#""AccessKeyId":"{id}","AccessKeySecret":"{STS_SECRET}","SecurityToken":"{STS_TOKEN}","Expiration":"{expiration}""#
    )
}

pub fn sts_answer(id: &str, expiration: &str) -> String {
    format!(
        r#"{{"RequestId":"r-1","AssumedRoleUser":{{"Arn":"acs:ram::1:role/x/s","AssumedRoleId":"1:s"}},"Credentials":{{{}}}}}"#,
        credential_fields(id, expiration)
    )
}

/// An hour after T0.
pub const IN_ONE_HOUR: &str = "2030-01-01T01:00:00Z";

/// Every query pair of a recorded request, decoded.
pub fn query_pairs(r: &Recorded) -> Vec<(String, String)> {
    let Some((_, query)) = r.target.split_once('?') else { return Vec::new() };
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// What STS does with an RPC v1 request: take every query parameter but
/// `Signature` from the wire and sign them again with the runtime's own v1
/// signer (itself checked against Alibaba's vectors).
pub fn verify_v1(r: &Recorded, access_key_id: &str, secret: &str) {
    let pairs = query_pairs(r);
    let sent = pairs.iter().find(|(k, _)| k == "Signature").map(|(_, v)| v.clone()).expect("Signature parameter");
    assert_eq!(pairs.iter().find(|(k, _)| k == "AccessKeyId").map(|(_, v)| v.as_str()), Some(access_key_id));
    for required in ["Action", "Version", "Timestamp", "SignatureNonce", "SignatureMethod", "SignatureVersion"] {
        assert!(pairs.iter().any(|(k, _)| k == required), "{required} missing: {}", r.target);
    }
    let query: Vec<(&str, &str)> =
        pairs.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let expected =
        sign_rpc_v1(&RpcSigningInput { method: &r.method, query: &query, form: &[], access_key_secret: secret });
    assert_eq!(sent, expected.signature, "signature does not verify");
}

pub fn assume_role(server: &Server, clock: &TestClock) -> AssumeRoleProvider {
    AssumeRoleProvider::new(Credentials::new("source-ak", SOURCE_SECRET), "acs:ram::123:role/deployer")
        .endpoint(server.url())
        .role_session_name("ci-run")
        .clock(clock.hook())
}

/// Asserts that no fake secret appears in `text`.
pub fn assert_no_secret(text: &str) {
    for secret in [SOURCE_SECRET, STS_SECRET, STS_TOKEN, "FAKE-OIDC-JWT", "FAKE-METADATA-TOKEN"] {
        assert!(!text.contains(secret), "secret {secret} leaked: {text}");
    }
}

// ------------------------------------------------------------------ STS

pub fn metadata_answer(id: &str) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z",{}}}"#,
        credential_fields(id, "2030-01-01T06:00:00Z")
    )
}
