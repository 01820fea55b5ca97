//! Writing generated files: only files whose bytes changed, each replaced
//! atomically, orphans removed; or, in check mode, nothing written and every
//! difference reported.
//!
//! Everything is rendered in memory before this module runs, so a failed
//! generation never touches the output folder.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::render::GENERATED_MARKER;

/// What a sync did (or, in check mode, would do), paths relative to the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Files that did not exist.
    pub created: Vec<PathBuf>,
    /// Files whose bytes differed.
    pub updated: Vec<PathBuf>,
    /// Generated files no longer produced.
    pub orphans: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl SyncReport {
    /// Whether the output already matched.
    pub fn is_fresh(&self) -> bool {
        self.created.is_empty() && self.updated.is_empty() && self.orphans.is_empty()
    }
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.created {
            writeln!(f, "missing: {}", p.display())?;
        }
        for p in &self.updated {
            writeln!(f, "stale:   {}", p.display())?;
        }
        for p in &self.orphans {
            writeln!(f, "orphan:  {}", p.display())?;
        }
        write!(
            f,
            "{} missing, {} stale, {} orphan, {} up to date",
            self.created.len(),
            self.updated.len(),
            self.orphans.len(),
            self.unchanged
        )
    }
}

/// Whether to change the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files, delete orphans.
    Write,
    /// Only report.
    Check,
}

/// An I/O failure on one path.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    /// The path that failed.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError { path: path.to_path_buf(), source }
}

/// Makes `root` hold exactly `files` among generated files. Orphans are
/// searched in the folders that `files` occupy, plus `extra_dirs`, and are
/// only files whose first line carries [`GENERATED_MARKER`], so hand-written
/// files next to generated ones are never touched.
pub fn sync(
    root: &Path,
    files: &BTreeMap<PathBuf, String>,
    extra_dirs: &[PathBuf],
    mode: Mode,
) -> Result<SyncReport, WriteError> {
    let mut report = SyncReport::default();
    for (rel, text) in files {
        let path = root.join(rel);
        match std::fs::read(&path) {
            Ok(existing) if existing == text.as_bytes() => report.unchanged += 1,
            Ok(_) => report.updated.push(rel.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.created.push(rel.clone()),
            Err(e) => return Err(io_err(&path)(e)),
        }
    }
    let mut dirs: Vec<PathBuf> = files.keys().filter_map(|p| p.parent().map(Path::to_path_buf)).collect();
    dirs.extend(extra_dirs.iter().cloned());
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        collect_orphans(root, dir, files, &mut report.orphans)?;
    }
    report.orphans.sort();
    report.orphans.dedup();

    if mode == Mode::Write {
        for rel in report.created.iter().chain(&report.updated) {
            if let Some(text) = files.get(rel) {
                write_atomic(&root.join(rel), text.as_bytes())?;
            }
        }
        for rel in &report.orphans {
            let path = root.join(rel);
            std::fs::remove_file(&path).map_err(io_err(&path))?;
        }
    }
    Ok(report)
}

/// Generated `.rs` files under `root/dir` (recursively) not in `files`.
fn collect_orphans(
    root: &Path,
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    out: &mut Vec<PathBuf>,
) -> Result<(), WriteError> {
    let abs = root.join(dir);
    let entries = match std::fs::read_dir(&abs) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(&abs)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io_err(&abs))?;
        let rel = dir.join(entry.file_name());
        let path = entry.path();
        if path.is_dir() {
            collect_orphans(root, &rel, files, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") && !files.contains_key(&rel) && is_generated(&path) {
            out.push(rel);
        }
    }
    Ok(())
}

fn is_generated(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .map(|text| text.lines().next().is_some_and(|l| l.contains(GENERATED_MARKER)))
        .unwrap_or(false)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`, so a reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(path)(e));
    }
    Ok(())
}

/// Writes `bytes` to `path` only when they differ from what is there;
/// returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    if std::fs::read(path).is_ok_and(|existing| existing == bytes) {
        return Ok(false);
    }
    write_atomic(path, bytes)?;
    Ok(true)
}
