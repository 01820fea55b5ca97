#!/usr/bin/env python3
"""Write a consumer `main.rs` that calls every operation of a generated crate.

Usage: mkconsumer.py SDK_SRC_DIR CRATE_NAME PRODUCT > main.rs

Reads `SDK_SRC_DIR/<product>/*.rs` as the generator wrote them (prettyplease
output) and, for every `pub async fn op(&self, request: XRequest)` of
`impl super::Client`, emits `client.op(XRequest::new(...)).await` with a
value for each required argument of `XRequest::new`. Arguments whose type
has its own `pub fn new` (body structs) are built recursively; strings get a
literal, everything else `Default::default()`. Each result is matched so the
response and the error are both used (as a user would).
"""

import os
import re
import sys


def split_top(s):
    """Split on commas that are not inside <>, (), []."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def main():
    src, crate, product = sys.argv[1], sys.argv[2].replace("-", "_"), sys.argv[3]
    pdir = os.path.join(src, product)
    ctors = {}  # type name -> [arg types]
    calls = []  # (method, request type)
    for name in sorted(os.listdir(pdir)):
        if not name.endswith(".rs") or name == "mod.rs":
            continue
        text = open(os.path.join(pdir, name)).read()
        # Constructors: `impl Type {` ... `pub fn new(args) -> Self`, the
        # first `pub fn new` after each inherent impl header.
        for m in re.finditer(r"^impl (\w+) \{\n(.*?)^\}", text, re.S | re.M):
            ty, body = m.group(1), m.group(2)
            n = re.search(r"pub fn new\((.*?)\) -> Self", body, re.S)
            if n:
                args = []
                for a in split_top(" ".join(n.group(1).split())):
                    _, t = a.split(":", 1)
                    args.append(t.strip())
                ctors[ty] = args
        cm = re.search(r"^impl super::Client \{(.*?)^\}", text, re.S | re.M)
        if cm:
            for f in re.finditer(r"pub (?:async )?fn (\w+)\(\s*&self,\s*request: (\w+),?\s*\)", cm.group(1)):
                calls.append((f.group(1), f.group(2)))

    def value(t, depth=0):
        t = t.strip()
        if t == "impl Into<String>":
            return '"x"'
        if t == "String":
            return '"x".to_owned()'
        if t in ctors and depth < 8:
            return f"{t}::new({', '.join(value(a, depth + 1) for a in ctors[t])})"
        return "Default::default()"

    out = [
        "//! Calls every operation once, so the async call path and the serde",
        "//! decode of every response are instantiated as in a real user crate.",
        "#![allow(clippy::all)]",
        f"use {crate}::{product}::*;",
        "",
        "#[tokio::main(flavor = \"current_thread\")]",
        "async fn main() {",
        f"    let config = {crate}::runtime::Config::builder().region(\"cn-hangzhou\").build();",
        "    let client = Client::new(&config);",
        "    let mut ok = 0usize;",
        "    let mut failed = 0usize;",
    ]
    for method, _ in calls:
        out.append(f"    call_{method}(&client, &mut ok, &mut failed).await;")
    out.append("    println!(\"{ok} ok, {failed} failed\");")
    out.append("}")
    for method, req in calls:
        out.append("")
        out.append(f"async fn call_{method}(client: &Client, ok: &mut usize, failed: &mut usize) {{")
        out.append(f"    match client.{method}({value(req)}).await {{")
        out.append("        Ok(r) => { *ok += 1; println!(\"{:?}\", r.meta().request_id); }")
        out.append("        Err(e) => { *failed += 1; eprintln!(\"{e}\"); }")
        out.append("    }")
        out.append("}")
    print("\n".join(out))
    print(f"{len(calls)} operations", file=sys.stderr)


if __name__ == "__main__":
    main()
