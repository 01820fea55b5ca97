//! Cross-item rules over a whole product, run after the front ends and
//! before emitting. All problems are reported at once.
//!
//! Where a problem has one safe repair the check applies it and reports a
//! warning (the operation is *degraded*), so one sloppy row never costs the
//! whole client; problems with no safe repair are errors.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::ir::{self, BodyEncoding, BodyKind, Field, Location, Operation, Param, Product, Source, Type};

/// Checks and repairs a product in place; returns every diagnostic.
pub fn check(product: &mut Product) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut seen = BTreeSet::new();
    for op in &product.operations {
        if !seen.insert(op.name.clone()) {
            diags.push(Diagnostic::error(op.source.clone(), format!("operation {} is defined twice", op.name)));
        }
    }
    for op in &mut product.operations {
        check_operation(op, &mut diags);
    }
    diags
}

fn at(op: &Operation, line: u32) -> Source {
    at_source(&op.source, line)
}

fn at_source(source: &Source, line: u32) -> Source {
    Source::new(&source.file, if line == 0 { source.line } else { line })
}

fn check_operation(op: &mut Operation, diags: &mut Vec<Diagnostic>) {
    if op.name.is_empty() || !op.name.chars().any(char::is_alphanumeric) {
        diags.push(Diagnostic::error(op.source.clone(), "operation has no usable name"));
    }
    if !op.path.starts_with('/') {
        diags.push(Diagnostic::error(op.source.clone(), format!("path {:?} does not start with '/'", op.path)));
    }
    if ir::method(&op.method) != Some(op.method.as_str()) {
        diags.push(Diagnostic::error(op.source.clone(), format!("unsupported HTTP method {:?}", op.method)));
    }

    // A parameter listed twice keeps its first row.
    let mut names = BTreeSet::new();
    let mut kept = Vec::with_capacity(op.params.len());
    for p in std::mem::take(&mut op.params) {
        if names.insert(p.name.clone()) {
            kept.push(p);
        } else {
            diags.push(Diagnostic::warning(
                at(op, p.line),
                format!("parameter {} listed twice; keeping the first", p.name),
            ));
        }
    }
    op.params = kept;

    // Every placeholder needs a path parameter and every path parameter a
    // placeholder; the path is the authority on what travels in it.
    let placeholders: Vec<String> = ir::path_placeholders(&op.path).into_iter().map(str::to_string).collect();
    let source = op.source.clone();
    for name in &placeholders {
        match op.params.iter_mut().find(|p| &p.name == name) {
            Some(p) if p.location != Location::Path => {
                diags.push(Diagnostic::warning(
                    at_source(&source, p.line),
                    format!("parameter {name} appears in the path but is listed in {:?}; using path", p.location),
                ));
                p.location = Location::Path;
                p.required = true;
            }
            Some(p) => p.required = true,
            None => {
                diags.push(Diagnostic::warning(
                    op.source.clone(),
                    format!("path placeholder [{name}] has no parameter row; assuming a required string"),
                ));
                op.params.push(Param::assumed_path(name.clone(), 0));
            }
        }
    }
    for p in &mut op.params {
        if p.location == Location::Path && !placeholders.contains(&p.name) {
            diags.push(Diagnostic::warning(
                at_source(&source, p.line),
                format!("path parameter {} has no placeholder in {}; sending it in the query", p.name, op.path),
            ));
            p.location = Location::Query;
        }
    }

    for p in &mut op.params {
        stray_limit(&p.name, p.ty, &mut p.max_items, at_source(&source, p.line), diags);
        let members = p.fields.iter_mut().chain(p.items.as_deref_mut());
        members.for_each(|f| stray_limits(f, &source, diags));
    }

    let mut codes = BTreeSet::new();
    let mut kept = Vec::with_capacity(op.errors.len());
    for e in std::mem::take(&mut op.errors) {
        if e.code.trim().is_empty() {
            diags.push(Diagnostic::warning(at(op, e.line), "error row without a code; dropped"));
        } else if codes.insert(e.code.clone()) {
            kept.push(e);
        }
    }
    op.errors = kept;

    let op_source = op.source.clone();
    for f in &mut op.response {
        check_field(f, &op_source, diags);
    }
    if let Some(sample) = &mut op.sample {
        if let Some(object) = sample.value.as_object() {
            let mut fits = true;
            reconcile(&mut op.response, object, &op_source, "", diags, &mut fits);
            if !fits {
                diags.push(Diagnostic::warning(
                    op_source.clone(),
                    "the sample response does not show the structure the page describes; it is not replayed as a test",
                ));
                sample.fits = false;
            }
        }
        mark_one_or_list(&mut op.response, &[&sample.value]);
    }
    if let Some(body) = &mut op.body {
        if body.encoding == BodyEncoding::Form && body.kind != BodyKind::Object {
            // A form is a list of named pairs: only an object's members
            // have names to send.
            diags.push(Diagnostic::error(
                op_source.clone(),
                "a form-encoded body is an object of members, not an array or opaque JSON; set `kind: object`",
            ));
        }
        for f in &mut body.fields {
            check_field(f, &op_source, diags);
        }
        if let Some(items) = &mut body.items {
            check_field(items, &op_source, diags);
        }
    }
}

/// Structural consistency of a field tree: containers have what they
/// contain, and sibling wire names are unique.
fn check_field(f: &mut Field, source: &Source, diags: &mut Vec<Diagnostic>) {
    match f.ty {
        Type::Array if f.items.is_none() => {
            diags.push(Diagnostic::warning(
                at_source(source, f.line),
                format!("array {} has no item type; using any", f.name),
            ));
            f.items = Some(Box::new(Field { ty: Type::Any, ..Field::default() }));
        }
        Type::Map if f.values.is_none() => {
            f.values = Some(Box::new(Field { ty: Type::Any, ..Field::default() }));
        }
        Type::Object if f.fields.is_empty() => {
            // An object the page never describes is still valid JSON.
            f.ty = Type::Any;
        }
        _ => {}
    }
    let mut names = BTreeSet::new();
    let mut kept = Vec::with_capacity(f.fields.len());
    for child in std::mem::take(&mut f.fields) {
        if names.insert(child.name.clone()) {
            kept.push(child);
        } else {
            diags.push(Diagnostic::warning(
                Source::new(&source.file, child.line),
                format!("field {} listed twice under {}; keeping the first", child.name, f.name),
            ));
        }
    }
    f.fields = kept;
    for child in &mut f.fields {
        check_field(child, source, diags);
    }
    if let Some(items) = &mut f.items {
        check_field(items, source, diags);
    }
    if let Some(values) = &mut f.values {
        check_field(values, source, diags);
    }
}

/// A `max_items` on a value that is not a list (a spec written by hand)
/// limits nothing: it is dropped with a warning.
fn stray_limit(name: &str, ty: Type, max_items: &mut Option<u32>, at: Source, diags: &mut Vec<Diagnostic>) {
    if ty != Type::Array && max_items.take().is_some() {
        diags.push(Diagnostic::warning(at, format!("{name} is not a list; its `max_items` is ignored")));
    }
}

/// [`stray_limit`] on a parameter's members, at any depth.
fn stray_limits(f: &mut Field, source: &Source, diags: &mut Vec<Diagnostic>) {
    stray_limit(&f.name, f.ty, &mut f.max_items, at_source(source, f.line), diags);
    let children = f.fields.iter_mut().chain(f.items.as_deref_mut()).chain(f.values.as_deref_mut());
    children.for_each(|child| stray_limits(child, source, diags));
}

/// The sample response is what the service really sent once; where it
/// contradicts a row's type in a way no reading of the type allows, the
/// sample wins and the operation is degraded. Contradictions a lenient
/// reader absorbs (a number as a string, one object where an array is
/// documented) are left to the emitter, which keeps the documented type.
fn reconcile(
    fields: &mut Vec<Field>,
    sample: &serde_json::Map<String, serde_json::Value>,
    source: &Source,
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
    fits: &mut bool,
) {
    use serde_json::Value;
    add_sample_members(fields, sample, source, prefix, diags, fits);
    for f in fields {
        let Some(value) = sample.get(&f.name) else { continue };
        let path = format!("{prefix}{}", f.name);
        let mut warn = |f: &Field, what: &str| {
            diags.push(Diagnostic::warning(
                at_source(source, f.line),
                format!("response field {path}: the sample response shows {what}; typed as the sample shows"),
            ));
        };
        match (f.ty, value) {
            (_, Value::Null) => {}
            (Type::String | Type::Boolean, Value::Array(_) | Value::Object(_))
            | (Type::Integer | Type::Long | Type::Float | Type::Double, Value::Array(_) | Value::Object(_)) => {
                warn(f, "structured JSON where the page says a scalar");
                f.ty = Type::Any;
            }
            (Type::Integer | Type::Long, Value::Number(n)) if n.is_f64() => {
                warn(f, "a fractional number where the page says an integer");
                f.ty = Type::Double;
            }
            (Type::Integer | Type::Long, Value::String(text))
                if text.trim().parse::<i64>().is_err() && text.trim().parse::<f64>().is_ok() =>
            {
                warn(f, "a fractional number where the page says an integer");
                f.ty = Type::Double;
            }
            (Type::Integer | Type::Long | Type::Float | Type::Double, Value::String(text))
                if !text.trim().is_empty() && text.trim().parse::<f64>().is_err() =>
            {
                warn(f, "text where the page says a number");
                f.ty = Type::String;
            }
            (Type::Array, Value::Object(inner)) if wrapper_key(f, inner).is_some() => {
                // An RPC page that leaves out the wrapper row: the list
                // travels inside an object with one member (`InstanceIdSets`
                // holding `InstanceIdSet`).
                let Some((key, _)) = wrapper_key(f, inner) else { continue };
                warn(f, &format!("the list wrapped in an object with one member {key}"));
                let list = Field {
                    name: key.to_string(),
                    ty: Type::Array,
                    items: f.items.take(),
                    one_or_list: std::mem::take(&mut f.one_or_list),
                    line: f.line,
                    ..Field::default()
                };
                f.ty = Type::Object;
                f.fields = vec![list];
                reconcile(&mut f.fields, inner, source, &format!("{path}."), diags, fits);
            }
            (Type::Object, Value::Array(_)) if f.wrapped_list().is_some() => {
                // The page shows the wrapper of a list (`Demands` holding
                // `Demand`), the sample the list alone: the sample skipped
                // a level the service sends.
                *fits = false;
            }
            (Type::Object, Value::Array(items)) if items.iter().all(|i| i.is_object() || i.is_null()) => {
                warn(f, "an array of objects where the page says one object");
                let fields = std::mem::take(&mut f.fields);
                f.ty = Type::Array;
                f.items = Some(Box::new(Field { ty: Type::Object, fields, ..Field::default() }));
                if let Some(item) = &mut f.items {
                    for element in items.iter().filter_map(serde_json::Value::as_object) {
                        reconcile(&mut item.fields, element, source, &format!("{path}[]."), diags, fits);
                    }
                }
            }
            (Type::Object, Value::Object(inner)) => {
                reconcile(&mut f.fields, inner, source, &format!("{path}."), diags, fits)
            }
            (Type::Array, Value::Array(items))
                if f.items.as_ref().is_some_and(|i| i.ty == Type::Object)
                    && items.iter().any(|i| !i.is_null())
                    && items.iter().all(|i| !i.is_object() && !i.is_array()) =>
            {
                warn(f, "a list of plain values where the page says a list of objects");
                let ty = if items.iter().all(|i| i.is_string() || i.is_null()) { Type::String } else { Type::Any };
                f.items = Some(Box::new(Field { ty, line: f.line, ..Field::default() }));
            }
            (Type::Array, Value::Array(items)) => {
                if let Some(item) = &mut f.items {
                    for element in items.iter().filter_map(serde_json::Value::as_object) {
                        reconcile(&mut item.fields, element, source, &format!("{path}[]."), diags, fits);
                    }
                }
            }
            (Type::Array, Value::Object(inner)) => {
                // One object where an array is documented: the emitter
                // accepts both; the members still need checking.
                if let Some(item) = &mut f.items {
                    reconcile(&mut item.fields, inner, source, &format!("{path}[]."), diags, fits);
                }
            }
            (Type::Map, Value::Object(entries)) => {
                let scalar_values = entries.values().any(|v| !v.is_object() && !v.is_null());
                if scalar_values && f.values.as_ref().is_some_and(|v| v.ty == Type::Object) {
                    warn(f, "plain values where the page describes each value as an object");
                    f.values = Some(Box::new(Field { ty: Type::Any, ..Field::default() }));
                } else if let Some(values) = &mut f.values {
                    if values.ty == Type::Object {
                        for element in entries.values().filter_map(serde_json::Value::as_object) {
                            reconcile(&mut values.fields, element, source, &format!("{path}{{}}."), diags, fits);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether the documented object `fields` and a sample of it have a member
/// in common (or the page lists no member, so the sample is all there is):
/// the sign that the sample shows this object and not another one.
fn shares_members(fields: &[Field], sample: &serde_json::Map<String, serde_json::Value>) -> bool {
    fields.is_empty() || sample.is_empty() || fields.iter().any(|f| sample.contains_key(&f.name))
}

/// Members a sample shows that the page's table leaves out are what the
/// service sends too: they are added, typed as the sample shows (by the one
/// JSON inference of the reader), where the sample shows this object.
fn add_sample_members(
    fields: &mut Vec<Field>,
    sample: &serde_json::Map<String, serde_json::Value>,
    source: &Source,
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
    fits: &mut bool,
) {
    let member_like = crate::spec::markdown::json::member_like;
    if !shares_members(fields, sample) || !sample.keys().all(|k| member_like(k)) {
        // Another object than the one described, or names no member has:
        // nothing to learn here, and not a shape to replay.
        *fits = false;
        return;
    }
    let line = fields.first().map_or(0, |f| f.line);
    for (key, value) in sample {
        if fields.iter().any(|f| &f.name == key) {
            continue;
        }
        diags.push(Diagnostic::warning(
            at_source(source, line),
            format!("response field {prefix}{key} is in the sample response but not in the page's table; added, typed as the sample shows"),
        ));
        fields.push(crate::spec::markdown::json::field(key, &[value], line, 0, SAMPLE_NOTE));
    }
}

/// The description of members known only from the sample response.
const SAMPLE_NOTE: &str = "Shown in the sample response; not described on the page.";

/// The one member of `sample` that wraps the documented array `f`: a
/// sample object whose only member is an array that is not one of the
/// documented element's own members.
fn wrapper_key<'s>(
    f: &Field,
    sample: &'s serde_json::Map<String, serde_json::Value>,
) -> Option<(&'s str, &'s Vec<serde_json::Value>)> {
    let mut members = sample.iter();
    let (key, value) = members.next()?;
    if members.next().is_some() {
        return None;
    }
    let items = value.as_array()?;
    let element_member = f.items.as_ref().is_some_and(|i| i.fields.iter().any(|m| &m.name == key));
    (!element_member).then_some((key.as_str(), items))
}

/// Marks the arrays that `samples` (every instance of the object that
/// holds `fields`) show as something other than an array: the decoder must
/// accept one element, or JSON text, where the page documents a list.
fn mark_one_or_list(fields: &mut [Field], samples: &[&serde_json::Value]) {
    for f in fields {
        let values: Vec<&serde_json::Value> =
            samples.iter().filter_map(|s| s.get(&f.name)).filter(|v| !v.is_null()).collect();
        if f.ty == Type::Array && values.iter().any(|v| !v.is_array()) {
            f.one_or_list = true;
        }
        mark_nested(f, &values);
    }
}

/// [`mark_one_or_list`] below one value: an array's elements (an instance
/// shown as a lone element counts as one), a map's values, an object's members.
fn mark_nested(f: &mut Field, values: &[&serde_json::Value]) {
    match f.ty {
        Type::Array => {
            let elements: Vec<&serde_json::Value> = values
                .iter()
                .flat_map(|v| match v.as_array() {
                    Some(items) => items.iter().collect::<Vec<_>>(),
                    None => vec![*v],
                })
                .filter(|v| !v.is_null())
                .collect();
            if let Some(items) = &mut f.items {
                mark_nested(items, &elements);
            }
        }
        Type::Map => {
            let entries: Vec<&serde_json::Value> =
                values.iter().filter_map(|v| v.as_object()).flat_map(|m| m.values()).filter(|v| !v.is_null()).collect();
            if let Some(inner) = &mut f.values {
                mark_nested(inner, &entries);
            }
        }
        _ => mark_one_or_list(&mut f.fields, values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(response: &str, sample: serde_json::Value) -> (Operation, Vec<Diagnostic>) {
        let text = format!("name: X\nmethod: POST\npath: /\nresponse:\n{response}");
        let mut op = crate::spec::yaml::read_operation(std::path::Path::new("x.yaml"), &text).operation.expect("yaml");
        op.sample = Some(ir::Sample::new(sample, true));
        let mut diags = Vec::new();
        check_operation(&mut op, &mut diags);
        (op, diags)
    }

    /// An RPC page that leaves out the wrapper row of a list.
    #[test]
    fn a_wrapper_the_page_leaves_out_comes_from_the_sample() {
        let (op, diags) = checked(
            "- {name: InstanceIdSets, type: array, items: {type: string}}\n",
            serde_json::json!({"InstanceIdSets": {"InstanceIdSet": ["i-1"]}}),
        );
        let f = &op.response[0];
        assert_eq!(f.ty, Type::Object);
        assert_eq!(f.fields[0].name, "InstanceIdSet");
        assert_eq!(f.fields[0].ty, Type::Array);
        assert!(diags.iter().any(|d| d.message.contains("wrapped")), "{diags:?}");
        // One object that is an element is still an element, not a wrapper.
        let (op, _) = checked(
            "- {name: Tags, type: array, items: {type: object, fields: [{name: Key, type: string}]}}\n",
            serde_json::json!({"Tags": {"Key": "k"}}),
        );
        assert_eq!(op.response[0].ty, Type::Array);
    }

    #[test]
    fn a_limit_on_a_value_that_is_not_a_list_is_dropped() {
        let text = "name: X\nmethod: POST\npath: /\nparams:\n- {name: Id, in: query, type: string, max_items: 3}\n- name: Nic\n  in: query\n  type: object\n  fields:\n  - {name: Ids, type: array, items: {type: string}, max_items: 5}\n  - {name: Mode, type: string, max_items: 2}\nresponse: []\n";
        let mut op = crate::spec::yaml::read_operation(std::path::Path::new("x.yaml"), text).operation.expect("yaml");
        let mut diags = Vec::new();
        check_operation(&mut op, &mut diags);
        assert_eq!(op.params[0].max_items, None);
        let limits: Vec<Option<u32>> = op.params[1].fields.iter().map(|f| f.max_items).collect();
        assert_eq!(limits, [Some(5), None]);
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["Id is not a list; its `max_items` is ignored", "Mode is not a list; its `max_items` is ignored"]
        );
    }

    #[test]
    fn plain_values_and_text_where_the_page_says_otherwise() {
        let (op, _) = checked(
            "- {name: Ids, type: array, items: {type: object, fields: [{name: X, type: string}]}}\n- {name: RuleId, type: long}\n- {name: Size, type: long}\n",
            serde_json::json!({"Ids": ["a", "b"], "RuleId": "ONE_YEAR", "Size": "12"}),
        );
        assert_eq!(op.response[0].items.as_ref().map(|i| i.ty), Some(Type::String));
        assert_eq!(op.response[1].ty, Type::String);
        // A number written as text is read leniently: the type stays.
        assert_eq!(op.response[2].ty, Type::Long);
    }

    #[test]
    fn members_only_the_sample_shows_are_added_where_it_fits() {
        let response = "- {name: RequestId, type: string}\n- name: Result\n  type: array\n  items:\n    type: object\n    fields:\n    - {name: id, type: string}\n";
        let sample = serde_json::json!({"RequestId": "r", "Result": [{"id": "a", "tags": ["x"], "size": 2}]});
        let (op, diags) = checked(response, sample);
        let members = &op.response[1].items.as_ref().expect("items").fields;
        let names: Vec<(&str, Type)> = members.iter().map(|f| (f.name.as_str(), f.ty)).collect();
        assert_eq!(names, [("id", Type::String), ("size", Type::Long), ("tags", Type::Array)]);
        assert!(diags.iter().any(|d| d.message.contains("Result[].tags")), "{diags:?}");
        assert!(op.sample.as_ref().is_some_and(ir::Sample::replayable));
    }

    #[test]
    fn a_sample_of_another_structure_is_not_replayed() {
        // The sample skips the wrapper the page documents.
        let wrapper = "- name: Items\n  type: object\n  fields:\n  - name: Item\n    type: array\n    items: {type: object, fields: [{name: Id, type: string}]}\n";
        let (op, diags) = checked(wrapper, serde_json::json!({"Items": [{"Id": "a"}]}));
        assert_eq!(op.response[0].ty, Type::Object, "the documented wrapper stays");
        assert!(!op.sample.as_ref().is_some_and(ir::Sample::replayable));
        assert!(diags.iter().any(|d| d.message.contains("not replayed")), "{diags:?}");
        // The value of one member shown alone: nothing in common.
        let result =
            "- {name: RequestId, type: string}\n- {name: Result, type: object, fields: [{name: name, type: string}]}\n";
        let (op, _) = checked(result, serde_json::json!({"name": "n", "status": "ok"}));
        assert_eq!(op.response.len(), 2, "nothing added from another object");
        assert!(!op.sample.as_ref().is_some_and(ir::Sample::replayable));
        // Member names with spaces are a broken sample.
        let (op, _) = checked("- {name: Id, type: string}\n", serde_json::json!({"Id": "a", " Id ": "b"}));
        assert_eq!(op.response.len(), 1);
        assert!(!op.sample.as_ref().is_some_and(ir::Sample::replayable));
    }
}
