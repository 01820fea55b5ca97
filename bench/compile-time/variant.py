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


def main():
    name, src = sys.argv[1], sys.argv[2]
    fns = {"no-de-with": no_de_with, "lenient-ty": lenient_ty, "lib-decode": lib_decode, "no-eq": no_eq}
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
            if new != text:
                open(p, "w").write(new)


if __name__ == "__main__":
    main()
