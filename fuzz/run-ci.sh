#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 60), one after another.
#
#   fuzz/run-ci.sh [SECONDS] [TARGET…]
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); installs
# cargo-fuzz from crates.io when it is missing in CI (`CI` set) or with
# ANPHAM_FUZZ_INSTALL=1 (about 3 minutes). Building the targets from scratch takes some
# 10 minutes on 2 cores. The corpus grows in
# fuzz/corpus/TARGET (git-ignored), seeded from fuzz/seeds/TARGET (committed; html also from
# tests/fixtures/import). A crash,
# hang (-timeout, 30 s per input) or out-of-memory (-rss_limit_mb, 2048 MiB) fails the
# script; libFuzzer leaves the input in fuzz/artifacts/TARGET/. Minimise it with
# `cargo +nightly fuzz tmin TARGET ARTIFACT`, fix the bug, and keep the minimised input
# in tests/regressions/TARGET/ (tests/robustness.rs replays every file there).
set -euo pipefail

seconds="${1:-60}"
shift || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(json toml markdown manifest image text html)
fi

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

failed=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  # The html target also starts from the import tests' saved portal pages (libFuzzer reads
  # a seed folder recursively), rather than from copies of them.
  [ "$t" = html ] && seeds+=("tests/fixtures/import")
  echo "fuzz: $t for ${seconds}s"
  start=$(date +%s)
  if cargo "+$toolchain" fuzz run -O "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -len_control=0 -print_final_stats=1 \
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
echo "fuzz: all ${#targets[@]} target(s) ran ${seconds}s without a crash, hang or OOM"
