//! Sample responses: JSON (leniently) and XML, read into a JSON value that
//! shows the nesting of the response.

use serde_json::{Map, Value};

use crate::ir::Sample;

/// Reads a JSON sample response once, for every later stage: valid JSON is
/// taken as written (and marked verbatim), else the lenient [`parse`].
pub(crate) fn read(text: &str) -> Option<Sample> {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(value) => Some(Sample::new(value, true)),
        Err(_) => parse(text).map(|value| Sample::new(value, false)),
    }
}

/// Parses a JSON sample; tolerates trailing commas and `...` lines.
pub(crate) fn parse(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return Some(v);
    }
    // Drop ellipsis lines and trailing commas before closers.
    let cleaned: String = t
        .lines()
        .filter(|l| {
            let l = l.trim().trim_end_matches(',');
            l != "..." && l != "…"
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::with_capacity(cleaned.len());
    let chars: Vec<char> = cleaned.chars().collect();
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in chars.iter().copied().enumerate() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        if c == '"' {
            in_str = true;
        }
        if c == ',' {
            let next = chars.iter().skip(i + 1).find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    serde_json::from_str::<Value>(&out).ok()
}

/// Reads a typed JSON skeleton (`"name": "String"`, `"size": Integer`,
/// `"items": [ { ... } ]`) into a JSON value whose leaves have the named
/// types: an empty string for `String`, `0` for integers, `0.5` for fractions,
/// `false` for booleans. Bare words outside strings are read as type names;
/// a leaf that names no type stays a string.
pub(crate) fn skeleton(text: &str) -> Option<Value> {
    let mut quoted = String::with_capacity(text.len() + 16);
    let mut in_str = false;
    let mut escaped = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if matches!(word.as_str(), "true" | "false" | "null") || word.parse::<f64>().is_ok_and(f64::is_finite) {
            out.push_str(word);
        } else {
            out.push('"');
            out.push_str(word);
            out.push('"');
        }
        word.clear();
    };
    for c in text.chars() {
        if in_str {
            quoted.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == '.' || c == '<' || c == '>' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut quoted);
        if c == '"' {
            in_str = true;
        }
        quoted.push(c);
    }
    flush(&mut word, &mut quoted);
    let value = parse(&quoted)?;
    (value.is_object() || value.is_array()).then(|| typed(value, 0))
}

/// Replaces type names at the leaves of a skeleton by values of that type.
fn typed(value: Value, depth: usize) -> Value {
    if depth > 64 {
        return Value::Null;
    }
    match value {
        Value::String(s) => {
            let t = s.trim().to_ascii_lowercase();
            match t.as_str() {
                "integer" | "int" | "long" | "int32" | "int64" => Value::from(0),
                "float" | "double" | "number" => Value::from(0.5),
                "boolean" | "bool" => Value::Bool(false),
                // A type name is no example value.
                "string" | "str" => Value::String(String::new()),
                _ => Value::String(s),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| typed(v, depth + 1)).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, typed(v, depth + 1))).collect()),
        other => other,
    }
}

/// Reads an XML sample into a JSON value: an element with children is an
/// object (repeated children an array), text is a string, number or
/// boolean. Several top-level elements make one object.
pub(crate) fn parse_xml(text: &str) -> Option<Value> {
    let mut p = Xml { s: text.as_bytes(), i: 0, depth: 0 };
    let children = p.children()?;
    if children.is_empty() {
        return None;
    }
    Some(group(children))
}

struct Xml<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

fn group(children: Vec<(String, Value)>) -> Value {
    let mut map: Map<String, Value> = Map::new();
    for (k, v) in children {
        match map.get_mut(&k) {
            Some(Value::Array(items)) => items.push(v),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, v]);
            }
            None => {
                map.insert(k, v);
            }
        }
    }
    Value::Object(map)
}

fn scalar(text: &str) -> Value {
    let t = text.trim();
    match t {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => match t.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(t.to_string()),
        },
    }
}

impl Xml<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn starts_with(&self, pat: &[u8]) -> bool {
        self.s.get(self.i..).is_some_and(|rest| rest.starts_with(pat))
    }

    fn skip_past(&mut self, pat: &[u8]) -> Option<()> {
        while self.i < self.s.len() {
            if self.starts_with(pat) {
                self.i += pat.len();
                return Some(());
            }
            self.i += 1;
        }
        None
    }

    /// Reads elements until a closing tag or the end; `None` on bad input.
    fn children(&mut self) -> Option<Vec<(String, Value)>> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let mut out = Vec::new();
        loop {
            // Text between elements is ignored here.
            while self.peek().is_some_and(|b| b != b'<') {
                self.i += 1;
            }
            if self.peek().is_none() || self.starts_with(b"</") {
                break;
            }
            if self.starts_with(b"<?") {
                self.skip_past(b"?>")?;
                continue;
            }
            if self.starts_with(b"<!--") {
                self.skip_past(b"-->")?;
                continue;
            }
            if self.starts_with(b"<!") {
                self.skip_past(b">")?;
                continue;
            }
            out.push(self.element()?);
        }
        self.depth -= 1;
        Some(out)
    }

    fn element(&mut self) -> Option<(String, Value)> {
        self.i += 1; // '<'
        let start = self.i;
        while self.peek().is_some_and(|b| !b.is_ascii_whitespace() && b != b'>' && b != b'/') {
            self.i += 1;
        }
        let name = String::from_utf8_lossy(self.s.get(start..self.i)?).into_owned();
        if name.is_empty() {
            return None;
        }
        // Attributes are skipped.
        while self.peek().is_some_and(|b| b != b'>') {
            self.i += 1;
        }
        let self_closing = self.i > 0 && self.s.get(self.i - 1) == Some(&b'/');
        self.i += 1; // '>'
        if self_closing {
            return Some((name, Value::Object(Map::new())));
        }
        let text_start = self.i;
        self.skip_ws();
        let value = if self.peek() == Some(b'<') && !self.starts_with(b"</") {
            let children = self.children()?;
            group(children)
        } else {
            while self.peek().is_some_and(|b| b != b'<') {
                self.i += 1;
            }
            scalar(&String::from_utf8_lossy(self.s.get(text_start..self.i)?))
        };
        // Closing tag.
        if self.starts_with(b"</") {
            self.skip_past(b">")?;
        } else {
            return None;
        }
        Some((name, value))
    }
}
