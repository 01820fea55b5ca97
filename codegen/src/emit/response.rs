//! The response type of one operation: every documented member optional
//! (a page never promises presence), exact wire names, unknown members
//! ignored, plus the runtime's metadata (status, request id).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::names_of;
use crate::emit::types::{Direction, TypeBuilder};
use crate::ir::Operation;
use crate::names::Scope;

/// The response struct, its nested types and its `Output` impl.
pub fn response(op: &Operation, types: &mut Scope) -> TokenStream {
    let n = names_of(op);
    let ident = &n.response;
    let mut builder = TypeBuilder::new(types, Direction::Response);
    let doc = format!(" Response of [`Client::{}`](super::Client::{}).", n.snake, n.snake);
    let extra = quote! {
        #[serde(skip)]
        meta: aliyun_runtime::ResponseMeta,
    };
    let (def, _) = builder.struct_def(ident, &op.response, Some(&doc), &["meta"], extra);
    let nested = std::mem::take(&mut builder.defs);
    quote! {
        #def

        impl #ident {
            /// HTTP status and request id of the response that produced this value.
            pub fn meta(&self) -> &aliyun_runtime::ResponseMeta {
                &self.meta
            }
        }

        impl aliyun_runtime::Output for #ident {
            fn set_meta(&mut self, meta: aliyun_runtime::ResponseMeta) {
                self.meta = meta;
            }
        }

        #(#nested)*
    }
}
