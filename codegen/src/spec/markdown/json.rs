//! What a JSON sample says about fields, in one place: the shape of a
//! sample (which names sit under which parent, [`JsonShape`]), the field a
//! set of sample values describes ([`field`]: types, members, maps, lists),
//! the members a sample adds to a table's tree ([`supplement`]) and the
//! XML-derived wrappers it restores ([`rewrap`]). Request bodies inferred
//! from examples (`body.rs`) and response trees (`response.rs`) both read
//! samples through here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::{Field, Type};

/// Description of response members known only from the sample response.
pub(crate) const SAMPLE_NOTE: &str = "Shown in the sample response only.";

/// How deep inference goes; deeper values become `any`. Samples are
/// small; the bound only keeps hostile input from recursing without end.
const MAX_DEPTH: usize = 32;

/// Names seen in a sample JSON, by the path of names of their parent
/// (array elements add no segment); the root is the empty path.
#[derive(Debug, Default, Clone)]
pub(crate) struct JsonShape {
    children: BTreeMap<Vec<String>, BTreeSet<String>>,
}

impl JsonShape {
    fn walk(&mut self, v: &Value, path: &mut Vec<String>, depth: usize) {
        if depth > 64 {
            return;
        }
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    self.children.entry(path.clone()).or_default().insert(k.to_ascii_lowercase());
                    path.push(k.to_ascii_lowercase());
                    self.walk(child, path, depth + 1);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.walk(item, path, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Reads a parsed sample.
    pub(crate) fn from_value(value: &Value) -> JsonShape {
        let mut shape = JsonShape::default();
        shape.walk(value, &mut Vec::new(), 0);
        shape
    }

    /// The part of the sample below `prefix`, re-based at the root.
    pub(crate) fn below(&self, prefix: &[String]) -> JsonShape {
        let children = self
            .children
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|rest| (rest.to_vec(), v.clone())))
            .collect();
        JsonShape { children }
    }

    /// How many of `names` appear under `parent`.
    pub(crate) fn score(&self, parent: &[String], names: &[&str]) -> usize {
        names.iter().filter(|n| self.has(parent, n)).count()
    }

    /// Re-roots the sample under `prefix` (the sample shows the contents of
    /// a wrapper object, not the wrapper).
    pub(crate) fn rerooted(&self, prefix: &str) -> JsonShape {
        let prefix = prefix.to_ascii_lowercase();
        let children = self
            .children
            .iter()
            .map(|(k, v)| {
                let mut path = vec![prefix.clone()];
                path.extend(k.iter().cloned());
                (path, v.clone())
            })
            .collect();
        JsonShape { children }
    }

    /// The sample read with a level `element` inside every object named
    /// `wrapper` that shows other members instead (the sample leaves out
    /// a wrapper level the table has): those members move one level down.
    pub(crate) fn with_level(&self, wrapper: &str, element: &str) -> JsonShape {
        let (wrapper, element) = (wrapper.to_ascii_lowercase(), element.to_ascii_lowercase());
        let lacks = |path: &Vec<String>| {
            path.last() == Some(&wrapper) && self.children.get(path).is_some_and(|kids| !kids.contains(&element))
        };
        let roots: Vec<Vec<String>> = self.children.keys().filter(|p| lacks(p)).cloned().collect();
        if roots.is_empty() {
            return self.clone();
        }
        let mut children = BTreeMap::new();
        for (path, kids) in &self.children {
            let mut moved = path.clone();
            if let Some(root) = roots.iter().filter(|r| path.starts_with(r)).max_by_key(|r| r.len()) {
                moved.insert(root.len(), element.clone());
                if path == root {
                    children.insert(path.clone(), BTreeSet::from([element.clone()]));
                }
            }
            children.entry(moved).or_insert_with(BTreeSet::new).extend(kids.iter().cloned());
        }
        JsonShape { children }
    }

    /// Whether `name` appears as a member under `parent`.
    pub(crate) fn has(&self, parent: &[String], name: &str) -> bool {
        self.children.get(parent).is_some_and(|s| s.contains(&name.to_ascii_lowercase()))
    }

    /// Whether `name` appears under `parent` when the sample may hold one
    /// wrapper level after each of `parent`'s names that the table leaves
    /// out (`Tags` of the table is `Tags` → `Tag` in an XML-derived sample).
    pub(crate) fn shows_under(&self, parent: &[String], name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.children.iter().any(|(path, kids)| kids.contains(&name) && loosely_equal(path, parent))
    }

    /// Whether the object at `parent` is known, with the wrapper levels
    /// [`JsonShape::shows_under`] allows.
    pub(crate) fn knows_loosely(&self, parent: &[String]) -> bool {
        self.children.keys().any(|path| loosely_equal(path, parent))
    }

    /// Whether some object named `name` in the sample holds `member` alone.
    pub(crate) fn wraps(&self, name: &str, member: &str) -> bool {
        let (name, member) = (name.to_ascii_lowercase(), member.to_ascii_lowercase());
        self.children
            .iter()
            .any(|(path, kids)| path.last() == Some(&name) && kids.len() == 1 && kids.iter().next() == Some(&member))
    }

    /// The names the sample shows under `parent` (lower case).
    pub(crate) fn members(&self, parent: &[String]) -> Option<&BTreeSet<String>> {
        self.children.get(parent)
    }

    /// Whether the object at `parent` is known (appears in the sample).
    pub(crate) fn knows(&self, parent: &[String]) -> bool {
        self.children.contains_key(parent)
    }
}

/// Whether the sample path `path` is `parent` with at most one extra
/// (wrapper) segment after each of its names.
fn loosely_equal(path: &[String], parent: &[String]) -> bool {
    let mut at = 0;
    for (i, name) in parent.iter().enumerate() {
        if path.get(at) != Some(name) {
            return false;
        }
        at += 1;
        // A wrapper level, unless the next name follows right away.
        if path.get(at).is_some_and(|p| parent.get(i + 1) != Some(p)) {
            at += 1;
        }
    }
    at == path.len()
}

/// Whether an object key looks like a member name rather than a map key:
/// member names are identifier-like (`esAdminPassword`, `_meta`,
/// `api-key`); keys with dots, spaces, slashes or a leading digit
/// (`thread_pool.bulk.queue_size`, `i18n.locale`, `0`) are data.
pub(crate) fn member_like(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
}

/// A field describing every value of `values` (the same member across
/// array elements, say): their common type, members merged in order of
/// first appearance. Disagreeing or missing values give `any`. Members get
/// `note` as their description.
pub(crate) fn field(name: &str, values: &[&Value], line: u32, depth: usize, note: &str) -> Field {
    let mut f = Field {
        name: name.to_string(),
        description: (!name.is_empty()).then(|| note.to_string()),
        line,
        ..Field::default()
    };
    let present: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    if depth > MAX_DEPTH || present.is_empty() {
        return f;
    }
    if present.iter().all(|v| v.is_string()) {
        f.ty = Type::String;
    } else if present.iter().all(|v| v.is_boolean()) {
        f.ty = Type::Boolean;
    } else if present.iter().all(|v| v.is_number()) {
        // One example cannot bound a number: integers become 64-bit.
        f.ty = if present.iter().all(|v| v.is_i64() || v.is_u64()) { Type::Long } else { Type::Double };
    } else if present.iter().all(|v| v.is_object()) {
        let objects: Vec<&serde_json::Map<String, Value>> = present.iter().filter_map(|v| v.as_object()).collect();
        let mut keys: Vec<&String> = Vec::new();
        for o in &objects {
            for k in o.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        if keys.is_empty() {
            // `{}` shows that an object goes here, not what it holds.
            return f;
        }
        if keys.iter().all(|k| member_like(k)) {
            f.ty = Type::Object;
            f.fields = keys
                .into_iter()
                .map(|k| {
                    let vs: Vec<&Value> = objects.iter().filter_map(|o| o.get(k.as_str())).collect();
                    field(k, &vs, line, depth + 1, note)
                })
                .collect();
        } else {
            // Keys that are data (`thread_pool.bulk.queue_size`): a map.
            // Its scalar values stay `any`: other keys of the same map
            // may well take other types than the one the example shows.
            f.ty = Type::Map;
            let vs: Vec<&Value> = objects.iter().flat_map(|o| o.values()).collect();
            let mut value = field("", &vs, line, depth + 1, note);
            if value.ty.is_scalar() {
                value = Field { line, ..Field::default() };
            }
            f.values = Some(Box::new(value));
        }
    } else if present.iter().all(|v| v.is_array()) {
        f.ty = Type::Array;
        let elements: Vec<&Value> = present.iter().filter_map(|v| v.as_array()).flatten().collect();
        f.items = Some(Box::new(field("", &elements, line, depth + 1, note)));
    }
    if f.ty.is_scalar() {
        f.example = present
            .first()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .filter(|e| !e.is_empty());
    }
    f
}

/// Adds to `fields` what the sample objects `values` show and the tables
/// do not list, with types read from the sample's values. New members are
/// added only where the sample agrees with the table (it shows at least
/// three quarters of the members the table lists there).
pub(crate) fn supplement(fields: &mut Vec<Field>, values: &[&Value], depth: usize) {
    if depth > 32 {
        return;
    }
    let objects: Vec<&serde_json::Map<String, Value>> = values.iter().filter_map(|v| v.as_object()).collect();
    if objects.is_empty() {
        return;
    }
    let shown = |name: &str| objects.iter().any(|o| o.keys().any(|k| k.eq_ignore_ascii_case(name)));
    let agreeing = fields.iter().filter(|f| shown(&f.name)).count();
    let agrees = agreeing * 4 >= fields.len() * 3;
    for obj in &objects {
        for (k, v) in obj.iter() {
            match fields.iter_mut().find(|f| f.name.eq_ignore_ascii_case(k)) {
                Some(f) => match (f.ty, v) {
                    (Type::Object, Value::Object(_)) => supplement(&mut f.fields, &[v], depth + 1),
                    (Type::Array, Value::Array(items)) => {
                        if let Some(inner) = f.items.as_deref_mut()
                            && inner.ty == Type::Object
                        {
                            let items: Vec<&Value> = items.iter().collect();
                            supplement(&mut inner.fields, &items, depth + 1);
                        }
                    }
                    _ => {}
                },
                None if agrees => fields.push(field(k, &[v], 0, depth, SAMPLE_NOTE)),
                None => {}
            }
        }
    }
}

/// Restores XML-derived wrappers the tables leave out: a container whose
/// sample object holds one key `k` alone, an array, while the table lists
/// other members (or none) is the object holding the array `k`, whose items
/// are the members the table lists (or what the sample's items show).
///
/// A sample read from XML cannot tell one element from a list of one: there
/// (`xml`) the key may hold an object, taken as the list's one item. Under
/// a field the table calls a list, the key may hold one scalar the same way.
pub(crate) fn rewrap(fields: &mut [Field], values: &[&Value], xml: bool, depth: usize) {
    if depth > 32 {
        return;
    }
    for f in fields.iter_mut() {
        let vs: Vec<&Value> = values
            .iter()
            .filter_map(|v| v.as_object())
            .filter_map(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(&f.name)).map(|(_, v)| v))
            .collect();
        if vs.is_empty() {
            continue;
        }
        if let Some((key, items)) = wrapped_list(f, &vs, xml) {
            // A list of scalars keeps the element type the table gives.
            let scalar_item = f.items.take().filter(|i| i.ty != Type::Object && i.ty != Type::Any);
            let members = std::mem::take(match f.ty {
                Type::Array => match f.items.as_deref_mut() {
                    Some(i) => &mut i.fields,
                    None => &mut f.fields,
                },
                _ => &mut f.fields,
            });
            let line = f.line;
            let item = if let Some(i) = scalar_item {
                *i
            } else if members.is_empty() {
                field("", &items, line, depth + 1, SAMPLE_NOTE)
            } else {
                Field { ty: Type::Object, fields: members, line, ..Field::default() }
            };
            let list = Field { name: key, ty: Type::Array, items: Some(Box::new(item)), line, ..Field::default() };
            f.ty = Type::Object;
            f.items = None;
            f.values = None;
            f.fields = vec![list];
        }
        let inner: Vec<&Value> = vs
            .iter()
            .flat_map(|v| match v {
                Value::Array(items) => items.iter().collect::<Vec<_>>(),
                other => vec![*other],
            })
            .collect();
        match f.ty {
            Type::Object => rewrap(&mut f.fields, &inner, xml, depth + 1),
            Type::Array => {
                if let Some(i) = f.items.as_deref_mut() {
                    rewrap(&mut i.fields, &inner, xml, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// When the sample objects `vs` of field `f` each hold one and the same key
/// alone, an array, that the table does not list under `f`: that key and
/// the array's items. Some member the table lists, if any, must show up in
/// those items (or the items be empty).
fn wrapped_list<'v>(f: &Field, vs: &[&'v Value], xml: bool) -> Option<(String, Vec<&'v Value>)> {
    if !matches!(f.ty, Type::Object | Type::Array | Type::Any) {
        return None;
    }
    let mut key: Option<&String> = None;
    let mut items = Vec::new();
    for v in vs {
        let o = v.as_object()?;
        let (k, inner) = o.iter().next().filter(|_| o.len() == 1)?;
        if key.is_some_and(|prev| prev != k) {
            return None;
        }
        key = Some(k);
        match inner {
            Value::Array(list) => items.extend(list.iter()),
            Value::Object(_) if xml => items.push(inner),
            // A list the table documents, its one element written bare.
            Value::String(_) | Value::Number(_) | Value::Bool(_) if f.ty == Type::Array => items.push(inner),
            _ => return None,
        }
    }
    let key = key?;
    let members: &[Field] = match f.ty {
        Type::Array => match f.items.as_deref() {
            Some(i) if i.ty == Type::Object => &i.fields,
            // A list of scalars: the sample's items must be scalars too.
            Some(i) if i.ty != Type::Any && items.iter().any(|v| v.is_object() || v.is_array()) => return None,
            _ => &[],
        },
        _ => &f.fields,
    };
    if members.iter().any(|m| m.name.eq_ignore_ascii_case(key)) {
        return None;
    }
    if !members.is_empty() && !items.is_empty() {
        let shown = |name: &str| {
            items.iter().filter_map(|i| i.as_object()).any(|o| o.keys().any(|k| k.eq_ignore_ascii_case(name)))
        };
        if !members.iter().any(|m| shown(&m.name)) {
            return None;
        }
    }
    Some((key.clone(), items))
}

/// Drops the examples of fields a skeleton described (their values only
/// stand for types): those described by `note`, at any depth.
pub(crate) fn drop_skeleton_examples(fields: &mut [Field], note: &str, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for f in fields {
        if f.description.as_deref() == Some(note) {
            f.example = None;
        }
        drop_skeleton_examples(&mut f.fields, note, depth + 1);
        for inner in [f.items.as_deref_mut(), f.values.as_deref_mut()].into_iter().flatten() {
            if inner.name.is_empty() {
                inner.example = None;
            }
            drop_skeleton_examples(&mut inner.fields, note, depth + 1);
        }
    }
}
