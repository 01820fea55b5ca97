//! Same inputs, same bytes: whatever the order the pages were written in
//! or the number of threads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aliyun_codegen::Config;

#[path = "../benches/support/mod.rs"]
mod support;

fn crate_files(specs: &Path) -> BTreeMap<PathBuf, String> {
    match Config::new().specs(specs).crate_files() {
        Ok((files, _)) => files,
        Err(e) => panic!("{e}"),
    }
}

fn single_file(specs: &Path, out: &Path) -> String {
    if let Err(e) = Config::new().specs(specs).out_dir(out).cargo_directives(false).compile() {
        panic!("{e}");
    }
    std::fs::read_to_string(out.join("aliyun_sdk.rs")).expect("aliyun_sdk.rs")
}

fn run_in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
    pool.install(f)
}

/// Writes `pages` into `root/specs/elasticsearch/` in the given order.
fn lay_out(root: &Path, pages: &[(String, String)]) -> PathBuf {
    support::write_specs(&root.join("specs"), pages)
}

/// A fixed pseudo-random permutation (no rand dependency).
fn shuffled<T: Clone>(items: &[T], mut seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    for i in (1..v.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        v.swap(i, (seed >> 33) as usize % (i + 1));
    }
    v
}

/// The inputs: the corpus when present, always the workspace's specs/.
fn page_sets() -> Vec<(&'static str, Vec<(String, String)>)> {
    let mut sets = Vec::new();
    let seed_dir = support::workspace_dir().join("specs/elasticsearch");
    let seed: Vec<(String, String)> = support::corpus_pages(&seed_dir)
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    sets.push(("specs", seed));
    if let Some(docs) = support::corpus_docs() {
        sets.push(("corpus", support::scaled_pages(&docs, 1)));
    }
    sets
}

#[test]
fn output_does_not_depend_on_file_order_or_threads() {
    for (label, pages) in page_sets() {
        let tmp = tempfile::tempdir().expect("tmp");
        let sorted = lay_out(&tmp.path().join("a"), &pages);
        let reversed: Vec<_> = pages.iter().rev().cloned().collect();
        let other = lay_out(&tmp.path().join("b"), &shuffled(&reversed, 7));

        let reference = run_in_pool(1, || crate_files(&sorted));
        assert!(reference.len() > 2, "{label}: no files generated");
        let parallel = run_in_pool(4, || crate_files(&other));
        assert_same(label, "crate_files, shuffled input, 4 threads vs 1", &reference, &parallel);
        let default_pool = crate_files(&other);
        assert_same(label, "crate_files, default pool", &reference, &default_pool);

        let one = run_in_pool(1, || single_file(&sorted, &tmp.path().join("out1")));
        let many = run_in_pool(4, || single_file(&other, &tmp.path().join("out4")));
        assert!(one == many, "{label}: single file differs between 1 and 4 threads / file orders");
    }
}
fn assert_same(label: &str, what: &str, a: &BTreeMap<PathBuf, String>, b: &BTreeMap<PathBuf, String>) {
    let keys_a: Vec<_> = a.keys().collect();
    let keys_b: Vec<_> = b.keys().collect();
    assert_eq!(keys_a, keys_b, "{label}: {what}: different file lists");
    for (path, text) in a {
        assert!(b.get(path) == Some(text), "{label}: {what}: {} differs", path.display());
    }
}

/// Every file under `root` with its bytes, for before/after comparisons.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(&path)) {
                out.insert(rel.to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// A run that fails (one bad page among good ones) leaves both output
/// layouts exactly as they were: nothing written, nothing deleted, no
/// temporary files left behind.
#[test]
fn failed_generation_leaves_output_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    let seed_dir = support::workspace_dir().join("specs/elasticsearch");
    let pages: Vec<(String, String)> = support::corpus_pages(&seed_dir)
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    let specs = lay_out(tmp.path(), &pages);
    let crate_dir = tmp.path().join("generated");
    let out_dir = tmp.path().join("out");
    Config::new().specs(&specs).sync_crate(&crate_dir, aliyun_codegen::Mode::Write).expect("first generation");
    Config::new().specs(&specs).out_dir(&out_dir).cargo_directives(false).compile().expect("first compile");
    let before_crate = snapshot(&crate_dir);
    let before_out = snapshot(&out_dir);
    assert!(before_crate.len() > 2 && before_out.len() == 1);

    // One broken page (unknown key in a YAML spec) next to the good ones.
    std::fs::write(specs.join("elasticsearch/Broken.yaml"), "name: Broken\nmethod: GET\npath: /x\nbogus: 1\n")
        .expect("write");
    let err = Config::new().specs(&specs).sync_crate(&crate_dir, aliyun_codegen::Mode::Write);
    assert!(err.is_err(), "a broken page must fail the run");
    let err = Config::new().specs(&specs).out_dir(&out_dir).cargo_directives(false).compile();
    assert!(err.is_err(), "a broken page must fail compile()");
    assert!(snapshot(&crate_dir) == before_crate, "the crate folder changed after a failed run");
    assert!(snapshot(&out_dir) == before_out, "OUT_DIR changed after a failed run");
}
