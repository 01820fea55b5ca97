//! Diagnostics for bad YAML specs: each `tests/yaml_errors/<case>.yaml` sits
//! next to `<case>.expected`, the exact diagnostics it produces (one per
//! line). One loop test covers them all;
//! `UPDATE_SNAPSHOTS=1 cargo test -p aliyun-codegen --test yaml_errors`
//! rewrites the expected files.

use std::path::{Path, PathBuf};

use aliyun_codegen::stages::spec;

const UPDATE: &str = "UPDATE_SNAPSHOTS=1 cargo test -p aliyun-codegen --test yaml_errors";

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml_errors");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/yaml_errors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    cases
}

/// The diagnostics of one case, with the file named relative to the crate
/// so the expected text does not depend on where the checkout lives.
fn diagnose(case: &Path) -> String {
    let text = std::fs::read_to_string(case).expect("read case");
    let name = case.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
    let outcome = spec::read_operation_text(&Path::new("tests/yaml_errors").join(name), &text);
    let mut out: String = outcome.diagnostics.iter().map(|d| format!("{d}\n")).collect();
    if outcome.operation.is_some() {
        out.push_str("(an operation was read)\n");
    }
    out
}

#[test]
fn bad_yaml_specs_give_the_expected_diagnostics() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    let all = cases();
    assert!(all.len() >= 5, "expected the yaml_errors cases");
    for case in all {
        let actual = diagnose(&case);
        assert!(actual.contains(": error: "), "{}: a bad spec must give an error, got:\n{actual}", case.display());
        let expected_path = case.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).expect("write expected");
            } else {
                stale.push(format!("{}:\n  expected: {expected:?}\n  actual:   {actual:?}", expected_path.display()));
            }
        }
    }
    assert!(stale.is_empty(), "diagnostics differ (review, then run `{UPDATE}`):\n{}", stale.join("\n"));
}

#[test]
fn every_case_has_an_expected_file() {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        return;
    }
    for case in cases() {
        assert!(case.with_extension("expected").is_file(), "{} has no .expected file; run `{UPDATE}`", case.display());
    }
}
