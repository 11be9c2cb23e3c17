#!/usr/bin/env bash
# The public API check (issue #27): lists anpham's public items from rustdoc's JSON (nightly)
# and compares them with the committed baseline, docs/public-api.txt. Any difference fails:
# a change to the API is then a deliberate diff of that file, reviewed with the code
# (regenerate it with `scripts/semver-check.sh --update`).
#
# With `cargo-semver-checks` installed (`cargo install --locked cargo-semver-checks`) and a
# git revision given (`scripts/semver-check.sh --against REV`), it also runs
# `cargo semver-checks check-release --baseline-rev REV`, which knows semver's rules (a
# removed item, a new required field …). It is not in `.ci/run`: it has no prebuilt
# package on crates.io and building it took over 25 minutes on the CI machine
# (docs/architecture.md, "Public API").
#
# Needs a nightly toolchain (`rustup toolchain install nightly`); about 15 s warm.
set -euo pipefail
cd "$(dirname "$0")/.."

update=0
against=""
while [ $# -gt 0 ]; do
  case "$1" in
    --update) update=1 ;;
    --against) against="$2"; shift ;;
    *) echo "usage: $0 [--update] [--against GIT-REV]" >&2; exit 2 ;;
  esac
  shift
done

cargo +nightly rustdoc --lib -q -- -Z unstable-options --output-format json --document-hidden-items
list=$(python3 scripts/count-public-items.py target/doc/anpham.json --list | grep -v '^public items:\|=')
count=$(printf '%s\n' "$list" | wc -l)

if [ "$update" = 1 ]; then
  {
    echo "# anpham's public items (scripts/semver-check.sh --update; scripts/count-public-items.py)."
    echo "# $count items. A change here is a change of the public API: review it as one."
    printf '%s\n' "$list"
  } > docs/public-api.txt
  echo "docs/public-api.txt: $count public items"
else
  if ! diff -u <(grep -v '^#' docs/public-api.txt) <(printf '%s\n' "$list"); then
    echo "the public API differs from docs/public-api.txt (above: - baseline, + now);" >&2
    echo "if the change is meant, run scripts/semver-check.sh --update and commit the file" >&2
    exit 1
  fi
  echo "public API: $count items, as docs/public-api.txt"
fi

if [ -n "$against" ]; then
  if command -v cargo-semver-checks > /dev/null; then
    cargo semver-checks check-release --baseline-rev "$against"
  else
    echo "cargo-semver-checks is not installed: only the item list was compared" >&2
  fi
fi
