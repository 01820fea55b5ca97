//! Corpus runs: read every page of a folder and report ok / degraded / failed.
//!
//! Used by `aliyun-codegen corpus DIR` and by the corpus test. The report
//! prints one line per page and a totals line.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::spec;

/// How one page fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStatus {
    /// Read with no diagnostic.
    Ok,
    /// Read, with warnings: the output is degraded but valid.
    Degraded(Vec<Diagnostic>),
    /// Not usable: an error, or no operation.
    Failed(Vec<Diagnostic>),
}

impl PageStatus {
    /// `ok`, `degraded` or `failed`.
    pub fn label(&self) -> &'static str {
        match self {
            PageStatus::Ok => "ok",
            PageStatus::Degraded(_) => "degraded",
            PageStatus::Failed(_) => "failed",
        }
    }

    /// The diagnostics behind the status (empty when ok).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            PageStatus::Ok => &[],
            PageStatus::Degraded(d) | PageStatus::Failed(d) => d,
        }
    }
}

/// One page of a corpus run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageReport {
    /// The page file.
    pub path: PathBuf,
    /// The operation name read, if any.
    pub operation: Option<String>,
    /// Its status.
    pub status: PageStatus,
}

/// The result of reading every page of a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusReport {
    /// The folder read.
    pub dir: PathBuf,
    /// One entry per page, in path order.
    pub pages: Vec<PageReport>,
    /// A problem with the folder itself (it cannot be listed).
    pub folder_error: Option<Diagnostic>,
}

impl CorpusReport {
    /// Pages read with no diagnostic.
    pub fn ok(&self) -> usize {
        self.pages.iter().filter(|p| p.status == PageStatus::Ok).count()
    }

    /// Pages read with warnings.
    pub fn degraded(&self) -> usize {
        self.pages.iter().filter(|p| matches!(p.status, PageStatus::Degraded(_))).count()
    }

    /// Pages that failed.
    pub fn failed(&self) -> usize {
        self.pages.iter().filter(|p| matches!(p.status, PageStatus::Failed(_))).count()
    }

    /// Number of pages.
    pub fn total(&self) -> usize {
        self.pages.len()
    }

    /// Every diagnostic reason with the number of pages it appears on,
    /// most frequent first: a reason is the message with its specifics
    /// (quoted text, bracketed names, identifiers) left out.
    pub fn reasons(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for page in &self.pages {
            let mut seen = std::collections::BTreeSet::new();
            for d in page.status.diagnostics() {
                let kind = if d.is_error() { "error" } else { "warning" };
                seen.insert(format!("{kind}: {}", reason(&d.message)));
            }
            for r in seen {
                *counts.entry(r).or_default() += 1;
            }
        }
        let mut out: Vec<(String, usize)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Whether any page failed or the folder could not be read.
    pub fn has_failures(&self) -> bool {
        self.folder_error.is_some() || self.failed() > 0
    }
}

impl fmt::Display for CorpusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.folder_error {
            writeln!(f, "{e}")?;
        }
        for page in &self.pages {
            let name = page.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let diags = page.status.diagnostics();
            if diags.is_empty() {
                writeln!(f, "{:<8} {name}", page.status.label())?;
            } else {
                let first = diags.first().map(|d| d.to_string()).unwrap_or_default();
                let more = if diags.len() > 1 { format!(" (+{} more)", diags.len() - 1) } else { String::new() };
                writeln!(f, "{:<8} {name}: {first}{more}", page.status.label())?;
            }
        }
        for (reason, count) in self.reasons() {
            writeln!(f, "reason {count:>4} × {reason}")?;
        }
        write!(f, "total {}: {} ok, {} degraded, {} failed", self.total(), self.ok(), self.degraded(), self.failed())
    }
}

/// A message without its specifics: quoted or bracketed text, and words
/// with an upper-case letter or digit after the first character (names,
/// files), become `…`.
fn reason(message: &str) -> String {
    let mut out = Vec::new();
    let mut quoted = false;
    for word in message.split_whitespace() {
        let opens = word.starts_with(['"', '`', '[', '(']);
        let closes = word.ends_with(['"', '`', ']', ')', ',', ';', ':']) || word.ends_with("\";");
        let specific = quoted
            || opens
            || word.chars().skip(1).any(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '/' || c == '.');
        if opens && !(closes && word.len() > 1) {
            quoted = true;
        } else if quoted && closes {
            quoted = false;
        }
        if specific {
            if out.last() != Some(&"…") {
                out.push("…");
            }
        } else {
            out.push(word);
        }
    }
    out.join(" ")
}

/// Reads every operation page of `dir`, calling `progress(done, total, page)`
/// before each page.
pub fn run(dir: &Path, progress: &mut dyn FnMut(usize, usize, &Path)) -> CorpusReport {
    let mut report = CorpusReport { dir: dir.to_path_buf(), ..CorpusReport::default() };
    let files = match spec::operation_files(dir) {
        Ok(files) => files,
        Err(e) => {
            report.folder_error = Some(e);
            return report;
        }
    };
    let total = files.len();
    for (i, file) in files.iter().enumerate() {
        progress(i, total, file);
        let outcome = spec::read_operation_file(file);
        let failed = outcome.failed();
        let status = if failed {
            PageStatus::Failed(outcome.diagnostics)
        } else if outcome.diagnostics.is_empty() {
            PageStatus::Ok
        } else {
            PageStatus::Degraded(outcome.diagnostics)
        };
        report.pages.push(PageReport { path: file.clone(), operation: outcome.operation.map(|o| o.name), status });
    }
    // Two pages naming one operation: both fail, each naming the other.
    let named: Vec<(PathBuf, String)> =
        report.pages.iter().filter_map(|p| p.operation.clone().map(|n| (p.path.clone(), n))).collect();
    for d in spec::duplicate_names(&named) {
        let Some(page) = report.pages.iter_mut().find(|p| p.path == d.source.file) else { continue };
        let mut diags = page.status.diagnostics().to_vec();
        diags.push(d);
        page.status = PageStatus::Failed(diags);
    }
    report
}
