//! syn nodes built directly, for the shapes the output repeats most.
//!
//! Everything an operation's file holds is built here as syn values and
//! goes into the file as it is: parsing tokens we have just produced costs
//! several times more than building the nodes (the tokens, syn's copy of
//! them, then the nodes). Still written with `quote!` and parsed once by
//! [`super::Items`]: the RPC flattening impls, and the product module and
//! crate root (one file each per run).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::punctuated::Punctuated;

/// A path type with one segment per name and generic `args` on the last:
/// `ty(&["std", "collections", "BTreeMap"], [key, value])`.
pub fn ty(segments: &[&str], args: impl IntoIterator<Item = syn::Type>) -> syn::Type {
    let path = generic_path(segments, args.into_iter().map(syn::GenericArgument::Type).collect());
    syn::Type::Path(syn::TypePath { qself: None, path })
}

/// A path with generic `args` (if any) on its last segment.
fn generic_path(segments: &[&str], args: Punctuated<syn::GenericArgument, syn::Token![,]>) -> syn::Path {
    let mut path = path(segments);
    if let (false, Some(last)) = (args.is_empty(), path.segments.last_mut()) {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args,
            gt_token: Default::default(),
        });
    }
    path
}

/// The type named by `ident` (a generated struct).
pub fn ident_ty(ident: &syn::Ident) -> syn::Type {
    syn::Type::Path(syn::TypePath { qself: None, path: ident.clone().into() })
}

/// `a::b::c` as a path.
pub fn path(segments: &[&str]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments.iter().map(|s| syn::PathSegment::from(syn::Ident::new(s, Span::call_site()))).collect(),
    }
}

/// `#[doc = value]`.
pub fn doc_attr(value: &str) -> syn::Attribute {
    doc_attr_of(raw_str(value))
}

/// `#[doc = " line"]` (`#[doc = ""]` for an empty line): one line of doc
/// text with the space that `///` conventionally carries, written straight
/// into the literal.
pub fn doc_line(line: &str) -> syn::Attribute {
    doc_attr_of(raw_lit(if line.is_empty() { "" } else { " " }, line))
}

fn doc_attr_of(value: syn::LitStr) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: path(&["doc"]),
            eq_token: Default::default(),
            value: syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(value) }),
        }),
    }
}

/// `value` as a raw string literal (`r#"..."#`, with enough `#`s; JSON
/// and prose read far better raw than escaped).
///
/// Doc text is most of the output's bytes. An escaped literal costs an
/// escape here and an unescape when prettyplease reads the value back to
/// print `///`; a raw one costs a scan. Same attribute, same printed text.
pub fn raw_str(value: &str) -> syn::LitStr {
    raw_lit("", value)
}

/// The raw string literal of `lead` followed by `value` (`lead` holds no
/// quote).
fn raw_lit(lead: &str, value: &str) -> syn::LitStr {
    let mut hashes = 1;
    if value.contains('"') {
        while value
            .match_indices('"')
            .any(|(at, _)| value[at + 1..].bytes().take_while(|&b| b == b'#').count() >= hashes)
        {
            hashes += 1;
        }
    }
    let mut text = String::with_capacity(lead.len() + value.len() + 3 + 2 * hashes);
    text.push('r');
    text.extend(std::iter::repeat_n('#', hashes));
    text.push('"');
    text.push_str(lead);
    text.push_str(value);
    text.push('"');
    text.extend(std::iter::repeat_n('#', hashes));
    match text.parse::<proc_macro2::Literal>().map(syn::Lit::new) {
        Ok(syn::Lit::Str(lit)) => lit,
        // A bare carriage return cannot be in a raw string.
        _ => syn::LitStr::new(&format!("{lead}{value}"), Span::call_site()),
    }
}

/// `#[name]`, as `#[non_exhaustive]`.
pub fn word_attr(name: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::Path(path(&[name])),
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
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    }
}

/// `member: receiver.method("argument")` (or `receiver.method()`), a
/// struct literal's field.
pub fn method_call_field(member: syn::Ident, receiver: &str, name: &str, argument: Option<&str>) -> syn::FieldValue {
    field_value(member, method(expr_path(&[receiver]), name, argument.map(str_lit).into_iter().collect()))
}

/// `member: expr`, a struct literal's field.
pub fn field_value(member: syn::Ident, expr: syn::Expr) -> syn::FieldValue {
    syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(member),
        colon_token: Some(Default::default()),
        expr,
    }
}

/// `ty::function(args)`, a call of an associated function of a generated type.
pub fn associated_call(ty: &syn::Ident, function: &str, args: Vec<syn::Expr>) -> syn::Expr {
    let mut path: syn::Path = ty.clone().into();
    path.segments.push(syn::PathSegment::from(syn::Ident::new(function, Span::call_site())));
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path })),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `a::b::c()`, a call without arguments.
pub fn call(function: &[&str]) -> syn::Expr {
    call_with(function, Vec::new())
}

/// `impl Decode for ident { fn decode(object: &Object<'_>) -> Self { Self { fields } } }`.
pub fn decode_impl(ident: &syn::Ident, fields: Vec<syn::FieldValue>) -> syn::ItemImpl {
    let object_ref = ty_ref(ty_with_lifetime("Object"));
    let object = syn::Ident::new("object", Span::call_site());
    let decode = function(
        Vec::new(),
        false,
        syn::Ident::new("decode", Span::call_site()),
        Receiver::None,
        vec![(object, object_ref)],
        ty(&["Self"], []),
        vec![syn::Stmt::Expr(self_literal(fields), None)],
    );
    let mut item = inherent_impl(ident, vec![decode]);
    item.trait_ = Some((None, path(&["Decode"]), Default::default()));
    item
}

/// `Name<'_>`.
fn ty_with_lifetime(name: &str) -> syn::Type {
    let lifetime = syn::GenericArgument::Lifetime(syn::Lifetime::new("'_", Span::call_site()));
    syn::Type::Path(syn::TypePath { qself: None, path: generic_path(&[name], std::iter::once(lifetime).collect()) })
}

fn str_lit(value: &str) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())) })
}

/// `pub fn name(mut self, value: arg) -> Self { self.name = Some(value); self }`
/// (`value.into()` when `into`), a builder setter with `attrs`.
pub fn setter(attrs: Vec<syn::Attribute>, name: syn::Ident, arg: syn::Type, into: bool) -> syn::ImplItemFn {
    let value = expr_path(&["value"]);
    let value = if into { method(value, "into", Vec::new()) } else { value };
    let assign = syn::Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(self_field(&name)),
        eq_token: Default::default(),
        right: Box::new(call_with(&["Some"], vec![value])),
    });
    let stmts = vec![semi(assign), syn::Stmt::Expr(expr_path(&["self"]), None)];
    let value_ident = syn::Ident::new("value", Span::call_site());
    function(attrs, true, name, Receiver::MutValue, vec![(value_ident, arg)], ty(&["Self"], []), stmts)
}

/// The setter of `member` in a builder struct named `parent`; text members
/// take anything that becomes a `String`.
pub fn member_setter(parent: &str, member: &syn::Ident, ty: &syn::Type, text: bool) -> syn::ImplItemFn {
    let doc = format!(" Sets [`{parent}::{}`].", member.to_string().trim_start_matches("r#"));
    let arg = if text { into_string() } else { ty.clone() };
    setter(vec![doc_attr(&doc)], member.clone(), arg, text)
}

/// A required member as an argument of `new` (text takes `impl Into<String>`).
pub fn required_arg(member: &syn::Ident, ty: &syn::Type, text: bool) -> (syn::Ident, syn::Type) {
    (member.clone(), if text { into_string() } else { ty.clone() })
}

/// A required member's initialiser in `new`: `member` or `member: member.into()`.
pub fn required_init(member: &syn::Ident, text: bool) -> syn::FieldValue {
    if text {
        field_value(member.clone(), method(expr_ident(member), "into", Vec::new()))
    } else {
        shorthand_field(member.clone())
    }
}

/// An optional member's initialiser in `new`: `member: None`.
pub fn none_init(member: &syn::Ident) -> syn::FieldValue {
    field_value(member.clone(), expr_path(&["None"]))
}

/// `pub fn new(args) -> Self { Self { inits } }` with `doc`.
pub fn constructor(doc: &str, args: Vec<(syn::Ident, syn::Type)>, inits: Vec<syn::FieldValue>) -> syn::ImplItemFn {
    let new = syn::Ident::new("new", Span::call_site());
    let mut attrs = vec![doc_attr(doc)];
    // Every required parameter is an argument, so forgetting one is a
    // compile error; some operations require many.
    if args.len() > 7 {
        attrs.push(list_attr("allow", quote!(clippy::too_many_arguments)));
    }
    function(
        attrs,
        true,
        new,
        Receiver::None,
        args,
        ty(&["Self"], []),
        vec![syn::Stmt::Expr(self_literal(inits), None)],
    )
}

/// `impl Into<String>`, the argument type of text setters.
pub fn into_string() -> syn::Type {
    let bound = syn::TraitBound {
        paren_token: None,
        modifier: syn::TraitBoundModifier::None,
        lifetimes: None,
        path: generic_path(&["Into"], std::iter::once(syn::GenericArgument::Type(ty(&["String"], []))).collect()),
    };
    syn::Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: std::iter::once(syn::TypeParamBound::Trait(bound)).collect(),
    })
}

/// `a::b::c` as an expression.
pub fn expr_path(segments: &[&str]) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(segments) })
}

/// A local variable or parameter as an expression.
pub fn expr_ident(ident: &syn::Ident) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: ident.clone().into() })
}

/// A string literal expression.
pub fn expr_str(value: &str) -> syn::Expr {
    str_lit(value)
}

/// `self.member`.
pub fn self_field(member: &syn::Ident) -> syn::Expr {
    field_of(expr_path(&["self"]), member)
}

/// `base.member`.
pub fn field_of(base: syn::Expr, member: &syn::Ident) -> syn::Expr {
    syn::Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(member.clone()),
    })
}

/// `&expr`.
pub fn reference(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `receiver.method(args)`.
pub fn method(receiver: syn::Expr, method: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: syn::Ident::new(method, Span::call_site()),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `function(args)` for a path `function`.
pub fn call_with(function: &[&str], args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(expr_path(function)),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `expr;`.
pub fn semi(expr: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, Some(Default::default()))
}

/// `let pat = init;`.
pub fn local(pat: syn::Pat, init: syn::Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat,
        init: Some(syn::LocalInit { eq_token: Default::default(), expr: Box::new(init), diverge: None }),
        semi_token: Default::default(),
    })
}

/// `let mut name = init;`.
pub fn let_mut(name: &str, init: syn::Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: Some(Default::default()),
            ident: syn::Ident::new(name, Span::call_site()),
            subpat: None,
        }),
        init: Some(syn::LocalInit { eq_token: Default::default(), expr: Box::new(init), diverge: None }),
        semi_token: Default::default(),
    })
}

/// `if let Some(binding) = value { body }`.
pub fn if_let_some(binding: &str, value: syn::Expr, body: Vec<syn::Stmt>) -> syn::Stmt {
    let pattern = syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&["Some"]),
        paren_token: Default::default(),
        elems: std::iter::once(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: syn::Ident::new(binding, Span::call_site()),
            subpat: None,
        }))
        .collect(),
    });
    let condition = syn::Expr::Let(syn::ExprLet {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: Box::new(pattern),
        eq_token: Default::default(),
        expr: Box::new(value),
    });
    syn::Stmt::Expr(
        syn::Expr::If(syn::ExprIf {
            attrs: Vec::new(),
            if_token: Default::default(),
            cond: Box::new(condition),
            then_branch: syn::Block { brace_token: Default::default(), stmts: body },
            else_branch: None,
        }),
        None,
    )
}

/// `Self { fields }`.
pub fn self_literal(fields: Vec<syn::FieldValue>) -> syn::Expr {
    syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&["Self"]),
        brace_token: Default::default(),
        fields: fields.into_iter().collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `ident` in a struct literal (`Self { ident }`).
pub fn shorthand_field(ident: syn::Ident) -> syn::FieldValue {
    syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(ident.clone()),
        colon_token: None,
        expr: expr_ident(&ident),
    }
}

/// What a method takes before its arguments.
pub enum Receiver {
    /// An associated function (`new`).
    None,
    /// `self`.
    Value,
    /// `&self`.
    Ref,
    /// `mut self`.
    MutValue,
}

/// A method or associated function of an inherent impl.
pub fn function(
    attrs: Vec<syn::Attribute>,
    public: bool,
    name: syn::Ident,
    receiver: Receiver,
    args: Vec<(syn::Ident, syn::Type)>,
    output: syn::Type,
    stmts: Vec<syn::Stmt>,
) -> syn::ImplItemFn {
    let receiver = match receiver {
        Receiver::None => None,
        Receiver::Ref => Some(syn::FnArg::Receiver(syn::Receiver {
            attrs: Vec::new(),
            reference: Some((Default::default(), None)),
            mutability: None,
            self_token: Default::default(),
            colon_token: None,
            ty: Box::new(ty_ref(ty(&["Self"], []))),
        })),
        Receiver::Value | Receiver::MutValue => Some(syn::FnArg::Receiver(syn::Receiver {
            attrs: Vec::new(),
            reference: None,
            mutability: matches!(receiver, Receiver::MutValue).then(Default::default),
            self_token: Default::default(),
            colon_token: None,
            ty: Box::new(ty(&["Self"], [])),
        })),
    };
    let args = args.into_iter().map(|(ident, ty)| {
        syn::FnArg::Typed(syn::PatType {
            attrs: Vec::new(),
            pat: Box::new(syn::Pat::Ident(syn::PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident,
                subpat: None,
            })),
            colon_token: Default::default(),
            ty: Box::new(ty),
        })
    });
    syn::ImplItemFn {
        attrs,
        vis: if public { syn::Visibility::Public(Default::default()) } else { syn::Visibility::Inherited },
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
            inputs: receiver.into_iter().chain(args).collect(),
            variadic: None,
            output: syn::ReturnType::Type(Default::default(), Box::new(output)),
        },
        block: syn::Block { brace_token: Default::default(), stmts },
    }
}

/// `impl self_ty { items }`.
pub fn inherent_impl(self_ty: &syn::Ident, items: Vec<syn::ImplItemFn>) -> syn::ItemImpl {
    syn::ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: None,
        self_ty: Box::new(ident_ty(self_ty)),
        brace_token: Default::default(),
        items: items.into_iter().map(syn::ImplItem::Fn).collect(),
    }
}

/// `&ty`.
pub fn ty_ref(ty: syn::Type) -> syn::Type {
    syn::Type::Reference(syn::TypeReference {
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty),
    })
}

/// `impl trait_path for self_ty { items }`.
pub fn trait_impl(trait_path: &[&str], self_ty: &syn::Ident, items: Vec<syn::ImplItemFn>) -> syn::ItemImpl {
    let mut item = inherent_impl(self_ty, items);
    item.trait_ = Some((None, path(trait_path), Default::default()));
    item
}

/// `path!(tokens)`, a macro call with parentheses.
pub fn macro_call(segments: &[&str], tokens: TokenStream) -> syn::Macro {
    syn::Macro {
        path: path(segments),
        bang_token: Default::default(),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens,
    }
}

/// `match expr { arms }`.
pub fn match_expr(expr: syn::Expr, arms: Vec<syn::Arm>) -> syn::Expr {
    syn::Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(expr),
        brace_token: Default::default(),
        arms,
    })
}

/// `pat => body,`.
pub fn arm(pat: syn::Pat, body: syn::Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// A binding pattern (`name`).
pub fn pat_ident(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: syn::Ident::new(name, Span::call_site()),
        subpat: None,
    })
}

/// `_`.
pub fn pat_wild() -> syn::Pat {
    syn::Pat::Wild(syn::PatWild { attrs: Vec::new(), underscore_token: Default::default() })
}

/// `a::b(elems)`, a tuple-struct pattern.
pub fn pat_tuple_struct(path: syn::Path, elems: Vec<syn::Pat>) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// A string literal pattern.
pub fn pat_str(value: &str) -> syn::Pat {
    syn::Pat::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())) })
}

/// `Self::variant`, a path of two segments.
pub fn self_variant(variant: &syn::Ident) -> syn::Path {
    let mut path = path(&["Self"]);
    path.segments.push(syn::PathSegment::from(variant.clone()));
    path
}

/// `use a::b::{X, Y};`.
pub fn use_group(prefix: &[&str], names: &[&str]) -> syn::ItemUse {
    let name = |n: &&str| syn::UseTree::Name(syn::UseName { ident: syn::Ident::new(n, Span::call_site()) });
    let last =
        syn::UseTree::Group(syn::UseGroup { brace_token: Default::default(), items: names.iter().map(name).collect() });
    let segments = prefix.iter().map(|s| syn::Ident::new(s, Span::call_site()));
    use_item(segments.collect(), last)
}

/// `use module::*;`.
pub fn use_glob(module: &syn::Ident) -> syn::ItemUse {
    use_item(vec![module.clone()], syn::UseTree::Glob(syn::UseGlob { star_token: Default::default() }))
}

/// `use prefix::last;`, private.
fn use_item(prefix: Vec<syn::Ident>, last: syn::UseTree) -> syn::ItemUse {
    let tree = prefix.into_iter().rev().fold(last, |tree, ident| {
        syn::UseTree::Path(syn::UsePath { ident, colon2_token: Default::default(), tree: Box::new(tree) })
    });
    syn::ItemUse {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        use_token: Default::default(),
        leading_colon: None,
        tree,
        semi_token: Default::default(),
    }
}
