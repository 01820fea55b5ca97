//! Request signing: ACS3-HMAC-SHA256 (what Alibaba's current SDKs send by
//! default) and the older ROA HMAC-SHA1 scheme (`Authorization: acs AK:sig`);
//! the RPC signature v1 is in [`crate::sign_v1`].
//!
//! These are pure functions over already-assembled request parts so that the
//! signing test vectors, the `aliyun-sign` binary and the client share one
//! implementation.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// Everything outside RFC 3986 "unreserved" (ALPHA / DIGIT / `-._~`) is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` per RFC 3986: unreserved characters stay, every
/// other byte of its UTF-8 form becomes `%XX` (space is `%20`, `/` is `%2F`).
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, RFC3986).to_string()
}

/// Appends the RFC 3986 encoding of `value` to `out` without an intermediate
/// allocation (the signer runs on every request).
pub(crate) fn percent_encode_into(out: &mut String, value: &str) {
    for piece in utf8_percent_encode(value, RFC3986) {
        out.push_str(piece);
    }
}

/// Which signature scheme a [`Config`](crate::Config) uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// `ACS3-HMAC-SHA256`, the default of the official SDKs.
    #[default]
    Acs3HmacSha256,
    /// The ROA `HMAC-SHA1` scheme described in the API reference pages.
    RoaHmacSha1,
    /// The RPC signature v1 (`HMAC-SHA1`, `Signature` in the query), for
    /// RPC products only (see [`crate::sign_v1`]).
    RpcHmacSha1,
}

impl SignatureAlgorithm {
    /// The name used in the signing vectors and by the `aliyun-sign` tool.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureAlgorithm::Acs3HmacSha256 => "ACS3-HMAC-SHA256",
            SignatureAlgorithm::RoaHmacSha1 => "ROA-HMAC-SHA1",
            SignatureAlgorithm::RpcHmacSha1 => "RPC-HMAC-SHA1",
        }
    }

    /// Parses the names returned by [`SignatureAlgorithm::as_str`].
    pub fn from_name(name: &str) -> Option<SignatureAlgorithm> {
        match name {
            "ACS3-HMAC-SHA256" => Some(SignatureAlgorithm::Acs3HmacSha256),
            "ROA-HMAC-SHA1" => Some(SignatureAlgorithm::RoaHmacSha1),
            "RPC-HMAC-SHA1" => Some(SignatureAlgorithm::RpcHmacSha1),
            _ => None,
        }
    }
}

/// The parts of a request that enter a signature. `Debug` hides the
/// access key secret.
#[derive(Clone, Copy)]
pub struct SigningInput<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Path exactly as sent (segments already percent-encoded).
    pub path: &'a str,
    /// Query pairs with raw (not encoded) values, in any order.
    pub query: &'a [(&'a str, &'a str)],
    /// Exactly the headers that take part in the signature.
    pub headers: &'a [(&'a str, &'a str)],
    /// Access key id.
    pub access_key_id: &'a str,
    /// Access key secret; only ever fed to the HMAC.
    pub access_key_secret: &'a str,
}

/// Every intermediate value of an ACS3-HMAC-SHA256 signature. `Debug`
/// hides the signature (and the `Authorization` value that carries it);
/// the fields are public for tools that print them on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Acs3Signature {
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
    pub string_to_sign: String,
    /// Sorted, lower-case, `;`-separated header names.
    pub signed_headers: String,
    /// Hex HMAC-SHA256.
    pub signature: String,
    /// The full `Authorization` header value.
    pub authorization: String,
    /// Hex SHA-256 of the body that the signature covers.
    pub content_sha256: String,
}

/// Every intermediate value of a ROA HMAC-SHA1 signature. `Debug` hides
/// the signature, as for [`Acs3Signature`].
#[derive(Clone, PartialEq, Eq)]
pub struct RoaSignature {
    /// The string that was signed.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1.
    pub signature: String,
    /// The full `Authorization` header value (`acs AK:signature`).
    pub authorization: String,
}

impl fmt::Debug for SigningInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningInput")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for Acs3Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acs3Signature")
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &REDACTED)
            .field("authorization", &REDACTED)
            .field("content_sha256", &self.content_sha256)
            .finish()
    }
}

impl fmt::Debug for RoaSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoaSignature")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &REDACTED)
            .field("authorization", &REDACTED)
            .finish()
    }
}

/// What `Debug` shows in place of a secret.
const REDACTED: &str = "<redacted>";

/// Hex SHA-256 of `body`; `None` hashes the empty string, as the official
/// client does for body-less requests.
pub fn content_sha256(body: Option<&[u8]>) -> String {
    match body {
        // Most calls have no body; skip hashing the constant.
        None | Some([]) => EMPTY_SHA256.to_owned(),
        Some(bytes) => hex::encode(Sha256::digest(bytes)),
    }
}

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Signs with ACS3-HMAC-SHA256. `content_sha256` is the hex body hash (see
/// [`content_sha256`]); it is passed in so the caller can reuse the value it
/// already put in the `x-acs-content-sha256` header instead of hashing twice.
pub fn sign_acs3(input: &SigningInput<'_>, content_sha256: &str) -> Acs3Signature {
    let mut headers: Vec<(Cow<'_, str>, &str)> =
        input.headers.iter().map(|(name, value)| (lower(name), value.trim())).collect();
    headers.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut query: Vec<&(&str, &str)> = input.query.iter().collect();
    query.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let mut canonical = String::with_capacity(512);
    canonical.push_str(input.method);
    canonical.push('\n');
    canonical.push_str(input.path);
    canonical.push('\n');
    for (i, (key, value)) in query.iter().enumerate() {
        if i > 0 {
            canonical.push('&');
        }
        // Keys are written as they are, values encoded: what the official
        // signer does (a key needing encoding would otherwise sign
        // differently from the official client).
        canonical.push_str(key);
        canonical.push('=');
        percent_encode_into(&mut canonical, value);
    }
    canonical.push('\n');
    let mut signed_headers = String::with_capacity(160);
    for (i, (name, value)) in headers.iter().enumerate() {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value);
        canonical.push('\n');
        if i > 0 {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(content_sha256);

    let string_to_sign = format!("ACS3-HMAC-SHA256\n{}", hex::encode(Sha256::digest(canonical.as_bytes())));
    let signature = hex::encode(hmac_sha256(input.access_key_secret, &string_to_sign));
    let authorization = format!(
        "ACS3-HMAC-SHA256 Credential={},SignedHeaders={},Signature={}",
        input.access_key_id, signed_headers, signature
    );
    Acs3Signature {
        canonical_request: canonical,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
        content_sha256: content_sha256.to_owned(),
    }
}

/// Signs with the ROA HMAC-SHA1 scheme. The body does not enter it.
pub fn sign_roa(input: &SigningInput<'_>) -> RoaSignature {
    let lookup = |wanted: &str| {
        input
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.trim())
            .unwrap_or("")
    };
    let mut string_to_sign = String::with_capacity(512);
    string_to_sign.push_str(input.method);
    string_to_sign.push('\n');
    for name in ["accept", "content-md5", "content-type", "date"] {
        string_to_sign.push_str(lookup(name));
        string_to_sign.push('\n');
    }
    let mut acs: Vec<(String, &str)> = input
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
        .filter(|(name, _)| name.starts_with("x-acs-"))
        .collect();
    acs.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in &acs {
        string_to_sign.push_str(name);
        string_to_sign.push(':');
        string_to_sign.push_str(value);
        string_to_sign.push('\n');
    }
    string_to_sign.push_str(input.path);
    let mut query: Vec<&(&str, &str)> = input.query.iter().collect();
    query.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (i, (key, value)) in query.iter().enumerate() {
        string_to_sign.push(if i == 0 { '?' } else { '&' });
        string_to_sign.push_str(key);
        if !value.is_empty() {
            string_to_sign.push('=');
            string_to_sign.push_str(value);
        }
    }
    let signature =
        base64::engine::general_purpose::STANDARD.encode(hmac_sha1(input.access_key_secret, &string_to_sign));
    let authorization = format!("acs {}:{}", input.access_key_id, signature);
    RoaSignature { string_to_sign, signature, authorization }
}

/// Lower-cases a header name, allocating only when it has upper case (the
/// client's own names never do; signing runs on every attempt).
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn hmac_sha256(key: &str, data: &str) -> Vec<u8> {
    // HMAC accepts keys of any length, so new_from_slice cannot fail; the
    // fallback only exists to keep this path free of unwrap.
    match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(data.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

pub(crate) fn hmac_sha1(key: &str, data: &str) -> Vec<u8> {
    match Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(data.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Formats a time as the `x-acs-date` header wants it: `2020-02-06T07:32:54Z`.
pub fn format_acs_date(time: std::time::SystemTime) -> String {
    let secs = time.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm); avoids a date-time dependency for one header.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn encodes_per_rfc3986() {
        assert_eq!(percent_encode("a b/c*~-._"), "a%20b%2Fc%2A~-._");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("a+b=c&d%"), "a%2Bb%3Dc%26d%25");
    }

    #[test]
    fn formats_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_580_974_374);
        assert_eq!(format_acs_date(t), "2020-02-06T07:32:54Z");
        assert_eq!(format_acs_date(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(format_acs_date(leap), "2000-02-29T00:00:00Z");
    }

    /// Regression: query keys (from `CallOptions::query`) were
    /// percent-encoded in the canonical request; the official signer writes
    /// them as they are and encodes values only.
    #[test]
    fn canonical_query_keys_are_not_encoded() {
        let input = SigningInput {
            method: "GET",
            path: "/",
            query: &[("a b*", "c d*")],
            headers: &[],
            access_key_id: "id",
            access_key_secret: "secret",
        };
        let s = sign_acs3(&input, EMPTY_SHA256);
        assert_eq!(s.canonical_request.lines().nth(2), Some("a b*=c%20d%2A"));
    }

    #[test]
    fn debug_hides_secrets() {
        let headers = [("x-acs-security-token", "FAKE-STS-TOKEN")];
        let input = SigningInput {
            method: "GET",
            path: "/",
            query: &[],
            headers: &headers,
            access_key_id: "fake-id",
            access_key_secret: "FAKE-SECRET",
        };
        let shown = format!("{input:?}");
        assert!(shown.contains("fake-id") && !shown.contains("FAKE-SECRET"), "{shown}");
        let acs3 = sign_acs3(&input, EMPTY_SHA256);
        let shown = format!("{acs3:?}");
        assert!(!shown.contains(&acs3.signature) && shown.contains("canonical_request"), "{shown}");
        let roa = sign_roa(&input);
        let shown = format!("{roa:?}");
        assert!(!shown.contains(&roa.signature), "{shown}");
    }

    #[test]
    fn empty_body_hash() {
        assert_eq!(content_sha256(None), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(content_sha256(Some(b"")), content_sha256(None));
        assert_eq!(EMPTY_SHA256, hex::encode(Sha256::digest(b"")));
    }
}
