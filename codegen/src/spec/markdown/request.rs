//! The request: the request line (method, path, query string), the request
//! tables with the position each row's context gives it, and the grouping
//! of RPC rows spelt `Name.N` / `Tag.N.Key` / `SystemDisk.Size`.

use crate::ir::{Field, Location, Param, Type};

use super::lower::{self, Columns, FieldRow};
use super::sections::{Block, Page};
use super::types::PageType;
use super::words::{self, Role, Spot};

/// What a request line says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Syntax {
    /// Method sent.
    pub method: String,
    /// Other methods listed.
    pub alternatives: Vec<String>,
    /// Path template, placeholders written `[X]`, no query string.
    pub path: String,
    /// Names the query string of the line carries (`?name=[name]`).
    pub query: Vec<String>,
    /// Names on `Key=value` form lines under the request line (after its
    /// header lines): members of a form body.
    pub form: Vec<String>,
    /// A JSON body skeleton under the request line (`{"name": "String"}`),
    /// read with its leaf types.
    pub body: Option<serde_json::Value>,
}

/// Rewrites `{X}`, `<X>` and `:X` placeholders as `[X]` (the IR's form);
/// a full URL loses its scheme and host.
fn normalise_path(raw: &str) -> String {
    let mut p = raw;
    for scheme in ["https://", "http://"] {
        if let Some(rest) = p.strip_prefix(scheme) {
            p = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/");
        }
    }
    let mut out = String::with_capacity(p.len());
    for (i, seg) in p.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let inner = seg
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .or_else(|| seg.strip_prefix('<').and_then(|s| s.strip_suffix('>')))
            .or_else(|| seg.strip_prefix(':').filter(|s| !s.is_empty()));
        match inner {
            Some(name) if !name.is_empty() => {
                out.push('[');
                out.push_str(name.trim());
                out.push(']');
            }
            _ => out.push_str(&seg.replace('{', "[").replace('}', "]")),
        }
    }
    out
}

/// Names in a query string (`Action=X&name=[name]&flag`).
fn query_names(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter_map(|kv| {
            let k = kv.split('=').next()?.trim();
            (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
                .then(|| k.to_string())
        })
        .collect()
}

/// Reads `METHOD[|METHOD...] /path[?query] [HTTPS|HTTP | HTTP/1.1]` from the
/// first line of `text` that looks like one.
pub(crate) fn parse_syntax(text: &str) -> Option<Syntax> {
    for (at, line) in text.lines().enumerate() {
        let line = line.trim().trim_matches('`').trim();
        let mut words = line.split_whitespace();
        let (Some(m), Some(target)) = (words.next(), words.next()) else { continue };
        // A method the runtime does not send (`OPTIONS`) still makes this
        // the request line; `check` reports it rather than guessing.
        let method_like =
            |x: &str| crate::ir::method(x).is_some() || (x.len() >= 3 && x.bytes().all(|b| b.is_ascii_uppercase()));
        if !m.split('|').all(|x| method_like(x.trim())) {
            continue;
        }
        if !(target.starts_with('/') || target.starts_with("http://") || target.starts_with("https://")) {
            continue;
        }
        let methods: Vec<String> = m.split('|').map(|s| s.trim().to_ascii_uppercase()).collect();
        // Alternatives (`PATCH|POST`): the official SDKs send POST.
        let method = if methods.len() > 1 { "POST".to_string() } else { methods.first().cloned().unwrap_or_default() };
        let alternatives = methods.into_iter().filter(|x| *x != method).collect();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, query_names(q)),
            None => (target, Vec::new()),
        };
        let path = normalise_path(path);
        let path = if path.is_empty() { "/".to_string() } else { path };
        let (form, body) = under_request_line(text, at);
        return Some(Syntax { method, alternatives, path, query, form, body });
    }
    None
}

/// What follows the request line in its block, past `Name: value` header
/// lines and blank lines: a JSON body skeleton, or `Key=value` form lines
/// (`Name=[Name]`, `&Other=value`).
fn under_request_line(text: &str, at: usize) -> (Vec<String>, Option<serde_json::Value>) {
    let rest: Vec<&str> =
        text.lines().skip(at + 1).map(str::trim).skip_while(|l| l.is_empty() || is_header_line(l)).collect();
    let rest = rest.join("\n");
    let t = rest.trim();
    if t.starts_with('{') || t.starts_with('[') {
        return (Vec::new(), crate::spec::sample::skeleton(t));
    }
    let form_like = !t.is_empty()
        && t.lines().all(|l| {
            let l = l.trim().trim_start_matches(['&', '?']);
            l.is_empty() || l.split('&').all(|kv| kv.contains('=') && !kv.contains(' '))
        });
    if !form_like {
        return (Vec::new(), None);
    }
    let joined: String = t.lines().map(|l| l.trim().trim_start_matches(['&', '?'])).collect::<Vec<_>>().join("&");
    (query_names(&joined), None)
}

/// `Host: example.com`, `Content-Type: application/json`.
fn is_header_line(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// The request line: the first one in a request-syntax section, else in any
/// code block outside the examples.
pub(crate) fn request_line(page: &Page) -> Option<Syntax> {
    page.sections
        .iter()
        .filter(|s| s.role == Role::Syntax)
        .flat_map(|s| s.blocks.iter())
        .find_map(|b| match b {
            Block::Code { text, .. } | Block::Para { text, .. } => parse_syntax(text),
            _ => None,
        })
        .or_else(|| {
            page.intro
                .iter()
                .chain(
                    page.sections
                        .iter()
                        .filter(|s| !matches!(s.role, Role::Examples | Role::Response))
                        .flat_map(|s| s.blocks.iter()),
                )
                .find_map(|b| match b {
                    Block::Code { text, .. } => parse_syntax(text),
                    _ => None,
                })
        })
}

/// One request table's rows and what its context says about them.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The rows.
    pub rows: Vec<FieldRow>,
    /// The role of the section holding it.
    pub role: Role,
    /// The position its heading or prose gives every row.
    pub spot: Option<Spot>,
    /// Whether the prose before it speaks of the request body.
    pub body_prose: bool,
    /// Index of its section in the page.
    pub section: usize,
}

/// Every parameter table of the request sections. A table without a
/// position column that follows one with it in the same section, and whose
/// heading and prose give no position either, describes the members of a
/// JSON string parameter, not parameters: it is left out.
///
/// Also returns the lines of tables in those sections whose columns are
/// not understood (no name column, or neither type nor description).
pub(crate) fn tables(page: &Page) -> (Vec<Table>, Vec<u32>) {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    for (si, s) in page.sections.iter().enumerate() {
        let r = s.role;
        if !matches!(r, Role::Params(_) | Role::Body | Role::Headers) {
            continue;
        }
        let mut saw_position_column = false;
        for t in lower::tables_with_prose(&s.blocks) {
            let cols = Columns::of_request(t.header);
            if !cols.is_fields() {
                unread.push(t.line);
                continue;
            }
            let spot = t.heading.as_deref().and_then(words::position_in_prose).or(match r {
                Role::Params(spot) => spot,
                Role::Body => Some(Spot::Body),
                Role::Headers => Some(Spot::Param(Location::Header)),
                _ => None,
            });
            let rows = lower::field_rows(&cols, t.rows);
            if members_of_named_type(&mut out, &t.prose, &rows) {
                continue;
            }
            let body_prose = words::norm(&t.prose).contains("requestbody");
            if cols.has_position() {
                saw_position_column = true;
            } else if saw_position_column
                && !body_prose
                && t.heading.as_deref().and_then(words::position_in_prose).is_none()
            {
                continue;
            }
            out.push(Table { rows, role: r, spot, body_prose, section: si });
        }
    }
    (out, unread)
}

/// A table whose prose names the type of an earlier row, a type that is
/// no type word (`Settings.N | Setting`, then a table after prose naming
/// `Setting`), lists that row's members: they are put under the row (as
/// `Settings.N.Member` when the row is written dotted, the way the page
/// spells nested RPC parameters), and the row becomes an object. Whether
/// the rows were taken.
fn members_of_named_type(tables: &mut [Table], prose: &str, rows: &[FieldRow]) -> bool {
    let named: Vec<&str> =
        prose.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    let owner = tables.iter().enumerate().rev().find_map(|(ti, t)| {
        t.rows
            .iter()
            .rposition(|r| {
                let ty = r.type_text.trim().trim_matches('`');
                r.ty.unknown && !ty.is_empty() && named.contains(&ty)
            })
            .map(|ri| (ti, ri))
    });
    let Some((ti, ri)) = owner else { return false };
    let Some(table) = tables.get_mut(ti) else { return false };
    let Some(parent) = table.rows.get_mut(ri) else { return false };
    parent.ty = PageType { ty: Type::Object, item: None, item_struct: false, unknown: false };
    let (prefix, depth) = (parent.name.clone(), parent.depth);
    let dotted = prefix.contains('.');
    let members = rows.iter().map(|r| {
        let mut m = r.clone();
        if dotted {
            m.name = format!("{prefix}.{}", r.name);
            m.depth += depth;
        } else {
            m.depth += depth + 1;
        }
        m
    });
    // After the row and the members it already has.
    let end = table
        .rows
        .iter()
        .skip(ri + 1)
        .position(|r| r.depth <= depth && !(dotted && r.name.starts_with(&format!("{prefix}."))))
        .map_or(table.rows.len(), |n| ri + 1 + n);
    table.rows.splice(end..end, members);
    true
}

/// Rewrites bare path segments equal to a parameter name (`/clusters/ClusterId`)
/// as placeholders, unless a position says the name goes elsewhere.
pub(crate) fn bare_placeholders(path: &str, tables: &[Table]) -> String {
    let is_param = |seg: &str| {
        tables.iter().flat_map(|t| t.rows.iter().map(move |r| (t, r))).any(|(t, r)| {
            r.name == seg
                && r.depth == 0
                && match r.position.as_deref().and_then(words::position).or(t.spot) {
                    Some(Spot::Param(Location::Path)) | None => true,
                    Some(_) => false,
                }
        })
    };
    path.split('/')
        .map(
            |seg| {
                if !seg.is_empty() && !seg.contains('[') && is_param(seg) {
                    format!("[{seg}]")
                } else {
                    seg.to_string()
                }
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

// ------------------------------------------------------------------ RPC rows

/// One step of a dotted RPC name: a member, or `N` (a list index).
fn steps(name: &str) -> Vec<&str> {
    name.split('.').collect()
}

pub(crate) fn is_index(step: &str) -> bool {
    step == "N" || step == "n" || (!step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()))
}

/// Groups parameters spelt `Name.N`, `Tag.N.Key`, `SystemDisk.Size` (any
/// depth) into one parameter each, as the SDKs do: `Name.N` is an array,
/// `X.N.Y` an array of objects with member `Y`, `X.Y` an object with member
/// `Y`. Parameters without a dot are left as they are; a dotted name whose
/// first part is also a plain parameter is left alone too.
pub(crate) fn group_dotted(params: Vec<Param>) -> Vec<Param> {
    let mut out: Vec<Param> = Vec::with_capacity(params.len());
    let plain: Vec<String> = params.iter().filter(|p| !p.name.contains('.')).map(|p| p.name.clone()).collect();
    for p in params {
        let st = steps(&p.name);
        let (Some(head), Some(rest)) = (st.first().copied(), st.get(1..)) else {
            out.push(p);
            continue;
        };
        if rest.is_empty() || head.is_empty() || rest.iter().any(|s| s.is_empty()) || plain.iter().any(|n| n == head) {
            out.push(p);
            continue;
        }
        let leaf = Field {
            name: String::new(),
            ty: p.ty,
            required: p.required,
            description: p.description.clone(),
            example: p.example.clone(),
            items: p.items.clone(),
            line: p.line,
            ..Field::default()
        };
        let idx = match out.iter().position(|q| q.name == head && q.location == p.location) {
            Some(i) => i,
            None => {
                out.push(Param {
                    name: head.to_string(),
                    location: p.location,
                    ty: Type::Any,
                    required: false,
                    description: None,
                    example: None,
                    items: None,
                    max_items: None,
                    fields: Vec::new(),
                    rust_name: None,
                    line: p.line,
                });
                out.len() - 1
            }
        };
        let Some(target) = out.get_mut(idx) else { continue };
        target.required |= p.required;
        if target.description.is_none() && rest.len() == 1 {
            target.description = p.description.clone();
        }
        // Build the parameter's tree as a field, then store it back.
        let mut root = Field {
            name: target.name.clone(),
            ty: target.ty,
            fields: std::mem::take(&mut target.fields),
            items: target.items.take(),
            line: target.line,
            ..Field::default()
        };
        insert(&mut root, rest, leaf, 0);
        target.ty = root.ty;
        target.fields = root.fields;
        target.items = root.items;
    }
    out
}

/// Puts `leaf` at `rest` below `node`, shaping `node` on the way.
fn insert(node: &mut Field, rest: &[&str], leaf: Field, depth: usize) {
    let Some((step, more)) = rest.split_first() else {
        return;
    };
    if depth > 16 {
        return;
    }
    if is_index(step) {
        node.ty = Type::Array;
        let line = node.line;
        let item = node.items.get_or_insert_with(|| Box::new(Field { line, ..Field::default() }));
        if more.is_empty() {
            // The row is one element; a row typed as a list
            // (`RepeatList`) gives the element its item type.
            match (leaf.ty, leaf.items) {
                (Type::Array, Some(inner)) => item.ty = inner.ty,
                (ty, items) => {
                    item.ty = ty;
                    item.items = items;
                }
            }
            if item.example.is_none() {
                item.example = leaf.example;
            }
        } else {
            insert(item, more, leaf, depth + 1);
        }
        return;
    }
    node.ty = Type::Object;
    let idx = match node.fields.iter().position(|f| f.name == *step) {
        Some(i) => i,
        None => {
            node.fields.push(Field { name: step.to_string(), line: leaf.line, ..Field::default() });
            node.fields.len() - 1
        }
    };
    let Some(child) = node.fields.get_mut(idx) else { return };
    if more.is_empty() {
        let name = std::mem::take(&mut child.name);
        *child = Field { name, ..leaf };
    } else {
        insert(child, more, leaf, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, ty: Type) -> Param {
        Param { name: name.into(), location: Location::Query, ty, ..Param::assumed_path("x", 1) }
    }

    #[test]
    fn request_line_forms() {
        let s =
            parse_syntax("GET /clusters/{ClusterId}/nodes/<NodeId>?name=[name]&Action=X HTTP/1.1").unwrap_or_default();
        assert_eq!(s.path, "/clusters/[ClusterId]/nodes/[NodeId]");
        assert_eq!(s.query, vec!["name".to_string(), "Action".to_string()]);
        let s = parse_syntax("PATCH|POST https://es.aliyuncs.com/openapi/x HTTPS|HTTP").unwrap_or_default();
        assert_eq!((s.method.as_str(), s.path.as_str()), ("POST", "/openapi/x"));
    }

    #[test]
    fn dotted_rows_group() {
        let params = vec![
            p("RegionId", Type::String),
            p("InstanceId.N", Type::String),
            p("Tag.N.Key", Type::String),
            p("Tag.N.Value", Type::String),
            p("SystemDisk.Size", Type::Integer),
            p("NetworkInterface.N.SecurityGroupIds.N", Type::String),
        ];
        let g = group_dotted(params);
        let names: Vec<&str> = g.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["RegionId", "InstanceId", "Tag", "SystemDisk", "NetworkInterface"]);
        assert_eq!(g[1].ty, Type::Array);
        assert_eq!(g[1].items.as_ref().map(|i| i.ty), Some(Type::String));
        let tag = g[2].items.as_ref().map(|i| i.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
        assert_eq!(tag, Some(vec!["Key".to_string(), "Value".to_string()]));
        assert_eq!(g[3].ty, Type::Object);
        assert_eq!(g[3].fields.first().map(|f| f.ty), Some(Type::Integer));
        let ni = g[4].items.as_ref().and_then(|i| i.fields.first().map(|f| f.ty));
        assert_eq!(ni, Some(Type::Array));
    }
}
