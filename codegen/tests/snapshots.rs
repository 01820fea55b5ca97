//! Snapshot tests: each folder under `tests/snapshots/` holds `specs/` (a
//! product folder) and `expected.rs`, the single-file output for it. One
//! loop test covers them all; `UPDATE_SNAPSHOTS=1 cargo test -p
//! aliyun-codegen --test snapshots` rewrites the expected files. The
//! `aliyun-tests` crate compiles every `expected.rs`.

use std::path::{Path, PathBuf};

fn snapshot_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/snapshots exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn render(dir: &Path) -> String {
    let out = tempfile::tempdir().expect("temp dir");
    aliyun_codegen::Config::new()
        .specs(dir.join("specs"))
        .out_dir(out.path())
        .cargo_directives(false)
        .compile()
        .unwrap_or_else(|e| panic!("{}: generation failed:\n{e}", dir.display()));
    std::fs::read_to_string(out.path().join("aliyun_sdk.rs")).expect("output written")
}

#[test]
fn snapshots_match() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for dir in snapshot_dirs() {
        let actual = render(&dir);
        let expected_path = dir.join("expected.rs");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).expect("write snapshot");
            } else {
                stale.push(expected_path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ: {stale:?}\nreview with `git diff` after running: UPDATE_SNAPSHOTS=1 cargo test -p aliyun-codegen --test snapshots"
    );
}

#[test]
fn every_snapshot_is_compiled_by_the_tests_crate() {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/src/snapshots.rs");
    let text = std::fs::read_to_string(&list).expect("tests/src/snapshots.rs exists");
    for dir in snapshot_dirs() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let include = format!("codegen/tests/snapshots/{name}/expected.rs");
        assert!(text.contains(&include), "{} does not include {include}; add a module for it", list.display());
    }
}
