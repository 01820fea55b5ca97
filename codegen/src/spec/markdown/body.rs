//! Request bodies from JSON examples.
//!
//! Many pages describe the body with an example instead of (or besides) a
//! table: a code block or an inline code span in the `RequestBody` prose, or
//! the JSON that follows the request line of the sample request. This module
//! finds those examples and infers a body from them: an object example gives
//! an object body whose members are its keys, an array example an array
//! body, anything else stays opaque. Types come from the JSON values; every
//! inferred member is optional, since an example shows what may be sent, not
//! what must be.

use serde_json::Value;

use crate::ir::{Body, BodyKind, Field, Param, Type};

use super::json;
use super::request;
use super::sections::Block;

/// Description of members known only from an example.
pub(crate) const NOTE: &str = "Inferred from the request example on the page.";

/// How deep inference goes; deeper values become `any`. Examples are
/// small; the bound only keeps hostile input from recursing without end.
const MAX_DEPTH: usize = 32;

/// How many brackets of a sample request are tried as the start of its body.
const MAX_ATTEMPTS: usize = 8;

/// A body section's example: its raw text and, when it parses, its JSON.
/// The first code block that starts like JSON, else the last inline code
/// span that parses as a JSON object or array (pages write a format
/// template first, `["name1", ...]`, which does not parse, then the real
/// example).
pub(crate) fn section_example(blocks: &[Block]) -> Option<(String, Option<Value>)> {
    let code = blocks.iter().find_map(|b| match b {
        Block::Code { text, .. } => {
            let t = text.trim_start();
            (t.starts_with('[') || t.starts_with('{')).then(|| (text.clone(), container(text)))
        }
        _ => None,
    });
    code.or_else(|| {
        blocks
            .iter()
            .flat_map(|b| match b {
                Block::Para { code, .. } => code.as_slice(),
                _ => &[],
            })
            .rev()
            .find_map(|span| container(span).map(|value| (span.clone(), Some(value))))
    })
}

/// Parses `text` (leniently) as a JSON object or array.
pub(crate) fn container(text: &str) -> Option<Value> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    crate::spec::sample::parse(t).filter(|v| v.is_object() || v.is_array())
}

/// The JSON body of the sample request: the first JSON object or array
/// after the path of the request line (on that line or below it) in a code
/// block of `blocks`.
pub(crate) fn sample_request_body(blocks: &[&Block]) -> Option<Value> {
    blocks.iter().find_map(|b| match b {
        Block::Code { text, .. } => after_request_line(text),
        _ => None,
    })
}

fn after_request_line(text: &str) -> Option<Value> {
    let lines: Vec<&str> = text.lines().collect();
    let idx = lines.iter().position(|l| request::parse_syntax(l).is_some())?;
    let line = lines.get(idx)?;
    // Skip the method and the path: a path holds `[Name]` placeholders and
    // query strings may hold brackets too; neither is the body.
    let path = line.trim().trim_matches('`').split_whitespace().nth(1)?;
    let end = line.find(path)? + path.len();
    let mut rest = line.get(end..)?.to_string();
    for l in lines.iter().skip(idx + 1) {
        rest.push('\n');
        rest.push_str(l);
    }
    // A body starts at a bracket that opens a line or follows a space
    // (`header {"a": 1}` on one line), never inside a word. Each attempt
    // parses the rest of the block, so attempts are few: a real sample has
    // its body at the first or second such bracket.
    let mut prev = ' ';
    let mut attempts = 0;
    for (i, c) in rest.char_indices() {
        if (c == '{' || c == '[') && prev.is_whitespace() {
            attempts += 1;
            if attempts > MAX_ATTEMPTS {
                break;
            }
            if let Some(v) = rest.get(i..).and_then(first_value) {
                return Some(v);
            }
        }
        prev = c;
    }
    None
}

/// The JSON object or array at the start of `text`: the whole rest when it
/// parses leniently, else the first complete value (text may follow it).
fn first_value(text: &str) -> Option<Value> {
    if let Some(v) = container(text) {
        return Some(v);
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match stream.next() {
        Some(Ok(v)) if v.is_object() || v.is_array() => Some(v),
        _ => None,
    }
}

/// A body inferred from an example `value`. `params` are the parameters the
/// page already places outside the body: when `from_sample_request` is set,
/// keys with their names (in any case) are dropped, since sample requests
/// often echo path or query values into their JSON. `None` when the example shows
/// no member (a sample request with only such keys, or a scalar).
pub(crate) fn infer(
    value: &Value,
    description: Option<String>,
    params: &[Param],
    from_sample_request: bool,
    line: u32,
) -> Option<Body> {
    match value {
        Value::Object(map) => {
            let keys: Vec<(&String, &Value)> = map
                .iter()
                .filter(|(k, _)| !(from_sample_request && params.iter().any(|p| p.name.eq_ignore_ascii_case(k))))
                .collect();
            if keys.is_empty() {
                return None;
            }
            if !keys.iter().all(|(k, _)| json::member_like(k)) {
                // A top-level map of settings (`{"i18n.locale": "en"}`):
                // the body has no fixed members, so the caller supplies it.
                return Some(opaque(description));
            }
            let fields = keys.into_iter().map(|(k, v)| json::field(k, &[v], line, 0, NOTE)).collect();
            Some(Body {
                encoding: Default::default(),
                kind: BodyKind::Object,
                required: false,
                description,
                fields,
                items: None,
            })
        }
        Value::Array(items) => {
            let items: Vec<&Value> = items.iter().collect();
            let item = json::field("", &items, line, 0, NOTE);
            // As for array bodies read from tables: the list is the whole
            // payload, so the operation has nothing to act on without it.
            Some(Body {
                kind: BodyKind::Array,
                encoding: Default::default(),
                required: true,
                description,
                fields: Vec::new(),
                items: Some(Box::new(item)),
            })
        }
        _ => None,
    }
}

/// An opaque body with `description`.
pub(crate) fn opaque(description: Option<String>) -> Body {
    Body {
        encoding: Default::default(),
        kind: BodyKind::Opaque,
        required: false,
        description,
        fields: Vec::new(),
        items: None,
    }
}

/// Checks a body read from a table against a JSON example of it and
/// settles what the table leaves open or gets plainly wrong. The table
/// stays the authority on which members exist: the example adds none at
/// the levels the table lists, since examples on real pages echo
/// parameters, misspell members (`dryrun` for `dryRun`) and show keys the
/// API does not take. What it does:
/// - a member the table types as `any`, an object with no documented
///   members, or an array with untyped elements gets its shape from the
///   example;
/// - a number or boolean member whose every example value is text that is
///   not one (`"vpc-bp1..."` for an `Integer`) becomes a string; each such
///   correction is returned as `(line, message)` for a warning.
pub(crate) fn confirm(body: &mut Body, value: &Value) -> Vec<(u32, String)> {
    let mut notes = Vec::new();
    match (body.kind, value) {
        (BodyKind::Object, Value::Object(o)) => confirm_members(&mut body.fields, &[o], 0, &mut notes),
        (BodyKind::Array, Value::Array(items)) => {
            if let Some(item) = body.items.as_deref_mut() {
                let items: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
                confirm_field(item, &items, 0, &mut notes);
            }
        }
        _ => {}
    }
    notes
}

fn confirm_members(
    fields: &mut [Field],
    objects: &[&serde_json::Map<String, Value>],
    depth: usize,
    notes: &mut Vec<(u32, String)>,
) {
    for f in fields {
        let vs: Vec<&Value> = objects.iter().filter_map(|o| o.get(&f.name)).filter(|v| !v.is_null()).collect();
        if !vs.is_empty() {
            confirm_field(f, &vs, depth, notes);
        }
    }
}

fn confirm_field(f: &mut Field, vs: &[&Value], depth: usize, notes: &mut Vec<(u32, String)>) {
    if depth > MAX_DEPTH || vs.is_empty() {
        return;
    }
    let text_only = |ok: &dyn Fn(&str) -> bool| vs.iter().all(|v| v.as_str().is_some_and(|s| !ok(s.trim())));
    match f.ty {
        Type::Integer | Type::Long | Type::Float | Type::Double if text_only(&|s| s.parse::<f64>().is_ok()) => {
            contradicted(f, vs, notes);
        }
        Type::Boolean if text_only(&|s| s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")) => {
            contradicted(f, vs, notes);
        }
        Type::Any => adopt_shape(f, vs, depth),
        Type::Object if f.fields.is_empty() => adopt_shape(f, vs, depth),
        Type::Object => {
            let objects: Vec<&serde_json::Map<String, Value>> = vs.iter().filter_map(|v| v.as_object()).collect();
            confirm_members(&mut f.fields, &objects, depth + 1, notes);
        }
        Type::Array => {
            let elements: Vec<&Value> =
                vs.iter().filter_map(|v| v.as_array()).flatten().filter(|v| !v.is_null()).collect();
            if elements.is_empty() {
                return;
            }
            let line = f.line;
            let item = f.items.get_or_insert_with(|| Box::new(Field { line, ..Field::default() }));
            confirm_field(item, &elements, depth + 1, notes);
        }
        _ => {}
    }
}

/// Makes `f` a string because the example shows text where the table
/// says number or boolean.
fn contradicted(f: &mut Field, vs: &[&Value], notes: &mut Vec<(u32, String)>) {
    let shown = vs.first().and_then(|v| v.as_str()).unwrap_or("");
    notes.push((
        f.line,
        format!(
            "body member {} is typed {} but the example shows \"{shown}\"; read as a string",
            if f.name.is_empty() { "(element)" } else { f.name.as_str() },
            f.ty.as_str(),
        ),
    ));
    f.ty = Type::String;
}

/// Gives an untyped (or member-less) field the shape the example shows,
/// keeping what the table says about the field itself.
fn adopt_shape(f: &mut Field, vs: &[&Value], depth: usize) {
    let inferred = json::field(&f.name, vs, f.line, depth + 1, NOTE);
    if inferred.ty == Type::Any || (f.ty == Type::Object && inferred.ty != Type::Object && inferred.ty != Type::Map) {
        // Nothing learnt, or the example contradicts the table's `object`:
        // keep the table's word.
        return;
    }
    f.ty = inferred.ty;
    f.fields = inferred.fields;
    f.items = inferred.items;
    f.values = inferred.values;
    if f.example.is_none() {
        f.example = inferred.example;
    }
}
