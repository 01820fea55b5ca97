//! Generates the client from the workspace's `specs/` exactly as a user's
//! build script would.

fn main() {
    if let Err(e) = aliyun_codegen::Config::new().specs("../specs").compile() {
        // Diagnostics carry `file:line`; one per line reads well in cargo's output.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
