//! Compiling doc examples of calls, built as tokens and formatted like the
//! rest of the output.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{EmitOptions, names_of};
use crate::ir::{Operation, Product};
use crate::names;

/// A rustdoc code block calling `op` with an example request built by
/// `request`.
pub fn call(product: &Product, op: &Operation, request: &TokenStream, options: &EmitOptions) -> String {
    let n = names_of(op);
    let f = &n.snake_ident;
    let module = names::ident(&product.product);
    let (fence, crate_path) = match &options.crate_path {
        Some(path) => ("```no_run", path.as_str()),
        None => ("```ignore", "my_crate"),
    };
    let crate_ident: syn::Path = syn::parse_str(crate_path).unwrap_or_else(|_| syn::parse_quote!(aliyun_sdk));
    let body = quote! {
        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            use #crate_ident::#module::*;
            let config = aliyun_runtime::Config::builder().region("cn-hangzhou").build();
            let client = Client::new(&config);
            let response = client.#f(#request).await?;
            println!("{response:?}");
            Ok(())
        }
    };
    let formatted = match syn::parse2::<syn::File>(body) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => return String::new(),
    };
    // The function wrapper is hidden: readers see only the call.
    let lines: Vec<&str> = formatted.lines().collect();
    let mut out = vec![fence.to_string()];
    for (i, line) in lines.iter().enumerate() {
        let hidden = i == 0 || i + 1 == lines.len() || line.trim() == "Ok(())";
        let text = line.strip_prefix("    ").unwrap_or(line);
        if hidden {
            out.push(format!("# {text}"));
        } else {
            out.push(text.to_string());
        }
    }
    out.push("```".to_string());
    out.join("\n")
}
