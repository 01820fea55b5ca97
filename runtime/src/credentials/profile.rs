//! Profiles on disk: the Alibaba Cloud CLI's `~/.aliyun/config.json` (all
//! its credential modes) and the shared ini file `~/.alibabacloud/credentials`.
//!
//! A file is read once and then only looked at again (its modification time
//! and length) at most every [`CHECK_EVERY`]; the provider built from the
//! selected profile is kept between calls, so the temporary credentials it
//! obtains are cached too. Reads run on tokio's blocking pool, never on an
//! async worker thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::cache::Clock;
use super::ecs::EcsRamRoleProvider;
use super::sts::{AssumeRoleProvider, OidcRoleProvider, sts_endpoint};
use super::{Credentials, CredentialsProvider, EnvLookup};

/// How often a profile file already read is checked for changes.
pub(crate) const CHECK_EVERY: Duration = Duration::from_secs(5);

pub(crate) type Built = Result<Arc<dyn CredentialsProvider>, String>;

/// What the providers built from profiles need from the chain.
#[derive(Clone)]
pub(crate) struct Context {
    pub(crate) env: EnvLookup,
    pub(crate) clock: Clock,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) ecs_endpoint: Option<String>,
}

impl Context {
    fn sts_url(&self, region: Option<&str>) -> String {
        self.sts_endpoint.clone().unwrap_or_else(|| sts_endpoint(&self.env, region.filter(|r| !r.is_empty())))
    }

    fn ecs(&self, role: Option<&str>) -> Arc<dyn CredentialsProvider> {
        let mut p = EcsRamRoleProvider::new().env(&self.env);
        if let Some(role) = role.filter(|r| !r.is_empty()) {
            p = p.role_name(role);
        }
        if let Some(endpoint) = &self.ecs_endpoint {
            p = p.endpoint(endpoint.clone());
        }
        let clock = self.clock.clone();
        Arc::new(p.clock(move || clock()))
    }

    fn assume_role(
        &self,
        source: Arc<dyn CredentialsProvider>,
        role_arn: &str,
        region: Option<&str>,
    ) -> AssumeRoleProvider {
        let clock = self.clock.clone();
        AssumeRoleProvider::from_arc(source, role_arn.to_owned())
            .endpoint_url(self.sts_url(region))
            .clock(move || clock())
    }

    fn oidc(&self, role_arn: &str, provider_arn: &str, token_file: &str, region: Option<&str>) -> OidcRoleProvider {
        let clock = self.clock.clone();
        OidcRoleProvider::new(role_arn, provider_arn, token_file)
            .endpoint_url(self.sts_url(region))
            .clock(move || clock())
    }
}

/// The file's identity as far as change detection goes.
type Stamp = Option<(SystemTime, u64)>;

struct Loaded {
    stamp: Stamp,
    checked_at: SystemTime,
    built: Built,
}

/// One profile file, read lazily and kept with what was built from it.
pub(crate) struct FileSource {
    pub(crate) path: PathBuf,
    loaded: Mutex<Option<Arc<Loaded>>>,
    reloading: futures_util::lock::Mutex<()>,
}

enum Read {
    Missing,
    Unchanged,
    Changed(Stamp, Vec<u8>),
}

impl FileSource {
    pub(crate) fn new(path: PathBuf) -> FileSource {
        FileSource { path, loaded: Mutex::new(None), reloading: futures_util::lock::Mutex::new(()) }
    }

    fn current(&self) -> Option<Arc<Loaded>> {
        match self.loaded.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, value: Loaded) {
        match self.loaded.lock() {
            Ok(mut guard) => *guard = Some(Arc::new(value)),
            Err(poisoned) => *poisoned.into_inner() = Some(Arc::new(value)),
        }
    }

    /// The provider built from the file, reading it again only when it
    /// changed (looked at no more often than every [`CHECK_EVERY`]).
    /// `Ok(None)`-like skips are `Err` with the reason.
    pub(crate) async fn get(&self, now: SystemTime, build: impl FnOnce(&[u8]) -> Built) -> Built {
        // A clock that went backwards also makes a check due.
        let due = |l: &Loaded| match now.duration_since(l.checked_at) {
            Ok(age) => age >= CHECK_EVERY,
            Err(_) => true,
        };
        if let Some(loaded) = self.current().filter(|l| !due(l)) {
            return loaded.built.clone();
        }
        let _single = self.reloading.lock().await;
        let previous = self.current();
        if let Some(loaded) = previous.as_ref().filter(|l| !due(l)) {
            return loaded.built.clone();
        }
        let old_stamp = previous.as_ref().and_then(|l| l.stamp);
        let path = self.path.clone();
        let read = run_blocking(move || read_if_changed(&path, old_stamp)).await;
        let (stamp, built) = match read {
            Err(e) => (None, Err(format!("unreadable: {e}"))),
            Ok(Read::Missing) => (None, Err("not found".to_owned())),
            Ok(Read::Unchanged) => match previous {
                Some(p) => (p.stamp, p.built.clone()),
                None => (None, Err("not found".to_owned())),
            },
            Ok(Read::Changed(stamp, bytes)) => (stamp, build(&bytes)),
        };
        self.set(Loaded { stamp, checked_at: now, built: built.clone() });
        built
    }
}

fn read_if_changed(path: &Path, old: Stamp) -> std::io::Result<Read> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Missing),
        Err(e) => return Err(e),
    };
    let stamp = meta.modified().ok().map(|m| (m, meta.len()));
    if stamp.is_some() && stamp == old {
        return Ok(Read::Unchanged);
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok(Read::Changed(stamp, bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Read::Missing),
        Err(e) => Err(e),
    }
}

/// Runs blocking file work on tokio's blocking pool when a runtime is
/// there, else in place.
pub(crate) async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => match handle.spawn_blocking(work).await {
            Ok(result) => result,
            Err(e) => Err(std::io::Error::other(format!("file read task failed: {e}"))),
        },
        Err(_) => work(),
    }
}

// ---------------------------------------------------------------- CLI file

#[derive(serde::Deserialize, Default)]
pub(crate) struct ProfileFile {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct Profile {
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
    pub(crate) region_id: Option<String>,
    #[serde(default)]
    ram_role_arn: Option<String>,
    #[serde(default)]
    ram_session_name: Option<String>,
    #[serde(default)]
    expired_seconds: Option<u64>,
    #[serde(default)]
    ram_role_name: Option<String>,
    #[serde(default)]
    source_profile: Option<String>,
    #[serde(default)]
    oidc_provider_arn: Option<String>,
    #[serde(default)]
    oidc_token_file: Option<String>,
    #[serde(default)]
    sts_region: Option<String>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

impl Profile {
    fn need<'a>(&self, value: &'a Option<String>, field: &str) -> Result<&'a str, String> {
        non_empty(value).ok_or_else(|| format!("profile \"{}\" ({}) has no {field}", self.name, self.mode))
    }

    fn access_key(&self) -> Result<Credentials, String> {
        let id = non_empty(&self.access_key_id);
        let secret = non_empty(&self.access_key_secret);
        let (Some(id), Some(secret)) = (id, secret) else {
            return Err(format!("profile \"{}\" has no access key", self.name));
        };
        Ok(Credentials::new(id, secret))
    }

    fn assume_role(
        &self,
        source: Arc<dyn CredentialsProvider>,
        ctx: &Context,
    ) -> Result<Arc<dyn CredentialsProvider>, String> {
        let arn = self.need(&self.ram_role_arn, "ram_role_arn")?;
        let mut p = ctx.assume_role(source, arn, non_empty(&self.sts_region));
        if let Some(name) = non_empty(&self.ram_session_name) {
            p = p.role_session_name(name);
        }
        if let Some(secs) = self.expired_seconds.filter(|s| *s > 0) {
            p = p.duration(Duration::from_secs(secs));
        }
        if let Some(policy) = non_empty(&self.policy) {
            p = p.policy(policy);
        }
        if let Some(id) = non_empty(&self.external_id) {
            p = p.external_id(id);
        }
        Ok(Arc::new(p))
    }

    /// The provider this profile describes; `file` resolves
    /// `source_profile` of chained roles.
    fn provider(&self, file: &ProfileFile, ctx: &Context, depth: usize) -> Built {
        match self.mode.as_str() {
            "AK" | "" => Ok(Arc::new(self.access_key()?)),
            "StsToken" => {
                let token = self.need(&self.sts_token, "sts_token")?;
                Ok(Arc::new(self.access_key()?.with_security_token(token)))
            }
            "RamRoleArn" => {
                let mut source = self.access_key()?;
                if let Some(token) = non_empty(&self.sts_token) {
                    source = source.with_security_token(token);
                }
                self.assume_role(Arc::new(source), ctx)
            }
            "EcsRamRole" => Ok(ctx.ecs(non_empty(&self.ram_role_name))),
            "OIDC" => {
                let arn = self.need(&self.ram_role_arn, "ram_role_arn")?;
                let provider = self.need(&self.oidc_provider_arn, "oidc_provider_arn")?;
                let file = self.need(&self.oidc_token_file, "oidc_token_file")?;
                let mut p = ctx.oidc(arn, provider, file, non_empty(&self.sts_region));
                if let Some(name) = non_empty(&self.ram_session_name) {
                    p = p.role_session_name(name);
                }
                if let Some(secs) = self.expired_seconds.filter(|s| *s > 0) {
                    p = p.duration(Duration::from_secs(secs));
                }
                if let Some(policy) = non_empty(&self.policy) {
                    p = p.policy(policy);
                }
                Ok(Arc::new(p))
            }
            "ChainableRamRoleArn" => {
                let source_name = self.need(&self.source_profile, "source_profile")?;
                if depth >= 8 {
                    return Err(format!("profile \"{}\": source_profile chain longer than 8 (a cycle?)", self.name));
                }
                let source =
                    file.profiles.iter().find(|p| p.name == source_name).ok_or_else(|| {
                        format!("profile \"{}\": no source profile named \"{source_name}\"", self.name)
                    })?;
                let source = source.provider(file, ctx, depth + 1)?;
                self.assume_role(source, ctx)
            }
            other => Err(format!(
                "profile \"{}\" uses mode {other}; supported: AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn",
                self.name
            )),
        }
    }
}

/// Parses a CLI profile file. serde's message can quote the offending
/// value, which may be a key; only the kind of problem and its place are
/// reported.
pub(crate) fn parse_cli_file(text: &[u8]) -> Result<ProfileFile, String> {
    serde_json::from_slice(text).map_err(|e| {
        let problem = match e.classify() {
            serde_json::error::Category::Data => "not a profile file",
            _ => "not valid JSON",
        };
        format!("{problem} (line {}, column {})", e.line(), e.column())
    })
}

/// The profile `wanted`, else the file's `current`, else `default`.
pub(crate) fn select<'a>(file: &'a ProfileFile, wanted: Option<&str>) -> Result<&'a Profile, String> {
    let name = wanted
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or(file.current.clone().filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "default".to_owned());
    file.profiles.iter().find(|p| p.name == name).ok_or_else(|| format!("no profile named \"{name}\""))
}

/// The provider of the selected profile of a CLI file's contents.
pub(crate) fn build_cli(text: &[u8], wanted: Option<&str>, ctx: &Context) -> Built {
    let file = parse_cli_file(text)?;
    let profile = select(&file, wanted)?;
    profile.provider(&file, ctx, 0)
}

// ---------------------------------------------------------------- ini file

/// Parses an ini file into sections of key/value pairs. Lines that are not
/// `[section]` or `key = value` are ignored, as are `#` and `;` comments.
pub(crate) fn parse_ini(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut sections: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            sections.entry(section.clone()).or_default().insert(key.trim().to_owned(), value.trim().to_owned());
        }
    }
    sections
}

/// The provider of section `wanted` (default `default`) of an ini file.
pub(crate) fn build_ini(text: &[u8], wanted: Option<&str>, ctx: &Context) -> Built {
    let text = std::str::from_utf8(text).map_err(|_| "not UTF-8".to_owned())?;
    let sections = parse_ini(text);
    let name = wanted.filter(|n| !n.is_empty()).unwrap_or("default");
    let section = sections.get(name).ok_or_else(|| format!("no section [{name}]"))?;
    let get = |key: &str| section.get(key).map(String::as_str).filter(|v| !v.is_empty());
    let need = |key: &str| get(key).ok_or_else(|| format!("section [{name}] has no {key}"));
    if get("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
        return Err(format!("section [{name}] is disabled (enable = false)"));
    }
    let kind = need("type")?;
    match kind {
        "access_key" => Ok(Arc::new(Credentials::new(need("access_key_id")?, need("access_key_secret")?))),
        "sts" => Ok(Arc::new(
            Credentials::new(need("access_key_id")?, need("access_key_secret")?)
                .with_security_token(need("security_token")?),
        )),
        "ecs_ram_role" => Ok(ctx.ecs(get("role_name"))),
        "ram_role_arn" => {
            let source = Credentials::new(need("access_key_id")?, need("access_key_secret")?);
            let mut p = ctx.assume_role(Arc::new(source), need("role_arn")?, get("sts_region"));
            if let Some(session) = get("role_session_name") {
                p = p.role_session_name(session);
            }
            if let Some(policy) = get("policy") {
                p = p.policy(policy);
            }
            if let Some(id) = get("external_id") {
                p = p.external_id(id);
            }
            Ok(Arc::new(p))
        }
        "oidc_role_arn" => {
            let mut p = ctx.oidc(
                need("role_arn")?,
                need("oidc_provider_arn")?,
                need("oidc_token_file_path")?,
                get("sts_region"),
            );
            if let Some(session) = get("role_session_name") {
                p = p.role_session_name(session);
            }
            if let Some(policy) = get("policy") {
                p = p.policy(policy);
            }
            Ok(Arc::new(p))
        }
        other => Err(format!(
            "section [{name}] has type {other}; supported: access_key, sts, ecs_ram_role, ram_role_arn, oidc_role_arn"
        )),
    }
}
