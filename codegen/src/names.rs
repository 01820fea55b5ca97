//! Every Rust identifier the generator emits is decided here.
//!
//! Wire names come in every spelling (`clientToken`, `ClientToken`,
//! `X-Total-Count`, `Tag.N.Key`, `2xxCount`, `type`); Rust wants snake case
//! for functions and fields, Pascal case for types and variants, and no
//! keywords. Keeping all of it in one place means one table test covers it.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};

/// Splits a wire name into lowercase words: on any non-alphanumeric
/// character, between a lowercase letter or digit and an uppercase letter,
/// inside runs of capitals before a lowercase letter (`HTTPServer` →
/// `http`, `server`), and between letters and digits only where a capital
/// follows the digits (`v2Config` → `v2`, `config`).
pub fn words(wire: &str) -> Vec<String> {
    if wire.is_ascii() {
        return ascii_words(wire.as_bytes());
    }
    let mut words = Vec::new();
    for chunk in wire.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = if i > 0 { chars.get(i - 1).copied() } else { None };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) if c.is_uppercase() => {
                    p.is_lowercase() || p.is_numeric() || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
                }
                _ => false,
            };
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            words.push(current);
        }
    }
    words
}

/// [`words`] of an ASCII name, on bytes (the same rules; almost every wire
/// name is ASCII).
fn ascii_words(wire: &[u8]) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in wire.split(|c| !c.is_ascii_alphanumeric()) {
        let mut start = 0;
        for i in 1..chunk.len() {
            let (p, c) = (chunk[i - 1], chunk[i]);
            let boundary = c.is_ascii_uppercase()
                && (p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && chunk.get(i + 1).is_some_and(u8::is_ascii_lowercase)));
            if boundary {
                words.push(lower_ascii(&chunk[start..i]));
                start = i;
            }
        }
        if start < chunk.len() {
            words.push(lower_ascii(&chunk[start..]));
        }
    }
    words
}

fn lower_ascii(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from(b.to_ascii_lowercase())).collect()
}

/// `snake_case` of a wire name; `fallback` when it has no usable characters.
pub fn snake(wire: &str, fallback: &str) -> String {
    let w = words(wire);
    let s = if w.is_empty() { fallback.to_string() } else { w.join("_") };
    legal_start(s, "_")
}

/// `PascalCase` of a wire name; `fallback` when it has no usable characters.
pub fn pascal(wire: &str, fallback: &str) -> String {
    let w = words(wire);
    let s: String = if w.is_empty() {
        fallback.to_string()
    } else {
        w.iter()
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect()
    };
    legal_start(s, "N")
}

/// Identifiers cannot start with a digit; prefix those that do.
fn legal_start(s: String, prefix: &str) -> String {
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) { format!("{prefix}{s}") } else { s }
}

/// Keywords of edition 2024 (strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Turns a computed name into an identifier: keywords become raw
/// identifiers (`r#type`), except those Rust forbids as raw, which get a
/// trailing underscore.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Snake-case identifier for a field, parameter or function.
pub fn field_ident(wire: &str) -> Ident {
    ident(&snake(wire, "value"))
}

/// Pascal-case identifier for a type or variant.
pub fn type_ident(wire: &str) -> Ident {
    ident(&pascal(wire, "Value"))
}

/// Hands out names unique within one scope (the fields of a struct, the
/// types of a file), appending `2`, `3`, ... on collision. Deterministic:
/// the first item to ask keeps the plain name.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// An empty scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// Claims `name`, or the first free `name2`, `name3`, ...
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = 2u32;
        loop {
            let candidate = format!("{name}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_names() {
        let cases: &[(&str, &str, &str)] = &[
            ("clientToken", "client_token", "ClientToken"),
            ("ClientToken", "client_token", "ClientToken"),
            ("X-Total-Count", "x_total_count", "XTotalCount"),
            ("Tag.N.Key", "tag_n_key", "TagNKey"),
            ("InstanceId", "instance_id", "InstanceId"),
            ("HTTPServer", "http_server", "HttpServer"),
            ("esIPWhitelist", "es_ip_whitelist", "EsIpWhitelist"),
            ("2xxCount", "_2xx_count", "N2xxCount"),
            ("v2Config", "v2_config", "V2Config"),
            ("ecs_instance_ids", "ecs_instance_ids", "EcsInstanceIds"),
            ("kibana.port", "kibana_port", "KibanaPort"),
            ("type", "type", "Type"),
            ("***", "value", "Value"),
            ("IPv6", "i_pv6", "IPv6"),
            ("zoneCount", "zone_count", "ZoneCount"),
        ];
        for (wire, s, p) in cases {
            assert_eq!(snake(wire, "value"), *s, "snake of {wire}");
            assert_eq!(pascal(wire, "Value"), *p, "pascal of {wire}");
        }
    }

    #[test]
    fn keywords_become_legal() {
        assert_eq!(field_ident("type").to_string(), "r#type");
        assert_eq!(field_ident("self").to_string(), "self_");
        assert_eq!(type_ident("Self").to_string(), "Self_");
        assert_eq!(field_ident("gen").to_string(), "r#gen");
    }

    #[test]
    fn scope_deduplicates() {
        let mut scope = Scope::with_reserved(&["meta"]);
        assert_eq!(scope.claim("meta".into()), "meta2");
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a2");
        assert_eq!(scope.claim("v2".into()), "v2");
        assert_eq!(scope.claim("v2".into()), "v2_2");
    }
}
