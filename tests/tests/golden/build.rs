//! One golden request as a typed call: the request struct's constructor
//! and setters filled from the recorded values, and what the struct cannot
//! hold (parameters and body fields newer than its spec) as per-call
//! extras. A value that a member of the spec's type cannot hold is not an
//! extra: the request is then reported as not buildable, with the reason.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::source::{Def, Member, Ty, Wire};

/// A recorded request, split the way a typed call fills it.
pub struct Golden<'a> {
    /// `x-acs-action`.
    pub action: &'a str,
    /// Path parameters by name, not encoded.
    pub path_params: BTreeMap<String, String>,
    /// Query parameters by name, decoded.
    pub query: BTreeMap<String, String>,
    /// Headers by lower-case name.
    pub headers: BTreeMap<String, String>,
    /// The body, as its content type says.
    pub body: Body,
}

/// A recorded body.
pub enum Body {
    None,
    Json(Value),
    /// `application/x-www-form-urlencoded` pairs, decoded.
    Form(BTreeMap<String, String>),
}

/// A typed call: the expression of the request (`XRequest::new(..)...`)
/// and the extras.
pub struct Call {
    /// `XRequest::new(..).setter(..)`, without `.into_request()`.
    pub request: TokenStream,
    /// Recorded query parameters no member sends.
    pub query_extras: Vec<(String, String)>,
    /// Recorded top-level body fields no member sends.
    pub body_extras: Vec<(String, Value)>,
    /// The recorded JSON body, sent whole in place of the typed one, with
    /// why: when the spec's body cannot hold it only for nested members the
    /// spec does not list (newer than the pages), or when the official
    /// client takes the body as an opaque value (so the recorded one is its
    /// sample input, not a typed body). The typed body then holds
    /// placeholders for its required members: it is built, not sent.
    pub replaced_body: Option<(Value, String)>,
}

type Built = Result<TokenStream, String>;

/// Builds the typed call of `golden` from the product's structs;
/// `opaque_body`: the official client sends this operation's body as an
/// opaque value (a fact of its truth file).
pub fn call(golden: &Golden<'_>, defs: &HashMap<String, Def>, opaque_body: bool) -> Result<Call, String> {
    let (name, def) = defs
        .iter()
        .find(|(_, d)| d.action.as_deref() == Some(golden.action))
        .ok_or_else(|| "no generated request struct builds this action".to_owned())?;
    if let Some(verb) = def.unknown_verbs.first() {
        return Err(format!("{name} sends a member with `{verb}`, which this harness does not read"));
    }
    let b = Builder { defs, skip_unknown: false };
    let mut used_query = BTreeSet::new();
    let mut body_extras = Vec::new();
    let mut replaced_body = None;
    let mut values = Vec::new();
    for m in &def.members {
        let value = match &m.wire {
            Some(Wire::Param { verb, name }) => match verb.as_str() {
                "flat" => b.flat(&m.ty, &golden.query, name, &mut used_query)?,
                "query" => {
                    let built = golden.query.get(name).map(|text| b.text(&m.ty, text, name)).transpose()?;
                    if built.is_some() {
                        used_query.insert(name.clone());
                    }
                    built
                }
                "path_param" => golden.path_params.get(name).map(|text| b.text(&m.ty, text, name)).transpose()?,
                _ => golden.headers.get(&name.to_ascii_lowercase()).map(|t| b.text(&m.ty, t, name)).transpose()?,
            },
            Some(Wire::Body { verb }) => match (b.body(&m.ty, &golden.body, verb, &mut body_extras), &golden.body) {
                (Ok(value), _) => value,
                (Err(reason), Body::Json(recorded)) if verb == "json_body" => {
                    // Anything else the spec's body cannot hold is the
                    // spec's mistake, which a replaced body would hide.
                    let lenient = Builder { defs, skip_unknown: true };
                    let newer_only = lenient.body(&m.ty, &golden.body, verb, &mut Vec::new()).is_ok();
                    if !(newer_only || opaque_body) {
                        return Err(reason);
                    }
                    if let (Ty::Named(name), Value::Object(object)) = (&m.ty, recorded) {
                        b.misspelled(name, object.keys())?;
                    }
                    body_extras.clear();
                    let why = if opaque_body { "the client's body is opaque" } else { "members newer than the pages" };
                    replaced_body = Some((recorded.clone(), format!("{reason} ({why})")));
                    if m.optional { None } else { Some(b.placeholder(&m.ty, "body")?) }
                }
                (Err(reason), _) => return Err(reason),
            },
            _ => return Err(format!("{name}.{} is not sent by `into_request`", m.ident)),
        };
        values.push((m, value));
    }
    if !def.members.iter().any(|m| matches!(m.wire, Some(Wire::Body { .. }))) {
        // No body in the spec: a recorded object body travels whole as extras.
        match &golden.body {
            Body::None => {}
            Body::Json(Value::Object(members)) => {
                body_extras.extend(members.iter().map(|(k, v)| (k.clone(), v.clone())))
            }
            Body::Form(pairs) => body_extras.extend(pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.clone())))),
            Body::Json(other) => return Err(format!("the spec has no body; the recorded one is {other}")),
        }
    }
    let request = construct(name, def, values)?;
    let query_extras: Vec<(String, String)> =
        golden.query.iter().filter(|(k, _)| !used_query.contains(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    // An extra is a parameter the spec does not name; one it names in
    // another case is the spec's mistake, which an extra would hide.
    for (extra, _) in &query_extras {
        let spelled = def.members.iter().find_map(|m| match &m.wire {
            Some(Wire::Param { name, .. }) if name != extra && name.eq_ignore_ascii_case(extra) => Some(name),
            _ => None,
        });
        if let Some(spelled) = spelled {
            return Err(format!("the recorded parameter {extra} is spelled {spelled} in the spec"));
        }
    }
    Ok(Call { request, query_extras, body_extras, replaced_body })
}

/// `Type::new(required..).optional(..)`, or `Type::default()...` without
/// a constructor.
fn construct(name: &str, def: &Def, values: Vec<(&Member, Option<TokenStream>)>) -> Built {
    let ty = format_ident!("{}", name);
    let mut by_member: HashMap<String, TokenStream> = HashMap::new();
    let mut setters = Vec::new();
    for (m, value) in values {
        match (m.optional, value) {
            (false, Some(v)) => {
                by_member.insert(m.ident.to_string(), v);
            }
            (false, None) => {
                return Err(format!("{name}.{}: required, and the recorded request has no value for it", m.ident));
            }
            (true, Some(v)) => {
                let setter = &m.ident;
                setters.push(quote!(.#setter(#v)));
            }
            (true, None) => {}
        }
    }
    let base = match &def.new_args {
        Some(args) => {
            let args = args
                .iter()
                .map(|a| {
                    by_member.remove(&a.to_string()).ok_or_else(|| format!("{name}::new takes `{a}`, not a member"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            quote!(#ty::new(#(#args),*))
        }
        None => quote!(<#ty as ::core::default::Default>::default()),
    };
    Ok(quote!(#base #(#setters)*))
}

struct Builder<'a> {
    defs: &'a HashMap<String, Def>,
    /// Leaves out recorded members of a nested struct that it does not
    /// have, rather than failing: to tell whether they are all that the
    /// spec's body cannot hold.
    skip_unknown: bool,
}

impl Builder<'_> {
    /// A value sent as one text (`ParamValue`, or a form pair): scalars as
    /// written, lists and maps as JSON text.
    fn text(&self, ty: &Ty, text: &str, at: &str) -> Built {
        let misfit = || format!("{at}: the recorded {text:?} does not fit {ty}");
        Ok(match ty {
            Ty::String => string(text),
            Ty::Int(int) => int_literal(int, text.parse().map_err(|_| misfit())?).ok_or_else(misfit)?,
            Ty::Float(float) => float_literal(float, text.parse().map_err(|_| misfit())?).ok_or_else(misfit)?,
            Ty::Bool => match text {
                "true" | "True" => quote!(true),
                "false" | "False" => quote!(false),
                _ => return Err(misfit()),
            },
            // A JSON member sent as one text is sent as the string itself.
            Ty::Json => quote!(serde_json::Value::String(#text.to_owned())),
            Ty::Vec(_) | Ty::Map(_) | Ty::Named(_) => {
                let value: Value = serde_json::from_str(text).map_err(|_| misfit())?;
                self.json(ty, &value, at)?
            }
            Ty::Other(_) => return Err(misfit()),
        })
    }

    /// A value in the JSON of a body.
    fn json(&self, ty: &Ty, value: &Value, at: &str) -> Built {
        let misfit = || format!("{at}: the recorded {value} does not fit {ty}");
        Ok(match ty {
            Ty::String => string(value.as_str().ok_or_else(misfit)?),
            Ty::Int(int) => int_literal(int, value.as_i64().ok_or_else(misfit)?).ok_or_else(misfit)?,
            Ty::Float(float) => float_literal(float, value.as_f64().ok_or_else(misfit)?).ok_or_else(misfit)?,
            Ty::Bool => {
                let b = value.as_bool().ok_or_else(misfit)?;
                quote!(#b)
            }
            Ty::Json => json_literal(value),
            Ty::Vec(item) => {
                let items = value
                    .as_array()
                    .ok_or_else(misfit)?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.json(item, v, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            Ty::Map(item) => {
                let entries = value
                    .as_object()
                    .ok_or_else(misfit)?
                    .iter()
                    .map(|(k, v)| {
                        let v = self.json(item, v, &format!("{at}.{k}"))?;
                        let k = string(k);
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                quote!(std::collections::BTreeMap::from([#(#entries),*]))
            }
            Ty::Named(name) => {
                let object = value.as_object().ok_or_else(misfit)?;
                let (built, rest) =
                    self.object(name, |wire, ty, at| object.get(wire).map(|v| self.json(ty, v, at)).transpose(), at)?;
                let left: Vec<&String> = object.keys().filter(|k| !rest.contains(*k)).collect();
                if let Some(key) = left.first().filter(|_| !self.skip_unknown) {
                    return Err(format!("{at}.{key}: recorded, and {name} has no member for it"));
                }
                built
            }
            Ty::Other(_) => return Err(misfit()),
        })
    }

    /// An RPC parameter flattened into the query (`Name.1`, `Name.Field`).
    fn flat(
        &self,
        ty: &Ty,
        query: &BTreeMap<String, String>,
        prefix: &str,
        used: &mut BTreeSet<String>,
    ) -> Result<Option<TokenStream>, String> {
        let dotted = format!("{prefix}.");
        if !query.keys().any(|k| k == prefix || k.starts_with(&dotted)) {
            return Ok(None);
        }
        match ty {
            Ty::Vec(item) => {
                let mut items = Vec::new();
                for i in 1.. {
                    match self.flat(item, query, &format!("{prefix}.{i}"), used)? {
                        Some(v) => items.push(v),
                        None => break,
                    }
                }
                if items.is_empty() {
                    return Err(format!("{prefix}: recorded, but not as a list numbered from 1"));
                }
                Ok(Some(quote!(vec![#(#items),*])))
            }
            Ty::Named(name) => {
                let (built, taken) =
                    self.object(name, |wire, ty, _| self.flat(ty, query, &format!("{prefix}.{wire}"), used), prefix)?;
                if taken.is_empty() {
                    return Err(format!("{prefix}: recorded, and {name} has none of its members"));
                }
                Ok(Some(built))
            }
            _ => {
                let Some(text) = query.get(prefix) else {
                    return Err(format!("{prefix}: recorded with members, but its type is {ty}"));
                };
                used.insert(prefix.to_owned());
                self.text(ty, text, prefix).map(Some)
            }
        }
    }

    /// A request body member from the recorded body; recorded members that
    /// the body struct does not have become body extras.
    fn body(
        &self,
        ty: &Ty,
        body: &Body,
        verb: &str,
        extras: &mut Vec<(String, Value)>,
    ) -> Result<Option<TokenStream>, String> {
        match (body, verb) {
            (Body::None, _) => Ok(None),
            (Body::Json(value), "json_body") => {
                let (Ty::Named(name), Value::Object(object)) = (ty, value) else {
                    return self.json(ty, value, "body").map(Some);
                };
                let (built, taken) = self.object(
                    name,
                    |wire, ty, at| object.get(wire).map(|v| self.json(ty, v, at)).transpose(),
                    "body",
                )?;
                self.misspelled(name, object.keys().filter(|k| !taken.contains(*k)))?;
                extras.extend(object.iter().filter(|(k, _)| !taken.contains(*k)).map(|(k, v)| (k.clone(), v.clone())));
                Ok(Some(built))
            }
            (Body::Form(pairs), "form_body") => {
                let Ty::Named(name) = ty else { return Err(format!("a form body of type {ty}")) };
                let (built, taken) = self.object(
                    name,
                    |wire, ty, at| pairs.get(wire).map(|v| self.text(ty, v, at)).transpose(),
                    "body",
                )?;
                self.misspelled(name, pairs.keys().filter(|k| !taken.contains(*k)))?;
                extras.extend(
                    pairs
                        .iter()
                        .filter(|(k, _)| !taken.contains(*k))
                        .map(|(k, v)| (k.clone(), Value::String(v.clone()))),
                );
                Ok(Some(built))
            }
            (Body::Json(_), _) => Err(format!("the spec sends its body with `{verb}`; the recorded body is JSON")),
            (Body::Form(_), _) => {
                Err(format!("the spec sends its body with `{verb}`; the recorded body is form-encoded"))
            }
        }
    }

    /// A value of `ty` that only fills a required member: empty, zero,
    /// `false`, a struct of such values.
    fn placeholder(&self, ty: &Ty, at: &str) -> Built {
        Ok(match ty {
            Ty::String => quote!(String::new()),
            Ty::Int(int) => int_literal(int, 0).ok_or_else(|| format!("{at}: no placeholder for {ty}"))?,
            Ty::Float(float) => float_literal(float, 0.0).ok_or_else(|| format!("{at}: no placeholder for {ty}"))?,
            Ty::Bool => quote!(false),
            Ty::Json => quote!(serde_json::Value::Null),
            Ty::Vec(_) => quote!(Vec::new()),
            Ty::Map(_) => quote!(std::collections::BTreeMap::new()),
            Ty::Named(name) => {
                let def = self.defs.get(name).ok_or_else(|| format!("{at}: no generated struct {name}"))?;
                let values = def
                    .members
                    .iter()
                    .filter(|m| !matches!(m.wire, Some(Wire::Flatten)))
                    .map(|m| {
                        let value = if m.optional {
                            None
                        } else {
                            Some(self.placeholder(&m.ty, &format!("{at}.{}", m.ident))?)
                        };
                        Ok((m, value))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                construct(name, def, values)?
            }
            Ty::Other(_) => return Err(format!("{at}: no placeholder for {ty}")),
        })
    }

    /// A recorded body field left over that the struct `name` names in
    /// another case: the spec's mistake, which an extra would hide.
    fn misspelled<'k>(&self, name: &str, mut left: impl Iterator<Item = &'k String>) -> Result<(), String> {
        let Some(def) = self.defs.get(name) else { return Ok(()) };
        let wires: Vec<&String> = def
            .members
            .iter()
            .filter_map(|m| match &m.wire {
                Some(Wire::Field(wire)) => Some(wire),
                _ => None,
            })
            .collect();
        match left.find_map(|k| wires.iter().find(|w| **w != k && w.eq_ignore_ascii_case(k)).map(|w| (k, w))) {
            Some((k, w)) => Err(format!("the recorded body field {k} is spelled {w} in the spec")),
            None => Ok(()),
        }
    }

    /// The struct `name` with each member filled by `value(wire name, type,
    /// path)`, and the wire names it took.
    fn object(
        &self,
        name: &str,
        mut value: impl FnMut(&str, &Ty, &str) -> Result<Option<TokenStream>, String>,
        at: &str,
    ) -> Result<(TokenStream, BTreeSet<String>), String> {
        let def = self.defs.get(name).ok_or_else(|| format!("{at}: no generated struct {name}"))?;
        let mut taken = BTreeSet::new();
        let mut values = Vec::new();
        for m in &def.members {
            let v = match &m.wire {
                Some(Wire::Field(wire)) => {
                    let v = value(wire, &m.ty, &format!("{at}.{wire}"))?;
                    if v.is_some() {
                        taken.insert(wire.clone());
                    }
                    v
                }
                // Left empty: what the struct does not name goes through the
                // per-call extras, counted.
                Some(Wire::Flatten) => continue,
                _ => return Err(format!("{name}.{}: no wire name in the generated code", m.ident)),
            };
            values.push((m, v));
        }
        Ok((construct(name, def, values)?, taken))
    }
}

fn string(text: &str) -> TokenStream {
    quote!(String::from(#text))
}

fn int_literal(int: &str, value: i64) -> Option<TokenStream> {
    let literal = match int {
        "i32" => Literal::i32_suffixed(i32::try_from(value).ok()?),
        "i64" => Literal::i64_suffixed(value),
        "u32" => Literal::u32_suffixed(u32::try_from(value).ok()?),
        "u64" => Literal::u64_suffixed(u64::try_from(value).ok()?),
        _ => return None,
    };
    Some(quote!(#literal))
}

fn float_literal(float: &str, value: f64) -> Option<TokenStream> {
    if !value.is_finite() {
        return None;
    }
    let literal = match float {
        // Golden floats are short decimals, which f32 holds as written.
        "f32" => Literal::f32_suffixed(value as f32),
        _ => Literal::f64_suffixed(value),
    };
    Some(quote!(#literal))
}

/// A JSON value as an expression (parsed from its text at run time; the
/// text was parsed here first).
pub fn json_literal(value: &Value) -> TokenStream {
    let text = value.to_string();
    quote!(serde_json::from_str::<serde_json::Value>(#text).expect("recorded JSON"))
}
