#!/usr/bin/env python3
"""Write a consumer `main.rs` that calls every operation of a client crate.

Usage:
  mkconsumer.py SDK_SRC_DIR CRATE PRODUCT > main.rs           # our generated crate
  mkconsumer.py --single OUT_FILE CRATE PRODUCT > main.rs     # build.rs output (aliyun_sdk.rs)
  mkconsumer.py --ali-acs SRC_DIR ali-acs PRODUCT > main.rs   # ali-acs (SRC_DIR/PRODUCT.rs)

Reads the client's source as its generator wrote it (our crate:
`SDK_SRC_DIR/<product>/*.rs`; build.rs output: one file, product modules
inline; ali-acs: `SRC_DIR/<product>.rs`) and, for every operation method
`fn op(&self, request: XRequest)` (ali-acs: `req: X`), emits
`client.op(XRequest::new(...)).await` with a value for each argument of
`XRequest::new`. Arguments whose type has its own `pub fn new` (body
structs) are built recursively; strings get a literal, integers 0, lists an
empty `Vec`, an enum without `Default` its first variant, everything else
`Default::default()`. Each result is matched so the response and the error
are both used (as a user would): the response's request id is printed.
Prints the number of operations on stderr.
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
    args = sys.argv[1:]
    flavor = "ours"
    if args[0] in ("--single", "--ali-acs"):
        flavor = args.pop(0)[2:]
    src, crate, product = args[0], args[1].replace("-", "_"), args[2]
    if flavor == "single":
        texts = [open(src).read()]
    elif flavor == "ali-acs":
        texts = [open(os.path.join(src, product + ".rs")).read()]
    else:
        pdir = os.path.join(src, product)
        texts = [open(os.path.join(pdir, n)).read() for n in sorted(os.listdir(pdir)) if n.endswith(".rs")]
    arg = "req" if flavor == "ali-acs" else "request"
    ctors = {}  # type name -> [arg types]
    enums = {}  # enum name -> first variant
    request_id = set()  # ali-acs: response structs with a `request_id`
    calls = []  # (method, request type, response type)
    for text in texts:
        # Constructors: the first `pub fn new(args) -> Self` of each
        # inherent impl (any indentation: product modules may be inline).
        for m in re.finditer(r"^( *)impl (\w+) \{\n(.*?)^\1\}", text, re.S | re.M):
            ty, body = m.group(2), m.group(3)
            n = re.search(r"pub fn new\((.*?)\) -> Self", body, re.S)
            if n and ty not in ctors:
                ctors[ty] = [a.split(":", 1)[1].strip() for a in split_top(" ".join(n.group(1).split()))]
        for m in re.finditer(r"^ *pub enum (\w+) \{\s*(?:#\[[^\]]*\]\s*|///[^\n]*\s*)*(\w+)", text, re.M):
            enums[m.group(1)] = m.group(2)
        for m in re.finditer(r"^( *)pub struct (\w+) \{\n(.*?)^\1\}", text, re.S | re.M):
            if re.search(r"pub request_id:", m.group(3)):
                request_id.add(m.group(2))
        for f in re.finditer(
            r"pub (?:async )?fn (\w+)\(\s*&self,\s*" + arg + r": (\w+),?\s*\)\s*->\s*([^{]*)\{", text
        ):
            ret = " ".join(f.group(3).split())
            resp = re.search(r"(?:Call<|crate::Result<)\s*(\w+)", ret)
            if resp:
                calls.append((f.group(1), f.group(2), resp.group(1)))

    def value(t, depth=0):
        t = t.strip()
        into = re.fullmatch(r"impl Into<(.*)>", t)
        if into:
            t = into.group(1).strip()
            if t == "String":
                return '"x"'
        if t == "String":
            return '"x".to_owned()'
        if t in ("i32", "i64", "u32", "u64"):
            return "0" + t
        vec = re.fullmatch(r"Vec<(.*)>", t)
        if vec:
            # `impl Into<Vec<T>>` cannot infer T.
            return f"Vec::<{vec.group(1)}>::new()" if into else "Vec::new()"
        if t in ctors and depth < 8:
            return f"{t}::new({', '.join(value(a, depth + 1) for a in ctors[t])})"
        if t in enums:
            return f"{t}::{enums[t]}"
        return "Default::default()"

    if flavor == "ali-acs":
        prelude = [
            f"use {crate}::{product}::*;",
            "",
            "#[tokio::main(flavor = \"current_thread\")]",
            "async fn main() {",
            f"    let client = Connection::new(Endpoint::CnHangzhou, {crate}::AccessKeySecret::new(\"id\", \"secret\"));",
        ]
        client_ty = "Connection"
    else:
        # Our crates re-export the runtime; a build.rs crate may not.
        lib = os.path.join(src, "lib.rs") if flavor == "ours" else None
        reexport = texts + ([open(lib).read()] if lib and os.path.exists(lib) else [])
        runtime = f"{crate}::runtime" if any("pub use aliyun_runtime as runtime" in t for t in reexport) else "aliyun_runtime"
        prelude = [
            f"use {crate}::{product}::*;",
            "",
            "#[tokio::main(flavor = \"current_thread\")]",
            "async fn main() {",
            f"    let config = {runtime}::Config::builder().region(\"cn-hangzhou\").build();",
            "    let client = Client::new(&config);",
        ]
        client_ty = "Client"
    out = [
        "//! Calls every operation once, so the call path and the response",
        "//! decode of every operation are instantiated as in a real user crate.",
        "#![allow(clippy::all, deprecated)]",
        *prelude,
        "    let mut ok = 0usize;",
        "    let mut failed = 0usize;",
    ]
    for method, _, _ in calls:
        out.append(f"    call_{method}(&client, &mut ok, &mut failed).await;")
    out.append("    println!(\"{ok} ok, {failed} failed\");")
    out.append("}")
    for method, req, resp in calls:
        if flavor != "ali-acs":
            used = 'println!("{:?}", r.meta().request_id);'
        elif resp in request_id:
            used = 'println!("{:?}", r.request_id);'
        else:
            used = "let _ = r;"
        out.append("")
        out.append(f"async fn call_{method}(client: &{client_ty}, ok: &mut usize, failed: &mut usize) {{")
        out.append(f"    match client.{method}({value(req)}).await {{")
        out.append(f"        Ok(r) => {{ *ok += 1; {used} }}")
        out.append("        Err(e) => { *failed += 1; eprintln!(\"{e}\"); }")
        out.append("    }")
        out.append("}")
    print("\n".join(out))
    print(f"{len(calls)} operations", file=sys.stderr)


if __name__ == "__main__":
    main()
