//! Compiling doc examples of calls, built as tokens and formatted like the
//! rest of the output.

use crate::emit::{EmitOptions, OpNames, ast};
use crate::ir::Product;
use crate::names;

/// A rustdoc code block calling `op` with an example request built by
/// `request`.
pub fn call(product: &Product, n: &OpNames, request: &syn::Expr, options: &EmitOptions) -> String {
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
    // async fn example() { let response = client.f(request).await?; }
    let sent = syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(ast::expr_path(&["client"])),
        dot_token: Default::default(),
        method: f.clone(),
        turbofish: None,
        paren_token: Default::default(),
        args: std::iter::once(request.clone()).collect(),
    });
    let awaited = syn::Expr::Await(syn::ExprAwait {
        attrs: Vec::new(),
        base: Box::new(sent),
        dot_token: Default::default(),
        await_token: Default::default(),
    });
    let response =
        syn::Expr::Try(syn::ExprTry { attrs: Vec::new(), expr: Box::new(awaited), question_token: Default::default() });
    let mut function = ast::function(
        Vec::new(),
        false,
        names::ident("example"),
        ast::Receiver::None,
        Vec::new(),
        ast::ty(&["Self"], []),
        vec![ast::local(ast::pat_ident("response"), response)],
    );
    function.sig.asyncness = Some(Default::default());
    function.sig.output = syn::ReturnType::Default;
    let item = syn::Item::Fn(syn::ItemFn {
        attrs: function.attrs,
        vis: function.vis,
        sig: function.sig,
        block: Box::new(function.block),
    });
    let formatted = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] });
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
