//! read → check → emit → format: never a panic, and a page that reads and
//! checks without errors always yields code that parses (a format failure
//! is an emitter bug, reported here as a crash), the same through the
//! renderer's own path (deferred docs, prebuilt syn items) as through the
//! plain token path.
#![no_main]

use std::path::Path;

use aliyun_codegen::emit::{self, EmitOptions};
use aliyun_codegen::ir::{Product, Style};
use aliyun_codegen::{check, render, spec};
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
        operations: vec![op],
    };
    if check::check(&mut product).iter().any(|d| d.is_error()) {
        return;
    }
    let files = match render::crate_files(std::slice::from_ref(&product), &EmitOptions::default(), None) {
        Ok(files) => files,
        Err(d) => panic!("{d:?}"),
    };
    for op in &product.operations {
        let tokens = emit::operation(&product, op, &EmitOptions::default());
        let text = match render::format(tokens, &op.source) {
            Ok(text) => text,
            Err(d) => panic!("{d}"),
        };
        let path = std::path::PathBuf::from("src/fuzz").join(format!("{}.rs", emit::module_name(op)));
        let rendered = files.get(&path).map(|f| f.split_once("\n\n").map_or(f.as_str(), |(_, body)| body));
        assert_eq!(rendered, Some(text.as_str()), "renderer path differs from the token path");
    }
});
