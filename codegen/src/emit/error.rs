//! The error type of one operation: a variant per documented code, a
//! fallback for the rest, `is_<code>()` helpers, and the runtime's
//! `operation_error!` for everything every operation's error shares.

use proc_macro2::Span;
use quote::quote;

use crate::emit::{Items, OpNames, ast, docs};
use crate::ir::Operation;
use crate::names::{self, Scope};

/// The per-operation error enum and its helpers.
pub fn error(op: &Operation, n: &OpNames) -> Items {
    let ident = &n.error;
    // `Unhandled` is ours; a documented code with that name gets a suffix.
    let mut variants = Scope::with_reserved(&["Unhandled"]);
    let mut helpers = Scope::with_reserved(&["code", "request_id", "details", "is_unhandled"]);
    let details_ty = || ast::ty(&["ErrorDetails"], []);
    let details = || ast::expr_path(&["details"]);
    let mut variant_items = Vec::new();
    let mut arms = Vec::new();
    let mut matched = Vec::new();
    let mut is_fns = Vec::new();
    for e in &op.errors {
        let variant =
            names::ident(&variants.claim(e.rust_name.clone().unwrap_or_else(|| names::pascal(&e.code, "Code"))));
        let code = &e.code;
        let mut text =
            if e.status == 0 { docs::code(code) } else { format!("{} (HTTP {})", docs::code(code), e.status) };
        if let Some(message) = e.message.as_deref().filter(|m| !m.trim().is_empty()) {
            text.push_str(&format!(": {}", docs::clean(message)));
        }
        if let Some(description) = e.description.as_deref().filter(|d| !d.trim().is_empty()) {
            text.push_str(&format!("\n\n{}", docs::clean(description)));
        }
        variant_items.push(wrapping_variant(docs::raw_attributes(&text), variant.clone(), details_ty()));
        arms.push(ast::arm(ast::pat_str(code), variant_call(&variant)));
        matched.push(ast::pat_tuple_struct(ast::self_variant(&variant), vec![ast::pat_ident("details")]));
        let is_fn = names::ident(&helpers.claim(format!("is_{}", names::snake(&e.code, "code"))));
        let is_doc = format!(" Whether the service answered {}.", docs::code(code));
        let is_variant = ast::macro_call(&["matches"], quote!(self, Self::#variant(_)));
        let body = syn::Expr::Macro(syn::ExprMacro { attrs: Vec::new(), mac: is_variant });
        is_fns.push(ast::function(
            vec![ast::doc_attr(&is_doc)],
            true,
            is_fn,
            ast::Receiver::Ref,
            Vec::new(),
            ast::ty(&["bool"], []),
            vec![syn::Stmt::Expr(body, None)],
        ));
    }
    let unhandled = syn::Ident::new("Unhandled", Span::call_site());
    let doc = format!(" Errors of [`Client::{}`](super::Client::{}).", n.snake, n.snake);
    variant_items.push(wrapping_variant(
        vec![ast::doc_attr(" A code the page does not document.")],
        unhandled.clone(),
        details_ty(),
    ));
    let definition = syn::ItemEnum {
        attrs: vec![
            ast::doc_attr(&doc),
            ast::list_attr("derive", quote!(Clone, Debug, PartialEq)),
            ast::word_attr("non_exhaustive"),
        ],
        vis: syn::Visibility::Public(Default::default()),
        enum_token: Default::default(),
        ident: ident.clone(),
        generics: Default::default(),
        brace_token: Default::default(),
        variants: variant_items.into_iter().collect(),
    };
    let from_details = if arms.is_empty() {
        variant_call(&unhandled)
    } else {
        arms.push(ast::arm(ast::pat_wild(), variant_call(&unhandled)));
        ast::match_expr(ast::method(ast::field_of(details(), &names::ident("code")), "as_str", Vec::new()), arms)
    };
    matched.push(ast::pat_tuple_struct(ast::self_variant(&unhandled), vec![ast::pat_ident("details")]));
    let any_variant = if matched.len() == 1 {
        matched.remove(0)
    } else {
        syn::Pat::Or(syn::PatOr { attrs: Vec::new(), leading_vert: None, cases: matched.into_iter().collect() })
    };
    let details_of = ast::match_expr(ast::expr_path(&["self"]), vec![ast::arm(any_variant, details())]);
    let methods = vec![
        ast::function(
            Vec::new(),
            false,
            names::ident("from_details"),
            ast::Receiver::None,
            vec![(names::ident("details"), details_ty())],
            ast::ty(&["Self"], []),
            vec![syn::Stmt::Expr(from_details, None)],
        ),
        ast::function(
            Vec::new(),
            false,
            names::ident("details"),
            ast::Receiver::Ref,
            Vec::new(),
            ast::ty_ref(details_ty()),
            vec![syn::Stmt::Expr(details_of, None)],
        ),
    ];
    let mut items = Items::default();
    items.push(definition);
    items.push(ast::trait_impl(&["aliyun_runtime", "OperationError"], ident, methods));
    if !is_fns.is_empty() {
        items.push(ast::inherent_impl(ident, is_fns));
    }
    // `code()`, `request_id()`, `details()`, `Display`, `Error`.
    items.push(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: ast::macro_call(&["aliyun_runtime", "__private", "operation_error"], quote!(#ident)),
        semi_token: Some(Default::default()),
    });
    items
}

/// `variant(ty)` with `attrs`, an enum variant wrapping one value.
fn wrapping_variant(attrs: Vec<syn::Attribute>, ident: syn::Ident, ty: syn::Type) -> syn::Variant {
    let field = syn::Field {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        mutability: syn::FieldMutability::None,
        ident: None,
        colon_token: None,
        ty,
    };
    syn::Variant {
        attrs,
        ident,
        fields: syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: std::iter::once(field).collect(),
        }),
        discriminant: None,
    }
}

/// `Self::variant(details)`.
fn variant_call(variant: &syn::Ident) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(syn::ExprPath {
            attrs: Vec::new(),
            qself: None,
            path: ast::self_variant(variant),
        })),
        paren_token: Default::default(),
        args: std::iter::once(ast::expr_path(&["details"])).collect(),
    })
}
