//! One HTTP attempt over reqwest: send, read the body under the read
//! timeout and the size limits, and translate failures into this crate's
//! error types.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, ErrorDetails, ResponseTooLarge, TimeoutError, TimeoutKind, TransportError};
use crate::retry::parse_retry_after;

/// Headers whose values are secrets (or prove knowledge of one), shown as
/// `<redacted>` by `Debug`.
const SECRET_HEADERS: [&str; 2] = ["authorization", "x-acs-security-token"];

/// A fully signed request, ready for the wire.
///
/// `Debug` shows the method, URL and headers, but never the values of
/// `authorization` (the signature) or `x-acs-security-token`, and only the
/// length of the body. The fields stay public for tools that must see the
/// exact request (golden tests, `aliyun-sign`).
#[derive(Clone)]
pub struct SignedRequest {
    /// HTTP method.
    pub method: crate::Method,
    /// Full URL with the encoded query.
    pub url: String,
    /// Every header to send, `authorization` included. `host` is listed
    /// because it is signed, but the HTTP client derives it from the URL.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut list = f.debug_list();
                for (name, value) in self.0 {
                    let secret = SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s));
                    let value: &dyn fmt::Debug = if secret { &"<redacted>" } else { value };
                    list.entry(&(name, value));
                }
                list.finish()
            }
        }
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Headers(&self.headers))
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

impl SignedRequest {
    /// Value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What one attempt brought back.
pub(crate) struct AttemptResponse {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
    /// An error body was larger than its limit: `body` holds only its
    /// first bytes, the rest was not read.
    pub(crate) oversized: bool,
}

/// The time and size limits of one attempt.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    /// Largest 2xx body; a larger one fails the call.
    pub(crate) max_response: u64,
    /// Largest error body; a larger one is cut and still reported.
    pub(crate) max_error_response: u64,
}

/// Sends one attempt. `url` is parsed once per call by the caller.
pub(crate) async fn send_attempt(
    http: &reqwest::Client,
    url: &reqwest::Url,
    signed: &SignedRequest,
    limits: Limits,
) -> Result<AttemptResponse, Error<ErrorDetails>> {
    let Limits { connect_timeout, read_timeout, .. } = limits;
    let method = match signed.method {
        crate::Method::Get => reqwest::Method::GET,
        crate::Method::Post => reqwest::Method::POST,
        crate::Method::Put => reqwest::Method::PUT,
        crate::Method::Delete => reqwest::Method::DELETE,
        crate::Method::Patch => reqwest::Method::PATCH,
        crate::Method::Head => reqwest::Method::HEAD,
    };
    let mut headers = reqwest::header::HeaderMap::with_capacity(signed.headers.len());
    for (name, value) in &signed.headers {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Construction(format!("invalid header name {name:?}")))?;
        let value = reqwest::header::HeaderValue::from_bytes(value.as_bytes())
            .map_err(|_| Error::Construction(format!("invalid value for header {name}")))?;
        headers.insert(name, value);
    }
    let mut builder = http.request(method, url.clone()).headers(headers);
    if let Some(body) = &signed.body {
        builder = builder.body(body.clone());
    }
    let request = builder.build().map_err(|e| Error::Construction(format!("cannot build HTTP request: {e}")))?;

    let read_timeout_error = || Error::Timeout(TimeoutError { kind: TimeoutKind::Read, after: Some(read_timeout) });
    let mut response = tokio::time::timeout(read_timeout, http.execute(request))
        .await
        .map_err(|_| read_timeout_error())?
        .map_err(|e| map_reqwest_error(e, connect_timeout))?;

    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let request_id = header("x-acs-request-id");
    let retry_after = header("x-acs-retry-after").and_then(|v| parse_retry_after(&v));
    let success = (200..300).contains(&status);
    let limit = if success { limits.max_response } else { limits.max_error_response };
    let too_large = |seen: u64, announced: bool, request_id: Option<String>| {
        Error::TooLarge(ResponseTooLarge { status, request_id, limit, seen, announced })
    };
    let announced = response.content_length();
    if let Some(length) = announced.filter(|length| *length > limit) {
        // Refused before reading a byte; dropping the response closes the
        // connection instead of draining it.
        if success {
            return Err(too_large(length, true, request_id));
        }
        return Ok(AttemptResponse { status, request_id, retry_after, body: Vec::new(), oversized: true });
    }
    // Reserve what the server announced (already checked against the limit)
    // so a large body is not copied while the buffer doubles.
    let capacity = announced.and_then(|length| usize::try_from(length).ok()).unwrap_or(0);
    let mut body = Vec::with_capacity(capacity);
    let mut oversized = false;
    loop {
        let chunk = tokio::time::timeout(read_timeout, response.chunk())
            .await
            .map_err(|_| read_timeout_error())?
            .map_err(|e| map_reqwest_error(e, connect_timeout))?;
        let Some(bytes) = chunk else { break };
        let seen = (body.len() + bytes.len()) as u64;
        if seen > limit {
            // A chunked (or lying) body crossed the limit: stop here rather
            // than after buffering all of it.
            if success {
                return Err(too_large(seen, false, request_id));
            }
            let room = usize::try_from(limit).unwrap_or(usize::MAX).saturating_sub(body.len());
            body.extend_from_slice(&bytes[..room.min(bytes.len())]);
            oversized = true;
            break;
        }
        body.extend_from_slice(&bytes);
    }
    Ok(AttemptResponse { status, request_id, retry_after, body, oversized })
}

/// Builds the HTTP client of a [`Config`](crate::Config): one per Config so
/// connections are reused across calls. Redirects are off: a redirected
/// signed request would fail signature checks anyway, and following one
/// could send credentials-bearing headers elsewhere.
pub(crate) fn build_http_client(connect_timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        .build()
        .map_err(|e| format!("cannot build HTTP client: {e}"))
}

fn map_reqwest_error(error: reqwest::Error, connect_timeout: Duration) -> Error<ErrorDetails> {
    // The URL is the caller's business and may carry query values; errors
    // travel into logs, so they do not repeat it.
    let error = error.without_url();
    if error.is_connect() && error.is_timeout() {
        return Error::Timeout(TimeoutError { kind: TimeoutKind::Connect, after: Some(connect_timeout) });
    }
    if error.is_timeout() {
        return Error::Timeout(TimeoutError { kind: TimeoutKind::Read, after: None });
    }
    // reqwest's own message is generic; the cause chain says what happened.
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    let connect = error.is_connect();
    Error::Transport(TransportError::new(message, connect, Some(Box::new(error))))
}
