//! Shared by the benches and the corpus-based tests (included with
//! `#[path]`): finds the Elasticsearch corpus in `../shared` and lays out a
//! specs folder from it under `target/`, optionally with every page copied
//! `factor` times under new operation names.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The product file written next to the corpus pages.
pub const PRODUCT_YAML: &str = "product: elasticsearch\ntitle: Elasticsearch\nversion: \"2017-06-13\"\nstyle: ROA\nendpoint: \"elasticsearch.{region}.aliyuncs.com\"\n";

/// `codegen/` (this crate's manifest folder).
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root.
pub fn workspace_dir() -> PathBuf {
    crate_dir().parent().map(Path::to_path_buf).unwrap_or_else(crate_dir)
}

/// The shared target folder (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_dir().join("target"),
    }
}

/// `../shared/corpus/elasticsearch/docs`, or `None` (after saying so) when
/// absent. Under `CI` its absence is a failure.
pub fn corpus_docs() -> Option<PathBuf> {
    let dir = workspace_dir().join("../shared/corpus/elasticsearch/docs");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing (required when CI is set)", dir.display());
    }
    eprintln!("skipped: {} is absent", dir.display());
    None
}

/// The corpus pages (`*.md` directly in the folder), sorted.
pub fn corpus_pages(docs: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(docs)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    pages.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"));
    pages.sort();
    pages
}

/// The largest page of the corpus (by bytes).
pub fn biggest_page(docs: &Path) -> Option<PathBuf> {
    corpus_pages(docs).into_iter().max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
}

/// `text` with the operation named `from` renamed `to` on its title line
/// (the first non-blank line: `# Name` or a setext `Name {#title}`).
pub fn rename_page(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && !line.trim().is_empty() {
            out.push_str(&line.replacen(from, to, 1));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The pages of `docs` as (file name, text): the originals, then for
/// `copy` in 2..=factor every page renamed `{Name}Copy{copy}`.
pub fn scaled_pages(docs: &Path, factor: usize) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for path in corpus_pages(docs) {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for copy in 1..=factor.max(1) {
            if copy == 1 {
                pages.push((format!("{stem}.md"), text.clone()));
            } else {
                let name = format!("{stem}Copy{copy}");
                pages.push((format!("{name}.md"), rename_page(&text, stem, &name)));
            }
        }
    }
    pages
}

/// Writes `root/elasticsearch/{product.yaml, pages...}` (replacing what was
/// there) and returns `root`, ready for `Config::specs`.
pub fn write_specs(root: &Path, pages: &[(String, String)]) -> PathBuf {
    let dir = root.join("elasticsearch");
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(&dir).expect("create bench specs folder");
    std::fs::write(dir.join("product.yaml"), PRODUCT_YAML).expect("write product.yaml");
    for (name, text) in pages {
        std::fs::write(dir.join(name), text).expect("write page");
    }
    root.to_path_buf()
}

/// `target/bench-specs/x{factor}`: the corpus laid out as a specs folder,
/// `factor` times over.
pub fn corpus_specs(docs: &Path, factor: usize) -> PathBuf {
    let root = target_dir().join("bench-specs").join(format!("x{factor}"));
    write_specs(&root, &scaled_pages(docs, factor))
}
