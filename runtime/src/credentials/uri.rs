//! Credentials from an HTTP endpoint (`ALIBABA_CLOUD_CREDENTIALS_URI`).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cache::Cache;
use super::http;
use super::{Credentials, CredentialsError, CredentialsFuture, CredentialsProvider};

/// Environment variable holding the URL of a credentials endpoint.
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

const NAME: &str = "credentials URI";

/// Credentials from an HTTP endpoint: `GET` on the URL answers a JSON object
/// with `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`
/// (and optionally `Code`, which must then be `Success`). Cached and
/// refreshed before expiry. `Debug` shows only the URL's scheme and host.
pub struct CredentialsUriProvider {
    uri: String,
    timeout: Duration,
    http: http::LazyClient,
    cache: Cache,
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider").field("uri", &origin(&self.uri)).finish_non_exhaustive()
    }
}

/// The scheme and host of a URL: its path or query may carry a secret.
fn origin(uri: &str) -> &str {
    let after_scheme = uri.find("://").map_or(0, |i| i + 3);
    let end = uri[after_scheme..].find(['/', '?', '#']).map_or(uri.len(), |i| i + after_scheme);
    &uri[..end]
}

impl CredentialsUriProvider {
    /// Credentials from `uri` (5 s timeout).
    pub fn new(uri: impl Into<String>) -> CredentialsUriProvider {
        let timeout = Duration::from_secs(5);
        CredentialsUriProvider {
            uri: uri.into(),
            timeout,
            http: http::LazyClient::new(timeout, false),
            cache: Cache::new(NAME),
        }
    }

    /// Timeout of each request, connection included.
    pub fn timeout(mut self, timeout: Duration) -> CredentialsUriProvider {
        self.timeout = timeout;
        self.http = http::LazyClient::new(timeout, false);
        self
    }

    /// How long before expiry the credential is refreshed.
    pub fn refresh_margin(mut self, margin: Duration) -> CredentialsUriProvider {
        self.cache.margin = margin;
        self
    }

    /// Replaces the clock (for tests).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> CredentialsUriProvider {
        self.cache.clock = Arc::new(clock);
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        self.fetch_inner().await.map_err(|why| CredentialsError::new(format!("{NAME} {}: {why}", origin(&self.uri))))
    }

    async fn fetch_inner(&self) -> Result<Credentials, String> {
        let http = self.http.get()?;
        let answer = http::send(http.get(&self.uri), self.timeout).await?;
        if answer.status != 200 {
            return Err(http::error_summary(answer.status, &answer.body));
        }
        let value = http::json(&answer.body)?;
        match value.get("Code").and_then(|c| c.as_str()) {
            None | Some("Success") => {}
            Some(code) => return Err(format!("answered Code {code}, not Success")),
        }
        http::temporary_credentials(&value, self.cache.now())
    }
}

impl CredentialsProvider for CredentialsUriProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(|| self.fetch()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn origin_hides_path_and_query() {
        assert_eq!(super::origin("http://127.0.0.1:8080/creds?token=x"), "http://127.0.0.1:8080");
        assert_eq!(super::origin("https://host"), "https://host");
    }
}
