//! The operation name, from what identifies the operation in the page's
//! content: the `Action` row of the request table (its example cell), the
//! OpenAPI Explorer link (`api=<Op>`), an identifier-like H1, a Chinese
//! summary that calls the operation (`调用CreateCluster接口...`), and only
//! last the file name. Human titles (`Create a cluster`, `创建集群`) are
//! never names.

use super::lower::FieldRow;
use super::sections::{Block, Page};

/// Where a name was found, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum From {
    /// The `Action` row's example cell.
    ActionRow,
    /// The OpenAPI Explorer link.
    ExplorerLink,
    /// The H1, when it is an identifier.
    Title,
    /// `调用<Op>` in the introduction.
    Summary,
    /// The file name.
    FileName,
}

impl From {
    fn what(self) -> &'static str {
        match self {
            From::ActionRow => "the Action row",
            From::ExplorerLink => "the OpenAPI Explorer link",
            From::Title => "the title",
            From::Summary => "the summary",
            From::FileName => "the file name",
        }
    }
}

/// The name chosen and what the page says about it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Named {
    /// The operation name (empty when nothing names it).
    pub name: String,
    /// Warnings: `(line, message)`.
    pub notes: Vec<(u32, String)>,
}

/// Whether `word` looks like an operation identifier: ASCII letters and
/// digits, starting with a letter, with an upper-case letter after the
/// first (`ResumeLogstashTask`, `createCluster`): one capitalised word
/// (`Create`, `Query`) is a human title.
pub(crate) fn identifier_like(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return false };
    first.is_ascii_alphabetic()
        && word.chars().all(|c| c.is_ascii_alphanumeric())
        && word.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase())
}

/// Whether a request row is the `Action` row of an RPC page.
pub(crate) fn is_action(row: &FieldRow) -> bool {
    row.name == "Action" && row.depth == 0
}

/// The operation an `Action` row names: its example cell, else the one
/// identifier its description gives (`Value: ModifyReservedInstances.`).
pub(crate) fn action_row(rows: &[FieldRow]) -> Option<(String, u32)> {
    rows.iter().filter(|r| is_action(r)).find_map(|r| {
        let ex = r.example.as_deref().unwrap_or("").trim().trim_matches('`').trim();
        if identifier_like(ex) {
            return Some((ex.to_string(), r.line));
        }
        let mut ids: Vec<&str> = r
            .description
            .as_deref()
            .unwrap_or("")
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| identifier_like(w))
            .collect();
        ids.dedup();
        match ids.as_slice() {
            [one] => Some((one.to_string(), r.line)),
            _ => None,
        }
    })
}

/// The operation of an OpenAPI Explorer link (`...&api=DescribeInstances&...`).
pub(crate) fn explorer_link(text: &str) -> Option<(String, u32)> {
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("api=") {
            // `api=` must start a URL parameter, not end another word.
            let before = rest.get(..at).and_then(|b| b.chars().last());
            let tail = rest.get(at + 4..).unwrap_or("");
            rest = tail;
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let op: String = tail.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if identifier_like(&op) {
                return Some((op, u32::try_from(i + 1).unwrap_or(u32::MAX)));
            }
        }
    }
    None
}

/// The H1 when it is an identifier (its first word, when the rest is a
/// human gloss: `ListTags 查询标签`), or a one-word title that the file
/// name confirms (`# Ping` in `Ping.md`: two sources agree).
fn title(page: &Page, stem: &str) -> Option<(String, u32)> {
    let (text, line) = page.title.as_ref()?;
    let word = text.split_whitespace().next()?;
    let confirmed = word == text.trim()
        && word == stem
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric());
    (identifier_like(word) || confirmed).then(|| (word.to_string(), *line))
}

/// `调用<Op>` (`调用BindSlb接口为应用绑定SLB`) in the first paragraph.
fn summary(page: &Page) -> Option<(String, u32)> {
    let text = page.intro.iter().find_map(|b| match b {
        Block::Para { text, .. } => Some(text.as_str()),
        _ => None,
    })?;
    let at = text.find("调用")?;
    let rest = text.get(at + "调用".len()..)?.trim_start();
    let op: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let line = page.title.as_ref().map(|(_, l)| *l).unwrap_or(1);
    identifier_like(&op).then_some((op, line))
}

/// Chooses the name: the strongest source wins; a weaker one that names
/// another operation gets a warning naming both.
pub(crate) fn choose(page: &Page, text: &str, rows: &[FieldRow], stem: &str) -> Named {
    let found: Vec<(From, (String, u32))> = [
        (From::ActionRow, action_row(rows)),
        (From::ExplorerLink, explorer_link(text)),
        (From::Title, title(page, stem)),
        (From::Summary, summary(page)),
    ]
    .into_iter()
    .filter_map(|(from, v)| v.map(|v| (from, v)))
    .collect();
    let mut named = Named::default();
    match found.first() {
        Some((from, (name, _))) => {
            named.name = name.clone();
            for (other, (n, line)) in found.iter().skip(1) {
                // The summary often names a related call; only the
                // identifying sources are compared.
                if *other != From::Summary && n != name {
                    named.notes.push((
                        *line,
                        format!(
                            "{} names the operation {n}, {} names it {name}; {name} is used",
                            other.what(),
                            from.what()
                        ),
                    ));
                }
            }
        }
        None => {
            // A file name with no ASCII letter (`创建集群.md`) gives no
            // usable wire name at all.
            if stem.chars().any(|c| c.is_ascii_alphabetic()) {
                named.name = stem.to_string();
            }
            let line = page.title.as_ref().map(|(_, l)| *l).unwrap_or(1);
            if named.name.is_empty() {
                return named;
            }
            named.notes.push((
                line,
                format!(
                    "nothing on the page names the operation (no Action row, OpenAPI Explorer link or identifier \
                     title); it is named after {}: {stem}",
                    From::FileName.what()
                ),
            ));
        }
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_not_titles() {
        assert!(identifier_like("ResumeLogstashTask"));
        assert!(identifier_like("createCluster"));
        assert!(!identifier_like("Create"));
        assert!(!identifier_like("QUERY"));
        assert!(!identifier_like("创建集群"));
    }

    #[test]
    fn explorer_links() {
        let t = "see [x](https://api.aliyun.com/#product=Ecs&api=AddTags&type=RPC)";
        assert_eq!(explorer_link(t), Some(("AddTags".to_string(), 1)));
        assert_eq!(explorer_link("the wapi=NotThis link"), None);
    }
}
