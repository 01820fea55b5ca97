//! Round trip: Markdown → IR → YAML → IR gives the same IR, for every
//! Elasticsearch reference page in `../shared` and every spec in `specs/`.
//! This is what makes `aliyun-codegen dump --yaml PAGE.md` a valid spec.
//!
//! Without `../shared` the corpus test prints one line and passes, unless
//! `CI` is set: there the folder is always present and its absence is a
//! failure.

use std::path::{Path, PathBuf};

use aliyun_codegen::ir::{Field, Operation, Source};
use aliyun_codegen::stages::spec::{self, yaml};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Source locations are not part of the meaning (and are not serialized).
fn without_lines(mut op: Operation) -> Operation {
    fn field(f: &mut Field) {
        f.line = 0;
        f.fields.iter_mut().for_each(field);
        f.items.iter_mut().chain(f.values.iter_mut()).for_each(|b| field(b));
    }
    op.source = Source::default();
    for p in &mut op.params {
        p.line = 0;
        p.items.iter_mut().for_each(|b| field(b));
    }
    if let Some(body) = &mut op.body {
        body.fields.iter_mut().for_each(field);
        body.items.iter_mut().for_each(|b| field(b));
    }
    op.response.iter_mut().for_each(field);
    op.errors.iter_mut().for_each(|e| e.line = 0);
    op
}

/// Reads `page`, writes its IR as YAML, reads that back; returns a message
/// when the two differ or a step fails.
fn round_trip(page: &Path) -> Result<(), String> {
    let first = spec::read_operation_file(page);
    let Some(op) = first.operation else {
        return Err(format!("{}: no operation: {:?}", page.display(), first.diagnostics));
    };
    let text = yaml::to_string(&op).map_err(|e| format!("{}: cannot write YAML: {e}", page.display()))?;
    let name = page.with_extension("roundtrip.yaml");
    let second = spec::read_operation_text(&name, &text);
    if second.failed() {
        let diags: Vec<String> = second.diagnostics.iter().map(ToString::to_string).collect();
        return Err(format!("{}: its YAML does not read back:\n{}\n---\n{text}", page.display(), diags.join("\n")));
    }
    let Some(back) = second.operation else { return Err(format!("{}: no operation read back", page.display())) };
    let (a, b) = (without_lines(op), without_lines(back));
    if a != b {
        let json = |o: &Operation| serde_json::to_string_pretty(o).unwrap_or_default();
        let (ja, jb) = (json(&a), json(&b));
        let at = ja.lines().zip(jb.lines()).position(|(x, y)| x != y).unwrap_or(0);
        return Err(format!(
            "{}: IR differs after the YAML round trip, first at line {} of the JSON dump:\n  page: {}\n  yaml: {}",
            page.display(),
            at + 1,
            ja.lines().nth(at).unwrap_or(""),
            jb.lines().nth(at).unwrap_or("")
        ));
    }
    Ok(())
}

fn check_all(pages: &[PathBuf]) {
    let failures: Vec<String> = pages.iter().filter_map(|p| round_trip(p).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} pages do not round-trip:\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_corpus_page_round_trips_through_yaml() {
    let docs = workspace().join("../shared/corpus/elasticsearch/docs");
    if !docs.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "{} is missing (required when CI is set)", docs.display());
        println!("skipped: ../shared/corpus/elasticsearch/docs not found");
        return;
    }
    let pages = spec::operation_files(&docs).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(pages.len(), 134, "expected the 134 Elasticsearch pages");
    check_all(&pages);
}

#[test]
fn every_spec_round_trips_through_yaml() {
    let specs = workspace().join("specs");
    let mut pages = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&specs)
        .unwrap_or_else(|e| panic!("{}: {e}", specs.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        pages.extend(spec::operation_files(&dir).unwrap_or_else(|d| panic!("{d}")));
    }
    assert!(!pages.is_empty(), "no specs under {}", specs.display());
    check_all(&pages);
}
