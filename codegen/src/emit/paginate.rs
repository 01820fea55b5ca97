//! Paginators for list operations.
//!
//! Which parameters page is the paging role of [`crate::traits`] (the
//! naming rule, correctable in `overrides.yaml`). Two kinds:
//!
//! - **Token pages**: a `NextToken` parameter and a top-level `NextToken`
//!   in the response; each page sends the token of the one before, and a
//!   missing, empty or repeated token ends the stream. Where an operation
//!   has both kinds, the token wins.
//! - **Numbered pages**: a page number and a page size, and one top-level
//!   array of items (an RPC wrapper such as `Instances` → `Instance`
//!   counts). The total, when the response carries one
//!   (`Headers.X-Total-Count` in ROA bodies, or a top-level `TotalCount`),
//!   stops the stream without an extra request; otherwise a short or empty
//!   page does.

use proc_macro2::{Ident, Span};
use quote::format_ident;

use crate::emit::types::{member_idents, wrapped_array};
use crate::emit::{OpNames, ast, client, docs};
use crate::ir::{Field, Operation, PagingRole, Product, Style, Type};
use crate::names;
use crate::traits;

/// What makes an operation paged, by member name.
struct Paging<'a> {
    page: &'a crate::ir::Param,
    size: &'a crate::ir::Param,
    items: &'a Field,
    /// Members leading to the total, and its type.
    total: Option<(Vec<Ident>, Type)>,
}

/// The member named `wire` in `members` (as the struct's emitter named it).
fn member<'m>(members: &'m [(String, Ident)], wire: &str) -> Option<&'m Ident> {
    members.iter().find(|(name, _)| name == wire).map(|(_, ident)| ident)
}

fn paging<'a>(product: &Product, op: &'a Operation, response: &[(String, Ident)]) -> Option<Paging<'a>> {
    let page = traits::param_with_role(product, op, PagingRole::PageNumber)?;
    let size = traits::param_with_role(product, op, PagingRole::PageSize)?;
    let rpc = product.style == Style::Rpc;
    let mut arrays = op
        .response
        .iter()
        .filter(|f| (f.ty == Type::Array || rpc && wrapped_array(f).is_some()) && f.rust_name.is_none());
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let integer = |f: &Field| matches!(f.ty, Type::Integer | Type::Long) && f.rust_name.is_none();
    let total = op
        .response
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("headers") && f.rust_name.is_none())
        .and_then(|h| {
            let outer = member(response, &h.name)?.clone();
            // Nested structs reserve no member names.
            let inner = h
                .fields
                .iter()
                .zip(member_idents(&h.fields, &[]))
                .find(|(f, _)| f.name.eq_ignore_ascii_case("x-total-count") && integer(f))?;
            Some((vec![outer, inner.1], inner.0.ty))
        })
        .or_else(|| {
            let f = op.response.iter().find(|f| f.name.eq_ignore_ascii_case("totalCount") && integer(f))?;
            Some((vec![member(response, &f.name)?.clone()], f.ty))
        });
    Some(Paging { page, size, items, total })
}

/// `{op}_pages`, a stream of every page, for paged operations.
/// `request_members` and `response_members` are the members the request and
/// response emitters gave each wire name: the paginator names nothing itself.
pub fn paginator(
    product: &Product,
    op: &Operation,
    n: &OpNames,
    request_members: &[(String, Ident)],
    response_members: &[(String, Ident)],
) -> Option<syn::ItemImpl> {
    if let Some(item) = token_paginator(product, op, n, request_members, response_members) {
        return Some(item);
    }
    let paging = paging(product, op, response_members)?;
    let page = member(request_members, &paging.page.name)?;
    let size = member(request_members, &paging.size.name)?;
    let items = member(response_members, &paging.items.name)?;
    let to_i64 = |value: syn::Expr, ty: Type| {
        if ty == Type::Integer { ast::method(value, "map", vec![ast::expr_path(&["i64", "from"])]) } else { value }
    };
    let request = || ast::expr_path(&["request"]);
    let response = || ast::expr_path(&["response"]);
    // Required parameters are plain values, optional ones `Option`s.
    let read = |p: &crate::ir::Param, ident: &Ident| {
        let value = ast::field_of(request(), ident);
        match (p.required, p.ty == Type::Integer) {
            (true, true) => some(ast::call_with(&["i64", "from"], vec![value])),
            (true, false) => some(value),
            (false, _) => to_i64(value, p.ty),
        }
    };
    let total = match &paging.total {
        Some((path, ty)) => match path.as_slice() {
            [outer, inner] => {
                let headers = ast::method(ast::field_of(response(), outer), "as_ref", Vec::new());
                let inner = closure(false, vec![ast::pat_ident("h")], ast::field_of(ast::expr_path(&["h"]), inner));
                to_i64(ast::method(headers, "and_then", vec![inner]), *ty)
            }
            [member] => to_i64(ast::field_of(response(), member), *ty),
            _ => ast::expr_path(&["None"]),
        },
        None => ast::expr_path(&["None"]),
    };
    let next = || ast::expr_path(&["next"]);
    let converted = if paging.page.ty == Type::Integer {
        ast::method(ast::call_with(&["i32", "try_from"], vec![next()]), "ok", Vec::new())
    } else {
        some(next())
    };
    let page_member = || ast::field_of(request(), page);
    let set_page = if paging.page.required {
        let set = vec![ast::semi(assign(page_member(), next())), syn::Stmt::Expr(bool_lit(true), None)];
        vec![syn::Stmt::Expr(
            ast::match_expr(converted, vec![block_arm(some_pat("next"), set), ast::arm(none_pat(), bool_lit(false))]),
            None,
        )]
    } else {
        vec![
            ast::semi(assign(page_member(), converted)),
            syn::Stmt::Expr(ast::method(page_member(), "is_some", Vec::new()), None),
        ]
    };
    let counted = ast::method(
        ast::method(ast::field_of(response(), items), "as_ref", Vec::new()),
        "map_or",
        vec![int_lit("0"), ast::expr_path(&["Vec", "len"])],
    );
    let next_page = ast::call_with(
        &["aliyun_runtime", "__private", "next_page"],
        vec![read(paging.page, page), read(paging.size, size), ast::expr_path(&["items"]), total],
    );
    let decide =
        ast::match_expr(next(), vec![block_arm(some_pat("next"), set_page), ast::arm(none_pat(), bool_lit(false))]);
    let step = vec![
        ast::local(ast::pat_ident("items"), counted),
        ast::local(ast::pat_ident("next"), next_page),
        syn::Stmt::Expr(decide, None),
    ];
    let doc = format!(
        "Every page of [`Client::{0}`](super::Client::{0}), fetched one request at a time as the stream is polled.\n\nStarts at the request's `{1}` (1 when unset) and stops after the last page; an error ends the stream after it is yielded.",
        n.snake, paging.page.name
    );
    Some(pages_fn(n, &doc, step))
}

/// `{op}_pages` for operations paged by `NextToken` (see the module docs).
fn token_paginator(
    product: &Product,
    op: &Operation,
    n: &OpNames,
    request_members: &[(String, Ident)],
    response_members: &[(String, Ident)],
) -> Option<syn::ItemImpl> {
    let param = traits::param_with_role(product, op, PagingRole::NextToken)?;
    let answer = op
        .response
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("nextToken") && f.ty == Type::String && f.rust_name.is_none())?;
    let sent = ast::field_of(ast::expr_path(&["request"]), member(request_members, &param.name)?);
    let next = member(response_members, &answer.name)?;
    let token = ast::expr_path(&["token"]);
    let (current, set) = if param.required {
        (some(ast::method(sent.clone(), "as_str", Vec::new())), assign(sent, token))
    } else {
        (ast::method(sent.clone(), "as_deref", Vec::new()), assign(sent, some(token)))
    };
    let answered = ast::method(ast::field_of(ast::expr_path(&["response"]), next), "as_deref", Vec::new());
    let decide = ast::match_expr(
        ast::call_with(&["aliyun_runtime", "__private", "next_token"], vec![current, answered]),
        vec![
            block_arm(some_pat("token"), vec![ast::semi(set), syn::Stmt::Expr(bool_lit(true), None)]),
            ast::arm(none_pat(), bool_lit(false)),
        ],
    );
    let doc = format!(
        "Every page of [`Client::{0}`](super::Client::{0}), fetched one request at a time as the stream is polled.\n\nEach request sends the `{1}` of the response before it; the stream stops after a response without a new one, and an error ends the stream after it is yielded.",
        n.snake, param.name
    );
    Some(pages_fn(n, &doc, vec![syn::Stmt::Expr(decide, None)]))
}

/// `impl super::Client { fn {op}_pages(..) }`: the stream that calls the
/// operation page after page; `step` is the body of the closure that
/// turns a request and its response into the next request (or `false`).
fn pages_fn(n: &OpNames, doc: &str, step: Vec<syn::Stmt>) -> syn::ItemImpl {
    let (call, request, response, error) = (&n.snake_ident, &n.request, &n.response, &n.error);
    let request_ty = ast::ident_ty(request);
    let response_ty = ast::ident_ty(response);
    // impl aliyun_runtime::Stream<Item = Result<Response, aliyun_runtime::Error<Error>>> + '_
    let failed = ast::ty(&["aliyun_runtime", "Error"], [ast::ident_ty(error)]);
    let item = syn::AssocType {
        ident: names::ident("Item"),
        generics: None,
        eq_token: Default::default(),
        ty: ast::ty(&["Result"], [response_ty.clone(), failed]),
    };
    let mut stream = ast::path(&["aliyun_runtime", "Stream"]);
    if let Some(last) = stream.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::AssocType(item)).collect(),
            gt_token: Default::default(),
        });
    }
    let bound =
        syn::TraitBound { paren_token: None, modifier: syn::TraitBoundModifier::None, lifetimes: None, path: stream };
    let output = syn::Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: [
            syn::TypeParamBound::Trait(bound),
            syn::TypeParamBound::Lifetime(syn::Lifetime::new("'_", Span::call_site())),
        ]
        .into_iter()
        .collect(),
    });
    let send = syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(ast::expr_path(&["self"])),
        dot_token: Default::default(),
        method: call.clone(),
        turbofish: None,
        paren_token: Default::default(),
        args: std::iter::once(ast::expr_path(&["request"])).collect(),
    });
    let typed = |name: &str, ty: syn::Type| {
        syn::Pat::Type(syn::PatType {
            attrs: Vec::new(),
            pat: Box::new(ast::pat_ident(name)),
            colon_token: Default::default(),
            ty: Box::new(ty),
        })
    };
    let mut request_mut = ast::ty_ref(request_ty.clone());
    if let syn::Type::Reference(r) = &mut request_mut {
        r.mutability = Some(Default::default());
    }
    let step =
        closure(false, vec![typed("request", request_mut), typed("response", ast::ty_ref(response_ty))], block(step));
    let paginate = ast::call_with(
        &["aliyun_runtime", "__private", "paginate"],
        vec![ast::expr_path(&["request"]), closure(true, vec![ast::pat_ident("request")], send), step],
    );
    let function = ast::function(
        docs::raw_attributes(doc),
        true,
        format_ident!("{}_pages", n.snake),
        ast::Receiver::Ref,
        vec![(names::ident("request"), request_ty)],
        output,
        vec![syn::Stmt::Expr(paginate, None)],
    );
    client::client_impl(vec![function])
}

/// `|inputs| body` (`move` when `moves`).
fn closure(moves: bool, inputs: Vec<syn::Pat>, body: syn::Expr) -> syn::Expr {
    syn::Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        constness: None,
        movability: None,
        asyncness: None,
        capture: moves.then(Default::default),
        or1_token: Default::default(),
        inputs: inputs.into_iter().collect(),
        or2_token: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `{ stmts }` as an expression.
fn block(stmts: Vec<syn::Stmt>) -> syn::Expr {
    syn::Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: syn::Block { brace_token: Default::default(), stmts },
    })
}

/// `pat => { stmts }`.
fn block_arm(pat: syn::Pat, stmts: Vec<syn::Stmt>) -> syn::Arm {
    let mut arm = ast::arm(pat, block(stmts));
    arm.comma = None;
    arm
}

/// `Some(binding)`.
fn some_pat(binding: &str) -> syn::Pat {
    ast::pat_tuple_struct(ast::path(&["Some"]), vec![ast::pat_ident(binding)])
}

/// `None`, as a pattern.
fn none_pat() -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: names::ident("None"),
        subpat: None,
    })
}

/// `Some(value)`.
fn some(value: syn::Expr) -> syn::Expr {
    ast::call_with(&["Some"], vec![value])
}

/// `place = value`.
fn assign(place: syn::Expr, value: syn::Expr) -> syn::Expr {
    syn::Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(place),
        eq_token: Default::default(),
        right: Box::new(value),
    })
}

fn bool_lit(value: bool) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())) })
}

fn int_lit(digits: &str) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Int(syn::LitInt::new(digits, Span::call_site())) })
}
