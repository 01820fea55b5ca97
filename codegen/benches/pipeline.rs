//! Criterion benchmarks of the generator's stages and of whole runs.
//!
//! `cargo bench -p aliyun-codegen --bench pipeline` (see BENCHMARKS.md).
//! Corpus groups are skipped when `../shared/corpus` is absent.

// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aliyun_codegen::Config;
use aliyun_codegen::ir::Product;
use aliyun_codegen::stages::emit::{self, EmitOptions};
use aliyun_codegen::stages::{check, render, spec};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/mod.rs"]
mod support;

fn seed_page() -> PathBuf {
    support::workspace_dir().join("specs/elasticsearch/ResumeLogstashTask.md")
}

/// Reads a specs folder into checked products.
fn load(specs: &Path) -> Vec<Product> {
    match Config::new().specs(specs).load() {
        Ok(loaded) => loaded.products,
        Err(e) => panic!("cannot load {}: {e}", specs.display()),
    }
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    let mut pages = vec![("seed", seed_page())];
    if let Some(big) = support::corpus_docs().and_then(|d| support::biggest_page(&d)) {
        pages.push(("biggest", big));
    }
    for (label, path) in pages {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(label, |b| b.iter(|| spec::markdown::read_page(black_box(&path), black_box(&text))));
    }
    group.finish();
}

fn lower_check(c: &mut Criterion) {
    let Some(docs) = support::corpus_docs() else { return };
    let specs = support::corpus_specs(&docs, 1);
    let dir = specs.join("elasticsearch");
    let raw = match spec::read_product_dir(&dir) {
        Ok(outcome) => outcome.product,
        Err(e) => panic!("{e}"),
    };
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(raw.operations.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter_batched(|| raw.clone(), |mut p| check::check(black_box(&mut p)), BatchSize::LargeInput)
    });
    group.finish();
}

fn emit_format(c: &mut Criterion) {
    let mut group = c.benchmark_group("emit_format");
    let mut cases = vec![("seed", support::workspace_dir().join("specs"), "ResumeLogstashTask".to_string())];
    if let Some(docs) = support::corpus_docs()
        && let Some(big) = support::biggest_page(&docs)
        && let Some(stem) = big.file_stem().and_then(|s| s.to_str())
    {
        cases.push(("biggest", support::corpus_specs(&docs, 1), stem.to_string()));
    }
    let options = EmitOptions::default();
    for (label, specs, name) in cases {
        let products = load(&specs);
        let Some((product, op)) =
            products.iter().find_map(|p| p.operations.iter().find(|o| o.name == name).map(|o| (p, o)))
        else {
            continue;
        };
        group.bench_function(format!("{label}/emit"), |b| b.iter(|| emit::operation(product, black_box(op), &options)));
        group.bench_function(format!("{label}/emit+format"), |b| {
            b.iter(|| emit::operation(product, black_box(op), &options).map(|file| render::print("", &file)))
        });
    }
    group.finish();
}

fn whole_corpus(c: &mut Criterion) {
    let Some(docs) = support::corpus_docs() else { return };
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10).measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(1));
    for factor in [1usize, 2, 4, 8] {
        let specs = support::corpus_specs(&docs, factor);
        let pages = support::corpus_pages(&specs.join("elasticsearch")).len();
        group.throughput(Throughput::Elements(pages as u64));
        // Pages on disk → read → check → emit → format, in memory (crate layout).
        group.bench_function(format!("crate_files/x{factor}"), |b| {
            b.iter(|| match Config::new().specs(&specs).crate_files() {
                Ok((files, _)) => files.len(),
                Err(e) => panic!("{e}"),
            })
        });
        if factor == 1 {
            let out = support::target_dir().join("bench-out");
            group.bench_function("read+check/x1", |b| b.iter(|| load(&specs).len()));
            // The build.rs path: one file (written only when it changes).
            group.bench_function("compile_single_file/x1", |b| {
                b.iter(|| {
                    Config::new()
                        .specs(&specs)
                        .out_dir(&out)
                        .cargo_directives(false)
                        .compile()
                        .map(|r| r.products.len())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, parse, lower_check, emit_format, whole_corpus);
criterion_main!(benches);
