//! Access keys and where they come from: explicit keys, the environment,
//! OIDC role assumption, the Alibaba Cloud CLI profile file, the shared ini
//! file, the ECS instance role, a credentials URI, or a user-supplied
//! provider. Temporary credentials are cached and refreshed before expiry
//! (`cache.rs`); the network providers share `http.rs`.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

mod cache;
mod ecs;
mod http;
mod profile;
mod sts;
mod uri;

pub use cache::{CachingProvider, Clock, DEFAULT_REFRESH_MARGIN};
pub use ecs::{
    DEFAULT_METADATA_ENDPOINT, ENV_ECS_METADATA, ENV_ECS_METADATA_DISABLED, ENV_IMDSV1_DISABLED, EcsRamRoleProvider,
};
pub use sts::{
    AssumeRoleProvider, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME,
    ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED, OidcRoleProvider, sts_endpoint_from_env,
};
pub use uri::{CredentialsUriProvider, ENV_CREDENTIALS_URI};

use profile::{Context, FileSource};

/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the access key secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable naming the profile to use (CLI file and ini file).
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// Environment variable holding the path of the shared ini credentials file
/// (default `~/.alibabacloud/credentials`).
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// An access key pair, optionally with an STS security token and the time it
/// expires. Cheap to clone; `Debug` never shows the secret or the token.
#[derive(Clone)]
pub struct Credentials(Arc<CredentialsInner>);

struct CredentialsInner {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// Long-term access key.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Credentials {
        Credentials(Arc::new(CredentialsInner {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
        }))
    }

    /// Adds an STS security token (sent as `x-acs-security-token`).
    pub fn with_security_token(self, token: impl Into<String>) -> Credentials {
        Credentials(Arc::new(CredentialsInner {
            access_key_id: self.0.access_key_id.clone(),
            access_key_secret: self.0.access_key_secret.clone(),
            security_token: Some(token.into()),
            expiration: self.0.expiration,
        }))
    }

    /// Marks the credential as expiring at `expiration` (temporary
    /// credentials from STS, the instance metadata or a credentials URI).
    /// Caches refresh it before that time.
    pub fn with_expiration(self, expiration: SystemTime) -> Credentials {
        Credentials(Arc::new(CredentialsInner {
            access_key_id: self.0.access_key_id.clone(),
            access_key_secret: self.0.access_key_secret.clone(),
            security_token: self.0.security_token.clone(),
            expiration: Some(expiration),
        }))
    }

    /// When the credential expires; `None` for long-term access keys.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.0.expiration
    }

    /// The access key id (not a secret; it appears in `Authorization`).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The access key secret.
    pub fn access_key_secret(&self) -> &str {
        &self.0.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&str> {
        self.0.security_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.0.security_token.as_ref().map(|_| "<redacted>"))
            .field("expiration", &self.0.expiration.map(crate::sign::format_acs_date))
            .finish()
    }
}

/// No usable credentials. Lists every source that was tried and why each
/// gave nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
    tried: Vec<String>,
}

impl CredentialsError {
    /// An error from a custom provider.
    pub fn new(message: impl Into<String>) -> CredentialsError {
        CredentialsError { message: message.into(), tried: Vec::new() }
    }

    /// Each source tried, with the reason it gave nothing.
    pub fn tried(&self) -> &[String] {
        &self.tried
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.tried.is_empty() {
            write!(f, "; tried: {}", self.tried.join("; "))?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {}

/// The future a [`CredentialsProvider`] returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked once per call. Object safe, so a
/// [`Config`](crate::Config) can hold any provider; the boxed future lets
/// providers do network I/O (STS, instance metadata) without blocking.
pub trait CredentialsProvider: Send + Sync {
    /// Returns credentials for the next call.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl CredentialsProvider for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

pub(crate) type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

pub(crate) fn process_env() -> EnvLookup {
    Arc::new(|name| std::env::var(name).ok())
}

/// Whether the variable is set to `true` (any case).
pub(crate) fn env_flag(env: &EnvLookup, name: &str) -> bool {
    env(name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Reads a whole file on tokio's blocking pool (in place without a runtime).
pub(crate) async fn read_file(path: PathBuf) -> std::io::Result<Vec<u8>> {
    profile::run_blocking(move || std::fs::read(&path)).await
}

/// The steps of the default chain, in order.
const STEPS: usize = 7;
const NO_STEP: usize = usize::MAX;

/// The default chain, in the order of Alibaba's credential libraries:
///
/// 1. explicit credentials ([`ConfigBuilder::credentials`](crate::ConfigBuilder::credentials));
/// 2. the environment AccessKey (`ALIBABA_CLOUD_ACCESS_KEY_ID`,
///    `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN`);
/// 3. OIDC role assumption from the environment ([`OidcRoleProvider::from_env`];
///    a partial set of its variables is an error that stops the chain);
/// 4. the CLI profile file `~/.aliyun/config.json` (profile
///    `ALIBABA_CLOUD_PROFILE`, else the file's `current`; modes `AK`,
///    `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`);
/// 5. the shared ini file `~/.alibabacloud/credentials` (or
///    `ALIBABA_CLOUD_CREDENTIALS_FILE`; section `ALIBABA_CLOUD_PROFILE`, else
///    `default`);
/// 6. the ECS instance RAM role ([`EcsRamRoleProvider`]), unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
/// 7. the credentials URI (`ALIBABA_CLOUD_CREDENTIALS_URI`).
///
/// The environment is read when the chain is first used. Files are read on
/// the blocking pool, once, and looked at again for changes at most every
/// five seconds; the providers built from them cache temporary credentials
/// and refresh them before expiry. The step that last gave credentials is
/// asked first on the next call. When every step fails, the error lists
/// each step and why it gave nothing.
///
/// The environment lookup, home directory, clock and the STS and metadata
/// endpoints are injectable so the chain can be tested without touching
/// the real ones. Clones share their caches.
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    explicit: Option<Credentials>,
    env: EnvLookup,
    home: Option<PathBuf>,
    clock: Clock,
    sts_endpoint: Option<String>,
    ecs_endpoint: Option<String>,
    state: Arc<OnceLock<ChainState>>,
}

/// What the chain builds on first use and keeps: the providers with caches.
struct ChainState {
    oidc: Result<Option<OidcRoleProvider>, CredentialsError>,
    cli: Option<FileSource>,
    ini: Option<FileSource>,
    ecs: Option<EcsRamRoleProvider>,
    uri: Option<CredentialsUriProvider>,
    context: Context,
    last: AtomicUsize,
}

enum Step {
    Found(Credentials),
    Skip(String),
    Stop(CredentialsError),
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("explicit", &self.explicit)
            .field("home", &self.home)
            .field("sts_endpoint", &self.sts_endpoint)
            .field("ecs_endpoint", &self.ecs_endpoint)
            .finish_non_exhaustive()
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        DefaultCredentialsChain::new()
    }
}

impl DefaultCredentialsChain {
    /// The chain over the real process environment and home directory.
    pub fn new() -> DefaultCredentialsChain {
        DefaultCredentialsChain {
            explicit: None,
            env: process_env(),
            home: None,
            clock: cache::system_clock(),
            sts_endpoint: None,
            ecs_endpoint: None,
            state: Arc::new(OnceLock::new()),
        }
    }

    fn reset(mut self) -> DefaultCredentialsChain {
        self.state = Arc::new(OnceLock::new());
        self
    }

    /// Puts explicit credentials first in the chain.
    pub fn with_explicit(mut self, credentials: Option<Credentials>) -> DefaultCredentialsChain {
        self.explicit = credentials;
        self.reset()
    }

    /// Replaces the environment lookup (for tests and sandboxes).
    pub fn with_env(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> DefaultCredentialsChain {
        self.env = Arc::new(lookup);
        self.reset()
    }

    /// Replaces the home directory that holds `.aliyun/config.json` and
    /// `.alibabacloud/credentials`.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> DefaultCredentialsChain {
        self.home = Some(home.into());
        self.reset()
    }

    /// Replaces the clock of every cache in the chain (for tests).
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> DefaultCredentialsChain {
        self.clock = Arc::new(clock);
        self.reset()
    }

    /// Sends every STS call of the chain to `endpoint` (a base URL such as
    /// `http://127.0.0.1:8080`) instead of the environment's choice.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> DefaultCredentialsChain {
        self.sts_endpoint = Some(endpoint.into().trim_end_matches('/').to_owned());
        self.reset()
    }

    /// Asks the ECS metadata service at `endpoint` instead of
    /// `http://100.100.100.200`.
    pub fn with_ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> DefaultCredentialsChain {
        self.ecs_endpoint = Some(endpoint.into());
        self.reset()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.home
            .clone()
            .or_else(|| (self.env)("HOME").map(PathBuf::from))
            .or_else(|| (self.env)("USERPROFILE").map(PathBuf::from))
    }

    /// Where the CLI profile file is looked for, if a home directory is known.
    pub fn profile_path(&self) -> Option<PathBuf> {
        Some(self.home_dir()?.join(".aliyun").join("config.json"))
    }

    /// Where the shared ini credentials file is looked for.
    pub fn credentials_file_path(&self) -> Option<PathBuf> {
        match self.env_var(ENV_CREDENTIALS_FILE) {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(self.home_dir()?.join(".alibabacloud").join("credentials")),
        }
    }

    fn state(&self) -> &ChainState {
        self.state.get_or_init(|| {
            let context = Context {
                env: self.env.clone(),
                clock: self.clock.clone(),
                sts_endpoint: self.sts_endpoint.clone(),
                ecs_endpoint: self.ecs_endpoint.clone(),
            };
            let oidc = OidcRoleProvider::from_lookup(&self.env).map(|p| {
                p.map(|p| {
                    let p = match &self.sts_endpoint {
                        Some(url) => p.endpoint_url(url.clone()),
                        None => p,
                    };
                    let clock = self.clock.clone();
                    p.clock(move || clock())
                })
            });
            let ecs = (!env_flag(&self.env, ENV_ECS_METADATA_DISABLED)).then(|| {
                let mut p = EcsRamRoleProvider::new().env(&self.env);
                if let Some(url) = &self.ecs_endpoint {
                    p = p.endpoint(url.clone());
                }
                let clock = self.clock.clone();
                p.clock(move || clock())
            });
            let uri = self.env_var(uri::ENV_CREDENTIALS_URI).map(|u| {
                let clock = self.clock.clone();
                CredentialsUriProvider::new(u).clock(move || clock())
            });
            ChainState {
                oidc,
                cli: self.profile_path().map(FileSource::new),
                ini: self.credentials_file_path().map(FileSource::new),
                ecs,
                uri,
                context,
                last: AtomicUsize::new(NO_STEP),
            }
        })
    }

    /// Walks the chain: the first step that gives credentials wins.
    pub async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let state = self.state();
        let last = state.last.load(Ordering::Relaxed);
        let mut first = None;
        if last < STEPS {
            match self.step(state, last).await {
                Step::Found(c) => return Ok(c),
                other => first = Some(other),
            }
        }
        let mut tried = Vec::with_capacity(STEPS);
        for i in 0..STEPS {
            let step = match first.take_if(|_| i == last) {
                Some(step) => step,
                None => self.step(state, i).await,
            };
            match step {
                Step::Found(c) => {
                    state.last.store(i, Ordering::Relaxed);
                    return Ok(c);
                }
                Step::Skip(why) => tried.push(why),
                Step::Stop(error) => return Err(CredentialsError { message: error.message, tried }),
            }
        }
        Err(CredentialsError { message: "no Alibaba Cloud credentials found".to_owned(), tried })
    }

    async fn step(&self, state: &ChainState, index: usize) -> Step {
        // Provider errors start with the provider's name; `label` says where
        // a provider came from when that adds something.
        let found = |label: Option<&str>, result: Result<Credentials, CredentialsError>| match result {
            Ok(c) => Step::Found(c),
            Err(e) => Step::Skip(match label {
                Some(label) => format!("{label}: {e}"),
                None => e.to_string(),
            }),
        };
        match index {
            0 => match &self.explicit {
                Some(c) => Step::Found(c.clone()),
                None => Step::Skip("explicit credentials: not configured".to_owned()),
            },
            1 => match self.env_credentials() {
                Ok(c) => Step::Found(c),
                Err(why) => Step::Skip(format!("environment: {why}")),
            },
            2 => match &state.oidc {
                Ok(Some(p)) => found(Some("OIDC (environment)"), p.provide_credentials().await),
                Ok(None) => Step::Skip(format!("OIDC (environment): {ENV_ROLE_ARN} not set")),
                Err(e) => Step::Stop(e.clone()),
            },
            3 => {
                let wanted = self.env_var(ENV_PROFILE);
                self.file_step(state, state.cli.as_ref(), "CLI profile file", |bytes, ctx| {
                    profile::build_cli(bytes, wanted.as_deref(), ctx)
                })
                .await
            }
            4 => {
                let wanted = self.env_var(ENV_PROFILE);
                self.file_step(state, state.ini.as_ref(), "credentials file", |bytes, ctx| {
                    profile::build_ini(bytes, wanted.as_deref(), ctx)
                })
                .await
            }
            5 => match &state.ecs {
                Some(p) => found(None, p.provide_credentials().await),
                None => Step::Skip(format!("ECS instance role: disabled by {ENV_ECS_METADATA_DISABLED}")),
            },
            _ => match &state.uri {
                Some(p) => found(None, p.provide_credentials().await),
                None => Step::Skip(format!("credentials URI: {ENV_CREDENTIALS_URI} not set")),
            },
        }
    }

    async fn file_step(
        &self,
        state: &ChainState,
        source: Option<&FileSource>,
        label: &str,
        build: impl FnOnce(&[u8], &Context) -> profile::Built,
    ) -> Step {
        let Some(source) = source else {
            return Step::Skip(format!("{label}: no home directory (HOME unset)"));
        };
        let label = format!("{label} {}", source.path.display());
        let now = (self.clock)();
        match source.get(now, |bytes| build(bytes, &state.context)).await {
            Ok(provider) => match provider.provide_credentials().await {
                Ok(c) => Step::Found(c),
                Err(e) => Step::Skip(format!("{label}: {e}")),
            },
            Err(why) => Step::Skip(format!("{label}: {why}")),
        }
    }

    /// The region of the selected CLI profile, if any (used by
    /// [`Config::from_env`](crate::Config::from_env), once, while the
    /// configuration is built).
    pub fn profile_region(&self) -> Option<String> {
        let path = self.profile_path()?;
        let text = std::fs::read(path).ok()?;
        let file = profile::parse_cli_file(&text).ok()?;
        let wanted = self.env_var(ENV_PROFILE);
        profile::select(&file, wanted.as_deref()).ok()?.region_id.clone().filter(|r| !r.is_empty())
    }

    pub(crate) fn env_var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    fn env_credentials(&self) -> Result<Credentials, String> {
        let id = self.env_var(ENV_ACCESS_KEY_ID);
        let secret = self.env_var(ENV_ACCESS_KEY_SECRET);
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let creds = Credentials::new(id, secret);
                Ok(match self.env_var(ENV_SECURITY_TOKEN) {
                    Some(token) => creds.with_security_token(token),
                    None => creds,
                })
            }
            (None, None) => Err(format!("{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} not set")),
            (Some(_), None) => Err(format!("{ENV_ACCESS_KEY_ID} set but {ENV_ACCESS_KEY_SECRET} not set")),
            (None, Some(_)) => Err(format!("{ENV_ACCESS_KEY_SECRET} set but {ENV_ACCESS_KEY_ID} not set")),
        }
    }
}

impl CredentialsProvider for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn debug_redacts() {
        let c = Credentials::new("AKID", "SECRET").with_security_token("TOKEN");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("SECRET") && !shown.contains("TOKEN"), "{shown}");
    }

    #[tokio::test]
    async fn missing_everything_names_all_sources() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chain =
            DefaultCredentialsChain::new().with_env(env(&[(ENV_ECS_METADATA_DISABLED, "true")])).with_home(dir.path());
        let err = chain.resolve().await.expect_err("no credentials");
        assert_eq!(err.tried().len(), STEPS, "{err}");
        let text = err.to_string();
        assert!(text.contains("explicit"), "{text}");
        assert!(text.contains(ENV_ACCESS_KEY_ID), "{text}");
        assert!(text.contains("config.json"), "{text}");
    }

    #[tokio::test]
    async fn profile_modes() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join(".aliyun")).expect("mkdir");
        std::fs::write(
            dir.path().join(".aliyun/config.json"),
            r#"{"current":"sts","profiles":[
                {"name":"default","mode":"AK","access_key_id":"a","access_key_secret":"b","region_id":"cn-beijing"},
                {"name":"sts","mode":"StsToken","access_key_id":"c","access_key_secret":"d","sts_token":"t","region_id":"cn-shanghai"},
                {"name":"odd","mode":"Kerberos"}]}"#,
        )
        .expect("write");
        let chain = DefaultCredentialsChain::new().with_env(env(&[])).with_home(dir.path());
        let c = chain.resolve().await.expect("current profile");
        assert_eq!((c.access_key_id(), c.security_token()), ("c", Some("t")));
        assert_eq!(chain.profile_region().as_deref(), Some("cn-shanghai"));

        let chain = chain.with_env(env(&[(ENV_PROFILE, "default")]));
        assert_eq!(chain.resolve().await.expect("named").access_key_id(), "a");

        let chain = chain.with_env(env(&[(ENV_PROFILE, "odd"), (ENV_ECS_METADATA_DISABLED, "true")]));
        let err = chain.resolve().await.expect_err("unsupported mode");
        assert!(err.to_string().contains("Kerberos"), "{err}");
    }

    #[tokio::test]
    async fn profile_errors_do_not_quote_values() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join(".aliyun")).expect("mkdir");
        std::fs::write(
            dir.path().join(".aliyun/config.json"),
            r#"{"profiles":[{"name":"default","access_key_id":"a","access_key_secret":987654321}]}"#,
        )
        .expect("write");
        let chain =
            DefaultCredentialsChain::new().with_env(env(&[(ENV_ECS_METADATA_DISABLED, "true")])).with_home(dir.path());
        let err = chain.resolve().await.expect_err("bad file").to_string();
        assert!(err.contains("line 1") && !err.contains("987654321"), "{err}");
    }
}
