//! The type vocabulary of reference pages: `String`, `Integer`, `Long`,
//! `Boolean`, `Float`, `Double`, `Struct`, `Object`, `Map`, `List`,
//! `Array`, `Array of X`, `List<X>`, `Json`, empty, and common typos.

use crate::ir::Type;

/// A type cell, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageType {
    /// The IR type.
    pub ty: Type,
    /// For arrays: the element type when the page names it (`Array of X`,
    /// `List<String>`); `None` when it names a struct (`Array of Result`)
    /// or nothing.
    pub item: Option<Type>,
    /// For arrays: whether the element is a named struct (`Array of Result`),
    /// whose fields are the following rows.
    pub item_struct: bool,
    /// Whether the cell was not understood (the type is then `any`).
    pub unknown: bool,
}

impl PageType {
    fn plain(ty: Type) -> Self {
        PageType { ty, item: None, item_struct: false, unknown: false }
    }

    /// Whether rows following a row of this type may be its children
    /// (a plain `List`/`Array` may be too, when the sample shows objects).
    pub fn opens_level(&self) -> bool {
        matches!(self.ty, Type::Object | Type::Map) || self.item_struct
    }
}

/// Reads a scalar or container name (no `Array of`).
fn simple(word: &str) -> Option<Type> {
    let w: String = word.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let ty = match w.as_str() {
        "string" | "sting" | "strin" | "str" | "text" | "date" | "datetime" => Type::String,
        "integer" | "int" | "int32" | "interger" | "integet" | "short" => Type::Integer,
        "long" | "int64" => Type::Long,
        "float" => Type::Float,
        "double" | "number" => Type::Double,
        "boolean" | "bool" | "boolen" | "booleam" => Type::Boolean,
        "struct" | "structure" | "struts" | "strut" | "object" => Type::Object,
        "map" => Type::Map,
        "list" | "array" => Type::Array,
        "json" | "any" => Type::Any,
        _ => return None,
    };
    Some(ty)
}

/// Reads a type cell. An empty cell is `any` (not unknown).
pub(crate) fn parse_type(cell: &str) -> PageType {
    let t = cell.replace('\\', "");
    let t = t.trim().trim_matches('`').trim();
    if t.is_empty() {
        return PageType::plain(Type::Any);
    }
    if let Some(ty) = simple(t) {
        return PageType::plain(ty);
    }
    // RPC pages type a repeated row (`InstanceId.N`) `RepeatList`: a list
    // of strings, one per row number.
    if t.eq_ignore_ascii_case("repeatlist") {
        return PageType { ty: Type::Array, item: Some(Type::String), item_struct: false, unknown: false };
    }
    let lower = t.to_ascii_lowercase();
    // `Array of X`, `List of X`
    for prefix in ["array of ", "list of "] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let inner = rest.trim();
            return match simple(inner) {
                Some(Type::Object) | Some(Type::Map) => {
                    PageType { ty: Type::Array, item: None, item_struct: true, unknown: false }
                }
                Some(Type::Array) | None => PageType { ty: Type::Array, item: None, item_struct: true, unknown: false },
                Some(scalar) => PageType { ty: Type::Array, item: Some(scalar), item_struct: false, unknown: false },
            };
        }
    }
    // `List<X>`, `Array<X>`, `Map<K, V>`
    if let Some(open) = lower.find('<')
        && lower.ends_with('>')
    {
        let head = lower.get(..open).unwrap_or("").trim();
        let inner = lower.get(open + 1..lower.len().saturating_sub(1)).unwrap_or("").trim();
        match simple(head) {
            Some(Type::Array) => {
                return match simple(inner) {
                    Some(s) if s.is_scalar() => {
                        PageType { ty: Type::Array, item: Some(s), item_struct: false, unknown: false }
                    }
                    _ => PageType { ty: Type::Array, item: None, item_struct: true, unknown: false },
                };
            }
            Some(Type::Map) => return PageType::plain(Type::Map),
            _ => {}
        }
    }
    // `String[]`
    if let Some(inner) = lower.strip_suffix("[]")
        && let Some(s) = simple(inner)
    {
        return PageType { ty: Type::Array, item: Some(s), item_struct: false, unknown: false };
    }
    PageType { ty: Type::Any, item: None, item_struct: false, unknown: true }
}
