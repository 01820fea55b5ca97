//! Overrides: small, named patches applied to the IR after a product's pages
//! are read, for the facts a page gets wrong (a type, a position, the body's
//! shape, the nesting of a response) without editing the page itself.
//!
//! # Format
//!
//! `specs/<product>/overrides.yaml` is a mapping from operation (wire name)
//! to a mapping from *target* to *change*. Patches apply in file order.
//!
//! ```yaml
//! ListInstance:
//!   response.Result.Instances: {type: array}        # change a type
//!   params.RegionId: {in: query}                    # fix a position
//!   params.Body: {move_to: body}                    # a "parameter" that is a body member
//!   body: {kind: array}                             # set the body kind (creates the body if absent)
//!   body: {encoding: form}                          # send the body form-encoded, not as JSON
//!   response.Tags: {move_to: response.Result}       # move a field under a parent
//!   response.Result.Type: {rust_name: kind}         # rename the Rust identifier
//!   response.Result.Bogus: {drop: true}             # drop a bogus row
//!   errors.InstanceNotFound: {status: 404}          # fix an error's HTTP status
//!   operation: {method: POST}                       # the operation itself
//! ```
//!
//! Targets:
//! - `operation`: keys `method`, `path`, `rust_name`, `idempotent` (whether
//!   a call is safe to repeat, where the naming rule of `traits.rs` is wrong).
//! - `params.<Name>`: keys `type`, `in` (`path|query|header`), `required`,
//!   `description`, `example`, `items`, `max_items` (lists only: the most
//!   items a request may send), `rust_name`, `move_to` (`body` or
//!   `body.<Field>...`: the parameter becomes a body member), `drop`.
//! - `body`: keys `kind` (`object|array|opaque`), `encoding`
//!   (`json|form`: pages do not say which a service expects), `required`,
//!   `description`, `items`, `drop`. Changing the kind keeps the members:
//!   object → array wraps `fields` into `items: {type: object}`, array →
//!   object unwraps them, opaque clears them.
//! - `body.<Field>...` and `response.<Field>...`: keys `type`, `required`,
//!   `description`, `example`, `items`, `values`, `rust_name`, `move_to`
//!   (`response`, `body` or the path of an object / array-of-objects /
//!   map-of-objects field; for a top-level body field also `query` or
//!   `header`, which make it a parameter), `drop`. A path walks through arrays and maps
//!   to their elements' members on its own; a segment ending in `[]` stops
//!   at the array's element, `{}` at the map's value
//!   (`response.Result.Tags[]: {type: string}`). Changing a type keeps the
//!   members the same way as the body kind (object ↔ array ↔ map); changing
//!   a type with members to a scalar is an error (drop or move them first).
//! - `errors.<Code>`: keys `status`, `message`, `description`, `rust_name`,
//!   `drop`.
//!
//! `drop: true` stands alone. Wire names are never changed: an override
//! fixes what the page says about a name, not the name.
//!
//! Every patch must hit: an unknown operation, a target that does not exist
//! (with the names that do), a key that does not fit the target, all fail
//! the run with `overrides.yaml:line`, so a stale override never silently
//! does nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::ir::{
    Body, BodyEncoding, BodyKind, ErrorCode, Field, Location, Operation, PagingRole, Param, Product, Source, Type,
};

/// File name of a product's overrides inside `specs/<product>/`.
pub const OVERRIDES_FILE: &str = "overrides.yaml";

/// Every patch of one overrides file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// The file they came from.
    pub file: PathBuf,
    /// Patches in file order.
    pub patches: Vec<Patch>,
}

/// One patch: an operation, a target inside it, what to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    /// Operation wire name.
    pub operation: String,
    /// Target path (`params.RegionId`, `response.Result.Instances`, `body`).
    pub target: String,
    /// The change.
    pub change: Change,
    /// 1-based line of the target in the overrides file (0 when unknown).
    pub line: u32,
}

/// What a patch changes; every key is optional, `drop` stands alone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// New value type.
    #[serde(rename = "type")]
    pub ty: Option<Type>,
    /// New parameter location.
    #[serde(rename = "in")]
    pub location: Option<Location>,
    /// New body kind.
    pub kind: Option<BodyKind>,
    /// New body encoding.
    pub encoding: Option<BodyEncoding>,
    /// New `required` flag.
    pub required: Option<bool>,
    /// New description.
    pub description: Option<String>,
    /// New example.
    pub example: Option<String>,
    /// New array element.
    pub items: Option<Field>,
    /// New most items of a list parameter (a page that states the limit
    /// in a form the reader does not know, or a wrong one).
    pub max_items: Option<u32>,
    /// New map value.
    pub values: Option<Field>,
    /// New Rust name.
    pub rust_name: Option<String>,
    /// New HTTP status of an error code.
    pub status: Option<u16>,
    /// New error message.
    pub message: Option<String>,
    /// New HTTP method of the operation.
    pub method: Option<String>,
    /// New path template of the operation.
    pub path: Option<String>,
    /// New parent: `response`, `body` or a field path.
    pub move_to: Option<String>,
    /// Whether the operation is safe to repeat (`operation` only; see
    /// [`crate::traits`]).
    pub idempotent: Option<bool>,
    /// Paging role of a parameter (`params.<Name>` only; see [`crate::traits`]).
    pub paging: Option<PagingRole>,
    /// Remove the target.
    #[serde(default)]
    pub drop: bool,
}

impl Change {
    /// The keys this change sets, in the order of the format.
    fn keys(&self) -> Vec<&'static str> {
        let set = [
            ("type", self.ty.is_some()),
            ("in", self.location.is_some()),
            ("kind", self.kind.is_some()),
            ("encoding", self.encoding.is_some()),
            ("required", self.required.is_some()),
            ("description", self.description.is_some()),
            ("example", self.example.is_some()),
            ("items", self.items.is_some()),
            ("max_items", self.max_items.is_some()),
            ("values", self.values.is_some()),
            ("rust_name", self.rust_name.is_some()),
            ("status", self.status.is_some()),
            ("message", self.message.is_some()),
            ("method", self.method.is_some()),
            ("path", self.path.is_some()),
            ("move_to", self.move_to.is_some()),
            ("idempotent", self.idempotent.is_some()),
            ("paging", self.paging.is_some()),
            ("drop", self.drop),
        ];
        set.into_iter().filter(|(_, on)| *on).map(|(k, _)| k).collect()
    }

    /// Fails when the change sets a key outside `allowed`, sets nothing, or
    /// combines `drop` with anything.
    fn only(&self, what: &str, allowed: &[&str]) -> Result<(), String> {
        let keys = self.keys();
        if keys.is_empty() {
            return Err(format!("the override changes nothing; keys for {what}: {}", allowed.join(", ")));
        }
        if self.drop && keys.len() > 1 {
            return Err("`drop: true` stands alone".to_string());
        }
        match keys.iter().find(|k| !allowed.contains(k)) {
            Some(k) => Err(format!("`{k}` does not apply to {what}; keys for {what}: {}", allowed.join(", "))),
            None => Ok(()),
        }
    }
}

/// Reads an overrides file. Errors point at `file:line`.
pub fn read(path: &Path, text: &str) -> Result<Overrides, Vec<Diagnostic>> {
    let value: serde_yaml::Value = serde_yaml::from_str(text)
        .map_err(|e| vec![super::yaml::yaml_error(path, text, &e, super::yaml::Top::Other)])?;
    let mut overrides = Overrides { file: path.to_path_buf(), patches: Vec::new() };
    let at = |line: usize| Source::new(path, u32::try_from(line).unwrap_or(0));
    let ops = match value {
        serde_yaml::Value::Null => return Ok(overrides),
        serde_yaml::Value::Mapping(m) => m,
        _ => {
            return Err(vec![Diagnostic::error(
                at(1),
                "an overrides file is a mapping: operation name -> {target: change}",
            )]);
        }
    };
    let mut diags = Vec::new();
    for (op_key, targets) in ops {
        let Some(operation) = op_key.as_str() else {
            diags.push(Diagnostic::error(at(1), "operation names in an overrides file must be strings"));
            continue;
        };
        let op_line = key_line(text, operation, 0, None);
        let serde_yaml::Value::Mapping(targets) = targets else {
            diags.push(Diagnostic::error(
                at(op_line),
                format!(
                    "{operation}: expected a mapping of target -> change (such as `response.Result: {{type: object}}`)"
                ),
            ));
            continue;
        };
        for (target_key, change) in targets {
            let Some(target) = target_key.as_str() else {
                diags.push(Diagnostic::error(at(op_line), format!("{operation}: targets must be strings")));
                continue;
            };
            let line = key_line(text, target, op_line, Some(operation));
            match serde_yaml::from_value::<Change>(change) {
                Ok(change) => overrides.patches.push(Patch {
                    operation: operation.to_string(),
                    target: target.to_string(),
                    change,
                    line: u32::try_from(line).unwrap_or(0),
                }),
                Err(e) => diags.push(Diagnostic::error(at(line), format!("{operation} {target}: {}", tidy(&e)))),
            }
        }
    }
    if diags.is_empty() { Ok(overrides) } else { Err(diags) }
}

/// serde's message about a change, with the vocabulary spelled out.
fn tidy(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    text.replace("unknown field", "unknown key").replace('`', "")
}

/// 1-based line of the mapping key `key`: a top-level key when `within` is
/// `None`, else a key inside the block of the top-level key `within`
/// (starting after `from`, a 1-based line). Best effort: block style, keys
/// possibly quoted; falls back to `from` (or 0).
fn key_line(text: &str, key: &str, from: usize, within: Option<&str>) -> usize {
    let is_key = |line: &str| {
        let t = line.trim_start();
        [t.strip_prefix(key), t.strip_prefix(&format!("\"{key}\"")), t.strip_prefix(&format!("'{key}'"))]
            .into_iter()
            .flatten()
            .any(|rest| rest.trim_start().starts_with(':'))
    };
    for (i, line) in text.lines().enumerate().skip(from) {
        let indented = line.starts_with([' ', '\t']);
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        match within {
            None if !indented && is_key(line) => return i + 1,
            Some(_) if !indented && !blank && i + 1 > from => return from,
            Some(_) if indented && is_key(line) => return i + 1,
            _ => {}
        }
    }
    from
}

/// Reads `dir/overrides.yaml` when present.
pub fn read_dir(dir: &Path) -> Result<Option<Overrides>, Vec<Diagnostic>> {
    let path = dir.join(OVERRIDES_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| vec![Diagnostic::error(Source::new(&path, 0), format!("cannot read: {e}"))])?;
    read(&path, &text).map(Some)
}

/// Applies every patch to the product's operations; one error per patch
/// that does not apply (unknown operation, missing target, wrong key).
pub fn apply(product: &mut Product, overrides: &Overrides) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for patch in &overrides.patches {
        let result = match product.operations.iter_mut().find(|op| op.name == patch.operation) {
            Some(op) => apply_traits(&mut product.traits, op, patch).and_then(|rest| match rest {
                Some(rest) => apply_patch(op, &rest),
                None => Ok(()),
            }),
            None => Err(format!("no operation {} in product {}", patch.operation, product.product)),
        };
        if let Err(message) = result {
            diags.push(Diagnostic::error(
                Source::new(&overrides.file, patch.line),
                format!("override {} of {}: {message}", patch.target, patch.operation),
            ));
        }
    }
    diags
}

const PARAM_KEYS: &[&str] = &[
    "type",
    "in",
    "required",
    "description",
    "example",
    "items",
    "max_items",
    "rust_name",
    "move_to",
    "paging",
    "drop",
];
const BODY_KEYS: &[&str] = &["kind", "encoding", "required", "description", "items", "drop"];
const FIELD_KEYS: &[&str] =
    &["type", "required", "description", "example", "items", "values", "rust_name", "move_to", "drop"];
const ERROR_KEYS: &[&str] = &["status", "message", "description", "rust_name", "drop"];
const OPERATION_KEYS: &[&str] = &["method", "path", "rust_name", "idempotent"];

/// Records the trait keys of `patch` (`idempotent`, `paging`) in `traits`;
/// returns the patch without them when other keys remain.
fn apply_traits(
    traits: &mut std::collections::BTreeMap<String, crate::ir::Traits>,
    op: &Operation,
    patch: &Patch,
) -> Result<Option<Patch>, String> {
    let change = &patch.change;
    if change.idempotent.is_none() && change.paging.is_none() {
        return Ok(Some(patch.clone()));
    }
    if let Some(fact) = change.idempotent {
        if patch.target != "operation" {
            return Err("`idempotent` applies to `operation` only".to_string());
        }
        traits.entry(op.name.clone()).or_default().idempotent = Some(fact);
    }
    if let Some(role) = change.paging {
        let Some(name) = patch.target.strip_prefix("params.") else {
            return Err("`paging` applies to `params.<Name>` only".to_string());
        };
        if !op.params.iter().any(|p| p.name == name) {
            let names: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
            return Err(format!("no parameter {name} (parameters: {})", names.join(", ")));
        }
        traits.entry(op.name.clone()).or_default().paging.insert(name.to_string(), role);
    }
    let rest = Change { idempotent: None, paging: None, ..change.clone() };
    Ok((!rest.keys().is_empty()).then(|| Patch { change: rest, ..patch.clone() }))
}

fn apply_patch(op: &mut Operation, patch: &Patch) -> Result<(), String> {
    let change = &patch.change;
    let (root, rest) = match patch.target.split_once('.') {
        Some((root, rest)) => (root, Some(rest)),
        None => (patch.target.as_str(), None),
    };
    match (root, rest) {
        ("operation", None) => {
            change.only("the operation", OPERATION_KEYS)?;
            set(&mut op.method, change.method.as_ref().map(|m| m.to_ascii_uppercase()));
            set(&mut op.path, change.path.clone());
            set_opt(&mut op.rust_name, &change.rust_name);
            Ok(())
        }
        ("params", Some(name)) => patch_param(op, name, change),
        ("body", None) => patch_body(op, change),
        ("body", Some(path)) => {
            change.only("a body field", FIELD_KEYS)?;
            let fields = body_members(op)?;
            patch_field(op_fields_mut(fields), path, change, "body").and_then(|moved| place(op, moved))
        }
        ("response", Some(path)) => {
            change.only("a response field", FIELD_KEYS)?;
            patch_field(&mut op.response, path, change, "response").and_then(|moved| place(op, moved))
        }
        ("errors", Some(code)) => patch_error(&mut op.errors, code, change),
        _ => Err("unknown target; targets are `operation`, `params.<Name>`, `body`, `body.<Field>...`, \
                  `response.<Field>...`, `errors.<Code>`"
            .to_string()),
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

fn set_opt<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if value.is_some() {
        slot.clone_from(value);
    }
}

fn names(fields: &[Field]) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    if names.is_empty() { "none".to_string() } else { names.join(", ") }
}

fn patch_param(op: &mut Operation, name: &str, change: &Change) -> Result<(), String> {
    change.only("a parameter", PARAM_KEYS)?;
    let Some(index) = op.params.iter().position(|p| p.name == name) else {
        let known: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        return Err(format!(
            "no parameter {name} (parameters: {})",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        ));
    };
    if change.drop {
        op.params.remove(index);
        return Ok(());
    }
    if let Some(dest) = &change.move_to {
        let p = op.params[index].clone();
        let field = Field {
            name: p.name,
            ty: p.ty,
            required: p.required,
            description: p.description,
            example: p.example,
            items: p.items,
            max_items: p.max_items,
            rust_name: p.rust_name,
            line: p.line,
            ..Field::default()
        };
        if dest != "body" && !dest.starts_with("body.") {
            return Err(format!("a parameter moves into the body (`body` or `body.<Field>`), not to {dest}"));
        }
        if op.body.is_none() {
            op.body = Some(Body {
                kind: BodyKind::Object,
                encoding: Default::default(),
                required: false,
                description: None,
                fields: Vec::new(),
                items: None,
            });
        }
        place(op, Some(Moved { field, to: dest.clone() }))?;
        op.params.remove(index);
        return Ok(());
    }
    let p = &mut op.params[index];
    set(&mut p.ty, change.ty);
    set(&mut p.location, change.location);
    set(&mut p.required, change.required);
    set_opt(&mut p.description, &change.description);
    set_opt(&mut p.example, &change.example);
    set_opt(&mut p.rust_name, &change.rust_name);
    if let Some(items) = &change.items {
        p.items = Some(Box::new(items.clone()));
    }
    if change.max_items.is_some() {
        p.max_items = change.max_items;
    }
    if p.ty == Type::Array && p.items.is_none() {
        return Err("an array parameter needs `items`".to_string());
    }
    if p.ty != Type::Array && change.max_items.is_some() {
        return Err(format!("`max_items` applies to a list; {} is {}", p.name, p.ty.as_str()));
    }
    Ok(())
}

fn patch_body(op: &mut Operation, change: &Change) -> Result<(), String> {
    change.only("the body", BODY_KEYS)?;
    if change.drop {
        if op.body.take().is_none() {
            return Err("the operation has no body".to_string());
        }
        return Ok(());
    }
    let body = match (&mut op.body, change.kind) {
        (Some(body), _) => body,
        (None, Some(kind)) => op.body.insert(Body {
            encoding: Default::default(),
            kind,
            required: false,
            description: None,
            fields: Vec::new(),
            items: None,
        }),
        (None, None) => return Err("the operation has no body; set `kind` to add one".to_string()),
    };
    if let Some(kind) = change.kind {
        match kind {
            BodyKind::Opaque => {
                body.fields.clear();
                body.items = None;
            }
            BodyKind::Array if body.items.is_none() => {
                let ty = if body.fields.is_empty() { Type::Any } else { Type::Object };
                body.items = Some(Box::new(Field { ty, fields: std::mem::take(&mut body.fields), ..Field::default() }));
            }
            BodyKind::Object => {
                if body.fields.is_empty()
                    && let Some(items) = body.items.take()
                {
                    body.fields = items.fields;
                }
                body.items = None;
            }
            BodyKind::Array => {}
        }
        body.kind = kind;
    }
    set(&mut body.required, change.required);
    set(&mut body.encoding, change.encoding);
    set_opt(&mut body.description, &change.description);
    if let Some(items) = &change.items {
        if body.kind != BodyKind::Array {
            return Err("`items` needs an array body (`kind: array`)".to_string());
        }
        body.items = Some(Box::new(items.clone()));
    }
    Ok(())
}

fn patch_error(errors: &mut Vec<ErrorCode>, code: &str, change: &Change) -> Result<(), String> {
    change.only("an error code", ERROR_KEYS)?;
    let Some(index) = errors.iter().position(|e| e.code == code) else {
        let known: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        return Err(format!(
            "no error code {code} (codes: {})",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        ));
    };
    if change.drop {
        errors.remove(index);
        return Ok(());
    }
    let e = &mut errors[index];
    set(&mut e.status, change.status);
    set_opt(&mut e.message, &change.message);
    set_opt(&mut e.description, &change.description);
    set_opt(&mut e.rust_name, &change.rust_name);
    Ok(())
}

/// A field taken out of its list, waiting to be placed under `to`.
struct Moved {
    field: Field,
    to: String,
}

/// The body's member list, or why there is none.
fn body_members(op: &mut Operation) -> Result<&mut Body, String> {
    match &mut op.body {
        None => Err("the operation has no body".to_string()),
        Some(body) if body.kind == BodyKind::Opaque => Err("the body is opaque: it has no fields".to_string()),
        Some(body) => Ok(body),
    }
}

/// The top-level member list of a body (an array body's element members).
fn op_fields_mut(body: &mut Body) -> &mut Vec<Field> {
    match &mut body.items {
        Some(items) if body.kind == BodyKind::Array => members_mut(items).unwrap_or(&mut body.fields),
        _ => &mut body.fields,
    }
}

/// The members of an object, or of the objects an array / map holds.
fn members_mut(field: &mut Field) -> Option<&mut Vec<Field>> {
    match field.ty {
        Type::Object => Some(&mut field.fields),
        Type::Array => field.items.as_deref_mut().and_then(members_mut),
        Type::Map => field.values.as_deref_mut().and_then(members_mut),
        _ => None,
    }
}

/// One step of a field path: a member name, then `[]` / `{}` steps.
struct Segment<'a> {
    name: &'a str,
    steps: Vec<Step>,
}

#[derive(Clone, Copy)]
enum Step {
    Items,
    Values,
}

fn parse_path(path: &str) -> Result<Vec<Segment<'_>>, String> {
    path.split('.')
        .map(|raw| {
            let mut name = raw;
            let mut steps = Vec::new();
            loop {
                if let Some(rest) = name.strip_suffix("[]") {
                    steps.push(Step::Items);
                    name = rest;
                } else if let Some(rest) = name.strip_suffix("{}") {
                    steps.push(Step::Values);
                    name = rest;
                } else {
                    break;
                }
            }
            steps.reverse();
            if name.is_empty() {
                return Err(format!("empty name in path {path:?}"));
            }
            Ok(Segment { name, steps })
        })
        .collect()
}

/// Finds `segments` under `list`; returns the list holding the last
/// segment's field and its index. `walked` names the path so far.
fn find_slot<'a>(
    list: &'a mut Vec<Field>,
    segments: &[Segment<'_>],
    walked: &str,
) -> Result<(&'a mut Vec<Field>, usize), String> {
    let Some((first, rest)) = segments.split_first() else {
        return Err("empty path".to_string());
    };
    let Some(index) = list.iter().position(|f| f.name == first.name) else {
        return Err(format!("no field {} under {walked} (fields: {})", first.name, names(list)));
    };
    if rest.is_empty() {
        return Ok((list, index));
    }
    let here = format!("{walked}.{}", first.name);
    let field = step_into(&mut list[index], &first.steps, &here)?;
    let kind = field.ty;
    let Some(members) = members_mut(field) else {
        return Err(format!("{here} is {}, it has no fields", kind.as_str()));
    };
    find_slot(members, rest, &here)
}

fn step_into<'a>(mut field: &'a mut Field, steps: &[Step], here: &str) -> Result<&'a mut Field, String> {
    for step in steps {
        let (slot, what) = match step {
            Step::Items => (&mut field.items, "an array element ([])"),
            Step::Values => (&mut field.values, "a map value ({})"),
        };
        field = slot.as_deref_mut().ok_or_else(|| format!("{here} has no {what}"))?;
    }
    Ok(field)
}

/// Applies a change to the field at `path` under `list`. A `move_to` takes
/// the field out and returns it for [`place`].
fn patch_field(list: &mut Vec<Field>, path: &str, change: &Change, root: &str) -> Result<Option<Moved>, String> {
    let segments = parse_path(path)?;
    let (list, index) = find_slot(list, &segments, root)?;
    let last = segments.last().map(|s| s.steps.as_slice()).unwrap_or_default();
    if change.drop || change.move_to.is_some() {
        if !last.is_empty() {
            return Err("an array element or map value cannot be dropped or moved; change its parent".to_string());
        }
        let field = list.remove(index);
        return Ok(change.move_to.as_ref().map(|to| Moved { field, to: to.clone() }));
    }
    let field = step_into(&mut list[index], last, &format!("{root}.{path}"))?;
    if let Some(ty) = change.ty {
        retype(field, ty)?;
    }
    set(&mut field.required, change.required);
    set_opt(&mut field.description, &change.description);
    set_opt(&mut field.example, &change.example);
    set_opt(&mut field.rust_name, &change.rust_name);
    if let Some(items) = &change.items {
        field.items = Some(Box::new(items.clone()));
    }
    if let Some(values) = &change.values {
        field.values = Some(Box::new(values.clone()));
    }
    match field.ty {
        Type::Array if field.items.is_none() => Err("an array needs `items`".to_string()),
        Type::Map if field.values.is_none() => Err("a map needs `values`".to_string()),
        _ => Ok(None),
    }
}

/// Changes a field's type, keeping its members: object ↔ array of objects
/// ↔ map of objects.
fn retype(field: &mut Field, ty: Type) -> Result<(), String> {
    if ty.is_scalar() || ty == Type::Any {
        if let Some(members) = members_mut(field).filter(|m| !m.is_empty()).map(|m| names(m)) {
            return Err(format!(
                "{} has fields ({members}); drop or move them before making it {}",
                field.name,
                ty.as_str()
            ));
        }
        field.fields.clear();
        field.items = None;
        field.values = None;
        field.ty = ty;
        return Ok(());
    }
    let members = members_mut(field).map(std::mem::take).unwrap_or_default();
    let object = |fields: Vec<Field>| Some(Box::new(Field { ty: Type::Object, fields, ..Field::default() }));
    field.fields.clear();
    match ty {
        Type::Object => {
            field.items = None;
            field.values = None;
            field.fields = members;
        }
        Type::Array => {
            field.values = None;
            if !members.is_empty() {
                field.items = object(members);
            }
        }
        _ => {
            field.items = None;
            if !members.is_empty() {
                field.values = object(members);
            }
        }
    }
    field.ty = ty;
    Ok(())
}

/// Puts a moved field under its new parent (`response`, `body`, or a field
/// path below either), or makes it a `query` or `header` parameter.
fn place(op: &mut Operation, moved: Option<Moved>) -> Result<(), String> {
    let Some(Moved { field, to }) = moved else { return Ok(()) };
    let (root, rest) = match to.split_once('.') {
        Some((root, rest)) => (root, Some(rest)),
        None => (to.as_str(), None),
    };
    let location = [Location::Query, Location::Header].into_iter().find(|l| l.as_str() == root);
    if let (Some(location), None) = (location, rest) {
        // A body member the service takes elsewhere (the page marks it
        // `Body`, the service reads it from the query).
        if op.params.iter().any(|p| p.name == field.name) {
            return Err(format!("`move_to: {to}`: a parameter {} is already there", field.name));
        }
        let Field { name, ty, required, description, example, items, fields, rust_name, line, max_items, .. } = field;
        op.params.push(Param {
            name,
            location,
            ty,
            required,
            description,
            example,
            items,
            max_items,
            fields,
            rust_name,
            line,
        });
        return Ok(());
    }
    let list = match root {
        "response" => &mut op.response,
        "body" => op_fields_mut(body_members(op)?),
        _ => {
            return Err(format!(
                "`move_to: {to}`: the new parent is `response`, `body`, a field path below them, `query` or `header`"
            ));
        }
    };
    let list = match rest {
        None => list,
        Some(path) => {
            let segments = parse_path(path)?;
            let (parent_list, index) = find_slot(list, &segments, root)?;
            let steps = segments.last().map(|s| s.steps.as_slice()).unwrap_or_default();
            let parent = step_into(&mut parent_list[index], steps, &to)?;
            let kind = parent.ty;
            members_mut(parent)
                .ok_or_else(|| format!("`move_to: {to}`: the new parent is {}, it cannot hold fields", kind.as_str()))?
        }
    };
    if list.iter().any(|f| f.name == field.name) {
        return Err(format!("`move_to: {to}`: a field {} is already there", field.name));
    }
    list.push(field);
    Ok(())
}
