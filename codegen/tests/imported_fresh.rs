//! The imported specs in `specs/` are what `cargo codegen import` writes
//! from the pages today: importing the corpus pages again into a copy of
//! each product's folder writes nothing. A reader change that would change
//! an imported fact fails here until the specs are imported again (the
//! command is in the failure message), so `specs/` never lags the reader.
//!
//! Reads the pages from `../shared/corpus` (see design.md): absent, the
//! test says so and passes, unless `CI` is set.

use std::path::{Path, PathBuf};

use aliyun_codegen::ir::Style;
use aliyun_codegen::stages::import;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `.md` pages of `dir`, by name.
fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("page folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("spec folder").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

#[test]
fn importing_the_pages_again_changes_no_spec() {
    let corpus = workspace().join("../shared/corpus");
    if !corpus.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "CI is set but {} is missing", corpus.display());
        println!("skipped: {} not found", corpus.display());
        return;
    }
    // English pages first: where both exist, the English one is imported.
    let products = [
        ("elasticsearch", Style::Roa, &["elasticsearch/docs", "elasticsearch/docs-zh"][..]),
        ("ecs", Style::Rpc, &["ecs/docs"][..]),
        ("sae", Style::Roa, &["sae/docs-zh"][..]),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let mut stale = Vec::new();
    for (product, style, folders) in products {
        let out = tmp.path().join(product);
        copy_dir(&workspace().join("specs").join(product), &out);
        let pages: Vec<PathBuf> = folders.iter().flat_map(|f| pages(&corpus.join(f))).collect();
        let report = import::import(&pages, &out, style, false).unwrap_or_else(|e| panic!("{product}: {e}"));
        println!("{product}: {} unchanged, {} skipped", report.unchanged, report.skipped.len());
        assert!(report.unchanged > 0, "{product}: nothing imported");
        for path in report.written.iter().chain(&report.kept) {
            stale.push(format!("{product}/{}", path.file_name().unwrap_or_default().to_string_lossy()));
        }
    }
    assert!(
        stale.is_empty(),
        "imported specs differ from what the pages give today; run `cargo codegen import ../shared/corpus/<product>/<docs> --out specs/<product>` for: {}",
        stale.join(", ")
    );
}
