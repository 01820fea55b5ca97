//! syn nodes built directly, for the shapes the output repeats most.
//!
//! Everything else is written with `quote!` and parsed by syn before
//! prettyplease prints it. Response structs and their `Decode` impls are
//! most of every file (one field and one member read per documented
//! member), and parsing tokens we have just produced costs more than
//! producing them. So their items are built as syn values here and handed
//! to the renderer through [`Prebuilt`]: while one is active on the thread,
//! [`item`] stores the item and returns a one-line placeholder item, which
//! [`Prebuilt::splice`] swaps back after parsing. Without an active
//! [`Prebuilt`], [`item`] returns the item's tokens, so the output is the
//! same either way (only slower).

use std::cell::RefCell;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;

/// A path type with one segment per name and generic `args` on the last:
/// `ty(&["std", "collections", "BTreeMap"], [key, value])`.
pub fn ty(segments: &[&str], args: impl IntoIterator<Item = syn::Type>) -> syn::Type {
    let mut path = path(segments);
    let args: Punctuated<syn::GenericArgument, syn::Token![,]> =
        args.into_iter().map(syn::GenericArgument::Type).collect();
    if let (false, Some(last)) = (args.is_empty(), path.segments.last_mut()) {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args,
            gt_token: Default::default(),
        });
    }
    syn::Type::Path(syn::TypePath { qself: None, path })
}

/// The type named by `ident` (a generated struct).
pub fn ident_ty(ident: &syn::Ident) -> syn::Type {
    syn::Type::Path(syn::TypePath { qself: None, path: ident.clone().into() })
}

fn path(segments: &[&str]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments.iter().map(|s| syn::PathSegment::from(syn::Ident::new(s, Span::call_site()))).collect(),
    }
}

/// `#[doc = value]`.
pub fn doc_attr(value: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: path(&["doc"]),
            eq_token: Default::default(),
            value: str_lit(value),
        }),
    }
}

/// `#[name(tokens)]`, as `#[derive(Clone, Debug)]`.
pub fn list_attr(name: &str, tokens: TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: path(&[name]),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
    }
}

/// A named field `pub ident: ty` (or private) with `attrs`.
pub fn field(attrs: Vec<syn::Attribute>, public: bool, ident: syn::Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: if public { syn::Visibility::Public(Default::default()) } else { syn::Visibility::Inherited },
        mutability: syn::FieldMutability::None,
        ident: Some(ident),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `pub struct ident { fields }` with `attrs`.
pub fn public_struct(attrs: Vec<syn::Attribute>, ident: syn::Ident, fields: Vec<syn::Field>) -> syn::ItemStruct {
    syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident,
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed { brace_token: Default::default(), named: fields.into_iter().collect() }),
        semi_token: None,
    }
}

/// `member: receiver.method("argument")` (or `receiver.method()`), a
/// struct literal's field.
pub fn method_call_field(member: syn::Ident, receiver: &str, method: &str, argument: Option<&str>) -> syn::FieldValue {
    let receiver = syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(&[receiver]) });
    field_value(
        member,
        syn::Expr::MethodCall(syn::ExprMethodCall {
            attrs: Vec::new(),
            receiver: Box::new(receiver),
            dot_token: Default::default(),
            method: syn::Ident::new(method, Span::call_site()),
            turbofish: None,
            paren_token: Default::default(),
            args: argument.map(str_lit).into_iter().collect(),
        }),
    )
}

/// `member: expr`, a struct literal's field.
pub fn field_value(member: syn::Ident, expr: syn::Expr) -> syn::FieldValue {
    syn::FieldValue { attrs: Vec::new(), member: syn::Member::Named(member), colon_token: Some(Default::default()), expr }
}

/// `a::b::c()`, a call without arguments.
pub fn call(function: &[&str]) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(function) })),
        paren_token: Default::default(),
        args: Punctuated::new(),
    })
}

/// `impl Decode for ident { fn decode(object: &Object<'_>) -> Self { Self { fields } } }`.
pub fn decode_impl(ident: &syn::Ident, fields: Vec<syn::FieldValue>) -> syn::ItemImpl {
    let literal = syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&["Self"]),
        brace_token: Default::default(),
        fields: fields.into_iter().collect(),
        dot2_token: None,
        rest: None,
    });
    let object_ref = syn::Type::Reference(syn::TypeReference {
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty_with_lifetime("Object")),
    });
    let input = syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: syn::Ident::new("object", Span::call_site()),
            subpat: None,
        })),
        colon_token: Default::default(),
        ty: Box::new(object_ref),
    });
    let signature = syn::Signature {
        constness: None,
        asyncness: None,
        unsafety: None,
        abi: None,
        fn_token: Default::default(),
        ident: syn::Ident::new("decode", Span::call_site()),
        generics: Default::default(),
        paren_token: Default::default(),
        inputs: std::iter::once(input).collect(),
        variadic: None,
        output: syn::ReturnType::Type(Default::default(), Box::new(ty(&["Self"], []))),
    };
    let function = syn::ImplItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        defaultness: None,
        sig: signature,
        block: syn::Block { brace_token: Default::default(), stmts: vec![syn::Stmt::Expr(literal, None)] },
    };
    syn::ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: Some((None, path(&["Decode"]), Default::default())),
        self_ty: Box::new(ident_ty(ident)),
        brace_token: Default::default(),
        items: vec![syn::ImplItem::Fn(function)],
    }
}

/// `Name<'_>`.
fn ty_with_lifetime(name: &str) -> syn::Type {
    let mut path = path(&[name]);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::Lifetime(syn::Lifetime::new("'_", Span::call_site()))).collect(),
            gt_token: Default::default(),
        });
    }
    syn::Type::Path(syn::TypePath { qself: None, path })
}

fn str_lit(value: &str) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())) })
}

thread_local! {
    static PREBUILT: RefCell<Option<Vec<syn::Item>>> = const { RefCell::new(None) };
}

/// Names the placeholder items; no generated name starts with it.
const PLACEHOLDER: &str = "__AliyunCodegenPrebuilt";

/// `item` as tokens for the current output: a placeholder while a
/// [`Prebuilt`] is active on this thread, its own tokens otherwise.
pub fn item(item: syn::Item) -> TokenStream {
    let item = PREBUILT.with(|p| match p.borrow_mut().as_mut() {
        Some(table) => {
            let name = syn::Ident::new(&format!("{PLACEHOLDER}{}", table.len()), Span::call_site());
            table.push(item);
            Err(quote!(struct #name;))
        }
        None => Ok(item),
    });
    match item {
        Ok(item) => item.into_token_stream(),
        Err(placeholder) => placeholder,
    }
}

/// Items built as syn values on this thread until the parsed file exists
/// (see the module docs). Dropping it ends the collection.
pub struct Prebuilt {
    previous: Option<Vec<syn::Item>>,
    active: bool,
    table: Vec<Option<syn::Item>>,
}

impl Prebuilt {
    /// Starts collecting prebuilt items on this thread.
    pub fn begin() -> Self {
        let previous = PREBUILT.with(|p| p.borrow_mut().replace(Vec::new()));
        Prebuilt { previous, active: true, table: Vec::new() }
    }

    /// Ends the collection, keeping the items for [`Prebuilt::splice`].
    pub fn end(&mut self) {
        if self.active {
            let table = PREBUILT.with(|p| std::mem::replace(&mut *p.borrow_mut(), self.previous.take()));
            self.table = table.unwrap_or_default().into_iter().map(Some).collect();
            self.active = false;
        }
    }

    /// Replaces every placeholder in `items` (and in inline modules) by
    /// the item it stands for.
    pub fn splice(&mut self, items: &mut [syn::Item]) {
        for item in items {
            match item {
                syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Unit) => {
                    let index = s.ident.to_string().strip_prefix(PLACEHOLDER).and_then(|n| n.parse::<usize>().ok());
                    if let Some(built) = index.and_then(|i| self.table.get_mut(i)).and_then(Option::take) {
                        *item = built;
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &mut m.content {
                        self.splice(inner);
                    }
                }
                _ => {}
            }
        }
    }
}

impl Drop for Prebuilt {
    fn drop(&mut self) {
        self.end();
    }
}

/// `pub fn name(mut self, value: arg) -> Self { self.name = Some(value); self }`
/// (`value.into()` when `into`), a builder setter with `attrs`.
pub fn setter(attrs: Vec<syn::Attribute>, name: syn::Ident, arg: syn::Type, into: bool) -> syn::ImplItemFn {
    let span = Span::call_site();
    let self_expr = || syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(&["self"]) });
    let value = syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(&["value"]) });
    let value = if into {
        syn::Expr::MethodCall(syn::ExprMethodCall {
            attrs: Vec::new(),
            receiver: Box::new(value),
            dot_token: Default::default(),
            method: syn::Ident::new("into", span),
            turbofish: None,
            paren_token: Default::default(),
            args: Punctuated::new(),
        })
    } else {
        value
    };
    let some = syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(&["Some"]) })),
        paren_token: Default::default(),
        args: std::iter::once(value).collect(),
    });
    let assign = syn::Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(syn::Expr::Field(syn::ExprField {
            attrs: Vec::new(),
            base: Box::new(self_expr()),
            dot_token: Default::default(),
            member: syn::Member::Named(name.clone()),
        })),
        eq_token: Default::default(),
        right: Box::new(some),
    });
    let receiver = syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        reference: None,
        mutability: Some(Default::default()),
        self_token: Default::default(),
        colon_token: None,
        ty: Box::new(ty(&["Self"], [])),
    });
    let value_arg = syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: syn::Ident::new("value", span),
            subpat: None,
        })),
        colon_token: Default::default(),
        ty: Box::new(arg),
    });
    syn::ImplItemFn {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        defaultness: None,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: Default::default(),
            ident: name,
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: [receiver, value_arg].into_iter().collect(),
            variadic: None,
            output: syn::ReturnType::Type(Default::default(), Box::new(ty(&["Self"], []))),
        },
        block: syn::Block {
            brace_token: Default::default(),
            stmts: vec![syn::Stmt::Expr(assign, Some(Default::default())), syn::Stmt::Expr(self_expr(), None)],
        },
    }
}

/// `impl Into<String>`, the argument type of text setters.
pub fn into_string() -> syn::Type {
    let bound = syn::TraitBound {
        paren_token: None,
        modifier: syn::TraitBoundModifier::None,
        lifetimes: None,
        path: match ty(&["Into"], [ty(&["String"], [])]) {
            syn::Type::Path(p) => p.path,
            _ => path(&["Into"]),
        },
    };
    syn::Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: std::iter::once(syn::TypeParamBound::Trait(bound)).collect(),
    })
}

/// `impl self_ty { head setters tail }`, with the setters built as syn
/// values and the rest (written with `quote!`) parsed here; see [`item`].
pub fn impl_block(self_ty: &syn::Ident, head: TokenStream, setters: Vec<syn::ImplItemFn>, tail: TokenStream) -> TokenStream {
    let parsed = syn::parse2::<syn::ItemImpl>(quote!(impl #self_ty { #head }))
        .and_then(|head| Ok((head, syn::parse2::<syn::ItemImpl>(quote!(impl #self_ty { #tail }))?)));
    match parsed {
        Ok((mut block, tail)) => {
            block.items.extend(setters.into_iter().map(syn::ImplItem::Fn));
            block.items.extend(tail.items);
            item(syn::Item::Impl(block))
        }
        // Not reachable for emitted code; the file's own parse reports it.
        Err(_) => quote!(impl #self_ty { #head #(#setters)* #tail }),
    }
}
