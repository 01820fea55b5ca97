//! What the generated code says about its request types, read with syn:
//! members and their Rust types, the constructor's arguments, and each
//! member's wire name and place, taken from the code that sends it
//! (`into_request`, `FlatParam::flatten`, `#[serde(rename)]`), so the
//! harness relies on nothing the generator did not emit.

use std::collections::HashMap;

use syn::{Expr, ImplItem, Item, Lit, Type};

/// A Rust type of a generated member, as far as golden values can fill it.
#[derive(Debug, Clone)]
pub enum Ty {
    String,
    /// An integer type, by name (`i32`, `i64`).
    Int(String),
    /// A float type, by name (`f32`, `f64`).
    Float(String),
    Bool,
    /// `serde_json::Value`: any JSON.
    Json,
    Vec(Box<Ty>),
    /// A map with `String` keys.
    Map(Box<Ty>),
    /// A struct of the same product.
    Named(String),
    /// Anything else, written as the code writes it.
    Other(String),
}

impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ty::String => f.write_str("String"),
            Ty::Bool => f.write_str("bool"),
            Ty::Json => f.write_str("serde_json::Value"),
            Ty::Int(name) | Ty::Float(name) | Ty::Named(name) | Ty::Other(name) => f.write_str(name),
            Ty::Vec(item) => write!(f, "Vec<{item}>"),
            Ty::Map(value) => write!(f, "BTreeMap<String, {value}>"),
        }
    }
}

/// Where a member travels, as the generated code sends it.
#[derive(Debug, Clone)]
pub enum Wire {
    /// A call `request.<verb>("Name", ..self.member..)`.
    Param { verb: String, name: String },
    /// A call `request.<verb>(&self.member)` (`json_body`, `form_body`).
    Body { verb: String },
    /// A member of a nested struct: `#[serde(rename = "Name")]` or
    /// `out.member(prefix, "Name", ..)`.
    Field(String),
    /// `#[serde(flatten)]`: members the page does not list.
    Flatten,
}

/// One member of a generated struct.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member's name, which is also its setter's.
    pub ident: syn::Ident,
    /// The type, without `Option`.
    pub ty: Ty,
    /// Declared `Option<..>`: set with its setter, not passed to `new`.
    pub optional: bool,
    /// How the generated code sends it; `None` when it does not say.
    pub wire: Option<Wire>,
}

/// One generated struct.
#[derive(Debug, Clone, Default)]
pub struct Def {
    /// Public members, in declaration order.
    pub members: Vec<Member>,
    /// The arguments of `new`, in order; `None` when there is no `new`.
    pub new_args: Option<Vec<syn::Ident>>,
    /// The operation a request struct builds (`Request::new("Action", ..)`).
    pub action: Option<String>,
    /// Verbs of `into_request` that send a member but that the harness
    /// does not know.
    pub unknown_verbs: Vec<String>,
}

/// Every struct of one product's generated files, by name.
pub fn read(files: &[String]) -> Result<HashMap<String, Def>, String> {
    let mut defs: HashMap<String, Def> = HashMap::new();
    for text in files {
        let file = syn::parse_file(text).map_err(|e| format!("generated source does not parse: {e}"))?;
        for item in &file.items {
            match item {
                Item::Struct(s) => {
                    let def = defs.entry(s.ident.to_string()).or_default();
                    for field in &s.fields {
                        let Some(ident) = field.ident.clone() else { continue };
                        if !matches!(field.vis, syn::Visibility::Public(_)) {
                            continue;
                        }
                        let (optional, ty) = match generic(&field.ty, "Option") {
                            Some(inner) => (true, ty_of(inner)),
                            None => (false, ty_of(&field.ty)),
                        };
                        let wire = serde_wire(&field.attrs);
                        if let Some(existing) = def.members.iter_mut().find(|m| m.ident == ident) {
                            existing.ty = ty;
                            existing.optional = optional;
                            existing.wire = existing.wire.take().or(wire);
                        } else {
                            def.members.push(Member { ident, ty, optional, wire });
                        }
                    }
                }
                Item::Impl(i) => {
                    let Type::Path(self_ty) = &*i.self_ty else { continue };
                    let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else { continue };
                    let def = defs.entry(name).or_default();
                    for item in &i.items {
                        let ImplItem::Fn(f) = item else { continue };
                        match f.sig.ident.to_string().as_str() {
                            "new" if i.trait_.is_none() => {
                                def.new_args = Some(
                                    f.sig
                                        .inputs
                                        .iter()
                                        .filter_map(|arg| match arg {
                                            syn::FnArg::Typed(t) => match &*t.pat {
                                                syn::Pat::Ident(p) => Some(p.ident.clone()),
                                                _ => None,
                                            },
                                            syn::FnArg::Receiver(_) => None,
                                        })
                                        .collect(),
                                )
                            }
                            "into_request" | "flatten" => read_sends(def, &f.block.stmts, None),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(defs)
}

/// The wire facts of `into_request` (`request.verb(..)`) and of
/// `FlatParam::flatten` (`out.member(prefix, "Name", &self.x)`), also
/// inside `if let Some(local) = &self.x { .. }`, where `local` stands for
/// the member.
fn read_sends(def: &mut Def, stmts: &[syn::Stmt], local: Option<(&syn::Ident, &syn::Ident)>) {
    for stmt in stmts {
        let expr = match stmt {
            syn::Stmt::Expr(e, _) => e,
            syn::Stmt::Local(local) => match &local.init {
                Some(init) => &*init.expr,
                None => continue,
            },
            _ => continue,
        };
        if let Some(action) = request_new(expr) {
            def.action = Some(action);
            continue;
        }
        if let Expr::If(branch) = expr {
            if let Expr::Let(condition) = &*branch.cond {
                if let (Some(binding), Some(member)) = (some_binding(&condition.pat), self_member(&condition.expr)) {
                    read_sends(def, &branch.then_branch.stmts, Some((binding, &member)));
                    continue;
                }
            }
        }
        let Expr::MethodCall(call) = expr else { continue };
        let Expr::Path(receiver) = &*call.receiver else { continue };
        let receiver = receiver.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let verb = call.method.to_string();
        let name = call.args.iter().find_map(|a| match a {
            Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        });
        let named_local = |a: &Expr| match (a, local) {
            (Expr::Path(p), Some((binding, member))) if p.path.is_ident(binding) => Some(member.clone()),
            _ => None,
        };
        let Some(member) = call.args.iter().find_map(|a| self_member(a).or_else(|| named_local(a))) else { continue };
        let wire = match (receiver.as_str(), verb.as_str(), name) {
            // Checks and declarations, not sends.
            ("request", "list_len" | "client_token" | "idempotent", _) => continue,
            ("out", "member", Some(name)) => Wire::Field(name),
            ("request", "query" | "flat" | "path_param" | "header", Some(name)) => {
                Wire::Param { verb: verb.clone(), name }
            }
            ("request", "json_body" | "form_body", None) => Wire::Body { verb: verb.clone() },
            _ => {
                def.unknown_verbs.push(format!("{receiver}.{verb}"));
                continue;
            }
        };
        match def.members.iter_mut().find(|m| m.ident == member) {
            Some(m) => m.wire = Some(wire),
            None => def.unknown_verbs.push(format!("{receiver}.{verb} of a member not declared before its impl")),
        }
    }
}

/// `Request::new("Action", ..)`, possibly as `let mut request = ...`.
fn request_new(expr: &Expr) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(f) = &*call.func else { return None };
    let segments: Vec<String> = f.path.segments.iter().map(|s| s.ident.to_string()).collect();
    if !segments.ends_with(&["Request".to_owned(), "new".to_owned()]) {
        return None;
    }
    match call.args.first()? {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
        _ => None,
    }
}

/// The member `x` of `self.x`, `&self.x`, `self.x.len()`.
fn self_member(expr: &Expr) -> Option<syn::Ident> {
    match expr {
        Expr::Reference(r) => self_member(&r.expr),
        Expr::MethodCall(c) => self_member(&c.receiver),
        Expr::Field(f) => match (&*f.base, &f.member) {
            (Expr::Path(base), syn::Member::Named(ident)) if base.path.is_ident("self") => Some(ident.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `x` of the pattern `Some(x)`.
fn some_binding(pat: &syn::Pat) -> Option<&syn::Ident> {
    let syn::Pat::TupleStruct(t) = pat else { return None };
    if !t.path.is_ident("Some") {
        return None;
    }
    match t.elems.first()? {
        syn::Pat::Ident(p) => Some(&p.ident),
        _ => None,
    }
}

/// `#[serde(rename = "..")]` or `#[serde(flatten)]` of a member.
fn serde_wire(attrs: &[syn::Attribute]) -> Option<Wire> {
    let mut wire = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let name: syn::LitStr = meta.value()?.parse()?;
                wire = Some(Wire::Field(name.value()));
            } else if meta.path.is_ident("flatten") {
                wire = Some(Wire::Flatten);
            } else if meta.input.peek(syn::Token![=]) {
                // Other `key = value` settings (`skip_serializing_if`).
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    wire
}

/// The single type argument of `ty` when its last segment is `outer`.
fn generic<'a>(ty: &'a Type, outer: &str) -> Option<&'a Type> {
    let args = generics(ty, outer)?;
    match args.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

fn generics<'a>(ty: &'a Type, outer: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != outer {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

fn ty_of(ty: &Type) -> Ty {
    if let Some(item) = generic(ty, "Vec") {
        return Ty::Vec(Box::new(ty_of(item)));
    }
    if let Some([key, value]) = generics(ty, "BTreeMap").as_deref() {
        if matches!(ty_of(key), Ty::String) {
            return Ty::Map(Box::new(ty_of(value)));
        }
    }
    let Type::Path(p) = ty else { return Ty::Other(quote::quote!(#ty).to_string()) };
    let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["String"] => Ty::String,
        ["bool"] => Ty::Bool,
        [int @ ("i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64")] => Ty::Int((*int).to_owned()),
        [float @ ("f32" | "f64")] => Ty::Float((*float).to_owned()),
        ["serde_json", "Value"] => Ty::Json,
        [name] if p.path.segments[0].arguments.is_none() => Ty::Named((*name).to_owned()),
        _ => Ty::Other(quote::quote!(#ty).to_string()),
    }
}
