//! Peak memory (VmHWM) and time of one whole-corpus run, in its own
//! process so the high-water mark is this run's alone.
//!
//! `cargo bench -p aliyun-codegen --bench peak_memory -- [x1|x2|x4|x8] [single]`
//! (`single` measures the build.rs path, one `aliyun_sdk.rs`, instead of the
//! crate layout).

use std::time::Instant;

use aliyun_codegen::Config;

#[path = "support/mod.rs"]
mod support;

/// A `kB` line of `/proc/self/status` (Linux only), in MiB.
fn status_mib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// User + system CPU seconds of this process (`/proc/self/stat`, 100 Hz ticks).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let factor = args.iter().find_map(|a| a.strip_prefix('x').and_then(|n| n.parse().ok())).unwrap_or(1usize);
    let single = args.iter().any(|a| a == "single");
    let Some(docs) = support::corpus_docs() else { return };
    let specs = support::corpus_specs(&docs, factor);
    let pages = support::corpus_pages(&specs.join("elasticsearch")).len();
    let before = status_mib("VmHWM:").unwrap_or(0.0);
    let cpu0 = cpu_seconds().unwrap_or(0.0);
    let start = Instant::now();
    let (files, bytes) = if single {
        let out = support::target_dir().join("bench-out").join(format!("peak-x{factor}"));
        let _ = std::fs::remove_dir_all(&out);
        match Config::new().specs(&specs).out_dir(&out).cargo_directives(false).compile() {
            Ok(_) => (1, std::fs::metadata(out.join("aliyun_sdk.rs")).map(|m| m.len() as usize).unwrap_or(0)),
            Err(e) => panic!("{e}"),
        }
    } else {
        match Config::new().specs(&specs).crate_files() {
            Ok((files, _)) => (files.len(), files.values().map(String::len).sum()),
            Err(e) => panic!("{e}"),
        }
    };
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().unwrap_or(0.0) - cpu0;
    let peak = status_mib("VmHWM:").unwrap_or(0.0);
    println!(
        "x{factor} {}: {pages} pages -> {files} files, {:.1} MiB of Rust; wall {:.3} s ({:.0} pages/s), cpu {:.2} s, threads {}; VmHWM {:.1} MiB (before run {:.1} MiB)",
        if single { "single file" } else { "crate layout" },
        bytes as f64 / 1048576.0,
        wall,
        pages as f64 / wall,
        cpu,
        rayon::current_num_threads(),
        peak,
        before
    );
}
