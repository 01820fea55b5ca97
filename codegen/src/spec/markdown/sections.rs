//! Blocks and sections: runs pulldown-cmark over the repaired text and cuts
//! the page into its title, introduction and `##` sections (ATX or setext).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::tables::{LINE_BREAK, Repaired};
use super::words::{Role, role};

/// One row of a table: cleaned cell texts and the original line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// Cell texts, Markdown removed, line breaks kept as `\n`.
    pub cells: Vec<String>,
    /// Original 1-based line of the row.
    pub line: u32,
}

/// A block of the page, in document order.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// A heading of `level` (1-6).
    Heading { level: u8, text: String, line: u32 },
    /// A paragraph (or list item text), with its inline code spans kept
    /// apart too: a JSON example is often written as one (`["a","b"]`).
    Para { text: String, code: Vec<String> },
    /// A fenced or indented code block, raw.
    Code { text: String, line: u32 },
    /// A table: header cells and rows.
    Table { header: Row, rows: Vec<Row>, line: u32 },
}

/// A `##` (or deeper) section: its heading and what follows up to the next
/// heading of the same or a higher level.
#[derive(Debug, Clone, Default)]
pub(crate) struct Section {
    /// What the heading says the section is about, read once here
    /// (every reading step asks; the heading text is not needed after).
    pub role: Role,
    /// Heading line.
    pub line: u32,
    /// Blocks of the section (sub-headings included).
    pub blocks: Vec<Block>,
}

/// A page cut into parts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// Title text (the operation name) and its line.
    pub title: Option<(String, u32)>,
    /// Blocks between the title and the first section.
    pub intro: Vec<Block>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

/// Removes a trailing `{#id}` attribute and surrounding space.
fn clean_heading(text: &str) -> String {
    let t = text.trim();
    let t = match (t.rfind("{#"), t.ends_with('}')) {
        (Some(i), true) => t.get(..i).unwrap_or(t),
        _ => t,
    };
    t.trim().to_string()
}

/// Normalises collected inline text: `<br>` markers become newlines, runs of
/// spaces collapse, each line trimmed.
pub(crate) fn tidy(text: &str) -> String {
    // `<br>` spellings become line breaks; most text has none.
    let replaced;
    let text = if text.contains("<br") {
        replaced = text.replace(LINE_BREAK, "\n").replace("<br/>", "\n").replace("<br />", "\n");
        replaced.as_str()
    } else {
        text
    };
    // Each line's words joined by one space; lines without words dropped.
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

enum Open {
    None,
    Heading(u8, String, u32),
    Para(String, Vec<String>),
    Code(String, u32),
    Table { header: Row, rows: Vec<Row>, line: u32, cur: Option<Row>, cell: Option<String>, in_head: bool },
}

/// Parses the repaired text into blocks.
pub(crate) fn blocks(rep: &Repaired) -> Vec<Block> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let parser = Parser::new_ext(&rep.text, opts).into_offset_iter();
    let mut out = Vec::new();
    let mut open = Open::None;
    // Nested list items inside paragraphs: collected as paragraphs.
    for (event, range) in parser {
        let line = rep.line_of_offset(range.start);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Open::Heading(level as u8, String::new(), line);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Open::Heading(level, text, line) = std::mem::replace(&mut open, Open::None) {
                    out.push(Block::Heading { level, text: clean_heading(&tidy(&text)), line });
                }
            }
            Event::Start(Tag::Paragraph) => {
                if matches!(open, Open::None) {
                    open = Open::Para(String::new(), Vec::new());
                }
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                if let Open::Para(text, code) = std::mem::replace(&mut open, Open::None) {
                    let text = tidy(&text);
                    if !text.is_empty() {
                        out.push(Block::Para { text, code });
                    }
                } else if matches!(event, Event::End(TagEnd::Paragraph)) {
                    // Not ours (e.g. nested); leave `open` untouched.
                }
            }
            Event::Start(Tag::Item) => {
                if matches!(open, Open::None) {
                    open = Open::Para(String::new(), Vec::new());
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                open = Open::Code(String::new(), line);
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Open::Code(text, line) = std::mem::replace(&mut open, Open::None) {
                    out.push(Block::Code { text, line });
                }
            }
            Event::Start(Tag::Table(_)) => {
                open = Open::Table {
                    header: Row { cells: Vec::new(), line },
                    rows: Vec::new(),
                    line,
                    cur: None,
                    cell: None,
                    in_head: false,
                };
            }
            Event::End(TagEnd::Table) => {
                if let Open::Table { header, rows, line, .. } = std::mem::replace(&mut open, Open::None) {
                    out.push(Block::Table { header, rows, line });
                }
            }
            Event::Start(Tag::TableHead) => {
                if let Open::Table { in_head, .. } = &mut open {
                    *in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Open::Table { in_head, .. } = &mut open {
                    *in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Open::Table { cur, .. } = &mut open {
                    *cur = Some(Row { cells: Vec::new(), line });
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Open::Table { cur, rows, .. } = &mut open
                    && let Some(row) = cur.take()
                {
                    rows.push(row);
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Open::Table { cell, .. } = &mut open {
                    *cell = Some(String::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Open::Table { cell, cur, header, in_head, .. } = &mut open
                    && let Some(text) = cell.take()
                {
                    let text = tidy(&text);
                    if *in_head {
                        header.cells.push(text);
                    } else if let Some(row) = cur.as_mut() {
                        row.cells.push(text);
                    }
                }
            }
            Event::Text(t) => push_text(&mut open, &t),
            Event::Code(t) => {
                if let Open::Para(_, code) = &mut open {
                    code.push(t.to_string());
                }
                push_text(&mut open, &t);
            }
            Event::InlineHtml(t) | Event::Html(t) => {
                let lower = t.to_ascii_lowercase();
                if lower.starts_with("<br") {
                    push_text(&mut open, "\n");
                } else if matches!(open, Open::Code(..)) {
                    push_text(&mut open, &t);
                }
            }
            Event::SoftBreak => push_text(&mut open, " "),
            Event::HardBreak => push_text(&mut open, "\n"),
            _ => {}
        }
    }
    out
}

fn push_text(open: &mut Open, t: &str) {
    match open {
        Open::Heading(_, s, _) | Open::Para(s, _) | Open::Code(s, _) => s.push_str(t),
        Open::Table { cell: Some(s), .. } => s.push_str(t),
        Open::Table { .. } | Open::None => {}
    }
}

/// Cuts blocks into title, introduction and sections. The title is the first
/// level-1 heading (or the first heading); sections start at level-2 headings
/// (or, on pages whose sections are all deeper, at the shallowest level after
/// the title).
pub(crate) fn page(blocks: Vec<Block>) -> Page {
    let mut page = Page::default();
    let title_idx = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 1, .. }))
        .or_else(|| blocks.iter().position(|b| matches!(b, Block::Heading { .. })));
    let section_level = blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != title_idx)
        .filter_map(|(_, b)| match b {
            Block::Heading { level, .. } if *level >= 2 => Some(*level),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let mut current: Option<Section> = None;
    for (i, b) in blocks.into_iter().enumerate() {
        if Some(i) == title_idx {
            if let Block::Heading { text, line, .. } = b {
                page.title = Some((text, line));
            }
            continue;
        }
        match b {
            Block::Heading { level, text, line } if level <= section_level => {
                if let Some(s) = current.take() {
                    page.sections.push(s);
                }
                current = Some(Section { role: role(&text), line, blocks: Vec::new() });
            }
            other => match current.as_mut() {
                Some(s) => s.blocks.push(other),
                None => page.intro.push(other),
            },
        }
    }
    if let Some(s) = current.take() {
        page.sections.push(s);
    }
    page
}
