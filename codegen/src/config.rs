//! The library entry point: a builder in the shape of `prost_build::Config`,
//! used from `build.rs` and by the maintainer CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::emit::EmitOptions;
use crate::ir::{Product, Source};
use crate::write::{self, Mode, SyncReport, WriteError};
use crate::{check, render, spec};

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The specs have errors (all of them listed, `file:line: message`).
    #[error("{0}")]
    Specs(Diagnostics),
    /// A file could not be read or written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// `OUT_DIR` is not set and no output folder was given.
    #[error("no output folder: OUT_DIR is not set (not in a build script?) and Config::out_dir was not called")]
    NoOutDir,
}

/// What a successful run read and produced.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Products generated, with their operations.
    pub products: Vec<Product>,
    /// Warnings: operations that were generated in a degraded form.
    pub warnings: Vec<Diagnostic>,
    /// Every input file and folder read (for `cargo:rerun-if-changed`).
    pub inputs: Vec<PathBuf>,
    /// Files written, left alone or removed.
    pub sync: SyncReport,
}

/// Products read and checked, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The products, operations sorted by name.
    pub products: Vec<Product>,
    /// Warnings (degraded operations); errors make loading fail instead.
    pub warnings: Vec<Diagnostic>,
    /// Every file and folder read.
    pub inputs: Vec<PathBuf>,
}

/// Builder for a generation run.
///
/// ```no_run
/// // build.rs of a crate that depends on aliyun-runtime and serde/serde_json:
/// aliyun_codegen::Config::new()
///     .specs("specs")
///     .only(["ResumeLogstashTask"])
///     .compile()
///     .expect("aliyun-codegen failed");
/// // then in src/lib.rs: include!(concat!(env!("OUT_DIR"), "/aliyun_sdk.rs"));
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    specs: PathBuf,
    out_dir: Option<PathBuf>,
    only: Option<BTreeSet<String>>,
    products: Option<BTreeSet<String>>,
    crate_path: Option<Option<String>>,
    cargo_directives: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

/// One call for the common case: generate every product of `specs` into
/// `OUT_DIR/aliyun_sdk.rs`.
pub fn compile(specs: impl AsRef<Path>) -> Result<Report, Error> {
    Config::new().specs(specs.as_ref()).compile()
}

impl Config {
    /// Defaults: specs from `specs/`, output to `OUT_DIR`, every operation.
    pub fn new() -> Self {
        Config {
            specs: PathBuf::from("specs"),
            out_dir: None,
            only: None,
            products: None,
            crate_path: None,
            cargo_directives: true,
        }
    }

    /// The folder holding one sub-folder per product.
    pub fn specs(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.specs = dir.into();
        self
    }

    /// Where [`Config::compile`] writes `aliyun_sdk.rs` (default `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generate only these operations (wire names), to cut compile time.
    pub fn only<I, S>(&mut self, operations: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.only = Some(operations.into_iter().map(Into::into).collect());
        self
    }

    /// Generate only these products (codes such as `elasticsearch`).
    pub fn products<I, S>(&mut self, products: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.products = Some(products.into_iter().map(Into::into).collect());
        self
    }

    /// Crate path used by doc examples (`crate` or your crate's name); by
    /// default [`Config::compile`] marks examples `ignore`.
    pub fn doc_example_crate(&mut self, path: impl Into<String>) -> &mut Self {
        self.crate_path = Some(Some(path.into()));
        self
    }

    /// Whether [`Config::compile`] prints `cargo:` directives (default yes).
    pub fn cargo_directives(&mut self, on: bool) -> &mut Self {
        self.cargo_directives = on;
        self
    }

    /// Reads and checks every product; fails with all errors at once.
    pub fn load(&self) -> Result<Loaded, Error> {
        load_products(&self.specs, self.products.as_ref(), self.only.as_ref())
    }

    /// For `build.rs`: generates `aliyun_sdk.rs` into `OUT_DIR` (or
    /// [`Config::out_dir`]), writing it only when its bytes change, and tells
    /// cargo to rerun only when a spec changes.
    pub fn compile(&self) -> Result<Report, Error> {
        let Loaded { products, warnings, inputs } = match self.load() {
            Ok(loaded) => loaded,
            Err(e) => {
                // Even on failure cargo must watch the inputs, or fixing the
                // spec would not rerun the build script.
                if self.cargo_directives {
                    println!("cargo:rerun-if-changed={}", self.specs.display());
                }
                return Err(e);
            }
        };
        let out = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or(Error::NoOutDir)?,
        };
        let options = EmitOptions { crate_path: self.crate_path.clone().unwrap_or(None), sample_tests: false };
        let text =
            render::single_file(&products, &options, self.specs.parent()).map_err(|d| Error::Specs(Diagnostics(d)))?;
        let path = out.join("aliyun_sdk.rs");
        let written = write::write_if_changed(&path, text.as_bytes())?;
        if self.cargo_directives {
            for input in &inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for w in &warnings {
                println!("cargo:warning={w}");
            }
        }
        let mut sync = SyncReport::default();
        if written {
            sync.updated.push(PathBuf::from("aliyun_sdk.rs"));
        } else {
            sync.unchanged = 1;
        }
        Ok(Report { products, warnings, inputs, sync })
    }

    /// The checked-in crate's files, rendered in memory (paths relative to
    /// the crate root).
    pub fn crate_files(&self) -> Result<(BTreeMap<PathBuf, String>, Report), Error> {
        let Loaded { products, warnings, inputs } = self.load()?;
        let options = EmitOptions {
            crate_path: self.crate_path.clone().unwrap_or(Some("aliyun_sdk".to_string())),
            sample_tests: true,
        };
        let mut files =
            render::crate_files(&products, &options, self.specs.parent()).map_err(|d| Error::Specs(Diagnostics(d)))?;
        files.insert(PathBuf::from("Cargo.toml"), cargo_toml(&products));
        Ok((files, Report { products, warnings, inputs, sync: SyncReport::default() }))
    }

    /// Regenerates (or, with [`Mode::Check`], compares) the checked-in crate
    /// at `crate_dir`. Rendering happens fully in memory first: an error
    /// leaves the folder as it was.
    pub fn sync_crate(&self, crate_dir: &Path, mode: Mode) -> Result<Report, Error> {
        let (files, mut report) = self.crate_files()?;
        // Product folders that vanished from specs/ still hold orphans.
        let extra = [PathBuf::from("src")];
        report.sync = write::sync(crate_dir, &files, &extra, mode)?;
        Ok(report)
    }
}

/// `Cargo.toml` of the generated crate: a feature per product.
fn cargo_toml(products: &[Product]) -> String {
    let mut features = String::new();
    let all: Vec<String> = products.iter().map(|p| format!("\"{}\"", p.product)).collect();
    features.push_str(&format!("default = [{}]\n", all.join(", ")));
    features.push_str("blocking = [\"aliyun-runtime/blocking\"]\n");
    for p in products {
        features.push_str(&format!("{} = []\n", p.product));
    }
    format!(
        "# {marker} by aliyun-codegen from the specs folder.\n# Do not edit: change the spec and run `cargo codegen generate`.\n\n\
[package]\nname = \"aliyun-sdk\"\ndescription = \"Typed Alibaba Cloud clients generated by aliyun-codegen from the API reference pages.\"\n\
edition.workspace = true\nversion.workspace = true\nlicense.workspace = true\nrust-version.workspace = true\n\n\
[features]\n{features}\n\
[dependencies]\naliyun-runtime.workspace = true\nserde.workspace = true\nserde_json.workspace = true\n\n\
[dev-dependencies]\ntokio = {{ workspace = true, features = [\"rt\", \"macros\"] }}\n\n\
[lints.rust]\nmissing_docs = \"deny\"\nunsafe_code = \"forbid\"\n",
        marker = render::GENERATED_MARKER
    )
}

/// Reads every product folder under `specs` (those with a product file),
/// filters, checks; returns products, warnings and the inputs read.
fn load_products(
    specs: &Path,
    products_filter: Option<&BTreeSet<String>>,
    only: Option<&BTreeSet<String>>,
) -> Result<Loaded, Error> {
    let entries = std::fs::read_dir(specs).map_err(|e| {
        Error::Specs(Diagnostics(vec![Diagnostic::error(
            Source::new(specs, 0),
            format!("cannot read specs folder: {e}"),
        )]))
    })?;
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join(spec::PRODUCT_FILE).is_file()).collect();
    dirs.sort();
    let mut inputs = vec![specs.to_path_buf()];
    let mut products = Vec::new();
    let mut diags = Vec::new();
    for dir in dirs {
        inputs.push(dir.clone());
        inputs.push(dir.join(spec::PRODUCT_FILE));
        let overrides = dir.join(spec::overrides::OVERRIDES_FILE);
        if overrides.is_file() {
            inputs.push(overrides);
        }
        let outcome = spec::read_product_dir(&dir).map_err(Error::Specs)?;
        inputs.extend(outcome.files);
        let mut product = outcome.product;
        diags.extend(outcome.diagnostics);
        if products_filter.is_some_and(|f| !f.contains(&product.product)) {
            continue;
        }
        if let Some(only) = only {
            product.operations.retain(|op| only.contains(&op.name));
        }
        diags.extend(check::check(&mut product));
        products.push(product);
    }
    if let Some(only) = only {
        for name in only {
            if !products.iter().any(|p| p.operations.iter().any(|op| &op.name == name)) {
                diags.push(Diagnostic::error(
                    Source::new(specs, 0),
                    format!("operation {name} (asked for with `only`) is not in the specs"),
                ));
            }
        }
    }
    let (mut errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok(Loaded { products, warnings, inputs })
    } else {
        errors.sort();
        Err(Error::Specs(Diagnostics(errors)))
    }
}
