//! `import`: reference pages in, YAML specs of their facts out.
//!
//! A page's prose is not ours to copy; its facts are: names, wire names,
//! types, positions, required flags, structure, example values, error codes
//! and statuses. An imported spec carries exactly those. Summaries,
//! descriptions, error messages and the sample response are left out (the
//! facts the sample gives, such as arrays that also arrive as one element,
//! are kept as `one_or_list`, because the page is read and checked before
//! its prose is dropped).
//!
//! Imported files start with [`MARKER`] and a checksum of what follows.
//! Importing again rewrites a file only when its bytes change, and never
//! one a maintainer edited (the checksum no longer matches) unless forced;
//! fixes to imported facts belong in `overrides.yaml`. An operation that
//! already has a spec of another kind in the folder (a page, a hand-written
//! YAML file) is not imported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::ir::{Body, ErrorCode, Field, Operation, Param, Product, Source, Style};
use crate::spec;
use crate::write::{self, WriteError};

/// First line of every imported spec.
pub const MARKER: &str = "# @imported by aliyun-codegen";

/// What an import run did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Specs written (new or changed).
    pub written: Vec<PathBuf>,
    /// Specs whose bytes were already right.
    pub unchanged: usize,
    /// Imported specs a maintainer edited, left alone (`--force` replaces them).
    pub kept: Vec<PathBuf>,
    /// Pages not imported, with the reason (already specified, read twice).
    pub skipped: Vec<(PathBuf, String)>,
    /// What reading and checking the pages found; pages with errors are not imported.
    pub diagnostics: Vec<Diagnostic>,
}

/// Imports `pages` into the spec folder `out`, in the order given: when
/// two pages name one operation, the first wins (list English pages before
/// their Chinese versions). `style` is the product's, for the check.
pub fn import(pages: &[PathBuf], out: &Path, style: Style, force: bool) -> Result<ImportReport, WriteError> {
    let mut report = ImportReport::default();
    let existing = existing_specs(out, &mut report.diagnostics);
    let outcomes: Vec<_> = pages.par_iter().map(|page| spec::read_operation_file(page)).collect();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for (page, outcome) in pages.iter().zip(outcomes) {
        let failed = outcome.failed();
        report.diagnostics.extend(outcome.diagnostics);
        let Some(op) = outcome.operation.filter(|_| !failed) else {
            report.skipped.push((page.clone(), "the page could not be read (see the diagnostics)".to_string()));
            continue;
        };
        if let Some(first) = seen.get(&op.name) {
            report.skipped.push((page.clone(), format!("{} was already imported from {}", op.name, first.display())));
            continue;
        }
        seen.insert(op.name.clone(), page.clone());
        if let Some(Existing::HandWritten(path)) = existing.get(&op.name) {
            report.skipped.push((page.clone(), format!("{} already has a spec: {}", op.name, path.display())));
            continue;
        }
        let Some(op) = checked(op, style, &mut report.diagnostics) else {
            report.skipped.push((page.clone(), "the check found errors (see the diagnostics)".to_string()));
            continue;
        };
        let source = page.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match render(&facts(op.clone()), &source) {
            Ok(text) => files.push((out.join(format!("{}.yaml", op.name)), text)),
            Err(e) => {
                report.diagnostics.push(Diagnostic::error(Source::new(page, 0), format!("cannot write YAML: {e}")))
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|source| WriteError { path: out.to_path_buf(), source })?;
    for (path, text) in files {
        let edited = std::fs::read_to_string(&path).ok().is_some_and(|current| !untouched(&current));
        if edited && !force {
            report.kept.push(path);
        } else if write::write_if_changed(&path, text.as_bytes())? {
            report.written.push(path);
        } else {
            report.unchanged += 1;
        }
    }
    Ok(report)
}

/// A spec already in the folder, by operation name.
enum Existing {
    /// Written by [`import`] (its file name is the operation's).
    Imported,
    /// A page or a YAML spec written by hand.
    HandWritten(PathBuf),
}

fn existing_specs(out: &Path, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, Existing> {
    let mut found = BTreeMap::new();
    let Ok(files) = spec::operation_files(out) else { return found };
    for file in files {
        let imported = std::fs::read_to_string(&file).is_ok_and(|text| text.starts_with(MARKER));
        if imported {
            if let Some(stem) = file.file_stem().and_then(|s| s.to_str()) {
                found.insert(stem.to_string(), Existing::Imported);
            }
            continue;
        }
        let outcome = spec::read_operation_file(&file);
        match outcome.operation {
            Some(op) => {
                found.insert(op.name, Existing::HandWritten(file));
            }
            None => diagnostics.extend(outcome.diagnostics),
        }
    }
    found
}

/// `op` after the product-wide check (repairs, `one_or_list`), or `None`
/// when the check finds errors.
fn checked(op: Operation, style: Style, diagnostics: &mut Vec<Diagnostic>) -> Option<Operation> {
    let mut product = Product {
        product: String::new(),
        version: String::new(),
        style,
        title: None,
        endpoint: None,
        vpc_endpoint: None,
        endpoint_exceptions: Default::default(),
        common_params: Vec::new(),
        traits: Default::default(),
        operations: vec![op],
    };
    let found = crate::check::check(&mut product);
    let failed = found.iter().any(Diagnostic::is_error);
    diagnostics.extend(found);
    if failed { None } else { product.operations.pop() }
}

/// `op` with every piece of page prose removed: descriptions, messages,
/// samples, and examples written as sentences.
fn facts(mut op: Operation) -> Operation {
    op.summary = None;
    op.description = None;
    op.response_example = None;
    op.sample = None;
    op.params.iter_mut().for_each(param_facts);
    if let Some(body) = &mut op.body {
        body_facts(body);
    }
    op.response.iter_mut().for_each(field_facts);
    op.errors.iter_mut().for_each(error_facts);
    op
}

/// An example is a fact when it is a value: one word, or a short piece of
/// JSON. An example cell written as words ("This is a description
/// example.") is prose, and a long one (a configuration document, key
/// material, a list of rules) is page content more than a value: both are
/// left out. Long means [`EXAMPLE_WORDS`] words (runs of letters and
/// digits) or Chinese characters, or over [`EXAMPLE_CHARS`] characters in
/// all: the measures `tests/imported_prose.rs` holds every imported string
/// to.
fn value_example(example: &mut Option<String>) {
    let Some(text) = example.as_deref().map(str::trim) else { return };
    let sentence = text.contains(char::is_whitespace) && serde_json::from_str::<serde_json::Value>(text).is_err();
    let words = text.split(|c: char| !c.is_alphanumeric() || is_cjk(c)).filter(|w| !w.is_empty()).count();
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    if sentence || words >= EXAMPLE_WORDS || cjk >= EXAMPLE_WORDS || text.chars().count() > EXAMPLE_CHARS {
        *example = None;
    }
}

/// The word (or Chinese character) count from which an example counts as
/// page content.
const EXAMPLE_WORDS: usize = 12;

/// The longest example kept, in characters: enough for any identifier the
/// pages show (a UUID is 36), short of a document.
const EXAMPLE_CHARS: usize = 48;

/// A CJK ideograph (the characters Chinese pages write their prose in).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn param_facts(p: &mut Param) {
    p.description = None;
    value_example(&mut p.example);
    if let Some(items) = &mut p.items {
        field_facts(items);
    }
    p.fields.iter_mut().for_each(field_facts);
}

fn body_facts(b: &mut Body) {
    b.description = None;
    b.fields.iter_mut().for_each(field_facts);
    if let Some(items) = &mut b.items {
        field_facts(items);
    }
}

fn field_facts(f: &mut Field) {
    f.description = None;
    value_example(&mut f.example);
    f.fields.iter_mut().for_each(field_facts);
    for inner in [&mut f.items, &mut f.values].into_iter().flatten() {
        field_facts(inner);
    }
}

fn error_facts(e: &mut ErrorCode) {
    e.message = None;
    e.description = None;
}

/// The spec file: marker, checksum, YAML.
fn render(op: &Operation, source: &str) -> Result<String, serde_yaml::Error> {
    let body = serde_yaml::to_string(op)?;
    Ok(format!(
        "{MARKER} from {source}: the page's facts, none of its prose.\n# checksum {:016x}: edit overrides.yaml instead; an edited file is kept unless imported with --force.\n{body}",
        checksum(&body)
    ))
}

/// Whether an imported file is as import wrote it (its checksum matches).
fn untouched(text: &str) -> bool {
    let mut lines = text.splitn(3, '\n');
    let (Some(marker), Some(sum), Some(body)) = (lines.next(), lines.next(), lines.next()) else { return false };
    let recorded = sum.strip_prefix("# checksum ").and_then(|s| s.get(..16));
    marker.starts_with(MARKER) && recorded == Some(format!("{:016x}", checksum(body)).as_str())
}

/// FNV-1a (64 bits): a stable fingerprint of a file's text, to notice edits.
fn checksum(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# GetThing\n\nGets a thing, in words that are not ours.\n\n## Request syntax\n\n```\nGET /things/[ThingId] HTTPS|HTTP\n```\n\n## Request parameters\n\n|Parameter|Type|Required|Example|Description|\n|---|---|---|---|---|\n|ThingId|String|Yes|t-1|Prose about the thing.|\n\n## Response parameters\n\n|Parameter|Type|Example|Description|\n|---|---|---|---|\n|RequestId|String|r-1|Prose about the id.|\n|Tags|Array of String|a|Prose.|\n\n## Examples\n\n```json\n{\"RequestId\": \"r-1\", \"Tags\": \"solo\"}\n```\n\n## Error codes\n\n|HTTP status code|Error code|Error message|Description|\n|---|---|---|---|\n|404|ThingNotFound|The thing is gone.|Prose.|\n";

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().expect("tmp");
        let page = tmp.path().join("Get a thing.md");
        std::fs::write(&page, PAGE).expect("page");
        let out = tmp.path().join("specs/demo");
        (tmp, page, out)
    }

    #[test]
    fn imports_facts_without_prose_and_is_idempotent() {
        let (_tmp, page, out) = setup();
        let report = import(std::slice::from_ref(&page), &out, Style::Roa, false).expect("import");
        assert_eq!(report.written.len(), 1, "{report:?}");
        let text = std::fs::read_to_string(out.join("GetThing.yaml")).expect("spec");
        assert!(text.starts_with(MARKER), "{text}");
        for prose in ["not ours", "Prose", "The thing is gone", "\"RequestId\": \"r-1\""] {
            assert!(!text.contains(prose), "{prose} copied:\n{text}");
        }
        for fact in ["ThingId", "ThingNotFound", "404", "t-1", "one_or_list: true"] {
            assert!(text.contains(fact), "{fact} missing:\n{text}");
        }
        // The spec reads back as a spec.
        let outcome = spec::read_operation_file(&out.join("GetThing.yaml"));
        assert!(!outcome.failed(), "{:?}", outcome.diagnostics);
        // Again: nothing changes.
        let again = import(std::slice::from_ref(&page), &out, Style::Roa, false).expect("import");
        assert_eq!((again.written.len(), again.unchanged), (0, 1));
    }

    /// A limit stated in prose is a fact: it is kept, the prose is not.
    #[test]
    fn keeps_list_limits() {
        let tmp = tempfile::tempdir().expect("tmp");
        let page = tmp.path().join("TagThings.md");
        let text = "# TagThings\n\n## Request parameters\n\n|Name|Type|Required|Example|Description|\n|---|---|---|---|---|\n|Action|String|Yes|TagThings|The operation.|\n|Tag.N.Key|String|No|env|Key of tag N. Valid values of N: 1 to 20.|\n\n## Response parameters\n\n|Name|Type|Example|Description|\n|---|---|---|---|\n|RequestId|String|r-1|The request.|\n";
        std::fs::write(&page, text).expect("page");
        let out = tmp.path().join("specs/demo");
        import(std::slice::from_ref(&page), &out, Style::Rpc, false).expect("import");
        let spec = std::fs::read_to_string(out.join("TagThings.yaml")).expect("spec");
        assert!(spec.contains("max_items: 20") && !spec.contains("Valid values"), "{spec}");
        let op = spec::read_operation_file(&out.join("TagThings.yaml")).operation.expect("reads back");
        assert_eq!(op.params.iter().find(|p| p.name == "Tag").and_then(|p| p.max_items), Some(20));
    }

    #[test]
    fn keeps_hand_edits_unless_forced_and_skips_hand_written_specs() {
        let (tmp, page, out) = setup();
        import(std::slice::from_ref(&page), &out, Style::Roa, false).expect("import");
        let spec = out.join("GetThing.yaml");
        let edited = std::fs::read_to_string(&spec).expect("spec").replace("t-1", "t-2");
        std::fs::write(&spec, &edited).expect("edit");
        let report = import(std::slice::from_ref(&page), &out, Style::Roa, false).expect("import");
        assert_eq!(report.kept, vec![spec.clone()]);
        assert_eq!(std::fs::read_to_string(&spec).expect("spec"), edited);
        let forced = import(std::slice::from_ref(&page), &out, Style::Roa, true).expect("import");
        assert_eq!(forced.written, vec![spec.clone()]);

        // A page already in the folder is a hand-written spec of that name.
        let other = tmp.path().join("specs/other");
        std::fs::create_dir_all(&other).expect("dir");
        std::fs::write(other.join("GetThing.md"), PAGE).expect("page");
        let report = import(std::slice::from_ref(&page), &other, Style::Roa, false).expect("import");
        assert!(report.written.is_empty() && report.skipped.len() == 1, "{report:?}");
        assert!(!other.join("GetThing.yaml").exists());
    }
}
