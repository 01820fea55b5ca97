//! Imported specs carry the pages' facts and none of their prose: no run of
//! 12 English words, no run of 12 Chinese characters, and no string over 48
//! characters, of any string in an imported spec appears in the page it
//! came from, example values included (import leaves out examples that
//! long).
//!
//! Reads the pages from `../shared/corpus` (see design.md): absent, the
//! test says so and passes, unless `CI` is set.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

const MARKER: &str = "# @imported by aliyun-codegen from ";
const WORDS: usize = 12;
const CHARS: usize = 12;
/// Longer examples found whole in the page are copies whatever their words
/// (paths and names are the page's facts at any length).
const LONG: usize = 48;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Lower-case words (letters and digits) of `text`, in order.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() || is_cjk(c)).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Every run of `CHARS` consecutive CJK characters of `text`, punctuation
/// and spaces left out (as they are from the page's side).
fn cjk_runs(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().filter(|c| is_cjk(*c)).collect();
    chars.windows(CHARS).map(|window| window.iter().collect()).collect()
}

/// What a page says, indexed for the two checks.
struct Page {
    text: String,
    word_runs: HashSet<Vec<String>>,
    cjk: String,
}

impl Page {
    fn new(text: &str) -> Page {
        let words = words(text);
        let word_runs = words.windows(WORDS).map(<[String]>::to_vec).collect();
        // Chinese text is matched with everything but CJK removed, so a
        // line break or punctuation inside a sentence does not hide a copy.
        let cjk = text.chars().filter(|c| is_cjk(*c)).collect();
        Page { text: text.replace("\\*", "*"), word_runs, cjk }
    }

    /// The first copied run of `text`, if any.
    fn copied(&self, text: &str, example: bool) -> Option<String> {
        if example && text.chars().count() > LONG && self.text.contains(text.trim()) {
            return Some(text.to_string());
        }
        let words = words(text);
        if let Some(run) = words.windows(WORDS).find(|run| self.word_runs.contains(*run)) {
            return Some(run.join(" "));
        }
        cjk_runs(text).into_iter().find(|run| self.cjk.contains(run.as_str()))
    }
}

/// Every string of `value`, with the key path.
fn strings(value: &serde_yaml::Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_yaml::Value::String(text) => out.push((at.to_string(), text.clone())),
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, &format!("{at}[{i}]"), out);
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (key, item) in map {
                strings(item, &format!("{at}.{}", key.as_str().unwrap_or_default()), out);
            }
        }
        _ => {}
    }
}

/// The copied runs of one imported spec, as `key: run` lines.
fn copies(spec: &str, pages: &[&Page]) -> Vec<String> {
    let value: serde_yaml::Value = serde_yaml::from_str(spec).expect("an imported spec is YAML");
    let mut found = Vec::new();
    strings(&value, "", &mut found);
    found
        .into_iter()
        .filter_map(|(at, text)| {
            let example = at.ends_with(".example");
            pages.iter().find_map(|p| p.copied(&text, example)).map(|run| format!("{at}: {run}"))
        })
        .collect()
}

#[test]
fn the_check_finds_a_copied_sentence() {
    let page = Page::new(
        "| Name | 描述 |\n| Id | The identifier of the instance that you want to query, which you can find in the console. |\n\
         | Zone | 实例所在的可用区，\n可以通过控制台查询获得。 |",
    );
    let copied = "name: X\nparams:\n- name: Id\n  description: the identifier of the instance that you want to query, which you can find\n";
    assert_eq!(copies(copied, &[&page]).len(), 1);
    let chinese = "name: X\nparams:\n- name: Zone\n  description: 实例所在的可用区，可以通过控制台查询获得\n";
    assert_eq!(copies(chinese, &[&page]).len(), 1);
    let example = "name: X\nparams:\n- name: Id\n  example: the identifier of the instance that you want to query, which you can find\n";
    assert_eq!(copies(example, &[&page]).len(), 1, "a long example is page text too");
    let id =
        "name: X\nparams:\n- name: Id\n  example: 89:f0:ba:62:ac:b8:aa:e1:61:5e:fd:81:69:86:6d:6b:f0:c0:5a:d7:ee\n";
    let page_with_id = Page::new("|Id|String|89:f0:ba:62:ac:b8:aa:e1:61:5e:fd:81:69:86:6d:6b:f0:c0:5a:d7:ee|x|");
    assert_eq!(copies(id, &[&page_with_id]).len(), 1, "a long value found whole in the page");
    let short = "name: X\nsummary: The identifier of the instance that you want to query.\n";
    assert!(copies(short, &[&page]).is_empty(), "fewer than 12 words");
}

#[test]
fn imported_specs_carry_no_prose_of_their_pages() {
    let corpus = workspace().join("../shared/corpus");
    if !corpus.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "CI is set but {} is missing", corpus.display());
        println!("skipped: {} not found", corpus.display());
        return;
    }
    // Spec folder -> the page folders its specs were imported from.
    let products = [
        ("elasticsearch", &["elasticsearch/docs", "elasticsearch/docs-zh"][..]),
        ("ecs", &["ecs/docs"][..]),
        ("sae", &["sae/docs-zh"][..]),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (product, folders) in products {
        let mut pages: BTreeMap<String, Vec<Page>> = BTreeMap::new();
        for folder in folders {
            for entry in std::fs::read_dir(corpus.join(folder)).expect("page folder").flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    pages.entry(name).or_default().push(Page::new(&text));
                }
            }
        }
        let dir = workspace().join("specs").join(product);
        let mut specs: Vec<PathBuf> =
            std::fs::read_dir(&dir).expect("spec folder").flatten().map(|e| e.path()).collect();
        specs.sort();
        for path in specs {
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Some(source) = text.lines().next().and_then(|l| l.strip_prefix(MARKER)) else { continue };
            let source = source.split(':').next().unwrap_or_default();
            let Some(found) = pages.get(source) else {
                failures.push(format!("{}: its page {source} is not in the corpus", path.display()));
                continue;
            };
            checked += 1;
            let found: Vec<&Page> = found.iter().collect();
            for copy in copies(&text, &found) {
                failures.push(format!("{}: {copy}", path.display()));
            }
        }
    }
    println!("{checked} imported specs checked against their pages");
    assert!(checked >= 400, "only {checked} imported specs found");
    assert!(failures.is_empty(), "imported specs carry page text:\n{}", failures.join("\n"));
}
