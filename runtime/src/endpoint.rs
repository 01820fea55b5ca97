//! Which host a product's requests go to.

/// A product's static facts; the generator emits one per product module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Service {
    /// Product code, e.g. `elasticsearch`.
    pub code: &'static str,
    /// API version, sent as `x-acs-version`, e.g. `2017-06-13`.
    pub version: &'static str,
    /// Public endpoint pattern, e.g. `elasticsearch.{region}.aliyuncs.com`.
    pub endpoint: &'static str,
    /// VPC endpoint pattern, e.g. `elasticsearch-vpc.{region}.aliyuncs.com`.
    pub vpc_endpoint: Option<&'static str>,
    /// How operations are named and parameters sent.
    pub protocol: Protocol,
    /// Regions whose public endpoint does not follow `endpoint`, as
    /// `(region, host)` pairs (ECS: `cn-hangzhou` → `ecs-cn-hangzhou.aliyuncs.com`).
    pub endpoint_exceptions: &'static [(&'static str, &'static str)],
}

/// The two API styles of Alibaba Cloud.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Protocol {
    /// Resource-oriented: a path per operation, JSON bodies.
    #[default]
    Roa,
    /// Remote procedure call: `POST /`, the operation named by its action,
    /// every parameter flattened into the query.
    Rpc,
}

/// Which network the endpoint is reached over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Network {
    /// The public internet endpoint.
    #[default]
    Public,
    /// The VPC-internal endpoint (`<code>-vpc.<region>.aliyuncs.com`).
    Vpc,
}

/// A resolved endpoint: where to connect and what `host` to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://authority`, without a trailing slash.
    pub base_url: String,
    /// The `host` header value: host, plus `:port` when not the default.
    pub host: String,
}

/// Resolves the endpoint of `service`.
///
/// An explicit `endpoint_override` wins (a full URL such as
/// `http://127.0.0.1:8080`, or a bare host taken as https). Plain http is
/// refused unless `allow_http`, so keys are never signed onto a cleartext
/// link by accident.
pub fn resolve(
    service: &Service,
    region: Option<&str>,
    network: Network,
    endpoint_override: Option<&str>,
    allow_http: bool,
) -> Result<Endpoint, String> {
    if let Some(raw) = endpoint_override {
        return parse_override(raw, allow_http);
    }
    let region = region.ok_or_else(|| {
        format!(
            "no region configured for {} (set Config::builder().region(..) or ALIBABA_CLOUD_REGION_ID)",
            service.code
        )
    })?;
    if region.is_empty() || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(format!("invalid region {region:?}"));
    }
    let pattern = match network {
        Network::Public => service.endpoint,
        Network::Vpc => service.vpc_endpoint.ok_or_else(|| format!("{} has no VPC endpoint", service.code))?,
    };
    let exception = match network {
        Network::Public => service.endpoint_exceptions.iter().find(|(r, _)| *r == region),
        Network::Vpc => None,
    };
    let host = match exception {
        Some((_, host)) => (*host).to_owned(),
        None => pattern.replace("{region}", region),
    };
    Ok(Endpoint { base_url: format!("https://{host}"), host })
}

fn parse_override(raw: &str, allow_http: bool) -> Result<Endpoint, String> {
    let with_scheme = if raw.contains("://") { raw.to_owned() } else { format!("https://{raw}") };
    let url = reqwest::Url::parse(&with_scheme).map_err(|e| format!("invalid endpoint {raw:?}: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(format!("endpoint {raw:?} uses plain http; enable it with Config::builder().allow_http(true)"));
        }
        other => return Err(format!("endpoint {raw:?} has unsupported scheme {other:?}")),
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!("endpoint {raw:?} must not have a path, query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("endpoint {raw:?} must not carry user info"));
    }
    let host = url.host_str().ok_or_else(|| format!("endpoint {raw:?} has no host"))?;
    // Url::port() is None for the scheme's default port, matching the Host
    // header the HTTP client sends.
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok(Endpoint { base_url: format!("{}://{authority}", url.scheme()), host: authority })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ES: Service = Service {
        code: "elasticsearch",
        version: "2017-06-13",
        endpoint: "elasticsearch.{region}.aliyuncs.com",
        vpc_endpoint: Some("elasticsearch-vpc.{region}.aliyuncs.com"),
        protocol: Protocol::Roa,
        endpoint_exceptions: &[],
    };

    #[test]
    fn exceptions_then_default_pattern() {
        let ecs = Service {
            code: "ecs",
            version: "2014-05-26",
            endpoint: "ecs.{region}.aliyuncs.com",
            vpc_endpoint: None,
            protocol: Protocol::Rpc,
            endpoint_exceptions: &[("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com")],
        };
        let hz = resolve(&ecs, Some("cn-hangzhou"), Network::Public, None, false).expect("map");
        assert_eq!(hz.host, "ecs-cn-hangzhou.aliyuncs.com");
        let bj = resolve(&ecs, Some("cn-beijing"), Network::Public, None, false).expect("pattern");
        assert_eq!(bj.host, "ecs.cn-beijing.aliyuncs.com");
        let own = resolve(&ecs, Some("cn-hangzhou"), Network::Public, Some("https://h"), false).expect("override");
        assert_eq!(own.host, "h");
    }

    #[test]
    fn public_and_vpc() {
        let e = resolve(&ES, Some("cn-hangzhou"), Network::Public, None, false).expect("public");
        assert_eq!(e.base_url, "https://elasticsearch.cn-hangzhou.aliyuncs.com");
        assert_eq!(e.host, "elasticsearch.cn-hangzhou.aliyuncs.com");
        let v = resolve(&ES, Some("cn-hangzhou"), Network::Vpc, None, false).expect("vpc");
        assert_eq!(v.host, "elasticsearch-vpc.cn-hangzhou.aliyuncs.com");
        let no_vpc = Service { vpc_endpoint: None, ..ES };
        assert!(resolve(&no_vpc, Some("cn-hangzhou"), Network::Vpc, None, false).is_err());
    }

    #[test]
    fn region_checks() {
        assert!(resolve(&ES, None, Network::Public, None, false).is_err());
        assert!(resolve(&ES, Some("cn-hangzhou/../x"), Network::Public, None, false).is_err());
        assert!(resolve(&ES, Some(""), Network::Public, None, false).is_err());
    }

    #[test]
    fn overrides() {
        let e = resolve(&ES, None, Network::Public, Some("http://127.0.0.1:8080"), true).expect("http");
        assert_eq!(e.base_url, "http://127.0.0.1:8080");
        assert_eq!(e.host, "127.0.0.1:8080");
        let err = resolve(&ES, None, Network::Public, Some("http://127.0.0.1:8080"), false).expect_err("http refused");
        assert!(err.contains("allow_http"), "{err}");
        let bare = resolve(&ES, Some("x"), Network::Public, Some("es.example.com"), false).expect("bare");
        assert_eq!(bare.base_url, "https://es.example.com");
        let default_port = resolve(&ES, None, Network::Public, Some("https://h:443"), false).expect("443");
        assert_eq!(default_port.host, "h");
        assert!(resolve(&ES, None, Network::Public, Some("https://h/prefix"), false).is_err());
        assert!(resolve(&ES, None, Network::Public, Some("ftp://h"), false).is_err());
        assert!(resolve(&ES, None, Network::Public, Some("http://[::1"), true).is_err());
    }
}
