//! Helpers shared by the integration tests: output folders and the real checkers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh output folder under target/test-out/NAME.
pub fn out_dir(name: &str) -> PathBuf {
    let d = root().join("target").join("test-out").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create test output folder");
    d
}

/// The folder holding check-pdf and check-epub.
pub fn checkers_dir() -> PathBuf {
    std::env::var_os("ANPHAM_CHECKERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared").join("tools"))
}

/// Runs a checker and returns its last line parsed as JSON, or None when the checker
/// is not installed outside CI (the test then says it skipped). In CI a missing checker
/// fails the test.
pub fn run_checker(name: &str, args: &[&Path]) -> Option<serde_json::Value> {
    let exe = checkers_dir().join(name);
    let in_ci = std::env::var_os("CI").is_some();
    if !exe.exists() {
        assert!(
            !in_ci,
            "{name} not found at {} (CI must install it)",
            exe.display()
        );
        eprintln!("SKIPPED: {name} not installed at {}", exe.display());
        return None;
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
                eprintln!("SKIPPED: {name} could not run its tools: {stderr}");
                return None;
            }
            panic!("{name} failed ({code:?}): {stdout}\n{stderr}");
        }
    }
}
