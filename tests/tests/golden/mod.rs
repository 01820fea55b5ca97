//! The golden harness: rebuilds the requests of a `golden_requests.json`
//! (recorded from the current official client) through a generated crate's
//! **typed API**, signs them with the pinned clock, nonce and keys, and
//! compares them with the recorded ones.
//!
//! The typed calls are written, one function per recorded request, into
//! `tests/golden.rs` of a crate under `target/` that depends on the
//! generated code; that test signs every call and writes what it would send
//! to a file, which [`compare`] reads back. The official client is Python,
//! so its booleans are `True`/`False` (query strings and form bodies
//! alike) where we send `true`/`false`: values are compared with booleans
//! normalised, and `Authorization` byte for byte on every request without
//! one. Parameters and body fields the spec does not list (newer than the
//! pages) go through the per-call extras (`CallOptions::query`,
//! `CallOptions::body_field`) and are counted. A recorded JSON body that
//! the spec's body type cannot hold is sent whole with
//! `CallOptions::json_body` only when that is not the spec's mistake: the
//! official client takes the body as an opaque value (its `truth.json`
//! says so; the recorded body is then its sample input), or only nested
//! members newer than the pages stand in the way. The typed body is then
//! filled with placeholders for its required members; these requests are
//! counted and listed with why.

mod build;
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use build::Body;

/// The region every golden file was recorded in (its pinned `host`).
const REGION: &str = "cn-hangzhou";

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared/corpus` when present (see design.md): absent, the caller's
/// test says so and passes, unless `CI` is set.
pub fn corpora() -> Option<PathBuf> {
    let dir = workspace().join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "CI is set but {} is missing", dir.display());
    println!("skipped: {} not found", dir.display());
    None
}

/// One product's golden requests and the generated sources that serve them.
pub struct Product {
    /// The product's module in the generated crate (`ecs`).
    pub module: String,
    /// The parsed `golden_requests.json`.
    golden: Value,
    /// The texts of the product's generated files.
    sources: Vec<String>,
    /// Operations whose body the official client sends as an opaque value
    /// (`truth.json` of the corpus, when it says so).
    opaque_bodies: BTreeSet<String>,
}

impl Product {
    /// `golden_requests.json` of the corpus `dir`, and every `.rs` file
    /// under `sources`.
    pub fn load(module: &str, dir: &Path, sources: &Path) -> Product {
        let golden: Value =
            serde_json::from_slice(&std::fs::read(dir.join("golden_requests.json")).expect("golden file"))
                .expect("golden JSON");
        let mut files: Vec<PathBuf> = std::fs::read_dir(sources)
            .unwrap_or_else(|e| panic!("{}: {e}", sources.display()))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        let sources = files.iter().map(|p| std::fs::read_to_string(p).expect("source")).collect();
        let truth: Value = std::fs::read(dir.join("truth.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let opaque_bodies = truth["operations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|op| op["body"]["kind"] == "opaque")
            .filter_map(|op| op["name"].as_str().map(str::to_owned))
            .collect();
        Product { module: module.to_owned(), golden, sources, opaque_bodies }
    }

    fn requests(&self) -> &[Value] {
        self.golden["requests"].as_array().map(Vec::as_slice).unwrap_or_default()
    }
}

/// What [`write`] could not build, by product: `(action, reason)`.
pub type Unbuilt = BTreeMap<String, Vec<(String, String)>>;

/// What [`write`] built: what it could not, and the requests whose body is
/// replaced, by product and index of the request: `(action, why)`.
pub struct Written {
    unbuilt: Unbuilt,
    replaced: BTreeMap<String, BTreeMap<usize, (String, String)>>,
}

/// Writes `tests/golden.rs` of the crate at `crate_dir`, whose code reaches
/// the generated products as `<krate>::<module>`.
pub fn write(crate_dir: &Path, krate: &str, products: &[Product]) -> Written {
    let krate = format_ident!("{}", krate);
    let mut modules = Vec::new();
    let mut runs = Vec::new();
    let mut unbuilt = Unbuilt::new();
    let mut replacements: BTreeMap<String, BTreeMap<usize, (String, String)>> = BTreeMap::new();
    for product in products {
        let defs = source::read(&product.sources).unwrap_or_else(|e| panic!("{}: {e}", product.module));
        let module = format_ident!("{}", product.module);
        let mut cases = Vec::new();
        let mut table = Vec::new();
        for (index, g) in product.requests().iter().enumerate() {
            let action = g["action"].as_str().unwrap_or_default();
            let opaque = product.opaque_bodies.contains(action);
            let call = golden(g).and_then(|golden| build::call(&golden, &defs, opaque));
            let call = match call {
                Ok(call) => call,
                Err(reason) => {
                    unbuilt.entry(product.module.clone()).or_default().push((action.to_owned(), reason));
                    continue;
                }
            };
            let f = format_ident!("case_{}", index);
            let request = call.request;
            let (query, body) = (call.query_extras.len(), call.body_extras.len());
            let replaced = call.replaced_body.is_some();
            let replacement = call.replaced_body.map(|(value, reason)| {
                replacements.entry(product.module.clone()).or_default().insert(index, (action.to_owned(), reason));
                let value = build::json_literal(&value);
                quote!(.json_body(#value))
            });
            let query_extras = call.query_extras.iter().map(|(k, v)| quote!(.query(#k, #v)));
            let body_extras = call.body_extras.iter().map(|(k, v)| {
                let v = build::json_literal(v);
                quote!(.body_field(#k, #v))
            });
            cases.push(quote! {
                fn #f() -> super::Built {
                    super::Built {
                        request: #request.into_request(),
                        options: aliyun_runtime::CallOptions::new() #(#query_extras)* #(#body_extras)* #replacement,
                        query: #query,
                        body: #body,
                        replaced: #replaced,
                    }
                }
            });
            table.push(quote!((#index, #f as fn() -> super::Built)));
        }
        let pinned = pinned(&product.golden);
        let name = &product.module;
        modules.push(quote! {
            mod #module {
                use #krate::#module::*;
                #(#cases)*
                pub const CASES: &[(usize, fn() -> super::Built)] = &[#(#table),*];
                pub const PINNED: super::Pinned = #pinned;
            }
        });
        runs.push(quote!(out.extend(sign_all(#name, &#krate::#module::SERVICE, &#module::PINNED, #module::CASES));));
    }
    let file = quote! {
        //! Written by aliyun-tests' golden harness (`tests/tests/golden`):
        //! every golden request built through the typed API, signed, and
        //! written to `$GOLDEN_SIGNED` for the harness to compare.
        #![allow(clippy::all)]

        /// A typed call and its per-call extras.
        struct Built {
            request: aliyun_runtime::Request,
            options: aliyun_runtime::CallOptions,
            /// How many query parameters and body fields `options` adds.
            query: usize,
            body: usize,
            /// `options` replaces the typed body.
            replaced: bool,
        }

        /// The golden file's pinned keys, nonce, user agent and clock.
        struct Pinned {
            id: &'static str,
            secret: &'static str,
            nonce: &'static str,
            agent: &'static str,
            seconds: u64,
        }

        #(#modules)*

        fn sign_all(
            product: &str,
            service: &'static aliyun_runtime::Service,
            pinned: &Pinned,
            cases: &[(usize, fn() -> Built)],
        ) -> Vec<serde_json::Value> {
            let credentials = aliyun_runtime::Credentials::new(pinned.id, pinned.secret);
            let (nonce, seconds) = (pinned.nonce, pinned.seconds);
            let config = aliyun_runtime::Config::builder()
                .region(#REGION)
                .credentials(credentials.clone())
                .user_agent(pinned.agent)
                .nonce_generator(move || nonce.to_owned())
                .clock(move || std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
                .build();
            let base = aliyun_runtime::ServiceClient::new(&config, service);
            let mut out = Vec::new();
            for (index, build) in cases {
                let built = build();
                let (query, body, replaced) = (built.query, built.body, built.replaced);
                let client = base.with_options(built.options);
                let record = match client.sign(&client.with_extras(built.request), &credentials) {
                    Ok(signed) => serde_json::json!({
                        "product": product,
                        "index": index,
                        "query_extras": query,
                        "body_extras": body,
                        "body_replaced": replaced,
                        "method": signed.method.as_str(),
                        "url": signed.url,
                        "headers": signed.headers,
                        "body": signed.body.map(|b| String::from_utf8_lossy(&b).into_owned()),
                    }),
                    Err(e) => serde_json::json!({"product": product, "index": index, "error": e.to_string()}),
                };
                out.push(record);
            }
            out
        }

        #[test]
        fn sign_the_golden_requests() {
            let mut out = Vec::new();
            #(#runs)*
            let path = std::env::var_os("GOLDEN_SIGNED").expect("GOLDEN_SIGNED names the output file");
            std::fs::write(path, serde_json::to_vec(&out).expect("JSON")).expect("write the signed requests");
        }
    };
    let file: syn::File = syn::parse2(file).expect("the written test parses");
    write_if_changed(&crate_dir.join("tests/golden.rs"), &prettyplease::unparse(&file));
    Written { unbuilt, replaced: replacements }
}

/// Writes `text` to `path` unless it already holds it, so that cargo does
/// not rebuild what did not change between runs.
pub fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return;
    }
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The pinned values of a golden file as a `Pinned` expression.
fn pinned(golden: &Value) -> TokenStream {
    let p = &golden["pinned"];
    let text = |key: &str| p[key].as_str().unwrap_or_else(|| panic!("pinned {key}")).to_owned();
    let (id, secret, nonce, agent) =
        (text("access_key_id"), text("access_key_secret"), text("x-acs-signature-nonce"), text("user-agent"));
    let seconds = epoch_seconds(&text("x-acs-date"));
    quote!(super::Pinned { id: #id, secret: #secret, nonce: #nonce, agent: #agent, seconds: #seconds })
}

/// Seconds since 1970 of an `x-acs-date` (`2020-02-06T07:32:54Z`).
fn epoch_seconds(date: &str) -> u64 {
    let n: Vec<i64> = date
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("date number"))
        .collect();
    let [y, m, d, hh, mm, ss] = n[..] else { panic!("x-acs-date {date}") };
    // Days from the civil date (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3_600 + mm * 60 + ss).expect("a date after 1970")
}

/// A recorded request, split for [`build::call`].
fn golden(g: &Value) -> Result<build::Golden<'_>, String> {
    let strings = |v: &Value| -> BTreeMap<String, String> {
        v.as_object()
            .map(|o| {
                o.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect()
            })
            .unwrap_or_default()
    };
    let headers: BTreeMap<String, String> =
        strings(&g["headers"]).into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
    let body = match g["body"].as_str() {
        None => Body::None,
        Some(text) if is_form(&headers) => Body::Form(form_pairs(text).into_iter().collect()),
        Some(text) => Body::Json(serde_json::from_str(text).map_err(|e| format!("recorded body is not JSON: {e}"))?),
    };
    Ok(build::Golden {
        action: g["action"].as_str().ok_or("no action")?,
        path_params: strings(&g["path_params"]),
        query: strings(&g["query"]),
        headers,
        body,
    })
}

fn is_form(headers: &BTreeMap<String, String>) -> bool {
    headers.get("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

/// Percent-decoding (`+` as a space where `form`).
fn decode(text: &str, form: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if form => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of a query string or form body, decoded and sorted (a list,
/// not a map, so that a name sent twice shows).
fn pairs(text: &str, form: bool) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, form), decode(v, form))
        })
        .collect();
    pairs.sort();
    pairs
}

fn form_pairs(text: &str) -> Vec<(String, String)> {
    pairs(text, true)
}

/// Python writes booleans `True`/`False`.
fn normalised(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| {
            let v = match v.as_str() {
                "True" => "true".to_owned(),
                "False" => "false".to_owned(),
                _ => v.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}

fn has_boolean(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(_, v)| v == "True" || v == "False")
}

/// Runs `cargo test` with `args` on the crate at `crate_dir`, in the
/// target directory every golden crate shares (so their dependencies are
/// built once), with warnings denied; the typed calls' signed requests land
/// in `signed`.
pub fn cargo_test(crate_dir: &Path, args: &[&str], signed: &Path) -> Output {
    let _ = std::fs::remove_file(signed);
    Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--no-fail-fast", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(args)
        .env("CARGO_TARGET_DIR", workspace().join("target/corpus-target"))
        .env("RUSTFLAGS", "-D warnings")
        .env("GOLDEN_SIGNED", signed)
        .output()
        .expect("run cargo")
}

/// What one product's golden requests came to.
#[derive(Debug, Default)]
pub struct Tally {
    /// Golden requests of the product.
    total: usize,
    /// Built, signed and equal to the recorded request.
    rebuilt: usize,
    /// Requests that needed query extras, and how many parameters.
    query_extras: (usize, usize),
    /// Requests that needed body extras, and how many fields.
    body_extras: (usize, usize),
    /// Requests sent with the recorded body in place of the typed one:
    /// `action: why`.
    replaced_bodies: Vec<String>,
    /// Requests without a boolean whose `Authorization` is byte-equal.
    auth_exact: usize,
    /// Requests with a boolean, compared normalised.
    boolean: usize,
    /// Each request not rebuilt, with why.
    failures: Vec<String>,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{} rebuilt through the typed API; extras: {} requests with {} query parameters, {} with {} body fields, \
             {} requests with a replaced body (typed body: placeholders for its required members); \
             Authorization byte for byte on {} without a boolean, booleans normalised on {}",
            self.rebuilt,
            self.total,
            self.query_extras.0,
            self.query_extras.1,
            self.body_extras.0,
            self.body_extras.1,
            self.replaced_bodies.len(),
            self.auth_exact,
            self.boolean
        )
    }
}

/// Compares the signed requests in `signed` with the golden ones, per
/// product; requests [`write`] could not build are failures.
pub fn compare(products: &[Product], written: &Written, signed: &Path) -> BTreeMap<String, Tally> {
    let records: Vec<Value> =
        std::fs::read(signed).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    let mut tallies = BTreeMap::new();
    for product in products {
        let mut tally = Tally { total: product.requests().len(), ..Tally::default() };
        for (action, reason) in written.unbuilt.get(&product.module).into_iter().flatten() {
            tally.failures.push(format!("{action}: not buildable: {reason}"));
        }
        for record in records.iter().filter(|r| r["product"] == product.module.as_str()) {
            let index = record["index"].as_u64().and_then(|i| usize::try_from(i).ok()).unwrap_or(usize::MAX);
            let Some(g) = product.requests().get(index) else { continue };
            let count = |key: &str| record[key].as_u64().and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
            let (query, body) = (count("query_extras"), count("body_extras"));
            tally.query_extras.0 += usize::from(query > 0);
            tally.query_extras.1 += query;
            tally.body_extras.0 += usize::from(body > 0);
            tally.body_extras.1 += body;
            if record["body_replaced"] == true {
                let why = written.replaced.get(&product.module).and_then(|r| r.get(&index));
                let (action, reason) = why.map_or(("?", "?"), |(a, r)| (a.as_str(), r.as_str()));
                tally.replaced_bodies.push(format!("{action}: {reason}"));
            }
            match check(g, record) {
                Ok(boolean) => {
                    tally.rebuilt += 1;
                    if boolean {
                        tally.boolean += 1;
                    } else {
                        tally.auth_exact += 1;
                    }
                }
                Err(problems) => tally.failures.push(format!("{}: {problems}", g["action"].as_str().unwrap_or("?"))),
            }
        }
        tallies.insert(product.module.clone(), tally);
    }
    tallies
}

/// Checks one signed request against its golden one: `Ok(true)` when
/// equal with booleans normalised (the golden request has one, so
/// `Authorization` cannot match), `Ok(false)` when equal with
/// `Authorization` byte for byte.
fn check(g: &Value, record: &Value) -> Result<bool, String> {
    if let Some(e) = record["error"].as_str() {
        return Err(format!("cannot sign: {e}"));
    }
    let mut problems = Vec::new();
    if record["method"] != g["method"] {
        problems.push(format!("method {} (theirs {})", record["method"], g["method"]));
    }
    let url = record["url"].as_str().unwrap_or_default();
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let golden_url = g["url"].as_str().unwrap_or_default();
    let golden_base = golden_url.split_once('?').map_or(golden_url, |(b, _)| b);
    if base != golden_base {
        problems.push(format!("url {base} (theirs {golden_base})"));
    }
    let ours = pairs(query, false);
    let theirs: Vec<(String, String)> = g["query"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    if normalised(&ours) != normalised(&theirs) {
        problems.push(format!("query\n    ours   {ours:?}\n    theirs {theirs:?}"));
    }
    let headers: BTreeMap<String, String> = g["headers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    let our_headers: BTreeMap<String, String> = record["headers"]
        .as_array()
        .map(|a| {
            a.iter().filter_map(|h| Some((h[0].as_str()?.to_ascii_lowercase(), h[1].as_str()?.to_owned()))).collect()
        })
        .unwrap_or_default();
    let form = is_form(&headers);
    let mut form_boolean = false;
    match (record["body"].as_str(), g["body"].as_str()) {
        (None, None) => {}
        (Some(ours), Some(theirs)) if form => {
            let (ours, theirs) = (form_pairs(ours), form_pairs(theirs));
            form_boolean = has_boolean(&theirs);
            if normalised(&ours) != normalised(&theirs) {
                problems.push(format!("form body\n    ours   {ours:?}\n    theirs {theirs:?}"));
            }
        }
        (Some(ours), Some(theirs)) => {
            let parse = |t: &str| serde_json::from_str::<Value>(t).ok();
            if parse(ours).is_none() || parse(ours) != parse(theirs) {
                problems.push(format!("JSON body\n    ours   {ours}\n    theirs {theirs}"));
            } else if ours != theirs {
                problems.push(format!("JSON body: same value, other bytes\n    ours   {ours}\n    theirs {theirs}"));
            }
        }
        (ours, theirs) => problems.push(format!("body: ours {ours:?}, theirs {theirs:?}")),
    }
    // With a boolean the signed bytes differ, so do the signature and (for
    // one in a form body) the content hash.
    let boolean = form_boolean || has_boolean(&theirs);
    let differs_by_boolean =
        |name: &str| (boolean && name == "authorization") || (form_boolean && name == "x-acs-content-sha256");
    for (name, want) in &headers {
        let got = our_headers.get(name);
        if got != Some(want) && !differs_by_boolean(name) {
            problems.push(format!("header {name}: ours {got:?}, theirs {want:?}"));
        }
    }
    let names: BTreeSet<&String> = our_headers.keys().collect();
    let want: BTreeSet<&String> = headers.keys().collect();
    if names != want {
        problems.push(format!("header names\n    ours   {names:?}\n    theirs {want:?}"));
    }
    if problems.is_empty() { Ok(boolean) } else { Err(problems.join("\n  ")) }
}

/// Prints each product's tally and its failures; panics when any product
/// is not rebuilt in full.
pub fn assert_all_rebuilt(tallies: &BTreeMap<String, Tally>) {
    for (product, tally) in tallies {
        println!("GOLDEN {product}: {tally}");
        for replaced in &tally.replaced_bodies {
            println!("  replaced body: {replaced}");
        }
    }
    let failures: Vec<String> =
        tallies.iter().flat_map(|(product, t)| t.failures.iter().map(move |f| format!("[{product}] {f}"))).collect();
    assert!(
        tallies.values().all(|t| t.rebuilt == t.total && t.failures.is_empty()),
        "{} golden request(s) not rebuilt:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
