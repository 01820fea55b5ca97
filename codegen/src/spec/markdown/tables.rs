//! Table repair: turns the broken GFM tables of real pages into tables
//! pulldown-cmark understands, keeping a map back to the original lines.
//!
//! Repairs done here, line by line and outside code blocks:
//! - a row whose last cell continues over several lines (a list inside a
//!   Description cell) is re-joined into one line, the line breaks kept as
//!   `<br>` so the cell text keeps them;
//! - tables written one cell per line, blank lines between cells (header
//!   cells included), are re-joined the same way;
//! - blank lines between the rows of one table are dropped;
//! - non-breaking spaces are turned into plain spaces.

/// Marker put between the lines of a re-joined cell; read back as `\n`.
pub(crate) const LINE_BREAK: &str = "<br>";

/// The repaired text and, for each of its lines, the 1-based line of the
/// original text it starts on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Repaired {
    /// Text with tables repaired, lines joined with `\n`.
    pub text: String,
    /// `line_map[i]` is the original line of repaired line `i`.
    pub line_map: Vec<u32>,
    /// Byte offset where each repaired line starts.
    pub line_starts: Vec<usize>,
}

impl Repaired {
    /// The original 1-based line of a byte offset in the repaired text.
    pub fn line_of_offset(&self, offset: usize) -> u32 {
        // Index of the repaired line holding `offset`.
        let idx = self.line_starts.partition_point(|start| *start <= offset).saturating_sub(1);
        self.line_map.get(idx).copied().or_else(|| self.line_map.last().copied()).unwrap_or(0)
    }
}

fn fence_marker(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    if t.starts_with("```") {
        Some("```")
    } else if t.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

fn is_table_line(line: &str) -> bool {
    let t = line.trim_start();
    line.len() - t.len() <= 3 && t.starts_with('|')
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Whether the (trimmed) row text ends with a pipe that is not escaped.
fn ends_with_pipe(row: &str) -> bool {
    let t = row.trim_end();
    if !t.ends_with('|') {
        return false;
    }
    let before = t.strip_suffix('|').unwrap_or(t);
    let backslashes = before.chars().rev().take_while(|c| *c == '\\').count();
    backslashes % 2 == 0
}

/// Splits a row into its cells on unescaped pipes outside code spans.
/// Cells keep their text as written (escapes included); a blank last cell
/// (what follows the closing pipe) is dropped.
pub(crate) fn split_cells(row: &str) -> Vec<&str> {
    let t = row.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    let mut in_code = false;
    // Bytes, not chars: every mark is ASCII, and the bytes of a multi-byte
    // character are never ASCII (an escaped one only skips its first byte).
    for (i, b) in t.bytes().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'`' => in_code = !in_code,
            b'|' if !in_code => {
                cells.push(&t[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = &t[start..];
    if !last.trim().is_empty() {
        cells.push(last);
    }
    cells
}

/// Whether a row is a delimiter row (`|---|:--:|`).
pub(crate) fn is_delimiter_row(row: &str) -> bool {
    // Most rows are not: anything but pipes, dashes, colons and spaces
    // says so without splitting the row.
    if !row.chars().all(|c| matches!(c, '|' | '-' | ':') || c.is_whitespace()) {
        return false;
    }
    let cells = split_cells(row);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

fn skip_blank(lines: &[&str], mut j: usize) -> usize {
    while lines.get(j).is_some_and(|l| is_blank(l)) {
        j += 1;
    }
    j
}

fn is_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
}

/// When a fence at line `j` opens inside the last cell of `row`, the line
/// of the closing fence. It is inside when the row has no closing pipe,
/// the fence is indented like the cell's other continuation lines, and
/// after it the table goes on (a lone closing `|`, or the next row) before
/// any heading or other fence.
/// A fence at the start of the line is inside the cell only when the cell
/// visibly goes on after it: the closing fence, or some line after it, ends
/// the cell with a pipe before any table row, heading or other fence, and
/// what follows that line is not a new table's header.
fn fence_in_cell(lines: &[&str], j: usize, row: &str) -> Option<usize> {
    let open = lines.get(j)?;
    let marker = fence_marker(open)?;
    if ends_with_pipe(row) {
        return None;
    }
    let end = (j + 1..lines.len()).find(|&k| lines.get(k).is_some_and(|l| l.trim_start().starts_with(marker)))?;
    let indented = open.starts_with(' ');
    if !indented && lines.get(end).is_some_and(|l| ends_with_pipe(l)) {
        // The closing fence ends the cell itself (```` ``` | ````).
        return Some(end);
    }
    for (k, l) in lines.iter().enumerate().skip(end + 1).take(200) {
        if is_table_line(l) {
            return indented.then_some(end);
        }
        if fence_marker(l).is_some() || l.trim_start().starts_with('#') {
            return None;
        }
        if !indented && !is_blank(l) && ends_with_pipe(l) {
            let next = skip_blank(lines, k + 1);
            let header = lines.get(next + 1).is_some_and(|n| is_table_line(n) && is_delimiter_row(n));
            return (!header).then_some(end);
        }
    }
    None
}

/// Reads one logical row starting at table line `i`; returns the row text
/// (ending with a pipe) and the index of the line after it.
fn read_row(lines: &[&str], mut i: usize, ncols: Option<usize>) -> (String, usize) {
    let mut row = lines.get(i).copied().unwrap_or("").trim().to_string();
    i += 1;
    loop {
        let j = skip_blank(lines, i);
        let Some(next) = lines.get(j).copied() else { break };
        if ends_with_pipe(&row) {
            // Complete, unless cells are missing and the table is written
            // one cell per line (blank lines between, next line a cell).
            let short = ncols.is_some_and(|n| split_cells(&row).len() < n);
            if !(short && j > i && is_table_line(next) && !is_delimiter_row(next)) {
                break;
            }
        }
        if let Some(end) = fence_in_cell(lines, j, &row) {
            // A code block inside a cell: its lines become the cell's lines.
            for l in lines.get(j..=end).unwrap_or(&[]) {
                if fence_marker(l).is_none() && !is_blank(l) {
                    // Code text is literal: its pipes and backticks must not
                    // split the cell or open a code span.
                    row.push_str(LINE_BREAK);
                    row.push_str(&l.trim().replace('|', "\\|").replace('`', "\\`"));
                }
            }
            i = end + 1;
            continue;
        }
        if fence_marker(next).is_some()
            || next.trim_start().starts_with('#')
            || lines.get(j + 1).is_some_and(|l| is_underline(l))
        {
            break;
        }
        if is_table_line(next)
            && next.trim() == "|"
            && !ends_with_pipe(&row)
            && ncols.is_some_and(|n| split_cells(&row).len() >= n)
        {
            // A lone pipe closes a last cell written over several lines
            // (in a table written one cell per line, it is an empty cell).
            row.push_str(" |");
            i = j + 1;
            break;
        }
        if is_table_line(next) {
            let have = split_cells(&row).len();
            if ncols.is_some_and(|n| have >= n) || is_delimiter_row(next) {
                break;
            }
            row.push_str(next.trim());
        } else {
            // A line inside a cell: keep the break.
            row.push_str(LINE_BREAK);
            row.push_str(next.trim());
        }
        i = j + 1;
    }
    if !ends_with_pipe(&row) {
        row.push_str(" |");
    }
    (row, i)
}

/// Repairs every table of `text` (see the module docs).
pub(crate) fn repair(text: &str) -> Repaired {
    let text = text.replace('\u{a0}', " ").replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut map: Vec<u32> = Vec::with_capacity(lines.len());
    let mut fence: Option<&'static str> = None;
    let mut i = 0usize;
    let line_no = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or("");
        if let Some(f) = fence {
            if line.trim_start().starts_with(f) {
                fence = None;
            }
            out.push(line.to_string());
            map.push(line_no(i));
            i += 1;
            continue;
        }
        if let Some(f) = fence_marker(line) {
            fence = Some(f);
            out.push(line.to_string());
            map.push(line_no(i));
            i += 1;
            continue;
        }
        if !is_table_line(line) {
            out.push(line.to_string());
            map.push(line_no(i));
            i += 1;
            continue;
        }
        // A table: read logical rows until the table ends.
        let mut ncols: Option<usize> = None;
        loop {
            let start = i;
            let (row, next_i) = read_row(&lines, i, ncols);
            i = next_i;
            if is_delimiter_row(&row) {
                ncols = Some(split_cells(&row).len());
            }
            out.push(row);
            map.push(line_no(start));
            // Continue the table past blank lines when the next line is a row.
            let j = skip_blank(&lines, i);
            if !lines.get(j).is_some_and(|l| is_table_line(l)) {
                break;
            }
            if j > i {
                // After blank lines, a header + delimiter starts a new table.
                let (_, after) = read_row(&lines, j, None);
                let k = skip_blank(&lines, after);
                if lines.get(k).is_some_and(|l| is_table_line(l) && is_delimiter_row(l)) {
                    break;
                }
            }
            i = j;
        }
    }
    let text = out.join("\n");
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    Repaired { text, line_map: map, line_starts }
}
