//! Where an IR [`Field`] becomes a Rust type.
//!
//! Scalars map to Rust primitives, `any` to `serde_json::Value`, arrays to
//! `Vec`, maps to `BTreeMap<String, _>`, and every `object` to a named
//! struct. Nested structs are named after their path from the operation
//! (`DescribeInstanceResultNetworkConfig`), and one [`Scope`] per file keeps
//! the names unique.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Items, ast, docs};
use crate::ir::{Field, Type};
use crate::names::{self, Scope};

/// Whether structs are built for sending (request bodies, RPC query
/// parameters) or receiving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Serialized into a request body.
    Request,
    /// Flattened into the query of an RPC request (`Tag.1.Key=..`): built
    /// like request bodies, with a `FlatParam` impl instead of serde.
    Query,
    /// Deserialized from a response body.
    Response,
}

/// A Rust type and an expression of that type for documentation examples.
#[derive(Clone)]
pub struct Typed {
    /// The type.
    pub ty: syn::Type,
    /// A value of the type (request direction only; `Default::default()`
    /// otherwise).
    pub example: syn::Expr,
}

/// Builds Rust types for fields, collecting the struct definitions that
/// nested objects need.
pub struct TypeBuilder<'a> {
    types: &'a mut Scope,
    /// What the structs are for; may change between calls.
    pub direction: Direction,
    /// Response members that are XML-derived wrappers (an object whose
    /// only member is an array) become that array in the Rust API, decoded
    /// from the wrapped wire shape (RPC products; see [`wrapped_array`]).
    pub flatten_wrappers: bool,
    /// Struct definitions in the order they were first needed.
    pub defs: Items,
}

/// The Rust type of a scalar IR type, or `None` for containers.
pub fn scalar(ty: Type) -> Option<syn::Type> {
    let path: &[&str] = match ty {
        Type::String => &["String"],
        Type::Integer => &["i32"],
        Type::Long => &["i64"],
        Type::Float => &["f32"],
        Type::Double => &["f64"],
        Type::Boolean => &["bool"],
        Type::Any => &["serde_json", "Value"],
        Type::Object | Type::Array | Type::Map => return None,
    };
    Some(ast::ty(path, []))
}

impl<'a> TypeBuilder<'a> {
    /// A builder that claims type names in `types`.
    pub fn new(types: &'a mut Scope, direction: Direction) -> Self {
        TypeBuilder { types, direction, flatten_wrappers: false, defs: Items::default() }
    }

    /// The Rust type of `field`'s value (without `Option`). `type_name` is
    /// the Pascal-case name a struct for it would get.
    pub fn rust_type(&mut self, field: &Field, type_name: &str) -> Typed {
        if let Some(ty) = scalar(field.ty) {
            return Typed { ty, example: scalar_example(field.ty, field.example.as_deref()) };
        }
        match field.ty {
            Type::Array => {
                let Typed { ty: inner, .. } = match &field.items {
                    Some(items) => self.rust_type(items, type_name),
                    None => scalar_typed(Type::Any),
                };
                Typed { ty: ast::ty(&["Vec"], [inner]), example: ast::call(&["Vec", "new"]) }
            }
            Type::Map => {
                let Typed { ty: inner, .. } = match &field.values {
                    Some(values_field) => self.rust_type(values_field, &format!("{type_name}Value")),
                    None => scalar_typed(Type::Any),
                };
                Typed {
                    ty: ast::ty(&["std", "collections", "BTreeMap"], [ast::ty(&["String"], []), inner]),
                    example: ast::call(&["Default", "default"]),
                }
            }
            _ if field.fields.is_empty() => scalar_typed(Type::Any),
            _ => {
                let name = field.rust_name.clone().unwrap_or_else(|| type_name.to_string());
                self.define_struct(&name, &field.fields, field.description.as_deref())
            }
        }
    }

    /// Defines a struct with `fields` and returns its (unique) name with an
    /// example value.
    pub fn define_struct(&mut self, name: &str, fields: &[Field], doc: Option<&str>) -> Typed {
        let ident = names::ident(&self.types.claim(name.to_string()));
        let (def, example) = self.struct_def(&ident, fields, doc, &[], &Extra::default());
        self.defs.append(def);
        Typed { ty: ast::ident_ty(&ident), example }
    }

    /// Defines a request body struct that also carries members the page
    /// does not list: pages are often incomplete, and a typed body must never
    /// stop a caller from sending what the service accepts.
    pub fn define_open_struct(&mut self, name: &str, fields: &[Field], doc: Option<&str>) -> Typed {
        let ident = names::ident(&self.types.claim(name.to_string()));
        let extra_ty = ast::ty(
            &["std", "collections", "BTreeMap"],
            [ast::ty(&["String"], []), ast::ty(&["serde_json", "Value"], [])],
        );
        let mut attrs = docs::raw_attributes("Members the page does not list, sent as they are next to the others.");
        attrs.push(ast::list_attr("serde", quote!(flatten)));
        let extra = Extra {
            decl: vec![ast::field(attrs, true, names::ident("extra"), extra_ty)],
            init: vec![ast::field_value(names::ident("extra"), ast::call(&["std", "collections", "BTreeMap", "new"]))],
            methods: vec![extra_member()],
        };
        let (def, example) = self.struct_def(&ident, fields, doc, &["extra", "extra_member"], &extra);
        self.defs.append(def);
        Typed { ty: ast::ident_ty(&ident), example }
    }

    /// The definition of a struct with `fields`; nested structs are
    /// defined (and pushed) along the way.
    /// `reserved` member names are kept free for the `extra` members that
    /// the caller adds (the response metadata, a body's unlisted members).
    pub fn struct_def(
        &mut self,
        ident: &proc_macro2::Ident,
        fields: &[Field],
        doc: Option<&str>,
        reserved: &[&str],
        extra: &Extra,
    ) -> (Items, syn::Expr) {
        let Extra { decl: extra_decl, init: extra_init, methods: extra_methods } = extra;
        let parent = ident.to_string();
        let mut fields_out = Vec::new();
        let mut required_args = Vec::new();
        let mut setters = Vec::new();
        let mut optional = Vec::new();
        let mut required_examples = Vec::new();
        let mut decoders = Vec::new();
        let mut response_fields = Vec::new();
        let mut flat_members = Vec::new();
        for (f, member) in fields.iter().zip(member_idents(fields, reserved)) {
            // Only a container can need a struct of its own (and its name).
            let child_type = if matches!(f.ty, Type::Object | Type::Array | Type::Map) {
                format!("{parent}{}", names::pascal(&f.name, "Value"))
            } else {
                String::new()
            };
            let wire = &f.name;
            if let Some(inner) =
                wrapped_array(f).filter(|_| self.flatten_wrappers && self.direction == Direction::Response)
            {
                let (ty, decoder) = self.wrapper(&parent, f, inner, &member);
                decoders.push(decoder);
                let doc = docs::raw_attributes(&format!(
                    "{}\n\nOn the wire: {} holding the list {}.",
                    field_doc_text(f),
                    docs::code(&f.name),
                    docs::code(&inner.name)
                ));
                response_fields.push(ast::field(doc, true, member, ast::ty(&["Option"], [ty])));
                continue;
            }
            let Typed { ty, example } = self.rust_type(f, &child_type);
            if self.direction == Direction::Query {
                let max = f.max_items.filter(|_| f.ty == Type::Array);
                flat_members.push(FlatMember { member: member.clone(), wire: wire.clone(), max, required: f.required });
            }
            match self.direction {
                Direction::Response => {
                    // Alibaba often sends numbers as strings (and the
                    // reverse); scalar members accept either spelling.
                    // An array the sample shows as one element or as JSON
                    // text accepts those shapes too.
                    let read = if f.ty == Type::Array && f.one_or_list { "one_or_list" } else { "member" };
                    decoders.push(ast::method_call_field(member.clone(), "object", read, Some(wire)));
                    let doc = docs::raw_attributes(&field_doc_text(f));
                    response_fields.push(ast::field(doc, true, member, ast::ty(&["Option"], [ty])));
                }
                Direction::Request | Direction::Query if f.required => {
                    let mut attrs = docs::raw_attributes(&field_doc_text(f));
                    if self.direction == Direction::Request {
                        attrs.push(ast::list_attr("serde", quote!(rename = #wire)));
                    }
                    fields_out.push(ast::field(attrs, true, member.clone(), ty.clone()));
                    required_args.push((member, ty, f.ty == Type::String));
                    required_examples.push(example);
                }
                Direction::Request | Direction::Query => {
                    optional.push(member.clone());
                    // Text takes anything that becomes a String, as in requests.
                    setters.push(ast::member_setter(&parent, &member, &ty, f.ty == Type::String));
                    let mut attrs = docs::raw_attributes(&field_doc_text(f));
                    if self.direction == Direction::Request {
                        attrs.push(ast::list_attr(
                            "serde",
                            quote!(rename = #wire, skip_serializing_if = "Option::is_none"),
                        ));
                    }
                    fields_out.push(ast::field(attrs, true, member, ast::ty(&["Option"], [ty])));
                }
            }
        }
        let example = if required_args.is_empty() {
            ast::associated_call(ident, "default", Vec::new())
        } else {
            ast::associated_call(ident, "new", required_examples)
        };
        let def = match self.direction {
            Direction::Response => {
                // Built as syn values (see `ast`): these two items are most
                // of every file.
                let mut attrs =
                    docs::attributes(doc.unwrap_or("Part of the operation's data (no description on the page)."));
                attrs.push(ast::list_attr("derive", quote!(Clone, Debug, Default, PartialEq)));
                response_fields.extend(extra_decl.iter().cloned());
                let definition = ast::public_struct(attrs, ident.clone(), response_fields);
                decoders.extend(extra_init.iter().cloned());
                let decode = ast::decode_impl(ident, decoders);
                // Members the caller adds (the response's `meta()`) get an
                // inherent impl.
                let mut out = Items::default();
                out.push(definition);
                out.push(decode);
                if !extra_methods.is_empty() {
                    out.push(ast::inherent_impl(ident, extra_methods.clone()));
                }
                out
            }
            Direction::Request | Direction::Query => {
                let mut attrs =
                    docs::attributes(doc.unwrap_or("Part of the operation's data (no description on the page)."));
                let derive_default = required_args.is_empty().then(|| quote!(Default,));
                let serialize = (self.direction == Direction::Request).then(|| quote!(, serde::Serialize));
                attrs.push(ast::list_attr("derive", quote!(Clone, Debug, #derive_default PartialEq #serialize)));
                fields_out.extend(extra_decl.iter().cloned());
                let mut out = Items::default();
                out.push(ast::public_struct(attrs, ident.clone(), fields_out));
                let methods: Vec<syn::ImplItemFn> = constructor(&parent, &required_args, &optional, extra_init)
                    .into_iter()
                    .chain(setters)
                    .chain(extra_methods.iter().cloned())
                    .collect();
                if !methods.is_empty() {
                    out.push(ast::inherent_impl(ident, methods));
                }
                if self.direction == Direction::Query {
                    out.quoted(flat_impl(ident, &flat_members));
                }
                out
            }
        };
        (def, example)
    }
}

impl TypeBuilder<'_> {
    /// The Rust type (`Vec<Item>`) and the decoder of a wrapper member `f`
    /// of the struct `parent`, whose only member is the array `inner`: a
    /// small hidden struct reads the wire shape `{"F": {"Inner": [..]}}`.
    fn wrapper(
        &mut self,
        parent: &str,
        f: &Field,
        inner: &Field,
        member: &proc_macro2::Ident,
    ) -> (syn::Type, syn::FieldValue) {
        let Typed { ty, .. } = self.rust_type(inner, &format!("{parent}{}", names::pascal(&inner.name, "Item")));
        let wire_ident = names::ident(&self.types.claim(format!("{parent}{}Wire", names::pascal(&f.name, "Value"))));
        let read = if inner.one_or_list { "one_or_list" } else { "member" };
        let items = names::ident("items");
        let decode = ast::decode_impl(
            &wire_ident,
            vec![ast::method_call_field(items.clone(), "object", read, Some(&inner.name))],
        );
        let doc = format!(
            " The wire shape of {}: an object holding the list {}.",
            docs::code(&f.name),
            docs::code(&inner.name)
        );
        let definition = ast::public_struct(
            vec![ast::doc_attr(&doc), ast::list_attr("doc", quote!(hidden))],
            wire_ident.clone(),
            vec![ast::field(vec![ast::doc_attr(" The list.")], true, items, ast::ty(&["Option"], [ty.clone()]))],
        );
        self.defs.push(definition);
        self.defs.push(decode);
        let wire = &f.name;
        let expr: syn::Expr = syn::parse_quote!(object.member::<#wire_ident>(#wire).and_then(|wrapper| wrapper.items));
        (ty, ast::field_value(member.clone(), expr))
    }
}

/// The array member of `f` when `f` is an XML-derived wrapper
/// ([`Field::wrapped_list`]) the Rust API flattens: not when a Rust name
/// of its own was given to it.
pub fn wrapped_array(f: &Field) -> Option<&Field> {
    f.rust_name.is_none().then(|| f.wrapped_list()).flatten()
}

/// One member of an RPC parameter struct, as its `FlatParam` impl sends it.
struct FlatMember {
    member: proc_macro2::Ident,
    wire: String,
    /// `max_items` of a list member.
    max: Option<u32>,
    /// Not an `Option` in the struct.
    required: bool,
}

/// `impl FlatParam for ident`: each member under its wire name, a list
/// member after the check of its `max_items`.
fn flat_impl(ident: &proc_macro2::Ident, members: &[FlatMember]) -> TokenStream {
    let puts = members.iter().map(|FlatMember { member, wire, max, required }| {
        let check = max.map(|max| {
            let max = proc_macro2::Literal::u32_unsuffixed(max);
            let len =
                if *required { quote!(self.#member.len()) } else { quote!(self.#member.as_ref().map_or(0, Vec::len)) };
            quote!(out.max_len(prefix, #wire, #len, #max);)
        });
        quote!(#check out.member(prefix, #wire, &self.#member);)
    });
    quote! {
        impl aliyun_runtime::__private::FlatParam for #ident {
            fn flatten(&self, prefix: &str, out: &mut aliyun_runtime::__private::Flattener<'_>) {
                #(#puts)*
            }
        }
    }
}

/// The member identifiers of a struct with `fields`, in order, unique and
/// clear of `reserved`: the one rule that struct definitions and the code
/// that refers to their members (paginators) share.
pub fn member_idents(fields: &[Field], reserved: &[&str]) -> Vec<proc_macro2::Ident> {
    let mut members = Scope::with_reserved(reserved);
    fields.iter().map(|f| names::ident(&members.claim(member_name(f)))).collect()
}

/// Members a caller adds to a struct besides the page's fields: their
/// declarations, their initialisers in `new`, and their methods.
#[derive(Default)]
pub struct Extra {
    /// Member declarations.
    pub decl: Vec<syn::Field>,
    /// Initialisers used by the generated constructor (requests) or by
    /// `decode` (responses).
    pub init: Vec<syn::FieldValue>,
    /// Methods added to the struct's `impl`.
    pub methods: Vec<syn::ImplItemFn>,
}

/// `extra_member(name, value)`, the setter of an open body's unlisted members.
fn extra_member() -> syn::ImplItemFn {
    let insert = ast::method(
        ast::self_field(&names::ident("extra")),
        "insert",
        vec![ast::method(ast::expr_path(&["name"]), "into", Vec::new()), ast::expr_path(&["value"])],
    );
    ast::function(
        vec![ast::doc_attr(" Adds a member the page does not list (see [`Self::extra`]).")],
        true,
        names::ident("extra_member"),
        ast::Receiver::MutValue,
        vec![
            (names::ident("name"), ast::into_string()),
            (names::ident("value"), ast::ty(&["serde_json", "Value"], [])),
        ],
        ast::ty(&["Self"], []),
        vec![ast::semi(insert), syn::Stmt::Expr(ast::expr_path(&["self"]), None)],
    )
}

/// The [`Typed`] of a scalar (or `any`) type with a neutral example.
pub fn scalar_typed(ty: Type) -> Typed {
    Typed { ty: scalar(ty).unwrap_or_else(|| ast::ty(&["serde_json", "Value"], [])), example: scalar_example(ty, None) }
}

/// An example value of a scalar type: the page's example when it parses as
/// that type, else a neutral value.
pub fn scalar_example(ty: Type, example: Option<&str>) -> syn::Expr {
    use proc_macro2::Literal;
    let example = example.map(str::trim).filter(|e| !e.is_empty());
    // Numbers carry their suffix (`1i32`), as `quote!` writes them.
    let lit = match ty {
        Type::String => return ast::expr_str(example.unwrap_or("example")),
        Type::Integer => syn::Lit::Int(Literal::i32_suffixed(example.and_then(|e| e.parse().ok()).unwrap_or(1)).into()),
        Type::Long => syn::Lit::Int(Literal::i64_suffixed(example.and_then(|e| e.parse().ok()).unwrap_or(1)).into()),
        Type::Float => {
            let v = example.and_then(|e| e.parse::<f32>().ok()).filter(|v| v.is_finite()).unwrap_or(1.0);
            syn::Lit::Float(Literal::f32_suffixed(v).into())
        }
        Type::Double => {
            let v = example.and_then(|e| e.parse::<f64>().ok()).filter(|v| v.is_finite()).unwrap_or(1.0);
            syn::Lit::Float(Literal::f64_suffixed(v).into())
        }
        Type::Boolean => syn::Lit::Bool(syn::LitBool::new(
            example.and_then(|e| e.parse().ok()).unwrap_or(true),
            proc_macro2::Span::call_site(),
        )),
        _ => return ast::expr_path(&["serde_json", "Value", "Null"]),
    };
    syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit })
}

/// `new(required...)` for a request body struct; optional members start
/// `None`. No constructor when nothing is required (the struct derives
/// `Default` instead).
fn constructor(
    type_name: &str,
    required: &[(proc_macro2::Ident, syn::Type, bool)],
    optional: &[proc_macro2::Ident],
    extra_init: &[syn::FieldValue],
) -> Option<syn::ImplItemFn> {
    if required.is_empty() {
        return None;
    }
    let args = required.iter().map(|(m, t, text)| ast::required_arg(m, t, *text)).collect();
    let inits = required
        .iter()
        .map(|(m, _, text)| ast::required_init(m, *text))
        .chain(optional.iter().map(ast::none_init))
        .chain(extra_init.iter().cloned())
        .collect();
    let doc = format!(" A `{type_name}` with its required members; set the others with the setters.");
    Some(ast::constructor(&doc, args, inits))
}

/// The snake-case member name of a field.
pub fn member_name(f: &Field) -> String {
    f.rust_name.clone().unwrap_or_else(|| names::snake(&f.name, "value"))
}

/// The rustdoc of a struct member: the page's description, plus the wire
/// name and example so a reader can match it to the page.
fn field_doc_text(f: &Field) -> String {
    let mut text = docs::clean(f.description.as_deref().unwrap_or_default());
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str("Wire name: ");
    docs::push_code(&mut text, &f.name);
    if let Some(example) = f.example.as_deref().filter(|e| !e.trim().is_empty()) {
        text.push_str(". Example: ");
        docs::push_code(&mut text, example.trim());
    }
    if let Some(max) = f.max_items.filter(|_| f.ty == Type::Array) {
        text.push_str(&docs::at_most(max));
    }
    text
}
