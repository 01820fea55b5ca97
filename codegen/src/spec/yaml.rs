//! YAML front end: our own spec format, the IR's serde serialization.
//!
//! A `.yaml` operation file holds one [`Operation`] in exactly the shape that
//! `aliyun-codegen dump --yaml` prints, so a page dumped to
//! YAML is a valid spec. The product file (`product.yaml`) holds a
//! [`Product`]; it may list operations inline too.
//!
//! Errors name the file, line and column (`file:line:column`), the key that is wrong (as
//! a path such as `params[0].type`, with the item's name when it has one) and
//! what was expected: the valid keys for an unknown key, the vocabulary for
//! an unknown `type` / `in` / `kind` / `style`, the keys an operation needs
//! when one is missing.
//!
//! Items read from YAML get a best-effort source line (the line of their
//! `name:` or `code:` key) so later diagnostics point into the file.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::ir::{Field, Operation, Product, Source};
use crate::spec::PageOutcome;

/// Reads one operation from a YAML spec.
pub fn read_operation(path: &Path, text: &str) -> PageOutcome {
    match serde_yaml::from_str::<Operation>(text) {
        Ok(mut op) => {
            let lines = LineIndex::new(text);
            attribute_lines(&mut op, &lines, path, 0..lines.len());
            PageOutcome { operation: Some(op), diagnostics: Vec::new() }
        }
        Err(e) => PageOutcome { operation: None, diagnostics: vec![yaml_error(path, text, &e, Top::Operation)] },
    }
}

/// Reads a product file (`product.yaml`): the product keys and, if present,
/// operations written inline.
pub fn read_product(path: &Path, text: &str) -> Result<Product, Diagnostic> {
    let mut product = serde_yaml::from_str::<Product>(text).map_err(|e| yaml_error(path, text, &e, Top::Product))?;
    let lines = LineIndex::new(text);
    let starts = lines.item_starts("operations", product.operations.len());
    for (i, op) in product.operations.iter_mut().enumerate() {
        let start = starts.get(i).copied().unwrap_or(0);
        let end = starts.get(i + 1).copied().unwrap_or(lines.len());
        attribute_lines(op, &lines, path, start..end);
    }
    Ok(product)
}

/// Serializes an operation as a YAML spec that [`read_operation`] reads back
/// to the same IR (source lines aside).
pub fn to_string(op: &Operation) -> Result<String, serde_yaml::Error> {
    serde_yaml::to_string(op)
}

/// The type vocabulary, for messages.
const TYPES: &str = "string, integer, long, float, double, boolean, object, array, map, any";

/// Turns a serde_yaml error into `file:line:column: key: message`.
pub(crate) fn yaml_error(path: &Path, text: &str, e: &serde_yaml::Error, top: Top) -> Diagnostic {
    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we say it our own way.
    let raw = match raw.rfind(" at line ") {
        Some(at) if e.location().is_some() => &raw[..at],
        _ => raw.as_str(),
    };
    let (key_path, message) = split_path(raw);
    let mut out = String::new();
    if let Some(key_path) = key_path {
        out.push_str(key_path);
        if let Some(names) = item_names(text, key_path) {
            out.push_str(&format!(" ({names})"));
        }
        out.push_str(": ");
    }
    out.push_str(&explain(key_path, message, top));
    let line = u32::try_from(line).unwrap_or(0);
    Diagnostic::error(Source::at(path, line, u32::try_from(column).unwrap_or(0)), out)
}

/// What the whole YAML document is, for messages about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Top {
    /// An operation file.
    Operation,
    /// A product file.
    Product,
    /// Anything else (an overrides file).
    Other,
}

/// `Operation` → `an operation: name, method, path, ...`.
fn describe_struct(name: &str, top: Top) -> String {
    match name {
        "Operation" if top == Top::Operation => "one operation: `name`, `method`, `path`, ...".to_string(),
        "Operation" => "an operation".to_string(),
        "Product" => "a product: `product`, `version`, `style`, ...".to_string(),
        "Param" => "a parameter".to_string(),
        "Field" => "a field".to_string(),
        "Body" => "a body".to_string(),
        "ErrorCode" => "an error code".to_string(),
        other => other.to_string(),
    }
}

/// Splits `params[0].type: unknown variant ...` into the key path and the
/// message. serde's messages start with one of a few known phrases, so the
/// first `": "` followed by one of them ends the path.
fn split_path(raw: &str) -> (Option<&str>, &str) {
    const STARTS: [&str; 10] = [
        "unknown field",
        "unknown variant",
        "missing field",
        "invalid type",
        "invalid value",
        "invalid length",
        "duplicate field",
        "duplicate entry",
        "recursion limit",
        "EOF while",
    ];
    let mut from = 0;
    while let Some(i) = raw[from..].find(": ") {
        let at = from + i;
        let rest = &raw[at + 2..];
        if STARTS.iter().any(|s| rest.starts_with(s)) {
            return (Some(&raw[..at]), rest);
        }
        from = at + 2;
    }
    (None, raw)
}

/// Rewrites serde's message into ours: the key that is wrong, what was
/// expected.
fn explain(key_path: Option<&str>, message: &str, top: Top) -> String {
    let last_key = key_path.and_then(|p| p.rsplit('.').next()).unwrap_or("");
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (got, expected) = split_expected(rest);
        let valid = list(expected);
        let mut out = format!("unknown key {got}; valid keys: {valid}");
        if let Some(best) = closest(got.trim_matches('`'), expected) {
            out.push_str(&format!(" (did you mean `{best}`?)"));
        }
        return out;
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (got, expected) = split_expected(rest);
        let (what, expected, hint) = match last_key {
            "type" => ("type", TYPES.to_string(), ""),
            "in" => ("parameter location", list(expected), " (body members go under `body`, not `params`)"),
            "kind" => ("body kind", list(expected), ""),
            "style" => ("style", list(expected), ""),
            _ => ("value", list(expected), ""),
        };
        return format!("unknown {what} {got}; expected one of: {expected}{hint}");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let last = key_path.and_then(|p| p.rsplit('.').next()).unwrap_or("");
        let needs = if key_path.is_none() {
            match top {
                Top::Operation => " (an operation needs `name`, `method` and `path`)",
                Top::Product => " (a product needs `product`, `version` and `style`)",
                Top::Other => "",
            }
        } else if last.starts_with("params[") {
            " (a parameter needs `name`, `in` and `type`)"
        } else if last.starts_with("errors[") {
            " (an error needs `status` and `code`)"
        } else if last.starts_with("operations[") {
            " (an operation needs `name`, `method` and `path`)"
        } else if last == "body" {
            " (a body needs `kind`)"
        } else {
            " (a field needs `type`)"
        };
        return format!("missing key {rest}{needs}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let rest = rest.replace("expected u16", "expected a number (an HTTP status, 400-599)");
        let rest = rest.replace("expected a boolean", "expected true or false");
        let rest = match rest.split_once("expected struct ") {
            Some((before, name)) => format!("{before}expected a mapping ({})", describe_struct(name, top)),
            None => rest,
        };
        return format!("wrong kind of value: {rest}");
    }
    message.to_string()
}

/// `` `x`, expected one of `a`, `b` `` → (`` `x` ``, `` `a`, `b` ``).
fn split_expected(rest: &str) -> (&str, &str) {
    match rest.split_once(", expected ") {
        Some((got, expected)) => (got, expected.strip_prefix("one of ").unwrap_or(expected)),
        None => (rest, ""),
    }
}

/// `` `a`, `b` `` → `a, b`.
fn list(expected: &str) -> String {
    expected.replace('`', "")
}

/// The expected key closest to `got` by edit distance, when close enough to
/// be a typo.
fn closest<'a>(got: &str, expected: &'a str) -> Option<&'a str> {
    expected
        .split(", ")
        .map(|k| k.trim_matches('`'))
        .filter(|k| !k.is_empty())
        .map(|k| (edit_distance(got, k), k))
        .filter(|(d, k)| *d > 0 && *d <= 2 && *d < k.len())
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The `name` (or `code`) of each list item along `key_path`, joined with
/// `>`: `response[0].fields[1]` → `Result > Instances`. `None` when the
/// text does not parse or no item has a name.
fn item_names(text: &str, key_path: &str) -> Option<String> {
    let root: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    let mut value = &root;
    let mut names = Vec::new();
    for segment in key_path.split('.') {
        let (key, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            value = value.get(key)?;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            value = value.get(index.parse::<usize>().ok()?)?;
            let name = value.get("name").or_else(|| value.get("code")).and_then(serde_yaml::Value::as_str);
            if let Some(name) = name {
                names.push(name.to_string());
            }
        }
    }
    if names.is_empty() { None } else { Some(names.join(" > ")) }
}

/// Lines of a YAML text, for best-effort line attribution.
struct LineIndex<'a> {
    lines: Vec<&'a str>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        LineIndex { lines: text.lines().collect() }
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    /// Index of the first line in `range` holding `key: value` (block or
    /// flow style, value possibly quoted).
    fn find(&self, key: &str, value: &str, range: std::ops::Range<usize>) -> Option<usize> {
        let end = range.end.min(self.lines.len());
        (range.start.min(end)..end).find(|&i| has_key_value(self.lines[i], key, value))
    }

    /// The lines of the operation key `key` (a sibling of the `name:` key on
    /// line `name_line`): from its line up to the next line indented no
    /// deeper than the key. Empty when the key is absent.
    fn section(&self, name_line: usize, key: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let end = range.end.min(self.lines.len());
        let indent = self.lines[name_line].find("name").unwrap_or(0);
        let is_key = |line: &str| {
            line.get(indent..).is_some_and(|r| r.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
                && line.get(..indent).is_some_and(|p| p.trim_end_matches([' ', '-']).trim().is_empty())
        };
        let Some(start) = (range.start..end).find(|&i| is_key(self.lines[i])) else { return 0..0 };
        let stop = (start + 1..end)
            .find(|&i| {
                let line = self.lines[i];
                let trimmed = line.trim_start();
                !trimmed.is_empty()
                    && !trimmed.starts_with('#')
                    && line.len() - trimmed.len() <= indent
                    && !trimmed.starts_with("- ")
                    || line.len() - trimmed.len() < indent && !trimmed.is_empty() && !trimmed.starts_with('#')
            })
            .unwrap_or(end);
        start..stop
    }

    /// Index of the line where a top-level `key:` starts.
    fn top_key(&self, key: &str) -> Option<usize> {
        self.lines.iter().position(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
    }

    /// Start lines of the first `count` items (`- `) of the top-level list
    /// `key`: the lines at the list's item indentation that start with `-`.
    fn item_starts(&self, key: &str, count: usize) -> Vec<usize> {
        let Some(at) = self.top_key(key) else { return Vec::new() };
        let mut starts = Vec::new();
        let mut indent = None;
        for (i, line) in self.lines.iter().enumerate().skip(at + 1) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let this = line.len() - trimmed.len();
            if this == 0 && !trimmed.starts_with('-') {
                break;
            }
            if trimmed.starts_with('-') && indent.is_none_or(|n| n == this) {
                indent = Some(this);
                starts.push(i);
            }
        }
        starts.truncate(count);
        starts
    }
}

/// Whether `line` holds `key: value` as a key of a mapping.
fn has_key_value(line: &str, key: &str, value: &str) -> bool {
    let mut rest = line;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].trim_end();
        let after = &rest[i + key.len()..];
        rest = after;
        let starts_key = before.is_empty() || before.ends_with(['-', '{', ',']);
        let Some(v) = after.trim_start().strip_prefix(':') else { continue };
        let v = v.trim_start();
        let v = v.split([',', '}']).next().unwrap_or("").trim_end();
        let v = v.trim_matches(|c| c == '\'' || c == '"');
        if starts_key && v == value {
            return true;
        }
    }
    false
}

/// Sets the operation's line and, best effort, each item's line: the first
/// `name:` / `code:` line naming it, searched in document order inside the
/// operation's `params` / `body` / `response` / `errors` key.
fn attribute_lines(op: &mut Operation, lines: &LineIndex<'_>, path: &Path, range: std::ops::Range<usize>) {
    let op_line = lines.find("name", &op.name, range.clone());
    op.source = Source::new(path, to_line(op_line.unwrap_or(range.start)));
    let section = |key: &str| match op_line {
        Some(at) => lines.section(at, key, range.clone()),
        None => range.clone(),
    };
    let params = section("params");
    let mut cursor = params.start;
    for p in &mut op.params {
        if let Some(i) = lines.find("name", &p.name, cursor..params.end) {
            p.line = to_line(i);
            cursor = i + 1;
        }
    }
    if let Some(body) = &mut op.body {
        let body_range = section("body");
        let mut cursor = body_range.start;
        for f in &mut body.fields {
            attribute_field(f, lines, &mut cursor, body_range.end);
        }
        if let Some(items) = &mut body.items {
            attribute_field(items, lines, &mut cursor, body_range.end);
        }
    }
    let response = section("response");
    let mut cursor = response.start;
    for f in &mut op.response {
        attribute_field(f, lines, &mut cursor, response.end);
    }
    let errors = section("errors");
    let mut cursor = errors.start;
    for e in &mut op.errors {
        if let Some(i) = lines.find("code", &e.code, cursor..errors.end) {
            e.line = to_line(i);
            cursor = i + 1;
        }
    }
}

fn to_line(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(0)
}

fn attribute_field(f: &mut Field, lines: &LineIndex<'_>, cursor: &mut usize, end: usize) {
    if !f.name.is_empty()
        && let Some(i) = lines.find("name", &f.name, *cursor..end)
    {
        f.line = to_line(i);
        *cursor = i + 1;
    }
    for child in &mut f.fields {
        attribute_field(child, lines, cursor, end);
    }
    for inner in [&mut f.items, &mut f.values].into_iter().flatten() {
        if inner.line == 0 {
            inner.line = f.line;
        }
        attribute_field(inner, lines, cursor, end);
    }
}
