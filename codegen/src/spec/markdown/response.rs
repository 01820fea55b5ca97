//! The response: the sample response found under the examples, and the
//! response tree built from the response tables, nested with the help of
//! the sample.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::ir::{Field, Type};

use super::json::{self, JsonShape};
use super::lower::{self, Columns};
use super::sections::{Block, Section};
use super::words::Role;

/// The JSON of a sample block: the block itself, or what follows an HTTP
/// status line and headers (`HTTP/1.1 200 OK`, `Content-Type:...`, blank).
pub(crate) fn json_part(text: &str) -> Option<&str> {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return Some(text.trim());
    }
    if !t.starts_with("HTTP/") {
        return None;
    }
    let at = t.find(['{', '['])?;
    let head = t.get(..at)?;
    // Only a status line and `Name: value` header lines may come first.
    let preamble_only = head.lines().skip(1).all(|l| l.trim().is_empty() || l.contains(':'));
    preamble_only.then(|| t.get(at..).map(str::trim)).flatten()
}

/// The XML of a sample block: the block itself, or what follows an HTTP
/// status line and headers.
pub(crate) fn xml_part(text: &str) -> Option<&str> {
    let t = text.trim_start();
    if t.starts_with('<') {
        return Some(text.trim());
    }
    if !t.starts_with("HTTP/") {
        return None;
    }
    let at = t.find('<')?;
    let head = t.get(..at)?;
    let preamble_only = head.lines().skip(1).all(|l| l.trim().is_empty() || l.contains(':'));
    preamble_only.then(|| t.get(at..).map(str::trim)).flatten()
}

/// A typed JSON skeleton under a response heading (`Response syntax`,
/// `返回参数`): the first code block there whose JSON reads as one.
pub(crate) fn response_skeleton(sections: &[Section]) -> Option<serde_json::Value> {
    sections.iter().filter(|s| s.role == Role::Response).flat_map(|s| s.blocks.iter()).find_map(|b| match b {
        Block::Code { text, .. } => json_part(text).and_then(crate::spec::sample::skeleton),
        _ => None,
    })
}

/// An XML document has one root element, the response envelope
/// (`<DescribeThingsResponse>`): the response's members are its children.
pub(crate) fn xml_envelope_removed(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) if map.len() == 1 => match map.into_iter().next() {
            Some((_, inner @ serde_json::Value::Object(_))) => inner,
            Some((k, other)) => serde_json::Value::Object(std::iter::once((k, other)).collect()),
            None => serde_json::Value::Object(serde_json::Map::new()),
        },
        other => other,
    }
}

/// Whether a label speaks of the response (`Sample success responses`,
/// `正常返回示例`) or of the request (`请求示例`).
fn label(text: &str) -> Option<bool> {
    let l = text.to_ascii_lowercase();
    if l.contains("response") || l.contains("返回") || l.contains("响应") {
        Some(true)
    } else if l.contains("request") || l.contains("请求") {
        Some(false)
    } else {
        None
    }
}

/// The sample success response: the first JSON code block after a line
/// that speaks of a response, else the last JSON code block.
pub(crate) fn response_example(blocks: &[&Block]) -> Option<String> {
    let mut after_label = false;
    let mut last = None;
    for b in blocks {
        match b {
            Block::Para { text, .. } | Block::Heading { text, .. } => {
                if let Some(is_response) = label(text) {
                    after_label = is_response;
                }
            }
            Block::Code { text, .. } => {
                if let Some(json) = json_part(text) {
                    if after_label {
                        return Some(json.to_string());
                    }
                    last = Some(json.to_string());
                }
            }
            Block::Table { .. } => {}
        }
    }
    last
}

/// Builds the response tree from the response tables (the first gives the
/// top level; later ones are placed where their prose or the sample says)
/// and adds what the sample shows beyond the tables.
pub(crate) fn response_fields(
    path: &Path,
    sections: &[Section],
    sample: Option<&serde_json::Value>,
    xml: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Field> {
    let rows = table_rows(sections);
    let named: BTreeSet<String> = rows.iter().map(|r| r.name.to_ascii_lowercase()).collect();
    let containers: Vec<&str> = rows
        .iter()
        .filter(|r| r.ty.ty == Type::Array || r.ty.opens_level() || r.type_text.trim().is_empty())
        .map(|r| r.name.as_str())
        .collect();
    let renamed = sample.map(|v| renamed_keys(v, &named, &containers, 0));
    let sample = renamed.as_ref();
    let mut shape0 = sample.map(JsonShape::from_value);
    let mut response: Vec<Field> = Vec::new();
    let mut anchor: Option<String> = None;
    let mut shape: Option<JsonShape> = None;
    let mut first = true;
    for s in sections.iter().filter(|s| s.role == Role::Response) {
        for t in lower::tables_with_prose(&s.blocks) {
            let (rows, prose) = (t.rows, t.prose);
            let cols = Columns::of(t.header);
            if !cols.is_fields() {
                continue;
            }
            let (frs, pairs) = lower::unwrap_wrappers(&lower::field_rows(&cols, rows), shape0.as_ref());
            if frs.is_empty() {
                continue;
            }
            for (wrapper, element) in &pairs {
                shape0 = shape0.map(|s| s.with_level(wrapper, element));
                shape = shape.map(|s| s.with_level(wrapper, element));
            }
            lower::type_warnings(path, &frs, "response field", diags);
            if first {
                first = false;
                anchor = shape0.as_ref().and_then(|s| lower::sample_anchor(&frs, s));
                shape = match (&shape0, &anchor) {
                    (Some(s), Some(c)) => Some(s.rerooted(c)),
                    (Some(s), None) => Some(s.clone()),
                    _ => None,
                };
                response = lower::nest(&frs, shape.as_ref());
                continue;
            }
            // A later table: under the path its prose names (`Result.x`),
            // else where the sample shows most of its names, else the root.
            let mut candidates = Vec::new();
            lower::container_paths(&response, &mut Vec::new(), &mut candidates, 0);
            let named = dotted_paths(&prose).into_iter().find(|p| candidates.iter().any(|c| c == p));
            let top: Vec<&str> = frs.iter().filter(|r| r.depth == 0).map(|r| r.name.as_str()).collect();
            let target = named.or_else(|| {
                let shape = shape.as_ref()?;
                let mut best: Option<(usize, &Vec<String>)> = None;
                for c in &candidates {
                    let score = shape.score(c, &top);
                    if score > 0 && best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, c));
                    }
                }
                best.map(|(_, c)| c.clone())
            });
            let target = target.unwrap_or_default();
            let sub = shape.as_ref().map(|s| s.below(&target));
            let fields = lower::nest(&frs, sub.as_ref());
            if let Some(map) = lower::field_at(&mut response, &target).filter(|f| f.ty == Type::Map) {
                // The table lists keys of a map: keep the map, document them.
                let keys: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let note = format!("Documented keys: {}.", keys.join(", "));
                map.description = Some(match map.description.take() {
                    Some(d) => format!("{d}\n{note}"),
                    None => note,
                });
                continue;
            }
            if let Some(members) = lower::members_at(&mut response, &target) {
                for f in fields {
                    if !members.iter().any(|m| m.name == f.name) {
                        members.push(f);
                    }
                }
            }
        }
    }
    if let Some(value) = sample {
        match &anchor {
            None => {
                json::rewrap(&mut response, &[value], xml, 0);
                json::supplement(&mut response, &[value], 0);
            }
            Some(c) => {
                if let Some(members) = lower::members_at(&mut response, &[c.to_ascii_lowercase()]) {
                    json::rewrap(members, &[value], xml, 0);
                    json::supplement(members, &[value], 0);
                }
            }
        }
    }
    dotted_members(&mut response, 0);
    response
}

/// Groups fields written with a dotted name (`Disk.Size`, `Disk.Category`,
/// as some pages and their samples write the members of a nested object)
/// into the object they name (`Disk` with members `Size`, `Category`), at
/// every level. A dotted name with an empty or non-identifier part is left
/// as it is.
fn dotted_members(fields: &mut Vec<Field>, depth: usize) {
    if depth > 32 {
        return;
    }
    let split = |name: &str| -> Option<(String, String)> {
        let (head, rest) = name.split_once('.')?;
        let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        (ident(head) && rest.split('.').all(ident)).then(|| (head.to_string(), rest.to_string()))
    };
    if fields.iter().any(|f| split(&f.name).is_some()) {
        let mut out: Vec<Field> = Vec::with_capacity(fields.len());
        for mut f in std::mem::take(fields) {
            let Some((head, rest)) = split(&f.name) else {
                out.push(f);
                continue;
            };
            f.name = rest;
            let line = f.line;
            let at = match out.iter().position(|o| o.name == head && matches!(o.ty, Type::Object | Type::Any)) {
                Some(i) => i,
                None => {
                    out.push(Field { name: head, ty: Type::Object, line, ..Field::default() });
                    out.len() - 1
                }
            };
            if let Some(owner) = out.get_mut(at) {
                owner.ty = Type::Object;
                owner.fields.push(f);
            }
        }
        *fields = out;
    }
    for f in fields.iter_mut() {
        dotted_members(&mut f.fields, depth + 1);
        for inner in [f.items.as_deref_mut(), f.values.as_deref_mut()].into_iter().flatten() {
            dotted_members(&mut inner.fields, depth + 1);
        }
    }
}

/// Whether sample `a` shows more of the names of the response tables' typed
/// rows than sample `b` does (rows with no type cell only name an element,
/// which one notation shows and the other need not).
pub(crate) fn shows_more_names(sections: &[Section], a: &serde_json::Value, b: &serde_json::Value) -> bool {
    let names: Vec<String> =
        table_rows(sections).into_iter().filter(|r| !r.type_text.trim().is_empty()).map(|r| r.name).collect();
    let shown = |v: &serde_json::Value| {
        let mut keys = std::collections::BTreeSet::new();
        keys_of(v, &mut keys, 0);
        names.iter().filter(|n| keys.contains(&n.to_ascii_lowercase())).count()
    };
    shown(a) > shown(b)
}

/// The rows of the response tables.
fn table_rows(sections: &[Section]) -> Vec<lower::FieldRow> {
    let mut out = Vec::new();
    for s in sections.iter().filter(|s| s.role == Role::Response) {
        for t in lower::tables_with_prose(&s.blocks) {
            let cols = Columns::of(t.header);
            if cols.is_fields() {
                out.extend(lower::field_rows(&cols, t.rows));
            }
        }
    }
    out
}

/// The sample with a key that holds an object or a list, that no row
/// names (`named`) and that ends in exactly one of `containers` (the
/// tables' list, object and untyped rows) its
/// object lacks (`OldWidgets` where the table lists `Widgets`), renamed to
/// that name: the sample was written under a longer name, and it still
/// shows where the members go.
fn renamed_keys(
    v: &serde_json::Value,
    named: &BTreeSet<String>,
    containers: &[&str],
    depth: usize,
) -> serde_json::Value {
    use serde_json::Value;
    if depth > 64 {
        return v.clone();
    }
    match v {
        Value::Object(map) => {
            let lower: Vec<String> = containers.iter().map(|n| n.to_ascii_lowercase()).collect();
            let holds = |n: &str| map.keys().any(|k| k.eq_ignore_ascii_case(n));
            let out = map
                .iter()
                .map(|(k, child)| {
                    let key = k.to_ascii_lowercase();
                    let mut ends: Vec<&str> = Vec::new();
                    if (child.is_object() || child.is_array()) && !named.contains(&key) {
                        for (n, l) in containers.iter().zip(&lower) {
                            if key.len() > l.len()
                                && key.ends_with(l.as_str())
                                && !holds(n)
                                && !ends.iter().any(|e| e.eq_ignore_ascii_case(n))
                            {
                                ends.push(n);
                            }
                        }
                    }
                    let name = match ends.as_slice() {
                        [only] => (*only).to_string(),
                        _ => k.clone(),
                    };
                    (name, renamed_keys(child, named, containers, depth + 1))
                })
                .collect();
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|i| renamed_keys(i, named, containers, depth + 1)).collect())
        }
        other => other.clone(),
    }
}

/// Every object key of a JSON value, lower case.
fn keys_of(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                out.insert(k.to_ascii_lowercase());
                keys_of(child, out, depth + 1);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| keys_of(i, out, depth + 1)),
        _ => {}
    }
}

/// Dotted names in prose (`Result.contentCollection`), as lower-case paths.
fn dotted_paths(prose: &str) -> Vec<Vec<String>> {
    prose
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_' || c == '-'))
        .filter(|w| w.contains('.'))
        .map(|w| w.trim_matches('.').split('.').map(|p| p.to_ascii_lowercase()).collect::<Vec<_>>())
        .filter(|p| p.len() > 1 && p.iter().all(|s| !s.is_empty()))
        .collect()
}
