//! Markdown front end: reads one API reference page into an [`Operation`].
//!
//! The page is first repaired line by line (`tables.rs`: rows continued over
//! several lines, one-cell-per-line tables), then parsed with pulldown-cmark
//! into blocks and cut into sections (`sections.rs`), then lowered into IR
//! (`lower.rs`, with the type vocabulary of `types.rs`). JSON examples of the
//! request body (in the body section, or after the sample request line) give
//! the body when no table does, and check the table when one does
//! (`body.rs`).
//!
//! Reading never panics; what the reader cannot understand becomes a
//! diagnostic: an error when the operation cannot be built (no request
//! syntax, no parameter table where the path needs one), a warning when the
//! output is degraded but valid (unknown types become `any`).

mod body;
mod lower;
mod sections;
mod tables;
mod types;

use std::path::Path;

use crate::diag::Diagnostic;
use crate::ir::{Body, Field, Location, Operation, Param, Sample, Source, Type};
use crate::spec::{PageOutcome, sample};

use lower::{Columns, FieldRow, JsonShape, Place};
use sections::{Block, Section};

/// What a section is about, from its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Syntax,
    Headers,
    Params,
    Body,
    Response,
    Examples,
    Errors,
    Other,
}

fn role(title: &str) -> Role {
    let t: String = title.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
    if t.contains("requestsyntax") || t.contains("requeststructure") {
        Role::Syntax
    } else if t.contains("requestbody") {
        Role::Body
    } else if t.contains("requestheader") {
        Role::Headers
    } else if t.contains("requestparameter") {
        Role::Params
    } else if t.contains("responseparameter") || t.contains("responseelement") || t.contains("responsebody") {
        Role::Response
    } else if t.contains("errorcode") || t == "errors" {
        Role::Errors
    } else if t.contains("example") {
        Role::Examples
    } else {
        Role::Other
    }
}

fn mentions_request_body(prose: &str) -> bool {
    let t: String = prose.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
    t.contains("requestbody")
}

/// The sample success response: the first JSON code block after a line
/// that speaks of a response, else the last JSON code block.
fn response_example(blocks: &[&Block]) -> Option<String> {
    let mut after_label = false;
    let mut last = None;
    for b in blocks {
        match b {
            Block::Para { text, .. } | Block::Heading { text, .. } => {
                let l = text.to_ascii_lowercase();
                if l.contains("response") {
                    after_label = true;
                } else if l.contains("request") {
                    after_label = false;
                }
            }
            Block::Code { text, .. } => {
                let t = text.trim_start();
                if t.starts_with('{') || t.starts_with('[') {
                    if after_label {
                        return Some(text.trim_end().to_string());
                    }
                    last = Some(text.trim_end().to_string());
                }
            }
            Block::Table { .. } => {}
        }
    }
    last
}

/// Reads one API reference page.
pub fn read_page(path: &Path, text: &str) -> PageOutcome {
    let mut diags = Vec::new();
    let repaired = tables::repair(text);
    let page = sections::page(sections::blocks(&repaired));
    let src = |line: u32| Source::new(path, line);

    // Title → name.
    let (name, title_line) = match &page.title {
        Some((t, line)) if !t.is_empty() => (t.split_whitespace().next().unwrap_or("").to_string(), *line),
        _ => {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            diags.push(Diagnostic::warning(src(1), "no title heading; the operation is named after the file"));
            (stem, 1)
        }
    };
    if name.is_empty() {
        diags.push(Diagnostic::error(src(title_line), "no operation name"));
        return PageOutcome { operation: None, diagnostics: diags };
    }

    // Summary and description from the introduction.
    let intro: Vec<&str> = page
        .intro
        .iter()
        .filter_map(|b| match b {
            Block::Para { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let summary = intro.first().map(|s| s.to_string());
    let description = (intro.len() > 1).then(|| intro.get(1..).unwrap_or(&[]).join("\n\n"));

    let by_role = |r: Role| page.sections.iter().filter(move |s| role(&s.title) == r);

    // Request syntax.
    let syntax_sections: Vec<&Section> = by_role(Role::Syntax).collect();
    let syntax = syntax_sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .find_map(|b| match b {
            Block::Code { text, .. } | Block::Para { text, .. } => lower::parse_syntax(text),
            _ => None,
        })
        .or_else(|| {
            // Pages without the heading: any code block before the examples.
            page.intro
                .iter()
                .chain(
                    page.sections
                        .iter()
                        .filter(|s| !matches!(role(&s.title), Role::Examples))
                        .flat_map(|s| s.blocks.iter()),
                )
                .find_map(|b| match b {
                    Block::Code { text, .. } => lower::parse_syntax(text),
                    _ => None,
                })
        });
    let Some(syntax) = syntax else {
        let code_line = syntax_sections.iter().flat_map(|s| s.blocks.iter()).find_map(|b| match b {
            Block::Code { line, .. } => Some(*line),
            _ => None,
        });
        let line = code_line.or_else(|| syntax_sections.first().map(|s| s.line)).unwrap_or(title_line);
        let msg = if syntax_sections.is_empty() {
            "no request syntax (`METHOD /path`) found"
        } else {
            "malformed request syntax: expected `METHOD /path`"
        };
        diags.push(Diagnostic::error(src(line), msg));
        return PageOutcome { operation: None, diagnostics: diags };
    };

    // Request parameters and body members.
    let mut params: Vec<Param> = Vec::new();
    let mut body_rows: Vec<FieldRow> = Vec::new();
    let mut saw_param_table = false;
    let mut body_section_line = None;
    let mut body_prose: Vec<String> = Vec::new();
    let mut body_example: Option<(String, Option<serde_json::Value>)> = None;
    for s in &page.sections {
        let r = role(&s.title);
        if !matches!(r, Role::Params | Role::Body | Role::Headers) {
            continue;
        }
        // The section's blocks are searched for a body example at most once.
        let mut example_searched = false;
        if r == Role::Body {
            example_searched = true;
            body_section_line.get_or_insert(s.line);
            for b in &s.blocks {
                if let Block::Para { text, .. } = b {
                    body_prose.push(text.clone());
                }
            }
            if body_example.is_none() {
                body_example = body::section_example(&s.blocks);
            }
        }
        for (header, rows, _line, prose) in lower::tables_with_prose(&s.blocks) {
            let cols = Columns::of_request(header);
            if !cols.is_fields() {
                continue;
            }
            saw_param_table = true;
            let in_body = r == Role::Body || mentions_request_body(&prose);
            if in_body && body_example.is_none() && !example_searched {
                example_searched = true;
                body_example = body::section_example(&s.blocks);
            }
            let frs = lower::field_rows(&cols, rows);
            lower::type_warnings(path, &frs, "parameter", &mut diags);
            let mut last_param: Option<usize> = None;
            for fr in frs {
                let place = if r == Role::Headers && fr.position.is_none() {
                    Place::Param(Location::Header)
                } else {
                    lower::place(&fr, &syntax.path, in_body, &params)
                };
                match place {
                    Place::Body => {
                        last_param = None;
                        body_rows.push(fr);
                    }
                    Place::Param(_) if fr.depth > 0 => {
                        // A member of the previous parameter.
                        if let Some(p) = last_param.and_then(|i| params.get_mut(i)) {
                            let mut item = p.items.take().map(|b| *b).unwrap_or_default();
                            item.ty = Type::Object;
                            item.fields.push(lower::leaf(&fr));
                            p.items = Some(Box::new(item));
                        }
                    }
                    Place::Param(loc) => {
                        if params.iter().any(|p| p.name == fr.name && p.location == loc) {
                            continue;
                        }
                        last_param = Some(params.len());
                        params.push(lower::param(&fr, loc));
                    }
                }
            }
        }
    }

    // Placeholders the tables do not list.
    let placeholders: Vec<String> =
        crate::ir::path_placeholders(&syntax.path).into_iter().map(str::to_string).collect();
    if !placeholders.is_empty() && !saw_param_table {
        let line = by_role(Role::Params).next().map(|s| s.line).unwrap_or(title_line);
        diags.push(Diagnostic::error(
            src(line),
            format!("no parameter table, but the path has placeholders: {}", placeholders.join(", ")),
        ));
        return PageOutcome { operation: None, diagnostics: diags };
    }
    for ph in placeholders {
        if !lower::fills_path(&params, &ph) {
            diags.push(Diagnostic::warning(
                src(title_line),
                format!("path placeholder [{ph}] is not in the parameter table; assumed a string"),
            ));
            params.push(Param::assumed_path(ph, title_line));
        }
    }

    // Body.
    let examples: Vec<&Block> = by_role(Role::Examples).flat_map(|s| s.blocks.iter()).collect();
    let body_description = (!body_prose.is_empty()).then(|| body_prose.join("\n\n"));
    // JSON examples of the body: the body section's own (its prose or code),
    // then the JSON after the sample request line.
    let (body_example_text, section_value) = match body_example {
        Some((text, value)) => (Some(text), value),
        None => (None, None),
    };
    // The sample request's JSON, read only when the section has none; GET
    // and HEAD requests carry no body, so JSON in their samples shows
    // parameters. The flag says the value came from the sample request.
    let example: Option<(serde_json::Value, bool)> = section_value.map(|v| (v, false)).or_else(|| {
        (!matches!(syntax.method.as_str(), "GET" | "HEAD"))
            .then(|| body::sample_request_body(&examples))
            .flatten()
            .map(|v| (v, true))
    });
    let body: Option<Body> = if !body_rows.is_empty() {
        let example = example.as_ref().map(|(v, _)| v);
        // The section's example decides the kind even when it does not
        // parse (`[` then prose): a body written as a list is a list.
        let is_array = match &body_example_text {
            Some(text) => text.trim_start().starts_with('['),
            None => example.is_some_and(|v| v.is_array()),
        };
        let shape = example.map(JsonShape::from_value);
        let fields = lower::nest(&body_rows, shape.as_ref());
        let line = body_rows.first().map(|r| r.line).unwrap_or(0);
        let mut body = lower::body(fields, is_array, body_description, line);
        if let Some(value) = example {
            for (line, msg) in body::confirm(&mut body, value) {
                diags.push(Diagnostic::warning(src(line), msg));
            }
        }
        Some(body)
    } else {
        let line = body_section_line.unwrap_or(title_line);
        // No table: an example alone tells the members. The section's
        // example is the body by definition; the sample request's JSON is
        // only taken for what it adds beyond the parameters.
        let inferred = example.as_ref().and_then(|(v, from_sample_request)| {
            body::infer(v, body_description.clone(), &params, *from_sample_request, line)
        });
        match inferred {
            Some(b) => Some(b),
            // A body section with prose only: JSON the caller supplies.
            None => body_section_line.map(|_| body::opaque(body_description)),
        }
    };

    // Response.
    let response_example = response_example(&examples);
    let sample = response_example.as_deref().and_then(sample::read).or_else(|| {
        // No JSON sample: an XML one still shows the nesting.
        examples.iter().find_map(|b| match b {
            Block::Code { text, .. } if text.trim_start().starts_with('<') => {
                sample::parse_xml(text).map(|value| Sample { value, verbatim: false })
            }
            _ => None,
        })
    });
    let response = response_fields(path, &page.sections, sample.as_ref().map(|s| &s.value), &mut diags);

    // Errors.
    let mut errors = Vec::new();
    for s in by_role(Role::Errors) {
        for (header, rows, _line, _prose) in lower::tables_with_prose(&s.blocks) {
            let cols = Columns::of(header);
            if cols.is_errors() {
                errors.extend(lower::errors(&cols, rows));
            }
        }
    }

    let op = Operation {
        name,
        summary,
        description,
        method: syntax.method,
        alternative_methods: syntax.alternatives,
        path: syntax.path,
        params,
        body,
        response,
        response_example,
        sample,
        errors,
        rust_name: None,
        source: Source::new(path, title_line),
    };
    PageOutcome { operation: Some(op), diagnostics: diags }
}

/// Builds the response tree from the response tables (the first gives the
/// top level; later ones are placed where their prose or the sample says)
/// and adds what the sample shows beyond the tables.
fn response_fields(
    path: &Path,
    sections: &[Section],
    sample: Option<&serde_json::Value>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Field> {
    let shape0 = sample.map(JsonShape::from_value);
    let mut response: Vec<Field> = Vec::new();
    let mut anchor: Option<String> = None;
    let mut shape: Option<JsonShape> = None;
    let mut first = true;
    for s in sections.iter().filter(|s| role(&s.title) == Role::Response) {
        for (header, rows, _line, prose) in lower::tables_with_prose(&s.blocks) {
            let cols = Columns::of(header);
            if !cols.is_fields() {
                continue;
            }
            let frs = lower::field_rows(&cols, rows);
            if frs.is_empty() {
                continue;
            }
            lower::type_warnings(path, &frs, "response field", diags);
            if first {
                first = false;
                anchor = shape0.as_ref().and_then(|s| lower::sample_anchor(&frs, s));
                shape = match (&shape0, &anchor) {
                    (Some(s), Some(c)) => Some(s.rerooted(c)),
                    (Some(s), None) => Some(s.clone()),
                    _ => None,
                };
                response = lower::nest(&frs, shape.as_ref());
                continue;
            }
            // A later table: under the path its prose names (`Result.x`),
            // else where the sample shows most of its names, else the root.
            let mut candidates = Vec::new();
            lower::container_paths(&response, &mut Vec::new(), &mut candidates, 0);
            let named = dotted_paths(&prose).into_iter().find(|p| candidates.iter().any(|c| c == p));
            let top: Vec<&str> = frs.iter().filter(|r| r.depth == 0).map(|r| r.name.as_str()).collect();
            let target = named.or_else(|| {
                let shape = shape.as_ref()?;
                let mut best: Option<(usize, &Vec<String>)> = None;
                for c in &candidates {
                    let score = shape.score(c, &top);
                    if score > 0 && best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, c));
                    }
                }
                best.map(|(_, c)| c.clone())
            });
            let target = target.unwrap_or_default();
            let sub = shape.as_ref().map(|s| s.below(&target));
            let fields = lower::nest(&frs, sub.as_ref());
            if let Some(map) = lower::field_at(&mut response, &target).filter(|f| f.ty == Type::Map) {
                // The table lists keys of a map: keep the map, document them.
                let keys: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let note = format!("Documented keys: {}.", keys.join(", "));
                map.description = Some(match map.description.take() {
                    Some(d) => format!("{d}\n{note}"),
                    None => note,
                });
                continue;
            }
            if let Some(members) = lower::members_at(&mut response, &target) {
                for f in fields {
                    if !members.iter().any(|m| m.name == f.name) {
                        members.push(f);
                    }
                }
            }
        }
    }
    if let Some(value) = sample {
        match &anchor {
            None => lower::supplement(&mut response, &[value], 0),
            Some(c) => {
                if let Some(members) = lower::members_at(&mut response, &[c.to_ascii_lowercase()]) {
                    lower::supplement(members, &[value], 0);
                }
            }
        }
    }
    response
}

/// Dotted names in prose (`Result.contentCollection`), as lower-case paths.
fn dotted_paths(prose: &str) -> Vec<Vec<String>> {
    prose
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_' || c == '-'))
        .filter(|w| w.contains('.'))
        .map(|w| w.trim_matches('.').split('.').map(|p| p.to_ascii_lowercase()).collect::<Vec<_>>())
        .filter(|p| p.len() > 1 && p.iter().all(|s| !s.is_empty()))
        .collect()
}
