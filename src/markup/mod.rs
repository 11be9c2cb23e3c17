//! The markup every reflowable edition writes: a book's content documents (plain or
//! narrated) and a single web page show an article through one writer, so that they
//! cannot drift apart.
//!
//! | what | module |
//! |---|---|
//! | an article as an `<article>` element, in XHTML or HTML | [`article`] |
//! | runs of text with their inline markup, page-break markers, the writer's own words | [`runs`] |
//! | the lines of the writer's own (a bulletin's title block, the source line), whose text the narration says too | [`lines`] |
//! | a bulletin's title block | [`title_block`] |
//! | where the print edition's pages begin, as markers in the text | [`pages`] |
//! | the stylesheet at a font scale | [`css`] |
//! | the fonts subset to the characters shown, with their `@font-face` rules | [`embed`], [`webfont`] |
//! | what a narration is to the markup: sentence ids, clips, audio files | [`narration`] |
//!
//! It sits below the editions that write it and beside the voice synthesis that makes a
//! [`narration::Overlay`]; it names none of them. Packaging (a book's container, package
//! document, navigation, SMIL) is each edition's own.

pub(crate) mod article;
pub(crate) mod css;
pub(crate) mod embed;
pub(crate) mod lines;
pub(crate) mod narration;
pub(crate) mod pages;
pub(crate) mod runs;
pub(crate) mod title_block;
pub(crate) mod webfont;
