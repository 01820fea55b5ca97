//! The RPC signature v1 (`RPC-HMAC-SHA1`): the older scheme of RPC products
//! (ECS, SLB, RAM, ...), still accepted everywhere and required by some
//! gateways. Opt in with
//! [`SignatureAlgorithm::RpcHmacSha1`](crate::SignatureAlgorithm::RpcHmacSha1).
//!
//! Every parameter (the common ones included) is signed as one set, whether
//! it travels in the query or in a form body; the signature travels as one
//! more parameter, `Signature`. No header takes part.

use base64::Engine as _;

use crate::sign::{hmac_sha1, percent_encode_into};

/// Every intermediate value of an RPC v1 signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcSignature {
    /// `METHOD&%2F&` + the twice-encoded sorted parameters.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1 with the key `secret + "&"`; sent as `Signature`.
    pub signature: String,
}

/// The parts of an RPC request that enter a v1 signature.
#[derive(Clone, Copy, Debug)]
pub struct RpcSigningInput<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// Query pairs with raw values, common parameters included, never
    /// `Signature`.
    pub query: &'a [(&'a str, &'a str)],
    /// Form body pairs with raw values (empty when there is no body).
    pub form: &'a [(&'a str, &'a str)],
    /// Access key secret; only ever fed to the HMAC.
    pub access_key_secret: &'a str,
}

/// Signs with the RPC v1 scheme: parameters sorted by raw name (byte order),
/// names and values RFC 3986-encoded, joined, and the whole encoded again
/// behind `METHOD&%2F&`.
pub fn sign_rpc_v1(input: &RpcSigningInput<'_>) -> RpcSignature {
    let mut pairs: Vec<&(&str, &str)> = input.query.iter().chain(input.form).collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut canonical = String::with_capacity(512);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            canonical.push('&');
        }
        percent_encode_into(&mut canonical, name);
        canonical.push('=');
        percent_encode_into(&mut canonical, value);
    }
    let mut string_to_sign = String::with_capacity(canonical.len() * 2 + 16);
    string_to_sign.push_str(input.method);
    string_to_sign.push_str("&%2F&");
    percent_encode_into(&mut string_to_sign, &canonical);
    let key = format!("{}&", input.access_key_secret);
    let signature = base64::engine::general_purpose::STANDARD.encode(hmac_sha1(&key, &string_to_sign));
    RpcSignature { string_to_sign, signature }
}

/// The common parameters of a v1-signed RPC call, in the order the official
/// client writes them (`SecurityToken` only with STS credentials).
pub(crate) fn common_params(
    action: &str,
    version: &str,
    timestamp: String,
    nonce: String,
    access_key_id: &str,
    security_token: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("Action", action.to_owned()),
        ("Format", "JSON".to_owned()),
        ("Version", version.to_owned()),
        ("Timestamp", timestamp),
        ("SignatureNonce", nonce),
        ("SignatureMethod", "HMAC-SHA1".to_owned()),
        ("SignatureVersion", "1.0".to_owned()),
        ("AccessKeyId", access_key_id.to_owned()),
    ];
    if let Some(token) = security_token {
        out.push(("SecurityToken", token.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the ECS "Request signatures" page.
    #[test]
    fn published_example() {
        let query = [
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ];
        let s =
            sign_rpc_v1(&RpcSigningInput { method: "GET", query: &query, form: &[], access_key_secret: "testsecret" });
        assert_eq!(s.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert!(s.string_to_sign.starts_with("GET&%2F&AccessKeyId%3Dtestid%26Action%3D"));
        assert!(s.string_to_sign.contains("Timestamp%3D2016-02-23T12%253A46%253A24Z"));
    }

    #[test]
    fn common_parameters_carry_the_token() {
        let p = common_params("A", "v", "t".into(), "n".into(), "id", Some("tok"));
        assert_eq!(p.last(), Some(&("SecurityToken", "tok".to_owned())));
        assert!(
            !common_params("A", "v", "t".into(), "n".into(), "id", None).iter().any(|(k, _)| *k == "SecurityToken")
        );
    }
}
