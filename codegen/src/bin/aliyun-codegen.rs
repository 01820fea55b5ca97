//! The maintainer CLI (`cargo codegen ...`): generate, check, dump, corpus, import.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aliyun_codegen::Config;
use aliyun_codegen::ir::{Operation, Product};
use aliyun_codegen::stages::write::Mode;
use aliyun_codegen::stages::{corpus, import, spec};
use clap::{Parser, Subcommand};

// Emitting and formatting allocate many small, short-lived values; mimalloc
// takes a quarter off a whole run compared with glibc's malloc. Only the
// CLI binary uses it: build.rs users keep their own allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "aliyun-codegen", version, about = "Alibaba Cloud API reference pages in, typed Rust client out")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the checked-in crate: write changed files, delete orphans.
    Generate {
        /// Folder with one sub-folder per product.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Root of the generated crate.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Exit 1 and list stale, missing and orphan files; exit 0 when fresh.
    Check {
        /// Folder with one sub-folder per product.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Root of the generated crate.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Print the IR of pages or folders.
    Dump {
        /// JSON output (the default).
        #[arg(long, conflicts_with = "yaml")]
        json: bool,
        /// YAML output: a valid input spec.
        #[arg(long)]
        yaml: bool,
        /// OpenAPI 3.0 (JSON) of one product folder instead of the IR.
        #[arg(long, conflicts_with_all = ["json", "yaml"])]
        openapi: bool,
        /// Pages (.md/.yaml) or product folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Read every page of a folder; print per-page status and totals.
    Corpus {
        /// Folder of pages.
        dir: PathBuf,
    },
    /// Write one YAML spec per page with the page's facts and none of its
    /// prose. Pages naming one operation: the first listed wins.
    Import {
        /// Pages (.md) or folders of pages, in order of preference.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// The product's spec folder (`specs/<product>`); its `product.yaml`
        /// gives the style.
        #[arg(long)]
        out: PathBuf,
        /// Replace imported specs that were edited by hand.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate { specs, out } => sync(&specs, &out, Mode::Write),
        Command::Check { specs, out } => sync(&specs, &out, Mode::Check),
        Command::Dump { openapi: true, paths, .. } => dump_openapi(&paths),
        Command::Dump { yaml, paths, .. } => dump(&paths, yaml),
        Command::Corpus { dir } => run_corpus(&dir),
        Command::Import { pages, out, force } => run_import(&pages, &out, force),
    }
}

fn run_import(paths: &[PathBuf], out: &Path, force: bool) -> ExitCode {
    let mut pages = Vec::new();
    for path in paths {
        if path.is_dir() {
            match spec::operation_files(path) {
                Ok(files) => pages.extend(files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "md"))),
                Err(d) => {
                    eprintln!("{d}");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            pages.push(path.clone());
        }
    }
    // The style decides how the check treats the pages; it comes from the
    // product file when there is one.
    let style = std::fs::read_to_string(out.join(spec::PRODUCT_FILE))
        .ok()
        .and_then(|text| spec::yaml::read_product(&out.join(spec::PRODUCT_FILE), &text).ok())
        .map_or(aliyun_codegen::ir::Style::Roa, |p| p.style);
    eprintln!("importing {} pages into {}", pages.len(), out.display());
    match import::import(&pages, out, style, force) {
        Ok(report) => {
            for d in &report.diagnostics {
                eprintln!("{d}");
            }
            for (page, why) in &report.skipped {
                eprintln!("{}: skipped: {why}", page.display());
            }
            for path in &report.kept {
                eprintln!("{}: edited by hand, kept (use --force to replace)", path.display());
            }
            eprintln!(
                "{} written, {} unchanged, {} kept, {} skipped",
                report.written.len(),
                report.unchanged,
                report.kept.len(),
                report.skipped.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn sync(specs: &Path, out: &Path, mode: Mode) -> ExitCode {
    match Config::new().specs(specs).sync_crate(out, mode) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{w}");
            }
            let ops: usize = report.products.iter().map(|p| p.operations.len()).sum();
            match mode {
                Mode::Write => {
                    let s = &report.sync;
                    eprintln!(
                        "{} products, {ops} operations: {} written, {} removed, {} unchanged",
                        report.products.len(),
                        s.created.len() + s.updated.len(),
                        s.orphans.len(),
                        s.unchanged
                    );
                    ExitCode::SUCCESS
                }
                Mode::Check if report.sync.is_fresh() => {
                    eprintln!("{} is fresh ({} files)", out.display(), report.sync.unchanged);
                    ExitCode::SUCCESS
                }
                Mode::Check => {
                    println!("{}", report.sync);
                    eprintln!("{} is stale: run `cargo codegen generate`", out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// One dumped item, serialized in its own field order.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Dumped {
    Product(Box<Product>),
    Operation(Box<Operation>),
}

fn dump(paths: &[PathBuf], yaml: bool) -> ExitCode {
    let mut values = Vec::new();
    let mut failed = false;
    for path in paths {
        if path.is_dir() {
            match spec::read_product_dir(path) {
                Ok(outcome) => {
                    for d in &outcome.diagnostics {
                        eprintln!("{d}");
                    }
                    failed |= outcome.diagnostics.iter().any(|d| d.is_error());
                    values.push(Dumped::Product(Box::new(outcome.product)));
                }
                Err(e) => {
                    eprintln!("{e}");
                    failed = true;
                }
            }
        } else {
            let outcome = spec::read_operation_file(path);
            for d in &outcome.diagnostics {
                eprintln!("{d}");
            }
            failed |= outcome.failed();
            if let Some(op) = outcome.operation {
                values.push(Dumped::Operation(Box::new(op)));
            }
        }
    }
    let text = if values.len() == 1 { serialize(&values[0], yaml) } else { serialize(&values, yaml) };
    match text {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(text.as_bytes()).is_err() {
                return ExitCode::FAILURE;
            }
        }
        Err(e) => {
            eprintln!("cannot serialize: {e}");
            return ExitCode::FAILURE;
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `dump --openapi DIR`: the OpenAPI document of one product folder, its
/// operations checked as for generation. Exit 1 when a page failed (the
/// document then holds the operations that could be read).
fn dump_openapi(paths: &[PathBuf]) -> ExitCode {
    let [dir] = paths else {
        eprintln!("dump --openapi takes exactly one product folder");
        return ExitCode::from(2);
    };
    let outcome = match spec::read_product_dir(dir) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut product = outcome.product;
    let mut diagnostics = outcome.diagnostics;
    diagnostics.extend(aliyun_codegen::stages::check::check(&mut product));
    for d in &diagnostics {
        eprintln!("{d}");
    }
    let text = aliyun_codegen::stages::openapi::to_json(&product);
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::FAILURE;
    }
    if diagnostics.iter().any(|d| d.is_error()) { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn serialize<T: serde::Serialize>(value: &T, yaml: bool) -> Result<String, String> {
    if yaml {
        serde_yaml::to_string(value).map_err(|e| e.to_string())
    } else {
        serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(|e| e.to_string())
    }
}

fn run_corpus(dir: &Path) -> ExitCode {
    let mut progress = |done: usize, total: usize, _page: &Path| {
        if total >= 20 && (done % 10 == 0 || done == total) {
            eprint!("\r{done}/{total} pages");
            if done == total {
                eprintln!();
            }
        }
    };
    let report = corpus::run(dir, &mut progress);
    println!("{report}");
    if report.failed() > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
