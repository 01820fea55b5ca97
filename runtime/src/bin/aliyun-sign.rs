//! `aliyun-sign`: signs one request read as JSON on stdin and prints every
//! intermediate value, for checking signatures against other tools.
//!
//! Input: the `input` object of `signing/vectors.json` plus `"algorithm"`
//! (`ACS3-HMAC-SHA256`, the default, `ROA-HMAC-SHA1` or `RPC-HMAC-SHA1`),
//! or the `input` object of `signing/rpc_vectors.json` with its `form`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::process::ExitCode;

use aliyun_runtime::sign::{self, SignatureAlgorithm, SigningInput};
use aliyun_runtime::sign_v1;

const HELP: &str = "\
aliyun-sign: sign one Alibaba Cloud request read as JSON on stdin

USAGE: aliyun-sign < request.json

INPUT (JSON object):
  algorithm          \"ACS3-HMAC-SHA256\" (default), \"ROA-HMAC-SHA1\" or \"RPC-HMAC-SHA1\"
  method             HTTP method, e.g. \"GET\"
  path               path exactly as sent (already percent-encoded)
  query              [[key, value], ...] with raw values (default []); for RPC,
                     the common parameters included, never Signature
  form               RPC only: [[key, value], ...] of a form body, or null
  headers            {name: value} of the headers that are signed
  body               body text or null
  access_key_id      access key id
  access_key_secret  access key secret

OUTPUT (JSON object):
  ACS3: canonical_request, string_to_sign, signed_headers, signature,
        authorization, content_sha256
  ROA:  string_to_sign, signature, authorization
  RPC:  string_to_sign, signature, query_string (the query pairs in order,
        then Signature, RFC 3986-encoded), form_body (sorted, when a form)

Exit status 1 on bad input.";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    #[serde(default)]
    algorithm: Option<String>,
    method: String,
    path: String,
    #[serde(default)]
    query: Vec<(String, String)>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    form: Option<Vec<(String, String)>>,
    access_key_id: String,
    access_key_secret: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{HELP}");
        return ExitCode::SUCCESS;
    }
    if let Some(arg) = args.first() {
        eprintln!("aliyun-sign: unexpected argument {arg:?} (the request is read from stdin; see --help)");
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("aliyun-sign: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| format!("cannot read stdin: {e}"))?;
    if text.trim().is_empty() {
        return Err("no input on stdin (see --help)".to_owned());
    }
    let input: Input = serde_json::from_str(&text).map_err(|e| format!("invalid request JSON: {e}"))?;
    let algorithm = match input.algorithm.as_deref() {
        None => SignatureAlgorithm::Acs3HmacSha256,
        Some(name) => SignatureAlgorithm::from_name(name).ok_or_else(|| {
            format!("unknown algorithm {name:?}; expected ACS3-HMAC-SHA256, ROA-HMAC-SHA1 or RPC-HMAC-SHA1")
        })?,
    };
    let query: Vec<(&str, &str)> = input.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let headers: Vec<(&str, &str)> = input.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let signing = SigningInput {
        method: &input.method,
        path: &input.path,
        query: &query,
        headers: &headers,
        access_key_id: &input.access_key_id,
        access_key_secret: &input.access_key_secret,
    };
    let output = match algorithm {
        SignatureAlgorithm::Acs3HmacSha256 => {
            let hash = sign::content_sha256(input.body.as_deref().map(str::as_bytes));
            let s = sign::sign_acs3(&signing, &hash);
            serde_json::json!({
                "canonical_request": s.canonical_request,
                "string_to_sign": s.string_to_sign,
                "signed_headers": s.signed_headers,
                "signature": s.signature,
                "authorization": s.authorization,
                "content_sha256": s.content_sha256,
            })
        }
        SignatureAlgorithm::RpcHmacSha1 => {
            let form: Vec<(&str, &str)> = input.form.iter().flatten().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let s = sign_v1::sign_rpc_v1(&sign_v1::RpcSigningInput {
                method: &input.method,
                query: &query,
                form: &form,
                access_key_secret: &input.access_key_secret,
            });
            let mut sent = query.clone();
            sent.push(("Signature", &s.signature));
            let mut sorted = form.clone();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let mut output = serde_json::json!({
                "string_to_sign": s.string_to_sign,
                "signature": s.signature,
                "query_string": encode_pairs(&sent),
            });
            if input.form.is_some() {
                output["form_body"] = encode_pairs(&sorted).into();
            }
            output
        }
        SignatureAlgorithm::RoaHmacSha1 => {
            let s = sign::sign_roa(&signing);
            serde_json::json!({
                "string_to_sign": s.string_to_sign,
                "signature": s.signature,
                "authorization": s.authorization,
            })
        }
    };
    serde_json::to_string_pretty(&output).map_err(|e| format!("cannot write output: {e}"))
}

/// `k=v&..` with names and values RFC 3986-encoded.
fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
