//! Shared user configuration: region, endpoint, credentials, timeouts,
//! retries, signing, and the test hooks that pin clock, nonce and tokens.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{Credentials, CredentialsProvider, DefaultCredentialsChain};
use crate::endpoint::Network;
use crate::retry::RetryConfig;
use crate::sign::SignatureAlgorithm;

/// Environment variable read by [`Config::from_env`] for the region.
pub const ENV_REGION: &str = "ALIBABA_CLOUD_REGION_ID";

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time to wait for the response head or the next body chunk.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit of a whole call, retries included.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// Default largest successful response body: 64 MiB, far above any
/// documented Alibaba Cloud response (list operations page their results).
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 << 20;
/// Default largest error body read: 64 KiB. Error bodies are a few hundred
/// bytes; a larger one is cut there and still reported as a service error.
pub const DEFAULT_MAX_ERROR_RESPONSE_SIZE: u64 = 64 << 10;

type Hook<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// Shared configuration. Cheap to clone (one `Arc`); clones share one HTTP
/// connection pool. `Debug` shows no secrets.
#[derive(Clone)]
pub struct Config {
    pub(crate) inner: Arc<ConfigInner>,
}

pub(crate) struct ConfigInner {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) allow_http: bool,
    pub(crate) network: Network,
    pub(crate) credentials: Arc<dyn CredentialsProvider>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: RetryConfig,
    pub(crate) max_response_size: u64,
    pub(crate) max_error_response_size: u64,
    pub(crate) user_agent: String,
    pub(crate) algorithm: SignatureAlgorithm,
    pub(crate) clock: Hook<SystemTime>,
    pub(crate) nonce: Hook<String>,
    pub(crate) token: Hook<String>,
    /// Building the client can fail (TLS setup); the failure surfaces at send
    /// time so `build()` stays infallible.
    pub(crate) http: Result<reqwest::Client, String>,
    #[cfg(feature = "blocking")]
    pub(crate) blocking: std::sync::OnceLock<Result<crate::blocking::BlockingParts, String>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Config")
            .field("region", &i.region)
            .field("endpoint", &i.endpoint)
            .field("allow_http", &i.allow_http)
            .field("network", &i.network)
            .field("credentials", &"<provider>")
            .field("connect_timeout", &i.connect_timeout)
            .field("read_timeout", &i.read_timeout)
            .field("operation_timeout", &i.operation_timeout)
            .field("retry", &i.retry)
            .field("max_response_size", &i.max_response_size)
            .field("max_error_response_size", &i.max_error_response_size)
            .field("user_agent", &i.user_agent)
            .field("algorithm", &i.algorithm)
            .finish_non_exhaustive()
    }
}

/// Why [`Config::from_env`] could not build a configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

impl Config {
    /// Starts a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Configuration from the environment: region from
    /// `ALIBABA_CLOUD_REGION_ID`, else the CLI profile's `region_id`;
    /// credentials from the default chain (resolved lazily at call time).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_chain(DefaultCredentialsChain::new())
    }

    /// Like [`Config::from_env`] over an injected chain (for tests).
    pub fn from_chain(chain: DefaultCredentialsChain) -> Result<Config, ConfigError> {
        let region = chain
            .env_var(ENV_REGION)
            .or_else(|| chain.profile_region())
            .ok_or_else(|| ConfigError(format!("no region: set {ENV_REGION} or region_id in the CLI profile file")))?;
        Ok(Config::builder().region(region).credentials_provider(chain).build())
    }

    /// The configured region.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The signature scheme in use.
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.inner.algorithm
    }

    pub(crate) fn http(&self) -> Result<&reqwest::Client, String> {
        self.inner.http.as_ref().map_err(Clone::clone)
    }
}

/// Builder of [`Config`]; every setting has a default, and
/// [`ConfigBuilder::build`] never fails.
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    allow_http: bool,
    network: Network,
    explicit: Option<Credentials>,
    provider: Option<Arc<dyn CredentialsProvider>>,
    connect_timeout: Duration,
    read_timeout: Duration,
    operation_timeout: Option<Duration>,
    retry: RetryConfig,
    max_response_size: u64,
    max_error_response_size: u64,
    user_agent: String,
    algorithm: SignatureAlgorithm,
    clock: Option<Hook<SystemTime>>,
    nonce: Option<Hook<String>>,
    token: Option<Hook<String>>,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        ConfigBuilder {
            region: None,
            endpoint: None,
            allow_http: false,
            network: Network::Public,
            explicit: None,
            provider: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            operation_timeout: Some(DEFAULT_OPERATION_TIMEOUT),
            retry: RetryConfig::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            max_error_response_size: DEFAULT_MAX_ERROR_RESPONSE_SIZE,
            user_agent: default_user_agent(),
            algorithm: SignatureAlgorithm::default(),
            clock: None,
            nonce: None,
            token: None,
        }
    }
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("explicit", &self.explicit)
            .finish_non_exhaustive()
    }
}

/// The `user-agent` sent by default.
pub fn default_user_agent() -> String {
    format!("aliyun-runtime-rust/{} ({})", env!("CARGO_PKG_VERSION"), std::env::consts::OS)
}

impl ConfigBuilder {
    /// Region id, e.g. `cn-hangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Explicit credentials, first in the default chain.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.explicit = Some(credentials);
        self
    }

    /// Replaces the whole credentials chain with a custom provider.
    pub fn credentials_provider(mut self, provider: impl CredentialsProvider + 'static) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// Full endpoint override, e.g. `http://127.0.0.1:8080` or a bare host.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Permits plain `http` endpoints (default: refused).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Public or VPC endpoint.
    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// Time to establish a connection (TCP and TLS).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Longest wait for the response head or the next body chunk.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Limit of a whole call, retries and backoff included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Removes the whole-call limit.
    pub fn no_operation_timeout(mut self) -> Self {
        self.operation_timeout = None;
        self
    }

    /// Retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Largest successful response body, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]). A larger body fails the call with
    /// [`Error::TooLarge`](crate::Error::TooLarge) as soon as it is known:
    /// from `Content-Length`, or while a chunked body is read, never after
    /// buffering all of it.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Largest error body read, in bytes (default
    /// [`DEFAULT_MAX_ERROR_RESPONSE_SIZE`]). A larger one is not read
    /// further; the call still fails with a service error carrying the
    /// status and the `x-acs-request-id` header, code `HttpStatus<status>`.
    pub fn max_error_response_size(mut self, bytes: u64) -> Self {
        self.max_error_response_size = bytes;
        self
    }

    /// The `user-agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Signature scheme (default ACS3-HMAC-SHA256).
    pub fn signature_algorithm(mut self, algorithm: SignatureAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Test hook: the clock used for `x-acs-date` / `date`.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Test hook: the source of `x-acs-signature-nonce` values (default: a
    /// random UUID per attempt; the server rejects replayed nonces).
    pub fn nonce_generator(mut self, nonce: impl Fn() -> String + Send + Sync + 'static) -> Self {
        self.nonce = Some(Arc::new(nonce));
        self
    }

    /// Test hook: the source of automatically filled client tokens (default:
    /// a random UUID per logical call).
    pub fn token_generator(mut self, token: impl Fn() -> String + Send + Sync + 'static) -> Self {
        self.token = Some(Arc::new(token));
        self
    }

    /// Builds the configuration and its HTTP client. Never fails: problems
    /// (bad endpoint, missing credentials, TLS setup) surface at call time.
    pub fn build(self) -> Config {
        let credentials: Arc<dyn CredentialsProvider> = match self.provider {
            Some(p) => p,
            None => Arc::new(DefaultCredentialsChain::new().with_explicit(self.explicit)),
        };
        let http = crate::transport::build_http_client(self.connect_timeout);
        Config {
            inner: Arc::new(ConfigInner {
                region: self.region,
                endpoint: self.endpoint,
                allow_http: self.allow_http,
                network: self.network,
                credentials,
                connect_timeout: self.connect_timeout,
                read_timeout: self.read_timeout,
                operation_timeout: self.operation_timeout,
                retry: self.retry,
                max_response_size: self.max_response_size,
                max_error_response_size: self.max_error_response_size,
                user_agent: self.user_agent,
                algorithm: self.algorithm,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
                nonce: self.nonce.unwrap_or_else(|| Arc::new(|| uuid::Uuid::new_v4().simple().to_string())),
                token: self.token.unwrap_or_else(|| Arc::new(|| uuid::Uuid::new_v4().to_string())),
                http,
                #[cfg(feature = "blocking")]
                blocking: std::sync::OnceLock::new(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let config = Config::builder()
            .region("cn-hangzhou")
            .credentials(Credentials::new("AKID", "TOPSECRET").with_security_token("STSTOKEN"))
            .build();
        let shown = format!("{config:?}");
        assert!(shown.contains("cn-hangzhou"));
        assert!(!shown.contains("TOPSECRET") && !shown.contains("STSTOKEN"), "{shown}");
        let builder = format!("{:?}", Config::builder().credentials(Credentials::new("AKID", "TOPSECRET")));
        assert!(!builder.contains("TOPSECRET"), "{builder}");
    }

    #[test]
    fn from_chain_reads_region() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chain = DefaultCredentialsChain::new()
            .with_env(|name| (name == ENV_REGION).then(|| "cn-beijing".to_owned()))
            .with_home(dir.path());
        assert_eq!(Config::from_chain(chain).expect("config").region(), Some("cn-beijing"));
        let none = DefaultCredentialsChain::new().with_env(|_| None).with_home(dir.path());
        assert!(Config::from_chain(none).is_err());
    }
}
