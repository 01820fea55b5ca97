//! Rendering: emitted syn files become formatted text, laid out either as a
//! crate tree (the checked-in `generated/`) or as one file (for `include!`
//! from `OUT_DIR`).
//!
//! There is one way from items to text: [`print`], which runs
//! `prettyplease::unparse` once per output file and puts the header first.
//! Nothing edits the formatted text afterwards.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::emit::{self, EmitOptions, Items, docs};
use crate::ir::{Operation, Product, Source};
use crate::names;

/// Marker on the first line of every generated file; `write` only ever
/// deletes files that carry it.
pub const GENERATED_MARKER: &str = "@generated";

/// The header comment of a generated file.
pub fn header(sources: &str) -> String {
    format!(
        "// {GENERATED_MARKER} by aliyun-codegen from {sources}.\n// Do not edit: change the spec and run `cargo codegen generate`.\n\n"
    )
}

/// `header` followed by `file` formatted by prettyplease.
pub fn print(header: &str, file: &syn::File) -> String {
    let text = prettyplease::unparse(file);
    let mut out = String::with_capacity(header.len() + text.len());
    out.push_str(header);
    out.push_str(&text);
    out
}

/// An emitted file, or the emitter's failure as a diagnostic against
/// `source` (an emitter bug: emitted code that does not parse).
pub fn emitted(file: syn::Result<syn::File>, source: &Source) -> Result<syn::File, Diagnostic> {
    file.map_err(|e| Diagnostic::error(source.clone(), format!("internal error: emitted code does not parse: {e}")))
}

/// `path` shown relative to `base` with `/` separators, for stable headers.
pub fn display_path(path: &Path, base: Option<&Path>) -> String {
    let shown = base.and_then(|b| path.strip_prefix(b).ok()).unwrap_or(path);
    shown.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The source named in diagnostics about a product's own module.
fn product_source(product: &Product) -> Source {
    Source::new(format!("{}/{}", product.product, crate::spec::PRODUCT_FILE), 0)
}

/// The files of the crate layout, keyed by path relative to the crate
/// root: `src/lib.rs`, `src/<product>/mod.rs`, `src/<product>/<op>.rs`.
///
/// Operations are emitted and printed in parallel (rayon): syn's values
/// cannot cross threads, so each job emits *and* prints, and only text comes
/// back. Results are gathered in operation order, so files and errors never
/// depend on the number of threads.
pub fn crate_files(
    products: &[Product],
    options: &EmitOptions,
    base: Option<&Path>,
) -> Result<BTreeMap<PathBuf, String>, Vec<Diagnostic>> {
    let jobs: Vec<(&Product, &Operation)> =
        products.iter().flat_map(|p| p.operations.iter().map(move |op| (p, op))).collect();
    let rendered: Vec<Result<String, Diagnostic>> = jobs
        .par_iter()
        .map(|(product, op)| {
            let file = emitted(emit::operation(product, op, options), &op.source)?;
            Ok(print(&header(&display_path(&op.source.file, base)), &file))
        })
        .collect();
    let mut rendered = rendered.into_iter();
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    for product in products {
        let dir = PathBuf::from("src").join(&product.product);
        for (op, result) in product.operations.iter().zip(rendered.by_ref()) {
            match result {
                Ok(text) => {
                    files.insert(dir.join(format!("{}.rs", emit::module_name(op))), text);
                }
                Err(d) => errors.push(d),
            }
        }
        let mods = product.operations.iter().flat_map(|op| emit::operation_mod(op, None)).collect();
        match emitted(emit::product_module(product, mods), &product_source(product)) {
            Ok(file) => {
                files.insert(dir.join("mod.rs"), print(&header(&format!("the {} specs", product.product)), &file));
            }
            Err(d) => errors.push(d),
        }
    }
    match emitted(crate_root(products), &Source::new("lib.rs", 0)) {
        Ok(file) => {
            files.insert(PathBuf::from("src/lib.rs"), print(&header("the specs folder"), &file));
        }
        Err(d) => errors.push(d),
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

/// `src/lib.rs` of the generated crate: one feature-gated module per product.
fn crate_root(products: &[Product]) -> syn::Result<syn::File> {
    let mut items = Items::default();
    items.quoted(quote::quote! {
        pub use aliyun_runtime as runtime;
    });
    for p in products {
        let m = names::ident(&p.product);
        let feature = &p.product;
        // prettyplease formats the product's files; `cargo fmt --all` must
        // leave them as generated (their freshness check holds them).
        items.quoted(quote::quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #m;
        });
    }
    let list: Vec<String> = products.iter().map(|p| format!("`{}`", p.product)).collect();
    let doc = format!(
        "Typed Alibaba Cloud clients generated by aliyun-codegen from the API reference pages.\n\nOne module and one cargo feature per product: {}. The runtime under every call (configuration, credentials, signing, retries) is re-exported as [`runtime`].",
        list.join(", ")
    );
    let mut attrs = docs::inner_attributes(&doc);
    attrs.push(syn::parse_quote!(#![deny(missing_docs)]));
    emit::file(attrs, items)
}

/// All products in one file of nested inline modules, for
/// `include!(concat!(env!("OUT_DIR"), "/aliyun_sdk.rs"))`: the items of the
/// crate layout's files gathered into one syn file and printed once.
pub fn single_file(
    products: &[Product],
    options: &EmitOptions,
    base: Option<&Path>,
) -> Result<String, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for product in products {
        let mut mods = Vec::new();
        for op in &product.operations {
            match emitted(emit::operation(product, op, options), &op.source) {
                Ok(file) => mods.extend(emit::operation_mod(op, Some(file))),
                Err(d) => errors.push(d),
            }
        }
        match emitted(emit::product_module(product, mods), &product_source(product)) {
            Ok(file) => items.push(syn::Item::Mod(emit::module(
                syn::Visibility::Public(Default::default()),
                names::ident(&product.product),
                Some(file),
            ))),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let sources: Vec<String> =
        products.iter().flat_map(|p| p.operations.iter().map(|op| display_path(&op.source.file, base))).collect();
    let what = if sources.len() == 1 { sources.join("") } else { format!("{} spec files", sources.len()) };
    Ok(print(&header(&what), &syn::File { shebang: None, attrs: Vec::new(), items }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Style;

    const PAGE: &str = "# GetThing\n\nGets a thing.\n\n## Request syntax\n\n```\nGET /things/[ThingId] HTTPS|HTTP\n```\n\n## Request parameters\n\n|Parameter|Type|Required|Example|Description|\n|---|---|---|---|---|\n|ThingId|String|Yes|t-1|The thing.|\n\n## Response parameters\n\n|Parameter|Type|Example|Description|\n|---|---|---|---|\n|RequestId|String|r-1|The request id.|\n";

    fn product(code: &str, ops: usize) -> Product {
        let mut operations = Vec::new();
        for i in 0..ops {
            let page = PAGE.replace("GetThing", &format!("GetThing{i}"));
            let outcome = crate::spec::read_operation_text(Path::new("GetThing.md"), &page);
            operations.extend(outcome.operation);
        }
        assert_eq!(operations.len(), ops);
        Product {
            product: code.to_string(),
            version: "2020-01-01".to_string(),
            style: Style::Roa,
            title: None,
            endpoint: None,
            vpc_endpoint: None,
            endpoint_exceptions: Default::default(),
            common_params: Vec::new(),
            traits: Default::default(),
            operations,
        }
    }

    /// The single file holds, per product, what the crate layout's
    /// product module and operation files hold, as inline modules.
    #[test]
    fn single_file_gathers_the_crate_layout() {
        let options = EmitOptions::default();
        let products = vec![product("alpha", 1), product("beta", 2)];
        let single = single_file(&products, &options, None).expect("single file");
        let files = crate_files(&products, &options, None).expect("crate files");
        let parsed: syn::File = syn::parse_str(&single).expect("the single file parses");
        assert_eq!(parsed.items.len(), 2, "one module per product");
        for product in &products {
            for op in &product.operations {
                let module = emit::module_name(op);
                assert!(single.contains(&format!("mod {module} {{")), "{module} inline");
                let own = &files[&PathBuf::from("src").join(&product.product).join(format!("{module}.rs"))];
                // Every item line of the operation's own file is in the
                // single file, one level deeper.
                for line in own.lines().filter(|l| l.starts_with("pub struct ")) {
                    assert!(single.contains(&format!("        {line}")), "{line}");
                }
            }
        }
    }
}
