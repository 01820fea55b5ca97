//! Rendering: token streams become formatted files, and files are laid out
//! either as a crate tree (the checked-in `generated/`) or as one file (for
//! `include!` from `OUT_DIR`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::emit::{self, EmitOptions, ast, docs};
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

/// Formats `tokens` as a Rust file. A parse failure means an emitter bug;
/// it is reported against `source` instead of panicking.
pub fn format(tokens: TokenStream, source: &Source) -> Result<String, Diagnostic> {
    Ok(separate_items(&unparse(tokens, source)?))
}

/// [`format`] of what `emit` returns, with doc text deferred (see
/// [`docs::Deferred`]): the same bytes, without the doc text's round trip
/// through string literals, syn and prettyplease.
fn format_emitted(emit: impl FnOnce() -> TokenStream, source: &Source) -> Result<String, Diagnostic> {
    Ok(separate_items(&unparse_emitted(emit, source)?))
}

/// [`unparse`] of what `emit` returns, with doc text deferred and the
/// items built as syn values (see [`ast`]) spliced in after parsing.
fn unparse_emitted(emit: impl FnOnce() -> TokenStream, source: &Source) -> Result<String, Diagnostic> {
    let mut deferred = docs::Deferred::begin();
    let mut prebuilt = ast::Prebuilt::begin();
    let tokens = emit();
    prebuilt.end();
    deferred.end();
    let mut file = parse(tokens, source)?;
    prebuilt.splice(&mut file.items).map_err(|e| Diagnostic::error(source.clone(), format!("internal error: {e}")))?;
    Ok(deferred.expand(&prettyplease::unparse(&file)))
}

/// prettyplease alone, for pieces that are spliced before [`separate_items`]
/// runs over the whole text.
fn unparse(tokens: TokenStream, source: &Source) -> Result<String, Diagnostic> {
    Ok(prettyplease::unparse(&parse(tokens, source)?))
}

/// `tokens` as a file. A parse failure means an emitter bug; it is
/// reported against `source` instead of panicking.
fn parse(tokens: TokenStream, source: &Source) -> Result<syn::File, Diagnostic> {
    syn::parse2(tokens)
        .map_err(|e| Diagnostic::error(source.clone(), format!("internal error: emitted code does not parse: {e}")))
}

/// prettyplease packs items together; hand-written Rust leaves a blank line
/// after each item that ends with a closing brace. A line that closes a
/// block (`}` or `};`) followed, at the same indentation, by the start of
/// another item (its docs, attributes or keyword) gets a blank line between.
fn separate_items(text: &str) -> String {
    const STARTS: &[&str] = &[
        "///", "//!", "#[", "pub ", "pub(", "impl", "fn ", "async fn", "struct ", "enum ", "mod ", "use ", "static ",
        "const ", "trait ", "type ",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let trimmed = line.trim_start();
        let next = lines.get(i + 1).map(|n| (n.trim_start(), n.len() - n.trim_start().len()));
        // The module docs are followed by a blank line.
        if trimmed.starts_with("//!") {
            if next.is_some_and(|(n, _)| !n.starts_with("//!")) {
                out.push('\n');
            }
            continue;
        }
        let indent = line.len() - trimmed.len();
        // The last `use` of a block is followed by a blank line.
        if trimmed.starts_with("use ") && trimmed.ends_with(';') {
            if next.is_some_and(|(n, at)| !n.is_empty() && !n.starts_with("use ") && at == indent) {
                out.push('\n');
            }
            continue;
        }
        // `impl Trait for T {}` and an item macro's `);` end items too;
        // comment lines (page text in docs) never do.
        let code = !trimmed.starts_with("//");
        let ends_item = matches!(trimmed, "}" | "};" | ");")
            || (code && trimmed.ends_with(" {}") && STARTS.iter().any(|s| trimmed.starts_with(s)))
            || (code && trimmed.ends_with(");") && is_item_macro(trimmed));
        if ends_item
            && next.is_some_and(|(n, at)| at == indent && (STARTS.iter().any(|s| n.starts_with(s)) || is_item_macro(n)))
        {
            out.push('\n');
        }
    }
    out
}

/// Whether `line` starts an item macro call (`some::path!(`), which may
/// follow an item at the same level.
fn is_item_macro(line: &str) -> bool {
    let name_end = line.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(line.len());
    name_end > 0 && (line[name_end..].starts_with("!(") || line[name_end..].starts_with("! {"))
}

/// `path` shown relative to `base` with `/` separators, for stable headers.
pub fn display_path(path: &Path, base: Option<&Path>) -> String {
    let shown = base.and_then(|b| path.strip_prefix(b).ok()).unwrap_or(path);
    shown.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The files of the crate layout, keyed by path relative to the crate
/// root: `src/lib.rs`, `src/<product>/mod.rs`, `src/<product>/<op>.rs`.
///
/// Operations are emitted and formatted in parallel (rayon); results are
/// gathered in operation order, so files and errors never depend on the
/// number of threads.
pub fn crate_files(
    products: &[Product],
    options: &EmitOptions,
    base: Option<&Path>,
) -> Result<BTreeMap<PathBuf, String>, Vec<Diagnostic>> {
    let jobs: Vec<(&Product, &Operation)> =
        products.iter().flat_map(|p| p.operations.iter().map(move |op| (p, op))).collect();
    // `TokenStream`s are not `Send`: each job emits *and* formats, and
    // only the finished text crosses threads.
    let rendered: Vec<Result<String, Diagnostic>> = jobs
        .par_iter()
        .map(|(product, op)| {
            let text = format_emitted(|| emit::operation(product, op, options), &op.source)?;
            Ok(header(&display_path(&op.source.file, base)) + &text)
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
        let source = Source::new(format!("{}/{}", product.product, crate::spec::PRODUCT_FILE), 0);
        let module = || {
            let items = emit::product_module(product);
            let mods = emit::operation_mods(product);
            quote!(#items #mods)
        };
        match format_emitted(module, &source) {
            Ok(text) => {
                let header = header(&format!("the {} specs", product.product));
                files.insert(dir.join("mod.rs"), header + &text);
            }
            Err(d) => errors.push(d),
        }
    }
    match format_emitted(|| crate_root(products), &Source::new("lib.rs", 0)) {
        Ok(text) => {
            files.insert(PathBuf::from("src/lib.rs"), header("the specs folder") + &text);
        }
        Err(d) => errors.push(d),
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

/// `src/lib.rs` of the generated crate: one feature-gated module per product.
fn crate_root(products: &[Product]) -> TokenStream {
    let mods = products.iter().map(|p| {
        let m = names::ident(&p.product);
        let feature = &p.product;
        quote! {
            #[cfg(feature = #feature)]
            pub mod #m;
        }
    });
    let list: Vec<String> = products.iter().map(|p| format!("`{}`", p.product)).collect();
    let doc = format!(
        "Typed Alibaba Cloud clients generated by aliyun-codegen from the API reference pages.\n\nOne module and one cargo feature per product: {}. The runtime under every call (configuration, credentials, signing, retries) is re-exported as [`runtime`].",
        list.join(", ")
    );
    let doc = docs::inner_attrs(&doc);
    quote! {
        #doc
        #![deny(missing_docs)]

        pub use aliyun_runtime as runtime;

        #(#mods)*
    }
}

/// All products in one file of nested inline modules, for
/// `include!(concat!(env!("OUT_DIR"), "/aliyun_sdk.rs"))`.
///
/// The pieces are formatted in parallel and spliced (see
/// `single_file_parallel`); the text is byte for byte what formatting the
/// whole file at once gives, which remains the fallback.
pub fn single_file(
    products: &[Product],
    options: &EmitOptions,
    base: Option<&Path>,
) -> Result<String, Vec<Diagnostic>> {
    let sources: Vec<String> =
        products.iter().flat_map(|p| p.operations.iter().map(|op| display_path(&op.source.file, base))).collect();
    let text = match single_file_parallel(products, options) {
        Some(text) => text,
        None => single_file_sequential(products, options).map_err(|d| vec![d])?,
    };
    let what = if sources.len() == 1 { sources.join("") } else { format!("{} spec files", sources.len()) };
    Ok(header(&what) + &separate_items(&text))
}

/// The tokens of one operation's inline module and its re-export.
fn inline_operation(product: &Product, op: &Operation, options: &EmitOptions) -> TokenStream {
    let om = names::ident(&emit::module_name(op));
    let body = emit::operation(product, op, options);
    quote! {
        mod #om { #body }
        pub use #om::*;
    }
}

/// Formats the whole single file in one go (the reference layout).
fn single_file_sequential(products: &[Product], options: &EmitOptions) -> Result<String, Diagnostic> {
    let modules = products.iter().map(|product| {
        let m = names::ident(&product.product);
        let items = emit::product_module(product);
        let ops = product.operations.iter().map(|op| inline_operation(product, op, options));
        quote! {
            pub mod #m {
                #items
                #(#ops)*
            }
        }
    });
    let tokens = quote!(#(#modules)*);
    unparse(tokens, &Source::new("aliyun_sdk.rs", 0))
}

/// The single file from pieces formatted in parallel, or `None` when a
/// piece fails or does not have the expected shape (the caller then formats
/// the whole file, which also yields the precise error).
///
/// prettyplease lays out each item of a module on its own, at the module's
/// indentation, so an operation formatted inside a wrapper
/// `pub mod product { ... }` reads exactly as it does inside the full file:
/// the product module is `pub mod product {` + its own items + each
/// operation's lines + `}`.
fn single_file_parallel(products: &[Product], options: &EmitOptions) -> Option<String> {
    enum Piece<'a> {
        Head(&'a Product),
        Op(&'a Product, &'a Operation),
    }
    let pieces: Vec<Piece<'_>> = products
        .iter()
        .flat_map(|p| std::iter::once(Piece::Head(p)).chain(p.operations.iter().map(move |op| Piece::Op(p, op))))
        .collect();
    let source = Source::new("aliyun_sdk.rs", 0);
    let formatted: Vec<Option<String>> = pieces
        .par_iter()
        .map(|piece| {
            let product = match piece {
                Piece::Head(p) | Piece::Op(p, _) => *p,
            };
            let m = names::ident(&product.product);
            let emit = || {
                let inner = match piece {
                    Piece::Head(p) => emit::product_module(p),
                    Piece::Op(p, op) => inline_operation(p, op, options),
                };
                quote!(pub mod #m { #inner })
            };
            let text = unparse_emitted(emit, &source).ok()?;
            // Keep what lies between `pub mod m {\n` and the closing `}\n`.
            let open = format!("pub mod {m} {{\n");
            let body = text.strip_prefix(open.as_str())?.strip_suffix("}\n")?;
            Some(match piece {
                Piece::Head(_) => format!("{open}{body}"),
                Piece::Op(..) => body.to_string(),
            })
        })
        .collect();
    let mut out = String::new();
    let mut open = false;
    for (piece, text) in pieces.iter().zip(formatted) {
        if matches!(piece, Piece::Head(_)) && open {
            out.push_str("}\n");
        }
        out.push_str(&text?);
        open = true;
    }
    if open {
        out.push_str("}\n");
    }
    Some(out)
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
            operations,
        }
    }

    /// The spliced parallel single file is the whole-file format, and the
    /// splice (not the fallback) is what runs.
    #[test]
    fn single_file_splice_matches_whole_file_format() {
        let options = EmitOptions::default();
        for products in
            [vec![product("demo", 3)], vec![product("alpha", 1), product("beta", 2)], vec![product("empty", 0)]]
        {
            let expected = single_file_sequential(&products, &options).expect("format");
            if products.iter().all(|p| !p.operations.is_empty()) {
                assert_eq!(single_file_parallel(&products, &options).as_deref(), Some(expected.as_str()));
            }
            let text = single_file(&products, &options, None).expect("single file");
            assert!(text.ends_with(&separate_items(&expected)));
        }
    }
}
