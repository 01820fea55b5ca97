//! Paginators for list operations.
//!
//! An operation is paged when it takes a page number and a page size in the
//! query (`page`/`size` or `PageNumber`/`PageSize`, any case) and returns
//! one top-level array of items. The total, when the response carries one
//! (`Headers.X-Total-Count` in ROA bodies, or a top-level `TotalCount`),
//! stops the stream without an extra request; otherwise a short or empty
//! page does.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{docs, names_of};
use crate::ir::{Field, Location, Operation, Type};
use crate::names;

/// What makes an operation paged, by member name.
struct Paging<'a> {
    page: &'a crate::ir::Param,
    size: &'a crate::ir::Param,
    items: &'a Field,
    /// Path of snake-case members to the total, and its type.
    total: Option<(Vec<String>, Type)>,
}

fn find_param<'a>(op: &'a Operation, names: &[&str]) -> Option<&'a crate::ir::Param> {
    op.params.iter().find(|p| {
        p.location == Location::Query
            && matches!(p.ty, Type::Integer | Type::Long)
            && p.rust_name.is_none()
            && names.iter().any(|n| p.name.eq_ignore_ascii_case(n))
    })
}

fn paging(op: &Operation) -> Option<Paging<'_>> {
    let page = find_param(op, &["page", "pageNumber"])?;
    let size = find_param(op, &["size", "pageSize"])?;
    let mut arrays = op.response.iter().filter(|f| f.ty == Type::Array && f.rust_name.is_none());
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
            h.fields
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case("x-total-count") && integer(f))
                .map(|f| (vec![names::snake(&h.name, "value"), names::snake(&f.name, "value")], f.ty))
        })
        .or_else(|| {
            op.response
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case("totalCount") && integer(f))
                .map(|f| (vec![names::snake(&f.name, "value")], f.ty))
        });
    Some(Paging { page, size, items, total })
}

/// `{op}_pages`, a stream of every page, for paged operations.
pub fn paginator(op: &Operation) -> Option<TokenStream> {
    let paging = paging(op)?;
    let n = names_of(op);
    let (call, request, response, error) = (&n.snake_ident, &n.request, &n.response, &n.error);
    let pages_fn = format_ident!("{}_pages", n.snake);
    let page = names::field_ident(&paging.page.name);
    let size = names::field_ident(&paging.size.name);
    let items = names::field_ident(&paging.items.name);
    let to_i64 = |ty: Type| if ty == Type::Integer { quote!(.map(i64::from)) } else { quote!() };
    // Required parameters are plain values, optional ones `Option`s.
    let read = |p: &crate::ir::Param, ident: &proc_macro2::Ident| {
        let conv = to_i64(p.ty);
        if p.required { quote!(Some(request.#ident)#conv) } else { quote!(request.#ident #conv) }
    };
    let page_value = read(paging.page, &page);
    let size_value = read(paging.size, &size);
    let total = match &paging.total {
        Some((path, ty)) if path.len() == 2 => {
            let (outer, inner) = (names::field_ident(&path[0]), names::field_ident(&path[1]));
            let conv = to_i64(*ty);
            quote!(response.#outer.as_ref().and_then(|h| h.#inner)#conv)
        }
        Some((path, ty)) => {
            let member = names::field_ident(path.first().map(String::as_str).unwrap_or("total"));
            let conv = to_i64(*ty);
            quote!(response.#member #conv)
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
                aliyun_runtime::paginate(
                    request,
                    move |request| self.#call(request),
                    |request: &mut #request, response: &#response| {
                        let items = response.#items.as_ref().map_or(0, Vec::len);
                        let next = aliyun_runtime::next_page(#page_value, #size_value, items, #total);
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
