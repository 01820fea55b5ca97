//! Property tests: mutated corpus-like pages, random YAML text and random
//! IR never make the readers or the pipeline panic, and whatever reads and
//! checks cleanly becomes Rust that parses.
//!
//! Case counts are kept small for CI (the whole file runs in seconds in a
//! debug build); raise them with `PROPTEST_CASES=N`.

use std::path::Path;
use std::sync::OnceLock;

use aliyun_codegen::ir::{
    Body, BodyEncoding, BodyKind, ErrorCode, Field, Location, Operation, Param, Product, Style, Type,
};
use aliyun_codegen::stages::emit::EmitOptions;
use aliyun_codegen::stages::{check, render, spec};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

#[path = "../benches/support/mod.rs"]
mod support;

/// The pages mutations start from: the corpus when present, else specs/.
fn pages() -> &'static [String] {
    static PAGES: OnceLock<Vec<String>> = OnceLock::new();
    PAGES.get_or_init(|| {
        // The reader snapshots' pages bring the other forms: Chinese
        // headings and columns, typed JSON skeletons, query strings on the
        // request line, `.N` rows, wrapper rows, code blocks in cells.
        let mut dirs = vec![
            support::workspace_dir().join("specs/elasticsearch"),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages"),
        ];
        if let Some(docs) = support::corpus_docs() {
            dirs.push(docs);
        }
        let pages: Vec<String> = dirs
            .iter()
            .flat_map(|d| support::corpus_pages(d))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        assert!(!pages.is_empty(), "no seed pages");
        pages
    })
}

/// Runs check → emit → format on `op` as the generator would, and asserts
/// the output parses. Pages with errors stop before emitting, as in a run.
fn pipeline(op: Operation) {
    let mut product = Product {
        product: "prop".to_string(),
        version: "2020-01-01".to_string(),
        style: Style::Roa,
        title: None,
        endpoint: None,
        vpc_endpoint: None,
        endpoint_exceptions: Default::default(),
        common_params: Vec::new(),
        traits: Default::default(),
        operations: vec![op],
    };
    if check::check(&mut product).iter().any(|d| d.is_error()) {
        return;
    }
    // Every file the renderer produces parses again as Rust.
    let files = match render::crate_files(std::slice::from_ref(&product), &EmitOptions::default(), None) {
        Ok(files) => files,
        Err(d) => panic!("crate rendering failed: {d:?}"),
    };
    for (path, text) in &files {
        if let Err(e) = syn::parse_file(text) {
            panic!("formatted output does not parse for {}: {e}", path.display());
        }
    }
}

/// Reads a page as a generation run does, then the pipeline when clean.
fn read_and_generate(path: &Path, text: &str) {
    let outcome = spec::read_operation_text(path, text);
    if outcome.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    if let Some(op) = outcome.operation {
        pipeline(op);
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLines(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Insert(usize, String),
    ReplaceCell(usize, String),
    Truncate(usize),
}

/// Text that matters to the Markdown reader: table pipes, headings,
/// fences, escapes, brackets, nbsp, tree markers, types.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        "[|#`\\[\\]\\\\{}*_ \n\u{a0}└:.\\-a-zA-Z0-9]{1,16}",
        prop::sample::select(vec![
            "|",
            "\n",
            "\n\n",
            "```",
            "```\n",
            "## Response parameters\n",
            "## RequestBody\n",
            "|---|---|\n",
            "Array of String",
            "Struct",
            "Map",
            "Sting",
            "[InstanceId]",
            "{Id}",
            "└",
            "\u{a0}",
            "\\*\\*",
            "POST|PUT",
            "GET /a/[X] HTTP/1.1",
            "<br>",
            "-----",
            "===",
            "    indented\n",
            "Integer",
            "Long",
            "Boolean",
            "## 请求参数\n",
            "## 返回数据\n",
            "## Response syntax\n",
            "|名称|类型|位置|是否必选|示例值|描述|\n",
            "是",
            "否",
            "正常返回示例\n",
            "{\n  \"items\": [ { \"name\": \"String\", \"size\": Integer } ]\n}",
            "\"tags\": { \"k\": Boolean },",
            "?Action=Op&Name.1=a&Tag.1.Key=k",
            "?name=[name]&id={Id}",
            "Tag.N.Key",
            "Name.N.Sub.N",
            "Disk.Size",
            "RepeatList",
            "Array of Item",
            "<Root><A><B>1</B></A></Root>",
            "``` |",
        ])
        .prop_map(str::to_string),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 0..4096usize;
    prop_oneof![
        (n.clone(), 1..6usize).prop_map(|(a, k)| Mutation::DeleteLines(a, k)),
        n.clone().prop_map(Mutation::DuplicateLine),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (0..1_000_000usize, noise()).prop_map(|(a, s)| Mutation::Insert(a, s)),
        (n.clone(), noise()).prop_map(|(a, s)| Mutation::ReplaceCell(a, s)),
        (0..1_000_000usize).prop_map(Mutation::Truncate),
    ]
}

/// The nearest char boundary at or below `i % len`.
fn boundary(text: &str, i: usize) -> usize {
    if text.is_empty() {
        return 0;
    }
    let mut i = i % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let len = lines.len().max(1);
        match m {
            Mutation::DeleteLines(a, k) => {
                let a = a % len;
                let end = (a + k).min(lines.len());
                if a < end {
                    lines.drain(a..end);
                }
            }
            Mutation::DuplicateLine(a) => {
                if let Some(line) = lines.get(a % len).cloned() {
                    lines.insert(a % len, line);
                }
            }
            Mutation::SwapLines(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % len, b % len);
                }
            }
            Mutation::ReplaceCell(a, s) => {
                // The a-th table row (mod their count): replace its second cell.
                let rows: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].matches('|').count() >= 3).collect();
                if !rows.is_empty() {
                    let row = rows[a % rows.len()];
                    let cells: Vec<&str> = lines[row].split('|').collect();
                    let mut new = cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
                    new[2] = s.clone();
                    lines[row] = new.join("|");
                }
            }
            Mutation::Insert(at, s) => {
                let at = boundary(&text, *at);
                text.insert_str(at, s);
                continue;
            }
            Mutation::Truncate(at) => {
                let at = boundary(&text, *at);
                text.truncate(at);
                continue;
            }
        }
        text = lines.join("\n");
        text.push('\n');
    }
    text
}

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(256))]

    /// Mutated real pages: the reader never panics; clean ones generate
    /// parseable Rust.
    #[test]
    fn mutated_pages_never_panic(page in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..8)) {
        let pages = pages();
        let text = apply(&pages[page.index(pages.len())], &mutations);
        read_and_generate(Path::new("Mutated.md"), &text);
    }

    /// Arbitrary text, Markdown-flavoured or not, never panics the readers.
    #[test]
    fn random_text_never_panics(text in "(\\PC|\n|\\|){0,400}") {
        let _ = spec::markdown::read_page(Path::new("Random.md"), &text);
        let _ = spec::yaml::read_operation(Path::new("Random.yaml"), &text);
    }

    /// Pages built around the newer forms with random insides: a typed
    /// JSON skeleton under a response heading, a query string on the
    /// request line, Chinese headings and columns, `.N` rows, wrapper rows.
    /// The reader never panics and a page always says why it yields nothing.
    #[test]
    fn new_forms_never_panic(
        skeleton in "[{}\\[\\]\":, a-zA-Z0-9\n]{0,160}",
        query in "[?&=a-zA-Z0-9.\\[\\]{}<>]{0,40}",
        name in "[A-Za-z.N0-9]{1,20}",
        ty in prop::sample::select(vec!["String", "Array of Item", "Array", "List", "", "Struct", "RepeatList", "对象"]),
        sample in "[{}\\[\\]\":, a-zA-Z0-9<>/\n]{0,160}",
    ) {
        let page = format!(
            "# Op\n\n## 请求语法\n\n```\nGET /a/[Id]{query} HTTP/1.1\n```\n\n## 请求参数\n\n\
             |名称|类型|位置|是否必选|示例值|描述|\n|--|--|--|--|--|--|\n|Id|String|Path|是|x|标识。|\n|{name}|{ty}|Query|否|1|说明。|\n\n\
             ## Response syntax\n\n```\n{skeleton}\n```\n\n## 返回数据\n\n|名称|类型|示例值|描述|\n|--|--|--|--|\n\
             |{name}|{ty}| |说明。|\n|Item| | | |\n|Id|String|x|标识。|\n\n## 示例\n\n正常返回示例\n\n```\n{sample}\n```\n"
        );
        read_and_generate(Path::new("NewForms.md"), &page);
    }

    /// YAML-shaped text with random keys and values never panics and never
    /// yields an operation with diagnostics left unsaid.
    #[test]
    fn random_yaml_never_panics(text in yaml_text()) {
        let outcome = spec::read_operation_text(Path::new("Random.yaml"), &text);
        prop_assert!(outcome.operation.is_some() || outcome.diagnostics.iter().any(|d| d.is_error()));
        if let Some(op) = outcome.operation {
            if outcome.diagnostics.iter().all(|d| !d.is_error()) {
                pipeline(op);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Random IR written as YAML reads back as the same operation, and
    /// generates parseable Rust whatever the names.
    #[test]
    fn random_ir_round_trips_and_generates(op in operation()) {
        let text = match serde_yaml::to_string(&op) {
            Ok(text) => text,
            Err(e) => panic!("serialize: {e}"),
        };
        let outcome = spec::yaml::read_operation(Path::new("Random.yaml"), &text);
        let Some(mut read) = outcome.operation else {
            panic!("{text}\ndoes not read back: {:?}", outcome.diagnostics);
        };
        read.source = op.source.clone();
        clear_lines(&mut read);
        prop_assert_eq!(&read, &op);
        pipeline(read);
    }
}

/// Source lines are kept for diagnostics, not compared.
fn clear_lines(op: &mut Operation) {
    fn field(f: &mut Field) {
        f.line = 0;
        f.fields.iter_mut().for_each(field);
        f.items.iter_mut().for_each(|f| field(f));
        f.values.iter_mut().for_each(|f| field(f));
    }
    for p in &mut op.params {
        p.line = 0;
        p.items.iter_mut().for_each(|f| field(f));
    }
    if let Some(b) = &mut op.body {
        b.fields.iter_mut().for_each(field);
        b.items.iter_mut().for_each(|f| field(f));
    }
    op.response.iter_mut().for_each(field);
    op.errors.iter_mut().for_each(|e| e.line = 0);
}

/// Names as pages write them, and worse.
fn wire_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-zA-Z0-9]{0,12}",
        "[a-z][a-zA-Z0-9_]{0,8}",
        prop::sample::select(vec![
            "type",
            "self",
            "Self",
            "super",
            "gen",
            "async",
            "r#try",
            "123",
            "_",
            "a-b",
            "x.y",
            "Client",
            "Request",
            "RequestId",
            "clientToken",
            "ClientToken",
            "Result",
            "Error",
            "Option",
            "Vec",
            "String",
            "中文",
            "",
        ])
        .prop_map(str::to_string),
    ]
}

fn scalar_type() -> impl Strategy<Value = Type> {
    prop::sample::select(vec![
        Type::String,
        Type::Integer,
        Type::Long,
        Type::Float,
        Type::Double,
        Type::Boolean,
        Type::Any,
    ])
}

fn text() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[ -~\n]{0,40}")
}

fn field(depth: u32) -> BoxedStrategy<Field> {
    let leaf = (wire_name(), scalar_type(), any::<bool>(), text(), text()).prop_map(
        |(name, ty, required, description, example)| Field {
            name,
            ty,
            required,
            description,
            example,
            ..Field::default()
        },
    );
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => (wire_name(), prop::collection::vec(field(depth - 1), 0..4))
            .prop_map(|(name, fields)| Field { name, ty: Type::Object, fields, ..Field::default() }),
        1 => (wire_name(), field(depth - 1)).prop_map(|(name, mut item)| {
            item.name.clear();
            Field { name, ty: Type::Array, items: Some(Box::new(item)), ..Field::default() }
        }),
        1 => (wire_name(), field(depth - 1)).prop_map(|(name, mut value)| {
            value.name.clear();
            Field { name, ty: Type::Map, values: Some(Box::new(value)), ..Field::default() }
        }),
    ]
    .boxed()
}

fn param() -> impl Strategy<Value = Param> {
    (
        wire_name(),
        prop::sample::select(vec![Location::Query, Location::Header]),
        scalar_type(),
        any::<bool>(),
        text(),
        text(),
    )
        .prop_map(|(name, location, ty, required, description, example)| Param {
            name,
            location,
            ty,
            required,
            description,
            example,
            items: None,
            max_items: None,
            fields: Vec::new(),
            rust_name: None,
            line: 0,
        })
}

fn body() -> impl Strategy<Value = Option<Body>> {
    prop::option::of(prop_oneof![
        (prop::collection::vec(field(2), 0..5), any::<bool>()).prop_map(|(fields, form)| Body {
            kind: BodyKind::Object,
            encoding: if form { BodyEncoding::Form } else { BodyEncoding::Json },
            required: true,
            description: None,
            fields,
            items: None
        }),
        field(2).prop_map(|mut item| {
            item.name.clear();
            Body {
                kind: BodyKind::Array,
                encoding: BodyEncoding::Json,
                required: false,
                description: None,
                fields: Vec::new(),
                items: Some(Box::new(item)),
            }
        }),
        text().prop_map(|description| Body {
            kind: BodyKind::Opaque,
            encoding: BodyEncoding::Json,
            required: false,
            description,
            fields: Vec::new(),
            items: None
        }),
    ])
}

fn error_code() -> impl Strategy<Value = ErrorCode> {
    (prop::sample::select(vec![0u16, 400, 403, 404, 500, 503]), "[A-Za-z][A-Za-z0-9.]{0,20}", text()).prop_map(
        |(status, code, message)| ErrorCode { status, code, message, description: None, rust_name: None, line: 0 },
    )
}

fn operation() -> impl Strategy<Value = Operation> {
    (
        "[A-Z][a-zA-Z0-9]{0,20}",
        text(),
        prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
        prop::collection::vec(param(), 0..5),
        body(),
        prop::collection::vec(field(3), 0..6),
        prop::collection::vec(error_code(), 0..4),
        prop::option::of(wire_name()),
    )
        .prop_map(|(name, summary, method, params, body, response, errors, segment)| {
            // A path parameter for the placeholder keeps check() happy.
            let mut params = params;
            let path = match segment.filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())) {
                Some(id) => {
                    params.push(Param::assumed_path(id.clone(), 0));
                    format!("/things/[{id}]")
                }
                None => "/things".to_string(),
            };
            Operation {
                name,
                summary,
                description: None,
                method: method.to_string(),
                alternative_methods: Vec::new(),
                path,
                params,
                body,
                response,
                response_example: None,
                sample: None,
                errors,
                rust_name: None,
                source: Default::default(),
            }
        })
}

/// YAML documents mixing the operation keys with random keys and values.
fn yaml_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "name", "method", "path", "params", "body", "response", "errors", "summary", "kind", "fields", "items",
            "values", "type", "in", "required", "status", "code",
        ])
        .prop_map(str::to_string),
        "[a-z]{1,8}",
    ];
    let value = prop_oneof![
        "[A-Za-z0-9/\\[\\]]{0,12}",
        prop::sample::select(vec![
            "",
            "~",
            "null",
            "[]",
            "{}",
            "- a",
            "object",
            "array",
            "string",
            "map",
            "query",
            "path",
            "header",
            "400",
            "-1",
            "99999",
            "true",
            "'quoted'",
            "\"dq\"",
            "&anchor x",
            "*alias",
            "!tag x",
            "|",
            ">",
        ])
        .prop_map(str::to_string),
    ];
    let line = (0..3usize, key, value).prop_map(|(indent, k, v)| format!("{}{k}: {v}", "  ".repeat(indent)));
    prop::collection::vec(prop_oneof![line, "- [a-z]{1,5}: [a-z0-9]{0,5}"], 0..20).prop_map(|lines| lines.join("\n"))
}
