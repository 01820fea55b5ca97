//! Reader snapshots: each `tests/pages/<case>.md` is a small page written
//! for one form the reader understands (request-line variants, a JSON body
//! skeleton or `Key=value` form lines under the request line, several
//! tables, Chinese headings and columns, a typed JSON response skeleton,
//! wrapper rows, `.N` rows and the list limits their descriptions state
//! (English and Chinese), a code block inside a cell, one-level `└`
//! markers over deeper fields, dotted response names, a request table of a
//! named type's members, an XML sample agreeing with the tables better than
//! the JSON one, list rows against their samples, rows the sample places
//! beside others, an object the sample shows exactly, a sample key longer
//! than the row it stands for); `<case>.json` beside it
//! holds the IR it reads to and the diagnostics. One loop test covers
//! them all; `UPDATE_SNAPSHOTS=1 cargo test -p aliyun-codegen --test pages`
//! rewrites the expected files (review them with `git diff`).

use std::path::{Path, PathBuf};

use aliyun_codegen::stages::spec;

fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/pages exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

/// The IR and diagnostics of one page, as pretty JSON.
fn dump(page: &Path) -> String {
    let text = std::fs::read_to_string(page).expect("read page");
    let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("page.md");
    let outcome = spec::read_operation_text(Path::new(name), &text);
    let value = serde_json::json!({
        "diagnostics": outcome.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "operation": outcome.operation,
    });
    let mut out = serde_json::to_string_pretty(&value).expect("IR serializes");
    out.push('\n');
    out
}

#[test]
fn pages_read_to_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    let all = pages();
    assert!(!all.is_empty(), "no pages under tests/pages");
    for page in all {
        let actual = dump(&page);
        let expected_path = page.with_extension("json");
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
        "reader snapshots differ: {stale:?}\nreview with `git diff` after running: UPDATE_SNAPSHOTS=1 cargo test -p aliyun-codegen --test pages"
    );
}
