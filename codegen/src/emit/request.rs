//! The request type of one operation: parameters as members, the body as
//! one typed member, and `into_request`, which hands everything to the
//! runtime in wire form.

use proc_macro2::Ident;
use quote::quote;

use crate::emit::ast;
use crate::emit::types::{Direction, TypeBuilder, Typed, scalar, scalar_example, scalar_typed};
use crate::emit::{Items, OpNames, docs};
use crate::ir::{BodyEncoding, BodyKind, Field, Location, Operation, Param, Product, Style, Type};
use crate::ir::{PathSegment, path_segments};
use crate::names::{self, Scope};
use crate::traits;

/// One member of the request struct.
struct Member {
    ident: Ident,
    ty: syn::Type,
    required: bool,
    doc: Vec<syn::Attribute>,
    /// `impl Into<String>` in setters and constructors.
    is_string: bool,
    /// A value for the documentation example.
    example: syn::Expr,
}

/// What [`request`] emits.
pub struct RequestItems {
    /// The request struct, its impl and its nested body types.
    pub items: Items,
    /// An expression that builds an example request (for doc examples).
    pub example: syn::Expr,
    /// The member each parameter got, by wire name (paginators use them).
    pub members: Vec<(String, Ident)>,
}

/// The request struct, its nested body types, its constructor, setters and
/// `into_request`; with an expression that builds an example request.
///
/// RPC parameters keep their structure (`Vec` lists, typed structs for
/// objects such as `Tag { key, value }`) and are flattened on the wire by
/// the runtime (`Request::flat`); ROA parameters that are not scalars
/// travel as JSON text.
pub fn request(product: &Product, op: &Operation, n: &OpNames, types: &mut Scope) -> RequestItems {
    let request_ident = &n.request;
    let rpc = product.style == Style::Rpc;
    let mut members_scope = Scope::new();
    let mut members = Vec::with_capacity(op.params.len() + 1);
    let mut wire = Vec::with_capacity(op.params.len());
    let mut param_idents = Vec::with_capacity(op.params.len());
    let mut builder = TypeBuilder::new(types, Direction::Query);

    for p in &op.params {
        let ident =
            names::ident(&members_scope.claim(p.rust_name.clone().unwrap_or_else(|| names::snake(&p.name, "value"))));
        let (ty, is_string, example) = if rpc && p.location == Location::Query {
            let field = Field {
                name: p.name.clone(),
                ty: p.ty,
                required: p.required,
                description: p.description.clone(),
                example: p.example.clone(),
                fields: p.fields.clone(),
                items: p.items.clone(),
                line: p.line,
                ..Field::default()
            };
            let typed = builder.rust_type(&field, &format!("{}{}", n.pascal, names::pascal(&p.name, "Value")));
            (typed.ty, p.ty == Type::String, typed.example)
        } else {
            let is_string = p.ty == Type::String || !p.ty.is_scalar() && p.ty != Type::Array;
            let example = if p.ty == Type::Array {
                ast::call(&["Vec", "new"])
            } else if is_string {
                scalar_example(Type::String, p.example.as_deref())
            } else {
                scalar_example(p.ty, p.example.as_deref())
            };
            (param_type(p), is_string, example)
        };
        members.push(Member {
            ident: ident.clone(),
            ty,
            required: p.required,
            doc: param_doc(p, rpc),
            is_string,
            example,
        });
        if rpc && p.location == Location::Query {
            wire.extend(flat_statements(p, &ident));
        } else {
            // Lists outside RPC travel as JSON text: an empty one is sent.
            wire.extend(list_len_statement(p, &ident, false));
            wire.extend(param_statement(p, &ident));
        }
        param_idents.push((p.name.as_str(), ident, p.ty));
    }

    builder.direction = Direction::Request;
    let mut body_statement = None;
    if let Some(body) = &op.body {
        let ident = names::ident(&members_scope.claim("body".to_string()));
        let base = format!("{}Body", n.pascal);
        let (ty, required): (Typed, bool) = match body.kind {
            BodyKind::Object if !body.fields.is_empty() => {
                let s = builder.define_open_struct(&base, &body.fields, body.description.as_deref());
                (s, body.required || body.fields.iter().any(|f| f.required))
            }
            BodyKind::Array => {
                let item = match &body.items {
                    Some(items) => builder.rust_type(items, &format!("{base}Item")),
                    None => scalar_typed(Type::Any),
                };
                let ty = item.ty;
                (Typed { ty: ast::ty(&["Vec"], [ty]), example: ast::call(&["Vec", "new"]) }, body.required)
            }
            _ => (
                Typed {
                    ty: ast::ty(&["serde_json", "Value"], []),
                    example: syn::Expr::Macro(syn::ExprMacro {
                        attrs: Vec::new(),
                        mac: ast::macro_call(&["serde_json", "json"], quote!({})),
                    }),
                },
                body.required,
            ),
        };
        let (put, default_doc) = match body.encoding {
            BodyEncoding::Json => ("json_body", "The JSON request body."),
            BodyEncoding::Form => ("form_body", "The request body, sent form-encoded."),
        };
        let doc = docs::attributes(body.description.as_deref().unwrap_or(default_doc));
        let request_var = || ast::expr_path(&["request"]);
        body_statement = Some(if required {
            ast::semi(ast::method(request_var(), put, vec![ast::reference(ast::self_field(&ident))]))
        } else {
            let send = ast::semi(ast::method(request_var(), put, vec![ast::expr_path(&["body"])]));
            ast::if_let_some("body", ast::reference(ast::self_field(&ident)), vec![send])
        });
        members.push(Member { ident, ty: ty.ty, required, doc, is_string: false, example: ty.example });
    }
    let nested = std::mem::take(&mut builder.defs);

    // The docs go to the struct's fields only: moved, not copied.
    let fields = members
        .iter_mut()
        .map(|m| {
            let ty = if m.required { m.ty.clone() } else { ast::ty(&["Option"], [m.ty.clone()]) };
            ast::field(std::mem::take(&mut m.doc), true, m.ident.clone(), ty)
        })
        .collect();
    let args = members.iter().filter(|m| m.required).map(|m| ast::required_arg(&m.ident, &m.ty, m.is_string)).collect();
    let inits = members
        .iter()
        .map(|m| if m.required { ast::required_init(&m.ident, m.is_string) } else { ast::none_init(&m.ident) })
        .collect();
    let parent = request_ident.to_string();
    let setters: Vec<syn::ImplItemFn> = members
        .iter()
        .filter(|m| !m.required)
        .map(|m| ast::member_setter(&parent, &m.ident, &m.ty, m.is_string))
        .collect();

    let request_var = || ast::expr_path(&["request"]);
    let mut statements = vec![ast::let_mut(
        "request",
        ast::call_with(
            &["Request", "new"],
            vec![ast::expr_str(&op.name), ast::expr_path(&["Method", method_variant(&op.method)])],
        ),
    )];
    statements.extend(path_statements(op, &param_idents));
    statements.extend(wire);
    if let Some(p) =
        op.params.iter().find(|p| p.location == Location::Query && p.name.eq_ignore_ascii_case("clienttoken"))
    {
        statements.push(ast::semi(ast::method(request_var(), "client_token", vec![ast::expr_str(&p.name)])));
    }
    statements.extend(body_statement);
    if traits::idempotent(product, op) && !matches!(op.method.as_str(), "GET" | "HEAD") {
        statements.push(ast::semi(ast::method(request_var(), "idempotent", Vec::new())));
    }
    statements.push(syn::Stmt::Expr(request_var(), None));
    let derive_default = members.iter().all(|m| !m.required).then(|| quote!(Default,));
    let struct_doc = format!(" Request of [`Client::{}`](super::Client::{}).", n.snake, n.snake);
    let new_doc = if members.iter().any(|m| m.required) {
        " A request with its required parameters; set optional ones with the setters."
    } else {
        " A request with no parameters set."
    };
    let example_args = members.iter().filter(|m| m.required).map(|m| m.example.clone()).collect();
    let example = ast::associated_call(request_ident, "new", example_args);
    let attrs =
        vec![ast::doc_attr(&struct_doc), ast::list_attr("derive", quote!(Clone, Debug, #derive_default PartialEq))];
    let mut items = Items::default();
    items.push(ast::public_struct(attrs, request_ident.clone(), fields));
    let new = ast::constructor(new_doc, args, inits);
    let into_request = ast::function(
        vec![ast::doc_attr(" The runtime request this builds, not yet signed: for dry runs (`ServiceClient::sign`).")],
        true,
        names::ident("into_request"),
        ast::Receiver::Value,
        Vec::new(),
        ast::ty(&["Request"], []),
        statements,
    );
    let methods = std::iter::once(new).chain(setters).chain(std::iter::once(into_request)).collect();
    items.push(ast::inherent_impl(request_ident, methods));
    items.append(nested);
    let members = param_idents.into_iter().map(|(wire, ident, _)| (wire.to_string(), ident)).collect();
    RequestItems { items, example, members }
}

/// The runtime's `Method` variant for an HTTP method.
pub fn method_variant(method: &str) -> &'static str {
    match method {
        "GET" => "Get",
        "PUT" => "Put",
        "DELETE" => "Delete",
        "PATCH" => "Patch",
        "HEAD" => "Head",
        // `check` rejects anything outside `ir::METHODS`.
        _ => "Post",
    }
}

/// The Rust type of a parameter outside the body. Non-scalar values that
/// are not arrays travel as JSON text, so they take a `String`.
fn param_type(p: &Param) -> syn::Type {
    if p.ty == Type::Array {
        let item = p.items.as_ref().and_then(|i| scalar(i.ty)).unwrap_or_else(|| ast::ty(&["String"], []));
        return ast::ty(&["Vec"], [item]);
    }
    if p.ty.is_scalar() {
        if let Some(t) = scalar(p.ty) {
            return t;
        }
    }
    ast::ty(&["String"], [])
}

fn param_doc(p: &Param, rpc: bool) -> Vec<syn::Attribute> {
    let mut text = docs::clean(p.description.as_deref().unwrap_or(""));
    let mut extra = format!("Sent in the {} as {}", p.location.as_str(), docs::code(&p.name));
    if rpc && matches!(p.ty, Type::Array | Type::Object) {
        extra.push_str(", flattened (`Name.1`, `Name.Field`)");
    }
    if let Some(example) = p.example.as_deref().filter(|e| !e.trim().is_empty()) {
        extra.push_str(&format!(". Example: {}", docs::code(example.trim())));
    }
    if let Some(max) = p.max_items.filter(|_| p.ty == Type::Array) {
        extra.push_str(&docs::at_most(max));
    }
    if rpc && p.ty == Type::Map {
        extra.push_str(". The map travels as one JSON string");
    } else if !rpc && !p.ty.is_scalar() && p.ty != Type::Array {
        extra.push_str(". The value is JSON text");
    }
    text = if text.is_empty() { format!("{extra}.") } else { format!("{text}\n\n{extra}.") };
    docs::raw_attributes(&text)
}

/// The statement that puts one parameter on the wire.
fn param_statement(p: &Param, ident: &Ident) -> Option<syn::Stmt> {
    let put = match p.location {
        // Path values are placed by `path_statements`, in template order.
        Location::Path => return None,
        Location::Query => "query",
        Location::Header => "header",
    };
    let args = vec![ast::expr_str(&p.name), ast::self_field(ident)];
    Some(ast::semi(ast::method(ast::expr_path(&["request"]), put, args)))
}

/// The statements that put one RPC parameter on the wire, flattened, after
/// the check of its length when it is a list.
fn flat_statements(p: &Param, ident: &Ident) -> Vec<syn::Stmt> {
    let args = vec![ast::expr_str(&p.name), ast::reference(ast::self_field(ident))];
    let flat = ast::semi(ast::method(ast::expr_path(&["request"]), "flat", args));
    list_len_statement(p, ident, true).into_iter().chain([flat]).collect()
}

/// `request.list_len(..)` for a list parameter that must not be empty
/// (`empty_dropped`: a required RPC list, which the flattening would drop)
/// or has a `max_items`; `None` when there is nothing to check.
fn list_len_statement(p: &Param, ident: &Ident, empty_dropped: bool) -> Option<syn::Stmt> {
    let not_empty = p.required && empty_dropped;
    if p.ty != Type::Array || !not_empty && p.max_items.is_none() {
        return None;
    }
    let member = ast::self_field(ident);
    let len: syn::Expr = if p.required {
        syn::parse_quote!(#member.len())
    } else {
        syn::parse_quote!(#member.as_ref().map_or(0, Vec::len))
    };
    let max: syn::Expr = match p.max_items {
        Some(max) => {
            let max = proc_macro2::Literal::u32_unsuffixed(max);
            syn::parse_quote!(Some(#max))
        }
        None => ast::expr_path(&["None"]),
    };
    let args = vec![ast::expr_str(&p.name), len, ast::expr_path(&[if not_empty { "true" } else { "false" }]), max];
    Some(ast::semi(ast::method(ast::expr_path(&["request"]), "list_len", args)))
}

/// Path statements in template order: literals as they are, placeholders
/// through the runtime's complete percent-encoding.
fn path_statements(op: &Operation, idents: &[(&str, Ident, Type)]) -> Vec<syn::Stmt> {
    let put = |method: &str, arg: syn::Expr| ast::semi(ast::method(ast::expr_path(&["request"]), method, vec![arg]));
    path_segments(&op.path)
        .into_iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => put("path_literal", ast::expr_str(text)),
            PathSegment::Param(name) => match idents.iter().find(|(wire, _, _)| *wire == name) {
                Some((wire, ident, ty)) => {
                    let value = ast::self_field(ident);
                    let value = if *ty == Type::String { value } else { ast::method(value, "to_string", Vec::new()) };
                    let args = vec![ast::expr_str(wire), ast::reference(value)];
                    ast::semi(ast::method(ast::expr_path(&["request"]), "path_param", args))
                }
                // `check` adds a parameter for every placeholder, so this
                // only happens on unchecked IR; sending the name keeps the
                // request well formed.
                None => put("path_literal", ast::expr_str(&format!("[{name}]"))),
            },
        })
        .collect()
}
