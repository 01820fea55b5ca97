//! Every case of `../shared/signing/vectors.json` through our signer.

use std::path::PathBuf;

use aliyun_runtime::sign::{self, SigningInput};
use serde_json::Value;

fn vectors() -> Option<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/signing/vectors.json");
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("vectors.json is valid JSON")),
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "{} missing under CI: {e}", path.display());
            println!("skipping: {} not found", path.display());
            None
        }
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

#[test]
fn all_signing_vectors_pass() {
    let Some(doc) = vectors() else { return };
    let cases = doc["cases"].as_array().expect("cases array");
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let name = str_of(case, "name");
        let input = &case["input"];
        let expected = &case["expected"];
        let query: Vec<(&str, &str)> = input["query"]
            .as_array()
            .expect("query")
            .iter()
            .map(|pair| (pair[0].as_str().expect("key"), pair[1].as_str().expect("value")))
            .collect();
        let headers: Vec<(&str, &str)> = input["headers"]
            .as_object()
            .expect("headers")
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().expect("header value")))
            .collect();
        let signing = SigningInput {
            method: str_of(input, "method"),
            path: str_of(input, "path"),
            query: &query,
            headers: &headers,
            access_key_id: str_of(input, "access_key_id"),
            access_key_secret: str_of(input, "access_key_secret"),
        };
        let mut check = |field: &str, got: &str| {
            let want = str_of(expected, field);
            if got != want {
                failures.push(format!("{name}: {field}\n  want {want:?}\n  got  {got:?}"));
            }
        };
        match str_of(case, "algorithm") {
            "ACS3-HMAC-SHA256" => {
                let hash = sign::content_sha256(input["body"].as_str().map(str::as_bytes));
                let s = sign::sign_acs3(&signing, &hash);
                check("canonical_request", &s.canonical_request);
                check("string_to_sign", &s.string_to_sign);
                check("signed_headers", &s.signed_headers);
                check("signature", &s.signature);
                check("authorization", &s.authorization);
                check("content_sha256", &s.content_sha256);
            }
            "ROA-HMAC-SHA1" => {
                let s = sign::sign_roa(&signing);
                check("string_to_sign", &s.string_to_sign);
                check("signature", &s.signature);
                check("authorization", &s.authorization);
            }
            other => failures.push(format!("{name}: unknown algorithm {other}")),
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    println!("{} signing vectors passed", cases.len());
}

/// The `aliyun-sign` binary agrees with the vectors too.
#[test]
fn aliyun_sign_binary_matches_vectors() {
    let Some(doc) = vectors() else { return };
    let bin = env!("CARGO_BIN_EXE_aliyun-sign");
    for case in doc["cases"].as_array().expect("cases") {
        let mut input = case["input"].clone();
        input["algorithm"] = case["algorithm"].clone();
        let output = run(bin, &input.to_string());
        assert!(output.status.success(), "{}: {}", case["name"], String::from_utf8_lossy(&output.stderr));
        let got: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
        assert_eq!(got, case["expected"], "{}", case["name"]);
    }
}

#[test]
fn aliyun_sign_rejects_bad_input() {
    let bin = env!("CARGO_BIN_EXE_aliyun-sign");
    for bad in [
        "",
        "not json",
        r#"{"method":"GET"}"#,
        r#"{"algorithm":"MD5","method":"GET","path":"/","access_key_id":"a","access_key_secret":"b"}"#,
    ] {
        let output = run(bin, bad);
        assert_eq!(output.status.code(), Some(1), "input {bad:?}");
        assert!(!output.stderr.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

fn run(bin: &str, stdin: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = std::process::Command::new(bin)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn aliyun-sign");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}
