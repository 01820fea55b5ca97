//! `generated/` must be exactly what the generator makes of `specs/` today:
//! no stale file, no missing file, no orphan. Regenerates in memory only.

use std::path::Path;

use aliyun_codegen::stages::write::{self, Mode};

#[test]
fn generated_crate_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (files, _) = aliyun_codegen::Config::new()
        .specs(root.join("specs"))
        .crate_files()
        .unwrap_or_else(|e| panic!("generation failed:\n{e}"));
    let report = write::sync(&root.join("generated"), &files, &[Path::new("src").to_path_buf()], Mode::Check)
        .unwrap_or_else(|e| panic!("cannot compare: {e}"));
    assert!(report.is_fresh(), "generated/ is stale; run `cargo codegen generate`:\n{report}");
}
