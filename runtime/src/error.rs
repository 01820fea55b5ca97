//! Errors of a call, and the parsing of service error bodies.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;

/// Implemented by every generated per-operation error enum (the rest of
/// what those enums share comes from [`operation_error!`](crate::operation_error)).
pub trait OperationError: Sized + fmt::Debug {
    /// Classifies a service error (generated code matches on `details.code`).
    fn from_details(details: ErrorDetails) -> Self;
    /// The details the error was built from.
    fn details(&self) -> &ErrorDetails;
}

/// The methods and trait impls every per-operation error enum shares,
/// written once here instead of once per operation in generated code.
///
/// The generated enum (a documented variant per error code the page lists,
/// each holding an [`ErrorDetails`], plus `Unhandled` for every other code)
/// implements [`OperationError`] itself, the only part that depends on its
/// variants. This macro adds the inherent `code()`, `request_id()` and
/// `details()` (all through that impl, so a missing impl is a compile
/// error, never a call of itself), `Display` and `std::error::Error`.
///
/// ```
/// use aliyun_runtime::{ErrorDetails, OperationError};
///
/// #[derive(Clone, Debug, PartialEq)]
/// pub enum ResumeError {
///     /// `InstanceNotFound` (HTTP 404).
///     InstanceNotFound(ErrorDetails),
///     /// A code the page does not document.
///     Unhandled(ErrorDetails),
/// }
///
/// impl OperationError for ResumeError {
///     fn from_details(details: ErrorDetails) -> Self {
///         match details.code.as_str() {
///             "InstanceNotFound" => Self::InstanceNotFound(details),
///             _ => Self::Unhandled(details),
///         }
///     }
///
///     fn details(&self) -> &ErrorDetails {
///         match self {
///             Self::InstanceNotFound(details) | Self::Unhandled(details) => details,
///         }
///     }
/// }
///
/// aliyun_runtime::operation_error!(ResumeError);
///
/// let body = br#"{"Code": "InstanceNotFound", "Message": "gone", "RequestId": "r-1"}"#;
/// let error = ResumeError::from_details(ErrorDetails::from_response(404, None, body));
/// assert!(matches!(error, ResumeError::InstanceNotFound(_)));
/// assert_eq!((error.code(), error.request_id()), ("InstanceNotFound", Some("r-1")));
/// assert_eq!(error.to_string(), error.details().to_string());
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! operation_error {
    ($name:ident) => {
        impl $name {
            /// The error code sent by the service.
            pub fn code(&self) -> &str {
                &self.details().code
            }

            /// The request id sent by the service, if any.
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                self.details().request_id.as_deref()
            }

            /// Everything the service said: status, code, message, ids, raw body.
            pub fn details(&self) -> &$crate::ErrorDetails {
                <Self as $crate::OperationError>::details(self)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(self.details(), f)
            }
        }

        impl ::std::error::Error for $name {}
    };
}

/// A service error as the server reported it.
///
/// When the body is not JSON, or carries no code, `code` is
/// `HttpStatus<status>` (for example `HttpStatus503`) and `message` holds the
/// start of the body text. `body` keeps the start of the raw text (at most
/// [`ErrorDetails::BODY_EXCERPT`] bytes): enough to diagnose, never a copy of
/// a huge body.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDetails {
    /// HTTP status code.
    pub status: u16,
    /// `Code` (or `code`) from the body, else `HttpStatus<status>`.
    pub code: String,
    /// `Message` (or `message`) from the body.
    pub message: String,
    /// Header `x-acs-request-id`, else `RequestId`/`requestId` from the body.
    pub request_id: Option<String>,
    /// `HostId` from the body.
    pub host_id: Option<String>,
    /// `Recommend` (a diagnosis URL) from the body.
    pub recommend: Option<String>,
    /// The start of the raw body text (lossy UTF-8), kept even when it is
    /// not JSON; `...` marks a cut.
    pub body: String,
}

/// Lets callers that do not care about typed errors use `Error<ErrorDetails>`;
/// also the error type of the non-generic core of `send`.
impl OperationError for ErrorDetails {
    fn from_details(details: ErrorDetails) -> Self {
        details
    }
    fn details(&self) -> &ErrorDetails {
        self
    }
}

/// How much of a non-JSON body goes into `message`.
const MESSAGE_SNIPPET: usize = 256;

impl ErrorDetails {
    /// The most bytes of a body that [`ErrorDetails::body`] (and the body of
    /// [`Error::Parse`]) keep.
    pub const BODY_EXCERPT: usize = 1024;

    /// Builds details from an error response. `header_request_id` is the
    /// `x-acs-request-id` header, which wins over the body's value. The body
    /// is parsed once, and only its top-level members are looked at.
    pub fn from_response(status: u16, header_request_id: Option<String>, body: &[u8]) -> ErrorDetails {
        let members = crate::json::top_members(body);
        let field = |names: &[&str]| -> Option<String> {
            let members = members.as_ref()?;
            names.iter().find_map(|name| crate::json::scalar_text(members, name))
        };
        let code = field(&["Code", "code"]).filter(|c| !c.is_empty());
        let message = field(&["Message", "message"]).unwrap_or_else(|| {
            if members.is_some() {
                String::new()
            } else {
                snippet(&String::from_utf8_lossy(excerpt_bytes(body, MESSAGE_SNIPPET * 4)))
            }
        });
        ErrorDetails {
            status,
            code: code.unwrap_or_else(|| format!("HttpStatus{status}")),
            message,
            request_id: header_request_id.or_else(|| field(&["RequestId", "requestId"])),
            host_id: field(&["HostId", "hostId"]),
            recommend: field(&["Recommend", "recommend"]),
            body: excerpt(body),
        }
    }

    /// Details of an error response whose body was larger than the error
    /// body limit: only `head`, its first bytes, were read, so the code is
    /// `HttpStatus<status>` and the message says what happened.
    pub(crate) fn oversized(status: u16, header_request_id: Option<String>, head: &[u8], limit: u64) -> ErrorDetails {
        ErrorDetails {
            status,
            code: format!("HttpStatus{status}"),
            message: format!(
                "error body larger than the limit of {limit} bytes (Config::max_error_response_size); not read"
            ),
            request_id: header_request_id,
            host_id: None,
            recommend: None,
            body: excerpt(head),
        }
    }

    /// Whether the server said "slow down": status 429 or a `Throttling*`
    /// code. Such a request was refused before any work was done.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || self.code.starts_with("Throttling")
    }
}

/// One line: `Code: Message (request id: X)`.
impl fmt::Display for ErrorDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorDetails {}

fn snippet(text: &str) -> String {
    let trimmed = text.trim();
    match trimmed.char_indices().nth(MESSAGE_SNIPPET) {
        Some((cut, _)) => format!("{}...", &trimmed[..cut]),
        None => trimmed.to_owned(),
    }
}

/// The first `max` bytes of `body`, never ending inside a UTF-8 sequence
/// that the rest of the body would complete.
fn excerpt_bytes(body: &[u8], max: usize) -> &[u8] {
    if body.len() <= max {
        return body;
    }
    let mut cut = max;
    // Step back over continuation bytes (10xxxxxx) to a character start.
    while cut > 0 && cut > max.saturating_sub(3) && body[cut] & 0xC0 == 0x80 {
        cut -= 1;
    }
    &body[..cut]
}

/// The start of a body as text, for [`ErrorDetails::body`] and
/// [`Error::Parse`]: at most [`ErrorDetails::BODY_EXCERPT`] bytes (lossy
/// UTF-8), `...` appended when cut.
#[cold]
#[inline(never)]
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = excerpt_bytes(body, ErrorDetails::BODY_EXCERPT);
    let mut text = String::from_utf8_lossy(head).into_owned();
    if head.len() < body.len() {
        text.push_str("...");
    }
    text
}

/// A response body larger than the configured limit. The body was not
/// read beyond the limit (nor at all, when `Content-Length` announced the
/// size).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// HTTP status of the response.
    pub status: u16,
    /// Header `x-acs-request-id`, if sent.
    pub request_id: Option<String>,
    /// The limit in bytes ([`ConfigBuilder::max_response_size`](crate::ConfigBuilder::max_response_size)).
    pub limit: u64,
    /// The size seen: the announced `Content-Length`, or the bytes received
    /// when reading stopped.
    pub seen: u64,
    /// Whether `seen` is the announced `Content-Length` (else bytes read).
    pub announced: bool,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (limit, seen) = (self.limit, self.seen);
        if self.announced {
            write!(
                f,
                "HTTP {} response body of {seen} bytes (Content-Length) exceeds the limit of {limit} bytes",
                self.status
            )?;
        } else {
            write!(
                f,
                "HTTP {} response body exceeds the limit of {limit} bytes: stopped reading after {seen} bytes",
                self.status
            )?;
        }
        f.write_str(" (raise it with ConfigBuilder::max_response_size)")?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseTooLarge {}

/// Which time limit fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// Establishing the connection (TCP + TLS).
    Connect,
    /// Waiting for the response head or the next piece of the body.
    Read,
    /// The whole call, retries and backoff included.
    Operation,
}

/// A time limit fired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    /// Which limit.
    pub kind: TimeoutKind,
    /// The configured limit, when known.
    pub after: Option<Duration>,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Read => "read",
            TimeoutKind::Operation => "operation",
        };
        match self.after {
            Some(after) => write!(f, "{kind} timeout after {after:?}"),
            None => write!(f, "{kind} timeout"),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// A connection-level failure. The underlying HTTP library's error is kept as
/// an opaque source so its types do not leak into this API.
#[derive(Debug)]
pub struct TransportError {
    message: String,
    connect: bool,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    pub(crate) fn new(
        message: impl Into<String>,
        connect: bool,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> TransportError {
        TransportError { message: message.into(), connect, source }
    }

    /// True when the connection could not be established, so the request
    /// never reached the server.
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The error of a call. `E` is the operation's typed service error.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built: bad endpoint, missing region, body
    /// serialization failure, plain http when not allowed, invalid header.
    Construction(String),
    /// No usable credentials; the error names every source that was tried.
    Credentials(CredentialsError),
    /// A time limit fired.
    Timeout(TimeoutError),
    /// The connection failed or broke.
    Transport(TransportError),
    /// A 2xx response whose body does not decode into the output type (or
    /// is not JSON at all, such as an HTML page from a proxy).
    Parse {
        /// HTTP status.
        status: u16,
        /// Request id, when the response had one.
        request_id: Option<String>,
        /// What the decoder said, with the member's path.
        message: String,
        /// The start of the body text (lossy UTF-8, at most
        /// [`ErrorDetails::BODY_EXCERPT`] bytes, `...` marks a cut).
        body: String,
    },
    /// The response body was larger than the configured limit; reading
    /// stopped there. Not retried: the same request would get the same body.
    TooLarge(ResponseTooLarge),
    /// The service answered with an error status. Boxed so that a
    /// `Result<T, Error<E>>` stays small on the success path.
    Service(Box<E>),
}

impl<E> Error<E> {
    /// The typed service error, if this is one.
    pub fn service(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// Converts the service error type, keeping every other variant.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Construction(m) => Error::Construction(m),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Transport(e) => Error::Transport(e),
            Error::TooLarge(e) => Error::TooLarge(e),
            Error::Parse { status, request_id, message, body } => Error::Parse { status, request_id, message, body },
            Error::Service(e) => Error::Service(Box::new(f(*e))),
        }
    }
}

impl<E: OperationError> Error<E> {
    /// The request id of the failed call, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.details().request_id.as_deref(),
            Error::Parse { request_id, .. } => request_id.as_deref(),
            Error::TooLarge(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The service error code, for service errors.
    pub fn code(&self) -> Option<&str> {
        self.service().map(|e| e.details().code.as_str())
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.details().status),
            Error::Parse { status, .. } => Some(*status),
            Error::TooLarge(e) => Some(e.status),
            _ => None,
        }
    }
}

impl<E: OperationError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the service arm depends on `E`; the rest is formatted by one
        // non-generic function, so each operation's error type adds a few
        // lines here instead of a copy of every message.
        let other = match self {
            Error::Service(e) => return fmt::Display::fmt(e.details(), f),
            Error::Construction(m) => Other::Construction(m),
            Error::Credentials(e) => Other::Credentials(e),
            Error::Timeout(e) => Other::Timeout(e),
            Error::Transport(e) => Other::Transport(e),
            Error::TooLarge(e) => Other::TooLarge(e),
            Error::Parse { status, request_id, message, .. } => Other::Parse(*status, request_id.as_deref(), message),
        };
        other.fmt(f)
    }
}

/// The variants of [`Error`] that do not depend on the operation.
enum Other<'a> {
    Construction(&'a str),
    Credentials(&'a CredentialsError),
    Timeout(&'a TimeoutError),
    Transport(&'a TransportError),
    TooLarge(&'a ResponseTooLarge),
    Parse(u16, Option<&'a str>, &'a str),
}

impl fmt::Display for Other<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Other::Construction(m) => write!(f, "cannot build request: {m}"),
            Other::Credentials(e) => write!(f, "{e}"),
            Other::Timeout(e) => write!(f, "{e}"),
            Other::Transport(e) => write!(f, "transport error: {e}"),
            Other::TooLarge(e) => write!(f, "{e}"),
            Other::Parse(status, request_id, message) => {
                write!(f, "cannot decode HTTP {status} response: {message}")?;
                if let Some(id) = request_id {
                    write!(f, " (request id: {id})")?;
                }
                Ok(())
            }
        }
    }
}

impl<E: OperationError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Credentials(e) => Some(e),
            Error::Timeout(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::TooLarge(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_error_bodies() {
        let body = br#"{"RequestId":"R1","HostId":"h","Code":"InstanceNotFound","Message":"no such instance","Recommend":"https://x"}"#;
        let d = ErrorDetails::from_response(404, None, body);
        assert_eq!(d.code, "InstanceNotFound");
        assert_eq!(d.message, "no such instance");
        assert_eq!(d.request_id.as_deref(), Some("R1"));
        assert_eq!(d.host_id.as_deref(), Some("h"));
        assert_eq!(d.recommend.as_deref(), Some("https://x"));
        let lower =
            ErrorDetails::from_response(400, Some("H".into()), br#"{"code":"Bad","message":"m","requestId":"r"}"#);
        assert_eq!((lower.code.as_str(), lower.message.as_str()), ("Bad", "m"));
        assert_eq!(lower.request_id.as_deref(), Some("H"), "header wins");
    }

    #[test]
    fn keeps_non_json_bodies() {
        let d = ErrorDetails::from_response(503, None, b"<html>Service Unavailable</html>");
        assert_eq!(d.code, "HttpStatus503");
        assert_eq!(d.message, "<html>Service Unavailable</html>");
        assert_eq!(d.body, "<html>Service Unavailable</html>");
        let huge = format!("<html>{}</html>", "é".repeat(100_000));
        let d = ErrorDetails::from_response(503, Some("H".into()), huge.as_bytes());
        assert!(d.body.len() <= ErrorDetails::BODY_EXCERPT + 3, "{}", d.body.len());
        assert!(d.body.ends_with("...") && !d.body.contains('\u{fffd}'), "cut at a character boundary");
        assert!(d.message.chars().count() <= MESSAGE_SNIPPET + 3);
        let empty = ErrorDetails::from_response(502, None, b"");
        assert_eq!((empty.code.as_str(), empty.message.as_str()), ("HttpStatus502", ""));
        let numeric = ErrorDetails::from_response(400, None, br#"{"Code":42}"#);
        assert_eq!(numeric.code, "42");
    }

    #[test]
    fn display_is_one_line() {
        let d = ErrorDetails::from_response(400, None, br#"{"Code":"C","Message":"M","RequestId":"R"}"#);
        let e: Error<ErrorDetails> = Error::Service(Box::new(d));
        assert_eq!(e.to_string(), "C: M (request id: R)");
        assert_eq!(e.code(), Some("C"));
        assert_eq!(e.request_id(), Some("R"));
        assert_eq!(e.status(), Some(400));
    }

    #[test]
    fn throttling() {
        assert!(ErrorDetails::from_response(429, None, b"").is_throttling());
        assert!(ErrorDetails::from_response(400, None, br#"{"Code":"Throttling.User"}"#).is_throttling());
        assert!(!ErrorDetails::from_response(400, None, br#"{"Code":"Forbidden"}"#).is_throttling());
    }
}
