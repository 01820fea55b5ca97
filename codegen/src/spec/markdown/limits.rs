//! The most items a list parameter takes, as its `.N` row states it.
//!
//! RPC pages make a list with rows named `Name.N` (or `Tag.N.Key`) and say
//! in the row's description which values `N` takes: `Valid values of N: 1
//! to 20` in English, `N 的取值范围：1~20` or `N的取值范围为1~100` in
//! Chinese, or an enumeration (`1, 2, 3, 4, and 5`). The largest value of
//! `N` is the most items the list may hold; the lower bound says nothing
//! about the length. Anything else (a condition after the range, a limit
//! that depends on other resources, no number) states no limit.
//!
//! A row whose name has more than one `N` (`A.N.B.N`) does not say which
//! list its `N` is, so it states nothing. Rows of one list that disagree
//! give the largest limit: a refused request that the service accepts is
//! worse than a request the service refuses itself.

use super::request::is_index;
use crate::ir::{Location, Param, Type};

/// A limit a row states, before the rows are grouped into parameters.
pub(crate) struct Limit {
    location: Location,
    /// Parameter name, then the members down to the list (`["Tag"]`,
    /// `["LaunchConfiguration", "DataDisk"]`).
    path: Vec<String>,
    max: u32,
}

/// The limits the dotted rows in `params` state (read before
/// `request::group_dotted` merges their descriptions away).
pub(crate) fn stated(params: &[Param]) -> Vec<Limit> {
    params
        .iter()
        .filter_map(|p| {
            let steps: Vec<&str> = p.name.split('.').collect();
            let [index] = steps.iter().enumerate().filter(|(_, s)| is_index(s)).map(|(i, _)| i).collect::<Vec<_>>()[..]
            else {
                return None;
            };
            let path: Vec<String> = steps.get(..index)?.iter().map(|s| (*s).to_string()).collect();
            let max = max_items(p.description.as_deref()?)?;
            (!path.is_empty()).then_some(Limit { location: p.location, path, max })
        })
        .collect()
}

/// Puts each limit on its list in the grouped `params`; a path that does
/// not end at a list (the rows were not grouped into one) is left alone.
pub(crate) fn apply(params: &mut [Param], limits: &[Limit]) {
    for limit in limits {
        let Some((head, members)) = limit.path.split_first() else { continue };
        let Some(param) = params.iter_mut().find(|p| p.name == *head && p.location == limit.location) else {
            continue;
        };
        let slot = match members.split_first() {
            None if param.ty == Type::Array => &mut param.max_items,
            None => continue,
            Some((first, rest)) => {
                let mut field = param.fields.iter_mut().find(|f| f.name == *first);
                for name in rest {
                    field = field.and_then(|f| f.fields.iter_mut().find(|g| g.name == *name));
                }
                match field {
                    Some(f) if f.ty == Type::Array => &mut f.max_items,
                    _ => continue,
                }
            }
        };
        *slot = Some(slot.map_or(limit.max, |old| old.max(limit.max)));
    }
}

/// The largest `N` a description allows, when it states the values of `N`
/// plainly.
pub(crate) fn max_items(description: &str) -> Option<u32> {
    let lower = description.to_lowercase();
    let english = marker_ends(&lower, "values of n").filter(|&end| !starts_word(&lower[end..]));
    let chinese = marker_ends(&lower, "的取值范围").filter(|&end| {
        let before = lower[..end - "的取值范围".len()].trim_end();
        before.strip_suffix('n').is_some_and(|rest| !ends_word(rest))
    });
    // `N: 0` would refuse every item: not a limit a page means.
    english.into_iter().chain(chinese).find_map(|end| values(&lower[end..]).filter(|&max| max > 0))
}

/// The end of each occurrence of `marker` in `text`.
fn marker_ends<'a>(text: &'a str, marker: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(marker).map(move |(at, _)| at + marker.len())
}

/// Whether `text` continues a Latin word (`N` of `NetworkType`); Chinese
/// writes `N` right after other characters.
fn starts_word(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `text` ends inside a Latin word (`TN`).
fn ends_word(text: &str) -> bool {
    text.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads `: 1 to 20.` (a range: its upper bound) or `: 1, 2, and 3` (an
/// enumeration: its largest value) at the start of `text`, followed by the
/// end of a clause.
fn values(text: &str) -> Option<u32> {
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '为' | '是'));
    let mut max = number(&mut rest)?;
    loop {
        let mut next = rest.trim_start();
        if let Some(after) = RANGE.iter().find_map(|sep| next.strip_prefix(sep)) {
            next = after.trim_start();
            max = max.max(number(&mut next)?);
            rest = next;
            break;
        }
        let mut listed = next;
        while let Some(after) = LIST.iter().find_map(|sep| listed.strip_prefix(sep)) {
            listed = after.trim_start();
        }
        match (listed.len() < next.len()).then(|| number(&mut listed)).flatten() {
            Some(n) => {
                max = max.max(n);
                rest = listed;
            }
            None => break,
        }
    }
    let end = rest.trim_start().chars().next();
    matches!(end, None | Some('.' | '。' | ',' | '，' | ';' | '；' | ')' | '）' | '|')).then_some(max)
}

/// Between the bounds of a range.
const RANGE: [&str; 8] = ["to", "~", "～", "-", "–", "—", "至", "到"];

/// Between the values of an enumeration (`, and` is two of them).
const LIST: [&str; 7] = [",", "，", "、", "and", "or", "或", "和"];

/// An unsigned number at the start of `text`, consumed.
fn number(text: &mut &str) -> Option<u32> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let value = text.get(..digits)?.parse().ok()?;
    *text = &text[digits..];
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_enumerations() {
        for (text, max) in [
            ("The key of tag N. Valid values of N: 1 to 20. The key cannot be empty.", Some(20)),
            ("Valid values of N : 1 to 20", Some(20)),
            ("Valid values of N: 0 to 10.", Some(10)),
            ("Valid values of N: 1, 2, 3, 4, and 5.", Some(5)),
            ("Valid values of N: 1 or 2", Some(2)),
            ("标签键。N 的取值范围：1~20。", Some(20)),
            ("N的取值范围为1~100", Some(100)),
            ("N的取值范围：1-50，不能重复。", Some(50)),
            ("N 的取值范围为 1 到 16", Some(16)),
            ("标签N的取值范围：1~20", Some(20)),
        ] {
            assert_eq!(max_items(text), max, "{text}");
        }
    }

    #[test]
    fn what_states_no_limit() {
        for text in [
            "The ID of instance N.",
            "Valid values of N are based on the maximum number of groups.",
            "Valid values of N:\n\n- When it is available: 1 to 10.\n- Otherwise: limited.",
            "Valid values of N: 1 to 10 when the interface is available.",
            "Valid values of NetworkType: 1 to 3.",
            "Set the value of N to 1.",
            "Valid values of N: 0.",
            "TN 的取值范围：1~20",
        ] {
            assert_eq!(max_items(text), None, "{text}");
        }
    }

    fn row(name: &str, description: &str) -> Param {
        Param {
            name: name.into(),
            location: Location::Query,
            ty: Type::String,
            required: false,
            description: Some(description.into()),
            ..Param::assumed_path("x", 1)
        }
    }

    #[test]
    fn limits_go_to_the_list_the_row_makes() {
        let rows = vec![
            row("Tag.N.Key", "Valid values of N: 1 to 20."),
            row("Tag.N.Value", "Valid values of N: 1 to 10."),
            row("Launch.Disk.N.Size", "Valid values of N: 1 to 16."),
            row("Nic.N.GroupIds.N", "Valid values of N: 1 to 5."),
            row("Name", "Valid values of N: 1 to 3."),
        ];
        let limits = stated(&rows);
        let mut params = super::super::request::group_dotted(rows);
        apply(&mut params, &limits);
        let by_name = |name: &str| params.iter().find(|p| p.name == name).cloned().expect("grouped parameter");
        assert_eq!(by_name("Tag").max_items, Some(20), "rows that disagree give the largest");
        let launch = by_name("Launch");
        assert_eq!(launch.max_items, None);
        assert_eq!(launch.fields.first().map(|f| (f.name.as_str(), f.max_items)), Some(("Disk", Some(16))));
        let nic = by_name("Nic");
        assert_eq!(nic.max_items, None, "two N: which list is not said");
        let inner = nic.items.as_ref().and_then(|i| i.fields.first()).and_then(|f| f.max_items);
        assert_eq!(inner, None);
        assert_eq!(by_name("Name").max_items, None, "not a list");
    }
}
