//! Helpers shared by the integration tests: output folders and the real checkers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh output folder under target/test-out/FILE/NAME, where FILE is the calling test
/// file's name (all integration tests run in one binary: two files may use the same NAME).
#[track_caller]
pub fn out_dir(name: &str) -> PathBuf {
    let file = Path::new(std::panic::Location::caller().file())
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let d = root().join("target").join("test-out").join(file).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create test output folder");
    d
}

/// Whether the tests run in CI (`CI` set), where a missing outside program fails a test
/// instead of skipping it.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// A test that cannot run because `why`: outside CI it says `SKIPPED: TEST: why` (one line)
/// and the caller returns `None`; in CI it fails. The line goes to the process's own standard
/// error, past the test harness's output capture (which `eprintln!` would go to, hidden for a
/// passing test), so a plain `cargo test` lists every skipped test with its reason.
#[track_caller]
pub fn skip<T>(why: &str) -> Option<T> {
    assert!(!in_ci(), "{why} (CI must install it)");
    say_skipped(why);
    None
}

/// Writes `SKIPPED: TEST: why` past the output capture (see [`skip`]).
pub fn say_skipped(why: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {test}: {}",
        why.replace('\n', " ")
    );
}

/// Asserts a `check-epub` summary clean: EPUBCheck 0 errors and 0 warnings and, when `ace`,
/// 0 Ace violations (Ace not running is a skip: a failure in CI). `what` names the book.
#[track_caller]
pub fn assert_epub_clean(s: &serde_json::Value, what: &str, ace: bool) {
    assert_eq!(s["epubcheck_errors"], 0, "{what}: {s}");
    assert_eq!(s["epubcheck_warnings"], 0, "{what}: {s}");
    if ace {
        if s["ace_ran"] == true {
            assert_eq!(s["ace_violations"], 0, "{what}: {s}");
        } else {
            skip::<()>(&format!("Ace did not run for {what}: {s}"));
        }
    }
}

/// The folder holding the checkers (check-epub, check-pdf, check-braille): the one named by
/// `ANPHAM_CHECKERS_DIR` (CI sets it), never a folder beside the repository. `None` (after
/// saying SKIPPED; a failure in CI) when it is not set.
#[track_caller]
pub fn checkers_dir() -> Option<PathBuf> {
    match std::env::var_os("ANPHAM_CHECKERS_DIR") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => skip(
            "ANPHAM_CHECKERS_DIR is not set (the folder of check-epub, check-pdf and check-braille)",
        ),
    }
}

/// Runs a checker and returns its last line parsed as JSON, or None when the checker
/// is not installed outside CI (the test then says it skipped). In CI a missing checker
/// fails the test.
#[track_caller]
pub fn run_checker(name: &str, args: &[&Path]) -> Option<serde_json::Value> {
    let exe = checkers_dir()?.join(name);
    let in_ci = in_ci();
    if !exe.exists() {
        return skip(&format!("{name} not installed at {}", exe.display()));
    }
    let out = Command::new(&exe).args(args).output().expect("run checker");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'));
    match (out.status.code(), last) {
        (Some(0), Some(line)) => Some(serde_json::from_str(line).expect("checker JSON")),
        (code, _) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let missing_tool = code == Some(3);
            assert!(!(in_ci), "{name} failed ({code:?}): {stdout}\n{stderr}");
            if missing_tool {
                say_skipped(&format!("{name} could not run its tools: {stderr}"));
                return None;
            }
            panic!("{name} failed ({code:?}): {stdout}\n{stderr}");
        }
    }
}
