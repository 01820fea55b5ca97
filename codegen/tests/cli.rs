//! The CLI contract: `generate`, `check`, `dump` and their exit codes.
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::Command;

fn codegen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aliyun-codegen"))
}

fn product(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("product.yaml"), "product: demo\nversion: \"2020-01-01\"\nstyle: ROA\n").expect("write");
}

const PAGE: &str = "# GetThing\n\nGets a thing.\n\n## Request syntax\n\n```\nGET /things/[ThingId] HTTPS|HTTP\n```\n\n## Request parameters\n\n|Parameter|Type|Required|Example|Description|\n|---|---|---|---|---|\n|ThingId|String|Yes|t-1|The thing.|\n\n## Response parameters\n\n|Parameter|Type|Example|Description|\n|---|---|---|---|\n|RequestId|String|r-1|The request id.|\n";

#[test]
fn generate_then_check_is_fresh_and_stable() {
    let tmp = tempfile::tempdir().expect("tmp");
    let specs = tmp.path().join("specs");
    product(&specs.join("demo"));
    std::fs::write(specs.join("demo/GetThing.md"), PAGE).expect("write");
    let out = tmp.path().join("out");
    let run = |verb: &str| codegen().arg(verb).arg("--specs").arg(&specs).arg("--out").arg(&out).output().expect("run");
    assert!(run("check").status.code() == Some(1), "check on an empty folder must fail");
    assert!(run("generate").status.success());
    let first = std::fs::read(out.join("src/demo/get_thing.rs")).expect("generated file");
    assert!(run("check").status.success(), "check after generate must pass");
    assert!(run("generate").status.success());
    assert_eq!(first, std::fs::read(out.join("src/demo/get_thing.rs")).expect("file"), "generate is deterministic");

    // An orphan (a generated file no spec produces any more) is reported, then removed.
    std::fs::remove_file(specs.join("demo/GetThing.md")).expect("rm");
    let check = run("check");
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("orphan:  src/demo/get_thing.rs"));
    assert!(run("generate").status.success());
    assert!(!out.join("src/demo/get_thing.rs").exists());
}

#[test]
fn malformed_request_syntax_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let page = PAGE.replace("GET /things/[ThingId] HTTPS|HTTP", "FETCH things");
    let path = tmp.path().join("GetThing.md");
    std::fs::write(&path, page).expect("write");
    let out = codegen().arg("dump").arg(&path).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains(&format!("{}:", path.display())), "diagnostic names the file: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn generation_failure_leaves_output_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    let specs = tmp.path().join("specs");
    product(&specs.join("demo"));
    std::fs::write(specs.join("demo/GetThing.md"), PAGE).expect("write");
    let out = tmp.path().join("out");
    assert!(
        codegen().arg("generate").arg("--specs").arg(&specs).arg("--out").arg(&out).status().expect("run").success()
    );
    let before = std::fs::read(out.join("src/demo/get_thing.rs")).expect("file");
    // A second page with no request syntax at all makes the run fail.
    std::fs::write(specs.join("demo/Broken.md"), "# Broken\n\nNothing here.\n").expect("write");
    let status = codegen().arg("generate").arg("--specs").arg(&specs).arg("--out").arg(&out).output().expect("run");
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stderr).contains("Broken.md"));
    assert_eq!(before, std::fs::read(out.join("src/demo/get_thing.rs")).expect("file"));
}

#[test]
fn missing_parameter_table_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let start = PAGE.find("## Request parameters").expect("section");
    let end = PAGE.find("## Response parameters").expect("section");
    let page = format!("{}{}", &PAGE[..start], &PAGE[end..]);
    let path = tmp.path().join("GetThing.md");
    std::fs::write(&path, page).expect("write");
    let out = codegen().arg("dump").arg(&path).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains(&format!("{}:", path.display())) && stderr.contains("ThingId"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
