//! The Markdown reader never panics, whatever the page.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = aliyun_codegen::stages::spec::markdown::read_page(Path::new("fuzz.md"), text);
    }
});
