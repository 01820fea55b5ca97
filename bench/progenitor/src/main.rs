//! aliyun-codegen vs progenitor, on the same operations, in one run.
//!
//! ```sh
//! cd bench/progenitor && cargo run --release -- [CORPUS_DOCS] [ITERATIONS]
//! ```
//!
//! (a) ours: corpus pages on disk → read → check → emit → formatted Rust
//!     files in memory (`Config::crate_files`), with rayon's default pool
//!     and with one thread;
//! (b) progenitor: our own OpenAPI export of the same operations
//!     (`aliyun_codegen::stages::openapi::document`) → `openapiv3::OpenAPI` →
//!     `progenitor_impl::Generator::generate_tokens` → `syn::File` →
//!     `prettyplease::unparse`.
//!
//! `--features mimalloc` runs both on mimalloc instead of glibc malloc.
//!
//! The three runs the ratio compares (ours with rayon, ours on one thread,
//! progenitor tokens + format) are measured in `ITERATIONS` interleaved
//! rounds (default 15) after one warm-up round, so a change in machine load
//! hits all three alike; medians are reported. progenitor's separate stages
//! (JSON parse, `generate_tokens`, syn + prettyplease) are timed on their
//! own after 3 warm-up runs, for information.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aliyun_codegen::Config;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use aliyun_codegen::ir::Product;

fn main() {
    let mut args = std::env::args().skip(1);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let docs =
        args.next().map(PathBuf::from).unwrap_or_else(|| manifest.join("../../../shared/corpus/elasticsearch/docs"));
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(15);
    if !docs.is_dir() {
        eprintln!("no corpus at {} (pass the docs folder as the first argument)", docs.display());
        std::process::exit(2);
    }
    let specs = lay_out_specs(&docs, &manifest.join("target/specs"));

    // Ours, default rayon pool and one thread.
    let (files, report) = Config::new().specs(&specs).crate_files().unwrap_or_else(|e| fail(&e.to_string()));
    let ops = report.products.iter().map(|p| p.operations.len()).sum::<usize>();
    let our_bytes: usize = files.values().map(String::len).sum();
    // Progenitor on our export of the same product.
    let product: &Product = report.products.first().unwrap_or_else(|| fail("no product"));
    let (spec, dropped) = progenitor_input(product);
    let json = serde_json::to_string(&spec).unwrap_or_else(|e| fail(&e.to_string()));
    let parse = time(iterations, || serde_json::from_str::<openapiv3::OpenAPI>(&json).map(|_| 0).unwrap_or(0));
    let tokens = time(iterations, || {
        std::hint::black_box(generate(&spec));
        0
    });
    let generated = generate(&spec);
    let file: syn::File = syn::parse2(generated.clone()).unwrap_or_else(|e| fail(&format!("progenitor output: {e}")));
    let text = prettyplease::unparse(&file);
    let format = time(iterations, || {
        let file: syn::File = syn::parse2(generated.clone()).unwrap_or_else(|e| fail(&e.to_string()));
        prettyplease::unparse(&file).len()
    });
    // The three runs the ratio compares are interleaved, round by round,
    // so a change in machine load during the run affects them alike.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap_or_else(|e| fail(&e.to_string()));
    let ours_run = || Config::new().specs(&specs).crate_files().map(|(f, _)| f.len()).unwrap_or(0);
    let progenitor_run = || {
        let file: syn::File = syn::parse2(generate(&spec)).unwrap_or_else(|e| fail(&e.to_string()));
        prettyplease::unparse(&file).len()
    };
    let [ours, ours_1, whole] = interleaved(
        iterations,
        &mut [&mut || ours_run(), &mut || pool.install(|| ours_run()), &mut || progenitor_run()],
    );
    let progenitor_ops = spec.operations().count();

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("corpus: {} ({} operations), {iterations} iterations, median times", docs.display(), ops);
    println!("threads available: {}", rayon::current_num_threads());
    println!("allocator: {}", if cfg!(feature = "mimalloc") { "mimalloc" } else { "glibc malloc" });
    println!();
    println!("| run | operations | output bytes | time (ms) |");
    println!("|---|---:|---:|---:|");
    println!(
        "| ours: pages → formatted files (rayon, {} threads) | {ops} | {our_bytes} | {:.1} |",
        rayon::current_num_threads(),
        ms(ours)
    );
    println!("| ours: pages → formatted files (1 thread) | {ops} | {our_bytes} | {:.1} |", ms(ours_1));
    println!(
        "| progenitor: OpenAPI JSON → openapiv3 (not counted) | {progenitor_ops} | {} | {:.1} |",
        json.len(),
        ms(parse)
    );
    println!("| progenitor: generate_tokens | {progenitor_ops} | - | {:.1} |", ms(tokens));
    println!("| progenitor: syn parse + prettyplease | {progenitor_ops} | {} | {:.1} |", text.len(), ms(format));
    println!("| progenitor: tokens + format | {progenitor_ops} | {} | {:.1} |", text.len(), ms(whole));
    println!();
    println!("ratio ours/progenitor (rayon): {:.2}", ms(ours) / ms(whole));
    println!("ratio ours/progenitor (1 thread): {:.2}", ms(ours_1) / ms(whole));
    println!(
        "per operation: ours {:.2} ms (1 thread), progenitor {:.2} ms",
        ms(ours_1) / ops.max(1) as f64,
        ms(whole) / progenitor_ops.max(1) as f64
    );
    if !dropped.is_empty() {
        println!("\nadjusted for progenitor (see BENCHMARKS.md):");
        for d in &dropped {
            println!("- {d}");
        }
    }
}

/// The specs folder progenitor and we both read: `dir/elasticsearch/` with
/// a product file and every page.
fn lay_out_specs(docs: &Path, dir: &Path) -> PathBuf {
    let product = dir.join("elasticsearch");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(&product).unwrap_or_else(|e| fail(&e.to_string()));
    std::fs::write(
        product.join("product.yaml"),
        "product: elasticsearch\ntitle: Elasticsearch\nversion: \"2017-06-13\"\nstyle: ROA\nendpoint: \"elasticsearch.{region}.aliyuncs.com\"\n",
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    let entries = std::fs::read_dir(docs).unwrap_or_else(|e| fail(&e.to_string()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "md") {
            std::fs::copy(&path, product.join(entry.file_name())).unwrap_or_else(|e| fail(&e.to_string()));
        }
    }
    dir.to_path_buf()
}

/// Our export, with what progenitor cannot take removed operation by
/// operation (each removal is reported).
fn progenitor_input(product: &Product) -> (openapiv3::OpenAPI, Vec<String>) {
    let mut dropped = Vec::new();
    let mut kept = product.clone();
    loop {
        let value = aliyun_codegen::stages::openapi::document(&kept);
        let spec: openapiv3::OpenAPI =
            serde_json::from_value(value).unwrap_or_else(|e| fail(&format!("export does not parse: {e}")));
        let mut generator = progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
        match generator.generate_tokens(&spec) {
            Ok(_) => return (spec, dropped),
            Err(e) => {
                // Find the first operation that fails on its own.
                let culprit = kept.operations.iter().position(|op| {
                    let one = Product { operations: vec![op.clone()], ..kept.clone() };
                    let value = aliyun_codegen::stages::openapi::document(&one);
                    serde_json::from_value::<openapiv3::OpenAPI>(value).map_or(true, |spec| {
                        progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default())
                            .generate_tokens(&spec)
                            .is_err()
                    })
                });
                match culprit {
                    Some(i) => {
                        let op = kept.operations.remove(i);
                        dropped.push(format!("{}: {e}", op.name));
                    }
                    None => fail(&format!("progenitor rejects the export as a whole: {e}")),
                }
            }
        }
    }
}

fn generate(spec: &openapiv3::OpenAPI) -> proc_macro2::TokenStream {
    let mut generator = progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
    generator.generate_tokens(spec).unwrap_or_else(|e| fail(&e.to_string()))
}

/// Median wall time of `f` over `n` runs after 3 warm-ups.
fn time(n: usize, mut f: impl FnMut() -> usize) -> Duration {
    for _ in 0..3 {
        std::hint::black_box(f());
    }
    let mut times: Vec<Duration> = (0..n.max(1))
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Medians of the three runs, measured in rounds (one of each per round)
/// after one warm-up round.
fn interleaved(n: usize, runs: &mut [&mut dyn FnMut() -> usize; 3]) -> [Duration; 3] {
    for run in runs.iter_mut() {
        std::hint::black_box(run());
    }
    let mut times: [Vec<Duration>; 3] = Default::default();
    for _ in 0..n.max(1) {
        for (run, times) in runs.iter_mut().zip(times.iter_mut()) {
            let start = Instant::now();
            std::hint::black_box(run());
            times.push(start.elapsed());
        }
    }
    times.map(|mut t| {
        t.sort();
        t[t.len() / 2]
    })
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1)
}
