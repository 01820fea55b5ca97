//! Access keys and where they come from: explicit keys, the environment, the
//! Alibaba Cloud CLI profile file, or a user-supplied provider.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the access key secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable naming the CLI profile to use.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";

/// An access key pair, optionally with an STS security token. Cheap to clone;
/// `Debug` never shows the secret or the token.
#[derive(Clone)]
pub struct Credentials(Arc<CredentialsInner>);

struct CredentialsInner {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

impl Credentials {
    /// Long-term access key.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Credentials {
        Credentials(Arc::new(CredentialsInner {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }))
    }

    /// Adds an STS security token (sent as `x-acs-security-token`).
    pub fn with_security_token(self, token: impl Into<String>) -> Credentials {
        Credentials(Arc::new(CredentialsInner {
            access_key_id: self.0.access_key_id.clone(),
            access_key_secret: self.0.access_key_secret.clone(),
            security_token: Some(token.into()),
        }))
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

type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The default chain: explicit keys, then the environment
/// (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
/// `ALIBABA_CLOUD_SECURITY_TOKEN`), then the CLI profile file
/// `~/.aliyun/config.json` (profile `ALIBABA_CLOUD_PROFILE`, else the file's
/// current profile; modes `AK` and `StsToken`).
///
/// The environment lookup and the home directory are injectable so the chain
/// can be tested without touching the real ones. Nothing is cached: the
/// sources are read on every call, so rotated keys are picked up.
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    explicit: Option<Credentials>,
    env: EnvLookup,
    home: Option<PathBuf>,
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("explicit", &self.explicit)
            .field("home", &self.home)
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
        DefaultCredentialsChain { explicit: None, env: Arc::new(|name| std::env::var(name).ok()), home: None }
    }

    /// Puts explicit credentials first in the chain.
    pub fn with_explicit(mut self, credentials: Option<Credentials>) -> DefaultCredentialsChain {
        self.explicit = credentials;
        self
    }

    /// Replaces the environment lookup (for tests and sandboxes).
    pub fn with_env(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> DefaultCredentialsChain {
        self.env = Arc::new(lookup);
        self
    }

    /// Replaces the home directory that holds `.aliyun/config.json`.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> DefaultCredentialsChain {
        self.home = Some(home.into());
        self
    }

    /// Where the CLI profile file is looked for, if a home directory is known.
    pub fn profile_path(&self) -> Option<PathBuf> {
        let home = self
            .home
            .clone()
            .or_else(|| (self.env)("HOME").map(PathBuf::from))
            .or_else(|| (self.env)("USERPROFILE").map(PathBuf::from))?;
        Some(home.join(".aliyun").join("config.json"))
    }

    /// Walks the chain synchronously (all its sources are local).
    pub fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(3);
        match &self.explicit {
            Some(c) => return Ok(c.clone()),
            None => tried.push("explicit credentials: not configured".to_owned()),
        }
        match self.env_credentials() {
            Ok(c) => return Ok(c),
            Err(why) => tried.push(format!("environment: {why}")),
        }
        match self.profile_path() {
            None => tried.push("profile file: no home directory (HOME unset)".to_owned()),
            Some(path) => match read_profile(&path, (self.env)(ENV_PROFILE).as_deref()) {
                Ok(profile) => match profile.credentials() {
                    Ok(c) => return Ok(c),
                    Err(why) => tried.push(format!("profile file {}: {why}", path.display())),
                },
                Err(why) => tried.push(format!("profile file {}: {why}", path.display())),
            },
        }
        Err(CredentialsError { message: "no Alibaba Cloud credentials found".to_owned(), tried })
    }

    /// The region of the selected CLI profile, if any (used by
    /// [`Config::from_env`](crate::Config::from_env)).
    pub fn profile_region(&self) -> Option<String> {
        let path = self.profile_path()?;
        read_profile(&path, (self.env)(ENV_PROFILE).as_deref()).ok()?.region_id.filter(|r| !r.is_empty())
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
        let result = self.resolve();
        Box::pin(async move { result })
    }
}

#[derive(serde::Deserialize, Default)]
struct ProfileFile {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(serde::Deserialize, Default)]
struct Profile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    access_key_secret: Option<String>,
    #[serde(default)]
    sts_token: Option<String>,
    #[serde(default)]
    region_id: Option<String>,
}

impl Profile {
    fn credentials(&self) -> Result<Credentials, String> {
        if !matches!(self.mode.as_str(), "AK" | "StsToken" | "") {
            return Err(format!(
                "profile \"{}\" uses mode {}, only AK and StsToken are supported",
                self.name, self.mode
            ));
        }
        let id = self.access_key_id.as_deref().filter(|s| !s.is_empty());
        let secret = self.access_key_secret.as_deref().filter(|s| !s.is_empty());
        let (Some(id), Some(secret)) = (id, secret) else {
            return Err(format!("profile \"{}\" has no access key", self.name));
        };
        if self.mode != "StsToken" {
            return Ok(Credentials::new(id, secret));
        }
        match self.sts_token.as_deref().filter(|s| !s.is_empty()) {
            Some(token) => Ok(Credentials::new(id, secret).with_security_token(token)),
            None => Err(format!("profile \"{}\" (StsToken) has no sts_token", self.name)),
        }
    }
}

fn read_profile(path: &Path, wanted: Option<&str>) -> Result<Profile, String> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("not found".to_owned()),
        Err(e) => return Err(format!("unreadable: {e}")),
    };
    // serde's message can quote the offending value, which may be a key;
    // only the kind of problem and its place are reported.
    let file: ProfileFile = serde_json::from_slice(&text).map_err(|e| {
        let problem = match e.classify() {
            serde_json::error::Category::Data => "not a profile file",
            _ => "not valid JSON",
        };
        format!("{problem} (line {}, column {})", e.line(), e.column())
    })?;
    let name = wanted
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or(file.current.clone().filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "default".to_owned());
    file.profiles.into_iter().find(|p| p.name == name).ok_or_else(|| format!("no profile named \"{name}\""))
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

    #[test]
    fn missing_everything_names_all_sources() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chain = DefaultCredentialsChain::new().with_env(env(&[])).with_home(dir.path());
        let err = chain.resolve().expect_err("no credentials");
        assert_eq!(err.tried().len(), 3);
        let text = err.to_string();
        assert!(text.contains("explicit"), "{text}");
        assert!(text.contains(ENV_ACCESS_KEY_ID), "{text}");
        assert!(text.contains("config.json"), "{text}");
    }

    #[test]
    fn profile_modes() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join(".aliyun")).expect("mkdir");
        std::fs::write(
            dir.path().join(".aliyun/config.json"),
            r#"{"current":"sts","profiles":[
                {"name":"default","mode":"AK","access_key_id":"a","access_key_secret":"b","region_id":"cn-beijing"},
                {"name":"sts","mode":"StsToken","access_key_id":"c","access_key_secret":"d","sts_token":"t","region_id":"cn-shanghai"},
                {"name":"ram","mode":"EcsRamRole","ram_role_name":"r"}]}"#,
        )
        .expect("write");
        let chain = DefaultCredentialsChain::new().with_env(env(&[])).with_home(dir.path());
        let c = chain.resolve().expect("current profile");
        assert_eq!((c.access_key_id(), c.security_token()), ("c", Some("t")));
        assert_eq!(chain.profile_region().as_deref(), Some("cn-shanghai"));

        let chain = chain.with_env(env(&[(ENV_PROFILE, "default")]));
        assert_eq!(chain.resolve().expect("named").access_key_id(), "a");

        let chain = chain.with_env(env(&[(ENV_PROFILE, "ram")]));
        let err = chain.resolve().expect_err("unsupported mode");
        assert!(err.to_string().contains("EcsRamRole"), "{err}");
    }

    #[test]
    fn profile_errors_do_not_quote_values() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join(".aliyun")).expect("mkdir");
        std::fs::write(
            dir.path().join(".aliyun/config.json"),
            r#"{"profiles":[{"name":"default","access_key_id":"a","access_key_secret":987654321}]}"#,
        )
        .expect("write");
        let chain = DefaultCredentialsChain::new().with_env(env(&[])).with_home(dir.path());
        let err = chain.resolve().expect_err("bad file").to_string();
        assert!(err.contains("line 1") && !err.contains("987654321"), "{err}");
    }
}
