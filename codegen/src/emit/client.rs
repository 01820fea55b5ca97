//! The call function of each operation and the per-product client and
//! module that hold them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{EmitOptions, OpNames, ast, docs, example};
use crate::ir::{Operation, Product, Style};
use crate::names;

/// The call function of one operation. It returns the runtime's `Call`
/// (await it, or `wait()` on it with the `blocking` feature) rather than
/// being an `async fn`, so no operation has a state machine of its own and
/// no operation needs a second, blocking copy.
pub fn call(
    product: &Product,
    op: &Operation,
    n: &OpNames,
    example: &syn::Expr,
    options: &EmitOptions,
) -> syn::ItemImpl {
    let (f, request, response, error) = (&n.snake_ident, &n.request, &n.response, &n.error);
    // self.inner.send(request.into_request())
    let send = ast::method(
        ast::self_field(&names::ident("inner")),
        "send",
        vec![ast::method(ast::expr_path(&["request"]), "into_request", Vec::new())],
    );
    let call = ast::function(
        docs::raw_attributes(&call_doc(product, op, n, example, options)),
        true,
        f.clone(),
        ast::Receiver::Ref,
        vec![(names::ident("request"), ast::ident_ty(request))],
        ast::ty(&["Call"], [ast::ident_ty(response), ast::ident_ty(error)]),
        vec![syn::Stmt::Expr(send, None)],
    );
    client_impl(vec![call])
}

/// `impl super::Client { methods }`, in an operation's file.
pub fn client_impl(methods: Vec<syn::ImplItemFn>) -> syn::ItemImpl {
    let mut item = ast::inherent_impl(&names::ident("Client"), methods);
    item.self_ty = Box::new(ast::ty(&["super", "Client"], []));
    item
}

/// Rustdoc of a call: summary, method and path, parameters, errors and a
/// compiling example.
fn call_doc(product: &Product, op: &Operation, n: &OpNames, request: &syn::Expr, options: &EmitOptions) -> String {
    let mut out = String::new();
    let summary = op.summary.as_deref().map(docs::clean).unwrap_or_default();
    if summary.is_empty() {
        out.push_str(&format!("Calls {}.", docs::code(&op.name)));
    } else {
        out.push_str(&summary);
    }
    if let Some(description) = op.description.as_deref().map(docs::clean).filter(|d| !d.is_empty()) {
        out.push_str("\n\n");
        out.push_str(&description);
    }
    out.push_str(&format!("\n\n{} {}", docs::code(&format!("{} {}", op.method, op.path)), action_note(op)));
    if !op.alternative_methods.is_empty() {
        out.push_str(&format!(
            " The page also lists {}; the official SDKs send {}, and so does this client.",
            op.alternative_methods.join(", "),
            op.method
        ));
    }
    out.push_str(&format!("\n\n[Try it in the API Explorer]({}).", explorer_link(product, op)));
    if !op.params.is_empty() {
        out.push_str(
            "\n\n# Parameters\n\n| Name | In | Type | Required | Example | Description |\n|---|---|---|---|---|---|\n",
        );
        for p in &op.params {
            let example = p.example.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(docs::code);
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                docs::code(&p.name),
                p.location.as_str(),
                p.ty.as_str(),
                if p.required { "yes" } else { "no" },
                docs::cell(&example.unwrap_or_default()),
                docs::cell(p.description.as_deref().unwrap_or(""))
            ));
        }
    }
    if let Some(body) = &op.body {
        out.push_str(&format!("\nThe request has a JSON body ({:?}).\n", body.kind).to_lowercase());
    }
    if !op.errors.is_empty() {
        out.push_str("\n# Errors\n\n| Status | Code | Meaning |\n|---|---|---|\n");
        for e in &op.errors {
            let meaning = e.description.as_deref().or(e.message.as_deref()).unwrap_or("");
            let status = if e.status == 0 { "?".to_string() } else { e.status.to_string() };
            out.push_str(&format!("| {status} | {} | {} |\n", docs::code(&e.code), docs::cell(meaning)));
        }
    }
    out.push_str("\n# Example\n\n");
    out.push_str(&example::call(product, n, request, options));
    out
}

/// The operation's page in Alibaba's API Explorer, from facts alone.
fn explorer_link(product: &Product, op: &Operation) -> String {
    let style = match product.style {
        Style::Roa => "ROA",
        Style::Rpc => "RPC",
    };
    format!(
        "https://api.aliyun.com/#product={}&api={}&type={style}&version={}",
        product.product, op.name, product.version
    )
}

fn action_note(op: &Operation) -> String {
    format!("(action {}).", docs::code(&op.name))
}

/// The product module's own items: the service facts and the client types.
pub fn product_items(product: &Product) -> TokenStream {
    let code = &product.product;
    let version = &product.version;
    let endpoint = product.endpoint.clone().unwrap_or_else(|| format!("{code}.{{region}}.aliyuncs.com"));
    let vpc = match &product.vpc_endpoint {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let protocol = quote::format_ident!("{}", if product.style == crate::ir::Style::Rpc { "Rpc" } else { "Roa" });
    let (regions, hosts): (Vec<_>, Vec<_>) = product.endpoint_exceptions.iter().unzip();
    let title = product.title.clone().unwrap_or_else(|| code.clone());
    let client_doc = format!(
        " Client for {title} (API version {version}): one method per operation, returning a call to `.await` (or to `.wait()` on, with the `blocking` feature)."
    );
    quote! {
        /// Endpoint and version facts of this product, for the runtime.
        pub static SERVICE: aliyun_runtime::Service = aliyun_runtime::Service {
            code: #code,
            version: #version,
            endpoint: #endpoint,
            vpc_endpoint: #vpc,
            protocol: aliyun_runtime::Protocol::#protocol,
            endpoint_exceptions: &[#((#regions, #hosts)),*],
        };

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share the connection pool.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: aliyun_runtime::ServiceClient,
        }

        impl Client {
            /// A client using `config` (region, credentials, timeouts, retries).
            pub fn new(config: &aliyun_runtime::Config) -> Self {
                Client { inner: aliyun_runtime::ServiceClient::new(config, &SERVICE) }
            }

            /// A client whose calls use `options` (timeouts, retries, extra
            /// headers or query) on top of its configuration.
            pub fn with_options(&self, options: aliyun_runtime::CallOptions) -> Self {
                Client { inner: self.inner.with_options(options) }
            }
        }
    }
}
