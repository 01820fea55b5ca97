//! YAML front end: our own spec format, the IR's serde serialization.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::ir::{Operation, Product, Source};
use crate::spec::PageOutcome;

/// Reads one operation from a YAML spec.
pub fn read_operation(path: &Path, text: &str) -> PageOutcome {
    match serde_yaml::from_str::<Operation>(text) {
        Ok(mut op) => {
            op.source = Source::new(path, 1);
            PageOutcome { operation: Some(op), diagnostics: Vec::new() }
        }
        Err(e) => PageOutcome { operation: None, diagnostics: vec![yaml_error(path, &e)] },
    }
}

/// Reads a product file (`product.yaml`): the product keys, no operations.
pub fn read_product(path: &Path, text: &str) -> Result<Product, Diagnostic> {
    serde_yaml::from_str::<Product>(text).map_err(|e| yaml_error(path, &e))
}

fn yaml_error(path: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let line = e.location().map_or(0, |l| l.line() as u32);
    Diagnostic::error(Source::new(path, line), e.to_string())
}
