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

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::types::{member_idents, wrapped_array};
use crate::emit::{OpNames, docs};
use crate::ir::{Field, Operation, PagingRole, Product, Style, Type};
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
) -> Option<TokenStream> {
    if let Some(tokens) = token_paginator(product, op, n, request_members, response_members) {
        return Some(tokens);
    }
    let paging = paging(product, op, response_members)?;
    let (call, request, response, error) = (&n.snake_ident, &n.request, &n.response, &n.error);
    let pages_fn = format_ident!("{}_pages", n.snake);
    let page = member(request_members, &paging.page.name)?;
    let size = member(request_members, &paging.size.name)?;
    let items = member(response_members, &paging.items.name)?;
    let to_i64 = |ty: Type| if ty == Type::Integer { quote!(.map(i64::from)) } else { quote!() };
    // Required parameters are plain values, optional ones `Option`s.
    let read = |p: &crate::ir::Param, ident: &Ident| match (p.required, p.ty == Type::Integer) {
        (true, true) => quote!(Some(i64::from(request.#ident))),
        (true, false) => quote!(Some(request.#ident)),
        (false, _) => {
            let conv = to_i64(p.ty);
            quote!(request.#ident #conv)
        }
    };
    let page_value = read(paging.page, page);
    let size_value = read(paging.size, size);
    let total = match &paging.total {
        Some((path, ty)) => {
            let conv = to_i64(*ty);
            match path.as_slice() {
                [outer, inner] => quote!(response.#outer.as_ref().and_then(|h| h.#inner)#conv),
                [member] => quote!(response.#member #conv),
                _ => quote!(None),
            }
        }
        None => quote!(None),
    };
    let converted = if paging.page.ty == Type::Integer { quote!(i32::try_from(next).ok()) } else { quote!(Some(next)) };
    let set_page = if paging.page.required {
        quote! {
            match #converted {
                Some(next) => {
                    request.#page = next;
                    true
                }
                None => false,
            }
        }
    } else {
        quote! {
            request.#page = #converted;
            request.#page.is_some()
        }
    };
    let doc = docs::raw_attrs(&format!(
        "Every page of [`Client::{0}`](super::Client::{0}), fetched one request at a time as the stream is polled.\n\nStarts at the request's `{1}` (1 when unset) and stops after the last page; an error ends the stream after it is yielded.",
        n.snake, paging.page.name
    ));
    Some(quote! {
        impl super::Client {
            #doc
            pub fn #pages_fn(
                &self,
                request: #request,
            ) -> impl aliyun_runtime::Stream<Item = Result<#response, aliyun_runtime::Error<#error>>> + '_ {
                aliyun_runtime::__private::paginate(
                    request,
                    move |request| self.#call(request),
                    |request: &mut #request, response: &#response| {
                        let items = response.#items.as_ref().map_or(0, Vec::len);
                        let next = aliyun_runtime::__private::next_page(#page_value, #size_value, items, #total);
                        match next {
                            Some(next) => { #set_page }
                            None => false,
                        }
                    },
                )
            }
        }
    })
}

/// `{op}_pages` for operations paged by `NextToken` (see the module docs).
fn token_paginator(
    product: &Product,
    op: &Operation,
    n: &OpNames,
    request_members: &[(String, Ident)],
    response_members: &[(String, Ident)],
) -> Option<TokenStream> {
    let param = traits::param_with_role(product, op, PagingRole::NextToken)?;
    let answer = op
        .response
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("nextToken") && f.ty == Type::String && f.rust_name.is_none())?;
    let sent = member(request_members, &param.name)?;
    let next = member(response_members, &answer.name)?;
    let (call, request, response, error) = (&n.snake_ident, &n.request, &n.response, &n.error);
    let pages_fn = format_ident!("{}_pages", n.snake);
    let (current, set) = if param.required {
        (quote!(Some(request.#sent.as_str())), quote!(request.#sent = token))
    } else {
        (quote!(request.#sent.as_deref()), quote!(request.#sent = Some(token)))
    };
    let doc = docs::raw_attrs(&format!(
        "Every page of [`Client::{0}`](super::Client::{0}), fetched one request at a time as the stream is polled.\n\nEach request sends the `{1}` of the response before it; the stream stops after a response without a new one, and an error ends the stream after it is yielded.",
        n.snake, param.name
    ));
    Some(quote! {
        impl super::Client {
            #doc
            pub fn #pages_fn(
                &self,
                request: #request,
            ) -> impl aliyun_runtime::Stream<Item = Result<#response, aliyun_runtime::Error<#error>>> + '_ {
                aliyun_runtime::__private::paginate(
                    request,
                    move |request| self.#call(request),
                    |request: &mut #request, response: &#response| {
                        match aliyun_runtime::__private::next_token(#current, response.#next.as_deref()) {
                            Some(token) => {
                                #set;
                                true
                            }
                            None => false,
                        }
                    },
                )
            }
        }
    })
}
