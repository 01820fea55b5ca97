//! ECS, the first RPC product, end to end from the 219 reference pages:
//! every page is generated into one crate under `target/`, which must
//! compile (warnings denied) and decode every JSON sample response; then
//! every request of `golden_requests.json` (211, recorded from the current
//! official client) is rebuilt through the **generated typed API** and
//! signed, and must equal the recorded one: method, path, query, headers,
//! no body. The official client is Python, so its booleans are
//! `True`/`False` where we send `true`/`false`: booleans are compared
//! normalised, and `Authorization` byte for byte on every request without
//! one. Parameters the pages do not list (added to the API after them) go
//! through the per-call extra-parameter option (`CallOptions::query`).
//!
//! The typed calls are written by reading the generated request structs
//! (their members, types and the wire name each one documents), so this
//! test names nothing the generator did not emit.
//!
//! Reads `../shared/corpus/ecs` (see design.md): absent, the test says so
//! and passes, unless `CI` is set.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus() -> Option<PathBuf> {
    let dir = workspace().join("../shared/corpus/ecs");
    if dir.join("docs").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "CI is set but {} is missing", dir.display());
    println!("skipped: {} not found", dir.display());
    None
}

/// What one page gets wrong, corrected as a maintainer would.
const OVERRIDES: &str = "\
# The page spells these RegionId and DiskIds; the service takes regionId
# and diskIds (as the current client sends them). Dropped, they travel as
# extra parameters.
CancelAutoSnapshotPolicy:
  params.RegionId: {drop: true}
  params.DiskIds: {drop: true}
";

/// One member of a generated struct, as the generated code declares it.
#[derive(Debug, Clone)]
struct Member {
    ident: String,
    /// The type without `Option<..>`.
    ty: String,
    required: bool,
    wire: String,
}

/// Generated structs by name, read from the generated source.
fn structs(source: &str) -> HashMap<String, Vec<Member>> {
    let mut out = HashMap::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line.trim().strip_prefix("pub struct ").and_then(|r| r.strip_suffix(" {")) else { continue };
        let mut members = Vec::new();
        let mut docs = String::new();
        while let Some(line) = lines.next() {
            let t = line.trim();
            if t == "}" {
                break;
            }
            if let Some(doc) = t.strip_prefix("///") {
                docs.push_str(doc);
                docs.push('\n');
                continue;
            }
            let Some(decl) = t.strip_prefix("pub ") else {
                docs.clear();
                continue;
            };
            // A long type is wrapped over several lines by prettyplease.
            let mut decl = decl.to_string();
            while !decl.ends_with(',') {
                match lines.next() {
                    Some(more) => decl.push_str(more.trim()),
                    None => break,
                }
            }
            let decl = decl.trim_end_matches(',').replace(",>", ">");
            let Some((ident, ty)) = decl.split_once(": ") else { continue };
            let wire = ["Wire name: `", "Sent in the query as `"]
                .iter()
                .filter_map(|mark| docs.rfind(mark).map(|i| &docs[i + mark.len()..]))
                .find_map(|rest| rest.split('`').next())
                .unwrap_or_default()
                .to_string();
            let (ty, required) = match ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
                Some(inner) => (inner.to_string(), false),
                None => (ty.to_string(), true),
            };
            members.push(Member { ident: ident.to_string(), ty, required, wire });
            docs.clear();
        }
        out.insert(name.to_string(), members);
    }
    out
}

/// Writes Rust expressions for golden query values, consuming the keys it
/// uses.
struct Builder<'a> {
    query: &'a BTreeMap<String, String>,
    structs: &'a HashMap<String, Vec<Member>>,
}

impl Builder<'_> {
    fn has_under(&self, prefix: &str) -> bool {
        let dotted = format!("{prefix}.");
        self.query.keys().any(|k| k == prefix || k.starts_with(&dotted))
    }

    /// An expression of type `ty` for the value(s) under `prefix`, with
    /// the keys it consumed; `None` when there is none or it does not fit.
    fn value(&self, ty: &str, prefix: &str, used: &mut Vec<String>) -> Option<String> {
        if let Some(item) = ty.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')) {
            let mut items = Vec::new();
            let mut i = 1;
            while self.has_under(&format!("{prefix}.{i}")) {
                items.push(self.value(item, &format!("{prefix}.{i}"), used)?);
                i += 1;
            }
            return (!items.is_empty()).then(|| format!("vec![{}]", items.join(", ")));
        }
        if let Some(members) = self.structs.get(ty) {
            return self.object(ty, members, prefix, used);
        }
        let raw = self.query.get(prefix)?;
        let expr = match ty {
            "String" => format!("String::from({raw:?})"),
            "i32" => format!("{}i32", raw.parse::<i32>().ok()?),
            "i64" => format!("{}i64", raw.parse::<i64>().ok()?),
            "f32" => format!("{:?}f32", raw.parse::<f32>().ok().filter(|v| v.is_finite())?),
            "f64" => format!("{:?}f64", raw.parse::<f64>().ok().filter(|v| v.is_finite())?),
            "bool" => match raw.to_ascii_lowercase().as_str() {
                "true" => "true".to_string(),
                "false" => "false".to_string(),
                _ => return None,
            },
            "serde_json::Value" => format!("serde_json::Value::String(String::from({raw:?}))"),
            "std::collections::BTreeMap<String, serde_json::Value>" => {
                serde_json::from_str::<serde_json::Map<String, Value>>(raw).ok()?;
                format!(
                    "serde_json::from_str::<std::collections::BTreeMap<String, serde_json::Value>>({raw:?}).expect(\"JSON\")"
                )
            }
            _ => return None,
        };
        used.push(prefix.to_string());
        Some(expr)
    }

    /// `Type::new(required..).optional(..)` (or `Type::default()...`).
    fn object(&self, ty: &str, members: &[Member], prefix: &str, used: &mut Vec<String>) -> Option<String> {
        let mut args = Vec::new();
        let mut setters = String::new();
        let mut any = false;
        for m in members {
            let path = if prefix.is_empty() { m.wire.clone() } else { format!("{prefix}.{}", m.wire) };
            let value = self.value(&m.ty, &path, used);
            any |= value.is_some();
            match (m.required, value) {
                (true, Some(v)) => args.push(v),
                (true, None) => return None,
                (false, Some(v)) => write!(setters, ".{}({v})", m.ident).ok()?,
                (false, None) => {}
            }
        }
        if !any && !prefix.is_empty() {
            return None;
        }
        let base = if members.iter().any(|m| m.required) {
            format!("{ty}::new({})", args.join(", "))
        } else {
            format!("{ty}::default()")
        };
        Some(format!("{base}{setters}"))
    }
}

fn module_of(source_files: &[(PathBuf, String)], request: &str) -> Option<String> {
    let decl = format!("pub struct {request} {{");
    source_files.iter().find(|(_, text)| text.contains(&decl)).map(|(_, text)| text.clone())
}

/// The golden test written against the generated crate: one function per
/// golden request building it through the typed API.
fn golden_test(golden: &Value, files: &[(PathBuf, String)], golden_path: &Path) -> (String, Vec<String>) {
    let mut out = String::from(
        "//! Written by aliyun-tests/tests/ecs_corpus.rs.\n#![allow(clippy::all, unused_parens)]\n\nuse corpus_sdk::ecs::*;\n\n",
    );
    let mut cases = Vec::new();
    let mut unbuilt = Vec::new();
    for (i, g) in golden["requests"].as_array().expect("requests").iter().enumerate() {
        let action = g["action"].as_str().expect("action");
        let query: BTreeMap<String, String> = g["query"]
            .as_object()
            .expect("query")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("query value").to_string()))
            .collect();
        let request = format!("{action}Request");
        let Some(source) = module_of(files, &request) else {
            unbuilt.push(format!("{action}: no generated {request}"));
            continue;
        };
        let defs = structs(&source);
        let builder = Builder { query: &query, structs: &defs };
        let mut used = Vec::new();
        let members = &defs[&request];
        let mut args = Vec::new();
        let mut setters = String::new();
        let mut missing = Vec::new();
        for m in members {
            let mut mine = Vec::new();
            let value = builder.value(&m.ty, &m.wire, &mut mine);
            match (m.required, value) {
                (_, Some(v)) if m.required => args.push(v),
                (_, Some(v)) => setters.push_str(&format!("\n        .{}({v})", m.ident)),
                // A required member the golden request leaves out (or
                // sends in a shape the page does not describe): the typed
                // API cannot build that request, which is reported.
                (true, None) => missing.push(m.wire.clone()),
                (false, None) => {}
            }
            used.extend(mine);
        }
        if !missing.is_empty() {
            unbuilt.push(format!("{action}: no value for required {}", missing.join(", ")));
            continue;
        }
        let used: BTreeSet<String> = used.into_iter().collect();
        let extras: Vec<String> =
            query.iter().filter(|(k, _)| !used.contains(*k)).map(|(k, v)| format!("({k:?}, {v:?})")).collect();
        write!(
            out,
            "fn case_{i}() -> (aliyun_runtime::Request, &'static [(&'static str, &'static str)]) {{\n    (\n        {request}::new({})\n        {setters}\n        .into_request(),\n        &[{}],\n    )\n}}\n\n",
            args.join(", "),
            extras.join(", ")
        )
        .expect("write");
        cases.push(i);
    }
    let calls: Vec<String> = cases.iter().map(|i| format!("({i}, case_{i} as fn() -> _)")).collect();
    write!(
        out,
        r#####"const CASES: &[(usize, fn() -> (aliyun_runtime::Request, &'static [(&'static str, &'static str)]))] = &[{}];

fn normalised(value: &str) -> String {{
    match value {{
        "True" => "true".to_owned(),
        "False" => "false".to_owned(),
        other => other.to_owned(),
    }}
}}

fn decode(text: &str) -> String {{
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {{
        if bytes[i] == b'%' && i + 2 < bytes.len() {{
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {{
                out.push(b);
                i += 3;
                continue;
            }}
        }}
        out.push(bytes[i]);
        i += 1;
    }}
    String::from_utf8(out).expect("UTF-8")
}}

#[test]
fn golden_requests_through_the_typed_api() {{
    let golden: serde_json::Value =
        serde_json::from_slice(&std::fs::read({golden_path:?}).expect("golden file")).expect("golden JSON");
    let pinned = &golden["pinned"];
    let text = |v: &serde_json::Value| v.as_str().expect("pinned text").to_owned();
    let (id, secret, nonce, agent) = (
        text(&pinned["access_key_id"]),
        text(&pinned["access_key_secret"]),
        text(&pinned["x-acs-signature-nonce"]),
        text(&pinned["user-agent"]),
    );
    let credentials = aliyun_runtime::Credentials::new(id.clone(), secret.clone());
    let config = aliyun_runtime::Config::builder()
        .region("cn-hangzhou")
        .credentials(credentials.clone())
        .user_agent(agent)
        .nonce_generator(move || nonce.clone())
        // 2020-02-06T07:32:54Z, the pinned x-acs-date.
        .clock(|| std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_580_974_374))
        .build();
    let base = aliyun_runtime::ServiceClient::new(&config, &SERVICE);
    let requests = golden["requests"].as_array().expect("requests");
    let (mut failures, mut with_extras, mut auth_exact, mut with_boolean) = (Vec::new(), 0, 0, 0);
    for (index, build) in CASES {{
        let g = &requests[*index];
        let (request, extras) = build();
        if !extras.is_empty() {{
            with_extras += 1;
        }}
        let options = extras.iter().fold(aliyun_runtime::CallOptions::new(), |o, (k, v)| o.query(*k, *v));
        let client = base.with_options(options);
        let signed = match client.sign(&client.with_extras(request), &credentials) {{
            Ok(signed) => signed,
            Err(e) => {{
                failures.push(format!("{{}}: cannot sign: {{e}}", g["action"]));
                continue;
            }}
        }};
        let mut problems = Vec::new();
        if signed.method.as_str() != g["method"] {{
            problems.push(format!("method {{:?}}", signed.method));
        }}
        let (base_url, query) = signed.url.split_once('?').unwrap_or((&signed.url, ""));
        if base_url != "https://ecs-cn-hangzhou.aliyuncs.com/" {{
            problems.push(format!("url {{base_url}}"));
        }}
        let ours: std::collections::BTreeMap<String, String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {{
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), normalised(&decode(v)))
            }})
            .collect();
        let theirs: std::collections::BTreeMap<String, String> = g["query"]
            .as_object()
            .expect("query")
            .iter()
            .map(|(k, v)| (k.clone(), normalised(v.as_str().expect("value"))))
            .collect();
        if ours != theirs {{
            problems.push(format!("query\n    ours   {{ours:?}}\n    theirs {{theirs:?}}"));
        }}
        let boolean = g["query"].as_object().expect("query").values().any(|v| v == "True" || v == "False");
        with_boolean += usize::from(boolean);
        for (name, want) in g["headers"].as_object().expect("headers") {{
            let got = signed.header(name);
            if name.eq_ignore_ascii_case("authorization") {{
                if boolean {{
                    continue;
                }}
                if got == want.as_str() {{
                    auth_exact += 1;
                }}
            }}
            if got != want.as_str() {{
                problems.push(format!("header {{name}}: ours {{got:?}}, theirs {{want}}"));
            }}
        }}
        let names: std::collections::BTreeSet<String> =
            signed.headers.iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
        let want: std::collections::BTreeSet<String> =
            g["headers"].as_object().expect("headers").keys().map(|k| k.to_ascii_lowercase()).collect();
        if names != want {{
            problems.push(format!("header names\n    ours   {{names:?}}\n    theirs {{want:?}}"));
        }}
        if signed.body.is_some() != !g["body"].is_null() {{
            problems.push("body".to_owned());
        }}
        if !problems.is_empty() {{
            failures.push(format!("{{}}: {{}}", g["action"], problems.join("\n  ")));
        }}
    }}
    println!(
        "GOLDEN {{}} of {{}} golden requests rebuilt through the typed API; {{}} needed extra parameters; Authorization byte for byte on {{}} without a boolean, booleans normalised on {{}}",
        CASES.len() - failures.len(),
        requests.len(),
        with_extras,
        auth_exact,
        with_boolean
    );
    assert!(failures.is_empty(), "{{}} golden request(s) differ:\n{{}}", failures.len(), failures.join("\n"));
}}
"#####,
        calls.join(", ")
    )
    .expect("write");
    (out, unbuilt)
}

#[test]
fn ecs_pages_compile_decode_their_samples_and_rebuild_the_golden_requests() {
    let Some(corpus) = corpus() else { return };
    let root = workspace().join("target/ecs-corpus-crate");
    let _ = std::fs::remove_dir_all(&root);
    let product = root.join("specs/ecs");
    std::fs::create_dir_all(&product).expect("mkdir");
    // The product facts (style, endpoints, common parameters) are ours.
    std::fs::copy(workspace().join("specs/ecs/product.yaml"), product.join("product.yaml")).expect("product file");
    std::fs::write(product.join("overrides.yaml"), OVERRIDES).expect("overrides");
    for entry in std::fs::read_dir(corpus.join("docs")).expect("docs") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            std::fs::copy(&path, product.join(path.file_name().expect("name"))).expect("copy page");
        }
    }
    let (files, report) = aliyun_codegen::Config::new()
        .specs(root.join("specs"))
        .crate_files()
        .unwrap_or_else(|e| panic!("generation failed:\n{e}"));
    let ops: usize = report.products.iter().map(|p| p.operations.len()).sum();
    let samples = report
        .products
        .iter()
        .flat_map(|p| &p.operations)
        .filter(|op| {
            op.response_example
                .as_deref()
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
                .is_some_and(|v| v.is_object())
        })
        .count();
    println!("{ops} ECS operations generated, {samples} with a JSON sample response");
    assert_eq!(ops, 219, "every ECS page yields an operation");

    let crate_dir = root.join("crate");
    let mut sources = Vec::new();
    for (rel, text) in &files {
        if rel.starts_with("src") {
            let path = crate_dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
            sources.push((rel.clone(), text.clone()));
        }
    }
    let golden_path = corpus.join("golden_requests.json").canonicalize().expect("golden path");
    let golden: Value = serde_json::from_slice(&std::fs::read(&golden_path).expect("golden")).expect("golden JSON");
    let (test, unbuilt) = golden_test(&golden, &sources, &golden_path);
    assert!(unbuilt.is_empty(), "golden requests the typed API cannot build:\n{}", unbuilt.join("\n"));
    std::fs::create_dir_all(crate_dir.join("tests")).expect("mkdir tests");
    std::fs::write(crate_dir.join("tests/golden.rs"), test).expect("golden test");

    let runtime = workspace().join("runtime").canonicalize().expect("runtime path");
    let manifest = format!(
        "[package]\nname = \"corpus-sdk\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
[features]\ndefault = [\"ecs\"]\necs = []\nblocking = []\n\n\
[dependencies]\naliyun-runtime = {{ path = {runtime:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
[lints.rust]\nmissing_docs = \"deny\"\n"
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(workspace().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock");

    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--no-fail-fast", "--lib", "--test", "golden", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(["--", "--nocapture"])
        .env("CARGO_TARGET_DIR", workspace().join("target/corpus-target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stdout.lines().filter(|l| l.starts_with("GOLDEN ")) {
        println!("{line}");
    }
    assert!(output.status.success(), "ECS corpus crate failed:\n{stdout}\n{stderr}");
    let passed: Vec<usize> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. ").and_then(|r| r.split(' ').next()))
        .filter_map(|n| n.parse().ok())
        .collect();
    println!("test results (lib, golden, doc): {passed:?}");
    assert_eq!(passed.first().copied(), Some(samples), "one passing sample test per JSON sample\n{stdout}");
}
