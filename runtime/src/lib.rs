//! Runtime under the generated Alibaba Cloud client: configuration,
//! credentials, endpoints, request signing, transport, retries and errors.
//!
//! Generated code builds a [`Request`] per call and hands it to
//! [`ServiceClient::send`], which returns a [`Call`]: a future of the
//! response type (a [`json::Decode`] struct) or the operation's error (an
//! [`OperationError`]). What only generated code calls (paginator helpers,
//! RPC flattening, the macro behind every error enum) is in the hidden
//! `__private` module. This crate knows nothing about code generation.
//!
//! ```no_run
//! # async fn demo() -> Result<(), aliyun_runtime::Error<aliyun_runtime::ErrorDetails>> {
//! use aliyun_runtime::{Config, Credentials, Method, Request, Service, ServiceClient};
//!
//! static ES: Service = Service {
//!     code: "elasticsearch",
//!     version: "2017-06-13",
//!     endpoint: "elasticsearch.{region}.aliyuncs.com",
//!     vpc_endpoint: Some("elasticsearch-vpc.{region}.aliyuncs.com"),
//!     protocol: aliyun_runtime::Protocol::Roa,
//!     endpoint_exceptions: &[],
//! };
//! let config = Config::builder()
//!     .region("cn-hangzhou")
//!     .credentials(Credentials::new("id", "secret"))
//!     .build();
//! let client = ServiceClient::new(&config, &ES);
//! let mut request = Request::new("ResumeLogstashTask", Method::Post);
//! request.path_literal("/openapi/logstashes/");
//! request.path_param("InstanceId", "ls-cn-abc");
//! request.path_literal("/actions/resume");
//! request.client_token("clientToken");
//! let raw = client.send_raw(request).await?;
//! println!("{}", raw.status);
//! # Ok(()) }
//! ```
//!
//! A tokio runtime with the time driver enabled (`#[tokio::main]` does this)
//! must drive the async calls.

#[cfg(feature = "blocking")]
mod blocking;
mod client;
mod config;
mod credentials;
mod endpoint;
mod error;
pub mod json;
mod meta;
mod paginate;
mod request;
mod response;
mod retry;
mod rpc;
pub mod sign;
pub mod sign_v1;
mod transport;

pub use client::{Call, CallOptions, ServiceClient};
pub use config::{
    Config, ConfigBuilder, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_ERROR_RESPONSE_SIZE,
    DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_OPERATION_TIMEOUT, DEFAULT_READ_TIMEOUT, ENV_REGION, default_user_agent,
};
pub use credentials::{
    AssumeRoleProvider, CachingProvider, Clock, Credentials, CredentialsError, CredentialsFuture, CredentialsProvider,
    CredentialsUriProvider, DEFAULT_METADATA_ENDPOINT, DEFAULT_REFRESH_MARGIN, DefaultCredentialsChain,
    ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_CREDENTIALS_FILE, ENV_CREDENTIALS_URI, ENV_ECS_METADATA,
    ENV_ECS_METADATA_DISABLED, ENV_IMDSV1_DISABLED, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_PROFILE,
    ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, ENV_SECURITY_TOKEN, ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED,
    EcsRamRoleProvider, OidcRoleProvider, sts_endpoint_from_env,
};
pub use endpoint::{Endpoint, Network, Protocol, Service};
pub use error::{Error, ErrorDetails, OperationError, ResponseTooLarge, TimeoutError, TimeoutKind, TransportError};
pub use meta::ResponseMeta;
pub use paginate::Stream;
pub use request::{BodyEncoding, Method, ParamValue, Request};
pub use response::RawResponse;
pub use retry::RetryConfig;
pub use sign::SignatureAlgorithm;
pub use transport::SignedRequest;

/// Resolves a product endpoint the way [`ServiceClient`] does.
pub use endpoint::resolve as resolve_endpoint;

/// Not API: what generated code calls and nothing else needs. Everything
/// here may change in any release, together with the generator.
#[doc(hidden)]
pub mod __private {
    pub use crate::operation_error;
    pub use crate::paginate::{next_page, next_token, paginate};
    pub use crate::rpc::{FlatParam, Flattener};
}
