//! The golden requests of every product in `generated/` (what users get),
//! rebuilt through its typed API: for each product with a corpus in
//! `../shared/corpus`, every request of `golden_requests.json` becomes one
//! typed call against `aliyun_sdk` (a path dependency, every product
//! feature), all of them in one crate under `target/` built and run once;
//! each signed request must equal the recorded one (see `golden/mod.rs` for
//! what is compared and counted). The operations come from the golden
//! files and the generated sources, never from a list here.
//!
//! Reads `../shared/corpus/<product>` (see design.md): absent, the test
//! says so and passes, unless `CI` is set.

mod golden;

use golden::workspace;

#[test]
fn golden_requests_through_the_generated_crate() {
    let started = std::time::Instant::now();
    let generated = workspace().join("generated").canonicalize().expect("generated/");
    let mut modules: Vec<String> = std::fs::read_dir(generated.join("src"))
        .expect("generated/src")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("mod.rs").is_file())
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    modules.sort();
    let Some(corpora) = golden::corpora() else { return };
    // A corpus is named by the product's code, as its module is.
    let products: Vec<golden::Product> = modules
        .iter()
        .filter(|m| corpora.join(m).join("golden_requests.json").is_file())
        .map(|m| golden::Product::load(m, &corpora.join(m), &generated.join("src").join(m)))
        .collect();
    assert!(!products.is_empty(), "no product of generated/ has a corpus in {}", corpora.display());

    let root = workspace().join("target/golden-generated");
    let written = golden::write(&root, "aliyun_sdk", &products);
    let features: Vec<String> = products.iter().map(|p| format!("{:?}", p.module)).collect();
    let runtime = workspace().join("runtime").canonicalize().expect("runtime/");
    let manifest = format!(
        "[package]\nname = \"golden-generated\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
[dependencies]\naliyun-sdk = {{ path = {generated:?}, default-features = false, features = [{}] }}\n\
aliyun-runtime = {{ path = {runtime:?} }}\nserde_json = \"1\"\n",
        features.join(", ")
    );
    golden::write_if_changed(&root.join("Cargo.toml"), &manifest);
    golden::write_if_changed(&root.join("src/lib.rs"), "//! Golden requests of aliyun-sdk: see tests/golden.rs.\n");
    let lock = std::fs::read_to_string(workspace().join("Cargo.lock")).expect("Cargo.lock");
    golden::write_if_changed(&root.join("Cargo.lock"), &lock);

    let signed = root.join("signed.json");
    let output = golden::cargo_test(&root, &["--test", "golden"], &signed);
    assert!(
        output.status.success(),
        "the golden crate failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let tallies = golden::compare(&products, &written, &signed);
    println!("golden requests of generated/ built, signed and compared in {:.1?}", started.elapsed());
    golden::assert_all_rebuilt(&tallies);
}
