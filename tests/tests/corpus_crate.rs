//! Every corpus page becomes compiling Rust: the Elasticsearch reference
//! (English and Chinese) and the Serverless App Engine reference (Chinese)
//! are generated into one crate under `target/`, one module per corpus, which
//! is then built (warnings denied) and its tests run in one cargo call. Each
//! operation whose page has a JSON sample response of the documented
//! structure carries a generated test that decodes it into the response
//! type with no member left unmapped; the others are listed. The ECS
//! corpus has its own crate (`ecs_corpus.rs`), which also rebuilds its
//! golden requests.
//!
//! Reads the reference corpora in `../shared/corpus`: absent, the test says so and
//! passes, unless `CI` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The corpora: module name, page folder (under `../shared/corpus`), the
/// product file's version and style, and how many pages it holds.
const CORPORA: [(&str, &str, &str, usize); 3] = [
    ("elasticsearch", "elasticsearch/docs", "2017-06-13", 134),
    ("elasticsearch_zh", "elasticsearch/docs-zh", "2017-06-13", 169),
    ("sae", "sae/docs-zh", "2019-05-06", 71),
];

fn corpus_root() -> Option<PathBuf> {
    let root = workspace().join("../shared/corpus");
    if CORPORA.iter().all(|(_, docs, _, _)| root.join(docs).is_dir()) {
        return Some(root);
    }
    assert!(std::env::var_os("CI").is_none(), "CI is set but the corpora under {} are missing", root.display());
    println!("skipped: {} not found", root.display());
    None
}

/// A specs folder with one product per corpus: a product file plus every
/// page.
fn corpus_specs(corpus: &Path, root: &Path) -> PathBuf {
    let specs = root.join("specs");
    for (name, docs, version, _) in CORPORA {
        let product = specs.join(name);
        std::fs::create_dir_all(&product).expect("mkdir");
        std::fs::write(
            product.join("product.yaml"),
            format!("product: {name}\ntitle: {name}\nversion: \"{version}\"\nstyle: ROA\n"),
        )
        .expect("product file");
        for entry in std::fs::read_dir(corpus.join(docs)).expect("docs") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                let target = product.join(path.file_name().expect("name"));
                std::fs::copy(&path, target).expect("copy page");
            }
        }
    }
    specs
}

#[test]
fn every_corpus_page_compiles_and_parses_its_sample() {
    let Some(corpus) = corpus_root() else { return };
    let root = workspace().join("target/corpus-crate");
    let _ = std::fs::remove_dir_all(&root);
    let specs = corpus_specs(&corpus, &root);
    let (files, report) =
        aliyun_codegen::Config::new().specs(&specs).crate_files().unwrap_or_else(|e| panic!("generation failed:\n{e}"));
    let ops: usize = report.products.iter().map(|p| p.operations.len()).sum();
    let samples = report
        .products
        .iter()
        .flat_map(|p| &p.operations)
        .filter(|op| op.sample.as_ref().is_some_and(aliyun_codegen::ir::Sample::replayable))
        .count();
    let unreplayed: Vec<String> = report
        .products
        .iter()
        .flat_map(|p| &p.operations)
        .filter_map(|op| {
            let why = op.sample.as_ref().map_or(Some("no sample"), aliyun_codegen::ir::Sample::not_replayable)?;
            Some(format!("{} ({why})", op.name))
        })
        .collect();
    println!("{} operations without a replayable sample: {}", unreplayed.len(), unreplayed.join(", "));
    println!("{ops} operations generated, {samples} with a JSON sample response");
    let pages: usize = CORPORA.iter().map(|(_, _, _, pages)| pages).sum();
    assert_eq!(ops, pages, "every corpus page is an operation");

    let crate_dir = root.join("crate");
    for (rel, text) in &files {
        if rel.starts_with("src") {
            let path = crate_dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
    }
    let runtime = workspace().join("runtime").canonicalize().expect("runtime path");
    let names: Vec<&str> = CORPORA.iter().map(|(name, _, _, _)| *name).collect();
    let features: String = names.iter().map(|name| format!("{name} = []\n")).collect();
    let manifest = format!(
        "[package]\nname = \"corpus-sdk\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
[features]\ndefault = {names:?}\n{features}blocking = []\n\n\
[dependencies]\naliyun-runtime = {{ path = {runtime:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
[lints.rust]\nmissing_docs = \"deny\"\n"
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).expect("manifest");
    // Same dependency versions as the workspace.
    std::fs::copy(workspace().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock");

    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--lib", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", workspace().join("target/corpus-target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "corpus crate failed:\n{stdout}\n{stderr}");
    let passed = stdout
        .lines()
        .find_map(|l| {
            l.strip_prefix("test result: ok. ").and_then(|r| r.split(' ').next()).and_then(|n| n.parse::<usize>().ok())
        })
        .unwrap_or(0);
    println!("{passed} sample-response tests passed");
    assert_eq!(passed, samples, "one passing sample test per JSON sample\n{stdout}");
}
