//! Markdown articles with YAML front matter, read from a file as the CLI reads them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = anpham_fuzz::load_file("input.md", data);
});
