//! The limits the editions put on the short texts they write whole (a title, an author, a
//! lead, a heading, an alt text, the publisher, the description): each edition's own
//! check, defined in its module, one line here per edition that has any. The rules
//! (`crate::validate`) ask [`check_text`] of every such text while a publication is
//! prepared, so that what passes `anpham check` builds in every edition.
//!
//! A list apart from `REGISTRY` because it sits below it: the editions' units are built
//! from prepared publications, and this list is read while they are prepared (the rules
//! asking the registry would import their own importers).

use std::path::Path;

use crate::error::Diagnostic;

/// One edition's check of a text at `field` of `file`: its diagnostics pushed onto the
/// list when it cannot write the text.
type TextCheck = fn(file: &Path, field: &str, text: &str, diags: &mut Vec<Diagnostic>);

/// Every edition's check of the texts it writes whole. **An edition with a limit adds one
/// line here.**
static TEXT_CHECKS: &[TextCheck] = &[crate::pdf::limits::check_text];

/// Refuses `text`, at `field` of `file`, where an edition cannot write it whole: each
/// edition's diagnostics, in [`TEXT_CHECKS`] order.
pub(crate) fn check_text(file: &Path, field: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    for check in TEXT_CHECKS {
        check(file, field, text, diags);
    }
}
