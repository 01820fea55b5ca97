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
//! The typed calls are written by the golden harness (`golden/`, shared
//! with `golden_generated.rs`), which reads the generated code (members,
//! types, and the wire names `into_request` sends), so this test names
//! nothing the generator did not emit.
//!
//! Reads `../shared/corpus/ecs` (see design.md): absent, the test says so
//! and passes, unless `CI` is set.

mod golden;

use golden::workspace;

/// What one page gets wrong, corrected as a maintainer would.
const OVERRIDES: &str = "\
# The page spells these RegionId and DiskIds; the service takes regionId
# and diskIds (as the current client sends them). Dropped, they travel as
# extra parameters.
CancelAutoSnapshotPolicy:
  params.RegionId: {drop: true}
  params.DiskIds: {drop: true}
";

#[test]
fn ecs_pages_compile_decode_their_samples_and_rebuild_the_golden_requests() {
    let Some(corpus) = golden::corpora().map(|c| c.join("ecs")) else { return };
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
    println!("{ops} ECS operations generated, {samples} with a JSON sample response");
    assert_eq!(ops, 219, "every ECS page yields an operation");

    let crate_dir = root.join("crate");
    for (rel, text) in &files {
        if rel.starts_with("src") {
            let path = crate_dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        }
    }
    let products = [golden::Product::load("ecs", &corpus, &crate_dir.join("src/ecs"))];
    let written = golden::write(&crate_dir, "corpus_sdk", &products);

    let runtime = workspace().join("runtime").canonicalize().expect("runtime path");
    let manifest = format!(
        "[package]\nname = \"corpus-sdk\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
[features]\ndefault = [\"ecs\"]\necs = []\nblocking = []\n\n\
[dependencies]\naliyun-runtime = {{ path = {runtime:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
[lints.rust]\nmissing_docs = \"deny\"\n"
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(workspace().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock");

    let signed = root.join("signed.json");
    let output = golden::cargo_test(&crate_dir, &["--lib", "--test", "golden"], &signed);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "ECS corpus crate failed:\n{stdout}\n{stderr}");
    let passed: Vec<usize> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. ").and_then(|r| r.split(' ').next()))
        .filter_map(|n| n.parse().ok())
        .collect();
    println!("test results (lib, golden): {passed:?}");
    assert_eq!(passed.first().copied(), Some(samples), "one passing sample test per JSON sample\n{stdout}");
    golden::assert_all_rebuilt(&golden::compare(&products, &written, &signed));
}
