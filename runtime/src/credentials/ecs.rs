//! The RAM role of an ECS instance, from the instance metadata service.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cache::Cache;
use super::http;
use super::{Credentials, CredentialsError, CredentialsFuture, CredentialsProvider, EnvLookup, env_flag};

/// Environment variable naming the instance's RAM role (skips discovery).
pub const ENV_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// Environment variable that, set to `true`, removes the instance role from
/// the default chain.
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// Environment variable that, set to `true`, forbids the plain (token-less)
/// metadata mode: without a metadata token the provider fails.
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

/// The metadata service of every ECS instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// Lifetime asked for the metadata token; one token serves one refresh.
const TOKEN_TTL_SECONDS: &str = "21600";

const NAME: &str = "ECS instance RAM role";

/// Credentials of the RAM role attached to the ECS instance this process
/// runs on, from the metadata service (`100.100.100.200`).
///
/// In the hardened mode (tried first) the provider fetches a metadata token
/// and sends it with the credential request; when the service refuses a
/// token it falls back to the plain mode, unless [`EcsRamRoleProvider::imdsv1_disabled`]
/// (or `ALIBABA_CLOUD_IMDSV1_DISABLED=true`) forbids it. The role name is
/// read from the metadata service when not configured. Each request has a
/// timeout of one second, and a service that does not answer the token
/// request is not asked again in the plain mode, so the provider fails
/// within about a second off ECS. Credentials are
/// cached and refreshed before they expire.
pub struct EcsRamRoleProvider {
    role_name: Option<String>,
    endpoint: String,
    imdsv1_disabled: bool,
    timeout: Duration,
    http: http::LazyClient,
    cache: Cache,
}

impl fmt::Debug for EcsRamRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRamRoleProvider")
            .field("role_name", &self.role_name)
            .field("endpoint", &self.endpoint)
            .field("imdsv1_disabled", &self.imdsv1_disabled)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        EcsRamRoleProvider::new()
    }
}

impl EcsRamRoleProvider {
    /// Role discovered from the metadata service, hardened mode with
    /// fallback, default endpoint, one-second timeouts.
    pub fn new() -> EcsRamRoleProvider {
        let timeout = Duration::from_secs(1);
        EcsRamRoleProvider {
            role_name: None,
            endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
            imdsv1_disabled: false,
            timeout,
            http: http::LazyClient::new(timeout, true),
            cache: Cache::new(NAME),
        }
    }

    /// Settings from the environment: the role from
    /// `ALIBABA_CLOUD_ECS_METADATA`, the plain mode forbidden by
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED=true`.
    pub fn from_env() -> EcsRamRoleProvider {
        EcsRamRoleProvider::new().env(&super::process_env())
    }

    pub(crate) fn env(mut self, env: &EnvLookup) -> EcsRamRoleProvider {
        if let Some(role) = env(ENV_ECS_METADATA).filter(|r| !r.is_empty()) {
            self.role_name = Some(role);
        }
        self.imdsv1_disabled = env_flag(env, ENV_IMDSV1_DISABLED);
        self
    }

    /// The RAM role name (default: read from the metadata service).
    pub fn role_name(mut self, role: impl Into<String>) -> EcsRamRoleProvider {
        self.role_name = Some(role.into()).filter(|r| !r.is_empty());
        self
    }

    /// The metadata service's base URL (default `http://100.100.100.200`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> EcsRamRoleProvider {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// Forbids the plain mode: without a metadata token, fail.
    pub fn imdsv1_disabled(mut self, disabled: bool) -> EcsRamRoleProvider {
        self.imdsv1_disabled = disabled;
        self
    }

    /// Timeout of each metadata request, connection included (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> EcsRamRoleProvider {
        self.timeout = timeout;
        self.http = http::LazyClient::new(timeout, true);
        self
    }

    /// How long before expiry the credential is refreshed.
    pub fn refresh_margin(mut self, margin: Duration) -> EcsRamRoleProvider {
        self.cache.margin = margin;
        self
    }

    /// Replaces the clock (for tests).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> EcsRamRoleProvider {
        self.cache.clock = Arc::new(clock);
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        self.fetch_inner().await.map_err(|why| CredentialsError::new(format!("{NAME}: {why}")))
    }

    async fn fetch_inner(&self) -> Result<Credentials, String> {
        let http = self.http.get()?;
        let token = self.metadata_token(http).await?;
        let with_token = |request: reqwest::RequestBuilder| match &token {
            Some(token) => request.header(TOKEN_HEADER, token.as_str()),
            None => request,
        };
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let url = format!("{}{ROLE_PATH}", self.endpoint);
                let answer = http::send(with_token(http.get(url)), self.timeout)
                    .await
                    .map_err(|e| format!("reading the role name: {e}"))?;
                match answer.status {
                    200 => {}
                    404 => return Err("no RAM role is attached to this instance".to_owned()),
                    status => return Err(format!("reading the role name: HTTP {status}")),
                }
                let text = String::from_utf8(answer.body).map_err(|_| "the role name is not UTF-8".to_owned())?;
                let role = text.lines().next().unwrap_or("").trim().to_owned();
                if role.is_empty() {
                    return Err("no RAM role is attached to this instance (empty role list)".to_owned());
                }
                role
            }
        };
        let url = format!("{}{ROLE_PATH}{}", self.endpoint, crate::sign::percent_encode(&role));
        let answer = http::send(with_token(http.get(url)), self.timeout)
            .await
            .map_err(|e| format!("reading the credential of role {role}: {e}"))?;
        if answer.status != 200 {
            return Err(format!("reading the credential of role {role}: {}", http::error_summary(answer.status, &[])));
        }
        let value = http::json(&answer.body)?;
        match value.get("Code").and_then(|c| c.as_str()) {
            None | Some("Success") => {}
            Some(code) => return Err(format!("the metadata service answered Code {code}, not Success")),
        }
        http::temporary_credentials(&value, self.cache.now())
    }

    /// The metadata token, or `None` to go on in the plain mode.
    async fn metadata_token(&self, http: &reqwest::Client) -> Result<Option<String>, String> {
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        let request = http.put(url).header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS);
        let why = match http::send(request, self.timeout).await {
            Ok(answer) if answer.status == 200 => match String::from_utf8(answer.body) {
                Ok(token) if !token.trim().is_empty() => return Ok(Some(token.trim().to_owned())),
                _ => "an empty or non-UTF-8 token".to_owned(),
            },
            Ok(answer) => format!("HTTP {}", answer.status),
            // Nothing answered: the plain mode would only wait as long again.
            Err(e) => {
                return Err(format!("the metadata service at {} does not answer ({e}); not on ECS?", self.endpoint));
            }
        };
        if self.imdsv1_disabled {
            return Err(format!(
                "cannot get a metadata token ({why}) and the plain mode is disabled ({ENV_IMDSV1_DISABLED})"
            ));
        }
        tracing::debug!(reason = %why, "no ECS metadata token; using the plain metadata mode");
        Ok(None)
    }
}

impl CredentialsProvider for EcsRamRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(|| self.fetch()))
    }
}
