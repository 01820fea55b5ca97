//! A successful response before decoding, and its decoding into the
//! operation's response type.

use crate::error::{Error, excerpt};
use crate::json::{self, Decode};
use crate::meta::ResponseMeta;

/// A successful (2xx) response before decoding.
#[derive(Clone, Debug, PartialEq)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Header `x-acs-request-id`, else `RequestId`/`requestId` from the body.
    pub request_id: Option<String>,
    /// The body bytes (at most the configured
    /// [`max_response_size`](crate::ConfigBuilder::max_response_size)).
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Decodes the body into `T` as [`ServiceClient::send`](crate::ServiceClient::send)
    /// does: an empty body or 204 decodes as `{}`; a body that is not JSON,
    /// or does not fit `T`, is [`Error::Parse`].
    pub fn decode<T: Decode, E>(self) -> Result<T, Error<E>> {
        decode(self)
    }
}

/// Decodes a 2xx body straight from its bytes (see [`crate::json`]: no
/// tree of the document is built). An empty body (or 204) decodes as `{}`
/// so responses whose fields are all optional succeed. The generic part is
/// kept to the calls that need `T` and `E`; [`Error::Parse`] is built out
/// of line.
pub(crate) fn decode<T: Decode, E>(raw: RawResponse) -> Result<T, Error<E>> {
    let meta = ResponseMeta { status: raw.status, request_id: raw.request_id.clone() };
    let body: &[u8] = if raw.status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &raw.body };
    match json::from_slice_with_meta(body, meta) {
        Ok(output) => Ok(output),
        Err(e) => Err(parse_error(raw, e)),
    }
}

/// [`Error::Parse`] for a body that is not JSON or does not fit the type,
/// with the start of the body only.
#[cold]
#[inline(never)]
fn parse_error<E>(raw: RawResponse, error: json::DecodeError) -> Error<E> {
    Error::Parse {
        status: raw.status,
        request_id: raw.request_id,
        message: error.to_string(),
        body: excerpt(&raw.body),
    }
}

/// Request id from a JSON body, only consulted when the header is missing.
pub(crate) fn body_request_id(body: &[u8]) -> Option<String> {
    let members = json::top_members(body)?;
    json::scalar_text(&members, "RequestId").or_else(|| json::scalar_text(&members, "requestId"))
}
