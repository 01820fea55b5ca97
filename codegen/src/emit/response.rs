//! The response type of one operation: every documented member optional
//! (a page never promises presence), exact wire names, unknown members
//! ignored, plus the runtime's metadata (status, request id).

use quote::quote;

use crate::emit::types::{Direction, Extra, TypeBuilder, member_idents};
use crate::emit::{Items, OpNames, ast};
use crate::ir::{Operation, Product, Style};
use crate::names::{self, Scope};

/// Members of the response struct that are not the page's fields.
const RESERVED: &[&str] = &["meta"];

/// What [`response`] emits.
pub struct ResponseItems {
    /// The response struct, its nested types and their `Decode` impls.
    pub items: Items,
    /// The member each top-level field got, by wire name (paginators use them).
    pub members: Vec<(String, proc_macro2::Ident)>,
}

/// The response struct, its nested types and their `Decode` impls.
pub fn response(product: &Product, op: &Operation, n: &OpNames, types: &mut Scope) -> ResponseItems {
    let ident = &n.response;
    let mut builder = TypeBuilder::new(types, Direction::Response);
    // XML-derived wrappers are an RPC trait; ROA responses keep their shape.
    builder.flatten_wrappers = product.style == Style::Rpc;
    let doc = format!(" Response of [`Client::{}`](super::Client::{}).", n.snake, n.snake);
    let meta = names::ident("meta");
    let extra = Extra {
        decl: vec![ast::field(Vec::new(), false, meta.clone(), ast::ty(&["ResponseMeta"], []))],
        init: vec![ast::method_call_field(meta.clone(), "object", "meta", None)],
        methods: vec![ast::function(
            vec![ast::doc_attr(" HTTP status and request id of the response that produced this value.")],
            true,
            meta.clone(),
            ast::Receiver::Ref,
            Vec::new(),
            ast::ty_ref(ast::ty(&["ResponseMeta"], [])),
            vec![syn::Stmt::Expr(ast::reference(ast::self_field(&meta)), None)],
        )],
    };
    let (mut items, _) = builder.struct_def(ident, &op.response, Some(&doc), RESERVED, &extra);
    items.append(std::mem::take(&mut builder.defs));
    let members = op.response.iter().map(|f| f.name.clone()).zip(member_idents(&op.response, RESERVED)).collect();
    ResponseItems { items, members }
}

/// A unit test that decodes the page's sample response, when the page has
/// one that is valid JSON, and fails on any member of it the type leaves
/// unread (a type that ignores everything must not pass). Samples that are
/// not JSON (truncated, annotated) prove nothing about the type, so they
/// get no test.
pub fn sample_test(op: &Operation, n: &OpNames) -> Option<syn::ItemMod> {
    if !op.sample.as_ref()?.replayable() {
        return None;
    }
    let sample = op.response_example.as_deref()?;
    let text = syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(ast::raw_str(sample.trim())) });
    // let sample: serde_json::Value = serde_json::from_str(text).expect(..);
    let parsed = ast::method(
        ast::call_with(&["serde_json", "from_str"], vec![text]),
        "expect",
        vec![ast::expr_str("the sample is JSON")],
    );
    let sample_var = syn::Pat::Type(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(ast::pat_ident("sample")),
        colon_token: Default::default(),
        ty: Box::new(ast::ty(&["serde_json", "Value"], [])),
    });
    // let unmapped = aliyun_runtime::json::unmapped::<super::Response>(&sample).expect(..);
    let mut unmapped = ast::path(&["aliyun_runtime", "json", "unmapped"]);
    if let Some(last) = unmapped.segments.last_mut() {
        let mut response = ast::path(&["super"]);
        response.segments.push(n.response.clone().into());
        let response = syn::Type::Path(syn::TypePath { qself: None, path: response });
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: Some(Default::default()),
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::Type(response)).collect(),
            gt_token: Default::default(),
        });
    }
    let unmapped = syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: unmapped })),
        paren_token: Default::default(),
        args: std::iter::once(ast::reference(ast::expr_path(&["sample"]))).collect(),
    });
    let unmapped = ast::method(unmapped, "expect", vec![ast::expr_str("the sample decodes")]);
    let check = ast::macro_call(
        &["assert"],
        quote!(unmapped.is_empty(), "members of the sample the type does not map: {unmapped:?}"),
    );
    let stmts = vec![
        ast::local(sample_var, parsed),
        ast::local(ast::pat_ident("unmapped"), unmapped),
        syn::Stmt::Macro(syn::StmtMacro { attrs: Vec::new(), mac: check, semi_token: Some(Default::default()) }),
    ];
    let test = syn::ItemFn {
        attrs: vec![ast::word_attr("test")],
        vis: syn::Visibility::Inherited,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: Default::default(),
            ident: names::ident("sample_response_decodes"),
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: Default::default(),
            variadic: None,
            output: syn::ReturnType::Default,
        },
        block: Box::new(syn::Block { brace_token: Default::default(), stmts }),
    };
    Some(syn::ItemMod {
        attrs: vec![ast::list_attr("cfg", quote!(test))],
        vis: syn::Visibility::Inherited,
        unsafety: None,
        mod_token: Default::default(),
        ident: names::ident("tests"),
        content: Some((Default::default(), vec![syn::Item::Fn(test)])),
        semi: None,
    })
}
