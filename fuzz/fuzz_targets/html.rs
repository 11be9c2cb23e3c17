//! Saved article pages (`.html`), imported as the CLI imports them: charset, html5ever,
//! metadata, layout rules, the Readability fallback, the block converter, validation;
//! then the Markdown that `anpham import` would write, which must not panic either.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = anpham_fuzz::load_file("input.html", data);
    let path = anpham_fuzz::sandbox().join("input.html");
    if let Ok(imported) =
        anpham::import::import_bytes(&path, anpham::import::SourceKind::Html, data)
    {
        let _ = anpham::import::to_markdown(&imported.article);
    }
});
