//! aliyun-codegen: Alibaba Cloud API reference pages in, typed Rust client out.
//!
//! The pipeline runs in one direction (see `ARCHITECTURE.md`):
//!
//! `spec` (Markdown, YAML) → [`ir`] → `check` → `emit` (syn items) →
//! `render` (prettyplease, once per file) → `write` (write-if-changed, orphans).
//!
//! Most users need only [`Config`], from a `build.rs`:
//!
//! ```no_run
//! // in build.rs, inside `fn main()`:
//! aliyun_codegen::Config::new()
//!     .specs("specs")
//!     .compile()
//!     .expect("aliyun-codegen failed");
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/aliyun_sdk.rs"));`.

pub mod config;
pub mod diag;
pub mod ir;

mod check;
mod corpus;
mod emit;
mod import;
mod names;
mod openapi;
mod render;
mod spec;
pub mod traits;
mod write;

pub use config::{Config, Error, Loaded, Report, compile};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use write::{Mode, SyncReport, WriteError};

/// Not API: the pipeline's stages, one module each, for this crate's CLI,
/// benches, fuzz targets and tests that drive a single stage. Anything here
/// may change in any release; build.rs users need only [`Config`].
#[doc(hidden)]
pub mod stages {
    /// Cross-item rules and repairs.
    pub mod check {
        pub use crate::check::*;
    }
    /// Per-page status of a folder of pages.
    pub mod corpus {
        pub use crate::corpus::*;
    }
    /// Pages to YAML specs of their facts.
    pub mod import {
        pub use crate::import::*;
    }
    /// IR to syn items.
    pub mod emit {
        pub use crate::emit::*;
    }
    /// Identifiers.
    pub mod names {
        pub use crate::names::*;
    }
    /// The OpenAPI export.
    pub mod openapi {
        pub use crate::openapi::*;
    }
    /// syn items to formatted files.
    pub mod render {
        pub use crate::render::*;
    }
    /// Front ends: pages and YAML specs to IR.
    pub mod spec {
        pub use crate::spec::*;
    }
    /// Writing files, check mode, orphans.
    pub mod write {
        pub use crate::write::*;
    }
}
