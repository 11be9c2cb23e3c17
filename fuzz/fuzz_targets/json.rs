//! JSON articles (and JSON bulletins, which the loader recognises by their `articles`),
//! read from a file as the CLI reads them: UTF-8 check, size limit, syntax, field types,
//! validation, images, font coverage.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = anpham_fuzz::load_file("input.json", data);
});
