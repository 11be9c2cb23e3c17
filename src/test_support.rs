//! Helpers for the unit tests (compiled only for them).

use std::io::Write;

/// A unit test that cannot run because `why` (an outside program is missing). Outside CI it
/// says `SKIPPED: TEST: why` on the process's own standard error, past the test harness's
/// output capture, so a plain `cargo test` lists every skipped test with its reason; the
/// caller then returns. In CI (`CI` set), where the programs must be installed, it fails.
#[track_caller]
pub(crate) fn skip(why: &str) {
    let why = why.replace('\n', " ");
    assert!(
        std::env::var_os("CI").is_none(),
        "{why} (CI must install it)"
    );
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    // `eprintln!` would be captured (and hidden) for a passing test; the handle is not.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {why}");
}
