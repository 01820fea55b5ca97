//! Emitters: IR in, `TokenStream`s out. One small function per item kind,
//! identifiers from [`crate::names`] only. Emitters never see Markdown.
//!
//! | item | file |
//! |---|---|
//! | a field's Rust type, nested structs | `types.rs` |
//! | request struct, setters, wire mapping | `request.rs` |
//! | response struct | `response.rs` |
//! | error enum | `error.rs` |
//! | call function, product client | `client.rs` |
//! | rustdoc text, doc examples | `docs.rs`, `example.rs` |

pub mod ast;
pub mod client;
pub mod collect;
pub mod docs;
pub mod error;
pub mod example;
pub mod paginate;
pub mod request;
pub mod response;
pub mod types;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{Operation, Product};
use crate::names::{self, Scope};

/// Options that change what is emitted (not how it is formatted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitOptions {
    /// Path of the generated crate in doc examples (`aliyun_sdk`); `None`
    /// marks examples `ignore`, for code included from `OUT_DIR` whose crate
    /// name the generator cannot know.
    pub crate_path: Option<String>,
    /// Emit a unit test per operation that parses the page's sample
    /// response into the response type.
    pub sample_tests: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions { crate_path: Some("aliyun_sdk".to_string()), sample_tests: true }
    }
}

/// The identifiers every part of one operation's code agrees on.
pub struct OpNames {
    /// Pascal-case base (`ResumeLogstashTask`).
    pub pascal: String,
    /// Snake-case call name (`resume_logstash_task`).
    pub snake: String,
    /// The call function's identifier.
    pub snake_ident: Ident,
    /// `{Op}Request`.
    pub request: Ident,
    /// `{Op}Response`.
    pub response: Ident,
    /// `{Op}Error`.
    pub error: Ident,
}

/// Names of one operation's items.
pub fn names_of(op: &Operation) -> OpNames {
    let pascal = names::pascal(&op.name, "Operation");
    let snake = op.rust_name.clone().unwrap_or_else(|| names::snake(&op.name, "operation"));
    OpNames {
        snake_ident: names::ident(&snake),
        request: names::ident(&format!("{pascal}Request")),
        response: names::ident(&format!("{pascal}Response")),
        error: names::ident(&format!("{pascal}Error")),
        pascal,
        snake,
    }
}

/// The module name (file stem) of an operation.
pub fn module_name(op: &Operation) -> String {
    names_of(op).snake
}

/// Everything one operation contributes: request, response, error, call.
pub fn operation(product: &Product, op: &Operation, options: &EmitOptions) -> TokenStream {
    let n = names_of(op);
    // Top-level names are claimed first so nested types never take them.
    let mut types = Scope::with_reserved(&[&n.request.to_string(), &n.response.to_string(), &n.error.to_string()]);
    let (request, example) = request::request(op, &mut types);
    let response = response::response(op, &mut types);
    let error = error::error(op);
    let call = client::call(product, op, &example, options);
    let pages = paginate::paginator(op);
    let tests = if options.sample_tests { response::sample_test(op) } else { None };
    let module_doc = format!(
        "{} of {}: request, response and error types.",
        docs::code(&op.name),
        product.title.as_deref().unwrap_or(&product.product)
    );
    // Moved, not interpolated: `quote!` would clone every part's tokens.
    let mut out = docs::inner_attrs(&module_doc);
    // Every operation uses each of these (an operation's own types are all
    // prefixed with its name, so none of them can clash).
    out.extend(quote! {
        use aliyun_runtime::json::{Decode, Object};
        use aliyun_runtime::{Call, ErrorDetails, Method, Request, ResponseMeta};
    });
    out.extend([call]);
    out.extend(pages);
    out.extend([request, response, error]);
    out.extend(tests);
    out
}

/// The product module's own items (service facts, clients) followed by a
/// `mod` and re-export per operation.
pub fn product_module(product: &Product) -> TokenStream {
    let items = client::product_items(product);
    let title = product.title.as_deref().unwrap_or(&product.product);
    let doc = format!(
        "{title} (product code {}, API version {}): {} operation{}.",
        docs::code(&product.product),
        product.version,
        product.operations.len(),
        if product.operations.len() == 1 { "" } else { "s" }
    );
    let doc = docs::inner_attrs(&doc);
    quote! {
        #doc
        #items
    }
}

/// `mod x; pub use x::*;` lines for the operations of a product, for the
/// file-per-operation layout.
pub fn operation_mods(product: &Product) -> TokenStream {
    let mods = product.operations.iter().map(|op| {
        let m = names::ident(&module_name(op));
        quote! {
            mod #m;
            pub use #m::*;
        }
    });
    quote!(#(#mods)*)
}
