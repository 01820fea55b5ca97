//! The corpus run: every Elasticsearch reference page in `../shared` parses,
//! none fails, and the IR scores at or above the agreed fidelity against the
//! official SDK's facts (`../shared/tools/fidelity.py`, documented scope).
//!
//! Without `../shared` the test prints one line and passes, unless `CI` is
//! set: there the folder is always present and its absence is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use aliyun_codegen::stages::corpus;
use aliyun_codegen::stages::spec;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = workspace().join("../shared/corpus/elasticsearch");
    if dir.join("docs").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared/corpus/elasticsearch is missing (required when CI is set): {}", dir.display());
    }
    println!("skipped: ../shared/corpus/elasticsearch not found");
    None
}

#[test]
fn every_page_parses_and_none_fails() {
    let Some(dir) = corpus_dir() else { return };
    let report = corpus::run(&dir.join("docs"), &mut |_, _, _| {});
    println!("{report}");
    assert_eq!(report.total(), 134, "expected the 134 Elasticsearch pages");
    println!("{} degraded:", report.degraded());
    for page in &report.pages {
        if let corpus::PageStatus::Degraded(diags) = &page.status {
            for d in diags {
                println!("  {d}");
            }
        }
    }
    assert_eq!(report.failed(), 0, "pages failed:\n{report}");
}

fn pct(metrics: &serde_json::Value, key: &str) -> f64 {
    metrics["metrics"][key]["pct"].as_f64().unwrap_or(0.0)
}

#[test]
fn fidelity_against_the_official_sdk() {
    let Some(dir) = corpus_dir() else { return };
    let docs = dir.join("docs");
    let outcome = spec::read_product_dir(&docs).unwrap_or_else(|e| panic!("{e}"));
    let out = workspace().join("target/corpus");
    std::fs::create_dir_all(&out).expect("create target/corpus");
    let ir = out.join("elasticsearch-ir.json");
    let metrics_file = out.join("elasticsearch-fidelity.json");
    let json = serde_json::to_string(&outcome.product).expect("serialize IR");
    std::fs::write(&ir, json).expect("write IR");
    let scorer = workspace().join("../shared/tools/fidelity.py");
    let run = Command::new("python3")
        .arg(&scorer)
        .arg("--docs")
        .arg(&docs)
        .arg("--json")
        .arg(&metrics_file)
        .arg(dir.join("truth.json"))
        .arg(&ir)
        .output()
        .expect("run python3 fidelity.py");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "fidelity.py failed");
    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&metrics_file).expect("read metrics")).expect("metrics JSON");
    let checks = [
        ("method", 100.0),
        ("path", 100.0),
        ("params", 99.0),
        ("positions", 99.0),
        ("resp_recall", 98.0),
        ("resp_precision", 98.0),
    ];
    let mut failures = Vec::new();
    for (key, min) in checks {
        let got = pct(&metrics, key);
        println!("{key}: {got:.1}% (min {min}%)");
        if got + 1e-9 < min {
            failures.push(format!("{key} {got:.1}% < {min}%"));
        }
    }
    assert!(
        failures.is_empty(),
        "fidelity below target: {}\n(see every miss: python3 ../shared/tools/fidelity.py -v --docs {} {} {})",
        failures.join(", "),
        docs.display(),
        dir.join("truth.json").display(),
        ir.display()
    );
}
