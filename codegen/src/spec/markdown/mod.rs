//! Markdown front end: reads one API reference page into an [`Operation`].
//!
//! The page is first repaired line by line (`tables.rs`: rows continued over
//! several lines, one-cell-per-line tables), then parsed with pulldown-cmark
//! into blocks and cut into sections (`sections.rs`). [`read_page`] then runs
//! the visible stages, each a function of its own:
//!
//! 1. sections, by the role their heading gives them (`words.rs`: English
//!    and Chinese headings, columns, positions, required marks);
//! 2. the request tables and the operation name (`name.rs`: `Action` row,
//!    OpenAPI Explorer link, identifier title, file name last);
//! 3. the request line (`request.rs`), or the RPC form `POST /` on pages
//!    that name their operation by `Action` and show no request line;
//! 4. positions: each row goes to the path, query, headers or body
//!    (`place`), RPC rows `Name.N`/`Tag.N.Key` grouped into one parameter;
//! 5. the body (`body.rs`: tables, else JSON examples);
//! 6. the response tree (`response.rs`: tables nested with the sample);
//! 7. errors.
//!
//! Reading never panics; what the reader cannot understand becomes a
//! diagnostic: an error when the operation cannot be built (no request
//! syntax, no parameter table where the path needs one), a warning when the
//! output is degraded but valid (unknown types become `any`, the name comes
//! from the file name).

mod body;
pub(crate) mod json;
mod limits;
mod lower;
mod name;
mod request;
mod response;
mod sections;
mod tables;
mod types;
mod words;

use std::path::Path;

use crate::diag::Diagnostic;
use crate::ir::{Body, Location, Operation, Param, Sample, Source, Type};
use crate::spec::{PageOutcome, sample};

use json::JsonShape;
use lower::{Columns, FieldRow, Place};
use request::{Syntax, Table};
use sections::{Block, Page};
use words::{Role, Spot};

/// The reader's diagnostics for one page.
struct Cx<'a> {
    path: &'a Path,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn warn(&mut self, line: u32, msg: impl Into<String>) {
        self.diags.push(Diagnostic::warning(Source::new(self.path, line), msg.into()));
    }

    fn error(&mut self, line: u32, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(Source::new(self.path, line), msg.into()));
    }

    fn fail(self) -> PageOutcome {
        PageOutcome { operation: None, diagnostics: self.diags }
    }
}

/// Reads one API reference page.
pub fn read_page(path: &Path, text: &str) -> PageOutcome {
    let mut cx = Cx { path, diags: Vec::new() };
    let repaired = tables::repair(text);
    let page = sections::page(sections::blocks(&repaired));
    let title_line = page.title.as_ref().map(|(_, l)| *l).unwrap_or(1);

    let (tables, unread) = request::tables(&page);
    for line in unread {
        cx.warn(line, "a table in a request section has no name column with a type or description column; skipped");
    }
    let rows: Vec<FieldRow> = tables.iter().flat_map(|t| t.rows.iter().cloned()).collect();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let named = name::choose(&page, text, &rows, stem);
    for (line, msg) in named.notes {
        cx.warn(line, msg);
    }
    if named.name.is_empty() {
        cx.error(
            title_line,
            "nothing names the operation: no Action row, OpenAPI Explorer link, identifier title or usable file name",
        );
        return cx.fail();
    }
    let (summary, description) = intro(&page);

    let Some((syntax, rpc)) = syntax(&mut cx, &page, text, &rows, title_line) else { return cx.fail() };
    let Some(placed) = place_rows(&mut cx, &page, &tables, &syntax, rpc, title_line) else { return cx.fail() };
    let Placed { params, body_rows } = placed;

    let examples: Vec<&Block> =
        page.sections.iter().filter(|s| s.role == Role::Examples).flat_map(|s| s.blocks.iter()).collect();
    let body =
        if rpc { None } else { body(&mut cx, &page, &tables, &syntax, &params, body_rows, &examples, title_line) };

    let response_example = response::response_example(&examples);
    let json_sample = response_example.as_deref().and_then(sample::read);
    let xml_sample = examples.iter().find_map(|b| match b {
        Block::Code { text, .. } => response::xml_part(text)
            .and_then(sample::parse_xml)
            .map(|value| Sample::new(response::xml_envelope_removed(value), false)),
        _ => None,
    });
    // The XML sample shows the nesting when there is no JSON one, or when
    // it shows more of the tables' names (the JSON one was written apart).
    let xml_nests = match (&json_sample, &xml_sample) {
        (None, _) => true,
        (Some(j), Some(x)) => response::shows_more_names(&page.sections, &x.value, &j.value),
        (Some(_), None) => false,
    };
    let nesting = if xml_nests { xml_sample.as_ref() } else { json_sample.as_ref() };
    // With no sample response, a typed JSON skeleton under the response
    // heading shows the nesting instead (it is no sample: not kept as one).
    let skeleton = if nesting.is_none() { response::response_skeleton(&page.sections) } else { None };
    let shown = nesting.map(|s| &s.value).or(skeleton.as_ref());
    let mut response =
        response::response_fields(path, &page.sections, shown, xml_nests && skeleton.is_none(), &mut cx.diags);
    let sample = json_sample.or(xml_sample);
    if skeleton.is_some() {
        json::drop_skeleton_examples(&mut response, json::SAMPLE_NOTE, 0);
    }
    let errors = errors(&page);

    let op = Operation {
        name: named.name,
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
    PageOutcome { operation: Some(op), diagnostics: cx.diags }
}

/// Summary and description from the introduction's paragraphs.
fn intro(page: &Page) -> (Option<String>, Option<String>) {
    let paras: Vec<&str> = page
        .intro
        .iter()
        .filter_map(|b| match b {
            Block::Para { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let summary = paras.first().map(|s| s.to_string());
    let description = (paras.len() > 1).then(|| paras.get(1..).unwrap_or(&[]).join("\n\n"));
    (summary, description)
}

/// Whether the page shows an RPC operation: an `Action` row, an RPC
/// OpenAPI Explorer link (`type=RPC`), or a sample request `?Action=`.
fn shows_rpc(text: &str, rows: &[FieldRow]) -> bool {
    rows.iter().any(name::is_action) || text.contains("type=RPC") || text.contains("?Action=")
}

/// The request line; on an RPC page without one, `POST /` (the SDKs send
/// every RPC call so). The flag says the page is RPC.
fn syntax(cx: &mut Cx<'_>, page: &Page, text: &str, rows: &[FieldRow], title_line: u32) -> Option<(Syntax, bool)> {
    let rpc = shows_rpc(text, rows);
    if let Some(s) = request::request_line(page) {
        // An RPC request line (`GET /?Action=X`) still means `POST /`.
        let rpc = rpc && s.path == "/";
        return Some((s, rpc));
    }
    if rpc {
        let syntax = Syntax { method: "POST".into(), path: "/".into(), ..Syntax::default() };
        return Some((syntax, true));
    }
    let syntax_sections: Vec<_> = page.sections.iter().filter(|s| s.role == Role::Syntax).collect();
    let code_line = syntax_sections.iter().flat_map(|s| s.blocks.iter()).find_map(|b| match b {
        Block::Code { line, .. } => Some(*line),
        _ => None,
    });
    let line = code_line.or_else(|| syntax_sections.first().map(|s| s.line)).unwrap_or(title_line);
    let msg = if syntax_sections.is_empty() {
        "no request syntax (`METHOD /path`) found, and no Action row that would make it an RPC call"
    } else {
        "malformed request syntax: expected `METHOD /path`"
    };
    cx.error(line, msg);
    None
}

/// Request rows, placed.
struct Placed {
    params: Vec<Param>,
    body_rows: Vec<FieldRow>,
}

/// Places every request row: the position column, else the path, the
/// request line's query string, the table's heading or prose, else query.
/// RPC pages send everything in the query, without the `Action` row (the
/// operation name), their dotted rows grouped.
fn place_rows(
    cx: &mut Cx<'_>,
    page: &Page,
    tables: &[Table],
    syntax: &Syntax,
    rpc: bool,
    title_line: u32,
) -> Option<Placed> {
    let mut params: Vec<Param> = Vec::new();
    let mut body_rows: Vec<FieldRow> = Vec::new();
    let path = request::bare_placeholders(&syntax.path, tables);
    for t in tables {
        lower::type_warnings(cx.path, &t.rows, "parameter", &mut cx.diags);
        let in_body = t.spot == Some(Spot::Body) || t.body_prose;
        let mut last_param: Option<usize> = None;
        for fr in &t.rows {
            let place = if rpc {
                if name::is_action(fr) {
                    continue;
                }
                Place::Param(Location::Query)
            } else if fr.position.is_none() && syntax.query.contains(&fr.name) {
                Place::Param(Location::Query)
            } else if fr.position.is_none() && syntax.form.contains(&fr.name) {
                Place::Body
            } else if fr.position.is_none()
                && let Some(Spot::Param(loc)) = t.spot
                && !(loc != Location::Path && lower::in_placeholders(&path, &fr.name))
            {
                Place::Param(loc)
            } else {
                lower::place(fr, &path, in_body, &params)
            };
            match place {
                Place::Body => {
                    last_param = None;
                    body_rows.push(fr.clone());
                }
                Place::Param(_) if fr.depth > 0 => {
                    // A member of the previous parameter.
                    if let Some(p) = last_param.and_then(|i| params.get_mut(i)) {
                        let mut item = p.items.take().map(|b| *b).unwrap_or_default();
                        item.ty = Type::Object;
                        item.fields.push(lower::leaf(fr));
                        p.items = Some(Box::new(item));
                    }
                }
                Place::Param(loc) => {
                    if params.iter().any(|p| p.name == fr.name && p.location == loc) {
                        continue;
                    }
                    last_param = Some(params.len());
                    params.push(lower::param(fr, loc));
                }
            }
        }
    }
    if rpc || params.iter().any(|p| p.location == Location::Query && p.name.contains('.')) {
        let limits = limits::stated(&params);
        params = request::group_dotted(params);
        limits::apply(&mut params, &limits);
    }

    // Placeholders the tables do not list.
    let placeholders: Vec<String> = crate::ir::path_placeholders(&path).into_iter().map(str::to_string).collect();
    if !placeholders.is_empty() && tables.is_empty() {
        let line =
            page.sections.iter().find(|s| matches!(s.role, Role::Params(_))).map(|s| s.line).unwrap_or(title_line);
        cx.error(line, format!("no parameter table, but the path has placeholders: {}", placeholders.join(", ")));
        return None;
    }
    for ph in placeholders {
        if !lower::fills_path(&params, &ph) {
            cx.warn(title_line, format!("path placeholder [{ph}] is not in the parameter table; assumed a string"));
            params.push(Param::assumed_path(ph, title_line));
        }
    }
    Some(Placed { params, body_rows })
}

/// The body: its table rows nested (with the example's help), else what a
/// JSON example shows, else opaque JSON when a body section has prose only.
#[allow(clippy::too_many_arguments)]
fn body(
    cx: &mut Cx<'_>,
    page: &Page,
    tables: &[Table],
    syntax: &Syntax,
    params: &[Param],
    body_rows: Vec<FieldRow>,
    examples: &[&Block],
    title_line: u32,
) -> Option<Body> {
    let body_sections: Vec<_> = page.sections.iter().filter(|s| s.role == Role::Body).collect();
    let body_section_line = body_sections.first().map(|s| s.line);
    let body_prose: Vec<String> = body_sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .filter_map(|b| match b {
            Block::Para { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    // JSON examples of the body: the body section's own (its prose or
    // code), else those of a section whose table the prose puts in the body.
    let body_example = body_sections.iter().find_map(|s| body::section_example(&s.blocks)).or_else(|| {
        tables
            .iter()
            .filter(|t| t.body_prose && t.role != Role::Body)
            .find_map(|t| page.sections.get(t.section).and_then(|s| body::section_example(&s.blocks)))
    });
    let body_description = (!body_prose.is_empty()).then(|| body_prose.join("\n\n"));
    let (body_example_text, section_value) = match body_example {
        Some((text, value)) => (Some(text), value),
        None => (None, None),
    };
    // The sample request's JSON, read only when the section has none; GET
    // and HEAD requests carry no body, so JSON in their samples shows
    // parameters. The flag says the value came from the sample request.
    // A body skeleton under the request line counts as the section's own.
    let from_skeleton = section_value.is_none() && syntax.body.is_some();
    let section_value = section_value.or_else(|| syntax.body.clone());
    let example: Option<(serde_json::Value, bool)> = section_value.map(|v| (v, false)).or_else(|| {
        (!matches!(syntax.method.as_str(), "GET" | "HEAD"))
            .then(|| body::sample_request_body(examples))
            .flatten()
            .map(|v| (v, true))
    });
    if !body_rows.is_empty() {
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
                cx.warn(line, msg);
            }
        }
        return Some(body);
    }
    let line = body_section_line.unwrap_or(title_line);
    // No table: an example alone tells the members. The section's example
    // is the body by definition; the sample request's JSON is only taken
    // for what it adds beyond the parameters.
    let mut inferred = example.as_ref().and_then(|(v, from_sample_request)| {
        body::infer(v, body_description.clone(), params, *from_sample_request, line)
    });
    if from_skeleton && let Some(b) = inferred.as_mut() {
        json::drop_skeleton_examples(&mut b.fields, body::NOTE, 0);
        if let Some(item) = b.items.as_deref_mut() {
            item.example = None;
            json::drop_skeleton_examples(&mut item.fields, body::NOTE, 0);
        }
    }
    match inferred {
        Some(b) => Some(b),
        // A body section with prose only: JSON the caller supplies.
        None => body_section_line.map(|_| body::opaque(body_description)),
    }
}

/// The error codes of the error sections.
fn errors(page: &Page) -> Vec<crate::ir::ErrorCode> {
    let mut out = Vec::new();
    for s in page.sections.iter().filter(|s| s.role == Role::Errors) {
        for t in lower::tables_with_prose(&s.blocks) {
            let cols = Columns::of(t.header);
            if cols.is_errors() {
                out.extend(lower::errors(&cols, t.rows));
            }
        }
    }
    out
}
