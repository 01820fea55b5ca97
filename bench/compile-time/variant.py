#!/usr/bin/env python3
"""Rewrite a copy of the generated corpus crate to prototype an emitter change.

Usage: variant.py NAME SDK_SRC_DIR   (rewrites the .rs files in place)

Each variant is a cheap, mechanical approximation of what the emitter would
produce; it only has to compile the same way, not to be the final code.

  no-de-with   drop every `deserialize_with = "aliyun_runtime::de::*"`
               (upper bound of "lenient scalars without a per-field wrapper")
  lenient-ty   lenient scalars as types: `Option<String>` fields become
               `Option<Lenient<String>>`-like newtypes defined once in lib.rs
               (shared Deserialize instantiations instead of one per field)
  lib-decode   the call goes through a non-generic per-operation `finish`
               function (send_raw + map_service + decode), so the lib, not
               each consumer, instantiates the serde decode
  no-eq        drop `PartialEq` from every derive
  from-json    response types decode from a `serde_json::Value` through a
               non-generic `FromJson` impl per struct (hand-written, no serde
               derive); `Deserialize` stays, as a thin generic shim that
               deserializes a `Value` and calls it
"""

import os
import re
import sys

LENIENT_LIB = r'''
#[doc(hidden)]
pub mod lenient {
    //! Lenient scalar newtypes (prototype): one Deserialize impl per scalar.
    macro_rules! lenient {
        ($name:ident, $t:ty, $f:path) => {
            #[doc(hidden)]
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct $name(pub Option<$t>);
            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $f(d).map($name)
                }
            }
        };
    }
    lenient!(LString, String, aliyun_runtime::de::string);
    lenient!(LBool, bool, aliyun_runtime::de::bool);
    lenient!(LI64, i64, aliyun_runtime::de::i64);
    lenient!(LI32, i32, aliyun_runtime::de::i32);
    lenient!(LF64, f64, aliyun_runtime::de::f64);
}
'''

LENIENT_TYPES = {"string": ("String", "LString"), "bool": ("bool", "LBool"), "i64": ("i64", "LI64"),
                 "i32": ("i32", "LI32"), "f64": ("f64", "LF64")}


def no_de_with(text):
    return re.sub(r',\s*deserialize_with = "aliyun_runtime::de::\w+"', "", text)


def lenient_ty(text):
    # `#[serde(..., deserialize_with = "aliyun_runtime::de::string")]\n pub x: Option<String>,`
    def field(m):
        attr, kind, rest, ty = m.group(1), m.group(2), m.group(3), m.group(5)
        if kind not in LENIENT_TYPES or ty != f"Option<{LENIENT_TYPES[kind][0]}>":
            return m.group(0)
        new_attr = re.sub(r',\s*deserialize_with = "aliyun_runtime::de::\w+"', "", attr + kind + rest)
        return f"{new_attr}{m.group(4)}crate::lenient::{LENIENT_TYPES[kind][1]},"
    text = re.sub(r"\.and_then\(\|h\| h\.(\w+)\)", r".and_then(|h| h.\1.0)", text)  # paginators
    return re.sub(
        r'(#\[serde\((?:[^\]]*?)deserialize_with = "aliyun_runtime::de::)(\w+)("\s*\)\])(\s*pub \w+: )([^,\n]+),',
        field, text)


def lib_decode(text):
    m = re.search(r"pub async fn (\w+)\(\s*&self,\s*request: (\w+),\s*\) -> Result<\s*(\w+),\s*aliyun_runtime::Error<(\w+)>,?\s*> \{\s*self\.inner\.send\(request\.into_request\(\)\)\.await\s*\}", text)
    if not m:
        return text
    method, req, resp, err = m.groups()
    body = (f"pub async fn {method}(&self, request: {req}) -> Result<{resp}, aliyun_runtime::Error<{err}>> {{\n"
            f"        finish(self.inner.send_raw(request.into_request()).await)\n    }}")
    text = text[:m.start()] + body + text[m.end():]
    text += (f"\nfn finish(raw: Result<aliyun_runtime::RawResponse, aliyun_runtime::Error<aliyun_runtime::ErrorDetails>>)"
             f" -> Result<{resp}, aliyun_runtime::Error<{err}>> {{\n"
             f"    raw.map_err(|e| e.map_service(<{err} as aliyun_runtime::OperationError>::from_details))?.decode()\n}}\n")
    return text


def no_eq(text):
    return text.replace(", PartialEq", "")


FROM_JSON_LIB = r'''
#[doc(hidden)]
pub mod fj {
    //! Decoding from a JSON tree (prototype): non-generic per struct.
    use serde_json::{Map, Value};
    pub type Obj = Map<String, Value>;
    pub trait FromJson: Sized {
        fn from_json(v: Value) -> Result<Self, String>;
    }
    pub fn object(v: Value, ty: &str) -> Result<Obj, String> {
        match v {
            Value::Object(m) => Ok(m),
            Value::Null => Ok(Obj::new()),
            other => Err(format!("{ty}: expected an object, got {other}")),
        }
    }
    pub fn field<T: FromJson + Default>(m: &mut Obj, name: &str) -> Result<T, String> {
        match m.remove(name) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(v) => T::from_json(v).map_err(|e| format!("{name}: {e}")),
        }
    }
    macro_rules! scalar {
        ($t:ty, $f:path) => {
            impl FromJson for $t {
                fn from_json(v: Value) -> Result<Self, String> {
                    $f(v).map_err(|e| e.to_string())?.ok_or_else(|| "null".to_owned())
                }
            }
        };
    }
    scalar!(String, aliyun_runtime::de::string);
    scalar!(bool, aliyun_runtime::de::bool);
    scalar!(i32, aliyun_runtime::de::i32);
    scalar!(i64, aliyun_runtime::de::i64);
    scalar!(f64, aliyun_runtime::de::f64);
    impl FromJson for Value {
        fn from_json(v: Value) -> Result<Self, String> {
            Ok(v)
        }
    }
    impl<T: FromJson> FromJson for Option<T> {
        fn from_json(v: Value) -> Result<Self, String> {
            if v.is_null() { Ok(None) } else { T::from_json(v).map(Some) }
        }
    }
    impl<T: FromJson> FromJson for Vec<T> {
        fn from_json(v: Value) -> Result<Self, String> {
            match v {
                Value::Array(items) => items.into_iter().map(T::from_json).collect(),
                one => Ok(vec![T::from_json(one)?]),
            }
        }
    }
    impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
        fn from_json(v: Value) -> Result<Self, String> {
            object(v, "map")?.into_iter().map(|(k, v)| Ok((k, T::from_json(v)?))).collect()
        }
    }
}
'''


def split_fields(body):
    """Top-level items of a struct body (doc comments removed)."""
    body = "\n".join(l for l in body.split("\n") if not l.strip().startswith("///"))
    out, depth, cur = [], 0, ""
    for ch in body:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def from_json(text):
    def struct(m):
        derive, name, body = m.group(1), m.group(2), m.group(3)
        lines = []
        for item in split_fields(body):
            attr = " ".join(re.findall(r"#\[serde\((.*?)\)\]", " ".join(item.split()), re.S))
            decl = re.sub(r"#\[.*?\]", "", " ".join(item.split()), flags=re.S).strip()
            fm = re.match(r"(?:pub(?:\(\w+\))? )?((?:r#)?\w+): (.*)$", decl)
            if not fm:
                raise SystemExit(f"cannot parse field {item!r} in {name}")
            fname = fm.group(1)
            if re.search(r"\bskip\b", attr):
                lines.append(f"            {fname}: Default::default(),")
                continue
            wire = re.search(r'rename = "([^"]*)"', attr)
            wire = wire.group(1) if wire else fname
            lines.append(f'            {fname}: crate::fj::field(&mut m, "{wire}")?,')
        impl = (f"impl crate::fj::FromJson for {name} {{\n"
                f"    fn from_json(v: serde_json::Value) -> Result<Self, String> {{\n"
                f'        let mut m = crate::fj::object(v, "{name}")?;\n'
                f"        Ok({name} {{\n" + "\n".join(lines) + "\n        })\n    }\n}\n"
                f"impl<'de> serde::Deserialize<'de> for {name} {{\n"
                f"    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n"
                f"        let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;\n"
                f"        <{name} as crate::fj::FromJson>::from_json(v).map_err(<D::Error as serde::de::Error>::custom)\n"
                f"    }}\n}}\n")
        body = re.sub(r"#\[serde\(.*?\)\]\s*", "", body, flags=re.S)
        return derive.replace(", serde::Deserialize", "") + f"pub struct {name} {{{body}\n}}\n" + impl
    return re.sub(r"(#\[derive\([^)]*serde::Deserialize\)\]\n)pub struct (\w+) \{(.*?)\n\}\n",
                  struct, text, flags=re.S)


def main():
    name, src = sys.argv[1], sys.argv[2]
    fns = {"no-de-with": no_de_with, "lenient-ty": lenient_ty, "lib-decode": lib_decode, "no-eq": no_eq, "from-json": from_json}
    steps = [fns[n] for n in name.split("+")]
    for d, _, files in os.walk(src):
        for f in files:
            p = os.path.join(d, f)
            text = open(p).read()
            new = text
            for s in steps:
                new = s(new)
            if "lenient-ty" in name and f == "lib.rs" and d == src:
                new += LENIENT_LIB
            if "from-json" in name and f == "lib.rs" and d == src:
                new += FROM_JSON_LIB
            if new != text:
                open(p, "w").write(new)


if __name__ == "__main__":
    main()
