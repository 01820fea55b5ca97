//! Role assumption through STS (`sts.aliyuncs.com`, version 2015-04-01):
//! `AssumeRole` signed with a source credential, and `AssumeRoleWithOIDC`
//! (RRSA), which is anonymous.
//!
//! STS is an RPC product. `AssumeRole` is sent as `POST /` with its
//! parameters in the query and signed with the RPC signature v1
//! (`sign_v1`, checked against Alibaba's own vectors), as the official
//! credential libraries sign it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cache::Cache;
use super::http;
use super::{Credentials, CredentialsError, CredentialsFuture, CredentialsProvider, EnvLookup, env_flag};
use crate::sign;
use crate::sign_v1;

/// Environment variable naming the STS region (`sts.<region>.aliyuncs.com`).
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// Environment variable that, set to `true`, selects the VPC STS endpoint
/// (`sts-vpc.<region>.aliyuncs.com`, with `ALIBABA_CLOUD_STS_REGION`).
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// Environment variable holding the role ARN for OIDC role assumption.
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// Environment variable holding the OIDC provider ARN.
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// Environment variable holding the path of the OIDC token file.
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// Environment variable holding the role session name.
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

const VERSION: &str = "2015-04-01";
/// Default lifetime asked for an assumed role's credential.
const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

/// The STS base URL the environment selects: `https://sts.aliyuncs.com`, or
/// `https://sts.<region>.aliyuncs.com` with `ALIBABA_CLOUD_STS_REGION`, or
/// `https://sts-vpc.<region>.aliyuncs.com` when
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true` as well.
pub fn sts_endpoint_from_env() -> String {
    sts_endpoint(&super::process_env(), None)
}

pub(crate) fn sts_endpoint(env: &EnvLookup, region: Option<&str>) -> String {
    let region = region.map(str::to_owned).or_else(|| env(ENV_STS_REGION)).filter(|r| !r.is_empty());
    match region {
        Some(region) if env_flag(env, ENV_VPC_ENDPOINT_ENABLED) => format!("https://sts-vpc.{region}.aliyuncs.com"),
        Some(region) => format!("https://sts.{region}.aliyuncs.com"),
        None => "https://sts.aliyuncs.com".to_owned(),
    }
}

/// What both STS providers share.
struct Sts {
    endpoint: String,
    role_arn: String,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
    timeout: Duration,
    http: http::LazyClient,
    cache: Cache,
}

impl Sts {
    fn new(name: &'static str, role_arn: String) -> Sts {
        let timeout = Duration::from_secs(10);
        Sts {
            endpoint: sts_endpoint(&super::process_env(), None),
            role_arn,
            session_name: default_session_name(),
            duration: DEFAULT_DURATION,
            policy: None,
            timeout,
            http: http::LazyClient::new(Duration::from_secs(5), false),
            cache: Cache::new(name),
        }
    }

    fn set_endpoint(&mut self, endpoint: String) {
        let endpoint = endpoint.trim_end_matches('/');
        self.endpoint = if endpoint.contains("://") { endpoint.to_owned() } else { format!("https://{endpoint}") };
    }

    fn duration_seconds(&self) -> Result<String, String> {
        let secs = self.duration.as_secs();
        if secs < 900 {
            return Err(format!("the session duration must be at least 900 seconds, not {secs}"));
        }
        Ok(secs.to_string())
    }

    /// Reads the `Credentials` object of a 2xx answer.
    fn read_answer(&self, answer: http::Answer) -> Result<Credentials, String> {
        if !(200..300).contains(&answer.status) {
            return Err(http::error_summary(answer.status, &answer.body));
        }
        let value = http::json(&answer.body)?;
        let credentials = value.get("Credentials").ok_or_else(|| "answer has no Credentials object".to_owned())?;
        http::temporary_credentials(credentials, self.cache.now())
    }
}

fn default_session_name() -> String {
    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("aliyun-runtime-rust-{secs}")
}

fn debug_sts(f: &mut fmt::Formatter<'_>, name: &str, sts: &Sts) -> fmt::Result {
    f.debug_struct(name)
        .field("endpoint", &sts.endpoint)
        .field("role_arn", &sts.role_arn)
        .field("session_name", &sts.session_name)
        .field("duration", &sts.duration)
        .field("policy", &sts.policy.as_ref().map(|_| "<set>"))
        .finish_non_exhaustive()
}

macro_rules! common_setters {
    ($ty:ident) => {
        impl $ty {
            /// STS base URL or host (default: from the environment, see
            /// [`sts_endpoint_from_env`]). A bare host means `https`.
            pub fn endpoint(mut self, endpoint: impl Into<String>) -> $ty {
                self.sts.set_endpoint(endpoint.into());
                self
            }

            /// The STS endpoint of `region` (`sts.<region>.aliyuncs.com`, or
            /// `sts-vpc.` when `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`).
            pub fn sts_region(mut self, region: &str) -> $ty {
                self.sts.endpoint = sts_endpoint(&super::process_env(), Some(region));
                self
            }

            /// The role session name (default `aliyun-runtime-rust-<seconds>`).
            pub fn role_session_name(mut self, name: impl Into<String>) -> $ty {
                let name = name.into();
                if !name.is_empty() {
                    self.sts.session_name = name;
                }
                self
            }

            /// Lifetime of the credential asked for (default one hour; STS
            /// accepts 15 minutes up to the role's maximum).
            pub fn duration(mut self, duration: Duration) -> $ty {
                self.sts.duration = duration;
                self
            }

            /// A policy further restricting the assumed role (JSON text).
            pub fn policy(mut self, policy: impl Into<String>) -> $ty {
                self.sts.policy = Some(policy.into()).filter(|p| !p.is_empty());
                self
            }

            /// Timeout of the STS request (default 10 s).
            pub fn timeout(mut self, timeout: Duration) -> $ty {
                self.sts.timeout = timeout;
                self
            }

            /// How long before expiry the credential is refreshed.
            pub fn refresh_margin(mut self, margin: Duration) -> $ty {
                self.sts.cache.margin = margin;
                self
            }

            /// Replaces the clock (for tests; also dates the request).
            pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> $ty {
                self.sts.cache.clock = Arc::new(clock);
                self
            }
        }
    };
}

const ASSUME_ROLE: &str = "RAM role assumption (AssumeRole)";

/// Assumes a RAM role with STS `AssumeRole`, signing the call with a source
/// credential (an AccessKey, or another provider for chained roles).
/// Cached and refreshed before expiry; concurrent callers share one call.
pub struct AssumeRoleProvider {
    source: Arc<dyn CredentialsProvider>,
    external_id: Option<String>,
    sts: Sts,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_sts(f, "AssumeRoleProvider", &self.sts)
    }
}

common_setters!(AssumeRoleProvider);

impl AssumeRoleProvider {
    /// Assumes `role_arn` (`acs:ram::<account>:role/<name>`) with the
    /// credential `source` gives.
    pub fn new(source: impl CredentialsProvider + 'static, role_arn: impl Into<String>) -> AssumeRoleProvider {
        AssumeRoleProvider::from_arc(Arc::new(source), role_arn.into())
    }

    pub(crate) fn from_arc(source: Arc<dyn CredentialsProvider>, role_arn: String) -> AssumeRoleProvider {
        AssumeRoleProvider { source, external_id: None, sts: Sts::new(ASSUME_ROLE, role_arn) }
    }

    pub(crate) fn endpoint_url(mut self, url: String) -> AssumeRoleProvider {
        self.sts.endpoint = url;
        self
    }

    /// The external id the role's trust policy asks for.
    pub fn external_id(mut self, external_id: impl Into<String>) -> AssumeRoleProvider {
        self.external_id = Some(external_id.into()).filter(|e| !e.is_empty());
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::new(format!("{ASSUME_ROLE} of {}: no source credential: {e}", self.sts.role_arn))
        })?;
        self.fetch_inner(&source)
            .await
            .map_err(|why| CredentialsError::new(format!("{ASSUME_ROLE} of {}: {why}", self.sts.role_arn)))
    }

    async fn fetch_inner(&self, source: &Credentials) -> Result<Credentials, String> {
        let http = self.sts.http.get()?;
        let url = reqwest::Url::parse(&self.sts.endpoint).map_err(|e| format!("bad STS endpoint: {e}"))?;
        if url.host_str().is_none() {
            return Err("bad STS endpoint: no host".to_owned());
        }
        let duration = self.sts.duration_seconds()?;
        let mut query: Vec<(&str, &str)> = vec![
            ("RoleArn", &self.sts.role_arn),
            ("RoleSessionName", &self.sts.session_name),
            ("DurationSeconds", &duration),
        ];
        if let Some(policy) = &self.sts.policy {
            query.push(("Policy", policy));
        }
        if let Some(external_id) = &self.external_id {
            query.push(("ExternalId", external_id));
        }
        // Signed with the RPC signature v1, as Alibaba's credential
        // libraries sign AssumeRole: every parameter in the query, the
        // signature one more parameter.
        let common = sign_v1::common_params(
            "AssumeRole",
            VERSION,
            sign::format_acs_date(self.sts.cache.now()),
            uuid::Uuid::new_v4().simple().to_string(),
            source.access_key_id(),
            source.security_token(),
        );
        let mut pairs: Vec<(&str, &str)> = common.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend(query.iter().copied());
        let signature = sign_v1::sign_rpc_v1(&sign_v1::RpcSigningInput {
            method: "POST",
            query: &pairs,
            form: &[],
            access_key_secret: source.access_key_secret(),
        })
        .signature;
        let mut target = format!("{}/", self.sts.endpoint.trim_end_matches('/'));
        for (i, (key, value)) in pairs.iter().chain(std::iter::once(&("Signature", signature.as_str()))).enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            target.push_str(key);
            target.push('=');
            target.push_str(&sign::percent_encode(value));
        }
        let request = http.post(target).header("accept", "application/json");
        let answer = http::send(request, self.sts.timeout).await?;
        self.sts.read_answer(answer)
    }
}

impl CredentialsProvider for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.sts.cache.get(|| self.fetch()))
    }
}

const OIDC: &str = "OIDC role assumption (AssumeRoleWithOIDC)";

/// Assumes a RAM role with an OIDC token (RRSA on Kubernetes) through STS
/// `AssumeRoleWithOIDC`, an anonymous call. The token file is read again
/// on every refresh (it is rotated by the platform). Cached and refreshed
/// before expiry.
pub struct OidcRoleProvider {
    provider_arn: String,
    token_file: PathBuf,
    sts: Sts,
}

impl fmt::Debug for OidcRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_sts(f, "OidcRoleProvider", &self.sts)?;
        f.write_str(" ")?;
        f.debug_struct("Oidc").field("provider_arn", &self.provider_arn).field("token_file", &self.token_file).finish()
    }
}

common_setters!(OidcRoleProvider);

impl OidcRoleProvider {
    /// Assumes `role_arn` with the token in `token_file`, issued by the
    /// identity provider `oidc_provider_arn`.
    pub fn new(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> OidcRoleProvider {
        OidcRoleProvider {
            provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            sts: Sts::new(OIDC, role_arn.into()),
        }
    }

    pub(crate) fn endpoint_url(mut self, url: String) -> OidcRoleProvider {
        self.sts.endpoint = url;
        self
    }

    /// The provider the environment describes (`ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`,
    /// optional `ALIBABA_CLOUD_ROLE_SESSION_NAME`): `Ok(None)` when none of
    /// the three is set, an error naming the missing ones when only some are.
    pub fn from_env() -> Result<Option<OidcRoleProvider>, CredentialsError> {
        OidcRoleProvider::from_lookup(&super::process_env())
    }

    pub(crate) fn from_lookup(env: &EnvLookup) -> Result<Option<OidcRoleProvider>, CredentialsError> {
        let get = |name: &str| env(name).filter(|v| !v.is_empty());
        let names = [ENV_ROLE_ARN, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE];
        let values = names.map(get);
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        let [Some(role), Some(provider), Some(file)] = values.clone() else {
            let missing: Vec<&str> = names.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(n, _)| *n).collect();
            return Err(CredentialsError::new(format!(
                "OIDC role assumption is partly configured in the environment: {} not set",
                missing.join(", ")
            )));
        };
        let mut provider = OidcRoleProvider::new(role, provider, file);
        provider.sts.endpoint = sts_endpoint(env, None);
        if let Some(name) = get(ENV_ROLE_SESSION_NAME) {
            provider.sts.session_name = name;
        }
        Ok(Some(provider))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        self.fetch_inner().await.map_err(|why| CredentialsError::new(format!("{OIDC} of {}: {why}", self.sts.role_arn)))
    }

    async fn fetch_inner(&self) -> Result<Credentials, String> {
        let http = self.sts.http.get()?;
        let token = read_token(&self.token_file).await?;
        let duration = self.sts.duration_seconds()?;
        let timestamp = sign::format_acs_date(self.sts.cache.now());
        let target = format!(
            "{}/?Action=AssumeRoleWithOIDC&Format=JSON&Version={VERSION}&Timestamp={}",
            self.sts.endpoint.trim_end_matches('/'),
            sign::percent_encode(&timestamp)
        );
        let mut body = vec![
            ("RoleArn", self.sts.role_arn.as_str()),
            ("OIDCProviderArn", self.provider_arn.as_str()),
            ("OIDCToken", token.as_str()),
            ("RoleSessionName", self.sts.session_name.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        if let Some(policy) = &self.sts.policy {
            body.push(("Policy", policy));
        }
        let body: Vec<String> = body.iter().map(|(k, v)| format!("{k}={}", sign::percent_encode(v))).collect();
        let request = http
            .post(target)
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.join("&"));
        let answer = http::send(request, self.sts.timeout).await?;
        self.sts.read_answer(answer)
    }
}

async fn read_token(path: &Path) -> Result<String, String> {
    let bytes = super::read_file(path.to_owned())
        .await
        .map_err(|e| format!("cannot read the OIDC token file {}: {e}", path.display()))?;
    let token = String::from_utf8(bytes).map_err(|_| format!("the OIDC token file {} is not UTF-8", path.display()))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(format!("the OIDC token file {} is empty", path.display()));
    }
    Ok(token.to_owned())
}

impl CredentialsProvider for OidcRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.sts.cache.get(|| self.fetch()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> EnvLookup {
        Arc::new(move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn sts_endpoints() {
        assert_eq!(sts_endpoint(&env(&[]), None), "https://sts.aliyuncs.com");
        assert_eq!(
            sts_endpoint(&env(&[(ENV_STS_REGION, "cn-shanghai")]), None),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        let vpc = env(&[(ENV_STS_REGION, "cn-shanghai"), (ENV_VPC_ENDPOINT_ENABLED, "TRUE")]);
        assert_eq!(sts_endpoint(&vpc, None), "https://sts-vpc.cn-shanghai.aliyuncs.com");
        assert_eq!(sts_endpoint(&vpc, Some("cn-beijing")), "https://sts-vpc.cn-beijing.aliyuncs.com");
        // Without a region the VPC flag has no endpoint to pick.
        assert_eq!(sts_endpoint(&env(&[(ENV_VPC_ENDPOINT_ENABLED, "true")]), None), "https://sts.aliyuncs.com");
    }

    #[test]
    fn partial_oidc_names_the_missing_variables() {
        let err = OidcRoleProvider::from_lookup(&env(&[(ENV_OIDC_TOKEN_FILE, "/t")])).expect_err("partial");
        assert!(err.to_string().contains("ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN not set"), "{err}");
        assert!(OidcRoleProvider::from_lookup(&env(&[])).expect("none").is_none());
        let full = env(&[
            (ENV_ROLE_ARN, "acs:ram::1:role/r"),
            (ENV_OIDC_PROVIDER_ARN, "acs:ram::1:oidc-provider/p"),
            (ENV_OIDC_TOKEN_FILE, "/var/run/token"),
            (ENV_ROLE_SESSION_NAME, "pod"),
            (ENV_STS_REGION, "cn-hangzhou"),
        ]);
        let p = OidcRoleProvider::from_lookup(&full).expect("full").expect("some");
        assert_eq!(p.sts.session_name, "pod");
        assert_eq!(p.sts.endpoint, "https://sts.cn-hangzhou.aliyuncs.com");
    }
}
