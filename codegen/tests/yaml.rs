//! The YAML front end: source lines for diagnostics, operations inline in a
//! product file, `dump --yaml` output reading back, no panic on any input.

use std::path::{Path, PathBuf};

use aliyun_codegen::stages::spec::{self, overrides, yaml};

const SPEC: &str = r#"# A spec with every section.
name: ListThings
summary: Lists things.
method: GET
path: /things/[ThingId]
params:
  - name: ThingId
    in: path
    type: string
    required: true
  - {name: page, in: query, type: integer}
body: null
response:
  - name: ThingId
    type: string
  - name: Result
    type: array
    items:
      type: object
      fields:
        - name: Size
          type: long
errors:
  - {status: 404, code: ThingNotFound}
"#;

#[test]
fn items_keep_the_line_they_were_written_on() {
    let outcome = spec::read_operation_text(Path::new("ListThings.yaml"), SPEC);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let op = outcome.operation.expect("operation");
    assert_eq!(op.source.to_string(), "ListThings.yaml:2");
    let lines: Vec<u32> = op.params.iter().map(|p| p.line).collect();
    assert_eq!(lines, [7, 11]);
    // `ThingId` in the response is its own line, not the parameter's.
    assert_eq!(op.response[0].line, 14);
    assert_eq!(op.response[1].line, 16);
    let size = &op.response[1].items.as_ref().expect("items").fields[0];
    assert_eq!(size.line, 21);
    assert_eq!(op.errors[0].line, 24);
}

#[test]
fn a_product_file_may_hold_operations() {
    let text = format!(
        "product: demo\nversion: \"2020-01-01\"\nstyle: ROA\noperations:\n{}",
        SPEC.lines()
            .skip(1)
            .enumerate()
            .map(|(i, l)| format!("{}{l}\n", if i == 0 { "  - " } else { "    " }))
            .collect::<String>()
    );
    let product = yaml::read_product(Path::new("product.yaml"), &text).unwrap_or_else(|d| panic!("{d}"));
    let op = &product.operations[0];
    assert_eq!(op.source.to_string(), "product.yaml:5");
    assert_eq!(op.params[0].line, 10);
    assert_eq!(op.response[0].line, 17);
}

#[test]
fn a_written_spec_reads_back_the_same() {
    let op = spec::read_operation_text(Path::new("ListThings.yaml"), SPEC).operation.expect("operation");
    let text = yaml::to_string(&op).expect("serialize");
    let back = spec::read_operation_text(Path::new("again.yaml"), &text).operation.expect("reads back");
    assert_eq!(serde_json::to_value(&op).expect("json"), serde_json::to_value(&back).expect("json"));
}

#[cfg(feature = "cli")]
#[test]
fn dump_yaml_of_a_page_is_a_valid_spec() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/elasticsearch/ResumeLogstashTask.md");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_aliyun-codegen"))
        .args(["dump", "--yaml"])
        .arg(&page)
        .output()
        .expect("run aliyun-codegen");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let text = String::from_utf8(run.stdout).expect("utf-8");
    let back = spec::read_operation_text(Path::new("ResumeLogstashTask.yaml"), &text);
    assert!(!back.failed(), "{:?}", back.diagnostics);
    let page_op = spec::read_operation_file(&page).operation.expect("page reads");
    assert_eq!(
        serde_json::to_value(&page_op).expect("json"),
        serde_json::to_value(back.operation.expect("operation")).expect("json")
    );
}

fn spec_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["specs/elasticsearch", "specs/sae", "codegen/tests/yaml_errors"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        files.extend(
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "yaml")),
        );
    }
    files.sort();
    files
}

/// Every line-prefix of every YAML file we have, and each with one line
/// dropped, read as an operation, a product and an overrides file: errors
/// are fine, panics are not.
#[test]
fn truncated_and_damaged_specs_never_panic() {
    let files = spec_files();
    assert!(!files.is_empty());
    let mut inputs = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        for cut in 0..lines.len().min(80) {
            let prefix = lines[..cut].join("\n");
            let mut damaged = lines.clone();
            damaged.remove(cut);
            for input in [prefix, damaged.join("\n")] {
                let _ = spec::read_operation_text(Path::new("x.yaml"), &input);
                let _ = yaml::read_product(Path::new("product.yaml"), &input);
                let _ = overrides::read(Path::new("overrides.yaml"), &input);
                inputs += 1;
            }
        }
    }
    assert!(inputs > 100);
}
