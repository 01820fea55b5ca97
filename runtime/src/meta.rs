//! Facts about a response that are not part of its body schema.

/// Facts about a successful response that are not part of its body schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// Header `x-acs-request-id`, else `RequestId`/`requestId` from the body.
    pub request_id: Option<String>,
}
