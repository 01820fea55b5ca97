//! The default credentials chain: every step, its place in the order, the
//! CLI profile modes and the ini file, with the environment injected, files
//! in temporary directories, and STS and the metadata service as loopback
//! stand-ins.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aliyun_runtime::{CredentialsProvider, DefaultCredentialsChain};
use common::{Reply, Server};

/// 2030-01-01T00:00:00Z.
const T0: u64 = 1_893_456_000;
const SECRET: &str = "FAKE-CHAIN-SECRET-7a8b";

fn temporary(id: &str) -> String {
    format!(
        r#""AccessKeyId":"{id}","AccessKeySecret":"{SECRET}","SecurityToken":"tok-{id}","Expiration":"2030-01-01T01:00:00Z""#
    )
}

fn sts(id: &str) -> Reply {
    Reply::new(200, &format!(r#"{{"RequestId":"r","Credentials":{{{}}}}}"#, temporary(id)))
}

fn metadata(id: &str) -> Reply {
    Reply::new(200, &format!(r#"{{"Code":"Success",{}}}"#, temporary(id)))
}

struct Setup {
    home: tempfile::TempDir,
    env: HashMap<String, String>,
    clock: Arc<AtomicU64>,
}

impl Setup {
    fn new() -> Setup {
        Setup { home: tempfile::tempdir().expect("tempdir"), env: HashMap::new(), clock: Arc::new(AtomicU64::new(T0)) }
    }

    fn env(mut self, name: &str, value: &str) -> Setup {
        self.env.insert(name.to_owned(), value.to_owned());
        self
    }

    fn no_ecs(self) -> Setup {
        self.env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    }

    fn env_ak(self) -> Setup {
        self.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-ak").env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    }

    fn oidc(self) -> Setup {
        let token = self.home.path().join("oidc-token");
        std::fs::write(&token, "FAKE-JWT").expect("token");
        let token = token.display().to_string();
        self.env("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/pod")
            .env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/ack")
            .env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token)
    }

    fn cli(self, json: &str) -> Setup {
        write(&self.home.path().join(".aliyun/config.json"), json);
        self
    }

    fn ini(self, text: &str) -> Setup {
        write(&self.home.path().join(".alibabacloud/credentials"), text);
        self
    }

    fn chain(&self, sts: Option<&Server>, ecs: Option<&Server>) -> DefaultCredentialsChain {
        let env = self.env.clone();
        let clock = self.clock.clone();
        let mut chain = DefaultCredentialsChain::new()
            .with_env(move |name| env.get(name).cloned())
            .with_home(self.home.path())
            .with_clock(move || UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst)));
        if let Some(s) = sts {
            chain = chain.with_sts_endpoint(s.url());
        }
        chain.with_ecs_metadata_endpoint(match ecs {
            Some(s) => s.url(),
            // A loopback port nobody listens on: refused at once.
            None => "http://127.0.0.1:9".to_owned(),
        })
    }

    fn advance(&self, secs: u64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const CLI_AK: &str = r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"cli-ak","access_key_secret":"s"}]}"#;
const INI_AK: &str = "[default]\ntype = access_key\naccess_key_id = ini-ak\naccess_key_secret = s\n";

async fn id_of(chain: &DefaultCredentialsChain) -> String {
    match chain.provide_credentials().await {
        Ok(c) => c.access_key_id().to_owned(),
        Err(e) => panic!("no credentials: {e}"),
    }
}

#[tokio::test]
async fn the_order_is_env_oidc_cli_ini_ecs_uri() {
    let sts = Server::start(vec![sts("STS.oidc")]);
    let ecs = Server::start(vec![Reply::new(200, "t"), Reply::new(200, "Role"), metadata("STS.ecs")]);
    let uri_server = Server::start(vec![Reply::new(200, &format!("{{{}}}", temporary("STS.uri")))]);
    let uri = format!("{}/creds", uri_server.url());

    // Everything configured: each step shadows all later ones.
    let all = || Setup::new().env_ak().oidc().cli(CLI_AK).ini(INI_AK).env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&all().chain(Some(&sts), Some(&ecs))).await, "env-ak");
    let s = Setup::new().oidc().cli(CLI_AK).ini(INI_AK).env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&s.chain(Some(&sts), Some(&ecs))).await, "STS.oidc");
    let s = Setup::new().cli(CLI_AK).ini(INI_AK).env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&s.chain(Some(&sts), Some(&ecs))).await, "cli-ak");
    let s = Setup::new().ini(INI_AK).env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&s.chain(Some(&sts), Some(&ecs))).await, "ini-ak");
    let s = Setup::new().env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&s.chain(Some(&sts), Some(&ecs))).await, "STS.ecs");
    // Off ECS (nothing listens) the URI is last.
    let s = Setup::new().env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&s.chain(Some(&sts), None)).await, "STS.uri");
    let s = Setup::new().no_ecs().env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    assert_eq!(id_of(&s.chain(Some(&sts), None)).await, "STS.uri");

    assert_eq!(sts.requests().len(), 1);
    assert_eq!(ecs.requests().len(), 3);
    assert_eq!(uri_server.requests().len(), 2);
}

#[tokio::test]
async fn every_skipped_step_says_why() {
    let s = Setup::new();
    let err = s.chain(None, None).provide_credentials().await.expect_err("nothing").to_string();
    for part in [
        "explicit credentials: not configured",
        "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET not set",
        "OIDC (environment): ALIBABA_CLOUD_ROLE_ARN not set",
        "config.json: not found",
        "credentials: not found",
        "ECS instance RAM role: the metadata service at http://127.0.0.1:9 does not answer (cannot connect); not on ECS?",
        "ALIBABA_CLOUD_CREDENTIALS_URI not set",
    ] {
        assert!(err.contains(part), "{part:?} missing from {err}");
    }
    let err = s.no_ecs().chain(None, None).provide_credentials().await.expect_err("nothing").to_string();
    assert!(err.contains("disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED"), "{err}");
}

#[tokio::test]
async fn partial_oidc_environment_stops_the_chain() {
    let s = Setup::new().env("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/pod").cli(CLI_AK).no_ecs();
    let err = s.chain(None, None).provide_credentials().await.expect_err("partial OIDC").to_string();
    assert!(err.contains("ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE not set"), "{err}");
    assert!(!err.contains("config.json"), "the CLI profile must not be tried: {err}");
}

#[tokio::test]
async fn cli_profile_modes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = dir.path().join("jwt");
    std::fs::write(&token, "FAKE-JWT").expect("jwt");
    let json = format!(
        r#"{{"current":"role","profiles":[
        {{"name":"base","mode":"AK","access_key_id":"base-ak","access_key_secret":"{SECRET}"}},
        {{"name":"role","mode":"RamRoleArn","access_key_id":"ram-ak","access_key_secret":"{SECRET}","ram_role_arn":"acs:ram::1:role/a","ram_session_name":"me","expired_seconds":900}},
        {{"name":"chain","mode":"ChainableRamRoleArn","source_profile":"role","ram_role_arn":"acs:ram::1:role/b"}},
        {{"name":"ecs","mode":"EcsRamRole","ram_role_name":"NodeRole"}},
        {{"name":"oidc","mode":"OIDC","ram_role_arn":"acs:ram::1:role/c","oidc_provider_arn":"acs:ram::1:oidc-provider/p","oidc_token_file":"{}"}},
        {{"name":"loop","mode":"ChainableRamRoleArn","source_profile":"loop","ram_role_arn":"acs:ram::1:role/d"}},
        {{"name":"half","mode":"RamRoleArn","access_key_id":"x","access_key_secret":"y"}}]}}"#,
        token.display()
    );

    // RamRoleArn (the file's current profile): one signed AssumeRole.
    let server = Server::start(vec![sts("STS.role")]);
    let s = Setup::new().cli(&json).no_ecs();
    assert_eq!(id_of(&s.chain(Some(&server), None)).await, "STS.role");
    let r = &server.requests()[0];
    assert_eq!(r.query("RoleArn").as_deref(), Some("acs:ram::1:role/a"));
    assert_eq!(r.query("RoleSessionName").as_deref(), Some("me"));
    assert_eq!(r.query("DurationSeconds").as_deref(), Some("900"));
    assert_eq!(r.query("AccessKeyId").as_deref(), Some("ram-ak"));
    assert!(r.query("Signature").is_some());

    // ChainableRamRoleArn: role a from the source profile, then role b signed
    // with role a's temporary credential.
    let server = Server::start(vec![sts("STS.a"), sts("STS.b")]);
    let s = Setup::new().cli(&json).env("ALIBABA_CLOUD_PROFILE", "chain").no_ecs();
    assert_eq!(id_of(&s.chain(Some(&server), None)).await, "STS.b");
    let r = server.requests();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].query("RoleArn").as_deref(), Some("acs:ram::1:role/a"));
    assert_eq!(r[1].query("RoleArn").as_deref(), Some("acs:ram::1:role/b"));
    assert_eq!(r[1].query("AccessKeyId").as_deref(), Some("STS.a"));
    assert_eq!(r[1].query("SecurityToken").as_deref(), Some("tok-STS.a"));

    // EcsRamRole with a configured role name.
    let ecs = Server::start(vec![Reply::new(200, "t"), metadata("STS.node")]);
    let s = Setup::new().cli(&json).env("ALIBABA_CLOUD_PROFILE", "ecs");
    assert_eq!(id_of(&s.chain(None, Some(&ecs))).await, "STS.node");
    assert_eq!(ecs.requests()[1].target, "/latest/meta-data/ram/security-credentials/NodeRole");

    // OIDC mode.
    let server = Server::start(vec![sts("STS.oidc")]);
    let s = Setup::new().cli(&json).env("ALIBABA_CLOUD_PROFILE", "oidc").no_ecs();
    assert_eq!(id_of(&s.chain(Some(&server), None)).await, "STS.oidc");
    assert!(server.requests()[0].header("authorization").is_none());

    // Broken profiles say what is wrong.
    for (name, expected) in
        [("loop", "longer than 8"), ("half", "has no ram_role_arn"), ("absent", "no profile named \"absent\"")]
    {
        let s = Setup::new().cli(&json).env("ALIBABA_CLOUD_PROFILE", name).no_ecs();
        let err = s.chain(None, None).provide_credentials().await.expect_err(name).to_string();
        assert!(err.contains(expected), "{expected:?} in {err}");
        assert!(!err.contains(SECRET), "{err}");
    }
}

#[tokio::test]
async fn ini_file_types_and_selection() {
    let text = format!(
        "# shared credentials\n[default]\ntype = access_key\naccess_key_id = ini-default\naccess_key_secret = {SECRET}\n\n\
         [project]\nenable = true\ntype = ram_role_arn\naccess_key_id = ini-src\naccess_key_secret = {SECRET}\n\
         role_arn = acs:ram::1:role/p\nrole_session_name = ini\n\n\
         [node]\ntype = ecs_ram_role\nrole_name = IniRole\n\n\
         [off]\nenable = false\ntype = access_key\naccess_key_id = no\naccess_key_secret = no\n"
    );
    let s = Setup::new().ini(&text).no_ecs();
    assert_eq!(id_of(&s.chain(None, None)).await, "ini-default");

    let server = Server::start(vec![sts("STS.ini")]);
    let s = Setup::new().ini(&text).env("ALIBABA_CLOUD_PROFILE", "project").no_ecs();
    assert_eq!(id_of(&s.chain(Some(&server), None)).await, "STS.ini");
    assert_eq!(server.requests()[0].query("RoleSessionName").as_deref(), Some("ini"));

    let ecs = Server::start(vec![Reply::new(200, "t"), metadata("STS.inirole")]);
    let s = Setup::new().ini(&text).env("ALIBABA_CLOUD_PROFILE", "node");
    assert_eq!(id_of(&s.chain(None, Some(&ecs))).await, "STS.inirole");
    assert!(ecs.requests()[1].target.ends_with("/IniRole"));

    let s = Setup::new().ini(&text).env("ALIBABA_CLOUD_PROFILE", "off").no_ecs();
    let err = s.chain(None, None).provide_credentials().await.expect_err("disabled").to_string();
    assert!(err.contains("[off] is disabled"), "{err}");

    // ALIBABA_CLOUD_CREDENTIALS_FILE moves the file.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let path = elsewhere.path().join("creds.ini");
    write(&path, "[default]\ntype = access_key\naccess_key_id = moved\naccess_key_secret = s\n");
    let s = Setup::new().env("ALIBABA_CLOUD_CREDENTIALS_FILE", &path.display().to_string()).no_ecs();
    assert_eq!(id_of(&s.chain(None, None)).await, "moved");
}

#[tokio::test]
async fn profile_file_is_read_once_and_again_only_when_changed() {
    let s = Setup::new().cli(CLI_AK).no_ecs();
    let chain = s.chain(None, None);
    assert_eq!(id_of(&chain).await, "cli-ak");
    // A rewrite (different length) is not seen until the check interval passes.
    let path = s.home.path().join(".aliyun/config.json");
    write(&path, &CLI_AK.replace("cli-ak", "cli-ak-rotated"));
    assert_eq!(id_of(&chain).await, "cli-ak");
    s.advance(6);
    assert_eq!(id_of(&chain).await, "cli-ak-rotated");
    // Clones share the cache.
    assert_eq!(id_of(&chain.clone()).await, "cli-ak-rotated");
    // The file removed: the chain says so after the next check.
    std::fs::remove_file(&path).expect("rm");
    s.advance(6);
    let err = chain.provide_credentials().await.expect_err("gone").to_string();
    assert!(err.contains("config.json: not found"), "{err}");
}

#[tokio::test]
async fn temporary_credentials_from_a_profile_are_cached() {
    let json = format!(
        r#"{{"profiles":[{{"name":"default","mode":"RamRoleArn","access_key_id":"ram-ak","access_key_secret":"{SECRET}","ram_role_arn":"acs:ram::1:role/a"}}]}}"#
    );
    let server = Server::start(vec![sts("STS.one"), sts("STS.two")]);
    let s = Setup::new().cli(&json).no_ecs();
    let chain = s.chain(Some(&server), None);
    for _ in 0..20 {
        assert_eq!(id_of(&chain).await, "STS.one");
    }
    assert_eq!(server.requests().len(), 1);
    s.advance(56 * 60);
    // The STS answer's expiry is fixed; the refresh gets the same lifetime.
    let err_or_id = chain.provide_credentials().await;
    assert!(err_or_id.is_ok());
    assert_eq!(server.requests().len(), 2, "refreshed inside the margin");
}

#[test]
fn debug_shows_no_secret() {
    let chain = DefaultCredentialsChain::new()
        .with_explicit(Some(aliyun_runtime::Credentials::new("id", SECRET)))
        .with_env(|_| None);
    let shown = format!("{chain:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    let _ = SystemTime::now();
}
