//! Links the system liblouis (Debian: `liblouis-dev`), with a clear message when it is missing.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let found = Command::new("pkg-config")
        .args(["--exists", "liblouis"])
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        panic!(
            "liblouis was not found (pkg-config liblouis). The braille edition links the system \
             liblouis: install it with `apt-get install liblouis-dev` (Debian/Ubuntu) and build again."
        );
    }
    if let Ok(out) = Command::new("pkg-config")
        .args(["--libs-only-L", "liblouis"])
        .output()
    {
        for dir in String::from_utf8_lossy(&out.stdout).split_whitespace() {
            if let Some(d) = dir.strip_prefix("-L") {
                println!("cargo:rustc-link-search=native={d}");
            }
        }
    }
    println!("cargo:rustc-link-lib=dylib=louis");
}
