//! The integration tests, in one test binary: each file of `tests/` is a module here.
//!
//! One binary links anpham and its dependencies once instead of once per file (eleven
//! links of a debug build with debug info), which was a large part of a cold `cargo test`.
//! The files run in one process: a test must not change the process's current directory or
//! environment, and [`common::out_dir`] keeps each file's output folders apart.

mod common;

mod architecture;
mod braille;
mod cli;
mod epub;
mod html;
mod images;
mod import;
mod input;
mod pdf;
mod proptest_editions;
mod proptest_epub;
mod reader;
mod refusals;
mod robustness;
#[cfg(feature = "serve")]
mod serve;
mod talking;
#[cfg(feature = "serve")]
mod web;
