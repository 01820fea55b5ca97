//! The small HTTP and JSON helpers the network providers share: one request
//! under a timeout and a size limit, errors that never repeat the URL or the
//! body, and the reading of a temporary credential out of a JSON answer.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Credentials;

/// Largest answer a credential source may send; real ones are under 2 KiB.
const MAX_ANSWER: usize = 64 << 10;

/// One HTTP answer, read in full.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// A provider's HTTP client, built on first use (building one loads the TLS
/// roots; a chain holds providers it may never call).
pub(crate) struct LazyClient {
    connect_timeout: Duration,
    /// The metadata service is link-local: never reach it through a proxy.
    no_proxy: bool,
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl LazyClient {
    pub(crate) fn new(connect_timeout: Duration, no_proxy: bool) -> LazyClient {
        LazyClient { connect_timeout, no_proxy, client: OnceLock::new() }
    }

    pub(crate) fn get(&self) -> Result<&reqwest::Client, String> {
        let built = self.client.get_or_init(|| {
            let mut builder = reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none());
            if self.no_proxy {
                builder = builder.no_proxy();
            }
            builder.build().map_err(|e| format!("cannot build HTTP client: {e}"))
        });
        built.as_ref().map_err(Clone::clone)
    }
}

/// Sends `request`; the whole exchange, body included, must finish within
/// `timeout`. Errors say what went wrong without the URL (its query may
/// carry values) and never quote the body.
pub(crate) async fn send(request: reqwest::RequestBuilder, timeout: Duration) -> Result<Answer, String> {
    let exchange = async {
        let mut response = request.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        if response.content_length().is_some_and(|n| n > MAX_ANSWER as u64) {
            return Err(format!("answer larger than {MAX_ANSWER} bytes"));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > MAX_ANSWER {
                return Err(format!("answer larger than {MAX_ANSWER} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
    }
}

fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        format!("request failed: {error}")
    }
}

/// Parses a JSON answer. serde_json's syntax errors never quote the input;
/// only their place is kept anyway.
pub(crate) fn json(body: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("answer is not JSON (line {}, column {})", e.line(), e.column()))
}

/// The `Code` and `Message` of an error answer, for the error message.
/// These are the service's own words about the request, not credentials.
pub(crate) fn error_summary(status: u16, body: &[u8]) -> String {
    let value = serde_json::from_slice::<serde_json::Value>(body).ok();
    let field = |names: &[&str]| {
        names.iter().find_map(|n| value.as_ref()?.get(*n)?.as_str().map(|s| s.chars().take(200).collect::<String>()))
    };
    match (field(&["Code", "code"]), field(&["Message", "message"])) {
        (Some(code), Some(message)) => format!("HTTP {status}, {code}: {message}"),
        (Some(code), None) => format!("HTTP {status}, {code}"),
        _ => format!("HTTP {status}"),
    }
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration`
/// from `object`. Every field must be a non-empty string and the expiration
/// must be a UTC time after `now`. Errors name the field, never its value.
pub(crate) fn temporary_credentials(object: &serde_json::Value, now: SystemTime) -> Result<Credentials, String> {
    if !object.is_object() {
        return Err("answer is not a JSON object".to_owned());
    }
    let field = |name: &str| -> Result<&str, String> {
        match object.get(name) {
            None | Some(serde_json::Value::Null) => Err(format!("answer has no {name}")),
            Some(serde_json::Value::String(s)) if !s.is_empty() => Ok(s),
            Some(_) => Err(format!("{name} in the answer is not a non-empty string")),
        }
    };
    let id = field("AccessKeyId")?;
    let secret = field("AccessKeySecret")?;
    let token = field("SecurityToken")?;
    let expiration_text = field("Expiration")?;
    let expiration = parse_utc(expiration_text)
        .ok_or_else(|| "Expiration in the answer is not a time like 2024-01-02T03:04:05Z".to_owned())?;
    if expiration <= now {
        return Err(format!("the credential in the answer expired at {expiration_text}"));
    }
    Ok(Credentials::new(id, secret).with_security_token(token).with_expiration(expiration))
}

/// Parses `YYYY-MM-DDTHH:MM:SS` with an optional fraction and a `Z` or
/// `+00:00` suffix (the form every Alibaba credential source uses).
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let text = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00")).unwrap_or(text);
    let (date, time) = text.split_once('T')?;
    let mut d = date.split('-');
    let (year, month, day) =
        (d.next()?.parse::<i64>().ok()?, d.next()?.parse::<u32>().ok()?, d.next()?.parse::<u32>().ok()?);
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1970..=9999).contains(&year) {
        return None;
    }
    let time = time.split_once('.').map_or(
        time,
        |(whole, fraction)| {
            if fraction.bytes().all(|b| b.is_ascii_digit()) { whole } else { "" }
        },
    );
    let mut t = time.split(':');
    let (h, m, s) = (t.next()?.parse::<u64>().ok()?, t.next()?.parse::<u64>().ok()?, t.next()?.parse::<u64>().ok()?);
    if t.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(days * 86_400 + h * 3600 + m * 60 + s))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm, the inverse of the one in `sign.rs`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times() {
        let t = parse_utc("2020-02-06T07:32:54Z").expect("time");
        assert_eq!(crate::sign::format_acs_date(t), "2020-02-06T07:32:54Z");
        let leap = parse_utc("2000-02-29T00:00:00.123Z").expect("leap");
        assert_eq!(crate::sign::format_acs_date(leap), "2000-02-29T00:00:00Z");
        assert!(parse_utc("2000-02-29T00:00:00+00:00").is_some());
        for bad in
            ["", "2020-13-01T00:00:00Z", "yesterday", "2020-01-01", "2020-01-01T25:00:00Z", "2020-01-01T00:00:00.x"]
        {
            assert!(parse_utc(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn temporary_credentials_errors_name_fields_not_values() {
        let now = UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        let good = serde_json::json!({"AccessKeyId": "STS.id", "AccessKeySecret": "FAKE-S", "SecurityToken": "FAKE-T", "Expiration": "2099-01-01T00:00:00Z"});
        let c = temporary_credentials(&good, now).expect("good");
        assert_eq!((c.access_key_id(), c.security_token()), ("STS.id", Some("FAKE-T")));
        let mut missing = good.clone();
        missing.as_object_mut().expect("object").remove("SecurityToken");
        assert_eq!(temporary_credentials(&missing, now).expect_err("missing"), "answer has no SecurityToken");
        let mut expired = good.clone();
        expired["Expiration"] = "2001-01-01T00:00:00Z".into();
        assert!(temporary_credentials(&expired, now).expect_err("expired").contains("expired"));
        let mut wrong = good;
        wrong["AccessKeySecret"] = 12345.into();
        let err = temporary_credentials(&wrong, now).expect_err("type");
        assert!(err.contains("AccessKeySecret") && !err.contains("12345"), "{err}");
    }
}
