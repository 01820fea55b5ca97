//! OpenAPI 3.0 export of a product (`cargo codegen dump --openapi DIR`).
//!
//! The document is built from the checked IR, so it says what the generated
//! client does:
//!
//! - one operation per IR operation, `operationId` = wire name, under its
//!   path with `[Name]` placeholders written `{Name}`; when two operations
//!   share a method and path (RPC products, or ROA pages that differ only by
//!   body), the later ones are keyed `{path}#{Name}` (a fragment is never
//!   sent, so the URL stays right) and every operation carries
//!   `x-acs-action`;
//! - parameters with their position (`path`, `query`, `header`); every path
//!   placeholder has a required path parameter, even when the page forgot
//!   to list it;
//! - the JSON request body: an object with its fields, an array of items,
//!   or any JSON for opaque bodies;
//! - the `200` response schema (nested objects, arrays and maps inline);
//! - one response per documented error status (`default` when the page
//!   gives none), its description listing the codes, its body the common
//!   error shape in `components/schemas/Error`.
//!
//! Output is deterministic: JSON objects are emitted with sorted keys.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::ir::{self, Body, BodyKind, ErrorCode, Field, Location, Operation, Param, Product, Style, Type};

/// The OpenAPI version written in the document.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The OpenAPI 3.0 document of `product` as a JSON value.
pub fn document(product: &Product) -> Value {
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for op in &product.operations {
        let method = op.method.to_ascii_lowercase();
        let base = openapi_path(&op.path);
        let taken = |key: &str, paths: &BTreeMap<String, Map<String, Value>>| {
            paths.get(key).is_some_and(|item| item.contains_key(&method))
        };
        let mut key = base.clone();
        if taken(&key, &paths) {
            key = format!("{base}#{}", op.name);
            let mut n = 2;
            while taken(&key, &paths) {
                key = format!("{base}#{}{n}", op.name);
                n += 1;
            }
        }
        paths.entry(key).or_default().insert(method, operation(op));
    }
    let paths: Map<String, Value> = paths.into_iter().map(|(k, v)| (k, Value::Object(v))).collect();

    let title = product.title.clone().unwrap_or_else(|| product.product.clone());
    let mut info = json!({
        "title": title,
        "version": product.version,
        "x-acs-product": product.product,
        "x-acs-style": match product.style { Style::Roa => "ROA", Style::Rpc => "RPC" },
    });
    if let Some(endpoint) = &product.endpoint {
        info["description"] = Value::String(format!("{title} API {} (endpoint `{endpoint}`).", product.version));
    }
    let mut doc = json!({
        "openapi": OPENAPI_VERSION,
        "info": info,
        "paths": paths,
        "components": { "schemas": { "Error": error_schema() } },
    });
    if let Some(endpoint) = &product.endpoint {
        doc["servers"] = json!([{
            "url": format!("https://{}", endpoint.replace("{region}", "{regionId}")),
            "variables": { "regionId": { "default": "cn-hangzhou" } },
        }]);
    }
    doc
}

/// [`document`] as pretty-printed JSON text (with a final newline).
pub fn to_json(product: &Product) -> String {
    let mut text = serde_json::to_string_pretty(&document(product)).unwrap_or_default();
    text.push('\n');
    text
}

/// `[Name]` and `{Name}` placeholders written `{Name}`.
pub fn openapi_path(path: &str) -> String {
    let mut out = String::new();
    for segment in ir::path_segments(path) {
        match segment {
            ir::PathSegment::Literal(text) => out.push_str(text),
            ir::PathSegment::Param(name) => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

fn operation(op: &Operation) -> Value {
    let mut o = Map::new();
    o.insert("operationId".into(), Value::String(op.name.clone()));
    o.insert("x-acs-action".into(), Value::String(op.name.clone()));
    if let Some(summary) = &op.summary {
        o.insert("summary".into(), Value::String(summary.clone()));
    }
    if let Some(description) = &op.description {
        o.insert("description".into(), Value::String(description.clone()));
    }
    if !op.alternative_methods.is_empty() {
        o.insert("x-acs-alternative-methods".into(), json!(op.alternative_methods));
    }
    let params = parameters(op);
    if !params.is_empty() {
        o.insert("parameters".into(), Value::Array(params));
    }
    if let Some(body) = &op.body {
        o.insert("requestBody".into(), request_body(body));
    }
    o.insert("responses".into(), responses(op));
    Value::Object(o)
}

fn parameters(op: &Operation) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for p in &op.params {
        if seen.insert((p.location, p.name.clone())) {
            out.push(parameter(p));
        }
    }
    // OpenAPI requires a path parameter for every placeholder.
    for name in ir::path_placeholders(&op.path) {
        if seen.insert((Location::Path, name.to_string())) {
            out.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
        }
    }
    out
}

fn parameter(p: &Param) -> Value {
    // OpenAPI's `in` names are ours.
    let location = p.location.as_str();
    let shape = Field { ty: p.ty, items: p.items.clone(), max_items: p.max_items, ..Field::default() };
    let mut v = json!({
        "name": p.name,
        "in": location,
        // Path parameters are always required in OpenAPI.
        "required": p.required || p.location == Location::Path,
        "schema": schema(&shape),
    });
    if let Some(d) = &p.description {
        v["description"] = Value::String(d.clone());
    }
    if let Some(example) = p.example.as_deref().and_then(|e| example(p.ty, e)) {
        v["example"] = example;
    }
    v
}

fn request_body(body: &Body) -> Value {
    let schema = match body.kind {
        BodyKind::Object => object_schema(&body.fields),
        BodyKind::Array => {
            json!({ "type": "array", "items": body.items.as_deref().map_or_else(|| json!({}), schema) })
        }
        BodyKind::Opaque => json!({}),
    };
    let mut v = json!({
        "required": body.required,
        "content": { "application/json": { "schema": schema } },
    });
    if let Some(d) = &body.description {
        v["description"] = Value::String(d.clone());
    }
    v
}

fn responses(op: &Operation) -> Value {
    let mut r = Map::new();
    let mut ok = json!({ "description": "OK" });
    if !op.response.is_empty() {
        ok["content"] = json!({ "application/json": { "schema": object_schema(&op.response) } });
    }
    r.insert("200".into(), ok);
    let mut by_status: BTreeMap<String, Vec<&ErrorCode>> = BTreeMap::new();
    for e in &op.errors {
        let key = if (400..=599).contains(&e.status) { e.status.to_string() } else { "default".to_string() };
        by_status.entry(key).or_default().push(e);
    }
    for (status, codes) in by_status {
        let lines: Vec<String> = codes
            .iter()
            .map(|e| match e.message.as_deref().or(e.description.as_deref()) {
                Some(m) => format!("- `{}`: {}", e.code, m.replace('\n', " ")),
                None => format!("- `{}`", e.code),
            })
            .collect();
        let mut codes_list: Vec<&str> = codes.iter().map(|e| e.code.as_str()).collect();
        codes_list.dedup();
        r.insert(
            status,
            json!({
                "description": format!("Error codes:\n{}", lines.join("\n")),
                "x-acs-error-codes": codes_list,
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
            }),
        );
    }
    Value::Object(r)
}

/// The JSON error body every Alibaba Cloud service sends.
fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "Error body; some services spell the keys `code` and `requestId`.",
        "properties": {
            "Code": { "type": "string" },
            "Message": { "type": "string" },
            "RequestId": { "type": "string" },
            "HostId": { "type": "string" },
            "Recommend": { "type": "string" },
        },
    })
}

/// An object schema with `fields` as properties.
fn object_schema(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in fields {
        if properties.contains_key(&f.name) {
            continue;
        }
        properties.insert(f.name.clone(), schema(f));
        if f.required {
            required.push(Value::String(f.name.clone()));
        }
    }
    let mut v = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        v["required"] = Value::Array(required);
    }
    v
}

/// The schema of one field (recursively).
pub fn schema(f: &Field) -> Value {
    let mut v = match f.ty {
        Type::String => json!({ "type": "string" }),
        Type::Integer => json!({ "type": "integer", "format": "int32" }),
        Type::Long => json!({ "type": "integer", "format": "int64" }),
        Type::Float => json!({ "type": "number", "format": "float" }),
        Type::Double => json!({ "type": "number", "format": "double" }),
        Type::Boolean => json!({ "type": "boolean" }),
        Type::Object if f.fields.is_empty() => json!({ "type": "object" }),
        Type::Object => object_schema(&f.fields),
        Type::Array => json!({ "type": "array", "items": f.items.as_deref().map_or_else(|| json!({}), schema) }),
        Type::Map => json!({
            "type": "object",
            "additionalProperties": f.values.as_deref().map_or(Value::Bool(true), schema),
        }),
        Type::Any => json!({}),
    };
    if let Some(max) = f.max_items.filter(|_| f.ty == Type::Array) {
        v["maxItems"] = Value::from(max);
    }
    if let Some(d) = &f.description {
        v["description"] = Value::String(d.clone());
    }
    if let Some(example) = f.example.as_deref().and_then(|e| example(f.ty, e)) {
        v["example"] = example;
    }
    v
}

/// A page's example text as a JSON value of the schema's type, when it is
/// one (examples that do not match the type are left out).
fn example(ty: Type, text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match ty {
        Type::String => Some(Value::String(text.to_string())),
        Type::Integer | Type::Long => text.parse::<i64>().ok().map(Value::from),
        Type::Float | Type::Double => {
            text.parse::<f64>().ok().filter(|f| f.is_finite()).and_then(serde_json::Number::from_f64).map(Value::Number)
        }
        Type::Boolean => text.parse::<bool>().ok().map(Value::Bool),
        Type::Object | Type::Array | Type::Map | Type::Any => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_braces() {
        assert_eq!(openapi_path("/a/[Id]/b/{Other}"), "/a/{Id}/b/{Other}");
        assert_eq!(openapi_path("x"), "/x");
    }

    #[test]
    fn shared_method_and_path_get_distinct_keys() {
        let op = |name: &str| Operation {
            name: name.to_string(),
            summary: None,
            description: None,
            method: "POST".to_string(),
            alternative_methods: Vec::new(),
            path: "/".to_string(),
            params: Vec::new(),
            body: None,
            response: Vec::new(),
            response_example: None,
            sample: None,
            errors: Vec::new(),
            rust_name: None,
            source: Default::default(),
        };
        let product = Product {
            product: "p".to_string(),
            version: "1".to_string(),
            style: Style::Rpc,
            title: None,
            endpoint: None,
            vpc_endpoint: None,
            endpoint_exceptions: Default::default(),
            common_params: Vec::new(),
            traits: Default::default(),
            operations: vec![op("A"), op("B")],
        };
        let doc = document(&product);
        assert_eq!(doc["paths"]["/"]["post"]["operationId"], "A");
        assert_eq!(doc["paths"]["/#B"]["post"]["operationId"], "B");
    }

    #[test]
    fn list_limits_are_max_items() {
        let list = Field {
            ty: Type::Array,
            items: Some(Box::new(Field { ty: Type::String, ..Field::default() })),
            max_items: Some(20),
            ..Field::default()
        };
        assert_eq!(schema(&list)["maxItems"], json!(20));
        assert_eq!(schema(&Field { max_items: None, ..list })["maxItems"], Value::Null);
    }

    #[test]
    fn examples_follow_types() {
        assert_eq!(example(Type::Integer, "12"), Some(json!(12)));
        assert_eq!(example(Type::Integer, "twelve"), None);
        assert_eq!(example(Type::Boolean, "true"), Some(json!(true)));
        assert_eq!(example(Type::Double, "NaN"), None);
    }
}
