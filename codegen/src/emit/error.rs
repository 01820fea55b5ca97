//! The error type of one operation: a variant per documented code, a
//! fallback for the rest, `is_<code>()` helpers, and the runtime's
//! `operation_error!` for everything every operation's error shares.

use quote::quote;

use crate::emit::{Items, OpNames, docs};
use crate::ir::Operation;
use crate::names::{self, Scope};

/// The per-operation error enum and its helpers.
pub fn error(op: &Operation, n: &OpNames) -> Items {
    let ident = &n.error;
    // `Unhandled` is ours; a documented code with that name gets a suffix.
    let mut variants = Scope::with_reserved(&["Unhandled"]);
    let mut helpers = Scope::with_reserved(&["code", "request_id", "details", "is_unhandled"]);
    let mut defs = Vec::new();
    let mut variant_docs = Vec::new();
    let mut arms = Vec::new();
    let mut is_fns = Vec::new();
    let mut variant_idents = Vec::new();
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
        // Attached after parsing: doc text never goes through tokens.
        variant_docs.push(docs::raw_attributes(&text));
        defs.push(quote!(#variant(ErrorDetails),));
        arms.push(quote!(#code => Self::#variant(details),));
        variant_idents.push(variant.clone());
        let is_fn = names::ident(&helpers.claim(format!("is_{}", names::snake(&e.code, "code"))));
        let is_doc = format!(" Whether the service answered {}.", docs::code(code));
        is_fns.push(quote! {
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        });
    }
    let doc = format!(" Errors of [`Client::{}`](super::Client::{}).", n.snake, n.snake);
    let is_impl = (!is_fns.is_empty()).then(|| quote!(impl #ident { #(#is_fns)* }));
    let from_details = if arms.is_empty() {
        quote!(Self::Unhandled(details))
    } else {
        quote! {
            match details.code.as_str() {
                #(#arms)*
                _ => Self::Unhandled(details),
            }
        }
    };
    let mut items = Items::default();
    match syn::parse2::<syn::ItemEnum>(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #ident {
            #(#defs)*
            /// A code the page does not document.
            Unhandled(ErrorDetails),
        }
    }) {
        Ok(mut item) => {
            for (variant, attrs) in item.variants.iter_mut().zip(variant_docs) {
                variant.attrs = attrs;
            }
            items.push(item);
        }
        Err(e) => items.fail(e),
    }
    items.quoted(quote! {
        impl aliyun_runtime::OperationError for #ident {
            fn from_details(details: ErrorDetails) -> Self {
                #from_details
            }

            fn details(&self) -> &ErrorDetails {
                match self {
                    #(Self::#variant_idents(details) |)* Self::Unhandled(details) => details,
                }
            }
        }

        #is_impl

        // `code()`, `request_id()`, `details()`, `Display`, `Error`.
        aliyun_runtime::__private::operation_error!(#ident);
    });
    items
}
