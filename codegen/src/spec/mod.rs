//! Front ends: turn spec files (Markdown pages, YAML specs) into IR.
//!
//! Front ends know syntax and never name a Rust type. Each reader returns the
//! operation it could build plus every diagnostic it found; an operation with
//! only warnings is *degraded* but still generated.

pub mod markdown;
pub mod overrides;
pub(crate) mod sample;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{Operation, Product, Source, Style};

/// File name of the product description inside `specs/<product>/`.
pub const PRODUCT_FILE: &str = "product.yaml";

/// What reading one operation file produced.
#[derive(Debug, Clone, Default)]
pub struct PageOutcome {
    /// The operation, unless an error made it unusable.
    pub operation: Option<Operation>,
    /// Everything found along the way, warnings and errors.
    pub diagnostics: Vec<Diagnostic>,
}

impl PageOutcome {
    /// Whether the page failed (no operation, or any error diagnostic).
    pub fn failed(&self) -> bool {
        self.operation.is_none() || self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Whether `path` looks like an operation spec this crate can read.
pub fn is_operation_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name == PRODUCT_FILE || name.starts_with('.') || name.starts_with("overrides") {
        return false;
    }
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "yaml" | "yml"))
}

/// Reads one operation file, dispatching on its extension.
pub fn read_operation_file(path: &Path) -> PageOutcome {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            return PageOutcome {
                operation: None,
                diagnostics: vec![Diagnostic::error(Source::new(path, 0), format!("cannot read: {e}"))],
            };
        }
    };
    read_operation_text(path, &text)
}

/// Reads one operation from text already in memory; `path` names it in
/// diagnostics and picks the syntax.
pub fn read_operation_text(path: &Path, text: &str) -> PageOutcome {
    let mut outcome = match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => {
            let mut outcome = yaml::read_operation(path, text);
            // A YAML spec's sample is read here, as the Markdown reader
            // reads a page's.
            if let Some(op) = &mut outcome.operation {
                op.sample = op.response_example.as_deref().and_then(sample::read);
            }
            outcome
        }
        _ => markdown::read_page(path, text),
    };
    // A page that yields nothing must say why, or a generation run would
    // silently drop its operation (and delete its file as an orphan).
    if outcome.operation.is_none() && !outcome.diagnostics.iter().any(Diagnostic::is_error) {
        outcome.diagnostics.push(Diagnostic::error(Source::new(path, 0), "no operation could be read from this file"));
    }
    outcome
}

/// Lists the operation files of a folder, sorted by path so the result never
/// depends on directory order.
pub fn operation_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(Source::new(dir, 0), format!("cannot list folder: {e}")))?;
    let mut files: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file() && is_operation_file(p)).collect();
    files.sort();
    Ok(files)
}

/// Errors for pages of one folder that name the same operation (ignoring
/// case, as the wire does not): each names both files, so a copied page or
/// a name read wrongly never silently replaces another operation.
pub fn duplicate_names(named: &[(PathBuf, String)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, (file, name)) in named.iter().enumerate() {
        if let Some((first, _)) = named.iter().take(i).find(|(_, n)| n.eq_ignore_ascii_case(name)) {
            out.push(Diagnostic::error(
                Source::new(file, 0),
                format!("operation {name} is also read from {}; two pages name one operation", first.display()),
            ));
        }
    }
    out
}

/// Adds the product's common parameters to every operation that does not
/// name them itself (a page's own row wins, any case).
pub fn add_common_params(product: &mut Product) {
    for op in &mut product.operations {
        for common in &product.common_params {
            if !op.params.iter().any(|p| p.name.eq_ignore_ascii_case(&common.name)) {
                op.params.push(common.clone());
            }
        }
    }
}

/// A product folder read in full.
#[derive(Debug, Clone)]
pub struct ProductOutcome {
    /// The product with every operation that could be read, sorted by name.
    pub product: Product,
    /// Per-file outcomes' diagnostics, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The operation files read, sorted.
    pub files: Vec<PathBuf>,
}

/// Reads `dir/product.yaml` (or, when absent, a product named after the
/// folder) and every operation file in `dir`, then applies
/// `dir/overrides.yaml` (see [`overrides`]). Fails only when the folder or
/// the product file cannot be read; page problems and overrides that do not
/// apply are diagnostics.
pub fn read_product_dir(dir: &Path) -> Result<ProductOutcome, Diagnostics> {
    let product_file = dir.join(PRODUCT_FILE);
    let mut product = if product_file.is_file() {
        let text = std::fs::read_to_string(&product_file).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(Source::new(&product_file, 0), format!("cannot read: {e}"))])
        })?;
        yaml::read_product(&product_file, &text).map_err(|d| Diagnostics(vec![d]))?
    } else {
        Product {
            product: dir.file_name().and_then(|n| n.to_str()).unwrap_or("product").to_string(),
            version: String::new(),
            style: Style::Roa,
            title: None,
            endpoint: None,
            vpc_endpoint: None,
            endpoint_exceptions: Default::default(),
            common_params: Vec::new(),
            traits: Default::default(),
            operations: Vec::new(),
        }
    };
    let files = operation_files(dir).map_err(|d| Diagnostics(vec![d]))?;
    // Pages are independent: read them in parallel, then gather in file
    // order so operations and diagnostics never depend on the thread count.
    let outcomes: Vec<_> = files.par_iter().map(|file| read_operation_file(file)).collect();
    let mut diagnostics = Vec::new();
    let mut named = Vec::new();
    for (file, outcome) in files.iter().zip(outcomes) {
        diagnostics.extend(outcome.diagnostics);
        if let Some(op) = outcome.operation {
            named.push((file.clone(), op.name.clone()));
            product.operations.push(op);
        }
    }
    diagnostics.extend(duplicate_names(&named));
    add_common_params(&mut product);
    match overrides::read_dir(dir) {
        Ok(Some(patches)) => diagnostics.extend(overrides::apply(&mut product, &patches)),
        Ok(None) => {}
        Err(errors) => diagnostics.extend(errors),
    }
    product.operations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ProductOutcome { product, diagnostics, files })
}
