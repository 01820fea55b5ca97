//! Diagnostics: every problem found in a spec, with the `file:line` it came from.
//!
//! Readers collect diagnostics instead of stopping at the first problem, so a
//! maintainer sees everything wrong with a page in one run.

use std::fmt;

use crate::ir::Source;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The item was understood only partly; output is degraded but valid.
    Warning,
    /// The item cannot be generated.
    Error,
}

/// One problem in one input, with its location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Where the problem is.
    pub source: Source,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
}

impl Diagnostic {
    /// A problem that stops the item from being generated.
    pub fn error(source: Source, message: impl Into<String>) -> Self {
        Diagnostic { source, severity: Severity::Error, message: message.into() }
    }

    /// A problem that degrades the item but leaves it usable.
    pub fn warning(source: Source, message: impl Into<String>) -> Self {
        Diagnostic { source, severity: Severity::Warning, message: message.into() }
    }

    /// Whether this diagnostic stops generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {level}: {}", self.source, self.message)
    }
}

/// A failed run: all the diagnostics that made it fail (errors first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
