//! Emitters: IR in, syn items out. One small function per item kind,
//! identifiers from [`crate::names`] only. Emitters never see Markdown or
//! JSON, and never format: `render` prints each file once.
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
pub mod docs;
pub mod error;
pub mod example;
pub mod paginate;
pub mod request;
pub mod response;
pub mod types;

use proc_macro2::{Ident, TokenStream};

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

/// The items of one output file, in order: built as syn values (see
/// [`ast`]), or written with `quote!` and parsed once on the way in. A parse
/// failure is an emitter bug; the first one is kept for [`Items::finish`].
#[derive(Default)]
pub struct Items {
    items: Vec<syn::Item>,
    error: Option<syn::Error>,
}

impl Items {
    /// Adds an item built as a syn value.
    pub fn push(&mut self, item: impl Into<syn::Item>) {
        self.items.push(item.into());
    }

    /// Adds the items written as `tokens`.
    pub fn quoted(&mut self, tokens: TokenStream) {
        if tokens.is_empty() {
            return;
        }
        match syn::parse2::<syn::File>(tokens) {
            Ok(file) => self.items.extend(file.items),
            Err(e) => self.fail(e),
        }
    }

    /// Adds `other`'s items (and its error, if it has one).
    pub fn append(&mut self, other: Items) {
        self.items.extend(other.items);
        if let Some(e) = other.error {
            self.fail(e);
        }
    }

    /// Records an emitter error; the first one wins.
    pub fn fail(&mut self, error: syn::Error) {
        self.error.get_or_insert(error);
    }

    /// The items, or the first error met while building them.
    pub fn finish(self) -> syn::Result<Vec<syn::Item>> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.items),
        }
    }
}

/// A file (or inline module body): inner doc attributes and items, spaced
/// as hand-written Rust is (see `spaced`).
pub fn file(attrs: Vec<syn::Attribute>, items: Items) -> syn::Result<syn::File> {
    let mut items = spaced(items.finish()?);
    if !attrs.is_empty() && !items.is_empty() {
        items.insert(0, blank());
    }
    Ok(syn::File { shebang: None, attrs, items })
}

/// A blank line, as syntax: prettyplease prints an empty verbatim item as
/// an empty line (and nothing else), so spacing is decided here, before
/// formatting, and the formatted text is never edited.
fn blank() -> syn::Item {
    syn::Item::Verbatim(TokenStream::new())
}

/// `items` with a blank line between neighbours, except inside a run of
/// one-line declarations (`use`, `mod x;`), and between the methods of
/// every impl block.
fn spaced(items: Vec<syn::Item>) -> Vec<syn::Item> {
    let declaration = |item: &syn::Item| match item {
        syn::Item::Use(_) => true,
        syn::Item::Mod(m) => m.content.is_none(),
        _ => false,
    };
    let mut out: Vec<syn::Item> = Vec::with_capacity(items.len() * 2);
    for mut item in items {
        if let Some(previous) = out.last()
            && !(declaration(previous) && declaration(&item))
        {
            out.push(blank());
        }
        if let syn::Item::Impl(block) = &mut item {
            let members = std::mem::take(&mut block.items);
            for member in members {
                if !block.items.is_empty() {
                    block.items.push(syn::ImplItem::Verbatim(TokenStream::new()));
                }
                block.items.push(member);
            }
        }
        out.push(item);
    }
    out
}

/// Everything one operation contributes: request, response, error, call.
pub fn operation(product: &Product, op: &Operation, options: &EmitOptions) -> syn::Result<syn::File> {
    let n = names_of(op);
    // Top-level names are claimed first so nested types never take them.
    let mut types = Scope::with_reserved(&[&n.request.to_string(), &n.response.to_string(), &n.error.to_string()]);
    let request = request::request(product, op, &n, &mut types);
    let response = response::response(product, op, &n, &mut types);
    let module_doc = format!(
        "{} of {}: request, response and error types.",
        docs::code(&op.name),
        product.title.as_deref().unwrap_or(&product.product)
    );
    let mut items = Items::default();
    // Every operation uses each of these (an operation's own types are all
    // prefixed with its name, so none of them can clash).
    items.push(ast::use_group(&["aliyun_runtime", "json"], &["Decode", "Object"]));
    items.push(ast::use_group(&["aliyun_runtime"], &["Call", "ErrorDetails", "Method", "Request", "ResponseMeta"]));
    items.push(client::call(product, op, &n, &request.example, options));
    if let Some(pages) = paginate::paginator(product, op, &n, &request.members, &response.members) {
        items.push(pages);
    }
    items.append(request.items);
    items.append(response.items);
    items.append(error::error(op, &n));
    if options.sample_tests {
        if let Some(test) = response::sample_test(op, &n) {
            items.push(test);
        }
    }
    file(docs::inner_attributes(&module_doc), items)
}

/// The product module's own items (service facts, clients); `operations`
/// are the `mod` items of its operations, inline or in their own files.
pub fn product_module(product: &Product, operations: Vec<syn::Item>) -> syn::Result<syn::File> {
    let title = product.title.as_deref().unwrap_or(&product.product);
    let doc = format!(
        "{title} (product code {}, API version {}): {} operation{}.",
        docs::code(&product.product),
        product.version,
        product.operations.len(),
        if product.operations.len() == 1 { "" } else { "s" }
    );
    let mut items = Items::default();
    items.quoted(client::product_items(product));
    for item in operations {
        items.push(item);
    }
    file(docs::inner_attributes(&doc), items)
}

/// `mod x;` (or `mod x { .. }` with `content`) and `pub use x::*;` for one
/// operation of a product.
pub fn operation_mod(op: &Operation, content: Option<syn::File>) -> Vec<syn::Item> {
    let m = names::ident(&module_name(op));
    let mut reexport = ast::use_glob(&m);
    reexport.vis = syn::Visibility::Public(Default::default());
    vec![syn::Item::Mod(module(syn::Visibility::Inherited, m, content)), syn::Item::Use(reexport)]
}

/// `mod ident;`, or `mod ident { .. }` holding `content`: an inline module
/// carries the file's own docs as inner attributes.
pub fn module(vis: syn::Visibility, ident: Ident, content: Option<syn::File>) -> syn::ItemMod {
    let (attrs, content) = match content {
        Some(file) => (file.attrs, Some((Default::default(), file.items))),
        None => (Vec::new(), None),
    };
    syn::ItemMod {
        attrs,
        vis,
        unsafety: None,
        mod_token: Default::default(),
        ident,
        semi: content.is_none().then(Default::default),
        content,
    }
}
