//! The YAML reader never panics, whatever the spec.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = aliyun_codegen::stages::spec::yaml::read_operation(Path::new("fuzz.yaml"), text);
    }
});
