//! The per-product client the generated code calls: builds, signs, sends,
//! retries, then decodes.
//!
//! Everything up to the parsed JSON body is non-generic
//! ([`ServiceClient::send_raw`], boxed once per call inside [`Call`]); only
//! the last step, a call of the response type's generated `Decode` impl and
//! of the error type's constructor, is instantiated per operation. A
//! generated operation is therefore a plain function returning a [`Call`],
//! not an `async fn`: no state machine per operation, in the generated
//! crate or in any crate that awaits it.

use std::borrow::Cow;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tracing::Instrument as _;

use crate::config::Config;
use crate::credentials::Credentials;
use crate::endpoint::{self, Endpoint, Service};
use crate::error::{Error, ErrorDetails, OperationError, TimeoutError, TimeoutKind};
use crate::json::Decode;
use crate::request::Request;
use crate::response::{self, RawResponse};
use crate::retry::{self, Outcome, RetryConfig};
use crate::sign::{self, SignatureAlgorithm, SigningInput};
use crate::transport::{self, Limits, SignedRequest};

/// The non-generic future inside every [`Call`].
type RawFuture = Pin<Box<dyn Future<Output = Result<RawResponse, Error<ErrorDetails>>> + Send>>;

/// One call of an operation: what every generated operation returns.
///
/// Await it for the typed response or the operation's typed error; with
/// the `blocking` feature, `Call::wait()` runs it without an async runtime
/// instead. Nothing is sent until it is first polled (or waited on), and
/// dropping it cancels the call. It owns what it needs (a clone of the
/// client and the request), so it is `'static` and can be spawned.
///
/// All of the sending (signing, retries, timeouts, reading the body) is one
/// non-generic boxed future; only decoding is specific to `T` and `E`.
#[must_use = "a call does nothing unless awaited"]
pub struct Call<T, E> {
    state: CallState,
    // `fn() -> _`: the types are produced, never stored, so `Call` is
    // `Send` and `Unpin` whatever they are.
    marker: PhantomData<fn() -> (T, E)>,
}

enum CallState {
    /// Not polled yet: either `poll` or `wait` may still run it.
    Ready(ServiceClient, Request),
    Running(RawFuture),
    Done,
}

impl<T, E> std::fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            CallState::Ready(_, request) => request.action,
            CallState::Running(_) => "running",
            CallState::Done => "done",
        };
        f.debug_struct("Call").field("state", &state).finish_non_exhaustive()
    }
}

impl<T: Decode, E: OperationError> Future for Call<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match poll_raw(&mut self.get_mut().state, cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(result)) => Poll::Ready(finish(result)),
            Poll::Ready(None) => Poll::Ready(Err(polled_after_completion())),
        }
    }
}

/// The non-generic part of [`Call`]'s `poll`: starts the sending future on
/// the first poll and drives it; `None` once the call has completed.
fn poll_raw(state: &mut CallState, cx: &mut Context<'_>) -> Poll<Option<Result<RawResponse, Error<ErrorDetails>>>> {
    if let CallState::Ready(..) = state {
        if let CallState::Ready(client, request) = std::mem::replace(state, CallState::Done) {
            *state = CallState::Running(client.raw_future(request));
        }
    }
    let CallState::Running(raw) = state else {
        return Poll::Ready(None);
    };
    match raw.as_mut().poll(cx) {
        Poll::Pending => Poll::Pending,
        Poll::Ready(result) => {
            *state = CallState::Done;
            Poll::Ready(Some(result))
        }
    }
}

impl<T: Decode, E: OperationError> Call<T, E> {
    /// Runs the call to completion on the current thread, on a
    /// current-thread runtime the [`Config`] owns: for scripts and tools
    /// without an async runtime. Called from inside an async runtime (or on
    /// a call that was already polled) it returns [`Error::Construction`]
    /// rather than blocking or panicking.
    #[cfg(feature = "blocking")]
    pub fn wait(self) -> Result<T, Error<E>> {
        match self.state {
            CallState::Ready(client, request) => client.send_blocking(request),
            _ => Err(Error::Construction("wait() on a call that was already polled".to_owned())),
        }
    }
}

fn polled_after_completion<E>() -> Error<E> {
    Error::Construction(polled_after_completion_message())
}

#[cold]
#[inline(never)]
fn polled_after_completion_message() -> String {
    "call polled after it completed".to_owned()
}

/// Per-call overrides layered over the [`Config`].
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    read_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    idempotent: Option<bool>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Vec<(String, serde_json::Value)>,
    json_body: Option<serde_json::Value>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }

    /// Overrides the read timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Overrides the whole-call timeout.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Overrides the retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// States whether the calls are safe to repeat after an unknown outcome
    /// (a 5xx answer, a timeout, a broken connection), overriding what the
    /// request says ([`Request::is_retry_safe`]). Say `true` only for
    /// operations that are read-only or idempotent on the server.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Adds a header to every request (signed like the others).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter to every request.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a member to the body of every request: for fields the service
    /// takes that the operation's spec does not list yet. It joins a form
    /// body as a pair and a JSON object body as a member; an operation
    /// without a body gets a JSON object body. Members of a body are then
    /// written in name order.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.body.push((name.into(), value.into()));
        self
    }

    /// Replaces the JSON body of every request with `body`, whatever the
    /// typed request built: for an operation whose spec types the body
    /// wrongly (its shape, or a nested member it does not list yet), where
    /// [`CallOptions::body_field`] cannot reach. The typed request's
    /// required members must still be given; their body values are not
    /// sent. Members are written in name order, and `body_field` extras
    /// join the replacement.
    pub fn json_body(mut self, body: impl Into<serde_json::Value>) -> Self {
        self.json_body = Some(body.into());
        self
    }

    /// Layers `other` over `self`: its settings win, its extras are appended.
    fn merged(&self, other: CallOptions) -> CallOptions {
        let mut merged = self.clone();
        merged.read_timeout = other.read_timeout.or(merged.read_timeout);
        merged.operation_timeout = other.operation_timeout.or(merged.operation_timeout);
        merged.retry = other.retry.or(merged.retry);
        merged.idempotent = other.idempotent.or(merged.idempotent);
        merged.headers.extend(other.headers);
        merged.query.extend(other.query);
        merged.body.extend(other.body);
        merged.json_body = other.json_body.or(merged.json_body);
        merged
    }
}

/// The client of one product. Cheap to clone; clones share the connection
/// pool of their [`Config`].
#[derive(Clone, Debug)]
pub struct ServiceClient {
    config: Config,
    service: &'static Service,
    /// Resolved once; an error is reported by every send.
    endpoint: Arc<Result<Endpoint, String>>,
    options: Arc<CallOptions>,
}

impl ServiceClient {
    /// A client of `service`. Infallible: endpoint problems surface at send
    /// time as [`Error::Construction`].
    pub fn new(config: &Config, service: &'static Service) -> ServiceClient {
        let inner = &config.inner;
        let endpoint = endpoint::resolve(
            service,
            inner.region.as_deref(),
            inner.network,
            inner.endpoint.as_deref(),
            inner.allow_http,
        );
        ServiceClient {
            config: config.clone(),
            service,
            endpoint: Arc::new(endpoint),
            options: Arc::new(CallOptions::default()),
        }
    }

    /// A copy of this client with per-call overrides layered on top.
    pub fn with_options(&self, options: CallOptions) -> ServiceClient {
        ServiceClient { options: Arc::new(self.options.merged(options)), ..self.clone() }
    }

    /// The product this client talks to.
    pub fn service(&self) -> &'static Service {
        self.service
    }

    /// The shared configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends `request` when the returned [`Call`] is awaited, and decodes
    /// the response into `T`; service errors become `E`.
    pub fn send<T: Decode, E: OperationError>(&self, request: Request) -> Call<T, E> {
        Call { state: CallState::Ready(self.clone(), request), marker: PhantomData }
    }

    /// The boxed future behind a [`Call`] (which already owns a clone of
    /// the client); a separate non-generic function so its state machine is
    /// compiled once, not once per operation.
    fn raw_future(self, request: Request) -> RawFuture {
        Box::pin(async move { self.send_raw(request).await })
    }

    /// Blocking [`ServiceClient::send`], driven by a current-thread runtime
    /// owned by the [`Config`]. Must not be called from inside an async
    /// runtime (that is reported as [`Error::Construction`], not a panic).
    #[cfg(feature = "blocking")]
    pub fn send_blocking<T: Decode, E: OperationError>(&self, request: Request) -> Result<T, Error<E>> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Construction(
                "send_blocking called inside an async runtime; use send().await".to_owned(),
            ));
        }
        let parts = self
            .config
            .inner
            .blocking
            .get_or_init(|| crate::blocking::BlockingParts::new(self.config.inner.connect_timeout))
            .as_ref()
            .map_err(|e| Error::Construction(e.clone()))?;
        finish(self.send_raw_blocking(parts, request))
    }

    /// The non-generic core of [`ServiceClient::send_blocking`].
    #[cfg(feature = "blocking")]
    fn send_raw_blocking(
        &self,
        parts: &crate::blocking::BlockingParts,
        request: Request,
    ) -> Result<RawResponse, Error<ErrorDetails>> {
        parts.block_on(self.execute(&parts.http, request)).map_err(Error::Construction)?
    }

    /// Sends `request` (client token, retries, timeouts included) and
    /// returns the raw 2xx response. Non-generic: the shared core of `send`.
    pub async fn send_raw(&self, request: Request) -> Result<RawResponse, Error<ErrorDetails>> {
        let http = self.config.http().map_err(Error::Construction)?;
        self.execute(http, request).await
    }

    async fn execute(&self, http: &reqwest::Client, request: Request) -> Result<RawResponse, Error<ErrorDetails>> {
        let span = tracing::info_span!(
            "aliyun_call",
            service = self.service.code,
            operation = request.action,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let timeout = self.options.operation_timeout.or(self.config.inner.operation_timeout);
        let call = self.call(http, request, span.clone()).instrument(span);
        match timeout {
            None => call.await,
            Some(limit) => tokio::time::timeout(limit, call).await.unwrap_or_else(|_| {
                Err(Error::Timeout(TimeoutError { kind: TimeoutKind::Operation, after: Some(limit) }))
            }),
        }
    }

    async fn call(
        &self,
        http: &reqwest::Client,
        mut request: Request,
        span: tracing::Span,
    ) -> Result<RawResponse, Error<ErrorDetails>> {
        let inner = &self.config.inner;
        // The token is fixed before the first attempt so every retry carries
        // the same value and the server can deduplicate.
        if let Some(name) = request.client_token {
            if !request.has_query(name) {
                request.push_query(Cow::Borrowed(name), (inner.token)());
            }
        }
        let request = self.with_extras(request);
        let credentials = inner.credentials.provide_credentials().await.map_err(Error::Credentials)?;
        let retry = self.options.retry.as_ref().unwrap_or(&inner.retry);
        let limits = Limits {
            connect_timeout: inner.connect_timeout,
            read_timeout: self.options.read_timeout.unwrap_or(inner.read_timeout),
            max_response: inner.max_response_size,
            max_error_response: inner.max_error_response_size,
        };
        let idempotent = self.options.idempotent.unwrap_or_else(|| request.is_retry_safe());

        let mut attempt = 1u32;
        loop {
            span.record("attempt", attempt);
            let signed = self.sign(&request, &credentials)?;
            let url = reqwest::Url::parse(&signed.url)
                .map_err(|e| Error::Construction(format!("invalid URL {}: {e}", signed.url)))?;
            let (error, retry_after) = match transport::send_attempt(http, &url, &signed, limits).await {
                Ok(response) => {
                    span.record("status", response.status);
                    if (200..300).contains(&response.status) {
                        let request_id = response.request_id.or_else(|| response::body_request_id(&response.body));
                        if let Some(id) = &request_id {
                            span.record("request_id", id.as_str());
                        }
                        return Ok(RawResponse { status: response.status, request_id, body: response.body });
                    }
                    let details = if response.oversized {
                        ErrorDetails::oversized(
                            response.status,
                            response.request_id,
                            &response.body,
                            limits.max_error_response,
                        )
                    } else {
                        ErrorDetails::from_response(response.status, response.request_id, &response.body)
                    };
                    if let Some(id) = &details.request_id {
                        span.record("request_id", id.as_str());
                    }
                    (Error::Service(Box::new(details)), response.retry_after)
                }
                Err(error) => (error, None),
            };
            if !retry::should_retry(Outcome::of(&error), idempotent) || attempt >= retry.attempts() {
                return Err(error);
            }
            let delay = retry.delay(attempt, retry_after);
            tracing::debug!(attempt, ?delay, error = %error, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Signs `request` as it stands with the configured algorithm, clock,
    /// nonce and user agent. `send` additionally fills the client token and
    /// the [`CallOptions`] extras first; this method does neither, which
    /// makes it the tool for golden tests and dry runs.
    pub fn sign(&self, request: &Request, credentials: &Credentials) -> Result<SignedRequest, Error<ErrorDetails>> {
        let endpoint = self.endpoint.as_ref().as_ref().map_err(|e| Error::Construction(e.clone()))?;
        if let Some(e) = &request.invalid {
            return Err(Error::Construction(e.clone()));
        }
        let body = match &request.body {
            None => None,
            Some(Ok(bytes)) => Some(bytes.as_slice()),
            Some(Err(e)) => return Err(Error::Construction(e.clone())),
        };
        let inner = &self.config.inner;
        let now = (inner.clock)();
        let nonce = (inner.nonce)();
        if inner.algorithm == SignatureAlgorithm::RpcHmacSha1 {
            return self.sign_rpc_v1(request, credentials, endpoint, now, nonce);
        }

        let mut url = String::with_capacity(endpoint.base_url.len() + request.path.len() + 128);
        url.push_str(&endpoint.base_url);
        url.push_str(&request.path);
        for (i, (key, value)) in request.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            sign::percent_encode_into(&mut url, key);
            url.push('=');
            sign::percent_encode_into(&mut url, value);
        }

        let mut headers: Vec<(String, String)> = Vec::with_capacity(12 + request.headers.len());
        let mut put = |name: &str, value: String| headers.push((name.to_owned(), value));
        put("host", endpoint.host.clone());
        put("x-acs-version", self.service.version.to_owned());
        put("x-acs-action", request.action.to_owned());
        put("user-agent", inner.user_agent.clone());
        put("x-acs-signature-nonce", nonce);
        put("accept", "application/json".to_owned());
        if body.is_some() {
            put("content-type", request.body_encoding.content_type().to_owned());
        }
        if let Some(token) = credentials.security_token() {
            put("x-acs-security-token", token.to_owned());
        }
        let algorithm = inner.algorithm;
        let content_sha256 = match algorithm {
            SignatureAlgorithm::Acs3HmacSha256 => {
                let hash = sign::content_sha256(body);
                put("x-acs-date", sign::format_acs_date(now));
                put("x-acs-content-sha256", hash.clone());
                hash
            }
            SignatureAlgorithm::RoaHmacSha1 | SignatureAlgorithm::RpcHmacSha1 => {
                put("date", httpdate::fmt_http_date(now));
                put("x-acs-signature-method", "HMAC-SHA1".to_owned());
                put("x-acs-signature-version", "1.0".to_owned());
                String::new()
            }
        };
        for (name, value) in &request.headers {
            let name = name.to_ascii_lowercase();
            match headers.iter_mut().find(|(k, _)| *k == name) {
                Some(slot) => slot.1 = value.clone(),
                None => headers.push((name, value.clone())),
            }
        }

        let query: Vec<(&str, &str)> = request.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let input = SigningInput {
            method: request.method.as_str(),
            path: &request.path,
            query: &query,
            headers: &header_refs,
            access_key_id: credentials.access_key_id(),
            access_key_secret: credentials.access_key_secret(),
        };
        let authorization = match algorithm {
            SignatureAlgorithm::Acs3HmacSha256 => sign::sign_acs3(&input, &content_sha256).authorization,
            SignatureAlgorithm::RoaHmacSha1 | SignatureAlgorithm::RpcHmacSha1 => sign::sign_roa(&input).authorization,
        };
        headers.push(("authorization".to_owned(), authorization));
        Ok(SignedRequest { method: request.method, url, headers, body: body.map(<[u8]>::to_vec) })
    }
}

impl ServiceClient {
    /// `request` with the [`CallOptions`] extras (query parameters, headers,
    /// a replaced body, body members) added, as `send` adds them: with
    /// [`ServiceClient::sign`], a dry run of what a call sends (the client
    /// token aside, which `send` fills).
    pub fn with_extras(&self, mut request: Request) -> Request {
        if let Some(body) = &self.options.json_body {
            request.replace_json_body(body);
        }
        for (name, value) in &self.options.query {
            request.push_query(Cow::Owned(name.clone()), value.clone());
        }
        for (name, value) in &self.options.headers {
            request.push_header(Cow::Owned(name.clone()), value.clone());
        }
        for (name, value) in &self.options.body {
            request.push_body_field(name, value);
        }
        request
    }

    /// [`ServiceClient::sign`] under the RPC signature v1: the common
    /// parameters and `Signature` join the operation's in the query; no
    /// header is signed. Refused for ROA products, which have no such scheme.
    fn sign_rpc_v1(
        &self,
        request: &Request,
        credentials: &Credentials,
        endpoint: &Endpoint,
        now: std::time::SystemTime,
        nonce: String,
    ) -> Result<SignedRequest, Error<ErrorDetails>> {
        if self.service.protocol != crate::Protocol::Rpc {
            return Err(Error::Construction(format!(
                "{} is not an RPC product; RPC-HMAC-SHA1 signs RPC requests only",
                self.service.code
            )));
        }
        let common = crate::sign_v1::common_params(
            request.action,
            self.service.version,
            sign::format_acs_date(now),
            nonce,
            credentials.access_key_id(),
            credentials.security_token(),
        );
        let mut query: Vec<(&str, &str)> = request.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
        for (name, value) in &common {
            // Common parameters win over an operation parameter of the same name.
            query.retain(|(k, _)| k != name);
            query.push((name, value.as_str()));
        }
        let signature = crate::sign_v1::sign_rpc_v1(&crate::sign_v1::RpcSigningInput {
            method: request.method.as_str(),
            query: &query,
            form: &[],
            access_key_secret: credentials.access_key_secret(),
        });
        query.push(("Signature", signature.signature.as_str()));
        let mut url = String::with_capacity(endpoint.base_url.len() + request.path.len() + 512);
        url.push_str(&endpoint.base_url);
        url.push_str(&request.path);
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            sign::percent_encode_into(&mut url, key);
            url.push('=');
            sign::percent_encode_into(&mut url, value);
        }
        let mut headers = vec![
            ("host".to_owned(), endpoint.host.clone()),
            ("user-agent".to_owned(), self.config.inner.user_agent.clone()),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        for (name, value) in &request.headers {
            headers.push((name.to_ascii_lowercase(), value.clone()));
        }
        Ok(SignedRequest { method: request.method, url, headers, body: request.body().map(<[u8]>::to_vec) })
    }
}

/// The per-operation end of a call: service errors become `E`, a 2xx body
/// becomes `T`. Kept to the two calls that must know the types.
fn finish<T: Decode, E: OperationError>(result: Result<RawResponse, Error<ErrorDetails>>) -> Result<T, Error<E>> {
    response::decode(result.map_err(|e| e.map_service(E::from_details))?)
}
