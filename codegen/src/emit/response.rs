//! The response type of one operation: every documented member optional
//! (a page never promises presence), exact wire names, unknown members
//! ignored, plus the runtime's metadata (status, request id).

use proc_macro2::TokenStream;
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
        init: vec![ast::method_call_field(meta, "object", "meta", None)],
        methods: quote! {
            /// HTTP status and request id of the response that produced this value.
            pub fn meta(&self) -> &ResponseMeta {
                &self.meta
            }
        },
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
pub fn sample_test(op: &Operation, n: &OpNames) -> Option<TokenStream> {
    if !op.sample.as_ref()?.replayable() {
        return None;
    }
    let sample = op.response_example.as_deref()?;
    let ident = &n.response;
    let text = ast::raw_str(sample.trim());
    Some(quote! {
        #[cfg(test)]
        mod tests {
            #[test]
            fn sample_response_decodes() {
                let sample: serde_json::Value = serde_json::from_str(#text).expect("the sample is JSON");
                let unmapped = aliyun_runtime::json::unmapped::<super::#ident>(&sample).expect("the sample decodes");
                assert!(unmapped.is_empty(), "members of the sample the type does not map: {unmapped:?}");
            }
        }
    })
}
