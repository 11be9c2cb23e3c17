//! Refusal cases as data (in the spirit of typst's `// Error:` lines): every file
//! `tests/refusals/NAME.expected` is one case. Its input is `NAME` (e.g. `alt.json` for
//! `alt.json.expected`), and its text is exactly what `anpham build` prints on stderr
//! when it refuses that input. Each case is run three ways, each in a fresh copy of the
//! folder:
//!
//! * the library loader (`input::load_prepared`, then the font coverage `check` does):
//!   `Error::report` (each diagnostic with its own `error: `/`warning: `) must be the expected text;
//! * `anpham check NAME`: non-zero exit, stderr exactly the expected text (the build's
//!   closing `N article(s) or edition(s) failed` line left out);
//! * `anpham build NAME -o out`, with `out/` holding the outputs of an earlier good
//!   build: non-zero exit, stderr exactly the expected text, and `out/` byte-identical
//!   afterwards (no new file, no temporary file, nothing changed).
//!
//! Lines at the top of a `.expected` file that start with `# ` are directives:
//!
//! | directive | meaning |
//! |---|---|
//! | `# run: build` | only these runners (`library`, `check`, `build`); all three by default |
//! | `# args: …` | extra `build` arguments (white-space separated) |
//! | `# input: PATH` | the input named instead of `NAME` (e.g. `/dev/zero`) |
//! | `# out: PATH` | the output folder instead of `out` |
//! | `# seconds: N` | each command must refuse within N seconds (e.g. from a size, before reading) |
//! | `# needs: PATH` | a file of the system the case needs (e.g. a font with private-use glyphs); without it the case is skipped and says so, except in CI, where it fails |
//! | `# expand` | the input holds `{{repeat N}}TEXT{{end}}`, written out N times before the run |
//! | `# setup: sparse FILE BYTES` | a sparse file of that size (never read) |
//! | `# setup: fifo FILE` | a named pipe |
//! | `# setup: dir PATH` | a folder |
//! | `# setup: symlink LINK TARGET` | a symlink; `$OUTSIDE` is a folder outside the case's, holding `secret.png` |
//! | `# setup: copy DEST SRC` | a copy of `SRC` (relative to the crate root) |
//! | `# setup: head DEST SRC N/D` | the first N/D of `SRC`'s bytes |
//! | `# setup: rename-table DEST SRC TAG NEW` | a copy of the font `SRC` with its table `TAG` renamed |
//! | `# writes: FILE…` | an edition is refused, and the others are still written (editions are independent): these new files in `out/`, each not empty, and nothing else changed |
//!
//! In the expected text `$DIR` stands for the case's folder and `$OUTSIDE` for the outside
//! folder (both canonical). `ANPHAM_BLESS=1` rewrites the expected texts from what the
//! binary prints (review every change before committing it); `ANPHAM_REFUSAL=PART` runs
//! only the cases whose name holds PART. `docs/robustness.md` lists which case covers
//! which hostile input.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

const TRAILER_SUFFIX: &str = " article(s) or edition(s) failed";

/// One case: its directives and its expected stderr.
struct Case {
    name: String,
    runners: Vec<String>,
    args: Vec<String>,
    input: Option<String>,
    out: Option<String>,
    expand: bool,
    seconds: Option<u64>,
    needs: Vec<String>,
    setup: Vec<Vec<String>>,
    writes: Vec<String>,
    expected: String,
    header: String,
}

fn parse_case(name: &str, text: &str) -> Case {
    let mut case = Case {
        name: name.to_string(),
        runners: vec!["library".into(), "check".into(), "build".into()],
        args: Vec::new(),
        input: None,
        out: None,
        expand: false,
        seconds: None,
        needs: Vec::new(),
        setup: Vec::new(),
        writes: Vec::new(),
        expected: String::new(),
        header: String::new(),
    };
    let mut body = text;
    while let Some(line) = body.strip_prefix("# ") {
        let end = line.find('\n').map_or(line.len(), |i| i + 1);
        let directive = line[..end].trim_end();
        case.header.push_str("# ");
        case.header.push_str(&line[..end]);
        body = &line[end..];
        let (key, value) = directive.split_once(':').unwrap_or((directive, ""));
        let words: Vec<String> = value.split_whitespace().map(String::from).collect();
        match key {
            "run" => case.runners = words,
            "args" => case.args = words,
            "input" => case.input = Some(value.trim().to_string()),
            "out" => case.out = Some(value.trim().to_string()),
            "expand" => case.expand = true,
            "seconds" => case.seconds = Some(value.trim().parse().expect("seconds")),
            "needs" => case.needs.extend(words),
            "setup" => case.setup.push(words),
            "writes" => case.writes.extend(words),
            other => panic!("{name}.expected: unknown directive `{other}`"),
        }
    }
    case.expected = body.to_string();
    case
}

/// `{{repeat N}}TEXT{{end}}` → TEXT written N times.
fn expand(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{repeat ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "{{repeat ".len()..];
        let close = after.find("}}").expect("{{repeat N}}");
        let n: usize = after[..close].trim().parse().expect("a repeat count");
        let body_start = close + 2;
        let end = after[body_start..].find("{{end}}").expect("{{end}}");
        out.push_str(&after[body_start..body_start + end].repeat(n));
        rest = &after[body_start + end + "{{end}}".len()..];
    }
    out.push_str(rest);
    out
}

/// Copies the fixture folder (all but the `.expected` files) into `to`.
fn copy_fixtures(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap();
        if p.is_dir() {
            copy_fixtures(&p, &to.join(name));
        } else if !name.to_string_lossy().ends_with(".expected") {
            std::fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

/// Every file of a folder (recursively), by relative path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

fn run_setup(case: &Case, dir: &Path, outside: &Path) {
    let root = common::root();
    for words in &case.setup {
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let at = |p: &str| {
            let p = dir.join(p);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            p
        };
        match w.as_slice() {
            ["sparse", file, bytes] => {
                std::fs::File::create(at(file))
                    .unwrap()
                    .set_len(bytes.parse().unwrap())
                    .unwrap();
            }
            ["fifo", file] => {
                let ok = std::process::Command::new("mkfifo")
                    .arg(at(file))
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(ok, "{}: mkfifo failed", case.name);
            }
            ["dir", path] => std::fs::create_dir_all(at(path)).unwrap(),
            #[cfg(unix)]
            ["symlink", link, target] => {
                let target = target.replace("$OUTSIDE", &outside.display().to_string());
                std::os::unix::fs::symlink(target, at(link)).unwrap();
            }
            ["copy", dest, src] => {
                std::fs::copy(root.join(src), at(dest)).unwrap();
            }
            ["head", dest, src, fraction] => {
                let bytes = std::fs::read(root.join(src)).unwrap();
                let (n, d) = fraction.split_once('/').unwrap();
                let len = bytes.len() * n.parse::<usize>().unwrap() / d.parse::<usize>().unwrap();
                std::fs::write(at(dest), &bytes[..len]).unwrap();
            }
            ["rename-table", dest, src, tag, new] => {
                let mut font = std::fs::read(root.join(src)).unwrap();
                let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
                for i in 0..tables {
                    let at = 12 + 16 * i;
                    if &font[at..at + 4] == tag.as_bytes() {
                        font[at..at + 4].copy_from_slice(new.as_bytes());
                    }
                }
                std::fs::write(at(dest), font).unwrap();
            }
            other => panic!("{}: unknown setup {other:?}", case.name),
        }
    }
}

fn anpham_cmd(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("anpham").expect("the anpham binary");
    c.current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .timeout(Duration::from_secs(120));
    c
}

/// The outputs of an earlier good build: built once, copied into every case's `out/`.
fn earlier_outputs(scratch: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::create_dir_all(scratch.join("img")).unwrap();
    std::fs::copy(
        common::root().join("tests/fixtures/same/img/hills.png"),
        scratch.join("img/hills.png"),
    )
    .unwrap();
    std::fs::write(
        scratch.join("same.json"),
        r#"{"title": "Bài báo", "slug": "same", "lang": "vi", "blocks": [
            {"type": "paragraph", "text": "Đoạn văn đầu tiên."},
            {"type": "figure", "src": "img/hills.png", "alt": "Đồi núi"}]}"#,
    )
    .unwrap();
    let out = anpham_cmd(scratch)
        .args(["build", "same.json", "-o", "out", "--quiet"])
        .args(["--format", "epub,pdf", "--scale", "standard"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the earlier build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = snapshot(&scratch.join("out"));
    assert_eq!(files.len(), 2, "{:?}", files.keys());
    files
}

/// What one CLI run printed on stderr when it refused, or why it did not refuse.
fn run_cli(dir: &Path, args: &[String], seconds: Option<u64>) -> Result<String, String> {
    let started = std::time::Instant::now();
    let out = anpham_cmd(dir).args(args).output().expect("run anpham");
    let took = started.elapsed();
    if let Some(max) = seconds
        && took > Duration::from_secs(max)
    {
        return Err(format!("took {took:?}, more than {max} s"));
    }
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if stderr.contains("panicked") {
        return Err(format!("panicked:\n{stderr}"));
    }
    match out.status.code() {
        None => Err(format!("killed ({:?}):\n{stderr}", out.status)),
        Some(0) => Err(format!(
            "accepted:\n{}{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )),
        Some(_) => Ok(stderr),
    }
}

/// The library's refusal, printed as the CLI prints it.
fn run_library(input: &Path) -> Result<String, String> {
    use anpham::internals::FontSet;
    let result = anpham::input::load_prepared(&[input.to_path_buf()]).and_then(|(p, _)| {
        p.check_fonts(&FontSet::bundled(true))?;
        p.check_fonts(&FontSet::bundled(false))
    });
    match result {
        Ok(()) => Err("accepted by the library".into()),
        Err(e) => Ok(format!("{}\n", e.report())),
    }
}

/// The text without the build's closing `N article(s) or edition(s) failed` line.
fn without_trailer(s: &str) -> String {
    s.lines()
        .filter(|l| {
            !(l.ends_with(TRAILER_SUFFIX)
                && l.split(' ')
                    .next()
                    .is_some_and(|n| n.parse::<u32>().is_ok()))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn build_args(case: &Case, input: &str, dir: &Path) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "build".into(),
        input.into(),
        "-o".into(),
        case.out.clone().unwrap_or_else(|| "out".into()),
        "--quiet".into(),
        "--format".into(),
        "epub,pdf".into(),
    ];
    if !case.args.iter().any(|a| a == "--scale") {
        args.extend(["--scale".into(), "standard".into()]);
    }
    let dir = dir.display().to_string();
    args.extend(case.args.iter().map(|a| a.replace("$DIR", &dir)));
    args
}

/// A case's folder: the fixtures, the outside folder, the setup, the earlier outputs.
struct Scene {
    _tmp: TempDir,
    _outside: TempDir,
    dir: PathBuf,
    outside: PathBuf,
}

impl Scene {
    fn new(case: &Case, fixtures: &Path, earlier: &BTreeMap<PathBuf, Vec<u8>>) -> Scene {
        let tmp = TempDir::new().unwrap();
        let outside = TempDir::new().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        let outside_dir = outside.path().canonicalize().unwrap();
        copy_fixtures(fixtures, &dir);
        std::fs::copy(
            common::root().join("tests/fixtures/same/img/hills.png"),
            outside_dir.join("secret.png"),
        )
        .unwrap();
        if case.expand {
            let p = dir.join(&case.name);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, expand(&text)).unwrap();
        }
        run_setup(case, &dir, &outside_dir);
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        for (name, bytes) in earlier {
            std::fs::write(out.join(name), bytes).unwrap();
        }
        Scene {
            _tmp: tmp,
            _outside: outside,
            dir,
            outside: outside_dir,
        }
    }

    /// `$DIR` and `$OUTSIDE` replaced by the folders (`to_paths`), or the reverse.
    fn paths(&self, s: &str, to_paths: bool) -> String {
        let (dir, outside) = (
            self.dir.display().to_string(),
            self.outside.display().to_string(),
        );
        if to_paths {
            s.replace("$DIR", &dir).replace("$OUTSIDE", &outside)
        } else {
            s.replace(&dir, "$DIR").replace(&outside, "$OUTSIDE")
        }
    }
}

/// Runs one case; returns its failures (empty when it passes) and the build's stderr
/// (with `$DIR` and `$OUTSIDE` put back, for blessing).
fn run_case(
    case: &Case,
    fixtures: &Path,
    earlier: &BTreeMap<PathBuf, Vec<u8>>,
) -> (Vec<String>, Option<String>) {
    let scene = Scene::new(case, fixtures, earlier);
    let dir = &scene.dir;
    let expected = scene.paths(&case.expected, true);
    let input = case.input.clone().unwrap_or_else(|| case.name.clone());
    let mut failures = Vec::new();
    let mut build_stderr = None;
    for runner in &case.runners {
        let got = match runner.as_str() {
            "library" => {
                // The CLI runs in the case's folder; the library is given the absolute path
                // (the tests share one process: no changing its current folder) and the
                // folder is taken out of its report again.
                let r = run_library(&dir.join(&input))
                    .map(|s| s.replace(&format!("{}/", dir.display()), ""));
                r.map(|s| (s, without_trailer(&expected)))
            }
            "check" => run_cli(dir, &["check".into(), input.clone()], case.seconds)
                .map(|s| (s, without_trailer(&expected))),
            "build" => {
                let r = run_cli(dir, &build_args(case, &input, dir), case.seconds);
                if let Ok(s) = &r {
                    build_stderr = Some(scene.paths(s, false));
                }
                let mut after = snapshot(&dir.join("out"));
                for f in &case.writes {
                    // The editions that are not refused are written whole.
                    match after.remove(Path::new(f)) {
                        Some(bytes) if !bytes.is_empty() => {}
                        _ => failures.push(format!("build: {f} was not written")),
                    }
                }
                if after != *earlier {
                    failures.push(format!(
                        "build: the earlier outputs changed: {:?}",
                        after.keys().collect::<Vec<_>>()
                    ));
                }
                r.map(|s| (s, expected.clone()))
            }
            other => panic!("{}: unknown runner `{other}`", case.name),
        };
        match got {
            Err(why) => failures.push(format!("{runner}: {why}")),
            Ok((got, want)) if got != want => failures.push(format!(
                "{runner}: stderr differs\n--- expected\n{want}--- got\n{got}"
            )),
            Ok(_) => {}
        }
    }
    (failures, build_stderr)
}

/// Every case of `tests/refusals/`, in one test (the library runner changes the current
/// folder, which no other test of this binary does).
#[test]
fn every_refusal_case_gives_its_exact_message_and_writes_nothing() {
    let fixtures = common::root().join("tests/refusals");
    let scratch = TempDir::new().unwrap();
    let earlier = earlier_outputs(scratch.path());
    let bless = std::env::var_os("ANPHAM_BLESS").is_some();
    let filter = std::env::var("ANPHAM_REFUSAL").ok();
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".expected").map(String::from)
        })
        .filter(|n| filter.as_deref().is_none_or(|f| n.contains(f)))
        .collect();
    names.sort();
    assert!(filter.is_some() || names.len() >= 40, "{names:?}");
    let mut failed = Vec::new();
    for name in &names {
        let path = fixtures.join(format!("{name}.expected"));
        let case = parse_case(name, &std::fs::read_to_string(&path).unwrap());
        if let Some(missing) = case.needs.iter().find(|p| !Path::new(p).exists()) {
            common::skip::<()>(&format!("case {name}: {missing} is not installed"));
            continue;
        }
        let (failures, build_stderr) = run_case(&case, &fixtures, &earlier);
        if bless && let Some(s) = build_stderr {
            std::fs::write(&path, format!("{}{s}", case.header)).unwrap();
            eprintln!("blessed {name}");
            continue;
        }
        if failures.is_empty() {
            eprintln!("ok {name}");
        } else {
            failed.push(format!("{name}:\n{}", failures.join("\n")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} case(s) failed:\n\n{}",
        failed.len(),
        names.len(),
        failed.join("\n\n")
    );
}

#[test]
fn the_harness_expands_repeats_and_drops_the_trailer() {
    assert_eq!(expand("[{{repeat 3}}a,{{end}}b]"), "[a,a,a,b]");
    assert_eq!(expand("x"), "x");
    assert_eq!(
        without_trailer("error: a\n  hint: b\n1 article(s) or edition(s) failed\n"),
        "error: a\n  hint: b\n"
    );
    let c = parse_case("a.json", "# run: build\n# args: --font x.ttf\nerror: a\n");
    assert_eq!(c.runners, ["build"]);
    assert_eq!(c.args, ["--font", "x.ttf"]);
    assert_eq!(c.expected, "error: a\n");
}
