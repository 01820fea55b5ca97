//! Every minimized fuzzer finding stays fixed: each input under
//! `tests/fuzz_regressions/` (plus the inline ones below) goes through
//! read → check → emit → format without a panic, and clean inputs yield
//! Rust that parses.

use std::path::{Path, PathBuf};

use aliyun_codegen::ir::{Product, Style};
use aliyun_codegen::stages::emit::EmitOptions;
use aliyun_codegen::stages::{check, render, spec};

/// Inputs small enough to keep here: (name, text). The extension picks the
/// front end.
const INLINE: &[(&str, &str)] = &[
    // Empty and degenerate pages must say why they yield nothing.
    ("empty.md", ""),
    ("empty.yaml", ""),
    ("title-only.md", "#\n"),
    ("pipes.md", "|\n|-|\n||\n"),
    // Newer forms, cut short: a code block opening in a cell that never
    // closes, a skeleton of brackets only, an XML envelope with no members,
    // a wrapper row with nothing after it.
    (
        "fence-in-cell.md",
        "# Op\n\n## Request parameters\n\n|Name|Type|Required|Example|Description|\n|-|-|-|-|-|\n|Action|String|Yes|Op|x\n```\n| ` |\n",
    ),
    ("skeleton.md", "# Op\n\n```\nGET / HTTP/1.1\n```\n\n## Response syntax\n\n```\n{[[[{{]]\n```\n"),
    (
        "xml-envelope.md",
        "# Op\n\n```\nGET / HTTP/1.1\n```\n\n## 返回数据\n\n|名称|类型|示例值|描述|\n|-|-|-|-|\n|A|Array| | |\n|B| | | |\n\n## 示例\n\n```\n<OpResponse></OpResponse>\n```\n",
    ),
];

fn run(path: &Path, text: &str) {
    let outcome = spec::read_operation_text(path, text);
    assert!(
        outcome.operation.is_some() || outcome.diagnostics.iter().any(|d| d.is_error()),
        "{}: no operation and no error",
        path.display()
    );
    if outcome.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let Some(op) = outcome.operation else { return };
    let mut product = Product {
        product: "fuzz".to_string(),
        version: "2020-01-01".to_string(),
        style: Style::Roa,
        title: None,
        endpoint: None,
        vpc_endpoint: None,
        endpoint_exceptions: Default::default(),
        common_params: Vec::new(),
        traits: Default::default(),
        operations: vec![op],
    };
    if check::check(&mut product).iter().any(|d| d.is_error()) {
        return;
    }
    let files = render::crate_files(std::slice::from_ref(&product), &EmitOptions::default(), None)
        .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
    for text in files.values() {
        syn::parse_file(text).unwrap_or_else(|e| panic!("{}: output does not parse: {e}", path.display()));
    }
}

#[test]
fn inline_regressions() {
    for (name, text) in INLINE {
        run(Path::new(name), text);
    }
}

#[test]
fn file_regressions() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "md" || e == "yaml") && !p.ends_with("README.md"));
    files.sort();
    for file in files {
        // Fuzzer inputs need not be UTF-8; the readers take text.
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Ok(text) = String::from_utf8(bytes) {
            run(&file, &text);
        }
    }
}

/// Timeouts stay fixed: each input named `*-timeout-*` once took the
/// fuzzer past its 10-second limit by nesting rows without bound
/// (`markdown-timeout-flat-markers.md`: over 6,000 one-level `└`
/// containers nested one in the next, with a sample that shows none of
/// them, once cubic in the rows: 38 s in a release build;
/// `markdown-timeout-nested-structs.md`: over 5,000 `Struct` rows without
/// markers, each opening a level inside the last: over 60 s). No timing is
/// asserted here (speed belongs to the benches): the pages must read, and
/// the tree must stay within the reader's nesting cap, which is what keeps
/// the cost linear. A regression shows as a test that runs for minutes.
#[test]
fn timeout_regressions() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains("-timeout-")));
    assert!(!files.is_empty(), "no timeout inputs in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = spec::read_operation_text(&path, &text);
        let op = outcome.operation.unwrap_or_else(|| panic!("{}: the page reads", path.display()));
        let deepest = op.response.iter().map(depth).max().unwrap_or(0);
        assert!(deepest <= 65, "{}: response nested {deepest} levels deep", path.display());
    }
}

/// Levels of objects and arrays from `field` down, itself included.
fn depth(field: &aliyun_codegen::ir::Field) -> usize {
    let below = field.fields.iter().chain(field.items.as_deref()).chain(field.values.as_deref()).map(depth).max();
    1 + below.unwrap_or(0)
}
