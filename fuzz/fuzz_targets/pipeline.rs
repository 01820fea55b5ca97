//! read → check → emit → format: never a panic, and a page that reads and
//! checks without errors always yields code that parses (a format failure
//! is an emitter bug, reported here as a crash), the same through the
//! renderer's own path (deferred docs, prebuilt syn items) as through the
//! plain token path.
#![no_main]

use std::path::Path;

use aliyun_codegen::ir::{Product, Style};
use aliyun_codegen::stages::emit::EmitOptions;
use aliyun_codegen::stages::{check, render, spec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // First byte picks the front end, so one corpus covers both.
    let path = if text.starts_with("name:") { Path::new("fuzz.yaml") } else { Path::new("fuzz.md") };
    let outcome = spec::read_operation_text(path, text);
    if outcome.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let Some(op) = outcome.operation else { return };
    let mut product = Product {
        product: "fuzz".to_string(),
        version: "2020-01-01".to_string(),
        style: Style::Roa,
        title: None,
        endpoint: None,
        vpc_endpoint: None,
        endpoint_exceptions: Default::default(),
        common_params: Vec::new(),
        traits: Default::default(),
        operations: vec![op],
    };
    if check::check(&mut product).iter().any(|d| d.is_error()) {
        return;
    }
    let files = match render::crate_files(std::slice::from_ref(&product), &EmitOptions::default(), None) {
        Ok(files) => files,
        Err(d) => panic!("{d:?}"),
    };
    for text in files.values() {
        if let Err(e) = syn::parse_file(text) {
            panic!("formatted output does not parse: {e}");
        }
    }
});
