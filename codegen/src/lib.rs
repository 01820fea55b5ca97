//! aliyun-codegen: Alibaba Cloud API reference pages in, typed Rust client out.
//!
//! The pipeline runs in one direction (see `ARCHITECTURE.md`):
//!
//! `spec` (Markdown, YAML) → [`ir`] → [`check`] → `emit` (`TokenStream`s) →
//! `render` (prettyplease) → `write` (write-if-changed, orphans).
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

pub mod check;
pub mod config;
pub mod corpus;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod names;
pub mod openapi;
pub mod render;
pub mod spec;
pub mod write;

pub use config::Config;
pub use diag::{Diagnostic, Diagnostics, Severity};
