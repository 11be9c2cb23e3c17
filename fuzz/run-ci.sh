#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 60), one after another.
#
#   fuzz/run-ci.sh [--smoke] [SECONDS] [TARGET…]
#
# Two builds of the same targets:
# * the long runs (default; docs/robustness.md records them): `cargo fuzz build -O`, with
#   AddressSanitizer, optimised. Needs a nightly toolchain and cargo-fuzz
#   (`cargo install cargo-fuzz`; installed from crates.io when missing in CI or with
#   ANPHAM_FUZZ_INSTALL=1). cargo-fuzz builds release fuzz targets with one codegen unit,
#   so building them from scratch takes some 10 minutes on 2 cores.
# * `--smoke` (what `.ci/run` runs): the same libFuzzer instrumentation cargo-fuzz adds
#   (SanitizerCoverage, `--cfg fuzzing`, debug assertions) but no sanitizer and the dev
#   profile, built by plain `cargo` on the default toolchain: no nightly, no cargo-fuzz, and
#   a fraction of the build time. It finds panics, hangs and memory blow-ups, not the
#   memory errors only unsafe code could make (the crate's one unsafe module is the liblouis
#   loader, which no target reaches).
#
# The corpus grows in fuzz/corpus/TARGET (git-ignored), seeded from fuzz/seeds/TARGET
# (committed; html also from tests/fixtures/import). A crash, hang (-timeout, 30 s per
# input) or out-of-memory (-rss_limit_mb, 2048 MiB) fails the script; libFuzzer leaves the
# input in fuzz/artifacts/TARGET/. Minimise it with `cargo +nightly fuzz tmin TARGET
# ARTIFACT`, fix the bug, and keep the minimised input in tests/regressions/TARGET/
# (tests/robustness.rs replays every file there).
set -euo pipefail

smoke=0
if [ "${1:-}" = --smoke ]; then
  smoke=1
  shift
fi
seconds="${1:-60}"
shift || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(json toml markdown manifest image text html speech_script braille editions)
fi
# The smoke runs the targets that build braille and speech (issue #30) for at most
# SMOKE_EDITION_SECONDS each: CI's whole budget for the three is one minute, their
# build included (docs/robustness.md has the measurement).
smoke_edition_seconds="${SMOKE_EDITION_SECONDS:-10}"

if [ "$smoke" = 1 ]; then
  # cargo-fuzz's flags for a `--dev --sanitizer none` build (cargo-fuzz 0.13,
  # src/project.rs); `--target` keeps them off build scripts and proc macros.
  triple="$(rustc -vV | sed -n 's/^host: //p')"
  export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cdebug-assertions"
  case "$triple" in *-linux-*) RUSTFLAGS="$RUSTFLAGS -Cllvm-args=-sanitizer-coverage-stack-depth" ;; esac
  echo "fuzz: building the targets (smoke: dev profile, no sanitizer)"
  # No debug info either: it is a large part of a dev build's time.
  CARGO_PROFILE_DEV_DEBUG=0 cargo build --manifest-path fuzz/Cargo.toml --target "$triple" --bins
  unset RUSTFLAGS
  # A target binary takes the corpus folders and libFuzzer's flags alike ("--" dropped).
  run_target() {
    local bin="fuzz/target/$triple/debug/$1" args=("-artifact_prefix=fuzz/artifacts/$1/")
    mkdir -p "fuzz/artifacts/$1"
    shift
    for a in "$@"; do [ "$a" = -- ] || args+=("$a"); done
    "$bin" "${args[@]}"
  }
else
  toolchain="${ANPHAM_FUZZ_TOOLCHAIN:-nightly}"
  if ! cargo "+$toolchain" --version >/dev/null 2>&1; then
    echo "fuzz: the $toolchain toolchain is missing (rustup toolchain install $toolchain)" >&2
    exit 2
  fi
  if ! cargo "+$toolchain" fuzz --version >/dev/null 2>&1; then
    if [ "${ANPHAM_FUZZ_INSTALL:-0}" = 1 ] || [ -n "${CI:-}" ]; then
      cargo install --locked cargo-fuzz
    else
      echo "fuzz: cargo-fuzz is missing (cargo install cargo-fuzz, or set ANPHAM_FUZZ_INSTALL=1)" >&2
      exit 2
    fi
  fi
  echo "fuzz: building the targets"
  cargo "+$toolchain" fuzz build -O
  run_target() { cargo "+$toolchain" fuzz run -O "$@"; }
fi

failed=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  # The html target also starts from the import tests' saved portal pages (libFuzzer reads
  # a seed folder recursively), rather than from copies of them.
  [ "$t" = html ] && seeds+=("tests/fixtures/import")
  t_seconds="$seconds"
  case "$t" in
    speech_script | braille | editions)
      if [ "$smoke" = 1 ] && [ "$t_seconds" -gt "$smoke_edition_seconds" ]; then
        t_seconds="$smoke_edition_seconds"
      fi
      ;;
  esac
  echo "fuzz: $t for ${t_seconds}s"
  start=$(date +%s)
  if run_target "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
      -max_total_time="$t_seconds" -rss_limit_mb=2048 -timeout=30 -len_control=0 -print_final_stats=1 \
      >"fuzz/$t.log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$t")
  fi
  end=$(date +%s)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/$t.log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $t $status after $((end - start))s, $runs inputs"
  if [ "$status" = FAILED ]; then
    tail -n 40 "fuzz/$t.log"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) ran (up to ${seconds}s each) without a crash, hang or OOM"
