//! One HTTP attempt over reqwest: send, read the body under the read
//! timeout, and translate failures into this crate's error types.

use std::time::Duration;

use crate::error::{Error, ErrorDetails, TimeoutError, TimeoutKind, TransportError};
use crate::retry::parse_retry_after;

/// A fully signed request, ready for the wire.
#[derive(Clone, Debug)]
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

impl SignedRequest {
    /// Value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What one attempt brought back.
pub(crate) struct AttemptResponse {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

/// Sends one attempt. `url` is parsed once per call by the caller.
pub(crate) async fn send_attempt(
    http: &reqwest::Client,
    url: &reqwest::Url,
    signed: &SignedRequest,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<AttemptResponse, Error<ErrorDetails>> {
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
    let request = builder
        .build()
        .map_err(|e| Error::Construction(format!("cannot build HTTP request: {e}")))?;

    let read_timeout_error = || {
        Error::Timeout(TimeoutError {
            kind: TimeoutKind::Read,
            after: Some(read_timeout),
        })
    };
    let mut response = tokio::time::timeout(read_timeout, http.execute(request))
        .await
        .map_err(|_| read_timeout_error())?
        .map_err(|e| map_reqwest_error(e, connect_timeout))?;

    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request_id = header("x-acs-request-id");
    let retry_after = header("x-acs-retry-after").and_then(|v| parse_retry_after(&v));
    let mut body = Vec::new();
    loop {
        let chunk = tokio::time::timeout(read_timeout, response.chunk())
            .await
            .map_err(|_| read_timeout_error())?
            .map_err(|e| map_reqwest_error(e, connect_timeout))?;
        match chunk {
            Some(bytes) => body.extend_from_slice(&bytes),
            None => break,
        }
    }
    Ok(AttemptResponse {
        status,
        request_id,
        retry_after,
        body,
    })
}

fn map_reqwest_error(error: reqwest::Error, connect_timeout: Duration) -> Error<ErrorDetails> {
    if error.is_connect() && error.is_timeout() {
        return Error::Timeout(TimeoutError {
            kind: TimeoutKind::Connect,
            after: Some(connect_timeout),
        });
    }
    if error.is_timeout() {
        return Error::Timeout(TimeoutError {
            kind: TimeoutKind::Read,
            after: None,
        });
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
