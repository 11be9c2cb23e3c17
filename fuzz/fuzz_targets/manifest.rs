//! Bulletin manifests (TOML or JSON, chosen by the first byte) whose articles are inline,
//! or files and a folder of the sandbox (which also holds images and a symlink out).
//! A manifest that loads is also built into a PDF and an EPUB when it is small.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = if first & 1 == 0 {
        "bulletin.toml"
    } else {
        "bulletin.json"
    };
    if let Some(p) = anpham_fuzz::load_file(name, rest)
        && p.reading_text().len() < 2000
        && p.articles.len() <= 4
    {
        anpham_fuzz::build_and_check(&p, anpham::FontScale::LARGE);
    }
});
