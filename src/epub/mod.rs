//! EPUB.
