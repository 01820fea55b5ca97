//! Lowering: table rows and code blocks → IR (positions, body kinds,
//! response nesting, errors).

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::ir::{Body, BodyKind, ErrorCode, Field, Location, Param, Source, Type};

use super::json::JsonShape;
use super::sections::{Block, Row};
use super::types::{PageType, parse_type};
use super::words::{self, Column, Spot};

/// Column roles of a table.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Columns {
    name: Option<usize>,
    ty: Option<usize>,
    position: Option<usize>,
    required: Option<usize>,
    example: Option<usize>,
    description: Option<usize>,
    status: Option<usize>,
    code: Option<usize>,
    message: Option<usize>,
}

impl Columns {
    /// The columns of a table, found by header (see [`words::column`]).
    pub(crate) fn of(header: &Row) -> Columns {
        let mut c = Columns::default();
        for (i, h) in header.cells.iter().enumerate() {
            let slot = match words::column(h) {
                Some(Column::Name) => &mut c.name,
                Some(Column::Type) => &mut c.ty,
                Some(Column::Position) => &mut c.position,
                Some(Column::Required) => &mut c.required,
                Some(Column::Example) => &mut c.example,
                Some(Column::Description) => &mut c.description,
                Some(Column::Status) => &mut c.status,
                Some(Column::Code) => &mut c.code,
                Some(Column::Message) => &mut c.message,
                None => continue,
            };
            if slot.is_none() {
                *slot = Some(i);
            }
        }
        c
    }

    /// The columns of a table in a request section. Request tables never
    /// hold HTTP statuses, yet some pages head their name column with a
    /// header copied from an error table (`HTTP status code`): when such a
    /// table has no name column but has a type column and no error-code
    /// column, the status column (else the first unclaimed one) names the
    /// rows.
    pub(crate) fn of_request(header: &Row) -> Columns {
        let mut cols = Columns::of(header);
        if cols.name.is_some() || cols.ty.is_none() || cols.code.is_some() {
            return cols;
        }
        let claimed = [cols.ty, cols.position, cols.required, cols.example, cols.description, cols.message];
        cols.name = cols.status.take().or_else(|| (0..header.cells.len()).find(|i| !claimed.contains(&Some(*i))));
        cols
    }

    /// Whether the table has a Position/Location/位置 column.
    pub(crate) fn has_position(&self) -> bool {
        self.position.is_some()
    }

    /// Whether this looks like a parameter/field table.
    pub(crate) fn is_fields(&self) -> bool {
        self.name.is_some() && (self.ty.is_some() || self.description.is_some())
    }

    /// Whether this looks like an error table.
    pub(crate) fn is_errors(&self) -> bool {
        self.code.is_some()
    }
}

fn cell(row: &Row, idx: Option<usize>) -> &str {
    idx.and_then(|i| row.cells.get(i)).map(|s| s.trim()).unwrap_or("")
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() { None } else { Some(s.to_string()) }
}

/// One row of a parameter or field table.
#[derive(Debug, Clone)]
pub(crate) struct FieldRow {
    pub name: String,
    /// `└` markers or indentation before the name.
    pub depth: usize,
    pub ty: PageType,
    pub type_text: String,
    pub position: Option<String>,
    pub required: bool,
    pub example: Option<String>,
    pub description: Option<String>,
    pub line: u32,
}

/// Reads the rows of a field table.
pub(crate) fn field_rows(cols: &Columns, rows: &[Row]) -> Vec<FieldRow> {
    let mut out = Vec::new();
    for row in rows {
        let raw = cell(row, cols.name);
        let mut depth = 0;
        let mut rest = raw;
        loop {
            let t = rest.trim_start();
            if let Some(r) = t.strip_prefix('└') {
                depth += 1;
                rest = r;
            } else if let Some(r) = t.strip_prefix('├') {
                depth += 1;
                rest = r;
            } else {
                rest = t;
                break;
            }
        }
        let name: String = rest.trim().trim_matches('`').trim().to_string();
        // The name is the first word; anything else is noise.
        let name = name.split_whitespace().next().unwrap_or("").to_string();
        if name.is_empty() || name.chars().all(|c| matches!(c, '-' | ':' | '|')) {
            continue;
        }
        let type_text = cell(row, cols.ty).to_string();
        let required = words::says_required(cell(row, cols.required));
        out.push(FieldRow {
            name,
            depth,
            ty: parse_type(&type_text),
            type_text,
            position: opt(cell(row, cols.position)),
            required,
            example: opt(cell(row, cols.example)),
            description: opt(cell(row, cols.description)),
            line: row.line,
        });
    }
    out
}

/// A field (with no children yet) for a row.
pub(crate) fn leaf(row: &FieldRow) -> Field {
    let mut f = Field {
        name: row.name.clone(),
        ty: row.ty.ty,
        required: row.required,
        description: row.description.clone(),
        example: row.example.clone(),
        line: row.line,
        ..Field::default()
    };
    if row.ty.ty == Type::Array {
        f.items = Some(Box::new(Field { ty: row.ty.item.unwrap_or(Type::Any), line: row.line, ..Field::default() }));
    }
    if row.ty.ty == Type::Map {
        f.values = Some(Box::new(Field { ty: Type::Any, line: row.line, ..Field::default() }));
    }
    f
}

/// Attaches `children` to `parent` according to its type: object fields,
/// array item fields, or map value fields.
pub(crate) fn adopt(parent: &mut Field, children: Vec<Field>) {
    if children.is_empty() {
        if parent.ty == Type::Object {
            // An object without documented members.
        }
        return;
    }
    match parent.ty {
        Type::Array => {
            let line = parent.line;
            parent.items = Some(Box::new(Field { ty: Type::Object, fields: children, line, ..Field::default() }));
        }
        Type::Map => {
            let line = parent.line;
            parent.values = Some(Box::new(Field { ty: Type::Object, fields: children, line, ..Field::default() }));
        }
        _ => {
            parent.ty = Type::Object;
            parent.fields = children;
        }
    }
}

/// Warnings for unknown types in rows.
pub(crate) fn type_warnings(path: &Path, rows: &[FieldRow], what: &str, diags: &mut Vec<Diagnostic>) {
    for r in rows {
        if r.ty.unknown {
            diags.push(Diagnostic::warning(
                Source::new(path, r.line),
                format!("unknown type \"{}\" for {what} {}", r.type_text, r.name),
            ));
        }
    }
}

// ------------------------------------------------------------------ nesting

/// How deep a field tree goes: rows deeper down are left out, and no row
/// opens a level past it (nor does a one-level `└` container). Pages nest a few levels; the
/// bound keeps a hostile table from costing time and memory with its depth.
const MAX_NESTING: usize = 64;

/// The element name of an `Array of Y` type cell.
fn element_name(type_text: &str) -> Option<&str> {
    let t = type_text.trim();
    let lower = t.to_ascii_lowercase();
    let rest = ["array of ", "list of "].iter().find_map(|p| lower.strip_prefix(p).map(|r| r.len()))?;
    t.get(t.len() - rest..).map(str::trim).filter(|n| !n.is_empty())
}

/// Rewrites XML-derived wrappers (RPC responses): `Instances | Array of
/// Instance` followed by a row `Instance` with no type, or not followed by
/// it when the sample shows `Instances` as an object holding only
/// `Instance`, is the object `Instances` holding the array `Instance`,
/// whose members are the rows that follow.
///
/// Also returns the `(wrapper, element)` name pairs it rewrote, so that a
/// sample showing the element's members right under the wrapper can be
/// read one level down ([`JsonShape::with_level`]).
pub(crate) fn unwrap_wrappers(rows: &[FieldRow], json: Option<&JsonShape>) -> (Vec<FieldRow>, Vec<(String, String)>) {
    let mut out = Vec::with_capacity(rows.len());
    let mut pairs = Vec::new();
    let mut i = 0;
    while let Some(row) = rows.get(i) {
        i += 1;
        // `Instances | Array` (no element name) followed by a row `Instance`
        // with no type: the second row names the element.
        let untyped_next = rows.get(i).filter(|n| n.type_text.trim().is_empty() && n.depth == row.depth);
        let plain_list = row.ty.ty == Type::Array && row.ty.item.is_none() && !row.ty.item_struct;
        let elem = element_name(&row.type_text).or(untyped_next.filter(|_| plain_list).map(|n| n.name.as_str()));
        let Some(elem) = elem.filter(|e| !e.eq_ignore_ascii_case(&row.name)) else {
            out.push(row.clone());
            continue;
        };
        let next_names_it =
            rows.get(i).is_some_and(|n| n.type_text.trim().is_empty() && n.name.eq_ignore_ascii_case(elem));
        let sample_wraps = json.is_some_and(|s| s.wraps(&row.name, elem));
        if !(next_names_it || sample_wraps) {
            out.push(row.clone());
            continue;
        }
        let mut wrapper = row.clone();
        wrapper.ty = PageType { ty: Type::Object, item: None, item_struct: false, unknown: false };
        wrapper.type_text = "Struct".into();
        let mut list = row.clone();
        if next_names_it && let Some(n) = rows.get(i) {
            list.name = n.name.clone();
            list.line = n.line;
            i += 1;
        } else {
            list.name = elem.to_string();
        }
        list.depth = row.depth + usize::from(row.depth > 0);
        // A row naming the element announces the element's members.
        list.ty.item_struct |= next_names_it;
        list.description = None;
        list.example = None;
        pairs.push((wrapper.name.clone(), list.name.clone()));
        out.push(wrapper);
        out.push(list);
    }
    (out, pairs)
}

/// Builds a field tree from rows: `└` markers where present, else flat rows
/// nested under their `Struct`/`Object`/`Map`/`Array of X` parents with the
/// help of the sample JSON and of the alphabetical order of siblings.
pub(crate) fn nest(rows: &[FieldRow], json: Option<&JsonShape>) -> Vec<Field> {
    // parent[i]: index of the parent row of row i.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    // Stack of open levels: (row index of the container, last child name).
    let mut stack: Vec<(usize, Option<String>)> = Vec::new();
    // Last sibling at the root.
    let mut root_last: Option<String> = None;
    let marked = rows.iter().any(|r| r.depth > 0);
    let deepened = if marked { flat_markers(rows, json) } else { None };
    let rows = deepened.as_deref().unwrap_or(rows);
    for (i, row) in rows.iter().enumerate() {
        // `Result | Array of Result` followed by `Result | (no type)`: the
        // second row only names the element.
        if i > 0
            && row.type_text.trim().is_empty()
            && rows.get(i - 1).is_some_and(|prev| prev.name == row.name && prev.ty.ty == Type::Array)
        {
            parent.push(Some(usize::MAX));
            continue;
        }
        if marked {
            // Markers give the depth: a marked row belongs to the last row
            // one level up, whatever its type.
            stack.truncate(row.depth);
            parent.push(if row.depth == 0 { None } else { stack.last().map(|(idx, _)| *idx) });
            if stack.len() == row.depth {
                stack.push((i, None));
            }
            continue;
        }
        let chosen_depth = choose_depth(rows, &stack, root_last.as_deref(), i, &parent, json);
        stack.truncate(chosen_depth);
        let p = stack.last().map(|(idx, _)| *idx);
        parent.push(p);
        match stack.last_mut() {
            Some((_, last)) => *last = Some(row.name.clone()),
            None => root_last = Some(row.name.clone()),
        }
        let plain_list = row.ty.ty == Type::Array && row.ty.item.is_none() && !row.ty.item_struct;
        let opens = row.ty.opens_level()
            || (plain_list && {
                let mut path = stack_path(rows, &stack, stack.len());
                path.push(row.name.to_ascii_lowercase());
                json.is_some_and(|s| s.knows(&path))
            });
        if opens && stack.len() < MAX_NESTING {
            stack.push((i, None));
        }
    }
    build(rows, &parent, None, 0)
}

/// Rows of a table whose `└` markers go one level deep while the fields
/// nest deeper: a marked row with no type cell followed by marked rows is a
/// container, and the rows after it are its members, until one the sample
/// shows at an outer open level (or one whose name that container already
/// holds). The depths of the returned rows are the real ones. A container
/// the sample does not show, named as a plural (`Tags`), is the wrapper of
/// a list of its singular (`Tag`), as XML-derived responses write sets.
/// `None` when the table is not of that form.
fn flat_markers(rows: &[FieldRow], json: Option<&JsonShape>) -> Option<Vec<FieldRow>> {
    let untyped = |r: &FieldRow| r.depth == 1 && r.type_text.trim().is_empty();
    let opens = |i: usize| rows.get(i).is_some_and(untyped) && rows.get(i + 1).is_some_and(|n| n.depth == 1);
    if rows.iter().any(|r| r.depth > 1) || !(0..rows.len()).any(opens) {
        return None;
    }
    let mut out: Vec<FieldRow> = Vec::with_capacity(rows.len());
    // Open containers, outermost first: (index in `out`, lower-case path of
    // names the sample knows them by, depth their members take).
    let mut chain: Vec<(usize, Vec<String>, usize)> = Vec::new();
    // Parent (index in `out`) of each row of `out`.
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    // (container, lower-case name) of each member placed so far: whether a
    // container already holds a name, without a scan of `out` per level.
    let mut held: BTreeSet<(usize, String)> = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        if row.depth == 0 {
            chain.clear();
            chain.push((out.len(), vec![row.name.to_ascii_lowercase()], 1));
            parents.push(None);
            out.push(row.clone());
            continue;
        }
        let Some(first) = chain.first().map(|c| c.0) else {
            parents.push(None);
            out.push(row.clone());
            continue;
        };
        let name = row.name.to_ascii_lowercase();
        let holds = |level: usize| chain.get(level).is_some_and(|c| held.contains(&(c.0, name.clone())));
        let shown = json.and_then(|s| {
            (0..chain.len()).rev().find(|l| !holds(*l) && chain.get(*l).is_some_and(|c| s.shows_under(&c.1, &row.name)))
        });
        let level = shown.unwrap_or_else(|| (0..chain.len()).rev().find(|l| !holds(*l)).unwrap_or(0));
        chain.truncate(level + 1);
        let (container, path, depth) = chain.last().cloned().unwrap_or((first, Vec::new(), 1));
        let mut r = row.clone();
        r.depth = depth;
        held.insert((container, name));
        parents.push(Some(container));
        out.push(r);
        if opens(i) && chain.len() < MAX_NESTING {
            let mut inner = path;
            inner.push(row.name.to_ascii_lowercase());
            let shown = json.is_some_and(|s| s.knows_loosely(&inner));
            match plural_element(&row.name).filter(|_| !shown) {
                Some(element) => {
                    let at = out.len() - 1;
                    if let Some(wrapper) = out.get_mut(at) {
                        wrapper.ty = PageType { ty: Type::Object, item: None, item_struct: false, unknown: false };
                    }
                    let list = FieldRow {
                        name: element.to_string(),
                        depth: depth + 1,
                        ty: PageType { ty: Type::Array, item: None, item_struct: true, unknown: false },
                        type_text: format!("Array of {element}"),
                        position: None,
                        required: false,
                        example: None,
                        description: None,
                        line: row.line,
                    };
                    held.insert((at, element.to_ascii_lowercase()));
                    parents.push(Some(at));
                    out.push(list);
                    chain.push((out.len() - 1, inner, depth + 2));
                }
                None => chain.push((out.len() - 1, inner, depth + 1)),
            }
        }
    }
    Some(out)
}

/// The singular of a plural name (`Tags` → `Tag`, `RoleSets` → `RoleSet`);
/// `None` for names whose plural is not a plain trailing `s`
/// (`Addresses`, `Status`).
fn plural_element(name: &str) -> Option<&str> {
    let stem = name.strip_suffix('s')?;
    let irregular = ["s", "u", "i", "se", "xe", "she", "che", "ie"].iter().any(|e| stem.ends_with(e));
    (!stem.is_empty() && !irregular).then_some(stem)
}

/// Where the sample's root sits: `None` when it is the response root,
/// `Some(c)` when it shows only the contents of the first container `c`
/// (the `Result` object, say).
pub(crate) fn sample_anchor(rows: &[FieldRow], shape: &JsonShape) -> Option<String> {
    // Nest by sibling order alone, then see which level the sample's root
    // keys match best: the top level, or the members of a top container.
    let tentative = nest(rows, None);
    let top: Vec<&str> = tentative.iter().map(|f| f.name.as_str()).collect();
    let mut best: (usize, Option<String>) = (shape.score(&[], &top), None);
    for f in &tentative {
        // A sample whose root holds the container itself shows the
        // response root, whatever the sibling order suggested.
        if shape.has(&[], &f.name) {
            continue;
        }
        let members: Vec<&str> = match f.ty {
            Type::Object => f.fields.iter().map(|m| m.name.as_str()).collect(),
            Type::Array => {
                f.items.as_deref().map(|i| i.fields.iter().map(|m| m.name.as_str()).collect()).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let score = shape.score(&[], &members);
        if score > best.0 {
            best = (score, Some(f.name.clone()));
        }
    }
    best.1
}

/// The members list of a container field, made an object container when
/// it has none yet: object fields, array item fields, map value fields.
pub(crate) fn members_mut(f: &mut Field) -> Option<&mut Vec<Field>> {
    match f.ty {
        Type::Object => Some(&mut f.fields),
        Type::Array | Type::Map => {
            let line = f.line;
            let slot = if f.ty == Type::Array { &mut f.items } else { &mut f.values };
            let inner = slot.get_or_insert_with(|| Box::new(Field { ty: Type::Object, line, ..Field::default() }));
            if inner.ty == Type::Any || (inner.ty == Type::Object) {
                inner.ty = Type::Object;
                Some(&mut inner.fields)
            } else {
                None
            }
        }
        Type::Any => {
            f.ty = Type::Object;
            Some(&mut f.fields)
        }
        _ => None,
    }
}

/// The members at `path` (names, case-insensitive) of a field tree.
pub(crate) fn members_at<'a>(fields: &'a mut Vec<Field>, path: &[String]) -> Option<&'a mut Vec<Field>> {
    let Some((first, rest)) = path.split_first() else { return Some(fields) };
    let f = fields.iter_mut().find(|f| f.name.eq_ignore_ascii_case(first))?;
    let members = members_mut(f)?;
    members_at(members, rest)
}

/// The field at `path` (names, case-insensitive) of a field tree.
pub(crate) fn field_at<'a>(fields: &'a mut [Field], path: &[String]) -> Option<&'a mut Field> {
    let (first, rest) = path.split_first()?;
    let f = fields.iter_mut().find(|f| f.name.eq_ignore_ascii_case(first))?;
    if rest.is_empty() {
        return Some(f);
    }
    let inner = match f.ty {
        Type::Object => &mut f.fields,
        Type::Array => &mut f.items.as_deref_mut()?.fields,
        Type::Map => &mut f.values.as_deref_mut()?.fields,
        _ => return None,
    };
    field_at(inner, rest)
}

/// Every container path of a field tree (lower-case names), root first.
pub(crate) fn container_paths(fields: &[Field], prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>, depth: usize) {
    if depth == 0 {
        out.push(prefix.clone());
    }
    if depth > 32 {
        return;
    }
    for f in fields {
        let inner = match f.ty {
            Type::Object => Some(&f.fields),
            Type::Array => f.items.as_deref().map(|i| &i.fields),
            Type::Map => f.values.as_deref().map(|v| &v.fields),
            _ => None,
        };
        if let Some(inner) = inner {
            prefix.push(f.name.to_ascii_lowercase());
            out.push(prefix.clone());
            container_paths(inner, prefix, out, depth + 1);
            prefix.pop();
        }
    }
}

/// The JSON path (lower case names) of the containers on the stack.
fn stack_path(rows: &[FieldRow], stack: &[(usize, Option<String>)], upto: usize) -> Vec<String> {
    stack.iter().take(upto).filter_map(|(i, _)| rows.get(*i).map(|r| r.name.to_ascii_lowercase())).collect()
}

fn sorts_after(prev: Option<&str>, name: &str) -> bool {
    match prev {
        None => true,
        Some(p) => p < name,
    }
}

/// Picks how many open levels a row stays inside (0 = root).
fn choose_depth(
    rows: &[FieldRow],
    stack: &[(usize, Option<String>)],
    root_last: Option<&str>,
    at: usize,
    parent: &[Option<usize>],
    json: Option<&JsonShape>,
) -> usize {
    let Some(row) = rows.get(at) else { return 0 };
    let last_at = |d: usize| -> Option<&str> {
        if d == 0 { root_last } else { stack.get(d - 1).and_then(|(_, last)| last.as_deref()) }
    };
    let order_allows = |d: usize| sorts_after(last_at(d), &row.name);
    // A level that already holds a row of this name cannot take another.
    let taken = |d: usize| {
        let container = if d == 0 { None } else { stack.get(d - 1).map(|(i, _)| *i) };
        rows.iter().zip(parent).take(at).any(|(r, p)| *p == container && r.name.eq_ignore_ascii_case(&row.name))
    };
    // 0. A list of objects just opened, its first member yet to come,
    //    that the sample does not show: this row is that member.
    let deep = stack.len();
    if let (Some((open, None)), Some(shape)) = (stack.last(), json)
        && rows.get(*open).is_some_and(|r| r.ty.ty == Type::Array)
        && !shape.knows(&stack_path(rows, stack, deep))
    {
        return deep;
    }
    // A name the table lists again further down, inside a container the
    // sample does not show: the sample's place for it outside that
    // container belongs to the later row.
    // So too inside a container the sample shows, when the sample places
    // the next row in it.
    let next_in_deepest = || {
        json.is_some_and(|shape| {
            rows.get(at + 1).is_some_and(|n| {
                !n.ty.opens_level() && n.ty.ty != Type::Array && shape.has(&stack_path(rows, stack, deep), &n.name)
            })
        })
    };
    let twin_later = deep > 0
        && rows.iter().skip(at + 1).any(|r| r.depth == row.depth && r.name.eq_ignore_ascii_case(&row.name))
        && (json.is_some_and(|shape| !shape.knows(&stack_path(rows, stack, deep))) || next_in_deepest());
    // 1. The sample JSON: the deepest open level that has the name and
    //    that the sibling order allows; else the deepest that has it.
    if let Some(shape) = json {
        let shown: Vec<usize> = (0..=deep)
            .rev()
            .filter(|d| shape.has(&stack_path(rows, stack, *d), &row.name) && !taken(*d))
            .filter(|d| !twin_later || *d == deep)
            .collect();
        if let Some(d) = shown.iter().copied().find(|d| order_allows(*d)) {
            return d;
        }
        if let Some(d) = shown.first() {
            return *d;
        }
    }
    // 2. Alphabetical order: the deepest level where the name can follow
    //    the last sibling; when the order would close the deepest level,
    //    the level of the next row the sample places, if it is open (the
    //    table is not sorted, and the sample lacks this one row). A row
    //    that opens a level is followed by its own members, so it is left
    //    to the order, unless the very next row is one the sample places
    //    at the deepest level: then it has no members here, and stays
    //    beside that row.
    if !order_allows(stack.len())
        && let Some(shape) = json
    {
        let sample_level =
            |r: &FieldRow| (0..=stack.len()).rev().find(|d| shape.has(&stack_path(rows, stack, *d), &r.name));
        let next = if row.ty.ty == Type::Map {
            rows.get(at + 1).and_then(sample_level).filter(|d| *d == deep)
        } else if row.ty.opens_level() || row.ty.ty == Type::Array {
            None
        } else {
            // A name the table lists twice says nothing: the sample's
            // place for it may be the other row's.
            let twice = |r: &FieldRow| rows.iter().filter(|o| o.name.eq_ignore_ascii_case(&r.name)).count() > 1;
            rows.iter().skip(at + 1).take(8).filter(|r| !twice(r)).find_map(sample_level)
        };
        if let Some(d) = next {
            return d;
        }
    }
    // 3. The deepest open container is an object the sample shows exactly:
    //    its object there holds the rows placed in it so far and nothing
    //    else. A row the sample lacks there, followed by a row the sample
    //    places further out, goes out with that row: a sample that shows
    //    every member of an object leaves out none. (The one element a
    //    sample shows of a list is no such proof: elements often leave out
    //    optional members.)
    if deep > 0
        && !row.ty.opens_level()
        && row.ty.ty != Type::Array
        && let Some(shape) = json
        && let Some((open, _)) = stack.last()
        && rows.get(*open).is_some_and(|r| r.ty.ty == Type::Object)
    {
        let path = stack_path(rows, stack, deep);
        let placed: BTreeSet<String> = rows
            .iter()
            .zip(parent)
            .take(at)
            .filter(|(_, p)| **p == Some(*open))
            .map(|(r, _)| r.name.to_ascii_lowercase())
            .collect();
        let next = rows
            .iter()
            .skip(at + 1)
            .take(8)
            .find_map(|r| (0..=deep).rev().find(|d| shape.has(&stack_path(rows, stack, *d), &r.name)));
        if !placed.is_empty()
            && shape.members(&path) == Some(&placed)
            && let Some(d) = next.filter(|d| *d < deep)
        {
            return d;
        }
    }
    // A plain `List` opened because the sample shows members under it
    // takes only the members the sample shows (step 1), never by order.
    let sample_only = |d: usize| {
        d > 0
            && stack.get(d - 1).and_then(|(i, _)| rows.get(*i)).is_some_and(|r| {
                r.ty.ty == Type::Array && r.ty.item.is_none() && !r.ty.item_struct && !r.type_text.trim().contains(' ')
            })
    };
    (0..=stack.len()).rev().find(|d| order_allows(*d) && !sample_only(*d)).unwrap_or(0)
}

fn build(rows: &[FieldRow], parent: &[Option<usize>], of: Option<usize>, depth: usize) -> Vec<Field> {
    let mut out = Vec::new();
    if depth > MAX_NESTING {
        return out;
    }
    for (i, row) in rows.iter().enumerate() {
        if parent.get(i).copied().flatten() != of {
            continue;
        }
        let mut f = leaf(row);
        let children = build(rows, parent, Some(i), depth + 1);
        adopt(&mut f, children);
        out.push(f);
    }
    out
}

// ------------------------------------------------------------------ params

/// Where a request row goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A parameter outside the body.
    Param(Location),
    /// A body member.
    Body,
}

/// Places a row: the Position/Location column when present, else the
/// path placeholders, else the table's context (`in_body`), else query.
pub(crate) fn place(row: &FieldRow, path: &str, in_body: bool, params: &[Param]) -> Place {
    match row.position.as_deref().and_then(words::position) {
        Some(Spot::Param(loc)) => return Place::Param(loc),
        Some(Spot::Body) => return Place::Body,
        None => {}
    }
    if in_placeholders(path, &row.name) {
        // A body member spelt like a placeholder that an earlier row
        // already fills (`instanceId` of the remote cluster beside
        // `[InstanceId]`): the path has its value, so this one is the member.
        if in_body && row.position.is_none() && fills_path(params, &row.name) {
            return Place::Body;
        }
        return Place::Param(Location::Path);
    }
    if in_body {
        return Place::Body;
    }
    Place::Param(Location::Query)
}

/// Whether `params` already has a path parameter named `name` (any case).
pub(crate) fn fills_path(params: &[Param], name: &str) -> bool {
    params.iter().any(|p| p.location == Location::Path && p.name.eq_ignore_ascii_case(name))
}

/// Whether the path has a placeholder `name` (case-insensitive).
pub(crate) fn in_placeholders(path: &str, name: &str) -> bool {
    crate::ir::path_placeholders(path).iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// A param for a row.
pub(crate) fn param(row: &FieldRow, location: Location) -> Param {
    let f = leaf(row);
    Param {
        name: row.name.clone(),
        location,
        ty: row.ty.ty,
        required: row.required || location == Location::Path,
        description: row.description.clone(),
        example: row.example.clone(),
        items: f.items,
        max_items: None,
        fields: Vec::new(),
        rust_name: None,
        line: row.line,
    }
}

/// Builds a body from its members; `is_array` when the page's example
/// shows a list of such objects.
pub(crate) fn body(fields: Vec<Field>, is_array: bool, description: Option<String>, line: u32) -> Body {
    let required = fields.iter().any(|f| f.required);
    if is_array {
        Body {
            kind: BodyKind::Array,
            encoding: Default::default(),
            required: true,
            description,
            fields: Vec::new(),
            items: Some(Box::new(Field { ty: Type::Object, fields, line, ..Field::default() })),
        }
    } else {
        Body { encoding: Default::default(), kind: BodyKind::Object, required, description, fields, items: None }
    }
}

// ------------------------------------------------------------------ errors

/// Reads an error table.
pub(crate) fn errors(cols: &Columns, rows: &[Row]) -> Vec<ErrorCode> {
    let mut out = Vec::new();
    for row in rows {
        let code = cell(row, cols.code).trim_matches('`').trim().to_string();
        if code.is_empty() {
            continue;
        }
        let status = cell(row, cols.status)
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0);
        out.push(ErrorCode {
            status,
            code,
            message: opt(cell(row, cols.message)),
            description: opt(cell(row, cols.description)),
            rust_name: None,
            line: row.line,
        });
    }
    out
}

/// A table of a section with what precedes it.
pub(crate) struct ProseTable<'a> {
    /// Header row.
    pub header: &'a Row,
    /// Body rows.
    pub rows: &'a [Row],
    /// Line of the table.
    pub line: u32,
    /// Paragraphs and sub-headings since the previous table.
    pub prose: String,
    /// The last sub-heading before it, if any.
    pub heading: Option<String>,
}

/// The tables of a block list, with the prose just before each.
pub(crate) fn tables_with_prose(blocks: &[Block]) -> Vec<ProseTable<'_>> {
    let mut out = Vec::new();
    let mut prose = String::new();
    let mut heading = None;
    for b in blocks {
        match b {
            Block::Para { text, .. } => {
                prose.push_str(text);
                prose.push('\n');
            }
            Block::Table { header, rows, line } => {
                out.push(ProseTable {
                    header,
                    rows: rows.as_slice(),
                    line: *line,
                    prose: std::mem::take(&mut prose),
                    heading: heading.clone(),
                });
            }
            Block::Heading { text, .. } => {
                prose.push_str(text);
                prose.push('\n');
                heading = Some(text.clone());
            }
            Block::Code { .. } => {}
        }
    }
    out
}
