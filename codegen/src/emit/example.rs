//! Compiling doc examples of calls, built as tokens and formatted like the
//! rest of the output.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{EmitOptions, OpNames};
use crate::ir::Product;
use crate::names;

/// A rustdoc code block calling `op` with an example request built by
/// `request`.
pub fn call(product: &Product, n: &OpNames, request: &TokenStream, options: &EmitOptions) -> String {
    let f = &n.snake_ident;
    let module = names::ident(&product.product);
    let (fence, crate_path) = match &options.crate_path {
        Some(path) => ("```no_run", path.as_str()),
        None => ("```ignore", "my_crate"),
    };
    let crate_path = if syn::parse_str::<syn::Path>(crate_path).is_ok() { crate_path } else { "aliyun_sdk" };
    // Only the call differs between operations, so only the call goes
    // through syn and prettyplease (inside a wrapper that gives it the
    // indentation of a function body); the lines around it are fixed.
    let call = quote! {
        async fn example() {
            let response = client.#f(#request).await?;
        }
    };
    let formatted = match syn::parse2::<syn::File>(call) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => return String::new(),
    };
    let call_lines = formatted.lines().filter(|line| line.starts_with("    ")).map(|line| &line[4..]);
    let mut out = vec![
        fence.to_string(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
        format!("use {crate_path}::{module}::*;"),
        "let config = aliyun_runtime::Config::builder().region(\"cn-hangzhou\").build();".to_string(),
        "let client = Client::new(&config);".to_string(),
    ];
    out.extend(call_lines.map(str::to_string));
    out.extend(["println!(\"{response:?}\");", "# Ok(())", "# }", "```"].map(str::to_string));
    out.join("\n")
}
